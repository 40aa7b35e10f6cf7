/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drivers/sg_port_cksum.h: software checksums when the port reports no
 * offload (checked against an independent reference), offload flags and the
 * pseudo-header sum when it does, and the RX status mapping. Uses a hand-made
 * mbuf: no EAL needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net_frames.h"
#include "sg_port_cksum.h"

static uint8_t storage[2048];
static struct rte_mbuf mb;

static uint8_t *mbuf_with(size_t len)
{
	memset(&mb, 0, sizeof(mb));
	memset(storage, 0, sizeof(storage));
	mb.buf_addr = storage;
	mb.buf_len = sizeof(storage);
	mb.data_off = RTE_PKTMBUF_HEADROOM;
	mb.data_len = (uint16_t) len;
	mb.pkt_len = (uint32_t) len;
	mb.nb_segs = 1;
	return storage + RTE_PKTMBUF_HEADROOM;
}

/* Ethernet + IPv4 + TCP (20) + payload; checksums left as garbage. */
static size_t build_tcp4(uint8_t *f, size_t payload)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	size_t tot = 20 + 20 + payload, i;
	put_eth(f, PEER_MAC, GW_MAC, SG_NET_ETHERTYPE_IPV4);
	ip[0] = 0x45;
	ip[2] = (uint8_t) (tot >> 8);
	ip[3] = (uint8_t) tot;
	ip[8] = 64;
	ip[9] = SG_NET_PROTO_TCP;
	ip[10] = 0xde;
	ip[11] = 0xad;
	memcpy(ip + 12, GW_IP4, 4);
	memcpy(ip + 16, PEER_IP4, 4);
	tcp[0] = 0x01;
	tcp[1] = 0xbb;
	tcp[12] = 0x50;
	tcp[13] = 0x18;
	tcp[16] = 0xbe;
	tcp[17] = 0xef;
	for (i = 0; i < payload; i++)
		tcp[20 + i] = (uint8_t) (i * 13);
	return 14 + tot;
}

static uint16_t ref_pseudo4(const uint8_t *ip, size_t l4_len, uint8_t proto)
{
	uint8_t ph[12];
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t) (l4_len >> 8);
	ph[11] = (uint8_t) l4_len;
	return ref_sum(0, ph, 12);
}

static void software_ipv4_tcp_checksums_when_no_offload(void **state)
{
	struct sg_port_caps none = {0};
	uint8_t *f = mbuf_with(0);
	size_t n = build_tcp4(f, 33);
	uint8_t *ip = f + 14;
	(void) state;
	mbuf_with(n);
	n = build_tcp4(f, 33);
	assert_int_equal(sg_port_tx_cksum(&none, &mb, 14, 20), 0);
	assert_int_equal(ref_sum(0, ip, 20), 0xffff);
	assert_int_equal(ref_sum(ref_pseudo4(ip, 53, SG_NET_PROTO_TCP), ip + 20, 53), 0xffff);
	assert_int_equal(mb.ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);
}

