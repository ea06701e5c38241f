/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <arpa/inet.h>
/* glibc's heap; AddressSanitizer's allocator is another one */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GW_ASAN 1
#endif
#endif
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33) && \
	!defined(__SANITIZE_ADDRESS__) && !defined(GW_ASAN)
#define GW_HAVE_MALLINFO2 1
#include <malloc.h>
#endif

#include <sodium.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_telemetry.h>

#include "gateway.h"
#include "lcore.h"
#include "log.h"
#include "stats.h"
#include "telemetry.h"
#include "wg_dp.h"
#include "wireguard/allowedips.h"
#include "wireguard/constants.h"
#include "wireguard/peer.h"

#define GW_TEL_KEY_LEN	sodium_base64_ENCODED_LEN(32, \
				sodium_base64_VARIANT_ORIGINAL)

static pthread_mutex_t gw_tel_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct gw_gateway *gw_tel_gw;	/* under gw_tel_mutex */
static bool gw_tel_registered;

#define GW_RD(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

void
gw_telemetry_lock(void)
{
	pthread_mutex_lock(&gw_tel_mutex);
}

bool
gw_telemetry_trylock(void)
{
	return pthread_mutex_trylock(&gw_tel_mutex) == 0;
}

void
gw_telemetry_unlock(void)
{
	pthread_mutex_unlock(&gw_tel_mutex);
}

static void
gw_tel_key(const uint8_t *key, char *buf)
{
	sodium_bin2base64(buf, GW_TEL_KEY_LEN, key, 32,
			  sodium_base64_VARIANT_ORIGINAL);
}

static bool
gw_tel_name_ok(const char *name)
{
	for (; *name != '\0'; name++)
		if (!isalnum((unsigned char)*name) && *name != '_' &&
		    *name != '/')
			return false;
	return true;
}

/* The interface named params, or NULL. Under the mutex. */
static struct gw_wg_if *
gw_tel_iface(const char *params)
{
	struct gw_wg *wg;
	unsigned int i;

	if (gw_tel_gw == NULL || (wg = gw_tel_gw->wgs) == NULL ||
	    params == NULL)
		return NULL;
	for (i = 0; i < wg->n_if; i++)
		if (strcmp(wg->ifs[i].name, params) == 0 &&
		    wg->ifs[i].dev != NULL)
			return &wg->ifs[i];
	return NULL;
}

