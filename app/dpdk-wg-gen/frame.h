/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_FRAME_H
#define GEN_FRAME_H

/*
 * Frames the generator builds and parses: Ethernet + IPv4 + UDP outside,
 * and the inner test packet (IPv4 + UDP + the generator's header + a fixed
 * byte pattern). Every length read from a received frame is checked
 * before anything behind it is touched.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#define GEN_ETH_LEN		RTE_ETHER_HDR_LEN		/* 14 */
#define GEN_UDP4_HDRS		(20 + 8)			/* IPv4 + UDP */
#define GEN_FRAME_HDRS		(GEN_ETH_LEN + GEN_UDP4_HDRS)	/* 42 */
#define GEN_MAGIC		0x31474757u	/* "WGG1" little-endian */
#define GEN_INNER_SPORT		9000		/* LAN host's UDP port */
#define GEN_INNER_DPORT_BASE	10000		/* + peer id % 50000 */
#define GEN_TTL			64
#define GEN_PATTERN_MAX		9216

/* At the start of the inner UDP payload (host byte order). */
struct gen_payload {
	uint32_t magic;
	uint32_t peer;
	uint64_t seq;		/* per peer and direction */
	uint64_t gseq;		/* per direction */
	uint64_t tsc;		/* TSC at transmission; 0: see gseq */
} __attribute__((packed));

_Static_assert(sizeof(struct gen_payload) == 32, "payload header size");
_Static_assert(GEN_UDP4_HDRS + sizeof(struct gen_payload) == 60,
	       "smallest inner packet");

/* A received IPv4/UDP datagram, located inside its frame. */
struct gen_udp4 {
	uint32_t sip, dip;		/* network order */
	uint16_t sport, dport;		/* host order */
	uint8_t ttl;
	const uint8_t *payload;
	uint16_t payload_len;
};

void
gen_pattern_init(void);
/* The byte expected at offset off of an inner packet's pattern area. */
const uint8_t *
gen_pattern(void);

/*
 * Ethernet, IPv4 (checksum filled) and UDP headers (checksum 0, allowed
 * over IPv4) for a payload of payload_len bytes at buf + 42.
 */
void
gen_frame_udp4(uint8_t *buf, const struct rte_ether_addr *src,
	       const struct rte_ether_addr *dst, uint32_t sip, uint32_t dip,
	       uint16_t sport, uint16_t dport, uint16_t payload_len,
	       uint16_t ip_id);

/*
 * The inner test packet of size bytes (>= 60) at buf: IPv4 sip -> dip
 * (TTL 64, checksum filled), UDP sport -> dport, the header, the pattern.
 */
void
gen_inner_build(uint8_t *buf, uint16_t size, uint32_t sip, uint32_t dip,
		uint16_t sport, uint16_t dport, const struct gen_payload *pl);

/*
 * Parses an Ethernet frame of len bytes holding IPv4/UDP: version, header
 * length, total length within the frame, no fragment, UDP length within
 * the IP packet. False if anything is off.
 */
bool
gen_parse_udp4(const uint8_t *frame, uint32_t len, struct gen_udp4 *out);

/*
 * Checks an inner packet (pkt/len as delivered: an IPv4 packet): header
 * checksum, addresses, TTL (ttl), UDP length, magic; copies the header out.
 * full: also the whole pattern. False if anything is off.
 */
bool
gen_inner_check(const uint8_t *pkt, uint32_t len, uint32_t sip, uint32_t dip,
		uint8_t ttl, bool full, struct gen_payload *pl);

/* Reads the generator's header of an inner packet (unchecked beyond len). */
bool
gen_inner_peek(const uint8_t *pkt, uint32_t len, struct gen_payload *pl);

#endif /* GEN_FRAME_H */
