/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_CONTROL_H
#define GW_CONTROL_H

/*
 * The control stage, run by the main lcore every GW_CONTROL_TICK_US:
 * neighbour retries and expiry now; WireGuard handshakes, timers and
 * keepalives (gw_wg_control) later; the CLI and wg(8) socket after that.
 * It must stay light: it shares the main lcore with signal handling and,
 * on small machines, with an I/O role.
 */

#include <stdint.h>

struct gw_lcore;

void
gw_control_tick(struct gw_lcore *lc, uint64_t now_tsc);

#endif /* GW_CONTROL_H */
