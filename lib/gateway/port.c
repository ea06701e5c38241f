/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "log.h"
#include "pkt.h"
#include "port.h"

#define GW_MEMPOOL_CACHE	256
#define GW_MEMPOOL_MIN		8192
/* Room for a full frame of mtu bytes without scatter, plus a VLAN tag. */
#define GW_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + 4)

static void
gw_port_copy_addrs(struct gw_port *p, const struct gw_port_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_addrs; i++) {
		const struct gw_prefix *a = &cfg->addrs[i];

		if (a->family == AF_INET && p->n_addr4 < GW_PORT_MAX_ADDRS) {
			memcpy(&p->addr4[p->n_addr4].addr, a->addr, 4);
			p->addr4[p->n_addr4].len = a->len;
			p->n_addr4++;
		} else if (a->family == AF_INET6 &&
			   p->n_addr6 < GW_PORT_MAX_ADDRS) {
			memcpy(p->addr6[p->n_addr6].addr, a->addr, 16);
			p->addr6[p->n_addr6].len = a->len;
			p->n_addr6++;
		}
	}
}

/* fe80::/64 with the modified EUI-64 of the MAC (RFC 4291 appendix A). */
static void
gw_port_make_ll6(struct gw_port *p)
{
	const uint8_t *m = p->mac.addr_bytes;

	memset(p->ll6, 0, sizeof(p->ll6));
	p->ll6[0] = 0xfe;
	p->ll6[1] = 0x80;
	p->ll6[8] = m[0] ^ 0x02;
	p->ll6[9] = m[1];
	p->ll6[10] = m[2];
	p->ll6[11] = 0xff;
	p->ll6[12] = 0xfe;
	p->ll6[13] = m[3];
	p->ll6[14] = m[4];
	p->ll6[15] = m[5];
	p->has_ll6 = true;
}

/*
 * Neighbor Discovery needs the solicited-node groups of our addresses and
 * all-nodes. Program them as a multicast filter; fall back to all-multicast
 * where the device has no filter (af_packet sees every frame anyway).
 */
static void
gw_port_set_mcast(struct gw_port *p)
{
	struct rte_ether_addr list[GW_PORT_MAX_ADDRS + 2];
	uint8_t group[16];
	unsigned int i, n = 0;
	int ret;

	if (p->n_addr6 == 0)
		return;
	list[n++] = (struct rte_ether_addr){
		.addr_bytes = { 0x33, 0x33, 0, 0, 0, 1 } };
	for (i = 0; i < p->n_addr6; i++) {
		gw_ip6_solicited_node(p->addr6[i].addr, group);
		gw_ip6_mcast_mac(group, &list[n++]);
	}
	gw_ip6_solicited_node(p->ll6, group);
	gw_ip6_mcast_mac(group, &list[n++]);

	ret = rte_eth_dev_set_mc_addr_list(p->port_id, list, n);
	if (ret == 0)
		return;
	ret = rte_eth_allmulticast_enable(p->port_id);
	if (ret != 0 && ret != -ENOTSUP)
		GW_LOG(WARNING, "port %s: cannot receive IPv6 multicast (%s)",
		       p->name, rte_strerror(-ret));
}

static unsigned int
gw_port_pool_size(uint16_t n_queues)
{
	unsigned int n;

	/* descriptors, per-lcore burst/TX buffers, mempool caches */
	n = n_queues * (GW_PORT_NB_RXD + GW_PORT_NB_TXD + 2 * 64 +
			GW_MEMPOOL_CACHE) + 2048;
	if (n < GW_MEMPOOL_MIN)
		n = GW_MEMPOOL_MIN;
	return rte_align32pow2(n) - 1;
}

