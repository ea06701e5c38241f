/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "crypto/primitives.h"
#include "device.h"
#include "peer.h"

struct wg_peer *
wg_peer_create(struct wg_device *dev, const uint8_t public_key[WG_PUBLIC_KEY_LEN],
	       const uint8_t preshared_key[WG_SYMMETRIC_KEY_LEN],
	       uint16_t persistent_keepalive)
{
	struct wg_peer *peer = calloc(1, sizeof(*peer));

	if (peer == NULL)
		return NULL;
	peer->device = dev;
	peer->internal_id = ++dev->next_peer_id;
	wg_noise_handshake_init(&peer->handshake, &dev->static_identity,
				public_key, preshared_key, peer);
	atomic_init(&peer->keypairs.current, NULL);
	atomic_init(&peer->keypairs.previous, NULL);
	atomic_init(&peer->keypairs.next, NULL);
	wg_cookie_maker_init(&peer->cookie);
	wg_timers_init(&peer->timers, persistent_keepalive);
	atomic_init(&peer->rx_bytes, 0);
	atomic_init(&peer->tx_bytes, 0);
	peer->heap_pos = SIZE_MAX;
	return peer;
}

void
wg_peer_free(struct wg_peer *peer)
{
	if (peer == NULL)
		return;
	/* normally cleared by wg_device_remove_peer() already */
	wg_noise_handshake_forget(&peer->handshake);
	wg_memzero(peer, sizeof(*peer));
	free(peer);
}

bool
wg_peer_set_endpoint(struct wg_peer *peer, const struct wg_endpoint *ep)
{
	if (wg_endpoint_equal(&peer->endpoint, ep))
		return false;
	peer->endpoint = *ep;
	return true;
}

struct wg_staged_packet *
wg_staged_push(struct wg_staged_queue *q, struct wg_staged_packet *p)
{
	struct wg_staged_packet *evicted = NULL, **tail = &evicted;

	p->next = NULL;
	if (q->tail != NULL)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->len++;

	while (q->len > WG_MAX_QUEUED_PACKETS) {
		struct wg_staged_packet *old = q->head;

		q->head = old->next;
		q->len--;
		old->next = NULL;
		*tail = old;
		tail = &old->next;
	}
	if (q->head == NULL)
		q->tail = NULL;
	return evicted;
}

struct wg_staged_packet *
wg_staged_take_all(struct wg_staged_queue *q, unsigned int *n)
{
	struct wg_staged_packet *list = q->head;

	if (n != NULL)
		*n = q->len;
	q->head = NULL;
	q->tail = NULL;
	q->len = 0;
	return list;
}

void
wg_staged_put_back(struct wg_staged_queue *q, struct wg_staged_packet *list)
{
	struct wg_staged_packet *last = list;
	unsigned int n = 1;

	if (list == NULL)
		return;
	while (last->next != NULL) {
		last = last->next;
		n++;
	}
	last->next = q->head;
	if (q->tail == NULL)
		q->tail = last;
	q->head = list;
	q->len += n;
}
