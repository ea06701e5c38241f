/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The schema of docs/configuration.md: every section, its keys and the
 * checks that need nothing but the value itself. Checks across items
 * (duplicates, references, subnets) run afterwards in config_validate.c,
 * from the marks recorded here.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

/* Characters of port and wireguard names; wg-quick's set. */
static bool
gw_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '=' ||
		      c == '+' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static int
gw_parse_name(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, char *dst, size_t max)
{
	const char *s;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	if (!gw_name_ok(s, max))
		return gw_cfg_error(ctx, node, path,
				    "invalid name '%.*s' (1 to %zu of A-Z a-z 0-9 _ = + . -)",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), max);
	memcpy(dst, s, strlen(s) + 1);
	return gw_cfg_mark_add(ctx, dst, node);
}

static int
gw_parse_key(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	     const struct gw_cfg_path *path, uint8_t key[GW_KEY_LEN])
{
	char why[GW_CFG_WHY_MAX];
	const char *s;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	if (gw_cfg_decode_key(s, strlen(s), key, why) < 0)
		return gw_cfg_error(ctx, node, path, "%s", why);
	return gw_cfg_mark_add(ctx, key, node);
}

/* key or key_file (exclusive); false in *has if neither is given. */
static int
gw_parse_key_pair(struct gw_cfg_ctx *ctx, const struct gw_cfg_path *path,
		  const char *name, yaml_node_t *inline_val,
		  yaml_node_t *inline_key, yaml_node_t *file_val,
		  yaml_node_t *file_key, uint8_t key[GW_KEY_LEN], bool *has)
{
	struct gw_cfg_path p_inline = { path, name, 0 };
	char file_name[48];
	struct gw_cfg_path p_file = { path, file_name, 0 };

	snprintf(file_name, sizeof(file_name), "%s_file", name);
	*has = false;
	if (inline_val != NULL && file_val != NULL) {
		bool file_later = file_key->start_mark.index >
			inline_key->start_mark.index;

		return gw_cfg_error(ctx, file_later ? file_key : inline_key,
				    path, "%s and %s are mutually exclusive",
				    name, file_name);
	}
	if (inline_val != NULL) {
		if (gw_parse_key(ctx, inline_val, &p_inline, key) < 0)
			return -1;
	} else if (file_val != NULL) {
		if (gw_cfg_key_file(ctx, file_val, &p_file, key) < 0 ||
		    gw_cfg_mark_add(ctx, key, file_val) < 0)
			return -1;
	} else {
		return 0;
	}
	*has = true;
	return 0;
}

static int
gw_parse_u16(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	     const struct gw_cfg_path *path, unsigned long min,
	     unsigned long max, uint16_t *out)
{
	unsigned long v;

	if (gw_cfg_uint(ctx, node, path, min, max, &v) < 0)
		return -1;
	*out = (uint16_t)v;
	return gw_cfg_mark_add(ctx, out, node);
}

/*
 * One prefix. Interface addresses keep their host bits; routed prefixes
 * (routes, allowed IPs) must have none.
 */
static int
gw_parse_prefix_node(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		     const struct gw_cfg_path *path, bool ifaddr,
		     struct gw_prefix *p)
{
	const char *s, *why;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	why = gw_cfg_parse_prefix(s, p);
	if (why != NULL)
		return gw_cfg_error(ctx, node, path, "invalid prefix '%.*s': %s",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	if (ifaddr) {
		why = gw_cfg_check_ifaddr(p);
		if (why != NULL)
			return gw_cfg_error(ctx, node, path, "address %.*s %s",
					    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	} else if (gw_cfg_prefix_has_host_bits(p)) {
		struct gw_prefix net = *p;
		char buf[64];

		gw_cfg_prefix_mask(&net);
		return gw_cfg_error(ctx, node, path,
				    "prefix %.*s has host bits set (did you mean %s?)",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s),
				    gw_cfg_fmt_prefix(&net, buf, sizeof(buf)));
	}
	return gw_cfg_mark_add(ctx, p, node);
}

/* A list of prefixes; a lone string is a list of one. */
static int
gw_parse_prefixes(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		  const struct gw_cfg_path *path, bool ifaddr, bool required,
		  struct gw_prefix **out, unsigned int *n_out)
{
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_cfg_seq(ctx, node, path, true, &seq) < 0)
		return -1;
	if (seq.n == 0) {
		if (required)
			return gw_cfg_error(ctx, node, path,
					    "at least one address is needed");
		return 0;
	}
	*out = calloc(seq.n, sizeof(**out));
	if (*out == NULL)
		return gw_cfg_error(ctx, node, path, "out of memory");
	*n_out = (unsigned int)seq.n;

	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };

		if (gw_parse_prefix_node(ctx, gw_cfg_seq_at(ctx, &seq, i),
					 seq.single ? path : &p_item, ifaddr,
					 &(*out)[i]) < 0)
			return -1;
	}
	return 0;
}

