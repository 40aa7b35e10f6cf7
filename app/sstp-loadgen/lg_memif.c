/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstp-loadgen's DPDK transport: two net_memif ports in client role, one polling thread.
 *
 *   WAN port: lib/net answers ARP for --local-ip and resolves the server's address;
 *             lib/tcp in client mode (active open, one connection per emulated client)
 *             carries each client's TLS bytes (copied into mbuf chains, like the gateway).
 *   LAN port: lib/net answers ARP for --lan-ip; inner UDP to our port is
 *             sunk (LG_DIR_UP: one-way delay from the stamp), reflected back to its
 *             sender (LG_DIR_ECHO), and for LG_DIR_DOWN this side originates stamped
 *             datagrams to the clients' tunnel addresses through the server's LAN address.
 *
 * Both ends of every inner packet are in this process, so one clock times them.
 * Every frame not used is counted under a name (lg_memif counters in the JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "lg.h"
#include "sg_net.h"
#include "sg_net_mbuf.h"
#include "sg_net_neigh.h"
#include "sg_tcp.h"

#define LGM_BURST   32
#define LGM_NB_DESC 1024
#define LGM_MBUFS   65535
#define LGM_ETH	    14

#define LGM_COUNTERS(X)                                                                            \
	X(wan_rx)                                                                                  \
	X(wan_tx)                                                                                  \
	X(wan_tx_full)                                                                             \
	X(wan_not_tcp)                                                                             \
	X(wan_net_drop)                                                                            \
	X(lan_rx)                                                                                  \
	X(lan_tx)                                                                                  \
	X(lan_tx_full)                                                                             \
	X(lan_not_ours)                                                                            \
	X(lan_net_drop)                                                                            \
	X(lan_reflected)                                                                           \
	X(arp_replies)                                                                             \
	X(no_mbuf)                                                                                 \
	X(tls_to_tcp_refused)

struct lgm {
	struct lg *lg;
	struct lg_memif_opts mo;
	struct rte_mempool *pool;
	uint16_t port[2]; /* 0 WAN, 1 LAN */
	struct sg_net_iface ifc[2];
	struct sg_net_neigh_table *nt[2];
	uint8_t hop_mac[2][SG_NET_ETH_ALEN]; /* the server's WAN / LAN MAC */
	struct sg_tcp_stack *tcp;
	sg_usec_t now, last_timer;
	bool eal, started[2];
	struct {
#define LGM_FIELD_(n) uint64_t n;
		LGM_COUNTERS(LGM_FIELD_)
#undef LGM_FIELD_
	} cnt;
};

static struct lgm *lgm_of(struct lg *lg)
{
	return lg->trp;
}

/* Send n frames on port p; what the ring refuses is freed and counted. */
static void port_tx(struct lgm *m, int p, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0;
	int spins = 0;

	while (sent < n && spins < 64) {
		uint16_t k = rte_eth_tx_burst(m->port[p], 0, pkts + sent, (uint16_t) (n - sent));

		sent = (uint16_t) (sent + k);
		if (k == 0)
			spins++;
	}
	if (p == 0)
		m->cnt.wan_tx += sent;
	else
		m->cnt.lan_tx += sent;
	if (sent < n) {
		if (p == 0)
			m->cnt.wan_tx_full += (uint64_t) (n - sent);
		else
			m->cnt.lan_tx_full += (uint64_t) (n - sent);
		rte_pktmbuf_free_bulk(pkts + sent, (unsigned) (n - sent));
	}
}

static void eth_fill(struct lgm *m, int p, struct rte_mbuf *b, uint16_t type)
{
	uint8_t *e = rte_pktmbuf_mtod(b, uint8_t *);

	memcpy(e, m->hop_mac[p], 6);
	memcpy(e + 6, m->ifc[p].mac, 6);
	e[12] = (uint8_t) (type >> 8);
	e[13] = (uint8_t) type;
}

/* lib/tcp output: Ethernet toward the server's WAN MAC. */
static void tcp_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct lgm *m = arg;
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *b = pkts[i];

		if (rte_pktmbuf_prepend(b, LGM_ETH) == NULL) {
			m->cnt.no_mbuf++;
			rte_pktmbuf_free(b);
			continue;
		}
		eth_fill(m, 0, b, 0x0800);
		b->l2_len = LGM_ETH;
		pkts[k++] = b;
	}
	port_tx(m, 0, pkts, k);
}

