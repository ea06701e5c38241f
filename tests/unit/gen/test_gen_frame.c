/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * dpdk-wg-gen: the frames it builds parse back, every truncation or
 * inconsistent length of a received frame is refused, the inner packet
 * check catches each kind of damage, and the latency histogram's
 * quantiles stay within its resolution.
 */

#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "stats.h"
#include "test.h"

static const struct rte_ether_addr mac_a = {
	.addr_bytes = { 0x02, 0, 0, 0, 0, 0x0a } };
static const struct rte_ether_addr mac_b = {
	.addr_bytes = { 0x02, 0, 0, 0, 0, 0x0b } };

static uint32_t
ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = { a, b, c, d };
	uint32_t r;

	memcpy(&r, v, 4);
	return r;
}

static void
test_outer_roundtrip(void)
{
	uint8_t buf[GEN_FRAME_HDRS + 200];
	struct gen_udp4 u;
	uint32_t len = GEN_FRAME_HDRS + 148, l;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + GEN_ETH_LEN);

	memset(buf, 0x77, sizeof(buf));
	gen_frame_udp4(buf, &mac_a, &mac_b, ip4(100, 64, 0, 1),
		       ip4(198, 18, 0, 1), 51820, 51821, 148, 7);
	CHECK(rte_ipv4_cksum(ip) == 0);
	CHECK(gen_parse_udp4(buf, len, &u));
	CHECK(u.sip == ip4(100, 64, 0, 1) && u.dip == ip4(198, 18, 0, 1));
	CHECK(u.sport == 51820 && u.dport == 51821 && u.ttl == GEN_TTL);
	CHECK(u.payload == buf + GEN_FRAME_HDRS && u.payload_len == 148);
	/* Ethernet padding after the datagram is allowed */
	CHECK(gen_parse_udp4(buf, len + 20, &u) && u.payload_len == 148);

	/* every truncation is refused */
	for (l = 0; l < len; l++)
		CHECK(!gen_parse_udp4(buf, l, &u));

	/* inconsistent lengths, options, fragments, protocol, version */
	ip->total_length = rte_cpu_to_be_16(27);
	CHECK(!gen_parse_udp4(buf, len, &u));
	ip->total_length = rte_cpu_to_be_16(20 + 8 + 148);
	((struct rte_udp_hdr *)(ip + 1))->dgram_len = rte_cpu_to_be_16(7);
	CHECK(!gen_parse_udp4(buf, len, &u));
	((struct rte_udp_hdr *)(ip + 1))->dgram_len = rte_cpu_to_be_16(157);
	CHECK(!gen_parse_udp4(buf, len, &u));
	((struct rte_udp_hdr *)(ip + 1))->dgram_len = rte_cpu_to_be_16(156);
	CHECK(gen_parse_udp4(buf, len, &u));
	ip->version_ihl = 0x44;
	CHECK(!gen_parse_udp4(buf, len, &u));
	ip->version_ihl = 0x65;
	CHECK(!gen_parse_udp4(buf, len, &u));
	/* a 24-byte header: UDP moves, and must fit what is left */
	ip->version_ihl = 0x46;
	CHECK(!gen_parse_udp4(buf, len, &u));
	*(uint16_t *)(buf + GEN_ETH_LEN + 24 + 4) = rte_cpu_to_be_16(152);
	CHECK(gen_parse_udp4(buf, len, &u) &&
	      u.payload == buf + GEN_FRAME_HDRS + 4 && u.payload_len == 144);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
	CHECK(!gen_parse_udp4(buf, len, &u));
	ip->fragment_offset = rte_cpu_to_be_16(1);
	CHECK(!gen_parse_udp4(buf, len, &u));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	CHECK(gen_parse_udp4(buf, len, &u));
	ip->next_proto_id = IPPROTO_TCP;
	CHECK(!gen_parse_udp4(buf, len, &u));
	ip->next_proto_id = IPPROTO_UDP;
	((struct rte_ether_hdr *)buf)->ether_type =
		rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	CHECK(!gen_parse_udp4(buf, len, &u));
}

