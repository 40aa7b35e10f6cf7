/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP (RFC 826) for the gateway's own IPv4 address; probes (RFC 5227) answered. */
#include "sg_net_priv.h"

static bool ip4_is_bad_sender(const uint8_t *a)
{
	/* multicast, class E and limited broadcast, loopback */
	return a[0] >= 224 || a[0] == 127;
}

void net_arp_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		   uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res)
{
	static const uint8_t zero4[4];
	struct sg_net_arp_hdr *arp = (struct sg_net_arp_hdr *) (frame + SG_NET_ETH_HLEN);
	uint8_t sha[SG_NET_ETH_ALEN], spa[4];
	bool for_us, probe;
	uint16_t op;

	if (len < SG_NET_ETH_HLEN + sizeof(*arp)) {
		net_drop(res, SG_NET_DROP_ARP_MALFORMED);
		return;
	}
	if (ntohs(arp->htype) != SG_NET_ARP_HTYPE_ETHER ||
	    ntohs(arp->ptype) != SG_NET_ETHERTYPE_IPV4 || arp->hlen != SG_NET_ETH_ALEN ||
	    arp->plen != 4) {
		net_drop(res, SG_NET_DROP_ARP_MALFORMED);
		return;
	}
	op = ntohs(arp->op);
	if (op != SG_NET_ARP_OP_REQUEST && op != SG_NET_ARP_OP_REPLY) {
		net_drop(res, SG_NET_DROP_ARP_OP);
		return;
	}
	if (mac_is_multicast(arp->sha) || mac_is_zero(arp->sha) || ip4_is_bad_sender(arp->spa) ||
	    (ifc->has_ip4 && memcmp(arp->spa, ifc->ip4, 4) == 0)) {
		net_drop(res, SG_NET_DROP_ARP_BAD_SENDER);
		return;
	}
	for_us = ifc->has_ip4 && memcmp(arp->tpa, ifc->ip4, 4) == 0;
	probe = memcmp(arp->spa, zero4, 4) == 0;
	if (probe && op == SG_NET_ARP_OP_REPLY) {
		net_drop(res, SG_NET_DROP_ARP_BAD_SENDER);
		return;
	}
	/* Merge (RFC 826): refresh a known sender; create one only when it asks for us. */
	if (!probe)
		net_learn(res, nt, 4, arp->spa, arp->sha, now,
			  SG_NET_NEIGH_F_REACHABLE | SG_NET_NEIGH_F_OVERRIDE |
			      (for_us && op == SG_NET_ARP_OP_REQUEST ? SG_NET_NEIGH_F_CREATE : 0),
			  for_us && op == SG_NET_ARP_OP_REPLY);
	if (!for_us) {
		net_drop(res, SG_NET_DROP_ARP_NOT_FOR_US);
		return;
	}
	if (op == SG_NET_ARP_OP_REPLY) {
		res->action = SG_NET_ACT_CONSUMED;
		return;
	}
	memcpy(sha, arp->sha, sizeof(sha));
	memcpy(spa, arp->spa, sizeof(spa));
	/* A probe (sender 0.0.0.0) is answered to its sender's MAC, as a reply. */
	eth_reply(ifc, frame, sha);
	arp->op = htons(SG_NET_ARP_OP_REPLY);
	memcpy(arp->tha, sha, SG_NET_ETH_ALEN);
	memcpy(arp->tpa, spa, 4);
	memcpy(arp->sha, ifc->mac, SG_NET_ETH_ALEN);
	memcpy(arp->spa, ifc->ip4, 4);
	net_reply(res, frame, SG_NET_ETH_HLEN + sizeof(*arp), cap);
}
