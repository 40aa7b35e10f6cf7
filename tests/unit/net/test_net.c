/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net input: what the gateway answers (ARP, ICMP echo, ICMPv6 echo, NDP)
 * and a named drop for every hostile or foreign frame. Replies are checked
 * against an independent checksum implementation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net_frames.h"
#include "sg_net.h"
#include "sg_net_neigh.h"

static struct sg_net_iface ifc;
static struct sg_net_neigh_table *nt;
static uint8_t f[256];
static uint8_t orig[256];
static struct sg_net_result res;

static int setup(void **state)
{
	(void) state;
	assert_int_equal(sg_net_iface_init(&ifc, GW_MAC, GW_IP4, 24, GW_IP6, 64), 0);
	nt = sg_net_neigh_create(16, NULL);
	assert_non_null(nt);
	memset(f, 0, sizeof(f));
	return 0;
}

static int teardown(void **state)
{
	(void) state;
	sg_net_neigh_free(nt);
	nt = NULL;
	return 0;
}

static void run(size_t len)
{
	memcpy(orig, f, sizeof(f));
	sg_net_input(&ifc, nt, 1000, f, len, sizeof(f), &res);
}

static void expect_drop(size_t len, enum sg_net_drop why)
{
	run(len);
	assert_int_equal(res.action, SG_NET_ACT_DROP);
	assert_string_equal(sg_net_drop_name(res.drop), sg_net_drop_name(why));
	/* A dropped frame is left exactly as it came. */
	assert_memory_equal(f, orig, sizeof(f));
}

/* --- identity --- */

static void iface_derives_link_local_and_rejects_bad_identity(void **state)
{
	static const uint8_t ll[16] = {0xfe, 0x80, 0, 0,    0,	  0, 0, 0,
				       0x00, 0,	   0, 0xff, 0xfe, 0, 0, 1};
	static const uint8_t mcast_mac[6] = {0x01, 0, 0x5e, 0, 0, 1};
	static const uint8_t zero_mac[6];
	static const uint8_t mcast4[4] = {224, 0, 0, 1};
	static const uint8_t mcast6[16] = {0xff, 0x02, [15] = 1};
	struct sg_net_iface x;
	(void) state;
	assert_memory_equal(ifc.ip6_ll, ll, 16);
	assert_true(sg_net_iface_is_ip6(&ifc, GW_IP6));
	assert_true(sg_net_iface_is_ip6(&ifc, ll));
	assert_false(sg_net_iface_is_ip6(&ifc, PEER_IP6));
	assert_int_equal(sg_net_iface_init(&x, mcast_mac, GW_IP4, 24, NULL, 0), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, zero_mac, GW_IP4, 24, NULL, 0), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, GW_MAC, mcast4, 24, NULL, 0), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, GW_MAC, GW_IP4, 33, NULL, 0), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, GW_MAC, NULL, 0, mcast6, 64), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, GW_MAC, NULL, 0, GW_IP6, 129), -EINVAL);
	assert_int_equal(sg_net_iface_init(&x, GW_MAC, NULL, 0, NULL, 0), 0);
	assert_false(x.has_ip4);
	assert_false(x.has_ip6);
}

static void drop_names_cover_every_reason(void **state)
{
	int i;
	(void) state;
	for (i = 1; i < SG_NET_DROP_COUNT; i++) {
		const char *n = sg_net_drop_name((enum sg_net_drop) i);
		assert_non_null(n);
		assert_true(strlen(n) > 3);
		assert_string_not_equal(n, "?");
	}
	assert_string_equal(sg_net_drop_name(SG_NET_DROP_COUNT), "?");
	assert_string_equal(sg_net_drop_name(SG_NET_DROP_NONE), "none");
}

/* --- Ethernet --- */

static void ethernet_hostile_frames_are_dropped_by_name(void **state)
{
	static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x77};
	(void) state;
	expect_drop(13, SG_NET_DROP_ETH_TRUNCATED);
	expect_drop(0, SG_NET_DROP_ETH_TRUNCATED);
	put_eth(f, GW_MAC, PEER_MAC, SG_NET_ETHERTYPE_VLAN);
	expect_drop(60, SG_NET_DROP_ETH_VLAN);
	put_eth(f, GW_MAC, PEER_MAC, SG_NET_ETHERTYPE_QINQ);
	expect_drop(60, SG_NET_DROP_ETH_VLAN);
	put_eth(f, GW_MAC, PEER_MAC, 0x88cc); /* LLDP */
	expect_drop(60, SG_NET_DROP_ETH_TYPE);
	build_ping4(f, PEER_IP4, GW_IP4, 8);
	memcpy(f, other_mac, 6);
	expect_drop(50, SG_NET_DROP_ETH_NOT_FOR_US);
	/* IPv4 sent to the broadcast MAC is not for the gateway. */
	build_ping4(f, PEER_IP4, GW_IP4, 8);
	memcpy(f, BCAST, 6);
	expect_drop(50, SG_NET_DROP_IP4_NOT_LOCAL);
	/* cap smaller than len is a caller bug reported as a drop, not a crash. */
	sg_net_input(&ifc, nt, 0, f, 60, 59, &res);
	assert_int_equal(res.action, SG_NET_ACT_DROP);
	assert_int_equal(res.drop, SG_NET_DROP_ETH_TRUNCATED);
}

