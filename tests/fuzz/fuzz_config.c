/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libFuzzer harness: the YAML configuration loader. Each input is written
 * to a file in a private directory of this process (key files named in
 * the input resolve there: wg.key holds a valid key, mode 0600, open.key
 * one readable by others) and loaded with gw_config_load().
 *
 * Checked: on failure -1, *cfg entirely zero and err a NUL-terminated
 * string that starts with the path; on success 0, gw_config_error works
 * on the result and gw_config_free leaves *cfg zero. Never anything but
 * 0 or -1.
 */

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"

static char fc_dir[64];
static char fc_path[96];

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fc_fail(const char *what)
{
	fprintf(stderr, "fuzz_config: %s\n", what);
	abort();
}

static void
fc_cleanup(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/wg.key", fc_dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/open.key", fc_dir);
	unlink(p);
	unlink(fc_path);
	rmdir(fc_dir);
}

static void
fc_write(const char *path, const void *data, size_t len, mode_t mode)
{
	const uint8_t *p = data;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		fc_fail("cannot create a file in the private directory");
	if (fchmod(fd, mode) != 0)
		fc_fail("fchmod");
	while (len != 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			fc_fail("write");
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char key[] = "GHYd/UFxG4OwD1uQNQOMntf9m/UkZkYaCGl+4uReWlU=\n";
	const char *tmp = getenv("TMPDIR");
	char p[128];

	(void)argc;
	(void)argv;
	if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(fc_dir, sizeof(fc_dir), "%s/fuzz_config.XXXXXX", tmp);
	if (mkdtemp(fc_dir) == NULL)
		fc_fail("mkdtemp");
	snprintf(fc_path, sizeof(fc_path), "%s/gw.yaml", fc_dir);
	snprintf(p, sizeof(p), "%s/wg.key", fc_dir);
	fc_write(p, key, sizeof(key) - 1, 0600);
	snprintf(p, sizeof(p), "%s/open.key", fc_dir);
	fc_write(p, key, sizeof(key) - 1, 0644);
	atexit(fc_cleanup);
	return 0;
}

static bool
fc_is_zero(const struct gw_config *cfg)
{
	const unsigned char *p = (const unsigned char *)cfg;
	size_t i;

	for (i = 0; i < sizeof(*cfg); i++)
		if (p[i] != 0)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gw_config cfg;
	char err[GW_ERR_MAX];
	int ret;

	fc_write(fc_path, data, size, 0600);
	/* Garbage in both: the loader must overwrite what it promises. */
	memset(&cfg, 0xa5, sizeof(cfg));
	memset(err, 'x', sizeof(err));
	ret = gw_config_load(fc_path, &cfg, err);
	if (getenv("FUZZ_TRACE") != NULL)
		fprintf(stderr, "fuzz_config: %s\n", ret == 0 ? "loaded" : err);
	if (ret == -1) {
		if (!fc_is_zero(&cfg))
			fc_fail("failed load left *cfg non-zero");
		if (memchr(err, '\0', sizeof(err)) == NULL)
			fc_fail("err is not NUL-terminated");
		if (strncmp(err, fc_path, strlen(fc_path)) != 0 ||
		    err[strlen(fc_path)] != ':')
			fc_fail("err does not start with the path");
		return 0;
	}
	if (ret != 0)
		fc_fail("gw_config_load returned neither 0 nor -1");
	if (cfg.path == NULL || strcmp(cfg.path, fc_path) != 0)
		fc_fail("cfg.path is not the path loaded");
	memset(err, 'x', sizeof(err));
	if (gw_config_error(&cfg, cfg.n_wg != 0 ? &cfg.wg[0].mark : NULL, err,
			    "%s", "check") != -1 ||
	    memchr(err, '\0', sizeof(err)) == NULL ||
	    strncmp(err, fc_path, strlen(fc_path)) != 0)
		fc_fail("gw_config_error on a loaded config");
	gw_config_free(&cfg);
	if (!fc_is_zero(&cfg))
		fc_fail("gw_config_free left *cfg non-zero");
	return 0;
}
