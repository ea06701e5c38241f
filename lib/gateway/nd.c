/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "gateway.h"
#include "lcore.h"
#include "nd.h"
#include "neigh.h"
#include "pkt.h"
#include "port.h"

/* NS and NA share this layout (RFC 4861 4.3, 4.4). */
struct gw_nd_msg {
	uint8_t type;
	uint8_t code;
	rte_be16_t cksum;
	rte_be32_t flags;	/* NA: R S O; NS: reserved */
	uint8_t target[16];
} __rte_packed;

struct gw_nd_opt_lla {
	uint8_t type;
	uint8_t len;		/* in units of 8 bytes */
	uint8_t mac[RTE_ETHER_ADDR_LEN];
} __rte_packed;

#define GW_ND_OPT_SLLA		1
#define GW_ND_OPT_TLLA		2
#define GW_ND_NA_ROUTER		RTE_BE32(0x80000000)
#define GW_ND_NA_SOLICITED	RTE_BE32(0x40000000)
#define GW_ND_NA_OVERRIDE	RTE_BE32(0x20000000)
#define GW_ND_HOP_LIMIT		255

#define GW_ND_LEN	(sizeof(struct gw_nd_msg) + sizeof(struct gw_nd_opt_lla))

static const uint8_t gw_ip6_all_nodes[16] = {
	0xff, 0x02, [15] = 0x01,
};

/*
 * Walks the options after the fixed part. Returns false if one is
 * malformed (zero length, past the end); points *lla at buf holding the
 * link-layer address option of type want, if present and well formed,
 * else sets it to NULL.
 */
static bool
gw_nd_options(const uint8_t *opt, uint32_t len, uint8_t want,
	      struct rte_ether_addr *buf, const struct rte_ether_addr **lla)
{
	uint32_t off = 0, olen;

	*lla = NULL;
	while (off < len) {
		if (len - off < 2)
			return false;
		olen = (uint32_t)opt[off + 1] * 8;
		if (olen == 0 || olen > len - off)
			return false;
		if (opt[off] == want && olen == sizeof(struct gw_nd_opt_lla)) {
			memcpy(buf->addr_bytes, opt + off + 2,
			       RTE_ETHER_ADDR_LEN);
			*lla = buf;
		}
		off += olen;
	}
	return true;
}

/* An on-link source we may learn: link-local or on one of port's prefixes. */
static bool
gw_nd_on_link(const struct gw_port *p, const uint8_t *a)
{
	unsigned int i;

	if (gw_ip6_is_linklocal(a))
		return true;
	for (i = 0; i < p->n_addr6; i++)
		if (gw_ip6_in_prefix(a, p->addr6[i].addr, p->addr6[i].len))
			return true;
	return false;
}

/* Builds an NS or NA with one link-layer address option (ours). */
static struct rte_mbuf *
gw_nd_build(const struct gw_port *p, uint8_t type, const uint8_t *src,
	    const uint8_t *dst, const struct rte_ether_addr *dmac,
	    const uint8_t *target, rte_be32_t flags)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip6;
	struct gw_nd_msg *msg;
	struct gw_nd_opt_lla *opt;
	struct rte_mbuf *m;

	m = gw_pkt_alloc(p->pool);
	if (m == NULL)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
		sizeof(*eth) + sizeof(*ip6) + GW_ND_LEN);
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	msg = (struct gw_nd_msg *)(ip6 + 1);
	opt = (struct gw_nd_opt_lla *)(msg + 1);

	eth->dst_addr = *dmac;
	eth->src_addr = p->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = RTE_BE32(6 << 28);
	ip6->payload_len = rte_cpu_to_be_16(GW_ND_LEN);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = GW_ND_HOP_LIMIT;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	msg->type = type;
	msg->code = 0;
	msg->cksum = 0;
	msg->flags = flags;
	memcpy(msg->target, target, 16);
	opt->type = type == GW_ICMP6_NS ? GW_ND_OPT_SLLA : GW_ND_OPT_TLLA;
	opt->len = 1;
	memcpy(opt->mac, p->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	msg->cksum = gw_icmp6_cksum(ip6, msg, GW_ND_LEN);
	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip6);
	return m;
}

