/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* Incoming messages (Linux receive.c). */

#include <stddef.h>
#include <sys/socket.h>

#include "allowedips.h"
#include "crypto/primitives.h"
#include "device_internal.h"
#include "ratelimiter.h"
#include "replay.h"
#include "timers.h"

#define WG_IPV4_HEADER_LEN	20
#define WG_IPV6_HEADER_LEN	40

static void
authenticated_rx_events(struct wg_peer *peer, uint64_t now)
{
	wg_timers_any_authenticated_packet_received(&peer->timers, now);
	wg_timers_any_authenticated_packet_traversal(&peer->timers, now);
}

static enum wg_drop_reason
receive_cookie_reply(struct wg_device *dev, const struct wg_msg_cookie *msg,
		     uint64_t now)
{
	struct wg_index_entry *e;

	e = wg_index_table_lookup(dev->index_table,
				  wg_le32_load(msg->receiver_index),
				  WG_INDEX_HANDSHAKE | WG_INDEX_KEYPAIR);
	if (e == NULL)
		return wg_device_drop(dev, WG_DROP_COOKIE_INVALID);
	if (!wg_cookie_maker_consume(&e->peer->cookie,
				     wg_peer_public_key(e->peer), msg, now))
		return wg_device_drop(dev, WG_DROP_COOKIE_INVALID);
	dev->stats.rx_cookies++;
	return WG_OK;
}

static enum wg_drop_reason
noise_drop(struct wg_device *dev, enum wg_noise_status st)
{
	switch (st) {
	case WG_NOISE_NO_IDENTITY:
		return wg_device_drop(dev, WG_DROP_NO_IDENTITY);
	case WG_NOISE_UNKNOWN_PEER:
		return wg_device_drop(dev, WG_DROP_HANDSHAKE_UNKNOWN_PEER);
	case WG_NOISE_REPLAY:
		return wg_device_drop(dev, WG_DROP_HANDSHAKE_REPLAY);
	case WG_NOISE_FLOOD:
		return wg_device_drop(dev, WG_DROP_HANDSHAKE_FLOOD);
	case WG_NOISE_UNKNOWN_INDEX:
		return wg_device_drop(dev, WG_DROP_UNKNOWN_INDEX);
	case WG_NOISE_BAD_STATE:
		return wg_device_drop(dev, WG_DROP_HANDSHAKE_STATE);
	case WG_NOISE_NOMEM:
		return wg_device_drop(dev, WG_DROP_NOMEM);
	default:
		return wg_device_drop(dev, WG_DROP_HANDSHAKE_INVALID);
	}
}

static enum wg_drop_reason
receive_handshake(struct wg_device *dev, uint8_t *buf, size_t len,
		  enum wg_message_type type, const struct wg_endpoint *src,
		  uint64_t now, bool under_load)
{
	enum wg_cookie_mac_state mac;
	enum wg_noise_status st;
	struct wg_peer *peer;
	uint32_t sender_index;

	if (!dev->static_identity.has_identity)
		return wg_device_drop(dev, WG_DROP_NO_IDENTITY);

	/* One BLAKE2s before anything expensive. */
	mac = wg_cookie_validate(&dev->cookie_checker, buf, len, src,
				 under_load, now);
	if (mac == WG_COOKIE_INVALID_MAC)
		return wg_device_drop(dev, WG_DROP_MAC1);
	if (under_load) {
		if (mac != WG_COOKIE_VALID_MAC_WITH_COOKIE) {
			/* sender_index sits at the same offset in both */
			sender_index = wg_le32_load(buf +
				offsetof(struct wg_msg_initiation, sender_index));
			wg_send_cookie_reply(dev, buf, len, sender_index, src,
					     now);
			return wg_device_drop(dev, WG_DROP_COOKIE_SENT);
		}
		if (!wg_ratelimiter_allow(dev->ratelimiter, src, now))
			return wg_device_drop(dev, WG_DROP_RATELIMITED);
	}

	if (type == WG_MSG_HANDSHAKE_INITIATION) {
		st = wg_noise_handshake_consume_initiation(
			(const struct wg_msg_initiation *)buf,
			&dev->static_identity, dev->peers, now, &peer);
		if (st != WG_NOISE_OK)
			return noise_drop(dev, st);
		wg_peer_set_endpoint(peer, src);
		dev->stats.rx_initiations++;
		wg_send_response(dev, peer, now);
	} else {
		st = wg_noise_handshake_consume_response(
			(const struct wg_msg_response *)buf,
			&dev->static_identity, dev->index_table, &peer);
		if (st != WG_NOISE_OK)
			return noise_drop(dev, st);
		wg_peer_set_endpoint(peer, src);
		dev->stats.rx_responses++;
		if (wg_noise_handshake_begin_session(&peer->handshake,
						     dev->index_table, now)) {
			dev->stats.sessions++;
			wg_timers_session_derived(&peer->timers, now);
			wg_device_handshake_complete(dev, peer, now);
			/*
			 * Sends the staged packets, or a keepalive when none:
			 * either confirms the session to the responder.
			 */
			wg_send_keepalive(dev, peer, now);
		} else {
			wg_device_drop(dev, WG_DROP_NOMEM);
		}
	}
	atomic_fetch_add_explicit(&peer->rx_bytes, len, memory_order_relaxed);
	authenticated_rx_events(peer, now);
	wg_device_timers_sync(dev, peer);
	return WG_OK;
}

