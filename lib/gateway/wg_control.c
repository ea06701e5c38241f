/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The WireGuard control plane on the control lcore (see wg_control.h and
 * docs/architecture.md): devices and peers, the hooks the core calls
 * (outer packets, keypairs entering and leaving, peers retired, staged
 * mbufs released), and every poll of the control lcore:
 *
 *   - events from the data path (per-peer bits, event ring): roaming, key
 *     confirmation, counter deltas -> timers and rekeying in the core;
 *   - packets without a session (stage ring) -> wg_device_stage_packet();
 *   - handshake messages (bounded queue per interface, a bounded batch per
 *     poll) -> wg_device_receive() with Linux's "under load" judgement;
 *   - deferred frees (RCU grace period, then in-flight jobs drained);
 *
 * and every tick: the core's timers when their deadline is reached.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <sodium.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "crypto/primitives.h"
#include "gateway.h"
#include "ip.h"
#include "lcore.h"
#include "log.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "wg_control.h"
#include "wg_dp.h"
#include "wg_hook.h"
#include "wireguard/allowedips.h"
#include "wireguard/keypair.h"
#include "wireguard/peer.h"

#define GW_WG_EV_BUDGET		256
#define GW_WG_STAGE_BUDGET	64
#define GW_WG_OUTER_TTL		64

static struct gw_wg_peer_dp *
gw_wg_slot(struct gw_wg *wg, uint32_t id)
{
	if (wg == NULL || id >= wg->n_fresh)
		return NULL;
	return &wg->peers[id];
}

static struct gw_lcore *
gw_wg_control_lcore(struct gw_wg *wg)
{
	return wg->gw->lcores[wg->gw->control_lcore];
}

/* ---- outer packets of the control lcore -------------------------------- */

/* Egress port and our source address towards dst (underlay table). */
static int
gw_wg_src_for(struct gw_gateway *gw, uint8_t family, const uint8_t *dst,
	      uint8_t src[16], uint16_t *port)
{
	uint8_t d6[1][RTE_FIB6_IPV6_ADDR_SIZE];
	const struct gw_nexthop *nh;
	enum gw_nh_kind kind;
	rte_be32_t d4, s4;
	uint32_t h4;
	uint64_t res;

	memset(src, 0, 16);
	if (family == AF_INET) {
		memcpy(&d4, dst, 4);
		h4 = rte_be_to_cpu_32(d4);
		gw_route_lookup4_bulk(&gw->rt, GW_RT_UNDERLAY, &h4, &res, 1);
	} else if (family == AF_INET6) {
		memcpy(d6[0], dst, 16);
		gw_route_lookup6_bulk(&gw->rt, GW_RT_UNDERLAY, d6, &res, 1);
	} else {
		return -EAFNOSUPPORT;
	}
	kind = gw_route_kind(&gw->rt, res);
	if (kind != GW_NH_CONNECTED && kind != GW_NH_GATEWAY)
		return -ENETUNREACH;
	nh = gw_route_nh(&gw->rt, res);
	*port = nh->port;
	if (family == AF_INET) {
		if (!gw_port_src4(&gw->ports[nh->port], d4, &s4))
			return -EADDRNOTAVAIL;
		memcpy(src, &s4, 4);
		return 0;
	}
	return gw_port_src6(&gw->ports[nh->port], dst, src) ? 0 :
		-EADDRNOTAVAIL;
}

/* The data path's endpoint of dp made equal to ep (no change: nothing). */
static void
gw_wg_publish_ep(struct gw_wg *wg, struct gw_wg_peer_dp *dp,
		 const struct wg_endpoint *ep)
{
	struct gw_wg_ep e;
	uint16_t port;

	if (dp->ep.family == ep->family && dp->ep.port == ep->port &&
	    memcmp(dp->ep.addr, ep->addr, 16) == 0)
		return;
	memset(&e, 0, sizeof(e));
	if (ep->family == AF_INET || ep->family == AF_INET6) {
		e.family = ep->family;
		e.port = ep->port;
		memcpy(e.addr, ep->addr, 16);
		/* no route yet: the source stays 0 and routing drops */
		gw_wg_src_for(wg->gw, e.family, e.addr, e.src, &port);
	}
	gw_wg_ep_write(dp, &e);
}

/* Builds Ethernet room + IP + UDP around buf and sends it (underlay). */
int
gw_wg_xmit_udp(struct gw_lcore *lc, struct gw_wg_if *wif,
	       const struct wg_endpoint *dst, const uint8_t *buf, size_t len)
{
	struct gw_wg *wg = wif->wg;
	struct gw_gateway *gw = wg->gw;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip4;
	struct rte_ipv6_hdr *ip6;
	struct rte_udp_hdr *udp;
	struct rte_mbuf *m;
	uint8_t src[16];
	uint16_t port;
	uint32_t l3;
	uint8_t *p;
	int ret;

	ret = gw_wg_src_for(gw, dst->family, dst->addr, src, &port);
	if (ret != 0)
		return ret;
	l3 = dst->family == AF_INET ? sizeof(*ip4) : sizeof(*ip6);
	if (len > UINT16_MAX - l3 - sizeof(*udp))
		return -EMSGSIZE;
	m = gw_pkt_alloc(gw->ports[port].pool);
	if (m == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return -ENOBUFS;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(RTE_ETHER_HDR_LEN + l3 +
						       sizeof(*udp) + len));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return -EMSGSIZE;
	}
	eth = (struct rte_ether_hdr *)p;
	memset(eth, 0, sizeof(*eth));
	udp = (struct rte_udp_hdr *)(p + RTE_ETHER_HDR_LEN + l3);
	if (dst->family == AF_INET) {
		ip4 = (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
		memset(ip4, 0, sizeof(*ip4));
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		ip4->version_ihl = RTE_IPV4_VHL_DEF;
		ip4->total_length = rte_cpu_to_be_16((uint16_t)(l3 +
			sizeof(*udp) + len));
		ip4->packet_id = rte_cpu_to_be_16(
			wg->lc[lc->lcore_id]->ip_id++);
		ip4->time_to_live = GW_WG_OUTER_TTL;
		ip4->next_proto_id = IPPROTO_UDP;
		memcpy(&ip4->src_addr, src, 4);
		memcpy(&ip4->dst_addr, dst->addr, 4);
		gw_meta(m)->flags = GW_PKT_F_CKSUM_IP4 | GW_PKT_F_CKSUM_UDP;
	} else {
		ip6 = (struct rte_ipv6_hdr *)(p + RTE_ETHER_HDR_LEN);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) +
							       len));
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = GW_WG_OUTER_TTL;
		memcpy(ip6->src_addr, src, 16);
		memcpy(ip6->dst_addr, dst->addr, 16);
		gw_meta(m)->flags = GW_PKT_F_CKSUM_UDP;
	}
	udp->src_port = rte_cpu_to_be_16(wif->listen_port);
	udp->dst_port = rte_cpu_to_be_16(dst->port);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, buf, len);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = (uint16_t)l3;
	if (dst->family == AF_INET)
		gw_ipv4_send(lc, m, GW_RT_UNDERLAY);
	else
		gw_ipv6_send(lc, m, GW_RT_UNDERLAY);
	return 0;
}

