/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The configuration loader: config/gw.yaml and a file using every key load
 * with every field right; each bad file is refused with its exact
 * "file:line:column: message" and leaves the struct zeroed; key files are
 * refused when group- or world-accessible; the parsing helpers.
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "config/config.h"
#include "test.h"

#define DATA_DIR	CONFIG_TEST_DIR "/data/"
#define GW_YAML		CONFIG_TEST_DIR "/../../../config/gw.yaml"
#define DEMO_PEERS	CONFIG_TEST_DIR "/../../../config/demo-peers.conf"

/* Keys used by the fixtures: none may ever appear in a message. */
static const char *const test_keys[] = {
	"4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=",
	"wCRRvw5GAKSIdIYIhfk1RcSAJYuxx0HwNgxFSK3h0jw=",
	"CyGW6teo3cvLDvnh72FNPlYzVONYLXoZbEPBVzKymtA=",
	"5VjW1T+Jsvmy7MTY4J6XLtCpEgT/nVzjh3m8aG5sqC0=",
	"AEAtahwDatstyaIza5EtUA6Oc1BUzoflag6Y4IF8H0w=",
	"QV/YSL6IedQElvOsVXeBa+sDimDSteucQ15+EAGlzjw=",
	"GHYd/UFxG4OwD1uQNQOMntf9m/UkZkYaCGl+4uReWlU=",
	"zskicQDRu7/7VimUbhIEug==",
	"wCRRvw5GAKSIdIYIhfk1RcSAJYuxx0Hw*gxFSK3h0jw=",
};

static bool
test_is_zeroed(const struct gw_config *cfg)
{
	const unsigned char *p = (const unsigned char *)cfg;
	size_t i;

	for (i = 0; i < sizeof(*cfg); i++)
		if (p[i] != 0)
			return false;
	return true;
}

static bool
test_err_has_no_key(const char *err)
{
	size_t i;

	for (i = 0; i < sizeof(test_keys) / sizeof(test_keys[0]); i++) {
		char head[13];

		/* Not even a 12-character piece of one. */
		snprintf(head, sizeof(head), "%s", test_keys[i]);
		if (strstr(err, head) != NULL)
			return false;
	}
	return true;
}

/* Loads path, expects failure with exactly "path:" + expected. */
static void
test_refused(const char *path, const char *expected)
{
	char err[GW_ERR_MAX], want[GW_ERR_MAX + 64];
	struct gw_config cfg;
	int ret;

	/* Garbage in: the loader must leave the struct empty on failure. */
	memset(&cfg, 0xa5, sizeof(cfg));
	ret = gw_config_load(path, &cfg, err);
	snprintf(want, sizeof(want), "%s:%s", path, expected);
	CHECK(ret == -1);
	CHECK(test_is_zeroed(&cfg));
	CHECK(test_err_has_no_key(err));
	if (strcmp(err, want) != 0)
		fprintf(stderr, "  got:  %s\n  want: %s\n", err, want);
	CHECK(strcmp(err, want) == 0);
	if (ret == 0)
		gw_config_free(&cfg);
}

static void
test_bad_file(const char *name, const char *expected)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", DATA_DIR, name);
	test_refused(path, expected);
}

static void
test_prefix_is(const struct gw_prefix *p, const char *addr, unsigned int len)
{
	uint8_t want[16] = { 0 };
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	CHECK(inet_pton(family, addr, want) == 1);
	CHECK(p->family == family);
	CHECK(p->len == len);
	CHECK_MEM(p->addr, want, 16);
}

static void
test_sockaddr_is(const struct gw_sockaddr *sa, const char *addr,
		 unsigned int port)
{
	uint8_t want[16] = { 0 };
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	CHECK(inet_pton(family, addr, want) == 1);
	CHECK(sa->family == family);
	CHECK(sa->port == port);
	CHECK_MEM(sa->addr, want, 16);
}

static void
test_key_is(const uint8_t *key, const char *hex)
{
	uint8_t want[GW_KEY_LEN];

	CHECK(test_unhex(hex, want, sizeof(want)) == GW_KEY_LEN);
	CHECK_MEM(key, want, GW_KEY_LEN);
}

static void
test_key_b64_is(const uint8_t *key, const char *b64)
{
	uint8_t want[GW_KEY_LEN];

	CHECK(gw_parse_key_base64(b64, want) == 0);
	CHECK_MEM(key, want, GW_KEY_LEN);
}

static bool
test_mark_set(const struct gw_mark *m)
{
	return m->line > 0 && m->column > 0;
}

/* ---- config/gw.yaml, the demo's configuration ---- */

/* Finds NAME="value" in the shell file; false if absent. */
static bool
test_shell_var(const char *text, const char *name, char *out, size_t size)
{
	char pat[64];
	const char *p, *end;

	snprintf(pat, sizeof(pat), "\n%s=\"", name);
	p = strstr(text, pat);
	if (p == NULL)
		return false;
	p += strlen(pat);
	end = strchr(p, '"');
	if (end == NULL || (size_t)(end - p) >= size)
		return false;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return true;
}

