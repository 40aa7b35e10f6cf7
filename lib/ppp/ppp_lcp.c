/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LCP (RFC 1661 §6): MRU, magic number, PFC/ACFC, authentication protocol,
 * echo keepalive, Protocol-Reject. Everything else a peer offers (ACCM aside)
 * is rejected: callback (13), MRRU (17), short sequence numbers (18) and
 * endpoint discriminator (19) as Windows sends them, quality protocol, and
 * unknown types.
 */
#include <string.h>

#include "ppp_private.h"
#include "sg_log.h"
#include "sg_ppp_crypto.h"

#define LCP(f) (&(f)->s->l)

static uint32_t new_magic(struct sg_ppp_session *s)
{
	uint32_t m = 0;

	while (m == 0) {
		if (sg_ppp_random(&m, sizeof(m)) != 0) {
			PPP_CNT(s, crypto_error);
			/* Fall back to something unlikely to collide; loopback detection only. */
			m = (uint32_t) (s->now * 2654435761u) | 1u;
		}
	}
	return m;
}

void ppp_lcp_reset(struct sg_ppp_session *s)
{
	struct ppp_lcp *l = &s->l;

	memset(l, 0, sizeof(*l));
	l->want_mru = s->mru;
	l->want_magic = new_magic(s);
	l->echo_deadline = SG_PPP_NO_DEADLINE;
	if (s->cfg->role == SG_PPP_ROLE_SERVER && !s->cfg->no_auth && s->n_auth > 0)
		l->auth_method = s->auth_order[0];
	s->info.peer_mru = SG_PPP_MRU_DEFAULT;
	s->info.mru = SG_PPP_MRU_DEFAULT;
}

static size_t put_auth(uint8_t *p, uint8_t method)
{
	p[0] = SG_LCP_OPT_AUTH;
	if (method == SG_PPP_AUTH_PAP || method == SG_PPP_AUTH_EAP) {
		p[1] = 4;
		ppp_put16(p + 2, method == SG_PPP_AUTH_PAP ? SG_PPP_PROTO_PAP : SG_PPP_PROTO_EAP);
		return 4;
	}
	p[1] = 5;
	ppp_put16(p + 2, SG_PPP_PROTO_CHAP);
	p[4] = method == SG_PPP_AUTH_CHAP_MD5 ? SG_CHAP_ALG_MD5 : SG_CHAP_ALG_MSCHAPV2;
	return 5;
}

static size_t lcp_build_req(struct ppp_fsm *f, uint8_t *p, size_t cap)
{
	struct ppp_lcp *l = LCP(f);
	size_t n = 0;

	(void) cap; /* at most 15 bytes */
	if (!l->rej_mru && l->want_mru != SG_PPP_MRU_DEFAULT) {
		p[n] = SG_LCP_OPT_MRU;
		p[n + 1] = 4;
		ppp_put16(p + n + 2, l->want_mru);
		n += 4;
	}
	if (f->s->cfg->role == SG_PPP_ROLE_SERVER && !l->rej_auth && l->auth_method != 0)
		n += put_auth(p + n, l->auth_method);
	if (!l->rej_magic) {
		p[n] = SG_LCP_OPT_MAGIC;
		p[n + 1] = 6;
		ppp_put32(p + n + 2, l->want_magic);
		n += 6;
	}
	return n;
}

static void lcp_req_begin(struct ppp_fsm *f)
{
	struct ppp_lcp *l = LCP(f);

	l->t_mru = SG_PPP_MRU_DEFAULT;
	l->t_magic = 0;
	l->t_pfc = false;
	l->t_acfc = false;
	l->t_auth = SG_PPP_AUTH_NONE;
}

static bool peer_accepts(struct sg_ppp_session *s, uint8_t method)
{
	uint8_t i;

	for (i = 0; i < s->n_auth; i++)
		if (s->auth_order[i] == method)
			return true;
	return false;
}

