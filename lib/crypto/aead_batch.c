/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Batched ChaCha20-Poly1305 (RFC 8439) for the data path.
 *
 * Two back ends behind one interface:
 *  - Intel IPsec-MB job API (1.3: ChaCha20-Poly1305 is a synchronous,
 *    single-buffer AVX-512/AVX2/AVX/SSE implementation reached through the
 *    job manager). A burst is submitted job by job, completions are drained
 *    as they come, then the manager is flushed; each completed job carries
 *    its op in user_data, so the order of completion does not matter.
 *  - libsodium one-shot detached AEAD, in place, one op at a time.
 *
 * Nonce: 4 zero bytes || LE64(counter). No additional data (WireGuard data
 * packets authenticate the ciphertext only).
 *
 * Decryption with IPsec-MB decrypts in place while it computes the tag into
 * an engine buffer; the tag is then compared in constant time
 * (crypto_verify_16, libsodium's constant-time 16-byte compare, several
 * times cheaper per packet than the byte loop of sodium_memcmp) and, on a
 * mismatch, the data is wiped so that no unauthenticated plaintext leaves.
 * libsodium verifies before it decrypts and zeroes the output on failure;
 * the data is wiped again here so both back ends behave the same.
 *
 * Status per op: 0; -EBADMSG when the tag does not verify; -EINVAL for a
 * malformed op (no key, no tag, or no data for a non-empty payload), which
 * is left untouched. Ops are validated here, so IPsec-MB's unchecked
 * submit is used. A burst larger than WG_AEAD_BURST_MAX is processed in
 * chunks.
 *
 * Nothing is allocated per burst: the job manager, the nonces and the
 * computed tags live in the engine, and keys are passed by pointer
 * (IPsec-MB's ChaCha20 takes the raw 32-byte key as enc_keys).
 */

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#ifdef WG_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

#include "aead_batch.h"

#define WG_AEAD_KEY_LEN		32
#define WG_AEAD_TAG_SIZE	16
#define WG_AEAD_NONCE_LEN	12

/* Branch hint usable without DPDK headers. */
#define wg_likely(x) __builtin_expect(!!(x), 1)
#define wg_unlikely(x) __builtin_expect(!!(x), 0)

struct wg_aead_engine {
	enum wg_aead_impl impl;	/* IPSEC_MB or SODIUM, never AUTO */
	const char *name;
#ifdef WG_HAVE_IPSEC_MB
	IMB_MGR *mgr;
	/* Per burst slot: nonce (bytes 0..3 stay zero) and computed tag. */
	uint8_t iv[WG_AEAD_BURST_MAX][16] __attribute__((aligned(64)));
	uint8_t tag[WG_AEAD_BURST_MAX][WG_AEAD_TAG_SIZE]
		__attribute__((aligned(64)));
#endif
	/* Stands in for a NULL data pointer of an empty payload. */
	uint8_t empty[16] __attribute__((aligned(16)));
};

/*
 * Ops the back ends must not see: they get -EINVAL and are left alone.
 * Checked here so that IPsec-MB can run its unchecked submit.
 */
static inline int
wg_aead_op_invalid(const struct wg_aead_op *op)
{
	return op->key == NULL || op->tag == NULL ||
	       (op->data == NULL && op->len != 0);
}

static inline void
wg_aead_nonce(uint8_t nonce[WG_AEAD_NONCE_LEN], uint64_t counter)
{
	uint64_t le = htole64(counter);

	memset(nonce, 0, 4);
	memcpy(nonce + 4, &le, sizeof(le));
}

/* ------------------------------------------------------------------ */
/* libsodium back end                                                  */
/* ------------------------------------------------------------------ */

/*
 * One op through libsodium, in place; false if it did not authenticate
 * (data then wiped). libsodium declares its buffers non-null even for
 * empty messages.
 */
static bool
wg_aead_sodium_op(struct wg_aead_engine *e, struct wg_aead_op *op,
		  int decrypt)
{
	uint8_t nonce[WG_AEAD_NONCE_LEN];
	uint8_t *data = op->data != NULL ? op->data : e->empty;

	wg_aead_nonce(nonce, op->counter);
	if (!decrypt) {
		crypto_aead_chacha20poly1305_ietf_encrypt_detached(data,
			op->tag, NULL, data, op->len, NULL, 0, NULL,
			nonce, op->key);
		return true;
	}
	if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(data, NULL,
			data, op->len, op->tag, NULL, 0, nonce, op->key) == 0)
		return true;
	if (op->len != 0)
		sodium_memzero(op->data, op->len);
	return false;
}

