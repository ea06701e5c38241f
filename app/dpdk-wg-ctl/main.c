/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * dpdk-wg-ctl: the client of the gateway's command socket (`cli_socket:`).
 *
 *   dpdk-wg-ctl [-s SOCKET] COMMAND WORDS...   one command
 *   dpdk-wg-ctl [-s SOCKET] < commands.txt     one command per line
 *
 * Sends the command(s), then closes its sending side; prints the answer
 * until the gateway closes the connection. Exit status: 0, 1 when the
 * gateway refused something (a line starting with "error:") or cannot be
 * reached, 2 for a usage error.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/config.h"

static void
ctl_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [-s SOCKET] COMMAND [WORDS...]\n"
		"       %s [-s SOCKET] < FILE     (one command per line)\n"
		"  -s, --socket SOCKET  the gateway's cli_socket (default %s)\n"
		"Try: %s help\n", prog, prog, GW_CLI_SOCKET_DEFAULT, prog);
}

static int
ctl_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies the answer to stdout; true if a line started with "error:". */
static bool
ctl_read_answer(int fd, bool *io_error)
{
	static const char tag[] = "error:";
	bool refused = false;
	size_t at_line = 0;	/* chars of the current line seen, up to 6 */
	char line_start[sizeof(tag)];
	char buf[4096];
	ssize_t n, i;

	*io_error = false;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*io_error = true;
			break;
		}
		if (n == 0)
			break;
		if (ctl_write_all(STDOUT_FILENO, buf, (size_t)n) != 0) {
			*io_error = true;
			break;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				at_line = 0;
				continue;
			}
			if (at_line < sizeof(tag) - 1) {
				line_start[at_line++] = buf[i];
				if (at_line == sizeof(tag) - 1 &&
				    memcmp(line_start, tag, at_line) == 0)
					refused = true;
			}
		}
	}
	return refused;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = GW_CLI_SOCKET_DEFAULT;
	struct sockaddr_un sun;
	bool refused, io_error;
	char buf[4096];
	size_t n;
	int opt, fd, i;

	/* a gateway that closes early must not kill us silently */
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'h':
			ctl_usage(stdout, argv[0]);
			return 0;
		default:
			ctl_usage(stderr, argv[0]);
			return 2;
		}
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "%s: socket path too long: %s\n", argv[0], path);
		return 2;
	}
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, "%s: cannot connect to %s: %s (is dpdk-wg running with cli_socket: %s?)\n",
			argv[0], path, strerror(errno), path);
		return 1;
	}

	if (optind < argc) {
		/* the words joined by spaces: one command */
		for (i = optind; i < argc; i++)
			if (ctl_write_all(fd, argv[i], strlen(argv[i])) != 0 ||
			    ctl_write_all(fd, i + 1 < argc ? " " : "\n",
					  1) != 0)
				goto write_fail;
	} else {
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			if (ctl_write_all(fd, buf, n) != 0)
				goto write_fail;
	}
	shutdown(fd, SHUT_WR);
	refused = ctl_read_answer(fd, &io_error);
	close(fd);
	if (io_error) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
		return 1;
	}
	return refused ? 1 : 0;

write_fail:
	fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
	close(fd);
	return 1;
}