/* ---- hooks of the core ------------------------------------------------ */

static int
gw_wg_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	       const uint8_t *buf, size_t len)
{
	struct gw_wg_if *wif = ctx;
	struct gw_wg_peer_dp *dp = peer != NULL ? peer->user : NULL;
	int ret;

	/* an endpoint learnt from a handshake goes out before any data */
	if (dp != NULL)
		gw_wg_publish_ep(wif->wg, dp, &peer->endpoint);
	ret = gw_wg_xmit_udp(gw_wg_control_lcore(wif->wg), wif, dst, buf,
			     len);
	if (ret == 0 && dp != NULL && len > WG_DATA_MIN_LEN &&
	    buf[0] == WG_MSG_DATA)
		dp->ctl.ctl_tx_data++;
	return ret;
}

/* Data messages never reach the core's receive path here. */
static void
gw_wg_deliver_inner(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(peer);
	RTE_SET_USED(pkt);
	RTE_SET_USED(len);
}

static void
gw_wg_defer(struct gw_wg *wg, enum gw_wg_defer_kind kind, void *ptr,
	    uint32_t id)
{
	struct gw_wg_defer *d = malloc(sizeof(*d));

	if (d == NULL) {
		/* cannot wait safely: keep it (a leak, not a use after free) */
		GW_LOG(ERR, "wireguard: out of memory deferring a free");
		return;
	}
	d->kind = kind;
	d->ptr = ptr;
	d->id = id;
	d->next = wg->pending;
	wg->pending = d;
}

static void
gw_wg_keypair_new(void *ctx, struct wg_keypair *kp)
{
	struct gw_wg_if *wif = ctx;
	uint32_t idx = wg_keypair_local_index(kp);
	struct gw_wg_peer_dp *dp = kp->peer->user;
	int ret;

	if (dp != NULL)
		gw_wg_publish_ep(wif->wg, dp, &kp->peer->endpoint);
	ret = rte_hash_add_key_data(wif->kp_hash, &idx, kp);
	if (ret != 0)
		GW_LOG(WARNING, "wireguard %s: session table: %s", wif->name,
		       rte_strerror(-ret));
}

static void
gw_wg_keypair_retire(void *ctx, struct wg_keypair *kp)
{
	struct gw_wg_if *wif = ctx;
	uint32_t idx = wg_keypair_local_index(kp);
	void *cur;

	if (rte_hash_lookup_data(wif->kp_hash, &idx, &cur) >= 0 && cur == kp)
		rte_hash_del_key(wif->kp_hash, &idx);
	gw_wg_defer(wif->wg, GW_WG_DEFER_KEYPAIR, kp, 0);
}

static void
gw_wg_peer_retire(void *ctx, struct wg_peer *peer)
{
	struct gw_wg_if *wif = ctx;

	gw_wg_defer(wif->wg, GW_WG_DEFER_PEER, peer, 0);
}

/*
 * A packet that waited for a session is plaintext that never left: wiped
 * before its buffer returns to the pool (a shared buffer is left alone:
 * another holder may still need it).
 */
static void
gw_wg_mbuf_wipe_free(struct rte_mbuf *m)
{
	struct rte_mbuf *s;

	for (s = m; s != NULL; s = s->next)
		if (RTE_MBUF_DIRECT(s) && rte_mbuf_refcnt_read(s) == 1)
			wg_memzero(rte_pktmbuf_mtod(s, void *), s->data_len);
	rte_pktmbuf_free(m);
}

static void
gw_wg_staged_free(void *ctx, void *opaque)
{
	struct gw_wg_if *wif = ctx;

	gw_wg_mbuf_wipe_free(opaque);
	wif->wg->staged_mbufs--;
}

/* ---- deferred frees --------------------------------------------------- */

static void
gw_wg_slot_reset(struct gw_wg_peer_dp *dp)
{
	dp->wif = NULL;
	memset(&dp->ep, 0, sizeof(dp->ep));
	dp->confirm_id = 0;
	memset(&dp->roam, 0, sizeof(dp->roam));
	dp->rx_data = 0;
	dp->rx_keepalive = 0;
	dp->rx_bytes = 0;
	dp->tx_data = 0;
	dp->tx_bytes = 0;
	free(dp->ctl.routes);
	memset(&dp->ctl, 0, sizeof(dp->ctl));
	__atomic_store_n(&dp->events, 0, __ATOMIC_RELEASE);
}

