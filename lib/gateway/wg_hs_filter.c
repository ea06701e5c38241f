/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Handshake messages under load (docs/architecture.md "Handshakes under
 * load").
 *
 * The control lcore owns each interface's cookie checker (in its struct
 * wg_device) and publishes a copy of it through a seqlock whenever it
 * changes: at set-up, on the 120 s secret rotation, on a new private key
 * (compared every control tick). While the interface is under load the
 * I/O lcores check mac1 and mac2 of every initiation and response against
 * that copy before anything reaches the handshake queue: a wrong mac1 is
 * dropped, a missing or wrong mac2 is answered with a cookie reply from
 * the I/O lcore itself (within a per-lcore budget that favours sources not
 * answered lately), and only messages with a valid cookie go on to the
 * control lcore (and its per-source rate limiter).
 *
 * The writer never blocks readers; a reader retries only while a copy is
 * being written (a few hundred ns every two minutes).
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_seqcount.h>
#include <rte_per_lcore.h>

#include "crypto/primitives.h"
#include "lcore.h"
#include "wg_dp.h"
#include "wireguard/constants.h"
#include "wireguard/keypair.h"

/* How often the control lcore samples the I/O lcores' filtered count. */
#define GW_WG_HS_LOAD_WINDOW_NS	(100 * 1000 * 1000ULL)
/*
 * Filtered messages with a valid mac1 per second that keep the interface
 * under load: about half of what one control lcore answers with the DH
 * (some 8,000 responder handshakes a second, docs/performance.md §3).
 */
#define GW_WG_HS_LOAD_RATE	4096
/* Cookie reply nonces drawn per call to the system's random source. */
#define GW_WG_NONCE_POOL	64
/*
 * Cookie replies per I/O lcore: GW_WG_REPLY_RATE per second, bursts of
 * GW_WG_REPLY_BURST. A source address answered within the last
 * GW_WG_REPLY_FRESH_NS may use only the upper half of the bucket: sources
 * not answered lately (a legitimate peer retries every REKEY_TIMEOUT) keep
 * the lower half even while a few thousand spoofed addresses repeat.
 */
#define GW_WG_REPLY_RATE	8192
#define GW_WG_REPLY_BURST	512
#define GW_WG_REPLY_COST_NS	(WG_NSEC_PER_SEC / GW_WG_REPLY_RATE)
#define GW_WG_REPLY_FRESH_NS	WG_NSEC_PER_SEC
/* Recently answered sources: sets of GW_WG_REPLY_WAYS, oldest replaced. */
#define GW_WG_REPLY_SETS	4096
#define GW_WG_REPLY_WAYS	4

/* Per I/O lcore: reply budget, recently answered sources, nonces. */
struct gw_wg_replier {
	uint64_t credit_ns;		/* bucket, GW_WG_REPLY_COST_NS a reply */
	uint64_t last_ns;
	uint32_t seed;
	bool init;
	struct {
		uint32_t tag;		/* 0: empty */
		uint32_t at_ms;
	} seen[GW_WG_REPLY_SETS][GW_WG_REPLY_WAYS];
	unsigned int left;
	uint8_t nonces[GW_WG_NONCE_POOL][WG_COOKIE_NONCE_LEN];
};

static RTE_DEFINE_PER_LCORE(struct gw_wg_replier, gw_wg_replier);

/* One getrandom() per GW_WG_NONCE_POOL replies, not per reply. */
static const uint8_t *
gw_wg_nonce(struct gw_wg_replier *r)
{
	if (r->left == 0) {
		wg_random_bytes(r->nonces, sizeof(r->nonces));
		r->left = GW_WG_NONCE_POOL;
	}
	return r->nonces[--r->left];
}

/* May this lcore answer src now? Takes the reply from the budget if so. */
static bool
gw_wg_reply_allowed(struct gw_wg_replier *r, const struct wg_endpoint *src,
		    uint64_t now)
{
	const uint64_t max = (uint64_t)GW_WG_REPLY_BURST * GW_WG_REPLY_COST_NS;
	uint32_t tag, now_ms = (uint32_t)(now / 1000000);
	unsigned int set, w, way = 0;
	uint64_t need;
	bool fresh = true;

	if (unlikely(!r->init)) {
		r->seed = wg_random_u32();
		r->credit_ns = max;
		r->last_ns = now;
		r->init = true;
	}
	r->credit_ns = RTE_MIN(max, r->credit_ns + (now - r->last_ns));
	r->last_ns = now;
	tag = rte_hash_crc(src->addr, src->family == AF_INET ? 4 : 16,
			   r->seed) | 1;
	set = (tag >> 2) % GW_WG_REPLY_SETS;
	for (w = 0; w < GW_WG_REPLY_WAYS; w++) {
		if (r->seen[set][w].tag == tag) {
			way = w;
			fresh = (uint32_t)(now_ms - r->seen[set][w].at_ms) >=
				GW_WG_REPLY_FRESH_NS / 1000000;
			break;
		}
		/* not found: the oldest (or an empty) way is replaced */
		if ((uint32_t)(now_ms - r->seen[set][w].at_ms) >
		    (uint32_t)(now_ms - r->seen[set][way].at_ms) ||
		    r->seen[set][w].tag == 0)
			way = w;
	}
	need = fresh ? GW_WG_REPLY_COST_NS : max / 2 + GW_WG_REPLY_COST_NS;
	if (r->credit_ns < need)
		return false;
	r->credit_ns -= GW_WG_REPLY_COST_NS;
	if (fresh) {
		r->seen[set][way].tag = tag;
		r->seen[set][way].at_ms = now_ms;
	}
	return true;
}

