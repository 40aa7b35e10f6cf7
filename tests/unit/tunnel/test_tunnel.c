/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tunnel against a real client stack (lib/sstp's client state machine and lib/ppp in
 * the peer role), authenticated by lib/aaa's local users backend: whole calls in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_ppp_crypto.h"
#include "sg_tunnel.h"

static const uint8_t fake_cert[] = "a DER certificate stands here; only its hash matters";
#define SEC SG_USEC_PER_SEC

struct client {
	struct sg_sstp_client_config scfg;
	struct sg_sstp_client sc;
	struct sg_sstp_stats stats;
	struct sg_ppp_config pcfg;
	struct sg_ppp_session *ppp;
	bool closed, auth_up, ipv4_up, corrupt_hlak;
	uint32_t got_ipv4;
	uint8_t out[1 << 16];
	size_t out_len;
	uint8_t ip[2048];
	size_t ip_len;
	int ips;
	sg_usec_t now;
};

struct server {
	struct sg_sstp_server_config scfg;
	struct sg_ppp_config pcfg;
	struct sg_tunnel_config tcfg;
	struct sg_sstp_stats stats;
	struct sg_tunnel *t;
	struct sg_aaa_local *users;
	bool async, have_request, open, closed, ipv4_up;
	int closes;
	struct sg_aaa_auth_req request;
	enum sg_tunnel_reason reason;
	uint8_t out[1 << 16];
	size_t out_len;
	uint8_t ip[2048];
	size_t ip_len;
	int ips;
	sg_usec_t now;
	/* EAP backend stand-in (EAP-MD5 / EAP-MSCHAPv2 as FreeRADIUS runs them) */
	bool eap;
	int eap_rounds, challenges;
	struct sg_ppp_mschap_verdict v;
	bool ms_ok;
};

static void append(uint8_t *buf, size_t *len, const void *data, size_t n)
{
	assert_true(*len + n <= (1u << 16));
	memcpy(buf + *len, data, n);
	*len += n;
}

/* ---- client side ---- */

static void client_apply(struct client *c, const struct sg_sstp_result *r);

static void client_ppp(void *arg, const struct sg_ppp_action *a)
{
	struct client *c = arg;
	uint8_t hdr[SG_SSTP_HDR_LEN], hlak[32] = {0};
	struct sg_sstp_result r;

	switch (a->type) {
	case SG_PPP_ACT_SEND:
		if (sg_sstp_client_ppp_tx(&c->sc, a->frame, a->len, hdr) == 0) {
			append(c->out, &c->out_len, hdr, sizeof(hdr));
			append(c->out, &c->out_len, a->frame, a->len);
		}
		break;
	case SG_PPP_ACT_AUTH_UP:
		c->auth_up = true;
		if (a->info->has_keys) { /* client view: MasterSendKey || MasterReceiveKey */
			memcpy(hlak, a->info->send_key, 16);
			memcpy(hlak + 16, a->info->recv_key, 16);
		}
		if (c->corrupt_hlak)
			hlak[5] ^= 0x40;
		assert_int_equal(sg_sstp_client_auth_done(&c->sc, hlak, c->now, &r), 0);
		client_apply(c, &r);
		break;
	case SG_PPP_ACT_IPCP_UP:
		c->ipv4_up = true;
		c->got_ipv4 = a->info->local_ipv4;
		break;
	default:
		break;
	}
}

static void client_apply(struct client *c, const struct sg_sstp_result *r)
{
	struct sg_ppp_packet pkt;

	if (r->actions & SG_SSTP_ACT_SEND)
		append(c->out, &c->out_len, r->tx, r->tx_len);
	if (r->actions & SG_SSTP_ACT_PPP_START)
		assert_int_equal(sg_ppp_session_start(c->ppp, c->now), 0);
	if ((r->actions & SG_SSTP_ACT_PPP_INPUT) &&
	    sg_ppp_session_input(c->ppp, r->ppp, r->ppp_len, c->now, &pkt) == SG_PPP_INPUT_IPV4) {
		memcpy(c->ip, r->ppp + pkt.offset, pkt.len);
		c->ip_len = pkt.len;
		c->ips++;
	}
	if (r->actions & SG_SSTP_ACT_CLOSE)
		c->closed = true;
}

