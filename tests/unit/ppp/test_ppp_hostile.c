/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hostile input: every malformed frame is dropped with its named counter (or
 * answered with the reject the RFC asks for) and never changes state it must
 * not change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ppp_harness.h"

#define T0 1000000ULL

enum stage { ST_REQ_SENT, ST_AUTH_MSCHAP, ST_AUTH_PAP, ST_NETWORK_WAIT };

struct hostile {
	const char *name;
	enum stage stage;
	uint8_t bytes[48];
	size_t len;	   /* 0: strlen-free, computed by the builder below */
	int rc;		   /* expected return */
	int counter;	   /* counter that must grow, -1 none */
	int sent_code;	   /* LCP code of the answer (-1: nothing sent) */
	bool auth_request; /* an auth request must (not) follow */
};

static struct h_side *srv;
static uint8_t chal_id;

/* Bring a server to the stage by hand, playing a minimal peer. */
static void server_at(enum stage st)
{
	uint8_t f[64], magic[6] = {SG_LCP_OPT_MAGIC, 6, 0xa1, 0xb2, 0xc3, 0xd4};
	size_t n;
	int i;

	h_server_cfg(srv, st == ST_AUTH_PAP ? SG_PPP_AUTH_PAP : SG_PPP_AUTH_MSCHAPV2);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
	if (st == ST_REQ_SENT) {
		srv->nq = 0;
		return;
	}
	/* Ack the server's request as sent, then send ours. */
	memcpy(f, srv->q[0].b, srv->q[0].len);
	f[4] = SG_PPP_CONF_ACK;
	sg_ppp_session_input(srv->s, f, srv->q[0].len, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, magic, sizeof(magic));
	sg_ppp_session_input(srv->s, f, n, T0, NULL);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_AUTHENTICATE);
	i = h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_CHALLENGE);
	chal_id = i >= 0 ? srv->q[i].b[5] : 0;
	srv->nq = 0;
}

