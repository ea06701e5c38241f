/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * dpdk-wg-gen: a testpmd-style traffic generator that speaks WireGuard
 * (see --help and docs/performance.md). One lcore runs everything, in
 * phases: links, ARP, handshakes, the pool of packets encrypted in
 * advance, warm-up, measured traffic, drain.
 */

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_version.h>

#include "arp.h"
#include "crypto/primitives.h"
#include "gen.h"
#include "handshake.h"
#include "pool.h"
#include "port.h"
#include "report.h"
#include "rx.h"
#include "tx.h"
#include "wireguard/constants.h"

#define GEN_LINK_WAIT_S		30
#define GEN_ARP_WAIT_S		15
#define GEN_ARP_RETRY_MS	200
#define GEN_SETTLE_MS		300	/* the gateway confirms the sessions */
#define GEN_KEEPALIVE_S		5	/* encrypt only: below KEEPALIVE_TIMEOUT */
#define GEN_QUIET_MS		100	/* nothing received: nothing in flight */

volatile sig_atomic_t gen_quit;

static struct gen gen_state;
static uint64_t gen_ns_mult;		/* TSC -> ns, 32.32 fixed point */

uint64_t
gen_now_ns(const struct gen *g)
{
	RTE_SET_USED(g);
	return (uint64_t)(((unsigned __int128)rte_rdtsc() * gen_ns_mult) >> 32);
}

uint64_t
gen_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * WG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void
gen_signal(int sig)
{
	RTE_SET_USED(sig);
	gen_quit = 1;
}

static uint64_t
gen_cycles(const struct gen *g, double s)
{
	return (uint64_t)(s * (double)g->hz);
}

/* Every data packet sent came back: nothing is in flight. */
static bool
gen_all_back(const struct gen *g)
{
	return g->tot_rx[GEN_D_DEC] == g->tot_tx[GEN_D_DEC] &&
		g->tot_rx[GEN_D_ENC] == g->tot_tx[GEN_D_ENC] &&
		(g->pool == NULL || g->pool->n_pend == 0) &&
		g->n_enc_pend == 0;
}

static void
gen_set_phase(struct gen *g, enum gen_phase ph, uint64_t now)
{
	g->phase = ph;
	g->t_phase = now;
}

/* Handshakes over: the active peers, then the pool or the traffic. */
static void
gen_handshakes_done(struct gen *g, uint64_t now)
{
	struct gen_peers *ps = g->peers;
	uint32_t i;

	for (i = 0; i < ps->n; i++) {
		struct gen_peer *p = &ps->p[i];

		if (p->state == GEN_PEER_SENT || p->state == GEN_PEER_IDLE) {
			wg_noise_handshake_clear(&p->hs, ps->index);
			p->hs_pending = false;
			p->state = GEN_PEER_FAILED;
			g->st.hs.failed++;
		}
		if (p->state == GEN_PEER_UP)
			g->active[g->n_active++] = i;
	}
	printf("handshakes: %" PRIu64 " of %u peers completed in %.3f s, %"
	       PRIu64 " failed (%" PRIu64 " initiations, %" PRIu64
	       " retries, %" PRIu64 " cookie replies)\n", g->st.hs.completed,
	       ps->n, g->st.hs.last_tsc > g->st.hs.first_tsc ?
	       gen_sec(g, g->st.hs.last_tsc - g->st.hs.first_tsc) : 0,
	       g->st.hs.failed, g->st.hs.initiations, g->st.hs.retries,
	       g->st.hs.cookies);
	fflush(stdout);
	if (g->n_active == 0) {
		fprintf(stderr, "dpdk-wg-gen: no handshake completed: is the "
			"gateway up, with the peers of --emit-config and the "
			"public key of --gw-public-key?\n");
		g->exit_code = 1;
		gen_set_phase(g, GEN_PHASE_DONE, now);
		return;
	}
	if (g->o.hs_only) {
		gen_set_phase(g, GEN_PHASE_DONE, now);
		return;
	}
	gen_set_phase(g, GEN_PHASE_FILL, now);
}

