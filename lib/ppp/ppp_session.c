/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PPP session: frame codec (address/control and protocol fields,
 * ACFC/PFC), routing by protocol to LCP, authentication and the NCPs, the
 * phases of RFC 1661 §3.2, timers as deadlines, actions through one callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ppp_private.h"
#include "sg_log.h"

static const char *const counter_names[SG_PPP_CNT_MAX] = {
#define SG_PPP_CNT_NAME_(n, d) [SG_PPP_CNT_##n] = #n,
    SG_PPP_COUNTERS(SG_PPP_CNT_NAME_)
#undef SG_PPP_CNT_NAME_
};

const char *sg_ppp_counter_name(enum sg_ppp_counter c)
{
	if ((unsigned int) c >= SG_PPP_CNT_MAX)
		return NULL;
	return counter_names[c];
}

void sg_ppp_counters_add(struct sg_ppp_counters *dst, const struct sg_ppp_counters *src)
{
	int i;

	for (i = 0; i < SG_PPP_CNT_MAX; i++)
		dst->c[i] += src->c[i];
}

size_t sg_ppp_session_size(void)
{
	return sizeof(struct sg_ppp_session);
}

static int resolve_config(struct sg_ppp_session *s, const struct sg_ppp_config *cfg)
{
	static const uint8_t default_order[SG_PPP_AUTH_METHODS] = {
	    SG_PPP_AUTH_MSCHAPV2, SG_PPP_AUTH_CHAP_MD5, SG_PPP_AUTH_PAP};
	const uint8_t *order = default_order;
	int i;

	if (cfg->role != SG_PPP_ROLE_SERVER && cfg->role != SG_PPP_ROLE_PEER)
		return -EINVAL;
	if (cfg->mru != 0 && (cfg->mru < SG_PPP_MRU_MIN || cfg->mru > SG_PPP_MRU_MAX))
		return -EINVAL;
	if (cfg->role == SG_PPP_ROLE_PEER && (cfg->user == NULL || cfg->password == NULL))
		return -EINVAL;
	if (cfg->eap_type != 0 && cfg->eap_type != SG_EAP_TYPE_MD5 &&
	    cfg->eap_type != SG_EAP_TYPE_MSCHAPV2)
		return -EINVAL;
	s->mru = cfg->mru != 0 ? cfg->mru : SG_PPP_MRU_SSTP;
	s->restart_usec = cfg->restart_usec != 0 ? cfg->restart_usec : 3 * SG_USEC_PER_SEC;
	s->auth_timeout_usec =
	    cfg->auth_timeout_usec != 0 ? cfg->auth_timeout_usec : 30 * SG_USEC_PER_SEC;
	s->max_configure = cfg->max_configure != 0 ? cfg->max_configure : 10;
	s->max_terminate = cfg->max_terminate != 0 ? cfg->max_terminate : 2;
	s->max_failure = cfg->max_failure != 0 ? cfg->max_failure : 5;
	s->echo_failures = cfg->echo_failures != 0 ? cfg->echo_failures : 3;
	if (cfg->auth[0] != 0)
		order = cfg->auth;
	for (i = 0; i < SG_PPP_AUTH_METHODS && order[i] != 0; i++) {
		if (order[i] > SG_PPP_AUTH_EAP)
			return -EINVAL;
		s->auth_order[s->n_auth++] = order[i];
	}
	return 0;
}

int sg_ppp_session_init(struct sg_ppp_session *s, const struct sg_ppp_config *cfg,
			sg_ppp_action_fn fn, void *arg)
{
	int rc;

	if (s == NULL || cfg == NULL || fn == NULL)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	rc = resolve_config(s, cfg);
	if (rc != 0)
		return rc;
	s->cfg = cfg;
	s->fn = fn;
	s->arg = arg;
	s->cnt = cfg->counters != NULL ? cfg->counters : &s->own;
	s->phase = SG_PPP_PHASE_DEAD;
	if (cfg->role == SG_PPP_ROLE_SERVER)
		s->info.peer_ipv4 = cfg->peer_ipv4;
	ppp_fsm_init(&s->lcp, s, &ppp_lcp_ops);
	ppp_fsm_init(&s->ipcp, s, &ppp_ipcp_ops);
	ppp_fsm_init(&s->ipv6cp, s, &ppp_ipv6cp_ops);
	ppp_lcp_reset(s);
	ppp_ipcp_reset(s);
	ppp_ipv6cp_reset(s);
	s->a.deadline = SG_PPP_NO_DEADLINE;
	s->a.phase_limit = SG_PPP_NO_DEADLINE;
	return 0;
}