/* --- ARP --- */

static void arp_request_for_us_is_answered_and_sender_learned(void **state)
{
	uint8_t mac[6];
	size_t n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, PEER_IP4, GW_IP4);
	(void) state;
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_REPLY);
	assert_int_equal(res.len, 60); /* padded to the Ethernet minimum */
	assert_memory_equal(f, PEER_MAC, 6);
	assert_memory_equal(f + 6, GW_MAC, 6);
	assert_int_equal(f[21], SG_NET_ARP_OP_REPLY);
	assert_memory_equal(f + 22, GW_MAC, 6);	  /* sha */
	assert_memory_equal(f + 28, GW_IP4, 4);	  /* spa */
	assert_memory_equal(f + 32, PEER_MAC, 6); /* tha */
	assert_memory_equal(f + 38, PEER_IP4, 4); /* tpa */
	for (n = 42; n < 60; n++)
		assert_int_equal(f[n], 0);
	assert_int_equal(sg_net_neigh_state(nt, 4, PEER_IP4), SG_NET_NEIGH_REACHABLE);
	assert_int_equal(sg_net_neigh_resolve(nt, 4, PEER_IP4, 2000, mac), 0);
	assert_memory_equal(mac, PEER_MAC, 6);
	/* ... and reported, so other workers' tables can learn it too. */
	assert_int_equal(res.learn.family, 4);
	assert_memory_equal(res.learn.addr, PEER_IP4, 4);
	assert_memory_equal(res.learn.mac, PEER_MAC, 6);
	assert_true(res.learn.flags & SG_NET_NEIGH_F_CREATE);
}

static void arp_for_someone_else_is_dropped_and_not_learned(void **state)
{
	size_t n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, PEER_IP4, OTHER_IP4);
	(void) state;
	expect_drop(n, SG_NET_DROP_ARP_NOT_FOR_US);
	assert_int_equal(sg_net_neigh_state(nt, 4, PEER_IP4), -ENOENT);
	assert_int_equal(res.learn.family, 0); /* nothing recorded, nothing reported */
}

static void arp_hostile_headers_are_dropped(void **state)
{
	static const uint8_t mcast_mac[6] = {0x01, 0, 0x5e, 0, 0, 1};
	static const uint8_t bcast4[4] = {255, 255, 255, 255};
	size_t n;
	(void) state;
	n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, PEER_IP4, GW_IP4);
	expect_drop(n - 1, SG_NET_DROP_ARP_MALFORMED); /* truncated */
	f[18] = 8;				       /* hlen */
	expect_drop(n, SG_NET_DROP_ARP_MALFORMED);
	f[18] = 6;
	f[19] = 16; /* plen */
	expect_drop(n, SG_NET_DROP_ARP_MALFORMED);
	f[19] = 4;
	f[15] = 6; /* htype IEEE 802 */
	expect_drop(n, SG_NET_DROP_ARP_MALFORMED);
	f[15] = 1;
	f[16] = 0x86; /* ptype IPv6 */
	expect_drop(n, SG_NET_DROP_ARP_MALFORMED);
	f[16] = 0x08;
	f[21] = 3; /* RARP request */
	expect_drop(n, SG_NET_DROP_ARP_OP);
	n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, mcast_mac, PEER_IP4, GW_IP4);
	expect_drop(n, SG_NET_DROP_ARP_BAD_SENDER);
	n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, GW_IP4, GW_IP4);
	expect_drop(n, SG_NET_DROP_ARP_BAD_SENDER); /* someone claims our address */
	n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, bcast4, GW_IP4);
	expect_drop(n, SG_NET_DROP_ARP_BAD_SENDER);
	assert_int_equal(sg_net_neigh_count(nt), 0);
}

static void arp_probe_is_answered_without_learning(void **state)
{
	static const uint8_t zero4[4];
	size_t n = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, zero4, GW_IP4);
	(void) state;
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_REPLY);
	assert_memory_equal(f, PEER_MAC, 6);
	assert_int_equal(sg_net_neigh_count(nt), 0);
}

