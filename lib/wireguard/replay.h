/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_REPLAY_H
#define WG_REPLAY_H

/*
 * Anti-replay window (RFC 6479): 8192-bit ring bitmap, window 8128.
 * Checked only after the packet authenticated. Not thread safe: one
 * consumer per keypair (the per-peer ordering stage).
 */

#include <stdbool.h>
#include <stdint.h>

#include "constants.h"

struct wg_replay {
	uint64_t greatest;	/* highest counter accepted + 1; 0 = none yet */
	uint64_t bitmap[WG_COUNTER_BITS_TOTAL / 64];
};

void
wg_replay_init(struct wg_replay *r);

/*
 * True if counter is fresh (and records it); false if it was seen, is too
 * old for the window, or is at or beyond WG_REJECT_AFTER_MESSAGES.
 */
bool
wg_replay_check(struct wg_replay *r, uint64_t counter);

#endif /* WG_REPLAY_H */
