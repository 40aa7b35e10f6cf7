/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 1661 automaton behaviour through a session: restart timer and
 * Max-Configure, Max-Failure, Max-Terminate, terminate and restart paths,
 * keepalive, authentication timeouts, lower layer down, re-entry guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ppp_pair.h"

static void max_configure_exhaustion(void **state)
{
	sg_usec_t now = T0;
	int i;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	srv->cfg.max_configure = 4;
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, now);
	assert_int_equal(srv->sent_total, 1);
	for (i = 0; i < 10 && srv->finished == 0; i++) {
		sg_usec_t d = sg_ppp_session_deadline(srv->s);
		assert_true(d != SG_PPP_NO_DEADLINE);
		assert_int_equal(d, now + 3 * SG_USEC_PER_SEC);
		/* Nothing happens before the deadline. */
		sg_ppp_session_timer(srv->s, d - 1);
		now = d;
		sg_ppp_session_timer(srv->s, now);
	}
	assert_int_equal(srv->sent_total, 4); /* Max-Configure requests in all */
	assert_int_equal(srv->finished, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_NEGOTIATION);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_DEAD);
	assert_true(sg_ppp_session_deadline(srv->s) == SG_PPP_NO_DEADLINE);
}

static void peer_terminate_request(void **state)
{
	uint8_t f[16];
	size_t n;
	int i;

	(void) state;
	bring_up(SG_PPP_AUTH_PAP, NULL, H_PASS);
	check_up(SG_PPP_AUTH_PAP);
	srv->nq = 0;
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_TERM_REQ, 0x42, NULL, 0);
	assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0 + 1, NULL), 0);
	i = h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_TERM_ACK);
	assert_true(i >= 0);
	assert_int_equal(srv->q[i].b[5], 0x42);
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->ipcp_down, 1);
	assert_int_equal(srv->ipv6cp_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_PEER_TERMINATE);
	assert_false(sg_ppp_session_ipv4_open(srv->s));
	/* Stopping: one restart interval later the link is finished. */
	sg_ppp_session_timer(srv->s, sg_ppp_session_deadline(srv->s));
	assert_int_equal(srv->finished, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_PEER_TERMINATE);
}

static void admin_close_sends_terminate_and_finishes(void **state)
{
	sg_usec_t now = T0;
	int treq = 0, i;

	(void) state;
	bring_up(SG_PPP_AUTH_CHAP_MD5, NULL, H_PASS);
	srv->nq = 0;
	srv->sent_total = 0;
	assert_int_equal(sg_ppp_session_close(srv->s, now), 0);
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_ADMIN);
	assert_true(h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_TERM_REQ) >= 0);
	/* Nobody answers: Max-Terminate (2) requests, then finished. */
	for (i = 0; i < 5 && srv->finished == 0; i++) {
		now = sg_ppp_session_deadline(srv->s);
		sg_ppp_session_timer(srv->s, now);
	}
	for (i = 0; i < srv->nq; i++)
		treq += srv->q[i].b[4] == SG_PPP_TERM_REQ;
	assert_int_equal(treq, 2);
	assert_int_equal(srv->finished, 1);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_DEAD);
}

static void admin_close_with_peer_ack_finishes_both(void **state)
{
	(void) state;
	bring_up(SG_PPP_AUTH_MSCHAPV2, NULL, H_PASS);
	sg_ppp_session_close(cli->s, T0 + 5);
	h_pump(srv, cli, T0 + 5, 100);
	assert_int_equal(cli->finished, 1); /* Terminate-Ack received */
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_PEER_TERMINATE);
	sg_ppp_session_timer(srv->s, sg_ppp_session_deadline(srv->s));
	assert_int_equal(srv->finished, 1);
}

static void restart_on_new_configure_request(void **state)
{
	uint8_t f[32], opts[6] = {SG_LCP_OPT_MAGIC, 6, 0x11, 0x22, 0x33, 0x44};
	size_t n;

	(void) state;
	bring_up(SG_PPP_AUTH_PAP, NULL, H_PASS);
	srv->nq = 0;
	/* The peer renegotiates LCP while Opened: This-Layer-Down, our request, our Ack. */
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 9, opts, sizeof(opts));
	assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0 + 1, NULL), 0);
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->ipcp_down, 1);
	assert_true(h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ) >= 0);
	assert_true(h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_CONF_ACK) >= 0);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_ESTABLISH);
	assert_false(sg_ppp_session_ipv4_open(srv->s));
	/* And the pair renegotiates everything, authentication included. */
	h_pump(srv, cli, T0 + 2, 100);
	assert_int_equal(srv->ipcp_up, 2);
	assert_int_equal(srv->auth_requests, 2);
	assert_true(sg_ppp_session_ipv4_open(srv->s));
}

