/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small neighbour cache: IPv4 and IPv6 next hops -> MAC, with states after
 * RFC 4861 7.3 (INCOMPLETE, REACHABLE, STALE), bounded size, time passed in.
 * One table per worker (not thread safe: one owner). Lookups scan linearly:
 * the table holds next hops (LAN routers, directly attached servers), not
 * every host on a segment, so keep capacity small (default 64).
 *
 * Resolving an unknown address creates an INCOMPLETE entry and tells the
 * caller to send a solicitation (sg_net_arp_request_build/sg_net_ns_build);
 * the answer, seen by sg_net_input(), completes it.
 */
#ifndef SG_NET_NEIGH_H
#define SG_NET_NEIGH_H

#include <stdint.h>

#include "sg_common.h"
#include "sg_net_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sg_net_neigh_state {
	SG_NET_NEIGH_INCOMPLETE, /* solicitation sent, no answer yet */
	SG_NET_NEIGH_REACHABLE,	 /* confirmed within reachable_usec */
	SG_NET_NEIGH_STALE,	 /* usable MAC, not recently confirmed */
};

struct sg_net_neigh_params {
	sg_usec_t reachable_usec; /* REACHABLE -> STALE after this (RFC 4861: 30 s) */
	sg_usec_t retrans_usec;	  /* between solicitations of an INCOMPLETE entry (1 s) */
	unsigned int max_probes;  /* solicitations before giving up (3) */
	sg_usec_t stale_usec;	  /* STALE entries unused this long are removed (600 s) */
};

/* Flags for sg_net_neigh_confirm(). */
#define SG_NET_NEIGH_F_CREATE	 0x1 /* create the entry when missing */
#define SG_NET_NEIGH_F_REACHABLE 0x2 /* confirmed reachability (else: STALE) */
#define SG_NET_NEIGH_F_OVERRIDE	 0x4 /* a different MAC replaces the known one */

/* Returned by sg_net_neigh_resolve() when the caller must send a solicitation. */
#define SG_NET_NEIGH_SOLICIT 1

/*
 * A table for capacity entries (1..65536); params NULL = RFC defaults.
 * Returns NULL and sets errno (EINVAL, ENOMEM).
 */
struct sg_net_neigh_table *sg_net_neigh_create(unsigned int capacity,
					       const struct sg_net_neigh_params *params);

/* NULL is fine. */
void sg_net_neigh_free(struct sg_net_neigh_table *t);

/*
 * MAC for addr (family 4: 4 bytes, family 6: 16 bytes) at time now.
 * Returns 0 with mac filled (REACHABLE or STALE); SG_NET_NEIGH_SOLICIT when
 * the caller must solicit now (new INCOMPLETE entry, or retransmission due);
 * -EAGAIN while a solicitation is outstanding; -EHOSTUNREACH once max_probes
 * went unanswered (the entry is removed, the next call starts over);
 * -ENOSPC when the table is full of entries that cannot be evicted;
 * -EINVAL for a bad family.
 */
int sg_net_neigh_resolve(struct sg_net_neigh_table *t, int family, const uint8_t *addr,
			 sg_usec_t now, uint8_t mac[SG_NET_ETH_ALEN]);

/*
 * Record that addr is at mac (an ARP packet, an NS source option, an NA).
 * Returns 0, -ENOENT (unknown and no F_CREATE), -ENOSPC, -EINVAL.
 */
int sg_net_neigh_confirm(struct sg_net_neigh_table *t, int family, const uint8_t *addr,
			 const uint8_t mac[SG_NET_ETH_ALEN], sg_usec_t now, unsigned int flags);

/*
 * Age entries: REACHABLE -> STALE after reachable_usec, remove STALE entries
 * older than stale_usec. Call from the drain timer. Returns entries removed.
 */
unsigned int sg_net_neigh_age(struct sg_net_neigh_table *t, sg_usec_t now);

/* State of addr, or -ENOENT. */
int sg_net_neigh_state(const struct sg_net_neigh_table *t, int family, const uint8_t *addr);

/* Entries in use. */
unsigned int sg_net_neigh_count(const struct sg_net_neigh_table *t);

#ifdef __cplusplus
}
#endif

#endif /* SG_NET_NEIGH_H */
