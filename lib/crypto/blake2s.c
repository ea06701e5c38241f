/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * BLAKE2s (RFC 7693) in portable C, plus HMAC-BLAKE2s (RFC 2104 with the
 * 64-byte BLAKE2s block), as WireGuard's Noise construction needs it.
 *
 * The state keeps up to one full block unprocessed in buf: the last block
 * of a message must be compressed with the final flag set, so a block is
 * only compressed once more input is known to follow it.
 *
 * Everything that is key material or derived from it (the state, the key
 * block, the compression working variables, HMAC pads and inner hash) is
 * wiped with sodium_memzero before it goes out of scope.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "crypto/blake2s.h"

static const uint32_t wg_blake2s_iv[8] = {
	0x6A09E667UL, 0xBB67AE85UL, 0x3C6EF372UL, 0xA54FF53AUL,
	0x510E527FUL, 0x9B05688CUL, 0x1F83D9ABUL, 0x5BE0CD19UL,
};

/* Message word schedule, RFC 7693 §2.7 (rounds 0..9). */
static const uint8_t wg_blake2s_sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

static inline uint32_t
wg_rotr32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t
wg_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
		((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void
wg_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The mixing function G, RFC 7693 §3.1, rotations (16, 12, 8, 7). */
#define WG_B2S_G(a, b, c, d, x, y) do { \
	v[a] = v[a] + v[b] + (x); \
	v[d] = wg_rotr32(v[d] ^ v[a], 16); \
	v[c] = v[c] + v[d]; \
	v[b] = wg_rotr32(v[b] ^ v[c], 12); \
	v[a] = v[a] + v[b] + (y); \
	v[d] = wg_rotr32(v[d] ^ v[a], 8); \
	v[c] = v[c] + v[d]; \
	v[b] = wg_rotr32(v[b] ^ v[c], 7); \
} while (0)

#define WG_B2S_ROUND(r) do { \
	const uint8_t *sg = wg_blake2s_sigma[r]; \
	WG_B2S_G(0, 4, 8, 12, m[sg[0]], m[sg[1]]); \
	WG_B2S_G(1, 5, 9, 13, m[sg[2]], m[sg[3]]); \
	WG_B2S_G(2, 6, 10, 14, m[sg[4]], m[sg[5]]); \
	WG_B2S_G(3, 7, 11, 15, m[sg[6]], m[sg[7]]); \
	WG_B2S_G(0, 5, 10, 15, m[sg[8]], m[sg[9]]); \
	WG_B2S_G(1, 6, 11, 12, m[sg[10]], m[sg[11]]); \
	WG_B2S_G(2, 7, 8, 13, m[sg[12]], m[sg[13]]); \
	WG_B2S_G(3, 4, 9, 14, m[sg[14]], m[sg[15]]); \
} while (0)

/*
 * Compresses nblocks consecutive 64-byte blocks. The byte counter grows by
 * inc for each block (64 for full blocks; the byte count of the final,
 * padded block). last sets the finalisation flag (for the last block only:
 * callers pass nblocks == 1 then).
 */
static void
wg_blake2s_compress(struct wg_blake2s_state *s, const uint8_t *block,
		    size_t nblocks, uint32_t inc, int last)
{
	uint32_t m[16];
	uint32_t v[16];
	unsigned int i;

	while (nblocks-- > 0) {
		s->t[0] += inc;
		if (s->t[0] < inc)
			s->t[1]++;

		for (i = 0; i < 16; i++)
			m[i] = wg_load_le32(block + 4 * i);
		for (i = 0; i < 8; i++) {
			v[i] = s->h[i];
			v[i + 8] = wg_blake2s_iv[i];
		}
		v[12] ^= s->t[0];
		v[13] ^= s->t[1];
		if (last)
			v[14] = ~v[14];

		WG_B2S_ROUND(0);
		WG_B2S_ROUND(1);
		WG_B2S_ROUND(2);
		WG_B2S_ROUND(3);
		WG_B2S_ROUND(4);
		WG_B2S_ROUND(5);
		WG_B2S_ROUND(6);
		WG_B2S_ROUND(7);
		WG_B2S_ROUND(8);
		WG_B2S_ROUND(9);

		for (i = 0; i < 8; i++)
			s->h[i] ^= v[i] ^ v[i + 8];
		block += WG_BLAKE2S_BLOCK_SIZE;
	}
	sodium_memzero(m, sizeof(m));
	sodium_memzero(v, sizeof(v));
}

#undef WG_B2S_ROUND
#undef WG_B2S_G

