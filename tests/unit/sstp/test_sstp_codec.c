/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP codec: every message encodes to its spec size and decodes back; the
 * hostile-input table names the exact status and reason for each lie; the
 * deframer reassembles packets split at every byte and refuses bad streams.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sg_sstp.h"
#include "sstp_test_util.h"

static void header_masks_reserved_bits_and_reads_c_bit(void **state)
{
	uint8_t h[4] = {0x10, 0xff, 0xf0, 0x10};
	enum sg_sstp_reason r = SG_SSTP_R_NONE;
	bool ctl = false;

	(void) state;
	assert_int_equal(sg_sstp_hdr_parse(h, &ctl, &r), 0x10); /* top 4 bits masked */
	assert_true(ctl);
	h[1] = 0xfe; /* reserved bits set, C clear */
	assert_int_equal(sg_sstp_hdr_parse(h, &ctl, &r), 0x10);
	assert_false(ctl);
	h[0] = 0x11;
	assert_int_equal(sg_sstp_hdr_parse(h, &ctl, &r), -EBADMSG);
	assert_int_equal(r, SG_SSTP_R_BAD_VERSION);
	h[0] = 0x10;
	h[2] = 0xf0;
	h[3] = 0x03; /* masked length 3 < 4 */
	assert_int_equal(sg_sstp_hdr_parse(h, &ctl, &r), -EBADMSG);
	assert_int_equal(r, SG_SSTP_R_BAD_LENGTH);
}

static void data_packet_round_trip_and_limits(void **state)
{
	uint8_t pkt[SG_SSTP_MAX_PACKET + 1];
	const uint8_t *f;
	size_t flen;

	(void) state;
	memset(pkt, 0xab, sizeof(pkt));
	assert_int_equal(sg_sstp_data_hdr_write(pkt, 1400), 0);
	assert_int_equal(pkt[0], 0x10);
	assert_int_equal(pkt[1], 0x00);
	assert_int_equal((pkt[2] << 8) | pkt[3], 1404);
	assert_int_equal(sg_sstp_data_decode(pkt, 1404, &f, &flen), 0);
	assert_ptr_equal(f, pkt + 4);
	assert_int_equal(flen, 1400);
	assert_int_equal(sg_sstp_data_hdr_write(pkt, SG_SSTP_MAX_PPP_FRAME), 0);
	assert_int_equal(sg_sstp_data_decode(pkt, 4095, &f, &flen), 0);
	assert_int_equal(sg_sstp_data_hdr_write(pkt, SG_SSTP_MAX_PPP_FRAME + 1), -EMSGSIZE);
	assert_int_equal(sg_sstp_data_hdr_write(pkt, 0), -EMSGSIZE);
	/* lying lengths, a control packet, an empty payload */
	assert_int_equal(sg_sstp_data_hdr_write(pkt, 100), 0);
	assert_int_equal(sg_sstp_data_decode(pkt, 103, &f, &flen), -EBADMSG);
	assert_int_equal(sg_sstp_data_decode(pkt, 105, &f, &flen), -EBADMSG);
	pkt[1] = 1;
	assert_int_equal(sg_sstp_data_decode(pkt, 104, &f, &flen), -EBADMSG);
	sg_sstp_hdr_write(pkt, false, 4);
	assert_int_equal(sg_sstp_data_decode(pkt, 4, &f, &flen), -EBADMSG);
	assert_int_equal(sg_sstp_data_decode(pkt, 3, &f, &flen), -EBADMSG);
}

static void ppp_protocol_handles_acfc_and_pfc(void **state)
{
	static const uint8_t lcp[] = {0xff, 0x03, 0xc0, 0x21, 1};
	static const uint8_t ip_acfc[] = {0x00, 0x21, 0x45};
	static const uint8_t ip_pfc[] = {0xff, 0x03, 0x21, 0x45};
	static const uint8_t ip_both[] = {0x21, 0x45};
	static const uint8_t bad[] = {0xff, 0x03, 0x00};

	(void) state;
	assert_int_equal(sg_sstp_ppp_protocol(lcp, sizeof(lcp)), 0xc021);
	assert_int_equal(sg_sstp_ppp_protocol(ip_acfc, sizeof(ip_acfc)), 0x0021);
	assert_int_equal(sg_sstp_ppp_protocol(ip_pfc, sizeof(ip_pfc)), 0x21);
	assert_int_equal(sg_sstp_ppp_protocol(ip_both, sizeof(ip_both)), 0x21);
	assert_int_equal(sg_sstp_ppp_protocol(bad, sizeof(bad)), -EINVAL);
	assert_int_equal(sg_sstp_ppp_protocol(lcp, 2), -EINVAL);
	assert_int_equal(sg_sstp_ppp_protocol(lcp, 0), -EINVAL);
}

