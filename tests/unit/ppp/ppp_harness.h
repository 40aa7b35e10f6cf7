/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test harness: PPP sessions wired back to back in memory, an AAA stand-in
 * that really verifies credentials with the library's helpers, and recorders
 * for every action. Time is a variable the tests advance.
 */
#ifndef PPP_HARNESS_H
#define PPP_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_ppp.h"
#include "sg_ppp_crypto.h"

#define H_QMAX 64
#define H_USER "alice"
#define H_PASS "s3cret-pass"

struct h_frame {
	uint16_t len;
	uint8_t b[SG_PPP_FRAME_MAX + 16];
};

struct h_side {
	struct sg_ppp_session *s;
	struct sg_ppp_config cfg;
	struct sg_ppp_counters counters;
	struct h_frame q[H_QMAX]; /* frames this side sent, not yet delivered */
	int nq;
	int sent_total;
	struct h_frame last_chap_resp; /* last CHAP Response this side sent */
	/* events */
	int auth_requests, auth_up, ipcp_up, ipcp_down, ipv6cp_up, ipv6cp_down, link_down, finished;
	enum sg_ppp_reason last_reason;
	struct sg_ppp_info info; /* snapshot at the last action */
	/* pending auth request (server) */
	bool pending;
	struct sg_ppp_auth_request rq;
	uint8_t rq_user[256], rq_pass[256], rq_chal[64], rq_resp[64];
	uint8_t rq_eap[SG_EAP_MAX]; /* EAP: the relayed Response */
	/* AAA stand-in */
	const char *aaa_password; /* what the "user database" holds for H_USER */
	bool aaa_manual;	  /* do not answer automatically */
	bool reenter;		  /* call back into the session from the callback */
	int reenter_rc;
};

static SG_UNUSED void h_action(void *arg, const struct sg_ppp_action *a)
{
	struct h_side *h = arg;

	h->info = *a->info;
	if (h->reenter)
		h->reenter_rc = sg_ppp_session_timer(h->s, 0);
	switch (a->type) {
	case SG_PPP_ACT_SEND:
		if (h->nq < H_QMAX) {
			memcpy(h->q[h->nq].b, a->frame, a->len);
			h->q[h->nq].len = (uint16_t) a->len;
			h->nq++;
		}
		h->sent_total++;
		if (a->len > 8 && a->frame[2] == 0xc2 && a->frame[3] == 0x23 &&
		    a->frame[4] == SG_CHAP_RESPONSE) {
			memcpy(h->last_chap_resp.b, a->frame, a->len);
			h->last_chap_resp.len = (uint16_t) a->len;
		}
		break;
	case SG_PPP_ACT_AUTH_REQUEST:
		h->auth_requests++;
		h->pending = true;
		h->rq = *a->auth;
		memcpy(h->rq_user, a->auth->user, a->auth->user_len);
		h->rq.user = (const char *) h->rq_user;
		if (a->auth->password != NULL) {
			memcpy(h->rq_pass, a->auth->password, a->auth->password_len);
			h->rq.password = h->rq_pass;
		}
		if (a->auth->challenge != NULL) {
			memcpy(h->rq_chal, a->auth->challenge, a->auth->challenge_len);
			h->rq.challenge = h->rq_chal;
		}
		if (a->auth->response != NULL) {
			memcpy(h->rq_resp, a->auth->response, a->auth->response_len);
			h->rq.response = h->rq_resp;
		}
		if (a->auth->eap != NULL && a->auth->eap_len <= sizeof(h->rq_eap)) {
			memcpy(h->rq_eap, a->auth->eap, a->auth->eap_len);
			h->rq.eap = h->rq_eap;
		}
		break;
	case SG_PPP_ACT_AUTH_UP:
		h->auth_up++;
		break;
	case SG_PPP_ACT_IPCP_UP:
		h->ipcp_up++;
		break;
	case SG_PPP_ACT_IPCP_DOWN:
		h->ipcp_down++;
		break;
	case SG_PPP_ACT_IPV6CP_UP:
		h->ipv6cp_up++;
		break;
	case SG_PPP_ACT_IPV6CP_DOWN:
		h->ipv6cp_down++;
		break;
	case SG_PPP_ACT_LINK_DOWN:
		h->link_down++;
		h->last_reason = a->reason;
		break;
	case SG_PPP_ACT_FINISHED:
		h->finished++;
		h->last_reason = a->reason;
		break;
	}
}

/* The AAA decision, computed with the library's helpers like lib/aaa would. */
static SG_UNUSED void h_aaa_decide(const struct sg_ppp_auth_request *rq, const char *db_pass,
				   struct sg_ppp_auth_result *r, struct sg_ppp_mschap_verdict *v)
{
	uint8_t md5[16], pwh[16];
	bool user_ok =
	    rq->user_len == strlen(H_USER) && memcmp(rq->user, H_USER, rq->user_len) == 0;

