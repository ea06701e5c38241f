/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Keys: 32 bytes in standard base64 (44 characters with one '=', as wg(8)
 * writes them), inline or in a file of their own. No message ever shows a
 * key, and every buffer that held one is wiped.
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

#define GW_KEY_B64_MAX		1024	/* longer input is not a key */
#define GW_KEY_FILE_MAX		512	/* a key file holds one key */

int
gw_cfg_decode_key(const char *s, size_t len, uint8_t key[GW_KEY_LEN],
		  char why[GW_CFG_WHY_MAX])
{
	unsigned char bin[GW_KEY_B64_MAX / 4 * 3 + 3];
	const char *end = NULL;
	size_t bin_len = 0;
	int ret = -1;

	if (len == 0) {
		snprintf(why, GW_CFG_WHY_MAX, "the key is empty");
		return -1;
	}
	if (len > GW_KEY_B64_MAX) {
		snprintf(why, GW_CFG_WHY_MAX,
			 "the key is too long (%zu characters, expected 44)",
			 len);
		return -1;
	}
	if (sodium_base642bin(bin, sizeof(bin), s, len, NULL, &bin_len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + len) {
		snprintf(why, GW_CFG_WHY_MAX, "the key is not valid base64");
	} else if (bin_len != GW_KEY_LEN) {
		snprintf(why, GW_CFG_WHY_MAX,
			 "the key decodes to %zu bytes, expected %u", bin_len,
			 GW_KEY_LEN);
	} else {
		memcpy(key, bin, GW_KEY_LEN);
		ret = 0;
	}
	sodium_memzero(bin, sizeof(bin));
	return ret;
}

int
gw_parse_key_base64(const char *s, uint8_t key[GW_KEY_LEN])
{
	char why[GW_CFG_WHY_MAX];

	if (s == NULL)
		return -1;
	return gw_cfg_decode_key(s, strlen(s), key, why);
}

/* A relative key file is found next to the configuration file. */
static char *
gw_key_file_path(const char *config_file, const char *name)
{
	const char *slash = strrchr(config_file, '/');
	size_t dir_len, name_len = strlen(name);
	char *full;

	if (name[0] == '/' || slash == NULL)
		return strdup(name);
	dir_len = (size_t)(slash - config_file);
	full = malloc(dir_len + 1 + name_len + 1);
	if (full == NULL)
		return NULL;
	memcpy(full, config_file, dir_len);
	full[dir_len] = '/';
	memcpy(full + dir_len + 1, name, name_len + 1);
	return full;
}

/* Reads the whole (small) file into buf; its length, or -1 with errno. */
static ssize_t
gw_key_file_read(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
gw_cfg_key_file(struct gw_cfg_ctx *ctx, yaml_node_t *node,
		const struct gw_cfg_path *path, uint8_t key[GW_KEY_LEN])
{
	char buf[GW_KEY_FILE_MAX + 1], why[GW_CFG_WHY_MAX];
	const char *name;
	char *full;
	struct stat st;
	ssize_t len;
	int fd, ret = -1;

	if (gw_cfg_scalar(ctx, node, path, &name) < 0)
		return -1;
	if (name[0] == '\0')
		return gw_cfg_error(ctx, node, path, "the key file name is empty");
	full = gw_key_file_path(ctx->file, name);
	if (full == NULL)
		return gw_cfg_error(ctx, node, path, "out of memory");

	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		gw_cfg_error(ctx, node, path, "cannot open key file '%s': %s",
			     full, strerror(errno));
		free(full);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		gw_cfg_error(ctx, node, path, "cannot stat key file '%s': %s",
			     full, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		gw_cfg_error(ctx, node, path,
			     "key file '%s' is not a regular file", full);
	} else if (st.st_mode & 077) {
		gw_cfg_error(ctx, node, path,
			     "key file '%s' is accessible by group or others (mode %04o); run chmod 600 on it",
			     full, (unsigned int)(st.st_mode & 07777));
	} else if ((len = gw_key_file_read(fd, buf, sizeof(buf))) < 0) {
		gw_cfg_error(ctx, node, path, "cannot read key file '%s': %s",
			     full, strerror(errno));
	} else if ((size_t)len > GW_KEY_FILE_MAX) {
		gw_cfg_error(ctx, node, path,
			     "key file '%s' is too large for one key", full);
	} else {
		/* One key, then optionally a newline (or any blank). */
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
				   buf[len - 1] == ' ' || buf[len - 1] == '\t'))
			len--;
		if (gw_cfg_decode_key(buf, (size_t)len, key, why) < 0)
			gw_cfg_error(ctx, node, path, "key file '%s': %s", full,
				     why);
		else
			ret = 0;
	}
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	free(full);
	return ret;
}