static enum ppp_verdict lcp_req_auth(struct ppp_fsm *f, const uint8_t *v, uint8_t vlen,
				     uint8_t *nak, uint8_t *nak_len)
{
	struct sg_ppp_session *s = f->s;
	uint8_t method = SG_PPP_AUTH_NONE;
	uint16_t proto;

	if (s->cfg->role == SG_PPP_ROLE_SERVER || vlen < 2)
		return PPP_REJ; /* we never authenticate ourselves to a client */
	proto = ppp_get16(v);
	if (proto == SG_PPP_PROTO_PAP && vlen == 2)
		method = SG_PPP_AUTH_PAP;
	else if (proto == SG_PPP_PROTO_EAP && vlen == 2)
		method = SG_PPP_AUTH_EAP;
	else if (proto == SG_PPP_PROTO_CHAP && vlen == 3 && v[2] == SG_CHAP_ALG_MD5)
		method = SG_PPP_AUTH_CHAP_MD5;
	else if (proto == SG_PPP_PROTO_CHAP && vlen == 3 && v[2] == SG_CHAP_ALG_MSCHAPV2)
		method = SG_PPP_AUTH_MSCHAPV2;
	if (method != SG_PPP_AUTH_NONE && peer_accepts(s, method)) {
		LCP(f)->t_auth = method;
		return PPP_ACK;
	}
	if (s->n_auth == 0)
		return PPP_REJ;
	*nak_len = (uint8_t) put_auth(nak, s->auth_order[0]);
	return PPP_NAK;
}

static enum ppp_verdict lcp_req_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v, uint8_t vlen,
				    uint8_t *nak, uint8_t *nak_len)
{
	struct ppp_lcp *l = LCP(f);
	struct sg_ppp_session *s = f->s;
	uint32_t m;
	uint16_t mru;

	switch (type) {
	case SG_LCP_OPT_MRU:
		if (vlen != 2)
			return PPP_REJ;
		mru = ppp_get16(v);
		if (mru < SG_PPP_MRU_MIN) {
			nak[0] = SG_LCP_OPT_MRU;
			nak[1] = 4;
			ppp_put16(nak + 2, SG_PPP_MRU_MIN);
			*nak_len = 4;
			return PPP_NAK;
		}
		l->t_mru = mru;
		return PPP_ACK;
	case SG_LCP_OPT_ACCM:
		return vlen == 4 ? PPP_ACK : PPP_REJ; /* no effect on SSTP; HDLC escapes all */
	case SG_LCP_OPT_AUTH:
		return lcp_req_auth(f, v, vlen, nak, nak_len);
	case SG_LCP_OPT_MAGIC:
		if (vlen != 4)
			return PPP_REJ;
		m = ppp_get32(v);
		if (m == 0 || (!l->rej_magic && m == l->want_magic)) {
			if (m != 0) {
				PPP_CNT(s, loopback);
				l->loops++;
			}
			ppp_put32(nak + 2, new_magic(s));
			nak[0] = SG_LCP_OPT_MAGIC;
			nak[1] = 6;
			*nak_len = 6;
			return PPP_NAK;
		}
		l->t_magic = m;
		return PPP_ACK;
	case SG_LCP_OPT_PFC:
	case SG_LCP_OPT_ACFC:
		if (vlen != 0 || s->cfg->reject_pfc_acfc)
			return PPP_REJ;
		if (type == SG_LCP_OPT_PFC)
			l->t_pfc = true;
		else
			l->t_acfc = true;
		return PPP_ACK;
	default: /* quality, callback, MRRU, SSNHF, endpoint discriminator, unknown */
		return PPP_REJ;
	}
}

static void lcp_req_commit(struct ppp_fsm *f)
{
	struct ppp_lcp *l = LCP(f);
	struct sg_ppp_info *in = &f->s->info;

	in->peer_mru = SG_MIN(l->t_mru, SG_PPP_MRU_MAX);
	in->peer_magic = l->t_magic;
	in->tx_pfc = l->t_pfc;
	in->tx_acfc = l->t_acfc;
	if (f->s->cfg->role == SG_PPP_ROLE_PEER)
		l->auth_method = l->t_auth;
}