static void client_rx(struct client *c, const uint8_t *p, size_t len)
{
	while (len > 0 && !c->closed) {
		struct sg_sstp_result r;
		int n = sg_sstp_client_rx(&c->sc, p, len, c->now, &r);
		client_apply(c, &r);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

static void client_init(struct client *c, const char *user, const char *password,
			enum sg_ppp_auth_method only)
{
	struct sg_sstp_result r;

	memset(c, 0, sizeof(*c));
	sg_sstp_client_config_init(&c->scfg, "gw.example");
	assert_int_equal(sg_sstp_client_config_set_cert(&c->scfg, fake_cert, sizeof(fake_cert)), 0);
	c->pcfg.role = SG_PPP_ROLE_PEER;
	c->pcfg.user = user;
	c->pcfg.password = password;
	c->pcfg.want_dns = true;
	c->pcfg.disable_ipv6 = true;
	if (only)
		c->pcfg.auth[0] = (uint8_t)only;
	c->ppp = sg_ppp_session_new(&c->pcfg, client_ppp, c);
	assert_non_null(c->ppp);
	assert_int_equal(sg_sstp_client_start(&c->sc, &c->scfg, &c->stats, 0, &r), 0);
	client_apply(c, &r);
}

static void client_send_ip(struct client *c, const uint8_t *ip, size_t len)
{
	uint8_t frame[2048], hdr[SG_SSTP_HDR_LEN];
	int n = sg_ppp_session_data_header(c->ppp, SG_PPP_PROTO_IPV4, frame);

	memcpy(frame + n, ip, len);
	assert_int_equal(sg_sstp_client_ppp_tx(&c->sc, frame, (size_t)n + len, hdr), 0);
	append(c->out, &c->out_len, hdr, sizeof(hdr));
	append(c->out, &c->out_len, frame, (size_t)n + len);
}

static void client_free(struct client *c)
{
	sg_ppp_session_free(c->ppp);
	sg_sstp_client_fini(&c->sc);
}

/* ---- server side ---- */

static const uint8_t eap_chal[16] = "0123456789abcdef";

/* One RADIUS round of an EAP server for "alice" / "correct horse" (answered in the callback,
 * which the tunnel must defer): identity -> MD5 challenge; a Nak for 26 -> MS-CHAPv2
 * challenge; responses checked; the MS-CHAPv2 Success acknowledged -> accept with the MSK. */
static void eap_round(struct server *s, const struct sg_aaa_auth_req *rq, struct sg_aaa_result *res)
{
	const uint8_t *p = rq->eap;
	size_t len = rq->eap_len, n = 0;
	uint8_t *o = res->eap, md5[16], pwh[16];
	const char *pw = "correct horse";

	memset(res, 0, sizeof(*res));
	s->eap_rounds++;
	assert_int_equal(rq->method, SG_AAA_EAP);
	assert_string_equal(rq->user, "alice");
	assert_true(len >= 5 && p[0] == SG_EAP_RESPONSE);
	o[1] = (uint8_t)(p[1] + 1);
	if (p[4] == SG_EAP_TYPE_IDENTITY || (p[4] == SG_EAP_TYPE_NAK && p[5] == SG_EAP_TYPE_MD5)) {
		o[4] = SG_EAP_TYPE_MD5;
		o[5] = 16;
		memcpy(o + 6, eap_chal, 16);
		n = 22;
	} else if (p[4] == SG_EAP_TYPE_NAK) {
		o[4] = SG_EAP_TYPE_MSCHAPV2;
		o[5] = SG_EAP_MSCHAPV2_CHALLENGE;
		o[6] = o[1];
		o[7] = 0;
		o[8] = 21;
		o[9] = 16;
		memcpy(o + 10, eap_chal, 16);
		n = 26;
	} else if (p[4] == SG_EAP_TYPE_MD5) {
		res->status = len >= 22 &&
				      sg_ppp_chap_md5(p[1], (const uint8_t *)pw, strlen(pw), eap_chal,
						      16, md5) == 0 &&
				      memcmp(md5, p + 6, 16) == 0
			      ? SG_AAA_ACCEPT
			      : SG_AAA_REJECT;
	} else if (p[4] == SG_EAP_TYPE_MSCHAPV2 && p[5] == SG_EAP_MSCHAPV2_RESPONSE) {
		s->ms_ok = len >= 59 && sg_ppp_nt_password_hash(pw, strlen(pw), pwh) == 0 &&
			   sg_ppp_mschap_verify(pwh, eap_chal, p + 10, (const char *)p + 59,
						len - 59, &s->v) == 0;
		if (!s->ms_ok) {
			res->status = SG_AAA_REJECT;
		} else {
			o[4] = SG_EAP_TYPE_MSCHAPV2;
			o[5] = SG_EAP_MSCHAPV2_SUCCESS;
			o[6] = p[6];
			o[7] = 0;
			o[8] = 4 + 42;
			memcpy(o + 9, s->v.auth_response, 42);
			n = 9 + 42;
		}
	} else {
		res->status = s->ms_ok && p[5] == SG_EAP_MSCHAPV2_SUCCESS ? SG_AAA_ACCEPT
									  : SG_AAA_REJECT;
		if (res->status == SG_AAA_ACCEPT) { /* MSK[0..32): MS-MPPE-Recv-Key || Send-Key */
			memcpy(res->hlak, s->v.recv_key, 16);
			memcpy(res->hlak + 16, s->v.send_key, 16);
			res->has |= SG_AAA_HAS_KEYS;
		}
	}
	if (n > 0) {
		res->status = SG_AAA_CHALLENGE;
		o[0] = SG_EAP_REQUEST;
		s->challenges++;
	} else {
		o[0] = res->status == SG_AAA_ACCEPT ? SG_EAP_SUCCESS : SG_EAP_FAILURE;
		o[1] = p[1];
		n = 4;
	}
	o[2] = (uint8_t)(n >> 8);
	o[3] = (uint8_t)n;
	res->eap_len = n;
}

static void server_event(void *arg, const struct sg_tunnel_event *ev)
{
	struct server *s = arg;
	struct sg_aaa_result res;

	switch (ev->type) {
	case SG_TUNNEL_EV_SEND:
		append(s->out, &s->out_len, ev->data, ev->len);
		break;
	case SG_TUNNEL_EV_AUTH:
		if (s->async) {
			s->request = *ev->auth;
			s->have_request = true;
			break;
		}
		/* Answered from inside the callback: the tunnel must defer it safely. */
		if (s->eap) {
			eap_round(s, ev->auth, &res);
			assert_int_equal(sg_tunnel_auth_result(s->t, &res, s->now), 0);
			break;
		}
		assert_int_equal(sg_aaa_local_auth(s->users, ev->auth, &res), 0);
		assert_int_equal(sg_tunnel_auth_result(s->t, &res, s->now), 0);
		sg_aaa_result_wipe(&res);
		break;
	case SG_TUNNEL_EV_OPEN:
		s->open = true;
		break;
	case SG_TUNNEL_EV_IPV4_UP:
		s->ipv4_up = true;
		break;
	case SG_TUNNEL_EV_IP:
		assert_int_equal(ev->proto, SG_PPP_PROTO_IPV4);
		memcpy(s->ip, ev->data, ev->len);
		s->ip_len = ev->len;
		s->ips++;
		break;
	case SG_TUNNEL_EV_CLOSE:
		s->closed = true;
		s->closes++;
		s->reason = ev->reason;
		break;
	default:
		break;
	}
}

static void server_init(struct server *s, bool pap_only)
{
	static const char users[] = "[{\"name\": \"alice\", \"password\": \"correct horse\"}]";
	char err[256];

	memset(s, 0, sizeof(*s));
	sg_sstp_server_config_init(&s->scfg);
	assert_int_equal(sg_sstp_server_config_set_cert(&s->scfg, fake_cert, sizeof(fake_cert)), 0);
	s->pcfg.role = SG_PPP_ROLE_SERVER;
	s->pcfg.local_ipv4 = 0xcb007101; /* 203.0.113.1 */
	s->pcfg.dns[0] = 0xc6336435;	 /* 198.51.100.53 */
	s->pcfg.disable_ipv6 = true;
	if (pap_only)
		s->pcfg.auth[0] = SG_PPP_AUTH_PAP;
	s->tcfg = (struct sg_tunnel_config){.sstp = &s->scfg, .ppp = &s->pcfg,
					    .sstp_stats = &s->stats};
	s->users = sg_aaa_local_parse("users.json", users, sizeof(users) - 1, err, sizeof(err));
	assert_non_null(s->users);
	s->t = calloc(1, sg_tunnel_size());
	assert_non_null(s->t);
	assert_int_equal(sg_tunnel_init(s->t, &s->tcfg, server_event, s, 0), 0);
	sg_tunnel_set_peer_ipv4(s->t, 0xcb007142); /* 203.0.113.66 from the pool */
}

static void server_free(struct server *s)
{
	sg_tunnel_fini(s->t);
	free(s->t);
	sg_aaa_local_free(s->users);
}

/* Move bytes both ways until nothing moves. */
static void pump(struct client *c, struct server *s)
{
	for (int round = 0; round < 100; round++) {
		uint8_t buf[1 << 16];
		size_t n;

		if (c->out_len == 0 && s->out_len == 0)
			return;
		n = c->out_len;
		memcpy(buf, c->out, n);
		c->out_len = 0;
		if (n)
			sg_tunnel_input(s->t, buf, n, s->now);
		n = s->out_len;
		memcpy(buf, s->out, n);
		s->out_len = 0;
		client_rx(c, buf, n);
	}
	fail_msg("the call did not settle");
}

static void connect_call(struct client *c, struct server *s)
{
	pump(c, s);
	assert_false(s->closed);
	assert_true(c->auth_up);
	assert_true(s->open);
	assert_true(c->ipv4_up);
	assert_true(s->ipv4_up);
	assert_int_equal(sg_tunnel_sstp_state(s->t), SG_SSTP_ST_CONNECTED);
	assert_int_equal(sg_sstp_client_state(&c->sc), SG_SSTP_ST_CONNECTED);
}

static void inner_packets_cross(struct client *c, struct server *s)
{
	uint8_t ip[200], hdr[SG_TUNNEL_HDR_MAX];
	int n;

	for (size_t i = 0; i < sizeof(ip); i++)
		ip[i] = (uint8_t)(i * 7);
	ip[0] = 0x45;
	client_send_ip(c, ip, sizeof(ip));
	pump(c, s);
	assert_int_equal(s->ips, 1);
	assert_int_equal(s->ip_len, sizeof(ip));
	assert_memory_equal(s->ip, ip, sizeof(ip));
	ip[1] = 0x99;
	n = sg_tunnel_data_header(s->t, SG_PPP_PROTO_IPV4, sizeof(ip), hdr);
	assert_true(n > SG_SSTP_HDR_LEN);
	append(s->out, &s->out_len, hdr, (size_t)n);
	append(s->out, &s->out_len, ip, sizeof(ip));
	pump(c, s);
	assert_int_equal(c->ips, 1);
	assert_memory_equal(c->ip, ip, sizeof(ip));
}

static void mschapv2_call_binds_crypto_and_moves_packets_both_ways(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	connect_call(&c, &s);
	assert_int_equal(sg_tunnel_info(s.t)->auth, SG_PPP_AUTH_MSCHAPV2);
	assert_int_equal(c.got_ipv4, 0xcb007142);
	inner_packets_cross(&c, &s);
	server_free(&s);
	client_free(&c);
}

static void pap_call_binds_with_a_zero_hlak(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", SG_PPP_AUTH_PAP); /* NAKs MS-CHAPv2 */
	connect_call(&c, &s);
	assert_int_equal(sg_tunnel_info(s.t)->auth, SG_PPP_AUTH_PAP);
	inner_packets_cross(&c, &s);
	server_free(&s);
	client_free(&c);
}

static void an_answer_that_comes_later_completes_the_call(void **state)
{
	struct client c;
	struct server s;
	struct sg_aaa_result res;
	(void)state;

	server_init(&s, false);
	s.async = true;
	client_init(&c, "alice", "correct horse", 0);
	pump(&c, &s);
	assert_true(s.have_request);
	assert_false(s.open);
	s.now = c.now = 2 * SEC; /* RADIUS took two seconds */
	assert_int_equal(sg_aaa_local_auth(s.users, &s.request, &res), 0);
	res.framed_ip = htonl(0xcb007177);
	res.has |= SG_AAA_HAS_FRAMED_IP;
	assert_int_equal(sg_tunnel_auth_result(s.t, &res, s.now), 0);
	assert_int_equal(sg_tunnel_auth_result(s.t, &res, s.now), -ESTALE);
	connect_call(&c, &s);
	assert_int_equal(c.got_ipv4, 0xcb007177); /* Framed-IP-Address wins over the pool */
	server_free(&s);
	client_free(&c);
}

static void a_wrong_password_ends_the_call(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "battery staple", 0);
	for (int i = 0; i < 20 && !s.closed; i++) {
		pump(&c, &s);
		s.now = c.now += 2 * SEC;
		sg_tunnel_timer(s.t, s.now);
	}
	assert_true(s.closed);
	assert_int_equal(s.closes, 1);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_AUTH_FAILED);
	assert_false(s.open);
	server_free(&s);
	client_free(&c);
}

