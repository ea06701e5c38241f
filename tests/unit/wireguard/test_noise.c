/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Noise_IKpsk2 handshake, sessions and keypairs: two in-process devices
 * joined by the harness network, plus known-answer vectors produced by an
 * independent implementation (Python: hashlib BLAKE2s/HMAC and the
 * `cryptography` X25519 and ChaCha20-Poly1305) from fixed keys.
 */

#include <errno.h>
#include <stdatomic.h>

#include "test.h"
#include "wg_harness.h"
#include "wireguard/noise.h"

/* Known-answer vectors (fixed static/ephemeral keys, psk 0x42..42). */
static const char kat_si[] =	/* initiator static private */
	"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
static const char kat_sr[] =	/* responder static private */
	"2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40";
static const char kat_ei[] =	/* initiator ephemeral private */
	"4142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60";
static const char kat_psk[] =
	"4242424242424242424242424242424242424242424242424242424242424242";
/* initiation: sender index 0x11223344, TAI64N 400000006553f10a07000000 */
static const char kat_init[] =
	"010000004433221164b101b1d0be5a8704bd078f9895001fc03e8e9f9522f188"
	"dd128d9846d48466158a0e4ca242d151ca97ab90159a98b67e616625e68b4065"
	"d357376b6598e644ad7d678c0295d22de4cb43d5135581ed36346bfa7cf42a12"
	"2639f89315e67f2b43de40f99f8e6be9135e1632d45237be41c55cffa3e7b390"
	"a525fe6500000000000000000000000000000000";
static const char kat_ts[] = "400000006553f10a07000000";
/* initiator's chaining key and hash after writing the initiation */
static const char kat_ck_init[] =
	"643693a7636a42b588f115bc0aae9a1db8432634b2e8d96ed67d308e74e132f5";
static const char kat_h_init[] =
	"353febbefe8c2cae0679c83d17454fd3e9376c67a1e075c774a33b1aa1ce1576";
/* response: sender 0x55667788, receiver 0x11223344, fixed responder ephemeral */
static const char kat_resp[] =
	"020000008877665544332211244fe3b963e899dd295baffce248d3530f3a9a74"
	"79ba063002680ebfe7adad49665296cfd05cb397f4fdbf5b7722261a8dff97e6"
	"5a4460a7205b5cfc2508f4cc00000000000000000000000000000000";
/* the initiator's transport keys */
static const char kat_t_send[] =
	"3ce0655cb8069d28ce917b424e0ae6720117ef2e9713083e3a5cc269312b512d";
static const char kat_t_recv[] =
	"58b9ed8477e328ce1eb67b8a7bfdb82d02bc208d199ff25a3e28384e124e6c75";
/* data, responder -> initiator, counter 7, inner 10.9.0.2 -> 10.9.0.1 */
static const char kat_data[] =
	"040000004433221107000000000000005332b35dfdabbe66251825a7940c3d06"
	"bb35a4104018410acd1ec87b6c91158e1bd0ef87338e18cd1e0cef073736ddf0";
static const char kat_inner[] =
	"4500002000000000401100000a0900020a0900015769726547756172642d4b41";

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static bool
handshake_zeroed(const struct wg_handshake *hs)
{
	return hs->state == WG_HANDSHAKE_ZEROED && hs->sec == NULL;
}

