/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Allowed IPs tests: the fixed cases of the Linux self-test (inserts,
 * lookups, /0 routes, replacement, host-bit masking, removal, per-peer
 * listing), IPv4-mapped addresses, argument checks, a randomised
 * cross-check against a brute-force table with the trie's internal
 * invariants checked as it churns, simulated allocation failures, and a
 * scale run.
 *
 * Scale: 1,000,000 peers with one /32 and one /128 each; 250,000 under
 * AddressSanitizer. WG_AIP_SCALE=n overrides, WG_TEST_SEED=n reseeds.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

/*
 * The implementation itself, built with its allocation-failure seam, so
 * that the tests can inject ENOMEM and check the trie's internal
 * invariants (the library's own object is then not linked in).
 */
#define WG_ALLOWEDIPS_TEST_HOOKS
#include "wireguard/allowedips.c"

#if defined(__SANITIZE_ADDRESS__)
#define SCALE_DEFAULT	250000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCALE_DEFAULT	250000
#endif
#endif
#ifndef SCALE_DEFAULT
#define SCALE_DEFAULT	1000000
#endif

struct ip {
	uint8_t bytes[16];
};

static struct ip
ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ip r = { { a, b, c, d } };

	return r;
}

static struct ip
ip6(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct ip r;
	uint32_t w[4] = { a, b, c, d };
	int i;

	for (i = 0; i < 16; i++)
		r.bytes[i] = (uint8_t)(w[i / 4] >> (24 - 8 * (i % 4)));
	return r;
}

static struct wg_allowedips *tbl;
/* Distinct peers: only their addresses matter. */
static char peer_objs[8];
#define A	((void *)&peer_objs[0])
#define B	((void *)&peer_objs[1])
#define C	((void *)&peer_objs[2])
#define D	((void *)&peer_objs[3])
#define E	((void *)&peer_objs[4])
#define F	((void *)&peer_objs[5])
#define G	((void *)&peer_objs[6])
#define H	((void *)&peer_objs[7])

#define INS4(p, a, b, c, d, cidr) \
	CHECK(wg_allowedips_insert(tbl, AF_INET, ip4(a, b, c, d).bytes, \
				   cidr, p) == 0)
#define INS6(p, a, b, c, d, cidr) \
	CHECK(wg_allowedips_insert(tbl, AF_INET6, ip6(a, b, c, d).bytes, \
				   cidr, p) == 0)
#define LK4(a, b, c, d) \
	wg_allowedips_lookup(tbl, AF_INET, ip4(a, b, c, d).bytes)
#define LK6(a, b, c, d) \
	wg_allowedips_lookup(tbl, AF_INET6, ip6(a, b, c, d).bytes)
#define RM4(p, a, b, c, d, cidr) \
	wg_allowedips_remove(tbl, AF_INET, ip4(a, b, c, d).bytes, cidr, p)
#define RM6(p, a, b, c, d, cidr) \
	wg_allowedips_remove(tbl, AF_INET6, ip6(a, b, c, d).bytes, cidr, p)

static void
fresh_table(void)
{
	wg_allowedips_free(tbl);
	tbl = wg_allowedips_create();
	CHECK(tbl != NULL);
	if (tbl == NULL)
		exit(EXIT_FAILURE);
}

