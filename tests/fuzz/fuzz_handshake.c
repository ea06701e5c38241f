/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libFuzzer harness, structure-aware: the input is a small program run
 * against the three devices of fuzz_world.h. Real initiations, responses,
 * cookie replies and data messages are produced by the devices themselves
 * and the program mutates, drops, reorders and replays them, with mac1/mac2
 * recomputed by the sender's cookie maker so that mutations get past mac1
 * and into Noise (consume_initiation on T, A and B as responders,
 * consume_response on the initiator side), the cookie path (under load)
 * and the data path (sealed with the sender's real session keys).
 *
 * Input: one set-up byte (bit 0: T under load, bit 1: world with a
 * session A <-> T, bit 2: T's initiation to B pending), then operations,
 * one byte each (low nibble: opcode, high nibble: argument a) followed by
 * their operands; at most FH_MAX_OPS. A link (a & 3) names a sender and a
 * receiver: T->A, T->B, A->T, B->T.
 *
 *   0 INITIATE  link                 sender starts a handshake
 *   1 PUMP      deliver (a + 1) * 4 queued datagrams unchanged
 *   2 DELIVER   pop one datagram, a & 3 mutations, macs recomputed unless
 *               a & 4, from a spoofed source (u8) if a & 8
 *   3 DROP      pop (a & 3) + 1 datagrams
 *   4 REPLAY    the last delivered message of type (a & 3) + 1, again,
 *               with (a >> 2) mutations
 *   5 SEND      link, u16 length, bytes: wg_device_send_to_peer
 *   6 SEAL      link, u8 mode, [u64/u16 counter], u8 shape, u16 length,
 *               bytes: a data message under the sender's session keys
 *   7 ADVANCE   both clocks by a table entry (a & 7); pump too if a & 8
 *   8 LOAD      toggle under-load of device a % 3
 *   9 RAW       device (a & 3) % 3, u16 length, bytes; mac1 fixed if a & 4,
 *               spoofed source (u8) if a & 8
 *  10 CONFIG    (a & 7): T's psk for A, T removes/re-adds A, an endpoint,
 *               T's allowed IPs, a persistent keepalive, T's private key,
 *               A removes/re-adds T, T's MTU
 *  11 KEEPALIVE link; if a & 4, DRIVER instead: u8 mode, operands: the
 *               split data path API as the DPDK data path calls it, on the
 *               receiver (rx_data_authenticated with a slot keypair, any
 *               counter and inner packet; rx_confirm_keypair with a slot's
 *               or any id; rx_data_done) or the sender (tx_data_done)
 *  12 NEXT      advance to the earliest device deadline (at most 200 s)
 *  13 SENDIP    link, u16 length: a well-formed IPv4 (IPv6 if a & 4)
 *               packet between the two inner addresses, wg_device_send
 *  14 STAGE     link, u8 length, bytes: wg_device_stage_packet of a driver
 *               buffer (released through staged_free)
 *  15 WALLCLOCK the wall clock jumps by u32 seconds, back if a & 1
 *
 * Checked besides ASan/UBSan/LSan and fuzz_world's callback checks: a
 * byte-identical initiation or data message is never accepted twice
 * (unless a peer was re-created in between).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"
#include "fuzz_world.h"

#define FH_MAX_OPS	64
#define FH_MAX_INNER	1500

struct fh_hist {
	struct fw_pkt p;
	struct wg_endpoint src;
	bool valid;
	bool accepted;			/* the first delivery returned WG_OK */
	uint64_t gen;
};

struct fh {
	struct fw_world *w;
	struct fz_in in;
	struct fh_hist hist[5];		/* by message type */
	uint64_t gen;			/* bumped when a peer is re-created */
	struct fw_pkt scratch;
};

static const int fh_link_from[4] = { FW_T, FW_T, FW_A, FW_B };
static const int fh_link_to[4] = { FW_A, FW_B, FW_T, FW_T };

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fz_rng_install() != 0 || wg_crypto_init() != 0)
		abort();
	return 0;
}

static void
fh_fail(const char *what)
{
	fprintf(stderr, "fuzz_handshake: %s\n", what);
	abort();
}

