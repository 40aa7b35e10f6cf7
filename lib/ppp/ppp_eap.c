/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAP inside PPP (RFC 3748, protocol 0xc227).
 *
 * Authenticator: a pass-through. It asks for the peer's identity itself
 * (Request/Identity, retransmitted on the restart timer), then hands every
 * EAP Response to the AAA backend (SG_PPP_ACT_AUTH_REQUEST with the whole
 * packet) and relays what comes back: a Request (result.challenge) for another
 * round, or the backend's Success/Failure, which ends the phase. It never
 * interprets a method.
 *
 * Peer (load generator, test clients): Identity, Notification, EAP-MD5
 * (RFC 3748 §5.4) and EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2: the
 * MS-CHAPv2 exchange of RFC 2759 in EAP, the authenticator response checked
 * before the peer trusts EAP-Success; the MSK is the MPPE keys of RFC 3079,
 * so the crypto binding HLAK is the peer's send || receive key, as with plain
 * MS-CHAPv2). Any other method is Nak'ed with the one we can do.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ppp_private.h"
#include "sg_log.h"
#include "sg_ppp_crypto.h"

enum ppp_eap_stage { EAP_IDENTITY = 0, EAP_RELAY = 1 };

/* Offsets inside an EAP-MSCHAPv2 packet (after the 4-byte EAP header). */
#define MS_TYPE	  4
#define MS_OP	  5
#define MS_ID	  6
#define MS_LEN	  7 /* 2 bytes: the length from the op code on */
#define MS_DATA	  9 /* value size (Challenge/Response) or message (Success/Failure) */
#define MS_CHAL_H (MS_DATA + 1)

static void send_eap(struct sg_ppp_session *s, uint8_t code, uint8_t id, const uint8_t *data,
		     size_t len)
{
	ppp_send_cp(s, SG_PPP_PROTO_EAP, code, id, data, len);
}

/* ---- authenticator ---------------------------------------------------------------- */

static void send_identity_request(struct sg_ppp_session *s)
{
	uint8_t type = SG_EAP_TYPE_IDENTITY;

	send_eap(s, SG_EAP_REQUEST, s->a.id, &type, 1);
	s->a.deadline = s->now + s->restart_usec;
}

void ppp_eap_start(struct sg_ppp_session *s)
{
	struct ppp_auth *a = &s->a;

	a->eap_stage = EAP_IDENTITY;
	a->eap_ms_ok = false;
	if (s->cfg->role != SG_PPP_ROLE_SERVER)
		return; /* the peer waits for the authenticator's requests */
	if (sg_ppp_random(&a->id, 1) != 0) {
		PPP_CNT(s, crypto_error);
		ppp_auth_finish(s, false);
		return;
	}
	a->tries = 1;
	send_identity_request(s);
}

void ppp_eap_timer(struct sg_ppp_session *s)
{
	/* Only the Identity request is ours to repeat: relayed requests belong to the backend,
	 * and SSTP runs over TCP. The phase limit ends a peer that stays silent. */
	if (s->cfg->role == SG_PPP_ROLE_SERVER && s->a.eap_stage == EAP_IDENTITY)
		send_identity_request(s);
}

/* The verdict again, for a Response retransmitted after it (RFC 3748 §4.2). */
static void server_resend_verdict(struct sg_ppp_session *s, uint8_t id)
{
	if (id == s->a.id)
		send_eap(s, s->a.last_code, id, NULL, 0);
	else
		PPP_CNT(s, drop_bad_id);
}

static void server_input(struct sg_ppp_session *s, const uint8_t *p, size_t len)
{
	struct ppp_auth *a = &s->a;
	struct sg_ppp_auth_request rq;

	if (p[0] != SG_EAP_RESPONSE || len < SG_EAP_HDR_LEN + 1) {
		PPP_CNT(s, drop_bad_auth); /* only Responses (with a type) come from a peer */
		return;
	}
	if (a->state == AUTH_DONE && a->decided) {
		server_resend_verdict(s, p[1]);
		return;
	}
	if (a->state != AUTH_RUNNING || a->pending) {
		PPP_CNT(s, drop_wrong_state);
		return;
	}
	if (p[1] != a->id) {
		PPP_CNT(s, drop_bad_id);
		return;
	}
	if (a->eap_stage == EAP_IDENTITY) {
		/* The first answer must name the peer; Notification/Nak here make no sense. */
		if (p[4] != SG_EAP_TYPE_IDENTITY || len - 5 > SG_PPP_NAME_MAX ||
		    memchr(p + 5, '\0', len - 5) != NULL) {
			PPP_CNT(s, drop_bad_auth);
			return;
		}
		ppp_auth_set_user(s, p + 5, len - 5);
		a->eap_stage = EAP_RELAY;
		a->deadline = SG_PPP_NO_DEADLINE;
	}
	memset(&rq, 0, sizeof(rq));
	rq.user = s->info.user;
	rq.user_len = strnlen(s->info.user, SG_PPP_NAME_MAX);
	rq.eap = p;
	rq.eap_len = len;
	ppp_auth_emit_request(s, &rq);
}

