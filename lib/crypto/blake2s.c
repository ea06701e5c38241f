/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * BLAKE2s (RFC 7693), plus HMAC-BLAKE2s (RFC 2104 with the 64-byte
 * BLAKE2s block), as WireGuard's Noise construction needs it.
 *
 * Compression: one of three, chosen at build time from the instruction
 * set the compiler targets (the project builds with -march=native):
 *  - AVX-512F + AVX-512VL: the 4x4 state in four 128-bit rows, every
 *    rotation one vprord, and each round's message words put in order by
 *    one vpermd of the 16-word block;
 *  - SSE4.1 (and SSSE3): the same rows, the 16- and 8-bit rotations as
 *    byte shuffles, the 12- and 7-bit ones as shift/shift/or, message
 *    words gathered with pinsrd;
 *  - portable C, unrolled, working state in locals: everywhere else, and
 *    always compiled as the reference the vectorised one is tested
 *    against (wg_blake2s_portable).
 * In the vector versions the diagonal step rotates the rows a, c and d
 * rather than b, so the row shuffles stay off the G function's critical
 * path (b is the last value G produces and the first one it needs).
 * Where AVX2 is there too, an HMAC key schedule compresses its two pad
 * blocks side by side in 256-bit rows, in the time of one compression.
 *
 * A handshake is a chain of ~70 compressions of one or two blocks, each
 * needing the last one's result: what counts is the latency of one
 * compression and what surrounds it, not throughput over long inputs.
 *
 * The state keeps up to one full block unprocessed in buf: the last block
 * of a message must be compressed with the final flag set, so a block is
 * only compressed once more input is known to follow it. The one-shot
 * functions (wg_blake2s, the HMAC) work on the chaining value directly and
 * compress whole blocks straight from the input.
 *
 * Loads and stores: a load that overlaps a store still in flight can
 * only take its data from it if it lies within that one store; otherwise
 * it waits for the store to reach the cache. In that dependent chain
 * this matters, so the kernels read blocks and chaining values in
 * 16-byte pieces, chaining values are written as one 32-byte store, and
 * padded blocks are built in 16-byte pieces (wg_b2s_pad_block), never
 * byte by byte before a wide load.
 *
 * Everything that is key material or derived from it (the state, the key
 * block, padded last blocks, HMAC pads and inner hash, the portable
 * compression's message copy) is wiped with sodium_memzero before it goes
 * out of scope. Working variables held in registers and whatever the
 * compiler spills of them cannot be wiped from C.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__) && defined(__AVX512VL__)
#define WG_B2S_AVX512 1
#include <immintrin.h>
#elif defined(__SSE4_1__)
#define WG_B2S_SSE41 1
#include <immintrin.h>
#endif

#include <sodium.h>

#include "crypto/blake2s.h"

#define WG_B2S_FINAL	0xFFFFFFFFUL	/* f[0] of the last block */

static const uint32_t wg_blake2s_iv[8] __attribute__((aligned(16))) = {
	0x6A09E667UL, 0xBB67AE85UL, 0x3C6EF372UL, 0xA54FF53AUL,
	0x510E527FUL, 0x9B05688CUL, 0x1F83D9ABUL, 0x5BE0CD19UL,
};

/*
 * Message word schedule, RFC 7693 §2.7: the one definition every
 * compression expands (rounds 0..9).
 */
#define WG_B2S_SIGMA_0	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
#define WG_B2S_SIGMA_1	14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3
#define WG_B2S_SIGMA_2	11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4
#define WG_B2S_SIGMA_3	7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8
#define WG_B2S_SIGMA_4	9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13
#define WG_B2S_SIGMA_5	2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9
#define WG_B2S_SIGMA_6	12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11
#define WG_B2S_SIGMA_7	13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10
#define WG_B2S_SIGMA_8	6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5
#define WG_B2S_SIGMA_9	10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0

/* Applies m(r, s0, .., s15) to round r and its schedule, for r = 0..9. */
#define WG_B2S_APPLY(m, r, row)	m(r, row)
#define WG_B2S_FOR_ROUNDS(m) \
	WG_B2S_APPLY(m, 0, WG_B2S_SIGMA_0) \
	WG_B2S_APPLY(m, 1, WG_B2S_SIGMA_1) \
	WG_B2S_APPLY(m, 2, WG_B2S_SIGMA_2) \
	WG_B2S_APPLY(m, 3, WG_B2S_SIGMA_3) \
	WG_B2S_APPLY(m, 4, WG_B2S_SIGMA_4) \
	WG_B2S_APPLY(m, 5, WG_B2S_SIGMA_5) \
	WG_B2S_APPLY(m, 6, WG_B2S_SIGMA_6) \
	WG_B2S_APPLY(m, 7, WG_B2S_SIGMA_7) \
	WG_B2S_APPLY(m, 8, WG_B2S_SIGMA_8) \
	WG_B2S_APPLY(m, 9, WG_B2S_SIGMA_9)

