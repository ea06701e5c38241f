/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The wg(8) configuration protocol (lib/uapi) on a real wg_device:
 * set/get round trips, every malformed request refused with its errno and
 * no change (a full get compared before and after), replace_peers,
 * replace_allowed_ips, update_only, remove, the change notification and
 * its route deltas, streaming (byte by byte, pipelined), the limits, a
 * large request, and the UNIX socket server (stale and live sockets,
 * permissions, stuck clients, deadlines).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "crypto/primitives.h"
#include "uapi/uapi.h"
#include "uapi/uapi_server.h"
#include "wireguard/device.h"

/* ---- fixture -------------------------------------------------------- */

#define MAX_EVENTS	64
#define ZERO_PSK_LINE	"preshared_key=" \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_ROUTES	64

struct fixture {
	struct wg_device *dev;
	struct wg_uapi *u;
	uint64_t now;
	uint16_t port;			/* the "bound" port */
	int port_fail;			/* errno the port hook returns */
	uint16_t refused_port;		/* port that fails with port_fail */
	unsigned int port_calls;
	unsigned int udp_sent;
	/* last notification */
	unsigned int n_changes;
	unsigned int iface;
	struct wg_uapi_peer_event events[MAX_EVENTS];
	size_t n_events;
	struct wg_uapi_route_delta routes[MAX_ROUTES];
	size_t n_routes;
	bool routes_complete;
	uint32_t max_peers;		/* the driver's room (0: no hook answer) */
	int changed_ret;		/* what the change hook answers */
};

static int
fx_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	    const uint8_t *buf, size_t len)
{
	struct fixture *f = ctx;

	(void)peer;
	(void)dst;
	(void)buf;
	(void)len;
	f->udp_sent++;
	return 0;
}

static void
fx_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)peer;
	(void)pkt;
	(void)len;
}

static uint64_t
fx_real(void *ctx)
{
	(void)ctx;
	return 1700000000ULL * 1000000000ULL + 123456789ULL;
}

static uint16_t
fx_get_port(void *ctx)
{
	return ((struct fixture *)ctx)->port;
}

static int
fx_set_port(void *ctx, uint16_t port)
{
	struct fixture *f = ctx;

	f->port_calls++;
	if (f->port_fail != 0 && port == f->refused_port)
		return -f->port_fail;
	f->port = port != 0 ? port : 40000;	/* "random" */
	return 0;
}

static int
fx_changed(void *ctx, const struct wg_uapi_change *chg)
{
	struct fixture *f = ctx;

	f->n_changes++;
	f->iface = chg->iface;
	f->n_events = chg->n_peers < MAX_EVENTS ? chg->n_peers : MAX_EVENTS;
	memcpy(f->events, chg->peers, f->n_events * sizeof(*chg->peers));
	f->n_routes = chg->n_routes < MAX_ROUTES ? chg->n_routes : MAX_ROUTES;
	if (f->n_routes != 0)
		memcpy(f->routes, chg->routes, f->n_routes * sizeof(*chg->routes));
	f->routes_complete = chg->routes_complete;
	return f->changed_ret;
}

static uint32_t
fx_max_peers(void *ctx)
{
	const struct fixture *f = ctx;

	return f->max_peers != 0 ? f->max_peers : UINT32_MAX;
}

static char fx_logbuf[8192];

static void
fx_log(void *ctx, const char *msg)
{
	size_t len = strlen(fx_logbuf);

	(void)ctx;
	if (getenv("UAPI_TEST_VERBOSE") != NULL)
		fprintf(stderr, "  log: %s\n", msg);
	snprintf(fx_logbuf + len, sizeof(fx_logbuf) - len, "%s\n", msg);
}

static uint64_t
fx_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static void
fx_init(struct fixture *f, const struct wg_uapi_limits *lim)
{
	struct wg_device_ops dops = {
		.send_udp = fx_send_udp,
		.deliver_inner = fx_deliver,
		.now_real_ns = fx_real,
	};
	struct wg_uapi_ops uops = {
		.get_listen_port = fx_get_port,
		.set_listen_port = fx_set_port,
		.config_changed = fx_changed,
		.max_peers = fx_max_peers,
		.now_ns = fx_now,
		.log = fx_log,
	};

	memset(f, 0, sizeof(*f));
	f->now = 1000000000ULL;
	f->dev = wg_device_create(&dops, f, f->now);
	f->u = wg_uapi_create(f->dev, &uops, f, lim);
	if (f->dev == NULL || f->u == NULL) {
		fprintf(stderr, "fixture setup failed\n");
		exit(1);
	}
}

static void
fx_fini(struct fixture *f)
{
	wg_uapi_free(f->u);
	wg_device_free(f->dev);
}

static void
reset_notes(struct fixture *f)
{
	f->n_changes = 0;
	f->iface = 0;
	f->n_events = 0;
	f->n_routes = 0;
}

/* ---- helpers -------------------------------------------------------- */

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

static void
hex32(char out[65], const uint8_t k[32])
{
	static const char d[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = d[k[i] >> 4];
		out[2 * i + 1] = d[k[i] & 15];
	}
	out[64] = '\0';
}

struct key {
	uint8_t raw[32];
	char hex[65];
};

static void
key_random(struct key *k)
{
	wg_random_bytes(k->raw, 32);
	hex32(k->hex, k->raw);
}

/* A private key and its public key (hex). */
static void
keypair(struct key *priv, struct key *pub)
{
	wg_x25519_generate_secret(priv->raw);
	hex32(priv->hex, priv->raw);
	wg_x25519_public(pub->raw, priv->raw);
	hex32(pub->hex, pub->raw);
}

/* Appends "key value\n" to the string in buf. */
static void
append(char *buf, size_t cap, const char *key, const char *value)
{
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, "%s%s\n", key, value);
}

static char *
req(struct fixture *f, const char *text)
{
	char *resp;
	size_t len;

	if (wg_uapi_request(f->u, text, strlen(text), &resp, &len) != 0) {
		fprintf(stderr, "wg_uapi_request failed\n");
		exit(1);
	}
	return resp;
}

static char *
get_all(struct fixture *f)
{
	return req(f, "get=1\n\n");
}

