/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_PORT_H
#define GEN_PORT_H

/*
 * The generator's two ports: ethdev set-up (one RX and one TX queue each,
 * one shared mempool), link state, and control frames (ARP, handshake
 * messages, keepalives) queued per port and sent at the end of every loop
 * iteration, before the bulk traffic takes the TX ring.
 */

#include <stdbool.h>
#include <stdint.h>

#include "gen.h"

#define GEN_NB_DESC		1024

/* The shared mempool, sized for both ports and frames of max_frame bytes. */
int
gen_mempool_create(struct gen *g, uint32_t max_frame);

/* Configures and starts port id as p. 0 or -1 (message). */
int
gen_port_setup(struct gen *g, struct gen_port *p, int id, const char *name);
bool
gen_port_link_up(const struct gen_port *p);
void
gen_port_close(struct gen_port *p);

/* An mbuf of len bytes of data (uninitialised), or NULL (counted). */
struct rte_mbuf *
gen_port_alloc(struct gen *g, uint16_t len);
/* Queues a control frame on p; dropped (counted) when the queue is full. */
void
gen_port_ctl(struct gen *g, struct gen_port *p, struct rte_mbuf *m);
/* Sends what is queued; what the port does not take waits. */
void
gen_port_ctl_flush(struct gen *g, struct gen_port *p);

#endif /* GEN_PORT_H */
