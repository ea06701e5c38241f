/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Rate limiter tests with a fake clock: the timing sequence of the Linux
 * self-test (burst of 5, refill after 1/20 s), IPv6 /64 sharing, table
 * capacity and expiry.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include <sodium.h>

#include "test.h"
#include "wireguard/constants.h"
#include "wireguard/ratelimiter.h"

#define COST	(WG_NSEC_PER_SEC / WG_RATELIMIT_PACKETS_PER_SECOND)
#define BURST	WG_RATELIMIT_PACKETS_BURSTABLE

static struct wg_endpoint
v4(uint32_t host_order, uint16_t port)
{
	struct wg_endpoint e = { .family = AF_INET, .port = port };

	e.addr[0] = host_order >> 24;
	e.addr[1] = host_order >> 16;
	e.addr[2] = host_order >> 8;
	e.addr[3] = host_order;
	return e;
}

static struct wg_endpoint
v6(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint16_t port)
{
	struct wg_endpoint e = { .family = AF_INET6, .port = port };
	uint32_t w[4] = { a, b, c, d };
	int i;

	for (i = 0; i < 16; i++)
		e.addr[i] = w[i / 4] >> (24 - 8 * (i % 4));
	return e;
}

/*
 * The Linux timing table: verdict for one source, and the time slept
 * before asking. Each step also asks for a source never seen (always
 * allowed), and for IPv6 the host half of the address changes at every
 * step while the /64 stays: the /64 is the bucket.
 */
static const struct {
	bool allowed;
	uint64_t sleep_before;
} timings[] = {
	{ true, 0 }, { true, 0 }, { true, 0 }, { true, 0 }, { true, 0 },
	{ false, 0 },
	{ true, COST },
	{ false, 0 },
	{ true, COST * 2 },
	{ true, 0 },
	{ false, 0 },
};

static void
test_linux_timings(void)
{
	struct wg_ratelimiter *rl = wg_ratelimiter_create(4096);
	struct wg_endpoint s4 = v4(8182, 1), other, s6;
	uint64_t now = 1000 * WG_NSEC_PER_SEC;
	unsigned int i;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	for (i = 0; i < sizeof(timings) / sizeof(timings[0]); i++) {
		now += timings[i].sleep_before;

		CHECK(wg_ratelimiter_allow(rl, &s4, now) == timings[i].allowed);
		other = v4(8182 + i + 1, 1);
		CHECK(wg_ratelimiter_allow(rl, &other, now));

		s6 = v6(1212, 289188, i, i, 1);
		CHECK(wg_ratelimiter_allow(rl, &s6, now) == timings[i].allowed);
		other = v6(1212 + i + 1, 289188, i, i, 1);
		CHECK(wg_ratelimiter_allow(rl, &other, now));
	}
	wg_ratelimiter_free(rl);
}

/* Exact refill boundaries, burst cap and a steady rate. */
static void
test_bucket_arithmetic(void)
{
	struct wg_ratelimiter *rl = wg_ratelimiter_create(64);
	struct wg_endpoint s = v4(0x0a000001, 51820);
	uint64_t t0 = 5 * WG_NSEC_PER_SEC, t, allowed;
	int i;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	for (i = 0; i < BURST; i++)
		CHECK(wg_ratelimiter_allow(rl, &s, t0));
	CHECK(!wg_ratelimiter_allow(rl, &s, t0));
	/* One nanosecond short of a token, then exactly one. */
	CHECK(!wg_ratelimiter_allow(rl, &s, t0 + COST - 1));
	CHECK(wg_ratelimiter_allow(rl, &s, t0 + COST));
	CHECK(!wg_ratelimiter_allow(rl, &s, t0 + COST));
	/* Refused packets do not cost: the credit keeps accruing. */
	CHECK(!wg_ratelimiter_allow(rl, &s, t0 + COST + COST / 2));
	CHECK(wg_ratelimiter_allow(rl, &s, t0 + 2 * COST));

	/* A long idle period refills only up to the burst. */
	t = t0 + 2 * COST + 600 * WG_NSEC_PER_SEC;
	for (i = 0; i < BURST; i++)
		CHECK(wg_ratelimiter_allow(rl, &s, t));
	CHECK(!wg_ratelimiter_allow(rl, &s, t));

	/* A clock that steps back earns nothing and does not break. */
	CHECK(!wg_ratelimiter_allow(rl, &s, t - WG_NSEC_PER_SEC));
	CHECK(wg_ratelimiter_allow(rl, &s, t + COST));

	/* One packet a millisecond for 10 s from a new source: the burst,
	 * then one every 50 ms (t = 50, 100 ... 9950 ms).
	 */
	s = v4(0x0a000002, 1);
	allowed = 0;
	for (i = 0; i < 10000; i++)
		allowed += wg_ratelimiter_allow(rl, &s,
						t0 + (uint64_t)i * WG_NSEC_PER_MSEC);
	CHECK(allowed == BURST + 199);
	wg_ratelimiter_free(rl);
}

