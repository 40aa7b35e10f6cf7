/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The non-blocking RADIUS client against fake servers on loopback UDP sockets, with time
 * passed in: replies and their forgeries, retransmission and backoff, failover,
 * dead-server detection, accounting queue bounds. Loopback delivery is synchronous, so
 * every step is deterministic.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "sg_aaa_codec.h"

#define SEC SG_USEC_PER_SEC
#define MS  SG_USEC_PER_MSEC

struct fake {
	int fd;
	uint16_t port;
	const char *secret;
	uint8_t req[SG_RADIUS_MAX_LEN];
	size_t len;
};

static void fake_open(struct fake *f, const char *secret)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(f->fd >= 0);
	assert_int_equal(bind(f->fd, (struct sockaddr *) &a, sizeof(a)), 0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *) &a, &al), 0);
	f->port = ntohs(a.sin_port);
	f->secret = secret;
}

static struct sockaddr_in fake_from;

/* Receive one request (false if none is waiting). */
static bool fake_recv(struct fake *f)
{
	socklen_t fl = sizeof(fake_from);
	ssize_t n = recvfrom(f->fd, f->req, sizeof(f->req), 0, (struct sockaddr *) &fake_from, &fl);

	if (n < 0)
		return false;
	f->len = (size_t) n;
	return true;
}

static int fake_count(struct fake *f)
{
	int n = 0;

	while (fake_recv(f))
		n++;
	return n;
}

static void fake_send(int fd, const struct sg_aaa_pkt *p)
{
	assert_int_equal(
	    sendto(fd, p->buf, p->len, 0, (struct sockaddr *) &fake_from, sizeof(fake_from)),
	    (ssize_t) p->len);
}

/* Build a signed reply to the last request. */
static void fake_reply(struct fake *f, struct sg_aaa_pkt *p, uint8_t code)
{
	sg_aaa_pkt_init(p, code, f->req[1], NULL);
	sg_aaa_pkt_add_msg_auth(p);
}

static void fake_sign(struct fake *f, struct sg_aaa_pkt *p)
{
	assert_int_equal(
	    sg_aaa_pkt_sign_reply(p, f->req + 4, (const uint8_t *) f->secret, strlen(f->secret)),
	    0);
}

static void opts_for(struct sg_aaa_radius_opts *o, struct fake *f, unsigned n)
{
	memset(o, 0, sizeof(*o));
	for (unsigned i = 0; i < n; i++) {
		struct sockaddr_in *a = (struct sockaddr_in *) &o->servers[i].addr;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		o->servers[i].auth_port = f[i].port;
		o->servers[i].acct_port = f[i].port;
		snprintf(o->servers[i].secret, sizeof(o->servers[i].secret), "%s", f[i].secret);
	}
	o->n_servers = n;
	snprintf(o->nas_identifier, sizeof(o->nas_identifier), "sstpgw-test");
	o->timeout = 1 * SEC;
	o->retries = 3;
	o->dead_time = 30 * SEC;
}

static struct {
	int calls;
	uint32_t handle;
	struct sg_aaa_result res;
} got;

static void on_done(void *arg, uint32_t handle, const struct sg_aaa_result *res)
{
	(void) arg;
	got.calls++;
	got.handle = handle;
	got.res = *res;
}

static void pap(struct sg_aaa_auth_req *rq, const char *user, const char *pw)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = SG_AAA_PAP;
	snprintf(rq->user, sizeof(rq->user), "%s", user);
	snprintf(rq->password, sizeof(rq->password), "%s", pw);
	snprintf(rq->calling_station_id, sizeof(rq->calling_station_id), "198.51.100.7:40000");
}

static uint64_t stat_drop(struct sg_aaa_radius *r, enum sg_aaa_drop d)
{
	struct sg_aaa_stats s;

	sg_aaa_radius_stats(r, &s);
	return s.drops[d];
}

static uint64_t stat_ev(struct sg_aaa_radius *r, enum sg_aaa_event e)
{
	struct sg_aaa_stats s;

	sg_aaa_radius_stats(r, &s);
	return s.events[e];
}