/* Sends a set; true if the reply is errno=<expect as sent>. */
static bool
set_reply(struct fixture *f, const char *body, int expect)
{
	char *text, *resp, want[32];
	bool ok;

	text = xmalloc(strlen(body) + 16);
	sprintf(text, "set=1\n%s\n", body);
	resp = req(f, text);
	snprintf(want, sizeof(want), "errno=%d\n\n", expect ? -expect : 0);
	ok = strcmp(resp, want) == 0;
	if (!ok)
		fprintf(stderr, "  set reply '%s', expected '%s' for:\n%s\n",
			resp, want, body);
	free(text);
	free(resp);
	return ok;
}

/* Refused with err, and the full state unchanged. */
static bool
set_refused(struct fixture *f, const char *body, int err)
{
	char *before = get_all(f), *after;
	unsigned int changes = f->n_changes;
	uint16_t port = f->port;
	bool ok = set_reply(f, body, err);

	after = get_all(f);
	if (strcmp(before, after) != 0) {
		fprintf(stderr, "  state changed by refused request:\n%s\n", body);
		ok = false;
	}
	if (f->n_changes != changes || f->port != port) {
		fprintf(stderr, "  notified or port moved by refused request:\n%s\n",
			body);
		ok = false;
	}
	free(before);
	free(after);
	return ok;
}

/*
 * The lines of the peer section for pub in a get response, as a new
 * string ("" if none).
 */
static char *
peer_section(const char *resp, const char *pub_hex)
{
	char needle[96], *out;
	const char *p, *end;

	snprintf(needle, sizeof(needle), "public_key=%s\n", pub_hex);
	p = strstr(resp, needle);
	if (p == NULL)
		return strdup("");
	end = strstr(p + 1, "public_key=");
	if (end == NULL)
		end = strstr(p, "errno=");
	if (end == NULL)
		end = p + strlen(p);
	out = strndup(p, (size_t)(end - p));
	return out;
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

static unsigned int
count_lines(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	unsigned int c = 0;
	const char *p = text;

	if (strncmp(p, prefix, n) == 0)
		c++;
	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncmp(p, prefix, n) == 0)
			c++;
	}
	return c;
}

static const struct wg_uapi_peer_event *
find_event(const struct fixture *f, const uint8_t key[32])
{
	size_t i;

	for (i = 0; i < f->n_events; i++)
		if (memcmp(f->events[i].public_key, key, 32) == 0)
			return &f->events[i];
	return NULL;
}

/* The route delta for prefix text ("10.0.0.0/24"), or NULL. */
static const struct wg_uapi_route_delta *
find_route(const struct fixture *f, int family, const char *addr, uint8_t cidr)
{
	uint8_t a[16] = { 0 };
	size_t i;

	if (inet_pton(family, addr, a) != 1)
		return NULL;
	for (i = 0; i < f->n_routes; i++)
		if (f->routes[i].prefix.family == family &&
		    f->routes[i].prefix.cidr == cidr &&
		    memcmp(f->routes[i].prefix.addr, a, 16) == 0)
			return &f->routes[i];
	return NULL;
}

/* ---- tests ---------------------------------------------------------- */

static void
test_empty_get(void)
{
	struct fixture f;
	char *r;

	fx_init(&f, NULL);
	r = get_all(&f);
	CHECK(strcmp(r, "errno=0\n\n") == 0);
	free(r);
	fx_fini(&f);
}

