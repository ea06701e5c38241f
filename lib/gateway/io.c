/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "arp.h"
#include "gateway.h"
#include "io.h"
#include "ip.h"
#include "lcore.h"
#include "pkt.h"
#include "wg_hook.h"

#define GW_PREFETCH_OFFSET	4

enum gw_class {
	GW_CLASS_DROPPED,
	GW_CLASS_ARP,
	GW_CLASS_IPV4,
	GW_CLASS_IPV6,
};

/*
 * Link-layer checks and ether type. Accepts frames for our MAC and
 * multicast/broadcast (marked GW_PKT_F_L2_MCAST); a promiscuous-capable
 * device (af_packet) may hand us anything else, which is dropped, as are
 * our own frames seen again.
 */
static inline enum gw_class
gw_io_classify(struct gw_lcore *lc, const struct gw_port *port,
	       struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;

	eth = gw_pkt_hdr(m, 0, sizeof(*eth));
	if (unlikely(eth == NULL)) {
		gw_drop(lc, m, GW_DROP_ETH_SHORT);
		return GW_CLASS_DROPPED;
	}
	if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &port->mac))) {
		if (!rte_is_multicast_ether_addr(&eth->dst_addr)) {
			gw_drop(lc, m, GW_DROP_ETH_NOT_US);
			return GW_CLASS_DROPPED;
		}
		gw_meta(m)->flags |= GW_PKT_F_L2_MCAST;
	}
	if (unlikely(rte_is_same_ether_addr(&eth->src_addr, &port->mac))) {
		gw_drop(lc, m, GW_DROP_ETH_LOOP);
		return GW_CLASS_DROPPED;
	}
	m->l2_len = sizeof(*eth);
	switch (eth->ether_type) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return GW_CLASS_IPV4;
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return GW_CLASS_IPV6;
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return GW_CLASS_ARP;
	default:
		gw_drop(lc, m, GW_DROP_ETH_TYPE);
		return GW_CLASS_DROPPED;
	}
}

static void
gw_io_rx(struct gw_lcore *lc, const struct gw_port *port,
	 struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *v4[GW_BURST], *v6[GW_BURST];
	uint16_t i, n4 = 0, n6 = 0;

	for (i = 0; i < n && i < GW_PREFETCH_OFFSET; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (i + GW_PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(
				pkts[i + GW_PREFETCH_OFFSET], void *));
		gw_meta_init(m, port->index);
		switch (gw_io_classify(lc, port, m)) {
		case GW_CLASS_IPV4:
			v4[n4++] = m;
			break;
		case GW_CLASS_IPV6:
			v6[n6++] = m;
			break;
		case GW_CLASS_ARP:
			gw_arp_input(lc, port, m);
			break;
		default:
			break;
		}
	}
	if (n4 != 0)
		gw_ipv4_input(lc, port, v4, n4);
	if (n6 != 0)
		gw_ipv6_input(lc, port, v6, n6);
}

void
gw_io_input(struct gw_lcore *lc, uint16_t port, struct rte_mbuf **pkts,
	    uint16_t n)
{
	lc->stats.rx_pkts += n;
	gw_io_rx(lc, &lc->gw->ports[port], pkts, n);
}

unsigned int
gw_io_poll(struct gw_lcore *lc)
{
	struct gw_gateway *gw = lc->gw;
	struct rte_mbuf *pkts[GW_BURST];
	unsigned int work = 0, i, n;
	uint16_t p, out;

	for (p = 0; p < gw->n_ports; p++) {
		n = rte_eth_rx_burst(gw->ports[p].port_id, lc->queue, pkts,
				     GW_BURST);
		if (n == 0)
			continue;
		gw_io_input(lc, p, pkts, (uint16_t)n);
		work += n;
	}

	/* frames built by lcores without TX queues (control, crypto) */
	n = rte_ring_sc_dequeue_burst(lc->ring, (void **)pkts, GW_BURST, NULL);
	for (i = 0; i < n; i++) {
		out = gw_meta(pkts[i])->out_port;
		if (unlikely(out >= gw->n_ports)) {
			gw_drop(lc, pkts[i], GW_DROP_TX_FULL);
			continue;
		}
		gw_lcore_tx(lc, out, pkts[i]);
	}
	work += n;

	/* WireGuard jobs back from the crypto lcores, in order */
	work += gw_wg_io_poll(lc);

	gw_lcore_flush(lc);
	return work;
}

void
gw_io_drain(struct gw_lcore *lc)
{
	struct rte_mbuf *m;

	gw_lcore_flush(lc);
	while (rte_ring_sc_dequeue(lc->ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}