int
gw_port_setup(struct gw_port *p, const struct gw_port_cfg *cfg, uint16_t index,
	      uint16_t n_queues, char *err, size_t err_len)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	uint16_t nb_rxd = GW_PORT_NB_RXD, nb_txd = GW_PORT_NB_TXD;
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	uint32_t data_room;
	uint16_t q;
	int ret;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cfg->name);
	snprintf(p->device, sizeof(p->device), "%s", cfg->device);
	p->index = index;
	p->n_queues = n_queues;
	p->mtu = cfg->mtu != 0 ? cfg->mtu : GW_PORT_DEFAULT_MTU;

	if (rte_eth_dev_get_port_by_name(cfg->device, &p->port_id) != 0) {
		snprintf(err, err_len,
			 "port %s: device '%s' not found (give it to EAL: --vdev=... or a PCI address with -a)",
			 cfg->name, cfg->device);
		return -1;
	}
	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret != 0) {
		snprintf(err, err_len, "port %s: device info: %s", cfg->name,
			 rte_strerror(-ret));
		return -1;
	}
	if (n_queues > info.max_rx_queues || n_queues > info.max_tx_queues) {
		snprintf(err, err_len,
			 "port %s: %u I/O lcores need %u RX/TX queues, device '%s' has %u/%u (af_packet: add qpairs=N)",
			 cfg->name, n_queues, n_queues, cfg->device,
			 info.max_rx_queues, info.max_tx_queues);
		return -1;
	}
	if (p->mtu < info.min_mtu || p->mtu > info.max_mtu) {
		snprintf(err, err_len, "port %s: mtu %u outside %u..%u",
			 cfg->name, p->mtu, info.min_mtu, info.max_mtu);
		return -1;
	}

	p->socket = rte_eth_dev_socket_id(p->port_id);
	if (p->socket < 0)
		p->socket = (int)rte_socket_id();

	data_room = RTE_PKTMBUF_HEADROOM +
		RTE_MAX((uint32_t)RTE_MBUF_DEFAULT_DATAROOM,
			(uint32_t)p->mtu + GW_FRAME_OVERHEAD);
	snprintf(pool_name, sizeof(pool_name), "gw_pool_%u", index);
	p->pool = rte_pktmbuf_pool_create(pool_name,
		gw_port_pool_size(n_queues), GW_MEMPOOL_CACHE,
		GW_MBUF_PRIV_SIZE, (uint16_t)data_room, p->socket);
	if (p->pool == NULL) {
		snprintf(err, err_len, "port %s: mempool: %s", cfg->name,
			 rte_strerror(rte_errno));
		return -1;
	}

	/* payload references of IPv4 fragments: no data room */
	snprintf(pool_name, sizeof(pool_name), "gw_ind_%u", index);
	p->indirect_pool = rte_pktmbuf_pool_create(pool_name,
		GW_MEMPOOL_MIN - 1, GW_MEMPOOL_CACHE, GW_MBUF_PRIV_SIZE, 0,
		p->socket);
	if (p->indirect_pool == NULL) {
		snprintf(err, err_len, "port %s: mempool: %s", cfg->name,
			 rte_strerror(rte_errno));
		return -1;
	}

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = p->mtu;
	if (n_queues > 1) {
		p->rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
		if (p->rss_hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = p->rss_hf;
		} else {
			GW_LOG(WARNING,
			       "port %s: no RSS on IP/UDP, the device spreads %u queues itself",
			       cfg->name, n_queues);
		}
	}
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
		p->rx_ip4_cksum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		p->tx_ip4_cksum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		p->tx_multi_seg = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		p->tx_udp_cksum = true;
	}

	ret = rte_eth_dev_configure(p->port_id, n_queues, n_queues, &conf);
	if (ret != 0) {
		snprintf(err, err_len, "port %s: configure: %s", cfg->name,
			 rte_strerror(-ret));
		return -1;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (ret != 0) {
		snprintf(err, err_len, "port %s: descriptors: %s", cfg->name,
			 rte_strerror(-ret));
		return -1;
	}
	rxconf = info.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (q = 0; q < n_queues; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd,
					     (unsigned int)p->socket, &rxconf,
					     p->pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(p->port_id, q, nb_txd,
						     (unsigned int)p->socket,
						     &txconf);
		if (ret != 0) {
			snprintf(err, err_len, "port %s: queue %u: %s",
				 cfg->name, q, rte_strerror(-ret));
			return -1;
		}
	}
	ret = rte_eth_dev_set_mtu(p->port_id, p->mtu);
	if (ret != 0 && ret != -ENOTSUP) {
		snprintf(err, err_len, "port %s: mtu %u: %s", cfg->name,
			 p->mtu, rte_strerror(-ret));
		return -1;
	}
	ret = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (ret != 0) {
		snprintf(err, err_len, "port %s: MAC address: %s", cfg->name,
			 rte_strerror(-ret));
		return -1;
	}
	if (!rte_is_unicast_ether_addr(&p->mac)) {
		snprintf(err, err_len, "port %s: device has no unicast MAC",
			 cfg->name);
		return -1;
	}

	gw_port_copy_addrs(p, cfg);
	if (p->n_addr6 > 0)
		gw_port_make_ll6(p);
	return 0;
}