/* Start of the measured traffic: the warm-up is forgotten. */
static void
gen_measure_start(struct gen *g, uint64_t now)
{
	unsigned int d;

	for (d = 0; d < GEN_D_MAX; d++) {
		gen_dir_stats_reset(&g->st.dir[d]);
		g->tx[d].sent_measured = 0;
		g->verify_count[d] = 0;
	}
	/* packets copied out of the pool but not sent yet count */
	g->tx[GEN_D_DEC].gseq_measured = g->pool == NULL ? 0 :
		g->pool->n_pend != 0 ? g->pool->pend_gseq : g->pool->head;
	g->tx[GEN_D_ENC].gseq_measured = g->tx[GEN_D_ENC].gseq;
	if (g->wan.id >= 0)
		rte_eth_stats_get((uint16_t)g->wan.id, &g->wan.base);
	if (g->lan.id >= 0)
		rte_eth_stats_get((uint16_t)g->lan.id, &g->lan.base);
	g->t_measure = now;
	g->prev = g->st;
	g->t_prev = now;
	gen_set_phase(g, GEN_PHASE_RUN, now);
}

static void
gen_traffic_start(struct gen *g, uint64_t now)
{
	unsigned int d;

	for (d = 0; d < GEN_D_MAX; d++)
		g->tx[d].last = now;
	g->t_next_keepalive = now + gen_cycles(g, GEN_KEEPALIVE_S);
	if (g->o.warmup > 0)
		gen_set_phase(g, GEN_PHASE_WARMUP, now);
	else
		gen_measure_start(g, now);
}

static bool
gen_traffic_over(struct gen *g, uint64_t now)
{
	bool over = true;
	unsigned int d;

	if (g->o.count == 0)
		return now - g->t_measure >= gen_cycles(g, g->o.duration);
	for (d = 0; d < GEN_D_MAX; d++) {
		struct gen_tx *t = &g->tx[d];

		if (!(g->o.direction & (d == GEN_D_DEC ? GEN_DIR_DECRYPT :
					GEN_DIR_ENCRYPT)))
			continue;
		if (t->sent_measured >= g->o.count)
			t->done = true;
		over = over && t->done;
	}
	return over;
}

/* Encrypt only: keepalives so that the gateway sees its peers alive. */
static void
gen_keepalive_sweep(struct gen *g, uint64_t now)
{
	unsigned int room;

	if ((g->o.direction & GEN_DIR_DECRYPT) || now < g->t_next_keepalive)
		return;
	room = (GEN_CTL_MAX - g->wan.n_ctl) / 2;
	while (room-- > 0 && g->keepalive_cursor < g->n_active)
		gen_hs_keepalive(g, &g->peers->p[g->active[
			g->keepalive_cursor++]]);
	if (g->keepalive_cursor == g->n_active) {
		g->keepalive_cursor = 0;
		g->t_next_keepalive = now + gen_cycles(g, GEN_KEEPALIVE_S);
	}
}

