/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_DEVICE_H
#define WG_DEVICE_H

/*
 * A WireGuard device without packet I/O: the protocol engine that a UDP
 * socket driver (tests, tools) and the DPDK gateway both drive.
 *
 * The driver feeds it events and supplies callbacks:
 *   - every received UDP payload:   wg_device_receive()
 *   - every inner packet to send:   wg_device_send() / wg_device_send_to_peer()
 *   - time:                         wg_device_timers() at or after
 *                                   wg_device_next_deadline()
 *   - outer packets to transmit:    ops.send_udp()
 *   - decrypted inner packets:      ops.deliver_inner()
 * Every function takes `now`, a monotonic clock in nanoseconds (any
 * origin: tests use a fake clock). The wall clock, needed only for TAI64N
 * timestamps and the last-handshake time, comes from ops.now_real_ns.
 *
 * Threading: a device and everything reached from it belong to one thread
 * (the control lcore). Callbacks must not re-enter the device, except
 * that deliver_inner may call wg_device_send()/wg_device_send_to_peer()
 * (hub-and-spoke routing). A data path on other threads uses the split
 * API at the end of this file plus the keypair hooks and keypair.h.
 *
 * Per-packet work allocates nothing: data is decrypted in place in the
 * caller's buffer and encrypted into a buffer owned by the device. Only
 * staging a packet while no session exists copies it (as Linux, at most
 * WG_MAX_QUEUED_PACKETS per peer, oldest dropped first).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "constants.h"
#include "cookie.h"
#include "endpoint.h"
#include "keypair.h"
#include "messages.h"
#include "noise.h"
#include "peer.h"

struct wg_allowedips;
struct wg_index_table;
struct wg_peer_table;
struct wg_ratelimiter;

/* Result of processing one packet: WG_OK or why it was dropped. */
enum wg_drop_reason {
	WG_OK = 0,
	/* any received message */
	WG_DROP_BAD_MESSAGE,		/* unknown type or wrong length */
	/* handshake messages */
	WG_DROP_NO_IDENTITY,		/* no private key configured */
	WG_DROP_MAC1,			/* mac1 invalid: dropped before any DH */
	WG_DROP_COOKIE_SENT,		/* under load, no valid mac2: cookie reply sent */
	WG_DROP_RATELIMITED,		/* under load, source over its token bucket */
	WG_DROP_HANDSHAKE_INVALID,	/* authentication or DH failed */
	WG_DROP_HANDSHAKE_UNKNOWN_PEER,	/* initiation from a key that is no peer */
	WG_DROP_HANDSHAKE_REPLAY,	/* TAI64N not newer than the last */
	WG_DROP_HANDSHAKE_FLOOD,	/* initiation < 20 ms after the last */
	WG_DROP_HANDSHAKE_STATE,	/* response to no pending initiation */
	WG_DROP_COOKIE_INVALID,		/* cookie reply not for us or not authentic */
	/* data messages */
	WG_DROP_UNKNOWN_INDEX,		/* receiver index of no session */
	WG_DROP_KEYPAIR_EXPIRED,	/* too old, exhausted or invalidated */
	WG_DROP_DECRYPT,		/* authentication tag mismatch */
	WG_DROP_REPLAY,			/* counter seen or too old */
	WG_DROP_INNER_HEADER,		/* not IPv4/IPv6 or inconsistent length */
	WG_DROP_ALLOWEDIPS_SRC,		/* inner source not in the peer's allowed IPs */
	/* sending */
	WG_DROP_NO_ROUTE,		/* no peer's allowed IPs hold the destination */
	WG_DROP_NO_ENDPOINT,		/* peer endpoint unknown */
	WG_DROP_TOO_BIG,		/* inner packet over 65535 bytes */
	WG_DROP_STAGED_OVERFLOW,	/* oldest staged packet pushed out */
	WG_DROP_STAGED_PURGED,		/* staged packets dropped when giving up */
	WG_DROP_NOMEM,
	WG_DROP_REASON_MAX
};

const char *
wg_drop_reason_str(enum wg_drop_reason r);

