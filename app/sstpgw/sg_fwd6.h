/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 forwarding checks and builders of the data path (fwd6.c): pure functions on byte
 * buffers, no DPDK, thread safe on distinct buffers. Addresses are 16 network-order bytes.
 * Extension headers are not walked: a packet's next header is taken as its upper layer
 * (MSS clamping and ICMPv6 recognition then simply do not apply).
 */
#ifndef SG_FWD6_H
#define SG_FWD6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SG_FWD6_MIN_MTU 1280 /* RFC 8200: every link carries this; ICMPv6 errors fit in it */

/* ICMPv6 error types and codes used by the gateway (RFC 4443). */
#define SG_FWD6_ICMP_DEST_UNREACH 1
#define SG_FWD6_ICMP_TOO_BIG	  2
#define SG_FWD6_ICMP_TIME_EXCEED  3

/* Version 6 and the payload length within len. Returns 40 + payload length, or -EINVAL. */
int sg_fwd6_check(const uint8_t *ip, size_t len);

/* Decrement the hop limit: 0, or -ETIMEDOUT when it would expire (0 or 1: not forwarded). */
int sg_fwd6_hop_limit(uint8_t *ip);

/* Lower the MSS option of a TCP SYN right after the IPv6 header (ip[0..len), checked by
 * sg_fwd6_check) to mss, checksum updated. True when changed. Malformed options: untouched. */
bool sg_fwd6_mss_clamp(uint8_t *ip, size_t len, uint16_t mss);

/*
 * Rewrite the packet in ip[0..len) (cap bytes writable) into an ICMPv6 error of type/code
 * with the 32-bit param (Packet Too Big: the MTU) from src to the packet's source, quoting
 * as much of it as keeps the error within 1280 bytes. Refuses (RFC 4443 §2.4) to answer an
 * ICMPv6 error, a packet from the unspecified or a multicast address, or one too short to
 * be IPv6. Returns the new length, or -EINVAL.
 */
int sg_fwd6_icmp_error(uint8_t *ip, size_t len, size_t cap, const uint8_t src[16], uint8_t type,
		       uint8_t code, uint32_t param);

/* An ICMPv6 echo request to us in ip[0..len) -> the echo reply from self, in place.
 * Returns the reply length, or -EINVAL (not a valid echo request, bad checksum). */
int sg_fwd6_echo_reply(uint8_t *ip, size_t len, const uint8_t self[16]);

/* What a client's inner IPv6 packet is, judged by its addresses (anti-spoofing). */
enum sg_fwd6_class {
	SG_FWD6_FORWARD = 0, /* source in the session's prefix, destination global: forward */
	SG_FWD6_RS,	     /* a router solicitation (link-local or unspecified source) */
	SG_FWD6_LINK,	     /* other link-scope traffic (MLD, NS, to fe80::/ff02::): not forwarded */
	SG_FWD6_SPOOFED,     /* source outside the session's prefix: dropped */
	SG_FWD6_BAD_DST,     /* global source but a multicast or unspecified destination */
};

/* Classify ip (checked by sg_fwd6_check) from a session holding prefix/plen. */
enum sg_fwd6_class sg_fwd6_classify(const uint8_t *ip, size_t len, const uint8_t prefix[16],
				    uint8_t plen);

/* True when a and b agree in their first plen bits. */
bool sg_fwd6_in_prefix(const uint8_t a[16], const uint8_t p[16], uint8_t plen);

/* fe80::<id> */
void sg_fwd6_link_local(uint64_t ifid, uint8_t out[16]);

/* What a router advertisement on a session's PPP link says. */
struct sg_fwd6_ra {
	uint8_t src[16];	   /* the gateway's link-local address on the link */
	uint8_t dst[16];	   /* ff02::1, or the soliciting client's address */
	uint8_t prefix[16];	   /* the session's on-link prefix (host bits ignored) */
	uint8_t prefix_len;	   /* 64 for SLAAC */
	uint32_t valid_lifetime;   /* s */
	uint32_t preferred_lifetime;
	uint16_t router_lifetime;  /* s, 0: not a default router */
	uint16_t mtu;		   /* MTU option (0: none) */
	uint8_t n_dns;		   /* RDNSS option (RFC 8106) with up to 2 servers */
	uint8_t dns[2][16];
	uint32_t dns_lifetime;
};

/*
 * Build the IPv6 packet (no link header) of a router advertisement: hop limit 255,
 * cur hop limit 64, M and O flags clear, a prefix information option with L and A set,
 * optional MTU and RDNSS options, checksum filled. Returns its length or -ENOSPC.
 */
int sg_fwd6_ra_build(const struct sg_fwd6_ra *ra, uint8_t *buf, size_t cap);

/* The target of a neighbour solicitation (hop limit 255, code 0, not multicast) in
 * ip[0..len) (an IPv6 packet), else NULL. */
const uint8_t *sg_fwd6_ns_target(const uint8_t *ip, size_t len);

/*
 * Rewrite the neighbour solicitation in ip[0..len) (cap bytes writable) into the proxy
 * neighbour advertisement for its target from src with our mac: router flag, solicited
 * unless the NS came from :: (then to ff02::1), override clear (RFC 4861 §7.2.8), target
 * link-layer option. Returns the new length (72) or -EINVAL.
 */
int sg_fwd6_proxy_na(uint8_t *ip, size_t len, size_t cap, const uint8_t src[16],
		     const uint8_t mac[6]);

#ifdef __cplusplus
}
#endif

#endif /* SG_FWD6_H */
