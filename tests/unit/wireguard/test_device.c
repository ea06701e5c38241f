/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The device API: data-path checks, staging, timers driven through
 * wg_device_timers() with a fake clock, hooks, the split data path and
 * the peer/index tables at scale.
 */

#include <errno.h>
#include <time.h>

#include "test.h"
#include "wg_harness.h"

static void
test_allowedips_source(void)
{
	struct harness *h = harness_create(NULL, NULL);
	static const uint8_t spoof[4] = { 10, 9, 0, 99 };
	static const uint8_t third[4] = { 10, 9, 0, 3 };
	struct wg_allowed_ip aip;
	struct wg_peer_config cfg;
	uint8_t pkt[128];

	CHECK(harness_handshake(h, 0));

	/* routed by destination, refused by source at the receiver */
	h_ipv4(pkt, 100, spoof, h->side[1].inner_addr, 1);
	CHECK(wg_device_send(h->side[0].dev, pkt, 100, h->now) == WG_OK);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_ALLOWEDIPS_SRC);
	CHECK(h->side[1].delivered == 0);

	/* a source that belongs to another peer is refused as well */
	memset(&cfg, 0, sizeof(cfg));
	wg_random_bytes(cfg.public_key, 32);
	aip = h_aip4(third, 32);
	cfg.allowed_ips = &aip;
	cfg.n_allowed_ips = 1;
	CHECK(wg_device_add_peer(h->side[1].dev, &cfg, h->now, NULL) == 0);
	h_ipv4(pkt, 100, third, h->side[1].inner_addr, 2);
	CHECK(wg_device_send(h->side[0].dev, pkt, 100, h->now) == WG_OK);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_ALLOWEDIPS_SRC);
	CHECK(h_stats(h, 1)->drops[WG_DROP_ALLOWEDIPS_SRC] == 2);

	/* once allowed, accepted */
	aip = h_aip4(spoof, 32);
	CHECK(wg_device_peer_add_allowed_ip(h->side[1].dev, h->side[1].peer,
					    &aip) == 0);
	h_ipv4(pkt, 100, spoof, h->side[1].inner_addr, 3);
	CHECK(wg_device_send(h->side[0].dev, pkt, 100, h->now) == WG_OK);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_OK && h->side[1].delivered == 1);

	/* IPv6 */
	{
		struct wg_allowed_ip a6;
		uint8_t p6[80];

		memset(&a6, 0, sizeof(a6));
		a6.family = AF_INET6;
		a6.cidr = 128;
		inet_pton(AF_INET6, "fd00::1", a6.addr);
		CHECK(wg_device_peer_add_allowed_ip(h->side[1].dev,
						    h->side[1].peer, &a6) == 0);
		inet_pton(AF_INET6, "fd00::2", a6.addr);
		CHECK(wg_device_peer_add_allowed_ip(h->side[0].dev,
						    h->side[0].peer, &a6) == 0);
		memset(p6, 0, sizeof(p6));
		p6[0] = 0x60;
		p6[5] = 40;		/* payload length */
		p6[6] = 17;
		inet_pton(AF_INET6, "fd00::1", p6 + 8);
		inet_pton(AF_INET6, "fd00::2", p6 + 24);
		CHECK(wg_device_send(h->side[0].dev, p6, 80, h->now) == WG_OK);
		harness_pump(h);
		CHECK(h->side[1].last_rx == WG_OK);
		CHECK(h->side[1].last_inner_len == 80);
		inet_pton(AF_INET6, "fd00::5", p6 + 8);
		CHECK(wg_device_send(h->side[0].dev, p6, 80, h->now) == WG_OK);
		harness_pump(h);
		CHECK(h->side[1].last_rx == WG_DROP_ALLOWEDIPS_SRC);
	}

	/* sending side: no route, not IP */
	{
		static const uint8_t nowhere[4] = { 172, 16, 0, 1 };

		h_ipv4(pkt, 64, h->side[0].inner_addr, nowhere, 4);
		CHECK(wg_device_send(h->side[0].dev, pkt, 64, h->now) ==
		      WG_DROP_NO_ROUTE);
		pkt[0] = 0x55;
		CHECK(wg_device_send(h->side[0].dev, pkt, 64, h->now) ==
		      WG_DROP_INNER_HEADER);
		CHECK(wg_device_send(h->side[0].dev, pkt, 10, h->now) ==
		      WG_DROP_INNER_HEADER);
	}
	harness_free(h);
}