static void
test_handshake_and_data(void)
{
	uint8_t psk[32];
	struct harness *h;
	struct wg_keypair *k0, *k1;
	uint8_t pkt[H_MAX_PKT];
	unsigned int i;

	memset(psk, 0x5a, sizeof(psk));
	h = harness_create(psk, psk);

	/* no session yet: staged, and an initiation goes out */
	CHECK(harness_send(h, 0, 100, 1) == WG_OK);
	CHECK(h->side[0].peer->staged.len == 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_pump(h);
	CHECK(h->side[0].peer->staged.len == 0);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 1);
	CHECK(h->side[1].delivered == 1);
	h_ipv4(pkt, 100, h->side[0].inner_addr, h->side[1].inner_addr, 1);
	CHECK(h->side[1].last_inner_len == 100);
	CHECK_MEM(h->side[1].last_inner, pkt, 100);

	k0 = h_current(h, 0);
	k1 = h_current(h, 1);
	CHECK(k0 != NULL && k1 != NULL);
	if (k0 == NULL || k1 == NULL)
		goto out;
	CHECK(k0->is_initiator && !k1->is_initiator);
	CHECK_MEM(k0->sending_key, k1->receiving_key, 32);
	CHECK_MEM(k0->receiving_key, k1->sending_key, 32);
	CHECK(memcmp(k0->sending_key, k0->receiving_key, 32) != 0);
	CHECK(k0->remote_index == wg_keypair_local_index(k1));
	CHECK(k1->remote_index == wg_keypair_local_index(k0));
	CHECK(h->side[0].peer->last_handshake_real_ns == h->real);
	CHECK(h_stats(h, 0)->sessions == 1 && h_stats(h, 1)->sessions == 1);

	/* data both ways, all sizes up to the MTU */
	for (i = 0; i < 200; i++) {
		size_t len = 32 + (i * 37) % 1389;

		CHECK(harness_send(h, 0, len, 1000 + i) == WG_OK);
		CHECK(harness_send(h, 1, len, 2000 + i) == WG_OK);
		harness_pump(h);
		CHECK(h->side[1].last_inner_len == len);
		CHECK(h->side[0].last_inner_len == len);
	}
	CHECK(h->side[1].delivered == 201);
	CHECK(h->side[0].delivered == 200);
	h_ipv4(pkt, 32 + (199 * 37) % 1389, h->side[1].inner_addr,
	       h->side[0].inner_addr, 2199);
	CHECK_MEM(h->side[0].last_inner, pkt, h->side[0].last_inner_len);
	CHECK(h_stats(h, 0)->drops[WG_DROP_DECRYPT] == 0);
	CHECK(h_stats(h, 1)->drops[WG_DROP_REPLAY] == 0);
	CHECK(atomic_load(&h->side[0].peer->tx_bytes) > 0);
	CHECK(atomic_load(&h->side[1].peer->rx_bytes) > 0);
	/* still one session each: no rekey was due */
	CHECK(h_current(h, 0) == k0 && h_current(h, 1) == k1);
out:
	harness_free(h);
}

/* A full-MTU inner packet makes a ciphertext that is not a multiple of 16. */
static void
test_mtu_padding(void)
{
	struct harness *h = harness_create(NULL, NULL);

	CHECK(harness_handshake(h, 0));
	CHECK(wg_device_padded_len(h->side[0].dev, 0) == 0);
	CHECK(wg_device_padded_len(h->side[0].dev, 1) == 16);
	CHECK(wg_device_padded_len(h->side[0].dev, 1400) == 1408);
	CHECK(wg_device_padded_len(h->side[0].dev, 1419) == 1420);
	CHECK(wg_device_padded_len(h->side[0].dev, 1420) == 1420);
	CHECK(harness_send(h, 0, 1419, 9) == WG_OK);
	CHECK(h->side[0].last_len[WG_MSG_DATA] == 32 + 1420);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_OK);
	CHECK(h->side[1].last_inner_len == 1419);
	harness_free(h);
}

static void
test_key_confirmation(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct h_pkt *p = malloc(sizeof(*p));
	struct wg_keypair *next1;

	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	CHECK(h->side[0].peer->handshake.state ==
	      WG_HANDSHAKE_CREATED_INITIATION);
	CHECK(h->side[0].peer->handshake.sec != NULL &&
	      !all_zero(h->side[0].peer->handshake.sec->ephemeral_private,
			32));

	/* responder: the new keypair waits in next */
	CHECK(harness_pop(h, p) && harness_deliver(h, p) == WG_OK);
	next1 = h_next(h, 1);
	CHECK(next1 != NULL && h_current(h, 1) == NULL);
	CHECK(handshake_zeroed(&h->side[1].peer->handshake));

	/* the responder cannot send yet: staged, no crossing initiation */
	CHECK(harness_send(h, 1, 64, 77) == WG_OK);
	CHECK(h->side[1].peer->staged.len == 1);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_INITIATION] == 0);
	CHECK(h->side[1].sent[WG_MSG_DATA] == 0);

	/* initiator: current at once, confirms with a keepalive */
	CHECK(harness_pop(h, p) && harness_deliver(h, p) == WG_OK);
	CHECK(h_current(h, 0) != NULL && h_current(h, 0)->is_initiator);
	CHECK(handshake_zeroed(&h->side[0].peer->handshake));
	CHECK(h->side[0].sent[WG_MSG_DATA] == 1);
	CHECK(h_next(h, 1) == next1 && h_current(h, 1) == NULL);

	/* first data packet under next: next -> current, staged flushed */
	CHECK(harness_pop(h, p) && harness_deliver(h, p) == WG_OK);
	CHECK(h_current(h, 1) == next1 && h_next(h, 1) == NULL);
	CHECK(h_stats(h, 1)->rx_keepalives == 1);
	CHECK(h->side[1].peer->staged.len == 0);
	CHECK(h->side[1].sent[WG_MSG_DATA] == 1);
	harness_pump(h);
	CHECK(h->side[0].delivered == 1 && h->side[0].delivered_seq[0] == 77);

	/* a second handshake, now initiated by the responder */
	h->now += 6 * WG_NSEC_PER_SEC;
	h->real += 6 * WG_NSEC_PER_SEC;
	{
		struct wg_keypair *old0 = h_current(h, 0);

		CHECK(harness_handshake(h, 1));
		/* side 0 was responder: old current kept as previous */
		CHECK(h_previous(h, 0) == old0);
		CHECK(h_current(h, 0) != old0 && !h_current(h, 0)->is_initiator);
		CHECK(h_current(h, 1)->is_initiator);
		CHECK(h_previous(h, 1) == next1);
	}
	CHECK(harness_send(h, 0, 80, 5) == WG_OK);
	CHECK(harness_send(h, 1, 80, 6) == WG_OK);
	harness_pump(h);
	CHECK(h->side[1].delivered == 1 && h->side[0].delivered == 2);
	free(p);
	harness_free(h);
}

