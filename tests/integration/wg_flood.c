/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Packet blaster for the flood tests (test_flood.sh): raw Ethernet frames
 * on an AF_PACKET socket (PACKET_QDISC_BYPASS, sendmmsg) aimed at a
 * WireGuard gateway.
 *
 *   wg_flood storm     malformed traffic, one category after the other in
 *                      turn; per category the frames sent
 *   wg_flood handshake initiations with a valid mac1 (the gateway's public
 *                      key), garbage otherwise, from many spoofed IPv4
 *                      sources and ports
 *   wg_flood replay    captures data messages (type 4) sent towards the
 *                      gateway on --capture-if, then sends them all again
 *
 * Ends with one JSON line on stdout: {"mode": ..., "sent": N, "categories":
 * {name: count, ...}, ...}. Only frames the kernel accepted are counted.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <sodium.h>

#include "crypto/blake2s.h"

#define FL_FRAME_MAX	1514
#define FL_BATCH	64
#define FL_ETH_LEN	14
#define FL_IP4_LEN	20
#define FL_IP6_LEN	40
#define FL_UDP_LEN	8
#define FL_INIT_LEN	148
#define FL_RESP_LEN	92
#define FL_COOKIE_LEN	64
#define FL_DATA_MIN	32
#define FL_PAYLOAD_MAX	(1500 - FL_IP4_LEN - FL_UDP_LEN)
#define FL_REPLAY_MAX	100000
#define FL_DIM(a)	(sizeof(a) / sizeof((a)[0]))

enum fl_mode {
	FL_STORM,
	FL_HANDSHAKE,
	FL_REPLAY,
};

struct fl_opts {
	enum fl_mode mode;
	const char *ifname;
	const char *capture_if;
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	struct in_addr dst4;
	struct in_addr src4;
	struct in6_addr dst6;
	struct in6_addr src6;
	bool have_dst6;
	uint16_t port;
	uint64_t rate;		/* frames per second, 0 = as fast as possible */
	double duration;	/* seconds, 0 = until count */
	uint64_t count;		/* frames, 0 = until duration */
	uint64_t seed;
	uint8_t pub[32];	/* the gateway's public key */
	uint8_t mac1_key[32];
	bool have_key;
	bool cookie;		/* handshake: from src-ip, with a valid mac2 */
	uint32_t data_index;
	bool have_index;
	struct in_addr spoof_net;	/* handshake: sources in spoof_net/16 */
	uint32_t spoof_hosts;		/* how many of them */
	double capture_timeout;
	bool print_index;	/* storm: print the learnt index, send nothing */
};

/* One category of the storm: a builder and its counter. */
struct fl_cat {
	const char *name;
	size_t (*build)(const struct fl_opts *o, uint8_t *f, uint64_t seq);
	uint64_t sent;
};

static volatile sig_atomic_t fl_stop;
static uint64_t fl_rng;

static void
fl_on_signal(int sig)
{
	(void)sig;
	fl_stop = 1;
}