static void
test_interface(void)
{
	struct fixture f;
	struct key priv, pub, zero;
	char body[512], line[128], *r;
	uint8_t clamped[32];

	fx_init(&f, NULL);
	keypair(&priv, &pub);
	/* an unclamped key is clamped, as Linux does */
	priv.raw[0] |= 7;
	priv.raw[31] |= 128;
	hex32(priv.hex, priv.raw);
	snprintf(body, sizeof(body),
		 "private_key=%s\nlisten_port=51820\nfwmark=1234\n", priv.hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(f.port == 51820 && f.port_calls == 1);
	CHECK(f.n_changes == 1 && f.iface == (WG_UAPI_IFACE_PRIVATE_KEY |
		WG_UAPI_IFACE_LISTEN_PORT | WG_UAPI_IFACE_FWMARK));
	CHECK(wg_uapi_fwmark(f.u) == 1234);
	r = get_all(&f);
	memcpy(clamped, priv.raw, 32);
	clamped[0] &= 248;
	clamped[31] = (clamped[31] & 127) | 64;
	{
		char ch[65];

		hex32(ch, clamped);
		snprintf(line, sizeof(line), "private_key=%s", ch);
	}
	CHECK(has_line(r, line));
	CHECK(has_line(r, "listen_port=51820"));
	CHECK(has_line(r, "fwmark=1234"));
	CHECK(strncmp(r, "private_key=", 12) == 0);
	CHECK(strcmp(r + strlen(r) - 10, "\nerrno=0\n\n") == 0);
	free(r);

	/* the same values again: nothing to rebind, nothing notified */
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(f.port_calls == 1);
	CHECK(f.n_changes == 0);

	/* uppercase hex is accepted */
	for (char *p = priv.hex; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 32);
	snprintf(body, sizeof(body), "private_key=%s\n", priv.hex);
	CHECK(set_reply(&f, body, 0));

	/* all-zero clears the identity, fwmark 0 clears the mark */
	memset(zero.raw, 0, 32);
	hex32(zero.hex, zero.raw);
	snprintf(body, sizeof(body), "private_key=%s\nfwmark=0\n", zero.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(f.iface == (WG_UAPI_IFACE_PRIVATE_KEY | WG_UAPI_IFACE_FWMARK));
	r = get_all(&f);
	CHECK(strcmp(r, "listen_port=51820\nerrno=0\n\n") == 0);
	free(r);

	/* listen_port=0: a port of the driver's choosing */
	CHECK(set_reply(&f, "listen_port=0\n", 0));
	CHECK(f.port == 40000);
	fx_fini(&f);
}

static void
test_peer_round_trip(void)
{
	struct fixture f;
	struct key pk, psk, pk2;
	char body[1024], line[160], *r, *sec;
	const struct wg_uapi_peer_event *ev;

	fx_init(&f, NULL);
	key_random(&pk);
	key_random(&psk);
	key_random(&pk2);
	snprintf(body, sizeof(body),
		 "public_key=%s\npreshared_key=%s\nendpoint=192.0.2.7:51820\n"
		 "persistent_keepalive_interval=25\nreplace_allowed_ips=true\n"
		 "allowed_ip=10.9.0.2/32\nallowed_ip=192.168.50.77/24\n"
		 "allowed_ip=fd00:9::2/128\nallowed_ip=2001:db8:1:2:3::/48\n"
		 "protocol_version=1\n"
		 "public_key=%s\nendpoint=[2001:db8::1]:4500\n"
		 "allowed_ip=0.0.0.0/0\nallowed_ip=::/0\n",
		 pk.hex, psk.hex, pk2.hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 2);

	r = get_all(&f);
	sec = peer_section(r, pk.hex);
	snprintf(line, sizeof(line), "preshared_key=%s", psk.hex);
	CHECK(has_line(sec, line));
	CHECK(has_line(sec, "protocol_version=1"));
	CHECK(has_line(sec, "endpoint=192.0.2.7:51820"));
	CHECK(has_line(sec, "last_handshake_time_sec=0"));
	CHECK(has_line(sec, "last_handshake_time_nsec=0"));
	CHECK(has_line(sec, "tx_bytes=0"));
	CHECK(has_line(sec, "rx_bytes=0"));
	CHECK(has_line(sec, "persistent_keepalive_interval=25"));
	CHECK(has_line(sec, "allowed_ip=10.9.0.2/32"));
	CHECK(has_line(sec, "allowed_ip=192.168.50.0/24"));	/* masked */
	CHECK(has_line(sec, "allowed_ip=fd00:9::2/128"));
	CHECK(has_line(sec, "allowed_ip=2001:db8:1::/48"));
	CHECK(count_lines(sec, "allowed_ip=") == 4);
	/* listed IPv4 first, then by address */
	CHECK(strstr(sec, "10.9.0.2/32") < strstr(sec, "192.168.50.0/24") &&
	      strstr(sec, "192.168.50.0/24") < strstr(sec, "2001:db8:1::/48") &&
	      strstr(sec, "2001:db8:1::/48") < strstr(sec, "fd00:9::2/128"));
	free(sec);
	sec = peer_section(r, pk2.hex);
	CHECK(has_line(sec, "endpoint=[2001:db8::1]:4500"));
	CHECK(has_line(sec, ZERO_PSK_LINE));
	CHECK(has_line(sec, "persistent_keepalive_interval=0"));
	CHECK(has_line(sec, "allowed_ip=0.0.0.0/0"));
	CHECK(has_line(sec, "allowed_ip=::/0"));
	free(sec);
	/* creation order: the first peer comes first */
	CHECK(strstr(r, pk.hex) < strstr(r, pk2.hex));
	free(r);

	/* the notification */
	CHECK(f.n_changes == 1 && f.iface == 0 && f.n_events == 2);
	ev = find_event(&f, pk.raw);
	CHECK(ev != NULL && ev->peer != NULL && ev->what ==
	      (WG_UAPI_PEER_ADDED | WG_UAPI_PEER_ALLOWED_IPS |
	       WG_UAPI_PEER_ENDPOINT | WG_UAPI_PEER_PRESHARED_KEY |
	       WG_UAPI_PEER_KEEPALIVE));
	CHECK(f.routes_complete && f.n_routes == 6);
	CHECK(find_route(&f, AF_INET, "192.168.50.0", 24) != NULL &&
	      find_route(&f, AF_INET, "192.168.50.0", 24)->peer == ev->peer);

	/* the psk can be cleared with zeros */
	reset_notes(&f);
	snprintf(body, sizeof(body), "public_key=%s\npreshared_key=%064d\n",
		 pk.hex, 0);
	CHECK(set_reply(&f, body, 0));
	ev = find_event(&f, pk.raw);
	CHECK(ev != NULL && ev->what == WG_UAPI_PEER_PRESHARED_KEY);
	CHECK(f.n_routes == 0);
	r = get_all(&f);
	sec = peer_section(r, pk.hex);
	CHECK(has_line(sec, ZERO_PSK_LINE));
	free(sec);
	free(r);
	fx_fini(&f);
}

static void
test_update_only_remove(void)
{
	struct fixture f;
	struct key a, b;
	char body[512], *r;

	fx_init(&f, NULL);
	key_random(&a);
	key_random(&b);

	/* update_only on an unknown peer: nothing, no error */
	snprintf(body, sizeof(body),
		 "public_key=%s\nupdate_only=true\nallowed_ip=10.1.0.0/16\n", a.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 0);
	CHECK(f.n_changes == 0);

	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=10.1.0.0/16\n",
		 a.hex);
	CHECK(set_reply(&f, body, 0));
	/* update_only on a known one: updated */
	snprintf(body, sizeof(body),
		 "public_key=%s\nupdate_only=true\nendpoint=198.51.100.1:1\n",
		 a.hex);
	CHECK(set_reply(&f, body, 0));
	r = get_all(&f);
	CHECK(has_line(r, "endpoint=198.51.100.1:1"));
	free(r);

	/* remove of an unknown peer: no error, no change */
	snprintf(body, sizeof(body), "public_key=%s\nremove=true\n", b.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 1 && f.n_changes == 0);

	/* remove: gone, with its prefixes */
	snprintf(body, sizeof(body), "public_key=%s\nremove=true\n", a.hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 0);
	CHECK(f.n_events == 1 && f.events[0].what == WG_UAPI_PEER_REMOVED &&
	      f.events[0].peer == NULL);
	CHECK(f.n_routes == 1 && f.routes[0].peer == NULL &&
	      find_route(&f, AF_INET, "10.1.0.0", 16) != NULL);
	r = get_all(&f);
	CHECK(strcmp(r, "errno=0\n\n") == 0);
	free(r);

	/* remove then re-add in one request: a new peer object */
	CHECK(set_reply(&f, "public_key=\n", EINVAL));
	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=10.2.0.0/16\n",
		 a.hex);
	CHECK(set_reply(&f, body, 0));
	snprintf(body, sizeof(body),
		 "public_key=%s\nremove=true\npublic_key=%s\nallowed_ip=10.3.0.0/16\n",
		 a.hex, a.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(f.n_events == 1 && f.events[0].what ==
	      (WG_UAPI_PEER_ADDED | WG_UAPI_PEER_REMOVED |
	       WG_UAPI_PEER_ALLOWED_IPS) && f.events[0].peer != NULL);
	CHECK(find_route(&f, AF_INET, "10.2.0.0", 16) != NULL &&
	      find_route(&f, AF_INET, "10.2.0.0", 16)->peer == NULL);
	CHECK(find_route(&f, AF_INET, "10.3.0.0", 16) != NULL &&
	      find_route(&f, AF_INET, "10.3.0.0", 16)->peer == f.events[0].peer);
	r = get_all(&f);
	CHECK(has_line(r, "allowed_ip=10.3.0.0/16") &&
	      !has_line(r, "allowed_ip=10.2.0.0/16"));
	free(r);
	fx_fini(&f);
}

static void
test_allowed_ips(void)
{
	struct fixture f;
	struct key a, b;
	char body[512], *r, *sa, *sb;
	struct wg_peer *pa, *pb;

	fx_init(&f, NULL);
	key_random(&a);
	key_random(&b);
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.1.0/24\nallowed_ip=10.0.2.0/24\n"
		 "public_key=%s\nallowed_ip=10.0.3.0/24\n", a.hex, b.hex);
	CHECK(set_reply(&f, body, 0));
	pa = wg_device_lookup_peer(f.dev, a.raw);
	pb = wg_device_lookup_peer(f.dev, b.raw);

	/* without replace: added to the existing ones */
	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=10.0.4.0/24\n",
		 a.hex);
	CHECK(set_reply(&f, body, 0));
	r = get_all(&f);
	sa = peer_section(r, a.hex);
	CHECK(count_lines(sa, "allowed_ip=") == 3);
	free(sa);
	free(r);

	/* replace_allowed_ips: only the new ones; those before it go too */
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.9.0/24\nreplace_allowed_ips=true\n"
		 "allowed_ip=10.0.5.0/24\n", a.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	r = get_all(&f);
	sa = peer_section(r, a.hex);
	CHECK(count_lines(sa, "allowed_ip=") == 1 &&
	      has_line(sa, "allowed_ip=10.0.5.0/24"));
	free(sa);
	free(r);
	CHECK(f.n_routes == 4);
	CHECK(find_route(&f, AF_INET, "10.0.5.0", 24) != NULL &&
	      find_route(&f, AF_INET, "10.0.5.0", 24)->peer == pa);
	CHECK(find_route(&f, AF_INET, "10.0.1.0", 24) != NULL &&
	      find_route(&f, AF_INET, "10.0.1.0", 24)->peer == NULL);
	CHECK(find_route(&f, AF_INET, "10.0.9.0", 24) == NULL);

	/* a prefix owned by another peer moves */
	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=10.0.3.0/24\n",
		 a.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	r = get_all(&f);
	sa = peer_section(r, a.hex);
	sb = peer_section(r, b.hex);
	CHECK(has_line(sa, "allowed_ip=10.0.3.0/24"));
	CHECK(count_lines(sb, "allowed_ip=") == 0);
	free(sa);
	free(sb);
	free(r);
	CHECK(f.n_routes == 1 && f.routes[0].peer == pa);

	/* moved and then its new owner removed: the prefix is deleted */
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.5.0/24\npublic_key=%s\nremove=true\n",
		 b.hex, b.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 1);
	CHECK(f.n_routes == 1 && f.routes[0].peer == NULL &&
	      find_route(&f, AF_INET, "10.0.5.0", 24) != NULL);
	(void)pb;
	fx_fini(&f);
}

