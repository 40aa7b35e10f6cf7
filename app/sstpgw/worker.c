/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker burst loop (STYLE.md): drain timer, rx burst, classify, process,
 * tx burst. lib/net answers ARP/ICMP/NDP/ICMPv6 echo for the gateway's own
 * addresses; TCP to the WAN address goes to the worker's lib/tcp instance (gw_wan.c),
 * LAN packets for client addresses to their sessions (gw_lan.c); everything else is
 * dropped by name.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>

#include "sg_aaa_wire.h"
#include "sg_app.h"
#include "sg_gw.h"
#include "sg_impair_mbuf.h"
#include "sg_net_mbuf.h"

#define DRAIN_USEC   100
#define RESOLVE_USEC (1000 * 1000)

static const enum sg_counter rx_ctr[SG_ROLE_COUNT] = {SG_CTR_WAN_RX, SG_CTR_LAN_RX};
static const enum sg_counter tx_ctr[SG_ROLE_COUNT] = {SG_CTR_WAN_TX, SG_CTR_LAN_TX};

/* Up to two bursts: $.test.impair may release held packets beside a new burst. */
struct burst {
	struct rte_mbuf *tx[SG_BURST * 2];
	struct rte_mbuf *drop[SG_BURST * 2];
	struct rte_mbuf *tcp[SG_BURST * 2];
	uint16_t n_tx;
	uint16_t n_drop;
	uint16_t n_tcp;
};

static void classify_one(struct sg_worker *w, struct sg_stats *st, enum sg_role role, sg_usec_t now,
			 struct rte_mbuf *m, struct burst *b)
{
	struct sg_net_result res;

	if (role == SG_ROLE_LAN && sg_gw_lan_steer(w->gw, m))
		return;
	sg_net_mbuf_input(&w->app->ifc[role], w->neigh[role], now, m, &res);
	if (res.learn.family != 0)
		sg_app_neigh_share(w, st, role, &res);
	switch (res.action) {
	case SG_NET_ACT_REPLY:
		b->tx[b->n_tx++] = m;
		sg_stats_count(st, SG_CTR_NET_REPLIES, 1);
		return;
	case SG_NET_ACT_CONSUMED:
		sg_stats_count(st, SG_CTR_NET_CONSUMED, 1);
		break;
	case SG_NET_ACT_LOCAL:
		if (role == SG_ROLE_WAN && res.l4_proto == SG_NET_PROTO_TCP) {
			m->l2_len = res.l3_off;
			b->tcp[b->n_tcp++] = m;
			return;
		}
		sg_stats_drop(st,
			      res.l4_proto == SG_NET_PROTO_TCP ? SG_DROP_TCP_NO_LISTENER
							       : SG_DROP_UDP_NO_LISTENER,
			      1);
		break;
	case SG_NET_ACT_DROP:
	default:
		sg_stats_drop(st, sg_stats_drop_from_net(res.drop), 1);
		break;
	}
	b->drop[b->n_drop++] = m;
}

static void port_burst(struct sg_worker *w, struct sg_stats *st, enum sg_role role)
{
	const struct sg_port *port = &w->app->ports[role];
	struct rte_mbuf *rx[SG_BURST], *imp[SG_BURST * 2], **pkts = rx;
	struct burst b;
	sg_usec_t now;
	uint16_t n, i, sent, freed = 0;

	n = rte_eth_rx_burst(port->port_id, w->queue, rx, SG_BURST);
	sg_stats_count(st, rx_ctr[role], n);
	if (w->impair[role] != NULL) { /* test only: drop, reorder, duplicate, delay */
		now = rte_rdtsc() / w->app->tsc_per_usec;
		n = sg_impair_mbuf_burst(w->impair[role], rx, n, imp, RTE_DIM(imp), now, &freed);
		sg_stats_drop(st, SG_DROP_IMPAIR, freed);
		pkts = imp;
	}
	if (n == 0)
		return;
	now = rte_rdtsc() / w->app->tsc_per_usec;
	w->gw->now = now;
	b.n_tx = 0;
	b.n_drop = 0;
	b.n_tcp = 0;
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		classify_one(w, st, role, now, pkts[i], &b);
	}
	if (b.n_tx > 0) {
		sent = rte_eth_tx_burst(port->port_id, w->queue, b.tx, b.n_tx);
		sg_stats_count(st, tx_ctr[role], sent);
		if (sent < b.n_tx) {
			sg_stats_drop(st, SG_DROP_TX_FULL, (uint64_t) (b.n_tx - sent));
			rte_pktmbuf_free_bulk(&b.tx[sent], (unsigned int) (b.n_tx - sent));
		}
	}
	if (b.n_drop > 0)
		rte_pktmbuf_free_bulk(b.drop, b.n_drop);
	sg_gw_wan_input(w->gw, b.tcp, b.n_tcp);
	sg_gw_lan_flush(w->gw);
}

