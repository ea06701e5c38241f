/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GW_RELOAD_MEMO_H
#define GW_RELOAD_MEMO_H

/*
 * What a reload keeps of one WireGuard interface's peers as the file had
 * them at start-up or at the last reload that applied it, in place of the
 * parsed peers: per peer its public key, a keyed digest of everything a
 * reload compares but the endpoint (preshared key, persistent keepalive,
 * allowed IPs in file order), and the endpoint, which a reload rewrites on
 * a running peer only where the file changed it (roaming). Sorted by
 * public key, allocated to size. The digest key is random, one per
 * gateway; no preshared key is kept.
 */

#include <stdint.h>

#include "config/config.h"

#define GW_RELOAD_DIGEST_LEN	16

struct gw_reload_memo_peer {
	uint8_t public_key[GW_KEY_LEN];
	uint8_t digest[GW_RELOAD_DIGEST_LEN];
	struct gw_sockaddr endpoint;	/* family 0 if none */
};

struct gw_reload_memo {
	unsigned int n;
	struct gw_reload_memo_peer peers[];	/* by public key */
};

/* The digest of p's preshared key, keepalive and allowed IPs. */
void
gw_reload_memo_digest(const struct gw_peer_cfg *p,
		      const uint8_t key[GW_KEY_LEN],
		      uint8_t digest[GW_RELOAD_DIGEST_LEN]);

/* The memo of w's peers (gw_reload_memo_free), or NULL: out of memory. */
struct gw_reload_memo *
gw_reload_memo_build(const struct gw_wg_cfg *w, const uint8_t key[GW_KEY_LEN]);

/* The peer with that public key, or NULL (also if m is NULL). */
const struct gw_reload_memo_peer *
gw_reload_memo_find(const struct gw_reload_memo *m,
		    const uint8_t public_key[GW_KEY_LEN]);

void
gw_reload_memo_free(struct gw_reload_memo *m);

#endif /* GW_RELOAD_MEMO_H */