#ifdef WG_B2S_SSE41
static inline uint32_t
wg_load_le32(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
#else
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
		((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}
#endif

/* out = the first outlen bytes of the little-endian chaining value. */
static inline void
wg_b2s_output(uint8_t *out, size_t outlen, const uint32_t h[8])
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(out, h, outlen);
#else
	size_t i;

	for (i = 0; i < outlen; i++)
		out[i] = (uint8_t)(h[i / 4] >> (8 * (i % 4)));
#endif
}

/*
 * The mixing function G, RFC 7693 §3.1, rotations (16, 12, 8, 7). Macros
 * only: nothing to inline across the target attribute below.
 */
#define WG_B2S_ROTR32(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define WG_B2S_G(a, b, c, d, x, y) do { \
	a = a + b + (x); \
	d = WG_B2S_ROTR32(d ^ a, 16); \
	c = c + d; \
	b = WG_B2S_ROTR32(b ^ c, 12); \
	a = a + b + (y); \
	d = WG_B2S_ROTR32(d ^ a, 8); \
	c = c + d; \
	b = WG_B2S_ROTR32(b ^ c, 7); \
} while (0)

/*
 * Message word i. The round barrier keeps the compiler from hoisting all
 * 16 words into registers for the whole compression (there are not enough
 * for them and the 16 working words: it would spill them to vector
 * registers and move them back, word by word): each round reads its words
 * from m again, as memory operands.
 */
#define WG_B2S_M(i)	m[i]
#define WG_B2S_PROUND(r, ...) \
	__asm__ volatile("" : : "r"(m) : "memory"); \
	WG_B2S_ROUND(r, __VA_ARGS__)

#define WG_B2S_ROUND(r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, \
		     s12, s13, s14, s15) \
	WG_B2S_G(v0, v4, v8, v12, WG_B2S_M(s0), WG_B2S_M(s1)); \
	WG_B2S_G(v1, v5, v9, v13, WG_B2S_M(s2), WG_B2S_M(s3)); \
	WG_B2S_G(v2, v6, v10, v14, WG_B2S_M(s4), WG_B2S_M(s5)); \
	WG_B2S_G(v3, v7, v11, v15, WG_B2S_M(s6), WG_B2S_M(s7)); \
	WG_B2S_G(v0, v5, v10, v15, WG_B2S_M(s8), WG_B2S_M(s9)); \
	WG_B2S_G(v1, v6, v11, v12, WG_B2S_M(s10), WG_B2S_M(s11)); \
	WG_B2S_G(v2, v7, v8, v13, WG_B2S_M(s12), WG_B2S_M(s13)); \
	WG_B2S_G(v3, v4, v9, v14, WG_B2S_M(s14), WG_B2S_M(s15));

/*
 * Portable compression of nblocks consecutive 64-byte blocks. The 64-bit
 * byte counter t grows by inc for each block (64 for full blocks; the byte
 * count of the final, padded block). f0 is the finalisation flag
 * (WG_B2S_FINAL for the last block only: callers pass nblocks == 1 then).
 *
 * With AVX-512 enabled, gcc parks working words it runs out of general
 * registers for in the 16 extra vector registers, and moving them back and
 * forth costs more than the stack: the portable compression ran at about
 * 6 cycles/byte that way on Zen 4, against about 4.5 without. It is only
 * the reference in such builds, but keep it honest.
 */
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target("no-avx512f")))
#endif
static void
wg_blake2s_compress_portable(uint32_t h[8], uint32_t t[2],
			     const uint8_t *block, size_t nblocks,
			     uint32_t inc, uint32_t f0)
{
	uint32_t m[16];
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	unsigned int i;
#endif

	while (nblocks-- > 0) {
		uint32_t v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3];
		uint32_t v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
		uint32_t v8 = wg_blake2s_iv[0], v9 = wg_blake2s_iv[1];
		uint32_t v10 = wg_blake2s_iv[2], v11 = wg_blake2s_iv[3];
		uint32_t v12, v13, v14, v15;

		t[0] += inc;
		if (t[0] < inc)
			t[1]++;
		v12 = wg_blake2s_iv[4] ^ t[0];
		v13 = wg_blake2s_iv[5] ^ t[1];
		v14 = wg_blake2s_iv[6] ^ f0;
		v15 = wg_blake2s_iv[7];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(m, block, sizeof(m));
#else
		for (i = 0; i < 16; i++)
			m[i] = (uint32_t)block[4 * i] |
				((uint32_t)block[4 * i + 1] << 8) |
				((uint32_t)block[4 * i + 2] << 16) |
				((uint32_t)block[4 * i + 3] << 24);
#endif

		WG_B2S_FOR_ROUNDS(WG_B2S_PROUND)

		h[0] ^= v0 ^ v8;
		h[1] ^= v1 ^ v9;
		h[2] ^= v2 ^ v10;
		h[3] ^= v3 ^ v11;
		h[4] ^= v4 ^ v12;
		h[5] ^= v5 ^ v13;
		h[6] ^= v6 ^ v14;
		h[7] ^= v7 ^ v15;
		block += WG_BLAKE2S_BLOCK_SIZE;
	}
	sodium_memzero(m, sizeof(m));
}

#undef WG_B2S_PROUND
#undef WG_B2S_ROUND
#undef WG_B2S_M
#undef WG_B2S_G
#undef WG_B2S_ROTR32

#if defined(WG_B2S_AVX512) || defined(WG_B2S_SSE41)

