/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * WireGuard send path on the I/O lcores (Linux send.c, device.c xmit).
 *
 * gw_wg_output(): clear packets the router sent to a peer id. No peer
 * (a tunnel subnet address nobody owns, a removed peer) or no endpoint:
 * ICMP host/address unreachable, as Linux. Larger than the tunnel MTU:
 * IPv4 with DF and IPv6 get fragmentation needed / packet too big with the
 * tunnel MTU, IPv4 without DF is fragmented (rte_ip_frag) before
 * encryption. Then the peer's current keypair (acquire), usable to send and
 * a nonce taken atomically; without one the packet goes to the control
 * lcore (bounded ring), which stages it in the core and starts a
 * handshake. Padding to 16 (not beyond the MTU, the core's rule), room
 * for the 16-byte tag, and the packet joins an encryption job.
 *
 * gw_wg_tx_complete(), in submission order: the outer headers in front of
 * the ciphertext: Ethernet (filled by the router), IPv4/IPv6 to the peer's
 * published endpoint from our address on the way there, TTL/hop limit 64,
 * no DF, DS = the inner ECN field encapsulated as Linux's
 * ip_tunnel_ecn_encap(0, ...) (ECT(0)/ECT(1) copied, CE sent as ECT(0),
 * DSCP never copied outward), UDP from the listen port, the data header;
 * then gw_ipv4_send/gw_ipv6_send in the underlay table.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_udp.h>

#include "gateway.h"
#include "icmp.h"
#include "ip.h"
#include "lcore.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "wg_dp.h"
#include "wg_hook.h"
#include "wireguard/keypair.h"
#include "wireguard/peer.h"

#define GW_WG_OUTER_TTL		64
#define GW_WG_FRAG_MAX		64
/* Ethernet + IPv6 + UDP + data header: the most room needed in front. */
#define GW_WG_OUTER_MAX \
	(RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr) + \
	 sizeof(struct rte_udp_hdr) + WG_DATA_HEADER_LEN)

struct gw_wg_tx {
	struct gw_wg_lcore *wl;
	struct gw_wg_job *job;
	uint64_t now;
};

/* ICMP host (IPv6: address) unreachable about m, not consumed. */
static void
gw_wg_tx_unreach(struct gw_lcore *lc, struct rte_mbuf *m, bool v6)
{
	if (v6)
		gw_icmp6_error(lc, m, GW_ICMP6_DEST_UNREACH,
			       GW_ICMP6_ADDR_UNREACH, 0);
	else
		gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH,
			       GW_ICMP_HOST_UNREACH, 0);
}

/* Checksums a locally built inner packet left for the output path. */
static inline void
gw_wg_tx_cksum(struct rte_mbuf *m)
{
	static const struct gw_port soft;	/* no offloads: in software */

	if (gw_meta(m)->flags & GW_PKT_F_CKSUM_MASK)
		gw_port_tx_cksum(&soft, m);
}

/* The outer DS field: ECN encapsulated, DSCP not copied (Linux). */
static inline uint8_t
gw_wg_ecn_encap(const uint8_t *inner, bool v6)
{
	uint8_t ecn = v6 ? (inner[1] >> 4) & 3 : inner[1] & 3;

	return ecn == 3 ? 2 : ecn;	/* CE -> ECT(0) */
}

static void
gw_wg_tx_stage(struct gw_wg_tx *tx, struct rte_mbuf *m,
	       const struct gw_wg_peer_dp *dp)
{
	struct gw_lcore *lc = tx->wl->lc;

	gw_meta(m)->peer_gen = __atomic_load_n(&dp->gen, __ATOMIC_RELAXED);
	if (unlikely(rte_ring_mp_enqueue(tx->wl->wg->stage_ring, m) != 0)) {
		gw_drop(lc, m, GW_DROP_WG_STAGE_RING_FULL);
		return;
	}
	lc->stats.wg_tx_staged++;
}

