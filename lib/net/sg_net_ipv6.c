/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv6 header checks, ICMPv6 echo and Neighbor Discovery (RFC 4861) for our addresses. */
#include "sg_net_priv.h"

static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

enum dst_kind { DST_OTHER, DST_UNICAST, DST_ALL_NODES, DST_SOLICITED };

static enum dst_kind classify_dst(const struct sg_net_iface *ifc, const uint8_t *dst)
{
	uint8_t group[16];

	if (sg_net_iface_is_ip6(ifc, dst))
		return DST_UNICAST;
	if (memcmp(dst, all_nodes, 16) == 0)
		return DST_ALL_NODES;
	sg_net_ip6_solicited_node(ifc->ip6_ll, group);
	if (memcmp(dst, group, 16) == 0)
		return DST_SOLICITED;
	if (ifc->has_ip6) {
		sg_net_ip6_solicited_node(ifc->ip6, group);
		if (memcmp(dst, group, 16) == 0)
			return DST_SOLICITED;
	}
	return DST_OTHER;
}

/*
 * Walk NDP options (RFC 4861 4.6): every option needs a non-zero length and
 * must fit. Returns false on a bad option; *ll points at the link-layer
 * address option of type want (NULL when absent).
 */
static bool nd_options(const uint8_t *opt, size_t len, uint8_t want, const uint8_t **ll)
{
	*ll = NULL;
	while (len > 0) {
		size_t olen;
		if (len < 2 || opt[1] == 0)
			return false;
		olen = (size_t) opt[1] * SG_NET_ND_OPT_UNIT;
		if (olen > len)
			return false;
		if (opt[0] == want) {
			if (olen != sizeof(struct sg_net_nd_opt_ll))
				return false;
			*ll = opt + 2;
		}
		opt += olen;
		len -= olen;
	}
	return true;
}

static void echo6_input(const struct sg_net_iface *ifc, uint8_t *frame, enum dst_kind kind,
			size_t l4_len, size_t cap, struct sg_net_result *res)
{
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (frame + SG_NET_ETH_HLEN);
	struct sg_net_icmp6_hdr *icmp = (struct sg_net_icmp6_hdr *) (ip6 + 1);
	uint8_t tmp[16];

	if (kind != DST_UNICAST) {
		net_drop(res, SG_NET_DROP_IP6_NOT_LOCAL);
		return;
	}
	eth_reply(ifc, frame, ((struct sg_net_eth_hdr *) frame)->src);
	memcpy(tmp, ip6->src, 16);
	memcpy(ip6->src, ip6->dst, 16);
	memcpy(ip6->dst, tmp, 16);
	ip6->hop_limit = SG_NET_IPV6_DEFAULT_HOP_LIMIT;
	icmp->type = SG_NET_ICMP6_ECHO_REPLY;
	icmp->cksum = 0;
	icmp->cksum = sg_net_ipv6_l4_cksum(ip6->src, ip6->dst, SG_NET_PROTO_ICMPV6, icmp, l4_len);
	net_reply(res, frame, SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + l4_len, cap);
}

static void ns_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		     uint8_t *frame, enum dst_kind kind, size_t l4_len, size_t cap,
		     struct sg_net_result *res)
{
	const size_t na_len = sizeof(struct sg_net_nd_msg) + sizeof(struct sg_net_nd_opt_ll);
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (frame + SG_NET_ETH_HLEN);
	struct sg_net_nd_msg *nd = (struct sg_net_nd_msg *) (ip6 + 1);
	struct sg_net_nd_opt_ll *opt = (struct sg_net_nd_opt_ll *) (nd + 1);
	uint8_t to_mac[SG_NET_ETH_ALEN], group[16], target[16];
	const uint8_t *sll;
	bool dad = ip6_is_unspecified(ip6->src);

