/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's IPv4 forwarding checks (app/sstpgw/fwd4.c): hostile headers refused,
 * TTL expiry and incremental checksum, MSS clamping only of well-formed SYNs with a
 * checksum that still verifies, ICMP fragmentation-needed built correctly, echo replies
 * only to well-formed echo requests.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_fwd4.h"
#include "sg_net.h"

static void ip_header(uint8_t *p, size_t total, uint8_t proto)
{
	uint16_t v;

	memset(p, 0, 20);
	p[0] = 0x45;
	v = htons((uint16_t) total);
	memcpy(p + 2, &v, 2);
	p[6] = 0x40; /* DF */
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, "\xcb\x00\x71\x05", 4); /* 203.0.113.5 */
	memcpy(p + 16, "\xc6\x33\x64\x02", 4); /* 198.51.100.2 */
	v = sg_net_ipv4_cksum((const struct sg_net_ipv4_hdr *) p);
	memcpy(p + 10, &v, 2);
}

static uint16_t tcp_cksum(const uint8_t *ip, size_t len)
{
	uint8_t buf[1600];
	size_t l4 = len - 20;

	memcpy(buf, ip + 12, 8);
	buf[8] = 0;
	buf[9] = 6;
	buf[10] = (uint8_t) (l4 >> 8);
	buf[11] = (uint8_t) l4;
	memcpy(buf + 12, ip + 20, l4);
	return (uint16_t) ~sg_net_cksum_raw(buf, 12 + l4);
}

/* A SYN with options: MSS mss, NOP, NOP, SACK-permitted; checksum valid. */
static size_t syn(uint8_t *p, uint16_t mss, uint8_t flags)
{
	uint8_t *t = p + 20;
	uint16_t v;

	ip_header(p, 48, 6);
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
	v = tcp_cksum(p, 48); /* a field value: stored as computed (RFC 1071) */
	memcpy(t + 16, &v, 2);
	return 48;
}

static void hostile_headers_are_refused(void **state)
{
	uint8_t p[64];
	struct {
		const char *what;
		size_t off;
		uint8_t val;
		size_t len;
	} table[] = {
	    {"IPv6 version", 0, 0x65, 40},  {"ihl 4", 0, 0x44, 40},
	    {"ihl past len", 0, 0x4f, 40},  {"total_len > len", 2, 0x01, 40},
	    {"total_len < ihl", 3, 10, 40}, {"truncated header", 0, 0x45, 19},
	    {"empty", 0, 0x45, 0},
	};
	(void) state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ip_header(p, 40, 17);
		p[table[i].off] = table[i].val;
		if (table[i].off == 3)
			p[2] = 0;
		assert_int_equal(sg_fwd4_check(p, table[i].len), -EINVAL);
	}
	ip_header(p, 40, 17);
	assert_int_equal(sg_fwd4_check(p, 40), 0);
	assert_int_equal(sg_fwd4_check(p, 64), 0); /* Ethernet padding after total_len */
}

static void ttl_expires_and_checksum_stays_valid(void **state)
{
	uint8_t p[40];
	(void) state;

	ip_header(p, 40, 17);
	assert_int_equal(sg_fwd4_ttl(p), 0);
	assert_int_equal(p[8], 63);
	assert_int_equal(sg_net_cksum_raw(p, 20), 0xffff);
	p[8] = 1;
	assert_int_equal(sg_fwd4_ttl(p), -ETIMEDOUT);
	p[8] = 0;
	assert_int_equal(sg_fwd4_ttl(p), -ETIMEDOUT);
}

static void syn_mss_is_clamped_with_a_valid_checksum(void **state)
{
	uint8_t p[64];
	size_t n = syn(p, 1460, 0x02);
	uint16_t ck;
	(void) state;

	assert_true(sg_fwd4_mss_clamp(p, n, 1360));
	assert_int_equal(p[20 + 22] << 8 | p[20 + 23], 1360);
	memcpy(&ck, p + 20 + 16, 2);
	p[20 + 16] = p[20 + 17] = 0;
	assert_int_equal(ck, tcp_cksum(p, n));
	/* already small enough, SYN-ACK too, not a SYN */
	n = syn(p, 1200, 0x02);
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x12);
	assert_true(sg_fwd4_mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x10);
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
}

static void malformed_tcp_options_are_left_alone(void **state)
{
	uint8_t p[64], before[64];
	size_t n;
	(void) state;

	n = syn(p, 1460, 0x02);
	p[20 + 21] = 0; /* option length 0 */
	memcpy(before, p, n);
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
	assert_memory_equal(p, before, n);
	n = syn(p, 1460, 0x02);
	p[20 + 20] = 3;	 /* window scale first ... */
	p[20 + 21] = 30; /* ... running past the header */
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x02);
	p[20 + 12] = 15 << 4; /* data offset past the packet */
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x02);
	p[6] = 0x20; /* a later fragment: no TCP header here */
	p[7] = 0x01;
	assert_false(sg_fwd4_mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x02);
	assert_false(sg_fwd4_mss_clamp(p, 30, 1360)); /* truncated TCP header */
}

