/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sodium.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "cli.h"
#include "gateway.h"
#include "log.h"
#include "reload.h"
#include "stats.h"
#include "wg_control.h"
#include "wg_uapi_glue.h"

#define GW_B64_KEY_LEN	sodium_base64_ENCODED_LEN(GW_KEY_LEN, \
			sodium_base64_VARIANT_ORIGINAL)

/*
 * A socket connection: lines in, answers out, no prompt, no echo. The
 * commands write into a memfd (cmdline_printf() writes to a file
 * descriptor and cannot wait), which is sent on without blocking as the
 * client reads; no more input is read while an answer waits, so a client
 * that stops reading costs memory for one answer, never the control
 * lcore's time.
 */
struct gw_cli_conn {
	struct cmdline *cl;
	int fd;				/* the socket; -1: free slot */
	int out;			/* memfd: the answers not sent yet */
	off_t sent;			/* bytes of out sent */
	bool eof;			/* the client sent everything */
	size_t len;
	bool overlong;			/* discarding up to the next \n */
	char line[GW_CLI_LINE_MAX + 2];
};

struct gw_cli {
	struct gw_gateway *gw;
	int lfd;			/* -1: no socket */
	char path[GW_CLI_SOCKET_MAX];
	dev_t dev;			/* the socket file we created */
	ino_t ino;
	struct cmdline *in;		/* interactive, or NULL */
	struct gw_cli_conn conns[GW_CLI_MAX_CONN];
	uint64_t interval_tsc;
	uint64_t next_tsc;
};

/* The gateway the commands act on (one per process). */
static struct gw_gateway *gw_cli_gw;

