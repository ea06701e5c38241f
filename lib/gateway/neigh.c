/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "arp.h"
#include "gateway.h"
#include "lcore.h"
#include "log.h"
#include "nd.h"
#include "neigh.h"

enum gw_neigh_state {
	GW_NEIGH_FREE = 0,
	GW_NEIGH_INCOMPLETE,
	GW_NEIGH_REACHABLE,
	GW_NEIGH_PROBE,
	GW_NEIGH_STATIC,
};

struct gw_neigh_key {
	uint8_t addr[16];	/* IPv4 in the first 4 bytes, rest zero */
	uint16_t port;
	uint8_t family;
	uint8_t pad;		/* zero */
};

/* Bit 63 of the data-path word: the MAC in bits 0..47 is usable. */
#define GW_NEIGH_VALID		(UINT64_C(1) << 63)

struct gw_neigh_entry {
	uint64_t word;		/* read lock-free by the data path */
	/* the rest under the table lock */
	struct gw_neigh_key key;
	uint8_t state;
	uint8_t tries;
	uint8_t n_queued;
	uint64_t deadline;	/* tsc: next retry or end of reachability */
	struct rte_mbuf *queue[GW_NEIGH_QUEUE_LEN];
} __rte_cache_aligned;

struct gw_neigh_table {
	struct rte_hash *h;
	struct gw_neigh_entry *e;
	unsigned int max;
	unsigned int count;
	rte_spinlock_t lock;
};

/* Work the tick does outside the lock. */
#define GW_NEIGH_TICK_MAX	64

struct gw_neigh_probe {
	struct gw_neigh_key key;
	struct rte_ether_addr dst;
	bool unicast;
};

static inline void
gw_neigh_key_make(struct gw_neigh_key *k, uint16_t port, int family,
		  const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, addr, family == AF_INET ? 4 : 16);
	k->port = port;
	k->family = (uint8_t)family;
}

static inline uint64_t
gw_neigh_word(const struct rte_ether_addr *mac)
{
	uint64_t w = 0;

	memcpy(&w, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return w | GW_NEIGH_VALID;
}

static inline void
gw_neigh_mac(uint64_t w, struct rte_ether_addr *mac)
{
	memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN);
}

struct gw_neigh_table *
gw_neigh_create(unsigned int max_entries, int socket, struct rte_rcu_qsbr *qsbr)
{
	struct rte_hash_parameters hp;
	struct rte_hash_rcu_config rc;
	struct gw_neigh_table *t;

	t = rte_zmalloc_socket("gw_neigh", sizeof(*t), 0, socket);
	if (t == NULL)
		return NULL;
	rte_spinlock_init(&t->lock);
	t->max = max_entries;
	t->e = rte_zmalloc_socket("gw_neigh_entries",
				  sizeof(*t->e) * max_entries, 0, socket);
	if (t->e == NULL)
		goto fail;

	memset(&hp, 0, sizeof(hp));
	hp.name = "gw_neigh";
	hp.entries = max_entries;
	hp.key_len = sizeof(struct gw_neigh_key);
	hp.hash_func = rte_hash_crc;	/* CRC32 instructions: cheaper than jhash */
	hp.socket_id = socket;
	/* lock-free readers; writers serialised by t->lock */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF;
	t->h = rte_hash_create(&hp);
	if (t->h == NULL)
		goto fail;

	memset(&rc, 0, sizeof(rc));
	rc.v = qsbr;
	rc.mode = RTE_HASH_QSBR_MODE_DQ;
	if (rte_hash_rcu_qsbr_add(t->h, &rc) != 0)
		goto fail;
	return t;
fail:
	gw_neigh_free(t);
	return NULL;
}

void
gw_neigh_free(struct gw_neigh_table *t)
{
	unsigned int i, j;

	if (t == NULL)
		return;
	if (t->e != NULL) {
		for (i = 0; i < t->max; i++)
			for (j = 0; j < t->e[i].n_queued; j++)
				rte_pktmbuf_free(t->e[i].queue[j]);
	}
	rte_hash_free(t->h);
	rte_free(t->e);
	rte_free(t);
}

unsigned int
gw_neigh_count(struct gw_neigh_table *t)
{
	return t->count;
}

/* Under the lock. Returns the entry for key, created empty, or NULL. */
static struct gw_neigh_entry *
gw_neigh_add_locked(struct gw_neigh_table *t, const struct gw_neigh_key *k)
{
	struct gw_neigh_entry *e;
	int32_t pos;

	pos = rte_hash_add_key(t->h, k);
	if (pos < 0)
		return NULL;
	if ((unsigned int)pos >= t->max) {
		rte_hash_del_key(t->h, k);
		return NULL;
	}
	e = &t->e[pos];
	/* a free slot's word is 0: readers that find the key see it invalid */
	e->key = *k;
	e->state = GW_NEIGH_FREE;
	e->tries = 0;
	e->n_queued = 0;
	e->deadline = 0;
	t->count++;
	return e;
}

