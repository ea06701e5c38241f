/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Responder handshake throughput on one core, against its X25519 bound.
 *
 * Counted per handshake, all inside wg_device_receive(): classification,
 * mac1 (BLAKE2s) check, consuming the initiation (DH es, decrypting the
 * static key and the timestamp, peer lookup; ss is precomputed per peer),
 * the replay/flood checks, creating the response (new ephemeral: one
 * fixed-base scalar multiplication; DH ee and se), deriving the session
 * keypair (KDF, allocation, index table, retiring the peer's previous
 * unconfirmed keypair), mac1 on the response and the send_udp callback.
 * That is 1 fixed-base + 3 variable-base X25519 operations, the same
 * bound the Linux driver has with its precomputed static-static DH.
 *
 * Not counted: building the initiations (done beforehand by one
 * initiator device switching between many static identities, so every
 * handshake comes from a distinct initiator with fresh keys).
 *
 * Timing is thread CPU time, and chunks of handshakes alternate with
 * chunks of the same number of X25519 operations, so that a busy shared
 * machine or a changing clock affects both sides of the ratio alike.
 *
 * Usage: bench_handshake [initiators [rounds]]   (defaults 500 x 6)
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto/primitives.h"
#include "wireguard/device.h"

#define CHUNK	50

struct bench_ctx {
	uint64_t real_ns;
	uint8_t *capture;	/* where the initiator's next message goes */
	unsigned long sent;
};

static int
b_send(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
       const uint8_t *buf, size_t len)
{
	struct bench_ctx *b = ctx;

	(void)peer;
	(void)dst;
	if (b->capture != NULL && len == sizeof(struct wg_msg_initiation)) {
		memcpy(b->capture, buf, len);
		b->capture = NULL;
	}
	b->sent++;
	return 0;
}

static void
b_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)peer;
	(void)pkt;
	(void)len;
}

static uint64_t
b_real(void *ctx)
{
	struct bench_ctx *b = ctx;

	return b->real_ns;
}

/* Thread CPU time: preemption on a shared machine does not count. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct wg_endpoint
src_of(unsigned int i)
{
	struct wg_endpoint ep;

	memset(&ep, 0, sizeof(ep));
	ep.family = AF_INET;
	ep.port = (uint16_t)(20000 + i % 40000);
	ep.addr[0] = 10;
	ep.addr[1] = (uint8_t)(i >> 16);
	ep.addr[2] = (uint8_t)(i >> 8);
	ep.addr[3] = (uint8_t)i;
	return ep;
}

/*
 * Adds to *fixed and *variable the CPU time of n fixed-base and n
 * variable-base X25519 operations.
 */
static void
x25519_chunk(unsigned int n, double *fixed, double *variable)
{
	static uint8_t priv[WG_KEY_LEN], pub[WG_KEY_LEN];
	uint8_t out[WG_KEY_LEN];
	volatile uint8_t sink = 0;
	unsigned int i;
	double t;

	if (pub[0] == 0) {
		wg_x25519_generate_secret(priv);
		wg_x25519_public(pub, priv);
	}
	t = now_s();
	for (i = 0; i < n; i++) {
		priv[0] ^= (uint8_t)(i + 1);
		wg_x25519_public(out, priv);
		sink ^= out[0];
	}
	*fixed += now_s() - t;
	t = now_s();
	for (i = 0; i < n; i++) {
		priv[0] ^= (uint8_t)(i + 1);
		wg_x25519(out, priv, pub);
		sink ^= out[0];
	}
	*variable += now_s() - t;
	(void)sink;
}

