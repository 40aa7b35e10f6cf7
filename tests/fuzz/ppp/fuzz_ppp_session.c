/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: a PPP session (server role, or peer role when the first byte is
 * odd) fed arbitrary frames, interleaved with a real partner session so the
 * fuzzer reaches authentication and the NCPs, timer expiries and AAA answers.
 *
 * The server proposes PAP, CHAP-MD5, MS-CHAPv2 or EAP (mode byte); for EAP a small
 * stand-in backend relays EAP-MD5 / EAP-MSCHAPv2 rounds, or (op 4) the fuzzer's own
 * bytes as the backend's EAP packet.
 *
 * Input: byte 0 = mode, then records {op, len (1 byte), data}:
 *   op % 6 == 0  inject data as a frame into the target
 *   op % 6 == 1  deliver the partner's queued frames to the target
 *   op % 6 == 2  deliver the target's queued frames to the partner
 *   op % 6 == 3  advance time by data[0] seconds and run both timers
 *   op % 6 == 4  answer a pending auth request (accept if data[0] odd)
 *   op % 6 == 5  close the target (data[0] odd) or lower it down
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_ppp.h"
#include "sg_ppp_crypto.h"

#define QMAX 16

struct fz_side {
	struct sg_ppp_session *s;
	uint8_t q[QMAX][SG_PPP_FRAME_MAX + 16];
	uint16_t ql[QMAX];
	int nq;
	bool pending;
	struct sg_ppp_auth_request rq;
	uint8_t chal[64], resp[64];
	uint8_t user[256];
	uint8_t eap[SG_EAP_MAX];
	struct sg_ppp_mschap_verdict v; /* EAP-MSCHAPv2 stand-in */
	bool ms_ok;
};

static void fz_action(void *arg, const struct sg_ppp_action *a)
{
	struct fz_side *h = arg;

	switch (a->type) {
	case SG_PPP_ACT_SEND:
		if (a->len > sizeof(h->q[0]))
			abort(); /* the library must never emit more than a frame */
		if (h->nq < QMAX) {
			memcpy(h->q[h->nq], a->frame, a->len);
			h->ql[h->nq++] = (uint16_t) a->len;
		}
		break;
	case SG_PPP_ACT_AUTH_REQUEST:
		h->pending = true;
		h->rq = *a->auth;
		if (a->auth->user_len > sizeof(h->user) ||
		    a->auth->response_len > sizeof(h->resp) ||
		    a->auth->challenge_len > sizeof(h->chal))
			abort();
		memcpy(h->user, a->auth->user, a->auth->user_len);
		h->rq.user = (const char *) h->user;
		if (a->auth->response != NULL)
			memcpy(h->resp, a->auth->response, a->auth->response_len);
		if (a->auth->challenge != NULL)
			memcpy(h->chal, a->auth->challenge, a->auth->challenge_len);
		if (a->auth->eap_len > sizeof(h->eap) ||
		    (a->auth->eap == NULL) != (a->auth->method != SG_PPP_AUTH_EAP))
			abort();
		if (a->auth->eap != NULL)
			memcpy(h->eap, a->auth->eap, a->auth->eap_len);
		h->rq.eap = h->eap;
		h->rq.response = h->resp;
		h->rq.challenge = h->chal;
		h->rq.password = NULL;
		break;
	default:
		break;
	}
}

static void deliver(struct fz_side *from, struct fz_side *to, sg_usec_t now)
{
	struct sg_ppp_packet pkt;
	int i, n = from->nq;
	static uint8_t tmp[QMAX][SG_PPP_FRAME_MAX + 16];
	uint16_t tl[QMAX];

	memcpy(tmp, from->q, sizeof(tmp));
	memcpy(tl, from->ql, sizeof(tl));
	from->nq = 0;
	for (i = 0; i < n; i++) {
		int rc = sg_ppp_session_input(to->s, tmp[i], tl[i], now, &pkt);
		if (rc > 0 && ((size_t) pkt.offset + pkt.len != tl[i]))
			abort();
	}
}

