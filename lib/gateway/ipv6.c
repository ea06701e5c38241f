/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "gateway.h"
#include "icmp.h"
#include "ip.h"
#include "lcore.h"
#include "nd.h"
#include "neigh.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "wg_hook.h"

struct gw_ip6_batch {
	uint16_t n_wg_rx;
	uint16_t n_wg_tx;
	struct rte_mbuf *wg_rx[GW_BURST];
	struct rte_mbuf *wg_tx[GW_BURST];
};

/* Classify hook: UDP (no extension headers) to a WireGuard listen port. */
static inline bool
gw_ipv6_is_wg(const struct gw_gateway *gw, struct rte_mbuf *m,
	      const struct rte_ipv6_hdr *ip6)
{
	const struct rte_udp_hdr *udp;
	unsigned int i;

	if (gw->n_wg == 0 || ip6->proto != IPPROTO_UDP)
		return false;
	udp = gw_pkt_hdr(m, m->l2_len + m->l3_len, sizeof(*udp));
	if (udp == NULL)
		return false;
	for (i = 0; i < gw->n_wg; i++)
		if (gw->wg[i].listen_port == rte_be_to_cpu_16(udp->dst_port))
			return true;
	return false;
}

static inline bool
gw_ipv6_check(struct gw_lcore *lc, struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip6;
	uint32_t plen;

	ip6 = gw_pkt_hdr(m, m->l2_len, sizeof(*ip6));
	if (ip6 == NULL ||
	    (rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6) {
		gw_drop(lc, m, GW_DROP_IP6_MALFORMED);
		return false;
	}
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (m->l2_len + sizeof(*ip6) + plen > rte_pktmbuf_pkt_len(m)) {
		gw_drop(lc, m, GW_DROP_IP6_MALFORMED);
		return false;
	}
	gw_pkt_trim(m, m->l2_len + sizeof(*ip6) + plen);
	m->l3_len = sizeof(*ip6);
	return true;
}

static void
gw_ipv6_local(struct gw_lcore *lc, struct rte_mbuf *m,
	      struct gw_ip6_batch *b)
{
	struct rte_ipv6_hdr *ip6;

	ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	if (gw_ipv6_is_wg(lc->gw, m, ip6)) {
		b->wg_rx[b->n_wg_rx++] = m;
		return;
	}
	switch (ip6->proto) {
	case IPPROTO_ICMPV6:
		gw_icmp6_input(lc, m);
		return;
	case IPPROTO_UDP:
		gw_icmp6_error(lc, m, GW_ICMP6_DEST_UNREACH,
			       GW_ICMP6_PORT_UNREACH, 0);
		break;
	case IPPROTO_FRAGMENT:
		gw_drop(lc, m, GW_DROP_FRAGMENT);
		return;
	default:
		/* TCP, extension headers: nothing listens */
		break;
	}
	gw_drop(lc, m, GW_DROP_LOCAL_UNHANDLED);
}

void
gw_ipv6_output(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res)
{
	struct gw_gateway *gw = lc->gw;
	const struct gw_nexthop *nh = gw_route_nh(&gw->rt, res);
	const struct gw_port *out = &gw->ports[nh->port];
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip6;
	struct rte_ether_addr mac;
	const uint8_t *next;

	ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	if (unlikely(sizeof(*ip6) + rte_be_to_cpu_16(ip6->payload_len) >
		     out->mtu)) {
		gw_icmp6_error(lc, m, GW_ICMP6_PKT_TOO_BIG, 0, out->mtu);
		gw_drop(lc, m, GW_DROP_MTU);
		return;
	}
	next = nh->kind == GW_NH_CONNECTED ? ip6->dst_addr : nh->addr;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->src_addr = out->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	gw_port_tx_cksum(out, m);
	if (likely(gw_neigh_lookup(gw->neigh, out->index, AF_INET6, next,
				   &mac))) {
		eth->dst_addr = mac;
		gw_lcore_tx(lc, out->index, m);
		return;
	}
	gw_neigh_resolve(lc, out->index, AF_INET6, next, m);
}

static void
gw_ipv6_route(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res,
	      struct gw_ip6_batch *b)
{
	enum gw_nh_kind kind = gw_route_kind(&lc->gw->rt, res);
	struct rte_ipv6_hdr *ip6;

	gw_meta(m)->route = res;
	switch (kind) {
	case GW_NH_LOCAL:
		gw_ipv6_local(lc, m, b);
		return;
	case GW_NH_NONE:
		gw_icmp6_error(lc, m, GW_ICMP6_DEST_UNREACH, GW_ICMP6_NOROUTE,
			       0);
		gw_drop(lc, m, GW_DROP_NO_ROUTE);
		return;
	default:
		break;
	}
	ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	if (unlikely(gw_ip6_is_linklocal(ip6->src_addr))) {
		/* RFC 4291 2.5.6: never forwarded off the link */
		gw_drop(lc, m, GW_DROP_IP6_SCOPE);
		return;
	}
	if (unlikely(ip6->hop_limits <= 1)) {
		gw_icmp6_error(lc, m, GW_ICMP6_TIME_EXCEEDED, 0, 0);
		gw_drop(lc, m, GW_DROP_TTL);
		return;
	}
	ip6->hop_limits--;
	lc->stats.fwd_pkts++;
	if (kind == GW_NH_PEER) {
		b->wg_tx[b->n_wg_tx++] = m;
		return;
	}
	gw_ipv6_output(lc, m, res);
}

static void
gw_ip6_batch_flush(struct gw_lcore *lc, struct gw_ip6_batch *b)
{
	if (b->n_wg_rx != 0)
		gw_wg_input(lc, b->wg_rx, b->n_wg_rx);
	if (b->n_wg_tx != 0)
		gw_wg_output(lc, b->wg_tx, b->n_wg_tx);
	b->n_wg_rx = 0;
	b->n_wg_tx = 0;
}

static void
gw_ipv6_lookup_route(struct gw_lcore *lc, struct rte_mbuf **pkts,
		     uint8_t dst[][RTE_FIB6_IPV6_ADDR_SIZE], uint16_t n,
		     struct gw_ip6_batch *b)
{
	uint64_t res[GW_BURST];
	uint16_t i;

	if (n == 0)
		return;
	gw_route_lookup6_bulk(&lc->gw->rt, GW_RT_FWD, dst, res, n);
	for (i = 0; i < n; i++)
		gw_ipv6_route(lc, pkts[i], res[i], b);
}

/* Source and destination checks common to port input and forwarding. */
static inline bool
gw_ipv6_martian(const struct rte_ipv6_hdr *ip6)
{
	return gw_ip6_is_mcast(ip6->src_addr) ||
		gw_ip6_is_loopback(ip6->src_addr) ||
		gw_ip6_is_unspecified(ip6->src_addr) ||
		gw_ip6_is_loopback(ip6->dst_addr) ||
		gw_ip6_is_unspecified(ip6->dst_addr);
}

/* n <= GW_BURST */
void
gw_ipv6_input(struct gw_lcore *lc, const struct gw_port *port,
	      struct rte_mbuf **pkts, uint16_t n)
{
	struct gw_gateway *gw = lc->gw;
	uint8_t dst[GW_BURST][RTE_FIB6_IPV6_ADDR_SIZE];
	struct rte_mbuf *fwd[GW_BURST];
	struct gw_ip6_batch b;
	struct rte_ipv6_hdr *ip6;
	const uint8_t *type;
	struct rte_mbuf *m;
	uint16_t i, k = 0;

	b.n_wg_rx = 0;
	b.n_wg_tx = 0;
	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (!gw_ipv6_check(lc, m))
			continue;
		ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
					      m->l2_len);
		/* Neighbor Discovery first: DAD has an unspecified source */
		if (ip6->proto == IPPROTO_ICMPV6) {
			type = gw_pkt_hdr(m, m->l2_len + sizeof(*ip6), 1);
			if (type != NULL && gw_nd_is_nd_type(*type)) {
				gw_nd_input(lc, port, m);
				continue;
			}
		}
		if (gw_ipv6_martian(ip6) ||
		    gw_port_has_addr6(port, ip6->src_addr)) {
			gw_drop(lc, m, GW_DROP_MARTIAN);
			continue;
		}
		if (gw_ip6_is_mcast(ip6->dst_addr) ||
		    (gw_meta(m)->flags & GW_PKT_F_L2_MCAST)) {
			gw_drop(lc, m, GW_DROP_MCAST);
			continue;
		}
		if (gw_ip6_is_linklocal(ip6->dst_addr)) {
			/* link scope: ours on this port, or nobody's */
			if (!gw_port_has_addr6(port, ip6->dst_addr)) {
				gw_drop(lc, m, GW_DROP_IP6_SCOPE);
				continue;
			}
			gw_meta(m)->route = GW_RT_NONE;
			gw_ipv6_local(lc, m, &b);
			continue;
		}
		if (gw_port_has_addr6(port, ip6->dst_addr) &&
		    gw_ipv6_is_wg(gw, m, ip6)) {
			b.wg_rx[b.n_wg_rx++] = m;
			continue;
		}
		fwd[k] = m;
		memcpy(dst[k++], ip6->dst_addr, 16);
	}
	gw_ipv6_lookup_route(lc, fwd, dst, k, &b);
	gw_ip6_batch_flush(lc, &b);
}

