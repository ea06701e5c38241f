/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <sodium.h>

#include <rte_lcore.h>
#include <rte_rcu_qsbr.h>

#include "gateway.h"
#include "log.h"
#include "reload.h"
#include "reload_memo.h"
#include "telemetry.h"
#include "textbuf.h"
#include "wg_control.h"
#include "wg_uapi_glue.h"
#include "wireguard/peer.h"

/* Appends one line to out (truncated at out_len). */
static void
gw_reload_out(char *out, size_t out_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
gw_reload_out(char *out, size_t out_len, const char *fmt, ...)
{
	size_t used = strnlen(out, out_len);
	va_list ap;

	if (used + 1 >= out_len)
		return;
	va_start(ap, fmt);
	vsnprintf(out + used, out_len - used, fmt, ap);
	va_end(ap);
}

static bool
gw_prefix_eq(const struct gw_prefix *a, const struct gw_prefix *b)
{
	return a->family == b->family && a->len == b->len &&
		memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

static bool
gw_prefixes_eq(const struct gw_prefix *a, unsigned int na,
	       const struct gw_prefix *b, unsigned int nb)
{
	unsigned int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!gw_prefix_eq(&a[i], &b[i]))
			return false;
	return true;
}

static bool
gw_sockaddr_eq(const struct gw_sockaddr *a, const struct gw_sockaddr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 0)
		return true;
	return a->port == b->port &&
		memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

static bool
gw_uints_eq(const unsigned int *a, unsigned int na, const unsigned int *b,
	    unsigned int nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

/*
 * What differs outside the interfaces' private keys and peers: NULL if
 * nothing, else a short description (in buf).
 */
static const char *
gw_reload_restart_needed(const struct gw_config *o, const struct gw_config *n,
			 char *buf, size_t len)
{
	unsigned int i;

	if (o->eal_argc != n->eal_argc)
		return "eal";
	for (i = 0; i < o->eal_argc; i++)
		if (strcmp(o->eal_argv[i], n->eal_argv[i]) != 0)
			return "eal";
	if (o->lcores.set != n->lcores.set ||
	    (o->lcores.set && (o->lcores.control != n->lcores.control ||
	     !gw_uints_eq(o->lcores.io, o->lcores.n_io, n->lcores.io,
			  n->lcores.n_io) ||
	     !gw_uints_eq(o->lcores.crypto, o->lcores.n_crypto,
			  n->lcores.crypto, n->lcores.n_crypto))))
		return "lcores";
	if (o->n_ports != n->n_ports)
		return "ports (their number)";
	for (i = 0; i < o->n_ports; i++) {
		const struct gw_port_cfg *a = &o->ports[i], *b = &n->ports[i];

		if (strcmp(a->name, b->name) != 0 ||
		    strcmp(a->device, b->device) != 0 || a->mtu != b->mtu ||
		    !gw_prefixes_eq(a->addrs, a->n_addrs, b->addrs,
				    b->n_addrs)) {
			snprintf(buf, len, "port %s", a->name);
			return buf;
		}
	}
	if (o->n_routes != n->n_routes)
		return "routes";
	for (i = 0; i < o->n_routes; i++)
		if (!gw_prefix_eq(&o->routes[i].prefix, &n->routes[i].prefix) ||
		    !gw_sockaddr_eq(&o->routes[i].via, &n->routes[i].via))
			return "routes";
	if (o->n_neighbors != n->n_neighbors)
		return "neighbors";
	for (i = 0; i < o->n_neighbors; i++)
		if (!gw_sockaddr_eq(&o->neighbors[i].address,
				    &n->neighbors[i].address) ||
		    memcmp(o->neighbors[i].mac, n->neighbors[i].mac, 6) != 0 ||
		    strcmp(o->neighbors[i].port, n->neighbors[i].port) != 0)
			return "neighbors";
	if (o->n_wg != n->n_wg)
		return "wireguard (the set of interfaces)";
	for (i = 0; i < o->n_wg; i++) {
		const struct gw_wg_cfg *a = &o->wg[i], *b = &n->wg[i];

		if (strcmp(a->name, b->name) != 0)
			return "wireguard (the set of interfaces)";
		if (a->listen_port != b->listen_port || a->mtu != b->mtu ||
		    !gw_prefixes_eq(a->addrs, a->n_addrs, b->addrs,
				    b->n_addrs)) {
			snprintf(buf, len,
				 "wireguard %s (listen_port, mtu or addresses)",
				 a->name);
			return buf;
		}
	}
	if (o->telemetry != n->telemetry)
		return "telemetry";
	if (o->uapi != n->uapi)
		return "uapi";
	if (strcmp(o->cli_socket, n->cli_socket) != 0)
		return "cli_socket";
	if (!gw_sockaddr_eq(&o->metrics, &n->metrics))
		return "metrics";
	return NULL;
}

static int
gw_key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, GW_KEY_LEN);
}

