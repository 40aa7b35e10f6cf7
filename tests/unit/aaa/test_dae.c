/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 5176 listener on loopback: verified requests reach the owner, forgeries do not. */
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

static struct {
	int calls;
	struct sg_aaa_dae_request rq;
	uint32_t answer;
} seen;

static uint32_t decide(void *arg, const struct sg_aaa_dae_request *rq)
{
	(void) arg;
	seen.calls++;
	seen.rq = *rq;
	return seen.answer;
}

static struct sg_aaa_dae *listener(bool allow_no_ma)
{
	struct sg_aaa_dae_opts o;
	struct sockaddr_in *a = (struct sockaddr_in *) &o.listen;

	memset(&o, 0, sizeof(o));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a = (struct sockaddr_in *) &o.clients[0].addr;
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(o.clients[0].secret, sizeof(o.clients[0].secret), "coa-secret");
	o.n_clients = 1;
	o.allow_no_msg_auth = allow_no_ma;
	o.event_window = 300;
	return sg_aaa_dae_create(&o, decide, NULL);
}

/* Send p to the listener, poll it, return the reply length (0 if none). */
static size_t exchange(struct sg_aaa_dae *d, const struct sg_aaa_pkt *p, uint8_t *reply)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(sg_aaa_dae_port(d));
	assert_int_equal(sendto(fd, p->buf, p->len, 0, (struct sockaddr *) &a, sizeof(a)),
			 (ssize_t) p->len);
	sg_aaa_dae_poll(d, 1000000);
	n = recv(fd, reply, SG_RADIUS_MAX_LEN, 0);
	close(fd);
	return n > 0 ? (size_t) n : 0;
}

static void disconnect(struct sg_aaa_pkt *p, const char *secret, bool ma)
{
	uint8_t ip[4] = {192, 0, 2, 10};

	sg_aaa_pkt_init(p, SG_RADIUS_DISCONNECT_REQUEST, 77, NULL);
	if (ma)
		sg_aaa_pkt_add_msg_auth(p);
	sg_aaa_pkt_add_str(p, SG_RADIUS_ACCT_SESSION_ID, "sess-42");
	sg_aaa_pkt_add_str(p, SG_RADIUS_USER_NAME, "alice");
	sg_aaa_pkt_add(p, SG_RADIUS_FRAMED_IP_ADDRESS, ip, 4);
	sg_aaa_pkt_sign_request(p, (const uint8_t *) secret, strlen(secret));
}

static void disconnect_reaches_owner_and_is_acked(void **state)
{
	struct sg_aaa_dae *d = listener(false);
	struct sg_aaa_pkt p;
	uint8_t reply[SG_RADIUS_MAX_LEN];
	size_t n, len;

	(void) state;
	assert_non_null(d);
	seen.calls = 0;
	seen.answer = 0;
	disconnect(&p, "coa-secret", true);
	n = exchange(d, &p, reply);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.rq.code, SG_RADIUS_DISCONNECT_REQUEST);
	assert_string_equal(seen.rq.session_id, "sess-42");
	assert_string_equal(seen.rq.user, "alice");
	assert_int_equal(seen.rq.framed_ip, htonl(0xc000020a));
	assert_true(n > 0);
	assert_int_equal(sg_aaa_radius_check(reply, n, &len), SG_AAA_DROP_NONE);
	assert_int_equal(reply[0], SG_RADIUS_DISCONNECT_ACK);
	assert_int_equal(reply[1], 77);
	assert_int_equal(sg_aaa_radius_verify_reply(reply, len, p.buf + 4,
						    (const uint8_t *) "coa-secret", 10, true),
			 SG_AAA_DROP_NONE);
	/* the owner says "no such session": NAK with Error-Cause 503 */
	seen.answer = SG_RADIUS_ERR_SESSION_NOT_FOUND;
	n = exchange(d, &p, reply);
	assert_int_equal(reply[0], SG_RADIUS_DISCONNECT_NAK);
	{
		size_t vlen;
		const uint8_t *v = sg_aaa_attr_find(reply, n, SG_RADIUS_ERROR_CAUSE, &vlen);

		assert_non_null(v);
		assert_int_equal((v[2] << 8) | v[3], 503);
	}
	sg_aaa_dae_destroy(d);
}

static void coa_carries_new_limits(void **state)
{
	struct sg_aaa_dae *d = listener(false);
	struct sg_aaa_pkt p;
	uint8_t reply[SG_RADIUS_MAX_LEN];

	(void) state;
	seen.calls = 0;
	seen.answer = 0;
	sg_aaa_pkt_init(&p, SG_RADIUS_COA_REQUEST, 5, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_ACCT_SESSION_ID, "s1");
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_SESSION_TIMEOUT, 120);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_FILTER_ID, "slow");
	sg_aaa_pkt_sign_request(&p, (const uint8_t *) "coa-secret", 10);
	assert_true(exchange(d, &p, reply) > 0);
	assert_int_equal(reply[0], SG_RADIUS_COA_ACK);
	assert_int_equal(seen.rq.session_timeout, 120);
	assert_string_equal(seen.rq.filter_id, "slow");
	/* no session identification: NAK 402 without asking the owner */
	sg_aaa_pkt_init(&p, SG_RADIUS_COA_REQUEST, 6, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_SESSION_TIMEOUT, 120);
	sg_aaa_pkt_sign_request(&p, (const uint8_t *) "coa-secret", 10);
	assert_true(exchange(d, &p, reply) > 0);
	assert_int_equal(reply[0], SG_RADIUS_COA_NAK);
	assert_int_equal(seen.calls, 1);
	sg_aaa_dae_destroy(d);
}

