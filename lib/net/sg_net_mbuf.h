/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thin mbuf wrappers over sg_net_input() and the solicitation builders.
 * Single-segment mbufs only (what every port here delivers for frames that
 * fit one mbuf); a chained mbuf is reported as a drop, never walked.
 */
#ifndef SG_NET_MBUF_H
#define SG_NET_MBUF_H

#include <rte_mbuf.h>

#include "sg_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Run sg_net_input() on m. On SG_NET_ACT_REPLY the mbuf holds the reply
 * (data_len/pkt_len set) and is ready for tx; otherwise m is unchanged.
 * The caller keeps ownership of m in every case.
 */
static inline void sg_net_mbuf_input(const struct sg_net_iface *ifc, struct sg_net_neigh_table *nt,
				     sg_usec_t now, struct rte_mbuf *m, struct sg_net_result *res)
{
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	size_t cap = (size_t) m->data_len + rte_pktmbuf_tailroom(m);

	if (m->nb_segs != 1) {
		res->action = SG_NET_ACT_DROP;
		res->drop = SG_NET_DROP_CHAINED_MBUF;
		return;
	}
	sg_net_input(ifc, nt, now, data, m->data_len, cap, res);
	if (res->action == SG_NET_ACT_REPLY) {
		m->data_len = res->len;
		m->pkt_len = res->len;
		m->ol_flags = 0;
	}
}

/* Fill m (fresh from a pool) with an ARP request for ip4. 0 or -errno. */
static inline int sg_net_mbuf_arp_request(const struct sg_net_iface *ifc, const uint8_t ip4[4],
					  struct rte_mbuf *m)
{
	int n = sg_net_arp_request_build(ifc, ip4, rte_pktmbuf_mtod(m, uint8_t *),
					 rte_pktmbuf_tailroom(m));
	if (n < 0)
		return n;
	m->data_len = (uint16_t) n;
	m->pkt_len = (uint32_t) n;
	return 0;
}

/* Fill m (fresh from a pool) with a neighbour solicitation for ip6. 0 or -errno. */
static inline int sg_net_mbuf_ns(const struct sg_net_iface *ifc, const uint8_t ip6[16],
				 struct rte_mbuf *m)
{
	int n = sg_net_ns_build(ifc, ip6, rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_tailroom(m));
	if (n < 0)
		return n;
	m->data_len = (uint16_t) n;
	m->pkt_len = (uint32_t) n;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SG_NET_MBUF_H */
