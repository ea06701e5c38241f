/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_ROUTE_H
#define GW_ROUTE_H

/*
 * Routing: rte_fib (IPv4, DIR-24-8) and rte_fib6 (IPv6, trie) whose values
 * are route results:
 *
 *   0                       no route
 *   1 .. GW_RT_MAX_NH-1     index into the next-hop table (local, connected,
 *                           via a gateway, or a WireGuard interface subnet)
 *   GW_RT_PEER_FLAG | id    a WireGuard peer (its allowed IPs), peer id
 *
 * so that hundreds of thousands of peers need no next-hop entry each.
 *
 * Three tables per family:
 *   GW_RT_FWD       connected, static, local and WireGuard interface
 *                   subnet routes;
 *   GW_RT_PEERS     the peers' allowed IPs;
 *   GW_RT_UNDERLAY  the gateway's own outer (encrypted) packets: FWD's
 *                   routes but the WireGuard interface subnets, so that
 *                   an allowed IP 0.0.0.0/0 does not capture the tunnel's
 *                   own traffic.
 * A lookup in GW_RT_FWD (forwarding of clear packets) looks in FWD and
 * PEERS and takes the longer match: both store the prefix length in their
 * values (GW_RT_LEN_*). A lookup in GW_RT_PEERS alone is the source check
 * of decrypted packets, longest match among peers only as the core's
 * allowed-IPs trie (a connected subnet more specific than a peer's
 * 0.0.0.0/0 must not hide it). Peer routes live in one table: with
 * 100,000 peers the table's RIB nodes are most of the per-peer memory.
 * UNDERLAY and PEERS are created only when WireGuard is configured;
 * otherwise FWD holds everything.
 *
 * At equal prefix length a peer's allowed IP wins over a connected, static
 * or interface subnet route, and the gateway's own addresses win over a
 * peer; removing one leaves the other in place. Within one table the last
 * route added wins.
 *
 * Lookups are lock-free and may run on every lcore. Changes are made by one
 * writer (the control lcore) and rte_fib itself gives no RCU: freeing tbl8
 * groups while readers run needs care.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_fib.h>
#include <rte_fib6.h>

#include "config/config.h"

#define GW_RT_NONE		0
#define GW_RT_PEER_FLAG		(UINT64_C(1) << 30)
/* FWD and PEERS values: prefix length in bits 22..29 (4-byte values hold 31) */
#define GW_RT_LEN_SHIFT		22
#define GW_RT_LEN_MASK		(UINT64_C(0xff) << GW_RT_LEN_SHIFT)
#define GW_RT_PEER_MASK		((UINT64_C(1) << GW_RT_LEN_SHIFT) - 1)
#define GW_RT_MAX_NH		4096
/*
 * Table sizes: these minimums cover static and connected routes and the
 * peers added at run time; the peer table gets more for the allowed IPs
 * of the configuration (gw_route_size()).
 */
#define GW_RT_MAX_ROUTES4	(1 << 16)
#define GW_RT_MAX_ROUTES6	(1 << 16)
#define GW_RT_NUM_TBL8_4	(1 << 12)	/* /25../32 groups (1 KiB each) */
#define GW_RT_NUM_TBL8_6	(1 << 14)
#define GW_RT_ROUTES_LIMIT	(1 << 24)	/* per family and table */

/* Peer id for a WireGuard interface subnet route that matched no peer. */
#define GW_PEER_NONE		UINT32_MAX

enum gw_nh_kind {
	GW_NH_NONE = 0,
	GW_NH_LOCAL,		/* an address of the gateway */
	GW_NH_CONNECTED,	/* on the subnet of port: next hop = destination */
	GW_NH_GATEWAY,		/* via addr on port */
	GW_NH_PEER,		/* WireGuard: see gw_route_peer() */
};

enum gw_rt_table {
	GW_RT_FWD = 1 << 0,
	GW_RT_UNDERLAY = 1 << 1,
	GW_RT_PEERS = 1 << 2,
};

struct gw_nexthop {
	uint8_t kind;		/* enum gw_nh_kind */
	uint8_t family;		/* of addr (GW_NH_GATEWAY) */
	uint16_t port;		/* CONNECTED/GATEWAY: egress port */
	uint16_t wg;		/* PEER: WireGuard interface index */
	uint8_t addr[16];	/* GATEWAY: next-hop address */
};

struct gw_route_table {
	struct rte_fib *fib4;
	struct rte_fib6 *fib6;
	struct rte_fib *ufib4;		/* underlay, NULL: use fib4 */
	struct rte_fib6 *ufib6;
	struct rte_fib *pfib4;		/* allowed IPs only, NULL: use fib4 */
	struct rte_fib6 *pfib6;
	struct gw_nexthop *nh;		/* nh[0] is the "no route" entry */
	uint32_t n_nh;
};

/* Room in the peer table, per family. */
struct gw_route_sizes {
	uint32_t routes4;
	uint32_t routes6;
	uint32_t tbl8_4;
	uint32_t tbl8_6;
};

/*
 * Sizes for the n prefixes in pfx (the peers' allowed IPs; the array is
 * reordered): the minimums above plus these routes (a replacement at run
 * time removes before it adds; each route reserves two RIB nodes of about
 * 192 bytes) and the tbl8 groups the table reserves for them
 * (IPv4: one per /24 holding longer prefixes; IPv6: 13 per /128, see
 * route.c), so that a small gateway pays nothing for scale.
 */
void
gw_route_size(struct gw_route_sizes *sz, struct gw_prefix *pfx, size_t n);