struct gw_reload_keys {
	uint8_t (*keys)[GW_KEY_LEN];
	size_t n;
	size_t cap;
};

static int
gw_reload_collect(void *ctx, struct wg_peer *peer)
{
	struct gw_reload_keys *k = ctx;

	if (k->n == k->cap)
		return -1;
	memcpy(k->keys[k->n++], wg_peer_public_key(peer), GW_KEY_LEN);
	return 0;
}

/* Whether a peer is the same in two memos, endpoint included. */
static bool
gw_reload_peer_same(const struct gw_reload_memo_peer *a,
		    const struct gw_reload_memo_peer *b)
{
	return sodium_memcmp(a->digest, b->digest, sizeof(a->digest)) == 0 &&
		gw_sockaddr_eq(&a->endpoint, &b->endpoint);
}

static void
gw_reload_key(struct gw_text *b, const char *name, const uint8_t *key)
{
	char hex[2 * GW_KEY_LEN + 1];

	sodium_bin2hex(hex, sizeof(hex), key, GW_KEY_LEN);
	gw_text_printf(b, "%s=%s\n", name, hex);
	sodium_memzero(hex, sizeof(hex));
}

static void
gw_reload_peer(struct gw_text *b, const struct gw_peer_cfg *p, bool endpoint)
{
	static const uint8_t zero[GW_KEY_LEN];
	char a[INET6_ADDRSTRLEN];
	unsigned int j;

	gw_reload_key(b, "public_key", p->public_key);
	gw_text_printf(b, "replace_allowed_ips=true\n");
	for (j = 0; j < p->n_allowed_ips; j++) {
		if (inet_ntop(p->allowed_ips[j].family, p->allowed_ips[j].addr,
			      a, sizeof(a)) == NULL)
			continue;
		gw_text_printf(b, "allowed_ip=%s/%u\n", a,
			       p->allowed_ips[j].len);
	}
	if (endpoint && p->endpoint.family != 0 &&
	    inet_ntop(p->endpoint.family, p->endpoint.addr, a,
		      sizeof(a)) != NULL)
		gw_text_printf(b, p->endpoint.family == AF_INET6 ?
			       "endpoint=[%s]:%u\n" : "endpoint=%s:%u\n",
			       a, p->endpoint.port);
	gw_text_printf(b, "persistent_keepalive_interval=%u\n",
		       p->persistent_keepalive);
	gw_reload_key(b, "preshared_key",
		    p->has_preshared_key ? p->preshared_key : zero);
}

/* The answer's errno (0: applied), or -1 if there is none. */
static int
gw_reload_errno(const char *resp)
{
	const char *e = strstr(resp, "errno=");

	if (e == NULL)
		return -1;
	return abs(atoi(e + strlen("errno=")));
}

/*
 * One interface: the set request built, sent, counted. 0 with *memo the
 * memo of n's peers (the caller's), or -1.
 */
static int
gw_reload_iface(struct gw_gateway *gw, unsigned int i,
		const struct gw_wg_cfg *o, const struct gw_wg_cfg *n,
		struct gw_reload_memo **memo, char *out, size_t out_len)
{
	struct wg_device *dev = gw_wg_device(gw, i);
	const struct gw_reload_memo *om = gw->wg[i].memo;
	const struct gw_reload_memo_peer *op;
	struct gw_reload_memo *nm = NULL;
	unsigned int added = 0, removed = 0, changed = 0, unchanged = 0;
	struct gw_reload_keys run = { 0 };
	struct gw_text req = { 0 };
	const struct gw_peer_cfg *p;
	size_t resp_len, k;
	char *resp = NULL;
	bool running;
	unsigned int j;
	int ret = -1, err;

