/* SPDX-License-Identifier: BSD-3-Clause */
/* Ethernet dispatch, the port identity, solicitation builders. */
#include <errno.h>

#include "sg_net_priv.h"

static const char *const drop_names[SG_NET_DROP_COUNT] = {[SG_NET_DROP_NONE] = "none",
#define SG_NET_DROP_NAME_(id, name) [SG_NET_DROP_##id] = name,
							  SG_NET_DROPS(SG_NET_DROP_NAME_)
#undef SG_NET_DROP_NAME_
};

const char *sg_net_drop_name(enum sg_net_drop reason)
{
	if ((unsigned int) reason >= SG_NET_DROP_COUNT)
		return "?";
	return drop_names[reason];
}

static const uint8_t bcast_mac[SG_NET_ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

int sg_net_iface_init(struct sg_net_iface *ifc, const uint8_t mac[SG_NET_ETH_ALEN],
		      const uint8_t *ip4, uint8_t ip4_prefix_len, const uint8_t *ip6,
		      uint8_t ip6_prefix_len)
{
	if (ifc == NULL || mac == NULL || mac_is_multicast(mac) || mac_is_zero(mac))
		return -EINVAL;
	memset(ifc, 0, sizeof(*ifc));
	memcpy(ifc->mac, mac, SG_NET_ETH_ALEN);
	if (ip4 != NULL) {
		static const uint8_t zero4[4];
		if (ip4_prefix_len > 32 || memcmp(ip4, zero4, 4) == 0 || ip4[0] >= 224)
			return -EINVAL;
		ifc->has_ip4 = true;
		memcpy(ifc->ip4, ip4, 4);
		ifc->ip4_prefix_len = ip4_prefix_len;
	}
	if (ip6 != NULL) {
		if (ip6_prefix_len > 128 || ip6_is_multicast(ip6) || ip6_is_unspecified(ip6))
			return -EINVAL;
		ifc->has_ip6 = true;
		memcpy(ifc->ip6, ip6, 16);
		ifc->ip6_prefix_len = ip6_prefix_len;
	}
	/* fe80::/64 + modified EUI-64 (RFC 4291 appendix A). */
	ifc->ip6_ll[0] = 0xfe;
	ifc->ip6_ll[1] = 0x80;
	ifc->ip6_ll[8] = mac[0] ^ 0x02;
	ifc->ip6_ll[9] = mac[1];
	ifc->ip6_ll[10] = mac[2];
	ifc->ip6_ll[11] = 0xff;
	ifc->ip6_ll[12] = 0xfe;
	ifc->ip6_ll[13] = mac[3];
	ifc->ip6_ll[14] = mac[4];
	ifc->ip6_ll[15] = mac[5];
	return 0;
}

bool sg_net_iface_is_ip6(const struct sg_net_iface *ifc, const uint8_t *addr)
{
	return (ifc->has_ip6 && memcmp(addr, ifc->ip6, 16) == 0) ||
	       memcmp(addr, ifc->ip6_ll, 16) == 0;
}

void sg_net_ip6_solicited_node(const uint8_t addr[16], uint8_t group[16])
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
	memcpy(group, prefix, sizeof(prefix));
	memcpy(group + 13, addr + 13, 3);
}

void sg_net_ip6_mcast_mac(const uint8_t group[16], uint8_t mac[SG_NET_ETH_ALEN])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

void net_reply(struct sg_net_result *res, uint8_t *frame, size_t len, size_t cap)
{
	if (len < SG_NET_ETH_MIN_FRAME && cap >= SG_NET_ETH_MIN_FRAME) {
		memset(frame + len, 0, SG_NET_ETH_MIN_FRAME - len);
		len = SG_NET_ETH_MIN_FRAME;
	}
	res->action = SG_NET_ACT_REPLY;
	res->drop = SG_NET_DROP_NONE;
	res->len = (uint16_t) len;
}

