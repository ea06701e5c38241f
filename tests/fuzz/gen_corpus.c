/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Writes the seed corpora of fuzz_messages, fuzz_handshake and fuzz_uapi
 * under DIR/<harness>/ (tests/fuzz/corpus in the source tree):
 *
 *   build-fuzz/tests/fuzz/gen_corpus tests/fuzz/corpus
 *
 * fuzz_messages seeds are real messages captured from the deterministic
 * world of fuzz_world.h, created with the same flags the seed's first
 * byte gives the harness, so they are valid there: initiations T
 * answers, a response and a cookie reply to T's pending initiation, data
 * messages T decrypts, whole sessions as record lists. fuzz_handshake
 * seeds are operation programs (handshakes in both directions, cookies
 * under load, sealed data, replays, timers, configuration changes).
 * fuzz_uapi seeds are requests naming the fixture's peers.
 *
 * Rerun it whenever the protocol core changes the way it draws random
 * numbers or builds messages, and commit the result.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"
#include "fuzz_uapi_fixture.h"
#include "fuzz_world.h"

/* fuzz_messages flags (fuzz_messages.c) */
#define FM_UNDER_LOAD	0x01
#define FM_FIX_MAC	0x02
#define FM_SESSION	0x04
#define FM_PENDING	0x08
#define FM_SRC_B	0x10
#define FM_SRC_V4	0x20
#define FM_SRC_V6	0x30
#define FM_TIMERS	0x40
#define FM_MULTI	0x80

#define LINK_TA		0
#define LINK_TB		1
#define LINK_AT		2
#define LINK_BT		3
#define OP(code, a)	((uint8_t)((code) | ((a) << 4)))

static const char *outdir;
static unsigned int written;

/* A growable byte string. */
struct bs {
	uint8_t buf[16384];
	size_t len;
};

static void
die(const char *what)
{
	fprintf(stderr, "gen_corpus: %s\n", what);
	exit(1);
}

static void
bs_put(struct bs *b, const void *p, size_t n)
{
	if (b->len + n > sizeof(b->buf))
		die("seed too large");
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void
bs_u8(struct bs *b, uint8_t v)
{
	bs_put(b, &v, 1);
}

static void
bs_u16(struct bs *b, uint16_t v)
{
	bs_u8(b, (uint8_t)v);
	bs_u8(b, (uint8_t)(v >> 8));
}

static void
bs_u32(struct bs *b, uint32_t v)
{
	bs_u16(b, (uint16_t)v);
	bs_u16(b, (uint16_t)(v >> 16));
}

static void
bs_u64(struct bs *b, uint64_t v)
{
	bs_u32(b, (uint32_t)v);
	bs_u32(b, (uint32_t)(v >> 32));
}

static void
mkdir_p(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("mkdir");
}

static void
save(const char *harness, const char *name, const struct bs *b)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, harness);
	mkdir_p(path);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, harness, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(b->buf, 1, b->len, f) != b->len ||
	    fclose(f) != 0)
		die("cannot write a seed");
	written++;
}

/* Pops the next queued datagram, which must go from -> to. */
static void
take(struct fw_world *w, int from, int to, struct fw_pkt *p)
{
	if (!fw_pop(w, p) || p->from != from || p->to != to)
		die("unexpected traffic in the world");
}

static void
send_ipv4(struct fw_world *w, int from, int to, size_t len)
{
	uint8_t pkt[FW_MAX_PKT];

	len = fw_ipv4(pkt, len, w->d[from].inner4, w->d[to].inner4);
	fw_enter(w, from);
	if (wg_device_send(w->d[from].dev, pkt, len, w->now) != WG_OK)
		die("send failed");
}

static void
send_raw(struct fw_world *w, int from, int to, const uint8_t *pkt,
	 size_t len)
{
	fw_enter(w, from);
	if (wg_device_send_to_peer(w->d[from].dev, fw_peer(w, from, to), pkt,
				   len, w->now) != WG_OK)
		die("send failed");
}

