/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>

#include "pool.h"
#include "wireguard/constants.h"
#include "wireguard/messages.h"

#define GEN_FILL_BATCH		32

struct gen_pool *
gen_pool_create(struct gen *g)
{
	uint32_t max = 0, i, frame;
	struct gen_pool *pl;
	uint64_t per_slot;

	for (i = 0; i < g->o.n_sizes; i++)
		max = RTE_MAX(max, gen_padded_len(g, g->o.sizes[i]));
	frame = GEN_FRAME_HDRS + WG_DATA_LEN(max);
	pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		goto nomem;
	pl->stride = RTE_ALIGN_CEIL(frame, 64);
	per_slot = pl->stride + sizeof(*pl->len) + sizeof(*pl->l3) +
		sizeof(*pl->peer);
	pl->n = (g->o.pool_mb << 20) / per_slot;
	/*
	 * With a rate limit, 10 s of packets are plenty, and a packet never
	 * waits in the pool long enough for its session to expire.
	 */
	if (g->o.rate > 0 && (double)pl->n > g->o.rate * 10)
		pl->n = (uint64_t)(g->o.rate * 10);
	if (pl->n < 1024)
		pl->n = 1024;
	if (posix_memalign((void **)&pl->mem, 4096, pl->n * pl->stride) != 0) {
		pl->mem = NULL;
		goto nomem;
	}
	pl->len = calloc(pl->n, sizeof(*pl->len));
	pl->l3 = calloc(pl->n, sizeof(*pl->l3));
	pl->peer = calloc(pl->n, sizeof(*pl->peer));
	if (pl->len == NULL || pl->l3 == NULL || pl->peer == NULL)
		goto nomem;
	return pl;
nomem:
	fprintf(stderr, "dpdk-wg-gen: cannot allocate a pool of %" PRIu64
		" MiB (--pool-mb)\n", g->o.pool_mb);
	gen_pool_free(pl);
	return NULL;
}

void
gen_pool_free(struct gen_pool *pl)
{
	if (pl == NULL)
		return;
	free(pl->mem);
	free(pl->len);
	free(pl->l3);
	free(pl->peer);
	free(pl);
}

/* The next active peer with a session that may still send, or NULL. */
static struct gen_peer *
gen_pool_next_peer(struct gen *g, struct gen_pool *pl, uint64_t now)
{
	const uint64_t max_age = (uint64_t)((double)(WG_REJECT_AFTER_TIME -
		WG_REKEY_TIMEOUT) * 1e-9 * (double)g->hz);
	struct gen_session *s;
	struct gen_peer *p;
	uint32_t tries;

	for (tries = 0; tries < g->n_active; tries++) {
		p = &g->peers->p[g->active[pl->fill_rr]];
		if (++pl->fill_rr == g->n_active)
			pl->fill_rr = 0;
		s = gen_peer_session(p);
		if (s != NULL && now - s->birth < max_age &&
		    s->next_counter < WG_REKEY_AFTER_MESSAGES)
			return p;
		pl->skipped++;
	}
	return NULL;
}

unsigned int
gen_pool_fill(struct gen *g, unsigned int max)
{
	struct gen_pool *pl = g->pool;
	struct wg_aead_op ops[GEN_FILL_BATCH];
	uint64_t now = rte_rdtsc();
	unsigned int done = 0, k;

	while (done < max && pl->filled - pl->head < pl->n) {
		k = 0;
		while (k < GEN_FILL_BATCH && done + k < max &&
		       pl->filled + k - pl->head < pl->n) {
			uint64_t slot = (pl->filled + k) % pl->n;
			uint8_t *frame = pl->mem + slot * pl->stride;
			uint8_t *msg = frame + GEN_FRAME_HDRS;
			struct gen_payload pay;
			struct gen_session *s;
			struct gen_peer *p;
			uint32_t size, padded;

			p = gen_pool_next_peer(g, pl, now);
			if (p == NULL)
				break;
			s = gen_peer_session(p);
			size = g->o.sizes[pl->size_idx];
			if (++pl->size_idx == g->o.n_sizes)
				pl->size_idx = 0;
			padded = gen_padded_len(g, size);
			gen_frame_udp4(frame, &g->wan.mac, &g->wan.gw_mac,
				       p->outer_ip, g->o.gw_wan_ip,
				       g->o.peer_port, g->o.gw_port,
				       (uint16_t)WG_DATA_LEN(padded),
				       (uint16_t)(pl->filled + k));
			wg_msg_header_set((struct wg_msg_header *)msg,
					  WG_MSG_DATA);
			wg_le32_store(msg + 4, s->remote_index);
			wg_le64_store(msg + 8, s->next_counter);
			pay.magic = GEN_MAGIC;
			pay.peer = p->id;
			pay.seq = p->tx_seq[GEN_D_DEC]++;
			pay.gseq = pl->filled + k;
			pay.tsc = 0;	/* sent later: see g->tx_tsc */
			gen_inner_build(msg + WG_DATA_HEADER_LEN, (uint16_t)size,
					p->tunnel_ip, g->o.lan_ip,
					(uint16_t)(GEN_INNER_DPORT_BASE +
						   p->id % 50000),
					GEN_INNER_SPORT, &pay);
			memset(msg + WG_DATA_HEADER_LEN + size, 0,
			       padded - size);
			ops[k].data = msg + WG_DATA_HEADER_LEN;
			ops[k].len = padded;
			ops[k].tag = ops[k].data + padded;
			ops[k].key = s->send_key;
			ops[k].counter = s->next_counter++;
			ops[k].status = 0;
			pl->len[slot] = (uint16_t)(GEN_FRAME_HDRS +
						   WG_DATA_LEN(padded));
			pl->l3[slot] = (uint16_t)size;
			pl->peer[slot] = p->id;
			k++;
		}
		if (k == 0)
			break;
		if (wg_aead_encrypt_burst(g->engine, ops, k) != k)
			rte_exit(EXIT_FAILURE, "dpdk-wg-gen: the AEAD engine "
				 "refused a packet of the pool\n");
		pl->filled += k;
		done += k;
	}
	return done;
}

