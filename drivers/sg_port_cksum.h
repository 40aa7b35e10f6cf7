/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checksums with the port's offloads when it reports them, in software when
 * it does not (struct sg_port_caps from sg_port_open()). Inline, single-segment
 * mbufs, safe on any lcore.
 */
#ifndef SG_PORT_CKSUM_H
#define SG_PORT_CKSUM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "sg_port.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sg_port_cksum_status {
	SG_PORT_CKSUM_BAD = -1,
	SG_PORT_CKSUM_UNKNOWN = 0, /* not checked by the port: verify in software */
	SG_PORT_CKSUM_GOOD = 1,
};

/* What the port says about a received mbuf's IPv4 header checksum. */
static inline enum sg_port_cksum_status sg_port_rx_ip_cksum(const struct sg_port_caps *caps,
							    const struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (!caps->rx_ipv4_cksum)
		return SG_PORT_CKSUM_UNKNOWN;
	return f == RTE_MBUF_F_RX_IP_CKSUM_GOOD	 ? SG_PORT_CKSUM_GOOD
	       : f == RTE_MBUF_F_RX_IP_CKSUM_BAD ? SG_PORT_CKSUM_BAD
						 : SG_PORT_CKSUM_UNKNOWN;
}

/* What the port says about a received mbuf's TCP/UDP checksum. */
static inline enum sg_port_cksum_status sg_port_rx_l4_cksum(const struct sg_port_caps *caps,
							    const struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (!caps->rx_l4_cksum)
		return SG_PORT_CKSUM_UNKNOWN;
	return f == RTE_MBUF_F_RX_L4_CKSUM_GOOD	 ? SG_PORT_CKSUM_GOOD
	       : f == RTE_MBUF_F_RX_L4_CKSUM_BAD ? SG_PORT_CKSUM_BAD
						 : SG_PORT_CKSUM_UNKNOWN;
}

/*
 * Finish the checksums of an outgoing IPv4 or IPv6 packet in m whose L3
 * header starts at l2_len and is l3_len long (IPv6: 40, no extension
 * headers). IPv4 header checksum, and the TCP or UDP checksum (other
 * protocols: left alone), either by the port (offload flags, l2_len/l3_len and
 * the pseudo-header sum set as the PMD expects) or here in software. Lengths
 * in the headers must be final. Returns 0, or -EINVAL for a packet that is
 * neither IPv4 nor IPv6 or does not fit m.
 */
static inline int sg_port_tx_cksum(const struct sg_port_caps *caps, struct rte_mbuf *m,
				   uint16_t l2_len, uint16_t l3_len)
{
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, l2_len);
	uint64_t fl = 0;
	size_t field = 0; /* offset of the L4 checksum in the L4 header; 0 = none */
	uint8_t proto;
	bool hw;

	if (m->nb_segs != 1 ||
	    (uint32_t) l2_len + l3_len + sizeof(struct rte_udp_hdr) > m->data_len)
		return -EINVAL;
	if ((l3[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) l3;
		proto = ip->next_proto_id;
		fl = RTE_MBUF_F_TX_IPV4;
		ip->hdr_checksum = 0;
		if (caps->tx_ipv4_cksum)
			fl |= RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else if ((l3[0] >> 4) == 6) {
		proto = ((struct rte_ipv6_hdr *) l3)->proto;
		fl = RTE_MBUF_F_TX_IPV6;
	} else {
		return -EINVAL;
	}
	if (proto == IPPROTO_TCP) {
		if ((uint32_t) l2_len + l3_len + sizeof(struct rte_tcp_hdr) > m->data_len)
			return -EINVAL;
		field = offsetof(struct rte_tcp_hdr, cksum);
		hw = caps->tx_tcp_cksum;
		if (hw)
			fl |= RTE_MBUF_F_TX_TCP_CKSUM;
	} else if (proto == IPPROTO_UDP) {
		field = offsetof(struct rte_udp_hdr, dgram_cksum);
		hw = caps->tx_udp_cksum;
		if (hw)
			fl |= RTE_MBUF_F_TX_UDP_CKSUM;
	} else {
		hw = false;
	}
	if (field != 0) {
		uint16_t c = 0;
		memcpy(l3 + l3_len + field, &c, sizeof(c));
		if ((fl & RTE_MBUF_F_TX_IPV4) != 0)
			c = hw ? rte_ipv4_phdr_cksum((struct rte_ipv4_hdr *) l3, fl)
			       : rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *) l3, l3 + l3_len);
		else
			c = hw ? rte_ipv6_phdr_cksum((struct rte_ipv6_hdr *) l3, fl)
			       : rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *) l3, l3 + l3_len);
		memcpy(l3 + l3_len + field, &c, sizeof(c));
	}
	m->l2_len = l2_len;
	m->l3_len = l3_len;
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	/* Only ask the port for work it reported it can do. */
	if ((fl & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK)) != 0)
		m->ol_flags |= fl;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SG_PORT_CKSUM_H */
