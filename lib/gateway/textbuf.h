/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_TEXTBUF_H
#define GW_TEXTBUF_H

/*
 * A growable NUL-terminated text buffer, DPDK-free. It may hold key
 * material (reload's wg(8) requests): growing copies into a new block and
 * wipes the old one, and freeing wipes, so no copy is left in freed heap.
 * After an allocation failure every append is ignored and failed is set.
 */

#include <stdbool.h>
#include <stddef.h>

struct gw_text {
	char *buf;		/* NULL until the first append */
	size_t len;		/* without the terminating NUL */
	size_t cap;
	bool failed;
};

void
gw_text_init(struct gw_text *t);

/* Wipes and frees the buffer; t is empty afterwards. */
void
gw_text_free(struct gw_text *t);

/* Empties the text, keeping the block (and a failure). */
void
gw_text_reset(struct gw_text *t);

/* Appends the n bytes at s. */
void
gw_text_put(struct gw_text *t, const char *s, size_t n);

void
gw_text_printf(struct gw_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends src's text to t (a failed src fails t). */
void
gw_text_append(struct gw_text *t, const struct gw_text *src);

/*
 * The buffer (NUL-terminated, length in *len), now the caller's to free();
 * NULL if an append failed. t is empty afterwards.
 */
char *
gw_text_take(struct gw_text *t, size_t *len);

#endif /* GW_TEXTBUF_H */