static void
test_psk(void)
{
	uint8_t a[32], b[32];
	struct harness *h;

	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));

	/* mismatch: the initiation passes, the response does not */
	h = harness_create(a, b);
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 1)->rx_initiations == 1);
	CHECK(h_stats(h, 0)->drops[WG_DROP_HANDSHAKE_INVALID] == 1);
	CHECK(h_current(h, 0) == NULL);
	CHECK(h_next(h, 1) != NULL && h_current(h, 1) == NULL);
	/* the forged-looking response did not disturb the pending state */
	CHECK(h->side[0].peer->handshake.state ==
	      WG_HANDSHAKE_CREATED_INITIATION);
	harness_free(h);

	/* psk on one side only */
	h = harness_create(a, NULL);
	CHECK(!harness_handshake(h, 0));
	CHECK(h_stats(h, 0)->drops[WG_DROP_HANDSHAKE_INVALID] == 1);
	harness_free(h);

	/* match, and changing it later breaks the next handshake only */
	h = harness_create(b, b);
	CHECK(harness_handshake(h, 0));
	wg_device_peer_set_preshared_key(h->side[1].dev, h->side[1].peer, a);
	h->now += 6 * WG_NSEC_PER_SEC;
	h->real += 6 * WG_NSEC_PER_SEC;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 0)->drops[WG_DROP_HANDSHAKE_INVALID] == 1);
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);	/* old session still works */
	harness_pump(h);
	CHECK(h->side[1].delivered == 1);
	harness_free(h);
}

static void
test_replayed_initiation(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t copy[148];
	struct wg_keypair *cur1;

	CHECK(harness_handshake(h, 0));
	memcpy(copy, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	cur1 = h_current(h, 1);

	h->now += WG_NSEC_PER_SEC;
	CHECK(wg_device_receive(h->side[1].dev, copy, 148, &h->side[0].ep,
				h->now, false) == WG_DROP_HANDSHAKE_REPLAY);
	CHECK(h_current(h, 1) == cur1 && h_next(h, 1) == NULL);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 1);
	/* also from another address: no roaming on a refused message */
	memcpy(copy, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	{
		struct wg_endpoint other = h_ep4("198.51.100.9", 4444);

		CHECK(wg_device_receive(h->side[1].dev, copy, 148, &other,
					h->now, false) ==
		      WG_DROP_HANDSHAKE_REPLAY);
		CHECK(wg_endpoint_equal(&h->side[1].peer->endpoint,
					&h->side[0].ep));
	}
	harness_free(h);
}

static void
test_initiation_flood(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t init1[148], init2[148], tmp[148];
	uint64_t t;

	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	memcpy(init1, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	harness_flush(h);
	/* rate limited: no second initiation within REKEY_TIMEOUT */
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	memcpy(init2, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	harness_flush(h);

	t = h->now + 100 * WG_NSEC_PER_SEC;
	memcpy(tmp, init1, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep, t,
				false) == WG_OK);
	/* newer timestamp but only 10 ms later: refused */
	memcpy(tmp, init2, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				t + 10 * WG_NSEC_PER_MSEC, false) ==
	      WG_DROP_HANDSHAKE_FLOOD);
	memcpy(tmp, init2, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				t + WG_HANDSHAKE_MIN_INTERVAL - 1, false) ==
	      WG_DROP_HANDSHAKE_FLOOD);
	memcpy(tmp, init2, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				t + WG_HANDSHAKE_MIN_INTERVAL, false) == WG_OK);
	/* and the older one is now a replay */
	memcpy(tmp, init1, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				t + WG_NSEC_PER_SEC, false) ==
	      WG_DROP_HANDSHAKE_REPLAY);
	CHECK(h_stats(h, 1)->rx_initiations == 2);
	harness_free(h);
}

