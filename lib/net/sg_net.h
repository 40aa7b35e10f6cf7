/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net: what the gateway answers for itself on a port. Pure functions on
 * byte buffers: Ethernet (no VLAN), ARP, IPv4/IPv6 header checks, ICMP and
 * ICMPv6 echo, NDP neighbour solicitation/advertisement, checksums, and the
 * builders that solicit a next hop's MAC. The neighbour cache is in
 * sg_net_neigh.h, thin mbuf wrappers in sg_net_mbuf.h.
 *
 * Nothing here allocates, prints, or keeps global state; every function is
 * thread safe on distinct buffers.
 */
#ifndef SG_NET_H
#define SG_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_common.h"
#include "sg_net_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_net_neigh_table;

/*
 * Every reason lib/net drops a frame: X(enum suffix, counter name). The daemon
 * folds this list into its own drop list, so each one has a per-core counter.
 */
#define SG_NET_DROPS(X)                                                                            \
	X(ETH_TRUNCATED, "eth_truncated")                                                          \
	X(ETH_NOT_FOR_US, "eth_not_for_us")                                                        \
	X(ETH_VLAN, "eth_vlan")                                                                    \
	X(ETH_TYPE, "eth_unknown_type")                                                            \
	X(ARP_MALFORMED, "arp_malformed")                                                          \
	X(ARP_BAD_SENDER, "arp_bad_sender")                                                        \
	X(ARP_NOT_FOR_US, "arp_not_for_us")                                                        \
	X(ARP_OP, "arp_unknown_op")                                                                \
	X(IP4_TRUNCATED, "ip4_truncated")                                                          \
	X(IP4_BAD_HEADER, "ip4_bad_header")                                                        \
	X(IP4_BAD_CKSUM, "ip4_bad_cksum")                                                          \
	X(IP4_BAD_SRC, "ip4_bad_src")                                                              \
	X(IP4_FRAGMENT, "ip4_fragment")                                                            \
	X(IP4_NOT_LOCAL, "ip4_not_local")                                                          \
	X(IP4_PROTO, "ip4_unhandled_proto")                                                        \
	X(ICMP4_TRUNCATED, "icmp4_truncated")                                                      \
	X(ICMP4_BAD_CKSUM, "icmp4_bad_cksum")                                                      \
	X(ICMP4_TYPE, "icmp4_unhandled_type")                                                      \
	X(IP6_TRUNCATED, "ip6_truncated")                                                          \
	X(IP6_BAD_HEADER, "ip6_bad_header")                                                        \
	X(IP6_BAD_SRC, "ip6_bad_src")                                                              \
	X(IP6_NOT_LOCAL, "ip6_not_local")                                                          \
	X(IP6_NEXT_HEADER, "ip6_unhandled_next_header")                                            \
	X(ICMP6_TRUNCATED, "icmp6_truncated")                                                      \
	X(ICMP6_BAD_CKSUM, "icmp6_bad_cksum")                                                      \
	X(ICMP6_TYPE, "icmp6_unhandled_type")                                                      \
	X(NDP_BAD_HOP_LIMIT, "ndp_bad_hop_limit")                                                  \
	X(NDP_MALFORMED, "ndp_malformed")                                                          \
	X(NDP_BAD_OPTION, "ndp_bad_option")                                                        \
	X(NDP_NOT_FOR_US, "ndp_not_for_us")                                                        \
	X(NO_ROOM, "net_no_room_for_reply")                                                        \
	X(CHAINED_MBUF, "rx_chained_mbuf")

enum sg_net_drop {
	SG_NET_DROP_NONE = 0,
#define SG_NET_DROP_ENUM_(id, name) SG_NET_DROP_##id,
	SG_NET_DROPS(SG_NET_DROP_ENUM_)
#undef SG_NET_DROP_ENUM_
	    SG_NET_DROP_COUNT
};

/* "ip4_not_local", ...; "none" for SG_NET_DROP_NONE, "?" when out of range. */
const char *sg_net_drop_name(enum sg_net_drop reason);

/* The gateway's own identity on one port. Build it with sg_net_iface_init(). */
struct sg_net_iface {
	uint8_t mac[SG_NET_ETH_ALEN];
	bool has_ip4;
	uint8_t ip4[4];
	uint8_t ip4_prefix_len;
	bool has_ip6;
	uint8_t ip6[16]; /* configured (global) address */
	uint8_t ip6_prefix_len;
	uint8_t ip6_ll[16]; /* fe80::/64 + modified EUI-64 of mac, always answered */
};

/*
 * Fill ifc. ip4/ip6 are network-order addresses or NULL when the port has no
 * such address. Returns 0, or -EINVAL for a multicast/zero MAC, a prefix
 * length out of range, or a multicast/unspecified address.
 */
