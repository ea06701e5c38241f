/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "gateway.h"
#include "log.h"
#include "telemetry.h"
#include "uapi/uapi.h"
#include "uapi/uapi_server.h"
#include "wg_control.h"
#include "wg_dp.h"
#include "wg_uapi_glue.h"
#include "wireguard/peer.h"

struct gw_uapi_if {
	struct gw_gateway *gw;
	struct gw_wg_if *wif;
	struct wg_uapi *uapi;
	struct wg_uapi_server *srv;
};

struct gw_uapi {
	struct gw_uapi_if ifs[GW_MAX_WG];
	unsigned int n_if;
	uint64_t interval_tsc;		/* between two polls */
	uint64_t next_tsc;
};

/*
 * Each poll is an epoll_wait(): on a control lcore that also does I/O
 * (run to completion), at most this often, so that the loop does not
 * make a system call per burst. A request waits at most this long more.
 */
#define GW_UAPI_POLL_US		100

/* Removed peers looked up one by one up to this many, else one pass. */
#define GW_UAPI_FIND_MAX	16

static uint16_t
gw_uapi_get_port(void *ctx)
{
	const struct gw_uapi_if *ui = ctx;

	return ui->wif->listen_port;
}

static int
gw_uapi_set_port(void *ctx, uint16_t port)
{
	const struct gw_uapi_if *ui = ctx;

	/* the port is part of the data path's classification: fixed */
	return port == ui->wif->listen_port ? 0 : -EOPNOTSUPP;
}

static uint64_t
gw_uapi_now(void *ctx)
{
	const struct gw_uapi_if *ui = ctx;

	return gw_wg_now(ui->wif->wg);
}

static void
gw_uapi_log(void *ctx, const char *msg)
{
	const struct gw_uapi_if *ui = ctx;

	GW_LOG(NOTICE, "wireguard %s: wg(8) request refused: %s",
	       ui->wif->name, msg);
}

/* The attached peer of wif with this public key other than except. */
static struct gw_wg_peer_dp *
gw_uapi_find(struct gw_wg_if *wif, const uint8_t *key,
	     const struct wg_peer *except)
{
	struct gw_wg *wg = wif->wg;
	struct gw_wg_peer_dp *dp;
	uint32_t id;

	for (id = 0; id < wg->n_fresh; id++) {
		dp = &wg->peers[id];
		if (dp->peer == NULL || dp->wif != wif || dp->peer == except)
			continue;
		if (memcmp(wg_peer_public_key(dp->peer), key,
			   WG_PUBLIC_KEY_LEN) == 0)
			return dp;
	}
	return NULL;
}

/*
 * The peers this interface may hold: the data path's ids less those the
 * other interfaces hold (ids of removed peers are reclaimed on demand,
 * gw_wg_peer_attach()).
 */
static uint32_t
gw_uapi_max_peers(void *ctx)
{
	const struct gw_uapi_if *ui = ctx;
	const struct gw_wg *wg = ui->wif->wg;
	uint32_t others = 0;
	unsigned int i;

	for (i = 0; i < wg->n_if; i++)
		if (&wg->ifs[i] != ui->wif)
			others += wg_device_peer_count(wg->ifs[i].dev);
	return others < wg->cap ? wg->cap - others : 0;
}

static int
gw_uapi_changed(void *ctx, const struct wg_uapi_change *ch)
{
	struct gw_uapi_if *ui = ctx;
	struct gw_gateway *gw = ui->gw;
	struct gw_wg_if *wif = ui->wif;
	struct gw_wg *wg = wif->wg;
	const struct wg_uapi_peer_event *ev;
	struct gw_wg_peer_dp *dp;
	uint32_t id;
	size_t i, n_removed;
	int ret, err = 0;

	if (ch->iface & WG_UAPI_IFACE_PRIVATE_KEY)
		wif->has_key = wg_device_get_public_key(wif->dev,
							wif->public_key);
	/* removed (or re-created) peers leave the data path first */
	for (i = 0, n_removed = 0; i < ch->n_peers; i++)
		if (ch->peers[i].what & WG_UAPI_PEER_REMOVED)
			n_removed++;
	if (n_removed > GW_UAPI_FIND_MAX) {
		/* many (replace_peers): one pass, not one per peer */
		for (id = 0; id < wg->n_fresh; id++) {
			dp = &wg->peers[id];
			if (dp->peer != NULL && dp->wif == wif &&
			    wg_device_lookup_peer(wif->dev,
				wg_peer_public_key(dp->peer)) != dp->peer)
				gw_wg_peer_detach(gw, id);
		}
	} else {
		for (i = 0; i < ch->n_peers; i++) {
			ev = &ch->peers[i];
			if (!(ev->what & WG_UAPI_PEER_REMOVED))
				continue;
			dp = gw_uapi_find(wif, ev->public_key, ev->peer);
			if (dp != NULL)
				gw_wg_peer_detach(gw, dp->id);
		}
	}
	for (i = 0; i < ch->n_peers; i++) {
		ev = &ch->peers[i];
		if (ev->peer == NULL)
			continue;
		if (ev->peer->user == NULL) {
			ret = gw_wg_peer_attach(gw, wif->index, ev->peer, &id);
			if (ret != 0) {
				/* no id, no route: the core's peer goes too */
				GW_LOG(ERR, "wireguard %s: wg(8) peer not "
				       "added to the data path: %s",
				       wif->name, strerror(-ret));
				wg_device_remove_peer(wif->dev, ev->peer);
				if (err == 0)
					err = ret;
			}
			continue;
		}
		dp = ev->peer->user;
		if (ev->what & WG_UAPI_PEER_ENDPOINT)
			gw_wg_peer_endpoint_sync(gw, dp->id);
		if (ev->what & WG_UAPI_PEER_ALLOWED_IPS) {
			ret = gw_wg_peer_routes_sync(gw, dp->id);
			if (ret != 0) {
				GW_LOG(ERR, "wireguard %s: wg(8) routes of "
				       "peer %u: %s", wif->name, dp->id,
				       strerror(-ret));
				if (err == 0)
					err = ret;
			}
		}
	}
	/*
	 * A prefix that moved from another peer is only reported under its
	 * new owner, synchronised above: the route never disappears, and the
	 * former owner's list of installed routes keeps a stale entry, which
	 * is harmless (gw_route_del_peer() removes only a route the peer
	 * still owns). Without complete deltas (no memory), every peer of
	 * the interface is synchronised.
	 */
	if (ch->routes_complete)
		return err;
	for (id = 0; id < wg->n_fresh; id++) {
		dp = &wg->peers[id];
		if (dp->peer == NULL || dp->wif != wif)
			continue;
		ret = gw_wg_peer_routes_sync(gw, id);
		if (ret != 0) {
			GW_LOG(ERR, "wireguard %s: wg(8) routes of peer %u: %s",
			       wif->name, id, strerror(-ret));
			if (err == 0)
				err = ret;
		}
	}
	return err;
}

