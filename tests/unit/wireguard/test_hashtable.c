/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Generic intrusive hash table tests: add, lookup and delete of many
 * nodes across several doublings, replace, deletion of the current node
 * during iteration, and a table whose buckets never grow (the state an
 * allocation failure leaves) checked for correct, if longer, chains.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto/primitives.h"
#include "test.h"
#include "wireguard/hashtable.h"

#define N_ITEMS		20000
#define MIN_BUCKETS	16

struct item {
	uint32_t key;
	struct wg_hnode node;
	bool seen;
};

static uint64_t
key_hash(const struct wg_htable *t, uint32_t key)
{
	return wg_htable_hash(t, &key, sizeof(key));
}

static uint64_t
item_rehash(const struct wg_htable *t, const struct wg_hnode *n)
{
	return key_hash(t, WG_CONTAINER_OF(n, struct item, node)->key);
}

static struct item *
find(const struct wg_htable *t, uint32_t key)
{
	struct wg_hnode *n = wg_htable_bucket(t, key_hash(t, key));

	for (; n != NULL; n = n->next) {
		struct item *it = WG_CONTAINER_OF(n, struct item, node);

		if (it->key == key)
			return it;
	}
	return NULL;
}

static unsigned int
find_all(const struct wg_htable *t, struct item *items, size_t n)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (find(t, items[i].key) !=
		    (wg_hnode_hashed(&items[i].node) ? &items[i] : NULL))
			bad++;
	return bad;
}

static void
test_add_del_grow(void)
{
	struct wg_htable t;
	struct item *items = calloc(N_ITEMS, sizeof(*items));
	size_t i;

	CHECK(items != NULL);
	if (items == NULL)
		return;
	CHECK(wg_htable_init(&t, MIN_BUCKETS, item_rehash) == 0);
	CHECK(t.mask == MIN_BUCKETS - 1 && t.count == 0);
	for (i = 0; i < N_ITEMS; i++) {
		items[i].key = (uint32_t)i * 2654435761u;
		CHECK(!wg_hnode_hashed(&items[i].node));
		wg_htable_add(&t, &items[i].node,
			      key_hash(&t, items[i].key));
	}
	CHECK(t.count == N_ITEMS);
	/* doubled while the load passed one node per bucket */
	CHECK(t.mask + 1 >= N_ITEMS / 2);
	CHECK(((t.mask + 1) & t.mask) == 0);
	CHECK(find_all(&t, items, N_ITEMS) == 0);
	CHECK(find(&t, 1) == NULL);

	/* delete the odd ones */
	for (i = 1; i < N_ITEMS; i += 2) {
		wg_htable_del(&t, &items[i].node);
		CHECK(!wg_hnode_hashed(&items[i].node));
	}
	CHECK(t.count == N_ITEMS / 2);
	CHECK(find_all(&t, items, N_ITEMS) == 0);

	/* replace: a new node takes an old one's place */
	{
		struct item repl = { .key = items[4].key };

		wg_htable_replace(&t, &items[4].node, &repl.node);
		CHECK(!wg_hnode_hashed(&items[4].node));
		CHECK(wg_hnode_hashed(&repl.node));
		CHECK(find(&t, repl.key) == &repl);
		CHECK(t.count == N_ITEMS / 2);
		wg_htable_replace(&t, &repl.node, &items[4].node);
		CHECK(find(&t, repl.key) == &items[4]);
	}

	for (i = 0; i < N_ITEMS; i += 2)
		wg_htable_del(&t, &items[i].node);
	CHECK(t.count == 0);
	CHECK(find_all(&t, items, N_ITEMS) == 0);
	wg_htable_destroy(&t);
	free(items);
}

struct iter_ctx {
	struct wg_htable *t;
	unsigned int visited;
	unsigned int stop_after;
};

/* Marks every node and deletes every other one, the current node only. */
static int
visit_del(void *ctx, struct wg_hnode *n)
{
	struct iter_ctx *c = ctx;
	struct item *it = WG_CONTAINER_OF(n, struct item, node);

	CHECK(!it->seen);
	it->seen = true;
	c->visited++;
	if (it->key % 2 == 0)
		wg_htable_del(c->t, n);
	if (c->stop_after != 0 && c->visited == c->stop_after)
		return 7;
	return 0;
}