static void
test_replace_peers(void)
{
	struct fixture f;
	struct key a, b, c;
	char body[1024], *r;
	uint64_t pa_old;
	const struct wg_uapi_peer_event *ev;

	fx_init(&f, NULL);
	key_random(&a);
	key_random(&b);
	key_random(&c);
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.1.0/24\n"
		 "public_key=%s\nallowed_ip=10.0.2.0/24\n", a.hex, b.hex);
	CHECK(set_reply(&f, body, 0));
	pa_old = wg_device_lookup_peer(f.dev, a.raw)->internal_id;

	snprintf(body, sizeof(body),
		 "replace_peers=true\npublic_key=%s\nallowed_ip=10.0.1.0/24\n"
		 "public_key=%s\nallowed_ip=10.0.3.0/24\n", a.hex, c.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 2);
	CHECK(wg_device_lookup_peer(f.dev, b.raw) == NULL);
	CHECK(f.iface == WG_UAPI_IFACE_PEERS_REPLACED);
	CHECK(f.n_events == 3);
	ev = find_event(&f, a.raw);
	CHECK(ev != NULL && ev->what == (WG_UAPI_PEER_ADDED |
	      WG_UAPI_PEER_REMOVED | WG_UAPI_PEER_ALLOWED_IPS));
	CHECK(ev != NULL && ev->peer != NULL && ev->peer->internal_id != pa_old);
	ev = find_event(&f, b.raw);
	CHECK(ev != NULL && ev->what == WG_UAPI_PEER_REMOVED && ev->peer == NULL);
	ev = find_event(&f, c.raw);
	CHECK(ev != NULL && ev->what == (WG_UAPI_PEER_ADDED |
	      WG_UAPI_PEER_ALLOWED_IPS));
	/* a's prefix got a new owner, b's went, c's came */
	CHECK(f.n_routes == 3);
	CHECK(find_route(&f, AF_INET, "10.0.2.0", 24) != NULL &&
	      find_route(&f, AF_INET, "10.0.2.0", 24)->peer == NULL);
	CHECK(find_route(&f, AF_INET, "10.0.1.0", 24) != NULL &&
	      find_route(&f, AF_INET, "10.0.1.0", 24)->peer ==
	      wg_device_lookup_peer(f.dev, a.raw));

	/* replace_peers alone: empty */
	CHECK(set_reply(&f, "replace_peers=true\n", 0));
	r = get_all(&f);
	CHECK(strcmp(r, "errno=0\n\n") == 0);
	free(r);
	fx_fini(&f);
}