/* One-message fuzz_messages seed: flags byte, then the datagram. */
static void
save_msg(const char *name, uint8_t flags, const struct fw_pkt *p)
{
	struct bs b = { .len = 0 };

	bs_u8(&b, flags);
	bs_put(&b, p->buf, p->len);
	save("fuzz_messages", name, &b);
}

static void
rec(struct bs *b, const struct fw_pkt *p)
{
	bs_u16(b, (uint16_t)p->len);
	bs_put(b, p->buf, p->len);
}

static void
gen_messages(void)
{
	struct fw_pkt p, q;
	struct fw_world *w;
	struct bs b;
	uint8_t pkt[FW_MAX_PKT];
	size_t len;

	/* initiations T answers */
	w = fw_world_create(0);
	fw_enter(w, FW_A);
	wg_device_send_initiation(w->d[FW_A].dev, fw_peer(w, FW_A, FW_T), w->now);
	take(w, FW_A, FW_T, &p);
	save_msg("init_a", 0, &p);
	save_msg("init_a_timers", FM_TIMERS, &p);
	save_msg("init_a_load", FM_UNDER_LOAD, &p);
	save_msg("init_a_spoofed_v6", FM_SRC_V6, &p);
	p.buf[20] ^= 1;
	save_msg("init_a_fixmac_bitflip", FM_FIX_MAC, &p);
	fw_world_free(w);

	w = fw_world_create(0);
	fw_enter(w, FW_B);
	wg_device_send_initiation(w->d[FW_B].dev, fw_peer(w, FW_B, FW_T), w->now);
	take(w, FW_B, FW_T, &p);
	save_msg("init_b_psk", FM_SRC_B, &p);
	fw_world_free(w);

	/* B's response and cookie reply to T's pending initiation */
	w = fw_world_create(FW_PENDING_B);
	take(w, FW_T, FW_B, &p);
	fw_deliver(w, &p);
	take(w, FW_B, FW_T, &q);
	save_msg("resp_b", FM_PENDING | FM_SRC_B, &q);
	fw_world_free(w);

	w = fw_world_create(FW_PENDING_B);
	w->d[FW_B].under_load = true;
	take(w, FW_T, FW_B, &p);
	fw_deliver(w, &p);
	take(w, FW_B, FW_T, &q);
	save_msg("cookie_b", FM_PENDING | FM_SRC_B, &q);
	fw_world_free(w);

	/* an initiation with a valid mac2 (T under load) */
	w = fw_world_create(0);
	w->d[FW_T].under_load = true;
	fw_enter(w, FW_A);
	wg_device_send_initiation(w->d[FW_A].dev, fw_peer(w, FW_A, FW_T), w->now);
	fw_pump(w, 2);			/* initiation, cookie reply */
	fw_advance(w, WG_REKEY_TIMEOUT + WG_REKEY_TIMEOUT_JITTER_MAX);
	take(w, FW_A, FW_T, &p);	/* the retry, with mac2 */
	save_msg("init_a_mac2_load", FM_UNDER_LOAD, &p);
	fw_world_free(w);

	/* data under the A <-> T session */
	w = fw_world_create(FW_SESSION_A);
	send_ipv4(w, FW_A, FW_T, 60);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_ipv4", FM_SESSION, &p);
	save_msg("data_a_ipv4_roamed", FM_SESSION | FM_SRC_V4, &p);
	len = fw_ipv6(pkt, 100, w->d[FW_A].inner6, w->d[FW_T].inner6);
	send_raw(w, FW_A, FW_T, pkt, len);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_ipv6", FM_SESSION, &p);
	fw_enter(w, FW_A);
	wg_device_send_keepalive(w->d[FW_A].dev, fw_peer(w, FW_A, FW_T), w->now);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_keepalive", FM_SESSION, &p);
	len = fw_ipv4(pkt, 1400, w->d[FW_A].inner4, w->d[FW_T].inner4);
	send_raw(w, FW_A, FW_T, pkt, len);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_ipv4_1400", FM_SESSION, &p);
	len = fw_ipv4(pkt, 40, w->d[FW_B].inner4, w->d[FW_T].inner4);
	send_raw(w, FW_A, FW_T, pkt, len);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_wrong_source", FM_SESSION, &p);
	pkt[0] = 0x55;
	send_raw(w, FW_A, FW_T, pkt, len);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_bad_version", FM_SESSION, &p);
	len = fw_ipv4(pkt, 40, w->d[FW_A].inner4, w->d[FW_T].inner4);
	pkt[2] = 0x10;			/* claims 4 KiB */
	send_raw(w, FW_A, FW_T, pkt, len);
	take(w, FW_A, FW_T, &p);
	save_msg("data_a_long_claim", FM_SESSION | FM_TIMERS, &p);
	fw_world_free(w);

	/* whole sessions as records: T answers, A confirms, A sends */
	w = fw_world_create(0);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_MULTI);
	fw_enter(w, FW_A);
	wg_device_send_initiation(w->d[FW_A].dev, fw_peer(w, FW_A, FW_T), w->now);
	take(w, FW_A, FW_T, &p);
	rec(&b, &p);
	fw_deliver(w, &p);
	take(w, FW_T, FW_A, &q);
	fw_deliver(w, &q);		/* A: session, keepalive */
	take(w, FW_A, FW_T, &q);
	rec(&b, &q);
	send_ipv4(w, FW_A, FW_T, 84);
	take(w, FW_A, FW_T, &q);
	rec(&b, &q);
	rec(&b, &q);			/* and its replay */
	save("fuzz_messages", "session_a", &b);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_MULTI);
	rec(&b, &p);
	rec(&b, &p);
	save("fuzz_messages", "init_a_replayed", &b);
	fw_world_free(w);

	/* junk */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_FIX_MAC);
	memset(pkt, 0, 148);
	pkt[0] = 1;
	bs_put(&b, pkt, 148);
	save("fuzz_messages", "init_zero_fixmac", &b);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_FIX_MAC | FM_PENDING);
	memset(pkt, 0, 92);
	pkt[0] = 2;
	bs_put(&b, pkt, 92);
	save("fuzz_messages", "resp_zero_fixmac", &b);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_SESSION);
	memset(pkt, 0, 32);
	pkt[0] = 4;
	bs_put(&b, pkt, 32);
	save("fuzz_messages", "data_unknown_index", &b);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, FM_PENDING);
	memset(pkt, 0, 64);
	pkt[0] = 3;
	bs_put(&b, pkt, 64);
	save("fuzz_messages", "cookie_unknown_index", &b);
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_put(&b, "\x01\x00\x00\x01", 4);
	save("fuzz_messages", "short_reserved", &b);
}