/* Curve25519 points a hostile peer likes: low order, non-canonical, ours. */
static const uint8_t *
fh_point(struct fh *st, uint8_t i)
{
	static const uint8_t pts[7][32] = {
		{ 0 },
		{ 1 },
		{ 0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56,
		  0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb,
		  0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
		  0xb8, 0x00 },
		{ 0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0,
		  0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4,
		  0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f,
		  0x11, 0x57 },
		{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0x7f },		/* p - 1 */
		{ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0x7f },		/* p */
		{ 0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0x7f },		/* p + 1 */
	};

	i %= 7 + FW_NDEV + 2;
	if (i < 7)
		return pts[i];
	i -= 7;
	if (i < FW_NDEV)
		return st->w->d[i].pub;
	return st->w->x_pub[i - FW_NDEV];
}

static struct wg_endpoint
fh_src(struct fh *st, uint8_t c)
{
	switch (c % 6) {
	case 0:
	case 1:
	case 2:
		return st->w->d[c % 6].ep;
	case 3:
		return fw_ep4(203, 0, 113, c, 9999);
	case 4:
		return fw_ep6(c, 9999);
	default:
		/* A's address, another port: a NAT rebinding */
		return fw_ep4(192, 0, 2, 2, (uint16_t)(40000 + c));
	}
}

static size_t
fh_mutate(struct fh *st, uint8_t *buf, size_t len, unsigned int n)
{
	struct fz_in *in = &st->in;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint8_t kind = fz_u8(in);
		uint16_t pos = fz_u16(in);
		uint32_t v;
		size_t add;

		switch (kind % 6) {
		case 0:
			if (len != 0)
				buf[pos % len] ^= (uint8_t)(fz_u8(in) | 1);
			break;
		case 1:
			if (len != 0)
				buf[pos % len] = fz_u8(in);
			break;
		case 2:
			len = pos % (len + 1);
			break;
		case 3:
			add = fz_u8(in) % 64;
			if (add > FW_MAX_PKT - len)
				add = FW_MAX_PKT - len;
			fz_bytes(in, buf + len, add);
			len += add;
			break;
		case 4:
			if (len >= 4) {
				v = fz_u32(in);
				memcpy(buf + pos % (len - 3), &v, 4);
			}
			break;
		default:
			if (len >= 32)
				memcpy(buf + pos % (len - 31),
				       fh_point(st, fz_u8(in)), 32);
			break;
		}
	}
	return len;
}

/* Delivers and remembers the message for REPLAY; checks replays. */
static enum wg_drop_reason
fh_deliver(struct fh *st, int from, int to, const uint8_t *buf, size_t len,
	   const struct wg_endpoint *src, bool replay)
{
	enum wg_message_type type = wg_message_type(buf, len);
	enum wg_drop_reason r;
	struct fh_hist *h;

	r = fw_receive(st->w, to, buf, len, src);
	if (type == WG_MSG_INVALID)
		return r;
	h = &st->hist[type];
	if (replay) {
		/* h holds exactly these bytes, for the same device */
		if (r == WG_OK && h->accepted && h->gen == st->gen &&
		    (type == WG_MSG_HANDSHAKE_INITIATION ||
		     type == WG_MSG_DATA))
			fh_fail(type == WG_MSG_DATA ?
				"a replayed data message was accepted twice" :
				"a replayed initiation was accepted twice");
		return r;
	}
	h->p.from = from;
	h->p.to = to;
	h->p.len = len;
	memcpy(h->p.buf, buf, len);
	h->src = *src;
	h->valid = true;
	h->accepted = r == WG_OK;
	h->gen = st->gen;
	return r;
}

static void
fh_deliver_pkt(struct fh *st, const struct fw_pkt *p)
{
	fh_deliver(st, p->from, p->to, p->buf, p->len, &st->w->d[p->from].ep,
		   false);
}

static void
fh_pump(struct fh *st, unsigned int max)
{
	unsigned int n;

	for (n = 0; n < max && fw_pop(st->w, &st->scratch); n++)
		fh_deliver_pkt(st, &st->scratch);
}