static void a_wrong_compound_mac_aborts(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	c.corrupt_hlak = true;
	pump(&c, &s);
	for (int i = 0; i < 10 && !s.closed; i++) {
		s.now = c.now += SEC;
		sg_tunnel_timer(s.t, s.now);
		pump(&c, &s);
	}
	assert_false(s.open);
	assert_true(s.closed);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_SSTP_ABORT);
	server_free(&s);
	client_free(&c);
}

/* EAP relayed in rounds: MD5 binds with a zero HLAK, MS-CHAPv2 with the MSK (a wrong one
 * aborts), a wrong password ends the call as an authentication failure. */
static void eap_call(struct client *c, struct server *s, uint8_t type, const char *pw)
{
	server_init(s, false);
	s->eap = true;
	s->pcfg.auth[0] = SG_PPP_AUTH_EAP;
	s->pcfg.auth[1] = SG_PPP_AUTH_MSCHAPV2;
	sg_tunnel_fini(s->t); /* lib/ppp reads the method order at init */
	assert_int_equal(sg_tunnel_init(s->t, &s->tcfg, server_event, s, 0), 0);
	sg_tunnel_set_peer_ipv4(s->t, 0xcb007142);
	client_init(c, "alice", pw, SG_PPP_AUTH_EAP);
	sg_ppp_session_free(c->ppp);
	c->pcfg.eap_type = type;
	c->ppp = sg_ppp_session_new(&c->pcfg, client_ppp, c);
	assert_non_null(c->ppp);
}

