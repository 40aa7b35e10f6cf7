/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Server state machine: every transition of PROTOCOL.md "Server state
 * machine", every abort cause with its status, every timer with the exact
 * instant it fires (and does not fire one microsecond earlier).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sg_sstp.h"

#define SEC SG_USEC_PER_SEC
#define T0  (1000 * SEC)

static const uint8_t cert_der[] = "a stand-in for the DER leaf certificate the client saw";
static const char http_req[] = "SSTP_DUPLEX_POST " SG_SSTP_HTTP_PATH " HTTP/1.1\r\n"
			       "Host: h\r\nContent-Length: 18446744073709551615\r\n\r\n";

struct fx {
	struct sg_sstp_server_config cfg;
	struct sg_sstp_server s;
	struct sg_sstp_stats st;
	struct sg_sstp_result r;
	uint8_t hlak[32];
	uint8_t nonce[32];
};

static struct fx F;

static void fx_init(uint8_t hash_bitmask, bool require)
{
	memset(&F, 0, sizeof(F));
	sg_sstp_server_config_init(&F.cfg);
	F.cfg.hash_bitmask = hash_bitmask;
	F.cfg.require_crypto_binding = require;
	assert_int_equal(sg_sstp_server_config_set_cert(&F.cfg, cert_der, sizeof(cert_der)), 0);
	assert_int_equal(sg_sstp_server_init(&F.s, &F.cfg, &F.st, T0), 0);
	for (int i = 0; i < 32; i++)
		F.hlak[i] = (uint8_t) (0xa0 + i);
}

/* Feed one whole unit (HTTP request or one packet); it must be consumed in one call. */
static void rx(const void *p, size_t len, sg_usec_t now)
{
	int n = sg_sstp_server_rx(&F.s, p, len, now, &F.r);

	assert_int_equal(n, (int) len);
}

static void tx_is(const uint8_t *want, size_t len)
{
	assert_true(F.r.actions & SG_SSTP_ACT_SEND);
	assert_int_equal(F.r.tx_len, len);
	assert_memory_equal(F.r.tx, want, len);
}

/* The last tx is an ABORT carrying status; state and counters follow. */
static void expect_abort(uint32_t status, enum sg_sstp_reason reason)
{
	struct sg_sstp_ctrl c;

	assert_true(F.r.actions & SG_SSTP_ACT_SEND);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_DOWN);
	assert_false(F.r.actions & SG_SSTP_ACT_CLOSE);
	assert_int_equal(sg_sstp_ctrl_decode(F.r.tx, F.r.tx_len, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_ABORT);
	assert_int_equal(c.status_info.status, status);
	assert_int_equal(F.r.status, status);
	assert_int_equal(F.r.reason, reason);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_ABORT_PENDING);
	assert_true(F.st.count[reason] >= 1);
	assert_true(F.st.count[SG_SSTP_R_ABORT_SENT] >= 1);
}

static void to_connect_req_pending(void)
{
	rx(http_req, strlen(http_req), T0);
	assert_int_equal(F.r.http_status, 200);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECT_REQ_PENDING);
}

static void send_ctrl_empty(uint16_t type, sg_usec_t now)
{
	uint8_t b[8];

	sg_sstp_encode_empty(b, sizeof(b), type);
	rx(b, sizeof(b), now);
}

static void to_connected_pending(sg_usec_t now)
{
	uint8_t req[14];
	struct sg_sstp_ctrl c;

	if (sg_sstp_server_state(&F.s) == SG_SSTP_ST_HTTP)
		to_connect_req_pending();
	sg_sstp_encode_connect_request(req, sizeof(req), SG_SSTP_ENCAP_PPP);
	rx(req, sizeof(req), now);
	assert_int_equal(F.r.tx_len, SG_SSTP_CONNECT_ACK_LEN);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_START);
	assert_int_equal(sg_sstp_ctrl_decode(F.r.tx, F.r.tx_len, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_ACK);
	assert_int_equal(c.binding_req.hash_bitmask, F.cfg.hash_bitmask);
	memcpy(F.nonce, c.binding_req.nonce, 32);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED_PENDING);
	assert_int_equal(F.r.deadline, now + 60 * SEC);
}

