/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef FUZZ_UAPI_FIXTURE_H
#define FUZZ_UAPI_FIXTURE_H

/*
 * The keys of fuzz_uapi's device and of its three peers, drawn from the
 * deterministic RNG (stream 1, so that creating the device, which draws
 * from stream 0, does not shift them): gen_corpus derives the same ones to
 * write requests that name the existing peers.
 */

#include <stdint.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"

#define FU_SEED		0x75617069u	/* "uapi" */
#define FU_NPEERS	3

struct fu_fixture {
	uint8_t priv[WG_KEY_LEN];
	uint8_t peer_pub[FU_NPEERS][WG_KEY_LEN];
	uint8_t psk[WG_KEY_LEN];	/* peer 1's */
};

/* Seeds the RNG and derives the keys; leaves stream 0 selected. */
static inline void
fu_fixture_keys(struct fu_fixture *f)
{
	uint8_t p[WG_KEY_LEN];
	int i;

	fz_rng_seed(FU_SEED);
	fz_rng_select(1);
	wg_x25519_generate_secret(f->priv);
	for (i = 0; i < FU_NPEERS; i++) {
		wg_x25519_generate_secret(p);
		wg_x25519_public(f->peer_pub[i], p);
	}
	wg_random_bytes(f->psk, sizeof(f->psk));
	wg_memzero(p, sizeof(p));
	fz_rng_select(0);
}

#endif /* FUZZ_UAPI_FIXTURE_H */