static void echo_keepalive_and_timeout(void **state)
{
	sg_usec_t now = T0;
	int i;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	srv->cfg.echo_interval_usec = 10 * SG_USEC_PER_SEC;
	srv->cfg.echo_failures = 3;
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, now);
	sg_ppp_session_start(cli->s, now);
	h_pump(srv, cli, now, 100);
	assert_int_equal(srv->ipcp_up, 1);
	/* Answered echoes keep the link up. */
	for (i = 0; i < 5; i++) {
		now = sg_ppp_session_deadline(srv->s);
		sg_ppp_session_timer(srv->s, now);
		assert_true(h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_ECHO_REQ) >= 0);
		h_pump(srv, cli, now, 100);
	}
	assert_int_equal(srv->link_down, 0);
	/* A silent peer: 3 unanswered requests, then the link is down. */
	for (i = 0; i < 6 && srv->link_down == 0; i++) {
		now = sg_ppp_session_deadline(srv->s);
		sg_ppp_session_timer(srv->s, now);
		srv->nq = 0;
	}
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_ECHO_TIMEOUT);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_echo_timeout], 1);
	assert_int_equal(i, 4);
}

static void auth_phase_timeout_and_challenge_retransmit(void **state)
{
	sg_usec_t now = T0;
	int challenges = 0, i, guard;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, now);
	sg_ppp_session_start(cli->s, now);
	/* Deliver until the server's first challenge, then drop the client on the floor. */
	for (guard = 0; guard < 20 && h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_CHALLENGE) < 0;
	     guard++) {
		struct sg_ppp_packet pkt;
		int n = cli->nq, m = srv->nq;
		for (i = 0; i < n; i++)
			sg_ppp_session_input(srv->s, cli->q[i].b, cli->q[i].len, now, &pkt);
		cli->nq = 0;
		if (h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_CHALLENGE) >= 0)
			break;
		for (i = 0; i < m; i++)
			sg_ppp_session_input(cli->s, srv->q[i].b, srv->q[i].len, now, &pkt);
		memmove(srv->q, srv->q + m, sizeof(srv->q[0]) * (size_t) (srv->nq - m));
		srv->nq -= m;
	}
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_AUTHENTICATE);
	srv->nq = 0;
	for (i = 0; i < 40 && srv->link_down == 0; i++) {
		now = sg_ppp_session_deadline(srv->s);
		sg_ppp_session_timer(srv->s, now);
		if (h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_CHALLENGE) >= 0)
			challenges++;
		srv->nq = 0;
	}
	assert_int_equal(challenges, 9); /* Max-Configure (10) challenges in all */
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_AUTH_TIMEOUT);
	assert_true(now - T0 >= 30 * SG_USEC_PER_SEC);
}

/* Windows' LCP request: MRU 4091, PFC, ACFC, callback, MRRU, endpoint, magic. */
static void callback_reentry_is_refused(void **state)
{
	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	assert_int_equal(h_init(srv), 0);
	srv->reenter = true;
	sg_ppp_session_start(srv->s, T0);
	assert_int_equal(srv->reenter_rc, -EBUSY);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_drop_busy], 1);
	srv->reenter = false;
	assert_int_equal(sg_ppp_session_timer(srv->s, T0 + 1), 0);
}

/*
 * The sstpc path: the peer's frames travel as an async HDLC byte stream (as on
 * sstpc's fd 0), cut into odd-sized reads, decoded and fed to the server; the
 * server's frames go back the same way.
 */
static void max_failure_turns_naks_into_reject(void **state)
{
	const uint8_t opts[] = {SG_LCP_OPT_MRU, 4, 0, 10};
	uint8_t f[32], req_id;
	size_t n;
	int i;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
	req_id = srv->q[0].b[5];
	for (i = 0; i < 6; i++) {
		srv->nq = 0;
		n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, (uint8_t) (10 + i), opts,
			 sizeof(opts));
		assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0, NULL), 0);
		assert_int_equal(srv->nq, 1);
		assert_int_equal(srv->q[0].b[4], i < 5 ? SG_PPP_CONF_NAK : SG_PPP_CONF_REJ);
		if (i < 5) {
			assert_int_equal(srv->q[0].b[10], 0); /* suggests MRU 128 */
			assert_int_equal(srv->q[0].b[11], 128);
		}
		/* The peer's Nak of our request in between does not reset the count. */
		if (i == 2) {
			const uint8_t mru[] = {SG_LCP_OPT_MRU, 4, 0x05, 0x14};
			n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_NAK, req_id, mru, sizeof(mru));
			srv->nq = 0;
			assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0, NULL), 0);
			assert_int_equal(srv->nq, 1);
			assert_int_equal(srv->q[0].b[4], SG_PPP_CONF_REQ);
			assert_int_equal(srv->q[0].b[8], SG_LCP_OPT_MRU); /* now asks for 1300 */
			assert_int_equal(srv->q[0].b[10], 0x05);
			assert_int_equal(srv->q[0].b[11], 0x14);
		}
	}
}

