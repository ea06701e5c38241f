/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * The wg(8) UNIX socket: a non-blocking, single-threaded server over
 * epoll (level-triggered), one protocol session per client.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "crypto/primitives.h"
#include "uapi_server.h"

#define CLIENT_IN_BUF		(64 * 1024)
#define CLIENT_OUT_BUF		(64 * 1024)
#define DEFAULT_MAX_CLIENTS	8
#define DEFAULT_IDLE_MS		10000
#define DEFAULT_REQUEST_MS	120000
#define DEFAULT_IO_BUDGET	(256 * 1024)
#define ACCEPTS_PER_POLL	16
#define LISTEN_BACKLOG		16
#define MAX_EVENTS		16

struct client {
	int fd;
	struct wg_uapi_session *sess;
	char *in;			/* received, not yet consumed */
	size_t in_len;
	char *out;			/* produced, not yet sent */
	size_t out_len;
	size_t out_off;
	uint64_t idle_deadline;		/* ms, monotonic */
	uint64_t request_deadline;
	uint64_t requests_seen;
	uint32_t events;		/* registered with epoll */
	bool rd_eof;
	bool pending;			/* work left without waiting on the socket */
};

struct wg_uapi_server {
	struct wg_uapi *u;
	int lfd;
	int epfd;
	dev_t sock_dev;
	ino_t sock_ino;
	unsigned int max_clients;
	uint32_t idle_ms;
	uint32_t request_ms;
	uint32_t io_budget;
	struct client **clients;
	unsigned int n_clients;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool
name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > WG_UAPI_NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '=' ||
		      c == '+' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/*
 * A socket file at path: 0 if there is none (a stale one is removed),
 * else a negative errno: -EADDRINUSE when a live server answers.
 */
static int
probe_existing(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		set_err(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		set_err(err, errlen, "%s exists and is not a socket: not replaced",
			path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		set_err(err, errlen, "socket: %s", strerror(-ret));
		return ret;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	if (ret == 0 || errno == EAGAIN || errno == EINPROGRESS) {
		close(fd);
		set_err(err, errlen,
			"%s is in use by another process (a live server answers on it)",
			path);
		return -EADDRINUSE;
	}
	ret = -errno;
	close(fd);
	if (ret == -ECONNREFUSED) {
		/* nobody listens: a leftover of a process that died */
		if (unlink(path) != 0 && errno != ENOENT) {
			ret = -errno;
			set_err(err, errlen, "cannot remove stale %s: %s", path,
				strerror(-ret));
			return ret;
		}
		return 0;
	}
	if (ret == -ENOENT)
		return 0;
	set_err(err, errlen, "cannot probe %s: %s", path, strerror(-ret));
	return ret;
}

static int
ensure_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		set_err(err, errlen, "%s is not a directory", dir);
		return -ENOTDIR;
	}
	if (errno != ENOENT || (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
		ret = -errno;
		set_err(err, errlen, "cannot create %s: %s", dir, strerror(-ret));
		return ret;
	}
	/* wg(8) lists it: 0755 whatever the umask */
	chmod(dir, 0755);
	return 0;
}

struct wg_uapi_server *
wg_uapi_server_create(struct wg_uapi *u,
		      const struct wg_uapi_server_config *cfg,
		      char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };
	struct wg_uapi_server *srv;
	const char *dir;
	struct stat st;
	mode_t old_mask;
	int n, ret;

	if (u == NULL || cfg == NULL || cfg->name == NULL ||
	    !name_valid(cfg->name)) {
		set_err(err, errlen, "invalid interface name (1 to %d of A-Z a-z 0-9 _ = + . -)",
			WG_UAPI_NAME_MAX);
		errno = EINVAL;
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		set_err(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	srv->u = u;
	srv->lfd = -1;
	srv->epfd = -1;
	srv->max_clients = cfg->max_clients ? cfg->max_clients : DEFAULT_MAX_CLIENTS;
	srv->idle_ms = cfg->idle_timeout_ms ? cfg->idle_timeout_ms : DEFAULT_IDLE_MS;
	srv->request_ms = cfg->request_timeout_ms ? cfg->request_timeout_ms :
		DEFAULT_REQUEST_MS;
	srv->io_budget = cfg->io_budget ? cfg->io_budget : DEFAULT_IO_BUDGET;
	dir = cfg->dir != NULL ? cfg->dir : WG_UAPI_SOCKET_DIR;
	n = snprintf(srv->path, sizeof(srv->path), "%s/%s.sock", dir, cfg->name);
	if (n < 0 || (size_t)n >= sizeof(srv->path)) {
		set_err(err, errlen, "socket path %s/%s.sock is too long", dir,
			cfg->name);
		ret = -ENAMETOOLONG;
		goto fail;
	}
	ret = ensure_dir(dir, err, errlen);
	if (ret == 0)
		ret = probe_existing(srv->path, err, errlen);
	if (ret != 0)
		goto fail;

	srv->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->lfd < 0) {
		ret = -errno;
		set_err(err, errlen, "socket: %s", strerror(-ret));
		goto fail;
	}
	memcpy(addr.sun_path, srv->path, (size_t)n + 1);
	old_mask = umask(077);
	ret = bind(srv->lfd, (struct sockaddr *)&addr, sizeof(addr));
	if (ret != 0)
		ret = -errno;
	umask(old_mask);
	if (ret != 0) {
		set_err(err, errlen, "cannot bind %s: %s", srv->path,
			strerror(-ret));
		goto fail;
	}
	if (chmod(srv->path, 0600) != 0 || stat(srv->path, &st) != 0 ||
	    listen(srv->lfd, LISTEN_BACKLOG) != 0) {
		ret = -errno;
		set_err(err, errlen, "cannot set up %s: %s", srv->path,
			strerror(-ret));
		unlink(srv->path);
		goto fail;
	}
	srv->sock_dev = st.st_dev;
	srv->sock_ino = st.st_ino;

	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.data.ptr = NULL;		/* NULL: the listener */
	if (srv->epfd < 0 ||
	    epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->lfd, &ev) != 0) {
		ret = -errno;
		set_err(err, errlen, "epoll: %s", strerror(-ret));
		unlink(srv->path);
		goto fail;
	}
	srv->clients = calloc(srv->max_clients, sizeof(*srv->clients));
	if (srv->clients == NULL) {
		ret = -ENOMEM;
		set_err(err, errlen, "out of memory");
		unlink(srv->path);
		goto fail;
	}
	return srv;
fail:
	if (srv->epfd >= 0)
		close(srv->epfd);
	if (srv->lfd >= 0)
		close(srv->lfd);
	free(srv);
	errno = -ret;
	return NULL;
}

static void
client_close(struct wg_uapi_server *srv, unsigned int idx)
{
	struct client *c = srv->clients[idx];

	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	wg_uapi_session_free(c->sess);
	/* both buffers may hold key material */
	wg_memzero(c->in, CLIENT_IN_BUF);
	wg_memzero(c->out, CLIENT_OUT_BUF);
	free(c->in);
	free(c->out);
	free(c);
	srv->clients[idx] = srv->clients[--srv->n_clients];
	srv->clients[srv->n_clients] = NULL;
}

void
wg_uapi_server_destroy(struct wg_uapi_server *srv)
{
	struct stat st;

	if (srv == NULL)
		return;
	while (srv->n_clients != 0)
		client_close(srv, srv->n_clients - 1);
	close(srv->lfd);
	close(srv->epfd);
	/* only if it is still ours, not a successor's */
	if (stat(srv->path, &st) == 0 && st.st_dev == srv->sock_dev &&
	    st.st_ino == srv->sock_ino)
		unlink(srv->path);
	free(srv->clients);
	free(srv);
}

/* Clients that are not root nor our own user are refused. */
static bool
peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return false;
	return cred.uid == 0 || cred.uid == geteuid();
}

