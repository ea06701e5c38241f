/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Checks across items, once everything is parsed: unique names, devices,
 * listen ports, peer keys, allowed IPs, routes and neighbors; references
 * from neighbors to ports; next hops and neighbors inside a port's subnet;
 * interface subnets that do not overlap; MTUs that fit IPv6. Each error
 * names the node of the offending field through the marks the parser
 * kept, and the first item it clashes with.
 *
 * Lists that can be long (peers, allowed IPs, routes, neighbors) are
 * checked for duplicates by sorting, not pair by pair.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "config_priv.h"

/* An item of a list: "ports[1]", "wireguard[0].peers[3]". */
struct gw_item_path {
	struct gw_cfg_path section;
	struct gw_cfg_path item;
	struct gw_cfg_path sub;		/* peers */
	struct gw_cfg_path sub_item;
	struct gw_cfg_path field;
};

/* Builds section[i].field or section[i].sub[j].field. */
static const struct gw_cfg_path *
gw_item_path(struct gw_item_path *ip, const char *section, unsigned int i,
	     const char *sub, unsigned int j, const char *field)
{
	const struct gw_cfg_path *up;

	ip->section = (struct gw_cfg_path){ NULL, section, 0 };
	ip->item = (struct gw_cfg_path){ &ip->section, NULL, i };
	up = &ip->item;
	if (sub != NULL) {
		ip->sub = (struct gw_cfg_path){ up, sub, 0 };
		ip->sub_item = (struct gw_cfg_path){ &ip->sub, NULL, j };
		up = &ip->sub_item;
	}
	if (field == NULL)
		return up;
	ip->field = (struct gw_cfg_path){ up, field, 0 };
	return &ip->field;
}

