/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Non-blocking RADIUS client for the control core's poll loop.
 *
 * Why our own codec and not radcli (Debian libradcli-dev): radcli's rc_auth()/rc_acct()
 * send a request and wait for its answer inside the call (select() on a socket with the
 * configured timeout and retries), one request at a time per call. The control core must
 * never block and must keep thousands of authentications in flight while a slow or dead
 * server only delays the sessions waiting on it. radcli also has no API to hand its socket
 * to an outside poll loop, and it keeps its configuration in a file-based global handle.
 * RFC 2865/2866/5176 framing is small; owning it also lets us count every refused packet
 * by name and fuzz the decoder.
 *
 * Shape: one pool of request slots allocated at create (no malloc per request); UDP
 * sockets opened on demand, each with its own 256 identifiers; a request remembers its
 * socket and id so a reply is matched by socket + id, then source address/port, then the
 * Response Authenticator and Message-Authenticator. Retransmission to the same server
 * reuses the packet (RFC 5080 §2.2.1); a new server gets a new id, authenticator and
 * password encryption. Deadlines live in a binary min-heap of request indexes and free
 * slots on a free list, so poll() and submit cost O(log n) per request that is due or new,
 * not a scan of every slot: 8192 in flight cost the same per reply as 8.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aaa_private.h"
#include "sg_log.h"

#define AAA_MAX_SOCKS	    64
#define AAA_DEFAULT_TIMEOUT (3 * SG_USEC_PER_SEC)
#define AAA_DEFAULT_DEAD    (30 * SG_USEC_PER_SEC)
#define AAA_RTO_CAP	    4 /* backoff: timeout, 2x, 4x, 4x ... */
#define AAA_NONE	    UINT32_MAX

enum req_state { REQ_FREE = 0, REQ_SENT, REQ_QUEUED };
enum req_kind { KIND_AUTH, KIND_ACCT };

struct aaa_sock {
	int fd;
	int family;
	uint8_t next_id;
	unsigned used;
	uint32_t slot[256]; /* request index + 1, 0 = free */
};

struct aaa_req {
	enum req_state state;
	enum req_kind kind;
	uint16_t gen;
	bool stop; /* accounting Stop: queued, never lost while the queue has room */
	bool eap;  /* carries EAP: replies need a Message-Authenticator whatever the options */
	sg_aaa_done_fn done;
	void *arg;
	int sock; /* -1 when no id is held */
	uint8_t id;
	unsigned server;
	uint32_t tried; /* servers tried (bitmask) */
	unsigned tries; /* transmissions to the current server */
	sg_usec_t created, deadline, rto;
	uint64_t replies_seen; /* server's reply count at our first transmission there */
	struct aaa_req_layout lay;
	char password[SG_AAA_PASSWORD_MAX + 1];
	/* kept across reuse (below the memset in alloc_req) */
	uint32_t heap_idx;  /* position in the deadline heap, AAA_NONE when not in it */
	uint32_t next_free; /* free list link, AAA_NONE at the end */
	struct sg_aaa_pkt pkt;
};

struct aaa_server {
	struct sg_aaa_radius_server cfg;
	size_t slen;
	sg_usec_t dead_until;
	uint64_t replies; /* authentic replies so far: dead only if none since our first send */
};

struct sg_aaa_radius {
	struct sg_aaa_radius_opts opts;
	struct aaa_server servers[SG_AAA_RADIUS_MAX_SERVERS];
	struct aaa_sock socks[AAA_MAX_SOCKS];
	unsigned n_socks;
	struct aaa_req *reqs;
	unsigned n_reqs;    /* slots: max_inflight + acct_queue_max */
	uint32_t free_head; /* first free slot, AAA_NONE when every slot is taken */
	uint32_t *heap;	    /* request indexes, min-heap on deadline (REQ_SENT and REQ_QUEUED) */
	uint32_t heap_n;
	unsigned inflight; /* REQ_SENT */
	unsigned queued;   /* REQ_QUEUED */
	struct sg_aaa_stats stats;
	struct sg_aaa_result res; /* scratch handed to callbacks */
	uint8_t rx[SG_RADIUS_MAX_LEN + 1];
};

