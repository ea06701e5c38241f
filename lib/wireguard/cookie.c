/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>
#include <sys/socket.h>

#include "constants.h"
#include "cookie.h"
#include "crypto/blake2s.h"
#include "crypto/primitives.h"

#define WG_COOKIE_LABEL_LEN 8

static const uint8_t mac1_label[WG_COOKIE_LABEL_LEN] = {
	'm', 'a', 'c', '1', '-', '-', '-', '-'
};
static const uint8_t cookie_label[WG_COOKIE_LABEL_LEN] = {
	'c', 'o', 'o', 'k', 'i', 'e', '-', '-'
};

static inline bool
cookie_expired(uint64_t birthdate, uint64_t lifetime, uint64_t now)
{
	return now >= birthdate + lifetime;
}

/* key = BLAKE2s-256(label || public key) */
static void
derive_label_key(uint8_t key[WG_SYMMETRIC_KEY_LEN],
		 const uint8_t pub[WG_PUBLIC_KEY_LEN],
		 const uint8_t label[WG_COOKIE_LABEL_LEN])
{
	struct wg_blake2s_state s;

	wg_blake2s_init(&s, WG_SYMMETRIC_KEY_LEN, NULL, 0);
	wg_blake2s_update(&s, label, WG_COOKIE_LABEL_LEN);
	wg_blake2s_update(&s, pub, WG_PUBLIC_KEY_LEN);
	wg_blake2s_final(&s, key);
}

/* mac1 covers the message up to (not including) mac1. */
static void
compute_mac1(uint8_t mac1[WG_COOKIE_LEN], const uint8_t *msg, size_t len,
	     const uint8_t key[WG_SYMMETRIC_KEY_LEN])
{
	wg_blake2s(mac1, WG_COOKIE_LEN, msg, len - sizeof(struct wg_msg_macs),
		   key, WG_SYMMETRIC_KEY_LEN);
}

/* mac2 covers the message up to mac2, mac1 included. */
static void
compute_mac2(uint8_t mac2[WG_COOKIE_LEN], const uint8_t *msg, size_t len,
	     const uint8_t cookie[WG_COOKIE_LEN])
{
	wg_blake2s(mac2, WG_COOKIE_LEN, msg, len - WG_COOKIE_LEN,
		   cookie, WG_COOKIE_LEN);
}

void
wg_cookie_checker_init(struct wg_cookie_checker *c, uint64_t now)
{
	memset(c, 0, sizeof(*c));
	wg_random_bytes(c->secret, sizeof(c->secret));
	c->secret_birthdate = now;
}

void
wg_cookie_checker_set_public_key(struct wg_cookie_checker *c,
				 const uint8_t pub[WG_PUBLIC_KEY_LEN])
{
	if (pub == NULL) {
		wg_memzero(c->cookie_encryption_key,
			   sizeof(c->cookie_encryption_key));
		wg_memzero(c->message_mac1_key, sizeof(c->message_mac1_key));
		c->has_keys = false;
		return;
	}
	derive_label_key(c->cookie_encryption_key, pub, cookie_label);
	derive_label_key(c->message_mac1_key, pub, mac1_label);
	c->has_keys = true;
}

bool
wg_cookie_checker_rotate(struct wg_cookie_checker *c, uint64_t now)
{
	if (!cookie_expired(c->secret_birthdate, WG_COOKIE_SECRET_MAX_AGE, now))
		return false;
	wg_random_bytes(c->secret, sizeof(c->secret));
	c->secret_birthdate = now;
	return true;
}

void
wg_cookie_checker_wipe(struct wg_cookie_checker *c)
{
	wg_memzero(c, sizeof(*c));
}

/* cookie = BLAKE2s-128(key = secret, source address || source port (BE)) */
static void
make_cookie(const struct wg_cookie_checker *c, uint8_t cookie[WG_COOKIE_LEN],
	    const struct wg_endpoint *src)
{
	struct wg_blake2s_state s;
	uint8_t port[2];

	port[0] = (uint8_t)(src->port >> 8);
	port[1] = (uint8_t)src->port;
	wg_blake2s_init(&s, WG_COOKIE_LEN, c->secret, sizeof(c->secret));
	wg_blake2s_update(&s, src->addr, src->family == AF_INET ? 4 : 16);
	wg_blake2s_update(&s, port, sizeof(port));
	wg_blake2s_final(&s, cookie);
}

enum wg_cookie_mac_state
wg_cookie_validate(struct wg_cookie_checker *c, const uint8_t *msg, size_t len,
		   const struct wg_endpoint *src, bool check_cookie,
		   uint64_t now)
{
	if (check_cookie)
		wg_cookie_checker_rotate(c, now);
	return wg_cookie_check_macs(c, msg, len, src, check_cookie);
}