static int
gw_tel_interfaces(const char *cmd, const char *params,
		  struct rte_tel_data *d)
{
	struct rte_tel_data *c;
	struct gw_wg_if *wif;
	struct gw_wg *wg;
	char key[GW_TEL_KEY_LEN];
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	gw_telemetry_lock();
	wg = gw_tel_gw != NULL ? gw_tel_gw->wgs : NULL;
	for (i = 0; wg != NULL && i < wg->n_if; i++) {
		wif = &wg->ifs[i];
		if (wif->dev == NULL)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		if (wif->has_key) {
			gw_tel_key(wif->public_key, key);
			rte_tel_data_add_dict_string(c, "public_key", key);
		} else {
			rte_tel_data_add_dict_string(c, "public_key", "");
		}
		rte_tel_data_add_dict_int(c, "listen_port", wif->listen_port);
		rte_tel_data_add_dict_u64(c, "peers",
					  wg_device_peer_count(wif->dev));
		rte_tel_data_add_dict_string(c, "name", wif->name);
		/* telemetry names are [A-Za-z0-9_/]: else the index */
		if (gw_tel_name_ok(wif->name))
			snprintf(key, sizeof(key), "%s", wif->name);
		else
			snprintf(key, sizeof(key), "if%u", i);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
	gw_telemetry_unlock();
	return 0;
}

struct gw_tel_ips {
	char *buf;
	size_t len;
	size_t off;
	unsigned int total;	/* prefixes of the peer */
	bool full;		/* buf holds only the first ones */
};

static int
gw_tel_ip(void *ctx, int family, const uint8_t *addr, uint8_t cidr)
{
	struct gw_tel_ips *w = ctx;
	char a[INET6_ADDRSTRLEN];
	int n;

	w->total++;
	if (w->full || inet_ntop(family, addr, a, sizeof(a)) == NULL)
		return 0;
	n = snprintf(w->buf + w->off, w->len - w->off, "%s%s/%u",
		     w->off != 0 ? "," : "", a, cidr);
	if (n < 0 || (size_t)n >= w->len - w->off) {
		/* cut at the last whole prefix, go on counting */
		w->buf[w->off] = '\0';
		w->full = true;
		return 0;
	}
	w->off += (size_t)n;
	return 0;
}

/*
 * The core's allowed IPs of peer (only a wg(8) request, under the mutex,
 * changes them at run time), as far as they fit in buf; returns how many
 * the peer has.
 */
static unsigned int
gw_tel_prefixes(const struct gw_wg_if *wif, const struct wg_peer *peer,
		char *buf, size_t len)
{
	struct gw_tel_ips w = { buf, len, 0, 0, false };

	buf[0] = '\0';
	wg_allowedips_walk_by_peer(wif->dev->allowedips, peer, gw_tel_ip, &w);
	return w.total;
}

static void
gw_tel_endpoint(const struct gw_wg_peer_dp *dp, char *buf, size_t len)
{
	struct gw_wg_ep ep;
	char a[INET6_ADDRSTRLEN];

	if (!gw_wg_ep_read(dp, &ep) ||
	    inet_ntop(ep.family, ep.addr, a, sizeof(a)) == NULL) {
		snprintf(buf, len, "(none)");
		return;
	}
	if (ep.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ep.port);
	else
		snprintf(buf, len, "%s:%u", a, ep.port);
}

/*
 * As gw_wg_print(): the core's count plus what the data path has not
 * reported to it yet. The control lcore adds the data path's count (data)
 * minus the part already reported (seen) to the core's (core), then
 * updates seen, without a lock: a read racing with a report may be off by
 * that report for an instant. seen is read before data: no underflow.
 */
static uint64_t
gw_tel_bytes(const _Atomic uint64_t *core, const uint64_t *seen,
	     const uint64_t *data)
{
	uint64_t c, s, d;

	s = __atomic_load_n(seen, __ATOMIC_ACQUIRE);
	d = __atomic_load_n(data, __ATOMIC_ACQUIRE);
	c = atomic_load_explicit(core, memory_order_relaxed);
	return c + (d >= s ? d - s : 0);
}

void
gw_telemetry_peer_read(const struct gw_wg_peer_dp *dp,
		       struct gw_telemetry_peer *out)
{
	const struct wg_peer *peer = dp->peer;

