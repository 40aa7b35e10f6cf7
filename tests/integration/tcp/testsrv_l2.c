/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv L2 on lib/net: ARP and NDP answers for the server's own
 * addresses (and ICMP echo), the neighbour cache, Ethernet in and out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ip.h>

#include "sg_net_mbuf.h"
#include "testsrv.h"

int srv_l2_init(struct srv *s)
{
	int rc = sg_net_iface_init(&s->ifc, s->mac.addr_bytes, s->has_ip4 ? s->ip4 : NULL, 24,
				   s->has_ip6 ? s->ip6 : NULL, 64);

	if (rc != 0)
		return rc;
	s->nt = sg_net_neigh_create(SRV_NEIGH_MAX, NULL);
	return s->nt == NULL ? -ENOMEM : 0;
}

void srv_l2_fini(struct srv *s)
{
	for (int i = 1; i < SG_NET_DROP_COUNT; i++)
		if (s->net_drops[i] != 0)
			printf("net.drop.%s %" PRIu64 "\n", sg_net_drop_name((enum sg_net_drop) i),
			       s->net_drops[i]);
	sg_net_neigh_free(s->nt);
	s->nt = NULL;
}

int srv_l2_input(struct srv *s, struct rte_mbuf *m)
{
	struct sg_net_result res;

	s->cnt.rx_frames++;
	sg_net_mbuf_input(&s->ifc, s->nt, s->now, m, &res);
	switch (res.action) {
	case SG_NET_ACT_REPLY:
		s->cnt.l2_replies++;
		srv_xmit(s, &m, 1);
		return 1;
	case SG_NET_ACT_LOCAL:
		if (res.l4_proto == IPPROTO_TCP) {
			m->l2_len = res.l3_off;
			return 0;
		}
		s->cnt.l2_ignored++;
		break;
	case SG_NET_ACT_DROP:
		if (res.drop < SG_NET_DROP_COUNT)
			s->net_drops[res.drop]++;
		break;
	case SG_NET_ACT_CONSUMED:
		break;
	}
	rte_pktmbuf_free(m);
	return 1;
}

/* Send an ARP request / neighbour solicitation for addr. */
static void solicit(struct srv *s, int family, const uint8_t *addr)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->pool);
	int rc;

	if (m == NULL)
		return;
	rc = family == 4 ? sg_net_mbuf_arp_request(&s->ifc, addr, m)
			 : sg_net_mbuf_ns(&s->ifc, addr, m);
	if (rc != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	s->cnt.solicits++;
	srv_xmit(s, &m, 1);
}

int srv_l2_resolve(struct srv *s, int family, const uint8_t *addr, struct rte_ether_addr *mac)
{
	int rc = sg_net_neigh_resolve(s->nt, family, addr, s->now, mac->addr_bytes);

	if (rc == SG_NET_NEIGH_SOLICIT)
		solicit(s, family, addr);
	return rc;
}

int srv_l2_output(struct srv *s, struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	struct rte_ether_addr dst;
	struct rte_ether_hdr *eth;
	uint16_t type;
	int rc;

	if ((ip[0] >> 4) == 4) {
		rc = srv_l2_resolve(s, 4, ip + offsetof(struct rte_ipv4_hdr, dst_addr), &dst);
		type = RTE_ETHER_TYPE_IPV4;
	} else {
		rc = srv_l2_resolve(s, 6, ip + offsetof(struct rte_ipv6_hdr, dst_addr), &dst);
		type = RTE_ETHER_TYPE_IPV6;
	}
	if (rc != 0) {
		s->cnt.tx_no_neigh++;
		return -1;
	}
	eth = (struct rte_ether_hdr *) rte_pktmbuf_prepend(m, sizeof(*eth));
	if (eth == NULL)
		return -1;
	eth->dst_addr = dst;
	eth->src_addr = s->mac;
	eth->ether_type = rte_cpu_to_be_16(type);
	m->l2_len = sizeof(*eth);
	return 0;
}