/* ---- fuzz_handshake programs ---- */

static void
h_mut(struct bs *b, uint8_t kind, uint16_t pos, uint8_t val)
{
	bs_u8(b, kind);
	bs_u16(b, pos);
	bs_u8(b, val);
}

static void
h_seal(struct bs *b, int link, uint8_t mode, uint64_t counter, uint8_t shape,
       uint16_t len)
{
	bs_u8(b, OP(6, link));
	bs_u8(b, mode);
	if (((mode >> 2) & 3) == 1)
		bs_u64(b, counter);
	else if (((mode >> 2) & 3) == 2)
		bs_u8(b, (uint8_t)counter);
	else if (((mode >> 2) & 3) == 3)
		bs_u16(b, (uint16_t)counter);
	bs_u8(b, shape);
	bs_u16(b, len);
}

static void
gen_handshake(void)
{
	struct bs b;

	/* A -> T, data both ways */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(13, LINK_AT));
	bs_u16(&b, 60);
	bs_u8(&b, OP(13, LINK_TA | 4));
	bs_u16(&b, 80);
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "handshake_a", &b);

	/* B -> T with its preshared key, IPv6 data */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_BT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(13, LINK_BT | 4));
	bs_u16(&b, 120);
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "handshake_b", &b);

	/* T initiates: consume_response on T */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_TA));
	bs_u8(&b, OP(1, 0));		/* A gets the initiation */
	bs_u8(&b, OP(2, 1));		/* T gets a mutated response */
	h_mut(&b, 0, 12, 0x40);
	bs_u8(&b, OP(0, LINK_TB));
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "t_initiates", &b);

	/* mutated initiations, macs fixed */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(2, 1));
	h_mut(&b, 5, 8, 2);		/* low-order ephemeral */
	bs_u8(&b, OP(7, 1));
	bs_u8(&b, OP(4, 0 | 4));	/* replay, one mutation */
	h_mut(&b, 0, 100, 1);		/* in the timestamp */
	save("fuzz_handshake", "init_mutated", &b);

	/* under load: cookie, then mac2 */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 1);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 0));		/* cookie reply to A */
	bs_u8(&b, OP(1, 0));
	bs_u8(&b, OP(7, 3 | 8));	/* 5.5 s: the retry carries mac2 */
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(13, LINK_AT));
	bs_u16(&b, 200);
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "cookie_under_load", &b);

	/* sealed data: in order, odd inner headers, explicit, old, ahead */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 2);
	h_seal(&b, LINK_AT, 0, 0, 0, 64);
	h_seal(&b, LINK_AT, 0, 0, 1 | 8, 70);
	h_seal(&b, LINK_AT, 0, 0, 4, 40);
	bs_u16(&b, 4000);		/* claimed length */
	h_seal(&b, LINK_AT, 0, 0, 3, 40);
	bs_put(&b, "\x0a\x09\x00\x03", 4);	/* B's source address */
	h_seal(&b, LINK_AT, 0, 0, 2, 24);
	bs_put(&b, "\x60\x00\x00\x00\x00\x10\x11\x40", 8);
	bs_put(&b, "0123456789abcdef", 16);
	h_seal(&b, LINK_AT, 1 << 2, 5000, 0, 40);
	h_seal(&b, LINK_AT, 2 << 2, 3, 0, 40);
	bs_u8(&b, OP(4, 3));		/* replay the last data message */
	h_seal(&b, LINK_AT, 3 << 2, 9000, 0, 40);
	h_seal(&b, LINK_TA, 0, 0, 0, 64);
	save("fuzz_handshake", "sealed_data", &b);

	/* timers: rekey, expiry, zeroing */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 2);
	bs_u8(&b, OP(13, LINK_AT));
	bs_u16(&b, 60);
	bs_u8(&b, OP(7, 6 | 8));
	bs_u8(&b, OP(13, LINK_AT));
	bs_u16(&b, 60);
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(12, 0));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(7, 7 | 8));
	bs_u8(&b, OP(12, 0));
	bs_u8(&b, OP(7, 7 | 8));
	bs_u8(&b, OP(13, LINK_TA));
	bs_u16(&b, 60);
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "timers", &b);

	/* configuration changes mid-session */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 2);
	bs_u8(&b, OP(10, 1));		/* T re-creates A */
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(10, 5));		/* T takes A's private key */
	bs_u8(&b, 2);
	bs_u8(&b, OP(0, LINK_BT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(10, 5));		/* and gets its own back */
	bs_u8(&b, 1);
	bs_u8(&b, OP(10, 1));
	bs_u8(&b, 0);
	bs_u8(&b, OP(7, 3));
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(10, 0));		/* a psk A does not know */
	bs_u8(&b, 1);
	bs_put(&b, "0123456789abcdef0123456789abcdef", 32);
	bs_u8(&b, OP(7, 3));
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(10, 6));		/* A re-creates T */
	bs_u8(&b, 0);
	bs_u8(&b, OP(10, 4));		/* keepalive on A */
	bs_u8(&b, 0);
	bs_u8(&b, 1);
	bs_u8(&b, OP(10, 3));		/* A steals B's address */
	bs_u8(&b, 1);
	bs_u8(&b, OP(10, 7));		/* T's MTU */
	bs_u16(&b, 576);
	bs_u8(&b, OP(12, 0));
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "config_changes", &b);

	/* staged packets, driver buffers, keepalives */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(14, LINK_AT));
	bs_u8(&b, 40);
	bs_put(&b, "\x45\x00\x00\x28\x00\x00\x00\x00\x40\x11\x00\x00"
	       "\x0a\x09\x00\x02\x0a\x09\x00\x01", 20);
	bs_put(&b, "0123456789abcdefghij", 20);
	bs_u8(&b, OP(5, LINK_AT));
	bs_u16(&b, 3);
	bs_put(&b, "abc", 3);
	bs_u8(&b, OP(11, LINK_TB));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "staged", &b);

	/* the split data path: T as the DPDK data path reports */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(2, 4));		/* T: initiation, sends a response */
	bs_u8(&b, OP(2, 4));		/* A: session, keepalive queued */
	bs_u8(&b, OP(3, 0));		/* the keepalive is lost */
	bs_u8(&b, OP(11, LINK_AT | 4));	/* confirm T's next by id */
	bs_u8(&b, (2 << 2) | 1);
	bs_u8(&b, OP(11, LINK_AT | 4));	/* data under it, now current */
	bs_u8(&b, 0x10 | (0 << 2) | 0);
	bs_u64(&b, 0);
	bs_u16(&b, 60);
	bs_u8(&b, OP(11, LINK_AT | 4));	/* counters, timers */
	bs_u8(&b, 2);
	bs_u8(&b, 3);
	bs_u8(&b, 1);
	bs_u32(&b, 400);
	bs_u8(&b, OP(11, LINK_TA | 4));	/* T sent, as the data path */
	bs_u8(&b, 3);
	bs_u8(&b, 2);
	bs_u8(&b, 0);
	bs_u32(&b, 200);
	bs_u8(&b, OP(7, 6 | 8));
	bs_u8(&b, OP(11, LINK_AT | 4));	/* an unknown id */
	bs_u8(&b, 0x10 | 1);
	bs_u64(&b, 12345);
	save("fuzz_handshake", "split_data_path", &b);

	/* T's initiation to B pending: mutated response */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 4);
	bs_u8(&b, OP(2, 4));		/* to B as it is */
	bs_u8(&b, OP(2, 2));		/* B's response, two mutations */
	h_mut(&b, 4, 8, 0);
	bs_u32(&b, 0);
	h_mut(&b, 0, 70, 1);
	bs_u8(&b, OP(0, LINK_BT));
	bs_u8(&b, OP(1, 3));
	save("fuzz_handshake", "pending_b_mutated_response", &b);

	/* wall clock going backwards: an older timestamp is a replay */
	memset(&b, 0, sizeof(b));
	bs_u8(&b, 0);
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(15, 1));
	bs_u32(&b, 3600);
	bs_u8(&b, OP(7, 3));
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(10, 1));		/* T re-creates A: timestamp forgotten */
	bs_u8(&b, 0);
	bs_u8(&b, OP(7, 3));
	bs_u8(&b, OP(0, LINK_AT));
	bs_u8(&b, OP(1, 3));
	bs_u8(&b, OP(9, 0 | 4));	/* raw to T, mac1 fixed */
	bs_u16(&b, 148);
	bs_u8(&b, 1);
	save("fuzz_handshake", "wallclock_back", &b);
}