static unsigned int
wg_aead_sodium_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		     unsigned int n, int decrypt)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++) {
		struct wg_aead_op *op = &ops[i];

		if (wg_aead_op_invalid(op)) {
			op->status = -EINVAL;
		} else if (wg_aead_sodium_op(e, op, decrypt)) {
			op->status = 0;
			ok++;
		} else {
			op->status = -EBADMSG;
		}
	}
	return ok;
}

/* ------------------------------------------------------------------ */
/* IPsec-MB back end                                                   */
/* ------------------------------------------------------------------ */

#ifdef WG_HAVE_IPSEC_MB

/* Returns 1 if the op behind this completed job succeeded, else 0. */
static inline unsigned int
wg_aead_imb_complete(const IMB_JOB *job, int decrypt)
{
	struct wg_aead_op *op = job->user_data;

	if (wg_likely(job->status == IMB_STATUS_COMPLETED)) {
		if (!decrypt ||
		    crypto_verify_16(job->auth_tag_output, op->tag) == 0) {
			op->status = 0;
			return 1;
		}
		op->status = -EBADMSG;
	} else {
		/* Rejected by the library: cannot happen with valid ops. */
		op->status = -EINVAL;
	}
	/* Whatever went wrong, no unverified plaintext stays behind. */
	if (decrypt && op->len != 0)
		sodium_memzero(op->data, op->len);
	return 0;
}

static unsigned int
wg_aead_imb_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		  unsigned int n, int decrypt)
{
	IMB_MGR *mgr = e->mgr;
	const IMB_CIPHER_DIRECTION dir = decrypt ? IMB_DIR_DECRYPT :
		IMB_DIR_ENCRYPT;
	const IMB_CHAIN_ORDER order = decrypt ? IMB_ORDER_HASH_CIPHER :
		IMB_ORDER_CIPHER_HASH;
	unsigned int i, ok = 0;
	IMB_JOB *job;

	for (i = 0; i < n; i++) {
		struct wg_aead_op *op = &ops[i];
		uint8_t *data = op->data != NULL ? op->data : e->empty;
		uint64_t le = htole64(op->counter);

		if (wg_unlikely(wg_aead_op_invalid(op))) {
			op->status = -EINVAL;
			continue;
		}
		memcpy(&e->iv[i][4], &le, sizeof(le));

		job = IMB_GET_NEXT_JOB(mgr);
		job->cipher_mode = IMB_CIPHER_CHACHA20_POLY1305;
		job->hash_alg = IMB_AUTH_CHACHA20_POLY1305;
		job->cipher_direction = dir;
		job->chain_order = order;
		job->enc_keys = op->key;
		job->dec_keys = op->key;
		job->key_len_in_bytes = WG_AEAD_KEY_LEN;
		job->src = data;
		job->dst = data;
		job->cipher_start_src_offset_in_bytes = 0;
		job->msg_len_to_cipher_in_bytes = op->len;
		job->hash_start_src_offset_in_bytes = 0;
		job->msg_len_to_hash_in_bytes = op->len;
		job->iv = e->iv[i];
		job->iv_len_in_bytes = WG_AEAD_NONCE_LEN;
		/* Encrypt writes the tag in place; decrypt computes a copy. */
		job->auth_tag_output = decrypt ? e->tag[i] : op->tag;
		job->auth_tag_output_len_in_bytes = WG_AEAD_TAG_SIZE;
		job->u.CHACHA20_POLY1305.aad = e->empty;
		job->u.CHACHA20_POLY1305.aad_len_in_bytes = 0;
		job->user_data = op;

		/*
		 * Every field is set from a validated op, so the library's
		 * own argument checks (a measurable share of the cost of a
		 * small packet) are skipped.
		 */
		job = IMB_SUBMIT_JOB_NOCHECK(mgr);
		while (job != NULL) {
			ok += wg_aead_imb_complete(job, decrypt);
			job = IMB_GET_COMPLETED_JOB(mgr);
		}
	}
	while ((job = IMB_FLUSH_JOB(mgr)) != NULL)
		ok += wg_aead_imb_complete(job, decrypt);
	return ok;
}

