/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL without its legacy provider (OPENSSL_MODULES pointed at an empty
 * place before the first crypto call): MS-CHAPv2 fails cleanly with -ENOTSUP
 * and a log line, CHAP-MD5 and PAP sessions still come up, nothing crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "ppp_harness.h"
#include "sg_log.h"

#define T0 1000000ULL

static char logged[512];

static void capture(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void) arg;
	if (lib == SG_LOG_LIB_PPP && level == SG_LOG_ERR && logged[0] == '\0')
		snprintf(logged, sizeof(logged), "%s", line);
}

static void mschapv2_helpers_report_enotsup(void **state)
{
	static const uint8_t ka[16] = {0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda, 0x3a, 0x4d,
				       0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d};
	uint8_t h[16], chal[8] = {0}, out[24], md5[16], c16[16];
	int i;

	(void) state;
	assert_int_equal(sg_ppp_crypto_init(), -ENOTSUP);
	assert_non_null(strstr(logged, "legacy provider unavailable"));
	assert_int_equal(sg_ppp_nt_password_hash("x", 1, h), -ENOTSUP);
	memset(h, 0, sizeof(h));
	assert_int_equal(sg_ppp_mschap_challenge_response(chal, h, out), -ENOTSUP);
	assert_int_equal(sg_ppp_hash_nt_password_hash(h, out), -ENOTSUP);
	/* MD5 lives in the default provider: CHAP-MD5 still gives the known answer. */
	for (i = 0; i < 16; i++)
		c16[i] = (uint8_t) i;
	assert_int_equal(sg_ppp_chap_md5(1, (const uint8_t *) "secret", 6, c16, 16, md5), 0);
	assert_memory_equal(md5, ka, 16);
}

static void sessions_without_legacy(void **state)
{
	struct h_side *srv = calloc(1, sizeof(*srv)), *cli = calloc(1, sizeof(*cli));

	(void) state;
	assert_non_null(srv);
	assert_non_null(cli);
	/* MS-CHAPv2: the peer cannot answer; it gives up cleanly, no Success anywhere. */
	h_server_cfg(srv, SG_PPP_AUTH_MSCHAPV2);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(cli->auth_up + srv->auth_up, 0);
	assert_true(cli->counters.c[SG_PPP_CNT_crypto_error] >= 1);
	assert_int_equal(cli->link_down, 1);
	h_fini(srv);
	h_fini(cli);
	/* CHAP-MD5 is unaffected. */
	memset(srv, 0, sizeof(*srv));
	memset(cli, 0, sizeof(*cli));
	h_server_cfg(srv, SG_PPP_AUTH_CHAP_MD5);
	h_peer_cfg(cli, H_PASS);
	assert_int_equal(h_init(srv), 0);
	assert_int_equal(h_init(cli), 0);
	sg_ppp_session_start(srv->s, T0);
	sg_ppp_session_start(cli->s, T0);
	h_pump(srv, cli, T0, 100);
	assert_int_equal(srv->ipcp_up, 1);
	assert_int_equal(cli->ipcp_up, 1);
	h_fini(srv);
	h_fini(cli);
	free(srv);
	free(cli);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mschapv2_helpers_report_enotsup),
	    cmocka_unit_test(sessions_without_legacy),
	};

	/* Before any OpenSSL call: no provider modules can be found. */
	setenv("OPENSSL_MODULES", "/nonexistent/sstpgw-test-no-modules", 1);
	sg_log_set_handler(capture, NULL);
	sg_log_set_level(SG_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