/*
 * Vectorised compression, same contract as the portable one. Rows:
 * a = v0..v3, b = v4..v7, c = v8..v11, d = v12..v15, lane i of each row
 * in the i-th column. The column step is G on the four lanes at once. For
 * the diagonal step, lane j of b (v[4 + j]) belongs to the diagonal G
 * that also takes a = v[(j + 3) % 4], c = v[8 + (j + 1) % 4] and
 * d = v[12 + (j + 2) % 4], and the message words of that G: lanes
 * 0..3 = diagonal G number 3, 0, 1, 2 (words s14/s15, s8/s9, s10/s11,
 * s12/s13). So a, c and d are rotated into place and back; b stays.
 */

#ifdef WG_B2S_AVX512

#define WG_B2S_ROR16(x)	_mm_ror_epi32((x), 16)
#define WG_B2S_ROR12(x)	_mm_ror_epi32((x), 12)
#define WG_B2S_ROR8(x)	_mm_ror_epi32((x), 8)
#define WG_B2S_ROR7(x)	_mm_ror_epi32((x), 7)
#define WG_B2S_ROR16_256(x)	_mm256_ror_epi32((x), 16)
#define WG_B2S_ROR12_256(x)	_mm256_ror_epi32((x), 12)
#define WG_B2S_ROR8_256(x)	_mm256_ror_epi32((x), 8)
#define WG_B2S_ROR7_256(x)	_mm256_ror_epi32((x), 7)

/*
 * The block in one register, read in 16-byte pieces (see "Loads and
 * stores" above).
 */
static inline __m512i
wg_b2s_load_block(const uint8_t *block)
{
	__m256i lo = _mm256_inserti128_si256(_mm256_castsi128_si256(
		_mm_loadu_si128((const __m128i *)block)),
		_mm_loadu_si128((const __m128i *)(block + 16)), 1);
	__m256i hi = _mm256_inserti128_si256(_mm256_castsi128_si256(
		_mm_loadu_si128((const __m128i *)(block + 32))),
		_mm_loadu_si128((const __m128i *)(block + 48)), 1);

	return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/*
 * Per round, the indices of one vpermd over the block: the first and
 * second message word of the column step (lanes 0..3, 4..7), then those
 * of the diagonal step in the lane order above (8..11, 12..15).
 */
#define WG_B2S_PERM_ROW(r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, \
			s11, s12, s13, s14, s15) \
	{ s0, s2, s4, s6, s1, s3, s5, s7, \
	  s14, s8, s10, s12, s15, s9, s11, s13 },

static const uint32_t wg_b2s_perm[10][16] __attribute__((aligned(64))) = {
	WG_B2S_FOR_ROUNDS(WG_B2S_PERM_ROW)
};

#undef WG_B2S_PERM_ROW

#define WG_B2S_MSG_DECL	__m512i mb = wg_b2s_load_block(block); __m512i mp;
#define WG_B2S_MSG_ROUND(r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, \
			 s11, s12, s13, s14, s15) \
	if ((r) == 0) { \
		WG_B2S_MSG_ROUND0 \
	} else { \
		mp = _mm512_permutexvar_epi32( \
			_mm512_load_si512((const void *)wg_b2s_perm[r]), mb); \
		mx = _mm512_castsi512_si128(mp); \
		my = _mm512_extracti32x4_epi32(mp, 1); \
		dx = _mm512_extracti32x4_epi32(mp, 2); \
		dy = _mm512_extracti32x4_epi32(mp, 3); \
	}

#else /* SSE4.1 */

#define WG_B2S_ROR16(x)	_mm_shuffle_epi8((x), r16)
#define WG_B2S_ROR12(x)	\
	_mm_or_si128(_mm_srli_epi32((x), 12), _mm_slli_epi32((x), 20))
#define WG_B2S_ROR8(x)	_mm_shuffle_epi8((x), r8)
#define WG_B2S_ROR7(x)	\
	_mm_or_si128(_mm_srli_epi32((x), 7), _mm_slli_epi32((x), 25))
#define WG_B2S_ROR16_256(x)	_mm256_shuffle_epi8((x), r16)
#define WG_B2S_ROR12_256(x)	\
	_mm256_or_si256(_mm256_srli_epi32((x), 12), _mm256_slli_epi32((x), 20))
#define WG_B2S_ROR8_256(x)	_mm256_shuffle_epi8((x), r8)
#define WG_B2S_ROR7_256(x)	\
	_mm256_or_si256(_mm256_srli_epi32((x), 7), _mm256_slli_epi32((x), 25))

#define WG_B2S_W(i)	((int)wg_load_le32(block + 4 * (i)))
#define WG_B2S_MSG_DECL
#define WG_B2S_MSG_ROUND(r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, \
			 s11, s12, s13, s14, s15) \
	if ((r) == 0) { \
		WG_B2S_MSG_ROUND0 \
	} else { \
		mx = _mm_setr_epi32(WG_B2S_W(s0), WG_B2S_W(s2), \
				    WG_B2S_W(s4), WG_B2S_W(s6)); \
		my = _mm_setr_epi32(WG_B2S_W(s1), WG_B2S_W(s3), \
				    WG_B2S_W(s5), WG_B2S_W(s7)); \
		dx = _mm_setr_epi32(WG_B2S_W(s14), WG_B2S_W(s8), \
				    WG_B2S_W(s10), WG_B2S_W(s12)); \
		dy = _mm_setr_epi32(WG_B2S_W(s15), WG_B2S_W(s9), \
				    WG_B2S_W(s11), WG_B2S_W(s13)); \
	}