/* Under the lock. */
static void
gw_neigh_del_locked(struct gw_neigh_table *t, struct gw_neigh_entry *e)
{
	__atomic_store_n(&e->word, 0, __ATOMIC_RELEASE);
	e->state = GW_NEIGH_FREE;
	if (rte_hash_del_key(t->h, &e->key) >= 0)
		t->count--;
}

int
gw_neigh_add_static(struct gw_neigh_table *t, uint16_t port, int family,
		    const uint8_t *addr, const struct rte_ether_addr *mac)
{
	struct gw_neigh_entry *e;
	struct gw_neigh_key k;
	int32_t pos;

	gw_neigh_key_make(&k, port, family, addr);
	rte_spinlock_lock(&t->lock);
	pos = rte_hash_lookup(t->h, &k);
	e = pos >= 0 ? &t->e[pos] : gw_neigh_add_locked(t, &k);
	if (e == NULL) {
		rte_spinlock_unlock(&t->lock);
		return -ENOSPC;
	}
	e->state = GW_NEIGH_STATIC;
	__atomic_store_n(&e->word, gw_neigh_word(mac), __ATOMIC_RELEASE);
	rte_spinlock_unlock(&t->lock);
	return 0;
}

bool
gw_neigh_lookup(struct gw_neigh_table *t, uint16_t port, int family,
		const uint8_t *addr, struct rte_ether_addr *mac)
{
	struct gw_neigh_key k;
	uint64_t w;
	int32_t pos;

	gw_neigh_key_make(&k, port, family, addr);
	pos = rte_hash_lookup(t->h, &k);
	if (pos < 0 || (unsigned int)pos >= t->max)
		return false;
	w = __atomic_load_n(&t->e[pos].word, __ATOMIC_ACQUIRE);
	if (!(w & GW_NEIGH_VALID))
		return false;
	gw_neigh_mac(w, mac);
	return true;
}

static void
gw_neigh_send(struct gw_lcore *lc, const struct gw_neigh_key *k,
	      const struct rte_ether_addr *dst)
{
	rte_be32_t a4;

	if (k->family == AF_INET) {
		memcpy(&a4, k->addr, 4);
		gw_arp_request(lc, k->port, a4, dst);
	} else {
		gw_nd_solicit(lc, k->port, k->addr, dst);
	}
}

static inline void
gw_neigh_tx(struct gw_lcore *lc, uint16_t port, struct rte_mbuf *m,
	    const struct rte_ether_addr *mac)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	rte_ether_addr_copy(mac, &eth->dst_addr);
	gw_lcore_tx(lc, port, m);
}

void
gw_neigh_resolve(struct gw_lcore *lc, uint16_t port, int family,
		 const uint8_t *addr, struct rte_mbuf *m)
{
	struct gw_neigh_table *t = lc->gw->neigh;
	struct rte_ether_addr mac;
	struct gw_neigh_entry *e;
	struct gw_neigh_key k;
	uint64_t w;
	int32_t pos;

	gw_neigh_key_make(&k, port, family, addr);
	rte_spinlock_lock(&t->lock);
	pos = rte_hash_lookup(t->h, &k);
	if (pos >= 0 && (unsigned int)pos < t->max) {
		e = &t->e[pos];
		w = e->word;
		if (w & GW_NEIGH_VALID) {
			rte_spinlock_unlock(&t->lock);
			gw_neigh_mac(w, &mac);
			gw_neigh_tx(lc, port, m, &mac);
			return;
		}
		if (e->n_queued >= GW_NEIGH_QUEUE_LEN) {
			rte_spinlock_unlock(&t->lock);
			gw_drop(lc, m, GW_DROP_NEIGH_QUEUE);
			return;
		}
		e->queue[e->n_queued++] = m;
		rte_spinlock_unlock(&t->lock);
		return;
	}
	e = gw_neigh_add_locked(t, &k);
	if (e == NULL) {
		rte_spinlock_unlock(&t->lock);
		gw_drop(lc, m, GW_DROP_NEIGH_FULL);
		return;
	}
	e->state = GW_NEIGH_INCOMPLETE;
	e->tries = 1;
	e->deadline = rte_get_tsc_cycles() +
		lc->gw->tsc_hz * GW_NEIGH_RETRY_MS / 1000;
	e->queue[e->n_queued++] = m;
	rte_spinlock_unlock(&t->lock);
	gw_neigh_send(lc, &k, NULL);
}

