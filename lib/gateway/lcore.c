/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "cli.h"
#include "control.h"
#include "gateway.h"
#include "io.h"
#include "lcore.h"
#include "log.h"
#include "wg_hook.h"
#include "wg_uapi_glue.h"

/*
 * Idle back-off: polls that find nothing first spin (rte_pause), then
 * sleep, doubling from 1 us up to GW_IDLE_SLEEP_MAX_US, so that an idle
 * gateway costs next to no CPU. The first poll that finds work resets it.
 * After about 10 ms without a packet (GW_IDLE_DEEP_POLLS: the doubling,
 * then 40 sleeps at the ceiling) it sleeps GW_IDLE_DEEP_SLEEP_US at a
 * time: in a VM each wake-up costs about 20 us of CPU, 7 % of a core
 * with 200 us sleeps.
 */
#define GW_IDLE_SPIN_POLLS	256
#define GW_IDLE_STEP_POLLS	8
#define GW_IDLE_SLEEP_MAX_US	200
#define GW_IDLE_DEEP_POLLS	(GW_IDLE_SPIN_POLLS + 8 * GW_IDLE_STEP_POLLS + 40)
#define GW_IDLE_DEEP_SLEEP_US	1000

void
gw_lcore_flush_port(struct gw_lcore *lc, uint16_t port)
{
	struct gw_txbuf *b = &lc->tx[port];
	uint16_t sent, i;

	if (b->n == 0)
		return;
	sent = rte_eth_tx_burst(lc->gw->ports[port].port_id, lc->queue,
				b->pkts, b->n);
	lc->stats.tx_pkts += sent;
	for (i = sent; i < b->n; i++)
		gw_drop(lc, b->pkts[i], GW_DROP_TX_FULL);
	b->n = 0;
}

void
gw_lcore_flush(struct gw_lcore *lc)
{
	uint16_t p;

	for (p = 0; p < lc->gw->n_ports; p++)
		gw_lcore_flush_port(lc, p);
}

void
gw_lcore_tx_remote(struct gw_lcore *lc, uint16_t port, struct rte_mbuf *m)
{
	struct gw_gateway *gw = lc->gw;
	struct gw_lcore *io = gw->lcores[gw->io_lcores[port % gw->n_io]];

	gw_meta(m)->out_port = port;
	if (rte_ring_mp_enqueue(io->ring, m) != 0)
		gw_drop(lc, m, GW_DROP_TX_FULL);
}

static int
gw_lcore_check(unsigned int id, const char *what, char *err, size_t err_len)
{
	if (id >= RTE_MAX_LCORE || !rte_lcore_is_enabled(id)) {
		snprintf(err, err_len,
			 "lcores: %s lcore %u is not enabled in EAL (-l/--lcores)",
			 what, id);
		return -1;
	}
	return 0;
}

static struct gw_lcore *
gw_lcore_get(struct gw_gateway *gw, unsigned int id)
{
	struct gw_lcore *lc = gw->lcores[id];

	if (lc != NULL)
		return lc;
	lc = rte_zmalloc_socket("gw_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE,
				(int)rte_lcore_to_socket_id(id));
	if (lc == NULL)
		return NULL;
	lc->gw = gw;
	lc->lcore_id = id;
	gw->lcores[id] = lc;
	return lc;
}

int
gw_lcores_setup(struct gw_gateway *gw, char *err, size_t err_len)
{
	const struct gw_lcores_cfg *c = &gw->cfg->lcores;
	unsigned int main_lcore = rte_get_main_lcore();
	unsigned int i, j, next;
	char name[RTE_RING_NAMESIZE];
	struct gw_lcore *lc;

	if (c->set) {
		if (gw_lcore_check(c->control, "control", err, err_len) != 0)
			return -1;
		if (c->control != main_lcore) {
			snprintf(err, err_len,
				 "lcores: control lcore %u must be the main lcore (%u; EAL --main-lcore)",
				 c->control, main_lcore);
			return -1;
		}
		if (c->n_io == 0) {
			snprintf(err, err_len, "lcores: io needs at least one lcore");
			return -1;
		}
		gw->control_lcore = c->control;
		for (i = 0; i < c->n_io; i++) {
			if (gw_lcore_check(c->io[i], "io", err, err_len) != 0)
				return -1;
			for (j = 0; j < i; j++)
				if (c->io[j] == c->io[i]) {
					snprintf(err, err_len,
						 "lcores: io lcore %u listed twice",
						 c->io[i]);
					return -1;
				}
			gw->io_lcores[gw->n_io++] = c->io[i];
		}
		for (i = 0; i < c->n_crypto; i++) {
			if (gw_lcore_check(c->crypto[i], "crypto", err,
					   err_len) != 0)
				return -1;
			gw->crypto_lcores[gw->n_crypto++] = c->crypto[i];
		}
	} else {
		/* control on the main lcore, io + crypto on the next one */
		next = rte_get_next_lcore(main_lcore, 1, 0);
		if (next >= RTE_MAX_LCORE)
			next = main_lcore;
		gw->control_lcore = main_lcore;
		gw->io_lcores[gw->n_io++] = next;
		gw->crypto_lcores[gw->n_crypto++] = next;
	}

	lc = gw_lcore_get(gw, gw->control_lcore);
	if (lc == NULL)
		goto nomem;
	lc->roles |= GW_ROLE_CONTROL;
	for (i = 0; i < gw->n_io; i++) {
		lc = gw_lcore_get(gw, gw->io_lcores[i]);
		if (lc == NULL)
			goto nomem;
		lc->roles |= GW_ROLE_IO;
		lc->queue = (uint16_t)i;
		lc->io_index = (uint16_t)i;
		snprintf(name, sizeof(name), "gw_io_ring_%u", lc->lcore_id);
		lc->ring = rte_ring_create(name, GW_LCORE_RING_SIZE,
			(int)rte_lcore_to_socket_id(lc->lcore_id),
			RING_F_SC_DEQ);
		if (lc->ring == NULL)
			goto nomem;
	}
	for (i = 0; i < gw->n_crypto; i++) {
		lc = gw_lcore_get(gw, gw->crypto_lcores[i]);
		if (lc == NULL)
			goto nomem;
		lc->roles |= GW_ROLE_CRYPTO;
	}
	return 0;
nomem:
	snprintf(err, err_len, "lcores: out of memory");
	return -1;
}