static void eap_md5_and_mschapv2_calls_bind_with_their_hlak(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	eap_call(&c, &s, SG_EAP_TYPE_MD5, "correct horse");
	connect_call(&c, &s);
	assert_int_equal(sg_tunnel_info(s.t)->auth, SG_PPP_AUTH_EAP);
	assert_int_equal(s.challenges, 1);
	assert_false(sg_ppp_session_info(c.ppp)->has_keys);
	inner_packets_cross(&c, &s);
	server_free(&s);
	client_free(&c);

	eap_call(&c, &s, SG_EAP_TYPE_MSCHAPV2, "correct horse");
	connect_call(&c, &s);
	assert_int_equal(s.challenges, 3); /* md5 naked, mschapv2 challenge, success */
	assert_true(sg_ppp_session_info(c.ppp)->has_keys);
	inner_packets_cross(&c, &s);
	server_free(&s);
	client_free(&c);
}

static void eap_wrong_msk_aborts_and_wrong_password_fails(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	eap_call(&c, &s, SG_EAP_TYPE_MSCHAPV2, "correct horse");
	c.corrupt_hlak = true;
	pump(&c, &s);
	for (int i = 0; i < 10 && !s.closed; i++) {
		s.now = c.now += SEC;
		sg_tunnel_timer(s.t, s.now);
		pump(&c, &s);
	}
	assert_true(c.auth_up);
	assert_false(s.open);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_SSTP_ABORT);
	server_free(&s);
	client_free(&c);

	eap_call(&c, &s, SG_EAP_TYPE_MD5, "battery staple");
	for (int i = 0; i < 20 && !s.closed; i++) {
		pump(&c, &s);
		s.now = c.now += 2 * SEC;
		sg_tunnel_timer(s.t, s.now);
	}
	assert_true(s.closed);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_AUTH_FAILED);
	assert_false(c.auth_up);
	server_free(&s);
	client_free(&c);
}

