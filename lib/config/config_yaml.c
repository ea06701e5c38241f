/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Typed access to the libyaml document: mappings with known keys, lists,
 * strings, integers, booleans, each refusing what it is not with the
 * node's line and column. Also the marks that parsed fields keep for the
 * checks that run after parsing, and the wiping of libyaml's buffers.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config_priv.h"

struct gw_mark
gw_cfg_node_mark(const yaml_node_t *node)
{
	struct gw_mark m = { 1, 1 };

	if (node != NULL) {
		m.line = (uint32_t)node->start_mark.line + 1;
		m.column = (uint32_t)node->start_mark.column + 1;
	}
	return m;
}

static int
gw_cfg_verror_at(struct gw_cfg_ctx *ctx, const struct gw_mark *mark,
		 const struct gw_cfg_path *path, const char *fmt, va_list ap)
{
	gw_cfg_render(ctx->err, ctx->file, mark, path, fmt, ap);
	return -1;
}

int
gw_cfg_error(struct gw_cfg_ctx *ctx, const yaml_node_t *node,
	     const struct gw_cfg_path *path, const char *fmt, ...)
{
	struct gw_mark m = gw_cfg_node_mark(node);
	va_list ap;

	va_start(ap, fmt);
	gw_cfg_verror_at(ctx, &m, path, fmt, ap);
	va_end(ap);
	return -1;
}

int
gw_cfg_error_at(struct gw_cfg_ctx *ctx, const struct gw_mark *mark,
		const struct gw_cfg_path *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gw_cfg_verror_at(ctx, mark, path, fmt, ap);
	va_end(ap);
	return -1;
}

int
gw_cfg_mark_add(struct gw_cfg_ctx *ctx, const void *field,
		const yaml_node_t *node)
{
	if (ctx->n_marks == ctx->cap_marks) {
		size_t cap = ctx->cap_marks ? ctx->cap_marks * 2 : 64;
		struct gw_cfg_mark_ent *m;

		m = realloc(ctx->marks, cap * sizeof(*m));
		if (m == NULL)
			return gw_cfg_error(ctx, node, NULL, "out of memory");
		ctx->marks = m;
		ctx->cap_marks = cap;
	}
	ctx->marks[ctx->n_marks].field = field;
	ctx->marks[ctx->n_marks].mark = gw_cfg_node_mark(node);
	ctx->n_marks++;
	return 0;
}

/* Only called to report an error: a linear search is fine. */
struct gw_mark
gw_cfg_mark_of(const struct gw_cfg_ctx *ctx, const void *field,
	       const struct gw_mark *fallback)
{
	struct gw_mark none = { 1, 1 };
	size_t i;

	for (i = 0; i < ctx->n_marks; i++)
		if (ctx->marks[i].field == field)
			return ctx->marks[i].mark;
	return fallback != NULL ? *fallback : none;
}

yaml_node_t *
gw_cfg_node(const struct gw_cfg_ctx *ctx, int id)
{
	return yaml_document_get_node(ctx->doc, id);
}

/* YAML's null: an empty plain scalar, ~ or null. */
bool
gw_cfg_is_null(const yaml_node_t *node)
{
	const char *v;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)node->data.scalar.value;
	return strcmp(v, "") == 0 || strcmp(v, "~") == 0 ||
		strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
		strcmp(v, "NULL") == 0;
}

const char *
gw_cfg_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		if (gw_cfg_is_null(node))
			return "null";
		if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return "a quoted string";
		return "a string";
	default:
		return "nothing";
	}
}

/*
 * A value as an error message may show it: a key pasted into the wrong
 * field (44 base64 characters ending in '=') is not shown.
 */
const char *
gw_cfg_shown(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 44 || s[43] != '=')
		return s;
	for (i = 0; i < 43; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
		      s[i] == '/'))
			return s;
	return "(a key? not shown)";
}