/* The insert/lookup table of the Linux self-test. */
static void
test_linux_fixed(void)
{
	fresh_table();
	INS4(A, 192, 168, 4, 0, 24);
	INS4(B, 192, 168, 4, 4, 32);
	INS4(C, 192, 168, 0, 0, 16);
	INS4(D, 192, 95, 5, 64, 27);
	/* replaces the previous entry; host bits must be masked */
	INS4(C, 192, 95, 5, 65, 27);
	INS6(D, 0x26075300, 0x60006b00, 0, 0xc05f0543, 128);
	INS6(C, 0x26075300, 0x60006b00, 0, 0, 64);
	INS4(E, 0, 0, 0, 0, 0);
	INS6(E, 0, 0, 0, 0, 0);
	/* replaces the previous entry */
	INS6(F, 0, 0, 0, 0, 0);
	INS6(G, 0x24046800, 0, 0, 0, 32);
	/* host bits must be masked */
	INS6(H, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef, 64);
	INS6(A, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef, 128);
	INS6(C, 0x24446800, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128);
	INS6(B, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98);
	INS4(G, 64, 15, 112, 0, 20);
	/* host bits must be masked */
	INS4(H, 64, 15, 123, 211, 25);
	INS4(A, 10, 0, 0, 0, 25);
	INS4(B, 10, 0, 0, 128, 25);
	INS4(A, 10, 1, 0, 0, 30);
	INS4(B, 10, 1, 0, 4, 30);
	INS4(C, 10, 1, 0, 8, 29);
	INS4(D, 10, 1, 0, 16, 29);
	/* 23 inserts, two of which replaced an existing prefix */
	CHECK(wg_allowedips_count(tbl) == 21);

	CHECK(LK4(192, 168, 4, 20) == A);
	CHECK(LK4(192, 168, 4, 0) == A);
	CHECK(LK4(192, 168, 4, 4) == B);
	CHECK(LK4(192, 168, 200, 182) == C);
	CHECK(LK4(192, 95, 5, 68) == C);
	CHECK(LK4(192, 95, 5, 96) == E);
	CHECK(LK6(0x26075300, 0x60006b00, 0, 0xc05f0543) == D);
	CHECK(LK6(0x26075300, 0x60006b00, 0, 0xc02e01ee) == C);
	CHECK(LK6(0x26075300, 0x60006b01, 0, 0) == F);
	CHECK(LK6(0x24046800, 0x40040806, 0, 0x1006) == G);
	CHECK(LK6(0x24046800, 0x40040806, 0x1234, 0x5678) == G);
	CHECK(LK6(0x240467ff, 0x40040806, 0x1234, 0x5678) == F);
	CHECK(LK6(0x24046801, 0x40040806, 0x1234, 0x5678) == F);
	CHECK(LK6(0x24046800, 0x40040800, 0x1234, 0x5678) == H);
	CHECK(LK6(0x24046800, 0x40040800, 0, 0) == H);
	CHECK(LK6(0x24046800, 0x40040800, 0x10101010, 0x10101010) == H);
	CHECK(LK6(0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef) == A);
	CHECK(LK4(64, 15, 116, 26) == G);
	CHECK(LK4(64, 15, 127, 3) == G);
	CHECK(LK4(64, 15, 123, 1) == G);
	CHECK(LK4(64, 15, 123, 128) == H);
	CHECK(LK4(64, 15, 123, 129) == H);
	CHECK(LK4(10, 0, 0, 52) == A);
	CHECK(LK4(10, 0, 0, 220) == B);
	CHECK(LK4(10, 1, 0, 2) == A);
	CHECK(LK4(10, 1, 0, 6) == B);
	CHECK(LK4(10, 1, 0, 10) == C);
	CHECK(LK4(10, 1, 0, 20) == D);

	/* remove_by_peer */
	INS4(A, 1, 0, 0, 0, 32);
	INS4(A, 64, 0, 0, 0, 32);
	INS4(A, 128, 0, 0, 0, 32);
	INS4(A, 192, 0, 0, 0, 32);
	INS4(A, 255, 0, 0, 0, 32);
	wg_allowedips_remove_by_peer(tbl, A);
	CHECK(LK4(1, 0, 0, 0) != A);
	CHECK(LK4(64, 0, 0, 0) != A);
	CHECK(LK4(128, 0, 0, 0) != A);
	CHECK(LK4(192, 0, 0, 0) != A);
	CHECK(LK4(255, 0, 0, 0) != A);
	/* everything else survived */
	CHECK(LK4(10, 0, 0, 220) == B);
	CHECK(LK4(10, 0, 0, 52) == E);
	CHECK(LK4(192, 168, 4, 4) == B);
	CHECK(LK4(192, 168, 4, 20) == C);
	CHECK(LK6(0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef) == H);
	CHECK(wg_allowedips_count(tbl) == 21 - 4);

	/* remove: exact prefix and owner only (newer Linux self-test) */
	INS4(A, 1, 0, 0, 0, 32);
	INS4(A, 192, 0, 0, 0, 24);
	INS6(A, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128);
	INS6(A, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98);
	CHECK(LK4(1, 0, 0, 0) == A);
	CHECK(LK4(192, 0, 0, 1) == A);
	CHECK(LK6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef) == A);
	CHECK(LK6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010) == A);
	CHECK(RM4(A, 192, 0, 0, 0, 32) == -ENOENT);	/* not exact */
	CHECK(LK4(192, 0, 0, 1) == A);
	CHECK(RM4(NULL, 192, 0, 0, 0, 24) == -ENOENT);	/* no peer */
	CHECK(LK4(192, 0, 0, 1) == A);
	CHECK(RM4(A, 192, 0, 0, 0, 24) == 0);
	CHECK(LK4(192, 0, 0, 1) != A);
	CHECK(RM4(A, 1, 0, 0, 0, 32) == 0);
	CHECK(LK4(1, 0, 0, 0) != A);
	CHECK(RM6(A, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 96) ==
	      -ENOENT);					/* not exact */
	CHECK(LK6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef) == A);
	CHECK(RM6(A, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128) == 0);
	CHECK(LK6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef) != A);
	CHECK(RM6(B, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98) ==
	      -ENOENT);					/* not the owner */
	CHECK(LK6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010) == A);
	CHECK(RM6(A, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98) == 0);
	CHECK(LK6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010) != A);
	/* a second removal finds nothing */
	CHECK(RM6(A, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98) == -ENOENT);
	/* host bits are ignored by remove as by insert */
	INS4(A, 192, 0, 0, 0, 24);
	CHECK(RM4(A, 192, 0, 0, 77, 24) == 0);
	/* B's /98 went to A above and was removed with it */
	CHECK(wg_allowedips_count(tbl) == 21 - 5);

	/* a prefix and its sub-prefix, removed together */
	fresh_table();
	INS4(A, 192, 168, 0, 0, 16);
	INS4(A, 192, 168, 0, 0, 24);
	wg_allowedips_remove_by_peer(tbl, A);
	CHECK(LK4(192, 168, 0, 1) != A);
	CHECK(wg_allowedips_count(tbl) == 0);
}