struct sg_ppp_session *sg_ppp_session_new(const struct sg_ppp_config *cfg, sg_ppp_action_fn fn,
					  void *arg)
{
	struct sg_ppp_session *s = malloc(sizeof(*s));
	int rc;

	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	rc = sg_ppp_session_init(s, cfg, fn, arg);
	if (rc != 0) {
		free(s);
		errno = -rc;
		return NULL;
	}
	return s;
}

void sg_ppp_session_wipe(struct sg_ppp_session *s)
{
	if (s != NULL)
		OPENSSL_cleanse(s, sizeof(*s));
}

void sg_ppp_session_free(struct sg_ppp_session *s)
{
	if (s == NULL)
		return;
	sg_ppp_session_wipe(s);
	free(s);
}

#define ENTER(s, t)                                                                                \
	do {                                                                                       \
		if ((s)->busy) {                                                                   \
			PPP_CNT(s, drop_busy);                                                     \
			return -EBUSY;                                                             \
		}                                                                                  \
		(s)->busy = 1;                                                                     \
		if ((t) > (s)->now)                                                                \
			(s)->now = (t);                                                            \
	} while (0)
#define LEAVE(s) ((s)->busy = 0)

void ppp_emit(struct sg_ppp_session *s, enum sg_ppp_action_type type)
{
	struct sg_ppp_action act = {
	    .type = type, .info = &s->info, .reason = (enum sg_ppp_reason) s->reason};

	s->fn(s->arg, &act);
}

void ppp_send_cp(struct sg_ppp_session *s, uint16_t proto, uint8_t code, uint8_t id,
		 const uint8_t *data, size_t len)
{
	uint8_t buf[SG_PPP_FRAME_MAX + 16];
	struct sg_ppp_action act = {.type = SG_PPP_ACT_SEND, .info = &s->info};
	size_t n = 0;

	if (proto == SG_PPP_PROTO_LCP || !s->info.tx_acfc) {
		buf[n++] = SG_PPP_ADDRESS;
		buf[n++] = SG_PPP_CONTROL;
	}
	ppp_put16(buf + n, proto);
	n += 2;
	len = SG_MIN(len, sizeof(buf) - n - SG_PPP_CP_HDR_LEN);
	buf[n] = code;
	buf[n + 1] = id;
	ppp_put16(buf + n + 2, (uint16_t) (len + SG_PPP_CP_HDR_LEN));
	n += SG_PPP_CP_HDR_LEN;
	if (len > 0)
		memcpy(buf + n, data, len);
	n += len;
	PPP_CNT(s, tx_frames);
	act.frame = buf;
	act.len = n;
	s->fn(s->arg, &act);
	OPENSSL_cleanse(buf, n); /* PAP requests carry a password */
}

static void start_network(struct sg_ppp_session *s)
{
	s->phase = SG_PPP_PHASE_NETWORK;
	if (!s->cfg->disable_ipv4) {
		ppp_fsm_up(&s->ipcp);
		ppp_fsm_open(&s->ipcp);
	}
	if (!s->cfg->disable_ipv6 && s->phase == SG_PPP_PHASE_NETWORK) {
		ppp_fsm_up(&s->ipv6cp);
		ppp_fsm_open(&s->ipv6cp);
	}
}

void ppp_session_fail(struct sg_ppp_session *s, enum sg_ppp_reason reason)
{
	if (s->reason == SG_PPP_REASON_NONE)
		s->reason = (uint8_t) reason;
	if (s->phase != SG_PPP_PHASE_DEAD)
		s->phase = SG_PPP_PHASE_TERMINATE;
	ppp_fsm_close(&s->lcp);
}

void ppp_session_lcp_up(struct sg_ppp_session *s)
{
	bool server = s->cfg->role == SG_PPP_ROLE_SERVER;

	if (server && s->cfg->no_auth) {
		start_network(s);
	} else if (server && (s->l.auth_method == SG_PPP_AUTH_NONE || s->l.auth_refused)) {
		ppp_session_fail(s, SG_PPP_REASON_AUTH_REFUSED);
	} else if (s->l.auth_method != SG_PPP_AUTH_NONE) {
		s->phase = SG_PPP_PHASE_AUTHENTICATE;
		ppp_auth_start(s);
	} else {
		start_network(s);
	}
}

