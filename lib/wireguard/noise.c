/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "crypto/blake2s.h"
#include "crypto/kdf.h"
#include "crypto/primitives.h"
#include "device_internal.h"
#include "keypair.h"
#include "noise.h"
#include "peer.h"
#include "peer_table.h"

static const char construction[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
static const char identifier[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";

/* C0 = HASH(construction), H0 = HASH(C0 || identifier): the same for all. */
static uint8_t initial_chaining_key[WG_HASH_LEN];
static uint8_t initial_hash[WG_HASH_LEN];
static pthread_once_t initial_once = PTHREAD_ONCE_INIT;

static void
compute_initial_state(void)
{
	struct wg_blake2s_state s;

	wg_blake2s(initial_chaining_key, WG_HASH_LEN, construction,
		   sizeof(construction) - 1, NULL, 0);
	wg_blake2s_init(&s, WG_HASH_LEN, NULL, 0);
	wg_blake2s_update(&s, initial_chaining_key, WG_HASH_LEN);
	wg_blake2s_update(&s, identifier, sizeof(identifier) - 1);
	wg_blake2s_final(&s, initial_hash);
}

/* hash = HASH(hash || data) */
static void
mix_hash(uint8_t hash[WG_HASH_LEN], const uint8_t *data, size_t len)
{
	struct wg_blake2s_state s;

	wg_blake2s_init(&s, WG_HASH_LEN, NULL, 0);
	wg_blake2s_update(&s, hash, WG_HASH_LEN);
	wg_blake2s_update(&s, data, len);
	wg_blake2s_final(&s, hash);
}

/*
 * (ck, out2, out3) = KDFn(ck, data). The chaining key is both input and
 * first output, so feed the KDF a copy: no assumption on aliasing.
 */
static void
kdf_ck(uint8_t ck[WG_HASH_LEN], uint8_t *out2, uint8_t *out3,
       const uint8_t *data, size_t len)
{
	uint8_t ck_in[WG_HASH_LEN];

	memcpy(ck_in, ck, WG_HASH_LEN);
	wg_kdf(ck, out2, out2 != NULL ? out3 : NULL, ck_in, data, len);
	wg_memzero(ck_in, sizeof(ck_in));
}

static void
handshake_start(uint8_t ck[WG_HASH_LEN], uint8_t hash[WG_HASH_LEN],
		const uint8_t responder_static[WG_PUBLIC_KEY_LEN])
{
	pthread_once(&initial_once, compute_initial_state);
	memcpy(ck, initial_chaining_key, WG_HASH_LEN);
	memcpy(hash, initial_hash, WG_HASH_LEN);
	mix_hash(hash, responder_static, WG_PUBLIC_KEY_LEN);
}

/* (ck, key) = KDF2(ck, DH(priv, pub)); false if the DH result is zero. */
static bool
mix_dh(uint8_t ck[WG_HASH_LEN], uint8_t key[WG_SYMMETRIC_KEY_LEN],
       const uint8_t priv[WG_PUBLIC_KEY_LEN], const uint8_t pub[WG_PUBLIC_KEY_LEN])
{
	uint8_t dh[WG_PUBLIC_KEY_LEN];

	if (!wg_x25519(dh, priv, pub))
		return false;
	kdf_ck(ck, key, NULL, dh, sizeof(dh));
	wg_memzero(dh, sizeof(dh));
	return true;
}

static bool
mix_precomputed_dh(uint8_t ck[WG_HASH_LEN], uint8_t key[WG_SYMMETRIC_KEY_LEN],
		   const uint8_t precomputed[WG_PUBLIC_KEY_LEN])
{
	if (wg_is_zero(precomputed, WG_PUBLIC_KEY_LEN))
		return false;
	kdf_ck(ck, key, NULL, precomputed, WG_PUBLIC_KEY_LEN);
	return true;
}

/* (ck, tau, key) = KDF3(ck, psk); hash = HASH(hash || tau) */
static void
mix_psk(uint8_t ck[WG_HASH_LEN], uint8_t hash[WG_HASH_LEN],
	uint8_t key[WG_SYMMETRIC_KEY_LEN], const uint8_t psk[WG_SYMMETRIC_KEY_LEN])
{
	uint8_t tau[WG_HASH_LEN];

	kdf_ck(ck, tau, key, psk, WG_SYMMETRIC_KEY_LEN);
	mix_hash(hash, tau, sizeof(tau));
	wg_memzero(tau, sizeof(tau));
}

/* The public ephemeral goes into the transcript and the chaining key. */
static void
mix_ephemeral(uint8_t ck[WG_HASH_LEN], uint8_t hash[WG_HASH_LEN],
	      const uint8_t ephemeral[WG_PUBLIC_KEY_LEN])
{
	mix_hash(hash, ephemeral, WG_PUBLIC_KEY_LEN);
	kdf_ck(ck, NULL, NULL, ephemeral, WG_PUBLIC_KEY_LEN);
}

/* The "e" token of a message we send: a fresh ephemeral, its public half out. */
static bool
send_ephemeral(struct wg_handshake_secrets *sec,
	       uint8_t out[WG_PUBLIC_KEY_LEN])
{
	wg_x25519_generate_secret(sec->ephemeral_private);
	if (!wg_x25519_public(out, sec->ephemeral_private))
		return false;
	mix_ephemeral(sec->chaining_key, sec->hash, out);
	return true;
}

/* The handshake's secrets, allocated when it starts; NULL if no memory. */
static struct wg_handshake_secrets *
handshake_secrets(struct wg_handshake *hs)
{
	if (hs->sec == NULL)
		hs->sec = calloc(1, sizeof(*hs->sec));
	return hs->sec;
}

/* AEAD with nonce 0 and the transcript as AD, then the ciphertext is mixed in. */
static void
encrypt_and_hash(uint8_t *dst, const uint8_t *src, size_t len,
		 const uint8_t key[WG_SYMMETRIC_KEY_LEN],
		 uint8_t hash[WG_HASH_LEN])
{
	static const uint8_t empty[1];

	wg_aead_encrypt(dst, len != 0 ? src : empty, len, hash, WG_HASH_LEN,
			0, key);
	mix_hash(hash, dst, WG_ENCRYPTED_LEN(len));
}

static bool
decrypt_and_hash(uint8_t *dst, const uint8_t *src, size_t src_len,
		 const uint8_t key[WG_SYMMETRIC_KEY_LEN],
		 uint8_t hash[WG_HASH_LEN])
{
	uint8_t empty[1];

	if (!wg_aead_decrypt(dst != NULL ? dst : empty, src, src_len, hash,
			     WG_HASH_LEN, 0, key))
		return false;
	mix_hash(hash, src, src_len);
	return true;
}

void
wg_noise_set_private_key(struct wg_static_identity *si,
			 const uint8_t private_key[WG_PUBLIC_KEY_LEN])
{
	if (private_key == NULL || wg_is_zero(private_key, WG_PUBLIC_KEY_LEN)) {
		wg_noise_static_identity_wipe(si);
		return;
	}
	memcpy(si->static_private, private_key, WG_PUBLIC_KEY_LEN);
	/* X25519 clamping */
	si->static_private[0] &= 248;
	si->static_private[31] &= 127;
	si->static_private[31] |= 64;
	si->has_identity = wg_x25519_public(si->static_public,
					    si->static_private);
	if (!si->has_identity)
		wg_noise_static_identity_wipe(si);
}

void
wg_noise_static_identity_wipe(struct wg_static_identity *si)
{
	wg_memzero(si, sizeof(*si));
}

void
wg_noise_precompute_static_static(struct wg_handshake *hs)
{
	const struct wg_static_identity *si = hs->static_identity;

	if (si == NULL || !si->has_identity ||
	    !wg_x25519(hs->precomputed_static_static, si->static_private,
		       hs->remote_static))
		wg_memzero(hs->precomputed_static_static,
			   sizeof(hs->precomputed_static_static));
}

void
wg_noise_handshake_init(struct wg_handshake *hs,
			const struct wg_static_identity *si,
			const uint8_t remote_static[WG_PUBLIC_KEY_LEN],
			const uint8_t psk[WG_SYMMETRIC_KEY_LEN],
			struct wg_peer *peer)
{
	memset(hs, 0, sizeof(*hs));
	hs->entry.type = WG_INDEX_HANDSHAKE;
	hs->entry.peer = peer;
	hs->static_identity = si;
	memcpy(hs->remote_static, remote_static, WG_PUBLIC_KEY_LEN);
	if (psk != NULL)
		memcpy(hs->preshared_key, psk, WG_SYMMETRIC_KEY_LEN);
	hs->state = WG_HANDSHAKE_ZEROED;
	wg_noise_precompute_static_static(hs);
}

void
wg_noise_set_preshared_key(struct wg_handshake *hs,
			   const uint8_t psk[WG_SYMMETRIC_KEY_LEN])
{
	if (psk != NULL)
		memcpy(hs->preshared_key, psk, WG_SYMMETRIC_KEY_LEN);
	else
		wg_memzero(hs->preshared_key, sizeof(hs->preshared_key));
}

/* Session state only: keeps keys, psk and replay/flood memory. */
void
wg_noise_handshake_forget(struct wg_handshake *hs)
{
	if (hs->sec != NULL) {
		wg_memzero(hs->sec, sizeof(*hs->sec));
		free(hs->sec);
		hs->sec = NULL;
	}
	hs->remote_index = 0;
	hs->state = WG_HANDSHAKE_ZEROED;
}

void
wg_noise_handshake_clear(struct wg_handshake *hs, struct wg_index_table *t)
{
	wg_index_table_remove(t, &hs->entry);
	wg_noise_handshake_forget(hs);
}

void
wg_noise_handshake_wipe(struct wg_handshake *hs, struct wg_index_table *t)
{
	wg_noise_handshake_clear(hs, t);
	wg_memzero(hs->precomputed_static_static,
		   sizeof(hs->precomputed_static_static));
	wg_memzero(hs->preshared_key, sizeof(hs->preshared_key));
	wg_memzero(hs->latest_timestamp, sizeof(hs->latest_timestamp));
}

void
wg_noise_tai64n(uint8_t out[WG_TIMESTAMP_LEN], uint64_t real_ns)
{
	/* largest power of two not above 1 s / WG_INITIATIONS_PER_SECOND */
	const uint64_t whiten = 1ULL << 24;
	uint64_t sec = real_ns / WG_NSEC_PER_SEC;
	uint32_t nsec = (uint32_t)(real_ns % WG_NSEC_PER_SEC);
	uint64_t tai = 0x400000000000000aULL + sec;	/* 2^62 + 10 + s */
	int i;

	_Static_assert((1ULL << 24) <= WG_HANDSHAKE_MIN_INTERVAL &&
		       (1ULL << 25) > WG_HANDSHAKE_MIN_INTERVAL,
		       "whitening granularity");
	nsec &= ~(uint32_t)(whiten - 1);
	for (i = 0; i < 8; i++)
		out[i] = (uint8_t)(tai >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		out[8 + i] = (uint8_t)(nsec >> (24 - 8 * i));
}

bool
wg_noise_handshake_create_initiation(struct wg_msg_initiation *dst,
				     struct wg_handshake *hs,
				     struct wg_index_table *t, uint64_t real_ns)
{
	const struct wg_static_identity *si = hs->static_identity;
	struct wg_handshake_secrets *sec;
	uint8_t timestamp[WG_TIMESTAMP_LEN];
	uint8_t key[WG_SYMMETRIC_KEY_LEN];
	bool ret = false;

	if (si == NULL || !si->has_identity)
		return false;

	memset(dst, 0, sizeof(*dst));
	sec = handshake_secrets(hs);
	if (sec == NULL)
		goto out;
	wg_msg_header_set(&dst->header, WG_MSG_HANDSHAKE_INITIATION);
	handshake_start(sec->chaining_key, sec->hash, hs->remote_static);

	/* e */
	if (!send_ephemeral(sec, dst->unencrypted_ephemeral))
		goto out;

	/* es */
	if (!mix_dh(sec->chaining_key, key, sec->ephemeral_private,
		    hs->remote_static))
		goto out;

	/* s */
	encrypt_and_hash(dst->encrypted_static, si->static_public,
			 WG_PUBLIC_KEY_LEN, key, sec->hash);

	/* ss */
	if (!mix_precomputed_dh(sec->chaining_key, key,
				hs->precomputed_static_static))
		goto out;

	/* {t} */
	wg_noise_tai64n(timestamp, real_ns);
	encrypt_and_hash(dst->encrypted_timestamp, timestamp, WG_TIMESTAMP_LEN,
			 key, sec->hash);

	wg_le32_store(dst->sender_index, wg_index_table_insert(t, &hs->entry));
	hs->state = WG_HANDSHAKE_CREATED_INITIATION;
	ret = true;
out:
	if (!ret)
		wg_noise_handshake_clear(hs, t);
	wg_memzero(key, sizeof(key));
	wg_memzero(timestamp, sizeof(timestamp));
	return ret;
}

enum wg_noise_status
wg_noise_handshake_consume_initiation(const struct wg_msg_initiation *src,
				      const struct wg_static_identity *si,
				      struct wg_peer_table *peers, uint64_t now,
				      struct wg_peer **peer_out)
{
	enum wg_noise_status ret;
	struct wg_handshake_secrets *sec;
	struct wg_handshake *hs;
	struct wg_peer *peer;
	uint8_t key[WG_SYMMETRIC_KEY_LEN];
	uint8_t chaining_key[WG_HASH_LEN];
	uint8_t hash[WG_HASH_LEN];
	uint8_t s[WG_PUBLIC_KEY_LEN];
	uint8_t e[WG_PUBLIC_KEY_LEN];
	uint8_t t[WG_TIMESTAMP_LEN];

	*peer_out = NULL;
	if (!si->has_identity)
		return WG_NOISE_NO_IDENTITY;

	handshake_start(chaining_key, hash, si->static_public);

	/* e */
	memcpy(e, src->unencrypted_ephemeral, WG_PUBLIC_KEY_LEN);
	mix_ephemeral(chaining_key, hash, e);

	/* es */
	ret = WG_NOISE_BAD_DH;
	if (!mix_dh(chaining_key, key, si->static_private, e))
		goto out;

	/* s */
	ret = WG_NOISE_DECRYPT;
	if (!decrypt_and_hash(s, src->encrypted_static,
			      sizeof(src->encrypted_static), key, hash))
		goto out;

	ret = WG_NOISE_UNKNOWN_PEER;
	peer = wg_peer_table_lookup(peers, s);
	if (peer == NULL || peer->is_dead)
		goto out;
	hs = &peer->handshake;

	/* ss */
	ret = WG_NOISE_BAD_DH;
	if (!mix_precomputed_dh(chaining_key, key,
				hs->precomputed_static_static))
		goto out;

	/* {t} */
	ret = WG_NOISE_DECRYPT;
	if (!decrypt_and_hash(t, src->encrypted_timestamp,
			      sizeof(src->encrypted_timestamp), key, hash))
		goto out;

	/* Big-endian TAI64N: byte order is time order. */
	ret = WG_NOISE_REPLAY;
	if (memcmp(t, hs->latest_timestamp, WG_TIMESTAMP_LEN) <= 0)
		goto out;
	ret = WG_NOISE_FLOOD;
	if (hs->has_consumed_initiation &&
	    now < hs->last_initiation_consumption + WG_HANDSHAKE_MIN_INTERVAL)
		goto out;

	ret = WG_NOISE_NOMEM;
	sec = handshake_secrets(hs);
	if (sec == NULL)
		goto out;

	/* Accepted: this replaces whatever handshake the peer had going. */
	memcpy(sec->remote_ephemeral, e, WG_PUBLIC_KEY_LEN);
	memcpy(hs->latest_timestamp, t, WG_TIMESTAMP_LEN);
	memcpy(sec->hash, hash, WG_HASH_LEN);
	memcpy(sec->chaining_key, chaining_key, WG_HASH_LEN);
	hs->remote_index = wg_le32_load(src->sender_index);
	if (!hs->has_consumed_initiation ||
	    now > hs->last_initiation_consumption)
		hs->last_initiation_consumption = now;
	hs->has_consumed_initiation = true;
	hs->state = WG_HANDSHAKE_CONSUMED_INITIATION;
	*peer_out = peer;
	ret = WG_NOISE_OK;
out:
	wg_memzero(key, sizeof(key));
	wg_memzero(hash, sizeof(hash));
	wg_memzero(chaining_key, sizeof(chaining_key));
	wg_memzero(e, sizeof(e));
	wg_memzero(t, sizeof(t));
	return ret;
}

bool
wg_noise_handshake_create_response(struct wg_msg_response *dst,
				   struct wg_handshake *hs,
				   struct wg_index_table *t)
{
	struct wg_handshake_secrets *sec = hs->sec;
	uint8_t key[WG_SYMMETRIC_KEY_LEN];
	bool ret = false;

	if (hs->state != WG_HANDSHAKE_CONSUMED_INITIATION || sec == NULL)
		return false;

	memset(dst, 0, sizeof(*dst));
	wg_msg_header_set(&dst->header, WG_MSG_HANDSHAKE_RESPONSE);
	wg_le32_store(dst->receiver_index, hs->remote_index);

	/* e */
	if (!send_ephemeral(sec, dst->unencrypted_ephemeral))
		goto out;

	/* ee */
	if (!mix_dh(sec->chaining_key, NULL, sec->ephemeral_private,
		    sec->remote_ephemeral))
		goto out;

	/* se */
	if (!mix_dh(sec->chaining_key, NULL, sec->ephemeral_private,
		    hs->remote_static))
		goto out;

	/* psk */
	mix_psk(sec->chaining_key, sec->hash, key, hs->preshared_key);

	/* {} */
	encrypt_and_hash(dst->encrypted_nothing, NULL, 0, key, sec->hash);

	wg_le32_store(dst->sender_index, wg_index_table_insert(t, &hs->entry));
	hs->state = WG_HANDSHAKE_CREATED_RESPONSE;
	ret = true;
out:
	if (!ret)
		wg_noise_handshake_clear(hs, t);
	wg_memzero(key, sizeof(key));
	return ret;
}

/*
 * Authenticates a response to the initiation hs created (hs found by the
 * response's receiver index); on success records it in hs. Works on
 * copies: a forged response leaves the state intact.
 */
static enum wg_noise_status
consume_response(struct wg_handshake *hs, const struct wg_msg_response *src,
		 const struct wg_static_identity *si)
{
	struct wg_handshake_secrets *sec = hs->sec;
	enum wg_noise_status ret;
	uint8_t key[WG_SYMMETRIC_KEY_LEN];
	uint8_t hash[WG_HASH_LEN];
	uint8_t chaining_key[WG_HASH_LEN];
	uint8_t e[WG_PUBLIC_KEY_LEN];

	if (hs->state != WG_HANDSHAKE_CREATED_INITIATION || sec == NULL)
		return WG_NOISE_BAD_STATE;

	memcpy(hash, sec->hash, WG_HASH_LEN);
	memcpy(chaining_key, sec->chaining_key, WG_HASH_LEN);

	/* e */
	memcpy(e, src->unencrypted_ephemeral, WG_PUBLIC_KEY_LEN);
	mix_ephemeral(chaining_key, hash, e);

	/* ee */
	ret = WG_NOISE_BAD_DH;
	if (!mix_dh(chaining_key, NULL, sec->ephemeral_private, e))
		goto out;

	/* se */
	if (!mix_dh(chaining_key, NULL, si->static_private, e))
		goto out;

	/* psk */
	mix_psk(chaining_key, hash, key, hs->preshared_key);

	/* {} */
	ret = WG_NOISE_DECRYPT;
	if (!decrypt_and_hash(NULL, src->encrypted_nothing,
			      sizeof(src->encrypted_nothing), key, hash))
		goto out;

	memcpy(sec->remote_ephemeral, e, WG_PUBLIC_KEY_LEN);
	memcpy(sec->hash, hash, WG_HASH_LEN);
	memcpy(sec->chaining_key, chaining_key, WG_HASH_LEN);
	hs->remote_index = wg_le32_load(src->sender_index);
	hs->state = WG_HANDSHAKE_CONSUMED_RESPONSE;
	ret = WG_NOISE_OK;
out:
	wg_memzero(key, sizeof(key));
	wg_memzero(hash, sizeof(hash));
	wg_memzero(chaining_key, sizeof(chaining_key));
	wg_memzero(e, sizeof(e));
	return ret;
}

enum wg_noise_status
wg_noise_handshake_consume_response(const struct wg_msg_response *src,
				    const struct wg_static_identity *si,
				    struct wg_index_table *t,
				    struct wg_peer **peer_out)
{
	struct wg_index_entry *entry;
	enum wg_noise_status ret;

	*peer_out = NULL;
	if (!si->has_identity)
		return WG_NOISE_NO_IDENTITY;

	entry = wg_index_table_lookup(t, wg_le32_load(src->receiver_index),
				      WG_INDEX_HANDSHAKE);
	if (entry == NULL || entry->peer->is_dead)
		return WG_NOISE_UNKNOWN_INDEX;
	ret = consume_response(&entry->peer->handshake, src, si);
	if (ret == WG_NOISE_OK)
		*peer_out = entry->peer;
	return ret;
}

enum wg_noise_status
wg_noise_handshake_consume_response_direct(struct wg_handshake *hs,
					   const struct wg_msg_response *src)
{
	const struct wg_static_identity *si = hs->static_identity;

	if (si == NULL || !si->has_identity)
		return WG_NOISE_NO_IDENTITY;
	if (!wg_index_entry_hashed(&hs->entry) ||
	    wg_le32_load(src->receiver_index) != hs->entry.index)
		return WG_NOISE_UNKNOWN_INDEX;
	return consume_response(hs, src, si);
}

bool
wg_noise_handshake_derive_keys(struct wg_handshake *hs,
			       uint8_t sending_key[WG_SYMMETRIC_KEY_LEN],
			       uint8_t receiving_key[WG_SYMMETRIC_KEY_LEN],
			       uint32_t *remote_index, bool *is_initiator)
{
	bool initiator;

	if ((hs->state != WG_HANDSHAKE_CREATED_RESPONSE &&
	     hs->state != WG_HANDSHAKE_CONSUMED_RESPONSE) || hs->sec == NULL)
		return false;
	initiator = hs->state == WG_HANDSHAKE_CONSUMED_RESPONSE;
	/* (T_send, T_recv) for the initiator = KDF2(C, empty) */
	if (initiator)
		wg_kdf(sending_key, receiving_key, NULL, hs->sec->chaining_key,
		       NULL, 0);
	else
		wg_kdf(receiving_key, sending_key, NULL, hs->sec->chaining_key,
		       NULL, 0);
	*remote_index = hs->remote_index;
	*is_initiator = initiator;
	wg_noise_handshake_forget(hs);
	return true;
}

bool
wg_noise_handshake_begin_session(struct wg_handshake *hs,
				 struct wg_index_table *t, uint64_t now)
{
	struct wg_peer *peer = hs->entry.peer;
	struct wg_keypair *kp;

	if (hs->state != WG_HANDSHAKE_CREATED_RESPONSE &&
	    hs->state != WG_HANDSHAKE_CONSUMED_RESPONSE)
		return false;
	if (peer->is_dead)
		return false;
	kp = wg_keypair_create(peer, now);
	if (kp == NULL)
		return false;
	/* derives the keys and zeroes the handshake */
	if (!wg_noise_handshake_derive_keys(hs, kp->sending_key,
					    kp->receiving_key,
					    &kp->remote_index,
					    &kp->is_initiator)) {
		wg_keypair_free(kp);
		return false;
	}
	/* The keypair inherits the index we announced in the handshake. */
	if (!wg_index_table_replace(t, &hs->entry, &kp->entry)) {
		wg_keypair_free(kp);
		return false;
	}
	wg_keypairs_add_new(peer, kp);
	return true;
}
