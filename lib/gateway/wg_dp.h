/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_WG_DP_H
#define GW_WG_DP_H

/*
 * The gateway's WireGuard state, shared by wg_control.c (control lcore),
 * wg_rx.c and wg_tx.c (I/O lcores) and wg_crypto.c (crypto lcores and the
 * in-order completion), wg_uapi_glue.c (control lcore) and telemetry.c
 * (read only, see telemetry.h). Not for other files: they use wg_hook.h
 * and wg_control.h.
 *
 * Threads (docs/architecture.md):
 *   - each struct wg_device (one per `wireguard:` interface) belongs to
 *     the control lcore: handshakes, timers, key rotation, staging;
 *   - I/O lcores classify, look keypairs up (rte_hash, lock-free), take
 *     nonces, build jobs of up to GW_WG_JOB_PKTS packets and submit them;
 *   - crypto lcores run the batched AEAD of the jobs in their ring;
 *   - the submitting I/O lcore completes its jobs strictly in submission
 *     order (a FIFO per lcore), so that the packets of a peer leave in the
 *     order they arrived even when several crypto lcores worked on them.
 * When the I/O lcore is the only crypto lcore there are no rings: the
 * AEAD runs inline and a job completes at once (run to completion).
 *
 * Lifetime of what the data path dereferences (keypairs, peers, peer ids):
 * an lcore may hold a pointer only within one loop iteration (RCU
 * quiescent state at its end, gw->qsbr) or inside an in-flight job. The
 * control lcore therefore frees in two stages: after an rte_rcu_qsbr grace
 * period no lcore can still find the object, and no job can have been
 * submitted with it after that point; once every lcore's FIFO has
 * completed the jobs submitted before the grace period ended, none is in
 * flight either.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_seqcount.h>

#include "crypto/aead_batch.h"
#include "lcore.h"
#include "wg_hook.h"
#include "wg_peer_dp.h"
#include "wireguard/device.h"
#include "wireguard/messages.h"

#define GW_WG_HS_QUEUE		WG_MAX_QUEUED_INCOMING_HANDSHAKES /* 4096 */
#define GW_WG_UNDER_LOAD	(GW_WG_HS_QUEUE / 8)
#define GW_WG_STAGE_RING	1024	/* packets waiting for a session */
#define GW_WG_STAGED_MBUFS	1024	/* mbufs the core may hold staged */
#define GW_WG_FIFO_JOBS		32	/* in-flight jobs per lcore */
#define GW_WG_JOB_PKTS		GW_BURST
#define GW_WG_MIN_PEERS		16384	/* peer ids beyond the configured peers */
#define GW_WG_AGG		8	/* peers aggregated per job */
#define GW_WG_HS_MAX_LEN	sizeof(struct wg_msg_initiation)
/* Handshake messages processed per control poll: bounded work. */
#define GW_WG_HS_BUDGET		32
#define GW_WG_HS_BUDGET_SHARED	4	/* control lcore also does I/O */

struct gw_gateway;
struct gw_wg;

/* A handshake message copied off its mbuf for the control lcore. */
struct gw_wg_hs_msg {
	struct wg_endpoint src;
	uint16_t len;
	uint8_t buf[GW_WG_HS_MAX_LEN];
};

