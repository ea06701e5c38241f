/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Micro-benchmark of the data-path AEAD on one core.
 *
 * For each payload size, and for encryption and decryption, three ways of
 * running ChaCha20-Poly1305 over the same packets:
 *   engine: our batched engine (wg_aead_*_burst), bursts of --burst ops,
 *           every packet with its own key (drawn from a pool of 1024) and
 *           counter, as on a gateway;
 *   raw:    IPsec-MB's job API driven directly with the simplest loop
 *           (get_next_job, fill, submit_job, flush at the end of each
 *           burst): the ceiling the engine is measured against;
 *   raw-nocheck: the same loop with submit_job_nocheck, which skips the
 *           library's argument checks; the engine validates its ops itself
 *           and submits unchecked, so this is its true ceiling;
 *   sodium: libsodium's one-shot detached AEAD, one packet at a time.
 *
 * Packets: a pool of 384 buffers (payload followed by its 16-byte tag, as
 * in a packet), visited in order, one burst after the other; the working
 * set stays in L2 so the figures are those of the computation. IMIX is the
 * simple IMIX 7:4:1 of 64, 576 and 1420-byte payloads (mean 347.7 B),
 * interleaved in a fixed shuffled order.
 *
 * Decryption needs valid ciphertexts on every pass although the data is
 * decrypted in place: each packet carries two tags, one over its
 * ciphertext and one over its plaintext (with the same key and nonce
 * ChaCha20 maps the plaintext back to the ciphertext), and the passes
 * alternate between them, so every decryption verifies.
 *
 * Timing: rdtsc, the TSC frequency measured against CLOCK_MONOTONIC;
 * cycles are TSC cycles. Each case is warmed up, then measured in five
 * runs interleaved with the other implementations; the best run counts,
 * and "spread" says how far the median run was above it (a large spread
 * means the machine was busy: run again).
 *
 * Options: --quick (short runs), --sizes 64,1420,imix,... , --burst N
 * (1..64, default 32), --time S (seconds per case, default 0.6),
 * --cpu N (default: the last CPU allowed), --json (last line: one JSON
 * object with every figure).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#ifdef WG_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

#include "crypto/aead_batch.h"

#include "bench_common.h"

#define NPKT		384	/* multiple of 12 for IMIX */
#define NKEYS		1024
#define TAG_LEN		16
#define MAX_SIZES	16
#define REPS		5
#define NOISY		0.05	/* median this far above best: disturbed */
#define IMIX_SIZE	0	/* pseudo size meaning IMIX */

enum variant { V_ENGINE, V_RAW, V_RAW_NC, V_SODIUM, V_NUM };

static const char *const variant_name[V_NUM] = {
	"engine", "raw", "raw-nocheck", "sodium",
};
static const char *const variant_key[V_NUM] = {
	"engine", "raw", "raw_nocheck", "sodium",
};

struct bench_pkt {
	uint8_t *data;
	uint32_t len;
	const uint8_t *key;
	uint64_t counter;
	uint8_t *tag[2];	/* [0] follows the data; [1] spare (decrypt) */
};

struct result {
	double cyc_per_byte;
	double cyc_per_pkt;
	double mpps;
	double gbps;
	double spread;		/* (median - best) / best over the runs */
	double samples[REPS];
	int valid;
};

static struct {
	int quick;
	int json;
	unsigned int burst;
	double seconds;
	int cpu;
	unsigned int sizes[MAX_SIZES];
	unsigned int nsizes;
} opt = {
	.burst = 32,
	.seconds = 0.6,
	.cpu = -1,
};

static double tsc_hz;
static uint8_t keys[NKEYS][32];
static struct bench_pkt pkts[NPKT];
static uint8_t *pkt_mem;
static uint64_t total_bytes_per_pass;
static struct wg_aead_engine *engine;
#ifdef WG_HAVE_IPSEC_MB
static IMB_MGR *raw_mgr;
#endif

