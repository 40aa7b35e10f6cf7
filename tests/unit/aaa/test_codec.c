/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RADIUS codec against the RFCs' own examples, independent known answers (computed
 * with Python's hmac/hashlib, see the comments) and a table of hostile packets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sg_aaa_codec.h"

static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] != '\0') {
		if (hex[0] == ' ') {
			hex++;
			continue;
		}
		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t) v;
		hex += 2;
	}
	return n;
}

static const uint8_t rfc_secret[] = "xyzzy5461";
#define RFC_SLEN (sizeof(rfc_secret) - 1)

/* RFC 2865 §7.1: user "nemo", password "arctangent", secret "xyzzy5461". */
static const char rfc71_request[] = "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a"
				    "01 06 6e 65 6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f"
				    "78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03";
static const char rfc71_accept[] = "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2"
				   "06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03";

static void rfc2865_7_1_user_password_is_hidden_as_in_the_example(void **state)
{
	uint8_t req[100], hidden[16], plain[16];
	size_t n = unhex(req, rfc71_request), len;
	size_t vlen;
	const uint8_t *v;

	(void) state;
	assert_int_equal(sg_aaa_radius_check(req, n, &len), SG_AAA_DROP_NONE);
	assert_int_equal(len, 0x38);
	v = sg_aaa_attr_find(req, len, SG_RADIUS_USER_PASSWORD, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 16);
	assert_int_equal(sg_aaa_radius_hide_password(hidden, (const uint8_t *) "arctangent", 10,
						     rfc_secret, RFC_SLEN, req + 4),
			 16);
	assert_memory_equal(hidden, v, 16);
	assert_int_equal(sg_aaa_radius_unhide_password(plain, v, 16, rfc_secret, RFC_SLEN, req + 4),
			 0);
	assert_memory_equal(plain, "arctangent\0\0\0\0\0\0", 16);
}

static void rfc2865_7_1_response_authenticator_verifies(void **state)
{
	uint8_t req[100], acc[100];
	size_t len;
	size_t n = unhex(acc, rfc71_accept);

	(void) state;
	unhex(req, rfc71_request);
	assert_int_equal(sg_aaa_radius_check(acc, n, &len), SG_AAA_DROP_NONE);
	assert_int_equal(sg_aaa_radius_verify_reply(acc, len, req + 4, rfc_secret, RFC_SLEN, false),
			 SG_AAA_DROP_NONE);
	/* a different secret or request authenticator must not verify */
	assert_int_equal(
	    sg_aaa_radius_verify_reply(acc, len, req + 4, (const uint8_t *) "xyzzy546", 8, false),
	    SG_AAA_DROP_BAD_AUTHENTICATOR);
	req[4] ^= 1;
	assert_int_equal(sg_aaa_radius_verify_reply(acc, len, req + 4, rfc_secret, RFC_SLEN, false),
			 SG_AAA_DROP_BAD_AUTHENTICATOR);
	/* and a Message-Authenticator is demanded when asked to */
	req[4] ^= 1;
	assert_int_equal(sg_aaa_radius_verify_reply(acc, len, req + 4, rfc_secret, RFC_SLEN, true),
			 SG_AAA_DROP_NO_MSG_AUTH);
}

static void rfc2865_7_1_request_is_rebuilt_byte_for_byte(void **state)
{
	struct sg_aaa_pkt p;
	uint8_t req[100];
	size_t n = unhex(req, rfc71_request);
	uint8_t nas[4] = {192, 168, 1, 16};

	(void) state;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_REQUEST, 0, req + 4);
	assert_true(sg_aaa_pkt_add_str(&p, SG_RADIUS_USER_NAME, "nemo") > 0);
	assert_true(sg_aaa_pkt_add_password(&p, "arctangent", 10, rfc_secret, RFC_SLEN) > 0);
	assert_true(sg_aaa_pkt_add(&p, SG_RADIUS_NAS_IP_ADDRESS, nas, 4) > 0);
	assert_true(sg_aaa_pkt_add_u32(&p, SG_RADIUS_NAS_PORT, 3) > 0);
	assert_int_equal(sg_aaa_pkt_sign_request(&p, rfc_secret, RFC_SLEN), 0);
	assert_int_equal(p.len, n);
	assert_memory_equal(p.buf, req, n);
}

