/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * One-shot primitives over libsodium: X25519, ChaCha20-Poly1305 (IETF)
 * with WireGuard's 64-bit counter nonce, XChaCha20-Poly1305, randomness,
 * constant-time comparison and wiping.
 *
 * A failed decryption leaves dst wiped: libsodium verifies the tag before
 * it decrypts and clears its output on failure, and dst is wiped here
 * again so that the guarantee does not rest on that detail.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "crypto/primitives.h"

#define WG_AEAD_NONCE_LEN 12

_Static_assert(WG_KEY_LEN == crypto_scalarmult_BYTES, "X25519 size");
_Static_assert(WG_KEY_LEN == crypto_scalarmult_SCALARBYTES, "X25519 size");
_Static_assert(WG_KEY_LEN == crypto_aead_chacha20poly1305_ietf_KEYBYTES,
	       "AEAD key size");
_Static_assert(WG_AEAD_TAG_LEN == crypto_aead_chacha20poly1305_ietf_ABYTES,
	       "AEAD tag size");
_Static_assert(WG_AEAD_NONCE_LEN == crypto_aead_chacha20poly1305_ietf_NPUBBYTES,
	       "AEAD nonce size");
_Static_assert(WG_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
	       "XAEAD key size");
_Static_assert(WG_AEAD_TAG_LEN == crypto_aead_xchacha20poly1305_ietf_ABYTES,
	       "XAEAD tag size");
_Static_assert(WG_XAEAD_NONCE_LEN ==
	       crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	       "XAEAD nonce size");

int
wg_crypto_init(void)
{
	/* 0: initialised now, 1: already initialised, -1: failure. */
	return sodium_init() < 0 ? -1 : 0;
}

void
wg_x25519_generate_secret(uint8_t priv[WG_KEY_LEN])
{
	randombytes_buf(priv, WG_KEY_LEN);
	/* RFC 7748 §5 decodeScalar25519 clamping. */
	priv[0] &= 248;
	priv[31] &= 127;
	priv[31] |= 64;
}

bool
wg_x25519_public(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN])
{
	if (crypto_scalarmult_base(pub, priv) != 0 ||
	    sodium_is_zero(pub, WG_KEY_LEN)) {
		sodium_memzero(pub, WG_KEY_LEN);
		return false;
	}
	return true;
}

bool
wg_x25519(uint8_t out[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN],
	  const uint8_t pub[WG_KEY_LEN])
{
	/*
	 * libsodium refuses low-order points (-1) and an all-zero result;
	 * the explicit check keeps the contract independent of that.
	 */
	if (crypto_scalarmult(out, priv, pub) != 0 ||
	    sodium_is_zero(out, WG_KEY_LEN)) {
		sodium_memzero(out, WG_KEY_LEN);
		return false;
	}
	return true;
}

/* 4 zero bytes || LE64(counter) */
static inline void
wg_aead_nonce(uint8_t nonce[WG_AEAD_NONCE_LEN], uint64_t counter)
{
	unsigned int i;

	nonce[0] = 0;
	nonce[1] = 0;
	nonce[2] = 0;
	nonce[3] = 0;
	for (i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(counter >> (8 * i));
}

void
wg_aead_encrypt(uint8_t *dst, const uint8_t *src, size_t len,
		const uint8_t *ad, size_t ad_len, uint64_t counter,
		const uint8_t key[WG_KEY_LEN])
{
	uint8_t nonce[WG_AEAD_NONCE_LEN];

	wg_aead_nonce(nonce, counter);
	crypto_aead_chacha20poly1305_ietf_encrypt(dst, NULL, src, len,
						  ad, ad_len, NULL, nonce, key);
}

bool
wg_aead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len,
		const uint8_t *ad, size_t ad_len, uint64_t counter,
		const uint8_t key[WG_KEY_LEN])
{
	uint8_t nonce[WG_AEAD_NONCE_LEN];

	if (src_len < WG_AEAD_TAG_LEN)
		return false;
	wg_aead_nonce(nonce, counter);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(dst, NULL, NULL,
						      src, src_len, ad, ad_len,
						      nonce, key) != 0) {
		if (src_len > WG_AEAD_TAG_LEN)
			sodium_memzero(dst, src_len - WG_AEAD_TAG_LEN);
		return false;
	}
	return true;
}

void
wg_xaead_encrypt(uint8_t *dst, const uint8_t *src, size_t len,
		 const uint8_t *ad, size_t ad_len,
		 const uint8_t nonce[WG_XAEAD_NONCE_LEN],
		 const uint8_t key[WG_KEY_LEN])
{
	crypto_aead_xchacha20poly1305_ietf_encrypt(dst, NULL, src, len,
						   ad, ad_len, NULL, nonce,
						   key);
}

bool
wg_xaead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len,
		 const uint8_t *ad, size_t ad_len,
		 const uint8_t nonce[WG_XAEAD_NONCE_LEN],
		 const uint8_t key[WG_KEY_LEN])
{
	if (src_len < WG_AEAD_TAG_LEN)
		return false;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(dst, NULL, NULL,
						       src, src_len,
						       ad, ad_len,
						       nonce, key) != 0) {
		if (src_len > WG_AEAD_TAG_LEN)
			sodium_memzero(dst, src_len - WG_AEAD_TAG_LEN);
		return false;
	}
	return true;
}

void
wg_random_bytes(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

uint32_t
wg_random_u32(void)
{
	return randombytes_random();
}

bool
wg_memeq(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

bool
wg_is_zero(const void *a, size_t len)
{
	return sodium_is_zero(a, len) == 1;
}

void
wg_memzero(void *buf, size_t len)
{
	sodium_memzero(buf, len);
}
