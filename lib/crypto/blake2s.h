/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_BLAKE2S_H
#define WG_BLAKE2S_H

/* BLAKE2s (RFC 7693), keyed BLAKE2s and HMAC-BLAKE2s (RFC 2104 over BLAKE2s). */

#include <stddef.h>
#include <stdint.h>

#define WG_BLAKE2S_BLOCK_SIZE	64
#define WG_BLAKE2S_HASH_SIZE	32
#define WG_BLAKE2S_KEY_SIZE	32

struct wg_blake2s_state {
	uint32_t h[8];
	uint32_t t[2];
	uint32_t f[2];
	uint8_t buf[WG_BLAKE2S_BLOCK_SIZE];
	size_t buflen;
	size_t outlen;
};

/* outlen 1..32; keylen 0..32 (0 = unkeyed). */
void
wg_blake2s_init(struct wg_blake2s_state *s, size_t outlen,
		const void *key, size_t keylen);
void
wg_blake2s_update(struct wg_blake2s_state *s, const void *in, size_t inlen);
/* Writes s->outlen bytes and wipes the state. */
void
wg_blake2s_final(struct wg_blake2s_state *s, uint8_t *out);

/* One shot: out = BLAKE2s-outlen(key, in). */
void
wg_blake2s(uint8_t *out, size_t outlen, const void *in, size_t inlen,
	   const void *key, size_t keylen);

/* out[32] = HMAC-BLAKE2s(key, in); keylen may exceed the block size. */
void
wg_blake2s_hmac(uint8_t out[WG_BLAKE2S_HASH_SIZE], const void *in,
		size_t inlen, const void *key, size_t keylen);

/*
 * HMAC-BLAKE2s with the key schedule done once, for several MACs under
 * one key (the KDF's expansion steps): the chaining values after
 * absorbing (K0 ^ ipad) and (K0 ^ opad), so that each MAC of a short
 * message costs two compressions instead of four. Holds key material:
 * wipe it (sodium_memzero) when done.
 */
struct wg_blake2s_hmac_key {
	uint32_t inner[8];	/* after the block K0 ^ ipad */
	uint32_t outer[8];	/* after the block K0 ^ opad */
	uint8_t k0[WG_BLAKE2S_BLOCK_SIZE];	/* K0, for an empty message */
};

void
wg_blake2s_hmac_setkey(struct wg_blake2s_hmac_key *k, const void *key,
		       size_t keylen);
/* out[32] = HMAC-BLAKE2s(key, in); out may overlap in. */
void
wg_blake2s_hmac_mac(uint8_t out[WG_BLAKE2S_HASH_SIZE],
		    const struct wg_blake2s_hmac_key *k, const void *in,
		    size_t inlen);

/*
 * For tests and benchmarks: the compression function this build uses
 * ("avx512vl", "sse4.1" or "portable", chosen at build time from the
 * target's instruction set), and a one-shot BLAKE2s that always runs the
 * portable C compression, to check the vectorised one against.
 */
const char *
wg_blake2s_implementation(void);
void
wg_blake2s_portable(uint8_t *out, size_t outlen, const void *in,
		    size_t inlen, const void *key, size_t keylen);

#endif /* WG_BLAKE2S_H */
