/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAP in PPP: the authenticator relays (it never looks inside a method) to an
 * EAP server played here by a small stand-in that really checks EAP-MD5 and
 * EAP-MSCHAPv2 with the library's crypto; the peer does both methods, Naks
 * others, refuses an unproven Success; hostile EAP packets on both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "ppp_pair.h"

/* ---- the EAP server stand-in (what FreeRADIUS does behind the gateway) ---- */

struct eap_srv {
	uint8_t type;	  /* method it starts with */
	uint8_t req[256]; /* the Request it sent last */
	uint8_t chal[16];
	bool ms_verified; /* MS-CHAPv2 response checked, Success request sent */
	bool ms_failed;	  /* MS-CHAPv2 Failure request sent */
	struct sg_ppp_mschap_verdict v;
	int rounds;
	uint8_t lie; /* 1: send EAP-Success right after the MS-CHAPv2 response */
};

static struct eap_srv E;

static size_t eap_put(uint8_t *b, uint8_t code, uint8_t id, const uint8_t *d, size_t n)
{
	b[0] = code;
	b[1] = id;
	b[2] = (uint8_t) ((n + 4) >> 8);
	b[3] = (uint8_t) (n + 4);
	if (n > 0)
		memcpy(b + 4, d, n);
	return n + 4;
}

static size_t eap_challenge(uint8_t id, uint8_t *out)
{
	uint8_t d[64];
	size_t n;

	for (int i = 0; i < 16; i++)
		E.chal[i] = (uint8_t) (0x31 * i + E.rounds);
	if (E.type == SG_EAP_TYPE_MD5) {
		d[0] = SG_EAP_TYPE_MD5;
		d[1] = 16;
		memcpy(d + 2, E.chal, 16);
		memcpy(d + 18, "radius", 6);
		n = 24;
	} else if (E.type == SG_EAP_TYPE_MSCHAPV2) {
		d[0] = SG_EAP_TYPE_MSCHAPV2;
		d[1] = SG_EAP_MSCHAPV2_CHALLENGE;
		d[2] = id;
		d[3] = 0;
		d[4] = 4 + 1 + 16 + 6;
		d[5] = 16;
		memcpy(d + 6, E.chal, 16);
		memcpy(d + 22, "radius", 6);
		n = 28;
	} else { /* a method the peer cannot do (PEAP start) */
		d[0] = E.type;
		d[1] = 0x20;
		n = 2;
	}
	return eap_put(out, SG_EAP_REQUEST, id, d, n);
}

/* One backend round: the Response in rq -> the result to give the session. */
static void eap_backend(const struct sg_ppp_auth_request *rq, const char *db_pass,
			struct sg_ppp_auth_result *r, uint8_t *out)
{
	const uint8_t *p = rq->eap;
	size_t len = rq->eap_len, n;
	uint8_t id = p[1], md5[16], pwh[16];
	uint8_t d[128];

