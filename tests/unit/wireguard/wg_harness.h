/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_HARNESS_H
#define WG_HARNESS_H

/*
 * Two in-process WireGuard devices joined by a simulated network: every
 * send_udp callback queues the datagram, harness_pump() delivers the
 * queue in order (callbacks never re-enter a device). A fake monotonic
 * clock (h->now) and a fake wall clock (h->real) drive both devices.
 *
 * Device 0 has outer endpoint 192.0.2.1:51820 and inner address
 * 10.9.0.1; device 1 has 192.0.2.2:51821 and 10.9.0.2. Each knows the
 * other as a peer whose allowed IPs are the other's inner /32.
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crypto/primitives.h"
#include "wireguard/device.h"
#include "wireguard/index_table.h"
#include "wireguard/peer_table.h"

#define H_MAX_PKT	2048
#define H_QUEUE_LEN	1024
#define H_LOG_LEN	64
#define H_START		(1000 * WG_NSEC_PER_SEC)

struct h_pkt {
	int from;
	int to;			/* -1: no device at that address */
	size_t len;
	uint8_t buf[H_MAX_PKT];
};

struct h_side {
	struct harness *h;
	int idx;
	struct wg_device *dev;
	struct wg_peer *peer;		/* our peer entry for the other side */
	uint8_t priv[WG_KEY_LEN];
	uint8_t pub[WG_KEY_LEN];
	struct wg_endpoint ep;
	uint8_t inner_addr[4];
	bool under_load;
	bool blackhole;			/* drop everything sent to this side */
	/* what this side sent, by message type */
	unsigned int sent[5];
	/* last datagram sent, for replay tests */
	size_t last_len[5];
	uint8_t last[5][H_MAX_PKT];
	/* delivered inner packets */
	unsigned int delivered;
	size_t last_inner_len;
	uint8_t last_inner[H_MAX_PKT];
	uint32_t delivered_seq[H_LOG_LEN * 4];
	enum wg_drop_reason last_rx;
	unsigned int retired;
};

struct harness {
	struct h_side side[2];
	uint64_t now;
	uint64_t real;
	struct h_pkt *queue;
	size_t q_head, q_len;
};

static int
h_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	   const uint8_t *buf, size_t len)
{
	struct h_side *s = ctx;
	struct harness *h = s->h;
	struct h_pkt *p;
	int i, to = -1;

	(void)peer;
	if (len > H_MAX_PKT || h->q_len == H_QUEUE_LEN)
		return -1;
	if (buf[0] >= 1 && buf[0] <= 4) {
		s->sent[buf[0]]++;
		s->last_len[buf[0]] = len;
		memcpy(s->last[buf[0]], buf, len);
	}
	for (i = 0; i < 2; i++)
		if (wg_endpoint_equal(dst, &h->side[i].ep))
			to = i;
	p = &h->queue[(h->q_head + h->q_len) % H_QUEUE_LEN];
	h->q_len++;
	p->from = s->idx;
	p->to = to;
	p->len = len;
	memcpy(p->buf, buf, len);
	return 0;
}

static void
h_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	struct h_side *s = ctx;

	(void)peer;
	if (s->delivered < sizeof(s->delivered_seq) / sizeof(uint32_t) &&
	    len >= 32)
		memcpy(&s->delivered_seq[s->delivered], pkt + 28, 4);
	s->delivered++;
	s->last_inner_len = len;
	memcpy(s->last_inner, pkt, len < H_MAX_PKT ? len : H_MAX_PKT);
}

static uint64_t
h_real(void *ctx)
{
	struct h_side *s = ctx;

	return s->h->real;
}

static void
h_retire(void *ctx, struct wg_keypair *kp)
{
	struct h_side *s = ctx;

	s->retired++;
	wg_keypair_free(kp);
}

