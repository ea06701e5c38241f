/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The WireGuard KDF (HKDF with HMAC-BLAKE2s, one 32-byte chaining key in,
 * up to three 32-byte outputs). Outputs may alias ck or data: both are read
 * only to compute t0, before anything is written.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "crypto/blake2s.h"
#include "crypto/kdf.h"

void
wg_kdf(uint8_t *t1, uint8_t *t2, uint8_t *t3, const uint8_t ck[WG_KDF_OUT_SIZE],
       const void *data, size_t len)
{
	uint8_t t0[WG_BLAKE2S_HASH_SIZE];
	/* t(i-1) || i, the input of the next expansion step */
	uint8_t prev[WG_BLAKE2S_HASH_SIZE + 1];
	uint8_t ti[WG_BLAKE2S_HASH_SIZE];
	uint8_t *outs[3] = { t1, t2, t3 };
	size_t prev_len = 0;
	unsigned int i;

	/* Extract: t0 = HMAC(ck, data). */
	wg_blake2s_hmac(t0, data, len, ck, WG_KDF_OUT_SIZE);

	/* Expand: ti = HMAC(t0, t(i-1) || i), stopping at the first NULL. */
	for (i = 0; i < 3 && outs[i] != NULL; i++) {
		prev[prev_len] = (uint8_t)(i + 1);
		wg_blake2s_hmac(ti, prev, prev_len + 1, t0,
				WG_BLAKE2S_HASH_SIZE);
		memcpy(outs[i], ti, WG_KDF_OUT_SIZE);
		memcpy(prev, ti, WG_BLAKE2S_HASH_SIZE);
		prev_len = WG_BLAKE2S_HASH_SIZE;
	}

	sodium_memzero(t0, sizeof(t0));
	sodium_memzero(prev, sizeof(prev));
	sodium_memzero(ti, sizeof(ti));
}
