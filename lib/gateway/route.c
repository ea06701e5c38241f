/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_malloc.h>
#include <rte_rib.h>
#include <rte_rib6.h>

#include "route.h"

static const struct gw_route_sizes gw_route_min = {
	.routes4 = GW_RT_MAX_ROUTES4,
	.routes6 = GW_RT_MAX_ROUTES6,
	.tbl8_4 = GW_RT_NUM_TBL8_4,
	.tbl8_6 = GW_RT_NUM_TBL8_6,
};

static struct rte_fib *
gw_route_fib4(const char *name, int socket, enum rte_fib_dir24_8_nh_sz sz,
	      const struct gw_route_sizes *s)
{
	struct rte_fib_conf c;

	memset(&c, 0, sizeof(c));
	c.type = RTE_FIB_DIR24_8;
	c.default_nh = GW_RT_NONE;
	c.max_routes = (int)s->routes4;
	c.dir24_8.nh_sz = sz;
	c.dir24_8.num_tbl8 = s->tbl8_4;
	return rte_fib_create(name, socket, &c);
}

static struct rte_fib6 *
gw_route_fib6(const char *name, int socket, enum rte_fib_trie_nh_sz sz,
	      const struct gw_route_sizes *s)
{
	struct rte_fib6_conf c;

	memset(&c, 0, sizeof(c));
	c.type = RTE_FIB6_TRIE;
	c.default_nh = GW_RT_NONE;
	c.max_routes = (int)s->routes6;
	c.trie.nh_sz = sz;
	c.trie.num_tbl8 = s->tbl8_6;
	return rte_fib6_create(name, socket, &c);
}

static uint32_t
gw_prefix_ip4(const struct gw_prefix *pfx);