static void
test_inner_header(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_peer *p0;
	uint8_t pkt[128];

	CHECK(harness_handshake(h, 0));
	p0 = h->side[0].peer;

	/* neither IPv4 nor IPv6 */
	h_ipv4(pkt, 64, h->side[0].inner_addr, h->side[1].inner_addr, 1);
	pkt[0] = 0x55;
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 64, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_INNER_HEADER);
	/* IPv4 claiming more than it carries, or less than a header */
	h_ipv4(pkt, 64, h->side[0].inner_addr, h->side[1].inner_addr, 2);
	pkt[3] = 100;
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 64, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_INNER_HEADER);
	pkt[3] = 19;
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 64, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_INNER_HEADER);
	/* shorter than an IPv4 header / IPv6 header */
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 12, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_INNER_HEADER);
	/* IPv6 claiming more payload than it carries */
	pkt[0] = 0x60;
	pkt[4] = 0;
	pkt[5] = 25;
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 64, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_DROP_INNER_HEADER);
	CHECK(h->side[1].delivered == 0);
	/* trailing bytes after the IPv4 total length are trimmed */
	h_ipv4(pkt, 64, h->side[0].inner_addr, h->side[1].inner_addr, 3);
	pkt[3] = 40;
	wg_device_send_to_peer(h->side[0].dev, p0, pkt, 64, h->now);
	harness_pump(h);
	CHECK(h->side[1].last_rx == WG_OK && h->side[1].last_inner_len == 40);
	CHECK(h_stats(h, 1)->drops[WG_DROP_INNER_HEADER] == 5);
	/* too big for IP */
	CHECK(wg_device_send_to_peer(h->side[0].dev, p0, pkt, 65536,
				     h->now) == WG_DROP_TOO_BIG);
	harness_free(h);
}

static void
test_unknown_index_and_tampering(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct h_pkt *p = malloc(sizeof(*p));
	uint8_t orig[H_MAX_PKT], buf[H_MAX_PKT];
	const struct wg_device_stats *s1 = h_stats(h, 1);
	struct wg_endpoint *src = &h->side[0].ep;
	struct wg_device *d1;
	size_t len;

	CHECK(harness_handshake(h, 0));
	d1 = h->side[1].dev;
	CHECK(harness_send(h, 0, 200, 1) == WG_OK);
	CHECK(harness_pop(h, p));
	len = p->len;
	memcpy(orig, p->buf, len);

	memcpy(buf, orig, len);
	wg_le32_store(buf + 4, wg_le32_load(buf + 4) ^ 0x5a5a5a5a);
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_UNKNOWN_INDEX);
	memcpy(buf, orig, len);
	buf[40] ^= 1;				/* ciphertext */
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_DECRYPT);
	memcpy(buf, orig, len);
	buf[len - 1] ^= 0x80;			/* tag */
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_DECRYPT);
	memcpy(buf, orig, len);
	buf[8] ^= 1;				/* counter = nonce */
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_DECRYPT);
	memcpy(buf, orig, len);
	CHECK(wg_device_receive(d1, buf, len - 1, src, h->now, false) ==
	      WG_DROP_DECRYPT);
	CHECK(wg_device_receive(d1, buf, 31, src, h->now, false) ==
	      WG_DROP_BAD_MESSAGE);
	buf[1] = 1;				/* reserved byte */
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_BAD_MESSAGE);
	CHECK(h->side[1].delivered == 0);
	/* replay only after authentication: the tampered ones left no mark */
	memcpy(buf, orig, len);
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) == WG_OK);
	memcpy(buf, orig, len);
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_REPLAY);
	CHECK(s1->drops[WG_DROP_UNKNOWN_INDEX] == 1);
	CHECK(s1->drops[WG_DROP_DECRYPT] == 4);
	CHECK(s1->drops[WG_DROP_REPLAY] == 1);
	CHECK(s1->drops[WG_DROP_BAD_MESSAGE] == 2);
	CHECK(h->side[1].delivered == 1);

	/* a packet under the previous session still decrypts after a rekey */
	CHECK(harness_send(h, 0, 100, 2) == WG_OK);
	CHECK(harness_pop(h, p));
	memcpy(orig, p->buf, p->len);
	len = p->len;
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_handshake(h, 1));
	memcpy(buf, orig, len);
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) == WG_OK);
	/* two rekeys later that session is gone */
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_handshake(h, 1));
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_handshake(h, 1));
	memcpy(buf, orig, len);
	wg_le64_store(buf + 8, 100);
	CHECK(wg_device_receive(d1, buf, len, src, h->now, false) ==
	      WG_DROP_UNKNOWN_INDEX);
	free(p);
	harness_free(h);
}