static void
gw_cli_key_b64(const uint8_t *key, char b64[GW_B64_KEY_LEN])
{
	sodium_bin2base64(b64, GW_B64_KEY_LEN, key, GW_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

/* Interface index by name, or -1 (with the error printed). */
static int
gw_cli_iface(struct cmdline *cl, const char *name)
{
	unsigned int i;

	for (i = 0; i < gw_cli_gw->n_wg; i++)
		if (strcmp(gw_cli_gw->wg[i].name, name) == 0)
			return (int)i;
	cmdline_printf(cl, "error: no wireguard interface '%s'\n", name);
	return -1;
}

/* Sends a wg(8) request; the answer's errno (0), or -1 with it printed. */
static int
gw_cli_uapi_set(struct cmdline *cl, unsigned int iface, const char *req,
		size_t len)
{
	size_t resp_len;
	char *resp, *e;
	int ret, err;

	ret = gw_uapi_request(gw_cli_gw, iface, req, len, &resp, &resp_len);
	if (ret != 0) {
		cmdline_printf(cl, "error: %s\n", strerror(-ret));
		return -1;
	}
	e = strstr(resp, "errno=");
	err = e != NULL ? abs(atoi(e + 6)) : EPROTO;
	sodium_memzero(resp, resp_len);
	free(resp);
	if (err != 0) {
		cmdline_printf(cl, "error: refused: %s\n", strerror(err));
		return -1;
	}
	return 0;
}

/* ---- show ---- */

struct gw_cli_show_res {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
gw_cli_show_ports(struct cmdline *cl)
{
	struct gw_gateway *gw = gw_cli_gw;
	struct rte_eth_stats es;
	size_t len = 0;
	char *buf = NULL;
	FILE *f;
	uint16_t p;

	for (p = 0; p < gw->n_ports; p++) {
		f = open_memstream(&buf, &len);
		if (f == NULL) {
			cmdline_printf(cl, "error: %s\n", strerror(errno));
			return;
		}
		gw_port_print(&gw->ports[p], f);
		fclose(f);
		cmdline_printf(cl, "%s", buf);
		free(buf);
		buf = NULL;
		if (rte_eth_stats_get(gw->ports[p].port_id, &es) != 0)
			continue;
		cmdline_printf(cl, "  rx %" PRIu64 " packets %" PRIu64
			" bytes %" PRIu64 " errors %" PRIu64 " missed %" PRIu64
			" no-mbuf\n  tx %" PRIu64 " packets %" PRIu64
			" bytes %" PRIu64 " errors\n",
			es.ipackets, es.ibytes, es.ierrors, es.imissed,
			es.rx_nombuf, es.opackets, es.obytes, es.oerrors);
	}
}

static void
gw_cli_show_stats(struct cmdline *cl)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (f == NULL) {
		cmdline_printf(cl, "error: %s\n", strerror(errno));
		return;
	}
	gw_gateway_print_stats(gw_cli_gw, f);
	fclose(f);
	cmdline_printf(cl, "%s", buf);
	free(buf);
}

static void
gw_cli_show_lcores(struct cmdline *cl)
{
	const struct gw_gateway *gw = gw_cli_gw;
	const struct gw_lcore *lc;
	unsigned int id;

	cmdline_printf(cl, "%-6s %-24s %14s %14s %14s %14s\n", "lcore",
		       "roles", "busy-polls", "idle-polls", "rx-packets",
		       "tx-packets");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		char roles[32];

		lc = gw->lcores[id];
		if (lc == NULL)
			continue;
		snprintf(roles, sizeof(roles), "%s%s%s",
			 lc->roles & GW_ROLE_CONTROL ? "control," : "",
			 lc->roles & GW_ROLE_IO ? "io," : "",
			 lc->roles & GW_ROLE_CRYPTO ? "crypto," : "");
		if (roles[0] != '\0')
			roles[strlen(roles) - 1] = '\0';
		cmdline_printf(cl, "%-6u %-24s %14" PRIu64 " %14" PRIu64
			       " %14" PRIu64 " %14" PRIu64 "\n", id, roles,
			       __atomic_load_n(&lc->stats.polls_busy,
					       __ATOMIC_RELAXED),
			       __atomic_load_n(&lc->stats.polls_idle,
					       __ATOMIC_RELAXED),
			       __atomic_load_n(&lc->stats.rx_pkts,
					       __ATOMIC_RELAXED),
			       __atomic_load_n(&lc->stats.tx_pkts,
					       __ATOMIC_RELAXED));
	}
}

/* One peer as the wg(8) get answer gives it. */
struct gw_cli_peer {
	uint8_t key[GW_KEY_LEN];
	bool psk;
	char endpoint[64];
	char aips[1024];
	bool aips_cut;
	uint64_t hs_sec;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	unsigned int keepalive;
};

static void
gw_cli_peer_print(struct cmdline *cl, const struct gw_cli_peer *p,
		  const char *iface, bool detail)
{
	char b64[GW_B64_KEY_LEN], hs[32];
	time_t now = time(NULL);

	gw_cli_key_b64(p->key, b64);
	if (p->hs_sec == 0)
		snprintf(hs, sizeof(hs), "never");
	else
		snprintf(hs, sizeof(hs), "%" PRId64 "s-ago",
			 (int64_t)now - (int64_t)p->hs_sec);
	if (!detail) {
		cmdline_printf(cl, "  peer %s endpoint %s allowed-ips %s%s"
			       " handshake %s rx-bytes %" PRIu64
			       " tx-bytes %" PRIu64 "\n", b64,
			       p->endpoint[0] ? p->endpoint : "(none)",
			       p->aips[0] ? p->aips : "(none)",
			       p->aips_cut ? ",..." : "", hs, p->rx_bytes,
			       p->tx_bytes);
		return;
	}
	cmdline_printf(cl, "peer: %s\n  interface: %s\n", b64, iface);
	/* like wg(8): never the key itself */
	cmdline_printf(cl, "  preshared key: %s\n",
		       p->psk ? "(hidden)" : "(none)");
	cmdline_printf(cl, "  endpoint: %s\n",
		       p->endpoint[0] ? p->endpoint : "(none)");
	cmdline_printf(cl, "  allowed ips: %s%s\n",
		       p->aips[0] ? p->aips : "(none)",
		       p->aips_cut ? ",..." : "");
	if (p->hs_sec == 0)
		cmdline_printf(cl, "  latest handshake: never\n");
	else
		cmdline_printf(cl, "  latest handshake: %" PRId64
			       " second%s ago\n",
			       (int64_t)now - (int64_t)p->hs_sec,
			       (int64_t)now - (int64_t)p->hs_sec == 1 ? "" : "s");
	cmdline_printf(cl, "  transfer: %" PRIu64 " B received, %" PRIu64
		       " B sent\n", p->rx_bytes, p->tx_bytes);
	if (p->keepalive != 0)
		cmdline_printf(cl, "  persistent keepalive: every %u seconds\n",
			       p->keepalive);
	else
		cmdline_printf(cl, "  persistent keepalive: off\n");
}

/*
 * The peers of interface i, one line each, or only the one with key
 * (detail). Returns how many were printed, -1 on error (printed).
 */
static int
gw_cli_peers(struct cmdline *cl, unsigned int i, const uint8_t *key)
{
	static const char zero_hex[2 * GW_KEY_LEN + 1] =
		"0000000000000000000000000000000000000000000000000000000000000000";
	const char *iface = gw_cli_gw->wg[i].name;
	struct gw_cli_peer p;
	char *resp, *line, *save = NULL, *v;
	bool have = false;
	size_t resp_len, n;
	int ret, shown = 0;

	ret = gw_uapi_request(gw_cli_gw, i, "get=1\n\n", 7, &resp, &resp_len);
	if (ret != 0) {
		cmdline_printf(cl, "error: %s: %s\n", iface, strerror(-ret));
		return -1;
	}
	memset(&p, 0, sizeof(p));
	for (line = strtok_r(resp, "\n", &save); ; line = strtok_r(NULL, "\n",
								    &save)) {
		if (line == NULL || strncmp(line, "public_key=", 11) == 0) {
			if (have && (key == NULL ||
				     memcmp(key, p.key, GW_KEY_LEN) == 0)) {
				gw_cli_peer_print(cl, &p, iface, key != NULL);
				shown++;
			}
			if (line == NULL)
				break;
			memset(&p, 0, sizeof(p));
			have = sodium_hex2bin(p.key, sizeof(p.key), line + 11,
					      strlen(line + 11), NULL, NULL,
					      NULL) == 0;
			continue;
		}
		if (!have)
			continue;	/* interface keys: private_key, ... */
		v = strchr(line, '=');
		if (v == NULL)
			continue;
		v++;
		if (strncmp(line, "preshared_key=", 14) == 0) {
			p.psk = strcmp(v, zero_hex) != 0;
		} else if (strncmp(line, "endpoint=", 9) == 0) {
			snprintf(p.endpoint, sizeof(p.endpoint), "%s", v);
		} else if (strncmp(line, "allowed_ip=", 11) == 0) {
			n = strlen(p.aips);
			if (n + strlen(v) + 2 > sizeof(p.aips))
				p.aips_cut = true;
			else
				snprintf(p.aips + n, sizeof(p.aips) - n, "%s%s",
					 n ? "," : "", v);
		} else if (strncmp(line, "last_handshake_time_sec=", 24) == 0) {
			p.hs_sec = strtoull(v, NULL, 10);
		} else if (strncmp(line, "rx_bytes=", 9) == 0) {
			p.rx_bytes = strtoull(v, NULL, 10);
		} else if (strncmp(line, "tx_bytes=", 9) == 0) {
			p.tx_bytes = strtoull(v, NULL, 10);
		} else if (strncmp(line, "persistent_keepalive_interval=",
				   30) == 0) {
			p.keepalive = (unsigned int)strtoul(v, NULL, 10);
		}
	}
	/* the answer holds the private key */
	sodium_memzero(resp, resp_len);
	free(resp);
	return shown;
}

static void
gw_cli_show_peers(struct cmdline *cl)
{
	char b64[GW_B64_KEY_LEN];
	struct wg_device *dev;
	uint8_t pub[GW_KEY_LEN];
	unsigned int i;

	for (i = 0; i < gw_cli_gw->n_wg; i++) {
		dev = gw_wg_device(gw_cli_gw, i);
		if (dev == NULL)
			continue;
		if (wg_device_get_public_key(dev, pub))
			gw_cli_key_b64(pub, b64);
		else
			snprintf(b64, sizeof(b64), "(none)");
		cmdline_printf(cl, "interface %s: public key %s listen port %u"
			       " peers %zu\n", gw_cli_gw->wg[i].name, b64,
			       gw_cli_gw->wg[i].listen_port,
			       wg_device_peer_count(dev));
		gw_cli_peers(cl, i, NULL);
	}
}

static void
gw_cli_show(void *res, struct cmdline *cl, __rte_unused void *data)
{
	const struct gw_cli_show_res *r = res;

	if (strcmp(r->what, "ports") == 0)
		gw_cli_show_ports(cl);
	else if (strcmp(r->what, "peers") == 0)
		gw_cli_show_peers(cl);
	else if (strcmp(r->what, "stats") == 0)
		gw_cli_show_stats(cl);
	else
		gw_cli_show_lcores(cl);
}

static cmdline_parse_token_string_t gw_cli_show_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_show_res, show, "show");
static cmdline_parse_token_string_t gw_cli_show_t1 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_show_res, what,
				 "ports#peers#stats#lcores");

