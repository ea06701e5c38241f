/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_GATEWAY_H
#define GW_GATEWAY_H

/*
 * The gateway: ports, routing and neighbour tables, lcores, built from the
 * parsed configuration after rte_eal_init().
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_lcore.h>
#include <rte_rcu_qsbr.h>

#include "config/config.h"
#include "lcore.h"
#include "neigh.h"
#include "port.h"
#include "route.h"
#include "wg_hook.h"

/* The control lcore ticks this often (neighbour timers, later handshakes). */
#define GW_CONTROL_TICK_US	10000

struct gw_wg;
struct gw_uapi;
struct gw_cli;

struct gw_gateway {
	const struct gw_config *cfg;
	uint64_t tsc_hz;

	struct gw_port ports[GW_MAX_PORTS];
	uint16_t n_ports;

	struct gw_route_table rt;
	struct gw_neigh_table *neigh;
	struct rte_rcu_qsbr *qsbr;	/* readers: every lcore with a role */

	struct gw_wg_iface wg[GW_MAX_WG];
	unsigned int n_wg;
	uint32_t n_peers;		/* in the configuration at start-up */
	uint8_t reload_key[GW_KEY_LEN];	/* digests of the reload memos */
	struct gw_wg *wgs;		/* WireGuard state (wg_dp.h), or NULL */
	struct gw_uapi *uapi;		/* wg(8) sockets (wg_uapi_glue.h), or NULL */
	struct gw_cli *cli;		/* command line (cli.h), or NULL */

	unsigned int control_lcore;
	unsigned int io_lcores[RTE_MAX_LCORE];
	unsigned int n_io;
	unsigned int crypto_lcores[RTE_MAX_LCORE];
	unsigned int n_crypto;
	struct gw_lcore *lcores[RTE_MAX_LCORE];	/* NULL: no role */

	bool quit;			/* atomic: stop every loop */
	bool stats_request;		/* atomic: print counters (SIGUSR1) */
	bool reload_request;		/* atomic: reload the file (SIGHUP) */
};

/*
 * Builds the gateway from cfg (kept by reference): lcores, ports (started),
 * routes, static neighbours. Returns NULL with a message in err:
 * "file:line:column: message" for what the configuration asked and the
 * machine cannot give (a device EAL did not probe, an lcore not enabled).
 */
struct gw_gateway *
gw_gateway_create(const struct gw_config *cfg, char err[GW_ERR_MAX]);

/* Launches the lcores, runs the main lcore's role until gw_gateway_stop(). */
int
gw_gateway_run(struct gw_gateway *gw);

/* Asks every loop to return. Async-signal-safe. */
static inline void
gw_gateway_stop(struct gw_gateway *gw)
{
	__atomic_store_n(&gw->quit, true, __ATOMIC_RELAXED);
}

static inline bool
gw_gateway_quitting(const struct gw_gateway *gw)
{
	return __atomic_load_n(&gw->quit, __ATOMIC_RELAXED);
}

/*
 * Asks the control lcore to print the counters (gw_gateway_print_stats)
 * to stdout at its next tick. Async-signal-safe.
 */
static inline void
gw_gateway_request_stats(struct gw_gateway *gw)
{
	__atomic_store_n(&gw->stats_request, true, __ATOMIC_RELAXED);
}

/*
 * Asks the control lcore to reload the configuration file (reload.h) at
 * its next tick. Async-signal-safe.
 */
static inline void
gw_gateway_request_reload(struct gw_gateway *gw)
{
	__atomic_store_n(&gw->reload_request, true, __ATOMIC_RELAXED);
}

/* Stops and closes the ports, frees everything. After gw_gateway_run(). */
void
gw_gateway_destroy(struct gw_gateway *gw);

/* Start-up summary: ports, addresses, lcore roles, routes count. */
void
gw_gateway_print(const struct gw_gateway *gw, FILE *f);

/*
 * Counters per lcore and in total, then WireGuard: per interface, and one
 * line per peer (public key, endpoint, packets, bytes, latest handshake).
 * Control lcore, or once the lcores stopped.
 */
void
gw_gateway_print_stats(const struct gw_gateway *gw, FILE *f);

#endif /* GW_GATEWAY_H */
