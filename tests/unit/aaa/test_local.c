/* SPDX-License-Identifier: BSD-3-Clause */
/* Local users file: both formats, errors that name the entry, PAP/CHAP(/MS-CHAPv2) checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_aaa_codec.h"
#ifdef SG_AAA_HAVE_PPP
#include "sg_ppp_crypto.h"
#endif

static const char users_json[] =
    "[{\"name\": \"alice\", \"password\": \"wonderland\", \"ipv4\": \"192.0.2.10\",\n"
    "  \"ipv6_prefix\": \"2001:db8:1::/64\"},\n"
    " {\"name\": \"bob\", \"password\": \"builder\"}]";

static struct sg_aaa_local *parse(const char *name, const char *text, char *err)
{
	return sg_aaa_local_parse(name, text, strlen(text), err, 200);
}

static void req_pap(struct sg_aaa_auth_req *rq, const char *u, const char *p)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = SG_AAA_PAP;
	snprintf(rq->user, sizeof(rq->user), "%s", u);
	snprintf(rq->password, sizeof(rq->password), "%s", p);
}

static void json_users_verify_pap_and_carry_addresses(void **state)
{
	char err[200] = "";
	struct sg_aaa_local *l = parse("/etc/sstpgw/users.json", users_json, err);
	struct sg_aaa_auth_req rq;
	struct sg_aaa_result res;
	uint32_t ip;

	(void) state;
	assert_non_null(l);
	assert_int_equal(sg_aaa_local_count(l), 2);
	req_pap(&rq, "alice", "wonderland");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	inet_pton(AF_INET, "192.0.2.10", &ip);
	assert_true(res.has & SG_AAA_HAS_FRAMED_IP);
	assert_int_equal(res.framed_ip, ip);
	assert_int_equal(res.framed_ipv6_prefix_len, 64);
	assert_false(res.has & SG_AAA_HAS_KEYS); /* PAP: zero HLAK */
	req_pap(&rq, "alice", "wonderlan");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	req_pap(&rq, "alice", "wonderland!");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	req_pap(&rq, "mallory", "wonderland");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	req_pap(&rq, "bob", "builder");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	assert_false(res.has & SG_AAA_HAS_FRAMED_IP);
	rq.method = SG_AAA_EAP; /* EAP without a packet */
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), -EINVAL);
	sg_aaa_local_free(l);
}

/* One EAP-MD5 conversation: identity -> challenge + State; the response with that State. */
static int eap_md5_round(const struct sg_aaa_local *l, const char *user, const char *pw,
			 struct sg_aaa_result *res, uint8_t patch)
{
	struct sg_aaa_auth_req rq;
	uint8_t ident[16] = {2, 7, 0, 0, 1}, md5r[4 + 2 + 16], chal[16];
	size_t ul = strlen(user);

	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_EAP;
	snprintf(rq.user, sizeof(rq.user), "%s", user);
	memcpy(ident + 5, user, ul);
	ident[3] = (uint8_t) (5 + ul);
	rq.eap = ident;
	rq.eap_len = 5 + ul;
	assert_int_equal(sg_aaa_local_auth(l, &rq, res), 0);
	assert_int_equal(res->status, SG_AAA_CHALLENGE);
	assert_int_equal(res->eap_len, 22);
	assert_int_equal(res->eap[0], 1); /* Request */
	assert_int_equal(res->eap[1], 8); /* next identifier */
	assert_int_equal(res->eap[4], 4); /* MD5-Challenge */
	assert_int_equal(res->eap[5], 16);
	memcpy(chal, res->eap + 6, 16);
	memcpy(rq.state, res->state, res->state_len);
	rq.state_len = res->state_len;
	md5r[0] = 2;
	md5r[1] = 8;
	md5r[2] = 0;
	md5r[3] = sizeof(md5r);
	md5r[4] = 4;
	md5r[5] = 16;
	assert_int_equal(sg_aaa_chap_md5(md5r + 6, 8, pw, strlen(pw), chal, 16), 0);
	if (patch == 1)
		rq.state[10] ^= 1; /* a State we did not issue */
	if (patch == 2)
		rq.state_len = 0; /* no State */
	if (patch == 3)
		md5r[4] = 3; /* a Nak */
	if (patch == 4)
		snprintf(rq.user, sizeof(rq.user), "bob"); /* State issued to another user */
	rq.eap = md5r;
	rq.eap_len = sizeof(md5r);
	return sg_aaa_local_auth(l, &rq, res);
}