#endif

/*
 * Round 0's schedule is the identity (WG_B2S_SIGMA_0), so its words come
 * from the block with two-source shuffles, sooner than through the
 * general path: the first round waits for them.
 */
#define WG_B2S_Q(i)	_mm_castsi128_ps(_mm_loadu_si128( \
	(const __m128i *)(block + 16 * (i))))
#define WG_B2S_MSG_ROUND0 \
	mx = _mm_castps_si128(_mm_shuffle_ps(WG_B2S_Q(0), WG_B2S_Q(1), \
					     _MM_SHUFFLE(2, 0, 2, 0))); \
	my = _mm_castps_si128(_mm_shuffle_ps(WG_B2S_Q(0), WG_B2S_Q(1), \
					     _MM_SHUFFLE(3, 1, 3, 1))); \
	dx = _mm_shuffle_epi32(_mm_castps_si128(_mm_shuffle_ps(WG_B2S_Q(2), \
		WG_B2S_Q(3), _MM_SHUFFLE(2, 0, 2, 0))), \
		_MM_SHUFFLE(2, 1, 0, 3)); \
	dy = _mm_shuffle_epi32(_mm_castps_si128(_mm_shuffle_ps(WG_B2S_Q(2), \
		WG_B2S_Q(3), _MM_SHUFFLE(3, 1, 3, 1))), \
		_MM_SHUFFLE(2, 1, 0, 3));

/*
 * Half of G on every lane: a += b + m; d = (d ^ a) >>> rd; c += d;
 * b = (b ^ c) >>> rb. WG_B2S_ADD, _XOR, _SHUF and _R16.._R7 are those of
 * the vector width at hand: 128-bit rows just below, 256-bit rows for
 * wg_b2s_compress_pads.
 */
#define WG_B2S_HALF_G(m, rord, rorb) do { \
	__typeof__(a) am_ = WG_B2S_ADD(a, (m)); \
	WG_B2S_PIN(am_); \
	a = WG_B2S_ADD(am_, b); \
	d = rord(WG_B2S_XOR(d, a)); \
	c = WG_B2S_ADD(c, d); \
	b = rorb(WG_B2S_XOR(b, c)); \
} while (0)

/*
 * a + m is ready long before b, the last value the previous step made:
 * adding b last keeps one addition on the critical path. Left alone, gcc
 * reassociates (a + m) + b into a + (m + b) in every second half-G,
 * putting two there (about 40 cycles a compression); the empty asm makes
 * a + m a value it cannot take apart.
 */
#ifdef WG_B2S_AVX512
#define WG_B2S_PIN(x)	__asm__("" : "+v"(x))
#else
#define WG_B2S_PIN(x)	__asm__("" : "+x"(x))
#endif

#define WG_B2S_VROUND(r, ...) \
	WG_B2S_MSG_ROUND(r, __VA_ARGS__) \
	WG_B2S_HALF_G(mx, WG_B2S_R16, WG_B2S_R12); \
	WG_B2S_HALF_G(my, WG_B2S_R8, WG_B2S_R7); \
	a = WG_B2S_SHUF(a, _MM_SHUFFLE(2, 1, 0, 3)); \
	c = WG_B2S_SHUF(c, _MM_SHUFFLE(0, 3, 2, 1)); \
	d = WG_B2S_SHUF(d, _MM_SHUFFLE(1, 0, 3, 2)); \
	WG_B2S_HALF_G(dx, WG_B2S_R16, WG_B2S_R12); \
	WG_B2S_HALF_G(dy, WG_B2S_R8, WG_B2S_R7); \
	a = WG_B2S_SHUF(a, _MM_SHUFFLE(0, 3, 2, 1)); \
	c = WG_B2S_SHUF(c, _MM_SHUFFLE(2, 1, 0, 3)); \
	d = WG_B2S_SHUF(d, _MM_SHUFFLE(1, 0, 3, 2));

/* 128-bit rows: one compression. */
#define WG_B2S_ADD	_mm_add_epi32
#define WG_B2S_XOR	_mm_xor_si128
#define WG_B2S_SHUF	_mm_shuffle_epi32
#define WG_B2S_R16	WG_B2S_ROR16
#define WG_B2S_R12	WG_B2S_ROR12
#define WG_B2S_R8	WG_B2S_ROR8
#define WG_B2S_R7	WG_B2S_ROR7