static void
gw_wg_defer_run(struct gw_wg *wg, struct gw_wg_defer *list)
{
	struct gw_wg_defer *d, *next;

	for (d = list; d != NULL; d = next) {
		next = d->next;
		switch (d->kind) {
		case GW_WG_DEFER_KEYPAIR:
			wg_keypair_free(d->ptr);
			break;
		case GW_WG_DEFER_PEER:
			wg_peer_free(d->ptr);
			break;
		case GW_WG_DEFER_ID:
			gw_wg_slot_reset(&wg->peers[d->id]);
			wg->free_ids[wg->n_free++] = d->id;
			break;
		}
		free(d);
	}
}

/*
 * One epoch at a time: what was retired since the last one waits for an
 * RCU grace period (no lcore can find it any more nor submit a job with
 * it), then until every lcore completed the jobs submitted before that.
 */
static void
gw_wg_defer_poll(struct gw_wg *wg)
{
	struct rte_rcu_qsbr *qsbr = wg->gw->qsbr;
	struct gw_wg_lcore *wl;
	unsigned int id;

	switch (wg->epoch_state) {
	case GW_WG_EPOCH_IDLE:
		if (wg->pending == NULL)
			return;
		wg->epoch = wg->pending;
		wg->pending = NULL;
		wg->epoch_token = rte_rcu_qsbr_start(qsbr);
		wg->epoch_state = GW_WG_EPOCH_RCU;
		return;
	case GW_WG_EPOCH_RCU:
		if (rte_rcu_qsbr_check(qsbr, wg->epoch_token, false) != 1)
			return;
		for (id = 0; id < RTE_MAX_LCORE; id++) {
			wl = wg->lc[id];
			if (wl != NULL)
				wg->epoch_snap[id] = __atomic_load_n(
					&wl->submitted, __ATOMIC_ACQUIRE);
		}
		wg->epoch_state = GW_WG_EPOCH_DRAIN;
		/* fall through */
	case GW_WG_EPOCH_DRAIN:
		for (id = 0; id < RTE_MAX_LCORE; id++) {
			wl = wg->lc[id];
			if (wl != NULL && (int32_t)(__atomic_load_n(
			    &wl->completed, __ATOMIC_ACQUIRE) -
			    wg->epoch_snap[id]) < 0)
				return;
		}
		gw_wg_defer_run(wg, wg->epoch);
		wg->epoch = NULL;
		wg->epoch_state = GW_WG_EPOCH_IDLE;
		return;
	}
}

/*
 * Out of peer ids while removed peers' ids wait for their epoch (peers
 * removed and added again faster than the epochs turn): finish the epochs
 * now, for at most a second. Called on the control lcore between requests,
 * where it holds no reference into the shared tables (as reload does with
 * rte_rcu_qsbr_synchronize()).
 */
static void
gw_wg_defer_flush(struct gw_wg *wg)
{
	uint64_t start = rte_get_timer_cycles();
	uint64_t end = start + rte_get_timer_hz();
	struct gw_wg_lcore *self = wg->lc[rte_lcore_id()];

	while (wg->n_free == 0 && (wg->epoch != NULL || wg->pending != NULL) &&
	       rte_get_timer_cycles() < end) {
		rte_rcu_qsbr_quiescent(wg->gw->qsbr, rte_lcore_id());
		/* a control lcore that also does I/O drains its own jobs */
		if (self != NULL && !self->completing)
			gw_wg_complete(self);
		gw_wg_defer_poll(wg);
		rte_pause();
	}
	if (wg->n_free > 0)
		GW_LOG(NOTICE, "wireguard: %u peer ids of removed peers reclaimed "
		       "early, in %" PRIu64 " us", wg->n_free,
		       (rte_get_timer_cycles() - start) * 1000000 /
		       rte_get_timer_hz());
	else
		GW_LOG(WARNING, "wireguard: out of peer ids (%u), none "
		       "reclaimed within 1 s", wg->cap);
}

/* ---- peers ------------------------------------------------------------ */

struct gw_wg_routes_walk {
	struct gw_prefix *list;
	unsigned int n;
	unsigned int cap;
};

static int
gw_wg_routes_collect(void *ctx, int family, const uint8_t *addr, uint8_t cidr)
{
	struct gw_wg_routes_walk *w = ctx;
	struct gw_prefix *l;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		l = realloc(w->list, w->cap * sizeof(*l));
		if (l == NULL)
			return -ENOMEM;
		w->list = l;
	}
	memset(&w->list[w->n], 0, sizeof(w->list[w->n]));
	w->list[w->n].family = (uint8_t)family;
	w->list[w->n].len = cidr;
	memcpy(w->list[w->n].addr, addr, family == AF_INET ? 4 : 16);
	w->n++;
	return 0;
}

static bool
gw_wg_prefix_in(const struct gw_prefix *p, const struct gw_prefix *l,
		unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (l[i].family == p->family && l[i].len == p->len &&
		    memcmp(l[i].addr, p->addr, 16) == 0)
			return true;
	return false;
}

