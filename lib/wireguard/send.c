/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/* Outgoing messages (Linux send.c): handshakes, cookie replies, data. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "allowedips.h"
#include "crypto/primitives.h"
#include "device_internal.h"
#include "timers.h"

static int
send_to_peer(struct wg_device *dev, struct wg_peer *peer, const uint8_t *buf,
	     size_t len)
{
	int ret;

	if (peer->endpoint.family == 0) {
		wg_device_drop(dev, WG_DROP_NO_ENDPOINT);
		return -EDESTADDRREQ;
	}
	ret = dev->ops.send_udp(dev->ctx, peer, &peer->endpoint, buf, len);
	if (ret < 0) {
		dev->stats.tx_errors++;
		return ret;
	}
	dev->stats.tx_bytes += len;
	atomic_fetch_add_explicit(&peer->tx_bytes, len, memory_order_relaxed);
	return 0;
}

void
wg_send_initiation(struct wg_device *dev, struct wg_peer *peer, bool is_retry,
		   uint64_t now)
{
	struct wg_msg_initiation msg;

	wg_timers_handshake_queued(&peer->timers, is_retry);
	/* At most one initiation per REKEY_TIMEOUT. */
	if (peer->is_dead || (peer->has_sent_handshake &&
	    !wg_birthdate_has_expired(peer->last_sent_handshake,
				      WG_REKEY_TIMEOUT, now)))
		return;
	peer->last_sent_handshake = now;
	peer->has_sent_handshake = true;

	if (!wg_noise_handshake_create_initiation(&msg, &peer->handshake,
						  dev->index_table,
						  wg_device_now_real(dev)))
		return;
	wg_cookie_add_macs(&peer->cookie, wg_peer_public_key(peer),
			   (uint8_t *)&msg, sizeof(msg), now);
	wg_timers_any_authenticated_packet_traversal(&peer->timers, now);
	wg_timers_any_authenticated_packet_sent(&peer->timers, now);
	if (send_to_peer(dev, peer, (const uint8_t *)&msg, sizeof(msg)) == 0)
		dev->stats.tx_initiations++;
	wg_timers_handshake_initiated(&peer->timers, now);
	wg_memzero(&msg, sizeof(msg));
	wg_device_timers_sync(dev, peer);
}

void
wg_send_response(struct wg_device *dev, struct wg_peer *peer, uint64_t now)
{
	struct wg_msg_response msg;

	/* Answering counts as our handshake: no crossing initiation soon. */
	peer->last_sent_handshake = now;
	peer->has_sent_handshake = true;
	if (!wg_noise_handshake_create_response(&msg, &peer->handshake,
						dev->index_table))
		return;
	wg_cookie_add_macs(&peer->cookie, wg_peer_public_key(peer),
			   (uint8_t *)&msg, sizeof(msg), now);
	if (!wg_noise_handshake_begin_session(&peer->handshake,
					      dev->index_table, now)) {
		wg_device_drop(dev, WG_DROP_NOMEM);
		wg_memzero(&msg, sizeof(msg));
		return;
	}
	dev->stats.sessions++;
	wg_timers_session_derived(&peer->timers, now);
	wg_timers_any_authenticated_packet_traversal(&peer->timers, now);
	wg_timers_any_authenticated_packet_sent(&peer->timers, now);
	if (send_to_peer(dev, peer, (const uint8_t *)&msg, sizeof(msg)) == 0)
		dev->stats.tx_responses++;
	wg_memzero(&msg, sizeof(msg));
	wg_device_timers_sync(dev, peer);
}

void
wg_send_cookie_reply(struct wg_device *dev, const uint8_t *msg, size_t len,
		     uint32_t sender_index, const struct wg_endpoint *src,
		     uint64_t now)
{
	struct wg_msg_cookie reply;
	int ret;

	wg_cookie_message_create(&dev->cookie_checker, &reply, msg, len,
				 sender_index, src, now);
	ret = dev->ops.send_udp(dev->ctx, NULL, src, (const uint8_t *)&reply,
				sizeof(reply));
	if (ret < 0) {
		dev->stats.tx_errors++;
		return;
	}
	dev->stats.tx_cookies++;
	dev->stats.tx_bytes += sizeof(reply);
}

size_t
wg_device_padded_len(const struct wg_device *dev, size_t len)
{
	size_t last_unit = len, padded;

	/* As Linux: pad to 16 but never beyond the MTU. */
	if (dev->mtu == 0)
		return (len + WG_MESSAGE_PADDING_MULTIPLE - 1) &
			~(size_t)(WG_MESSAGE_PADDING_MULTIPLE - 1);
	if (last_unit > dev->mtu)
		last_unit %= dev->mtu;
	padded = (last_unit + WG_MESSAGE_PADDING_MULTIPLE - 1) &
		~(size_t)(WG_MESSAGE_PADDING_MULTIPLE - 1);
	if (padded > dev->mtu)
		padded = dev->mtu;
	return len + (padded - last_unit);
}

