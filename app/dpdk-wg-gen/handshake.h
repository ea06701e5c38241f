/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_HANDSHAKE_H
#define GEN_HANDSHAKE_H

/*
 * The emulated peers' handshakes, initiator role (Noise_IKpsk2 through
 * lib/wireguard/noise.h and cookie.h): initiations paced by a token bucket
 * (--handshake-rate, retries included), retried after --handshake-timeout
 * or at once after a cookie reply (the retry carries mac2), given up after
 * --handshake-tries; the session derived from the response, confirmed to
 * the gateway by a keepalive (as Linux does); a new handshake when a
 * session reaches REKEY_AFTER_TIME (120 s).
 */

#include <stdint.h>

#include "gen.h"
#include "frame.h"

/* Sends what is due; returns initiations sent. */
unsigned int
gen_hs_poll(struct gen *g, uint64_t now);

/*
 * A handshake response or cookie reply (type already classified, length
 * exact) arrived for outer address dip from the gateway.
 */
void
gen_hs_input(struct gen *g, const struct gen_udp4 *u, uint8_t type,
	     uint64_t now);

/* An empty data message on the current session of p (confirms it). */
void
gen_hs_keepalive(struct gen *g, struct gen_peer *p);

#endif /* GEN_HANDSHAKE_H */