static int
gw_route_pfx_cmp(const void *a, const void *b)
{
	const struct gw_prefix *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static uint32_t
gw_route_grow(uint32_t base, uint64_t more)
{
	return (uint32_t)RTE_MIN((uint64_t)GW_RT_ROUTES_LIMIT, base + more);
}

void
gw_route_size(struct gw_route_sizes *sz, struct gw_prefix *pfx, size_t n)
{
	const struct gw_prefix *last;
	uint64_t n4 = 0, n6 = 0, g4 = 0, g6 = 0;
	size_t i;

	*sz = gw_route_min;
	for (i = 0; i < n; i++) {
		if (pfx[i].family == AF_INET) {
			uint32_t a = rte_cpu_to_be_32(gw_prefix_ip4(&pfx[i]));

			memset(pfx[i].addr, 0, sizeof(pfx[i].addr));
			memcpy(pfx[i].addr, &a, 4);
			n4++;
		} else {
			n6++;
		}
	}
	qsort(pfx, n, sizeof(*pfx), gw_route_pfx_cmp);
	/*
	 * tbl8 groups as the tables reserve them. DIR-24-8: one per /24 that
	 * holds a longer prefix (equal /24s are adjacent once sorted). Trie:
	 * one per byte below /24 for each longer prefix (13 for a /128; fewer
	 * under a covering route longer than /24): rte_fib6 reserves that
	 * much whatever the prefixes share, so IPv6 host routes are the
	 * expensive kind.
	 */
	last = NULL;
	for (i = 0; i < n; i++) {
		const struct gw_prefix *p = &pfx[i];

		if (p->family == AF_INET) {
			if (p->len > 24 && (last == NULL ||
			    memcmp(last->addr, p->addr, 3) != 0)) {
				g4++;
				last = p;
			}
		} else if (p->len > 24) {
			g6 += (RTE_ALIGN_CEIL(p->len, 8) - 24) / 8;
		}
	}
	sz->routes4 = gw_route_grow(sz->routes4, n4);
	sz->routes6 = gw_route_grow(sz->routes6, n6);
	sz->tbl8_4 = gw_route_grow(sz->tbl8_4, g4);
	sz->tbl8_6 = gw_route_grow(sz->tbl8_6, g6);
}

int
gw_route_init(struct gw_route_table *rt, bool with_underlay,
	      const struct gw_route_sizes *sz, int socket)
{
	if (sz == NULL)
		sz = &gw_route_min;
	memset(rt, 0, sizeof(*rt));
	rt->nh = rte_zmalloc_socket("gw_nexthops",
		GW_RT_MAX_NH * sizeof(*rt->nh), 0, socket);
	if (rt->nh == NULL)
		goto fail;
	rt->n_nh = 1;	/* 0 = no route */

	/* 4-byte values: peer ids and prefix lengths need 31 bits */
	rt->fib4 = gw_route_fib4("gw_fib4", socket, RTE_FIB_DIR24_8_4B,
				 &gw_route_min);
	rt->fib6 = gw_route_fib6("gw_fib6", socket, RTE_FIB6_TRIE_4B,
				 &gw_route_min);
	if (rt->fib4 == NULL || rt->fib6 == NULL)
		goto fail;
	if (with_underlay) {
		/* next-hop indexes only: 2 bytes */
		rt->ufib4 = gw_route_fib4("gw_ufib4", socket,
					  RTE_FIB_DIR24_8_2B, &gw_route_min);
		rt->ufib6 = gw_route_fib6("gw_ufib6", socket,
					  RTE_FIB6_TRIE_2B, &gw_route_min);
		if (rt->ufib4 == NULL || rt->ufib6 == NULL)
			goto fail;
		rt->pfib4 = gw_route_fib4("gw_pfib4", socket,
					  RTE_FIB_DIR24_8_4B, sz);
		rt->pfib6 = gw_route_fib6("gw_pfib6", socket,
					  RTE_FIB6_TRIE_4B, sz);
		if (rt->pfib4 == NULL || rt->pfib6 == NULL)
			goto fail;
	}
	return 0;
fail:
	gw_route_free(rt);
	return -1;
}

void
gw_route_free(struct gw_route_table *rt)
{
	rte_fib_free(rt->fib4);
	rte_fib6_free(rt->fib6);
	rte_fib_free(rt->ufib4);
	rte_fib6_free(rt->ufib6);
	rte_fib_free(rt->pfib4);
	rte_fib6_free(rt->pfib6);
	rte_free(rt->nh);
	memset(rt, 0, sizeof(*rt));
}

/* Index of an equal next hop, adding it if new; 0 when the table is full. */
static uint32_t
gw_route_nh_get(struct gw_route_table *rt, const struct gw_nexthop *nh)
{
	uint32_t i;

	for (i = 1; i < rt->n_nh; i++)
		if (memcmp(&rt->nh[i], nh, sizeof(*nh)) == 0)
			return i;
	if (rt->n_nh >= GW_RT_MAX_NH)
		return 0;
	rt->nh[rt->n_nh] = *nh;
	return rt->n_nh++;
}

static uint32_t
gw_prefix_ip4(const struct gw_prefix *pfx)
{
	uint32_t a;

	memcpy(&a, pfx->addr, 4);
	a = rte_be_to_cpu_32(a);
	if (pfx->len < 32)
		a &= pfx->len == 0 ? 0 : ~UINT32_C(0) << (32 - pfx->len);
	return a;
}

static void
gw_prefix_ip6(const struct gw_prefix *pfx, uint8_t out[16])
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		unsigned int bits = pfx->len > i * 8 ? pfx->len - i * 8 : 0;

		out[i] = bits >= 8 ? pfx->addr[i] :
			pfx->addr[i] & (uint8_t)(0xff00 >> bits);
	}
}

/* The value a FWD or PEERS table stores for val on a prefix of len. */
static uint64_t
gw_route_val_len(uint64_t val, uint8_t len)
{
	return val | ((uint64_t)len << GW_RT_LEN_SHIFT);
}

static int
gw_route_set(struct gw_route_table *rt, const struct gw_prefix *pfx,
	     uint64_t val, unsigned int tables)
{
	uint64_t lval = gw_route_val_len(val, pfx->len);
	uint8_t a6[16];
	int ret = 0;

	if (pfx->family == AF_INET) {
		uint32_t a = gw_prefix_ip4(pfx);

		if (pfx->len > 32)
			return -EINVAL;
		if (tables & GW_RT_FWD)
			ret = rte_fib_add(rt->fib4, a, pfx->len, lval);
		if (ret == 0 && (tables & GW_RT_UNDERLAY) && rt->ufib4 != NULL)
			ret = rte_fib_add(rt->ufib4, a, pfx->len, val);
		if (ret == 0 && (tables & GW_RT_PEERS) && rt->pfib4 != NULL)
			ret = rte_fib_add(rt->pfib4, a, pfx->len, lval);
		return ret;
	}
	if (pfx->family == AF_INET6) {
		if (pfx->len > 128)
			return -EINVAL;
		gw_prefix_ip6(pfx, a6);
		if (tables & GW_RT_FWD)
			ret = rte_fib6_add(rt->fib6, a6, pfx->len, lval);
		if (ret == 0 && (tables & GW_RT_UNDERLAY) && rt->ufib6 != NULL)
			ret = rte_fib6_add(rt->ufib6, a6, pfx->len, val);
		if (ret == 0 && (tables & GW_RT_PEERS) && rt->pfib6 != NULL)
			ret = rte_fib6_add(rt->pfib6, a6, pfx->len, lval);
		return ret;
	}
	return -EAFNOSUPPORT;
}