void sg_net_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		  uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res)
{
	const struct sg_net_eth_hdr *eth = (const struct sg_net_eth_hdr *) frame;
	bool unicast, bcast, mcast6;
	uint16_t type;

	memset(res, 0, sizeof(*res));
	if (frame == NULL || len < SG_NET_ETH_HLEN || cap < len || len > UINT16_MAX) {
		net_drop(res, SG_NET_DROP_ETH_TRUNCATED);
		return;
	}
	type = ntohs(eth->type);
	unicast = memcmp(eth->dst, ifc->mac, SG_NET_ETH_ALEN) == 0;
	bcast = memcmp(eth->dst, bcast_mac, SG_NET_ETH_ALEN) == 0;
	mcast6 = eth->dst[0] == 0x33 && eth->dst[1] == 0x33;
	if (!unicast && !bcast && !mcast6) {
		net_drop(res, SG_NET_DROP_ETH_NOT_FOR_US);
		return;
	}
	switch (type) {
	case SG_NET_ETHERTYPE_ARP:
		if (mcast6)
			net_drop(res, SG_NET_DROP_ETH_NOT_FOR_US);
		else
			net_arp_input(ifc, nt, now, frame, len, cap, res);
		return;
	case SG_NET_ETHERTYPE_IPV4:
		if (!unicast)
			net_drop(res, SG_NET_DROP_IP4_NOT_LOCAL);
		else
			net_ipv4_input(ifc, frame, len, cap, res);
		return;
	case SG_NET_ETHERTYPE_IPV6:
		if (bcast)
			net_drop(res, SG_NET_DROP_ETH_NOT_FOR_US);
		else
			net_ipv6_input(ifc, nt, now, frame, len, cap, res);
		return;
	case SG_NET_ETHERTYPE_VLAN:
	case SG_NET_ETHERTYPE_QINQ:
		net_drop(res, SG_NET_DROP_ETH_VLAN);
		return;
	default:
		net_drop(res, SG_NET_DROP_ETH_TYPE);
		return;
	}
}

int sg_net_arp_request_build(const struct sg_net_iface *ifc, const uint8_t target_ip4[4],
			     uint8_t *buf, size_t cap)
{
	struct sg_net_eth_hdr *eth = (struct sg_net_eth_hdr *) buf;
	struct sg_net_arp_hdr *arp = (struct sg_net_arp_hdr *) (buf + SG_NET_ETH_HLEN);

	if (ifc == NULL || target_ip4 == NULL || buf == NULL || !ifc->has_ip4)
		return -EINVAL;
	if (cap < SG_NET_ETH_MIN_FRAME)
		return -ENOSPC;
	memset(buf, 0, SG_NET_ETH_MIN_FRAME);
	memcpy(eth->dst, bcast_mac, SG_NET_ETH_ALEN);
	memcpy(eth->src, ifc->mac, SG_NET_ETH_ALEN);
	eth->type = htons(SG_NET_ETHERTYPE_ARP);
	arp->htype = htons(SG_NET_ARP_HTYPE_ETHER);
	arp->ptype = htons(SG_NET_ETHERTYPE_IPV4);
	arp->hlen = SG_NET_ETH_ALEN;
	arp->plen = 4;
	arp->op = htons(SG_NET_ARP_OP_REQUEST);
	memcpy(arp->sha, ifc->mac, SG_NET_ETH_ALEN);
	memcpy(arp->spa, ifc->ip4, 4);
	memcpy(arp->tpa, target_ip4, 4);
	return SG_NET_ETH_MIN_FRAME;
}

int sg_net_ns_build(const struct sg_net_iface *ifc, const uint8_t target[16], uint8_t *buf,
		    size_t cap)
{
	const size_t l4_len = sizeof(struct sg_net_nd_msg) + sizeof(struct sg_net_nd_opt_ll);
	const size_t total = SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + l4_len;
	struct sg_net_eth_hdr *eth = (struct sg_net_eth_hdr *) buf;
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (buf + SG_NET_ETH_HLEN);
	struct sg_net_nd_msg *ns = (struct sg_net_nd_msg *) (ip6 + 1);
	struct sg_net_nd_opt_ll *opt = (struct sg_net_nd_opt_ll *) (ns + 1);
	bool link_local;

	if (ifc == NULL || target == NULL || buf == NULL || ip6_is_multicast(target) ||
	    ip6_is_unspecified(target))
		return -EINVAL;
	link_local = target[0] == 0xfe && (target[1] & 0xc0) == 0x80;
	if (!link_local && !ifc->has_ip6)
		return -EINVAL;
	if (cap < total)
		return -ENOSPC;
	memset(buf, 0, total);
	sg_net_ip6_solicited_node(target, ip6->dst);
	sg_net_ip6_mcast_mac(ip6->dst, eth->dst);
	memcpy(eth->src, ifc->mac, SG_NET_ETH_ALEN);
	eth->type = htons(SG_NET_ETHERTYPE_IPV6);
	ip6->vtc_flow = htonl(6u << 28);
	ip6->payload_len = htons((uint16_t) l4_len);
	ip6->next_header = SG_NET_PROTO_ICMPV6;
	ip6->hop_limit = SG_NET_NDP_HOP_LIMIT;
	memcpy(ip6->src, link_local ? ifc->ip6_ll : ifc->ip6, 16);
	ns->icmp.type = SG_NET_ICMP6_NEIGH_SOLICIT;
	memcpy(ns->target, target, 16);
	opt->type = SG_NET_ND_OPT_SOURCE_LL;
	opt->len = 1;
	memcpy(opt->mac, ifc->mac, SG_NET_ETH_ALEN);
	ns->icmp.cksum = sg_net_ipv6_l4_cksum(ip6->src, ip6->dst, SG_NET_PROTO_ICMPV6, ns, l4_len);
	return (int) total;
}
