/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's IPv6 checks and builders (app/sstpgw/fwd6.c) on arbitrary packets: no
 * access outside the buffer (exactly the bytes given plus the slack the first byte
 * asks for), no output longer than the room or than 1280 bytes for ICMPv6 errors, and
 * everything the gateway would send (echo replies, errors, proxy NAs, RAs) is a valid
 * IPv6 packet with a correct ICMPv6 checksum; an MSS clamp keeps a valid TCP checksum
 * valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_fwd6.h"
#include "sg_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static bool l4_ok(const uint8_t *p, size_t total)
{
	return sg_net_ipv6_l4_cksum_ok(p + 8, p + 24, p[6], p + 40, total - 40);
}

static void valid_icmp6(const uint8_t *p, int n, size_t cap)
{
	CHECK(n >= 48 && (size_t) n <= cap);
	CHECK(sg_fwd6_check(p, (size_t) n) == n);
	CHECK(p[6] == SG_NET_PROTO_ICMPV6);
	CHECK(l4_ok(p, (size_t) n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t self[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1};
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
	uint8_t prefix[16] = {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00};
	size_t len, cap;
	uint8_t *buf, *copy;
	int total, n;

	if (size < 2)
		return 0;
	len = size - 1;
	cap = len + (size_t) (data[0] & 0x7f) * 16;
	buf = malloc(cap);
	copy = malloc(cap);
	if (buf == NULL || copy == NULL)
		goto out;
	memcpy(buf, data + 1, len);
	total = sg_fwd6_check(buf, len);
	CHECK(total < 0 || (total >= 40 && (size_t) total <= len));
	if (total >= 40) {
		enum sg_fwd6_class c = sg_fwd6_classify(buf, (size_t) total, prefix, 64);
		CHECK(c >= SG_FWD6_FORWARD && c <= SG_FWD6_BAD_DST);
		if (buf[6] == SG_NET_PROTO_TCP && (size_t) total >= 60) {
			bool was_ok = l4_ok(buf, (size_t) total);
			memcpy(copy, buf, len);
			if (sg_fwd6_mss_clamp(copy, (size_t) total, 1340))
				CHECK(!was_ok || l4_ok(copy, (size_t) total));
		}
		memcpy(copy, buf, len);
		n = sg_fwd6_echo_reply(copy, (size_t) total, self);
		if (n >= 0) {
			valid_icmp6(copy, n, len);
			CHECK(copy[40] == SG_NET_ICMP6_ECHO_REPLY);
		}
		memcpy(copy, buf, len);
		n = sg_fwd6_proxy_na(copy, (size_t) total, cap, self, mac);
		if (n >= 0) {
			valid_icmp6(copy, n, cap);
			CHECK(n == 72 && copy[40] == SG_NET_ICMP6_NEIGH_ADVERT);
		}
	}
	memcpy(copy, buf, len);
	n = sg_fwd6_icmp_error(copy, len, cap, self, (uint8_t) (data[0] >> 7) + 2, 0, 1400);
	if (n >= 0) {
		valid_icmp6(copy, n, cap);
		CHECK(n <= SG_FWD6_MIN_MTU);
		CHECK(memcmp(copy + 48, data + 1, (size_t) n - 48) == 0); /* the quote */
	}
	if (len >= 60) { /* an RA from fuzzed fields */
		struct sg_fwd6_ra ra;
		memset(&ra, 0, sizeof(ra));
		memcpy(ra.src, buf, 16);
		memcpy(ra.dst, buf + 16, 16);
		memcpy(ra.prefix, buf + 32, 16);
		ra.prefix_len = buf[48];
		ra.mtu = (uint16_t) (buf[49] << 8 | buf[50]);
		ra.n_dns = buf[51];
		memcpy(ra.dns[0], buf + 40, 16);
		ra.router_lifetime = (uint16_t) (buf[52] << 8 | buf[53]);
		n = sg_fwd6_ra_build(&ra, copy, cap);
		if (n >= 0) {
			valid_icmp6(copy, n, cap);
			CHECK(copy[7] == 255 && copy[40] == SG_NET_ICMP6_ROUTER_ADVERT);
		}
	}
out:
	free(buf);
	free(copy);
	return 0;
}
