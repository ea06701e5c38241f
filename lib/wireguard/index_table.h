/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_INDEX_TABLE_H
#define WG_INDEX_TABLE_H

/*
 * Receiver-index table (Linux peerlookup.c, index hashtable): maps the
 * random 32-bit index we announced in a handshake message to the pending
 * handshake or, once the session is derived, to its keypair. Entries are
 * embedded in their owner (no allocation per insert or lookup); the bucket
 * array is keyed with SipHash (libsodium crypto_shorthash) and a random
 * key, and doubles when the load exceeds one entry per bucket, so lookups
 * stay O(1) up to millions of entries.
 *
 * Not thread safe: one writer and no concurrent readers (the control
 * thread). A data path on other threads mirrors keypair indices through
 * the device's keypair_new / keypair_retire hooks.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashtable.h"

struct wg_peer;

enum wg_index_type {
	WG_INDEX_HANDSHAKE	= 1 << 0,
	WG_INDEX_KEYPAIR	= 1 << 1,
};

struct wg_index_entry {
	struct wg_hnode node;		/* pprev NULL: not in the table */
	struct wg_peer *peer;
	uint32_t index;			/* host order; LE on the wire */
	uint8_t type;			/* enum wg_index_type */
};

struct wg_index_table;

struct wg_index_table *
wg_index_table_create(void);
/* The table must be empty or its entries abandoned (they are not touched). */
void
wg_index_table_free(struct wg_index_table *t);

/*
 * Gives e a fresh random index not in use (wg_random_u32, retried on
 * collision) and inserts it; if e was already in, it is first removed, so
 * its old index stops resolving. Returns the new index.
 */
uint32_t
wg_index_table_insert(struct wg_index_table *t, struct wg_index_entry *e);

/* new_e takes old_e's index and place; false if old_e is not in the table. */
bool
wg_index_table_replace(struct wg_index_table *t, struct wg_index_entry *old_e,
		       struct wg_index_entry *new_e);

/* No-op when e is not in the table. */
void
wg_index_table_remove(struct wg_index_table *t, struct wg_index_entry *e);

/* The entry with this index whose type is in type_mask, or NULL. */
struct wg_index_entry *
wg_index_table_lookup(const struct wg_index_table *t, uint32_t index,
		      unsigned int type_mask);

size_t
wg_index_table_count(const struct wg_index_table *t);

static inline bool
wg_index_entry_hashed(const struct wg_index_entry *e)
{
	return wg_hnode_hashed(&e->node);
}

#endif /* WG_INDEX_TABLE_H */