	out->rx_bytes = gw_tel_bytes(&peer->rx_bytes, &dp->ctl.seen_rx_bytes,
				     &dp->rx_bytes);
	out->tx_bytes = gw_tel_bytes(&peer->tx_bytes, &dp->ctl.seen_tx_bytes,
				     &dp->tx_bytes);
	out->rx_packets = GW_RD(dp->rx_data);
	out->rx_keepalives = GW_RD(dp->rx_keepalive);
	out->tx_packets = GW_RD(dp->tx_data) + GW_RD(dp->ctl.ctl_tx_data);
	out->latest_handshake = GW_RD(peer->last_handshake_real_ns) /
		WG_NSEC_PER_SEC;
}

/*
 * A peer's dict takes at most about 520 bytes of JSON (44-byte key, 127 of
 * allowed IPs, [IPv6]:port, 20-digit counters); a page of this many stays
 * well under the 16 KiB a telemetry reply may take. DPDK 22.11 takes no
 * dict in an array: "peers" is a dict keyed by peer id.
 */
#define GW_TEL_PAGE	20

static struct rte_tel_data *
gw_tel_peer(const struct gw_wg_if *wif, const struct gw_wg_peer_dp *dp,
	    uint32_t id, time_t now)
{
	const struct wg_peer *peer = dp->peer;
	struct gw_telemetry_peer st;
	struct rte_tel_data *c;
	char key[GW_TEL_KEY_LEN];
	char ips[RTE_TEL_MAX_STRING_LEN];
	char ep[64];
	unsigned int n_ips;
	int age;

	c = rte_tel_data_alloc();
	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	gw_tel_key(wg_peer_public_key(peer), key);
	rte_tel_data_add_dict_string(c, "public_key", key);
	gw_tel_endpoint(dp, ep, sizeof(ep));
	n_ips = gw_tel_prefixes(wif, peer, ips, sizeof(ips));
	gw_telemetry_peer_read(dp, &st);
	age = -1;
	if (st.latest_handshake != 0 &&
	    (uint64_t)now >= st.latest_handshake &&
	    (uint64_t)now - st.latest_handshake < WG_REJECT_AFTER_TIME /
	    WG_NSEC_PER_SEC)
		age = (int)((uint64_t)now - st.latest_handshake);
	rte_tel_data_add_dict_u64(c, "id", id);
	rte_tel_data_add_dict_string(c, "endpoint", ep);
	rte_tel_data_add_dict_string(c, "allowed_ips", ips);
	rte_tel_data_add_dict_u64(c, "allowed_ips_total", n_ips);
	rte_tel_data_add_dict_u64(c, "rx_bytes", st.rx_bytes);
	rte_tel_data_add_dict_u64(c, "rx_packets", st.rx_packets);
	rte_tel_data_add_dict_u64(c, "rx_keepalives", st.rx_keepalives);
	rte_tel_data_add_dict_u64(c, "tx_bytes", st.tx_bytes);
	rte_tel_data_add_dict_u64(c, "tx_packets", st.tx_packets);
	rte_tel_data_add_dict_u64(c, "latest_handshake", st.latest_handshake);
	/*
	 * The current session comes from the latest handshake; past
	 * REJECT_AFTER_TIME (180 s) it is unusable: -1, as never.
	 */
	rte_tel_data_add_dict_int(c, "key_age_s", age);
	return c;
}

/* "IFACE" or "IFACE,START": the interface, *start (0 if absent). */
static struct gw_wg_if *
gw_tel_iface_start(const char *params, uint32_t *start)
{
	char name[GW_NAME_MAX];
	const char *comma;
	char *end;
	unsigned long v;
	size_t n;

	*start = 0;
	if (params == NULL)
		return NULL;
	comma = strrchr(params, ',');
	if (comma == NULL)
		return gw_tel_iface(params);
	n = (size_t)(comma - params);
	if (n >= sizeof(name) || !isdigit((unsigned char)comma[1]))
		return NULL;
	errno = 0;
	v = strtoul(comma + 1, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return NULL;
	memcpy(name, params, n);
	name[n] = '\0';
	*start = (uint32_t)v;
	return gw_tel_iface(name);
}

/*
 * One page: the peers of the interface from peer id START on, in id order;
 * "next" is the START of the next page, -1 after the last. Paging by id,
 * not by position, keeps a walk from skipping or repeating a peer when
 * peers are added or removed between two pages.
 */
static int
gw_tel_peers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct gw_wg_peer_dp *dp;
	struct rte_tel_data *list, *c;
	struct gw_wg_if *wif;
	struct gw_wg *wg;
	struct timespec ts;
	uint32_t id, start, total = 0, shown = 0;
	int64_t next = -1;
	char name[16];

	RTE_SET_USED(cmd);
	gw_telemetry_lock();
	wif = gw_tel_iface_start(params, &start);
	if (wif == NULL) {
		gw_telemetry_unlock();
		return -EINVAL;
	}
	list = rte_tel_data_alloc();
	if (list == NULL) {
		gw_telemetry_unlock();
		return -ENOMEM;
	}
	rte_tel_data_start_dict(list);
	clock_gettime(CLOCK_REALTIME, &ts);
	wg = wif->wg;
	for (id = 0; id < wg->n_fresh; id++) {
		dp = &wg->peers[id];
		if (dp->peer == NULL || dp->wif != wif)
			continue;
		total++;
		if (id < start || next >= 0)
			continue;
		if (shown == GW_TEL_PAGE) {
			next = id;
			continue;
		}
		c = gw_tel_peer(wif, dp, id, ts.tv_sec);
		snprintf(name, sizeof(name), "%u", id);
		if (c == NULL ||
		    rte_tel_data_add_dict_container(list, name, c, 0) != 0) {
			rte_tel_data_free(c);
			next = id;
			continue;
		}
		shown++;
	}
	gw_telemetry_unlock();
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "start", start);
	rte_tel_data_add_dict_int(d, "next", (int)next);
	if (rte_tel_data_add_dict_container(d, "peers", list, 0) != 0)
		rte_tel_data_free(list);
	return 0;
}