static void every_control_message_round_trips(void **state)
{
	uint8_t buf[256], nonce[32], hash[32], mac[32];
	uint8_t val[3] = {0, 2, 9};
	struct sg_sstp_ctrl c;
	int n;

	(void) state;
	for (int i = 0; i < 32; i++) {
		nonce[i] = (uint8_t) i;
		hash[i] = (uint8_t) (0x80 + i);
		mac[i] = (uint8_t) (0x40 + i);
	}
	n = sg_sstp_encode_connect_request(buf, sizeof(buf), SG_SSTP_ENCAP_PPP);
	assert_int_equal(n, SG_SSTP_CONNECT_REQUEST_LEN);
	assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_REQUEST);
	assert_true(sg_sstp_ctrl_has(&c, SG_SSTP_ATTR_ENCAP_PROTO));
	assert_int_equal(c.encap_proto, 1);
	static const uint8_t want_req[] = {0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
					   0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01};
	assert_memory_equal(buf, want_req, sizeof(want_req));

	n = sg_sstp_encode_connect_ack(buf, sizeof(buf), SG_SSTP_HASH_SHA256 | SG_SSTP_HASH_SHA1,
				       nonce);
	assert_int_equal(n, SG_SSTP_CONNECT_ACK_LEN);
	assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_ACK);
	assert_int_equal(c.binding_req.hash_bitmask, 3);
	assert_memory_equal(c.binding_req.nonce, nonce, 32);

	n = sg_sstp_encode_connect_nak(buf, sizeof(buf), SG_SSTP_ATTR_ENCAP_PROTO,
				       SG_SSTP_STATUS_VALUE_NOT_SUPPORTED, val, sizeof(val));
	assert_int_equal(n, 8 + 12 + 3);
	assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECT_NAK);
	assert_int_equal(c.status_info.attr_id, SG_SSTP_ATTR_ENCAP_PROTO);
	assert_int_equal(c.status_info.status, SG_SSTP_STATUS_VALUE_NOT_SUPPORTED);
	assert_int_equal(c.status_info.value_len, 3);
	assert_memory_equal(c.status_info.value, val, 3);
	assert_int_equal(sg_sstp_encode_connect_nak(buf, sizeof(buf), 1, 4, val, 65), -EINVAL);

	n = sg_sstp_encode_connected(buf, sizeof(buf), SG_SSTP_HASH_SHA256, nonce, hash, mac);
	assert_int_equal(n, SG_SSTP_CONNECTED_LEN);
	assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
	assert_int_equal(c.msg_type, SG_SSTP_MSG_CONNECTED);
	assert_int_equal(c.binding.hash_proto, 2);
	assert_memory_equal(c.binding.nonce, nonce, 32);
	assert_memory_equal(c.binding.cert_hash, hash, 32);
	assert_memory_equal(c.binding.mac, mac, 32);
	assert_memory_equal(buf + SG_SSTP_CONNECTED_NONCE_OFF, nonce, 32);
	assert_memory_equal(buf + SG_SSTP_CONNECTED_CERT_HASH_OFF, hash, 32);
	assert_memory_equal(buf + SG_SSTP_CONNECTED_MAC_OFF, mac, 32);

	for (uint16_t t = SG_SSTP_MSG_ABORT; t <= SG_SSTP_MSG_DISCONNECT; t++) {
		n = sg_sstp_encode_status_msg(buf, sizeof(buf), t, true, 3,
					      SG_SSTP_STATUS_NEGOTIATION_TIMEOUT);
		assert_int_equal(n, SG_SSTP_STATUS_CTRL_LEN);
		assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
		assert_int_equal(c.msg_type, t);
		assert_int_equal(c.status_info.attr_id, 3);
		assert_int_equal(c.status_info.status, SG_SSTP_STATUS_NEGOTIATION_TIMEOUT);
		n = sg_sstp_encode_status_msg(buf, sizeof(buf), t, false, 0, 0);
		assert_int_equal(n, SG_SSTP_EMPTY_CTRL_LEN);
		assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
		assert_int_equal(c.present, 0);
	}
	for (uint16_t t = SG_SSTP_MSG_DISCONNECT_ACK; t <= SG_SSTP_MSG_ECHO_RESPONSE; t++) {
		n = sg_sstp_encode_empty(buf, sizeof(buf), t);
		assert_int_equal(n, SG_SSTP_EMPTY_CTRL_LEN);
		assert_int_equal(sg_sstp_ctrl_decode(buf, (size_t) n, &c), 0);
		assert_int_equal(c.msg_type, t);
		assert_int_equal(c.attr_count, 0);
	}
	/* short buffers */
	assert_int_equal(sg_sstp_encode_connected(buf, 111, 2, nonce, hash, mac), -ENOSPC);
	assert_int_equal(sg_sstp_encode_connect_ack(buf, 47, 2, nonce), -ENOSPC);
	assert_int_equal(sg_sstp_encode_connect_request(buf, 13, 1), -ENOSPC);
	assert_int_equal(sg_sstp_encode_empty(buf, 7, 8), -ENOSPC);
	assert_int_equal(sg_sstp_encode_status_msg(buf, 19, 5, true, 0, 0), -ENOSPC);
}