int
gw_wg_peer_routes_sync(struct gw_gateway *gw, uint32_t id)
{
	struct gw_wg_peer_dp *dp = gw_wg_slot(gw->wgs, id);
	struct gw_wg_routes_walk w = { NULL, 0, 0 };
	struct wg_peer *peer;
	unsigned int i;
	int ret;

	if (dp == NULL || (peer = dp->peer) == NULL)
		return -ENOENT;
	ret = wg_allowedips_walk_by_peer(dp->wif->dev->allowedips, peer,
					 gw_wg_routes_collect, &w);
	if (ret != 0)
		goto out;
	if (w.n < w.cap) {
		/* kept for the peer's life: no slack (100,000s of peers) */
		struct gw_prefix *l = realloc(w.list,
			RTE_MAX(w.n, 1u) * sizeof(*l));

		if (l != NULL) {
			w.list = l;
			w.cap = RTE_MAX(w.n, 1u);
		}
	}
	/* the new routes first: no window where a prefix falls through */
	for (i = 0; i < w.n; i++) {
		ret = gw_route_add_peer(&gw->rt, &w.list[i], id);
		if (ret != 0)
			goto out;
	}
	for (i = 0; i < dp->ctl.n_routes; i++)
		if (!gw_wg_prefix_in(&dp->ctl.routes[i], w.list, w.n))
			gw_route_del_peer(&gw->rt, &dp->ctl.routes[i], id);
	free(dp->ctl.routes);
	dp->ctl.routes = w.list;
	dp->ctl.n_routes = w.n;
	return 0;
out:
	/* keep what is installed listed, so that removal finds it */
	for (i = 0; i < w.n; i++)
		if (!gw_wg_prefix_in(&w.list[i], dp->ctl.routes,
				     dp->ctl.n_routes))
			gw_route_del_peer(&gw->rt, &w.list[i], id);
	free(w.list);
	return ret;
}

int
gw_wg_peer_endpoint_sync(struct gw_gateway *gw, uint32_t id)
{
	struct gw_wg_peer_dp *dp = gw_wg_slot(gw->wgs, id);

	if (dp == NULL || dp->peer == NULL)
		return -ENOENT;
	gw_wg_publish_ep(gw->wgs, dp, &dp->peer->endpoint);
	return 0;
}

int
gw_wg_peer_attach(struct gw_gateway *gw, unsigned int iface,
		  struct wg_peer *peer, uint32_t *id)
{
	struct gw_wg *wg = gw->wgs;
	struct gw_wg_peer_dp *dp;
	uint32_t n;
	int ret;

	if (wg == NULL || iface >= wg->n_if || peer->user != NULL)
		return -EINVAL;
	if (wg->n_free == 0 && wg->n_fresh >= wg->cap)
		gw_wg_defer_flush(wg);
	if (wg->n_free > 0)
		n = wg->free_ids[--wg->n_free];
	else if (wg->n_fresh < wg->cap)
		n = wg->n_fresh++;
	else
		return -ENOSPC;
	dp = &wg->peers[n];
	gw_wg_slot_reset(dp);
	dp->id = n;
	/* readers see it through the release store of dp->peer below */
	__atomic_store_n(&dp->gen, dp->gen + 1, __ATOMIC_RELAXED);
	dp->wif = &wg->ifs[iface];
	peer->user = dp;
	gw_wg_publish_ep(wg, dp, &peer->endpoint);
	__atomic_store_n(&dp->peer, peer, __ATOMIC_RELEASE);
	ret = gw_wg_peer_routes_sync(gw, n);
	if (ret != 0) {
		gw_wg_peer_detach(gw, n);
		return ret;
	}
	if (id != NULL)
		*id = n;
	return 0;
}

int
gw_wg_peer_detach(struct gw_gateway *gw, uint32_t id)
{
	struct gw_wg *wg = gw->wgs;
	struct gw_wg_peer_dp *dp = gw_wg_slot(wg, id);
	unsigned int i;

	if (dp == NULL || dp->peer == NULL)
		return -ENOENT;
	for (i = 0; i < dp->ctl.n_routes; i++)
		gw_route_del_peer(&gw->rt, &dp->ctl.routes[i], id);
	dp->ctl.n_routes = 0;
	/* the data path stops finding it; its events are ignored */
	__atomic_store_n(&dp->events, GW_WG_EV_DEAD, __ATOMIC_RELEASE);
	__atomic_store_n(&dp->peer, NULL, __ATOMIC_RELEASE);
	gw_wg_defer(wg, GW_WG_DEFER_ID, NULL, id);
	return 0;
}

int
gw_wg_peer_add(struct gw_gateway *gw, unsigned int iface,
	       const struct wg_peer_config *cfg, uint32_t *id)
{
	struct gw_wg *wg = gw->wgs;
	struct wg_peer *peer;
	int ret;

	if (wg == NULL || iface >= wg->n_if)
		return -EINVAL;
	ret = wg_device_add_peer(wg->ifs[iface].dev, cfg, gw_wg_now(wg),
				 &peer);
	if (ret != 0)
		return ret;
	ret = gw_wg_peer_attach(gw, iface, peer, id);
	if (ret != 0)
		wg_device_remove_peer(wg->ifs[iface].dev, peer);
	return ret;
}

int
gw_wg_peer_remove(struct gw_gateway *gw, uint32_t id)
{
	struct gw_wg_peer_dp *dp = gw_wg_slot(gw->wgs, id);
	struct wg_device *dev;
	struct wg_peer *peer;

	if (dp == NULL || (peer = dp->peer) == NULL)
		return -ENOENT;
	dev = dp->wif->dev;
	gw_wg_peer_detach(gw, id);
	wg_device_remove_peer(dev, peer);
	return 0;
}

struct wg_device *
gw_wg_device(struct gw_gateway *gw, unsigned int iface)
{
	if (gw->wgs == NULL || iface >= gw->wgs->n_if)
		return NULL;
	return gw->wgs->ifs[iface].dev;
}

/* ---- the control lcore's polls --------------------------------------- */

