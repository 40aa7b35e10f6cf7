/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic authorization listener (RFC 5176): Disconnect-Request and CoA-Request from
 * known clients, verified (source address, Request Authenticator over zeros,
 * Message-Authenticator), decoded, decided by the owner, answered with ACK or NAK.
 * Requests are idempotent for us (kill a session, set a timeout), so a retransmitted
 * request simply gets decided and answered again.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "sg_aaa_codec.h"
#include "sg_log.h"

struct sg_aaa_dae {
	struct sg_aaa_dae_opts opts;
	sg_aaa_dae_fn fn;
	void *arg;
	int fd;
	uint16_t port;
	struct sg_aaa_stats stats;
	uint8_t rx[SG_RADIUS_MAX_LEN + 1];
	struct sg_aaa_pkt tx;
};

struct sg_aaa_dae *sg_aaa_dae_create(const struct sg_aaa_dae_opts *opts, sg_aaa_dae_fn fn,
				     void *arg)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct sg_aaa_dae *d;
	int fam, saved;

	if (opts == NULL || fn == NULL || opts->n_clients > SG_AAA_DAE_MAX_CLIENTS) {
		errno = EINVAL;
		return NULL;
	}
	fam = opts->listen.ss_family;
	if (fam != AF_INET && fam != AF_INET6) {
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->opts = *opts;
	d->fn = fn;
	d->arg = arg;
	d->fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (d->fd < 0)
		goto fail;
	sl = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	if (bind(d->fd, (const struct sockaddr *) &opts->listen, sl) < 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(d->fd, (struct sockaddr *) &ss, &sl) < 0)
		goto fail;
	d->port = ntohs(fam == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
				       : ((struct sockaddr_in6 *) &ss)->sin6_port);
	return d;
fail:
	saved = errno;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	errno = saved;
	return NULL;
}

void sg_aaa_dae_destroy(struct sg_aaa_dae *d)
{
	if (d == NULL)
		return;
	close(d->fd);
	OPENSSL_cleanse(d->opts.clients, sizeof(d->opts.clients));
	free(d);
}

int sg_aaa_dae_fd(const struct sg_aaa_dae *d)
{
	return d->fd;
}

uint16_t sg_aaa_dae_port(const struct sg_aaa_dae *d)
{
	return d->port;
}

void sg_aaa_dae_stats(const struct sg_aaa_dae *d, struct sg_aaa_stats *out)
{
	*out = d->stats;
}

static const struct sg_aaa_dae_client *find_client(const struct sg_aaa_dae *d,
						   const struct sockaddr_storage *from)
{
	for (unsigned i = 0; i < d->opts.n_clients; i++) {
		const struct sockaddr_storage *c = &d->opts.clients[i].addr;

		if (c->ss_family != from->ss_family)
			continue;
		if (c->ss_family == AF_INET &&
		    ((const struct sockaddr_in *) c)->sin_addr.s_addr ==
			((const struct sockaddr_in *) from)->sin_addr.s_addr)
			return &d->opts.clients[i];
		if (c->ss_family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *) c)->sin6_addr,
			   &((const struct sockaddr_in6 *) from)->sin6_addr,
			   sizeof(struct in6_addr)) == 0)
			return &d->opts.clients[i];
	}
	return NULL;
}

