/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Timer state machine tests with a fake clock: every event's effect on
 * every timer, jitter bounds, retry counting and giving up, keepalive
 * and new-handshake scenarios, zeroing, persistent keepalive, stop(),
 * next_deadline() and the deadline encoding at the ends of the clock.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "test.h"
#include "wireguard/constants.h"
#include "wireguard/timers.h"

#define S	WG_NSEC_PER_SEC
#define MS	WG_NSEC_PER_MSEC
#define JMAX	WG_REKEY_TIMEOUT_JITTER_MAX
#define ZERO_AFTER	(3 * WG_REJECT_AFTER_TIME)

static bool
in_range(uint64_t v, uint64_t lo, uint64_t hi_excl)
{
	return v >= lo && v < hi_excl;
}

static uint64_t
min_armed(const struct wg_timers *t)
{
	const uint64_t d[] = {
		t->retransmit_handshake, t->send_keepalive, t->new_handshake,
		t->zero_key_material, t->persistent_keepalive,
	};
	uint64_t m = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < 5; i++)
		if (d[i] && d[i] < m)
			m = d[i];
	return m;
}

static void
test_init(void)
{
	struct wg_timers t;

	memset(&t, 0xa5, sizeof(t));
	wg_timers_init(&t, 25);
	CHECK(t.retransmit_handshake == 0 && t.send_keepalive == 0 &&
	      t.new_handshake == 0 && t.zero_key_material == 0 &&
	      t.persistent_keepalive == 0);
	CHECK(t.handshake_attempts == 0);
	CHECK(t.persistent_keepalive_interval == 25);
	CHECK(!t.need_another_keepalive && !t.sent_lastminute_handshake &&
	      !t.dead);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);
	CHECK(wg_timers_expire(&t, 0) == 0);
	CHECK(wg_timers_expire(&t, UINT64_MAX) == 0);
}

/* Jitter: within [0, 333 ms) and actually spread, for both users. */
static void
test_jitter(void)
{
	enum { TRIALS = 20000 };
	uint64_t now = 1000 * S, lo = UINT64_MAX, hi = 0, sum = 0, d;
	uint64_t nlo = UINT64_MAX, nhi = 0;
	unsigned int i, low_half = 0, out = 0;
	struct wg_timers t;

	for (i = 0; i < TRIALS; i++) {
		wg_timers_init(&t, 0);
		wg_timers_handshake_initiated(&t, now);
		d = t.retransmit_handshake - now;
		out += !in_range(d, WG_REKEY_TIMEOUT, WG_REKEY_TIMEOUT + JMAX);
		d -= WG_REKEY_TIMEOUT;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		sum += d;
		low_half += d < JMAX / 2;

		wg_timers_data_sent(&t, now);
		d = t.new_handshake - now;
		out += !in_range(d, WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT,
				 WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT + JMAX);
		d -= WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT;
		nlo = d < nlo ? d : nlo;
		nhi = d > nhi ? d : nhi;
	}
	printf("jitter over %u trials: min %llu ns, max %llu ns, mean %llu ns\n",
	       TRIALS, (unsigned long long)lo, (unsigned long long)hi,
	       (unsigned long long)(sum / TRIALS));
	CHECK(out == 0);
	/* Spread: both ends of [0, 333 ms) are reached within a few ms. */
	CHECK(lo < 5 * MS && hi > JMAX - 5 * MS && hi < JMAX);
	CHECK(nlo < 5 * MS && nhi > JMAX - 5 * MS && nhi < JMAX);
	CHECK(in_range(sum / TRIALS, JMAX / 2 - 10 * MS, JMAX / 2 + 10 * MS));
	CHECK(in_range(low_half, TRIALS * 45 / 100, TRIALS * 55 / 100));
}

