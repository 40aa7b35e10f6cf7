/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a forwarded IPv6 packet goes: next hop by the port's on-link prefix, static
 * routes and default gateway; Ethernet header from the neighbour cache (neighbour
 * solicitation when unknown). The checks on the packet itself are in fwd6.c.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "sg_app.h"
#include "sg_fwd6.h"
#include "sg_gw.h"
#include "sg_net_mbuf.h"

int sg_fwd6_next_hop(const struct sg_app *app, enum sg_role role, const uint8_t dst[16],
		     uint8_t nh[16])
{
	const struct sg_config_port *pc =
	    role == SG_ROLE_WAN ? &app->cfg.ports.wan : &app->cfg.ports.lan;
	unsigned int i, best_len = 0;
	bool found = false;

	if ((pc->has_ipv6 && sg_fwd6_in_prefix(dst, pc->ipv6.addr.s6_addr, pc->ipv6.len)) ||
	    (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80)) {
		memcpy(nh, dst, 16);
		return 0;
	}
	for (i = 0; i < pc->n_routes; i++) {
		const struct sg_config_route *r = &pc->routes[i];
		if (r->family != AF_INET6 ||
		    !sg_fwd6_in_prefix(dst, r->prefix6.addr.s6_addr, r->prefix6.len))
			continue;
		if (!found || r->prefix6.len > best_len) {
			memcpy(nh, r->via6.s6_addr, 16);
			best_len = r->prefix6.len;
			found = true;
		}
	}
	if (found)
		return 0;
	if (pc->has_gateway6) {
		memcpy(nh, pc->gateway6.s6_addr, 16);
		return 0;
	}
	return -ENETUNREACH;
}

static void solicit6(struct sg_worker *w, enum sg_role role, const uint8_t nh[16])
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->app->pool);

	if (m == NULL)
		return;
	if (sg_net_mbuf_ns(&w->app->ifc[role], nh, m) == 0 &&
	    rte_eth_tx_burst(w->app->ports[role].port_id, w->queue, &m, 1) == 1) {
		sg_stats_count(&w->app->stats[w->lcore], SG_CTR_NEIGH_SOLICITS, 1);
		return;
	}
	rte_pktmbuf_free(m);
}

int sg_fwd6_l2(struct sg_worker *w, enum sg_role role, struct rte_mbuf *m, const uint8_t dst[16],
	       sg_usec_t now)
{
	struct sg_net_eth_hdr *eth;
	uint8_t mac[SG_NET_ETH_ALEN], nh[16];
	int rc;

	if (!w->app->ifc[role].has_ip6 || sg_fwd6_next_hop(w->app, role, dst, nh) < 0)
		return -ENETUNREACH;
	rc = sg_net_neigh_resolve(w->neigh[role], 6, nh, now, mac);
	if (rc == SG_NET_NEIGH_SOLICIT)
		solicit6(w, role, nh);
	if (rc != 0)
		return -EHOSTUNREACH;
	eth = (struct sg_net_eth_hdr *) rte_pktmbuf_prepend(m, sizeof(*eth));
	if (eth == NULL)
		return -ENOSPC;
	memcpy(eth->dst, mac, SG_NET_ETH_ALEN);
	memcpy(eth->src, w->app->ifc[role].mac, SG_NET_ETH_ALEN);
	eth->type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	m->l2_len = sizeof(*eth);
	return 0;
}
