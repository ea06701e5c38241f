/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Lookup cost with many peers: N peers, each with two IPv4 allowed IPs,
 * its tunnel address (10.64.0.2 + i)/32 and a subnet (172.16.0.0 + 4i)/30
 * as scripts/scale.sh configures them, and the first V of them an IPv6
 * /128 too (fd00:64::i; few: see the trie's tbl8 reservation in route.c),
 * installed
 * as the gateway does (gw_route_size(), gw_route_init(), gw_route_add_peer():
 * the peer table, rte_fib DIR-24-8 and rte_fib6 trie; a forwarding lookup
 * also looks in the table of the gateway's own routes) and
 * in the protocol core's allowed-IPs trie. Then random lookups of the
 * peers' addresses: the FIB in bursts of 32 as the data path does them,
 * the allowed-IPs trie one at a time. Every answer is checked. Prints
 * ns per lookup, insert times, the memory each structure took (DPDK heap
 * difference for the FIBs, wg_allowedips_memory() for the trie), and the
 * sizes of the per-peer structures; --json adds one JSON line.
 *
 *   bench_lookup [--peers N] [--v6 V] [--lookups M] [--json]
 *
 * EAL runs without hugepages, in memory, on the first CPU allowed.
 */

#include <endian.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_eal.h>
#include <rte_malloc.h>

#include "bench_common.h"
#include "gateway/route.h"
#include "gateway/wg_peer_dp.h"
#include "wireguard/allowedips.h"
#include "wireguard/peer.h"

#define BURST 32

static uint64_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(0, &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

static void
peer_prefixes(uint32_t i, struct gw_prefix *p4, struct gw_prefix *s4,
	      struct gw_prefix *p6)
{
	uint32_t a = htobe32(0x0a400002u + i);
	uint32_t b = htobe32(0xac100000u + 4 * i);

	memset(p4, 0, sizeof(*p4));
	p4->family = AF_INET;
	p4->len = 32;
	memcpy(p4->addr, &a, 4);
	memset(s4, 0, sizeof(*s4));
	s4->family = AF_INET;
	s4->len = 30;
	memcpy(s4->addr, &b, 4);
	memset(p6, 0, sizeof(*p6));
	p6->family = AF_INET6;
	p6->len = 128;
	p6->addr[0] = 0xfd;
	p6->addr[3] = 0x64;
	p6->addr[12] = (uint8_t)(i >> 24);
	p6->addr[13] = (uint8_t)(i >> 16);
	p6->addr[14] = (uint8_t)(i >> 8);
	p6->addr[15] = (uint8_t)i;
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ns per lookup of a case: cycles over m lookups */
static double
ns_per(uint64_t c0, double hz, uint32_t m)
{
	return (double)(wg_bench_cycles() - c0) / hz * 1e9 / m;
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "-m", "2048", "--no-pci",
			"--no-shconf", "-l", "0", "--log-level=error", NULL };
	static const struct option opts[] = {
		{ "peers", required_argument, NULL, 'p' },
		{ "v6", required_argument, NULL, '6' },
		{ "lookups", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t n = 100000, n6 = 1000, m = 4000000, *ip4, *idx, i, j;
	uint32_t bad = 0;
	uint8_t (*ip6)[RTE_FIB6_IPV6_ADDR_SIZE];
	struct gw_route_table rt;
	struct gw_route_sizes sz;
	struct gw_prefix *all, p4, s4, p6;
	struct wg_allowedips *aips;
	uint64_t res[BURST], h0, h1, c0, seed = 88172645463325252ULL;
	double hz, t0, t_fib, t_aip, ns4, ns4p, ns6, nsa4, nsa6;
	size_t n_all = 0, aip_mem;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			n = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case '6':
			n6 = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'l':
			m = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'j':
			json = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [--peers N] [--v6 V] [--lookups M] [--json]\n",
				argv[0]);
			return 2;
		}
	}
	if (n == 0 || n > (1u << 18) || n6 == 0 || n6 > n || m < BURST) {
		fprintf(stderr, "bench_lookup: --peers 1..%u, --v6 1..N, --lookups >= %u\n",
			1u << 18, BURST);
		return 2;
	}
	m -= m % BURST;
	wg_bench_pin_cpu(-1);
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0]) - 1), eal) < 0) {
		fprintf(stderr, "bench_lookup: EAL init failed\n");
		return 1;
	}
	hz = wg_bench_tsc_hz(0.2);

	all = malloc(3 * (size_t)n * sizeof(*all));
	idx = malloc((size_t)m * sizeof(*idx));
	ip4 = malloc((size_t)m * sizeof(*ip4));
	ip6 = malloc((size_t)m * sizeof(*ip6));
	aips = wg_allowedips_create();
	if (all == NULL || idx == NULL || ip4 == NULL || ip6 == NULL ||
	    aips == NULL) {
		fprintf(stderr, "bench_lookup: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		peer_prefixes(i, &all[n_all], &all[n_all + 1], &p6);
		n_all += 2;
		if (i < n6)
			all[n_all++] = p6;
	}

	/* the gateway's tables, sized and filled as at start-up */
	h0 = heap_used();
	t0 = wg_bench_mono_seconds();
	gw_route_size(&sz, all, n_all);
	if (gw_route_init(&rt, true, &sz, 0) != 0) {
		fprintf(stderr, "bench_lookup: gw_route_init failed\n");
		return 1;
	}
	/*
	 * the gateway's own routes around them, as scripts/scale.sh has:
	 * the WireGuard interface subnet and a static route covering the
	 * peers' subnets, so that both tables answer every lookup
	 */
	{
		struct gw_nexthop wgnet = { .kind = GW_NH_PEER };
		struct gw_nexthop via = { .kind = GW_NH_GATEWAY,
			.family = AF_INET, .addr = { 198, 18, 0, 2 } };
		struct gw_prefix q;

		memset(&q, 0, sizeof(q));
		q.family = AF_INET;
		q.len = 10;
		q.addr[0] = 10;
		q.addr[1] = 64;
		if (gw_route_add(&rt, &q, &wgnet, GW_RT_FWD) != 0)
			return 1;
		q.len = 12;
		q.addr[0] = 172;
		q.addr[1] = 16;
		if (gw_route_add(&rt, &q, &via,
				 GW_RT_FWD | GW_RT_UNDERLAY) != 0)
			return 1;
	}
	for (i = 0; i < n; i++) {
		int r;

		peer_prefixes(i, &p4, &s4, &p6);
		r = gw_route_add_peer(&rt, &p4, i);
		if (r == 0)
			r = gw_route_add_peer(&rt, &s4, i);
		if (r == 0 && i < n6)
			r = gw_route_add_peer(&rt, &p6, i);
		if (r != 0) {
			fprintf(stderr, "bench_lookup: route of peer %u refused: %s\n",
				i, strerror(-r));
			return 1;
		}
	}
	t_fib = wg_bench_mono_seconds() - t0;
	h1 = heap_used();

	/* the protocol core's allowed IPs */
	t0 = wg_bench_mono_seconds();
	for (i = 0; i < n; i++) {
		void *peer = (void *)(uintptr_t)(i + 1);
		int r;

		peer_prefixes(i, &p4, &s4, &p6);
		r = wg_allowedips_insert(aips, AF_INET, p4.addr, 32, peer);
		if (r == 0)
			r = wg_allowedips_insert(aips, AF_INET, s4.addr, 30,
						 peer);
		if (r == 0 && i < n6)
			r = wg_allowedips_insert(aips, AF_INET6, p6.addr, 128,
						 peer);
		if (r != 0) {
			fprintf(stderr, "bench_lookup: allowed IP of peer %u refused\n",
				i);
			return 1;
		}
	}
	t_aip = wg_bench_mono_seconds() - t0;
	aip_mem = wg_allowedips_memory(aips);

	/* random peers: even i its /32, odd i an address of its /30 */
	for (i = 0; i < m; i++) {
		uint64_t r = xorshift(&seed);

		idx[i] = (uint32_t)(r % n);
		ip4[i] = (i & 1) ? 0xac100000u + 4 * idx[i] + (uint32_t)(r >> 62) :
			0x0a400002u + idx[i];
	}

	c0 = wg_bench_cycles();
	for (i = 0; i < m; i += BURST) {
		gw_route_lookup4_bulk(&rt, GW_RT_FWD, &ip4[i], res, BURST);
		for (j = 0; j < BURST; j++)
			bad += gw_route_peer(res[j]) != idx[i + j];
	}
	ns4 = ns_per(c0, hz, m);
	c0 = wg_bench_cycles();
	for (i = 0; i < m; i += BURST) {
		gw_route_lookup4_bulk(&rt, GW_RT_PEERS, &ip4[i], res, BURST);
		for (j = 0; j < BURST; j++)
			bad += gw_route_peer(res[j]) != idx[i + j];
	}
	ns4p = ns_per(c0, hz, m);
	c0 = wg_bench_cycles();
	for (i = 0; i < m; i++) {
		uint32_t a = htobe32(ip4[i]);

		bad += wg_allowedips_lookup(aips, AF_INET, (uint8_t *)&a) !=
			(void *)(uintptr_t)(idx[i] + 1);
	}
	nsa4 = ns_per(c0, hz, m);

	for (i = 0; i < m; i++) {
		idx[i] = (uint32_t)(xorshift(&seed) % n6);
		peer_prefixes(idx[i], &p4, &s4, &p6);
		memcpy(ip6[i], p6.addr, 16);
	}
	c0 = wg_bench_cycles();
	for (i = 0; i < m; i += BURST) {
		gw_route_lookup6_bulk(&rt, GW_RT_FWD, &ip6[i], res, BURST);
		for (j = 0; j < BURST; j++)
			bad += gw_route_peer(res[j]) != idx[i + j];
	}
	ns6 = ns_per(c0, hz, m);
	c0 = wg_bench_cycles();
	for (i = 0; i < m; i++)
		bad += wg_allowedips_lookup(aips, AF_INET6, ip6[i]) !=
			(void *)(uintptr_t)(idx[i] + 1);
	nsa6 = ns_per(c0, hz, m);

	printf("bench_lookup: %u peers (a /32 and a /30 each; a /128 too for %u), %u random lookups per case: %s\n",
	       n, n6, m, bad ? "WRONG ANSWERS" : "all answers right");
	printf("  forwarding, rte_fib DIR-24-8 (2 tables), bursts of %d IPv4 %6.1f ns/lookup\n",
	       BURST, ns4);
	printf("  source check, rte_fib DIR-24-8 (peer table), bursts of %d IPv4 %6.1f ns/lookup\n",
	       BURST, ns4p);
	printf("  forwarding, rte_fib6 trie (2 tables), bursts of %d IPv6 %6.1f ns/lookup\n",
	       BURST, ns6);
	printf("  allowed IPs, protocol core trie, one by one IPv4 %6.1f ns/lookup\n",
	       nsa4);
	printf("  allowed IPs, protocol core trie, one by one IPv6 %6.1f ns/lookup\n",
	       nsa6);
	printf("  insert: routes %.2f s (6 tables created, 1 filled), allowed IPs %.2f s\n",
	       t_fib, t_aip);
	printf("  route tables: %.1f MiB of DPDK heap (max routes %u/%u, tbl8 groups %u/%u)\n",
	       (double)(h1 - h0) / (1 << 20), sz.routes4, sz.routes6,
	       sz.tbl8_4, sz.tbl8_6);
	printf("  allowed-IPs trie: %.1f MiB, %.0f B/peer\n",
	       (double)aip_mem / (1 << 20), (double)aip_mem / n);
	printf("  sizeof: wg_peer %zu, wg_keypair %zu, wg_handshake %zu, gw_wg_peer_dp %zu\n",
	       sizeof(struct wg_peer), sizeof(struct wg_keypair),
	       sizeof(struct wg_handshake), sizeof(struct gw_wg_peer_dp));
	if (json)
		printf("{\"peers\":%u,\"v6_peers\":%u,\"lookups\":%u,"
		       "\"fib4_ns\":%.2f,\"fib4_src_ns\":%.2f,\"fib6_ns\":%.2f,\"aip4_ns\":%.2f,"
		       "\"aip6_ns\":%.2f,\"fib_insert_s\":%.3f,"
		       "\"aip_insert_s\":%.3f,\"fib_heap_bytes\":%" PRIu64
		       ",\"aip_bytes\":%zu,\"wrong\":%u}\n", n, n6, m, ns4,
		       ns4p, ns6, nsa4, nsa6, t_fib, t_aip, h1 - h0, aip_mem, bad);
	wg_allowedips_free(aips);
	gw_route_free(&rt);
	free(all);
	free(idx);
	free(ip4);
	free(ip6);
	rte_eal_cleanup();
	return bad ? 1 : 0;
}
