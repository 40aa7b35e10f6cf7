/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv L2: Ethernet in and out, ARP replies and IPv6 neighbour
 * advertisements for the server's own addresses, and a small direct-mapped
 * neighbour table learned from every received frame (peers always speak
 * first to a server). Test code: lib/net will own this in the gateway.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ip.h>

#include "testsrv.h"

#define ICMP6_NS    135
#define ICMP6_NA    136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2

struct nd_msg {
	uint8_t type, code;
	uint16_t cksum;
	uint32_t flags; /* NA: R S O bits; NS: reserved */
	uint8_t target[16];
} __attribute__((packed));

static uint32_t neigh_hash(const uint8_t *addr, uint8_t family)
{
	uint32_t h = 2166136261u;
	unsigned int len = family == 4 ? 4 : 16;

	for (unsigned int i = 0; i < len; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h % SRV_NEIGH_SLOTS;
}

static void neigh_learn(struct srv *s, uint8_t family, const uint8_t *addr,
			const struct rte_ether_addr *mac)
{
	struct srv_neigh *n;

	if (rte_is_multicast_ether_addr(mac) || rte_is_zero_ether_addr(mac))
		return;
	n = &s->neigh[neigh_hash(addr, family)];
	memset(n->addr, 0, sizeof(n->addr));
	memcpy(n->addr, addr, family == 4 ? 4 : 16);
	n->family = family;
	n->mac = *mac;
}

static const struct rte_ether_addr *neigh_find(struct srv *s, uint8_t family, const uint8_t *addr)
{
	struct srv_neigh *n = &s->neigh[neigh_hash(addr, family)];

	if (n->family == family && memcmp(n->addr, addr, family == 4 ? 4 : 16) == 0)
		return &n->mac;
	return s->has_default_dst ? &s->default_dst : NULL;
}

static int arp_input(struct srv *s, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp;
	uint32_t tip;

	if (m->data_len < sizeof(*eth) + sizeof(*arp))
		goto ignore;
	arp = (struct rte_arp_hdr *) (eth + 1);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) || arp->arp_hlen != 6 ||
	    arp->arp_plen != 4)
		goto ignore;
	neigh_learn(s, 4, (const uint8_t *) &arp->arp_data.arp_sip, &arp->arp_data.arp_sha);
	memcpy(&tip, s->ip4, 4);
	if (!s->has_ip4 || arp->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) ||
	    arp->arp_data.arp_tip != tip)
		goto ignore;
	/* Turn the request into the reply in place. */
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	arp->arp_data.arp_tha = arp->arp_data.arp_sha;
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sha = s->mac;
	arp->arp_data.arp_sip = tip;
	eth->dst_addr = arp->arp_data.arp_tha;
	eth->src_addr = s->mac;
	s->cnt.arp_replies++;
	srv_xmit(s, &m, 1);
	return 1;
ignore:
	s->cnt.l2_ignored++;
	rte_pktmbuf_free(m);
	return 1;
}