/* 128 host routes each with one bit cleared: every depth of the trie. */
static void
test_linux_deep(void)
{
	unsigned int i, ok = 0;
	uint8_t ip[16];
	uint64_t part;
	int k;

	fresh_table();
	for (i = 0; i < 128; i++) {
		part = ~(UINT64_C(1) << (i % 64));
		memset(ip, 0xff, 16);
		for (k = 0; k < 8; k++)
			ip[(i < 64) * 8 + k] = (uint8_t)(part >> (56 - 8 * k));
		CHECK(wg_allowedips_insert(tbl, AF_INET6, ip, 128, A) == 0);
	}
	CHECK(wg_allowedips_count(tbl) == 128);
	for (i = 0; i < 128; i++) {
		part = ~(UINT64_C(1) << (i % 64));
		memset(ip, 0xff, 16);
		for (k = 0; k < 8; k++)
			ip[(i < 64) * 8 + k] = (uint8_t)(part >> (56 - 8 * k));
		ok += wg_allowedips_lookup(tbl, AF_INET6, ip) == A;
	}
	CHECK(ok == 128);
	memset(ip, 0xff, 16);
	CHECK(wg_allowedips_lookup(tbl, AF_INET6, ip) == NULL);
	wg_allowedips_free(tbl);
	tbl = NULL;

	/* Same shape, torn down by peer instead of freed. */
	fresh_table();
	for (i = 0; i < 128; i++) {
		memset(ip, 0xff, 16);
		ip[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
		CHECK(wg_allowedips_insert(tbl, AF_INET6, ip, 128, B) == 0);
	}
	memset(ip, 0xff, 16);
	CHECK(wg_allowedips_insert(tbl, AF_INET6, ip, 128, C) == 0);
	wg_allowedips_remove_by_peer(tbl, B);
	CHECK(wg_allowedips_count(tbl) == 1);
	CHECK(wg_allowedips_lookup(tbl, AF_INET6, ip) == C);
	ip[15] = 0xfe;
	CHECK(wg_allowedips_lookup(tbl, AF_INET6, ip) == NULL);
}

struct walk_ctx {
	unsigned int count, found, other, stop_after;
};

static int
walk_cb(void *arg, int family, const uint8_t *addr, uint8_t cidr)
{
	struct walk_ctx *w = arg;

	w->count++;
	if (family == AF_INET && cidr == 27 &&
	    !memcmp(addr, ip4(192, 95, 5, 64).bytes, 4))
		w->found |= 1;
	else if (family == AF_INET6 && cidr == 128 &&
		 !memcmp(addr, ip6(0x26075300, 0x60006b00, 0, 0xc05f0543).bytes, 16))
		w->found |= 2;
	else if (family == AF_INET && cidr == 29 &&
		 !memcmp(addr, ip4(10, 1, 0, 16).bytes, 4))
		w->found |= 4;
	else if (family == AF_INET6 && cidr == 83 &&
		 !memcmp(addr, ip6(0x26075300, 0x6d8a6bf8, 0xdab1e000, 0).bytes,
			 16))
		w->found |= 8;
	else if (family == AF_INET6 && cidr == 21 &&
		 !memcmp(addr, ip6(0x26075000, 0, 0, 0).bytes, 16))
		w->found |= 16;
	else
		w->other++;
	return w->stop_after && w->count == w->stop_after ? 7 : 0;
}

/* Per-peer listing, with host bits cleared (Linux self-test). */
static void
test_linux_walk(void)
{
	struct walk_ctx w = { 0 };

	fresh_table();
	INS4(A, 192, 95, 5, 93, 27);
	INS6(A, 0x26075300, 0x60006b00, 0, 0xc05f0543, 128);
	INS4(A, 10, 1, 0, 20, 29);
	INS6(A, 0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523, 83);
	INS6(A, 0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523, 21);
	INS4(B, 10, 1, 0, 20, 30);
	CHECK(wg_allowedips_walk_by_peer(tbl, A, walk_cb, &w) == 0);
	CHECK(w.count == 5);
	CHECK(w.found == 31);
	CHECK(w.other == 0);

	/* A non-zero return stops the walk and is passed back. */
	memset(&w, 0, sizeof(w));
	w.stop_after = 2;
	CHECK(wg_allowedips_walk_by_peer(tbl, A, walk_cb, &w) == 7);
	CHECK(w.count == 2);

	/* Unknown peer: nothing. Moving a prefix moves it between lists. */
	memset(&w, 0, sizeof(w));
	CHECK(wg_allowedips_walk_by_peer(tbl, C, walk_cb, &w) == 0);
	CHECK(w.count == 0);
	INS4(C, 10, 1, 0, 16, 29);
	memset(&w, 0, sizeof(w));
	CHECK(wg_allowedips_walk_by_peer(tbl, C, walk_cb, &w) == 0);
	CHECK(w.count == 1 && w.found == 4);
	memset(&w, 0, sizeof(w));
	CHECK(wg_allowedips_walk_by_peer(tbl, A, walk_cb, &w) == 0);
	CHECK(w.count == 4 && w.found == 27);
	CHECK(wg_allowedips_count(tbl) == 6);
}

static void
test_default_routes_and_mapped(void)
{
	fresh_table();
	CHECK(LK4(1, 2, 3, 4) == NULL);
	CHECK(LK6(0, 0, 0, 1) == NULL);

	/* /0 matches everything of its family only. */
	INS4(A, 9, 9, 9, 9, 0);
	CHECK(LK4(0, 0, 0, 0) == A);
	CHECK(LK4(255, 255, 255, 255) == A);
	CHECK(LK6(0, 0, 0, 0) == NULL);
	INS6(B, 0xffffffff, 1, 2, 3, 0);
	CHECK(LK6(0, 0, 0, 0) == B);
	CHECK(LK6(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff) == B);
	/* /0 under more specific routes, and replaced in place */
	INS4(C, 10, 0, 0, 0, 8);
	CHECK(LK4(10, 1, 1, 1) == C);
	CHECK(LK4(11, 1, 1, 1) == A);
	INS4(D, 0, 0, 0, 0, 0);
	CHECK(LK4(11, 1, 1, 1) == D);
	CHECK(LK4(10, 1, 1, 1) == C);
	CHECK(RM4(A, 0, 0, 0, 0, 0) == -ENOENT);
	CHECK(RM4(D, 1, 1, 1, 1, 0) == 0);
	CHECK(LK4(11, 1, 1, 1) == NULL);
	CHECK(LK4(10, 1, 1, 1) == C);

	/*
	 * IPv4-mapped IPv6 (::ffff:a.b.c.d) is looked up in the IPv6 table
	 * only, as in Linux: an IPv4 prefix never matches it, and an IPv6
	 * prefix over ::ffff:0:0/96 never matches an IPv4 address.
	 */
	INS4(E, 192, 168, 4, 0, 24);
	CHECK(LK6(0, 0, 0xffff, 0xc0a80404) == B);
	INS6(F, 0, 0, 0xffff, 0, 96);
	CHECK(LK6(0, 0, 0xffff, 0xc0a80404) == F);
	CHECK(LK4(192, 168, 4, 4) == E);
	INS6(G, 0, 0, 0xffff, 0xc0a80400, 120);
	CHECK(LK6(0, 0, 0xffff, 0xc0a80404) == G);
	CHECK(LK6(0, 0, 0xffff, 0xc0a80504) == F);
	CHECK(LK6(0, 0, 0xfffe, 0xc0a80404) == B);
	CHECK(LK4(192, 168, 5, 4) == NULL);
	/* ::a.b.c.d (compatible form) is just another IPv6 address */
	CHECK(LK6(0, 0, 0, 0xc0a80404) == B);
	CHECK(RM6(G, 0, 0, 0xffff, 0xc0a80400, 120) == 0);
	CHECK(LK6(0, 0, 0xffff, 0xc0a80404) == F);
}

static void
test_arguments(void)
{
	struct ip x = ip4(1, 2, 3, 4);

	fresh_table();
	CHECK(wg_allowedips_insert(tbl, AF_INET, x.bytes, 33, A) == -EINVAL);
	CHECK(wg_allowedips_insert(tbl, AF_INET6, x.bytes, 129, A) == -EINVAL);
	CHECK(wg_allowedips_insert(tbl, AF_UNSPEC, x.bytes, 8, A) == -EINVAL);
	CHECK(wg_allowedips_insert(tbl, 12345, x.bytes, 8, A) == -EINVAL);
	CHECK(wg_allowedips_insert(tbl, AF_INET, x.bytes, 8, NULL) == -EINVAL);
	CHECK(wg_allowedips_insert(tbl, AF_INET, NULL, 8, A) == -EINVAL);
	CHECK(wg_allowedips_insert(NULL, AF_INET, x.bytes, 8, A) == -EINVAL);
	CHECK(wg_allowedips_count(tbl) == 0);
	CHECK(wg_allowedips_insert(tbl, AF_INET, x.bytes, 32, A) == 0);
	CHECK(wg_allowedips_insert(tbl, AF_INET, x.bytes, 32, A) == 0);
	CHECK(wg_allowedips_count(tbl) == 1);
	CHECK(wg_allowedips_remove(tbl, AF_INET, x.bytes, 33, A) == -ENOENT);
	CHECK(wg_allowedips_remove(tbl, AF_INET6, x.bytes, 32, A) == -ENOENT);
	CHECK(wg_allowedips_remove(tbl, AF_UNSPEC, x.bytes, 32, A) == -ENOENT);
	CHECK(wg_allowedips_lookup(tbl, AF_UNSPEC, x.bytes) == NULL);
	CHECK(wg_allowedips_lookup(tbl, AF_INET, NULL) == NULL);
	CHECK(wg_allowedips_lookup(NULL, AF_INET, x.bytes) == NULL);
	CHECK(wg_allowedips_lookup(tbl, AF_INET, x.bytes) == A);
	wg_allowedips_remove_by_peer(tbl, B);
	wg_allowedips_remove_by_peer(tbl, NULL);
	wg_allowedips_remove_by_peer(NULL, A);
	CHECK(wg_allowedips_count(tbl) == 1);
	CHECK(wg_allowedips_memory(tbl) > 0);
	wg_allowedips_free(NULL);
}

/* ---- randomised cross-check against a brute-force table ---- */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static unsigned int
rng_below(unsigned int n)
{
	return (unsigned int)((rng() >> 32) % n);
}

struct ref_entry {
	uint64_t key[2];	/* masked */
	uint64_t mask[2];
	int family;
	uint8_t cidr;
	void *peer;
};

static struct ref_entry *refs;
static size_t ref_n, ref_cap;

static void
to_key(uint64_t key[2], int family, const uint8_t *a)
{
	int i, n = family == AF_INET ? 4 : 16;

	key[0] = key[1] = 0;
	for (i = 0; i < n; i++)
		key[i / 8] |= (uint64_t)a[i] << (56 - 8 * (i % 8));
}

static void
make_mask(uint64_t m[2], unsigned int cidr)
{
	m[0] = cidr == 0 ? 0 : cidr >= 64 ? ~UINT64_C(0) :
		~UINT64_C(0) << (64 - cidr);
	m[1] = cidr <= 64 ? 0 : cidr >= 128 ? ~UINT64_C(0) :
		~UINT64_C(0) << (128 - cidr);
}

static struct ref_entry *
ref_find(int family, const uint64_t key[2], unsigned int cidr)
{
	size_t i;

	for (i = 0; i < ref_n; i++)
		if (refs[i].family == family && refs[i].cidr == cidr &&
		    refs[i].key[0] == key[0] && refs[i].key[1] == key[1])
			return &refs[i];
	return NULL;
}

static void
ref_insert(int family, const uint8_t *a, unsigned int cidr, void *peer)
{
	struct ref_entry e = { .family = family, .cidr = (uint8_t)cidr,
			       .peer = peer }, *old;

	to_key(e.key, family, a);
	make_mask(e.mask, cidr);
	e.key[0] &= e.mask[0];
	e.key[1] &= e.mask[1];
	old = ref_find(family, e.key, cidr);
	if (old != NULL) {
		old->peer = peer;
		return;
	}
	if (ref_n == ref_cap) {
		ref_cap = ref_cap ? ref_cap * 2 : 1024;
		refs = realloc(refs, ref_cap * sizeof(*refs));
		if (refs == NULL)
			exit(EXIT_FAILURE);
	}
	refs[ref_n++] = e;
}

static int
ref_remove(int family, const uint8_t *a, unsigned int cidr, void *peer)
{
	uint64_t key[2], m[2];
	struct ref_entry *e;

	to_key(key, family, a);
	make_mask(m, cidr);
	key[0] &= m[0];
	key[1] &= m[1];
	e = ref_find(family, key, cidr);
	if (e == NULL || e->peer != peer)
		return -ENOENT;
	*e = refs[--ref_n];
	return 0;
}

static void
ref_remove_peer(void *peer)
{
	size_t i = 0;

	while (i < ref_n) {
		if (refs[i].peer == peer)
			refs[i] = refs[--ref_n];
		else
			i++;
	}
}

static void *
ref_lookup(int family, const uint8_t *a)
{
	uint64_t key[2];
	void *best = NULL;
	int best_cidr = -1;
	size_t i;

	to_key(key, family, a);
	for (i = 0; i < ref_n; i++) {
		const struct ref_entry *e = &refs[i];

		if (e->family == family && e->cidr > best_cidr &&
		    (key[0] & e->mask[0]) == e->key[0] &&
		    (key[1] & e->mask[1]) == e->key[1]) {
			best = e->peer;
			best_cidr = e->cidr;
		}
	}
	return best;
}

#define NPEERS	48
static char rpeers[NPEERS];

static void
random_addr(uint8_t *a, int n)
{
	int i;

	for (i = 0; i < n; i++)
		a[i] = (uint8_t)rng();
}

/* a copy of base keeping its first `keep` bits, the rest random */
static void
mutate(uint8_t *out, const uint8_t *base, unsigned int keep, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		unsigned int bit0 = (unsigned int)i * 8;
		uint8_t m = bit0 + 8 <= keep ? 0xff : bit0 >= keep ? 0 :
			(uint8_t)(0xff << (8 - (keep - bit0)));

		out[i] = (uint8_t)((base[i] & m) | ((uint8_t)rng() & ~m));
	}
}