struct wg_device_stats {
	uint64_t drops[WG_DROP_REASON_MAX];
	uint64_t rx_initiations;	/* accepted, answered */
	uint64_t rx_responses;		/* accepted */
	uint64_t rx_cookies;		/* accepted cookie replies */
	uint64_t rx_data;		/* inner packets delivered */
	uint64_t rx_keepalives;
	uint64_t rx_inner_bytes;
	uint64_t tx_initiations;
	uint64_t tx_responses;
	uint64_t tx_cookies;
	uint64_t tx_data;		/* data messages sent (keepalives not counted) */
	uint64_t tx_keepalives;
	uint64_t tx_bytes;		/* UDP payload bytes handed to send_udp */
	uint64_t tx_errors;		/* send_udp returned an error */
	uint64_t sessions;		/* keypairs derived */
};

struct wg_device_ops {
	/*
	 * Required. Transmit buf/len as one UDP payload to dst. peer is the
	 * peer it belongs to, or NULL for a cookie reply. buf is valid only
	 * during the call. Return 0 or a negative errno.
	 */
	int (*send_udp)(void *ctx, struct wg_peer *peer,
			const struct wg_endpoint *dst, const uint8_t *buf,
			size_t len);
	/*
	 * Required. An authenticated inner IPv4/IPv6 packet from peer, its
	 * length taken from its own header, its source inside the peer's
	 * allowed IPs. pkt points into the buffer given to
	 * wg_device_receive() and may be modified.
	 */
	void (*deliver_inner)(void *ctx, struct wg_peer *peer, uint8_t *pkt,
			      size_t len);
	/* Optional. kp entered the peer's slots (its local index is final). */
	void (*keypair_new)(void *ctx, struct wg_keypair *kp);
	/*
	 * Optional. kp left the slots and the index table; call
	 * wg_keypair_free(kp) once no other thread can hold it (RCU).
	 * Default: wiped and freed at once.
	 */
	void (*keypair_retire)(void *ctx, struct wg_keypair *kp);
	/* Optional. Same for a removed peer: wg_peer_free() when safe. */
	void (*peer_retire)(void *ctx, struct wg_peer *peer);
	/* Releases a buffer staged with wg_device_stage_packet(). */
	void (*staged_free)(void *ctx, void *opaque);
	/* Optional. Wall clock in ns since the Unix epoch; default CLOCK_REALTIME. */
	uint64_t (*now_real_ns)(void *ctx);
};

struct wg_allowed_ip {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t cidr;
	uint8_t addr[16];		/* network order */
};

struct wg_peer_config {
	uint8_t public_key[WG_PUBLIC_KEY_LEN];
	bool has_preshared_key;
	uint8_t preshared_key[WG_SYMMETRIC_KEY_LEN];
	struct wg_endpoint endpoint;	/* family 0: none (learnt later) */
	uint16_t persistent_keepalive;	/* seconds, 0 = off */
	const struct wg_allowed_ip *allowed_ips;
	unsigned int n_allowed_ips;
};

/* Fields are read-only for drivers; change them through the functions. */
struct wg_device {
	struct wg_device_ops ops;
	void *ctx;

	struct wg_static_identity static_identity;
	struct wg_cookie_checker cookie_checker;
	struct wg_ratelimiter *ratelimiter;
	struct wg_peer_table *peers;
	struct wg_index_table *index_table;
	struct wg_allowedips *allowedips;
	uint32_t mtu;			/* tunnel MTU for padding; 0 = none */

	struct wg_device_stats stats;

	/* peers ordered by their earliest timer deadline (binary heap) */
	struct wg_peer **timer_heap;
	size_t timer_heap_len;
	size_t timer_heap_cap;
	uint64_t next_housekeeping;	/* ratelimiter gc, cookie secret */

	uint64_t next_peer_id;
	uint8_t *tx_buf;		/* one encrypted data message */
};

#define WG_DEVICE_DEFAULT_MTU		1420
/* Overridable at build time: the fuzz build (-Dfuzz=true) shrinks it. */
#ifndef WG_DEVICE_RATELIMITER_ENTRIES
#define WG_DEVICE_RATELIMITER_ENTRIES	(1U << 16)
#endif
#define WG_MAX_INNER_PACKET		65535

/* ops is copied. NULL if ops lacks a required callback or on ENOMEM. */
struct wg_device *
wg_device_create(const struct wg_device_ops *ops, void *ctx, uint64_t now);
/* Removes every peer (retire hooks run) and wipes all key material. */
void
wg_device_free(struct wg_device *dev);