static void
test_retransmit_and_give_up(void)
{
	struct wg_timers t;
	uint64_t now = 7 * S, first;
	unsigned int a, retries = 0, initiations = 1, guard = 0;

	wg_timers_init(&t, 0);
	wg_timers_handshake_queued(&t, false);
	wg_timers_handshake_initiated(&t, now);
	CHECK(in_range(t.retransmit_handshake, now + WG_REKEY_TIMEOUT,
		       now + WG_REKEY_TIMEOUT + JMAX));
	CHECK(wg_timers_next_deadline(&t) == t.retransmit_handshake);
	/* mod_timer semantics: initiating again moves the deadline. */
	first = t.retransmit_handshake;
	wg_timers_handshake_initiated(&t, now + S);
	CHECK(t.retransmit_handshake >= first + S - JMAX);
	now += S;

	for (;;) {
		now = t.retransmit_handshake;
		/* Not yet: one ns early does nothing. */
		CHECK(wg_timers_expire(&t, now - 1) == 0);
		if (t.handshake_attempts == WG_MAX_TIMER_HANDSHAKES + 1) {
			/* a keepalive is pending when we give up */
			wg_timers_data_received(&t, now - 1);
			CHECK(t.send_keepalive == now - 1 + WG_KEEPALIVE_TIMEOUT);
		}
		a = wg_timers_expire(&t, now);
		if (a == WG_TIMER_GIVE_UP)
			break;
		CHECK(a == WG_TIMER_RETRY_INITIATION);
		if (a != WG_TIMER_RETRY_INITIATION || ++guard > 100)
			break;
		retries++;
		CHECK(t.handshake_attempts == retries);
		CHECK(t.retransmit_handshake == 0);
		/* The owner sends the retry; sending re-arms the timer. */
		wg_timers_handshake_queued(&t, true);
		CHECK(t.handshake_attempts == retries);
		wg_timers_any_authenticated_packet_sent(&t, now);
		wg_timers_handshake_initiated(&t, now);
		initiations++;
		CHECK(in_range(t.retransmit_handshake, now + WG_REKEY_TIMEOUT,
			       now + WG_REKEY_TIMEOUT + JMAX));
	}
	/*
	 * Linux: give up once attempts > MAX_TIMER_HANDSHAKES (90 s / 5 s =
	 * 18): 19 retries, 20 initiations, then GIVE_UP on the 20th expiry.
	 */
	printf("retransmit: %u retries, %u initiations, gave up after %.3f s\n",
	       retries, initiations, (double)(now - 8 * S) / S);
	CHECK(WG_MAX_TIMER_HANDSHAKES == 18);
	CHECK(retries == WG_MAX_TIMER_HANDSHAKES + 1);
	CHECK(initiations == WG_MAX_TIMER_HANDSHAKES + 2);
	CHECK(t.handshake_attempts == WG_MAX_TIMER_HANDSHAKES + 1);
	CHECK(in_range(now - 8 * S, 20 * WG_REKEY_TIMEOUT,
		       20 * (WG_REKEY_TIMEOUT + JMAX)));
	/* Give-up: retransmit idle, keepalive cancelled, zeroing scheduled. */
	CHECK(t.retransmit_handshake == 0);
	CHECK(t.send_keepalive == 0);
	CHECK(t.zero_key_material == now + ZERO_AFTER);
	CHECK(wg_timers_next_deadline(&t) == now + ZERO_AFTER);
	CHECK(wg_timers_expire(&t, now + ZERO_AFTER - 1) == 0);
	CHECK(wg_timers_expire(&t, now + ZERO_AFTER) == WG_TIMER_ZERO_KEYS);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);

	/* Expiry after giving up without a new initiation: gives up again. */
	t.retransmit_handshake = now + ZERO_AFTER + 1;
	CHECK(wg_timers_expire(&t, now + ZERO_AFTER + 1) == WG_TIMER_GIVE_UP);
	/* A non-retry initiation starts a new cycle of 19 retries. */
	wg_timers_handshake_queued(&t, false);
	CHECK(t.handshake_attempts == 0);

	/* If zeroing is already pending, giving up keeps its deadline. */
	wg_timers_init(&t, 0);
	wg_timers_session_derived(&t, 100 * S);
	t.handshake_attempts = WG_MAX_TIMER_HANDSHAKES + 1;
	wg_timers_handshake_initiated(&t, 200 * S);
	now = t.retransmit_handshake;
	CHECK(wg_timers_expire(&t, now) == WG_TIMER_GIVE_UP);
	CHECK(t.zero_key_material == 100 * S + ZERO_AFTER);

	/* Exactly at the limit: attempts == 18 still retries. */
	wg_timers_init(&t, 0);
	t.handshake_attempts = WG_MAX_TIMER_HANDSHAKES;
	wg_timers_handshake_initiated(&t, S);
	CHECK(wg_timers_expire(&t, t.retransmit_handshake) ==
	      WG_TIMER_RETRY_INITIATION);
	CHECK(t.handshake_attempts == WG_MAX_TIMER_HANDSHAKES + 1);
}

