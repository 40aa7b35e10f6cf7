/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client state machine against the server state machine, in memory: the full
 * handshake with crypto binding (SHA256 and SHA1, bytes delivered in odd
 * chunk sizes), data both ways, echo, disconnect; and what the client does
 * with NAKs, bad replies and a man in the middle (other certificate, other
 * HLAK).
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
#define T0  (5000 * SEC)

static const uint8_t cert_der[] = "the gateway's DER certificate (stand-in)";
static const uint8_t other_der[] = "a man in the middle's certificate";

struct pipe {
	uint8_t buf[8192];
	size_t len;
};

struct end {
	struct sg_sstp_result r;
	struct pipe in; /* bytes waiting to be read by this end */
	int ppp_start, data_open, ppp_down, closed, frames;
	uint8_t last_frame[64];
	size_t last_len;
};

static struct {
	struct sg_sstp_server_config scfg;
	struct sg_sstp_client_config ccfg;
	struct sg_sstp_server s;
	struct sg_sstp_client c;
	struct sg_sstp_stats sst, cst;
	struct end se, ce;
	uint32_t rng;
} W;

static void push(struct pipe *p, const uint8_t *b, size_t len)
{
	assert_true(p->len + len <= sizeof(p->buf));
	memcpy(p->buf + p->len, b, len);
	p->len += len;
}

/* Apply a result's actions: tx goes to the peer's pipe. */
static void apply(struct end *e, struct pipe *peer)
{
	const struct sg_sstp_result *r = &e->r;

	if (r->actions & SG_SSTP_ACT_SEND)
		push(peer, r->tx, r->tx_len);
	if (r->actions & SG_SSTP_ACT_PPP_INPUT) {
		e->frames++;
		e->last_len = SG_MIN(r->ppp_len, sizeof(e->last_frame));
		memcpy(e->last_frame, r->ppp, e->last_len);
	}
	e->ppp_start += (r->actions & SG_SSTP_ACT_PPP_START) != 0;
	e->data_open += (r->actions & SG_SSTP_ACT_DATA_OPEN) != 0;
	e->ppp_down += (r->actions & SG_SSTP_ACT_PPP_DOWN) != 0;
	e->closed += (r->actions & SG_SSTP_ACT_CLOSE) != 0;
}

static size_t chunk(size_t left)
{
	W.rng = W.rng * 1103515245u + 12345u;
	return SG_MIN(left, (size_t) (1 + (W.rng >> 16) % 37));
}

/* Deliver everything pending in both directions, in pseudo-random chunks. */
static void pump(sg_usec_t now)
{
	for (int round = 0; round < 100 && (W.se.in.len || W.ce.in.len); round++) {
		struct end *ends[2] = {&W.se, &W.ce};

		for (int k = 0; k < 2; k++) {
			struct end *e = ends[k];
			struct pipe *peer = k == 0 ? &W.ce.in : &W.se.in;
			struct pipe in = e->in;
			size_t off = 0;

			e->in.len = 0;
			while (off < in.len && !e->closed) {
				size_t len = chunk(in.len - off);

				while (len > 0 && !e->closed) {
					int n = k == 0 ? sg_sstp_server_rx(&W.s, in.buf + off, len,
									   now, &e->r)
						       : sg_sstp_client_rx(&W.c, in.buf + off, len,
									   now, &e->r);

					assert_true(n > 0);
					off += (size_t) n;
					len -= (size_t) n;
					apply(e, peer);
				}
			}
		}
	}
}

static void world(uint8_t server_hashes, uint8_t client_hashes, const uint8_t *client_der,
		  size_t der_len)
{
	memset(&W, 0, sizeof(W));
	W.rng = 42;
	sg_sstp_server_config_init(&W.scfg);
	W.scfg.hash_bitmask = server_hashes;
	assert_int_equal(sg_sstp_server_config_set_cert(&W.scfg, cert_der, sizeof(cert_der)), 0);
	sg_sstp_client_config_init(&W.ccfg, "vpn.example.net");
	W.ccfg.correlation_id = "{11111111-2222-3333-4444-555555555555}";
	W.ccfg.hash_bitmask = client_hashes;
	assert_int_equal(sg_sstp_client_config_set_cert(&W.ccfg, client_der, der_len), 0);
	assert_int_equal(sg_sstp_server_init(&W.s, &W.scfg, &W.sst, T0), 0);
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	apply(&W.ce, &W.se.in);
	pump(T0);
	/* HTTP done, CONNECT_REQUEST/ACK exchanged, PPP started on both sides. */
	assert_int_equal(sg_sstp_server_state(&W.s), SG_SSTP_ST_CONNECTED_PENDING);
	assert_int_equal(sg_sstp_client_state(&W.c), SG_SSTP_ST_CONNECTED_PENDING);
	assert_int_equal(W.se.ppp_start, 1);
	assert_int_equal(W.ce.ppp_start, 1);
}