	if (!nd_options((const uint8_t *) (nd + 1), l4_len - sizeof(*nd), SG_NET_ND_OPT_SOURCE_LL,
			&sll)) {
		net_drop(res, SG_NET_DROP_NDP_BAD_OPTION);
		return;
	}
	/* RFC 4861 7.1.1: from ::, only to the solicited-node group and without SLLAO. */
	sg_net_ip6_solicited_node(nd->target, group);
	if (kind == DST_ALL_NODES || (kind == DST_SOLICITED && memcmp(ip6->dst, group, 16) != 0) ||
	    (dad && (kind != DST_SOLICITED || sll != NULL))) {
		net_drop(res, SG_NET_DROP_NDP_MALFORMED);
		return;
	}
	if (!sg_net_iface_is_ip6(ifc, nd->target)) {
		net_drop(res, SG_NET_DROP_NDP_NOT_FOR_US);
		return;
	}
	if (SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + na_len > cap) {
		net_drop(res, SG_NET_DROP_NO_ROOM);
		return;
	}
	if (sll != NULL)
		net_learn(res, nt, 6, ip6->src, sll, now,
			  SG_NET_NEIGH_F_CREATE | SG_NET_NEIGH_F_OVERRIDE, false);
	/* Advertise the target to the solicitor (or to all nodes when it did DAD). */
	memcpy(target, nd->target, 16);
	if (dad) {
		memcpy(ip6->dst, all_nodes, 16);
		sg_net_ip6_mcast_mac(all_nodes, to_mac);
		nd->icmp.data = htonl(SG_NET_NA_FLAG_OVERRIDE);
	} else {
		memcpy(to_mac, sll != NULL ? sll : ((struct sg_net_eth_hdr *) frame)->src,
		       SG_NET_ETH_ALEN);
		memcpy(ip6->dst, ip6->src, 16);
		nd->icmp.data = htonl(SG_NET_NA_FLAG_SOLICITED | SG_NET_NA_FLAG_OVERRIDE);
	}
	eth_reply(ifc, frame, to_mac);
	memcpy(ip6->src, target, 16);
	ip6->vtc_flow = htonl(6u << 28);
	ip6->payload_len = htons((uint16_t) na_len);
	ip6->hop_limit = SG_NET_NDP_HOP_LIMIT;
	nd->icmp.type = SG_NET_ICMP6_NEIGH_ADVERT;
	nd->icmp.code = 0;
	memcpy(nd->target, target, 16);
	opt->type = SG_NET_ND_OPT_TARGET_LL;
	opt->len = 1;
	memcpy(opt->mac, ifc->mac, SG_NET_ETH_ALEN);
	nd->icmp.cksum = 0;
	nd->icmp.cksum = sg_net_ipv6_l4_cksum(ip6->src, ip6->dst, SG_NET_PROTO_ICMPV6, nd, na_len);
	net_reply(res, frame, SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + na_len, cap);
}

static void na_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		     uint8_t *frame, enum dst_kind kind, size_t l4_len, struct sg_net_result *res)
{
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (frame + SG_NET_ETH_HLEN);
	struct sg_net_nd_msg *nd = (struct sg_net_nd_msg *) (ip6 + 1);
	uint32_t flags = ntohl(nd->icmp.data);
	const uint8_t *tll;

	if (!nd_options((const uint8_t *) (nd + 1), l4_len - sizeof(*nd), SG_NET_ND_OPT_TARGET_LL,
			&tll)) {
		net_drop(res, SG_NET_DROP_NDP_BAD_OPTION);
		return;
	}
	/* RFC 4861 7.1.2: a multicast NA must not claim to be solicited. */
	if (kind != DST_UNICAST && (flags & SG_NET_NA_FLAG_SOLICITED)) {
		net_drop(res, SG_NET_DROP_NDP_MALFORMED);
		return;
	}
	if (sg_net_iface_is_ip6(ifc, nd->target)) {
		/* Someone else claims our address: never learn it. */
		net_drop(res, SG_NET_DROP_NDP_NOT_FOR_US);
		return;
	}
	if (tll != NULL)
		net_learn(res, nt, 6, nd->target, tll, now,
			  ((flags & SG_NET_NA_FLAG_SOLICITED) ? SG_NET_NEIGH_F_REACHABLE : 0) |
			      ((flags & SG_NET_NA_FLAG_OVERRIDE) ? SG_NET_NEIGH_F_OVERRIDE : 0),
			  kind == DST_UNICAST);
	res->action = SG_NET_ACT_CONSUMED;
}

