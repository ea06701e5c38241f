/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#ifndef WG_CONFIG_PRIV_H
#define WG_CONFIG_PRIV_H

/*
 * Internals of the configuration loader, shared by its files:
 *   config.c           loading, freeing, error rendering
 *   config_yaml.c      typed access to the libyaml document, node marks
 *   config_parse.c     the schema: sections, keys, local checks
 *   config_validate.c  checks across items (duplicates, references)
 *   config_addr.c      prefixes, addresses, endpoints, MAC addresses
 *   config_key.c       base64 keys and key files
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "config.h"

#define GW_CFG_FILE_MAX		(128u << 20)	/* largest configuration file */
#define GW_CFG_LCORE_MAX	1024u		/* lcore ids are below this */
#define GW_CFG_MTU_MIN		576u
#define GW_CFG_MTU_MAX		9000u
#define GW_CFG_MTU_MIN_IPV6	1280u
#define GW_CFG_SHOW_MAX		64		/* longest value echoed in errors */

/* Where a node sits in the document, rendered as "wireguard[0].peers[2]". */
struct gw_cfg_path {
	const struct gw_cfg_path *up;
	const char *key;	/* NULL: a list item, see index */
	unsigned int index;
};

/* The mark of one parsed field, found by the field's address in the cfg. */
struct gw_cfg_mark_ent {
	const void *field;
	struct gw_mark mark;
};

struct gw_cfg_ctx {
	const char *file;		/* as given to gw_config_load */
	char *err;			/* GW_ERR_MAX bytes */
	yaml_document_t *doc;
	struct gw_config *cfg;		/* being filled */
	struct gw_cfg_mark_ent *marks;	/* in parse order */
	size_t n_marks;
	size_t cap_marks;
};

/* A list, or a lone scalar accepted as a list of one. */
struct gw_cfg_seq {
	yaml_node_item_t *items;
	yaml_node_t *single;
	size_t n;
};

/* One key a mapping may hold. */
struct gw_cfg_key {
	const char *name;
	bool required;
};

/* config.c */
void
gw_cfg_render(char *err, const char *file, const struct gw_mark *mark,
	      const struct gw_cfg_path *path, const char *fmt, va_list ap);

/* config_yaml.c */
struct gw_mark
gw_cfg_node_mark(const yaml_node_t *node);
int
gw_cfg_error(struct gw_cfg_ctx *ctx, const yaml_node_t *node,
	     const struct gw_cfg_path *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int
gw_cfg_error_at(struct gw_cfg_ctx *ctx, const struct gw_mark *mark,
		const struct gw_cfg_path *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int
gw_cfg_mark_add(struct gw_cfg_ctx *ctx, const void *field,
		const yaml_node_t *node);
struct gw_mark
gw_cfg_mark_of(const struct gw_cfg_ctx *ctx, const void *field,
	       const struct gw_mark *fallback);
bool
gw_cfg_is_null(const yaml_node_t *node);
const char *
gw_cfg_kind(const yaml_node_t *node);
const char *
gw_cfg_shown(const char *s);
yaml_node_t *
gw_cfg_node(const struct gw_cfg_ctx *ctx, int id);
int
gw_cfg_map(struct gw_cfg_ctx *ctx, yaml_node_t *map,
	   const struct gw_cfg_path *path, const struct gw_cfg_key *keys,
	   unsigned int n_keys, yaml_node_t **vals, yaml_node_t **key_nodes);
int
gw_cfg_seq(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	   const struct gw_cfg_path *path, bool scalar_ok,
	   struct gw_cfg_seq *seq);
yaml_node_t *
gw_cfg_seq_at(const struct gw_cfg_ctx *ctx, const struct gw_cfg_seq *seq,
	      size_t i);
int
gw_cfg_scalar(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, const char **s);
int
gw_cfg_string(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, char *dst, size_t size);
int
gw_cfg_uint(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	    const struct gw_cfg_path *path, unsigned long min,
	    unsigned long max, unsigned long *out);
int
gw_cfg_bool(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	    const struct gw_cfg_path *path, bool *out);
void
gw_cfg_wipe_document(yaml_document_t *doc);
void
gw_cfg_wipe_parser(yaml_parser_t *parser);

/* config_parse.c */
int
gw_cfg_parse(struct gw_cfg_ctx *ctx, yaml_node_t *root);

/* config_validate.c */
int
gw_cfg_validate(struct gw_cfg_ctx *ctx);

/* config_addr.c: each returns NULL or why s was refused. */
const char *
gw_cfg_parse_prefix(const char *s, struct gw_prefix *p);
const char *
gw_cfg_parse_addr(const char *s, struct gw_sockaddr *sa);
const char *
gw_cfg_parse_endpoint(const char *s, struct gw_sockaddr *sa);
const char *
gw_cfg_parse_mac(const char *s, uint8_t mac[6]);
const char *
gw_cfg_check_ifaddr(const struct gw_prefix *p);
const char *
gw_cfg_check_host(const struct gw_sockaddr *sa);
const char *
gw_cfg_check_endpoint(const struct gw_sockaddr *sa);
bool
gw_cfg_prefix_has_host_bits(const struct gw_prefix *p);
void
gw_cfg_prefix_mask(struct gw_prefix *p);
bool
gw_cfg_prefix_contains(const struct gw_prefix *p, uint8_t family,
		       const uint8_t *addr);
bool
gw_cfg_prefix_overlap(const struct gw_prefix *a, const struct gw_prefix *b);
const char *
gw_cfg_fmt_prefix(const struct gw_prefix *p, char *buf, size_t size);
const char *
gw_cfg_fmt_addr(uint8_t family, const uint8_t *addr, char *buf,
		size_t size);

/* config_key.c */
#define GW_CFG_WHY_MAX	96
int
gw_cfg_decode_key(const char *s, size_t len, uint8_t key[GW_KEY_LEN],
		  char why[GW_CFG_WHY_MAX]);
int
gw_cfg_key_file(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		const struct gw_cfg_path *path, uint8_t key[GW_KEY_LEN]);

#endif /* WG_CONFIG_PRIV_H */