static void
test_tai64n(void)
{
	uint8_t ts[12], a[12], b[12];
	uint8_t want[12] = {
		0x40, 0, 0, 0, 0x65, 0x53, 0xf1, 0x0a,	/* 2^62 + 10 + 1700000000 */
		0x07, 0x00, 0x00, 0x00,		/* 123456789 ns -> 7 * 2^24 */
	};
	uint64_t base = 1700000000ULL * WG_NSEC_PER_SEC;

	wg_noise_tai64n(ts, base + 123456789);
	CHECK_MEM(ts, want, 12);
	/* whitened: same value within one 2^24 ns step, larger after */
	wg_noise_tai64n(a, base + (1 << 24));
	wg_noise_tai64n(b, base + (1 << 25) - 1);
	CHECK_MEM(a, b, 12);
	wg_noise_tai64n(b, base + (1 << 25));
	CHECK(memcmp(b, a, 12) > 0);
	wg_noise_tai64n(b, base + 999999999);
	CHECK(b[8] == 0x3b && b[9] == 0x00 && b[10] == 0 && b[11] == 0);
}

/* Two initiations in the same 16.7 ms step carry equal timestamps. */
static void
test_same_timestamp_replay(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t init1[148], tmp[148];

	h->real = 1700000000ULL * WG_NSEC_PER_SEC;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	memcpy(init1, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	harness_flush(h);
	h->now += WG_REKEY_TIMEOUT;
	h->real += 1000;	/* wall clock barely moved */
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_flush(h);
	memcpy(tmp, init1, 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				h->now, false) == WG_OK);
	harness_flush(h);
	memcpy(tmp, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	CHECK(wg_device_receive(h->side[1].dev, tmp, 148, &h->side[0].ep,
				h->now + WG_NSEC_PER_SEC, false) ==
	      WG_DROP_HANDSHAKE_REPLAY);
	harness_free(h);
}

static void
test_wrong_static_key(void)
{
	struct harness *h;
	struct wg_peer_config cfg;
	struct wg_cookie_maker m;
	uint8_t priv[32], pub[32], msg[148];

	/* initiator believes in a wrong responder key: mac1 fails first */
	h = harness_create(NULL, NULL);
	wg_device_remove_peer(h->side[0].dev, h->side[0].peer);
	h_keypair(priv, pub);
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.public_key, pub, 32);
	cfg.endpoint = h->side[1].ep;
	CHECK(wg_device_add_peer(h->side[0].dev, &cfg, h->now,
				 &h->side[0].peer) == 0);
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 1)->drops[WG_DROP_MAC1] == 1);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 0);
	harness_free(h);

	/* responder does not know the initiator's static key */
	h = harness_create(NULL, NULL);
	wg_device_remove_peer(h->side[1].dev, h->side[1].peer);
	h->side[1].peer = NULL;
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 1)->drops[WG_DROP_HANDSHAKE_UNKNOWN_PEER] == 1);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 0);
	harness_free(h);

	/* responder changed its key: the initiation no longer matches */
	h = harness_create(NULL, NULL);
	h_keypair(priv, pub);
	wg_device_set_private_key(h->side[1].dev, priv, h->now);
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_pump(h);
	CHECK(h_stats(h, 1)->drops[WG_DROP_MAC1] == 1);
	harness_free(h);

	/* valid mac1 over a corrupted encrypted static: Noise refuses */
	h = harness_create(NULL, NULL);
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_flush(h);
	memcpy(msg, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	msg[50] ^= 1;
	wg_cookie_maker_init(&m);
	wg_cookie_add_macs(&m, h->side[1].pub, msg, sizeof(msg), h->now);
	CHECK(wg_device_receive(h->side[1].dev, msg, 148, &h->side[0].ep,
				h->now, false) == WG_DROP_HANDSHAKE_INVALID);
	/* a low-order (all zero) ephemeral: DH refused */
	memcpy(msg, h->side[0].last[WG_MSG_HANDSHAKE_INITIATION], 148);
	memset(msg + 8, 0, 32);
	wg_cookie_add_macs(&m, h->side[1].pub, msg, sizeof(msg), h->now);
	CHECK(wg_device_receive(h->side[1].dev, msg, 148, &h->side[0].ep,
				h->now, false) == WG_DROP_HANDSHAKE_INVALID);
	/* a peer cannot be ourselves */
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.public_key, h->side[0].pub, 32);
	CHECK(wg_device_add_peer(h->side[0].dev, &cfg, h->now, NULL) ==
	      -EINVAL);
	memcpy(cfg.public_key, h->side[1].pub, 32);
	CHECK(wg_device_add_peer(h->side[0].dev, &cfg, h->now, NULL) ==
	      -EEXIST);
	harness_free(h);
}