static bool
gw_mark_before(const struct gw_mark *a, const struct gw_mark *b)
{
	return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* ---- duplicates by sorting ---- */

struct gw_dup {
	uint8_t key[40];
	uint32_t i, j, k;	/* where the entry is, in file order */
};

/* Position order: which entry comes first in the file. */
static int
gw_dup_pos_cmp(const struct gw_dup *a, const struct gw_dup *b)
{
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	if (a->j != b->j)
		return a->j < b->j ? -1 : 1;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	return 0;
}

static int
gw_dup_cmp(const void *pa, const void *pb)
{
	const struct gw_dup *a = pa, *b = pb;
	int c = memcmp(a->key, b->key, sizeof(a->key));

	return c != 0 ? c : gw_dup_pos_cmp(a, b);
}

/*
 * Sorts d and finds the duplicate that comes first in the file: *dup is
 * that entry, *orig the first entry with the same key. false if none.
 */
static bool
gw_dup_find(struct gw_dup *d, size_t n, struct gw_dup *dup,
	    struct gw_dup *orig)
{
	size_t i, first = 0;
	bool found = false;

	qsort(d, n, sizeof(*d), gw_dup_cmp);
	for (i = 1; i < n; i++) {
		if (memcmp(d[i].key, d[first].key, sizeof(d[i].key)) != 0) {
			first = i;
			continue;
		}
		if (!found || gw_dup_pos_cmp(&d[i], dup) < 0) {
			*dup = d[i];
			*orig = d[first];
			found = true;
		}
	}
	return found;
}

static void
gw_dup_prefix(struct gw_dup *d, const struct gw_prefix *p)
{
	memset(d, 0, sizeof(*d));
	d->key[0] = p->family;
	d->key[1] = p->len;
	memcpy(&d->key[2], p->addr, sizeof(p->addr));
}

/* ---- interface names and devices ---- */

struct gw_iface_ref {
	const char *name;
	struct gw_mark mark;
	const char *section;
	unsigned int index;
};

static int
gw_check_names(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	unsigned int n = cfg->n_ports + cfg->n_wg, i, j;
	struct gw_iface_ref *refs, *later = NULL, *first = NULL;
	int ret = 0;

	if (n == 0)
		return 0;
	refs = calloc(n, sizeof(*refs));
	if (refs == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	for (i = 0; i < cfg->n_ports; i++)
		refs[i] = (struct gw_iface_ref){ cfg->ports[i].name,
			gw_cfg_mark_of(ctx, cfg->ports[i].name,
				       &cfg->ports[i].mark), "ports", i };
	for (i = 0; i < cfg->n_wg; i++)
		refs[cfg->n_ports + i] = (struct gw_iface_ref){
			cfg->wg[i].name,
			gw_cfg_mark_of(ctx, cfg->wg[i].name, &cfg->wg[i].mark),
			"wireguard", i };

	/* The clash reported is the one that comes first in the file. */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			if (i == j || strcmp(refs[i].name, refs[j].name) != 0 ||
			    !gw_mark_before(&refs[j].mark, &refs[i].mark))
				continue;
			if (later == NULL ||
			    gw_mark_before(&refs[i].mark, &later->mark) ||
			    (later == &refs[i] &&
			     gw_mark_before(&refs[j].mark, &first->mark))) {
				later = &refs[i];
				first = &refs[j];
			}
		}
	if (later != NULL) {
		struct gw_item_path ip;

		ret = gw_cfg_error_at(ctx, &later->mark,
			gw_item_path(&ip, later->section, later->index, NULL, 0,
				     "name"),
			"the name '%s' is already used by %s[%u] (line %u, column %u)",
			later->name, first->section, first->index,
			first->mark.line, first->mark.column);
	}
	free(refs);
	return ret;
}

static int
gw_check_devices(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	unsigned int i, j;

	for (i = 1; i < cfg->n_ports; i++)
		for (j = 0; j < i; j++) {
			const struct gw_port_cfg *p = &cfg->ports[i];
			const struct gw_port_cfg *q = &cfg->ports[j];
			struct gw_mark m, first;
			struct gw_item_path ip;

			if (strcmp(p->device, q->device) != 0)
				continue;
			m = gw_cfg_mark_of(ctx, p->device, &p->mark);
			first = gw_cfg_mark_of(ctx, q->device, &q->mark);
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "ports", i, NULL, 0, "device"),
				"device '%s' is already used by ports[%u] (line %u, column %u)",
				p->device, j, first.line, first.column);
		}
	return 0;
}

/* ---- MTUs and subnets ---- */

static bool
gw_has_ipv6(const struct gw_prefix *addrs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addrs[i].family == AF_INET6)
			return true;
	return false;
}

static int
gw_check_mtu_ipv6(struct gw_cfg_ctx *ctx, const char *section,
		  unsigned int index, const uint16_t *mtu,
		  const struct gw_prefix *addrs, unsigned int n_addrs,
		  const struct gw_mark *fallback)
{
	struct gw_item_path ip;
	struct gw_mark m;

	if (*mtu == 0 || *mtu >= GW_CFG_MTU_MIN_IPV6 ||
	    !gw_has_ipv6(addrs, n_addrs))
		return 0;
	m = gw_cfg_mark_of(ctx, mtu, fallback);
	return gw_cfg_error_at(ctx, &m,
			       gw_item_path(&ip, section, index, NULL, 0, "mtu"),
			       "%u is below %u, the minimum MTU of IPv6, and the interface has an IPv6 address",
			       *mtu, GW_CFG_MTU_MIN_IPV6);
}

struct gw_subnet_ref {
	const struct gw_prefix *p;
	struct gw_mark mark;
	const char *section;
	unsigned int index;
};

static bool
gw_same_iface(const struct gw_subnet_ref *a, const struct gw_subnet_ref *b)
{
	return strcmp(a->section, b->section) == 0 && a->index == b->index;
}

/*
 * Two addresses of one interface may share a subnet (a secondary address)
 * but not be the same address; subnets of two interfaces must not overlap.
 */