static void
test_identity_and_own_key(void)
{
	struct fixture f;
	struct key priv, pub, other;
	char body[512];
	const struct wg_uapi_peer_event *ev;

	fx_init(&f, NULL);
	keypair(&priv, &pub);
	key_random(&other);

	/* a peer with our own public key (set in the same request) is ignored */
	snprintf(body, sizeof(body),
		 "private_key=%s\npublic_key=%s\nallowed_ip=10.0.0.1/32\n"
		 "public_key=%s\nallowed_ip=10.0.0.2/32\n",
		 priv.hex, pub.hex, other.hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 1);
	CHECK(wg_device_lookup_peer(f.dev, pub.raw) == NULL);

	/* a new private key whose public key is a peer removes that peer */
	fx_fini(&f);
	fx_init(&f, NULL);
	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=10.0.0.1/32\n",
		 pub.hex);
	CHECK(set_reply(&f, body, 0));
	snprintf(body, sizeof(body), "private_key=%s\n", priv.hex);
	reset_notes(&f);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 0);
	CHECK(f.iface == WG_UAPI_IFACE_PRIVATE_KEY);
	ev = find_event(&f, pub.raw);
	CHECK(ev != NULL && ev->what == WG_UAPI_PEER_REMOVED);
	CHECK(f.n_routes == 1 && f.routes[0].peer == NULL);

	/* persistent keepalive with an identity starts a handshake */
	snprintf(body, sizeof(body),
		 "public_key=%s\nendpoint=127.0.0.1:9\npersistent_keepalive_interval=5\n",
		 other.hex);
	f.udp_sent = 0;
	CHECK(set_reply(&f, body, 0));
	CHECK(f.udp_sent == 1);
	fx_fini(&f);
}

/* Every malformed request: its errno, and nothing changed. */
static void
test_refused(void)
{
	struct fixture f;
	struct key a, b;
	char body[2048], longline[700];
	static const char *const bad_aips[] = {
		"10.0.0.0/33", "10.0.0.1", "::1/129", "10.0.0.0/08",
		"10.0.0.0/ 8", "fe80::1%eth0/64", "10.0.0/8", "010.0.0.0/8",
		"10.0.0.0/-1", "/8", "10.0.0.0/8/8", "", "1.2.3.4/+8",
		"2001:db8:::/64", "10.0.0.0/1000",
	};
	static const char *const bad_endpoints[] = {
		"1.2.3.4", "1.2.3.4:0", "1.2.3.4:65536", "::1:51820",
		"[1.2.3.4]:1", "[::1]51820", "0.0.0.0:1", "[::]:1",
		"[fe80::1%lo]:1", "host.example:51820", "1.2.3.4:", ":1",
		"[::1]:", "1.2.3.4:-1", "1.2.3.4:+1", "1.2.3.4:1 ",
		"1.2.3.4.5:1",
	};
	static const struct {
		const char *line;
		int err;
	} bad_iface[] = {
		{ "listen_port=65536", EINVAL }, { "listen_port=-1", EINVAL },
		{ "listen_port=abc", EINVAL }, { "listen_port=", EINVAL },
		{ "listen_port=+1", EINVAL }, { "listen_port= 1", EINVAL },
		{ "fwmark=4294967296", EINVAL }, { "fwmark=0x10", EINVAL },
		{ "replace_peers=false", EINVAL }, { "replace_peers=TRUE", EINVAL },
		{ "private_key=00", EINVAL },
		{ "private_key=zz00000000000000000000000000000000000000000000000000000000000000", EINVAL },
		{ "private_key=00000000000000000000000000000000000000000000000000000000000000000", EINVAL },
		{ "listen_port=1\nlisten_port=2", EINVAL },
		{ "jc=1", EINVAL }, { "=1", EINVAL }, { "protocol_version=1", EINVAL },
		{ "allowed_ip=10.0.0.0/8", EINVAL },
		{ "no equals sign", EPROTO }, { "listen_port=1\x01", EPROTO },
		{ "listen_port=1\t", EPROTO }, { "listen_port=\xc3\xa9", EPROTO },
		{ "get=1", EINVAL },
	};
	static const struct {
		const char *line;
		int err;
	} bad_peer[] = {
		{ "remove=false", EINVAL }, { "remove=1", EINVAL },
		{ "update_only=yes", EINVAL }, { "replace_allowed_ips=True", EINVAL },
		{ "persistent_keepalive_interval=65536", EINVAL },
		{ "persistent_keepalive_interval=-5", EINVAL },
		{ "protocol_version=2", EINVAL }, { "protocol_version=", EINVAL },
		{ "preshared_key=1234", EINVAL }, { "listen_port=1", EINVAL },
		{ "private_key=0000000000000000000000000000000000000000000000000000000000000000", EINVAL },
		{ "last_handshake_time_sec=0", EINVAL }, { "tx_bytes=0", EINVAL },
		{ "Endpoint=1.2.3.4:1", EINVAL }, { "bogus", EPROTO },
	};
	unsigned int i;
	char *r;

	fx_init(&f, NULL);
	key_random(&a);
	key_random(&b);
	/* something to lose */
	snprintf(body, sizeof(body),
		 "listen_port=1111\npublic_key=%s\nendpoint=192.0.2.1:1\n"
		 "allowed_ip=10.0.0.0/24\n", a.hex);
	CHECK(set_reply(&f, body, 0));
	reset_notes(&f);

	for (i = 0; i < sizeof(bad_aips) / sizeof(bad_aips[0]); i++) {
		snprintf(body, sizeof(body),
			 "listen_port=2222\npublic_key=%s\nallowed_ip=10.1.0.0/16\n"
			 "public_key=%s\nallowed_ip=%s\n", b.hex, a.hex, bad_aips[i]);
		CHECK(set_refused(&f, body, EINVAL));
	}
	for (i = 0; i < sizeof(bad_endpoints) / sizeof(bad_endpoints[0]); i++) {
		snprintf(body, sizeof(body),
			 "public_key=%s\nremove=true\npublic_key=%s\nendpoint=%s\n",
			 a.hex, b.hex, bad_endpoints[i]);
		CHECK(set_refused(&f, body, EINVAL));
	}
	for (i = 0; i < sizeof(bad_iface) / sizeof(bad_iface[0]); i++) {
		snprintf(body, sizeof(body), "replace_peers=true\n%s\n",
			 bad_iface[i].line);
		CHECK(set_refused(&f, body, bad_iface[i].err));
	}
	for (i = 0; i < sizeof(bad_peer) / sizeof(bad_peer[0]); i++) {
		snprintf(body, sizeof(body),
			 "replace_peers=true\npublic_key=%s\nallowed_ip=10.7.0.0/16\n%s\n",
			 b.hex, bad_peer[i].line);
		CHECK(set_refused(&f, body, bad_peer[i].err));
	}
	/* bad public keys */
	snprintf(body, sizeof(body), "public_key=%.63s\n", b.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "public_key=%.63sg\n", b.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "public_key=%s0\n", b.hex);
	CHECK(set_refused(&f, body, EINVAL));
	CHECK(set_refused(&f, "public_key=HIIWZkGuj6tTlQTMnfVsbbNhDr+Ru5UbvKD8vz8rYkw=\n",
			  EINVAL));
	/* a line over the limit */
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memcpy(longline, "endpoint=", 9);
	snprintf(body, sizeof(body), "public_key=%s\n%s\n", b.hex, longline);
	CHECK(set_refused(&f, body, EPROTO));
	/* the listen port hook fails: nothing else applied either */
	f.port_fail = EADDRINUSE;
	f.refused_port = 3333;
	snprintf(body, sizeof(body),
		 "listen_port=3333\nreplace_peers=true\npublic_key=%s\n"
		 "allowed_ip=10.5.0.0/16\n", b.hex);
	CHECK(set_refused(&f, body, EADDRINUSE));
	f.port_fail = 0;
	CHECK(f.n_changes == 0);

	/* the protocol layer */
	r = req(&f, "foo=1\n\n");
	CHECK(strcmp(r, "errno=-71\n\n") == 0);
	free(r);
	r = req(&f, "get=1\nx\n");
	CHECK(strcmp(r, "errno=-22\n\n") == 0);
	free(r);
	r = req(&f, "\n");
	CHECK(strcmp(r, "errno=-71\n\n") == 0);
	free(r);
	/* cut short: no answer and no change */
	{
		char *before = get_all(&f);

		snprintf(body, sizeof(body), "set=1\npublic_key=%s\n", b.hex);
		r = req(&f, body);
		CHECK(strcmp(r, "") == 0);
		free(r);
		r = req(&f, "set=1\nlisten_port=9");
		CHECK(strcmp(r, "") == 0);
		free(r);
		r = get_all(&f);
		CHECK(strcmp(r, before) == 0);
		free(r);
		free(before);
	}
	CHECK(f.n_changes == 0 && f.port == 1111);
	fx_fini(&f);
}