static void count_drop(struct sg_aaa_radius *r, enum sg_aaa_drop d)
{
	r->stats.drops[d]++;
	SG_LOG(AAA, DEBUG, "radius: dropped reply: %s", sg_aaa_drop_name(d));
}

struct sg_aaa_radius *sg_aaa_radius_create(const struct sg_aaa_radius_opts *opts)
{
	struct sg_aaa_radius *r;

	if (opts == NULL || opts->n_servers == 0 || opts->n_servers > SG_AAA_RADIUS_MAX_SERVERS) {
		errno = EINVAL;
		return NULL;
	}
	for (unsigned i = 0; i < opts->n_servers; i++) {
		int fam = opts->servers[i].addr.ss_family;

		if ((fam != AF_INET && fam != AF_INET6) || opts->servers[i].secret[0] == '\0') {
			errno = EINVAL;
			return NULL;
		}
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->opts = *opts;
	if (r->opts.timeout == 0)
		r->opts.timeout = AAA_DEFAULT_TIMEOUT;
	if (r->opts.retries == 0)
		r->opts.retries = 3;
	if (r->opts.dead_time == 0)
		r->opts.dead_time = AAA_DEFAULT_DEAD;
	if (r->opts.max_inflight == 0)
		r->opts.max_inflight = 4096;
	if (r->opts.acct_queue_max == 0)
		r->opts.acct_queue_max = 1024;
	/* handles carry the slot index in 16 bits */
	if (r->opts.max_inflight > 256 * (AAA_MAX_SOCKS / 2) ||
	    r->opts.max_inflight + r->opts.acct_queue_max > 65535) {
		free(r);
		errno = EINVAL;
		return NULL;
	}
	for (unsigned i = 0; i < opts->n_servers; i++) {
		struct aaa_server *s = &r->servers[i];

		s->cfg = opts->servers[i];
		s->cfg.secret[SG_AAA_SECRET_MAX] = '\0';
		s->slen = strlen(s->cfg.secret);
		if (s->cfg.auth_port == 0)
			s->cfg.auth_port = 1812;
		if (s->cfg.acct_port == 0)
			s->cfg.acct_port = 1813;
	}
	r->n_reqs = r->opts.max_inflight + r->opts.acct_queue_max;
	r->reqs = calloc(r->n_reqs, sizeof(*r->reqs));
	r->heap = calloc(r->n_reqs, sizeof(*r->heap));
	if (r->reqs == NULL || r->heap == NULL) {
		free(r->reqs);
		free(r->heap);
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned i = 0; i < r->n_reqs; i++) {
		r->reqs[i].heap_idx = AAA_NONE;
		r->reqs[i].next_free = i + 1 < r->n_reqs ? i + 1 : AAA_NONE;
	}
	r->free_head = 0;
	return r;
}

static void wipe_req(struct aaa_req *q)
{
	OPENSSL_cleanse(q->password, sizeof(q->password));
	OPENSSL_cleanse(q->pkt.buf, q->pkt.len);
}

void sg_aaa_radius_destroy(struct sg_aaa_radius *r)
{
	if (r == NULL)
		return;
	for (unsigned i = 0; i < r->n_socks; i++)
		close(r->socks[i].fd);
	for (unsigned i = 0; i < r->n_reqs; i++)
		if (r->reqs[i].state != REQ_FREE)
			wipe_req(&r->reqs[i]);
	free(r->reqs);
	free(r->heap);
	for (unsigned i = 0; i < r->opts.n_servers; i++)
		OPENSSL_cleanse(r->servers[i].cfg.secret, sizeof(r->servers[i].cfg.secret));
	OPENSSL_cleanse(r->opts.servers, sizeof(r->opts.servers));
	free(r);
}

/* ---- sockets and identifiers --------------------------------------------------------- */

static int open_sock(struct sg_aaa_radius *r, int family)
{
	struct aaa_sock *s;
	int fd;

	if (r->n_socks >= AAA_MAX_SOCKS)
		return -EBUSY;
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	s = &r->socks[r->n_socks];
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->family = family;
	/* start each socket's ids at a random point so restarts do not reuse old ids first */
	if (RAND_bytes(&s->next_id, 1) != 1)
		s->next_id = 0;
	return (int) r->n_socks++;
}

/* Take an id on a socket of this family; sets q->sock / q->id. */
static int take_id(struct sg_aaa_radius *r, struct aaa_req *q, int family)
{
	int si = -1;

	for (unsigned i = 0; i < r->n_socks; i++)
		if (r->socks[i].family == family && r->socks[i].used < 256) {
			si = (int) i;
			break;
		}
	if (si < 0) {
		si = open_sock(r, family);
		if (si < 0)
			return si;
	}
	struct aaa_sock *s = &r->socks[si];
	for (unsigned k = 0; k < 256; k++) {
		uint8_t id = (uint8_t) (s->next_id + k);

		if (s->slot[id] == 0) {
			s->slot[id] = (uint32_t) (q - r->reqs) + 1;
			s->used++;
			s->next_id = (uint8_t) (id + 1);
			q->sock = si;
			q->id = id;
			return 0;
		}
	}
	return -EBUSY; /* cannot happen: used < 256 */
}

static void put_id(struct sg_aaa_radius *r, struct aaa_req *q)
{
	if (q->sock < 0)
		return;
	r->socks[q->sock].slot[q->id] = 0;
	r->socks[q->sock].used--;
	q->sock = -1;
}

/* ---- servers ------------------------------------------------------------------------ */

static bool server_live(const struct sg_aaa_radius *r, unsigned i, sg_usec_t now)
{
	return r->servers[i].dead_until <= now;
}

unsigned sg_aaa_radius_current_server(const struct sg_aaa_radius *r, sg_usec_t now)
{
	unsigned best = 0;

	for (unsigned i = 0; i < r->opts.n_servers; i++)
		if (server_live(r, i, now))
			return i;
	/* all dead: probe the one that has been dead the longest */
	for (unsigned i = 1; i < r->opts.n_servers; i++)
		if (r->servers[i].dead_until < r->servers[best].dead_until)
			best = i;
	return best;
}

static void server_addr(const struct aaa_server *s, bool acct, struct sockaddr_storage *ss,
			socklen_t *len)
{
	uint16_t port = htons(acct ? s->cfg.acct_port : s->cfg.auth_port);

	*ss = s->cfg.addr;
	if (ss->ss_family == AF_INET) {
		((struct sockaddr_in *) ss)->sin_port = port;
		*len = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *) ss)->sin6_port = port;
		*len = sizeof(struct sockaddr_in6);
	}
}

