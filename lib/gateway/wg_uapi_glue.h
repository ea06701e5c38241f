/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_WG_UAPI_GLUE_H
#define GW_WG_UAPI_GLUE_H

/*
 * The wg(8) socket of the running gateway (`uapi: true`): per `wireguard:`
 * interface a struct wg_uapi over its wg_device and a server at
 * /var/run/wireguard/NAME.sock, polled (non-blocking) by the control lcore
 * on every loop iteration (at most every 100 us: one epoll_wait each). A `wg set` is applied to the data path with the
 * wg_control.h functions once the core accepted it:
 *   - new peers are attached (ids, publication, FIB routes), removed ones
 *     detached; a re-created peer (replace_peers, new private key) both;
 *   - allowed IPs: the FIB routes of the interface's peers re-synchronised;
 *   - endpoint: the data path's copy updated; preshared key and persistent
 *     keepalive live in the core only;
 *   - private key: the interface's public key refreshed;
 *   - listen_port: only the current port is accepted, another one is
 *     refused with EOPNOTSUPP (the UDP port is part of the data path's
 *     classification, fixed at start; change it in the file and restart).
 * Every change is made under gw_telemetry_lock() so that the telemetry
 * thread sees consistent peer lists.
 */

#include <stddef.h>

#include "config/config.h"

struct gw_gateway;

/*
 * Creates the protocol endpoints, and the sockets if cfg->uapi. 0, or -1
 * with err set.
 */
int
gw_uapi_start(struct gw_gateway *gw, char err[GW_ERR_MAX]);
/* Control lcore, every iteration: requests served (work done). */
unsigned int
gw_uapi_poll(struct gw_gateway *gw);
/*
 * One whole wg(8) request (get=1 or set=1) to interface iface through the
 * same path as its socket (the CLI, a reload), whether or not the socket
 * exists. 0 with *resp (malloc'd, NUL-terminated; it may hold keys: wipe
 * it, then free it), -ENOENT (no such interface) or -ENOMEM. Control
 * lcore.
 */
int
gw_uapi_request(struct gw_gateway *gw, unsigned int iface, const char *req,
		size_t len, char **resp, size_t *resp_len);
/* After the lcores stopped: sockets closed and unlinked. */
void
gw_uapi_stop(struct gw_gateway *gw);

#endif /* GW_WG_UAPI_GLUE_H */