/* Copies up to n ready slots into pend[]; returns how many. */
static unsigned int
gen_pool_take(struct gen *g, struct gen_pool *pl, unsigned int n,
	      uint64_t now)
{
	unsigned int i;

	n = RTE_MIN(n, (unsigned int)RTE_DIM(pl->pend));
	if (gen_pool_ready(pl) < n)
		n = (unsigned int)gen_pool_ready(pl);
	if (n == 0) {
		/* the generator, not the gateway, is the limit now */
		if (pl->empty_since == 0)
			pl->empty_since = now;
		return 0;
	}
	if (pl->empty_since != 0) {
		g->st.dir[GEN_D_DEC].pool_empty_cycles += now - pl->empty_since;
		pl->empty_since = 0;
	}
	if (rte_pktmbuf_alloc_bulk(g->mp, pl->pend, n) != 0) {
		g->st.misc.no_mbuf++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		uint64_t slot = (pl->head + i) % pl->n;
		uint16_t len = pl->len[slot];

		memcpy(rte_pktmbuf_mtod(pl->pend[i], uint8_t *),
		       pl->mem + slot * pl->stride, len);
		pl->pend[i]->data_len = len;
		pl->pend[i]->pkt_len = len;
		pl->pend_peer[i] = pl->peer[slot];
		pl->pend_l3[i] = pl->l3[slot];
		pl->pend_len[i] = len;
	}
	/* the slots are free for refilling from now on */
	pl->pend_gseq = pl->head;
	pl->head += n;
	pl->n_pend = n;
	return n;
}

unsigned int
gen_pool_tx(struct gen *g, unsigned int n, uint64_t now)
{
	struct gen_pool *pl = g->pool;
	struct gen_dir_stats *d = &g->st.dir[GEN_D_DEC];
	const uint64_t mask = (1ULL << GEN_TX_TSC_BITS) - 1;
	unsigned int i, taken = 0, left;
	uint16_t sent;

	if (pl->n_pend == 0) {
		taken = gen_pool_take(g, pl, n, now);
		if (taken == 0)
			return 0;
	}
	/* the port owns (and may free) what it took: keep no pointer */
	sent = rte_eth_tx_burst((uint16_t)g->wan.id, 0, pl->pend,
				(uint16_t)pl->n_pend);
	for (i = 0; i < sent; i++) {
		g->tx_tsc[(pl->pend_gseq + i) & mask] = now;
		d->tx_l3_bytes += pl->pend_l3[i];
		d->tx_wire_bytes += pl->pend_len[i];
		g->peers->p[pl->pend_peer[i]].tx_pkts[GEN_D_DEC]++;
		g->tot_tx[GEN_D_DEC]++;
	}
	d->tx_pkts += sent;
	left = pl->n_pend - sent;
	gen_tx_backpressure(g, GEN_D_DEC, left, now);
	if (left != 0) {
		memmove(pl->pend, pl->pend + sent, left * sizeof(pl->pend[0]));
		memmove(pl->pend_peer, pl->pend_peer + sent,
			left * sizeof(pl->pend_peer[0]));
		memmove(pl->pend_l3, pl->pend_l3 + sent,
			left * sizeof(pl->pend_l3[0]));
		memmove(pl->pend_len, pl->pend_len + sent,
			left * sizeof(pl->pend_len[0]));
	}
	pl->pend_gseq += sent;
	pl->n_pend = left;
	return taken;
}

void
gen_pool_release(struct gen_pool *pl)
{
	if (pl == NULL)
		return;
	rte_pktmbuf_free_bulk(pl->pend, pl->n_pend);
	pl->n_pend = 0;
}
