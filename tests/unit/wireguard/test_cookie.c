/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* mac1/mac2, cookie replies, secret rotation, and the device under load. */

#include "test.h"
#include "wg_harness.h"
#include "wireguard/cookie.h"

static struct wg_endpoint src4, src4_port, src4_addr, src6;

static void
setup_endpoints(void)
{
	src4 = h_ep4("203.0.113.7", 40000);
	src4_port = h_ep4("203.0.113.7", 40001);
	src4_addr = h_ep4("203.0.113.8", 40000);
	memset(&src6, 0, sizeof(src6));
	src6.family = AF_INET6;
	src6.port = 40000;
	inet_pton(AF_INET6, "2001:db8::7", src6.addr);
}

static void
random_initiation(uint8_t msg[148])
{
	wg_random_bytes(msg, 148);
	msg[0] = WG_MSG_HANDSHAKE_INITIATION;
	msg[1] = msg[2] = msg[3] = 0;
}

static bool
mac2_is_zero(const uint8_t *msg, size_t len)
{
	static const uint8_t zero[16];

	return memcmp(msg + len - 16, zero, 16) == 0;
}

static void
test_macs(void)
{
	uint8_t priv[32], pub[32], other_priv[32], other_pub[32], msg[148];
	struct wg_cookie_checker c, nokeys;
	struct wg_cookie_maker m, wrong;
	uint64_t now = 5 * WG_NSEC_PER_SEC;

	h_keypair(priv, pub);
	h_keypair(other_priv, other_pub);
	wg_cookie_checker_init(&c, now);
	wg_cookie_checker_set_public_key(&c, pub);
	wg_cookie_maker_init(&m);
	wg_cookie_maker_init(&wrong);

	random_initiation(msg);
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), now);
	CHECK(mac2_is_zero(msg, sizeof(msg)));
	CHECK(m.have_sent_mac1);
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, false, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, true, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);

	/* mac1 covers every byte before it, and itself must match */
	msg[10] ^= 0x80;
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, false, now) ==
	      WG_COOKIE_INVALID_MAC);
	msg[10] ^= 0x80;
	msg[116] ^= 1;
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, false, now) ==
	      WG_COOKIE_INVALID_MAC);
	msg[116] ^= 1;
	/* mac2 is not covered by mac1 */
	msg[140] ^= 1;
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, false, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);

	/* mac1 keyed by another public key */
	wg_cookie_add_macs(&wrong, other_pub, msg, sizeof(msg), now);
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, false, now) ==
	      WG_COOKIE_INVALID_MAC);
	/* a checker without keys accepts nothing */
	wg_cookie_checker_init(&nokeys, now);
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), now);
	CHECK(wg_cookie_validate(&nokeys, msg, 148, &src4, false, now) ==
	      WG_COOKIE_INVALID_MAC);
	/* a 92-byte response works the same */
	msg[0] = WG_MSG_HANDSHAKE_RESPONSE;
	wg_cookie_add_macs(&m, pub, msg, 92, now);
	CHECK(wg_cookie_validate(&c, msg, 92, &src4, false, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	wg_cookie_checker_wipe(&c);
}

static void
test_cookie_reply(void)
{
	uint8_t priv[32], pub[32], a[148], b[148];
	struct wg_cookie_checker c;
	struct wg_cookie_maker m;
	struct wg_msg_cookie reply, forged;
	uint64_t now = 7 * WG_NSEC_PER_SEC;

	h_keypair(priv, pub);
	wg_cookie_checker_init(&c, now);
	wg_cookie_checker_set_public_key(&c, pub);
	wg_cookie_maker_init(&m);

	random_initiation(a);
	wg_cookie_add_macs(&m, pub, a, sizeof(a), now);
	wg_cookie_message_create(&c, &reply, a, sizeof(a), 0xabcdef01, &src4,
				 now);
	CHECK(wg_message_type((uint8_t *)&reply, sizeof(reply)) ==
	      WG_MSG_HANDSHAKE_COOKIE);
	CHECK(wg_le32_load(reply.receiver_index) == 0xabcdef01);

	/* a forged reply does not decrypt */
	forged = reply;
	forged.encrypted_cookie[3] ^= 1;
	CHECK(!wg_cookie_maker_consume(&m, pub, &forged, now));
	forged = reply;
	forged.nonce[0] ^= 1;
	CHECK(!wg_cookie_maker_consume(&m, pub, &forged, now));

	CHECK(wg_cookie_maker_consume(&m, pub, &reply, now));
	CHECK(wg_cookie_maker_has_cookie(&m, now));
	/* at most once per mac1 sent */
	CHECK(!wg_cookie_maker_consume(&m, pub, &reply, now));

	/* the next message carries a mac2 valid for that source only */
	random_initiation(b);
	wg_cookie_add_macs(&m, pub, b, sizeof(b), now);
	CHECK(!mac2_is_zero(b, sizeof(b)));
	CHECK(wg_cookie_validate(&c, b, 148, &src4, true, now) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	CHECK(wg_cookie_validate(&c, b, 148, &src4_port, true, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	CHECK(wg_cookie_validate(&c, b, 148, &src4_addr, true, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);

	/* a reply to an older message (other mac1) is refused */
	wg_cookie_message_create(&c, &reply, a, sizeof(a), 1, &src4, now);
	CHECK(!wg_cookie_maker_consume(&m, pub, &reply, now));

	/* IPv6 sources */
	random_initiation(a);
	wg_cookie_add_macs(&m, pub, a, sizeof(a), now);
	wg_cookie_message_create(&c, &reply, a, sizeof(a), 2, &src6, now);
	CHECK(wg_cookie_maker_consume(&m, pub, &reply, now));
	wg_cookie_add_macs(&m, pub, a, sizeof(a), now);
	CHECK(wg_cookie_validate(&c, a, 148, &src6, true, now) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	CHECK(wg_cookie_validate(&c, a, 148, &src4, true, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
}

/*
 * A read-only copy of a checker (what the gateway publishes to its I/O
 * lcores): the replies made from it are consumed by the initiator's maker,
 * and its mac checks agree with wg_cookie_validate on the original.
 */
static void
test_snapshot(void)
{
	const struct wg_endpoint *srcs[] = { &src4, &src4_port, &src6 };
	uint8_t priv[32], pub[32], a[148], b[148];
	struct wg_cookie_checker c, snap, before;
	struct wg_cookie_maker m, other;
	struct wg_msg_cookie reply;
	uint8_t nonce[WG_COOKIE_NONCE_LEN];
	uint64_t now = 9 * WG_NSEC_PER_SEC;
	unsigned int i, k;
	size_t len;

	h_keypair(priv, pub);
	wg_cookie_checker_init(&c, now);
	wg_cookie_checker_set_public_key(&c, pub);
	memcpy(&snap, &c, sizeof(snap));
	memcpy(&before, &snap, sizeof(before));
	wg_cookie_maker_init(&m);
	wg_cookie_maker_init(&other);

	random_initiation(a);
	wg_cookie_add_macs(&m, pub, a, sizeof(a), now);
	CHECK(wg_cookie_check_macs(&snap, a, 148, &src4, false) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	CHECK(wg_cookie_check_macs(&snap, a, 148, &src4, true) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	wg_random_bytes(nonce, sizeof(nonce));
	wg_cookie_reply_make(&snap, &reply, a, sizeof(a), 0x01020304, &src4,
			     nonce);
	CHECK(memcmp(reply.nonce, nonce, sizeof(nonce)) == 0);
	CHECK(wg_message_type((uint8_t *)&reply, sizeof(reply)) ==
	      WG_MSG_HANDSHAKE_COOKIE);
	CHECK(wg_le32_load(reply.receiver_index) == 0x01020304);
	/* the reply is bound to the mac1 it answers */
	random_initiation(b);
	wg_cookie_add_macs(&other, pub, b, sizeof(b), now);
	CHECK(!wg_cookie_maker_consume(&other, pub, &reply, now));
	CHECK(wg_cookie_maker_consume(&m, pub, &reply, now));

	/* a cookie from the copy is the original's cookie */
	random_initiation(b);
	wg_cookie_add_macs(&m, pub, b, sizeof(b), now);
	CHECK(wg_cookie_check_macs(&snap, b, 148, &src4, true) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	CHECK(wg_cookie_validate(&c, b, 148, &src4, true, now) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	CHECK(wg_cookie_check_macs(&snap, b, 148, &src4_addr, true) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);

	/* agreement on messages with all kinds of macs */
	for (i = 0; i < 300; i++) {
		len = (i & 1) ? 148 : 92;
		random_initiation(a);
		a[0] = (i & 1) ? WG_MSG_HANDSHAKE_INITIATION :
			WG_MSG_HANDSHAKE_RESPONSE;
		switch (i % 5) {
		case 0:		/* random macs */
			break;
		case 1:		/* mac1 only, or mac1 and mac2 of m */
		case 2:
			wg_cookie_add_macs(&m, pub, a, len, now);
			break;
		case 3:		/* mac1 right, mac2 damaged */
			wg_cookie_add_macs(&m, pub, a, len, now);
			a[len - 1 - i % 16] ^= 1;
			break;
		default:	/* mac1 damaged */
			wg_cookie_add_macs(&m, pub, a, len, now);
			a[len - 17 - i % 16] ^= 0x40;
			break;
		}
		for (k = 0; k < sizeof(srcs) / sizeof(srcs[0]); k++) {
			CHECK(wg_cookie_check_macs(&snap, a, len, srcs[k], true)
			      == wg_cookie_validate(&c, a, len, srcs[k], true,
						    now));
			CHECK(wg_cookie_check_macs(&snap, a, len, srcs[k],
						   false) ==
			      wg_cookie_validate(&c, a, len, srcs[k], false,
						 now));
		}
	}
	/* the copy is never written */
	CHECK(memcmp(&snap, &before, sizeof(snap)) == 0);

	/* the original rotates its secret; the stale copy must be replaced */
	random_initiation(b);
	wg_cookie_add_macs(&m, pub, b, sizeof(b), now);
	now += WG_COOKIE_SECRET_MAX_AGE;
	CHECK(wg_cookie_validate(&c, b, 148, &src4, true, now) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	CHECK(wg_cookie_check_macs(&snap, b, 148, &src4, true) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	memcpy(&snap, &c, sizeof(snap));
	CHECK(wg_cookie_check_macs(&snap, b, 148, &src4, true) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	wg_cookie_checker_wipe(&c);
	wg_cookie_checker_wipe(&snap);
	wg_cookie_checker_wipe(&before);
}

static void
test_rotation_and_expiry(void)
{
	uint8_t priv[32], pub[32], msg[148];
	struct wg_cookie_checker c;
	struct wg_cookie_maker m;
	struct wg_msg_cookie reply;
	const uint64_t born = 1000 * WG_NSEC_PER_SEC;
	const uint64_t got = born + 60 * WG_NSEC_PER_SEC;
	uint64_t t;

	h_keypair(priv, pub);
	wg_cookie_checker_init(&c, born);
	wg_cookie_checker_set_public_key(&c, pub);
	wg_cookie_maker_init(&m);

	random_initiation(msg);
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), got);
	wg_cookie_message_create(&c, &reply, msg, sizeof(msg), 1, &src4, got);
	CHECK(wg_cookie_maker_consume(&m, pub, &reply, got));

	/* valid until the checker's secret is 120 s old */
	t = born + WG_COOKIE_SECRET_MAX_AGE - 1;
	CHECK(!wg_cookie_checker_rotate(&c, t));
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), t);
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, true, t) ==
	      WG_COOKIE_VALID_MAC_WITH_COOKIE);
	t = born + WG_COOKIE_SECRET_MAX_AGE;
	CHECK(wg_cookie_maker_has_cookie(&m, t));
	CHECK(wg_cookie_validate(&c, msg, 148, &src4, true, t) ==
	      WG_COOKIE_VALID_MAC_BUT_NO_COOKIE);
	CHECK(c.secret_birthdate == t);
	CHECK(!wg_cookie_checker_rotate(&c, t + 1));
	CHECK(wg_cookie_checker_rotate(&c, t + WG_COOKIE_SECRET_MAX_AGE));

	/* the maker keeps a cookie 120 - 5 = 115 s */
	t = got + WG_COOKIE_SECRET_MAX_AGE - WG_COOKIE_SECRET_LATENCY - 1;
	CHECK(wg_cookie_maker_has_cookie(&m, t));
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), t);
	CHECK(!mac2_is_zero(msg, sizeof(msg)));
	t++;
	CHECK(!wg_cookie_maker_has_cookie(&m, t));
	wg_cookie_add_macs(&m, pub, msg, sizeof(msg), t);
	CHECK(mac2_is_zero(msg, sizeof(msg)));
	wg_cookie_maker_wipe(&m);
	CHECK(!m.is_valid && !m.have_sent_mac1);
}

static void
test_device_under_load(void)
{
	struct harness *h = harness_create(NULL, NULL);
	const struct wg_device_stats *s1 = h_stats(h, 1);
	uint8_t copy[148], tmp[148];
	struct wg_endpoint other;
	unsigned int i, n_ok, n_limited;

	/* get away from the checker's birth so that rotation is visible */
	h->now += 60 * WG_NSEC_PER_SEC;
	h->real += 60 * WG_NSEC_PER_SEC;
	h->side[1].under_load = true;

	/* no mac2: a cookie reply instead of a response */
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(s1->drops[WG_DROP_COOKIE_SENT] == 1);
	CHECK(s1->tx_cookies == 1 && s1->rx_initiations == 0);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 0);
	CHECK(h_stats(h, 0)->rx_cookies == 1);
	CHECK(wg_cookie_maker_has_cookie(&h->side[0].peer->cookie, h->now));

	/* the retransmission carries mac2 and passes */
	harness_run(h, WG_REKEY_TIMEOUT + WG_REKEY_TIMEOUT_JITTER_MAX);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	CHECK(!mac2_is_zero(h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148));
	CHECK(s1->rx_initiations == 1);
	CHECK(h_current(h, 0) != NULL && h_current(h, 1) != NULL);
	memcpy(copy, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);

	/* mac2 is bound to the source address and port */
	other = h_ep4("192.0.2.1", 9999);
	memcpy(tmp, copy, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &other, h->now,
				true) == WG_DROP_COOKIE_SENT);

	/* per-source token bucket: a burst of valid-mac2 initiations */
	n_ok = n_limited = 0;
	for (i = 0; i < 10; i++) {
		enum wg_drop_reason r;

		memcpy(tmp, copy, 148);
		r = wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				      h->now, true);
		if (r == WG_DROP_HANDSHAKE_REPLAY)
			n_ok++;
		else if (r == WG_DROP_RATELIMITED)
			n_limited++;
	}
	CHECK(n_ok >= 1 && n_ok <= WG_RATELIMIT_PACKETS_BURSTABLE);
	CHECK(n_limited == 10 - n_ok);
	CHECK(s1->drops[WG_DROP_RATELIMITED] == n_limited);
	/* not under load: no rate limiting, straight to Noise */
	for (i = 0; i < 10; i++) {
		memcpy(tmp, copy, 148);
		CHECK(wg_device_receive(h->side[1].dev, tmp, 148,
					&h->side[0].ep, h->now, false) ==
		      WG_DROP_HANDSHAKE_REPLAY);
	}
	harness_flush(h);

	/*
	 * 125 s after side 1's birth its secret rotates: side 0's cookie
	 * (60 s old, still within its 115 s) no longer gives a valid mac2,
	 * so another cookie reply comes back, and the retry then passes.
	 */
	h->now = H_START + 125 * WG_NSEC_PER_SEC;
	h->real = 1700000000ULL * WG_NSEC_PER_SEC + 125 * WG_NSEC_PER_SEC;
	CHECK(wg_cookie_maker_has_cookie(&h->side[0].peer->cookie, h->now));
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	CHECK(!mac2_is_zero(h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148));
	harness_pump(h);
	CHECK(s1->drops[WG_DROP_COOKIE_SENT] == 3);
	CHECK(h_stats(h, 0)->rx_cookies == 2);
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(s1->rx_initiations == 2);

	/* a response under load without mac2 is answered by a cookie too */
	h->side[0].under_load = true;
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	h->side[1].under_load = false;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 0)->drops[WG_DROP_COOKIE_SENT] == 1);
	CHECK(h_stats(h, 1)->rx_cookies == 1);
	harness_free(h);
}

static void
test_device_bad_macs(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t msg[148];
	struct wg_msg_cookie junk;

	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_flush(h);
	memcpy(msg, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	msg[120] ^= 1;
	CHECK(wg_device_receive(h->side[1].dev, msg, 148, &h->side[0].ep,
				h->now, false) == WG_DROP_MAC1);
	CHECK(wg_device_receive(h->side[1].dev, msg, 148, &h->side[0].ep,
				h->now, true) == WG_DROP_MAC1);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_COOKIE] == 0);
	CHECK(h_stats(h, 1)->drops[WG_DROP_MAC1] == 2);

	/* cookie replies for unknown indices or that do not decrypt */
	wg_random_bytes(&junk, sizeof(junk));
	wg_msg_header_set(&junk.header, WG_MSG_HANDSHAKE_COOKIE);
	CHECK(wg_device_receive(h->side[0].dev, (uint8_t *)&junk, 64,
				&h->side[1].ep, h->now, false) ==
	      WG_DROP_COOKIE_INVALID);
	wg_le32_store(junk.receiver_index,
		      h->side[0].peer->handshake.entry.index);
	CHECK(wg_device_receive(h->side[0].dev, (uint8_t *)&junk, 64,
				&h->side[1].ep, h->now, false) ==
	      WG_DROP_COOKIE_INVALID);
	CHECK(!h->side[0].peer->cookie.is_valid);
	harness_free(h);
}

int
main(void)
{
	if (wg_crypto_init() != 0)
		return EXIT_FAILURE;
	setup_endpoints();
	test_macs();
	test_cookie_reply();
	test_snapshot();
	test_rotation_and_expiry();
	test_device_under_load();
	test_device_bad_macs();
	TEST_MAIN_END();
}
