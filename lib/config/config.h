/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_CONFIG_H
#define WG_CONFIG_H

/*
 * The gateway's configuration (YAML, docs/configuration.md), parsed and
 * validated without DPDK. Every error names file:line:column.
 */

#include <stdbool.h>
#include <stdint.h>

#define GW_NAME_MAX		32
#define GW_DEVICE_MAX		256
#define GW_ERR_MAX		512
#define GW_KEY_LEN		32
#define GW_CLI_SOCKET_MAX	108	/* sun_path */
#define GW_CLI_SOCKET_DEFAULT	"/var/run/dpdk-wg.sock"

/* A position in the configuration file: 1-based line and column; 0 = none. */
struct gw_mark {
	uint32_t line;
	uint32_t column;
};

struct gw_prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t len;		/* prefix length */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

struct gw_sockaddr {
	uint8_t family;		/* 0 = unset, AF_INET, AF_INET6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];
};

struct gw_port_cfg {
	char name[GW_NAME_MAX];
	char device[GW_DEVICE_MAX];	/* PCI address or vdev name */
	struct gw_prefix *addrs;	/* interface addresses with their subnet */
	unsigned int n_addrs;
	uint16_t mtu;			/* 0 = default 1500 */
	struct gw_mark mark;		/* where the item starts in the file */
};

struct gw_route_cfg {
	struct gw_prefix prefix;
	struct gw_sockaddr via;		/* next hop (port 0) */
	struct gw_mark mark;
};

struct gw_neighbor_cfg {
	struct gw_sockaddr address;
	uint8_t mac[6];
	char port[GW_NAME_MAX];
	struct gw_mark mark;
};

struct gw_peer_cfg {
	uint8_t public_key[GW_KEY_LEN];
	uint8_t preshared_key[GW_KEY_LEN];
	bool has_preshared_key;
	struct gw_sockaddr endpoint;	/* family 0 if none */
	struct gw_prefix *allowed_ips;
	unsigned int n_allowed_ips;
	uint16_t persistent_keepalive;	/* seconds, 0 = off */
	struct gw_mark mark;
};

struct gw_wg_cfg {
	char name[GW_NAME_MAX];
	uint8_t private_key[GW_KEY_LEN];	/* wiped by gw_config_free */
	uint16_t listen_port;
	struct gw_prefix *addrs;
	unsigned int n_addrs;
	uint16_t mtu;				/* 0 = default 1420 */
	struct gw_peer_cfg *peers;
	unsigned int n_peers;
	struct gw_mark mark;
};

struct gw_lcores_cfg {
	bool set;		/* false: defaults chosen by the gateway */
	unsigned int control;
	unsigned int *io;
	unsigned int n_io;
	unsigned int *crypto;
	unsigned int n_crypto;
	struct gw_mark mark;	/* the `lcores:` mapping, when set */
};

struct gw_config {
	char *path;
	char **eal_argv;	/* the `eal:` list, without argv[0]; NULL-terminated,
				 * NULL if the file has no `eal:` */
	unsigned int eal_argc;
	struct gw_lcores_cfg lcores;
	struct gw_port_cfg *ports;
	unsigned int n_ports;
	struct gw_route_cfg *routes;
	unsigned int n_routes;
	struct gw_neighbor_cfg *neighbors;
	unsigned int n_neighbors;
	struct gw_wg_cfg *wg;
	unsigned int n_wg;
	bool telemetry;		/* default true */
	bool uapi;		/* default true */
	char cli_socket[GW_CLI_SOCKET_MAX];	/* "": none */
	struct gw_sockaddr metrics;	/* Prometheus HTTP; family 0: off */
};

/*
 * Parse and validate path. On success returns 0 and fills *cfg (release with
 * gw_config_free). On failure returns -1, leaves *cfg empty and writes
 * "file:line:column: message" to err. *cfg is overwritten, never freed: a
 * reload loads into a fresh struct and swaps it in only on success.
 */
int
gw_config_load(const char *path, struct gw_config *cfg, char err[GW_ERR_MAX]);

/* Frees everything, wipes key material and leaves *cfg zeroed. */
void
gw_config_free(struct gw_config *cfg);

/*
 * Frees an interface's peers, wiping their keys; wg->peers is NULL and
 * wg->n_peers 0 afterwards. The running gateway keeps no parsed peer: once
 * started it drops them (a reload compares with its own summary of them).
 */
void
gw_config_drop_peers(struct gw_wg_cfg *wg);

/*
 * For problems found after loading (a device DPDK does not know, an lcore
 * outside the EAL core list): writes "file:line:column: message" to err at
 * an item's mark (1:1 if mark is NULL or unset) and returns -1.
 */
int
gw_config_error(const struct gw_config *cfg, const struct gw_mark *mark,
		char err[GW_ERR_MAX], const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Parsing helpers shared with the CLI and the wg(8) socket. 0 or -1.
 * gw_parse_prefix wants "ADDRESS/LENGTH" and keeps host bits as written
 * (callers that need a network mask them). gw_parse_sockaddr wants a port
 * 1..65535 and a literal address (no host names, no IPv6 scope).
 * gw_parse_addr is a bare IPv4 or IPv6 address (port 0).
 */
int
gw_parse_prefix(const char *s, struct gw_prefix *p);
int
gw_parse_sockaddr(const char *s, struct gw_sockaddr *sa);	/* "ip:port", "[ip6]:port" */
int
gw_parse_addr(const char *s, struct gw_sockaddr *sa);
int
gw_parse_key_base64(const char *s, uint8_t key[GW_KEY_LEN]);

#endif /* WG_CONFIG_H */