/* One copy of it (no specialised clones): it is most of the hot code. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((noclone))
#endif
static void
wg_blake2s_compress_simd(uint32_t h[8], uint32_t t[2], const uint8_t *block,
			 size_t nblocks, uint32_t inc, uint32_t f0)
{
	const __m128i iv_lo = _mm_load_si128((const __m128i *)wg_blake2s_iv);
	const __m128i iv_hi =
		_mm_load_si128((const __m128i *)(wg_blake2s_iv + 4));
#ifdef WG_B2S_SSE41
	const __m128i r16 = _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5,
					  10, 11, 8, 9, 14, 15, 12, 13);
	const __m128i r8 = _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4,
					 9, 10, 11, 8, 13, 14, 15, 12);
#endif
	__m128i h0 = _mm_loadu_si128((const __m128i *)h);
	__m128i h1 = _mm_loadu_si128((const __m128i *)(h + 4));
	uint64_t ctr = (uint64_t)t[0] | ((uint64_t)t[1] << 32);

	while (nblocks-- > 0) {
		__m128i a = h0, b = h1, c = iv_lo, d;
		__m128i mx, my, dx, dy;
		WG_B2S_MSG_DECL

		ctr += inc;
		d = _mm_xor_si128(iv_hi, _mm_setr_epi32((int)(uint32_t)ctr,
				(int)(uint32_t)(ctr >> 32), (int)f0, 0));

		WG_B2S_FOR_ROUNDS(WG_B2S_VROUND)

		h0 = _mm_xor_si128(h0, _mm_xor_si128(a, c));
		h1 = _mm_xor_si128(h1, _mm_xor_si128(b, d));
		block += WG_BLAKE2S_BLOCK_SIZE;
	}
#ifdef __AVX2__
	_mm256_storeu_si256((__m256i *)h, _mm256_inserti128_si256(
		_mm256_castsi128_si256(h0), h1, 1));
#else
	_mm_storeu_si128((__m128i *)h, h0);
	_mm_storeu_si128((__m128i *)(h + 4), h1);
#endif
	t[0] = (uint32_t)ctr;
	t[1] = (uint32_t)(ctr >> 32);
}

#undef WG_B2S_ADD
#undef WG_B2S_XOR
#undef WG_B2S_SHUF
#undef WG_B2S_R16
#undef WG_B2S_R12
#undef WG_B2S_R8
#undef WG_B2S_R7
#undef WG_B2S_MSG_ROUND
#undef WG_B2S_MSG_DECL
#undef WG_B2S_MSG_ROUND0
#undef WG_B2S_Q

#ifdef __AVX2__

/*
 * An HMAC key schedule: the pad blocks K0 ^ ipad and K0 ^ opad compressed
 * side by side, one in each 128-bit half of 256-bit rows (every operation
 * above stays within its half), in the time of one compression. Both
 * start from the unkeyed BLAKE2s-256 chaining value with counter 64 and
 * no final flag. The message words of each round are taken from K0 once
 * and xored with 0x36363636 for the lower half, 0x5c5c5c5c for the upper
 * one, so the padded blocks never exist in memory.
 */
#define WG_B2S_HAVE_PADS_X2 1
#define WG_B2S_IPAD	0x36363636
#define WG_B2S_OPAD	0x5c5c5c5c

#define WG_B2S_ADD	_mm256_add_epi32
#define WG_B2S_XOR	_mm256_xor_si256
#define WG_B2S_SHUF	_mm256_shuffle_epi32
#define WG_B2S_R16	WG_B2S_ROR16_256
#define WG_B2S_R12	WG_B2S_ROR12_256
#define WG_B2S_R8	WG_B2S_ROR8_256
#define WG_B2S_R7	WG_B2S_ROR7_256

#ifdef WG_B2S_AVX512
/* [x ^ I | x ^ O | y ^ I | y ^ O] from the parts x, y of the permutation */
#define WG_B2S_MSG_DECL	__m512i mb = wg_b2s_load_block(block); \
	const __m512i kx = _mm512_setr_epi32(WG_B2S_IPAD, WG_B2S_IPAD, \
		WG_B2S_IPAD, WG_B2S_IPAD, WG_B2S_OPAD, WG_B2S_OPAD, \
		WG_B2S_OPAD, WG_B2S_OPAD, WG_B2S_IPAD, WG_B2S_IPAD, \
		WG_B2S_IPAD, WG_B2S_IPAD, WG_B2S_OPAD, WG_B2S_OPAD, \
		WG_B2S_OPAD, WG_B2S_OPAD); \
	__m512i mp, mc, md;
#define WG_B2S_MSG_ROUND(r, ...) \
	mp = _mm512_permutexvar_epi32( \
		_mm512_load_si512((const void *)wg_b2s_perm[r]), mb); \
	mc = _mm512_xor_si512(kx, _mm512_shuffle_i32x4(mp, mp, \
		_MM_SHUFFLE(1, 1, 0, 0))); \
	md = _mm512_xor_si512(kx, _mm512_shuffle_i32x4(mp, mp, \
		_MM_SHUFFLE(3, 3, 2, 2))); \
	mx = _mm512_castsi512_si256(mc); \
	my = _mm512_extracti64x4_epi64(mc, 1); \
	dx = _mm512_castsi512_si256(md); \
	dy = _mm512_extracti64x4_epi64(md, 1);
#else
#define WG_B2S_MSG_DECL	const __m256i kx = _mm256_setr_epi32(WG_B2S_IPAD, \
		WG_B2S_IPAD, WG_B2S_IPAD, WG_B2S_IPAD, WG_B2S_OPAD, \
		WG_B2S_OPAD, WG_B2S_OPAD, WG_B2S_OPAD);
#define WG_B2S_X2(w0, w1, w2, w3) _mm256_xor_si256(kx, \
	_mm256_broadcastsi128_si256(_mm_setr_epi32(WG_B2S_W(w0), \
		WG_B2S_W(w1), WG_B2S_W(w2), WG_B2S_W(w3))))