void
gw_wg_hs_publish(struct gw_wg_if *wif)
{
	const struct wg_cookie_checker *c = &wif->dev->cookie_checker;

	if (memcmp(c, &wif->ck_pub, sizeof(*c)) == 0)
		return;
	rte_seqcount_write_begin(&wif->ck_seq);
	memcpy(&wif->ck_pub, c, sizeof(*c));
	rte_seqcount_write_end(&wif->ck_seq);
}

static void
gw_wg_hs_read(const struct gw_wg_if *wif, struct wg_cookie_checker *c)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&wif->ck_seq);
		memcpy(c, &wif->ck_pub, sizeof(*c));
	} while (unlikely(rte_seqcount_read_retry(&wif->ck_seq, sn)));
}

bool
gw_wg_hs_under_load(struct gw_wg_if *wif, unsigned int queued, uint64_t now)
{
	uint64_t n, dt;
	bool under;

	/* Linux: a backlog of 1/8 of the queue, held for a second */
	if (queued >= GW_WG_UNDER_LOAD)
		wif->last_under_load = now;
	/*
	 * While the I/O lcores filter, the queue stays short: the filter must
	 * not switch itself off as long as messages with a valid mac1 (each
	 * one a DH for the control lcore without it) keep arriving faster
	 * than about half of what one control lcore can answer. Messages
	 * with a bad mac1 cost nothing and do not count.
	 */
	dt = now - wif->hs_io_at;
	if (dt >= GW_WG_HS_LOAD_WINDOW_NS) {
		n = __atomic_load_n(&wif->hs_io_filtered, __ATOMIC_RELAXED);
		if ((n - wif->hs_io_seen) * WG_NSEC_PER_SEC / dt >=
		    GW_WG_HS_LOAD_RATE)
			wif->last_under_load = now;
		wif->hs_io_seen = n;
		wif->hs_io_at = now;
	}
	under = wif->last_under_load != 0 &&
		!wg_birthdate_has_expired(wif->last_under_load,
					  WG_NSEC_PER_SEC, now);
	if (under != (__atomic_load_n(&wif->hs_filter, __ATOMIC_RELAXED) != 0))
		__atomic_store_n(&wif->hs_filter, under ? 1u : 0u,
				 __ATOMIC_RELAXED);
	return under;
}

bool
gw_wg_hs_filter(struct gw_lcore *lc, struct gw_wg_if *wif, struct rte_mbuf *m,
		const uint8_t *msg, uint32_t len, const struct wg_endpoint *src)
{
	struct gw_wg_replier *r;
	struct wg_cookie_checker ck;
	struct wg_msg_cookie reply;
	enum wg_cookie_mac_state st;
	uint32_t sender_index;

	if (likely(__atomic_load_n(&wif->hs_filter, __ATOMIC_RELAXED) == 0) ||
	    msg[0] == WG_MSG_HANDSHAKE_COOKIE)
		return false;
	gw_wg_hs_read(wif, &ck);
	if (!ck.has_keys) {
		wg_memzero(&ck, sizeof(ck));
		return false;	/* the control lcore counts it */
	}
	st = wg_cookie_check_macs(&ck, msg, len, src, true);
	if (st == WG_COOKIE_VALID_MAC_WITH_COOKIE) {
		wg_memzero(&ck, sizeof(ck));
		return false;
	}
	r = &RTE_PER_LCORE(gw_wg_replier);
	if (st == WG_COOKIE_INVALID_MAC) {
		wg_memzero(&ck, sizeof(ck));
		gw_drop(lc, m, GW_DROP_WG_MAC1);
		return true;
	}
	if (!gw_wg_reply_allowed(r, src, gw_wg_now(wif->wg))) {
		gw_drop(lc, m, GW_DROP_WG_COOKIE_BUDGET);
	} else {
		/* sender_index sits at the same offset in both */
		sender_index = wg_le32_load(msg +
			offsetof(struct wg_msg_initiation, sender_index));
		wg_cookie_reply_make(&ck, &reply, msg, len, sender_index, src,
				     gw_wg_nonce(r));
		if (gw_wg_xmit_udp(lc, wif, src, (const uint8_t *)&reply,
				   sizeof(reply)) == 0)
			lc->stats.wg_tx_cookie++;
		gw_drop(lc, m, GW_DROP_WG_COOKIE_SENT);
	}
	wg_memzero(&ck, sizeof(ck));
	__atomic_fetch_add(&wif->hs_io_filtered, 1, __ATOMIC_RELAXED);
	return true;
}
