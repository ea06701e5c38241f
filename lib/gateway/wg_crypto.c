/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Crypto lcores and the in-order completion of WireGuard jobs.
 *
 * Every lcore with a role has a FIFO of GW_WG_FIFO_JOBS jobs: `tail` is
 * the next job to reserve, `head` the oldest not completed. An I/O lcore
 * reserves and fills a job (a burst of RX or TX packets with their AEAD ops), submits
 * it and, unless it runs the AEAD inline, enqueues it on the ring of the
 * next crypto lcore (round robin: one peer's bursts spread over all of
 * them). A crypto lcore runs the batch and sets `done` (release). The
 * owner completes jobs only from the head, and only done ones (acquire),
 * so that whatever order the crypto lcores finish in, packets leave in
 * the order they were submitted, which is the order they arrived.
 *
 * Nothing blocks: a full FIFO or ring drops the burst (wg_crypto_full).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "gateway.h"
#include "lcore.h"
#include "log.h"
#include "wg_dp.h"
#include "wg_hook.h"

#define GW_WG_CRYPTO_POLL_JOBS	GW_WG_FIFO_JOBS

/*
 * Reserves the job at the tail: its place in the order is taken now, so
 * that a job started while another is being filled (an ICMP error sent
 * into a tunnel from inside gw_wg_output, a completion that forwards to a
 * peer) gets the next one. It completes only once submitted.
 */
struct gw_wg_job *
gw_wg_job_get(struct gw_wg_lcore *wl, enum gw_wg_dir dir)
{
	struct gw_wg_job *job;

	if (unlikely(wl->tail - wl->head >= GW_WG_FIFO_JOBS))
		return NULL;
	job = &wl->jobs[wl->tail & (GW_WG_FIFO_JOBS - 1)];
	job->done = 0;
	job->dir = (uint8_t)dir;
	job->n = 0;
	wl->tail++;
	__atomic_store_n(&wl->submitted, wl->tail, __ATOMIC_RELEASE);
	return job;
}

static void
gw_wg_job_run(struct gw_wg_lcore *wl, struct gw_wg_job *job)
{
	struct wg_aead_engine *e = wl->engine;

	wl->lc->stats.wg_crypto_jobs++;
	if (job->dir == GW_WG_DIR_RX)
		wg_aead_decrypt_burst(e, job->ops, job->n);
	else
		wg_aead_encrypt_burst(e, job->ops, job->n);
	__atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
}

/* No crypto lcore took it: its packets are dropped at completion. */
static void
gw_wg_job_refuse(struct gw_wg_job *job)
{
	uint16_t i;

	for (i = 0; i < job->n; i++)
		job->ops[i].status = -ENOBUFS;
	__atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
}

void
gw_wg_job_submit(struct gw_wg_lcore *wl, struct gw_wg_job *job)
{
	struct gw_wg *wg = wl->wg;
	unsigned int i, c;

	if (job->n == 0) {
		__atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
	} else if (wl->inline_crypto) {
		gw_wg_job_run(wl, job);
	} else {
		for (i = 0; i < wg->n_crypto; i++) {
			c = wl->rr++ % wg->n_crypto;
			if (rte_ring_mp_enqueue(wg->crypto[c]->crypto_ring,
						job) == 0)
				break;
		}
		if (i == wg->n_crypto)
			gw_wg_job_refuse(job);
	}
	if (!wl->completing)
		gw_wg_complete(wl);
}

/* The head is not done: is a younger job done, held back for order? */
static void
gw_wg_count_held(struct gw_wg_lcore *wl)
{
	uint32_t i;

	if (wl->inline_crypto || wl->held_seen == wl->head)
		return;
	for (i = wl->head + 1; i != wl->tail; i++) {
		if (__atomic_load_n(&wl->jobs[i & (GW_WG_FIFO_JOBS - 1)].done,
				    __ATOMIC_RELAXED)) {
			wl->lc->stats.wg_jobs_held++;
			wl->held_seen = wl->head;	/* once per head */
			return;
		}
	}
}

