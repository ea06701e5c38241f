/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * dpdk-wg-ctl: the client of the gateway's command socket (`cli_socket:`).
 *
 *   dpdk-wg-ctl [-s SOCKET] COMMAND WORDS...   one command
 *   dpdk-wg-ctl [-s SOCKET] < commands.txt     one command per line
 *
 * Sends the command(s), then closes its sending side, printing the
 * answers as they come until the gateway closes the connection. Exit status: 0, 1 when the
 * gateway refused something (a line starting with "error:") or cannot be
 * reached, 2 for a usage error.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
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

/* Scans the answer for lines starting with "error:". */
struct ctl_scan {
	size_t at_line;		/* chars of the current line seen, up to 6 */
	char line_start[sizeof("error:")];
	bool refused;
};

static void
ctl_scan(struct ctl_scan *sc, const char *buf, size_t n)
{
	static const char tag[] = "error:";
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			sc->at_line = 0;
			continue;
		}
		if (sc->at_line < sizeof(tag) - 1) {
			sc->line_start[sc->at_line++] = buf[i];
			if (sc->at_line == sizeof(tag) - 1 &&
			    memcmp(sc->line_start, tag, sc->at_line) == 0)
				sc->refused = true;
		}
	}
}

/*
 * Sends out (then stdin, if from_stdin) and copies the answer to stdout,
 * both at once: the gateway answers each line as it comes and stops
 * reading while an answer waits, so a long script must not be written
 * whole before the answers are read. 0, or -1 with errno.
 */
static int
ctl_exchange(int fd, char *out, size_t len, bool from_stdin,
	     struct ctl_scan *sc)
{
	bool in_eof = !from_stdin;
	struct pollfd pfd;
	char buf[4096];
	size_t off = 0;
	ssize_t n;

	if (in_eof && len == 0)
		shutdown(fd, SHUT_WR);
	for (;;) {
		if (off == len && !in_eof) {
			n = read(STDIN_FILENO, out, 4096);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			len = (size_t)n;
			off = 0;
			if (n == 0) {
				in_eof = true;
				shutdown(fd, SHUT_WR);
			}
		}
		pfd.fd = fd;
		pfd.events = POLLIN | (off < len ? POLLOUT : 0);
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return -1;
			if (n == 0)
				return 0;
			if (n > 0) {
				if (ctl_write_all(STDOUT_FILENO, buf,
						  (size_t)n) != 0)
					return -1;
				ctl_scan(sc, buf, (size_t)n);
			}
		}
		if ((pfd.revents & POLLOUT) && off < len) {
			n = send(fd, out + off, len - off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return -1;
			if (n > 0)
				off += (size_t)n;
			if (off == len && in_eof)
				shutdown(fd, SHUT_WR);
		}
	}
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
	struct ctl_scan sc = { 0 };
	char buf[4096];
	size_t n = 0;
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
		for (i = optind, n = 0; i < argc; i++) {
			if (n + strlen(argv[i]) + 1 > sizeof(buf)) {
				fprintf(stderr, "%s: command too long\n",
					argv[0]);
				close(fd);
				return 2;
			}
			memcpy(buf + n, argv[i], strlen(argv[i]));
			n += strlen(argv[i]);
			buf[n++] = i + 1 < argc ? ' ' : '\n';
		}
	}
	if (ctl_exchange(fd, buf, n, optind >= argc, &sc) != 0)
		goto io_fail;
	close(fd);
	return sc.refused ? 1 : 0;

io_fail:
	fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
	close(fd);
	return 1;
}
