/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Allowed IPs: a path-compressed binary trie per address family.
 *
 * Keys are addresses as 128-bit strings, most significant bit first
 * (IPv4 in the top 32 bits), held in two host-order 64-bit words so that
 * masking and "first differing bit" are a few word operations.
 *
 * Two kinds of nodes, each in its own pool:
 *
 *   prefix node (40 bytes): one entry, key/cidr with host bits cleared,
 *     its owner (a slot of the peer table), links in the owner's list,
 *     and two children holding longer prefixes, chosen by bit `cidr`.
 *   branch node (12 bytes): no entry, only a split at bit `bit` between
 *     two non-empty subtrees; it is where two keys diverge.
 *
 * Every subtree has a position (cidr of a prefix node, bit of a branch
 * node) and all the keys below share their first `position` bits;
 * positions strictly grow downwards. A branch node does not store those
 * shared bits. Lookup therefore walks down by the address bits alone and
 * checks each prefix node it meets against the address: the first one
 * that does not match ends the walk (everything under it extends it),
 * and the last one that matched is the answer. Insertion finds the
 * divergence point the PATRICIA way: walk down by the key to any stored
 * prefix, measure where the key departs from it, then walk down again to
 * the first node at or beyond that bit. Both walks are O(depth), depth
 * at most 33 or 129.
 *
 * Nodes are addressed by 32-bit index into chunked pools that never
 * move (4096 nodes a chunk), which halves the links and lets the pools
 * grow without copying; index 0 is "none" and the top bit tells a
 * branch reference from a prefix reference. A prefix node references
 * its owner by the index of a peer slot {peer pointer, list head,
 * count}; an open-addressing hash maps the opaque peer pointer to its
 * slot, so a peer's prefixes form a doubly linked list and
 * wg_allowedips_walk_by_peer() costs O(prefixes of the peer) and
 * wg_allowedips_remove_by_peer() O(prefixes of the peer * depth).
 *
 * Memory, for N prefixes: N prefix nodes (40 B) + at most N - 1 branch
 * nodes (12 B) + per peer a 16 B slot and 4 to 8 B of hash index: about
 * 52 B per prefix plus 10 to 24 B per peer, no per-node malloc overhead.
 *
 * Removing a prefix that still has two children turns it into a branch
 * node. Should that 12-byte allocation fail, the node stays as a prefix
 * node without an owner, which lookups skip and which is folded away
 * once it has fewer than two children: removal never fails for memory.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "allowedips.h"

#define AIP_CHUNK_SHIFT		12
#define AIP_CHUNK_NODES		(1u << AIP_CHUNK_SHIFT)
#define AIP_CHUNK_MASK		(AIP_CHUNK_NODES - 1)
#define AIP_BRANCH		0x80000000u	/* reference tag */
#define AIP_MAX_NODES		(AIP_BRANCH - AIP_CHUNK_NODES)
#define AIP_MAX_DEPTH		130

struct aip_prefix {
	uint64_t key[2];
	uint32_t child[2];
	uint32_t peer_next;	/* prefix index, 0 = end */
	uint32_t peer_prev;	/* prefix index, 0 = list head */
	uint32_t slot;		/* owner, 0 = none */
	uint8_t cidr;
	uint8_t family;		/* AF_INET or AF_INET6 */
};

struct aip_branch {
	uint32_t child[2];
	uint8_t bit;
};

/* Nodes in chunks that never move; a free node links to the next free
 * one through its first 4 bytes.
 */
struct aip_pool {
	unsigned char **chunks;
	uint32_t nchunks;
	uint32_t chunks_cap;
	uint32_t next_unused;	/* first index never handed out */
	uint32_t free_head;
	uint32_t elem_size;
};

struct aip_slot {
	void *peer;		/* NULL: free, head then links free slots */
	uint32_t head;		/* first prefix of the peer */
	uint32_t count;		/* prefixes of the peer */
};

struct wg_allowedips {
	uint32_t root[2];	/* IPv4, IPv6 */
	size_t count;		/* prefixes with an owner */
	struct aip_pool prefixes;
	struct aip_pool branches;
	struct aip_slot *slots;	/* [0] unused */
	uint32_t slots_used;	/* high-water mark, including [0] */
	uint32_t slots_cap;
	uint32_t slot_free;
	uint32_t slots_live;
	uint32_t *index;	/* slot numbers by peer hash, 0 = empty */
	uint32_t index_mask;
};

