/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef FUZZ_WORLD_H
#define FUZZ_WORLD_H

/*
 * A small deterministic WireGuard network for the protocol-core harnesses
 * and the corpus generator: three in-process devices joined by a queue,
 * a fake monotonic clock and a fake wall clock.
 *
 *   T (the target)  192.0.2.1:51820        inner 10.9.0.1, fd00:9::1
 *       peers: A  (10.9.0.2/32, fd00:9::2/128)
 *              B  (10.9.0.3/32, fd00:9::3/128, preshared key)
 *              X1 (10.9.1.0/24, 198.51.100.1:1000, keepalive 25 s; no device)
 *              X2 (fd00:9:2::/64, no endpoint; no device)
 *   A               192.0.2.2:51821        inner 10.9.0.2, fd00:9::2
 *       peer: T (0.0.0.0/0, ::/0)
 *   B               [2001:db8::2]:51822    inner 10.9.0.3, fd00:9::3, MTU 0
 *       peer: T (10.9.0.0/24, fd00:9::/64, preshared key)
 *
 * Every key, index and ephemeral comes from the deterministic RNG, one
 * stream per device (fw_enter selects it before any call into a device),
 * so a given sequence of calls always produces the same bytes: a message
 * captured by gen_corpus from a world created with the same flags is valid
 * for a harness's world.
 *
 * The callbacks check what the devices hand out: every datagram sent is
 * a well-formed WireGuard message, every inner packet delivered is read
 * in full (AddressSanitizer checks the bounds) and starts like IPv4/IPv6.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wireguard/device.h"

#define FW_T		0
#define FW_A		1
#define FW_B		2
#define FW_NDEV		3
#define FW_MAX_PKT	1600
#define FW_QUEUE_LEN	32
#define FW_START_NS	(1000 * WG_NSEC_PER_SEC)
#define FW_START_REAL	(1700000000ULL * WG_NSEC_PER_SEC)

/* fw_world_create flags */
#define FW_SESSION_A	(1U << 0)	/* A initiated a handshake with T, confirmed */
#define FW_PENDING_B	(1U << 1)	/* T's initiation to B is queued, undelivered */

struct fw_pkt {
	int from;		/* device index, -1: outside */
	int to;			/* device index */
	size_t len;
	uint8_t buf[FW_MAX_PKT];
};

struct fw_dev {
	struct fw_world *w;
	int idx;
	struct wg_device *dev;
	uint8_t priv[WG_PUBLIC_KEY_LEN];
	uint8_t pub[WG_PUBLIC_KEY_LEN];
	struct wg_endpoint ep;
	uint8_t inner4[4];
	uint8_t inner6[16];
	bool under_load;
	uint64_t delivered;		/* inner packets delivered */
	uint64_t staged_freed;		/* driver buffers released */
};

struct fw_world {
	struct fw_dev d[FW_NDEV];
	uint8_t x_pub[2][WG_PUBLIC_KEY_LEN];
	uint8_t psk_b[WG_SYMMETRIC_KEY_LEN];
	uint64_t now;
	uint64_t real;
	struct fw_pkt *q;
	size_t q_head;
	size_t q_len;
	uint64_t lost;			/* datagrams to nowhere or queue full */
	uint64_t sink;			/* keeps reads of delivered data alive */
};

/* The world described above; aborts if the protocol core misbehaves. */
struct fw_world *
fw_world_create(unsigned int flags);
void
fw_world_free(struct fw_world *w);

/*
 * Adds the world's peer entry for device remote to device dev (T-A, T-B,
 * A-T or B-T, as at creation, no keepalive). wg_device_add_peer's result.
 */
int
fw_world_add_peer(struct fw_world *w, int dev, int remote);

/* FUZZ_TRACE set in the environment: print what happens (debugging). */
bool
fw_trace(void);

/* Selects dev's RNG stream: call before any direct call into a device. */
void
fw_enter(struct fw_world *w, int dev);

/* The peer entry on device dev for device remote, or NULL. */
struct wg_peer *
fw_peer(struct fw_world *w, int dev, int remote);

/*
 * Hands buf/len (copied into a buffer of exactly len bytes) to device to,
 * as received from src. The result is checked to be a valid reason.
 */
enum wg_drop_reason
fw_receive(struct fw_world *w, int to, const uint8_t *buf, size_t len,
	   const struct wg_endpoint *src);
/* fw_receive of a queued datagram from its sender's endpoint. */
enum wg_drop_reason
fw_deliver(struct fw_world *w, const struct fw_pkt *p);

bool
fw_pop(struct fw_world *w, struct fw_pkt *out);
/* Delivers at most max queued datagrams; returns how many. */
unsigned int
fw_pump(struct fw_world *w, unsigned int max);
void
fw_flush(struct fw_world *w);

/* Advances both clocks by dt and runs every device's timers. */
void
fw_advance(struct fw_world *w, uint64_t dt);

/*
 * Recomputes mac1/mac2 of a handshake message (148 or 92 bytes, type 1
 * or 2) as device from would for device to: with from's cookie maker for
 * that peer (mac2 too when it holds a cookie), or, when from is -1 or has
 * no such peer, mac1 alone under to's public key. Anything else is left.
 */
void
fw_fix_macs(struct fw_world *w, int from, int to, uint8_t *msg, size_t len);

/* An IPv4 (20-byte header) or IPv6 (40) packet of len bytes, UDP payload. */
size_t
fw_ipv4(uint8_t *buf, size_t len, const uint8_t src[4], const uint8_t dst[4]);
size_t
fw_ipv6(uint8_t *buf, size_t len, const uint8_t src[16],
	const uint8_t dst[16]);

/* Endpoints outside the world (spoofed sources). */
struct wg_endpoint
fw_ep4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port);
struct wg_endpoint
fw_ep6(uint16_t last, uint16_t port);

#endif /* FUZZ_WORLD_H */