static const char *
wg_aead_imb_arch_name(uint32_t arch)
{
	switch (arch) {
	case IMB_ARCH_AVX512:
		return "ipsec-mb/avx512";
	case IMB_ARCH_AVX2:
		return "ipsec-mb/avx2";
	case IMB_ARCH_AVX:
		return "ipsec-mb/avx";
	case IMB_ARCH_SSE:
		return "ipsec-mb/sse";
	case IMB_ARCH_NOAESNI:
		return "ipsec-mb/noaesni";
	default:
		return "ipsec-mb";
	}
}

/*
 * Known-answer check against libsodium, so that a library or CPU that
 * misbehaves is never used: a short burst of mixed lengths (empty, one
 * partial block, several blocks) encrypted, compared, decrypted back, and
 * one forged tag that must be refused.
 */
static int
wg_aead_imb_selftest(struct wg_aead_engine *e)
{
	static const uint32_t lens[] = { 0, 1, 63, 64, 65, 300 };
	enum { N = sizeof(lens) / sizeof(lens[0]) };
	uint8_t buf[N][300], ref[N][300], tag[N][WG_AEAD_TAG_SIZE];
	uint8_t reftag[WG_AEAD_TAG_SIZE], key[WG_AEAD_KEY_LEN];
	uint8_t nonce[WG_AEAD_NONCE_LEN];
	struct wg_aead_op ops[N];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < N; i++) {
		for (j = 0; j < lens[i]; j++)
			buf[i][j] = ref[i][j] = (uint8_t)(i * 31 + j);
		ops[i] = (struct wg_aead_op){
			.data = buf[i], .len = lens[i], .tag = tag[i],
			.key = key, .counter = 0x0102030405060708ULL * (i + 1),
		};
	}
	if (wg_aead_imb_burst(e, ops, N, 0) != N)
		return -1;
	for (i = 0; i < N; i++) {
		wg_aead_nonce(nonce, ops[i].counter);
		crypto_aead_chacha20poly1305_ietf_encrypt_detached(ref[i],
			reftag, NULL, ref[i], lens[i], NULL, 0, NULL, nonce,
			key);
		if (memcmp(ref[i], buf[i], lens[i]) != 0 ||
		    memcmp(reftag, tag[i], sizeof(reftag)) != 0)
			rc = -1;
	}
	tag[N - 1][0] ^= 1;
	if (wg_aead_imb_burst(e, ops, N, 1) != N - 1 ||
	    ops[N - 1].status != -EBADMSG)
		rc = -1;
	for (i = 0; i + 1 < N; i++)
		for (j = 0; j < lens[i]; j++)
			if (buf[i][j] != (uint8_t)(i * 31 + j))
				rc = -1;
	sodium_memzero(key, sizeof(key));
	return rc;
}