/* Hostile control packets: hex, expected status, attribute and reason. */
static const struct hostile {
	const char *name;
	const char *hex;
	uint32_t status;
	uint8_t attr;
	enum sg_sstp_reason reason;
} hostile[] = {
    {"shorter than control header", "10010006 0001", SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
     SG_SSTP_R_CTRL_TRUNCATED},
    {"length says more than the buffer", "1001000f 0001 0001 00010006 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, SG_SSTP_R_CTRL_TRUNCATED},
    {"length says less than the buffer", "1001000d 0001 0001 00010006 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, SG_SSTP_R_CTRL_TRUNCATED},
    {"not a control packet", "1000000e 0001 0001 00010006 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, SG_SSTP_R_CTRL_TRUNCATED},
    {"bad version", "2001000e 0001 0001 00010006 0001", SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
     SG_SSTP_R_BAD_VERSION},
    {"message type 0", "10010008 0000 0000", SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
     SG_SSTP_R_CTRL_BAD_MSG_TYPE},
    {"message type 10", "10010008 000a 0000", SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
     SG_SSTP_R_CTRL_BAD_MSG_TYPE},
    {"count 2, one attribute", "1001000e 0001 0002 00010006 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, SG_SSTP_R_CTRL_TRUNCATED},
    {"count 0, attribute bytes follow", "1001000e 0001 0000 00010006 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, SG_SSTP_R_CTRL_TRUNCATED},
    {"truncated attribute header", "1001000a 0001 0001 0001", SG_SSTP_STATUS_INVALID_FRAME_RECEIVED,
     0, SG_SSTP_R_CTRL_TRUNCATED},
    {"attribute length < 4", "1001000e 0001 0001 00010003 0001",
     SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, 1, SG_SSTP_R_CTRL_ATTR_BAD_LENGTH},
    {"attribute past the packet", "1001000e 0001 0001 00010008 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 1, SG_SSTP_R_CTRL_TRUNCATED},
    {"attribute length reserved bits masked, then too long", "1001000e 0001 0001 0001f007 0001",
     SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 1, SG_SSTP_R_CTRL_TRUNCATED},
    {"encap proto length 8", "10010010 0001 0001 00010008 00010000",
     SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, 1, SG_SSTP_R_CTRL_ATTR_BAD_LENGTH},
    {"duplicate attribute", "10010014 0001 0002 00010006 0001 00010006 0001",
     SG_SSTP_STATUS_DUPLICATE_ATTRIBUTE, 1, SG_SSTP_R_CTRL_ATTR_DUPLICATE},
    {"unknown attribute 5", "10010014 0001 0002 00010006 0001 00050006 0001",
     SG_SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, 5, SG_SSTP_R_CTRL_ATTR_UNKNOWN},
    {"unknown attribute 0", "1001000e 0001 0001 00000006 0001",
     SG_SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, 0, SG_SSTP_R_CTRL_ATTR_UNKNOWN},
    {"status info in connect request", "10010014 0001 0001 0002000c 00000000 00000000",
     SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, 2, SG_SSTP_R_CTRL_ATTR_NOT_IN_MSG},
    {"encap proto in echo request", "1001000e 0008 0001 00010006 0001",
     SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, 1, SG_SSTP_R_CTRL_ATTR_NOT_IN_MSG},
    {"connect request without attribute", "10010008 0001 0000",
     SG_SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, 1, SG_SSTP_R_CTRL_ATTR_MISSING},
    {"connected without binding", "10010008 0004 0000", SG_SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING,
     3, SG_SSTP_R_CTRL_ATTR_MISSING},
    {"connected with short binding", "10010010 0004 0001 00030008 00000002",
     SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, 3, SG_SSTP_R_CTRL_ATTR_BAD_LENGTH},
    {"connect ack binding req length 39",
     "1001002f 0002 0001 00040027 00000002"
     "00000000000000000000000000000000000000000000000000000000000000",
     SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, 4, SG_SSTP_R_CTRL_ATTR_BAD_LENGTH},
    {"status info length 11", "10010013 0005 0001 0002000b 00000000 000000",
     SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, 2, SG_SSTP_R_CTRL_ATTR_BAD_LENGTH},
    {"duplicate status info in abort",
     "10010020 0005 0002 0002000c 00000000 00000000 0002000c 00000000 00000000",
     SG_SSTP_STATUS_DUPLICATE_ATTRIBUTE, 2, SG_SSTP_R_CTRL_ATTR_DUPLICATE},
};

static void hostile_control_packets_get_exact_status(void **state)
{
	uint8_t pkt[512];
	struct sg_sstp_ctrl c;

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(hostile); i++) {
		size_t n = hex2bin(hostile[i].hex, pkt, sizeof(pkt));

		print_message("  %s\n", hostile[i].name);
		assert_int_equal(sg_sstp_ctrl_decode(pkt, n, &c), -EBADMSG);
		assert_int_equal(c.err_status, hostile[i].status);
		assert_int_equal(c.err_attr, hostile[i].attr);
		assert_int_equal(c.err_reason, hostile[i].reason);
	}
}

static void nak_may_carry_several_status_infos(void **state)
{
	uint8_t pkt[64];
	struct sg_sstp_ctrl c;
	size_t n =
	    hex2bin("10010020 0003 0002 0002000c 00000001 00000004 0002000c 00000004 00000002", pkt,
		    sizeof(pkt));

	(void) state;
	assert_int_equal(sg_sstp_ctrl_decode(pkt, n, &c), 0);
	assert_int_equal(c.status_info_count, 2);
	assert_int_equal(c.status_info.attr_id, 1);
	assert_int_equal(c.status_info.status, 4);
}

static void names_cover_every_reason_and_status(void **state)
{
	struct sg_sstp_stats a, b;

	(void) state;
	for (int i = 0; i < SG_SSTP_R_COUNT; i++) {
		assert_string_not_equal(sg_sstp_reason_name((enum sg_sstp_reason) i), "?");
		assert_string_not_equal(sg_sstp_reason_text((enum sg_sstp_reason) i), "?");
	}
	assert_string_equal(sg_sstp_reason_name(SG_SSTP_R_COUNT), "?");
	assert_string_equal(sg_sstp_reason_name(SG_SSTP_R_BINDING_MAC), "BINDING_MAC");
	for (uint32_t s = 0; s <= 11; s++)
		assert_string_not_equal(sg_sstp_status_name(s), "?");
	assert_string_equal(sg_sstp_status_name(12), "?");
	assert_string_equal(sg_sstp_status_name(4), "VALUE_NOT_SUPPORTED");
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.count[3] = 5;
	b.count[3] = 7;
	b.count[SG_SSTP_R_COUNT - 1] = 1;
	sg_sstp_stats_add(&a, &b);
	sg_sstp_stats_add(&a, &b);
	assert_int_equal(a.count[3], 19);
	assert_int_equal(a.count[SG_SSTP_R_COUNT - 1], 2);
}

/* A stream of three packets, fed in chunks of every size from 1 to its length. */
static void deframer_reassembles_any_split(void **state)
{
	static struct sg_sstp_deframer d;
	uint8_t stream[2000];
	size_t total = 0, lens[3];
	int n;

	(void) state;
	n = sg_sstp_encode_connect_request(stream, sizeof(stream), 1);
	lens[0] = (size_t) n;
	total += (size_t) n;
	assert_int_equal(sg_sstp_data_hdr_write(stream + total, 1500), 0);
	for (int i = 0; i < 1500; i++)
		stream[total + 4 + i] = (uint8_t) i;
	lens[1] = 1504;
	total += 1504;
	n = sg_sstp_encode_empty(stream + total, 100, SG_SSTP_MSG_ECHO_REQUEST);
	lens[2] = (size_t) n;
	total += (size_t) n;

	for (size_t chunk = 1; chunk <= total; chunk++) {
		size_t off = 0, got = 0;

		sg_sstp_deframer_init(&d);
		while (off < total) {
			size_t len = SG_MIN(chunk, total - off);

			while (len > 0) {
				const uint8_t *pkt;
				size_t plen;
				int used =
				    sg_sstp_deframer_feed(&d, stream + off, len, &pkt, &plen);

				assert_true(used > 0);
				off += (size_t) used;
				len -= (size_t) used;
				if (pkt) {
					size_t start = 0;

					for (size_t k = 0; k < got; k++)
						start += lens[k];
					assert_true(got < 3);
					assert_int_equal(plen, lens[got]);
					assert_memory_equal(pkt, stream + start, plen);
					got++;
				}
			}
		}
		assert_int_equal(got, 3);
		assert_int_equal(d.have, 0);
	}
}

static void deframer_refuses_bad_version_and_length_for_good(void **state)
{
	static struct sg_sstp_deframer d;
	static const uint8_t bad_ver[] = {0x20, 0x01, 0x00, 0x08};
	static const uint8_t short_len[] = {0x10, 0x00, 0x00, 0x02};
	static const uint8_t ok[] = {0x10, 0x01, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00};
	const uint8_t *pkt;
	size_t plen;

	(void) state;
	sg_sstp_deframer_init(&d);
	assert_int_equal(sg_sstp_deframer_feed(&d, bad_ver, sizeof(bad_ver), &pkt, &plen),
			 -EBADMSG);
	assert_int_equal(d.reason, SG_SSTP_R_BAD_VERSION);
	assert_int_equal(sg_sstp_deframer_feed(&d, ok, sizeof(ok), &pkt, &plen), -EBADMSG);

	sg_sstp_deframer_init(&d);
	assert_int_equal(sg_sstp_deframer_feed(&d, short_len, 2, &pkt, &plen), 2); /* split */
	assert_null(pkt);
	assert_int_equal(sg_sstp_deframer_feed(&d, short_len + 2, 2, &pkt, &plen), -EBADMSG);
	assert_int_equal(d.reason, SG_SSTP_R_BAD_LENGTH);

	/* A data packet of length 4 (no payload) is framing-valid. */
	static const uint8_t empty[] = {0x10, 0x00, 0x00, 0x04};
	sg_sstp_deframer_init(&d);
	assert_int_equal(sg_sstp_deframer_feed(&d, empty, sizeof(empty), &pkt, &plen), 4);
	assert_non_null(pkt);
	assert_int_equal(plen, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(header_masks_reserved_bits_and_reads_c_bit),
	    cmocka_unit_test(data_packet_round_trip_and_limits),
	    cmocka_unit_test(ppp_protocol_handles_acfc_and_pfc),
	    cmocka_unit_test(every_control_message_round_trips),
	    cmocka_unit_test(hostile_control_packets_get_exact_status),
	    cmocka_unit_test(nak_may_carry_several_status_infos),
	    cmocka_unit_test(names_cover_every_reason_and_status),
	    cmocka_unit_test(deframer_reassembles_any_split),
	    cmocka_unit_test(deframer_refuses_bad_version_and_length_for_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
