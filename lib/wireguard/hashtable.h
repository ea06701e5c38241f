/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_HASHTABLE_H
#define WG_HASHTABLE_H

/*
 * Intrusive chained hash table shared by the index and peer tables: the
 * chain links (struct wg_hnode) are embedded in the owner, the bucket
 * array is a power of two and doubles when the load passes one node per
 * bucket (an allocation failure only makes the chains longer). Hashes come
 * from wg_htable_hash(): SipHash (libsodium crypto_shorthash) under a
 * random key, wiped by wg_htable_destroy(). The owner keeps or recomputes
 * each node's hash (rehash callback, used when growing) and compares keys
 * itself while walking a bucket. Not thread safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_HTABLE_KEY_LEN	16	/* crypto_shorthash_KEYBYTES */

/* The struct of type type whose member member is at ptr. */
#define WG_CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct wg_hnode {
	struct wg_hnode *next;
	struct wg_hnode **pprev;	/* NULL when not in a table */
};

struct wg_htable;

/* The node's full hash (as given to wg_htable_add) for regrowing. */
typedef uint64_t (*wg_htable_rehash_fn)(const struct wg_htable *t,
					const struct wg_hnode *n);

struct wg_htable {
	struct wg_hnode **buckets;
	size_t mask;			/* buckets - 1 (a power of two) */
	size_t count;
	wg_htable_rehash_fn rehash;
	uint8_t key[WG_HTABLE_KEY_LEN];
};

/* min_buckets must be a power of two; 0 or -ENOMEM. */
int
wg_htable_init(struct wg_htable *t, size_t min_buckets,
	       wg_htable_rehash_fn rehash);
/* Frees the buckets and wipes the key; the nodes are not touched. */
void
wg_htable_destroy(struct wg_htable *t);

/* wg_htable_init() on a fresh allocation; NULL on failure. */
struct wg_htable *
wg_htable_create(size_t min_buckets, wg_htable_rehash_fn rehash);
/* wg_htable_destroy() and frees t; NULL is a no-op. */
void
wg_htable_free(struct wg_htable *t);

/* Keyed hash of len bytes under the table's key. */
uint64_t
wg_htable_hash(const struct wg_htable *t, const void *data, size_t len);

/* Grows first if the load calls for it, then links n (not in a table). */
void
wg_htable_add(struct wg_htable *t, struct wg_hnode *n, uint64_t hash);
/* n must be in t. */
void
wg_htable_del(struct wg_htable *t, struct wg_hnode *n);
/* new_n (not in a table) takes old_n's place; old_n must be in t. */
void
wg_htable_replace(struct wg_htable *t, struct wg_hnode *old_n,
		  struct wg_hnode *new_n);

/*
 * Calls fn on every node until it returns non-zero, which is then
 * returned. fn may delete the node it is given, nothing else.
 */
typedef int (*wg_hnode_fn)(void *ctx, struct wg_hnode *n);
int
wg_htable_foreach(struct wg_htable *t, wg_hnode_fn fn, void *ctx);

static inline bool
wg_hnode_hashed(const struct wg_hnode *n)
{
	return n->pprev != NULL;
}

/* The first node of the chain holding hash (walk with ->next). */
static inline struct wg_hnode *
wg_htable_bucket(const struct wg_htable *t, uint64_t hash)
{
	return t->buckets[(size_t)hash & t->mask];
}

#endif /* WG_HASHTABLE_H */
