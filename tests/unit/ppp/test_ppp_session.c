/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sessions end to end: an authenticator and a peer built from this library
 * negotiate LCP, authentication, IPCP and IPv6CP in memory (also over an
 * async HDLC stream); option handling of a Windows-like LCP request, IPCP and
 * IPv6CP; wrong passwords and forged authenticator responses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ppp_pair.h"

static void mschapv2_full_negotiation(void **state)
{
	(void) state;
	bring_up(SG_PPP_AUTH_MSCHAPV2, NULL, H_PASS);
	check_up(SG_PPP_AUTH_MSCHAPV2);
	assert_int_equal(srv->auth_requests, 1);
}

static void chap_md5_full_negotiation(void **state)
{
	(void) state;
	bring_up(SG_PPP_AUTH_CHAP_MD5, NULL, H_PASS);
	check_up(SG_PPP_AUTH_CHAP_MD5);
}

static void pap_full_negotiation(void **state)
{
	(void) state;
	bring_up(SG_PPP_AUTH_PAP, NULL, H_PASS);
	check_up(SG_PPP_AUTH_PAP);
}

static void server_falls_back_to_what_the_peer_accepts(void **state)
{
	const uint8_t only_pap[SG_PPP_AUTH_METHODS] = {SG_PPP_AUTH_PAP};

	(void) state;
	bring_up(0, only_pap, H_PASS); /* server offers MS-CHAPv2, CHAP-MD5, PAP */
	check_up(SG_PPP_AUTH_PAP);
}

static void wrong_password_is_rejected(uint8_t method)
{
	bring_up(method, NULL, "wrong");
	assert_int_equal(srv->auth_requests, 1);
	assert_int_equal(srv->auth_up, 0);
	assert_int_equal(cli->auth_up, 0);
	assert_int_equal(srv->ipcp_up + cli->ipcp_up, 0);
	assert_int_equal(srv->counters.c[SG_PPP_CNT_auth_fail], 1);
	assert_int_equal(cli->counters.c[SG_PPP_CNT_auth_fail], 1);
	assert_int_equal(srv->link_down, 1);
	assert_int_equal(srv->last_reason, SG_PPP_REASON_AUTH_FAILED);
	/* The server terminated; the peer acked and both finish after the timers. */
	sg_ppp_session_timer(srv->s, T0 + 4 * SG_USEC_PER_SEC);
	sg_ppp_session_timer(cli->s, T0 + 4 * SG_USEC_PER_SEC);
	h_pump(srv, cli, T0 + 4 * SG_USEC_PER_SEC, 100);
	assert_int_equal(srv->finished, 1);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_DEAD);
}

static void wrong_password_mschapv2(void **state)
{
	(void) state;
	wrong_password_is_rejected(SG_PPP_AUTH_MSCHAPV2);
}

static void wrong_password_pap(void **state)
{
	(void) state;
	wrong_password_is_rejected(SG_PPP_AUTH_PAP);
}

static void wrong_password_chap_md5(void **state)
{
	(void) state;
	wrong_password_is_rejected(SG_PPP_AUTH_CHAP_MD5);
}

static void mschapv2_failure_message_format(void **state)
{
	struct sg_ppp_auth_result r;
	int i;
	const uint8_t *b;
	char msg[128];

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_true(srv->pending);
	assert_int_equal(srv->rq.method, SG_PPP_AUTH_MSCHAPV2);
	assert_int_equal(srv->rq.response_len, 49);
	assert_int_equal(srv->rq.challenge_len, 16);
	/* A stale sequence number is ignored. */
	memset(&r, 0, sizeof(r));
	r.seq = srv->rq.seq + 7;
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), -ESTALE);
	/* Accept without S= is refused: never send a Success the peer cannot verify. */
	r.seq = srv->rq.seq;
	r.accept = false;
	srv->nq = 0;
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), 0);
	i = h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_FAILURE);
	assert_true(i >= 0);
	b = srv->q[i].b + 8;
	memset(msg, 0, sizeof(msg));
	memcpy(msg, b,
	       (size_t) (srv->q[i].len - 8) < sizeof(msg) - 1 ? (size_t) (srv->q[i].len - 8)
							      : sizeof(msg) - 1);
	assert_memory_equal(msg, "E=691 R=0 C=", 12);
	assert_non_null(strstr(msg, " V=3"));
	assert_int_equal(strlen(msg),
			 strlen("E=691 R=0 C=") + 32 + strlen(" V=3 M=Authentication failed"));
}