/* A CONNECTED as a correct client would build it. */
static void make_connected(uint8_t msg[112], uint8_t proto, const uint8_t *hlak)
{
	static const uint8_t zeros[32];
	uint8_t ch[32];

	assert_int_equal(sg_sstp_cert_hash(proto, cert_der, sizeof(cert_der), ch), 0);
	assert_int_equal(sg_sstp_encode_connected(msg, 112, proto, F.nonce, ch, zeros), 112);
	assert_int_equal(sg_sstp_connected_sign(msg, hlak ? hlak : zeros), 0);
}

static void to_connected(sg_usec_t now)
{
	uint8_t msg[112];

	if (sg_sstp_server_state(&F.s) != SG_SSTP_ST_CONNECTED_PENDING)
		to_connected_pending(T0);
	sg_sstp_server_auth_done(&F.s, F.hlak, now, &F.r);
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	rx(msg, sizeof(msg), now);
	assert_true(F.r.actions & SG_SSTP_ACT_DATA_OPEN);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED);
}

static void init_needs_a_certificate_when_binding_is_required(void **state)
{
	struct sg_sstp_server_config cfg;
	struct sg_sstp_server s;

	(void) state;
	sg_sstp_server_config_init(&cfg);
	assert_int_equal(cfg.hash_bitmask, SG_SSTP_HASH_SHA256);
	assert_true(cfg.require_crypto_binding);
	assert_int_equal(sg_sstp_server_init(&s, &cfg, NULL, 0), -EINVAL);
	cfg.require_crypto_binding = false;
	assert_int_equal(sg_sstp_server_init(&s, &cfg, NULL, 0), 0);
	cfg.hash_bitmask = 0;
	assert_int_equal(sg_sstp_server_init(&s, &cfg, NULL, 0), -EINVAL);
}

static void full_handshake_queues_connected_until_auth(void **state)
{
	static const uint8_t lcp[] = {0x10, 0x00, 0x00, 0x0a, 0xff, 0x03, 0xc0, 0x21, 1, 1};
	static const uint8_t ip[] = {0x10, 0x00, 0x00, 0x0a, 0xff, 0x03, 0x00, 0x21, 0x45, 0};
	uint8_t msg[112], hdr[4];

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	assert_int_equal(sg_sstp_server_deadline(&F.s), T0 + 60 * SEC);
	to_connect_req_pending();
	assert_memory_equal(F.r.tx, "HTTP/1.1 200 OK\r\n", 17);
	assert_int_equal(F.r.deadline, T0 + 60 * SEC);
	to_connected_pending(T0 + 5 * SEC);

	/* PPP control frames go up, data frames are dropped, until CONNECTED. */
	rx(lcp, sizeof(lcp), T0 + 6 * SEC);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_INPUT);
	assert_int_equal(F.r.ppp_len, 6);
	assert_memory_equal(F.r.ppp, lcp + 4, 6);
	rx(ip, sizeof(ip), T0 + 6 * SEC);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.st.count[SG_SSTP_R_DATA_NOT_CONNECTED], 1);
	assert_int_equal(sg_sstp_server_ppp_tx(&F.s, lcp + 4, 6, hdr), 0);
	assert_memory_equal(hdr, lcp, 4);
	assert_int_equal(sg_sstp_server_ppp_tx(&F.s, ip + 4, 6, hdr), -EPERM);

	/* CONNECTED before the auth result: queued, nothing sent. */
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	rx(msg, sizeof(msg), T0 + 7 * SEC);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_CONNECTED_QUEUED);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED_PENDING);
	/* A second CONNECTED while one is queued is a wrong-state message. */
	sg_sstp_server_auth_done(&F.s, F.hlak, T0 + 8 * SEC, &F.r);
	assert_true(F.r.actions & SG_SSTP_ACT_DATA_OPEN);
	assert_int_equal(F.r.reason, SG_SSTP_R_CONNECTED_OK);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED);
	assert_int_equal(F.r.deadline, T0 + 68 * SEC); /* hello */

	rx(ip, sizeof(ip), T0 + 9 * SEC);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_INPUT);
	assert_int_equal(F.r.ppp_len, 6);
	assert_int_equal(sg_sstp_server_ppp_tx(&F.s, ip + 4, 6, hdr), 0);
	assert_int_equal(sg_sstp_server_ppp_tx(&F.s, ip + 4, 4092, hdr), -EMSGSIZE);
	assert_int_equal(F.st.count[SG_SSTP_R_TX_TOO_LONG], 1);
	assert_int_equal(F.st.count[SG_SSTP_R_TX_NOT_ALLOWED], 1);
	sg_sstp_server_fini(&F.s);
}

