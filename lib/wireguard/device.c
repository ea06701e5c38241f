/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* Device life cycle, configuration and timers (Linux device.c, netlink.c). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "allowedips.h"
#include "crypto/primitives.h"
#include "device_internal.h"
#include "index_table.h"
#include "peer_table.h"
#include "ratelimiter.h"
#include "timers.h"

#define WG_HOUSEKEEPING_INTERVAL	WG_NSEC_PER_SEC
#define WG_TX_BUF_SIZE \
	(WG_DATA_HEADER_LEN + WG_MAX_INNER_PACKET + \
	 WG_MESSAGE_PADDING_MULTIPLE + WG_AUTHTAG_LEN)

static const char *const drop_reason_names[WG_DROP_REASON_MAX] = {
	[WG_OK] = "ok",
	[WG_DROP_BAD_MESSAGE] = "bad_message",
	[WG_DROP_NO_IDENTITY] = "no_identity",
	[WG_DROP_MAC1] = "mac1",
	[WG_DROP_COOKIE_SENT] = "cookie_sent",
	[WG_DROP_RATELIMITED] = "ratelimited",
	[WG_DROP_HANDSHAKE_INVALID] = "handshake_invalid",
	[WG_DROP_HANDSHAKE_UNKNOWN_PEER] = "handshake_unknown_peer",
	[WG_DROP_HANDSHAKE_REPLAY] = "handshake_replay",
	[WG_DROP_HANDSHAKE_FLOOD] = "handshake_flood",
	[WG_DROP_HANDSHAKE_STATE] = "handshake_state",
	[WG_DROP_COOKIE_INVALID] = "cookie_invalid",
	[WG_DROP_UNKNOWN_INDEX] = "unknown_index",
	[WG_DROP_KEYPAIR_EXPIRED] = "keypair_expired",
	[WG_DROP_DECRYPT] = "decrypt",
	[WG_DROP_REPLAY] = "replay",
	[WG_DROP_INNER_HEADER] = "inner_header",
	[WG_DROP_ALLOWEDIPS_SRC] = "allowedips_src",
	[WG_DROP_NO_ROUTE] = "no_route",
	[WG_DROP_NO_ENDPOINT] = "no_endpoint",
	[WG_DROP_TOO_BIG] = "too_big",
	[WG_DROP_STAGED_OVERFLOW] = "staged_overflow",
	[WG_DROP_STAGED_PURGED] = "staged_purged",
	[WG_DROP_NOMEM] = "nomem",
};

const char *
wg_drop_reason_str(enum wg_drop_reason r)
{
	if ((unsigned int)r >= WG_DROP_REASON_MAX || drop_reason_names[r] == NULL)
		return "unknown";
	return drop_reason_names[r];
}