static void tcp_event(void *arg, struct sg_tcp_conn *conn, enum sg_tcp_event ev,
		      struct rte_mbuf *data, int err)
{
	struct lgm *m = arg;
	struct lg_client *c = sg_tcp_conn_udata(conn);

	if (ev == SG_TCP_EV_READABLE && c == NULL) { /* the client is gone */
		sg_tcp_conn_recv_consumed(conn, data->pkt_len, m->now);
		rte_pktmbuf_free(data);
		return;
	}
	if (c == NULL)
		return;
	c->now = m->now;
	switch (ev) {
	case SG_TCP_EV_CONNECTED:
		lg_client_connected(c, m->now);
		break;
	case SG_TCP_EV_READABLE: {
		uint32_t len = data->pkt_len;

		for (struct rte_mbuf *s = data; s != NULL && !c->failed && !c->finished;
		     s = s->next)
			lg_client_input(c, rte_pktmbuf_mtod(s, const uint8_t *), s->data_len);
		sg_tcp_conn_recv_consumed(conn, len, m->now);
		rte_pktmbuf_free(data);
		break;
	}
	case SG_TCP_EV_WRITABLE:
		break; /* settle flushes */
	case SG_TCP_EV_PEER_CLOSED:
		lg_client_transport_down(c, "server_closed_tcp");
		break;
	case SG_TCP_EV_RESET:
	case SG_TCP_EV_CLOSED:
		/* The connection is going away: the client must not touch it any more. */
		sg_tcp_conn_set_udata(conn, NULL);
		c->conn = NULL;
		lg_client_transport_down(c, ev == SG_TCP_EV_CLOSED ? "tcp_closed"
					    : err == ECONNREFUSED  ? "tcp_connect_refused"
					    : err == ETIMEDOUT	   ? "tcp_timeout"
								   : "tcp_reset");
		break;
	default:
		return;
	}
	lg_client_settle(c);
}

static int lgm_open(struct lg_client *c)
{
	struct lgm *m = lgm_of(c->lg);
	const struct lg_opts *o = c->lg->o;
	struct sg_tcp_tuple t = {.family = 4, .rport = ntohs(o->server.sin_port)};
	uint32_t l = htonl(m->mo.local_ip);
	struct sg_tcp_conn *conn;

	memcpy(t.laddr, &l, 4);
	memcpy(t.raddr, &o->server.sin_addr, 4);
	m->now = c->now;
	conn = sg_tcp_connect(m->tcp, &t, c, c->now);
	if (conn == NULL) {
		lg_client_fail(c, "tcp_connect_%s",
			       errno == EADDRINUSE ? "no_source_port"
			       : errno == ENOBUFS  ? "conn_limit"
						   : "error");
		return -errno;
	}
	c->conn = conn;
	return 0;
}

/* TLS ciphertext -> mbuf chain -> TCP, as far as the send buffer takes it. */
static void lgm_flush(struct lg_client *c)
{
	struct lgm *m = lgm_of(c->lg);

	while (c->conn != NULL) {
		size_t pending = sg_tls_conn_out_pending(c->tls), take, off = 0;
		uint32_t space = sg_tcp_conn_send_space(c->conn);
		struct rte_mbuf *head = NULL, *tail = NULL;

		if (pending == 0 || space == 0)
			return;
		take = pending < space ? pending : space;
		while (off < take) {
			size_t len, n;
			const uint8_t *p = sg_tls_conn_out_peek(c->tls, &len);
			struct rte_mbuf *b = rte_pktmbuf_alloc(m->pool);

			if (b == NULL) {
				m->cnt.no_mbuf++;
				break;
			}
			n = rte_pktmbuf_tailroom(b);
			if (n > len)
				n = len;
			if (n > take - off)
				n = take - off;
			memcpy(rte_pktmbuf_append(b, (uint16_t) n), p, n);
			sg_tls_conn_out_consume(c->tls, n);
			off += n;
			if (head == NULL) {
				head = tail = b;
			} else {
				tail->next = b;
				tail = b;
				head->nb_segs++;
				head->pkt_len += b->data_len;
			}
		}
		if (head == NULL)
			return;
		if (sg_tcp_conn_send(c->conn, head, c->now) < 0) {
			rte_pktmbuf_free(head);
			m->cnt.tls_to_tcp_refused++;
			lg_client_fail(c, "tcp_send_refused%s", NULL);
			return;
		}
		if (off < take)
			return;
	}
}