static void sha1_binding_accepted_only_when_offered(void **state)
{
	uint8_t msg[112];

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256 | SG_SSTP_HASH_SHA1, true);
	to_connected_pending(T0);
	sg_sstp_server_auth_done(&F.s, NULL, T0, &F.r); /* PAP: zero HLAK */
	make_connected(msg, SG_SSTP_HASH_SHA1, NULL);
	rx(msg, sizeof(msg), T0);
	assert_true(F.r.actions & SG_SSTP_ACT_DATA_OPEN);

	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	sg_sstp_server_auth_done(&F.s, NULL, T0, &F.r);
	make_connected(msg, SG_SSTP_HASH_SHA1, NULL);
	rx(msg, sizeof(msg), T0);
	expect_abort(SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_HASH_PROTO);
}

enum tamper { T_NONCE, T_CERT, T_MAC, T_HLAK, T_PROTO3, T_PROTO0, T_MISSING, T_SHORT };

static void connected_with(enum tamper t, uint32_t status, enum sg_sstp_reason reason)
{
	uint8_t msg[112], other_hlak[32];

	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	memcpy(other_hlak, F.hlak, 32);
	other_hlak[0] ^= 1;
	make_connected(msg, SG_SSTP_HASH_SHA256, t == T_HLAK ? other_hlak : F.hlak);
	switch (t) {
	case T_NONCE: /* re-signed: only the nonce is wrong */
		msg[SG_SSTP_CONNECTED_NONCE_OFF + 31] ^= 1;
		sg_sstp_connected_sign(msg, F.hlak);
		break;
	case T_CERT:
		msg[SG_SSTP_CONNECTED_CERT_HASH_OFF] ^= 1;
		sg_sstp_connected_sign(msg, F.hlak);
		break;
	case T_MAC:
		msg[SG_SSTP_CONNECTED_MAC_OFF + 31] ^= 1;
		break;
	case T_PROTO3:
	case T_PROTO0:
		msg[SG_SSTP_CONNECTED_HASH_PROTO_OFF] = t == T_PROTO3 ? 3 : 0;
		break;
	case T_MISSING: /* CONNECTED without attributes */
		sg_sstp_encode_empty(msg, sizeof(msg), SG_SSTP_MSG_CONNECTED);
		break;
	case T_SHORT: /* binding attribute 100 long */
		msg[3] = 108;
		msg[11] = 100;
		break;
	default:
		break;
	}
	sg_sstp_server_auth_done(&F.s, F.hlak, T0, &F.r);
	size_t len = t == T_MISSING ? 8 : t == T_SHORT ? 108 : 112;
	rx(msg, len, T0 + SEC);
	expect_abort(status, reason);
	/* Abort pending: the server ignores a valid retry. */
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	rx(msg, 112, T0 + SEC);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_CTRL_IGNORED);
}

static void connected_validation_failures_abort_with_their_status(void **state)
{
	(void) state;
	connected_with(T_NONCE, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_NONCE);
	connected_with(T_CERT, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_CERT_HASH);
	connected_with(T_MAC, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_MAC);
	connected_with(T_HLAK, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_MAC);
	connected_with(T_PROTO3, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_HASH_PROTO);
	connected_with(T_PROTO0, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_HASH_PROTO);
	connected_with(T_MISSING, SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
		       SG_SSTP_R_BINDING_MISSING);
	connected_with(T_SHORT, SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
		       SG_SSTP_R_BINDING_MISSING);
	assert_int_equal(F.st.count[SG_SSTP_R_CTRL_ATTR_BAD_LENGTH], 1);
}

static void queued_connected_with_bad_mac_aborts_at_auth_time(void **state)
{
	uint8_t msg[112];

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	rx(msg, sizeof(msg), T0);
	assert_int_equal(F.r.reason, SG_SSTP_R_CONNECTED_QUEUED);
	F.hlak[5] ^= 1;
	sg_sstp_server_auth_done(&F.s, F.hlak, T0, &F.r);
	expect_abort(SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_MAC);
}