static const uint8_t fz_chal[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* EAP stand-in: Identity -> an MD5 or MS-CHAPv2 challenge; MD5 -> verdict; MS-CHAPv2
 * response -> Success request; its acknowledgement -> Success with keys. */
static void eap_answer(struct fz_side *h, bool accept, const uint8_t *raw, size_t rawlen,
		       sg_usec_t now)
{
	struct sg_ppp_auth_result r;
	const uint8_t *p = h->eap;
	size_t len = h->rq.eap_len, n = 0;
	uint8_t out[128], pwh[16];

	memset(&r, 0, sizeof(r));
	r.seq = h->rq.seq;
	r.eap = out;
	if (raw != NULL) { /* the fuzzer plays the backend */
		r.challenge = rawlen > 0 && (raw[0] & 1);
		r.accept = rawlen > 0 && (raw[0] & 2);
		r.eap = rawlen > 1 ? raw + 1 : NULL;
		r.eap_len = rawlen > 1 ? rawlen - 1 : 0;
		sg_ppp_session_auth_result(h->s, &r, now);
		return;
	}
	out[0] = SG_EAP_SUCCESS;
	out[1] = p[1];
	n = 4;
	if (len >= 5 && (p[4] == SG_EAP_TYPE_IDENTITY || p[4] == SG_EAP_TYPE_NAK)) {
		bool md5 = (h->rq.seq & 1) != 0;
		out[0] = SG_EAP_REQUEST;
		out[1] = (uint8_t) (p[1] + 1);
		out[4] = md5 ? SG_EAP_TYPE_MD5 : SG_EAP_TYPE_MSCHAPV2;
		if (md5) {
			out[5] = 16;
			memcpy(out + 6, fz_chal, 16);
			n = 22;
		} else {
			out[5] = SG_EAP_MSCHAPV2_CHALLENGE;
			out[6] = out[1];
			out[7] = 0;
			out[8] = 21;
			out[9] = 16;
			memcpy(out + 10, fz_chal, 16);
			n = 26;
		}
		r.challenge = true;
	} else if (len >= 59 && p[4] == SG_EAP_TYPE_MSCHAPV2 && p[5] == SG_EAP_MSCHAPV2_RESPONSE &&
		   sg_ppp_nt_password_hash("pw", 2, pwh) == 0 &&
		   sg_ppp_mschap_verify(pwh, fz_chal, p + 10, (const char *) p + 59, len - 59,
					&h->v) == 0) {
		out[0] = SG_EAP_REQUEST;
		out[1] = (uint8_t) (p[1] + 1);
		out[4] = SG_EAP_TYPE_MSCHAPV2;
		out[5] = SG_EAP_MSCHAPV2_SUCCESS;
		out[6] = p[6];
		out[7] = 0;
		out[8] = 4 + SG_MSCHAP_AUTH_RESP_LEN;
		memcpy(out + 9, h->v.auth_response, SG_MSCHAP_AUTH_RESP_LEN);
		n = 9 + SG_MSCHAP_AUTH_RESP_LEN;
		r.challenge = true;
		h->ms_ok = true;
	} else {
		r.accept = accept;
		if (accept && h->ms_ok) {
			r.has_keys = true;
			memcpy(r.send_key, h->v.send_key, 16);
			memcpy(r.recv_key, h->v.recv_key, 16);
		}
		out[0] = accept ? SG_EAP_SUCCESS : SG_EAP_FAILURE;
	}
	out[2] = (uint8_t) (n >> 8);
	out[3] = (uint8_t) n;
	r.eap_len = n;
	sg_ppp_session_auth_result(h->s, &r, now);
}

static void answer(struct fz_side *h, bool accept, const uint8_t *raw, size_t rawlen, sg_usec_t now)
{
	struct sg_ppp_auth_result r;
	struct sg_ppp_mschap_verdict v;
	uint8_t pwh[16];

	if (!h->pending)
		return;
	h->pending = false;
	if (h->rq.method == SG_PPP_AUTH_EAP) {
		eap_answer(h, accept, raw, rawlen, now);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.seq = h->rq.seq;
	r.accept = accept;
	if (accept && h->rq.method == SG_PPP_AUTH_MSCHAPV2 && h->rq.response_len == 49 &&
	    sg_ppp_nt_password_hash("pw", 2, pwh) == 0 &&
	    sg_ppp_mschap_verify(pwh, h->rq.challenge, h->rq.response, h->rq.user, h->rq.user_len,
				 &v) == 0) {
		r.mschap2_success = v.auth_response;
		r.has_keys = true;
	}
	sg_ppp_session_auth_result(h->s, &r, now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_side tgt, prt;
	struct sg_ppp_config ct, cp;
	struct sg_ppp_packet pkt;
	sg_usec_t now = 1000000;
	size_t off = 1;
	int steps = 0;

	if (size < 1)
		return 0;
	memset(&ct, 0, sizeof(ct));
	memset(&cp, 0, sizeof(cp));
	ct.role = SG_PPP_ROLE_SERVER;
	ct.local_ipv4 = 0xc0000201;
	ct.peer_ipv4 = 0xc000020a;
	ct.dns[0] = 0xc6336435;
	ct.echo_interval_usec = 5 * SG_USEC_PER_SEC;
	ct.auth[0] = (uint8_t) (1 + (data[0] >> 1) % 4);
	cp.role = SG_PPP_ROLE_PEER;
	cp.user = "user";
	cp.password = "pw";
	cp.want_dns = true;
	cp.auth[0] = SG_PPP_AUTH_EAP;
	cp.auth[1] = SG_PPP_AUTH_MSCHAPV2;
	cp.auth[2] = SG_PPP_AUTH_CHAP_MD5;
	cp.auth[3] = SG_PPP_AUTH_PAP;
	if (data[0] & 1) { /* the target is the peer */
		struct sg_ppp_config t = ct;
		ct = cp;
		cp = t;
	}
	memset(&tgt, 0, sizeof(tgt));
	memset(&prt, 0, sizeof(prt));
	tgt.s = sg_ppp_session_new(&ct, fz_action, &tgt);
	prt.s = sg_ppp_session_new(&cp, fz_action, &prt);
	if (tgt.s == NULL || prt.s == NULL)
		abort();
	sg_ppp_session_start(tgt.s, now);
	sg_ppp_session_start(prt.s, now);
	while (off + 2 <= size && steps++ < 256) {
		uint8_t op = data[off], len = data[off + 1];
		const uint8_t *d = data + off + 2;

		if (off + 2 + len > size)
			len = (uint8_t) (size - off - 2);
		off += 2u + len;
		switch (op % 6) {
		case 0:
			sg_ppp_session_input(tgt.s, d, len, now, &pkt);
			break;
		case 1:
			deliver(&prt, &tgt, now);
			answer(&prt, true, NULL, 0, now);
			break;
		case 2:
			deliver(&tgt, &prt, now);
			break;
		case 3:
			now += (sg_usec_t) (len > 0 ? d[0] : 1) * SG_USEC_PER_SEC;
			sg_ppp_session_timer(tgt.s, now);
			sg_ppp_session_timer(prt.s, now);
			if (sg_ppp_session_deadline(tgt.s) <= now)
				abort(); /* an expired timer the session did not run */
			break;
		case 4:
			/* EAP: data[0] bit 2 set -> the fuzzer's bytes are the backend's answer */
			answer(&tgt, len > 0 && (d[0] & 1), len > 0 && (d[0] & 4) ? d + 1 : NULL,
			       len > 0 ? len - 1u : 0, now);
			break;
		case 5:
			if (len > 0 && (d[0] & 1))
				sg_ppp_session_close(tgt.s, now);
			else
				sg_ppp_session_lower_down(tgt.s, now);
			break;
		}
	}
	sg_ppp_session_free(tgt.s);
	sg_ppp_session_free(prt.s);
	return 0;
}