static void
gw_tel_roles(unsigned int roles, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 (roles & GW_ROLE_CONTROL) ? "control " : "",
		 (roles & GW_ROLE_IO) ? "io " : "",
		 (roles & GW_ROLE_CRYPTO) ? "crypto " : "");
	if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
}

/* The per-lcore counters /wg/lcores reports, by name. */
static const struct {
	const char *name;
	size_t off;
} gw_tel_lcore_counters[] = {
	{ "rx_pkts", offsetof(struct gw_lcore_stats, rx_pkts) },
	{ "tx_pkts", offsetof(struct gw_lcore_stats, tx_pkts) },
	{ "fwd_pkts", offsetof(struct gw_lcore_stats, fwd_pkts) },
	{ "local_pkts", offsetof(struct gw_lcore_stats, local_pkts) },
	{ "polls_busy", offsetof(struct gw_lcore_stats, polls_busy) },
	{ "polls_idle", offsetof(struct gw_lcore_stats, polls_idle) },
	{ "wg_rx_data", offsetof(struct gw_lcore_stats, wg_rx_data) },
	{ "wg_tx_data", offsetof(struct gw_lcore_stats, wg_tx_data) },
	{ "wg_rx_handshake", offsetof(struct gw_lcore_stats, wg_rx_handshake) },
	{ "wg_crypto_jobs", offsetof(struct gw_lcore_stats, wg_crypto_jobs) },
	{ "wg_rx_keepalive", offsetof(struct gw_lcore_stats, wg_rx_keepalive) },
	{ "wg_tx_staged", offsetof(struct gw_lcore_stats, wg_tx_staged) },
	{ "wg_jobs_held", offsetof(struct gw_lcore_stats, wg_jobs_held) },
	{ "wg_tx_cookie", offsetof(struct gw_lcore_stats, wg_tx_cookie) },
	{ "frag_pkts", offsetof(struct gw_lcore_stats, frag_pkts) },
	{ "icmp_sent", offsetof(struct gw_lcore_stats, icmp_sent) },
	{ "icmp_ratelimited", offsetof(struct gw_lcore_stats, icmp_ratelimited) },
	{ "neigh_requests", offsetof(struct gw_lcore_stats, neigh_requests) },
	{ "neigh_replies", offsetof(struct gw_lcore_stats, neigh_replies) },
};

#define GW_TEL_LCORES_FULL	6
#define GW_TEL_LCORES_SUMMARY	64	/* about 200 B each */

/* Every counter, ring occupancy and drop reason of lcore id. */
static void
gw_tel_lcore_full(struct rte_tel_data *c, const struct gw_lcore *lc,
		  unsigned int id)
{
	const struct gw_lcore_stats *s = &lc->stats;
	const struct gw_wg_lcore *wl;
	char name[64];
	unsigned int r;
	size_t k;

	for (k = 0; k < RTE_DIM(gw_tel_lcore_counters); k++)
		rte_tel_data_add_dict_u64(c, gw_tel_lcore_counters[k].name,
			GW_RD(*(const uint64_t *)((const char *)s +
				gw_tel_lcore_counters[k].off)));
	if (lc->ring != NULL)
		rte_tel_data_add_dict_u64(c, "ring_count",
					  rte_ring_count(lc->ring));
	wl = gw_tel_gw->wgs != NULL ? gw_tel_gw->wgs->lc[id] : NULL;
	if (wl != NULL && wl->crypto_ring != NULL)
		rte_tel_data_add_dict_u64(c, "crypto_ring_count",
					  rte_ring_count(wl->crypto_ring));
	for (r = 0; r < GW_DROP_MAX; r++) {
		snprintf(name, sizeof(name), "drop_%s", gw_drop_name(r));
		rte_tel_data_add_dict_u64(c, name, GW_RD(s->drops[r]));
	}
}

