/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_UAPI_H
#define WG_UAPI_H

/*
 * The wg(8) cross-platform userspace configuration protocol ("UAPI", as
 * spoken by wireguard-go and boringtun over /var/run/wireguard/NAME.sock)
 * on top of a struct wg_device, without DPDK and without sockets: the
 * socket server is uapi_server.h, the gateway embeds both.
 *
 * Requests (text, one key=value per line, keys in lowercase hex):
 *
 *   get=1\n\n                -> key=value lines, then errno=0\n\n
 *   set=1\n key=value ... \n -> errno=0\n\n, or errno=-N\n\n on failure
 *
 * A failed set answers errno=-N with N a positive errno value (EINVAL for
 * a bad key or value, EPROTO for a line that is no key=value, EMSGSIZE /
 * E2BIG past the limits, ENOSPC past the peer limit, whatever the listen
 * port hook returned, ...). The minus sign is what wireguard-go sends and
 * what wg(8) expects: it negates the number to print the error
 * ("Unable to modify interface: Invalid argument").
 *
 * A set is atomic: the whole request is parsed and validated into a plan
 * first (every value, references to peers, the peer limit), the fallible
 * steps (listen port hook, creation of the new peers, the notification's
 * bookkeeping) run next and are undone if one fails, and only then is the
 * device changed. A request refused for its content, or cut off before its
 * terminating blank line, changes nothing. The one exception is running
 * out of memory while adding allowed IPs or re-creating a peer removed in
 * the same request (after peers were already removed): that stops the
 * apply, answers ENOMEM and still notifies what changed.
 *
 * Semantics follow Linux netlink and wireguard-go: replace_peers removes
 * every peer first (new sessions for all, as `wg setconf`); a section whose
 * public key is the device's own (after the request's private_key) is
 * ignored; remove=true and update_only=true apply to the whole section;
 * remove of an unknown peer is no error; replace_allowed_ips drops the
 * allowed IPs given before it in the same section as well; an allowed IP
 * owned by another peer moves to this one; the same public key may appear
 * in several sections, applied in order. Interface keys (private_key,
 * listen_port, fwmark, replace_peers) come before the first public_key and
 * at most once each.
 *
 * Key material (private and preshared keys, and the request text holding
 * them) is wiped from every buffer here once used, and never logged.
 *
 * Threading: the device's thread only (the control lcore).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wireguard/device.h"

/* Limits of one request; 0 in a field picks the default. */
struct wg_uapi_limits {
	uint32_t max_line;		/* bytes per line without \n (512; 64..4096) */
	uint64_t max_request;		/* bytes per request (1 GiB) */
	uint32_t max_peers;		/* peer sections (WG_MAX_PEERS_PER_DEVICE) */
	uint32_t max_allowed_ips;	/* allowed_ip lines (1 << 23) */
};

#define WG_UAPI_DEFAULT_MAX_LINE	512
#define WG_UAPI_DEFAULT_MAX_REQUEST	(1ULL << 30)
#define WG_UAPI_DEFAULT_MAX_PEERS	WG_MAX_PEERS_PER_DEVICE
#define WG_UAPI_DEFAULT_MAX_ALLOWED_IPS	(1U << 23)

/* What changed for one peer (struct wg_uapi_peer_event.what). */
enum wg_uapi_peer_change {
	WG_UAPI_PEER_ADDED		= 1 << 0, /* a new peer object */
	WG_UAPI_PEER_REMOVED		= 1 << 1, /* the old object is gone */
	WG_UAPI_PEER_ALLOWED_IPS	= 1 << 2, /* its allowed IPs were set */
	WG_UAPI_PEER_ENDPOINT		= 1 << 3,
	WG_UAPI_PEER_PRESHARED_KEY	= 1 << 4,
	WG_UAPI_PEER_KEEPALIVE		= 1 << 5,
};

/* What changed on the interface (struct wg_uapi_change.iface). */
enum wg_uapi_iface_change {
	WG_UAPI_IFACE_PRIVATE_KEY	= 1 << 0,
	WG_UAPI_IFACE_LISTEN_PORT	= 1 << 1,
	WG_UAPI_IFACE_FWMARK		= 1 << 2,
	WG_UAPI_IFACE_PEERS_REPLACED	= 1 << 3, /* replace_peers=true */
};

/*
 * One peer named by the request, or removed by replace_peers or by the
 * new private key. ADDED|REMOVED together: the peer was re-created (new
 * object, new sessions). peer is NULL when the peer is gone at the end.
 */
struct wg_uapi_peer_event {
	uint8_t public_key[WG_PUBLIC_KEY_LEN];
	struct wg_peer *peer;
	unsigned int what;		/* enum wg_uapi_peer_change bits */
};

/*
 * One change of the allowed-IPs table, for a FIB mirror keyed by prefix:
 * the prefix now belongs to peer (insert or overwrite), or, with peer
 * NULL, to nobody (delete). A prefix that moved from another peer shows
 * up here only, under its new owner.
 */