/* One inner packet of ilen bytes that fits the tunnel MTU. */
static void
gw_wg_tx_encrypt(struct gw_wg_tx *tx, struct rte_mbuf *m,
		 struct gw_wg_peer_dp *dp, struct wg_peer *peer, uint32_t ilen,
		 bool v6)
{
	struct gw_wg_lcore *wl = tx->wl;
	struct gw_lcore *lc = wl->lc;
	struct gw_wg_pkt *pk;
	struct wg_aead_op *op;
	struct wg_keypair *kp;
	uint32_t plen;
	uint64_t nonce;
	uint8_t *inner, *tail;

	if (unlikely(__atomic_load_n(&dp->ep.family, __ATOMIC_RELAXED) == 0)) {
		gw_wg_tx_unreach(lc, m, v6);
		gw_drop(lc, m, GW_DROP_WG_NO_ENDPOINT);
		return;
	}
	kp = wg_keypairs_current(&peer->keypairs);
	if (unlikely(kp == NULL || !wg_keypair_can_send(kp, tx->now))) {
		gw_wg_tx_stage(tx, m, dp);
		return;
	}
	if (unlikely((size_t)rte_pktmbuf_headroom(m) + m->l2_len <
		     GW_WG_OUTER_MAX)) {
		gw_drop(lc, m, GW_DROP_WG_NO_ROOM);
		return;
	}
	plen = (uint32_t)wg_device_padded_len(dp->wif->dev, ilen);
	tail = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(plen - ilen +
							   WG_AUTHTAG_LEN));
	if (unlikely(tail == NULL)) {
		gw_drop(lc, m, GW_DROP_WG_NO_ROOM);
		return;
	}
	if (tx->job == NULL) {
		tx->job = gw_wg_job_get(wl, GW_WG_DIR_TX);
		if (unlikely(tx->job == NULL)) {
			gw_drop(lc, m, GW_DROP_WG_CRYPTO_FULL);
			return;
		}
	}
	if (unlikely(!wg_keypair_take_nonce(kp, &nonce))) {
		/* exhausted: the control lcore rekeys */
		rte_pktmbuf_trim(m, (uint16_t)(plen - ilen + WG_AUTHTAG_LEN));
		gw_wg_tx_stage(tx, m, dp);
		return;
	}
	memset(tail, 0, plen - ilen);
	inner = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len);

	pk = &tx->job->pkts[tx->job->n];
	op = &tx->job->ops[tx->job->n];
	pk->m = m;
	pk->dp = dp;
	pk->kp = NULL;
	pk->counter = nonce;
	pk->len = plen;
	pk->remote_index = kp->remote_index;
	pk->ds = gw_wg_ecn_encap(inner, v6);
	op->data = inner;
	op->len = plen;
	op->tag = inner + plen;
	op->key = kp->sending_key;
	op->counter = nonce;
	op->status = 0;
	if (++tx->job->n == GW_WG_JOB_PKTS) {
		gw_wg_job_submit(wl, tx->job);
		tx->job = NULL;
	}
}

/*
 * IPv4 without DF over the tunnel MTU: fragments (rte_ip_frag references
 * the payload), each made contiguous again for in-place encryption.
 */
static void
gw_wg_tx_fragment(struct gw_wg_tx *tx, struct rte_mbuf *m,
		  struct gw_wg_peer_dp *dp, struct wg_peer *peer)
{
	struct gw_lcore *lc = tx->wl->lc;
	struct gw_gateway *gw = lc->gw;
	struct rte_mbuf *frags[GW_WG_FRAG_MAX];
	struct gw_mbuf_meta meta = *gw_meta(m);
	const struct gw_port *port;
	uint16_t l2_len = m->l2_len;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *f;
	int32_t nf, i;

	port = &gw->ports[meta.in_port < gw->n_ports ? meta.in_port : 0];
	rte_pktmbuf_adj(m, l2_len);
	nf = rte_ipv4_fragment_packet(m, frags, GW_WG_FRAG_MAX,
				      dp->wif->mtu, port->pool,
				      port->indirect_pool);
	if (nf < 0) {
		gw_drop(lc, m, nf == -ENOMEM ? GW_DROP_NO_MBUF : GW_DROP_MTU);
		return;
	}
	rte_pktmbuf_free(m);	/* the fragments hold references */
	lc->stats.frag_pkts++;
	for (i = 0; i < nf; i++) {
		f = frags[i];
		if (rte_pktmbuf_linearize(f) != 0 ||
		    rte_pktmbuf_prepend(f, l2_len) == NULL) {
			gw_drop(lc, f, GW_DROP_WG_NO_ROOM);
			continue;
		}
		*gw_meta(f) = meta;
		f->l2_len = l2_len;
		ip = rte_pktmbuf_mtod_offset(f, struct rte_ipv4_hdr *, l2_len);
		f->l3_len = (uint16_t)rte_ipv4_hdr_len(ip);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		gw_wg_tx_encrypt(tx, f, dp, peer,
				 rte_be_to_cpu_16(ip->total_length), false);
	}
}