int
gw_cfg_map(struct gw_cfg_ctx *ctx, yaml_node_t *map,
	   const struct gw_cfg_path *path, const struct gw_cfg_key *keys,
	   unsigned int n_keys, yaml_node_t **vals, yaml_node_t **key_nodes)
{
	yaml_node_pair_t *pair;
	unsigned int i;

	for (i = 0; i < n_keys; i++) {
		vals[i] = NULL;
		key_nodes[i] = NULL;
	}
	if (map->type != YAML_MAPPING_NODE)
		return gw_cfg_error(ctx, map, path, "expected a mapping, got %s",
				    gw_cfg_kind(map));

	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = gw_cfg_node(ctx, pair->key);
		yaml_node_t *v = gw_cfg_node(ctx, pair->value);
		const char *name;
		size_t len;

		if (k == NULL || v == NULL)
			return gw_cfg_error(ctx, map, path,
					    "malformed mapping");
		if (k->type != YAML_SCALAR_NODE || gw_cfg_is_null(k))
			return gw_cfg_error(ctx, k, path,
					    "a key must be a string, got %s",
					    gw_cfg_kind(k));
		name = (const char *)k->data.scalar.value;
		len = k->data.scalar.length;
		for (i = 0; i < n_keys; i++)
			if (strlen(keys[i].name) == len &&
			    memcmp(keys[i].name, name, len) == 0)
				break;
		if (i == n_keys) {
			char expected[256];
			size_t off = 0;
			unsigned int j;

			for (j = 0; j < n_keys && off < sizeof(expected); j++)
				off += (size_t)snprintf(expected + off,
					sizeof(expected) - off, "%s%s",
					j ? ", " : "", keys[j].name);
			/* A long key may be a misplaced secret: not shown. */
			if (len > 32 || strlen(name) != len)
				return gw_cfg_error(ctx, k, path,
						    "unknown key (expected %s)",
						    expected);
			return gw_cfg_error(ctx, k, path,
					    "unknown key '%s' (expected %s)",
					    gw_cfg_shown(name), expected);
		}
		if (key_nodes[i] != NULL) {
			struct gw_mark first = gw_cfg_node_mark(key_nodes[i]);

			return gw_cfg_error(ctx, k, path,
					    "duplicate key '%s' (first at line %u, column %u)",
					    keys[i].name, first.line,
					    first.column);
		}
		key_nodes[i] = k;
		vals[i] = gw_cfg_is_null(v) ? NULL : v;
	}

	for (i = 0; i < n_keys; i++) {
		if (!keys[i].required || vals[i] != NULL)
			continue;
		if (key_nodes[i] != NULL)
			return gw_cfg_error(ctx, key_nodes[i], path,
					    "'%s' needs a value", keys[i].name);
		return gw_cfg_error(ctx, map, path,
				    "missing required key '%s'", keys[i].name);
	}
	return 0;
}

int
gw_cfg_seq(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	   const struct gw_cfg_path *path, bool scalar_ok,
	   struct gw_cfg_seq *seq)
{
	memset(seq, 0, sizeof(*seq));
	if (node == NULL)
		return 0;
	if (node->type == YAML_SEQUENCE_NODE) {
		seq->items = node->data.sequence.items.start;
		seq->n = (size_t)(node->data.sequence.items.top -
				  node->data.sequence.items.start);
		return 0;
	}
	if (scalar_ok && node->type == YAML_SCALAR_NODE) {
		seq->single = node;
		seq->n = 1;
		return 0;
	}
	return gw_cfg_error(ctx, node, path, "expected a list, got %s",
			    gw_cfg_kind(node));
}

yaml_node_t *
gw_cfg_seq_at(const struct gw_cfg_ctx *ctx, const struct gw_cfg_seq *seq,
	      size_t i)
{
	if (seq->single != NULL)
		return seq->single;
	return gw_cfg_node(ctx, seq->items[i]);
}

