/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Authentication phase: PAP (RFC 1334), CHAP-MD5 (RFC 1994) and MS-CHAPv2
 * (RFC 2759), authenticator and peer. The authenticator never decides: it
 * emits SG_PPP_ACT_AUTH_REQUEST and waits for sg_ppp_session_auth_result().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ppp_private.h"
#include "sg_log.h"
#include "sg_ppp_crypto.h"

static bool is_server(const struct sg_ppp_session *s)
{
	return s->cfg->role == SG_PPP_ROLE_SERVER;
}

static uint16_t method_proto(uint8_t m)
{
	return m == SG_PPP_AUTH_PAP   ? SG_PPP_PROTO_PAP
	       : m == SG_PPP_AUTH_EAP ? SG_PPP_PROTO_EAP
				      : SG_PPP_PROTO_CHAP;
}

void ppp_auth_finish(struct sg_ppp_session *s, bool ok)
{
	struct ppp_auth *a = &s->a;

	a->state = AUTH_DONE;
	a->deadline = SG_PPP_NO_DEADLINE;
	a->phase_limit = SG_PPP_NO_DEADLINE;
	if (ok) {
		PPP_CNT(s, auth_ok);
		s->info.auth = (enum sg_ppp_auth_method) s->l.auth_method;
		ppp_emit(s, SG_PPP_ACT_AUTH_UP);
	} else {
		PPP_CNT(s, auth_fail);
	}
	ppp_session_auth_done(s, ok);
}

void ppp_auth_set_user(struct sg_ppp_session *s, const uint8_t *name, size_t len)
{
	len = SG_MIN(len, (size_t) SG_PPP_NAME_MAX);
	memcpy(s->info.user, name, len);
	s->info.user[len] = '\0';
}

static void send_challenge(struct sg_ppp_session *s)
{
	struct ppp_auth *a = &s->a;
	const char *name = s->cfg->name != NULL ? s->cfg->name : "sstpgw";
	size_t nlen = strnlen(name, SG_PPP_NAME_MAX);
	uint8_t buf[1 + SG_MSCHAP_CHALLENGE_LEN + SG_PPP_NAME_MAX];

	buf[0] = a->challenge_len;
	memcpy(buf + 1, a->challenge, a->challenge_len);
	memcpy(buf + 1 + a->challenge_len, name, nlen);
	ppp_send_cp(s, SG_PPP_PROTO_CHAP, SG_CHAP_CHALLENGE, a->id, buf,
		    1 + a->challenge_len + nlen);
	a->deadline = s->now + s->restart_usec;
}

static void peer_send_pap(struct sg_ppp_session *s)
{
	struct ppp_auth *a = &s->a;
	uint8_t buf[2 + SG_PPP_NAME_MAX + SG_PPP_PASSWORD_MAX];
	size_t ul = strnlen(s->cfg->user, SG_PPP_NAME_MAX);
	size_t pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX);

	buf[0] = (uint8_t) ul;
	memcpy(buf + 1, s->cfg->user, ul);
	buf[1 + ul] = (uint8_t) pl;
	memcpy(buf + 2 + ul, s->cfg->password, pl);
	a->id++;
	ppp_send_cp(s, SG_PPP_PROTO_PAP, SG_PAP_REQ, a->id, buf, 2 + ul + pl);
	OPENSSL_cleanse(buf, sizeof(buf));
	a->deadline = s->now + s->restart_usec;
}

void ppp_auth_start(struct sg_ppp_session *s)
{
	struct ppp_auth *a = &s->a;
	uint8_t m = s->l.auth_method;

	memset(a, 0, offsetof(struct ppp_auth, seq));
	a->state = AUTH_RUNNING;
	a->deadline = SG_PPP_NO_DEADLINE;
	a->phase_limit = s->now + s->auth_timeout_usec;
	if (m == SG_PPP_AUTH_EAP) {
		ppp_eap_start(s);
		return;
	}
	if (is_server(s)) {
		if (m == SG_PPP_AUTH_PAP)
			return; /* the peer speaks first */
		a->challenge_len = SG_MSCHAP_CHALLENGE_LEN;
		if (sg_ppp_random(a->challenge, a->challenge_len) != 0 ||
		    sg_ppp_random(&a->id, 1) != 0) {
			PPP_CNT(s, crypto_error);
			ppp_auth_finish(s, false);
			return;
		}
		a->tries = 1;
		send_challenge(s);
	} else if (m == SG_PPP_AUTH_PAP) {
		a->tries = 1;
		peer_send_pap(s);
	}
}

