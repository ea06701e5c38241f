/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdio.h>

#include "control.h"
#include "gateway.h"
#include "lcore.h"
#include "neigh.h"
#include "reload.h"
#include "wg_hook.h"

void
gw_control_tick(struct gw_lcore *lc, uint64_t now_tsc)
{
	struct gw_gateway *gw = lc->gw;

	gw_neigh_tick(lc, now_tsc);
	gw_wg_control(lc, now_tsc);
	if (__atomic_exchange_n(&gw->stats_request, false, __ATOMIC_RELAXED)) {
		gw_gateway_print_stats(gw, stdout);
		fflush(stdout);
	}
	if (__atomic_exchange_n(&gw->reload_request, false, __ATOMIC_RELAXED))
		gw_reload_log(gw);
}