static unsigned int
query_round(unsigned int n)
{
	unsigned int i, bad = 0;
	uint8_t a[16];
	int fam;

	for (i = 0; i < n; i++) {
		fam = (i & 1) ? AF_INET6 : AF_INET;
		if (ref_n != 0 && (i & 2)) {
			/* near a stored prefix: a hit at some depth */
			const struct ref_entry *e = &refs[rng_below((unsigned int)ref_n)];
			uint8_t base[16];

			fam = e->family;
			memset(base, 0, 16);
			for (int k = 0; k < 16; k++)
				base[k] = (uint8_t)(e->key[k / 8] >>
						    (56 - 8 * (k % 8)));
			mutate(a, base, e->cidr + rng_below(8),
			       fam == AF_INET ? 4 : 16);
		} else {
			random_addr(a, fam == AF_INET ? 4 : 16);
		}
		bad += wg_allowedips_lookup(tbl, fam, a) != ref_lookup(fam, a);
	}
	return bad;
}

struct collect {
	unsigned int count, unknown;
	void *peer;
};

static int
collect_cb(void *arg, int family, const uint8_t *addr, uint8_t cidr)
{
	struct collect *c = arg;
	uint64_t key[2];
	struct ref_entry *e;

	c->count++;
	to_key(key, family, addr);
	e = ref_find(family, key, cidr);
	if (e == NULL || e->peer != c->peer)
		c->unknown++;
	return 0;
}

