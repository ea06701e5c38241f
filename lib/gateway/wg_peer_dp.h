/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_WG_PEER_DP_H
#define GW_WG_PEER_DP_H

/*
 * A WireGuard peer as the data path sees it: one slot per peer id (the
 * value of the peer's routes in the FIB), in an array sized at start-up
 * so that every lcore indexes it without a lock.
 *
 * Control lcore -> data path (published, read lock-free):
 *   - peer: the core's struct wg_peer, stored with release, NULL while
 *     the id is free. Readers load it with acquire inside their RCU
 *     read-side section (one lcore loop iteration, or an in-flight crypto
 *     job, see wg_dp.h); the control lcore frees a removed peer and
 *     reuses its id only after both have passed.
 *   - ep: the endpoint and our source address towards it, under a
 *     sequence counter with a single writer (the control lcore): readers
 *     retry while it is odd or changed.
 *
 * Data path -> control lcore (no per-packet ring traffic):
 *   - counters added once per burst and peer (relaxed atomics),
 *   - event bits set with an atomic OR; the lcore that turns them from 0
 *     to non-0 enqueues the peer id on the event ring (MP/SC, sized so that
 *     it cannot overflow: an id is in it at most once). The control lcore
 *     exchanges the bits back to 0 and applies them to the core: counter
 *     deltas (timers, rekey checks), key confirmation, roaming.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_seqcount.h>
#include <rte_spinlock.h>

#include "config/config.h"
#include "wireguard/endpoint.h"

/* Event bits (gw_wg_peer_dp.events). */
#define GW_WG_EV_RX		(1u << 0)	/* data or keepalive accepted */
#define GW_WG_EV_TX		(1u << 1)	/* data sent by the data path */
#define GW_WG_EV_CONFIRM	(1u << 2)	/* data under the pending `next` */
#define GW_WG_EV_ROAM		(1u << 3)	/* accepted from a new address */
#define GW_WG_EV_DEAD		(1u << 31)	/* id being freed: never queued */

struct wg_peer;
struct gw_wg_if;

/* An endpoint as published to the data path. */
struct gw_wg_ep {
	uint8_t family;		/* 0: none, AF_INET, AF_INET6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order */
	uint8_t src[16];	/* our address towards addr (underlay route) */
};

/* Control lcore only. */
struct gw_wg_peer_ctl {
	/*
	 * Counters already reported to the core. Packet counts are kept
	 * modulo 2^32: the core is told deltas, far below that per event.
	 */
	uint64_t seen_rx_bytes;
	uint64_t seen_tx_bytes;
	uint64_t ctl_tx_data;		/* data messages the core sent itself */
	uint32_t seen_rx_data;
	uint32_t seen_rx_keepalive;
	uint32_t seen_tx_data;
	/* the allowed IPs mirrored into the FIB, for their removal */
	unsigned int n_routes;
	struct gw_prefix *routes;
};

struct gw_wg_peer_dp {
	/* published by the control lcore */
	struct wg_peer *peer;		/* atomic; NULL: free id */
	struct gw_wg_if *wif;
	uint32_t id;
	/*
	 * Bumped at every attach, before peer is published: a packet staged
	 * for a former owner of this id (still in the stage ring when the id
	 * was reused) is refused rather than encrypted to the new owner.
	 */
	uint32_t gen;
	rte_seqcount_t ep_seq;		/* of ep: one writer, the control lcore */
	struct gw_wg_ep ep;

	/* written by the data path */
	uint32_t events __rte_cache_aligned;	/* atomic, GW_WG_EV_* */
	rte_spinlock_t replay_lock;	/* the replay windows of its keypairs */
	rte_spinlock_t roam_lock;
	struct wg_endpoint roam;	/* latest new source, under roam_lock */
	uint64_t confirm_id;		/* atomic: internal_id of that `next` */
	uint64_t rx_data;		/* atomic counters, cumulative */
	uint64_t rx_keepalive;
	uint64_t rx_bytes;		/* UDP payload bytes of accepted messages */
	uint64_t tx_data;
	uint64_t tx_bytes;

	/*
	 * Control lcore only; not on a line of its own: the control lcore
	 * reads the counters above when it writes these anyway, and three
	 * lines per id instead of four is 6 MiB less for 100,000 peers.
	 */
	struct gw_wg_peer_ctl ctl;
} __rte_cache_aligned;

#if RTE_CACHE_LINE_SIZE == 64
_Static_assert(sizeof(struct gw_wg_peer_dp) == 3 * RTE_CACHE_LINE_SIZE,
	       "a peer slot is three cache lines");
#endif

static inline struct wg_peer *
gw_wg_dp_peer(const struct gw_wg_peer_dp *dp)
{
	return __atomic_load_n(&dp->peer, __ATOMIC_ACQUIRE);
}

/* Reader side of the endpoint: a consistent copy; false if none. */
static inline bool
gw_wg_ep_read(const struct gw_wg_peer_dp *dp, struct gw_wg_ep *out)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&dp->ep_seq);
		*out = dp->ep;
	} while (unlikely(rte_seqcount_read_retry(&dp->ep_seq, sn)));
	return out->family != 0;
}

/* Writer side (control lcore only). */
static inline void
gw_wg_ep_write(struct gw_wg_peer_dp *dp, const struct gw_wg_ep *ep)
{
	rte_seqcount_write_begin(&dp->ep_seq);
	dp->ep = *ep;
	rte_seqcount_write_end(&dp->ep_seq);
}

#endif /* GW_WG_PEER_DP_H */