static void
test_keypair_expiry(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct h_pkt *p1 = malloc(sizeof(*p1)), *p2 = malloc(sizeof(*p2));
	struct wg_keypair *k0;
	uint64_t born;

	CHECK(harness_handshake(h, 0));
	k0 = h_current(h, 0);
	born = k0->birthdate;
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	CHECK(harness_send(h, 0, 64, 2) == WG_OK);
	CHECK(harness_pop(h, p1) && harness_pop(h, p2));

	h->now = born + WG_REJECT_AFTER_TIME - 1;
	CHECK(harness_deliver(h, p1) == WG_OK);
	h->now = born + WG_REJECT_AFTER_TIME;
	h->real += WG_REJECT_AFTER_TIME;
	CHECK(harness_deliver(h, p2) == WG_DROP_KEYPAIR_EXPIRED);
	CHECK(h->side[1].delivered == 1);

	/* the sender refuses the old keypair: staged, new handshake */
	CHECK(harness_send(h, 0, 64, 3) == WG_OK);
	CHECK(h->side[0].peer->staged.len == 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	CHECK(!atomic_load(&k0->sending_valid));
	harness_pump(h);
	CHECK(h->side[1].delivered == 2);
	CHECK(h_current(h, 0)->birthdate == h->now);
	free(p1);
	free(p2);
	harness_free(h);
}

static void
test_rekey_after_time(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_keypair *old0;
	uint64_t born;

	CHECK(harness_handshake(h, 0));
	old0 = h_current(h, 0);
	born = old0->birthdate;

	/* just before REKEY_AFTER_TIME: no rekey */
	h->now = born + WG_REKEY_AFTER_TIME - 1;
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_pump(h);

	/* the responder never rekeys by time on send */
	h->now = born + WG_REKEY_AFTER_TIME + WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_AFTER_TIME + WG_REKEY_TIMEOUT;
	CHECK(harness_send(h, 1, 64, 2) == WG_OK);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_INITIATION] == 0);
	harness_flush(h);

	/* the initiator sends under the old session and starts a rekey */
	CHECK(harness_send(h, 0, 64, 3) == WG_OK);
	CHECK(h->side[0].sent[WG_MSG_DATA] >= 2);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	harness_pump(h);
	CHECK(h_current(h, 0) != old0 && h_previous(h, 0) == old0);
	CHECK(h_current(h, 0)->birthdate == h->now);
	/* both directions use the new session */
	CHECK(harness_send(h, 0, 64, 4) == WG_OK);
	CHECK(harness_send(h, 1, 64, 5) == WG_OK);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_OK && h->side[0].last_rx == WG_OK);
	CHECK(h->side[0].delivered_seq[h->side[0].delivered - 1] == 5);
	harness_free(h);
}

static void
test_rekey_on_receive(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint64_t born;

	CHECK(harness_handshake(h, 0));
	born = h_current(h, 0)->birthdate;
	h->now = born + WG_REKEY_ON_RECEIVE_AGE - 1;
	CHECK(harness_send(h, 1, 64, 1) == WG_OK);
	harness_pump(h);
	CHECK(h->side[0].delivered == 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);

	h->now = born + WG_REKEY_ON_RECEIVE_AGE;
	h->real += WG_REKEY_ON_RECEIVE_AGE;
	CHECK(harness_send(h, 1, 64, 2) == WG_OK);
	harness_pump(h);
	CHECK(h->side[0].delivered == 2);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	CHECK(h_current(h, 0)->birthdate == h->now);
	/* the completed handshake re-armed the last-minute rekey */
	CHECK(h->side[0].peer->timers.sent_lastminute_handshake == false);
	harness_free(h);
}

static void
test_counter_exhaustion(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_keypair *k0, *k1;

	CHECK(harness_handshake(h, 0));
	k0 = h_current(h, 0);
	k1 = h_current(h, 1);

	/* REKEY_AFTER_MESSAGES: still sends, asks for a new handshake */
	atomic_store(&k0->sending_counter, WG_REKEY_AFTER_MESSAGES + 1);
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	harness_flush(h);

	/* the last usable nonce goes out and is accepted */
	atomic_store(&k0->sending_counter, WG_REJECT_AFTER_MESSAGES - 1);
	CHECK(harness_send(h, 0, 64, 2) == WG_OK);
	CHECK(wg_le64_load(h->side[0].last[WG_MSG_DATA] + 8) ==
	      WG_REJECT_AFTER_MESSAGES - 1);
	harness_pump(h);
	CHECK(h->side[1].delivered == 1);
	/* the receiver's window is now exhausted too */
	CHECK(!wg_keypair_can_receive(k1, h->now));

	/* no nonce left: staged, handshake started */
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_send(h, 0, 64, 3) == WG_OK);
	CHECK(h->side[0].peer->staged.len == 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 3);
	CHECK(atomic_load(&k0->sending_counter) == WG_REJECT_AFTER_MESSAGES);
	CHECK(harness_send(h, 0, 64, 4) == WG_OK);
	CHECK(h->side[0].peer->staged.len == 2);
	harness_pump(h);
	CHECK(h->side[1].delivered == 3);
	CHECK(h->side[1].delivered_seq[1] == 3 && h->side[1].delivered_seq[2] == 4);
	CHECK(h_current(h, 0) != k0);
	harness_free(h);
}