void ppp_auth_stop(struct sg_ppp_session *s)
{
	s->a.state = AUTH_IDLE;
	s->a.pending = false;
	s->a.deadline = SG_PPP_NO_DEADLINE;
	s->a.phase_limit = SG_PPP_NO_DEADLINE;
}

void ppp_auth_timer(struct sg_ppp_session *s)
{
	struct ppp_auth *a = &s->a;

	if (a->state != AUTH_RUNNING)
		return;
	if (s->now >= a->phase_limit) {
		PPP_CNT(s, auth_timeout);
		a->state = AUTH_DONE;
		a->deadline = a->phase_limit = SG_PPP_NO_DEADLINE;
		ppp_session_fail(s, SG_PPP_REASON_AUTH_TIMEOUT);
		return;
	}
	if (s->now < a->deadline)
		return;
	a->deadline = SG_PPP_NO_DEADLINE;
	if (a->pending || a->tries >= s->max_configure)
		return; /* waiting for AAA, or out of retries: the phase limit ends it */
	a->tries++;
	if (s->l.auth_method == SG_PPP_AUTH_EAP)
		ppp_eap_timer(s);
	else if (is_server(s))
		send_challenge(s);
	else if (s->l.auth_method == SG_PPP_AUTH_PAP)
		peer_send_pap(s);
}

void ppp_auth_emit_request(struct sg_ppp_session *s, struct sg_ppp_auth_request *rq)
{
	struct sg_ppp_action act = {.type = SG_PPP_ACT_AUTH_REQUEST, .auth = rq, .info = &s->info};

	s->a.pending = true;
	rq->seq = ++s->a.seq;
	rq->method = (enum sg_ppp_auth_method) s->l.auth_method;
	s->fn(s->arg, &act);
}

/* Server: resend the verdict for a retransmitted request/response. */
static void resend_verdict(struct sg_ppp_session *s, uint8_t id)
{
	struct ppp_auth *a = &s->a;
	uint16_t proto = method_proto(s->l.auth_method);
	size_t n = strnlen(a->auth_resp, sizeof(a->auth_resp));

	if (proto == SG_PPP_PROTO_PAP) {
		uint8_t b[1] = {0};
		ppp_send_cp(s, proto, a->last_code, id, b, 1);
	} else {
		ppp_send_cp(s, proto, a->last_code, id, (const uint8_t *) a->auth_resp, n);
	}
}

/* A retransmitted request after the verdict gets the verdict again; a request while one is
 * pending or outside the auth phase is dropped. True when the request is to be decided. */
static bool auth_accepts_request(struct sg_ppp_session *s, uint8_t id)
{
	if (s->a.state == AUTH_DONE && s->a.decided) {
		resend_verdict(s, id);
		return false;
	}
	if (s->a.pending || s->a.state != AUTH_RUNNING) {
		PPP_CNT(s, drop_wrong_state);
		return false;
	}
	return true;
}

static void server_pap(struct sg_ppp_session *s, uint8_t code, uint8_t id, const uint8_t *d,
		       size_t len)
{
	struct sg_ppp_auth_request rq;
	size_t ul, pl;

	if (code != SG_PAP_REQ || len < 1 || (ul = d[0]) + 2 > len ||
	    (pl = d[1 + ul]) + ul + 2 > len) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	if (!auth_accepts_request(s, id))
		return;
	memset(&rq, 0, sizeof(rq));
	s->a.id = id;
	ppp_auth_set_user(s, d + 1, ul);
	rq.user = (const char *) d + 1;
	rq.user_len = ul;
	rq.password = d + 2 + ul;
	rq.password_len = pl;
	ppp_auth_emit_request(s, &rq);
}

