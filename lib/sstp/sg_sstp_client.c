/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP client state machine (MS-SSTP §3.2) for the load generator and tests:
 * HTTP request/reply, CONNECT_REQUEST, ACK/NAK, CONNECTED with the crypto
 * binding once PPP authentication is done; echo/abort/disconnect shared with
 * the server (sg_sstp_conn.c).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sg_sstp_conn.h"

void sg_sstp_client_config_init(struct sg_sstp_client_config *cfg, const char *host)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = host;
	cfg->hash_bitmask = SG_SSTP_HASH_SHA1 | SG_SSTP_HASH_SHA256;
	cfg->max_naks = SG_SSTP_MAX_NAKS;
}

int sg_sstp_client_config_set_cert(struct sg_sstp_client_config *cfg, const uint8_t *der,
				   size_t der_len)
{
	int rc = sg_sstp_cert_hash(SG_SSTP_HASH_SHA1, der, der_len, cfg->cert_hash_sha1);

	if (rc == 0)
		rc = sg_sstp_cert_hash(SG_SSTP_HASH_SHA256, der, der_len, cfg->cert_hash_sha256);
	cfg->cert_hash_set = rc == 0;
	return rc;
}

static void send_request(struct sg_sstp_result *r)
{
	uint8_t buf[SG_SSTP_CONNECT_REQUEST_LEN];
	int n = sg_sstp_encode_connect_request(buf, sizeof(buf), SG_SSTP_ENCAP_PPP);

	if (n > 0)
		sg_sstp_conn_send(r, buf, (size_t) n);
}

static int client_http(void *self, const uint8_t *in, size_t len, sg_usec_t now,
		       struct sg_sstp_result *r)
{
	struct sg_sstp_client *c = self;
	int n = sg_sstp_http_reply_parse(&c->http, in, len);

	if (n == -EAGAIN)
		return (int) len;
	r->http_status = c->http.code;
	if (n < 0 || c->http.code != 200) {
		sg_sstp_conn_close(&c->c, r, SG_SSTP_R_HTTP_REPLY_REJECTED);
		return (int) len;
	}
	send_request(r);
	c->c.state = SG_SSTP_ST_CONNECT_REQ_PENDING;
	c->c.deadline = now + c->c.t.negotiation;
	return n;
}

static void client_ack(struct sg_sstp_client *c, const struct sg_sstp_ctrl *ctrl, sg_usec_t now,
		       struct sg_sstp_result *r)
{
	uint8_t offered = ctrl->binding_req.hash_bitmask & c->cfg->hash_bitmask;

	if (offered & SG_SSTP_HASH_SHA256)
		c->hash_proto = SG_SSTP_HASH_SHA256;
	else if (offered & SG_SSTP_HASH_SHA1)
		c->hash_proto = SG_SSTP_HASH_SHA1;
	else {
		sg_sstp_conn_abort(&c->c, r, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED,
				   SG_SSTP_ATTR_CRYPTO_BINDING_REQ, SG_SSTP_R_BAD_ACK, now);
		return;
	}
	memcpy(c->nonce, ctrl->binding_req.nonce, SG_SSTP_NONCE_LEN);
	r->actions |= SG_SSTP_ACT_PPP_START;
	c->c.state = SG_SSTP_ST_CONNECTED_PENDING;
	c->c.deadline = now + c->c.t.negotiation;
}

static void client_ctrl(void *self, const uint8_t *pkt, const struct sg_sstp_ctrl *ctrl, int rc,
			sg_usec_t now, struct sg_sstp_result *r)
{
	struct sg_sstp_client *c = self;

	(void) pkt;
	if (rc < 0) {
		sg_sstp_conn_abort(&c->c, r, ctrl->err_status, ctrl->err_attr, ctrl->err_reason,
				   now);
		return;
	}
	if (c->c.state == SG_SSTP_ST_CONNECT_REQ_PENDING) {
		if (ctrl->msg_type == SG_SSTP_MSG_CONNECT_ACK) {
			client_ack(c, ctrl, now, r);
			return;
		}
		if (ctrl->msg_type == SG_SSTP_MSG_CONNECT_NAK) {
			sg_sstp_count(&c->c, r, SG_SSTP_R_NAK_RECEIVED);
			r->status = ctrl->status_info.status;
			if (++c->naks > c->cfg->max_naks) {
				sg_sstp_conn_abort(&c->c, r, SG_SSTP_STATUS_RETRY_COUNT_EXCEEDED, 0,
						   SG_SSTP_R_NAK_LIMIT, now);
				return;
			}
			send_request(r);
			return;
		}
	}
	sg_sstp_conn_abort(&c->c, r, SG_SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, 0,
			   SG_SSTP_R_WRONG_STATE, now);
}

