/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Replay window tests: the fixed sequence of the Linux counter self-test
 * (same inputs, same expected verdicts), full-window sweeps in both
 * directions, and randomised orderings checked against a plain model.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "wireguard/replay.h"

#define WIN	WG_COUNTER_WINDOW_SIZE
#define REJECT	WG_REJECT_AFTER_MESSAGES
/* One past the window: the first counter that pushes 0 out of it. */
#define LIM	(WIN + 1)

static struct wg_replay win;
static unsigned int step;

static void
expect(uint64_t counter, bool fresh)
{
	bool got = wg_replay_check(&win, counter);

	step++;
	if (got != fresh)
		fprintf(stderr, "step %u: counter %llu: got %d, want %d\n",
			step, (unsigned long long)counter, got, fresh);
	CHECK(got == fresh);
}

static void
reset(void)
{
	wg_replay_init(&win);
}

/* The 34 numbered checks of the Linux self-test, in order. */
static void
test_linux_sequence(void)
{
	reset();
	step = 0;
	expect(0, true);			/*  1 */
	expect(1, true);			/*  2 */
	expect(1, false);			/*  3 */
	expect(9, true);			/*  4 */
	expect(8, true);			/*  5 */
	expect(7, true);			/*  6 */
	expect(7, false);			/*  7 */
	expect(LIM, true);			/*  8 */
	expect(LIM - 1, true);			/*  9 */
	expect(LIM - 1, false);			/* 10 */
	expect(LIM - 2, true);			/* 11 */
	expect(2, true);			/* 12 */
	expect(2, false);			/* 13 */
	expect(LIM + 16, true);			/* 14 */
	expect(3, false);			/* 15 */
	expect(LIM + 16, false);		/* 16 */
	expect(LIM * 4, true);			/* 17 */
	expect(LIM * 4 - (LIM - 1), true);	/* 18 */
	expect(10, false);			/* 19 */
	expect(LIM * 4 - LIM, false);		/* 20 */
	expect(LIM * 4 - (LIM + 1), false);	/* 21 */
	expect(LIM * 4 - (LIM - 2), true);	/* 22 */
	expect(LIM * 4 + 1 - LIM, false);	/* 23 */
	expect(0, false);			/* 24 */
	expect(REJECT, false);			/* 25 */
	expect(REJECT - 1, true);		/* 26 */
	expect(REJECT, false);			/* 27 */
	expect(REJECT - 1, false);		/* 28 */
	expect(REJECT - 2, true);		/* 29 */
	expect(REJECT + 1, false);		/* 30 */
	expect(REJECT + 2, false);		/* 31 */
	expect(REJECT - 2, false);		/* 32 */
	expect(REJECT - 3, true);		/* 33 */
	expect(0, false);			/* 34 */
	CHECK(step == 34);
}

/* The six window sweeps that follow in the Linux self-test. */
static void
test_linux_sweeps(void)
{
	uint64_t i;

	/* 1..WIN ascending, then 0 is still exactly inside. */
	reset();
	for (i = 1; i <= WIN; i++)
		expect(i, true);
	expect(0, true);
	expect(0, false);

	/* 2..WIN+1 ascending: 1 is the oldest still inside, 0 is out. */
	reset();
	for (i = 2; i <= WIN + 1; i++)
		expect(i, true);
	expect(1, true);
	expect(0, false);

	/* WIN..0 descending: every one fits. */
	reset();
	for (i = WIN + 1; i-- > 0;)
		expect(i, true);

	/* WIN+1..1 descending, then 0 is one too old. */
	reset();
	for (i = WIN + 2; i-- > 1;)
		expect(i, true);
	expect(0, false);

	/* WIN..1 descending, then WIN+1 moves the front, 0 falls out. */
	reset();
	for (i = WIN + 1; i-- > 1;)
		expect(i, true);
	expect(WIN + 1, true);
	expect(0, false);

	/* WIN..1 descending, 0 still fits, then WIN+1 is new. */
	reset();
	for (i = WIN + 1; i-- > 1;)
		expect(i, true);
	expect(0, true);
	expect(WIN + 1, true);
}

/* Window edges and jumps the ring must survive. */
static void
test_edges(void)
{
	uint64_t i, top;

	/* A fresh window accepts any counter below the limit. */
	reset();
	expect(REJECT - 1, true);
	expect(REJECT - 1 - WIN, true);
	expect(REJECT - 2 - WIN, false);
	reset();
	expect(UINT64_MAX, false);
	expect(REJECT, false);
	CHECK(win.greatest == 0);
	expect(0, true);
	CHECK(win.greatest == 1);

	/* Exactly WIN behind the top is inside, WIN + 1 behind is not. */
	reset();
	top = 1000000;
	expect(top, true);
	expect(top - WIN, true);
	expect(top - WIN - 1, false);
	expect(top - 1, true);
	CHECK(win.greatest == top + 1);

	/* Many laps around the ring in order, each replay rejected. */
	reset();
	for (i = 0; i < 5 * WG_COUNTER_BITS_TOTAL; i++) {
		expect(i, true);
		expect(i, false);
	}

	/* Jumps of exactly one ring, and of one word less and more. */
	reset();
	expect(100, true);
	expect(100 + WG_COUNTER_BITS_TOTAL, true);
	expect(100, false);	/* out of the window, not "unseen" */
	expect(100 + WG_COUNTER_BITS_TOTAL - WIN, true);
	expect(100 + 2 * WG_COUNTER_BITS_TOTAL - 64, true);
	/* the back edge is now exactly the counter seen two steps ago */
	expect(100 + 2 * WG_COUNTER_BITS_TOTAL - 64 - WIN, false);
	expect(100 + 2 * WG_COUNTER_BITS_TOTAL - 63 - WIN, true);
	expect(100 + 3 * WG_COUNTER_BITS_TOTAL + 64, true);
	expect(100 + 3 * WG_COUNTER_BITS_TOTAL + 64 - WIN, true);
	expect(100 + 3 * WG_COUNTER_BITS_TOTAL + 64 - WIN, false);

	/* After a huge jump the stale bits of the ring are all gone. */
	reset();
	for (i = 0; i < WG_COUNTER_BITS_TOTAL; i++)
		expect(i, true);
	top = (uint64_t)1 << 40;
	expect(top, true);
	for (i = 1; i <= WIN; i++)
		expect(top - i, true);
	expect(top - WIN - 1, false);
}