/* One `wireguard:` interface. */
struct gw_wg_if {
	struct gw_wg *wg;
	unsigned int index;
	char name[GW_NAME_MAX];
	uint16_t listen_port;		/* host order */
	uint16_t mtu;
	struct wg_device *dev;		/* control lcore only */
	struct rte_hash *kp_hash;	/* receiver index -> struct wg_keypair */
	struct rte_ring *hs_ring;	/* MP/SC: messages for the control lcore */
	struct rte_ring *hs_free;	/* free message slots */
	struct gw_wg_hs_msg *hs_msgs;
	uint64_t last_under_load;	/* ns; 0: never */
	uint8_t public_key[32];
	bool has_key;
	/* handshakes under load, wg_hs_filter.c */
	rte_seqcount_t ck_seq;		/* of ck_pub: one writer, the control lcore */
	struct wg_cookie_checker ck_pub;/* copy of dev's, for the I/O lcores */
	uint32_t hs_filter;		/* atomic: I/O lcores check the macs */
	uint64_t hs_io_seen;		/* control: hs_io_filtered at hs_io_at */
	uint64_t hs_io_at;		/* control: ns */
	/* atomic: messages the I/O lcores answered or dropped under load */
	uint64_t hs_io_filtered __rte_cache_aligned;
};

enum gw_wg_dir {
	GW_WG_DIR_RX,
	GW_WG_DIR_TX,
};

/* Per packet of a job: what the completion needs. */
struct gw_wg_pkt {
	struct rte_mbuf *m;
	struct gw_wg_peer_dp *dp;
	struct wg_keypair *kp;		/* RX: the session it came under */
	uint64_t counter;		/* RX: message counter; TX: nonce */
	uint32_t len;			/* RX: plaintext; TX: padded plaintext */
	uint32_t remote_index;		/* TX: receiver index for the header */
	uint8_t ds;			/* RX: outer ECN; TX: outer DS field */
};

/* A burst of packets whose AEAD runs as one batch. */
struct gw_wg_job {
	uint32_t done;			/* atomic: AEAD finished (release) */
	uint8_t dir;			/* enum gw_wg_dir */
	uint16_t n;
	struct gw_wg_pkt pkts[GW_WG_JOB_PKTS];
	struct wg_aead_op ops[GW_WG_JOB_PKTS];
} __rte_cache_aligned;

/* WireGuard context of one lcore (any role). */
struct gw_wg_lcore {
	struct gw_wg *wg;
	struct gw_lcore *lc;
	struct wg_aead_engine *engine;
	bool inline_crypto;		/* no crypto lcore but this one */
	bool completing;		/* inside gw_wg_complete() */
	uint32_t head;			/* oldest job not completed */
	uint32_t tail;			/* next job to reserve */
	uint32_t completed;		/* atomic copy of head, for control */
	uint32_t submitted;		/* atomic copy of tail (reserved jobs) */
	unsigned int rr;		/* next crypto lcore */
	uint32_t held_seen;		/* head last counted in wg_jobs_held */
	uint16_t ip_id;			/* outer IPv4 identification */
	struct rte_ring *crypto_ring;	/* crypto role: jobs to run (MP/SC) */
	struct gw_wg_job *jobs;		/* GW_WG_FIFO_JOBS */
} __rte_cache_aligned;

/* Deferred frees (two stages, see above). */
enum gw_wg_defer_kind {
	GW_WG_DEFER_KEYPAIR,
	GW_WG_DEFER_PEER,
	GW_WG_DEFER_ID,
};

struct gw_wg_defer {
	struct gw_wg_defer *next;
	enum gw_wg_defer_kind kind;
	void *ptr;
	uint32_t id;
};

enum gw_wg_epoch_state {
	GW_WG_EPOCH_IDLE,
	GW_WG_EPOCH_RCU,		/* waiting for the grace period */
	GW_WG_EPOCH_DRAIN,		/* waiting for in-flight jobs */
};

struct gw_wg {
	struct gw_gateway *gw;
	struct gw_wg_if ifs[GW_MAX_WG];
	unsigned int n_if;
	uint64_t ns_mult;		/* TSC cycles -> ns, 32.32 fixed point */
	bool started;

	/* peer ids */
	struct gw_wg_peer_dp *peers;	/* [cap] */
	uint32_t cap;
	uint32_t n_fresh;		/* ids 0..n_fresh-1 used at least once */
	uint32_t *free_ids;		/* reusable ids (stack) */
	uint32_t n_free;

