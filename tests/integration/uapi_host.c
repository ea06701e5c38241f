/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * uapi_host: a wg_device behind the wg(8) configuration socket, so that
 * the stock wg tool can be tested against lib/uapi.
 *
 *   uapi_host NAME [--dir DIR]
 *
 * Serves DIR/NAME.sock (default /var/run/wireguard, where wg(8) looks)
 * until SIGTERM or SIGINT, then removes it. The listen port is a real UDP
 * socket (IPv6 dual-stack, else IPv4): `wg set NAME listen-port N` rebinds
 * it and fails with the bind error. Nothing is ever sent: outgoing
 * handshakes and keepalives are dropped (send_udp fails), received
 * datagrams are discarded, so the peers' counters stay at zero.
 *
 * stdout: "ready PORT" once the socket is up. stderr: one line per
 * configuration change (public keys in base64, never a private key) and
 * per refused request.
 */

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/primitives.h"
#include "uapi/uapi.h"
#include "uapi/uapi_server.h"
#include "wireguard/device.h"

struct host {
	int udp_fd;
	uint16_t port;
	struct wg_device *dev;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A UDP socket on port (0: any); the bound port in *bound. -errno on failure. */
static int
udp_bind(uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, off = 0;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		struct sockaddr_in6 a6 = {
			.sin6_family = AF_INET6,
			.sin6_port = htons(port),
			.sin6_addr = IN6ADDR_ANY_INIT,
		};

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		if (bind(fd, (struct sockaddr *)&a6, sizeof(a6)) != 0) {
			int err = errno;

			close(fd);
			return -err;
		}
	} else {
		struct sockaddr_in a4 = {
			.sin_family = AF_INET,
			.sin_port = htons(port),
			.sin_addr.s_addr = htonl(INADDR_ANY),
		};

		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (bind(fd, (struct sockaddr *)&a4, sizeof(a4)) != 0) {
			int err = errno;

			close(fd);
			return -err;
		}
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	*bound = ntohs(ss.ss_family == AF_INET6 ?
		       ((struct sockaddr_in6 *)&ss)->sin6_port :
		       ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int
h_send_udp(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	   const uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)peer;
	(void)dst;
	(void)buf;
	(void)len;
	return -ENETUNREACH;	/* this host sends nothing */
}

static void
h_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)peer;
	(void)pkt;
	(void)len;
}

static uint16_t
h_get_port(void *ctx)
{
	return ((struct host *)ctx)->port;
}

/* Rebinds first, then drops the old socket: a failure changes nothing. */
static int
h_set_port(void *ctx, uint16_t port)
{
	struct host *h = ctx;
	uint16_t bound = 0;
	int fd = udp_bind(port, &bound);

	if (fd < 0)
		return fd;
	if (h->udp_fd >= 0)
		close(h->udp_fd);
	h->udp_fd = fd;
	h->port = bound;
	return 0;
}

static int
h_changed(void *ctx, const struct wg_uapi_change *chg)
{
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	size_t i;

	(void)ctx;
	fprintf(stderr, "uapi_host: changed iface=%#x peers=%zu routes=%zu%s\n",
		chg->iface, chg->n_peers, chg->n_routes,
		chg->routes_complete ? "" : " (resync)");
	for (i = 0; i < chg->n_peers; i++) {
		const struct wg_uapi_peer_event *ev = &chg->peers[i];

		if (i == 64) {
			fprintf(stderr, "uapi_host: ... and %zu more peers\n",
				chg->n_peers - i);
			break;
		}

		sodium_bin2base64(b64, sizeof(b64), ev->public_key, 32,
				  sodium_base64_VARIANT_ORIGINAL);
		fprintf(stderr, "uapi_host: peer %s%s%s%s%s%s%s\n", b64,
			ev->what & WG_UAPI_PEER_ADDED ? " added" : "",
			ev->what & WG_UAPI_PEER_REMOVED ? " removed" : "",
			ev->what & WG_UAPI_PEER_ALLOWED_IPS ? " allowed-ips" : "",
			ev->what & WG_UAPI_PEER_ENDPOINT ? " endpoint" : "",
			ev->what & WG_UAPI_PEER_PRESHARED_KEY ? " psk" : "",
			ev->what & WG_UAPI_PEER_KEEPALIVE ? " keepalive" : "");
	}
	return 0;
}

static void
h_log(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "uapi_host: %s\n", msg);
}

static void
usage(void)
{
	fprintf(stderr, "usage: uapi_host NAME [--dir DIR]\n");
}

int
main(int argc, char **argv)
{
	struct wg_device_ops dops = {
		.send_udp = h_send_udp,
		.deliver_inner = h_deliver,
	};
	struct wg_uapi_ops uops = {
		.get_listen_port = h_get_port,
		.set_listen_port = h_set_port,
		.config_changed = h_changed,
		.log = h_log,
	};
	struct wg_uapi_server_config scfg = { 0 };
	struct host h = { .udp_fd = -1 };
	struct wg_uapi_server *srv;
	struct sigaction sa;
	struct wg_uapi *u;
	char err[512];
	int i, ret = 1;

	if (argc < 2 || argv[1][0] == '-') {
		usage();
		return 2;
	}
	scfg.name = argv[1];
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
			scfg.dir = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (wg_crypto_init() != 0) {
		fprintf(stderr, "uapi_host: libsodium init failed\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (h_set_port(&h, 0) != 0) {
		fprintf(stderr, "uapi_host: cannot bind a UDP socket\n");
		return 1;
	}
	h.dev = wg_device_create(&dops, &h, mono_ns());
	u = h.dev != NULL ? wg_uapi_create(h.dev, &uops, &h, NULL) : NULL;
	if (u == NULL) {
		fprintf(stderr, "uapi_host: out of memory\n");
		goto out;
	}
	srv = wg_uapi_server_create(u, &scfg, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "uapi_host: %s\n", err);
		goto out;
	}
	printf("ready %u\n", h.port);
	fflush(stdout);

	while (!stop) {
		struct pollfd pfd[2] = {
			{ .fd = wg_uapi_server_fd(srv), .events = POLLIN },
			{ .fd = h.udp_fd, .events = POLLIN },
		};
		uint64_t now = mono_ns(), next = wg_device_next_deadline(h.dev);
		uint64_t wait_ms = next <= now ? 0 : (next - now) / 1000000 + 1;
		int t = wg_uapi_server_timeout_ms(srv);

		if (wait_ms > 1000)
			wait_ms = 1000;
		if (t < 0 || (int)wait_ms < t)
			t = (int)wait_ms;
		if (poll(pfd, 2, t) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN) {
			uint8_t buf[2048];

			while (recv(h.udp_fd, buf, sizeof(buf), 0) >= 0)
				;
		}
		if (wg_uapi_server_poll(srv, 0) < 0)
			break;
		now = mono_ns();
		if (now >= wg_device_next_deadline(h.dev))
			wg_device_timers(h.dev, now);
	}
	wg_uapi_server_destroy(srv);
	ret = 0;
out:
	wg_uapi_free(u);
	wg_device_free(h.dev);
	if (h.udp_fd >= 0)
		close(h.udp_fd);
	return ret;
}