/* Encrypts one inner packet (len may be 0: keepalive) under kp and sends it. */
static void
send_data_message(struct wg_device *dev, struct wg_peer *peer,
		  struct wg_keypair *kp, uint64_t nonce, const uint8_t *inner,
		  size_t len)
{
	struct wg_msg_data *hdr = (struct wg_msg_data *)dev->tx_buf;
	size_t plen = wg_device_padded_len(dev, len);
	uint8_t *payload = dev->tx_buf + WG_DATA_HEADER_LEN;

	wg_msg_header_set(&hdr->header, WG_MSG_DATA);
	wg_le32_store(hdr->receiver_index, kp->remote_index);
	wg_le64_store(hdr->counter, nonce);
	if (len != 0)
		memcpy(payload, inner, len);
	memset(payload + len, 0, plen - len);
	wg_aead_encrypt(payload, payload, plen, NULL, 0, nonce, kp->sending_key);
	if (send_to_peer(dev, peer, dev->tx_buf, WG_DATA_LEN(plen)) == 0) {
		if (len == 0)
			dev->stats.tx_keepalives++;
		else
			dev->stats.tx_data++;
	}
}

/* Linux send.c keep_key_fresh: start a rekey when the session is due. */
static void
keep_key_fresh_send(struct wg_device *dev, struct wg_peer *peer, uint64_t now)
{
	struct wg_keypair *kp = wg_keypairs_current(&peer->keypairs);

	if (kp != NULL && wg_keypair_should_rekey_on_send(kp, now))
		wg_send_initiation(dev, peer, false, now);
}

static void
data_sent_events(struct wg_device *dev, struct wg_peer *peer, bool data,
		 uint64_t now)
{
	wg_timers_any_authenticated_packet_traversal(&peer->timers, now);
	wg_timers_any_authenticated_packet_sent(&peer->timers, now);
	if (data)
		wg_timers_data_sent(&peer->timers, now);
	keep_key_fresh_send(dev, peer, now);
}

void
wg_send_free_staged(struct wg_device *dev, struct wg_staged_packet *p)
{
	if (p->opaque != NULL && dev->ops.staged_free != NULL)
		dev->ops.staged_free(dev->ctx, p->opaque);
	else if (p->data == p->buf)
		wg_memzero(p->buf, p->len);	/* our copy of the plaintext */
	free(p);
}

void
wg_send_purge_staged(struct wg_device *dev, struct wg_peer *peer,
		     enum wg_drop_reason why)
{
	struct wg_staged_packet *p, *next;

	for (p = wg_staged_take_all(&peer->staged, NULL); p != NULL; p = next) {
		next = p->next;
		wg_device_drop(dev, why);
		wg_send_free_staged(dev, p);
	}
}

/* Linux wg_packet_send_staged_packets. */
void
wg_send_staged(struct wg_device *dev, struct wg_peer *peer, uint64_t now)
{
	struct wg_staged_packet *list, *p;
	struct wg_keypair *kp;
	bool data = false, sent = false;
	uint64_t nonce;

	list = wg_staged_take_all(&peer->staged, NULL);
	if (list == NULL)
		return;
	kp = wg_keypairs_current(&peer->keypairs);
	if (kp == NULL || !wg_keypair_can_send(kp, now))
		goto no_key;
	while (list != NULL) {
		p = list;
		if (!wg_keypair_take_nonce(kp, &nonce))
			goto no_key;
		list = p->next;
		send_data_message(dev, peer, kp, nonce, p->data, p->len);
		data |= p->len != 0;
		sent = true;
		wg_send_free_staged(dev, p);
	}
	data_sent_events(dev, peer, data, now);
	wg_device_timers_sync(dev, peer);
	return;

no_key:
	if (sent)
		data_sent_events(dev, peer, data, now);
	/* Keep them for the session the handshake will bring. */
	wg_staged_put_back(&peer->staged, list);
	wg_send_initiation(dev, peer, false, now);
	wg_device_timers_sync(dev, peer);
}

static enum wg_drop_reason
stage(struct wg_device *dev, struct wg_peer *peer, struct wg_staged_packet *p,
      uint64_t now)
{
	struct wg_staged_packet *evicted, *next;

	for (evicted = wg_staged_push(&peer->staged, p); evicted != NULL;
	     evicted = next) {
		next = evicted->next;
		wg_device_drop(dev, WG_DROP_STAGED_OVERFLOW);
		wg_send_free_staged(dev, evicted);
	}
	wg_send_staged(dev, peer, now);
	return WG_OK;
}

static struct wg_staged_packet *
staged_copy(const uint8_t *inner, size_t len)
{
	struct wg_staged_packet *p = malloc(sizeof(*p) + len);

	if (p == NULL)
		return NULL;
	p->next = NULL;
	p->opaque = NULL;
	p->len = (uint32_t)len;
	if (len != 0)
		memcpy(p->buf, inner, len);
	p->data = p->buf;
	return p;
}