/* EAP-MD5 in the local backend: the State carries the challenge, authenticated. */
static void eap_md5_local_rounds(void **state)
{
	char err[200];
	struct sg_aaa_local *l = parse("users.json", users_json, err);
	struct sg_aaa_result res;

	(void) state;
	assert_int_equal(eap_md5_round(l, "alice", "wonderland", &res, 0), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	assert_int_equal(res.eap[0], 3); /* Success */
	assert_int_equal(res.eap[1], 8);
	assert_true(res.has & SG_AAA_HAS_FRAMED_IP);
	assert_false(res.has & SG_AAA_HAS_KEYS); /* EAP-MD5: zero HLAK */
	assert_int_equal(eap_md5_round(l, "alice", "wonderlan", &res, 0), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	assert_int_equal(res.eap[0], 4);				/* Failure */
	assert_int_equal(eap_md5_round(l, "mallory", "x", &res, 0), 0); /* unknown: challenged */
	assert_int_equal(res.status, SG_AAA_REJECT);
	for (uint8_t patch = 1; patch <= 4; patch++) {
		assert_int_equal(eap_md5_round(l, "alice", "wonderland", &res, patch), 0);
		assert_int_equal(res.status, SG_AAA_REJECT);
		assert_int_equal(res.eap[0], 4);
	}
	sg_aaa_local_free(l);
}

static void chap_md5_verifies_against_rfc1994_computation(void **state)
{
	char err[200];
	struct sg_aaa_local *l = parse("users.json", users_json, err);
	struct sg_aaa_auth_req rq;
	struct sg_aaa_result res;

	(void) state;
	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_CHAP_MD5;
	snprintf(rq.user, sizeof(rq.user), "bob");
	rq.chap_id = 7;
	for (int i = 0; i < 16; i++)
		rq.challenge[i] = (uint8_t) (i * 13);
	sg_aaa_chap_md5(rq.chap_response, 7, "builder", 7, rq.challenge, 16);
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	rq.chap_id = 8; /* the id is part of the hash */
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	sg_aaa_local_free(l);
}

static void chap_secrets_format_is_accepted(void **state)
{
	char err[200] = "";
	const char *txt = "# comment\n"
			  "alice  *  wonderland  192.0.2.10\n"
			  "\"bob smith\" * \"two words\" *\n"
			  "\n   carol\tpptpd\tpw  # trailing comment\n";
	struct sg_aaa_local *l = parse("chap-secrets", txt, err);
	struct sg_aaa_auth_req rq;
	struct sg_aaa_result res;

	(void) state;
	assert_non_null(l);
	assert_int_equal(sg_aaa_local_count(l), 3);
	req_pap(&rq, "bob smith", "two words");
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	req_pap(&rq, "alice", "wonderland");
	sg_aaa_local_auth(l, &rq, &res);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	assert_true(res.has & SG_AAA_HAS_FRAMED_IP);
	req_pap(&rq, "carol", "pw");
	sg_aaa_local_auth(l, &rq, &res);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	sg_aaa_local_free(l);
}

static const struct {
	const char *text;
	const char *want;
} bad_files[] = {
    {"[{\"name\":\"a\",\"password\":\"x\"},{\"name\":\"b\"},{\"name\":\"c\",\"password\":\"y\"},"
     "{\"name\":\"d\"}]",
     "users.json: $[1].password: missing"},
    {"[{\"name\":\"a\",\"password\":\"x\"},{\"name\":\"b\",\"password\":\"y\"},"
     "{\"name\":\"c\",\"password\":\"z\"},{\"name\":\"d\"}]",
     "users.json: $[3].password: missing"},
    {"[{\"password\":\"x\"}]", "users.json: $[0].name: missing"},
    {"[{\"name\":\"\",\"password\":\"x\"}]", "users.json: $[0].name: must be 1..253 bytes"},
    {"[{\"name\":\"a\",\"password\":7}]", "users.json: $[0].password: must be a string"},
    {"[{\"name\":\"a\",\"password\":\"x\",\"pasword\":\"y\"}]",
     "users.json: $[0].pasword: unknown key"},
    {"[{\"name\":\"a\",\"password\":\"x\",\"ipv4\":\"300.1.1.1\"}]",
     "users.json: $[0].ipv4: not an IPv4 address"},
    {"[{\"name\":\"a\",\"password\":\"x\",\"ipv6_prefix\":\"2001:db8::\"}]",
     "users.json: $[0].ipv6_prefix: not an IPv6 prefix (2001:db8::/64)"},
    {"[{\"name\":\"a\",\"password\":\"x\"},{\"name\":\"a\",\"password\":\"y\"}]",
     "users.json: user 'a' appears twice"},
    {"[\"alice\"]", "users.json: $[0]: must be an object"},
    {"[{\"name\":\"a\",", "users.json:1:"},
    {"[{\"name\":\"a\",\"password\":\"x\",\"password\":\"y\"}]", "users.json:1:"},
};

static void bad_files_name_the_entry(void **state)
{
	char err[200];

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(bad_files); i++) {
		err[0] = '\0';
		errno = 0;
		assert_null(parse("/etc/sstpgw/users.json", bad_files[i].text, err));
		assert_int_equal(errno, EINVAL);
		if (strncmp(err, bad_files[i].want, strlen(bad_files[i].want)) != 0)
			fail_msg("case %zu: got '%s' want '%s'", i, err, bad_files[i].want);
	}
	err[0] = '\0';
	assert_null(parse("chap-secrets", "alice *\n", err));
	assert_string_equal(err, "chap-secrets:1: want 'name server password [ip]', got 2 fields");
	assert_null(parse("chap-secrets", "ok * pw\nalice * \"pw\n", err));
	assert_string_equal(err, "chap-secrets:2: unterminated quote");
	assert_null(parse("chap-secrets", "alice * pw 10.0.0.300\n", err));
	assert_string_equal(err, "chap-secrets:1: ipv4: not an IPv4 address");
	assert_null(sg_aaa_local_load("/nonexistent/users.json", err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(err, "users.json: No such file or directory");
}

#ifdef SG_AAA_HAVE_PPP
/* MS-CHAPv2 with the RFC 2759 §9.2 example: "User" / "clientPass". */
static void mschapv2_rfc2759_example_gives_authenticator_response_and_hlak(void **state)
{
	char err[200];
	struct sg_aaa_local *l =
	    parse("users.json", "[{\"name\":\"User\",\"password\":\"clientPass\"}]", err);
	struct sg_aaa_auth_req rq;
	struct sg_aaa_result res;
	static const uint8_t auth_chal[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					      0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
	static const uint8_t peer_chal[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					      0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};
	static const uint8_t nt[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
				       0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
				       0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
	uint8_t hash[16], send[16], recv[16];

	(void) state;
	assert_non_null(l);
	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_MSCHAPV2;
	snprintf(rq.user, sizeof(rq.user), "User");
	rq.chap_id = 1;
	memcpy(rq.challenge, auth_chal, 16);
	memcpy(rq.peer_challenge, peer_chal, 16);
	memcpy(rq.nt_response, nt, 24);
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_ACCEPT);
	assert_string_equal(res.mschap2_success, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
	assert_true(res.has & SG_AAA_HAS_KEYS);
	/* HLAK = server receive key || server send key, as lib/ppp derives them */
	sg_ppp_nt_password_hash("clientPass", 10, hash);
	sg_ppp_mppe_keys(hash, nt, 1, send, recv);
	assert_memory_equal(res.hlak, recv, 16);
	assert_memory_equal(res.hlak + 16, send, 16);
	rq.nt_response[0] ^= 1;
	assert_int_equal(sg_aaa_local_auth(l, &rq, &res), 0);
	assert_int_equal(res.status, SG_AAA_REJECT);
	assert_false(res.has & SG_AAA_HAS_KEYS);
	sg_aaa_local_free(l);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(json_users_verify_pap_and_carry_addresses),
	    cmocka_unit_test(chap_md5_verifies_against_rfc1994_computation),
	    cmocka_unit_test(chap_secrets_format_is_accepted),
	    cmocka_unit_test(bad_files_name_the_entry),
#ifdef SG_AAA_HAVE_PPP
	    cmocka_unit_test(mschapv2_rfc2759_example_gives_authenticator_response_and_hlak),
	    cmocka_unit_test(eap_md5_local_rounds),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