/* Linux receive.c keep_key_fresh: the initiator rekeys at 165 s on receive. */
static void
keep_key_fresh_receive(struct wg_device *dev, struct wg_peer *peer,
		       uint64_t now)
{
	struct wg_keypair *kp;

	if (peer->timers.sent_lastminute_handshake)
		return;
	kp = wg_keypairs_current(&peer->keypairs);
	if (kp != NULL && wg_keypair_should_rekey_on_receive(kp, now)) {
		peer->timers.sent_lastminute_handshake = true;
		wg_send_initiation(dev, peer, false, now);
	}
}

struct wg_keypair *
wg_device_lookup_keypair(const struct wg_device *dev, uint32_t receiver_index)
{
	struct wg_index_entry *e;

	e = wg_index_table_lookup(dev->index_table, receiver_index,
				  WG_INDEX_KEYPAIR);
	if (e == NULL)
		return NULL;
	return (struct wg_keypair *)((uint8_t *)e -
				     offsetof(struct wg_keypair, entry));
}

enum wg_drop_reason
wg_device_rx_data_authenticated(struct wg_device *dev, struct wg_keypair *kp,
				uint64_t counter,
				const struct wg_endpoint *src,
				uint8_t *plain, size_t plain_len, uint64_t now)
{
	struct wg_peer *peer = kp->peer;
	const uint8_t *saddr;
	size_t len;
	int family;

	/* A split data path may finish a packet after the peer went. */
	if (peer->is_dead)
		return wg_device_drop(dev, WG_DROP_UNKNOWN_INDEX);
	if (!wg_replay_check(&kp->replay, counter))
		return wg_device_drop(dev, WG_DROP_REPLAY);

	/* Authenticated: the peer may have roamed. */
	if (src != NULL)
		wg_peer_set_endpoint(peer, src);

	if (wg_keypairs_received_with(peer, kp)) {
		/* key confirmation: the responder's next became current */
		wg_device_handshake_complete(dev, peer, now);
		wg_send_staged(dev, peer, now);
	}
	keep_key_fresh_receive(dev, peer, now);
	authenticated_rx_events(peer, now);

	if (plain_len == 0) {
		dev->stats.rx_keepalives++;
		atomic_fetch_add_explicit(&peer->rx_bytes, WG_DATA_LEN(0),
					  memory_order_relaxed);
		wg_device_timers_sync(dev, peer);
		return WG_OK;
	}
	wg_timers_data_received(&peer->timers, now);
	wg_device_timers_sync(dev, peer);

	/* The inner header: version, then the length it claims. */
	if (plain_len >= WG_IPV4_HEADER_LEN && (plain[0] >> 4) == 4) {
		len = ((size_t)plain[2] << 8) | plain[3];
		if (len < WG_IPV4_HEADER_LEN)
			return wg_device_drop(dev, WG_DROP_INNER_HEADER);
		family = AF_INET;
		saddr = plain + 12;
	} else if (plain_len >= WG_IPV6_HEADER_LEN && (plain[0] >> 4) == 6) {
		len = (((size_t)plain[4] << 8) | plain[5]) + WG_IPV6_HEADER_LEN;
		family = AF_INET6;
		saddr = plain + 8;
	} else {
		return wg_device_drop(dev, WG_DROP_INNER_HEADER);
	}
	if (len > plain_len)
		return wg_device_drop(dev, WG_DROP_INNER_HEADER);

	if (wg_allowedips_lookup(dev->allowedips, family, saddr) != peer)
		return wg_device_drop(dev, WG_DROP_ALLOWEDIPS_SRC);

	dev->stats.rx_data++;
	dev->stats.rx_inner_bytes += len;
	atomic_fetch_add_explicit(&peer->rx_bytes, WG_DATA_LEN(plain_len),
				  memory_order_relaxed);
	/* Last: the driver may send from here (hub and spoke). */
	dev->ops.deliver_inner(dev->ctx, peer, plain, len);
	return WG_OK;
}

