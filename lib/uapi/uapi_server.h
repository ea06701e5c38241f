/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_UAPI_SERVER_H
#define WG_UAPI_SERVER_H

/*
 * The UNIX stream socket that wg(8) talks to: DIR/NAME.sock, DIR being
 * /var/run/wireguard (where wg(8) looks; a test may pass another).
 *
 * Single-threaded and non-blocking: every socket is O_NONBLOCK and one
 * call to wg_uapi_server_poll() accepts, reads, answers and writes at
 * most a bounded amount per client (io_budget bytes each way) before it
 * returns, so a slow or stuck client never holds the caller. Each client
 * has its own buffers and two deadlines: no progress for idle_timeout_ms,
 * or one request (and its response) taking longer than
 * request_timeout_ms, closes it. Clients past max_clients are accepted
 * and closed at once. The work of applying one large set (new peers cost
 * one X25519 each) is not split.
 *
 * Creation: the directory is created (0755) if missing; the socket is
 * bound under umask 077 and made 0600. A socket file already there is
 * probed: a live server answering on it is an error (EADDRINUSE, "in use
 * by another process"), a stale one (connect() refused) is replaced,
 * anything that is not a socket is left alone (EEXIST). Destruction
 * unlinks the socket if it is still ours.
 *
 * Embedding: either call wg_uapi_server_poll(srv, timeout_ms) alone (it
 * sleeps at most timeout_ms), or add wg_uapi_server_fd() (an epoll fd:
 * readable when a client or the listener needs attention) to your own
 * poll set and call wg_uapi_server_poll(srv, 0) when it is readable or
 * wg_uapi_server_timeout_ms() has passed. The gateway's control lcore
 * simply calls wg_uapi_server_poll(srv, 0) on every loop iteration.
 */

#include <stddef.h>
#include <stdint.h>

#include "uapi.h"

#define WG_UAPI_SOCKET_DIR		"/var/run/wireguard"
#define WG_UAPI_NAME_MAX		15	/* IFNAMSIZ - 1, as wg(8) */

struct wg_uapi_server_config {
	const char *name;		/* required: [A-Za-z0-9_=+.-], 1..15 */
	const char *dir;		/* NULL: WG_UAPI_SOCKET_DIR */
	unsigned int max_clients;	/* 0: 8 */
	uint32_t idle_timeout_ms;	/* 0: 10000 */
	uint32_t request_timeout_ms;	/* 0: 120000 */
	uint32_t io_budget;		/* bytes per client per poll; 0: 256 KiB */
};

struct wg_uapi_server;

/*
 * Binds the socket for u. NULL on failure with errno set and, if err is
 * not NULL, a message naming the path in err (errlen bytes).
 */
struct wg_uapi_server *
wg_uapi_server_create(struct wg_uapi *u,
		      const struct wg_uapi_server_config *cfg,
		      char *err, size_t errlen);
/* Closes every client (unfinished sets change nothing) and unlinks. */
void
wg_uapi_server_destroy(struct wg_uapi_server *srv);

/*
 * Waits up to timeout_ms (0: not at all, -1: until something happens)
 * and serves what is ready. Returns the number of requests completed in
 * this call, or a negative errno if the event loop itself failed.
 */
int
wg_uapi_server_poll(struct wg_uapi_server *srv, int timeout_ms);

/* An fd that polls readable when wg_uapi_server_poll() has work. */
int
wg_uapi_server_fd(const struct wg_uapi_server *srv);
/* Milliseconds until the next client deadline, -1 if none. */
int
wg_uapi_server_timeout_ms(const struct wg_uapi_server *srv);
/* The socket path. */
const char *
wg_uapi_server_path(const struct wg_uapi_server *srv);
/* Clients connected now. */
unsigned int
wg_uapi_server_clients(const struct wg_uapi_server *srv);

#endif /* WG_UAPI_SERVER_H */
