/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a forwarded IPv4 packet goes: next hop by the port's prefix, static
 * routes and default gateway; Ethernet header from the neighbour cache (soliciting
 * when unknown). The checks on the packet itself are in fwd4.c.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sg_app.h"
#include "sg_gw.h"
#include "sg_net_mbuf.h"

static bool in_prefix(uint32_t a_be, uint32_t p_be, unsigned int len)
{
	uint32_t mask = len == 0 ? 0 : rte_cpu_to_be_32(~0u << (32 - len));

	return ((a_be ^ p_be) & mask) == 0;
}

int sg_fwd4_next_hop(const struct sg_app *app, enum sg_role role, uint32_t dst_be, uint32_t *nh_be)
{
	const struct sg_config_port *pc =
	    role == SG_ROLE_WAN ? &app->cfg.ports.wan : &app->cfg.ports.lan;
	unsigned int i, best_len = 0;
	bool found = false;

	if (pc->ipv4.addr.s_addr != 0 && in_prefix(dst_be, pc->ipv4.addr.s_addr, pc->ipv4.len)) {
		*nh_be = dst_be;
		return 0;
	}
	for (i = 0; i < pc->n_routes; i++) {
		const struct sg_config_route *r = &pc->routes[i];
		if (r->family != AF_INET ||
		    !in_prefix(dst_be, r->prefix4.addr.s_addr, r->prefix4.len))
			continue;
		if (!found || r->prefix4.len > best_len) {
			*nh_be = r->via4.s_addr;
			best_len = r->prefix4.len;
			found = true;
		}
	}
	if (found)
		return 0;
	if (pc->has_gateway4) {
		*nh_be = pc->gateway4.s_addr;
		return 0;
	}
	return -ENETUNREACH;
}

static void solicit4(struct sg_worker *w, enum sg_role role, uint32_t nh_be)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->app->pool);

	if (m == NULL)
		return;
	if (sg_net_mbuf_arp_request(&w->app->ifc[role], (const uint8_t *) &nh_be, m) == 0 &&
	    rte_eth_tx_burst(w->app->ports[role].port_id, w->queue, &m, 1) == 1) {
		sg_stats_count(&w->app->stats[w->lcore], SG_CTR_NEIGH_SOLICITS, 1);
		return;
	}
	rte_pktmbuf_free(m);
}

int sg_fwd4_l2(struct sg_worker *w, enum sg_role role, struct rte_mbuf *m, uint32_t dst_be,
	       sg_usec_t now)
{
	struct sg_net_eth_hdr *eth;
	uint8_t mac[SG_NET_ETH_ALEN];
	uint32_t nh;
	int rc;

	if (sg_fwd4_next_hop(w->app, role, dst_be, &nh) < 0)
		return -ENETUNREACH;
	rc = sg_net_neigh_resolve(w->neigh[role], 4, (const uint8_t *) &nh, now, mac);
	if (rc == SG_NET_NEIGH_SOLICIT)
		solicit4(w, role, nh);
	if (rc != 0)
		return -EHOSTUNREACH;
	eth = (struct sg_net_eth_hdr *) rte_pktmbuf_prepend(m, sizeof(*eth));
	if (eth == NULL)
		return -ENOSPC;
	memcpy(eth->dst, mac, SG_NET_ETH_ALEN);
	memcpy(eth->src, w->app->ifc[role].mac, SG_NET_ETH_ALEN);
	eth->type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	m->l2_len = sizeof(*eth);
	return 0;
}