int
main(int argc, char **argv)
{
	unsigned int n_init = argc > 1 ? (unsigned int)atoi(argv[1]) : 500;
	unsigned int rounds = argc > 2 ? (unsigned int)atoi(argv[2]) : 6;
	struct bench_ctx bi = { .real_ns = 1700000000ULL * WG_NSEC_PER_SEC };
	struct bench_ctx br = { .real_ns = 1700000000ULL * WG_NSEC_PER_SEC };
	struct wg_device_ops ops = {
		.send_udp = b_send,
		.deliver_inner = b_deliver,
		.now_real_ns = b_real,
	};
	uint8_t (*priv)[WG_KEY_LEN], rpriv[WG_KEY_LEN], rpub[WG_KEY_LEN];
	struct wg_msg_initiation *msgs;
	struct wg_device *resp, *init;
	struct wg_peer_config cfg;
	struct wg_peer *to_resp;
	unsigned int i, r, m, total, failed = 0;
	uint64_t now = 1000 * WG_NSEC_PER_SEC;
	double t, hs_time, fixed, variable, bound, rate, rej_time;
	uint8_t buf[sizeof(struct wg_msg_initiation)];

	if (n_init < 25 || rounds < 1) {
		fprintf(stderr, "usage: %s [initiators >= 25 [rounds]]\n",
			argv[0]);
		return EXIT_FAILURE;
	}
	if (wg_crypto_init() != 0)
		return EXIT_FAILURE;
	total = n_init * rounds;
	priv = calloc(n_init, sizeof(*priv));
	msgs = calloc(total, sizeof(*msgs));
	resp = wg_device_create(&ops, &br, now);
	init = wg_device_create(&ops, &bi, now);
	if (priv == NULL || msgs == NULL || resp == NULL || init == NULL)
		return EXIT_FAILURE;

	/* responder with n_init peers */
	wg_x25519_generate_secret(rpriv);
	wg_device_set_private_key(resp, rpriv, now);
	wg_device_get_public_key(resp, rpub);
	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < n_init; i++) {
		uint8_t pub[WG_KEY_LEN];

		wg_x25519_generate_secret(priv[i]);
		wg_x25519_public(pub, priv[i]);
		memcpy(cfg.public_key, pub, WG_KEY_LEN);
		if (wg_device_add_peer(resp, &cfg, now, NULL) != 0)
			return EXIT_FAILURE;
	}

	/* the initiations: identity i sends message r * n_init + i */
	memcpy(cfg.public_key, rpub, WG_KEY_LEN);
	cfg.endpoint = src_of(0);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n_init; i++) {
			m = r * n_init + i;
			wg_device_set_private_key(init, priv[i], now);
			to_resp = wg_device_lookup_peer(init, rpub);
			if (to_resp == NULL &&
			    wg_device_add_peer(init, &cfg, now, &to_resp) != 0)
				return EXIT_FAILURE;
			bi.real_ns += WG_NSEC_PER_SEC;
			bi.capture = (uint8_t *)&msgs[m];
			wg_device_send_initiation(init, to_resp, now);
			if (bi.capture != NULL) {
				fprintf(stderr, "no initiation %u\n", m);
				return EXIT_FAILURE;
			}
		}
	}

	/*
	 * Responder: 1 ms apart, so each initiator is 20 ms+ apart. Chunks
	 * of handshakes alternate with chunks of the X25519 reference work
	 * so that both see the same clock speed and machine load.
	 */
	hs_time = fixed = variable = 0;
	x25519_chunk(CHUNK, &fixed, &variable);	/* warm up */
	fixed = variable = 0;
	for (m = 0; m < total; m += CHUNK) {
		unsigned int end = m + CHUNK < total ? m + CHUNK : total, k;

		t = now_s();
		for (k = m; k < end; k++) {
			struct wg_endpoint src = src_of(k % n_init);

			memcpy(buf, &msgs[k], sizeof(buf));
			now += WG_NSEC_PER_MSEC;
			if (wg_device_receive(resp, buf, sizeof(buf), &src, now,
					      false) != WG_OK)
				failed++;
		}
		hs_time += now_s() - t;
		x25519_chunk(end - m, &fixed, &variable);
	}
	fixed /= total;
	variable /= total;

	/* the DoS side: initiations with a bad mac1, dropped before any DH */
	t = now_s();
	for (m = 0; m < total; m++) {
		struct wg_endpoint src = src_of(m % n_init);

		memcpy(buf, &msgs[m], sizeof(buf));
		buf[sizeof(buf) - 20] ^= 1;
		wg_device_receive(resp, buf, sizeof(buf), &src, now, false);
	}
	rej_time = now_s() - t;

	rate = total / hs_time;
	bound = 1.0 / (fixed + 3 * variable);

	printf("responder handshakes: %u (%u initiators x %u rounds), %u failed\n",
	       total, n_init, rounds, failed);
	printf("  per handshake: mac1 + consume initiation + create response + "
	       "derive keypair\n");
	printf("  X25519 per handshake: 1 fixed-base (ephemeral) + 3 variable-base "
	       "(es, ee, se; ss precomputed)\n");
	printf("responder rate:        %8.0f handshakes/s  (%.1f us each)\n",
	       rate, 1e6 / rate);
	printf("X25519 fixed-base:     %8.1f us\n", fixed * 1e6);
	printf("X25519 variable-base:  %8.1f us\n", variable * 1e6);
	printf("X25519 bound:          %8.0f handshakes/s  (1 fixed + 3 variable)\n",
	       bound);
	printf("ratio:                 %8.1f %% of the bound (target >= 90 %%)\n",
	       100.0 * rate / bound);
	printf("bad-mac1 rejection:    %8.0f messages/s (%.2f us each)\n",
	       total / rej_time, 1e6 * rej_time / total);

	wg_device_free(resp);
	wg_device_free(init);
	free(msgs);
	wg_memzero(priv, (size_t)n_init * sizeof(*priv));
	free(priv);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
