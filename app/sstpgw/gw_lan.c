/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The LAN side of the data path.
 *  in:  LAN frame for a client address -> owner worker by the pool layout (another
 *       worker: one ring) -> session by address -> TTL, too-big check (ICMP
 *       fragmentation-needed when DF) -> SSTP+PPP header in the mbuf's headroom ->
 *       one TLS writev per session per burst (packets coalesced into few records).
 *  out: inner IPv4 packet from a session -> anti-spoof -> TTL -> MSS clamp ->
 *       Ethernet toward the LAN next hop -> LAN tx burst. Echo requests to the
 *       gateway's own addresses are answered back into the tunnel.
 * IPv6 takes the same steps in gw_lan6.c; steering, the handoff ring, the parking of
 * packets waiting for a neighbour and both tx vectors are shared here.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sg_app.h"
#include "sg_fwd4.h"
#include "sg_gw.h"
#include "sg_ipam.h"

#define ETH_LEN 14
#define DF_BIT	0x4000

/* Packets waiting for their session's TLS writev at the end of the burst. */
struct enc_vec {
	struct sg_session *s[SG_BURST * 2];
	struct rte_mbuf *m[SG_BURST * 2];
	uint16_t n;
};

static RTE_DEFINE_PER_LCORE(struct enc_vec, enc);

void sg_gw_lan_flush(struct sg_gw *gw)
{
	struct enc_vec *v = &RTE_PER_LCORE(enc);
	uint16_t i, j, sent;

	for (i = 0; i < v->n; i++) {
		struct sg_session *s = v->s[i];
		struct iovec iov[SG_BURST * 2];
		int n = 0;

		if (s == NULL)
			continue;
		for (j = i; j < v->n; j++) {
			if (v->s[j] != s)
				continue;
			iov[n].iov_base = rte_pktmbuf_mtod(v->m[j], void *);
			iov[n].iov_len = v->m[j]->data_len;
			n++;
		}
		if (s->state == SG_SESS_OPEN && sg_tls_conn_writev(s->tls, iov, n) == 0) {
			sg_stats_count(gw->st, SG_CTR_INNER_TX, (uint64_t) n);
			sg_gw_flush(gw, s);
		} else {
			sg_stats_drop(gw->st, SG_DROP_TLS_WRITE, (uint64_t) n);
		}
		for (j = i; j < v->n; j++) {
			if (v->s[j] != s)
				continue;
			rte_pktmbuf_free(v->m[j]);
			v->s[j] = NULL;
		}
	}
	v->n = 0;
	if (gw->n_lan_tx == 0)
		return;
	sent = rte_eth_tx_burst(gw->app->ports[SG_ROLE_LAN].port_id, gw->w->queue, gw->lan_tx,
				gw->n_lan_tx);
	sg_stats_count(gw->st, SG_CTR_LAN_TX, sent);
	if (sent < gw->n_lan_tx) {
		sg_stats_drop(gw->st, SG_DROP_TX_FULL, (uint64_t) (gw->n_lan_tx - sent));
		rte_pktmbuf_free_bulk(&gw->lan_tx[sent], (unsigned int) (gw->n_lan_tx - sent));
	}
	gw->n_lan_tx = 0;
}

static void lan_tx_add(struct sg_gw *gw, struct rte_mbuf *m)
{
	if (gw->n_lan_tx == RTE_DIM(gw->lan_tx))
		sg_gw_lan_flush(gw);
	gw->lan_tx[gw->n_lan_tx++] = m;
}

void sg_gw_lan_tx_add(struct sg_gw *gw, struct rte_mbuf *m)
{
	lan_tx_add(gw, m);
}

void sg_gw_lan_enc_add(struct sg_gw *gw, struct sg_session *s, struct rte_mbuf *m)
{
	struct enc_vec *v = &RTE_PER_LCORE(enc);

	if (v->n == RTE_DIM(v->m))
		sg_gw_lan_flush(gw);
	v->s[v->n] = s;
	v->m[v->n++] = m;
}

