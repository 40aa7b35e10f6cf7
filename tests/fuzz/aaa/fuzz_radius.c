/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: every decoder that sees bytes from the network. A datagram is
 * structure-checked, then parsed as a reply (attributes, Microsoft VSAs, MPPE keys, EAP
 * reassembly) and verified both as a reply and as a CoA/Disconnect request.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sg_aaa_codec.h"

static const uint8_t secret[] = "testing123";
static const uint8_t req_auth[16] = {0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
				     0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sg_aaa_result res;
	struct sg_aaa_attr_it it;
	const uint8_t *v;
	size_t len, vlen;
	uint8_t t;

	if (sg_aaa_radius_check(data, size, &len) != SG_AAA_DROP_NONE)
		return 0;
	sg_aaa_attr_it_init(&it, data, len);
	while (sg_aaa_attr_next(&it, &t, &v, &vlen)) {
		struct sg_aaa_attr_it vi;
		const uint8_t *sv;
		size_t svlen;
		uint8_t st;

		if (t != SG_RADIUS_VENDOR_SPECIFIC)
			continue;
		sg_aaa_vsa_it_init(&vi, v, vlen, SG_RADIUS_VENDOR_MICROSOFT);
		while (sg_aaa_attr_next(&vi, &st, &sv, &svlen))
			if (sv + svlen > data + len)
				__builtin_trap();
	}
	(void) sg_aaa_radius_reply_parse(data, len, req_auth, secret, sizeof(secret) - 1, &res);
	if (res.eap_len > sizeof(res.eap) || res.state_len > sizeof(res.state) ||
	    res.class_len > sizeof(res.class_))
		__builtin_trap();
	(void) sg_aaa_radius_verify_reply(data, len, req_auth, secret, sizeof(secret) - 1, true);
	(void) sg_aaa_radius_verify_request(data, len, secret, sizeof(secret) - 1, false);
	return 0;
}