static void
test_roaming(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct h_pkt *p = malloc(sizeof(*p));
	struct wg_endpoint roam = h_ep4("198.51.100.1", 7777);
	struct wg_endpoint evil = h_ep4("198.51.100.66", 6666);
	uint8_t buf[H_MAX_PKT];

	CHECK(harness_handshake(h, 0));
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	CHECK(harness_pop(h, p));
	/* a forged copy from elsewhere changes nothing */
	memcpy(buf, p->buf, p->len);
	buf[20] ^= 1;
	CHECK(wg_device_receive(h->side[1].dev, buf, p->len, &evil, h->now,
				false) == WG_DROP_DECRYPT);
	CHECK(wg_endpoint_equal(&h->side[1].peer->endpoint, &h->side[0].ep));
	/* the authentic one from a new address moves the endpoint */
	CHECK(wg_device_receive(h->side[1].dev, p->buf, p->len, &roam, h->now,
				false) == WG_OK);
	CHECK(wg_endpoint_equal(&h->side[1].peer->endpoint, &roam));
	/* and a replay from yet another address does not */
	CHECK(harness_send(h, 0, 64, 2) == WG_OK);
	CHECK(harness_pop(h, p));
	memcpy(buf, p->buf, p->len);
	CHECK(wg_device_receive(h->side[1].dev, p->buf, p->len, &roam, h->now,
				false) == WG_OK);
	CHECK(wg_device_receive(h->side[1].dev, buf, p->len, &evil, h->now,
				false) == WG_DROP_REPLAY);
	CHECK(wg_endpoint_equal(&h->side[1].peer->endpoint, &roam));
	free(p);
	harness_free(h);
}

static void
test_staging(void)
{
	struct harness *h = harness_create(NULL, NULL);
	unsigned int i, bad = 0;

	h->side[1].blackhole = true;
	for (i = 0; i < 200; i++)
		CHECK(harness_send(h, 0, 64, i) == WG_OK);
	CHECK(h->side[0].peer->staged.len == WG_MAX_QUEUED_PACKETS);
	CHECK(h_stats(h, 0)->drops[WG_DROP_STAGED_OVERFLOW] == 72);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_pump(h);

	/* the retransmission gets through; the queue drains in order */
	h->side[1].blackhole = false;
	harness_run(h, WG_REKEY_TIMEOUT + WG_REKEY_TIMEOUT_JITTER_MAX);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	CHECK(h->side[0].peer->staged.len == 0);
	CHECK(h->side[1].delivered == WG_MAX_QUEUED_PACKETS);
	for (i = 0; i < WG_MAX_QUEUED_PACKETS; i++)
		if (h->side[1].delivered_seq[i] != 72 + i)
			bad++;
	CHECK(bad == 0);

	/* no endpoint: data is dropped, not staged */
	{
		struct wg_endpoint none;

		memset(&none, 0, sizeof(none));
		h->side[0].peer->endpoint = none;
		CHECK(harness_send(h, 0, 64, 1) == WG_DROP_NO_ENDPOINT);
	}
	harness_free(h);
}

