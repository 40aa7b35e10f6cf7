/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 through the gateway (the IPv4 steps are in gw_lan.c, the byte-level checks in
 * fwd6.c).
 *  link: IPv6CP opened and the session open -> router advertisement on the PPP link
 *        (the session's /64, A+L, M=O=0, from fe80::<our interface id>, hop limit 255),
 *        again on every router solicitation and every RA_INTERVAL.
 *  in:   LAN packet for a client prefix (steered to the owner like IPv4) -> session by
 *        /64 -> hop limit (ICMPv6 time exceeded) -> too big (ICMPv6 packet too big) ->
 *        SSTP+PPP header -> the burst's TLS writev. A neighbour solicitation for a client
 *        address is answered for it when $.ports.lan.proxy_arp is set.
 *  out:  client packet -> class (RS, link scope, spoofed, forward) -> echo to one of our
 *        addresses answered -> hop limit -> MSS clamp -> LAN next hop (NDP) -> LAN tx.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include <rte_mbuf.h>

#include "sg_app.h"
#include "sg_fwd6.h"
#include "sg_gw.h"

#define HL		    40
#define RA_INTERVAL_USEC    (600ull * SG_USEC_PER_SEC)
#define RA_INITIAL_USEC	    (4ull * SG_USEC_PER_SEC)
#define RA_INITIAL	    3
#define RA_ROUTER_LIFETIME  1800
#define RA_VALID_LIFETIME   86400
#define RA_PREFERRED_LIFETIME 14400

static void drop(struct sg_gw *gw, struct rte_mbuf *m, enum sg_drop why)
{
	sg_stats_drop(gw->st, why, 1);
	rte_pktmbuf_free(m);
}

/* A packet the gateway itself sends to a client (RA, echo reply, ICMPv6 error). */
static int to_client(struct sg_session *s, const uint8_t *ip, size_t len)
{
	uint8_t hdr[SG_TUNNEL_HDR_MAX];
	struct iovec iov[2];
	int hl = sg_tunnel_data_header(s->tunnel, SG_PPP_PROTO_IPV6, len, hdr);

	if (hl < 0)
		return hl;
	iov[0].iov_base = hdr;
	iov[0].iov_len = (size_t) hl;
	iov[1].iov_base = (void *) (uintptr_t) ip;
	iov[1].iov_len = len;
	return sg_tls_conn_writev(s->tls, iov, 2);
}

/* Our address toward a client in errors and echo replies: the LAN one, else link-local. */
static void our_addr(const struct sg_gw *gw, const struct sg_session *s, uint8_t out[16])
{
	const struct sg_net_iface *ifc = &gw->app->ifc[SG_ROLE_LAN];

	if (ifc->has_ip6)
		memcpy(out, ifc->ip6, 16);
	else
		sg_fwd6_link_local(s->local_ifid, out);
}

static void send_ra(struct sg_gw *gw, struct sg_session *s, const uint8_t *dst)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	const struct sg_config_ppp *pc = &gw->app->cfg.ppp;
	struct sg_fwd6_ra ra;
	uint8_t buf[256];
	unsigned int i;
	int n;

	memset(&ra, 0, sizeof(ra));
	sg_fwd6_link_local(s->local_ifid, ra.src);
	memcpy(ra.dst, dst != NULL ? dst : all_nodes, 16);
	memcpy(ra.prefix, s->prefix6, 16);
	ra.prefix_len = s->prefix6_len;
	ra.valid_lifetime = RA_VALID_LIFETIME;
	ra.preferred_lifetime = RA_PREFERRED_LIFETIME;
	ra.router_lifetime = RA_ROUTER_LIFETIME;
	ra.mtu = s->mtu >= SG_FWD6_MIN_MTU ? s->mtu : 0;
	for (i = 0; i < pc->n_dns6 && i < 2; i++)
		memcpy(ra.dns[i], pc->dns6[i].s6_addr, 16);
	ra.n_dns = (uint8_t) i;
	ra.dns_lifetime = 2 * RA_INTERVAL_USEC / SG_USEC_PER_SEC;
	n = sg_fwd6_ra_build(&ra, buf, sizeof(buf));
	if (n < 0 || to_client(s, buf, (size_t) n) < 0) {
		sg_stats_drop(gw->st, SG_DROP_TLS_WRITE, 1);
		return;
	}
	sg_stats_count(gw->st, SG_CTR_RA_SENT, 1);
}