static void accept_without_s_response_refuses(void **state)
{
	struct sg_ppp_auth_result r;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	memset(&r, 0, sizeof(r));
	r.seq = srv->rq.seq;
	r.accept = true;
	r.mschap2_success = "S=XYZ";
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), -EINVAL);
	assert_int_equal(srv->auth_up, 0);
	assert_true(h_find(srv, SG_PPP_PROTO_CHAP, SG_CHAP_FAILURE) >= 0);
}

static void peer_rejects_forged_authenticator_response(void **state)
{
	struct sg_ppp_auth_result r;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	memset(&r, 0, sizeof(r));
	r.seq = srv->rq.seq;
	r.accept = true; /* an authenticator that does not know the password */
	r.mschap2_success = "S=0000000000000000000000000000000000000000";
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), 0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(cli->auth_up, 0);
	assert_int_equal(cli->ipcp_up, 0);
	assert_int_equal(cli->counters.c[SG_PPP_CNT_auth_fail], 1);
}

/* Max-Configure: unanswered Configure-Requests, then the link finishes. */
static void windows_lcp_request_gets_the_right_reject(void **state)
{
	const uint8_t cb[] = {13, 3, 6};
	const uint8_t mrru[] = {17, 4, 0x06, 0x4e};
	const uint8_t ed[] = {19,   23,	  1,	0x8d, 0x1f, 0x2e, 0x3a, 0x4b,
			      0x5c, 0x6d, 0x7e, 0x8f, 0x90, 0xa1, 0xb2, 0xc3,
			      0xd4, 0xe5, 0xf6, 0x07, 0x18, 0x29, 0x3a};
	const uint8_t mru[] = {1, 4, 0x0f, 0xfb}, pfc[] = {7, 2}, acfc[] = {8, 2};
	const uint8_t magic[] = {5, 6, 0x5a, 0x3b, 0x1c, 0x0d};
	uint8_t opts[128], f[160], want_rej[64], hdr[4];
	size_t n = 0, r = 0, len;
	int i;
	const struct sg_ppp_info *si;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
#define ADD(o) (memcpy(opts + n, o, sizeof(o)), n += sizeof(o))
#define REJ(o) (memcpy(want_rej + r, o, sizeof(o)), r += sizeof(o))
	ADD(mru);
	ADD(magic);
	ADD(pfc);
	ADD(acfc);
	ADD(cb);
	ADD(mrru);
	ADD(ed);
	REJ(cb);
	REJ(mrru);
	REJ(ed);
	srv->nq = 0;
	len = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, opts, n);
	assert_int_equal(sg_ppp_session_input(srv->s, f, len, T0, NULL), 0);
	assert_int_equal(srv->nq, 1);
	assert_int_equal(srv->q[0].b[4], SG_PPP_CONF_REJ);
	assert_int_equal(srv->q[0].b[5], 1);
	assert_int_equal(srv->q[0].len, 8 + r);
	assert_memory_equal(srv->q[0].b + 8, want_rej, r);
	/* Windows drops those and asks again: acknowledged as sent. */
	n = 0;
	ADD(mru);
	ADD(magic);
	ADD(pfc);
	ADD(acfc);
	srv->nq = 0;
	len = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 2, opts, n);
	assert_int_equal(sg_ppp_session_input(srv->s, f, len, T0, NULL), 0);
	assert_int_equal(srv->nq, 1);
	assert_int_equal(srv->q[0].b[4], SG_PPP_CONF_ACK);
	assert_memory_equal(srv->q[0].b + 8, opts, n);
	si = sg_ppp_session_info(srv->s);
	assert_int_equal(si->peer_mru, 4091);
	assert_true(si->tx_pfc && si->tx_acfc);
	assert_int_equal(si->peer_magic, 0x5a3b1c0d);
	/* The frame codec honours it: IPv4 data goes out as a bare 0x21. */
	assert_int_equal(sg_ppp_session_data_header(srv->s, SG_PPP_PROTO_IPV4, hdr), 1);
	assert_int_equal(hdr[0], 0x21);
	/* Our own request carried MRU 1400, MS-CHAPv2 and a magic number. */
	(void) i;
#undef ADD
#undef REJ
}

