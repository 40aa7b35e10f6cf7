/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's IPv6 forwarding checks and builders (app/sstpgw/fwd6.c): hostile headers
 * refused, hop limit expiry, MSS clamping only of well-formed SYNs with a checksum that
 * still verifies, ICMPv6 errors (packet too big, time exceeded) built correctly and never
 * about errors or to multicast/unspecified sources, echo replies, the anti-spoofing
 * classes, router advertisements a Linux client accepts for SLAAC, proxy NAs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_fwd6.h"
#include "sg_net.h"

static const uint8_t client[16] = {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0x05, 0, 0, 0, 0,
				   0, 0, 0, 0x42};
static const uint8_t server[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x02, [15] = 2};
static const uint8_t gw_lan[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x02, [15] = 1};
static const uint8_t prefix[16] = {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0x05};

static void ip6(uint8_t *p, size_t plen, uint8_t nh, const uint8_t *src, const uint8_t *dst)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = (uint8_t) (plen >> 8);
	p[5] = (uint8_t) plen;
	p[6] = nh;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

static void l4_sum(uint8_t *p, size_t off_ck)
{
	size_t plen = (size_t) (p[4] << 8 | p[5]);
	uint16_t ck;

	p[40 + off_ck] = p[40 + off_ck + 1] = 0;
	ck = sg_net_ipv6_l4_cksum(p + 8, p + 24, p[6], p + 40, plen);
	memcpy(p + 40 + off_ck, &ck, 2);
}

static bool l4_ok(const uint8_t *p)
{
	return sg_net_ipv6_l4_cksum_ok(p + 8, p + 24, p[6], p + 40, (size_t) (p[4] << 8 | p[5]));
}

/* A SYN with options: MSS mss, NOP, NOP, SACK-permitted; checksum valid. */
static size_t syn(uint8_t *p, uint16_t mss, uint8_t flags)
{
	uint8_t *t = p + 40;

	ip6(p, 28, 6, client, server);
	memset(t, 0, 28);
	t[1] = 80;
	t[3] = 90;
	t[12] = 7 << 4;
	t[13] = flags;
	t[14] = 0xff;
	t[20] = 2;
	t[21] = 4;
	t[22] = (uint8_t) (mss >> 8);
	t[23] = (uint8_t) mss;
	t[24] = 1;
	t[25] = 1;
	t[26] = 4;
	t[27] = 2;
	l4_sum(p, 16);
	return 68;
}

static size_t echo(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t type)
{
	ip6(p, 16, 58, src, dst);
	memset(p + 40, 0, 16);
	p[40] = type;
	p[44] = 0x12;
	p[47] = 7;
	memcpy(p + 48, "payload!", 8);
	l4_sum(p, 2);
	return 56;
}

static void hostile_headers_are_refused(void **state)
{
	uint8_t p[128];
	(void) state;

	ip6(p, 16, 58, client, server);
	assert_int_equal(sg_fwd6_check(p, 56), 56);
	assert_int_equal(sg_fwd6_check(p, 100), 56); /* link padding is not part of it */
	assert_int_equal(sg_fwd6_check(p, 55), -EINVAL); /* payload length lies */
	assert_int_equal(sg_fwd6_check(p, 39), -EINVAL); /* shorter than the header */
	assert_int_equal(sg_fwd6_check(p, 0), -EINVAL);
	p[0] = 0x45;
	assert_int_equal(sg_fwd6_check(p, 56), -EINVAL); /* IPv4 */
	ip6(p, 0xffff, 58, client, server);
	assert_int_equal(sg_fwd6_check(p, sizeof(p)), -EINVAL);
}

static void hop_limit_expires(void **state)
{
	uint8_t p[40];
	(void) state;

	ip6(p, 0, 59, client, server);
	assert_int_equal(sg_fwd6_hop_limit(p), 0);
	assert_int_equal(p[7], 63);
	p[7] = 1;
	assert_int_equal(sg_fwd6_hop_limit(p), -ETIMEDOUT);
	assert_int_equal(p[7], 1);
	p[7] = 0;
	assert_int_equal(sg_fwd6_hop_limit(p), -ETIMEDOUT);
}

static void mss_clamp_keeps_the_checksum(void **state)
{
	uint8_t p[128];
	size_t n;
	(void) state;

	n = syn(p, 1460, 0x02);
	assert_true(sg_fwd6_mss_clamp(p, n, 1340));
	assert_int_equal(p[62] << 8 | p[63], 1340);
	assert_true(l4_ok(p));
	n = syn(p, 1460, 0x12); /* SYN-ACK from the LAN side */
	assert_true(sg_fwd6_mss_clamp(p, n, 1340));
	assert_true(l4_ok(p));
	n = syn(p, 1200, 0x02); /* already small enough */
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
	n = syn(p, 1460, 0x10); /* not a SYN */
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
}

