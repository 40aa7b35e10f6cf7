/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Next-hop resolution on the workers. Each worker owns one neighbour table
 * per port (lib/net). One worker (the resolver) solicits the configured next
 * hops (gateways, route vias) once a second until they answer; whatever a
 * worker learns from a frame goes to the control core, which hands it to the
 * other workers (answers may arrive on any worker's queue).
 */
#include <arpa/inet.h>
#include <errno.h>

#include <rte_ethdev.h>

#include "sg_app.h"
#include "sg_net_mbuf.h"

enum { NH_UNKNOWN, NH_RESOLVED, NH_FAILED };

static const enum sg_counter tx_ctr[SG_ROLE_COUNT] = {SG_CTR_WAN_TX, SG_CTR_LAN_TX};

void sg_app_neigh_share(struct sg_worker *w, struct sg_stats *st, enum sg_role role,
			const struct sg_net_result *res)
{
	struct sg_msg m = {.type = SG_MSG_NEIGH_LEARNED, .lcore = w->lcore};

	if (res->learn.family == 0 || w->app->n_workers < 2)
		return;
	m.role = (uint8_t) role;
	m.family = res->learn.family;
	m.flags = res->learn.flags;
	memcpy(m.addr, res->learn.addr, sizeof(m.addr));
	memcpy(m.mac, res->learn.mac, sizeof(m.mac));
	if (rte_ring_enqueue_elem(w->to_control, &m, sizeof(m)) != 0)
		sg_stats_count(st, SG_CTR_NEIGH_LOST, 1);
}

void sg_app_neigh_update(struct sg_worker *w, struct sg_stats *st, const struct sg_msg *m,
			 sg_usec_t now)
{
	if (m->role >= SG_ROLE_COUNT)
		return;
	if (sg_net_neigh_confirm(w->neigh[m->role], m->family, m->addr, m->mac, now, m->flags) == 0)
		sg_stats_count(st, SG_CTR_NEIGH_SHARED, 1);
}

static void solicit(struct sg_worker *w, struct sg_stats *st, enum sg_role role,
		    const struct sg_next_hop *nh)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->app->pool);
	int rc;

	if (m == NULL)
		return;
	rc = nh->family == 4 ? sg_net_mbuf_arp_request(&w->app->ifc[role], nh->addr, m)
			     : sg_net_mbuf_ns(&w->app->ifc[role], nh->addr, m);
	if (rc == 0 && rte_eth_tx_burst(w->app->ports[role].port_id, w->queue, &m, 1) == 1) {
		sg_stats_count(st, SG_CTR_NEIGH_SOLICITS, 1);
		sg_stats_count(st, tx_ctr[role], 1);
		return;
	}
	rte_pktmbuf_free(m);
}

void sg_app_neigh_resolve_all(struct sg_worker *w, struct sg_stats *st, sg_usec_t now)
{
	int r;

	if (!w->resolver)
		return;
	for (r = 0; r < SG_ROLE_COUNT; r++) {
		unsigned int i;
		for (i = 0; i < w->app->n_next_hops[r]; i++) {
			const struct sg_next_hop *nh = &w->app->next_hops[r][i];
			uint8_t *state = &w->nh_state[r][i];
			uint8_t mac[SG_NET_ETH_ALEN];
			char text[INET6_ADDRSTRLEN];
			int rc;

			rc = sg_net_neigh_resolve(w->neigh[r], nh->family, nh->addr, now, mac);
			if (rc == SG_NET_NEIGH_SOLICIT) {
				solicit(w, st, (enum sg_role) r, nh);
				continue;
			}
			if ((rc == 0 && *state == NH_RESOLVED) ||
			    (rc == -EHOSTUNREACH && *state == NH_FAILED) ||
			    (rc != 0 && rc != -EHOSTUNREACH))
				continue;
			inet_ntop(nh->family == 4 ? AF_INET : AF_INET6, nh->addr, text,
				  sizeof(text));
			if (rc == 0) {
				*state = NH_RESOLVED;
				sg_stats_count(st, SG_CTR_NEIGH_RESOLVED, 1);
				SG_LOG(APP, INFO,
				       "port %s: next hop %s is at %02x:%02x:%02x:%02x:%02x:%02x",
				       sg_role_names[r], text, mac[0], mac[1], mac[2], mac[3],
				       mac[4], mac[5]);
			} else {
				*state = NH_FAILED;
				SG_LOG(APP, WARNING, "port %s: next hop %s does not answer",
				       sg_role_names[r], text);
			}
		}
	}
}