static void
gw_nd_ns_input(struct gw_lcore *lc, const struct gw_port *port,
	       struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
	       const struct gw_nd_msg *ns, uint32_t len)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ether_addr *slla, *dmac;
	struct rte_ether_addr mcast_mac, slla_buf;
	uint8_t group[16];
	const uint8_t *dst;
	struct rte_mbuf *na;
	bool dad;

	if (gw_ip6_is_mcast(ns->target) ||
	    !gw_nd_options((const uint8_t *)(ns + 1), len - sizeof(*ns),
			   GW_ND_OPT_SLLA, &slla_buf, &slla)) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	dad = gw_ip6_is_unspecified(ip6->src_addr);
	gw_ip6_solicited_node(ns->target, group);
	/* DAD probes go to the solicited-node group and carry no SLLA */
	if (dad && (memcmp(ip6->dst_addr, group, 16) != 0 || slla != NULL)) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	if (!gw_port_has_addr6(port, ns->target) ||
	    (gw_ip6_is_mcast(ip6->dst_addr) &&
	     memcmp(ip6->dst_addr, group, 16) != 0)) {
		gw_drop(lc, m, GW_DROP_ND_OTHER);
		return;
	}
	if (slla != NULL && rte_is_same_ether_addr(slla, &port->mac)) {
		gw_drop(lc, m, GW_DROP_ETH_LOOP);
		return;
	}

	/* RFC 4861 7.2.3: learn the solicitor, then answer it */
	if (!dad && slla != NULL && gw_nd_on_link(port, ip6->src_addr))
		gw_neigh_update(lc, port->index, AF_INET6, ip6->src_addr, slla,
				GW_NEIGH_F_CREATE | GW_NEIGH_F_OVERRIDE);

	if (dad) {
		dst = gw_ip6_all_nodes;
		gw_ip6_mcast_mac(dst, &mcast_mac);
		dmac = &mcast_mac;
	} else {
		dst = ip6->src_addr;
		dmac = slla != NULL ? slla : &eth->src_addr;
	}
	na = gw_nd_build(port, GW_ICMP6_NA, ns->target, dst, dmac, ns->target,
			 GW_ND_NA_ROUTER | GW_ND_NA_OVERRIDE |
			 (dad ? 0 : GW_ND_NA_SOLICITED));
	lc->stats.local_pkts++;
	rte_pktmbuf_free(m);
	if (na == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return;
	}
	lc->stats.neigh_replies++;
	gw_lcore_tx(lc, port->index, na);
}

static void
gw_nd_na_input(struct gw_lcore *lc, const struct gw_port *port,
	       struct rte_mbuf *m, const struct rte_ipv6_hdr *ip6,
	       const struct gw_nd_msg *na, uint32_t len)
{
	const struct rte_ether_addr *tlla;
	struct rte_ether_addr tlla_buf;

	if (gw_ip6_is_mcast(na->target) ||
	    (gw_ip6_is_mcast(ip6->dst_addr) &&
	     (na->flags & GW_ND_NA_SOLICITED)) ||
	    !gw_nd_options((const uint8_t *)(na + 1), len - sizeof(*na),
			   GW_ND_OPT_TLLA, &tlla_buf, &tlla)) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	if (gw_port_has_addr6(port, na->target)) {
		/* someone else claims our address */
		gw_drop(lc, m, GW_DROP_ND_OTHER);
		return;
	}
	/* solicited or not: update an existing entry only (RFC 4861 7.2.5) */
	if (tlla != NULL && !rte_is_same_ether_addr(tlla, &port->mac))
		gw_neigh_update(lc, port->index, AF_INET6, na->target, tlla,
				(na->flags & GW_ND_NA_OVERRIDE) ?
				GW_NEIGH_F_OVERRIDE : 0);
	else if (tlla == NULL && (na->flags & GW_ND_NA_SOLICITED))
		gw_neigh_confirm(lc, port->index, AF_INET6, na->target);
	lc->stats.local_pkts++;
	rte_pktmbuf_free(m);
}

void
gw_nd_input(struct gw_lcore *lc, const struct gw_port *port,
	    struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip6;
	const struct gw_nd_msg *msg;
	uint32_t len;

	ip6 = gw_pkt_hdr(m, m->l2_len, sizeof(*ip6));
	if (ip6 == NULL) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	len = rte_be_to_cpu_16(ip6->payload_len);
	msg = gw_pkt_hdr(m, m->l2_len + sizeof(*ip6), len);
	if (msg == NULL || len < 4) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	if (msg->type != GW_ICMP6_NS && msg->type != GW_ICMP6_NA) {
		gw_drop(lc, m, GW_DROP_ND_OTHER);	/* RS, RA, redirect */
		return;
	}
	if (len < sizeof(*msg)) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	/* RFC 4861 7.1: hop limit 255 (not forwarded), code 0, checksum */
	if (ip6->hop_limits != GW_ND_HOP_LIMIT || msg->code != 0 ||
	    gw_icmp6_cksum(ip6, msg, len) != 0) {
		gw_drop(lc, m, GW_DROP_ND_INVALID);
		return;
	}
	if (msg->type == GW_ICMP6_NS)
		gw_nd_ns_input(lc, port, m, ip6, msg, len);
	else
		gw_nd_na_input(lc, port, m, ip6, msg, len);
}

void
gw_nd_solicit(struct gw_lcore *lc, uint16_t port, const uint8_t *target,
	      const struct rte_ether_addr *dst)
{
	const struct gw_port *p = &lc->gw->ports[port];
	struct rte_ether_addr mcast_mac;
	uint8_t src[16], group[16];
	struct rte_mbuf *m;

	if (!gw_port_src6(p, target, src))
		return;
	if (dst != NULL) {
		/* re-probe: unicast to the address we have (RFC 4861 7.3.3) */
		m = gw_nd_build(p, GW_ICMP6_NS, src, target, dst, target, 0);
	} else {
		gw_ip6_solicited_node(target, group);
		gw_ip6_mcast_mac(group, &mcast_mac);
		m = gw_nd_build(p, GW_ICMP6_NS, src, group, &mcast_mac, target,
				0);
	}
	if (m == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return;
	}
	lc->stats.neigh_requests++;
	gw_lcore_tx(lc, port, m);
}