	memset(r, 0, sizeof(*r));
	r->seq = rq->seq;
	E.rounds++;
	assert_int_equal(rq->method, SG_PPP_AUTH_EAP);
	assert_int_equal(p[0], SG_EAP_RESPONSE);
	assert_int_equal(len, (size_t) ((p[2] << 8) | p[3]));
	if (p[4] == SG_EAP_TYPE_IDENTITY || p[4] == SG_EAP_TYPE_NAK) {
		if (p[4] == SG_EAP_TYPE_IDENTITY)
			assert_memory_equal(p + 5, H_USER, strlen(H_USER));
		else
			E.type = p[5]; /* the first type the peer wants */
		r->challenge = true;
		r->eap = out;
		r->eap_len = eap_challenge((uint8_t) (id + 1), out);
		return;
	}
	if (p[4] == SG_EAP_TYPE_MD5) {
		r->accept = len >= 22 && p[5] == 16 &&
			    sg_ppp_chap_md5((uint8_t) (id), (const uint8_t *) db_pass,
					    strlen(db_pass), E.chal, 16, md5) == 0 &&
			    memcmp(md5, p + 6, 16) == 0;
		r->eap = out;
		r->eap_len = eap_put(out, r->accept ? SG_EAP_SUCCESS : SG_EAP_FAILURE, id, NULL, 0);
		return;
	}
	assert_int_equal(p[4], SG_EAP_TYPE_MSCHAPV2);
	if (p[5] == SG_EAP_MSCHAPV2_RESPONSE) {
		assert_true(len >= 10 + SG_MSCHAP_RESPONSE_LEN);
		assert_int_equal(p[9], SG_MSCHAP_RESPONSE_LEN);
		if (E.lie) {
			r->accept = true;
			r->eap = out;
			r->eap_len = eap_put(out, SG_EAP_SUCCESS, id, NULL, 0);
			return;
		}
		if (sg_ppp_nt_password_hash(db_pass, strlen(db_pass), pwh) == 0 &&
		    sg_ppp_mschap_verify(pwh, E.chal, p + 10, (const char *) p + 59, len - 59,
					 &E.v) == 0) {
			d[0] = SG_EAP_TYPE_MSCHAPV2;
			d[1] = SG_EAP_MSCHAPV2_SUCCESS;
			d[2] = p[6];
			n = 5 + (size_t) snprintf((char *) d + 5, sizeof(d) - 5, "%s M=ok",
						  E.v.auth_response);
			d[3] = 0;
			d[4] = (uint8_t) (n - 1);
			E.ms_verified = true;
		} else {
			d[0] = SG_EAP_TYPE_MSCHAPV2;
			d[1] = SG_EAP_MSCHAPV2_FAILURE;
			d[2] = p[6];
			n = 5 + (size_t) snprintf((char *) d + 5, sizeof(d) - 5, "E=691 R=0 V=3");
			d[3] = 0;
			d[4] = (uint8_t) (n - 1);
			E.ms_failed = true;
		}
		r->challenge = true;
		r->eap = out;
		r->eap_len = eap_put(out, SG_EAP_REQUEST, (uint8_t) (id + 1), d, n);
		return;
	}
	/* The peer's Success or Failure acknowledgement: the verdict. */
	r->accept = p[5] == SG_EAP_MSCHAPV2_SUCCESS && E.ms_verified;
	if (r->accept) {
		r->has_keys = true;
		memcpy(r->send_key, E.v.send_key, 16);
		memcpy(r->recv_key, E.v.recv_key, 16);
	}
	r->eap = out;
	r->eap_len = eap_put(out, r->accept ? SG_EAP_SUCCESS : SG_EAP_FAILURE, id, NULL, 0);
}

/* Pump frames and relay every EAP round through the stand-in until nothing moves. */
static void eap_run(sg_usec_t now)
{
	static uint8_t out[512];
	int guard = 0;

	for (;;) {
		h_pump(srv, cli, now, 100);
		if (!srv->pending || guard++ > 20)
			break;
		struct sg_ppp_auth_result r;
		srv->pending = false;
		eap_backend(&srv->rq, srv->aaa_password, &r, out);
		assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, now), 0);
	}
}

static void eap_up(uint8_t start_type, uint8_t peer_type, const char *password)
{
	const uint8_t peer_methods[SG_PPP_AUTH_METHODS] = {SG_PPP_AUTH_EAP};

	memset(&E, 0, sizeof(E));
	E.type = start_type;
	h_server_cfg(srv, SG_PPP_AUTH_EAP);
	srv->aaa_manual = true;
	h_peer_cfg(cli, password);
	memcpy(cli->cfg.auth, peer_methods, sizeof(peer_methods));
	cli->cfg.eap_type = peer_type;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	assert_int_equal(sg_ppp_session_start(srv->s, T0), 0);
	assert_int_equal(sg_ppp_session_start(cli->s, T0), 0);
	eap_run(T0);
}

/* EAP-MD5 relayed: the link comes up, no keys, HLAK zero on both ends. */
static void eap_md5_relayed_up_without_keys(void **state)
{
	(void) state;
	eap_up(SG_EAP_TYPE_MD5, SG_EAP_TYPE_MD5, H_PASS);
	check_up(SG_PPP_AUTH_EAP); /* no keys: HLAK zero on both */
	assert_int_equal(E.rounds, 2);
	assert_int_equal(srv->auth_requests, 2);
}