static void mss_clamp_leaves_malformed_alone(void **state)
{
	uint8_t p[128], before[128];
	size_t n;
	(void) state;

	n = syn(p, 1460, 0x02);
	p[40 + 21] = 0; /* option length 0 */
	memcpy(before, p, n);
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
	assert_memory_equal(p, before, n);
	n = syn(p, 1460, 0x02);
	p[40 + 20] = 3;	 /* window scale first ... */
	p[40 + 21] = 30; /* ... running past the header */
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
	n = syn(p, 1460, 0x02);
	p[40 + 12] = 15 << 4; /* data offset past the packet */
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
	n = syn(p, 1460, 0x02);
	p[6] = 0; /* hop-by-hop options first: not walked */
	assert_false(sg_fwd6_mss_clamp(p, n, 1340));
	n = syn(p, 1460, 0x02);
	assert_false(sg_fwd6_mss_clamp(p, 50, 1340)); /* truncated TCP header */
}

static void packet_too_big_quotes_within_1280(void **state)
{
	uint8_t p[1600], orig[1500];
	int n;
	(void) state;

	ip6(p, 1460, 17, server, client);
	memset(p + 40, 0xab, 1460);
	memcpy(orig, p, 1500);
	n = sg_fwd6_icmp_error(p, 1500, sizeof(p), gw_lan, SG_FWD6_ICMP_TOO_BIG, 0, 1400);
	assert_int_equal(n, 1280);
	assert_int_equal(sg_fwd6_check(p, (size_t) n), 1280);
	assert_int_equal(p[6], 58);
	assert_memory_equal(p + 8, gw_lan, 16);
	assert_memory_equal(p + 24, server, 16); /* back to the sender */
	assert_int_equal(p[40], 2);
	assert_int_equal(p[41], 0);
	assert_int_equal(p[44] << 24 | p[45] << 16 | p[46] << 8 | p[47], 1400);
	assert_memory_equal(p + 48, orig, 1280 - 48);
	assert_true(l4_ok(p));
	/* a small packet is quoted whole: time exceeded */
	n = (int) echo(p, server, client, 128);
	memcpy(orig, p, 56);
	n = sg_fwd6_icmp_error(p, 56, sizeof(p), gw_lan, SG_FWD6_ICMP_TIME_EXCEED, 0, 0);
	assert_int_equal(n, 40 + 8 + 56);
	assert_int_equal(p[40], 3);
	assert_memory_equal(p + 48, orig, 56);
	assert_true(l4_ok(p));
}

static void icmp_errors_refused(void **state)
{
	static const uint8_t mcast[16] = {0xff, 0x02, [15] = 1}, zero[16];
	uint8_t p[256];
	(void) state;

	echo(p, server, client, 1); /* an ICMPv6 error (destination unreachable) */
	assert_int_equal(sg_fwd6_icmp_error(p, 56, sizeof(p), gw_lan, 2, 0, 1280), -EINVAL);
	echo(p, mcast, client, 128);
	assert_int_equal(sg_fwd6_icmp_error(p, 56, sizeof(p), gw_lan, 3, 0, 0), -EINVAL);
	echo(p, zero, client, 128);
	assert_int_equal(sg_fwd6_icmp_error(p, 56, sizeof(p), gw_lan, 3, 0, 0), -EINVAL);
	echo(p, server, client, 128);
	assert_int_equal(sg_fwd6_icmp_error(p, 39, sizeof(p), gw_lan, 3, 0, 0), -EINVAL);
	assert_int_equal(sg_fwd6_icmp_error(p, 56, 100, gw_lan, 3, 0, 0), -EINVAL); /* no room */
	p[0] = 0x45;
	assert_int_equal(sg_fwd6_icmp_error(p, 56, sizeof(p), gw_lan, 3, 0, 0), -EINVAL);
	ip6(p, 1, 58, server, client); /* ICMPv6 without a type byte in the buffer */
	assert_int_equal(sg_fwd6_icmp_error(p, 40, sizeof(p), gw_lan, 3, 0, 0), -EINVAL);
}