static bool same_source(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *) a, *y = (const void *) b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *) a, *y = (const void *) b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}

/* ---- deadlines: binary min-heap of request indexes ---------------------------------- */

static sg_usec_t heap_key(const struct sg_aaa_radius *r, uint32_t i)
{
	return r->reqs[r->heap[i]].deadline;
}

static void heap_swap(struct sg_aaa_radius *r, uint32_t a, uint32_t b)
{
	uint32_t qa = r->heap[a], qb = r->heap[b];

	r->heap[a] = qb;
	r->heap[b] = qa;
	r->reqs[qb].heap_idx = a;
	r->reqs[qa].heap_idx = b;
}

static void heap_up(struct sg_aaa_radius *r, uint32_t i)
{
	while (i > 0 && heap_key(r, (i - 1) / 2) > heap_key(r, i)) {
		heap_swap(r, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct sg_aaa_radius *r, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, m = i;

		if (l < r->heap_n && heap_key(r, l) < heap_key(r, m))
			m = l;
		if (l + 1 < r->heap_n && heap_key(r, l + 1) < heap_key(r, m))
			m = l + 1;
		if (m == i)
			return;
		heap_swap(r, i, m);
		i = m;
	}
}

static void heap_remove(struct sg_aaa_radius *r, struct aaa_req *q)
{
	uint32_t i = q->heap_idx;

	if (i == AAA_NONE)
		return;
	q->heap_idx = AAA_NONE;
	if (i != --r->heap_n) {
		r->heap[i] = r->heap[r->heap_n];
		r->reqs[r->heap[i]].heap_idx = i;
		heap_up(r, i);
		heap_down(r, r->reqs[r->heap[i]].heap_idx);
	}
}

/* Every deadline change goes through here so the heap stays ordered. */
static void set_deadline(struct sg_aaa_radius *r, struct aaa_req *q, sg_usec_t t)
{
	sg_usec_t old = q->deadline;

	q->deadline = t;
	if (q->heap_idx == AAA_NONE) {
		q->heap_idx = r->heap_n;
		r->heap[r->heap_n++] = (uint32_t) (q - r->reqs);
		heap_up(r, q->heap_idx);
	} else if (t < old) {
		heap_up(r, q->heap_idx);
	} else {
		heap_down(r, q->heap_idx);
	}
}

/* ---- transmission ------------------------------------------------------------------- */

/* Prepare q's packet for server q->server: new id (and authenticator), then sign. */
static int encode_for_server(struct sg_aaa_radius *r, struct aaa_req *q, sg_usec_t now)
{
	struct aaa_server *s = &r->servers[q->server];
	const uint8_t *secret = (const uint8_t *) s->cfg.secret;
	uint8_t *b = q->pkt.buf;
	int rc;

	put_id(r, q);
	rc = take_id(r, q, s->cfg.addr.ss_family);
	if (rc < 0)
		return rc;
	b[1] = q->id;
	if (q->kind == KIND_AUTH) {
		if (RAND_bytes(b + 4, 16) != 1)
			return -EIO;
		if (q->lay.pw_off != 0) {
			rc = sg_aaa_radius_hide_password(
			    b + q->lay.pw_off, (const uint8_t *) q->password, strlen(q->password),
			    secret, s->slen, b + 4);
			if (rc < 0)
				return rc;
		}
	} else {
		uint32_t d = (uint32_t) ((now - q->created) / SG_USEC_PER_SEC);
		uint8_t *p = b + q->lay.delay_off;

		p[0] = (uint8_t) (d >> 24);
		p[1] = (uint8_t) (d >> 16);
		p[2] = (uint8_t) (d >> 8);
		p[3] = (uint8_t) d;
	}
	return sg_aaa_pkt_sign_request(&q->pkt, secret, s->slen);
}

static void transmit(struct sg_aaa_radius *r, struct aaa_req *q, sg_usec_t now)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	server_addr(&r->servers[q->server], q->kind == KIND_ACCT, &ss, &sl);
	if (sendto(r->socks[q->sock].fd, q->pkt.buf, q->pkt.len, 0, (struct sockaddr *) &ss, sl) <
	    0) {
		/* a lost transmission: the timer below retries it like a lost datagram */
		r->stats.events[SG_AAA_EV_SEND_ERRORS]++;
		SG_LOG(AAA, DEBUG, "radius: sendto: %d", errno);
	}
	if (q->tries == 0)
		q->replies_seen = r->servers[q->server].replies;
	q->tries++;
	set_deadline(r, q, now + q->rto);
}