/* EAP-MSCHAPv2: four rounds, the peer verifies S=, both HLAKs equal the MS-CHAPv2 one. */
static void eap_mschapv2_relayed_up_with_msk(void **state)
{
	uint8_t hs[32], hc[32];
	const struct sg_ppp_info *si, *ci;

	(void) state;
	eap_up(SG_EAP_TYPE_MSCHAPV2, 0, H_PASS);
	si = sg_ppp_session_info(srv->s);
	ci = sg_ppp_session_info(cli->s);
	assert_int_equal(srv->ipcp_up, 1);
	assert_int_equal(cli->auth_up, 1);
	assert_int_equal(si->auth, SG_PPP_AUTH_EAP);
	assert_int_equal(E.rounds, 3);
	assert_true(si->has_keys && ci->has_keys);
	assert_memory_equal(si->send_key, ci->recv_key, 16);
	assert_memory_equal(si->recv_key, ci->send_key, 16);
	assert_true(sg_ppp_session_hlak(srv->s, hs));
	assert_true(sg_ppp_session_hlak(cli->s, hc));
	assert_memory_equal(hs, hc, 32);
	/* MSK[0..32) of EAP-MSCHAPv2 = the server's MasterReceiveKey || MasterSendKey */
	assert_memory_equal(hc, E.v.recv_key, 16);
	assert_memory_equal(hc + 16, E.v.send_key, 16);
}

/* The peer Naks a method it cannot do and names its own; the backend switches. */
static void eap_peer_naks_unknown_method(void **state)
{
	(void) state;
	eap_up(SG_EAP_TYPE_PEAP, SG_EAP_TYPE_MD5, H_PASS);
	assert_int_equal(cli->auth_up, 1);
	assert_int_equal(E.type, SG_EAP_TYPE_MD5);
	assert_int_equal(E.rounds, 3); /* identity, nak, md5 */
}

/* A peer told to use MS-CHAPv2 Naks MD5 with it. */
static void eap_peer_naks_md5_when_told_mschapv2(void **state)
{
	(void) state;
	eap_up(SG_EAP_TYPE_MD5, SG_EAP_TYPE_MSCHAPV2, H_PASS);
	assert_int_equal(cli->auth_up, 1);
	assert_int_equal(E.type, SG_EAP_TYPE_MSCHAPV2);
	assert_true(sg_ppp_session_info(cli->s)->has_keys);
}

/* Wrong password: EAP-Failure, both ends go down with AUTH_FAILED. */
static void eap_wrong_password_fails(void **state)
{
	(void) state;
	eap_up(SG_EAP_TYPE_MD5, 0, "wrong");
	assert_int_equal(srv->auth_up, 0);
	assert_int_equal(cli->auth_up, 0);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_AUTH_FAILED);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_auth_fail], 1);
	assert_int_equal(cli->counters.c[SG_PPP_CNT_auth_fail], 1);
}

static void eap_mschapv2_wrong_password_fails(void **state)
{
	(void) state;
	eap_up(SG_EAP_TYPE_MSCHAPV2, 0, "wrong");
	assert_true(E.ms_failed);
	assert_int_equal(srv->auth_up, 0);
	assert_int_equal(cli->auth_up, 0);
}

/* A server that says Success without proving the password is refused by the peer. */
static void eap_peer_refuses_unproven_success(void **state)
{
	(void) state;
	memset(&E, 0, sizeof(E));
	E.lie = 1;
	E.type = SG_EAP_TYPE_MSCHAPV2;
	h_server_cfg(srv, SG_PPP_AUTH_EAP);
	srv->aaa_manual = true;
	h_peer_cfg(cli, H_PASS);
	cli->cfg.auth[0] = SG_PPP_AUTH_EAP;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	E.lie = 1;
	eap_run(T0);
	assert_int_equal(srv->auth_up, 1); /* the lying server thinks it is done */
	assert_int_equal(cli->auth_up, 0);
	assert_int_equal(cli->counters.c[SG_PPP_CNT_auth_fail], 1);
}

/* A peer that does not do EAP Naks the option: the server falls back to MS-CHAPv2. */
static void eap_nak_falls_back_to_mschapv2(void **state)
{
	const uint8_t order[SG_PPP_AUTH_METHODS] = {SG_PPP_AUTH_EAP, SG_PPP_AUTH_MSCHAPV2};
	const uint8_t peer[SG_PPP_AUTH_METHODS] = {SG_PPP_AUTH_MSCHAPV2};

	(void) state;
	h_server_cfg(srv, 0);
	memcpy(srv->cfg.auth, order, sizeof(order));
	h_peer_cfg(cli, H_PASS);
	memcpy(cli->cfg.auth, peer, sizeof(peer));
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	check_up(SG_PPP_AUTH_MSCHAPV2);
}

