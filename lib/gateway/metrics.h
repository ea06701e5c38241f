/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_METRICS_H
#define GW_METRICS_H

/*
 * The Prometheus endpoint (`metrics: ADDRESS:PORT`): GET /metrics answers
 * the text format, served by libmicrohttpd's own thread. Per peer the
 * families of prometheus_wireguard_exporter (wireguard_sent_bytes_total,
 * wireguard_received_bytes_total, wireguard_latest_handshake_seconds with
 * labels interface, public_key, allowed_ips), then the gateway's own
 * dpdkwg_* families: lcores, drops by reason, handshakes, ports. The body
 * is built from the sources telemetry.c reads, the same way (relaxed loads,
 * peer lists under gw_telemetry_lock()). No key but public keys appears.
 */

#include "config/config.h"

struct gw_gateway;

/* Listens if cfg->metrics is set. -1 with a message in err. */
int
gw_metrics_start(struct gw_gateway *gw, char err[GW_ERR_MAX]);

/* Closes the listener; returns once no request is being answered. */
void
gw_metrics_stop(void);

#endif /* GW_METRICS_H */
