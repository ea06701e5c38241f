/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_ND_H
#define GW_ND_H

/* IPv6 Neighbor Discovery (RFC 4861): NS/NA for address resolution. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#define GW_ICMP6_RS		133
#define GW_ICMP6_RA		134
#define GW_ICMP6_NS		135
#define GW_ICMP6_NA		136
#define GW_ICMP6_REDIRECT	137

struct gw_lcore;
struct gw_port;

static inline bool
gw_nd_is_nd_type(uint8_t type)
{
	return type >= GW_ICMP6_RS && type <= GW_ICMP6_REDIRECT;
}

/*
 * An ND message (ICMPv6 type 133..137, directly after the IPv6 header)
 * received on port; IPv6 header validated, m->l2_len set. Consumes m.
 */
void
gw_nd_input(struct gw_lcore *lc, const struct gw_port *port,
	    struct rte_mbuf *m);

/*
 * Sends a Neighbor Solicitation for target on port: to its solicited-node
 * group, or unicast to dst if not NULL (re-probe).
 */
void
gw_nd_solicit(struct gw_lcore *lc, uint16_t port, const uint8_t *target,
	      const struct rte_ether_addr *dst);

#endif /* GW_ND_H */