static bool
gw_subnets_clash(const struct gw_subnet_ref *a, const struct gw_subnet_ref *b)
{
	if (gw_same_iface(a, b))
		return a->p->family == b->p->family &&
			memcmp(a->p->addr, b->p->addr, sizeof(a->p->addr)) == 0;
	return gw_cfg_prefix_overlap(a->p, b->p);
}

/* Connected subnets of different interfaces, ports and tunnels, are disjoint. */
static int
gw_check_subnets(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	struct gw_subnet_ref *refs, *later = NULL, *first = NULL;
	size_t n = 0, i, j;
	unsigned int a, b;
	int ret = 0;

	for (a = 0; a < cfg->n_ports; a++)
		n += cfg->ports[a].n_addrs;
	for (a = 0; a < cfg->n_wg; a++)
		n += cfg->wg[a].n_addrs;
	if (n < 2)
		return 0;
	refs = calloc(n, sizeof(*refs));
	if (refs == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	n = 0;
	for (a = 0; a < cfg->n_ports; a++)
		for (b = 0; b < cfg->ports[a].n_addrs; b++)
			refs[n++] = (struct gw_subnet_ref){
				&cfg->ports[a].addrs[b],
				gw_cfg_mark_of(ctx, &cfg->ports[a].addrs[b],
					       &cfg->ports[a].mark),
				"ports", a };
	for (a = 0; a < cfg->n_wg; a++)
		for (b = 0; b < cfg->wg[a].n_addrs; b++)
			refs[n++] = (struct gw_subnet_ref){
				&cfg->wg[a].addrs[b],
				gw_cfg_mark_of(ctx, &cfg->wg[a].addrs[b],
					       &cfg->wg[a].mark),
				"wireguard", a };

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			if (i == j || !gw_mark_before(&refs[j].mark,
						      &refs[i].mark) ||
			    !gw_subnets_clash(&refs[i], &refs[j]))
				continue;
			if (later == NULL ||
			    gw_mark_before(&refs[i].mark, &later->mark) ||
			    (later == &refs[i] &&
			     gw_mark_before(&refs[j].mark, &first->mark))) {
				later = &refs[i];
				first = &refs[j];
			}
		}
	if (later != NULL && gw_same_iface(later, first)) {
		char x[64];
		struct gw_item_path ip;

		ret = gw_cfg_error_at(ctx, &later->mark,
			gw_item_path(&ip, later->section, later->index, NULL, 0,
				     "address"),
			"address %s is listed twice (line %u, column %u)",
			gw_cfg_fmt_addr(later->p->family, later->p->addr, x,
					sizeof(x)),
			first->mark.line, first->mark.column);
	} else if (later != NULL) {
		char x[64], y[64];
		struct gw_item_path ip;

		ret = gw_cfg_error_at(ctx, &later->mark,
			gw_item_path(&ip, later->section, later->index, NULL, 0,
				     "address"),
			"the subnet of %s overlaps %s of %s[%u] (line %u, column %u)",
			gw_cfg_fmt_prefix(later->p, x, sizeof(x)),
			gw_cfg_fmt_prefix(first->p, y, sizeof(y)),
			first->section, first->index, first->mark.line,
			first->mark.column);
	}
	free(refs);
	return ret;
}

/* Is addr one of the gateway's own addresses? */
static bool
gw_is_own_address(const struct gw_config *cfg, const struct gw_sockaddr *sa)
{
	unsigned int i, j;
	size_t len = sa->family == AF_INET ? 4 : 16;

	for (i = 0; i < cfg->n_ports; i++)
		for (j = 0; j < cfg->ports[i].n_addrs; j++)
			if (cfg->ports[i].addrs[j].family == sa->family &&
			    memcmp(cfg->ports[i].addrs[j].addr, sa->addr,
				   len) == 0)
				return true;
	for (i = 0; i < cfg->n_wg; i++)
		for (j = 0; j < cfg->wg[i].n_addrs; j++)
			if (cfg->wg[i].addrs[j].family == sa->family &&
			    memcmp(cfg->wg[i].addrs[j].addr, sa->addr, len) == 0)
				return true;
	return false;
}