/* The Identity request is repeated on the restart timer until the peer answers. */
static void eap_identity_request_retransmitted(void **state)
{
	uint8_t f[64], magic[6] = {SG_LCP_OPT_MAGIC, 6, 0xa1, 0xb2, 0xc3, 0xd4};
	size_t n;
	int i;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_EAP);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
	memcpy(f, srv->q[0].b, srv->q[0].len);
	assert_int_equal(f[12], SG_LCP_OPT_AUTH); /* after MRU 1400 */
	assert_int_equal(f[13], 4);
	assert_int_equal(f[14], 0xc2);
	assert_int_equal(f[15], 0x27);
	f[4] = SG_PPP_CONF_ACK;
	sg_ppp_session_input(srv->s, f, srv->q[0].len, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, magic, sizeof(magic));
	srv->nq = 0;
	sg_ppp_session_input(srv->s, f, n, T0, NULL);
	i = h_find(srv, SG_PPP_PROTO_EAP, SG_EAP_REQUEST);
	assert_true(i >= 0);
	assert_int_equal(srv->q[i].b[8], SG_EAP_TYPE_IDENTITY);
	srv->nq = 0;
	sg_ppp_session_timer(srv->s, sg_ppp_session_deadline(srv->s));
	assert_true(h_find(srv, SG_PPP_PROTO_EAP, SG_EAP_REQUEST) >= 0);
}

/* ---- hostile input ---- */

static uint8_t eap_id; /* identifier of the server's outstanding request */

/* A server in the auth phase with its Identity request out (or, relay: one round done). */
static void server_in_eap(bool relay)
{
	uint8_t f[64], magic[6] = {SG_LCP_OPT_MAGIC, 6, 0xa1, 0xb2, 0xc3, 0xd4};
	size_t n;
	int i;

	h_server_cfg(srv, SG_PPP_AUTH_EAP);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
	memcpy(f, srv->q[0].b, srv->q[0].len);
	f[4] = SG_PPP_CONF_ACK;
	sg_ppp_session_input(srv->s, f, srv->q[0].len, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, magic, sizeof(magic));
	sg_ppp_session_input(srv->s, f, n, T0, NULL);
	i = h_find(srv, SG_PPP_PROTO_EAP, SG_EAP_REQUEST);
	assert_true(i >= 0);
	eap_id = srv->q[i].b[5];
	srv->nq = 0;
	if (relay) {
		uint8_t d[6] = {SG_EAP_TYPE_IDENTITY, 'a', 'l', 'i', 'c', 'e'};
		uint8_t req[8] = {SG_EAP_REQUEST, 0, 0, 8, SG_EAP_TYPE_MD5, 2, 1, 2};
		struct sg_ppp_auth_result r = {.challenge = true, .eap = req, .eap_len = 8};

		n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_RESPONSE, eap_id, d, sizeof(d));
		sg_ppp_session_input(srv->s, f, n, T0, NULL);
		assert_true(srv->pending);
		srv->pending = false;
		eap_id = (uint8_t) (eap_id + 1);
		req[1] = eap_id;
		r.seq = srv->rq.seq;
		assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), 0);
		srv->nq = 0;
	}
}

struct eap_case {
	const char *name;
	bool relay;  /* after one relayed round (else: Identity outstanding) */
	bool fix_id; /* patch byte 1 of the EAP packet with the expected id */
	uint8_t b[24];
	size_t len;   /* EAP bytes */
	int counter;  /* must grow (-1: none) */
	bool request; /* an auth request must follow */
};

