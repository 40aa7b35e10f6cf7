/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The WAN side of a worker: its lib/tcp instance listening on $.listen.port, the
 * segments it emits (Ethernet toward the next hop, WAN tx), its events dispatched to
 * the session owning the connection, and TLS output moved into TCP.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "sg_app.h"
#include "sg_fwd4.h"
#include "sg_gw.h"

static void tcp_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct sg_gw *gw = arg;
	struct rte_mbuf *out[SG_BURST * 2];
	uint16_t i, k = 0, sent;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
		uint32_t dst;
		int rc = -EINVAL;

		if ((ip[0] >> 4) == 4) {
			memcpy(&dst, ip + 16, 4);
			rc = sg_fwd4_l2(gw->w, SG_ROLE_WAN, m, dst, gw->now);
		}
		if (rc < 0 || k == RTE_DIM(out)) {
			sg_stats_drop(gw->st,
				      rc == -ENETUNREACH    ? SG_DROP_NO_ROUTE
				      : rc == -EHOSTUNREACH ? SG_DROP_NEIGH_UNRESOLVED
							    : SG_DROP_TX_FULL,
				      1);
			rte_pktmbuf_free(m);
			continue;
		}
		out[k++] = m;
	}
	if (k == 0)
		return;
	sent = rte_eth_tx_burst(gw->app->ports[SG_ROLE_WAN].port_id, gw->w->queue, out, k);
	sg_stats_count(gw->st, SG_CTR_WAN_TX, sent);
	if (sent < k) {
		sg_stats_drop(gw->st, SG_DROP_TX_FULL, (uint64_t) (k - sent));
		rte_pktmbuf_free_bulk(&out[sent], (unsigned int) (k - sent));
	}
}

static void tcp_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *data,
		      int err)
{
	struct sg_gw *gw = arg;
	struct sg_session *s = sg_tcp_conn_udata(c);

	(void) err;
	switch (ev) {
	case SG_TCP_EV_ACCEPTED:
		sg_gw_sess_accepted(gw, c);
		return;
	case SG_TCP_EV_READABLE:
		if (s == NULL) { /* the session is gone: the bytes are not wanted */
			sg_tcp_conn_recv_consumed(c, data->pkt_len, gw->now);
			rte_pktmbuf_free(data);
			return;
		}
		sg_gw_sess_readable(gw, s, data);
		return;
	case SG_TCP_EV_WRITABLE:
		if (s != NULL)
			sg_gw_flush(gw, s);
		return;
	case SG_TCP_EV_PEER_CLOSED:
	case SG_TCP_EV_RESET:
		if (s != NULL)
			sg_gw_sess_transport_down(gw, s, false);
		return;
	case SG_TCP_EV_CLOSED:
		if (s != NULL)
			sg_gw_sess_transport_down(gw, s, true);
		return;
	default:
		return;
	}
}

int sg_gw_wan_setup(struct sg_gw *gw)
{
	const struct sg_config *cfg = &gw->app->cfg;
	const struct sg_port_caps *caps = &gw->app->ports[SG_ROLE_WAN].caps;
	struct sg_tcp_config tc = {0};
	int rc;

	tc.max_conns = cfg->limits.tcp_connections_per_core;
	tc.max_half_open = cfg->limits.half_open;
	tc.mss = (uint16_t) (cfg->ports.wan.mtu ? cfg->ports.wan.mtu - 40 : 1460);
	tc.l2_headroom = RTE_PKTMBUF_HEADROOM < 64 ? RTE_PKTMBUF_HEADROOM : 64;
	if (caps->tx_ipv4_cksum)
		tc.offloads |= SG_TCP_OFFLOAD_IPV4_CKSUM;
	if (caps->tx_tcp_cksum)
		tc.offloads |= SG_TCP_OFFLOAD_TCP_CKSUM;
	tc.cc = SG_TCP_CC_CUBIC;
	if (cfg->timers.handshake_timeout)
		tc.handshake_timeout = (sg_usec_t) cfg->timers.handshake_timeout * SG_USEC_PER_SEC;
	if (cfg->timers.tcp_keepalive)
		tc.keepalive_idle = (sg_usec_t) cfg->timers.tcp_keepalive * SG_USEC_PER_SEC;
	tc.fin_timeout = 10 * SG_USEC_PER_SEC;
	tc.hdr_pool = gw->app->pool;
	tc.event_fn = tcp_event;
	tc.tx_fn = tcp_tx;
	tc.arg = gw;
	gw->tcp = sg_tcp_stack_create(&tc);
	if (gw->tcp == NULL) {
		SG_LOG(APP, ERR, "worker %u: TCP instance: %s", gw->w->lcore, strerror(errno));
		return -errno;
	}
	rc = sg_tcp_listen(gw->tcp, cfg->listen.port);
	if (rc < 0)
		SG_LOG(APP, ERR, "worker %u: listen %u: %d", gw->w->lcore, cfg->listen.port, rc);
	return rc;
}

