/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * wg_udp_peer: the DPDK-free protocol core (lib/wireguard) driven over one
 * ordinary Linux UDP socket, with no TUN device, so that the integration
 * tests can prove it against a real WireGuard peer (wireguard-go).
 *
 * The program owns the tunnel addresses given with --addr: it answers
 * ICMP and ICMPv6 echo requests addressed to them and can originate echo
 * requests itself. Every other inner packet is counted and dropped.
 *
 * Commands on stdin, one per line, one result line each on stdout:
 *   ping ADDR COUNT TIMEOUT_MS   -> ping ADDR sent N received M
 *   peer-key BASE64              -> peer-key ok   (replaces the peer)
 *   psk BASE64|none              -> psk ok
 *   private-key-file FILE        -> private-key ok
 *   wait-handshake TIMEOUT_MS    -> handshake ok|timeout
 *   stats                        -> stats name=value ...
 *   quit                         -> quit ok
 * A failed command answers "error CMD: why". Keys are never printed.
 * "ready PORT" is printed once the socket is bound.
 *
 * wait-handshake waits for a handshake completed after the last change of
 * keys (peer-key, psk, private-key-file), or any handshake before one.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "wireguard/device.h"

#define UP_MAX_ALLOWED_IPS	16
#define UP_MAX_ADDRS		8
#define UP_RX_BUF_SIZE		65536
#define UP_LINE_MAX		1024
#define UP_RX_BURST		64
#define UP_PING_MAX_COUNT	1000
#define UP_PING_PAYLOAD_LEN	56
#define UP_PING_MAX_INTERVAL	(200 * WG_NSEC_PER_MSEC)
#define UP_KEY_B64_LEN		44	/* base64 of 32 bytes, with padding */
#define UP_KEY_FILE_MAX		256

#define IPV4_HDR_LEN		20
#define IPV6_HDR_LEN		40
#define ICMP_HDR_LEN		8
#define IPPROTO_ICMP_NUM	1
#define IPPROTO_ICMPV6_NUM	58
#define ICMP_ECHO_REPLY		0
#define ICMP_ECHO_REQUEST	8
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129
#define UP_HOP_LIMIT		64

struct up_addr {
	uint8_t family;
	uint8_t addr[16];
};

struct up_ping {
	bool active;
	char text[INET6_ADDRSTRLEN];
	struct up_addr dst;
	struct up_addr src;
	uint16_t ident;
	unsigned int count;
	unsigned int sent;
	unsigned int attempted;
	unsigned int received;
	uint64_t interval;
	uint64_t next_send;
	uint64_t deadline;
	uint8_t seen[UP_PING_MAX_COUNT];
};

struct up_wait {
	bool active;
	uint64_t deadline;
};

struct up_counters {
	uint64_t echo_requests;		/* answered */
	uint64_t echo_replies;		/* matched one of our pings */
	uint64_t inner_dropped;		/* not an echo request for us */
	uint64_t inner_invalid;		/* malformed, bad checksum */
	uint64_t reply_send_failed;	/* wg_device_send refused a reply */
	uint64_t rx_truncated;		/* datagram larger than the buffer */
	uint64_t udp_send_errors;
};

struct up_ctx {
	int sock;
	int sock_family;
	uint16_t port;
	struct wg_device *dev;
	struct wg_peer *peer;
	uint64_t now;			/* monotonic ns of the current event */

	/* the peer's configuration, kept to re-create it */
	uint8_t peer_key[WG_PUBLIC_KEY_LEN];
	bool has_psk;
	uint8_t psk[WG_SYMMETRIC_KEY_LEN];
	struct wg_endpoint endpoint;
	struct wg_allowed_ip aips[UP_MAX_ALLOWED_IPS];
	unsigned int n_aips;

	struct up_addr addrs[UP_MAX_ADDRS];
	unsigned int n_addrs;

	uint64_t key_epoch_real;	/* wall ns of the last key change */
	uint16_t next_ident;
	uint16_t next_ip_id;
	struct up_ping ping;
	struct up_wait wait;
	struct up_counters cnt;

	char line[UP_LINE_MAX];
	size_t line_len;
	bool line_overflow;
	bool stdin_eof;
	bool quit;
};

static struct up_ctx up;
static uint8_t up_rx_buf[UP_RX_BUF_SIZE];
static uint8_t up_tx_inner[WG_MAX_INNER_PACKET];
static volatile sig_atomic_t up_signalled;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * WG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t
real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * WG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void
reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Internet checksum helpers (RFC 1071), big-endian 16-bit words. */
static uint64_t
csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += ((uint32_t)p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len != 0)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t
load_be16(const uint8_t *p)
{
	return (uint16_t)(((uint16_t)p[0] << 8) | p[1]);
}

