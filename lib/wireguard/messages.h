/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_MESSAGES_H
#define WG_MESSAGES_H

/*
 * WireGuard wire formats (paper §5.4, Linux messages.h) and the first
 * classification of a received UDP payload. Every multi-byte integer on
 * the wire is little-endian; use the load/store helpers below, never the
 * struct fields' host representation directly.
 *
 * Message header: one type byte followed by three reserved bytes that must
 * be zero, i.e. the little-endian 32-bit value 1, 2, 3 or 4.
 */

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WG_PUBLIC_KEY_LEN	32
#define WG_SYMMETRIC_KEY_LEN	32
#define WG_HASH_LEN		32
#define WG_TIMESTAMP_LEN	12	/* TAI64N */
#define WG_AUTHTAG_LEN		16
#define WG_COOKIE_LEN		16	/* mac1, mac2 and the cookie itself */
#define WG_COOKIE_NONCE_LEN	24	/* XChaCha20-Poly1305 */

#define WG_ENCRYPTED_LEN(plain_len)	((plain_len) + WG_AUTHTAG_LEN)

enum wg_message_type {
	WG_MSG_INVALID = 0,
	WG_MSG_HANDSHAKE_INITIATION = 1,
	WG_MSG_HANDSHAKE_RESPONSE = 2,
	WG_MSG_HANDSHAKE_COOKIE = 3,
	WG_MSG_DATA = 4,
};

struct wg_msg_header {
	uint8_t type;
	uint8_t reserved_zero[3];
} __attribute__((packed));

/* Trailer of both handshake messages. */
struct wg_msg_macs {
	uint8_t mac1[WG_COOKIE_LEN];
	uint8_t mac2[WG_COOKIE_LEN];
} __attribute__((packed));

struct wg_msg_initiation {
	struct wg_msg_header header;
	uint8_t sender_index[4];				/* LE */
	uint8_t unencrypted_ephemeral[WG_PUBLIC_KEY_LEN];
	uint8_t encrypted_static[WG_ENCRYPTED_LEN(WG_PUBLIC_KEY_LEN)];
	uint8_t encrypted_timestamp[WG_ENCRYPTED_LEN(WG_TIMESTAMP_LEN)];
	struct wg_msg_macs macs;
} __attribute__((packed));

struct wg_msg_response {
	struct wg_msg_header header;
	uint8_t sender_index[4];				/* LE */
	uint8_t receiver_index[4];				/* LE */
	uint8_t unencrypted_ephemeral[WG_PUBLIC_KEY_LEN];
	uint8_t encrypted_nothing[WG_ENCRYPTED_LEN(0)];
	struct wg_msg_macs macs;
} __attribute__((packed));

struct wg_msg_cookie {
	struct wg_msg_header header;
	uint8_t receiver_index[4];				/* LE */
	uint8_t nonce[WG_COOKIE_NONCE_LEN];
	uint8_t encrypted_cookie[WG_ENCRYPTED_LEN(WG_COOKIE_LEN)];
} __attribute__((packed));

struct wg_msg_data {
	struct wg_msg_header header;
	uint8_t receiver_index[4];				/* LE */
	uint8_t counter[8];					/* LE */
	uint8_t encrypted_data[];	/* payload padded to 16, then the tag */
} __attribute__((packed));

_Static_assert(sizeof(struct wg_msg_header) == 4, "header size");
_Static_assert(sizeof(struct wg_msg_macs) == 32, "macs size");
_Static_assert(sizeof(struct wg_msg_initiation) == 148, "initiation size");
_Static_assert(sizeof(struct wg_msg_response) == 92, "response size");
_Static_assert(sizeof(struct wg_msg_cookie) == 64, "cookie reply size");
_Static_assert(sizeof(struct wg_msg_data) == 16, "data header size");
_Static_assert(offsetof(struct wg_msg_initiation, macs) == 116, "mac1 offset");
_Static_assert(offsetof(struct wg_msg_response, macs) == 60, "mac1 offset");

#define WG_DATA_HEADER_LEN	sizeof(struct wg_msg_data)
/* Wire length of a data message carrying plain_len (padded) bytes. */
#define WG_DATA_LEN(plain_len)	(WG_DATA_HEADER_LEN + WG_ENCRYPTED_LEN(plain_len))
/* A keepalive: header and tag only. */
#define WG_DATA_MIN_LEN		WG_DATA_LEN(0)

static inline uint32_t
wg_le32_load(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline void
wg_le32_store(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline uint64_t
wg_le64_load(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void
wg_le64_store(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
wg_msg_header_set(struct wg_msg_header *h, enum wg_message_type type)
{
	h->type = (uint8_t)type;
	h->reserved_zero[0] = 0;
	h->reserved_zero[1] = 0;
	h->reserved_zero[2] = 0;
}

/*
 * Classifies a received UDP payload by its header and exact length, as
 * Linux does before any cryptography: initiation exactly 148 bytes,
 * response 92, cookie reply 64, data at least 32 (header + tag; a
 * keepalive). Anything else, including a non-zero reserved byte, is
 * WG_MSG_INVALID.
 *
 * The data payload is NOT required to be a multiple of 16: a sender pads
 * to 16 but never beyond its MTU (Linux and wireguard-go both clamp), so a
 * full-MTU packet from a peer with the default MTU 1420 carries 1420 bytes
 * of ciphertext. Refusing those would break interoperability.
 */
static inline enum wg_message_type
wg_message_type(const uint8_t *buf, size_t len)
{
	if (len < sizeof(struct wg_msg_header) || buf[1] != 0 ||
	    buf[2] != 0 || buf[3] != 0)
		return WG_MSG_INVALID;
	switch (buf[0]) {
	case WG_MSG_HANDSHAKE_INITIATION:
		if (len == sizeof(struct wg_msg_initiation))
			return WG_MSG_HANDSHAKE_INITIATION;
		break;
	case WG_MSG_HANDSHAKE_RESPONSE:
		if (len == sizeof(struct wg_msg_response))
			return WG_MSG_HANDSHAKE_RESPONSE;
		break;
	case WG_MSG_HANDSHAKE_COOKIE:
		if (len == sizeof(struct wg_msg_cookie))
			return WG_MSG_HANDSHAKE_COOKIE;
		break;
	case WG_MSG_DATA:
		if (len >= WG_DATA_MIN_LEN)
			return WG_MSG_DATA;
		break;
	default:
		break;
	}
	return WG_MSG_INVALID;
}

#endif /* WG_MESSAGES_H */