static void
op_deliver(struct fh *st, unsigned int a)
{
	struct fw_pkt *p = &st->scratch;
	struct wg_endpoint src;

	if (!fw_pop(st->w, p))
		return;
	src = st->w->d[p->from].ep;
	if (a & 8)
		src = fh_src(st, fz_u8(&st->in));
	p->len = fh_mutate(st, p->buf, p->len, a & 3);
	if (!(a & 4))
		fw_fix_macs(st->w, p->from, p->to, p->buf, p->len);
	fh_deliver(st, p->from, p->to, p->buf, p->len, &src, false);
}

static void
op_replay(struct fh *st, unsigned int a)
{
	struct fh_hist *h = &st->hist[(a & 3) + 1];
	unsigned int n = (a >> 2) & 3;
	struct fw_pkt *p = &st->scratch;

	if (!h->valid)
		return;
	*p = h->p;
	if (n != 0) {
		p->len = fh_mutate(st, p->buf, p->len, n);
		fw_fix_macs(st->w, p->from, p->to, p->buf, p->len);
	}
	fh_deliver(st, p->from, p->to, p->buf, p->len, &h->src, n == 0);
}

static void
op_send(struct fh *st, unsigned int a)
{
	int from = fh_link_from[a & 3], to = fh_link_to[a & 3];
	struct wg_peer *peer = fw_peer(st->w, from, to);
	size_t len = fz_u16(&st->in) % FH_MAX_INNER;
	uint8_t buf[FH_MAX_INNER];

	fz_bytes(&st->in, buf, len);
	if (peer == NULL)
		return;
	fw_enter(st->w, from);
	wg_device_send_to_peer(st->w->d[from].dev, peer, buf, len, st->w->now);
}

static void
op_seal(struct fh *st, unsigned int a)
{
	int from = fh_link_from[a & 3], to = fh_link_to[a & 3];
	struct wg_peer *peer = fw_peer(st->w, from, to);
	struct fw_dev *sd = &st->w->d[from], *rd = &st->w->d[to];
	struct fz_in *in = &st->in;
	uint8_t mode = fz_u8(in), shape, *payload;
	struct wg_keypair *kp = NULL;
	uint64_t counter = 0, delta = 0;
	struct wg_endpoint src = sd->ep;
	size_t len, plen;
	uint8_t msg[WG_DATA_LEN(FH_MAX_INNER + 16)];

	switch ((mode >> 2) & 3) {
	case 1:
		counter = fz_u64(in);
		break;
	case 2:
		delta = fz_u8(in);
		break;
	case 3:
		delta = fz_u16(in);
		break;
	default:
		break;
	}
	shape = fz_u8(in);
	len = fz_u16(in) % FH_MAX_INNER;
	payload = msg + WG_DATA_HEADER_LEN;
	switch (shape & 3) {
	case 0:
		len = fw_ipv4(payload, len, sd->inner4, rd->inner4);
		break;
	case 1:
		len = fw_ipv6(payload, len, sd->inner6, rd->inner6);
		break;
	case 2:
		fz_bytes(in, payload, len);
		break;
	default:
		len = fw_ipv4(payload, len, sd->inner4, rd->inner4);
		fz_bytes(in, payload + 12, 4);	/* source address */
		break;
	}
	if (shape & 4) {
		/* a claimed length that disagrees */
		uint16_t claimed = fz_u16(in);

		payload[(shape & 3) == 1 ? 4 : 2] = (uint8_t)(claimed >> 8);
		payload[(shape & 3) == 1 ? 5 : 3] = (uint8_t)claimed;
	}
	if (mode & 0x80)
		src = fh_src(st, fz_u8(in));
	if (peer == NULL)
		return;
	switch (mode & 3) {
	case 1:
		kp = wg_keypairs_previous(&peer->keypairs);
		break;
	case 2:
		kp = wg_keypairs_next(&peer->keypairs);
		break;
	default:
		kp = wg_keypairs_current(&peer->keypairs);
		break;
	}
	if (kp == NULL)
		return;
	switch ((mode >> 2) & 3) {
	case 0:
		if (!wg_keypair_take_nonce(kp, &counter))
			return;
		break;
	case 2:	/* an old counter */
		counter = atomic_load(&kp->sending_counter);
		counter = counter > delta ? counter - delta - 1 : 0;
		break;
	case 3:	/* ahead of the window */
		counter = atomic_load(&kp->sending_counter) + delta;
		break;
	default:
		break;
	}
	plen = len;
	if (shape & 8)
		plen = (len + 15) & ~(size_t)15;
	if (plen > FH_MAX_INNER + 16)
		plen = FH_MAX_INNER + 16;
	memset(payload + len, 0, plen - len);
	wg_msg_header_set((struct wg_msg_header *)msg, WG_MSG_DATA);
	wg_le32_store(msg + 4, kp->remote_index);
	wg_le64_store(msg + 8, counter);
	wg_aead_encrypt(payload, payload, plen, NULL, 0, counter,
			kp->sending_key);
	fh_deliver(st, from, to, msg, WG_DATA_LEN(plen), &src, false);
}