void
wg_send_keepalive(struct wg_device *dev, struct wg_peer *peer, uint64_t now)
{
	struct wg_staged_packet *p;
	struct wg_keypair *kp;
	uint64_t nonce;

	if (peer->staged.len == 0) {
		kp = wg_keypairs_current(&peer->keypairs);
		if (kp != NULL && wg_keypair_can_send(kp, now) &&
		    wg_keypair_take_nonce(kp, &nonce)) {
			send_data_message(dev, peer, kp, nonce, NULL, 0);
			data_sent_events(dev, peer, false, now);
			wg_device_timers_sync(dev, peer);
			return;
		}
		/* As Linux: stage the keepalive, which starts a handshake. */
		p = staged_copy(NULL, 0);
		if (p == NULL) {
			wg_device_drop(dev, WG_DROP_NOMEM);
			return;
		}
		stage(dev, peer, p, now);
		return;
	}
	wg_send_staged(dev, peer, now);
}

enum wg_drop_reason
wg_device_send_to_peer(struct wg_device *dev, struct wg_peer *peer,
		       const uint8_t *inner, size_t len, uint64_t now)
{
	struct wg_staged_packet *p;
	struct wg_keypair *kp;
	uint64_t nonce;

	if (len > WG_MAX_INNER_PACKET)
		return wg_device_drop(dev, WG_DROP_TOO_BIG);
	if (peer->endpoint.family == 0)
		return wg_device_drop(dev, WG_DROP_NO_ENDPOINT);

	/* Fast path: nothing staged ahead of it and a usable session. */
	if (peer->staged.len == 0) {
		kp = wg_keypairs_current(&peer->keypairs);
		if (kp != NULL && wg_keypair_can_send(kp, now) &&
		    wg_keypair_take_nonce(kp, &nonce)) {
			send_data_message(dev, peer, kp, nonce, inner, len);
			data_sent_events(dev, peer, len != 0, now);
			wg_device_timers_sync(dev, peer);
			return WG_OK;
		}
	}
	p = staged_copy(inner, len);
	if (p == NULL)
		return wg_device_drop(dev, WG_DROP_NOMEM);
	return stage(dev, peer, p, now);
}

enum wg_drop_reason
wg_device_send(struct wg_device *dev, const uint8_t *inner, size_t len,
	       uint64_t now)
{
	struct wg_peer *peer;
	int family;
	const uint8_t *dst;

	if (len >= 20 && (inner[0] >> 4) == 4) {
		family = AF_INET;
		dst = inner + 16;
	} else if (len >= 40 && (inner[0] >> 4) == 6) {
		family = AF_INET6;
		dst = inner + 24;
	} else {
		return wg_device_drop(dev, WG_DROP_INNER_HEADER);
	}
	peer = wg_allowedips_lookup(dev->allowedips, family, dst);
	if (peer == NULL)
		return wg_device_drop(dev, WG_DROP_NO_ROUTE);
	return wg_device_send_to_peer(dev, peer, inner, len, now);
}

void
wg_device_send_keepalive(struct wg_device *dev, struct wg_peer *peer,
			 uint64_t now)
{
	wg_send_keepalive(dev, peer, now);
}

void
wg_device_send_initiation(struct wg_device *dev, struct wg_peer *peer,
			  uint64_t now)
{
	wg_send_initiation(dev, peer, false, now);
}

enum wg_drop_reason
wg_device_stage_packet(struct wg_device *dev, struct wg_peer *peer,
		       void *opaque, const uint8_t *data, size_t len,
		       uint64_t now)
{
	struct wg_staged_packet *p;

	enum wg_drop_reason r = WG_OK;

	if (len > WG_MAX_INNER_PACKET)
		r = WG_DROP_TOO_BIG;
	else if (peer->endpoint.family == 0)
		r = WG_DROP_NO_ENDPOINT;
	p = r == WG_OK ? malloc(sizeof(*p)) : NULL;
	if (p == NULL) {
		if (opaque != NULL && dev->ops.staged_free != NULL)
			dev->ops.staged_free(dev->ctx, opaque);
		return wg_device_drop(dev, r != WG_OK ? r : WG_DROP_NOMEM);
	}
	p->next = NULL;
	p->opaque = opaque;
	p->data = data;
	p->len = (uint32_t)len;
	return stage(dev, peer, p, now);
}

void
wg_device_tx_data_done(struct wg_device *dev, struct wg_peer *peer,
		       unsigned int n_data, unsigned int n_keepalive,
		       uint64_t wire_bytes, uint64_t now)
{
	if (n_data == 0 && n_keepalive == 0)
		return;
	dev->stats.tx_data += n_data;
	dev->stats.tx_keepalives += n_keepalive;
	dev->stats.tx_bytes += wire_bytes;
	atomic_fetch_add_explicit(&peer->tx_bytes, wire_bytes,
				  memory_order_relaxed);
	data_sent_events(dev, peer, n_data != 0, now);
	wg_device_timers_sync(dev, peer);
}