static void
store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1) and the message. */
static uint16_t
icmpv6_csum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg,
	    size_t len)
{
	uint8_t tail[8];
	uint64_t sum = 0;

	sum = csum_add(sum, src, 16);
	sum = csum_add(sum, dst, 16);
	tail[0] = (uint8_t)(len >> 24);
	tail[1] = (uint8_t)(len >> 16);
	tail[2] = (uint8_t)(len >> 8);
	tail[3] = (uint8_t)len;
	tail[4] = 0;
	tail[5] = 0;
	tail[6] = 0;
	tail[7] = IPPROTO_ICMPV6_NUM;
	sum = csum_add(sum, tail, sizeof(tail));
	sum = csum_add(sum, msg, len);
	return csum_fold(sum);
}

static bool
is_our_addr(uint8_t family, const uint8_t *addr)
{
	unsigned int i;
	size_t alen = family == AF_INET ? 4 : 16;

	for (i = 0; i < up.n_addrs; i++)
		if (up.addrs[i].family == family &&
		    memcmp(up.addrs[i].addr, addr, alen) == 0)
			return true;
	return false;
}

static bool
first_addr_of(uint8_t family, struct up_addr *out)
{
	unsigned int i;

	for (i = 0; i < up.n_addrs; i++) {
		if (up.addrs[i].family == family) {
			*out = up.addrs[i];
			return true;
		}
	}
	return false;
}

/* Builds an IPv4 header (no options) in front of an ICMP message of ilen. */
static void
build_ipv4(uint8_t *pkt, const uint8_t *src, const uint8_t *dst, size_t ilen)
{
	uint16_t csum;

	memset(pkt, 0, IPV4_HDR_LEN);
	pkt[0] = 0x45;
	store_be16(pkt + 2, (uint16_t)(IPV4_HDR_LEN + ilen));
	store_be16(pkt + 4, up.next_ip_id++);
	pkt[8] = UP_HOP_LIMIT;
	pkt[9] = IPPROTO_ICMP_NUM;
	memcpy(pkt + 12, src, 4);
	memcpy(pkt + 16, dst, 4);
	csum = csum_fold(csum_add(0, pkt, IPV4_HDR_LEN));
	store_be16(pkt + 10, csum);
}

static void
build_ipv6(uint8_t *pkt, const uint8_t *src, const uint8_t *dst, size_t ilen)
{
	memset(pkt, 0, IPV6_HDR_LEN);
	pkt[0] = 0x60;
	store_be16(pkt + 4, (uint16_t)ilen);
	pkt[6] = IPPROTO_ICMPV6_NUM;
	pkt[7] = UP_HOP_LIMIT;
	memcpy(pkt + 8, src, 16);
	memcpy(pkt + 24, dst, 16);
}

static void
send_inner(const uint8_t *pkt, size_t len, bool is_reply)
{
	enum wg_drop_reason r;

	r = wg_device_send(up.dev, pkt, len, up.now);
	if (r != WG_OK && is_reply)
		up.cnt.reply_send_failed++;
	if (r == WG_OK && !is_reply)
		up.ping.sent++;
}

static void
ping_reply_seen(uint8_t family, const uint8_t *src, const uint8_t *icmp)
{
	uint16_t ident = load_be16(icmp + 4);
	uint16_t seq = load_be16(icmp + 6);
	size_t alen = family == AF_INET ? 4 : 16;

	if (!up.ping.active || up.ping.dst.family != family ||
	    memcmp(up.ping.dst.addr, src, alen) != 0 ||
	    ident != up.ping.ident || seq >= up.ping.attempted) {
		up.cnt.inner_dropped++;
		return;
	}
	up.cnt.echo_replies++;
	if (!up.ping.seen[seq]) {
		up.ping.seen[seq] = 1;
		up.ping.received++;
	}
}

