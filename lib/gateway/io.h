/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_IO_H
#define GW_IO_H

/*
 * The I/O stage: one poll of an I/O lcore over RX queue lc->queue of every
 * port, classification (ARP, IPv4, IPv6, else dropped and counted), the
 * L3 stages, frames from other lcores' rings, then the TX buffers.
 */

#include <stdint.h>

struct gw_lcore;
struct rte_mbuf;

/*
 * What a poll does with a burst received on port (index in gw->ports),
 * n <= GW_BURST: classification and the L2/L3 stages. Consumes the
 * packets; their replies and forwarded frames wait in the TX buffers.
 */
void
gw_io_input(struct gw_lcore *lc, uint16_t port, struct rte_mbuf **pkts,
	    uint16_t n);

/* Returns the number of packets handled (0: the poll found nothing). */
unsigned int
gw_io_poll(struct gw_lcore *lc);

/* Called once when the lcore stops: flushes and drops what is left. */
void
gw_io_drain(struct gw_lcore *lc);

#endif /* GW_IO_H */
