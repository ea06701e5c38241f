/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The wg(8) userspace configuration protocol over a struct wg_device:
 * line splitting with limits, set requests parsed into a plan, validated
 * against the device and applied all or nothing, get responses produced
 * lazily, and the change notification for the embedding program.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto/primitives.h"
#include "uapi.h"
#include "wireguard/allowedips.h"

#define KEY_LEN		WG_PUBLIC_KEY_LEN
#define KEY_HEX_LEN	(2 * KEY_LEN)
#define ERRMSG_MAX	160

struct wg_uapi {
	struct wg_device *dev;
	struct wg_uapi_ops ops;
	void *ctx;
	struct wg_uapi_limits lim;
	uint16_t listen_port;		/* without a get_listen_port hook */
	uint32_t fwmark;
};

/* ---- small helpers ----------------------------------------------------- */

/* A growable text buffer whose old copies are wiped when it moves. */
struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

/* malloc new, copy, wipe and free old: realloc would leave key bytes behind. */
static void *
grow_wiped(void *old, size_t old_bytes, size_t new_bytes)
{
	void *p = malloc(new_bytes);

	if (p == NULL)
		return NULL;
	if (old != NULL) {
		memcpy(p, old, old_bytes);
		wg_memzero(old, old_bytes);
		free(old);
	}
	return p;
}

/* Makes room for n more elements of size sz in *arr (count *len, capacity *cap). */
static int
array_reserve(void **arr, size_t sz, size_t len, size_t *cap, size_t n)
{
	size_t want = len + n, ncap;
	void *p;

	if (want <= *cap)
		return 0;
	ncap = *cap ? *cap : 64;
	while (ncap < want)
		ncap *= 2;
	p = grow_wiped(*arr, len * sz, ncap * sz);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
sbuf_reserve(struct sbuf *b, size_t n)
{
	void *p = b->p;
	int ret = array_reserve(&p, 1, b->len, &b->cap, n + 1);

	b->p = p;
	return ret;
}

static int __attribute__((format(printf, 2, 3)))
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0,
			      fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if (b->p != NULL && (size_t)n < room) {
			b->len += (size_t)n;
			return 0;
		}
		if (sbuf_reserve(b, (size_t)n) != 0)
			return -ENOMEM;
	}
}

static void
sbuf_wipe(struct sbuf *b)
{
	if (b->p != NULL)
		wg_memzero(b->p, b->cap);
	b->len = 0;
}

static void
sbuf_free(struct sbuf *b)
{
	sbuf_wipe(b);
	free(b->p);
	b->p = NULL;
	b->cap = 0;
}

/* Hex without branches on the key bytes. */
static void
key_to_hex(char out[KEY_HEX_LEN + 1], const uint8_t key[KEY_LEN])
{
	unsigned int i;

	for (i = 0; i < KEY_LEN; i++) {
		int hi = key[i] >> 4, lo = key[i] & 0xf;

		out[2 * i] = (char)(hi + '0' + (((9 - hi) >> 8) & ('a' - '0' - 10)));
		out[2 * i + 1] = (char)(lo + '0' + (((9 - lo) >> 8) & ('a' - '0' - 10)));
	}
	out[KEY_HEX_LEN] = '\0';
}

/* 64 hex digits, either case. The whole string is read whatever it holds. */
static bool
key_from_hex(uint8_t out[KEY_LEN], const char *s, size_t len)
{
	unsigned int bad = 0, i;

	if (len != KEY_HEX_LEN)
		return false;
	for (i = 0; i < KEY_HEX_LEN; i++) {
		int c = (unsigned char)s[i];
		int d = c - '0';		/* 0..9 for a digit */
		int l = (c | 0x20) - 'a';	/* 0..5 for a letter */
		unsigned int is_d = (unsigned int)((d >= 0) & (d <= 9));
		unsigned int is_l = (unsigned int)((l >= 0) & (l <= 5));
		unsigned int v = ((unsigned int)d & -is_d) |
			((unsigned int)(l + 10) & -is_l);

		bad |= (is_d | is_l) ^ 1;
		if (i & 1)
			out[i / 2] |= (uint8_t)(v & 0xf);
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	if (bad) {
		wg_memzero(out, KEY_LEN);
		return false;
	}
	return true;
}

/* Decimal digits only (leading zeros allowed), at most max. */
static bool
parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return false;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool
str_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* An address string into out (4 or 16 bytes); no IPv6 scope. */
static int
parse_addr(const char *s, size_t len, uint8_t out[16])
{
	char tmp[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(out, 0, 16);
	if (memchr(tmp, ':', len) != NULL)
		return inet_pton(AF_INET6, tmp, out) == 1 ? AF_INET6 : 0;
	return inet_pton(AF_INET, tmp, out) == 1 ? AF_INET : 0;
}

/* IP:port or [IPv6]:port, numeric, no scope, no unspecified address, port > 0. */
static bool
parse_endpoint(const char *s, size_t len, struct wg_endpoint *ep)
{
	const char *host, *colon;
	size_t host_len;
	uint64_t port;
	int family;

	if (len == 0)
		return false;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close == NULL || close + 1 >= s + len || close[1] != ':')
			return false;
		host = s + 1;
		host_len = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = memrchr(s, ':', len);
		if (colon == NULL)
			return false;
		host = s;
		host_len = (size_t)(colon - s);
	}
	if (!parse_uint(colon + 1, len - (size_t)(colon + 1 - s), 65535, &port) ||
	    port == 0)
		return false;
	memset(ep, 0, sizeof(*ep));
	family = parse_addr(host, host_len, ep->addr);
	/* an IPv6 address must be bracketed, an IPv4 one must not */
	if (family == 0 || (family == AF_INET6) != (s[0] == '['))
		return false;
	if (wg_is_zero(ep->addr, 16))
		return false;
	ep->family = (uint8_t)family;
	ep->port = (uint16_t)port;
	return true;
}

static void
mask_prefix(uint8_t addr[16], unsigned int cidr)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (cidr >= 8) {
			cidr -= 8;
			continue;
		}
		addr[i] &= (uint8_t)(0xff00u >> cidr);
		cidr = 0;
	}
}

/* ADDR/CIDR, host bits cleared; CIDR decimal without leading zeros. */
static bool
parse_allowed_ip(const char *s, size_t len, struct wg_allowed_ip *aip)
{
	const char *slash = memchr(s, '/', len);
	size_t clen;
	uint64_t cidr;
	int family;

	if (slash == NULL)
		return false;
	clen = len - (size_t)(slash + 1 - s);
	if (clen == 0 || clen > 3 || (clen > 1 && slash[1] == '0'))
		return false;
	if (!parse_uint(slash + 1, clen, 128, &cidr))
		return false;
	memset(aip, 0, sizeof(*aip));
	family = parse_addr(s, (size_t)(slash - s), aip->addr);
	if (family == 0 || (family == AF_INET && cidr > 32))
		return false;
	aip->family = (uint8_t)family;
	aip->cidr = (uint8_t)cidr;
	mask_prefix(aip->addr, aip->cidr);
	return true;
}

static int
format_addr(char *out, size_t len, int family, const uint8_t *addr)
{
	return inet_ntop(family, addr, out, (socklen_t)len) != NULL ? 0 : -EINVAL;
}

