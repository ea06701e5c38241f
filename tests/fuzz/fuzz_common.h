/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/*
 * Shared by every libFuzzer harness (and the corpus generator):
 *
 *   - a deterministic replacement of libsodium's randombytes, with one
 *     stream per simulated device, so that one input always takes the
 *     same path and a crash reproduces from its file alone, and so that
 *     messages captured by gen_corpus are valid for the harnesses (same
 *     keys, same indices, same session keys);
 *   - a reader that takes integers and byte strings from the fuzzer's
 *     input and returns zeros once it is exhausted.
 *
 * fz_rng_install() must run before the first sodium_init() (it is
 * called from LLVMFuzzerInitialize / main).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_RNG_STREAMS	8

/* Installs the deterministic randombytes implementation; 0 or -1. */
int
fz_rng_install(void);
/* Resets every stream to a state derived from seed; selects stream 0. */
void
fz_rng_seed(uint64_t seed);
/* Selects the stream that the following randombytes calls draw from. */
void
fz_rng_select(unsigned int stream);

/* The fuzzer's input, consumed front to back. */
struct fz_in {
	const uint8_t *p;
	size_t len;
	size_t pos;
};

static inline void
fz_in_init(struct fz_in *in, const uint8_t *data, size_t len)
{
	in->p = data;
	in->len = len;
	in->pos = 0;
}

static inline size_t
fz_in_left(const struct fz_in *in)
{
	return in->len - in->pos;
}

static inline uint8_t
fz_u8(struct fz_in *in)
{
	if (in->pos >= in->len)
		return 0;
	return in->p[in->pos++];
}

static inline uint16_t
fz_u16(struct fz_in *in)
{
	uint16_t v = fz_u8(in);

	return (uint16_t)(v | (uint16_t)fz_u8(in) << 8);
}

static inline uint32_t
fz_u32(struct fz_in *in)
{
	uint32_t v = fz_u16(in);

	return v | (uint32_t)fz_u16(in) << 16;
}

static inline uint64_t
fz_u64(struct fz_in *in)
{
	uint64_t v = fz_u32(in);

	return v | (uint64_t)fz_u32(in) << 32;
}

/* Copies up to len bytes (zero-filled past the end); returns bytes taken. */
size_t
fz_bytes(struct fz_in *in, void *dst, size_t len);

#endif /* FUZZ_COMMON_H */