static void hmac_md5_matches_rfc2202_case_2(void **state)
{
	uint8_t mac[16], want[16];

	(void) state;
	unhex(want, "750c783e6ab0b503eaa86e310a5db738");
	assert_int_equal(sg_aaa_hmac_md5(mac, (const uint8_t *) "Jefe", 4,
					 (const uint8_t *) "what do ya want for nothing?", 28),
			 0);
	assert_memory_equal(mac, want, 16);
}

/*
 * Message-Authenticator known answer: Access-Request id 7, authenticator from RFC 2865
 * §7.1, User-Name "bob"; HMAC-MD5 computed with Python:
 * hmac.new(b"xyzzy5461", pkt_with_zero_ma, hashlib.md5).
 */
static void message_authenticator_matches_known_answer(void **state)
{
	struct sg_aaa_pkt p;
	uint8_t auth[16], want[16];
	size_t len;

	(void) state;
	unhex(auth, "0f403f9473978057bd83d5cb98f4227a");
	unhex(want, "21000911750ce12285e7cd288f096509");
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_REQUEST, 7, auth);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_USER_NAME, "bob");
	assert_int_equal(sg_aaa_pkt_add_msg_auth(&p), 27);
	assert_int_equal(sg_aaa_pkt_sign_request(&p, rfc_secret, RFC_SLEN), 0);
	assert_int_equal(p.len, 0x2b);
	assert_memory_equal(p.buf + p.ma_off, want, 16);
	assert_memory_equal(p.buf + 4, auth, 16); /* Access-Request keeps its random auth */
	assert_int_equal(sg_aaa_radius_check(p.buf, p.len, &len), SG_AAA_DROP_NONE);
}

/* RFC 2548 §2.4.3 vector computed independently with Python hashlib (salt 0x9234). */
static void mppe_key_decrypts_known_vector_and_round_trips(void **state)
{
	uint8_t auth[16], val[64], key[64], out[64], want[16];
	size_t vlen;
	int n;

	(void) state;
	unhex(auth, "0f403f9473978057bd83d5cb98f4227a");
	vlen = unhex(val, "92344c1ffdfd8a46a72b9e4d918dce8e645be3249202207a3b564e99afa929da9593");
	for (int i = 0; i < 16; i++)
		want[i] = (uint8_t) (i + 1);
	n = sg_aaa_radius_mppe_decrypt(key, sizeof(key), val, vlen, rfc_secret, RFC_SLEN, auth);
	assert_int_equal(n, 16);
	assert_memory_equal(key, want, 16);
	n = sg_aaa_radius_mppe_encrypt(out, sizeof(out), want, 16, 0x1234, rfc_secret, RFC_SLEN,
				       auth);
	assert_int_equal(n, (int) vlen);
	assert_memory_equal(out, val, vlen);
	/* 32-byte EAP MSK half round trips too */
	uint8_t msk[32];
	for (int i = 0; i < 32; i++)
		msk[i] = (uint8_t) (0xa0 + i);
	n = sg_aaa_radius_mppe_encrypt(out, sizeof(out), msk, 32, 0x0102, rfc_secret, RFC_SLEN,
				       auth);
	assert_int_equal(n, 2 + 48);
	assert_int_equal(sg_aaa_radius_mppe_decrypt(key, sizeof(key), out, (size_t) n, rfc_secret,
						    RFC_SLEN, auth),
			 32);
	assert_memory_equal(key, msk, 32);
	/* wrong secret: the padding check catches it */
	assert_true(sg_aaa_radius_mppe_decrypt(key, sizeof(key), val, vlen,
					       (const uint8_t *) "nope", 4, auth) < 0);
	/* salt without the high bit, odd length, too short */
	val[0] &= 0x7f;
	assert_true(sg_aaa_radius_mppe_decrypt(key, sizeof(key), val, vlen, rfc_secret, RFC_SLEN,
					       auth) < 0);
	val[0] |= 0x80;
	assert_true(sg_aaa_radius_mppe_decrypt(key, sizeof(key), val, vlen - 1, rfc_secret,
					       RFC_SLEN, auth) < 0);
	assert_true(
	    sg_aaa_radius_mppe_decrypt(key, sizeof(key), val, 17, rfc_secret, RFC_SLEN, auth) < 0);
	/* a key longer than the caller's buffer */
	assert_true(sg_aaa_radius_mppe_decrypt(key, 8, val, vlen, rfc_secret, RFC_SLEN, auth) < 0);
}