static void
test_limits(void)
{
	struct wg_uapi_limits lim = {
		.max_line = 128, .max_request = 4096, .max_peers = 3,
		.max_allowed_ips = 4,
	};
	struct fixture f;
	struct key k[4];
	char body[4096], *r;
	unsigned int i;

	fx_init(&f, &lim);
	for (i = 0; i < 4; i++)
		key_random(&k[i]);
	body[0] = '\0';
	for (i = 0; i < 4; i++)
		append(body, sizeof(body), "public_key=", k[i].hex);
	CHECK(set_refused(&f, body, E2BIG));
	body[0] = '\0';
	for (i = 0; i < 3; i++)
		append(body, sizeof(body), "public_key=", k[i].hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 3);
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.0.1/32\nallowed_ip=10.0.0.2/32\n"
		 "allowed_ip=10.0.0.3/32\nallowed_ip=10.0.0.4/32\nallowed_ip=10.0.0.5/32\n",
		 k[0].hex);
	CHECK(set_refused(&f, body, E2BIG));
	/* replace_allowed_ips gives the dropped ones back */
	snprintf(body, sizeof(body),
		 "public_key=%s\nallowed_ip=10.0.0.1/32\nallowed_ip=10.0.0.2/32\n"
		 "allowed_ip=10.0.0.3/32\nreplace_allowed_ips=true\n"
		 "allowed_ip=10.0.0.4/32\nallowed_ip=10.0.0.5/32\n", k[0].hex);
	CHECK(set_reply(&f, body, 0));
	/* over max_line (128) */
	snprintf(body, sizeof(body), "public_key=%s\nendpoint=1.2.3.4:1%0120d\n",
		 k[0].hex, 0);
	CHECK(set_refused(&f, body, EPROTO));

	/* over max_request: answered at once, connection closed */
	{
		char *big = xmalloc(8192), *before = get_all(&f);
		struct wg_uapi_session *s = wg_uapi_session_create(f.u);
		char out[64];
		size_t n, used;

		strcpy(big, "set=1\n");
		while (strlen(big) < 8000)
			append(big, 8192, "listen_port=", "1");
		used = wg_uapi_session_input(s, big, strlen(big));
		CHECK(used < strlen(big));
		n = wg_uapi_session_output(s, out, sizeof(out));
		CHECK(n == 11 && memcmp(out, "errno=-90\n\n", 11) == 0);
		CHECK(wg_uapi_session_done(s));
		CHECK(!wg_uapi_session_wants_input(s));
		wg_uapi_session_free(s);
		r = get_all(&f);
		CHECK(strcmp(r, before) == 0);
		free(r);
		free(before);
		free(big);
	}
	/* a peer count over WG_MAX_PEERS_PER_DEVICE is refused (not tested at scale) */
	fx_fini(&f);

	/* the driver's room (max_peers hook): refused whole, nothing changed */
	fx_init(&f, NULL);
	f.max_peers = 2;
	body[0] = '\0';
	for (i = 0; i < 3; i++)
		append(body, sizeof(body), "public_key=", k[i].hex);
	CHECK(set_refused(&f, body, ENOSPC));
	CHECK(wg_device_peer_count(f.dev) == 0);
	body[0] = '\0';
	for (i = 0; i < 2; i++)
		append(body, sizeof(body), "public_key=", k[i].hex);
	CHECK(set_reply(&f, body, 0));
	/* a removal in the same request makes room */
	snprintf(body, sizeof(body), "public_key=%s\nremove=true\npublic_key=%s\n",
		 k[0].hex, k[2].hex);
	CHECK(set_reply(&f, body, 0));
	CHECK(wg_device_peer_count(f.dev) == 2);
	/* the driver failing part of a change: the answer says so */
	f.max_peers = 0;
	f.changed_ret = -ENOSPC;
	body[0] = '\0';
	append(body, sizeof(body), "public_key=", k[3].hex);
	CHECK(set_reply(&f, body, ENOSPC));
	f.changed_ret = 0;
	fx_fini(&f);

	/* invalid limits */
	{
		struct wg_uapi_limits bad = { .max_line = 10 };
		struct fixture g;

		fx_init(&g, NULL);
		CHECK(wg_uapi_create(g.dev, NULL, NULL, &bad) == NULL);
		fx_fini(&g);
	}
}