static void
test_handshake_complete(void)
{
	struct wg_timers t;

	wg_timers_init(&t, 0);
	wg_timers_handshake_initiated(&t, S);
	t.handshake_attempts = 7;
	t.sent_lastminute_handshake = true;
	wg_timers_handshake_complete(&t, 2 * S);
	CHECK(t.retransmit_handshake == 0);
	CHECK(t.handshake_attempts == 0);
	CHECK(!t.sent_lastminute_handshake);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);
	CHECK(wg_timers_expire(&t, 100 * S) == 0);
}

static void
test_send_keepalive(void)
{
	struct wg_timers t;
	uint64_t t0 = 50 * S;

	/* Receive-only for 10 s: exactly one keepalive, at 10 s. */
	wg_timers_init(&t, 0);
	wg_timers_any_authenticated_packet_received(&t, t0);
	wg_timers_data_received(&t, t0);
	CHECK(t.send_keepalive == t0 + WG_KEEPALIVE_TIMEOUT);
	CHECK(wg_timers_next_deadline(&t) == t0 + WG_KEEPALIVE_TIMEOUT);
	CHECK(wg_timers_expire(&t, t0 + WG_KEEPALIVE_TIMEOUT - 1) == 0);
	CHECK(wg_timers_expire(&t, t0 + WG_KEEPALIVE_TIMEOUT) ==
	      WG_TIMER_SEND_KEEPALIVE);
	CHECK(t.send_keepalive == 0);
	CHECK(wg_timers_expire(&t, t0 + 100 * S) == 0);

	/* Later data while pending does not move it, but asks for another. */
	wg_timers_data_received(&t, t0);
	wg_timers_data_received(&t, t0 + 3 * S);
	CHECK(t.send_keepalive == t0 + WG_KEEPALIVE_TIMEOUT);
	CHECK(t.need_another_keepalive);
	CHECK(wg_timers_expire(&t, t0 + WG_KEEPALIVE_TIMEOUT) ==
	      WG_TIMER_SEND_KEEPALIVE);
	CHECK(!t.need_another_keepalive);
	CHECK(t.send_keepalive == t0 + 2 * WG_KEEPALIVE_TIMEOUT);
	CHECK(wg_timers_expire(&t, t0 + 2 * WG_KEEPALIVE_TIMEOUT) ==
	      WG_TIMER_SEND_KEEPALIVE);
	CHECK(t.send_keepalive == 0);

	/* As in Linux, the keepalive's own send (reported after the expiry)
	 * cancels the re-armed timer.
	 */
	wg_timers_data_received(&t, t0);
	wg_timers_data_received(&t, t0 + S);
	CHECK(wg_timers_expire(&t, t0 + WG_KEEPALIVE_TIMEOUT) ==
	      WG_TIMER_SEND_KEEPALIVE);
	CHECK(t.send_keepalive != 0);
	wg_timers_any_authenticated_packet_traversal(&t,
						     t0 + WG_KEEPALIVE_TIMEOUT);
	wg_timers_any_authenticated_packet_sent(&t, t0 + WG_KEEPALIVE_TIMEOUT);
	CHECK(t.send_keepalive == 0);

	/* Data sent in between: no keepalive at all. */
	wg_timers_init(&t, 0);
	wg_timers_data_received(&t, t0);
	wg_timers_any_authenticated_packet_traversal(&t, t0 + 4 * S);
	wg_timers_any_authenticated_packet_sent(&t, t0 + 4 * S);
	wg_timers_data_sent(&t, t0 + 4 * S);
	CHECK(t.send_keepalive == 0);
	CHECK((wg_timers_expire(&t, t0 + WG_KEEPALIVE_TIMEOUT) &
	       WG_TIMER_SEND_KEEPALIVE) == 0);

	/* A handshake message sent counts as a sent packet too. */
	wg_timers_init(&t, 0);
	wg_timers_data_received(&t, t0);
	wg_timers_any_authenticated_packet_sent(&t, t0 + 9 * S);
	CHECK(wg_timers_expire(&t, t0 + 20 * S) == 0);

	/* Receiving a keepalive (no data) does not arm it. */
	wg_timers_init(&t, 0);
	wg_timers_any_authenticated_packet_received(&t, t0);
	wg_timers_any_authenticated_packet_traversal(&t, t0);
	CHECK(t.send_keepalive == 0);
}