/* One case per row reads better than one field per line. */
/* clang-format off */
static const struct hostile table[] = {
	{"one byte", ST_REQ_SENT, {0xff}, 1, -EINVAL, SG_PPP_CNT_drop_short, -1, false},
	{"address without control", ST_REQ_SENT, {0xff, 0x05, 0xc0, 0x21}, 4, -EINVAL,
	 SG_PPP_CNT_drop_bad_header, -1, false},
	{"protocol field truncated", ST_REQ_SENT, {0xff, 0x03, 0xc0}, 3, -EINVAL,
	 SG_PPP_CNT_drop_bad_header, -1, false},
	{"protocol with even low byte", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x20, 1, 1, 0, 4}, 8,
	 -EINVAL, SG_PPP_CNT_drop_bad_header, -1, false},
	{"lcp header truncated", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00}, 7,
	 -EINVAL, SG_PPP_CNT_drop_short, -1, false},
	{"lcp length lies (past end)", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0x01, 0x00, 5,
	 6}, 10, -EINVAL, SG_PPP_CNT_drop_bad_length, -1, false},
	{"lcp length below header", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0x00, 0x03}, 8,
	 -EINVAL, SG_PPP_CNT_drop_bad_length, -1, false},
	{"option length 0", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 8, 1, 0, 0, 0}, 12,
	 -EINVAL, SG_PPP_CNT_drop_bad_options, -1, false},
	{"option length 1", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 6, 7, 1}, 10, -EINVAL,
	 SG_PPP_CNT_drop_bad_options, -1, false},
	{"option past end", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 8, 5, 6, 1, 2}, 12,
	 -EINVAL, SG_PPP_CNT_drop_bad_options, -1, false},
	{"lone option type byte", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 5, 5}, 9, -EINVAL,
	 SG_PPP_CNT_drop_bad_options, -1, false},
	{"duplicate MRU rejected", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 7, 0, 12, 1, 4, 5, 0xdc,
	 1, 4, 5, 0xdc}, 16, 0, SG_PPP_CNT_opt_duplicate, SG_PPP_CONF_REJ, false},
	{"MRU with wrong length rejected", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 7, 0, 9, 1, 5,
	 5, 0xdc, 0}, 13, 0, SG_PPP_CNT_opt_rejected, SG_PPP_CONF_REJ, false},
	{"tiny MRU naked", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 1, 7, 0, 8, 1, 4, 0, 10}, 12, 0,
	 -1, SG_PPP_CONF_NAK, false},
	{"unknown LCP code -> Code-Reject", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 0x33, 1, 0, 6, 9,
	 9}, 10, 0, SG_PPP_CNT_code_reject_sent, SG_PPP_CODE_REJ, false},
	{"ack with stale id", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 2, 0x99, 0, 4}, 8, 0,
	 SG_PPP_CNT_drop_bad_id, -1, false},
	{"echo before opened", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 8, 1, 2, 3, 4}, 12, 0,
	 SG_PPP_CNT_drop_wrong_state, -1, false},
	{"IPv4 before IPCP", ST_REQ_SENT, {0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20}, 8, -EAGAIN,
	 SG_PPP_CNT_drop_not_open, -1, false},
	{"compressed IPv4 before IPCP", ST_REQ_SENT, {0x21, 0x45, 0, 0, 20}, 5, -EAGAIN,
	 SG_PPP_CNT_drop_not_open, -1, false},
	{"auth before LCP opened", ST_REQ_SENT, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 6, 0, 0}, 10,
	 -EAGAIN, SG_PPP_CNT_drop_wrong_state, -1, false},
	{"unknown protocol before LCP opened", ST_REQ_SENT, {0xff, 0x03, 0x82, 0x81, 1, 1, 0, 4}, 8,
	 -EAGAIN, SG_PPP_CNT_drop_wrong_state, -1, false},
	{"unknown protocol -> Protocol-Reject", ST_AUTH_MSCHAP, {0xff, 0x03, 0x82, 0x81, 1, 1, 0,
	 4}, 8, -EPROTONOSUPPORT, SG_PPP_CNT_proto_reject_sent, SG_PPP_PROTO_REJ, false},
	{"CCP -> Protocol-Reject", ST_AUTH_MSCHAP, {0x80, 0xfd, 1, 1, 0, 4}, 6, -EPROTONOSUPPORT,
	 SG_PPP_CNT_proto_reject_sent, SG_PPP_PROTO_REJ, false},
	{"IPCP during authentication", ST_AUTH_MSCHAP, {0xff, 0x03, 0x80, 0x21, 1, 1, 0, 4}, 8,
	 -EAGAIN, SG_PPP_CNT_drop_wrong_state, -1, false},
	{"CHAP response value too short", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc2, 0x23, 2, 0 /* id
	 patched */, 0, 22, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 'a'}, 26, 0,
	 SG_PPP_CNT_drop_bad_auth, -1, false},
	{"CHAP value size past end", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc2, 0x23, 2, 0, 0, 10, 49, 1, 2,
	 3, 4, 5}, 14, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"CHAP empty response", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc2, 0x23, 2, 0, 0, 4}, 8, 0,
	 SG_PPP_CNT_drop_bad_auth, -1, false},
	{"CHAP length lies", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc2, 0x23, 2, 0, 0, 200, 49}, 9, 0,
	 SG_PPP_CNT_drop_bad_length, -1, false},
	{"CHAP challenge sent to the authenticator", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc2, 0x23, 1, 0,
	 0, 6, 1, 9}, 10, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP while CHAP was negotiated", ST_AUTH_MSCHAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 8, 1,
	 'a', 1, 'b'}, 12, 0, SG_PPP_CNT_drop_wrong_state, -1, false},
	{"PAP user length past the packet", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 8, 200,
	 'a', 1, 'b'}, 12, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP password length past the packet", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 8, 1,
	 'a', 9, 'b'}, 12, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP without password length", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 6, 1, 'a'},
	 10, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP empty", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 4}, 8, 0,
	 SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP ack sent to the authenticator", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 2, 1, 0, 5, 0},
	 9, 0, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"PAP good lengths", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x23, 1, 1, 0, 8, 1, 'a', 1, 'b'}, 12,
	 0, -1, -1, true},
	{"Windows Identification silently accepted", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x21, 12, 1, 0,
	 12, 1, 2, 3, 4, 0x4d, 0x53, 0x52, 0x41}, 16, 0, -1, -1, false},
	{"echo with short data", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 6, 1, 2}, 10, 0,
	 SG_PPP_CNT_drop_wrong_state, -1, false},
	{"protocol reject too short", ST_AUTH_PAP, {0xff, 0x03, 0xc0, 0x21, 8, 1, 0, 5, 0x80}, 9, 0,
	 SG_PPP_CNT_drop_wrong_state, -1, false},
};
/* clang-format on */