int ppp_eap_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r)
{
	struct ppp_auth *a = &s->a;
	const uint8_t *e = r->eap;
	size_t n = r->eap_len;
	bool ok = r->accept;
	int rc = 0;

	if (e != NULL && (n < SG_EAP_HDR_LEN || n > SG_EAP_MAX || ppp_get16(e + 2) != n)) {
		SG_LOG(PPP, WARNING, "eap: backend packet malformed (%zu bytes); refusing", n);
		e = NULL;
		ok = false;
		rc = -EINVAL;
	} else if (r->challenge) {
		if (e != NULL && e[0] == SG_EAP_REQUEST && n > SG_EAP_HDR_LEN &&
		    n + SG_PPP_HDR_MAX <= s->info.peer_mru) {
			a->id = e[1];
			send_eap(s, e[0], e[1], e + SG_EAP_HDR_LEN, n - SG_EAP_HDR_LEN);
			return 0; /* the peer's answer is the next request */
		}
		SG_LOG(PPP, WARNING, "eap: challenge without a Request that fits; refusing");
		e = NULL;
		ok = false;
		rc = -EINVAL;
	} else if (e != NULL && e[0] != (ok ? SG_EAP_SUCCESS : SG_EAP_FAILURE)) {
		/* An accept must carry Success (a Failure there is a contradiction); a reject
		 * always sends Failure whatever the backend put in it. */
		if (ok)
			rc = -EINVAL;
		e = NULL;
		ok = false;
	}
	a->last_code = ok ? SG_EAP_SUCCESS : SG_EAP_FAILURE;
	if (e != NULL)
		a->id = e[1]; /* the backend's identifier (the Response's) */
	a->decided = true;
	send_eap(s, a->last_code, a->id, NULL, 0);
	if (ok && r->has_keys) {
		s->info.has_keys = true;
		memcpy(s->info.send_key, r->send_key, SG_MPPE_KEY_LEN);
		memcpy(s->info.recv_key, r->recv_key, SG_MPPE_KEY_LEN);
	}
	if (ok && r->peer_ipv4 != 0)
		s->info.peer_ipv4 = r->peer_ipv4;
	ppp_auth_finish(s, ok);
	return rc;
}

/* ---- peer ------------------------------------------------------------------------- */

static uint8_t peer_wants(const struct sg_ppp_session *s, uint8_t offered)
{
	uint8_t t = s->cfg->eap_type;

	if (t == 0 && (offered == SG_EAP_TYPE_MD5 || offered == SG_EAP_TYPE_MSCHAPV2))
		return offered;
	if (t == offered)
		return offered;
	return 0;
}

static void peer_nak(struct sg_ppp_session *s, uint8_t id)
{
	uint8_t b[3] = {SG_EAP_TYPE_NAK, SG_EAP_TYPE_MSCHAPV2, SG_EAP_TYPE_MD5};
	size_t n = 3;

	if (s->cfg->eap_type != 0) {
		b[1] = s->cfg->eap_type;
		n = 2;
	}
	send_eap(s, SG_EAP_RESPONSE, id, b, n);
}

static void peer_md5(struct sg_ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t b[2 + SG_CHAP_MD5_LEN + SG_PPP_NAME_MAX];
	size_t vs, ul = strnlen(s->cfg->user, SG_PPP_NAME_MAX);
	size_t pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX);

	if (len < 6 || (vs = p[5]) == 0 || 6 + vs > len) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	b[0] = SG_EAP_TYPE_MD5;
	b[1] = SG_CHAP_MD5_LEN;
	if (sg_ppp_chap_md5(id, (const uint8_t *) s->cfg->password, pl, p + 6, vs, b + 2) != 0) {
		PPP_CNT(s, crypto_error);
		ppp_auth_finish(s, false);
		return;
	}
	memcpy(b + 2 + SG_CHAP_MD5_LEN, s->cfg->user, ul);
	s->a.eap_stage = SG_EAP_TYPE_MD5;
	send_eap(s, SG_EAP_RESPONSE, id, b, 2 + SG_CHAP_MD5_LEN + ul);
}

