/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>

#include "arp.h"
#include "port.h"

#define GEN_ARP_LEN	(RTE_ETHER_HDR_LEN + sizeof(struct rte_arp_hdr))

static bool
gen_arp_is_ours(struct gen *g, const struct gen_port *p, uint32_t ip)
{
	if (ip == p->ip)
		return true;
	return p == &g->wan && gen_peers_by_outer(g->peers, ip) != NULL;
}

static void
gen_arp_send(struct gen *g, struct gen_port *p, uint16_t op,
	     const struct rte_ether_addr *eth_dst,
	     const struct rte_ether_addr *tha, uint32_t sip, uint32_t tip)
{
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;
	struct rte_mbuf *m;

	m = gen_port_alloc(g, GEN_ARP_LEN);
	if (m == NULL)
		return;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(eth_dst, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	rte_ether_addr_copy(&p->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = sip;
	rte_ether_addr_copy(tha, &arp->arp_data.arp_tha);
	arp->arp_data.arp_tip = tip;
	gen_port_ctl(g, p, m);
}

void
gen_arp_request(struct gen *g, struct gen_port *p)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	static const struct rte_ether_addr zero;

	if (p->id < 0)
		return;
	gen_arp_send(g, p, RTE_ARP_OP_REQUEST, &bcast, &zero, p->ip,
		     p->gw_ip);
	g->st.misc.arp_requests_tx++;
}

void
gen_arp_input(struct gen *g, struct gen_port *p, struct rte_mbuf *m)
{
	const struct rte_arp_hdr *arp;
	struct rte_ether_addr sha;
	uint32_t sip, tip;
	uint16_t op;

	if (rte_pktmbuf_data_len(m) < GEN_ARP_LEN) {
		g->st.misc.malformed++;
		goto out;
	}
	arp = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *,
				      RTE_ETHER_HDR_LEN);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4) {
		g->st.misc.malformed++;
		goto out;
	}
	op = rte_be_to_cpu_16(arp->arp_opcode);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &sha);
	sip = arp->arp_data.arp_sip;
	tip = arp->arp_data.arp_tip;
	if (!rte_is_unicast_ether_addr(&sha) || rte_is_zero_ether_addr(&sha)) {
		g->st.misc.malformed++;
		goto out;
	}
	/* the gateway's MAC, from its requests and replies (unless static) */
	if (sip == p->gw_ip && !p->gw_mac_known) {
		rte_ether_addr_copy(&sha, &p->gw_mac);
		p->gw_mac_known = true;
	}
	if (op == RTE_ARP_OP_REQUEST) {
		g->st.misc.arp_requests_rx++;
		if (gen_arp_is_ours(g, p, tip)) {
			gen_arp_send(g, p, RTE_ARP_OP_REPLY, &sha, &sha, tip,
				     sip);
			g->st.misc.arp_replies_tx++;
		} else {
			g->st.misc.not_for_us++;
		}
	} else if (op == RTE_ARP_OP_REPLY) {
		g->st.misc.arp_replies_rx++;
	} else {
		g->st.misc.not_for_us++;
	}
out:
	rte_pktmbuf_free(m);
}
