/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_ICMP_H
#define GW_ICMP_H

/*
 * ICMP (RFC 792, RFC 1812) and ICMPv6 (RFC 4443) of the gateway: echo
 * replies on every address of the gateway, and the errors a router sends
 * (time exceeded, destination unreachable, fragmentation needed / packet
 * too big). Errors are rate limited per lcore (token bucket,
 * GW_ICMP_RATE per second, bursts of GW_ICMP_BURST), echo replies are not.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#define GW_ICMP_RATE		1000
#define GW_ICMP_BURST		50

/* ICMPv4 */
#define GW_ICMP_ECHO_REPLY	0
#define GW_ICMP_DEST_UNREACH	3
#define GW_ICMP_ECHO_REQUEST	8
#define GW_ICMP_TIME_EXCEEDED	11
#define GW_ICMP_NET_UNREACH	0	/* codes of GW_ICMP_DEST_UNREACH */
#define GW_ICMP_HOST_UNREACH	1
#define GW_ICMP_PROT_UNREACH	2
#define GW_ICMP_PORT_UNREACH	3
#define GW_ICMP_FRAG_NEEDED	4

/* ICMPv6 */
#define GW_ICMP6_DEST_UNREACH	1
#define GW_ICMP6_PKT_TOO_BIG	2
#define GW_ICMP6_TIME_EXCEEDED	3
#define GW_ICMP6_PARAM_PROB	4
#define GW_ICMP6_ECHO_REQUEST	128
#define GW_ICMP6_ECHO_REPLY	129
#define GW_ICMP6_NOROUTE	0	/* codes of GW_ICMP6_DEST_UNREACH */
#define GW_ICMP6_ADDR_UNREACH	3
#define GW_ICMP6_PORT_UNREACH	4

struct gw_lcore;

/*
 * ICMP addressed to the gateway (IPv4 header validated, m->l2_len and
 * m->l3_len set): echo requests are answered, the rest is consumed.
 * Consumes m.
 */
void
gw_icmp4_input(struct gw_lcore *lc, struct rte_mbuf *m);
void
gw_icmp6_input(struct gw_lcore *lc, struct rte_mbuf *m);

/*
 * Sends an ICMP error about m (not consumed; IP header validated,
 * m->l2_len/l3_len set, gw_meta(m)->in_port the port it came from, if any)
 * to its source, quoting as much of it as RFC 1812 / RFC 4443 allow.
 * info: the next-hop MTU for GW_ICMP_FRAG_NEEDED / GW_ICMP6_PKT_TOO_BIG,
 * the pointer for GW_ICMP6_PARAM_PROB, else 0. Nothing is sent about ICMP
 * errors, fragments after the first, multicast/broadcast or martian
 * sources, or past the rate limit.
 */
void
gw_icmp4_error(struct gw_lcore *lc, struct rte_mbuf *m, uint8_t type,
	       uint8_t code, uint32_t info);
void
gw_icmp6_error(struct gw_lcore *lc, struct rte_mbuf *m, uint8_t type,
	       uint8_t code, uint32_t info);

/* Token bucket shared by both families on one lcore. */
bool
gw_icmp_ratelimit_allow(struct gw_lcore *lc);

#endif /* GW_ICMP_H */
