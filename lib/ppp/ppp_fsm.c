/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RFC 1661 §4 option negotiation automaton, shared by LCP, IPCP and
 * IPv6CP. The restart timer is a deadline (f->deadline) the session exposes;
 * its expiry comes back in as ppp_fsm_timeout().
 */
#include <errno.h>
#include <string.h>

#include "ppp_private.h"
#include "sg_log.h"

void ppp_fsm_init(struct ppp_fsm *f, struct sg_ppp_session *s, const struct ppp_fsm_ops *ops)
{
	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->s = s;
	f->state = PPP_INITIAL;
	f->id = 1;
	f->deadline = SG_PPP_NO_DEADLINE;
}

static void timer_start(struct ppp_fsm *f)
{
	f->deadline = f->s->now + f->s->restart_usec;
}

static void timer_stop(struct ppp_fsm *f)
{
	f->deadline = SG_PPP_NO_DEADLINE;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	ppp_send_cp(f->s, f->ops->proto, code, id, data, len);
}

/* This-layer actions. */
static void tlu(struct ppp_fsm *f)
{
	if (f->ops->up != NULL)
		f->ops->up(f);
}

static void tld(struct ppp_fsm *f)
{
	if (f->ops->down != NULL)
		f->ops->down(f);
}

static void tls(struct ppp_fsm *f)
{
	if (f->ops->starting != NULL)
		f->ops->starting(f);
}

static void tlf(struct ppp_fsm *f)
{
	timer_stop(f);
	if (f->ops->finished != NULL)
		f->ops->finished(f);
}

/* Initialize-restart-count for a Configure-Request. */
static void irc_conf(struct ppp_fsm *f)
{
	f->restart = f->s->max_configure;
}

/* A fresh negotiation: the Max-Failure count starts again (not on every Nak). */
static void irc_fresh(struct ppp_fsm *f)
{
	irc_conf(f);
	f->naks_sent = 0;
}

static void irc_term(struct ppp_fsm *f)
{
	f->restart = f->s->max_terminate;
}

static void scr(struct ppp_fsm *f)
{
	uint8_t buf[PPP_REQ_MAX];
	size_t n = f->ops->build_req(f, buf, sizeof(buf));

	memcpy(f->req, buf, n);
	f->req_len = (uint8_t) n;
	f->req_id = f->id++;
	if (f->restart > 0)
		f->restart--;
	ppp_fsm_send(f, SG_PPP_CONF_REQ, f->req_id, buf, n);
	timer_start(f);
}

static void str(struct ppp_fsm *f)
{
	f->term_id = f->id++;
	if (f->restart > 0)
		f->restart--;
	ppp_fsm_send(f, SG_PPP_TERM_REQ, f->term_id, NULL, 0);
	timer_start(f);
}

static void sta(struct ppp_fsm *f, uint8_t id)
{
	ppp_fsm_send(f, SG_PPP_TERM_ACK, id, NULL, 0);
}

/* zrc: restart counter zero, timer running (wait one interval after sta). */
static void zrc(struct ppp_fsm *f)
{
	f->restart = 0;
	timer_start(f);
}

static void set_state(struct ppp_fsm *f, uint8_t st)
{
	f->state = st;
	if (st <= PPP_STOPPED || st == PPP_OPENED)
		timer_stop(f);
}

void ppp_fsm_up(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_INITIAL:
		set_state(f, PPP_CLOSED);
		break;
	case PPP_STARTING:
		irc_fresh(f);
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	default:
		break;
	}
}

void ppp_fsm_down(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_CLOSED:
	case PPP_CLOSING:
		set_state(f, PPP_INITIAL);
		break;
	case PPP_STOPPED:
		set_state(f, PPP_STARTING);
		tls(f);
		break;
	case PPP_STOPPING:
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		set_state(f, PPP_STARTING);
		break;
	case PPP_OPENED:
		set_state(f, PPP_STARTING);
		tld(f);
		break;
	default:
		break;
	}
}

void ppp_fsm_open(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_INITIAL:
		set_state(f, PPP_STARTING);
		tls(f);
		break;
	case PPP_CLOSED:
		irc_fresh(f);
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	case PPP_CLOSING:
		set_state(f, PPP_STOPPING);
		break;
	default:
		break;
	}
}

