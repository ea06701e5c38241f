/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "reload_memo.h"

static void
gw_reload_memo_u32(crypto_generichash_state *st, uint32_t v)
{
	uint8_t b[4] = {
		(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24),
	};

	crypto_generichash_update(st, b, sizeof(b));
}

void
gw_reload_memo_digest(const struct gw_peer_cfg *p,
		      const uint8_t key[GW_KEY_LEN],
		      uint8_t digest[GW_RELOAD_DIGEST_LEN])
{
	crypto_generichash_state st;
	const struct gw_prefix *a;
	uint8_t b[2];
	unsigned int j;

	crypto_generichash_init(&st, key, GW_KEY_LEN, GW_RELOAD_DIGEST_LEN);
	/* an unset preshared key's bytes do not count */
	b[0] = p->has_preshared_key;
	crypto_generichash_update(&st, b, 1);
	if (p->has_preshared_key)
		crypto_generichash_update(&st, p->preshared_key, GW_KEY_LEN);
	gw_reload_memo_u32(&st, p->persistent_keepalive);
	gw_reload_memo_u32(&st, p->n_allowed_ips);
	for (j = 0; j < p->n_allowed_ips; j++) {
		a = &p->allowed_ips[j];
		b[0] = a->family;
		b[1] = a->len;
		crypto_generichash_update(&st, b, 2);
		crypto_generichash_update(&st, a->addr,
					  a->family == AF_INET ? 4 : 16);
	}
	crypto_generichash_final(&st, digest, GW_RELOAD_DIGEST_LEN);
	sodium_memzero(&st, sizeof(st));
}

static int
gw_reload_memo_cmp(const void *a, const void *b)
{
	const struct gw_reload_memo_peer *pa = a, *pb = b;

	return memcmp(pa->public_key, pb->public_key, GW_KEY_LEN);
}

static int
gw_reload_memo_key_cmp(const void *key, const void *elt)
{
	const struct gw_reload_memo_peer *p = elt;

	return memcmp(key, p->public_key, GW_KEY_LEN);
}

struct gw_reload_memo *
gw_reload_memo_build(const struct gw_wg_cfg *w, const uint8_t key[GW_KEY_LEN])
{
	const struct gw_peer_cfg *p;
	struct gw_reload_memo *m;
	unsigned int j;

	m = malloc(sizeof(*m) + (size_t)w->n_peers * sizeof(m->peers[0]));
	if (m == NULL)
		return NULL;
	m->n = w->n_peers;
	for (j = 0; j < w->n_peers; j++) {
		p = &w->peers[j];
		memcpy(m->peers[j].public_key, p->public_key, GW_KEY_LEN);
		gw_reload_memo_digest(p, key, m->peers[j].digest);
		m->peers[j].endpoint = p->endpoint;
	}
	qsort(m->peers, m->n, sizeof(m->peers[0]), gw_reload_memo_cmp);
	return m;
}

const struct gw_reload_memo_peer *
gw_reload_memo_find(const struct gw_reload_memo *m,
		    const uint8_t public_key[GW_KEY_LEN])
{
	if (m == NULL)
		return NULL;
	return bsearch(public_key, m->peers, m->n, sizeof(m->peers[0]),
		       gw_reload_memo_key_cmp);
}

void
gw_reload_memo_free(struct gw_reload_memo *m)
{
	if (m == NULL)
		return;
	sodium_memzero(m, sizeof(*m) + (size_t)m->n * sizeof(m->peers[0]));
	free(m);
}