static void
gw_wg_tx_one(struct gw_wg_tx *tx, struct rte_mbuf *m)
{
	struct gw_wg *wg = tx->wl->wg;
	struct gw_lcore *lc = tx->wl->lc;
	struct gw_wg_peer_dp *dp = NULL;
	struct wg_peer *peer = NULL;
	uint32_t id, ilen, mtu;
	const uint8_t *inner;
	bool v6;

	inner = gw_pkt_hdr(m, m->l2_len, sizeof(struct rte_ipv4_hdr));
	if (unlikely(inner == NULL || ((inner[0] >> 4) != 4 &&
				       (inner[0] >> 4) != 6))) {
		gw_drop(lc, m, GW_DROP_WG_INNER_HEADER);
		return;
	}
	v6 = (inner[0] >> 4) == 6;
	id = gw_route_peer(gw_meta(m)->route);
	if (likely(id < wg->cap)) {
		dp = &wg->peers[id];
		peer = gw_wg_dp_peer(dp);
	}
	if (unlikely(peer == NULL)) {
		gw_wg_tx_unreach(lc, m, v6);
		gw_drop(lc, m, GW_DROP_WG_NO_PEER);
		return;
	}
	if (v6) {
		if (gw_pkt_hdr(m, m->l2_len, sizeof(struct rte_ipv6_hdr)) ==
		    NULL) {
			gw_drop(lc, m, GW_DROP_WG_INNER_HEADER);
			return;
		}
		ilen = (((uint32_t)inner[4] << 8) | inner[5]) +
			(uint32_t)sizeof(struct rte_ipv6_hdr);
	} else {
		ilen = ((uint32_t)inner[2] << 8) | inner[3];
	}
	if (unlikely(m->l2_len + ilen > rte_pktmbuf_pkt_len(m))) {
		gw_drop(lc, m, GW_DROP_WG_INNER_HEADER);
		return;
	}
	/* one writable, contiguous buffer: encryption is in place */
	if (unlikely(!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 ||
		     rte_pktmbuf_linearize(m) != 0)) {
		gw_drop(lc, m, GW_DROP_WG_NO_ROOM);
		return;
	}
	gw_pkt_trim(m, m->l2_len + ilen);
	gw_wg_tx_cksum(m);

	mtu = dp->wif->mtu;
	if (unlikely(ilen > mtu)) {
		const struct rte_ipv4_hdr *ip4 =
			rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
						m->l2_len);

		if (v6) {
			gw_icmp6_error(lc, m, GW_ICMP6_PKT_TOO_BIG, 0, mtu);
			gw_drop(lc, m, GW_DROP_MTU);
		} else if (ip4->fragment_offset &
			   RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) {
			gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH,
				       GW_ICMP_FRAG_NEEDED, mtu);
			gw_drop(lc, m, GW_DROP_MTU);
		} else {
			gw_wg_tx_fragment(tx, m, dp, peer);
		}
		return;
	}
	gw_wg_tx_encrypt(tx, m, dp, peer, ilen, v6);
}

void
gw_wg_output(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	struct gw_wg *wg = lc->gw->wgs;
	struct gw_wg_tx tx;
	uint16_t i;

	if (unlikely(wg == NULL || wg->lc[lc->lcore_id] == NULL)) {
		for (i = 0; i < n; i++)
			gw_drop(lc, pkts[i], GW_DROP_WG_NO_PEER);
		return;
	}
	tx.wl = wg->lc[lc->lcore_id];
	tx.job = NULL;
	tx.now = gw_wg_now(wg);
	for (i = 0; i < n; i++)
		gw_wg_tx_one(&tx, pkts[i]);
	if (tx.job != NULL)
		gw_wg_job_submit(tx.wl, tx.job);
}