bool sg_gw_lan_park(struct sg_gw *gw, struct rte_mbuf *m, int family, const uint8_t *dst)
{
	uint16_t i = gw->n_parked;

	if (i == RTE_DIM(gw->parked))
		return false;
	gw->parked[i] = m;
	gw->parked_fam[i] = (uint8_t) family;
	if (family == 6)
		memcpy(gw->parked_dst6[i], dst, 16);
	else
		memcpy(&gw->parked_dst[i], dst, 4);
	gw->parked_at[i] = gw->now;
	gw->n_parked++;
	return true;
}

static void drop(struct sg_gw *gw, struct rte_mbuf *m, enum sg_drop why)
{
	sg_stats_drop(gw->st, why, 1);
	rte_pktmbuf_free(m);
}

/* Answer an oversized DF packet with ICMP fragmentation-needed (m is reused). */
static void too_big(struct sg_gw *gw, struct rte_mbuf *m, uint16_t mtu)
{
	uint32_t dst;
	int n = sg_fwd4_icmp_too_big(rte_pktmbuf_mtod(m, uint8_t *), m->data_len,
				     (size_t) (m->buf_len - m->data_off),
				     gw->app->ifc[SG_ROLE_LAN].ip4, mtu);

	if (n < 0) {
		drop(gw, m, SG_DROP_TOO_BIG);
		return;
	}
	m->data_len = (uint16_t) n;
	m->pkt_len = (uint32_t) n;
	memcpy(&dst, rte_pktmbuf_mtod_offset(m, uint8_t *, 16), 4);
	if (sg_fwd4_l2(gw->w, SG_ROLE_LAN, m, dst, gw->now) < 0) {
		drop(gw, m, SG_DROP_TOO_BIG);
		return;
	}
	sg_stats_count(gw->st, SG_CTR_ICMP_TOO_BIG, 1);
	sg_stats_drop(gw->st, SG_DROP_TOO_BIG, 1);
	lan_tx_add(gw, m);
}

/* A LAN packet (data at IPv4) for a client of this worker. */
static void lan_deliver(struct sg_gw *gw, struct rte_mbuf *m)
{
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *), hdr[SG_TUNNEL_HDR_MAX];
	struct sg_session *s;
	uint16_t total, frag;
	uint32_t dst;
	int hl;

	if (m->nb_segs != 1 || sg_fwd4_check(ip, m->data_len) < 0) {
		drop(gw, m, SG_DROP_INNER_BAD);
		return;
	}
	total = rte_be_to_cpu_16(((struct sg_net_ipv4_hdr *) ip)->total_len);
	if (m->data_len > total)
		rte_pktmbuf_trim(m, (uint16_t) (m->data_len - total));
	memcpy(&dst, ip + 16, 4);
	s = sg_gw_addr_lookup(gw, dst);
	if (s == NULL || s->state != SG_SESS_OPEN) {
		drop(gw, m, SG_DROP_NO_SESSION);
		return;
	}
	if (sg_fwd4_ttl(ip) < 0) {
		drop(gw, m, SG_DROP_TTL);
		return;
	}
	if (gw->app->cfg.ppp.mss_clamp && s->mtu > 40 &&
	    sg_fwd4_mss_clamp(ip, total, (uint16_t) (s->mtu - 40)))
		sg_stats_count(gw->st, SG_CTR_MSS_CLAMPED, 1);
	if (total > s->mtu) {
		memcpy(&frag, ip + 6, 2);
		if (rte_be_to_cpu_16(frag) & DF_BIT)
			too_big(gw, m, s->mtu);
		else
			drop(gw, m, SG_DROP_TOO_BIG);
		return;
	}
	if (sg_tls_conn_out_pending(s->tls) > SG_SESS_TX_BACKLOG) {
		drop(gw, m, SG_DROP_SESS_BACKLOG);
		return;
	}
	hl = sg_tunnel_data_header(s->tunnel, SG_PPP_PROTO_IPV4, total, hdr);
	if (hl < 0) {
		drop(gw, m, hl == -EMSGSIZE ? SG_DROP_TOO_BIG : SG_DROP_TUNNEL_NOT_OPEN);
		return;
	}
	ip = (uint8_t *) rte_pktmbuf_prepend(m, (uint16_t) hl);
	if (ip == NULL) {
		drop(gw, m, SG_DROP_NO_MBUF);
		return;
	}
	memcpy(ip, hdr, (size_t) hl);
	s->tx_pkts++;
	s->tx_bytes += total;
	s->last_active = gw->now;
	sg_gw_lan_enc_add(gw, s, m);
}