static void echo_reply_from_us(void **state)
{
	uint8_t p[128];
	size_t n;
	(void) state;

	n = echo(p, client, gw_lan, 128);
	assert_int_equal(sg_fwd6_echo_reply(p, n, gw_lan), 56);
	assert_int_equal(p[40], 129);
	assert_memory_equal(p + 8, gw_lan, 16);
	assert_memory_equal(p + 24, client, 16);
	assert_memory_equal(p + 48, "payload!", 8);
	assert_true(l4_ok(p));
	n = echo(p, client, gw_lan, 128);
	p[50] ^= 1; /* bad checksum */
	assert_int_equal(sg_fwd6_echo_reply(p, n, gw_lan), -EINVAL);
	n = echo(p, client, gw_lan, 129); /* a reply is not answered */
	assert_int_equal(sg_fwd6_echo_reply(p, n, gw_lan), -EINVAL);
	n = echo(p, client, gw_lan, 128);
	assert_int_equal(sg_fwd6_echo_reply(p, 47, gw_lan), -EINVAL);
	p[6] = 17;
	assert_int_equal(sg_fwd6_echo_reply(p, n, gw_lan), -EINVAL);
}

static void anti_spoof_classes(void **state)
{
	static const uint8_t ll[16] = {0xfe, 0x80, [8] = 0x11, [15] = 0x22},
			     all_routers[16] = {0xff, 0x02, [15] = 2},
			     mld[16] = {0xff, 0x02, [15] = 0x16},
			     global_mc[16] = {0xff, 0x0e, [15] = 1}, zero[16],
			     other[16] = {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0x06, [15] = 1};
	uint8_t p[128];
	size_t n;
	(void) state;

	n = echo(p, client, server, 128);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_FORWARD);
	n = echo(p, other, server, 128); /* the neighbouring /64 */
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_SPOOFED);
	n = echo(p, client, server, 128);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 0), SG_FWD6_SPOOFED); /* no prefix */
	n = echo(p, ll, server, 128); /* a link-local source never leaves the link */
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_SPOOFED);
	n = echo(p, client, global_mc, 128);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_BAD_DST);
	n = echo(p, client, zero, 128);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_BAD_DST);
	n = echo(p, ll, mld, 143);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_LINK);
	n = echo(p, ll, ll, 128);
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_LINK);
	/* router solicitations: hop limit 255, valid checksum, from ll or :: */
	n = echo(p, ll, all_routers, 133);
	p[7] = 255;
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_RS);
	n = echo(p, zero, all_routers, 133);
	p[7] = 255;
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_RS);
	n = echo(p, ll, all_routers, 133); /* hop limit 64: forged from afar */
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_LINK);
	n = echo(p, ll, all_routers, 133);
	p[7] = 255;
	p[50] ^= 1;
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_LINK);
	n = echo(p, other, all_routers, 133);
	p[7] = 255;
	assert_int_equal(sg_fwd6_classify(p, n, prefix, 64), SG_FWD6_SPOOFED);
}

static void router_advertisement_for_slaac(void **state)
{
	struct sg_fwd6_ra ra;
	uint8_t p[256];
	int n;
	(void) state;

	memset(&ra, 0, sizeof(ra));
	sg_fwd6_link_local(0x0123456789abcdefULL, ra.src);
	ra.dst[0] = 0xff;
	ra.dst[1] = 0x02;
	ra.dst[15] = 1;
	memcpy(ra.prefix, client, 16); /* host bits must not show */
	ra.prefix_len = 64;
	ra.valid_lifetime = 86400;
	ra.preferred_lifetime = 14400;
	ra.router_lifetime = 1800;
	n = sg_fwd6_ra_build(&ra, p, sizeof(p));
	assert_int_equal(n, 40 + 16 + 32);
	assert_int_equal(sg_fwd6_check(p, (size_t) n), n);
	assert_int_equal(p[7], 255);
	assert_int_equal(p[8], 0xfe);
	assert_int_equal(p[9], 0x80);
	assert_int_equal(p[16], 0x01);
	assert_int_equal(p[23], 0xef);
	assert_int_equal(p[40], 134);
	assert_int_equal(p[41], 0);
	assert_int_equal(p[44], 64);
	assert_int_equal(p[45], 0); /* M = O = 0 */
	assert_int_equal(p[46] << 8 | p[47], 1800);
	assert_int_equal(p[56], 3);
	assert_int_equal(p[57], 4);
	assert_int_equal(p[58], 64);
	assert_int_equal(p[59], 0xc0); /* L and A */
	assert_int_equal(p[60] << 24 | p[61] << 16 | p[62] << 8 | p[63], 86400);
	assert_int_equal(p[64] << 24 | p[65] << 16 | p[66] << 8 | p[67], 14400);
	assert_memory_equal(p + 72, prefix, 16);
	assert_true(l4_ok(p));
	/* MTU and two DNS servers */
	ra.mtu = 1400;
	ra.n_dns = 2;
	memcpy(ra.dns[0], server, 16);
	memcpy(ra.dns[1], gw_lan, 16);
	ra.dns_lifetime = 1200;
	n = sg_fwd6_ra_build(&ra, p, sizeof(p));
	assert_int_equal(n, 40 + 16 + 32 + 8 + 40);
	assert_int_equal(p[88], 5);
	assert_int_equal(p[89], 1);
	assert_int_equal(p[94] << 8 | p[95], 1400);
	assert_int_equal(p[96], 25);
	assert_int_equal(p[97], 5);
	assert_memory_equal(p + 104, server, 16);
	assert_memory_equal(p + 120, gw_lan, 16);
	assert_true(l4_ok(p));
	assert_int_equal(sg_fwd6_ra_build(&ra, p, 100), -ENOSPC);
	ra.prefix_len = 129;
	assert_int_equal(sg_fwd6_ra_build(&ra, p, sizeof(p)), -ENOSPC);
}

