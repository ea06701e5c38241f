/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_TIMERS_H
#define WG_TIMERS_H

/*
 * Per-peer WireGuard timers (Linux timers.c semantics) as a pure state
 * machine: the owner reports events with the current monotonic time (ns),
 * asks for the next deadline, and calls wg_timers_expire() at or after it
 * to learn which actions are due. No clock, thread or packet I/O here.
 *
 * Timers and what arms them:
 *   retransmit_handshake  handshake_initiated: REKEY_TIMEOUT + jitter;
 *                         on expiry retry while attempts <=
 *                         MAX_TIMER_HANDSHAKES (18), i.e. 19 retries and
 *                         20 initiations in all as in Linux, then give up
 *                         and schedule zeroing
 *   send_keepalive        data_received (if not armed): KEEPALIVE_TIMEOUT;
 *                         cancelled by any_authenticated_packet_sent
 *   new_handshake         data_sent (if not armed): KEEPALIVE + REKEY_TIMEOUT
 *                         + jitter; cancelled by any_authenticated_packet_received
 *   zero_key_material     session_derived: 3 * REJECT_AFTER_TIME
 *   persistent_keepalive  any_authenticated_packet_traversal: interval
 *
 * Actions replace what the Linux expiry handlers send: the caller sends
 * (initiation, keepalive) and its send/receive paths then report the
 * usual events, which re-arm or cancel timers as in Linux. Jitter comes
 * from libsodium (randombytes_uniform): call sodium_init() at start-up.
 */

#include <stdbool.h>
#include <stdint.h>

enum wg_timer_action {
	WG_TIMER_SEND_INITIATION	= 1 << 0, /* new handshake (not a retry) */
	WG_TIMER_RETRY_INITIATION	= 1 << 1, /* retransmit; caller may re-resolve endpoint */
	WG_TIMER_SEND_KEEPALIVE		= 1 << 2, /* empty data packet */
	WG_TIMER_GIVE_UP		= 1 << 3, /* drop staged packets, stop retrying */
	WG_TIMER_ZERO_KEYS		= 1 << 4, /* wipe keypairs and handshake */
};

struct wg_timers {
	/*
	 * Absolute deadlines in ns; 0 = not armed. Every delay is at least
	 * a second and now + delay saturates at UINT64_MAX - 1, so an armed
	 * deadline is never 0 (nor UINT64_MAX), even with now == 0.
	 */
	uint64_t retransmit_handshake;
	uint64_t send_keepalive;
	uint64_t new_handshake;
	uint64_t zero_key_material;
	uint64_t persistent_keepalive;

	unsigned int handshake_attempts;
	uint16_t persistent_keepalive_interval;	/* s, 0 = off */
	bool need_another_keepalive;
	bool sent_lastminute_handshake;
	bool dead;	/* peer being removed: nothing arms any more */
};

void
wg_timers_init(struct wg_timers *t, uint16_t persistent_keepalive_interval);
/* Changing the interval to non-zero sends a keepalive at once (as Linux). */
unsigned int
wg_timers_set_persistent_keepalive(struct wg_timers *t, uint16_t interval,
				   uint64_t now);

/* Events (Linux wg_timers_*). */
void wg_timers_data_sent(struct wg_timers *t, uint64_t now);
void wg_timers_data_received(struct wg_timers *t, uint64_t now);
void wg_timers_any_authenticated_packet_sent(struct wg_timers *t, uint64_t now);
void wg_timers_any_authenticated_packet_received(struct wg_timers *t, uint64_t now);
void wg_timers_any_authenticated_packet_traversal(struct wg_timers *t, uint64_t now);
void wg_timers_handshake_initiated(struct wg_timers *t, uint64_t now);
void wg_timers_handshake_complete(struct wg_timers *t, uint64_t now);
void wg_timers_session_derived(struct wg_timers *t, uint64_t now);
void wg_timers_stop(struct wg_timers *t);	/* peer removal */
/*
 * A handshake initiation is being queued (Linux
 * wg_packet_send_queued_handshake_initiation): one that is not a retry
 * (data without a key, rekey, keep_key_fresh) restarts the attempt count.
 * wg_timers_expire() does this itself for WG_TIMER_SEND_INITIATION and
 * counts WG_TIMER_RETRY_INITIATION, so the caller need not for those.
 */
void wg_timers_handshake_queued(struct wg_timers *t, bool is_retry);

/* Earliest armed deadline, or UINT64_MAX if none. */
uint64_t
wg_timers_next_deadline(const struct wg_timers *t);

/* Disarms every timer due at now and returns the OR of their actions. */
unsigned int
wg_timers_expire(struct wg_timers *t, uint64_t now);

#endif /* WG_TIMERS_H */
