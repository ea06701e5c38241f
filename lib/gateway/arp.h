/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_ARP_H
#define GW_ARP_H

/* ARP (RFC 826) over Ethernet for IPv4: answering and resolving. */

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

struct gw_lcore;
struct gw_port;

/* An ARP frame received on port. Consumes m. */
void
gw_arp_input(struct gw_lcore *lc, const struct gw_port *port,
	     struct rte_mbuf *m);

/* Sends "who has tip" on port: broadcast, or unicast to dst if not NULL. */
void
gw_arp_request(struct gw_lcore *lc, uint16_t port, rte_be32_t tip,
	       const struct rte_ether_addr *dst);

#endif /* GW_ARP_H */