static void
op_raw(struct fh *st, unsigned int a)
{
	int to = (int)((a & 3) % FW_NDEV);
	size_t len = fz_u16(&st->in) % FW_MAX_PKT;
	struct wg_endpoint src = fw_ep4(203, 0, 113, 1, 4444);
	uint8_t *buf = st->scratch.buf;

	fz_bytes(&st->in, buf, len);
	if (a & 8)
		src = fh_src(st, fz_u8(&st->in));
	if (a & 4)
		fw_fix_macs(st->w, -1, to, buf, len);
	fh_deliver(st, -1, to, buf, len, &src, false);
}

static void
op_config(struct fh *st, unsigned int a)
{
	struct fw_world *w = st->w;
	struct fw_dev *t = &w->d[FW_T];
	struct fz_in *in = &st->in;
	struct wg_peer *pa = fw_peer(w, FW_T, FW_A), *p;
	struct wg_allowed_ip aip;
	uint8_t c = fz_u8(in), key[32];
	struct wg_endpoint ep;

	fw_enter(w, FW_T);
	switch (a & 7) {
	case 0:		/* T's psk for A: A does not know */
		fz_bytes(in, key, sizeof(key));
		if (pa != NULL)
			wg_device_peer_set_preshared_key(t->dev, pa,
							 c & 1 ? key : NULL);
		break;
	case 1:		/* T re-creates A */
		if (pa != NULL)
			wg_device_remove_peer(t->dev, pa);
		fw_world_add_peer(w, FW_T, FW_A);
		st->gen++;
		break;
	case 2:
		p = fw_peer(w, FW_T, c & 1 ? FW_B : FW_A);
		ep = fh_src(st, fz_u8(in));
		if (p != NULL)
			wg_device_peer_set_endpoint(t->dev, p, &ep);
		break;
	case 3:
		if (pa == NULL)
			break;
		wg_device_peer_clear_allowed_ips(t->dev, pa);
		memset(&aip, 0, sizeof(aip));
		aip.family = AF_INET;
		aip.cidr = 32;
		/* A's own /32, or steal B's */
		memcpy(aip.addr, w->d[c & 1 ? FW_B : FW_A].inner4, 4);
		wg_device_peer_add_allowed_ip(t->dev, pa, &aip);
		break;
	case 4:
		p = fw_peer(w, FW_T, c & 1 ? FW_B : FW_A);
		if (p != NULL)
			wg_device_peer_set_persistent_keepalive(t->dev, p,
				fz_u8(in), w->now);
		break;
	case 5:		/* T's identity: cleared, restored, A's, other */
		switch (c & 3) {
		case 0:
			memset(key, 0, sizeof(key));
			break;
		case 1:
			memcpy(key, t->priv, sizeof(key));
			break;
		case 2:
			/* A peer with the new public key is removed */
			memcpy(key, w->d[FW_A].priv, sizeof(key));
			break;
		default:
			fz_bytes(in, key, sizeof(key));
			break;
		}
		wg_device_set_private_key(t->dev, key, w->now);
		st->gen++;
		break;
	case 6:		/* A re-creates T */
		p = fw_peer(w, FW_A, FW_T);
		fw_enter(w, FW_A);
		if (p != NULL)
			wg_device_remove_peer(w->d[FW_A].dev, p);
		fw_world_add_peer(w, FW_A, FW_T);
		st->gen++;
		break;
	default:
		wg_device_set_mtu(t->dev, fz_u16(in));
		break;
	}
}

