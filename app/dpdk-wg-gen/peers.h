/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef GEN_PEERS_H
#define GEN_PEERS_H

/*
 * The emulated peers: each has its own X25519 identity, its Noise
 * handshake state and cookie maker (lib/wireguard used directly, without
 * a wg_device: no rate limiter or peer table per peer), its sessions, its
 * outer address and its tunnel address. Private keys come from a seed
 * (deterministic, so that `--emit-config` and the run agree) or a file.
 *
 * Receiver indices: one wg_index_table for all peers. A pending handshake
 * is found by its entry (WG_INDEX_HANDSHAKE, the first member of
 * struct gen_peer), a session by its own entry (WG_INDEX_KEYPAIR). Single
 * threaded: the generator runs on one lcore.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <arpa/inet.h>

#include "options.h"
#include "wireguard/cookie.h"
#include "wireguard/index_table.h"
#include "wireguard/noise.h"

enum gen_dir_idx {
	GEN_D_DEC = 0,		/* peer -> gateway -> LAN */
	GEN_D_ENC = 1,		/* LAN -> gateway -> peer */
	GEN_D_MAX,
};

enum gen_peer_state {
	GEN_PEER_IDLE = 0,	/* no initiation sent yet */
	GEN_PEER_SENT,		/* first handshake under way */
	GEN_PEER_UP,		/* a session (rekey may be under way) */
	GEN_PEER_FAILED,	/* gave up */
};

struct gen_peer;

struct gen_session {
	struct wg_index_entry entry;	/* our index: WG_INDEX_KEYPAIR */
	struct gen_peer *peer;
	uint8_t send_key[32];
	uint8_t recv_key[32];
	uint32_t remote_index;		/* receiver index of what we send */
	uint64_t next_counter;		/* next nonce we send */
	uint64_t rx_next_counter;	/* next counter expected from the gateway */
	uint64_t birth;			/* TSC */
	bool valid;
};

struct gen_peer {
	struct wg_handshake hs;		/* first: container of hs.entry */
	struct wg_static_identity si;
	struct wg_cookie_maker cookie;
	struct wg_cookie_checker mac1;	/* checks mac1 of the responses */
	struct gen_session sess[2];	/* current and previous, alternating */
	uint8_t cur;			/* index of the current session */
	uint8_t state;			/* enum gen_peer_state */
	bool hs_pending;		/* an initiation awaits its response */
	bool retry_now;			/* cookie received: retry at once */
	uint16_t tries;			/* initiations of this handshake */
	uint32_t id;
	uint32_t outer_ip;		/* network order */
	uint32_t tunnel_ip;		/* network order */
	uint64_t retry_at;		/* TSC */
	uint64_t hs_started;		/* TSC of the first initiation */
	uint64_t tx_seq[GEN_D_MAX];	/* inner sequence numbers */
	uint64_t rx_next[GEN_D_MAX];	/* next expected */
	uint64_t tx_pkts[GEN_D_MAX];
	uint64_t rx_pkts[GEN_D_MAX];
};

struct gen_peers {
	struct gen_peer *p;
	uint32_t n;
	struct wg_index_table *index;
	uint32_t first_outer;		/* host order */
};

/*
 * The private key of each of n peers (seed or file) into keys[n][32];
 * tunnel addresses (network order) into tunnel[n]. 0 or -1 (message).
 */
int
gen_peers_keys(const struct gen_options *o, uint32_t n, uint8_t (*keys)[32],
	       uint32_t *tunnel);

/* Prints the `peers:` block of o->emit_config peers. 0 or -1. */
int
gen_peers_emit_config(const struct gen_options *o, FILE *f);

/* Creates the identities and handshakes (2 X25519 per peer). NULL on error. */
struct gen_peers *
gen_peers_create(const struct gen_options *o);
void
gen_peers_free(struct gen_peers *ps);

static inline struct gen_session *
gen_peer_session(struct gen_peer *p)
{
	struct gen_session *s = &p->sess[p->cur];

	return s->valid ? s : NULL;
}

/* The peer whose outer address is ip (network order), or NULL. */
static inline struct gen_peer *
gen_peers_by_outer(struct gen_peers *ps, uint32_t ip_be)
{
	uint32_t i = ntohl(ip_be) - ps->first_outer;

	return i < ps->n ? &ps->p[i] : NULL;
}

/* The peer with a pending handshake announced with this index, or NULL. */
struct gen_peer *
gen_peers_lookup_handshake(struct gen_peers *ps, uint32_t index);
/* The session with this local index, or NULL. */
struct gen_session *
gen_peers_lookup_session(struct gen_peers *ps, uint32_t index);

/*
 * The handshake of p completed: the keys go into a new current session
 * (the old current becomes previous, the one before is dropped), which
 * takes over the handshake's index. False if hs is not ready.
 */
bool
gen_peer_install_session(struct gen_peers *ps, struct gen_peer *p,
			 uint64_t now_tsc);

#endif /* GEN_PEERS_H */
