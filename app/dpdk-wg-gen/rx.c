/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_ethdev.h>

#include "arp.h"
#include "crypto/primitives.h"
#include "handshake.h"
#include "pool.h"
#include "rx.h"
#include "wireguard/messages.h"

/* The inner TTL after one router (the gateway). */
#define GEN_TTL_RX	(GEN_TTL - 1)

static bool
gen_measuring(const struct gen *g)
{
	return g->phase == GEN_PHASE_RUN || g->phase == GEN_PHASE_DRAIN;
}

/* Per-peer sequence accounting of what arrived (counted when measuring). */
static void
gen_rx_seq(struct gen_dir_stats *d, uint64_t *next, uint64_t seq, bool count)
{
	if (seq >= *next) {
		if (count)
			d->seq_gap += seq - *next;
		*next = seq + 1;
	} else if (count) {
		d->seq_late++;
	}
}

/* A data message for one of our sessions (encrypt direction). */
static void
gen_rx_wan_data(struct gen *g, const struct gen_udp4 *u, uint32_t frame_len,
		uint64_t now)
{
	struct gen_dir_stats *d = &g->st.dir[GEN_D_ENC];
	const uint8_t *msg = u->payload;
	struct gen_session *s;
	struct gen_payload pay;
	struct gen_peer *p;
	uint32_t plain_len;
	uint64_t counter;

	s = gen_peers_lookup_session(g->peers, wg_le32_load(msg + 4));
	if (s == NULL || !s->valid || s->peer->outer_ip != u->dip) {
		g->st.misc.wg_unknown_index++;
		return;
	}
	p = s->peer;
	counter = wg_le64_load(msg + 8);
	plain_len = u->payload_len - WG_DATA_MIN_LEN;
	/* the gateway's counters of this session arrive in order */
	if (counter >= s->rx_next_counter) {
		if (gen_measuring(g))
			d->seq_gap += counter - s->rx_next_counter;
		s->rx_next_counter = counter + 1;
	} else if (gen_measuring(g)) {
		d->seq_late++;
	}
	if (plain_len == 0) {
		g->st.misc.wg_keepalives_rx++;
		return;
	}
	p->rx_pkts[GEN_D_ENC]++;
	g->tot_rx[GEN_D_ENC]++;
	if (!gen_measuring(g))
		return;
	d->rx_pkts++;
	d->rx_wire_bytes += frame_len;
	d->rx_l3_bytes += plain_len < GEN_MAX_FRAME &&
		g->size_of_padded[plain_len] != 0 ?
		g->size_of_padded[plain_len] : plain_len;
	if (++g->verify_count[GEN_D_ENC] < g->o.verify_every)
		return;
	g->verify_count[GEN_D_ENC] = 0;
	/* a sample: authenticate and decrypt it with the session key */
	if (plain_len > sizeof(g->scratch)) {
		d->verify_failed++;
		return;
	}
	if (!wg_aead_decrypt(g->scratch, msg + WG_DATA_HEADER_LEN,
			     u->payload_len - WG_DATA_HEADER_LEN, NULL, 0,
			     counter, s->recv_key)) {
		g->st.misc.wg_decrypt_failed++;
		d->verify_failed++;
		return;
	}
	if (!gen_inner_check(g->scratch, plain_len, g->o.lan_ip, p->tunnel_ip,
			     GEN_TTL_RX, true, &pay) || pay.peer != p->id) {
		d->verify_failed++;
		return;
	}
	d->verified++;
	if (pay.tsc >= g->t_measure && pay.tsc <= now)
		gen_lat_add(&d->lat, gen_ns(g, now - pay.tsc));
}

static void
gen_rx_wan(struct gen *g, struct rte_mbuf *m, uint64_t now)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	struct gen_udp4 u;
	uint8_t type;

	if (!gen_parse_udp4(frame, rte_pktmbuf_data_len(m), &u)) {
		g->st.misc.malformed++;
		return;
	}
	if (u.sip != g->o.gw_wan_ip || u.sport != g->o.gw_port ||
	    u.dport != g->o.peer_port ||
	    gen_peers_by_outer(g->peers, u.dip) == NULL) {
		g->st.misc.not_for_us++;
		return;
	}
	type = (uint8_t)wg_message_type(u.payload, u.payload_len);
	switch (type) {
	case WG_MSG_DATA:
		gen_rx_wan_data(g, &u, rte_pktmbuf_data_len(m), now);
		break;
	case WG_MSG_HANDSHAKE_INITIATION:
	case WG_MSG_HANDSHAKE_RESPONSE:
	case WG_MSG_HANDSHAKE_COOKIE:
		gen_hs_input(g, &u, type, now);
		break;
	default:
		g->st.misc.wg_invalid++;
		break;
	}
}

