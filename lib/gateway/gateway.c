/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <sodium.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "cli.h"
#include "gateway.h"
#include "lcore.h"
#include "log.h"
#include "metrics.h"
#include "neigh.h"
#include "port.h"
#include "reload.h"
#include "route.h"
#include "telemetry.h"
#include "wg_control.h"
#include "wg_uapi_glue.h"

#define GW_WG_DEFAULT_MTU	1420

static const char *
gw_fmt_prefix(const struct gw_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(p->family, p->addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

static const char *
gw_fmt_addr(const struct gw_sockaddr *s, char *buf, size_t len)
{
	if (inet_ntop(s->family, s->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* Port whose connected subnet holds addr, or -1. */
static int
gw_gateway_port_for(const struct gw_gateway *gw, int family,
		    const uint8_t *addr)
{
	const struct gw_port *p;
	unsigned int i;
	rte_be32_t a4;
	uint16_t n;

	for (n = 0; n < gw->n_ports; n++) {
		p = &gw->ports[n];
		if (family == AF_INET) {
			memcpy(&a4, addr, 4);
			for (i = 0; i < p->n_addr4; i++)
				if (gw_ip4_in_prefix(a4, p->addr4[i].addr,
						     p->addr4[i].len))
					return n;
		} else {
			for (i = 0; i < p->n_addr6; i++)
				if (gw_ip6_in_prefix(addr, p->addr6[i].addr,
						     p->addr6[i].len))
					return n;
		}
	}
	return -1;
}

static bool
gw_gateway_is_local(const struct gw_gateway *gw, int family,
		    const uint8_t *addr)
{
	rte_be32_t a4;
	uint16_t n;

	for (n = 0; n < gw->n_ports; n++) {
		if (family == AF_INET) {
			memcpy(&a4, addr, 4);
			if (gw_port_has_addr4(&gw->ports[n], a4))
				return true;
		} else if (gw_port_has_addr6(&gw->ports[n], addr)) {
			return true;
		}
	}
	return false;
}

static struct gw_prefix
gw_host_prefix(const struct gw_prefix *p)
{
	struct gw_prefix h = *p;

	h.len = p->family == AF_INET ? 32 : 128;
	return h;
}

/*
 * Connected subnets, static routes, WireGuard subnets and allowed IPs,
 * then our own addresses (last: at equal prefix the last one wins).
 */
static int
gw_gateway_routes(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	const struct gw_config *cfg = gw->cfg;
	const unsigned int both = GW_RT_FWD | GW_RT_UNDERLAY;
	char b1[64], b2[64];
	struct gw_nexthop nh;
	struct gw_prefix host;
	unsigned int i, j;
	int port, ret;

	for (i = 0; i < cfg->n_ports; i++) {
		for (j = 0; j < cfg->ports[i].n_addrs; j++) {
			memset(&nh, 0, sizeof(nh));
			nh.kind = GW_NH_CONNECTED;
			nh.port = (uint16_t)i;
			ret = gw_route_add(&gw->rt, &cfg->ports[i].addrs[j],
					   &nh, both);
			if (ret != 0)
				return gw_config_error(cfg, &cfg->ports[i].mark,
					err, "port %s: route %s: %s",
					cfg->ports[i].name,
					gw_fmt_prefix(&cfg->ports[i].addrs[j],
						      b1, sizeof(b1)),
					rte_strerror(-ret));
		}
	}

	for (i = 0; i < cfg->n_routes; i++) {
		const struct gw_route_cfg *r = &cfg->routes[i];

		if (r->via.family != r->prefix.family)
			return gw_config_error(cfg, &r->mark, err,
				"route %s: next hop %s is of another family",
				gw_fmt_prefix(&r->prefix, b1, sizeof(b1)),
				gw_fmt_addr(&r->via, b2, sizeof(b2)));
		port = gw_gateway_port_for(gw, r->via.family, r->via.addr);
		if (port < 0 || gw_gateway_is_local(gw, r->via.family,
						    r->via.addr))
			return gw_config_error(cfg, &r->mark, err,
				"route %s: next hop %s is not a neighbour on a port's subnet",
				gw_fmt_prefix(&r->prefix, b1, sizeof(b1)),
				gw_fmt_addr(&r->via, b2, sizeof(b2)));
		memset(&nh, 0, sizeof(nh));
		nh.kind = GW_NH_GATEWAY;
		nh.family = r->via.family;
		nh.port = (uint16_t)port;
		memcpy(nh.addr, r->via.addr, 16);
		ret = gw_route_add(&gw->rt, &r->prefix, &nh, both);
		if (ret != 0)
			return gw_config_error(cfg, &r->mark, err,
				"route %s: %s",
				gw_fmt_prefix(&r->prefix, b1, sizeof(b1)),
				rte_strerror(-ret));
	}

	for (i = 0; i < cfg->n_wg; i++) {
		const struct gw_wg_cfg *w = &cfg->wg[i];

		/* the tunnel subnet belongs to WireGuard even without a peer */
		for (j = 0; j < w->n_addrs; j++) {
			memset(&nh, 0, sizeof(nh));
			nh.kind = GW_NH_PEER;
			nh.wg = (uint16_t)i;
			ret = gw_route_add(&gw->rt, &w->addrs[j], &nh, GW_RT_FWD);
			if (ret != 0)
				return gw_config_error(cfg, &w->mark, err,
					"wireguard %s: route %s: %s", w->name,
					gw_fmt_prefix(&w->addrs[j], b1,
						      sizeof(b1)),
					rte_strerror(-ret));
		}
		/* the device, its peers (ids in order) and their allowed IPs */
		if (gw_wg_setup_iface(gw, i, err) != 0)
			return -1;
	}

	memset(&nh, 0, sizeof(nh));
	nh.kind = GW_NH_LOCAL;
	for (i = 0; i < cfg->n_ports; i++) {
		for (j = 0; j < cfg->ports[i].n_addrs; j++) {
			host = gw_host_prefix(&cfg->ports[i].addrs[j]);
			ret = gw_route_add(&gw->rt, &host, &nh, both);
			if (ret != 0)
				return gw_config_error(cfg, &cfg->ports[i].mark,
					err, "local route %s: %s",
					gw_fmt_prefix(&host, b1, sizeof(b1)),
					rte_strerror(-ret));
		}
	}
	for (i = 0; i < cfg->n_wg; i++) {
		for (j = 0; j < cfg->wg[i].n_addrs; j++) {
			host = gw_host_prefix(&cfg->wg[i].addrs[j]);
			ret = gw_route_add(&gw->rt, &host, &nh, both);
			if (ret != 0)
				return gw_config_error(cfg, &cfg->wg[i].mark,
					err, "local route %s: %s",
					gw_fmt_prefix(&host, b1, sizeof(b1)),
					rte_strerror(-ret));
		}
	}
	return 0;
}

static int
gw_gateway_neighbors(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	const struct gw_config *cfg = gw->cfg;
	struct rte_ether_addr mac;
	char b[64];
	unsigned int i;
	uint16_t p;

	for (i = 0; i < cfg->n_neighbors; i++) {
		const struct gw_neighbor_cfg *n = &cfg->neighbors[i];

		for (p = 0; p < gw->n_ports; p++)
			if (strcmp(gw->ports[p].name, n->port) == 0)
				break;
		if (p == gw->n_ports)
			return gw_config_error(cfg, &n->mark, err,
				"neighbor %s: no port named '%s'",
				gw_fmt_addr(&n->address, b, sizeof(b)), n->port);
		memcpy(mac.addr_bytes, n->mac, RTE_ETHER_ADDR_LEN);
		if (!rte_is_valid_assigned_ether_addr(&mac) ||
		    gw_neigh_add_static(gw->neigh, p, n->address.family,
					n->address.addr, &mac) != 0)
			return gw_config_error(cfg, &n->mark, err,
				"neighbor %s: invalid MAC or table full",
				gw_fmt_addr(&n->address, b, sizeof(b)));
	}
	return 0;
}

static int
gw_gateway_wg(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	const struct gw_config *cfg = gw->cfg;
	unsigned int i;

	if (cfg->n_wg > GW_MAX_WG)
		return gw_config_error(cfg, &cfg->wg[GW_MAX_WG].mark, err,
			"wireguard: at most %u interfaces", GW_MAX_WG);
	for (i = 0; i < cfg->n_wg; i++) {
		struct gw_wg_iface *w = &gw->wg[i];

		snprintf(w->name, sizeof(w->name), "%s", cfg->wg[i].name);
		w->listen_port = cfg->wg[i].listen_port;
		w->mtu = cfg->wg[i].mtu != 0 ? cfg->wg[i].mtu :
			GW_WG_DEFAULT_MTU;
		w->first_peer = gw->n_peers;
		w->n_peers = cfg->wg[i].n_peers;
		w->cfg = &cfg->wg[i];
		gw->n_peers += w->n_peers;
	}
	gw->n_wg = cfg->n_wg;
	return 0;
}

/* Routing table sizes for the peers' allowed IPs; -1 out of memory. */
static int
gw_gateway_route_sizes(const struct gw_config *cfg, struct gw_route_sizes *sz)
{
	struct gw_prefix *all;
	size_t n = 0;
	unsigned int i, j;

	for (i = 0; i < cfg->n_wg; i++)
		for (j = 0; j < cfg->wg[i].n_peers; j++)
			n += cfg->wg[i].peers[j].n_allowed_ips;
	all = malloc(RTE_MAX(n, (size_t)1) * sizeof(*all));
	if (all == NULL)
		return -1;
	n = 0;
	for (i = 0; i < cfg->n_wg; i++)
		for (j = 0; j < cfg->wg[i].n_peers; j++) {
			const struct gw_peer_cfg *p = &cfg->wg[i].peers[j];

			if (p->n_allowed_ips == 0)
				continue;
			memcpy(&all[n], p->allowed_ips,
			       p->n_allowed_ips * sizeof(*all));
			n += p->n_allowed_ips;
		}
	gw_route_size(sz, all, n);
	free(all);
	return 0;
}

struct gw_gateway *
gw_gateway_create(const struct gw_config *cfg, char err[GW_ERR_MAX])
{
	const struct gw_mark *lmark = cfg->lcores.set ? &cfg->lcores.mark : NULL;
	struct gw_route_sizes rsz;
	char msg[GW_ERR_MAX];
	struct gw_gateway *gw;
	unsigned int i, j;
	size_t sz;

	gw = rte_zmalloc("gw_gateway", sizeof(*gw), RTE_CACHE_LINE_SIZE);
	if (gw == NULL) {
		snprintf(err, GW_ERR_MAX,
			 "dpdk-wg: out of memory (hugepages? EAL -m?)");
		return NULL;
	}
	gw->cfg = cfg;
	gw->tsc_hz = rte_get_tsc_hz();

	if (cfg->n_ports == 0 || cfg->n_ports > GW_MAX_PORTS) {
		gw_config_error(cfg, cfg->n_ports ? &cfg->ports[0].mark : NULL,
				err, "ports: 1 to %u ports", GW_MAX_PORTS);
		goto fail;
	}
	for (i = 0; i < cfg->n_ports; i++)
		for (j = 0; j < i; j++)
			if (strcmp(cfg->ports[i].device,
				   cfg->ports[j].device) == 0) {
				gw_config_error(cfg, &cfg->ports[i].mark, err,
					"port %s: device %s is also port %s's",
					cfg->ports[i].name, cfg->ports[i].device,
					cfg->ports[j].name);
				goto fail;
			}
	if (gw_gateway_wg(gw, err) != 0)
		goto fail;
	if (gw_lcores_setup(gw, msg, sizeof(msg)) != 0) {
		gw_config_error(cfg, lmark, err, "%s", msg);
		goto fail;
	}

	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	gw->qsbr = rte_zmalloc("gw_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (gw->qsbr == NULL || rte_rcu_qsbr_init(gw->qsbr, RTE_MAX_LCORE)) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: RCU: out of memory");
		goto fail;
	}

	for (i = 0; i < cfg->n_ports; i++) {
		gw->n_ports = (uint16_t)(i + 1);	/* closed on failure too */
		if (gw_port_setup(&gw->ports[i], &cfg->ports[i], (uint16_t)i,
				  (uint16_t)gw->n_io, msg, sizeof(msg)) != 0) {
			gw_config_error(cfg, &cfg->ports[i].mark, err, "%s", msg);
			goto fail;
		}
	}

	if (gw_gateway_route_sizes(cfg, &rsz) != 0) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: out of memory");
		goto fail;
	}
	if (gw_route_init(&gw->rt, cfg->n_wg > 0, &rsz,
			  gw->ports[0].socket) != 0) {
		snprintf(err, GW_ERR_MAX,
			 "dpdk-wg: routing tables: %s (hugepage memory? EAL -m?)",
			 rte_strerror(rte_errno));
		goto fail;
	}
	if (gw_wg_create(gw, err) != 0)
		goto fail;
	if (gw_gateway_routes(gw, err) != 0)
		goto fail;
	if (gw_reload_setup(gw) != 0) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: out of memory");
		goto fail;
	}

	gw->neigh = gw_neigh_create(GW_NEIGH_MAX, gw->ports[0].socket, gw->qsbr);
	if (gw->neigh == NULL) {
		snprintf(err, GW_ERR_MAX, "dpdk-wg: neighbour table: %s",
			 rte_strerror(rte_errno));
		goto fail;
	}
	if (gw_gateway_neighbors(gw, err) != 0)
		goto fail;

	for (i = 0; i < gw->n_ports; i++) {
		if (gw_port_start(&gw->ports[i], msg, sizeof(msg)) != 0) {
			gw_config_error(cfg, &cfg->ports[i].mark, err, "%s", msg);
			goto fail;
		}
	}
	/* the wg(8) sockets (served by the control lcore), telemetry */
	if (gw_uapi_start(gw, err) != 0)
		goto fail;
	if (gw_cli_start(gw, err) != 0)
		goto fail;
	gw_telemetry_start(gw);
	if (gw_metrics_start(gw, err) != 0)
		goto fail;
	return gw;
fail:
	gw_gateway_destroy(gw);
	return NULL;
}

int
gw_gateway_run(struct gw_gateway *gw)
{
	unsigned int id;
	int ret;

	/* on the main (control) lcore: persistent keepalives start now */
	gw_wg_start(gw);
	gw_reload_drop_peers(gw);
	RTE_LCORE_FOREACH_WORKER(id) {
		if (gw->lcores[id] == NULL)
			continue;
		ret = rte_eal_remote_launch(gw_lcore_main, gw, id);
		if (ret != 0) {
			GW_LOG(ERR, "cannot launch lcore %u: %s", id,
			       rte_strerror(-ret));
			gw_gateway_stop(gw);
			break;
		}
	}
	gw_lcore_main(gw);
	rte_eal_mp_wait_lcore();
	gw_wg_stop(gw);
	return 0;
}

void
gw_gateway_destroy(struct gw_gateway *gw)
{
	uint16_t p;

	if (gw == NULL)
		return;
	gw_metrics_stop();	/* before anything its requests read */
	gw_telemetry_stop();
	gw_cli_stop(gw);
	gw_uapi_stop(gw);	/* sockets unlinked */
	for (p = 0; p < gw->n_ports; p++)
		gw_port_stop(&gw->ports[p]);
	gw_wg_free(gw);		/* before the pools its mbufs come from */
	gw_reload_free(gw);
	gw_lcores_free(gw);
	gw_neigh_free(gw->neigh);
	gw->neigh = NULL;
	gw_route_free(&gw->rt);
	for (p = 0; p < gw->n_ports; p++)
		gw_port_close(&gw->ports[p]);
	rte_free(gw->qsbr);
	rte_free(gw);
}

void
gw_gateway_print(const struct gw_gateway *gw, FILE *f)
{
	char b[64], key[sodium_base64_ENCODED_LEN(32,
		sodium_base64_VARIANT_ORIGINAL)];
	unsigned int i, j;
	uint16_t p;

	for (p = 0; p < gw->n_ports; p++)
		gw_port_print(&gw->ports[p], f);
	for (i = 0; i < gw->n_wg; i++) {
		const struct wg_device *dev = gw_wg_device(
			(struct gw_gateway *)(uintptr_t)gw, i);
		uint8_t pub[32];

		if (dev == NULL || !wg_device_get_public_key(dev, pub))
			snprintf(key, sizeof(key), "(none)");
		else
			sodium_bin2base64(key, sizeof(key), pub, sizeof(pub),
					  sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "wireguard %s: public key %s listen port %u mtu %u peers %u\n",
			gw->wg[i].name, key, gw->wg[i].listen_port,
			gw->wg[i].mtu, gw->wg[i].n_peers);
		for (j = 0; j < gw->wg[i].cfg->n_addrs; j++)
			fprintf(f, "  inet %s\n",
				gw_fmt_prefix(&gw->wg[i].cfg->addrs[j], b,
					      sizeof(b)));
	}
	fprintf(f, "routes: %u static, %u next hops\n", gw->cfg->n_routes,
		gw->rt.n_nh - 1);
	gw_lcores_print(gw, f);
}

void
gw_gateway_print_stats(const struct gw_gateway *gw, FILE *f)
{
	struct gw_lcore_stats total;
	char name[32];
	unsigned int id;
	uint16_t p;

	memset(&total, 0, sizeof(total));
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if (gw->lcores[id] == NULL)
			continue;
		snprintf(name, sizeof(name), "stats lcore %u", id);
		gw_stats_print(f, name, &gw->lcores[id]->stats);
		gw_stats_add(&total, &gw->lcores[id]->stats);
	}
	gw_stats_print(f, "stats total", &total);
	for (p = 0; p < gw->n_ports; p++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(gw->ports[p].port_id, &es) != 0)
			continue;
		fprintf(f, "stats port %s: ipackets %" PRIu64 " opackets %"
			PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64
			" oerrors %" PRIu64 " rx_nombuf %" PRIu64 "\n",
			gw->ports[p].name, es.ipackets, es.opackets,
			es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);
	}
	gw_wg_print(gw, f);
}