static void
test_new_handshake(void)
{
	struct wg_timers t;
	uint64_t t0 = 3 * S, d;

	/* Send-only: a new initiation after 15 s + jitter. */
	wg_timers_init(&t, 0);
	wg_timers_data_sent(&t, t0);
	d = t.new_handshake;
	CHECK(in_range(d, t0 + 15 * S, t0 + 15 * S + JMAX));
	CHECK(WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT == 15 * S);
	/* More data while pending does not push it back. */
	wg_timers_data_sent(&t, t0 + 5 * S);
	CHECK(t.new_handshake == d);
	CHECK(wg_timers_next_deadline(&t) == d);
	t.handshake_attempts = 5;
	CHECK(wg_timers_expire(&t, d - 1) == 0);
	CHECK(wg_timers_expire(&t, d) == WG_TIMER_SEND_INITIATION);
	CHECK(t.handshake_attempts == 0);
	CHECK(t.new_handshake == 0);
	CHECK(wg_timers_expire(&t, d + 100 * S) == 0);

	/* Any authenticated packet received in time cancels it. */
	wg_timers_data_sent(&t, t0);
	wg_timers_any_authenticated_packet_received(&t, t0 + 14 * S);
	CHECK(t.new_handshake == 0);
	CHECK(wg_timers_expire(&t, t0 + 16 * S) == 0);
	/* ... and the next data packet arms it afresh. */
	wg_timers_data_sent(&t, t0 + 20 * S);
	CHECK(in_range(t.new_handshake, t0 + 35 * S, t0 + 35 * S + JMAX));

	/* data_received alone does not cancel it: the receive path reports
	 * any_authenticated_packet_received for that.
	 */
	wg_timers_init(&t, 0);
	wg_timers_data_sent(&t, t0);
	wg_timers_data_received(&t, t0 + S);
	CHECK(t.new_handshake != 0);
}

static void
test_zero_key_material(void)
{
	struct wg_timers t;

	wg_timers_init(&t, 0);
	wg_timers_session_derived(&t, 0);
	CHECK(t.zero_key_material == 540 * S);
	CHECK(ZERO_AFTER == 540 * S);
	/* A new session moves it (mod_timer). */
	wg_timers_session_derived(&t, 10 * S);
	CHECK(t.zero_key_material == 550 * S);
	CHECK(wg_timers_expire(&t, 550 * S - 1) == 0);
	CHECK(wg_timers_expire(&t, 550 * S) == WG_TIMER_ZERO_KEYS);
	CHECK(t.zero_key_material == 0);
	CHECK(wg_timers_expire(&t, 2000 * S) == 0);
	/* Handshake completion and traffic leave it alone. */
	wg_timers_session_derived(&t, 0);
	wg_timers_handshake_complete(&t, S);
	wg_timers_any_authenticated_packet_received(&t, S);
	wg_timers_any_authenticated_packet_sent(&t, S);
	CHECK(t.zero_key_material == 540 * S);
}

