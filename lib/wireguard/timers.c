/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Per-peer timers as a pure state machine (Linux timers.c semantics).
 *
 * Arming is refused once the peer is dead (Linux mod_peer_timer);
 * cancelling always works. What a Linux expiry handler does by sending
 * a packet is returned as an action instead: the caller sends, and its
 * send and receive paths report the usual events afterwards (so, as in
 * Linux where the send completes later, a keepalive sent for an expired
 * send_keepalive cancels the re-armed send_keepalive timer through
 * wg_timers_any_authenticated_packet_sent(), and a persistent keepalive
 * re-arms its timer through wg_timers_any_authenticated_packet_traversal()).
 *
 * Retries: Linux gives up when the attempt count already exceeds
 * MAX_TIMER_HANDSHAKES (18) at expiry, so retransmit_handshake yields
 * 19 retries (attempts 1..19) and gives up at the 20th expiry: 20
 * initiations in all, about REKEY_ATTEMPT_TIME + 2 * REKEY_TIMEOUT.
 */

#include <string.h>

#include <sodium.h>

#include "constants.h"
#include "timers.h"

/* The latest deadline that can be stored; UINT64_MAX means "none". */
#define TIMER_FAR	(UINT64_MAX - 1)

static uint64_t
timer_at(uint64_t now, uint64_t delay)
{
	/* delay >= 1 s everywhere, so the result is never 0 */
	if (now >= TIMER_FAR - delay)
		return TIMER_FAR;
	return now + delay;
}

static uint64_t
timer_jitter(void)
{
	return randombytes_uniform((uint32_t)WG_REKEY_TIMEOUT_JITTER_MAX);
}

static bool
timer_due(uint64_t deadline, uint64_t now)
{
	return deadline != 0 && deadline <= now;
}

void
wg_timers_init(struct wg_timers *t, uint16_t persistent_keepalive_interval)
{
	memset(t, 0, sizeof(*t));
	t->persistent_keepalive_interval = persistent_keepalive_interval;
}

unsigned int
wg_timers_set_persistent_keepalive(struct wg_timers *t, uint16_t interval,
				   uint64_t now)
{
	bool send_now = t->persistent_keepalive_interval == 0 &&
		interval != 0 && !t->dead;

	(void)now;
	t->persistent_keepalive_interval = interval;
	/*
	 * Linux leaves a pending timer to fire into a no-op; disarming it
	 * has the same effect without a useless wake-up.
	 */
	if (interval == 0)
		t->persistent_keepalive = 0;
	return send_now ? WG_TIMER_SEND_KEEPALIVE : 0;
}

void
wg_timers_data_sent(struct wg_timers *t, uint64_t now)
{
	if (t->dead || t->new_handshake != 0)
		return;
	t->new_handshake = timer_at(now, WG_KEEPALIVE_TIMEOUT +
				    WG_REKEY_TIMEOUT + timer_jitter());
}

void
wg_timers_data_received(struct wg_timers *t, uint64_t now)
{
	if (t->dead)
		return;
	if (t->send_keepalive == 0)
		t->send_keepalive = timer_at(now, WG_KEEPALIVE_TIMEOUT);
	else
		t->need_another_keepalive = true;
}

void
wg_timers_any_authenticated_packet_sent(struct wg_timers *t, uint64_t now)
{
	(void)now;
	t->send_keepalive = 0;
}

void
wg_timers_any_authenticated_packet_received(struct wg_timers *t, uint64_t now)
{
	(void)now;
	t->new_handshake = 0;
}

void
wg_timers_any_authenticated_packet_traversal(struct wg_timers *t, uint64_t now)
{
	if (t->dead || t->persistent_keepalive_interval == 0)
		return;
	t->persistent_keepalive = timer_at(now,
		(uint64_t)t->persistent_keepalive_interval * WG_NSEC_PER_SEC);
}

void
wg_timers_handshake_initiated(struct wg_timers *t, uint64_t now)
{
	if (t->dead)
		return;
	t->retransmit_handshake = timer_at(now, WG_REKEY_TIMEOUT +
					   timer_jitter());
}

void
wg_timers_handshake_complete(struct wg_timers *t, uint64_t now)
{
	(void)now;
	t->retransmit_handshake = 0;
	t->handshake_attempts = 0;
	t->sent_lastminute_handshake = false;
}

void
wg_timers_session_derived(struct wg_timers *t, uint64_t now)
{
	if (t->dead)
		return;
	t->zero_key_material = timer_at(now, 3 * WG_REJECT_AFTER_TIME);
}

void
wg_timers_stop(struct wg_timers *t)
{
	t->retransmit_handshake = 0;
	t->send_keepalive = 0;
	t->new_handshake = 0;
	t->zero_key_material = 0;
	t->persistent_keepalive = 0;
	t->need_another_keepalive = false;
	t->dead = true;
}

void
wg_timers_handshake_queued(struct wg_timers *t, bool is_retry)
{
	if (!is_retry)
		t->handshake_attempts = 0;
}

uint64_t
wg_timers_next_deadline(const struct wg_timers *t)
{
	const uint64_t d[] = {
		t->retransmit_handshake, t->send_keepalive, t->new_handshake,
		t->zero_key_material, t->persistent_keepalive,
	};
	uint64_t next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (d[i] != 0 && d[i] < next)
			next = d[i];
	return next;
}

unsigned int
wg_timers_expire(struct wg_timers *t, uint64_t now)
{
	unsigned int actions = 0;

	if (t->dead)
		return 0;

	if (timer_due(t->retransmit_handshake, now)) {
		t->retransmit_handshake = 0;
		if (t->handshake_attempts > WG_MAX_TIMER_HANDSHAKES) {
			/* Give up: no keepalive, wipe the residue later. */
			actions |= WG_TIMER_GIVE_UP;
			t->send_keepalive = 0;
			if (t->zero_key_material == 0)
				t->zero_key_material = timer_at(now,
					3 * WG_REJECT_AFTER_TIME);
		} else {
			t->handshake_attempts++;
			actions |= WG_TIMER_RETRY_INITIATION;
		}
	}

	if (timer_due(t->send_keepalive, now)) {
		t->send_keepalive = 0;
		actions |= WG_TIMER_SEND_KEEPALIVE;
		if (t->need_another_keepalive) {
			t->need_another_keepalive = false;
			t->send_keepalive = timer_at(now, WG_KEEPALIVE_TIMEOUT);
		}
	}

	if (timer_due(t->new_handshake, now)) {
		t->new_handshake = 0;
		/* a fresh initiation, not a retry: the count restarts */
		t->handshake_attempts = 0;
		actions |= WG_TIMER_SEND_INITIATION;
	}

	if (timer_due(t->zero_key_material, now)) {
		t->zero_key_material = 0;
		actions |= WG_TIMER_ZERO_KEYS;
	}

	if (timer_due(t->persistent_keepalive, now)) {
		t->persistent_keepalive = 0;
		if (t->persistent_keepalive_interval != 0)
			actions |= WG_TIMER_SEND_KEEPALIVE;
	}

	return actions;
}
