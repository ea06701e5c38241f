/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* The deterministic three-device network of fuzz_world.h. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"
#include "fuzz_world.h"

#define FW_SEED		0x5747u		/* "WG" */
#define FW_STREAM_CFG	(FZ_RNG_STREAMS - 1)

bool
fw_trace(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	return on != 0;
}

static void
fw_fail(const char *what)
{
	fprintf(stderr, "fuzz_world: %s\n", what);
	abort();
}

static int
fw_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	    const uint8_t *buf, size_t len)
{
	struct fw_dev *s = ctx;
	struct fw_world *w = s->w;
	enum wg_message_type type = wg_message_type(buf, len);
	struct fw_pkt *p;
	int i, to = -1;

	/* A device only ever sends well-formed messages. */
	if (type == WG_MSG_INVALID)
		fw_fail("send_udp: malformed message sent");
	if ((type == WG_MSG_HANDSHAKE_COOKIE) != (peer == NULL))
		fw_fail("send_udp: peer argument inconsistent with message");
	if (dst == NULL || (dst->family != AF_INET && dst->family != AF_INET6))
		fw_fail("send_udp: no destination");
	for (i = 0; i < FW_NDEV; i++)
		if (wg_endpoint_equal(dst, &w->d[i].ep))
			to = i;
	if (len > FW_MAX_PKT)
		return -EMSGSIZE;
	if (to < 0 || w->q_len == FW_QUEUE_LEN) {
		w->lost++;
		return 0;
	}
	p = &w->q[(w->q_head + w->q_len) % FW_QUEUE_LEN];
	w->q_len++;
	p->from = s->idx;
	p->to = to;
	p->len = len;
	memcpy(p->buf, buf, len);
	return 0;
}

static void
fw_deliver_inner(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	struct fw_dev *s = ctx;
	uint64_t sum = 0;
	size_t i;

	if (peer == NULL || pkt == NULL || len < 20 ||
	    ((pkt[0] >> 4) != 4 && (pkt[0] >> 4) != 6))
		fw_fail("deliver_inner: not an IP packet");
	/* Read every byte: ASan checks that [pkt, pkt + len) is ours. */
	for (i = 0; i < len; i++)
		sum += pkt[i];
	pkt[len - 1] ^= 0xff;		/* "may be modified" */
	s->w->sink += sum;
	s->delivered++;
}

static void
fw_staged_free(void *ctx, void *opaque)
{
	struct fw_dev *s = ctx;

	s->staged_freed++;
	free(opaque);
}

static uint64_t
fw_now_real(void *ctx)
{
	struct fw_dev *s = ctx;

	return s->w->real;
}

struct wg_endpoint
fw_ep4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
	struct wg_endpoint ep;

	memset(&ep, 0, sizeof(ep));
	ep.family = AF_INET;
	ep.port = port;
	ep.addr[0] = a;
	ep.addr[1] = b;
	ep.addr[2] = c;
	ep.addr[3] = d;
	return ep;
}

struct wg_endpoint
fw_ep6(uint16_t last, uint16_t port)
{
	struct wg_endpoint ep;

	memset(&ep, 0, sizeof(ep));
	ep.family = AF_INET6;
	ep.port = port;
	ep.addr[0] = 0x20;
	ep.addr[1] = 0x01;
	ep.addr[2] = 0x0d;
	ep.addr[3] = 0xb8;
	ep.addr[14] = (uint8_t)(last >> 8);
	ep.addr[15] = (uint8_t)last;
	return ep;
}

void
fw_enter(struct fw_world *w, int dev)
{
	(void)w;
	fz_rng_select((unsigned int)dev);
}

static struct wg_allowed_ip
fw_aip(int family, const uint8_t *addr, uint8_t cidr)
{
	struct wg_allowed_ip aip;

	memset(&aip, 0, sizeof(aip));
	aip.family = (uint8_t)family;
	aip.cidr = cidr;
	memcpy(aip.addr, addr, family == AF_INET ? 4 : 16);
	return aip;
}

static int
fw_add_peer(struct fw_world *w, int dev, const uint8_t *pub,
	    const uint8_t *psk, const struct wg_endpoint *ep,
	    uint16_t keepalive, const struct wg_allowed_ip *aips,
	    unsigned int n_aips)
{
	struct wg_peer_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.public_key, pub, WG_PUBLIC_KEY_LEN);
	if (psk != NULL) {
		cfg.has_preshared_key = true;
		memcpy(cfg.preshared_key, psk, WG_SYMMETRIC_KEY_LEN);
	}
	if (ep != NULL)
		cfg.endpoint = *ep;
	cfg.persistent_keepalive = keepalive;
	cfg.allowed_ips = aips;
	cfg.n_allowed_ips = n_aips;
	fw_enter(w, dev);
	return wg_device_add_peer(w->d[dev].dev, &cfg, w->now, NULL);
}