static void icmp_too_big_quotes_the_packet(void **state)
{
	uint8_t p[1500], orig[28];
	const uint8_t gw[4] = {198, 51, 100, 1};
	uint16_t mtu;
	int n;
	(void) state;

	ip_header(p, 1500, 6);
	memcpy(orig, p, sizeof(orig));
	n = sg_fwd4_icmp_too_big(p, 1500, sizeof(p), gw, 1400);
	assert_int_equal(n, 20 + 8 + 28);
	assert_int_equal(sg_fwd4_check(p, (size_t) n), 0);
	assert_int_equal(sg_net_cksum_raw(p, 20), 0xffff);
	assert_memory_equal(p + 12, gw, 4);
	assert_memory_equal(p + 16, orig + 12, 4); /* back to the sender */
	assert_int_equal(p[20], 3);
	assert_int_equal(p[21], 4);
	memcpy(&mtu, p + 26, 2);
	assert_int_equal(ntohs(mtu), 1400);
	assert_memory_equal(p + 28, orig, 28);
	assert_int_equal(sg_net_cksum_raw(p + 20, 36), 0xffff);
	/* too short to quote 8 bytes, malformed, no room */
	ip_header(p, 24, 6);
	assert_int_equal(sg_fwd4_icmp_too_big(p, 24, sizeof(p), gw, 1400), -EINVAL);
	p[0] = 0x65;
	assert_int_equal(sg_fwd4_icmp_too_big(p, 100, sizeof(p), gw, 1400), -EINVAL);
	ip_header(p, 100, 6);
	assert_int_equal(sg_fwd4_icmp_too_big(p, 100, 40, gw, 1400), -EINVAL);
}

/* An echo request from 203.0.113.5 to 198.51.100.2 with n payload bytes, checksums valid. */
static size_t echo_request(uint8_t *p, size_t n)
{
	uint16_t v;

	ip_header(p, 28 + n, 1);
	memset(p + 20, 0, 8);
	p[20] = 8;
	p[24] = 0x12;
	p[27] = 7;
	for (size_t i = 0; i < n; i++)
		p[28 + i] = (uint8_t) (i * 7);
	v = (uint16_t) ~sg_net_cksum_raw(p + 20, 8 + n);
	memcpy(p + 22, &v, 2);
	return 28 + n;
}

static void echo_reply_answers_only_echo_requests(void **state)
{
	uint8_t p[200], req[200];
	size_t n = echo_request(p, 57);
	(void) state;

	memcpy(req, p, n);
	assert_int_equal(sg_fwd4_echo_reply(p, n), (int) n);
	assert_int_equal(sg_fwd4_check(p, n), 0);
	assert_int_equal(sg_net_cksum_raw(p, 20), 0xffff);
	assert_int_equal(sg_net_cksum_raw(p + 20, n - 20), 0xffff);
	assert_memory_equal(p + 12, req + 16, 4);
	assert_memory_equal(p + 16, req + 12, 4);
	assert_int_equal(p[20], 0);
	assert_memory_equal(p + 24, req + 24, n - 24); /* id, sequence, payload */
	/* a reply is not answered again; nor anything hostile */
	assert_int_equal(sg_fwd4_echo_reply(p, n), -EINVAL);
	n = echo_request(p, 8);
	p[22] ^= 1; /* bad ICMP checksum */
	assert_int_equal(sg_fwd4_echo_reply(p, n), -EINVAL);
	n = echo_request(p, 8);
	p[6] = 0x20; /* a fragment (MF) */
	assert_int_equal(sg_fwd4_echo_reply(p, n), -EINVAL);
	n = echo_request(p, 0);
	ip_header(p, 24, 1); /* ICMP of 4 bytes */
	assert_int_equal(sg_fwd4_echo_reply(p, 24), -EINVAL);
	n = echo_request(p, 8);
	p[9] = 17; /* UDP */
	assert_int_equal(sg_fwd4_echo_reply(p, n), -EINVAL);
	n = echo_request(p, 8);
	assert_int_equal(sg_fwd4_echo_reply(p, n - 1), -EINVAL); /* total length beyond len */
	p[0] = 0x46; /* options */
	assert_int_equal(sg_fwd4_echo_reply(p, n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hostile_headers_are_refused),
	    cmocka_unit_test(ttl_expires_and_checksum_stays_valid),
	    cmocka_unit_test(syn_mss_is_clamped_with_a_valid_checksum),
	    cmocka_unit_test(malformed_tcp_options_are_left_alone),
	    cmocka_unit_test(icmp_too_big_quotes_the_packet),
	    cmocka_unit_test(echo_reply_answers_only_echo_requests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