	*memo = NULL;
	if (dev == NULL) {
		gw_reload_out(out, out_len, "reload: %s: no device\n", o->name);
		return -1;
	}
	run.cap = wg_device_peer_count(dev);
	run.keys = calloc(run.cap + 1, GW_KEY_LEN);
	nm = gw_reload_memo_build(n, gw->reload_key);
	if (run.keys == NULL || nm == NULL)
		goto nomem;
	wg_device_foreach_peer(dev, gw_reload_collect, &run);
	qsort(run.keys, run.n, GW_KEY_LEN, gw_key_cmp);

	gw_text_printf(&req, "set=1\n");
	if (sodium_memcmp(o->private_key, n->private_key, GW_KEY_LEN) != 0)
		gw_reload_key(&req, "private_key", n->private_key);
	for (j = 0; j < n->n_peers; j++) {
		p = &n->peers[j];
		running = bsearch(p->public_key, run.keys, run.n, GW_KEY_LEN,
				  gw_key_cmp) != NULL;
		op = gw_reload_memo_find(om, p->public_key);
		if (!running)
			added++;
		else if (op == NULL || !gw_reload_peer_same(op,
				gw_reload_memo_find(nm, p->public_key)))
			changed++;
		else
			unchanged++;
		/* a running peer's endpoint is left alone (roaming) unless
		 * the file changed it */
		gw_reload_peer(&req, p, !running || op == NULL ||
			     !gw_sockaddr_eq(&op->endpoint, &p->endpoint));
	}
	/* the running peers the file lacks */
	for (k = 0; k < run.n; k++) {
		if (gw_reload_memo_find(nm, run.keys[k]) != NULL)
			continue;
		gw_reload_key(&req, "public_key", run.keys[k]);
		gw_text_printf(&req, "remove=true\n");
		removed++;
	}
	gw_text_printf(&req, "\n");
	if (req.failed)
		goto nomem;
	err = gw_uapi_request(gw, i, req.buf, req.len, &resp, &resp_len);
	if (err != 0) {
		gw_reload_out(out, out_len, "reload: %s: %s\n", o->name,
			      strerror(-err));
		goto out;
	}
	err = gw_reload_errno(resp);
	if (err != 0) {
		gw_reload_out(out, out_len,
			      "reload: %s: wg(8) set refused: %s\n", o->name,
			      err > 0 ? strerror(err) : "no answer");
		goto out;
	}
	gw_reload_out(out, out_len,
		      "reload: %s: %u added, %u removed, %u changed, %u unchanged\n",
		      o->name, added, removed, changed, unchanged);
	*memo = nm;
	nm = NULL;
	ret = 0;
	goto out;
nomem:
	gw_reload_out(out, out_len, "reload: %s: %s\n", o->name,
		      strerror(ENOMEM));
out:
	if (resp != NULL) {
		sodium_memzero(resp, resp_len);
		free(resp);
	}
	gw_text_free(&req);
	free(run.keys);
	gw_reload_memo_free(nm);
	return ret;
}