/*
 * Creates the tables on socket; with_underlay when WireGuard is used;
 * sz NULL: the minimums.
 */
int
gw_route_init(struct gw_route_table *rt, bool with_underlay,
	      const struct gw_route_sizes *sz, int socket);
void
gw_route_free(struct gw_route_table *rt);

/*
 * Adds pfx -> nh to the tables in mask (GW_RT_FWD | GW_RT_UNDERLAY;
 * GW_RT_PEERS is refused: -EINVAL).
 */
int
gw_route_add(struct gw_route_table *rt, const struct gw_prefix *pfx,
	     const struct gw_nexthop *nh, unsigned int tables);
/* Adds an allowed IP of WireGuard peer id (the peer table). */
int
gw_route_add_peer(struct gw_route_table *rt, const struct gw_prefix *pfx,
		  uint32_t peer);
/*
 * Removes an allowed IP of peer id, only where the prefix still belongs to
 * that peer (a prefix that moved to another peer stays). 0 or -ENOENT.
 */
int
gw_route_del_peer(struct gw_route_table *rt, const struct gw_prefix *pfx,
		  uint32_t peer);
int
gw_route_del(struct gw_route_table *rt, const struct gw_prefix *pfx,
	     unsigned int tables);

static inline enum gw_nh_kind
gw_route_kind(const struct gw_route_table *rt, uint64_t res);

/*
 * Of a FWD and a PEERS result (both with their prefix lengths), the one
 * that forwards, without its length.
 */
static inline uint64_t
gw_route_pick(const struct gw_route_table *rt, uint64_t r, uint64_t p)
{
	uint64_t lr = r & GW_RT_LEN_MASK, lp = p & GW_RT_LEN_MASK;

	r &= ~GW_RT_LEN_MASK;
	p &= ~GW_RT_LEN_MASK;
	if (p == GW_RT_NONE)
		return r;
	if (r == GW_RT_NONE || lp > lr)
		return p;
	if (lp < lr || gw_route_kind(rt, r) == GW_NH_LOCAL)
		return r;
	return p;
}

#define GW_RT_BURST	32

/* FWD or PEERS results without their prefix lengths. */
static inline void
gw_route_strip(uint64_t *res, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		res[i] &= ~GW_RT_LEN_MASK;
}

/* Bulk lookups: ips4 host order; results into res[]. */
static inline void
gw_route_lookup4_bulk(const struct gw_route_table *rt, enum gw_rt_table t,
		      uint32_t *ips, uint64_t *res, unsigned int n)
{
	uint64_t p[GW_RT_BURST];
	unsigned int i, j, k;

	if (t == GW_RT_UNDERLAY && rt->ufib4 != NULL) {
		rte_fib_lookup_bulk(rt->ufib4, ips, res, (int)n);
		return;
	}
	if (t == GW_RT_PEERS && rt->pfib4 != NULL) {
		rte_fib_lookup_bulk(rt->pfib4, ips, res, (int)n);
		gw_route_strip(res, n);
		return;
	}
	rte_fib_lookup_bulk(rt->fib4, ips, res, (int)n);
	if (rt->pfib4 == NULL) {
		gw_route_strip(res, n);
		return;
	}
	for (i = 0; i < n; i += k) {
		k = RTE_MIN(n - i, (unsigned int)GW_RT_BURST);
		rte_fib_lookup_bulk(rt->pfib4, &ips[i], p, (int)k);
		for (j = 0; j < k; j++)
			res[i + j] = gw_route_pick(rt, res[i + j], p[j]);
	}
}

static inline void
gw_route_lookup6_bulk(const struct gw_route_table *rt, enum gw_rt_table t,
		      uint8_t ips[][RTE_FIB6_IPV6_ADDR_SIZE], uint64_t *res,
		      unsigned int n)
{
	uint64_t p[GW_RT_BURST];
	unsigned int i, j, k;

	if (t == GW_RT_UNDERLAY && rt->ufib6 != NULL) {
		rte_fib6_lookup_bulk(rt->ufib6, ips, res, (int)n);
		return;
	}
	if (t == GW_RT_PEERS && rt->pfib6 != NULL) {
		rte_fib6_lookup_bulk(rt->pfib6, ips, res, (int)n);
		gw_route_strip(res, n);
		return;
	}
	rte_fib6_lookup_bulk(rt->fib6, ips, res, (int)n);
	if (rt->pfib6 == NULL) {
		gw_route_strip(res, n);
		return;
	}
	for (i = 0; i < n; i += k) {
		k = RTE_MIN(n - i, (unsigned int)GW_RT_BURST);
		rte_fib6_lookup_bulk(rt->pfib6, &ips[i], p, (int)k);
		for (j = 0; j < k; j++)
			res[i + j] = gw_route_pick(rt, res[i + j], p[j]);
	}
}

static inline enum gw_nh_kind
gw_route_kind(const struct gw_route_table *rt, uint64_t res)
{
	if (res & GW_RT_PEER_FLAG)
		return GW_NH_PEER;
	return (enum gw_nh_kind)rt->nh[res].kind;
}

/* Next-hop entry of a result that is not a peer id. */
static inline const struct gw_nexthop *
gw_route_nh(const struct gw_route_table *rt, uint64_t res)
{
	return &rt->nh[res];
}

/* Peer of a GW_NH_PEER result: peer id, or GW_PEER_NONE (interface subnet). */
static inline uint32_t
gw_route_peer(uint64_t res)
{
	if (res & GW_RT_PEER_FLAG)
		return (uint32_t)(res & GW_RT_PEER_MASK);
	return GW_PEER_NONE;
}

#endif /* GW_ROUTE_H */
