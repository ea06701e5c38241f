/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdlib.h>

#include <sodium.h>

#include "crypto/primitives.h"
#include "index_table.h"
#include "messages.h"

#define WG_INDEX_TABLE_MIN_BUCKETS	1024

struct wg_index_table {
	struct wg_index_entry **buckets;
	size_t mask;			/* buckets - 1, a power of two less one */
	size_t count;
	uint8_t key[crypto_shorthash_KEYBYTES];
};

static size_t
index_bucket(const struct wg_index_table *t, uint32_t index)
{
	uint8_t in[4], out[crypto_shorthash_BYTES];
	uint64_t h;

	wg_le32_store(in, index);
	crypto_shorthash(out, in, sizeof(in), t->key);
	memcpy(&h, out, sizeof(h));
	return (size_t)h & t->mask;
}

static void
bucket_add(struct wg_index_entry **slot, struct wg_index_entry *e)
{
	e->next = *slot;
	if (e->next != NULL)
		e->next->pprev = &e->next;
	*slot = e;
	e->pprev = slot;
}

static void
bucket_del(struct wg_index_entry *e)
{
	*e->pprev = e->next;
	if (e->next != NULL)
		e->next->pprev = e->pprev;
	e->next = NULL;
	e->pprev = NULL;
}

struct wg_index_table *
wg_index_table_create(void)
{
	struct wg_index_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->buckets = calloc(WG_INDEX_TABLE_MIN_BUCKETS, sizeof(*t->buckets));
	if (t->buckets == NULL) {
		free(t);
		return NULL;
	}
	t->mask = WG_INDEX_TABLE_MIN_BUCKETS - 1;
	wg_random_bytes(t->key, sizeof(t->key));
	return t;
}

void
wg_index_table_free(struct wg_index_table *t)
{
	if (t == NULL)
		return;
	free(t->buckets);
	wg_memzero(t->key, sizeof(t->key));
	free(t);
}

/* Doubles the bucket array; on allocation failure the table stays valid. */
static void
index_table_grow(struct wg_index_table *t)
{
	size_t old_n = t->mask + 1, new_n = old_n * 2, i;
	struct wg_index_entry **old = t->buckets, **nb;

	if (new_n < old_n)
		return;
	nb = calloc(new_n, sizeof(*nb));
	if (nb == NULL)
		return;
	t->buckets = nb;
	t->mask = new_n - 1;
	for (i = 0; i < old_n; i++) {
		struct wg_index_entry *e = old[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			bucket_add(&nb[index_bucket(t, e->index)], e);
		}
	}
	free(old);
}

static struct wg_index_entry *
index_find(const struct wg_index_table *t, uint32_t index)
{
	struct wg_index_entry *e = t->buckets[index_bucket(t, index)];

	for (; e != NULL; e = e->next)
		if (e->index == index)
			return e;
	return NULL;
}

uint32_t
wg_index_table_insert(struct wg_index_table *t, struct wg_index_entry *e)
{
	uint32_t index;

	if (wg_index_entry_hashed(e))
		wg_index_table_remove(t, e);
	if (t->count >= t->mask + 1)
		index_table_grow(t);
	/* With at most 2^22 entries in a 2^32 space a retry is rare. */
	do {
		index = wg_random_u32();
	} while (index_find(t, index) != NULL);
	e->index = index;
	bucket_add(&t->buckets[index_bucket(t, index)], e);
	t->count++;
	return index;
}

bool
wg_index_table_replace(struct wg_index_table *t, struct wg_index_entry *old_e,
		       struct wg_index_entry *new_e)
{
	if (!wg_index_entry_hashed(old_e))
		return false;
	if (wg_index_entry_hashed(new_e))
		wg_index_table_remove(t, new_e);
	new_e->index = old_e->index;
	new_e->next = old_e->next;
	new_e->pprev = old_e->pprev;
	*new_e->pprev = new_e;
	if (new_e->next != NULL)
		new_e->next->pprev = &new_e->next;
	old_e->next = NULL;
	old_e->pprev = NULL;
	return true;
}

void
wg_index_table_remove(struct wg_index_table *t, struct wg_index_entry *e)
{
	if (!wg_index_entry_hashed(e))
		return;
	bucket_del(e);
	t->count--;
}

struct wg_index_entry *
wg_index_table_lookup(const struct wg_index_table *t, uint32_t index,
		      unsigned int type_mask)
{
	struct wg_index_entry *e = index_find(t, index);

	if (e != NULL && (e->type & type_mask) != 0)
		return e;
	return NULL;
}

size_t
wg_index_table_count(const struct wg_index_table *t)
{
	return t->count;
}
