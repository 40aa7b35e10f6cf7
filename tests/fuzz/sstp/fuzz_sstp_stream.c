/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stream deframer + control/data decoders on arbitrary bytes in chunks chosen
 * by the input: every packet handed out lies inside a buffer, has a consistent
 * header, and a control packet that decodes re-encodes to the same bytes
 * where the encoder covers the message.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "sg_sstp.h"

static void check_reencode(const uint8_t *pkt, size_t len, const struct sg_sstp_ctrl *c)
{
	uint8_t buf[256];
	int n = -1;

	switch (c->msg_type) {
	case SG_SSTP_MSG_CONNECT_REQUEST:
		n = sg_sstp_encode_connect_request(buf, sizeof(buf), c->encap_proto);
		break;
	case SG_SSTP_MSG_CONNECT_ACK:
		n = sg_sstp_encode_connect_ack(buf, sizeof(buf), c->binding_req.hash_bitmask,
					       c->binding_req.nonce);
		break;
	case SG_SSTP_MSG_CONNECTED:
		n = sg_sstp_encode_connected(buf, sizeof(buf), c->binding.hash_proto,
					     c->binding.nonce, c->binding.cert_hash,
					     c->binding.mac);
		break;
	case SG_SSTP_MSG_DISCONNECT_ACK:
	case SG_SSTP_MSG_ECHO_REQUEST:
	case SG_SSTP_MSG_ECHO_RESPONSE:
		n = sg_sstp_encode_empty(buf, sizeof(buf), c->msg_type);
		break;
	default:
		return;
	}
	CHECK(n == (int) len);
	/* reserved bits/bytes are ignored on receipt; compare the rest */
	CHECK(buf[0] == pkt[0] && (buf[1] & 1) == (pkt[1] & 1));
	CHECK(((buf[2] & 0x0f) == (pkt[2] & 0x0f)) && buf[3] == pkt[3]);
	CHECK(memcmp(buf + 4, pkt + 4, 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sg_sstp_deframer d;
	size_t step, off = 0;

	if (size < 1)
		return 0;
	step = (size_t) data[0] * 17 + 1;
	data++;
	size--;
	sg_sstp_deframer_init(&d);
	while (off < size) {
		size_t len = SG_MIN(step, size - off);

		while (len > 0) {
			const uint8_t *pkt;
			size_t plen;
			int n = sg_sstp_deframer_feed(&d, data + off, len, &pkt, &plen);

			if (n < 0) {
				CHECK(d.failed);
				return 0;
			}
			CHECK(n > 0 && (size_t) n <= len);
			off += (size_t) n;
			len -= (size_t) n;
			if (!pkt)
				continue;
			CHECK(plen >= SG_SSTP_HDR_LEN && plen <= SG_SSTP_MAX_PACKET);
			CHECK((size_t) (((pkt[2] << 8) | pkt[3]) & 0x0fff) == plen);
			if (pkt[1] & SG_SSTP_FLAG_CONTROL) {
				struct sg_sstp_ctrl c;

				if (sg_sstp_ctrl_decode(pkt, plen, &c) == 0)
					check_reencode(pkt, plen, &c);
				else
					CHECK(c.err_status != 0 && c.err_reason != SG_SSTP_R_NONE);
			} else {
				const uint8_t *f;
				size_t flen;

				if (sg_sstp_data_decode(pkt, plen, &f, &flen) == 0) {
					CHECK(flen == plen - 4 && f == pkt + 4);
					(void) sg_sstp_ppp_protocol(f, flen);
				} else {
					CHECK(plen == SG_SSTP_HDR_LEN);
				}
			}
		}
	}
	return 0;
}
