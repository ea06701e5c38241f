/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdlib.h>
#include <string.h>

#include "gateway/metrics_text.h"
#include "test.h"

/* The label value escaping of the text format: \ " and newline. */
static void
test_label(void)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "", "" },
		{ "wg0", "wg0" },
		{ "a\\b", "a\\\\b" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "two\nlines", "two\\nlines" },
		{ "\\\"\n", "\\\\\\\"\\n" },
		{ "tab\tstays", "tab\tstays" },
		{ "10.0.0.0/8,fd00::/8", "10.0.0.0/8,fd00::/8" },
	};
	struct gw_text t;
	unsigned int i;
	size_t len;
	char *s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gw_text_init(&t);
		gw_mtext_label(&t, cases[i].in);
		s = gw_text_take(&t, &len);
		CHECK(s != NULL);
		if (s == NULL)
			continue;
		CHECK(strcmp(s, cases[i].out) == 0);
		CHECK(len == strlen(cases[i].out));
		free(s);
	}
}

/* HELP escapes \ and newline only; quotes stay. */
static void
test_family(void)
{
	struct gw_text t;
	size_t len;
	char *s;

	gw_text_init(&t);
	gw_mtext_family(&t, "x_total", "counter", "a \"b\" c\\d\ne");
	gw_text_printf(&t, "x_total{l=\"%s\"} %d\n", "v", 7);
	s = gw_text_take(&t, &len);
	CHECK(s != NULL && strcmp(s, "# HELP x_total a \"b\" c\\\\d\\ne\n"
		"# TYPE x_total counter\nx_total{l=\"v\"} 7\n") == 0);
	free(s);
}

/* Growth across many appends: 3 MB, as 10,000 peers make. */
static void
test_grow(void)
{
	struct gw_text t, u;
	size_t len, i;
	char *s;
	bool ok = true;

	gw_text_init(&t);
	for (i = 0; i < 30000; i++)
		gw_text_printf(&t, "line %06zu %090d\n", i, 0);
	CHECK(!t.failed && t.len == 30000 * 103);
	gw_text_init(&u);
	gw_text_put(&u, "head\n", 5);
	gw_text_append(&u, &t);
	gw_text_free(&t);
	s = gw_text_take(&u, &len);
	CHECK(s != NULL && len == 5 + 30000 * 103 && s[len] == '\0');
	for (i = 0; s != NULL && i < 30000; i += 997) {
		char want[16];

		snprintf(want, sizeof(want), "line %06zu ", i);
		ok &= memcmp(s + 5 + i * 103, want, 12) == 0;
	}
	CHECK(ok);
	free(s);
	CHECK(u.buf == NULL && u.len == 0);
	/* an empty text is an empty string, not NULL */
	s = gw_text_take(&u, &len);
	CHECK(s != NULL && len == 0 && s[0] == '\0');
	free(s);
}

int
main(void)
{
	test_label();
	test_family();
	test_grow();
	TEST_MAIN_END();
}
