/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>

#include "crypto/primitives.h"
#include "handshake.h"
#include "port.h"
#include "wireguard/constants.h"
#include "wireguard/messages.h"

/* Peers looked at per poll for retries and rekeys. */
#define GEN_HS_SCAN_BUSY	256
#define GEN_HS_SCAN_IDLE	16

static bool
gen_hs_send_initiation(struct gen *g, struct gen_peer *p, uint64_t now)
{
	struct wg_msg_initiation *msg;
	struct rte_mbuf *m;
	uint8_t *buf;

	m = gen_port_alloc(g, GEN_FRAME_HDRS + sizeof(*msg));
	if (m == NULL)
		return false;
	buf = rte_pktmbuf_mtod(m, uint8_t *);
	msg = (struct wg_msg_initiation *)(buf + GEN_FRAME_HDRS);
	if (!wg_noise_handshake_create_initiation(msg, &p->hs,
						  g->peers->index,
						  gen_real_ns())) {
		rte_pktmbuf_free(m);
		return false;
	}
	wg_cookie_add_macs(&p->cookie, g->o.gw_public_key, (uint8_t *)msg,
			   sizeof(*msg), gen_now_ns(g));
	gen_frame_udp4(buf, &g->wan.mac, &g->wan.gw_mac, p->outer_ip,
		       g->o.gw_wan_ip, g->o.peer_port, g->o.gw_port,
		       sizeof(*msg), g->wan.ip_id++);
	gen_port_ctl(g, &g->wan, m);
	if (!p->hs_pending)
		p->tries = 0;
	if (p->tries == 0 && p->state != GEN_PEER_UP)
		p->hs_started = now;
	p->hs_pending = true;
	p->retry_now = false;
	p->tries++;
	/* up to 1/8 of jitter, so that retries of a burst spread out */
	p->retry_at = now + g->hs_timeout +
		(uint64_t)(wg_random_u32() % (g->hs_timeout / 8 + 1));
	g->st.hs.initiations++;
	if (g->st.hs.first_tsc == 0)
		g->st.hs.first_tsc = now;
	return true;
}

static void
gen_hs_give_up(struct gen *g, struct gen_peer *p)
{
	wg_noise_handshake_clear(&p->hs, g->peers->index);
	p->hs_pending = false;
	p->retry_now = false;
	if (p->state == GEN_PEER_SENT) {
		p->state = GEN_PEER_FAILED;
		g->hs_settled++;
		g->st.hs.failed++;
	}
}

static bool
gen_hs_rekey_due(const struct gen *g, struct gen_peer *p, uint64_t now)
{
	struct gen_session *s = gen_peer_session(p);

	return p->state == GEN_PEER_UP && !p->hs_pending && s != NULL &&
		now - s->birth >= (uint64_t)((double)WG_REKEY_AFTER_TIME *
					     1e-9 * (double)g->hz);
}

unsigned int
gen_hs_poll(struct gen *g, uint64_t now)
{
	struct gen_peers *ps = g->peers;
	double cap = g->o.hs_rate / 50.0;	/* 20 ms worth */
	unsigned int sent = 0, scan, k;
	struct gen_peer *p;

	if (!g->wan.gw_mac_known)
		return 0;
	if (cap < 1)
		cap = 1;
	g->hs_tokens += (double)(now - g->hs_last) * g->o.hs_rate /
		(double)g->hz;
	g->hs_last = now;
	if (g->hs_tokens > cap)
		g->hs_tokens = cap;

	/* retries, cookie retries and rekeys first */
	scan = g->phase == GEN_PHASE_HANDSHAKE ? GEN_HS_SCAN_BUSY :
		GEN_HS_SCAN_IDLE;
	for (k = 0; k < scan && k < ps->n; k++) {
		p = &ps->p[g->hs_scan];
		if (p->hs_pending && (p->retry_now || now >= p->retry_at)) {
			if (!p->retry_now && p->tries >= g->o.hs_tries) {
				gen_hs_give_up(g, p);
			} else {
				if (g->hs_tokens < 1)
					break;
				if (p->retry_now)
					g->st.hs.cookie_retries++;
				else
					g->st.hs.retries++;
				if (gen_hs_send_initiation(g, p, now)) {
					g->hs_tokens -= 1;
					sent++;
				}
			}
		} else if (gen_hs_rekey_due(g, p, now)) {
			if (g->hs_tokens < 1)
				break;
			if (gen_hs_send_initiation(g, p, now)) {
				g->hs_tokens -= 1;
				sent++;
			}
		}
		if (++g->hs_scan == ps->n)
			g->hs_scan = 0;
	}

	/* peers never initiated */
	while (g->hs_tokens >= 1 && g->hs_next_new < ps->n) {
		p = &ps->p[g->hs_next_new];
		if (!gen_hs_send_initiation(g, p, now))
			break;
		p->state = GEN_PEER_SENT;
		g->hs_next_new++;
		g->hs_tokens -= 1;
		sent++;
	}
	return sent;
}

