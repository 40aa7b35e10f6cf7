/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: a PPP session (server role, or peer role when the first byte is
 * odd) fed arbitrary frames, interleaved with a real partner session so the
 * fuzzer reaches authentication and the NCPs, timer expiries and AAA answers.
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

static void answer(struct fz_side *h, bool accept, sg_usec_t now)
{
	struct sg_ppp_auth_result r;
	struct sg_ppp_mschap_verdict v;
	uint8_t pwh[16];

	if (!h->pending)
		return;
	h->pending = false;
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
	ct.auth[0] = (uint8_t) (1 + (data[0] >> 1) % 3);
	cp.role = SG_PPP_ROLE_PEER;
	cp.user = "user";
	cp.password = "pw";
	cp.want_dns = true;
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
			answer(&prt, true, now);
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
			answer(&tgt, len > 0 && (d[0] & 1), now);
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
