/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_LCORE_H
#define GW_LCORE_H

/*
 * Lcore roles and the per-lcore context.
 *
 * Roles (config `lcores:`; one lcore may hold several):
 *   control  the main lcore: neighbour timers, later handshakes and timers
 *   io       polls RX queue q of every port, classifies, routes, transmits
 *            on TX queue q of every port (q = index among I/O lcores)
 *   crypto   batched AEAD (WireGuard, later)
 *
 * Only I/O lcores own TX queues. Any other lcore transmits by enqueueing
 * to the ring of an I/O lcore (gw_lcore_tx), which drains it every loop.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "pkt.h"
#include "port.h"
#include "stats.h"

#define GW_ROLE_CONTROL		(1u << 0)
#define GW_ROLE_IO		(1u << 1)
#define GW_ROLE_CRYPTO		(1u << 2)

#define GW_BURST		32
#define GW_TX_BUF		64
#define GW_LCORE_RING_SIZE	1024

struct gw_gateway;

struct gw_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[GW_TX_BUF];
};

/* Token bucket for ICMP errors (per lcore, no sharing). */
struct gw_ratelimit {
	uint64_t tokens;	/* scaled by tsc_hz */
	uint64_t last_tsc;
};

struct gw_lcore {
	struct gw_gateway *gw;
	unsigned int lcore_id;
	unsigned int roles;		/* GW_ROLE_* */
	uint16_t queue;			/* io: queue index on every port */
	uint16_t io_index;		/* io: index among I/O lcores */
	struct rte_ring *ring;		/* io: frames other lcores send */
	uint64_t next_control_tsc;	/* io+control: next control tick */
	struct gw_ratelimit icmp_rl;
	struct gw_lcore_stats stats;
	struct gw_txbuf tx[GW_MAX_PORTS];
} __rte_cache_aligned;

static inline void
gw_drop(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_drop_reason r)
{
	lc->stats.drops[r]++;
	rte_pktmbuf_free(m);
}

/* Sends the buffered frames of one port (I/O lcores only). */
void
gw_lcore_flush_port(struct gw_lcore *lc, uint16_t port);
void
gw_lcore_flush(struct gw_lcore *lc);

/* Hands a frame to another lcore's ring (non-I/O senders). */
void
gw_lcore_tx_remote(struct gw_lcore *lc, uint16_t port, struct rte_mbuf *m);

/*
 * Queues a complete Ethernet frame for transmission on port, from any
 * lcore. Consumes m.
 */
static inline void
gw_lcore_tx(struct gw_lcore *lc, uint16_t port, struct rte_mbuf *m)
{
	struct gw_txbuf *b;

	if (unlikely(!(lc->roles & GW_ROLE_IO))) {
		gw_lcore_tx_remote(lc, port, m);
		return;
	}
	b = &lc->tx[port];
	b->pkts[b->n++] = m;
	if (unlikely(b->n == GW_TX_BUF))
		gw_lcore_flush_port(lc, port);
}

/*
 * Assigns roles from cfg (or the defaults) to enabled lcores and allocates
 * their contexts in gw. Returns -1 with a message in err.
 */
int
gw_lcores_setup(struct gw_gateway *gw, char *err, size_t err_len);
void
gw_lcores_free(struct gw_gateway *gw);

/* Entry point of every lcore with a role (rte_eal_remote_launch). */
int
gw_lcore_main(void *arg);

/* "lcore 1: io(queue 0) crypto" lines. */
void
gw_lcores_print(const struct gw_gateway *gw, FILE *f);

#endif /* GW_LCORE_H */