static void
make_nonce(uint8_t nonce[12], uint64_t counter)
{
	int i;

	memset(nonce, 0, 4);
	for (i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(counter >> (8 * i));
}

/* Lays out NPKT packets of this size (or IMIX) with keys and data. */
static void
setup_packets(unsigned int size)
{
	static const uint32_t imix_pattern[12] = {
		64, 576, 64, 1420, 64, 576, 64, 64, 576, 64, 576, 64,
	};
	size_t stride = ((size == IMIX_SIZE ? 1420 : size) + TAG_LEN + 63) &
		~(size_t)63;
	unsigned int i;

	free(pkt_mem);
	/* Payload + tag, then a spare tag slot per packet. */
	pkt_mem = aligned_alloc(64, (stride + 64) * NPKT);
	if (pkt_mem == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(EXIT_FAILURE);
	}
	randombytes_buf(pkt_mem, (stride + 64) * NPKT);
	total_bytes_per_pass = 0;
	for (i = 0; i < NPKT; i++) {
		struct bench_pkt *p = &pkts[i];

		p->data = pkt_mem + (size_t)i * stride;
		p->len = size == IMIX_SIZE ? imix_pattern[i % 12] : size;
		p->tag[0] = p->data + p->len;
		p->tag[1] = pkt_mem + stride * NPKT + (size_t)i * 64;
		p->key = keys[randombytes_uniform(NKEYS)];
		p->counter = (uint64_t)i << 20;
		total_bytes_per_pass += p->len;
	}
}

/*
 * Makes every packet hold a ciphertext for its fixed counter, with
 * tag[0] over the ciphertext and tag[1] over the plaintext.
 */
static void
prepare_decrypt(void)
{
	uint8_t nonce[12];
	unsigned int i;

	for (i = 0; i < NPKT; i++) {
		struct bench_pkt *p = &pkts[i];

		make_nonce(nonce, p->counter);
		/* pt -> ct, tag over ct */
		crypto_aead_chacha20poly1305_ietf_encrypt_detached(p->data,
			p->tag[0], NULL, p->data, p->len, NULL, 0, NULL, nonce,
			p->key);
		/* ct -> pt, tag over pt; then back to ct (tag discarded) */
		crypto_aead_chacha20poly1305_ietf_encrypt_detached(p->data,
			p->tag[1], NULL, p->data, p->len, NULL, 0, NULL, nonce,
			p->key);
		crypto_stream_chacha20_ietf_xor_ic(p->data, p->data, p->len,
			nonce, 1, p->key);
	}
}

/* ------------------------------------------------------------------ */
/* The three loops. Each runs whole passes over the pool until `until`. */
/* ------------------------------------------------------------------ */

static unsigned int noisy_cases;
static uint64_t pass_no;	/* decrypt: which tag verifies */
static uint64_t next_counter;	/* encrypt: fresh counter per packet */

static uint64_t
run_engine(int decrypt, uint64_t until, uint64_t *npkts)
{
	struct wg_aead_op ops[WG_AEAD_BURST_MAX];
	uint64_t n = 0, t;
	unsigned int i, j, k, ok;

	do {
		unsigned int tsel = (unsigned int)(pass_no++ & 1);

		for (i = 0; i < NPKT; i += k) {
			k = NPKT - i < opt.burst ? NPKT - i : opt.burst;
			for (j = 0; j < k; j++) {
				const struct bench_pkt *p = &pkts[i + j];

				ops[j].data = p->data;
				ops[j].len = p->len;
				ops[j].key = p->key;
				if (decrypt) {
					ops[j].tag = p->tag[tsel];
					ops[j].counter = p->counter;
				} else {
					ops[j].tag = p->tag[0];
					ops[j].counter = next_counter++;
				}
			}
			ok = decrypt ? wg_aead_decrypt_burst(engine, ops, k) :
				wg_aead_encrypt_burst(engine, ops, k);
			if (ok != k) {
				fprintf(stderr, "engine: %u of %u ops failed\n",
					k - ok, k);
				exit(EXIT_FAILURE);
			}
		}
		n += NPKT;
		t = wg_bench_cycles();
	} while (t < until);
	*npkts = n;
	return t;
}

#ifdef WG_HAVE_IPSEC_MB
static uint64_t
run_raw(int decrypt, int nocheck, uint64_t until, uint64_t *npkts)
{
	static uint8_t iv[WG_AEAD_BURST_MAX][16];
	static uint8_t tagout[WG_AEAD_BURST_MAX][TAG_LEN];
	IMB_MGR *mgr = raw_mgr;
	uint64_t n = 0, t;
	unsigned int i, j, k;

	do {
		unsigned int tsel = (unsigned int)(pass_no++ & 1);

		for (i = 0; i < NPKT; i += k) {
			k = NPKT - i < opt.burst ? NPKT - i : opt.burst;
			for (j = 0; j < k; j++) {
				const struct bench_pkt *p = &pkts[i + j];
				uint64_t ctr = decrypt ? p->counter :
					next_counter++;
				IMB_JOB *job;

				memcpy(&iv[j][4], &ctr, 8);
				job = IMB_GET_NEXT_JOB(mgr);
				job->cipher_mode = IMB_CIPHER_CHACHA20_POLY1305;
				job->hash_alg = IMB_AUTH_CHACHA20_POLY1305;
				job->cipher_direction = decrypt ?
					IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
				job->chain_order = decrypt ?
					IMB_ORDER_HASH_CIPHER :
					IMB_ORDER_CIPHER_HASH;
				job->enc_keys = p->key;
				job->dec_keys = p->key;
				job->key_len_in_bytes = 32;
				job->src = p->data;
				job->dst = p->data;
				job->cipher_start_src_offset_in_bytes = 0;
				job->msg_len_to_cipher_in_bytes = p->len;
				job->hash_start_src_offset_in_bytes = 0;
				job->msg_len_to_hash_in_bytes = p->len;
				job->iv = iv[j];
				job->iv_len_in_bytes = 12;
				job->auth_tag_output = decrypt ? tagout[j] :
					p->tag[0];
				job->auth_tag_output_len_in_bytes = TAG_LEN;
				job->u.CHACHA20_POLY1305.aad = iv[j];
				job->u.CHACHA20_POLY1305.aad_len_in_bytes = 0;
				if (nocheck)
					IMB_SUBMIT_JOB_NOCHECK(mgr);
				else
					IMB_SUBMIT_JOB(mgr);
			}
			while (IMB_FLUSH_JOB(mgr) != NULL)
				;
		}
		(void)tsel;
		n += NPKT;
		t = wg_bench_cycles();
	} while (t < until);
	*npkts = n;
	return t;
}
#endif

static uint64_t
run_sodium(int decrypt, uint64_t until, uint64_t *npkts)
{
	uint8_t nonce[12];
	uint64_t n = 0, t;
	unsigned int i;
	int rc;

	memset(nonce, 0, sizeof(nonce));
	do {
		unsigned int tsel = (unsigned int)(pass_no++ & 1);

		for (i = 0; i < NPKT; i++) {
			const struct bench_pkt *p = &pkts[i];
			uint64_t ctr = decrypt ? p->counter : next_counter++;

			memcpy(&nonce[4], &ctr, 8);
			if (!decrypt)
				rc = crypto_aead_chacha20poly1305_ietf_encrypt_detached(
					p->data, p->tag[0], NULL, p->data,
					p->len, NULL, 0, NULL, nonce, p->key);
			else
				rc = crypto_aead_chacha20poly1305_ietf_decrypt_detached(
					p->data, NULL, p->data, p->len,
					p->tag[tsel], NULL, 0, nonce, p->key);
			if (rc != 0) {
				fprintf(stderr, "sodium: operation failed\n");
				exit(EXIT_FAILURE);
			}
		}
		n += NPKT;
		t = wg_bench_cycles();
	} while (t < until);
	*npkts = n;
	return t;
}

/* Runs one variant for about `secs`; returns cycles, packets in *npkts. */
static uint64_t
run_variant(enum variant v, int decrypt, double secs, uint64_t *npkts)
{
	uint64_t start = wg_bench_cycles();
	uint64_t until = start + (uint64_t)(secs * tsc_hz);
	uint64_t end;

	/*
	 * Decryption alternates tags by pass parity: start every run on an
	 * even pass so the data holds the ciphertext matching tag[0].
	 */
	if (pass_no & 1) {
		fprintf(stderr, "internal error: odd pass\n");
		exit(EXIT_FAILURE);
	}
	switch (v) {
	case V_ENGINE:
		end = run_engine(decrypt, until, npkts);
		break;
#ifdef WG_HAVE_IPSEC_MB
	case V_RAW:
	case V_RAW_NC:
		end = run_raw(decrypt, v == V_RAW_NC, until, npkts);
		break;
#endif
	case V_SODIUM:
	default:
		end = run_sodium(decrypt, until, npkts);
		break;
	}
	/* Even out the passes so the next run finds ciphertexts again. */
	if (pass_no & 1) {
		uint64_t extra;

		switch (v) {
		case V_ENGINE:
			run_engine(decrypt, 0, &extra);
			break;
#ifdef WG_HAVE_IPSEC_MB
		case V_RAW:
		case V_RAW_NC:
			run_raw(decrypt, v == V_RAW_NC, 0, &extra);
			break;
#endif
		default:
			run_sodium(decrypt, 0, &extra);
			break;
		}
	}
	return end - start;
}

static void
bench_case(unsigned int size, int decrypt, struct result res[V_NUM],
	   const int enabled[V_NUM])
{
	double warm = opt.quick ? 0.02 : 0.1;
	double part = opt.seconds / REPS;
	unsigned int rep;
	int v;

	setup_packets(size);
	if (decrypt)
		prepare_decrypt();
	pass_no = 0;
	for (v = 0; v < V_NUM; v++) {
		uint64_t np;

		memset(&res[v], 0, sizeof(res[v]));
		if (enabled[v])
			run_variant((enum variant)v, decrypt, warm, &np);
	}
	for (rep = 0; rep < REPS; rep++) {
		for (v = 0; v < V_NUM; v++) {
			uint64_t np, cyc;
			double bytes, secs, cpb;

			if (!enabled[v])
				continue;
			cyc = run_variant((enum variant)v, decrypt, part, &np);
			bytes = (double)total_bytes_per_pass *
				(double)(np / NPKT);
			secs = (double)cyc / tsc_hz;
			cpb = (double)cyc / bytes;
			res[v].samples[rep] = cpb;
			if (res[v].valid && cpb >= res[v].cyc_per_byte)
				continue;
			res[v].valid = 1;
			res[v].cyc_per_byte = cpb;
			res[v].cyc_per_pkt = (double)cyc / (double)np;
			res[v].mpps = (double)np / secs / 1e6;
			res[v].gbps = bytes * 8 / secs / 1e9;
		}
	}
	for (v = 0; v < V_NUM; v++) {
		double *x = res[v].samples;

		if (!res[v].valid)
			continue;
		wg_bench_sort_runs(x, REPS);
		res[v].spread = x[REPS / 2] / res[v].cyc_per_byte - 1;
		if (res[v].spread > NOISY)
			noisy_cases++;
	}
}

static void
size_label(char *buf, size_t len, unsigned int size)
{
	if (size == IMIX_SIZE)
		snprintf(buf, len, "imix");
	else
		snprintf(buf, len, "%u", size);
}

static int
parse_sizes(const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;

	if (copy == NULL)
		return -1;
	opt.nsizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;
		char *end;

		if (opt.nsizes == MAX_SIZES)
			break;
		if (strcmp(tok, "imix") == 0 || strcmp(tok, "IMIX") == 0) {
			opt.sizes[opt.nsizes++] = IMIX_SIZE;
			continue;
		}
		v = strtoul(tok, &end, 10);
		if (*end != '\0' || v == 0 || v > 9000) {
			free(copy);
			return -1;
		}
		opt.sizes[opt.nsizes++] = (unsigned int)v;
	}
	free(copy);
	return opt.nsizes > 0 ? 0 : -1;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--quick] [--sizes 64,128,...,imix] "
		"[--burst N] [--time S] [--cpu N] [--json]\n", prog);
}

