/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_BENCH_COMMON_H
#define WG_BENCH_COMMON_H

/*
 * Timing shared by the cycle-counting micro-benchmarks: rdtsc (monotonic
 * nanoseconds where there is no TSC), the TSC frequency measured against
 * CLOCK_MONOTONIC, pinning to one CPU, and sorting the runs of a case so
 * the best and the median can be read off.
 */

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

static inline uint64_t
wg_bench_cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
#endif
}

static inline double
wg_bench_mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Cycles per second of wg_bench_cycles(), measured over span seconds. */
static inline double
wg_bench_tsc_hz(double span)
{
	double t0, t1;
	uint64_t c0, c1;

	t0 = wg_bench_mono_seconds();
	c0 = wg_bench_cycles();
	do {
		t1 = wg_bench_mono_seconds();
	} while (t1 - t0 < span);
	c1 = wg_bench_cycles();
	return (double)(c1 - c0) / (t1 - t0);
}

/*
 * Pins the calling thread to cpu (negative: the last CPU allowed);
 * returns the CPU, or -1 if pinning failed.
 */
static inline int
wg_bench_pin_cpu(int cpu)
{
	cpu_set_t set;
	int i;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set) != 0)
			return -1;
		for (i = CPU_SETSIZE - 1; i >= 0; i--)
			if (CPU_ISSET(i, &set))
				break;
		cpu = i;
	}
	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		return -1;
	return cpu;
}

/* Sorts the n runs of a case, ascending: x[0] the best, x[n / 2] the median. */
static inline void
wg_bench_sort_runs(double *x, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && x[j - 1] > x[j]; j--) {
			double t = x[j];

			x[j] = x[j - 1];
			x[j - 1] = t;
		}
}

#endif /* WG_BENCH_COMMON_H */
