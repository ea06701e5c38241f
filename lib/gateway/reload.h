/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_RELOAD_H
#define GW_RELOAD_H

/*
 * Live reload of the configuration file (`reload` on the CLI, SIGHUP):
 * the file at gw->cfg->path is loaded into a fresh struct gw_config and
 * compared with the running one, its peers with each interface's memo of
 * the file last applied (reload_memo.h).
 *   - a file with an error is refused whole ("file:line:column: ...");
 *   - a difference anywhere but in the `wireguard:` interfaces' private
 *     keys and peers (ports, routes, lcores, listen ports, ...) is refused
 *     whole: it needs a restart;
 *   - else each interface gets one atomic wg(8) set request, as
 *     `wg syncconf`: the file's peers are set (allowed IPs replaced,
 *     endpoint only when the file's changed, so that a roamed peer stays
 *     where it is), peers the file lacks are removed, including those
 *     added at run time through wg(8) or the CLI. Unchanged peers keep
 *     their sessions. The new configuration then replaces the old one,
 *     its peers dropped once the memos are rebuilt from them.
 * Control lcore only.
 */

#include <stddef.h>

struct gw_gateway;

/*
 * out gets the result, one line per interface on success ("reload: wg0:
 * 1 added, 0 removed, 0 changed, 2 unchanged"), or why it was refused.
 * 0 applied, -1 refused or failed.
 */
int
gw_reload(struct gw_gateway *gw, char *out, size_t out_len);

/* gw_reload(), its result logged (SIGHUP). */
void
gw_reload_log(struct gw_gateway *gw);

/*
 * At start-up, once the interfaces have their peers: the digest key and
 * each interface's memo of the file's peers (reload_memo.h). 0, or -1 out
 * of memory.
 */
int
gw_reload_setup(struct gw_gateway *gw);

/*
 * Once nothing reads them any more (the gateway started): frees the
 * configuration's peers, which a reload then takes from the memos.
 */
void
gw_reload_drop_peers(struct gw_gateway *gw);

/* Frees the memos and wipes the digest key. */
void
gw_reload_free(struct gw_gateway *gw);

#endif /* GW_RELOAD_H */
