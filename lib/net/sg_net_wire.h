/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire formats the gateway answers for itself: Ethernet II, ARP (RFC 826),
 * IPv4 (RFC 791), ICMP echo (RFC 792), IPv6 (RFC 8200), ICMPv6 (RFC 4443) and
 * Neighbor Discovery (RFC 4861). Every field is in network byte order; every
 * struct is packed and its size asserted. Protocol limits are named here.
 */
#ifndef SG_NET_WIRE_H
#define SG_NET_WIRE_H

#include <assert.h>
#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_NET_ETH_ALEN	     6
#define SG_NET_ETH_HLEN	     14
#define SG_NET_ETH_MIN_FRAME 60 /* without FCS: shorter frames are padded */

#define SG_NET_ETHERTYPE_IPV4 0x0800
#define SG_NET_ETHERTYPE_ARP  0x0806
#define SG_NET_ETHERTYPE_VLAN 0x8100
#define SG_NET_ETHERTYPE_QINQ 0x88a8
#define SG_NET_ETHERTYPE_IPV6 0x86dd

struct sg_net_eth_hdr {
	uint8_t dst[SG_NET_ETH_ALEN];
	uint8_t src[SG_NET_ETH_ALEN];
	uint16_t type;
} SG_PACKED;

#define SG_NET_ARP_HTYPE_ETHER 1
#define SG_NET_ARP_OP_REQUEST  1
#define SG_NET_ARP_OP_REPLY    2

struct sg_net_arp_hdr {
	uint16_t htype;
	uint16_t ptype;
	uint8_t hlen;
	uint8_t plen;
	uint16_t op;
	uint8_t sha[SG_NET_ETH_ALEN];
	uint8_t spa[4];
	uint8_t tha[SG_NET_ETH_ALEN];
	uint8_t tpa[4];
} SG_PACKED;

#define SG_NET_IPV4_HLEN	20
#define SG_NET_IPV4_MAX_HLEN	60
#define SG_NET_IPV4_DEFAULT_TTL 64
#define SG_NET_IPV4_FLAG_MF	0x2000
#define SG_NET_IPV4_OFFSET_MASK 0x1fff

#define SG_NET_PROTO_ICMP   1
#define SG_NET_PROTO_TCP    6
#define SG_NET_PROTO_UDP    17
#define SG_NET_PROTO_ICMPV6 58

struct sg_net_ipv4_hdr {
	uint8_t ver_ihl; /* version 4 in the high nibble, header length in words */
	uint8_t tos;
	uint16_t total_len;
	uint16_t id;
	uint16_t frag; /* flags (3 bits) + fragment offset in 8-byte units */
	uint8_t ttl;
	uint8_t proto;
	uint16_t cksum;
	uint8_t src[4];
	uint8_t dst[4];
} SG_PACKED;

#define SG_NET_ICMP_ECHO_REPLY	 0
#define SG_NET_ICMP_ECHO_REQUEST 8

struct sg_net_icmp_echo {
	uint8_t type;
	uint8_t code;
	uint16_t cksum;
	uint16_t id;
	uint16_t seq;
} SG_PACKED;

#define SG_NET_IPV6_HLEN	      40
#define SG_NET_IPV6_DEFAULT_HOP_LIMIT 64

struct sg_net_ipv6_hdr {
	uint32_t vtc_flow; /* version 6, traffic class, flow label */
	uint16_t payload_len;
	uint8_t next_header;
	uint8_t hop_limit;
	uint8_t src[16];
	uint8_t dst[16];
} SG_PACKED;

#define SG_NET_ICMP6_ECHO_REQUEST   128
#define SG_NET_ICMP6_ECHO_REPLY	    129
#define SG_NET_ICMP6_ROUTER_SOLICIT 133
#define SG_NET_ICMP6_ROUTER_ADVERT  134
#define SG_NET_ICMP6_NEIGH_SOLICIT  135
#define SG_NET_ICMP6_NEIGH_ADVERT   136
#define SG_NET_ICMP6_REDIRECT	    137

struct sg_net_icmp6_hdr {
	uint8_t type;
	uint8_t code;
	uint16_t cksum;
	uint32_t data; /* echo: id + seq; NS: reserved; NA: flags + reserved */
} SG_PACKED;

/* RFC 4861 4.3/4.4: NS and NA share one layout (ICMPv6 header + target). */
#define SG_NET_NDP_HOP_LIMIT	 255
#define SG_NET_NA_FLAG_ROUTER	 0x80000000u
#define SG_NET_NA_FLAG_SOLICITED 0x40000000u
#define SG_NET_NA_FLAG_OVERRIDE	 0x20000000u

struct sg_net_nd_msg {
	struct sg_net_icmp6_hdr icmp;
	uint8_t target[16];
} SG_PACKED;

#define SG_NET_ND_OPT_SOURCE_LL 1
#define SG_NET_ND_OPT_TARGET_LL 2
#define SG_NET_ND_OPT_UNIT	8 /* option length field counts 8-byte units */

struct sg_net_nd_opt_ll {
	uint8_t type;
	uint8_t len; /* 1 for Ethernet */
	uint8_t mac[SG_NET_ETH_ALEN];
} SG_PACKED;

static_assert(sizeof(struct sg_net_eth_hdr) == SG_NET_ETH_HLEN, "ethernet header");
static_assert(sizeof(struct sg_net_arp_hdr) == 28, "arp header");
static_assert(sizeof(struct sg_net_ipv4_hdr) == SG_NET_IPV4_HLEN, "ipv4 header");
static_assert(sizeof(struct sg_net_icmp_echo) == 8, "icmp echo header");
static_assert(sizeof(struct sg_net_ipv6_hdr) == SG_NET_IPV6_HLEN, "ipv6 header");
static_assert(sizeof(struct sg_net_icmp6_hdr) == 8, "icmpv6 header");
static_assert(sizeof(struct sg_net_nd_msg) == 24, "ns/na body");
static_assert(sizeof(struct sg_net_nd_opt_ll) == SG_NET_ND_OPT_UNIT, "nd link-layer option");

#ifdef __cplusplus
}
#endif

#endif /* SG_NET_WIRE_H */
