/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_REPORT_H
#define GEN_REPORT_H

/*
 * What the generator prints: a line per period (handshake progress, then
 * per direction the rates since the last period), the final statistics
 * in testpmd's manner, the per-peer counters (--peer-stats) and, last, one
 * JSON object on one line.
 */

#include <stdint.h>
#include <stdio.h>

#include "gen.h"

void
gen_report_periodic(struct gen *g, uint64_t now);
void
gen_report_final(struct gen *g, FILE *f);
void
gen_report_json(struct gen *g, FILE *f);
/* 0, or -1 with a message. */
int
gen_report_peers(struct gen *g, const char *path);

#endif /* GEN_REPORT_H */