/* splitmix64: reproducible from --seed */
static uint64_t
fl_rand(void)
{
	uint64_t z = (fl_rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t
fl_rand_range(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(fl_rand() % ((uint64_t)hi - lo + 1));
}

static void
fl_rand_bytes(uint8_t *p, size_t n)
{
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((i & 7) == 0)
			r = fl_rand();
		p[i] = (uint8_t)r;
		r >>= 8;
	}
}

static double
fl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fl_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
fl_put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint16_t
fl_cksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t
fl_eth(const struct fl_opts *o, uint8_t *f, uint16_t type)
{
	memcpy(f, o->dst_mac, 6);
	memcpy(f + 6, o->src_mac, 6);
	fl_put16(f + 12, type);
	return FL_ETH_LEN;
}

/*
 * IPv4 header of ihl bytes (options: NOPs then EOL) carrying plen bytes of
 * UDP; valid checksum. Returns the header length.
 */
static size_t
fl_ip4(uint8_t *ip, struct in_addr src, struct in_addr dst, size_t ihl,
       size_t plen, uint8_t proto)
{
	memset(ip, 0, ihl);
	ip[0] = (uint8_t)(0x40 | (ihl / 4));
	fl_put16(ip + 2, (uint16_t)(ihl + plen));
	fl_put16(ip + 4, (uint16_t)fl_rand());
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	if (ihl > FL_IP4_LEN) {
		memset(ip + FL_IP4_LEN, 1, ihl - FL_IP4_LEN - 1);	/* NOP */
		ip[ihl - 1] = 0;					/* EOL */
	}
	fl_put16(ip + 10, fl_cksum(ip, ihl));
	return ihl;
}

static void
fl_udp(uint8_t *u, uint16_t sport, uint16_t dport, size_t plen)
{
	fl_put16(u, sport);
	fl_put16(u + 2, dport);
	fl_put16(u + 4, (uint16_t)(FL_UDP_LEN + plen));
	fl_put16(u + 6, 0);	/* IPv4: no checksum */
}

/* Ethernet + IPv4 + UDP to the gateway's port; the payload at f + 42. */
static size_t
fl_udp4_frame(const struct fl_opts *o, uint8_t *f, size_t plen)
{
	size_t n = fl_eth(o, f, ETH_P_IP);

	n += fl_ip4(f + n, o->src4, o->dst4, FL_IP4_LEN, FL_UDP_LEN + plen,
		    IPPROTO_UDP);
	fl_udp(f + n, (uint16_t)fl_rand_range(1024, 65535), o->port, plen);
	return n + FL_UDP_LEN + plen;
}

#define FL_PAYLOAD(f)	((f) + FL_ETH_LEN + FL_IP4_LEN + FL_UDP_LEN)

/* mac1 = BLAKE2s-128(key = HASH("mac1----" || pub), msg up to mac1) */
static void
fl_mac1(const struct fl_opts *o, uint8_t *msg, size_t len)
{
	wg_blake2s(msg + len - 32, 16, msg, len - 32, o->mac1_key, 32);
}

/* A WireGuard header (type, three zero bytes) then random bytes. */
static void
fl_wg_msg(uint8_t *p, uint8_t type, size_t len)
{
	fl_rand_bytes(p, len);
	if (len > 0)
		p[0] = type;
	if (len >= 4)
		memset(p + 1, 0, 3);
}

static const size_t fl_wg_len[5] = {
	0, FL_INIT_LEN, FL_RESP_LEN, FL_COOKIE_LEN, FL_DATA_MIN
};

/*
 * Type t (1..4) with a wrong length: every length from 0 upwards in turn,
 * then, past 2 x the right one, random lengths up to the MTU.
 */
static size_t
fl_wrong_len(const struct fl_opts *o, uint8_t *f, uint64_t seq, uint8_t t)
{
	size_t right = fl_wg_len[t], len;

	(void)o;
	len = (size_t)(seq % (2 * right + 1));
	if (t == 4) {
		len = (size_t)(seq % FL_DATA_MIN);	/* data: only < 32 */
	} else if (len == right || seq >= 2 * right + 1) {
		do
			len = fl_rand_range(0, FL_PAYLOAD_MAX);
		while (len == right);
	}
	fl_wg_msg(FL_PAYLOAD(f), t, len);
	return fl_udp4_frame(o, f, len);
}

static size_t
fl_b_init_len(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	return fl_wrong_len(o, f, seq, 1);
}

static size_t
fl_b_resp_len(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	return fl_wrong_len(o, f, seq, 2);
}

static size_t
fl_b_cookie_len(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	return fl_wrong_len(o, f, seq, 3);
}

static size_t
fl_b_data_len(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	return fl_wrong_len(o, f, seq, 4);
}

/* right length, a reserved byte set */
static size_t
fl_b_reserved(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	uint8_t t = (uint8_t)(1 + seq % 4);
	size_t len = t == 4 ? fl_rand_range(FL_DATA_MIN, 256) : fl_wg_len[t];
	uint8_t *p = FL_PAYLOAD(f);

	fl_wg_msg(p, t, len);
	p[1 + seq % 3] = (uint8_t)fl_rand_range(1, 255);
	return fl_udp4_frame(o, f, len);
}

/* type 0 or 5..255, random length (random lengths, random bytes) */
static size_t
fl_b_unknown_type(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t len = fl_rand_range(1, FL_PAYLOAD_MAX);
	uint8_t t = (uint8_t)(seq % 252);

	fl_rand_bytes(FL_PAYLOAD(f), len);
	FL_PAYLOAD(f)[0] = t == 0 ? 0 : (uint8_t)(t + 4);
	return fl_udp4_frame(o, f, len);
}

/* handshake messages of the right length, mac1 wrong */
static size_t
fl_b_bad_mac1(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	uint8_t t = (uint8_t)(1 + seq % 2);
	size_t len = fl_wg_len[t];

	fl_wg_msg(FL_PAYLOAD(f), t, len);
	if (o->have_key) {
		fl_mac1(o, FL_PAYLOAD(f), len);
		FL_PAYLOAD(f)[len - 32] ^= 0x80;
	}
	return fl_udp4_frame(o, f, len);
}

/* initiation: mac1 right, mac2 garbage, static/timestamp garbage */
static size_t
fl_b_init_bad_mac2(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	(void)seq;
	fl_wg_msg(FL_PAYLOAD(f), 1, FL_INIT_LEN);
	fl_mac1(o, FL_PAYLOAD(f), FL_INIT_LEN);
	return fl_udp4_frame(o, f, FL_INIT_LEN);
}

/* response: mac1 right, to a receiver index of no handshake */
static size_t
fl_b_resp_unknown(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	(void)seq;
	fl_wg_msg(FL_PAYLOAD(f), 2, FL_RESP_LEN);
	memset(FL_PAYLOAD(f) + FL_RESP_LEN - 16, 0, 16);	/* no mac2 */
	fl_mac1(o, FL_PAYLOAD(f), FL_RESP_LEN);
	return fl_udp4_frame(o, f, FL_RESP_LEN);
}

/* cookie reply to no handshake of ours */
static size_t
fl_b_cookie(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	(void)seq;
	fl_wg_msg(FL_PAYLOAD(f), 3, FL_COOKIE_LEN);
	return fl_udp4_frame(o, f, FL_COOKIE_LEN);
}

/* data, random receiver index */
static size_t
fl_b_data_index(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t len = fl_rand_range(FL_DATA_MIN, FL_PAYLOAD_MAX);

	(void)seq;
	fl_wg_msg(FL_PAYLOAD(f), 4, len);
	return fl_udp4_frame(o, f, len);
}

/* data to a live session (--data-index), tag wrong */
static size_t
fl_b_data_tag(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t len = seq % 4 == 0 ? FL_DATA_MIN :
		fl_rand_range(FL_DATA_MIN, FL_PAYLOAD_MAX);

	fl_wg_msg(FL_PAYLOAD(f), 4, len);
	fl_put32le(FL_PAYLOAD(f) + 4, o->data_index);
	return fl_udp4_frame(o, f, len);
}

/* UDP length below 8 or beyond the IP payload */
static size_t
fl_b_udp_len(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n;

	fl_wg_msg(FL_PAYLOAD(f), 4, 64);
	n = fl_udp4_frame(o, f, 64);
	fl_put16(f + FL_ETH_LEN + FL_IP4_LEN + 4, seq % 2 ? (uint16_t)(seq % 8) :
		 (uint16_t)fl_rand_range(FL_UDP_LEN + 65, 65535));
	return n;
}

/* IPv4 with options (IHL 6..15), then a message of an unknown type */
static size_t
fl_b_ip4_options(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t ihl = 4 * (6 + seq % 10), n, len = 40;

	n = fl_eth(o, f, ETH_P_IP);
	n += fl_ip4(f + n, o->src4, o->dst4, ihl, FL_UDP_LEN + len,
		    IPPROTO_UDP);
	fl_udp(f + n, (uint16_t)fl_rand_range(1024, 65535), o->port, len);
	n += FL_UDP_LEN;
	fl_rand_bytes(f + n, len);
	f[n] = 0xff;
	return n + len;
}

/* IPv4 bad header checksum, otherwise a data message */
static size_t
fl_b_ip4_cksum(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n;

	(void)seq;
	fl_wg_msg(FL_PAYLOAD(f), 4, 64);
	n = fl_udp4_frame(o, f, 64);
	f[FL_ETH_LEN + 10] ^= (uint8_t)fl_rand_range(1, 255);
	return n;
}

/* IPv4 fragments to the listen port: MF set, or a non-zero offset */
static size_t
fl_b_ip4_frag(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	uint8_t *ip = f + FL_ETH_LEN;
	uint16_t fo;
	size_t n;

	fl_wg_msg(FL_PAYLOAD(f), 4, 64);
	n = fl_udp4_frame(o, f, 64);
	fo = seq % 2 ? 0x2000 : (uint16_t)fl_rand_range(1, 0x1fff) |
		(seq % 4 == 0 ? 0x2000 : 0);
	fl_put16(ip + 6, fo);
	fl_put16(ip + 10, 0);
	fl_put16(ip + 10, fl_cksum(ip, FL_IP4_LEN));
	return n;
}

/* broken IPv4: cut short, version, IHL < 5, total length past the frame */
static size_t
fl_b_ip4_malformed(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	uint8_t *ip = f + FL_ETH_LEN;
	size_t n;

	fl_wg_msg(FL_PAYLOAD(f), 4, 64);
	n = fl_udp4_frame(o, f, 64);
	switch (seq % 5) {
	case 0:		/* Ethernet header alone */
		return FL_ETH_LEN;
	case 1:		/* IPv4 header cut short */
		return FL_ETH_LEN + fl_rand_range(1, FL_IP4_LEN - 1);
	case 2:
		ip[0] = (uint8_t)(0x05 | (fl_rand_range(0, 15) << 4));
		if ((ip[0] >> 4) == 4)
			ip[0] = 0x65;
		break;
	case 3:
		ip[0] = (uint8_t)(0x40 | fl_rand_range(0, 4));
		break;
	default:
		fl_put16(ip + 2, (uint16_t)fl_rand_range(
			(uint32_t)(n - FL_ETH_LEN + 1), 65535));
		break;
	}
	fl_put16(ip + 10, 0);
	fl_put16(ip + 10, fl_cksum(ip, FL_IP4_LEN));
	return n;
}

/* IPv4 UDP with the UDP header cut short (not a WireGuard datagram) */
static size_t
fl_b_udp_short(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n = fl_eth(o, f, ETH_P_IP), ul = seq % FL_UDP_LEN;

	n += fl_ip4(f + n, o->src4, o->dst4, FL_IP4_LEN, ul, IPPROTO_UDP);
	fl_udp(f + n, 40000, o->port, 0);
	return n + ul;
}

static size_t
fl_ip6_frame(const struct fl_opts *o, uint8_t *f, uint8_t nh, size_t plen)
{
	size_t n = fl_eth(o, f, ETH_P_IPV6);
	uint8_t *ip = f + n;

	memset(ip, 0, FL_IP6_LEN);
	ip[0] = 0x60;
	fl_put16(ip + 4, (uint16_t)plen);
	ip[6] = nh;
	ip[7] = 64;
	memcpy(ip + 8, &o->src6, 16);
	memcpy(ip + 24, &o->dst6, 16);
	return n + FL_IP6_LEN;
}

/* broken IPv6: cut short, version, payload length past the frame */
static size_t
fl_b_ip6_malformed(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n = fl_ip6_frame(o, f, IPPROTO_UDP, FL_UDP_LEN + 64);

	fl_udp(f + n, 40000, o->port, 64);
	fl_wg_msg(f + n + FL_UDP_LEN, 4, 64);
	n += FL_UDP_LEN + 64;
	switch (seq % 3) {
	case 0:
		return FL_ETH_LEN + fl_rand_range(1, FL_IP6_LEN - 1);
	case 1:
		f[FL_ETH_LEN] = (uint8_t)(fl_rand_range(0, 15) << 4);
		if (f[FL_ETH_LEN] == 0x60)
			f[FL_ETH_LEN] = 0x40;
		break;
	default:
		fl_put16(f + FL_ETH_LEN + 4, (uint16_t)fl_rand_range(
			FL_UDP_LEN + 65, 65535));
		break;
	}
	return n;
}

/* IPv6 fragment header, then UDP to the listen port */
static size_t
fl_b_ip6_frag(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n = fl_ip6_frame(o, f, 44, 8 + FL_UDP_LEN + 64);
	uint8_t *fh = f + n;

	fh[0] = IPPROTO_UDP;
	fh[1] = 0;
	fl_put16(fh + 2, seq % 2 ? 1 : (uint16_t)(fl_rand_range(1, 0x1fff) << 3));
	fl_rand_bytes(fh + 4, 4);
	n += 8;
	fl_udp(f + n, 40000, o->port, 64);
	fl_wg_msg(f + n + FL_UDP_LEN, 4, 64);
	return n + FL_UDP_LEN + 64;
}

/* an ether type the gateway does not handle (VLAN, IPX, experimental) */
static size_t
fl_b_ethertype(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	static const uint16_t types[] = { 0x88b5, 0x8100, 0x8137, 0x88cc,
					  0x0900, 0x9000 };
	size_t len = fl_rand_range(46, 200);

	fl_eth(o, f, types[seq % FL_DIM(types)]);
	fl_rand_bytes(f + FL_ETH_LEN, len);
	return FL_ETH_LEN + len;
}

/* a unicast frame for another MAC (the bridge floods it to the gateway) */
static size_t
fl_b_not_us(const struct fl_opts *o, uint8_t *f, uint64_t seq)
{
	size_t n;

	fl_wg_msg(FL_PAYLOAD(f), 4, 64);
	n = fl_udp4_frame(o, f, 64);
	f[0] = 0x02;
	f[1] = 0xfe;
	fl_put32le(f + 2, (uint32_t)seq | 1);
	return n;
}

/* storm categories; data_bad_tag needs --data-index or --capture-if */
static struct fl_cat fl_storm_cats[] = {
	{ "eth_type", fl_b_ethertype, 0 },
	{ "eth_not_us", fl_b_not_us, 0 },
	{ "ip4_malformed", fl_b_ip4_malformed, 0 },
	{ "ip4_bad_cksum", fl_b_ip4_cksum, 0 },
	{ "ip4_options", fl_b_ip4_options, 0 },
	{ "ip4_fragment", fl_b_ip4_frag, 0 },
	{ "ip6_malformed", fl_b_ip6_malformed, 0 },
	{ "ip6_fragment", fl_b_ip6_frag, 0 },
	{ "udp_short", fl_b_udp_short, 0 },
	{ "udp_bad_length", fl_b_udp_len, 0 },
	{ "wg_unknown_type", fl_b_unknown_type, 0 },
	{ "wg_reserved", fl_b_reserved, 0 },
	{ "wg_init_wrong_len", fl_b_init_len, 0 },
	{ "wg_resp_wrong_len", fl_b_resp_len, 0 },
	{ "wg_cookie_wrong_len", fl_b_cookie_len, 0 },
	{ "wg_data_wrong_len", fl_b_data_len, 0 },
	{ "wg_bad_mac1", fl_b_bad_mac1, 0 },
	{ "wg_init_bad_mac2", fl_b_init_bad_mac2, 0 },
	{ "wg_resp_unknown_index", fl_b_resp_unknown, 0 },
	{ "wg_cookie_unknown_index", fl_b_cookie, 0 },
	{ "wg_data_unknown_index", fl_b_data_index, 0 },
	{ "wg_data_bad_tag", fl_b_data_tag, 0 },
};

struct fl_tx {
	int fd;
	struct sockaddr_ll sll;
	uint8_t frames[FL_BATCH][FL_FRAME_MAX];
	size_t lens[FL_BATCH];
	struct iovec iov[FL_BATCH];
	struct mmsghdr msgs[FL_BATCH];
	uint64_t errors;	/* frames the kernel refused (not counted) */
};

static int
fl_ifindex(int fd, const char *ifname, uint8_t *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -1;
	strcpy(ifr.ifr_name, ifname);
	if (mac != NULL) {
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
			return -1;
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	}
	if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0)
		return -1;
	return ifr.ifr_ifindex;
}

