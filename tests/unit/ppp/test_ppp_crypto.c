/* SPDX-License-Identifier: BSD-3-Clause */
/* Known answers: RFC 2759 §9.2 (MS-CHAPv2), RFC 3079 §3.5 (MPPE), CHAP-MD5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "sg_ppp_crypto.h"

static void unhex(const char *h, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int v;
		while (*h == ' ')
			h++;
		assert_int_equal(sscanf(h, "%2x", &v), 1);
		out[i] = (uint8_t) v;
		h += 2;
	}
}

#define USER "User"
#define PASS "clientPass"

static uint8_t auth_chal[16], peer_chal[16], nt_resp[24], pw_hash[16], pw_hash_hash[16];

static int setup(void **state)
{
	(void) state;
	unhex("5B5D7C7D7B3F2F3E3C2C602132262628", auth_chal, 16);
	unhex("21402324255E262A28295F2B3A337C7E", peer_chal, 16);
	unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt_resp, 24);
	unhex("44EBBA8D5312B8D611474411F56989AE", pw_hash, 16);
	unhex("41C00C584BD2D91C4017A2A12FA59F3F", pw_hash_hash, 16);
	return sg_ppp_crypto_init() == 0 ? 0 : -1;
}

static void rfc2759_nt_password_hash(void **state)
{
	uint8_t h[16], hh[16];

	(void) state;
	assert_int_equal(sg_ppp_nt_password_hash(PASS, strlen(PASS), h), 0);
	assert_memory_equal(h, pw_hash, 16);
	assert_int_equal(sg_ppp_hash_nt_password_hash(h, hh), 0);
	assert_memory_equal(hh, pw_hash_hash, 16);
}

static void rfc2759_challenge_hash(void **state)
{
	uint8_t ch[8], want[8], ch2[8];

	(void) state;
	unhex("D02E4386BCE91226", want, 8);
	assert_int_equal(sg_ppp_mschap_challenge_hash(peer_chal, auth_chal, USER, 4, ch), 0);
	assert_memory_equal(ch, want, 8);
	/* A "DOMAIN\" prefix is not part of the hash (RFC 2759 §8.2). */
	assert_int_equal(sg_ppp_mschap_challenge_hash(peer_chal, auth_chal, "ACME\\User", 9, ch2),
			 0);
	assert_memory_equal(ch2, want, 8);
}

static void rfc2759_nt_response(void **state)
{
	uint8_t r[24];

	(void) state;
	assert_int_equal(sg_ppp_mschap_nt_response(auth_chal, peer_chal, USER, 4, pw_hash, r), 0);
	assert_memory_equal(r, nt_resp, 24);
}

