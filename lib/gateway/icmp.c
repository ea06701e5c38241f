/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "gateway.h"
#include "icmp.h"
#include "ip.h"
#include "lcore.h"
#include "pkt.h"
#include "port.h"

/* RFC 1812 4.3.2.3: the error datagram stays within 576 bytes. */
#define GW_ICMP4_MAX_LEN	576
#define GW_ICMP_TTL		64
#define GW_ICMP_TOS		0xc0	/* internetwork control */

bool
gw_icmp_ratelimit_allow(struct gw_lcore *lc)
{
	struct gw_ratelimit *rl = &lc->icmp_rl;
	uint64_t now = rte_get_tsc_cycles();
	uint64_t cost = lc->gw->tsc_hz / GW_ICMP_RATE;
	uint64_t cap = cost * GW_ICMP_BURST;

	rl->tokens += now - rl->last_tsc;
	rl->last_tsc = now;
	if (rl->tokens > cap)
		rl->tokens = cap;
	if (rl->tokens < cost) {
		lc->stats.icmp_ratelimited++;
		return false;
	}
	rl->tokens -= cost;
	return true;
}

static bool
gw_icmp4_is_error_type(uint8_t type)
{
	return type == GW_ICMP_DEST_UNREACH || type == 4 /* source quench */ ||
		type == 5 /* redirect */ || type == GW_ICMP_TIME_EXCEEDED ||
		type == 12 /* parameter problem */;
}

void
gw_icmp4_input(struct gw_lcore *lc, struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	uint32_t ihl, len;
	rte_be32_t a;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	ihl = m->l3_len;
	len = rte_be_to_cpu_16(ip->total_length) - ihl;
	icmp = gw_pkt_hdr(m, m->l2_len + ihl, len);
	if (icmp == NULL || len < sizeof(*icmp) ||
	    rte_raw_cksum(icmp, len) != 0xffff) {
		gw_drop(lc, m, GW_DROP_ICMP_MALFORMED);
		return;
	}
	if (icmp->icmp_type != GW_ICMP_ECHO_REQUEST || icmp->icmp_code != 0) {
		/* echo replies, errors about our own packets: consumed */
		lc->stats.local_pkts++;
		rte_pktmbuf_free(m);
		return;
	}

	/* echo reply in place; IP options are not echoed */
	if (ihl > sizeof(*ip)) {
		uint32_t opt = ihl - sizeof(*ip);

		memmove(rte_pktmbuf_mtod_offset(m, uint8_t *, opt),
			rte_pktmbuf_mtod(m, uint8_t *), m->l2_len + sizeof(*ip));
		rte_pktmbuf_adj(m, (uint16_t)opt);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					     m->l2_len);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + len);
		m->l3_len = sizeof(*ip);
	}
	icmp->icmp_type = GW_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, len);
	a = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = GW_ICMP_TTL;
	ip->fragment_offset &= RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	m->ol_flags = 0;
	gw_meta(m)->flags |= GW_PKT_F_CKSUM_IP4;
	lc->stats.local_pkts++;
	gw_ipv4_send(lc, m, GW_RT_FWD);
}

/*
 * Source for an error: an address of the WireGuard interface the packet
 * was decrypted from, or of the port it came in on, else any.
 */
static bool
gw_icmp4_src(struct gw_lcore *lc, const struct gw_mbuf_meta *meta,
	     rte_be32_t dst, rte_be32_t *src)
{
	struct gw_gateway *gw = lc->gw;
	uint16_t in_port = meta->in_port;
	const struct gw_wg_cfg *w;
	unsigned int i;

	if ((meta->flags & GW_PKT_F_WG) &&
	    GW_PKT_WG_IF(meta->flags) < gw->n_wg) {
		w = gw->wg[GW_PKT_WG_IF(meta->flags)].cfg;
		for (i = 0; i < w->n_addrs; i++) {
			if (w->addrs[i].family == AF_INET) {
				memcpy(src, w->addrs[i].addr, 4);
				return true;
			}
		}
	}
	if (in_port < gw->n_ports && gw_port_src4(&gw->ports[in_port], dst, src))
		return true;
	for (i = 0; i < gw->n_ports; i++)
		if (gw_port_src4(&gw->ports[i], dst, src))
			return true;
	return false;
}

void
gw_icmp4_error(struct gw_lcore *lc, struct rte_mbuf *m, uint8_t type,
	       uint8_t code, uint32_t info)
{
	struct gw_gateway *gw = lc->gw;
	struct gw_mbuf_meta *meta = gw_meta(m);
	const struct rte_ipv4_hdr *oip;
	const struct rte_icmp_hdr *oicmp;
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	struct rte_mempool *mp;
	struct rte_mbuf *e;
	uint32_t olen, quote, avail;
	uint16_t in_port = meta->in_port;
	rte_be32_t src;
	uint8_t *p;

	oip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
				      m->l2_len);
	if ((meta->flags & GW_PKT_F_L2_MCAST) ||
	    gw_ip4_is_martian_src(oip->src_addr) ||
	    gw_ip4_is_mcast_or_bcast(oip->dst_addr) ||
	    (oip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return;
	if (oip->next_proto_id == IPPROTO_ICMP) {
		oicmp = gw_pkt_hdr(m, m->l2_len + m->l3_len, 1);
		if (oicmp == NULL || gw_icmp4_is_error_type(oicmp->icmp_type))
			return;
	}
	if (!gw_icmp_ratelimit_allow(lc))
		return;
	if (!gw_icmp4_src(lc, meta, oip->src_addr, &src))
		return;

	olen = rte_be_to_cpu_16(oip->total_length);
	avail = rte_pktmbuf_data_len(m) - m->l2_len;
	quote = RTE_MIN(olen, avail);
	quote = RTE_MIN(quote, GW_ICMP4_MAX_LEN - sizeof(*ip) - sizeof(*icmp));

	mp = gw->ports[in_port < gw->n_ports ? in_port : 0].pool;
	e = gw_pkt_alloc(mp);
	if (e == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(e, RTE_ETHER_HDR_LEN + sizeof(*ip) +
					  sizeof(*icmp) + quote);
	if (p == NULL) {
		gw_drop(lc, e, GW_DROP_NO_MBUF);
		return;
	}
	memset(p, 0, RTE_ETHER_HDR_LEN);
	((struct rte_ether_hdr *)p)->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
	icmp = (struct rte_icmp_hdr *)(ip + 1);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = GW_ICMP_TOS;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*icmp) +
					    quote);
	ip->packet_id = 0;
	ip->fragment_offset = 0;
	ip->time_to_live = GW_ICMP_TTL;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->hdr_checksum = 0;
	ip->src_addr = src;
	ip->dst_addr = oip->src_addr;

	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	/* RFC 1191: next-hop MTU in the low 16 bits of the second word */
	icmp->icmp_ident = 0;
	icmp->icmp_seq_nb = rte_cpu_to_be_16((uint16_t)info);
	memcpy(icmp + 1, oip, quote);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp,
						    sizeof(*icmp) + quote);

	e->l2_len = RTE_ETHER_HDR_LEN;
	e->l3_len = sizeof(*ip);
	/* link-local replies leave where the original came in */
	gw_meta(e)->in_port = in_port;
	gw_meta(e)->flags |= GW_PKT_F_CKSUM_IP4;
	lc->stats.icmp_sent++;
	gw_ipv4_send(lc, e, GW_RT_FWD);
}