void sg_gw_lan6_up(struct sg_gw *gw, struct sg_session *s)
{
	if (s->state != SG_SESS_OPEN || !s->ipv6_up || s->prefix6_len == 0)
		return;
	send_ra(gw, s, NULL);
	s->ra_sent = 1;
	s->ra_deadline = gw->now + RA_INITIAL_USEC;
}

void sg_gw_lan6_timer(struct sg_gw *gw, struct sg_session *s)
{
	if (gw->now < s->ra_deadline)
		return;
	if (s->state != SG_SESS_OPEN || !s->ipv6_up) {
		s->ra_deadline = UINT64_MAX;
		return;
	}
	send_ra(gw, s, NULL);
	if (s->ra_sent < UINT8_MAX)
		s->ra_sent++;
	s->ra_deadline = gw->now + (s->ra_sent < RA_INITIAL ? RA_INITIAL_USEC : RA_INTERVAL_USEC);
	sg_gw_flush(gw, s);
}

/* Rewrite m (data at IPv6) into an ICMPv6 error to its source on the LAN and send it. */
static void lan_icmp_error(struct sg_gw *gw, struct rte_mbuf *m, uint8_t type, uint32_t param,
			   enum sg_drop why)
{
	const struct sg_net_iface *ifc = &gw->app->ifc[SG_ROLE_LAN];
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *), dst[16];
	int n;

	sg_stats_drop(gw->st, why, 1);
	n = ifc->has_ip6 ? sg_fwd6_icmp_error(ip, m->data_len, (size_t) (m->buf_len - m->data_off),
					      ifc->ip6, type, 0, param)
			 : -EINVAL;
	if (n < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t) n;
	m->pkt_len = (uint32_t) n;
	memcpy(dst, ip + 24, 16);
	if (sg_fwd6_l2(gw->w, SG_ROLE_LAN, m, dst, gw->now) < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	sg_stats_count(gw->st,
		       type == SG_FWD6_ICMP_TOO_BIG ? SG_CTR_ICMP_TOO_BIG : SG_CTR_ICMP6_TIME_EXCEEDED,
		       1);
	sg_gw_lan_tx_add(gw, m);
}

const uint8_t *sg_gw_lan6_ns_target(const uint8_t *ip, size_t len)
{
	return sg_fwd6_ns_target(ip, len);
}

/* Proxy ND: answer an NS for a live client address with our MAC. */
static void proxy_na(struct sg_gw *gw, struct rte_mbuf *m, const uint8_t *target)
{
	const struct sg_net_iface *ifc = &gw->app->ifc[SG_ROLE_LAN];
	struct sg_net_eth_hdr *eth;
	uint8_t src_mac[SG_NET_ETH_ALEN], key[16];
	struct sg_session *s;
	int n;

	memcpy(key, target, sizeof(key));
	s = sg_gw_prefix6_lookup(gw, key);

	if (!gw->app->cfg.ports.lan.proxy_arp || !ifc->has_ip6 || s == NULL ||
	    s->state != SG_SESS_OPEN || m->data_off < sizeof(*eth)) {
		drop(gw, m, SG_DROP_NDP_NOT_FOR_US);
		return;
	}
	/* The Ethernet header steering stripped is still in the headroom. */
	memcpy(src_mac, rte_pktmbuf_mtod_offset(m, uint8_t *, -(int) sizeof(*eth)) + 6, 6);
	n = sg_fwd6_proxy_na(rte_pktmbuf_mtod(m, uint8_t *), m->data_len,
			     (size_t) (m->buf_len - m->data_off), ifc->ip6, ifc->mac);
	if (n < 0) {
		drop(gw, m, SG_DROP_NDP_MALFORMED);
		return;
	}
	m->data_len = (uint16_t) n;
	m->pkt_len = (uint32_t) n;
	eth = (struct sg_net_eth_hdr *) rte_pktmbuf_prepend(m, sizeof(*eth));
	if (src_mac[0] & 1) { /* DAD answer to ff02::1 */
		static const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
		memcpy(eth->dst, all_nodes_mac, 6);
	} else {
		memcpy(eth->dst, src_mac, 6);
	}
	memcpy(eth->src, ifc->mac, 6);
	eth->type = rte_cpu_to_be_16(SG_NET_ETHERTYPE_IPV6);
	m->l2_len = sizeof(*eth);
	sg_stats_count(gw->st, SG_CTR_PROXY_ND, 1);
	sg_gw_lan_tx_add(gw, m);
}