int
main(int argc, char **argv)
{
	static const unsigned int default_sizes[] = {
		64, 128, 256, 512, 1024, 1420, IMIX_SIZE,
	};
	static struct result all[MAX_SIZES][2][V_NUM];
	int enabled[V_NUM] = { 1, 0, 0, 1 };
	const char *raw_name = "n/a";
	char label[16], when[64];
	unsigned int s;
	int i, cpu, d;
	time_t now;

	for (s = 0; s < sizeof(default_sizes) / sizeof(default_sizes[0]); s++)
		opt.sizes[opt.nsizes++] = default_sizes[s];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			opt.quick = 1;
			opt.seconds = 0.15;
		} else if (strcmp(argv[i], "--json") == 0) {
			opt.json = 1;
		} else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
			if (parse_sizes(argv[++i]) != 0) {
				usage(argv[0]);
				return EXIT_FAILURE;
			}
		} else if (strcmp(argv[i], "--burst") == 0 && i + 1 < argc) {
			opt.burst = (unsigned int)atoi(argv[++i]);
			if (opt.burst < 1 || opt.burst > WG_AEAD_BURST_MAX) {
				usage(argv[0]);
				return EXIT_FAILURE;
			}
		} else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc) {
			opt.seconds = atof(argv[++i]);
			if (!(opt.seconds > 0)) {
				usage(argv[0]);
				return EXIT_FAILURE;
			}
		} else if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc) {
			opt.cpu = atoi(argv[++i]);
		} else {
			usage(argv[0]);
			return EXIT_FAILURE;
		}
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "sodium_init failed\n");
		return EXIT_FAILURE;
	}
	cpu = wg_bench_pin_cpu(opt.cpu);
	tsc_hz = wg_bench_tsc_hz(opt.quick ? 0.05 : 0.2);
	for (i = 0; i < NKEYS; i++)
		randombytes_buf(keys[i], sizeof(keys[i]));

	engine = wg_aead_engine_create(WG_AEAD_IMPL_AUTO);
	if (engine == NULL) {
		fprintf(stderr, "cannot create an AEAD engine\n");
		return EXIT_FAILURE;
	}