static bool
gw_port_reaches(const struct gw_port_cfg *port, const struct gw_sockaddr *sa)
{
	unsigned int i;

	for (i = 0; i < port->n_addrs; i++)
		if (gw_cfg_prefix_contains(&port->addrs[i], sa->family,
					   sa->addr))
			return true;
	return false;
}

/* ---- routes ---- */

static int
gw_check_routes(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	struct gw_dup *d, dup, orig;
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < cfg->n_routes; i++) {
		const struct gw_route_cfg *r = &cfg->routes[i];
		struct gw_mark m = gw_cfg_mark_of(ctx, &r->via, &r->mark);
		struct gw_item_path ip;
		char buf[64];

		gw_cfg_fmt_addr(r->via.family, r->via.addr, buf, sizeof(buf));
		if (gw_is_own_address(cfg, &r->via))
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "routes", i, NULL, 0, "via"),
				"next hop %s is one of the gateway's own addresses",
				buf);
		for (j = 0; j < cfg->n_ports; j++)
			if (gw_port_reaches(&cfg->ports[j], &r->via))
				break;
		if (j == cfg->n_ports)
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "routes", i, NULL, 0, "via"),
				"next hop %s is not inside the subnet of any port",
				buf);
	}

	if (cfg->n_routes < 2)
		return 0;
	d = calloc(cfg->n_routes, sizeof(*d));
	if (d == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	for (i = 0; i < cfg->n_routes; i++) {
		gw_dup_prefix(&d[i], &cfg->routes[i].prefix);
		d[i].i = i;
	}
	if (gw_dup_find(d, cfg->n_routes, &dup, &orig)) {
		const struct gw_route_cfg *r = &cfg->routes[dup.i];
		const struct gw_route_cfg *o = &cfg->routes[orig.i];
		struct gw_mark m = gw_cfg_mark_of(ctx, &r->prefix, &r->mark);
		struct gw_mark om = gw_cfg_mark_of(ctx, &o->prefix, &o->mark);
		struct gw_item_path ip;
		char buf[64];

		ret = gw_cfg_error_at(ctx, &m,
			gw_item_path(&ip, "routes", dup.i, NULL, 0, "prefix"),
			"a route to %s is already given by routes[%u] (line %u, column %u)",
			gw_cfg_fmt_prefix(&r->prefix, buf, sizeof(buf)), orig.i,
			om.line, om.column);
	}
	free(d);
	return ret;
}

/* ---- neighbors ---- */

static int
gw_check_neighbors(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	struct gw_dup *d, dup, orig;
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < cfg->n_neighbors; i++) {
		const struct gw_neighbor_cfg *nb = &cfg->neighbors[i];
		struct gw_item_path ip;
		struct gw_mark m;
		char buf[64];

		for (j = 0; j < cfg->n_ports; j++)
			if (strcmp(cfg->ports[j].name, nb->port) == 0)
				break;
		if (j == cfg->n_ports) {
			m = gw_cfg_mark_of(ctx, nb->port, &nb->mark);
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "neighbors", i, NULL, 0, "port"),
				"no port is named '%s'", nb->port);
		}
		m = gw_cfg_mark_of(ctx, &nb->address, &nb->mark);
		gw_cfg_fmt_addr(nb->address.family, nb->address.addr, buf,
				sizeof(buf));
		if (gw_is_own_address(cfg, &nb->address))
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "neighbors", i, NULL, 0,
					     "address"),
				"%s is one of the gateway's own addresses", buf);
		if (!gw_port_reaches(&cfg->ports[j], &nb->address))
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "neighbors", i, NULL, 0,
					     "address"),
				"%s is not inside a subnet of port '%s'", buf,
				nb->port);
	}

	if (cfg->n_neighbors < 2)
		return 0;
	d = calloc(cfg->n_neighbors, sizeof(*d));
	if (d == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	for (i = 0; i < cfg->n_neighbors; i++) {
		d[i].key[0] = cfg->neighbors[i].address.family;
		memcpy(&d[i].key[1], cfg->neighbors[i].address.addr, 16);
		d[i].i = i;
	}
	if (gw_dup_find(d, cfg->n_neighbors, &dup, &orig)) {
		const struct gw_neighbor_cfg *nb = &cfg->neighbors[dup.i];
		const struct gw_neighbor_cfg *o = &cfg->neighbors[orig.i];
		struct gw_mark m = gw_cfg_mark_of(ctx, &nb->address, &nb->mark);
		struct gw_mark om = gw_cfg_mark_of(ctx, &o->address, &o->mark);
		struct gw_item_path ip;
		char buf[64];

		ret = gw_cfg_error_at(ctx, &m,
			gw_item_path(&ip, "neighbors", dup.i, NULL, 0, "address"),
			"%s is already a neighbor in neighbors[%u] (line %u, column %u)",
			gw_cfg_fmt_addr(nb->address.family, nb->address.addr,
					buf, sizeof(buf)), orig.i, om.line,
			om.column);
	}
	free(d);
	return ret;
}