static void lgm_close(struct lg_client *c, bool graceful)
{
	struct lgm *m = lgm_of(c->lg);
	struct sg_tcp_conn *conn = c->conn;

	if (conn == NULL)
		return;
	c->conn = NULL;
	sg_tcp_conn_set_udata(conn, NULL);
	if (!graceful || sg_tcp_conn_close(conn, c->now) < 0)
		sg_tcp_conn_abort(conn, c->now);
	(void) m;
}

/* Inner UDP that reached our LAN address. */
static int lan_inner(struct lgm *m, struct rte_mbuf *b, const struct sg_net_result *res)
{
	struct lg *lg = m->lg;
	uint8_t *f = rte_pktmbuf_mtod(b, uint8_t *), *ip = f + res->l3_off;
	size_t l4 = (size_t) (res->l4_off - res->l3_off), tot = (size_t) ip[2] << 8 | ip[3];
	uint8_t tmp[6];

	if (res->l4_proto != IPPROTO_UDP || res->family != 4 ||
	    ((uint16_t) (ip[l4 + 2] << 8 | ip[l4 + 3])) != lg->o->udp_port) {
		m->cnt.lan_not_ours++;
		return 0;
	}
	if (lg->o->dir != LG_DIR_ECHO) {
		lg_stamp_rx(lg, ip, tot, l4, -1, m->now);
		return 0;
	}
	/* Reflect: swap MACs, addresses and ports (the checksums stay valid). */
	memcpy(tmp, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, tmp, 6);
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	memcpy(tmp, ip + l4, 2);
	memcpy(ip + l4, ip + l4 + 2, 2);
	memcpy(ip + l4 + 2, tmp, 2);
	m->cnt.lan_reflected++;
	return 1;
}

static void lgm_poll(struct lg *lg, int timeout_ms)
{
	struct lgm *m = lgm_of(lg);
	struct rte_mbuf *rx[LGM_BURST], *tcp[LGM_BURST], *tx[LGM_BURST];
	uint16_t n, k = 0, t = 0;

	(void) timeout_ms; /* a polling transport never blocks */
	m->now = lg_now();
	n = rte_eth_rx_burst(m->port[0], 0, rx, LGM_BURST);
	m->cnt.wan_rx += n;
	for (uint16_t i = 0; i < n; i++) {
		struct sg_net_result res;

		sg_net_mbuf_input(&m->ifc[0], m->nt[0], m->now, rx[i], &res);
		if (res.action == SG_NET_ACT_LOCAL && res.l4_proto == IPPROTO_TCP) {
			rx[i]->l2_len = res.l3_off;
			tcp[k++] = rx[i];
			continue;
		}
		if (res.action == SG_NET_ACT_REPLY) {
			m->cnt.arp_replies++;
			tx[t++] = rx[i];
			continue;
		}
		if (res.action == SG_NET_ACT_LOCAL)
			m->cnt.wan_not_tcp++;
		else if (res.action == SG_NET_ACT_DROP)
			m->cnt.wan_net_drop++;
		rte_pktmbuf_free(rx[i]);
	}
	if (t > 0)
		port_tx(m, 0, tx, t);
	if (k > 0)
		sg_tcp_input(m->tcp, tcp, k, m->now);

	t = 0;
	n = rte_eth_rx_burst(m->port[1], 0, rx, LGM_BURST);
	m->cnt.lan_rx += n;
	for (uint16_t i = 0; i < n; i++) {
		struct sg_net_result res;

		sg_net_mbuf_input(&m->ifc[1], m->nt[1], m->now, rx[i], &res);
		if (res.action == SG_NET_ACT_REPLY) {
			m->cnt.arp_replies++;
			tx[t++] = rx[i];
			continue;
		}
		if (res.action == SG_NET_ACT_LOCAL && lan_inner(m, rx[i], &res)) {
			tx[t++] = rx[i];
			continue;
		}
		if (res.action == SG_NET_ACT_DROP)
			m->cnt.lan_net_drop++;
		rte_pktmbuf_free(rx[i]);
	}
	if (t > 0)
		port_tx(m, 1, tx, t);
	if (m->now - m->last_timer >= SG_TCP_TICK_USEC) {
		sg_tcp_timers_run(m->tcp, m->now);
		m->last_timer = m->now;
	}
}