static int
fl_tx_open(struct fl_tx *tx, const char *ifname, uint8_t *mac)
{
	int one = 1, idx, sndbuf = 4 << 20;

	tx->fd = socket(AF_PACKET, SOCK_RAW, 0);	/* send only */
	if (tx->fd < 0)
		return -1;
	idx = fl_ifindex(tx->fd, ifname, mac);
	if (idx < 0)
		return -1;
	memset(&tx->sll, 0, sizeof(tx->sll));
	tx->sll.sll_family = AF_PACKET;
	tx->sll.sll_ifindex = idx;
	tx->sll.sll_halen = 6;
	if (bind(tx->fd, (struct sockaddr *)&tx->sll, sizeof(tx->sll)) != 0)
		return -1;
	/* straight to the driver, no qdisc: a refused frame is reported */
	if (setsockopt(tx->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) != 0)
		fprintf(stderr, "wg_flood: PACKET_QDISC_BYPASS: %s\n",
			strerror(errno));
	setsockopt(tx->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return 0;
}

/*
 * Sends frames[0..n); ok[i] tells whether frame i was accepted. Returns
 * the number accepted.
 */
static unsigned int
fl_tx_send(struct fl_tx *tx, unsigned int n, bool *ok)
{
	unsigned int i, done = 0, acc = 0;
	int r;

	for (i = 0; i < n; i++) {
		tx->iov[i].iov_base = tx->frames[i];
		tx->iov[i].iov_len = tx->lens[i];
		memset(&tx->msgs[i], 0, sizeof(tx->msgs[i]));
		tx->msgs[i].msg_hdr.msg_iov = &tx->iov[i];
		tx->msgs[i].msg_hdr.msg_iovlen = 1;
		ok[i] = false;
	}
	while (done < n) {
		r = sendmmsg(tx->fd, tx->msgs + done, n - done, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: dropped on the way; EINVAL: too short */
			tx->errors++;
			done++;
			continue;
		}
		for (i = done; i < done + (unsigned int)r; i++)
			ok[i] = true;
		acc += (unsigned int)r;
		done += (unsigned int)r;
	}
	return acc;
}

/* Frames due now under --rate, at most max. 0: wait a little. */
static unsigned int
fl_pace(const struct fl_opts *o, double t0, uint64_t total, unsigned int max)
{
	double due;

	if (o->count != 0 && total >= o->count)
		return 0;
	if (o->count != 0 && o->count - total < max)
		max = (unsigned int)(o->count - total);
	if (o->rate == 0)
		return max;
	due = (fl_now() - t0) * (double)o->rate + 1 - (double)total;
	if (due < 1) {
		struct timespec ts = { 0, 50000 };

		nanosleep(&ts, NULL);
		return 0;
	}
	return due < max ? (unsigned int)due : max;
}

static bool
fl_done(const struct fl_opts *o, double t0, uint64_t total)
{
	if (fl_stop)
		return true;
	if (o->count != 0 && total >= o->count)
		return true;
	return o->duration > 0 && fl_now() - t0 >= o->duration;
}

static void
fl_print_head(const char *mode, uint64_t sent, uint64_t errors, double secs)
{
	printf("{\"mode\": \"%s\", \"sent\": %" PRIu64 ", \"tx_errors\": %"
	       PRIu64 ", \"seconds\": %.3f, \"pps\": %.0f", mode, sent, errors,
	       secs, secs > 0 ? (double)sent / secs : 0.0);
}

static int
fl_storm(const struct fl_opts *o, struct fl_tx *tx)
{
	unsigned int ncat = FL_DIM(fl_storm_cats), c, n, i, cur = 0;
	uint64_t total = 0, seq[FL_DIM(fl_storm_cats)] = { 0 };
	unsigned int cat[FL_BATCH];
	bool ok[FL_BATCH];
	double t0 = fl_now(), secs;

	if (!o->have_index)
		ncat--;		/* wg_data_bad_tag is last */
	while (!fl_done(o, t0, total)) {
		n = fl_pace(o, t0, total, FL_BATCH);
		for (i = 0; i < n; i++) {
			c = cur++ % ncat;
			cat[i] = c;
			memset(tx->frames[i], 0, FL_FRAME_MAX);
			tx->lens[i] = fl_storm_cats[c].build(o, tx->frames[i],
							     seq[c]++);
		}
		if (n == 0)
			continue;
		fl_tx_send(tx, n, ok);
		for (i = 0; i < n; i++)
			if (ok[i]) {
				fl_storm_cats[cat[i]].sent++;
				total++;
			}
	}
	secs = fl_now() - t0;
	fl_print_head("storm", total, tx->errors, secs);
	printf(", \"rate\": %" PRIu64 ", \"categories\": {", o->rate);
	for (c = 0; c < ncat; c++)
		printf("%s\"%s\": %" PRIu64, c ? ", " : "",
		       fl_storm_cats[c].name, fl_storm_cats[c].sent);
	printf("}}\n");
	return 0;
}

/*
 * An initiation from src:sport with a valid mac1 (random sender index,
 * ephemeral, static, timestamp); mac2 from cookie, or zero. Returns the
 * frame's length; the message's mac1 in mac1 if not NULL.
 */
static size_t
fl_init_frame(const struct fl_opts *o, uint8_t *f, struct in_addr src,
	      uint16_t sport, const uint8_t *cookie, uint32_t sender,
	      uint8_t *mac1)
{
	size_t len = fl_eth(o, f, ETH_P_IP);
	uint8_t *p;

	len += fl_ip4(f + len, src, o->dst4, FL_IP4_LEN,
		      FL_UDP_LEN + FL_INIT_LEN, IPPROTO_UDP);
	fl_udp(f + len, sport, o->port, FL_INIT_LEN);
	p = f + len + FL_UDP_LEN;
	fl_wg_msg(p, 1, FL_INIT_LEN);
	fl_put32le(p + 4, sender);
	memset(p + FL_INIT_LEN - 16, 0, 16);
	fl_mac1(o, p, FL_INIT_LEN);
	if (cookie != NULL)
		wg_blake2s(p + FL_INIT_LEN - 16, 16, p, FL_INIT_LEN - 16,
			   cookie, 16);
	if (mac1 != NULL)
		memcpy(mac1, p + FL_INIT_LEN - 32, 16);
	return len + FL_UDP_LEN + FL_INIT_LEN;
}

#define FL_COOKIE_PORT	40000
#define FL_PROBES	64

/*
 * A cookie reply (type 3) from the gateway to src4:FL_COOKIE_PORT in frame
 * f: its payload, or NULL. Every length is checked.
 */
static const uint8_t *
fl_cookie_reply(const struct fl_opts *o, const uint8_t *f, size_t len)
{
	size_t ihl, tot, l4;

	if (len < FL_ETH_LEN + FL_IP4_LEN || f[12] != 0x08 || f[13] != 0 ||
	    (f[14] >> 4) != 4)
		return NULL;
	ihl = (size_t)(f[14] & 15) * 4;
	tot = (size_t)f[16] << 8 | f[17];
	if (ihl < FL_IP4_LEN || FL_ETH_LEN + tot > len ||
	    tot != ihl + FL_UDP_LEN + FL_COOKIE_LEN || f[14 + 9] != IPPROTO_UDP ||
	    memcmp(f + 14 + 12, &o->dst4, 4) != 0 ||
	    memcmp(f + 14 + 16, &o->src4, 4) != 0)
		return NULL;
	l4 = FL_ETH_LEN + ihl;
	if (((size_t)f[l4] << 8 | f[l4 + 1]) != o->port ||
	    ((size_t)f[l4 + 2] << 8 | f[l4 + 3]) != FL_COOKIE_PORT ||
	    ((size_t)f[l4 + 4] << 8 | f[l4 + 5]) != FL_UDP_LEN + FL_COOKIE_LEN ||
	    f[l4 + 8] != 3 || f[l4 + 9] != 0 || f[l4 + 10] != 0 ||
	    f[l4 + 11] != 0)
		return NULL;
	return f + l4 + FL_UDP_LEN;
}

/*
 * Initiations from src4:FL_COOKIE_PORT until the gateway (under load)
 * answers one with a cookie reply, seen on capture_if: the cookie.
 */
static int
fl_get_cookie(const struct fl_opts *o, struct fl_tx *tx, uint8_t cookie[16])
{
	static const char label[] = "cookie--";
	uint8_t mac1s[FL_PROBES][16], key[32], in[8 + 32];
	uint8_t buf[FL_FRAME_MAX + 1];
	unsigned long long clen;
	const uint8_t *msg;
	struct sockaddr_ll sll;
	struct pollfd pfd;
	uint32_t probe = 0, idx;
	double t0 = fl_now(), next = 0;
	bool ok[1];
	ssize_t r;
	int fd, rc = -1;

	memcpy(in, label, 8);
	memcpy(in + 8, o->pub, 32);
	wg_blake2s(key, 32, in, sizeof(in), NULL, 0);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = fl_ifindex(fd, o->capture_if, NULL);
	if (sll.sll_ifindex < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!fl_stop && fl_now() - t0 < o->capture_timeout) {
		if (fl_now() >= next) {
			tx->lens[0] = fl_init_frame(o, tx->frames[0], o->src4,
						    FL_COOKIE_PORT, NULL, probe,
						    mac1s[probe % FL_PROBES]);
			fl_tx_send(tx, 1, ok);
			probe++;
			next = fl_now() + 0.05;
		}
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		r = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (r <= 0 || (size_t)r > FL_FRAME_MAX)
			continue;
		msg = fl_cookie_reply(o, buf, (size_t)r);
		if (msg == NULL)
			continue;
		idx = (uint32_t)msg[4] | (uint32_t)msg[5] << 8 |
			(uint32_t)msg[6] << 16 | (uint32_t)msg[7] << 24;
		if (idx >= probe || probe - idx > FL_PROBES)
			continue;
		/* nonce 24 bytes, then the cookie (16) and its tag (16) */
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(cookie, &clen,
				NULL, msg + 32, 32, mac1s[idx % FL_PROBES], 16,
				msg + 8, key) == 0 && clen == 16) {
			rc = 0;
			break;
		}
	}
out:
	close(fd);
	return rc;
}

