/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Loading the configuration: read the file, let libyaml build the
 * document, parse it against the schema into a private struct, validate
 * across items, and hand the struct over only if all of that succeeded.
 * On any error the caller's struct stays zeroed, everything allocated is
 * freed and every buffer that held the file's text or a key is wiped.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "config_priv.h"

/* "wireguard[0].peers[2].endpoint" */
static size_t
gw_cfg_render_path(char *buf, size_t off, size_t size,
		   const struct gw_cfg_path *path)
{
	int n;

	if (path == NULL || off >= size)
		return off;
	off = gw_cfg_render_path(buf, off, size, path->up);
	if (off >= size)
		return off;
	if (path->key == NULL)
		n = snprintf(buf + off, size - off, "[%u]", path->index);
	else
		n = snprintf(buf + off, size - off, "%s%s",
			     path->up != NULL ? "." : "", path->key);
	return n < 0 ? size : off + (size_t)n;
}

void
gw_cfg_render(char *err, const char *file, const struct gw_mark *mark,
	      const struct gw_cfg_path *path, const char *fmt, va_list ap)
{
	uint32_t line = 1, column = 1;
	size_t off;
	int n;

	if (mark != NULL && mark->line != 0) {
		line = mark->line;
		column = mark->column;
	}
	n = snprintf(err, GW_ERR_MAX, "%s:%u:%u: ", file, line, column);
	off = n < 0 ? 0 : (size_t)n;
	if (path != NULL && off < GW_ERR_MAX) {
		off = gw_cfg_render_path(err, off, GW_ERR_MAX, path);
		if (off < GW_ERR_MAX) {
			n = snprintf(err + off, GW_ERR_MAX - off, ": ");
			off += n < 0 ? 0 : (size_t)n;
		}
	}
	if (off < GW_ERR_MAX)
		vsnprintf(err + off, GW_ERR_MAX - off, fmt, ap);
}