/* ---- wireguard ---- */

static int
gw_check_listen_ports(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	unsigned int i, j;

	for (i = 1; i < cfg->n_wg; i++)
		for (j = 0; j < i; j++) {
			const struct gw_wg_cfg *w = &cfg->wg[i];
			const struct gw_wg_cfg *o = &cfg->wg[j];
			struct gw_mark m, om;
			struct gw_item_path ip;

			if (w->listen_port != o->listen_port)
				continue;
			m = gw_cfg_mark_of(ctx, &w->listen_port, &w->mark);
			om = gw_cfg_mark_of(ctx, &o->listen_port, &o->mark);
			return gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "wireguard", i, NULL, 0,
					     "listen_port"),
				"port %u is already used by wireguard[%u] (line %u, column %u)",
				w->listen_port, j, om.line, om.column);
		}
	return 0;
}

/* Unique public keys within an interface, none equal to its own. */
static int
gw_check_peer_keys(struct gw_cfg_ctx *ctx, unsigned int w)
{
	const struct gw_wg_cfg *wg = &ctx->cfg->wg[w];
	uint8_t own[GW_KEY_LEN];
	struct gw_dup *d, dup, orig;
	struct gw_item_path ip;
	unsigned int i;
	int ret = 0;

	if (wg->n_peers == 0)
		return 0;
	crypto_scalarmult_curve25519_base(own, wg->private_key);
	for (i = 0; i < wg->n_peers; i++) {
		const struct gw_peer_cfg *peer = &wg->peers[i];
		struct gw_mark m;

		if (sodium_memcmp(own, peer->public_key, GW_KEY_LEN) != 0)
			continue;
		m = gw_cfg_mark_of(ctx, peer->public_key, &peer->mark);
		sodium_memzero(own, sizeof(own));
		return gw_cfg_error_at(ctx, &m,
			gw_item_path(&ip, "wireguard", w, "peers", i,
				     "public_key"),
			"this is the interface's own public key (from its private key), not a peer's");
	}
	sodium_memzero(own, sizeof(own));

	if (wg->n_peers < 2)
		return 0;
	d = calloc(wg->n_peers, sizeof(*d));
	if (d == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	for (i = 0; i < wg->n_peers; i++) {
		memcpy(d[i].key, wg->peers[i].public_key, GW_KEY_LEN);
		d[i].i = w;
		d[i].j = i;
	}
	if (gw_dup_find(d, wg->n_peers, &dup, &orig)) {
		const struct gw_peer_cfg *p = &wg->peers[dup.j];
		const struct gw_peer_cfg *o = &wg->peers[orig.j];
		struct gw_mark m = gw_cfg_mark_of(ctx, p->public_key, &p->mark);
		struct gw_mark om = gw_cfg_mark_of(ctx, o->public_key, &o->mark);

		ret = gw_cfg_error_at(ctx, &m,
			gw_item_path(&ip, "wireguard", w, "peers", dup.j,
				     "public_key"),
			"duplicate peer: the same public key as wireguard[%u].peers[%u] (line %u, column %u)",
			w, orig.j, om.line, om.column);
	}
	free(d);
	return ret;
}

/* An allowed IP belongs to one peer, across all interfaces. */
static int
gw_check_allowed_ips(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	struct gw_dup *d, dup, orig;
	size_t n = 0;
	unsigned int w, p, a;
	int ret = 0;

	for (w = 0; w < cfg->n_wg; w++)
		for (p = 0; p < cfg->wg[w].n_peers; p++)
			n += cfg->wg[w].peers[p].n_allowed_ips;
	if (n < 2)
		return 0;
	d = calloc(n, sizeof(*d));
	if (d == NULL)
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	n = 0;
	for (w = 0; w < cfg->n_wg; w++)
		for (p = 0; p < cfg->wg[w].n_peers; p++)
			for (a = 0; a < cfg->wg[w].peers[p].n_allowed_ips; a++) {
				gw_dup_prefix(&d[n],
					      &cfg->wg[w].peers[p].allowed_ips[a]);
				d[n].i = w;
				d[n].j = p;
				d[n].k = a;
				n++;
			}
	if (gw_dup_find(d, n, &dup, &orig)) {
		const struct gw_peer_cfg *peer = &cfg->wg[dup.i].peers[dup.j];
		const struct gw_peer_cfg *o = &cfg->wg[orig.i].peers[orig.j];
		const struct gw_prefix *pp = &peer->allowed_ips[dup.k];
		struct gw_mark m = gw_cfg_mark_of(ctx, pp, &peer->mark);
		struct gw_mark om = gw_cfg_mark_of(ctx,
						   &o->allowed_ips[orig.k],
						   &o->mark);
		struct gw_item_path ip;
		char buf[64];

		gw_cfg_fmt_prefix(pp, buf, sizeof(buf));
		if (dup.i == orig.i && dup.j == orig.j)
			ret = gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "wireguard", dup.i, "peers",
					     dup.j, "allowed_ips"),
				"%s is listed twice (line %u, column %u)", buf,
				om.line, om.column);
		else
			ret = gw_cfg_error_at(ctx, &m,
				gw_item_path(&ip, "wireguard", dup.i, "peers",
					     dup.j, "allowed_ips"),
				"%s already belongs to wireguard[%u].peers[%u] (line %u, column %u)",
				buf, orig.i, orig.j, om.line, om.column);
	}
	free(d);
	return ret;
}