/* sstpc answers our ABORT by dying (no ABORT back): the call still ended by our abort. */
static void a_transport_lost_during_our_abort_keeps_the_abort_reason(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	c.corrupt_hlak = true;
	pump(&c, &s);
	assert_false(s.open);
	assert_false(s.closed);
	sg_tunnel_lower_down(s.t, s.now);
	assert_true(s.closed);
	assert_int_equal(s.closes, 1);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_SSTP_ABORT);
	server_free(&s);
	client_free(&c);
}

static void a_browser_gets_an_http_error(void **state)
{
	static const char get[] = "GET / HTTP/1.1\r\nHost: gw.example\r\n\r\n";
	struct server s;
	(void)state;

	server_init(&s, false);
	assert_int_equal(sg_tunnel_input(s.t, (const uint8_t *)get, sizeof(get) - 1, 0), -EPIPE);
	assert_true(s.closed);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_HTTP_REFUSED);
	assert_true(s.out_len > 12);
	assert_memory_equal(s.out, "HTTP/1.1 4", 10);
	assert_int_equal(sg_tunnel_input(s.t, (const uint8_t *)"x", 1, 0), -EPIPE);
	server_free(&s);
}

static void a_silent_client_times_out(void **state)
{
	struct client c;
	struct server s;
	sg_usec_t d;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	sg_tunnel_input(s.t, c.out, c.out_len, 0); /* the HTTP request, then nothing */
	for (int i = 0; i < 10 && !s.closed; i++) {
		d = sg_tunnel_deadline(s.t);
		assert_true(d <= 70 * SEC);
		sg_tunnel_timer(s.t, d);
	}
	assert_true(s.closed);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_SSTP_TIMEOUT);
	assert_int_equal(sg_tunnel_deadline(s.t), UINT64_MAX);
	server_free(&s);
	client_free(&c);
}

