/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_DEVICE_INTERNAL_H
#define WG_DEVICE_INTERNAL_H

/* Shared between device.c, send.c, receive.c, keypair.c and noise.c only. */

#include "device.h"

static inline enum wg_drop_reason
wg_device_drop(struct wg_device *dev, enum wg_drop_reason r)
{
	dev->stats.drops[r]++;
	return r;
}

/* device.c */
uint64_t
wg_device_now_real(struct wg_device *dev);
/* After anything that may have armed a timer of peer. */
void
wg_device_timers_sync(struct wg_device *dev, struct wg_peer *peer);
/* kp is in its slot with its final index: tell the driver. */
void
wg_device_keypair_added(struct wg_device *dev, struct wg_keypair *kp);
/* kp left its slot: out of the index table, to the retire hook. */
void
wg_device_keypair_retire(struct wg_device *dev, struct wg_keypair *kp);
/* Records a completed handshake (timers and wall-clock time). */
void
wg_device_handshake_complete(struct wg_device *dev, struct wg_peer *peer,
			     uint64_t now);

/* send.c */
void
wg_send_initiation(struct wg_device *dev, struct wg_peer *peer,
		   bool is_retry, uint64_t now);
void
wg_send_response(struct wg_device *dev, struct wg_peer *peer, uint64_t now);
void
wg_send_cookie_reply(struct wg_device *dev, const uint8_t *msg, size_t len,
		     uint32_t sender_index, const struct wg_endpoint *src,
		     uint64_t now);
void
wg_send_keepalive(struct wg_device *dev, struct wg_peer *peer, uint64_t now);
void
wg_send_staged(struct wg_device *dev, struct wg_peer *peer, uint64_t now);
void
wg_send_purge_staged(struct wg_device *dev, struct wg_peer *peer,
		     enum wg_drop_reason why);
void
wg_send_free_staged(struct wg_device *dev, struct wg_staged_packet *p);

#endif /* WG_DEVICE_INTERNAL_H */