#define WG_B2S_MSG_ROUND(r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, \
			 s11, s12, s13, s14, s15) \
	mx = WG_B2S_X2(s0, s2, s4, s6); \
	my = WG_B2S_X2(s1, s3, s5, s7); \
	dx = WG_B2S_X2(s14, s8, s10, s12); \
	dy = WG_B2S_X2(s15, s9, s11, s13);
#endif

/* inner, outer: the chaining values after the blocks K0 ^ ipad, K0 ^ opad */
static void
wg_b2s_compress_pads(uint32_t inner[8], uint32_t outer[8],
		     const uint8_t block[WG_BLAKE2S_BLOCK_SIZE])
{
#ifdef WG_B2S_SSE41
	const __m256i r16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5,
		10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5,
		10, 11, 8, 9, 14, 15, 12, 13);
	const __m256i r8 = _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4,
		9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4,
		9, 10, 11, 8, 13, 14, 15, 12);
#endif
	/* h = IV ^ parameter block of an unkeyed 32-byte hash */
	const __m256i h0 = _mm256_broadcastsi128_si256(_mm_xor_si128(
		_mm_load_si128((const __m128i *)wg_blake2s_iv),
		_mm_setr_epi32(0x01010000 ^ WG_BLAKE2S_HASH_SIZE, 0, 0, 0)));
	const __m256i h1 = _mm256_broadcastsi128_si256(
		_mm_load_si128((const __m128i *)(wg_blake2s_iv + 4)));
	__m256i a = h0, b = h1, c, d;
	__m256i mx, my, dx, dy;
	WG_B2S_MSG_DECL

	c = _mm256_broadcastsi128_si256(
		_mm_load_si128((const __m128i *)wg_blake2s_iv));
	d = _mm256_xor_si256(h1, _mm256_setr_epi32(WG_BLAKE2S_BLOCK_SIZE,
						    0, 0, 0,
						    WG_BLAKE2S_BLOCK_SIZE,
						    0, 0, 0));

	WG_B2S_FOR_ROUNDS(WG_B2S_VROUND)

	a = _mm256_xor_si256(h0, _mm256_xor_si256(a, c));
	b = _mm256_xor_si256(h1, _mm256_xor_si256(b, d));
	_mm256_storeu_si256((__m256i *)inner,
			    _mm256_permute2x128_si256(a, b, 0x20));
	_mm256_storeu_si256((__m256i *)outer,
			    _mm256_permute2x128_si256(a, b, 0x31));
}

#undef WG_B2S_X2
#undef WG_B2S_IPAD
#undef WG_B2S_OPAD
#undef WG_B2S_ADD
#undef WG_B2S_XOR
#undef WG_B2S_SHUF
#undef WG_B2S_R16
#undef WG_B2S_R12
#undef WG_B2S_R8
#undef WG_B2S_R7
#undef WG_B2S_MSG_ROUND
#undef WG_B2S_MSG_DECL

#endif /* __AVX2__ */

#undef WG_B2S_VROUND
#undef WG_B2S_HALF_G
#undef WG_B2S_PIN

#define wg_blake2s_compress	wg_blake2s_compress_simd
#ifdef WG_B2S_AVX512
#define WG_B2S_IMPL		"avx512vl"
#else
#define WG_B2S_IMPL		"sse4.1"
#endif

#else /* no vector unit known */

#define wg_blake2s_compress	wg_blake2s_compress_portable
#define WG_B2S_IMPL		"portable"

#endif

const char *
wg_blake2s_implementation(void)
{
	return WG_B2S_IMPL;
}

/* h = the IV with the parameter block of an unkeyed/keyed hash folded in. */
static inline void
wg_b2s_init_h(uint32_t h[8], size_t outlen, size_t keylen)
{
	memcpy(h, wg_blake2s_iv, sizeof(wg_blake2s_iv));
	/* Parameter word 0: digest length, key length, fanout 1, depth 1. */
	h[0] ^= 0x01010000UL ^ ((uint32_t)keylen << 8) ^ (uint32_t)outlen;
}

/* block = in[0..len) zero padded to a block; len < 64 (in may be NULL if 0) */
static inline void
wg_b2s_pad_block(uint8_t block[WG_BLAKE2S_BLOCK_SIZE], const uint8_t *in,
		 size_t len)
{
#if defined(__AVX512BW__) && defined(__AVX512VL__)
	/* Masked 16-byte loads read nothing beyond in + len. */
	unsigned int i;

	for (i = 0; i < 4; i++) {
		__m128i q = _mm_setzero_si128();

		if (len > 16 * i) {
			size_t n = len - 16 * i;
			__mmask16 k = n >= 16 ? (__mmask16)0xFFFF :
				(__mmask16)((1U << n) - 1);

			q = _mm_maskz_loadu_epi8(k, in + 16 * i);
		}
		_mm_storeu_si128((__m128i *)(block + 16 * i), q);
	}
#else
	if (len > 0)
		memcpy(block, in, len);
	memset(block + len, 0, WG_BLAKE2S_BLOCK_SIZE - len);
#endif
}

/*
 * Absorbs in[0..inlen) as the end of a message: whole blocks straight
 * from the input, the last one (1..64 bytes; an empty block when the
 * whole message is empty) zero padded into scratch, with the final flag.
 * The caller wipes scratch. A message already under way (t != 0) must
 * have inlen > 0 here: its last block would be behind us otherwise.
 */
