/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The state machine parts server and client share (MS-SSTP §3.1): the rx loop
 * over the deframer, echo/hello, and the abort and disconnect procedures with
 * their timers.
 */
#include "sg_sstp_conn.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "sg_log.h"

static const char *const state_names[] = {
#define SG_SSTP_STATE_NAME_(name) #name,
    SG_SSTP_STATES(SG_SSTP_STATE_NAME_)
#undef SG_SSTP_STATE_NAME_
};

const char *sg_sstp_state_name(enum sg_sstp_state st)
{
	return (unsigned int) st < SG_ARRAY_SIZE(state_names) ? state_names[st] : "?";
}

static sg_usec_t or_default(sg_usec_t v, sg_usec_t def)
{
	return v ? v : def;
}

void sg_sstp_conn_init(struct sg_sstp_conn *c, bool is_server, struct sg_sstp_stats *stats,
		       const struct sg_sstp_timers *t, sg_usec_t now)
{
	memset(c, 0, offsetof(struct sg_sstp_conn, df));
	sg_sstp_deframer_init(&c->df);
	c->state = SG_SSTP_ST_HTTP;
	c->is_server = is_server;
	c->stats = stats;
	c->t.http = or_default(t->http, SG_SSTP_HTTP_TIMEOUT);
	c->t.negotiation = or_default(t->negotiation, SG_SSTP_NEGOTIATION_TIMEOUT);
	c->t.hello = or_default(t->hello, SG_SSTP_HELLO_INTERVAL);
	c->t.abort_t1 = or_default(t->abort_t1, SG_SSTP_ABORT_T1);
	c->t.abort_t2 = or_default(t->abort_t2, SG_SSTP_ABORT_T2);
	c->t.disconnect_t1 = or_default(t->disconnect_t1, SG_SSTP_DISCONNECT_T1);
	c->t.disconnect_t2 = or_default(t->disconnect_t2, SG_SSTP_DISCONNECT_T2);
	c->deadline = now + c->t.http;
	c->last_rx = now;
}

void sg_sstp_result_reset(struct sg_sstp_result *r)
{
	r->actions = 0;
	r->reason = SG_SSTP_R_NONE;
	r->status = 0;
	r->http_status = 0;
	r->ppp = NULL;
	r->ppp_len = 0;
	r->deadline = SG_SSTP_NO_DEADLINE;
	r->tx_len = 0;
}

void sg_sstp_conn_send(struct sg_sstp_result *r, const uint8_t *p, size_t len)
{
	if (len > (size_t) (SG_SSTP_TX_MAX - r->tx_len))
		return; /* cannot happen: at most two control packets per call */
	memcpy(r->tx + r->tx_len, p, len);
	r->tx_len = (uint16_t) (r->tx_len + len);
	r->actions |= SG_SSTP_ACT_SEND;
}

void sg_sstp_conn_close(struct sg_sstp_conn *c, struct sg_sstp_result *r,
			enum sg_sstp_reason reason)
{
	if (sg_sstp_conn_establishing(c))
		r->actions |= SG_SSTP_ACT_PPP_DOWN;
	c->state = SG_SSTP_ST_CLOSED;
	c->deadline = SG_SSTP_NO_DEADLINE;
	r->actions |= SG_SSTP_ACT_CLOSE;
	sg_sstp_count(c, r, reason);
}

static void send_ctrl(struct sg_sstp_result *r, int (*enc)(uint8_t *, size_t, uint16_t),
		      uint16_t type)
{
	uint8_t buf[SG_SSTP_EMPTY_CTRL_LEN];
	int n = enc(buf, sizeof(buf), type);

	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
}

void sg_sstp_conn_abort(struct sg_sstp_conn *c, struct sg_sstp_result *r, uint32_t status,
			uint8_t attr_id, enum sg_sstp_reason reason, sg_usec_t now)
{
	uint8_t buf[SG_SSTP_STATUS_CTRL_LEN];
	int n;

	if (!sg_sstp_conn_establishing(c))
		return; /* HTTP phase (nothing to abort) or already tearing down */
	sg_sstp_count(c, r, reason);
	SG_LOG(SSTP, INFO, "%s abort: %s (%s)", c->is_server ? "server" : "client",
	       sg_sstp_status_name(status), sg_sstp_reason_name(reason));
	n = sg_sstp_encode_status_msg(buf, sizeof(buf), SG_SSTP_MSG_ABORT, true, attr_id, status);
	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
	if (c->stats && reason != SG_SSTP_R_ABORT_SENT)
		c->stats->count[SG_SSTP_R_ABORT_SENT]++;
	r->actions |= SG_SSTP_ACT_PPP_DOWN;
	r->status = status;
	c->state = SG_SSTP_ST_ABORT_PENDING;
	c->deadline = now + c->t.abort_t1;
}