void ppp_fsm_close(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_STARTING:
		set_state(f, PPP_INITIAL);
		tlf(f);
		break;
	case PPP_STOPPED:
		set_state(f, PPP_CLOSED);
		break;
	case PPP_STOPPING:
		set_state(f, PPP_CLOSING);
		break;
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		irc_term(f);
		str(f);
		set_state(f, PPP_CLOSING);
		break;
	case PPP_OPENED:
		set_state(f, PPP_CLOSING);
		tld(f);
		irc_term(f);
		str(f);
		timer_start(f);
		break;
	default:
		break;
	}
}

void ppp_fsm_timeout(struct ppp_fsm *f)
{
	timer_stop(f);
	switch (f->state) {
	case PPP_CLOSING:
	case PPP_STOPPING:
		if (f->restart > 0) {
			str(f);
		} else {
			set_state(f, f->state == PPP_CLOSING ? PPP_CLOSED : PPP_STOPPED);
			tlf(f);
		}
		break;
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		if (f->restart > 0) {
			scr(f);
			if (f->state == PPP_ACK_RCVD)
				set_state(f, PPP_REQ_SENT);
		} else {
			SG_LOG(PPP, INFO, "%s: Max-Configure exhausted", f->ops->name);
			set_state(f, PPP_STOPPED);
			tlf(f);
		}
		break;
	default:
		break;
	}
}

/* RXJ-: the peer rejected something we cannot live without. */
void ppp_fsm_rxj_minus(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_CLOSED:
	case PPP_STOPPED:
		tlf(f);
		break;
	case PPP_CLOSING:
		set_state(f, PPP_CLOSED);
		tlf(f);
		break;
	case PPP_STOPPING:
	case PPP_REQ_SENT:
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		set_state(f, PPP_STOPPED);
		tlf(f);
		break;
	case PPP_OPENED:
		set_state(f, PPP_STOPPING);
		tld(f);
		irc_term(f);
		str(f);
		break;
	default:
		break;
	}
}

/* Walk an option list; -1 if malformed (an option shorter than 2 or past the end). */
static int opts_valid(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < SG_PPP_OPT_HDR_LEN || p[off + 1] < SG_PPP_OPT_HDR_LEN ||
		    p[off + 1] > len - off)
			return -1;
		off += p[off + 1];
	}
	return 0;
}

/* RCR: judge the peer's request, reply, and return 1 for RCR+ or 0 for RCR-. */
static int rcv_conf_req(struct ppp_fsm *f, uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t nak[SG_PPP_FRAME_MAX], rej[SG_PPP_FRAME_MAX];
	size_t nak_len = 0, rej_len = 0, off = 0;
	uint8_t seen[32];
	struct sg_ppp_session *s = f->s;

	memset(seen, 0, sizeof(seen));
	f->ops->req_begin(f);
	while (off < len) {
		uint8_t type = p[off], olen = p[off + 1];
		uint8_t sug[256], sug_len = 0;
		enum ppp_verdict v;

		if (seen[type >> 3] & (1u << (type & 7))) {
			PPP_CNT(s, opt_duplicate);
			v = PPP_REJ;
		} else {
			seen[type >> 3] |= (uint8_t) (1u << (type & 7));
			v = f->ops->req_opt(f, type, p + off + 2, (uint8_t) (olen - 2), sug,
					    &sug_len);
		}
		if (v == PPP_NAK && (f->naks_sent >= s->max_failure ||
				     nak_len + sug_len > sizeof(nak) || sug_len == 0))
			v = PPP_REJ; /* Max-Failure: turn Naks into Rejects */
		if (v == PPP_REJ) {
			PPP_CNT(s, opt_rejected);
			memcpy(rej + rej_len, p + off, olen);
			rej_len += olen;
		} else if (v == PPP_NAK) {
			memcpy(nak + nak_len, sug, sug_len);
			nak_len += sug_len;
		}
		off += olen;
	}
	if (rej_len > 0) {
		ppp_fsm_send(f, SG_PPP_CONF_REJ, id, rej, rej_len);
		return 0;
	}
	if (f->ops->req_extra_nak != NULL && f->naks_sent < s->max_failure)
		nak_len += f->ops->req_extra_nak(f, nak + nak_len, sizeof(nak) - nak_len);
	if (nak_len > 0) {
		f->naks_sent++;
		ppp_fsm_send(f, SG_PPP_CONF_NAK, id, nak, nak_len);
		return 0;
	}
	f->naks_sent = 0;
	f->ops->req_commit(f);
	ppp_fsm_send(f, SG_PPP_CONF_ACK, id, p, len);
	return 1;
}