void ppp_session_auth_done(struct sg_ppp_session *s, bool ok)
{
	if (ok)
		start_network(s);
	else
		ppp_session_fail(s, SG_PPP_REASON_AUTH_FAILED);
}

void ppp_session_lcp_down(struct sg_ppp_session *s)
{
	if (s->reason == SG_PPP_REASON_NONE && s->lcp.state == PPP_STOPPING)
		s->reason = SG_PPP_REASON_PEER_TERMINATE;
	ppp_auth_stop(s);
	ppp_fsm_down(&s->ipcp);
	ppp_fsm_down(&s->ipv6cp);
	ppp_fsm_init(&s->ipcp, s, &ppp_ipcp_ops);
	ppp_fsm_init(&s->ipv6cp, s, &ppp_ipv6cp_ops);
	ppp_ipcp_reset(s);
	ppp_ipv6cp_reset(s);
	s->phase = (s->lcp.state == PPP_CLOSING || s->lcp.state == PPP_STOPPING)
		       ? SG_PPP_PHASE_TERMINATE
		       : SG_PPP_PHASE_ESTABLISH;
	ppp_emit(s, SG_PPP_ACT_LINK_DOWN);
}

void ppp_session_lcp_finished(struct sg_ppp_session *s)
{
	if (s->reason == SG_PPP_REASON_NONE)
		s->reason = SG_PPP_REASON_NEGOTIATION;
	ppp_auth_stop(s);
	s->phase = SG_PPP_PHASE_DEAD;
	ppp_emit(s, SG_PPP_ACT_FINISHED);
}

static bool ncp_alive(const struct ppp_fsm *f)
{
	return f->state >= PPP_CLOSING;
}

void ppp_session_ncp_finished(struct sg_ppp_session *s)
{
	if (s->phase == SG_PPP_PHASE_NETWORK && !ncp_alive(&s->ipcp) && !ncp_alive(&s->ipv6cp)) {
		SG_LOG(PPP, INFO, "no network protocol could be negotiated");
		ppp_session_fail(s, SG_PPP_REASON_NO_NCP);
	}
}

void ppp_session_proto_rejected(struct sg_ppp_session *s, uint16_t proto)
{
	switch (proto) {
	case SG_PPP_PROTO_IPCP:
		ppp_fsm_rxj_minus(&s->ipcp);
		break;
	case SG_PPP_PROTO_IPV6CP:
		ppp_fsm_rxj_minus(&s->ipv6cp);
		break;
	case SG_PPP_PROTO_PAP:
	case SG_PPP_PROTO_CHAP:
	case SG_PPP_PROTO_EAP:
		if (s->phase == SG_PPP_PHASE_AUTHENTICATE)
			ppp_session_fail(s, SG_PPP_REASON_AUTH_REFUSED);
		break;
	default:
		break;
	}
}

int sg_ppp_session_start(struct sg_ppp_session *s, sg_usec_t now)
{
	ENTER(s, now);
	if (!s->started) {
		s->started = true;
		s->phase = SG_PPP_PHASE_ESTABLISH;
		ppp_fsm_up(&s->lcp);
		ppp_fsm_open(&s->lcp);
	}
	LEAVE(s);
	return 0;
}

int sg_ppp_session_close(struct sg_ppp_session *s, sg_usec_t now)
{
	ENTER(s, now);
	ppp_session_fail(s, SG_PPP_REASON_ADMIN);
	LEAVE(s);
	return 0;
}

int sg_ppp_session_lower_down(struct sg_ppp_session *s, sg_usec_t now)
{
	ENTER(s, now);
	if (s->reason == SG_PPP_REASON_NONE)
		s->reason = SG_PPP_REASON_LOWER_DOWN;
	ppp_fsm_down(&s->lcp);
	ppp_auth_stop(s);
	s->lcp.deadline = s->ipcp.deadline = s->ipv6cp.deadline = SG_PPP_NO_DEADLINE;
	s->l.echo_deadline = SG_PPP_NO_DEADLINE;
	s->phase = SG_PPP_PHASE_DEAD;
	LEAVE(s);
	return 0;
}