static void
gen_step(struct gen *g, uint64_t now)
{
	bool lan = g->lan.id >= 0;

	switch (g->phase) {
	case GEN_PHASE_LINK:
		if (gen_port_link_up(&g->wan) && gen_port_link_up(&g->lan)) {
			gen_set_phase(g, GEN_PHASE_RESOLVE, now);
			g->t_next_arp = now;
		} else if (now - g->t_phase > gen_cycles(g, GEN_LINK_WAIT_S)) {
			fprintf(stderr, "dpdk-wg-gen: the ports' links are still "
				"down after %u s (is the gateway running?)\n",
				GEN_LINK_WAIT_S);
			g->exit_code = 1;
			gen_set_phase(g, GEN_PHASE_DONE, now);
		}
		break;
	case GEN_PHASE_RESOLVE:
		if (g->wan.gw_mac_known && (!lan || g->lan.gw_mac_known) &&
		    now != g->t_phase) {
			printf("gateway: wan mac " RTE_ETHER_ADDR_PRT_FMT,
			       RTE_ETHER_ADDR_BYTES(&g->wan.gw_mac));
			if (lan)
				printf(", lan mac " RTE_ETHER_ADDR_PRT_FMT,
				       RTE_ETHER_ADDR_BYTES(&g->lan.gw_mac));
			printf("\n");
			gen_set_phase(g, GEN_PHASE_HANDSHAKE, now);
			g->hs_last = now;
		} else if (now >= g->t_next_arp) {
			/* also teaches the gateway our MACs */
			gen_arp_request(g, &g->wan);
			if (lan)
				gen_arp_request(g, &g->lan);
			g->t_next_arp = now + gen_cycles(g,
				GEN_ARP_RETRY_MS / 1000.0);
			if (now - g->t_phase > gen_cycles(g, GEN_ARP_WAIT_S)) {
				fprintf(stderr, "dpdk-wg-gen: the gateway does "
					"not answer ARP on the %s port\n",
					g->wan.gw_mac_known ? "lan" : "wan");
				g->exit_code = 1;
				gen_set_phase(g, GEN_PHASE_DONE, now);
			}
		}
		break;
	case GEN_PHASE_HANDSHAKE:
		gen_hs_poll(g, now);
		if (g->hs_settled == g->peers->n || gen_quit ||
		    now - g->t_phase > gen_cycles(g, g->o.hs_wait))
			gen_handshakes_done(g, now);
		break;
	case GEN_PHASE_FILL:
		if (g->pool != NULL && gen_pool_ready(g->pool) < g->pool->n &&
		    gen_pool_fill(g, 4096) != 0)
			break;
		if (now - g->t_phase >= gen_cycles(g, GEN_SETTLE_MS / 1000.0))
			gen_traffic_start(g, now);
		break;
	case GEN_PHASE_WARMUP:
	case GEN_PHASE_RUN:
		gen_tx_poll(g, now);
		/*
		 * Refill only when the port pushes back (the loop has time)
		 * or the pool runs low: the gateway's decryption is measured
		 * against packets encrypted before the measurement.
		 */
		if (g->pool != NULL &&
		    (g->tx[GEN_D_DEC].full_since != 0 ||
		     gen_pool_ready(g->pool) < g->pool->n / 4))
			gen_pool_fill(g, 32);
		gen_hs_poll(g, now);
		gen_keepalive_sweep(g, now);
		if (g->phase == GEN_PHASE_WARMUP) {
			/* let the warm-up's packets arrive: exact counts */
			if (now - g->t_phase >= gen_cycles(g, g->o.warmup))
				gen_set_phase(g, GEN_PHASE_QUIESCE, now);
		} else if (gen_traffic_over(g, now)) {
			g->t_tx_end = now;
			gen_set_phase(g, GEN_PHASE_DRAIN, now);
		}
		break;
	case GEN_PHASE_QUIESCE:
		/* all back, or lost: nothing quiet that long is in flight */
		gen_tx_flush(g);
		/* and the pool full again for the measurement */
		if (g->pool != NULL && gen_pool_ready(g->pool) < g->pool->n &&
		    gen_pool_fill(g, 1024) != 0)
			break;
		if (gen_all_back(g) ||
		    (now - g->t_last_rx >= gen_cycles(g, GEN_QUIET_MS / 1000.0) &&
		     now - g->t_phase >= gen_cycles(g, GEN_QUIET_MS / 1000.0)) ||
		    now - g->t_phase >= gen_cycles(g, g->o.drain_ms / 1000.0))
			gen_measure_start(g, now);
		break;
	case GEN_PHASE_DRAIN:
		gen_tx_flush(g);
		if (gen_all_back(g) ||
		    now - g->t_phase >= gen_cycles(g, g->o.drain_ms / 1000.0))
			gen_set_phase(g, GEN_PHASE_DONE, now);
		break;
	case GEN_PHASE_DONE:
		break;
	}
}

static void
gen_run(struct gen *g)
{
	uint64_t period = gen_cycles(g, g->o.stats_period);
	uint64_t now = rte_rdtsc();

	gen_set_phase(g, GEN_PHASE_LINK, now);
	g->t_next_report = now + period;
	g->t_prev = now;
	while (g->phase != GEN_PHASE_DONE) {
		now = rte_rdtsc();
		if (gen_rx_poll(g, now) != 0)
			g->t_last_rx = now;
		gen_port_ctl_flush(g, &g->wan);
		if (g->lan.id >= 0)
			gen_port_ctl_flush(g, &g->lan);
		gen_step(g, now);
		if (period != 0 && now >= g->t_next_report) {
			gen_report_periodic(g, now);
			g->t_next_report += period;
			if (g->t_next_report <= now)
				g->t_next_report = now + period;
		}
		if (gen_quit && g->phase != GEN_PHASE_DRAIN &&
		    g->phase != GEN_PHASE_DONE) {
			if (g->phase == GEN_PHASE_WARMUP ||
			    g->phase == GEN_PHASE_QUIESCE ||
			    g->phase == GEN_PHASE_RUN) {
				if (g->t_measure == 0)
					g->t_measure = now;
				g->t_tx_end = now;
				gen_set_phase(g, GEN_PHASE_DRAIN, now);
			} else if (g->phase != GEN_PHASE_HANDSHAKE) {
				gen_set_phase(g, GEN_PHASE_DONE, now);
			}
		}
	}
}

