/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp's checksum over mbuf chains (tcp_cksum.h) equals the checksum of the same
 * bytes laid out flat, for every split of an IPv4 and an IPv6 segment into two or three
 * pieces (odd lengths included: DPDK 22.11's rte_ipv4_udptcp_cksum_mbuf gets those
 * wrong), and a segment that verifies stops verifying when one byte changes. The mbufs
 * are plain structs over static buffers: no EAL needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_cksum.h"

#define SEG_LEN 1500

static uint8_t flat[SEG_LEN], piece[3][SEG_LEN];

static void mbuf_over(struct rte_mbuf *m, uint8_t *buf, uint16_t len)
{
	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->data_off = 0;
	m->data_len = len;
	m->pkt_len = len;
	m->nb_segs = 1;
}

/* An IPv4 (family 4, 20-byte header) or IPv6 (40) TCP segment of n bytes, checksum 0. */
static void segment(uint8_t family, size_t n)
{
	size_t i, l3 = family == 4 ? 20 : 40;

	for (i = 0; i < n; i++)
		flat[i] = (uint8_t) (i * 131u + 7u);
	if (family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) flat;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t) n);
		ip->next_proto_id = IPPROTO_TCP;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) flat;
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t) (n - l3));
		ip->proto = IPPROTO_TCP;
	}
	flat[l3 + 16] = flat[l3 + 17] = 0;
}

/* The chain flat[0..a) -> [a..b) -> [b..n) (b == n: two pieces). */
static void chain(struct rte_mbuf m[3], size_t a, size_t b, size_t n)
{
	memcpy(piece[0], flat, a);
	memcpy(piece[1], flat + a, b - a);
	memcpy(piece[2], flat + b, n - b);
	mbuf_over(&m[0], piece[0], (uint16_t) a);
	mbuf_over(&m[1], piece[1], (uint16_t) (b - a));
	mbuf_over(&m[2], piece[2], (uint16_t) (n - b));
	m[0].next = &m[1];
	m[0].nb_segs = 2;
	if (b < n) {
		m[1].next = &m[2];
		m[0].nb_segs = 3;
	}
	m[0].pkt_len = (uint32_t) n;
}

static void chains_sum_like_flat(void **state)
{
	static const uint8_t families[2] = {4, 6};
	struct rte_mbuf f, m[3];
	size_t n = 1211, a, b;
	(void) state;

	for (int k = 0; k < 2; k++) {
		uint8_t fam = families[k];
		uint32_t l4 = fam == 4 ? 20 : 40;
		uint16_t want;

		segment(fam, n);
		mbuf_over(&f, flat, (uint16_t) n);
		want = tcp_cksum_mbuf(&f, flat, fam, l4);
		for (a = l4 + 20; a < n; a += 37) {
			chain(m, a, n, n);
			assert_int_equal(tcp_cksum_mbuf(m, piece[0], fam, l4), want);
			for (b = a + 1; b < n; b += 101) {
				chain(m, a, b, n);
				assert_int_equal(tcp_cksum_mbuf(m, piece[0], fam, l4), want);
			}
		}
		/* verification: the right value verifies (flat and chained), one flipped
		 * byte in the last piece does not */
		memcpy(flat + l4 + 16, &want, 2); /* stored as computed, like th->cksum */
		assert_true(tcp_cksum_mbuf_ok(&f, flat, fam, l4));
		chain(m, l4 + 21, l4 + 600, n);
		assert_true(tcp_cksum_mbuf_ok(m, piece[0], fam, l4));
		piece[2][5] ^= 0x40;
		assert_false(tcp_cksum_mbuf_ok(m, piece[0], fam, l4));
		assert_false(tcp_cksum_mbuf_ok(&f, flat, fam, (uint32_t) n + 1)); /* offset past the end */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(chains_sum_like_flat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
