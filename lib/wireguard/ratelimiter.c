/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Handshake rate limiter (Linux ratelimiter.c semantics).
 *
 * Each source owns a bucket of tokens measured in nanoseconds: time
 * elapsed since the last packet is credited, capped at TOKEN_MAX (the
 * burst), and a packet costs PACKET_COST. A source seen for the first
 * time is let through and starts with TOKEN_MAX - PACKET_COST.
 *
 * Sources: an IPv4 address, or the first 64 bits of an IPv6 address;
 * the port never matters. The key of the hash is 16 random bytes drawn
 * at creation, so a remote party cannot aim its sources at one chain.
 *
 * Storage: all max_entries entries are allocated at creation (no
 * allocation on the packet path, memory fixed under attack), chained
 * by 32-bit index from a power-of-two bucket array.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "constants.h"
#include "ratelimiter.h"

#define RL_PACKET_COST	(WG_NSEC_PER_SEC / WG_RATELIMIT_PACKETS_PER_SECOND)
#define RL_TOKEN_MAX	(RL_PACKET_COST * WG_RATELIMIT_PACKETS_BURSTABLE)
#define RL_IDLE_EXPIRY	WG_NSEC_PER_SEC
#define RL_NIL		UINT32_MAX
#define RL_MAX_ENTRIES	(UINT32_MAX / 2)

_Static_assert(WG_NSEC_PER_SEC % WG_RATELIMIT_PACKETS_PER_SECOND == 0,
	       "packet cost must be a whole number of nanoseconds");

struct rl_entry {
	uint64_t source;	/* IPv4 address or IPv6 /64, as raw bytes */
	uint64_t last_ns;
	uint64_t tokens;
	uint32_t next;		/* chain, or free list */
	uint8_t family;
};

struct wg_ratelimiter {
	unsigned char key[crypto_shorthash_KEYBYTES];
	uint32_t *buckets;
	uint32_t bucket_mask;
	uint32_t free_head;
	size_t max_entries;
	size_t count;
	struct rl_entry *entries;
};

static uint32_t
rl_bucket(const struct wg_ratelimiter *rl, uint8_t family, uint64_t source)
{
	unsigned char in[1 + sizeof(source)], out[crypto_shorthash_BYTES];
	uint64_t h;

	in[0] = family;
	memcpy(in + 1, &source, sizeof(source));
	crypto_shorthash(out, in, sizeof(in), rl->key);
	memcpy(&h, out, sizeof(h));
	return (uint32_t)h & rl->bucket_mask;
}

struct wg_ratelimiter *
wg_ratelimiter_create(size_t max_entries)
{
	struct wg_ratelimiter *rl;
	size_t nbuckets = 16, i;

	if (max_entries == 0 || max_entries > RL_MAX_ENTRIES) {
		errno = EINVAL;
		return NULL;
	}
	if (sodium_init() < 0) {
		errno = EIO;
		return NULL;
	}
	while (nbuckets < max_entries)
		nbuckets <<= 1;

	rl = calloc(1, sizeof(*rl));
	if (rl == NULL)
		return NULL;
	rl->buckets = malloc(nbuckets * sizeof(*rl->buckets));
	rl->entries = calloc(max_entries, sizeof(*rl->entries));
	if (rl->buckets == NULL || rl->entries == NULL) {
		free(rl->buckets);
		free(rl->entries);
		free(rl);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < nbuckets; i++)
		rl->buckets[i] = RL_NIL;
	for (i = 0; i < max_entries; i++)
		rl->entries[i].next = i + 1 < max_entries ? (uint32_t)(i + 1) :
			RL_NIL;
	rl->free_head = 0;
	rl->bucket_mask = (uint32_t)(nbuckets - 1);
	rl->max_entries = max_entries;
	randombytes_buf(rl->key, sizeof(rl->key));
	return rl;
}

void
wg_ratelimiter_free(struct wg_ratelimiter *rl)
{
	if (rl == NULL)
		return;
	sodium_memzero(rl->key, sizeof(rl->key));
	free(rl->buckets);
	free(rl->entries);
	free(rl);
}

bool
wg_ratelimiter_allow(struct wg_ratelimiter *rl, const struct wg_endpoint *src,
		     uint64_t now)
{
	struct rl_entry *e;
	uint64_t source = 0, tokens;
	uint32_t b, i;

	if (src->family == AF_INET)
		memcpy(&source, src->addr, 4);
	else if (src->family == AF_INET6)
		memcpy(&source, src->addr, 8);	/* the /64 */
	else
		return false;

	b = rl_bucket(rl, src->family, source);
	for (i = rl->buckets[b]; i != RL_NIL; i = e->next) {
		e = &rl->entries[i];
		if (e->source != source || e->family != src->family)
			continue;
		/* A clock that steps back earns nothing and moves nothing. */
		tokens = e->tokens;
		if (now > e->last_ns) {
			tokens += now - e->last_ns;
			e->last_ns = now;
		}
		if (tokens > RL_TOKEN_MAX)
			tokens = RL_TOKEN_MAX;
		if (tokens < RL_PACKET_COST) {
			e->tokens = tokens;
			return false;
		}
		e->tokens = tokens - RL_PACKET_COST;
		return true;
	}

	/* A new source: refused when the table is full. */
	if (rl->free_head == RL_NIL)
		return false;
	i = rl->free_head;
	e = &rl->entries[i];
	rl->free_head = e->next;
	e->source = source;
	e->family = src->family;
	e->last_ns = now;
	e->tokens = RL_TOKEN_MAX - RL_PACKET_COST;
	e->next = rl->buckets[b];
	rl->buckets[b] = i;
	rl->count++;
	return true;
}

void
wg_ratelimiter_gc(struct wg_ratelimiter *rl, uint64_t now)
{
	uint32_t b, i, *link;
	struct rl_entry *e;

	if (rl->count == 0)
		return;
	for (b = 0; b <= rl->bucket_mask; b++) {
		link = &rl->buckets[b];
		while ((i = *link) != RL_NIL) {
			e = &rl->entries[i];
			if (now > e->last_ns &&
			    now - e->last_ns > RL_IDLE_EXPIRY) {
				*link = e->next;
				e->next = rl->free_head;
				rl->free_head = i;
				rl->count--;
			} else {
				link = &e->next;
			}
		}
	}
}

size_t
wg_ratelimiter_count(const struct wg_ratelimiter *rl)
{
	return rl->count;
}