/*
 * Sets the static private key (clamped); all zero clears the identity.
 * A peer whose public key is the new public key is removed (as Linux);
 * every peer's static-static DH is recomputed, its pending handshake
 * cleared and its current sessions stop sending. 0.
 */
int
wg_device_set_private_key(struct wg_device *dev,
			  const uint8_t private_key[WG_PUBLIC_KEY_LEN],
			  uint64_t now);
/* False if no identity. */
bool
wg_device_get_public_key(const struct wg_device *dev,
			 uint8_t public_key[WG_PUBLIC_KEY_LEN]);
void
wg_device_set_mtu(struct wg_device *dev, uint32_t mtu);

/*
 * Adds a peer with everything in cfg, all or nothing: -EINVAL (our own
 * public key, bad allowed IP), -EEXIST (public key present), -ENOMEM.
 * With a persistent keepalive it sends a keepalive at once, which starts
 * a handshake (as Linux). *out (optional) gets the peer.
 */
int
wg_device_add_peer(struct wg_device *dev, const struct wg_peer_config *cfg,
		   uint64_t now, struct wg_peer **out);
void
wg_device_remove_peer(struct wg_device *dev, struct wg_peer *peer);
struct wg_peer *
wg_device_lookup_peer(const struct wg_device *dev,
		      const uint8_t public_key[WG_PUBLIC_KEY_LEN]);
size_t
wg_device_peer_count(const struct wg_device *dev);
/* fn may remove the peer it is given (see wg_peer_table_foreach). */
int
wg_device_foreach_peer(struct wg_device *dev, int (*fn)(void *ctx,
		       struct wg_peer *peer), void *ctx);

void
wg_device_peer_set_endpoint(struct wg_device *dev, struct wg_peer *peer,
			    const struct wg_endpoint *ep);
/* psk NULL: none. */
void
wg_device_peer_set_preshared_key(struct wg_device *dev, struct wg_peer *peer,
				 const uint8_t psk[WG_SYMMETRIC_KEY_LEN]);
/* Turning it on sends a keepalive at once (Linux). */
void
wg_device_peer_set_persistent_keepalive(struct wg_device *dev,
					struct wg_peer *peer,
					uint16_t interval, uint64_t now);
/* 0, -EINVAL, -ENOMEM. A prefix owned by another peer moves to this one. */
int
wg_device_peer_add_allowed_ip(struct wg_device *dev, struct wg_peer *peer,
			      const struct wg_allowed_ip *aip);
void
wg_device_peer_clear_allowed_ips(struct wg_device *dev, struct wg_peer *peer);

/*
 * One received UDP payload from src (required: the outer source address
 * and port, used for cookies and roaming). Handshake messages: mac1, then (when
 * under_load, the caller's judgement of handshake backlog) mac2 or a
 * cookie reply and the per-source rate limiter, then Noise. Data: index,
 * keypair validity, in-place decryption, replay check (after
 * authentication), key confirmation, inner header and allowed-IPs source
 * check, deliver_inner. The endpoint of a peer is updated only from an
 * authenticated packet. Returns WG_OK or the drop reason (also counted).
 */
enum wg_drop_reason
wg_device_receive(struct wg_device *dev, uint8_t *buf, size_t len,
		  const struct wg_endpoint *src, uint64_t now, bool under_load);

/*
 * One inner IPv4/IPv6 packet: routed by destination through the allowed
 * IPs, then as wg_device_send_to_peer().
 */
enum wg_drop_reason
wg_device_send(struct wg_device *dev, const uint8_t *inner, size_t len,
	       uint64_t now);
/*
 * Encrypts (padded to 16, not beyond the MTU) and sends under the current
 * session, or stages the packet and starts a handshake when there is none
 * (WG_OK as well); triggers a rekey when the session is due.
 */
enum wg_drop_reason
wg_device_send_to_peer(struct wg_device *dev, struct wg_peer *peer,
		       const uint8_t *inner, size_t len, uint64_t now);
/* An empty data packet (or flushes staged packets instead, as Linux). */
void
wg_device_send_keepalive(struct wg_device *dev, struct wg_peer *peer,
			 uint64_t now);