static void
test_inner(void)
{
	const uint32_t src = ip4(10, 64, 0, 2), dst = ip4(10, 10, 0, 2);
	struct gen_payload pl = {
		.magic = GEN_MAGIC, .peer = 42, .seq = 1234567,
		.gseq = 99, .tsc = 5 }, got;
	uint8_t buf[1500];
	uint16_t sizes[] = { 60, 64, 100, 576, 1420 };
	unsigned int i;
	uint32_t l;

	gen_pattern_init();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint16_t s = sizes[i];

		memset(buf, 0, sizeof(buf));
		gen_inner_build(buf, s, src, dst, 10042, GEN_INNER_SPORT, &pl);
		memset(&got, 0, sizeof(got));
		CHECK(gen_inner_check(buf, s, src, dst, GEN_TTL, true, &got));
		CHECK(got.peer == 42 && got.seq == 1234567 && got.gseq == 99 &&
		      got.tsc == 5);
		/* padded (as after decryption): still fine */
		CHECK(gen_inner_check(buf, s + 12, src, dst, GEN_TTL, true,
				      &got));
		CHECK(gen_inner_peek(buf, s, &got) && got.peer == 42);
		/* truncated */
		for (l = 0; l < s; l += 7)
			CHECK(!gen_inner_check(buf, l, src, dst, GEN_TTL, true,
					       &got));
		/* wrong TTL, addresses */
		CHECK(!gen_inner_check(buf, s, src, dst, GEN_TTL - 1, true,
				       &got));
		CHECK(!gen_inner_check(buf, s, dst, src, GEN_TTL, true, &got));
		/* a flipped pattern byte: caught by the full check only */
		if (s > 60) {
			buf[s - 1] ^= 1;
			CHECK(!gen_inner_check(buf, s, src, dst, GEN_TTL, true,
					       &got));
			CHECK(gen_inner_check(buf, s, src, dst, GEN_TTL, false,
					      &got));
			buf[s - 1] ^= 1;
		}
		/* a flipped header byte: the IPv4 checksum */
		buf[8] ^= 0x10;
		CHECK(!gen_inner_check(buf, s, src, dst, GEN_TTL, false, &got));
		buf[8] ^= 0x10;
		/* the magic */
		buf[GEN_UDP4_HDRS] ^= 1;
		CHECK(!gen_inner_check(buf, s, src, dst, GEN_TTL, false, &got));
		CHECK(!gen_inner_peek(buf, s, &got));
		buf[GEN_UDP4_HDRS] ^= 1;
	}
}

static void
test_latency(void)
{
	static struct gen_lat l;
	uint64_t v, q;
	unsigned int i;

	memset(&l, 0, sizeof(l));
	CHECK(gen_lat_quantile(&l, 0.5) == 0);
	/* 1..100000 ns: each quantile within the 1/32 resolution */
	for (v = 1; v <= 100000; v++)
		gen_lat_add(&l, v);
	CHECK(l.n == 100000 && l.min == 1 && l.max == 100000);
	for (i = 1; i < 1000; i += 37) {
		double want = (double)i * 100.0;

		q = gen_lat_quantile(&l, (double)i / 1000.0);
		CHECK((double)q >= want * 0.99 && (double)q <= want * 1.04 + 1);
	}
	CHECK(gen_lat_quantile(&l, 1.0) == 100000);
	/* huge values land in the last bucket, the max stays exact */
	gen_lat_add(&l, UINT64_C(1) << 50);
	CHECK(l.max == UINT64_C(1) << 50);
	CHECK(gen_lat_quantile(&l, 1.0) == UINT64_C(1) << 50);
}

int
main(void)
{
	test_outer_roundtrip();
	test_inner();
	test_latency();
	TEST_MAIN_END();
}