static void pap_accept_carries_attributes_and_mppe_keys(void **state)
{
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;
	uint8_t plain[16], key[16], enc[64];
	const uint8_t *v;
	size_t vlen, len;
	int h, n;

	(void) state;
	fake_open(&f, "s3cr3t");
	opts_for(&o, &f, 1);
	r = sg_aaa_radius_create(&o);
	assert_non_null(r);
	pap(&rq, "alice", "wonderland");
	h = sg_aaa_radius_auth(r, &rq, 0, on_done, NULL);
	assert_true(h >= 0);
	assert_true(fake_recv(&f));
	/* the server sees a well-formed, signed Access-Request with the hidden password */
	assert_int_equal(sg_aaa_radius_check(f.req, f.len, &len), SG_AAA_DROP_NONE);
	assert_int_equal(f.req[0], SG_RADIUS_ACCESS_REQUEST);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_USER_PASSWORD, &vlen);
	assert_non_null(v);
	assert_int_equal(
	    sg_aaa_radius_unhide_password(plain, v, vlen, (const uint8_t *) "s3cr3t", 6, f.req + 4),
	    0);
	assert_memory_equal(plain, "wonderland\0\0\0\0\0\0", 16);
	assert_non_null(sg_aaa_attr_find(f.req, len, SG_RADIUS_MESSAGE_AUTHENTICATOR, &vlen));
	{
		/* the request's Message-Authenticator verifies with the shared secret */
		uint8_t copy[SG_RADIUS_MAX_LEN], mac[16];
		size_t off = (size_t) (sg_aaa_attr_find(f.req, len, 80, &vlen) - f.req);

		memcpy(copy, f.req, len);
		memset(copy + off, 0, 16);
		sg_aaa_hmac_md5(mac, (const uint8_t *) "s3cr3t", 6, copy, len);
		assert_memory_equal(mac, f.req + off, 16);
	}
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_CALLING_STATION_ID, &vlen);
	assert_non_null(v);
	assert_memory_equal(v, "198.51.100.7:40000", vlen);

	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	uint8_t ip[4] = {192, 0, 2, 10}, dns[4] = {192, 0, 2, 53};
	uint8_t pfx[10] = {0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
	sg_aaa_pkt_add(&p, SG_RADIUS_FRAMED_IP_ADDRESS, ip, 4);
	sg_aaa_pkt_add(&p, SG_RADIUS_FRAMED_IPV6_PREFIX, pfx, 10);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_SESSION_TIMEOUT, 3600);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_IDLE_TIMEOUT, 600);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_ACCT_INTERIM_INTERVAL, 60);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_FRAMED_MTU, 1400);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_CLASS, "class-77");
	sg_aaa_pkt_add_str(&p, SG_RADIUS_FRAMED_POOL, "pool-a");
	sg_aaa_pkt_add_str(&p, SG_RADIUS_FILTER_ID, "gold");
	sg_aaa_pkt_add_str(&p, SG_RADIUS_REPLY_MESSAGE, "welcome");
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_PRIMARY_DNS, dns, 4);
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t) (0x10 + i);
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), key, 16, 0x8001,
				       (const uint8_t *) "s3cr3t", 6, f.req + 4);
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_MPPE_RECV_KEY, enc, (size_t) n);
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t) (0x40 + i);
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), key, 16, 0x8002,
				       (const uint8_t *) "s3cr3t", 6, f.req + 4);
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_MPPE_SEND_KEY, enc, (size_t) n);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);

	got.calls = 0;
	assert_int_equal(sg_aaa_radius_poll(r, 10 * MS), 1);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.handle, (uint32_t) h);
	assert_int_equal(got.res.status, SG_AAA_ACCEPT);
	assert_true(got.res.has & SG_AAA_HAS_FRAMED_IP);
	assert_memory_equal(&got.res.framed_ip, ip, 4);
	assert_int_equal(got.res.framed_ipv6_prefix_len, 64);
	assert_int_equal(got.res.framed_ipv6_prefix[5], 1);
	assert_int_equal(got.res.session_timeout, 3600);
	assert_int_equal(got.res.idle_timeout, 600);
	assert_int_equal(got.res.interim_interval, 60);
	assert_int_equal(got.res.framed_mtu, 1400);
	assert_int_equal(got.res.class_len, 8);
	assert_memory_equal(got.res.class_, "class-77", 8);
	assert_string_equal(got.res.framed_pool, "pool-a");
	assert_string_equal(got.res.filter_id, "gold");
	assert_string_equal(got.res.reply_message, "welcome");
	assert_memory_equal(&got.res.dns[0], dns, 4);
	assert_true(got.res.has & SG_AAA_HAS_KEYS);
	for (int i = 0; i < 16; i++) { /* HLAK = receive key || send key */
		assert_int_equal(got.res.hlak[i], 0x10 + i);
		assert_int_equal(got.res.hlak[16 + i], 0x40 + i);
	}
	assert_int_equal(sg_aaa_radius_inflight(r), 0);
	assert_int_equal(sg_aaa_radius_next_deadline(r), UINT64_MAX);
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