/* The server's next auth proposal after a Nak; refuse when the list is exhausted. */
static void lcp_auth_naked(struct ppp_fsm *f, const uint8_t *v, uint8_t vlen)
{
	struct sg_ppp_session *s = f->s;
	struct ppp_lcp *l = LCP(f);
	uint8_t want = SG_PPP_AUTH_NONE, i;

	if (vlen >= 2 && ppp_get16(v) == SG_PPP_PROTO_PAP)
		want = SG_PPP_AUTH_PAP;
	else if (vlen >= 2 && ppp_get16(v) == SG_PPP_PROTO_EAP)
		want = SG_PPP_AUTH_EAP;
	else if (vlen >= 3 && ppp_get16(v) == SG_PPP_PROTO_CHAP && v[2] == SG_CHAP_ALG_MD5)
		want = SG_PPP_AUTH_CHAP_MD5;
	else if (vlen >= 3 && ppp_get16(v) == SG_PPP_PROTO_CHAP && v[2] == SG_CHAP_ALG_MSCHAPV2)
		want = SG_PPP_AUTH_MSCHAPV2;
	for (i = (uint8_t) (l->auth_idx + 1); i < s->n_auth; i++) {
		if (s->auth_order[i] == want) {
			l->auth_idx = i;
			l->auth_method = want;
			return;
		}
	}
	/* Not one we still offer: propose the next in our order. */
	if (l->auth_idx + 1 < s->n_auth) {
		l->auth_idx++;
		l->auth_method = s->auth_order[l->auth_idx];
		return;
	}
	SG_LOG(PPP, INFO, "lcp: peer refuses every authentication method we offer");
	l->auth_refused = true;
	ppp_session_fail(s, SG_PPP_REASON_AUTH_REFUSED);
}

static void lcp_nak_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v, uint8_t vlen)
{
	struct ppp_lcp *l = LCP(f);
	uint16_t mru;

	switch (type) {
	case SG_LCP_OPT_MRU:
		if (vlen != 2)
			return;
		mru = ppp_get16(v);
		l->want_mru = SG_MAX(SG_MIN(mru, f->s->mru), SG_PPP_MRU_MIN);
		break;
	case SG_LCP_OPT_MAGIC:
		if (vlen == 4 && ppp_get32(v) == l->want_magic) {
			PPP_CNT(f->s, loopback);
			l->loops++;
		}
		l->want_magic = new_magic(f->s);
		if (l->loops > f->s->max_failure)
			ppp_session_fail(f->s, SG_PPP_REASON_LOOPBACK);
		break;
	case SG_LCP_OPT_AUTH:
		if (f->s->cfg->role == SG_PPP_ROLE_SERVER && !l->auth_refused)
			lcp_auth_naked(f, v, vlen);
		break;
	default:
		break;
	}
}

static void lcp_rej_opt(struct ppp_fsm *f, uint8_t type)
{
	struct ppp_lcp *l = LCP(f);

	switch (type) {
	case SG_LCP_OPT_MRU:
		l->rej_mru = true;
		break;
	case SG_LCP_OPT_MAGIC:
		l->rej_magic = true;
		break;
	case SG_LCP_OPT_AUTH:
		if (f->s->cfg->role == SG_PPP_ROLE_SERVER && l->auth_method != 0 &&
		    !l->auth_refused) {
			l->rej_auth = true;
			l->auth_refused = true;
			ppp_session_fail(f->s, SG_PPP_REASON_AUTH_REFUSED);
		}
		break;
	default:
		break;
	}
}

static void send_echo(struct sg_ppp_session *s)
{
	uint8_t magic[4];

	ppp_put32(magic, s->info.local_magic);
	s->l.echo_id++;
	ppp_send_cp(s, SG_PPP_PROTO_LCP, SG_PPP_ECHO_REQ, s->l.echo_id, magic, sizeof(magic));
}