static void forged_requests_never_reach_owner(void **state)
{
	struct sg_aaa_dae *d = listener(false);
	struct sg_aaa_pkt p;
	uint8_t reply[SG_RADIUS_MAX_LEN];
	struct sg_aaa_stats st;

	(void) state;
	seen.calls = 0;
	seen.answer = 0;
	disconnect(&p, "wrong-secret", true);
	assert_int_equal(exchange(d, &p, reply), 0);
	disconnect(&p, "coa-secret", false); /* no Message-Authenticator */
	assert_int_equal(exchange(d, &p, reply), 0);
	disconnect(&p, "coa-secret", true);
	p.buf[0] = SG_RADIUS_ACCESS_REQUEST;
	assert_int_equal(exchange(d, &p, reply), 0);
	disconnect(&p, "coa-secret", true);
	p.buf[p.len - 5] = 0; /* Framed-IP-Address length 0 */
	assert_int_equal(exchange(d, &p, reply), 0);
	assert_int_equal(seen.calls, 0);
	sg_aaa_dae_stats(d, &st);
	assert_int_equal(st.drops[SG_AAA_DROP_BAD_AUTHENTICATOR], 1);
	assert_int_equal(st.drops[SG_AAA_DROP_NO_MSG_AUTH], 1);
	assert_int_equal(st.drops[SG_AAA_DROP_BAD_CODE], 1);
	assert_int_equal(st.drops[SG_AAA_DROP_ATTR_LENGTH], 1);
	sg_aaa_dae_destroy(d);
	/* replay window: the listener's clock is 1000000 */
	d = listener(false);
	{
		struct sg_aaa_pkt q;

		for (int k = 0; k < 3; k++) {
			static const uint32_t ts[3] = {1000000 - 301, 1000000 + 301, 1000000 - 300};

			sg_aaa_pkt_init(&q, SG_RADIUS_DISCONNECT_REQUEST, 9, NULL);
			sg_aaa_pkt_add_msg_auth(&q);
			sg_aaa_pkt_add_str(&q, SG_RADIUS_ACCT_SESSION_ID, "s");
			sg_aaa_pkt_add_u32(&q, SG_RADIUS_EVENT_TIMESTAMP, ts[k]);
			sg_aaa_pkt_sign_request(&q, (const uint8_t *) "coa-secret", 10);
			assert_int_equal(exchange(d, &q, reply) > 0, k == 2);
		}
		assert_int_equal(seen.calls, 1);
		seen.calls = 0;
	}
	sg_aaa_dae_stats(d, &st);
	assert_int_equal(st.drops[SG_AAA_DROP_STALE], 2);
	sg_aaa_dae_destroy(d);

	/* radclient-style requests without Message-Authenticator, when allowed */
	d = listener(true);
	disconnect(&p, "coa-secret", false);
	assert_true(exchange(d, &p, reply) > 0);
	assert_int_equal(seen.calls, 1);
	sg_aaa_dae_destroy(d);
}

static void unknown_client_is_dropped(void **state)
{
	struct sg_aaa_dae_opts o;
	struct sg_aaa_dae *d;
	struct sg_aaa_pkt p;
	uint8_t reply[SG_RADIUS_MAX_LEN];
	struct sg_aaa_stats st;
	struct sockaddr_in *a = (struct sockaddr_in *) &o.listen;

	(void) state;
	memset(&o, 0, sizeof(o));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a = (struct sockaddr_in *) &o.clients[0].addr;
	a->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &a->sin_addr);
	snprintf(o.clients[0].secret, sizeof(o.clients[0].secret), "coa-secret");
	o.n_clients = 1;
	d = sg_aaa_dae_create(&o, decide, NULL);
	seen.calls = 0;
	disconnect(&p, "coa-secret", true);
	assert_int_equal(exchange(d, &p, reply), 0);
	sg_aaa_dae_stats(d, &st);
	assert_int_equal(st.drops[SG_AAA_DROP_UNKNOWN_CLIENT], 1);
	assert_int_equal(seen.calls, 0);
	sg_aaa_dae_destroy(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(disconnect_reaches_owner_and_is_acked),
	    cmocka_unit_test(coa_carries_new_limits),
	    cmocka_unit_test(forged_requests_never_reach_owner),
	    cmocka_unit_test(unknown_client_is_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