static void binding_not_required_skips_mac_but_not_nonce(void **state)
{
	uint8_t msg[112];

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, false);
	to_connected_pending(T0);
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	msg[SG_SSTP_CONNECTED_MAC_OFF] ^= 0xff;
	msg[SG_SSTP_CONNECTED_CERT_HASH_OFF] ^= 0xff;
	rx(msg, sizeof(msg), T0); /* no auth result needed */
	assert_true(F.r.actions & SG_SSTP_ACT_DATA_OPEN);
	assert_int_equal(F.r.reason, SG_SSTP_R_BINDING_UNCHECKED);

	fx_init(SG_SSTP_HASH_SHA256, false);
	to_connected_pending(T0);
	make_connected(msg, SG_SSTP_HASH_SHA256, F.hlak);
	msg[SG_SSTP_CONNECTED_NONCE_OFF] ^= 1;
	rx(msg, sizeof(msg), T0);
	expect_abort(SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, SG_SSTP_R_BINDING_NONCE);
}

static void bad_connect_requests_are_naked_then_aborted(void **state)
{
	uint8_t req[14], dup[20];
	struct sg_sstp_ctrl c;

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	sg_sstp_encode_connect_request(req, sizeof(req), 2); /* not PPP */
	for (int i = 0; i < SG_SSTP_MAX_NAKS; i++) {
		rx(req, sizeof(req), T0 + SEC);
		assert_int_equal(sg_sstp_ctrl_decode(F.r.tx, F.r.tx_len, &c), 0);
		assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_NAK);
		assert_int_equal(c.status_info.attr_id, SG_SSTP_ATTR_ENCAP_PROTO);
		assert_int_equal(c.status_info.status, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED);
		assert_int_equal(c.status_info.value_len, 2);
		assert_int_equal(c.status_info.value[1], 2);
		assert_int_equal(F.r.reason, SG_SSTP_R_NAK_SENT);
		assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECT_REQ_PENDING);
	}
	rx(req, sizeof(req), T0 + SEC);
	expect_abort(SG_SSTP_STATUS_RETRY_COUNT_EXCEEDED, SG_SSTP_R_NAK_LIMIT);
	assert_int_equal(F.st.count[SG_SSTP_R_NAK_SENT], 3);

	/* A malformed request is NAKed with the decoder's status; a good one then gets the ACK. */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	sg_sstp_encode_connect_request(dup, sizeof(dup), 1);
	memcpy(dup + 14, dup + 8, 6);
	dup[3] = 20;
	dup[7] = 2;
	rx(dup, sizeof(dup), T0);
	assert_int_equal(sg_sstp_ctrl_decode(F.r.tx, F.r.tx_len, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_NAK);
	assert_int_equal(c.status_info.status, SG_SSTP_STATUS_DUPLICATE_ATTRIBUTE);
	assert_int_equal(F.st.count[SG_SSTP_R_CTRL_ATTR_DUPLICATE], 1);
	sg_sstp_encode_connect_request(req, sizeof(req), 1);
	rx(req, sizeof(req), T0);
	assert_int_equal(F.r.tx_len, SG_SSTP_CONNECT_ACK_LEN);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED_PENDING);
}

static void wrong_state_messages_abort_unaccepted(void **state)
{
	static const struct {
		int stage; /* 0 CONNECT_REQ_PENDING, 1 CONNECTED_PENDING, 2 CONNECTED */
		uint16_t type;
	} cases[] = {
	    {0, SG_SSTP_MSG_CONNECTED},	      {0, SG_SSTP_MSG_CONNECT_ACK},
	    {0, SG_SSTP_MSG_CONNECT_NAK},     {0, SG_SSTP_MSG_DISCONNECT_ACK},
	    {1, SG_SSTP_MSG_CONNECT_REQUEST}, {1, SG_SSTP_MSG_CONNECT_ACK},
	    {1, SG_SSTP_MSG_DISCONNECT_ACK},  {2, SG_SSTP_MSG_CONNECT_REQUEST},
	    {2, SG_SSTP_MSG_CONNECTED},	      {2, SG_SSTP_MSG_CONNECT_NAK},
	    {2, SG_SSTP_MSG_DISCONNECT_ACK},
	};
	uint8_t buf[128], nonce[32] = {0};

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		size_t len = 0;

		fx_init(SG_SSTP_HASH_SHA256, true);
		if (cases[i].stage == 0)
			to_connect_req_pending();
		else if (cases[i].stage == 1)
			to_connected_pending(T0);
		else
			to_connected(T0);
		switch (cases[i].type) {
		case SG_SSTP_MSG_CONNECT_REQUEST:
			len = (size_t) sg_sstp_encode_connect_request(buf, sizeof(buf), 1);
			break;
		case SG_SSTP_MSG_CONNECT_ACK:
			len = (size_t) sg_sstp_encode_connect_ack(buf, sizeof(buf), 2, nonce);
			break;
		case SG_SSTP_MSG_CONNECT_NAK:
			len = (size_t) sg_sstp_encode_connect_nak(buf, sizeof(buf), 1, 4, NULL, 0);
			break;
		case SG_SSTP_MSG_CONNECTED:
			make_connected(buf, SG_SSTP_HASH_SHA256, F.hlak);
			len = 112;
			break;
		default:
			len = (size_t) sg_sstp_encode_empty(buf, sizeof(buf), cases[i].type);
		}
		print_message("  stage %d msg %u\n", cases[i].stage, cases[i].type);
		rx(buf, len, T0 + SEC);
		expect_abort(SG_SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, SG_SSTP_R_WRONG_STATE);
	}
}