int
gw_config_error(const struct gw_config *cfg, const struct gw_mark *mark,
		char err[GW_ERR_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gw_cfg_render(err, cfg != NULL && cfg->path != NULL ? cfg->path :
		      "(config)", mark, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* The whole file, NUL-terminated; wiped and freed by the caller. */
static int
gw_cfg_read_file(struct gw_cfg_ctx *ctx, char **text, size_t *len)
{
	size_t cap = 4096, got = 0;
	struct stat st;
	char *buf;
	int fd;

	*text = NULL;
	*len = 0;
	fd = open(ctx->file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return gw_cfg_error(ctx, NULL, NULL, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, &st) < 0) {
		gw_cfg_error(ctx, NULL, NULL, "cannot stat: %s",
			     strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return gw_cfg_error(ctx, NULL, NULL, "cannot read: %s",
				    strerror(EISDIR));
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > GW_CFG_FILE_MAX) {
			close(fd);
			return gw_cfg_error(ctx, NULL, NULL,
					    "the file is larger than %u MiB",
					    GW_CFG_FILE_MAX >> 20);
		}
		cap = (size_t)st.st_size + 1;
	}
	buf = malloc(cap);
	if (buf == NULL) {
		close(fd);
		return gw_cfg_error(ctx, NULL, NULL, "out of memory");
	}
	for (;;) {
		ssize_t n;

		if (got + 1 == cap) {
			size_t ncap = cap * 2;
			char *nbuf;

			if (cap > GW_CFG_FILE_MAX) {
				errno = EFBIG;
				goto fail;
			}
			/* Never realloc: the old copy must be wiped. */
			nbuf = malloc(ncap);
			if (nbuf == NULL) {
				errno = ENOMEM;
				goto fail;
			}
			memcpy(nbuf, buf, got);
			sodium_memzero(buf, got);
			free(buf);
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
fail:
	gw_cfg_error(ctx, NULL, NULL, "cannot read: %s", strerror(errno));
	sodium_memzero(buf, got);
	free(buf);
	close(fd);
	return -1;
}

/* Line and column of a byte offset (the reader reports only offsets). */
static struct gw_mark
gw_cfg_offset_mark(const char *text, size_t len, size_t offset)
{
	struct gw_mark m = { 1, 1 };
	size_t i;

	for (i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			m.line++;
			m.column = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			m.column++;
		}
	}
	return m;
}

static int
gw_cfg_yaml_error(struct gw_cfg_ctx *ctx, const yaml_parser_t *parser,
		  const char *text, size_t len)
{
	struct gw_mark m = {
		(uint32_t)parser->problem_mark.line + 1,
		(uint32_t)parser->problem_mark.column + 1,
	};

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return gw_cfg_error_at(ctx, NULL, NULL, "out of memory");
	case YAML_READER_ERROR:
		m = gw_cfg_offset_mark(text, len, parser->problem_offset);
		if (parser->problem_value != -1)
			return gw_cfg_error_at(ctx, &m, NULL,
					       "YAML syntax error: %s (byte 0x%02x)",
					       parser->problem,
					       (unsigned int)parser->problem_value);
		return gw_cfg_error_at(ctx, &m, NULL, "YAML syntax error: %s",
				       parser->problem);
	default:
		break;
	}
	if (parser->context != NULL)
		return gw_cfg_error_at(ctx, &m, NULL,
				       "YAML syntax error: %s (%s at line %zu, column %zu)",
				       parser->problem ? parser->problem : "error",
				       parser->context,
				       parser->context_mark.line + 1,
				       parser->context_mark.column + 1);
	return gw_cfg_error_at(ctx, &m, NULL, "YAML syntax error: %s",
			       parser->problem ? parser->problem : "error");
}

static void
gw_cfg_document_delete(yaml_document_t *doc)
{
	gw_cfg_wipe_document(doc);
	yaml_document_delete(doc);
}

/* Loads the one document of the text; -1 with the error rendered. */
static int
gw_cfg_load_document(struct gw_cfg_ctx *ctx, yaml_parser_t *parser,
		     yaml_document_t *doc, const char *text, size_t len)
{
	yaml_document_t extra;
	yaml_node_t *root, *extra_root;

	if (!yaml_parser_load(parser, doc))
		return gw_cfg_yaml_error(ctx, parser, text, len);
	root = yaml_document_get_root_node(doc);
	if (root == NULL || gw_cfg_is_null(root)) {
		gw_cfg_document_delete(doc);
		return gw_cfg_error_at(ctx, NULL, NULL,
				       "the configuration is empty");
	}
	if (!yaml_parser_load(parser, &extra)) {
		gw_cfg_document_delete(doc);
		return gw_cfg_yaml_error(ctx, parser, text, len);
	}
	extra_root = yaml_document_get_root_node(&extra);
	if (extra_root != NULL) {
		struct gw_mark m = gw_cfg_node_mark(extra_root);

		gw_cfg_document_delete(&extra);
		gw_cfg_document_delete(doc);
		return gw_cfg_error_at(ctx, &m, NULL,
				       "a second YAML document: the configuration is one document");
	}
	gw_cfg_document_delete(&extra);
	return 0;
}

int
gw_config_load(const char *path, struct gw_config *cfg, char err[GW_ERR_MAX])
{
	struct gw_config tmp;
	struct gw_cfg_ctx ctx;
	yaml_parser_t parser;
	yaml_document_t doc;
	char *text = NULL;
	size_t len = 0;
	int ret = -1;

	memset(cfg, 0, sizeof(*cfg));
	memset(&tmp, 0, sizeof(tmp));
	memset(&ctx, 0, sizeof(ctx));
	err[0] = '\0';
	ctx.file = path != NULL ? path : "(null)";
	ctx.err = err;
	ctx.cfg = &tmp;
	ctx.doc = &doc;
	if (path == NULL)
		return gw_cfg_error_at(&ctx, NULL, NULL, "no file name");
	if (sodium_init() < 0)
		return gw_cfg_error_at(&ctx, NULL, NULL,
				       "cannot initialise libsodium");
	tmp.path = strdup(path);
	if (tmp.path == NULL)
		return gw_cfg_error_at(&ctx, NULL, NULL, "out of memory");
	if (gw_cfg_read_file(&ctx, &text, &len) < 0)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		gw_cfg_error_at(&ctx, NULL, NULL, "out of memory");
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len);
	if (gw_cfg_load_document(&ctx, &parser, &doc, text, len) == 0) {
		ret = gw_cfg_parse(&ctx, yaml_document_get_root_node(&doc));
		if (ret == 0)
			ret = gw_cfg_validate(&ctx);
		gw_cfg_document_delete(&doc);
	}
	gw_cfg_wipe_parser(&parser);
	yaml_parser_delete(&parser);
out:
	if (text != NULL) {
		sodium_memzero(text, len);
		free(text);
	}
	free(ctx.marks);
	if (ret == 0)
		*cfg = tmp;
	else
		gw_config_free(&tmp);
	return ret;
}

void
gw_config_drop_peers(struct gw_wg_cfg *wg)
{
	unsigned int i;

	for (i = 0; i < wg->n_peers; i++)
		free(wg->peers[i].allowed_ips);
	if (wg->peers != NULL)
		sodium_memzero(wg->peers, wg->n_peers * sizeof(*wg->peers));
	free(wg->peers);
	wg->peers = NULL;
	wg->n_peers = 0;
}

static void
gw_cfg_free_wg(struct gw_wg_cfg *wg)
{
	gw_config_drop_peers(wg);
	free(wg->addrs);
}

void
gw_config_free(struct gw_config *cfg)
{
	unsigned int i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	for (i = 0; i < cfg->eal_argc; i++)
		free(cfg->eal_argv[i]);
	free(cfg->eal_argv);
	free(cfg->lcores.io);
	free(cfg->lcores.crypto);
	for (i = 0; i < cfg->n_ports; i++)
		free(cfg->ports[i].addrs);
	free(cfg->ports);
	free(cfg->routes);
	free(cfg->neighbors);
	for (i = 0; i < cfg->n_wg; i++)
		gw_cfg_free_wg(&cfg->wg[i]);
	if (cfg->wg != NULL)
		sodium_memzero(cfg->wg, cfg->n_wg * sizeof(*cfg->wg));
	free(cfg->wg);
	memset(cfg, 0, sizeof(*cfg));
}