/* Each forgery is dropped with its own reason; the request stays pending until the real one. */
static void forged_replies_are_dropped_and_counted(void **state)
{
	struct fake f, other;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;

	(void) state;
	fake_open(&f, "s3cr3t");
	fake_open(&other, "s3cr3t");
	opts_for(&o, &f, 1);
	r = sg_aaa_radius_create(&o);
	pap(&rq, "bob", "pw");
	assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
	assert_true(fake_recv(&f));
	got.calls = 0;

	/* wrong secret: Response Authenticator does not verify */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	assert_int_equal(sg_aaa_pkt_sign_reply(&p, f.req + 4, (const uint8_t *) "guess", 5), 0);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 1);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_BAD_AUTHENTICATOR), 1);

	/* right Response Authenticator over a wrong Message-Authenticator */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	{
		size_t off = p.ma_off;

		p.ma_off = 0;		       /* sign the packet without computing the MA ... */
		memset(p.buf + off, 0xab, 16); /* ... over this forged one */
	}
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 2);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_BAD_MSG_AUTH), 1);

	/* no Message-Authenticator at all */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, f.req[1], NULL);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 3);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_NO_MSG_AUTH), 1);

	/* unknown id */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	p.buf[1] ^= 0x80;
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 4);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_UNKNOWN_ID), 1);

	/* a perfect reply from the wrong source port */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	fake_sign(&f, &p);
	fake_send(other.fd, &p);
	sg_aaa_radius_poll(r, 5);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_WRONG_SOURCE), 1);

	/* truncated attribute */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_REPLY_MESSAGE, "hi");
	fake_sign(&f, &p);
	p.buf[p.len - 3] = 40;
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 6);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_ATTR_TRUNCATED), 1);

	/* a datagram larger than any RADIUS packet */
	{
		static uint8_t big[5000];

		memcpy(big, f.req, 20);
		big[0] = SG_RADIUS_ACCESS_ACCEPT;
		assert_int_equal(sendto(f.fd, big, sizeof(big), 0, (struct sockaddr *) &fake_from,
					sizeof(fake_from)),
				 (ssize_t) sizeof(big));
		sg_aaa_radius_poll(r, 6);
		assert_int_equal(stat_drop(r, SG_AAA_DROP_OVERSIZE), 1);
	}

	/* accounting code on an auth request */
	fake_reply(&f, &p, SG_RADIUS_ACCOUNTING_RESPONSE);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 7);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_BAD_CODE), 1);

	/* authentic reply with an undecryptable MPPE key: counted, request fails closed */
	assert_int_equal(got.calls, 0);
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	{
		uint8_t junk[34] = {0x80, 1};
		sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_MPPE_RECV_KEY, junk, sizeof(junk));
	}
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	assert_int_equal(sg_aaa_radius_poll(r, 8), 1);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.res.status, SG_AAA_ERROR);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_BAD_VALUE), 1);

	/* a late genuine duplicate for a finished request: unknown id */
	fake_reply(&f, &p, SG_RADIUS_ACCESS_REJECT);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 9);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_UNKNOWN_ID), 2);
	assert_int_equal(got.calls, 1);
	sg_aaa_radius_destroy(r);
	close(f.fd);
	close(other.fd);
}