void
gw_neigh_update(struct gw_lcore *lc, uint16_t port, int family,
		const uint8_t *addr, const struct rte_ether_addr *mac,
		unsigned int flags)
{
	struct gw_neigh_table *t = lc->gw->neigh;
	struct rte_mbuf *q[GW_NEIGH_QUEUE_LEN];
	struct gw_neigh_entry *e;
	struct gw_neigh_key k;
	unsigned int i, n;
	uint64_t w, nw;
	int32_t pos;

	if (!rte_is_unicast_ether_addr(mac))
		return;
	gw_neigh_key_make(&k, port, family, addr);
	nw = gw_neigh_word(mac);
	rte_spinlock_lock(&t->lock);
	pos = rte_hash_lookup(t->h, &k);
	if (pos >= 0 && (unsigned int)pos < t->max) {
		e = &t->e[pos];
	} else {
		if (!(flags & GW_NEIGH_F_CREATE)) {
			rte_spinlock_unlock(&t->lock);
			return;
		}
		e = gw_neigh_add_locked(t, &k);
		if (e == NULL) {
			rte_spinlock_unlock(&t->lock);
			return;
		}
	}
	w = e->word;
	if (e->state == GW_NEIGH_STATIC ||
	    ((w & GW_NEIGH_VALID) && w != nw && !(flags & GW_NEIGH_F_OVERRIDE))) {
		rte_spinlock_unlock(&t->lock);
		return;
	}
	e->state = GW_NEIGH_REACHABLE;
	e->tries = 0;
	e->deadline = rte_get_tsc_cycles() +
		lc->gw->tsc_hz * GW_NEIGH_REACHABLE_S;
	__atomic_store_n(&e->word, nw, __ATOMIC_RELEASE);
	n = e->n_queued;
	for (i = 0; i < n; i++)
		q[i] = e->queue[i];
	e->n_queued = 0;
	rte_spinlock_unlock(&t->lock);

	for (i = 0; i < n; i++)
		gw_neigh_tx(lc, port, q[i], mac);
}

void
gw_neigh_confirm(struct gw_lcore *lc, uint16_t port, int family,
		 const uint8_t *addr)
{
	struct gw_neigh_table *t = lc->gw->neigh;
	struct gw_neigh_entry *e;
	struct gw_neigh_key k;
	int32_t pos;

	gw_neigh_key_make(&k, port, family, addr);
	rte_spinlock_lock(&t->lock);
	pos = rte_hash_lookup(t->h, &k);
	if (pos >= 0 && (unsigned int)pos < t->max) {
		e = &t->e[pos];
		if (e->state != GW_NEIGH_STATIC && (e->word & GW_NEIGH_VALID)) {
			e->state = GW_NEIGH_REACHABLE;
			e->tries = 0;
			e->deadline = rte_get_tsc_cycles() +
				lc->gw->tsc_hz * GW_NEIGH_REACHABLE_S;
		}
	}
	rte_spinlock_unlock(&t->lock);
}

void
gw_neigh_tick(struct gw_lcore *lc, uint64_t now)
{
	struct gw_neigh_table *t = lc->gw->neigh;
	struct gw_neigh_probe probes[GW_NEIGH_TICK_MAX];
	struct gw_neigh_entry *dead[GW_NEIGH_TICK_MAX];
	uint64_t retry = lc->gw->tsc_hz * GW_NEIGH_RETRY_MS / 1000;
	unsigned int i, n_probes = 0, n_dead = 0;
	struct gw_neigh_entry *e;
	const void *key;
	uint32_t next = 0;
	void *data;
	int32_t pos;

	rte_spinlock_lock(&t->lock);
	while (n_probes < GW_NEIGH_TICK_MAX && n_dead < GW_NEIGH_TICK_MAX &&
	       (pos = rte_hash_iterate(t->h, &key, &data, &next)) >= 0) {
		if ((unsigned int)pos >= t->max)
			continue;
		e = &t->e[pos];
		if (e->state == GW_NEIGH_STATIC || now < e->deadline)
			continue;
		switch (e->state) {
		case GW_NEIGH_INCOMPLETE:
		case GW_NEIGH_PROBE:
			if (e->tries >= GW_NEIGH_TRIES) {
				/* unanswered: drop what waited, forget it */
				for (i = 0; i < e->n_queued; i++)
					rte_pktmbuf_free(e->queue[i]);
				lc->stats.drops[GW_DROP_NEIGH_FAILED] +=
					e->n_queued;
				e->n_queued = 0;
				dead[n_dead++] = e;
				continue;
			}
			break;
		case GW_NEIGH_REACHABLE:
			/* not confirmed for a while: probe, still usable */
			e->state = GW_NEIGH_PROBE;
			e->tries = 0;
			break;
		default:
			continue;
		}
		e->tries++;
		e->deadline = now + retry;
		probes[n_probes].key = e->key;
		probes[n_probes].unicast = (e->word & GW_NEIGH_VALID) != 0;
		gw_neigh_mac(e->word, &probes[n_probes].dst);
		n_probes++;
	}
	for (i = 0; i < n_dead; i++)
		gw_neigh_del_locked(t, dead[i]);
	rte_spinlock_unlock(&t->lock);

	for (i = 0; i < n_probes; i++)
		gw_neigh_send(lc, &probes[i].key,
			      probes[i].unicast ? &probes[i].dst : NULL);
}
