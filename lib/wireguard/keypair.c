/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdlib.h>

#include "crypto/primitives.h"
#include "device_internal.h"
#include "keypair.h"
#include "peer.h"

static _Atomic uint64_t keypair_counter;

struct wg_keypair *
wg_keypair_create(struct wg_peer *peer, uint64_t now)
{
	struct wg_keypair *kp = calloc(1, sizeof(*kp));

	if (kp == NULL)
		return NULL;
	kp->entry.type = WG_INDEX_KEYPAIR;
	kp->entry.peer = peer;
	kp->peer = peer;
	kp->internal_id = atomic_fetch_add_explicit(&keypair_counter, 1,
						    memory_order_relaxed) + 1;
	atomic_init(&kp->sending_counter, 0);
	wg_replay_init(&kp->replay);
	kp->birthdate = now;
	atomic_init(&kp->sending_valid, true);
	atomic_init(&kp->receiving_valid, true);
	return kp;
}

void
wg_keypair_free(struct wg_keypair *kp)
{
	if (kp == NULL)
		return;
	wg_memzero(kp, sizeof(*kp));
	free(kp);
}

bool
wg_keypair_can_send(struct wg_keypair *kp, uint64_t now)
{
	if (!atomic_load_explicit(&kp->sending_valid, memory_order_relaxed))
		return false;
	if (wg_birthdate_has_expired(kp->birthdate, WG_REJECT_AFTER_TIME, now)) {
		atomic_store_explicit(&kp->sending_valid, false,
				      memory_order_relaxed);
		return false;
	}
	return true;
}

bool
wg_keypair_take_nonce(struct wg_keypair *kp, uint64_t *nonce)
{
	uint64_t n = atomic_fetch_add_explicit(&kp->sending_counter, 1,
					       memory_order_relaxed);

	if (n >= WG_REJECT_AFTER_MESSAGES) {
		/* Keep the counter from wrapping however often we are asked. */
		atomic_store_explicit(&kp->sending_counter,
				      WG_REJECT_AFTER_MESSAGES,
				      memory_order_relaxed);
		atomic_store_explicit(&kp->sending_valid, false,
				      memory_order_relaxed);
		return false;
	}
	*nonce = n;
	return true;
}

bool
wg_keypair_can_receive(struct wg_keypair *kp, uint64_t now)
{
	if (!atomic_load_explicit(&kp->receiving_valid, memory_order_relaxed))
		return false;
	if (wg_birthdate_has_expired(kp->birthdate, WG_REJECT_AFTER_TIME, now) ||
	    kp->replay.greatest >= WG_REJECT_AFTER_MESSAGES) {
		atomic_store_explicit(&kp->receiving_valid, false,
				      memory_order_relaxed);
		return false;
	}
	return true;
}

bool
wg_keypair_should_rekey_on_send(struct wg_keypair *kp, uint64_t now)
{
	return atomic_load_explicit(&kp->sending_valid, memory_order_relaxed) &&
		(atomic_load_explicit(&kp->sending_counter,
				      memory_order_relaxed) >
		 WG_REKEY_AFTER_MESSAGES ||
		 (kp->is_initiator &&
		  wg_birthdate_has_expired(kp->birthdate, WG_REKEY_AFTER_TIME,
					   now)));
}

bool
wg_keypair_should_rekey_on_receive(struct wg_keypair *kp, uint64_t now)
{
	return atomic_load_explicit(&kp->sending_valid, memory_order_relaxed) &&
		kp->is_initiator &&
		wg_birthdate_has_expired(kp->birthdate, WG_REKEY_ON_RECEIVE_AGE,
					 now);
}

static void
keypair_put(struct wg_peer *peer, struct wg_keypair *kp)
{
	if (kp != NULL)
		wg_device_keypair_retire(peer->device, kp);
}

static struct wg_keypair *
slot_swap(_Atomic(struct wg_keypair *) *slot, struct wg_keypair *kp)
{
	return atomic_exchange_explicit(slot, kp, memory_order_acq_rel);
}

void
wg_keypairs_add_new(struct wg_peer *peer, struct wg_keypair *kp)
{
	struct wg_keypairs *kps = &peer->keypairs;
	struct wg_keypair *prev, *cur, *next;

	if (kp->is_initiator) {
		/*
		 * We consumed the response: the session is confirmed and
		 * usable at once. A `next` still waiting for confirmation
		 * (we were responder meanwhile) becomes previous and the old
		 * current goes; otherwise current becomes previous.
		 */
		next = slot_swap(&kps->next, NULL);
		if (next != NULL) {
			prev = slot_swap(&kps->previous, next);
			cur = slot_swap(&kps->current, kp);
			keypair_put(peer, cur);
		} else {
			cur = atomic_load_explicit(&kps->current,
						   memory_order_relaxed);
			prev = slot_swap(&kps->previous, cur);
			atomic_store_explicit(&kps->current, kp,
					      memory_order_release);
		}
		keypair_put(peer, prev);
	} else {
		/*
		 * Responder: usable only after the first data packet under
		 * it. Replace any unconfirmed next, drop previous.
		 */
		next = slot_swap(&kps->next, kp);
		keypair_put(peer, next);
		prev = slot_swap(&kps->previous, NULL);
		keypair_put(peer, prev);
	}
	wg_device_keypair_added(peer->device, kp);
}

bool
wg_keypairs_received_with(struct wg_peer *peer, struct wg_keypair *kp)
{
	struct wg_keypairs *kps = &peer->keypairs;
	struct wg_keypair *old_prev, *cur;

	if (kp != atomic_load_explicit(&kps->next, memory_order_relaxed))
		return false;
	cur = atomic_load_explicit(&kps->current, memory_order_relaxed);
	old_prev = slot_swap(&kps->previous, cur);
	atomic_store_explicit(&kps->current, kp, memory_order_release);
	atomic_store_explicit(&kps->next, NULL, memory_order_release);
	keypair_put(peer, old_prev);
	return true;
}

void
wg_keypairs_clear(struct wg_peer *peer)
{
	struct wg_keypairs *kps = &peer->keypairs;

	/* next first, so that confirmation cannot race the others going */
	keypair_put(peer, slot_swap(&kps->next, NULL));
	keypair_put(peer, slot_swap(&kps->previous, NULL));
	keypair_put(peer, slot_swap(&kps->current, NULL));
}

void
wg_keypairs_expire_sending(struct wg_peer *peer)
{
	struct wg_keypair *kp;

	kp = atomic_load_explicit(&peer->keypairs.next, memory_order_relaxed);
	if (kp != NULL)
		atomic_store_explicit(&kp->sending_valid, false,
				      memory_order_relaxed);
	kp = atomic_load_explicit(&peer->keypairs.current,
				  memory_order_relaxed);
	if (kp != NULL)
		atomic_store_explicit(&kp->sending_valid, false,
				      memory_order_relaxed);
}
