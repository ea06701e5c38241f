/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "config/config.h"
#include "crypto/primitives.h"
#include "peers.h"

/* Domain separation of the seed-derived keys (version 1). */
static const char gen_key_label[] = "dpdk-wg-gen peer private key v1";

static void
gen_key_from_seed(uint64_t seed, uint32_t id, uint8_t key[32])
{
	crypto_generichash_state st;
	uint8_t le[12];
	int i;

	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(seed >> (8 * i));
	for (i = 0; i < 4; i++)
		le[8 + i] = (uint8_t)(id >> (8 * i));
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)gen_key_label,
				  sizeof(gen_key_label) - 1);
	crypto_generichash_update(&st, le, sizeof(le));
	crypto_generichash_final(&st, key, 32);
	/* X25519 clamping, as wg genkey prints them */
	key[0] &= 248;
	key[31] &= 127;
	key[31] |= 64;
}

static int
gen_keys_from_file(const struct gen_options *o, uint32_t n, uint8_t (*keys)[32],
		   uint32_t *tunnel)
{
	char line[512], *p, *k, *a, *save = NULL;
	struct gw_sockaddr sa;
	unsigned int lineno = 0;
	uint32_t i = 0;
	FILE *f;

	f = fopen(o->peers_file, "r");
	if (f == NULL) {
		fprintf(stderr, "dpdk-wg-gen: %s: %s\n", o->peers_file,
			strerror(errno));
		return -1;
	}
	while (i < n && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fprintf(stderr, "dpdk-wg-gen: %s:%u: line too long\n",
				o->peers_file, lineno);
			goto err;
		}
		p = strchr(line, '#');
		if (p != NULL)
			*p = '\0';
		k = strtok_r(line, " \t\r\n", &save);
		if (k == NULL)
			continue;
		a = strtok_r(NULL, " \t\r\n", &save);
		if (gw_parse_key_base64(k, keys[i]) != 0) {
			fprintf(stderr, "dpdk-wg-gen: %s:%u: not a base64 "
				"private key\n", o->peers_file, lineno);
			goto err;
		}
		if (a != NULL) {
			if (gw_parse_addr(a, &sa) != 0 || sa.family != AF_INET) {
				fprintf(stderr, "dpdk-wg-gen: %s:%u: '%s' is "
					"not an IPv4 address\n", o->peers_file,
					lineno, a);
				goto err;
			}
			memcpy(&tunnel[i], sa.addr, 4);
		}
		if (strtok_r(NULL, " \t\r\n", &save) != NULL) {
			fprintf(stderr, "dpdk-wg-gen: %s:%u: expected \"KEY "
				"[TUNNEL_IPV4]\"\n", o->peers_file, lineno);
			goto err;
		}
		i++;
	}
	sodium_memzero(line, sizeof(line));
	fclose(f);
	if (i < n) {
		fprintf(stderr, "dpdk-wg-gen: %s: %u peers, %u wanted\n",
			o->peers_file, i, n);
		return -1;
	}
	return 0;
err:
	sodium_memzero(line, sizeof(line));
	fclose(f);
	return -1;
}

int
gen_peers_keys(const struct gen_options *o, uint32_t n, uint8_t (*keys)[32],
	       uint32_t *tunnel)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		tunnel[i] = htonl(ntohl(o->tunnel_ip) + i);
	if (o->peers_file != NULL)
		return gen_keys_from_file(o, n, keys, tunnel);
	for (i = 0; i < n; i++)
		gen_key_from_seed(o->seed, i, keys[i]);
	return 0;
}

int
gen_peers_emit_config(const struct gen_options *o, FILE *f)
{
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	char ip[INET_ADDRSTRLEN];
	uint32_t n = o->emit_config, i;
	uint8_t (*keys)[32];
	uint32_t *tunnel;
	uint8_t pub[32];
	int ret = -1;

	keys = calloc(n, sizeof(*keys));
	tunnel = calloc(n, sizeof(*tunnel));
	if (keys == NULL || tunnel == NULL) {
		fprintf(stderr, "dpdk-wg-gen: out of memory\n");
		goto out;
	}
	if (gen_peers_keys(o, n, keys, tunnel) != 0)
		goto out;
	if (o->peers_file != NULL)
		fprintf(f, "    # %u peers of dpdk-wg-gen --peers-file %s\n",
			n, o->peers_file);
	else
		fprintf(f, "    # %u peers of dpdk-wg-gen --seed %" PRIu64
			" (keys derived from the seed: public, for tests only)\n",
			n, o->seed);
	fprintf(f, "    peers:\n");
	for (i = 0; i < n; i++) {
		if (!wg_x25519_public(pub, keys[i])) {
			fprintf(stderr, "dpdk-wg-gen: peer %u: bad key\n", i);
			goto out;
		}
		sodium_bin2base64(b64, sizeof(b64), pub, 32,
				  sodium_base64_VARIANT_ORIGINAL);
		inet_ntop(AF_INET, &tunnel[i], ip, sizeof(ip));
		fprintf(f, "      - public_key: \"%s\"\n"
			"        allowed_ips: [%s/32]\n", b64, ip);
	}
	ret = fflush(f) == 0 && !ferror(f) ? 0 : -1;
out:
	if (keys != NULL)
		sodium_memzero(keys, (size_t)n * sizeof(*keys));
	free(keys);
	free(tunnel);
	return ret;
}