	struct rte_ring *ev_ring;	/* MP/SC peer ids with events */
	uint32_t ev_overflow;		/* atomic: scan every peer */
	struct rte_ring *stage_ring;	/* MP/SC mbufs without a session */
	unsigned int staged_mbufs;	/* held by the cores' staging queues */

	/* lcores */
	struct gw_wg_lcore *lc[RTE_MAX_LCORE];
	struct gw_wg_lcore *crypto[RTE_MAX_LCORE];	/* with a crypto ring */
	unsigned int n_crypto;

	/* deferred frees */
	struct gw_wg_defer *pending;
	struct gw_wg_defer *epoch;
	enum gw_wg_epoch_state epoch_state;
	uint64_t epoch_token;
	uint32_t epoch_snap[RTE_MAX_LCORE];
};

/* Monotonic ns for the core, from the TSC (any origin). */
static inline uint64_t
gw_wg_now(const struct gw_wg *wg)
{
	return (uint64_t)(((unsigned __int128)rte_get_tsc_cycles() *
			   wg->ns_mult) >> 32);
}

static inline struct gw_wg_if *
gw_wg_if_by_port(struct gw_wg *wg, uint16_t port_be)
{
	unsigned int i;

	for (i = 0; i < wg->n_if; i++)
		if (rte_cpu_to_be_16(wg->ifs[i].listen_port) == port_be)
			return &wg->ifs[i];
	return NULL;
}

/* Per-job aggregation of per-peer counters and events. */
struct gw_wg_agg_peer {
	struct gw_wg_peer_dp *dp;
	uint32_t ev;
	uint32_t rx_data;
	uint32_t rx_keepalive;
	uint32_t tx_data;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	bool have_ep;
	struct gw_wg_ep ep;
};

struct gw_wg_agg {
	unsigned int n;
	struct gw_wg_agg_peer p[GW_WG_AGG];
};

/* wg_crypto.c */
struct gw_wg_job *
gw_wg_job_get(struct gw_wg_lcore *wl, enum gw_wg_dir dir);
void
gw_wg_job_submit(struct gw_wg_lcore *wl, struct gw_wg_job *job);
unsigned int
gw_wg_complete(struct gw_wg_lcore *wl);
struct gw_wg_agg_peer *
gw_wg_agg_get(struct gw_wg *wg, struct gw_wg_agg *agg,
	      struct gw_wg_peer_dp *dp);
void
gw_wg_agg_flush(struct gw_wg *wg, struct gw_wg_agg *agg);
int
gw_wg_lcores_create(struct gw_wg *wg);
void
gw_wg_lcores_free(struct gw_wg *wg);

/* wg_control.c: a UDP datagram from wif's port, sent by lc (any lcore). */
int
gw_wg_xmit_udp(struct gw_lcore *lc, struct gw_wg_if *wif,
	       const struct wg_endpoint *dst, const uint8_t *buf, size_t len);

/* wg_hs_filter.c */
/* Control lcore: publishes wif->dev's cookie checker if it changed. */
void
gw_wg_hs_publish(struct gw_wg_if *wif);
/* Control lcore: whether wif is under load (queued: handshake backlog). */
bool
gw_wg_hs_under_load(struct gw_wg_if *wif, unsigned int queued, uint64_t now);
/* I/O lcore: true if it consumed m (dropped or answered a cookie reply). */
bool
gw_wg_hs_filter(struct gw_lcore *lc, struct gw_wg_if *wif, struct rte_mbuf *m,
		const uint8_t *msg, uint32_t len, const struct wg_endpoint *src);

/* wg_rx.c / wg_tx.c: completion of a job whose AEAD is done. */
void
gw_wg_rx_complete(struct gw_wg_lcore *wl, struct gw_wg_job *job);
void
gw_wg_tx_complete(struct gw_wg_lcore *wl, struct gw_wg_job *job);

#endif /* GW_WG_DP_H */