static int
fl_handshake(const struct fl_opts *o, struct fl_tx *tx)
{
	uint64_t total = 0, sources;
	bool ok[FL_BATCH], *seen;
	double t0, secs;
	uint32_t hosts[FL_BATCH], host, net = ntohl(o->spoof_net.s_addr);
	uint8_t cookie[16];
	unsigned int n, i;
	struct in_addr src;

	if (o->cookie && fl_get_cookie(o, tx, cookie) != 0) {
		fprintf(stderr, "wg_flood: no cookie reply from the gateway\n");
		return 1;
	}
	seen = calloc(o->spoof_hosts, sizeof(*seen));
	if (seen == NULL)
		return 1;
	t0 = fl_now();
	while (!fl_done(o, t0, total)) {
		n = fl_pace(o, t0, total, FL_BATCH);
		for (i = 0; i < n; i++) {
			if (o->cookie) {
				hosts[i] = 0;
				tx->lens[i] = fl_init_frame(o, tx->frames[i],
					o->src4, FL_COOKIE_PORT, cookie,
					(uint32_t)fl_rand(), NULL);
				continue;
			}
			hosts[i] = fl_rand_range(0, o->spoof_hosts - 1);
			src.s_addr = htonl(net + 1 + hosts[i]);
			tx->lens[i] = fl_init_frame(o, tx->frames[i], src,
				(uint16_t)fl_rand_range(1024, 65535), NULL,
				(uint32_t)fl_rand(), NULL);
		}
		if (n == 0)
			continue;
		fl_tx_send(tx, n, ok);
		for (i = 0; i < n; i++)
			if (ok[i]) {
				seen[hosts[i]] = true;
				total++;
			}
	}
	secs = fl_now() - t0;
	for (sources = 0, host = 0; host < o->spoof_hosts; host++)
		sources += seen[host];
	free(seen);
	sodium_memzero(cookie, sizeof(cookie));
	fl_print_head("handshake", total, tx->errors, secs);
	printf(", \"sources\": %" PRIu64 ", \"with_cookie\": %s}\n", sources,
	       o->cookie ? "true" : "false");
	return 0;
}