static void password_hiding_handles_block_edges(void **state)
{
	uint8_t auth[16] = {1, 2, 3}, h[128], p[128];
	char pw[129];

	(void) state;
	memset(pw, 'x', sizeof(pw));
	assert_int_equal(
	    sg_aaa_radius_hide_password(h, (uint8_t *) pw, 0, rfc_secret, RFC_SLEN, auth), 16);
	assert_int_equal(
	    sg_aaa_radius_hide_password(h, (uint8_t *) pw, 16, rfc_secret, RFC_SLEN, auth), 16);
	assert_int_equal(
	    sg_aaa_radius_hide_password(h, (uint8_t *) pw, 17, rfc_secret, RFC_SLEN, auth), 32);
	assert_int_equal(
	    sg_aaa_radius_hide_password(h, (uint8_t *) pw, 128, rfc_secret, RFC_SLEN, auth), 128);
	assert_int_equal(sg_aaa_radius_unhide_password(p, h, 128, rfc_secret, RFC_SLEN, auth), 0);
	assert_memory_equal(p, pw, 128);
	assert_true(
	    sg_aaa_radius_hide_password(h, (uint8_t *) pw, 129, rfc_secret, RFC_SLEN, auth) < 0);
	assert_true(sg_aaa_radius_unhide_password(p, h, 15, rfc_secret, RFC_SLEN, auth) < 0);
}

/* ---- hostile packets ------------------------------------------------------------------ */

struct hostile {
	const char *name;
	const char *hex;
	enum sg_aaa_drop want;
};

static const struct hostile hostile_table[] = {
    {"empty", "", SG_AAA_DROP_SHORT},
    {"19 bytes", "02 00 00 13 000000000000000000000000000000", SG_AAA_DROP_SHORT},
    {"length below 20", "02 00 00 13 00000000000000000000000000000000", SG_AAA_DROP_BAD_LENGTH},
    {"length past datagram", "02 00 00 30 00000000000000000000000000000000",
     SG_AAA_DROP_BAD_LENGTH},
    {"attribute length 0", "02 00 00 18 00000000000000000000000000000000 01 00 41 41",
     SG_AAA_DROP_ATTR_LENGTH},
    {"attribute length 1", "02 00 00 18 00000000000000000000000000000000 01 01 41 41",
     SG_AAA_DROP_ATTR_LENGTH},
    {"attribute past end", "02 00 00 18 00000000000000000000000000000000 01 08 41 41",
     SG_AAA_DROP_ATTR_TRUNCATED},
    {"lone type byte", "02 00 00 15 00000000000000000000000000000000 01",
     SG_AAA_DROP_ATTR_TRUNCATED},
    {"attribute past header length, inside datagram",
     "02 00 00 18 00000000000000000000000000000000 01 06 41 41 41 41", SG_AAA_DROP_ATTR_TRUNCATED},
    {"vsa shorter than vendor id", "02 00 00 17 00000000000000000000000000000000 1a 03 00",
     SG_AAA_DROP_VSA_MALFORMED},
    {"ms vsa inner length past outer",
     "02 00 00 1e 00000000000000000000000000000000 1a 0a 00 00 01 37 1a 09 41 41",
     SG_AAA_DROP_VSA_MALFORMED},
    {"ms vsa inner length 1",
     "02 00 00 1c 00000000000000000000000000000000 1a 08 00 00 01 37 1a 01",
     SG_AAA_DROP_VSA_MALFORMED},
    {"ms vsa inner length short of outer",
     "02 00 00 1e 00000000000000000000000000000000 1a 0a 00 00 01 37 1a 03 41 41",
     SG_AAA_DROP_VSA_MALFORMED},
    {"ms vsa with no sub-attribute",
     "02 00 00 1a 00000000000000000000000000000000 1a 06 00 00 01 37", SG_AAA_DROP_VSA_MALFORMED},
    {"other vendor is opaque",
     "02 00 00 1c 00000000000000000000000000000000 1a 08 00 00 00 09 ff ff", SG_AAA_DROP_NONE},
    {"trailing padding is ignored", "02 00 00 14 00000000000000000000000000000000 de ad be ef",
     SG_AAA_DROP_NONE},
    {"empty attribute (length 2) is structurally fine",
     "02 00 00 16 00000000000000000000000000000000 12 02", SG_AAA_DROP_NONE},
};