static void
gw_wg_apply_events(struct gw_wg *wg, struct gw_wg_peer_dp *dp, uint64_t now)
{
	struct wg_peer *peer = dp->peer;
	struct wg_device *dev;
	struct wg_endpoint ep;
	uint64_t d, k, b;
	uint32_t ev;

	if (peer == NULL)
		return;		/* removed: stale entry */
	ev = __atomic_exchange_n(&dp->events, 0, __ATOMIC_ACQUIRE);
	if (ev == 0)
		return;
	dev = dp->wif->dev;
	if (ev & GW_WG_EV_ROAM) {
		rte_spinlock_lock(&dp->roam_lock);
		ep = dp->roam;
		rte_spinlock_unlock(&dp->roam_lock);
		wg_device_peer_set_endpoint(dev, peer, &ep);
		gw_wg_publish_ep(wg, dp, &peer->endpoint);
	}
	if (ev & GW_WG_EV_CONFIRM)
		wg_device_rx_confirm_keypair(dev, peer,
			__atomic_load_n(&dp->confirm_id, __ATOMIC_RELAXED), now);
	if (ev & GW_WG_EV_RX) {
		d = __atomic_load_n(&dp->rx_data, __ATOMIC_RELAXED);
		k = __atomic_load_n(&dp->rx_keepalive, __ATOMIC_RELAXED);
		b = __atomic_load_n(&dp->rx_bytes, __ATOMIC_RELAXED);
		wg_device_rx_data_done(dev, peer,
			(unsigned int)(d - dp->ctl.seen_rx_data),
			(unsigned int)(k - dp->ctl.seen_rx_keepalive),
			b - dp->ctl.seen_rx_bytes, now);
		dp->ctl.seen_rx_data = (uint32_t)d;
		dp->ctl.seen_rx_keepalive = (uint32_t)k;
		dp->ctl.seen_rx_bytes = b;
	}
	if (ev & GW_WG_EV_TX) {
		d = __atomic_load_n(&dp->tx_data, __ATOMIC_RELAXED);
		b = __atomic_load_n(&dp->tx_bytes, __ATOMIC_RELAXED);
		wg_device_tx_data_done(dev, peer,
			(unsigned int)(d - dp->ctl.seen_tx_data), 0,
			b - dp->ctl.seen_tx_bytes, now);
		dp->ctl.seen_tx_data = (uint32_t)d;
		dp->ctl.seen_tx_bytes = b;
	}
}

static unsigned int
gw_wg_poll_events(struct gw_wg *wg, uint64_t now)
{
	void *ids[GW_WG_EV_BUDGET];
	unsigned int n, i;
	uintptr_t id;

	n = rte_ring_sc_dequeue_burst(wg->ev_ring, ids, GW_WG_EV_BUDGET, NULL);
	for (i = 0; i < n; i++) {
		id = (uintptr_t)ids[i];
		if (id < wg->n_fresh)
			gw_wg_apply_events(wg, &wg->peers[id], now);
	}
	return n;
}

/* The event ring overflowed (it cannot, by its size): look at every peer. */
static void
gw_wg_scan_events(struct gw_wg *wg, uint64_t now)
{
	uint32_t id;

	if (!__atomic_exchange_n(&wg->ev_overflow, 0, __ATOMIC_ACQUIRE))
		return;
	for (id = 0; id < wg->n_fresh; id++)
		if (__atomic_load_n(&wg->peers[id].events, __ATOMIC_RELAXED))
			gw_wg_apply_events(wg, &wg->peers[id], now);
}

static unsigned int
gw_wg_poll_stage(struct gw_wg *wg, uint64_t now)
{
	struct rte_mbuf *ms[GW_WG_STAGE_BUDGET];
	struct gw_wg_peer_dp *dp;
	struct wg_peer *peer;
	struct rte_mbuf *m;
	unsigned int n, i;
	uint32_t len;
	uint8_t *inner;

	n = rte_ring_sc_dequeue_burst(wg->stage_ring, (void **)ms,
				      GW_WG_STAGE_BUDGET, NULL);
	for (i = 0; i < n; i++) {
		m = ms[i];
		dp = gw_wg_slot(wg, gw_route_peer(gw_meta(m)->route));
		peer = dp != NULL ? dp->peer : NULL;
		if (peer == NULL || gw_meta(m)->peer_gen != dp->gen) {
			gw_drop(gw_wg_control_lcore(wg), m, GW_DROP_WG_NO_PEER);
			continue;
		}
		inner = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len);
		len = rte_pktmbuf_pkt_len(m) - m->l2_len;
		if (wg->staged_mbufs < GW_WG_STAGED_MBUFS) {
			/* the core holds the mbuf until staged_free */
			wg->staged_mbufs++;
			wg_device_stage_packet(dp->wif->dev, peer, m, inner, len,
					       now);
		} else {
			/* too many mbufs held back: the core copies it */
			wg_device_send_to_peer(dp->wif->dev, peer, inner, len,
					       now);
			gw_wg_mbuf_wipe_free(m);
		}
	}
	return n;
}

static unsigned int
gw_wg_poll_handshakes(struct gw_wg *wg, struct gw_wg_if *wif, uint64_t now,
		      unsigned int budget)
{
	struct gw_wg_hs_msg *msgs[GW_WG_HS_BUDGET];
	unsigned int n, i, left;
	bool under_load;

	n = rte_ring_sc_dequeue_burst(wif->hs_ring, (void **)msgs,
				      RTE_MIN(budget, (unsigned int)GW_WG_HS_BUDGET), &left);
	for (i = 0; i < n; i++) {
		under_load = gw_wg_hs_under_load(wif, left + (n - i), now);
		wg_device_receive(wif->dev, msgs[i]->buf, msgs[i]->len,
				  &msgs[i]->src, now, under_load);
		rte_ring_enqueue(wif->hs_free, msgs[i]);
	}
	RTE_SET_USED(wg);
	return n;
}

