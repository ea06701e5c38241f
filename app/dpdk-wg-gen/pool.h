/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_POOL_H
#define GEN_POOL_H

/*
 * Packets encrypted in advance, for the decrypt direction: so that the
 * generator's own encryption does not limit what it can offer the
 * gateway. A ring of complete WAN frames (Ethernet, IPv4, UDP, WireGuard
 * data message), filled in order with the active peers in turn and the
 * --size list in turn, each packet under its peer's current session with
 * the session's next counter: a counter is never used twice, and every
 * peer's counters leave in increasing order (the ring is sent in the
 * order it was filled), so the gateway's replay window accepts them all.
 *
 * A sent slot is stale; it is refilled (re-encrypted with a fresh counter
 * and sequence number) when the loop has time, in batches of the data
 * path's AEAD engine. Slot number = the packet's global sequence number
 * (gseq), which indexes the table of transmission timestamps.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "gen.h"

struct gen_pool {
	uint8_t *mem;			/* n slots of stride bytes */
	uint32_t stride;
	uint64_t n;
	uint16_t *len;			/* frame length of each slot */
	uint16_t *l3;			/* its inner packet size */
	uint32_t *peer;			/* its peer id */
	uint64_t head;			/* slots sent (next to send) */
	uint64_t filled;		/* slots filled */
	uint32_t fill_rr;		/* next index into active[] */
	uint32_t size_idx;
	uint64_t skipped;		/* peers without a usable session */
	uint64_t empty_since;		/* TSC: TX found nothing ready */
	/* copied out of the ring, not yet taken by the port, in order */
	struct rte_mbuf *pend[64];
	uint64_t pend_gseq;		/* gseq of pend[0] */
	uint32_t pend_peer[64];
	uint16_t pend_l3[64];
	uint16_t pend_len[64];
	unsigned int n_pend;
};

/* Sized by --pool-mb for the largest --size. NULL on error (message). */
struct gen_pool *
gen_pool_create(struct gen *g);
void
gen_pool_free(struct gen_pool *pl);

static inline uint64_t
gen_pool_ready(const struct gen_pool *pl)
{
	return pl->filled - pl->head;
}

/* Encrypts up to max stale slots; returns how many. */
unsigned int
gen_pool_fill(struct gen *g, unsigned int max);

/*
 * Sends on the WAN port what an earlier call could not, else up to n
 * ready packets; returns how many new packets it took from the ring.
 */
unsigned int
gen_pool_tx(struct gen *g, unsigned int n, uint64_t now);
/* Frees the packets copied out but not sent. */
void
gen_pool_release(struct gen_pool *pl);

#endif /* GEN_POOL_H */
