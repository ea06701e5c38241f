/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Phase 1 stand-ins for the WireGuard stages: count and drop. The
 * WireGuard data path replaces the bodies, not the call sites.
 */

#include <rte_common.h>
#include <rte_cycles.h>

#include "gateway.h"
#include "lcore.h"
#include "wg_hook.h"

void
gw_wg_input(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	/*
	 * Later: drop wrong sizes/types before any cryptography, hand
	 * handshake messages to the control lcore (bounded ring), steer data
	 * messages by receiver index to the crypto lcores.
	 */
	for (i = 0; i < n; i++)
		gw_drop(lc, pkts[i], GW_DROP_WG_RX);
}

void
gw_wg_output(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	/*
	 * Later: per-peer queue (order), tunnel MTU check with
	 * gw_icmp4_error(FRAG_NEEDED)/gw_icmp6_error(PKT_TOO_BIG), handshake
	 * trigger when there is no current keypair, encryption on the crypto
	 * lcores, outer packets out through gw_ipv4_send/gw_ipv6_send with
	 * GW_RT_UNDERLAY.
	 */
	for (i = 0; i < n; i++)
		gw_drop(lc, pkts[i], GW_DROP_WG_PEER);
}

void
gw_wg_control(struct gw_lcore *lc, uint64_t now_tsc)
{
	RTE_SET_USED(lc);
	RTE_SET_USED(now_tsc);
}

unsigned int
gw_wg_crypto_poll(struct gw_lcore *lc)
{
	RTE_SET_USED(lc);
	return 0;
}
