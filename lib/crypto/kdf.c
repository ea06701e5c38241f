/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The WireGuard KDF (HKDF with HMAC-BLAKE2s, one 32-byte chaining key in,
 * up to three 32-byte outputs). Outputs may alias ck or data: both are read
 * only to compute t0, before anything is written.
 *
 * All expansion steps are MACs under the same key t0, so its key schedule
 * (the chaining values after K0 ^ ipad and K0 ^ opad) is computed once and
 * each step then costs two compressions: KDF1/2/3 take 8/10/12 BLAKE2s
 * compressions instead of 8/12/16 (and where the two pad blocks of a key
 * schedule are compressed side by side, see blake2s.c, in the time of
 * 6/8/10).
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
	static const uint8_t one = 1;
	/* every secret in one place, for one wipe */
	struct {
		struct wg_blake2s_hmac_key k;	/* ck's, then t0's schedule */
		uint8_t t0[WG_BLAKE2S_HASH_SIZE];
		/* in[i] = t(i + 1) || i + 2, the input of the next step */
		uint8_t in[2][WG_BLAKE2S_HASH_SIZE + 1];
	} w;

	if (t1 == NULL)
		return;
	/*
	 * The counter bytes go in first, long before they are read: a load
	 * that overlaps a store still in flight waits for it (blake2s.c).
	 */
	w.in[0][WG_BLAKE2S_HASH_SIZE] = 2;
	w.in[1][WG_BLAKE2S_HASH_SIZE] = 3;

	/* Extract: t0 = HMAC(ck, data). */
	wg_blake2s_hmac_setkey(&w.k, ck, WG_KDF_OUT_SIZE);
	wg_blake2s_hmac_mac(w.t0, &w.k, data, len);

	/* Expand: ti = HMAC(t0, t(i-1) || i), stopping at the first NULL. */
	wg_blake2s_hmac_setkey(&w.k, w.t0, WG_BLAKE2S_HASH_SIZE);
	wg_blake2s_hmac_mac(w.in[0], &w.k, &one, 1);
	memcpy(t1, w.in[0], WG_KDF_OUT_SIZE);
	if (t2 != NULL) {
		wg_blake2s_hmac_mac(w.in[1], &w.k, w.in[0], sizeof(w.in[0]));
		memcpy(t2, w.in[1], WG_KDF_OUT_SIZE);
		if (t3 != NULL)
			wg_blake2s_hmac_mac(t3, &w.k, w.in[1],
					    sizeof(w.in[1]));
	}

	sodium_memzero(&w, sizeof(w));
}