static void
test_retransmit_and_give_up(void)
{
	struct harness *h = harness_create(NULL, NULL);
	uint64_t start = h->now;

	h->side[1].blackhole = true;
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	harness_run(h, 200 * WG_NSEC_PER_SEC);
	/* Linux: MAX_TIMER_HANDSHAKES + 2 = 20 initiations, then give up */
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] ==
	      WG_MAX_TIMER_HANDSHAKES + 2);
	CHECK(h->side[0].peer->staged.len == 0);
	CHECK(h_stats(h, 0)->drops[WG_DROP_STAGED_PURGED] == 1);
	/* nothing more, then the residue is zeroed 540 s after giving up */
	harness_run(h, 400 * WG_NSEC_PER_SEC);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] ==
	      WG_MAX_TIMER_HANDSHAKES + 2);
	CHECK(h->side[0].peer->handshake.state == WG_HANDSHAKE_CREATED_INITIATION);
	harness_run(h, start + 200 * WG_NSEC_PER_SEC + 3 * WG_REJECT_AFTER_TIME -
		    h->now);
	CHECK(h->side[0].peer->handshake.state == WG_HANDSHAKE_ZEROED);
	CHECK(wg_index_table_count(h->side[0].dev->index_table) == 0);
	CHECK(wg_device_next_deadline(h->side[0].dev) <=
	      h->now + WG_NSEC_PER_SEC);
	harness_free(h);
}

static void
test_keepalive_timers(void)
{
	struct harness *h = harness_create(NULL, NULL);

	CHECK(harness_handshake(h, 0));
	CHECK(h_stats(h, 1)->rx_keepalives == 1);
	/* side 1 receives data and has nothing to say: keepalive at 10 s */
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	harness_run(h, WG_KEEPALIVE_TIMEOUT - 1);
	CHECK(h_stats(h, 1)->tx_keepalives == 0);
	harness_run(h, 1);
	CHECK(h_stats(h, 1)->tx_keepalives == 1);
	CHECK(h_stats(h, 0)->rx_keepalives == 1);
	/* a reply in time suppresses it */
	CHECK(harness_send(h, 0, 64, 2) == WG_OK);
	harness_run(h, WG_NSEC_PER_SEC);
	CHECK(harness_send(h, 1, 64, 3) == WG_OK);
	harness_run(h, 20 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 1)->tx_keepalives == 1);
	/* side 0 got data and said nothing: it sent one keepalive */
	CHECK(h_stats(h, 0)->tx_keepalives == 2);
	harness_free(h);
}

static void
test_new_handshake_timer(void)
{
	struct harness *h = harness_create(NULL, NULL);

	CHECK(harness_handshake(h, 0));
	h->side[1].blackhole = true;
	CHECK(harness_send(h, 0, 64, 1) == WG_OK);
	/* sent data, heard nothing for KEEPALIVE + REKEY_TIMEOUT: rekey */
	harness_run(h, WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT - 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_run(h, WG_REKEY_TIMEOUT_JITTER_MAX + 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 2);
	harness_free(h);
}

static void
test_persistent_keepalive(void)
{
	struct harness *h = harness_create(NULL, NULL);

	/* turning it on sends at once: no session, so a handshake */
	wg_device_peer_set_persistent_keepalive(h->side[0].dev,
						h->side[0].peer, 25, h->now);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_pump(h);
	CHECK(h_current(h, 0) != NULL && h_current(h, 1) != NULL);
	CHECK(h_stats(h, 0)->tx_keepalives == 1);
	harness_run(h, 24 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 0)->tx_keepalives == 1);
	harness_run(h, 2 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 0)->tx_keepalives == 2);
	harness_run(h, 25 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 0)->tx_keepalives == 3);
	CHECK(h_stats(h, 1)->rx_keepalives == 3);
	CHECK(wg_peer_persistent_keepalive(h->side[0].peer) == 25);
	wg_device_peer_set_persistent_keepalive(h->side[0].dev,
						h->side[0].peer, 0, h->now);
	harness_run(h, 60 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 0)->tx_keepalives == 3);
	harness_free(h);

	/* configured at creation */
	h = harness_create(NULL, NULL);
	wg_device_remove_peer(h->side[0].dev, h->side[0].peer);
	CHECK(h_add_peer(h, 0, 1, NULL, 10) != NULL);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == 1);
	harness_run(h, 35 * WG_NSEC_PER_SEC);
	CHECK(h_stats(h, 1)->rx_keepalives == 4);
	harness_free(h);
}