/* The demo peers' private keys match the public keys gw.yaml lists. */
static void
test_demo_peers(const struct gw_config *cfg)
{
	static char text[8192];
	char priv_b64[64], pub_b64[64];
	uint8_t priv[32], pub[32], gw_pub[32];
	FILE *f = fopen(DEMO_PEERS, "r");
	size_t n;
	unsigned int i;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = fread(text + 1, 1, sizeof(text) - 2, f);
	fclose(f);
	text[0] = '\n';
	text[n + 1] = '\0';

	CHECK(test_shell_var(text, "GW_PUBLIC_KEY", pub_b64, sizeof(pub_b64)));
	CHECK(gw_parse_key_base64(pub_b64, pub) == 0);
	crypto_scalarmult_curve25519_base(gw_pub, cfg->wg[0].private_key);
	CHECK_MEM(gw_pub, pub, 32);

	for (i = 0; i < 2 && i < cfg->wg[0].n_peers; i++) {
		char name[32];

		snprintf(name, sizeof(name), "PEER%u_PRIVATE_KEY", i + 1);
		CHECK(test_shell_var(text, name, priv_b64, sizeof(priv_b64)));
		CHECK(gw_parse_key_base64(priv_b64, priv) == 0);
		crypto_scalarmult_curve25519_base(pub, priv);
		CHECK_MEM(pub, cfg->wg[0].peers[i].public_key, 32);
		snprintf(name, sizeof(name), "PEER%u_PUBLIC_KEY", i + 1);
		CHECK(test_shell_var(text, name, pub_b64, sizeof(pub_b64)));
		test_key_b64_is(cfg->wg[0].peers[i].public_key, pub_b64);
		sodium_memzero(priv, sizeof(priv));
	}
}

static void
test_gw_yaml(void)
{
	static const char *const eal[] = {
		"-l", "0-1", "--in-memory", "--no-pci",
		"--vdev=net_af_packet0,iface=wan0,qpairs=1",
		"--vdev=net_af_packet1,iface=lan0,qpairs=1",
	};
	struct gw_config cfg;
	char err[GW_ERR_MAX];
	const struct gw_wg_cfg *wg;
	unsigned int i;

	CHECK(gw_config_load(GW_YAML, &cfg, err) == 0);
	if (err[0] != '\0')
		fprintf(stderr, "%s\n", err);
	CHECK(err[0] == '\0');
	CHECK(cfg.path != NULL && strcmp(cfg.path, GW_YAML) == 0);

	CHECK(cfg.eal_argc == 6);
	for (i = 0; i < 6 && i < cfg.eal_argc; i++)
		CHECK(strcmp(cfg.eal_argv[i], eal[i]) == 0);
	CHECK(cfg.eal_argv[cfg.eal_argc] == NULL);

	CHECK(cfg.lcores.set);
	CHECK(cfg.lcores.control == 0);
	CHECK(cfg.lcores.n_io == 1 && cfg.lcores.io[0] == 1);
	CHECK(cfg.lcores.n_crypto == 1 && cfg.lcores.crypto[0] == 1);

	CHECK(cfg.n_ports == 2);
	if (cfg.n_ports == 2) {
		CHECK(strcmp(cfg.ports[0].name, "wan") == 0);
		CHECK(strcmp(cfg.ports[0].device, "net_af_packet0") == 0);
		CHECK(cfg.ports[0].n_addrs == 2);
		test_prefix_is(&cfg.ports[0].addrs[0], "198.18.0.1", 24);
		test_prefix_is(&cfg.ports[0].addrs[1], "2001:db8:1::1", 64);
		CHECK(cfg.ports[0].mtu == 1500);
		CHECK(test_mark_set(&cfg.ports[0].mark));
		CHECK(strcmp(cfg.ports[1].name, "lan") == 0);
		CHECK(strcmp(cfg.ports[1].device, "net_af_packet1") == 0);
		CHECK(cfg.ports[1].n_addrs == 2);
		test_prefix_is(&cfg.ports[1].addrs[0], "10.10.0.1", 24);
		test_prefix_is(&cfg.ports[1].addrs[1], "fd00:10::1", 64);
		CHECK(cfg.ports[1].mtu == 1500);
	}
	CHECK(cfg.n_routes == 0 && cfg.routes == NULL);
	CHECK(cfg.n_neighbors == 0 && cfg.neighbors == NULL);

	CHECK(cfg.n_wg == 1);
	if (cfg.n_wg == 1) {
		wg = &cfg.wg[0];
		CHECK(strcmp(wg->name, "wg0") == 0);
		test_key_is(wg->private_key,
			    "18761dfd41711b83b00f5b9035038c9e"
			    "d7fd9bf52466461a08697ee2e45e5a55");
		CHECK(wg->listen_port == 51820);
		CHECK(wg->n_addrs == 2);
		test_prefix_is(&wg->addrs[0], "10.9.0.1", 24);
		test_prefix_is(&wg->addrs[1], "fd00:9::1", 64);
		CHECK(wg->mtu == 1420);
		CHECK(test_mark_set(&wg->mark));
		CHECK(wg->n_peers == 2);
		if (wg->n_peers == 2) {
			test_key_is(wg->peers[0].public_key,
				    "c74dcc0d5352d32f2e5477d98359bdd6"
				    "c0284372364087f746a20f69b5316a1f");
			test_key_b64_is(wg->peers[1].public_key,
					"RugbengiGd+6S6hml3VWuRvLz4LCbO/IhKN2GwSppBY=");
			for (i = 0; i < 2; i++) {
				const struct gw_peer_cfg *p = &wg->peers[i];
				char a4[16], a6[16];

				CHECK(!p->has_preshared_key);
				CHECK(p->endpoint.family == 0);
				CHECK(p->persistent_keepalive == 0);
				CHECK(p->n_allowed_ips == 2);
				if (p->n_allowed_ips != 2)
					continue;
				snprintf(a4, sizeof(a4), "10.9.0.%u", i + 2);
				snprintf(a6, sizeof(a6), "fd00:9::%u", i + 2);
				test_prefix_is(&p->allowed_ips[0], a4, 32);
				test_prefix_is(&p->allowed_ips[1], a6, 128);
			}
		}
		test_demo_peers(&cfg);
	}
	CHECK(cfg.telemetry);
	CHECK(cfg.uapi);

	gw_config_free(&cfg);
	CHECK(test_is_zeroed(&cfg));
	gw_config_free(&cfg);	/* freeing twice is harmless */
}