/* ---- fuzz_uapi requests ---- */

static void
hex(char out[65], const uint8_t key[32])
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", key[i]);
}

static void
uapi_seed(const char *name, uint8_t flags, const char *fmt, ...)
{
	struct bs b = { .len = 0 };
	va_list ap;
	int n;

	bs_u8(&b, flags);
	va_start(ap, fmt);
	n = vsnprintf((char *)b.buf + 1, sizeof(b.buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b.buf) - 1)
		die("seed too large");
	b.len += (size_t)n;
	save("fuzz_uapi", name, &b);
}

static void
gen_uapi(void)
{
	struct fu_fixture fx;
	char p0[65], p1[65], p2[65], k[65], nk[65];
	uint8_t newkey[32];
	int i;

	fu_fixture_keys(&fx);
	hex(p0, fx.peer_pub[0]);
	hex(p1, fx.peer_pub[1]);
	hex(p2, fx.peer_pub[2]);
	hex(k, fx.priv);
	for (i = 0; i < 32; i++)
		newkey[i] = (uint8_t)(0x40 + i);
	hex(nk, newkey);

	uapi_seed("get", 0, "get=1\n\n");
	uapi_seed("get_streamed", 0x01 | (40 << 2), "get=1\n\n");
	uapi_seed("set_interface", 0,
		  "set=1\nprivate_key=%s\nlisten_port=51999\nfwmark=7\n\n", nk);
	uapi_seed("set_peer_update", 0,
		  "set=1\npublic_key=%s\nendpoint=[2001:db8::9]:4000\n"
		  "persistent_keepalive_interval=25\nreplace_allowed_ips=true\n"
		  "allowed_ip=10.9.0.2/32\nallowed_ip=fd00:9::/64\n"
		  "allowed_ip=10.9.1.0/24\n\n", p0);
	uapi_seed("set_new_peer", 0,
		  "set=1\npublic_key=%s\npreshared_key=%s\n"
		  "endpoint=192.0.2.9:51820\nprotocol_version=1\n"
		  "allowed_ip=0.0.0.0/0\n\n", nk, k);
	uapi_seed("set_remove", 0,
		  "set=1\npublic_key=%s\nremove=true\npublic_key=%s\n"
		  "update_only=true\nallowed_ip=10.9.0.77/32\n\n", p1, p2);
	uapi_seed("set_replace_peers", 0,
		  "set=1\nreplace_peers=true\npublic_key=%s\n"
		  "allowed_ip=10.0.0.0/8\n\n", p2);
	uapi_seed("set_own_key", 0,
		  "set=1\nprivate_key=%s\npublic_key=%s\nallowed_ip=10.1.0.0/16\n\n",
		  k, p0);
	uapi_seed("set_refused_late", 0,
		  "set=1\npublic_key=%s\nallowed_ip=10.9.0.2/32\n"
		  "public_key=%s\nallowed_ip=10.9.0.300/32\n\n", p1, p0);
	uapi_seed("set_port_hook_fails", 0,
		  "set=1\nlisten_port=1\npublic_key=%s\nremove=true\n\n", p0);
	uapi_seed("set_fwmark_hook_fails", 0,
		  "set=1\nfwmark=57005\nreplace_peers=true\n\n");
	uapi_seed("set_unterminated", 0,
		  "set=1\npublic_key=%s\nremove=true\n", p0);
	uapi_seed("two_requests", 0x01 | (3 << 2),
		  "get=1\n\nset=1\npublic_key=%s\nendpoint=1.2.3.4:5\n\nget=1\n\n",
		  p2);
	uapi_seed("small_limits", 0x02,
		  "set=1\npublic_key=%s\nallowed_ip=10.9.3.0/24\nallowed_ip="
		  "2001:db8:1234:5678:9abc:def0:1234:5678/128\n\n", nk);
	uapi_seed("bad_lines", 0x03 | (20 << 2),
		  "set=1\nlisten_port=65536\nprivate_key=zz\nnoequals\n\n");
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR (tests/fuzz/corpus)\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	mkdir_p(outdir);
	if (fz_rng_install() != 0 || wg_crypto_init() != 0)
		die("crypto init");
	gen_messages();
	gen_handshake();
	gen_uapi();
	printf("gen_corpus: %u seeds under %s\n", written, outdir);
	return 0;
}
