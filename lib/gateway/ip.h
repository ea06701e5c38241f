/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_IP_H
#define GW_IP_H

/*
 * IPv4 and IPv6 input, forwarding and output.
 *
 *   input:   validate, classify local / WireGuard / forward, bulk FIB lookup
 *   forward: TTL / hop limit, then a route result: local, connected,
 *            gateway, or peer (-> gw_wg_output)
 *   output:  egress MTU, neighbour resolution, Ethernet rewrite, TX buffer
 *
 * All functions consume the packets they are given. Frames keep their
 * Ethernet header (m->l2_len) from RX to TX; packets built by the gateway
 * reserve one.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "route.h"

struct gw_lcore;
struct gw_port;

/* Frames of one ether type received on port; m->l2_len set. */
void
gw_ipv4_input(struct gw_lcore *lc, const struct gw_port *port,
	      struct rte_mbuf **pkts, uint16_t n);
void
gw_ipv6_input(struct gw_lcore *lc, const struct gw_port *port,
	      struct rte_mbuf **pkts, uint16_t n);

/*
 * Forwards packets that did not come from a port (decrypted by a
 * WireGuard stage, later): valid IP header after m->l2_len bytes of
 * Ethernet room, gw_meta(m)->in_port GW_PORT_NONE. Same TTL and routing
 * as port input; local destinations are delivered.
 */
void
gw_ipv4_forward(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n);
void
gw_ipv6_forward(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n);

/*
 * Sends a packet built by the gateway to its IP destination, routed in
 * table t (GW_RT_FWD: ICMP; GW_RT_UNDERLAY: WireGuard outer packets).
 * Checksums requested in gw_meta(m)->flags are filled in on the way out.
 */
void
gw_ipv4_send(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_rt_table t);
void
gw_ipv6_send(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_rt_table t);

/* Transmits on route result res (GW_NH_CONNECTED or GW_NH_GATEWAY). */
void
gw_ipv4_output(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res);
void
gw_ipv6_output(struct gw_lcore *lc, struct rte_mbuf *m, uint64_t res);

#endif /* GW_IP_H */
