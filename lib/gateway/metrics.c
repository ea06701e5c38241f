/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <sodium.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "gateway.h"
#include "lcore.h"
#include "log.h"
#include "metrics.h"
#include "metrics_text.h"
#include "stats.h"
#include "telemetry.h"
#include "wg_dp.h"
#include "wireguard/allowedips.h"
#include "wireguard/peer.h"

#define GW_MET_CONNECTIONS	16	/* at once, all clients */
#define GW_MET_PER_IP		8
#define GW_MET_TIMEOUT_S	10	/* idle connection closed */

#define GW_RD(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

static struct MHD_Daemon *gw_met_daemon;
static struct gw_gateway *gw_met_gw;	/* under gw_telemetry_lock() */

static int
gw_met_ip(void *ctx, int family, const uint8_t *addr, uint8_t cidr)
{
	struct gw_text *t = ctx;
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(family, addr, a, sizeof(a)) == NULL)
		return 0;
	gw_text_printf(t, "%s%s/%u", t->len != 0 ? "," : "", a, cidr);
	return 0;
}

/*
 * The exporter's three families, one line each per peer; the families are
 * built side by side (the format wants a family's lines together).
 */
static void
gw_met_peers(struct gw_text *out, struct gw_wg *wg)
{
	char key[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	struct gw_text fam[3], lab, ips;
	struct gw_telemetry_peer st;
	const struct gw_wg_peer_dp *dp;
	const struct wg_peer *peer;
	uint32_t id;
	int i;

	for (i = 0; i < 3; i++)
		gw_text_init(&fam[i]);
	gw_text_init(&lab);
	gw_text_init(&ips);
	gw_mtext_family(&fam[0], "wireguard_sent_bytes_total", "counter",
			"Bytes sent to the peer");
	gw_mtext_family(&fam[1], "wireguard_received_bytes_total", "counter",
			"Bytes received from the peer");
	gw_mtext_family(&fam[2], "wireguard_latest_handshake_seconds", "gauge",
			"UNIX time of the latest handshake with the peer (0: never)");
	for (id = 0; wg != NULL && id < wg->n_fresh; id++) {
		dp = &wg->peers[id];
		peer = gw_wg_dp_peer(dp);
		if (peer == NULL || dp->wif == NULL || dp->wif->dev == NULL)
			continue;
		sodium_bin2base64(key, sizeof(key), wg_peer_public_key(peer),
				  32, sodium_base64_VARIANT_ORIGINAL);
		gw_text_reset(&ips);
		wg_allowedips_walk_by_peer(dp->wif->dev->allowedips, peer,
					   gw_met_ip, &ips);
		gw_text_reset(&lab);
		gw_text_printf(&lab, "{interface=\"");
		gw_mtext_label(&lab, dp->wif->name);
		gw_text_printf(&lab, "\",public_key=\"%s\",allowed_ips=\"",
				key);
		gw_mtext_label(&lab, ips.buf != NULL ? ips.buf : "");
		gw_text_printf(&lab, "\"}");
		gw_telemetry_peer_read(dp, &st);
		if (lab.failed)
			break;
		gw_text_printf(&fam[0], "wireguard_sent_bytes_total%s %" PRIu64
				"\n", lab.buf, st.tx_bytes);
		gw_text_printf(&fam[1], "wireguard_received_bytes_total%s %"
				PRIu64 "\n", lab.buf, st.rx_bytes);
		gw_text_printf(&fam[2], "wireguard_latest_handshake_seconds"
				"%s %" PRIu64 "\n", lab.buf,
				st.latest_handshake);
	}
	if (lab.failed || ips.failed)
		out->failed = true;
	for (i = 0; i < 3; i++) {
		gw_text_append(out, &fam[i]);
		gw_text_free(&fam[i]);
	}
	gw_text_free(&lab);
	gw_text_free(&ips);
}

/* name{interface="IF"[,extra]} value */
static void
gw_met_if_line(struct gw_text *t, const char *name, const struct gw_wg_if *wif,
	       const char *extra, uint64_t v)
{
	gw_text_printf(t, "%s{interface=\"", name);
	gw_mtext_label(t, wif->name);
	gw_text_printf(t, "\"%s%s} %" PRIu64 "\n", extra[0] != '\0' ? "," : "",
			extra, v);
}

static void
gw_met_interfaces(struct gw_text *t, struct gw_wg *wg)
{
	static const char *const msg[] = {
		"direction=\"rx\",type=\"initiation\"",
		"direction=\"rx\",type=\"response\"",
		"direction=\"rx\",type=\"cookie\"",
		"direction=\"tx\",type=\"initiation\"",
		"direction=\"tx\",type=\"response\"",
		"direction=\"tx\",type=\"cookie\"",
	};
	const struct wg_device_stats *st;
	const struct gw_wg_if *wif;
	char extra[96];
	unsigned int i, r;
	uint64_t v[6];
	int family;

	if (wg == NULL)
		return;
	for (family = 0; family < 5; family++) {
		static const char *const fam[][3] = {
			{ "dpdkwg_peers", "gauge", "Peers of the interface" },
			{ "dpdkwg_handshake_messages_total", "counter",
			  "Handshake messages accepted (rx) and sent (tx)" },
			{ "dpdkwg_sessions_total", "counter",
			  "Sessions (keypairs) derived from handshakes" },
			{ "dpdkwg_wg_drops_total", "counter",
			  "Messages the WireGuard core dropped (handshakes: rate limited, cookie sent, failed), by reason" },
			{ "dpdkwg_handshake_queue", "gauge",
			  "Handshake messages waiting for the control lcore" },
		};

		gw_mtext_family(t, fam[family][0], fam[family][1],
				fam[family][2]);
		for (i = 0; i < wg->n_if; i++) {
			wif = &wg->ifs[i];
			if (wif->dev == NULL)
				continue;
			st = wg_device_stats(wif->dev);
			switch (family) {
			case 0:
				gw_met_if_line(t, fam[0][0], wif, "",
					       wg_device_peer_count(wif->dev));
				break;
			case 1:
				v[0] = GW_RD(st->rx_initiations);
				v[1] = GW_RD(st->rx_responses);
				v[2] = GW_RD(st->rx_cookies);
				v[3] = GW_RD(st->tx_initiations);
				v[4] = GW_RD(st->tx_responses);
				v[5] = GW_RD(st->tx_cookies);
				for (r = 0; r < RTE_DIM(msg); r++)
					gw_met_if_line(t, fam[1][0], wif,
						       msg[r], v[r]);
				break;
			case 2:
				gw_met_if_line(t, fam[2][0], wif, "",
					       GW_RD(st->sessions));
				break;
			case 3:
				for (r = 1; r < WG_DROP_REASON_MAX; r++) {
					snprintf(extra, sizeof(extra),
						 "reason=\"%s\"",
						 wg_drop_reason_str(r));
					gw_met_if_line(t, fam[3][0], wif, extra,
						       GW_RD(st->drops[r]));
				}
				break;
			default:
				v[0] = wif->hs_ring != NULL ?
					rte_ring_count(wif->hs_ring) : 0;
				gw_met_if_line(t, fam[4][0], wif, "", v[0]);
				break;
			}
		}
	}
}

static void
gw_met_lcores(struct gw_text *t, struct gw_gateway *gw)
{
	const struct gw_lcore_stats *s;
	const struct gw_wg_lcore *wl;
	const struct gw_lcore *lc;
	unsigned int id, r;

	gw_mtext_family(t, "dpdkwg_lcore_packets_total", "counter",
			"Packets received from and accepted by the ports, per lcore");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if ((lc = gw->lcores[id]) == NULL)
			continue;
		s = &lc->stats;
		gw_text_printf(t, "dpdkwg_lcore_packets_total{lcore=\"%u\","
				"direction=\"rx\"} %" PRIu64 "\n", id,
				GW_RD(s->rx_pkts));
		gw_text_printf(t, "dpdkwg_lcore_packets_total{lcore=\"%u\","
				"direction=\"tx\"} %" PRIu64 "\n", id,
				GW_RD(s->tx_pkts));
	}
	gw_mtext_family(t, "dpdkwg_lcore_polls_total", "counter",
			"Loop iterations that found work (busy) or none (idle)");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if ((lc = gw->lcores[id]) == NULL)
			continue;
		s = &lc->stats;
		gw_text_printf(t, "dpdkwg_lcore_polls_total{lcore=\"%u\","
				"state=\"busy\"} %" PRIu64 "\n", id,
				GW_RD(s->polls_busy));
		gw_text_printf(t, "dpdkwg_lcore_polls_total{lcore=\"%u\","
				"state=\"idle\"} %" PRIu64 "\n", id,
				GW_RD(s->polls_idle));
	}
	gw_mtext_family(t, "dpdkwg_lcore_cookie_replies_total", "counter",
			"Cookie replies an I/O lcore answered itself under load");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if ((lc = gw->lcores[id]) == NULL)
			continue;
		gw_text_printf(t, "dpdkwg_lcore_cookie_replies_total{lcore=\"%u\"} %"
				PRIu64 "\n", id, GW_RD(lc->stats.wg_tx_cookie));
	}
	gw_mtext_family(t, "dpdkwg_drops_total", "counter",
			"Packets dropped, per lcore and reason");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if ((lc = gw->lcores[id]) == NULL)
			continue;
		s = &lc->stats;
		for (r = 0; r < GW_DROP_MAX; r++)
			gw_text_printf(t, "dpdkwg_drops_total{lcore=\"%u\","
					"reason=\"%s\"} %" PRIu64 "\n", id,
					gw_drop_name(r), GW_RD(s->drops[r]));
	}
	gw_mtext_family(t, "dpdkwg_ring_count", "gauge",
			"Entries waiting in an lcore's ring (io: frames from other lcores, crypto: jobs)");
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		if ((lc = gw->lcores[id]) == NULL)
			continue;
		if (lc->ring != NULL)
			gw_text_printf(t, "dpdkwg_ring_count{lcore=\"%u\","
					"ring=\"io\"} %u\n", id,
					rte_ring_count(lc->ring));
		wl = gw->wgs != NULL ? gw->wgs->lc[id] : NULL;
		if (wl != NULL && wl->crypto_ring != NULL)
			gw_text_printf(t, "dpdkwg_ring_count{lcore=\"%u\","
					"ring=\"crypto\"} %u\n", id,
					rte_ring_count(wl->crypto_ring));
	}
}