static void arp_reply_completes_only_a_pending_entry(void **state)
{
	uint8_t mac[6];
	size_t n;
	(void) state;
	/* Unsolicited reply: consumed, nothing created. */
	n = build_arp(f, GW_MAC, SG_NET_ARP_OP_REPLY, PEER_MAC, PEER_IP4, GW_IP4);
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_CONSUMED);
	assert_int_equal(sg_net_neigh_count(nt), 0);
	/* ... but reported without F_CREATE: the worker that asked may be another. */
	assert_int_equal(res.learn.family, 4);
	assert_false(res.learn.flags & SG_NET_NEIGH_F_CREATE);
	/* Pending entry: completed. */
	assert_int_equal(sg_net_neigh_resolve(nt, 4, PEER_IP4, 500, mac), SG_NET_NEIGH_SOLICIT);
	n = build_arp(f, GW_MAC, SG_NET_ARP_OP_REPLY, PEER_MAC, PEER_IP4, GW_IP4);
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_CONSUMED);
	assert_int_equal(sg_net_neigh_resolve(nt, 4, PEER_IP4, 1500, mac), 0);
	assert_memory_equal(mac, PEER_MAC, 6);
}

static void arp_request_builder_makes_a_valid_request(void **state)
{
	uint8_t buf[64];
	struct sg_net_iface no4;
	(void) state;
	assert_int_equal(sg_net_arp_request_build(&ifc, PEER_IP4, buf, sizeof(buf)), 60);
	assert_memory_equal(buf, BCAST, 6);
	assert_memory_equal(buf + 6, GW_MAC, 6);
	assert_int_equal(buf[12] << 8 | buf[13], SG_NET_ETHERTYPE_ARP);
	assert_int_equal(buf[21], SG_NET_ARP_OP_REQUEST);
	assert_memory_equal(buf + 28, GW_IP4, 4);
	assert_memory_equal(buf + 38, PEER_IP4, 4);
	assert_int_equal(sg_net_arp_request_build(&ifc, PEER_IP4, buf, 59), -ENOSPC);
	assert_int_equal(sg_net_iface_init(&no4, GW_MAC, NULL, 0, GW_IP6, 64), 0);
	assert_int_equal(sg_net_arp_request_build(&no4, PEER_IP4, buf, sizeof(buf)), -EINVAL);
}

/* --- IPv4 / ICMP --- */

static void check_echo4_reply(size_t payload_len)
{
	uint8_t *ip = f + 14, *icmp = f + 34;
	size_t i;

	assert_int_equal(res.action, SG_NET_ACT_REPLY);
	assert_int_equal(res.len, payload_len + 42 < 60 ? 60 : payload_len + 42);
	assert_memory_equal(f, PEER_MAC, 6);
	assert_memory_equal(f + 6, GW_MAC, 6);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[2] << 8 | ip[3], 28 + payload_len);
	assert_int_equal(ip[8], 64);
	assert_memory_equal(ip + 12, GW_IP4, 4);
	assert_memory_equal(ip + 16, PEER_IP4, 4);
	assert_int_equal(ref_sum(0, ip, 20), 0xffff);
	assert_int_equal(icmp[0], SG_NET_ICMP_ECHO_REPLY);
	assert_int_equal(icmp[4] << 8 | icmp[5], 0xabcd); /* id kept */
	assert_int_equal(icmp[7], 7);			  /* seq kept */
	for (i = 0; i < payload_len; i++)
		assert_int_equal(icmp[8 + i], (uint8_t) (i * 7 + 1));
	assert_int_equal(ref_sum(0, icmp, 8 + payload_len), 0xffff);
}

static void icmp_echo_to_our_ipv4_is_answered(void **state)
{
	static const size_t sizes[] = {0, 1, 17, 56, 200};
	size_t i;
	(void) state;
	for (i = 0; i < SG_ARRAY_SIZE(sizes); i++) {
		size_t n = build_ping4(f, PEER_IP4, GW_IP4, sizes[i]);
		run(n);
		check_echo4_reply(sizes[i]);
	}
}

static void icmp_echo_with_ethernet_padding_and_ip_options(void **state)
{
	size_t n;
	(void) state;
	/* Ethernet padding past the IP total length is ignored. */
	n = build_ping4(f, PEER_IP4, GW_IP4, 4);
	memset(f + n, 0xee, 60 - n);
	run(60);
	check_echo4_reply(4);
	/* Options (one NOP word) are stripped from the reply. */
	n = build_ping4(f, PEER_IP4, GW_IP4, 16);
	memmove(f + 38, f + 34, n - 34);
	memset(f + 34, 1, 4); /* 4 x NOP */
	f[14] = 0x46;
	f[17] = (uint8_t) (f[17] + 4);
	f[24] = f[25] = 0;
	{
		uint16_t c = ref_cksum(f + 14, 24);
		f[24] = (uint8_t) (c >> 8);
		f[25] = (uint8_t) c;
	}
	run(n + 4);
	check_echo4_reply(16);
}

static void set_ip4_cksum(void)
{
	uint16_t c;
	size_t hl = (size_t) (f[14] & 0x0f) * 4;
	f[24] = f[25] = 0;
	c = ref_cksum(f + 14, hl > 60 ? 60 : hl);
	f[24] = (uint8_t) (c >> 8);
	f[25] = (uint8_t) c;
}