/* Start on server `srv` (first transmission there). */
static int start_on(struct sg_aaa_radius *r, struct aaa_req *q, unsigned srv, sg_usec_t now)
{
	int rc;

	q->server = srv;
	q->tried |= 1u << srv;
	q->tries = 0;
	q->rto = r->opts.timeout;
	rc = encode_for_server(r, q, now);
	if (rc < 0)
		return rc;
	transmit(r, q, now);
	return 0;
}

static struct aaa_req *alloc_req(struct sg_aaa_radius *r, enum req_kind kind)
{
	struct aaa_req *q;
	uint16_t gen;

	if (r->inflight >= r->opts.max_inflight || r->free_head == AAA_NONE)
		return NULL;
	q = &r->reqs[r->free_head];
	r->free_head = q->next_free;
	gen = (uint16_t) ((q->gen + 1) & 0x7fff);
	memset(q, 0, offsetof(struct aaa_req, heap_idx));
	q->next_free = AAA_NONE;
	q->gen = gen;
	q->kind = kind;
	q->sock = -1;
	q->state = REQ_SENT;
	r->inflight++;
	return q;
}

static uint32_t handle_of(const struct sg_aaa_radius *r, const struct aaa_req *q)
{
	return ((uint32_t) q->gen << 16) | (uint32_t) (q - r->reqs);
}

