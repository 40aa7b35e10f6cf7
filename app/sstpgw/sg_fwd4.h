/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv4 forwarding helpers of the data path (gw_fwd4.c). Worker-side, no state of their own. */
#ifndef SG_FWD4_H
#define SG_FWD4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_app.h"

/* Next hop toward dst on a port: on-link, longest static route, gateway4. 0 or -ENETUNREACH. */
int sg_fwd4_next_hop(const struct sg_app *app, enum sg_role role, uint32_t dst_be, uint32_t *nh_be);

/*
 * Prepend the Ethernet header toward dst (data of m starts at IPv4). Solicits an unknown
 * next hop. 0, -ENETUNREACH (no route), -EHOSTUNREACH (neighbour not resolved yet),
 * -ENOSPC (no headroom).
 */
int sg_fwd4_l2(struct sg_worker *w, enum sg_role role, struct rte_mbuf *m, uint32_t dst_be,
	       sg_usec_t now);

/* Version, header length and total length fit len. 0 or -EINVAL. */
int sg_fwd4_check(const uint8_t *ip, size_t len);

/* Decrement TTL (checksum updated). 0, or -ETIMEDOUT when it would expire. */
int sg_fwd4_ttl(uint8_t *ip);

/* Lower the MSS option of a TCP SYN to mss (checksum updated). True when changed. */
bool sg_fwd4_mss_clamp(uint8_t *ip, size_t len, uint16_t mss);

/* Turn the IPv4 packet at m's data into an ICMP fragmentation-needed to its source. */
int sg_fwd4_icmp_too_big(struct rte_mbuf *m, const uint8_t our_ip_be[4], uint16_t mtu);

#endif /* SG_FWD4_H */