static void ipv4_hostile_headers_are_dropped(void **state)
{
	static const uint8_t bcast4[4] = {255, 255, 255, 255};
	static const uint8_t loop4[4] = {127, 0, 0, 1};
	size_t n;
	(void) state;
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	expect_drop(33, SG_NET_DROP_IP4_TRUNCATED);    /* shorter than a header */
	expect_drop(n - 1, SG_NET_DROP_IP4_TRUNCATED); /* total length past the frame */
	f[14] = 0x65;				       /* version 6 */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_IP4_BAD_HEADER);
	f[14] = 0x44; /* IHL 4 */
	expect_drop(n, SG_NET_DROP_IP4_BAD_HEADER);
	f[14] = 0x4f; /* IHL 15: 60 bytes of header, more than total length */
	set_ip4_cksum();
	expect_drop(100, SG_NET_DROP_IP4_BAD_HEADER);
	expect_drop(n, SG_NET_DROP_IP4_TRUNCATED); /* header past the frame */
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[16] = 0;
	f[17] = 10; /* total length < header length */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_IP4_BAD_HEADER);
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[24] ^= 0x01; /* header checksum */
	expect_drop(n, SG_NET_DROP_IP4_BAD_CKSUM);
	n = build_ping4(f, PEER_IP4, OTHER_IP4, 8);
	expect_drop(n, SG_NET_DROP_IP4_NOT_LOCAL);
	n = build_ping4(f, bcast4, GW_IP4, 8);
	expect_drop(n, SG_NET_DROP_IP4_BAD_SRC);
	n = build_ping4(f, loop4, GW_IP4, 8);
	expect_drop(n, SG_NET_DROP_IP4_BAD_SRC);
	n = build_ping4(f, GW_IP4, GW_IP4, 8);
	expect_drop(n, SG_NET_DROP_IP4_BAD_SRC);
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[20] |= 0x20; /* MF */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_IP4_FRAGMENT);
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[21] = 0x10; /* offset */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_IP4_FRAGMENT);
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[23] = 47; /* GRE */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_IP4_PROTO);
}

static void icmp4_hostile_messages_are_dropped(void **state)
{
	size_t n;
	(void) state;
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[34 + 9] ^= 0xff; /* payload byte: ICMP checksum no longer matches */
	expect_drop(n, SG_NET_DROP_ICMP4_BAD_CKSUM);
	n = build_ping4(f, PEER_IP4, GW_IP4, 0);
	f[17] = 20 + 4; /* ICMP of 4 bytes */
	set_ip4_cksum();
	expect_drop(n, SG_NET_DROP_ICMP4_TRUNCATED);
	n = build_ping4(f, PEER_IP4, GW_IP4, 8);
	f[34] = SG_NET_ICMP_ECHO_REPLY;
	f[36] = (uint8_t) (f[36] + 8); /* keep the checksum right: type 8 -> 0 */
	expect_drop(n, SG_NET_DROP_ICMP4_TYPE);
}

static void tcp_and_udp_for_us_are_handed_up(void **state)
{
	size_t n;
	(void) state;
	n = build_ping4(f, PEER_IP4, GW_IP4, 12);
	f[23] = SG_NET_PROTO_TCP;
	set_ip4_cksum();
	run(n + 10); /* with trailing padding */
	assert_int_equal(res.action, SG_NET_ACT_LOCAL);
	assert_int_equal(res.family, 4);
	assert_int_equal(res.l4_proto, SG_NET_PROTO_TCP);
	assert_int_equal(res.l3_off, 14);
	assert_int_equal(res.l4_off, 34);
	assert_int_equal(res.len, n);
	assert_memory_equal(f, orig, sizeof(f));
}

/* --- IPv6 / ICMPv6 / NDP --- */

static uint8_t snm_gw[16], snm_other[16], mac_snm_gw[6];
static const uint8_t ALL_NODES[16] = {0xff, 0x02, [15] = 1};
static const uint8_t UNSPEC[16];

static size_t build_ping6(const uint8_t *src, const uint8_t *dst, size_t payload_len)
{
	uint8_t body[128];
	size_t i;
	memset(body, 0, 8);
	body[0] = SG_NET_ICMP6_ECHO_REQUEST;
	body[4] = 0x12;
	body[7] = 3;
	for (i = 0; i < payload_len; i++)
		body[8 + i] = (uint8_t) (0xa0 + i);
	return build_ip6(f, GW_MAC, src, dst, 64, body, 8 + payload_len);
}