/* A decrypted inner packet forwarded by the gateway (decrypt direction). */
static void
gen_rx_lan(struct gen *g, struct rte_mbuf *m, uint64_t now)
{
	struct gen_dir_stats *d = &g->st.dir[GEN_D_DEC];
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint64_t mask = (1ULL << GEN_TX_TSC_BITS) - 1;
	uint32_t len = rte_pktmbuf_data_len(m);
	const uint8_t *ip = frame + GEN_ETH_LEN;
	struct gen_payload pay;
	struct gen_peer *p;
	struct gen_udp4 u;
	uint32_t ip_len;
	uint64_t sent;
	bool counted;

	if (g->pool == NULL) {		/* no decrypt traffic was sent */
		g->st.misc.not_for_us++;
		return;
	}
	sent = g->pool->head;
	if (!gen_parse_udp4(frame, len, &u)) {
		g->st.misc.malformed++;
		return;
	}
	if (u.dip != g->o.lan_ip || u.dport != GEN_INNER_SPORT) {
		g->st.misc.not_for_us++;
		return;
	}
	ip_len = (uint32_t)(u.payload - ip) + u.payload_len;
	if (!gen_inner_peek(ip, ip_len, &pay) || pay.peer >= g->peers->n) {
		d->verify_failed++;
		return;
	}
	p = &g->peers->p[pay.peer];
	p->rx_pkts[GEN_D_DEC]++;
	g->tot_rx[GEN_D_DEC]++;
	/* sent during the warm-up: not counted */
	counted = gen_measuring(g) &&
		pay.gseq >= g->tx[GEN_D_DEC].gseq_measured;
	gen_rx_seq(d, &p->rx_next[GEN_D_DEC], pay.seq, counted);
	if (!counted)
		return;
	d->rx_pkts++;
	d->rx_l3_bytes += ip_len;
	d->rx_wire_bytes += len;
	/* its transmission time, unless the table moved on since */
	if (pay.gseq < sent && sent - pay.gseq <= mask)
		gen_lat_add(&d->lat, gen_ns(g, now - g->tx_tsc[pay.gseq & mask]));
	if (++g->verify_count[GEN_D_DEC] < g->o.verify_every)
		return;
	g->verify_count[GEN_D_DEC] = 0;
	if (u.sip == p->tunnel_ip &&
	    gen_inner_check(ip, ip_len, p->tunnel_ip, g->o.lan_ip, GEN_TTL_RX,
			    true, &pay))
		d->verified++;
	else
		d->verify_failed++;
}

static unsigned int
gen_rx_port(struct gen *g, struct gen_port *p, uint64_t now)
{
	struct rte_mbuf *m[GEN_RX_BURST];
	const struct rte_ether_hdr *eth;
	uint16_t n, i;

	if (p->id < 0)
		return 0;
	n = rte_eth_rx_burst((uint16_t)p->id, 0, m, GEN_RX_BURST);
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 1], void *));
		if (m[i]->nb_segs != 1 ||
		    rte_pktmbuf_data_len(m[i]) < RTE_ETHER_HDR_LEN) {
			g->st.misc.malformed++;
			rte_pktmbuf_free(m[i]);
			continue;
		}
		eth = rte_pktmbuf_mtod(m[i], const struct rte_ether_hdr *);
		if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
			gen_arp_input(g, p, m[i]);	/* consumes it */
			continue;
		}
		if (!rte_is_same_ether_addr(&eth->dst_addr, &p->mac))
			g->st.misc.not_for_us++;
		else if (p == &g->wan)
			gen_rx_wan(g, m[i], now);
		else
			gen_rx_lan(g, m[i], now);
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

unsigned int
gen_rx_poll(struct gen *g, uint64_t now)
{
	return gen_rx_port(g, &g->wan, now) + gen_rx_port(g, &g->lan, now);
}