/* ---- a file with every key ---- */

static void
test_good_full(void)
{
	struct gw_config cfg;
	char err[GW_ERR_MAX];
	const struct gw_wg_cfg *wg;
	const struct gw_peer_cfg *p;

	CHECK(gw_config_load(DATA_DIR "good_full.yaml", &cfg, err) == 0);
	if (err[0] != '\0')
		fprintf(stderr, "%s\n", err);
	CHECK(strcmp(cfg.cli_socket, "/run/gw-test.sock") == 0);
	CHECK(cfg.metrics.family == AF_INET && cfg.metrics.port == 9586);

	CHECK(cfg.eal_argc == 4);
	if (cfg.eal_argc == 4) {
		CHECK(strcmp(cfg.eal_argv[0], "-l") == 0);
		CHECK(strcmp(cfg.eal_argv[1], "0-3") == 0);
		CHECK(strcmp(cfg.eal_argv[2], "--in-memory") == 0);
		CHECK(strcmp(cfg.eal_argv[3],
			     "--vdev=net_tap0,iface=dtap0") == 0);
	}
	CHECK(cfg.lcores.set && cfg.lcores.control == 0);
	CHECK(cfg.lcores.n_io == 2 && cfg.lcores.io[0] == 1 &&
	      cfg.lcores.io[1] == 2);
	CHECK(cfg.lcores.n_crypto == 2 && cfg.lcores.crypto[0] == 2 &&
	      cfg.lcores.crypto[1] == 3);
	CHECK(cfg.lcores.mark.line == 7 && cfg.lcores.mark.column == 9);

	CHECK(cfg.n_ports == 2);
	if (cfg.n_ports == 2) {
		CHECK(strcmp(cfg.ports[0].device, "0000:3b:00.0") == 0);
		CHECK(cfg.ports[0].mtu == 9000);
		CHECK(cfg.ports[0].n_addrs == 2);
		test_prefix_is(&cfg.ports[0].addrs[1], "2001:db8:1::1", 64);
		CHECK(cfg.ports[0].mark.line == 9 &&
		      cfg.ports[0].mark.column == 5);
		CHECK(strcmp(cfg.ports[1].name, "lan") == 0);
		CHECK(cfg.ports[1].n_addrs == 1);
		test_prefix_is(&cfg.ports[1].addrs[0], "10.10.0.1", 16);
		CHECK(cfg.ports[1].mtu == 0);	/* default */
	}

	CHECK(cfg.n_routes == 3);
	if (cfg.n_routes == 3) {
		test_prefix_is(&cfg.routes[0].prefix, "0.0.0.0", 0);
		test_sockaddr_is(&cfg.routes[0].via, "198.18.0.254", 0);
		test_prefix_is(&cfg.routes[1].prefix, "2001:db8:100::", 48);
		test_sockaddr_is(&cfg.routes[1].via, "2001:db8:1::fe", 0);
		test_prefix_is(&cfg.routes[2].prefix, "192.168.0.0", 16);
		test_sockaddr_is(&cfg.routes[2].via, "10.10.0.254", 0);
		CHECK(cfg.routes[2].mark.line == 21 &&
		      cfg.routes[2].mark.column == 5);
	}

	CHECK(cfg.n_neighbors == 2);
	if (cfg.n_neighbors == 2) {
		static const uint8_t mac0[6] = { 2, 0, 0, 0, 0, 0xfe };
		static const uint8_t mac1[6] = { 2, 0xaa, 0xbb, 0xcc, 0xdd,
						 0xee };

		test_sockaddr_is(&cfg.neighbors[0].address, "198.18.0.254", 0);
		CHECK_MEM(cfg.neighbors[0].mac, mac0, 6);
		CHECK(strcmp(cfg.neighbors[0].port, "wan") == 0);
		test_sockaddr_is(&cfg.neighbors[1].address, "2001:db8:1::fe",
				 0);
		CHECK_MEM(cfg.neighbors[1].mac, mac1, 6);
	}

	CHECK(cfg.n_wg == 2);
	if (cfg.n_wg == 2) {
		wg = &cfg.wg[0];
		CHECK(strcmp(wg->name, "wg0") == 0);
		test_key_is(wg->private_key,
			    "e08f5da662309d104f74a3813ab0ec25"
			    "4c28fb2dac8866931aeb227c929b1b56");
		CHECK(wg->listen_port == 51820 && wg->mtu == 1420);
		CHECK(wg->n_addrs == 2);
		test_prefix_is(&wg->addrs[1], "fd00:9::1", 64);
		CHECK(wg->n_peers == 3);
		if (wg->n_peers == 3) {
			p = &wg->peers[0];
			test_key_is(p->public_key,
				    "c02451bf0e4600a48874860885f93545"
				    "c480258bb1c741f0360c4548ade1d23c");
			CHECK(p->has_preshared_key);
			test_key_is(p->preshared_key,
				    "0b2196ead7a8ddcbcb0ef9e1ef614d3e"
				    "563354e3582d7a196c43c15732b29ad0");
			test_sockaddr_is(&p->endpoint, "198.18.0.2", 51820);
			CHECK(p->n_allowed_ips == 2);
			test_prefix_is(&p->allowed_ips[1], "192.168.50.0", 24);
			CHECK(p->persistent_keepalive == 25);
			CHECK(p->mark.line == 33 && p->mark.column == 9);

			p = &wg->peers[1];
			test_key_b64_is(p->public_key,
					"5VjW1T+Jsvmy7MTY4J6XLtCpEgT/nVzjh3m8aG5sqC0=");
			CHECK(!p->has_preshared_key);
			test_sockaddr_is(&p->endpoint, "2001:db8:1::3", 443);
			CHECK(p->n_allowed_ips == 2);
			test_prefix_is(&p->allowed_ips[0], "fd00:9::3", 128);
			test_prefix_is(&p->allowed_ips[1], "::", 0);

			p = &wg->peers[2];
			test_key_b64_is(p->public_key,
					"OP6TrvHdgmNq0Lb+VGrsvbx++GpdU7ulMasC833FXDU=");
			CHECK(!p->has_preshared_key);	/* null: absent */
			CHECK(p->endpoint.family == 0);
			CHECK(p->n_allowed_ips == 0 && p->allowed_ips == NULL);
		}
		wg = &cfg.wg[1];
		CHECK(strcmp(wg->name, "wg1") == 0);
		CHECK(wg->listen_port == 51821 && wg->mtu == 1280);
		CHECK(wg->n_addrs == 0 && wg->addrs == NULL);
		CHECK(wg->n_peers == 1);
		if (wg->n_peers == 1) {
			CHECK_MEM(wg->peers[0].public_key,
				  cfg.wg[0].peers[0].public_key, GW_KEY_LEN);
			CHECK(wg->peers[0].n_allowed_ips == 1);
			test_prefix_is(&wg->peers[0].allowed_ips[0], "10.8.0.2",
				       32);
		}
	}
	CHECK(!cfg.telemetry);
	CHECK(!cfg.uapi);

	/* Problems found later render at an item's mark. */
	if (cfg.n_wg == 2) {
		char msg[GW_ERR_MAX];

		CHECK(gw_config_error(&cfg, &cfg.wg[1].mark, msg,
				      "lcore %u is not enabled", 7u) == -1);
		CHECK(strcmp(msg, DATA_DIR "good_full.yaml:43:5: lcore 7 is not enabled") == 0);
		gw_config_error(&cfg, NULL, msg, "no mark");
		CHECK(strcmp(msg, DATA_DIR "good_full.yaml:1:1: no mark") == 0);
	}
	gw_config_free(&cfg);
}