/* Packets in and out and the sum of the drops: /wg/lcores with many lcores. */
static void
gw_tel_lcore_summary(struct rte_tel_data *c, const struct gw_lcore *lc)
{
	const struct gw_lcore_stats *s = &lc->stats;
	uint64_t drops = 0;
	unsigned int r;

	rte_tel_data_add_dict_int(c, "summary", 1);
	rte_tel_data_add_dict_u64(c, "rx_pkts", GW_RD(s->rx_pkts));
	rte_tel_data_add_dict_u64(c, "tx_pkts", GW_RD(s->tx_pkts));
	rte_tel_data_add_dict_u64(c, "wg_rx_data", GW_RD(s->wg_rx_data));
	rte_tel_data_add_dict_u64(c, "wg_tx_data", GW_RD(s->wg_tx_data));
	rte_tel_data_add_dict_u64(c, "wg_crypto_jobs",
				  GW_RD(s->wg_crypto_jobs));
	for (r = 0; r < GW_DROP_MAX; r++)
		drops += GW_RD(s->drops[r]);
	rte_tel_data_add_dict_u64(c, "drops", drops);
}

static int
gw_tel_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct gw_lcore *lc;
	struct rte_tel_data *c;
	char name[64], *end;
	unsigned long only = RTE_MAX_LCORE;
	unsigned int id, n;
	bool summary;

	RTE_SET_USED(cmd);
	if (params != NULL && params[0] != '\0') {
		errno = 0;
		only = strtoul(params, &end, 10);
		if (errno != 0 || *end != '\0' || only >= RTE_MAX_LCORE ||
		    !isdigit((unsigned char)params[0]))
			return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	gw_telemetry_lock();
	/*
	 * An lcore's full dict is about 2 KB and a reply at most 16 KB: with
	 * more than GW_TEL_LCORES_FULL lcores and no id, a summary of each,
	 * with more than GW_TEL_LCORES_SUMMARY its roles only (the full entry
	 * with /wg/lcores,ID).
	 */
	for (id = 0, n = 0; gw_tel_gw != NULL && id < RTE_MAX_LCORE; id++)
		n += gw_tel_gw->lcores[id] != NULL;
	summary = only == RTE_MAX_LCORE && n > GW_TEL_LCORES_FULL;
	for (id = 0; gw_tel_gw != NULL && id < RTE_MAX_LCORE; id++) {
		lc = gw_tel_gw->lcores[id];
		if (lc == NULL || (only < RTE_MAX_LCORE && id != only))
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		gw_tel_roles(lc->roles, name, sizeof(name));
		rte_tel_data_add_dict_string(c, "roles", name);
		if (!summary)
			gw_tel_lcore_full(c, lc, id);
		else if (n <= GW_TEL_LCORES_SUMMARY)	/* else the roles alone */
			gw_tel_lcore_summary(c, lc);
		snprintf(name, sizeof(name), "%u", id);
		if (rte_tel_data_add_dict_container(d, name, c, 0) != 0)
			rte_tel_data_free(c);
	}
	gw_telemetry_unlock();
	return 0;
}

static int
gw_tel_handshakes(const char *cmd, const char *params,
		  struct rte_tel_data *d)
{
	const struct wg_device_stats *st;
	struct gw_wg_if *wif;
	char name[64];
	unsigned int r;