int
gw_cfg_scalar(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, const char **s)
{
	if (node->type != YAML_SCALAR_NODE || gw_cfg_is_null(node))
		return gw_cfg_error(ctx, node, path, "expected a string, got %s",
				    gw_cfg_kind(node));
	*s = (const char *)node->data.scalar.value;
	if (strlen(*s) != node->data.scalar.length)
		return gw_cfg_error(ctx, node, path,
				    "the string contains a NUL character");
	return 0;
}

int
gw_cfg_string(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	      const struct gw_cfg_path *path, char *dst, size_t size)
{
	const char *s;

	if (gw_cfg_scalar(ctx, node, path, &s) < 0)
		return -1;
	if (strlen(s) >= size)
		return gw_cfg_error(ctx, node, path,
				    "too long (at most %zu characters)",
				    size - 1);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/* A plain scalar, not quoted: "1500" is a string, 1500 an integer. */
static int
gw_cfg_plain(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	     const struct gw_cfg_path *path, const char *what,
	     const char **s)
{
	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return gw_cfg_error(ctx, node, path, "expected %s, got %s",
				    what, gw_cfg_kind(node));
	*s = (const char *)node->data.scalar.value;
	return 0;
}

int
gw_cfg_uint(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	    const struct gw_cfg_path *path, unsigned long min,
	    unsigned long max, unsigned long *out)
{
	const char *s = "", *p;
	unsigned long v = 0;
	bool neg = false, big = false;

	if (gw_cfg_plain(ctx, node, path, "an integer", &s) < 0)
		return -1;
	p = s;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p == '\0')
		goto not_int;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto not_int;
		if (v > (~0ul - 9) / 10)
			big = true;
		else
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (neg || big || v < min || v > max)
		return gw_cfg_error(ctx, node, path,
				    "%.*s is out of range (%lu..%lu)",
				    GW_CFG_SHOW_MAX, gw_cfg_shown(s), min, max);
	*out = v;
	return 0;
not_int:
	return gw_cfg_error(ctx, node, path, "expected an integer, got '%.*s'",
			    GW_CFG_SHOW_MAX, gw_cfg_shown(s));
}

int
gw_cfg_bool(struct gw_cfg_ctx *ctx, yaml_node_t *node,
	    const struct gw_cfg_path *path, bool *out)
{
	const char *s = "";

	if (gw_cfg_plain(ctx, node, path, "true or false", &s) < 0)
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") ||
	    !strcmp(s, "FALSE")) {
		*out = false;
		return 0;
	}
	return gw_cfg_error(ctx, node, path, "expected true or false, got '%.*s'",
			    GW_CFG_SHOW_MAX, gw_cfg_shown(s));
}

/* Keys may sit in any scalar: wipe them all before libyaml frees them. */
void
gw_cfg_wipe_document(yaml_document_t *doc)
{
	yaml_node_t *node;

	for (node = doc->nodes.start; node != NULL && node < doc->nodes.top;
	     node++)
		if (node->type == YAML_SCALAR_NODE &&
		    node->data.scalar.value != NULL)
			sodium_memzero(node->data.scalar.value,
				       node->data.scalar.length);
}

/*
 * The reader's buffers hold the file's text, and scanned tokens not yet
 * consumed (after an error) hold scalars. Their fields are in the public
 * yaml_parser_t (libyaml 0.2.5); buffer start..end is the whole allocation.
 */
void
gw_cfg_wipe_parser(yaml_parser_t *parser)
{
	yaml_token_t *t;

	for (t = parser->tokens.head; t != NULL && t < parser->tokens.tail; t++)
		if (t->type == YAML_SCALAR_TOKEN && t->data.scalar.value != NULL)
			sodium_memzero(t->data.scalar.value,
				       t->data.scalar.length);
	if (parser->raw_buffer.start != NULL)
		sodium_memzero(parser->raw_buffer.start,
			       (size_t)(parser->raw_buffer.end -
					parser->raw_buffer.start));
	if (parser->buffer.start != NULL)
		sodium_memzero(parser->buffer.start,
			       (size_t)(parser->buffer.end -
					parser->buffer.start));
}
