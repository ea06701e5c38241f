/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <inttypes.h>

#include "stats.h"

static const char *const gw_drop_names[GW_DROP_MAX] = {
	[GW_DROP_ETH_SHORT] = "eth_short",
	[GW_DROP_ETH_NOT_US] = "eth_not_us",
	[GW_DROP_ETH_LOOP] = "eth_loop",
	[GW_DROP_ETH_TYPE] = "eth_type",
	[GW_DROP_ARP_MALFORMED] = "arp_malformed",
	[GW_DROP_ARP_OTHER] = "arp_other",
	[GW_DROP_IP4_MALFORMED] = "ip4_malformed",
	[GW_DROP_IP4_CKSUM] = "ip4_cksum",
	[GW_DROP_IP6_MALFORMED] = "ip6_malformed",
	[GW_DROP_IP6_SCOPE] = "ip6_scope",
	[GW_DROP_MARTIAN] = "martian",
	[GW_DROP_MCAST] = "mcast",
	[GW_DROP_ND_INVALID] = "nd_invalid",
	[GW_DROP_ND_OTHER] = "nd_other",
	[GW_DROP_ICMP_MALFORMED] = "icmp_malformed",
	[GW_DROP_LOCAL_UNHANDLED] = "local_unhandled",
	[GW_DROP_FRAGMENT] = "fragment",
	[GW_DROP_NO_ROUTE] = "no_route",
	[GW_DROP_TTL] = "ttl_exceeded",
	[GW_DROP_MTU] = "mtu_exceeded",
	[GW_DROP_NEIGH_QUEUE] = "neigh_queue_full",
	[GW_DROP_NEIGH_FAILED] = "neigh_failed",
	[GW_DROP_NEIGH_FULL] = "neigh_table_full",
	[GW_DROP_NO_MBUF] = "no_mbuf",
	[GW_DROP_TX_FULL] = "tx_full",
	[GW_DROP_WG_BAD_MESSAGE] = "wg_bad_message",
	[GW_DROP_WG_HS_RING_FULL] = "wg_handshake_ring_full",
	[GW_DROP_WG_MAC1] = "wg_mac1_invalid",
	[GW_DROP_WG_COOKIE_SENT] = "wg_cookie_sent",
	[GW_DROP_WG_COOKIE_BUDGET] = "wg_cookie_budget",
	[GW_DROP_WG_UNKNOWN_INDEX] = "wg_unknown_index",
	[GW_DROP_WG_KEYPAIR_EXPIRED] = "wg_keypair_expired",
	[GW_DROP_WG_DECRYPT] = "wg_decrypt_failed",
	[GW_DROP_WG_REPLAY] = "wg_replay",
	[GW_DROP_WG_INNER_HEADER] = "wg_inner_header",
	[GW_DROP_WG_ALLOWEDIPS_SRC] = "wg_allowedips_src",
	[GW_DROP_WG_NO_PEER] = "wg_no_peer",
	[GW_DROP_WG_NO_ENDPOINT] = "wg_no_endpoint",
	[GW_DROP_WG_STAGE_RING_FULL] = "wg_stage_ring_full",
	[GW_DROP_WG_CRYPTO_FULL] = "wg_crypto_full",
	[GW_DROP_WG_NO_ROOM] = "wg_no_room",
};

const char *
gw_drop_name(enum gw_drop_reason r)
{
	if ((unsigned int)r >= GW_DROP_MAX || gw_drop_names[r] == NULL)
		return "unknown";
	return gw_drop_names[r];
}

void
gw_stats_add(struct gw_lcore_stats *dst, const struct gw_lcore_stats *src)
{
	unsigned int i;

	dst->rx_pkts += src->rx_pkts;
	dst->tx_pkts += src->tx_pkts;
	dst->fwd_pkts += src->fwd_pkts;
	dst->local_pkts += src->local_pkts;
	dst->frag_pkts += src->frag_pkts;
	dst->polls_busy += src->polls_busy;
	dst->polls_idle += src->polls_idle;
	dst->icmp_sent += src->icmp_sent;
	dst->icmp_ratelimited += src->icmp_ratelimited;
	dst->neigh_requests += src->neigh_requests;
	dst->neigh_replies += src->neigh_replies;
	dst->wg_rx_data += src->wg_rx_data;
	dst->wg_rx_keepalive += src->wg_rx_keepalive;
	dst->wg_rx_handshake += src->wg_rx_handshake;
	dst->wg_tx_cookie += src->wg_tx_cookie;
	dst->wg_tx_data += src->wg_tx_data;
	dst->wg_tx_staged += src->wg_tx_staged;
	dst->wg_crypto_jobs += src->wg_crypto_jobs;
	dst->wg_jobs_held += src->wg_jobs_held;
	for (i = 0; i < GW_DROP_MAX; i++)
		dst->drops[i] += src->drops[i];
}

void
gw_stats_print(FILE *f, const char *name, const struct gw_lcore_stats *s)
{
	unsigned int i;

	fprintf(f, "%s: rx %" PRIu64 " tx %" PRIu64 " fwd %" PRIu64
		" local %" PRIu64 " frag %" PRIu64
		" polls busy %" PRIu64 " idle %" PRIu64
		" icmp_sent %" PRIu64 " icmp_ratelimited %" PRIu64
		" neigh_req %" PRIu64 " neigh_rep %" PRIu64 "\n",
		name, s->rx_pkts, s->tx_pkts, s->fwd_pkts, s->local_pkts,
		s->frag_pkts, s->polls_busy, s->polls_idle, s->icmp_sent,
		s->icmp_ratelimited, s->neigh_requests, s->neigh_replies);
	if (s->wg_rx_data | s->wg_rx_keepalive | s->wg_rx_handshake |
	    s->wg_tx_data | s->wg_tx_staged | s->wg_crypto_jobs |
	    s->wg_tx_cookie)
		fprintf(f, "%s: wg rx_data %" PRIu64 " rx_keepalive %" PRIu64
			" rx_handshake %" PRIu64 " tx_data %" PRIu64
			" tx_staged %" PRIu64 " crypto_jobs %" PRIu64
			" jobs_held %" PRIu64 " tx_cookie %" PRIu64 "\n", name,
			s->wg_rx_data, s->wg_rx_keepalive, s->wg_rx_handshake,
			s->wg_tx_data, s->wg_tx_staged, s->wg_crypto_jobs,
			s->wg_jobs_held, s->wg_tx_cookie);
	for (i = 0; i < GW_DROP_MAX; i++) {
		if (s->drops[i] != 0)
			fprintf(f, "%s: drop %s %" PRIu64 "\n", name,
				gw_drop_name(i), s->drops[i]);
	}
}