/* Builds an IPv4/UDP packet of total length len (>= 32) with a sequence number. */
static inline size_t
h_ipv4(uint8_t *buf, size_t len, const uint8_t src[4], const uint8_t dst[4],
       uint32_t seq)
{
	size_t i;

	memset(buf, 0, len);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[8] = 64;
	buf[9] = 17;
	memcpy(buf + 12, src, 4);
	memcpy(buf + 16, dst, 4);
	memcpy(buf + 28, &seq, 4);
	for (i = 32; i < len; i++)
		buf[i] = (uint8_t)(i * 7 + seq);
	return len;
}

static inline struct wg_allowed_ip
h_aip4(const uint8_t a[4], uint8_t cidr)
{
	struct wg_allowed_ip aip;

	memset(&aip, 0, sizeof(aip));
	aip.family = AF_INET;
	aip.cidr = cidr;
	memcpy(aip.addr, a, 4);
	return aip;
}

static inline struct wg_endpoint
h_ep4(const char *ip, uint16_t port)
{
	struct wg_endpoint ep;

	memset(&ep, 0, sizeof(ep));
	ep.family = AF_INET;
	ep.port = port;
	inet_pton(AF_INET, ip, ep.addr);
	return ep;
}

static inline void
h_keypair(uint8_t priv[WG_KEY_LEN], uint8_t pub[WG_KEY_LEN])
{
	wg_x25519_generate_secret(priv);
	wg_x25519_public(pub, priv);
}

/* Adds side b as a peer of side a (psk may be NULL). */
static inline struct wg_peer *
h_add_peer(struct harness *h, int a, int b, const uint8_t *psk,
	   uint16_t keepalive)
{
	struct h_side *sa = &h->side[a], *sb = &h->side[b];
	struct wg_allowed_ip aip = h_aip4(sb->inner_addr, 32);
	struct wg_peer_config cfg;
	struct wg_peer *peer = NULL;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.public_key, sb->pub, WG_KEY_LEN);
	if (psk != NULL) {
		cfg.has_preshared_key = true;
		memcpy(cfg.preshared_key, psk, WG_KEY_LEN);
	}
	cfg.endpoint = sb->ep;
	cfg.persistent_keepalive = keepalive;
	cfg.allowed_ips = &aip;
	cfg.n_allowed_ips = 1;
	if (wg_device_add_peer(sa->dev, &cfg, h->now, &peer) != 0)
		return NULL;
	sa->peer = peer;
	return peer;
}

/* Two devices, each the other's peer (with psk[i] on side i, may be NULL). */
static inline struct harness *
harness_create(const uint8_t *psk0, const uint8_t *psk1)
{
	struct harness *h = calloc(1, sizeof(*h));
	struct wg_device_ops ops;
	int i;

	if (h == NULL || wg_crypto_init() != 0)
		abort();
	h->queue = calloc(H_QUEUE_LEN, sizeof(*h->queue));
	if (h->queue == NULL)
		abort();
	h->now = H_START;
	h->real = 1700000000ULL * WG_NSEC_PER_SEC;
	memset(&ops, 0, sizeof(ops));
	ops.send_udp = h_send_udp;
	ops.deliver_inner = h_deliver;
	ops.now_real_ns = h_real;
	ops.keypair_retire = h_retire;
	for (i = 0; i < 2; i++) {
		struct h_side *s = &h->side[i];

		s->h = h;
		s->idx = i;
		s->ep = h_ep4(i == 0 ? "192.0.2.1" : "192.0.2.2",
			      (uint16_t)(51820 + i));
		s->inner_addr[0] = 10;
		s->inner_addr[1] = 9;
		s->inner_addr[2] = 0;
		s->inner_addr[3] = (uint8_t)(i + 1);
		h_keypair(s->priv, s->pub);
		s->dev = wg_device_create(&ops, s, h->now);
		if (s->dev == NULL)
			abort();
		wg_device_set_private_key(s->dev, s->priv, h->now);
	}
	if (h_add_peer(h, 0, 1, psk0, 0) == NULL ||
	    h_add_peer(h, 1, 0, psk1, 0) == NULL)
		abort();
	return h;
}