static void malformed_control_after_request_aborts_with_decoder_status(void **state)
{
	/* ECHO_REQUEST carrying an attribute, an unknown message type */
	static const uint8_t echo_attr[] = {0x10, 0x01, 0x00, 0x0e, 0x00, 0x08, 0x00,
					    0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01};
	static const uint8_t type_12[] = {0x10, 0x01, 0x00, 0x08, 0x00, 0x0c, 0x00, 0x00};

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	rx(echo_attr, sizeof(echo_attr), T0);
	expect_abort(SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, SG_SSTP_R_CTRL_ATTR_NOT_IN_MSG);
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	rx(type_12, sizeof(type_12), T0);
	expect_abort(SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, SG_SSTP_R_CTRL_BAD_MSG_TYPE);
	/* before the first CONNECT_REQUEST a bad message type is an abort, not a NAK */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	rx(type_12, sizeof(type_12), T0);
	expect_abort(SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, SG_SSTP_R_CTRL_BAD_MSG_TYPE);
}

static void unparseable_stream_closes_without_reply(void **state)
{
	static const uint8_t bad_version[] = {0x11, 0x01, 0x00, 0x08, 0, 8, 0, 0};
	static const uint8_t short_len[] = {0x10, 0x01, 0x00, 0x03, 0, 8, 0, 0};

	(void) state;
	for (int stage = 0; stage < 3; stage++) {
		for (int k = 0; k < 2; k++) {
			fx_init(SG_SSTP_HASH_SHA256, true);
			if (stage == 0)
				to_connect_req_pending();
			else if (stage == 1)
				to_connected_pending(T0);
			else
				to_connected(T0);
			rx(k ? short_len : bad_version, 8, T0);
			assert_int_equal(F.r.tx_len, 0);
			assert_true(F.r.actions & SG_SSTP_ACT_CLOSE);
			assert_false(F.r.actions & SG_SSTP_ACT_SEND);
			assert_int_equal(F.r.reason,
					 k ? SG_SSTP_R_BAD_LENGTH : SG_SSTP_R_BAD_VERSION);
			assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CLOSED);
			/* everything after is swallowed */
			rx(bad_version, 8, T0);
			assert_int_equal(F.r.actions, 0);
		}
	}
}

static void non_sstp_http_gets_error_and_close(void **state)
{
	static const char get[] = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	rx(get, strlen(get), T0);
	assert_int_equal(F.r.http_status, 404);
	assert_true(F.r.actions & SG_SSTP_ACT_CLOSE);
	assert_memory_equal(F.r.tx, "HTTP/1.1 404 Not Found\r\n", 24);
	assert_non_null(strstr((const char *) F.r.tx, "Connection: close"));
	assert_int_equal(F.st.count[SG_SSTP_R_HTTP_NOT_FOUND], 1);
}

static void http_and_negotiation_timers(void **state)
{
	uint8_t req[14];

	(void) state;
	/* HTTP request never completes: closed at exactly +60 s, no reply. */
	fx_init(SG_SSTP_HASH_SHA256, true);
	rx(http_req, 10, T0);
	assert_int_equal(F.r.deadline, T0 + 60 * SEC);
	sg_sstp_server_timer(&F.s, T0 + 60 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 60 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_HTTP_TIMEOUT);

	/* No CONNECT_REQUEST in 60 s after the HTTP reply. */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	sg_sstp_server_timer(&F.s, T0 + 60 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 60 * SEC, &F.r);
	expect_abort(SG_SSTP_STATUS_NEGOTIATION_TIMEOUT, SG_SSTP_R_NEGOTIATION_TIMEOUT);

	/* A NAK does not restart it; the ACK does. */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	sg_sstp_encode_connect_request(req, sizeof(req), 7);
	rx(req, sizeof(req), T0 + 30 * SEC);
	assert_int_equal(F.r.deadline, T0 + 60 * SEC);
	sg_sstp_encode_connect_request(req, sizeof(req), 1);
	rx(req, sizeof(req), T0 + 50 * SEC);
	assert_int_equal(F.r.deadline, T0 + 110 * SEC);
	sg_sstp_server_timer(&F.s, T0 + 110 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 110 * SEC, &F.r);
	expect_abort(SG_SSTP_STATUS_NEGOTIATION_TIMEOUT, SG_SSTP_R_NEGOTIATION_TIMEOUT);
}