static void hostile_packets_are_refused_with_their_reason(void **state)
{
	uint8_t buf[256];
	size_t len;

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(hostile_table); i++) {
		size_t n = unhex(buf, hostile_table[i].hex);
		enum sg_aaa_drop d = sg_aaa_radius_check(buf, n, &len);

		if (d != hostile_table[i].want)
			fail_msg("%s: got %s want %s", hostile_table[i].name, sg_aaa_drop_name(d),
				 sg_aaa_drop_name(hostile_table[i].want));
	}
}

static void oversize_and_floods_are_refused(void **state)
{
	static uint8_t buf[SG_RADIUS_MAX_LEN + 100];
	size_t len;

	(void) state;
	memset(buf, 0, sizeof(buf));
	buf[0] = 2;
	buf[2] = (SG_RADIUS_MAX_LEN + 1) >> 8;
	buf[3] = (SG_RADIUS_MAX_LEN + 1) & 0xff;
	assert_int_equal(sg_aaa_radius_check(buf, SG_RADIUS_MAX_LEN + 1, &len),
			 SG_AAA_DROP_OVERSIZE);
	/* 4096 bytes of 2-byte attributes: more than SG_RADIUS_MAX_ATTRS */
	buf[2] = SG_RADIUS_MAX_LEN >> 8;
	buf[3] = SG_RADIUS_MAX_LEN & 0xff;
	for (size_t off = 20; off + 2 <= SG_RADIUS_MAX_LEN; off += 2) {
		buf[off] = SG_RADIUS_REPLY_MESSAGE;
		buf[off + 1] = 2;
	}
	assert_int_equal(sg_aaa_radius_check(buf, SG_RADIUS_MAX_LEN, &len), SG_AAA_DROP_ATTR_FLOOD);
	/* a full-size packet of full-size attributes is fine */
	for (size_t off = 20; off < SG_RADIUS_MAX_LEN; off += 255) {
		size_t l = SG_MIN((size_t) 255, SG_RADIUS_MAX_LEN - off);
		if (l < 2) {
			buf[3] = (uint8_t) (buf[3] - l);
			break;
		}
		buf[off] = SG_RADIUS_CLASS;
		buf[off + 1] = (uint8_t) l;
	}
	assert_int_equal(sg_aaa_radius_check(buf, SG_RADIUS_MAX_LEN, &len), SG_AAA_DROP_NONE);
}

/* A reply built and signed by the codec verifies; every single-bit change does not. */
static void signed_reply_verifies_and_any_flip_is_caught(void **state)
{
	struct sg_aaa_pkt p;
	uint8_t req_auth[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
	const uint8_t *s = (const uint8_t *) "s3cret";
	size_t len;

	(void) state;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 42, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_SESSION_TIMEOUT, 3600);
	assert_int_equal(sg_aaa_pkt_sign_reply(&p, req_auth, s, 6), 0);
	assert_int_equal(sg_aaa_radius_check(p.buf, p.len, &len), SG_AAA_DROP_NONE);
	assert_int_equal(sg_aaa_radius_verify_reply(p.buf, len, req_auth, s, 6, true),
			 SG_AAA_DROP_NONE);
	for (size_t i = 0; i < p.len; i++) {
		if (i == 2 || i == 3)
			continue; /* length is checked by sg_aaa_radius_check */
		p.buf[i] ^= 0x10;
		assert_int_not_equal(sg_aaa_radius_verify_reply(p.buf, len, req_auth, s, 6, true),
				     SG_AAA_DROP_NONE);
		p.buf[i] ^= 0x10;
	}
	/* a packet whose MA is right but whose authenticator was forged */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCOUNTING_REQUEST, 1, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_ACCT_STATUS_TYPE, 1);
	assert_int_equal(sg_aaa_pkt_sign_request(&p, s, 6), 0);
	assert_int_equal(sg_aaa_radius_verify_request(p.buf, p.len, s, 6, true), SG_AAA_DROP_NONE);
	p.buf[5] ^= 1;
	assert_int_equal(sg_aaa_radius_verify_request(p.buf, p.len, s, 6, true),
			 SG_AAA_DROP_BAD_AUTHENTICATOR);
}