static inline void
harness_free(struct harness *h)
{
	wg_device_free(h->side[0].dev);
	wg_device_free(h->side[1].dev);
	free(h->queue);
	free(h);
}

/* Takes the oldest queued datagram; false if none. */
static inline bool
harness_pop(struct harness *h, struct h_pkt *out)
{
	if (h->q_len == 0)
		return false;
	*out = h->queue[h->q_head];
	h->q_head = (h->q_head + 1) % H_QUEUE_LEN;
	h->q_len--;
	return true;
}

/* Delivers one datagram to its destination device. */
static inline enum wg_drop_reason
harness_deliver(struct harness *h, struct h_pkt *p)
{
	struct h_side *s;

	if (p->to < 0 || h->side[p->to].blackhole)
		return WG_OK;
	s = &h->side[p->to];
	s->last_rx = wg_device_receive(s->dev, p->buf, p->len,
				       &h->side[p->from].ep, h->now,
				       s->under_load);
	return s->last_rx;
}

/* Delivers until the network is quiet; returns datagrams delivered. */
static inline unsigned int
harness_pump(struct harness *h)
{
	struct h_pkt *p = malloc(sizeof(*p));
	unsigned int n = 0;

	while (harness_pop(h, p)) {
		harness_deliver(h, p);
		n++;
	}
	free(p);
	return n;
}

/* Drops everything in flight. */
static inline void
harness_flush(struct harness *h)
{
	h->q_head = 0;
	h->q_len = 0;
}

/* Advances both clocks by dt and runs both devices' timers. */
static inline void
harness_advance(struct harness *h, uint64_t dt)
{
	h->now += dt;
	h->real += dt;
	wg_device_timers(h->side[0].dev, h->now);
	wg_device_timers(h->side[1].dev, h->now);
}

/* Runs timers at each deadline up to now + dt, pumping the network. */
static inline void
harness_run(struct harness *h, uint64_t dt)
{
	uint64_t end = h->now + dt;

	harness_pump(h);
	for (;;) {
		uint64_t d0 = wg_device_next_deadline(h->side[0].dev);
		uint64_t d1 = wg_device_next_deadline(h->side[1].dev);
		uint64_t d = d0 < d1 ? d0 : d1;

		if (d > end)
			break;
		if (d > h->now) {
			h->real += d - h->now;
			h->now = d;
		}
		wg_device_timers(h->side[0].dev, h->now);
		wg_device_timers(h->side[1].dev, h->now);
		harness_pump(h);
	}
	h->real += end - h->now;
	h->now = end;
	harness_pump(h);
}

/* Side a sends an IPv4 packet of len bytes with sequence seq to side b. */
static inline enum wg_drop_reason
harness_send(struct harness *h, int a, size_t len, uint32_t seq)
{
	uint8_t pkt[H_MAX_PKT];
	int b = 1 - a;

	h_ipv4(pkt, len, h->side[a].inner_addr, h->side[b].inner_addr, seq);
	return wg_device_send(h->side[a].dev, pkt, len, h->now);
}

static inline const struct wg_device_stats *
h_stats(struct harness *h, int i)
{
	return wg_device_stats(h->side[i].dev);
}

static inline struct wg_keypair *
h_current(struct harness *h, int i)
{
	return wg_keypairs_current(&h->side[i].peer->keypairs);
}

static inline struct wg_keypair *
h_next(struct harness *h, int i)
{
	return wg_keypairs_next(&h->side[i].peer->keypairs);
}

static inline struct wg_keypair *
h_previous(struct harness *h, int i)
{
	return wg_keypairs_previous(&h->side[i].peer->keypairs);
}

/* Full handshake initiated by side i (and the confirming keepalive). */
static inline bool
harness_handshake(struct harness *h, int i)
{
	wg_device_send_initiation(h->side[i].dev, h->side[i].peer, h->now);
	harness_pump(h);
	return h_current(h, 0) != NULL && h_current(h, 1) != NULL;
}

#endif /* WG_HARNESS_H */
