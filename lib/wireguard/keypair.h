/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_KEYPAIR_H
#define WG_KEYPAIR_H

/*
 * Session keypairs (Linux noise.c keypair part) and a peer's three slots.
 *
 * A keypair holds the two transport keys derived at the end of a
 * handshake, our index (the receiver index of data sent to us) and the
 * peer's, its birth time, the sending counter and the replay window.
 *
 * Slots: the initiator may send as soon as it has consumed the response,
 * so its new keypair becomes `current` at once. The responder cannot know
 * that the initiator received its response, so its new keypair waits in
 * `next` until the first data packet under it arrives (key confirmation);
 * then previous <- current <- next.
 *
 * Concurrency: slot pointers and the validity flags are C11 atomics and
 * the sending counter is an atomic fetch-add, so data-path threads may
 * read the slots (acquire), check validity and take nonces while one
 * control thread changes the slots. A keypair taken out of its slot is
 * handed to the device's keypair_retire hook, which must keep it alive
 * until no reader can hold it any more (RCU) and then call
 * wg_keypair_free(). The replay window has one consumer: the per-peer
 * ordering stage.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "constants.h"
#include "index_table.h"
#include "messages.h"
#include "replay.h"

struct wg_peer;

struct wg_keypair {
	struct wg_index_entry entry;	/* our index (WG_INDEX_KEYPAIR) */
	uint8_t sending_key[WG_SYMMETRIC_KEY_LEN];
	uint8_t receiving_key[WG_SYMMETRIC_KEY_LEN];
	_Atomic uint64_t sending_counter;	/* next nonce to use */
	struct wg_replay replay;
	uint64_t birthdate;		/* monotonic ns at derivation */
	atomic_bool sending_valid;
	atomic_bool receiving_valid;
	bool is_initiator;
	uint32_t remote_index;		/* receiver index for data we send */
	uint64_t internal_id;
	struct wg_peer *peer;
};

struct wg_keypairs {
	_Atomic(struct wg_keypair *) current;
	_Atomic(struct wg_keypair *) previous;
	_Atomic(struct wg_keypair *) next;
};

static inline bool
wg_birthdate_has_expired(uint64_t birthdate, uint64_t lifetime, uint64_t now)
{
	return now >= birthdate + lifetime;
}

static inline uint32_t
wg_keypair_local_index(const struct wg_keypair *kp)
{
	return kp->entry.index;
}

static inline struct wg_keypair *
wg_keypairs_current(struct wg_keypairs *kps)
{
	return atomic_load_explicit(&kps->current, memory_order_acquire);
}

static inline struct wg_keypair *
wg_keypairs_next(struct wg_keypairs *kps)
{
	return atomic_load_explicit(&kps->next, memory_order_acquire);
}

static inline struct wg_keypair *
wg_keypairs_previous(struct wg_keypairs *kps)
{
	return atomic_load_explicit(&kps->previous, memory_order_acquire);
}

/* Allocated zeroed with both directions valid, born at now. NULL on ENOMEM. */
struct wg_keypair *
wg_keypair_create(struct wg_peer *peer, uint64_t now);
/* Wipes every key byte and frees; NULL is a no-op. */
void
wg_keypair_free(struct wg_keypair *kp);

/* The keypair may encrypt now: valid and younger than REJECT_AFTER_TIME. */
bool
wg_keypair_can_send(struct wg_keypair *kp, uint64_t now);

/*
 * Takes the next sending nonce (atomic). False, and the keypair marked
 * unusable for sending, when the counter reached REJECT_AFTER_MESSAGES.
 */
bool
wg_keypair_take_nonce(struct wg_keypair *kp, uint64_t *nonce);

/*
 * The keypair may decrypt now: valid, younger than REJECT_AFTER_TIME and
 * its counter below REJECT_AFTER_MESSAGES; otherwise it is marked invalid.
 */
bool
wg_keypair_can_receive(struct wg_keypair *kp, uint64_t now);

/*
 * Rekey on send (Linux send.c keep_key_fresh): more than
 * REKEY_AFTER_MESSAGES sent, or we initiated it REKEY_AFTER_TIME ago.
 */
bool
wg_keypair_should_rekey_on_send(struct wg_keypair *kp, uint64_t now);

/*
 * Rekey on receive (Linux receive.c keep_key_fresh): we initiated it and
 * it is REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT (165 s) old.
 */
bool
wg_keypair_should_rekey_on_receive(struct wg_keypair *kp, uint64_t now);

/*
 * Slot changes: control thread only. Every keypair pushed out of the slots
 * is removed from the device's index table and passed to the retire hook.
 */

/* A freshly derived keypair: current (initiator) or next (responder). */
void
wg_keypairs_add_new(struct wg_peer *peer, struct wg_keypair *kp);

/*
 * Data authenticated under kp arrived. If kp is the pending `next`, rotate
 * it into current (key confirmation) and return true.
 */
bool
wg_keypairs_received_with(struct wg_peer *peer, struct wg_keypair *kp);

/* Retires all three keypairs. */
void
wg_keypairs_clear(struct wg_peer *peer);

/* Stops sending with next and current (identity change, Linux). */
void
wg_keypairs_expire_sending(struct wg_peer *peer);

#endif /* WG_KEYPAIR_H */