static cmdline_parse_inst_t gw_cli_cmd_show = {
	.f = gw_cli_show,
	.help_str = "show ports|peers|stats|lcores",
	.tokens = {
		(void *)&gw_cli_show_t0,
		(void *)&gw_cli_show_t1,
		NULL,
	},
};

/* ---- show peer KEY ---- */

struct gw_cli_show_peer_res {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t peer;
	cmdline_fixed_string_t key;
};

static void
gw_cli_show_peer(void *res, struct cmdline *cl, __rte_unused void *data)
{
	const struct gw_cli_show_peer_res *r = res;
	uint8_t key[GW_KEY_LEN];
	unsigned int i;
	int n = 0, ret;

	if (gw_parse_key_base64(r->key, key) != 0) {
		cmdline_printf(cl, "error: invalid public key (base64 of 32 bytes)\n");
		return;
	}
	for (i = 0; i < gw_cli_gw->n_wg; i++) {
		ret = gw_cli_peers(cl, i, key);
		if (ret > 0)
			n += ret;
	}
	if (n == 0)
		cmdline_printf(cl, "error: no peer %s\n", r->key);
}

static cmdline_parse_token_string_t gw_cli_show_peer_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_show_peer_res, show, "show");
static cmdline_parse_token_string_t gw_cli_show_peer_t1 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_show_peer_res, peer, "peer");
static cmdline_parse_token_string_t gw_cli_show_peer_t2 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_show_peer_res, key, NULL);