static void hello_echo_and_silence(void **state)
{
	static const uint8_t data[] = {0x10, 0x00, 0x00, 0x06, 0x00, 0x21};
	uint8_t echo_req[8], echo_rsp[8];

	(void) state;
	sg_sstp_encode_empty(echo_req, 8, SG_SSTP_MSG_ECHO_REQUEST);
	sg_sstp_encode_empty(echo_rsp, 8, SG_SSTP_MSG_ECHO_RESPONSE);
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	/* any packet restarts the hello timer */
	rx(data, sizeof(data), T0 + 30 * SEC);
	assert_int_equal(F.r.deadline, T0 + 90 * SEC);
	sg_sstp_server_timer(&F.s, T0 + 90 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 90 * SEC, &F.r);
	tx_is(echo_req, 8);
	assert_int_equal(F.r.reason, SG_SSTP_R_ECHO_REQUEST_SENT);
	assert_int_equal(F.r.deadline, T0 + 150 * SEC);
	/* the answer clears it */
	rx(echo_rsp, 8, T0 + 91 * SEC);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.deadline, T0 + 151 * SEC);
	sg_sstp_server_timer(&F.s, T0 + 151 * SEC, &F.r);
	tx_is(echo_req, 8);
	/* silence for one more interval: dropped */
	sg_sstp_server_timer(&F.s, T0 + 211 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 211 * SEC, &F.r);
	assert_true(F.r.actions & SG_SSTP_ACT_CLOSE);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_DOWN);
	assert_int_equal(F.r.reason, SG_SSTP_R_HELLO_TIMEOUT);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CLOSED);
}

static void echo_request_always_answered(void **state)
{
	uint8_t echo_rsp[8];

	(void) state;
	sg_sstp_encode_empty(echo_rsp, 8, SG_SSTP_MSG_ECHO_RESPONSE);
	for (int stage = 0; stage < 3; stage++) {
		fx_init(SG_SSTP_HASH_SHA256, true);
		if (stage == 0)
			to_connect_req_pending();
		else if (stage == 1)
			to_connected_pending(T0);
		else
			to_connected(T0);
		send_ctrl_empty(SG_SSTP_MSG_ECHO_REQUEST, T0 + SEC);
		tx_is(echo_rsp, 8);
		assert_int_equal(F.r.reason, SG_SSTP_R_ECHO_ANSWERED);
	}
}

static void local_abort_t1_and_t2(void **state)
{
	static const uint8_t data[] = {0x10, 0x00, 0x00, 0x06, 0x00, 0x21};

	(void) state;
	/* no ABORT back: close at T1 = 3 s */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	sg_sstp_server_abort(&F.s, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, T0, &F.r);
	expect_abort(SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, SG_SSTP_R_ABORT_SENT);
	assert_int_equal(F.r.deadline, T0 + 3 * SEC);
	rx(data, sizeof(data), T0 + SEC); /* ignored */
	assert_int_equal(F.r.reason, SG_SSTP_R_DATA_IN_TEARDOWN);
	send_ctrl_empty(SG_SSTP_MSG_ECHO_REQUEST, T0 + SEC); /* ignored too */
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_CTRL_IGNORED);
	sg_sstp_server_timer(&F.s, T0 + 3 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 3 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_ABORT_T1_EXPIRED);

	/* ABORT back: T2 = 1 s from then */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	sg_sstp_server_abort(&F.s, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, T0, &F.r);
	send_ctrl_empty(SG_SSTP_MSG_ABORT, T0 + 2 * SEC);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_ABORT_RECEIVED);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_ABORT_TIMEOUT);
	assert_int_equal(F.r.deadline, T0 + 3 * SEC);
	send_ctrl_empty(SG_SSTP_MSG_ABORT, T0 + 2 * SEC + 1); /* ignored in T2 */
	assert_int_equal(F.r.reason, SG_SSTP_R_CTRL_IGNORED);
	sg_sstp_server_timer(&F.s, T0 + 3 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 3 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_ABORT_DONE);
	/* abort in the HTTP phase just closes */
	fx_init(SG_SSTP_HASH_SHA256, true);
	sg_sstp_server_abort(&F.s, 0, T0, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
}