unsigned int
gw_wg_control_poll(struct gw_lcore *lc)
{
	struct gw_wg *wg = lc->gw->wgs;
	unsigned int work = 0, i, budget;
	uint64_t now;

	if (wg == NULL)
		return 0;
	now = gw_wg_now(wg);
	budget = (lc->roles & GW_ROLE_IO) ? GW_WG_HS_BUDGET_SHARED :
		GW_WG_HS_BUDGET;
	/* confirmations first: staged packets then leave on the new key */
	work += gw_wg_poll_events(wg, now);
	work += gw_wg_poll_stage(wg, now);
	for (i = 0; i < wg->n_if; i++)
		work += gw_wg_poll_handshakes(wg, &wg->ifs[i], now, budget);
	gw_wg_defer_poll(wg);
	return work;
}

void
gw_wg_control(struct gw_lcore *lc, uint64_t now_tsc)
{
	struct gw_wg *wg = lc->gw->wgs;
	uint64_t now;
	unsigned int i;

	RTE_SET_USED(now_tsc);
	if (wg == NULL)
		return;
	now = gw_wg_now(wg);
	gw_wg_scan_events(wg, now);
	for (i = 0; i < wg->n_if; i++) {
		if (now >= wg_device_next_deadline(wg->ifs[i].dev))
			wg_device_timers(wg->ifs[i].dev, now);
		/* the secret may have rotated, the private key changed */
		gw_wg_hs_publish(&wg->ifs[i]);
		gw_wg_hs_under_load(&wg->ifs[i],
				    rte_ring_count(wg->ifs[i].hs_ring), now);
	}
}

/* ---- set-up and tear-down --------------------------------------------- */

int
gw_wg_create(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	struct gw_wg *wg;
	int socket = gw->ports[0].socket;
	uint64_t cap;
	int ret;

	if (gw->n_wg == 0)
		return 0;
	if (wg_crypto_init() != 0) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: libsodium: cannot initialise");
		return -1;
	}
	wg = rte_zmalloc_socket("gw_wg", sizeof(*wg), RTE_CACHE_LINE_SIZE,
				socket);
	if (wg == NULL)
		goto nomem;
	gw->wgs = wg;
	wg->gw = gw;
	wg->ns_mult = (WG_NSEC_PER_SEC << 32) / gw->tsc_hz;
	/*
	 * The configured peers and room for as many more added at run time;
	 * a wg setconf that replaces every peer reuses the removed peers'
	 * ids once their epoch ends (gw_wg_defer_flush()).
	 */
	cap = (uint64_t)gw->n_peers + GW_WG_MIN_PEERS;
	if (cap > GW_RT_PEER_MASK) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: too many peers (%u)",
			 gw->n_peers);
		return -1;
	}
	wg->cap = (uint32_t)cap;
	wg->peers = rte_zmalloc_socket("gw_wg_peers",
		wg->cap * sizeof(*wg->peers), RTE_CACHE_LINE_SIZE, socket);
	wg->free_ids = rte_malloc_socket("gw_wg_free_ids",
		wg->cap * sizeof(*wg->free_ids), 0, socket);
	/* an id is queued at most once, plus stale ones of removed peers */
	wg->ev_ring = rte_ring_create("gw_wg_events", 2 * wg->cap, socket,
				      RING_F_SC_DEQ | RING_F_EXACT_SZ);
	wg->stage_ring = rte_ring_create("gw_wg_stage", GW_WG_STAGE_RING,
					 socket,
					 RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (wg->peers == NULL || wg->free_ids == NULL || wg->ev_ring == NULL ||
	    wg->stage_ring == NULL)
		goto nomem;
	ret = gw_wg_lcores_create(wg);
	if (ret == -ENOTSUP) {
		snprintf(err, GW_ERR_MAX,
			 "dpdk-wg: no ChaCha20-Poly1305 engine for the data path");
		return -1;
	}
	if (ret != 0)
		goto nomem;
	return 0;
nomem:
	snprintf(err, GW_ERR_MAX,
		 "dpdk-wg: WireGuard: out of memory (hugepages? EAL -m?)");
	return -1;
}

static int
gw_wg_if_tables(struct gw_wg *wg, struct gw_wg_if *wif, int socket)
{
	struct rte_hash_parameters hp;
	struct rte_hash_rcu_config rc;
	char name[RTE_RING_NAMESIZE];
	unsigned int i;

	memset(&hp, 0, sizeof(hp));
	snprintf(name, sizeof(name), "gw_wg_kp_%u", wif->index);
	hp.name = name;
	/* previous, current and next of every peer, and some slack */
	hp.entries = RTE_MAX(1024u, 4 * wg->cap);
	hp.key_len = sizeof(uint32_t);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = socket;
	/* lock-free readers; one writer (the control lcore) */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF;
	wif->kp_hash = rte_hash_create(&hp);
	if (wif->kp_hash == NULL)
		return -1;
	memset(&rc, 0, sizeof(rc));
	rc.v = wg->gw->qsbr;
	rc.mode = RTE_HASH_QSBR_MODE_DQ;
	if (rte_hash_rcu_qsbr_add(wif->kp_hash, &rc) != 0)
		return -1;

	snprintf(name, sizeof(name), "gw_wg_hs_%u", wif->index);
	wif->hs_ring = rte_ring_create(name, GW_WG_HS_QUEUE, socket,
				       RING_F_SC_DEQ | RING_F_EXACT_SZ);
	snprintf(name, sizeof(name), "gw_wg_hsf_%u", wif->index);
	wif->hs_free = rte_ring_create(name, GW_WG_HS_QUEUE, socket,
				       RING_F_EXACT_SZ);
	wif->hs_msgs = rte_zmalloc_socket("gw_wg_hs_msgs",
		GW_WG_HS_QUEUE * sizeof(*wif->hs_msgs), RTE_CACHE_LINE_SIZE,
		socket);
	if (wif->hs_ring == NULL || wif->hs_free == NULL ||
	    wif->hs_msgs == NULL)
		return -1;
	for (i = 0; i < GW_WG_HS_QUEUE; i++)
		rte_ring_enqueue(wif->hs_free, &wif->hs_msgs[i]);
	return 0;
}