static void
test_good_secondary(void)
{
	struct gw_config cfg;
	char err[GW_ERR_MAX];

	CHECK(gw_config_load(DATA_DIR "good_secondary.yaml", &cfg, err) == 0);
	CHECK(cfg.n_ports == 1 && cfg.ports[0].n_addrs == 3);
	CHECK(cfg.n_wg == 0 && cfg.wg == NULL);
	CHECK(cfg.eal_argc == 0 && cfg.eal_argv == NULL);
	CHECK(!cfg.lcores.set);
	CHECK(cfg.telemetry && cfg.uapi);	/* defaults */
	gw_config_free(&cfg);
}

/* ---- bad files ---- */

static void
test_bad_files(void)
{
	static const struct {
		const char *name;
		const char *msg;	/* after "path:" */
	} cases[] = {
		{ "bad_unknown_key.yaml",
		  "5:5: ports[0]: unknown key 'mtux' (expected name, device, address, mtu)" },
		{ "bad_unknown_top.yaml",
		  "5:1: unknown key 'telemetri' (expected eal, lcores, ports, routes, neighbors, wireguard, telemetry, uapi, cli_socket, metrics)" },
		{ "bad_cli_socket.yaml",
		  "5:13: cli_socket: must be an absolute path, or \"\" for none" },
		{ "bad_metrics.yaml",
		  "5:10: metrics: invalid listening address '127.0.0.1': missing :port" },
		{ "bad_dup_key.yaml",
		  "5:5: ports[0]: duplicate key 'device' (first at line 3, column 5)" },
		{ "bad_prefix.yaml",
		  "4:30: ports[0].address[1]: invalid prefix '10.10.0.1/33': the prefix length is larger than 32" },
		{ "bad_prefix_nolen.yaml",
		  "11:23: wireguard[0].peers[0].allowed_ips[0]: invalid prefix '10.9.0.2': missing /length (write 10.0.0.1/32 for a single address)" },
		{ "bad_host_bits.yaml",
		  "11:36: wireguard[0].peers[0].allowed_ips[1]: prefix 192.168.50.1/24 has host bits set (did you mean 192.168.50.0/24?)" },
		{ "bad_ifaddr_network.yaml",
		  "4:14: ports[0].address: address 198.18.0.0/24 is the network address of its subnet" },
		{ "bad_key_base64.yaml",
		  "10:21: wireguard[0].peers[0].public_key: the key is not valid base64" },
		{ "bad_key_length.yaml",
		  "7:18: wireguard[0].private_key: the key decodes to 16 bytes, expected 32" },
		{ "bad_dup_peer.yaml",
		  "13:21: wireguard[0].peers[2].public_key: duplicate peer: the same public key as wireguard[0].peers[0] (line 10, column 21)" },
		{ "bad_own_key.yaml",
		  "10:21: wireguard[0].peers[0].public_key: this is the interface's own public key (from its private key), not a peer's" },
		{ "bad_neighbor_port.yaml",
		  "7:61: neighbors[1].port: no port is named 'lan'" },
		{ "bad_neighbor_subnet.yaml",
		  "6:15: neighbors[0].address: 10.10.0.2 is not inside a subnet of port 'wan'" },
		{ "bad_neighbor_dup.yaml",
		  "7:15: neighbors[1].address: 198.18.0.2 is already a neighbor in neighbors[0] (line 6, column 15)" },
		{ "bad_mac.yaml",
		  "6:34: neighbors[0].mac: invalid MAC address '02:00:00:00:00': expected six hex bytes as aa:bb:cc:dd:ee:ff" },
		{ "bad_mac_multicast.yaml",
		  "6:34: neighbors[0].mac: invalid MAC address '01:00:5e:00:00:01': a multicast MAC address cannot be a neighbor" },
		{ "bad_endpoint.yaml",
		  "12:19: wireguard[0].peers[0].endpoint: invalid endpoint '198.18.0.2': missing :port" },
		{ "bad_endpoint6.yaml",
		  "12:19: wireguard[0].peers[0].endpoint: invalid endpoint '2001:db8:1::2:51820': an IPv6 endpoint needs brackets: [2001:db8::1]:51820" },
		{ "bad_endpoint_port.yaml",
		  "12:19: wireguard[0].peers[0].endpoint: invalid endpoint '[2001:db8:1::2]:70000': the port must be 1..65535" },
		{ "bad_endpoint_any.yaml",
		  "12:19: wireguard[0].peers[0].endpoint: invalid endpoint '0.0.0.0:51820': not a unicast address" },
		{ "bad_key_in_endpoint.yaml",
		  "11:19: wireguard[0].peers[0].endpoint: invalid endpoint '(a key? not shown)': missing :port" },
		{ "bad_mtu.yaml",
		  "5:10: ports[0].mtu: 9001 is out of range (576..9000)" },
		{ "bad_wg_mtu.yaml",
		  "9:10: wireguard[0].mtu: 575 is out of range (576..9000)" },
		{ "bad_mtu_ipv6.yaml",
		  "4:10: ports[0].mtu: 1000 is below 1280, the minimum MTU of IPv6, and the interface has an IPv6 address" },
		{ "bad_keepalive.yaml",
		  "12:31: wireguard[0].peers[0].persistent_keepalive: 65536 is out of range (0..65535)" },
		{ "bad_listen_port_zero.yaml",
		  "8:18: wireguard[0].listen_port: 0 is out of range (1..65535)" },
		{ "bad_int.yaml",
		  "8:18: wireguard[0].listen_port: expected an integer, got '0x100'" },
		{ "bad_int_quoted.yaml",
		  "8:18: wireguard[0].listen_port: expected an integer, got a quoted string" },
		{ "bad_bool.yaml",
		  "5:12: telemetry: expected true or false, got 'yes'" },
		{ "bad_type_list.yaml",
		  "5:9: lcores: expected a mapping, got a list" },
		{ "bad_type_port.yaml",
		  "2:5: ports[0]: expected a mapping, got a list" },
		{ "bad_type_scalar.yaml",
		  "5:9: routes: expected a list, got a string" },
		{ "bad_eal_type.yaml",
		  "3:5: eal[1]: expected a string, got a list" },
		{ "bad_not_mapping.yaml",
		  "1:1: expected a mapping, got a list" },
		{ "bad_syntax.yaml",
		  "5:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 14)" },
		{ "bad_syntax_indent.yaml",
		  "3:12: YAML syntax error: mapping values are not allowed in this context" },
		{ "bad_second_doc.yaml",
		  "6:1: a second YAML document: the configuration is one document" },
		{ "bad_empty.yaml", "1:1: the configuration is empty" },
		{ "bad_comments_only.yaml", "1:1: the configuration is empty" },
		{ "bad_missing_ports.yaml", "1:1: missing required key 'ports'" },
		{ "bad_ports_empty.yaml", "1:8: ports: at least one port is needed" },
		{ "bad_missing_device.yaml",
		  "2:5: ports[0]: missing required key 'device'" },
		{ "bad_null_device.yaml", "3:5: ports[0]: 'device' needs a value" },
		{ "bad_missing_private_key.yaml",
		  "6:5: wireguard[0]: missing required key 'private_key' (or 'private_key_file')" },
		{ "bad_missing_public_key.yaml",
		  "10:9: wireguard[0].peers[0]: missing required key 'public_key'" },
		{ "bad_dup_port_name.yaml",
		  "5:11: ports[1].name: the name 'wan' is already used by ports[0] (line 2, column 11)" },
		{ "bad_dup_name_wg.yaml",
		  "6:11: wireguard[0].name: the name 'wan' is already used by ports[0] (line 2, column 11)" },
		{ "bad_dup_device.yaml",
		  "6:13: ports[1].device: device 'net_null0' is already used by ports[0] (line 3, column 13)" },
		{ "bad_wg_name.yaml",
		  "6:11: wireguard[0].name: invalid name 'wg/0' (1 to 15 of A-Z a-z 0-9 _ = + . -)" },
		{ "bad_route_family.yaml",
		  "6:30: routes[0].via: next hop 2001:db8:1::fe is IPv6 but the prefix is IPv4" },
		{ "bad_route_via.yaml",
		  "7:31: routes[1].via: next hop 192.0.2.1 is not inside the subnet of any port" },
		{ "bad_route_dup.yaml",
		  "8:14: routes[2].prefix: a route to 10.0.0.0/8 is already given by routes[0] (line 6, column 14)" },
		{ "bad_dup_allowed_ip.yaml",
		  "13:36: wireguard[0].peers[1].allowed_ips: 10.9.0.2/32 already belongs to wireguard[0].peers[0] (line 11, column 23)" },
		{ "bad_dup_allowed_ip_peer.yaml",
		  "11:53: wireguard[0].peers[0].allowed_ips: fd00:9::2/128 is listed twice (line 11, column 23)" },
		{ "bad_overlap.yaml",
		  "7:29: ports[1].address: the subnet of 198.18.0.129/25 overlaps 198.18.0.1/24 of ports[0] (line 4, column 15)" },
		{ "bad_addr_twice.yaml",
		  "4:45: ports[0].address: address 198.18.0.1 is listed twice (line 4, column 15)" },
		{ "bad_listen_port_dup.yaml",
		  "11:18: wireguard[1].listen_port: port 51820 is already used by wireguard[0] (line 8, column 18)" },
		{ "bad_lcore_dup.yaml", "7:14: lcores.io[2]: lcore 1 is listed twice" },
		{ "bad_lcore_missing.yaml",
		  "6:3: lcores: missing required key 'crypto'" },
		{ "bad_key_file_missing.yaml",
		  "7:23: wireguard[0].private_key_file: cannot open key file '" DATA_DIR
		  "no-such.key': No such file or directory" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		test_bad_file(cases[i].name, cases[i].msg);

	test_refused(DATA_DIR "no-such-file.yaml",
		     "1:1: cannot open: No such file or directory");
	test_refused(DATA_DIR, "1:1: cannot read: Is a directory");
}

/* ---- key files and other files made at run time ---- */

static char test_dir[] = "/tmp/test_config.XXXXXX";

static void
test_write(const char *name, const char *text, size_t len, mode_t mode)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, text, len) == (ssize_t)len);
	close(fd);
	CHECK(chmod(path, mode) == 0);	/* whatever the umask */
}