_Static_assert(sizeof(struct aip_prefix) == 40, "prefix node size");
_Static_assert(sizeof(struct aip_branch) == 12, "branch node size");

/* ---- pools ---- */

static void *
pool_at(const struct aip_pool *p, uint32_t i)
{
	return p->chunks[i >> AIP_CHUNK_SHIFT] +
		(size_t)(i & AIP_CHUNK_MASK) * p->elem_size;
}

static void
pool_init(struct aip_pool *p, uint32_t elem_size)
{
	memset(p, 0, sizeof(*p));
	p->elem_size = elem_size;
	p->next_unused = 1;	/* index 0 means "none" */
}

static void
pool_destroy(struct aip_pool *p)
{
	uint32_t i;

	for (i = 0; i < p->nchunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	memset(p, 0, sizeof(*p));
}

#ifdef WG_ALLOWEDIPS_TEST_HOOKS
/* Defined by the unit test that includes this file: simulated ENOMEM. */
static bool wg_allowedips_test_fail(const struct aip_pool *p);
#endif

/* Makes sure one node can be taken without allocating. */
static int
pool_reserve(struct aip_pool *p)
{
	unsigned char **chunks, *chunk;
	uint32_t cap;

#ifdef WG_ALLOWEDIPS_TEST_HOOKS
	if (wg_allowedips_test_fail(p))
		return -ENOMEM;
#endif
	if (p->free_head != 0 ||
	    p->next_unused < p->nchunks * AIP_CHUNK_NODES)
		return 0;
	if (p->next_unused >= AIP_MAX_NODES)
		return -ENOMEM;
	if (p->nchunks == p->chunks_cap) {
		cap = p->chunks_cap ? p->chunks_cap * 2 : 16;
		chunks = realloc(p->chunks, cap * sizeof(*chunks));
		if (chunks == NULL)
			return -ENOMEM;
		p->chunks = chunks;
		p->chunks_cap = cap;
	}
	chunk = malloc((size_t)AIP_CHUNK_NODES * p->elem_size);
	if (chunk == NULL)
		return -ENOMEM;
	p->chunks[p->nchunks++] = chunk;
	return 0;
}

/* Only after pool_reserve() succeeded. The node comes zeroed. */
static uint32_t
pool_take(struct aip_pool *p)
{
	uint32_t i;
	void *e;

	if (p->free_head != 0) {
		i = p->free_head;
		e = pool_at(p, i);
		memcpy(&p->free_head, e, sizeof(uint32_t));
	} else {
		i = p->next_unused++;
		e = pool_at(p, i);
	}
	memset(e, 0, p->elem_size);
	return i;
}

static void
pool_put(struct aip_pool *p, uint32_t i)
{
	memcpy(pool_at(p, i), &p->free_head, sizeof(uint32_t));
	p->free_head = i;
}

static size_t
pool_bytes(const struct aip_pool *p)
{
	return (size_t)p->nchunks * AIP_CHUNK_NODES * p->elem_size +
		(size_t)p->chunks_cap * sizeof(*p->chunks);
}

/* ---- node references ---- */

static bool
is_branch(uint32_t ref)
{
	return (ref & AIP_BRANCH) != 0;
}

static struct aip_prefix *
prefix_of(const struct wg_allowedips *t, uint32_t ref)
{
	return pool_at(&t->prefixes, ref);
}

static struct aip_branch *
branch_of(const struct wg_allowedips *t, uint32_t ref)
{
	return pool_at(&t->branches, ref & ~AIP_BRANCH);
}

/* Position of a node: how many leading bits all keys below it share. */
static unsigned int
node_pos(const struct wg_allowedips *t, uint32_t ref)
{
	if (is_branch(ref))
		return branch_of(t, ref)->bit;
	return prefix_of(t, ref)->cidr;
}

static uint32_t *
node_children(const struct wg_allowedips *t, uint32_t ref)
{
	if (is_branch(ref))
		return branch_of(t, ref)->child;
	return prefix_of(t, ref)->child;
}

/* ---- keys ---- */

static uint64_t
load_be64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static void
store_be64(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

static void
key_mask(uint64_t key[2], unsigned int cidr)
{
	if (cidr == 0) {
		key[0] = 0;
		key[1] = 0;
	} else if (cidr < 64) {
		key[0] &= ~UINT64_C(0) << (64 - cidr);
		key[1] = 0;
	} else if (cidr == 64) {
		key[1] = 0;
	} else if (cidr < 128) {
		key[1] &= ~UINT64_C(0) << (128 - cidr);
	}
}

static void
key_load(uint64_t key[2], int family, const uint8_t *addr)
{
	if (family == AF_INET) {
		key[0] = (uint64_t)addr[0] << 56 | (uint64_t)addr[1] << 48 |
			(uint64_t)addr[2] << 40 | (uint64_t)addr[3] << 32;
		key[1] = 0;
	} else {
		key[0] = load_be64(addr);
		key[1] = load_be64(addr + 8);
	}
}

static void
key_store(uint8_t addr[16], int family, const uint64_t key[2])
{
	memset(addr, 0, 16);
	if (family == AF_INET) {
		addr[0] = (uint8_t)(key[0] >> 56);
		addr[1] = (uint8_t)(key[0] >> 48);
		addr[2] = (uint8_t)(key[0] >> 40);
		addr[3] = (uint8_t)(key[0] >> 32);
	} else {
		store_be64(addr, key[0]);
		store_be64(addr + 8, key[1]);
	}
}

static unsigned int
key_bit(const uint64_t key[2], unsigned int pos)
{
	return (unsigned int)(key[pos >> 6] >> (63 - (pos & 63))) & 1;
}

/* Number of leading bits two keys have in common (0..128). */
static unsigned int
key_common(const uint64_t a[2], const uint64_t b[2])
{
	uint64_t x = a[0] ^ b[0];

	if (x != 0)
		return (unsigned int)__builtin_clzll(x);
	x = a[1] ^ b[1];
	if (x != 0)
		return 64 + (unsigned int)__builtin_clzll(x);
	return 128;
}

static int
family_index(int family, unsigned int *bits)
{
	if (family == AF_INET) {
		*bits = 32;
		return 0;
	}
	if (family == AF_INET6) {
		*bits = 128;
		return 1;
	}
	return -1;
}

/* ---- peer slots ---- */

static uint32_t
peer_hash(const void *peer)
{
	uint64_t x = (uint64_t)(uintptr_t)peer;

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return (uint32_t)x;
}

static uint32_t
slot_find(const struct wg_allowedips *t, const void *peer)
{
	uint32_t i = peer_hash(peer) & t->index_mask, s;

	while ((s = t->index[i]) != 0) {
		if (t->slots[s].peer == peer)
			return s;
		i = (i + 1) & t->index_mask;
	}
	return 0;
}

static void
index_place(uint32_t *index, uint32_t mask, const void *peer, uint32_t s)
{
	uint32_t i = peer_hash(peer) & mask;

	while (index[i] != 0)
		i = (i + 1) & mask;
	index[i] = s;
}

static int
index_grow(struct wg_allowedips *t)
{
	uint32_t cap = (t->index_mask + 1) * 2, i, s, *index;

	if (cap == 0)
		return -ENOMEM;
	index = calloc(cap, sizeof(*index));
	if (index == NULL)
		return -ENOMEM;
	for (i = 0; i <= t->index_mask; i++) {
		s = t->index[i];
		if (s != 0)
			index_place(index, cap - 1, t->slots[s].peer, s);
	}
	free(t->index);
	t->index = index;
	t->index_mask = cap - 1;
	return 0;
}

/* Removes slot s from the index (linear probing, backward shift). */
static void
index_remove(struct wg_allowedips *t, uint32_t s)
{
	uint32_t mask = t->index_mask, hole, j, home;

	hole = peer_hash(t->slots[s].peer) & mask;
	while (t->index[hole] != s)
		hole = (hole + 1) & mask;
	j = hole;
	for (;;) {
		j = (j + 1) & mask;
		if (t->index[j] == 0)
			break;
		home = peer_hash(t->slots[t->index[j]].peer) & mask;
		/* Entry j may fill the hole unless its home lies in (hole, j]. */
		if (((j - home) & mask) < ((j - hole) & mask))
			continue;
		t->index[hole] = t->index[j];
		hole = j;
	}
	t->index[hole] = 0;
}

/* The slot of peer, created if needed; 0 on allocation failure. */
static uint32_t
slot_get(struct wg_allowedips *t, void *peer)
{
	struct aip_slot *slots;
	uint32_t s = slot_find(t, peer), cap;

	if (s != 0)
		return s;
	if ((t->slots_live + 1) * 2 > t->index_mask + 1 && index_grow(t) < 0)
		return 0;
	if (t->slot_free != 0) {
		s = t->slot_free;
		t->slot_free = t->slots[s].head;
	} else {
		if (t->slots_used == t->slots_cap) {
			if (t->slots_cap >= UINT32_MAX / 2)
				return 0;
			cap = t->slots_cap * 2;
			slots = realloc(t->slots, (size_t)cap * sizeof(*slots));
			if (slots == NULL)
				return 0;
			t->slots = slots;
			t->slots_cap = cap;
		}
		s = t->slots_used++;
	}
	t->slots[s].peer = peer;
	t->slots[s].head = 0;
	t->slots[s].count = 0;
	index_place(t->index, t->index_mask, peer, s);
	t->slots_live++;
	return s;
}

static void
slot_release(struct wg_allowedips *t, uint32_t s)
{
	index_remove(t, s);
	t->slots[s].peer = NULL;
	t->slots[s].head = t->slot_free;
	t->slot_free = s;
	t->slots_live--;
}

static void
owner_set(struct wg_allowedips *t, uint32_t ni, uint32_t s)
{
	struct aip_prefix *n = prefix_of(t, ni);
	struct aip_slot *sl = &t->slots[s];

	n->slot = s;
	n->peer_prev = 0;
	n->peer_next = sl->head;
	if (sl->head != 0)
		prefix_of(t, sl->head)->peer_prev = ni;
	sl->head = ni;
	sl->count++;
	t->count++;
}

/* Detaches a prefix from its owner; frees the slot when it empties. */
static void
owner_clear(struct wg_allowedips *t, uint32_t ni)
{
	struct aip_prefix *n = prefix_of(t, ni);
	struct aip_slot *sl;

	if (n->slot == 0)
		return;
	sl = &t->slots[n->slot];
	if (n->peer_prev != 0)
		prefix_of(t, n->peer_prev)->peer_next = n->peer_next;
	else
		sl->head = n->peer_next;
	if (n->peer_next != 0)
		prefix_of(t, n->peer_next)->peer_prev = n->peer_prev;
	if (--sl->count == 0)
		slot_release(t, n->slot);
	n->slot = 0;
	n->peer_next = 0;
	n->peer_prev = 0;
	t->count--;
}

/* ---- table ---- */

struct wg_allowedips *
wg_allowedips_create(void)
{
	struct wg_allowedips *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	pool_init(&t->prefixes, sizeof(struct aip_prefix));
	pool_init(&t->branches, sizeof(struct aip_branch));
	t->slots_cap = 16;
	t->slots_used = 1;
	t->slots = calloc(t->slots_cap, sizeof(*t->slots));
	t->index_mask = 31;
	t->index = calloc(t->index_mask + 1, sizeof(*t->index));
	if (t->slots == NULL || t->index == NULL) {
		free(t->slots);
		free(t->index);
		free(t);
		return NULL;
	}
	return t;
}

void
wg_allowedips_free(struct wg_allowedips *t)
{
	if (t == NULL)
		return;
	pool_destroy(&t->prefixes);
	pool_destroy(&t->branches);
	free(t->slots);
	free(t->index);
	free(t);
}

static uint32_t
prefix_new(struct wg_allowedips *t, const uint64_t key[2], unsigned int cidr,
	   int family)
{
	uint32_t ni = pool_take(&t->prefixes);
	struct aip_prefix *n = prefix_of(t, ni);

	n->key[0] = key[0];
	n->key[1] = key[1];
	n->cidr = (uint8_t)cidr;
	n->family = (uint8_t)family;
	return ni;
}

static uint32_t
branch_new(struct wg_allowedips *t, unsigned int bit)
{
	uint32_t bi = pool_take(&t->branches);

	branch_of(t, bi | AIP_BRANCH)->bit = (uint8_t)bit;
	return bi | AIP_BRANCH;
}

int
wg_allowedips_insert(struct wg_allowedips *t, int family, const uint8_t *addr,
		     uint8_t cidr, void *peer)
{
	const struct aip_prefix *rep = NULL;
	unsigned int bits, pos, common, side;
	uint32_t *link, ref, ni, s;
	uint64_t key[2];
	int fi;

	if (t == NULL || addr == NULL || peer == NULL)
		return -EINVAL;
	fi = family_index(family, &bits);
	if (fi < 0 || cidr > bits)
		return -EINVAL;
	key_load(key, family, addr);
	key_mask(key, cidr);

	/* Everything that can fail happens before the trie changes. */
	if (pool_reserve(&t->prefixes) < 0 || pool_reserve(&t->branches) < 0)
		return -ENOMEM;
	s = slot_get(t, peer);
	if (s == 0)
		return -ENOMEM;

	/* Walk 1: any stored prefix that follows the key as far as it can. */
	ref = t->root[fi];
	while (ref != 0) {
		if (is_branch(ref)) {
			const struct aip_branch *b = branch_of(t, ref);

			ref = b->child[b->bit < cidr ? key_bit(key, b->bit) : 0];
			continue;
		}
		rep = prefix_of(t, ref);
		if (rep->cidr >= cidr)
			break;
		ref = rep->child[key_bit(key, rep->cidr)];
	}
	common = cidr;
	if (rep != NULL) {
		common = key_common(key, rep->key);
		if (common > cidr)
			common = cidr;
		if (common > rep->cidr)
			common = rep->cidr;
	}

	/* Walk 2: down to the first node at or past the divergence bit. */
	link = &t->root[fi];
	for (;;) {
		ref = *link;
		if (ref == 0) {
			ni = prefix_new(t, key, cidr, family);
			*link = ni;
			break;
		}
		pos = node_pos(t, ref);
		if (pos < common || (pos == common && common < cidr)) {
			link = &node_children(t, ref)[key_bit(key, pos)];
			continue;
		}
		if (pos == common) {
			/* pos == cidr: the prefix itself, or a bare split there */
			if (!is_branch(ref)) {
				ni = ref;
				if (prefix_of(t, ni)->slot == s)
					return 0;
				owner_clear(t, ni);
				owner_set(t, ni, s);
				return 0;
			}
			ni = prefix_new(t, key, cidr, family);
			memcpy(prefix_of(t, ni)->child, branch_of(t, ref)->child,
			       sizeof(prefix_of(t, ni)->child));
			pool_put(&t->branches, ref & ~AIP_BRANCH);
			*link = ni;
			break;
		}
		/* pos > common: the new node goes above ref. */
		ni = prefix_new(t, key, cidr, family);
		if (common == cidr) {
			prefix_of(t, ni)->child[key_bit(rep->key, common)] = ref;
			*link = ni;
		} else {
			uint32_t bref = branch_new(t, common);
			struct aip_branch *b = branch_of(t, bref);

			side = key_bit(key, common);
			b->child[side] = ni;
			b->child[!side] = ref;
			*link = bref;
		}
		break;
	}
	owner_set(t, ni, s);
	return 0;
}

/*
 * A node lost a child or its owner: fold away nodes that no longer
 * split anything. path[0..depth) are the links leading to *link.
 */
static void
trie_fold(struct wg_allowedips *t, uint32_t **path, unsigned int depth,
	  uint32_t *link)
{
	for (;;) {
		uint32_t ref = *link, *c = node_children(t, ref), only;
		unsigned int n = (c[0] != 0) + (c[1] != 0);

		if (!is_branch(ref) && prefix_of(t, ref)->slot != 0)
			return;	/* owned: stays whatever its children */
		if (n == 2) {
			if (is_branch(ref))
				return;
			/* An ownerless prefix that still splits: a branch. */
			if (pool_reserve(&t->branches) == 0) {
				uint32_t bref = branch_new(t,
					prefix_of(t, ref)->cidr);

				memcpy(branch_of(t, bref)->child, c,
				       sizeof(branch_of(t, bref)->child));
				pool_put(&t->prefixes, ref);
				*link = bref;
			}
			return;
		}
		only = c[0] != 0 ? c[0] : c[1];
		if (is_branch(ref))
			pool_put(&t->branches, ref & ~AIP_BRANCH);
		else
			pool_put(&t->prefixes, ref);
		*link = only;
		if (n == 1 || depth == 0)
			return;
		/* The parent lost a child: look at it too. */
		link = path[--depth];
	}
}

/* Removes the prefix key/cidr if slot s owns it. */
static int
trie_remove(struct wg_allowedips *t, int fi, const uint64_t key[2],
	    unsigned int cidr, uint32_t s)
{
	uint32_t *path[AIP_MAX_DEPTH], *link = &t->root[fi], ref;
	unsigned int depth = 0, pos;
	struct aip_prefix *n;

	for (;;) {
		ref = *link;
		if (ref == 0)
			return -ENOENT;
		pos = node_pos(t, ref);
		if (pos >= cidr)
			break;
		path[depth++] = link;
		link = &node_children(t, ref)[key_bit(key, pos)];
	}
	if (pos != cidr || is_branch(ref))
		return -ENOENT;
	n = prefix_of(t, ref);
	if (n->key[0] != key[0] || n->key[1] != key[1] || n->slot == 0 ||
	    n->slot != s)
		return -ENOENT;
	owner_clear(t, ref);
	trie_fold(t, path, depth, link);
	return 0;
}

int
wg_allowedips_remove(struct wg_allowedips *t, int family, const uint8_t *addr,
		     uint8_t cidr, const void *peer)
{
	unsigned int bits;
	uint64_t key[2];
	uint32_t s;
	int fi;

	if (t == NULL || addr == NULL)
		return -ENOENT;
	fi = family_index(family, &bits);
	if (fi < 0 || cidr > bits || peer == NULL)
		return -ENOENT;
	s = slot_find(t, peer);
	if (s == 0)
		return -ENOENT;
	key_load(key, family, addr);
	key_mask(key, cidr);
	return trie_remove(t, fi, key, cidr, s);
}

void
wg_allowedips_remove_by_peer(struct wg_allowedips *t, const void *peer)
{
	uint32_t s, n, i;

	if (t == NULL || peer == NULL)
		return;
	s = slot_find(t, peer);
	if (s == 0)
		return;
	/* Each removal takes the head; the slot goes with the last one. */
	n = t->slots[s].count;
	for (i = 0; i < n; i++) {
		const struct aip_prefix *p = prefix_of(t, t->slots[s].head);
		uint64_t key[2] = { p->key[0], p->key[1] };
		unsigned int cidr = p->cidr, bits;
		int fi = family_index(p->family, &bits);

		trie_remove(t, fi, key, cidr, s);
	}
}

void *
wg_allowedips_lookup(const struct wg_allowedips *t, int family,
		     const uint8_t *addr)
{
	unsigned int bits;
	uint32_t ref, best = 0;
	uint64_t key[2];
	int fi;

	if (t == NULL || addr == NULL)
		return NULL;
	fi = family_index(family, &bits);
	if (fi < 0)
		return NULL;
	key_load(key, family, addr);

	ref = t->root[fi];
	while (ref != 0) {
		const struct aip_prefix *p;

		if (is_branch(ref)) {
			const struct aip_branch *b = branch_of(t, ref);

			ref = b->child[key_bit(key, b->bit)];
			continue;
		}
		p = prefix_of(t, ref);
		if (key_common(key, p->key) < p->cidr)
			break;	/* nothing below can match either */
		if (p->slot != 0)
			best = p->slot;
		if (p->cidr >= bits)
			break;
		ref = p->child[key_bit(key, p->cidr)];
	}
	return best != 0 ? t->slots[best].peer : NULL;
}

int
wg_allowedips_walk_by_peer(const struct wg_allowedips *t, const void *peer,
			   wg_allowedips_fn fn, void *ctx)
{
	uint32_t s, i;
	uint8_t addr[16];
	int ret;

	if (t == NULL || peer == NULL)
		return 0;
	s = slot_find(t, peer);
	if (s == 0)
		return 0;
	for (i = t->slots[s].head; i != 0;) {
		const struct aip_prefix *p = prefix_of(t, i);

		i = p->peer_next;
		key_store(addr, p->family, p->key);
		ret = fn(ctx, p->family, addr, p->cidr);
		if (ret != 0)
			return ret;
	}
	return 0;
}

size_t
wg_allowedips_count(const struct wg_allowedips *t)
{
	return t != NULL ? t->count : 0;
}

size_t
wg_allowedips_memory(const struct wg_allowedips *t)
{
	if (t == NULL)
		return 0;
	return sizeof(*t) + pool_bytes(&t->prefixes) +
		pool_bytes(&t->branches) +
		(size_t)t->slots_cap * sizeof(*t->slots) +
		((size_t)t->index_mask + 1) * sizeof(*t->index);
}