/* A bare host address: a next hop or a neighbor. */
static int
gw_parse_host(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, struct gw_sockaddr *sa)
{
	const char *s, *why;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	why = gw_cfg_parse_addr(s, sa);
	if (why != NULL)
		return gw_cfg_error(ctx, node, path, "invalid address '%.*s': %s",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	why = gw_cfg_check_host(sa);
	if (why != NULL)
		return gw_cfg_error(ctx, node, path, "address %.*s %s",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	return gw_cfg_mark_add(ctx, sa, node);
}

/* The items of a list of mappings: array allocated, count set. */
static int
gw_parse_list(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, size_t size,
	      struct gw_cfg_seq *seq, void **array, unsigned int *n)
{
	if (gw_cfg_seq(ctx, node, path, false, seq) < 0)
		return -1;
	if (seq->n == 0)
		return 0;
	*array = calloc(seq->n, size);
	if (*array == NULL)
		return gw_cfg_error(ctx, node, path, "out of memory");
	*n = (unsigned int)seq->n;
	return 0;
}

/* ---- eal ---- */

static int
gw_parse_eal(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	     const struct gw_cfg_path *path)
{
	struct gw_config *cfg = ctx->cfg;
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_cfg_seq(ctx, node, path, false, &seq) < 0)
		return -1;
	cfg->eal_argv = calloc(seq.n + 1, sizeof(char *));
	if (cfg->eal_argv == NULL)
		return gw_cfg_error(ctx, node, path, "out of memory");
	for (i = 0; i < seq.n; i++) {
		yaml_node_t *item = gw_cfg_seq_at(ctx, &seq, i);
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };
		const char *s;

		if (gw_cfg_scalar(ctx, item, &p_item, &s) < 0)
			return -1;
		cfg->eal_argv[i] = strdup(s);
		if (cfg->eal_argv[i] == NULL)
			return gw_cfg_error(ctx, item, &p_item, "out of memory");
		cfg->eal_argc++;
	}
	return 0;
}

/* ---- lcores ---- */

enum {
	GW_LC_CONTROL, GW_LC_IO, GW_LC_CRYPTO, GW_LC_N
};

static const struct gw_cfg_key gw_lcores_keys[GW_LC_N] = {
	[GW_LC_CONTROL] = { "control", true },
	[GW_LC_IO] = { "io", true },
	[GW_LC_CRYPTO] = { "crypto", true },
};

static int
gw_parse_lcore_list(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		    const struct gw_cfg_path *path, unsigned int **out,
		    unsigned int *n_out)
{
	uint8_t seen[GW_CFG_LCORE_MAX / 8] = { 0 };
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_cfg_seq(ctx, node, path, false, &seq) < 0)
		return -1;
	if (seq.n == 0)
		return gw_cfg_error(ctx, node, path,
				    "at least one lcore is needed");
	*out = calloc(seq.n, sizeof(**out));
	if (*out == NULL)
		return gw_cfg_error(ctx, node, path, "out of memory");
	*n_out = (unsigned int)seq.n;
	for (i = 0; i < seq.n; i++) {
		yaml_node_t *item = gw_cfg_seq_at(ctx, &seq, i);
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };
		unsigned long v;

		if (gw_cfg_uint(ctx, item, &p_item, 0, GW_CFG_LCORE_MAX - 1,
				&v) < 0)
			return -1;
		if (seen[v / 8] & (1u << (v % 8)))
			return gw_cfg_error(ctx, item, &p_item,
					    "lcore %lu is listed twice", v);
		seen[v / 8] |= (uint8_t)(1u << (v % 8));
		(*out)[i] = (unsigned int)v;
	}
	return 0;
}