/* Neighbour solicitation for our address: answer with an advertisement. */
static int ns_input(struct srv *s, struct rte_mbuf *m, struct rte_ipv6_hdr *ip6)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct nd_msg *nd = (struct nd_msg *) (ip6 + 1);
	uint16_t plen = rte_be_to_cpu_16(ip6->payload_len);
	static const uint8_t unspec[16];
	uint8_t *opt;

	if (plen < sizeof(*nd) || m->data_len < sizeof(*eth) + sizeof(*ip6) + plen ||
	    ip6->hop_limits != 255 || nd->code != 0 || !s->has_ip6 ||
	    memcmp(nd->target, s->ip6, 16) != 0 || memcmp(ip6->src_addr, unspec, 16) == 0)
		goto ignore;
	if (rte_ipv6_udptcp_cksum(ip6, nd) != 0 && rte_ipv6_udptcp_cksum(ip6, nd) != 0xffff)
		goto ignore; /* sum over a correct message is 0 (shown as 0xffff) */
	neigh_learn(s, 6, ip6->src_addr, &eth->src_addr);
	/* Reply: unicast to the solicitor, target link-layer address option. */
	if (rte_pktmbuf_trim(m, (uint16_t) (m->pkt_len - sizeof(*eth) - sizeof(*ip6))) != 0)
		goto ignore;
	if (rte_pktmbuf_append(m, sizeof(*nd) + 8) == NULL)
		goto ignore;
	nd = (struct nd_msg *) (ip6 + 1);
	nd->type = ICMP6_NA;
	nd->code = 0;
	nd->flags = rte_cpu_to_be_32(0x60000000u); /* solicited, override */
	memcpy(nd->target, s->ip6, 16);
	opt = (uint8_t *) (nd + 1);
	opt[0] = ND_OPT_TLLA;
	opt[1] = 1;
	memcpy(opt + 2, &s->mac, 6);
	memcpy(ip6->dst_addr, ip6->src_addr, 16);
	memcpy(ip6->src_addr, s->ip6, 16);
	ip6->payload_len = rte_cpu_to_be_16(sizeof(*nd) + 8);
	ip6->hop_limits = 255;
	nd->cksum = 0;
	nd->cksum = rte_ipv6_udptcp_cksum(ip6, nd);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = s->mac;
	s->cnt.nd_adverts++;
	srv_xmit(s, &m, 1);
	return 1;
ignore:
	s->cnt.l2_ignored++;
	rte_pktmbuf_free(m);
	return 1;
}

int srv_l2_input(struct srv *s, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint16_t type;

	s->cnt.rx_frames++;
	if (m->data_len < sizeof(*eth) + sizeof(struct rte_ipv4_hdr)) {
		if (m->data_len >= sizeof(*eth) + sizeof(struct rte_arp_hdr) &&
		    eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
			return arp_input(s, m);
		goto ignore;
	}
	type = rte_be_to_cpu_16(eth->ether_type);
	if (type == RTE_ETHER_TYPE_ARP)
		return arp_input(s, m);
	m->l2_len = sizeof(*eth);
	if (type == RTE_ETHER_TYPE_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) (eth + 1);

		if (ip->next_proto_id != IPPROTO_TCP)
			goto ignore;
		neigh_learn(s, 4, (const uint8_t *) &ip->src_addr, &eth->src_addr);
		return 0;
	}
	if (type == RTE_ETHER_TYPE_IPV6 &&
	    m->data_len >= sizeof(*eth) + sizeof(struct rte_ipv6_hdr)) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *) (eth + 1);

		if (ip6->proto == IPPROTO_ICMPV6 &&
		    m->data_len >= sizeof(*eth) + sizeof(*ip6) + sizeof(struct nd_msg) &&
		    ((struct nd_msg *) (ip6 + 1))->type == ICMP6_NS)
			return ns_input(s, m, ip6);
		if (ip6->proto != IPPROTO_TCP)
			goto ignore;
		neigh_learn(s, 6, ip6->src_addr, &eth->src_addr);
		return 0;
	}
ignore:
	s->cnt.l2_ignored++;
	rte_pktmbuf_free(m);
	return 1;
}

int srv_l2_output(struct srv *s, struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_addr *dst;
	struct rte_ether_hdr *eth;
	uint16_t type;

	if ((ip[0] >> 4) == 4) {
		dst = neigh_find(s, 4, ip + offsetof(struct rte_ipv4_hdr, dst_addr));
		type = RTE_ETHER_TYPE_IPV4;
	} else {
		dst = neigh_find(s, 6, ip + offsetof(struct rte_ipv6_hdr, dst_addr));
		type = RTE_ETHER_TYPE_IPV6;
	}
	if (dst == NULL) {
		s->cnt.tx_no_neigh++;
		return -1;
	}
	eth = (struct rte_ether_hdr *) rte_pktmbuf_prepend(m, sizeof(*eth));
	if (eth == NULL)
		return -1;
	eth->dst_addr = *dst;
	eth->src_addr = s->mac;
	eth->ether_type = rte_cpu_to_be_16(type);
	m->l2_len = sizeof(*eth);
	return 0;
}