	RTE_SET_USED(cmd);
	gw_telemetry_lock();
	wif = gw_tel_iface(params);
	if (wif == NULL) {
		gw_telemetry_unlock();
		return -EINVAL;
	}
	st = wg_device_stats(wif->dev);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_initiations",
				  GW_RD(st->rx_initiations));
	rte_tel_data_add_dict_u64(d, "rx_responses", GW_RD(st->rx_responses));
	rte_tel_data_add_dict_u64(d, "rx_cookies", GW_RD(st->rx_cookies));
	rte_tel_data_add_dict_u64(d, "tx_initiations",
				  GW_RD(st->tx_initiations));
	rte_tel_data_add_dict_u64(d, "tx_responses", GW_RD(st->tx_responses));
	rte_tel_data_add_dict_u64(d, "tx_cookies", GW_RD(st->tx_cookies));
	rte_tel_data_add_dict_u64(d, "sessions", GW_RD(st->sessions));
	rte_tel_data_add_dict_u64(d, "rate_limited",
				  GW_RD(st->drops[WG_DROP_RATELIMITED]));
	for (r = 1; r < WG_DROP_REASON_MAX; r++) {
		snprintf(name, sizeof(name), "drop_%s", wg_drop_reason_str(r));
		rte_tel_data_add_dict_u64(d, name, GW_RD(st->drops[r]));
	}
	/* occupancy of the queues in front of the control lcore */
	rte_tel_data_add_dict_u64(d, "hs_queue", wif->hs_ring != NULL ?
				  rte_ring_count(wif->hs_ring) : 0);
	rte_tel_data_add_dict_u64(d, "stage_queue",
				  wif->wg->stage_ring != NULL ?
				  rte_ring_count(wif->wg->stage_ring) : 0);
	gw_telemetry_unlock();
	return 0;
}

/*
 * What the gateway holds: its DPDK heap in use (every socket) and its
 * malloc heap in use (glibc: arenas and mmapped chunks), with its peers,
 * so that an operator can see the cost per peer.
 */
static int
gw_tel_memory(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_malloc_socket_stats st;
	uint64_t heap = 0, peers = 0;
	struct gw_wg *wg;
	unsigned int i;
	int s;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats(s, &st) == 0)
			heap += st.heap_allocsz_bytes;
	gw_telemetry_lock();
	wg = gw_tel_gw != NULL ? gw_tel_gw->wgs : NULL;
	for (i = 0; wg != NULL && i < wg->n_if; i++)
		if (wg->ifs[i].dev != NULL)
			peers += wg_device_peer_count(wg->ifs[i].dev);
	gw_telemetry_unlock();
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "dpdk_heap_bytes", heap);
#ifdef GW_HAVE_MALLINFO2
	{
		struct mallinfo2 mi = mallinfo2();

		rte_tel_data_add_dict_u64(d, "malloc_bytes",
					  mi.uordblks + mi.hblkhd);
	}
#endif
	rte_tel_data_add_dict_u64(d, "peers", peers);
	return 0;
}

int
gw_telemetry_start(struct gw_gateway *gw)
{
	int ret = 0;

	if (!gw->cfg->telemetry)
		return 0;
	gw_telemetry_lock();
	gw_tel_gw = gw;
	gw_telemetry_unlock();
	if (gw_tel_registered)
		return 0;
	ret |= rte_telemetry_register_cmd("/wg/interfaces", gw_tel_interfaces,
		"WireGuard interfaces: public key, listen port, peers. No parameters");
	ret |= rte_telemetry_register_cmd("/wg/peers", gw_tel_peers,
		"Peers of a WireGuard interface, a page at a time. Parameters: interface name[,first peer id (the previous page's next)]");
	ret |= rte_telemetry_register_cmd("/wg/lcores", gw_tel_lcores,
		"Per-lcore roles, counters, rings, drops. Parameter: none (over 6 lcores: a summary each), or one lcore id");
	ret |= rte_telemetry_register_cmd("/wg/handshakes", gw_tel_handshakes,
		"Handshake counters of a WireGuard interface. Parameter: interface name");
	ret |= rte_telemetry_register_cmd("/wg/memory", gw_tel_memory,
		"DPDK heap and malloc bytes in use, and the peers they hold. No parameters");
	gw_tel_registered = true;
	if (ret != 0)
		GW_LOG(WARNING, "telemetry: cannot register the /wg/ commands");
	return ret != 0 ? -1 : 0;
}

void
gw_telemetry_stop(void)
{
	gw_telemetry_lock();
	gw_tel_gw = NULL;
	gw_telemetry_unlock();
}
