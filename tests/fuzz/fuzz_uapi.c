/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libFuzzer harness: the wg(8) configuration protocol (lib/uapi) on a
 * device with a private key and three peers.
 *
 * Input: one flags byte, then the bytes a client sends.
 *
 *   bit 0  through a session, fed in chunks and drained in chunks whose
 *          sizes come from bits 2-7 (otherwise wg_uapi_request)
 *   bit 1  small limits (max_line 64, 6 peers, 16 allowed IPs, 4 KiB)
 *
 * Hooks: setting listen port 1 fails with EADDRINUSE and fwmark 0xdead
 * with EPERM (rollback paths). Checked besides ASan/UBSan/LSan:
 *   - a response is NUL-terminated at its length;
 *   - when no request was accepted (no "errno=0" in the response: every
 *     set refused or cut short), the device is unchanged: "get=1" reads
 *     the same before and after;
 *   - the change notification is readable, its prefixes have their host
 *     bits clear;
 *   - no log line holds a private or preshared key of the request;
 *   - a session that wants input consumes some, one that has output
 *     produces some (or stops having output), and one that neither
 *     wants input nor has output is done.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"
#include "fuzz_uapi_fixture.h"
#include "uapi/uapi.h"
#include "wireguard/device.h"

#define FU_STREAM	0x01
#define FU_SMALL	0x02
#define FU_MAX_RESP	(1U << 20)
#define FU_MAX_SECRETS	16
#define FU_NOW		(1000 * WG_NSEC_PER_SEC)

struct fu_ctx {
	uint16_t port;
	uint32_t fwmark;
	uint64_t sink;
	/* 64-hex-digit secrets of the request: never in a log line */
	char secrets[FU_MAX_SECRETS][65];
	unsigned int n_secrets;
	char *resp;
	size_t resp_len;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fu_fail(const char *what)
{
	fprintf(stderr, "fuzz_uapi: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fz_rng_install() != 0 || wg_crypto_init() != 0)
		abort();
	return 0;
}

static int
fu_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	    const uint8_t *buf, size_t len)
{
	struct fu_ctx *c = ctx;

	(void)peer;
	(void)dst;
	c->sink += len != 0 ? buf[len - 1] : 0;
	return 0;
}

static void
fu_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)peer;
	(void)pkt;
	(void)len;
}

static uint64_t
fu_real(void *ctx)
{
	(void)ctx;
	return 1700000000ULL * WG_NSEC_PER_SEC;
}

static uint16_t
fu_get_port(void *ctx)
{
	return ((struct fu_ctx *)ctx)->port;
}

static int
fu_set_port(void *ctx, uint16_t port)
{
	if (port == 1)
		return -EADDRINUSE;
	((struct fu_ctx *)ctx)->port = port;
	return 0;
}

static int
fu_set_fwmark(void *ctx, uint32_t fwmark)
{
	if (fwmark == 0xdead)
		return -EPERM;
	((struct fu_ctx *)ctx)->fwmark = fwmark;
	return 0;
}

static int
fu_changed(void *ctx, const struct wg_uapi_change *ch)
{
	struct fu_ctx *c = ctx;
	size_t i;

	for (i = 0; i < ch->n_peers; i++) {
		const struct wg_uapi_peer_event *e = &ch->peers[i];

		c->sink += e->public_key[0] + e->public_key[31] + e->what;
		if (e->peer != NULL)
			c->sink += e->peer->internal_id +
				wg_peer_public_key(e->peer)[0];
	}
	for (i = 0; i < ch->n_routes; i++) {
		const struct wg_uapi_route_delta *r = &ch->routes[i];
		unsigned int bits = r->prefix.family == AF_INET ? 32 : 128, b;

		if ((r->prefix.family != AF_INET &&
		     r->prefix.family != AF_INET6) || r->prefix.cidr > bits)
			fu_fail("route delta with a bad prefix");
		for (b = r->prefix.cidr; b < bits; b++)
			if (r->prefix.addr[b / 8] & (0x80 >> (b % 8)))
				fu_fail("route delta with host bits set");
		if (r->peer != NULL)
			c->sink += r->peer->internal_id;
	}
	return 0;
}

static uint64_t
fu_now(void *ctx)
{
	(void)ctx;
	return FU_NOW;
}

