/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/primitives.h"
#include "peer.h"
#include "peer_table.h"

#define WG_PEER_TABLE_MIN_BUCKETS	256

struct wg_peer_table {
	struct wg_peer **buckets;
	size_t mask;
	size_t count;
	uint8_t key[crypto_shorthash_KEYBYTES];
};

static uint64_t
pubkey_hash(const struct wg_peer_table *t, const uint8_t *pub)
{
	uint8_t out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, pub, WG_PUBLIC_KEY_LEN, t->key);
	memcpy(&h, out, sizeof(h));
	return h;
}

static void
chain_add(struct wg_peer **slot, struct wg_peer *p)
{
	p->hash_next = *slot;
	if (p->hash_next != NULL)
		p->hash_next->hash_pprev = &p->hash_next;
	*slot = p;
	p->hash_pprev = slot;
}

struct wg_peer_table *
wg_peer_table_create(void)
{
	struct wg_peer_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->buckets = calloc(WG_PEER_TABLE_MIN_BUCKETS, sizeof(*t->buckets));
	if (t->buckets == NULL) {
		free(t);
		return NULL;
	}
	t->mask = WG_PEER_TABLE_MIN_BUCKETS - 1;
	wg_random_bytes(t->key, sizeof(t->key));
	return t;
}

void
wg_peer_table_free(struct wg_peer_table *t)
{
	if (t == NULL)
		return;
	free(t->buckets);
	wg_memzero(t->key, sizeof(t->key));
	free(t);
}

/* Doubles the buckets; on allocation failure chains just get longer. */
static void
peer_table_grow(struct wg_peer_table *t)
{
	size_t old_n = t->mask + 1, new_n = old_n * 2, i;
	struct wg_peer **old = t->buckets, **nb;

	if (new_n < old_n)
		return;
	nb = calloc(new_n, sizeof(*nb));
	if (nb == NULL)
		return;
	t->buckets = nb;
	t->mask = new_n - 1;
	for (i = 0; i < old_n; i++) {
		struct wg_peer *p = old[i], *next;

		for (; p != NULL; p = next) {
			next = p->hash_next;
			chain_add(&nb[p->hash & t->mask], p);
		}
	}
	free(old);
}

static struct wg_peer *
peer_find(const struct wg_peer_table *t, const uint8_t *pub, uint64_t h)
{
	struct wg_peer *p = t->buckets[h & t->mask];

	for (; p != NULL; p = p->hash_next)
		if (p->hash == h &&
		    memcmp(wg_peer_public_key(p), pub, WG_PUBLIC_KEY_LEN) == 0)
			return p;
	return NULL;
}

int
wg_peer_table_insert(struct wg_peer_table *t, struct wg_peer *peer)
{
	const uint8_t *pub = wg_peer_public_key(peer);
	uint64_t h = pubkey_hash(t, pub);

	if (peer_find(t, pub, h) != NULL)
		return -EEXIST;
	if (t->count >= t->mask + 1)
		peer_table_grow(t);
	peer->hash = h;
	chain_add(&t->buckets[h & t->mask], peer);
	t->count++;
	return 0;
}

void
wg_peer_table_remove(struct wg_peer_table *t, struct wg_peer *peer)
{
	if (peer->hash_pprev == NULL)
		return;
	*peer->hash_pprev = peer->hash_next;
	if (peer->hash_next != NULL)
		peer->hash_next->hash_pprev = peer->hash_pprev;
	peer->hash_next = NULL;
	peer->hash_pprev = NULL;
	t->count--;
}

struct wg_peer *
wg_peer_table_lookup(const struct wg_peer_table *t,
		     const uint8_t public_key[WG_PUBLIC_KEY_LEN])
{
	return peer_find(t, public_key, pubkey_hash(t, public_key));
}

size_t
wg_peer_table_count(const struct wg_peer_table *t)
{
	return t->count;
}

int
wg_peer_table_foreach(struct wg_peer_table *t, wg_peer_fn fn, void *ctx)
{
	size_t i;
	int ret;

	for (i = 0; i <= t->mask; i++) {
		struct wg_peer *p = t->buckets[i], *next;

		for (; p != NULL; p = next) {
			next = p->hash_next;
			ret = fn(ctx, p);
			if (ret != 0)
				return ret;
		}
	}
	return 0;
}