void
wg_blake2s_init(struct wg_blake2s_state *s, size_t outlen,
		const void *key, size_t keylen)
{
	unsigned int i;

	assert(outlen >= 1 && outlen <= WG_BLAKE2S_HASH_SIZE);
	assert(keylen <= WG_BLAKE2S_KEY_SIZE);
	/* Stay memory-safe even where assertions are compiled out. */
	if (outlen < 1 || outlen > WG_BLAKE2S_HASH_SIZE)
		outlen = WG_BLAKE2S_HASH_SIZE;
	if (keylen > WG_BLAKE2S_KEY_SIZE)
		keylen = WG_BLAKE2S_KEY_SIZE;
	if (key == NULL)
		keylen = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < 8; i++)
		s->h[i] = wg_blake2s_iv[i];
	/* Parameter block word 0: digest length, key length, fanout 1, depth 1. */
	s->h[0] ^= 0x01010000UL ^ ((uint32_t)keylen << 8) ^ (uint32_t)outlen;
	s->outlen = outlen;

	if (keylen > 0) {
		/* The key, zero padded, is the first message block. */
		memcpy(s->buf, key, keylen);
		s->buflen = WG_BLAKE2S_BLOCK_SIZE;
	}
}

void
wg_blake2s_update(struct wg_blake2s_state *s, const void *in, size_t inlen)
{
	const uint8_t *p = in;
	size_t fill;

	if (inlen == 0)
		return;

	fill = WG_BLAKE2S_BLOCK_SIZE - s->buflen;
	if (inlen > fill) {
		/* Complete the buffered block: more input follows it. */
		memcpy(s->buf + s->buflen, p, fill);
		wg_blake2s_compress(s, s->buf, 1, WG_BLAKE2S_BLOCK_SIZE, 0);
		s->buflen = 0;
		p += fill;
		inlen -= fill;

		/* Whole blocks straight from the input, keeping the last back. */
		if (inlen > WG_BLAKE2S_BLOCK_SIZE) {
			size_t nblocks = (inlen - 1) / WG_BLAKE2S_BLOCK_SIZE;

			wg_blake2s_compress(s, p, nblocks,
					    WG_BLAKE2S_BLOCK_SIZE, 0);
			p += nblocks * WG_BLAKE2S_BLOCK_SIZE;
			inlen -= nblocks * WG_BLAKE2S_BLOCK_SIZE;
		}
	}
	/* 1..64 bytes left, and they fit. */
	memcpy(s->buf + s->buflen, p, inlen);
	s->buflen += inlen;
}

void
wg_blake2s_final(struct wg_blake2s_state *s, uint8_t *out)
{
	uint8_t full[WG_BLAKE2S_HASH_SIZE];
	unsigned int i;

	memset(s->buf + s->buflen, 0, WG_BLAKE2S_BLOCK_SIZE - s->buflen);
	wg_blake2s_compress(s, s->buf, 1, (uint32_t)s->buflen, 1);

	for (i = 0; i < 8; i++)
		wg_store_le32(full + 4 * i, s->h[i]);
	memcpy(out, full, s->outlen);

	sodium_memzero(full, sizeof(full));
	sodium_memzero(s, sizeof(*s));
}

void
wg_blake2s(uint8_t *out, size_t outlen, const void *in, size_t inlen,
	   const void *key, size_t keylen)
{
	struct wg_blake2s_state s;

	wg_blake2s_init(&s, outlen, key, keylen);
	wg_blake2s_update(&s, in, inlen);
	wg_blake2s_final(&s, out);
}

void
wg_blake2s_hmac(uint8_t out[WG_BLAKE2S_HASH_SIZE], const void *in,
		size_t inlen, const void *key, size_t keylen)
{
	struct wg_blake2s_state s;
	uint8_t pad[WG_BLAKE2S_BLOCK_SIZE];
	uint8_t inner[WG_BLAKE2S_HASH_SIZE];
	unsigned int i;

	/* K0: the key zero padded to a block, or its hash if it is longer. */
	memset(pad, 0, sizeof(pad));
	if (keylen > WG_BLAKE2S_BLOCK_SIZE)
		wg_blake2s(pad, WG_BLAKE2S_HASH_SIZE, key, keylen, NULL, 0);
	else if (keylen > 0)
		memcpy(pad, key, keylen);

	/* inner = H((K0 ^ ipad) || in) */
	for (i = 0; i < WG_BLAKE2S_BLOCK_SIZE; i++)
		pad[i] ^= 0x36;
	wg_blake2s_init(&s, WG_BLAKE2S_HASH_SIZE, NULL, 0);
	wg_blake2s_update(&s, pad, WG_BLAKE2S_BLOCK_SIZE);
	wg_blake2s_update(&s, in, inlen);
	wg_blake2s_final(&s, inner);

	/* out = H((K0 ^ opad) || inner); 0x36 ^ 0x5c turns ipad into opad. */
	for (i = 0; i < WG_BLAKE2S_BLOCK_SIZE; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	wg_blake2s_init(&s, WG_BLAKE2S_HASH_SIZE, NULL, 0);
	wg_blake2s_update(&s, pad, WG_BLAKE2S_BLOCK_SIZE);
	wg_blake2s_update(&s, inner, WG_BLAKE2S_HASH_SIZE);
	wg_blake2s_final(&s, out);

	sodium_memzero(pad, sizeof(pad));
	sodium_memzero(inner, sizeof(inner));
}
