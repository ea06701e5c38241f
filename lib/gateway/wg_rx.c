/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * WireGuard receive path on the I/O lcores (Linux receive.c).
 *
 * gw_wg_input(): UDP datagrams to a listen port. Before any cryptography:
 * the UDP length, the message type and its exact size (wg_message_type);
 * anything else is dropped and counted. Handshake messages (types 1-3)
 * are copied into a slot of the interface's bounded handshake queue for
 * the control lcore (4096, dropped and counted when full: a handshake
 * flood costs the data path one copy per message). Data messages: the
 * receiver index is looked up in the interface's lock-free rte_hash
 * (bulk), the keypair must still be valid and young enough, and the
 * packet joins a decryption job.
 *
 * gw_wg_rx_complete(), in submission order, once the AEAD ran: the replay
 * window (a per-peer spinlock: several I/O lcores may receive one peer),
 * roaming, key confirmation, keepalives, the inner header and its length
 * (padding trimmed), ECN decapsulation (as Linux: outer CE marks an ECT
 * inner packet CE), then the source must belong to this peer in the
 * allowed-IPs table (GW_RT_PEERS) and the packet re-enters the router
 * (gw_ipv4_forward / gw_ipv6_forward): to a port, to the gateway itself,
 * or to another peer.
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "gateway.h"
#include "ip.h"
#include "lcore.h"
#include "pkt.h"
#include "route.h"
#include "wg_dp.h"
#include "wg_hook.h"
#include "wireguard/keypair.h"
#include "wireguard/peer.h"

#define GW_ECN_NOT_ECT	0
#define GW_ECN_ECT1	1
#define GW_ECN_ECT0	2
#define GW_ECN_CE	3

/* Outer source address and port (headers still in front). */
static inline void
gw_wg_rx_src(struct rte_mbuf *m, struct wg_endpoint *src)
{
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						    m->l2_len);
	const struct rte_udp_hdr *udp =
		(const struct rte_udp_hdr *)(l3 + m->l3_len);

	memset(src, 0, sizeof(*src));
	if ((l3[0] >> 4) == 4) {
		src->family = AF_INET;
		memcpy(src->addr, l3 + offsetof(struct rte_ipv4_hdr, src_addr),
		       4);
	} else {
		src->family = AF_INET6;
		memcpy(src->addr, l3 + offsetof(struct rte_ipv6_hdr, src_addr),
		       16);
	}
	src->port = rte_be_to_cpu_16(udp->src_port);
}

static inline uint8_t
gw_wg_rx_outer_ecn(struct rte_mbuf *m)
{
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						    m->l2_len);

	if ((l3[0] >> 4) == 4)
		return l3[1] & 3;
	return (l3[1] >> 4) & 3;
}

static inline bool
gw_wg_ep_is(const struct gw_wg_ep *ep, const struct wg_endpoint *src)
{
	return ep->family == src->family && ep->port == src->port &&
		memcmp(ep->addr, src->addr,
		       src->family == AF_INET ? 4 : 16) == 0;
}

/*
 * The UDP payload of a datagram to a listen port, or NULL (dropped and
 * counted). The IP layer validated its header and trimmed link padding.
 */
static struct gw_wg_if *
gw_wg_rx_parse(struct gw_lcore *lc, struct gw_wg *wg, struct rte_mbuf *m,
	       uint8_t **msg, uint32_t *len)
{
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						    m->l2_len);
	uint32_t l4 = (uint32_t)m->l2_len + m->l3_len, ip_payload, ulen;
	const struct rte_udp_hdr *udp;
	struct gw_wg_if *wif;

	udp = gw_pkt_hdr(m, l4, sizeof(*udp));
	if (unlikely(udp == NULL))
		goto bad;
	if ((l3[0] >> 4) == 4)
		ip_payload = rte_be_to_cpu_16(((const struct rte_ipv4_hdr *)
			l3)->total_length) - m->l3_len;
	else
		ip_payload = rte_be_to_cpu_16(((const struct rte_ipv6_hdr *)
			l3)->payload_len);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(ulen < sizeof(*udp) || ulen > ip_payload))
		goto bad;
	wif = gw_wg_if_by_port(wg, udp->dst_port);
	if (unlikely(wif == NULL))
		goto bad;
	*len = ulen - (uint32_t)sizeof(*udp);
	*msg = gw_pkt_hdr(m, l4 + sizeof(*udp), *len);
	if (unlikely(*msg == NULL)) {
		gw_drop(lc, m, GW_DROP_WG_NO_ROOM);	/* segmented */
		return NULL;
	}
	return wif;