enum wg_cookie_mac_state
wg_cookie_check_macs(const struct wg_cookie_checker *c, const uint8_t *msg,
		     size_t len, const struct wg_endpoint *src,
		     bool check_cookie)
{
	const struct wg_msg_macs *macs;
	enum wg_cookie_mac_state ret = WG_COOKIE_INVALID_MAC;
	uint8_t computed[WG_COOKIE_LEN];
	uint8_t cookie[WG_COOKIE_LEN];

	if (!c->has_keys || len < sizeof(struct wg_msg_header) +
	    sizeof(struct wg_msg_macs))
		return WG_COOKIE_INVALID_MAC;
	macs = (const struct wg_msg_macs *)(msg + len - sizeof(*macs));

	compute_mac1(computed, msg, len, c->message_mac1_key);
	if (!wg_memeq(computed, macs->mac1, WG_COOKIE_LEN))
		goto out;
	ret = WG_COOKIE_VALID_MAC_BUT_NO_COOKIE;
	if (!check_cookie)
		goto out;

	make_cookie(c, cookie, src);
	compute_mac2(computed, msg, len, cookie);
	if (wg_memeq(computed, macs->mac2, WG_COOKIE_LEN))
		ret = WG_COOKIE_VALID_MAC_WITH_COOKIE;
	wg_memzero(cookie, sizeof(cookie));
out:
	wg_memzero(computed, sizeof(computed));
	return ret;
}

void
wg_cookie_message_create(struct wg_cookie_checker *c, struct wg_msg_cookie *dst,
			 const uint8_t *msg, size_t len, uint32_t sender_index,
			 const struct wg_endpoint *src, uint64_t now)
{
	uint8_t nonce[WG_COOKIE_NONCE_LEN];

	wg_cookie_checker_rotate(c, now);
	wg_random_bytes(nonce, sizeof(nonce));
	wg_cookie_reply_make(c, dst, msg, len, sender_index, src, nonce);
}

void
wg_cookie_reply_make(const struct wg_cookie_checker *c,
		     struct wg_msg_cookie *dst, const uint8_t *msg, size_t len,
		     uint32_t sender_index, const struct wg_endpoint *src,
		     const uint8_t nonce[WG_COOKIE_NONCE_LEN])
{
	const struct wg_msg_macs *macs =
		(const struct wg_msg_macs *)(msg + len - sizeof(*macs));
	uint8_t cookie[WG_COOKIE_LEN];

	wg_msg_header_set(&dst->header, WG_MSG_HANDSHAKE_COOKIE);
	wg_le32_store(dst->receiver_index, sender_index);
	memcpy(dst->nonce, nonce, sizeof(dst->nonce));
	make_cookie(c, cookie, src);
	wg_xaead_encrypt(dst->encrypted_cookie, cookie, WG_COOKIE_LEN,
			 macs->mac1, WG_COOKIE_LEN, dst->nonce,
			 c->cookie_encryption_key);
	wg_memzero(cookie, sizeof(cookie));
}

void
wg_cookie_maker_init(struct wg_cookie_maker *m)
{
	memset(m, 0, sizeof(*m));
}

void
wg_cookie_maker_wipe(struct wg_cookie_maker *m)
{
	wg_memzero(m, sizeof(*m));
}

bool
wg_cookie_maker_has_cookie(const struct wg_cookie_maker *m, uint64_t now)
{
	return m->is_valid &&
		!cookie_expired(m->birthdate, WG_COOKIE_SECRET_MAX_AGE -
				WG_COOKIE_SECRET_LATENCY, now);
}

void
wg_cookie_add_macs(struct wg_cookie_maker *m,
		   const uint8_t remote_pub[WG_PUBLIC_KEY_LEN], uint8_t *msg,
		   size_t len, uint64_t now)
{
	struct wg_msg_macs *macs =
		(struct wg_msg_macs *)(msg + len - sizeof(*macs));
	uint8_t key[WG_SYMMETRIC_KEY_LEN];

	derive_label_key(key, remote_pub, mac1_label);
	compute_mac1(macs->mac1, msg, len, key);
	wg_memzero(key, sizeof(key));
	memcpy(m->last_mac1_sent, macs->mac1, WG_COOKIE_LEN);
	m->have_sent_mac1 = true;

	if (wg_cookie_maker_has_cookie(m, now))
		compute_mac2(macs->mac2, msg, len, m->cookie);
	else
		memset(macs->mac2, 0, WG_COOKIE_LEN);
}

bool
wg_cookie_maker_consume(struct wg_cookie_maker *m,
			const uint8_t remote_pub[WG_PUBLIC_KEY_LEN],
			const struct wg_msg_cookie *src, uint64_t now)
{
	uint8_t cookie[WG_COOKIE_LEN], key[WG_SYMMETRIC_KEY_LEN];
	bool ok;

	if (!m->have_sent_mac1)
		return false;
	derive_label_key(key, remote_pub, cookie_label);
	ok = wg_xaead_decrypt(cookie, src->encrypted_cookie,
			      sizeof(src->encrypted_cookie), m->last_mac1_sent,
			      WG_COOKIE_LEN, src->nonce, key);
	wg_memzero(key, sizeof(key));
	if (!ok)
		return false;
	memcpy(m->cookie, cookie, WG_COOKIE_LEN);
	wg_memzero(cookie, sizeof(cookie));
	m->birthdate = now;
	m->is_valid = true;
	m->have_sent_mac1 = false;
	return true;
}