/* Byte-by-byte input and pipelined requests on one session. */
static void
test_streaming(void)
{
	struct fixture f;
	struct key a;
	char text[1024], out[8192];
	struct wg_uapi_session *s;
	size_t i, n = 0, len;

	fx_init(&f, NULL);
	key_random(&a);
	len = (size_t)snprintf(text, sizeof(text),
			       "get=1\n\nset=1\npublic_key=%s\nallowed_ip=10.0.0.0/8\n\n"
			       "get=1\n\n", a.hex);
	s = wg_uapi_session_create(f.u);
	for (i = 0; i < len;) {
		i += wg_uapi_session_input(s, text + i, 1);
		while (wg_uapi_session_has_output(s))
			n += wg_uapi_session_output(s, out + n, 3);
	}
	out[n] = '\0';
	CHECK(wg_uapi_session_requests(s) == 3);
	CHECK(strncmp(out, "errno=0\n\nerrno=0\n\npublic_key=", 29) == 0);
	CHECK(has_line(out, "allowed_ip=10.0.0.0/8"));
	CHECK(strcmp(out + n - 9, "errno=0\n\n") == 0);
	/* still open for more; EOF ends it */
	CHECK(wg_uapi_session_wants_input(s) && !wg_uapi_session_done(s));
	wg_uapi_session_input_eof(s);
	CHECK(wg_uapi_session_done(s));
	wg_uapi_session_free(s);

	/* all at once: input stops while a response is pending */
	s = wg_uapi_session_create(f.u);
	i = wg_uapi_session_input(s, "get=1\n\nget=1\n\n", 14);
	CHECK(i == 7);
	n = wg_uapi_session_output(s, out, sizeof(out));
	CHECK(n > 0 && !wg_uapi_session_has_output(s));
	CHECK(wg_uapi_session_input(s, "get=1\n\n", 7) == 7);
	wg_uapi_session_free(s);

	/* a set cut by EOF is dropped */
	s = wg_uapi_session_create(f.u);
	snprintf(text, sizeof(text), "set=1\nreplace_peers=true\n");
	wg_uapi_session_input(s, text, strlen(text));
	wg_uapi_session_input_eof(s);
	CHECK(wg_uapi_session_done(s) && !wg_uapi_session_has_output(s));
	wg_uapi_session_free(s);
	CHECK(wg_device_peer_count(f.dev) == 1);
	fx_fini(&f);
}

