/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * dpdk-wg: the gateway.
 *
 *   dpdk-wg --config gw.yaml                  EAL arguments from `eal:`
 *   dpdk-wg [EAL args] -- --config gw.yaml    EAL arguments given here
 *                                             replace the file's
 *   dpdk-wg --config gw.yaml -i               a `dpdk-wg> ` prompt too
 *
 * Signals: SIGINT/SIGTERM stop, SIGUSR1 prints the counters, SIGHUP
 * reloads the file (lib/gateway/reload.h).
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_version.h>

#include "config/config.h"
#include "gateway/cli.h"
#include "gateway/gateway.h"

static struct gw_gateway *volatile gw_main_gw;
static volatile sig_atomic_t gw_main_quit;

static void
gw_main_signal(int sig)
{
	struct gw_gateway *gw = gw_main_gw;

	if (sig == SIGUSR1) {
		/* counters, printed by the control lcore */
		if (gw != NULL)
			gw_gateway_request_stats(gw);
		return;
	}
	if (sig == SIGHUP) {
		/* the control lcore reloads at its next tick */
		if (gw != NULL)
			gw_gateway_request_reload(gw);
		return;
	}
	gw_main_quit = 1;
	if (gw != NULL)
		gw_gateway_stop(gw);
}

static void
gw_main_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s --config FILE [-i]\n"
		"       %s [EAL options] -- --config FILE [-i]\n"
		"EAL options on the command line replace the file's `eal:` list.\n"
		"  -i, --interactive   a command prompt on the terminal (help)\n",
		prog, prog);
}

/* Application options (after "--", or all of them without "--"). */
static int
gw_main_parse(int argc, char **argv, const char *prog, const char **config,
	      bool *interactive)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "interactive", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*config = NULL;
	*interactive = false;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "c:hi", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			*config = optarg;
			break;
		case 'i':
			*interactive = true;
			break;
		case 'h':
			gw_main_usage(stdout, prog);
			exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n",
				prog, argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		return -1;
	}
	if (*config == NULL) {
		fprintf(stderr, "%s: --config FILE is required\n", prog);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char err[GW_ERR_MAX], gw_err[GW_ERR_MAX];
	struct gw_config cfg;
	struct gw_gateway *gw;
	struct sigaction sa;
	const char *config;
	bool interactive;
	char **eal_argv, **app_argv;
	int i, dd = -1, eal_argc, app_argc, ret;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dd = i;
			break;
		}
	}
	/* app options: after "--", or everything when there is none */
	app_argc = dd < 0 ? argc : argc - dd;
	app_argv = calloc((size_t)app_argc + 1, sizeof(*app_argv));
	if (app_argv == NULL)
		return EXIT_FAILURE;
	app_argv[0] = argv[0];
	for (i = 1; i < app_argc; i++)
		app_argv[i] = argv[(dd < 0 ? 0 : dd) + i];
	ret = gw_main_parse(app_argc, app_argv, argv[0], &config,
			    &interactive);
	free(app_argv);
	if (ret != 0) {
		gw_main_usage(stderr, argv[0]);
		return 2;
	}

	memset(&cfg, 0, sizeof(cfg));
	if (gw_config_load(config, &cfg, err) != 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_FAILURE;
	}

	/* EAL arguments: the command line's if any, else the file's */
	if (dd > 1) {
		eal_argc = dd;
		eal_argv = calloc((size_t)eal_argc + 1, sizeof(*eal_argv));
		if (eal_argv == NULL)
			goto fail_cfg;
		for (i = 0; i < dd; i++)
			eal_argv[i] = argv[i];
	} else {
		eal_argc = (int)cfg.eal_argc + 1;
		eal_argv = calloc((size_t)eal_argc + 1, sizeof(*eal_argv));
		if (eal_argv == NULL)
			goto fail_cfg;
		eal_argv[0] = argv[0];
		for (i = 1; i < eal_argc; i++)
			eal_argv[i] = cfg.eal_argv[i - 1];
	}
	ret = rte_eal_init(eal_argc, eal_argv);	/* may permute eal_argv */
	free(eal_argv);
	if (ret < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", argv[0],
			rte_strerror(rte_errno));
		goto fail_cfg;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gw_main_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a CLI client that went away must not kill the gateway */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	gw = gw_gateway_create(&cfg, gw_err);
	if (gw == NULL) {
		fprintf(stderr, "%s\n", gw_err);
		rte_eal_cleanup();
		goto fail_cfg;
	}
	gw_main_gw = gw;
	if (gw_main_quit)
		gw_gateway_stop(gw);

	printf("dpdk-wg (%s): config %s\n", rte_version(), config);
	gw_gateway_print(gw, stdout);
	printf("dpdk-wg: ready\n");
	fflush(stdout);
	if (interactive && gw_cli_stdin(gw) != 0) {
		fprintf(stderr, "%s: no interactive command line\n", argv[0]);
		gw_gateway_stop(gw);
	}

	gw_gateway_run(gw);

	printf("dpdk-wg: stopping\n");
	gw_gateway_print_stats(gw, stdout);
	gw_main_gw = NULL;
	gw_gateway_destroy(gw);
	rte_eal_cleanup();
	gw_config_free(&cfg);
	printf("dpdk-wg: stopped\n");
	return EXIT_SUCCESS;

fail_cfg:
	gw_config_free(&cfg);
	return EXIT_FAILURE;
}