static void
fu_log(void *ctx, const char *msg)
{
	struct fu_ctx *c = ctx;
	unsigned int i;

	if (msg == NULL)
		fu_fail("log(NULL)");
	if (getenv("FUZZ_TRACE") != NULL)
		fprintf(stderr, "fuzz_uapi: log: %s\n", msg);
	for (i = 0; i < c->n_secrets; i++)
		if (strstr(msg, c->secrets[i]) != NULL)
			fu_fail("a key of the request appears in a log line");
}

static bool
fu_is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		(ch >= 'A' && ch <= 'F');
}

/* The 64-hex-digit values of private_key= and preshared_key= lines. */
static void
fu_collect_secrets(struct fu_ctx *c, const uint8_t *req, size_t len)
{
	static const char *const keys[] = { "private_key=", "preshared_key=" };
	size_t i, k, j;

	for (i = 0; i < len && c->n_secrets < FU_MAX_SECRETS; i++) {
		if (i != 0 && req[i - 1] != '\n')
			continue;
		for (k = 0; k < 2; k++) {
			size_t kl = strlen(keys[k]);

			if (len - i < kl + 64 ||
			    memcmp(req + i, keys[k], kl) != 0)
				continue;
			for (j = 0; j < 64 && fu_is_hex((char)req[i + kl + j]); j++)
				;
			if (j < 64)
				continue;
			memcpy(c->secrets[c->n_secrets], req + i + kl, 64);
			c->secrets[c->n_secrets][64] = '\0';
			c->n_secrets++;
		}
	}
}

static void
fu_resp_append(struct fu_ctx *c, const char *p, size_t n)
{
	char *r;

	if (c->resp_len + n > FU_MAX_RESP)
		return;
	r = realloc(c->resp, c->resp_len + n + 1);
	if (r == NULL)
		fu_fail("out of memory");
	c->resp = r;
	memcpy(c->resp + c->resp_len, p, n);
	c->resp_len += n;
	c->resp[c->resp_len] = '\0';
}

static char *
fu_get(struct wg_uapi *u)
{
	char *resp = NULL;
	size_t len = 0;

	if (wg_uapi_request(u, "get=1\n\n", 7, &resp, &len) != 0 ||
	    resp == NULL)
		fu_fail("get=1 failed");
	if (resp[len] != '\0' || strlen(resp) != len)
		fu_fail("get response not NUL-terminated at its length");
	return resp;
}

