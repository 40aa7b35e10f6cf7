/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crypto binding: the two MS-SSTP §4.7 examples (PROTOCOL.md) recomputed from
 * the HLAK and the CONNECTED message, plus the CMK/cert-hash/HLAK helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "sg_sstp.h"
#include "sstp_test_util.h"

static const char sha256_hlak[] =
    "2A1BB40D55AB0F5EF32F06F2B3CC73C48FD3FAC41D7A1315A19228D9024CA164";
static const char sha256_msg[] = "10010070000400010003006800000002"
				 "412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435"
				 "7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D"
				 "52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449";

static const char sha1_hlak[] = "4B3128F43925D9006EEFB1C4E86515A1D88E56BAB3CA2BDF0373B7F5A8A13B19";
static const char sha1_msg[] = "10010070000400010003006800000001"
			       "0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF"
			       "5826B629BDA59B8E6FD8DCD2622FD34C534805A5000000000000000000000000"
			       "69915DD583D8062FEF16F61DB2F03290EC27CB6C000000000000000000000000";

static void vector(const char *hlak_hex, const char *msg_hex, uint8_t proto)
{
	uint8_t hlak[32], msg[SG_SSTP_CONNECTED_LEN], signed_msg[SG_SSTP_CONNECTED_LEN];
	uint8_t mac[32];
	struct sg_sstp_ctrl c;
	size_t hlen = sg_sstp_hash_len(proto);

	assert_int_equal(hex2bin(hlak_hex, hlak, sizeof(hlak)), 32);
	assert_int_equal(hex2bin(msg_hex, msg, sizeof(msg)), SG_SSTP_CONNECTED_LEN);
	/* The spec's message is a valid CONNECTED for our decoder. */
	assert_int_equal(sg_sstp_ctrl_decode(msg, sizeof(msg), &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECTED);
	assert_int_equal(c.binding.hash_proto, proto);

	/* Recompute the MAC (MAC field ignored) and compare with the spec's bytes. */
	assert_int_equal(sg_sstp_compound_mac(proto, hlak, msg, mac), 0);
	assert_memory_equal(mac, msg + SG_SSTP_CONNECTED_MAC_OFF, hlen);
	for (size_t i = hlen; i < 32; i++)
		assert_int_equal(mac[i], 0);

	/* Signing a copy with a zeroed MAC reproduces the message exactly. */
	memcpy(signed_msg, msg, sizeof(msg));
	memset(signed_msg + SG_SSTP_CONNECTED_MAC_OFF, 0, 32);
	assert_int_equal(sg_sstp_connected_sign(signed_msg, hlak), 0);
	assert_memory_equal(signed_msg, msg, sizeof(msg));
	assert_int_equal(sg_sstp_connected_verify(msg, hlak), 0);

	/* Any flipped bit in the covered bytes, the MAC or the key fails. */
	for (size_t i = 0; i < SG_SSTP_CONNECTED_MAC_OFF + hlen; i++) {
		if (i == SG_SSTP_CONNECTED_HASH_PROTO_OFF)
			continue; /* changes the algorithm: covered below */
		msg[i] ^= 0x01;
		assert_int_equal(sg_sstp_connected_verify(msg, hlak), -EBADMSG);
		msg[i] ^= 0x01;
	}
	hlak[31] ^= 0x80;
	assert_int_equal(sg_sstp_connected_verify(msg, hlak), -EBADMSG);
	hlak[31] ^= 0x80;
	msg[SG_SSTP_CONNECTED_HASH_PROTO_OFF] = 3;
	assert_int_equal(sg_sstp_connected_verify(msg, hlak), -EINVAL);
}

static void ms_sstp_4_7_sha256_vector_verifies(void **state)
{
	(void) state;
	vector(sha256_hlak, sha256_msg, SG_SSTP_HASH_SHA256);
}

static void ms_sstp_4_7_sha1_vector_verifies(void **state)
{
	(void) state;
	vector(sha1_hlak, sha1_msg, SG_SSTP_HASH_SHA1);
}

static void cmk_is_hmac_of_the_seed_with_le_length(void **state)
{
	uint8_t hlak[32], cmk[32], expect[32], seed[32];
	unsigned int olen = 0;

	(void) state;
	for (int i = 0; i < 32; i++)
		hlak[i] = (uint8_t) i;
	memcpy(seed, "SSTP inner method derived CMK", 29);
	seed[29] = 32;
	seed[30] = 0;
	seed[31] = 1;
	assert_non_null(
	    EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, hlak, 32, seed, 32, expect, 32, NULL));
	assert_int_equal(sg_sstp_cmk(SG_SSTP_HASH_SHA256, hlak, cmk), 0);
	assert_memory_equal(cmk, expect, 32);
	seed[29] = 20;
	(void) olen;
	assert_non_null(
	    EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, hlak, 32, seed, 32, expect, 32, NULL));
	assert_int_equal(sg_sstp_cmk(SG_SSTP_HASH_SHA1, hlak, cmk), 0);
	assert_memory_equal(cmk, expect, 20);
	for (int i = 20; i < 32; i++)
		assert_int_equal(cmk[i], 0);
	assert_int_equal(sg_sstp_cmk(0, hlak, cmk), -EINVAL);
	assert_int_equal(sg_sstp_cmk(3, hlak, cmk), -EINVAL);
}

