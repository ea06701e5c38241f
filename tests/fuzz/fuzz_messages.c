/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libFuzzer harness: raw UDP payloads into the full receive path of the
 * target device T of fuzz_world.h (classification, mac1/mac2/cookie,
 * rate limiter, Noise responder and initiator, cookie replies, data
 * decryption, replay window, inner header and allowed-IPs checks).
 *
 * Input: one flags byte, then the payload.
 *
 *   bit 0  T is under load (mac2 / cookie reply / rate limiter)
 *   bit 1  recompute mac1 (and zero mac2) of a handshake-sized payload,
 *          so that mutations reach Noise instead of stopping at mac1
 *   bit 2  world with a session A <-> T (data for T's index decrypts)
 *   bit 3  world with T's initiation to B pending (B's response and
 *          cookie reply have something to match)
 *   bit 4-5 source: A's endpoint, B's, an unknown IPv4, an unknown IPv6
 *   bit 6  afterwards advance 11 s (timers) and deliver what was sent
 *   bit 7  the payload is a list of records [u16 length LE][bytes]
 *          (at most 16), delivered in order; otherwise one datagram
 *
 * The world is deterministic (fuzz_common.h): the seed messages written
 * by gen_corpus for a given flags byte are valid for that world.
 */

#include <stdlib.h>
#include <string.h>

#include "crypto/primitives.h"
#include "fuzz_common.h"
#include "fuzz_world.h"

#define FM_UNDER_LOAD	0x01
#define FM_FIX_MAC	0x02
#define FM_SESSION	0x04
#define FM_PENDING	0x08
#define FM_SRC_SHIFT	4
#define FM_TIMERS	0x40
#define FM_MULTI	0x80
#define FM_MAX_RECORDS	16

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fz_rng_install() != 0 || wg_crypto_init() != 0)
		abort();
	return 0;
}

static void
fm_one(struct fw_world *w, uint8_t flags, const uint8_t *msg, size_t len,
       const struct wg_endpoint *src)
{
	uint8_t buf[FW_MAX_PKT];

	if ((flags & FM_FIX_MAC) && len <= sizeof(buf)) {
		memcpy(buf, msg, len);
		fw_fix_macs(w, -1, FW_T, buf, len);
		msg = buf;
	}
	fw_receive(w, FW_T, msg, len, src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wg_endpoint src;
	struct fw_world *w;
	unsigned int wflags = 0, n;
	struct fz_in in;
	uint8_t flags;

	if (size < 1)
		return 0;
	fz_in_init(&in, data, size);
	flags = fz_u8(&in);
	if (flags & FM_SESSION)
		wflags |= FW_SESSION_A;
	if (flags & FM_PENDING)
		wflags |= FW_PENDING_B;
	w = fw_world_create(wflags);
	w->d[FW_T].under_load = (flags & FM_UNDER_LOAD) != 0;
	switch ((flags >> FM_SRC_SHIFT) & 3) {
	case 0:
		src = w->d[FW_A].ep;
		break;
	case 1:
		src = w->d[FW_B].ep;
		break;
	case 2:
		src = fw_ep4(203, 0, 113, 7, 9999);
		break;
	default:
		src = fw_ep6(0x77, 9999);
		break;
	}

	if (!(flags & FM_MULTI)) {
		fm_one(w, flags, in.p + in.pos, fz_in_left(&in), &src);
	} else {
		for (n = 0; n < FM_MAX_RECORDS && fz_in_left(&in) >= 2; n++) {
			size_t len = fz_u16(&in);

			if (len > fz_in_left(&in))
				len = fz_in_left(&in);
			fm_one(w, flags, in.p + in.pos, len, &src);
			in.pos += len;
		}
	}
	if (flags & FM_TIMERS) {
		fw_advance(w, 11 * WG_NSEC_PER_SEC);
		fw_pump(w, FW_QUEUE_LEN);
	}
	fw_world_free(w);
	return 0;
}