static cmdline_parse_inst_t gw_cli_cmd_show_peer = {
	.f = gw_cli_show_peer,
	.help_str = "show peer PUBLIC-KEY",
	.tokens = {
		(void *)&gw_cli_show_peer_t0,
		(void *)&gw_cli_show_peer_t1,
		(void *)&gw_cli_show_peer_t2,
		NULL,
	},
};

/* ---- peer add / peer remove ---- */

struct gw_cli_peer_res {
	cmdline_fixed_string_t peer;
	cmdline_fixed_string_t op;
	cmdline_fixed_string_t iface;
	cmdline_fixed_string_t key;
	cmdline_multi_string_t opts;
};

/*
 * Options of `peer add` into a set request for the peer key (hex).
 * 0, or -1 with the error printed.
 */
static int
gw_cli_add_request(struct cmdline *cl, char *opts, const char *hex,
		   char *req, size_t len)
{
	char *w, *v, *save = NULL, *a, *asave = NULL, buf[64];
	struct gw_sockaddr ep;
	struct gw_prefix pfx;
	unsigned long ka;
	size_t n;
	char *end;

	n = (size_t)snprintf(req, len, "set=1\npublic_key=%s\n", hex);
	for (w = opts != NULL ? strtok_r(opts, " \t", &save) : NULL; w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		v = strtok_r(NULL, " \t", &save);
		if (v == NULL) {
			cmdline_printf(cl, "error: '%s' wants a value\n", w);
			return -1;
		}
		if (strcmp(w, "allowed-ips") == 0) {
			for (a = strtok_r(v, ",", &asave); a != NULL;
			     a = strtok_r(NULL, ",", &asave)) {
				if (gw_parse_prefix(a, &pfx) != 0) {
					cmdline_printf(cl, "error: invalid allowed IP '%s' (ADDRESS/LENGTH)\n",
						       a);
					return -1;
				}
				if (inet_ntop(pfx.family, pfx.addr, buf,
					      sizeof(buf)) == NULL)
					return -1;
				n += (size_t)snprintf(req + n, n < len ?
						      len - n : 0,
						      "allowed_ip=%s/%u\n",
						      buf, pfx.len);
			}
		} else if (strcmp(w, "endpoint") == 0) {
			if (gw_parse_sockaddr(v, &ep) != 0 ||
			    inet_ntop(ep.family, ep.addr, buf,
				      sizeof(buf)) == NULL) {
				cmdline_printf(cl, "error: invalid endpoint '%s' (IP:PORT or [IP6]:PORT)\n",
					       v);
				return -1;
			}
			n += (size_t)snprintf(req + n, n < len ? len - n : 0,
					      ep.family == AF_INET6 ?
					      "endpoint=[%s]:%u\n" :
					      "endpoint=%s:%u\n", buf, ep.port);
		} else if (strcmp(w, "keepalive") == 0) {
			errno = 0;
			ka = strtoul(v, &end, 10);
			if (errno != 0 || *end != '\0' || v[0] == '-' ||
			    ka > 65535) {
				cmdline_printf(cl, "error: invalid keepalive '%s' (0..65535 seconds)\n",
					       v);
				return -1;
			}
			n += (size_t)snprintf(req + n, n < len ? len - n : 0,
				"persistent_keepalive_interval=%lu\n", ka);
		} else {
			cmdline_printf(cl, "error: unknown option '%s' (allowed-ips, endpoint, keepalive)\n",
				       w);
			return -1;
		}
		if (n + 2 >= len) {
			cmdline_printf(cl, "error: too many options\n");
			return -1;
		}
	}
	n += (size_t)snprintf(req + n, len - n, "\n");
	return n < len ? 0 : -1;
}