/* --- hooks, opaque staging, the split data path --- */

struct hook_ctx {
	struct harness *h;
	unsigned int kp_new, kp_retired, peers_retired, staged_freed;
	struct wg_keypair *retired[16];
};

static struct hook_ctx hooks;

static void
hk_new(void *ctx, struct wg_keypair *kp)
{
	(void)ctx;
	(void)kp;
	hooks.kp_new++;
}

static void
hk_retire(void *ctx, struct wg_keypair *kp)
{
	(void)ctx;
	/* deferred: freed later, as an RCU user would */
	if (hooks.kp_retired < 16)
		hooks.retired[hooks.kp_retired] = kp;
	else
		wg_keypair_free(kp);
	hooks.kp_retired++;
}

static void
hk_peer_retire(void *ctx, struct wg_peer *peer)
{
	(void)ctx;
	hooks.peers_retired++;
	wg_peer_free(peer);
}

static void
hk_staged_free(void *ctx, void *opaque)
{
	(void)ctx;
	hooks.staged_freed++;
	free(opaque);
}

static void
test_hooks_and_opaque_staging(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_device *d0 = h->side[0].dev;
	unsigned int i;

	memset(&hooks, 0, sizeof(hooks));
	d0->ops.keypair_new = hk_new;
	d0->ops.keypair_retire = hk_retire;
	d0->ops.peer_retire = hk_peer_retire;
	d0->ops.staged_free = hk_staged_free;

	h->side[1].blackhole = true;
	for (i = 0; i < WG_MAX_QUEUED_PACKETS + 2; i++) {
		uint8_t *m = malloc(64);

		h_ipv4(m, 64, h->side[0].inner_addr, h->side[1].inner_addr, i);
		CHECK(wg_device_stage_packet(d0, h->side[0].peer, m, m, 64,
					     h->now) == WG_OK);
	}
	CHECK(hooks.staged_freed == 2);
	harness_flush(h);
	h->side[1].blackhole = false;
	h->now += WG_REKEY_TIMEOUT;
	h->real += WG_REKEY_TIMEOUT;
	CHECK(harness_handshake(h, 0));
	CHECK(hooks.staged_freed == WG_MAX_QUEUED_PACKETS + 2);
	CHECK(h->side[1].delivered == WG_MAX_QUEUED_PACKETS);
	CHECK(h->side[1].delivered_seq[0] == 2);
	CHECK(hooks.kp_new == 1);

	/* rotate twice: the first keypair is retired, not freed */
	for (i = 0; i < 2; i++) {
		h->now += WG_REKEY_TIMEOUT;
		h->real += WG_REKEY_TIMEOUT;
		CHECK(harness_handshake(h, 0));
	}
	CHECK(hooks.kp_new == 3);
	CHECK(hooks.kp_retired == 1);
	CHECK(!atomic_load(&hooks.retired[0]->sending_valid));
	CHECK(wg_index_table_lookup(d0->index_table,
				    wg_keypair_local_index(hooks.retired[0]),
				    WG_INDEX_KEYPAIR) == NULL);

	/* removal: staged opaque buffers released, keypairs and peer retired */
	h->side[1].blackhole = true;
	CHECK(wg_device_stage_packet(d0, h->side[0].peer, malloc(8), NULL, 0,
				     h->now) == WG_OK);
	wg_device_remove_peer(d0, h->side[0].peer);
	h->side[0].peer = NULL;
	CHECK(hooks.staged_freed == WG_MAX_QUEUED_PACKETS + 3);
	CHECK(hooks.kp_retired == 3);
	CHECK(hooks.peers_retired == 1);
	CHECK(wg_index_table_count(d0->index_table) == 0);
	CHECK(wg_device_peer_count(d0) == 0);
	for (i = 0; i < hooks.kp_retired && i < 16; i++)
		wg_keypair_free(hooks.retired[i]);
	harness_free(h);
}