unsigned int
gw_wg_complete(struct gw_wg_lcore *wl)
{
	struct gw_wg_job *job;
	unsigned int n = 0;

	/* a completion may submit (hub and spoke): never re-entered */
	wl->completing = true;
	while (wl->head != wl->tail) {
		job = &wl->jobs[wl->head & (GW_WG_FIFO_JOBS - 1)];
		if (!__atomic_load_n(&job->done, __ATOMIC_ACQUIRE)) {
			gw_wg_count_held(wl);
			break;
		}
		if (job->dir == GW_WG_DIR_RX)
			gw_wg_rx_complete(wl, job);
		else
			gw_wg_tx_complete(wl, job);
		job->n = 0;
		wl->head++;
		__atomic_store_n(&wl->completed, wl->head, __ATOMIC_RELEASE);
		n++;
	}
	wl->completing = false;
	return n;
}

unsigned int
gw_wg_io_poll(struct gw_lcore *lc)
{
	struct gw_gateway *gw = lc->gw;
	struct gw_wg_lcore *wl;

	if (gw->wgs == NULL)
		return 0;
	wl = gw->wgs->lc[lc->lcore_id];
	if (wl == NULL || wl->head == wl->tail)
		return 0;
	/*
	 * Jobs still with the crypto lcores are not work: waiting for them
	 * backs off like an idle poll (spin, then short sleeps), which lets
	 * crypto lcores that share this CPU run; the first completion or
	 * received packet resets the back-off.
	 */
	return gw_wg_complete(wl);
}

unsigned int
gw_wg_crypto_poll(struct gw_lcore *lc)
{
	struct gw_gateway *gw = lc->gw;
	struct gw_wg_job *jobs[GW_WG_CRYPTO_POLL_JOBS];
	struct gw_wg_lcore *wl;
	unsigned int n, i;

	if (gw->wgs == NULL)
		return 0;
	wl = gw->wgs->lc[lc->lcore_id];
	if (wl == NULL || wl->crypto_ring == NULL)
		return 0;
	n = rte_ring_sc_dequeue_burst(wl->crypto_ring, (void **)jobs,
				      GW_WG_CRYPTO_POLL_JOBS, NULL);
	for (i = 0; i < n; i++)
		gw_wg_job_run(wl, jobs[i]);
	return n;
}

/* ---- per-job aggregation of counters and events ---------------------- */

static void
gw_wg_agg_flush_one(struct gw_wg *wg, struct gw_wg_agg_peer *a)
{
	struct gw_wg_peer_dp *dp = a->dp;
	uint32_t old;

	if (a->rx_data != 0)
		__atomic_fetch_add(&dp->rx_data, a->rx_data, __ATOMIC_RELAXED);
	if (a->rx_keepalive != 0)
		__atomic_fetch_add(&dp->rx_keepalive, a->rx_keepalive,
				   __ATOMIC_RELAXED);
	if (a->rx_bytes != 0)
		__atomic_fetch_add(&dp->rx_bytes, a->rx_bytes, __ATOMIC_RELAXED);
	if (a->tx_data != 0)
		__atomic_fetch_add(&dp->tx_data, a->tx_data, __ATOMIC_RELAXED);
	if (a->tx_bytes != 0)
		__atomic_fetch_add(&dp->tx_bytes, a->tx_bytes, __ATOMIC_RELAXED);
	if (a->ev == 0)
		return;
	/* release: the counters above are visible with the bits */
	old = __atomic_fetch_or(&dp->events, a->ev, __ATOMIC_RELEASE);
	if (old == 0 &&
	    rte_ring_mp_enqueue(wg->ev_ring, (void *)(uintptr_t)dp->id) != 0)
		__atomic_store_n(&wg->ev_overflow, 1, __ATOMIC_RELEASE);
}

void
gw_wg_agg_flush(struct gw_wg *wg, struct gw_wg_agg *agg)
{
	unsigned int i;

	for (i = 0; i < agg->n; i++)
		gw_wg_agg_flush_one(wg, &agg->p[i]);
	agg->n = 0;
}

struct gw_wg_agg_peer *
gw_wg_agg_get(struct gw_wg *wg, struct gw_wg_agg *agg,
	      struct gw_wg_peer_dp *dp)
{
	struct gw_wg_agg_peer *a;
	unsigned int i;

