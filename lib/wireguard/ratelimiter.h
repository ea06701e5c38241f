/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_RATELIMITER_H
#define WG_RATELIMITER_H

/*
 * Handshake rate limiter: a token bucket per source address (IPv6 keyed by
 * its /64), WG_RATELIMIT_PACKETS_PER_SECOND with a burst of
 * WG_RATELIMIT_PACKETS_BURSTABLE. The table is bounded, keyed with a
 * random secret (SipHash) so collisions cannot be aimed, and entries
 * idle for a second are expired. Single-threaded (control lcore).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"

struct wg_ratelimiter;

/* max_entries bounds the table; when full, new sources are refused. */
struct wg_ratelimiter *
wg_ratelimiter_create(size_t max_entries);
void
wg_ratelimiter_free(struct wg_ratelimiter *rl);

/* now: monotonic ns. Only the address (not the port) of src is used. */
bool
wg_ratelimiter_allow(struct wg_ratelimiter *rl, const struct wg_endpoint *src,
		     uint64_t now);

/* Drops entries idle for over a second; call about once a second. */
void
wg_ratelimiter_gc(struct wg_ratelimiter *rl, uint64_t now);

size_t
wg_ratelimiter_count(const struct wg_ratelimiter *rl);

#endif /* WG_RATELIMITER_H */