static void release(struct sg_aaa_radius *r, struct aaa_req *q)
{
	put_id(r, q);
	if (q->state == REQ_SENT)
		r->inflight--;
	else if (q->state == REQ_QUEUED)
		r->queued--;
	heap_remove(r, q);
	wipe_req(q);
	q->state = REQ_FREE;
	q->next_free = r->free_head;
	r->free_head = (uint32_t) (q - r->reqs);
}

/* Finish q: release it, then tell the owner (who may submit from the callback). */
static void complete(struct sg_aaa_radius *r, struct aaa_req *q, const struct sg_aaa_result *res)
{
	sg_aaa_done_fn done = q->done;
	void *arg = q->arg;
	uint32_t h = handle_of(r, q);

	release(r, q);
	if (done != NULL)
		done(arg, h, res);
}

static void complete_status(struct sg_aaa_radius *r, struct aaa_req *q, enum sg_aaa_status st)
{
	memset(&r->res, 0, offsetof(struct sg_aaa_result, eap));
	r->res.eap_len = 0;
	r->res.status = st;
	complete(r, q, &r->res);
}

static int submit(struct sg_aaa_radius *r, struct aaa_req *q, sg_usec_t now)
{
	int rc;

	q->created = now;
	rc = start_on(r, q, sg_aaa_radius_current_server(r, now), now);
	if (rc < 0) {
		release(r, q);
		return rc;
	}
	r->stats.events[SG_AAA_EV_REQUESTS]++;
	return (int) handle_of(r, q);
}

int sg_aaa_radius_auth(struct sg_aaa_radius *r, const struct sg_aaa_auth_req *req, sg_usec_t now,
		       sg_aaa_done_fn done, void *arg)
{
	struct aaa_nas nas = {r->opts.nas_identifier, r->opts.nas_ip};
	struct aaa_server *s;
	struct aaa_req *q;
	int rc;

	rc = aaa_auth_req_check(req);
	if (rc < 0)
		return rc;
	q = alloc_req(r, KIND_AUTH);
	if (q == NULL)
		return -EBUSY;
	q->done = done;
	q->arg = arg;
	s = &r->servers[0];
	sg_aaa_pkt_init(&q->pkt, SG_RADIUS_ACCESS_REQUEST, 0, NULL);
	rc = aaa_encode_access_request(&q->pkt, req, &nas, (const uint8_t *) s->cfg.secret, s->slen,
				       &q->lay);
	if (rc < 0) {
		release(r, q);
		return rc;
	}
	if (req->method == SG_AAA_PAP)
		memcpy(q->password, req->password, sizeof(q->password));
	q->eap = req->method == SG_AAA_EAP;
	return submit(r, q, now);
}

int sg_aaa_radius_acct(struct sg_aaa_radius *r, const struct sg_aaa_acct *rec, sg_usec_t now,
		       sg_aaa_done_fn done, void *arg)
{
	struct aaa_nas nas = {r->opts.nas_identifier, r->opts.nas_ip};
	struct aaa_req *q;
	int rc;

	q = alloc_req(r, KIND_ACCT);
	if (q == NULL)
		return -EBUSY;
	q->done = done;
	q->arg = arg;
	q->stop = rec->type == SG_AAA_ACCT_STOP || rec->type == SG_AAA_ACCT_OFF;
	sg_aaa_pkt_init(&q->pkt, SG_RADIUS_ACCOUNTING_REQUEST, 0, NULL);
	rc = aaa_encode_acct_request(&q->pkt, rec, &nas, &q->lay);
	if (rc < 0) {
		release(r, q);
		return rc;
	}
	return submit(r, q, now);
}

int sg_aaa_radius_cancel(struct sg_aaa_radius *r, uint32_t handle)
{
	uint32_t idx = handle & 0xffff;

	if (idx >= r->n_reqs || r->reqs[idx].state == REQ_FREE ||
	    r->reqs[idx].gen != (handle >> 16))
		return -ENOENT;
	release(r, &r->reqs[idx]);
	return 0;
}

/* ---- timeouts ------------------------------------------------------------------------ */