static void
handle_ipv4(const uint8_t *pkt, size_t len)
{
	const uint8_t *icmp;
	size_t ihl, tot, ilen;

	if (len < IPV4_HDR_LEN)
		goto invalid;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len)
		goto invalid;
	tot = load_be16(pkt + 2);
	if (tot < ihl || tot > len)
		goto invalid;
	if (csum_fold(csum_add(0, pkt, ihl)) != 0)
		goto invalid;
	/* fragments (MF or an offset) and other protocols: not ours */
	if ((load_be16(pkt + 6) & 0x3fff) != 0 || pkt[9] != IPPROTO_ICMP_NUM ||
	    !is_our_addr(AF_INET, pkt + 16)) {
		up.cnt.inner_dropped++;
		return;
	}
	icmp = pkt + ihl;
	ilen = tot - ihl;
	if (ilen < ICMP_HDR_LEN || csum_fold(csum_add(0, icmp, ilen)) != 0)
		goto invalid;
	if (icmp[0] == ICMP_ECHO_REQUEST && icmp[1] == 0) {
		uint8_t *out = up_tx_inner;
		uint8_t *oicmp = out + IPV4_HDR_LEN;

		if (IPV4_HDR_LEN + ilen > sizeof(up_tx_inner))
			goto invalid;
		build_ipv4(out, pkt + 16, pkt + 12, ilen);
		memcpy(oicmp, icmp, ilen);
		oicmp[0] = ICMP_ECHO_REPLY;
		store_be16(oicmp + 2, 0);
		store_be16(oicmp + 2, csum_fold(csum_add(0, oicmp, ilen)));
		up.cnt.echo_requests++;
		send_inner(out, IPV4_HDR_LEN + ilen, true);
		return;
	}
	if (icmp[0] == ICMP_ECHO_REPLY && icmp[1] == 0) {
		ping_reply_seen(AF_INET, pkt + 12, icmp);
		return;
	}
	up.cnt.inner_dropped++;
	return;
invalid:
	up.cnt.inner_invalid++;
}

static void
handle_ipv6(const uint8_t *pkt, size_t len)
{
	const uint8_t *icmp;
	size_t ilen;

	if (len < IPV6_HDR_LEN)
		goto invalid;
	ilen = load_be16(pkt + 4);
	if (ilen > len - IPV6_HDR_LEN)
		goto invalid;
	/* extension headers are not followed: not ours */
	if (pkt[6] != IPPROTO_ICMPV6_NUM || !is_our_addr(AF_INET6, pkt + 24)) {
		up.cnt.inner_dropped++;
		return;
	}
	icmp = pkt + IPV6_HDR_LEN;
	if (ilen < ICMP_HDR_LEN || icmpv6_csum(pkt + 8, pkt + 24, icmp, ilen) != 0)
		goto invalid;
	if (icmp[0] == ICMPV6_ECHO_REQUEST && icmp[1] == 0) {
		uint8_t *out = up_tx_inner;
		uint8_t *oicmp = out + IPV6_HDR_LEN;

		if (IPV6_HDR_LEN + ilen > sizeof(up_tx_inner))
			goto invalid;
		build_ipv6(out, pkt + 24, pkt + 8, ilen);
		memcpy(oicmp, icmp, ilen);
		oicmp[0] = ICMPV6_ECHO_REPLY;
		store_be16(oicmp + 2, 0);
		store_be16(oicmp + 2, icmpv6_csum(out + 8, out + 24, oicmp, ilen));
		up.cnt.echo_requests++;
		send_inner(out, IPV6_HDR_LEN + ilen, true);
		return;
	}
	if (icmp[0] == ICMPV6_ECHO_REPLY && icmp[1] == 0) {
		ping_reply_seen(AF_INET6, pkt + 8, icmp);
		return;
	}
	up.cnt.inner_dropped++;
	return;
invalid:
	up.cnt.inner_invalid++;
}

static void
cb_deliver_inner(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)peer;
	if (len >= 1 && (pkt[0] >> 4) == 4)
		handle_ipv4(pkt, len);
	else if (len >= 1 && (pkt[0] >> 4) == 6)
		handle_ipv6(pkt, len);
	else
		up.cnt.inner_invalid++;
}

static socklen_t
endpoint_to_sockaddr(const struct wg_endpoint *ep,
		     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (up.sock_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(ep->port);
		if (ep->family == AF_INET) {
			/* v4-mapped on the dual-stack socket */
			s6->sin6_addr.s6_addr[10] = 0xff;
			s6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&s6->sin6_addr.s6_addr[12], ep->addr, 4);
		} else if (ep->family == AF_INET6) {
			memcpy(&s6->sin6_addr, ep->addr, 16);
		} else {
			return 0;
		}
		return sizeof(*s6);
	}
	if (ep->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(ep->port);
		memcpy(&s4->sin_addr, ep->addr, 4);
		return sizeof(*s4);
	}
	return 0;
}

static bool
sockaddr_to_endpoint(const struct sockaddr_storage *ss, socklen_t sl,
		     struct wg_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (ss->ss_family == AF_INET6 && sl >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		ep->port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			ep->family = AF_INET;
			memcpy(ep->addr, &s6->sin6_addr.s6_addr[12], 4);
		} else {
			ep->family = AF_INET6;
			memcpy(ep->addr, &s6->sin6_addr, 16);
		}
		return true;
	}
	if (ss->ss_family == AF_INET && sl >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		ep->family = AF_INET;
		ep->port = ntohs(s4->sin_port);
		memcpy(ep->addr, &s4->sin_addr, 4);
		return true;
	}
	return false;
}