/* Inner size from the padded length, where the --size list allows it. */
static void
gen_size_table(struct gen *g)
{
	uint32_t i, p;

	for (i = 0; i < g->o.n_sizes; i++) {
		p = gen_padded_len(g, g->o.sizes[i]);
		if (p >= GEN_MAX_FRAME)
			continue;
		if (g->size_of_padded[p] == 0)
			g->size_of_padded[p] = g->o.sizes[i];
		else if (g->size_of_padded[p] != g->o.sizes[i])
			g->size_of_padded[p] = (uint16_t)p;	/* ambiguous */
	}
}

static void
gen_print_setup(const struct gen *g)
{
	char a[4][INET_ADDRSTRLEN];
	const struct gen_options *o = &g->o;

	inet_ntop(AF_INET, &o->gw_wan_ip, a[0], sizeof(a[0]));
	inet_ntop(AF_INET, &o->wan_ip, a[1], sizeof(a[1]));
	inet_ntop(AF_INET, &o->peer_ip, a[2], sizeof(a[2]));
	inet_ntop(AF_INET, &o->tunnel_ip, a[3], sizeof(a[3]));
	printf("dpdk-wg-gen (%s): %u peers, direction %s, rate %s, %s "
	       "%.3g%s\n", rte_version(), o->n_peers,
	       gen_direction_name(o->direction), o->rate > 0 ? "limited" :
	       "maximum", o->count != 0 ? "count" : "duration",
	       o->count != 0 ? (double)o->count : o->duration,
	       o->count != 0 ? " packets" : " s");
	printf("gateway %s:%u; wan address %s; peers' outer addresses from "
	       "%s:%u, tunnel addresses from %s\n", a[0], o->gw_port, a[1],
	       a[2], o->peer_port, a[3]);
	inet_ntop(AF_INET, &o->lan_ip, a[0], sizeof(a[0]));
	inet_ntop(AF_INET, &o->gw_lan_ip, a[1], sizeof(a[1]));
	printf("lan host %s via gateway %s; AEAD %s; TSC %.3f GHz\n", a[0],
	       a[1], wg_aead_engine_name(g->engine), (double)g->hz / 1e9);
	fflush(stdout);
}

static int
gen_setup(struct gen *g)
{
	struct gen_options *o = &g->o;
	uint32_t max_frame = 0, i;

	g->hz = rte_get_tsc_hz();
	gen_ns_mult = (WG_NSEC_PER_SEC << 32) / g->hz;
	g->hs_timeout = gen_cycles(g, o->hs_timeout);
	gen_pattern_init();
	g->engine = wg_aead_engine_create(WG_AEAD_IMPL_AUTO);
	if (g->engine == NULL) {
		fprintf(stderr, "dpdk-wg-gen: no AEAD engine\n");
		return -1;
	}
	gen_print_setup(g);
	printf("peers: deriving %u key pairs...\n", o->n_peers);
	fflush(stdout);
	g->peers = gen_peers_create(o);
	if (g->peers == NULL)
		return -1;
	g->active = calloc(o->n_peers, sizeof(*g->active));
	if (g->active == NULL)
		return -1;
	gen_size_table(g);
	for (i = 0; i < o->n_sizes; i++)
		max_frame = RTE_MAX(max_frame, (uint32_t)(GEN_FRAME_HDRS +
			WG_DATA_LEN(gen_padded_len(g, o->sizes[i]))));
	if (gen_mempool_create(g, max_frame) != 0)
		return -1;
	g->wan.ip = o->wan_ip;
	g->wan.gw_ip = o->gw_wan_ip;
	g->lan.ip = o->lan_ip;
	g->lan.gw_ip = o->gw_lan_ip;
	if (o->has_gw_wan_mac) {
		memcpy(g->wan.gw_mac.addr_bytes, o->gw_wan_mac, 6);
		g->wan.gw_mac_known = true;
	}
	if (o->has_gw_lan_mac) {
		memcpy(g->lan.gw_mac.addr_bytes, o->gw_lan_mac, 6);
		g->lan.gw_mac_known = true;
	}
	g->wan.id = -1;
	g->lan.id = -1;
	if (gen_port_setup(g, &g->wan, o->wan_port, "wan") != 0 ||
	    gen_port_setup(g, &g->lan, o->lan_port, "lan") != 0)
		return -1;
	if (o->direction & GEN_DIR_DECRYPT) {
		g->tx_tsc = calloc(1u << GEN_TX_TSC_BITS, sizeof(*g->tx_tsc));
		g->pool = gen_pool_create(g);
		if (g->tx_tsc == NULL || g->pool == NULL)
			return -1;
		printf("pool: %" PRIu64 " packets of up to %u bytes encrypted "
		       "in advance (%" PRIu64 " MiB)\n", g->pool->n,
		       g->pool->stride, o->pool_mb);
	}
	return 0;
}