bad:
	gw_drop(lc, m, GW_DROP_WG_BAD_MESSAGE);
	return NULL;
}

/* A handshake message: copied for the control lcore, mbuf released. */
static void
gw_wg_rx_handshake(struct gw_lcore *lc, struct gw_wg_if *wif,
		   struct rte_mbuf *m, const uint8_t *msg, uint32_t len)
{
	struct gw_wg_hs_msg *h;
	struct wg_endpoint src;

	gw_wg_rx_src(m, &src);
	/* under load: macs checked here, cookie replies sent from here */
	if (gw_wg_hs_filter(lc, wif, m, msg, len, &src))
		return;
	if (rte_ring_mc_dequeue(wif->hs_free, (void **)&h) != 0) {
		gw_drop(lc, m, GW_DROP_WG_HS_RING_FULL);
		return;
	}
	h->src = src;
	h->len = (uint16_t)len;
	memcpy(h->buf, msg, len);
	if (unlikely(rte_ring_mp_enqueue(wif->hs_ring, h) != 0)) {
		rte_ring_mp_enqueue(wif->hs_free, h);
		gw_drop(lc, m, GW_DROP_WG_HS_RING_FULL);
		return;
	}
	lc->stats.wg_rx_handshake++;
	rte_pktmbuf_free(m);
}

/* The keypair may decrypt now (the message limit is the replay window's). */
static inline bool
gw_wg_kp_can_receive(struct wg_keypair *kp, uint64_t now)
{
	if (!atomic_load_explicit(&kp->receiving_valid, memory_order_relaxed))
		return false;
	if (wg_birthdate_has_expired(kp->birthdate, WG_REJECT_AFTER_TIME,
				     now)) {
		atomic_store_explicit(&kp->receiving_valid, false,
				      memory_order_relaxed);
		return false;
	}
	return true;
}

