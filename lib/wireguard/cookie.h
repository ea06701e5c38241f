/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_COOKIE_H
#define WG_COOKIE_H

/*
 * Handshake MACs and cookies (paper §5.4.4, §5.4.7; Linux cookie.c).
 *
 *   mac1 = BLAKE2s-128(key = BLAKE2s("mac1----" || receiver's static
 *          public key), message up to mac1)
 *   mac2 = BLAKE2s-128(key = cookie, message up to mac2), or zeros
 *   cookie = BLAKE2s-128(key = checker secret (rotated every 120 s),
 *            source IP address || source UDP port (network order))
 *   cookie reply = XChaCha20-Poly1305(key = BLAKE2s("cookie--" || the
 *            replier's public key), random 24-byte nonce, cookie,
 *            AD = mac1 of the message being answered)
 *
 * The checker is the device side (validates received handshake messages
 * and makes cookie replies); the maker lives in each peer (adds macs to
 * our handshake messages and consumes the peer's cookie replies). Whether
 * the device is "under load" is the caller's decision. Nothing here
 * touches Curve25519: mac1 is checked first so that spoofed or random
 * traffic costs one BLAKE2s. Times are monotonic ns. Single-threaded.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"
#include "messages.h"

enum wg_cookie_mac_state {
	WG_COOKIE_INVALID_MAC = 0,		/* mac1 wrong: drop */
	WG_COOKIE_VALID_MAC_BUT_NO_COOKIE,	/* mac1 ok, mac2 absent/wrong */
	WG_COOKIE_VALID_MAC_WITH_COOKIE,	/* mac1 and mac2 ok */
};

struct wg_cookie_checker {
	uint8_t secret[WG_HASH_LEN];
	uint64_t secret_birthdate;
	uint8_t cookie_encryption_key[WG_SYMMETRIC_KEY_LEN];
	uint8_t message_mac1_key[WG_SYMMETRIC_KEY_LEN];
	bool has_keys;
};

struct wg_cookie_maker {
	uint8_t cookie[WG_COOKIE_LEN];
	uint8_t last_mac1_sent[WG_COOKIE_LEN];
	uint64_t birthdate;
	bool is_valid;
	bool have_sent_mac1;
};

/* Checker: a fresh random secret born at now, no keys yet. */
void
wg_cookie_checker_init(struct wg_cookie_checker *c, uint64_t now);
/* Derives the mac1 and cookie keys from our public key (NULL: clears them). */
void
wg_cookie_checker_set_public_key(struct wg_cookie_checker *c,
				 const uint8_t pub[WG_PUBLIC_KEY_LEN]);
/* Replaces the secret if it is WG_COOKIE_SECRET_MAX_AGE old; true if so. */
bool
wg_cookie_checker_rotate(struct wg_cookie_checker *c, uint64_t now);
void
wg_cookie_checker_wipe(struct wg_cookie_checker *c);

/*
 * msg/len: a whole handshake message (initiation or response, whose last
 * 32 bytes are the macs). check_cookie (under load): also verify mac2
 * against the cookie of src. len must be a handshake message length.
 */
enum wg_cookie_mac_state
wg_cookie_validate(struct wg_cookie_checker *c, const uint8_t *msg, size_t len,
		   const struct wg_endpoint *src, bool check_cookie,
		   uint64_t now);

/*
 * Builds the cookie reply to the handshake message msg/len received from
 * src, addressed to sender_index (the index in that message, host order).
 */
void
wg_cookie_message_create(struct wg_cookie_checker *c, struct wg_msg_cookie *dst,
			 const uint8_t *msg, size_t len, uint32_t sender_index,
			 const struct wg_endpoint *src, uint64_t now);

/*
 * The same two without touching c (no secret rotation): for a read-only
 * copy of a checker that its owner keeps rotated (WG_COOKIE_SECRET_MAX_AGE)
 * and republishes, e.g. on other threads. Safe to call concurrently on
 * distinct or unchanging copies. nonce: fresh random bytes (the caller's
 * source, e.g. a per-thread pool).
 */
enum wg_cookie_mac_state
wg_cookie_check_macs(const struct wg_cookie_checker *c, const uint8_t *msg,
		     size_t len, const struct wg_endpoint *src,
		     bool check_cookie);
void
wg_cookie_reply_make(const struct wg_cookie_checker *c,
		     struct wg_msg_cookie *dst, const uint8_t *msg, size_t len,
		     uint32_t sender_index, const struct wg_endpoint *src,
		     const uint8_t nonce[WG_COOKIE_NONCE_LEN]);

/*
 * Maker. Its two keys (mac1, cookie decryption) are derived from the
 * remote peer's public key each time they are used, one BLAKE2s per
 * handshake message, rather than kept: 64 bytes less for every peer.
 */
void
wg_cookie_maker_init(struct wg_cookie_maker *m);
void
wg_cookie_maker_wipe(struct wg_cookie_maker *m);

/*
 * Fills mac1 and mac2 (zeros unless we hold a cookie younger than
 * WG_COOKIE_SECRET_MAX_AGE - WG_COOKIE_SECRET_LATENCY = 115 s) of the
 * handshake message msg/len and remembers mac1 for a cookie reply.
 */
void
wg_cookie_add_macs(struct wg_cookie_maker *m,
		   const uint8_t remote_pub[WG_PUBLIC_KEY_LEN], uint8_t *msg,
		   size_t len, uint64_t now);

/*
 * Decrypts a cookie reply with the mac1 we last sent; on success stores
 * the cookie (born now) and returns true. A reply is accepted only once
 * per mac1 sent.
 */
bool
wg_cookie_maker_consume(struct wg_cookie_maker *m,
			const uint8_t remote_pub[WG_PUBLIC_KEY_LEN],
			const struct wg_msg_cookie *src, uint64_t now);

/* True if m holds a cookie that add_macs would still use at now. */
bool
wg_cookie_maker_has_cookie(const struct wg_cookie_maker *m, uint64_t now);

#endif /* WG_COOKIE_H */