void sg_sstp_conn_disconnect(struct sg_sstp_conn *c, struct sg_sstp_result *r, sg_usec_t now)
{
	uint8_t buf[SG_SSTP_STATUS_CTRL_LEN];
	int n;

	if (c->state == SG_SSTP_ST_HTTP) {
		sg_sstp_conn_close(c, r, SG_SSTP_R_DISCONNECT_SENT);
		return;
	}
	if (!sg_sstp_conn_establishing(c))
		return;
	n = sg_sstp_encode_status_msg(buf, sizeof(buf), SG_SSTP_MSG_DISCONNECT, true, 0,
				      SG_SSTP_STATUS_NO_ERROR);
	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
	sg_sstp_count(c, r, SG_SSTP_R_DISCONNECT_SENT);
	r->actions |= SG_SSTP_ACT_PPP_DOWN;
	c->state = SG_SSTP_ST_DISCONNECT_ACK_PENDING;
	c->deadline = now + c->t.disconnect_t1;
}

bool sg_sstp_conn_common_ctrl(struct sg_sstp_conn *c, const struct sg_sstp_ctrl *ctrl,
			      sg_usec_t now, struct sg_sstp_result *r)
{
	switch (ctrl->msg_type) {
	case SG_SSTP_MSG_ECHO_REQUEST:
		send_ctrl(r, sg_sstp_encode_empty, SG_SSTP_MSG_ECHO_RESPONSE);
		sg_sstp_count(c, r, SG_SSTP_R_ECHO_ANSWERED);
		return true;
	case SG_SSTP_MSG_ECHO_RESPONSE:
		return true; /* any packet restarts the hello timer */
	case SG_SSTP_MSG_ABORT: {
		/* Peer abort: answer with ABORT, linger T2, close (§3.1.2.1). */
		uint8_t buf[SG_SSTP_EMPTY_CTRL_LEN];
		int n = sg_sstp_encode_status_msg(buf, sizeof(buf), SG_SSTP_MSG_ABORT, false, 0, 0);

		if (n > 0)
			sg_sstp_conn_send(r, buf, (size_t) n);
		r->status = sg_sstp_ctrl_has(ctrl, SG_SSTP_ATTR_STATUS_INFO)
				? ctrl->status_info.status
				: SG_SSTP_STATUS_NO_ERROR;
		sg_sstp_count(c, r, SG_SSTP_R_ABORT_RECEIVED);
		r->actions |= SG_SSTP_ACT_PPP_DOWN;
		c->state = SG_SSTP_ST_ABORT_TIMEOUT;
		c->deadline = now + c->t.abort_t2;
		return true;
	}
	case SG_SSTP_MSG_DISCONNECT:
		send_ctrl(r, sg_sstp_encode_empty, SG_SSTP_MSG_DISCONNECT_ACK);
		sg_sstp_count(c, r, SG_SSTP_R_DISCONNECT_RECEIVED);
		r->actions |= SG_SSTP_ACT_PPP_DOWN;
		c->state = SG_SSTP_ST_DISCONNECT_TIMEOUT;
		c->deadline = now + c->t.disconnect_t2;
		return true;
	}
	return false;
}

void sg_sstp_conn_connected(struct sg_sstp_conn *c, sg_usec_t now)
{
	c->state = SG_SSTP_ST_CONNECTED;
	c->deadline = SG_SSTP_NO_DEADLINE;
	c->last_rx = now;
	c->echo_outstanding = false;
}

sg_usec_t sg_sstp_conn_deadline(const struct sg_sstp_conn *c)
{
	if (c->state == SG_SSTP_ST_CONNECTED)
		return c->last_rx + c->t.hello; /* last_rx is the echo time when outstanding */
	return c->deadline;
}

void sg_sstp_conn_user_disconnect(struct sg_sstp_conn *c, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_sstp_result_reset(r);
	sg_sstp_conn_disconnect(c, r, now);
	r->deadline = sg_sstp_conn_deadline(c);
}

