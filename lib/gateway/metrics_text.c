/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_text.h"

void
gw_mtext_init(struct gw_mtext *t)
{
	memset(t, 0, sizeof(*t));
}

void
gw_mtext_free(struct gw_mtext *t)
{
	free(t->buf);
	gw_mtext_init(t);
}

/* Room for n more bytes and the NUL. */
static bool
gw_mtext_reserve(struct gw_mtext *t, size_t n)
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
	b = realloc(t->buf, cap);
	if (b == NULL) {
		t->failed = true;
		return false;
	}
	t->buf = b;
	t->cap = cap;
	return true;
}

void
gw_mtext_put(struct gw_mtext *t, const char *s, size_t n)
{
	if (!gw_mtext_reserve(t, n))
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
gw_mtext_printf(struct gw_mtext *t, const char *fmt, ...)
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
	if (!gw_mtext_reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* s with \ and newline escaped, and " too if quote. */
static void
gw_mtext_escaped(struct gw_mtext *t, const char *s, bool quote)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' && *s != '\n' && (!quote || *s != '"'))
			continue;
		gw_mtext_put(t, run, (size_t)(s - run));
		gw_mtext_put(t, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" :
			     "\\\\", 2);
		run = s + 1;
	}
	gw_mtext_put(t, run, (size_t)(s - run));
}

void
gw_mtext_label(struct gw_mtext *t, const char *s)
{
	gw_mtext_escaped(t, s, true);
}

void
gw_mtext_family(struct gw_mtext *t, const char *name, const char *type,
		const char *help)
{
	gw_mtext_printf(t, "# HELP %s ", name);
	gw_mtext_escaped(t, help, false);
	gw_mtext_printf(t, "\n# TYPE %s %s\n", name, type);
}

void
gw_mtext_append(struct gw_mtext *t, const struct gw_mtext *src)
{
	if (src->failed) {
		t->failed = true;
		return;
	}
	if (src->len != 0)
		gw_mtext_put(t, src->buf, src->len);
}

char *
gw_mtext_take(struct gw_mtext *t, size_t *len)
{
	char *b;

	if (t->failed) {
		gw_mtext_free(t);
		return NULL;
	}
	if (!gw_mtext_reserve(t, 0)) {
		gw_mtext_free(t);
		return NULL;
	}
	t->buf[t->len] = '\0';
	b = t->buf;
	*len = t->len;
	gw_mtext_init(t);
	return b;
}