static void
test_iterate_delete(void)
{
	enum { N = 3000 };
	struct wg_htable t;
	struct item *items = calloc(N, sizeof(*items));
	struct iter_ctx c = { .t = &t };
	size_t i;

	CHECK(items != NULL);
	if (items == NULL)
		return;
	CHECK(wg_htable_init(&t, MIN_BUCKETS, item_rehash) == 0);
	for (i = 0; i < N; i++) {
		items[i].key = (uint32_t)i;
		wg_htable_add(&t, &items[i].node, key_hash(&t, items[i].key));
	}
	CHECK(wg_htable_foreach(&t, visit_del, &c) == 0);
	CHECK(c.visited == N);
	for (i = 0; i < N; i++)
		CHECK(items[i].seen);
	CHECK(t.count == N / 2);
	CHECK(find_all(&t, items, N) == 0);

	/* early stop returns fn's value */
	for (i = 0; i < N; i++)
		items[i].seen = false;
	c.visited = 0;
	c.stop_after = 10;
	CHECK(wg_htable_foreach(&t, visit_del, &c) == 7);
	CHECK(c.visited == 10);
	wg_htable_destroy(&t);
	free(items);
}

/*
 * A table that cannot grow (as after failed allocations): forcing the
 * count check off keeps 16 buckets for 2000 nodes; all stays correct.
 */
static void
test_no_grow(void)
{
	enum { N = 2000 };
	struct wg_htable t;
	struct item *items = calloc(N, sizeof(*items));
	size_t i, saved;

	CHECK(items != NULL);
	if (items == NULL)
		return;
	CHECK(wg_htable_init(&t, MIN_BUCKETS, item_rehash) == 0);
	for (i = 0; i < N; i++) {
		items[i].key = (uint32_t)i * 7919u;
		/* pretend the table is empty so add never grows */
		saved = t.count;
		t.count = 0;
		wg_htable_add(&t, &items[i].node, key_hash(&t, items[i].key));
		t.count = saved + 1;
	}
	CHECK(t.mask == MIN_BUCKETS - 1);
	CHECK(t.count == N);
	CHECK(find_all(&t, items, N) == 0);
	/* the next add grows (allocation succeeds) and rehashes them all */
	{
		struct item extra = { .key = 0xdeadbeef };

		wg_htable_add(&t, &extra.node, key_hash(&t, extra.key));
		CHECK(t.mask == 2 * MIN_BUCKETS - 1);
		CHECK(find(&t, extra.key) == &extra);
		CHECK(find_all(&t, items, N) == 0);
		wg_htable_del(&t, &extra.node);
	}
	for (i = 0; i < N; i++)
		wg_htable_del(&t, &items[i].node);
	CHECK(t.count == 0);
	wg_htable_destroy(&t);
	free(items);
}

static void
test_keyed(void)
{
	struct wg_htable a, b;
	uint8_t zero[16] = { 0 };
	uint32_t k = 42;

	CHECK(wg_htable_init(&a, MIN_BUCKETS, item_rehash) == 0);
	CHECK(wg_htable_init(&b, MIN_BUCKETS, item_rehash) == 0);
	/* random keys: two tables disagree (2^-64 chance otherwise) */
	CHECK(wg_htable_hash(&a, &k, sizeof(k)) !=
	      wg_htable_hash(&b, &k, sizeof(k)));
	CHECK(wg_htable_hash(&a, &k, sizeof(k)) ==
	      wg_htable_hash(&a, &k, sizeof(k)));
	wg_htable_destroy(&a);
	CHECK(a.buckets == NULL);
	CHECK_MEM(a.key, zero, sizeof(zero));
	wg_htable_destroy(&b);
}

int
main(void)
{
	if (wg_crypto_init() != 0)
		return EXIT_FAILURE;
	test_add_del_grow();
	test_iterate_delete();
	test_no_grow();
	test_keyed();
	TEST_MAIN_END();
}