void
gen_hs_keepalive(struct gen *g, struct gen_peer *p)
{
	struct gen_session *s = gen_peer_session(p);
	static const uint8_t empty[1];
	struct rte_mbuf *m;
	uint8_t *buf, *msg;

	if (s == NULL)
		return;
	m = gen_port_alloc(g, GEN_FRAME_HDRS + WG_DATA_MIN_LEN);
	if (m == NULL)
		return;
	buf = rte_pktmbuf_mtod(m, uint8_t *);
	msg = buf + GEN_FRAME_HDRS;
	wg_msg_header_set((struct wg_msg_header *)msg, WG_MSG_DATA);
	wg_le32_store(msg + 4, s->remote_index);
	wg_le64_store(msg + 8, s->next_counter);
	wg_aead_encrypt(msg + WG_DATA_HEADER_LEN, empty, 0, NULL, 0,
			s->next_counter, s->send_key);
	s->next_counter++;
	gen_frame_udp4(buf, &g->wan.mac, &g->wan.gw_mac, p->outer_ip,
		       g->o.gw_wan_ip, g->o.peer_port, g->o.gw_port,
		       WG_DATA_MIN_LEN, g->wan.ip_id++);
	gen_port_ctl(g, &g->wan, m);
	g->st.hs.keepalives++;
}

static void
gen_hs_response(struct gen *g, const struct gen_udp4 *u, uint64_t now)
{
	const struct wg_msg_response *msg =
		(const struct wg_msg_response *)u->payload;
	struct wg_endpoint src;
	struct gen_peer *p;

	p = gen_peers_lookup_handshake(g->peers,
				       wg_le32_load(msg->receiver_index));
	if (p == NULL || p->outer_ip != u->dip || !p->hs_pending) {
		g->st.misc.wg_unknown_index++;
		return;
	}
	memset(&src, 0, sizeof(src));
	src.family = AF_INET;
	src.port = u->sport;
	memcpy(src.addr, &u->sip, 4);
	/* mac1 (keyed with our public key) before any Curve25519 */
	if (wg_cookie_validate(&p->mac1, u->payload, u->payload_len, &src,
			       false, gen_now_ns(g)) == WG_COOKIE_INVALID_MAC ||
	    wg_noise_handshake_consume_response_direct(&p->hs, msg) !=
	    WG_NOISE_OK) {
		g->st.hs.responses_bad++;
		return;
	}
	g->st.hs.responses++;
	if (!gen_peer_install_session(g->peers, p, now)) {
		g->st.hs.responses_bad++;
		return;
	}
	p->hs_pending = false;
	p->retry_now = false;
	if (p->state == GEN_PEER_SENT) {
		p->state = GEN_PEER_UP;
		g->hs_settled++;
		g->st.hs.completed++;
		g->st.hs.last_tsc = now;
	} else {
		g->st.hs.rekeys++;
	}
	/* the gateway keeps the session as `next` until data arrives */
	gen_hs_keepalive(g, p);
}

static void
gen_hs_cookie(struct gen *g, const struct gen_udp4 *u)
{
	const struct wg_msg_cookie *msg =
		(const struct wg_msg_cookie *)u->payload;
	struct gen_peer *p;

	p = gen_peers_lookup_handshake(g->peers,
				       wg_le32_load(msg->receiver_index));
	if (p == NULL || p->outer_ip != u->dip || !p->hs_pending) {
		g->st.misc.wg_unknown_index++;
		return;
	}
	if (!wg_cookie_maker_consume(&p->cookie, g->o.gw_public_key, msg,
				     gen_now_ns(g))) {
		g->st.hs.cookies_bad++;
		return;
	}
	g->st.hs.cookies++;
	/* the gateway is under load: the next initiation carries mac2 */
	p->retry_now = true;
}

void
gen_hs_input(struct gen *g, const struct gen_udp4 *u, uint8_t type,
	     uint64_t now)
{
	if (type == WG_MSG_HANDSHAKE_RESPONSE)
		gen_hs_response(g, u, now);
	else if (type == WG_MSG_HANDSHAKE_COOKIE)
		gen_hs_cookie(g, u);
	else
		g->st.misc.wg_initiations_rx++;
}