/* Downstream: n stamped datagrams from our LAN address to client c's tunnel address. */
static int lgm_lan_send(struct lg_client *c, unsigned n, sg_usec_t now)
{
	struct lg *lg = c->lg;
	struct lgm *m = lgm_of(lg);
	struct rte_mbuf *b[LGM_BURST];

	if (c->state != LG_ST_UP)
		return -EAGAIN;
	if (n > LGM_BURST)
		n = LGM_BURST;
	if (rte_pktmbuf_alloc_bulk(m->pool, b, n) != 0) {
		m->cnt.no_mbuf++;
		lg->st.tx_backpressure += n;
		return -ENOBUFS;
	}
	for (unsigned i = 0; i < n; i++) {
		size_t len = lg_next_size(lg);
		uint8_t *f = (uint8_t *) rte_pktmbuf_append(b[i], (uint16_t) (LGM_ETH + len));

		eth_fill(m, 1, b[i], 0x0800);
		lg_udp_build(lg, f + LGM_ETH, len, m->mo.lan_ip, c->local_ip, lg->o->udp_port,
			     (uint16_t) (40000 + c->idx % 20000), c->idx, c->seq++, now);
		lg->st.tx_pkts++;
		lg->st.tx_bytes += len;
	}
	{
		uint16_t sent = 0;
		int spins = 0;

		while (sent < n && spins < 64) {
			uint16_t k =
			    rte_eth_tx_burst(m->port[1], 0, b + sent, (uint16_t) (n - sent));

			sent = (uint16_t) (sent + k);
			if (k == 0)
				spins++;
		}
		m->cnt.lan_tx += sent;
		if (sent < n) { /* the ring is full: these were counted as sent, so they are lost */
			m->cnt.lan_tx_full += n - sent;
			rte_pktmbuf_free_bulk(b + sent, n - sent);
		}
	}
	return (int) n;
}

static void lgm_counters(struct lg *lg, void (*put)(void *arg, const char *name, uint64_t v),
			 void *arg)
{
	struct lgm *m = lgm_of(lg);
	struct sg_tcp_stats ts;

#define LGM_PUT_(n) put(arg, #n, m->cnt.n);
	LGM_COUNTERS(LGM_PUT_)
#undef LGM_PUT_
	if (m->tcp == NULL)
		return;
	{ /* connections still open: a stalled one shows why (window, backoff, queue) */
		uint64_t open = 0, zero_wnd = 0, max_rto = 0, queued = 0;

		for (unsigned i = 0; i < lg->ncl; i++) {
			struct sg_tcp_conn_info ci;

			if (lg->cl[i].conn == NULL)
				continue;
			sg_tcp_conn_info(lg->cl[i].conn, &ci);
			open++;
			zero_wnd += ci.snd_wnd == 0;
			max_rto = ci.rto_us > max_rto ? ci.rto_us : max_rto;
			queued += ci.snd_queued;
		}
		put(arg, "conns_open_at_end", open);
		put(arg, "conns_zero_window_at_end", zero_wnd);
		put(arg, "conns_max_rto_us_at_end", max_rto);
		put(arg, "conns_snd_queued_at_end", queued);
	}
	sg_tcp_stats_get(m->tcp, &ts);
	put(arg, "tcp_retrans_segs", ts.retrans_segs);
	put(arg, "tcp_rto_fired", ts.rto_fired);
	put(arg, "tcp_connected", ts.connected);
	put(arg, "tcp_resets_rx", ts.resets_rx);
	for (int i = 1; i < SG_TCP_DROP_COUNT; i++)
		if (ts.drops[i]) {
			char name[64];

			snprintf(name, sizeof(name), "tcp_drop_%s",
				 sg_tcp_drop_name((enum sg_tcp_drop) i));
			put(arg, name, ts.drops[i]);
		}
}