static void peer_abort_is_answered_then_closed_after_t2(void **state)
{
	uint8_t ab[20], bare[8];

	(void) state;
	sg_sstp_encode_status_msg(ab, sizeof(ab), SG_SSTP_MSG_ABORT, true, 0,
				  SG_SSTP_STATUS_INVALID_FRAME_RECEIVED);
	sg_sstp_encode_status_msg(bare, sizeof(bare), SG_SSTP_MSG_ABORT, false, 0, 0);
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	rx(ab, sizeof(ab), T0 + SEC);
	tx_is(bare, 8);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_DOWN);
	assert_int_equal(F.r.status, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED);
	assert_int_equal(F.r.reason, SG_SSTP_R_ABORT_RECEIVED);
	assert_int_equal(F.r.deadline, T0 + 2 * SEC);
	sg_sstp_server_timer(&F.s, T0 + 2 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_ABORT_DONE);
}

static void graceful_disconnect_waits_five_seconds_for_ack(void **state)
{
	uint8_t disc[20];

	(void) state;
	sg_sstp_encode_status_msg(disc, sizeof(disc), SG_SSTP_MSG_DISCONNECT, true, 0,
				  SG_SSTP_STATUS_NO_ERROR);
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	sg_sstp_server_disconnect(&F.s, T0, &F.r);
	tx_is(disc, sizeof(disc));
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_DOWN);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_DISCONNECT_ACK_PENDING);
	assert_int_equal(F.r.deadline, T0 + 5 * SEC);
	send_ctrl_empty(SG_SSTP_MSG_DISCONNECT_ACK, T0 + SEC);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_DISCONNECT_ACKED);

	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected_pending(T0);
	sg_sstp_server_disconnect(&F.s, T0, &F.r); /* e.g. auth failed */
	sg_sstp_server_timer(&F.s, T0 + 5 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 5 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_DISCONNECT_ACK_TIMEOUT);

	/* both sides disconnect at once: ack theirs, linger 1 s */
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	sg_sstp_server_disconnect(&F.s, T0, &F.r);
	rx(disc, sizeof(disc), T0 + SEC);
	assert_int_equal(F.r.tx_len, 8);
	assert_int_equal(F.r.tx[5], SG_SSTP_MSG_DISCONNECT_ACK);
	sg_sstp_server_timer(&F.s, T0 + 2 * SEC, &F.r);
	assert_int_equal(F.r.reason, SG_SSTP_R_DISCONNECT_DONE);

	/* disconnect before the HTTP request: close */
	fx_init(SG_SSTP_HASH_SHA256, true);
	sg_sstp_server_disconnect(&F.s, T0, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
}

static void peer_disconnect_is_acked_then_closed_after_one_second(void **state)
{
	uint8_t disc[20], ack[8];

	(void) state;
	sg_sstp_encode_status_msg(disc, sizeof(disc), SG_SSTP_MSG_DISCONNECT, true, 0, 0);
	sg_sstp_encode_empty(ack, sizeof(ack), SG_SSTP_MSG_DISCONNECT_ACK);
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	rx(disc, sizeof(disc), T0 + SEC);
	tx_is(ack, sizeof(ack));
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_DOWN);
	assert_int_equal(F.r.reason, SG_SSTP_R_DISCONNECT_RECEIVED);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_DISCONNECT_TIMEOUT);
	send_ctrl_empty(SG_SSTP_MSG_ECHO_REQUEST, T0 + SEC); /* ignored */
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 2 * SEC - 1, &F.r);
	assert_int_equal(F.r.actions, 0);
	sg_sstp_server_timer(&F.s, T0 + 2 * SEC, &F.r);
	assert_int_equal(F.r.actions, SG_SSTP_ACT_CLOSE);
	assert_int_equal(F.r.reason, SG_SSTP_R_DISCONNECT_DONE);
}

