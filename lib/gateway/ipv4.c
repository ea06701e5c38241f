/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
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
#include "neigh.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "wg_hook.h"

/* Fragments of one datagram at most (64 KiB at an MTU of 1280). */
#define GW_FRAG_MAX		64

/* Packets of one burst on their way out of the input stage. */
struct gw_ip_batch {
	uint16_t n_wg_rx;
	uint16_t n_wg_tx;
	struct rte_mbuf *wg_rx[GW_BURST];
	struct rte_mbuf *wg_tx[GW_BURST];
};

static inline bool
gw_ip4_is_fragment(const struct rte_ipv4_hdr *ip)
{
	return (ip->fragment_offset &
		RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0;
}

/* Whether a WireGuard interface listens on UDP port dport (network order). */
static inline bool
gw_ip_wg_listens(const struct gw_gateway *gw, rte_be16_t dport)
{
	unsigned int i;

	for (i = 0; i < gw->n_wg; i++)
		if (gw->wg[i].listen_port == rte_be_to_cpu_16(dport))
			return true;
	return false;
}

/*
 * Classify hook: a UDP datagram (not a fragment) to a WireGuard listen
 * port. The caller knows the destination is one of our addresses.
 */
static inline bool
gw_ipv4_is_wg(const struct gw_gateway *gw, struct rte_mbuf *m,
	      const struct rte_ipv4_hdr *ip)
{
	const struct rte_udp_hdr *udp;

	if (gw->n_wg == 0 || ip->next_proto_id != IPPROTO_UDP ||
	    gw_ip4_is_fragment(ip))
		return false;
	udp = gw_pkt_hdr(m, m->l2_len + m->l3_len, sizeof(*udp));
	return udp != NULL && gw_ip_wg_listens(gw, udp->dst_port);
}

/* Header checks of RFC 1812 5.2.2; trims link padding. */
static inline bool
gw_ipv4_check(struct gw_lcore *lc, const struct gw_port *port,
	      struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip;
	uint32_t ihl, tot;
	uint64_t f;

	ip = gw_pkt_hdr(m, m->l2_len, sizeof(*ip));
	if (ip == NULL || (ip->version_ihl >> 4) != 4) {
		gw_drop(lc, m, GW_DROP_IP4_MALFORMED);
		return false;
	}
	ihl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
		RTE_IPV4_IHL_MULTIPLIER;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (ihl < sizeof(*ip) || gw_pkt_hdr(m, m->l2_len, ihl) == NULL ||
	    tot < ihl || m->l2_len + tot > rte_pktmbuf_pkt_len(m)) {
		gw_drop(lc, m, GW_DROP_IP4_MALFORMED);
		return false;
	}
	f = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (port != NULL && port->rx_ip4_cksum &&
	    f == RTE_MBUF_F_RX_IP_CKSUM_BAD) {
		gw_drop(lc, m, GW_DROP_IP4_CKSUM);
		return false;
	}
	if ((port == NULL || !port->rx_ip4_cksum ||
	     f != RTE_MBUF_F_RX_IP_CKSUM_GOOD) &&
	    rte_raw_cksum(ip, ihl) != 0xffff) {
		gw_drop(lc, m, GW_DROP_IP4_CKSUM);
		return false;
	}
	gw_pkt_trim(m, m->l2_len + tot);
	m->l3_len = ihl;
	return true;
}

/* Delivery to the gateway itself. */
static void
gw_ipv4_local(struct gw_lcore *lc, struct rte_mbuf *m, struct gw_ip_batch *b)
{
	struct rte_ipv4_hdr *ip;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	if (gw_ipv4_is_wg(lc->gw, m, ip)) {
		b->wg_rx[b->n_wg_rx++] = m;
		return;
	}
	if (gw_ip4_is_fragment(ip)) {
		gw_drop(lc, m, GW_DROP_FRAGMENT);
		return;
	}
	switch (ip->next_proto_id) {
	case IPPROTO_ICMP:
		gw_icmp4_input(lc, m);
		return;
	case IPPROTO_UDP:
		gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH,
			       GW_ICMP_PORT_UNREACH, 0);
		break;
	case IPPROTO_TCP:
		break;		/* no listener; a RST is not worth it */
	default:
		gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH,
			       GW_ICMP_PROT_UNREACH, 0);
		break;
	}
	gw_drop(lc, m, GW_DROP_LOCAL_UNHANDLED);
}

/* Directed broadcast of one of our subnets (RFC 2644: not forwarded). */
static bool
gw_ipv4_is_subnet_bcast(const struct gw_port *p, rte_be32_t dst)
{
	unsigned int i;
	uint32_t h = rte_be_to_cpu_32(dst), host;

	for (i = 0; i < p->n_addr4; i++) {
		if (p->addr4[i].len >= 31 ||
		    !gw_ip4_in_prefix(dst, p->addr4[i].addr, p->addr4[i].len))
			continue;
		host = ~UINT32_C(0) >> p->addr4[i].len;
		if ((h & host) == host)
			return true;
	}
	return false;
}

