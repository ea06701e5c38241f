/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_TELEMETRY_H
#define GW_TELEMETRY_H

/*
 * DPDK telemetry commands of the gateway (`telemetry: true`), served by
 * DPDK's telemetry thread from /var/run/dpdk/PREFIX/dpdk_telemetry.v2:
 *   /wg/interfaces          name, public key, listen port, peer count
 *   /wg/peers,IFACE         per peer: public key, endpoint, allowed IPs,
 *                           rx/tx bytes and packets, latest handshake,
 *                           current key age
 *   /wg/lcores              per lcore: roles, counters, drops by reason
 *   /wg/handshakes,IFACE    the core's handshake counters and drops
 * No private or preshared key is ever exposed.
 *
 * Threads: the callbacks read counters with relaxed loads; peer lists,
 * which the control lcore changes at run time (wg(8) socket), are read
 * under gw_telemetry_lock(), which the control lcore takes around every
 * such change.
 */

struct gw_gateway;

/* Registers the commands (once per process) and publishes gw. */
int
gw_telemetry_start(struct gw_gateway *gw);
/* The commands answer an error from now on (gw about to be freed). */
void
gw_telemetry_stop(void);

void
gw_telemetry_lock(void);
void
gw_telemetry_unlock(void);

#endif /* GW_TELEMETRY_H */