/* n <= GW_BURST */
static void
gw_wg_input_burst(struct gw_lcore *lc, struct gw_wg *wg,
		  struct gw_wg_lcore *wl, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *dm[GW_BURST];
	struct gw_wg_if *dif[GW_BURST];
	uint8_t *dmsg[GW_BURST];
	uint32_t dlen[GW_BURST], idx[GW_BURST];
	const void *keys[GW_BURST];
	void *data[GW_BURST], *kd[GW_BURST];
	unsigned int pos[GW_BURST];
	struct gw_wg_job *job = NULL;
	struct gw_wg_if *wif;
	struct wg_keypair *kp;
	struct gw_wg_peer_dp *dp;
	struct gw_wg_pkt *pk;
	struct wg_aead_op *op;
	uint64_t hits, now;
	unsigned int i, j, k = 0, c;
	uint32_t len;
	uint8_t *msg;

	/* sizes and types before any cryptography */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		wif = gw_wg_rx_parse(lc, wg, m, &msg, &len);
		if (wif == NULL)
			continue;
		switch (wg_message_type(msg, len)) {
		case WG_MSG_DATA:
			dm[k] = m;
			dif[k] = wif;
			dmsg[k] = msg;
			dlen[k] = len;
			idx[k] = wg_le32_load(msg + 4);
			data[k] = NULL;
			k++;
			break;
		case WG_MSG_HANDSHAKE_INITIATION:
		case WG_MSG_HANDSHAKE_RESPONSE:
		case WG_MSG_HANDSHAKE_COOKIE:
			gw_wg_rx_handshake(lc, wif, m, msg, len);
			break;
		default:
			gw_drop(lc, m, GW_DROP_WG_BAD_MESSAGE);
			break;
		}
	}
	if (k == 0)
		return;

	/* receiver index -> keypair, one bulk lookup per interface */
	for (i = 0; i < wg->n_if; i++) {
		wif = &wg->ifs[i];
		for (c = 0, j = 0; j < k; j++) {
			if (dif[j] != wif)
				continue;
			keys[c] = &idx[j];
			pos[c++] = j;
		}
		if (c == 0)
			continue;
		hits = 0;
		rte_hash_lookup_bulk_data(wif->kp_hash, keys, c, &hits, kd);
		for (j = 0; j < c; j++)
			if (hits & (UINT64_C(1) << j))
				data[pos[j]] = kd[j];
	}

	now = gw_wg_now(wg);
	for (j = 0; j < k; j++) {
		struct rte_mbuf *m = dm[j];

		kp = data[j];
		if (kp == NULL) {
			gw_drop(lc, m, GW_DROP_WG_UNKNOWN_INDEX);
			continue;
		}
		dp = kp->peer->user;
		if (unlikely(dp == NULL || gw_wg_dp_peer(dp) != kp->peer)) {
			gw_drop(lc, m, GW_DROP_WG_UNKNOWN_INDEX);
			continue;
		}
		if (unlikely(!gw_wg_kp_can_receive(kp, now))) {
			gw_drop(lc, m, GW_DROP_WG_KEYPAIR_EXPIRED);
			continue;
		}
		if (job == NULL) {
			job = gw_wg_job_get(wl, GW_WG_DIR_RX);
			if (unlikely(job == NULL)) {
				gw_drop(lc, m, GW_DROP_WG_CRYPTO_FULL);
				continue;
			}
		}
		msg = dmsg[j];
		len = dlen[j];
		pk = &job->pkts[job->n];
		op = &job->ops[job->n];
		pk->m = m;
		pk->dp = dp;
		pk->kp = kp;
		pk->counter = wg_le64_load(msg + 8);
		pk->len = len - WG_DATA_MIN_LEN;
		pk->ds = gw_wg_rx_outer_ecn(m);
		op->data = msg + WG_DATA_HEADER_LEN;
		op->len = pk->len;
		op->tag = msg + len - WG_AUTHTAG_LEN;
		op->key = kp->receiving_key;
		op->counter = pk->counter;
		op->status = 0;
		if (++job->n == GW_WG_JOB_PKTS) {
			gw_wg_job_submit(wl, job);
			job = NULL;
		}
	}
	if (job != NULL)
		gw_wg_job_submit(wl, job);
}

void
gw_wg_input(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	struct gw_wg *wg = lc->gw->wgs;
	uint16_t i, k;

	if (unlikely(wg == NULL || wg->lc[lc->lcore_id] == NULL)) {
		for (i = 0; i < n; i++)
			gw_drop(lc, pkts[i], GW_DROP_WG_BAD_MESSAGE);
		return;
	}
	for (i = 0; i < n; i += k) {
		k = RTE_MIN((uint16_t)(n - i), (uint16_t)GW_BURST);
		gw_wg_input_burst(lc, wg, wg->lc[lc->lcore_id], pkts + i, k);
	}
}

/* Inner IPv4/IPv6 length from its own header, 0 if it lies. */
static inline uint32_t
gw_wg_inner_len(const uint8_t *p, uint32_t plain, bool *v6)
{
	uint32_t len;

	if (plain >= sizeof(struct rte_ipv4_hdr) && (p[0] >> 4) == 4) {
		len = ((uint32_t)p[2] << 8) | p[3];
		if (len < sizeof(struct rte_ipv4_hdr))
			return 0;
		*v6 = false;
	} else if (plain >= sizeof(struct rte_ipv6_hdr) && (p[0] >> 4) == 6) {
		len = (((uint32_t)p[4] << 8) | p[5]) +
			(uint32_t)sizeof(struct rte_ipv6_hdr);
		*v6 = true;
	} else {
		return 0;
	}
	return len <= plain ? len : 0;
}

/*
 * Linux INET_ECN_decapsulate as WireGuard uses it: an outer CE marks an
 * ECN-capable inner packet CE, an outer ECT(1) turns inner ECT(0) into
 * ECT(1); a not-ECT inner packet is left alone.
 */