static const struct sg_sstp_role client_role = {
    .ctrl = client_ctrl,
    .http = client_http,
};

int sg_sstp_client_start(struct sg_sstp_client *c, const struct sg_sstp_client_config *cfg,
			 struct sg_sstp_stats *stats, sg_usec_t now, struct sg_sstp_result *r)
{
	int n;

	sg_sstp_result_reset(r);
	if (!cfg || !cfg->cert_hash_set || !cfg->host)
		return -EINVAL;
	sg_sstp_conn_init(&c->c, false, stats, &cfg->timers, now);
	c->cfg = cfg;
	sg_sstp_http_reply_init(&c->http);
	c->naks = 0;
	c->hash_proto = 0;
	memset(c->nonce, 0, sizeof(c->nonce));
	n = sg_sstp_http_request_write((char *) r->tx, sizeof(r->tx), cfg->host,
				       cfg->correlation_id);
	if (n < 0)
		return n;
	r->tx_len = (uint16_t) n;
	r->actions |= SG_SSTP_ACT_SEND;
	r->deadline = sg_sstp_conn_deadline(&c->c);
	return 0;
}

void sg_sstp_client_fini(struct sg_sstp_client *c)
{
	OPENSSL_cleanse(c->nonce, sizeof(c->nonce));
	c->c.state = SG_SSTP_ST_CLOSED;
}

int sg_sstp_client_rx(struct sg_sstp_client *c, const uint8_t *in, size_t len, sg_usec_t now,
		      struct sg_sstp_result *r)
{
	return sg_sstp_conn_rx(&c->c, c, &client_role, in, len, now, r);
}

void sg_sstp_client_timer(struct sg_sstp_client *c, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_sstp_conn_timer(&c->c, now, r);
}

int sg_sstp_client_auth_done(struct sg_sstp_client *c, const uint8_t *hlak, sg_usec_t now,
			     struct sg_sstp_result *r)
{
	static const uint8_t zeros[SG_SSTP_HASH_FIELD];
	uint8_t msg[SG_SSTP_CONNECTED_LEN];
	int rc;

	sg_sstp_result_reset(r);
	if (c->c.state != SG_SSTP_ST_CONNECTED_PENDING) {
		r->deadline = sg_sstp_conn_deadline(&c->c);
		return -EINVAL;
	}
	rc = sg_sstp_encode_connected(msg, sizeof(msg), c->hash_proto, c->nonce,
				      c->hash_proto == SG_SSTP_HASH_SHA1 ? c->cfg->cert_hash_sha1
									 : c->cfg->cert_hash_sha256,
				      zeros);
	if (rc > 0)
		rc = sg_sstp_connected_sign(msg, hlak ? hlak : zeros);
	if (rc < 0) {
		sg_sstp_conn_close(&c->c, r, SG_SSTP_R_CRYPTO_ERROR);
		r->deadline = sg_sstp_conn_deadline(&c->c);
		return rc;
	}
	sg_sstp_conn_send(r, msg, sizeof(msg));
	sg_sstp_count(&c->c, r, SG_SSTP_R_CONNECTED_OK);
	sg_sstp_conn_connected(&c->c, now);
	r->actions |= SG_SSTP_ACT_DATA_OPEN;
	r->deadline = sg_sstp_conn_deadline(&c->c);
	return 0;
}

void sg_sstp_client_disconnect(struct sg_sstp_client *c, sg_usec_t now, struct sg_sstp_result *r)
{
	sg_sstp_conn_user_disconnect(&c->c, now, r);
}

void sg_sstp_client_abort(struct sg_sstp_client *c, uint32_t status, sg_usec_t now,
			  struct sg_sstp_result *r)
{
	sg_sstp_conn_user_abort(&c->c, status, now, r);
}

int sg_sstp_client_ppp_tx(struct sg_sstp_client *c, const uint8_t *frame, size_t len,
			  uint8_t hdr[SG_SSTP_HDR_LEN])
{
	return sg_sstp_conn_ppp_tx(&c->c, frame, len, hdr);
}

sg_usec_t sg_sstp_client_deadline(const struct sg_sstp_client *c)
{
	return sg_sstp_conn_deadline(&c->c);
}