static void
fu_stream(struct fu_ctx *c, struct wg_uapi *u, const uint8_t *req,
	  size_t len, uint8_t seed)
{
	struct wg_uapi_session *s = wg_uapi_session_create(u);
	uint32_t x = seed * 2654435761U + 1;
	size_t pos = 0, iter;
	bool eof = false;
	char out[257];

	if (s == NULL)
		fu_fail("session_create failed");
	for (iter = 0; iter < 10 * len + 100000; iter++) {
		size_t n, chunk;
		bool wanted;

		x = x * 1103515245U + 12345U;
		chunk = 1 + (x >> 16) % (seed < 8 ? 1 : seed < 32 ? 17 : 256);
		if (wg_uapi_session_has_output(s)) {
			n = wg_uapi_session_output(s, out, chunk);
			if (n > chunk)
				fu_fail("output gave more than asked");
			/*
			 * 0 is tolerated once: the end of a get response can
			 * be noticed by a call that produces nothing.
			 */
			if (n == 0 && wg_uapi_session_has_output(s))
				fu_fail("has_output but output gives nothing");
			fu_resp_append(c, out, n);
			continue;
		}
		if (wg_uapi_session_done(s))
			break;
		if (pos < len) {
			if (chunk > len - pos)
				chunk = len - pos;
			wanted = wg_uapi_session_wants_input(s);
			n = wg_uapi_session_input(s, req + pos, chunk);
			if (n > chunk)
				fu_fail("input consumed more than given");
			if (n == 0 && wanted)
				fu_fail("wants input but consumed none");
			if (n == 0 && !wg_uapi_session_has_output(s) &&
			    !wg_uapi_session_done(s))
				fu_fail("session stuck: no input, no output");
			pos += n;
			continue;
		}
		if (eof)
			break;
		wg_uapi_session_input_eof(s);
		eof = true;
	}
	wg_uapi_session_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t net[3][4] = {
		{ 10, 9, 0, 2 }, { 10, 9, 0, 3 }, { 10, 9, 1, 0 },
	};
	struct wg_uapi_limits lim, *limp = NULL;
	struct wg_device_ops ops;
	struct wg_uapi_ops uops;
	struct wg_device *dev;
	struct wg_uapi *u;
	struct fu_fixture fx;
	struct fu_ctx c;
	uint8_t flags;
	char *before, *after = NULL;
	unsigned int i;

	if (size < 1)
		return 0;
	flags = data[0];
	data++;
	size--;
	memset(&c, 0, sizeof(c));
	c.port = 51820;
	fu_fixture_keys(&fx);
	memset(&ops, 0, sizeof(ops));
	ops.send_udp = fu_send_udp;
	ops.deliver_inner = fu_deliver;
	ops.now_real_ns = fu_real;
	dev = wg_device_create(&ops, &c, FU_NOW);
	if (dev == NULL)
		fu_fail("wg_device_create failed");
	wg_device_set_private_key(dev, fx.priv, FU_NOW);
	for (i = 0; i < FU_NPEERS; i++) {
		struct wg_allowed_ip aip;
		struct wg_peer_config pc;

		memset(&pc, 0, sizeof(pc));
		memset(&aip, 0, sizeof(aip));
		memcpy(pc.public_key, fx.peer_pub[i], WG_KEY_LEN);
		aip.family = AF_INET;
		aip.cidr = i == 2 ? 24 : 32;
		memcpy(aip.addr, net[i], 4);
		pc.allowed_ips = &aip;
		pc.n_allowed_ips = 1;
		if (i == 1) {
			pc.has_preshared_key = true;
			memcpy(pc.preshared_key, fx.psk, WG_KEY_LEN);
			pc.endpoint.family = AF_INET6;
			pc.endpoint.port = 51821;
			pc.endpoint.addr[0] = 0x20;
			pc.endpoint.addr[1] = 0x01;
			pc.endpoint.addr[15] = 2;
		} else if (i == 0) {
			pc.endpoint.family = AF_INET;
			pc.endpoint.port = 51820;
			memcpy(pc.endpoint.addr, net[1], 4);
		}
		if (wg_device_add_peer(dev, &pc, FU_NOW, NULL) != 0)
			fu_fail("add_peer failed");
	}

	memset(&uops, 0, sizeof(uops));
	uops.get_listen_port = fu_get_port;
	uops.set_listen_port = fu_set_port;
	uops.set_fwmark = fu_set_fwmark;
	uops.config_changed = fu_changed;
	uops.now_ns = fu_now;
	uops.log = fu_log;
	/* an invalid limit is refused */
	memset(&lim, 0, sizeof(lim));
	lim.max_line = 10;
	if (wg_uapi_create(dev, NULL, NULL, &lim) != NULL)
		fu_fail("wg_uapi_create accepted max_line 10");
	if (flags & FU_SMALL) {
		memset(&lim, 0, sizeof(lim));
		lim.max_line = 64;
		lim.max_request = 4096;
		lim.max_peers = 6;
		lim.max_allowed_ips = 16;
		limp = &lim;
	}
	u = wg_uapi_create(dev, &uops, &c, limp);
	if (u == NULL)
		fu_fail("wg_uapi_create failed");
	fu_collect_secrets(&c, data, size);

	before = fu_get(u);
	if (flags & FU_STREAM) {
		fu_stream(&c, u, data, size, flags >> 2);
	} else {
		char *resp = NULL;
		size_t len = 0;

		if (wg_uapi_request(u, (const char *)data, size, &resp,
				    &len) != 0)
			fu_fail("wg_uapi_request failed");
		if (resp == NULL || resp[len] != '\0')
			fu_fail("response not NUL-terminated at its length");
		fu_resp_append(&c, resp, len);
		free(resp);
	}
	if (getenv("FUZZ_TRACE") != NULL)
		fprintf(stderr, "fuzz_uapi: response:\n%s\n",
			c.resp != NULL ? c.resp : "(none)");
	if (c.resp == NULL || (strstr(c.resp, "errno=0\n") == NULL &&
			       strstr(c.resp, "errno=-12\n") == NULL)) {
		after = fu_get(u);
		if (strcmp(before, after) != 0) {
			fprintf(stderr, "before:\n%s\nafter:\n%s\n", before,
				after);
			fu_fail("a refused request changed the device");
		}
	}
	free(before);
	free(after);
	free(c.resp);
	wg_uapi_free(u);
	wg_device_free(dev);
	return 0;
}
