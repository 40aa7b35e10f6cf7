/* SPDX-License-Identifier: BSD-3-Clause */
/* The server side of one SSTP call: lib/sstp's state machine feeding lib/ppp's session. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdalign.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sg_log.h"
#include "sg_tunnel.h"

/* An AAA answer that arrived while PPP was busy calling us: applied when it returns. */
struct deferred_auth {
	bool pending;
	bool accept;
	bool has_success;
	char success[SG_AAA_MSCHAP2_SUCCESS_LEN + 1];
	char message[256]; /* as sg_aaa_result.reply_message */
	uint32_t peer_ipv4; /* host order, 0: none */
	bool challenge;	    /* EAP: another round; eap is the Request to relay */
	uint16_t eap_len;   /* EAP: the backend's packet (0: none) */
	uint8_t eap[SG_EAP_MAX];
};

struct sg_tunnel {
	const struct sg_tunnel_config *cfg;
	sg_tunnel_event_fn fn;
	void *arg;
	struct sg_sstp_server sstp;
	bool ppp_started;
	bool in_ppp; /* inside a lib/ppp call: it must not be re-entered */
	bool defer_lower_down;
	bool auth_pending;
	bool open;
	bool closed;
	uint32_t auth_seq;
	sg_usec_t now; /* time of the current entry call, for work done inside callbacks */
	enum sg_tunnel_reason close_reason; /* set when we decide why before SSTP closes */
	struct deferred_auth deferred;
	uint8_t hlak[32]; /* from the AAA answer; zeros without keys */
	alignas(16) unsigned char ppp_mem[];
};

static const char *const reason_names[] = {
#define SG_TUNNEL_REASON_NAME_(id, text) [SG_TUNNEL_REASON_##id] = #id,
	SG_TUNNEL_REASONS(SG_TUNNEL_REASON_NAME_)
#undef SG_TUNNEL_REASON_NAME_
};