static void pfc_acfc_rejected_when_configured(void **state)
{
	const uint8_t opts[] = {7, 2, 8, 2, 5, 6, 1, 2, 3, 4};
	uint8_t f[64], hdr[4];
	size_t len;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	srv->cfg.reject_pfc_acfc = true;
	assert_int_equal(h_init(srv), 0);
	sg_ppp_session_start(srv->s, T0);
	srv->nq = 0;
	len = h_cp(f, SG_PPP_PROTO_LCP, SG_PPP_CONF_REQ, 1, opts, sizeof(opts));
	sg_ppp_session_input(srv->s, f, len, T0, NULL);
	assert_int_equal(srv->q[0].b[4], SG_PPP_CONF_REJ);
	assert_int_equal(srv->q[0].len, 8 + 4);
	assert_int_equal(sg_ppp_session_data_header(srv->s, SG_PPP_PROTO_IPV4, hdr), 4);
}

static void ipcp_dns_rejected_when_not_configured(void **state)
{
	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	srv->cfg.dns[0] = srv->cfg.dns[1] = 0;
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(cli->ipcp_up, 1);
	assert_int_equal(sg_ppp_session_info(cli->s)->local_ipv4, 0xc000020a);
	assert_int_equal(sg_ppp_session_info(cli->s)->dns[0], 0);
	assert_int_equal(sg_ppp_session_info(cli->s)->dns[1], 0);
}

static void radius_address_in_auth_result(void **state)
{
	struct sg_ppp_auth_result r;
	struct sg_ppp_mschap_verdict v;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	srv->cfg.peer_ipv4 = 0;
	h_peer_cfg(cli, H_PASS);
	srv->aaa_manual = true;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_true(srv->pending);
	h_aaa_decide(&srv->rq, H_PASS, &r, &v);
	r.peer_ipv4 = 0xcb00710c; /* 203.0.113.12 from Framed-IP-Address */
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), 0);
	/* A second answer for the same request is stale. */
	assert_int_equal(sg_ppp_session_auth_result(srv->s, &r, T0), -ESTALE);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(cli->ipcp_up, 1);
	assert_int_equal(sg_ppp_session_info(cli->s)->local_ipv4, 0xcb00710c);
	assert_int_equal(sg_ppp_session_info(srv->s)->peer_ipv4, 0xcb00710c);
}

static void ipv6_only_peer_config(void **state)
{
	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	h_peer_cfg(cli, H_PASS);
	cli->cfg.disable_ipv4 = true;
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	/* The client Protocol-Rejects IPCP; the server's IPCP stops, IPv6CP is up. */
	assert_int_equal(cli->ipv6cp_up, 1);
	assert_int_equal(srv->ipv6cp_up, 1);
	assert_int_equal(srv->ipcp_up, 0);
	assert_int_equal(srv->link_down, 0);
	assert_true(cli->counters.c[SG_PPP_CNT_proto_reject_sent] >= 1);
}

static void bad_configs_refused(void **state)
{
	struct sg_ppp_config c;
	struct sg_ppp_session *s;

	(void) state;
	memset(&c, 0, sizeof(c));
	c.role = SG_PPP_ROLE_PEER; /* no credentials */
	s = sg_ppp_session_new(&c, h_action, cli);
	assert_null(s);
	assert_int_equal(errno, EINVAL);
	memset(&c, 0, sizeof(c));
	c.mru = 5000;
	assert_null(sg_ppp_session_new(&c, h_action, cli));
	memset(&c, 0, sizeof(c));
	c.auth[0] = 9;
	assert_null(sg_ppp_session_new(&c, h_action, cli));
	assert_string_equal(sg_ppp_counter_name(SG_PPP_CNT_drop_short), "drop_short");
	assert_null(sg_ppp_counter_name(SG_PPP_CNT_MAX));
}

/* Send one NCP Configure-Request to an opened server; return the answer's code. */
static int ncp_answer(uint16_t proto, const uint8_t *opts, size_t n, uint8_t *ans, size_t *alen)
{
	uint8_t f[64];
	size_t len = h_cp(f, proto, SG_PPP_CONF_REQ, 0x77, opts, n);
	int i;

	srv->nq = 0;
	sg_ppp_session_input(srv->s, f, len, T0 + 1, NULL);
	for (i = 0; i < srv->nq; i++) {
		const uint8_t *b = srv->q[i].b;
		int off = b[0] == 0xff ? 2 : 0;
		if (((b[off] << 8) | b[off + 1]) == proto && b[off + 2] != SG_PPP_CONF_REQ &&
		    b[off + 3] == 0x77) {
			*alen = srv->q[i].len - (size_t) off - 6;
			memcpy(ans, b + off + 6, *alen);
			return b[off + 2];
		}
	}
	return -1;
}

