/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Micro-benchmark of BLAKE2s, HMAC-BLAKE2s and the WireGuard KDF on one
 * core: the hashing a handshake does besides X25519.
 *
 * Cases:
 *   blake2s N      one-shot unkeyed BLAKE2s-256 of N bytes, with the
 *                  compression this build uses and with the portable C
 *                  one (wg_blake2s_portable) for comparison;
 *   mac1 116       keyed BLAKE2s-128 of 116 bytes (mac1 of an initiation);
 *   mix_hash 64    init/update(32)/update(32)/final (Noise's mix_hash);
 *   hmac N         HMAC-BLAKE2s with a 32-byte key over N bytes;
 *   kdf1/2/3       the KDF with a 32-byte input (the handshake's case).
 *
 * Timing: rdtsc, the TSC frequency measured against CLOCK_MONOTONIC;
 * cycles are TSC cycles. Each case is warmed up, then measured in nine
 * short runs interleaved with the other cases; the best run counts, and
 * "spread" says how far the median run was above it (a large spread
 * means the machine was busy: run again).
 *
 * Usage: bench_blake2s [--quick] [--cpu N]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/blake2s.h"
#include "crypto/kdf.h"

#include "bench_common.h"

#define REPS		9
#define NOISY		0.05
#define MAX_LEN		4096

enum kind {
	K_HASH, K_HASH_REF, K_MAC1, K_MIX, K_HMAC, K_KDF1, K_KDF2, K_KDF3,
};

struct bench_case {
	const char *name;
	enum kind kind;
	size_t len;
	unsigned long iters;
	double samples[REPS];	/* cycles per call */
};

static double tsc_hz;
static uint8_t msg[MAX_LEN];
static uint8_t key[WG_BLAKE2S_KEY_SIZE];
static volatile uint8_t sink;
static volatile uint8_t zero;

/* Runs one case n times; returns TSC cycles per call. */
static double
run_case(const struct bench_case *c, unsigned long n)
{
	struct wg_blake2s_state s;
	uint8_t out[3][WG_BLAKE2S_HASH_SIZE];
	uint64_t t0, t1;
	unsigned long i;

	memset(out, 0, sizeof(out));
	t0 = wg_bench_cycles();
	for (i = 0; i < n; i++) {
		/*
		 * Chain the calls, as in a handshake: each one's input
		 * address depends on the last output (and zero, which the
		 * compiler cannot know), so they run one after the other.
		 * Storing into the input instead would stall its wide loads.
		 */
		const uint8_t *m = msg + (out[0][0] & zero);

		switch (c->kind) {
		case K_HASH:
			wg_blake2s(out[0], 32, m, c->len, NULL, 0);
			break;
		case K_HASH_REF:
			wg_blake2s_portable(out[0], 32, m, c->len, NULL, 0);
			break;
		case K_MAC1:
			wg_blake2s(out[0], 16, m, c->len, key, sizeof(key));
			break;
		case K_MIX:
			wg_blake2s_init(&s, 32, NULL, 0);
			wg_blake2s_update(&s, m, 32);
			wg_blake2s_update(&s, m + 32, c->len - 32);
			wg_blake2s_final(&s, out[0]);
			break;
		case K_HMAC:
			wg_blake2s_hmac(out[0], m, c->len, key, sizeof(key));
			break;
		case K_KDF1:
			wg_kdf(out[0], NULL, NULL, key, m, c->len);
			break;
		case K_KDF2:
			wg_kdf(out[0], out[1], NULL, key, m, c->len);
			break;
		case K_KDF3:
			wg_kdf(out[0], out[1], out[2], key, m, c->len);
			break;
		}
	}
	t1 = wg_bench_cycles();
	sink ^= out[0][1];
	return (double)(t1 - t0) / (double)n;
}

int
main(int argc, char **argv)
{
	static struct bench_case cases[] = {
		{ "blake2s", K_HASH, 32, 0, { 0 } },
		{ "blake2s", K_HASH_REF, 32, 0, { 0 } },
		{ "blake2s", K_HASH, 64, 0, { 0 } },
		{ "blake2s", K_HASH_REF, 64, 0, { 0 } },
		{ "blake2s", K_HASH, 128, 0, { 0 } },
		{ "blake2s", K_HASH_REF, 128, 0, { 0 } },
		{ "blake2s", K_HASH, 1024, 0, { 0 } },
		{ "blake2s", K_HASH_REF, 1024, 0, { 0 } },
		{ "blake2s", K_HASH, 4096, 0, { 0 } },
		{ "blake2s", K_HASH_REF, 4096, 0, { 0 } },
		{ "mac1", K_MAC1, 116, 0, { 0 } },
		{ "mix_hash", K_MIX, 64, 0, { 0 } },
		{ "hmac", K_HMAC, 32, 0, { 0 } },
		{ "hmac", K_HMAC, 64, 0, { 0 } },
		{ "kdf1", K_KDF1, 32, 0, { 0 } },
		{ "kdf2", K_KDF2, 32, 0, { 0 } },
		{ "kdf3", K_KDF3, 32, 0, { 0 } },
	};
	const size_t ncases = sizeof(cases) / sizeof(cases[0]);
	double seconds = 0.05;
	int cpu = -1, noisy = 0;
	unsigned int r;
	size_t i;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			seconds = 0.01;
		} else if (strcmp(argv[i], "--cpu") == 0 &&
			   i + 1 < (size_t)argc) {
			cpu = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--cpu N]\n",
				argv[0]);
			return EXIT_FAILURE;
		}
	}
	cpu = wg_bench_pin_cpu(cpu);
	tsc_hz = wg_bench_tsc_hz(0.1);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 37 + 1);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x80 + i);

	/* calibrate: about `seconds` per run */
	for (i = 0; i < ncases; i++) {
		double cyc = run_case(&cases[i], 2000);

		cyc = run_case(&cases[i], 2000);
		cases[i].iters = (unsigned long)(seconds * tsc_hz / cyc) + 1;
	}
	for (r = 0; r < REPS; r++)
		for (i = 0; i < ncases; i++)
			cases[i].samples[r] = run_case(&cases[i],
						       cases[i].iters);

	printf("bench_blake2s: BLAKE2s, HMAC-BLAKE2s, KDF, one core (cpu %d), "
	       "TSC %.3f GHz\n", cpu, tsc_hz / 1e9);
	printf("compression: %s (\"portable\" rows: the portable C one); "
	       "best of %d runs; cycles are TSC cycles\n",
	       wg_blake2s_implementation(), REPS);
	printf("%-9s %-9s %6s %8s %10s %10s %8s\n", "case", "impl", "bytes",
	       "cyc/B", "cyc/call", "Mcalls/s", "spread");
	for (i = 0; i < ncases; i++) {
		struct bench_case *c = &cases[i];
		double best, median, spread;

		wg_bench_sort_runs(c->samples, REPS);
		best = c->samples[0];
		median = c->samples[REPS / 2];
		spread = (median - best) / best;
		noisy += spread > NOISY;
		printf("%-9s %-9s %6zu ", c->name,
		       c->kind == K_HASH_REF ? "portable" :
		       wg_blake2s_implementation(), c->len);
		if (c->kind <= K_MIX)
			printf("%8.2f", best / (double)c->len);
		else
			printf("%8s", "-");
		printf(" %10.1f %10.3f %7.1f%%\n", best, tsc_hz / best / 1e6,
		       100.0 * spread);
	}
	if (noisy)
		printf("warning: %d case(s) with a spread above %.0f%%: the "
		       "machine was busy, run again\n", noisy, 100 * NOISY);
	return EXIT_SUCCESS;
}