static uint64_t
uapi_now(const struct wg_uapi *u)
{
	struct timespec ts;

	if (u->ops.now_ns != NULL)
		return u->ops.now_ns(u->ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint16_t
uapi_listen_port(const struct wg_uapi *u)
{
	if (u->ops.get_listen_port != NULL)
		return u->ops.get_listen_port(u->ctx);
	return u->listen_port;
}

static void __attribute__((format(printf, 2, 3)))
uapi_log(const struct wg_uapi *u, const char *fmt, ...)
{
	char msg[ERRMSG_MAX + 64];
	va_list ap;

	if (u->ops.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	u->ops.log(u->ctx, msg);
}

/* ---- set: parsing into a plan ------------------------------------------ */

enum {
	SEC_REMOVE		= 1 << 0,
	SEC_UPDATE_ONLY		= 1 << 1,
	SEC_HAS_PSK		= 1 << 2,
	SEC_HAS_ENDPOINT	= 1 << 3,
	SEC_HAS_PKA		= 1 << 4,
	SEC_REPLACE_AIPS	= 1 << 5,
	SEC_PRECREATE		= 1 << 6,
};

enum sec_action {
	ACT_IGNORE = 0,
	ACT_REMOVE,
	ACT_CREATE,
	ACT_UPDATE,
};

/* One peer section (public_key= line and what follows it). */
struct plan_peer {
	uint8_t public_key[KEY_LEN];
	uint8_t psk[KEY_LEN];
	struct wg_endpoint endpoint;
	uint32_t aip_first;
	uint32_t aip_count;
	uint32_t group;			/* its key's group (commit) */
	uint16_t pka;
	uint8_t flags;
	uint8_t action;			/* enum sec_action (commit) */
};

struct set_ctx {
	struct wg_uapi *u;
	int err;			/* first error: positive errno, 0 = none */
	char errmsg[ERRMSG_MAX];
	uint32_t line_no;

	bool has_private_key;
	bool has_listen_port;
	bool has_fwmark;
	bool replace_peers;
	uint8_t private_key[KEY_LEN];
	uint16_t listen_port;
	uint32_t fwmark;

	struct plan_peer *peers;
	size_t n_peers;
	size_t cap_peers;
	struct wg_allowed_ip *aips;
	size_t n_aips;
	size_t cap_aips;
};

static struct set_ctx *
set_create(struct wg_uapi *u)
{
	struct set_ctx *c = calloc(1, sizeof(*c));

	if (c != NULL) {
		c->u = u;
		c->line_no = 1;		/* set=1 */
	}
	return c;
}

static void
set_free(struct set_ctx *c)
{
	if (c == NULL)
		return;
	if (c->peers != NULL) {
		wg_memzero(c->peers, c->cap_peers * sizeof(*c->peers));
		free(c->peers);
	}
	if (c->aips != NULL) {
		wg_memzero(c->aips, c->cap_aips * sizeof(*c->aips));
		free(c->aips);
	}
	wg_memzero(c, sizeof(*c));
	free(c);
}

/*
 * A value that may be echoed in a log line: short, and no long run of
 * hex or base64 characters (it could be a key pasted in the wrong place).
 */
static const char *
shown_value(char *out, size_t outlen, const char *v, size_t len)
{
	size_t i, run = 0;

	if (len > 48 || len + 1 > outlen)
		return "(not shown)";
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)v[i];
		bool alnum = (ch >= '0' && ch <= '9') ||
			((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
			ch == '+' || ch == '/' || ch == '=';

		run = alnum ? run + 1 : 0;
		if (run > 16)
			return "(not shown)";
		out[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	out[len] = '\0';
	return out;
}

static void __attribute__((format(printf, 3, 4)))
set_fail(struct set_ctx *c, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err != 0)
		return;
	c->err = err;
	/* line_no 0: the request as a whole (validation against the device) */
	n = c->line_no != 0 ?
		snprintf(c->errmsg, sizeof(c->errmsg), "line %u: ", c->line_no) : 0;
	if (n < 0 || (size_t)n >= sizeof(c->errmsg))
		return;
	va_start(ap, fmt);
	vsnprintf(c->errmsg + n, sizeof(c->errmsg) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
set_fail_value(struct set_ctx *c, int err, const char *key, size_t klen,
	       const char *v, size_t vlen)
{
	char shown[64];

	set_fail(c, err, "invalid %.*s '%s'", (int)klen, key,
		 shown_value(shown, sizeof(shown), v, vlen));
}

static int
set_interface_line(struct set_ctx *c, const char *k, size_t klen,
		   const char *v, size_t vlen)
{
	uint64_t num;

	if (str_eq(k, klen, "private_key")) {
		if (c->has_private_key)
			goto dup;
		if (!key_from_hex(c->private_key, v, vlen)) {
			set_fail(c, EINVAL, "invalid private_key (not 64 hex digits)");
			return -1;
		}
		c->has_private_key = true;
	} else if (str_eq(k, klen, "listen_port")) {
		if (c->has_listen_port)
			goto dup;
		if (!parse_uint(v, vlen, 65535, &num))
			goto bad;
		c->listen_port = (uint16_t)num;
		c->has_listen_port = true;
	} else if (str_eq(k, klen, "fwmark")) {
		if (c->has_fwmark)
			goto dup;
		if (!parse_uint(v, vlen, UINT32_MAX, &num))
			goto bad;
		c->fwmark = (uint32_t)num;
		c->has_fwmark = true;
	} else if (str_eq(k, klen, "replace_peers")) {
		if (!str_eq(v, vlen, "true"))
			goto bad;
		c->replace_peers = true;
	} else {
		char shown[64];

		set_fail(c, EINVAL, "invalid interface key '%s'",
			 shown_value(shown, sizeof(shown), k, klen));
		return -1;
	}
	return 0;
dup:
	set_fail(c, EINVAL, "%.*s given twice", (int)klen, k);
	return -1;
bad:
	set_fail_value(c, EINVAL, k, klen, v, vlen);
	return -1;
}

static int
set_peer_line(struct set_ctx *c, const char *k, size_t klen, const char *v,
	      size_t vlen)
{
	struct plan_peer *p = &c->peers[c->n_peers - 1];
	uint64_t num;

	if (str_eq(k, klen, "remove")) {
		if (!str_eq(v, vlen, "true"))
			goto bad;
		p->flags |= SEC_REMOVE;
	} else if (str_eq(k, klen, "update_only")) {
		if (!str_eq(v, vlen, "true"))
			goto bad;
		p->flags |= SEC_UPDATE_ONLY;
	} else if (str_eq(k, klen, "preshared_key")) {
		if (!key_from_hex(p->psk, v, vlen)) {
			set_fail(c, EINVAL, "invalid preshared_key (not 64 hex digits)");
			return -1;
		}
		p->flags |= SEC_HAS_PSK;
	} else if (str_eq(k, klen, "endpoint")) {
		if (memchr(v, '%', vlen) != NULL) {
			set_fail(c, EINVAL, "endpoint with an IPv6 scope is not supported");
			return -1;
		}
		if (!parse_endpoint(v, vlen, &p->endpoint))
			goto bad;
		p->flags |= SEC_HAS_ENDPOINT;
	} else if (str_eq(k, klen, "persistent_keepalive_interval")) {
		if (!parse_uint(v, vlen, 65535, &num))
			goto bad;
		p->pka = (uint16_t)num;
		p->flags |= SEC_HAS_PKA;
	} else if (str_eq(k, klen, "replace_allowed_ips")) {
		if (!str_eq(v, vlen, "true"))
			goto bad;
		/* the ones given before in this section go too */
		c->n_aips -= p->aip_count;
		p->aip_count = 0;
		p->flags |= SEC_REPLACE_AIPS;
	} else if (str_eq(k, klen, "allowed_ip")) {
		struct wg_allowed_ip aip;
		void *arr = c->aips;

		if (!parse_allowed_ip(v, vlen, &aip))
			goto bad;
		if (c->n_aips >= c->u->lim.max_allowed_ips) {
			set_fail(c, E2BIG, "more than %u allowed IPs in one request",
				 c->u->lim.max_allowed_ips);
			return -1;
		}
		if (array_reserve(&arr, sizeof(aip), c->n_aips, &c->cap_aips,
				  1) != 0) {
			set_fail(c, ENOMEM, "out of memory");
			return -1;
		}
		c->aips = arr;
		c->aips[c->n_aips++] = aip;
		p->aip_count++;
	} else if (str_eq(k, klen, "protocol_version")) {
		if (!str_eq(v, vlen, "1"))
			goto bad;
	} else {
		char shown[64];

		set_fail(c, EINVAL, "invalid peer key '%s'",
			 shown_value(shown, sizeof(shown), k, klen));
		return -1;
	}
	return 0;
bad:
	set_fail_value(c, EINVAL, k, klen, v, vlen);
	return -1;
}

static int
set_public_key_line(struct set_ctx *c, const char *v, size_t vlen)
{
	struct plan_peer *p;
	void *arr = c->peers;

	if (c->n_peers >= c->u->lim.max_peers) {
		set_fail(c, E2BIG, "more than %u peers in one request",
			 c->u->lim.max_peers);
		return -1;
	}
	if (array_reserve(&arr, sizeof(*p), c->n_peers, &c->cap_peers, 1) != 0) {
		set_fail(c, ENOMEM, "out of memory");
		return -1;
	}
	c->peers = arr;
	p = &c->peers[c->n_peers];
	memset(p, 0, sizeof(*p));
	if (!key_from_hex(p->public_key, v, vlen)) {
		set_fail(c, EINVAL, "invalid public_key (not 64 hex digits)");
		return -1;
	}
	p->aip_first = (uint32_t)c->n_aips;
	c->n_peers++;
	return 0;
}

/* One line without its \n. Errors are recorded in c (first one wins). */
static void
set_line(struct set_ctx *c, const char *line, size_t len)
{
	const char *eq;
	size_t i, klen;

	c->line_no++;
	if (c->err != 0)
		return;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 || ch >= 0x7f) {
			set_fail(c, EPROTO, "control or non-ASCII character");
			return;
		}
	}
	eq = memchr(line, '=', len);
	if (eq == NULL) {
		set_fail(c, EPROTO, "not a key=value line");
		return;
	}
	klen = (size_t)(eq - line);
	if (str_eq(line, klen, "public_key"))
		set_public_key_line(c, eq + 1, len - klen - 1);
	else if (c->n_peers == 0)
		set_interface_line(c, line, klen, eq + 1, len - klen - 1);
	else
		set_peer_line(c, line, klen, eq + 1, len - klen - 1);
}

/* ---- set: validation and atomic application ---------------------------- */

/* One public key of the request: its sections, in request order. */
struct group {
	uint32_t first;			/* index in the sorted order */
	uint32_t count;
	struct wg_peer *p0;		/* the peer before the request */
	unsigned int what;		/* wg_uapi_peer_change bits */
	bool own;			/* the device's own public key */
	bool touched_aips;		/* old prefixes to snapshot */
};

/* A prefix record for the route deltas. */
enum {
	REC_OLD = 0,		/* owner before the request */
	REC_CANDIDATE = 1,	/* inserted by the request */
	REC_NEW = 2,		/* owner after it */
};

struct aip_rec {
	struct wg_allowed_ip aip;
	uint8_t kind;
	uint64_t owner;
	struct wg_peer *peer;
};

struct recs {
	struct aip_rec *v;
	size_t n;
	size_t cap;
};

struct commit {
	struct set_ctx *c;
	struct wg_uapi *u;
	struct wg_device *dev;
	uint64_t now;

	uint32_t *order;		/* sections sorted by key, then index */
	struct group *groups;
	size_t n_groups;

	bool new_has_identity;
	uint8_t new_public[KEY_LEN];
	bool key_changes;
	struct wg_peer *own_p0;		/* removed by the new private key */

	struct wg_uapi_peer_event *events;
	size_t n_events;
	size_t cap_events;

	struct recs recs;
	size_t cap_candidates;		/* reserved room for REC_CANDIDATE */

	uint64_t id_watermark;		/* peers created before the request */
	struct wg_uapi_route_delta *routes;
	size_t n_routes;
};

static int
cmp_section(const void *a, const void *b, void *arg)
{
	const struct plan_peer *peers = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int r = memcmp(peers[x].public_key, peers[y].public_key, KEY_LEN);

	if (r != 0)
		return r;
	return x < y ? -1 : x > y;
}

static int
cmp_aip(const struct wg_allowed_ip *a, const struct wg_allowed_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->cidr != b->cidr)
		return a->cidr < b->cidr ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct aip_rec *x = a, *y = b;
	int r = cmp_aip(&x->aip, &y->aip);

	if (r != 0)
		return r;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

struct walk_ctx {
	struct recs *r;
	uint8_t kind;
	uint64_t owner;
	struct wg_peer *peer;
};

static int
walk_collect(void *arg, int family, const uint8_t *addr, uint8_t cidr)
{
	struct walk_ctx *w = arg;
	struct aip_rec *rec;
	void *v = w->r->v;

	if (array_reserve(&v, sizeof(*rec), w->r->n, &w->r->cap, 1) != 0)
		return -ENOMEM;
	w->r->v = v;
	rec = &w->r->v[w->r->n++];
	memset(rec, 0, sizeof(*rec));
	rec->aip.family = (uint8_t)family;
	rec->aip.cidr = cidr;
	memcpy(rec->aip.addr, addr, family == AF_INET ? 4 : 16);
	rec->kind = w->kind;
	rec->owner = w->owner;
	rec->peer = w->peer;
	return 0;
}

static int
collect_prefixes(struct commit *st, struct wg_peer *peer, uint8_t kind)
{
	struct walk_ctx w = {
		.r = &st->recs, .kind = kind,
		.owner = peer->internal_id, .peer = peer,
	};

	return wg_allowedips_walk_by_peer(st->dev->allowedips, peer,
					  walk_collect, &w);
}

static struct wg_uapi_peer_event *
event_add(struct commit *st, const uint8_t key[KEY_LEN], unsigned int what)
{
	struct wg_uapi_peer_event *ev;

	/* room was reserved before anything changed */
	if (st->n_events >= st->cap_events)
		return NULL;
	ev = &st->events[st->n_events++];
	memcpy(ev->public_key, key, KEY_LEN);
	ev->peer = NULL;
	ev->what = what;
	return ev;
}

/* The new identity, whether it changes, and the peer it would remove. */
static void
commit_identity(struct commit *st)
{
	struct set_ctx *c = st->c;
	const struct wg_static_identity *si = &st->dev->static_identity;
	uint8_t priv[KEY_LEN];

	if (!c->has_private_key) {
		st->new_has_identity = si->has_identity;
		memcpy(st->new_public, si->static_public, KEY_LEN);
		return;
	}
	memcpy(priv, c->private_key, KEY_LEN);
	if (wg_is_zero(priv, KEY_LEN)) {
		st->new_has_identity = false;
	} else {
		priv[0] &= 248;
		priv[31] &= 127;
		priv[31] |= 64;
		st->new_has_identity = wg_x25519_public(st->new_public, priv);
	}
	if (!st->new_has_identity)
		memset(st->new_public, 0, KEY_LEN);
	st->key_changes = st->new_has_identity != si->has_identity ||
		(st->new_has_identity &&
		 !wg_memeq(priv, si->static_private, KEY_LEN));
	wg_memzero(priv, sizeof(priv));
	if (st->key_changes && st->new_has_identity)
		st->own_p0 = wg_device_lookup_peer(st->dev, st->new_public);
}

/*
 * Decides every section's action, the peer count after the request and
 * which prefixes to snapshot. No change to the device.
 */
static int
commit_simulate(struct commit *st)
{
	struct set_ctx *c = st->c;
	size_t i, j, g, n = c->n_peers;
	uint32_t limit;
	int64_t count;

	st->order = malloc((n ? n : 1) * sizeof(*st->order));
	st->groups = calloc(n ? n : 1, sizeof(*st->groups));
	if (st->order == NULL || st->groups == NULL)
		return ENOMEM;
	for (i = 0; i < n; i++)
		st->order[i] = (uint32_t)i;
	qsort_r(st->order, n, sizeof(*st->order), cmp_section, c->peers);

	if (c->replace_peers)
		count = 0;
	else
		count = (int64_t)wg_device_peer_count(st->dev) -
			(st->own_p0 != NULL);

	for (i = 0; i < n; i = g) {
		struct group *gr = &st->groups[st->n_groups];
		struct plan_peer *first = &c->peers[st->order[i]];
		bool exists, init;

		gr->first = (uint32_t)i;
		for (g = i + 1; g < n && memcmp(c->peers[st->order[g]].public_key,
						first->public_key, KEY_LEN) == 0; g++)
			;
		gr->count = (uint32_t)(g - i);
		gr->p0 = wg_device_lookup_peer(st->dev, first->public_key);
		gr->own = st->new_has_identity &&
			memcmp(first->public_key, st->new_public, KEY_LEN) == 0;
		init = gr->p0 != NULL && !c->replace_peers && !gr->own;
		exists = init;
		if (gr->p0 != NULL && (c->replace_peers || gr->own))
			gr->what |= WG_UAPI_PEER_REMOVED;

		for (j = i; j < g; j++) {
			struct plan_peer *p = &c->peers[st->order[j]];

			p->group = (uint32_t)st->n_groups;
			if (gr->own || ((p->flags & SEC_UPDATE_ONLY) && !exists)) {
				p->action = ACT_IGNORE;
			} else if (p->flags & SEC_REMOVE) {
				p->action = exists ? ACT_REMOVE : ACT_IGNORE;
				if (exists)
					gr->what |= WG_UAPI_PEER_REMOVED;
				exists = false;
			} else if (!exists) {
				p->action = ACT_CREATE;
				/* a new key is created ahead, undoably */
				if (gr->p0 == NULL &&
				    !(gr->what & WG_UAPI_PEER_ADDED))
					p->flags |= SEC_PRECREATE;
				gr->what |= WG_UAPI_PEER_ADDED;
				exists = true;
			} else {
				p->action = ACT_UPDATE;
			}
			if (p->action == ACT_CREATE || p->action == ACT_UPDATE) {
				if (p->aip_count != 0 || (p->flags & SEC_REPLACE_AIPS))
					gr->what |= WG_UAPI_PEER_ALLOWED_IPS;
				if (p->flags & SEC_HAS_ENDPOINT)
					gr->what |= WG_UAPI_PEER_ENDPOINT;
				if (p->flags & SEC_HAS_PSK)
					gr->what |= WG_UAPI_PEER_PRESHARED_KEY;
				if (p->flags & SEC_HAS_PKA)
					gr->what |= WG_UAPI_PEER_KEEPALIVE;
				st->cap_candidates += p->aip_count;
			}
		}
		/* the old object's prefixes change if it goes or gets new ones */
		gr->touched_aips = gr->p0 != NULL &&
			(gr->what & (WG_UAPI_PEER_REMOVED | WG_UAPI_PEER_ALLOWED_IPS));
		count += (int64_t)exists - (int64_t)init;
		st->n_groups++;
	}
	limit = c->u->ops.max_peers != NULL ?
		c->u->ops.max_peers(c->u->ctx) : WG_MAX_PEERS_PER_DEVICE;
	if (limit > WG_MAX_PEERS_PER_DEVICE)
		limit = WG_MAX_PEERS_PER_DEVICE;
	if (count > (int64_t)limit) {
		set_fail(c, ENOSPC, "more than %u peers on the device", limit);
		return ENOSPC;
	}
	return 0;
}

struct replace_snap {
	struct commit *st;
	int err;
};

/* replace_peers: every current peer gets a REMOVED event and its prefixes. */
static int
snap_replace_cb(void *arg, struct wg_peer *peer)
{
	struct replace_snap *rs = arg;
	struct commit *st = rs->st;
	const uint8_t *key = wg_peer_public_key(peer);
	uint32_t *hit = NULL;

	/* peers named in the request have their group's event */
	if (st->c->n_peers != 0) {
		size_t lo = 0, hi = st->n_groups;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const struct plan_peer *gp =
				&st->c->peers[st->order[st->groups[mid].first]];
			int r = memcmp(gp->public_key, key, KEY_LEN);

			if (r == 0) {
				hit = &st->order[st->groups[mid].first];
				break;
			}
			if (r < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	if (hit == NULL && event_add(st, key, WG_UAPI_PEER_REMOVED) == NULL) {
		rs->err = ENOMEM;
		return 1;
	}
	if (collect_prefixes(st, peer, REC_OLD) != 0) {
		rs->err = ENOMEM;
		return 1;
	}
	return 0;
}

/* Everything that may fail for memory, before the device changes. */
static int
commit_reserve(struct commit *st)
{
	struct set_ctx *c = st->c;
	size_t i, n_ev;
	void *v;

	n_ev = st->n_groups + 1;
	if (c->replace_peers)
		n_ev += wg_device_peer_count(st->dev);
	st->events = calloc(n_ev, sizeof(*st->events));
	if (st->events == NULL)
		return ENOMEM;
	st->cap_events = n_ev;
	/* the first n_groups events are the groups' (filled in at the end) */
	st->n_events = st->n_groups;

	if (c->replace_peers) {
		struct replace_snap rs = { .st = st };

		wg_device_foreach_peer(st->dev, snap_replace_cb, &rs);
		if (rs.err != 0)
			return rs.err;
	} else {
		for (i = 0; i < st->n_groups; i++)
			if (st->groups[i].touched_aips &&
			    collect_prefixes(st, st->groups[i].p0, REC_OLD) != 0)
				return ENOMEM;
		if (st->own_p0 != NULL) {
			bool named = false;

			for (i = 0; i < st->n_groups; i++)
				if (st->groups[i].p0 == st->own_p0)
					named = true;
			if (!named && (event_add(st, wg_peer_public_key(st->own_p0),
						 WG_UAPI_PEER_REMOVED) == NULL ||
				       collect_prefixes(st, st->own_p0, REC_OLD) != 0))
				return ENOMEM;
		}
	}
	v = st->recs.v;
	if (array_reserve(&v, sizeof(struct aip_rec), st->recs.n,
			  &st->recs.cap, st->cap_candidates) != 0)
		return ENOMEM;
	st->recs.v = v;
	return 0;
}

static void
commit_undo_precreate(struct commit *st, size_t upto)
{
	struct set_ctx *c = st->c;
	size_t i;

	for (i = 0; i < upto; i++) {
		struct plan_peer *p = &c->peers[i];
		struct wg_peer *peer;

		if (!(p->flags & SEC_PRECREATE))
			continue;
		peer = wg_device_lookup_peer(st->dev, p->public_key);
		if (peer != NULL)
			wg_device_remove_peer(st->dev, peer);
	}
}

/* Creates the peers whose keys are new to the device: undoable. */
static int
commit_precreate(struct commit *st)
{
	struct set_ctx *c = st->c;
	size_t i;

	for (i = 0; i < c->n_peers; i++) {
		struct plan_peer *p = &c->peers[i];
		struct wg_peer_config cfg;
		int ret;

		if (!(p->flags & SEC_PRECREATE))
			continue;
		memset(&cfg, 0, sizeof(cfg));
		memcpy(cfg.public_key, p->public_key, KEY_LEN);
		ret = wg_device_add_peer(st->dev, &cfg, st->now, NULL);
		if (ret != 0) {
			commit_undo_precreate(st, i);
			return ret == -ENOMEM ? ENOMEM : -ret;
		}
	}
	return 0;
}

static int
remove_old_cb(void *arg, struct wg_peer *peer)
{
	struct commit *st = arg;

	if (peer->internal_id <= st->id_watermark)
		wg_device_remove_peer(st->dev, peer);
	return 0;
}

/* Applies one CREATE/UPDATE section to peer. 0 or ENOMEM. */
static int
apply_section(struct commit *st, struct plan_peer *p, struct wg_peer *peer)
{
	struct set_ctx *c = st->c;
	uint32_t i;

	if (p->flags & SEC_HAS_PSK)
		wg_device_peer_set_preshared_key(st->dev, peer,
			wg_is_zero(p->psk, KEY_LEN) ? NULL : p->psk);
	if (p->flags & SEC_HAS_ENDPOINT)
		wg_device_peer_set_endpoint(st->dev, peer, &p->endpoint);
	if (p->flags & SEC_REPLACE_AIPS)
		wg_device_peer_clear_allowed_ips(st->dev, peer);
	for (i = 0; i < p->aip_count; i++) {
		const struct wg_allowed_ip *aip = &c->aips[p->aip_first + i];
		struct aip_rec *rec;
		int ret = wg_device_peer_add_allowed_ip(st->dev, peer, aip);

		if (ret != 0)
			return ret == -ENOMEM ? ENOMEM : -ret;
		/* room reserved in commit_reserve() */
		rec = &st->recs.v[st->recs.n++];
		memset(rec, 0, sizeof(*rec));
		rec->aip = *aip;
		rec->kind = REC_CANDIDATE;
	}
	if (p->flags & SEC_HAS_PKA)
		wg_device_peer_set_persistent_keepalive(st->dev, peer, p->pka,
							st->now);
	return 0;
}

/* The device changes from here on. 0, or ENOMEM with a partial apply. */
static int
commit_apply(struct commit *st)
{
	struct set_ctx *c = st->c;
	size_t i;
	int ret;

	if (c->replace_peers)
		wg_device_foreach_peer(st->dev, remove_old_cb, st);
	if (c->has_private_key)
		wg_device_set_private_key(st->dev, c->private_key, st->now);

	for (i = 0; i < c->n_peers; i++) {
		struct plan_peer *p = &c->peers[i];
		struct wg_peer *peer = NULL;

		switch (p->action) {
		case ACT_IGNORE:
			continue;
		case ACT_REMOVE:
			peer = wg_device_lookup_peer(st->dev, p->public_key);
			if (peer != NULL)
				wg_device_remove_peer(st->dev, peer);
			continue;
		case ACT_CREATE:
			if (p->flags & SEC_PRECREATE) {
				peer = wg_device_lookup_peer(st->dev,
							     p->public_key);
			} else {
				struct wg_peer_config cfg;

				memset(&cfg, 0, sizeof(cfg));
				memcpy(cfg.public_key, p->public_key, KEY_LEN);
				ret = wg_device_add_peer(st->dev, &cfg, st->now,
							 &peer);
				if (ret != 0)
					return ret == -ENOMEM ? ENOMEM : -ret;
			}
			break;
		default:
			peer = wg_device_lookup_peer(st->dev, p->public_key);
			break;
		}
		if (peer == NULL)	/* cannot happen: simulated */
			return EIO;
		ret = apply_section(st, p, peer);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* Route deltas from the records; false if out of memory. */
static bool
commit_routes(struct commit *st)
{
	size_t i, j;

	for (i = 0; i < st->n_groups; i++) {
		struct wg_uapi_peer_event *ev = &st->events[i];

		if (ev->peer != NULL &&
		    (ev->what & (WG_UAPI_PEER_ADDED | WG_UAPI_PEER_ALLOWED_IPS)) &&
		    collect_prefixes(st, ev->peer, REC_NEW) != 0)
			return false;
	}
	if (st->recs.n == 0)
		return true;
	qsort(st->recs.v, st->recs.n, sizeof(*st->recs.v), cmp_rec);
	st->routes = calloc(st->recs.n, sizeof(*st->routes));
	if (st->routes == NULL)
		return false;
	for (i = 0; i < st->recs.n; i = j) {
		const struct aip_rec *old = NULL, *nw = NULL;
		bool candidate = false;

		for (j = i; j < st->recs.n &&
		     cmp_aip(&st->recs.v[i].aip, &st->recs.v[j].aip) == 0; j++) {
			const struct aip_rec *r = &st->recs.v[j];

			if (r->kind == REC_OLD)
				old = r;
			else if (r->kind == REC_CANDIDATE)
				candidate = true;
			else
				nw = r;
		}
		if (nw != NULL && (old == NULL || old->owner != nw->owner)) {
			st->routes[st->n_routes].prefix = nw->aip;
			st->routes[st->n_routes++].peer = nw->peer;
		} else if (nw == NULL && (old != NULL || candidate)) {
			st->routes[st->n_routes].prefix = st->recs.v[i].aip;
			st->routes[st->n_routes++].peer = NULL;
		}
	}
	return true;
}

static void
commit_notify(struct commit *st, unsigned int iface)
{
	struct wg_uapi_change chg;
	size_t i, n = 0;
	int ret;

	/* group events first (indices match groups), then the others */
	for (i = 0; i < st->n_groups; i++) {
		struct plan_peer *p = &st->c->peers[st->order[st->groups[i].first]];
		struct wg_uapi_peer_event *ev = &st->events[i];

		memcpy(ev->public_key, p->public_key, KEY_LEN);
		ev->what = st->groups[i].what;
		ev->peer = wg_device_lookup_peer(st->dev, p->public_key);
		/* created and removed again: nothing for the driver */
		if (ev->peer == NULL && st->groups[i].p0 == NULL)
			ev->what = 0;
	}
	memset(&chg, 0, sizeof(chg));
	chg.iface = iface;
	chg.routes_complete = commit_routes(st);
	if (chg.routes_complete) {
		chg.routes = st->routes;
		chg.n_routes = st->n_routes;
	}
	/* compact: drop the events with nothing in them */
	for (i = 0; i < st->n_events; i++)
		if (st->events[i].what != 0)
			st->events[n++] = st->events[i];
	st->n_events = n;
	chg.peers = st->events;
	chg.n_peers = n;
	if (chg.iface == 0 && chg.n_peers == 0)
		return;
	if (st->u->ops.config_changed == NULL)
		return;
	ret = st->u->ops.config_changed(st->u->ctx, &chg);
	if (ret < 0 && st->c->err == 0)
		set_fail(st->c, -ret, "the driver could not apply it all: %s",
			 strerror(-ret));
}

static void
commit_free(struct commit *st)
{
	free(st->order);
	free(st->groups);
	free(st->events);
	free(st->recs.v);
	free(st->routes);
	wg_memzero(st->new_public, sizeof(st->new_public));
}

/* Validates and applies c. 0 or a positive errno. */
static int
set_commit(struct set_ctx *c)
{
	struct wg_uapi *u = c->u;
	struct commit st;
	unsigned int iface = 0;
	uint16_t old_port = 0;
	uint32_t old_fwmark = u->fwmark;
	bool port_set = false, fwmark_set = false;
	int ret;

	if (c->err != 0)
		return c->err;
	c->line_no = 0;
	memset(&st, 0, sizeof(st));
	st.c = c;
	st.u = u;
	st.dev = u->dev;
	st.now = uapi_now(u);
	st.id_watermark = u->dev->next_peer_id;
	commit_identity(&st);
	ret = commit_simulate(&st);
	if (ret == 0)
		ret = commit_reserve(&st);
	if (ret != 0) {
		if (c->err == 0)
			set_fail(c, ret, "out of memory");
		goto out;
	}

	/* undoable steps: listen port, fwmark, new peers */
	if (c->has_listen_port) {
		old_port = uapi_listen_port(u);
		if (c->listen_port != old_port) {
			if (u->ops.set_listen_port != NULL) {
				ret = u->ops.set_listen_port(u->ctx, c->listen_port);
				if (ret != 0) {
					ret = ret < 0 ? -ret : EIO;
					set_fail(c, ret, "cannot use listen_port %u: %s",
						 c->listen_port, strerror(ret));
					goto out;
				}
			}
			u->listen_port = c->listen_port;
			port_set = true;
			if (uapi_listen_port(u) != old_port)
				iface |= WG_UAPI_IFACE_LISTEN_PORT;
		}
	}
	if (c->has_fwmark && c->fwmark != u->fwmark) {
		if (u->ops.set_fwmark != NULL) {
			ret = u->ops.set_fwmark(u->ctx, c->fwmark);
			if (ret != 0) {
				ret = ret < 0 ? -ret : EIO;
				set_fail(c, ret, "cannot set fwmark: %s",
					 strerror(ret));
				goto undo;
			}
		}
		u->fwmark = c->fwmark;
		fwmark_set = true;
		iface |= WG_UAPI_IFACE_FWMARK;
	}
	ret = commit_precreate(&st);
	if (ret != 0) {
		set_fail(c, ret, "cannot create peers: %s", strerror(ret));
		goto undo;
	}

	/* the device changes from here on */
	if (c->replace_peers)
		iface |= WG_UAPI_IFACE_PEERS_REPLACED;
	if (st.key_changes)
		iface |= WG_UAPI_IFACE_PRIVATE_KEY;
	ret = commit_apply(&st);
	if (ret != 0) {
		set_fail(c, ret, "applying stopped halfway: %s", strerror(ret));
		uapi_log(u, "uapi: set partly applied: %s", c->errmsg);
	}
	commit_notify(&st, iface);
	goto out;

undo:
	if (fwmark_set) {
		if (u->ops.set_fwmark != NULL)
			u->ops.set_fwmark(u->ctx, old_fwmark);
		u->fwmark = old_fwmark;
	}
	if (port_set) {
		if (u->ops.set_listen_port != NULL)
			u->ops.set_listen_port(u->ctx, old_port);
		u->listen_port = old_port;
	}
out:
	commit_free(&st);
	return c->err;
}

/* ---- get ---------------------------------------------------------------- */

struct get_ref {
	uint64_t id;
	uint8_t key[KEY_LEN];
};

struct get_ctx {
	struct wg_uapi *u;
	struct get_ref *refs;
	size_t n_refs;
	size_t cap_refs;
	size_t next;
	struct sbuf text;		/* staged, not yet taken */
	size_t off;
	struct wg_allowed_ip *aips;	/* one peer's, for sorting */
	size_t n_aips;
	size_t cap_aips;
	bool finished;			/* errno line staged */
	bool complete;			/* everything taken */
};

static int
get_ref_cb(void *arg, struct wg_peer *peer)
{
	struct get_ctx *g = arg;
	void *v = g->refs;

	if (array_reserve(&v, sizeof(*g->refs), g->n_refs, &g->cap_refs, 1) != 0)
		return -ENOMEM;
	g->refs = v;
	g->refs[g->n_refs].id = peer->internal_id;
	memcpy(g->refs[g->n_refs].key, wg_peer_public_key(peer), KEY_LEN);
	g->n_refs++;
	return 0;
}

static int
cmp_ref(const void *a, const void *b)
{
	const struct get_ref *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
stage_key(struct sbuf *b, const char *name, const uint8_t key[KEY_LEN])
{
	char hex[KEY_HEX_LEN + 1];
	int ret;

	key_to_hex(hex, key);
	ret = sbuf_printf(b, "%s=%s\n", name, hex);
	wg_memzero(hex, sizeof(hex));
	return ret;
}

static int
collect_aip(void *arg, int family, const uint8_t *addr, uint8_t cidr)
{
	struct get_ctx *g = arg;
	struct wg_allowed_ip *aip;
	void *v = g->aips;

	if (array_reserve(&v, sizeof(*aip), g->n_aips, &g->cap_aips, 1) != 0)
		return -ENOMEM;
	g->aips = v;
	aip = &g->aips[g->n_aips++];
	memset(aip, 0, sizeof(*aip));
	aip->family = (uint8_t)family;
	aip->cidr = cidr;
	memcpy(aip->addr, addr, family == AF_INET ? 4 : 16);
	return 0;
}

/* IPv4 first, then by address, then by prefix length: a stable listing. */
static int
cmp_aip_listing(const void *a, const void *b)
{
	const struct wg_allowed_ip *x = a, *y = b;
	int r;

	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	r = memcmp(x->addr, y->addr, sizeof(x->addr));
	if (r != 0)
		return r;
	return x->cidr < y->cidr ? -1 : x->cidr > y->cidr;
}

static int
stage_aips(struct get_ctx *g, struct wg_peer *peer)
{
	char ip[INET6_ADDRSTRLEN];
	size_t i;
	int ret;

	g->n_aips = 0;
	ret = wg_allowedips_walk_by_peer(g->u->dev->allowedips, peer,
					 collect_aip, g);
	if (ret != 0)
		return ret;
	if (g->n_aips > 1)
		qsort(g->aips, g->n_aips, sizeof(*g->aips), cmp_aip_listing);
	for (i = 0; i < g->n_aips && ret == 0; i++) {
		const struct wg_allowed_ip *a = &g->aips[i];

		if (format_addr(ip, sizeof(ip), a->family, a->addr) == 0)
			ret = sbuf_printf(&g->text, "allowed_ip=%s/%u\n", ip,
					  a->cidr);
	}
	return ret;
}

static int
stage_peer(struct get_ctx *g, struct wg_peer *peer)
{
	struct sbuf *b = &g->text;
	char ip[INET6_ADDRSTRLEN];
	uint64_t hs = peer->last_handshake_real_ns;
	int ret;

	ret = stage_key(b, "public_key", wg_peer_public_key(peer));
	if (ret == 0)
		ret = stage_key(b, "preshared_key", peer->handshake.preshared_key);
	if (ret == 0)
		ret = sbuf_printf(b, "protocol_version=1\n");
	if (ret == 0 && (peer->endpoint.family == AF_INET ||
			 peer->endpoint.family == AF_INET6) &&
	    format_addr(ip, sizeof(ip), peer->endpoint.family,
			peer->endpoint.addr) == 0) {
		if (peer->endpoint.family == AF_INET6)
			ret = sbuf_printf(b, "endpoint=[%s]:%u\n", ip,
					  peer->endpoint.port);
		else
			ret = sbuf_printf(b, "endpoint=%s:%u\n", ip,
					  peer->endpoint.port);
	}
	if (ret == 0)
		ret = sbuf_printf(b, "last_handshake_time_sec=%" PRIu64 "\n"
				  "last_handshake_time_nsec=%" PRIu64 "\n"
				  "tx_bytes=%" PRIu64 "\nrx_bytes=%" PRIu64 "\n"
				  "persistent_keepalive_interval=%u\n",
				  (uint64_t)(hs / 1000000000ULL),
				  (uint64_t)(hs % 1000000000ULL),
				  atomic_load_explicit(&peer->tx_bytes,
						       memory_order_relaxed),
				  atomic_load_explicit(&peer->rx_bytes,
						       memory_order_relaxed),
				  wg_peer_persistent_keepalive(peer));
	if (ret == 0)
		ret = stage_aips(g, peer);
	return ret;
}

static void
get_free(struct get_ctx *g)
{
	if (g == NULL)
		return;
	free(g->refs);
	free(g->aips);
	sbuf_free(&g->text);
	free(g);
}

static struct get_ctx *
get_create(struct wg_uapi *u)
{
	struct wg_device *dev = u->dev;
	struct get_ctx *g = calloc(1, sizeof(*g));
	uint16_t port;
	int ret = 0;

	if (g == NULL)
		return NULL;
	g->u = u;
	if (wg_device_foreach_peer(dev, get_ref_cb, g) != 0)
		goto fail;
	if (g->n_refs > 1)
		qsort(g->refs, g->n_refs, sizeof(*g->refs), cmp_ref);
	if (dev->static_identity.has_identity)
		ret = stage_key(&g->text, "private_key",
				dev->static_identity.static_private);
	port = uapi_listen_port(u);
	if (ret == 0 && port != 0)
		ret = sbuf_printf(&g->text, "listen_port=%u\n", port);
	if (ret == 0 && u->fwmark != 0)
		ret = sbuf_printf(&g->text, "fwmark=%u\n", u->fwmark);
	if (ret != 0)
		goto fail;
	return g;
fail:
	get_free(g);
	return NULL;
}

/* Copies out up to len bytes of the response. */
static size_t
get_read(struct get_ctx *g, char *out, size_t len)
{
	size_t n = 0;

	while (n < len && !g->complete) {
		if (g->off < g->text.len) {
			size_t k = g->text.len - g->off;

			if (k > len - n)
				k = len - n;
			memcpy(out + n, g->text.p + g->off, k);
			g->off += k;
			n += k;
			continue;
		}
		sbuf_wipe(&g->text);
		g->off = 0;
		if (g->finished) {
			g->complete = true;
		} else if (g->next < g->n_refs) {
			const struct get_ref *r = &g->refs[g->next++];
			struct wg_peer *peer = wg_device_lookup_peer(g->u->dev,
								     r->key);

			if (peer != NULL && stage_peer(g, peer) != 0) {
				/* wg(8) reads a positive errno in a get */
				sbuf_wipe(&g->text);
				g->next = g->n_refs;
				g->finished = true;
				if (sbuf_printf(&g->text, "errno=%d\n\n", ENOMEM) != 0)
					g->complete = true;
			}
		} else {
			g->finished = true;
			if (sbuf_printf(&g->text, "errno=0\n\n") != 0)
				g->complete = true;
		}
	}
	return n;
}

/* ---- sessions ----------------------------------------------------------- */

enum sess_state {
	SESS_OP,		/* expecting get=1 or set=1 */
	SESS_GET_BLANK,		/* after get=1: its blank line */
	SESS_SET,		/* set lines up to the blank line */
	SESS_GET_OUT,		/* producing a get response */
	SESS_REPLY,		/* sending reply[] */
	SESS_DONE,
};

struct wg_uapi_session {
	struct wg_uapi *u;
	enum sess_state state;
	bool eof;
	bool close_after;		/* done once the reply is out */
	bool line_long;
	uint32_t line_len;
	uint64_t req_bytes;
	uint64_t requests;
	struct set_ctx *set;
	struct get_ctx *get;
	char reply[32];
	size_t reply_len;
	size_t reply_off;
	char *line;			/* lim.max_line + 1 bytes */
};

struct wg_uapi *
wg_uapi_create(struct wg_device *dev, const struct wg_uapi_ops *ops,
	       void *ctx, const struct wg_uapi_limits *limits)
{
	struct wg_uapi *u;

	if (dev == NULL) {
		errno = EINVAL;
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return NULL;
	u->dev = dev;
	if (ops != NULL)
		u->ops = *ops;
	u->ctx = ctx;
	if (limits != NULL)
		u->lim = *limits;
	if (u->lim.max_line == 0)
		u->lim.max_line = WG_UAPI_DEFAULT_MAX_LINE;
	if (u->lim.max_request == 0)
		u->lim.max_request = WG_UAPI_DEFAULT_MAX_REQUEST;
	if (u->lim.max_peers == 0)
		u->lim.max_peers = WG_UAPI_DEFAULT_MAX_PEERS;
	if (u->lim.max_allowed_ips == 0)
		u->lim.max_allowed_ips = WG_UAPI_DEFAULT_MAX_ALLOWED_IPS;
	if (u->lim.max_line < 64 || u->lim.max_line > 4096) {
		free(u);
		errno = EINVAL;
		return NULL;
	}
	return u;
}

void
wg_uapi_free(struct wg_uapi *u)
{
	free(u);
}

uint32_t
wg_uapi_fwmark(const struct wg_uapi *u)
{
	return u->fwmark;
}

struct wg_uapi_session *
wg_uapi_session_create(struct wg_uapi *u)
{
	struct wg_uapi_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->line = malloc(u->lim.max_line + 1);
	if (s->line == NULL) {
		free(s);
		return NULL;
	}
	s->u = u;
	s->state = SESS_OP;
	return s;
}

static void
sess_drop_request(struct wg_uapi_session *s)
{
	set_free(s->set);
	s->set = NULL;
	get_free(s->get);
	s->get = NULL;
	wg_memzero(s->line, s->u->lim.max_line + 1);
	s->line_len = 0;
	s->line_long = false;
	s->req_bytes = 0;
}

void
wg_uapi_session_free(struct wg_uapi_session *s)
{
	if (s == NULL)
		return;
	sess_drop_request(s);
	free(s->line);
	wg_memzero(s, sizeof(*s));
	free(s);
}

/* Ends the request with errno=value (as sent) and maybe the connection. */
static void
sess_reply(struct wg_uapi_session *s, int value, bool close)
{
	int n = snprintf(s->reply, sizeof(s->reply), "errno=%d\n\n", value);

	s->reply_len = n > 0 ? (size_t)n : 0;
	s->reply_off = 0;
	s->close_after = close;
	s->state = SESS_REPLY;
	s->req_bytes = 0;
	set_free(s->set);
	s->set = NULL;
}

static void
sess_line(struct wg_uapi_session *s)
{
	const char *line = s->line;
	size_t len = s->line_len;
	int err;

	switch (s->state) {
	case SESS_OP:
		if (!s->line_long && str_eq(line, len, "get=1")) {
			s->state = SESS_GET_BLANK;
		} else if (!s->line_long && str_eq(line, len, "set=1")) {
			s->set = set_create(s->u);
			if (s->set == NULL) {
				sess_reply(s, -ENOMEM, true);
				return;
			}
			s->state = SESS_SET;
		} else {
			uapi_log(s->u, "uapi: unknown operation");
			sess_reply(s, -EPROTO, true);
		}
		break;
	case SESS_GET_BLANK:
		if (s->line_long || len != 0) {
			uapi_log(s->u, "uapi: get=1 not followed by a blank line");
			sess_reply(s, -EINVAL, true);
			return;
		}
		s->get = get_create(s->u);
		if (s->get == NULL) {
			sess_reply(s, ENOMEM, true);
			return;
		}
		s->state = SESS_GET_OUT;
		s->req_bytes = 0;
		break;
	case SESS_SET:
		if (s->line_long) {
			s->set->line_no++;
			set_fail(s->set, EPROTO, "line longer than %u bytes",
				 s->u->lim.max_line);
			return;
		}
		if (len != 0) {
			set_line(s->set, line, len);
			return;
		}
		err = set_commit(s->set);
		if (err != 0)
			uapi_log(s->u, "uapi: set refused: %s", s->set->errmsg);
		sess_reply(s, -err, false);
		break;
	default:
		break;
	}
}

bool
wg_uapi_session_wants_input(const struct wg_uapi_session *s)
{
	return !s->eof && (s->state == SESS_OP || s->state == SESS_GET_BLANK ||
			   s->state == SESS_SET);
}

bool
wg_uapi_session_has_output(const struct wg_uapi_session *s)
{
	return s->state == SESS_REPLY || s->state == SESS_GET_OUT;
}

bool
wg_uapi_session_done(const struct wg_uapi_session *s)
{
	return s->state == SESS_DONE;
}

uint64_t
wg_uapi_session_requests(const struct wg_uapi_session *s)
{
	return s->requests;
}

size_t
wg_uapi_session_input(struct wg_uapi_session *s, const void *buf, size_t len)
{
	const char *p = buf;
	size_t used = 0, max = s->u->lim.max_line;

	while (used < len && wg_uapi_session_wants_input(s)) {
		const char *start = p + used;
		const char *nl = memchr(start, '\n', len - used);
		size_t take = nl != NULL ? (size_t)(nl - start) + 1 : len - used;
		size_t text = nl != NULL ? take - 1 : take;

		s->req_bytes += take;
		if (s->req_bytes > s->u->lim.max_request) {
			uapi_log(s->u, "uapi: request over %" PRIu64 " bytes",
				 s->u->lim.max_request);
			sess_drop_request(s);
			sess_reply(s, -EMSGSIZE, true);
			return used + take;
		}
		if (!s->line_long) {
			if (s->line_len + text > max) {
				s->line_long = true;
				wg_memzero(s->line, s->line_len);
				s->line_len = 0;
			} else {
				memcpy(s->line + s->line_len, start, text);
				s->line_len += (uint32_t)text;
			}
		}
		used += take;
		if (nl != NULL) {
			sess_line(s);
			wg_memzero(s->line, s->line_len);
			s->line_len = 0;
			s->line_long = false;
		}
	}
	return used;
}

void
wg_uapi_session_input_eof(struct wg_uapi_session *s)
{
	s->eof = true;
	if (s->state == SESS_OP || s->state == SESS_GET_BLANK ||
	    s->state == SESS_SET) {
		/* an unfinished request is dropped, nothing applied */
		sess_drop_request(s);
		s->state = SESS_DONE;
	} else if (s->state != SESS_DONE) {
		s->close_after = true;
	}
}

size_t
wg_uapi_session_output(struct wg_uapi_session *s, void *buf, size_t len)
{
	char *out = buf;
	size_t n = 0;

	while (n < len) {
		if (s->state == SESS_REPLY) {
			size_t k = s->reply_len - s->reply_off;

			if (k > len - n)
				k = len - n;
			memcpy(out + n, s->reply + s->reply_off, k);
			s->reply_off += k;
			n += k;
			if (s->reply_off == s->reply_len) {
				s->requests++;
				s->state = s->close_after || s->eof ?
					SESS_DONE : SESS_OP;
			}
		} else if (s->state == SESS_GET_OUT) {
			n += get_read(s->get, out + n, len - n);
			if (s->get->complete) {
				get_free(s->get);
				s->get = NULL;
				s->requests++;
				s->state = s->close_after || s->eof ?
					SESS_DONE : SESS_OP;
			}
		} else {
			break;
		}
	}
	return n;
}

int
wg_uapi_request(struct wg_uapi *u, const char *req, size_t len, char **resp,
		size_t *resp_len)
{
	struct wg_uapi_session *s = wg_uapi_session_create(u);
	struct sbuf out = { 0 };
	size_t used = 0;
	int ret = 0;

	*resp = NULL;
	*resp_len = 0;
	if (s == NULL)
		return -ENOMEM;
	for (;;) {
		used += wg_uapi_session_input(s, req + used, len - used);
		if (used == len && wg_uapi_session_wants_input(s))
			wg_uapi_session_input_eof(s);
		if (wg_uapi_session_has_output(s)) {
			if (sbuf_reserve(&out, 4096) != 0) {
				ret = -ENOMEM;
				break;
			}
			out.len += wg_uapi_session_output(s, out.p + out.len,
							  out.cap - out.len - 1);
			continue;
		}
		if (wg_uapi_session_done(s) || used == len)
			break;
	}
	wg_uapi_session_free(s);
	if (ret != 0 || sbuf_reserve(&out, 0) != 0) {
		sbuf_free(&out);
		return ret != 0 ? ret : -ENOMEM;
	}
	out.p[out.len] = '\0';
	*resp = out.p;
	*resp_len = out.len;
	return 0;
}