	memset(r, 0, sizeof(*r));
	r->seq = rq->seq;
	switch (rq->method) {
	case SG_PPP_AUTH_PAP:
		r->accept = user_ok && rq->password_len == strlen(db_pass) &&
			    memcmp(rq->password, db_pass, rq->password_len) == 0;
		break;
	case SG_PPP_AUTH_CHAP_MD5:
		r->accept = user_ok && rq->response_len == 16 &&
			    sg_ppp_chap_md5(rq->chap_id, (const uint8_t *) db_pass, strlen(db_pass),
					    rq->challenge, rq->challenge_len, md5) == 0 &&
			    memcmp(md5, rq->response, 16) == 0;
		break;
	case SG_PPP_AUTH_MSCHAPV2:
		if (user_ok && rq->response_len == SG_MSCHAP_RESPONSE_LEN &&
		    sg_ppp_nt_password_hash(db_pass, strlen(db_pass), pwh) == 0 &&
		    sg_ppp_mschap_verify(pwh, rq->challenge, rq->response, rq->user, rq->user_len,
					 v) == 0) {
			r->accept = true;
			r->mschap2_success = v->auth_response;
			r->has_keys = true;
			memcpy(r->send_key, v->send_key, 16);
			memcpy(r->recv_key, v->recv_key, 16);
		}
		break;
	default:
		break;
	}
}

static SG_UNUSED void h_server_cfg(struct h_side *h, uint8_t method)
{
	memset(&h->cfg, 0, sizeof(h->cfg));
	h->cfg.role = SG_PPP_ROLE_SERVER;
	h->cfg.auth[0] = method;
	h->cfg.local_ipv4 = 0xc0000201; /* 192.0.2.1 */
	h->cfg.peer_ipv4 = 0xc000020a;	/* 192.0.2.10 */
	h->cfg.dns[0] = 0xc6336435;	/* 198.51.100.53 */
	h->cfg.dns[1] = 0xc6336436;	/* 198.51.100.54 */
	h->cfg.counters = &h->counters;
	h->aaa_password = H_PASS;
}

static SG_UNUSED void h_peer_cfg(struct h_side *h, const char *password)
{
	memset(&h->cfg, 0, sizeof(h->cfg));
	h->cfg.role = SG_PPP_ROLE_PEER;
	h->cfg.user = H_USER;
	h->cfg.password = password;
	h->cfg.want_dns = true;
	h->cfg.counters = &h->counters;
}

static SG_UNUSED int h_init(struct h_side *h)
{
	h->s = sg_ppp_session_new(&h->cfg, h_action, h);
	return h->s != NULL ? 0 : -errno;
}

static SG_UNUSED void h_fini(struct h_side *h)
{
	sg_ppp_session_free(h->s);
	h->s = NULL;
}

/* Deliver queued frames both ways (and AAA answers) until nothing moves. */
static SG_UNUSED int h_pump(struct h_side *a, struct h_side *b, sg_usec_t now, int max_rounds)
{
	struct h_frame *tmp = malloc(sizeof(struct h_frame) * H_QMAX);
	int rounds = 0, i, n;
	struct sg_ppp_packet pkt;

	if (tmp == NULL)
		return -ENOMEM;
	while (rounds++ < max_rounds) {
		bool moved = false;
		struct h_side *pair[2][2] = {{a, b}, {b, a}};
		int k;

		for (k = 0; k < 2; k++) {
			struct h_side *from = pair[k][0], *to = pair[k][1];
			n = from->nq;
			if (n == 0)
				continue;
			memcpy(tmp, from->q, sizeof(struct h_frame) * (size_t) n);
			from->nq = 0;
			for (i = 0; i < n; i++)
				sg_ppp_session_input(to->s, tmp[i].b, tmp[i].len, now, &pkt);
			moved = true;
		}
		for (k = 0; k < 2; k++) {
			struct h_side *h = pair[k][0];
			if (h->pending && !h->aaa_manual) {
				struct sg_ppp_auth_result r;
				struct sg_ppp_mschap_verdict v;
				h->pending = false;
				h_aaa_decide(&h->rq, h->aaa_password, &r, &v);
				sg_ppp_session_auth_result(h->s, &r, now);
				moved = true;
			}
		}
		if (!moved)
			break;
	}
	free(tmp);
	return rounds;
}

/* Build a PPP frame FF 03 proto code id len data. */
static SG_UNUSED size_t h_cp(uint8_t *out, uint16_t proto, uint8_t code, uint8_t id,
			     const uint8_t *data, size_t len)
{
	out[0] = 0xff;
	out[1] = 0x03;
	out[2] = (uint8_t) (proto >> 8);
	out[3] = (uint8_t) proto;
	out[4] = code;
	out[5] = id;
	out[6] = (uint8_t) ((len + 4) >> 8);
	out[7] = (uint8_t) (len + 4);
	if (len > 0)
		memcpy(out + 8, data, len);
	return len + 8;
}

/* Index of the first queued frame with this protocol and code, or -1. */
static SG_UNUSED int h_find(const struct h_side *h, uint16_t proto, uint8_t code)
{
	int i;

	for (i = 0; i < h->nq; i++) {
		const uint8_t *b = h->q[i].b;
		int off = (b[0] == 0xff) ? 2 : 0;
		uint16_t p = (b[off] & 1) ? b[off] : (uint16_t) ((b[off] << 8) | b[off + 1]);
		int po = off + ((b[off] & 1) ? 1 : 2);
		if (p == proto && b[po] == code)
			return i;
	}
	return -1;
}

#endif /* PPP_HARNESS_H */
