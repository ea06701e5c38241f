/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_ARP_H
#define GEN_ARP_H

/*
 * ARP on the generator's ports: answers requests for its own addresses
 * (WAN: --wan-addr and every peer's outer address, so that the gateway may
 * see the peers either on-link or behind --wan-addr; LAN: --lan-addr),
 * learns the gateway's MAC from its requests and replies, and asks for it.
 * No ND: the generator is IPv4 only.
 */

#include <rte_mbuf.h>

#include "gen.h"

/* An ARP frame received on p; consumes m. */
void
gen_arp_input(struct gen *g, struct gen_port *p, struct rte_mbuf *m);
/* Broadcasts "who has the gateway's address on p". */
void
gen_arp_request(struct gen *g, struct gen_port *p);

#endif /* GEN_ARP_H */