static void
gw_cli_peer(void *res, struct cmdline *cl, void *data)
{
	struct gw_cli_peer_res *r = res;
	bool add = strcmp(r->op, "add") == 0;
	char hex[2 * GW_KEY_LEN + 1], req[GW_CLI_LINE_MAX * 2];
	uint8_t key[GW_KEY_LEN], pub[GW_KEY_LEN];
	struct wg_device *dev;
	bool exists;
	int i;

	i = gw_cli_iface(cl, r->iface);
	if (i < 0)
		return;
	if (gw_parse_key_base64(r->key, key) != 0) {
		cmdline_printf(cl, "error: invalid public key (base64 of 32 bytes)\n");
		return;
	}
	dev = gw_wg_device(gw_cli_gw, (unsigned int)i);
	if (dev == NULL) {
		cmdline_printf(cl, "error: %s has no device\n", r->iface);
		return;
	}
	exists = wg_device_lookup_peer(dev, key) != NULL;
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	if (!add) {
		if (data != NULL) {
			cmdline_printf(cl, "error: peer remove takes no options\n");
			return;
		}
		if (!exists) {
			cmdline_printf(cl, "error: %s has no peer %s\n",
				       r->iface, r->key);
			return;
		}
		snprintf(req, sizeof(req), "set=1\npublic_key=%s\nremove=true\n\n",
			 hex);
	} else {
		if (exists) {
			cmdline_printf(cl, "error: %s already has peer %s\n",
				       r->iface, r->key);
			return;
		}
		if (wg_device_get_public_key(dev, pub) &&
		    memcmp(pub, key, sizeof(key)) == 0) {
			cmdline_printf(cl, "error: that is %s's own public key\n",
				       r->iface);
			return;
		}
		if (gw_cli_add_request(cl, data != NULL ? r->opts : NULL, hex,
				       req, sizeof(req)) != 0)
			return;
	}
	if (gw_cli_uapi_set(cl, (unsigned int)i, req, strlen(req)) != 0)
		return;
	cmdline_printf(cl, "%s: peer %s %s\n", r->iface, r->key,
		       add ? "added" : "removed");
}

static cmdline_parse_token_string_t gw_cli_peer_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_peer_res, peer, "peer");
static cmdline_parse_token_string_t gw_cli_peer_t1 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_peer_res, op, "add#remove");
static cmdline_parse_token_string_t gw_cli_peer_t2 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_peer_res, iface, NULL);
static cmdline_parse_token_string_t gw_cli_peer_t3 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_peer_res, key, NULL);
static cmdline_parse_token_string_t gw_cli_peer_t4 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_peer_res, opts,
				 TOKEN_STRING_MULTI);

/* data: non-NULL when options follow */
static cmdline_parse_inst_t gw_cli_cmd_peer = {
	.f = gw_cli_peer,
	.help_str = "peer add|remove IFACE PUBLIC-KEY",
	.tokens = {
		(void *)&gw_cli_peer_t0,
		(void *)&gw_cli_peer_t1,
		(void *)&gw_cli_peer_t2,
		(void *)&gw_cli_peer_t3,
		NULL,
	},
};

static cmdline_parse_inst_t gw_cli_cmd_peer_opts = {
	.f = gw_cli_peer,
	.data = (void *)1,
	.help_str = "peer add IFACE PUBLIC-KEY [allowed-ips A/L,...] "
		"[endpoint IP:PORT] [keepalive SECONDS]",
	.tokens = {
		(void *)&gw_cli_peer_t0,
		(void *)&gw_cli_peer_t1,
		(void *)&gw_cli_peer_t2,
		(void *)&gw_cli_peer_t3,
		(void *)&gw_cli_peer_t4,
		NULL,
	},
};

/* ---- reload, quit, help ---- */

struct gw_cli_word_res {
	cmdline_fixed_string_t word;
};