static void
accept_clients(struct wg_uapi_server *srv)
{
	unsigned int i;

	for (i = 0; i < ACCEPTS_PER_POLL; i++) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct client *c;
		uint64_t now;
		int fd = accept4(srv->lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;		/* EAGAIN, or a client gone meanwhile */
		if (srv->n_clients >= srv->max_clients || !peer_allowed(fd)) {
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c != NULL) {
			c->in = malloc(CLIENT_IN_BUF);
			c->out = malloc(CLIENT_OUT_BUF);
			c->sess = wg_uapi_session_create(srv->u);
		}
		ev.data.ptr = c;
		if (c == NULL || c->in == NULL || c->out == NULL ||
		    c->sess == NULL ||
		    epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			if (c != NULL) {
				wg_uapi_session_free(c->sess);
				free(c->in);
				free(c->out);
				free(c);
			}
			close(fd);
			continue;
		}
		now = now_ms();
		c->fd = fd;
		c->events = EPOLLIN;
		c->idle_deadline = now + srv->idle_ms;
		c->request_deadline = now + srv->request_ms;
		srv->clients[srv->n_clients++] = c;
	}
}

/*
 * Moves data between the socket and the session within the budget.
 * Returns false if the client is to be closed.
 */
static bool
client_service(struct wg_uapi_server *srv, struct client *c, int *completed)
{
	size_t budget_in = srv->io_budget, budget_out = srv->io_budget;
	struct epoll_event ev;
	bool progress, any = false;
	uint32_t want;
	uint64_t reqs;

	c->pending = false;
	do {
		progress = false;
		/* 1. send what is buffered */
		while (c->out_off < c->out_len && budget_out != 0) {
			size_t k = c->out_len - c->out_off;
			ssize_t r;

			if (k > budget_out)
				k = budget_out;
			r = send(c->fd, c->out + c->out_off, k,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (r < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR)
					continue;
				return false;
			}
			c->out_off += (size_t)r;
			budget_out -= (size_t)r;
			progress = true;
		}
		if (c->out_off == c->out_len && c->out_len != 0) {
			wg_memzero(c->out, c->out_len);
			c->out_len = 0;
			c->out_off = 0;
		}
		/* 2. take more output from the session */
		if (c->out_len == 0 && budget_out != 0 &&
		    wg_uapi_session_has_output(c->sess)) {
			c->out_len = wg_uapi_session_output(c->sess, c->out,
							    CLIENT_OUT_BUF);
			progress = progress || c->out_len != 0;
		}
		/* 3. feed what was received */
		if (c->in_len != 0 && wg_uapi_session_wants_input(c->sess)) {
			size_t k = wg_uapi_session_input(c->sess, c->in,
							 c->in_len);

			if (k != 0) {
				memmove(c->in, c->in + k, c->in_len - k);
				wg_memzero(c->in + c->in_len - k, k);
				c->in_len -= k;
				progress = true;
			}
		}
		/* 4. receive more */
		if (!c->rd_eof && c->in_len < CLIENT_IN_BUF && budget_in != 0 &&
		    wg_uapi_session_wants_input(c->sess)) {
			size_t k = CLIENT_IN_BUF - c->in_len;
			ssize_t r;

			if (k > budget_in)
				k = budget_in;
			r = recv(c->fd, c->in + c->in_len, k, MSG_DONTWAIT);
			if (r > 0) {
				c->in_len += (size_t)r;
				budget_in -= (size_t)r;
				progress = true;
			} else if (r == 0) {
				c->rd_eof = true;
				progress = true;
			} else if (errno != EAGAIN && errno != EWOULDBLOCK &&
				   errno != EINTR) {
				return false;
			}
		}
		if (c->rd_eof && c->in_len == 0 &&
		    wg_uapi_session_wants_input(c->sess)) {
			wg_uapi_session_input_eof(c->sess);
			progress = true;
		}
		if (wg_uapi_session_done(c->sess) && c->out_off == c->out_len)
			break;
		any = any || progress;
	} while (progress);

	reqs = wg_uapi_session_requests(c->sess);
	if (reqs != c->requests_seen) {
		*completed += (int)(reqs - c->requests_seen);
		c->requests_seen = reqs;
		c->request_deadline = now_ms() + srv->request_ms;
	}
	if (wg_uapi_session_done(c->sess) && c->out_off == c->out_len)
		return false;
	if (any)
		c->idle_deadline = now_ms() + srv->idle_ms;

	/* out of budget with work left: come back without waiting */
	if ((budget_out == 0 && (c->out_off < c->out_len ||
				 wg_uapi_session_has_output(c->sess))) ||
	    (budget_in == 0 && wg_uapi_session_wants_input(c->sess)))
		c->pending = true;

	want = 0;
	if (c->out_off < c->out_len)
		want |= EPOLLOUT;
	if (!c->rd_eof && c->in_len < CLIENT_IN_BUF &&
	    wg_uapi_session_wants_input(c->sess))
		want |= EPOLLIN;
	if (want != c->events) {
		ev.events = want;
		ev.data.ptr = c;
		if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0)
			return false;
		c->events = want;
	}
	return true;
}

