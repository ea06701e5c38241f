/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_TX_H
#define GEN_TX_H

/*
 * Transmission of the test traffic, both directions: the rate limit
 * (token bucket per direction), --count, and the encrypt direction's
 * clear packets from the LAN host to the peers' tunnel addresses (built
 * at once, timestamped, the active peers and the --size list in turn).
 * The decrypt direction sends from the pool (pool.h).
 */

#include <stdint.h>

#include "gen.h"

/* One loop iteration's transmission; returns packets sent or built. */
unsigned int
gen_tx_poll(struct gen *g, uint64_t now);

/* Sends what was built or copied out but not taken yet (drain). */
void
gen_tx_flush(struct gen *g);

/* Frees what is still held. */
void
gen_tx_release(struct gen *g);

#endif /* GEN_TX_H */