static void hostile_table(void **state)
{
	size_t i;

	(void) state;
	for (i = 0; i < SG_ARRAY_SIZE(table); i++) {
		const struct hostile *t = &table[i];
		uint8_t f[64];
		uint64_t before = 0;
		int rc, sent, phase;

		memset(srv, 0, sizeof(*srv));
		server_at(t->stage);
		phase = (int) sg_ppp_session_phase(srv->s);
		memcpy(f, t->bytes, t->len);
		if (t->len > 5 && f[2] == 0xc2 && f[3] == 0x23 && f[4] == SG_CHAP_RESPONSE)
			f[5] = chal_id; /* a response for the right challenge, bad otherwise */
		if (t->counter >= 0)
			before = srv->counters.c[t->counter];
		rc = sg_ppp_session_input(srv->s, f, t->len, T0 + 1, NULL);
		if (rc != t->rc)
			fail_msg("%s: rc %d, want %d", t->name, rc, t->rc);
		if (t->counter >= 0 && srv->counters.c[t->counter] != before + 1)
			fail_msg("%s: counter %s did not grow", t->name,
				 sg_ppp_counter_name((enum sg_ppp_counter) t->counter));
		sent = srv->nq > 0 ? srv->q[0].b[4] : -1;
		if (t->sent_code >= 0 && (srv->nq == 0 || srv->q[0].b[3] != 0x21))
			fail_msg("%s: no LCP answer", t->name);
		if (t->sent_code != sent && !(t->sent_code < 0 && srv->nq == 0))
			fail_msg("%s: sent code %d, want %d", t->name, sent, t->sent_code);
		if (srv->pending != t->auth_request)
			fail_msg("%s: auth request %d, want %d", t->name, srv->pending,
				 t->auth_request);
		if (t->sent_code < 0 && (int) sg_ppp_session_phase(srv->s) != phase)
			fail_msg("%s: phase changed", t->name);
		h_fini(srv);
	}
}

static void oversized_frame_dropped(void **state)
{
	static uint8_t big[SG_PPP_FRAME_MAX + 1];

	(void) state;
	memset(srv, 0, sizeof(*srv));
	server_at(ST_REQ_SENT);
	big[0] = 0xff;
	big[1] = 0x03;
	big[2] = 0x00;
	big[3] = 0x21;
	assert_int_equal(sg_ppp_session_input(srv->s, big, sizeof(big), T0, NULL), -EMSGSIZE);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_drop_oversize], 1);
	h_fini(srv);
}

static void code_reject_is_bounded_by_peer_mru(void **state)
{
	static uint8_t f[SG_PPP_FRAME_MAX];
	size_t n;

	(void) state;
	memset(srv, 0, sizeof(*srv));
	server_at(ST_AUTH_MSCHAP);
	/* An unknown protocol with 3000 bytes: the Protocol-Reject fits the peer's MRU (1500). */
	memset(f, 0xab, sizeof(f));
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = 0x82;
	f[3] = 0x35;
	n = 3000;
	assert_int_equal(sg_ppp_session_input(srv->s, f, n, T0, NULL), -EPROTONOSUPPORT);
	assert_int_equal(srv->nq, 1);
	assert_true(srv->q[0].len - 4 <= 1500);
	assert_int_equal(srv->q[0].b[4], SG_PPP_PROTO_REJ);
	assert_int_equal(srv->q[0].b[8], 0x82);
	assert_int_equal(srv->q[0].b[9], 0x35);
	h_fini(srv);
}

/* A retransmitted CHAP response after the verdict gets the verdict again, no new request. */
static void retransmitted_response_gets_same_verdict(void **state)
{
	(void) state;
	struct h_side *cli = calloc(1, sizeof(*cli));
	struct sg_ppp_packet pkt;
	int reqs;

	assert_non_null(cli);
	memset(srv, 0, sizeof(*srv));
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(srv->ipcp_up, 1);
	reqs = srv->auth_requests;
	assert_true(cli->last_chap_resp.len > 0);
	srv->nq = 0;
	assert_int_equal(
	    sg_ppp_session_input(srv->s, cli->last_chap_resp.b, cli->last_chap_resp.len, T0, &pkt),
	    0);
	/* Same verdict again (Success with the S= response), no second AAA request. */
	assert_int_equal(srv->nq, 1);
	assert_int_equal(srv->q[0].b[4], SG_CHAP_SUCCESS);
	assert_memory_equal(srv->q[0].b + 8, "S=", 2);
	/* A response with another identifier is dropped. */
	cli->last_chap_resp.b[5] ^= 0x55;
	srv->nq = 0;
	sg_ppp_session_input(srv->s, cli->last_chap_resp.b, cli->last_chap_resp.len, T0, &pkt);
	assert_int_equal(srv->nq, 0);
	assert_true(srv->counters.c[SG_PPP_CNT_drop_bad_id] >= 1);
	assert_int_equal(srv->auth_requests, reqs);
	h_fini(srv);
	h_fini(cli);
	free(cli);
}

static int setup(void **state)
{
	(void) state;
	srv = calloc(1, sizeof(*srv));
	return srv != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void) state;
	free(srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hostile_table),
	    cmocka_unit_test(oversized_frame_dropped),
	    cmocka_unit_test(code_reject_is_bounded_by_peer_mru),
	    cmocka_unit_test(retransmitted_response_gets_same_verdict),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
