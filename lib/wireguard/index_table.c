/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include "crypto/primitives.h"
#include "hashtable.h"
#include "index_table.h"
#include "messages.h"

#define WG_INDEX_TABLE_MIN_BUCKETS	1024

struct wg_index_table {
	struct wg_htable ht;
};

static struct wg_index_entry *
node_entry(const struct wg_hnode *n)
{
	return WG_CONTAINER_OF(n, struct wg_index_entry, node);
}

static uint64_t
index_hash(const struct wg_htable *ht, uint32_t index)
{
	uint8_t in[4];

	wg_le32_store(in, index);
	return wg_htable_hash(ht, in, sizeof(in));
}

static uint64_t
index_rehash(const struct wg_htable *ht, const struct wg_hnode *n)
{
	return index_hash(ht, node_entry(n)->index);
}

/* The table is its hash table (first member), created and freed as one. */
struct wg_index_table *
wg_index_table_create(void)
{
	struct wg_htable *ht;

	ht = wg_htable_create(WG_INDEX_TABLE_MIN_BUCKETS, index_rehash);
	return (struct wg_index_table *)ht;
}

void
wg_index_table_free(struct wg_index_table *t)
{
	wg_htable_free((struct wg_htable *)t);
}

static struct wg_index_entry *
index_find(const struct wg_index_table *t, uint32_t index, uint64_t h)
{
	struct wg_hnode *n = wg_htable_bucket(&t->ht, h);

	for (; n != NULL; n = n->next)
		if (node_entry(n)->index == index)
			return node_entry(n);
	return NULL;
}

uint32_t
wg_index_table_insert(struct wg_index_table *t, struct wg_index_entry *e)
{
	uint32_t index;
	uint64_t h;

	if (wg_index_entry_hashed(e))
		wg_index_table_remove(t, e);
	/* With at most 2^22 entries in a 2^32 space a retry is rare. */
	do {
		index = wg_random_u32();
		h = index_hash(&t->ht, index);
	} while (index_find(t, index, h) != NULL);
	e->index = index;
	wg_htable_add(&t->ht, &e->node, h);
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
	wg_htable_replace(&t->ht, &old_e->node, &new_e->node);
	return true;
}

void
wg_index_table_remove(struct wg_index_table *t, struct wg_index_entry *e)
{
	if (!wg_index_entry_hashed(e))
		return;
	wg_htable_del(&t->ht, &e->node);
}

struct wg_index_entry *
wg_index_table_lookup(const struct wg_index_table *t, uint32_t index,
		      unsigned int type_mask)
{
	struct wg_index_entry *e;

	e = index_find(t, index, index_hash(&t->ht, index));
	if (e != NULL && (e->type & type_mask) != 0)
		return e;
	return NULL;
}

size_t
wg_index_table_count(const struct wg_index_table *t)
{
	return t->ht.count;
}