int
gw_port_start(struct gw_port *p, char *err, size_t err_len)
{
	int ret;

	ret = rte_eth_dev_start(p->port_id);
	if (ret != 0) {
		snprintf(err, err_len, "port %s: start: %s", p->name,
			 rte_strerror(-ret));
		return -1;
	}
	p->started = true;
	/* Only frames for our MAC, broadcast and our multicast groups. */
	ret = rte_eth_promiscuous_disable(p->port_id);
	if (ret != 0 && ret != -ENOTSUP)
		GW_LOG(WARNING, "port %s: promiscuous off: %s", p->name,
		       rte_strerror(-ret));
	gw_port_set_mcast(p);
	return 0;
}

void
gw_port_stop(struct gw_port *p)
{
	int ret;

	if (!p->started)
		return;
	ret = rte_eth_dev_stop(p->port_id);
	if (ret != 0)
		GW_LOG(WARNING, "port %s: stop: %s", p->name,
		       rte_strerror(-ret));
	p->started = false;
}

void
gw_port_close(struct gw_port *p)
{
	if (p->pool == NULL)
		return;		/* setup failed before the device was ours */
	rte_eth_dev_close(p->port_id);
	rte_mempool_free(p->indirect_pool);
	rte_mempool_free(p->pool);
	p->indirect_pool = NULL;
	p->pool = NULL;
}

void
gw_port_print(const struct gw_port *p, FILE *f)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE], buf[INET6_ADDRSTRLEN];
	struct rte_eth_link link;
	unsigned int i;

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(p->port_id, &link);
	fprintf(f, "port %s: device %s (ethdev %u, socket %d) mac %s mtu %u queues %u link %s",
		p->name, p->device, p->port_id, p->socket, mac, p->mtu,
		p->n_queues, link.link_status ? "up" : "down");
	if (link.link_status && link.link_speed != RTE_ETH_SPEED_NUM_NONE &&
	    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
		fprintf(f, " %u Mbit/s", link.link_speed);
	fprintf(f, "%s%s%s\n", p->rss_hf ? " rss" : "",
		p->tx_ip4_cksum ? " tx-ip4-cksum" : "",
		p->tx_udp_cksum ? " tx-udp-cksum" : "");
	for (i = 0; i < p->n_addr4; i++)
		fprintf(f, "  inet %s/%u\n",
			inet_ntop(AF_INET, &p->addr4[i].addr, buf, sizeof(buf)),
			p->addr4[i].len);
	for (i = 0; i < p->n_addr6; i++)
		fprintf(f, "  inet6 %s/%u\n",
			inet_ntop(AF_INET6, p->addr6[i].addr, buf, sizeof(buf)),
			p->addr6[i].len);
	if (p->has_ll6)
		fprintf(f, "  inet6 %s/64 link-local\n",
			inet_ntop(AF_INET6, p->ll6, buf, sizeof(buf)));
}

