/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstp-loadgen's kernel-socket transport: one non-blocking TCP socket per client
 * (TCP_NODELAY, optional source address from --bind), one epoll set for all of them.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lg.h"

static void epoll_set(struct lg_client *c, bool out)
{
	struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.u32 = c->idx};

	epoll_ctl(c->lg->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = out;
}

static void sock_flush(struct lg_client *c)
{
	size_t len;
	const uint8_t *p;

	if (c->fd < 0)
		return;
	while ((p = sg_tls_conn_out_peek(c->tls, &len)) != NULL && len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (!c->want_out)
					epoll_set(c, true);
				return;
			}
			if (errno == EINTR)
				continue;
			lg_client_fail(c, "tcp_send_%s",
				       errno == EPIPE || errno == ECONNRESET ? "reset" : "error");
			return;
		}
		sg_tls_conn_out_consume(c->tls, (size_t) n);
	}
	if (c->want_out)
		epoll_set(c, false);
}

static int sock_open(struct lg_client *c)
{
	struct lg *lg = c->lg;
	const struct lg_opts *o = lg->o;
	struct epoll_event ev;
	int one = 1, rc;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		rc = -errno;
		lg_client_fail(c, "socket_%s", rc == -EMFILE || rc == -ENFILE ? "no_fds" : "error");
		return rc;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (o->nbind > 0) {
		struct sockaddr_in sa = {.sin_family = AF_INET,
					 .sin_addr =
					     o->bind[lg->next_bind++ % (unsigned) o->nbind]};

		setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		if (bind(c->fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
			rc = -errno;
			lg_client_fail(c, "bind_%s", rc == -EADDRINUSE ? "addr_in_use" : "error");
			return rc;
		}
	}
	ev = (struct epoll_event){.events = EPOLLOUT, .data.u32 = c->idx};
	if (epoll_ctl(lg->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		lg_client_fail(c, "epoll_error%s", NULL);
		return -EIO;
	}
	if (connect(c->fd, (const struct sockaddr *) &o->server, sizeof(o->server)) < 0 &&
	    errno != EINPROGRESS) {
		rc = -errno;
		lg_client_fail(c, "tcp_connect_%s",
			       rc == -EADDRNOTAVAIL ? "no_source_port" : "error");
		return rc;
	}
	return 0;
}

static void sock_close(struct lg_client *c, bool graceful)
{
	(void) graceful;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Readiness of client c's socket. */
static void sock_event(struct lg_client *c, uint32_t events, sg_usec_t now)
{
	static uint8_t buf[65536];

	c->now = now;
	if (c->state == LG_ST_CONNECTING) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
		if (err) {
			lg_client_fail(c, "tcp_connect_%s",
				       err == ECONNREFUSED ? "refused" : "error");
		} else {
			lg_client_connected(c, now);
			c->want_out = true; /* registered for EPOLLOUT: flush turns it off */
		}
		lg_client_settle(c);
		return;
	}
	if (events & EPOLLIN) {
		for (int i = 0; i < 4 && !c->failed && !c->finished; i++) {
			ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

			if (n == 0) {
				lg_client_transport_down(c, "server_closed_tcp");
				break;
			}
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
					break;
				lg_client_fail(c, "tcp_recv_%s",
					       errno == ECONNRESET ? "reset" : "error");
				break;
			}
			lg_client_input(c, buf, (size_t) n);
			if ((size_t) n < sizeof(buf))
				break;
		}
	} else if (events & (EPOLLERR | EPOLLHUP)) {
		lg_client_fail(c, "tcp_error%s", NULL);
	}
	lg_client_settle(c);
}

static void sock_poll(struct lg *lg, int timeout_ms)
{
	struct epoll_event ev[256];
	int n = epoll_wait(lg->epfd, ev, SG_ARRAY_SIZE(ev), timeout_ms);
	sg_usec_t now = lg_now();

	for (int i = 0; i < n; i++) {
		struct lg_client *c = &lg->cl[ev[i].data.u32];

		if (c->state != LG_ST_FREE)
			sock_event(c, ev[i].events, now);
	}
}

static int sock_lan_send(struct lg_client *c, unsigned n, sg_usec_t now)
{
	(void) c;
	(void) n;
	(void) now;
	return -ENOTSUP; /* the LAN side is another process (udp-echo) here */
}

static void sock_fini(struct lg *lg)
{
	if (lg->epfd >= 0)
		close(lg->epfd);
	lg->epfd = -1;
}

static const struct lg_transport sock_transport = {
    .name = "kernel",
    .open = sock_open,
    .flush = sock_flush,
    .close = sock_close,
    .poll = sock_poll,
    .lan_send = sock_lan_send,
    .counters = NULL,
    .fini = sock_fini,
};

int lg_sock_attach(struct lg *lg, char *err, size_t errlen)
{
	lg->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lg->epfd < 0) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		return -errno;
	}
	lg->tr = &sock_transport;
	return 0;
}
