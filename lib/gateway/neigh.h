/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_NEIGH_H
#define GW_NEIGH_H

/*
 * Neighbour table (ARP for IPv4, Neighbor Discovery for IPv6): rte_hash
 * keyed by (port, family, address), shared by all lcores.
 *
 * Readers (the data path) are lock-free: rte_hash RW_CONCURRENCY_LF and one
 * 64-bit word per entry holding the MAC and a valid bit. Writers (ARP/ND
 * input, misses, the control lcore's timers) serialise on a spinlock; they
 * are rare. Deleted entries are reclaimed through RCU QSBR once every lcore
 * has passed a quiescent state (each loop iteration reports one), so a
 * reader never sees a reused slot.
 *
 * States: INCOMPLETE (request sent, up to GW_NEIGH_QUEUE_LEN packets wait,
 * retried every second, GW_NEIGH_TRIES times, then dropped and the entry
 * deleted), REACHABLE (usable; after GW_NEIGH_REACHABLE_S without
 * confirmation it is re-probed while still used, and deleted if the probes
 * go unanswered), STATIC (from the configuration, never expires).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#define GW_NEIGH_MAX		4096
#define GW_NEIGH_QUEUE_LEN	4
#define GW_NEIGH_TRIES		3
#define GW_NEIGH_RETRY_MS	1000
#define GW_NEIGH_REACHABLE_S	60

struct gw_gateway;
struct gw_lcore;
struct gw_neigh_table;

/* Update flags (gw_neigh_update). */
#define GW_NEIGH_F_CREATE	(1u << 0)	/* create a missing entry */
#define GW_NEIGH_F_OVERRIDE	(1u << 1)	/* replace a different MAC */

struct gw_neigh_table *
gw_neigh_create(unsigned int max_entries, int socket, struct rte_rcu_qsbr *qsbr);
/* Frees the table and the packets still waiting. */
void
gw_neigh_free(struct gw_neigh_table *t);

int
gw_neigh_add_static(struct gw_neigh_table *t, uint16_t port, int family,
		    const uint8_t *addr, const struct rte_ether_addr *mac);

/*
 * Data path: MAC of a resolved neighbour. addr is 4 (AF_INET) or 16 bytes,
 * network order. Lock-free.
 */
bool
gw_neigh_lookup(struct gw_neigh_table *t, uint16_t port, int family,
		const uint8_t *addr, struct rte_ether_addr *mac);

/*
 * Data path, after a failed lookup: m is a complete frame for port except
 * its destination MAC. Sends it if the neighbour got resolved meanwhile,
 * else queues it and starts resolution (ARP request / NS) or drops it with
 * a counted reason. Consumes m.
 */
void
gw_neigh_resolve(struct gw_lcore *lc, uint16_t port, int family,
		 const uint8_t *addr, struct rte_mbuf *m);

/*
 * A neighbour told us its MAC (ARP request/reply, NS with source link-layer
 * option, NA). Releases the packets that waited for it.
 */
void
gw_neigh_update(struct gw_lcore *lc, uint16_t port, int family,
		const uint8_t *addr, const struct rte_ether_addr *mac,
		unsigned int flags);

/*
 * A solicited Neighbor Advertisement without a target link-layer option
 * (the answer to a unicast probe): an entry whose MAC is known becomes
 * reachable again, MAC unchanged (RFC 4861 7.2.5).
 */
void
gw_neigh_confirm(struct gw_lcore *lc, uint16_t port, int family,
		 const uint8_t *addr);

/* Control lcore: retries, expiry, re-probes. */
void
gw_neigh_tick(struct gw_lcore *lc, uint64_t now_tsc);

/* Number of entries (for the summary). */
unsigned int
gw_neigh_count(struct gw_neigh_table *t);

#endif /* GW_NEIGH_H */
