/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_METRICS_TEXT_H
#define GW_METRICS_TEXT_H

/*
 * The Prometheus text exposition format (version 0.0.4), DPDK-free: a
 * growable buffer, the HELP/TYPE heading of a metric family and label
 * values escaped as the format asks (\\, \" and \n).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gw_mtext {
	char *buf;
	size_t len;		/* without the terminating NUL */
	size_t cap;
	bool failed;		/* out of memory: every append is ignored */
};

void
gw_mtext_init(struct gw_mtext *t);

/* Frees the buffer. */
void
gw_mtext_free(struct gw_mtext *t);

void
gw_mtext_printf(struct gw_mtext *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends the n bytes at s. */
void
gw_mtext_put(struct gw_mtext *t, const char *s, size_t n);

/* Appends s escaped as a label value (without the quotes). */
void
gw_mtext_label(struct gw_mtext *t, const char *s);

/* "# HELP name help\n# TYPE name type\n"; help is escaped (\\, \n). */
void
gw_mtext_family(struct gw_mtext *t, const char *name, const char *type,
		const char *help);

/* Appends src's text to t. */
void
gw_mtext_append(struct gw_mtext *t, const struct gw_mtext *src);

/*
 * The buffer (NUL-terminated, length in *len), now the caller's to free();
 * NULL if an append failed. t is empty afterwards.
 */
char *
gw_mtext_take(struct gw_mtext *t, size_t *len);

#endif /* GW_METRICS_TEXT_H */
