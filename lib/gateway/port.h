/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_PORT_H
#define GW_PORT_H

/*
 * A DPDK port of the gateway: the ethdev found by device name, one RX and
 * one TX queue per I/O lcore, a mempool on the port's NUMA socket, and the
 * port's addresses.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mempool.h>

#include "config/config.h"

#define GW_MAX_PORTS		16
#define GW_PORT_MAX_ADDRS	16
#define GW_PORT_DEFAULT_MTU	1500
#define GW_PORT_NB_RXD		1024
#define GW_PORT_NB_TXD		1024

struct gw_addr4 {
	rte_be32_t addr;
	uint8_t len;		/* subnet prefix length */
};

struct gw_addr6 {
	uint8_t addr[16];
	uint8_t len;
};

struct gw_port {
	char name[GW_NAME_MAX];
	char device[GW_DEVICE_MAX];
	uint16_t index;			/* in gw_gateway.ports */
	uint16_t port_id;		/* ethdev port */
	int socket;
	uint16_t n_queues;		/* RX = TX = number of I/O lcores */
	uint16_t mtu;
	bool started;
	struct rte_ether_addr mac;
	struct rte_mempool *pool;
	struct rte_mempool *indirect_pool;	/* IPv4 fragments' payload */
	bool tx_multi_seg;		/* chained mbufs accepted on TX */
	bool tx_ip4_cksum;		/* TX IPv4 header checksum offload */
	bool tx_udp_cksum;		/* TX UDP checksum offload */
	bool rx_ip4_cksum;		/* RX IPv4 checksum flags are set */
	uint64_t rss_hf;		/* 0: no RSS */
	struct gw_addr4 addr4[GW_PORT_MAX_ADDRS];
	unsigned int n_addr4;
	struct gw_addr6 addr6[GW_PORT_MAX_ADDRS];
	unsigned int n_addr6;
	uint8_t ll6[16];		/* fe80::/64 EUI-64 link-local, if has_ll6 */
	bool has_ll6;
};

/*
 * Finds the ethdev of cfg->device, configures n_queues RX/TX queues,
 * creates the mempool and records the addresses. The port is not started.
 * On error returns -1 with a message in err.
 */
int
gw_port_setup(struct gw_port *p, const struct gw_port_cfg *cfg, uint16_t index,
	      uint16_t n_queues, char *err, size_t err_len);

int
gw_port_start(struct gw_port *p, char *err, size_t err_len);

/* Stops the port (safe if not started). */
void
gw_port_stop(struct gw_port *p);

/* Closes the ethdev and frees the mempool. After every port is stopped. */
void
gw_port_close(struct gw_port *p);

/* One-line summary: name, device, MAC, MTU, queues, link, addresses. */
void
gw_port_print(const struct gw_port *p, FILE *f);

/* Address of the port, if addr is one (including the link-local). */
bool
gw_port_has_addr4(const struct gw_port *p, rte_be32_t addr);
bool
gw_port_has_addr6(const struct gw_port *p, const uint8_t *addr);

/* Source address towards dst: one on dst's subnet, else the first. */
bool
gw_port_src4(const struct gw_port *p, rte_be32_t dst, rte_be32_t *src);
bool
gw_port_src6(const struct gw_port *p, const uint8_t *dst, uint8_t *src);

/*
 * Fills in the checksums that a packet built by the gateway asks for
 * (GW_PKT_F_CKSUM_* in its metadata) for egress port p: offload flags where
 * p offers the offload, software checksums otherwise. m->l2_len and
 * m->l3_len must be set. Called on the output path once the port is known.
 */
void
gw_port_tx_cksum(const struct gw_port *p, struct rte_mbuf *m);

#endif /* GW_PORT_H */
