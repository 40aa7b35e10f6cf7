/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A server and a peer session wired back to back (include after cmocka.h):
 * globals srv/cli, setup/teardown, bring_up() and check_up() shared by the
 * session and FSM tests.
 */
#ifndef PPP_PAIR_H
#define PPP_PAIR_H

#include "ppp_harness.h"
#include "sg_ppp_hdlc.h"

#define T0 1000000ULL

static struct h_side *srv, *cli;

static SG_UNUSED int setup(void **state)
{
	(void) state;
	srv = calloc(1, sizeof(*srv));
	cli = calloc(1, sizeof(*cli));
	return srv != NULL && cli != NULL ? 0 : -1;
}

static SG_UNUSED int teardown(void **state)
{
	(void) state;
	if (srv->s != NULL)
		h_fini(srv);
	if (cli->s != NULL)
		h_fini(cli);
	free(srv);
	free(cli);
	return 0;
}

static SG_UNUSED void bring_up(uint8_t server_method, const uint8_t *peer_methods,
			       const char *password)
{
	h_server_cfg(srv, server_method);
	if (server_method == 0) /* default order */
		memset(srv->cfg.auth, 0, sizeof(srv->cfg.auth));
	h_peer_cfg(cli, password);
	if (peer_methods != NULL)
		memcpy(cli->cfg.auth, peer_methods, SG_PPP_AUTH_METHODS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	assert_int_equal(sg_ppp_session_start(srv->s, T0), 0);
	assert_int_equal(sg_ppp_session_start(cli->s, T0), 0);
	h_pump(srv, cli, T0, 100);
}

static SG_UNUSED void check_up(enum sg_ppp_auth_method m)
{
	const struct sg_ppp_info *si = sg_ppp_session_info(srv->s);
	const struct sg_ppp_info *ci = sg_ppp_session_info(cli->s);
	uint8_t frame[64], hdr[4];
	struct sg_ppp_packet pkt;
	int n;

	assert_int_equal(srv->auth_up, 1);
	assert_int_equal(cli->auth_up, 1);
	assert_int_equal(srv->ipcp_up, 1);
	assert_int_equal(cli->ipcp_up, 1);
	assert_int_equal(srv->ipv6cp_up, 1);
	assert_int_equal(cli->ipv6cp_up, 1);
	assert_int_equal(sg_ppp_session_phase(srv->s), SG_PPP_PHASE_NETWORK);
	assert_int_equal(sg_ppp_session_phase(cli->s), SG_PPP_PHASE_NETWORK);
	assert_int_equal(si->auth, m);
	assert_int_equal(ci->auth, m);
	assert_string_equal(si->user, H_USER);
	/* Addresses and DNS as the server assigned them. */
	assert_int_equal(ci->local_ipv4, 0xc000020a);
	assert_int_equal(ci->peer_ipv4, 0xc0000201);
	assert_int_equal(si->local_ipv4, 0xc0000201);
	assert_int_equal(si->peer_ipv4, 0xc000020a);
	assert_int_equal(ci->dns[0], 0xc6336435);
	assert_int_equal(ci->dns[1], 0xc6336436);
	/* Interface identifiers: each side's local is the other's peer, distinct, nonzero. */
	assert_true(si->local_ifid != 0 && ci->local_ifid != 0);
	assert_true(si->local_ifid != ci->local_ifid);
	assert_true(si->peer_ifid == ci->local_ifid);
	assert_true(ci->peer_ifid == si->local_ifid);
	assert_int_equal(si->mru, 1400);
	assert_int_equal(si->peer_mru, 1400);
	/* MPPE keys: MS-CHAPv2 only; server send == client receive and vice versa. */
	if (m == SG_PPP_AUTH_MSCHAPV2) {
		assert_true(si->has_keys && ci->has_keys);
		assert_memory_equal(si->send_key, ci->recv_key, 16);
		assert_memory_equal(si->recv_key, ci->send_key, 16);
		assert_memory_not_equal(si->send_key, si->recv_key, 16);
	} else {
		assert_false(si->has_keys);
		assert_false(ci->has_keys);
	}
	/* The SSTP crypto binding HLAK is the same 32 bytes on both ends. */
	{
		uint8_t hs[32], hc[32], zero[32] = {0};
		bool ks = sg_ppp_session_hlak(srv->s, hs), kc = sg_ppp_session_hlak(cli->s, hc);
		assert_memory_equal(hs, hc, 32);
		assert_int_equal(ks, m == SG_PPP_AUTH_MSCHAPV2);
		assert_int_equal(kc, m == SG_PPP_AUTH_MSCHAPV2);
		if (m == SG_PPP_AUTH_MSCHAPV2) {
			assert_memory_equal(hs, si->recv_key, 16);
			assert_memory_equal(hs + 16, si->send_key, 16);
		} else {
			assert_memory_equal(hs, zero, 32);
		}
	}
	/* An IPv4 packet from the client reaches the server without a copy. */
	n = sg_ppp_session_data_header(cli->s, SG_PPP_PROTO_IPV4, hdr);
	memcpy(frame, hdr, (size_t) n);
	memset(frame + n, 0x45, 20);
	assert_int_equal(sg_ppp_session_input(srv->s, frame, (size_t) n + 20, T0, &pkt),
			 SG_PPP_INPUT_IPV4);
	assert_int_equal(pkt.offset, n);
	assert_int_equal(pkt.len, 20);
	n = sg_ppp_session_data_header(srv->s, SG_PPP_PROTO_IPV6, hdr);
	memcpy(frame, hdr, (size_t) n);
	memset(frame + n, 0x60, 40);
	assert_int_equal(sg_ppp_session_input(cli->s, frame, (size_t) n + 40, T0, &pkt),
			 SG_PPP_INPUT_IPV6);
	assert_int_equal(pkt.len, 40);
	assert_int_equal(srv->finished + cli->finished + srv->link_down + cli->link_down, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif /* PPP_PAIR_H */