struct wg_uapi_route_delta {
	struct wg_allowed_ip prefix;	/* host bits clear */
	struct wg_peer *peer;
};

/*
 * The notification after a set that changed something (also after a
 * partial ENOMEM apply). Everything is valid during the callback only;
 * the peers are alive then (removed ones already went to peer_retire).
 * routes_complete false: the deltas could not be computed (no memory);
 * resynchronise the whole table from wg_device_foreach_peer() and
 * wg_allowedips_walk_by_peer().
 */
struct wg_uapi_change {
	unsigned int iface;		/* enum wg_uapi_iface_change bits */
	const struct wg_uapi_peer_event *peers;
	size_t n_peers;
	const struct wg_uapi_route_delta *routes;
	size_t n_routes;
	bool routes_complete;
};

struct wg_uapi_ops {
	/*
	 * Optional. The UDP port in use (0: none). Default: the last port
	 * set through the protocol (0 at first).
	 */
	uint16_t (*get_listen_port)(void *ctx);
	/*
	 * Optional. Rebind to port (0: any free port, as Linux). 0, or a
	 * negative errno that fails the set (-EADDRINUSE...). Called before
	 * anything else changes, and again with the old port should a later
	 * step of the same set fail.
	 */
	int (*set_listen_port)(void *ctx, uint16_t port);
	/* Optional, same contract for fwmark (0: none). Default: stored. */
	int (*set_fwmark)(void *ctx, uint32_t fwmark);
	/*
	 * Optional. After a set that changed something: 0, or a negative
	 * errno when the driver could not carry out part of the change (it
	 * undid that part in the device, e.g. removed a peer it has no room
	 * for, and logged it); the set then answers that errno.
	 */
	int (*config_changed)(void *ctx, const struct wg_uapi_change *change);
	/*
	 * Optional. The most peers the device may hold once a set is applied
	 * (the driver's own room, e.g. data-path slots); a set that would
	 * leave more is refused whole with ENOSPC. Default and upper bound:
	 * WG_MAX_PEERS_PER_DEVICE.
	 */
	uint32_t (*max_peers)(void *ctx);
	/* Optional. Monotonic ns for the device calls; default CLOCK_MONOTONIC. */
	uint64_t (*now_ns)(void *ctx);
	/* Optional. One line about a refused request; never holds a key. */
	void (*log)(void *ctx, const char *msg);
};

struct wg_uapi;
struct wg_uapi_session;

/*
 * A protocol endpoint for dev. ops and limits are copied (NULL: none,
 * defaults). NULL on ENOMEM or an invalid limit (errno set).
 */
struct wg_uapi *
wg_uapi_create(struct wg_device *dev, const struct wg_uapi_ops *ops,
	       void *ctx, const struct wg_uapi_limits *limits);
/* Every session must have been freed before. */
void
wg_uapi_free(struct wg_uapi *u);

/* The fwmark last set (0: none). */
uint32_t
wg_uapi_fwmark(const struct wg_uapi *u);

/*
 * Sessions: one per client connection, a byte stream in, a byte stream
 * out. Requests may follow each other on one session.
 *
 *   n = wg_uapi_session_input(s, buf, len);  // consumes n <= len bytes
 *   n = wg_uapi_session_output(s, buf, len); // produces n <= len bytes
 *
 * input stops consuming (returns less than len, possibly 0) while a
 * response is pending: drain output, then feed the rest again. A set is
 * applied when its terminating blank line is consumed; a get response is
 * produced lazily, peer by peer, as output is drained (each peer as it is
 * at that moment; peers in creation order).
 */
struct wg_uapi_session *
wg_uapi_session_create(struct wg_uapi *u);
/* Drops whatever is in progress (an unfinished set changes nothing). */
void
wg_uapi_session_free(struct wg_uapi_session *s);
size_t
wg_uapi_session_input(struct wg_uapi_session *s, const void *buf,
		      size_t len);
/* The client closed its side: an unfinished request is dropped. */
void
wg_uapi_session_input_eof(struct wg_uapi_session *s);
size_t
wg_uapi_session_output(struct wg_uapi_session *s, void *buf, size_t len);
/* Output is ready to be taken. */
bool
wg_uapi_session_has_output(const struct wg_uapi_session *s);
/* Input would be consumed now (no response pending, not closing). */
bool
wg_uapi_session_wants_input(const struct wg_uapi_session *s);
/* Nothing more will come out or go in: close the connection. */
bool
wg_uapi_session_done(const struct wg_uapi_session *s);
/* Requests completed (answered in full) on this session. */
uint64_t
wg_uapi_session_requests(const struct wg_uapi_session *s);

/*
 * One whole request in memory (tests, other transports): *resp gets the
 * complete response (malloc'd, NUL-terminated, free() it; it may hold the
 * private key: wipe it). 0, or -ENOMEM. A request cut short gets no
 * response (*resp_len 0).
 */
int
wg_uapi_request(struct wg_uapi *u, const char *req, size_t len,
		char **resp, size_t *resp_len);

#endif /* WG_UAPI_H */