/* ---- randomised orderings against a model ---- */

static uint64_t rng_state, total_rounds;

static uint64_t
rng(void)
{
	/* xorshift64*: deterministic, seed printed for reproduction */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

#define SPAN	(1u << 24)	/* counters tested per run, above a base */

struct model {
	uint64_t base;
	uint64_t greatest;	/* highest accepted + 1, 0 = none */
	uint64_t *seen;		/* one bit per counter in [base, base+SPAN) */
};

static bool
model_check(struct model *m, uint64_t c)
{
	if (c >= REJECT)
		return false;
	if (c + 1 + WIN < m->greatest)
		return false;
	c -= m->base;
	if (m->seen[c / 64] & (UINT64_C(1) << (c % 64)))
		return false;
	m->seen[c / 64] |= UINT64_C(1) << (c % 64);
	c += m->base;
	if (c + 1 > m->greatest)
		m->greatest = c + 1;
	return true;
}

static void
random_run(uint64_t base, unsigned int rounds)
{
	struct model m = { .base = base, .greatest = 0 };
	uint64_t cur = base, c, mismatches = 0, done = 0;
	unsigned int i;

	m.seen = calloc(SPAN / 64, sizeof(uint64_t));
	CHECK(m.seen != NULL);
	if (m.seen == NULL)
		return;
	reset();
	for (i = 0; i < rounds; i++) {
		uint64_t r = rng(), off;

		switch (r % 16) {
		case 0:		/* forward jump, up to two rings, now and then */
			off = (r >> 8) % (2 * WG_COUNTER_BITS_TOTAL);
			c = cur + ((r >> 4) % 4 == 0 ? off : off / 64);
			break;
		case 1:		/* around the back edge of the window */
			off = WIN - 8 + (r >> 8) % 16;
			c = cur > base + off ? cur - off : base;
			break;
		case 2:		/* replay of the front */
			c = cur;
			break;
		default:	/* reordering: within +-1.2 windows */
			off = (r >> 8) % (WIN + WIN / 5);
			if (r & 0x10)
				c = cur + off / 64;
			else
				c = cur > base + off ? cur - off : base;
			break;
		}
		/* end of the span (or of the counter space: c wrapped) */
		if (c < base || c - base >= SPAN)
			break;
		done++;
		if (c > cur)
			cur = c;
		if (wg_replay_check(&win, c) != model_check(&m, c))
			mismatches++;
	}
	if (mismatches)
		fprintf(stderr, "random run at base %llu: %llu mismatches\n",
			(unsigned long long)base,
			(unsigned long long)mismatches);
	CHECK(mismatches == 0);
	CHECK(win.greatest == m.greatest);
	/* the run covered a meaningful number of packets */
	CHECK(done >= rounds / 4);
	total_rounds += done;
	free(m.seen);
}

/* A shuffled block that fits the window: all fresh, then all replays. */
static void
shuffled_block(uint64_t base, uint64_t len)
{
	uint64_t *perm = malloc(len * sizeof(*perm));
	uint64_t i, ok = 0, again = 0;

	CHECK(perm != NULL);
	if (perm == NULL)
		return;
	for (i = 0; i < len; i++)
		perm[i] = base + i;
	for (i = len - 1; i > 0; i--) {
		uint64_t j = rng() % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	reset();
	for (i = 0; i < len; i++)
		ok += wg_replay_check(&win, perm[i]);
	for (i = 0; i < len; i++)
		again += wg_replay_check(&win, perm[i]);
	CHECK(ok == len);
	CHECK(again == 0);
	free(perm);
}

static void
test_random(void)
{
	const char *env = getenv("WG_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : UINT64_C(0x5eed1e55);
	unsigned int i;

	rng_state = seed ? seed : 1;
	printf("replay random seed 0x%llx\n", (unsigned long long)seed);
	for (i = 0; i < 8; i++)
		random_run((uint64_t)i * 3 * SPAN, 120000);
	/* Straddling the reject limit. */
	random_run(UINT64_MAX - SPAN, 120000);
	random_run(REJECT + 2 - SPAN, 120000);
	printf("replay random: %llu packets checked against the model\n",
	       (unsigned long long)total_rounds);
	for (i = 0; i < 16; i++)
		shuffled_block(rng() % (REJECT - WIN - 1), WIN + 1);
	/* Block starting at the very last usable counters. */
	shuffled_block(REJECT - WIN - 1, WIN + 1);
}

int
main(void)
{
	test_linux_sequence();
	test_linux_sweeps();
	test_edges();
	test_random();
	TEST_MAIN_END();
}
