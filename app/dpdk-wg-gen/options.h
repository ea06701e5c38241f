/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_OPTIONS_H
#define GEN_OPTIONS_H

/*
 * The generator's command line (after EAL's `--`) and its --help text.
 * Addresses are kept in network order, ports in host order.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define GEN_MAX_PEERS		100000
#define GEN_MAX_SIZES		16
#define GEN_MIN_SIZE		60	/* IPv4 + UDP + the generator's header */
#define GEN_DEFAULT_MTU		1420

enum gen_direction {
	GEN_DIR_DECRYPT = 1 << 0,	/* peers -> gateway -> LAN */
	GEN_DIR_ENCRYPT = 1 << 1,	/* LAN -> gateway -> peers */
	GEN_DIR_BOTH = GEN_DIR_DECRYPT | GEN_DIR_ENCRYPT,
};

struct gen_options {
	/* mode */
	bool help;
	uint32_t emit_config;		/* --emit-config N: 0 = run */

	/* peers */
	uint32_t n_peers;
	uint64_t seed;
	const char *peers_file;

	/* gateway */
	uint8_t gw_public_key[32];
	bool has_gw_public_key;
	uint32_t gw_wan_ip;		/* network order */
	uint16_t gw_port;
	uint32_t gw_lan_ip;
	uint8_t gw_wan_mac[6];
	bool has_gw_wan_mac;
	uint8_t gw_lan_mac[6];
	bool has_gw_lan_mac;

	/* our addresses */
	uint32_t wan_ip;
	uint32_t peer_ip;		/* outer address of peer 0 */
	uint16_t peer_port;
	uint32_t tunnel_ip;		/* inner address of peer 0 */
	uint32_t lan_ip;

	/* ports */
	int wan_port;			/* -1: none */
	int lan_port;

	/* traffic */
	unsigned int direction;		/* enum gen_direction bits */
	uint16_t sizes[GEN_MAX_SIZES];	/* inner IPv4 packet sizes, in turn */
	unsigned int n_sizes;
	bool imix;
	double rate;			/* pps per direction; 0: maximum */
	double duration;		/* s */
	uint64_t count;			/* packets per direction; 0: duration */
	double warmup;			/* s */
	uint16_t tunnel_mtu;
	unsigned int burst;

	/* handshakes */
	double hs_rate;			/* initiations per second */
	double hs_timeout;		/* s before a retry */
	unsigned int hs_tries;
	double hs_wait;			/* s for all handshakes */
	bool hs_only;

	/* measurement */
	uint64_t pool_mb;
	unsigned int verify_every;
	double stats_period;		/* s; 0: final only */
	unsigned int drain_ms;
	const char *peer_stats_file;
};

/* Defaults, then argv (without EAL's part). 0, or -1 after a message on stderr. */
int
gen_options_parse(struct gen_options *o, int argc, char **argv);

void
gen_options_usage(FILE *f, const char *prog);

/* "decrypt", "encrypt" or "both". */
const char *
gen_direction_name(unsigned int direction);

#endif /* GEN_OPTIONS_H */