static void
test_zero_key_material(void)
{
	struct harness *h = harness_create(NULL, NULL);
	size_t n0;

	CHECK(harness_handshake(h, 0));
	n0 = wg_index_table_count(h->side[0].dev->index_table);
	CHECK(n0 == 1);
	/* no traffic at all for 3 * REJECT_AFTER_TIME: every key goes */
	harness_run(h, 3 * WG_REJECT_AFTER_TIME + WG_NSEC_PER_SEC);
	CHECK(h_current(h, 0) == NULL && h_previous(h, 0) == NULL &&
	      h_next(h, 0) == NULL);
	CHECK(h_current(h, 1) == NULL);
	CHECK(wg_index_table_count(h->side[0].dev->index_table) == 0);
	CHECK(wg_index_table_count(h->side[1].dev->index_table) == 0);
	CHECK(handshake_zeroed(&h->side[0].peer->handshake));
	CHECK(h->side[0].retired == 1 && h->side[1].retired == 1);
	harness_free(h);
}

/* Replaces both sides' keys with the known-answer keys. */
static void
kat_setup(struct harness *h, const uint8_t *psk)
{
	int i;

	test_unhex(kat_si, h->side[0].priv, 32);
	test_unhex(kat_sr, h->side[1].priv, 32);
	for (i = 0; i < 2; i++) {
		wg_device_remove_peer(h->side[i].dev, h->side[i].peer);
		wg_device_set_private_key(h->side[i].dev, h->side[i].priv, h->now);
		wg_device_get_public_key(h->side[i].dev, h->side[i].pub);
	}
	h_add_peer(h, 0, 1, psk, 0);
	h_add_peer(h, 1, 0, psk, 0);
}

static void
test_known_answer(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t psk[32], buf[148], ts[12], key[32], inner[32];
	struct wg_cookie_maker m;
	struct wg_handshake *hs;
	struct wg_keypair *kp;

	test_unhex(kat_psk, psk, 32);
	kat_setup(h, psk);

	/* responder side: consume the reference initiation */
	CHECK(test_unhex(kat_init, buf, 148) == 148);
	CHECK(wg_device_receive(h->side[1].dev, buf, 148, &h->side[0].ep,
				h->now, false) == WG_OK);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_RESPONSE] == 1);
	test_unhex(kat_ts, ts, 12);
	CHECK_MEM(h->side[1].peer->handshake.latest_timestamp, ts, 12);
	kp = h_next(h, 1);
	CHECK(kp != NULL && kp->remote_index == 0x11223344);
	harness_flush(h);

	/* initiator side: force the reference ephemeral into the state */
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	harness_flush(h);
	hs = &h->side[0].peer->handshake;
	test_unhex(kat_ei, hs->sec->ephemeral_private, 32);
	test_unhex(kat_ck_init, hs->sec->chaining_key, 32);
	test_unhex(kat_h_init, hs->sec->hash, 32);
	CHECK(test_unhex(kat_resp, buf, 92) == 92);
	/* our index is random: patch it and redo mac1 (keyed by our key) */
	wg_le32_store(buf + 8, hs->entry.index);
	wg_cookie_maker_init(&m);
	wg_cookie_add_macs(&m, h->side[0].pub, buf, 92, h->now);
	CHECK(wg_device_receive(h->side[0].dev, buf, 92, &h->side[1].ep,
				h->now, false) == WG_OK);
	kp = h_current(h, 0);
	CHECK(kp != NULL);
	if (kp == NULL)
		goto out;
	CHECK(kp->remote_index == 0x55667788);
	test_unhex(kat_t_send, key, 32);
	CHECK_MEM(kp->sending_key, key, 32);
	test_unhex(kat_t_recv, key, 32);
	CHECK_MEM(kp->receiving_key, key, 32);
	harness_flush(h);

	/* the reference responder's data packet decrypts */
	CHECK(test_unhex(kat_data, buf, 64) == 64);
	wg_le32_store(buf + 4, wg_keypair_local_index(kp));
	CHECK(wg_device_receive(h->side[0].dev, buf, 64, &h->side[1].ep,
				h->now, false) == WG_OK);
	test_unhex(kat_inner, inner, 32);
	CHECK(h->side[0].delivered == 1 && h->side[0].last_inner_len == 32);
	CHECK_MEM(h->side[0].last_inner, inner, 32);