static void
gw_met_ports(struct gw_text *t, struct gw_gateway *gw)
{
	static const char *const fam[][3] = {
		{ "dpdkwg_port_packets_total", "counter",
		  "Packets received (rx) and sent (tx) by the port" },
		{ "dpdkwg_port_bytes_total", "counter",
		  "Bytes received (rx) and sent (tx) by the port" },
		{ "dpdkwg_port_missed_total", "counter",
		  "Packets the port dropped: RX queues full" },
		{ "dpdkwg_port_errors_total", "counter",
		  "Erroneous received (rx) and failed transmitted (tx) packets" },
		{ "dpdkwg_port_rx_nombuf_total", "counter",
		  "RX mbuf allocation failures" },
	};
	struct rte_eth_stats st[GW_MAX_PORTS];
	bool ok[GW_MAX_PORTS];
	unsigned int f;
	uint16_t p;

	for (p = 0; p < gw->n_ports; p++)
		ok[p] = rte_eth_stats_get(gw->ports[p].port_id, &st[p]) == 0;
	for (f = 0; f < RTE_DIM(fam); f++) {
		gw_mtext_family(t, fam[f][0], fam[f][1], fam[f][2]);
		for (p = 0; p < gw->n_ports; p++) {
			uint64_t rx, tx;
			bool two = true;

			if (!ok[p])
				continue;
			switch (f) {
			case 0:
				rx = st[p].ipackets;
				tx = st[p].opackets;
				break;
			case 1:
				rx = st[p].ibytes;
				tx = st[p].obytes;
				break;
			case 2:
				rx = st[p].imissed;
				tx = 0;
				two = false;
				break;
			case 3:
				rx = st[p].ierrors;
				tx = st[p].oerrors;
				break;
			default:
				rx = st[p].rx_nombuf;
				tx = 0;
				two = false;
				break;
			}
			gw_text_printf(t, "%s{port=\"", fam[f][0]);
			gw_mtext_label(t, gw->ports[p].name);
			if (!two) {
				gw_text_printf(t, "\"} %" PRIu64 "\n", rx);
				continue;
			}
			gw_text_printf(t, "\",direction=\"rx\"} %" PRIu64 "\n",
					rx);
			gw_text_printf(t, "%s{port=\"", fam[f][0]);
			gw_mtext_label(t, gw->ports[p].name);
			gw_text_printf(t, "\",direction=\"tx\"} %" PRIu64 "\n",
					tx);
		}
	}
}