#ifdef WG_HAVE_IPSEC_MB
	raw_mgr = alloc_mb_mgr(0);
	if (raw_mgr != NULL) {
		IMB_ARCH arch = IMB_ARCH_NONE;

		init_mb_mgr_auto(raw_mgr, &arch);
		if (imb_get_errno(raw_mgr) == 0 && arch != IMB_ARCH_NONE) {
			enabled[V_RAW] = 1;
			enabled[V_RAW_NC] = 1;
			raw_name = arch == IMB_ARCH_AVX512 ? "avx512" :
				arch == IMB_ARCH_AVX2 ? "avx2" :
				arch == IMB_ARCH_AVX ? "avx" : "sse";
		}
	}
#endif
	now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z",
		 localtime(&now));
	printf("bench_aead: ChaCha20-Poly1305, one core (cpu %d%s), "
	       "TSC %.3f GHz, %s\n", cpu, cpu < 0 ? ": not pinned" : "",
	       tsc_hz / 1e9, when);
	printf("engine %s, raw IPsec-MB job API %s, libsodium %s; burst %u, "
	       "%u keys, %u packets, best of %u x %.2f s per case\n",
	       wg_aead_engine_name(engine), raw_name, sodium_version_string(),
	       opt.burst, NKEYS, NPKT, REPS, opt.seconds / REPS);
	printf("cycles are TSC cycles; Gbit/s counts payload bytes; "
	       "imix = 7:4:1 of 64/576/1420 B\n");

	for (d = 0; d < 2; d++) {
		printf("\n%s\n", d ? "decrypt (verify + decrypt)" :
		       "encrypt");
		printf("%-6s %-12s %8s %9s %8s %8s %7s\n", "size", "impl",
		       "cyc/B", "cyc/pkt", "Mpps", "Gbit/s", "spread");
		for (s = 0; s < opt.nsizes; s++) {
			struct result *r = all[s][d];
			int v;

			bench_case(opt.sizes[s], d, r, enabled);
			size_label(label, sizeof(label), opt.sizes[s]);
			for (v = 0; v < V_NUM; v++) {
				if (!r[v].valid)
					continue;
				printf("%-6s %-12s %8.3f %9.1f %8.3f %8.2f "
				       "%6.1f%%\n", label, variant_name[v],
				       r[v].cyc_per_byte, r[v].cyc_per_pkt,
				       r[v].mpps, r[v].gbps,
				       r[v].spread * 100);
			}
			fflush(stdout);
		}
	}

	printf("\nratios of throughput (= inverse ratio of cycles/byte); "
	       "targets at 1420 B: engine/raw >= 0.90, engine/sodium >= 2.5\n");
	printf("%-6s %-8s %10s %18s %14s\n", "size", "dir", "engine/raw",
	       "engine/raw-nocheck", "engine/sodium");
	for (d = 0; d < 2; d++) {
		for (s = 0; s < opt.nsizes; s++) {
			const struct result *r = all[s][d];
			char ab[16] = "n/a", an[16] = "n/a";

			size_label(label, sizeof(label), opt.sizes[s]);
			if (r[V_RAW].valid)
				snprintf(ab, sizeof(ab), "%.3f",
					 r[V_RAW].cyc_per_byte /
					 r[V_ENGINE].cyc_per_byte);
			if (r[V_RAW_NC].valid)
				snprintf(an, sizeof(an), "%.3f",
					 r[V_RAW_NC].cyc_per_byte /
					 r[V_ENGINE].cyc_per_byte);
			printf("%-6s %-8s %10s %18s %14.2f\n", label,
			       d ? "decrypt" : "encrypt", ab, an,
			       r[V_SODIUM].cyc_per_byte /
			       r[V_ENGINE].cyc_per_byte);
		}
	}

	if (noisy_cases > 0)
		printf("\nwarning: %u case(s) with a spread above %.0f%%: the "
		       "machine was busy, figures may be off; run again\n",
		       noisy_cases, NOISY * 100);
	if (opt.json) {
		int first = 1;

		printf("{\"bench\":\"aead\",\"tsc_ghz\":%.4f,\"cpu\":%d,"
		       "\"burst\":%u,\"keys\":%u,\"engine\":\"%s\","
		       "\"raw\":\"%s\",\"noisy_cases\":%u,\"results\":[",
		       tsc_hz / 1e9, cpu, opt.burst, NKEYS,
		       wg_aead_engine_name(engine), raw_name, noisy_cases);
		for (d = 0; d < 2; d++) {
			for (s = 0; s < opt.nsizes; s++) {
				const struct result *r = all[s][d];
				int v;

				size_label(label, sizeof(label),
					   opt.sizes[s]);
				for (v = 0; v < V_NUM; v++) {
					if (!r[v].valid)
						continue;
					printf("%s{\"size\":\"%s\",\"dir\":"
					       "\"%s\",\"impl\":\"%s\","
					       "\"cyc_per_byte\":%.4f,"
					       "\"cyc_per_pkt\":%.1f,"
					       "\"mpps\":%.4f,\"gbps\":%.3f,"
					       "\"spread\":%.4f}",
					       first ? "" : ",", label,
					       d ? "dec" : "enc",
					       variant_key[v],
					       r[v].cyc_per_byte,
					       r[v].cyc_per_pkt, r[v].mpps,
					       r[v].gbps, r[v].spread);
					first = 0;
				}
			}
		}
		printf("]}\n");
	}

	wg_aead_engine_free(engine);
#ifdef WG_HAVE_IPSEC_MB
	if (raw_mgr != NULL)
		free_mb_mgr(raw_mgr);
#endif
	free(pkt_mem);
	return EXIT_SUCCESS;
}