static void two_message_authenticators_are_refused(void **state)
{
	struct sg_aaa_pkt p;
	uint8_t ra[16] = {0};
	static const uint8_t z[16];

	(void) state;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 1, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add(&p, SG_RADIUS_MESSAGE_AUTHENTICATOR, z, 16);
	sg_aaa_pkt_sign_reply(&p, ra, (const uint8_t *) "k", 1);
	assert_int_equal(
	    sg_aaa_radius_verify_reply(p.buf, p.len, ra, (const uint8_t *) "k", 1, true),
	    SG_AAA_DROP_BAD_MSG_AUTH);
	/* wrong size Message-Authenticator */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 1, NULL);
	sg_aaa_pkt_add(&p, SG_RADIUS_MESSAGE_AUTHENTICATOR, z, 15);
	sg_aaa_pkt_sign_reply(&p, ra, (const uint8_t *) "k", 1);
	assert_int_equal(
	    sg_aaa_radius_verify_reply(p.buf, p.len, ra, (const uint8_t *) "k", 1, false),
	    SG_AAA_DROP_BAD_MSG_AUTH);
}

static void builder_refuses_what_does_not_fit(void **state)
{
	struct sg_aaa_pkt p;
	static const uint8_t big[600];
	int rc = 0;

	(void) state;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_REQUEST, 0, NULL);
	assert_int_equal(sg_aaa_pkt_add(&p, SG_RADIUS_CLASS, big, 254), -EINVAL);
	assert_int_equal(sg_aaa_pkt_add_vsa(&p, 311, 1, big, 248), -EINVAL);
	while (rc >= 0)
		rc = sg_aaa_pkt_add(&p, SG_RADIUS_CLASS, big, 253);
	assert_int_equal(rc, -EMSGSIZE);
	assert_true(p.len <= SG_RADIUS_MAX_LEN);
	/* EAP split: 600 bytes -> 253 + 253 + 94 */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_REQUEST, 0, NULL);
	assert_true(sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, big, 600) > 0);
	assert_int_equal(p.len, 20 + 600 + 6);
	assert_int_equal(p.buf[20 + 1], 255);
	assert_int_equal(p.buf[20 + 255 + 1], 255);
	assert_int_equal(p.buf[20 + 510 + 1], 96);
}

