/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_PKT_H
#define GW_PKT_H

/*
 * Packet helpers shared by the stages: per-mbuf metadata, bounds-checked
 * header access, address predicates and checksums. Header-only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

/* Ports are numbered by the gateway (index in gw_gateway.ports). */
#define GW_PORT_NONE		UINT16_MAX

/*
 * Metadata in the mbuf private area (every mempool of the gateway is
 * created with GW_MBUF_PRIV_SIZE). Valid from RX until TX; stages that
 * hand packets on (WireGuard hooks, inter-lcore rings) use it to carry
 * their results.
 */
struct gw_mbuf_meta {
	uint64_t route;		/* last FIB result (see route.h) */
	uint16_t in_port;	/* receiving port or GW_PORT_NONE */
	uint16_t out_port;	/* transmit port for frames sent by another lcore */
	uint32_t flags;		/* GW_PKT_F_* */
	uint32_t peer_gen;	/* WireGuard staging: gw_wg_peer_dp.gen */
};

#define GW_PKT_F_L2_MCAST	(1u << 0)	/* received as L2 multicast/broadcast */
/* Checksums left for the output path (gw_port_tx_cksum on the egress port). */
#define GW_PKT_F_CKSUM_IP4	(1u << 1)	/* IPv4 header checksum */
#define GW_PKT_F_CKSUM_UDP	(1u << 2)	/* UDP over IPv4 (with _IP4) or IPv6 */
/*
 * UDP over IPv4 (with _IP4): offloaded where the port can, else left 0
 * ("no checksum", RFC 768). For WireGuard data, whose payload is
 * authenticated: summing 1420 B in software costs 15-25 % of the AEAD.
 */
#define GW_PKT_F_CKSUM_UDP4_HW	(1u << 4)
#define GW_PKT_F_CKSUM_MASK	(GW_PKT_F_CKSUM_IP4 | GW_PKT_F_CKSUM_UDP | \
				 GW_PKT_F_CKSUM_UDP4_HW)
/*
 * Decrypted from a peer of WireGuard interface GW_PKT_WG_IF(flags): ICMP
 * errors about it take their source from that interface's addresses (a
 * port address would not be in the peer's allowed IPs for the gateway).
 */
#define GW_PKT_F_WG		(1u << 3)
#define GW_PKT_WG_IF_SHIFT	8
#define GW_PKT_WG_IF(flags)	(((flags) >> GW_PKT_WG_IF_SHIFT) & 0xff)

#define GW_MBUF_PRIV_SIZE \
	RTE_ALIGN(sizeof(struct gw_mbuf_meta), RTE_MBUF_PRIV_ALIGN)

static inline struct gw_mbuf_meta *
gw_meta(struct rte_mbuf *m)
{
	return (struct gw_mbuf_meta *)rte_mbuf_to_priv(m);
}

/* Resets the metadata of a packet entering the gateway (RX or built here). */
static inline void
gw_meta_init(struct rte_mbuf *m, uint16_t in_port)
{
	struct gw_mbuf_meta *meta = gw_meta(m);

	meta->route = 0;
	meta->in_port = in_port;
	meta->out_port = GW_PORT_NONE;
	meta->flags = 0;
}

/* A packet built by the gateway, empty, metadata reset; NULL if none. */
static inline struct rte_mbuf *
gw_pkt_alloc(struct rte_mempool *mp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	if (m != NULL)
		gw_meta_init(m, GW_PORT_NONE);
	return m;
}

/*
 * Pointer to len bytes at offset off of the first segment, or NULL when the
 * first segment is shorter. Every header read from the wire goes through it.
 */
static inline void *
gw_pkt_hdr(struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	if (unlikely((uint64_t)off + len > rte_pktmbuf_data_len(m)))
		return NULL;
	return rte_pktmbuf_mtod_offset(m, void *, off);
}

