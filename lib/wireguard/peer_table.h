/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_PEER_TABLE_H
#define WG_PEER_TABLE_H

/*
 * Peers by static public key (Linux pubkey hashtable): chained buckets
 * keyed with SipHash (libsodium crypto_shorthash) under a random key, the
 * chain links embedded in the peer, doubling when the load passes one
 * peer per bucket. O(1) lookups up to millions of peers, no allocation per
 * lookup. Not thread safe (control thread).
 */

#include <stddef.h>
#include <stdint.h>

#include "messages.h"

struct wg_peer;
struct wg_peer_table;

struct wg_peer_table *
wg_peer_table_create(void);
/* The peers themselves are not freed. */
void
wg_peer_table_free(struct wg_peer_table *t);

/* 0, or -EEXIST if a peer with this public key is present. */
int
wg_peer_table_insert(struct wg_peer_table *t, struct wg_peer *peer);
void
wg_peer_table_remove(struct wg_peer_table *t, struct wg_peer *peer);
struct wg_peer *
wg_peer_table_lookup(const struct wg_peer_table *t,
		     const uint8_t public_key[WG_PUBLIC_KEY_LEN]);
size_t
wg_peer_table_count(const struct wg_peer_table *t);

/*
 * Calls fn on every peer (in no particular order) until it returns
 * non-zero, which is then returned. fn may remove the peer it is given,
 * nothing else.
 */
typedef int (*wg_peer_fn)(void *ctx, struct wg_peer *peer);
int
wg_peer_table_foreach(struct wg_peer_table *t, wg_peer_fn fn, void *ctx);

#endif /* WG_PEER_TABLE_H */