static void
test_split_data_path(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_keypair *kp0, *kp1;
	uint8_t buf[256], inner[64];
	uint64_t nonce;

	CHECK(harness_handshake(h, 0));
	kp0 = h_current(h, 0);

	/* a driver encrypting itself */
	h_ipv4(inner, 64, h->side[0].inner_addr, h->side[1].inner_addr, 42);
	CHECK(wg_keypair_can_send(kp0, h->now));
	CHECK(wg_keypair_take_nonce(kp0, &nonce));
	wg_msg_header_set((struct wg_msg_header *)buf, WG_MSG_DATA);
	wg_le32_store(buf + 4, kp0->remote_index);
	wg_le64_store(buf + 8, nonce);
	memcpy(buf + 16, inner, 64);
	wg_aead_encrypt(buf + 16, buf + 16, 64, NULL, 0, nonce,
			kp0->sending_key);
	wg_device_tx_data_done(h->side[0].dev, h->side[0].peer, 1, 0,
			       16 + 64 + 16, h->now);
	CHECK(h_stats(h, 0)->tx_data == 1);

	/* and decrypting itself */
	kp1 = wg_device_lookup_keypair(h->side[1].dev, wg_le32_load(buf + 4));
	CHECK(kp1 == h_current(h, 1));
	CHECK(wg_device_lookup_keypair(h->side[1].dev,
				       wg_le32_load(buf + 4) + 1) == NULL ||
	      wg_le32_load(buf + 4) + 1 == wg_keypair_local_index(kp1));
	CHECK(wg_keypair_can_receive(kp1, h->now));
	CHECK(wg_aead_decrypt(buf + 16, buf + 16, 80, NULL, 0,
			      wg_le64_load(buf + 8), kp1->receiving_key));
	CHECK(wg_device_rx_data_authenticated(h->side[1].dev, kp1,
					      wg_le64_load(buf + 8),
					      &h->side[0].ep, buf + 16, 64,
					      h->now) == WG_OK);
	CHECK(h->side[1].delivered == 1 && h->side[1].delivered_seq[0] == 42);
	CHECK(wg_device_rx_data_authenticated(h->side[1].dev, kp1,
					      wg_le64_load(buf + 8), NULL,
					      buf + 16, 64, h->now) ==
	      WG_DROP_REPLAY);
	harness_free(h);
}

/*
 * The aggregated receive side of a split data path: key confirmation by
 * keypair id, rx_data_done timers and counters, rekey on receive.
 */