static int
client_index(const struct wg_uapi_server *srv, const struct client *c)
{
	unsigned int i;

	for (i = 0; i < srv->n_clients; i++)
		if (srv->clients[i] == c)
			return (int)i;
	return -1;
}

int
wg_uapi_server_timeout_ms(const struct wg_uapi_server *srv)
{
	uint64_t now, next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < srv->n_clients; i++) {
		const struct client *c = srv->clients[i];

		if (c->pending)
			return 0;
		if (c->idle_deadline < next)
			next = c->idle_deadline;
		if (c->request_deadline < next)
			next = c->request_deadline;
	}
	if (next == UINT64_MAX)
		return -1;
	now = now_ms();
	if (next <= now)
		return 0;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

int
wg_uapi_server_poll(struct wg_uapi_server *srv, int timeout_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int i, n, t, completed = 0;
	unsigned int k;
	uint64_t now;

	t = wg_uapi_server_timeout_ms(srv);
	if (timeout_ms >= 0 && (t < 0 || timeout_ms < t))
		t = timeout_ms;
	n = epoll_wait(srv->epfd, evs, MAX_EVENTS, t);
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		struct client *c = evs[i].data.ptr;
		int idx;

		if (c == NULL) {
			accept_clients(srv);
			continue;
		}
		idx = client_index(srv, c);
		if (idx < 0)
			continue;
		if (!client_service(srv, c, &completed))
			client_close(srv, (unsigned int)idx);
	}
	/* clients with budgeted work left, then the deadlines */
	for (k = 0; k < srv->n_clients; k++) {
		struct client *c = srv->clients[k];

		if (c->pending && !client_service(srv, c, &completed))
			client_close(srv, k--);
	}
	now = now_ms();
	for (k = 0; k < srv->n_clients; k++) {
		struct client *c = srv->clients[k];

		if (now >= c->idle_deadline || now >= c->request_deadline)
			client_close(srv, k--);
	}
	return completed;
}

int
wg_uapi_server_fd(const struct wg_uapi_server *srv)
{
	return srv->epfd;
}

const char *
wg_uapi_server_path(const struct wg_uapi_server *srv)
{
	return srv->path;
}

unsigned int
wg_uapi_server_clients(const struct wg_uapi_server *srv)
{
	return srv->n_clients;
}
