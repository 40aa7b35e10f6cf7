/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/net internals shared by the per-protocol files. */
#ifndef SG_NET_PRIV_H
#define SG_NET_PRIV_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "sg_net.h"
#include "sg_net_neigh.h"

static inline void net_drop(struct sg_net_result *res, enum sg_net_drop why)
{
	res->action = SG_NET_ACT_DROP;
	res->drop = why;
}

static inline bool mac_is_multicast(const uint8_t *mac)
{
	return (mac[0] & 1) != 0;
}

static inline bool mac_is_zero(const uint8_t *mac)
{
	static const uint8_t zero[SG_NET_ETH_ALEN];
	return memcmp(mac, zero, SG_NET_ETH_ALEN) == 0;
}

static inline bool ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool ip6_is_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];
	return memcmp(a, zero, 16) == 0;
}

/* Ethernet header of a reply to frame: back to its sender, from us. */
static inline void eth_reply(const struct sg_net_iface *ifc, uint8_t *frame, const uint8_t *to)
{
	struct sg_net_eth_hdr *eth = (struct sg_net_eth_hdr *) frame;
	memmove(eth->dst, to, SG_NET_ETH_ALEN);
	memcpy(eth->src, ifc->mac, SG_NET_ETH_ALEN);
}

/*
 * Record addr -> mac in nt (when given) and report it in res->learn when that
 * worked, or when nt does not know addr but the frame was an answer sent to
 * us (answered_us): another table (the worker that asked) may be waiting.
 */
static inline void net_learn(struct sg_net_result *res, struct sg_net_neigh_table *nt, int family,
			     const uint8_t *addr, const uint8_t *mac, sg_usec_t now,
			     unsigned int flags, bool answered_us)
{
	if (nt != NULL) {
		int rc = sg_net_neigh_confirm(nt, family, addr, mac, now, flags);
		if (rc != 0 && !(rc == -ENOENT && answered_us))
			return;
	}
	res->learn.family = (uint8_t) family;
	res->learn.flags = (uint8_t) flags;
	memcpy(res->learn.addr, addr, family == 4 ? 4 : 16);
	memcpy(res->learn.mac, mac, SG_NET_ETH_ALEN);
}

/* Mark frame as a reply of len bytes, zero-padded to the Ethernet minimum when room allows. */
void net_reply(struct sg_net_result *res, uint8_t *frame, size_t len, size_t cap);

void net_arp_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		   uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res);
void net_ipv4_input(const struct sg_net_iface *ifc, uint8_t *frame, size_t len, size_t cap,
		    struct sg_net_result *res);
void net_ipv6_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		    uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res);

#endif /* SG_NET_PRIV_H */