static inline void
wg_b2s_absorb_last(uint32_t h[8], uint32_t t[2], const uint8_t *in,
		   size_t inlen, uint8_t scratch[WG_BLAKE2S_BLOCK_SIZE])
{
	if (inlen > WG_BLAKE2S_BLOCK_SIZE) {
		size_t nblocks = (inlen - 1) / WG_BLAKE2S_BLOCK_SIZE;

		wg_blake2s_compress(h, t, in, nblocks, WG_BLAKE2S_BLOCK_SIZE,
				    0);
		in += nblocks * WG_BLAKE2S_BLOCK_SIZE;
		inlen -= nblocks * WG_BLAKE2S_BLOCK_SIZE;
	}
	if (inlen == WG_BLAKE2S_BLOCK_SIZE) {
		wg_blake2s_compress(h, t, in, 1, WG_BLAKE2S_BLOCK_SIZE,
				    WG_B2S_FINAL);
		return;
	}
	wg_b2s_pad_block(scratch, in, inlen);
	wg_blake2s_compress(h, t, scratch, 1, (uint32_t)inlen, WG_B2S_FINAL);
}

/* Clamps the lengths as wg_blake2s_init does. */
static inline void
wg_b2s_check_lengths(size_t *outlen, const void *key, size_t *keylen)
{
	assert(*outlen >= 1 && *outlen <= WG_BLAKE2S_HASH_SIZE);
	assert(*keylen <= WG_BLAKE2S_KEY_SIZE);
	/* Stay memory-safe even where assertions are compiled out. */
	if (*outlen < 1 || *outlen > WG_BLAKE2S_HASH_SIZE)
		*outlen = WG_BLAKE2S_HASH_SIZE;
	if (*keylen > WG_BLAKE2S_KEY_SIZE)
		*keylen = WG_BLAKE2S_KEY_SIZE;
	if (key == NULL)
		*keylen = 0;
}

