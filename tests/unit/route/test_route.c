/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The gateway's routing tables (lib/gateway/route.c) on a real EAL without
 * hugepages: which route forwards when peer routes and the gateway's own
 * routes overlap, the peers-only source check, removal, and bulk lookups
 * longer than one internal burst.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "gateway/route.h"
#include "test.h"

static struct gw_prefix
pfx(const char *s)
{
	struct gw_prefix p;
	char buf[64];
	char *slash;

	memset(&p, 0, sizeof(p));
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	*slash = '\0';
	p.len = (uint8_t)atoi(slash + 1);
	if (strchr(buf, ':') != NULL) {
		p.family = AF_INET6;
		inet_pton(AF_INET6, buf, p.addr);
	} else {
		p.family = AF_INET;
		inet_pton(AF_INET, buf, p.addr);
	}
	return p;
}

static uint64_t
look(const struct gw_route_table *rt, enum gw_rt_table t, const char *a)
{
	uint8_t a6[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t res = UINT64_MAX;
	uint32_t a4;

	if (strchr(a, ':') != NULL) {
		inet_pton(AF_INET6, a, a6[0]);
		gw_route_lookup6_bulk(rt, t, a6, &res, 1);
	} else {
		inet_pton(AF_INET, a, &a4);
		a4 = ntohl(a4);
		gw_route_lookup4_bulk(rt, t, &a4, &res, 1);
	}
	return res;
}

#define PEER(id)	(GW_RT_PEER_FLAG | (id))

static void
test_overlaps(bool with_wg)
{
	struct gw_nexthop conn = { .kind = GW_NH_CONNECTED, .port = 0 };
	struct gw_nexthop via = { .kind = GW_NH_GATEWAY, .family = AF_INET,
				  .port = 1, .addr = { 10, 0, 0, 254 } };
	struct gw_nexthop local = { .kind = GW_NH_LOCAL };
	struct gw_nexthop via6 = { .kind = GW_NH_GATEWAY, .family = AF_INET6,
				   .port = 1 };
	const unsigned int both = GW_RT_FWD | GW_RT_UNDERLAY;
	struct gw_route_table rt;
	struct gw_prefix p;
	uint64_t c, v, l, v6;
	const enum gw_rt_table peers = GW_RT_PEERS;

	CHECK(gw_route_init(&rt, with_wg, NULL, 0) == 0);
	CHECK((rt.pfib4 != NULL) == with_wg);

	p = pfx("10.0.0.0/24");
	CHECK(gw_route_add(&rt, &p, &conn, both) == 0);
	p = pfx("192.168.0.0/16");
	CHECK(gw_route_add(&rt, &p, &via, both) == 0);
	p = pfx("10.0.0.1/32");
	CHECK(gw_route_add(&rt, &p, &local, both) == 0);
	p = pfx("2001:db8::/32");
	CHECK(gw_route_add(&rt, &p, &via6, both) == 0);
	c = look(&rt, GW_RT_FWD, "10.0.0.7");
	v = look(&rt, GW_RT_FWD, "192.168.9.9");
	l = look(&rt, GW_RT_FWD, "10.0.0.1");
	v6 = look(&rt, GW_RT_FWD, "2001:db8:5::1");
	CHECK(gw_route_kind(&rt, c) == GW_NH_CONNECTED);
	CHECK(gw_route_kind(&rt, v) == GW_NH_GATEWAY);
	CHECK(gw_route_kind(&rt, l) == GW_NH_LOCAL);
	CHECK(gw_route_kind(&rt, v6) == GW_NH_GATEWAY);
	CHECK(look(&rt, GW_RT_FWD, "8.8.8.8") == GW_RT_NONE);

	/* a full-tunnel peer: the longer routes of the gateway stay */
	p = pfx("0.0.0.0/0");
	CHECK(gw_route_add_peer(&rt, &p, 1) == 0);
	p = pfx("::/0");
	CHECK(gw_route_add_peer(&rt, &p, 1) == 0);
	CHECK(look(&rt, GW_RT_FWD, "8.8.8.8") == PEER(1));
	CHECK(look(&rt, GW_RT_FWD, "2606:4700::1") == PEER(1));
	CHECK(look(&rt, GW_RT_FWD, "192.168.9.9") == v);
	CHECK(look(&rt, GW_RT_FWD, "10.0.0.7") == c);
	CHECK(look(&rt, GW_RT_FWD, "2001:db8:5::1") == v6);
	if (with_wg) {
		/* the source check sees peers only; the tunnel is not captured */
		CHECK(look(&rt, peers, "192.168.9.9") == PEER(1));
		CHECK(look(&rt, peers, "10.0.0.7") == PEER(1));
		CHECK(look(&rt, peers, "2001:db8:5::1") == PEER(1));
		CHECK(look(&rt, GW_RT_UNDERLAY, "8.8.8.8") == GW_RT_NONE);
		CHECK(look(&rt, GW_RT_UNDERLAY, "192.168.9.9") == v);
	}

	/* longer peer prefixes inside a static route */
	p = pfx("192.168.5.0/24");
	CHECK(gw_route_add_peer(&rt, &p, 2) == 0);
	p = pfx("2001:db8:1::/48");
	CHECK(gw_route_add_peer(&rt, &p, 2) == 0);
	CHECK(look(&rt, GW_RT_FWD, "192.168.5.1") == PEER(2));
	CHECK(look(&rt, GW_RT_FWD, "192.168.6.1") == v);
	CHECK(look(&rt, GW_RT_FWD, "2001:db8:1::9") == PEER(2));
	CHECK(look(&rt, GW_RT_FWD, "2001:db8:2::9") == v6);

	/*
	 * Equal length: the peer forwards; removed, the static route is back.
	 * The gateway's own address wins over a peer's equal prefix. Both
	 * need the separate peer table: without WireGuard (no peers) one
	 * table holds everything and the last route added wins.
	 */
	if (with_wg) {
		p = pfx("192.168.0.0/16");
		CHECK(gw_route_add_peer(&rt, &p, 3) == 0);
		CHECK(look(&rt, GW_RT_FWD, "192.168.6.1") == PEER(3));
		CHECK(look(&rt, GW_RT_FWD, "192.168.5.1") == PEER(2));
		CHECK(gw_route_del_peer(&rt, &p, 3) == 0);
		CHECK(look(&rt, GW_RT_FWD, "192.168.6.1") == v);
		CHECK(gw_route_del_peer(&rt, &p, 3) == -ENOENT);

		p = pfx("10.0.0.1/32");
		CHECK(gw_route_add_peer(&rt, &p, 4) == 0);
		CHECK(look(&rt, GW_RT_FWD, "10.0.0.1") == l);
		CHECK(look(&rt, peers, "10.0.0.1") == PEER(4));
		CHECK(gw_route_del_peer(&rt, &p, 4) == 0);
		CHECK(look(&rt, GW_RT_FWD, "10.0.0.1") == l);
	}

	/*
	 * Ties with the other kinds of route: a connected subnet and a
	 * WireGuard interface subnet (a PEER next hop with no peer) lose to a
	 * peer's equal prefix; an IPv6 address of the gateway wins.
	 */
	if (with_wg) {
		struct gw_nexthop wgnet = { .kind = GW_NH_PEER, .wg = 0 };
		struct gw_prefix q;
		uint64_t w;

		p = pfx("10.0.0.0/24");
		CHECK(gw_route_add_peer(&rt, &p, 7) == 0);
		CHECK(look(&rt, GW_RT_FWD, "10.0.0.7") == PEER(7));
		CHECK(gw_route_del_peer(&rt, &p, 7) == 0);
		CHECK(look(&rt, GW_RT_FWD, "10.0.0.7") == c);

		q = pfx("100.64.0.0/10");
		CHECK(gw_route_add(&rt, &q, &wgnet, GW_RT_FWD) == 0);
		w = look(&rt, GW_RT_FWD, "100.64.0.9");
		CHECK(gw_route_kind(&rt, w) == GW_NH_PEER);
		CHECK(gw_route_peer(w) == GW_PEER_NONE);
		CHECK(look(&rt, GW_RT_UNDERLAY, "100.64.0.9") == GW_RT_NONE);
		CHECK(gw_route_add_peer(&rt, &q, 8) == 0);
		CHECK(look(&rt, GW_RT_FWD, "100.64.0.9") == PEER(8));
		CHECK(gw_route_del_peer(&rt, &q, 8) == 0);
		CHECK(look(&rt, GW_RT_FWD, "100.64.0.9") == w);

		q = pfx("2001:db8::1/128");
		CHECK(gw_route_add(&rt, &q, &local, GW_RT_FWD) == 0);
		l = look(&rt, GW_RT_FWD, "2001:db8::1");
		CHECK(gw_route_kind(&rt, l) == GW_NH_LOCAL);
		CHECK(gw_route_add_peer(&rt, &q, 9) == 0);
		CHECK(look(&rt, GW_RT_FWD, "2001:db8::1") == l);
		CHECK(look(&rt, peers, "2001:db8::1") == PEER(9));
		CHECK(gw_route_del_peer(&rt, &q, 9) == 0);

		/* peer routes go through gw_route_add_peer() only */
		CHECK(gw_route_add(&rt, &q, &conn, GW_RT_PEERS) == -EINVAL);
	} else {
		/* no peer table: the source check falls back to FWD */
		CHECK(look(&rt, peers, "8.8.8.8") == PEER(1));
		CHECK(look(&rt, peers, "192.168.9.9") == v);
	}

	/* a prefix that moved to another peer stays with it */
	p = pfx("172.16.0.0/12");
	CHECK(gw_route_add_peer(&rt, &p, 5) == 0);
	CHECK(gw_route_add_peer(&rt, &p, 6) == 0);
	CHECK(gw_route_del_peer(&rt, &p, 5) == -ENOENT);
	CHECK(look(&rt, GW_RT_FWD, "172.20.0.1") == PEER(6));
	CHECK(gw_route_del_peer(&rt, &p, 6) == 0);
	CHECK(look(&rt, GW_RT_FWD, "172.20.0.1") == PEER(1));

	/* the largest peer id with the longest prefix length */
	p = pfx("2001:db8:ffff::1/128");
	CHECK(gw_route_add_peer(&rt, &p, (uint32_t)GW_RT_PEER_MASK) == 0);
	CHECK(look(&rt, GW_RT_FWD, "2001:db8:ffff::1") ==
	      PEER(GW_RT_PEER_MASK));
	CHECK(gw_route_peer(look(&rt, GW_RT_FWD, "2001:db8:ffff::1")) ==
	      GW_RT_PEER_MASK);
	CHECK(gw_route_add_peer(&rt, &p, (uint32_t)GW_RT_PEER_MASK + 1) ==
	      -EINVAL);
	CHECK(gw_route_del_peer(&rt, &p, (uint32_t)GW_RT_PEER_MASK) == 0);
	CHECK(look(&rt, GW_RT_FWD, "2001:db8:ffff::1") == v6);

	/* the full tunnel removed: nothing left for the Internet */
	p = pfx("0.0.0.0/0");
	CHECK(gw_route_del_peer(&rt, &p, 1) == 0);
	CHECK(look(&rt, GW_RT_FWD, "8.8.8.8") == GW_RT_NONE);
	CHECK(look(&rt, GW_RT_FWD, "192.168.5.1") == PEER(2));
	gw_route_free(&rt);
}

/* A bulk lookup of n addresses equals n single ones. */
static void
test_bulk(void)
{
	enum { N = 100 };
	struct gw_nexthop conn = { .kind = GW_NH_CONNECTED, .port = 0 };
	uint8_t a6[N][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t res[N], one;
	struct gw_route_table rt;
	struct gw_prefix p;
	uint32_t a4[N];
	unsigned int i, bad4 = 0, bad6 = 0, peers = 0;

	CHECK(gw_route_init(&rt, true, NULL, 0) == 0);
	p = pfx("10.1.0.0/16");
	CHECK(gw_route_add(&rt, &p, &conn, GW_RT_FWD) == 0);
	p = pfx("fd00:1::/32");
	CHECK(gw_route_add(&rt, &p, &conn, GW_RT_FWD) == 0);
	for (i = 0; i < N; i += 3) {
		char s[64];

		snprintf(s, sizeof(s), "10.1.0.%u/32", i);
		p = pfx(s);
		CHECK(gw_route_add_peer(&rt, &p, 100 + i) == 0);
		snprintf(s, sizeof(s), "fd00:1::%x/128", i);
		p = pfx(s);
		CHECK(gw_route_add_peer(&rt, &p, 100 + i) == 0);
	}
	for (i = 0; i < N; i++) {
		a4[i] = (10u << 24) | (1u << 16) | i;
		memset(a6[i], 0, sizeof(a6[i]));
		a6[i][0] = 0xfd;
		a6[i][3] = 1;
		a6[i][15] = (uint8_t)i;
	}
	gw_route_lookup4_bulk(&rt, GW_RT_FWD, a4, res, N);
	for (i = 0; i < N; i++) {
		gw_route_lookup4_bulk(&rt, GW_RT_FWD, &a4[i], &one, 1);
		bad4 += res[i] != one ||
			(i % 3 == 0) != (res[i] == PEER(100 + i));
		peers += res[i] == PEER(100 + i);
	}
	gw_route_lookup6_bulk(&rt, GW_RT_FWD, a6, res, N);
	for (i = 0; i < N; i++) {
		gw_route_lookup6_bulk(&rt, GW_RT_FWD, &a6[i], &one, 1);
		bad6 += res[i] != one ||
			(i % 3 == 0) != (res[i] == PEER(100 + i));
	}
	CHECK(bad4 == 0);
	CHECK(bad6 == 0);
	CHECK(peers == (N + 2) / 3);
	gw_route_free(&rt);
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "-m", "1024", "--no-pci",
			"--no-shconf", "-l", "0",
			"--log-level=error", NULL };

	(void)argc;
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_route: rte_eal_init failed\n");
		return 1;
	}
	test_overlaps(true);
	test_overlaps(false);
	test_bulk();
	rte_eal_cleanup();
	TEST_MAIN_END();
}