static void icmp6_echo_to_our_addresses_is_answered(void **state)
{
	const uint8_t *dsts[2] = {GW_IP6, ifc.ip6_ll};
	int k;
	(void) state;
	for (k = 0; k < 2; k++) {
		size_t n = build_ping6(PEER_IP6, dsts[k], 21);
		uint8_t *ip6 = f + 14;
		run(n);
		assert_int_equal(res.action, SG_NET_ACT_REPLY);
		assert_int_equal(res.len, n);
		assert_memory_equal(f, PEER_MAC, 6);
		assert_memory_equal(f + 6, GW_MAC, 6);
		assert_memory_equal(ip6 + 8, dsts[k], 16);
		assert_memory_equal(ip6 + 24, PEER_IP6, 16);
		assert_int_equal(ip6[7], 64);
		assert_int_equal(ip6[40], SG_NET_ICMP6_ECHO_REPLY);
		assert_int_equal(ip6[44], 0x12);
		assert_int_equal(ip6[40 + 8 + 20], 0xa0 + 20);
		assert_int_equal(ref_cksum6(ip6 + 8, ip6 + 24, ip6 + 40, n - 54), 0);
	}
}

static void ipv6_hostile_packets_are_dropped(void **state)
{
	size_t n;
	(void) state;
	n = build_ping6(PEER_IP6, GW_IP6, 8);
	expect_drop(53, SG_NET_DROP_IP6_TRUNCATED);
	expect_drop(n - 1, SG_NET_DROP_IP6_TRUNCATED); /* payload length past the frame */
	f[14] = 0x40;
	expect_drop(n, SG_NET_DROP_IP6_BAD_HEADER);
	n = build_ping6(PEER_IP6, OTHER_IP6, 8);
	expect_drop(n, SG_NET_DROP_IP6_NOT_LOCAL);
	n = build_ping6(ALL_NODES, GW_IP6, 8);
	expect_drop(n, SG_NET_DROP_IP6_BAD_SRC);
	n = build_ping6(GW_IP6, GW_IP6, 8);
	expect_drop(n, SG_NET_DROP_IP6_BAD_SRC);
	n = build_ping6(PEER_IP6, ALL_NODES, 8); /* echo to all nodes: not answered */
	expect_drop(n, SG_NET_DROP_IP6_NOT_LOCAL);
	n = build_ping6(PEER_IP6, GW_IP6, 8);
	f[54 + 9] ^= 0x40;
	expect_drop(n, SG_NET_DROP_ICMP6_BAD_CKSUM);
	n = build_ping6(PEER_IP6, GW_IP6, 8);
	f[18] = 0;
	f[19] = 4; /* ICMPv6 of 4 bytes */
	fix_cksum6(f);
	expect_drop(n, SG_NET_DROP_ICMP6_TRUNCATED);
	{
		uint8_t rs[8] = {SG_NET_ICMP6_ROUTER_SOLICIT};
		n = build_ip6(f, GW_MAC, PEER_IP6, GW_IP6, 255, rs, sizeof(rs));
		expect_drop(n, SG_NET_DROP_ICMP6_TYPE);
	}
	n = build_ping6(PEER_IP6, GW_IP6, 8);
	f[20] = 0; /* hop-by-hop header: not parsed */
	expect_drop(n, SG_NET_DROP_IP6_NEXT_HEADER);
	f[20] = SG_NET_PROTO_TCP;
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_LOCAL);
	assert_int_equal(res.family, 6);
	assert_int_equal(res.l4_off, 54);
}

static void check_na(const uint8_t *to_mac, const uint8_t *to_ip, const uint8_t *target,
		     uint32_t flags)
{
	uint8_t *ip6 = f + 14;
	assert_int_equal(res.action, SG_NET_ACT_REPLY);
	assert_int_equal(res.len, 14 + 40 + 32);
	assert_memory_equal(f, to_mac, 6);
	assert_memory_equal(f + 6, GW_MAC, 6);
	assert_int_equal(ip6[7], 255);
	assert_int_equal(ip6[4] << 8 | ip6[5], 32);
	assert_memory_equal(ip6 + 8, target, 16);
	assert_memory_equal(ip6 + 24, to_ip, 16);
	assert_int_equal(ip6[40], SG_NET_ICMP6_NEIGH_ADVERT);
	assert_int_equal(ip6[41], 0);
	assert_int_equal((uint32_t) ip6[44] << 24, flags);
	assert_memory_equal(ip6 + 48, target, 16);
	assert_int_equal(ip6[64], SG_NET_ND_OPT_TARGET_LL);
	assert_int_equal(ip6[65], 1);
	assert_memory_equal(ip6 + 66, GW_MAC, 6);
	assert_int_equal(ref_cksum6(ip6 + 8, ip6 + 24, ip6 + 40, 32), 0);
}