/* The whole body (malloc'ed, the caller frees), NULL if out of memory. */
static char *
gw_met_body(size_t *len)
{
	struct gw_gateway *gw;
	struct gw_text t;
	char *body;

	gw_text_init(&t);
	gw_telemetry_lock();
	gw = gw_met_gw;
	if (gw == NULL) {
		gw_telemetry_unlock();
		return NULL;
	}
	gw_met_peers(&t, gw->wgs);
	gw_met_interfaces(&t, gw->wgs);
	gw_met_lcores(&t, gw);
	gw_telemetry_unlock();
	gw_met_ports(&t, gw);
	body = gw_text_take(&t, len);
	return body;
}

static enum MHD_Result
gw_met_reply(struct MHD_Connection *conn, unsigned int code, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text),
					    (void *)(uintptr_t)text,
					    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
gw_met_answer(void *cls, struct MHD_Connection *conn, const char *url,
	      const char *method, const char *version, const char *upload,
	      size_t *upload_size, void **state)
{
	static int seen;
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	char *body;

	RTE_SET_USED(cls);
	RTE_SET_USED(version);
	RTE_SET_USED(upload);
	/* first call: headers only; answer once any body is consumed */
	if (*state == NULL) {
		*state = &seen;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/metrics") != 0)
		return gw_met_reply(conn, MHD_HTTP_NOT_FOUND, "not found\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return gw_met_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "method not allowed\n");
	body = gw_met_body(&len);
	if (body == NULL)
		return gw_met_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
				    "unavailable\n");
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Our own listening socket: its errors are ours to report. */
static int
gw_met_listen(const struct gw_sockaddr *a, char *name, size_t len)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	char buf[INET6_ADDRSTRLEN];
	socklen_t sl;
	int fd, one = 1, e;

	memset(&ss, 0, sizeof(ss));
	if (a->family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		sl = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		sl = sizeof(*s4);
	}
	if (inet_ntop(a->family, a->addr, buf, sizeof(buf)) == NULL)
		snprintf(buf, sizeof(buf), "?");
	snprintf(name, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", buf,
		 a->port);
	fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(fd, GW_MET_CONNECTIONS) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * The CPUs DPDK gives its own control threads (telemetry): those of no
 * lcore; false if the lcores take every one (then the main lcore's CPU,
 * as DPDK does, rather than a data-path lcore's).
 */
static bool
gw_met_ctrl_cpus(cpu_set_t *set)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	rte_cpuset_t lc;
	unsigned int id;
	long cpu;

	CPU_ZERO(set);
	for (cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, set);
	RTE_LCORE_FOREACH(id) {
		lc = rte_lcore_cpuset(id);
		for (cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &lc))
				CPU_CLR(cpu, set);
	}
	return CPU_COUNT(set) != 0;
}

int
gw_metrics_start(struct gw_gateway *gw, char err[GW_ERR_MAX])
{
	cpu_set_t mine, ctrl;
	bool moved;
	const struct gw_sockaddr *a = &gw->cfg->metrics;
	unsigned int flags;
	char name[64];
	int fd;

	if (a->family == 0)
		return 0;
	fd = gw_met_listen(a, name, sizeof(name));
	if (fd < 0) {
		snprintf(err, GW_ERR_MAX,
			 "dpdk-wg: metrics: cannot listen on %s: %s", name,
			 strerror(errno));
		return -1;
	}
	gw_telemetry_lock();
	gw_met_gw = gw;
	gw_telemetry_unlock();
	/*
	 * libmicrohttpd's thread inherits this thread's affinity, the main
	 * lcore's CPU: start it from the free CPUs if there are any.
	 */
	moved = gw_met_ctrl_cpus(&ctrl) &&
		pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) == 0
		&& pthread_setaffinity_np(pthread_self(), sizeof(ctrl),
					  &ctrl) == 0;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	if (a->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	gw_met_daemon = MHD_start_daemon(flags, a->port, NULL, NULL,
		gw_met_answer, NULL,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)GW_MET_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)GW_MET_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)GW_MET_TIMEOUT_S,
		MHD_OPTION_END);
	if (moved)
		pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine);
	if (gw_met_daemon == NULL) {
		close(fd);
		gw_metrics_stop();
		snprintf(err, GW_ERR_MAX,
			 "dpdk-wg: metrics: cannot start the HTTP server on %s",
			 name);
		return -1;
	}
	GW_LOG(INFO, "metrics: http://%s/metrics", name);
	return 0;
}

void
gw_metrics_stop(void)
{
	if (gw_met_daemon != NULL) {
		MHD_stop_daemon(gw_met_daemon);	/* joins its thread */
		gw_met_daemon = NULL;
	}
	gw_telemetry_lock();
	gw_met_gw = NULL;
	gw_telemetry_unlock();
}