static void peer_ms_challenge(struct sg_ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	struct ppp_auth *a = &s->a;
	uint8_t b[1 + SG_EAP_MSCHAPV2_HDR_LEN + 1 + SG_MSCHAP_RESPONSE_LEN + SG_PPP_NAME_MAX];
	struct sg_mschap_response *r = (struct sg_mschap_response *) (b + 6);
	size_t ul = strnlen(s->cfg->user, SG_PPP_NAME_MAX);
	size_t pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX), n;
	uint8_t pwh[16];
	int rc;

	if (len < MS_CHAL_H + SG_MSCHAP_CHALLENGE_LEN || p[MS_DATA] != SG_MSCHAP_CHALLENGE_LEN) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	memcpy(a->challenge, p + MS_CHAL_H, SG_MSCHAP_CHALLENGE_LEN);
	a->challenge_len = SG_MSCHAP_CHALLENGE_LEN;
	rc = sg_ppp_nt_password_hash(s->cfg->password, pl, pwh);
	if (rc == 0)
		rc = sg_ppp_random(a->peer_chal, sizeof(a->peer_chal));
	if (rc == 0)
		rc = sg_ppp_mschap_nt_response(a->challenge, a->peer_chal, s->cfg->user, ul, pwh,
					       a->nt_response);
	if (rc == 0)
		rc = sg_ppp_mschap_authenticator_response(pwh, a->nt_response, a->peer_chal,
							  a->challenge, s->cfg->user, ul,
							  a->auth_resp);
	OPENSSL_cleanse(pwh, sizeof(pwh));
	if (rc != 0) {
		PPP_CNT(s, crypto_error);
		SG_LOG(PPP, ERR, "eap: MS-CHAPv2 response failed (%d)", rc);
		ppp_auth_finish(s, false);
		return;
	}
	n = 6 + SG_MSCHAP_RESPONSE_LEN + ul;
	b[0] = SG_EAP_TYPE_MSCHAPV2;
	b[1] = SG_EAP_MSCHAPV2_RESPONSE;
	b[2] = p[MS_ID];
	ppp_put16(b + 3, (uint16_t) (n - 1));
	b[5] = SG_MSCHAP_RESPONSE_LEN;
	memcpy(r->peer_challenge, a->peer_chal, sizeof(r->peer_challenge));
	memset(r->reserved, 0, sizeof(r->reserved));
	memcpy(r->nt_response, a->nt_response, sizeof(r->nt_response));
	r->flags = 0;
	memcpy(b + 6 + SG_MSCHAP_RESPONSE_LEN, s->cfg->user, ul);
	a->eap_stage = SG_EAP_TYPE_MSCHAPV2;
	a->eap_ms_id = p[MS_ID];
	a->eap_ms_ok = false;
	a->tries = 1;
	send_eap(s, SG_EAP_RESPONSE, id, b, n);
}

/* Success request: "S=<40 hex> M=..." must be the authenticator response we expect. */
static void peer_ms_success(struct sg_ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	struct ppp_auth *a = &s->a;
	uint8_t b[2] = {SG_EAP_TYPE_MSCHAPV2, SG_EAP_MSCHAPV2_SUCCESS};
	size_t pl = strnlen(s->cfg->password, SG_PPP_PASSWORD_MAX);
	uint8_t pwh[16];
	char want[SG_MSCHAP_AUTH_RESP_LEN + 1];
	size_t i;

	if (a->eap_stage != SG_EAP_TYPE_MSCHAPV2 || p[MS_ID] != a->eap_ms_id) {
		PPP_CNT(s, drop_bad_id);
		return;
	}
	if (len < MS_DATA + SG_MSCHAP_AUTH_RESP_LEN) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	/* Normalise the hex digits' case before the constant-time compare. */
	for (i = 0; i < SG_MSCHAP_AUTH_RESP_LEN; i++) {
		char c = (char) p[MS_DATA + i];
		want[i] = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
	}
	want[SG_MSCHAP_AUTH_RESP_LEN] = '\0';
	if (CRYPTO_memcmp(want, a->auth_resp, SG_MSCHAP_AUTH_RESP_LEN) != 0) {
		SG_LOG(PPP, WARNING, "eap: MS-CHAPv2 authenticator response does not verify");
		ppp_auth_finish(s, false);
		return;
	}
	if (sg_ppp_nt_password_hash(s->cfg->password, pl, pwh) != 0 ||
	    sg_ppp_mppe_keys(pwh, a->nt_response, 0, s->info.send_key, s->info.recv_key) != 0) {
		OPENSSL_cleanse(pwh, sizeof(pwh));
		PPP_CNT(s, crypto_error);
		ppp_auth_finish(s, false);
		return;
	}
	OPENSSL_cleanse(pwh, sizeof(pwh));
	a->eap_ms_ok = true;
	send_eap(s, SG_EAP_RESPONSE, id, b, sizeof(b));
}

