/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_CLI_H
#define GW_CLI_H

/*
 * The gateway's command line (DPDK librte_cmdline): `show ports|peers|
 * peer KEY|stats|lcores`, `peer add|remove`, `reload`, `quit`, `help`.
 * Served by the control lcore, which owns every wg_device, so commands
 * need no locking against the data path; peer changes go through the
 * interface's wg(8) protocol endpoint (gw_uapi_request), as `wg set`.
 *
 * Two ways in:
 *   - interactive (`dpdk-wg -i`): a `dpdk-wg> ` prompt on stdin/stdout
 *     with line editing and TAB completion; EOF (Ctrl-D) stops the
 *     gateway;
 *   - the UNIX stream socket `cli_socket:` (mode 0600), one command per
 *     line, as many connections as GW_CLI_MAX_CONN at once; no prompt, no
 *     echo; refused commands answer lines starting with "error:"
 *     (app/dpdk-wg-ctl is the client).
 * Polled without blocking from the control lcore's loop, at most every
 * GW_CLI_POLL_US (one poll(2) then).
 */

#include <stdbool.h>

#include "config/config.h"

#define GW_CLI_MAX_CONN		8
#define GW_CLI_POLL_US		100
#define GW_CLI_LINE_MAX		1024
#define GW_CLI_PROMPT		"dpdk-wg> "

struct gw_gateway;

/*
 * The socket of gw->cfg->cli_socket (nothing for ""). A live socket at
 * that path (another gateway answers) is left alone: logged, and the
 * gateway runs without one. 0, or -1 with err set.
 */
int
gw_cli_start(struct gw_gateway *gw, char err[GW_ERR_MAX]);
/* The interactive prompt on stdin/stdout (terminal in raw mode). 0 or -1. */
int
gw_cli_stdin(struct gw_gateway *gw);
/* Control lcore, every iteration: commands run (work done). */
unsigned int
gw_cli_poll(struct gw_gateway *gw);
/* Connections closed, socket unlinked, terminal restored. */
void
gw_cli_stop(struct gw_gateway *gw);

#endif /* GW_CLI_H */