bool
gw_port_has_addr4(const struct gw_port *p, rte_be32_t addr)
{
	unsigned int i;

	for (i = 0; i < p->n_addr4; i++)
		if (p->addr4[i].addr == addr)
			return true;
	return false;
}

bool
gw_port_has_addr6(const struct gw_port *p, const uint8_t *addr)
{
	unsigned int i;

	if (p->has_ll6 && memcmp(p->ll6, addr, 16) == 0)
		return true;
	for (i = 0; i < p->n_addr6; i++)
		if (memcmp(p->addr6[i].addr, addr, 16) == 0)
			return true;
	return false;
}

bool
gw_port_src4(const struct gw_port *p, rte_be32_t dst, rte_be32_t *src)
{
	unsigned int i;

	if (p->n_addr4 == 0)
		return false;
	for (i = 0; i < p->n_addr4; i++) {
		if (gw_ip4_in_prefix(dst, p->addr4[i].addr, p->addr4[i].len)) {
			*src = p->addr4[i].addr;
			return true;
		}
	}
	*src = p->addr4[0].addr;
	return true;
}

bool
gw_port_src6(const struct gw_port *p, const uint8_t *dst, uint8_t *src)
{
	unsigned int i;

	if (gw_ip6_is_linklocal(dst) && p->has_ll6) {
		memcpy(src, p->ll6, 16);
		return true;
	}
	for (i = 0; i < p->n_addr6; i++) {
		if (gw_ip6_in_prefix(dst, p->addr6[i].addr, p->addr6[i].len)) {
			memcpy(src, p->addr6[i].addr, 16);
			return true;
		}
	}
	if (p->n_addr6 > 0) {
		memcpy(src, p->addr6[0].addr, 16);
		return true;
	}
	if (p->has_ll6) {
		memcpy(src, p->ll6, 16);
		return true;
	}
	return false;
}

void
gw_port_tx_cksum(const struct gw_port *p, struct rte_mbuf *m)
{
	struct gw_mbuf_meta *meta = gw_meta(m);
	uint32_t f = meta->flags;
	struct rte_ipv4_hdr *ip4;
	struct rte_ipv6_hdr *ip6;
	struct rte_udp_hdr *udp;

	if (likely((f & GW_PKT_F_CKSUM_MASK) == 0))
		return;
	meta->flags &= ~GW_PKT_F_CKSUM_MASK;

	if (f & GW_PKT_F_CKSUM_IP4) {
		ip4 = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					      m->l2_len);
		ip4->hdr_checksum = 0;
		if (p->tx_ip4_cksum)
			m->ol_flags |= RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip4->hdr_checksum = rte_ipv4_cksum(ip4);
		if (!(f & (GW_PKT_F_CKSUM_UDP | GW_PKT_F_CKSUM_UDP4_HW)))
			return;
		udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *,
					      m->l2_len + m->l3_len);
		udp->dgram_cksum = 0;
		if (p->tx_udp_cksum) {
			m->ol_flags |= RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			udp->dgram_cksum = rte_ipv4_phdr_cksum(ip4, m->ol_flags);
		} else if (f & GW_PKT_F_CKSUM_UDP) {
			udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip4, udp);
		}
		/* _UDP4_HW on a port without the offload: 0, no checksum */
	} else if (f & GW_PKT_F_CKSUM_UDP) {
		ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
					      m->l2_len);
		udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *,
					      m->l2_len + m->l3_len);
		udp->dgram_cksum = 0;
		if (p->tx_udp_cksum) {
			m->ol_flags |= RTE_MBUF_F_TX_IPV6 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			udp->dgram_cksum = rte_ipv6_phdr_cksum(ip6, m->ol_flags);
		} else {
			udp->dgram_cksum = rte_ipv6_udptcp_cksum(ip6, udp);
		}
	}
}