static int
cb_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	    const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	ssize_t n;

	(void)ctx;
	(void)peer;
	sl = endpoint_to_sockaddr(dst, &ss);
	if (sl == 0) {
		up.cnt.udp_send_errors++;
		return -EAFNOSUPPORT;
	}
	n = sendto(up.sock, buf, len, 0, (struct sockaddr *)&ss, sl);
	if (n < 0) {
		int err = errno;

		up.cnt.udp_send_errors++;
		return -err;
	}
	return 0;
}

static void
receive_burst(void)
{
	struct sockaddr_storage ss;
	struct wg_endpoint src;
	struct msghdr mh;
	struct iovec iov;
	unsigned int i;
	ssize_t n;

	for (i = 0; i < UP_RX_BURST; i++) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = up_rx_buf;
		iov.iov_len = sizeof(up_rx_buf);
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof(ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(up.sock, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		if (mh.msg_flags & MSG_TRUNC) {
			up.cnt.rx_truncated++;
			continue;
		}
		if (!sockaddr_to_endpoint(&ss, mh.msg_namelen, &src))
			continue;
		up.now = mono_ns();
		wg_device_receive(up.dev, up_rx_buf, (size_t)n, &src, up.now,
				  false);
	}
}

/* Parsing of keys, addresses, prefixes and endpoints. */

static int
key_from_base64(uint8_t key[WG_PUBLIC_KEY_LEN], const char *b64)
{
	size_t n = 0;
	const char *end = NULL;

	if (strlen(b64) != UP_KEY_B64_LEN)
		return -1;
	if (sodium_base642bin(key, WG_PUBLIC_KEY_LEN, b64, UP_KEY_B64_LEN,
			      NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != WG_PUBLIC_KEY_LEN || end != b64 + UP_KEY_B64_LEN) {
		sodium_memzero(key, WG_PUBLIC_KEY_LEN);
		return -1;
	}
	return 0;
}

static int
key_from_file(uint8_t key[WG_PUBLIC_KEY_LEN], const char *path)
{
	char buf[UP_KEY_FILE_MAX];
	size_t n;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
			 buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	buf[n] = '\0';
	ret = key_from_base64(key, buf);
	sodium_memzero(buf, sizeof(buf));
	return ret;
}

static bool
parse_addr(const char *s, struct up_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

static bool
parse_cidr(const char *s, struct wg_allowed_ip *aip)
{
	char buf[INET6_ADDRSTRLEN + 8];
	struct up_addr a;
	char *slash, *end;
	unsigned long cidr;
	unsigned int max;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (!parse_addr(buf, &a))
		return false;
	max = a.family == AF_INET ? 32 : 128;
	cidr = max;
	if (slash != NULL) {
		errno = 0;
		cidr = strtoul(slash + 1, &end, 10);
		if (errno != 0 || end == slash + 1 || *end != '\0' ||
		    cidr > max)
			return false;
	}
	memset(aip, 0, sizeof(*aip));
	aip->family = a.family;
	aip->cidr = (uint8_t)cidr;
	memcpy(aip->addr, a.addr, sizeof(aip->addr));
	return true;
}

static bool
parse_port(const char *s, uint16_t *port)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* IP:PORT or [IP6]:PORT */
static bool
parse_endpoint(const char *s, struct wg_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 16];
	struct up_addr a;
	char *host, *colon;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if (buf[0] == '[') {
		host = buf + 1;
		colon = strchr(host, ']');
		if (colon == NULL || colon[1] != ':')
			return false;
		*colon = '\0';
		colon++;
	} else {
		host = buf;
		colon = strrchr(buf, ':');
		if (colon == NULL)
			return false;
		*colon = '\0';
	}
	if (!parse_addr(host, &a))
		return false;
	memset(ep, 0, sizeof(*ep));
	if (!parse_port(colon + 1, &ep->port))
		return false;
	ep->family = a.family;
	memcpy(ep->addr, a.addr, sizeof(ep->addr));
	return true;
}

static bool
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (s == NULL)
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* The peer: create, replace. */

static int
peer_create(const uint8_t key[WG_PUBLIC_KEY_LEN],
	    const struct wg_endpoint *ep, struct wg_peer **out)
{
	struct wg_peer_config cfg;
	int ret;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.public_key, key, WG_PUBLIC_KEY_LEN);
	cfg.has_preshared_key = up.has_psk;
	if (up.has_psk)
		memcpy(cfg.preshared_key, up.psk, WG_SYMMETRIC_KEY_LEN);
	cfg.endpoint = *ep;
	cfg.allowed_ips = up.aips;
	cfg.n_allowed_ips = up.n_aips;
	ret = wg_device_add_peer(up.dev, &cfg, up.now, out);
	sodium_memzero(&cfg, sizeof(cfg));
	return ret;
}

static void
key_changed(void)
{
	up.key_epoch_real = real_ns();
}

static void
cmd_peer_key(const char *b64)
{
	uint8_t key[WG_PUBLIC_KEY_LEN];
	struct wg_endpoint ep = up.endpoint;
	struct wg_peer *old = up.peer, *peer = NULL;
	int ret;

	if (b64 == NULL || key_from_base64(key, b64) != 0) {
		reply("error peer-key: bad key");
		return;
	}
	/* Keep what the old peer learnt: its endpoint may have roamed. */
	if (old != NULL && old->endpoint.family != 0)
		ep = old->endpoint;
	if (old != NULL && memcmp(wg_peer_public_key(old), key,
				  WG_PUBLIC_KEY_LEN) == 0) {
		wg_device_remove_peer(up.dev, old);
		old = NULL;
		up.peer = NULL;
	}
	/* Added before the old one goes: a failure leaves the old in place. */
	ret = peer_create(key, &ep, &peer);
	if (ret != 0) {
		sodium_memzero(key, sizeof(key));
		reply("error peer-key: %s", strerror(-ret));
		return;
	}
	if (old != NULL)
		wg_device_remove_peer(up.dev, old);
	up.peer = peer;
	memcpy(up.peer_key, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	key_changed();
	reply("peer-key ok");
}

static void
cmd_psk(const char *arg)
{
	uint8_t psk[WG_SYMMETRIC_KEY_LEN];

	if (arg == NULL) {
		reply("error psk: missing argument");
		return;
	}
	if (strcmp(arg, "none") == 0) {
		up.has_psk = false;
		sodium_memzero(up.psk, sizeof(up.psk));
	} else if (key_from_base64(psk, arg) == 0) {
		up.has_psk = true;
		memcpy(up.psk, psk, sizeof(psk));
		sodium_memzero(psk, sizeof(psk));
	} else {
		reply("error psk: bad key");
		return;
	}
	if (up.peer != NULL)
		wg_device_peer_set_preshared_key(up.dev, up.peer,
						 up.has_psk ? up.psk : NULL);
	key_changed();
	reply("psk ok");
}

static void
cmd_private_key_file(const char *path)
{
	uint8_t key[WG_PUBLIC_KEY_LEN];

	if (path == NULL || key_from_file(key, path) != 0) {
		reply("error private-key: cannot read a key from the file");
		return;
	}
	wg_device_set_private_key(up.dev, key, up.now);
	sodium_memzero(key, sizeof(key));
	/* The device removes a peer whose key became our own. */
	up.peer = wg_device_lookup_peer(up.dev, up.peer_key);
	key_changed();
	reply("private-key ok");
}

static void
cmd_stats(void)
{
	const struct wg_device_stats *s = wg_device_stats(up.dev);
	char buf[2048];
	size_t off = 0;
	unsigned int r;
	int n;

#define UP_APPEND(...) do { \
		n = snprintf(buf + off, sizeof(buf) - off, __VA_ARGS__); \
		if (n > 0 && (size_t)n < sizeof(buf) - off) \
			off += (size_t)n; \
	} while (0)

	UP_APPEND("stats handshake=%s sessions=%" PRIu64
		  " rx_initiations=%" PRIu64 " rx_responses=%" PRIu64
		  " rx_cookies=%" PRIu64 " rx_data=%" PRIu64
		  " rx_keepalives=%" PRIu64 " tx_initiations=%" PRIu64
		  " tx_responses=%" PRIu64 " tx_cookies=%" PRIu64
		  " tx_data=%" PRIu64 " tx_keepalives=%" PRIu64
		  " tx_errors=%" PRIu64,
		  up.peer != NULL && up.peer->last_handshake_real_ns != 0 ?
		  "yes" : "no",
		  s->sessions, s->rx_initiations, s->rx_responses,
		  s->rx_cookies, s->rx_data, s->rx_keepalives,
		  s->tx_initiations, s->tx_responses, s->tx_cookies,
		  s->tx_data, s->tx_keepalives, s->tx_errors);
	UP_APPEND(" endpoint=");
	if (up.peer == NULL || up.peer->endpoint.family == 0) {
		UP_APPEND("none");
	} else {
		char a[INET6_ADDRSTRLEN];
		const struct wg_endpoint *ep = &up.peer->endpoint;

		if (inet_ntop(ep->family, ep->addr, a, sizeof(a)) == NULL)
			strcpy(a, "?");
		if (ep->family == AF_INET6)
			UP_APPEND("[%s]:%u", a, ep->port);
		else
			UP_APPEND("%s:%u", a, ep->port);
	}
	UP_APPEND(" echo_requests=%" PRIu64 " echo_replies=%" PRIu64
		  " inner_dropped=%" PRIu64 " inner_invalid=%" PRIu64
		  " reply_send_failed=%" PRIu64 " rx_truncated=%" PRIu64,
		  up.cnt.echo_requests, up.cnt.echo_replies,
		  up.cnt.inner_dropped, up.cnt.inner_invalid,
		  up.cnt.reply_send_failed, up.cnt.rx_truncated);
	for (r = WG_OK + 1; r < WG_DROP_REASON_MAX; r++)
		UP_APPEND(" drop_%s=%" PRIu64,
			  wg_drop_reason_str((enum wg_drop_reason)r),
			  s->drops[r]);
#undef UP_APPEND
	reply("%s", buf);
}

static void
ping_finish(void)
{
	reply("ping %s sent %u received %u", up.ping.text, up.ping.sent,
	      up.ping.received);
	up.ping.active = false;
}

static void
cmd_ping(const char *addr, const char *count, const char *timeout)
{
	struct up_ping *p = &up.ping;
	unsigned long c, t;

	if (addr == NULL || strlen(addr) >= sizeof(p->text) ||
	    !parse_uint(count, UP_PING_MAX_COUNT, &c) || c == 0 ||
	    !parse_uint(timeout, 3600000, &t)) {
		reply("error ping: usage: ping ADDR COUNT TIMEOUT_MS");
		return;
	}
	memset(p, 0, sizeof(*p));
	if (!parse_addr(addr, &p->dst)) {
		reply("error ping: bad address");
		return;
	}
	if (!first_addr_of(p->dst.family, &p->src)) {
		reply("error ping: no tunnel address of that family");
		return;
	}
	strcpy(p->text, addr);
	p->count = (unsigned int)c;
	p->ident = (uint16_t)(getpid() + up.next_ident++);
	p->interval = t * WG_NSEC_PER_MSEC / (c + 1);
	if (p->interval > UP_PING_MAX_INTERVAL)
		p->interval = UP_PING_MAX_INTERVAL;
	p->next_send = up.now;
	p->deadline = up.now + t * WG_NSEC_PER_MSEC;
	p->active = true;
}

static void
ping_send_one(void)
{
	struct up_ping *p = &up.ping;
	uint16_t seq = (uint16_t)p->attempted;
	size_t ilen = ICMP_HDR_LEN + UP_PING_PAYLOAD_LEN;
	size_t hlen = p->dst.family == AF_INET ? IPV4_HDR_LEN : IPV6_HDR_LEN;
	uint8_t *out = up_tx_inner;
	uint8_t *icmp = out + hlen;
	size_t i;

	memset(icmp, 0, ilen);
	icmp[0] = p->dst.family == AF_INET ? ICMP_ECHO_REQUEST :
		ICMPV6_ECHO_REQUEST;
	store_be16(icmp + 4, p->ident);
	store_be16(icmp + 6, seq);
	for (i = ICMP_HDR_LEN; i < ilen; i++)
		icmp[i] = (uint8_t)i;
	if (p->dst.family == AF_INET) {
		build_ipv4(out, p->src.addr, p->dst.addr, ilen);
		store_be16(icmp + 2, csum_fold(csum_add(0, icmp, ilen)));
	} else {
		build_ipv6(out, p->src.addr, p->dst.addr, ilen);
		store_be16(icmp + 2, icmpv6_csum(p->src.addr, p->dst.addr,
						 icmp, ilen));
	}
	p->attempted++;
	send_inner(out, hlen + ilen, false);
}

static void
cmd_wait_handshake(const char *timeout)
{
	unsigned long t;

	if (!parse_uint(timeout, 3600000, &t)) {
		reply("error wait-handshake: usage: wait-handshake TIMEOUT_MS");
		return;
	}
	up.wait.active = true;
	up.wait.deadline = up.now + t * WG_NSEC_PER_MSEC;
}

static bool
handshake_done(void)
{
	return up.peer != NULL && up.peer->last_handshake_real_ns != 0 &&
		up.peer->last_handshake_real_ns > up.key_epoch_real;
}

/* Advances the command in progress; true while one is. */
static bool
pending_progress(void)
{
	struct up_ping *p = &up.ping;

	if (p->active) {
		while (p->attempted < p->count && up.now >= p->next_send) {
			ping_send_one();
			p->next_send += p->interval;
		}
		if ((p->attempted == p->count && p->received == p->count) ||
		    up.now >= p->deadline)
			ping_finish();
	}
	if (up.wait.active) {
		if (handshake_done()) {
			up.wait.active = false;
			reply("handshake ok");
		} else if (up.now >= up.wait.deadline) {
			up.wait.active = false;
			reply("handshake timeout");
		}
	}
	return p->active || up.wait.active;
}

static void
run_command(char *line)
{
	char *argv[5];
	int argc = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\r", &save); tok != NULL && argc < 5;
	     tok = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = tok;
	if (argc == 0)
		return;
	for (int i = argc; i < 5; i++)
		argv[i] = NULL;

	if (strcmp(argv[0], "ping") == 0)
		cmd_ping(argv[1], argv[2], argv[3]);
	else if (strcmp(argv[0], "peer-key") == 0)
		cmd_peer_key(argv[1]);
	else if (strcmp(argv[0], "psk") == 0)
		cmd_psk(argv[1]);
	else if (strcmp(argv[0], "private-key-file") == 0)
		cmd_private_key_file(argv[1]);
	else if (strcmp(argv[0], "stats") == 0)
		cmd_stats();
	else if (strcmp(argv[0], "wait-handshake") == 0)
		cmd_wait_handshake(argv[1]);
	else if (strcmp(argv[0], "quit") == 0) {
		up.quit = true;
		reply("quit ok");
	} else {
		reply("error %s: unknown command", argv[0]);
	}
}

/* Runs buffered lines until one starts a command that takes time. */
static void
run_buffered_lines(void)
{
	char *nl;
	size_t n;

	while (!up.quit && !up.ping.active && !up.wait.active) {
		nl = memchr(up.line, '\n', up.line_len);
		if (nl == NULL) {
			if (up.stdin_eof && up.line_len != 0 &&
			    !up.line_overflow) {
				/* last line without a newline */
				up.line[up.line_len] = '\0';
				up.line_len = 0;
				run_command(up.line);
				continue;
			}
			if (up.line_len == sizeof(up.line) - 1) {
				/* a line too long: discard up to its end */
				up.line_overflow = true;
				up.line_len = 0;
			}
			return;
		}
		*nl = '\0';
		n = (size_t)(nl - up.line) + 1;
		if (up.line_overflow) {
			up.line_overflow = false;
			reply("error: line too long");
		} else {
			run_command(up.line);
		}
		memmove(up.line, up.line + n, up.line_len - n);
		up.line_len -= n;
		/* a key may have passed through the buffer */
		sodium_memzero(up.line + up.line_len, sizeof(up.line) -
			       up.line_len);
	}
}

static void
read_stdin(void)
{
	ssize_t n;

	n = read(STDIN_FILENO, up.line + up.line_len,
		 sizeof(up.line) - 1 - up.line_len);
	if (n < 0) {
		if (errno != EINTR && errno != EAGAIN)
			up.stdin_eof = true;
		return;
	}
	if (n == 0) {
		up.stdin_eof = true;
		return;
	}
	up.line_len += (size_t)n;
}

static int
poll_timeout_ms(void)
{
	uint64_t d = wg_device_next_deadline(up.dev), ms;

	if (up.ping.active) {
		if (up.ping.attempted < up.ping.count && up.ping.next_send < d)
			d = up.ping.next_send;
		if (up.ping.deadline < d)
			d = up.ping.deadline;
	}
	if (up.wait.active) {
		/* the handshake is noticed after each packet; poll anyway */
		if (up.wait.deadline < d)
			d = up.wait.deadline;
	}
	if (d <= up.now)
		return 0;
	ms = (d - up.now + WG_NSEC_PER_MSEC - 1) / WG_NSEC_PER_MSEC;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

static int
open_socket(uint16_t port)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	int fd, off = 0;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
			       sizeof(off)) != 0) {
			close(fd);
			return -1;
		}
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(port);
		s6.sin6_addr = in6addr_any;
		if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)) != 0) {
			close(fd);
			return -1;
		}
		up.sock_family = AF_INET6;
		return fd;
	}
	/* no IPv6 here: IPv4 only */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = htons(port);
	s4.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) != 0) {
		close(fd);
		return -1;
	}
	up.sock_family = AF_INET;
	return fd;
}

