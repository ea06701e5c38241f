/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_byteorder.h>

#include "frame.h"

static uint8_t gen_pattern_bytes[GEN_PATTERN_MAX];

void
gen_pattern_init(void)
{
	unsigned int i;

	for (i = 0; i < GEN_PATTERN_MAX; i++)
		gen_pattern_bytes[i] = (uint8_t)(i * 151u + 89u + (i >> 8));
}

const uint8_t *
gen_pattern(void)
{
	return gen_pattern_bytes;
}

static void
gen_ip4_hdr(struct rte_ipv4_hdr *ip, uint32_t sip, uint32_t dip,
	    uint16_t total_len, uint16_t ip_id)
{
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(total_len);
	ip->packet_id = rte_cpu_to_be_16(ip_id);
	ip->fragment_offset = 0;
	ip->time_to_live = GEN_TTL;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = sip;
	ip->dst_addr = dip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

static void
gen_udp_hdr(struct rte_udp_hdr *udp, uint16_t sport, uint16_t dport,
	    uint16_t payload_len)
{
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(payload_len + 8));
	udp->dgram_cksum = 0;
}

void
gen_frame_udp4(uint8_t *buf, const struct rte_ether_addr *src,
	       const struct rte_ether_addr *dst, uint32_t sip, uint32_t dip,
	       uint16_t sport, uint16_t dport, uint16_t payload_len,
	       uint16_t ip_id)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	gen_ip4_hdr((struct rte_ipv4_hdr *)(buf + GEN_ETH_LEN), sip, dip,
		    (uint16_t)(payload_len + GEN_UDP4_HDRS), ip_id);
	gen_udp_hdr((struct rte_udp_hdr *)(buf + GEN_ETH_LEN + 20), sport,
		    dport, payload_len);
}

void
gen_inner_build(uint8_t *buf, uint16_t size, uint32_t sip, uint32_t dip,
		uint16_t sport, uint16_t dport, const struct gen_payload *pl)
{
	const uint32_t hdrs = GEN_UDP4_HDRS + sizeof(*pl);

	gen_ip4_hdr((struct rte_ipv4_hdr *)buf, sip, dip, size, 0);
	gen_udp_hdr((struct rte_udp_hdr *)(buf + 20), sport, dport,
		    (uint16_t)(size - GEN_UDP4_HDRS));
	memcpy(buf + GEN_UDP4_HDRS, pl, sizeof(*pl));
	if (size > hdrs)
		memcpy(buf + hdrs, gen_pattern_bytes + hdrs, size - hdrs);
}

bool
gen_parse_udp4(const uint8_t *frame, uint32_t len, struct gen_udp4 *out)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint32_t ihl, total, ulen;

	if (len < GEN_ETH_LEN + 20 ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return false;
	ip = (const struct rte_ipv4_hdr *)(frame + GEN_ETH_LEN);
	if ((ip->version_ihl >> 4) != 4)
		return false;
	ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;
	total = rte_be_to_cpu_16(ip->total_length);
	if (ihl < 20 || total < ihl + 8 || total > len - GEN_ETH_LEN)
		return false;
	/* MF set or a fragment offset: not a whole datagram */
	if ((rte_be_to_cpu_16(ip->fragment_offset) & 0x3fff) != 0 ||
	    ip->next_proto_id != IPPROTO_UDP)
		return false;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (ulen < 8 || ulen > total - ihl)
		return false;
	out->sip = ip->src_addr;
	out->dip = ip->dst_addr;
	out->ttl = ip->time_to_live;
	out->sport = rte_be_to_cpu_16(udp->src_port);
	out->dport = rte_be_to_cpu_16(udp->dst_port);
	out->payload = (const uint8_t *)udp + 8;
	out->payload_len = (uint16_t)(ulen - 8);
	return true;
}

bool
gen_inner_peek(const uint8_t *pkt, uint32_t len, struct gen_payload *pl)
{
	if (len < GEN_UDP4_HDRS + sizeof(*pl) || (pkt[0] & 0xf0) != 0x40)
		return false;
	memcpy(pl, pkt + GEN_UDP4_HDRS, sizeof(*pl));
	return pl->magic == GEN_MAGIC;
}

bool
gen_inner_check(const uint8_t *pkt, uint32_t len, uint32_t sip, uint32_t dip,
		uint8_t ttl, bool full, struct gen_payload *pl)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)pkt;
	const struct rte_udp_hdr *udp;
	const uint32_t hdrs = GEN_UDP4_HDRS + sizeof(*pl);
	uint32_t total;

	if (len < hdrs || ip->version_ihl != RTE_IPV4_VHL_DEF)
		return false;
	total = rte_be_to_cpu_16(ip->total_length);
	if (total < hdrs || total > len || total > GEN_PATTERN_MAX ||
	    rte_ipv4_cksum(ip) != 0 ||
	    ip->next_proto_id != IPPROTO_UDP || ip->time_to_live != ttl ||
	    ip->src_addr != sip || ip->dst_addr != dip)
		return false;
	udp = (const struct rte_udp_hdr *)(pkt + 20);
	if (rte_be_to_cpu_16(udp->dgram_len) != total - 20)
		return false;
	memcpy(pl, pkt + GEN_UDP4_HDRS, sizeof(*pl));
	if (pl->magic != GEN_MAGIC)
		return false;
	if (full && total > hdrs &&
	    memcmp(pkt + hdrs, gen_pattern_bytes + hdrs, total - hdrs) != 0)
		return false;
	return true;
}