void sg_sstp_conn_user_abort(struct sg_sstp_conn *c, uint32_t status, sg_usec_t now,
			     struct sg_sstp_result *r)
{
	sg_sstp_result_reset(r);
	if (c->state == SG_SSTP_ST_HTTP)
		sg_sstp_conn_close(c, r, SG_SSTP_R_ABORT_SENT);
	else
		sg_sstp_conn_abort(c, r, status, 0, SG_SSTP_R_ABORT_SENT, now);
	r->deadline = sg_sstp_conn_deadline(c);
}

void sg_sstp_conn_timer(struct sg_sstp_conn *c, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_usec_t dl = sg_sstp_conn_deadline(c);

	sg_sstp_result_reset(r);
	if (dl == SG_SSTP_NO_DEADLINE || now < dl)
		goto out;
	switch (c->state) {
	case SG_SSTP_ST_HTTP:
		sg_sstp_conn_close(c, r, SG_SSTP_R_HTTP_TIMEOUT);
		break;
	case SG_SSTP_ST_CONNECT_REQ_PENDING:
	case SG_SSTP_ST_CONNECTED_PENDING:
		sg_sstp_conn_abort(c, r, SG_SSTP_STATUS_NEGOTIATION_TIMEOUT, 0,
				   SG_SSTP_R_NEGOTIATION_TIMEOUT, now);
		break;
	case SG_SSTP_ST_CONNECTED:
		if (c->echo_outstanding) {
			sg_sstp_conn_close(c, r, SG_SSTP_R_HELLO_TIMEOUT);
		} else {
			send_ctrl(r, sg_sstp_encode_empty, SG_SSTP_MSG_ECHO_REQUEST);
			sg_sstp_count(c, r, SG_SSTP_R_ECHO_REQUEST_SENT);
			c->echo_outstanding = true;
			c->last_rx = now;
		}
		break;
	case SG_SSTP_ST_ABORT_PENDING:
		sg_sstp_conn_close(c, r, SG_SSTP_R_ABORT_T1_EXPIRED);
		break;
	case SG_SSTP_ST_ABORT_TIMEOUT:
		sg_sstp_conn_close(c, r, SG_SSTP_R_ABORT_DONE);
		break;
	case SG_SSTP_ST_DISCONNECT_ACK_PENDING:
		sg_sstp_conn_close(c, r, SG_SSTP_R_DISCONNECT_ACK_TIMEOUT);
		break;
	case SG_SSTP_ST_DISCONNECT_TIMEOUT:
		sg_sstp_conn_close(c, r, SG_SSTP_R_DISCONNECT_DONE);
		break;
	case SG_SSTP_ST_CLOSED:
		break;
	}
out:
	r->deadline = sg_sstp_conn_deadline(c);
}

/* Abort/disconnect states: only the closing handshake matters. */
static void teardown_packet(struct sg_sstp_conn *c, const uint8_t *pkt, size_t len, bool control,
			    sg_usec_t now, struct sg_sstp_result *r)
{
	struct sg_sstp_ctrl ctrl;

	if (!control) {
		sg_sstp_count(c, r, SG_SSTP_R_DATA_IN_TEARDOWN);
		return;
	}
	if (sg_sstp_ctrl_decode(pkt, len, &ctrl) < 0) {
		sg_sstp_count(c, r, SG_SSTP_R_CTRL_IGNORED);
		return;
	}
	if (c->state == SG_SSTP_ST_ABORT_PENDING && ctrl.msg_type == SG_SSTP_MSG_ABORT) {
		sg_sstp_count(c, r, SG_SSTP_R_ABORT_RECEIVED);
		r->status = sg_sstp_ctrl_has(&ctrl, SG_SSTP_ATTR_STATUS_INFO)
				? ctrl.status_info.status
				: SG_SSTP_STATUS_NO_ERROR;
		c->state = SG_SSTP_ST_ABORT_TIMEOUT;
		c->deadline = now + c->t.abort_t2;
		return;
	}
	if (c->state == SG_SSTP_ST_DISCONNECT_ACK_PENDING) {
		if (ctrl.msg_type == SG_SSTP_MSG_DISCONNECT_ACK) {
			sg_sstp_conn_close(c, r, SG_SSTP_R_DISCONNECT_ACKED);
			return;
		}
		if (ctrl.msg_type == SG_SSTP_MSG_DISCONNECT) { /* both sides disconnect at once */
			send_ctrl(r, sg_sstp_encode_empty, SG_SSTP_MSG_DISCONNECT_ACK);
			sg_sstp_count(c, r, SG_SSTP_R_DISCONNECT_RECEIVED);
			c->state = SG_SSTP_ST_DISCONNECT_TIMEOUT;
			c->deadline = now + c->t.disconnect_t2;
			return;
		}
	}
	sg_sstp_count(c, r, SG_SSTP_R_CTRL_IGNORED);
}