static bool lgm_idle(struct lg *lg)
{
	struct sg_tcp_stats ts;

	sg_tcp_stats_get(lgm_of(lg)->tcp, &ts);
	return ts.conns == 0;
}

static void lgm_fini(struct lg *lg)
{
	struct lgm *m = lgm_of(lg);

	if (m == NULL)
		return;
	if (m->tcp != NULL) { /* resets of the last aborts: let the server see them */
		sg_usec_t until = lg_now() + 100 * SG_USEC_PER_MSEC;

		while (lg_now() < until)
			lgm_poll(lg, 0);
	}
	sg_tcp_stack_destroy(m->tcp);
	for (int p = 0; p < 2; p++) {
		if (m->started[p]) {
			rte_eth_dev_stop(m->port[p]);
			rte_eth_dev_close(m->port[p]);
		}
		sg_net_neigh_free(m->nt[p]);
	}
	if (m->eal)
		rte_eal_cleanup();
	free(m);
	lg->trp = NULL;
}

static const struct lg_transport memif_transport = {
    .name = "memif",
    .open = lgm_open,
    .flush = lgm_flush,
    .close = lgm_close,
    .poll = lgm_poll,
    .lan_send = lgm_lan_send,
    .counters = lgm_counters,
    .idle = lgm_idle,
    .fini = lgm_fini,
};

static int port_start(struct lgm *m, int p, const char *name, char *err, size_t errlen)
{
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	uint32_t ip;
	uint16_t id;

	if (rte_eth_dev_get_port_by_name(name, &id) != 0) {
		snprintf(err, errlen, "%s: no such port", name);
		return -ENODEV;
	}
	m->port[p] = id;
	if (rte_eth_dev_info_get(id, &info) != 0)
		return -EIO;
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(id, 0, LGM_NB_DESC, rte_socket_id(), NULL, m->pool) != 0 ||
	    rte_eth_tx_queue_setup(id, 0, LGM_NB_DESC, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(id) != 0) {
		snprintf(err, errlen, "%s: cannot start", name);
		return -EIO;
	}
	m->started[p] = true;
	rte_eth_macaddr_get(id, &mac);
	ip = htonl(p == 0 ? m->mo.local_ip : m->mo.lan_ip);
	if (sg_net_iface_init(&m->ifc[p], mac.addr_bytes, (const uint8_t *) &ip, 24, NULL, 0) !=
	    0) {
		snprintf(err, errlen, "%s: bad address", name);
		return -EINVAL;
	}
	m->nt[p] = sg_net_neigh_create(64, NULL);
	return m->nt[p] ? 0 : -ENOMEM;
}

/* Wait for both links, then ARP for the server's WAN and LAN addresses (10 s at most). */
static int resolve(struct lgm *m, uint32_t wan_hop, uint32_t lan_hop, char *err, size_t errlen)
{
	uint32_t hop[2] = {htonl(wan_hop), htonl(lan_hop)};
	bool done[2] = {false, false};
	sg_usec_t t0 = lg_now(), last = 0;

	while (!(done[0] && done[1])) {
		struct rte_eth_link link;

		m->now = lg_now();
		if (m->now - t0 > 30 * SG_USEC_PER_SEC) {
			int p = done[0] ? 1 : 0;
			bool up =
			    rte_eth_link_get_nowait(m->port[p], &link) == 0 && link.link_status;

			snprintf(err, errlen, "%s %s within 30 s", p ? "LAN:" : "WAN:",
				 up ? "no ARP answer from the server"
				    : "the memif link did not come up");
			return -ETIMEDOUT;
		}
		for (int p = 0; p < 2; p++) {
			struct rte_mbuf *rx[LGM_BURST], *tx[LGM_BURST];
			uint16_t n = rte_eth_rx_burst(m->port[p], 0, rx, LGM_BURST), t = 0;

			for (uint16_t i = 0; i < n; i++) {
				struct sg_net_result res;

				sg_net_mbuf_input(&m->ifc[p], m->nt[p], m->now, rx[i], &res);
				if (res.action == SG_NET_ACT_REPLY)
					tx[t++] = rx[i];
				else
					rte_pktmbuf_free(rx[i]);
			}
			if (t)
				port_tx(m, p, tx, t);
			if (done[p] || m->now - last < 200 * SG_USEC_PER_MSEC)
				continue;
			if (rte_eth_link_get_nowait(m->port[p], &link) != 0 || !link.link_status)
				continue;
			int rc = sg_net_neigh_resolve(m->nt[p], 4, (const uint8_t *) &hop[p],
						      m->now, m->hop_mac[p]);
			if (rc == 0) {
				done[p] = true;
			} else if (rc == SG_NET_NEIGH_SOLICIT || rc == -EAGAIN ||
				   rc == -EHOSTUNREACH) {
				struct rte_mbuf *b = rte_pktmbuf_alloc(m->pool);

				if (b && sg_net_mbuf_arp_request(&m->ifc[p],
								 (const uint8_t *) &hop[p], b) == 0)
					port_tx(m, p, &b, 1);
				else if (b)
					rte_pktmbuf_free(b);
			}
		}
		if (m->now - last >= 200 * SG_USEC_PER_MSEC)
			last = m->now;
		usleep(1000);
	}
	return 0;
}