/* An IPv6 LAN frame for a client prefix: the owner worker, or -1 (not a client's). */
static int owner6(const struct sg_app *app, const uint8_t *dst)
{
	struct in6_addr a;
	int owner;

	if (!app->has_pool6)
		return -1;
	memcpy(&a, dst, sizeof(a)); /* frame bytes are not aligned for struct in6_addr */
	owner = sg_app_steer6_lookup(app, a.s6_addr);
	if (owner < 0)
		owner = sg_ipam_layout6_owner(&app->layout6, &a);
	return owner;
}

static void lan_deliver_any(struct sg_gw *gw, struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);

	if (m->data_len > 0 && (ip[0] >> 4) == 6)
		sg_gw_lan6_deliver(gw, m);
	else
		lan_deliver(gw, m);
}

bool sg_gw_lan_steer(struct sg_gw *gw, struct rte_mbuf *m)
{
	const struct sg_app *app = gw->app;
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dst_be;
	uint16_t type;
	int owner;

	if (m->data_len < ETH_LEN + 20)
		return false;
	memcpy(&type, f + 12, 2);
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6)) {
		if (m->data_len < ETH_LEN + 40)
			return false;
		if (memcmp(f, app->ifc[SG_ROLE_LAN].mac, 6) == 0)
			owner = owner6(app, f + ETH_LEN + 24);
		else if ((f[0] & 1) && app->cfg.ports.lan.proxy_arp &&
			 sg_gw_lan6_ns_target(f + ETH_LEN, m->data_len - ETH_LEN) != NULL)
			owner = owner6(app, sg_gw_lan6_ns_target(f + ETH_LEN, m->data_len - ETH_LEN));
		else
			return false;
	} else {
		if (type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) || !app->has_pool4 ||
		    memcmp(f, app->ifc[SG_ROLE_LAN].mac, 6) != 0)
			return false;
		memcpy(&dst_be, f + ETH_LEN + 16, 4);
		owner = sg_app_steer_lookup(app, dst_be); /* fixed addresses first */
		if (owner < 0)
			owner = sg_ipam_layout4_owner(&app->layout4, rte_be_to_cpu_32(dst_be));
	}
	if (owner < 0)
		return false; /* not a client address: lib/net decides (ours, or not local) */
	rte_pktmbuf_adj(m, ETH_LEN);
	if ((unsigned int) owner != gw->index) {
		struct sg_gw *to = app->workers[owner].gw;
		if (rte_ring_enqueue(to->handoff, m) != 0) {
			drop(gw, m, SG_DROP_HANDOFF_FULL);
			return true;
		}
		sg_stats_count(gw->st, SG_CTR_HANDOFF_TX, 1);
		return true;
	}
	lan_deliver_any(gw, m);
	return true;
}

void sg_gw_lan_handoff_poll(struct sg_gw *gw)
{
	struct rte_mbuf *m[SG_BURST];
	unsigned int n, i;

	n = rte_ring_dequeue_burst(gw->handoff, (void **) m, SG_BURST, NULL);
	if (n == 0)
		return;
	sg_stats_count(gw->st, SG_CTR_HANDOFF_RX, n);
	for (i = 0; i < n; i++)
		lan_deliver_any(gw, m[i]);
	sg_gw_lan_flush(gw);
}

static bool is_gateway_addr(const struct sg_app *app, uint32_t dst_be)
{
	int r;

	for (r = 0; r < SG_ROLE_COUNT; r++)
		if (app->ifc[r].has_ip4 && memcmp(app->ifc[r].ip4, &dst_be, 4) == 0)
			return true;
	return false;
}

/* An inner packet to one of the gateway's own addresses: echo requests are answered
 * back into the tunnel, anything else is dropped by name. */
