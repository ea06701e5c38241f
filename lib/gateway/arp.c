/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "arp.h"
#include "gateway.h"
#include "lcore.h"
#include "neigh.h"
#include "pkt.h"
#include "port.h"

static bool
gw_arp_on_link(const struct gw_port *p, rte_be32_t a)
{
	unsigned int i;

	for (i = 0; i < p->n_addr4; i++)
		if (gw_ip4_in_prefix(a, p->addr4[i].addr, p->addr4[i].len))
			return true;
	return false;
}

void
gw_arp_input(struct gw_lcore *lc, const struct gw_port *port,
	     struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp;
	struct rte_ether_addr sha;
	rte_be32_t sip, tip;
	unsigned int flags;
	uint16_t op;
	bool for_us;

	arp = gw_pkt_hdr(m, sizeof(*eth), sizeof(*arp));
	if (arp == NULL ||
	    arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4) {
		gw_drop(lc, m, GW_DROP_ARP_MALFORMED);
		return;
	}
	op = rte_be_to_cpu_16(arp->arp_opcode);
	sha = arp->arp_data.arp_sha;
	sip = arp->arp_data.arp_sip;
	tip = arp->arp_data.arp_tip;
	if (!rte_is_valid_assigned_ether_addr(&sha) ||
	    gw_ip4_is_mcast_or_bcast(sip) || gw_ip4_is_mcast_or_bcast(tip)) {
		gw_drop(lc, m, GW_DROP_ARP_MALFORMED);
		return;
	}
	if (rte_is_same_ether_addr(&sha, &port->mac)) {
		gw_drop(lc, m, GW_DROP_ETH_LOOP);
		return;
	}
	for_us = gw_port_has_addr4(port, tip);

	/*
	 * Learn the sender (RFC 826 merge): update an entry we have, create
	 * one when the request is for us (we are about to talk to it). Not
	 * from probes (sip 0), not our own addresses, only on-link senders.
	 */
	if (sip != 0 && !gw_port_has_addr4(port, sip) &&
	    gw_arp_on_link(port, sip) &&
	    (op == RTE_ARP_OP_REQUEST || op == RTE_ARP_OP_REPLY)) {
		flags = GW_NEIGH_F_OVERRIDE;
		if (for_us && op == RTE_ARP_OP_REQUEST)
			flags |= GW_NEIGH_F_CREATE;
		gw_neigh_update(lc, port->index, AF_INET,
				(const uint8_t *)&sip, &sha, flags);
	}

	if (op == RTE_ARP_OP_REQUEST && for_us) {
		arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
		arp->arp_data.arp_tha = sha;
		arp->arp_data.arp_tip = sip;
		arp->arp_data.arp_sha = port->mac;
		arp->arp_data.arp_sip = tip;
		eth->dst_addr = sha;
		eth->src_addr = port->mac;
		m->ol_flags = 0;
		lc->stats.local_pkts++;
		lc->stats.neigh_replies++;
		gw_lcore_tx(lc, port->index, m);
		return;
	}
	if (op == RTE_ARP_OP_REPLY) {
		lc->stats.local_pkts++;
		rte_pktmbuf_free(m);
		return;
	}
	gw_drop(lc, m, GW_DROP_ARP_OTHER);
}

void
gw_arp_request(struct gw_lcore *lc, uint16_t port, rte_be32_t tip,
	       const struct rte_ether_addr *dst)
{
	const struct gw_port *p = &lc->gw->ports[port];
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;
	struct rte_mbuf *m;
	rte_be32_t sip;

	if (!gw_port_src4(p, tip, &sip))
		return;
	m = gw_pkt_alloc(p->pool);
	if (m == NULL) {
		lc->stats.drops[GW_DROP_NO_MBUF]++;
		return;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
		sizeof(*eth) + sizeof(*arp));
	if (eth == NULL) {
		gw_drop(lc, m, GW_DROP_NO_MBUF);
		return;
	}
	arp = (struct rte_arp_hdr *)(eth + 1);
	if (dst != NULL)
		eth->dst_addr = *dst;
	else
		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	eth->src_addr = p->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = p->mac;
	arp->arp_data.arp_sip = sip;
	memset(&arp->arp_data.arp_tha, 0, sizeof(arp->arp_data.arp_tha));
	arp->arp_data.arp_tip = tip;
	lc->stats.neigh_requests++;
	gw_lcore_tx(lc, port, m);
}