static void
test_split_rx_events(void)
{
	struct harness *h = harness_create(NULL, NULL);
	struct wg_device *d1 = h->side[1].dev;
	struct wg_peer *p1;
	struct wg_keypair *next, *cur;
	struct h_pkt *p = malloc(sizeof(*p));
	unsigned int inits;
	uint64_t counter;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	p1 = h->side[1].peer;
	/* initiation and response delivered, the confirming keepalive kept */
	wg_device_send_initiation(h->side[0].dev, h->side[0].peer, h->now);
	CHECK(harness_pop(h, p) && p->buf[0] == WG_MSG_HANDSHAKE_INITIATION);
	CHECK(harness_deliver(h, p) == WG_OK);
	CHECK(harness_pop(h, p) && p->buf[0] == WG_MSG_HANDSHAKE_RESPONSE);
	CHECK(harness_deliver(h, p) == WG_OK);
	CHECK(harness_pop(h, p) && p->buf[0] == WG_MSG_DATA);
	next = h_next(h, 1);
	CHECK(next != NULL && h_current(h, 1) == NULL);
	if (next == NULL)
		goto out;

	/* the driver decrypts and checks the window itself */
	CHECK(wg_device_lookup_keypair(d1, wg_le32_load(p->buf + 4)) == next);
	counter = wg_le64_load(p->buf + 8);
	CHECK(wg_aead_decrypt(p->buf + 16, p->buf + 16, p->len - 16, NULL, 0,
			      counter, next->receiving_key));
	CHECK(wg_replay_check(&next->replay, counter));

	/* only the id of the pending keypair confirms it */
	CHECK(!wg_device_rx_confirm_keypair(d1, p1, next->internal_id + 1000,
					    h->now));
	CHECK(h_next(h, 1) == next && h_current(h, 1) == NULL);
	CHECK(p1->last_handshake_real_ns == 0);
	CHECK(wg_device_rx_confirm_keypair(d1, p1, next->internal_id, h->now));
	CHECK(h_current(h, 1) == next && h_next(h, 1) == NULL);
	CHECK(p1->last_handshake_real_ns == h->real);
	/* once: it is no longer next */
	CHECK(!wg_device_rx_confirm_keypair(d1, p1, next->internal_id, h->now));

	/* keepalives count, arm nothing */
	wg_device_rx_data_done(d1, p1, 0, 1, WG_DATA_LEN(0), h->now);
	CHECK(h_stats(h, 1)->rx_keepalives == 1);
	CHECK(atomic_load(&p1->rx_bytes) >= WG_DATA_LEN(0));
	CHECK(p1->timers.send_keepalive == 0);
	/* data arms the keepalive timer: side 1 answers after 10 s */
	wg_device_rx_data_done(d1, p1, 3, 0, 3 * WG_DATA_LEN(64), h->now);
	CHECK(h_stats(h, 1)->rx_data == 3);
	CHECK(p1->timers.send_keepalive == h->now + WG_KEEPALIVE_TIMEOUT);
	harness_run(h, WG_KEEPALIVE_TIMEOUT);
	CHECK(h_stats(h, 1)->tx_keepalives == 1);
	CHECK(h_stats(h, 0)->rx_keepalives == 1);
	/* nothing for an empty report or a dead peer */
	wg_device_rx_data_done(d1, p1, 0, 0, 0, h->now);
	CHECK(h_stats(h, 1)->rx_data == 3);

	/* rekey on receive: the initiator (side 0), once, at 165 s */
	cur = h_current(h, 0);
	CHECK(cur != NULL && cur->is_initiator);
	inits = h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION];
	h->now = cur->birthdate + WG_REKEY_ON_RECEIVE_AGE - 1;
	h->real += WG_REKEY_ON_RECEIVE_AGE;
	wg_device_rx_data_done(h->side[0].dev, h->side[0].peer, 1, 0, 96,
			       h->now);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == inits);
	h->now += 1;
	wg_device_rx_data_done(h->side[0].dev, h->side[0].peer, 1, 0, 96,
			       h->now);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == inits + 1);
	wg_device_rx_data_done(h->side[0].dev, h->side[0].peer, 1, 0, 96,
			       h->now + WG_REKEY_TIMEOUT + 1);
	CHECK(h->side[0].sent[WG_MSG_HANDSHAKE_INITIATION] == inits + 1);
	/* the responder never rekeys on receive */
	inits = h->side[1].sent[WG_MSG_HANDSHAKE_INITIATION];
	wg_device_rx_data_done(d1, p1, 1, 0, 96, h->now);
	CHECK(h->side[1].sent[WG_MSG_HANDSHAKE_INITIATION] == inits);
out:
	free(p);
	harness_free(h);
}

/* --- tables at scale --- */

