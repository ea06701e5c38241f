/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_RX_H
#define GEN_RX_H

/*
 * Reception on both ports: ARP, then on WAN the gateway's WireGuard
 * messages (handshake responses and cookie replies to handshake.c, data:
 * counted per session, the outer counter checked for gaps, a sample
 * decrypted with the session key and its inner packet checked, latency
 * from its timestamp), on LAN the decrypted inner packets (counted per
 * peer, sequence gaps, latency from the transmission timestamps, a sample
 * checked byte by byte). Every length comes from the frame and is checked
 * before use.
 */

#include <stdint.h>

#include "gen.h"

/* One RX burst on each port; returns frames received. */
unsigned int
gen_rx_poll(struct gen *g, uint64_t now);

#endif /* GEN_RX_H */
