/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 forwarding helpers of the data path: next hop by the port's prefix, static
 * routes and default gateway; Ethernet header from the neighbour cache (soliciting
 * when unknown); TTL; TCP MSS clamping of inner SYNs; ICMP fragmentation-needed.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sg_app.h"
#include "sg_fwd4.h"
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

/* RFC 1624 incremental update of a 16-bit checksum for one 16-bit word change. */
static uint16_t cksum_adjust(uint16_t cksum, uint16_t old_w, uint16_t new_w)
{
	uint32_t s = (uint16_t) ~cksum + (uint16_t) ~old_w + new_w;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t) ~s;
}

int sg_fwd4_check(const uint8_t *ip, size_t len)
{
	const struct sg_net_ipv4_hdr *h = (const struct sg_net_ipv4_hdr *) ip;
	size_t ihl;

	if (len < sizeof(*h) || (h->ver_ihl >> 4) != 4)
		return -EINVAL;
	ihl = (size_t) (h->ver_ihl & 0xf) * 4;
	if (ihl < sizeof(*h) || ihl > len || rte_be_to_cpu_16(h->total_len) < ihl ||
	    rte_be_to_cpu_16(h->total_len) > len)
		return -EINVAL;
	return 0;
}

int sg_fwd4_ttl(uint8_t *ip)
{
	struct sg_net_ipv4_hdr *h = (struct sg_net_ipv4_hdr *) ip;
	uint16_t old_w, new_w;

	if (h->ttl <= 1)
		return -ETIMEDOUT;
	memcpy(&old_w, &h->ttl, 2);
	h->ttl--;
	memcpy(&new_w, &h->ttl, 2);
	h->cksum = cksum_adjust(h->cksum, old_w, new_w);
	return 0;
}

bool sg_fwd4_mss_clamp(uint8_t *ip, size_t len, uint16_t mss)
{
	struct sg_net_ipv4_hdr *h = (struct sg_net_ipv4_hdr *) ip;
	size_t ihl = (size_t) (h->ver_ihl & 0xf) * 4, doff, o;
	uint8_t *tcp;

	if (h->proto != IPPROTO_TCP || (rte_be_to_cpu_16(h->frag) & 0x1fff) != 0 || len < ihl + 20)
		return false;
	tcp = ip + ihl;
	if (!(tcp[13] & 0x02)) /* SYN */
		return false;
	doff = (size_t) (tcp[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > len)
		return false;
	for (o = 20; o < doff;) {
		uint8_t kind = tcp[o];
		if (kind == 0)
			break;
		if (kind == 1) {
			o++;
			continue;
		}
		if (o + 1 >= doff || tcp[o + 1] < 2 || o + tcp[o + 1] > doff)
			break;
		if (kind == 2 && tcp[o + 1] == 4) {
			uint16_t old_w, new_w = rte_cpu_to_be_16(mss), ck;
			memcpy(&old_w, tcp + o + 2, 2);
			if (rte_be_to_cpu_16(old_w) <= mss)
				return false;
			memcpy(tcp + o + 2, &new_w, 2);
			memcpy(&ck, tcp + 16, 2);
			ck = cksum_adjust(ck, old_w, new_w);
			memcpy(tcp + 16, &ck, 2);
			return true;
		}
		o += tcp[o + 1];
	}
	return false;
}

int sg_fwd4_icmp_too_big(struct rte_mbuf *m, const uint8_t our_ip_be[4], uint16_t mtu)
{
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *);
	const struct sg_net_ipv4_hdr *in = (const struct sg_net_ipv4_hdr *) ip;
	size_t ihl = (size_t) (in->ver_ihl & 0xf) * 4, quote = ihl + 8, total = 20 + 8 + quote;
	uint8_t orig[60 + 8];
	struct sg_net_ipv4_hdr *h;
	uint8_t *icmp;
	uint16_t v;

	if (m->data_len < quote || total > (size_t) (m->buf_len - m->data_off))
		return -EINVAL;
	memcpy(orig, ip, quote);
	h = (struct sg_net_ipv4_hdr *) ip;
	memset(h, 0, 20);
	h->ver_ihl = 0x45;
	h->total_len = rte_cpu_to_be_16((uint16_t) total);
	h->ttl = 64;
	h->proto = IPPROTO_ICMP;
	memcpy(h->dst, ((const struct sg_net_ipv4_hdr *) orig)->src, 4);
	memcpy(h->src, our_ip_be, 4);
	h->cksum = sg_net_ipv4_cksum(h);
	icmp = ip + 20;
	icmp[0] = 3; /* destination unreachable */
	icmp[1] = 4; /* fragmentation needed and DF set */
	icmp[2] = icmp[3] = icmp[4] = icmp[5] = 0;
	v = rte_cpu_to_be_16(mtu);
	memcpy(icmp + 6, &v, 2);
	memcpy(icmp + 8, orig, quote);
	v = (uint16_t) ~sg_net_cksum_raw(icmp, 8 + quote);
	memcpy(icmp + 2, &v, 2);
	m->data_len = (uint16_t) total;
	m->pkt_len = (uint32_t) total;
	return 0;
}