static int
gw_parse_lcores(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		const struct gw_cfg_path *path)
{
	struct gw_lcores_cfg *lc = &ctx->cfg->lcores;
	struct gw_cfg_path p_control = { path, "control", 0 };
	struct gw_cfg_path p_io = { path, "io", 0 };
	struct gw_cfg_path p_crypto = { path, "crypto", 0 };
	yaml_node_t *v[GW_LC_N], *k[GW_LC_N];
	unsigned long control;

	if (gw_cfg_map(ctx, node, path, gw_lcores_keys, GW_LC_N, v, k) < 0)
		return -1;
	if (gw_cfg_uint(ctx, v[GW_LC_CONTROL], &p_control, 0,
			GW_CFG_LCORE_MAX - 1, &control) < 0)
		return -1;
	lc->control = (unsigned int)control;
	if (gw_parse_lcore_list(ctx, v[GW_LC_IO], &p_io, &lc->io,
				&lc->n_io) < 0 ||
	    gw_parse_lcore_list(ctx, v[GW_LC_CRYPTO], &p_crypto, &lc->crypto,
				&lc->n_crypto) < 0)
		return -1;
	lc->set = true;
	lc->mark = gw_cfg_node_mark(node);
	return 0;
}

/* ---- ports ---- */

enum {
	GW_PORT_NAME, GW_PORT_DEVICE, GW_PORT_ADDRESS, GW_PORT_MTU, GW_PORT_N
};

static const struct gw_cfg_key gw_port_keys[GW_PORT_N] = {
	[GW_PORT_NAME] = { "name", true },
	[GW_PORT_DEVICE] = { "device", true },
	[GW_PORT_ADDRESS] = { "address", true },
	[GW_PORT_MTU] = { "mtu", false },
};

static int
gw_parse_device(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		const struct gw_cfg_path *path, char dev[GW_DEVICE_MAX])
{
	size_t i;

	if (gw_cfg_string(ctx, node, path, dev, GW_DEVICE_MAX) < 0)
		return -1;
	if (dev[0] == '\0')
		return gw_cfg_error(ctx, node, path, "the device is empty");
	for (i = 0; dev[i] != '\0'; i++)
		if ((unsigned char)dev[i] <= ' ' || dev[i] == 0x7f)
			return gw_cfg_error(ctx, node, path,
					    "the device contains a blank or control character");
	return gw_cfg_mark_add(ctx, dev, node);
}

static int
gw_parse_port(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, struct gw_port_cfg *port)
{
	struct gw_cfg_path p_name = { path, "name", 0 };
	struct gw_cfg_path p_device = { path, "device", 0 };
	struct gw_cfg_path p_address = { path, "address", 0 };
	struct gw_cfg_path p_mtu = { path, "mtu", 0 };
	yaml_node_t *v[GW_PORT_N], *k[GW_PORT_N];

	if (gw_cfg_map(ctx, node, path, gw_port_keys, GW_PORT_N, v, k) < 0)
		return -1;
	port->mark = gw_cfg_node_mark(node);
	if (gw_parse_name(ctx, v[GW_PORT_NAME], &p_name, port->name,
			  GW_NAME_MAX - 1) < 0 ||
	    gw_parse_device(ctx, v[GW_PORT_DEVICE], &p_device,
			    port->device) < 0 ||
	    gw_parse_prefixes(ctx, v[GW_PORT_ADDRESS], &p_address, true, true,
			      &port->addrs, &port->n_addrs) < 0)
		return -1;
	if (v[GW_PORT_MTU] != NULL &&
	    gw_parse_u16(ctx, v[GW_PORT_MTU], &p_mtu, GW_CFG_MTU_MIN,
			 GW_CFG_MTU_MAX, &port->mtu) < 0)
		return -1;
	return 0;
}