static void
on_signal(int sig)
{
	up_signalled = sig;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s --private-key-file F --listen PORT --peer PUBKEY\n"
		"       [--psk-file F] [--endpoint IP:PORT|[IP6]:PORT]\n"
		"       --allowed-ip CIDR... --addr IP...\n"
		"Commands on stdin: ping ADDR COUNT TIMEOUT_MS, peer-key B64,\n"
		"psk B64|none, private-key-file F, wait-handshake TIMEOUT_MS,\n"
		"stats, quit\n", prog);
}

static int
parse_args(int argc, char **argv, uint8_t priv[WG_PUBLIC_KEY_LEN])
{
	static const struct option opts[] = {
		{ "private-key-file", required_argument, NULL, 'k' },
		{ "listen", required_argument, NULL, 'l' },
		{ "peer", required_argument, NULL, 'p' },
		{ "psk-file", required_argument, NULL, 's' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "allowed-ip", required_argument, NULL, 'a' },
		{ "addr", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_priv = false, have_peer = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (key_from_file(priv, optarg) != 0) {
				fprintf(stderr, "cannot read a private key from %s\n",
					optarg);
				return -1;
			}
			have_priv = true;
			break;
		case 'l':
			if (!parse_port(optarg, &up.port)) {
				fprintf(stderr, "bad port %s\n", optarg);
				return -1;
			}
			break;
		case 'p':
			if (key_from_base64(up.peer_key, optarg) != 0) {
				fprintf(stderr, "bad peer public key\n");
				return -1;
			}
			have_peer = true;
			break;
		case 's':
			if (key_from_file(up.psk, optarg) != 0) {
				fprintf(stderr, "cannot read a preshared key from %s\n",
					optarg);
				return -1;
			}
			up.has_psk = true;
			break;
		case 'e':
			if (!parse_endpoint(optarg, &up.endpoint)) {
				fprintf(stderr, "bad endpoint %s\n", optarg);
				return -1;
			}
			break;
		case 'a':
			if (up.n_aips == UP_MAX_ALLOWED_IPS ||
			    !parse_cidr(optarg, &up.aips[up.n_aips])) {
				fprintf(stderr, "bad or too many allowed IPs: %s\n",
					optarg);
				return -1;
			}
			up.n_aips++;
			break;
		case 'A':
			if (up.n_addrs == UP_MAX_ADDRS ||
			    !parse_addr(optarg, &up.addrs[up.n_addrs])) {
				fprintf(stderr, "bad or too many addresses: %s\n",
					optarg);
				return -1;
			}
			up.n_addrs++;
			break;
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (optind != argc || !have_priv || !have_peer || up.port == 0) {
		usage(argv[0]);
		return -1;
	}
	return 0;
}

static void
event_loop(void)
{
	struct pollfd pfd[2];
	bool pending;
	int n, timeout;

	for (;;) {
		up.now = mono_ns();
		if (up.now >= wg_device_next_deadline(up.dev))
			wg_device_timers(up.dev, up.now);
		pending = pending_progress();
		if (!pending) {
			run_buffered_lines();
			pending = pending_progress();
		}
		if (up.quit || up_signalled)
			return;
		if (up.stdin_eof && !pending && up.line_len == 0)
			return;

		timeout = poll_timeout_ms();
		pfd[0].fd = up.sock;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		/* stdin waits while a command runs, or the buffer is full */
		n = poll(pfd, pending || up.stdin_eof ||
			 up.line_len == sizeof(up.line) - 1 ? 1 : 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return;
		}
		if (pfd[0].revents & (POLLIN | POLLERR))
			receive_burst();
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_stdin();
	}
}

int
main(int argc, char **argv)
{
	static const struct wg_device_ops ops = {
		.send_udp = cb_send_udp,
		.deliver_inner = cb_deliver_inner,
	};
	uint8_t priv[WG_PUBLIC_KEY_LEN];
	struct sigaction sa;
	int ret;

	if (sodium_init() < 0) {
		fprintf(stderr, "libsodium init failed\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	up.sock = -1;
	if (parse_args(argc, argv, priv) != 0) {
		sodium_memzero(priv, sizeof(priv));
		sodium_memzero(&up, sizeof(up));
		return 2;
	}
	up.sock = open_socket(up.port);
	if (up.sock < 0) {
		perror("socket");
		sodium_memzero(priv, sizeof(priv));
		sodium_memzero(&up, sizeof(up));
		return 1;
	}
	up.next_ident = (uint16_t)randombytes_uniform(65536);
	up.now = mono_ns();
	up.dev = wg_device_create(&ops, NULL, up.now);
	if (up.dev == NULL) {
		fprintf(stderr, "wg_device_create failed\n");
		close(up.sock);
		return 1;
	}
	wg_device_set_private_key(up.dev, priv, up.now);
	sodium_memzero(priv, sizeof(priv));
	ret = peer_create(up.peer_key, &up.endpoint, &up.peer);
	if (ret != 0) {
		fprintf(stderr, "adding the peer failed: %s\n", strerror(-ret));
		wg_device_free(up.dev);
		close(up.sock);
		return 1;
	}
	reply("ready %u", up.port);

	event_loop();

	wg_device_free(up.dev);
	close(up.sock);
	sodium_memzero(&up, sizeof(up));
	return 0;
}
