/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_GEN_H
#define GEN_GEN_H

/*
 * The generator's state. Everything runs on one lcore (the main lcore):
 * the ports' RX and TX, ARP, handshakes and the traffic of both
 * directions, in one loop (main.c). Times are TSC cycles.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "crypto/aead_batch.h"
#include "frame.h"
#include "options.h"
#include "peers.h"
#include "stats.h"

#define GEN_CTL_MAX		256	/* control frames waiting per port */
#define GEN_RX_BURST		64
#define GEN_TX_TSC_BITS		20	/* decrypt-direction TX timestamps kept */
#define GEN_MAX_FRAME		(GEN_FRAME_HDRS_MAX + 9216)
#define GEN_FRAME_HDRS_MAX	(14 + 20 + 8 + 16 + 16)

enum gen_phase {
	GEN_PHASE_LINK,		/* waiting for the ports' links */
	GEN_PHASE_RESOLVE,	/* the gateway's MAC addresses */
	GEN_PHASE_HANDSHAKE,
	GEN_PHASE_FILL,		/* packets encrypted in advance */
	GEN_PHASE_WARMUP,
	GEN_PHASE_QUIESCE,	/* warm-up traffic drains before counting */
	GEN_PHASE_RUN,
	GEN_PHASE_DRAIN,
	GEN_PHASE_DONE,
};

struct gen_port {
	int id;				/* ethdev port id; -1: none */
	const char *name;		/* "wan", "lan" */
	struct rte_ether_addr mac;
	struct rte_ether_addr gw_mac;
	bool gw_mac_known;
	uint32_t ip;			/* ours, network order */
	uint32_t gw_ip;			/* the gateway's on this link */
	struct rte_mbuf *ctl[GEN_CTL_MAX];
	unsigned int n_ctl;
	uint16_t ip_id;
	struct rte_eth_stats base;	/* at the start of the measurement */
};

/* TX state of one direction. */
struct gen_tx {
	double tokens;			/* rate limit */
	uint64_t last;			/* TSC of the last refill */
	uint64_t gseq;			/* next global sequence */
	uint64_t gseq_measured;		/* first one counted */
	uint32_t size_idx;
	uint32_t peer_rr;		/* next index into active[] */
	uint64_t sent_measured;		/* for --count */
	uint64_t full_since;		/* TSC: the port refused packets */
	bool done;
};

struct gen_pool;

struct gen {
	struct gen_options o;
	struct gen_peers *peers;
	uint32_t *active;		/* ids of peers with a session */
	uint32_t n_active;
	struct gen_port wan, lan;
	struct rte_mempool *mp;
	struct gen_pool *pool;
	struct wg_aead_engine *engine;
	struct gen_stats st;
	uint64_t hz;

	enum gen_phase phase;
	uint64_t t_phase;		/* when the phase began */
	uint64_t t_measure;		/* start of the measured traffic */
	uint64_t t_tx_end;		/* end of the measured traffic */
	uint64_t t_next_report;
	uint64_t t_next_arp;
	uint64_t t_next_keepalive;
	uint64_t t_last_rx;		/* last frame received */
	uint64_t tot_tx[GEN_D_MAX];	/* data packets since the start */
	uint64_t tot_rx[GEN_D_MAX];
	uint32_t keepalive_cursor;
	struct gen_tx tx[GEN_D_MAX];
	uint64_t *tx_tsc;		/* decrypt: TSC of gseq & mask */
	/* encrypt: frames built but not yet taken by the port, in order */
	struct rte_mbuf *enc_pend[64];
	uint32_t enc_pend_peer[64];
	uint16_t enc_pend_l3[64];
	unsigned int n_enc_pend;

	/* handshakes */
	double hs_tokens;
	uint64_t hs_last;
	uint32_t hs_next_new;		/* next peer never initiated */
	uint32_t hs_scan;		/* retry scan cursor */
	uint32_t hs_settled;		/* peers up or failed */
	uint64_t hs_timeout;		/* --handshake-timeout in TSC */

	/* encrypt direction: inner size from padded length */
	uint16_t size_of_padded[GEN_MAX_FRAME];
	uint32_t verify_count[GEN_D_MAX];

	/* last periodic report */
	struct gen_stats prev;
	uint64_t t_prev;

	uint8_t scratch[GEN_MAX_FRAME];	/* a sampled packet decrypted */
	int exit_code;
};

extern volatile sig_atomic_t gen_quit;

static inline double
gen_sec(const struct gen *g, uint64_t cycles)
{
	return (double)cycles / (double)g->hz;
}

static inline uint64_t
gen_ns(const struct gen *g, uint64_t cycles)
{
	return (uint64_t)((double)cycles * 1e9 / (double)g->hz);
}

/* Padded plaintext of an inner packet of len bytes (Linux rule). */
static inline uint32_t
gen_padded_len(const struct gen *g, uint32_t len)
{
	uint32_t p = (len + 15u) & ~15u;

	if (p > g->o.tunnel_mtu)
		p = len > g->o.tunnel_mtu ? len : g->o.tunnel_mtu;
	return p;
}

/* Backpressure accounting after a TX burst that left `left` packets. */
static inline void
gen_tx_backpressure(struct gen *g, enum gen_dir_idx d, unsigned int left,
		    uint64_t now)
{
	struct gen_tx *t = &g->tx[d];

	if (left != 0) {
		if (t->full_since == 0)
			t->full_since = now;
	} else if (t->full_since != 0) {
		g->st.dir[d].backpressure_cycles += now - t->full_since;
		t->full_since = 0;
	}
}

/* Monotonic ns for the protocol core (cookie ages). */
uint64_t
gen_now_ns(const struct gen *g);
/* Wall clock ns (TAI64N). */
uint64_t
gen_real_ns(void);

#endif /* GEN_GEN_H */
