/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_WG_CONTROL_H
#define GW_WG_CONTROL_H

/*
 * The WireGuard control plane of the gateway (control lcore): one
 * struct wg_device per `wireguard:` interface, its peers and their ids,
 * the allowed IPs mirrored into the FIB, handshakes, timers, key
 * rotation, and what the data path needs published (keypairs by receiver
 * index, endpoints, peers).
 *
 * Every function here runs on the control lcore (or before the lcores
 * are launched, or after they stopped): the devices belong to it.
 *
 * Peer ids: the value of a peer's routes in the FIB (route.h). Stable for
 * the life of the peer; an id freed by gw_wg_peer_remove() is reused only
 * after every lcore has passed an RCU quiescent state and completed its
 * in-flight jobs. A later `wg set` or reload calls the same functions as
 * the start-up configuration:
 *   - gw_wg_peer_add() / gw_wg_peer_remove(): the core's peer and its id;
 *   - gw_wg_peer_attach() / gw_wg_peer_detach(): for a peer created or
 *     about to be removed through the core directly (the wg(8) socket);
 *   - gw_wg_peer_routes_sync(): after the core's allowed IPs of a peer
 *     changed; gw_wg_peer_endpoint_sync() after its endpoint was set.
 */

#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "wireguard/device.h"

struct gw_gateway;

/*
 * Creates the state, the per-lcore contexts and rings (after the lcores
 * and gw->qsbr exist). Nothing to do without a `wireguard:` section.
 * 0, or -1 with a message in err.
 */
int
gw_wg_create(struct gw_gateway *gw, char err[GW_ERR_MAX]);
/* Interface i of the configuration: its device and peers (ids in order). */
int
gw_wg_setup_iface(struct gw_gateway *gw, unsigned int i, char err[GW_ERR_MAX]);
/*
 * Before the lcores are launched: persistent keepalives start, from the
 * configuration's peers (before gw_reload_drop_peers() drops them).
 */
void
gw_wg_start(struct gw_gateway *gw);
/* After every lcore returned: pending events applied to the core. */
void
gw_wg_stop(struct gw_gateway *gw);
/* Everything freed (ports still open: mbufs go back to their pools). */
void
gw_wg_free(struct gw_gateway *gw);

/*
 * Public key, endpoint, counters and latest handshake of every peer, one
 * line each, and the devices' handshake counters and drops. Control lcore,
 * or any thread once the lcores stopped.
 */
void
gw_wg_print(const struct gw_gateway *gw, FILE *f);

/* The device of interface i, or NULL. */
struct wg_device *
gw_wg_device(struct gw_gateway *gw, unsigned int iface);

/*
 * Adds a peer to interface iface (wg_device_add_peer), gives it an id,
 * publishes it and mirrors its allowed IPs into the FIB. 0 (*id set),
 * -EINVAL, -EEXIST, -ENOMEM, -ENOSPC (no free id, FIB full).
 */
int
gw_wg_peer_add(struct gw_gateway *gw, unsigned int iface,
	       const struct wg_peer_config *cfg, uint32_t *id);
/* Removes peer id: routes, publication, the core's peer. 0 or -ENOENT. */
int
gw_wg_peer_remove(struct gw_gateway *gw, uint32_t id);
/* A peer already in the device of iface gets an id (see above). */
int
gw_wg_peer_attach(struct gw_gateway *gw, unsigned int iface,
		  struct wg_peer *peer, uint32_t *id);
/* Routes and publication withdrawn; the caller removes the core's peer. */
int
gw_wg_peer_detach(struct gw_gateway *gw, uint32_t id);
/* FIB routes made equal to the core's allowed IPs of peer id. */
int
gw_wg_peer_routes_sync(struct gw_gateway *gw, uint32_t id);
/* The data path's copy of the endpoint made equal to the core's. */
int
gw_wg_peer_endpoint_sync(struct gw_gateway *gw, uint32_t id);

#endif /* GW_WG_CONTROL_H */