int sg_net_iface_init(struct sg_net_iface *ifc, const uint8_t mac[SG_NET_ETH_ALEN],
		      const uint8_t *ip4, uint8_t ip4_prefix_len, const uint8_t *ip6,
		      uint8_t ip6_prefix_len);

/* True when addr (16 bytes) is one of the port's IPv6 unicast addresses. */
bool sg_net_iface_is_ip6(const struct sg_net_iface *ifc, const uint8_t *addr);

/* What sg_net_input() decided about a frame. */
enum sg_net_action {
	SG_NET_ACT_DROP,     /* reason in res->drop; frame untouched */
	SG_NET_ACT_REPLY,    /* the buffer now holds a reply of res->len bytes: send it */
	SG_NET_ACT_CONSUMED, /* handled (e.g. an ARP reply learned); nothing to send */
	SG_NET_ACT_LOCAL,    /* a valid IP packet for us that lib/net does not handle
				(TCP, UDP): offsets and protocol filled in */
};

struct sg_net_result {
	enum sg_net_action action;
	enum sg_net_drop drop;
	uint16_t len;	 /* REPLY: reply length; LOCAL: frame length without padding */
	uint16_t l3_off; /* LOCAL */
	uint16_t l4_off; /* LOCAL */
	uint8_t l4_proto;
	uint8_t family; /* LOCAL: 4 or 6 */
	/*
	 * Any action: the neighbour the frame taught us (an ARP sender, an NS
	 * source, an NA target), as recorded in nt (or as it would have been when
	 * nt is NULL), or an answer sent to us that nt had no entry for (another
	 * table may have asked); learn.family 0 = nothing. Lets a caller share it
	 * with other tables (other workers) using the same flags.
	 */
	struct {
		uint8_t family; /* 0, 4 or 6 */
		uint8_t flags;	/* SG_NET_NEIGH_F_* used */
		uint8_t addr[16];
		uint8_t mac[SG_NET_ETH_ALEN];
	} learn;
};

/*
 * Take one Ethernet frame received on the port described by ifc and answer
 * it if it is for the gateway itself: ARP requests for our IPv4 address, ICMP
 * echo to our IPv4 address, ICMPv6 echo to our IPv6 addresses, NDP neighbour
 * solicitations for our IPv6 addresses (unicast, solicited-node multicast and
 * DAD). Replies are written in place into frame (cap bytes available, cap >=
 * len); nothing outside [frame, frame + cap) is read or written.
 *
 * nt (may be NULL) learns neighbours RFC 826/4861 style: senders that ask for
 * us, answers to our own solicitations. now is the caller's clock.
 *
 * Never fails: every outcome is in res (DROP carries a reason).
 */
void sg_net_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		  uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res);

/*
 * Build a broadcast ARP request for target_ip4 from the port into buf.
 * Returns the frame length (60, padded) or -ENOSPC / -EINVAL (no IPv4 on ifc).
 */
int sg_net_arp_request_build(const struct sg_net_iface *ifc, const uint8_t target_ip4[4],
			     uint8_t *buf, size_t cap);

/*
 * Build a neighbour solicitation for target (16 bytes) to its solicited-node
 * multicast group, from our global address (our link-local one when target is
 * link-local), with a source link-layer option. Returns the frame length
 * (86) or -ENOSPC / -EINVAL.
 */
int sg_net_ns_build(const struct sg_net_iface *ifc, const uint8_t target[16], uint8_t *buf,
		    size_t cap);

/* Checksums (RFC 1071), on any alignment. */

/* One's complement sum of len bytes folded to 16 bits, not complemented. */
uint16_t sg_net_cksum_raw(const void *buf, size_t len);

/* IPv4 header checksum field value for hdr (its cksum field is ignored). */
uint16_t sg_net_ipv4_cksum(const struct sg_net_ipv4_hdr *hdr);

/* Checksum field value for an ICMPv6/TCP/UDP payload over IPv6 (pseudo header). */
uint16_t sg_net_ipv6_l4_cksum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
			      const void *l4, size_t l4_len);

/* True when the l4 payload's checksum verifies over IPv6. */
bool sg_net_ipv6_l4_cksum_ok(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
			     const void *l4, size_t l4_len);

/* Address helpers. */

/* ff02::1:ffXX:XXXX for addr. */
void sg_net_ip6_solicited_node(const uint8_t addr[16], uint8_t group[16]);

/* 33:33 + low 32 bits of a multicast IPv6 group. */
void sg_net_ip6_mcast_mac(const uint8_t group[16], uint8_t mac[SG_NET_ETH_ALEN]);

#ifdef __cplusplus
}
#endif

#endif /* SG_NET_H */