void sg_gw_lan6_deliver(struct sg_gw *gw, struct rte_mbuf *m)
{
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *), hdr[SG_TUNNEL_HDR_MAX], key[16];
	const uint8_t *target;
	struct sg_session *s;
	int total, hl;

	total = m->nb_segs == 1 ? sg_fwd6_check(ip, m->data_len) : -EINVAL;
	if (total < 0) {
		drop(gw, m, SG_DROP_INNER_BAD);
		return;
	}
	if (m->data_len > total)
		rte_pktmbuf_trim(m, (uint16_t) (m->data_len - total));
	target = sg_fwd6_ns_target(ip, (size_t) total);
	if (target != NULL) {
		proxy_na(gw, m, target);
		return;
	}
	memcpy(key, ip + 24, sizeof(key));
	s = sg_gw_prefix6_lookup(gw, key);
	if (s == NULL || s->state != SG_SESS_OPEN || !s->ipv6_up) {
		drop(gw, m, SG_DROP_NO_SESSION);
		return;
	}
	if (sg_fwd6_hop_limit(ip) < 0) {
		lan_icmp_error(gw, m, SG_FWD6_ICMP_TIME_EXCEED, 0, SG_DROP_TTL);
		return;
	}
	if (gw->app->cfg.ppp.mss_clamp && s->mtu > 60 &&
	    sg_fwd6_mss_clamp(ip, (size_t) total, (uint16_t) (s->mtu - 60)))
		sg_stats_count(gw->st, SG_CTR_MSS_CLAMPED, 1);
	if (total > s->mtu) {
		lan_icmp_error(gw, m, SG_FWD6_ICMP_TOO_BIG, s->mtu, SG_DROP_TOO_BIG);
		return;
	}
	if (sg_tls_conn_out_pending(s->tls) > SG_SESS_TX_BACKLOG) {
		drop(gw, m, SG_DROP_SESS_BACKLOG);
		return;
	}
	hl = sg_tunnel_data_header(s->tunnel, SG_PPP_PROTO_IPV6, (size_t) total, hdr);
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
	s->tx_bytes += (uint64_t) total;
	s->last_active = gw->now;
	sg_gw_lan_enc_add(gw, s, m);
}

/* An echo request from a client to one of our addresses: answer it through the tunnel. */
static void echo_to_client(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip, size_t len)
{
	uint8_t buf[SG_FWD6_MIN_MTU], self[16];
	int n;

	if (len > sizeof(buf)) {
		sg_stats_drop(gw->st, SG_DROP_INNER_TO_GATEWAY, 1);
		return;
	}
	memcpy(buf, ip, len);
	memcpy(self, ip + 24, 16);
	n = sg_fwd6_echo_reply(buf, len, self);
	if (n < 0) {
		sg_stats_drop(gw->st, SG_DROP_INNER_TO_GATEWAY, 1);
		return;
	}
	if (to_client(s, buf, (size_t) n) < 0) {
		sg_stats_drop(gw->st, SG_DROP_TLS_WRITE, 1);
		return;
	}
	sg_stats_count(gw->st, SG_CTR_INNER6_ECHO, 1);
}

