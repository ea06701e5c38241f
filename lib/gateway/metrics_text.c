/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdbool.h>
#include <stddef.h>

#include "metrics_text.h"

/* s with \ and newline escaped, and " too if quote. */
static void
gw_mtext_escaped(struct gw_text *t, const char *s, bool quote)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' && *s != '\n' && (!quote || *s != '"'))
			continue;
		gw_text_put(t, run, (size_t)(s - run));
		gw_text_put(t, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" :
			     "\\\\", 2);
		run = s + 1;
	}
	gw_text_put(t, run, (size_t)(s - run));
}

void
gw_mtext_label(struct gw_text *t, const char *s)
{
	gw_mtext_escaped(t, s, true);
}

void
gw_mtext_family(struct gw_text *t, const char *name, const char *type,
		const char *help)
{
	gw_text_printf(t, "# HELP %s ", name);
	gw_mtext_escaped(t, help, false);
	gw_text_printf(t, "\n# TYPE %s %s\n", name, type);
}