static void rfc2759_authenticator_response(void **state)
{
	char s[SG_MSCHAP_AUTH_RESP_LEN + 1];

	(void) state;
	assert_int_equal(sg_ppp_mschap_authenticator_response(pw_hash, nt_resp, peer_chal,
							      auth_chal, USER, 4, s),
			 0);
	assert_string_equal(s, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

static void rfc3079_master_and_start_keys(void **state)
{
	uint8_t mk[16], want_mk[16], send[16], want_send[16], recv[16], csend[16], crecv[16];

	(void) state;
	unhex("FDECE3717A8C838CB388E527AE3CDD31", want_mk, 16);
	unhex("8B7CDC149B993A1BA118CB153F56DCCB", want_send, 16);
	assert_int_equal(sg_ppp_mppe_master_key(pw_hash_hash, nt_resp, mk), 0);
	assert_memory_equal(mk, want_mk, 16);
	/* RFC 3079 §3.5.3: the server's send start key (= the client's receive key). */
	assert_int_equal(sg_ppp_mppe_start_key(mk, 1, 1, send), 0);
	assert_memory_equal(send, want_send, 16);
	assert_int_equal(sg_ppp_mppe_start_key(mk, 0, 0, crecv), 0);
	assert_memory_equal(crecv, want_send, 16);
	/* The other direction: server receive = client send, and differs from send. */
	assert_int_equal(sg_ppp_mppe_start_key(mk, 0, 1, recv), 0);
	assert_int_equal(sg_ppp_mppe_start_key(mk, 1, 0, csend), 0);
	assert_memory_equal(recv, csend, 16);
	assert_memory_not_equal(recv, send, 16);
	/* sg_ppp_mppe_keys packages the same for each side. */
	assert_int_equal(sg_ppp_mppe_keys(pw_hash, nt_resp, 1, send, recv), 0);
	assert_memory_equal(send, want_send, 16);
	assert_memory_equal(recv, csend, 16);
	assert_int_equal(sg_ppp_mppe_keys(pw_hash, nt_resp, 0, csend, crecv), 0);
	assert_memory_equal(crecv, want_send, 16);
	assert_memory_equal(csend, recv, 16);
}

static void mschap_verify_accepts_and_rejects(void **state)
{
	uint8_t resp[SG_MSCHAP_RESPONSE_LEN];
	struct sg_ppp_mschap_verdict v;
	uint8_t want_send[16];

	(void) state;
	memset(resp, 0, sizeof(resp));
	memcpy(resp, peer_chal, 16);
	memcpy(resp + 24, nt_resp, 24);
	assert_int_equal(sg_ppp_mschap_verify(pw_hash, auth_chal, resp, USER, 4, &v), 0);
	assert_string_equal(v.auth_response, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
	unhex("8B7CDC149B993A1BA118CB153F56DCCB", want_send, 16);
	assert_memory_equal(v.send_key, want_send, 16);
	resp[30] ^= 1; /* one bit of the NT response */
	assert_int_equal(sg_ppp_mschap_verify(pw_hash, auth_chal, resp, USER, 4, &v), -EACCES);
}

static void chap_md5_known_answer(void **state)
{
	uint8_t chal[16], out[16], want[16];
	int i;

	(void) state;
	for (i = 0; i < 16; i++)
		chal[i] = (uint8_t) i;
	/* MD5(0x01 || "secret" || 00..0f), computed independently with Python hashlib. */
	unhex("740e86463bda3a4d7017d6e0fba0699d", want, 16);
	assert_int_equal(sg_ppp_chap_md5(1, (const uint8_t *) "secret", 6, chal, 16, out), 0);
	assert_memory_equal(out, want, 16);
}

static void password_utf8_to_utf16(void **state)
{
	uint8_t a[16], b[16];

	(void) state;
	/* Non-ASCII passwords hash differently from their bytes read as Latin-1 pairs. */
	assert_int_equal(sg_ppp_nt_password_hash("\xc3\xa9t\xc3\xa9", 6, a), 0);
	assert_int_equal(sg_ppp_nt_password_hash("\xc3\xa9t\xc3\xa9x", 7, b), 0);
	assert_memory_not_equal(a, b, 16);
	/* Broken UTF-8 is refused, not hashed. */
	assert_int_equal(sg_ppp_nt_password_hash("\xc3", 1, a), -EINVAL);
	assert_int_equal(sg_ppp_nt_password_hash("\xff", 1, a), -EINVAL);
	assert_int_equal(sg_ppp_nt_password_hash("\xed\xa0\x80", 3, a), -EINVAL); /* surrogate */
	assert_int_equal(sg_ppp_nt_password_hash("\xf0\x9f\x98\x80", 4, a), 0);	  /* U+1F600 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc2759_nt_password_hash),
	    cmocka_unit_test(rfc2759_challenge_hash),
	    cmocka_unit_test(rfc2759_nt_response),
	    cmocka_unit_test(rfc2759_authenticator_response),
	    cmocka_unit_test(rfc3079_master_and_start_keys),
	    cmocka_unit_test(mschap_verify_accepts_and_rejects),
	    cmocka_unit_test(chap_md5_known_answer),
	    cmocka_unit_test(password_utf8_to_utf16),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