static void
test_write_str(const char *name, const char *text, mode_t mode)
{
	test_write(name, text, strlen(text), mode);
}

#define TEST_PORTS \
	"ports:\n" \
	"  - name: wan\n" \
	"    device: net_null0\n" \
	"    address: [198.18.0.1/24]\n"

/* Lines 1-4 are TEST_PORTS; the interface starts on line 5. */
#define TEST_WG_FILE(key_line) \
	TEST_PORTS \
	"wireguard:\n" \
	"  - name: wg0\n" \
	"    listen_port: 51820\n" \
	key_line \
	"    peers:\n" \
	"      - public_key: \"wCRRvw5GAKSIdIYIhfk1RcSAJYuxx0HwNgxFSK3h0jw=\"\n" \
	"        preshared_key_file: psk.key\n"

static void
test_key_files(void)
{
	static const char priv_hex[] =
		"e08f5da662309d104f74a3813ab0ec254c28fb2dac8866931aeb227c929b1b56";
	static const char psk_hex[] =
		"0b2196ead7a8ddcbcb0ef9e1ef614d3e563354e3582d7a196c43c15732b29ad0";
	char cfg_path[256], key_path[256], err[GW_ERR_MAX], msg[GW_ERR_MAX];
	char yaml[1024];
	struct gw_config cfg;

	CHECK(mkdtemp(test_dir) != NULL);
	snprintf(cfg_path, sizeof(cfg_path), "%s/gw.yaml", test_dir);
	snprintf(key_path, sizeof(key_path), "%s/gw.key", test_dir);

	/* Relative key files are found next to the configuration. */
	test_write_str("gw.key", "4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=\n",
		       0600);
	test_write_str("psk.key", "CyGW6teo3cvLDvnh72FNPlYzVONYLXoZbEPBVzKymtA=\r\n",
		       0400);
	test_write_str("gw.yaml",
		       TEST_WG_FILE("    private_key_file: gw.key\n"), 0644);
	CHECK(gw_config_load(cfg_path, &cfg, err) == 0);
	if (err[0] != '\0')
		fprintf(stderr, "%s\n", err);
	if (cfg.n_wg == 1 && cfg.wg[0].n_peers == 1) {
		test_key_is(cfg.wg[0].private_key, priv_hex);
		CHECK(cfg.wg[0].peers[0].has_preshared_key);
		test_key_is(cfg.wg[0].peers[0].preshared_key, psk_hex);
	} else {
		CHECK(0);
	}
	gw_config_free(&cfg);

	/* An absolute path. */
	snprintf(yaml, sizeof(yaml),
		 TEST_WG_FILE("    private_key_file: %s\n"), key_path);
	test_write_str("gw.yaml", yaml, 0644);
	CHECK(gw_config_load(cfg_path, &cfg, err) == 0);
	if (cfg.n_wg == 1)
		test_key_is(cfg.wg[0].private_key, priv_hex);
	gw_config_free(&cfg);

	/* Readable by others, by the group, or writable by the group. */
	test_write_str("gw.yaml",
		       TEST_WG_FILE("    private_key_file: gw.key\n"), 0644);
	CHECK(chmod(key_path, 0644) == 0);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s' is accessible by group or others (mode 0644); run chmod 600 on it",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(chmod(key_path, 0640) == 0);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s' is accessible by group or others (mode 0640); run chmod 600 on it",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(chmod(key_path, 0620) == 0);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s' is accessible by group or others (mode 0620); run chmod 600 on it",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(chmod(key_path, 0600) == 0);

	/* The preshared key file too. */
	CHECK(chmod(key_path, 0600) == 0);
	snprintf(key_path, sizeof(key_path), "%s/psk.key", test_dir);
	CHECK(chmod(key_path, 0604) == 0);
	snprintf(msg, sizeof(msg),
		 "11:29: wireguard[0].peers[0].preshared_key_file: key file '%s' is accessible by group or others (mode 0604); run chmod 600 on it",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(chmod(key_path, 0600) == 0);
	snprintf(key_path, sizeof(key_path), "%s/gw.key", test_dir);

	/* Inline and file: the second of the two is refused. */
	test_write_str("gw.yaml",
		       TEST_WG_FILE("    private_key_file: gw.key\n"
				    "    private_key: \"4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=\"\n"),
		       0644);
	test_refused(cfg_path,
		     "9:5: wireguard[0]: private_key and private_key_file are mutually exclusive");
	test_write_str("gw.yaml",
		       TEST_PORTS
		       "wireguard:\n"
		       "  - name: wg0\n"
		       "    listen_port: 51820\n"
		       "    private_key: \"4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=\"\n"
		       "    peers:\n"
		       "      - public_key: \"wCRRvw5GAKSIdIYIhfk1RcSAJYuxx0HwNgxFSK3h0jw=\"\n"
		       "        preshared_key_file: psk.key\n"
		       "        preshared_key: \"CyGW6teo3cvLDvnh72FNPlYzVONYLXoZbEPBVzKymtA=\"\n",
		       0644);
	test_refused(cfg_path,
		     "12:9: wireguard[0].peers[0]: preshared_key and preshared_key_file are mutually exclusive");

	/* What a key file may hold: one key. */
	test_write_str("gw.yaml",
		       TEST_WG_FILE("    private_key_file: gw.key\n"), 0644);
	test_write_str("gw.key", "", 0600);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s': the key is empty",
		 key_path);
	test_refused(cfg_path, msg);
	test_write_str("gw.key",
		       "4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=\n"
		       "wCRRvw5GAKSIdIYIhfk1RcSAJYuxx0HwNgxFSK3h0jw=\n", 0600);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s': the key is not valid base64",
		 key_path);
	test_refused(cfg_path, msg);
	test_write_str("gw.key", "zskicQDRu7/7VimUbhIEug==", 0600);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s': the key decodes to 16 bytes, expected 32",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(unlink(key_path) == 0);
	CHECK(mkdir(key_path, 0700) == 0);
	snprintf(msg, sizeof(msg),
		 "8:23: wireguard[0].private_key_file: key file '%s' is not a regular file",
		 key_path);
	test_refused(cfg_path, msg);
	CHECK(rmdir(key_path) == 0);

	/* Invalid UTF-8: the reader's error, at the right line. */
	test_write("gw.yaml", TEST_PORTS "uapi: \xff\n",
		   sizeof(TEST_PORTS "uapi: \xff\n") - 1, 0644);
	test_refused(cfg_path,
		     "5:7: YAML syntax error: invalid leading UTF-8 octet (byte 0xff)");
	/* A NUL inside a string. */
	test_write_str("gw.yaml",
		       "ports:\n"
		       "  - name: \"wa\\0n\"\n"
		       "    device: net_null0\n"
		       "    address: [198.18.0.1/24]\n", 0644);
	test_refused(cfg_path,
		     "2:11: ports[0].name: the string contains a NUL character");

	snprintf(yaml, sizeof(yaml), "%s/psk.key", test_dir);
	unlink(yaml);
	unlink(cfg_path);
	unlink(key_path);
	CHECK(rmdir(test_dir) == 0);
}

