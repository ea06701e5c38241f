/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include "stats.h"

static unsigned int
gen_lat_bucket(uint64_t ns)
{
	const unsigned int sub = 1u << GEN_LAT_SUB_BITS;
	unsigned int e, b;

	if (ns < sub)
		return (unsigned int)ns;
	e = 63u - (unsigned int)__builtin_clzll(ns);	/* >= SUB_BITS */
	b = ((e - GEN_LAT_SUB_BITS + 1) << GEN_LAT_SUB_BITS) +
		(unsigned int)((ns >> (e - GEN_LAT_SUB_BITS)) & (sub - 1));
	return b < GEN_LAT_BUCKETS ? b : GEN_LAT_BUCKETS - 1;
}

/* The largest value that falls into bucket b. */
static uint64_t
gen_lat_bucket_top(unsigned int b)
{
	const unsigned int sub = 1u << GEN_LAT_SUB_BITS;
	unsigned int e;

	if (b < sub)
		return b;
	e = (b >> GEN_LAT_SUB_BITS) + GEN_LAT_SUB_BITS - 1;
	return (((uint64_t)(sub | (b & (sub - 1))) + 1) <<
		(e - GEN_LAT_SUB_BITS)) - 1;
}

void
gen_lat_add(struct gen_lat *l, uint64_t ns)
{
	if (l->n == 0 || ns < l->min)
		l->min = ns;
	if (ns > l->max)
		l->max = ns;
	l->n++;
	l->sum += ns;
	l->bucket[gen_lat_bucket(ns)]++;
}

uint64_t
gen_lat_quantile(const struct gen_lat *l, double q)
{
	uint64_t rank, seen = 0;
	unsigned int b;

	if (l->n == 0)
		return 0;
	rank = (uint64_t)(q * (double)l->n);
	if (rank >= l->n)
		rank = l->n - 1;
	for (b = 0; b < GEN_LAT_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen > rank) {
			uint64_t top = gen_lat_bucket_top(b);

			/* the last bucket has no top: everything beyond */
			if (b == GEN_LAT_BUCKETS - 1 || top > l->max)
				return l->max;
			return top;
		}
	}
	return l->max;
}

void
gen_dir_stats_reset(struct gen_dir_stats *d)
{
	memset(d, 0, sizeof(*d));
}
