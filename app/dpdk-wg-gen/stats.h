/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_STATS_H
#define GEN_STATS_H

/*
 * The generator's counters, its latency histogram, the periodic and
 * final reports and the final JSON line.
 *
 * Latency histogram: log-linear, 32 buckets per power of two of
 * nanoseconds (about 3 % resolution), up to 2^40 ns.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "peers.h"

#define GEN_LAT_SUB_BITS	5
#define GEN_LAT_BUCKETS		((40 - GEN_LAT_SUB_BITS + 1) << GEN_LAT_SUB_BITS)

struct gen_lat {
	uint64_t n;
	uint64_t min, max, sum;		/* ns */
	uint64_t bucket[GEN_LAT_BUCKETS];
};

/* One direction of traffic. rx_* count what came back, verified or not. */
struct gen_dir_stats {
	uint64_t tx_pkts;
	uint64_t tx_l3_bytes;		/* inner IPv4 packets */
	uint64_t tx_wire_bytes;		/* Ethernet frames */
	uint64_t rx_pkts;
	uint64_t rx_l3_bytes;
	uint64_t rx_wire_bytes;
	uint64_t verified;		/* sampled and correct */
	uint64_t verify_failed;		/* sampled and wrong */
	uint64_t seq_gap;		/* packets skipped in a peer's sequence */
	uint64_t seq_late;		/* arrived after a later one */
	uint64_t pool_empty_cycles;	/* decrypt: time with no packet ready */
	uint64_t backpressure_cycles;	/* time the TX ring was full */
	struct gen_lat lat;
};

struct gen_hs_stats {
	uint64_t initiations;		/* sent, retries included */
	uint64_t retries;		/* after a timeout */
	uint64_t cookie_retries;	/* after a cookie reply */
	uint64_t responses;		/* accepted */
	uint64_t responses_bad;		/* refused by Noise */
	uint64_t cookies;		/* accepted cookie replies */
	uint64_t cookies_bad;
	uint64_t completed;		/* first handshakes of peers */
	uint64_t rekeys;		/* later handshakes */
	uint64_t failed;		/* peers given up */
	uint64_t keepalives;		/* sent after a handshake or idle */
	uint64_t first_tsc;		/* first initiation */
	uint64_t last_tsc;		/* last first handshake completed */
};

/* Everything else that arrived. */
struct gen_misc_stats {
	uint64_t arp_requests_rx;
	uint64_t arp_replies_tx;
	uint64_t arp_replies_rx;
	uint64_t arp_requests_tx;
	uint64_t wg_keepalives_rx;
	uint64_t wg_initiations_rx;	/* the gateway initiating: ignored */
	uint64_t wg_unknown_index;
	uint64_t wg_decrypt_failed;	/* sampled packets that did not open */
	uint64_t wg_invalid;		/* not a WireGuard message */
	uint64_t not_for_us;		/* other addresses, ports, protocols */
	uint64_t malformed;		/* truncated or inconsistent headers */
	uint64_t ctl_dropped;		/* control frames that could not leave */
	uint64_t no_mbuf;
};

struct gen_stats {
	struct gen_dir_stats dir[GEN_D_MAX];
	struct gen_hs_stats hs;
	struct gen_misc_stats misc;
};

void
gen_lat_add(struct gen_lat *l, uint64_t ns);
/* The q-quantile (0..1) in ns: the upper edge of its bucket; 0 if empty. */
uint64_t
gen_lat_quantile(const struct gen_lat *l, double q);

/* Counters of one direction only (the warm-up is forgotten). */
void
gen_dir_stats_reset(struct gen_dir_stats *d);

#endif /* GEN_STATS_H */