static void
op_sendip(struct fh *st, unsigned int a)
{
	int from = fh_link_from[a & 3], to = fh_link_to[a & 3];
	struct fw_dev *sd = &st->w->d[from], *rd = &st->w->d[to];
	size_t len = fz_u16(&st->in) % FH_MAX_INNER;
	uint8_t buf[FH_MAX_INNER + 48];

	if (a & 4)
		len = fw_ipv6(buf, len, sd->inner6, rd->inner6);
	else
		len = fw_ipv4(buf, len, sd->inner4, rd->inner4);
	fw_enter(st->w, from);
	wg_device_send(sd->dev, buf, len, st->w->now);
}

static void
op_stage(struct fh *st, unsigned int a)
{
	int from = fh_link_from[a & 3], to = fh_link_to[a & 3];
	struct wg_peer *peer = fw_peer(st->w, from, to);
	size_t len = fz_u8(&st->in);
	uint8_t *buf;

	if (peer == NULL)
		return;
	buf = malloc(len + 1);
	if (buf == NULL)
		fh_fail("out of memory");
	fz_bytes(&st->in, buf, len);
	fw_enter(st->w, from);
	/* the device owns buf from here: staged_free releases it */
	wg_device_stage_packet(st->w->d[from].dev, peer, buf, buf, len,
			       st->w->now);
}

static void
op_driver(struct fh *st, unsigned int a)
{
	int from = fh_link_from[a & 3], to = fh_link_to[a & 3];
	struct fw_world *w = st->w;
	struct fz_in *in = &st->in;
	struct wg_peer *rpeer = fw_peer(w, to, from);
	struct wg_peer *speer = fw_peer(w, from, to);
	struct wg_endpoint src = w->d[from].ep;
	uint8_t mode = fz_u8(in), plain[FH_MAX_INNER];
	struct wg_keypair *kp = NULL;
	enum wg_drop_reason r;
	uint64_t id, counter;
	unsigned int n_data, n_ka;
	size_t len;

	if (rpeer != NULL) {
		switch ((mode >> 2) & 3) {
		case 1:
			kp = wg_keypairs_previous(&rpeer->keypairs);
			break;
		case 2:
			kp = wg_keypairs_next(&rpeer->keypairs);
			break;
		default:
			kp = wg_keypairs_current(&rpeer->keypairs);
			break;
		}
	}
	fw_enter(w, to);
	switch (mode & 3) {
	case 0:		/* a packet the driver decrypted under kp */
		counter = fz_u64(in);
		len = fz_u16(in) % FH_MAX_INNER;
		if (mode & 0x10)
			len = fw_ipv4(plain, len, w->d[from].inner4,
				      w->d[to].inner4);
		else
			fz_bytes(in, plain, len);
		if (mode & 0x20)
			src = fh_src(st, fz_u8(in));
		if (kp == NULL)
			break;
		r = wg_device_rx_data_authenticated(w->d[to].dev, kp, counter,
			mode & 0x40 ? NULL : &src, plain, len, w->now);
		if (fw_trace())
			fprintf(stderr, "fuzz_handshake: driver rx %zu bytes: %s\n",
				len, wg_drop_reason_str(r));
		break;
	case 1:		/* key confirmation by id */
		id = mode & 0x10 ? fz_u64(in) : kp != NULL ? kp->internal_id : 0;
		if (rpeer != NULL && wg_device_rx_confirm_keypair(w->d[to].dev,
				rpeer, id, w->now) && fw_trace())
			fprintf(stderr, "fuzz_handshake: driver confirmed\n");
		break;
	case 2:
		n_data = fz_u8(in);
		n_ka = fz_u8(in);
		if (rpeer != NULL)
			wg_device_rx_data_done(w->d[to].dev, rpeer, n_data,
					       n_ka, fz_u32(in), w->now);
		break;
	default:
		n_data = fz_u8(in);
		n_ka = fz_u8(in);
		fw_enter(w, from);
		if (speer != NULL)
			wg_device_tx_data_done(w->d[from].dev, speer, n_data,
					       n_ka, fz_u32(in), w->now);
		break;
	}
}