/*
 * A data message (type 4) towards the gateway in frame f of len bytes:
 * its UDP payload's offset, or 0. Every length is checked.
 */
static size_t
fl_data_offset(const struct fl_opts *o, const uint8_t *f, size_t len,
	       size_t *plen)
{
	size_t ihl, tot, l4, ulen;

	if (len < FL_ETH_LEN || memcmp(f, o->dst_mac, 6) != 0)
		return 0;
	if (f[12] == 0x08 && f[13] == 0x00) {
		if (len < FL_ETH_LEN + FL_IP4_LEN || (f[14] >> 4) != 4)
			return 0;
		ihl = (size_t)(f[14] & 15) * 4;
		tot = (size_t)f[16] << 8 | f[17];
		if (ihl < FL_IP4_LEN || tot < ihl + FL_UDP_LEN ||
		    FL_ETH_LEN + tot > len || f[14 + 9] != IPPROTO_UDP ||
		    memcmp(f + 14 + 16, &o->dst4, 4) != 0 ||
		    ((f[14 + 6] & 0x3f) | f[14 + 7]) != 0)	/* MF, offset */
			return 0;
		l4 = FL_ETH_LEN + ihl;
		tot -= ihl;
	} else if (f[12] == 0x86 && f[13] == 0xdd) {
		if (!o->have_dst6 ||
		    len < FL_ETH_LEN + FL_IP6_LEN + FL_UDP_LEN ||
		    (f[14] >> 4) != 6 || f[14 + 6] != IPPROTO_UDP ||
		    memcmp(f + 14 + 24, &o->dst6, 16) != 0)
			return 0;
		tot = (size_t)f[18] << 8 | f[19];
		if (FL_ETH_LEN + FL_IP6_LEN + tot > len)
			return 0;
		l4 = FL_ETH_LEN + FL_IP6_LEN;
	} else {
		return 0;
	}
	if (tot < FL_UDP_LEN || ((size_t)f[l4 + 2] << 8 | f[l4 + 3]) != o->port)
		return 0;
	ulen = (size_t)f[l4 + 4] << 8 | f[l4 + 5];
	if (ulen < FL_UDP_LEN + FL_DATA_MIN || ulen > tot)
		return 0;
	if (f[l4 + 8] != 4 || f[l4 + 9] != 0 || f[l4 + 10] != 0 ||
	    f[l4 + 11] != 0)
		return 0;
	*plen = ulen - FL_UDP_LEN;
	return l4 + FL_UDP_LEN;
}