static void ipcp_server_option_handling(void **state)
{
	const uint8_t vj_and_zero[] = {2, 6, 0, 0x2d, 0x0f, 1, 3, 6, 0, 0, 0, 0};
	const uint8_t zero[] = {3, 6, 0, 0, 0, 0};
	const uint8_t dns[] = {3, 6, 192, 0, 2, 10, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0};
	const uint8_t nbns[] = {3, 6, 192, 0, 2, 10, 130, 6, 0, 0, 0, 0};
	const uint8_t good[] = {3, 6, 192, 0, 2, 10, 129, 6, 198, 51, 100, 53};
	const uint8_t nak_addr[] = {3, 6, 192, 0, 2, 10};
	const uint8_t nak_dns[] = {129, 6, 198, 51, 100, 53, 131, 6, 198, 51, 100, 54};
	uint8_t ans[64];
	size_t alen;

	(void) state;
	bring_up(SG_PPP_AUTH_PAP, NULL, H_PASS);
	assert_int_equal(
	    ncp_answer(SG_PPP_PROTO_IPCP, vj_and_zero, sizeof(vj_and_zero), ans, &alen),
	    SG_PPP_CONF_REJ);
	assert_int_equal(alen, 6);
	assert_memory_equal(ans, vj_and_zero, 6); /* only VJ compression */
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPCP, zero, sizeof(zero), ans, &alen),
			 SG_PPP_CONF_NAK);
	assert_int_equal(alen, 6);
	assert_memory_equal(ans, nak_addr, 6);
	/* No address at all: the server suggests one anyway. */
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPCP, NULL, 0, ans, &alen), SG_PPP_CONF_NAK);
	assert_memory_equal(ans, nak_addr, 6);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPCP, dns, sizeof(dns), ans, &alen),
			 SG_PPP_CONF_NAK);
	assert_int_equal(alen, 12);
	assert_memory_equal(ans, nak_dns, 12);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPCP, nbns, sizeof(nbns), ans, &alen),
			 SG_PPP_CONF_REJ);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPCP, good, sizeof(good), ans, &alen),
			 SG_PPP_CONF_ACK);
	assert_memory_equal(ans, good, sizeof(good));
}

static void ipv6cp_zero_or_colliding_ifid_is_naked(void **state)
{
	uint8_t zero[10] = {1, 10}, same[10] = {1, 10}, ok[10] = {1, 10, 2, 0, 0, 0, 0, 0, 0, 9};
	const uint8_t comp[] = {2, 4, 0, 0x4f};
	uint8_t ans[64];
	size_t alen;
	uint64_t local, got;
	int i;

	(void) state;
	bring_up(SG_PPP_AUTH_PAP, NULL, H_PASS);
	local = sg_ppp_session_info(srv->s)->local_ifid;
	for (i = 0; i < 8; i++)
		same[2 + i] = (uint8_t) (local >> (56 - 8 * i));
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, zero, sizeof(zero), ans, &alen),
			 SG_PPP_CONF_NAK);
	assert_int_equal(alen, 10);
	got = 0;
	for (i = 0; i < 8; i++)
		got = (got << 8) | ans[2 + i];
	assert_true(got != 0 && got != local);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, same, sizeof(same), ans, &alen),
			 SG_PPP_CONF_NAK);
	got = 0;
	for (i = 0; i < 8; i++)
		got = (got << 8) | ans[2 + i];
	assert_true(got != 0 && got != local);
	/* the server's choice for this session, when it gave one */
	sg_ppp_session_set_peer_ifid(srv->s, 0x0200000000170042ULL);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, zero, sizeof(zero), ans, &alen),
			 SG_PPP_CONF_NAK);
	assert_memory_equal(ans + 2, "\x02\x00\x00\x00\x00\x17\x00\x42", 8);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, same, sizeof(same), ans, &alen),
			 SG_PPP_CONF_NAK);
	assert_memory_equal(ans + 2, "\x02\x00\x00\x00\x00\x17\x00\x42", 8);
	sg_ppp_session_set_peer_ifid(srv->s, local); /* never ours */
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, zero, sizeof(zero), ans, &alen),
			 SG_PPP_CONF_NAK);
	got = 0;
	for (i = 0; i < 8; i++)
		got = (got << 8) | ans[2 + i];
	assert_true(got != 0 && got != local);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, comp, sizeof(comp), ans, &alen),
			 SG_PPP_CONF_REJ);
	assert_int_equal(ncp_answer(SG_PPP_PROTO_IPV6CP, ok, sizeof(ok), ans, &alen),
			 SG_PPP_CONF_ACK);
}