static void cert_hash_is_sha_of_der_zero_padded(void **state)
{
	static const uint8_t der[] = "not really DER, any bytes hash";
	uint8_t h[32], sha1[20], sha256[32];

	(void) state;
	assert_int_equal(EVP_Digest(der, sizeof(der), sha1, NULL, EVP_sha1(), NULL), 1);
	assert_int_equal(EVP_Digest(der, sizeof(der), sha256, NULL, EVP_sha256(), NULL), 1);
	assert_int_equal(sg_sstp_cert_hash(SG_SSTP_HASH_SHA1, der, sizeof(der), h), 0);
	assert_memory_equal(h, sha1, 20);
	for (int i = 20; i < 32; i++)
		assert_int_equal(h[i], 0);
	assert_int_equal(sg_sstp_cert_hash(SG_SSTP_HASH_SHA256, der, sizeof(der), h), 0);
	assert_memory_equal(h, sha256, 32);
	assert_int_equal(
	    sg_sstp_cert_hash(SG_SSTP_HASH_SHA1 | SG_SSTP_HASH_SHA256, der, sizeof(der), h),
	    -EINVAL);
	assert_int_equal(sg_sstp_cert_hash(SG_SSTP_HASH_SHA1, der, 0, h), -EINVAL);
}

static void hlak_is_receive_then_send_and_nonces_differ(void **state)
{
	uint8_t recv[16], send[16], hlak[32], n1[32], n2[32];

	(void) state;
	memset(recv, 0xaa, sizeof(recv));
	memset(send, 0x55, sizeof(send));
	sg_sstp_hlak_from_mppe(hlak, recv, send);
	assert_memory_equal(hlak, recv, 16);
	assert_memory_equal(hlak + 16, send, 16);
	assert_int_equal(sg_sstp_nonce(n1), 0);
	assert_int_equal(sg_sstp_nonce(n2), 0);
	assert_memory_not_equal(n1, n2, 32);
	assert_int_equal(sg_sstp_hash_len(SG_SSTP_HASH_SHA1), 20);
	assert_int_equal(sg_sstp_hash_len(SG_SSTP_HASH_SHA256), 32);
	assert_int_equal(sg_sstp_hash_len(3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ms_sstp_4_7_sha256_vector_verifies),
	    cmocka_unit_test(ms_sstp_4_7_sha1_vector_verifies),
	    cmocka_unit_test(cmk_is_hmac_of_the_seed_with_le_length),
	    cmocka_unit_test(cert_hash_is_sha_of_der_zero_padded),
	    cmocka_unit_test(hlak_is_receive_then_send_and_nonces_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