static void offload_flags_and_pseudo_sum_when_the_port_can(void **state)
{
	struct sg_port_caps all = {
	    .tx_ipv4_cksum = true, .tx_tcp_cksum = true, .tx_udp_cksum = true};
	uint8_t *f = mbuf_with(0);
	size_t n;
	uint8_t *ip = f + 14;
	uint16_t field;
	(void) state;
	n = build_tcp4(f, 10);
	mbuf_with(n);
	n = build_tcp4(f, 10);
	assert_int_equal(sg_port_tx_cksum(&all, &mb, 14, 20), 0);
	assert_true(mb.ol_flags & RTE_MBUF_F_TX_IPV4);
	assert_true(mb.ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
	assert_int_equal(mb.ol_flags & RTE_MBUF_F_TX_L4_MASK, RTE_MBUF_F_TX_TCP_CKSUM);
	assert_int_equal(mb.l2_len, 14);
	assert_int_equal(mb.l3_len, 20);
	assert_int_equal(ip[10] | ip[11], 0); /* the port fills it */
	field = (uint16_t) (ip[20 + 16] << 8 | ip[20 + 17]);
	assert_int_equal(field, ref_pseudo4(ip, 30, SG_NET_PROTO_TCP));
	/* Only the IPv4 header offloaded: TCP done here. */
	{
		struct sg_port_caps ip_only = {.tx_ipv4_cksum = true};
		n = build_tcp4(f, 10);
		assert_int_equal(sg_port_tx_cksum(&ip_only, &mb, 14, 20), 0);
		assert_int_equal(mb.ol_flags & RTE_MBUF_F_TX_L4_MASK, 0);
		assert_true(mb.ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
		assert_int_equal(ref_sum(ref_pseudo4(ip, 30, SG_NET_PROTO_TCP), ip + 20, 30),
				 0xffff);
	}
}

static void software_ipv6_udp_checksum(void **state)
{
	struct sg_port_caps none = {0};
	uint8_t *f = mbuf_with(14 + 40 + 8 + 5);
	uint8_t *ip6 = f + 14, *udp = ip6 + 40, ph[40];
	(void) state;
	put_eth(f, PEER_MAC, GW_MAC, SG_NET_ETHERTYPE_IPV6);
	ip6[0] = 0x60;
	ip6[5] = 13;
	ip6[6] = SG_NET_PROTO_UDP;
	ip6[7] = 64;
	memcpy(ip6 + 8, GW_IP6, 16);
	memcpy(ip6 + 24, PEER_IP6, 16);
	udp[1] = 53;
	udp[3] = 99;
	udp[5] = 13;
	memcpy(udp + 8, "hello", 5);
	assert_int_equal(sg_port_tx_cksum(&none, &mb, 14, 40), 0);
	memcpy(ph, ip6 + 8, 32);
	memset(ph + 32, 0, 8);
	ph[35] = 13;
	ph[39] = SG_NET_PROTO_UDP;
	assert_int_equal(ref_sum(ref_sum(0, ph, 40), udp, 13), 0xffff);
	assert_int_not_equal(udp[6] | udp[7], 0);
}

static void non_ip_and_short_packets_are_refused(void **state)
{
	struct sg_port_caps none = {0};
	uint8_t *f = mbuf_with(60);
	(void) state;
	f[14] = 0x55;
	assert_int_equal(sg_port_tx_cksum(&none, &mb, 14, 20), -EINVAL);
	mbuf_with(30);
	assert_int_equal(sg_port_tx_cksum(&none, &mb, 14, 20), -EINVAL);
	f = mbuf_with(14 + 20 + 10); /* TCP header does not fit */
	build_tcp4(f, 0);
	assert_int_equal(sg_port_tx_cksum(&none, &mb, 14, 20), -EINVAL);
}

static void rx_status_follows_flags_only_when_the_port_checks(void **state)
{
	struct sg_port_caps none = {0}, all = {.rx_ipv4_cksum = true, .rx_l4_cksum = true};
	(void) state;
	mbuf_with(60);
	mb.ol_flags = RTE_MBUF_F_RX_IP_CKSUM_BAD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	assert_int_equal(sg_port_rx_ip_cksum(&none, &mb), SG_PORT_CKSUM_UNKNOWN);
	assert_int_equal(sg_port_rx_l4_cksum(&none, &mb), SG_PORT_CKSUM_UNKNOWN);
	assert_int_equal(sg_port_rx_ip_cksum(&all, &mb), SG_PORT_CKSUM_BAD);
	assert_int_equal(sg_port_rx_l4_cksum(&all, &mb), SG_PORT_CKSUM_GOOD);
	mb.ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_BAD;
	assert_int_equal(sg_port_rx_ip_cksum(&all, &mb), SG_PORT_CKSUM_GOOD);
	assert_int_equal(sg_port_rx_l4_cksum(&all, &mb), SG_PORT_CKSUM_BAD);
	mb.ol_flags = RTE_MBUF_F_RX_IP_CKSUM_NONE;
	assert_int_equal(sg_port_rx_ip_cksum(&all, &mb), SG_PORT_CKSUM_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(software_ipv4_tcp_checksums_when_no_offload),
	    cmocka_unit_test(offload_flags_and_pseudo_sum_when_the_port_can),
	    cmocka_unit_test(software_ipv6_udp_checksum),
	    cmocka_unit_test(non_ip_and_short_packets_are_refused),
	    cmocka_unit_test(rx_status_follows_flags_only_when_the_port_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
