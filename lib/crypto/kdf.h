/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_KDF_H
#define WG_KDF_H

/*
 * The WireGuard key derivation function (HKDF over HMAC-BLAKE2s, paper §5.4):
 *   t0 = HMAC(ck, data); t1 = HMAC(t0, 0x1); t2 = HMAC(t0, t1 || 0x2);
 *   t3 = HMAC(t0, t2 || 0x3).
 * KDF1/KDF2/KDF3 are this call with 1, 2 or 3 non-NULL outputs.
 */

#include <stddef.h>
#include <stdint.h>

#define WG_KDF_OUT_SIZE 32

/* Any output may be NULL (and all after it are then ignored); intermediates are wiped. */
void
wg_kdf(uint8_t *t1, uint8_t *t2, uint8_t *t3, const uint8_t ck[WG_KDF_OUT_SIZE],
       const void *data, size_t len);

#endif /* WG_KDF_H */