static void
test_persistent_keepalive(void)
{
	struct wg_timers t;
	uint64_t now = 0, n = 0;
	int i;

	/* Off: traversal arms nothing, expiry sends nothing. */
	wg_timers_init(&t, 0);
	wg_timers_any_authenticated_packet_traversal(&t, 5 * S);
	CHECK(t.persistent_keepalive == 0);

	/* Enabling sends one at once; changing a non-zero value does not. */
	CHECK(wg_timers_set_persistent_keepalive(&t, 25, S) ==
	      WG_TIMER_SEND_KEEPALIVE);
	CHECK(t.persistent_keepalive_interval == 25);
	CHECK(wg_timers_set_persistent_keepalive(&t, 30, S) == 0);
	CHECK(wg_timers_set_persistent_keepalive(&t, 30, S) == 0);
	CHECK(wg_timers_set_persistent_keepalive(&t, 25, S) == 0);

	/* Period: every traversal pushes it to now + interval. */
	wg_timers_any_authenticated_packet_traversal(&t, 10 * S);
	CHECK(t.persistent_keepalive == 35 * S);
	wg_timers_any_authenticated_packet_traversal(&t, 20 * S);
	CHECK(t.persistent_keepalive == 45 * S);
	CHECK(wg_timers_next_deadline(&t) == 45 * S);
	CHECK(wg_timers_expire(&t, 45 * S - 1) == 0);
	CHECK(wg_timers_expire(&t, 45 * S) == WG_TIMER_SEND_KEEPALIVE);
	CHECK(t.persistent_keepalive == 0);

	/* An idle tunnel with the owner's send path in the loop: one
	 * keepalive every 25 s.
	 */
	wg_timers_init(&t, 25);
	now = 1000 * S;
	wg_timers_any_authenticated_packet_traversal(&t, now);
	for (i = 0; i < 100; i++) {
		uint64_t next = wg_timers_next_deadline(&t);
		unsigned int a;

		CHECK(next == now + 25 * S);
		now = next;
		a = wg_timers_expire(&t, now);
		CHECK(a == WG_TIMER_SEND_KEEPALIVE);
		n += a == WG_TIMER_SEND_KEEPALIVE;
		wg_timers_any_authenticated_packet_traversal(&t, now);
		wg_timers_any_authenticated_packet_sent(&t, now);
	}
	CHECK(n == 100);

	/* The largest interval does not overflow. */
	wg_timers_set_persistent_keepalive(&t, 65535, now);
	wg_timers_any_authenticated_packet_traversal(&t, now);
	CHECK(t.persistent_keepalive == now + 65535 * S);

	/* Disabling: no keepalive and no pending wake-up. */
	CHECK(wg_timers_set_persistent_keepalive(&t, 0, now) == 0);
	CHECK(t.persistent_keepalive == 0);
	CHECK(wg_timers_expire(&t, UINT64_MAX - 1) == 0);
	/* A pending timer whose interval went to 0 fires into nothing. */
	t.persistent_keepalive = now + S;
	CHECK(wg_timers_expire(&t, now + S) == 0);
	CHECK(t.persistent_keepalive == 0);
}

static void
test_stop(void)
{
	struct wg_timers t;
	uint64_t now = 10 * S;

	wg_timers_init(&t, 25);
	wg_timers_handshake_initiated(&t, now);
	wg_timers_data_received(&t, now);
	wg_timers_data_received(&t, now);
	wg_timers_data_sent(&t, now);
	wg_timers_session_derived(&t, now);
	wg_timers_any_authenticated_packet_traversal(&t, now);
	CHECK(t.retransmit_handshake && t.send_keepalive && t.new_handshake &&
	      t.zero_key_material && t.persistent_keepalive);

	wg_timers_stop(&t);
	CHECK(t.dead);
	CHECK(!t.retransmit_handshake && !t.send_keepalive &&
	      !t.new_handshake && !t.zero_key_material &&
	      !t.persistent_keepalive);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);

	/* Inert: nothing arms, nothing fires, nothing is asked for. */
	wg_timers_handshake_initiated(&t, now);
	wg_timers_data_received(&t, now);
	wg_timers_data_sent(&t, now);
	wg_timers_session_derived(&t, now);
	wg_timers_any_authenticated_packet_traversal(&t, now);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);
	CHECK(wg_timers_expire(&t, UINT64_MAX) == 0);
	CHECK(wg_timers_set_persistent_keepalive(&t, 0, now) == 0);
	CHECK(wg_timers_set_persistent_keepalive(&t, 5, now) == 0);
	/* Even deadlines poked in by hand never fire on a dead peer. */
	t.zero_key_material = now;
	CHECK(wg_timers_expire(&t, now) == 0);
}

static void
test_deadline_encoding(void)
{
	struct wg_timers t;

	/* now == 0 still yields armed (non-zero) deadlines. */
	wg_timers_init(&t, 1);
	wg_timers_data_received(&t, 0);
	wg_timers_any_authenticated_packet_traversal(&t, 0);
	wg_timers_session_derived(&t, 0);
	wg_timers_handshake_initiated(&t, 0);
	wg_timers_data_sent(&t, 0);
	CHECK(t.send_keepalive == WG_KEEPALIVE_TIMEOUT);
	CHECK(t.persistent_keepalive == S);
	CHECK(t.zero_key_material == ZERO_AFTER);
	CHECK(t.retransmit_handshake >= WG_REKEY_TIMEOUT);
	CHECK(t.new_handshake >= 15 * S);
	CHECK(wg_timers_next_deadline(&t) == S);
	CHECK(wg_timers_expire(&t, 0) == 0);

	/* Near the end of the clock deadlines saturate below UINT64_MAX. */
	wg_timers_init(&t, 65535);
	wg_timers_data_received(&t, UINT64_MAX - S);
	wg_timers_session_derived(&t, UINT64_MAX - 2);
	wg_timers_any_authenticated_packet_traversal(&t, UINT64_MAX);
	CHECK(t.send_keepalive == UINT64_MAX - 1);
	CHECK(t.zero_key_material == UINT64_MAX - 1);
	CHECK(t.persistent_keepalive == UINT64_MAX - 1);
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX - 1);
	CHECK(wg_timers_expire(&t, UINT64_MAX - 2) == 0);
	CHECK(wg_timers_expire(&t, UINT64_MAX - 1) ==
	      (WG_TIMER_SEND_KEEPALIVE | WG_TIMER_ZERO_KEYS));
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);
}

