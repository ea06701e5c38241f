/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/primitives.h"
#include "hashtable.h"

_Static_assert(WG_HTABLE_KEY_LEN == crypto_shorthash_KEYBYTES,
	       "hash key size");
_Static_assert(crypto_shorthash_BYTES >= sizeof(uint64_t), "hash size");

int
wg_htable_init(struct wg_htable *t, size_t min_buckets,
	       wg_htable_rehash_fn rehash)
{
	t->buckets = calloc(min_buckets, sizeof(*t->buckets));
	if (t->buckets == NULL)
		return -ENOMEM;
	t->mask = min_buckets - 1;
	t->count = 0;
	t->rehash = rehash;
	wg_random_bytes(t->key, sizeof(t->key));
	return 0;
}

void
wg_htable_destroy(struct wg_htable *t)
{
	free(t->buckets);
	t->buckets = NULL;
	wg_memzero(t->key, sizeof(t->key));
}

struct wg_htable *
wg_htable_create(size_t min_buckets, wg_htable_rehash_fn rehash)
{
	struct wg_htable *t = malloc(sizeof(*t));

	if (t == NULL)
		return NULL;
	if (wg_htable_init(t, min_buckets, rehash) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
wg_htable_free(struct wg_htable *t)
{
	if (t == NULL)
		return;
	wg_htable_destroy(t);
	free(t);
}

uint64_t
wg_htable_hash(const struct wg_htable *t, const void *data, size_t len)
{
	uint8_t out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, data, len, t->key);
	memcpy(&h, out, sizeof(h));
	return h;
}

static void
chain_add(struct wg_hnode **slot, struct wg_hnode *n)
{
	n->next = *slot;
	if (n->next != NULL)
		n->next->pprev = &n->next;
	*slot = n;
	n->pprev = slot;
}

/* Doubles the bucket array; on allocation failure the table stays valid. */
static void
htable_grow(struct wg_htable *t)
{
	size_t old_n = t->mask + 1, new_n = old_n * 2, i;
	struct wg_hnode **old = t->buckets, **nb;

	if (new_n < old_n)
		return;
	nb = calloc(new_n, sizeof(*nb));
	if (nb == NULL)
		return;
	t->buckets = nb;
	t->mask = new_n - 1;
	for (i = 0; i < old_n; i++) {
		struct wg_hnode *n = old[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			chain_add(&nb[(size_t)t->rehash(t, n) & t->mask], n);
		}
	}
	free(old);
}

void
wg_htable_add(struct wg_htable *t, struct wg_hnode *n, uint64_t hash)
{
	if (t->count >= t->mask + 1)
		htable_grow(t);
	chain_add(&t->buckets[(size_t)hash & t->mask], n);
	t->count++;
}

void
wg_htable_del(struct wg_htable *t, struct wg_hnode *n)
{
	*n->pprev = n->next;
	if (n->next != NULL)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
	t->count--;
}

void
wg_htable_replace(struct wg_htable *t, struct wg_hnode *old_n,
		  struct wg_hnode *new_n)
{
	(void)t;
	new_n->next = old_n->next;
	new_n->pprev = old_n->pprev;
	*new_n->pprev = new_n;
	if (new_n->next != NULL)
		new_n->next->pprev = &new_n->next;
	old_n->next = NULL;
	old_n->pprev = NULL;
}

int
wg_htable_foreach(struct wg_htable *t, wg_hnode_fn fn, void *ctx)
{
	size_t i;
	int ret;

	for (i = 0; i <= t->mask; i++) {
		struct wg_hnode *n = t->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			ret = fn(ctx, n);
			if (ret != 0)
				return ret;
		}
	}
	return 0;
}
