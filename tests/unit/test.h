/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_TEST_H
#define WG_TEST_H

/*
 * Minimal unit-test support: CHECK() records a failure and goes on,
 * TEST_MAIN_END prints "N passed, N failed" and sets the exit status.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int test_checks_passed;
static unsigned int test_checks_failed;

#define CHECK(cond) do { \
	if (cond) { \
		test_checks_passed++; \
	} else { \
		test_checks_failed++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", \
			__FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

#define TEST_MAIN_END() do { \
	printf("%u passed, %u failed\n", test_checks_passed, \
	       test_checks_failed); \
	return test_checks_failed ? EXIT_FAILURE : EXIT_SUCCESS; \
} while (0)

/* Decodes a hex string into out (at most max bytes); returns the length. */
static inline size_t
test_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < max) {
		unsigned int v;

		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

#endif /* WG_TEST_H */
