/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_common.h>

#include "pool.h"
#include "tx.h"

/* Builds n clear frames for the encrypt direction into the pending list. */
static void
gen_tx_enc_build(struct gen *g, unsigned int n, uint64_t now)
{
	struct gen_tx *t = &g->tx[GEN_D_ENC];
	struct rte_ether_hdr *eth;
	struct gen_payload pay;
	struct gen_peer *p;
	unsigned int i;
	uint32_t size;
	uint8_t *buf;

	if (rte_pktmbuf_alloc_bulk(g->mp, g->enc_pend, n) != 0) {
		g->st.misc.no_mbuf++;
		return;
	}
	for (i = 0; i < n; i++) {
		p = &g->peers->p[g->active[t->peer_rr]];
		if (++t->peer_rr == g->n_active)
			t->peer_rr = 0;
		size = g->o.sizes[t->size_idx];
		if (++t->size_idx == g->o.n_sizes)
			t->size_idx = 0;
		buf = rte_pktmbuf_mtod(g->enc_pend[i], uint8_t *);
		eth = (struct rte_ether_hdr *)buf;
		rte_ether_addr_copy(&g->lan.gw_mac, &eth->dst_addr);
		rte_ether_addr_copy(&g->lan.mac, &eth->src_addr);
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		pay.magic = GEN_MAGIC;
		pay.peer = p->id;
		pay.seq = p->tx_seq[GEN_D_ENC]++;
		pay.gseq = t->gseq++;
		pay.tsc = now;
		gen_inner_build(buf + GEN_ETH_LEN, (uint16_t)size, g->o.lan_ip,
				p->tunnel_ip, GEN_INNER_SPORT,
				(uint16_t)(GEN_INNER_DPORT_BASE + p->id % 50000),
				&pay);
		g->enc_pend[i]->data_len = (uint16_t)(GEN_ETH_LEN + size);
		g->enc_pend[i]->pkt_len = GEN_ETH_LEN + size;
		g->enc_pend_peer[i] = p->id;
		g->enc_pend_l3[i] = (uint16_t)size;
	}
	g->n_enc_pend = n;
}

/* Sends the pending frames in order; returns how many left. */
static unsigned int
gen_tx_enc_send(struct gen *g, uint64_t now)
{
	struct gen_dir_stats *d = &g->st.dir[GEN_D_ENC];
	unsigned int i, left;
	uint16_t sent;

	if (g->n_enc_pend == 0)
		return 0;
	sent = rte_eth_tx_burst((uint16_t)g->lan.id, 0, g->enc_pend,
				(uint16_t)g->n_enc_pend);
	for (i = 0; i < sent; i++) {
		d->tx_l3_bytes += g->enc_pend_l3[i];
		d->tx_wire_bytes += GEN_ETH_LEN + g->enc_pend_l3[i];
		g->peers->p[g->enc_pend_peer[i]].tx_pkts[GEN_D_ENC]++;
		g->tot_tx[GEN_D_ENC]++;
	}
	d->tx_pkts += sent;
	left = g->n_enc_pend - sent;
	gen_tx_backpressure(g, GEN_D_ENC, left, now);
	if (left != 0) {
		memmove(g->enc_pend, g->enc_pend + sent,
			left * sizeof(g->enc_pend[0]));
		memmove(g->enc_pend_peer, g->enc_pend_peer + sent,
			left * sizeof(g->enc_pend_peer[0]));
		memmove(g->enc_pend_l3, g->enc_pend_l3 + sent,
			left * sizeof(g->enc_pend_l3[0]));
	}
	g->n_enc_pend = left;
	return sent;
}

/* How many packets direction d may send now (rate, --count). */
static unsigned int
gen_tx_budget(struct gen *g, enum gen_dir_idx d, uint64_t now)
{
	struct gen_tx *t = &g->tx[d];
	unsigned int n = g->o.burst;
	double cap;

	if (g->o.rate > 0) {
		cap = RTE_MAX((double)g->o.burst, g->o.rate / 1000.0);
		t->tokens += (double)(now - t->last) * g->o.rate /
			(double)g->hz;
		if (t->tokens > cap)
			t->tokens = cap;
		if (t->tokens < n)
			n = (unsigned int)t->tokens;
	}
	t->last = now;
	if (g->o.count != 0 && g->phase == GEN_PHASE_RUN &&
	    g->o.count - t->sent_measured < n)
		n = (unsigned int)(g->o.count - t->sent_measured);
	return n;
}

unsigned int
gen_tx_poll(struct gen *g, uint64_t now)
{
	unsigned int work = 0, n, done;
	struct gen_tx *t;

	if (g->o.direction & GEN_DIR_DECRYPT) {
		t = &g->tx[GEN_D_DEC];
		n = t->done ? 0 : gen_tx_budget(g, GEN_D_DEC, now);
		if (n != 0) {
			done = gen_pool_tx(g, n, now);
			t->tokens -= done;
			if (g->phase == GEN_PHASE_RUN)
				t->sent_measured += done;
			work += done;
		}
	}
	if (g->o.direction & GEN_DIR_ENCRYPT) {
		t = &g->tx[GEN_D_ENC];
		if (g->n_enc_pend == 0 && !t->done) {
			n = gen_tx_budget(g, GEN_D_ENC, now);
			if (n != 0) {
				gen_tx_enc_build(g, n, now);
				t->tokens -= g->n_enc_pend;
			}
		}
		done = gen_tx_enc_send(g, now);
		if (g->phase == GEN_PHASE_RUN)
			t->sent_measured += done;
		work += done;
	}
	return work;
}

void
gen_tx_flush(struct gen *g)
{
	if (g->pool != NULL && g->pool->n_pend != 0)
		gen_pool_tx(g, 0, rte_rdtsc());
	if (g->n_enc_pend != 0)
		gen_tx_enc_send(g, rte_rdtsc());
}

void
gen_tx_release(struct gen *g)
{
	rte_pktmbuf_free_bulk(g->enc_pend, g->n_enc_pend);
	g->n_enc_pend = 0;
	gen_pool_release(g->pool);
}