/* Server MasterReceiveKey||MasterSendKey == client MasterSendKey||MasterReceiveKey. */
static void hlaks(uint8_t srv[32], uint8_t cli[32])
{
	uint8_t k1[16], k2[16];

	memset(k1, 0x11, 16);
	memset(k2, 0x22, 16);
	sg_sstp_hlak_from_mppe(srv, k1, k2);
	sg_sstp_hlak_from_mppe(cli, k1, k2);
}

static void exchange_lcp_and_authenticate(const uint8_t *srv_hlak, const uint8_t *cli_hlak)
{
	static const uint8_t lcp[] = {0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04};
	uint8_t pkt[64];

	/* PPP control frames flow both ways before CONNECTED. */
	assert_int_equal(sg_sstp_client_ppp_tx(&W.c, lcp, sizeof(lcp), pkt), 0);
	memcpy(pkt + 4, lcp, sizeof(lcp));
	push(&W.se.in, pkt, 4 + sizeof(lcp));
	assert_int_equal(sg_sstp_server_ppp_tx(&W.s, lcp, sizeof(lcp), pkt), 0);
	memcpy(pkt + 4, lcp, sizeof(lcp));
	push(&W.ce.in, pkt, 4 + sizeof(lcp));
	pump(T0 + SEC);
	assert_int_equal(W.se.frames, 1);
	assert_int_equal(W.ce.frames, 1);
	assert_memory_equal(W.se.last_frame, lcp, sizeof(lcp));

	/* The client finishes auth first (its CONNECTED is queued), then the server. */
	assert_int_equal(sg_sstp_client_auth_done(&W.c, cli_hlak, T0 + 2 * SEC, &W.ce.r), 0);
	apply(&W.ce, &W.se.in);
	assert_int_equal(W.ce.data_open, 1);
	pump(T0 + 2 * SEC);
	assert_int_equal(W.se.r.reason, SG_SSTP_R_CONNECTED_QUEUED);
	sg_sstp_server_auth_done(&W.s, srv_hlak, T0 + 3 * SEC, &W.se.r);
	apply(&W.se, &W.ce.in);
}

static void handshake(uint8_t server_hashes, uint8_t client_hashes, uint8_t want_proto)
{
	static const uint8_t ip[] = {0x00, 0x21, 0x45, 0x00, 0x00, 0x14};
	uint8_t srv[32], cli[32], pkt[64];

	world(server_hashes, client_hashes, cert_der, sizeof(cert_der));
	assert_int_equal(W.c.hash_proto, want_proto);
	hlaks(srv, cli);
	exchange_lcp_and_authenticate(srv, cli);
	assert_int_equal(W.se.data_open, 1);
	assert_int_equal(W.sst.count[SG_SSTP_R_CONNECTED_OK], 1);
	assert_int_equal(sg_sstp_server_state(&W.s), SG_SSTP_ST_CONNECTED);

	/* data both ways */
	assert_int_equal(sg_sstp_client_ppp_tx(&W.c, ip, sizeof(ip), pkt), 0);
	memcpy(pkt + 4, ip, sizeof(ip));
	push(&W.se.in, pkt, 4 + sizeof(ip));
	assert_int_equal(sg_sstp_server_ppp_tx(&W.s, ip, sizeof(ip), pkt), 0);
	memcpy(pkt + 4, ip, sizeof(ip));
	push(&W.ce.in, pkt, 4 + sizeof(ip));
	pump(T0 + 4 * SEC);
	assert_int_equal(W.se.frames, 2);
	assert_int_equal(W.ce.frames, 2);
	assert_memory_equal(W.se.last_frame, ip, sizeof(ip));
	assert_memory_equal(W.ce.last_frame, ip, sizeof(ip));

	/* server hello: the client answers, the server stays up past two intervals */
	sg_usec_t dl = sg_sstp_server_deadline(&W.s);
	assert_int_equal(dl, T0 + 64 * SEC);
	sg_sstp_server_timer(&W.s, dl, &W.se.r);
	apply(&W.se, &W.ce.in);
	assert_int_equal(W.se.r.reason, SG_SSTP_R_ECHO_REQUEST_SENT);
	pump(dl + SEC);
	assert_int_equal(W.cst.count[SG_SSTP_R_ECHO_ANSWERED], 1);
	assert_int_equal(sg_sstp_server_deadline(&W.s), dl + 61 * SEC);

	/* the client disconnects; the server acks and closes after 1 s */
	sg_sstp_client_disconnect(&W.c, dl + 2 * SEC, &W.ce.r);
	apply(&W.ce, &W.se.in);
	pump(dl + 2 * SEC);
	assert_int_equal(W.ce.closed, 1);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_DISCONNECT_ACKED);
	assert_int_equal(sg_sstp_server_state(&W.s), SG_SSTP_ST_DISCONNECT_TIMEOUT);
	assert_int_equal(W.se.ppp_down, 1);
	sg_sstp_server_timer(&W.s, dl + 3 * SEC, &W.se.r);
	assert_int_equal(W.se.r.reason, SG_SSTP_R_DISCONNECT_DONE);
	sg_sstp_server_fini(&W.s);
	sg_sstp_client_fini(&W.c);
}