bool
wg_device_rx_confirm_keypair(struct wg_device *dev, struct wg_peer *peer,
			     uint64_t keypair_id, uint64_t now)
{
	struct wg_keypair *next;

	if (peer->is_dead)
		return false;
	next = wg_keypairs_next(&peer->keypairs);
	if (next == NULL || next->internal_id != keypair_id ||
	    !wg_keypairs_received_with(peer, next))
		return false;
	wg_device_handshake_complete(dev, peer, now);
	wg_send_staged(dev, peer, now);
	wg_device_timers_sync(dev, peer);
	return true;
}

void
wg_device_rx_data_done(struct wg_device *dev, struct wg_peer *peer,
		       unsigned int n_data, unsigned int n_keepalive,
		       uint64_t wire_bytes, uint64_t now)
{
	if (peer->is_dead || (n_data == 0 && n_keepalive == 0))
		return;
	dev->stats.rx_data += n_data;
	dev->stats.rx_keepalives += n_keepalive;
	atomic_fetch_add_explicit(&peer->rx_bytes, wire_bytes,
				  memory_order_relaxed);
	keep_key_fresh_receive(dev, peer, now);
	authenticated_rx_events(peer, now);
	if (n_data != 0)
		wg_timers_data_received(&peer->timers, now);
	wg_device_timers_sync(dev, peer);
}

static enum wg_drop_reason
receive_data(struct wg_device *dev, uint8_t *buf, size_t len,
	     const struct wg_endpoint *src, uint64_t now)
{
	const struct wg_msg_data *hdr = (const struct wg_msg_data *)buf;
	uint8_t *payload = buf + WG_DATA_HEADER_LEN;
	size_t payload_len = len - WG_DATA_HEADER_LEN;	/* >= tag: classified */
	struct wg_keypair *kp;
	uint64_t counter;

	kp = wg_device_lookup_keypair(dev, wg_le32_load(hdr->receiver_index));
	if (kp == NULL || kp->peer->is_dead)
		return wg_device_drop(dev, WG_DROP_UNKNOWN_INDEX);
	if (!wg_keypair_can_receive(kp, now))
		return wg_device_drop(dev, WG_DROP_KEYPAIR_EXPIRED);
	counter = wg_le64_load(hdr->counter);
	/* In place; on failure nothing unauthenticated is released. */
	if (!wg_aead_decrypt(payload, payload, payload_len, NULL, 0, counter,
			     kp->receiving_key))
		return wg_device_drop(dev, WG_DROP_DECRYPT);
	return wg_device_rx_data_authenticated(dev, kp, counter, src, payload,
					       payload_len - WG_AUTHTAG_LEN,
					       now);
}

enum wg_drop_reason
wg_device_receive(struct wg_device *dev, uint8_t *buf, size_t len,
		  const struct wg_endpoint *src, uint64_t now, bool under_load)
{
	enum wg_message_type type;

	if (buf == NULL || src == NULL)
		return wg_device_drop(dev, WG_DROP_BAD_MESSAGE);
	type = wg_message_type(buf, len);
	switch (type) {
	case WG_MSG_DATA:
		return receive_data(dev, buf, len, src, now);
	case WG_MSG_HANDSHAKE_INITIATION:
	case WG_MSG_HANDSHAKE_RESPONSE:
		return receive_handshake(dev, buf, len, type, src, now,
					 under_load);
	case WG_MSG_HANDSHAKE_COOKIE:
		return receive_cookie_reply(dev,
					    (const struct wg_msg_cookie *)buf,
					    now);
	default:
		return wg_device_drop(dev, WG_DROP_BAD_MESSAGE);
	}
}