static void
op_next(struct fh *st)
{
	uint64_t d = UINT64_MAX;
	int i;

	for (i = 0; i < FW_NDEV; i++) {
		uint64_t di = wg_device_next_deadline(st->w->d[i].dev);

		if (di < d)
			d = di;
	}
	if (d <= st->w->now)
		fw_advance(st->w, 0);
	else if (d - st->w->now <= 200 * WG_NSEC_PER_SEC)
		fw_advance(st->w, d - st->w->now);
}

static void
fh_op(struct fh *st, uint8_t op)
{
	static const uint64_t dts[8] = {
		WG_NSEC_PER_MSEC,
		21 * WG_NSEC_PER_MSEC,			/* > handshake flood gap */
		WG_NSEC_PER_SEC,
		WG_REKEY_TIMEOUT + 500 * WG_NSEC_PER_MSEC,
		WG_KEEPALIVE_TIMEOUT + 500 * WG_NSEC_PER_MSEC,
		26 * WG_NSEC_PER_SEC,
		WG_REKEY_AFTER_TIME + WG_NSEC_PER_SEC,
		WG_REJECT_AFTER_TIME + WG_NSEC_PER_SEC,
	};
	unsigned int a = op >> 4, link = a & 3;
	struct fw_world *w = st->w;
	struct wg_peer *peer;
	uint32_t secs;
	int from = fh_link_from[link], to = fh_link_to[link];

	switch (op & 0x0f) {
	case 0:
		peer = fw_peer(w, from, to);
		fw_enter(w, from);
		if (peer != NULL)
			wg_device_send_initiation(w->d[from].dev, peer, w->now);
		break;
	case 1:
		fh_pump(st, (a + 1) * 4);
		break;
	case 2:
		op_deliver(st, a);
		break;
	case 3:
		for (link = 0; link <= (a & 3); link++)
			fw_pop(w, &st->scratch);
		break;
	case 4:
		op_replay(st, a);
		break;
	case 5:
		op_send(st, a);
		break;
	case 6:
		op_seal(st, a);
		break;
	case 7:
		fw_advance(w, dts[a & 7]);
		if (a & 8)
			fh_pump(st, FW_QUEUE_LEN);
		break;
	case 8:
		w->d[a % FW_NDEV].under_load = !w->d[a % FW_NDEV].under_load;
		break;
	case 9:
		op_raw(st, a);
		break;
	case 10:
		op_config(st, a);
		break;
	case 11:
		if (a & 4) {
			op_driver(st, a);
			break;
		}
		peer = fw_peer(w, from, to);
		fw_enter(w, from);
		if (peer != NULL)
			wg_device_send_keepalive(w->d[from].dev, peer, w->now);
		break;
	case 12:
		op_next(st);
		break;
	case 13:
		op_sendip(st, a);
		break;
	case 14:
		op_stage(st, a);
		break;
	default:
		secs = fz_u32(&st->in);
		if (a & 1)
			w->real -= w->real / WG_NSEC_PER_SEC > secs ?
				secs * WG_NSEC_PER_SEC : 0;
		else
			w->real += (uint64_t)secs * WG_NSEC_PER_SEC;
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fh *st;
	unsigned int wflags = 0, n;
	uint8_t setup;

	if (size < 1)
		return 0;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		fh_fail("out of memory");
	fz_in_init(&st->in, data, size);
	setup = fz_u8(&st->in);
	if (setup & 2)
		wflags |= FW_SESSION_A;
	if (setup & 4)
		wflags |= FW_PENDING_B;
	st->w = fw_world_create(wflags);
	st->w->d[FW_T].under_load = setup & 1;
	for (n = 0; n < FH_MAX_OPS && fz_in_left(&st->in) != 0; n++)
		fh_op(st, fz_u8(&st->in));
	fw_world_free(st->w);
	free(st);
	return 0;
}
