/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_AEAD_BATCH_H
#define WG_AEAD_BATCH_H

/*
 * Batched ChaCha20-Poly1305 for the data path: a burst of independent
 * packets, each with its own key and counter, processed in place. Uses the
 * Intel IPsec-MB job API on the best instruction set the CPU offers, or
 * libsodium when IPsec-MB is missing or unsupported. One engine per lcore:
 * an engine is not thread safe.
 */

#include <stdint.h>

#define WG_AEAD_BURST_MAX 64

enum wg_aead_impl {
	WG_AEAD_IMPL_AUTO = 0,	/* IPsec-MB if usable, else libsodium */
	WG_AEAD_IMPL_IPSEC_MB,
	WG_AEAD_IMPL_SODIUM,
};

struct wg_aead_op {
	uint8_t *data;		/* in place: plaintext <-> ciphertext */
	uint32_t len;		/* bytes at data, tag not included */
	uint8_t *tag;		/* 16 bytes: written on encrypt, checked on decrypt */
	const uint8_t *key;	/* 32 bytes */
	uint64_t counter;	/* nonce = 4 zero bytes || counter (LE) */
	int status;		/* out: 0, -EBADMSG (tag did not verify), or
			 * -EINVAL (malformed op, left untouched) */
};

struct wg_aead_engine;

/* NULL if the requested implementation cannot run here. */
struct wg_aead_engine *
wg_aead_engine_create(enum wg_aead_impl impl);
void
wg_aead_engine_free(struct wg_aead_engine *e);
/* e.g. "ipsec-mb/avx512", "sodium" */
const char *
wg_aead_engine_name(const struct wg_aead_engine *e);

/* n <= WG_AEAD_BURST_MAX. Returns the number of ops with status 0. */
unsigned int
wg_aead_encrypt_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		      unsigned int n);
/* A failed op has its data wiped: no unauthenticated plaintext is released. */
unsigned int
wg_aead_decrypt_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		      unsigned int n);

#endif /* WG_AEAD_BATCH_H */