static unsigned int
check_walks(void)
{
	unsigned int p, bad = 0;
	size_t i, n;

	for (p = 0; p < NPEERS; p++) {
		struct collect c = { .peer = &rpeers[p] };

		wg_allowedips_walk_by_peer(tbl, &rpeers[p], collect_cb, &c);
		for (i = 0, n = 0; i < ref_n; i++)
			n += refs[i].peer == &rpeers[p];
		bad += c.count != n || c.unknown != 0;
	}
	bad += wg_allowedips_count(tbl) != ref_n;
	return bad;
}

/* ---- internal invariants and simulated allocation failures ---- */

static unsigned int fail_prefix_pct, fail_branch_pct;
static struct census {
	size_t prefixes, branches, owned;
	unsigned int bad;
} census;

static bool
wg_allowedips_test_fail(const struct aip_pool *p)
{
	unsigned int pct = p->elem_size == sizeof(struct aip_branch) ?
		fail_branch_pct : fail_prefix_pct;

	return pct != 0 && rng_below(100) < pct;
}

static void
set_bit(uint64_t key[2], unsigned int pos, unsigned int v)
{
	uint64_t m = UINT64_C(1) << (63 - (pos & 63));

	key[pos >> 6] = v ? key[pos >> 6] | m : key[pos >> 6] & ~m;
}

/* First prefix node under ref (any, for the bits all of them share). */
static const struct aip_prefix *
any_prefix(uint32_t ref)
{
	while (is_branch(ref))
		ref = branch_of(tbl, ref)->child[0];
	return ref ? prefix_of(tbl, ref) : NULL;
}

/*
 * Every key under ref must start with the first `len` bits of path;
 * positions grow strictly; branches split two non-empty subtrees; keys
 * are masked; an ownerless prefix node only survives as a split.
 */
static void
check_subtree(uint32_t ref, const uint64_t path[2], unsigned int len,
	      int family, unsigned int bits, struct census *c)
{
	const struct aip_prefix *rep = any_prefix(ref);
	unsigned int pos, side;
	uint32_t *kids;
	uint64_t sub[2];

	if (rep == NULL) {
		c->bad++;
		return;
	}
	pos = node_pos(tbl, ref);
	if (pos < len || pos > bits ||
	    key_common(rep->key, path) < len) {
		c->bad++;
		return;
	}
	kids = node_children(tbl, ref);
	if (is_branch(ref)) {
		c->branches++;
		if (kids[0] == 0 || kids[1] == 0 || pos >= bits)
			c->bad++;
	} else {
		const struct aip_prefix *p = prefix_of(tbl, ref);
		uint64_t k[2] = { p->key[0], p->key[1] };

		c->prefixes++;
		key_mask(k, p->cidr);
		if (k[0] != p->key[0] || k[1] != p->key[1] ||
		    p->family != family)
			c->bad++;
		if (p->slot != 0) {
			c->owned++;
			if (p->slot >= tbl->slots_used ||
			    tbl->slots[p->slot].peer == NULL)
				c->bad++;
		} else if (kids[0] == 0 || kids[1] == 0) {
			c->bad++;	/* should have been folded away */
		}
		if (pos == bits && (kids[0] != 0 || kids[1] != 0))
			c->bad++;
	}
	for (side = 0; side < 2; side++) {
		if (kids[side] == 0)
			continue;
		sub[0] = rep->key[0];
		sub[1] = rep->key[1];
		set_bit(sub, pos, side);
		check_subtree(kids[side], sub, pos + 1, family, bits, c);
	}
}