static inline void
gw_wg_ecn_decap(uint8_t *p, bool v6, uint8_t outer)
{
	uint8_t in = v6 ? (p[1] >> 4) & 3 : p[1] & 3, out;
	uint32_t sum;
	uint16_t old, cur;

	if (in == GW_ECN_NOT_ECT)
		return;
	if (outer == GW_ECN_CE)
		out = GW_ECN_CE;
	else if (outer == GW_ECN_ECT1 && in == GW_ECN_ECT0)
		out = GW_ECN_ECT1;
	else
		return;
	if (out == in)
		return;
	if (v6) {
		p[1] = (uint8_t)((p[1] & 0xcf) | (out << 4));
		return;
	}
	/* RFC 1624 incremental update of the header checksum */
	old = (uint16_t)((p[0] << 8) | p[1]);
	p[1] = (uint8_t)((p[1] & 0xfc) | out);
	cur = (uint16_t)((p[0] << 8) | p[1]);
	sum = (uint16_t)~(((uint32_t)p[10] << 8) | p[11]);
	sum += (uint16_t)~old;
	sum += cur;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	p[10] = (uint8_t)(~sum >> 8);
	p[11] = (uint8_t)~sum;
}

/*
 * Source check of a run of same-family packets in the allowed-IPs table,
 * then forwarding in order.
 */
static void
gw_wg_rx_forward_run(struct gw_wg_lcore *wl, struct gw_wg_agg *agg,
		     struct rte_mbuf **pkts, struct gw_wg_peer_dp **dps,
		     const uint32_t *wire, unsigned int n, bool v6)
{
	struct gw_lcore *lc = wl->lc;
	struct gw_gateway *gw = lc->gw;
	uint8_t a6[GW_WG_JOB_PKTS][RTE_FIB6_IPV6_ADDR_SIZE];
	uint32_t a4[GW_WG_JOB_PKTS];
	uint64_t res[GW_WG_JOB_PKTS];
	struct rte_mbuf *out[GW_WG_JOB_PKTS];
	struct gw_wg_agg_peer *a;
	const uint8_t *ip;
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		ip = rte_pktmbuf_mtod_offset(pkts[i], const uint8_t *,
					     pkts[i]->l2_len);
		if (v6) {
			memcpy(a6[i], ip + offsetof(struct rte_ipv6_hdr,
						    src_addr), 16);
		} else {
			memcpy(&a4[i], ip + offsetof(struct rte_ipv4_hdr,
						     src_addr), 4);
			a4[i] = rte_be_to_cpu_32(a4[i]);
		}
	}
	if (v6)
		gw_route_lookup6_bulk(&gw->rt, GW_RT_PEERS, a6, res, n);
	else
		gw_route_lookup4_bulk(&gw->rt, GW_RT_PEERS, a4, res, n);
	for (i = 0; i < n; i++) {
		if (res[i] != (GW_RT_PEER_FLAG | dps[i]->id)) {
			gw_drop(lc, pkts[i], GW_DROP_WG_ALLOWEDIPS_SRC);
			continue;
		}
		a = gw_wg_agg_get(wl->wg, agg, dps[i]);
		a->rx_data++;
		a->rx_bytes += wire[i];
		a->ev |= GW_WG_EV_RX;
		lc->stats.wg_rx_data++;
		out[k++] = pkts[i];
	}
	if (k == 0)
		return;
	if (v6)
		gw_ipv6_forward(lc, out, (uint16_t)k);
	else
		gw_ipv4_forward(lc, out, (uint16_t)k);
}