void
gw_lcores_free(struct gw_gateway *gw)
{
	struct gw_lcore *lc;
	unsigned int id;
	uint16_t p, i;

	for (id = 0; id < RTE_MAX_LCORE; id++) {
		lc = gw->lcores[id];
		if (lc == NULL)
			continue;
		for (p = 0; p < GW_MAX_PORTS; p++)
			for (i = 0; i < lc->tx[p].n; i++)
				rte_pktmbuf_free(lc->tx[p].pkts[i]);
		if (lc->ring != NULL) {
			struct rte_mbuf *m;

			while (rte_ring_dequeue(lc->ring, (void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(lc->ring);
		}
		rte_free(lc);
		gw->lcores[id] = NULL;
	}
}

static inline void
gw_lcore_idle(struct gw_lcore *lc, unsigned int *streak, unsigned int max_us)
{
	unsigned int shift, us;

	lc->stats.polls_idle++;
	if (++*streak < GW_IDLE_SPIN_POLLS) {
		rte_pause();
		return;
	}
	shift = (*streak - GW_IDLE_SPIN_POLLS) / GW_IDLE_STEP_POLLS;
	us = shift >= 16 ? max_us : RTE_MIN(1u << shift, max_us);
	if (*streak >= GW_IDLE_DEEP_POLLS)
		us = RTE_MAX(us, (unsigned int)GW_IDLE_DEEP_SLEEP_US);
	rte_delay_us_sleep(us);
}

int
gw_lcore_main(void *arg)
{
	struct gw_gateway *gw = arg;
	struct gw_lcore *lc = gw->lcores[rte_lcore_id()];
	uint64_t tick, now;
	unsigned int work, streak = 0, max_us;

	if (lc == NULL)
		return 0;
	tick = gw->tsc_hz * GW_CONTROL_TICK_US / 1000000;
	lc->next_control_tsc = rte_get_tsc_cycles() + tick;
	/* a control-only lcore has nothing to poll: sleep a tick at a time */
	max_us = (lc->roles & (GW_ROLE_IO | GW_ROLE_CRYPTO)) ?
		GW_IDLE_SLEEP_MAX_US : GW_CONTROL_TICK_US;
	/* every lcore may read the neighbour table: all are RCU readers */
	rte_rcu_qsbr_thread_register(gw->qsbr, lc->lcore_id);
	rte_rcu_qsbr_thread_online(gw->qsbr, lc->lcore_id);

	while (!gw_gateway_quitting(gw)) {
		work = 0;
		if (lc->roles & GW_ROLE_IO)
			work += gw_io_poll(lc);
		if (lc->roles & GW_ROLE_CRYPTO)
			work += gw_wg_crypto_poll(lc);
		if (lc->roles & GW_ROLE_CONTROL) {
			work += gw_wg_control_poll(lc);
			work += gw_uapi_poll(gw);
			work += gw_cli_poll(gw);
			now = rte_get_tsc_cycles();
			if (now >= lc->next_control_tsc) {
				gw_control_tick(lc, now);
				lc->next_control_tsc = now + tick;
			}
		}
		/* no reference into shared tables survives an iteration */
		rte_rcu_qsbr_quiescent(gw->qsbr, lc->lcore_id);
		if (work != 0) {
			lc->stats.polls_busy++;
			streak = 0;
		} else {
			gw_lcore_idle(lc, &streak, max_us);
		}
	}

	if (lc->roles & GW_ROLE_IO)
		gw_io_drain(lc);
	rte_rcu_qsbr_thread_offline(gw->qsbr, lc->lcore_id);
	rte_rcu_qsbr_thread_unregister(gw->qsbr, lc->lcore_id);
	return 0;
}

void
gw_lcores_print(const struct gw_gateway *gw, FILE *f)
{
	const struct gw_lcore *lc;
	unsigned int id;

	for (id = 0; id < RTE_MAX_LCORE; id++) {
		lc = gw->lcores[id];
		if (lc == NULL)
			continue;
		fprintf(f, "lcore %u (socket %u):", id,
			rte_lcore_to_socket_id(id));
		if (lc->roles & GW_ROLE_CONTROL)
			fprintf(f, " control%s",
				id == rte_get_main_lcore() ? "(main)" : "");
		if (lc->roles & GW_ROLE_IO)
			fprintf(f, " io(queue %u)", lc->queue);
		if (lc->roles & GW_ROLE_CRYPTO)
			fprintf(f, " crypto");
		fprintf(f, "\n");
	}
}
