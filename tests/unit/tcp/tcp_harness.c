/* SPDX-License-Identifier: BSD-3-Clause */
#include "tcp_harness.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "tcp_test_env.h"

static void on_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m,
		     int err)
{
	struct harness *h = arg;
	if (h->nev < H_MAX_EV)
		h->ev[h->nev++] = (struct h_ev){ev, c, err, m ? m->pkt_len : 0};
	if (ev == SG_TCP_EV_ACCEPTED || ev == SG_TCP_EV_CONNECTED) {
		h->conn = c;
		if (h->abort_on_accept)
			sg_tcp_conn_abort(c, h->now);
	}
	if (ev == SG_TCP_EV_CLOSED && h->conn == c)
		h->conn = NULL;
	if (m) {
		uint32_t len = m->pkt_len;
		for (struct rte_mbuf *seg = m; seg; seg = seg->next) {
			uint32_t n = seg->data_len;
			if (h->rxlen + n <= sizeof(h->rx))
				memcpy(h->rx + h->rxlen, rte_pktmbuf_mtod(seg, void *), n);
			h->rxlen += n;
		}
		rte_pktmbuf_free(m);
		if (h->consume)
			sg_tcp_conn_recv_consumed(c, len, h->now);
	}
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void on_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct harness *h = arg;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		if (h->nout < H_MAX_OUT) {
			struct h_out *o = &h->out[h->nout++];
			uint8_t buf[4096];
			uint32_t len = m->pkt_len < sizeof(buf) ? m->pkt_len : sizeof(buf);
			const uint8_t *p = rte_pktmbuf_read(m, 0, len, buf);
			const uint8_t *th = p + m->l3_len;
			o->seq = rd32(th + 4);
			o->ack = rd32(th + 8);
			o->flags = th[13];
			o->win = (uint32_t) th[14] << 8 | th[15];
			uint32_t doff = (th[12] >> 4) * 4u;
			tcp_opts_parse(th + 20, doff - 20, &o->o);
			if (o->o.ts_ok)
				h->ptsecr = o->o.tsval;
			o->len = m->pkt_len - m->l3_len - doff;
			o->ol_flags = m->ol_flags;
			o->tso_segsz = m->tso_segsz;
			o->l3_len = m->l3_len;
			o->l4_len = m->l4_len;
			o->nb_segs = m->nb_segs;
			memcpy(o->data, th + doff,
			       o->len < sizeof(o->data) ? o->len : sizeof(o->data));
		}
		rte_pktmbuf_free(m);
	}
}

void h_init(struct harness *h)
{
	memset(h, 0, sizeof(*h));
	if (tcp_test_eal_init() < 0) {
		fprintf(stderr, "EAL init failed\n");
		abort();
	}
	static unsigned gen;
	char name[32];
	snprintf(name, sizeof(name), "hp%u", gen++);
	h->pool = tcp_test_pool(name, 8192, 2048 + RTE_PKTMBUF_HEADROOM);
	if (!h->pool)
		abort();
	h->cfg.max_conns = 64;
	h->cfg.hdr_pool = h->pool;
	h->cfg.event_fn = on_event;
	h->cfg.tx_fn = on_tx;
	h->cfg.arg = h;
	memset(h->cfg.secret, 7, sizeof(h->cfg.secret));
	h->now = 5 * SG_USEC_PER_SEC;
	h->consume = true;
	h->family = 4;
	h->pport = 40000;
	h->lport = 443;
	h->pseq = 1000000;
	h->ptsval = 777;
}

void h_start(struct harness *h)
{
	h->s = sg_tcp_stack_create(&h->cfg);
	if (!h->s || sg_tcp_listen(h->s, 443) != 0)
		abort();
}

void h_fini(struct harness *h)
{
	sg_tcp_stack_destroy(h->s);
	unsigned avail = rte_mempool_avail_count(h->pool);
	rte_mempool_free(h->pool);
	if (avail != 8192) {
		fprintf(stderr, "mbuf leak: %u of 8192 back\n", avail);
		abort();
	}
}

void h_clear(struct harness *h)
{
	h->nout = 0;
	h->nev = 0;
}