static void an_admin_disconnect_is_graceful(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	connect_call(&c, &s);
	sg_tunnel_disconnect(s.t, 10 * SEC);
	assert_false(sg_tunnel_is_open(s.t));
	pump(&c, &s);
	for (int i = 0; i < 5 && !s.closed; i++)
		sg_tunnel_timer(s.t, sg_tunnel_deadline(s.t));
	assert_true(s.closed);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_ADMIN);
	assert_true(c.closed || sg_sstp_client_state(&c.sc) == SG_SSTP_ST_DISCONNECT_TIMEOUT);
	server_free(&s);
	client_free(&c);
}

static void the_data_path_refuses_what_it_cannot_carry(void **state)
{
	struct client c;
	struct server s;
	uint8_t hdr[SG_TUNNEL_HDR_MAX];
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	assert_int_equal(sg_tunnel_data_header(s.t, SG_PPP_PROTO_IPV4, 100, hdr), -EAGAIN);
	connect_call(&c, &s);
	assert_int_equal(sg_tunnel_data_header(s.t, SG_PPP_PROTO_IPV6, 100, hdr), -EAGAIN);
	assert_int_equal(sg_tunnel_data_header(s.t, SG_PPP_PROTO_IPV4, 5000, hdr), -EMSGSIZE);
	assert_int_equal(sg_tunnel_data_header(s.t, 0xc021, 100, hdr), -EAGAIN);
	sg_tunnel_lower_down(s.t, 20 * SEC);
	sg_tunnel_lower_down(s.t, 20 * SEC);
	assert_int_equal(s.closes, 1);
	assert_int_equal(s.reason, SG_TUNNEL_REASON_TRANSPORT);
	assert_int_equal(sg_tunnel_data_header(s.t, SG_PPP_PROTO_IPV4, 100, hdr), -EAGAIN);
	server_free(&s);
	client_free(&c);
}

static void bytes_split_anywhere_still_connect(void **state)
{
	struct client c;
	struct server s;
	(void)state;

	server_init(&s, false);
	client_init(&c, "alice", "correct horse", 0);
	for (int round = 0; round < 100 && !s.open; round++) {
		uint8_t buf[1 << 16];
		size_t n = c.out_len;

		memcpy(buf, c.out, n);
		c.out_len = 0;
		for (size_t i = 0; i < n; i++) /* one byte at a time into the tunnel */
			sg_tunnel_input(s.t, buf + i, 1, 0);
		n = s.out_len;
		memcpy(buf, s.out, n);
		s.out_len = 0;
		client_rx(&c, buf, n);
	}
	assert_true(s.open);
	server_free(&s);
	client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mschapv2_call_binds_crypto_and_moves_packets_both_ways),
		cmocka_unit_test(pap_call_binds_with_a_zero_hlak),
		cmocka_unit_test(an_answer_that_comes_later_completes_the_call),
		cmocka_unit_test(a_wrong_password_ends_the_call),
		cmocka_unit_test(a_wrong_compound_mac_aborts),
		cmocka_unit_test(a_transport_lost_during_our_abort_keeps_the_abort_reason),
		cmocka_unit_test(a_browser_gets_an_http_error),
		cmocka_unit_test(a_silent_client_times_out),
		cmocka_unit_test(an_admin_disconnect_is_graceful),
		cmocka_unit_test(the_data_path_refuses_what_it_cannot_carry),
		cmocka_unit_test(bytes_split_anywhere_still_connect),
		cmocka_unit_test(eap_md5_and_mschapv2_calls_bind_with_their_hlak),
		cmocka_unit_test(eap_wrong_msk_aborts_and_wrong_password_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