static void
gw_cli_reload(__rte_unused void *res, struct cmdline *cl,
	      __rte_unused void *data)
{
	char out[2048], *line, *save = NULL;
	int ret;

	ret = gw_reload(gw_cli_gw, out, sizeof(out));
	for (line = strtok_r(out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		cmdline_printf(cl, "%s%s\n", ret != 0 ? "error: " : "", line);
		if (ret == 0)
			GW_LOG(NOTICE, "%s", line);
		else
			GW_LOG(ERR, "%s", line);
	}
}

static void
gw_cli_quit(__rte_unused void *res, struct cmdline *cl,
	    __rte_unused void *data)
{
	cmdline_printf(cl, "stopping the gateway\n");
	cmdline_quit(cl);	/* no new prompt */
	gw_gateway_stop(gw_cli_gw);
}

static void gw_cli_help(void *res, struct cmdline *cl, void *data);

static cmdline_parse_token_string_t gw_cli_reload_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_word_res, word, "reload");
static cmdline_parse_token_string_t gw_cli_quit_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_word_res, word, "quit");
static cmdline_parse_token_string_t gw_cli_help_t0 =
	TOKEN_STRING_INITIALIZER(struct gw_cli_word_res, word, "help");

static cmdline_parse_inst_t gw_cli_cmd_reload = {
	.f = gw_cli_reload,
	.help_str = "reload: re-read the configuration file (peers, keys)",
	.tokens = { (void *)&gw_cli_reload_t0, NULL },
};

static cmdline_parse_inst_t gw_cli_cmd_quit = {
	.f = gw_cli_quit,
	.help_str = "quit: stop the gateway",
	.tokens = { (void *)&gw_cli_quit_t0, NULL },
};

static cmdline_parse_inst_t gw_cli_cmd_help = {
	.f = gw_cli_help,
	.help_str = "help: this list",
	.tokens = { (void *)&gw_cli_help_t0, NULL },
};

static cmdline_parse_ctx_t gw_cli_ctx[] = {
	&gw_cli_cmd_show,
	&gw_cli_cmd_show_peer,
	&gw_cli_cmd_peer,
	&gw_cli_cmd_peer_opts,
	&gw_cli_cmd_reload,
	&gw_cli_cmd_quit,
	&gw_cli_cmd_help,
	NULL,
};

static void
gw_cli_help(__rte_unused void *res, struct cmdline *cl,
	    __rte_unused void *data)
{
	cmdline_printf(cl,
		"show ports              ports: device, MAC, addresses, link, counters\n"
		"show peers              WireGuard peers, one line each\n"
		"show peer KEY           one peer in full (never its preshared key)\n"
		"show stats              counters per lcore and in total, drops by reason\n"
		"show lcores             lcores: roles, busy/idle polls, rx/tx packets\n"
		"peer add IFACE KEY [allowed-ips A/L,...] [endpoint IP:PORT] [keepalive S]\n"
		"peer remove IFACE KEY\n"
		"reload                  re-read the configuration file (peers, keys)\n"
		"quit                    stop the gateway\n"
		"help                    this list\n");
}

/* ---- sessions ---- */

static void
gw_cli_conn_close(struct gw_cli_conn *c)
{
	/* cmdline_free() closes its input and output descriptors */
	if (c->cl != NULL) {
		cmdline_free(c->cl);
	} else {
		if (c->fd >= 0)
			close(c->fd);
		if (c->out >= 0)
			close(c->out);
	}
	c->cl = NULL;
	c->fd = -1;
	c->out = -1;
	c->sent = 0;
	c->eof = false;
	c->len = 0;
	c->overlong = false;
}

/* Bytes of answer waiting in c->out. */
static off_t
gw_cli_conn_pending(const struct gw_cli_conn *c)
{
	off_t end = lseek(c->out, 0, SEEK_CUR);

	return end > c->sent ? end - c->sent : 0;
}

/* Sends what the client can take now. false: the client is gone. */
static bool
gw_cli_conn_flush(struct gw_cli_conn *c)
{
	char buf[16384];
	ssize_t n, w;

	while (gw_cli_conn_pending(c) > 0) {
		n = pread(c->out, buf, sizeof(buf), c->sent);
		if (n <= 0)
			return false;
		w = send(c->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
				errno == EINTR;
		c->sent += w;
		if (w < n)
			return true;
	}
	/* all sent: the memfd starts over */
	if (c->sent != 0) {
		if (ftruncate(c->out, 0) != 0 ||
		    lseek(c->out, 0, SEEK_SET) != 0)
			return false;
		c->sent = 0;
	}
	return true;
}

static void
gw_cli_run_line(struct cmdline *cl, char *line, size_t len)
{
	char *s = line;
	int ret;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
			   line[len - 1] == '\t'))
		len--;
	line[len] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return;
	line[len] = '\n';
	line[len + 1] = '\0';
	ret = cmdline_parse(cl, s);
	if (ret == CMDLINE_PARSE_AMBIGUOUS)
		cmdline_printf(cl, "error: ambiguous command\n");
	else if (ret == CMDLINE_PARSE_NOMATCH)
		cmdline_printf(cl, "error: unknown command (try help)\n");
	else if (ret == CMDLINE_PARSE_BAD_ARGS)
		cmdline_printf(cl, "error: bad arguments (try help)\n");
}