static size_t
free_count(const struct aip_pool *p)
{
	size_t n = 0;
	uint32_t i = p->free_head;

	while (i != 0 && n < p->next_unused) {
		memcpy(&i, pool_at(p, i), sizeof(i));
		n++;
	}
	return n;
}

/* Whole-table check: trie shape, node accounting, peer lists, index. */
static unsigned int
check_table(void)
{
	struct census c = { 0 };
	uint64_t zero[2] = { 0, 0 };
	size_t listed = 0, live = 0;
	uint32_t s, i, prev, n;

	if (tbl->root[0] != 0)
		check_subtree(tbl->root[0], zero, 0, AF_INET, 32, &c);
	if (tbl->root[1] != 0)
		check_subtree(tbl->root[1], zero, 0, AF_INET6, 128, &c);
	/* every node handed out is in the trie: nothing leaks */
	c.bad += c.prefixes != tbl->prefixes.next_unused - 1 -
		free_count(&tbl->prefixes);
	c.bad += c.branches != tbl->branches.next_unused - 1 -
		free_count(&tbl->branches);
	c.bad += c.owned != tbl->count;
	for (s = 1; s < tbl->slots_used; s++) {
		if (tbl->slots[s].peer == NULL)
			continue;
		live++;
		c.bad += slot_find(tbl, tbl->slots[s].peer) != s;
		c.bad += tbl->slots[s].count == 0;
		for (i = tbl->slots[s].head, prev = 0, n = 0; i != 0;
		     prev = i, i = prefix_of(tbl, i)->peer_next) {
			c.bad += prefix_of(tbl, i)->slot != s;
			c.bad += prefix_of(tbl, i)->peer_prev != prev;
			if (++n > tbl->count)
				break;
		}
		c.bad += n != tbl->slots[s].count;
		listed += n;
	}
	c.bad += listed != tbl->count;
	c.bad += live != tbl->slots_live;
	for (i = 0, n = 0; i <= tbl->index_mask; i++)
		n += tbl->index[i] != 0;
	c.bad += n != tbl->slots_live;
	if (c.bad)
		fprintf(stderr, "allowedips invariants: %u violations\n",
			c.bad);
	census = c;
	return c.bad;
}

/* Inserts a prefix near base (or a new base); mirrored when it works. */
static int
random_insert(int fam, uint8_t base[16], bool new_base)
{
	int n = fam == AF_INET ? 4 : 16, r;
	unsigned int bits = (unsigned int)n * 8, cidr;
	uint8_t a[16];
	void *peer = &rpeers[rng_below(NPEERS)];

	if (new_base)
		random_addr(base, n);
	mutate(a, base, rng_below(bits + 1), n);
	/* mostly 1..bits like Linux, sometimes /0 */
	cidr = rng_below(64) == 0 ? 0 : 1 + rng_below(bits);
	r = wg_allowedips_insert(tbl, fam, a, (uint8_t)cidr, peer);
	if (r == 0)
		ref_insert(fam, a, cidr, peer);
	else
		CHECK(r == -ENOMEM && (fail_prefix_pct || fail_branch_pct));
	return r;
}

/* Removes a random stored prefix through its owner (host bits set). */
static void
random_remove(struct ref_entry *out)
{
	struct ref_entry e = refs[rng_below((unsigned int)ref_n)];
	uint8_t a[16];
	int k;

	for (k = 0; k < 16; k++)
		a[k] = (uint8_t)(e.key[k / 8] >> (56 - 8 * (k % 8)));
	if (e.cidr < (e.family == AF_INET ? 32 : 128))
		a[e.cidr / 8] |= (uint8_t)(rng() & (0xff >> (e.cidr % 8)));
	CHECK(wg_allowedips_remove(tbl, e.family, a, e.cidr, e.peer) == 0);
	CHECK(ref_remove(e.family, a, e.cidr, e.peer) == 0);
	if (out != NULL)
		*out = e;
}