/* Exchanges the private keys of two interface configurations. */
static void
gw_reload_swap_key(struct gw_wg_cfg *a, struct gw_wg_cfg *b)
{
	uint8_t key[GW_KEY_LEN];

	memcpy(key, a->private_key, sizeof(key));
	memcpy(a->private_key, b->private_key, sizeof(key));
	memcpy(b->private_key, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
}

int
gw_reload(struct gw_gateway *gw, char *out, size_t out_len)
{
	/*
	 * gw_gateway_create() keeps the caller's configuration by reference
	 * (main.c's); a reload replaces its contents in place, so that the
	 * caller frees the current one at exit.
	 */
	struct gw_config *cur = (struct gw_config *)(uintptr_t)gw->cfg;
	struct gw_reload_memo *memo[GW_MAX_WG] = { NULL };
	bool applied[GW_MAX_WG] = { false };
	struct gw_config next, old;
	char err[GW_ERR_MAX], buf[128];
	const char *what;
	unsigned int i;
	int ret = 0;

	if (out_len == 0)
		return -1;
	out[0] = '\0';
	memset(&next, 0, sizeof(next));
	if (gw_config_load(cur->path, &next, err) != 0) {
		gw_reload_out(out, out_len, "reload refused: %s\n", err);
		return -1;
	}
	what = gw_reload_restart_needed(cur, &next, buf, sizeof(buf));
	if (what != NULL) {
		gw_reload_out(out, out_len,
			      "reload refused: %s changed: restart to apply\n",
			      what);
		gw_config_free(&next);
		return -1;
	}
	for (i = 0; i < cur->n_wg && i < gw->n_wg; i++) {
		applied[i] = gw_reload_iface(gw, i, &cur->wg[i], &next.wg[i],
					     &memo[i], out, out_len) == 0;
		if (!applied[i])
			ret = -1;
	}
	/*
	 * The interfaces applied, and only they, get the new file's memo,
	 * so that the next reload compares with what runs (endpoints are
	 * rewritten only where the file changed them).
	 */
	for (i = 0; i < cur->n_wg && i < gw->n_wg; i++) {
		if (!applied[i])
			continue;
		gw_reload_memo_free(gw->wg[i].memo);
		gw->wg[i].memo = memo[i];
	}
	for (i = 0; i < next.n_wg; i++)
		gw_config_drop_peers(&next.wg[i]);
	if (ret != 0) {
		/*
		 * The interfaces applied stay applied: their key becomes the
		 * current configuration's too. The data path reads no key.
		 */
		gw_telemetry_lock();
		for (i = 0; i < cur->n_wg && i < gw->n_wg; i++)
			if (applied[i])
				gw_reload_swap_key(&cur->wg[i], &next.wg[i]);
		gw_telemetry_unlock();
		gw_config_free(&next);
		return -1;
	}

	/*
	 * The swap: the data path reads only gw->wg[i].cfg (ICMP source
	 * addresses); it sees the old arrays, equal to the new ones, until
	 * every lcore passed a quiescent state.
	 */
	gw_telemetry_lock();
	old = *cur;
	*cur = next;
	for (i = 0; i < cur->n_wg && i < gw->n_wg; i++)
		__atomic_store_n(&gw->wg[i].cfg, &cur->wg[i], __ATOMIC_RELEASE);
	gw_telemetry_unlock();
	if (rte_lcore_id() != LCORE_ID_ANY && gw->qsbr != NULL)
		rte_rcu_qsbr_synchronize(gw->qsbr, rte_lcore_id());
	gw_config_free(&old);
	return 0;
}

int
gw_reload_setup(struct gw_gateway *gw)
{
	unsigned int i;

	randombytes_buf(gw->reload_key, sizeof(gw->reload_key));
	for (i = 0; i < gw->n_wg; i++) {
		gw->wg[i].memo = gw_reload_memo_build(gw->wg[i].cfg,
						      gw->reload_key);
		if (gw->wg[i].memo == NULL)
			return -1;
	}
	return 0;
}

void
gw_reload_drop_peers(struct gw_gateway *gw)
{
	struct gw_config *cfg = (struct gw_config *)(uintptr_t)gw->cfg;
	unsigned int i;

	gw_telemetry_lock();
	for (i = 0; i < cfg->n_wg; i++)
		gw_config_drop_peers(&cfg->wg[i]);
	gw_telemetry_unlock();
}

void
gw_reload_free(struct gw_gateway *gw)
{
	unsigned int i;

	for (i = 0; i < GW_MAX_WG; i++) {
		gw_reload_memo_free(gw->wg[i].memo);
		gw->wg[i].memo = NULL;
	}
	sodium_memzero(gw->reload_key, sizeof(gw->reload_key));
}

void
gw_reload_log(struct gw_gateway *gw)
{
	char out[2048], *line, *save = NULL;
	int ret;

	ret = gw_reload(gw, out, sizeof(out));
	for (line = strtok_r(out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (ret == 0)
			GW_LOG(NOTICE, "%s", line);
		else
			GW_LOG(ERR, "%s", line);
	}
}