int
gw_cfg_validate(struct gw_cfg_ctx *ctx)
{
	const struct gw_config *cfg = ctx->cfg;
	unsigned int i;

	if (gw_check_names(ctx) < 0 || gw_check_devices(ctx) < 0)
		return -1;
	for (i = 0; i < cfg->n_ports; i++)
		if (gw_check_mtu_ipv6(ctx, "ports", i, &cfg->ports[i].mtu,
				      cfg->ports[i].addrs,
				      cfg->ports[i].n_addrs,
				      &cfg->ports[i].mark) < 0)
			return -1;
	for (i = 0; i < cfg->n_wg; i++)
		if (gw_check_mtu_ipv6(ctx, "wireguard", i, &cfg->wg[i].mtu,
				      cfg->wg[i].addrs, cfg->wg[i].n_addrs,
				      &cfg->wg[i].mark) < 0)
			return -1;
	if (gw_check_subnets(ctx) < 0 || gw_check_routes(ctx) < 0 ||
	    gw_check_neighbors(ctx) < 0 || gw_check_listen_ports(ctx) < 0)
		return -1;
	for (i = 0; i < cfg->n_wg; i++)
		if (gw_check_peer_keys(ctx, i) < 0)
			return -1;
	return gw_check_allowed_ips(ctx);
}