int
fw_world_add_peer(struct fw_world *w, int dev, int remote)
{
	static const uint8_t any[16];
	static const uint8_t net9[16] = { 10, 9, 0, 0 };
	static const uint8_t net6_9[16] = { 0xfd, 0, 0, 9 };
	const struct fw_dev *r = &w->d[remote];
	const uint8_t *psk = NULL;
	struct wg_allowed_ip aips[2];

	if (dev == remote || (dev != FW_T && remote != FW_T))
		return -EINVAL;
	if (dev == FW_B || remote == FW_B)
		psk = w->psk_b;
	if (dev == FW_T) {
		aips[0] = fw_aip(AF_INET, r->inner4, 32);
		aips[1] = fw_aip(AF_INET6, r->inner6, 128);
	} else if (dev == FW_A) {
		aips[0] = fw_aip(AF_INET, any, 0);
		aips[1] = fw_aip(AF_INET6, any, 0);
	} else {
		aips[0] = fw_aip(AF_INET, net9, 24);
		aips[1] = fw_aip(AF_INET6, net6_9, 64);
	}
	return fw_add_peer(w, dev, r->pub, psk, &r->ep, 0, aips, 2);
}

struct fw_world *
fw_world_create(unsigned int flags)
{
	static const uint8_t net91[16] = { 10, 9, 1, 0 };
	static const uint8_t net6_92[16] = { 0xfd, 0, 0, 9, 0, 2 };
	struct fw_world *w = calloc(1, sizeof(*w));
	struct wg_allowed_ip aips[2];
	struct wg_device_ops ops;
	struct wg_endpoint x1_ep;
	int i;

	if (w == NULL)
		fw_fail("out of memory");
	w->q = calloc(FW_QUEUE_LEN, sizeof(*w->q));
	if (w->q == NULL)
		fw_fail("out of memory");
	fz_rng_seed(FW_SEED);
	w->now = FW_START_NS;
	w->real = FW_START_REAL;

	memset(&ops, 0, sizeof(ops));
	ops.send_udp = fw_send_udp;
	ops.deliver_inner = fw_deliver_inner;
	ops.staged_free = fw_staged_free;
	ops.now_real_ns = fw_now_real;
	for (i = 0; i < FW_NDEV; i++) {
		struct fw_dev *s = &w->d[i];

		s->w = w;
		s->idx = i;
		s->inner4[0] = 10;
		s->inner4[1] = 9;
		s->inner4[3] = (uint8_t)(i + 1);
		s->inner6[0] = 0xfd;
		s->inner6[3] = 9;
		s->inner6[15] = (uint8_t)(i + 1);
		if (i == FW_B)
			s->ep = fw_ep6(2, 51822);
		else
			s->ep = fw_ep4(192, 0, 2, (uint8_t)(i + 1),
				       (uint16_t)(51820 + i));
		fw_enter(w, i);
		wg_x25519_generate_secret(s->priv);
		if (!wg_x25519_public(s->pub, s->priv))
			fw_fail("x25519");
		s->dev = wg_device_create(&ops, s, w->now);
		if (s->dev == NULL)
			fw_fail("wg_device_create failed");
		wg_device_set_private_key(s->dev, s->priv, w->now);
	}
	wg_device_set_mtu(w->d[FW_B].dev, 0);
	fz_rng_select(FW_STREAM_CFG);
	wg_random_bytes(w->x_pub[0], WG_PUBLIC_KEY_LEN);
	wg_random_bytes(w->x_pub[1], WG_PUBLIC_KEY_LEN);
	wg_random_bytes(w->psk_b, WG_SYMMETRIC_KEY_LEN);

	if (fw_world_add_peer(w, FW_T, FW_A) != 0 ||
	    fw_world_add_peer(w, FW_T, FW_B) != 0)
		fw_fail("add_peer failed");
	aips[0] = fw_aip(AF_INET, net91, 24);
	x1_ep = fw_ep4(198, 51, 100, 1, 1000);
	if (fw_add_peer(w, FW_T, w->x_pub[0], NULL, &x1_ep, 25, aips, 1) != 0)
		fw_fail("add_peer failed");
	aips[0] = fw_aip(AF_INET6, net6_92, 64);
	if (fw_add_peer(w, FW_T, w->x_pub[1], NULL, NULL, 0, aips, 1) != 0 ||
	    fw_world_add_peer(w, FW_A, FW_T) != 0 ||
	    fw_world_add_peer(w, FW_B, FW_T) != 0)
		fw_fail("add_peer failed");

	if (flags & FW_SESSION_A) {
		fw_enter(w, FW_A);
		wg_device_send_initiation(w->d[FW_A].dev, fw_peer(w, FW_A, FW_T),
					  w->now);
		fw_pump(w, FW_QUEUE_LEN);
		if (wg_keypairs_current(&fw_peer(w, FW_T, FW_A)->keypairs) == NULL)
			fw_fail("the set-up handshake A -> T failed");
	}
	if (flags & FW_PENDING_B) {
		fw_enter(w, FW_T);
		wg_device_send_initiation(w->d[FW_T].dev, fw_peer(w, FW_T, FW_B),
					  w->now);
	}
	return w;
}

void
fw_world_free(struct fw_world *w)
{
	int i;

	if (w == NULL)
		return;
	for (i = 0; i < FW_NDEV; i++) {
		fw_enter(w, i);
		wg_device_free(w->d[i].dev);
	}
	free(w->q);
	free(w);
}