static void retransmits_back_off_then_fail_over_and_mark_dead(void **state)
{
	struct fake f[2];
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;
	uint8_t first[SG_RADIUS_MAX_LEN];
	size_t first_len;

	(void) state;
	fake_open(&f[0], "one");
	fake_open(&f[1], "two");
	opts_for(&o, f, 2);
	r = sg_aaa_radius_create(&o);
	pap(&rq, "carol", "pw");
	got.calls = 0;
	assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
	assert_true(fake_recv(&f[0]));
	memcpy(first, f[0].req, f[0].len);
	first_len = f[0].len;
	assert_int_equal(sg_aaa_radius_next_deadline(r), 1 * SEC);
	/* before the deadline nothing is sent */
	sg_aaa_radius_poll(r, 999 * MS);
	assert_int_equal(fake_count(&f[0]), 0);
	/* retransmission 1 at 1 s: identical bytes (same id, same authenticator) */
	sg_aaa_radius_poll(r, 1 * SEC);
	assert_true(fake_recv(&f[0]));
	assert_int_equal(f[0].len, first_len);
	assert_memory_equal(f[0].req, first, first_len);
	/* backoff: next after 2 s, then 4 s */
	assert_int_equal(sg_aaa_radius_next_deadline(r), 3 * SEC);
	sg_aaa_radius_poll(r, 3 * SEC);
	assert_int_equal(fake_count(&f[0]), 1);
	assert_int_equal(sg_aaa_radius_next_deadline(r), 7 * SEC);
	assert_int_equal(stat_ev(r, SG_AAA_EV_RETRANSMITS), 2);
	/* after 3 transmissions: server 0 is dead, the request moves to server 1 */
	sg_aaa_radius_poll(r, 7 * SEC);
	assert_int_equal(fake_count(&f[0]), 0);
	assert_true(fake_recv(&f[1]));
	assert_int_equal(stat_ev(r, SG_AAA_EV_SERVER_DEAD), 1);
	assert_int_equal(stat_ev(r, SG_AAA_EV_FAILOVERS), 1);
	assert_int_equal(sg_aaa_radius_current_server(r, 7 * SEC), 1);
	/* re-encoded for server 1: its secret hides the password */
	{
		size_t len, vlen;
		uint8_t plain[16];
		const uint8_t *v;

		assert_int_equal(sg_aaa_radius_check(f[1].req, f[1].len, &len), SG_AAA_DROP_NONE);
		v = sg_aaa_attr_find(f[1].req, len, SG_RADIUS_USER_PASSWORD, &vlen);
		sg_aaa_radius_unhide_password(plain, v, vlen, (const uint8_t *) "two", 3,
					      f[1].req + 4);
		assert_memory_equal(plain, "pw\0", 3);
	}
	fake_reply(&f[1], &p, SG_RADIUS_ACCESS_ACCEPT);
	fake_sign(&f[1], &p);
	fake_send(f[1].fd, &p);
	sg_aaa_radius_poll(r, 7 * SEC + 5 * MS);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.res.status, SG_AAA_ACCEPT);
	/* while server 0 is dead, new requests go straight to server 1 */
	assert_true(sg_aaa_radius_auth(r, &rq, 8 * SEC, on_done, NULL) >= 0);
	assert_int_equal(fake_count(&f[0]), 0);
	assert_int_equal(fake_count(&f[1]), 1);
	/* after dead_time server 0 is preferred again */
	assert_int_equal(sg_aaa_radius_current_server(r, 37 * SEC), 0);
	sg_aaa_radius_destroy(r);
	close(f[0].fd);
	close(f[1].fd);
}

static void all_servers_silent_times_out_once(void **state)
{
	struct fake f[2];
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	sg_usec_t t = 0;

	(void) state;
	fake_open(&f[0], "a");
	fake_open(&f[1], "b");
	opts_for(&o, f, 2);
	o.retries = 2;
	r = sg_aaa_radius_create(&o);
	pap(&rq, "dave", "pw");
	got.calls = 0;
	assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
	for (int i = 0; i < 20 && got.calls == 0; i++) {
		t = sg_aaa_radius_next_deadline(r);
		sg_aaa_radius_poll(r, t);
	}
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.res.status, SG_AAA_TIMEOUT);
	/* 1 s + 2 s on each server */
	assert_int_equal(t, 6 * SEC);
	assert_int_equal(fake_count(&f[0]), 2);
	assert_int_equal(fake_count(&f[1]), 2);
	assert_int_equal(stat_ev(r, SG_AAA_EV_TIMEOUTS), 1);
	assert_int_equal(stat_ev(r, SG_AAA_EV_SERVER_DEAD), 2);
	/* both dead: a new request still probes one of them */
	assert_true(sg_aaa_radius_auth(r, &rq, t, on_done, NULL) >= 0);
	assert_int_equal(fake_count(&f[0]) + fake_count(&f[1]), 1);
	sg_aaa_radius_destroy(r);
	close(f[0].fd);
	close(f[1].fd);
}

static void inflight_limit_cancel_and_bad_requests(void **state)
{
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	int h[3];

	(void) state;
	fake_open(&f, "s");
	opts_for(&o, &f, 1);
	o.max_inflight = 2;
	r = sg_aaa_radius_create(&o);
	pap(&rq, "erin", "pw");
	h[0] = sg_aaa_radius_auth(r, &rq, 0, on_done, NULL);
	h[1] = sg_aaa_radius_auth(r, &rq, 0, on_done, NULL);
	h[2] = sg_aaa_radius_auth(r, &rq, 0, on_done, NULL);
	assert_true(h[0] >= 0 && h[1] >= 0);
	assert_int_equal(h[2], -EBUSY);
	assert_int_equal(sg_aaa_radius_cancel(r, (uint32_t) h[0]), 0);
	assert_int_equal(sg_aaa_radius_cancel(r, (uint32_t) h[0]), -ENOENT);
	h[2] = sg_aaa_radius_auth(r, &rq, 0, on_done, NULL);
	assert_true(h[2] >= 0);
	assert_int_not_equal(h[2], h[0]); /* a reused slot gets a new generation */
	assert_int_equal(sg_aaa_radius_cancel(r, (uint32_t) h[0]), -ENOENT);
	rq.user[0] = '\0';
	sg_aaa_radius_cancel(r, (uint32_t) h[1]);
	assert_int_equal(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL), -EINVAL);
	pap(&rq, "erin", "pw");
	rq.method = SG_AAA_EAP; /* EAP without a packet */
	assert_int_equal(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL), -EINVAL);
	sg_aaa_radius_destroy(r);
	close(f.fd);
	/* bad options */
	memset(&o, 0, sizeof(o));
	assert_null(sg_aaa_radius_create(&o));
}