static int
gw_parse_ports(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	       const struct gw_cfg_path *path)
{
	struct gw_config *cfg = ctx->cfg;
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_parse_list(ctx, node, path, sizeof(*cfg->ports), &seq,
			  (void **)&cfg->ports, &cfg->n_ports) < 0)
		return -1;
	if (seq.n == 0)
		return gw_cfg_error(ctx, node, path,
				    "at least one port is needed");
	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };

		if (gw_parse_port(ctx, gw_cfg_seq_at(ctx, &seq, i), &p_item,
				  &cfg->ports[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- routes ---- */

enum {
	GW_ROUTE_PREFIX, GW_ROUTE_VIA, GW_ROUTE_N
};

static const struct gw_cfg_key gw_route_keys[GW_ROUTE_N] = {
	[GW_ROUTE_PREFIX] = { "prefix", true },
	[GW_ROUTE_VIA] = { "via", true },
};

static int
gw_parse_route(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	       const struct gw_cfg_path *path, struct gw_route_cfg *r)
{
	struct gw_cfg_path p_prefix = { path, "prefix", 0 };
	struct gw_cfg_path p_via = { path, "via", 0 };
	yaml_node_t *v[GW_ROUTE_N], *k[GW_ROUTE_N];
	char buf[64];

	if (gw_cfg_map(ctx, node, path, gw_route_keys, GW_ROUTE_N, v, k) < 0)
		return -1;
	r->mark = gw_cfg_node_mark(node);
	if (gw_parse_prefix_node(ctx, v[GW_ROUTE_PREFIX], &p_prefix, false,
				 &r->prefix) < 0 ||
	    gw_parse_host(ctx, v[GW_ROUTE_VIA], &p_via, &r->via) < 0)
		return -1;
	if (r->via.family != r->prefix.family)
		return gw_cfg_error(ctx, v[GW_ROUTE_VIA], &p_via,
				    "next hop %s is %s but the prefix is %s",
				    gw_cfg_fmt_addr(r->via.family, r->via.addr,
						    buf, sizeof(buf)),
				    r->via.family == AF_INET ? "IPv4" : "IPv6",
				    r->prefix.family == AF_INET ? "IPv4" :
				    "IPv6");
	return 0;
}

static int
gw_parse_routes(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		const struct gw_cfg_path *path)
{
	struct gw_config *cfg = ctx->cfg;
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_parse_list(ctx, node, path, sizeof(*cfg->routes), &seq,
			  (void **)&cfg->routes, &cfg->n_routes) < 0)
		return -1;
	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };

		if (gw_parse_route(ctx, gw_cfg_seq_at(ctx, &seq, i), &p_item,
				   &cfg->routes[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- neighbors ---- */

enum {
	GW_NEIGH_ADDRESS, GW_NEIGH_MAC, GW_NEIGH_PORT, GW_NEIGH_N
};

static const struct gw_cfg_key gw_neigh_keys[GW_NEIGH_N] = {
	[GW_NEIGH_ADDRESS] = { "address", true },
	[GW_NEIGH_MAC] = { "mac", true },
	[GW_NEIGH_PORT] = { "port", true },
};

static int
gw_parse_neighbor(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		  const struct gw_cfg_path *path, struct gw_neighbor_cfg *nb)
{
	struct gw_cfg_path p_address = { path, "address", 0 };
	struct gw_cfg_path p_mac = { path, "mac", 0 };
	struct gw_cfg_path p_port = { path, "port", 0 };
	yaml_node_t *v[GW_NEIGH_N], *k[GW_NEIGH_N];
	const char *s, *why;

	if (gw_cfg_map(ctx, node, path, gw_neigh_keys, GW_NEIGH_N, v, k) < 0)
		return -1;
	nb->mark = gw_cfg_node_mark(node);
	if (gw_parse_host(ctx, v[GW_NEIGH_ADDRESS], &p_address,
			  &nb->address) < 0 ||
	    gw_cfg_scalar(ctx, v[GW_NEIGH_MAC], &p_mac, &s) < 0)
		return -1;
	why = gw_cfg_parse_mac(s, nb->mac);
	if (why != NULL)
		return gw_cfg_error(ctx, v[GW_NEIGH_MAC], &p_mac,
				    "invalid MAC address '%.*s': %s",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	/* Any string: validation says whether a port has that name. */
	if (gw_cfg_string(ctx, v[GW_NEIGH_PORT], &p_port, nb->port,
			  GW_NAME_MAX) < 0)
		return -1;
	return gw_cfg_mark_add(ctx, nb->port, v[GW_NEIGH_PORT]);
}

static int
gw_parse_neighbors(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		   const struct gw_cfg_path *path)
{
	struct gw_config *cfg = ctx->cfg;
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_parse_list(ctx, node, path, sizeof(*cfg->neighbors), &seq,
			  (void **)&cfg->neighbors, &cfg->n_neighbors) < 0)
		return -1;
	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };

		if (gw_parse_neighbor(ctx, gw_cfg_seq_at(ctx, &seq, i),
				      &p_item, &cfg->neighbors[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- wireguard peers ---- */

enum {
	GW_PEER_PUBLIC_KEY, GW_PEER_PSK, GW_PEER_PSK_FILE, GW_PEER_ENDPOINT,
	GW_PEER_ALLOWED_IPS, GW_PEER_KEEPALIVE, GW_PEER_N
};

static const struct gw_cfg_key gw_peer_keys[GW_PEER_N] = {
	[GW_PEER_PUBLIC_KEY] = { "public_key", true },
	[GW_PEER_PSK] = { "preshared_key", false },
	[GW_PEER_PSK_FILE] = { "preshared_key_file", false },
	[GW_PEER_ENDPOINT] = { "endpoint", false },
	[GW_PEER_ALLOWED_IPS] = { "allowed_ips", false },
	[GW_PEER_KEEPALIVE] = { "persistent_keepalive", false },
};

static int
gw_parse_peer(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, struct gw_peer_cfg *peer)
{
	struct gw_cfg_path p_public = { path, "public_key", 0 };
	struct gw_cfg_path p_endpoint = { path, "endpoint", 0 };
	struct gw_cfg_path p_allowed = { path, "allowed_ips", 0 };
	struct gw_cfg_path p_keepalive = { path, "persistent_keepalive", 0 };
	yaml_node_t *v[GW_PEER_N], *k[GW_PEER_N];

	if (gw_cfg_map(ctx, node, path, gw_peer_keys, GW_PEER_N, v, k) < 0)
		return -1;
	peer->mark = gw_cfg_node_mark(node);
	if (gw_parse_key(ctx, v[GW_PEER_PUBLIC_KEY], &p_public,
			 peer->public_key) < 0 ||
	    gw_parse_key_pair(ctx, path, "preshared_key", v[GW_PEER_PSK],
			      k[GW_PEER_PSK], v[GW_PEER_PSK_FILE],
			      k[GW_PEER_PSK_FILE], peer->preshared_key,
			      &peer->has_preshared_key) < 0)
		return -1;
	if (v[GW_PEER_ENDPOINT] != NULL) {
		yaml_node_t *e = v[GW_PEER_ENDPOINT];
		const char *s, *why;

		if (gw_cfg_scalar(ctx, e, &p_endpoint, &s) < 0)
			return -1;
		why = gw_cfg_parse_endpoint(s, &peer->endpoint);
		if (why == NULL) {
			why = gw_cfg_check_endpoint(&peer->endpoint);
			if (why != NULL)
				why = "not a unicast address";
		}
		if (why != NULL) {
			memset(&peer->endpoint, 0, sizeof(peer->endpoint));
			return gw_cfg_error(ctx, e, &p_endpoint,
					    "invalid endpoint '%.*s': %s",
					    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
		}
	}
	if (gw_parse_prefixes(ctx, v[GW_PEER_ALLOWED_IPS], &p_allowed, false,
			      false, &peer->allowed_ips,
			      &peer->n_allowed_ips) < 0)
		return -1;
	if (v[GW_PEER_KEEPALIVE] != NULL &&
	    gw_parse_u16(ctx, v[GW_PEER_KEEPALIVE], &p_keepalive, 0, 65535,
			 &peer->persistent_keepalive) < 0)
		return -1;
	return 0;
}

/* ---- wireguard interfaces ---- */

enum {
	GW_WG_NAME, GW_WG_PRIVATE_KEY, GW_WG_PRIVATE_KEY_FILE,
	GW_WG_LISTEN_PORT, GW_WG_ADDRESS, GW_WG_MTU, GW_WG_PEERS, GW_WG_N
};

static const struct gw_cfg_key gw_wg_keys[GW_WG_N] = {
	[GW_WG_NAME] = { "name", true },
	[GW_WG_PRIVATE_KEY] = { "private_key", false },
	[GW_WG_PRIVATE_KEY_FILE] = { "private_key_file", false },
	[GW_WG_LISTEN_PORT] = { "listen_port", true },
	[GW_WG_ADDRESS] = { "address", false },
	[GW_WG_MTU] = { "mtu", false },
	[GW_WG_PEERS] = { "peers", false },
};

/* The longest name wg(8) accepts for an interface (IFNAMSIZ - 1). */
#define GW_WG_NAME_MAX	15

static int
gw_parse_wg(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	    const struct gw_cfg_path *path, struct gw_wg_cfg *wg)
{
	struct gw_cfg_path p_name = { path, "name", 0 };
	struct gw_cfg_path p_listen = { path, "listen_port", 0 };
	struct gw_cfg_path p_address = { path, "address", 0 };
	struct gw_cfg_path p_mtu = { path, "mtu", 0 };
	struct gw_cfg_path p_peers = { path, "peers", 0 };
	yaml_node_t *v[GW_WG_N], *k[GW_WG_N];
	struct gw_cfg_seq seq;
	bool has_key;
	size_t i;

	if (gw_cfg_map(ctx, node, path, gw_wg_keys, GW_WG_N, v, k) < 0)
		return -1;
	wg->mark = gw_cfg_node_mark(node);
	if (gw_parse_name(ctx, v[GW_WG_NAME], &p_name, wg->name,
			  GW_WG_NAME_MAX) < 0 ||
	    gw_parse_key_pair(ctx, path, "private_key", v[GW_WG_PRIVATE_KEY],
			      k[GW_WG_PRIVATE_KEY], v[GW_WG_PRIVATE_KEY_FILE],
			      k[GW_WG_PRIVATE_KEY_FILE], wg->private_key,
			      &has_key) < 0)
		return -1;
	if (!has_key)
		return gw_cfg_error(ctx, node, path,
				    "missing required key 'private_key' (or 'private_key_file')");
	if (gw_parse_u16(ctx, v[GW_WG_LISTEN_PORT], &p_listen, 1, 65535,
			 &wg->listen_port) < 0 ||
	    gw_parse_prefixes(ctx, v[GW_WG_ADDRESS], &p_address, true, false,
			      &wg->addrs, &wg->n_addrs) < 0)
		return -1;
	if (v[GW_WG_MTU] != NULL &&
	    gw_parse_u16(ctx, v[GW_WG_MTU], &p_mtu, GW_CFG_MTU_MIN,
			 GW_CFG_MTU_MAX, &wg->mtu) < 0)
		return -1;

	if (gw_parse_list(ctx, v[GW_WG_PEERS], &p_peers, sizeof(*wg->peers),
			  &seq, (void **)&wg->peers, &wg->n_peers) < 0)
		return -1;
	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { &p_peers, NULL, (unsigned int)i };

		if (gw_parse_peer(ctx, gw_cfg_seq_at(ctx, &seq, i), &p_item,
				  &wg->peers[i]) < 0)
			return -1;
	}
	return 0;
}

static int
gw_parse_wireguard(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		   const struct gw_cfg_path *path)
{
	struct gw_config *cfg = ctx->cfg;
	struct gw_cfg_seq seq;
	size_t i;

	if (gw_parse_list(ctx, node, path, sizeof(*cfg->wg), &seq,
			  (void **)&cfg->wg, &cfg->n_wg) < 0)
		return -1;
	for (i = 0; i < seq.n; i++) {
		struct gw_cfg_path p_item = { path, NULL, (unsigned int)i };

		if (gw_parse_wg(ctx, gw_cfg_seq_at(ctx, &seq, i), &p_item,
				&cfg->wg[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- the document ---- */

enum {
	GW_TOP_EAL, GW_TOP_LCORES, GW_TOP_PORTS, GW_TOP_ROUTES,
	GW_TOP_NEIGHBORS, GW_TOP_WIREGUARD, GW_TOP_TELEMETRY, GW_TOP_UAPI,
	GW_TOP_CLI_SOCKET, GW_TOP_METRICS, GW_TOP_N
};

static const struct gw_cfg_key gw_top_keys[GW_TOP_N] = {
	[GW_TOP_EAL] = { "eal", false },
	[GW_TOP_LCORES] = { "lcores", false },
	[GW_TOP_PORTS] = { "ports", true },
	[GW_TOP_ROUTES] = { "routes", false },
	[GW_TOP_NEIGHBORS] = { "neighbors", false },
	[GW_TOP_WIREGUARD] = { "wireguard", false },
	[GW_TOP_TELEMETRY] = { "telemetry", false },
	[GW_TOP_UAPI] = { "uapi", false },
	[GW_TOP_CLI_SOCKET] = { "cli_socket", false },
	[GW_TOP_METRICS] = { "metrics", false },
};

/* `metrics: ADDRESS:PORT`, the Prometheus endpoint's listening address. */
static int
gw_parse_metrics(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		 const struct gw_cfg_path *path)
{
	struct gw_sockaddr *sa = &ctx->cfg->metrics;
	const char *s, *why;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	why = gw_cfg_parse_endpoint(s, sa);
	if (why != NULL) {
		memset(sa, 0, sizeof(*sa));
		return gw_cfg_error(ctx, node, path,
				    "invalid listening address '%.*s': %s",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), why);
	}
	return 0;
}

/* `cli_socket: PATH` (absolute), or "" for none. */
static int
gw_parse_cli_socket(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		    const struct gw_cfg_path *path)
{
	char *dst = ctx->cfg->cli_socket;

	if (gw_cfg_string(ctx, node, path, dst, GW_CLI_SOCKET_MAX) < 0)
		return -1;
	if (dst[0] != '\0' && dst[0] != '/') {
		dst[0] = '\0';
		return gw_cfg_error(ctx, node, path,
				    "must be an absolute path, or \"\" for none");
	}
	return 0;
}

static int
gw_parse_section(struct gw_cfg_ctx *ctx, unsigned int which,
		 yaml_node_t *node)
{
	struct gw_cfg_path path = { NULL, gw_top_keys[which].name, 0 };

	switch (which) {
	case GW_TOP_EAL:
		return gw_parse_eal(ctx, node, &path);
	case GW_TOP_LCORES:
		return gw_parse_lcores(ctx, node, &path);
	case GW_TOP_PORTS:
		return gw_parse_ports(ctx, node, &path);
	case GW_TOP_ROUTES:
		return gw_parse_routes(ctx, node, &path);
	case GW_TOP_NEIGHBORS:
		return gw_parse_neighbors(ctx, node, &path);
	case GW_TOP_WIREGUARD:
		return gw_parse_wireguard(ctx, node, &path);
	case GW_TOP_TELEMETRY:
		return gw_cfg_bool(ctx, node, &path, &ctx->cfg->telemetry);
	case GW_TOP_UAPI:
		return gw_cfg_bool(ctx, node, &path, &ctx->cfg->uapi);
	case GW_TOP_CLI_SOCKET:
		return gw_parse_cli_socket(ctx, node, &path);
	case GW_TOP_METRICS:
		return gw_parse_metrics(ctx, node, &path);
	default:
		return -1;
	}
}

int
gw_cfg_parse(struct gw_cfg_ctx *ctx, yaml_node_t *root)
{
	yaml_node_t *v[GW_TOP_N], *k[GW_TOP_N];
	unsigned int order[GW_TOP_N], n = 0, i, j;

	ctx->cfg->telemetry = true;
	ctx->cfg->uapi = true;
	memcpy(ctx->cfg->cli_socket, GW_CLI_SOCKET_DEFAULT,
	       sizeof(GW_CLI_SOCKET_DEFAULT));
	if (gw_cfg_map(ctx, root, NULL, gw_top_keys, GW_TOP_N, v, k) < 0)
		return -1;

	/* Sections in the order the file has them: the first error is
	 * the first one in the file.
	 */
	for (i = 0; i < GW_TOP_N; i++) {
		if (v[i] == NULL)
			continue;
		for (j = n; j > 0 && k[order[j - 1]]->start_mark.index >
		     k[i]->start_mark.index; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (i = 0; i < n; i++)
		if (gw_parse_section(ctx, order[i], v[order[i]]) < 0)
			return -1;
	return 0;
}