void h_send(struct harness *h, const struct h_seg *g)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(h->pool);
	if (!m)
		abort();
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t l3 = h->family == 4 ? 20 : 40;
	uint32_t doff = 20 + g->optlen;
	uint32_t tot = l3 + doff + g->len;
	memset(p, 0, tot);
	uint8_t *th = p + l3;
	th[0] = (uint8_t) (h->pport >> 8);
	th[1] = (uint8_t) h->pport;
	th[2] = (uint8_t) (h->lport >> 8);
	th[3] = (uint8_t) h->lport;
	uint32_t v[2] = {rte_cpu_to_be_32(g->seq), rte_cpu_to_be_32(g->ack)};
	memcpy(th + 4, v, 8);
	th[12] = (uint8_t) ((g->doff ? g->doff : (int) doff / 4) << 4);
	th[13] = g->flags;
	th[14] = (uint8_t) (g->win >> 8);
	th[15] = (uint8_t) g->win;
	if (g->optlen)
		memcpy(th + 20, g->opts, g->optlen);
	if (g->len)
		memcpy(th + doff, g->data, g->len);
	if (h->family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) p;
		ip->version_ihl = (uint8_t) ((g->version ? g->version : 4) << 4 | 5);
		ip->total_length = rte_cpu_to_be_16((uint16_t) (tot + g->ip_len_adj));
		ip->time_to_live = 64;
		ip->fragment_offset = rte_cpu_to_be_16(g->frag);
		ip->next_proto_id = g->proto ? g->proto : IPPROTO_TCP;
		ip->src_addr = rte_cpu_to_be_32(0xc6336401); /* 198.51.100.1 */
		ip->dst_addr = rte_cpu_to_be_32(0xc0000201); /* 192.0.2.1 */
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		uint16_t ck = rte_ipv4_udptcp_cksum(ip, th);
		memcpy(th + 16, &ck, 2);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) p;
		ip->vtc_flow = rte_cpu_to_be_32((uint32_t) (g->version ? g->version : 6) << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t) (doff + g->len + g->ip_len_adj));
		ip->proto = g->proto ? g->proto : IPPROTO_TCP;
		ip->hop_limits = 64;
		uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 1, [15] = 1},
			b[16] = {0x20, 0x01, 0x0d, 0xb8, 2, [15] = 2};
		memcpy(ip->src_addr, a, 16);
		memcpy(ip->dst_addr, b, 16);
		uint16_t ck = rte_ipv6_udptcp_cksum(ip, th);
		memcpy(th + 16, &ck, 2);
	}
	if (g->bad_cksum)
		th[16] ^= 0x55;
	m->data_len = (uint16_t) (tot - (uint32_t) g->trunc);
	m->pkt_len = m->data_len;
	m->l2_len = 0;
	sg_tcp_input(h->s, &m, 1, h->now);
}

void h_advance(struct harness *h, sg_usec_t usec)
{
	sg_usec_t end = h->now + usec;
	while (h->now < end) {
		h->now += SG_TCP_TICK_USEC;
		if (h->now > end)
			h->now = end;
		sg_tcp_timers_run(h->s, h->now);
	}
}

void h_ts_opt(uint8_t out[12], uint32_t tsval, uint32_t tsecr)
{
	out[0] = 1;
	out[1] = 1;
	out[2] = 8;
	out[3] = 10;
	uint32_t v[2] = {rte_cpu_to_be_32(tsval), rte_cpu_to_be_32(tsecr)};
	memcpy(out + 4, v, 8);
}

struct sg_tcp_conn *h_establish(struct harness *h)
{
	uint8_t o[24] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10}; /* MSS 1460, SACK-perm, TS */
	uint32_t tv = rte_cpu_to_be_32(h->ptsval);
	memcpy(o + 8, &tv, 4);
	o[16] = 1;
	o[17] = 3;
	o[18] = 3;
	o[19] = 7; /* WS 7 */
	h_send(h, &(struct h_seg){
		      .seq = h->pseq, .flags = TCP_SYN, .win = 65535, .opts = o, .optlen = 20});
	const struct h_out *sa = h_last(h);
	if (!sa || sa->flags != (TCP_SYN | TCP_ACK))
		return NULL;
	h->iss = sa->seq;
	h->pseq++;
	h->pack = sa->seq + 1;
	h_flag(h, TCP_ACK, h->pseq, h->pack);
	return h->conn;
}

void h_data(struct harness *h, const void *data, uint32_t len, uint8_t extra)
{
	uint8_t ts[12];
	h_ts_opt(ts, ++h->ptsval, h->ptsecr);
	h_send(h, &(struct h_seg){.seq = h->pseq,
				  .ack = h->pack,
				  .flags = TCP_ACK | extra,
				  .win = 2048,
				  .opts = ts,
				  .optlen = 12,
				  .data = data,
				  .len = len});
	h->pseq += len + ((extra & TCP_FIN) ? 1 : 0);
}

void h_flag(struct harness *h, uint8_t flags, uint32_t seq, uint32_t ack)
{
	uint8_t ts[12];
	h_ts_opt(ts, ++h->ptsval, h->ptsecr);
	h_send(h,
	       &(struct h_seg){
		   .seq = seq, .ack = ack, .flags = flags, .win = 2048, .opts = ts, .optlen = 12});
}

unsigned h_count_ev(const struct harness *h, enum sg_tcp_event ev)
{
	unsigned n = 0;
	for (unsigned i = 0; i < h->nev; i++)
		n += h->ev[i].ev == ev;
	return n;
}

const struct h_out *h_last(const struct harness *h)
{
	return h->nout ? &h->out[h->nout - 1] : NULL;
}

uint64_t h_drop(const struct harness *h, enum sg_tcp_drop r)
{
	struct sg_tcp_stats st;
	sg_tcp_stats_get(h->s, &st);
	return st.drops[r];
}

uint64_t h_stat(const struct harness *h, size_t offset)
{
	struct sg_tcp_stats st;
	sg_tcp_stats_get(h->s, &st);
	uint64_t v;
	memcpy(&v, (const uint8_t *) &st + offset, sizeof(v));
	return v;
}
