/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_ENDPOINT_H
#define WG_ENDPOINT_H

/* An outer UDP address of a peer, free of any socket or packet library. */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct wg_endpoint {
	uint8_t family;		/* 0 = none, AF_INET, AF_INET6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

static inline bool
wg_endpoint_equal(const struct wg_endpoint *a, const struct wg_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
		memcmp(a->addr, b->addr, 16) == 0;
}

#endif /* WG_ENDPOINT_H */