struct fl_frame {
	uint16_t len;
	uint8_t data[FL_FRAME_MAX];
};

/*
 * Captures up to max data messages towards the gateway on o->capture_if
 * (within capture_timeout seconds). Returns how many, -1 on error.
 */
static long
fl_capture(const struct fl_opts *o, struct fl_frame *out, size_t max)
{
	uint8_t buf[FL_FRAME_MAX + 1];
	struct sockaddr_ll sll;
	struct pollfd pfd;
	size_t n = 0, plen, off;
	double t0 = fl_now(), left;
	ssize_t r;
	int fd, idx;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	idx = fl_ifindex(fd, o->capture_if, NULL);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = idx;
	if (idx < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		close(fd);
		return -1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (n < max && !fl_stop) {
		left = o->capture_timeout - (fl_now() - t0);
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		r = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (r <= 0 || (size_t)r > FL_FRAME_MAX)
			continue;	/* error, or larger than we keep */
		off = fl_data_offset(o, buf, (size_t)r, &plen);
		if (off == 0)
			continue;
		out[n].len = (uint16_t)r;
		memcpy(out[n].data, buf, (size_t)r);
		n++;
	}
	close(fd);
	return (long)n;
}

static int
fl_replay(const struct fl_opts *o, struct fl_tx *tx)
{
	struct fl_frame *cap;
	uint64_t total = 0, keepalives = 0, want;
	bool ok[FL_BATCH];
	double t0, secs;
	long ncap;
	unsigned int n, i;
	size_t plen, k = 0;
	struct fl_opts ro = *o;

	want = o->count != 0 ? o->count : 1000;
	if (want > FL_REPLAY_MAX)
		want = FL_REPLAY_MAX;
	cap = calloc(want, sizeof(*cap));
	if (cap == NULL)
		return 1;
	ncap = fl_capture(o, cap, want);
	if (ncap < 0) {
		fprintf(stderr, "wg_flood: capture on %s: %s\n", o->capture_if,
			strerror(errno));
		free(cap);
		return 1;
	}
	for (i = 0; i < (unsigned long)ncap; i++)
		if (fl_data_offset(o, cap[i].data, cap[i].len, &plen) != 0 &&
		    plen == FL_DATA_MIN)
			keepalives++;
	ro.count = (uint64_t)ncap;
	ro.duration = 0;
	t0 = fl_now();
	while (k < (size_t)ncap && !fl_stop) {
		n = fl_pace(&ro, t0, total, FL_BATCH);
		if (n > (size_t)ncap - k)
			n = (unsigned int)((size_t)ncap - k);	/* refused ones */
		for (i = 0; i < n; i++) {
			memcpy(tx->frames[i], cap[k + i].data, cap[k + i].len);
			tx->lens[i] = cap[k + i].len;
		}
		if (n == 0)
			continue;
		total += fl_tx_send(tx, n, ok);
		k += n;
	}
	secs = fl_now() - t0;
	free(cap);
	fl_print_head("replay", total, tx->errors, secs);
	printf(", \"captured\": %ld, \"keepalives\": %" PRIu64 "}\n", ncap,
	       keepalives);
	return 0;
}

static void
fl_usage(void)
{
	fprintf(stderr,
"usage: wg_flood storm|handshake|replay -i IFACE --dst-mac MAC --dst-ip IPV4\n"
"         [--port 51820] [--dst-ip6 IPV6 --src-ip6 IPV6] [--src-ip IPV4]\n"
"         [--src-mac MAC] [--rate PPS (0 = max)] [--duration S] [--count N]\n"
"         [--seed N] [--pubkey BASE64 (the gateway's: mac1)]\n"
"  storm:     [--data-index N | --capture-if IF (learns one from a data\n"
"             message towards the gateway) [--print-index (print it, send\n"
"             nothing)]] [--capture-timeout S]\n"
"  handshake: --spoof-net A.B.0.0 [--spoof-hosts N (<= 65534)], or\n"
"             --cookie --src-ip IPV4 --capture-if IF: from IPV4 port 40000,\n"
"             first an initiation answered with a cookie reply (the gateway\n"
"             under load), then initiations with a valid mac2\n"
"  replay:    --capture-if IF --count N [--capture-timeout S]\n");
}

static bool
fl_parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6], i;
	char c;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &c) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return false;
		mac[i] = (uint8_t)b[i];
	}
	return true;
}