static void icmp6_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt,
			sg_usec_t now, uint8_t *frame, enum dst_kind kind, size_t l4_len,
			size_t cap, struct sg_net_result *res)
{
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (frame + SG_NET_ETH_HLEN);
	struct sg_net_icmp6_hdr *icmp = (struct sg_net_icmp6_hdr *) (ip6 + 1);
	struct sg_net_nd_msg *nd = (struct sg_net_nd_msg *) (ip6 + 1);
	bool ndp;

	if (l4_len < sizeof(*icmp)) {
		net_drop(res, SG_NET_DROP_ICMP6_TRUNCATED);
		return;
	}
	if (!sg_net_ipv6_l4_cksum_ok(ip6->src, ip6->dst, SG_NET_PROTO_ICMPV6, icmp, l4_len)) {
		net_drop(res, SG_NET_DROP_ICMP6_BAD_CKSUM);
		return;
	}
	if (icmp->type == SG_NET_ICMP6_ECHO_REQUEST && icmp->code == 0 &&
	    !ip6_is_unspecified(ip6->src)) {
		echo6_input(ifc, frame, kind, l4_len, cap, res);
		return;
	}
	ndp = icmp->type == SG_NET_ICMP6_NEIGH_SOLICIT || icmp->type == SG_NET_ICMP6_NEIGH_ADVERT;
	if (!ndp) {
		net_drop(res, SG_NET_DROP_ICMP6_TYPE);
		return;
	}
	/* RFC 4861 7.1: hop limit 255 proves the sender is on link. */
	if (ip6->hop_limit != SG_NET_NDP_HOP_LIMIT) {
		net_drop(res, SG_NET_DROP_NDP_BAD_HOP_LIMIT);
		return;
	}
	if (icmp->code != 0 || l4_len < sizeof(*nd) || ip6_is_multicast(nd->target)) {
		net_drop(res, SG_NET_DROP_NDP_MALFORMED);
		return;
	}
	if (icmp->type == SG_NET_ICMP6_NEIGH_SOLICIT)
		ns_input(ifc, nt, now, frame, kind, l4_len, cap, res);
	else if (ip6_is_unspecified(ip6->src))
		net_drop(res, SG_NET_DROP_NDP_MALFORMED);
	else
		na_input(ifc, nt, now, frame, kind, l4_len, res);
}

void net_ipv6_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt, sg_usec_t now,
		    uint8_t *frame, size_t len, size_t cap, struct sg_net_result *res)
{
	struct sg_net_ipv6_hdr *ip6 = (struct sg_net_ipv6_hdr *) (frame + SG_NET_ETH_HLEN);
	enum dst_kind kind;
	size_t plen;

	if (len < SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN) {
		net_drop(res, SG_NET_DROP_IP6_TRUNCATED);
		return;
	}
	if ((ntohl(ip6->vtc_flow) >> 28) != 6) {
		net_drop(res, SG_NET_DROP_IP6_BAD_HEADER);
		return;
	}
	plen = ntohs(ip6->payload_len);
	if (SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + plen > len) {
		net_drop(res, SG_NET_DROP_IP6_TRUNCATED);
		return;
	}
	kind = classify_dst(ifc, ip6->dst);
	if (kind == DST_OTHER) {
		net_drop(res, SG_NET_DROP_IP6_NOT_LOCAL);
		return;
	}
	if (ip6_is_multicast(ip6->src) || sg_net_iface_is_ip6(ifc, ip6->src)) {
		net_drop(res, SG_NET_DROP_IP6_BAD_SRC);
		return;
	}
	if (ip6->next_header == SG_NET_PROTO_ICMPV6) {
		icmp6_input(ifc, nt, now, frame, kind, plen, cap, res);
		return;
	}
	if (ip6_is_unspecified(ip6->src)) {
		net_drop(res, SG_NET_DROP_IP6_BAD_SRC);
		return;
	}
	if (kind == DST_UNICAST &&
	    (ip6->next_header == SG_NET_PROTO_TCP || ip6->next_header == SG_NET_PROTO_UDP)) {
		res->action = SG_NET_ACT_LOCAL;
		res->family = 6;
		res->l4_proto = ip6->next_header;
		res->l3_off = SG_NET_ETH_HLEN;
		res->l4_off = SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN;
		res->len = (uint16_t) (SG_NET_ETH_HLEN + SG_NET_IPV6_HLEN + plen);
		return;
	}
	net_drop(res, SG_NET_DROP_IP6_NEXT_HEADER);
}
