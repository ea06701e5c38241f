/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * BLAKE2s against published vectors:
 *  - RFC 7693 Appendix B: BLAKE2s-256("abc");
 *  - RFC 7693 Appendix E: the self-test grand hash over digest lengths
 *    {16, 20, 28, 32} and input lengths {0, 3, 64, 65, 255, 1024}, unkeyed
 *    and keyed;
 *  - the BLAKE2 reference keyed KAT (all 256 entries, blake2s_kat.h) and
 *    the first unkeyed KAT entries;
 * plus incremental updates in odd-sized chunks against one-shot hashing,
 * and the wiping of the state by wg_blake2s_final.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/blake2s.h"
#include "test.h"

#include "blake2s_kat.h"

static void
check_hex(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[64];

	CHECK(test_unhex(hex, want, sizeof(want)) == len);
	CHECK_MEM(got, want, len);
}

static void
test_rfc7693_abc(void)
{
	uint8_t out[WG_BLAKE2S_HASH_SIZE];

	/* RFC 7693 Appendix B: BLAKE2s-256("abc"). */
	wg_blake2s(out, sizeof(out), "abc", 3, NULL, 0);
	check_hex(out, "508C5E8C327C14E2E1A72BA34EEB452F"
		  "37458B209ED63A294D999B4C86675982", sizeof(out));
}

/* RFC 7693 Appendix E: deterministic input (Fibonacci-like generator). */
static void
selftest_seq(uint8_t *out, size_t len, uint32_t seed)
{
	uint32_t a = 0xDEAD4BAD * seed;
	uint32_t b = 1;
	uint32_t t;
	size_t i;

	for (i = 0; i < len; i++) {
		t = a + b;
		a = b;
		b = t;
		out[i] = (uint8_t)(t >> 24);
	}
}

static void
test_rfc7693_selftest(void)
{
	static const size_t md_len[4] = { 16, 20, 28, 32 };
	static const size_t in_len[6] = { 0, 3, 64, 65, 255, 1024 };
	struct wg_blake2s_state grand;
	uint8_t in[1024];
	uint8_t md[32];
	uint8_t key[32];
	unsigned int i, j;

	wg_blake2s_init(&grand, 32, NULL, 0);
	for (i = 0; i < 4; i++) {
		size_t outlen = md_len[i];

		for (j = 0; j < 6; j++) {
			size_t inlen = in_len[j];

			selftest_seq(in, inlen, (uint32_t)inlen);
			wg_blake2s(md, outlen, in, inlen, NULL, 0);
			wg_blake2s_update(&grand, md, outlen);

			selftest_seq(key, outlen, (uint32_t)outlen);
			wg_blake2s(md, outlen, in, inlen, key, outlen);
			wg_blake2s_update(&grand, md, outlen);
		}
	}
	wg_blake2s_final(&grand, md);
	/* blake2s_res from RFC 7693 Appendix E */
	check_hex(md, "6A411F08CE25ADCDFB02ABA641451CEC"
		  "53C598B24F4FC787FBDC88797F4C1DFE", 32);
}

static void
test_reference_kat(void)
{
	uint8_t key[WG_BLAKE2S_KEY_SIZE];
	uint8_t in[WG_TEST_BLAKE2S_KAT_COUNT];
	uint8_t out[WG_BLAKE2S_HASH_SIZE];
	unsigned int i, failed = 0;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;

	for (i = 0; i < WG_TEST_BLAKE2S_KAT_COUNT; i++) {
		uint8_t want[WG_BLAKE2S_HASH_SIZE];

		CHECK(test_unhex(wg_test_blake2s_keyed_kat[i], want,
				 sizeof(want)) == sizeof(want));
		wg_blake2s(out, sizeof(out), in, i, key, sizeof(key));
		if (memcmp(out, want, sizeof(out)) != 0) {
			fprintf(stderr, "keyed KAT %u mismatch\n", i);
			failed++;
		}
	}
	CHECK(failed == 0);

	/* First entries of the reference unkeyed KAT (blake2s_kat). */
	wg_blake2s(out, sizeof(out), in, 0, NULL, 0);
	check_hex(out, "69217A3079908094E11121D042354A7C"
		  "1F55B6482CA1A51E1B250DFD1ED0EEF9", 32);
	wg_blake2s(out, sizeof(out), in, 1, NULL, 0);
	check_hex(out, "E34D74DBAF4FF4C6ABD871CC220451D2"
		  "EA2648846C7757FBAAC82FE51AD64BEA", 32);
	wg_blake2s(out, sizeof(out), in, 2, NULL, 0);
	check_hex(out, "DDAD9AB15DAC4549BA42F49D262496BE"
		  "F6C0BAE1DD342A8808F8EA267C6E210C", 32);
}

static void
test_incremental(void)
{
	static const size_t chunks[] = { 1, 3, 7, 13, 31, 63, 64, 65, 127, 200 };
	static const size_t lens[] = {
		0, 1, 63, 64, 65, 127, 128, 129, 255, 256, 1000, 4096 + 17
	};
	static const size_t outlens[] = { 1, 16, 31, 32 };
	static const size_t keylens[] = { 0, 1, 16, 32 };
	static uint8_t msg[4096 + 17];
	uint8_t key[WG_BLAKE2S_KEY_SIZE];
	unsigned int i, c, l, o, k, failed = 0, runs = 0;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 131 + 7);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xF0 - i);

	for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		for (o = 0; o < sizeof(outlens) / sizeof(outlens[0]); o++) {
			for (k = 0; k < sizeof(keylens) / sizeof(keylens[0]);
			     k++) {
				uint8_t one[32], inc[32];

				wg_blake2s(one, outlens[o], msg, lens[l],
					   key, keylens[k]);
				for (c = 0; c < sizeof(chunks) /
					     sizeof(chunks[0]); c++) {
					struct wg_blake2s_state s;
					size_t off = 0;

					wg_blake2s_init(&s, outlens[o], key,
							keylens[k]);
					/* an empty update now and then */
					wg_blake2s_update(&s, msg, 0);
					while (off < lens[l]) {
						size_t n = chunks[c];

						if (n > lens[l] - off)
							n = lens[l] - off;
						wg_blake2s_update(&s, msg + off,
								  n);
						off += n;
					}
					memset(inc, 0xA5, sizeof(inc));
					wg_blake2s_final(&s, inc);
					runs++;
					if (memcmp(one, inc, outlens[o]) != 0 ||
					    (outlens[o] < 32 &&
					     inc[outlens[o]] != 0xA5))
						failed++;
				}
			}
		}
	}
	CHECK(runs > 0);
	CHECK(failed == 0);

	/* Different output lengths are different functions, not prefixes. */
	{
		uint8_t a[32], b[16];

		wg_blake2s(a, 32, msg, 100, NULL, 0);
		wg_blake2s(b, 16, msg, 100, NULL, 0);
		CHECK(memcmp(a, b, 16) != 0);
	}
}

static void
test_final_wipes(void)
{
	struct wg_blake2s_state s;
	uint8_t out[32];
	const uint8_t *p = (const uint8_t *)&s;
	size_t i, nonzero = 0;

	wg_blake2s_init(&s, 32, "secret key", 10);
	wg_blake2s_update(&s, "some message", 12);
	wg_blake2s_final(&s, out);
	for (i = 0; i < sizeof(s); i++)
		nonzero += p[i] != 0;
	CHECK(nonzero == 0);
}

int
main(void)
{
	test_rfc7693_abc();
	test_rfc7693_selftest();
	test_reference_kat();
	test_incremental();
	test_final_wipes();
	TEST_MAIN_END();
}