static void hdlc_stream_pass(struct h_side *from, struct h_side *to, uint32_t *seed,
			     struct sg_ppp_hdlc_decoder *d)
{
	static uint8_t stream[H_QMAX * (2 * (SG_PPP_FRAME_MAX + 2) + 2)];
	size_t n = 0, off = 0, used;
	int i, r;

	for (i = 0; i < from->nq; i++) {
		r = sg_ppp_hdlc_encode(from->q[i].b, from->q[i].len, SG_HDLC_ACCM_ALL, stream + n,
				       sizeof(stream) - n);
		assert_true(r > 0);
		n += (size_t) r;
	}
	from->nq = 0;
	while (off < n) {
		size_t chunk;
		*seed = *seed * 1103515245u + 12345u;
		chunk = 1 + (*seed >> 16) % 37;
		chunk = chunk > n - off ? n - off : chunk;
		while (chunk > 0) {
			r = sg_ppp_hdlc_decode(d, stream + off, chunk, &used);
			assert_true(r >= 0); /* no FCS error on a clean stream */
			off += used;
			chunk -= used;
			if (r > 0)
				sg_ppp_session_input(to->s, d->buf, (size_t) r, T0, NULL);
		}
	}
}

static void negotiation_over_async_hdlc_stream(void **state)
{
	static struct sg_ppp_hdlc_decoder dsrv, dcli;
	uint32_t seed = 7;
	int round;

	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_hdlc_decoder_init(&dsrv, SG_PPP_MRU_MAX);
	sg_ppp_hdlc_decoder_init(&dcli, SG_PPP_MRU_MAX);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	for (round = 0; round < 50 && (srv->nq > 0 || cli->nq > 0 || srv->pending); round++) {
		hdlc_stream_pass(cli, srv, &seed, &dsrv);
		if (srv->pending) {
			struct sg_ppp_auth_result r;
			struct sg_ppp_mschap_verdict v;
			srv->pending = false;
			h_aaa_decide(&srv->rq, H_PASS, &r, &v);
			sg_ppp_session_auth_result(srv->s, &r, T0);
		}
		hdlc_stream_pass(srv, cli, &seed, &dcli);
	}
	check_up(SG_PPP_AUTH_MSCHAPV2);
}

/* Max-Failure: a peer that keeps asking for an unacceptable MRU gets Naks, then a Reject. */
static void no_auth_server_goes_straight_to_network(void **state)
{
	(void) state;
	h_server_cfg(srv, SG_PPP_AUTH_PAP);
	srv->cfg.no_auth = true;
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(srv->auth_requests, 0);
	assert_int_equal(srv->ipcp_up, 1);
	assert_int_equal(cli->ipcp_up, 1);
	assert_int_equal(sg_ppp_session_info(srv->s)->auth, SG_PPP_AUTH_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(mschapv2_full_negotiation),
	    T(chap_md5_full_negotiation),
	    T(pap_full_negotiation),
	    T(server_falls_back_to_what_the_peer_accepts),
	    T(wrong_password_mschapv2),
	    T(wrong_password_pap),
	    T(wrong_password_chap_md5),
	    T(mschapv2_failure_message_format),
	    T(accept_without_s_response_refuses),
	    T(peer_rejects_forged_authenticator_response),
	    T(windows_lcp_request_gets_the_right_reject),
	    T(pfc_acfc_rejected_when_configured),
	    T(ipcp_dns_rejected_when_not_configured),
	    T(radius_address_in_auth_result),
	    T(ipv6_only_peer_config),
	    T(bad_configs_refused),
	    T(ipcp_server_option_handling),
	    T(ipv6cp_zero_or_colliding_ifid_is_naked),
	    T(negotiation_over_async_hdlc_stream),
	    T(no_auth_server_goes_straight_to_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
