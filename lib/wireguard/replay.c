/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Anti-replay window after RFC 6479: a ring of 64-bit words indexed by
 * counter / 64. Advancing the window clears the words it moves over
 * instead of shifting the whole bitmap, so the cost of a packet is
 * bounded by the number of words skipped (at most the ring size).
 *
 * Counters are stored shifted by one (greatest = highest accepted + 1)
 * so that a fresh window (greatest == 0) needs no separate flag; the
 * bitmap is indexed by the shifted value as well. The acceptance rule is
 * the one of Linux counter_validate(): a counter is fresh when it is
 * below WG_REJECT_AFTER_MESSAGES, not older than WG_COUNTER_WINDOW_SIZE
 * behind the highest one seen, and its bit is not yet set.
 */

#include <string.h>

#include "replay.h"

#define REPLAY_WORD_BITS	64u
#define REPLAY_WORDS		(WG_COUNTER_BITS_TOTAL / REPLAY_WORD_BITS)
#define REPLAY_WORD_MASK	(REPLAY_WORDS - 1)

_Static_assert((REPLAY_WORDS & (REPLAY_WORDS - 1)) == 0,
	       "replay ring size must be a power of two");
_Static_assert(WG_COUNTER_WINDOW_SIZE ==
	       WG_COUNTER_BITS_TOTAL - REPLAY_WORD_BITS,
	       "window must leave one word of slack in the ring");

void
wg_replay_init(struct wg_replay *r)
{
	memset(r, 0, sizeof(*r));
}

bool
wg_replay_check(struct wg_replay *r, uint64_t counter)
{
	uint64_t shifted, word, word_top, steps, i, bit;

	/* Both bounds also keep shifted + window below 2^64. */
	if (r->greatest > WG_REJECT_AFTER_MESSAGES ||
	    counter >= WG_REJECT_AFTER_MESSAGES)
		return false;

	shifted = counter + 1;
	if (shifted + WG_COUNTER_WINDOW_SIZE < r->greatest)
		return false;	/* fell out of the back of the window */

	word = shifted / REPLAY_WORD_BITS;
	if (shifted > r->greatest) {
		/* Move the front: forget the words the window slides over. */
		word_top = r->greatest / REPLAY_WORD_BITS;
		steps = word - word_top;
		if (steps > REPLAY_WORDS)
			steps = REPLAY_WORDS;
		for (i = 1; i <= steps; i++)
			r->bitmap[(word_top + i) & REPLAY_WORD_MASK] = 0;
		r->greatest = shifted;
	}

	bit = UINT64_C(1) << (shifted % REPLAY_WORD_BITS);
	word &= REPLAY_WORD_MASK;
	if (r->bitmap[word] & bit)
		return false;	/* seen before */
	r->bitmap[word] |= bit;
	return true;
}
