/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Deterministic randomness for the fuzz harnesses: a splitmix64 generator
 * per stream behind libsodium's randombytes interface. Not random at all,
 * on purpose: only ever linked into fuzz harnesses and gen_corpus.
 */

#include <string.h>

#include <sodium.h>

#include "fuzz_common.h"

static uint64_t fz_rng_state[FZ_RNG_STREAMS];
static unsigned int fz_rng_cur;

static uint64_t
fz_rng_next(void)
{
	uint64_t z = (fz_rng_state[fz_rng_cur] += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *
fz_rng_name(void)
{
	return "dpdk-wg-fuzz-deterministic";
}

static uint32_t
fz_rng_random(void)
{
	return (uint32_t)(fz_rng_next() >> 32);
}

static void
fz_rng_buf(void *const buf, const size_t size)
{
	uint8_t *p = buf;
	size_t off = 0;

	while (off < size) {
		uint64_t v = fz_rng_next();
		size_t n = size - off < sizeof(v) ? size - off : sizeof(v);

		memcpy(p + off, &v, n);
		off += n;
	}
}

static randombytes_implementation fz_rng_impl = {
	.implementation_name = fz_rng_name,
	.random = fz_rng_random,
	.stir = NULL,
	.uniform = NULL,	/* libsodium's rejection sampling over random() */
	.buf = fz_rng_buf,
	.close = NULL,
};

int
fz_rng_install(void)
{
	fz_rng_seed(0);
	if (randombytes_set_implementation(&fz_rng_impl) != 0)
		return -1;
	return sodium_init() < 0 ? -1 : 0;
}

void
fz_rng_seed(uint64_t seed)
{
	unsigned int i;

	for (i = 0; i < FZ_RNG_STREAMS; i++)
		fz_rng_state[i] = seed * 0x2545f4914f6cdd1dULL + i * 0x100000001b3ULL;
	fz_rng_cur = 0;
}

void
fz_rng_select(unsigned int stream)
{
	fz_rng_cur = stream % FZ_RNG_STREAMS;
}

size_t
fz_bytes(struct fz_in *in, void *dst, size_t len)
{
	size_t n = fz_in_left(in) < len ? fz_in_left(in) : len;

	if (n != 0)
		memcpy(dst, in->p + in->pos, n);
	if (n < len)
		memset((uint8_t *)dst + n, 0, len - n);
	in->pos += n;
	return n;
}