static void ns_for_us_is_answered_with_na(void **state)
{
	uint8_t body[32], mac[6];
	size_t n;
	(void) state;
	sg_net_ip6_solicited_node(GW_IP6, snm_gw);
	sg_net_ip6_mcast_mac(snm_gw, mac_snm_gw);
	assert_int_equal(mac_snm_gw[2], 0xff);
	/* Multicast to the solicited-node group, with a source link-layer option. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 1));
	run(n);
	check_na(PEER_MAC, PEER_IP6, GW_IP6, SG_NET_NA_FLAG_SOLICITED | SG_NET_NA_FLAG_OVERRIDE);
	assert_int_equal(sg_net_neigh_state(nt, 6, PEER_IP6), SG_NET_NEIGH_STALE);
	assert_int_equal(sg_net_neigh_resolve(nt, 6, PEER_IP6, 2000, mac), 0);
	assert_memory_equal(mac, PEER_MAC, 6);
	/* Unicast NUD probe without options: answered to the Ethernet source. */
	n = build_ip6(f, GW_MAC, PEER_IP6, GW_IP6, 255, body, ns_body(body, GW_IP6, 0, 0));
	run(n);
	check_na(PEER_MAC, PEER_IP6, GW_IP6, SG_NET_NA_FLAG_SOLICITED | SG_NET_NA_FLAG_OVERRIDE);
	/* For our link-local address too. */
	{
		uint8_t snm_ll[16], mac_ll[6];
		sg_net_ip6_solicited_node(ifc.ip6_ll, snm_ll);
		sg_net_ip6_mcast_mac(snm_ll, mac_ll);
		n = build_ip6(f, mac_ll, PEER_IP6, snm_ll, 255, body,
			      ns_body(body, ifc.ip6_ll, 1, 1));
		run(n);
		check_na(PEER_MAC, PEER_IP6, ifc.ip6_ll,
			 SG_NET_NA_FLAG_SOLICITED | SG_NET_NA_FLAG_OVERRIDE);
	}
}

static void dad_for_our_address_is_defended_to_all_nodes(void **state)
{
	uint8_t body[32], all_nodes_mac[6];
	size_t n;
	(void) state;
	sg_net_ip6_solicited_node(GW_IP6, snm_gw);
	sg_net_ip6_mcast_mac(snm_gw, mac_snm_gw);
	sg_net_ip6_mcast_mac(ALL_NODES, all_nodes_mac);
	n = build_ip6(f, mac_snm_gw, UNSPEC, snm_gw, 255, body, ns_body(body, GW_IP6, 0, 0));
	run(n);
	check_na(all_nodes_mac, ALL_NODES, GW_IP6, SG_NET_NA_FLAG_OVERRIDE);
	assert_int_equal(sg_net_neigh_count(nt), 0);
	/* DAD must not carry a source link-layer option. */
	n = build_ip6(f, mac_snm_gw, UNSPEC, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* DAD must go to the solicited-node group. */
	n = build_ip6(f, GW_MAC, UNSPEC, GW_IP6, 255, body, ns_body(body, GW_IP6, 0, 0));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
}

static void ndp_hostile_messages_are_dropped(void **state)
{
	uint8_t body[40];
	size_t n, bl;
	(void) state;
	sg_net_ip6_solicited_node(GW_IP6, snm_gw);
	sg_net_ip6_mcast_mac(snm_gw, mac_snm_gw);
	sg_net_ip6_solicited_node(OTHER_IP6, snm_other);
	/* Not from the link: hop limit must be 255. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 254, body, ns_body(body, GW_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_BAD_HOP_LIMIT);
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 64, body, ns_body(body, GW_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_BAD_HOP_LIMIT);
	/* Option with length zero (would loop forever in a naive parser). */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 0));
	expect_drop(n, SG_NET_DROP_NDP_BAD_OPTION);
	/* Option longer than the message. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 2));
	expect_drop(n, SG_NET_DROP_NDP_BAD_OPTION);
	/* Link-layer option of two units (not Ethernet). */
	bl = ns_body(body, GW_IP6, 1, 2);
	memset(body + bl, 0, 8);
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, bl + 8);
	expect_drop(n, SG_NET_DROP_NDP_BAD_OPTION);
	/* A trailing single byte cannot hold an option header. */
	bl = ns_body(body, GW_IP6, 1, 1);
	body[bl] = 9;
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, bl + 1);
	expect_drop(n, SG_NET_DROP_NDP_BAD_OPTION);
	/* Code must be 0. */
	bl = ns_body(body, GW_IP6, 1, 1);
	body[1] = 1;
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, bl);
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* Shorter than an NS. */
	bl = ns_body(body, GW_IP6, 0, 0);
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, 20);
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* Multicast target. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, ALL_NODES, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* Wrong target: unicast to us asking for someone else. */
	n = build_ip6(f, GW_MAC, PEER_IP6, GW_IP6, 255, body, ns_body(body, OTHER_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_NOT_FOR_US);
	/* Someone else's solicited-node group is not ours to answer. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_other, 255, body,
		      ns_body(body, OTHER_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_IP6_NOT_LOCAL);
	/* Our group, but the target is not ours (group/target mismatch). */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, PEER_IP6, 1, 1));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* Bad checksum on an otherwise valid NS. */
	n = build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 1));
	f[14 + 40 + 2] ^= 0x10;
	expect_drop(n, SG_NET_DROP_ICMP6_BAD_CKSUM);
	assert_int_equal(sg_net_neigh_count(nt), 0);
}