void ppp_lcp_echo_timer(struct sg_ppp_session *s)
{
	struct ppp_lcp *l = &s->l;

	if (s->lcp.state != PPP_OPENED || s->cfg->echo_interval_usec == 0) {
		l->echo_deadline = SG_PPP_NO_DEADLINE;
		return;
	}
	if (l->echo_pending >= s->echo_failures) {
		PPP_CNT(s, echo_timeout);
		l->echo_deadline = SG_PPP_NO_DEADLINE;
		SG_LOG(PPP, INFO, "lcp: %u echo requests unanswered, link down", l->echo_pending);
		ppp_session_fail(s, SG_PPP_REASON_ECHO_TIMEOUT);
		return;
	}
	send_echo(s);
	l->echo_pending++;
	l->echo_deadline = s->now + s->cfg->echo_interval_usec;
}

/* Echo-Request/Reply: only while Opened and with a magic number; one carrying our own
 * magic means a looped-back link. Counts the drop and returns false otherwise. */
static bool lcp_echo_acceptable(struct ppp_fsm *f, const uint8_t *data, size_t len)
{
	struct sg_ppp_session *s = f->s;

	if (f->state != PPP_OPENED || len < 4) {
		PPP_CNT(s, drop_wrong_state);
		return false;
	}
	if (s->info.local_magic != 0 && ppp_get32(data) == s->info.local_magic) {
		PPP_CNT(s, loopback);
		return false;
	}
	return true;
}

static int lcp_rx_extra(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
			size_t len)
{
	struct sg_ppp_session *s = f->s;
	uint8_t out[SG_PPP_FRAME_MAX];
	size_t room;

	switch (code) {
	case SG_PPP_PROTO_REJ:
		if (f->state != PPP_OPENED || len < 2) {
			PPP_CNT(s, drop_wrong_state);
			return 0;
		}
		ppp_session_proto_rejected(s, ppp_get16(data));
		return 0;
	case SG_PPP_ECHO_REQ:
		if (!lcp_echo_acceptable(f, data, len))
			return 0;
		room = s->info.peer_mru - SG_PPP_CP_HDR_LEN;
		ppp_put32(out, s->info.local_magic);
		len = SG_MIN(len, room);
		memcpy(out + 4, data + 4, len - 4);
		ppp_send_cp(s, SG_PPP_PROTO_LCP, SG_PPP_ECHO_REPLY, id, out, len);
		return 0;
	case SG_PPP_ECHO_REPLY:
		if (!lcp_echo_acceptable(f, data, len))
			return 0;
		s->l.echo_pending = 0;
		return 0;
	case SG_PPP_DISCARD_REQ:
	case SG_PPP_IDENTIFICATION: /* informational: silently accepted */
	case SG_PPP_TIME_REMAINING:
		return 0;
	default:
		return -1;
	}
}

static void lcp_up(struct ppp_fsm *f)
{
	struct sg_ppp_session *s = f->s;
	struct ppp_lcp *l = LCP(f);

	s->info.mru = l->rej_mru ? SG_PPP_MRU_DEFAULT : l->want_mru;
	s->info.local_magic = l->rej_magic ? 0 : l->want_magic;
	l->echo_pending = 0;
	l->echo_deadline = s->cfg->echo_interval_usec != 0 ? s->now + s->cfg->echo_interval_usec
							   : SG_PPP_NO_DEADLINE;
	ppp_session_lcp_up(s);
}

static void lcp_down(struct ppp_fsm *f)
{
	LCP(f)->echo_deadline = SG_PPP_NO_DEADLINE;
	ppp_session_lcp_down(f->s);
}

static void lcp_finished(struct ppp_fsm *f)
{
	ppp_session_lcp_finished(f->s);
}

const struct ppp_fsm_ops ppp_lcp_ops = {
    .name = "lcp",
    .proto = SG_PPP_PROTO_LCP,
    .build_req = lcp_build_req,
    .req_begin = lcp_req_begin,
    .req_opt = lcp_req_opt,
    .req_commit = lcp_req_commit,
    .nak_opt = lcp_nak_opt,
    .rej_opt = lcp_rej_opt,
    .rx_extra = lcp_rx_extra,
    .up = lcp_up,
    .down = lcp_down,
    .finished = lcp_finished,
};