/* Ethernet header, checksums, neighbour; next is the next-hop address. */
static void
gw_ipv4_xmit(struct gw_lcore *lc, struct rte_mbuf *m, const struct gw_port *out,
	     rte_be32_t next)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ether_addr mac;

	eth->src_addr = out->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	gw_port_tx_cksum(out, m);
	if (likely(gw_neigh_lookup(lc->gw->neigh, out->index, AF_INET,
				   (const uint8_t *)&next, &mac))) {
		eth->dst_addr = mac;
		gw_lcore_tx(lc, out->index, m);
		return;
	}
	gw_neigh_resolve(lc, out->index, AF_INET, (const uint8_t *)&next, m);
}

/*
 * RFC 1812 5.2.6: a datagram without DF that does not fit the egress MTU
 * is fragmented (rte_ip_frag: new headers, payload referenced by indirect
 * mbufs). Consumes m.
 */
static void
gw_ipv4_fragment(struct gw_lcore *lc, struct rte_mbuf *m,
		 const struct gw_port *out, rte_be32_t next)
{
	struct rte_mbuf *frags[GW_FRAG_MAX];
	struct gw_mbuf_meta meta = *gw_meta(m);
	uint16_t l2_len = m->l2_len;
	struct rte_mbuf *f;
	int32_t n, i;

	rte_pktmbuf_adj(m, l2_len);
	n = rte_ipv4_fragment_packet(m, frags, GW_FRAG_MAX, out->mtu,
				     out->pool, out->indirect_pool);
	if (n < 0) {
		gw_drop(lc, m, n == -ENOMEM ? GW_DROP_NO_MBUF : GW_DROP_MTU);
		return;
	}
	rte_pktmbuf_free(m);	/* the fragments hold references */
	lc->stats.frag_pkts++;
	for (i = 0; i < n; i++) {
		f = frags[i];
		if (rte_pktmbuf_prepend(f, l2_len) == NULL ||
		    (!out->tx_multi_seg && rte_pktmbuf_linearize(f) != 0)) {
			gw_drop(lc, f, GW_DROP_NO_MBUF);
			continue;
		}
		f->l2_len = l2_len;
		*gw_meta(f) = meta;
		gw_meta(f)->flags |= GW_PKT_F_CKSUM_IP4;
		gw_ipv4_xmit(lc, f, out, next);
	}
}

void
gw_ipv4_output(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res)
{
	struct gw_gateway *gw = lc->gw;
	const struct gw_nexthop *nh = gw_route_nh(&gw->rt, res);
	const struct gw_port *out = &gw->ports[nh->port];
	struct rte_ipv4_hdr *ip;
	rte_be32_t next;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	if (nh->kind == GW_NH_CONNECTED) {
		next = ip->dst_addr;
		if (unlikely(gw_ipv4_is_subnet_bcast(out, next))) {
			gw_drop(lc, m, GW_DROP_MCAST);
			return;
		}
	} else {
		memcpy(&next, nh->addr, 4);
	}
	if (unlikely(rte_be_to_cpu_16(ip->total_length) > out->mtu)) {
		if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) {
			gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH,
				       GW_ICMP_FRAG_NEEDED, out->mtu);
			gw_drop(lc, m, GW_DROP_MTU);
			return;
		}
		gw_ipv4_fragment(lc, m, out, next);
		return;
	}
	gw_ipv4_xmit(lc, m, out, next);
}

/* Acts on a route result for a packet that passed the input checks. */
static void
gw_ipv4_route(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res,
	      struct gw_ip_batch *b)
{
	enum gw_nh_kind kind = gw_route_kind(&lc->gw->rt, res);
	struct rte_ipv4_hdr *ip;

	gw_meta(m)->route = res;
	switch (kind) {
	case GW_NH_LOCAL:
		gw_ipv4_local(lc, m, b);
		return;
	case GW_NH_NONE:
		gw_icmp4_error(lc, m, GW_ICMP_DEST_UNREACH, GW_ICMP_NET_UNREACH,
			       0);
		gw_drop(lc, m, GW_DROP_NO_ROUTE);
		return;
	default:
		break;
	}
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	if (unlikely(ip->time_to_live <= 1)) {
		gw_icmp4_error(lc, m, GW_ICMP_TIME_EXCEEDED, 0, 0);
		gw_drop(lc, m, GW_DROP_TTL);
		return;
	}
	gw_ip4_dec_ttl(ip);
	lc->stats.fwd_pkts++;
	if (kind == GW_NH_PEER) {
		b->wg_tx[b->n_wg_tx++] = m;
		return;
	}
	gw_ipv4_output(lc, m, res);
}

