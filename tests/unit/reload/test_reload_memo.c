/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "config/config.h"
#include "gateway/reload_memo.h"
#include "test.h"

static uint8_t test_key[GW_KEY_LEN];

static struct gw_prefix test_aips[2] = {
	{ AF_INET, 32, { 10, 9, 0, 2 } },
	{ AF_INET6, 64, { 0xfd, 0, 0, 0, 0, 0, 0, 1 } },
};

static void
test_peer(struct gw_peer_cfg *p, uint8_t id)
{
	memset(p, 0, sizeof(*p));
	memset(p->public_key, id, GW_KEY_LEN);
	memset(p->preshared_key, 0x55, GW_KEY_LEN);
	p->has_preshared_key = true;
	p->endpoint.family = AF_INET;
	p->endpoint.port = 51821;
	p->endpoint.addr[0] = 198;
	p->persistent_keepalive = 25;
	p->allowed_ips = test_aips;
	p->n_allowed_ips = 2;
}

static bool
test_same(const struct gw_peer_cfg *a, const struct gw_peer_cfg *b)
{
	uint8_t da[GW_RELOAD_DIGEST_LEN], db[GW_RELOAD_DIGEST_LEN];

	gw_reload_memo_digest(a, test_key, da);
	gw_reload_memo_digest(b, test_key, db);
	return memcmp(da, db, sizeof(da)) == 0;
}

/* Everything the comparison looked at but the endpoint changes the digest. */
static void
test_digest(void)
{
	struct gw_prefix swapped[2] = { test_aips[1], test_aips[0] };
	struct gw_prefix other[2] = { test_aips[0], test_aips[1] };
	uint8_t d1[GW_RELOAD_DIGEST_LEN], d2[GW_RELOAD_DIGEST_LEN];
	uint8_t key2[GW_KEY_LEN];
	struct gw_peer_cfg a, b;

	test_peer(&a, 1);
	test_peer(&b, 1);
	CHECK(test_same(&a, &b));
	b.endpoint.port = 51831;
	CHECK(test_same(&a, &b));
	b.endpoint.family = 0;
	CHECK(test_same(&a, &b));

	test_peer(&b, 1);
	b.preshared_key[31] ^= 1;
	CHECK(!test_same(&a, &b));
	b.has_preshared_key = false;
	CHECK(!test_same(&a, &b));
	a.has_preshared_key = false;
	CHECK(test_same(&a, &b));	/* an unset key's bytes do not count */

	test_peer(&a, 1);
	test_peer(&b, 1);
	b.persistent_keepalive = 0;
	CHECK(!test_same(&a, &b));

	test_peer(&b, 1);
	b.allowed_ips = swapped;
	CHECK(!test_same(&a, &b));	/* file order */
	b.allowed_ips = other;
	CHECK(test_same(&a, &b));
	other[1].len = 48;
	CHECK(!test_same(&a, &b));
	other[1].len = 64;
	other[1].addr[15] = 1;
	CHECK(!test_same(&a, &b));
	other[1].addr[15] = 0;
	other[0].addr[12] = 7;		/* beyond an IPv4 address */
	CHECK(test_same(&a, &b));
	other[0].family = AF_INET6;
	CHECK(!test_same(&a, &b));
	other[0] = test_aips[0];
	b.n_allowed_ips = 1;
	CHECK(!test_same(&a, &b));
	b.n_allowed_ips = 0;
	a.n_allowed_ips = 0;
	CHECK(test_same(&a, &b));

	/* keyed: another gateway's key, another digest */
	test_peer(&a, 1);
	gw_reload_memo_digest(&a, test_key, d1);
	memcpy(key2, test_key, sizeof(key2));
	key2[0] ^= 1;
	gw_reload_memo_digest(&a, key2, d2);
	CHECK(memcmp(d1, d2, sizeof(d1)) != 0);
}

static void
test_build(void)
{
	static const uint8_t ids[] = { 9, 3, 200, 1, 77 };
	uint8_t d[GW_RELOAD_DIGEST_LEN], key[GW_KEY_LEN];
	const struct gw_reload_memo_peer *m;
	struct gw_peer_cfg peers[5];
	struct gw_reload_memo *memo;
	struct gw_wg_cfg w;
	unsigned int j;

	memset(&w, 0, sizeof(w));
	for (j = 0; j < 5; j++) {
		test_peer(&peers[j], ids[j]);
		peers[j].endpoint.port = (uint16_t)(1000 + j);
		peers[j].persistent_keepalive = (uint16_t)j;
	}
	w.peers = peers;
	w.n_peers = 5;
	memo = gw_reload_memo_build(&w, test_key);
	CHECK(memo != NULL);
	if (memo == NULL)
		return;
	CHECK(memo->n == 5);
	for (j = 1; j < memo->n; j++)
		CHECK(memcmp(memo->peers[j - 1].public_key,
			     memo->peers[j].public_key, GW_KEY_LEN) < 0);
	for (j = 0; j < 5; j++) {
		m = gw_reload_memo_find(memo, peers[j].public_key);
		CHECK(m != NULL);
		if (m == NULL)
			continue;
		CHECK_MEM(m->public_key, peers[j].public_key, GW_KEY_LEN);
		CHECK(m->endpoint.port == 1000 + j);
		gw_reload_memo_digest(&peers[j], test_key, d);
		CHECK_MEM(m->digest, d, sizeof(d));
	}
	memset(key, 4, sizeof(key));
	CHECK(gw_reload_memo_find(memo, key) == NULL);
	CHECK(gw_reload_memo_find(NULL, key) == NULL);
	gw_reload_memo_free(memo);

	w.n_peers = 0;
	w.peers = NULL;
	memo = gw_reload_memo_build(&w, test_key);
	CHECK(memo != NULL && memo->n == 0);
	CHECK(gw_reload_memo_find(memo, key) == NULL);
	gw_reload_memo_free(memo);
	gw_reload_memo_free(NULL);
}

/* gw_config_drop_peers: the peers gone, the rest of the interface kept. */
static void
test_drop(void)
{
	struct gw_wg_cfg w;
	unsigned int j;

	memset(&w, 0, sizeof(w));
	w.n_peers = 3;
	w.peers = calloc(w.n_peers, sizeof(*w.peers));
	w.n_addrs = 1;
	w.addrs = calloc(1, sizeof(*w.addrs));
	CHECK(w.peers != NULL && w.addrs != NULL);
	if (w.peers == NULL || w.addrs == NULL)
		return;
	for (j = 0; j < w.n_peers; j++) {
		w.peers[j].n_allowed_ips = 1;
		w.peers[j].allowed_ips = calloc(1, sizeof(struct gw_prefix));
	}
	memset(w.private_key, 0x42, sizeof(w.private_key));
	gw_config_drop_peers(&w);
	CHECK(w.peers == NULL && w.n_peers == 0);
	CHECK(w.addrs != NULL && w.n_addrs == 1);
	CHECK(w.private_key[0] == 0x42);
	gw_config_drop_peers(&w);
	CHECK(w.peers == NULL && w.n_peers == 0);
	free(w.addrs);
}

int
main(void)
{
	if (sodium_init() < 0)
		return EXIT_FAILURE;
	randombytes_buf(test_key, sizeof(test_key));
	test_digest();
	test_build();
	test_drop();
	TEST_MAIN_END();
}