/* clang-format off */
static const struct eap_case server_cases[] = {
	{"truncated header", false, true, {2, 0, 0}, 3, SG_PPP_CNT_drop_short, false},
	{"length below header", false, true, {2, 0, 0, 3, 1}, 5, SG_PPP_CNT_drop_bad_length, false},
	{"length past the frame", false, true, {2, 0, 0, 40, 1, 'a'}, 6, SG_PPP_CNT_drop_bad_length,
	 false},
	{"response without a type", false, true, {2, 0, 0, 4}, 4, SG_PPP_CNT_drop_bad_auth, false},
	{"request from the peer", false, true, {1, 0, 0, 6, 1, 'a'}, 6, SG_PPP_CNT_drop_bad_auth,
	 false},
	{"success from the peer", false, true, {3, 0, 0, 4}, 4, SG_PPP_CNT_drop_bad_auth, false},
	{"unknown code", false, true, {9, 0, 0, 5, 1}, 5, SG_PPP_CNT_drop_bad_auth, false},
	{"wrong id", false, false, {2, 0x77, 0, 6, 1, 'a'}, 6, SG_PPP_CNT_drop_bad_id, false},
	{"nak instead of identity", false, true, {2, 0, 0, 6, 3, 4}, 6, SG_PPP_CNT_drop_bad_auth,
	 false},
	{"identity with a NUL", false, true, {2, 0, 0, 8, 1, 'a', 0, 'b'}, 8,
	 SG_PPP_CNT_drop_bad_auth, false},
	{"empty identity relayed", false, true, {2, 0, 0, 5, 1}, 5, -1, true},
	{"good identity", false, true, {2, 0, 0, 7, 1, 'a', 'b'}, 7, -1, true},
	{"relay: wrong id", true, false, {2, 0x55, 0, 6, 4, 1}, 6, SG_PPP_CNT_drop_bad_id, false},
	{"relay: nak relayed as is", true, true, {2, 0, 0, 6, 3, 26}, 6, -1, true},
	{"relay: md5 response relayed", true, true, {2, 0, 0, 7, 4, 1, 9}, 7, -1, true},
};
/* clang-format on */

static void eap_server_hostile_table(void **state)
{
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(server_cases) / sizeof(server_cases[0]); i++) {
		const struct eap_case *c = &server_cases[i];
		uint8_t f[64];
		uint64_t before;
		int reqs;

		print_message("case: %s\n", c->name);
		server_in_eap(c->relay);
		before = c->counter >= 0 ? srv->counters.c[c->counter] : 0;
		reqs = srv->auth_requests;
		f[0] = 0xff;
		f[1] = 0x03;
		f[2] = 0xc2;
		f[3] = 0x27;
		memcpy(f + 4, c->b, c->len);
		if (c->fix_id && c->len > 1)
			f[5] = eap_id;
		sg_ppp_session_input(srv->s, f, 4 + c->len, T0, NULL);
		if (c->counter >= 0)
			assert_true(srv->counters.c[c->counter] > before);
		assert_int_equal(srv->auth_requests - reqs, c->request ? 1 : 0);
		assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_AUTHENTICATE);
		/* a second copy while the first is with the backend is dropped */
		if (c->request) {
			uint64_t ws = srv->counters.c[SG_PPP_CNT_drop_wrong_state];
			sg_ppp_session_input(srv->s, f, 4 + c->len, T0, NULL);
			assert_int_equal(srv->counters.c[SG_PPP_CNT_drop_wrong_state], ws + 1);
			assert_int_equal(srv->auth_requests - reqs, 1);
		}
		h_fini(srv);
		memset(srv, 0, sizeof(*srv));
	}
}

/* What the backend hands back is checked too: a lie about lengths refuses the peer. */
static void eap_server_refuses_bad_backend_packets(void **state)
{
	static const struct {
		const char *name;
		bool challenge, accept;
		uint8_t b[8];
		size_t len;
		int rc;
		uint8_t sent;
	} cases[] = {
	    {"challenge length lies", true, false, {1, 5, 0, 9, 4}, 5, -EINVAL, SG_EAP_FAILURE},
	    {"challenge that is a success", true, false, {3, 5, 0, 4}, 4, -EINVAL, SG_EAP_FAILURE},
	    {"challenge without type", true, false, {1, 5, 0, 4}, 4, -EINVAL, SG_EAP_FAILURE},
	    {"challenge without packet", true, false, {0}, 0, -EINVAL, SG_EAP_FAILURE},
	    {"accept carrying failure", false, true, {4, 5, 0, 4}, 4, -EINVAL, SG_EAP_FAILURE},
	    {"short packet", false, true, {3, 5, 0}, 3, -EINVAL, SG_EAP_FAILURE},
	    {"reject carrying success", false, false, {3, 5, 0, 4}, 4, 0, SG_EAP_FAILURE},
	    {"accept", false, true, {3, 5, 0, 4}, 4, 0, SG_EAP_SUCCESS},
	};
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t f[64], d[3] = {SG_EAP_TYPE_IDENTITY, 'a', 'b'};
		struct sg_ppp_auth_result r;
		size_t n;
		int k;

		print_message("case: %s\n", cases[i].name);
		server_in_eap(false);
		n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_RESPONSE, eap_id, d, sizeof(d));
		sg_ppp_session_input(srv->s, f, n, T0, NULL);
		assert_true(srv->pending);
		memset(&r, 0, sizeof(r));
		r.seq = srv->rq.seq;
		r.challenge = cases[i].challenge;
		r.accept = cases[i].accept;
		r.eap = cases[i].len > 0 ? cases[i].b : NULL;
		r.eap_len = cases[i].len;
		assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), cases[i].rc);
		k = h_find(srv, SG_PPP_PROTO_EAP, cases[i].sent);
		assert_true(k >= 0);
		assert_int_equal(srv->auth_up, cases[i].sent == SG_EAP_SUCCESS ? 1 : 0);
		/* a stale answer after the verdict changes nothing */
		assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), -ESTALE);
		h_fini(srv);
		memset(srv, 0, sizeof(*srv));
	}
}

