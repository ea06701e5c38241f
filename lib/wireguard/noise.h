/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_NOISE_H
#define WG_NOISE_H

/*
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake as WireGuard uses it
 * (paper §5.4, Linux noise.c):
 *
 *   <- s
 *   ...
 *   -> e, es, s, ss, {t}        initiation (t: TAI64N timestamp)
 *   <- e, ee, se, psk, {}       response
 *
 * Each peer has one handshake state. The static-static DH of our private
 * key and the peer's public key is computed once per (identity, peer) and
 * kept, so each side performs one fixed-base and three variable-base
 * scalar multiplications per handshake. Ephemeral private keys, chaining
 * keys, hashes and every intermediate key are wiped with wg_memzero as
 * soon as they are no longer needed; a handshake that ends in a session
 * is zeroed entirely.
 *
 * Those per-handshake secrets live in their own allocation, made when a
 * handshake starts (an initiation created or accepted) and wiped and freed
 * when it ends: an idle peer carries none (128 bytes less per peer). The
 * other allocation is the keypair of wg_noise_handshake_begin_session().
 *
 * Single-threaded (the control thread).
 */

#include <stdbool.h>
#include <stdint.h>

#include "index_table.h"
#include "messages.h"

struct wg_peer;
struct wg_peer_table;

enum wg_handshake_state {
	WG_HANDSHAKE_ZEROED = 0,
	WG_HANDSHAKE_CREATED_INITIATION,
	WG_HANDSHAKE_CONSUMED_INITIATION,
	WG_HANDSHAKE_CREATED_RESPONSE,
	WG_HANDSHAKE_CONSUMED_RESPONSE,
};

/* Why a handshake message was refused (0 = accepted). */
enum wg_noise_status {
	WG_NOISE_OK = 0,
	WG_NOISE_NO_IDENTITY,		/* no private key configured */
	WG_NOISE_BAD_DH,		/* a DH result was all zero */
	WG_NOISE_DECRYPT,		/* AEAD authentication failed */
	WG_NOISE_UNKNOWN_PEER,		/* initiator's static key not a peer */
	WG_NOISE_REPLAY,		/* TAI64N not newer than the last */
	WG_NOISE_FLOOD,			/* < WG_HANDSHAKE_MIN_INTERVAL since last */
	WG_NOISE_UNKNOWN_INDEX,		/* response to no pending initiation */
	WG_NOISE_BAD_STATE,		/* handshake not in the expected state */
	WG_NOISE_NOMEM,			/* no memory for the handshake's secrets */
};

struct wg_static_identity {
	uint8_t static_private[WG_PUBLIC_KEY_LEN];
	uint8_t static_public[WG_PUBLIC_KEY_LEN];
	bool has_identity;
};

/* A handshake in flight (state other than WG_HANDSHAKE_ZEROED). */
struct wg_handshake_secrets {
	uint8_t ephemeral_private[WG_PUBLIC_KEY_LEN];
	uint8_t remote_ephemeral[WG_PUBLIC_KEY_LEN];
	uint8_t hash[WG_HASH_LEN];
	uint8_t chaining_key[WG_HASH_LEN];
};

struct wg_handshake {
	struct wg_index_entry entry;		/* WG_INDEX_HANDSHAKE */
	const struct wg_static_identity *static_identity;

	uint8_t remote_static[WG_PUBLIC_KEY_LEN];
	uint8_t precomputed_static_static[WG_PUBLIC_KEY_LEN];
	uint8_t preshared_key[WG_SYMMETRIC_KEY_LEN];

	struct wg_handshake_secrets *sec;	/* NULL while zeroed */
	uint32_t remote_index;			/* host order */

	/* Replay and flood protection of consumed initiations. */
	uint8_t latest_timestamp[WG_TIMESTAMP_LEN];
	uint64_t last_initiation_consumption;	/* monotonic ns */
	bool has_consumed_initiation;
	uint8_t state;				/* enum wg_handshake_state */
};

/* Sets (and clamps) the private key; has_identity if its public key is non-zero. */
void
wg_noise_set_private_key(struct wg_static_identity *si,
			 const uint8_t private_key[WG_PUBLIC_KEY_LEN]);
void
wg_noise_static_identity_wipe(struct wg_static_identity *si);

/*
 * psk: NULL for none (all zero, as the protocol specifies). A handshake
 * in flight owns memory (its secrets): clear or wipe it before discarding
 * the struct.
 */
void
wg_noise_handshake_init(struct wg_handshake *hs,
			const struct wg_static_identity *si,
			const uint8_t remote_static[WG_PUBLIC_KEY_LEN],
			const uint8_t psk[WG_SYMMETRIC_KEY_LEN],
			struct wg_peer *peer);