out:
	harness_free(h);
}

static void
test_private_key_change(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint8_t priv[32], pub[32];
	struct wg_keypair *k0;

	CHECK(harness_handshake(h, 0));
	k0 = h_current(h, 0);
	/* same key again: nothing changes */
	wg_device_set_private_key(h->side[0].dev, h->side[0].priv, h->now);
	CHECK(atomic_load(&k0->sending_valid));
	/* new key: sessions stop sending, peers' static-static recomputed */
	h_keypair(priv, pub);
	wg_device_set_private_key(h->side[0].dev, priv, h->now);
	CHECK(!atomic_load(&k0->sending_valid));
	/* a peer carrying our new public key is removed */
	CHECK(wg_device_lookup_peer(h->side[0].dev, h->side[1].pub) != NULL);
	wg_device_set_private_key(h->side[0].dev, h->side[1].priv, h->now);
	CHECK(wg_device_lookup_peer(h->side[0].dev, h->side[1].pub) == NULL);
	CHECK(wg_device_peer_count(h->side[0].dev) == 0);
	/* no identity: handshakes refused before any work */
	memset(priv, 0, sizeof(priv));
	wg_device_set_private_key(h->side[1].dev, priv, h->now);
	CHECK(!wg_device_get_public_key(h->side[1].dev, pub));
	h->side[0].peer = NULL;
	harness_free(h);
}

/*
 * A standalone initiator (no device, no struct wg_peer: what a traffic
 * generator uses) against a device responder, through
 * wg_noise_handshake_consume_response_direct() and
 * wg_noise_handshake_derive_keys().
 */
static void
test_direct_initiator(void)
{
	uint8_t psk[32], send_key[32], recv_key[32], pkt[H_MAX_PKT];
	uint8_t msg[WG_DATA_LEN(64)];
	struct harness *h;
	struct wg_static_identity si;
	struct wg_handshake hs;
	struct wg_cookie_maker m;
	struct wg_msg_initiation init;
	struct wg_msg_response resp, bad;
	struct wg_index_table *t;
	struct wg_keypair *k1;
	struct h_pkt *p = malloc(sizeof(*p));
	uint32_t remote_index = 0, our_index;
	bool initiator = false;

	memset(psk, 0x33, sizeof(psk));
	h = harness_create(psk, psk);
	t = wg_index_table_create();
	if (p == NULL || t == NULL)
		abort();
	memset(&si, 0, sizeof(si));
	wg_noise_set_private_key(&si, h->side[0].priv);
	CHECK(si.has_identity);
	wg_noise_handshake_init(&hs, &si, h->side[1].pub, psk, NULL);
	wg_cookie_maker_init(&m);

	/* nothing to derive before a response */
	CHECK(!wg_noise_handshake_derive_keys(&hs, send_key, recv_key,
					      &remote_index, &initiator));
	CHECK(wg_noise_handshake_create_initiation(&init, &hs, t, h->real));
	wg_cookie_add_macs(&m, h->side[1].pub, (uint8_t *)&init, sizeof(init),
			   h->now);
	our_index = hs.entry.index;
	CHECK(wg_le32_load(init.sender_index) == our_index);
	CHECK(wg_device_receive(h->side[1].dev, (uint8_t *)&init, sizeof(init),
				&h->side[0].ep, h->now, false) == WG_OK);
	CHECK(harness_pop(h, p) && p->len == sizeof(resp));
	memcpy(&resp, p->buf, sizeof(resp));
	CHECK(wg_message_type(p->buf, p->len) == WG_MSG_HANDSHAKE_RESPONSE);

	/* refused: another receiver index, a forged byte; state kept */
	bad = resp;
	wg_le32_store(bad.receiver_index, our_index ^ 1);
	CHECK(wg_noise_handshake_consume_response_direct(&hs, &bad) ==
	      WG_NOISE_UNKNOWN_INDEX);
	bad = resp;
	bad.encrypted_nothing[3] ^= 0x80;
	CHECK(wg_noise_handshake_consume_response_direct(&hs, &bad) ==
	      WG_NOISE_DECRYPT);
	CHECK(hs.state == WG_HANDSHAKE_CREATED_INITIATION);

	CHECK(wg_noise_handshake_consume_response_direct(&hs, &resp) ==
	      WG_NOISE_OK);
	CHECK(hs.state == WG_HANDSHAKE_CONSUMED_RESPONSE);
	/* a second time: wrong state */
	CHECK(wg_noise_handshake_consume_response_direct(&hs, &resp) ==
	      WG_NOISE_BAD_STATE);
	CHECK(wg_noise_handshake_derive_keys(&hs, send_key, recv_key,
					     &remote_index, &initiator));
	CHECK(initiator);
	CHECK(handshake_zeroed(&hs));
	/* the index stays in the table: it names the session */
	CHECK(hs.entry.index == our_index);
	CHECK(wg_index_table_lookup(t, our_index, WG_INDEX_HANDSHAKE) ==
	      &hs.entry);

	/* the responder's pending keypair holds the same keys */
	k1 = h_next(h, 1);
	CHECK(k1 != NULL);
	if (k1 == NULL)
		goto out;
	CHECK_MEM(k1->receiving_key, send_key, 32);
	CHECK_MEM(k1->sending_key, recv_key, 32);
	CHECK(k1->remote_index == our_index);
	CHECK(wg_keypair_local_index(k1) == remote_index);

	/* a data packet under the derived keys is accepted (and confirms) */
	h_ipv4(pkt, 64, h->side[0].inner_addr, h->side[1].inner_addr, 7);
	memset(msg, 0, sizeof(msg));
	wg_msg_header_set((struct wg_msg_header *)msg, WG_MSG_DATA);
	wg_le32_store(msg + 4, remote_index);
	wg_le64_store(msg + 8, 0);
	wg_aead_encrypt(msg + WG_DATA_HEADER_LEN, pkt, 64, NULL, 0, 0,
			send_key);
	CHECK(wg_device_receive(h->side[1].dev, msg, sizeof(msg),
				&h->side[0].ep, h->now, false) == WG_OK);
	CHECK(h->side[1].delivered == 1 && h->side[1].last_inner_len == 64);
	CHECK(h_current(h, 1) == k1);
	wg_noise_handshake_clear(&hs, t);
	CHECK(wg_index_table_count(t) == 0);
out:
	wg_noise_handshake_wipe(&hs, t);
	wg_noise_static_identity_wipe(&si);
	wg_index_table_free(t);
	free(p);
	harness_free(h);
}