static int
wg_aead_imb_init(struct wg_aead_engine *e)
{
	IMB_ARCH arch = IMB_ARCH_NONE;

	e->mgr = alloc_mb_mgr(0);
	if (e->mgr == NULL)
		return -1;
	init_mb_mgr_auto(e->mgr, &arch);
	if (imb_get_errno(e->mgr) != 0 || arch == IMB_ARCH_NONE)
		goto fail;
	e->impl = WG_AEAD_IMPL_IPSEC_MB;
	e->name = wg_aead_imb_arch_name(arch);
	if (wg_aead_imb_selftest(e) != 0)
		goto fail;
	return 0;
fail:
	free_mb_mgr(e->mgr);
	e->mgr = NULL;
	return -1;
}

#endif /* WG_HAVE_IPSEC_MB */

/* ------------------------------------------------------------------ */
/* Interface                                                           */
/* ------------------------------------------------------------------ */

struct wg_aead_engine *
wg_aead_engine_create(enum wg_aead_impl impl)
{
	struct wg_aead_engine *e;
	size_t size;

	if (impl != WG_AEAD_IMPL_AUTO && impl != WG_AEAD_IMPL_IPSEC_MB &&
	    impl != WG_AEAD_IMPL_SODIUM)
		return NULL;
	/* Picks libsodium's best ChaCha20/Poly1305 code; idempotent. */
	if (sodium_init() < 0)
		return NULL;
#ifndef WG_HAVE_IPSEC_MB
	if (impl == WG_AEAD_IMPL_IPSEC_MB)
		return NULL;
#endif
	size = (sizeof(*e) + 63) & ~(size_t)63;
	e = aligned_alloc(64, size);
	if (e == NULL)
		return NULL;
	memset(e, 0, size);
	e->impl = WG_AEAD_IMPL_SODIUM;
	e->name = "sodium";
#ifdef WG_HAVE_IPSEC_MB
	if (impl != WG_AEAD_IMPL_SODIUM && wg_aead_imb_init(e) != 0) {
		if (impl == WG_AEAD_IMPL_IPSEC_MB) {
			free(e);
			return NULL;
		}
		e->impl = WG_AEAD_IMPL_SODIUM;
		e->name = "sodium";
	}
#endif
	return e;
}

void
wg_aead_engine_free(struct wg_aead_engine *e)
{
	if (e == NULL)
		return;
#ifdef WG_HAVE_IPSEC_MB
	if (e->mgr != NULL)
		free_mb_mgr(e->mgr);
#endif
	sodium_memzero(e, sizeof(*e));
	free(e);
}

const char *
wg_aead_engine_name(const struct wg_aead_engine *e)
{
	return e != NULL ? e->name : "none";
}

#ifdef WG_HAVE_IPSEC_MB
/* n <= WG_AEAD_BURST_MAX by contract; larger is chunked. */
static unsigned int
wg_aead_imb_chunked(struct wg_aead_engine *e, struct wg_aead_op *ops,
		    unsigned int n, int decrypt)
{
	unsigned int done = 0, ok = 0;

	while (done < n) {
		unsigned int k = n - done;

		if (k > WG_AEAD_BURST_MAX)
			k = WG_AEAD_BURST_MAX;
		ok += wg_aead_imb_burst(e, ops + done, k, decrypt);
		done += k;
	}
	return ok;
}
#endif

unsigned int
wg_aead_encrypt_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		      unsigned int n)
{
#ifdef WG_HAVE_IPSEC_MB
	if (e->impl == WG_AEAD_IMPL_IPSEC_MB)
		return wg_aead_imb_chunked(e, ops, n, 0);
#endif
	return wg_aead_sodium_burst(e, ops, n, 0);
}

unsigned int
wg_aead_decrypt_burst(struct wg_aead_engine *e, struct wg_aead_op *ops,
		      unsigned int n)
{
#ifdef WG_HAVE_IPSEC_MB
	if (e->impl == WG_AEAD_IMPL_IPSEC_MB)
		return wg_aead_imb_chunked(e, ops, n, 1);
#endif
	return wg_aead_sodium_burst(e, ops, n, 1);
}
