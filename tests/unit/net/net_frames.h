/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame builders for the lib/net tests, with an independent RFC 1071 checksum. */
#ifndef NET_FRAMES_H
#define NET_FRAMES_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "sg_net.h"

static const uint8_t GW_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t PEER_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t GW_IP4[4] = {192, 0, 2, 1};
static const uint8_t PEER_IP4[4] = {192, 0, 2, 2};
static const uint8_t OTHER_IP4[4] = {192, 0, 2, 99};
static const uint8_t GW_IP6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t PEER_IP6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t OTHER_IP6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
				      0,    0,	  0,	0,    0, 0, 0, 0x99};

/* Independent of lib/net: a byte-at-a-time RFC 1071 sum. */
static inline uint16_t ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t) (p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t) (p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t) sum;
}

/* Host-order checksum field value for data (whose checksum field is zero). */
static inline uint16_t ref_cksum(const uint8_t *p, size_t n)
{
	return (uint16_t) ~ref_sum(0, p, n);
}

static inline uint16_t ref_cksum6(const uint8_t *src, const uint8_t *dst, const uint8_t *l4,
				  size_t n)
{
	uint8_t ph[40];
	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = (uint8_t) (n >> 24);
	ph[33] = (uint8_t) (n >> 16);
	ph[34] = (uint8_t) (n >> 8);
	ph[35] = (uint8_t) n;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = SG_NET_PROTO_ICMPV6;
	return (uint16_t) ~ref_sum(ref_sum(0, ph, 40), l4, n);
}

static inline size_t put_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = (uint8_t) (type >> 8);
	f[13] = (uint8_t) type;
	return 14;
}

/* Ethernet + ARP; returns 42. */
static inline size_t build_arp(uint8_t *f, const uint8_t *dst_mac, uint16_t op, const uint8_t *sha,
			       const uint8_t *spa, const uint8_t *tpa)
{
	uint8_t *a = f + put_eth(f, dst_mac, sha, SG_NET_ETHERTYPE_ARP);
	a[0] = 0;
	a[1] = 1;
	a[2] = 0x08;
	a[3] = 0;
	a[4] = 6;
	a[5] = 4;
	a[6] = 0;
	a[7] = (uint8_t) op;
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, tpa, 4);
	return 42;
}

/* Ethernet + IPv4 + ICMP echo request with payload_len bytes of pattern. */
static inline size_t build_ping4(uint8_t *f, const uint8_t *src, const uint8_t *dst,
				 size_t payload_len)
{
	uint8_t *ip = f + put_eth(f, GW_MAC, PEER_MAC, SG_NET_ETHERTYPE_IPV4);
	uint8_t *icmp = ip + 20;
	size_t tot = 20 + 8 + payload_len, i;
	uint16_t c;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t) (tot >> 8);
	ip[3] = (uint8_t) tot;
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = SG_NET_PROTO_ICMP;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	c = ref_cksum(ip, 20);
	ip[10] = (uint8_t) (c >> 8);
	ip[11] = (uint8_t) c;
	memset(icmp, 0, 8);
	icmp[0] = SG_NET_ICMP_ECHO_REQUEST;
	icmp[4] = 0xab;
	icmp[5] = 0xcd;
	icmp[7] = 7;
	for (i = 0; i < payload_len; i++)
		icmp[8 + i] = (uint8_t) (i * 7 + 1);
	c = ref_cksum(icmp, 8 + payload_len);
	icmp[2] = (uint8_t) (c >> 8);
	icmp[3] = (uint8_t) c;
	return 14 + tot;
}

/* Recompute the ICMPv6 checksum of a frame built by build_ip6(). */
static inline void fix_cksum6(uint8_t *f)
{
	uint8_t *ip6 = f + 14;
	size_t plen = (size_t) (ip6[4] << 8 | ip6[5]);
	uint16_t c;
	ip6[40 + 2] = ip6[40 + 3] = 0;
	c = ref_cksum6(ip6 + 8, ip6 + 24, ip6 + 40, plen);
	ip6[42] = (uint8_t) (c >> 8);
	ip6[43] = (uint8_t) c;
}

/* Ethernet + IPv6 + ICMPv6 with body (starting at the ICMPv6 type). */
static inline size_t build_ip6(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src,
			       const uint8_t *dst, uint8_t hop_limit, const uint8_t *body,
			       size_t body_len)
{
	uint8_t *ip6 = f + put_eth(f, dst_mac, PEER_MAC, SG_NET_ETHERTYPE_IPV6);
	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	ip6[4] = (uint8_t) (body_len >> 8);
	ip6[5] = (uint8_t) body_len;
	ip6[6] = SG_NET_PROTO_ICMPV6;
	ip6[7] = hop_limit;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
	memcpy(ip6 + 40, body, body_len);
	fix_cksum6(f);
	return 14 + 40 + body_len;
}

/* NS body for target with an optional source link-layer option (opt_len units, 0 = none). */
static inline size_t ns_body(uint8_t *b, const uint8_t *target, int with_sll, uint8_t opt_len)
{
	memset(b, 0, 32);
	b[0] = SG_NET_ICMP6_NEIGH_SOLICIT;
	memcpy(b + 8, target, 16);
	if (!with_sll)
		return 24;
	b[24] = SG_NET_ND_OPT_SOURCE_LL;
	b[25] = opt_len;
	memcpy(b + 26, PEER_MAC, 6);
	return 32;
}

#endif /* NET_FRAMES_H */