/* Many requests in flight: more than one socket's 256 ids. */
static void thousand_requests_in_flight_use_several_sockets(void **state)
{
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;
	int fds[16];
	int answered = 0;

	(void) state;
	fake_open(&f, "s");
	{
		int sz = 1 << 22;
		setsockopt(f.fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	opts_for(&o, &f, 1);
	r = sg_aaa_radius_create(&o);
	pap(&rq, "frank", "pw");
	got.calls = 0;
	for (int i = 0; i < 1000; i++) {
		assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
		if (fake_recv(&f)) { /* answer as we go so the socket buffers never fill */
			fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
			fake_sign(&f, &p);
			fake_send(f.fd, &p);
			answered++;
		}
	}
	assert_int_equal(answered, 1000);
	assert_int_equal(sg_aaa_radius_fds(r, fds, 16), 4);
	assert_int_equal(sg_aaa_radius_inflight(r), 1000);
	assert_int_equal(sg_aaa_radius_poll(r, 1), 1000);
	assert_int_equal(got.calls, 1000);
	assert_int_equal(sg_aaa_radius_inflight(r), 0);
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

/* Framed-IP-Address and Framed-IPv6-Prefix (RFC 3162: reserved, length, 8 bytes of a /64). */
static void acct_carries_framed_addresses(void **state)
{
	static const uint8_t want6[10] = {0, 64, 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x05};
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_acct rec;
	size_t len, vlen;
	const uint8_t *v;

	(void) state;
	fake_open(&f, "acct");
	opts_for(&o, &f, 1);
	r = sg_aaa_radius_create(&o);
	memset(&rec, 0, sizeof(rec));
	rec.type = SG_AAA_ACCT_START;
	snprintf(rec.session_id, sizeof(rec.session_id), "sess-6");
	rec.framed_ip = htonl(0xcb007105); /* 203.0.113.5 */
	memcpy(rec.framed_ipv6_prefix, want6 + 2, 8);
	rec.framed_ipv6_prefix_len = 64;
	assert_true(sg_aaa_radius_acct(r, &rec, 0, NULL, NULL) >= 0);
	assert_true(fake_recv(&f));
	assert_int_equal(sg_aaa_radius_check(f.req, f.len, &len), SG_AAA_DROP_NONE);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_FRAMED_IPV6_PREFIX, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, sizeof(want6));
	assert_memory_equal(v, want6, sizeof(want6));
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_FRAMED_IP_ADDRESS, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 4);
	assert_int_equal(v[3], 5);
	/* a prefix length past 128 is refused, not sent */
	rec.framed_ipv6_prefix_len = 129;
	assert_int_equal(sg_aaa_radius_acct(r, &rec, 0, NULL, NULL), -EINVAL);
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

/*
 * The deadline heap at the largest size allowed (8192 in flight): requests submitted at
 * shuffled times, a third cancelled, a few answered; then every remaining one times out
 * exactly once, in deadline order, and next_deadline() is always the earliest left.
 */
#define HEAP_N 8192
static struct {
	sg_usec_t submitted[HEAP_N];
	int order[HEAP_N];
	int n;
} hp;

static void on_heap_done(void *arg, uint32_t handle, const struct sg_aaa_result *res)
{
	(void) handle;
	assert_int_equal(res->status, SG_AAA_TIMEOUT);
	hp.order[hp.n++] = (int) (intptr_t) arg;
}

static void deadlines_fire_in_order_with_8192_in_flight(void **state)
{
	static int handles[HEAP_N], perm[HEAP_N];
	static bool gone[HEAP_N];
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	uint32_t seed = 12345;
	int left = HEAP_N, polls = 0;
	sg_usec_t want, prev = 0;

	(void) state;
	fake_open(&f, "s");
	opts_for(&o, &f, 1);
	o.max_inflight = HEAP_N;
	o.retries = 1; /* one transmission, then the timeout completes the request */
	r = sg_aaa_radius_create(&o);
	assert_non_null(r);
	pap(&rq, "heap", "pw");
	for (int i = 0; i < HEAP_N; i++)
		perm[i] = i;
	for (int i = HEAP_N - 1; i > 0; i--) { /* Fisher-Yates with a fixed LCG */
		int j, t;

		seed = seed * 1103515245u + 12345u;
		j = (int) ((seed >> 8) % (uint32_t) (i + 1));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	memset(&hp, 0, sizeof(hp));
	memset(gone, 0, sizeof(gone));
	for (int i = 0; i < HEAP_N; i++) {
		int k = perm[i];

		hp.submitted[k] = (sg_usec_t) k * 100; /* submitted out of time order */
		handles[k] = sg_aaa_radius_auth(r, &rq, hp.submitted[k], on_heap_done,
						(void *) (intptr_t) k);
		assert_true(handles[k] >= 0);
		fake_count(&f); /* keep the fake's socket buffer from filling */
	}
	assert_int_equal(sg_aaa_radius_auth(r, &rq, 0, on_heap_done, NULL), -EBUSY);
	assert_int_equal(sg_aaa_radius_next_deadline(r), 1 * SEC);
	for (int i = 0; i < HEAP_N; i += 3) { /* cancel a third, in shuffled order */
		int k = perm[i];

		assert_int_equal(sg_aaa_radius_cancel(r, (uint32_t) handles[k]), 0);
		gone[k] = true;
		left--;
	}
	for (int k = 0; k < HEAP_N; k++) {
		if (!gone[k]) {
			assert_int_equal(sg_aaa_radius_next_deadline(r), hp.submitted[k] + 1 * SEC);
			break;
		}
	}
	while (sg_aaa_radius_next_deadline(r) != UINT64_MAX && polls < 2 * HEAP_N) {
		want = sg_aaa_radius_next_deadline(r);
		assert_true(want >= prev);
		prev = want;
		sg_aaa_radius_poll(r, want + 250); /* a few deadlines per poll */
		polls++;
	}
	assert_int_equal(hp.n, left);
	assert_int_equal(sg_aaa_radius_inflight(r), 0);
	for (int i = 0; i < hp.n; i++) {
		assert_false(gone[hp.order[i]]);
		if (i > 0) /* completions follow the deadlines */
			assert_true(hp.submitted[hp.order[i - 1]] < hp.submitted[hp.order[i]]);
	}
	assert_int_equal(stat_ev(r, SG_AAA_EV_TIMEOUTS), (uint64_t) left);
	/* every slot is free again: a full load fits once more */
	for (int i = 0; i < HEAP_N; i++)
		assert_true(sg_aaa_radius_auth(r, &rq, 100 * SEC, on_heap_done, NULL) >= 0);
	assert_int_equal(sg_aaa_radius_auth(r, &rq, 100 * SEC, on_heap_done, NULL), -EBUSY);
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

static void acct_stop_is_queued_bounded_and_delivered_later(void **state)
{
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_acct rec;
	struct sg_aaa_pkt p;
	size_t len, vlen;
	const uint8_t *v;

	(void) state;
	fake_open(&f, "acct");
	opts_for(&o, &f, 1);
	o.retries = 1;
	o.acct_queue_max = 2;
	o.dead_time = 10 * SEC;
	r = sg_aaa_radius_create(&o);
	memset(&rec, 0, sizeof(rec));
	rec.type = SG_AAA_ACCT_STOP;
	snprintf(rec.user, sizeof(rec.user), "gina");
	snprintf(rec.session_id, sizeof(rec.session_id), "sess-1");
	rec.in_octets = 5000000000ULL; /* > 4 GiB: gigawords 1 */
	rec.out_octets = 1234;
	rec.terminate_cause = 1;
	got.calls = 0;
	for (int i = 0; i < 3; i++)
		assert_true(sg_aaa_radius_acct(r, &rec, 0, on_done, NULL) >= 0);
	assert_int_equal(fake_count(&f), 3);
	sg_aaa_radius_poll(r, 1 * SEC); /* one try each: all fail */
	assert_int_equal(got.calls, 3);
	assert_int_equal(got.res.status, SG_AAA_TIMEOUT);
	assert_int_equal(stat_ev(r, SG_AAA_EV_ACCT_QUEUED), 2);
	assert_int_equal(stat_ev(r, SG_AAA_EV_ACCT_QUEUE_OVERFLOW), 1);
	assert_int_equal(stat_ev(r, SG_AAA_EV_ACCT_LOST), 1);
	assert_int_equal(sg_aaa_radius_inflight(r), 2);
	assert_int_equal(sg_aaa_radius_next_deadline(r), 11 * SEC);
	/* retried after dead_time with Acct-Delay-Time = 11 */
	sg_aaa_radius_poll(r, 11 * SEC);
	assert_true(fake_recv(&f));
	assert_int_equal(sg_aaa_radius_check(f.req, f.len, &len), SG_AAA_DROP_NONE);
	assert_int_equal(
	    sg_aaa_radius_verify_request(f.req, len, (const uint8_t *) "acct", 4, true),
	    SG_AAA_DROP_NONE);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_ACCT_DELAY_TIME, &vlen);
	assert_non_null(v);
	assert_int_equal(v[3], 11);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_ACCT_INPUT_GIGAWORDS, &vlen);
	assert_int_equal(v[3], 1);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_ACCT_INPUT_OCTETS, &vlen);
	assert_int_equal(((uint32_t) v[0] << 24 | (uint32_t) v[1] << 16 | v[2] << 8 | v[3]),
			 (uint32_t) (5000000000ULL & 0xffffffff));
	/* answer it (no Message-Authenticator: Accounting-Response may omit it) */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCOUNTING_RESPONSE, f.req[1], NULL);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	assert_true(fake_recv(&f)); /* the second queued one */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCOUNTING_RESPONSE, f.req[1], NULL);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	got.calls = 0;
	sg_aaa_radius_poll(r, 11 * SEC + 1);
	assert_int_equal(got.calls, 0); /* queued records report only once */
	assert_int_equal(sg_aaa_radius_inflight(r), 0);
	assert_int_equal(stat_ev(r, SG_AAA_EV_REPLIES), 2);
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

