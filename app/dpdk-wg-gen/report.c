/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include <rte_ethdev.h>

#include "pool.h"
#include "report.h"

static const char *const gen_dir_names[GEN_D_MAX] = {
	[GEN_D_DEC] = "decrypt",
	[GEN_D_ENC] = "encrypt",
};

static const char *const gen_dir_paths[GEN_D_MAX] = {
	[GEN_D_DEC] = "peers -> gateway -> LAN",
	[GEN_D_ENC] = "LAN -> gateway -> peers",
};

static bool
gen_dir_on(const struct gen *g, enum gen_dir_idx d)
{
	return (g->o.direction & (d == GEN_D_DEC ? GEN_DIR_DECRYPT :
				  GEN_DIR_ENCRYPT)) != 0;
}

/* Seconds of measured traffic so far (or in all, once it ended). */
static double
gen_measured_s(const struct gen *g, uint64_t now)
{
	uint64_t end;

	if (g->t_measure == 0)
		return 0;
	end = g->t_tx_end != 0 ? g->t_tx_end : now;
	return end > g->t_measure ? gen_sec(g, end - g->t_measure) : 0;
}

static uint64_t
gen_loss(const struct gen_dir_stats *d)
{
	return d->tx_pkts > d->rx_pkts ? d->tx_pkts - d->rx_pkts : 0;
}

void
gen_report_periodic(struct gen *g, uint64_t now)
{
	double dt = gen_sec(g, now - g->t_prev), t;
	const struct gen_hs_stats *h = &g->st.hs, *ph = &g->prev.hs;
	unsigned int d;

	if (g->t_prev == 0 || dt <= 0)
		dt = 1;
	t = gen_sec(g, now - g->t_phase);
	switch (g->phase) {
	case GEN_PHASE_LINK:
	case GEN_PHASE_RESOLVE:
		printf("[%8.2f s] %s: waiting for the %s\n", t,
		       g->phase == GEN_PHASE_LINK ? "link" : "arp",
		       g->phase == GEN_PHASE_LINK ? "ports' links" :
		       "gateway's MAC addresses");
		break;
	case GEN_PHASE_HANDSHAKE:
		printf("[%8.2f s] handshakes: up %" PRIu64 "/%u (%.0f/s) "
		       "failed %" PRIu64 " initiations %" PRIu64
		       " retries %" PRIu64 " cookies %" PRIu64
		       " refused %" PRIu64 "\n", t, h->completed, g->peers->n,
		       (double)(h->completed - ph->completed) / dt, h->failed,
		       h->initiations, h->retries, h->cookies,
		       h->responses_bad);
		break;
	case GEN_PHASE_FILL:
		if (g->pool != NULL)
			printf("[%8.2f s] pool: %" PRIu64 "/%" PRIu64
			       " packets encrypted in advance\n", t,
			       gen_pool_ready(g->pool), g->pool->n);
		break;
	case GEN_PHASE_WARMUP:
	case GEN_PHASE_QUIESCE:
	case GEN_PHASE_RUN:
	case GEN_PHASE_DRAIN:
		for (d = 0; d < GEN_D_MAX; d++) {
			const struct gen_dir_stats *c = &g->st.dir[d];
			const struct gen_dir_stats *p = &g->prev.dir[d];

			if (!gen_dir_on(g, d))
				continue;
			printf("[%8.2f s] %-8s %s tx %7.3f Mpps %7.3f Gbit/s |"
			       " rx %7.3f Mpps %7.3f Gbit/s | in flight %" PRIu64
			       " | lat p50 %.1f p99 %.1f us\n",
			       gen_measured_s(g, now), gen_dir_names[d],
			       g->phase == GEN_PHASE_WARMUP ||
			       g->phase == GEN_PHASE_QUIESCE ? "(warm-up)" :
			       g->phase == GEN_PHASE_DRAIN ? "(drain)  " :
			       "         ",
			       (double)(c->tx_pkts - p->tx_pkts) / dt / 1e6,
			       (double)(c->tx_l3_bytes - p->tx_l3_bytes) * 8 /
			       dt / 1e9,
			       (double)(c->rx_pkts - p->rx_pkts) / dt / 1e6,
			       (double)(c->rx_l3_bytes - p->rx_l3_bytes) * 8 /
			       dt / 1e9, gen_loss(c),
			       (double)gen_lat_quantile(&c->lat, 0.5) / 1e3,
			       (double)gen_lat_quantile(&c->lat, 0.99) / 1e3);
		}
		break;
	case GEN_PHASE_DONE:
		break;
	}
	fflush(stdout);
	g->prev = g->st;
	g->t_prev = now;
}