static void
drain(struct wg_ratelimiter *rl, const struct wg_endpoint *s, uint64_t now)
{
	int i;

	for (i = 0; i < BURST; i++)
		CHECK(wg_ratelimiter_allow(rl, s, now));
	CHECK(!wg_ratelimiter_allow(rl, s, now));
}

static void
test_keys(void)
{
	struct wg_ratelimiter *rl = wg_ratelimiter_create(64);
	struct wg_endpoint a, b, none = { .family = 0 };
	uint64_t now = WG_NSEC_PER_SEC;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;

	/* Two addresses of one /64 share a bucket, whatever the port. */
	a = v6(0x20010db8, 0x00010002, 0x1, 0x1, 1000);
	b = v6(0x20010db8, 0x00010002, 0xffffffff, 0x12345678, 2000);
	drain(rl, &a, now);
	CHECK(!wg_ratelimiter_allow(rl, &b, now));
	CHECK(wg_ratelimiter_count(rl) == 1);

	/* The neighbouring /64 (last bit of the prefix) is separate. */
	b = v6(0x20010db8, 0x00010003, 0x1, 0x1, 1000);
	drain(rl, &b, now);
	CHECK(wg_ratelimiter_count(rl) == 2);

	/* IPv4: the full address, port ignored. */
	a = v4(0xc0a80001, 1);
	b = v4(0xc0a80001, 65535);
	drain(rl, &a, now);
	CHECK(!wg_ratelimiter_allow(rl, &b, now));
	b = v4(0xc0a80002, 1);
	CHECK(wg_ratelimiter_allow(rl, &b, now));

	/* An IPv6 /64 whose bytes start like an IPv4 source is another key,
	 * and so is the IPv4-mapped form (keyed as IPv6 ::ffff:0:0/64).
	 */
	b = v6(0xc0a80001, 0, 0, 0, 1);
	CHECK(wg_ratelimiter_allow(rl, &b, now));
	b = v6(0, 0, 0xffff, 0xc0a80001, 1);
	CHECK(wg_ratelimiter_allow(rl, &b, now));
	CHECK(wg_ratelimiter_count(rl) == 6);

	/* No family: refused, nothing stored. */
	CHECK(!wg_ratelimiter_allow(rl, &none, now));
	CHECK(wg_ratelimiter_count(rl) == 6);
	wg_ratelimiter_free(rl);
}

static void
test_capacity(void)
{
	enum { MAX = 1000 };
	struct wg_ratelimiter *rl = wg_ratelimiter_create(MAX);
	struct wg_endpoint s;
	uint64_t now = 42 * WG_NSEC_PER_SEC;
	unsigned int i, ok = 0;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	/* As the Linux capacity test: max entries pass, the next is refused. */
	for (i = 0; i <= MAX; i++) {
		s = v4(i, 0);
		CHECK(wg_ratelimiter_allow(rl, &s, now) == (i != MAX));
	}
	CHECK(wg_ratelimiter_count(rl) == MAX);
	/* Known sources keep their buckets while the table is full. */
	s = v4(7, 0);
	CHECK(wg_ratelimiter_allow(rl, &s, now));
	/* Full is full for IPv6 too. */
	s = v6(0x20010db8, 0, 0, 1, 0);
	CHECK(!wg_ratelimiter_allow(rl, &s, now));

	/* Idle for over a second: gc frees everything, new sources pass. */
	wg_ratelimiter_gc(rl, now + WG_NSEC_PER_SEC + 1);
	CHECK(wg_ratelimiter_count(rl) == 0);
	CHECK(wg_ratelimiter_allow(rl, &s, now + 2 * WG_NSEC_PER_SEC));
	for (i = 0; i < 2 * MAX; i++) {
		s = v6(0x20010db8, i, 7, 7, 0);
		ok += wg_ratelimiter_allow(rl, &s, now + 2 * WG_NSEC_PER_SEC);
	}
	CHECK(ok == MAX);	/* i == 0 is the /64 of s, known already */
	CHECK(wg_ratelimiter_count(rl) == MAX);
	wg_ratelimiter_free(rl);

	/* Degenerate sizes. */
	errno = 0;
	CHECK(wg_ratelimiter_create(0) == NULL);
	CHECK(errno == EINVAL);
	rl = wg_ratelimiter_create(1);
	CHECK(rl != NULL);
	if (rl != NULL) {
		s = v4(1, 0);
		CHECK(wg_ratelimiter_allow(rl, &s, 1));
		s = v4(2, 0);
		CHECK(!wg_ratelimiter_allow(rl, &s, 1));
		wg_ratelimiter_free(rl);
	}
	wg_ratelimiter_free(NULL);
}