/* An ICMPv6 error about a client's packet, back through the tunnel. */
static void client_icmp_error(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip,
			      size_t len, uint8_t type, uint32_t param)
{
	uint8_t buf[SG_FWD6_MIN_MTU + HL], src[16];
	int n;

	our_addr(gw, s, src);
	memcpy(buf, ip, len < SG_FWD6_MIN_MTU ? len : SG_FWD6_MIN_MTU);
	n = sg_fwd6_icmp_error(buf, len < SG_FWD6_MIN_MTU ? len : SG_FWD6_MIN_MTU, sizeof(buf), src,
			       type, 0, param);
	if (n < 0 || to_client(s, buf, (size_t) n) < 0)
		return;
	sg_stats_count(gw->st,
		       type == SG_FWD6_ICMP_TOO_BIG ? SG_CTR_ICMP_TOO_BIG : SG_CTR_ICMP6_TIME_EXCEEDED,
		       1);
}

static bool is_ours(const struct sg_gw *gw, const struct sg_session *s, const uint8_t *a)
{
	uint8_t ll[16];
	int r;

	for (r = 0; r < SG_ROLE_COUNT; r++)
		if (sg_net_iface_is_ip6(&gw->app->ifc[r], a))
			return true;
	sg_fwd6_link_local(s->local_ifid, ll);
	return memcmp(a, ll, 16) == 0;
}

void sg_gw_lan6_output(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip, size_t len)
{
	uint16_t lan_mtu = gw->app->cfg.ports.lan.mtu;
	struct rte_mbuf *m;
	uint8_t *p, dst[16];
	int total, rc;

	total = sg_fwd6_check(ip, len);
	if (total < 0) {
		sg_stats_drop(gw->st, SG_DROP_INNER_BAD, 1);
		return;
	}
	len = (size_t) total;
	switch (sg_fwd6_classify(ip, len, s->prefix6, s->prefix6_len)) {
	case SG_FWD6_RS:
		sg_stats_count(gw->st, SG_CTR_RS_RECEIVED, 1);
		if (s->prefix6_len != 0)
			send_ra(gw, s, NULL);
		return;
	case SG_FWD6_LINK:
		if (is_ours(gw, s, ip + 24))
			echo_to_client(gw, s, ip, len);
		else
			sg_stats_drop(gw->st, SG_DROP_INNER6_LINK_SCOPE, 1);
		return;
	case SG_FWD6_SPOOFED:
		sg_stats_drop(gw->st, SG_DROP_ANTI_SPOOF, 1);
		return;
	case SG_FWD6_BAD_DST:
		sg_stats_drop(gw->st, SG_DROP_INNER6_BAD_DST, 1);
		return;
	case SG_FWD6_FORWARD:
	default:
		break;
	}
	s->rx_pkts++;
	s->rx_bytes += len;
	s->last_active = gw->now;
	sg_stats_count(gw->st, SG_CTR_INNER_RX, 1);
	if (is_ours(gw, s, ip + 24)) {
		echo_to_client(gw, s, ip, len);
		return;
	}
	if (ip[7] <= 1) {
		sg_stats_drop(gw->st, SG_DROP_TTL, 1);
		client_icmp_error(gw, s, ip, len, SG_FWD6_ICMP_TIME_EXCEED, 0);
		return;
	}
	if (lan_mtu >= SG_FWD6_MIN_MTU && len > lan_mtu) {
		sg_stats_drop(gw->st, SG_DROP_TOO_BIG, 1);
		client_icmp_error(gw, s, ip, len, SG_FWD6_ICMP_TOO_BIG, lan_mtu);
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
	sg_fwd6_hop_limit(p);
	if (gw->app->cfg.ppp.mss_clamp && s->mtu > 60 &&
	    sg_fwd6_mss_clamp(p, len, (uint16_t) (s->mtu - 60)))
		sg_stats_count(gw->st, SG_CTR_MSS_CLAMPED, 1);
	memcpy(dst, p + 24, 16);
	rc = sg_fwd6_l2(gw->w, SG_ROLE_LAN, m, dst, gw->now);
	if (rc == -EHOSTUNREACH && sg_gw_lan_park(gw, m, 6, dst))
		return; /* like a host's neighbour queue: until the next hop answers */
	if (rc < 0) {
		drop(gw, m, rc == -ENETUNREACH ? SG_DROP_NO_ROUTE : SG_DROP_NEIGH_UNRESOLVED);
		return;
	}
	sg_gw_lan_tx_add(gw, m);
}
