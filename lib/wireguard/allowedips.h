/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_ALLOWEDIPS_H
#define WG_ALLOWEDIPS_H

/*
 * Allowed IPs: longest-prefix match from an inner address to a peer, for
 * IPv4 and IPv6. The core's reference table (control plane, socket
 * driver, source check); the DPDK data path mirrors it into rte_fib.
 * Not thread safe.
 */

#include <stddef.h>
#include <stdint.h>

struct wg_allowedips;

struct wg_allowedips *
wg_allowedips_create(void);
void
wg_allowedips_free(struct wg_allowedips *t);

/*
 * addr: network order (4 or 16 bytes); host bits beyond cidr are ignored.
 * A prefix already present moves to the new peer. 0, -EINVAL (family,
 * cidr, NULL peer), -ENOMEM (the table is unchanged).
 */
int
wg_allowedips_insert(struct wg_allowedips *t, int family, const uint8_t *addr,
		     uint8_t cidr, void *peer);
/* Removes the prefix only if it belongs to peer. 0 or -ENOENT. */
int
wg_allowedips_remove(struct wg_allowedips *t, int family, const uint8_t *addr,
		     uint8_t cidr, const void *peer);
/* Removes every prefix of peer: O(its prefixes * trie depth). */
void
wg_allowedips_remove_by_peer(struct wg_allowedips *t, const void *peer);

/* Longest match, or NULL. */
void *
wg_allowedips_lookup(const struct wg_allowedips *t, int family,
		     const uint8_t *addr);

/*
 * Calls fn for each prefix of peer (any order; addr in network order,
 * host bits clear); stops if fn returns non-zero and returns that value,
 * else 0. fn must not modify the table.
 */
typedef int (*wg_allowedips_fn)(void *ctx, int family, const uint8_t *addr,
				uint8_t cidr);
int
wg_allowedips_walk_by_peer(const struct wg_allowedips *t, const void *peer,
			   wg_allowedips_fn fn, void *ctx);

/* Number of prefixes stored (both families). */
size_t
wg_allowedips_count(const struct wg_allowedips *t);
/* Bytes held by the table (nodes, peer index), for sizing and tests. */
size_t
wg_allowedips_memory(const struct wg_allowedips *t);

#endif /* WG_ALLOWEDIPS_H */