/* A wg setconf-sized request: 100,000 peers, streamed, then read back. */
static void
test_large(void)
{
	enum { N = 100000 };
	struct fixture f;
	struct wg_uapi_session *s;
	char line[256], *out;
	size_t outcap = 64 << 20, n = 0;
	unsigned int i, peers = 0, aips = 0;
	bool fed_all = true;
	uint8_t key[32];
	char hex[65];
	struct timespec t0, t1;

	fx_init(&f, NULL);
	s = wg_uapi_session_create(f.u);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(wg_uapi_session_input(s, "set=1\nreplace_peers=true\n", 25) == 25);
	for (i = 0; i < N; i++) {
		int len;

		memset(key, 0, sizeof(key));
		key[0] = 1;
		memcpy(key + 1, &i, sizeof(i));
		hex32(hex, key);
		len = snprintf(line, sizeof(line),
			       "public_key=%s\nreplace_allowed_ips=true\n"
			       "allowed_ip=10.%u.%u.%u/32\nallowed_ip=fd00::%x:%x/128\n"
			       "persistent_keepalive_interval=0\n",
			       hex, (i >> 16) & 255, (i >> 8) & 255, i & 255,
			       i >> 16, i & 0xffff);
		if (wg_uapi_session_input(s, line, (size_t)len) != (size_t)len)
			fed_all = false;
	}
	CHECK(fed_all);
	CHECK(wg_uapi_session_input(s, "\n", 1) == 1);
	n = wg_uapi_session_output(s, line, sizeof(line));
	line[n] = '\0';
	CHECK(n == 9 && memcmp(line, "errno=0\n\n", 9) == 0);
	if (n != 9)
		fprintf(stderr, "  large set: %s\n", line);
	CHECK(wg_device_peer_count(f.dev) == N);
	CHECK(f.n_changes == 1 && f.routes_complete);

	out = xmalloc(outcap);
	CHECK(wg_uapi_session_input(s, "get=1\n\n", 7) == 7);
	n = 0;
	while (wg_uapi_session_has_output(s) && n < outcap - 1)
		n += wg_uapi_session_output(s, out + n,
			outcap - 1 - n < 65536 ? outcap - 1 - n : 65536);
	out[n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t1);
	peers = count_lines(out, "public_key=");
	aips = count_lines(out, "allowed_ip=");
	CHECK(peers == N);
	CHECK(aips == 2 * N);
	CHECK(strcmp(out + n - 9, "errno=0\n\n") == 0);
	printf("large: %u peers set and read back (%zu bytes) in %.2f s\n", N, n,
	       (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(out);
	wg_uapi_session_free(s);
	fx_fini(&f);
}

/* A key sent in the wrong place never reaches the log, not even in part. */
static void
test_no_key_in_log(void)
{
	struct fixture f;
	struct key priv, pub, a;
	char body[512], frag[17];
	unsigned int i;
	bool leaked = false;

	fx_init(&f, NULL);
	keypair(&priv, &pub);
	key_random(&a);
	fx_logbuf[0] = '\0';
	snprintf(body, sizeof(body), "public_key=%s\nendpoint=%s\n", a.hex,
		 priv.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "private_kye=%s\n", priv.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "private_key=%.63s\n", priv.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "public_key=%s\nallowed_ip=%.40s/8\n",
		 a.hex, priv.hex);
	CHECK(set_refused(&f, body, EINVAL));
	snprintf(body, sizeof(body), "public_key=%s\npreshared_key=%sx\n",
		 a.hex, priv.hex);
	CHECK(set_refused(&f, body, EINVAL));
	CHECK(strstr(fx_logbuf, "set refused") != NULL);
	for (i = 0; i + 16 <= 64; i++) {
		memcpy(frag, priv.hex + i, 16);
		frag[16] = '\0';
		if (strstr(fx_logbuf, frag) != NULL)
			leaked = true;
	}
	CHECK(!leaked);
	fx_fini(&f);
}

/* ---- the socket server ---------------------------------------------- */

static char test_dir[64];

static int
client_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (strlen(path) >= sizeof(addr.sun_path)) {
		close(fd);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/*
 * Writes req on fd and collects the response while polling the server,
 * until "\n\n" ends it or timeout_ms passes. Returns the response.
 */
static char *
client_exchange(struct wg_uapi_server *srv, int fd, const char *reqtext,
		int timeout_ms)
{
	size_t cap = 1 << 16, n = 0, sent = 0, len = strlen(reqtext);
	char *buf = malloc(cap);
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		ssize_t r;

		if (sent < len) {
			r = send(fd, reqtext + sent, len - sent, MSG_NOSIGNAL);
			if (r > 0)
				sent += (size_t)r;
		}
		wg_uapi_server_poll(srv, 5);
		r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r > 0)
			n += (size_t)r;
		buf[n] = '\0';
		if (n >= 2 && strstr(buf, "errno=") != NULL &&
		    strcmp(buf + n - 2, "\n\n") == 0)
			break;
		if (r == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
			break;
	}
	return buf;
}

static void
test_server(void)
{
	struct wg_uapi_server_config cfg = {
		.name = "wgtest0", .idle_timeout_ms = 300, .max_clients = 3,
	};
	struct wg_uapi_server *srv, *srv2;
	struct fixture f;
	char path[100], err[256], *r;
	struct stat st;
	int fd, stuck, ret, i;

	fx_init(&f, NULL);
	snprintf(test_dir, sizeof(test_dir), "/tmp/wg-uapi-test.%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/wgtest0.sock", test_dir);
	cfg.dir = test_dir;

	/* bad names */
	cfg.name = "a/b";
	CHECK(wg_uapi_server_create(f.u, &cfg, err, sizeof(err)) == NULL);
	cfg.name = "this-name-is-too-long";
	CHECK(wg_uapi_server_create(f.u, &cfg, err, sizeof(err)) == NULL);
	cfg.name = "..";
	CHECK(wg_uapi_server_create(f.u, &cfg, err, sizeof(err)) == NULL);
	cfg.name = "wgtest0";

	/* the directory is created; the socket is 0600 */
	srv = wg_uapi_server_create(f.u, &cfg, err, sizeof(err));
	CHECK(srv != NULL);
	if (srv == NULL) {
		fprintf(stderr, "server: %s\n", err);
		fx_fini(&f);
		return;
	}
	CHECK(strcmp(wg_uapi_server_path(srv), path) == 0);
	CHECK(stat(test_dir, &st) == 0 && (st.st_mode & 0777) == 0755);
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	      (st.st_mode & 0777) == 0600);

	/* a live server is not replaced */
	srv2 = wg_uapi_server_create(f.u, &cfg, err, sizeof(err));
	CHECK(srv2 == NULL && errno == EADDRINUSE);
	CHECK(strstr(err, "in use") != NULL);

	/* a request over the socket */
	fd = client_connect(path);
	CHECK(fd >= 0);
	r = client_exchange(srv, fd, "get=1\n\n", 2000);
	CHECK(strcmp(r, "errno=0\n\n") == 0);
	free(r);
	r = client_exchange(srv, fd, "set=1\nlisten_port=5555\n\n", 2000);
	CHECK(strcmp(r, "errno=0\n\n") == 0);
	free(r);
	close(fd);

	/* a stuck client (half a line) does not hold another one */
	stuck = client_connect(path);
	CHECK(stuck >= 0 && send(stuck, "set=1\nlisten_po", 15, 0) == 15);
	wg_uapi_server_poll(srv, 0);
	fd = client_connect(path);
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = client_exchange(srv, fd, "get=1\n\n", 2000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		CHECK(strcmp(r, "listen_port=5555\nerrno=0\n\n") == 0);
		CHECK(t1.tv_sec - t0.tv_sec < 1);
		free(r);
	}
	close(fd);
	/* the stuck one is closed at its idle deadline, nothing applied */
	for (i = 0; i < 100 && wg_uapi_server_clients(srv) != 0; i++)
		wg_uapi_server_poll(srv, 20);
	CHECK(wg_uapi_server_clients(srv) == 0);
	{
		char c;

		ret = (int)recv(stuck, &c, 1, 0);
		CHECK(ret == 0);
	}
	close(stuck);
	CHECK(f.port == 5555);

	/* clients past max_clients are closed at once */
	{
		int fds[4];

		for (i = 0; i < 4; i++)
			fds[i] = client_connect(path);
		for (i = 0; i < 5; i++)
			wg_uapi_server_poll(srv, 10);
		CHECK(wg_uapi_server_clients(srv) == 3);
		for (i = 0; i < 4; i++)
			close(fds[i]);
		for (i = 0; i < 10; i++)
			wg_uapi_server_poll(srv, 10);
		CHECK(wg_uapi_server_clients(srv) == 0);
	}

	/* a client that connects and closes (wg's probe) is fine */
	fd = client_connect(path);
	close(fd);
	wg_uapi_server_poll(srv, 10);
	wg_uapi_server_poll(srv, 10);
	CHECK(wg_uapi_server_clients(srv) == 0);

	/* destroy unlinks */
	wg_uapi_server_destroy(srv);
	CHECK(stat(path, &st) != 0 && errno == ENOENT);

	/* a stale socket (nobody listening) is replaced */
	{
		struct sockaddr_un addr = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		memcpy(addr.sun_path, path, strlen(path) + 1);
		CHECK(bind(s, (struct sockaddr *)&addr, sizeof(addr)) == 0);
		close(s);
		CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode));
		srv = wg_uapi_server_create(f.u, &cfg, err, sizeof(err));
		CHECK(srv != NULL);
		fd = client_connect(path);
		CHECK(fd >= 0);
		r = client_exchange(srv, fd, "get=1\n\n", 2000);
		CHECK(strncmp(r, "listen_port=5555\n", 17) == 0);
		free(r);
		close(fd);
		wg_uapi_server_destroy(srv);
	}
	/* a file that is no socket is left alone */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	srv = wg_uapi_server_create(f.u, &cfg, err, sizeof(err));
	CHECK(srv == NULL && errno == EEXIST);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode));
	unlink(path);
	rmdir(test_dir);
	fx_fini(&f);
}

int
main(void)
{
	if (wg_crypto_init() != 0) {
		fprintf(stderr, "crypto init failed\n");
		return 1;
	}
	test_empty_get();
	test_interface();
	test_peer_round_trip();
	test_update_only_remove();
	test_allowed_ips();
	test_replace_peers();
	test_identity_and_own_key();
	test_refused();
	test_limits();
	test_streaming();
	test_large();
	test_no_key_in_log();
	test_server();
	TEST_MAIN_END();
}