static void copy_str(char *dst, size_t cap, const uint8_t *v, size_t vlen)
{
	size_t n = SG_MIN(vlen, cap - 1);

	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* Decode; returns 0 or the Error-Cause to NAK with. */
static uint32_t decode(const uint8_t *b, size_t len, struct sg_aaa_dae_request *rq)
{
	struct sg_aaa_attr_it it;
	const uint8_t *v;
	size_t vlen;
	uint8_t t;

	memset(rq, 0, sizeof(*rq));
	rq->code = b[0];
	sg_aaa_attr_it_init(&it, b, len);
	while (sg_aaa_attr_next(&it, &t, &v, &vlen)) {
		switch (t) {
		case SG_RADIUS_USER_NAME:
			copy_str(rq->user, sizeof(rq->user), v, vlen);
			rq->has |= SG_AAA_DAE_HAS_USER;
			break;
		case SG_RADIUS_ACCT_SESSION_ID:
			copy_str(rq->session_id, sizeof(rq->session_id), v, vlen);
			rq->has |= SG_AAA_DAE_HAS_SESSION_ID;
			break;
		case SG_RADIUS_FRAMED_IP_ADDRESS:
			if (vlen != 4)
				return SG_RADIUS_ERR_INVALID_REQUEST;
			memcpy(&rq->framed_ip, v, 4);
			rq->has |= SG_AAA_DAE_HAS_FRAMED_IP;
			break;
		case SG_RADIUS_SESSION_TIMEOUT:
		case SG_RADIUS_IDLE_TIMEOUT: {
			uint32_t x;

			if (vlen != 4)
				return SG_RADIUS_ERR_INVALID_REQUEST;
			x = ((uint32_t) v[0] << 24) | ((uint32_t) v[1] << 16) |
			    ((uint32_t) v[2] << 8) | v[3];
			if (t == SG_RADIUS_SESSION_TIMEOUT) {
				rq->session_timeout = x;
				rq->has |= SG_AAA_DAE_HAS_SESSION_TIMEOUT;
			} else {
				rq->idle_timeout = x;
				rq->has |= SG_AAA_DAE_HAS_IDLE_TIMEOUT;
			}
			break;
		}
		case SG_RADIUS_FILTER_ID:
			copy_str(rq->filter_id, sizeof(rq->filter_id), v, vlen);
			rq->has |= SG_AAA_DAE_HAS_FILTER_ID;
			break;
		default:
			break; /* NAS identification, Event-Timestamp, State, ... */
		}
	}
	/* RFC 5176 §3: at least one session identification attribute */
	if (!(rq->has &
	      (SG_AAA_DAE_HAS_USER | SG_AAA_DAE_HAS_SESSION_ID | SG_AAA_DAE_HAS_FRAMED_IP)))
		return SG_RADIUS_ERR_MISSING_ATTRIBUTE;
	return 0;
}

static void answer(struct sg_aaa_dae *d, const uint8_t *req, size_t len,
		   const struct sg_aaa_dae_client *c, const struct sockaddr_storage *from,
		   socklen_t fl)
{
	struct sg_aaa_dae_request rq;
	uint32_t cause;
	uint8_t code;

	cause = decode(req, len, &rq);
	if (cause == 0)
		cause = d->fn(d->arg, &rq);
	if (req[0] == SG_RADIUS_DISCONNECT_REQUEST)
		code = cause == 0 ? SG_RADIUS_DISCONNECT_ACK : SG_RADIUS_DISCONNECT_NAK;
	else
		code = cause == 0 ? SG_RADIUS_COA_ACK : SG_RADIUS_COA_NAK;
	d->stats.events[cause == 0 ? SG_AAA_EV_DAE_ACK : SG_AAA_EV_DAE_NAK]++;
	sg_aaa_pkt_init(&d->tx, code, req[1], NULL);
	sg_aaa_pkt_add_msg_auth(&d->tx);
	if (cause != 0)
		sg_aaa_pkt_add_u32(&d->tx, SG_RADIUS_ERROR_CAUSE, cause);
	if (sg_aaa_pkt_sign_reply(&d->tx, req + 4, (const uint8_t *) c->secret,
				  strlen(c->secret)) != 0)
		return;
	if (sendto(d->fd, d->tx.buf, d->tx.len, 0, (const struct sockaddr *) from, fl) < 0)
		d->stats.events[SG_AAA_EV_SEND_ERRORS]++;
}

/* RFC 5176 §3.3: an Event-Timestamp, when present, must be within the window. */
static bool fresh(const struct sg_aaa_dae *d, const uint8_t *b, size_t len, uint32_t unix_now)
{
	const uint8_t *v;
	size_t vlen;
	uint32_t ts, skew;

	if (d->opts.event_window == 0)
		return true;
	v = sg_aaa_attr_find(b, len, SG_RADIUS_EVENT_TIMESTAMP, &vlen);
	if (v == NULL)
		return true;
	if (vlen != 4)
		return false;
	ts = ((uint32_t) v[0] << 24) | ((uint32_t) v[1] << 16) | ((uint32_t) v[2] << 8) | v[3];
	skew = ts > unix_now ? ts - unix_now : unix_now - ts;
	return skew <= d->opts.event_window;
}

int sg_aaa_dae_poll(struct sg_aaa_dae *d, uint32_t unix_now)
{
	int answered = 0;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		const struct sg_aaa_dae_client *c;
		enum sg_aaa_drop drop;
		size_t len;
		ssize_t n = recvfrom(d->fd, d->rx, sizeof(d->rx), MSG_TRUNC,
				     (struct sockaddr *) &from, &fl);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				d->stats.drops[SG_AAA_DROP_RECV_ERROR]++;
			break;
		}
		if ((size_t) n > SG_RADIUS_MAX_LEN) {
			drop = SG_AAA_DROP_OVERSIZE;
			goto dropped;
		}
		drop = sg_aaa_radius_check(d->rx, (size_t) n, &len);
		if (drop != SG_AAA_DROP_NONE)
			goto dropped;
		c = find_client(d, &from);
		if (c == NULL) {
			drop = SG_AAA_DROP_UNKNOWN_CLIENT;
			goto dropped;
		}
		if (d->rx[0] != SG_RADIUS_DISCONNECT_REQUEST && d->rx[0] != SG_RADIUS_COA_REQUEST) {
			drop = SG_AAA_DROP_BAD_CODE;
			goto dropped;
		}
		drop = sg_aaa_radius_verify_request(d->rx, len, (const uint8_t *) c->secret,
						    strlen(c->secret), !d->opts.allow_no_msg_auth);
		if (drop != SG_AAA_DROP_NONE)
			goto dropped;
		if (!fresh(d, d->rx, len, unix_now)) {
			drop = SG_AAA_DROP_STALE;
			goto dropped;
		}
		answer(d, d->rx, len, c, &from, fl);
		answered++;
		continue;
	dropped:
		d->stats.drops[drop]++;
		SG_LOG(AAA, INFO, "dae: dropped request: %s", sg_aaa_drop_name(drop));
	}
	return answered;
}