struct gen_peers *
gen_peers_create(const struct gen_options *o)
{
	uint32_t n = o->n_peers, i;
	struct gen_peers *ps;
	uint8_t (*keys)[32] = NULL;
	uint32_t *tunnel = NULL;
	struct gen_peer *p;

	ps = calloc(1, sizeof(*ps));
	if (ps == NULL)
		goto nomem;
	ps->n = n;
	ps->first_outer = ntohl(o->peer_ip);
	/* page-aligned, zeroed; freed with free() */
	if (posix_memalign((void **)&ps->p, 4096, (size_t)n * sizeof(*p)) != 0) {
		ps->p = NULL;
		goto nomem;
	}
	memset(ps->p, 0, (size_t)n * sizeof(*p));
	ps->index = wg_index_table_create();
	keys = calloc(n, sizeof(*keys));
	tunnel = calloc(n, sizeof(*tunnel));
	if (ps->index == NULL || keys == NULL || tunnel == NULL)
		goto nomem;
	if (gen_peers_keys(o, n, keys, tunnel) != 0)
		goto err;
	for (i = 0; i < n; i++) {
		p = &ps->p[i];
		p->id = i;
		p->outer_ip = htonl(ps->first_outer + i);
		p->tunnel_ip = tunnel[i];
		wg_noise_set_private_key(&p->si, keys[i]);
		if (!p->si.has_identity) {
			fprintf(stderr, "dpdk-wg-gen: peer %u: bad private "
				"key\n", i);
			goto err;
		}
		/* NULL peer: the handshake lives outside any wg_device */
		wg_noise_handshake_init(&p->hs, &p->si, o->gw_public_key, NULL,
					NULL);
		if (wg_is_zero(p->hs.precomputed_static_static, 32)) {
			fprintf(stderr, "dpdk-wg-gen: peer %u: the gateway's "
				"public key gives a zero shared secret\n", i);
			goto err;
		}
		wg_cookie_maker_init(&p->cookie);
		/* responses carry a mac1 keyed with our public key */
		wg_cookie_checker_init(&p->mac1, 0);
		wg_cookie_checker_set_public_key(&p->mac1,
						 p->si.static_public);
		p->sess[0].peer = p;
		p->sess[1].peer = p;
		p->sess[0].entry.type = WG_INDEX_KEYPAIR;
		p->sess[1].entry.type = WG_INDEX_KEYPAIR;
	}
	sodium_memzero(keys, (size_t)n * sizeof(*keys));
	free(keys);
	free(tunnel);
	return ps;
nomem:
	fprintf(stderr, "dpdk-wg-gen: out of memory for %u peers\n", n);
err:
	if (keys != NULL)
		sodium_memzero(keys, (size_t)n * sizeof(*keys));
	free(keys);
	free(tunnel);
	gen_peers_free(ps);
	return NULL;
}

void
gen_peers_free(struct gen_peers *ps)
{
	uint32_t i;

	if (ps == NULL)
		return;
	if (ps->p != NULL) {
		/* handshakes in flight hold secrets of their own */
		for (i = 0; i < ps->n; i++)
			wg_noise_handshake_wipe(&ps->p[i].hs, ps->index);
		sodium_memzero(ps->p, (size_t)ps->n * sizeof(*ps->p));
		free(ps->p);
	}
	if (ps->index != NULL)
		wg_index_table_free(ps->index);
	free(ps);
}

struct gen_peer *
gen_peers_lookup_handshake(struct gen_peers *ps, uint32_t index)
{
	struct wg_index_entry *e;

	e = wg_index_table_lookup(ps->index, index, WG_INDEX_HANDSHAKE);
	if (e == NULL)
		return NULL;
	return (struct gen_peer *)((char *)e -
		offsetof(struct gen_peer, hs.entry));
}

struct gen_session *
gen_peers_lookup_session(struct gen_peers *ps, uint32_t index)
{
	struct wg_index_entry *e;

	e = wg_index_table_lookup(ps->index, index, WG_INDEX_KEYPAIR);
	if (e == NULL)
		return NULL;
	return (struct gen_session *)((char *)e -
		offsetof(struct gen_session, entry));
}

bool
gen_peer_install_session(struct gen_peers *ps, struct gen_peer *p,
			 uint64_t now_tsc)
{
	uint8_t next = p->sess[p->cur].valid ? (uint8_t)(p->cur ^ 1) : p->cur;
	struct gen_session *s = &p->sess[next];
	struct gen_session tmp;
	bool initiator;

	memset(&tmp, 0, sizeof(tmp));
	if (!wg_noise_handshake_derive_keys(&p->hs, tmp.send_key, tmp.recv_key,
					    &tmp.remote_index, &initiator))
		return false;
	/* the slot's old session (the previous one) goes */
	wg_index_table_remove(ps->index, &s->entry);
	memcpy(s->send_key, tmp.send_key, 32);
	memcpy(s->recv_key, tmp.recv_key, 32);
	s->remote_index = tmp.remote_index;
	s->next_counter = 0;
	s->rx_next_counter = 0;
	s->birth = now_tsc;
	s->valid = true;
	sodium_memzero(&tmp, sizeof(tmp));
	if (!wg_index_table_replace(ps->index, &p->hs.entry, &s->entry)) {
		s->valid = false;
		return false;
	}
	p->cur = next;
	return true;
}