void sg_ppp_session_set_peer_ipv4(struct sg_ppp_session *s, uint32_t addr)
{
	if (s->cfg->role == SG_PPP_ROLE_SERVER)
		s->info.peer_ipv4 = addr;
}

void sg_ppp_session_set_peer_ifid(struct sg_ppp_session *s, uint64_t id)
{
	if (s->cfg->role == SG_PPP_ROLE_SERVER)
		s->ip6.offer_ifid = id;
}

int sg_ppp_frame_parse(const uint8_t *frame, size_t len, uint16_t *proto, uint16_t *offset)
{
	size_t off = 0;

	if (len >= 1 && frame[0] == SG_PPP_ADDRESS) {
		if (len < 2 || frame[1] != SG_PPP_CONTROL)
			return -EINVAL;
		off = 2;
	}
	if (len <= off)
		return -EINVAL;
	if (frame[off] & 1) { /* compressed (PFC) 1-byte field */
		*proto = frame[off];
		off += 1;
	} else {
		if (len - off < 2 || !(frame[off + 1] & 1))
			return -EINVAL;
		*proto = ppp_get16(frame + off);
		off += 2;
	}
	*offset = (uint16_t) off;
	return 0;
}

static int protocol_reject(struct sg_ppp_session *s, const uint8_t *frame, size_t len,
			   uint16_t proto, uint16_t off)
{
	uint8_t buf[SG_PPP_FRAME_MAX];
	size_t room = s->info.peer_mru - SG_PPP_CP_HDR_LEN - 2;
	size_t n = SG_MIN(len - off, room);

	ppp_put16(buf, proto);
	memcpy(buf + 2, frame + off, n);
	PPP_CNT(s, proto_reject_sent);
	ppp_send_cp(s, SG_PPP_PROTO_LCP, SG_PPP_PROTO_REJ, s->lcp.id++, buf, n + 2);
	return -EPROTONOSUPPORT;
}

static int control_input(struct sg_ppp_session *s, const uint8_t *frame, size_t len, uint16_t proto,
			 uint16_t off)
{
	bool lcp_open = s->lcp.state == PPP_OPENED;
	struct ppp_fsm *ncp;

	switch (proto) {
	case SG_PPP_PROTO_LCP:
		return ppp_fsm_input(&s->lcp, frame + off, len - off);
	case SG_PPP_PROTO_PAP:
	case SG_PPP_PROTO_CHAP:
	case SG_PPP_PROTO_EAP:
		if (!lcp_open)
			break;
		ppp_auth_input(s, proto, frame + off, len - off);
		return SG_PPP_INPUT_CONTROL;
	case SG_PPP_PROTO_IPCP:
	case SG_PPP_PROTO_IPV6CP:
		if (!lcp_open)
			break;
		if ((proto == SG_PPP_PROTO_IPCP && s->cfg->disable_ipv4) ||
		    (proto == SG_PPP_PROTO_IPV6CP && s->cfg->disable_ipv6))
			return protocol_reject(s, frame, len, proto, off);
		if (s->phase != SG_PPP_PHASE_NETWORK)
			break; /* NCP packets before the Network phase are discarded */
		ncp = proto == SG_PPP_PROTO_IPCP ? &s->ipcp : &s->ipv6cp;
		return ppp_fsm_input(ncp, frame + off, len - off);
	default:
		if (!lcp_open)
			break;
		return protocol_reject(s, frame, len, proto, off);
	}
	PPP_CNT(s, drop_wrong_state);
	return -EAGAIN;
}

int sg_ppp_session_input(struct sg_ppp_session *s, const uint8_t *frame, size_t len, sg_usec_t now,
			 struct sg_ppp_packet *pkt)
{
	uint16_t proto, off;
	int rc;