int sg_sstp_conn_rx(struct sg_sstp_conn *c, void *self, const struct sg_sstp_role *role,
		    const uint8_t *in, size_t len, sg_usec_t now, struct sg_sstp_result *r)
{
	struct sg_sstp_ctrl ctrl;
	const uint8_t *pkt;
	size_t plen;
	int n = 0, rc;

	sg_sstp_result_reset(r);
	if (len == 0)
		goto out;
	if (c->state == SG_SSTP_ST_CLOSED) {
		n = (int) SG_MIN(len, (size_t) INT32_MAX);
		goto out;
	}
	if (c->state == SG_SSTP_ST_HTTP) {
		n = role->http(self, in, len, now, r);
		goto out_n;
	}
	n = sg_sstp_deframer_feed(&c->df, in, len, &pkt, &plen);
	if (n < 0) {
		/* Delineation failed: close without a reply (§3.1.5.1). */
		SG_LOG(SSTP, INFO, "unparseable stream: %s", sg_sstp_reason_name(c->df.reason));
		sg_sstp_conn_close(c, r, c->df.reason);
		n = (int) SG_MIN(len, (size_t) INT32_MAX);
		goto out;
	}
	if (!pkt)
		goto out_n;
	if (c->state == SG_SSTP_ST_CONNECTED) {
		c->last_rx = now;
		c->echo_outstanding = false;
		if (!(pkt[1] & SG_SSTP_FLAG_CONTROL)) { /* the data fast path */
			if (plen == SG_SSTP_HDR_LEN) {
				sg_sstp_count(c, r, SG_SSTP_R_DATA_EMPTY);
			} else {
				r->ppp = pkt + SG_SSTP_HDR_LEN;
				r->ppp_len = plen - SG_SSTP_HDR_LEN;
				r->actions |= SG_SSTP_ACT_PPP_INPUT;
			}
			goto out_n;
		}
	}
	if (!sg_sstp_conn_establishing(c)) {
		teardown_packet(c, pkt, plen, (pkt[1] & SG_SSTP_FLAG_CONTROL) != 0, now, r);
		goto out_n;
	}
	if (!(pkt[1] & SG_SSTP_FLAG_CONTROL)) {
		/* Before CONNECTED: PPP control frames only, and only once ACKed. */
		int proto = sg_sstp_ppp_protocol(pkt + SG_SSTP_HDR_LEN, plen - SG_SSTP_HDR_LEN);

		if (c->state == SG_SSTP_ST_CONNECT_REQ_PENDING)
			sg_sstp_count(c, r, SG_SSTP_R_DATA_BEFORE_ACK);
		else if (proto < 0)
			sg_sstp_count(c, r, SG_SSTP_R_DATA_EMPTY);
		else if (proto < 0x8000)
			sg_sstp_count(c, r, SG_SSTP_R_DATA_NOT_CONNECTED);
		else {
			r->ppp = pkt + SG_SSTP_HDR_LEN;
			r->ppp_len = plen - SG_SSTP_HDR_LEN;
			r->actions |= SG_SSTP_ACT_PPP_INPUT;
		}
		goto out_n;
	}
	rc = sg_sstp_ctrl_decode(pkt, plen, &ctrl);
	if (rc == 0 && sg_sstp_conn_common_ctrl(c, &ctrl, now, r))
		goto out_n;
	role->ctrl(self, pkt, &ctrl, rc, now, r);
out_n:
	if (n < 0)
		n = 0;
out:
	r->deadline = sg_sstp_conn_deadline(c);
	return n;
}

int sg_sstp_conn_ppp_tx(struct sg_sstp_conn *c, const uint8_t *frame, size_t len,
			uint8_t hdr[SG_SSTP_HDR_LEN])
{
	int proto;

	if (len == 0 || len > SG_SSTP_MAX_PPP_FRAME) {
		sg_sstp_count(c, NULL, SG_SSTP_R_TX_TOO_LONG);
		return -EMSGSIZE;
	}
	if (c->state != SG_SSTP_ST_CONNECTED) {
		proto = sg_sstp_ppp_protocol(frame, len);
		if (c->state != SG_SSTP_ST_CONNECTED_PENDING || proto < 0x8000) {
			sg_sstp_count(c, NULL, SG_SSTP_R_TX_NOT_ALLOWED);
			return -EPERM;
		}
	}
	return sg_sstp_data_hdr_write(hdr, len);
}
