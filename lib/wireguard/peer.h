/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_PEER_H
#define WG_PEER_H

/*
 * A WireGuard peer (Linux peer.h): its static public key and preshared key
 * (in the handshake state), endpoint, keypairs, cookie maker, timers,
 * counters and the packets staged while no session is usable.
 *
 * Peers are created, changed and removed through the device (device.h);
 * drivers read the fields. Staged packets are opaque to the core: a
 * driver may stage its own buffers (e.g. mbufs) with a pointer to the
 * inner packet; the device's staged_free hook releases them.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cookie.h"
#include "endpoint.h"
#include "hashtable.h"
#include "keypair.h"
#include "noise.h"
#include "timers.h"

struct wg_device;

struct wg_staged_packet {
	struct wg_staged_packet *next;
	void *opaque;		/* driver's buffer, or NULL: data is in buf */
	const uint8_t *data;	/* the inner packet (len 0: keepalive) */
	uint32_t len;
	uint8_t buf[];
};

struct wg_staged_queue {
	struct wg_staged_packet *head;
	struct wg_staged_packet *tail;
	unsigned int len;
};

struct wg_peer {
	struct wg_device *device;
	uint64_t internal_id;
	void *user;			/* free for the driver */

	/* peer table (by public key) */
	struct wg_hnode hash_node;

	struct wg_handshake handshake;	/* public key, psk, Noise state */
	struct wg_keypairs keypairs;
	struct wg_cookie_maker cookie;
	struct wg_timers timers;
	struct wg_endpoint endpoint;	/* family 0: unknown */
	bool has_sent_handshake;	/* and when: last_sent_handshake */
	bool is_dead;
	struct wg_staged_queue staged;

	/* at most one initiation per REKEY_TIMEOUT */
	uint64_t last_sent_handshake;	/* monotonic ns */

	/* wire bytes of authenticated packets (Linux rx_bytes/tx_bytes) */
	_Atomic uint64_t rx_bytes;
	_Atomic uint64_t tx_bytes;
	uint64_t last_handshake_real_ns; /* wall clock; 0 = never */

	/* device timer heap */
	size_t heap_pos;		/* SIZE_MAX: not queued */
	uint64_t heap_deadline;
};

static inline const uint8_t *
wg_peer_public_key(const struct wg_peer *peer)
{
	return peer->handshake.remote_static;
}

static inline uint16_t
wg_peer_persistent_keepalive(const struct wg_peer *peer)
{
	return peer->timers.persistent_keepalive_interval;
}

/* Allocates a peer (not in any table), precomputing its static-static DH. */
struct wg_peer *
wg_peer_create(struct wg_device *dev, const uint8_t public_key[WG_PUBLIC_KEY_LEN],
	       const uint8_t preshared_key[WG_SYMMETRIC_KEY_LEN],
	       uint16_t persistent_keepalive);
/*
 * Wipes every secret and frees. The peer must be out of every table with
 * its keypairs retired and its staged queue empty (wg_device_remove_peer).
 */
void
wg_peer_free(struct wg_peer *peer);

/* True if the endpoint changed. */
bool
wg_peer_set_endpoint(struct wg_peer *peer, const struct wg_endpoint *ep);

/*
 * Staged queue, FIFO, bounded at WG_MAX_QUEUED_PACKETS: push appends and
 * returns the oldest packets evicted to respect the bound (a list linked
 * by next, as Linux drops from the head), or NULL.
 */
struct wg_staged_packet *
wg_staged_push(struct wg_staged_queue *q, struct wg_staged_packet *p);
/* Takes the whole queue, leaving it empty; returns the head of the list. */
struct wg_staged_packet *
wg_staged_take_all(struct wg_staged_queue *q, unsigned int *n);
/* Puts a list taken earlier back in front of whatever was staged since. */
void
wg_staged_put_back(struct wg_staged_queue *q, struct wg_staged_packet *list);

#endif /* WG_PEER_H */