static void
test_gc(void)
{
	struct wg_ratelimiter *rl = wg_ratelimiter_create(128);
	struct wg_endpoint a = v4(0x01020304, 0), b = v4(0x01020305, 0);
	uint64_t t = 10 * WG_NSEC_PER_SEC;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	drain(rl, &a, t);
	CHECK(wg_ratelimiter_allow(rl, &b, t + WG_NSEC_PER_SEC / 2));
	CHECK(wg_ratelimiter_count(rl) == 2);

	/* Idle exactly one second is not "over a second". */
	wg_ratelimiter_gc(rl, t + WG_NSEC_PER_SEC);
	CHECK(wg_ratelimiter_count(rl) == 2);
	wg_ratelimiter_gc(rl, t + WG_NSEC_PER_SEC + 1);
	CHECK(wg_ratelimiter_count(rl) == 1);
	/* a was dropped: it comes back as new, with a full burst ... */
	drain(rl, &a, t + WG_NSEC_PER_SEC + 2);
	CHECK(wg_ratelimiter_count(rl) == 2);
	/* ... and b, last seen at t + 0.5 s, goes at t + 1.5 s + 1 ns. */
	wg_ratelimiter_gc(rl, t + WG_NSEC_PER_SEC + WG_NSEC_PER_SEC / 2);
	CHECK(wg_ratelimiter_count(rl) == 2);
	wg_ratelimiter_gc(rl, t + WG_NSEC_PER_SEC + WG_NSEC_PER_SEC / 2 + 1);
	CHECK(wg_ratelimiter_count(rl) == 1);
	/* A refused packet still counts as activity (Linux updates the time
	 * before deciding): a was drained at t + 1 s + 2 ns.
	 */
	t += WG_NSEC_PER_SEC + 2;
	CHECK(!wg_ratelimiter_allow(rl, &a, t + COST / 2));
	wg_ratelimiter_gc(rl, t + WG_NSEC_PER_SEC + 1);
	CHECK(wg_ratelimiter_count(rl) == 1);
	wg_ratelimiter_gc(rl, t + COST / 2 + WG_NSEC_PER_SEC + 1);
	CHECK(wg_ratelimiter_count(rl) == 0);
	/* A gc with a clock behind the entries drops nothing. */
	CHECK(wg_ratelimiter_allow(rl, &a, t + 10 * WG_NSEC_PER_SEC));
	wg_ratelimiter_gc(rl, 0);
	CHECK(wg_ratelimiter_count(rl) == 1);
	wg_ratelimiter_gc(rl, UINT64_MAX);
	CHECK(wg_ratelimiter_count(rl) == 0);
	wg_ratelimiter_free(rl);
}

/* Many sources in a large table: every one keeps its own bucket. */
static void
test_many(void)
{
	enum { N = 50000 };
	struct wg_ratelimiter *rl = wg_ratelimiter_create(N);
	struct wg_endpoint s;
	unsigned int i, bad = 0;
	int k;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	for (i = 0; i < N; i++) {
		s = v6(0x20010db8, i, 0, 0, 0);
		for (k = 0; k < BURST; k++)
			bad += !wg_ratelimiter_allow(rl, &s, 1);
	}
	for (i = 0; i < N; i++) {
		s = v6(0x20010db8, i, 1, 1, 0);
		bad += wg_ratelimiter_allow(rl, &s, 1);
	}
	CHECK(bad == 0);
	CHECK(wg_ratelimiter_count(rl) == N);
	wg_ratelimiter_gc(rl, 2 * WG_NSEC_PER_SEC);
	CHECK(wg_ratelimiter_count(rl) == 0);
	wg_ratelimiter_free(rl);
}

int
main(void)
{
	CHECK(sodium_init() >= 0);
	test_linux_timings();
	test_bucket_arithmetic();
	test_keys();
	test_capacity();
	test_gc();
	test_many();
	TEST_MAIN_END();
}