/* Several timers due in one call: every action at once, all disarmed. */
static void
test_expire_many(void)
{
	struct wg_timers t;
	unsigned int a;

	wg_timers_init(&t, 25);
	wg_timers_handshake_initiated(&t, 0);
	wg_timers_data_received(&t, 0);
	wg_timers_data_sent(&t, 0);
	wg_timers_session_derived(&t, 0);
	wg_timers_any_authenticated_packet_traversal(&t, 0);
	a = wg_timers_expire(&t, 1000 * S);
	CHECK(a == (WG_TIMER_RETRY_INITIATION | WG_TIMER_SEND_KEEPALIVE |
		    WG_TIMER_SEND_INITIATION | WG_TIMER_ZERO_KEYS));
	CHECK(wg_timers_next_deadline(&t) == UINT64_MAX);

	/* Giving up in the same call suppresses the due keepalive. */
	wg_timers_init(&t, 0);
	t.handshake_attempts = WG_MAX_TIMER_HANDSHAKES + 1;
	wg_timers_handshake_initiated(&t, 0);
	wg_timers_data_received(&t, 0);
	a = wg_timers_expire(&t, 20 * S);
	CHECK(a == WG_TIMER_GIVE_UP);
	CHECK(t.zero_key_material == 20 * S + ZERO_AFTER);
}

/* Random events: next_deadline() is always the earliest armed timer,
 * and expire() fires exactly the timers at or before now.
 */
static void
test_random_next_deadline(void)
{
	struct wg_timers t, before;
	uint64_t now = 0;
	unsigned int i, bad = 0, fired = 0;

	wg_timers_init(&t, 0);
	for (i = 0; i < 200000; i++) {
		uint32_t r = randombytes_uniform(12);

		now += randombytes_uniform(4000) * MS;
		switch (r) {
		case 0: wg_timers_data_sent(&t, now); break;
		case 1: wg_timers_data_received(&t, now); break;
		case 2: wg_timers_any_authenticated_packet_sent(&t, now); break;
		case 3: wg_timers_any_authenticated_packet_received(&t, now);
			break;
		case 4: wg_timers_any_authenticated_packet_traversal(&t, now);
			break;
		case 5: wg_timers_handshake_initiated(&t, now); break;
		case 6: wg_timers_handshake_complete(&t, now); break;
		case 7: wg_timers_session_derived(&t, now); break;
		case 8:
			wg_timers_set_persistent_keepalive(&t,
				(uint16_t)randombytes_uniform(3) * 7, now);
			break;
		default: {
			unsigned int a;

			before = t;
			a = wg_timers_expire(&t, now);
			fired += a != 0;
			/* Everything due is now disarmed or pushed past now. */
			bad += t.retransmit_handshake && t.retransmit_handshake <= now;
			bad += t.send_keepalive && t.send_keepalive <= now;
			bad += t.new_handshake && t.new_handshake <= now;
			bad += t.zero_key_material && t.zero_key_material <= now;
			bad += t.persistent_keepalive && t.persistent_keepalive <= now;
			/* Nothing fires before the reported deadline. */
			bad += wg_timers_next_deadline(&before) > now && a != 0;
			break;
		}
		}
		bad += wg_timers_next_deadline(&t) != min_armed(&t);
	}
	printf("random timer events: %u expiries with actions\n", fired);
	CHECK(fired > 1000);
	CHECK(bad == 0);
}

int
main(void)
{
	CHECK(sodium_init() >= 0);
	test_init();
	test_jitter();
	test_retransmit_and_give_up();
	test_handshake_complete();
	test_send_keepalive();
	test_new_handshake();
	test_zero_key_material();
	test_persistent_keepalive();
	test_stop();
	test_deadline_encoding();
	test_expire_many();
	test_random_next_deadline();
	TEST_MAIN_END();
}
