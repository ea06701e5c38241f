/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_WG_HOOK_H
#define GW_WG_HOOK_H

/*
 * Where the WireGuard stages plug into the data path. The protocol core
 * (lib/wireguard) stays free of packet I/O; these functions are its DPDK
 * consumer (wg_rx.c, wg_tx.c, wg_crypto.c, wg_control.c; the control
 * plane's interface is wg_control.h).
 *
 *   RX:  port -> io lcore -> IPv4/IPv6 input -> gw_wg_input()   (UDP to a
 *        listen port on one of our addresses)
 *   TX:  port -> io lcore -> forward (TTL/hop limit done) -> route result
 *        GW_NH_PEER -> gw_wg_output()
 *   io lcores: gw_wg_io_poll() every loop (in-order completion of the
 *        jobs the crypto lcores ran)
 *   crypto lcores: gw_wg_crypto_poll() every loop
 *   control lcore: gw_wg_control_poll() every loop, gw_wg_control() every
 *        tick
 *
 * Encrypted packets leave through gw_ipv4_send()/gw_ipv6_send() with a
 * GW_RT_UNDERLAY lookup; decrypted packets re-enter the router through
 * gw_ipv4_forward()/gw_ipv6_forward() (ip.h). See docs/architecture.md.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "config/config.h"

#define GW_MAX_WG		8

struct gw_gateway;
struct gw_lcore;
struct gw_reload_memo;

struct gw_wg_iface {
	char name[GW_NAME_MAX];
	uint16_t listen_port;		/* host order */
	uint16_t mtu;
	uint32_t first_peer;		/* start-up peer ids first_peer .. +n_peers-1 */
	uint32_t n_peers;
	const struct gw_wg_cfg *cfg;	/* its peers dropped once started */
	struct gw_reload_memo *memo;	/* the file's peers (reload_memo.h) */
};

/*
 * Datagrams for a listen port: whole frames; m->l2_len, m->l3_len set,
 * gw_meta(m)->in_port is the receiving port. Consumes the packets.
 */
void
gw_wg_input(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n);

/*
 * Clear packets routed to WireGuard: whole frames, TTL/hop limit already
 * decremented, m->l2_len set, gw_meta(m)->route the route result
 * (gw_route_peer(): peer id, or GW_PEER_NONE for a tunnel subnet address
 * without a peer). Consumes the packets.
 */
void
gw_wg_output(struct gw_lcore *lc, struct rte_mbuf **pkts, uint16_t n);

/* Control lcore tick: the devices' timers. */
void
gw_wg_control(struct gw_lcore *lc, uint64_t now_tsc);

/*
 * Control lcore, every loop: events from the data path, packets waiting
 * for a session, handshake messages, deferred frees. Returns work done.
 */
unsigned int
gw_wg_control_poll(struct gw_lcore *lc);

/*
 * I/O lcore, every loop before its TX flush: completes, in order, the
 * jobs whose AEAD is done. Returns the number of jobs completed.
 */
unsigned int
gw_wg_io_poll(struct gw_lcore *lc);

/* One poll of a crypto lcore; returns the work done (0: idle). */
unsigned int
gw_wg_crypto_poll(struct gw_lcore *lc);

#endif /* GW_WG_HOOK_H */