void
gw_wg_rx_complete(struct gw_wg_lcore *wl, struct gw_wg_job *job)
{
	struct gw_lcore *lc = wl->lc;
	struct gw_wg *wg = wl->wg;
	struct rte_mbuf *acc[GW_WG_JOB_PKTS];
	struct gw_wg_peer_dp *adp[GW_WG_JOB_PKTS];
	uint32_t awire[GW_WG_JOB_PKTS];
	bool av6[GW_WG_JOB_PKTS];
	struct gw_wg_agg agg;
	struct gw_wg_agg_peer *a;
	struct wg_endpoint src;
	struct gw_wg_peer_dp *dp;
	struct wg_keypair *kp;
	struct gw_wg_pkt *pk;
	struct rte_mbuf *m;
	unsigned int i, j, k = 0;
	uint32_t hdr, ilen, wire;
	uint8_t *inner;
	bool fresh, v6;

	agg.n = 0;
	for (i = 0; i < job->n; i++) {
		pk = &job->pkts[i];
		m = pk->m;
		if (unlikely(job->ops[i].status != 0)) {
			gw_drop(lc, m, job->ops[i].status == -ENOBUFS ?
				GW_DROP_WG_CRYPTO_FULL : GW_DROP_WG_DECRYPT);
			continue;
		}
		dp = pk->dp;
		kp = pk->kp;
		if (unlikely(gw_wg_dp_peer(dp) != kp->peer)) {
			gw_drop(lc, m, GW_DROP_WG_UNKNOWN_INDEX); /* removed */
			continue;
		}
		rte_spinlock_lock(&dp->replay_lock);
		fresh = wg_replay_check(&kp->replay, pk->counter);
		rte_spinlock_unlock(&dp->replay_lock);
		if (!fresh) {
			gw_drop(lc, m, GW_DROP_WG_REPLAY);
			continue;
		}

		/* authentic and fresh: roaming, key confirmation */
		a = gw_wg_agg_get(wg, &agg, dp);
		if (!a->have_ep) {
			gw_wg_ep_read(dp, &a->ep);
			a->have_ep = true;
		}
		gw_wg_rx_src(m, &src);
		if (unlikely(!gw_wg_ep_is(&a->ep, &src))) {
			rte_spinlock_lock(&dp->roam_lock);
			dp->roam = src;
			rte_spinlock_unlock(&dp->roam_lock);
			a->ev |= GW_WG_EV_ROAM;
			a->ep.family = src.family;
			a->ep.port = src.port;
			memcpy(a->ep.addr, src.addr, 16);
		}
		if (unlikely(kp == wg_keypairs_next(&kp->peer->keypairs))) {
			__atomic_store_n(&dp->confirm_id, kp->internal_id,
					 __ATOMIC_RELAXED);
			a->ev |= GW_WG_EV_CONFIRM;
		}

		wire = pk->len + (uint32_t)WG_DATA_MIN_LEN;
		if (pk->len == 0) {
			a->rx_keepalive++;
			a->rx_bytes += wire;
			a->ev |= GW_WG_EV_RX;
			lc->stats.wg_rx_keepalive++;
			rte_pktmbuf_free(m);
			continue;
		}
		hdr = (uint32_t)m->l3_len + (uint32_t)sizeof(struct rte_udp_hdr) +
			(uint32_t)WG_DATA_HEADER_LEN;
		inner = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len + hdr);
		ilen = gw_wg_inner_len(inner, pk->len, &v6);
		if (unlikely(ilen == 0)) {
			gw_drop(lc, m, GW_DROP_WG_INNER_HEADER);
			continue;
		}
		gw_wg_ecn_decap(inner, v6, pk->ds);

		/* inner packet with l2_len bytes of room in front, no padding */
		rte_pktmbuf_adj(m, (uint16_t)hdr);
		if (unlikely(rte_pktmbuf_trim(m, (uint16_t)
				(rte_pktmbuf_pkt_len(m) - (m->l2_len + ilen))) != 0)) {
			/* the excess spans segments: never forward a tail */
			gw_drop(lc, m, GW_DROP_WG_INNER_HEADER);
			continue;
		}
		gw_meta_init(m, GW_PORT_NONE);
		gw_meta(m)->flags = GW_PKT_F_WG |
			(dp->wif->index << GW_PKT_WG_IF_SHIFT);
		m->ol_flags = 0;
		m->packet_type = 0;
		acc[k] = m;
		adp[k] = dp;
		awire[k] = wire;
		av6[k] = v6;
		k++;
	}

	/* allowed IPs and forwarding, by runs of one family, in order */
	for (i = 0; i < k; i = j) {
		for (j = i + 1; j < k && av6[j] == av6[i]; j++)
			;
		gw_wg_rx_forward_run(wl, &agg, &acc[i], &adp[i], &awire[i],
				     j - i, av6[i]);
	}
	gw_wg_agg_flush(wg, &agg);
}