/* A new handshake initiation, unless one was sent less than REKEY_TIMEOUT ago. */
void
wg_device_send_initiation(struct wg_device *dev, struct wg_peer *peer,
			  uint64_t now);

/*
 * Runs every timer due at now: handshake retransmission (at most one
 * initiation per peer per REKEY_TIMEOUT) and giving up, keepalives,
 * persistent keepalives, new handshakes, zeroing of key material, and the
 * device's housekeeping (cookie secret rotation, rate limiter gc).
 */
void
wg_device_timers(struct wg_device *dev, uint64_t now);
/* Monotonic ns of the next thing wg_device_timers() has to do. */
uint64_t
wg_device_next_deadline(const struct wg_device *dev);

static inline const struct wg_device_stats *
wg_device_stats(const struct wg_device *dev)
{
	return &dev->stats;
}

/*
 * Split data path, for a driver that runs the AEAD itself (batched, on
 * other lcores). All still on the device's thread unless noted.
 */

/* The keypair a data message's receiver index names, or NULL. */
struct wg_keypair *
wg_device_lookup_keypair(const struct wg_device *dev, uint32_t receiver_index);
/*
 * A data message under kp with this counter authenticated and decrypted
 * (plain/plain_len: the padded plaintext, no tag). Runs everything
 * wg_device_receive() does after decryption, ending with deliver_inner.
 * src may be NULL (endpoint not updated).
 */
enum wg_drop_reason
wg_device_rx_data_authenticated(struct wg_device *dev, struct wg_keypair *kp,
				uint64_t counter,
				const struct wg_endpoint *src,
				uint8_t *plain, size_t plain_len, uint64_t now);
/*
 * Stages a driver buffer (opaque, released with ops.staged_free) whose
 * inner packet is data/len, and flushes or starts a handshake like
 * wg_device_send_to_peer(). The buffer must stay valid until released.
 */
enum wg_drop_reason
wg_device_stage_packet(struct wg_device *dev, struct wg_peer *peer,
		       void *opaque, const uint8_t *data, size_t len,
		       uint64_t now);
/*
 * The driver sent n_data data messages and n_keepalive keepalives
 * (wire_bytes in all) to peer under its current keypair: timers, counters
 * and the rekey check.
 */
void
wg_device_tx_data_done(struct wg_device *dev, struct wg_peer *peer,
		       unsigned int n_data, unsigned int n_keepalive,
		       uint64_t wire_bytes, uint64_t now);
/* Padded plaintext length for an inner packet of len bytes (Linux rule). */
size_t
wg_device_padded_len(const struct wg_device *dev, size_t len);

/*
 * Receive side of a driver that also runs the replay window, the inner
 * header and the allowed-IPs source check itself (the DPDK data path on
 * other lcores), and reports to the device's thread in aggregate:
 *
 *   - wg_device_peer_set_endpoint() for roaming (the outer source of a
 *     packet that passed the replay window),
 *   - wg_device_rx_confirm_keypair() when data arrived under the keypair
 *     that was the peer's pending `next`,
 *   - wg_device_rx_data_done() for the packets accepted since the last
 *     report: timers, counters and the initiator's rekey on receive.
 */

/*
 * Key confirmation: data authenticated under the keypair whose
 * internal_id is keypair_id passed the replay window. If that keypair is
 * still the peer's pending `next`, it becomes current (previous <-
 * current), the handshake is recorded as complete and the staged packets
 * are sent; returns true. Returns false when it is not (any more) `next`
 * (a newer handshake replaced it, or it was already confirmed).
 */
bool
wg_device_rx_confirm_keypair(struct wg_device *dev, struct wg_peer *peer,
			     uint64_t keypair_id, uint64_t now);
/*
 * The driver accepted n_data data messages and n_keepalive keepalives
 * (wire_bytes of UDP payload in all) from peer since its last report:
 * Linux's per-packet timer events (any authenticated packet received and
 * traversing, data received), counters (device rx_data/rx_keepalives,
 * peer rx_bytes) and keep_key_fresh on receive (the initiator of the
 * current session starts a new handshake once it is 165 s old, once).
 */
void
wg_device_rx_data_done(struct wg_device *dev, struct wg_peer *peer,
		       unsigned int n_data, unsigned int n_keepalive,
		       uint64_t wire_bytes, uint64_t now);

#endif /* WG_DEVICE_H */