/* Data packets per direction since the start, all peers (not reset). */
static void
gen_totals(const struct gen *g, uint64_t tx[GEN_D_MAX], uint64_t rx[GEN_D_MAX])
{
	unsigned int d;
	uint32_t i;

	for (d = 0; d < GEN_D_MAX; d++) {
		tx[d] = 0;
		rx[d] = 0;
	}
	for (i = 0; i < g->peers->n; i++)
		for (d = 0; d < GEN_D_MAX; d++) {
			tx[d] += g->peers->p[i].tx_pkts[d];
			rx[d] += g->peers->p[i].rx_pkts[d];
		}
}

static double
gen_hs_time(const struct gen *g)
{
	const struct gen_hs_stats *h = &g->st.hs;

	if (h->completed == 0 || h->last_tsc < h->first_tsc)
		return 0;
	return gen_sec(g, h->last_tsc - h->first_tsc);
}

static void
gen_report_port(FILE *f, const struct gen_port *p)
{
	struct rte_eth_stats s;

	if (p->id < 0 || rte_eth_stats_get((uint16_t)p->id, &s) != 0)
		return;
	fprintf(f, "  port %s (measured): RX-packets %" PRIu64 " RX-missed %"
		PRIu64 " RX-errors %" PRIu64 " RX-nombuf %" PRIu64
		" TX-packets %" PRIu64 " TX-errors %" PRIu64 "\n", p->name,
		s.ipackets - p->base.ipackets, s.imissed - p->base.imissed,
		s.ierrors - p->base.ierrors, s.rx_nombuf - p->base.rx_nombuf,
		s.opackets - p->base.opackets, s.oerrors - p->base.oerrors);
}

static void
gen_sizes_str(const struct gen *g, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	if (g->o.imix) {
		snprintf(buf, len, "imix");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < g->o.n_sizes && off + 8 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u",
					i != 0 ? "," : "", g->o.sizes[i]);
}