static void ns_reply_that_does_not_fit_is_dropped(void **state)
{
	uint8_t body[32];
	size_t n;
	(void) state;
	n = build_ip6(f, GW_MAC, PEER_IP6, GW_IP6, 255, body, ns_body(body, GW_IP6, 0, 0));
	memcpy(orig, f, sizeof(f));
	sg_net_input(&ifc, nt, 0, f, n, n, &res); /* 78 bytes of room, NA needs 86 */
	assert_int_equal(res.action, SG_NET_ACT_DROP);
	assert_int_equal(res.drop, SG_NET_DROP_NO_ROOM);
	assert_memory_equal(f, orig, sizeof(f));
}

static size_t na_body(uint8_t *b, const uint8_t *target, uint32_t flags, int with_tll)
{
	memset(b, 0, 32);
	b[0] = SG_NET_ICMP6_NEIGH_ADVERT;
	b[4] = (uint8_t) (flags >> 24);
	memcpy(b + 8, target, 16);
	if (!with_tll)
		return 24;
	b[24] = SG_NET_ND_OPT_TARGET_LL;
	b[25] = 1;
	memcpy(b + 26, PEER_MAC, 6);
	return 32;
}

static void na_completes_a_pending_entry(void **state)
{
	uint8_t body[32], mac[6];
	size_t n;
	(void) state;
	/* Unsolicited NA for an unknown address: consumed, not learned. */
	n = build_ip6(
	    f, GW_MAC, PEER_IP6, GW_IP6, 255, body,
	    na_body(body, PEER_IP6, SG_NET_NA_FLAG_SOLICITED | SG_NET_NA_FLAG_OVERRIDE, 1));
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_CONSUMED);
	assert_int_equal(sg_net_neigh_count(nt), 0);
	assert_int_equal(sg_net_neigh_resolve(nt, 6, PEER_IP6, 100, mac), SG_NET_NEIGH_SOLICIT);
	run(n);
	assert_int_equal(res.action, SG_NET_ACT_CONSUMED);
	assert_int_equal(sg_net_neigh_state(nt, 6, PEER_IP6), SG_NET_NEIGH_REACHABLE);
	assert_int_equal(res.learn.family, 6);
	assert_memory_equal(res.learn.addr, PEER_IP6, 16);
	assert_int_equal(res.learn.flags, SG_NET_NEIGH_F_REACHABLE | SG_NET_NEIGH_F_OVERRIDE);
	assert_int_equal(sg_net_neigh_resolve(nt, 6, PEER_IP6, 200, mac), 0);
	assert_memory_equal(mac, PEER_MAC, 6);
}

static void na_hostile_messages_are_dropped(void **state)
{
	uint8_t body[32];
	size_t n;
	(void) state;
	/* Multicast NA claiming to be solicited. */
	n = build_ip6(f, GW_MAC, PEER_IP6, ALL_NODES, 255, body,
		      na_body(body, PEER_IP6, SG_NET_NA_FLAG_SOLICITED, 1));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
	/* Someone advertises our own address. */
	n = build_ip6(f, GW_MAC, PEER_IP6, ALL_NODES, 255, body,
		      na_body(body, GW_IP6, SG_NET_NA_FLAG_OVERRIDE, 1));
	expect_drop(n, SG_NET_DROP_NDP_NOT_FOR_US);
	n = build_ip6(f, GW_MAC, PEER_IP6, GW_IP6, 64, body,
		      na_body(body, PEER_IP6, SG_NET_NA_FLAG_SOLICITED, 1));
	expect_drop(n, SG_NET_DROP_NDP_BAD_HOP_LIMIT);
	n = build_ip6(f, GW_MAC, UNSPEC, GW_IP6, 255, body,
		      na_body(body, PEER_IP6, SG_NET_NA_FLAG_SOLICITED, 1));
	expect_drop(n, SG_NET_DROP_NDP_MALFORMED);
}

static void ns_builder_makes_a_valid_solicitation(void **state)
{
	uint8_t buf[128], group[16];
	(void) state;
	assert_int_equal(sg_net_ns_build(&ifc, PEER_IP6, buf, sizeof(buf)), 86);
	sg_net_ip6_solicited_node(PEER_IP6, group);
	assert_int_equal(buf[0], 0x33);
	assert_int_equal(buf[2], 0xff);
	assert_int_equal(buf[5], 2);
	assert_int_equal(buf[14 + 7], 255);
	assert_memory_equal(buf + 14 + 8, GW_IP6, 16);
	assert_memory_equal(buf + 14 + 24, group, 16);
	assert_memory_equal(buf + 14 + 48, PEER_IP6, 16);
	assert_int_equal(ref_cksum6(buf + 22, buf + 38, buf + 54, 32), 0);
	assert_int_equal(sg_net_ns_build(&ifc, PEER_IP6, buf, 85), -ENOSPC);
	assert_int_equal(sg_net_ns_build(&ifc, ALL_NODES, buf, sizeof(buf)), -EINVAL);
	/* Our own builder's output is a valid NS for a port that owns the target. */
	{
		struct sg_net_iface peer;
		struct sg_net_result r;
		assert_int_equal(sg_net_iface_init(&peer, PEER_MAC, NULL, 0, PEER_IP6, 64), 0);
		sg_net_input(&peer, NULL, 0, buf, 86, sizeof(buf), &r);
		assert_int_equal(r.action, SG_NET_ACT_REPLY);
	}
}