const char *sg_tunnel_reason_name(enum sg_tunnel_reason r)
{
	if ((unsigned int)r >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "?";
	return reason_names[r];
}

static struct sg_ppp_session *ppp(const struct sg_tunnel *t)
{
	return (struct sg_ppp_session *)(uintptr_t)t->ppp_mem;
}

size_t sg_tunnel_size(void)
{
	return sizeof(struct sg_tunnel) + sg_ppp_session_size();
}

static void emit(struct sg_tunnel *t, struct sg_tunnel_event *ev)
{
	if (ev->info == NULL && t->ppp_started)
		ev->info = sg_ppp_session_info(ppp(t));
	t->fn(t->arg, ev);
}

static void emit_close(struct sg_tunnel *t, enum sg_tunnel_reason reason, enum sg_sstp_reason sr)
{
	struct sg_tunnel_event ev = {.type = SG_TUNNEL_EV_CLOSE, .reason = reason, .sstp_reason = sr};

	if (t->closed)
		return;
	t->closed = true;
	t->open = false;
	emit(t, &ev);
}

static bool sstp_live(enum sg_sstp_state st)
{
	return st == SG_SSTP_ST_HTTP || st == SG_SSTP_ST_CONNECT_REQ_PENDING ||
	       st == SG_SSTP_ST_CONNECTED_PENDING || st == SG_SSTP_ST_CONNECTED;
}

/* Why SSTP closed, when we did not decide it ourselves. */
static enum sg_tunnel_reason sstp_close_reason(const struct sg_tunnel *t,
					       const struct sg_sstp_result *r,
					       enum sg_sstp_state before)
{
	if (t->close_reason != SG_TUNNEL_REASON_NONE)
		return t->close_reason;
	if (r->http_status >= 400)
		return SG_TUNNEL_REASON_HTTP_REFUSED;
	if (before == SG_SSTP_ST_DISCONNECT_ACK_PENDING || before == SG_SSTP_ST_DISCONNECT_TIMEOUT)
		return SG_TUNNEL_REASON_SSTP_DISCONNECT;
	if (r->status != 0 || before == SG_SSTP_ST_ABORT_PENDING ||
	    before == SG_SSTP_ST_ABORT_TIMEOUT)
		return SG_TUNNEL_REASON_SSTP_ABORT;
	return SG_TUNNEL_REASON_SSTP_PROTOCOL;
}

static void ppp_lower_down(struct sg_tunnel *t, sg_usec_t now)
{
	if (!t->ppp_started)
		return;
	if (t->in_ppp) {
		t->defer_lower_down = true;
		return;
	}
	t->in_ppp = true;
	sg_ppp_session_lower_down(ppp(t), now);
	t->in_ppp = false;
}

static void ppp_frame_in(struct sg_tunnel *t, const uint8_t *frame, size_t len, sg_usec_t now);

/* Carry out what lib/sstp asked for, in its documented order. */
static void apply_sstp(struct sg_tunnel *t, const struct sg_sstp_result *r, sg_usec_t now,
		       enum sg_sstp_state before)
{
	if (r->actions & SG_SSTP_ACT_SEND) {
		struct sg_tunnel_event ev = {.type = SG_TUNNEL_EV_SEND, .data = r->tx,
					     .len = r->tx_len};
		emit(t, &ev);
	}
	if ((r->actions & SG_SSTP_ACT_PPP_START) && !t->ppp_started && !t->in_ppp) {
		t->ppp_started = true;
		t->in_ppp = true;
		sg_ppp_session_start(ppp(t), now);
		t->in_ppp = false;
	}
	if (r->actions & SG_SSTP_ACT_PPP_INPUT)
		ppp_frame_in(t, r->ppp, r->ppp_len, now);
	if ((r->actions & SG_SSTP_ACT_DATA_OPEN) && !t->open && !t->closed) {
		struct sg_tunnel_event ev = {.type = SG_TUNNEL_EV_OPEN};
		t->open = true;
		emit(t, &ev);
	}
	if (r->actions & SG_SSTP_ACT_PPP_DOWN) {
		t->open = false;
		ppp_lower_down(t, now);
	}
	if (r->actions & SG_SSTP_ACT_CLOSE)
		emit_close(t, sstp_close_reason(t, r, before), r->reason);
}

static void sstp_disconnect(struct sg_tunnel *t, sg_usec_t now)
{
	struct sg_sstp_result r;
	enum sg_sstp_state before = sg_sstp_server_state(&t->sstp);

	sg_sstp_server_disconnect(&t->sstp, now, &r);
	apply_sstp(t, &r, now, before);
}

static void ppp_deferred(struct sg_tunnel *t, sg_usec_t now);

static void ppp_frame_in(struct sg_tunnel *t, const uint8_t *frame, size_t len, sg_usec_t now)
{
	struct sg_ppp_packet pkt;
	int rc;

	if (!t->ppp_started || t->in_ppp)
		return; /* before PPP_START lib/sstp passes nothing; re-entry cannot happen */
	t->in_ppp = true;
	rc = sg_ppp_session_input(ppp(t), frame, len, now, &pkt);
	t->in_ppp = false;
	if ((rc == SG_PPP_INPUT_IPV4 || rc == SG_PPP_INPUT_IPV6) && t->open) {
		struct sg_tunnel_event ev = {.type = SG_TUNNEL_EV_IP, .data = frame + pkt.offset,
					     .len = pkt.len, .proto = pkt.proto};
		emit(t, &ev);
	}
	ppp_deferred(t, now);
}

/* lib/ppp's actions. We are inside a lib/ppp call here: never call into it. */
static void on_ppp(void *arg, const struct sg_ppp_action *a)
{
	struct sg_tunnel *t = arg;
	struct sg_tunnel_event ev = {.info = a->info};

	switch (a->type) {
	case SG_PPP_ACT_SEND: {
		uint8_t pkt[SG_SSTP_MAX_PACKET];

		if (a->len > sizeof(pkt) - SG_SSTP_HDR_LEN ||
		    sg_sstp_server_ppp_tx(&t->sstp, a->frame, a->len, pkt) < 0)
			return; /* not allowed in this SSTP state, or too big: lib/sstp counted it */
		memcpy(pkt + SG_SSTP_HDR_LEN, a->frame, a->len);
		ev.type = SG_TUNNEL_EV_SEND;
		ev.data = pkt;
		ev.len = SG_SSTP_HDR_LEN + a->len;
		emit(t, &ev);
		return;
	}
	case SG_PPP_ACT_AUTH_REQUEST: {
		struct sg_aaa_auth_req req;

		if (sg_tunnel_aaa_request(a->auth, &req) < 0) {
			SG_LOG(SSTP, WARNING, "tunnel: auth request not representable, refused");
			t->auth_seq = a->auth->seq;
			t->auth_pending = true;
			t->deferred = (struct deferred_auth){.pending = true, .accept = false};
			return;
		}
		t->auth_seq = a->auth->seq;
		t->auth_pending = true;
		ev.type = SG_TUNNEL_EV_AUTH;
		ev.auth = &req;
		emit(t, &ev);
		OPENSSL_cleanse(&req, sizeof(req));
		return;
	}
	case SG_PPP_ACT_AUTH_UP: {
		struct sg_sstp_result r;
		enum sg_sstp_state before = sg_sstp_server_state(&t->sstp);

		/* The HLAK comes from the AAA answer (MPPE keys from RADIUS or the local
		 * MS-CHAPv2 check); PAP and CHAP-MD5 leave it zero, as MS-SSTP says. */
		sg_sstp_server_auth_done(&t->sstp, t->hlak, t->now, &r);
		apply_sstp(t, &r, t->now, before);
		return;
	}
	case SG_PPP_ACT_IPCP_UP:
		ev.type = SG_TUNNEL_EV_IPV4_UP;
		break;
	case SG_PPP_ACT_IPCP_DOWN:
		ev.type = SG_TUNNEL_EV_IPV4_DOWN;
		break;
	case SG_PPP_ACT_IPV6CP_UP:
		ev.type = SG_TUNNEL_EV_IPV6_UP;
		break;
	case SG_PPP_ACT_IPV6CP_DOWN:
		ev.type = SG_TUNNEL_EV_IPV6_DOWN;
		break;
	case SG_PPP_ACT_LINK_DOWN:
		return;
	case SG_PPP_ACT_FINISHED:
		if (t->close_reason == SG_TUNNEL_REASON_NONE)
			t->close_reason = a->reason == SG_PPP_REASON_AUTH_FAILED
						  ? SG_TUNNEL_REASON_AUTH_FAILED
						  : SG_TUNNEL_REASON_PPP_DOWN;
		if (!t->closed)
			sstp_disconnect(t, t->now);
		return;
	}
	if (!t->closed)
		emit(t, &ev);
}

static void apply_auth(struct sg_tunnel *t, const struct deferred_auth *d, sg_usec_t now)
{
	struct sg_ppp_auth_result res = {
		.seq = t->auth_seq,
		.accept = d->accept,
		.mschap2_success = d->has_success ? d->success : NULL,
		.message = d->message[0] ? d->message : NULL,
		.peer_ipv4 = d->peer_ipv4,
		.challenge = d->challenge,
		.eap = d->eap_len > 0 ? d->eap : NULL,
		.eap_len = d->eap_len,
	};

	t->auth_pending = false;
	if (!d->accept && !d->challenge)
		t->close_reason = SG_TUNNEL_REASON_AUTH_FAILED;
	t->in_ppp = true;
	sg_ppp_session_auth_result(ppp(t), &res, now);
	t->in_ppp = false;
}

/* Work that had to wait until lib/ppp returned. */
static void ppp_deferred(struct sg_tunnel *t, sg_usec_t now)
{
	while (!t->in_ppp && (t->deferred.pending || t->defer_lower_down)) {
		if (t->deferred.pending) {
			struct deferred_auth d = t->deferred;

			t->deferred.pending = false;
			apply_auth(t, &d, now);
			OPENSSL_cleanse(&d, sizeof(d));
		}
		if (t->defer_lower_down) {
			t->defer_lower_down = false;
			ppp_lower_down(t, now);
		}
	}
}

int sg_tunnel_init(struct sg_tunnel *t, const struct sg_tunnel_config *cfg, sg_tunnel_event_fn fn,
		   void *arg, sg_usec_t now)
{
	int rc;

	if (cfg == NULL || cfg->sstp == NULL || cfg->ppp == NULL || fn == NULL ||
	    cfg->ppp->role != SG_PPP_ROLE_SERVER)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->fn = fn;
	t->arg = arg;
	t->now = now;
	rc = sg_sstp_server_init(&t->sstp, cfg->sstp, cfg->sstp_stats, now);
	if (rc < 0)
		return rc;
	rc = sg_ppp_session_init(ppp(t), cfg->ppp, on_ppp, t);
	if (rc < 0)
		sg_sstp_server_fini(&t->sstp);
	return rc;
}

void sg_tunnel_fini(struct sg_tunnel *t)
{
	sg_sstp_server_fini(&t->sstp);
	sg_ppp_session_wipe(ppp(t));
	OPENSSL_cleanse(t->hlak, sizeof(t->hlak));
	OPENSSL_cleanse(&t->deferred, sizeof(t->deferred));
}

int sg_tunnel_input(struct sg_tunnel *t, const uint8_t *data, size_t len, sg_usec_t now)
{
	t->now = now;
	while (len > 0 && !t->closed) {
		struct sg_sstp_result r;
		enum sg_sstp_state before = sg_sstp_server_state(&t->sstp);
		int n = sg_sstp_server_rx(&t->sstp, data, len, now, &r);

		apply_sstp(t, &r, now, before);
		if (n <= 0)
			break;
		data += n;
		len -= (size_t)n;
	}
	return t->closed ? -EPIPE : 0;
}

int sg_tunnel_auth_result(struct sg_tunnel *t, const struct sg_aaa_result *res, sg_usec_t now)
{
	struct deferred_auth d = {.pending = true};

	t->now = now;
	if (!t->auth_pending || t->deferred.pending)
		return -ESTALE;
	d.accept = res->status == SG_AAA_ACCEPT;
	d.challenge = res->status == SG_AAA_CHALLENGE;
	if (res->eap_len > 0 && res->eap_len <= sizeof(d.eap)) {
		memcpy(d.eap, res->eap, res->eap_len);
		d.eap_len = (uint16_t)res->eap_len;
	} else if (d.challenge) {
		d.challenge = false; /* nothing we can relay: lib/ppp refuses the peer */
	}
	if (d.challenge) {
		/* another EAP round: no keys, no address yet */
		t->deferred = d;
		OPENSSL_cleanse(&d, sizeof(d));
		ppp_deferred(t, now);
		return 0;
	}
	if (d.accept && (res->has & SG_AAA_HAS_MSCHAP2_SUCCESS)) {
		d.has_success = true;
		memcpy(d.success, res->mschap2_success, sizeof(d.success));
		d.success[sizeof(d.success) - 1] = '\0';
	}
	snprintf(d.message, sizeof(d.message), "%.255s", res->reply_message);
	if (res->has & SG_AAA_HAS_FRAMED_IP)
		d.peer_ipv4 = ntohl(res->framed_ip);
	if (d.accept && (res->has & SG_AAA_HAS_KEYS))
		memcpy(t->hlak, res->hlak, sizeof(t->hlak));
	else
		memset(t->hlak, 0, sizeof(t->hlak));
	t->deferred = d;
	OPENSSL_cleanse(&d, sizeof(d));
	ppp_deferred(t, now); /* at once, unless we are inside lib/ppp's callback */
	return 0;
}

void sg_tunnel_set_peer_ipv4(struct sg_tunnel *t, uint32_t addr)
{
	sg_ppp_session_set_peer_ipv4(ppp(t), addr);
}

void sg_tunnel_set_peer_ifid(struct sg_tunnel *t, uint64_t id)
{
	sg_ppp_session_set_peer_ifid(ppp(t), id);
}

sg_usec_t sg_tunnel_deadline(const struct sg_tunnel *t)
{
	sg_usec_t a = sg_sstp_server_deadline(&t->sstp);
	sg_usec_t b = t->ppp_started ? sg_ppp_session_deadline(ppp(t)) : SG_PPP_NO_DEADLINE;

	if (t->closed)
		return UINT64_MAX;
	return a < b ? a : b;
}

void sg_tunnel_timer(struct sg_tunnel *t, sg_usec_t now)
{
	t->now = now;
	if (t->closed)
		return;
	if (now >= sg_sstp_server_deadline(&t->sstp)) {
		struct sg_sstp_result r;
		enum sg_sstp_state before = sg_sstp_server_state(&t->sstp);

		sg_sstp_server_timer(&t->sstp, now, &r);
		/* A timer that ends a live call is a timeout (HTTP, negotiation, hello); one
		 * that ends an abort or disconnect already under way keeps that reason. */
		if (t->close_reason == SG_TUNNEL_REASON_NONE && sstp_live(before) &&
		    !sstp_live(sg_sstp_server_state(&t->sstp)))
			t->close_reason = SG_TUNNEL_REASON_SSTP_TIMEOUT;
		apply_sstp(t, &r, now, before);
	}
	if (!t->closed && t->ppp_started && now >= sg_ppp_session_deadline(ppp(t))) {
		t->in_ppp = true;
		sg_ppp_session_timer(ppp(t), now);
		t->in_ppp = false;
		ppp_deferred(t, now);
	}
}

void sg_tunnel_disconnect(struct sg_tunnel *t, sg_usec_t now)
{
	t->now = now;
	if (t->closed)
		return;
	if (t->close_reason == SG_TUNNEL_REASON_NONE)
		t->close_reason = SG_TUNNEL_REASON_ADMIN;
	sstp_disconnect(t, now);
}

void sg_tunnel_lower_down(struct sg_tunnel *t, sg_usec_t now)
{
	enum sg_sstp_state st = sg_sstp_server_state(&t->sstp);
	enum sg_tunnel_reason why = SG_TUNNEL_REASON_TRANSPORT;

	t->now = now;
	if (t->closed)
		return;
	/* An abort or disconnect already under way ended the call, not the transport (sstpc
	 * answers an ABORT by closing TCP without its own ABORT). */
	if (!sstp_live(st))
		why = t->close_reason != SG_TUNNEL_REASON_NONE ? t->close_reason
		      : (st == SG_SSTP_ST_ABORT_PENDING || st == SG_SSTP_ST_ABORT_TIMEOUT)
			  ? SG_TUNNEL_REASON_SSTP_ABORT
			  : SG_TUNNEL_REASON_SSTP_DISCONNECT;
	t->open = false;
	ppp_lower_down(t, now);
	ppp_deferred(t, now);
	emit_close(t, why, SG_SSTP_R_NONE);
}

int sg_tunnel_data_header(const struct sg_tunnel *t, uint16_t proto, size_t len,
			  uint8_t hdr[SG_TUNNEL_HDR_MAX])
{
	const struct sg_ppp_session *s = ppp(t);
	int n;

	if (!t->open || !(proto == SG_PPP_PROTO_IPV4 ? sg_ppp_session_ipv4_open(s)
						      : proto == SG_PPP_PROTO_IPV6 &&
								sg_ppp_session_ipv6_open(s)))
		return -EAGAIN;
	if (len > sg_ppp_session_info(s)->peer_mru)
		return -EMSGSIZE;
	n = sg_ppp_session_data_header(s, proto, hdr + SG_SSTP_HDR_LEN);
	if (n < 0 || sg_sstp_data_hdr_write(hdr, (size_t)n + len) < 0)
		return -EMSGSIZE;
	return SG_SSTP_HDR_LEN + n;
}

bool sg_tunnel_is_open(const struct sg_tunnel *t)
{
	return t->open;
}

bool sg_tunnel_is_closed(const struct sg_tunnel *t)
{
	return t->closed;
}

const struct sg_ppp_info *sg_tunnel_info(const struct sg_tunnel *t)
{
	return sg_ppp_session_info(ppp(t));
}

enum sg_sstp_state sg_tunnel_sstp_state(const struct sg_tunnel *t)
{
	return sg_sstp_server_state(&t->sstp);
}

const struct sg_ppp_counters *sg_tunnel_ppp_counters(const struct sg_tunnel *t)
{
	return sg_ppp_session_counters(ppp(t));
}