static void full_handshake_sha256(void **state)
{
	(void) state;
	handshake(SG_SSTP_HASH_SHA256, SG_SSTP_HASH_SHA1 | SG_SSTP_HASH_SHA256,
		  SG_SSTP_HASH_SHA256);
}

static void full_handshake_sha1_when_client_only_does_sha1(void **state)
{
	(void) state;
	handshake(SG_SSTP_HASH_SHA256 | SG_SSTP_HASH_SHA1, SG_SSTP_HASH_SHA1, SG_SSTP_HASH_SHA1);
}

static void zero_hlak_binding_verifies(void **state)
{
	(void) state;
	world(SG_SSTP_HASH_SHA256, SG_SSTP_HASH_SHA256, cert_der, sizeof(cert_der));
	exchange_lcp_and_authenticate(NULL, NULL);
	assert_int_equal(W.se.data_open, 1);
}

static void man_in_the_middle_is_aborted(void **state)
{
	uint8_t srv[32], cli[32];

	(void) state;
	/* client saw another certificate */
	world(SG_SSTP_HASH_SHA256, SG_SSTP_HASH_SHA256, other_der, sizeof(other_der));
	hlaks(srv, cli);
	exchange_lcp_and_authenticate(srv, cli);
	assert_int_equal(W.se.data_open, 0);
	assert_int_equal(W.sst.count[SG_SSTP_R_BINDING_CERT_HASH], 1);
	pump(T0 + 3 * SEC);
	/* the client got the ABORT, answered it, and waits T2; the server got the answer */
	assert_int_equal(W.cst.count[SG_SSTP_R_ABORT_RECEIVED], 1);
	assert_int_equal(sg_sstp_client_state(&W.c), SG_SSTP_ST_ABORT_TIMEOUT);
	assert_int_equal(sg_sstp_server_state(&W.s), SG_SSTP_ST_ABORT_TIMEOUT);
	sg_sstp_client_timer(&W.c, T0 + 4 * SEC, &W.ce.r);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_ABORT_DONE);

	/* other inner keys (relayed PPP) */
	world(SG_SSTP_HASH_SHA256, SG_SSTP_HASH_SHA256, cert_der, sizeof(cert_der));
	hlaks(srv, cli);
	cli[7] ^= 0x40;
	exchange_lcp_and_authenticate(srv, cli);
	assert_int_equal(W.sst.count[SG_SSTP_R_BINDING_MAC], 1);
	assert_int_equal(W.se.r.status, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED);
}

static void feed_client(const uint8_t *b, size_t len, sg_usec_t now)
{
	assert_int_equal(sg_sstp_client_rx(&W.c, b, len, now, &W.ce.r), (int) len);
}