/* The table that holds peer routes: PEERS, or FWD without WireGuard. */
static unsigned int
gw_route_peer_table(const struct gw_route_table *rt)
{
	return rt->pfib4 != NULL ? GW_RT_PEERS : GW_RT_FWD;
}

int
gw_route_add(struct gw_route_table *rt, const struct gw_prefix *pfx,
	     const struct gw_nexthop *nh, unsigned int tables)
{
	uint32_t idx;

	if (tables & GW_RT_PEERS)	/* peers: gw_route_add_peer() */
		return -EINVAL;
	idx = gw_route_nh_get(rt, nh);
	if (idx == 0)
		return -ENOSPC;
	return gw_route_set(rt, pfx, idx, tables);
}

int
gw_route_add_peer(struct gw_route_table *rt, const struct gw_prefix *pfx,
		  uint32_t peer)
{
	if (peer > GW_RT_PEER_MASK)
		return -EINVAL;
	return gw_route_set(rt, pfx, GW_RT_PEER_FLAG | peer,
			    gw_route_peer_table(rt));
}

/* Deletes pfx from fib if its exact entry has value val. */
static int
gw_route_del4_if(struct rte_fib *fib, uint32_t a, uint8_t len, uint64_t val)
{
	struct rte_rib_node *n;
	uint64_t cur;

	if (fib == NULL)
		return -ENOENT;
	n = rte_rib_lookup_exact(rte_fib_get_rib(fib), a, len);
	if (n == NULL || rte_rib_get_nh(n, &cur) != 0 || cur != val)
		return -ENOENT;
	return rte_fib_delete(fib, a, len);
}

static int
gw_route_del6_if(struct rte_fib6 *fib, const uint8_t *a, uint8_t len,
		 uint64_t val)
{
	struct rte_rib6_node *n;
	uint64_t cur;

	if (fib == NULL)
		return -ENOENT;
	n = rte_rib6_lookup_exact(rte_fib6_get_rib(fib), a, len);
	if (n == NULL || rte_rib6_get_nh(n, &cur) != 0 || cur != val)
		return -ENOENT;
	return rte_fib6_delete(fib, a, len);
}

int
gw_route_del_peer(struct gw_route_table *rt, const struct gw_prefix *pfx,
		  uint32_t peer)
{
	uint64_t val = gw_route_val_len(GW_RT_PEER_FLAG | peer, pfx->len);
	bool own = gw_route_peer_table(rt) == GW_RT_PEERS;
	uint8_t a6[16];

	if (peer > GW_RT_PEER_MASK)
		return -EINVAL;
	if (pfx->family == AF_INET && pfx->len <= 32)
		return gw_route_del4_if(own ? rt->pfib4 : rt->fib4,
					gw_prefix_ip4(pfx), pfx->len, val);
	if (pfx->family == AF_INET6 && pfx->len <= 128) {
		gw_prefix_ip6(pfx, a6);
		return gw_route_del6_if(own ? rt->pfib6 : rt->fib6, a6,
					pfx->len, val);
	}
	return -EINVAL;
}

int
gw_route_del(struct gw_route_table *rt, const struct gw_prefix *pfx,
	     unsigned int tables)
{
	uint8_t a6[16];
	int ret = 0;

	if (pfx->family == AF_INET) {
		uint32_t a = gw_prefix_ip4(pfx);

		if (tables & GW_RT_FWD)
			ret = rte_fib_delete(rt->fib4, a, pfx->len);
		if (ret == 0 && (tables & GW_RT_UNDERLAY) && rt->ufib4 != NULL)
			ret = rte_fib_delete(rt->ufib4, a, pfx->len);
		return ret;
	}
	if (pfx->family == AF_INET6) {
		gw_prefix_ip6(pfx, a6);
		if (tables & GW_RT_FWD)
			ret = rte_fib6_delete(rt->fib6, a6, pfx->len);
		if (ret == 0 && (tables & GW_RT_UNDERLAY) && rt->ufib6 != NULL)
			ret = rte_fib6_delete(rt->ufib6, a6, pfx->len);
		return ret;
	}
	return -EAFNOSUPPORT;
}
