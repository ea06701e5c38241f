/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>

#include "port.h"

#define GEN_MEMPOOL_CACHE	256

int
gen_mempool_create(struct gen *g, uint32_t max_frame)
{
	uint32_t room = RTE_PKTMBUF_HEADROOM + RTE_MAX(max_frame, 2048u);
	/* RX rings of both ports, their TX rings, bursts, caches, control */
	unsigned int n = 4 * GEN_NB_DESC + 4 * GEN_RX_BURST +
		2 * GEN_CTL_MAX + GEN_MEMPOOL_CACHE * 2 + 4096;

	g->mp = rte_pktmbuf_pool_create("gen_mbufs", rte_align32pow2(n) - 1,
					GEN_MEMPOOL_CACHE, 0,
					(uint16_t)RTE_MIN(room, 65535u),
					(int)rte_socket_id());
	if (g->mp == NULL) {
		fprintf(stderr, "dpdk-wg-gen: cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int
gen_port_setup(struct gen *g, struct gen_port *p, int id, const char *name)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = GEN_NB_DESC, nb_txd = GEN_NB_DESC;
	char dev[RTE_ETH_NAME_MAX_LEN];
	int ret;

	p->name = name;
	p->id = id;
	if (id < 0)
		return 0;
	if (!rte_eth_dev_is_valid_port((uint16_t)id)) {
		fprintf(stderr, "dpdk-wg-gen: --%s-port %d: no such DPDK port "
			"(%u available: give them with -a or --vdev)\n", name,
			id, rte_eth_dev_count_avail());
		return -1;
	}
	ret = rte_eth_dev_info_get((uint16_t)id, &info);
	if (ret != 0)
		goto fail;
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure((uint16_t)id, 1, 1, &conf);
	if (ret != 0)
		goto fail;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc((uint16_t)id, &nb_rxd, &nb_txd);
	if (ret != 0)
		goto fail;
	ret = rte_eth_rx_queue_setup((uint16_t)id, 0, nb_rxd,
				     rte_eth_dev_socket_id((uint16_t)id), NULL,
				     g->mp);
	if (ret != 0)
		goto fail;
	ret = rte_eth_tx_queue_setup((uint16_t)id, 0, nb_txd,
				     rte_eth_dev_socket_id((uint16_t)id), NULL);
	if (ret != 0)
		goto fail;
	ret = rte_eth_dev_start((uint16_t)id);
	if (ret != 0)
		goto fail;
	/* frames for the emulated addresses carry our MAC: no promiscuity */
	rte_eth_macaddr_get((uint16_t)id, &p->mac);
	if (rte_eth_dev_get_name_by_port((uint16_t)id, dev) != 0)
		snprintf(dev, sizeof(dev), "?");
	printf("port %s: ethdev %d (%s, driver %s) mac " RTE_ETHER_ADDR_PRT_FMT
	       "\n", name, id, dev, info.driver_name,
	       RTE_ETHER_ADDR_BYTES(&p->mac));
	return 0;
fail:
	fprintf(stderr, "dpdk-wg-gen: port %s (ethdev %d): set-up failed: %s\n",
		name, id, rte_strerror(-ret));
	return -1;
}

bool
gen_port_link_up(const struct gen_port *p)
{
	struct rte_eth_link link;

	if (p->id < 0)
		return true;
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait((uint16_t)p->id, &link) != 0)
		return false;
	return link.link_status == RTE_ETH_LINK_UP;
}

void
gen_port_close(struct gen_port *p)
{
	if (p->id < 0)
		return;
	rte_pktmbuf_free_bulk(p->ctl, p->n_ctl);
	p->n_ctl = 0;
	rte_eth_dev_stop((uint16_t)p->id);
	rte_eth_dev_close((uint16_t)p->id);
	p->id = -1;
}

struct rte_mbuf *
gen_port_alloc(struct gen *g, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g->mp);

	if (m == NULL) {
		g->st.misc.no_mbuf++;
		return NULL;
	}
	if (rte_pktmbuf_append(m, len) == NULL) {
		rte_pktmbuf_free(m);
		g->st.misc.no_mbuf++;
		return NULL;
	}
	return m;
}

void
gen_port_ctl(struct gen *g, struct gen_port *p, struct rte_mbuf *m)
{
	if (p->id < 0 || p->n_ctl == GEN_CTL_MAX) {
		g->st.misc.ctl_dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	p->ctl[p->n_ctl++] = m;
}

void
gen_port_ctl_flush(struct gen *g, struct gen_port *p)
{
	uint16_t sent;

	RTE_SET_USED(g);
	if (p->n_ctl == 0)
		return;
	sent = rte_eth_tx_burst((uint16_t)p->id, 0, p->ctl,
				(uint16_t)p->n_ctl);
	if (sent < p->n_ctl)
		memmove(p->ctl, p->ctl + sent,
			(p->n_ctl - sent) * sizeof(p->ctl[0]));
	p->n_ctl -= sent;
}