int
gw_wg_setup_iface(struct gw_gateway *gw, unsigned int i, char err[GW_ERR_MAX])
{
	struct gw_wg *wg = gw->wgs;
	const struct gw_wg_cfg *cfg = gw->wg[i].cfg;
	struct wg_allowed_ip *aips = NULL;
	struct wg_peer_config pc;
	struct wg_device_ops ops;
	struct gw_wg_if *wif;
	unsigned int j, k, max_aips = 0;
	uint64_t now;
	uint32_t id;
	int ret;

	if (wg == NULL || i >= GW_MAX_WG)
		return gw_config_error(gw->cfg, &cfg->mark, err,
				       "wireguard %s: not set up", cfg->name);
	wif = &wg->ifs[i];
	wif->wg = wg;
	wif->index = i;
	snprintf(wif->name, sizeof(wif->name), "%s", cfg->name);
	wif->listen_port = gw->wg[i].listen_port;
	wif->mtu = gw->wg[i].mtu;
	wg->n_if = i + 1;	/* freed on failure too */

	memset(&ops, 0, sizeof(ops));
	ops.send_udp = gw_wg_send_udp;
	ops.deliver_inner = gw_wg_deliver_inner;
	ops.keypair_new = gw_wg_keypair_new;
	ops.keypair_retire = gw_wg_keypair_retire;
	ops.peer_retire = gw_wg_peer_retire;
	ops.staged_free = gw_wg_staged_free;
	now = gw_wg_now(wg);
	wif->dev = wg_device_create(&ops, wif, now);
	if (wif->dev == NULL || gw_wg_if_tables(wg, wif, gw->ports[0].socket))
		return gw_config_error(gw->cfg, &cfg->mark, err,
			"wireguard %s: out of memory (hugepages? EAL -m?)",
			cfg->name);
	wg_device_set_private_key(wif->dev, cfg->private_key, now);
	wif->has_key = wg_device_get_public_key(wif->dev, wif->public_key);
	gw_wg_hs_publish(wif);
	wg_device_set_mtu(wif->dev, wif->mtu);

	for (j = 0; j < cfg->n_peers; j++)
		max_aips = RTE_MAX(max_aips, cfg->peers[j].n_allowed_ips);
	if (max_aips != 0) {
		aips = calloc(max_aips, sizeof(*aips));
		if (aips == NULL)
			return gw_config_error(gw->cfg, &cfg->mark, err,
				"wireguard %s: out of memory", cfg->name);
	}
	for (j = 0; j < cfg->n_peers; j++) {
		const struct gw_peer_cfg *p = &cfg->peers[j];

		memset(&pc, 0, sizeof(pc));
		memcpy(pc.public_key, p->public_key, WG_PUBLIC_KEY_LEN);
		pc.has_preshared_key = p->has_preshared_key;
		if (p->has_preshared_key)
			memcpy(pc.preshared_key, p->preshared_key,
			       WG_SYMMETRIC_KEY_LEN);
		if (p->endpoint.family != 0) {
			pc.endpoint.family = p->endpoint.family;
			pc.endpoint.port = p->endpoint.port;
			memcpy(pc.endpoint.addr, p->endpoint.addr, 16);
		}
		/* keepalives start with the lcores (gw_wg_start) */
		pc.persistent_keepalive = 0;
		for (k = 0; k < p->n_allowed_ips; k++) {
			memset(&aips[k], 0, sizeof(aips[k]));
			aips[k].family = p->allowed_ips[k].family;
			aips[k].cidr = p->allowed_ips[k].len;
			memcpy(aips[k].addr, p->allowed_ips[k].addr, 16);
		}
		pc.allowed_ips = aips;
		pc.n_allowed_ips = p->n_allowed_ips;
		ret = gw_wg_peer_add(gw, i, &pc, &id);
		wg_memzero(&pc, sizeof(pc));
		if (ret != 0) {
			free(aips);
			return gw_config_error(gw->cfg, &p->mark, err,
				"wireguard %s: peer: %s", cfg->name,
				ret == -EEXIST ? "public key listed twice" :
				ret == -EINVAL ? "it is this interface's own public key" :
				ret == -ENOSPC ? "routing table full" :
				"out of memory");
		}
	}
	free(aips);
	return 0;
}

void
gw_wg_start(struct gw_gateway *gw)
{
	struct gw_wg *wg = gw->wgs;
	const struct gw_wg_cfg *cfg;
	const struct gw_peer_cfg *p;
	struct wg_device *dev;
	struct wg_peer *peer;
	unsigned int i, j;
	uint64_t now;

	if (wg == NULL)
		return;
	now = gw_wg_now(wg);
	/* the configured keepalives, held back by gw_wg_setup_iface() */
	for (i = 0; i < wg->n_if; i++) {
		cfg = gw->wg[i].cfg;
		dev = wg->ifs[i].dev;
		for (j = 0; j < cfg->n_peers; j++) {
			p = &cfg->peers[j];
			if (p->persistent_keepalive == 0)
				continue;
			peer = wg_device_lookup_peer(dev, p->public_key);
			if (peer != NULL)
				wg_device_peer_set_persistent_keepalive(dev,
					peer, p->persistent_keepalive, now);
		}
	}
	wg->started = true;
}

void
gw_wg_stop(struct gw_gateway *gw)
{
	struct gw_wg *wg = gw->wgs;
	uint64_t now;

	if (wg == NULL)
		return;
	now = gw_wg_now(wg);
	while (gw_wg_poll_events(wg, now) != 0)
		;
	__atomic_store_n(&wg->ev_overflow, 1, __ATOMIC_RELAXED);
	gw_wg_scan_events(wg, now);
}