struct wg_peer *
fw_peer(struct fw_world *w, int dev, int remote)
{
	return wg_device_lookup_peer(w->d[dev].dev, w->d[remote].pub);
}

enum wg_drop_reason
fw_receive(struct fw_world *w, int to, const uint8_t *buf, size_t len,
	   const struct wg_endpoint *src)
{
	enum wg_drop_reason r;
	uint8_t *copy;

	/* Exactly len bytes on the heap: ASan flags any read past them. */
	copy = malloc(len != 0 ? len : 1);
	if (copy == NULL)
		fw_fail("out of memory");
	if (len != 0)
		memcpy(copy, buf, len);
	fw_enter(w, to);
	r = wg_device_receive(w->d[to].dev, copy, len, src, w->now,
			      w->d[to].under_load);
	free(copy);
	if ((unsigned int)r >= WG_DROP_REASON_MAX)
		fw_fail("wg_device_receive: reason out of range");
	if (fw_trace())
		fprintf(stderr, "fuzz_world: %c <- type %u, %zu bytes: %s\n",
			"TAB"[to], len != 0 ? buf[0] : 0, len,
			wg_drop_reason_str(r));
	return r;
}

enum wg_drop_reason
fw_deliver(struct fw_world *w, const struct fw_pkt *p)
{
	const struct wg_endpoint *src = &w->d[p->from].ep;

	return fw_receive(w, p->to, p->buf, p->len, src);
}

bool
fw_pop(struct fw_world *w, struct fw_pkt *out)
{
	if (w->q_len == 0)
		return false;
	*out = w->q[w->q_head];
	w->q_head = (w->q_head + 1) % FW_QUEUE_LEN;
	w->q_len--;
	return true;
}

unsigned int
fw_pump(struct fw_world *w, unsigned int max)
{
	struct fw_pkt *p = malloc(sizeof(*p));
	unsigned int n = 0;

	if (p == NULL)
		fw_fail("out of memory");
	while (n < max && fw_pop(w, p)) {
		fw_deliver(w, p);
		n++;
	}
	free(p);
	return n;
}

void
fw_flush(struct fw_world *w)
{
	w->q_head = 0;
	w->q_len = 0;
}

void
fw_advance(struct fw_world *w, uint64_t dt)
{
	int i;

	w->now += dt;
	w->real += dt;
	for (i = 0; i < FW_NDEV; i++) {
		fw_enter(w, i);
		wg_device_timers(w->d[i].dev, w->now);
		if (wg_device_next_deadline(w->d[i].dev) < w->now)
			fw_fail("a deadline in the past after wg_device_timers");
	}
}

void
fw_fix_macs(struct fw_world *w, int from, int to, uint8_t *msg, size_t len)
{
	struct wg_cookie_maker m;
	struct wg_peer *peer = NULL;

	if (wg_message_type(msg, len) != WG_MSG_HANDSHAKE_INITIATION &&
	    wg_message_type(msg, len) != WG_MSG_HANDSHAKE_RESPONSE)
		return;
	if (from >= 0)
		peer = fw_peer(w, from, to);
	if (peer != NULL) {
		wg_cookie_add_macs(&peer->cookie, wg_peer_public_key(peer), msg,
				   len, w->now);
		return;
	}
	wg_cookie_maker_init(&m);
	wg_cookie_add_macs(&m, w->d[to].pub, msg, len, w->now);
	wg_cookie_maker_wipe(&m);
}

size_t
fw_ipv4(uint8_t *buf, size_t len, const uint8_t src[4], const uint8_t dst[4])
{
	size_t i;

	if (len < 28)
		len = 28;
	memset(buf, 0, 28);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[8] = 64;
	buf[9] = 17;
	memcpy(buf + 12, src, 4);
	memcpy(buf + 16, dst, 4);
	buf[20] = 0x30;			/* UDP 12345 -> 53 */
	buf[21] = 0x39;
	buf[23] = 53;
	buf[24] = (uint8_t)((len - 20) >> 8);
	buf[25] = (uint8_t)(len - 20);
	for (i = 28; i < len; i++)
		buf[i] = (uint8_t)(i * 7);
	return len;
}

size_t
fw_ipv6(uint8_t *buf, size_t len, const uint8_t src[16],
	const uint8_t dst[16])
{
	size_t i;

	if (len < 48)
		len = 48;
	memset(buf, 0, 48);
	buf[0] = 0x60;
	buf[4] = (uint8_t)((len - 40) >> 8);
	buf[5] = (uint8_t)(len - 40);
	buf[6] = 17;
	buf[7] = 64;
	memcpy(buf + 8, src, 16);
	memcpy(buf + 24, dst, 16);
	buf[40] = 0x30;
	buf[41] = 0x39;
	buf[43] = 53;
	buf[44] = (uint8_t)((len - 40) >> 8);
	buf[45] = (uint8_t)(len - 40);
	for (i = 48; i < len; i++)
		buf[i] = (uint8_t)(i * 7);
	return len;
}