/* Every prefix of every valid frame, in a buffer of exactly that size (ASan
 * catches any read or write past it); none may produce a reply. */
static void every_truncation_is_dropped_without_overrun(void **state)
{
	uint8_t body[32];
	size_t lens[4], k, cut;
	uint8_t frames[4][256];
	(void) state;
	sg_net_ip6_solicited_node(GW_IP6, snm_gw);
	sg_net_ip6_mcast_mac(snm_gw, mac_snm_gw);
	lens[0] = build_arp(f, BCAST, SG_NET_ARP_OP_REQUEST, PEER_MAC, PEER_IP4, GW_IP4);
	memcpy(frames[0], f, sizeof(f));
	lens[1] = build_ping4(f, PEER_IP4, GW_IP4, 30);
	memcpy(frames[1], f, sizeof(f));
	lens[2] = build_ping6(PEER_IP6, GW_IP6, 30);
	memcpy(frames[2], f, sizeof(f));
	lens[3] =
	    build_ip6(f, mac_snm_gw, PEER_IP6, snm_gw, 255, body, ns_body(body, GW_IP6, 1, 1));
	memcpy(frames[3], f, sizeof(f));
	for (k = 0; k < 4; k++) {
		for (cut = 0; cut < lens[k]; cut++) {
			uint8_t *buf = malloc(cut ? cut : 1);
			struct sg_net_result r;
			assert_non_null(buf);
			memcpy(buf, frames[k], cut);
			sg_net_input(&ifc, nt, 0, buf, cut, cut, &r);
			assert_int_equal(r.action, SG_NET_ACT_DROP);
			assert_int_not_equal(r.drop, SG_NET_DROP_NONE);
			free(buf);
		}
		/* The whole frame in an exact-size buffer still works. */
		{
			uint8_t *buf = malloc(lens[k]);
			struct sg_net_result r;
			assert_non_null(buf);
			memcpy(buf, frames[k], lens[k]);
			sg_net_input(&ifc, NULL, 0, buf, lens[k], lens[k] + (k == 3 ? 0 : 0), &r);
			assert_true(r.action == SG_NET_ACT_REPLY || r.drop == SG_NET_DROP_NO_ROOM);
			if (r.action == SG_NET_ACT_REPLY)
				assert_true(r.len <= lens[k]);
			free(buf);
		}
	}
}

static void checksum_helpers_match_the_reference(void **state)
{
	uint8_t buf[301];
	size_t i, n;
	(void) state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t) (i * 31 + 7);
	for (n = 0; n <= sizeof(buf); n += 37) {
		uint16_t be = sg_net_cksum_raw(buf, n);
		/* raw sum is in memory order: compare as bytes */
		uint16_t ref = ref_sum(0, buf, n);
		uint8_t b[2];
		memcpy(b, &be, 2);
		assert_int_equal(b[0] << 8 | b[1], ref);
	}
	/* An odd start address works too. */
	assert_int_equal(sg_net_cksum_raw(buf + 1, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(iface_derives_link_local_and_rejects_bad_identity),
	    T(drop_names_cover_every_reason),
	    T(ethernet_hostile_frames_are_dropped_by_name),
	    T(arp_request_for_us_is_answered_and_sender_learned),
	    T(arp_for_someone_else_is_dropped_and_not_learned),
	    T(arp_hostile_headers_are_dropped),
	    T(arp_probe_is_answered_without_learning),
	    T(arp_reply_completes_only_a_pending_entry),
	    T(arp_request_builder_makes_a_valid_request),
	    T(icmp_echo_to_our_ipv4_is_answered),
	    T(icmp_echo_with_ethernet_padding_and_ip_options),
	    T(ipv4_hostile_headers_are_dropped),
	    T(icmp4_hostile_messages_are_dropped),
	    T(tcp_and_udp_for_us_are_handed_up),
	    T(icmp6_echo_to_our_addresses_is_answered),
	    T(ipv6_hostile_packets_are_dropped),
	    T(ns_for_us_is_answered_with_na),
	    T(dad_for_our_address_is_defended_to_all_nodes),
	    T(ndp_hostile_messages_are_dropped),
	    T(ns_reply_that_does_not_fit_is_dropped),
	    T(na_completes_a_pending_entry),
	    T(na_hostile_messages_are_dropped),
	    T(ns_builder_makes_a_valid_solicitation),
	    T(every_truncation_is_dropped_without_overrun),
	    T(checksum_helpers_match_the_reference),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