static void server_chap(struct sg_ppp_session *s, uint8_t code, uint8_t id, const uint8_t *d,
			size_t len)
{
	struct sg_ppp_auth_request rq;
	size_t vs, want;

	want = s->l.auth_method == SG_PPP_AUTH_MSCHAPV2 ? SG_MSCHAP_RESPONSE_LEN : SG_CHAP_MD5_LEN;
	if (code != SG_CHAP_RESPONSE || len < 1 || (vs = d[0]) != want || 1 + vs > len ||
	    len - 1 - vs > SG_PPP_NAME_MAX) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	if (id != s->a.id) {
		PPP_CNT(s, drop_bad_id);
		return;
	}
	if (!auth_accepts_request(s, id))
		return;
	memset(&rq, 0, sizeof(rq));
	s->a.deadline = SG_PPP_NO_DEADLINE; /* no more challenges */
	ppp_auth_set_user(s, d + 1 + vs, len - 1 - vs);
	rq.user = (const char *) d + 1 + vs;
	rq.user_len = len - 1 - vs;
	rq.chap_id = id;
	rq.challenge = s->a.challenge;
	rq.challenge_len = s->a.challenge_len;
	rq.response = d + 1;
	rq.response_len = vs;
	ppp_auth_emit_request(s, &rq);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "S=" + 40 hex digits at the start of str (len bytes); normalised upper case into out. */
static int parse_auth_resp(const char *str, size_t len, char out[SG_MSCHAP_AUTH_RESP_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (len < SG_MSCHAP_AUTH_RESP_LEN || (str[0] != 'S' && str[0] != 's') || str[1] != '=')
		return -EINVAL;
	out[0] = 'S';
	out[1] = '=';
	for (i = 2; i < SG_MSCHAP_AUTH_RESP_LEN; i++) {
		int v = hexval(str[i]);
		if (v < 0)
			return -EINVAL;
		out[i] = hex[v];
	}
	out[SG_MSCHAP_AUTH_RESP_LEN] = '\0';
	return 0;
}

int ppp_auth_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r)
{
	struct ppp_auth *a = &s->a;
	uint8_t m = s->l.auth_method;
	char msg[200];
	int n, rc = 0;
	bool ok = r->accept;

	if (!a->pending || r->seq != a->seq || a->state != AUTH_RUNNING)
		return -ESTALE;
	a->pending = false;
	if (m == SG_PPP_AUTH_EAP)
		return ppp_eap_result(s, r);
	if (ok && m == SG_PPP_AUTH_MSCHAPV2 &&
	    (r->mschap2_success == NULL ||
	     parse_auth_resp(r->mschap2_success, strnlen(r->mschap2_success, 64), a->auth_resp) !=
		 0)) {
		SG_LOG(PPP, WARNING,
		       "auth: MS-CHAPv2 accept without a valid S= response; refusing");
		ok = false;
		rc = -EINVAL;
	}
	if (ok) {
		if (m == SG_PPP_AUTH_MSCHAPV2)
			n = snprintf(msg, sizeof(msg), "%s M=%s", a->auth_resp,
				     r->message != NULL ? r->message : "Access granted");
		else
			n = snprintf(msg, sizeof(msg), "%s",
				     r->message != NULL ? r->message : "Access granted");
		a->last_code = m == SG_PPP_AUTH_PAP ? SG_PAP_ACK : SG_CHAP_SUCCESS;
		if (r->has_keys) {
			s->info.has_keys = true;
			memcpy(s->info.send_key, r->send_key, SG_MPPE_KEY_LEN);
			memcpy(s->info.recv_key, r->recv_key, SG_MPPE_KEY_LEN);
		}
		if (r->peer_ipv4 != 0)
			s->info.peer_ipv4 = r->peer_ipv4;
	} else if (m == SG_PPP_AUTH_MSCHAPV2) {
		static const char hex[] = "0123456789ABCDEF";
		char c[2 * SG_MSCHAP_CHALLENGE_LEN + 1];
		int i;

		for (i = 0; i < SG_MSCHAP_CHALLENGE_LEN; i++) {
			c[2 * i] = hex[a->challenge[i] >> 4];
			c[2 * i + 1] = hex[a->challenge[i] & 15];
		}
		c[2 * SG_MSCHAP_CHALLENGE_LEN] = '\0';
		n = snprintf(msg, sizeof(msg), "E=%d R=0 C=%s V=3 M=%s", SG_MSCHAP_ERROR_AUTH_FAIL,
			     c, r->message != NULL ? r->message : "Authentication failed");
		a->last_code = SG_CHAP_FAILURE;
	} else {
		n = snprintf(msg, sizeof(msg), "%s",
			     r->message != NULL ? r->message : "Authentication failed");
		a->last_code = m == SG_PPP_AUTH_PAP ? SG_PAP_NAK : SG_CHAP_FAILURE;
	}
	if (n < 0)
		n = 0;
	n = SG_MIN(n, (int) sizeof(msg) - 1);
	a->decided = true;
	if (m == SG_PPP_AUTH_PAP) {
		uint8_t b[1 + sizeof(msg)];
		n = SG_MIN(n, 255);
		b[0] = (uint8_t) n;
		memcpy(b + 1, msg, (size_t) n);
		ppp_send_cp(s, SG_PPP_PROTO_PAP, a->last_code, a->id, b, 1 + (size_t) n);
	} else {
		ppp_send_cp(s, SG_PPP_PROTO_CHAP, a->last_code, a->id, (const uint8_t *) msg,
			    (size_t) n);
	}
	/* Retransmitted responses get the short form (S= only / status only). */
	if (!ok || m != SG_PPP_AUTH_MSCHAPV2)
		a->auth_resp[0] = '\0';
	ppp_auth_finish(s, ok);
	return rc;
}

static void peer_pap(struct sg_ppp_session *s, uint8_t code, uint8_t id)
{
	if (id != s->a.id) {
		PPP_CNT(s, drop_bad_id);
		return;
	}
	if (code == SG_PAP_ACK) {
		ppp_auth_set_user(s, (const uint8_t *) s->cfg->user,
				  strnlen(s->cfg->user, SG_PPP_NAME_MAX));
		ppp_auth_finish(s, true);
	} else if (code == SG_PAP_NAK) {
		ppp_auth_finish(s, false);
	} else {
		PPP_CNT(s, drop_bad_auth);
	}
}

static void peer_challenge(struct sg_ppp_session *s, uint8_t id, const uint8_t *d, size_t len)
{
	struct ppp_auth *a = &s->a;
	uint8_t m = s->l.auth_method, vs, pwh[16];
	uint8_t buf[1 + SG_MSCHAP_RESPONSE_LEN + SG_PPP_NAME_MAX];
	size_t ul = strnlen(s->cfg->user, SG_PPP_NAME_MAX), pl, rl;
	struct sg_mschap_response *r = (struct sg_mschap_response *) (buf + 1);
	int rc;

	if (len < 1 || (vs = d[0]) == 0 || 1u + vs > len ||
	    (m == SG_PPP_AUTH_MSCHAPV2 && vs != SG_MSCHAP_CHALLENGE_LEN) ||
	    vs > SG_PPP_CHALLENGE_MAX) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX);
	if (m == SG_PPP_AUTH_MSCHAPV2) {
		bool same =
		    a->tries > 0 && a->challenge_len == vs && memcmp(a->challenge, d + 1, vs) == 0;
		rc = sg_ppp_nt_password_hash(s->cfg->password, pl, pwh);
		if (rc == 0 && !same)
			rc = sg_ppp_random(a->peer_chal, sizeof(a->peer_chal));
		if (rc == 0)
			rc = sg_ppp_mschap_nt_response(d + 1, a->peer_chal, s->cfg->user, ul, pwh,
						       a->nt_response);
		if (rc == 0)
			rc = sg_ppp_mschap_authenticator_response(pwh, a->nt_response, a->peer_chal,
								  d + 1, s->cfg->user, ul,
								  a->auth_resp);
		OPENSSL_cleanse(pwh, sizeof(pwh));
		if (rc != 0) {
			PPP_CNT(s, crypto_error);
			SG_LOG(PPP, ERR, "auth: MS-CHAPv2 response failed (%d)", rc);
			ppp_auth_finish(s, false);
			return;
		}
		memcpy(r->peer_challenge, a->peer_chal, sizeof(r->peer_challenge));
		memset(r->reserved, 0, sizeof(r->reserved));
		memcpy(r->nt_response, a->nt_response, sizeof(r->nt_response));
		r->flags = 0;
		rl = SG_MSCHAP_RESPONSE_LEN;
	} else {
		if (sg_ppp_chap_md5(id, (const uint8_t *) s->cfg->password, pl, d + 1, vs,
				    buf + 1) != 0) {
			PPP_CNT(s, crypto_error);
			ppp_auth_finish(s, false);
			return;
		}
		rl = SG_CHAP_MD5_LEN;
	}
	memcpy(a->challenge, d + 1, vs);
	a->challenge_len = vs;
	a->tries = 1;
	buf[0] = (uint8_t) rl;
	memcpy(buf + 1 + rl, s->cfg->user, ul);
	a->resp_id = id;
	ppp_send_cp(s, SG_PPP_PROTO_CHAP, SG_CHAP_RESPONSE, id, buf, 1 + rl + ul);
}

