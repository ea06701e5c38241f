/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_PRIMITIVES_H
#define WG_PRIMITIVES_H

/*
 * Thin wrappers over libsodium for the one-shot primitives WireGuard needs:
 * X25519, ChaCha20-Poly1305 (IETF, WireGuard nonce), XChaCha20-Poly1305,
 * randomness, constant-time compare and wiping.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_KEY_LEN		32
#define WG_AEAD_TAG_LEN		16
#define WG_XAEAD_NONCE_LEN	24

/* Must be called once before anything else here; returns 0 or -1. */
int
wg_crypto_init(void);

/* priv: 32 random bytes, clamped as X25519 expects. */
void
wg_x25519_generate_secret(uint8_t priv[WG_KEY_LEN]);
/* pub = priv * basepoint; false if the result is all zero. */
bool
wg_x25519_public(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN]);
/* out = priv * pub; false (and out wiped) if the shared secret is all zero. */
bool
wg_x25519(uint8_t out[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN],
	  const uint8_t pub[WG_KEY_LEN]);

/*
 * ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce: 4 zero bytes then
 * the 64-bit counter little-endian. dst holds len + 16 bytes on encrypt;
 * on decrypt src_len includes the tag and dst gets src_len - 16 bytes.
 * dst may equal src. A failed decrypt returns false and wipes dst: no
 * unauthenticated plaintext is released.
 */
void
wg_aead_encrypt(uint8_t *dst, const uint8_t *src, size_t len,
		const uint8_t *ad, size_t ad_len, uint64_t counter,
		const uint8_t key[WG_KEY_LEN]);
bool
wg_aead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len,
		const uint8_t *ad, size_t ad_len, uint64_t counter,
		const uint8_t key[WG_KEY_LEN]);

/* XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), same buffer rules. */
void
wg_xaead_encrypt(uint8_t *dst, const uint8_t *src, size_t len,
		 const uint8_t *ad, size_t ad_len,
		 const uint8_t nonce[WG_XAEAD_NONCE_LEN],
		 const uint8_t key[WG_KEY_LEN]);
bool
wg_xaead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len,
		 const uint8_t *ad, size_t ad_len,
		 const uint8_t nonce[WG_XAEAD_NONCE_LEN],
		 const uint8_t key[WG_KEY_LEN]);

void
wg_random_bytes(void *buf, size_t len);
uint32_t
wg_random_u32(void);
/* Constant time; true if equal. */
bool
wg_memeq(const void *a, const void *b, size_t len);
/* Constant time; true if all zero. */
bool
wg_is_zero(const void *a, size_t len);
/* Not optimised away. */
void
wg_memzero(void *buf, size_t len);

#endif /* WG_PRIMITIVES_H */