void
gw_wg_tx_complete(struct gw_wg_lcore *wl, struct gw_wg_job *job)
{
	struct gw_lcore *lc = wl->lc;
	struct gw_wg_if *wif;
	struct gw_wg_agg agg;
	struct gw_wg_agg_peer *a;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip4;
	struct rte_ipv6_hdr *ip6;
	struct rte_udp_hdr *udp;
	struct gw_wg_pkt *pk;
	struct rte_mbuf *m;
	uint32_t wire, l3, room;
	uint8_t *h;
	unsigned int i;

	agg.n = 0;
	for (i = 0; i < job->n; i++) {
		pk = &job->pkts[i];
		m = pk->m;
		if (unlikely(job->ops[i].status != 0)) {
			gw_drop(lc, m, job->ops[i].status == -ENOBUFS ?
				GW_DROP_WG_CRYPTO_FULL : GW_DROP_WG_NO_ROOM);
			continue;
		}
		a = gw_wg_agg_get(wl->wg, &agg, pk->dp);
		if (!a->have_ep) {
			gw_wg_ep_read(pk->dp, &a->ep);
			a->have_ep = true;
		}
		if (unlikely(a->ep.family == 0)) {
			gw_drop(lc, m, GW_DROP_WG_NO_ENDPOINT);
			continue;
		}
		wif = pk->dp->wif;
		l3 = a->ep.family == AF_INET ? sizeof(struct rte_ipv4_hdr) :
			sizeof(struct rte_ipv6_hdr);
		wire = pk->len + (uint32_t)WG_DATA_MIN_LEN;
		/* Ethernet + outer IP + UDP + header end where the inner began */
		room = RTE_ETHER_HDR_LEN + l3 + sizeof(struct rte_udp_hdr) +
			WG_DATA_HEADER_LEN - m->l2_len;
		h = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)room);
		if (unlikely(h == NULL)) {
			gw_drop(lc, m, GW_DROP_WG_NO_ROOM);
			continue;
		}
		eth = (struct rte_ether_hdr *)h;
		memset(eth, 0, sizeof(*eth));
		udp = (struct rte_udp_hdr *)(h + RTE_ETHER_HDR_LEN + l3);
		if (a->ep.family == AF_INET) {
			ip4 = (struct rte_ipv4_hdr *)(h + RTE_ETHER_HDR_LEN);
			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
			ip4->version_ihl = RTE_IPV4_VHL_DEF;
			ip4->type_of_service = pk->ds;
			ip4->total_length = rte_cpu_to_be_16((uint16_t)(l3 +
				sizeof(*udp) + wire));
			ip4->packet_id = rte_cpu_to_be_16(wl->ip_id++);
			ip4->fragment_offset = 0;
			ip4->time_to_live = GW_WG_OUTER_TTL;
			ip4->next_proto_id = IPPROTO_UDP;
			ip4->hdr_checksum = 0;
			memcpy(&ip4->src_addr, a->ep.src, 4);
			memcpy(&ip4->dst_addr, a->ep.addr, 4);
			gw_meta(m)->flags = GW_PKT_F_CKSUM_IP4 |
				GW_PKT_F_CKSUM_UDP4_HW;
		} else {
			ip6 = (struct rte_ipv6_hdr *)(h + RTE_ETHER_HDR_LEN);
			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
			ip6->vtc_flow = rte_cpu_to_be_32(6u << 28 |
				(uint32_t)pk->ds << RTE_IPV6_HDR_TC_SHIFT);
			ip6->payload_len = rte_cpu_to_be_16((uint16_t)(
				sizeof(*udp) + wire));
			ip6->proto = IPPROTO_UDP;
			ip6->hop_limits = GW_WG_OUTER_TTL;
			memcpy(ip6->src_addr, a->ep.src, 16);
			memcpy(ip6->dst_addr, a->ep.addr, 16);
			gw_meta(m)->flags = GW_PKT_F_CKSUM_UDP;
		}
		udp->src_port = rte_cpu_to_be_16(wif->listen_port);
		udp->dst_port = rte_cpu_to_be_16(a->ep.port);
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) +
							     wire));
		udp->dgram_cksum = 0;
		h = (uint8_t *)(udp + 1);
		wg_msg_header_set((struct wg_msg_header *)h, WG_MSG_DATA);
		wg_le32_store(h + 4, pk->remote_index);
		wg_le64_store(h + 8, pk->counter);

		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = (uint16_t)l3;
		m->ol_flags = 0;
		gw_meta(m)->route = 0;
		a->tx_data++;
		a->tx_bytes += wire;
		a->ev |= GW_WG_EV_TX;
		lc->stats.wg_tx_data++;
		if (a->ep.family == AF_INET)
			gw_ipv4_send(lc, m, GW_RT_UNDERLAY);
		else
			gw_ipv6_send(lc, m, GW_RT_UNDERLAY);
	}
	gw_wg_agg_flush(wl->wg, &agg);
}