void sg_gw_wan_input(struct sg_gw *gw, struct rte_mbuf **pkts, uint16_t n)
{
	if (n > 0)
		sg_tcp_input(gw->tcp, pkts, n, gw->now);
}

/*
 * The connection's first TLS output (the server's first flight) waits
 * $.tls.first_flight_delay_ms: sstpc 1.0.18 stalls for good when its first read after
 * the ClientHello already finds the whole flight (tests/interop/sstpc/README.md). The
 * worker does not wait: the session's timer heap entry comes back at tx_hold.
 * True while the output must stay queued.
 */
static bool first_flight_held(struct sg_gw *gw, struct sg_session *s)
{
	uint32_t ms = gw->app->cfg.tls.first_flight_delay_ms;

	if (!s->flight_seen) {
		if (sg_tls_conn_out_pending(s->tls) == 0)
			return true; /* nothing yet */
		s->flight_seen = true;
		if (ms == 0)
			return false;
		s->tx_hold = gw->now + (sg_usec_t) ms * SG_USEC_PER_MSEC;
		sg_gw_sess_rearm(gw, s);
		return true;
	}
	if (s->tx_hold == 0)
		return false;
	if (gw->now < s->tx_hold)
		return true;
	s->tx_hold = 0;
	return false;
}

/* TLS ciphertext -> mbuf chain -> TCP, as far as the send buffer takes it. */
void sg_gw_flush(struct sg_gw *gw, struct sg_session *s)
{
	if (s->tls == NULL || s->conn == NULL)
		return;
	if (first_flight_held(gw, s))
		return;
	for (;;) {
		size_t pending = sg_tls_conn_out_pending(s->tls), take, off = 0;
		uint32_t space = sg_tcp_conn_send_space(s->conn);
		struct rte_mbuf *head = NULL, *tail = NULL;

		if (pending == 0 || space == 0)
			return;
		take = pending < space ? pending : space;
		while (off < take) {
			size_t len;
			const uint8_t *p = sg_tls_conn_out_peek(s->tls, &len);
			struct rte_mbuf *m = rte_pktmbuf_alloc(gw->app->pool);
			size_t n;

			if (m == NULL) {
				sg_stats_drop(gw->st, SG_DROP_NO_MBUF, 1);
				break;
			}
			n = rte_pktmbuf_tailroom(m);
			if (n > len)
				n = len;
			if (n > take - off)
				n = take - off;
			memcpy(rte_pktmbuf_append(m, (uint16_t) n), p, n);
			sg_tls_conn_out_consume(s->tls, n);
			off += n;
			if (head == NULL) {
				head = tail = m;
			} else {
				tail->next = m;
				tail = m;
				head->nb_segs++;
				head->pkt_len += m->data_len;
			}
		}
		if (head == NULL)
			return;
		if (sg_tcp_conn_send(s->conn, head, gw->now) < 0) {
			/* Cannot happen after send_space; the bytes are lost: end the call. */
			rte_pktmbuf_free(head);
			sg_stats_drop(gw->st, SG_DROP_TLS_WRITE, 1);
			return;
		}
		if (off < take)
			return;
	}
}