static void gateway_input(struct sg_gw *gw, struct sg_session *s, struct rte_mbuf *m)
{
	uint16_t len = m->data_len;

	if (sg_fwd4_echo_reply(rte_pktmbuf_mtod(m, uint8_t *), len) < 0) {
		drop(gw, m, SG_DROP_INNER_TO_GATEWAY);
		return;
	}
	s->rx_pkts++;
	s->rx_bytes += len;
	s->last_active = gw->now;
	sg_stats_count(gw->st, SG_CTR_INNER_RX, 1);
	sg_stats_count(gw->st, SG_CTR_INNER4_ECHO, 1);
	lan_deliver(gw, m);
}

void sg_gw_lan_output(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip, size_t len)
{
	struct rte_mbuf *m;
	uint32_t src, dst;
	uint8_t *p;
	int rc;

	if (sg_fwd4_check(ip, len) < 0) {
		sg_stats_drop(gw->st, SG_DROP_INNER_BAD, 1);
		return;
	}
	len = rte_be_to_cpu_16(((const struct sg_net_ipv4_hdr *) ip)->total_len);
	memcpy(&src, ip + 12, 4);
	if (s->ipv4 == 0 || src != rte_cpu_to_be_32(s->ipv4)) {
		sg_stats_drop(gw->st, SG_DROP_ANTI_SPOOF, 1);
		return;
	}
	m = rte_pktmbuf_alloc(gw->app->pool);
	if (m == NULL || len > rte_pktmbuf_tailroom(m)) {
		rte_pktmbuf_free(m);
		sg_stats_drop(gw->st, SG_DROP_NO_MBUF, 1);
		return;
	}
	p = (uint8_t *) rte_pktmbuf_append(m, (uint16_t) len);
	memcpy(p, ip, len);
	memcpy(&dst, p + 16, 4);
	if (is_gateway_addr(gw->app, dst)) {
		gateway_input(gw, s, m);
		return;
	}
	if (sg_fwd4_ttl(p) < 0) {
		drop(gw, m, SG_DROP_TTL);
		return;
	}
	if (gw->app->cfg.ppp.mss_clamp && s->mtu > 40 &&
	    sg_fwd4_mss_clamp(p, len, (uint16_t) (s->mtu - 40)))
		sg_stats_count(gw->st, SG_CTR_MSS_CLAMPED, 1);
	rc = sg_fwd4_l2(gw->w, SG_ROLE_LAN, m, dst, gw->now);
	if (rc == -EHOSTUNREACH && sg_gw_lan_park(gw, m, 4, (const uint8_t *) &dst)) {
		/* Like a host's ARP queue: hold it until the next hop answers. */
		rc = 0;
		m = NULL;
	} else if (rc < 0) {
		drop(gw, m, rc == -ENETUNREACH ? SG_DROP_NO_ROUTE : SG_DROP_NEIGH_UNRESOLVED);
		return;
	}
	s->rx_pkts++;
	s->rx_bytes += len;
	s->last_active = gw->now;
	sg_stats_count(gw->st, SG_CTR_INNER_RX, 1);
	if (m != NULL)
		lan_tx_add(gw, m);
}

void sg_gw_lan_parked_retry(struct sg_gw *gw)
{
	uint16_t i = 0;

	while (i < gw->n_parked) {
		struct rte_mbuf *m = gw->parked[i];
		int rc = gw->parked_fam[i] == 6
			     ? sg_fwd6_l2(gw->w, SG_ROLE_LAN, m, gw->parked_dst6[i], gw->now)
			     : sg_fwd4_l2(gw->w, SG_ROLE_LAN, m, gw->parked_dst[i], gw->now);

		if (rc == -EHOSTUNREACH && gw->now - gw->parked_at[i] < SG_USEC_PER_SEC) {
			i++;
			continue;
		}
		if (rc == 0)
			lan_tx_add(gw, m);
		else
			drop(gw, m, SG_DROP_NEIGH_UNRESOLVED);
		gw->n_parked--;
		gw->parked[i] = gw->parked[gw->n_parked];
		gw->parked_dst[i] = gw->parked_dst[gw->n_parked];
		gw->parked_fam[i] = gw->parked_fam[gw->n_parked];
		memcpy(gw->parked_dst6[i], gw->parked_dst6[gw->n_parked], 16);
		gw->parked_at[i] = gw->parked_at[gw->n_parked];
	}
}