void
gen_report_final(struct gen *g, FILE *f)
{
	const struct gen_hs_stats *h = &g->st.hs;
	const struct gen_misc_stats *x = &g->st.misc;
	double secs = gen_measured_s(g, rte_rdtsc());
	uint64_t tot_tx[GEN_D_MAX], tot_rx[GEN_D_MAX];
	char sizes[128];
	unsigned int d;

	gen_sizes_str(g, sizes, sizeof(sizes));
	gen_totals(g, tot_tx, tot_rx);
	fprintf(f, "\n  ---------------------- dpdk-wg-gen: final statistics "
		"----------------------\n");
	fprintf(f, "  peers %u: up %" PRIu64 ", failed %" PRIu64
		"; direction %s; sizes %s (inner IPv4 bytes); measured %.3f s\n",
		g->peers->n, h->completed, h->failed,
		gen_direction_name(g->o.direction), sizes, secs);
	fprintf(f, "  handshakes: %" PRIu64 " completed in %.3f s (%.0f/s);"
		" initiations %" PRIu64 ", retries %" PRIu64
		", cookie replies %" PRIu64 " (retried %" PRIu64
		"), responses refused %" PRIu64 ", rekeys %" PRIu64
		", keepalives sent %" PRIu64 "\n", h->completed,
		gen_hs_time(g), gen_hs_time(g) > 0 ?
		(double)h->completed / gen_hs_time(g) : 0, h->initiations,
		h->retries, h->cookies, h->cookie_retries, h->responses_bad,
		h->rekeys, h->keepalives);
	for (d = 0; d < GEN_D_MAX; d++) {
		const struct gen_dir_stats *c = &g->st.dir[d];
		const struct gen_lat *l = &c->lat;
		double s = secs > 0 ? secs : 1;

		if (!gen_dir_on(g, d))
			continue;
		fprintf(f, "  %s (%s):\n", gen_dir_names[d], gen_dir_paths[d]);
		fprintf(f, "    TX-packets: %-12" PRIu64 " TX-Mpps: %8.3f  "
			"TX-Gbit/s: %7.3f l3 %7.3f wire\n", c->tx_pkts,
			(double)c->tx_pkts / s / 1e6,
			(double)c->tx_l3_bytes * 8 / s / 1e9,
			(double)c->tx_wire_bytes * 8 / s / 1e9);
		fprintf(f, "    RX-packets: %-12" PRIu64 " RX-Mpps: %8.3f  "
			"RX-Gbit/s: %7.3f l3 %7.3f wire\n", c->rx_pkts,
			(double)c->rx_pkts / s / 1e6,
			(double)c->rx_l3_bytes * 8 / s / 1e9,
			(double)c->rx_wire_bytes * 8 / s / 1e9);
		fprintf(f, "    lost: %" PRIu64 " (%.4f %%), %s gaps %" PRIu64
			", late %" PRIu64 "; verified %" PRIu64 ", failed %"
			PRIu64 "; TX ring full %.3f s",
			gen_loss(c), c->tx_pkts != 0 ?
			100.0 * (double)gen_loss(c) / (double)c->tx_pkts : 0,
			d == GEN_D_DEC ? "sequence" : "counter", c->seq_gap,
			c->seq_late, c->verified, c->verify_failed,
			gen_sec(g, c->backpressure_cycles));
		if (d == GEN_D_DEC)
			fprintf(f, "; pool empty %.3f s",
				gen_sec(g, c->pool_empty_cycles));
		fprintf(f, "\n    latency (us): samples %" PRIu64 " min %.1f "
			"p50 %.1f p99 %.1f p99.9 %.1f max %.1f\n", l->n,
			(double)l->min / 1e3,
			(double)gen_lat_quantile(l, 0.5) / 1e3,
			(double)gen_lat_quantile(l, 0.99) / 1e3,
			(double)gen_lat_quantile(l, 0.999) / 1e3,
			(double)l->max / 1e3);
	}
	gen_report_port(f, &g->wan);
	gen_report_port(f, &g->lan);
	fprintf(f, "  other: arp requests rx %" PRIu64 " tx %" PRIu64
		", replies rx %" PRIu64 " tx %" PRIu64 "; wg keepalives rx %"
		PRIu64 ", initiations rx %" PRIu64 ", unknown index %" PRIu64
		", decrypt failed %" PRIu64 ", invalid %" PRIu64
		"; not for us %" PRIu64 ", malformed %" PRIu64
		", control dropped %" PRIu64 ", no mbuf %" PRIu64 "\n",
		x->arp_requests_rx, x->arp_requests_tx, x->arp_replies_rx,
		x->arp_replies_tx, x->wg_keepalives_rx, x->wg_initiations_rx,
		x->wg_unknown_index, x->wg_decrypt_failed, x->wg_invalid,
		x->not_for_us, x->malformed, x->ctl_dropped, x->no_mbuf);
	fprintf(f, "  since start (compare with the gateway's counters): "
		"decrypt data sent %" PRIu64 " received %" PRIu64
		"; encrypt data sent %" PRIu64 " received %" PRIu64
		"; keepalives sent %" PRIu64 " received %" PRIu64 "\n",
		tot_tx[GEN_D_DEC], tot_rx[GEN_D_DEC], tot_tx[GEN_D_ENC],
		tot_rx[GEN_D_ENC], h->keepalives, x->wg_keepalives_rx);
	fprintf(f, "  ------------------------------------------------------"
		"----------------------\n");
	fflush(f);
}

static void
gen_json_dir(struct gen *g, FILE *f, enum gen_dir_idx d, double secs)
{
	const struct gen_dir_stats *c = &g->st.dir[d];
	const struct gen_lat *l = &c->lat;
	double s = secs > 0 ? secs : 1;

	fprintf(f, ",\"%s\":{\"tx_pkts\":%" PRIu64 ",\"rx_pkts\":%" PRIu64
		",\"tx_pps\":%.0f,\"rx_pps\":%.0f,\"tx_mpps\":%.4f,"
		"\"rx_mpps\":%.4f,\"tx_l3_gbps\":%.4f,\"rx_l3_gbps\":%.4f,"
		"\"tx_wire_gbps\":%.4f,\"rx_wire_gbps\":%.4f,"
		"\"loss_pkts\":%" PRIu64 ",\"loss_ratio\":%.6f,"
		"\"seq_gaps\":%" PRIu64 ",\"late\":%" PRIu64
		",\"verified\":%" PRIu64 ",\"verify_failed\":%" PRIu64
		",\"tx_ring_full_s\":%.4f", gen_dir_names[d], c->tx_pkts,
		c->rx_pkts, (double)c->tx_pkts / s, (double)c->rx_pkts / s,
		(double)c->tx_pkts / s / 1e6, (double)c->rx_pkts / s / 1e6,
		(double)c->tx_l3_bytes * 8 / s / 1e9,
		(double)c->rx_l3_bytes * 8 / s / 1e9,
		(double)c->tx_wire_bytes * 8 / s / 1e9,
		(double)c->rx_wire_bytes * 8 / s / 1e9, gen_loss(c),
		c->tx_pkts != 0 ? (double)gen_loss(c) / (double)c->tx_pkts : 0,
		c->seq_gap, c->seq_late, c->verified, c->verify_failed,
		gen_sec(g, c->backpressure_cycles));
	if (d == GEN_D_DEC)
		fprintf(f, ",\"pool_empty_s\":%.4f",
			gen_sec(g, c->pool_empty_cycles));
	fprintf(f, ",\"latency_us\":{\"samples\":%" PRIu64 ",\"min\":%.2f,"
		"\"p50\":%.2f,\"p99\":%.2f,\"p999\":%.2f,\"max\":%.2f,"
		"\"mean\":%.2f}}", l->n, (double)l->min / 1e3,
		(double)gen_lat_quantile(l, 0.5) / 1e3,
		(double)gen_lat_quantile(l, 0.99) / 1e3,
		(double)gen_lat_quantile(l, 0.999) / 1e3, (double)l->max / 1e3,
		l->n != 0 ? (double)l->sum / (double)l->n / 1e3 : 0);
}