void
wg_blake2s_init(struct wg_blake2s_state *s, size_t outlen,
		const void *key, size_t keylen)
{
	wg_b2s_check_lengths(&outlen, key, &keylen);

	memset(s, 0, sizeof(*s));
	wg_b2s_init_h(s->h, outlen, keylen);
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
		wg_blake2s_compress(s->h, s->t, s->buf, 1,
				    WG_BLAKE2S_BLOCK_SIZE, 0);
		s->buflen = 0;
		p += fill;
		inlen -= fill;

		/* Whole blocks straight from the input, but the last one. */
		if (inlen > WG_BLAKE2S_BLOCK_SIZE) {
			size_t nblocks = (inlen - 1) / WG_BLAKE2S_BLOCK_SIZE;

			wg_blake2s_compress(s->h, s->t, p, nblocks,
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
	if (s->buflen < WG_BLAKE2S_BLOCK_SIZE)
		memset(s->buf + s->buflen, 0,
		       WG_BLAKE2S_BLOCK_SIZE - s->buflen);
	wg_blake2s_compress(s->h, s->t, s->buf, 1, (uint32_t)s->buflen,
			    WG_B2S_FINAL);
	if (s->outlen == WG_BLAKE2S_HASH_SIZE)	/* the common case, inline */
		wg_b2s_output(out, WG_BLAKE2S_HASH_SIZE, s->h);
	else
		wg_b2s_output(out, s->outlen, s->h);
	sodium_memzero(s, sizeof(*s));
}

void
wg_blake2s(uint8_t *out, size_t outlen, const void *in, size_t inlen,
	   const void *key, size_t keylen)
{
	/* secrets in one place, for one wipe */
	struct {
		uint8_t block[WG_BLAKE2S_BLOCK_SIZE];
		uint32_t h[8];
	} w;
	uint32_t t[2] = { 0, 0 };

	wg_b2s_check_lengths(&outlen, key, &keylen);
	wg_b2s_init_h(w.h, outlen, keylen);
	if (keylen > 0) {
		/* The key block; the last one if the message is empty. */
		wg_b2s_pad_block(w.block, key, keylen);
		wg_blake2s_compress(w.h, t, w.block, 1, WG_BLAKE2S_BLOCK_SIZE,
				    inlen == 0 ? WG_B2S_FINAL : 0);
	}
	if (keylen == 0 || inlen > 0)
		wg_b2s_absorb_last(w.h, t, in, inlen, w.block);
	wg_b2s_output(out, outlen, w.h);
	sodium_memzero(&w, sizeof(w));
}

void
wg_blake2s_portable(uint8_t *out, size_t outlen, const void *in,
		    size_t inlen, const void *key, size_t keylen)
{
	uint8_t block[WG_BLAKE2S_BLOCK_SIZE];
	const uint8_t *p = in;
	uint32_t h[8];
	uint32_t t[2] = { 0, 0 };

	/* Written out block by block, sharing nothing but the compression. */
	wg_b2s_check_lengths(&outlen, key, &keylen);
	wg_b2s_init_h(h, outlen, keylen);
	if (keylen > 0) {
		memset(block, 0, sizeof(block));
		memcpy(block, key, keylen);
		wg_blake2s_compress_portable(h, t, block, 1,
					     WG_BLAKE2S_BLOCK_SIZE,
					     inlen == 0 ? WG_B2S_FINAL : 0);
		if (inlen == 0)
			goto out;
	}
	while (inlen > WG_BLAKE2S_BLOCK_SIZE) {
		wg_blake2s_compress_portable(h, t, p, 1, WG_BLAKE2S_BLOCK_SIZE,
					     0);
		p += WG_BLAKE2S_BLOCK_SIZE;
		inlen -= WG_BLAKE2S_BLOCK_SIZE;
	}
	memset(block, 0, sizeof(block));
	if (inlen > 0)
		memcpy(block, p, inlen);
	wg_blake2s_compress_portable(h, t, block, 1, (uint32_t)inlen,
				     WG_B2S_FINAL);
out:
	wg_b2s_output(out, outlen, h);
	sodium_memzero(block, sizeof(block));
	sodium_memzero(h, sizeof(h));
}

void
wg_blake2s_hmac_setkey(struct wg_blake2s_hmac_key *k, const void *key,
		       size_t keylen)
{
#ifndef WG_B2S_HAVE_PADS_X2
	uint8_t pad[WG_BLAKE2S_BLOCK_SIZE];
	uint32_t t[2];
	unsigned int i;
#endif

	/* K0: the key zero padded to a block, or its hash if it is longer. */
	if (keylen > WG_BLAKE2S_BLOCK_SIZE) {
		wg_blake2s(k->k0, WG_BLAKE2S_HASH_SIZE, key, keylen, NULL, 0);
		memset(k->k0 + WG_BLAKE2S_HASH_SIZE, 0,
		       WG_BLAKE2S_BLOCK_SIZE - WG_BLAKE2S_HASH_SIZE);
	} else if (keylen == WG_BLAKE2S_BLOCK_SIZE) {
		memcpy(k->k0, key, keylen);
	} else {
		wg_b2s_pad_block(k->k0, key, keylen);
	}

	/* Both pads are followed by more input: no final flag. */
#ifdef WG_B2S_HAVE_PADS_X2
	wg_b2s_compress_pads(k->inner, k->outer, k->k0);
#else
	for (i = 0; i < WG_BLAKE2S_BLOCK_SIZE; i++)
		pad[i] = k->k0[i] ^ 0x36;
	wg_b2s_init_h(k->inner, WG_BLAKE2S_HASH_SIZE, 0);
	t[0] = t[1] = 0;
	wg_blake2s_compress(k->inner, t, pad, 1, WG_BLAKE2S_BLOCK_SIZE, 0);

	for (i = 0; i < WG_BLAKE2S_BLOCK_SIZE; i++)
		pad[i] = k->k0[i] ^ 0x5c;
	wg_b2s_init_h(k->outer, WG_BLAKE2S_HASH_SIZE, 0);
	t[0] = t[1] = 0;
	wg_blake2s_compress(k->outer, t, pad, 1, WG_BLAKE2S_BLOCK_SIZE, 0);
	sodium_memzero(pad, sizeof(pad));
#endif
}

void
wg_blake2s_hmac_mac(uint8_t out[WG_BLAKE2S_HASH_SIZE],
		    const struct wg_blake2s_hmac_key *k, const void *in,
		    size_t inlen)
{
	/* secrets in one place, for one wipe */
	struct {
		uint8_t block[WG_BLAKE2S_BLOCK_SIZE];
		uint32_t h[8];
	} w;
	uint32_t t[2];
	unsigned int i;

	/* inner = H((K0 ^ ipad) || in) */
	if (inlen > 0) {
		memcpy(w.h, k->inner, sizeof(w.h));
		t[0] = WG_BLAKE2S_BLOCK_SIZE;
		t[1] = 0;
		wg_b2s_absorb_last(w.h, t, in, inlen, w.block);
	} else {
		/* The pad block is the last block. */
		for (i = 0; i < WG_BLAKE2S_BLOCK_SIZE; i++)
			w.block[i] = k->k0[i] ^ 0x36;
		wg_b2s_init_h(w.h, WG_BLAKE2S_HASH_SIZE, 0);
		t[0] = t[1] = 0;
		wg_blake2s_compress(w.h, t, w.block, 1, WG_BLAKE2S_BLOCK_SIZE,
				    WG_B2S_FINAL);
	}

	/* out = H((K0 ^ opad) || inner): inner is the padded last block. */
	wg_b2s_output(w.block, WG_BLAKE2S_HASH_SIZE, w.h);
	memset(w.block + WG_BLAKE2S_HASH_SIZE, 0,
	       WG_BLAKE2S_BLOCK_SIZE - WG_BLAKE2S_HASH_SIZE);
	memcpy(w.h, k->outer, sizeof(w.h));
	t[0] = WG_BLAKE2S_BLOCK_SIZE;
	t[1] = 0;
	wg_blake2s_compress(w.h, t, w.block, 1, WG_BLAKE2S_HASH_SIZE,
			    WG_B2S_FINAL);
	wg_b2s_output(out, WG_BLAKE2S_HASH_SIZE, w.h);

	sodium_memzero(&w, sizeof(w));
}

void
wg_blake2s_hmac(uint8_t out[WG_BLAKE2S_HASH_SIZE], const void *in,
		size_t inlen, const void *key, size_t keylen)
{
	struct wg_blake2s_hmac_key k;

	wg_blake2s_hmac_setkey(&k, key, keylen);
	wg_blake2s_hmac_mac(out, &k, in, inlen);
	sodium_memzero(&k, sizeof(k));
}