static void
gen_teardown(struct gen *g)
{
	gen_tx_release(g);
	gen_port_close(&g->wan);
	gen_port_close(&g->lan);
	gen_pool_free(g->pool);
	free(g->tx_tsc);
	free(g->active);
	gen_peers_free(g->peers);
	wg_aead_engine_free(g->engine);
	rte_mempool_free(g->mp);
}

/* --emit-config and --help need no EAL: parse the options alone. */
static bool
gen_no_eal(int argc, char **argv, int *first)
{
	int i, start = 1;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			start = i + 1;
			break;
		}
	for (i = start; i < argc; i++)
		if (strcmp(argv[i], "--emit-config") == 0 ||
		    strncmp(argv[i], "--emit-config=", 14) == 0 ||
		    strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			*first = start;
			return true;
		}
	return false;
}

int
main(int argc, char **argv)
{
	struct gen *g = &gen_state;
	struct sigaction sa;
	char **args;
	int ret, first = 1, i;

	if (wg_crypto_init() != 0) {
		fprintf(stderr, "dpdk-wg-gen: libsodium: cannot initialise\n");
		return 1;
	}
	if (gen_no_eal(argc, argv, &first)) {
		args = calloc((size_t)(argc - first + 2), sizeof(*args));
		if (args == NULL)
			return 1;
		args[0] = argv[0];
		for (i = first; i < argc; i++)
			args[i - first + 1] = argv[i];
		ret = gen_options_parse(&g->o, argc - first + 1, args);
		free(args);
		if (ret != 0)
			return 2;
		if (g->o.help) {
			gen_options_usage(stdout, argv[0]);
			return 0;
		}
		return gen_peers_emit_config(&g->o, stdout) == 0 ? 0 : 1;
	}

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "dpdk-wg-gen: EAL initialisation failed: %s "
			"(EAL options, then -- and the generator's options; "
			"see --help)\n", rte_strerror(rte_errno));
		return 2;
	}
	argc -= ret;
	argv += ret;
	if (gen_options_parse(&g->o, argc, argv) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	if (g->o.help) {
		gen_options_usage(stdout, argv[0]);
		rte_eal_cleanup();
		return 0;
	}
	if (g->o.emit_config != 0) {
		ret = gen_peers_emit_config(&g->o, stdout) == 0 ? 0 : 1;
		rte_eal_cleanup();
		return ret;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gen_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (gen_setup(g) != 0) {
		gen_teardown(g);
		rte_eal_cleanup();
		return 1;
	}
	gen_run(g);
	if (g->t_measure != 0)
		gen_report_final(g, stdout);
	else if (g->st.hs.initiations != 0)
		printf("handshakes: %" PRIu64 " completed, %" PRIu64
		       " failed\n", g->st.hs.completed, g->st.hs.failed);
	if (g->o.peer_stats_file != NULL &&
	    gen_report_peers(g, g->o.peer_stats_file) != 0)
		g->exit_code = 1;
	gen_report_json(g, stdout);
	ret = g->exit_code;
	gen_teardown(g);
	rte_eal_cleanup();
	return ret;
}