/* Removes link-layer padding beyond the IP datagram (l3_end from the start). */
static inline void
gw_pkt_trim(struct rte_mbuf *m, uint32_t l3_end)
{
	if (rte_pktmbuf_pkt_len(m) > l3_end)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - l3_end));
}

/* IPv4 (network order) predicates. */
static inline bool
gw_ip4_is_mcast_or_bcast(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);

	return (h & 0xf0000000) == 0xe0000000 || h == 0xffffffff;
}

static inline bool
gw_ip4_is_martian_src(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);

	return (h & 0xff000000) == 0 ||			/* 0.0.0.0/8 */
		(h & 0xff000000) == 0x7f000000 ||	/* 127.0.0.0/8 */
		(h & 0xf0000000) >= 0xe0000000;		/* mcast, class E, bcast */
}

static inline bool
gw_ip4_is_martian_dst(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);

	return (h & 0xff000000) == 0 || (h & 0xff000000) == 0x7f000000 ||
		((h & 0xf0000000) == 0xf0000000 && h != 0xffffffff);
}

static inline bool
gw_ip4_in_prefix(rte_be32_t a, rte_be32_t net, uint8_t len)
{
	uint32_t mask = len == 0 ? 0 : ~UINT32_C(0) << (32 - len);

	return ((rte_be_to_cpu_32(a) ^ rte_be_to_cpu_32(net)) & mask) == 0;
}

/* IPv6 predicates (16-byte network-order addresses). */
static inline bool
gw_ip6_is_mcast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
gw_ip6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline bool
gw_ip6_is_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

static inline bool
gw_ip6_is_loopback(const uint8_t *a)
{
	static const uint8_t lo[16] = { [15] = 1 };

	return memcmp(a, lo, 16) == 0;
}

static inline bool
gw_ip6_in_prefix(const uint8_t *a, const uint8_t *net, uint8_t len)
{
	unsigned int bytes = len / 8, bits = len % 8;

	if (memcmp(a, net, bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a[bytes] ^ net[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

/* ff02::1:ffXX:XXXX for target (RFC 4291 2.7.1). */
static inline void
gw_ip6_solicited_node(const uint8_t *target, uint8_t *out)
{
	static const uint8_t pfx[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff,
	};

	memcpy(out, pfx, sizeof(pfx));
	memcpy(out + 13, target + 13, 3);
}

/* 33:33:xx:xx:xx:xx for an IPv6 multicast address (RFC 2464 7). */
static inline void
gw_ip6_mcast_mac(const uint8_t *group, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], group + 12, 4);
}

/* One's complement sum helpers. */
static inline uint16_t
gw_cksum_fold(uint32_t sum)
{
	return (uint16_t)~__rte_raw_cksum_reduce(sum);
}

/* ICMPv6 checksum over the pseudo-header and len bytes of message. */
static inline uint16_t
gw_icmp6_cksum(const struct rte_ipv6_hdr *ip6, const void *msg, uint32_t len)
{
	uint32_t sum, tail[2];

	tail[0] = rte_cpu_to_be_32(len);
	tail[1] = rte_cpu_to_be_32(IPPROTO_ICMPV6);
	sum = __rte_raw_cksum(ip6->src_addr, 32, 0);
	sum = __rte_raw_cksum(tail, sizeof(tail), sum);
	sum = __rte_raw_cksum(msg, len, sum);
	return gw_cksum_fold(sum);
}

/*
 * Decrements the TTL and patches the header checksum incrementally
 * (RFC 1624). The caller has checked ttl > 1.
 */
static inline void
gw_ip4_dec_ttl(struct rte_ipv4_hdr *ip)
{
	uint32_t sum = ip->hdr_checksum;

	sum += rte_cpu_to_be_16(0x0100);
	ip->hdr_checksum = (uint16_t)(sum + (sum >= 0xffff));
	ip->time_to_live--;
}

#endif /* GW_PKT_H */