/* A peer in the auth phase (LCP opened with EAP acked). */
static void peer_in_eap(uint8_t eap_type)
{
	uint8_t f[64];
	uint8_t opts[10] = {SG_LCP_OPT_AUTH, 4, 0xc2, 0x27, SG_LCP_OPT_MAGIC, 6, 1, 2, 3, 4};
	size_t n;

	h_peer_cfg(cli, H_PASS);
	cli->cfg.auth[0] = SG_PPP_AUTH_EAP;
	cli->cfg.eap_type = eap_type;
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(cli->s, T0);
	memcpy(f, cli->q[0].b, cli->q[0].len);
	f[4] = SG_PPP_CONF_ACK;
	sg_ppp_session_input(cli->s, f, cli->q[0].len, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, opts, sizeof(opts));
	sg_ppp_session_input(cli->s, f, n, T0, NULL);
	assert_int_equal(sg_ppp_session_phase(cli->s), SG_PPP_PHASE_AUTHENTICATE);
	cli->nq = 0;
}

struct peer_case {
	const char *name;
	uint8_t b[24];
	size_t len;
	int counter;	 /* must grow (-1: none) */
	int answer_type; /* EAP type of the Response sent (-1: nothing sent) */
	bool fails;	 /* authentication ends in failure */
};

/* clang-format off */
static const struct peer_case peer_cases[] = {
	{"request without type", {1, 7, 0, 4}, 4, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"length past the frame", {1, 7, 0, 30, 4, 16}, 6, SG_PPP_CNT_drop_bad_length, -1, false},
	{"md5 value size 0", {1, 7, 0, 6, 4, 0}, 6, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"md5 value past the end", {1, 7, 0, 8, 4, 16, 1, 2}, 8, SG_PPP_CNT_drop_bad_auth, -1,
	 false},
	{"md5 good", {1, 7, 0, 8, 4, 2, 1, 2}, 8, -1, SG_EAP_TYPE_MD5, false},
	{"nak as a request", {1, 7, 0, 6, 3, 4}, 6, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"identity answered", {1, 7, 0, 5, 1}, 5, -1, SG_EAP_TYPE_IDENTITY, false},
	{"notification answered", {1, 7, 0, 7, 2, 'h', 'i'}, 7, -1, SG_EAP_TYPE_NOTIFICATION,
	 false},
	{"unknown method naked", {1, 7, 0, 6, 13, 0x20}, 6, -1, SG_EAP_TYPE_NAK, false},
	{"mschapv2 ms-length lies", {1, 7, 0, 10, 26, 1, 7, 0, 99, 16}, 10,
	 SG_PPP_CNT_drop_bad_auth, -1, false},
	{"mschapv2 challenge truncated", {1, 7, 0, 14, 26, 1, 7, 0, 9, 16, 1, 2, 3, 4}, 14,
	 SG_PPP_CNT_drop_bad_auth, -1, false},
	{"mschapv2 unknown op", {1, 7, 0, 9, 26, 9, 7, 0, 4}, 9, SG_PPP_CNT_drop_bad_auth, -1,
	 false},
	{"mschapv2 success before challenge", {1, 7, 0, 11, 26, 3, 7, 0, 6, 'S', '='}, 11,
	 SG_PPP_CNT_drop_bad_id, -1, false},
	{"success before any method", {3, 7, 0, 4}, 4, SG_PPP_CNT_drop_wrong_state, -1, false},
	{"response sent to the peer", {2, 7, 0, 5, 1}, 5, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"unknown code", {7, 7, 0, 4}, 4, SG_PPP_CNT_drop_bad_auth, -1, false},
	{"failure ends it", {4, 0, 0, 4}, 4, -1, -1, true},
};
/* clang-format on */