static bool
fl_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && end != s && *end == '\0' && s[0] != '-';
}

static bool
fl_set_key(struct fl_opts *o, const char *b64)
{
	static const char label[] = "mac1----";
	uint8_t in[8 + 32];
	size_t len;

	if (sodium_base642bin(in + 8, 32, b64, strlen(b64), NULL, &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || len != 32)
		return false;
	memcpy(in, label, 8);
	memcpy(o->pub, in + 8, 32);
	wg_blake2s(o->mac1_key, 32, in, sizeof(in), NULL, 0);
	o->have_key = true;
	return true;
}

static int
fl_parse(struct fl_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dst-mac", 1, NULL, 'M' }, { "src-mac", 1, NULL, 'm' },
		{ "dst-ip", 1, NULL, 'D' }, { "src-ip", 1, NULL, 'S' },
		{ "dst-ip6", 1, NULL, 'E' }, { "src-ip6", 1, NULL, 'T' },
		{ "port", 1, NULL, 'p' }, { "rate", 1, NULL, 'r' },
		{ "duration", 1, NULL, 'd' }, { "count", 1, NULL, 'c' },
		{ "seed", 1, NULL, 's' }, { "pubkey", 1, NULL, 'k' },
		{ "data-index", 1, NULL, 'x' }, { "capture-if", 1, NULL, 'C' },
		{ "capture-timeout", 1, NULL, 'W' },
		{ "spoof-net", 1, NULL, 'N' }, { "spoof-hosts", 1, NULL, 'H' },
		{ "print-index", 0, NULL, 'P' }, { "cookie", 0, NULL, 'K' },
		{ "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool have_mac = false, have_dst = false;
	uint64_t v;
	char *end;
	int c;

	if (argc < 2)
		return -1;
	if (strcmp(argv[1], "storm") == 0)
		o->mode = FL_STORM;
	else if (strcmp(argv[1], "handshake") == 0)
		o->mode = FL_HANDSHAKE;
	else if (strcmp(argv[1], "replay") == 0)
		o->mode = FL_REPLAY;
	else
		return -1;
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->ifname = optarg;
			break;
		case 'M':
			if (!fl_parse_mac(optarg, o->dst_mac))
				return -1;
			have_mac = true;
			break;
		case 'm':
			if (!fl_parse_mac(optarg, o->src_mac))
				return -1;
			break;
		case 'D':
			if (inet_pton(AF_INET, optarg, &o->dst4) != 1)
				return -1;
			have_dst = true;
			break;
		case 'S':
			if (inet_pton(AF_INET, optarg, &o->src4) != 1)
				return -1;
			break;
		case 'E':
			if (inet_pton(AF_INET6, optarg, &o->dst6) != 1)
				return -1;
			o->have_dst6 = true;
			break;
		case 'T':
			if (inet_pton(AF_INET6, optarg, &o->src6) != 1)
				return -1;
			break;
		case 'p':
			if (!fl_parse_u64(optarg, &v) || v == 0 || v > 65535)
				return -1;
			o->port = (uint16_t)v;
			break;
		case 'r':
			if (!fl_parse_u64(optarg, &o->rate))
				return -1;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || o->duration < 0)
				return -1;
			break;
		case 'c':
			if (!fl_parse_u64(optarg, &o->count))
				return -1;
			break;
		case 's':
			if (!fl_parse_u64(optarg, &o->seed))
				return -1;
			break;
		case 'k':
			if (!fl_set_key(o, optarg))
				return -1;
			break;
		case 'x':
			if (!fl_parse_u64(optarg, &v) || v > UINT32_MAX)
				return -1;
			o->data_index = (uint32_t)v;
			o->have_index = true;
			break;
		case 'C':
			o->capture_if = optarg;
			break;
		case 'W':
			o->capture_timeout = strtod(optarg, &end);
			if (*end != '\0' || o->capture_timeout <= 0)
				return -1;
			break;
		case 'N':
			if (inet_pton(AF_INET, optarg, &o->spoof_net) != 1)
				return -1;
			break;
		case 'P':
			o->print_index = true;
			break;
		case 'K':
			o->cookie = true;
			break;
		case 'H':
			if (!fl_parse_u64(optarg, &v) || v == 0 || v > 65534)
				return -1;
			o->spoof_hosts = (uint32_t)v;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || o->ifname == NULL || !have_mac || !have_dst)
		return -1;
	if (o->mode != FL_REPLAY && o->duration == 0 && o->count == 0)
		return -1;
	if (o->mode != FL_REPLAY && !o->have_key)
		return -1;	/* mac1 of the storm's handshake messages */
	if (o->mode == FL_REPLAY && (o->capture_if == NULL || o->count == 0))
		return -1;
	if (o->mode == FL_HANDSHAKE && !o->cookie && o->spoof_net.s_addr == 0)
		return -1;
	if (o->cookie && (o->capture_if == NULL || o->src4.s_addr == 0))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct fl_tx tx;
	struct fl_opts o;
	struct fl_frame one;
	size_t plen, off;
	int rc;

	memset(&o, 0, sizeof(o));
	o.port = 51820;
	o.seed = 1;
	o.spoof_hosts = 4096;
	o.capture_timeout = 10;
	if (fl_parse(&o, argc, argv) != 0) {
		fl_usage();
		return 2;
	}
	fl_rng = o.seed;
	signal(SIGINT, fl_on_signal);
	signal(SIGTERM, fl_on_signal);
	if (fl_tx_open(&tx, o.ifname, o.src_mac[0] | o.src_mac[1] |
		       o.src_mac[2] | o.src_mac[3] | o.src_mac[4] |
		       o.src_mac[5] ? NULL : o.src_mac) != 0) {
		fprintf(stderr, "wg_flood: %s: %s\n", o.ifname, strerror(errno));
		return 1;
	}
	if (o.mode == FL_STORM && !o.have_index && o.capture_if != NULL) {
		if (fl_capture(&o, &one, 1) != 1) {
			fprintf(stderr, "wg_flood: no data message towards the gateway seen on %s\n",
				o.capture_if);
			return 1;
		}
		off = fl_data_offset(&o, one.data, one.len, &plen);
		o.data_index = (uint32_t)one.data[off + 4] |
			(uint32_t)one.data[off + 5] << 8 |
			(uint32_t)one.data[off + 6] << 16 |
			(uint32_t)one.data[off + 7] << 24;
		o.have_index = true;
		if (o.print_index) {
			printf("%" PRIu32 "\n", o.data_index);
			close(tx.fd);
			return 0;
		}
	}
	switch (o.mode) {
	case FL_STORM:
		rc = fl_storm(&o, &tx);
		break;
	case FL_HANDSHAKE:
		rc = fl_handshake(&o, &tx);
		break;
	default:
		rc = fl_replay(&o, &tx);
		break;
	}
	close(tx.fd);
	sodium_memzero(o.mac1_key, sizeof(o.mac1_key));
	return rc;
}
