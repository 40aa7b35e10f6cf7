/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP server state machine (MS-SSTP §3.3, PROTOCOL.md "Server state
 * machine"): HTTP request, CONNECT_REQUEST/ACK/NAK, CONNECTED with crypto
 * binding verification (queued until the auth result), then the shared
 * echo/abort/disconnect machinery in sg_sstp_conn.c.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sg_log.h"
#include "sg_sstp_conn.h"

void sg_sstp_server_config_init(struct sg_sstp_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hash_bitmask = SG_SSTP_HASH_SHA256;
	cfg->require_crypto_binding = true;
	cfg->max_naks = SG_SSTP_MAX_NAKS;
}

int sg_sstp_server_config_set_cert(struct sg_sstp_server_config *cfg, const uint8_t *der,
				   size_t der_len)
{
	int rc = sg_sstp_cert_hash(SG_SSTP_HASH_SHA1, der, der_len, cfg->cert_hash_sha1);

	if (rc == 0)
		rc = sg_sstp_cert_hash(SG_SSTP_HASH_SHA256, der, der_len, cfg->cert_hash_sha256);
	cfg->cert_hash_set = rc == 0;
	return rc;
}

static int server_http(void *self, const uint8_t *in, size_t len, sg_usec_t now,
		       struct sg_sstp_result *r)
{
	struct sg_sstp_server *s = self;
	int n = sg_sstp_http_req_parse(&s->http, in, len);
	int w;

	if (n == -EAGAIN)
		return (int) len;
	if (n < 0) /* cannot happen: the parser only returns counts or -EAGAIN */
		n = (int) len;
	r->http_status = s->http.status;
	if (s->http.status == 200) {
		w = sg_sstp_http_reply_write((char *) r->tx, sizeof(r->tx), -1);
		if (w > 0) {
			r->tx_len = (uint16_t) w;
			r->actions |= SG_SSTP_ACT_SEND;
		}
		sg_sstp_count(&s->c, r, SG_SSTP_R_HTTP_ACCEPTED);
		if (s->http.correlation_id[0])
			SG_LOG(SSTP, DEBUG, "SSTP request, correlation id %.63s",
			       s->http.correlation_id);
		s->c.state = SG_SSTP_ST_CONNECT_REQ_PENDING;
		s->c.deadline = now + s->c.t.negotiation;
		return n;
	}
	w = sg_sstp_http_error_write((char *) r->tx, sizeof(r->tx), s->http.status, -1);
	if (w > 0) {
		r->tx_len = (uint16_t) w;
		r->actions |= SG_SSTP_ACT_SEND;
	}
	sg_sstp_conn_close(&s->c, r, s->http.reason);
	return (int) len; /* nothing after an error is read */
}

static void server_nak(struct sg_sstp_server *s, uint8_t attr, uint32_t status,
		       const uint8_t *value, size_t value_len, enum sg_sstp_reason why,
		       sg_usec_t now, struct sg_sstp_result *r)
{
	uint8_t buf[SG_SSTP_CTRL_HDR_LEN + SG_SSTP_ATTR_STATUS_INFO_MAX_LEN];
	int n;

	if (why != SG_SSTP_R_NONE)
		sg_sstp_count(&s->c, NULL, why);
	if (s->naks >= s->cfg->max_naks) {
		sg_sstp_conn_abort(&s->c, r, SG_SSTP_STATUS_RETRY_COUNT_EXCEEDED, 0,
				   SG_SSTP_R_NAK_LIMIT, now);
		return;
	}
	s->naks++;
	n = sg_sstp_encode_connect_nak(buf, sizeof(buf), attr, status, value,
				       SG_MIN(value_len, (size_t) SG_SSTP_STATUS_VALUE_MAX));
	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
	r->status = status;
	sg_sstp_count(&s->c, r, SG_SSTP_R_NAK_SENT);
}

static void server_connect_request(struct sg_sstp_server *s, const struct sg_sstp_ctrl *ctrl,
				   sg_usec_t now, struct sg_sstp_result *r)
{
	uint8_t buf[SG_SSTP_CONNECT_ACK_LEN];
	int n;

	if (ctrl->encap_proto != SG_SSTP_ENCAP_PPP) {
		uint8_t v[2] = {(uint8_t) (ctrl->encap_proto >> 8), (uint8_t) ctrl->encap_proto};

		server_nak(s, SG_SSTP_ATTR_ENCAP_PROTO, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, v,
			   sizeof(v), SG_SSTP_R_NONE, now, r);
		return;
	}
	if (sg_sstp_nonce(s->nonce) < 0) {
		sg_sstp_conn_close(&s->c, r, SG_SSTP_R_CRYPTO_ERROR);
		return;
	}
	n = sg_sstp_encode_connect_ack(buf, sizeof(buf), s->cfg->hash_bitmask, s->nonce);
	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
	r->actions |= SG_SSTP_ACT_PPP_START;
	s->c.state = SG_SSTP_ST_CONNECTED_PENDING;
	s->c.deadline = now + s->c.t.negotiation;
}

/* Verify a structurally valid 112-byte CONNECTED; s->hlak is set (or binding not required). */
static void server_verify(struct sg_sstp_server *s, const uint8_t *msg, sg_usec_t now,
			  struct sg_sstp_result *r)
{
	uint8_t proto = msg[SG_SSTP_CONNECTED_HASH_PROTO_OFF];
	size_t hlen = sg_sstp_hash_len(proto);
	enum sg_sstp_reason bad = SG_SSTP_R_NONE;
	int rc;

	if (hlen == 0 || !(s->cfg->hash_bitmask & proto))
		bad = SG_SSTP_R_BINDING_HASH_PROTO;
	else if (CRYPTO_memcmp(msg + SG_SSTP_CONNECTED_NONCE_OFF, s->nonce, SG_SSTP_NONCE_LEN))
		bad = SG_SSTP_R_BINDING_NONCE;
	if (bad == SG_SSTP_R_NONE && s->cfg->require_crypto_binding) {
		const uint8_t *want =
		    proto == SG_SSTP_HASH_SHA1 ? s->cfg->cert_hash_sha1 : s->cfg->cert_hash_sha256;

		if (CRYPTO_memcmp(msg + SG_SSTP_CONNECTED_CERT_HASH_OFF, want, hlen)) {
			bad = SG_SSTP_R_BINDING_CERT_HASH;
		} else {
			rc = sg_sstp_connected_verify(msg, s->hlak);
			if (rc == -EBADMSG)
				bad = SG_SSTP_R_BINDING_MAC;
			else if (rc < 0)
				bad = SG_SSTP_R_CRYPTO_ERROR;
		}
	}
	OPENSSL_cleanse(s->hlak, sizeof(s->hlak));
	OPENSSL_cleanse(s->queued, sizeof(s->queued));
	s->connected_queued = false;
	if (bad != SG_SSTP_R_NONE) {
		sg_sstp_conn_abort(&s->c, r, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED,
				   SG_SSTP_ATTR_CRYPTO_BINDING, bad, now);
		return;
	}
	sg_sstp_count(&s->c, r,
		      s->cfg->require_crypto_binding ? SG_SSTP_R_CONNECTED_OK
						     : SG_SSTP_R_BINDING_UNCHECKED);
	sg_sstp_conn_connected(&s->c, now);
	r->actions |= SG_SSTP_ACT_DATA_OPEN;
}

static void server_ctrl(void *self, const uint8_t *pkt, const struct sg_sstp_ctrl *ctrl, int rc,
			sg_usec_t now, struct sg_sstp_result *r)
{
	struct sg_sstp_server *s = self;
	enum sg_sstp_state st = s->c.state;

	if (rc < 0) {
		if (ctrl->msg_type == SG_SSTP_MSG_CONNECT_REQUEST &&
		    st == SG_SSTP_ST_CONNECT_REQ_PENDING) {
			server_nak(s, ctrl->err_attr, ctrl->err_status, ctrl->err_value,
				   ctrl->err_value_len, ctrl->err_reason, now, r);
		} else if (ctrl->msg_type == SG_SSTP_MSG_CONNECTED &&
			   st == SG_SSTP_ST_CONNECTED_PENDING && !s->connected_queued &&
			   ctrl->err_attr == SG_SSTP_ATTR_CRYPTO_BINDING &&
			   (ctrl->err_reason == SG_SSTP_R_CTRL_ATTR_MISSING ||
			    ctrl->err_reason == SG_SSTP_R_CTRL_ATTR_BAD_LENGTH)) {
			/* PROTOCOL.md: missing or malformed binding -> ATTRIB_NOT_SUPPORTED_IN_MSG
			 */
			sg_sstp_count(&s->c, NULL, ctrl->err_reason);
			sg_sstp_conn_abort(&s->c, r, SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
					   SG_SSTP_ATTR_CRYPTO_BINDING, SG_SSTP_R_BINDING_MISSING,
					   now);
		} else {
			sg_sstp_conn_abort(&s->c, r, ctrl->err_status, ctrl->err_attr,
					   ctrl->err_reason, now);
		}
		return;
	}
	if (st == SG_SSTP_ST_CONNECT_REQ_PENDING && ctrl->msg_type == SG_SSTP_MSG_CONNECT_REQUEST) {
		server_connect_request(s, ctrl, now, r);
		return;
	}
	if (st == SG_SSTP_ST_CONNECTED_PENDING && ctrl->msg_type == SG_SSTP_MSG_CONNECTED &&
	    !s->connected_queued) {
		if (!s->have_hlak && s->cfg->require_crypto_binding) {
			memcpy(s->queued, pkt, SG_SSTP_CONNECTED_LEN);
			s->connected_queued = true;
			sg_sstp_count(&s->c, r, SG_SSTP_R_CONNECTED_QUEUED);
			return;
		}
		server_verify(s, pkt, now, r);
		return;
	}
	sg_sstp_conn_abort(&s->c, r, SG_SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, 0,
			   SG_SSTP_R_WRONG_STATE, now);
}

static const struct sg_sstp_role server_role = {
    .ctrl = server_ctrl,
    .http = server_http,
};

int sg_sstp_server_init(struct sg_sstp_server *s, const struct sg_sstp_server_config *cfg,
			struct sg_sstp_stats *stats, sg_usec_t now)
{
	if (!cfg || (cfg->require_crypto_binding && !cfg->cert_hash_set) ||
	    !(cfg->hash_bitmask & (SG_SSTP_HASH_SHA1 | SG_SSTP_HASH_SHA256)))
		return -EINVAL;
	sg_sstp_conn_init(&s->c, true, stats, &cfg->timers, now);
	s->cfg = cfg;
	sg_sstp_http_req_init(&s->http);
	s->naks = 0;
	s->have_hlak = false;
	s->connected_queued = false;
	memset(s->nonce, 0, sizeof(s->nonce));
	return 0;
}

void sg_sstp_server_fini(struct sg_sstp_server *s)
{
	OPENSSL_cleanse(s->hlak, sizeof(s->hlak));
	OPENSSL_cleanse(s->nonce, sizeof(s->nonce));
	OPENSSL_cleanse(s->queued, sizeof(s->queued));
	s->have_hlak = false;
	s->c.state = SG_SSTP_ST_CLOSED;
}

int sg_sstp_server_rx(struct sg_sstp_server *s, const uint8_t *in, size_t len, sg_usec_t now,
		      struct sg_sstp_result *r)
{
	return sg_sstp_conn_rx(&s->c, s, &server_role, in, len, now, r);
}

void sg_sstp_server_timer(struct sg_sstp_server *s, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_sstp_conn_timer(&s->c, now, r);
}

void sg_sstp_server_auth_done(struct sg_sstp_server *s, const uint8_t *hlak, sg_usec_t now,
			      struct sg_sstp_result *r)
{
	sg_sstp_result_reset(r);
	if (sg_sstp_conn_establishing(&s->c) && !s->have_hlak) {
		if (hlak)
			memcpy(s->hlak, hlak, SG_SSTP_HLAK_LEN);
		else
			memset(s->hlak, 0, SG_SSTP_HLAK_LEN);
		s->have_hlak = true;
		if (s->connected_queued && s->c.state == SG_SSTP_ST_CONNECTED_PENDING)
			server_verify(s, s->queued, now, r);
	}
	r->deadline = sg_sstp_conn_deadline(&s->c);
}

void sg_sstp_server_disconnect(struct sg_sstp_server *s, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_sstp_conn_user_disconnect(&s->c, now, r);
}

void sg_sstp_server_abort(struct sg_sstp_server *s, uint32_t status, sg_usec_t now,
			  struct sg_sstp_result *r)
{
	sg_sstp_conn_user_abort(&s->c, status, now, r);
}

int sg_sstp_server_ppp_tx(struct sg_sstp_server *s, const uint8_t *frame, size_t len,
			  uint8_t hdr[SG_SSTP_HDR_LEN])
{
	return sg_sstp_conn_ppp_tx(&s->c, frame, len, hdr);
}

sg_usec_t sg_sstp_server_deadline(const struct sg_sstp_server *s)
{
	return sg_sstp_conn_deadline(&s->c);
}