static void eap_peer_hostile_table(void **state)
{
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(peer_cases) / sizeof(peer_cases[0]); i++) {
		const struct peer_case *c = &peer_cases[i];
		uint8_t f[64];
		uint64_t before;
		int k;

		print_message("case: %s\n", c->name);
		peer_in_eap(c->answer_type == SG_EAP_TYPE_NAK ? SG_EAP_TYPE_MD5 : 0);
		before = c->counter >= 0 ? cli->counters.c[c->counter] : 0;
		f[0] = 0xff;
		f[1] = 0x03;
		f[2] = 0xc2;
		f[3] = 0x27;
		memcpy(f + 4, c->b, c->len);
		sg_ppp_session_input(cli->s, f, 4 + c->len, T0, NULL);
		if (c->counter >= 0)
			assert_true(cli->counters.c[c->counter] > before);
		k = h_find(cli, SG_PPP_PROTO_EAP, SG_EAP_RESPONSE);
		if (c->answer_type < 0) {
			assert_int_equal(k, -1);
		} else {
			assert_true(k >= 0);
			assert_int_equal(cli->q[k].b[5], 7); /* same identifier */
			assert_int_equal(cli->q[k].b[8], c->answer_type);
			if (c->answer_type == SG_EAP_TYPE_NAK)
				assert_int_equal(cli->q[k].b[9], SG_EAP_TYPE_MD5);
		}
		assert_int_equal(cli->counters.c[SG_PPP_CNT_auth_fail], c->fails ? 1 : 0);
		h_fini(cli);
		memset(cli, 0, sizeof(*cli));
	}
}

/* After an MD5 answer, Success/Failure with another identifier are ignored. */
static void eap_peer_ignores_verdict_with_wrong_id(void **state)
{
	uint8_t f[64], md5[4] = {SG_EAP_TYPE_MD5, 2, 1, 2};
	size_t n;

	(void) state;
	peer_in_eap(0);
	n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_REQUEST, 9, md5, sizeof(md5));
	sg_ppp_session_input(cli->s, f, n, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_SUCCESS, 10, NULL, 0);
	sg_ppp_session_input(cli->s, f, n, T0, NULL);
	n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_FAILURE, 11, NULL, 0);
	sg_ppp_session_input(cli->s, f, n, T0, NULL);
	assert_int_equal(cli->counters.c[SG_PPP_CNT_drop_bad_id], 2);
	assert_int_equal(cli->auth_up, 0);
	n = h_cp(f, SG_PPP_PROTO_EAP, SG_EAP_SUCCESS, 9, NULL, 0);
	sg_ppp_session_input(cli->s, f, n, T0, NULL);
	assert_int_equal(cli->auth_up, 1);
	assert_false(sg_ppp_session_info(cli->s)->has_keys);
}

/* A peer's EAP type outside MD5/MS-CHAPv2 is a configuration error. */
static void eap_peer_config_checked(void **state)
{
	(void) state;
	h_peer_cfg(cli, H_PASS);
	cli->cfg.auth[0] = SG_PPP_AUTH_EAP;
	cli->cfg.eap_type = SG_EAP_TYPE_PEAP;
	assert_int_equal(h_init(cli), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(eap_md5_relayed_up_without_keys),
	    T(eap_mschapv2_relayed_up_with_msk),
	    T(eap_peer_naks_unknown_method),
	    T(eap_peer_naks_md5_when_told_mschapv2),
	    T(eap_wrong_password_fails),
	    T(eap_mschapv2_wrong_password_fails),
	    T(eap_peer_refuses_unproven_success),
	    T(eap_nak_falls_back_to_mschapv2),
	    T(eap_identity_request_retransmitted),
	    T(eap_server_hostile_table),
	    T(eap_server_refuses_bad_backend_packets),
	    T(eap_peer_hostile_table),
	    T(eap_peer_ignores_verdict_with_wrong_id),
	    T(eap_peer_config_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