static void peer_chap(struct sg_ppp_session *s, uint8_t code, uint8_t id, const uint8_t *d,
		      size_t len)
{
	struct ppp_auth *a = &s->a;
	char want[SG_MSCHAP_AUTH_RESP_LEN + 1];
	size_t pl;
	uint8_t pwh[16];

	if (code == SG_CHAP_CHALLENGE) {
		peer_challenge(s, id, d, len);
		return;
	}
	if (a->tries == 0 || id != a->resp_id) {
		PPP_CNT(s, drop_bad_id);
		return;
	}
	if (code == SG_CHAP_FAILURE) {
		ppp_auth_finish(s, false);
		return;
	}
	if (code != SG_CHAP_SUCCESS) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	ppp_auth_set_user(s, (const uint8_t *) s->cfg->user,
			  strnlen(s->cfg->user, SG_PPP_NAME_MAX));
	if (s->l.auth_method != SG_PPP_AUTH_MSCHAPV2) {
		ppp_auth_finish(s, true);
		return;
	}
	/* The authenticator must prove it knows the password too. */
	if (parse_auth_resp((const char *) d, len, want) != 0 ||
	    CRYPTO_memcmp(want, a->auth_resp, SG_MSCHAP_AUTH_RESP_LEN) != 0) {
		SG_LOG(PPP, WARNING, "auth: MS-CHAPv2 authenticator response does not verify");
		ppp_auth_finish(s, false);
		return;
	}
	pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX);
	if (sg_ppp_nt_password_hash(s->cfg->password, pl, pwh) != 0 ||
	    sg_ppp_mppe_keys(pwh, a->nt_response, 0, s->info.send_key, s->info.recv_key) != 0) {
		PPP_CNT(s, crypto_error);
		OPENSSL_cleanse(pwh, sizeof(pwh));
		ppp_auth_finish(s, false);
		return;
	}
	OPENSSL_cleanse(pwh, sizeof(pwh));
	s->info.has_keys = true;
	ppp_auth_finish(s, true);
}