static double
elapsed(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) +
		(double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void
test_index_table_scale(void)
{
	const size_t n = 1000000;
	struct wg_index_table *t = wg_index_table_create();
	struct wg_index_entry *e = calloc(n, sizeof(*e));
	struct timespec ts;
	size_t i, bad = 0;

	CHECK(t != NULL && e != NULL);
	if (t == NULL || e == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (i = 0; i < n; i++) {
		e[i].type = (i & 1) ? WG_INDEX_KEYPAIR : WG_INDEX_HANDSHAKE;
		wg_index_table_insert(t, &e[i]);
	}
	CHECK(wg_index_table_count(t) == n);
	for (i = 0; i < n; i++)
		if (wg_index_table_lookup(t, e[i].index,
					  WG_INDEX_HANDSHAKE | WG_INDEX_KEYPAIR)
		    != &e[i])
			bad++;
	CHECK(bad == 0);
	/* type filtering */
	CHECK(wg_index_table_lookup(t, e[0].index, WG_INDEX_KEYPAIR) == NULL);
	CHECK(wg_index_table_lookup(t, e[1].index, WG_INDEX_KEYPAIR) == &e[1]);
	/* re-insert gives a new index; the old one stops resolving */
	{
		uint32_t old = e[5].index;

		CHECK(wg_index_table_insert(t, &e[5]) != old ||
		      wg_index_table_lookup(t, old, 3) == &e[5]);
		CHECK(wg_index_table_count(t) == n);
	}
	/* replace: the new entry takes the index */
	{
		struct wg_index_entry repl;

		memset(&repl, 0, sizeof(repl));
		repl.type = WG_INDEX_KEYPAIR;
		CHECK(wg_index_table_replace(t, &e[2], &repl));
		CHECK(repl.index == e[2].index);
		CHECK(wg_index_table_lookup(t, repl.index, 3) == &repl);
		CHECK(!wg_index_entry_hashed(&e[2]));
		CHECK(!wg_index_table_replace(t, &e[2], &repl));
		wg_index_table_remove(t, &repl);
		wg_index_table_insert(t, &e[2]);
	}
	for (i = 0; i < n; i += 2)
		wg_index_table_remove(t, &e[i]);
	CHECK(wg_index_table_count(t) == n / 2);
	bad = 0;
	for (i = 0; i < n; i++) {
		struct wg_index_entry *f = wg_index_table_lookup(t, e[i].index,
								 3);

		if ((i & 1) ? f != &e[i] : f == &e[i])
			bad++;
	}
	CHECK(bad == 0);
	printf("index table: 1M inserts + 2M lookups + 0.5M removes in %.2f s\n",
	       elapsed(&ts));
	for (i = 1; i < n; i += 2)
		wg_index_table_remove(t, &e[i]);
	CHECK(wg_index_table_count(t) == 0);
	wg_index_table_free(t);
	free(e);
}

static void
test_peer_table_scale(void)
{
	const size_t n = 100000;
	struct wg_peer_table *t = wg_peer_table_create();
	struct wg_peer *p = calloc(n, sizeof(*p));
	uint8_t key[32];
	size_t i, bad = 0;

	CHECK(t != NULL && p != NULL);
	if (t == NULL || p == NULL)
		return;
	for (i = 0; i < n; i++) {
		wg_random_bytes(p[i].handshake.remote_static, 32);
		CHECK(wg_peer_table_insert(t, &p[i]) == 0);
	}
	CHECK(wg_peer_table_insert(t, &p[7]) == -EEXIST);
	CHECK(wg_peer_table_count(t) == n);
	for (i = 0; i < n; i++)
		if (wg_peer_table_lookup(t, p[i].handshake.remote_static) != &p[i])
			bad++;
	CHECK(bad == 0);
	wg_random_bytes(key, sizeof(key));
	CHECK(wg_peer_table_lookup(t, key) == NULL);
	for (i = 0; i < n; i++)
		wg_peer_table_remove(t, &p[i]);
	CHECK(wg_peer_table_count(t) == 0);
	CHECK(wg_peer_table_lookup(t, p[0].handshake.remote_static) == NULL);
	wg_peer_table_free(t);
	free(p);
}

static void
test_drop_names(void)
{
	unsigned int r, bad = 0;

	for (r = 0; r < WG_DROP_REASON_MAX; r++)
		if (strcmp(wg_drop_reason_str((enum wg_drop_reason)r),
			   "unknown") == 0)
			bad++;
	CHECK(bad == 0);
	CHECK(strcmp(wg_drop_reason_str(WG_DROP_REASON_MAX), "unknown") == 0);
}

int
main(void)
{
	if (wg_crypto_init() != 0)
		return EXIT_FAILURE;
	test_allowedips_source();
	test_inner_header();
	test_unknown_index_and_tampering();
	test_roaming();
	test_staging();
	test_retransmit_and_give_up();
	test_keepalive_timers();
	test_new_handshake_timer();
	test_persistent_keepalive();
	test_hooks_and_opaque_staging();
	test_split_data_path();
	test_split_rx_events();
	test_index_table_scale();
	test_peer_table_scale();
	test_drop_names();
	TEST_MAIN_END();
}
