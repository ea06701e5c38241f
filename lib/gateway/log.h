/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_LOG_H
#define GW_LOG_H

/* Logging of the gateway: one DPDK log type, one line per message. */

#include <rte_log.h>

#define RTE_LOGTYPE_GW RTE_LOGTYPE_USER1

#define GW_LOG(level, fmt, ...) \
	RTE_LOG(level, GW, fmt "\n", ##__VA_ARGS__)

#endif /* GW_LOG_H */
