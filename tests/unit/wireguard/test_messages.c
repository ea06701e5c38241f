/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* Wire formats and the pre-crypto classifier. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "wireguard/messages.h"

#define MAXLEN 4096

static uint8_t buf[MAXLEN];

static void
fill(uint8_t type)
{
	memset(buf, 0xa5, sizeof(buf));
	buf[0] = type;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = 0;
}

static void
test_layout(void)
{
	CHECK(sizeof(struct wg_msg_initiation) == 148);
	CHECK(sizeof(struct wg_msg_response) == 92);
	CHECK(sizeof(struct wg_msg_cookie) == 64);
	CHECK(sizeof(struct wg_msg_data) == 16);
	CHECK(WG_DATA_MIN_LEN == 32);
	CHECK(offsetof(struct wg_msg_initiation, sender_index) == 4);
	CHECK(offsetof(struct wg_msg_initiation, unencrypted_ephemeral) == 8);
	CHECK(offsetof(struct wg_msg_initiation, encrypted_static) == 40);
	CHECK(offsetof(struct wg_msg_initiation, encrypted_timestamp) == 88);
	CHECK(offsetof(struct wg_msg_initiation, macs.mac1) == 116);
	CHECK(offsetof(struct wg_msg_initiation, macs.mac2) == 132);
	CHECK(offsetof(struct wg_msg_response, sender_index) == 4);
	CHECK(offsetof(struct wg_msg_response, receiver_index) == 8);
	CHECK(offsetof(struct wg_msg_response, unencrypted_ephemeral) == 12);
	CHECK(offsetof(struct wg_msg_response, encrypted_nothing) == 44);
	CHECK(offsetof(struct wg_msg_response, macs.mac1) == 60);
	CHECK(offsetof(struct wg_msg_response, macs.mac2) == 76);
	CHECK(offsetof(struct wg_msg_cookie, receiver_index) == 4);
	CHECK(offsetof(struct wg_msg_cookie, nonce) == 8);
	CHECK(offsetof(struct wg_msg_cookie, encrypted_cookie) == 32);
	CHECK(offsetof(struct wg_msg_data, receiver_index) == 4);
	CHECK(offsetof(struct wg_msg_data, counter) == 8);
	CHECK(offsetof(struct wg_msg_data, encrypted_data) == 16);
}

/* Exactly one accepted length for each handshake type. */
static void
test_exact_lengths(void)
{
	static const struct {
		uint8_t type;
		size_t len;
	} t[] = {
		{ WG_MSG_HANDSHAKE_INITIATION, 148 },
		{ WG_MSG_HANDSHAKE_RESPONSE, 92 },
		{ WG_MSG_HANDSHAKE_COOKIE, 64 },
	};
	unsigned int i, bad;
	size_t len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fill(t[i].type);
		bad = 0;
		for (len = 0; len <= MAXLEN; len++) {
			enum wg_message_type r = wg_message_type(buf, len);

			if (len == t[i].len) {
				CHECK(r == (enum wg_message_type)t[i].type);
			} else if (r != WG_MSG_INVALID) {
				bad++;
			}
		}
		CHECK(bad == 0);
	}
}

static void
test_data_lengths(void)
{
	unsigned int bad = 0;
	size_t len;

	fill(WG_MSG_DATA);
	for (len = 0; len < 32; len++)
		if (wg_message_type(buf, len) != WG_MSG_INVALID)
			bad++;
	CHECK(bad == 0);
	/* keepalive, padded payloads, and MTU-clamped (non multiple of 16) */
	CHECK(wg_message_type(buf, 32) == WG_MSG_DATA);
	CHECK(wg_message_type(buf, 48) == WG_MSG_DATA);
	CHECK(wg_message_type(buf, 32 + 1420) == WG_MSG_DATA);
	bad = 0;
	for (len = 32; len <= MAXLEN; len++)
		if (wg_message_type(buf, len) != WG_MSG_DATA)
			bad++;
	CHECK(bad == 0);
}

static void
test_garbage(void)
{
	unsigned int type, bad = 0, r;
	size_t len;

	/* every other type byte, any length */
	for (type = 0; type < 256; type++) {
		if (type >= 1 && type <= 4)
			continue;
		fill((uint8_t)type);
		for (len = 0; len <= 256; len++)
			if (wg_message_type(buf, len) != WG_MSG_INVALID)
				bad++;
	}
	CHECK(bad == 0);

	/* non-zero reserved bytes are refused for every type */
	bad = 0;
	for (type = 1; type <= 4; type++) {
		for (r = 1; r <= 3; r++) {
			fill((uint8_t)type);
			buf[r] = 1;
			if (wg_message_type(buf, 148) != WG_MSG_INVALID ||
			    wg_message_type(buf, 92) != WG_MSG_INVALID ||
			    wg_message_type(buf, 64) != WG_MSG_INVALID ||
			    wg_message_type(buf, 100) != WG_MSG_INVALID)
				bad++;
		}
	}
	CHECK(bad == 0);

	/* types as big-endian words are garbage too */
	memset(buf, 0, sizeof(buf));
	buf[3] = 1;
	CHECK(wg_message_type(buf, 148) == WG_MSG_INVALID);
	CHECK(wg_message_type(buf, 0) == WG_MSG_INVALID);
	CHECK(wg_message_type(buf, 3) == WG_MSG_INVALID);
}

static void
test_endian_helpers(void)
{
	uint8_t b[8];

	wg_le32_store(b, 0x11223344);
	CHECK(b[0] == 0x44 && b[3] == 0x11);
	CHECK(wg_le32_load(b) == 0x11223344);
	wg_le64_store(b, 0x0102030405060708ULL);
	CHECK(b[0] == 0x08 && b[7] == 0x01);
	CHECK(wg_le64_load(b) == 0x0102030405060708ULL);
}

int
main(void)
{
	test_layout();
	test_exact_lengths();
	test_data_lengths();
	test_garbage();
	test_endian_helpers();
	TEST_MAIN_END();
}