static void
test_random(void)
{
	const char *env = getenv("WG_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : UINT64_C(0xa11eed1b5);
	unsigned int i, j, bad, fam_i, removed = 0, refused = 0;
	uint8_t base[16] = { 0 };

	rng_state = seed ? seed : 1;
	printf("allowedips random seed 0x%llx\n", (unsigned long long)seed);
	fresh_table();
	ref_n = 0;

	/* As the Linux random test: bases, each with mutated neighbours. */
	for (fam_i = 0; fam_i < 2; fam_i++) {
		int fam = fam_i ? AF_INET6 : AF_INET;

		for (i = 0; i < 150; i++)
			for (j = 0; j < 16; j++)
				random_insert(fam, base, j == 0);
	}
	printf("random: %zu prefixes\n", ref_n);
	bad = query_round(20000);
	CHECK(bad == 0);
	CHECK(check_walks() == 0);
	CHECK(check_table() == 0);

	/* Churn: removals (right owner, wrong owner, wrong length) and
	 * inserts interleaved, checked as we go.
	 */
	for (i = 0; i < 3000; i++) {
		unsigned int what = rng_below(8);

		if (what < 2 || ref_n == 0) {
			int fam = (rng() & 1) ? AF_INET6 : AF_INET;

			random_insert(fam, base, rng_below(4) == 0);
		} else {
			struct ref_entry e = refs[rng_below((unsigned int)ref_n)];
			uint8_t a[16];
			void *peer = e.peer;
			unsigned int cidr = e.cidr;
			int r, k;

			for (k = 0; k < 16; k++)
				a[k] = (uint8_t)(e.key[k / 8] >> (56 - 8 * (k % 8)));
			if (what == 6)
				peer = &rpeers[rng_below(NPEERS)];
			if (what == 7)
				cidr = rng_below(e.family == AF_INET ? 33 : 129);
			/* random host bits must not matter */
			if (cidr < (e.family == AF_INET ? 32u : 128u))
				a[cidr / 8] |= (uint8_t)(rng() & (0xff >> (cidr % 8)));
			r = wg_allowedips_remove(tbl, e.family, a, (uint8_t)cidr,
						 peer);
			CHECK(r == ref_remove(e.family, a, cidr, peer));
			removed += r == 0;
			refused += r != 0;
		}
		if (i % 100 == 0) {
			CHECK(query_round(200) == 0);
			CHECK(check_table() == 0);
		}
	}
	printf("random: churn removed %u, refused %u, %zu left\n", removed,
	       refused, ref_n);
	CHECK(removed > 1000 && refused > 100);
	CHECK(query_round(20000) == 0);
	CHECK(check_walks() == 0);

	/* Peers leave one by one; the table shrinks to nothing. */
	for (i = 0; i < NPEERS; i++) {
		wg_allowedips_remove_by_peer(tbl, &rpeers[i]);
		ref_remove_peer(&rpeers[i]);
		if (i % 8 == 0) {
			CHECK(query_round(2000) == 0);
			CHECK(check_walks() == 0);
			CHECK(check_table() == 0);
		}
	}
	CHECK(wg_allowedips_count(tbl) == 0);
	CHECK(check_table() == 0);
	CHECK(tbl->root[0] == 0 && tbl->root[1] == 0);
	CHECK(tbl->slots_live == 0);
	CHECK(query_round(1000) == 0);

	/* And grows again on the emptied pools. */
	for (i = 0; i < 2000; i++)
		random_insert((i & 1) ? AF_INET6 : AF_INET, base, i % 10 == 0);
	CHECK(query_round(10000) == 0);
	CHECK(check_walks() == 0);
	CHECK(check_table() == 0);
	free(refs);
	refs = NULL;
	ref_n = ref_cap = 0;
}

/*
 * Allocation failures: an insert that cannot get memory changes nothing;
 * a removal never needs memory to succeed (a prefix that still splits
 * its subtree stays as an ownerless node when no branch node can be had).
 */
static void
test_out_of_memory(void)
{
	enum { MAX_SAVED = 4096 };
	static struct ref_entry saved[MAX_SAVED];
	unsigned int i, enomem = 0, nsaved = 0, attempts = 0;
	uint8_t base[16] = { 0 }, a[16];
	size_t before;
	int k;

	fresh_table();
	ref_n = 0;
	fail_prefix_pct = fail_branch_pct = 0;
	for (i = 0; i < 3000; i++)
		random_insert((i & 1) ? AF_INET6 : AF_INET, base, i % 12 == 0);
	CHECK(check_table() == 0);
	before = ref_n;

	/* No memory at all: every insert fails, the table is as it was. */
	fail_prefix_pct = fail_branch_pct = 100;
	for (i = 0; i < 300; i++)
		enomem += random_insert((i & 1) ? AF_INET6 : AF_INET, base,
					i % 3 == 0) == -ENOMEM;
	CHECK(enomem == 300);
	CHECK(ref_n == before && wg_allowedips_count(tbl) == before);
	CHECK(query_round(4000) == 0);
	CHECK(check_table() == 0);

	/* Removals still succeed; some leave ownerless splitting nodes. */
	for (i = 0; i < before / 2; i++)
		random_remove(nsaved < MAX_SAVED ? &saved[nsaved++] : NULL);
	CHECK(check_table() == 0);
	printf("out of memory: %zu prefix nodes kept without owner\n",
	       census.prefixes - census.owned);
	CHECK(census.prefixes > census.owned);
	CHECK(query_round(10000) == 0);
	CHECK(check_walks() == 0);
	for (i = 0; i < NPEERS / 4; i++) {
		wg_allowedips_remove_by_peer(tbl, &rpeers[i]);
		ref_remove_peer(&rpeers[i]);
	}
	CHECK(check_table() == 0);
	CHECK(query_round(4000) == 0);

	/* Memory comes and goes: churn with random failures. */
	fail_prefix_pct = 10;
	fail_branch_pct = 30;
	enomem = 0;
	for (i = 0; i < 4000; i++) {
		unsigned int what = rng_below(10);

		if (what < 4 || ref_n == 0) {
			attempts++;
			enomem += random_insert((rng() & 1) ? AF_INET6 :
						AF_INET, base,
						rng_below(4) == 0) != 0;
		} else if (what < 6 && nsaved != 0) {
			/* an old prefix back, often onto its ownerless node */
			const struct ref_entry *e = &saved[rng_below(nsaved)];
			void *peer = &rpeers[rng_below(NPEERS)];

			for (k = 0; k < 16; k++)
				a[k] = (uint8_t)(e->key[k / 8] >>
						 (56 - 8 * (k % 8)));
			attempts++;
			if (wg_allowedips_insert(tbl, e->family, a, e->cidr,
						 peer) == 0)
				ref_insert(e->family, a, e->cidr, peer);
			else
				enomem++;
		} else if (what == 9) {
			void *peer = &rpeers[rng_below(NPEERS)];

			wg_allowedips_remove_by_peer(tbl, peer);
			ref_remove_peer(peer);
		} else {
			random_remove(NULL);
		}
		if (i % 200 == 0) {
			CHECK(query_round(500) == 0);
			CHECK(check_table() == 0);
		}
	}
	printf("out of memory: %u of %u inserts refused while churning\n",
	       enomem, attempts);
	CHECK(enomem > 0 && enomem < attempts);
	CHECK(query_round(10000) == 0);
	CHECK(check_walks() == 0);
	CHECK(check_table() == 0);

	/* Memory back: every saved prefix returns, then all peers leave. */
	fail_prefix_pct = fail_branch_pct = 0;
	for (i = 0; i < nsaved; i++) {
		for (k = 0; k < 16; k++)
			a[k] = (uint8_t)(saved[i].key[k / 8] >>
					 (56 - 8 * (k % 8)));
		CHECK(wg_allowedips_insert(tbl, saved[i].family, a,
					   saved[i].cidr, saved[i].peer) == 0);
		ref_insert(saved[i].family, a, saved[i].cidr, saved[i].peer);
	}
	CHECK(query_round(10000) == 0);
	CHECK(check_walks() == 0);
	CHECK(check_table() == 0);
	for (i = 0; i < NPEERS; i++) {
		wg_allowedips_remove_by_peer(tbl, &rpeers[i]);
		ref_remove_peer(&rpeers[i]);
	}
	CHECK(check_table() == 0);
	CHECK(census.prefixes == 0 && census.branches == 0);
	CHECK(tbl->root[0] == 0 && tbl->root[1] == 0);
	CHECK(wg_allowedips_count(tbl) == 0 && ref_n == 0);
	free(refs);
	refs = NULL;
	ref_n = ref_cap = 0;
}

/* ---- scale ---- */

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static struct ip
scale_v4(uint32_t i)
{
	uint32_t a = 0x0a000000u + i;	/* 10.0.0.0 + i */

	return ip4((uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8),
		   (uint8_t)a);
}

static struct ip
scale_v6(uint32_t i)
{
	uint64_t x = i * UINT64_C(0x9e3779b97f4a7c15);

	x ^= x >> 31;
	/* fd00::/8, 88 scattered bits, i itself in the last 32 bits */
	return ip6(0xfd000000u | (uint32_t)(x >> 40), (uint32_t)x,
		   (uint32_t)(x >> 17), i);
}

static void
test_scale(void)
{
	const char *env = getenv("WG_AIP_SCALE");
	uint32_t n = env ? (uint32_t)strtoul(env, NULL, 0) : SCALE_DEFAULT;
	unsigned int bad = 0;
	double t0, t1, t2, t3;
	long rss0, rss1;
	size_t mem;
	char *peers;
	uint32_t i;

	if (n == 0 || n > (1u << 24))
		n = SCALE_DEFAULT;
	peers = malloc(n);
	CHECK(peers != NULL);
	if (peers == NULL)
		return;
	wg_allowedips_free(tbl);
	rss0 = rss_kib();
	tbl = wg_allowedips_create();
	CHECK(tbl != NULL);

	t0 = seconds();
	for (i = 0; i < n; i++) {
		bad += wg_allowedips_insert(tbl, AF_INET, scale_v4(i).bytes, 32,
					    &peers[i]) != 0;
		bad += wg_allowedips_insert(tbl, AF_INET6, scale_v6(i).bytes, 128,
					    &peers[i]) != 0;
	}
	t1 = seconds();
	CHECK(bad == 0);
	CHECK(wg_allowedips_count(tbl) == 2 * (size_t)n);
	mem = wg_allowedips_memory(tbl);
	rss1 = rss_kib();

	for (i = 0; i < n; i++) {
		bad += wg_allowedips_lookup(tbl, AF_INET, scale_v4(i).bytes) !=
			&peers[i];
		bad += wg_allowedips_lookup(tbl, AF_INET6, scale_v6(i).bytes) !=
			&peers[i];
	}
	t2 = seconds();
	CHECK(bad == 0);

	/* Half the peers leave. */
	for (i = 0; i < n; i += 2)
		wg_allowedips_remove_by_peer(tbl, &peers[i]);
	t3 = seconds();
	CHECK(wg_allowedips_count(tbl) == 2 * (size_t)(n / 2));
	for (i = 0; i < n; i++) {
		void *want = (i & 1) ? &peers[i] : NULL;

		bad += wg_allowedips_lookup(tbl, AF_INET, scale_v4(i).bytes) != want;
		bad += wg_allowedips_lookup(tbl, AF_INET6, scale_v6(i).bytes) != want;
	}
	CHECK(bad == 0);
	CHECK(check_table() == 0);

	printf("scale: %u peers, %u prefixes (/32 + /128 each)\n", n, 2 * n);
	printf("scale: insert %.3f s (%.0f ns/prefix), lookup %.0f ns, "
	       "remove_by_peer %.0f ns/peer\n", t1 - t0,
	       (t1 - t0) * 1e9 / (2.0 * n), (t2 - t1) * 1e9 / (2.0 * n),
	       (t3 - t2) * 1e9 / (n / 2 ? n / 2 : 1));
	printf("scale: table %zu bytes = %.1f bytes/prefix; RSS +%ld KiB\n",
	       mem, (double)mem / (2.0 * n), rss1 - rss0);
	CHECK((double)mem / (2.0 * n) < 100.0);

	wg_allowedips_free(tbl);
	tbl = NULL;
	free(peers);
}

int
main(void)
{
	double t0 = seconds();

	test_linux_fixed();
	test_linux_deep();
	test_linux_walk();
	test_default_routes_and_mapped();
	test_arguments();
	test_random();
	test_out_of_memory();
	test_scale();
	wg_allowedips_free(tbl);
	printf("allowedips tests took %.2f s\n", seconds() - t0);
	TEST_MAIN_END();
}