	ENTER(s, now);
	PPP_CNT(s, rx_frames);
	if (len > SG_PPP_FRAME_MAX) {
		PPP_CNT(s, drop_oversize);
		rc = -EMSGSIZE;
	} else if (len < 2) {
		PPP_CNT(s, drop_short);
		rc = -EINVAL;
	} else if (sg_ppp_frame_parse(frame, len, &proto, &off) != 0) {
		PPP_CNT(s, drop_bad_header);
		rc = -EINVAL;
	} else if (proto == SG_PPP_PROTO_IPV4 || proto == SG_PPP_PROTO_IPV6) {
		const struct ppp_fsm *ncp = proto == SG_PPP_PROTO_IPV4 ? &s->ipcp : &s->ipv6cp;
		if (ncp->state == PPP_OPENED && len > off) {
			PPP_CNT(s, rx_data);
			if (pkt != NULL) {
				pkt->proto = proto;
				pkt->offset = off;
				pkt->len = (uint16_t) (len - off);
			}
			rc = proto == SG_PPP_PROTO_IPV4 ? SG_PPP_INPUT_IPV4 : SG_PPP_INPUT_IPV6;
		} else {
			PPP_CNT(s, drop_not_open);
			rc = -EAGAIN;
		}
	} else {
		rc = control_input(s, frame, len, proto, off);
		if (rc > 0)
			rc = SG_PPP_INPUT_CONTROL;
	}
	LEAVE(s);
	return rc;
}

sg_usec_t sg_ppp_session_deadline(const struct sg_ppp_session *s)
{
	sg_usec_t d = s->lcp.deadline;

	d = SG_MIN(d, s->ipcp.deadline);
	d = SG_MIN(d, s->ipv6cp.deadline);
	d = SG_MIN(d, s->a.deadline);
	d = SG_MIN(d, s->a.phase_limit);
	d = SG_MIN(d, s->l.echo_deadline);
	return d;
}

int sg_ppp_session_timer(struct sg_ppp_session *s, sg_usec_t now)
{
	ENTER(s, now);
	if (s->lcp.deadline <= s->now)
		ppp_fsm_timeout(&s->lcp);
	if (s->ipcp.deadline <= s->now)
		ppp_fsm_timeout(&s->ipcp);
	if (s->ipv6cp.deadline <= s->now)
		ppp_fsm_timeout(&s->ipv6cp);
	if (s->a.deadline <= s->now || s->a.phase_limit <= s->now)
		ppp_auth_timer(s);
	if (s->l.echo_deadline <= s->now)
		ppp_lcp_echo_timer(s);
	LEAVE(s);
	return 0;
}

int sg_ppp_session_auth_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r,
			       sg_usec_t now)
{
	int rc;

	if (r == NULL)
		return -EINVAL;
	ENTER(s, now);
	rc = ppp_auth_result(s, r);
	LEAVE(s);
	return rc;
}

enum sg_ppp_phase sg_ppp_session_phase(const struct sg_ppp_session *s)
{
	return (enum sg_ppp_phase) s->phase;
}

const struct sg_ppp_info *sg_ppp_session_info(const struct sg_ppp_session *s)
{
	return &s->info;
}

const struct sg_ppp_counters *sg_ppp_session_counters(const struct sg_ppp_session *s)
{
	return s->cnt;
}

bool sg_ppp_session_ipv4_open(const struct sg_ppp_session *s)
{
	return s->ipcp.state == PPP_OPENED;
}

bool sg_ppp_session_ipv6_open(const struct sg_ppp_session *s)
{
	return s->ipv6cp.state == PPP_OPENED;
}

bool sg_ppp_session_hlak(const struct sg_ppp_session *s, uint8_t out[32])
{
	const struct sg_ppp_info *in = &s->info;
	bool server = s->cfg->role == SG_PPP_ROLE_SERVER;

	if (!in->has_keys) {
		memset(out, 0, 32);
		return false;
	}
	memcpy(out, server ? in->recv_key : in->send_key, SG_MPPE_KEY_LEN);
	memcpy(out + SG_MPPE_KEY_LEN, server ? in->send_key : in->recv_key, SG_MPPE_KEY_LEN);
	return true;
}

int sg_ppp_session_data_header(const struct sg_ppp_session *s, uint16_t proto,
			       uint8_t hdr[SG_PPP_HDR_MAX])
{
	int n = 0;

	if (!s->info.tx_acfc) {
		hdr[n++] = SG_PPP_ADDRESS;
		hdr[n++] = SG_PPP_CONTROL;
	}
	if (s->info.tx_pfc && proto < 0x100) {
		hdr[n++] = (uint8_t) proto;
	} else {
		hdr[n++] = (uint8_t) (proto >> 8);
		hdr[n++] = (uint8_t) proto;
	}
	return n;
}