/* Reply values: sizes the RFCs fix are enforced; EAP fragments are reassembled in order. */
static void reply_values_are_checked_and_eap_reassembled(void **state)
{
	static struct sg_aaa_pkt p;
	static struct sg_aaa_result res;
	static uint8_t eap[4100];
	uint8_t ra[16] = {1}, v6[18] = {0, 64, 0x20, 0x01, 0x0d, 0xb8};
	const uint8_t *k = (const uint8_t *) "k";

	(void) state;
	for (size_t i = 0; i < sizeof(eap); i++)
		eap[i] = (uint8_t) i;
	struct {
		const char *name;
		uint8_t type;
		const uint8_t *val;
		size_t len;
		enum sg_aaa_drop want;
	} cases[] = {
	    {"Framed-IP-Address of 3 bytes", SG_RADIUS_FRAMED_IP_ADDRESS, v6, 3,
	     SG_AAA_DROP_BAD_VALUE},
	    {"Session-Timeout of 5 bytes", SG_RADIUS_SESSION_TIMEOUT, v6, 5, SG_AAA_DROP_BAD_VALUE},
	    {"Framed-IPv6-Prefix /64 with 4 prefix bytes", SG_RADIUS_FRAMED_IPV6_PREFIX, v6, 6,
	     SG_AAA_DROP_BAD_VALUE},
	    {"Framed-IPv6-Prefix /64 with 8 prefix bytes", SG_RADIUS_FRAMED_IPV6_PREFIX, v6, 10,
	     SG_AAA_DROP_NONE},
	    {"Delegated-IPv6-Prefix of 19 bytes", SG_RADIUS_DELEGATED_IPV6_PREFIX, eap, 19,
	     SG_AAA_DROP_BAD_VALUE},
	    {"Idle-Timeout of 4 bytes", SG_RADIUS_IDLE_TIMEOUT, v6, 4, SG_AAA_DROP_NONE},
	};
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		enum sg_aaa_drop d;

		sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 1, NULL);
		sg_aaa_pkt_add(&p, cases[i].type, cases[i].val, cases[i].len);
		d = sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res);
		if (d != cases[i].want)
			fail_msg("%s: got %s", cases[i].name, sg_aaa_drop_name(d));
	}
	v6[1] = 129;
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 1, NULL);
	sg_aaa_pkt_add(&p, SG_RADIUS_FRAMED_IPV6_PREFIX, v6, 18);
	assert_int_equal(sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res),
			 SG_AAA_DROP_BAD_VALUE);
	/* MS-CHAP2-Success that is not ident + "S=" + 40 */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 1, NULL);
	sg_aaa_pkt_add_vsa(&p, 311, SG_RADIUS_MS_CHAP2_SUCCESS, "\1S=ABC", 6);
	assert_int_equal(sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res),
			 SG_AAA_DROP_BAD_VALUE);
	/* not an Access reply */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCOUNTING_RESPONSE, 1, NULL);
	assert_int_equal(sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res),
			 SG_AAA_DROP_BAD_CODE);
	/* a 1000-byte EAP packet in four fragments comes back whole, with State */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_CHALLENGE, 1, NULL);
	assert_true(sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, eap, 1000) > 0);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_STATE, "st-1");
	assert_int_equal(sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res), SG_AAA_DROP_NONE);
	assert_int_equal(res.status, SG_AAA_CHALLENGE);
	assert_int_equal(res.eap_len, 1000);
	assert_memory_equal(res.eap, eap, 1000);
	assert_int_equal(res.state_len, 4);
	/* more EAP than SG_AAA_EAP_MAX in one full-size packet */
	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_CHALLENGE, 1, NULL);
	assert_true(sg_aaa_pkt_add_split(&p, SG_RADIUS_EAP_MESSAGE, eap, SG_AAA_EAP_MAX + 40) > 0);
	assert_int_equal(sg_aaa_radius_reply_parse(p.buf, p.len, ra, k, 1, &res),
			 SG_AAA_DROP_BAD_VALUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc2865_7_1_user_password_is_hidden_as_in_the_example),
	    cmocka_unit_test(rfc2865_7_1_response_authenticator_verifies),
	    cmocka_unit_test(rfc2865_7_1_request_is_rebuilt_byte_for_byte),
	    cmocka_unit_test(hmac_md5_matches_rfc2202_case_2),
	    cmocka_unit_test(message_authenticator_matches_known_answer),
	    cmocka_unit_test(mppe_key_decrypts_known_vector_and_round_trips),
	    cmocka_unit_test(password_hiding_handles_block_edges),
	    cmocka_unit_test(hostile_packets_are_refused_with_their_reason),
	    cmocka_unit_test(oversize_and_floods_are_refused),
	    cmocka_unit_test(signed_reply_verifies_and_any_flip_is_caught),
	    cmocka_unit_test(two_message_authenticators_are_refused),
	    cmocka_unit_test(builder_refuses_what_does_not_fit),
	    cmocka_unit_test(reply_values_are_checked_and_eap_reassembled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
