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
 * and the wiping of the state by wg_blake2s_final;
 * plus the build's compression (vectorised where the target has SSE4.1 or
 * AVX-512) against the portable C one (wg_blake2s_portable) on random
 * inputs of every length 0..1024 with random keys, output lengths and
 * alignments, through the one-shot, incremental and HMAC interfaces (HMAC
 * against one written here over the portable hash), and inputs that end
 * right before an unmapped page.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* xorshift64*: reproducible pseudo-random test data */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t
rng32(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void
rng_fill(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rng32();
}

#define REF_MAX_MSG	1024

/* HMAC-BLAKE2s (RFC 2104) written out over the portable hash. */
static void
ref_hmac(uint8_t out[32], const uint8_t *msg, size_t len, const uint8_t *key,
	 size_t keylen)
{
	static uint8_t buf[64 + REF_MAX_MSG];
	uint8_t k0[64], inner[32];
	size_t i;

	memset(k0, 0, sizeof(k0));
	if (keylen > 64)
		wg_blake2s_portable(k0, 32, key, keylen, NULL, 0);
	else if (keylen > 0)
		memcpy(k0, key, keylen);
	for (i = 0; i < 64; i++)
		buf[i] = k0[i] ^ 0x36;
	if (len > 0)
		memcpy(buf + 64, msg, len);
	wg_blake2s_portable(inner, 32, buf, 64 + len, NULL, 0);
	for (i = 0; i < 64; i++)
		buf[i] = k0[i] ^ 0x5c;
	memcpy(buf + 64, inner, 32);
	wg_blake2s_portable(out, 32, buf, 64 + 32, NULL, 0);
}

static void
test_against_portable(void)
{
	static uint8_t in[REF_MAX_MSG + 64];
	uint8_t key[100];
	unsigned int failed_hash = 0, failed_inc = 0, failed_hmac = 0;
	unsigned int failed_prep = 0;
	size_t len;

	printf("compression under test: %s\n", wg_blake2s_implementation());
	for (len = 0; len <= REF_MAX_MSG; len++) {
		size_t off = rng32() % 64;	/* any alignment */
		size_t outlen = 1 + rng32() % 32;
		size_t keylen = rng32() % 33;
		size_t hkeylen = rng32() % (sizeof(key) + 1);
		const uint8_t *m = in + off;
		struct wg_blake2s_hmac_key hk;
		struct wg_blake2s_state st;
		uint8_t want[32], got[32];
		size_t done = 0;

		rng_fill(in, sizeof(in));
		rng_fill(key, sizeof(key));
		if (len % 7 == 0)
			keylen = len % 2 ? 32 : 0;	/* the common cases */

		/* one-shot, keyed or not */
		wg_blake2s_portable(want, outlen, m, len, key, keylen);
		memset(got, 0, sizeof(got));
		wg_blake2s(got, outlen, m, len, key, keylen);
		failed_hash += memcmp(got, want, outlen) != 0;

		/* incremental, in random pieces */
		wg_blake2s_init(&st, outlen, key, keylen);
		while (done < len) {
			size_t n = rng32() % 130;

			if (n > len - done)
				n = len - done;
			wg_blake2s_update(&st, m + done, n);
			done += n;
		}
		memset(got, 0, sizeof(got));
		wg_blake2s_final(&st, got);
		failed_inc += memcmp(got, want, outlen) != 0;

		/* HMAC, keys of 0..100 bytes (longer than a block: hashed) */
		ref_hmac(want, m, len, key, hkeylen);
		wg_blake2s_hmac(got, m, len, key, hkeylen);
		failed_hmac += memcmp(got, want, 32) != 0;
		wg_blake2s_hmac_setkey(&hk, key, hkeylen);
		wg_blake2s_hmac_mac(got, &hk, m, len);
		failed_prep += memcmp(got, want, 32) != 0;
		/* the same key schedule again, for a second message */
		ref_hmac(want, m, len / 2, key, hkeylen);
		wg_blake2s_hmac_mac(got, &hk, m, len / 2);
		failed_prep += memcmp(got, want, 32) != 0;
	}
	if (failed_hash || failed_inc || failed_hmac || failed_prep)
		fprintf(stderr, "against portable: %u one-shot, %u incremental,"
			" %u hmac, %u prepared-key hmac mismatches\n",
			failed_hash, failed_inc, failed_hmac, failed_prep);
	CHECK(failed_hash == 0);
	CHECK(failed_inc == 0);
	CHECK(failed_hmac == 0);
	CHECK(failed_prep == 0);
}

/*
 * Inputs and keys that end right before an unmapped page: no
 * implementation may read past the end (the vectorised one pads the last
 * block with masked loads).
 */
static void
test_page_end(void)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	uint8_t *map, *end;
	uint8_t want[32], got[32];
	unsigned int failed = 0;
	size_t len, keylen;

	CHECK(pagesize > 0);
	if (pagesize <= 0)
		return;
	map = mmap(NULL, 2 * (size_t)pagesize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	CHECK(mprotect(map + pagesize, (size_t)pagesize, PROT_NONE) == 0);
	end = map + pagesize;
	rng_fill(map, (size_t)pagesize);

	for (len = 0; len <= 200; len++) {
		keylen = len % 33;
		wg_blake2s_portable(want, 32, end - len, len, end - keylen,
				    keylen);
		wg_blake2s(got, 32, end - len, len, end - keylen, keylen);
		failed += memcmp(got, want, 32) != 0;
		ref_hmac(want, end - len, len, end - keylen, keylen);
		wg_blake2s_hmac(got, end - len, len, end - keylen, keylen);
		failed += memcmp(got, want, 32) != 0;
	}
	CHECK(failed == 0);
	munmap(map, 2 * (size_t)pagesize);
}

int
main(void)
{
	test_rfc7693_abc();
	test_rfc7693_selftest();
	test_reference_kat();
	test_incremental();
	test_final_wipes();
	test_against_portable();
	test_page_end();
	TEST_MAIN_END();
}
