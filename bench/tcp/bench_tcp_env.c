/* SPDX-License-Identifier: BSD-3-Clause */
#include "bench_tcp_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sg_tcp.h"

#define SEG   1448
#define BATCH 32

static struct rte_mempool *pool;
static struct sg_tcp_stack *stack;
static struct sg_tcp_conn *conn;
static uint32_t iss, peer_seq = 1001, tsval = 100;
static uint64_t ntx;
static int offload;
static sg_usec_t now = 10 * SG_USEC_PER_SEC;
static uint32_t our_nxt;

static void on_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m,
		     int err)
{
	(void) arg;
	(void) err;
	if (ev == SG_TCP_EV_ACCEPTED)
		conn = c;
	if (m) {
		uint32_t len = m->pkt_len;
		rte_pktmbuf_free(m);
		sg_tcp_conn_recv_consumed(c, len, now);
	}
}

static void on_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	(void) arg;
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *th = rte_pktmbuf_mtod(pkts[i], const uint8_t *) + pkts[i]->l3_len;
		if (th[13] == 0x12) {
			uint32_t s;
			memcpy(&s, th + 4, 4);
			iss = rte_be_to_cpu_32(s);
		}
	}
	rte_pktmbuf_free_bulk(pkts, n);
	ntx += n;
}

static struct rte_mbuf *mk(uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *opt,
			   uint8_t optlen, uint32_t paylen)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	if (!m)
		abort();
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t doff = 20 + optlen, tot = 20 + doff + paylen;
	memset(p, 0, 20 + doff);
	memset(p + 20 + doff, 'd', paylen);
	uint8_t *th = p + 20;
	th[0] = 40000 >> 8;
	th[1] = 40000 & 0xff;
	th[2] = 443 >> 8;
	th[3] = 443 & 0xff;
	uint32_t v[2] = {rte_cpu_to_be_32(seq), rte_cpu_to_be_32(ack)};
	memcpy(th + 4, v, 8);
	th[12] = (uint8_t) ((doff / 4) << 4);
	th[13] = flags;
	th[14] = 0xff;
	th[15] = 0xff;
	memcpy(th + 20, opt, optlen);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) p;
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t) tot);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0xc6336401);
	ip->dst_addr = rte_cpu_to_be_32(0xc0000201);
	if (!offload || !(flags & 0x10) || !paylen) { /* offload: the NIC would have checked */
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		uint16_t ck = rte_ipv4_udptcp_cksum(ip, th);
		memcpy(th + 16, &ck, 2);
	}
	m->data_len = (uint16_t) tot;
	m->pkt_len = tot;
	if (offload)
		m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	return m;
}

static void ts_opt(uint8_t *o)
{
	uint8_t t[12] = {1, 1, 8, 10};
	uint32_t v = rte_cpu_to_be_32(++tsval);
	memcpy(t + 4, &v, 4);
	memcpy(o, t, 12);
}

int bench_tcp_setup(int cksum_offload)
{
	static int eal;
	if (!eal) {
		char *argv[] = {(char *) "bench",
				(char *) "--no-huge",
				(char *) "--no-pci",
				(char *) "--no-shconf",
				(char *) "-m",
				(char *) "256",
				(char *) "--iova-mode=va",
				(char *) "--no-telemetry",
				(char *) "--log-level=*:error",
				NULL};
		if (rte_eal_init(9, argv) < 0)
			return -1;
		eal = 1;
		pool = rte_pktmbuf_pool_create("bench", 16384, 256, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					       SOCKET_ID_ANY);
		if (!pool)
			return -1;
	}
	offload = cksum_offload;
	struct sg_tcp_config cfg = {
	    .max_conns = 16,
	    .rcv_buf = 4 << 20,
	    .snd_buf = 4 << 20,
	    .hdr_pool = pool,
	    .event_fn = on_event,
	    .tx_fn = on_tx,
	    .offloads = cksum_offload ? SG_TCP_OFFLOAD_IPV4_CKSUM | SG_TCP_OFFLOAD_TCP_CKSUM : 0,
	};
	memset(cfg.secret, 1, sizeof(cfg.secret));
	stack = sg_tcp_stack_create(&cfg);
	if (!stack || sg_tcp_listen(stack, 443) < 0)
		return -1;
	uint8_t o[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 10};
	struct rte_mbuf *m = mk(1000, 0, 0x02, o, 20, 0);
	sg_tcp_input(stack, &m, 1, now);
	uint8_t t[12];
	ts_opt(t);
	m = mk(1001, iss + 1, 0x10, t, 12, 0);
	sg_tcp_input(stack, &m, 1, now);
	peer_seq = 1001;
	our_nxt = iss + 1;
	return conn ? 0 : -1;
}

void bench_tcp_teardown(void)
{
	sg_tcp_stack_destroy(stack);
	stack = NULL;
	conn = NULL;
}

void bench_tcp_rx(unsigned n)
{
	struct rte_mbuf *b[BATCH];
	while (n) {
		unsigned k = n < BATCH ? n : BATCH;
		for (unsigned i = 0; i < k; i++) {
			uint8_t t[12];
			ts_opt(t);
			b[i] = mk(peer_seq, our_nxt, 0x10, t, 12, SEG);
			peer_seq += SEG;
		}
		now += 10;
		sg_tcp_input(stack, b, (uint16_t) k, now);
		n -= k;
	}
}

void bench_tcp_tx(unsigned n)
{
	while (n) {
		unsigned k = n < BATCH ? n : BATCH;
		for (unsigned i = 0; i < k; i++) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
			if (!m)
				abort();
			m->data_len = SEG - 12;
			m->pkt_len = SEG - 12;
			if (sg_tcp_conn_send(conn, m, now) < 0)
				abort();
			our_nxt += SEG - 12;
		}
		/* The peer acknowledges everything sent so far. */
		struct sg_tcp_conn_info ci;
		sg_tcp_conn_info(conn, &ci);
		uint8_t t[12];
		ts_opt(t);
		struct rte_mbuf *a = mk(peer_seq, ci.snd_nxt, 0x10, t, 12, 0);
		now += 10;
		sg_tcp_input(stack, &a, 1, now);
		n -= k;
	}
}

uint64_t bench_tcp_tx_count(void)
{
	return ntx;
}

uint64_t bench_tcp_rdtsc(void)
{
	return rte_rdtsc();
}

uint64_t bench_tcp_tsc_hz(void)
{
	return rte_get_tsc_hz();
}
