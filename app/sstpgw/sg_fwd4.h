/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 forwarding checks of the data path (fwd4.c): pure functions on byte buffers,
 * no DPDK, thread safe on distinct buffers. Addresses in network byte order.
 */
#ifndef SG_FWD4_H
#define SG_FWD4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version 4, header length >= 20, header and total length within len. 0 or -EINVAL. */
int sg_fwd4_check(const uint8_t *ip, size_t len);

/* Decrement TTL (checksum updated incrementally). 0, or -ETIMEDOUT when it would expire
 * (TTL 0 or 1: not forwarded). ip must have passed sg_fwd4_check(). */
int sg_fwd4_ttl(uint8_t *ip);

/* Lower the MSS option of a TCP SYN (first fragment) in ip[0..len) to mss, TCP checksum
 * updated. True when changed. Malformed options leave the packet alone. */
bool sg_fwd4_mss_clamp(uint8_t *ip, size_t len, uint16_t mss);

/*
 * Rewrite the IPv4 packet in ip[0..len) (cap bytes writable) into an ICMP
 * fragmentation-needed (type 3 code 4, next-hop MTU mtu) from our_ip to its source,
 * quoting its header and 8 bytes. Returns the new length, or -EINVAL (malformed, too
 * short to quote, no room).
 */
int sg_fwd4_icmp_too_big(uint8_t *ip, size_t len, size_t cap, const uint8_t our_ip_be[4],
			 uint16_t mtu);

/*
 * Turn the ICMP echo request in ip[0..len) (passed sg_fwd4_check) into its echo reply in
 * place: addresses swapped, TTL 64, type 0, both checksums recomputed. Returns the
 * reply's length (the request's total length), or -EINVAL (not an unfragmented echo
 * request, options, ICMP shorter than 8 bytes, or a bad ICMP checksum).
 */
int sg_fwd4_echo_reply(uint8_t *ip, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SG_FWD4_H */