static size_t ns(uint8_t *p, const uint8_t *src, const uint8_t *target)
{
	static const uint8_t snm[16] = {0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 0x42};

	ip6(p, 32, 58, src, snm);
	p[7] = 255;
	memset(p + 40, 0, 32);
	p[40] = 135;
	memcpy(p + 48, target, 16);
	p[64] = 1; /* source link-layer option */
	p[65] = 1;
	memcpy(p + 66, "\x02\x00\x00\x00\x00\x02", 6);
	l4_sum(p, 2);
	return 72;
}

static void proxy_neighbour_advertisement(void **state)
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1}, zero[16],
			     all_nodes[16] = {0xff, 0x02, [15] = 1};
	uint8_t p[128];
	size_t n;
	(void) state;

	n = ns(p, server, client);
	assert_ptr_equal(sg_fwd6_ns_target(p, n), p + 48);
	assert_int_equal(sg_fwd6_proxy_na(p, n, sizeof(p), gw_lan, mac), 72);
	assert_int_equal(p[40], 136);
	assert_int_equal(p[44], 0xc0); /* router, solicited, not override */
	assert_memory_equal(p + 8, gw_lan, 16);
	assert_memory_equal(p + 24, server, 16);
	assert_memory_equal(p + 48, client, 16);
	assert_int_equal(p[64], 2);
	assert_memory_equal(p + 66, mac, 6);
	assert_int_equal(p[7], 255);
	assert_true(l4_ok(p));
	n = ns(p, zero, client); /* DAD: to all nodes, not solicited */
	assert_int_equal(sg_fwd6_proxy_na(p, n, sizeof(p), gw_lan, mac), 72);
	assert_memory_equal(p + 24, all_nodes, 16);
	assert_int_equal(p[44], 0x80);
	/* hostile: hop limit, bad checksum, multicast target, short, not an NS */
	n = ns(p, server, client);
	p[7] = 64;
	assert_null(sg_fwd6_ns_target(p, n));
	assert_int_equal(sg_fwd6_proxy_na(p, n, sizeof(p), gw_lan, mac), -EINVAL);
	n = ns(p, server, client);
	p[60] ^= 1;
	assert_int_equal(sg_fwd6_proxy_na(p, n, sizeof(p), gw_lan, mac), -EINVAL);
	n = ns(p, server, all_nodes);
	assert_null(sg_fwd6_ns_target(p, n));
	n = ns(p, server, client);
	assert_null(sg_fwd6_ns_target(p, 60));
	p[40] = 136;
	assert_null(sg_fwd6_ns_target(p, n));
}

static void prefix_match(void **state)
{
	uint8_t a[16];
	(void) state;

	assert_true(sg_fwd6_in_prefix(client, prefix, 64));
	assert_true(sg_fwd6_in_prefix(client, prefix, 0));
	assert_false(sg_fwd6_in_prefix(server, prefix, 64));
	memcpy(a, prefix, 16);
	a[7] ^= 1; /* the last bit of a /64 */
	assert_false(sg_fwd6_in_prefix(a, prefix, 64));
	assert_true(sg_fwd6_in_prefix(a, prefix, 63));
	assert_false(sg_fwd6_in_prefix(a, prefix, 129));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hostile_headers_are_refused),
	    cmocka_unit_test(hop_limit_expires),
	    cmocka_unit_test(mss_clamp_keeps_the_checksum),
	    cmocka_unit_test(mss_clamp_leaves_malformed_alone),
	    cmocka_unit_test(packet_too_big_quotes_within_1280),
	    cmocka_unit_test(icmp_errors_refused),
	    cmocka_unit_test(echo_reply_from_us),
	    cmocka_unit_test(anti_spoof_classes),
	    cmocka_unit_test(router_advertisement_for_slaac),
	    cmocka_unit_test(proxy_neighbour_advertisement),
	    cmocka_unit_test(prefix_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
