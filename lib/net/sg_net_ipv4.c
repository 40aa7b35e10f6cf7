/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv4 header checks and ICMP echo for the gateway's own address. */
#include "sg_net_priv.h"

static bool ip4_is_bad_src(const struct sg_net_iface *ifc, const uint8_t *a)
{
	static const uint8_t zero4[4];
	return a[0] >= 224 || a[0] == 127 || memcmp(a, zero4, 4) == 0 ||
	       memcmp(a, ifc->ip4, 4) == 0;
}

static void icmp4_input(const struct sg_net_iface *ifc, uint8_t *frame, size_t hl, size_t tot,
			size_t cap, struct sg_net_result *res)
{
	struct sg_net_ipv4_hdr *ip = (struct sg_net_ipv4_hdr *) (frame + SG_NET_ETH_HLEN);
	size_t l4_len = tot - hl;
	struct sg_net_icmp_echo *icmp = (struct sg_net_icmp_echo *) ((uint8_t *) ip + hl);
	uint8_t src[4];

	if (l4_len < sizeof(*icmp)) {
		net_drop(res, SG_NET_DROP_ICMP4_TRUNCATED);
		return;
	}
	if (sg_net_cksum_raw(icmp, l4_len) != 0xffff) {
		net_drop(res, SG_NET_DROP_ICMP4_BAD_CKSUM);
		return;
	}
	if (icmp->type != SG_NET_ICMP_ECHO_REQUEST || icmp->code != 0) {
		net_drop(res, SG_NET_DROP_ICMP4_TYPE);
		return;
	}
	/* The reply carries no IP options: move the ICMP message up behind a bare header. */
	if (hl > SG_NET_IPV4_HLEN) {
		memmove((uint8_t *) ip + SG_NET_IPV4_HLEN, icmp, l4_len);
		icmp = (struct sg_net_icmp_echo *) ((uint8_t *) ip + SG_NET_IPV4_HLEN);
	}
	eth_reply(ifc, frame, ((struct sg_net_eth_hdr *) frame)->src);
	memcpy(src, ip->src, 4);
	ip->ver_ihl = 0x45;
	ip->total_len = htons((uint16_t) (SG_NET_IPV4_HLEN + l4_len));
	ip->frag = 0;
	ip->ttl = SG_NET_IPV4_DEFAULT_TTL;
	memcpy(ip->dst, src, 4);
	memcpy(ip->src, ifc->ip4, 4);
	ip->cksum = sg_net_ipv4_cksum(ip);
	icmp->type = SG_NET_ICMP_ECHO_REPLY;
	icmp->cksum = 0;
	icmp->cksum = (uint16_t) ~sg_net_cksum_raw(icmp, l4_len);
	net_reply(res, frame, SG_NET_ETH_HLEN + SG_NET_IPV4_HLEN + l4_len, cap);
}

void net_ipv4_input(const struct sg_net_iface *ifc, uint8_t *frame, size_t len, size_t cap,
		    struct sg_net_result *res)
{
	struct sg_net_ipv4_hdr *ip = (struct sg_net_ipv4_hdr *) (frame + SG_NET_ETH_HLEN);
	size_t hl, tot;
	uint16_t frag;

	if (len < SG_NET_ETH_HLEN + SG_NET_IPV4_HLEN) {
		net_drop(res, SG_NET_DROP_IP4_TRUNCATED);
		return;
	}
	hl = (size_t) (ip->ver_ihl & 0x0f) * 4;
	if ((ip->ver_ihl >> 4) != 4 || hl < SG_NET_IPV4_HLEN) {
		net_drop(res, SG_NET_DROP_IP4_BAD_HEADER);
		return;
	}
	if (SG_NET_ETH_HLEN + hl > len) {
		net_drop(res, SG_NET_DROP_IP4_TRUNCATED);
		return;
	}
	tot = ntohs(ip->total_len);
	if (tot < hl) {
		net_drop(res, SG_NET_DROP_IP4_BAD_HEADER);
		return;
	}
	if (SG_NET_ETH_HLEN + tot > len) {
		net_drop(res, SG_NET_DROP_IP4_TRUNCATED);
		return;
	}
	if (sg_net_cksum_raw(ip, hl) != 0xffff) {
		net_drop(res, SG_NET_DROP_IP4_BAD_CKSUM);
		return;
	}
	if (!ifc->has_ip4 || memcmp(ip->dst, ifc->ip4, 4) != 0) {
		net_drop(res, SG_NET_DROP_IP4_NOT_LOCAL);
		return;
	}
	if (ip4_is_bad_src(ifc, ip->src)) {
		net_drop(res, SG_NET_DROP_IP4_BAD_SRC);
		return;
	}
	frag = ntohs(ip->frag);
	if ((frag & SG_NET_IPV4_FLAG_MF) || (frag & SG_NET_IPV4_OFFSET_MASK)) {
		net_drop(res, SG_NET_DROP_IP4_FRAGMENT);
		return;
	}
	switch (ip->proto) {
	case SG_NET_PROTO_ICMP:
		icmp4_input(ifc, frame, hl, tot, cap, res);
		return;
	case SG_NET_PROTO_TCP:
	case SG_NET_PROTO_UDP:
		res->action = SG_NET_ACT_LOCAL;
		res->family = 4;
		res->l4_proto = ip->proto;
		res->l3_off = SG_NET_ETH_HLEN;
		res->l4_off = (uint16_t) (SG_NET_ETH_HLEN + hl);
		res->len = (uint16_t) (SG_NET_ETH_HLEN + tot);
		return;
	default:
		net_drop(res, SG_NET_DROP_IP4_PROTO);
		return;
	}
}