/* A server on IPv6 loopback: the client opens an AF_INET6 socket and matches [::1]:port. */
static void ipv6_server_is_reached_and_matched(void **state)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6}, from;
	socklen_t al = sizeof(a), fl = sizeof(from);
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;
	uint8_t req[SG_RADIUS_MAX_LEN];
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	(void) state;
	a.sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0) {
		if (fd >= 0)
			close(fd);
		skip(); /* no IPv6 on this host */
	}
	getsockname(fd, (struct sockaddr *) &a, &al);
	memset(&o, 0, sizeof(o));
	memcpy(&o.servers[0].addr, &a, sizeof(a));
	o.servers[0].auth_port = ntohs(a.sin6_port);
	snprintf(o.servers[0].secret, sizeof(o.servers[0].secret), "v6");
	o.n_servers = 1;
	r = sg_aaa_radius_create(&o);
	pap(&rq, "henry", "pw");
	got.calls = 0;
	assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
	assert_true(recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *) &from, &fl) > 20);
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, req[1], NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_sign_reply(&p, req + 4, (const uint8_t *) "v6", 2);
	sendto(fd, p.buf, p.len, 0, (struct sockaddr *) &from, fl);
	assert_int_equal(sg_aaa_radius_poll(r, 1), 1);
	assert_int_equal(got.res.status, SG_AAA_ACCEPT);
	sg_aaa_radius_destroy(r);
	close(fd);
}