static void lower_down_stops_everything_without_frames(void **state)
{
	uint8_t f[32];
	size_t n;

	(void) state;
	bring_up(SG_PPP_AUTH_CHAP_MD5, NULL, H_PASS);
	srv->nq = 0;
	assert_int_equal(sg_ppp_session_lower_down(srv->s, T0 + 1), 0);
	assert_int_equal(srv->nq, 0);
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->ipcp_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_LOWER_DOWN);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_DEAD);
	assert_true(sg_ppp_session_deadline(srv->s) == SG_PPP_NO_DEADLINE);
	/* Nothing more is accepted or sent. */
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_ECHO_REQ, 1, (const uint8_t *) "abcd", 4);
	assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0 + 2, NULL), -EAGAIN);
	assert_int_equal(srv->nq, 0);
	assert_true(sg_ppp_session_size() < 4096);
}

/*
 * sstpc's default mode: our first LCP Configure-Request reaches pppd's pty before pppd
 * has put it in raw mode, and the pty echoes it back to us. The echo (and the echo of a
 * retransmission) gets no answer and ends nothing; the real peer then comes up as usual.
 * Before the fix the echo got a Configure-Reject of the authentication option, whose own
 * echo made the server give up (AUTH_REFUSED) ~50 ms after the SSTP CONNECT_ACK.
 */
static void own_request_echoed_before_peer_speaks(void **state)
{
	struct h_frame echo1, echo2;
	sg_usec_t now = T0;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	assert_int_equal(sg_ppp_session_start(srv->s, now), 0);
	assert_int_equal(srv->nq, 1);
	echo1 = srv->q[0];
	srv->nq = 0;
	assert_int_equal(sg_ppp_session_input(srv->s, echo1.b, echo1.len, now + 1000, NULL), 0);
	assert_int_equal(srv->nq, 0); /* no Reject, no Nak */
	assert_int_equal(srv->counters.c[SG_PPP_CNT_loopback], 1);
	assert_int_equal(srv->finished, 0);
	assert_int_equal(srv->link_down, 0);
	/* The restart timer sends the request again (new identifier); its echo, and a late
	 * echo of the first one, are discarded too. */
	now = sg_ppp_session_deadline(srv->s);
	sg_ppp_session_timer(srv->s, now);
	assert_int_equal(srv->nq, 1);
	echo2 = srv->q[0];
	assert_int_not_equal(echo2.b[5], echo1.b[5]);
	srv->nq = 0;
	assert_int_equal(sg_ppp_session_input(srv->s, echo2.b, echo2.len, now + 1, NULL), 0);
	assert_int_equal(sg_ppp_session_input(srv->s, echo1.b, echo1.len, now + 2, NULL), 0);
	assert_int_equal(srv->nq, 0);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_loopback], 3);
	/* The real peer (pppd in raw mode now) speaks: everything comes up. */
	srv->q[srv->nq++] = echo2; /* our outstanding request reaches it this time */
	assert_int_equal(sg_ppp_session_start(cli->s, now + 3), 0);
	h_pump(srv, cli, now + 3, 100);
	check_up(SG_PPP_AUTH_MSCHAPV2);
	assert_int_equal(srv->finished, 0);
}

/* Once the peer has spoken, a request carrying our magic number is answered (RFC 1661
 * §6.4 collision handling), not silently dropped. */
static void own_magic_after_peer_spoke_is_answered(void **state)
{
	const uint8_t opts[6] = {SG_LCP_OPT_MAGIC, 6, 0x11, 0x22, 0x33, 0x44};
	struct h_frame own;
	uint8_t f[32];
	size_t n;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(sg_ppp_session_start(srv->s, T0), 0);
	own = srv->q[0];
	srv->nq = 0;
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 7, opts, sizeof(opts));
	assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0 + 1, NULL), 0);
	assert_true(h_find(srv, SG_PPP_PROTO_LCP, SG_PPP_CONF_ACK) >= 0);
	srv->nq = 0;
	assert_int_equal(sg_ppp_session_input(srv->s, own.b, own.len, T0 + 2, NULL), 0);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_loopback], 1); /* the magic collision */
	assert_int_equal(srv->nq, 1); /* answered: Reject of the auth option */
	assert_int_equal(srv->q[0].b[4], SG_PPP_CONF_REJ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(max_configure_exhaustion),
	    T(peer_terminate_request),
	    T(admin_close_sends_terminate_and_finishes),
	    T(admin_close_with_peer_ack_finishes_both),
	    T(restart_on_new_configure_request),
	    T(echo_keepalive_and_timeout),
	    T(auth_phase_timeout_and_challenge_retransmit),
	    T(callback_reentry_is_refused),
	    T(max_failure_turns_naks_into_reject),
	    T(lower_down_stops_everything_without_frames),
	    T(own_request_echoed_before_peer_speaks),
	    T(own_magic_after_peer_spoke_is_answered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