int lg_memif_attach(struct lg *lg, const struct lg_memif_opts *mo, char *err, size_t errlen)
{
	char lc[16], prefix[48], vd[2][600];
	char *argv[16];
	int argc = 0, rc;
	struct sg_tcp_config tc = {0};
	struct lgm *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return -ENOMEM;
	m->lg = lg;
	m->mo = *mo;
	snprintf(lc, sizeof(lc), "%u", mo->lcore);
	snprintf(prefix, sizeof(prefix), "--file-prefix=sglg%ld", (long) getpid());
	for (int p = 0; p < 2; p++)
		snprintf(
		    vd[p], sizeof(vd[p]),
		    "--vdev=net_memif%d,role=client,id=0,socket=%s,socket-abstract=no,rsize=%u", p,
		    p == 0 ? mo->wan_sock : mo->lan_sock, mo->ring_log2 ? mo->ring_log2 : 11);
	argv[argc++] = "sstp-loadgen";
	argv[argc++] = "--no-huge";
	argv[argc++] = "--no-pci";
	argv[argc++] = "-m";
	argv[argc++] = "512";
	argv[argc++] = "--no-telemetry";
	argv[argc++] = prefix;
	argv[argc++] = "-l";
	argv[argc++] = lc;
	argv[argc++] = "--log-level=error";
	argv[argc++] = vd[0];
	argv[argc++] = vd[1];
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		snprintf(err, errlen, "EAL init failed: %s", rte_strerror(rte_errno));
		free(m);
		return -EIO;
	}
	/* The kernel transport's epoll set is not needed any more. */
	lg->tr->fini(lg);
	lg->tr = &memif_transport;
	lg->trp = m;
	m->eal = true;
	m->pool = rte_pktmbuf_pool_create("lg_pool", LGM_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int) rte_socket_id());
	if (m->pool == NULL) {
		snprintf(err, errlen, "mbuf pool: %s", rte_strerror(rte_errno));
		return -ENOMEM;
	}
	rc = port_start(m, 0, "net_memif0", err, errlen);
	if (rc == 0)
		rc = port_start(m, 1, "net_memif1", err, errlen);
	if (rc == 0)
		rc = resolve(m, ntohl(lg->o->server.sin_addr.s_addr), mo->lan_gw, err, errlen);
	if (rc != 0)
		return rc;
	tc.max_conns = lg->ncl * 2 + 64;
	tc.time_wait = 2 * SG_USEC_PER_SEC;
	tc.fin_timeout = 5 * SG_USEC_PER_SEC;
	tc.hdr_pool = m->pool;
	tc.event_fn = tcp_event;
	tc.tx_fn = tcp_tx;
	tc.arg = m;
	tc.cc = SG_TCP_CC_CUBIC;
	tc.l2_headroom = 64;
	m->tcp = sg_tcp_stack_create(&tc);
	if (m->tcp == NULL) {
		snprintf(err, errlen, "lib/tcp instance: %s", strerror(errno));
		return -errno;
	}
	m->last_timer = lg_now();
	return 0;
}