int
gw_uapi_start(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	struct wg_uapi_server_config sc;
	struct wg_uapi_ops ops;
	struct gw_uapi_if *ui;
	struct gw_uapi *u;
	char msg[256];
	unsigned int i;

	/* the cores' endpoints always (CLI, reload), the sockets if asked */
	if (gw->wgs == NULL || gw->wgs->n_if == 0)
		return 0;
	u = calloc(1, sizeof(*u));
	if (u == NULL) {
		snprintf(err, GW_ERR_MAX, "wg(8) socket: %s", strerror(ENOMEM));
		return -1;
	}
	gw->uapi = u;
	u->interval_tsc = gw->tsc_hz * GW_UAPI_POLL_US / 1000000;
	memset(&ops, 0, sizeof(ops));
	ops.get_listen_port = gw_uapi_get_port;
	ops.set_listen_port = gw_uapi_set_port;
	ops.config_changed = gw_uapi_changed;
	ops.max_peers = gw_uapi_max_peers;
	ops.now_ns = gw_uapi_now;
	ops.log = gw_uapi_log;
	for (i = 0; i < gw->wgs->n_if; i++) {
		ui = &u->ifs[i];
		ui->gw = gw;
		ui->wif = &gw->wgs->ifs[i];
		ui->uapi = wg_uapi_create(ui->wif->dev, &ops, ui, NULL);
		if (ui->uapi == NULL) {
			snprintf(err, GW_ERR_MAX, "wireguard %s: wg(8): %s",
				 ui->wif->name, strerror(errno));
			goto fail;
		}
		u->n_if = i + 1;
		if (!gw->cfg->uapi)
			continue;
		memset(&sc, 0, sizeof(sc));
		sc.name = ui->wif->name;
		ui->srv = wg_uapi_server_create(ui->uapi, &sc, msg,
						sizeof(msg));
		if (ui->srv == NULL) {
			snprintf(err, GW_ERR_MAX, "wireguard %s: %s",
				 ui->wif->name, msg);
			goto fail;
		}
		GW_LOG(INFO, "wireguard %s: wg(8) socket %s", ui->wif->name,
		       wg_uapi_server_path(ui->srv));
	}
	return 0;
fail:
	gw_uapi_stop(gw);
	return -1;
}

unsigned int
gw_uapi_poll(struct gw_gateway *gw)
{
	struct gw_uapi *u = gw->uapi;
	unsigned int i, work = 0;
	uint64_t now;
	int ret;

	if (u == NULL)
		return 0;
	now = rte_get_tsc_cycles();
	if (now < u->next_tsc)
		return 0;
	u->next_tsc = now + u->interval_tsc;
	for (i = 0; i < u->n_if; i++) {
		if (u->ifs[i].srv == NULL)
			continue;
		/* a metrics scrape or telemetry walk in progress: next poll */
		if (!gw_telemetry_trylock())
			return work;
		ret = wg_uapi_server_poll(u->ifs[i].srv, 0);
		gw_telemetry_unlock();
		if (ret > 0)
			work += (unsigned int)ret;
	}
	return work;
}

int
gw_uapi_request(struct gw_gateway *gw, unsigned int iface, const char *req,
		size_t len, char **resp, size_t *resp_len)
{
	struct gw_uapi *u = gw->uapi;
	int ret;

	*resp = NULL;
	*resp_len = 0;
	if (u == NULL || iface >= u->n_if)
		return -ENOENT;
	gw_telemetry_lock();
	ret = wg_uapi_request(u->ifs[iface].uapi, req, len, resp, resp_len);
	gw_telemetry_unlock();
	return ret;
}

void
gw_uapi_stop(struct gw_gateway *gw)
{
	struct gw_uapi *u = gw->uapi;
	unsigned int i;

	if (u == NULL)
		return;
	gw_telemetry_lock();
	for (i = 0; i < u->n_if; i++) {
		wg_uapi_server_destroy(u->ifs[i].srv);
		if (u->ifs[i].uapi != NULL)
			wg_uapi_free(u->ifs[i].uapi);
	}
	gw->uapi = NULL;
	gw_telemetry_unlock();
	free(u);
}