/* Next live server this request has not tried, or -1. */
static int next_server(const struct sg_aaa_radius *r, const struct aaa_req *q, sg_usec_t now)
{
	for (unsigned i = 0; i < r->opts.n_servers; i++)
		if (!(q->tried & (1u << i)) && server_live(r, i, now))
			return (int) i;
	return -1;
}

static void expire(struct sg_aaa_radius *r, struct aaa_req *q, sg_usec_t now)
{
	struct aaa_server *s = &r->servers[q->server];
	int next;

	if (q->state == REQ_QUEUED) {
		/* a queued Stop: try again from the preferred server */
		if (r->inflight >= r->opts.max_inflight) {
			set_deadline(r, q, now + r->opts.timeout);
			return;
		}
		r->queued--;
		r->inflight++;
		q->state = REQ_SENT;
		q->tried = 0;
		if (start_on(r, q, sg_aaa_radius_current_server(r, now), now) < 0)
			set_deadline(r, q, now + r->opts.timeout); /* retried as a timeout later */
		return;
	}
	if (q->tries < r->opts.retries) {
		r->stats.events[SG_AAA_EV_RETRANSMITS]++;
		q->rto = SG_MIN(q->rto * 2, r->opts.timeout * AAA_RTO_CAP);
		/* accounting: Acct-Delay-Time changes, so a new id (RFC 2866 §5.2) */
		if (q->kind == KIND_ACCT && encode_for_server(r, q, now) < 0) {
			set_deadline(r, q, now + q->rto);
			return;
		}
		transmit(r, q, now);
		return;
	}
	/* this server did not answer us; dead unless it answered someone since */
	if (s->replies == q->replies_seen && server_live(r, q->server, now)) {
		s->dead_until = now + r->opts.dead_time;
		r->stats.events[SG_AAA_EV_SERVER_DEAD]++;
		SG_LOG(AAA, WARNING, "radius: server %u marked dead for %llu ms", q->server,
		       (unsigned long long) (r->opts.dead_time / SG_USEC_PER_MSEC));
	}
	next = next_server(r, q, now);
	if (next >= 0 && start_on(r, q, (unsigned) next, now) == 0) {
		r->stats.events[SG_AAA_EV_FAILOVERS]++;
		return;
	}
	if (q->kind == KIND_ACCT && q->stop) {
		if (r->queued >= r->opts.acct_queue_max) {
			r->stats.events[SG_AAA_EV_ACCT_QUEUE_OVERFLOW]++;
			r->stats.events[SG_AAA_EV_ACCT_LOST]++;
			complete_status(r, q, SG_AAA_TIMEOUT);
			return;
		}
		put_id(r, q);
		r->inflight--;
		r->queued++;
		q->state = REQ_QUEUED;
		set_deadline(r, q, now + r->opts.dead_time);
		r->stats.events[SG_AAA_EV_ACCT_QUEUED]++;
		if (q->done != NULL) { /* the owner hears once; the record lives on */
			sg_aaa_done_fn done = q->done;

			q->done = NULL;
			memset(&r->res, 0, offsetof(struct sg_aaa_result, eap));
			r->res.eap_len = 0;
			r->res.status = SG_AAA_TIMEOUT;
			done(q->arg, handle_of(r, q), &r->res);
		}
		return;
	}
	if (q->kind == KIND_ACCT)
		r->stats.events[SG_AAA_EV_ACCT_LOST]++;
	r->stats.events[SG_AAA_EV_TIMEOUTS]++;
	complete_status(r, q, SG_AAA_TIMEOUT);
}

/* ---- replies -------------------------------------------------------------------------- */