/* The standalone initiator reproduces the known-answer transport keys. */
static void
test_direct_initiator_known_answer(void)
{
	uint8_t priv[32], resp_priv[32], resp_pub[32], psk[32];
	uint8_t send_key[32], recv_key[32], key[32];
	struct wg_static_identity si;
	struct wg_msg_initiation init;
	struct wg_msg_response resp;
	struct wg_index_table *t = wg_index_table_create();
	struct wg_handshake hs;
	uint32_t remote_index = 0;
	bool initiator = false;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	test_unhex(kat_si, priv, 32);
	test_unhex(kat_sr, resp_priv, 32);
	test_unhex(kat_psk, psk, 32);
	CHECK(wg_x25519_public(resp_pub, resp_priv));
	memset(&si, 0, sizeof(si));
	wg_noise_set_private_key(&si, priv);
	wg_noise_handshake_init(&hs, &si, resp_pub, psk, NULL);
	CHECK(wg_noise_handshake_create_initiation(&init, &hs, t, H_START));
	/* the reference ephemeral and the state after the reference initiation */
	test_unhex(kat_ei, hs.sec->ephemeral_private, 32);
	test_unhex(kat_ck_init, hs.sec->chaining_key, 32);
	test_unhex(kat_h_init, hs.sec->hash, 32);
	CHECK(test_unhex(kat_resp, (uint8_t *)&resp, 92) == 92);
	wg_le32_store(resp.receiver_index, hs.entry.index);
	CHECK(wg_noise_handshake_consume_response_direct(&hs, &resp) ==
	      WG_NOISE_OK);
	CHECK(wg_noise_handshake_derive_keys(&hs, send_key, recv_key,
					     &remote_index, &initiator));
	CHECK(initiator && remote_index == 0x55667788);
	test_unhex(kat_t_send, key, 32);
	CHECK_MEM(send_key, key, 32);
	test_unhex(kat_t_recv, key, 32);
	CHECK_MEM(recv_key, key, 32);
	wg_noise_handshake_wipe(&hs, t);
	wg_noise_static_identity_wipe(&si);
	wg_index_table_free(t);
}

int
main(void)
{
	test_handshake_and_data();
	test_mtu_padding();
	test_key_confirmation();
	test_psk();
	test_replayed_initiation();
	test_initiation_flood();
	test_tai64n();
	test_same_timestamp_replay();
	test_wrong_static_key();
	test_keypair_expiry();
	test_rekey_after_time();
	test_rekey_on_receive();
	test_counter_exhaustion();
	test_zero_key_material();
	test_known_answer();
	test_private_key_change();
	test_direct_initiator();
	test_direct_initiator_known_answer();
	TEST_MAIN_END();
}
