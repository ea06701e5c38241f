/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_METRICS_TEXT_H
#define GW_METRICS_TEXT_H

/*
 * The Prometheus text exposition format (version 0.0.4), DPDK-free, on a
 * textbuf.h buffer: the HELP/TYPE heading of a metric family and label
 * values escaped as the format asks (\\, \" and \n).
 */

#include "textbuf.h"

/* Appends s escaped as a label value (without the quotes). */
void
gw_mtext_label(struct gw_text *t, const char *s);

/* "# HELP name help\n# TYPE name type\n"; help is escaped (\\, \n). */
void
gw_mtext_family(struct gw_text *t, const char *name, const char *type,
		const char *help);

#endif /* GW_METRICS_TEXT_H */