static void on_rcr(struct ppp_fsm *f, uint8_t id, const uint8_t *p, size_t len)
{
	int good;

	switch (f->state) {
	case PPP_CLOSED:
		sta(f, id);
		return;
	case PPP_CLOSING:
	case PPP_STOPPING:
		return;
	case PPP_STOPPED:
		irc_fresh(f);
		scr(f);
		break;
	case PPP_OPENED:
		tld(f);
		f->naks_sent = 0;
		scr(f);
		break;
	default:
		break;
	}
	good = rcv_conf_req(f, id, p, len);
	if (f->state == PPP_ACK_RCVD && good) {
		set_state(f, PPP_OPENED);
		tlu(f);
	} else if (f->state == PPP_ACK_RCVD) {
		/* stays Ack-Rcvd */
	} else {
		set_state(f, good ? PPP_ACK_SENT : PPP_REQ_SENT);
	}
}

static void on_rca(struct ppp_fsm *f, uint8_t id, const uint8_t *p, size_t len)
{
	if (id != f->req_id || len != f->req_len || memcmp(p, f->req, len) != 0) {
		PPP_CNT(f->s, drop_bad_id);
		return;
	}
	switch (f->state) {
	case PPP_CLOSED:
	case PPP_STOPPED:
		sta(f, id);
		break;
	case PPP_REQ_SENT:
		irc_conf(f);
		set_state(f, PPP_ACK_RCVD);
		break;
	case PPP_ACK_RCVD:
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	case PPP_ACK_SENT:
		irc_conf(f);
		set_state(f, PPP_OPENED);
		tlu(f);
		break;
	case PPP_OPENED:
		tld(f);
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	default:
		break;
	}
}

static void on_rcn(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *p, size_t len)
{
	size_t off = 0;

	if (id != f->req_id) {
		PPP_CNT(f->s, drop_bad_id);
		return;
	}
	switch (f->state) {
	case PPP_CLOSED:
	case PPP_STOPPED:
		sta(f, id);
		return;
	case PPP_CLOSING:
	case PPP_STOPPING:
		return;
	default:
		break;
	}
	while (off < len) {
		if (code == SG_PPP_CONF_NAK)
			f->ops->nak_opt(f, p[off], p + off + 2, (uint8_t) (p[off + 1] - 2));
		else
			f->ops->rej_opt(f, p[off]);
		off += p[off + 1];
	}
	if (f->state == PPP_CLOSED || f->state == PPP_STOPPED)
		return; /* a handler gave up (RXJ-) */
	switch (f->state) {
	case PPP_REQ_SENT:
	case PPP_ACK_SENT:
		irc_conf(f);
		scr(f);
		break;
	case PPP_ACK_RCVD:
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	case PPP_OPENED:
		tld(f);
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	default:
		break;
	}
}

static void on_rtr(struct ppp_fsm *f, uint8_t id)
{
	switch (f->state) {
	case PPP_ACK_RCVD:
	case PPP_ACK_SENT:
		sta(f, id);
		set_state(f, PPP_REQ_SENT);
		break;
	case PPP_OPENED:
		set_state(f, PPP_STOPPING);
		tld(f);
		sta(f, id);
		zrc(f);
		break;
	default:
		sta(f, id);
		break;
	}
}

static void on_rta(struct ppp_fsm *f, uint8_t id)
{
	(void) id;
	switch (f->state) {
	case PPP_CLOSING:
		set_state(f, PPP_CLOSED);
		tlf(f);
		break;
	case PPP_STOPPING:
		set_state(f, PPP_STOPPED);
		tlf(f);
		break;
	case PPP_ACK_RCVD:
		set_state(f, PPP_REQ_SENT);
		break;
	case PPP_OPENED:
		tld(f);
		scr(f);
		set_state(f, PPP_REQ_SENT);
		break;
	default:
		break;
	}
}