static void client_naks_retries_and_bad_replies(void **state)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n";
	static const char nf[] = "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n";
	uint8_t nak[32], ack[48], nonce[32] = {1};
	int nlen;

	(void) state;
	memset(&W, 0, sizeof(W));
	sg_sstp_client_config_init(&W.ccfg, "h");
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), -EINVAL);
	assert_int_equal(sg_sstp_client_config_set_cert(&W.ccfg, cert_der, sizeof(cert_der)), 0);

	/* a 404 reply closes */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	assert_memory_equal(W.ce.r.tx, "SSTP_DUPLEX_POST ", 17);
	feed_client((const uint8_t *) nf, strlen(nf), T0);
	assert_int_equal(W.ce.r.http_status, 404);
	assert_true(W.ce.r.actions & SG_SSTP_ACT_CLOSE);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_HTTP_REPLY_REJECTED);

	/* no reply at all: closed at the HTTP timeout */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	sg_sstp_client_timer(&W.c, T0 + 60 * SEC, &W.ce.r);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_HTTP_TIMEOUT);

	/* NAKs: the request is resent up to 3 times, then the client aborts */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	feed_client((const uint8_t *) ok, strlen(ok), T0);
	assert_int_equal(W.ce.r.tx_len, SG_SSTP_CONNECT_REQUEST_LEN);
	assert_int_equal(sg_sstp_client_state(&W.c), SG_SSTP_ST_CONNECT_REQ_PENDING);
	assert_int_equal(sg_sstp_client_auth_done(&W.c, NULL, T0, &W.ce.r), -EINVAL);
	nlen = sg_sstp_encode_connect_nak(nak, sizeof(nak), 1, 4, NULL, 0);
	for (int i = 0; i < 3; i++) {
		feed_client(nak, (size_t) nlen, T0);
		assert_int_equal(W.ce.r.tx_len, SG_SSTP_CONNECT_REQUEST_LEN);
		assert_int_equal(W.ce.r.reason, SG_SSTP_R_NAK_RECEIVED);
	}
	feed_client(nak, (size_t) nlen, T0);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_NAK_LIMIT);
	assert_int_equal(W.ce.r.status, SG_SSTP_STATUS_RETRY_COUNT_EXCEEDED);
	assert_int_equal(sg_sstp_client_state(&W.c), SG_SSTP_ST_ABORT_PENDING);

	/* an ACK with no usable hash protocol */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	feed_client((const uint8_t *) ok, strlen(ok), T0);
	sg_sstp_encode_connect_ack(ack, sizeof(ack), 0x04, nonce);
	feed_client(ack, sizeof(ack), T0);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_BAD_ACK);
	assert_int_equal(W.ce.r.status, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED);

	/* no ACK in 60 s: negotiation timeout abort, then T1 */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	feed_client((const uint8_t *) ok, strlen(ok), T0);
	sg_sstp_client_timer(&W.c, T0 + 60 * SEC, &W.ce.r);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_NEGOTIATION_TIMEOUT);
	sg_sstp_client_timer(&W.c, T0 + 63 * SEC, &W.ce.r);
	assert_int_equal(W.ce.r.reason, SG_SSTP_R_ABORT_T1_EXPIRED);

	/* local abort, then the client's data tx is refused */
	assert_int_equal(sg_sstp_client_start(&W.c, &W.ccfg, &W.cst, T0, &W.ce.r), 0);
	feed_client((const uint8_t *) ok, strlen(ok), T0);
	sg_sstp_encode_connect_ack(ack, sizeof(ack), 0x02, nonce);
	feed_client(ack, sizeof(ack), T0);
	assert_true(W.ce.r.actions & SG_SSTP_ACT_PPP_START);
	sg_sstp_client_abort(&W.c, SG_SSTP_STATUS_NO_ERROR, T0, &W.ce.r);
	assert_int_equal(sg_sstp_client_state(&W.c), SG_SSTP_ST_ABORT_PENDING);
	uint8_t hdr[4];
	assert_int_equal(sg_sstp_client_ppp_tx(&W.c, ack, 8, hdr), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_handshake_sha256),
	    cmocka_unit_test(full_handshake_sha1_when_client_only_does_sha1),
	    cmocka_unit_test(zero_hlak_binding_verifies),
	    cmocka_unit_test(man_in_the_middle_is_aborted),
	    cmocka_unit_test(client_naks_retries_and_bad_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