/*
 * EAP relay: a 600-byte EAP Response goes out split across EAP-Message attributes with the
 * State of the previous challenge; an Access-Challenge comes back joined with its State; the
 * final Access-Accept's 32-byte MPPE keys (the MSK) give the HLAK. A reply without
 * Message-Authenticator is refused for EAP even when the options allow it for others.
 */
static void eap_rounds_split_join_state_and_msk(void **state)
{
	struct fake f;
	struct sg_aaa_radius_opts o;
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	struct sg_aaa_pkt p;
	static uint8_t eap[600], chal[700];
	uint8_t msk[64], enc[80], st[7] = {'s', 't', 'a', 't', 'e', '-', '2'};
	struct sg_aaa_attr_it it;
	const uint8_t *v;
	size_t vlen, len, got_eap = 0;
	uint8_t type;
	int n;

	(void) state;
	fake_open(&f, "s3cr3t");
	opts_for(&o, &f, 1);
	o.allow_no_msg_auth = true;
	r = sg_aaa_radius_create(&o);
	assert_non_null(r);
	for (size_t i = 0; i < sizeof(eap); i++)
		eap[i] = (uint8_t) (i * 7);
	eap[0] = 2;
	eap[2] = sizeof(eap) >> 8;
	eap[3] = sizeof(eap) & 0xff;
	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_EAP;
	snprintf(rq.user, sizeof(rq.user), "eve");
	rq.eap = eap;
	rq.eap_len = sizeof(eap);
	memcpy(rq.state, "state-1", 7);
	rq.state_len = 7;
	assert_true(sg_aaa_radius_auth(r, &rq, 0, on_done, NULL) >= 0);
	assert_true(fake_recv(&f));
	assert_int_equal(sg_aaa_radius_check(f.req, f.len, &len), SG_AAA_DROP_NONE);
	assert_non_null(sg_aaa_attr_find(f.req, len, SG_RADIUS_MESSAGE_AUTHENTICATOR, &vlen));
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_STATE, &vlen);
	assert_non_null(v);
	assert_memory_equal(v, "state-1", 7);
	sg_aaa_attr_it_init(&it, f.req, len);
	while (sg_aaa_attr_next(&it, &type, &v, &vlen)) {
		if (type != SG_RADIUS_EAP_MESSAGE)
			continue;
		assert_true(vlen <= 253);
		assert_memory_equal(v, eap + got_eap, vlen);
		got_eap += vlen;
	}
	assert_int_equal(got_eap, sizeof(eap));

	/* a challenge without Message-Authenticator: dropped although allowed for others */
	got.calls = 0;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_CHALLENGE, f.req[1], NULL);
	sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, chal, 10);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 1);
	assert_int_equal(got.calls, 0);
	assert_int_equal(stat_drop(r, SG_AAA_DROP_NO_MSG_AUTH), 1);

	/* the real challenge: 700 bytes of EAP in three attributes, and a new State */
	for (size_t i = 0; i < sizeof(chal); i++)
		chal[i] = (uint8_t) (i * 3);
	chal[0] = 1;
	chal[2] = sizeof(chal) >> 8;
	chal[3] = sizeof(chal) & 0xff;
	fake_reply(&f, &p, SG_RADIUS_ACCESS_CHALLENGE);
	assert_true(sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, chal, sizeof(chal)) > 0);
	sg_aaa_pkt_add(&p, SG_RADIUS_STATE, st, sizeof(st));
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	sg_aaa_radius_poll(r, 2);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.res.status, SG_AAA_CHALLENGE);
	assert_int_equal(got.res.eap_len, sizeof(chal));
	assert_memory_equal(got.res.eap, chal, sizeof(chal));
	assert_int_equal(got.res.state_len, sizeof(st));
	assert_memory_equal(got.res.state, st, sizeof(st));
	assert_false(got.res.has & SG_AAA_HAS_KEYS);

	/* the next round echoes that State; the Accept carries EAP-Success and the MSK */
	rq.eap_len = 4;
	eap[3] = 4;
	eap[2] = 0;
	memcpy(rq.state, st, sizeof(st));
	rq.state_len = sizeof(st);
	assert_true(sg_aaa_radius_auth(r, &rq, 3, on_done, NULL) >= 0);
	assert_true(fake_recv(&f));
	assert_int_equal(sg_aaa_radius_check(f.req, f.len, &len), SG_AAA_DROP_NONE);
	v = sg_aaa_attr_find(f.req, len, SG_RADIUS_STATE, &vlen);
	assert_non_null(v);
	assert_memory_equal(v, st, sizeof(st));
	for (size_t i = 0; i < sizeof(msk); i++)
		msk[i] = (uint8_t) (0xa0 + i);
	fake_reply(&f, &p, SG_RADIUS_ACCESS_ACCEPT);
	{
		uint8_t ok4[4] = {3, eap[1], 0, 4};
		sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, ok4, 4);
	}
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), msk, 32, 0x8001,
				       (const uint8_t *) "s3cr3t", 6, f.req + 4);
	assert_true(n > 0);
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_MPPE_RECV_KEY, enc, (size_t) n);
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), msk + 32, 32, 0x8002,
				       (const uint8_t *) "s3cr3t", 6, f.req + 4);
	assert_true(n > 0);
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_MPPE_SEND_KEY, enc, (size_t) n);
	fake_sign(&f, &p);
	fake_send(f.fd, &p);
	got.calls = 0;
	sg_aaa_radius_poll(r, 4);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.res.status, SG_AAA_ACCEPT);
	assert_int_equal(got.res.eap_len, 4);
	assert_int_equal(got.res.eap[0], 3);
	assert_true(got.res.has & SG_AAA_HAS_KEYS);
	assert_memory_equal(got.res.hlak, msk, 32); /* HLAK = MSK[0..32) */
	sg_aaa_radius_destroy(r);
	close(f.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pap_accept_carries_attributes_and_mppe_keys),
	    cmocka_unit_test(forged_replies_are_dropped_and_counted),
	    cmocka_unit_test(retransmits_back_off_then_fail_over_and_mark_dead),
	    cmocka_unit_test(all_servers_silent_times_out_once),
	    cmocka_unit_test(inflight_limit_cancel_and_bad_requests),
	    cmocka_unit_test(thousand_requests_in_flight_use_several_sockets),
	    cmocka_unit_test(acct_carries_framed_addresses),
	    cmocka_unit_test(deadlines_fire_in_order_with_8192_in_flight),
	    cmocka_unit_test(acct_stop_is_queued_bounded_and_delivered_later),
	    cmocka_unit_test(ipv6_server_is_reached_and_matched),
	    cmocka_unit_test(eap_rounds_split_join_state_and_msk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
