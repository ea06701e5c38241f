/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_TELEMETRY_H
#define GW_TELEMETRY_H

/*
 * DPDK telemetry commands of the gateway (`telemetry: true`), served by
 * DPDK's telemetry thread from /var/run/dpdk/PREFIX/dpdk_telemetry.v2:
 *   /wg/interfaces          name, public key, listen port, peer count
 *   /wg/peers,IFACE[,START] one page of peers (from peer id START):
 *                           public key, endpoint, allowed IPs, rx/tx bytes
 *                           and packets, latest handshake, current key age;
 *                           "total", "start" and "next" (-1: last page)
 *   /wg/lcores[,LCORE]      per lcore: roles, counters, ring occupancy,
 *                           drops by reason
 *   /wg/handshakes,IFACE    the core's handshake counters and drops, the
 *                           handshake queue's occupancy
 * No private or preshared key is ever exposed.
 *
 * Threads: the callbacks read counters with relaxed loads; peer lists,
 * which the control lcore changes at run time (wg(8) socket), are read
 * under gw_telemetry_lock(), which the control lcore takes around every
 * such change.
 */

#include <stdint.h>

#include <stdbool.h>

struct gw_gateway;
struct gw_wg_peer_dp;

/* One peer's counters as wg(8) shows them (telemetry and metrics). */
struct gw_telemetry_peer {
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t rx_keepalives;
	uint64_t tx_packets;
	uint64_t latest_handshake;	/* UNIX seconds; 0: never */
};

/* Reads the counters of dp's peer (non-NULL). Under the lock. */
void
gw_telemetry_peer_read(const struct gw_wg_peer_dp *dp,
		       struct gw_telemetry_peer *out);

/* Registers the commands (once per process) and publishes gw. */
int
gw_telemetry_start(struct gw_gateway *gw);
/* The commands answer an error from now on (gw about to be freed). */
void
gw_telemetry_stop(void);

void
gw_telemetry_lock(void);
/* The control lcore's poll: false while a reader holds it (try later). */
bool
gw_telemetry_trylock(void);
void
gw_telemetry_unlock(void);

#endif /* GW_TELEMETRY_H */