/* Recomputes DH(our static, peer static); zeros when no identity or bad key. */
void
wg_noise_precompute_static_static(struct wg_handshake *hs);
void
wg_noise_set_preshared_key(struct wg_handshake *hs,
			   const uint8_t psk[WG_SYMMETRIC_KEY_LEN]);
/*
 * Back to WG_HANDSHAKE_ZEROED, its secrets wiped and freed, without
 * touching the index table (wg_noise_handshake_clear does both).
 */
void
wg_noise_handshake_forget(struct wg_handshake *hs);
/* Removes the handshake from the index table and zeroes its session state. */
void
wg_noise_handshake_clear(struct wg_handshake *hs, struct wg_index_table *t);
/* wg_noise_handshake_clear() plus every long-term secret: for peer removal. */
void
wg_noise_handshake_wipe(struct wg_handshake *hs, struct wg_index_table *t);

/*
 * TAI64N of the wall-clock time real_ns (ns since the Unix epoch): 8-byte
 * big-endian 2^62 + 10 + seconds, then 4-byte big-endian nanoseconds
 * rounded down to a multiple of 2^24 ns (the largest power of two below
 * WG_HANDSHAKE_MIN_INTERVAL, as Linux does) so that it does not leak a
 * precise clock.
 */
void
wg_noise_tai64n(uint8_t out[WG_TIMESTAMP_LEN], uint64_t real_ns);

/*
 * Writes an initiation (macs left for the cookie maker) with a fresh
 * ephemeral key and a new sender index in t. real_ns: wall clock.
 */
bool
wg_noise_handshake_create_initiation(struct wg_msg_initiation *dst,
				     struct wg_handshake *hs,
				     struct wg_index_table *t, uint64_t real_ns);

/*
 * Authenticates an initiation addressed to si, finds the initiator among
 * peers, refuses replays (timestamp not newer) and floods (less than
 * WG_HANDSHAKE_MIN_INTERVAL after the last accepted one, monotonic now),
 * and records the state in that peer's handshake. *peer_out is set on
 * success.
 */
enum wg_noise_status
wg_noise_handshake_consume_initiation(const struct wg_msg_initiation *src,
				      const struct wg_static_identity *si,
				      struct wg_peer_table *peers, uint64_t now,
				      struct wg_peer **peer_out);

/* Requires a consumed initiation; allocates a new sender index in t. */
bool
wg_noise_handshake_create_response(struct wg_msg_response *dst,
				   struct wg_handshake *hs,
				   struct wg_index_table *t);

/* Authenticates a response to one of our initiations (looked up in t). */
enum wg_noise_status
wg_noise_handshake_consume_response(const struct wg_msg_response *src,
				    const struct wg_static_identity *si,
				    struct wg_index_table *t,
				    struct wg_peer **peer_out);

/*
 * After create_response (responder) or consume_response (initiator):
 * derives the transport keys into a new keypair born at now, zeroes the
 * handshake, moves its index to the keypair and installs the keypair in
 * the peer's slots. False on ENOMEM or wrong state.
 */
bool
wg_noise_handshake_begin_session(struct wg_handshake *hs,
				 struct wg_index_table *t, uint64_t now);

/*
 * Initiator without a device or struct wg_peer (traffic generators: one
 * static identity per emulated peer, wg_noise_handshake_init() with a
 * NULL peer). The caller found hs itself from the response's receiver
 * index; the index must still be hs's (hs->entry in its table).
 * Authenticates the response with hs->static_identity exactly as
 * wg_noise_handshake_consume_response() does; a refused response leaves
 * the state intact.
 */
enum wg_noise_status
wg_noise_handshake_consume_response_direct(struct wg_handshake *hs,
					   const struct wg_msg_response *src);

/*
 * After create_response or consume_response(_direct): derives the
 * transport keys into the caller's buffers (ours: sending and receiving),
 * the peer's index (receiver index of the data we send) and our role,
 * then zeroes the handshake. hs->entry stays in its index table with its
 * index, which names the new session: move it with
 * wg_index_table_replace() or remove it. False (nothing written) in any
 * other state.
 */
bool
wg_noise_handshake_derive_keys(struct wg_handshake *hs,
			       uint8_t sending_key[WG_SYMMETRIC_KEY_LEN],
			       uint8_t receiving_key[WG_SYMMETRIC_KEY_LEN],
			       uint32_t *remote_index, bool *is_initiator);

#endif /* WG_NOISE_H */
