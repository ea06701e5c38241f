/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_STATS_H
#define GW_STATS_H

/*
 * Per-lcore counters. Each lcore writes only its own block (plain stores,
 * no atomics); readers (shutdown summary, later telemetry) sum the blocks
 * and may see values a few packets old.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

/* Why a packet was dropped. Names in gw_drop_name(). */
enum gw_drop_reason {
	GW_DROP_ETH_SHORT,	/* truncated Ethernet header */
	GW_DROP_ETH_NOT_US,	/* unicast frame for another MAC */
	GW_DROP_ETH_LOOP,	/* our own source MAC (looped back) */
	GW_DROP_ETH_TYPE,	/* ether type we do not handle (VLAN, ...) */
	GW_DROP_ARP_MALFORMED,	/* truncated or not Ethernet/IPv4 */
	GW_DROP_ARP_OTHER,	/* request for another host, reply consumed */
	GW_DROP_IP4_MALFORMED,	/* truncated, bad version/IHL/length */
	GW_DROP_IP4_CKSUM,	/* bad IPv4 header checksum */
	GW_DROP_IP6_MALFORMED,	/* truncated, bad version/length */
	GW_DROP_IP6_SCOPE,	/* link-local address that cannot be forwarded */
	GW_DROP_MARTIAN,	/* impossible source/destination address */
	GW_DROP_MCAST,		/* multicast/broadcast we do not serve */
	GW_DROP_ND_INVALID,	/* NS/NA failing RFC 4861 validation */
	GW_DROP_ND_OTHER,	/* RS/RA/redirect, NS for another target */
	GW_DROP_ICMP_MALFORMED,	/* local ICMP/ICMPv6 truncated or bad checksum */
	GW_DROP_LOCAL_UNHANDLED,/* local delivery to a protocol we do not serve */
	GW_DROP_FRAGMENT,	/* fragment addressed to us (no reassembly) */
	GW_DROP_NO_ROUTE,	/* no route to destination */
	GW_DROP_TTL,		/* TTL / hop limit exceeded on forward */
	GW_DROP_MTU,		/* larger than the egress MTU */
	GW_DROP_NEIGH_QUEUE,	/* too many packets waiting for resolution */
	GW_DROP_NEIGH_FAILED,	/* neighbour did not answer */
	GW_DROP_NEIGH_FULL,	/* neighbour table full */
	GW_DROP_NO_MBUF,	/* mempool empty */
	GW_DROP_TX_FULL,	/* TX queue or inter-lcore ring full */
	/* WireGuard, receive side (before any cryptography first) */
	GW_DROP_WG_BAD_MESSAGE,	/* unknown type, wrong length, bad UDP length */
	GW_DROP_WG_HS_RING_FULL,/* handshake queue to the control lcore full */
	GW_DROP_WG_MAC1,	/* under load: mac1 wrong (I/O lcore) */
	GW_DROP_WG_COOKIE_SENT,	/* under load, no cookie: I/O lcore replied */
	GW_DROP_WG_COOKIE_BUDGET,/* under load, no cookie, reply budget spent */
	GW_DROP_WG_UNKNOWN_INDEX,/* receiver index of no session */
	GW_DROP_WG_KEYPAIR_EXPIRED,/* session too old or invalidated */
	GW_DROP_WG_DECRYPT,	/* authentication tag did not verify */
	GW_DROP_WG_REPLAY,	/* counter seen, too old or exhausted */
	GW_DROP_WG_INNER_HEADER,/* decrypted packet not IPv4/IPv6 or lying length */
	GW_DROP_WG_ALLOWEDIPS_SRC,/* inner source not in the peer's allowed IPs */
	/* WireGuard, send side */
	GW_DROP_WG_NO_PEER,	/* tunnel address without a peer (ICMP unreachable) */
	GW_DROP_WG_NO_ENDPOINT,	/* peer's endpoint unknown (ICMP unreachable) */
	GW_DROP_WG_STAGE_RING_FULL,/* no session: queue to the control lcore full */
	/* WireGuard, both */
	GW_DROP_WG_CRYPTO_FULL,	/* in-order FIFO or crypto lcore ring full */
	GW_DROP_WG_NO_ROOM,	/* segmented mbuf, no head/tail room for headers */
	GW_DROP_MAX
};

struct gw_lcore_stats {
	uint64_t rx_pkts;		/* received from ports */
	uint64_t tx_pkts;		/* accepted by TX queues */
	uint64_t fwd_pkts;		/* forwarded between ports */
	uint64_t local_pkts;		/* delivered to the gateway itself */
	uint64_t frag_pkts;		/* IPv4 packets fragmented on output */
	uint64_t polls_busy;		/* loop iterations that found work */
	uint64_t polls_idle;		/* loop iterations that found none */
	uint64_t icmp_sent;		/* ICMP/ICMPv6 errors generated */
	uint64_t icmp_ratelimited;	/* ICMP errors suppressed */
	uint64_t neigh_requests;	/* ARP requests / NS sent */
	uint64_t neigh_replies;		/* ARP replies / NA sent */
	uint64_t wg_rx_data;		/* WireGuard data messages accepted */
	uint64_t wg_rx_keepalive;	/* keepalives accepted (not forwarded) */
	uint64_t wg_rx_handshake;	/* handshake messages queued to control */
	uint64_t wg_tx_cookie;		/* cookie replies sent by this I/O lcore */
	uint64_t wg_tx_data;		/* data messages encrypted by the data path */
	uint64_t wg_tx_staged;		/* packets handed to control: no session */
	uint64_t wg_crypto_jobs;	/* crypto lcore: jobs (bursts) it ran */
	uint64_t wg_jobs_held;		/* io lcore: a finished job waited for an
					 * older one (ordering at work) */
	uint64_t drops[GW_DROP_MAX];
} __rte_cache_aligned;

const char *
gw_drop_name(enum gw_drop_reason r);

/* Adds src into dst. */
void
gw_stats_add(struct gw_lcore_stats *dst, const struct gw_lcore_stats *src);

/* Prints one block (name: a heading such as "lcore 1" or "total"). */
void
gw_stats_print(FILE *f, const char *name, const struct gw_lcore_stats *s);

#endif /* GW_STATS_H */
