/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "gateway.h"
#include "icmp.h"
#include "ip.h"
#include "lcore.h"
#include "pkt.h"
#include "port.h"

/* RFC 4443 2.4(c): the error packet stays within the minimum MTU. */
#define GW_ICMP6_MAX_LEN	1280
#define GW_ICMP6_HOP_LIMIT	64

struct gw_icmp6_hdr {
	uint8_t type;
	uint8_t code;
	rte_be16_t cksum;
	rte_be32_t data;	/* echo: id + seq; errors: MTU/pointer/unused */
} __rte_packed;

void
gw_icmp6_input(struct gw_lcore *lc, struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip6;
	struct gw_icmp6_hdr *icmp;
	uint8_t a[16];
	uint32_t len;

	ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	len = rte_be_to_cpu_16(ip6->payload_len);
	icmp = gw_pkt_hdr(m, m->l2_len + sizeof(*ip6), len);
	if (icmp == NULL || len < sizeof(*icmp) ||
	    gw_icmp6_cksum(ip6, icmp, len) != 0) {
		gw_drop(lc, m, GW_DROP_ICMP_MALFORMED);
		return;
	}
	if (icmp->type != GW_ICMP6_ECHO_REQUEST || icmp->code != 0) {
		lc->stats.local_pkts++;
		rte_pktmbuf_free(m);
		return;
	}
	icmp->type = GW_ICMP6_ECHO_REPLY;
	memcpy(a, ip6->src_addr, 16);
	memcpy(ip6->src_addr, ip6->dst_addr, 16);
	memcpy(ip6->dst_addr, a, 16);
	ip6->hop_limits = GW_ICMP6_HOP_LIMIT;
	icmp->cksum = 0;
	icmp->cksum = gw_icmp6_cksum(ip6, icmp, len);
	m->ol_flags = 0;
	lc->stats.local_pkts++;
	gw_ipv6_send(lc, m, GW_RT_FWD);
}

/* As gw_icmp4_src: the WireGuard interface, the receiving port, any. */
static bool
gw_icmp6_src(struct gw_lcore *lc, const struct gw_mbuf_meta *meta,
	     const uint8_t *dst, uint8_t *src)
{
	struct gw_gateway *gw = lc->gw;
	uint16_t in_port = meta->in_port;
	const struct gw_wg_cfg *w;
	unsigned int i;

	if ((meta->flags & GW_PKT_F_WG) &&
	    GW_PKT_WG_IF(meta->flags) < gw->n_wg) {
		w = gw->wg[GW_PKT_WG_IF(meta->flags)].cfg;
		for (i = 0; i < w->n_addrs; i++) {
			if (w->addrs[i].family == AF_INET6) {
				memcpy(src, w->addrs[i].addr, 16);
				return true;
			}
		}
	}
	if (in_port < gw->n_ports && gw_port_src6(&gw->ports[in_port], dst, src))
		return true;
	if (gw_ip6_is_linklocal(dst))
		return false;
	for (i = 0; i < gw->n_ports; i++)
		if (gw->ports[i].n_addr6 > 0 &&
		    gw_port_src6(&gw->ports[i], dst, src))
			return true;
	return false;
}

void
gw_icmp6_error(struct gw_lcore *lc, struct rte_mbuf *m, uint8_t type,
	       uint8_t code, uint32_t info)
{
	struct gw_gateway *gw = lc->gw;
	struct gw_mbuf_meta *meta = gw_meta(m);
	const struct rte_ipv6_hdr *oip;
	const uint8_t *otype;
	struct rte_ipv6_hdr *ip6;
	struct gw_icmp6_hdr *icmp;
	struct rte_mempool *mp;
	struct rte_mbuf *e;
	uint32_t olen, quote, avail;
	uint16_t in_port = meta->in_port;
	uint8_t *p;

	oip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *,
				      m->l2_len);
	/* RFC 4443 2.4(e): not about multicast, except Packet Too Big */
	if (gw_ip6_is_mcast(oip->src_addr) ||
	    gw_ip6_is_unspecified(oip->src_addr) ||
	    gw_ip6_is_loopback(oip->src_addr) ||
	    (type != GW_ICMP6_PKT_TOO_BIG &&
	     (gw_ip6_is_mcast(oip->dst_addr) ||
	      (meta->flags & GW_PKT_F_L2_MCAST))))
		return;
	if (oip->proto == IPPROTO_ICMPV6) {
		otype = gw_pkt_hdr(m, m->l2_len + sizeof(*oip), 1);
		if (otype == NULL || *otype < 128)	/* an error itself */
			return;
	}
	if (!gw_icmp_ratelimit_allow(lc))
		return;

	olen = sizeof(*oip) + rte_be_to_cpu_16(oip->payload_len);
	avail = rte_pktmbuf_data_len(m) - m->l2_len;
	quote = RTE_MIN(olen, avail);
	quote = RTE_MIN(quote, GW_ICMP6_MAX_LEN - sizeof(*ip6) - sizeof(*icmp));

	mp = gw->ports[in_port < gw->n_ports ? in_port : 0].pool;
	e = gw_pkt_alloc(mp);
	if (e == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(e, RTE_ETHER_HDR_LEN + sizeof(*ip6) +
					  sizeof(*icmp) + quote);
	if (p == NULL) {
		gw_drop(lc, e, GW_DROP_NO_MBUF);
		return;
	}
	memset(p, 0, RTE_ETHER_HDR_LEN);
	((struct rte_ether_hdr *)p)->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6 = (struct rte_ipv6_hdr *)(p + RTE_ETHER_HDR_LEN);
	icmp = (struct gw_icmp6_hdr *)(ip6 + 1);

	if (!gw_icmp6_src(lc, meta, oip->src_addr, ip6->src_addr)) {
		rte_pktmbuf_free(e);
		return;
	}
	ip6->vtc_flow = RTE_BE32(6 << 28);
	ip6->payload_len = rte_cpu_to_be_16(sizeof(*icmp) + quote);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = GW_ICMP6_HOP_LIMIT;
	memcpy(ip6->dst_addr, oip->src_addr, 16);
	icmp->type = type;
	icmp->code = code;
	icmp->cksum = 0;
	icmp->data = rte_cpu_to_be_32(info);
	memcpy(icmp + 1, oip, quote);
	icmp->cksum = gw_icmp6_cksum(ip6, icmp, sizeof(*icmp) + quote);

	e->l2_len = RTE_ETHER_HDR_LEN;
	e->l3_len = sizeof(*ip6);
	/* link-local replies leave where the original came in */
	gw_meta(e)->in_port = in_port;
	lc->stats.icmp_sent++;
	gw_ipv6_send(lc, e, GW_RT_FWD);
}