void
gen_report_json(struct gen *g, FILE *f)
{
	const struct gen_hs_stats *h = &g->st.hs;
	uint64_t tx[GEN_D_MAX], rx[GEN_D_MAX];
	double secs = gen_measured_s(g, rte_rdtsc());
	char sizes[128];
	unsigned int d;

	gen_sizes_str(g, sizes, sizeof(sizes));
	fprintf(f, "{\"generator\":\"dpdk-wg-gen\",\"direction\":\"%s\","
		"\"peers\":%u,\"sizes\":\"%s\",\"rate_pps\":%.0f,"
		"\"duration_s\":%.4f,\"handshakes\":{\"completed\":%" PRIu64
		",\"failed\":%" PRIu64 ",\"time_s\":%.4f,\"per_s\":%.1f,"
		"\"initiations\":%" PRIu64 ",\"retries\":%" PRIu64
		",\"cookies\":%" PRIu64 ",\"cookie_retries\":%" PRIu64
		",\"refused\":%" PRIu64 ",\"rekeys\":%" PRIu64 "}",
		gen_direction_name(g->o.direction), g->peers->n, sizes,
		g->o.rate, secs, h->completed, h->failed, gen_hs_time(g),
		gen_hs_time(g) > 0 ? (double)h->completed / gen_hs_time(g) : 0,
		h->initiations, h->retries, h->cookies, h->cookie_retries,
		h->responses_bad, h->rekeys);
	for (d = 0; d < GEN_D_MAX; d++)
		if (gen_dir_on(g, d) && g->t_measure != 0)
			gen_json_dir(g, f, d, secs);
	gen_totals(g, tx, rx);
	fprintf(f, ",\"totals\":{\"decrypt_sent\":%" PRIu64
		",\"decrypt_received\":%" PRIu64 ",\"encrypt_sent\":%" PRIu64
		",\"encrypt_received\":%" PRIu64 ",\"keepalives_sent\":%" PRIu64
		",\"keepalives_received\":%" PRIu64 "}", tx[GEN_D_DEC],
		rx[GEN_D_DEC], tx[GEN_D_ENC], rx[GEN_D_ENC], h->keepalives,
		g->st.misc.wg_keepalives_rx);
	fprintf(f, ",\"units\":{\"l3\":\"inner IPv4 packet bytes\","
		"\"wire\":\"Ethernet frames as DPDK counts them: no preamble,"
		" FCS or inter-frame gap\",\"latency\":\"microseconds, TX to RX"
		" TSC\"},\"exit\":%d}\n", g->exit_code);
	fflush(f);
}

int
gen_report_peers(struct gen *g, const char *path)
{
	static const char *const state[] = { "idle", "handshake", "up",
					     "failed" };
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	struct gen_peer *p;
	FILE *f;
	uint32_t i;

	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "dpdk-wg-gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# peer public_key state decrypt_tx decrypt_rx encrypt_tx "
		"encrypt_rx (data packets since start)\n");
	for (i = 0; i < g->peers->n; i++) {
		p = &g->peers->p[i];
		sodium_bin2base64(b64, sizeof(b64), p->si.static_public, 32,
				  sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "%u %s %s %" PRIu64 " %" PRIu64 " %" PRIu64 " %"
			PRIu64 "\n", i, b64, state[p->state & 3],
			p->tx_pkts[GEN_D_DEC], p->rx_pkts[GEN_D_DEC],
			p->tx_pkts[GEN_D_ENC], p->rx_pkts[GEN_D_ENC]);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "dpdk-wg-gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