static void peer_mschapv2(struct sg_ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t b[2] = {SG_EAP_TYPE_MSCHAPV2, SG_EAP_MSCHAPV2_FAILURE};

	/* MS-Length counts from the op code: it must agree with the EAP length. */
	if (len < MS_DATA || ppp_get16(p + MS_LEN) != len - MS_OP) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	switch (p[MS_OP]) {
	case SG_EAP_MSCHAPV2_CHALLENGE:
		peer_ms_challenge(s, id, p, len);
		return;
	case SG_EAP_MSCHAPV2_SUCCESS:
		peer_ms_success(s, id, p, len);
		return;
	case SG_EAP_MSCHAPV2_FAILURE: /* acknowledged; EAP-Failure follows */
		s->a.eap_ms_ok = false;
		send_eap(s, SG_EAP_RESPONSE, id, b, sizeof(b));
		return;
	default:
		PPP_CNT(s, drop_bad_auth);
		return;
	}
}

static void peer_request(struct sg_ppp_session *s, const uint8_t *p, size_t len)
{
	uint8_t id = p[1], type, b[1 + SG_PPP_NAME_MAX];
	size_t ul;

	if (len < SG_EAP_HDR_LEN + 1) {
		PPP_CNT(s, drop_bad_auth);
		return;
	}
	s->a.resp_id = id;
	type = p[4];
	switch (type) {
	case SG_EAP_TYPE_IDENTITY:
		ul = strnlen(s->cfg->user, SG_PPP_NAME_MAX);
		b[0] = SG_EAP_TYPE_IDENTITY;
		memcpy(b + 1, s->cfg->user, ul);
		send_eap(s, SG_EAP_RESPONSE, id, b, 1 + ul);
		return;
	case SG_EAP_TYPE_NOTIFICATION:
		b[0] = SG_EAP_TYPE_NOTIFICATION;
		send_eap(s, SG_EAP_RESPONSE, id, b, 1);
		return;
	case SG_EAP_TYPE_NAK: /* only a Response may be a Nak */
		PPP_CNT(s, drop_bad_auth);
		return;
	default:
		break;
	}
	if (peer_wants(s, type) == SG_EAP_TYPE_MD5)
		peer_md5(s, id, p, len);
	else if (peer_wants(s, type) == SG_EAP_TYPE_MSCHAPV2)
		peer_mschapv2(s, id, p, len);
	else
		peer_nak(s, id);
}

static void peer_input(struct sg_ppp_session *s, const uint8_t *p, size_t len)
{
	struct ppp_auth *a = &s->a;

	if (a->state != AUTH_RUNNING) {
		PPP_CNT(s, drop_wrong_state);
		return;
	}
	switch (p[0]) {
	case SG_EAP_REQUEST:
		peer_request(s, p, len);
		return;
	case SG_EAP_SUCCESS:
		if (a->eap_stage == 0) {
			PPP_CNT(s, drop_wrong_state); /* no method ran: nothing was proved */
			return;
		}
		if (p[1] != a->resp_id) {
			PPP_CNT(s, drop_bad_id);
			return;
		}
		ppp_auth_set_user(s, (const uint8_t *) s->cfg->user,
				  strnlen(s->cfg->user, SG_PPP_NAME_MAX));
		/* EAP-MSCHAPv2: the server must have proved it knows the password. */
		if (a->eap_stage == SG_EAP_TYPE_MSCHAPV2 && !a->eap_ms_ok) {
			SG_LOG(PPP, WARNING, "eap: Success without a verified MS-CHAPv2 Success");
			ppp_auth_finish(s, false);
			return;
		}
		s->info.has_keys = a->eap_stage == SG_EAP_TYPE_MSCHAPV2;
		ppp_auth_finish(s, true);
		return;
	case SG_EAP_FAILURE:
		if (p[1] != a->resp_id) {
			PPP_CNT(s, drop_bad_id);
			return;
		}
		ppp_auth_finish(s, false);
		return;
	default: /* a Response, or an unknown code */
		PPP_CNT(s, drop_bad_auth);
		return;
	}
}

void ppp_eap_input(struct sg_ppp_session *s, const uint8_t *pkt, size_t len)
{
	if (s->cfg->role == SG_PPP_ROLE_SERVER)
		server_input(s, pkt, len);
	else
		peer_input(s, pkt, len);
}