void ppp_auth_input(struct sg_ppp_session *s, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint16_t plen;

	if (len < SG_PPP_CP_HDR_LEN) {
		PPP_CNT(s, drop_short);
		return;
	}
	plen = ppp_get16(pkt + 2);
	if (plen < SG_PPP_CP_HDR_LEN || plen > len) {
		PPP_CNT(s, drop_bad_length);
		return;
	}
	if (s->phase != SG_PPP_PHASE_AUTHENTICATE && !(s->a.state == AUTH_DONE && s->a.decided)) {
		PPP_CNT(s, drop_wrong_state);
		return;
	}
	if (proto != method_proto(s->l.auth_method)) {
		PPP_CNT(s, drop_wrong_state);
		return;
	}
	if (proto == SG_PPP_PROTO_EAP)
		ppp_eap_input(s, pkt, plen);
	else if (is_server(s) && proto == SG_PPP_PROTO_PAP)
		server_pap(s, pkt[0], pkt[1], pkt + 4, plen - 4u);
	else if (is_server(s))
		server_chap(s, pkt[0], pkt[1], pkt + 4, plen - 4u);
	else if (s->a.state != AUTH_RUNNING)
		PPP_CNT(s, drop_wrong_state);
	else if (proto == SG_PPP_PROTO_PAP)
		peer_pap(s, pkt[0], pkt[1]);
	else
		peer_chap(s, pkt[0], pkt[1], pkt + 4, plen - 4u);
}