static void data_before_ack_and_empty_data_are_dropped(void **state)
{
	static const uint8_t lcp[] = {0x10, 0x00, 0x00, 0x08, 0xff, 0x03, 0xc0, 0x21};
	static const uint8_t empty[] = {0x10, 0x00, 0x00, 0x04};
	uint8_t hdr[4];

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connect_req_pending();
	rx(lcp, sizeof(lcp), T0);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_DATA_BEFORE_ACK);
	assert_int_equal(sg_sstp_server_ppp_tx(&F.s, lcp + 4, 4, hdr), -EPERM);
	to_connected(T0);
	rx(empty, sizeof(empty), T0);
	assert_int_equal(F.r.actions, 0);
	assert_int_equal(F.r.reason, SG_SSTP_R_DATA_EMPTY);
}

static void stream_of_packets_in_one_buffer(void **state)
{
	uint8_t buf[256];
	size_t len = 0, off = 0;
	int frames = 0, sends = 0;

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	to_connected(T0);
	for (int i = 0; i < 5; i++) {
		sg_sstp_data_hdr_write(buf + len, 3);
		memcpy(buf + len + 4, "\x00\x21\x45", 3);
		len += 7;
		len += (size_t) sg_sstp_encode_empty(buf + len, 8, SG_SSTP_MSG_ECHO_REQUEST);
	}
	while (off < len) {
		int n = sg_sstp_server_rx(&F.s, buf + off, len - off, T0, &F.r);

		assert_true(n > 0);
		off += (size_t) n;
		frames += (F.r.actions & SG_SSTP_ACT_PPP_INPUT) != 0;
		sends += (F.r.actions & SG_SSTP_ACT_SEND) != 0;
	}
	assert_int_equal(frames, 5);
	assert_int_equal(sends, 5);
	assert_int_equal(sg_sstp_server_rx(&F.s, buf, 0, T0, &F.r), 0);
}

/* A client that pipelines its CONNECT_REQUEST behind the HTTP request in one read. */
static void pipelined_http_and_connect_request(void **state)
{
	uint8_t buf[256];
	size_t len = strlen(http_req), off = 0;
	int replies = 0;

	(void) state;
	fx_init(SG_SSTP_HASH_SHA256, true);
	memcpy(buf, http_req, len);
	len += (size_t) sg_sstp_encode_connect_request(buf + len, 14, SG_SSTP_ENCAP_PPP);
	while (off < len) {
		int n = sg_sstp_server_rx(&F.s, buf + off, len - off, T0, &F.r);

		assert_true(n > 0);
		off += (size_t) n;
		replies += (F.r.actions & SG_SSTP_ACT_SEND) != 0;
		if (off == strlen(http_req))
			assert_int_equal(F.r.http_status, 200);
	}
	assert_int_equal(replies, 2);
	assert_int_equal(F.r.tx_len, SG_SSTP_CONNECT_ACK_LEN);
	assert_true(F.r.actions & SG_SSTP_ACT_PPP_START);
	assert_int_equal(sg_sstp_server_state(&F.s), SG_SSTP_ST_CONNECTED_PENDING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(init_needs_a_certificate_when_binding_is_required),
	    cmocka_unit_test(full_handshake_queues_connected_until_auth),
	    cmocka_unit_test(sha1_binding_accepted_only_when_offered),
	    cmocka_unit_test(connected_validation_failures_abort_with_their_status),
	    cmocka_unit_test(queued_connected_with_bad_mac_aborts_at_auth_time),
	    cmocka_unit_test(binding_not_required_skips_mac_but_not_nonce),
	    cmocka_unit_test(bad_connect_requests_are_naked_then_aborted),
	    cmocka_unit_test(wrong_state_messages_abort_unaccepted),
	    cmocka_unit_test(malformed_control_after_request_aborts_with_decoder_status),
	    cmocka_unit_test(unparseable_stream_closes_without_reply),
	    cmocka_unit_test(non_sstp_http_gets_error_and_close),
	    cmocka_unit_test(http_and_negotiation_timers),
	    cmocka_unit_test(hello_echo_and_silence),
	    cmocka_unit_test(echo_request_always_answered),
	    cmocka_unit_test(local_abort_t1_and_t2),
	    cmocka_unit_test(peer_abort_is_answered_then_closed_after_t2),
	    cmocka_unit_test(graceful_disconnect_waits_five_seconds_for_ack),
	    cmocka_unit_test(peer_disconnect_is_acked_then_closed_after_one_second),
	    cmocka_unit_test(data_before_ack_and_empty_data_are_dropped),
	    cmocka_unit_test(stream_of_packets_in_one_buffer),
	    cmocka_unit_test(pipelined_http_and_connect_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