	for (i = 0; i < agg->n; i++)
		if (agg->p[i].dp == dp)
			return &agg->p[i];
	if (agg->n == GW_WG_AGG)
		gw_wg_agg_flush(wg, agg);
	a = &agg->p[agg->n++];
	memset(a, 0, offsetof(struct gw_wg_agg_peer, ep));
	a->dp = dp;
	return a;
}

/* ---- set-up ----------------------------------------------------------- */

static bool
gw_wg_lcore_is_crypto(const struct gw_gateway *gw, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < gw->n_crypto; i++)
		if (gw->crypto_lcores[i] == id)
			return true;
	return false;
}

int
gw_wg_lcores_create(struct gw_wg *wg)
{
	struct gw_gateway *gw = wg->gw;
	char name[RTE_RING_NAMESIZE];
	struct gw_wg_lcore *wl;
	unsigned int id, i, ring_size;
	bool only_self;
	int socket;

	ring_size = rte_align32pow2((gw->n_io + 1) * GW_WG_FIFO_JOBS);
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if (gw->lcores[id] == NULL)
			continue;
		socket = (int)rte_lcore_to_socket_id(id);
		wl = rte_zmalloc_socket("gw_wg_lcore", sizeof(*wl),
					RTE_CACHE_LINE_SIZE, socket);
		if (wl == NULL)
			return -ENOMEM;
		wg->lc[id] = wl;
		wl->wg = wg;
		wl->lc = gw->lcores[id];
		wl->jobs = rte_zmalloc_socket("gw_wg_jobs",
			GW_WG_FIFO_JOBS * sizeof(*wl->jobs),
			RTE_CACHE_LINE_SIZE, socket);
		if (wl->jobs == NULL)
			return -ENOMEM;
		wl->engine = wg_aead_engine_create(WG_AEAD_IMPL_AUTO);
		if (wl->engine == NULL)
			return -ENOTSUP;
		if (gw_wg_lcore_is_crypto(gw, id)) {
			snprintf(name, sizeof(name), "gw_wg_crypto_%u", id);
			wl->crypto_ring = rte_ring_create(name, ring_size,
				socket, RING_F_SC_DEQ);
			if (wl->crypto_ring == NULL)
				return -ENOMEM;
			wg->crypto[wg->n_crypto++] = wl;
		}
	}
	/*
	 * Inline (run to completion) where no other lcore does crypto: an
	 * I/O lcore that is the only crypto lcore, any lcore when none is
	 * configured, and the lcores without the I/O role (the control
	 * lcore sends the odd ICMP reply into a tunnel itself).
	 */
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		wl = wg->lc[id];
		if (wl == NULL)
			continue;
		only_self = true;
		for (i = 0; i < wg->n_crypto; i++)
			if (wg->crypto[i] != wl)
				only_self = false;
		wl->inline_crypto = only_self ||
			!(wl->lc->roles & GW_ROLE_IO);
	}
	return 0;
}

static void
gw_wg_job_free_mbufs(struct gw_wg_job *job)
{
	uint16_t i;

	for (i = 0; i < job->n; i++)
		rte_pktmbuf_free(job->pkts[i].m);
	job->n = 0;
}

void
gw_wg_lcores_free(struct gw_wg *wg)
{
	struct gw_wg_lcore *wl;
	unsigned int id;

	for (id = 0; id < RTE_MAX_LCORE; id++) {
		wl = wg->lc[id];
		if (wl == NULL)
			continue;
		if (wl->jobs != NULL) {
			/* submitted jobs the lcores did not complete */
			for (; wl->head != wl->tail; wl->head++)
				gw_wg_job_free_mbufs(&wl->jobs[wl->head &
					(GW_WG_FIFO_JOBS - 1)]);
			rte_free(wl->jobs);
		}
		rte_ring_free(wl->crypto_ring);
		wg_aead_engine_free(wl->engine);
		rte_free(wl);
		wg->lc[id] = NULL;
	}
	wg->n_crypto = 0;
}