void
gw_wg_free(struct gw_gateway *gw)
{
	struct gw_wg *wg = gw->wgs;
	struct gw_wg_if *wif;
	struct rte_mbuf *m;
	unsigned int i;
	uint32_t id;

	if (wg == NULL)
		return;
	/* the lcores stopped: no job completes any more, no reader runs */
	gw_wg_lcores_free(wg);
	for (i = 0; i < wg->n_if; i++) {
		wif = &wg->ifs[i];
		/* retire hooks: keypairs and peers deferred, staged mbufs freed */
		wg_device_free(wif->dev);
		wif->dev = NULL;
		wg_memzero(&wif->ck_pub, sizeof(wif->ck_pub));
		rte_hash_free(wif->kp_hash);
		rte_ring_free(wif->hs_ring);
		rte_ring_free(wif->hs_free);
		if (wif->hs_msgs != NULL)
			wg_memzero(wif->hs_msgs,
				   GW_WG_HS_QUEUE * sizeof(*wif->hs_msgs));
		rte_free(wif->hs_msgs);
	}
	gw_wg_defer_run(wg, wg->epoch);
	gw_wg_defer_run(wg, wg->pending);
	wg->epoch = NULL;
	wg->pending = NULL;
	if (wg->stage_ring != NULL)
		while (rte_ring_dequeue(wg->stage_ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	rte_ring_free(wg->stage_ring);
	rte_ring_free(wg->ev_ring);
	if (wg->peers != NULL)
		for (id = 0; id < wg->n_fresh; id++)
			free(wg->peers[id].ctl.routes);
	rte_free(wg->peers);
	rte_free(wg->free_ids);
	rte_free(wg);
	gw->wgs = NULL;
}

/* ---- statistics ------------------------------------------------------- */

static const char *
gw_wg_fmt_ep(const struct wg_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ep->family != AF_INET && ep->family != AF_INET6) {
		snprintf(buf, len, "(none)");
		return buf;
	}
	if (inet_ntop(ep->family, ep->addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ep->port);
	else
		snprintf(buf, len, "%s:%u", a, ep->port);
	return buf;
}

void
gw_wg_print(const struct gw_gateway *gw, FILE *f)
{
	const struct gw_wg *wg = gw->wgs;
	const struct wg_device_stats *st;
	const struct gw_wg_peer_dp *dp;
	const struct gw_wg_if *wif;
	char key[sodium_base64_ENCODED_LEN(32,
		sodium_base64_VARIANT_ORIGINAL)];
	char ep[64];
	unsigned int i, r;
	uint32_t id;

	if (wg == NULL)
		return;
	for (i = 0; i < wg->n_if; i++) {
		wif = &wg->ifs[i];
		if (wif->dev == NULL)
			continue;
		st = wg_device_stats(wif->dev);
		fprintf(f, "wireguard %s: peers %zu sessions %" PRIu64
			" rx_initiations %" PRIu64 " rx_responses %" PRIu64
			" rx_cookies %" PRIu64 " tx_initiations %" PRIu64
			" tx_responses %" PRIu64 " tx_cookies %" PRIu64
			" rx_data %" PRIu64 " rx_keepalives %" PRIu64
			" tx_data %" PRIu64 " tx_keepalives %" PRIu64 "\n",
			wif->name, wg_device_peer_count(wif->dev),
			st->sessions, st->rx_initiations, st->rx_responses,
			st->rx_cookies, st->tx_initiations, st->tx_responses,
			st->tx_cookies, st->rx_data, st->rx_keepalives,
			st->tx_data, st->tx_keepalives);
		for (r = 1; r < WG_DROP_REASON_MAX; r++)
			if (st->drops[r] != 0)
				fprintf(f, "wireguard %s: drop %s %" PRIu64 "\n",
					wif->name, wg_drop_reason_str(r),
					st->drops[r]);
		/*
		 * Packets: data messages (keepalives apart) through the data
		 * path and the core. Bytes: UDP payload of every message to
		 * and from the peer, handshakes included (wg(8) "transfer"):
		 * the core's count plus what the data path has not reported
		 * to it yet.
		 */
		for (id = 0; id < wg->n_fresh; id++) {
			const struct wg_peer *peer;

			dp = &wg->peers[id];
			peer = dp->peer;
			if (peer == NULL || dp->wif != wif)
				continue;
			sodium_bin2base64(key, sizeof(key),
					  wg_peer_public_key(peer), 32,
					  sodium_base64_VARIANT_ORIGINAL);
			fprintf(f, "peer %s %s: id %u endpoint %s"
				" rx_packets %" PRIu64 " rx_keepalives %" PRIu64
				" rx_bytes %" PRIu64 " tx_packets %" PRIu64
				" tx_bytes %" PRIu64 " latest_handshake %" PRIu64
				"\n", wif->name, key, id,
				gw_wg_fmt_ep(&peer->endpoint, ep, sizeof(ep)),
				__atomic_load_n(&dp->rx_data, __ATOMIC_RELAXED),
				__atomic_load_n(&dp->rx_keepalive,
						__ATOMIC_RELAXED),
				atomic_load_explicit(&peer->rx_bytes,
						     memory_order_relaxed) +
				__atomic_load_n(&dp->rx_bytes,
						__ATOMIC_RELAXED) -
				dp->ctl.seen_rx_bytes,
				__atomic_load_n(&dp->tx_data, __ATOMIC_RELAXED) +
				dp->ctl.ctl_tx_data,
				atomic_load_explicit(&peer->tx_bytes,
						     memory_order_relaxed) +
				__atomic_load_n(&dp->tx_bytes,
						__ATOMIC_RELAXED) -
				dp->ctl.seen_tx_bytes,
				(uint64_t)(peer->last_handshake_real_ns /
					   WG_NSEC_PER_SEC));
		}
	}
}