/* Many peers: loads quickly; a duplicate at the end is found. */
static void
test_many_peers(void)
{
	enum { N = 20000 };
	char path[] = "/tmp/test_config_many.XXXXXX";
	char err[GW_ERR_MAX], want[GW_ERR_MAX];
	struct gw_config cfg;
	uint8_t key[GW_KEY_LEN] = { 0 };
	char b64[64];
	struct timespec t0, t1;
	unsigned int i;
	double secs;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs(TEST_PORTS
	      "wireguard:\n"
	      "  - name: wg0\n"
	      "    private_key: \"4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=\"\n"
	      "    listen_port: 51820\n"
	      "    address: [10.0.0.1/8]\n"
	      "    peers:\n", f);
	for (i = 0; i < N; i++) {
		key[0] = (uint8_t)i;
		key[1] = (uint8_t)(i >> 8);
		key[2] = 1;
		sodium_bin2base64(b64, sizeof(b64), key, sizeof(key),
				  sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "      - {public_key: \"%s\", allowed_ips: [10.%u.%u.2/32]}\n",
			b64, 1 + i / 256, i % 256);
	}
	fclose(f);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(gw_config_load(path, &cfg, err) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%u peers loaded in %.3f s\n", (unsigned int)N, secs);
	CHECK(cfg.n_wg == 1 && cfg.wg[0].n_peers == N);
	gw_config_free(&cfg);

	/* Peer 7 again, as the last one (line 11 + N). */
	f = fopen(path, "a");
	key[0] = 7;
	key[1] = 0;
	sodium_bin2base64(b64, sizeof(b64), key, sizeof(key),
			  sodium_base64_VARIANT_ORIGINAL);
	fprintf(f, "      - {public_key: \"%s\"}\n", b64);
	fclose(f);
	snprintf(want, sizeof(want),
		 "%u:22: wireguard[0].peers[%u].public_key: duplicate peer: the same public key as wireguard[0].peers[7] (line 18, column 22)",
		 11u + N, (unsigned int)N);
	test_refused(path, want);
	unlink(path);
}

/* ---- the parsing helpers ---- */

static void
test_helpers(void)
{
	static const char *const bad_prefixes[] = {
		"10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
		"/8", "10.0.0/8", "fe80::1%eth0/64", "10.0.0.0/-1",
		"10.0.0.0/8/8", "10.0.0.0/ 8", "", "2001:db8::/0128",
	};
	static const char *const bad_endpoints[] = {
		"1.2.3.4", "1.2.3.4:0", "1.2.3.4:65536", "2001:db8::1:443",
		"[2001:db8::1]443", "[1.2.3.4]:5", "host.example:51820",
		"1.2.3.4:+5", "[2001:db8::1", "[fe80::1%eth0]:5", ":51820",
		"1.2.3.4:", "1.2.3.4:051820",
	};
	struct gw_prefix p;
	struct gw_sockaddr sa;
	uint8_t key[GW_KEY_LEN];
	unsigned int i;

	CHECK(gw_parse_prefix("10.0.0.0/8", &p) == 0);
	test_prefix_is(&p, "10.0.0.0", 8);
	CHECK(gw_parse_prefix("10.1.2.3/24", &p) == 0);	/* host bits kept */
	test_prefix_is(&p, "10.1.2.3", 24);
	CHECK(gw_parse_prefix("2001:db8::/32", &p) == 0);
	test_prefix_is(&p, "2001:db8::", 32);
	CHECK(gw_parse_prefix("::ffff:1.2.3.4/128", &p) == 0);
	CHECK(p.family == AF_INET6 && p.len == 128);
	CHECK(gw_parse_prefix("0.0.0.0/0", &p) == 0);
	test_prefix_is(&p, "0.0.0.0", 0);
	for (i = 0; i < sizeof(bad_prefixes) / sizeof(bad_prefixes[0]); i++) {
		int ret;

		memset(&p, 0xa5, sizeof(p));
		ret = gw_parse_prefix(bad_prefixes[i], &p);
		if (ret == 0)
			fprintf(stderr, "  accepted: %s\n", bad_prefixes[i]);
		CHECK(ret == -1);
		CHECK(p.family == 0);
	}

	CHECK(gw_parse_sockaddr("1.2.3.4:51820", &sa) == 0);
	test_sockaddr_is(&sa, "1.2.3.4", 51820);
	CHECK(gw_parse_sockaddr("[2001:db8::1]:443", &sa) == 0);
	test_sockaddr_is(&sa, "2001:db8::1", 443);
	CHECK(gw_parse_sockaddr("[::ffff:1.2.3.4]:1", &sa) == 0);
	CHECK(sa.family == AF_INET6 && sa.port == 1);
	CHECK(gw_parse_sockaddr("255.255.255.255:65535", &sa) == 0);
	for (i = 0; i < sizeof(bad_endpoints) / sizeof(bad_endpoints[0]);
	     i++) {
		if (gw_parse_sockaddr(bad_endpoints[i], &sa) == 0)
			fprintf(stderr, "  accepted: %s\n", bad_endpoints[i]);
		CHECK(gw_parse_sockaddr(bad_endpoints[i], &sa) == -1);
		CHECK(sa.family == 0);
	}

	CHECK(gw_parse_addr("10.0.0.1", &sa) == 0);
	test_sockaddr_is(&sa, "10.0.0.1", 0);
	CHECK(gw_parse_addr("fd00::1", &sa) == 0);
	test_sockaddr_is(&sa, "fd00::1", 0);
	CHECK(gw_parse_addr("10.0.0.1/32", &sa) == -1);
	CHECK(gw_parse_addr("10.0.0.1:5", &sa) == -1);
	CHECK(gw_parse_addr("x", &sa) == -1);

	CHECK(gw_parse_key_base64("4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y=",
				  key) == 0);
	test_key_is(key, "e08f5da662309d104f74a3813ab0ec25"
			 "4c28fb2dac8866931aeb227c929b1b56");
	/* Unpadded, URL-safe alphabet, wrong length, trailing junk. */
	CHECK(gw_parse_key_base64("4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y",
				  key) == -1);
	CHECK(gw_parse_key_base64("4I9dpmIwnRBPdKOBOrDsJUwo-y2siGaTGusifJKbG1Y=",
				  key) == -1);
	CHECK(gw_parse_key_base64("zskicQDRu7/7VimUbhIEug==", key) == -1);
	CHECK(gw_parse_key_base64("4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Y= ",
				  key) == -1);
	/* A non-canonical last character (unused bits set). */
	CHECK(gw_parse_key_base64("4I9dpmIwnRBPdKOBOrDsJUwo+y2siGaTGusifJKbG1Z=",
				  key) == -1);
	CHECK(gw_parse_key_base64("", key) == -1);
	CHECK(gw_parse_key_base64(NULL, key) == -1);
}

int
main(void)
{
	test_helpers();
	test_gw_yaml();
	test_good_full();
	test_good_secondary();
	test_bad_files();
	test_key_files();
	test_many_peers();
	TEST_MAIN_END();
}
