/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <string.h>

#include "hashtable.h"
#include "peer.h"
#include "peer_table.h"

#define WG_PEER_TABLE_MIN_BUCKETS	256

struct wg_peer_table {
	struct wg_htable ht;
};

static struct wg_peer *
node_peer(const struct wg_hnode *n)
{
	return WG_CONTAINER_OF(n, struct wg_peer, hash_node);
}

/* The hash is not kept in the peer (8 bytes each): growing recomputes it. */
static uint64_t
peer_rehash(const struct wg_htable *ht, const struct wg_hnode *n)
{
	return wg_htable_hash(ht, wg_peer_public_key(node_peer(n)),
			      WG_PUBLIC_KEY_LEN);
}

/* The table is its hash table (first member), created and freed as one. */
struct wg_peer_table *
wg_peer_table_create(void)
{
	struct wg_htable *ht;

	ht = wg_htable_create(WG_PEER_TABLE_MIN_BUCKETS, peer_rehash);
	return (struct wg_peer_table *)ht;
}

void
wg_peer_table_free(struct wg_peer_table *t)
{
	wg_htable_free((struct wg_htable *)t);
}

static struct wg_peer *
peer_find(const struct wg_peer_table *t, const uint8_t *pub, uint64_t h)
{
	struct wg_hnode *n = wg_htable_bucket(&t->ht, h);

	for (; n != NULL; n = n->next) {
		struct wg_peer *p = node_peer(n);

		if (memcmp(wg_peer_public_key(p), pub, WG_PUBLIC_KEY_LEN) == 0)
			return p;
	}
	return NULL;
}

int
wg_peer_table_insert(struct wg_peer_table *t, struct wg_peer *peer)
{
	const uint8_t *pub = wg_peer_public_key(peer);
	uint64_t h = wg_htable_hash(&t->ht, pub, WG_PUBLIC_KEY_LEN);

	if (peer_find(t, pub, h) != NULL)
		return -EEXIST;
	wg_htable_add(&t->ht, &peer->hash_node, h);
	return 0;
}

void
wg_peer_table_remove(struct wg_peer_table *t, struct wg_peer *peer)
{
	if (!wg_hnode_hashed(&peer->hash_node))
		return;
	wg_htable_del(&t->ht, &peer->hash_node);
}

struct wg_peer *
wg_peer_table_lookup(const struct wg_peer_table *t,
		     const uint8_t public_key[WG_PUBLIC_KEY_LEN])
{
	return peer_find(t, public_key,
			 wg_htable_hash(&t->ht, public_key, WG_PUBLIC_KEY_LEN));
}

size_t
wg_peer_table_count(const struct wg_peer_table *t)
{
	return t->ht.count;
}

struct peer_foreach_ctx {
	wg_peer_fn fn;
	void *ctx;
};

static int
peer_foreach_cb(void *ctx, struct wg_hnode *n)
{
	struct peer_foreach_ctx *c = ctx;

	return c->fn(c->ctx, node_peer(n));
}

int
wg_peer_table_foreach(struct wg_peer_table *t, wg_peer_fn fn, void *ctx)
{
	struct peer_foreach_ctx c = { .fn = fn, .ctx = ctx };

	return wg_htable_foreach(&t->ht, peer_foreach_cb, &c);
}