static void scj(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	size_t room = f->s->info.peer_mru > SG_PPP_CP_HDR_LEN ? f->s->info.peer_mru - 4u : 0;

	PPP_CNT(f->s, code_reject_sent);
	ppp_fsm_send(f, SG_PPP_CODE_REJ, f->id++, pkt, SG_MIN(len, room));
}

/* Code-Reject of a code we sent: fatal only for codes the protocol needs. */
static void on_rxj(struct ppp_fsm *f, const uint8_t *p, size_t len)
{
	if (len < 1)
		return;
	if (p[0] >= SG_PPP_CONF_REQ && p[0] <= SG_PPP_CODE_REJ) {
		ppp_fsm_rxj_minus(f);
	} else if (f->state == PPP_ACK_RCVD) {
		set_state(f, PPP_REQ_SENT); /* RXJ+ */
	}
}

/*
 * Our own LCP Configure-Request coming back byte for byte (options, and so our magic
 * number, identical) before the peer has sent any LCP packet: the link echoes what we
 * send. sstpc's default mode does this: it writes our request into pppd's pty before
 * pppd has put the pty in raw mode, the pty echoes it, and sstpc forwards the echo.
 * RFC 1661 §6.4 lets the implementation choose how to react to a looped-back link;
 * answering would loop our Configure-Reject/Nak back as well (and a looped-back Reject
 * of the authentication option ends the call), so the echo is counted and discarded
 * and the restart timer keeps our request going until the real peer speaks. Once the
 * peer has spoken, a request carrying our magic number is a collision handled by
 * Configure-Nak as usual. Any identifier: an echo of an earlier transmission counts.
 */
static bool own_request_echoed(const struct ppp_fsm *f, const uint8_t *data, size_t len)
{
	return f->ops->proto == SG_PPP_PROTO_LCP && !f->heard && f->req_len > 0 &&
	       len == f->req_len && memcmp(data, f->req, len) == 0;
}

int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	struct sg_ppp_session *s = f->s;
	uint8_t code, id;
	uint16_t plen;
	const uint8_t *data;
	size_t dlen;

	if (len < SG_PPP_CP_HDR_LEN) {
		PPP_CNT(s, drop_short);
		return -EINVAL;
	}
	code = pkt[0];
	id = pkt[1];
	plen = ppp_get16(pkt + 2);
	if (plen < SG_PPP_CP_HDR_LEN || plen > len) {
		PPP_CNT(s, drop_bad_length);
		return -EINVAL;
	}
	/* Octets past the length field are padding (RFC 1661 §5). */
	len = plen;
	data = pkt + SG_PPP_CP_HDR_LEN;
	dlen = len - SG_PPP_CP_HDR_LEN;
	if (f->state == PPP_INITIAL || f->state == PPP_STARTING) {
		PPP_CNT(s, drop_wrong_state);
		return -EAGAIN;
	}
	if (code == SG_PPP_CONF_REQ && own_request_echoed(f, data, dlen)) {
		PPP_CNT(s, loopback);
		return 0;
	}
	f->heard = true;
	switch (code) {
	case SG_PPP_CONF_REQ:
	case SG_PPP_CONF_ACK:
	case SG_PPP_CONF_NAK:
	case SG_PPP_CONF_REJ:
		if (opts_valid(data, dlen) != 0) {
			PPP_CNT(s, drop_bad_options);
			return -EINVAL;
		}
		if (code == SG_PPP_CONF_REQ)
			on_rcr(f, id, data, dlen);
		else if (code == SG_PPP_CONF_ACK)
			on_rca(f, id, data, dlen);
		else
			on_rcn(f, code, id, data, dlen);
		return 0;
	case SG_PPP_TERM_REQ:
		on_rtr(f, id);
		return 0;
	case SG_PPP_TERM_ACK:
		on_rta(f, id);
		return 0;
	case SG_PPP_CODE_REJ:
		on_rxj(f, data, dlen);
		return 0;
	default:
		if (f->ops->rx_extra != NULL && f->ops->rx_extra(f, code, id, data, dlen) == 0)
			return 0;
		scj(f, pkt, len);
		return 0;
	}
}