void
gw_ipv6_forward(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	uint8_t dst[GW_BURST][RTE_FIB6_IPV6_ADDR_SIZE];
	struct rte_mbuf *fwd[GW_BURST];
	struct gw_ip6_batch b;
	struct rte_ipv6_hdr *ip6;
	struct rte_mbuf *m;
	uint16_t i, k;

	b.n_wg_rx = 0;
	b.n_wg_tx = 0;
	while (n > 0) {
		k = 0;
		for (i = 0; i < RTE_MIN(n, (uint16_t)GW_BURST); i++) {
			m = pkts[i];
			if (!gw_ipv6_check(lc, m))
				continue;
			ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
						      m->l2_len);
			if (gw_ipv6_martian(ip6) ||
			    gw_ip6_is_mcast(ip6->dst_addr) ||
			    gw_ip6_is_linklocal(ip6->dst_addr)) {
				gw_drop(lc, m, GW_DROP_MARTIAN);
				continue;
			}
			fwd[k] = m;
			memcpy(dst[k++], ip6->dst_addr, 16);
		}
		gw_ipv6_lookup_route(lc, fwd, dst, k, &b);
		gw_ip6_batch_flush(lc, &b);
		pkts += i;
		n -= i;
	}
}

void
gw_ipv6_send(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_rt_table t)
{
	struct gw_gateway *gw = lc->gw;
	uint8_t dst[1][RTE_FIB6_IPV6_ADDR_SIZE];
	struct rte_ipv6_hdr *ip6;
	struct rte_ether_addr mac;
	uint16_t in_port;
	uint64_t res;

	ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	if (gw_ip6_is_linklocal(ip6->dst_addr)) {
		/* on-link only: back out of the port it came from */
		in_port = gw_meta(m)->in_port;
		if (in_port >= gw->n_ports) {
			gw_drop(lc, m, GW_DROP_IP6_SCOPE);
			return;
		}
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr =
			gw->ports[in_port].mac;
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->ether_type =
			RTE_BE16(RTE_ETHER_TYPE_IPV6);
		gw_port_tx_cksum(&gw->ports[in_port], m);
		if (gw_neigh_lookup(gw->neigh, in_port, AF_INET6,
				    ip6->dst_addr, &mac)) {
			rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr =
				mac;
			gw_lcore_tx(lc, in_port, m);
		} else {
			gw_neigh_resolve(lc, in_port, AF_INET6, ip6->dst_addr,
					 m);
		}
		return;
	}
	memcpy(dst[0], ip6->dst_addr, 16);
	gw_route_lookup6_bulk(&gw->rt, t, dst, &res, 1);
	gw_meta(m)->route = res;
	switch (gw_route_kind(&gw->rt, res)) {
	case GW_NH_CONNECTED:
	case GW_NH_GATEWAY:
		gw_ipv6_output(lc, m, res);
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
