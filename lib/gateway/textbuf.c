/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "textbuf.h"

void
gw_text_init(struct gw_text *t)
{
	memset(t, 0, sizeof(*t));
}

void
gw_text_free(struct gw_text *t)
{
	if (t->buf != NULL) {
		sodium_memzero(t->buf, t->cap);
		free(t->buf);
	}
	gw_text_init(t);
}

void
gw_text_reset(struct gw_text *t)
{
	t->len = 0;
	if (t->buf != NULL)
		t->buf[0] = '\0';
}

/* Room for n more bytes and the NUL. */
static bool
gw_text_reserve(struct gw_text *t, size_t n)
{
	size_t cap;
	char *b;

	if (t->failed)
		return false;
	if (n < t->cap - t->len)
		return true;
	if (n > SIZE_MAX / 4 - t->len) {
		t->failed = true;
		return false;
	}
	cap = t->cap != 0 ? t->cap : 4096;
	while (cap - t->len <= n)
		cap *= 2;
	/* not realloc: the old block is wiped, not left behind */
	b = malloc(cap);
	if (b == NULL) {
		t->failed = true;
		return false;
	}
	if (t->buf != NULL) {
		memcpy(b, t->buf, t->len);
		sodium_memzero(t->buf, t->cap);
		free(t->buf);
	}
	b[t->len] = '\0';
	t->buf = b;
	t->cap = cap;
	return true;
}

void
gw_text_put(struct gw_text *t, const char *s, size_t n)
{
	if (!gw_text_reserve(t, n))
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
gw_text_printf(struct gw_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = true;
		return;
	}
	if (!gw_text_reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void
gw_text_append(struct gw_text *t, const struct gw_text *src)
{
	if (src->failed) {
		t->failed = true;
		return;
	}
	if (src->len != 0)
		gw_text_put(t, src->buf, src->len);
}

char *
gw_text_take(struct gw_text *t, size_t *len)
{
	char *b;

	if (t->failed || !gw_text_reserve(t, 0)) {
		gw_text_free(t);
		return NULL;
	}
	b = t->buf;
	*len = t->len;
	gw_text_init(t);
	return b;
}