static void
gw_ip_batch_flush(struct gw_lcore *lc, struct gw_ip_batch *b)
{
	if (b->n_wg_rx != 0)
		gw_wg_input(lc, b->wg_rx, b->n_wg_rx);
	if (b->n_wg_tx != 0)
		gw_wg_output(lc, b->wg_tx, b->n_wg_tx);
	b->n_wg_rx = 0;
	b->n_wg_tx = 0;
}

/* Route lookup and dispatch for packets that passed the checks. */
static void
gw_ipv4_lookup_route(struct gw_lcore *lc, struct rte_mbuf **pkts,
		     uint32_t *dst, uint16_t n, struct gw_ip_batch *b)
{
	uint64_t res[GW_BURST];
	uint16_t i;

	if (n == 0)
		return;
	gw_route_lookup4_bulk(&lc->gw->rt, GW_RT_FWD, dst, res, n);
	for (i = 0; i < n; i++)
		gw_ipv4_route(lc, pkts[i], res[i], b);
}

/* n <= GW_BURST */
void
gw_ipv4_input(struct gw_lcore *lc, const struct gw_port *port,
	      struct rte_mbuf **pkts, uint16_t n)
{
	struct gw_gateway *gw = lc->gw;
	struct rte_mbuf *fwd[GW_BURST];
	uint32_t dst[GW_BURST];
	struct gw_ip_batch b;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint16_t i, k = 0;

	b.n_wg_rx = 0;
	b.n_wg_tx = 0;
	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (!gw_ipv4_check(lc, port, m))
			continue;
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					     m->l2_len);
		if (gw_ip4_is_martian_src(ip->src_addr) ||
		    gw_ip4_is_martian_dst(ip->dst_addr) ||
		    gw_port_has_addr4(port, ip->src_addr)) {
			gw_drop(lc, m, GW_DROP_MARTIAN);
			continue;
		}
		if (gw_ip4_is_mcast_or_bcast(ip->dst_addr) ||
		    (gw_meta(m)->flags & GW_PKT_F_L2_MCAST)) {
			gw_drop(lc, m, GW_DROP_MCAST);
			continue;
		}
		/* the hot WireGuard path skips the FIB */
		if (gw_port_has_addr4(port, ip->dst_addr) &&
		    gw_ipv4_is_wg(gw, m, ip)) {
			b.wg_rx[b.n_wg_rx++] = m;
			continue;
		}
		fwd[k] = m;
		dst[k++] = rte_be_to_cpu_32(ip->dst_addr);
	}
	gw_ipv4_lookup_route(lc, fwd, dst, k, &b);
	gw_ip_batch_flush(lc, &b);
}

void
gw_ipv4_forward(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *fwd[GW_BURST];
	uint32_t dst[GW_BURST];
	struct gw_ip_batch b;
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint16_t i, k;

	b.n_wg_rx = 0;
	b.n_wg_tx = 0;
	while (n > 0) {
		k = 0;
		for (i = 0; i < RTE_MIN(n, (uint16_t)GW_BURST); i++) {
			m = pkts[i];
			if (!gw_ipv4_check(lc, NULL, m))
				continue;
			ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
						     m->l2_len);
			if (gw_ip4_is_martian_src(ip->src_addr) ||
			    gw_ip4_is_martian_dst(ip->dst_addr) ||
			    gw_ip4_is_mcast_or_bcast(ip->dst_addr)) {
				gw_drop(lc, m, GW_DROP_MARTIAN);
				continue;
			}
			fwd[k] = m;
			dst[k++] = rte_be_to_cpu_32(ip->dst_addr);
		}
		gw_ipv4_lookup_route(lc, fwd, dst, k, &b);
		gw_ip_batch_flush(lc, &b);
		pkts += i;
		n -= i;
	}
}

void
gw_ipv4_send(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_rt_table t)
{
	struct gw_gateway *gw = lc->gw;
	struct rte_ipv4_hdr *ip;
	uint32_t dst;
	uint64_t res;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	dst = rte_be_to_cpu_32(ip->dst_addr);
	gw_route_lookup4_bulk(&gw->rt, t, &dst, &res, 1);
	gw_meta(m)->route = res;
	switch (gw_route_kind(&gw->rt, res)) {
	case GW_NH_CONNECTED:
	case GW_NH_GATEWAY:
		gw_ipv4_output(lc, m, res);
		return;
	case GW_NH_PEER:
		gw_wg_output(lc, &m, 1);
		return;
	case GW_NH_LOCAL:
		gw_drop(lc, m, GW_DROP_LOCAL_UNHANDLED);
		return;
	default:
		gw_drop(lc, m, GW_DROP_NO_ROUTE);
		return;
	}
}