uint64_t
wg_device_now_real(struct wg_device *dev)
{
	struct timespec ts;

	if (dev->ops.now_real_ns != NULL)
		return dev->ops.now_real_ns(dev->ctx);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * WG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/*
 * Timer heap: a binary min-heap of peers keyed by heap_deadline. The key
 * may be earlier than the peer's real next deadline (timers that were
 * pushed back are not re-sorted, to keep the per-packet cost at O(1));
 * such an entry simply finds nothing due and is re-queued. It is never
 * later: wg_device_timers_sync() moves a peer up when a timer is armed
 * earlier than its key.
 */
static void
heap_set(struct wg_device *dev, size_t pos, struct wg_peer *peer)
{
	dev->timer_heap[pos] = peer;
	peer->heap_pos = pos;
}

static void
heap_sift_up(struct wg_device *dev, size_t pos)
{
	struct wg_peer *peer = dev->timer_heap[pos];

	while (pos > 0) {
		size_t parent = (pos - 1) / 2;

		if (dev->timer_heap[parent]->heap_deadline <=
		    peer->heap_deadline)
			break;
		heap_set(dev, pos, dev->timer_heap[parent]);
		pos = parent;
	}
	heap_set(dev, pos, peer);
}

static void
heap_sift_down(struct wg_device *dev, size_t pos)
{
	struct wg_peer *peer = dev->timer_heap[pos];
	size_t n = dev->timer_heap_len;

	for (;;) {
		size_t child = 2 * pos + 1;

		if (child >= n)
			break;
		if (child + 1 < n && dev->timer_heap[child + 1]->heap_deadline <
		    dev->timer_heap[child]->heap_deadline)
			child++;
		if (peer->heap_deadline <= dev->timer_heap[child]->heap_deadline)
			break;
		heap_set(dev, pos, dev->timer_heap[child]);
		pos = child;
	}
	heap_set(dev, pos, peer);
}

static bool
heap_insert(struct wg_device *dev, struct wg_peer *peer, uint64_t deadline)
{
	if (dev->timer_heap_len == dev->timer_heap_cap) {
		size_t cap = dev->timer_heap_cap ? dev->timer_heap_cap * 2 : 64;
		struct wg_peer **h = realloc(dev->timer_heap, cap * sizeof(*h));

		if (h == NULL)
			return false;
		dev->timer_heap = h;
		dev->timer_heap_cap = cap;
	}
	peer->heap_deadline = deadline;
	heap_set(dev, dev->timer_heap_len++, peer);
	heap_sift_up(dev, peer->heap_pos);
	return true;
}

static void
heap_remove(struct wg_device *dev, struct wg_peer *peer)
{
	size_t pos = peer->heap_pos;
	struct wg_peer *last;

	if (pos == SIZE_MAX)
		return;
	peer->heap_pos = SIZE_MAX;
	last = dev->timer_heap[--dev->timer_heap_len];
	if (last == peer)
		return;
	heap_set(dev, pos, last);
	heap_sift_up(dev, pos);
	heap_sift_down(dev, last->heap_pos);
}

void
wg_device_timers_sync(struct wg_device *dev, struct wg_peer *peer)
{
	uint64_t d = wg_timers_next_deadline(&peer->timers);

	if (d == UINT64_MAX || peer->is_dead)
		return;
	if (peer->heap_pos == SIZE_MAX) {
		/*
		 * Out of memory for the heap: the peer's timers stay silent
		 * until the next sync succeeds.
		 */
		heap_insert(dev, peer, d);
	} else if (d < peer->heap_deadline) {
		peer->heap_deadline = d;
		heap_sift_up(dev, peer->heap_pos);
	}
}

void
wg_device_keypair_added(struct wg_device *dev, struct wg_keypair *kp)
{
	if (dev->ops.keypair_new != NULL)
		dev->ops.keypair_new(dev->ctx, kp);
}

void
wg_device_keypair_retire(struct wg_device *dev, struct wg_keypair *kp)
{
	wg_index_table_remove(dev->index_table, &kp->entry);
	atomic_store_explicit(&kp->sending_valid, false, memory_order_relaxed);
	atomic_store_explicit(&kp->receiving_valid, false, memory_order_relaxed);
	if (dev->ops.keypair_retire != NULL)
		dev->ops.keypair_retire(dev->ctx, kp);
	else
		wg_keypair_free(kp);
}

void
wg_device_handshake_complete(struct wg_device *dev, struct wg_peer *peer,
			     uint64_t now)
{
	wg_timers_handshake_complete(&peer->timers, now);
	peer->last_handshake_real_ns = wg_device_now_real(dev);
}

struct wg_device *
wg_device_create(const struct wg_device_ops *ops, void *ctx, uint64_t now)
{
	struct wg_device *dev;

	if (ops == NULL || ops->send_udp == NULL || ops->deliver_inner == NULL)
		return NULL;
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return NULL;
	dev->ops = *ops;
	dev->ctx = ctx;
	dev->mtu = WG_DEVICE_DEFAULT_MTU;
	wg_cookie_checker_init(&dev->cookie_checker, now);
	dev->ratelimiter = wg_ratelimiter_create(WG_DEVICE_RATELIMITER_ENTRIES);
	dev->peers = wg_peer_table_create();
	dev->index_table = wg_index_table_create();
	dev->allowedips = wg_allowedips_create();
	dev->tx_buf = malloc(WG_TX_BUF_SIZE);
	if (dev->ratelimiter == NULL || dev->peers == NULL ||
	    dev->index_table == NULL || dev->allowedips == NULL ||
	    dev->tx_buf == NULL) {
		wg_device_free(dev);
		return NULL;
	}
	dev->next_housekeeping = now + WG_HOUSEKEEPING_INTERVAL;
	return dev;
}

static int
remove_peer_cb(void *ctx, struct wg_peer *peer)
{
	wg_device_remove_peer(ctx, peer);
	return 0;
}

void
wg_device_free(struct wg_device *dev)
{
	if (dev == NULL)
		return;
	if (dev->peers != NULL)
		wg_peer_table_foreach(dev->peers, remove_peer_cb, dev);
	wg_peer_table_free(dev->peers);
	wg_index_table_free(dev->index_table);
	if (dev->allowedips != NULL)
		wg_allowedips_free(dev->allowedips);
	if (dev->ratelimiter != NULL)
		wg_ratelimiter_free(dev->ratelimiter);
	free(dev->timer_heap);
	if (dev->tx_buf != NULL) {
		wg_memzero(dev->tx_buf, WG_TX_BUF_SIZE);
		free(dev->tx_buf);
	}
	wg_noise_static_identity_wipe(&dev->static_identity);
	wg_cookie_checker_wipe(&dev->cookie_checker);
	wg_memzero(dev, sizeof(*dev));
	free(dev);
}

static int
rekey_peer_cb(void *ctx, struct wg_peer *peer)
{
	struct wg_device *dev = ctx;

	/* Linux wg_noise_expire_current_peer_keypairs + precompute */
	wg_noise_precompute_static_static(&peer->handshake);
	wg_noise_handshake_clear(&peer->handshake, dev->index_table);
	peer->has_sent_handshake = false;
	wg_keypairs_expire_sending(peer);
	return 0;
}

int
wg_device_set_private_key(struct wg_device *dev,
			  const uint8_t private_key[WG_PUBLIC_KEY_LEN],
			  uint64_t now)
{
	struct wg_static_identity next;
	struct wg_peer *peer;

	(void)now;
	wg_noise_set_private_key(&next, private_key);
	if (next.has_identity == dev->static_identity.has_identity &&
	    wg_memeq(next.static_private, dev->static_identity.static_private,
		     WG_PUBLIC_KEY_LEN)) {
		wg_noise_static_identity_wipe(&next);
		return 0;
	}
	/* A peer cannot be ourselves. */
	if (next.has_identity) {
		peer = wg_peer_table_lookup(dev->peers, next.static_public);
		if (peer != NULL)
			wg_device_remove_peer(dev, peer);
	}
	dev->static_identity = next;
	wg_noise_static_identity_wipe(&next);
	wg_cookie_checker_set_public_key(&dev->cookie_checker,
		dev->static_identity.has_identity ?
		dev->static_identity.static_public : NULL);
	wg_peer_table_foreach(dev->peers, rekey_peer_cb, dev);
	return 0;
}

bool
wg_device_get_public_key(const struct wg_device *dev,
			 uint8_t public_key[WG_PUBLIC_KEY_LEN])
{
	if (!dev->static_identity.has_identity)
		return false;
	memcpy(public_key, dev->static_identity.static_public,
	       WG_PUBLIC_KEY_LEN);
	return true;
}

void
wg_device_set_mtu(struct wg_device *dev, uint32_t mtu)
{
	dev->mtu = mtu;
}

static bool
allowed_ip_valid(const struct wg_allowed_ip *aip)
{
	return (aip->family == AF_INET && aip->cidr <= 32) ||
		(aip->family == AF_INET6 && aip->cidr <= 128);
}

int
wg_device_add_peer(struct wg_device *dev, const struct wg_peer_config *cfg,
		   uint64_t now, struct wg_peer **out)
{
	struct wg_peer *peer;
	unsigned int i;
	int ret;

	if (out != NULL)
		*out = NULL;
	if (dev->static_identity.has_identity &&
	    memcmp(cfg->public_key, dev->static_identity.static_public,
		   WG_PUBLIC_KEY_LEN) == 0)
		return -EINVAL;
	if (cfg->n_allowed_ips != 0 && cfg->allowed_ips == NULL)
		return -EINVAL;
	for (i = 0; i < cfg->n_allowed_ips; i++)
		if (!allowed_ip_valid(&cfg->allowed_ips[i]))
			return -EINVAL;
	if (cfg->endpoint.family != 0 && cfg->endpoint.family != AF_INET &&
	    cfg->endpoint.family != AF_INET6)
		return -EINVAL;
	if (wg_peer_table_lookup(dev->peers, cfg->public_key) != NULL)
		return -EEXIST;

	peer = wg_peer_create(dev, cfg->public_key,
			      cfg->has_preshared_key ? cfg->preshared_key : NULL,
			      0);
	if (peer == NULL)
		return -ENOMEM;
	ret = wg_peer_table_insert(dev->peers, peer);
	if (ret != 0) {
		wg_peer_free(peer);
		return ret;
	}
	for (i = 0; i < cfg->n_allowed_ips; i++) {
		ret = wg_device_peer_add_allowed_ip(dev, peer,
						    &cfg->allowed_ips[i]);
		if (ret != 0) {
			wg_device_remove_peer(dev, peer);
			return ret;
		}
	}
	if (cfg->endpoint.family != 0)
		peer->endpoint = cfg->endpoint;
	if (out != NULL)
		*out = peer;
	if (cfg->persistent_keepalive != 0)
		wg_device_peer_set_persistent_keepalive(dev, peer,
			cfg->persistent_keepalive, now);
	return 0;
}

void
wg_device_remove_peer(struct wg_device *dev, struct wg_peer *peer)
{
	peer->is_dead = true;
	wg_timers_stop(&peer->timers);
	heap_remove(dev, peer);
	wg_send_purge_staged(dev, peer, WG_DROP_STAGED_PURGED);
	wg_noise_handshake_clear(&peer->handshake, dev->index_table);
	wg_keypairs_clear(peer);
	wg_allowedips_remove_by_peer(dev->allowedips, peer);
	wg_peer_table_remove(dev->peers, peer);
	if (dev->ops.peer_retire != NULL)
		dev->ops.peer_retire(dev->ctx, peer);
	else
		wg_peer_free(peer);
}

struct wg_peer *
wg_device_lookup_peer(const struct wg_device *dev,
		      const uint8_t public_key[WG_PUBLIC_KEY_LEN])
{
	return wg_peer_table_lookup(dev->peers, public_key);
}

size_t
wg_device_peer_count(const struct wg_device *dev)
{
	return wg_peer_table_count(dev->peers);
}

int
wg_device_foreach_peer(struct wg_device *dev, int (*fn)(void *ctx,
		       struct wg_peer *peer), void *ctx)
{
	return wg_peer_table_foreach(dev->peers, fn, ctx);
}

void
wg_device_peer_set_endpoint(struct wg_device *dev, struct wg_peer *peer,
			    const struct wg_endpoint *ep)
{
	(void)dev;
	wg_peer_set_endpoint(peer, ep);
}

void
wg_device_peer_set_preshared_key(struct wg_device *dev, struct wg_peer *peer,
				 const uint8_t psk[WG_SYMMETRIC_KEY_LEN])
{
	(void)dev;
	wg_noise_set_preshared_key(&peer->handshake, psk);
}

static void
timer_actions(struct wg_device *dev, struct wg_peer *peer, unsigned int a,
	      uint64_t now)
{
	if (a & WG_TIMER_GIVE_UP)
		wg_send_purge_staged(dev, peer, WG_DROP_STAGED_PURGED);
	if (a & WG_TIMER_ZERO_KEYS) {
		wg_noise_handshake_clear(&peer->handshake, dev->index_table);
		wg_keypairs_clear(peer);
	}
	if (a & WG_TIMER_RETRY_INITIATION)
		wg_send_initiation(dev, peer, true, now);
	if (a & WG_TIMER_SEND_INITIATION)
		wg_send_initiation(dev, peer, false, now);
	if (a & WG_TIMER_SEND_KEEPALIVE)
		wg_send_keepalive(dev, peer, now);
}

void
wg_device_peer_set_persistent_keepalive(struct wg_device *dev,
					struct wg_peer *peer,
					uint16_t interval, uint64_t now)
{
	unsigned int a;

	a = wg_timers_set_persistent_keepalive(&peer->timers, interval, now);
	timer_actions(dev, peer, a, now);
	wg_device_timers_sync(dev, peer);
}

int
wg_device_peer_add_allowed_ip(struct wg_device *dev, struct wg_peer *peer,
			      const struct wg_allowed_ip *aip)
{
	if (!allowed_ip_valid(aip))
		return -EINVAL;
	return wg_allowedips_insert(dev->allowedips, aip->family, aip->addr,
				    aip->cidr, peer);
}

void
wg_device_peer_clear_allowed_ips(struct wg_device *dev, struct wg_peer *peer)
{
	wg_allowedips_remove_by_peer(dev->allowedips, peer);
}

void
wg_device_timers(struct wg_device *dev, uint64_t now)
{
	/* Each due peer is handled once; its new deadlines lie ahead. */
	size_t budget = 2 * dev->timer_heap_len + 1;
	struct wg_peer *peer;
	unsigned int a;
	uint64_t d;

	if (now >= dev->next_housekeeping) {
		wg_cookie_checker_rotate(&dev->cookie_checker, now);
		wg_ratelimiter_gc(dev->ratelimiter, now);
		dev->next_housekeeping = now + WG_HOUSEKEEPING_INTERVAL;
	}
	while (dev->timer_heap_len != 0 &&
	       dev->timer_heap[0]->heap_deadline <= now && budget-- != 0) {
		peer = dev->timer_heap[0];
		heap_remove(dev, peer);
		a = wg_timers_expire(&peer->timers, now);
		timer_actions(dev, peer, a, now);
		d = wg_timers_next_deadline(&peer->timers);
		if (d == UINT64_MAX)
			continue;
		/* Defensive: never loop on a deadline that stays due. */
		if (d <= now)
			d = now + 1;
		if (peer->heap_pos == SIZE_MAX)
			heap_insert(dev, peer, d);
	}
}

uint64_t
wg_device_next_deadline(const struct wg_device *dev)
{
	uint64_t d = dev->next_housekeeping;

	if (dev->timer_heap_len != 0 && dev->timer_heap[0]->heap_deadline < d)
		d = dev->timer_heap[0]->heap_deadline;
	return d;
}