static void handle_msg(struct sg_worker *w, struct sg_stats *st, const struct sg_msg *in,
		       sg_usec_t now)
{
	struct sg_msg out = {.lcore = w->lcore, .arg = in->arg};

	sg_stats_count(st, SG_CTR_MSGS, 1);
	switch (in->type) {
	case SG_MSG_STATS_REQ:
		sg_stats_read(st, &w->app->snap[w->lcore]);
		out.type = SG_MSG_STATS_DONE;
		break;
	case SG_MSG_SHUTDOWN:
		w->running = false;
		out.type = SG_MSG_SHUTDOWN_DONE;
		break;
	case SG_MSG_NEIGH_UPDATE:
		sg_app_neigh_update(w, st, in, now);
		return;
	case SG_MSG_AUTH_ANSWER:
		w->gw->now = now;
		sg_gw_sess_auth_answer(w->gw, (struct sg_auth_msg *) (uintptr_t) in->arg);
		return;
	case SG_MSG_KILL: {
		struct sg_session *s =
		    sg_gw_sess_get(w->gw, (uint32_t) in->arg, (uint32_t) (in->arg >> 32));
		w->gw->now = now;
		if (s != NULL)
			sg_gw_sess_kill(w->gw, s, SG_RADIUS_TERM_ADMIN_RESET);
		return;
	}
	case SG_MSG_ACCT_REQ:
	case SG_MSG_SET_TIMEOUTS: {
		struct sg_session *s =
		    sg_gw_sess_get(w->gw, (uint32_t) in->arg, (uint32_t) (in->arg >> 32));
		w->gw->now = now;
		if (s != NULL && in->type == SG_MSG_ACCT_REQ)
			sg_gw_sess_acct_report(w->gw, s);
		else if (s != NULL)
			sg_gw_sess_set_timeouts(w->gw, s, &in->tmo);
		return;
	}
	case SG_MSG_DRAIN:
		w->gw->now = now;
		sg_gw_drain_all(w->gw);
		return;
	default:
		SG_LOG(APP, WARNING, "worker %u: unknown message %u", w->lcore, in->type);
		return;
	}
	/* The ring is sized for every outstanding request; a full one is a bug. */
	if (rte_ring_enqueue_elem(w->to_control, &out, sizeof(out)) != 0)
		SG_LOG(APP, ERR, "worker %u: control ring full", w->lcore);
}

/* Every DRAIN_USEC: messages from control, TCP and session timers, neighbour ageing. */
static void drain(struct sg_worker *w, struct sg_stats *st, uint64_t tsc)
{
	struct sg_msg msg;
	sg_usec_t now = tsc / w->app->tsc_per_usec;
	int r;

	while (rte_ring_dequeue_elem(w->to_worker, &msg, sizeof(msg)) == 0)
		handle_msg(w, st, &msg, now);
	w->gw->now = now;
	sg_tcp_timers_run(w->gw->tcp, now);
	sg_gw_timers_run(w->gw);
	sg_gw_gauges_publish(w->gw);
	if (w->gw->n_parked > 0)
		sg_gw_lan_parked_retry(w->gw);
	sg_gw_lan_flush(w->gw);
	for (r = 0; r < SG_ROLE_COUNT; r++)
		sg_net_neigh_age(w->neigh[r], now);
	if (now - w->last_resolve >= RESOLVE_USEC) {
		sg_app_neigh_resolve_all(w, st, now);
		w->last_resolve = now;
	}
}

int sg_app_worker_main(void *arg)
{
	struct sg_worker *w = arg;
	struct sg_stats *st = &w->app->stats[w->lcore];
	const uint64_t drain_tsc = (w->app->tsc_hz + 999999) / 1000000 * DRAIN_USEC;
	uint64_t prev = 0, cur;

	SG_LOG(APP, INFO, "worker %u: polling queue %u on every port", w->lcore, w->queue);
	w->running = true;
	while (w->running) {
		cur = rte_rdtsc();
		if (cur - prev > drain_tsc) {
			drain(w, st, cur);
			prev = cur;
		}
		port_burst(w, st, SG_ROLE_WAN);
		port_burst(w, st, SG_ROLE_LAN);
		sg_gw_lan_handoff_poll(w->gw);
		sg_gw_reap(w->gw);
	}
	SG_LOG(APP, INFO, "worker %u: stopped", w->lcore);
	return 0;
}