/* Reads what a connection sent, runs its complete lines. false: close. */
static bool
gw_cli_conn_read(struct gw_cli_conn *c)
{
	char buf[512];
	ssize_t n, i;

	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
			errno == EINTR;
	if (n == 0) {
		/* a last line without \n */
		if (c->len > 0 && !c->overlong)
			gw_cli_run_line(c->cl, c->line, c->len);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (!c->overlong)
				gw_cli_run_line(c->cl, c->line, c->len);
			c->len = 0;
			c->overlong = false;
			if (gw_gateway_quitting(gw_cli_gw))
				return false;
			continue;
		}
		if (c->overlong)
			continue;
		if (c->len == GW_CLI_LINE_MAX) {
			cmdline_printf(c->cl, "error: line longer than %u bytes\n",
				       GW_CLI_LINE_MAX);
			c->overlong = true;
			continue;
		}
		c->line[c->len++] = buf[i];
	}
	return true;
}

static void
gw_cli_accept(struct gw_cli *cli)
{
	static const char busy[] = "error: too many connections\n";
	struct gw_cli_conn *c = NULL;
	unsigned int i;
	int fd;

	fd = accept4(cli->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	for (i = 0; i < GW_CLI_MAX_CONN; i++)
		if (cli->conns[i].fd < 0) {
			c = &cli->conns[i];
			break;
		}
	if (c == NULL) {
		if (send(fd, busy, sizeof(busy) - 1,
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			GW_LOG(DEBUG, "cli: %s", strerror(errno));
		close(fd);
		return;
	}
	c->out = memfd_create("dpdk-wg-cli", MFD_CLOEXEC);
	if (c->out < 0) {
		GW_LOG(ERR, "cli: memfd: %s", strerror(errno));
		close(fd);
		return;
	}
	c->cl = cmdline_new(gw_cli_ctx, "", fd, c->out);
	if (c->cl == NULL) {
		close(c->out);
		c->out = -1;
		close(fd);
		return;
	}
	c->fd = fd;
	c->sent = 0;
	c->eof = false;
	c->len = 0;
	c->overlong = false;
}

unsigned int
gw_cli_poll(struct gw_gateway *gw)
{
	struct gw_cli *cli = gw->cli;
	struct pollfd pfd[GW_CLI_MAX_CONN + 2];
	int idx[GW_CLI_MAX_CONN + 2];
	struct gw_cli_conn *c;
	unsigned int n = 0, i, work = 0;
	char buf[256];
	uint64_t now;
	ssize_t len;

	if (cli == NULL)
		return 0;
	now = rte_get_tsc_cycles();
	if (now < cli->next_tsc)
		return 0;
	cli->next_tsc = now + cli->interval_tsc;
	if (cli->lfd >= 0) {
		pfd[n].fd = cli->lfd;
		pfd[n].events = POLLIN;
		idx[n++] = -1;
	}
	if (cli->in != NULL) {
		pfd[n].fd = STDIN_FILENO;
		pfd[n].events = POLLIN;
		idx[n++] = -2;
	}
	for (i = 0; i < GW_CLI_MAX_CONN; i++) {
		if (cli->conns[i].fd < 0)
			continue;
		pfd[n].fd = cli->conns[i].fd;
		/* an answer waiting: no more input until it is sent */
		pfd[n].events = gw_cli_conn_pending(&cli->conns[i]) > 0 ?
			POLLOUT : POLLIN;
		idx[n++] = (int)i;
	}
	/*
	 * One poll(2) for everything, then whole reads: cmdline_poll() takes
	 * one byte per call and cannot tell EOF from input.
	 */
	if (n == 0 || poll(pfd, n, 0) <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		work++;
		if (idx[i] == -1) {
			gw_cli_accept(cli);
		} else if (idx[i] == -2) {
			len = read(STDIN_FILENO, buf, sizeof(buf));
			if (len < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			/* EOF, Ctrl-D on an empty line: stop */
			if (len <= 0 || cmdline_in(cli->in, buf, (int)len) < 0) {
				cmdline_printf(cli->in, "\n");
				gw_gateway_stop(gw);
			}
		} else {
			c = &cli->conns[idx[i]];
			if (pfd[i].events & POLLIN) {
				if (!gw_cli_conn_read(c))
					c->eof = true;
			}
			if (!gw_cli_conn_flush(c) ||
			    (c->eof && gw_cli_conn_pending(c) == 0))
				gw_cli_conn_close(c);
		}
	}
	return work;
}

static struct gw_cli *
gw_cli_get(struct gw_gateway *gw)
{
	struct gw_cli *cli = gw->cli;
	unsigned int i;

	if (cli != NULL)
		return cli;
	cli = calloc(1, sizeof(*cli));
	if (cli == NULL)
		return NULL;
	cli->gw = gw;
	cli->lfd = -1;
	for (i = 0; i < GW_CLI_MAX_CONN; i++) {
		cli->conns[i].fd = -1;
		cli->conns[i].out = -1;
	}
	cli->interval_tsc = gw->tsc_hz * GW_CLI_POLL_US / 1000000;
	gw->cli = cli;
	gw_cli_gw = gw;
	return cli;
}

/*
 * Someone answers on path: another gateway. ECONNREFUSED (a stale socket
 * file) is not someone.
 */
static bool
gw_cli_live(const struct sockaddr_un *sun)
{
	bool live;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
		(errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return live;
}

int
gw_cli_start(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	const char *path = gw->cfg->cli_socket;
	struct sockaddr_un sun;
	struct gw_cli *cli;
	char dir[GW_CLI_SOCKET_MAX], *slash;
	struct stat st;
	mode_t old_mask;
	int fd, ret;

	if (path[0] == '\0')
		return 0;
	cli = gw_cli_get(gw);
	if (cli == NULL) {
		snprintf(err, GW_ERR_MAX, "cli_socket: %s", strerror(ENOMEM));
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, GW_ERR_MAX, "cli_socket %s: path too long", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, GW_ERR_MAX,
				 "cli_socket %s: exists and is no socket", path);
			return -1;
		}
		if (gw_cli_live(&sun)) {
			GW_LOG(NOTICE, "cli_socket %s: another process answers on it: running without the CLI socket",
			       path);
			return 0;
		}
		unlink(path);	/* stale: its gateway is gone */
	}
	/* the parent directory, if missing, private to us */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, GW_ERR_MAX, "cli_socket %s: %s: %s",
				 path, dir, strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, GW_ERR_MAX, "cli_socket: %s", strerror(errno));
		return -1;
	}
	old_mask = umask(0177);	/* 0600 */
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (ret != 0 && errno == EADDRINUSE) {
		/* another gateway won the race for the path */
		GW_LOG(NOTICE, "cli_socket %s: in use: running without the CLI socket",
		       path);
		close(fd);
		return 0;
	}
	if (ret != 0 || listen(fd, GW_CLI_MAX_CONN) != 0 ||
	    stat(path, &st) != 0) {
		snprintf(err, GW_ERR_MAX, "cli_socket %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	cli->lfd = fd;
	cli->dev = st.st_dev;
	cli->ino = st.st_ino;
	snprintf(cli->path, sizeof(cli->path), "%s", path);
	GW_LOG(INFO, "cli socket %s", path);
	return 0;
}

int
gw_cli_stdin(struct gw_gateway *gw)
{
	struct gw_cli *cli = gw_cli_get(gw);

	if (cli == NULL)
		return -1;
	if (cli->in != NULL)
		return 0;
	cli->in = cmdline_stdin_new(gw_cli_ctx, GW_CLI_PROMPT);
	return cli->in != NULL ? 0 : -1;
}

void
gw_cli_stop(struct gw_gateway *gw)
{
	struct gw_cli *cli = gw->cli;
	struct stat st;
	unsigned int i;

	if (cli == NULL)
		return;
	for (i = 0; i < GW_CLI_MAX_CONN; i++)
		if (cli->conns[i].fd >= 0)
			gw_cli_conn_close(&cli->conns[i]);
	if (cli->lfd >= 0) {
		close(cli->lfd);
		/* only our own socket: another gateway may have taken over */
		if (stat(cli->path, &st) == 0 && st.st_dev == cli->dev &&
		    st.st_ino == cli->ino)
			unlink(cli->path);
	}
	if (cli->in != NULL)
		cmdline_stdin_exit(cli->in);	/* the terminal restored */
	gw->cli = NULL;
	gw_cli_gw = NULL;
	free(cli);
}