static int handle_reply(struct sg_aaa_radius *r, unsigned si, const uint8_t *b, size_t n,
			const struct sockaddr_storage *from)
{
	struct sockaddr_storage want;
	struct aaa_server *s;
	struct aaa_req *q;
	enum sg_aaa_drop d;
	socklen_t wl;
	size_t len;
	uint32_t slot;
	bool acct_code;

	d = sg_aaa_radius_check(b, n, &len);
	if (d != SG_AAA_DROP_NONE)
		goto drop;
	slot = r->socks[si].slot[b[1]];
	if (slot == 0) {
		d = SG_AAA_DROP_UNKNOWN_ID;
		goto drop;
	}
	q = &r->reqs[slot - 1];
	s = &r->servers[q->server];
	server_addr(s, q->kind == KIND_ACCT, &want, &wl);
	if (!same_source(from, &want)) {
		d = SG_AAA_DROP_WRONG_SOURCE;
		goto drop;
	}
	acct_code = b[0] == SG_RADIUS_ACCOUNTING_RESPONSE;
	if ((q->kind == KIND_ACCT) != acct_code ||
	    (!acct_code && b[0] != SG_RADIUS_ACCESS_ACCEPT && b[0] != SG_RADIUS_ACCESS_REJECT &&
	     b[0] != SG_RADIUS_ACCESS_CHALLENGE)) {
		d = SG_AAA_DROP_BAD_CODE;
		goto drop;
	}
	/*
	 * Access replies must carry a Message-Authenticator (RFC 3579 §3.2, and the
	 * BlastRADIUS fix); Accounting-Response is covered by its authenticator alone, but a
	 * Message-Authenticator that is present is always checked. With EAP it is mandatory
	 * even for servers allowed to omit it (RFC 3579 §3.2).
	 */
	d = sg_aaa_radius_verify_reply(b, len, q->pkt.buf + 4, (const uint8_t *) s->cfg.secret,
				       s->slen,
				       !acct_code && (q->eap || !r->opts.allow_no_msg_auth));
	if (d != SG_AAA_DROP_NONE)
		goto drop;
	s->replies++;
	r->stats.events[SG_AAA_EV_REPLIES]++;
	if (acct_code) {
		complete_status(r, q, SG_AAA_ACCEPT);
		return 1;
	}
	d = sg_aaa_radius_reply_parse(b, len, q->pkt.buf + 4, (const uint8_t *) s->cfg.secret,
				      s->slen, &r->res);
	if (d != SG_AAA_DROP_NONE) {
		/* authentic but unusable: count it and fail the request rather than guess */
		count_drop(r, d);
		complete_status(r, q, SG_AAA_ERROR);
		return 1;
	}
	complete(r, q, &r->res);
	sg_aaa_result_wipe(&r->res);
	return 1;
drop:
	count_drop(r, d);
	return 0;
}

int sg_aaa_radius_poll(struct sg_aaa_radius *r, sg_usec_t now)
{
	int done = 0;

	for (unsigned si = 0; si < r->n_socks; si++) {
		for (;;) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(r->socks[si].fd, r->rx, sizeof(r->rx), MSG_TRUNC,
					     (struct sockaddr *) &from, &fl);

			if (n < 0) {
				if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
					/* ICMP port unreachable and friends: timers handle it */
					r->stats.drops[SG_AAA_DROP_RECV_ERROR]++;
				if (errno == EINTR)
					continue;
				break;
			}
			if ((size_t) n > SG_RADIUS_MAX_LEN) {
				count_drop(r, SG_AAA_DROP_OVERSIZE);
				continue;
			}
			done += handle_reply(r, si, r->rx, (size_t) n, &from);
		}
	}
	/*
	 * Every path through expire() either releases the request or moves its deadline past
	 * now (timeouts are > 0), so this ends; a callback that submits adds deadlines > now.
	 */
	while (r->heap_n > 0 && heap_key(r, 0) <= now) {
		struct aaa_req *q = &r->reqs[r->heap[0]];
		bool sent = q->state == REQ_SENT;

		expire(r, q, now);
		if (sent && q->state == REQ_FREE)
			done++;
	}
	return done;
}

sg_usec_t sg_aaa_radius_next_deadline(const struct sg_aaa_radius *r)
{
	return r->heap_n > 0 ? heap_key(r, 0) : UINT64_MAX;
}

unsigned sg_aaa_radius_fds(const struct sg_aaa_radius *r, int *fds, unsigned max)
{
	unsigned n = SG_MIN(max, r->n_socks);

	for (unsigned i = 0; i < n; i++)
		fds[i] = r->socks[i].fd;
	return n;
}

unsigned sg_aaa_radius_inflight(const struct sg_aaa_radius *r)
{
	return r->inflight + r->queued;
}

void sg_aaa_radius_stats(const struct sg_aaa_radius *r, struct sg_aaa_stats *out)
{
	*out = r->stats;
}
