/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp segment input on arbitrary packets. Each input runs on a fresh
 * stack that already has an established IPv4 and IPv6 connection (and a
 * listener), so mutations reach the connection state machine, reassembly,
 * SACK processing and TIME_WAIT, not just the parser.
 *
 * Input: byte 0 = mode bits
 *   bit 0: mark packets' checksums as verified by the NIC (reach deep paths)
 *   bit 1: the ACK field is relative to the stack's ISS of the connection
 *   bit 2: the consumer does not consume (window closes)
 *   bit 3: the consumer sends 3000 bytes on each connection first
 * then records: [advance ms (1)] [length (2, big endian)] [IP packet]
 * Invariants: no crash/UB (sanitizers), every mbuf returned to the pool.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sg_tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define POOL_N 4096

static struct rte_mempool *pool;
static uint32_t iss4, iss6;
static int capture; /* 4 or 6: record the next SYN-ACK's seq */
static int consume = 1;

static void on_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m,
		     int err)
{
	(void) arg;
	(void) err;
	if (m) {
		uint32_t len = m->pkt_len;
		rte_pktmbuf_free(m);
		if (consume)
			sg_tcp_conn_recv_consumed(c, len, 0);
	}
	if (ev == SG_TCP_EV_ACCEPTED)
		sg_tcp_conn_set_udata(c, (void *) 1);
}

static void on_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct sg_tcp_conn ***conns = arg;
	(void) conns;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *) + m->l3_len;
		if (capture && p[13] == 0x12) {
			uint32_t s;
			memcpy(&s, p + 4, 4);
			if (capture == 4)
				iss4 = rte_be_to_cpu_32(s);
			else
				iss6 = rte_be_to_cpu_32(s);
			capture = 0;
		}
		rte_pktmbuf_free(m);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	char *eal[] = {"fuzz", "--no-huge",	 "--no-pci",	   "--no-shconf",	  "-m",
		       "128",  "--iova-mode=va", "--no-telemetry", "--log-level=*:error", NULL};
	if (rte_eal_init(9, eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		abort();
	}
	pool =
	    rte_pktmbuf_pool_create("fz", POOL_N, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (!pool)
		abort();
	return 0;
}

/* Peer addresses the seeds use. */
static const uint8_t a4_peer[4] = {198, 51, 100, 1}, a4_us[4] = {192, 0, 2, 1};
static const uint8_t a6_peer[16] = {0x20, 0x01, 0x0d, 0xb8, 1, [15] = 1};
static const uint8_t a6_us[16] = {0x20, 0x01, 0x0d, 0xb8, 2, [15] = 2};

static struct rte_mbuf *mk(int fam, uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *opt,
			   uint8_t optlen)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	if (!m)
		abort();
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t l3 = fam == 4 ? 20 : 40, doff = 20 + optlen, tot = l3 + doff;
	memset(p, 0, tot);
	uint8_t *th = p + l3;
	th[0] = 40000 >> 8;
	th[1] = 40000 & 0xff;
	th[2] = 443 >> 8;
	th[3] = 443 & 0xff;
	uint32_t v[2] = {rte_cpu_to_be_32(seq), rte_cpu_to_be_32(ack)};
	memcpy(th + 4, v, 8);
	th[12] = (uint8_t) ((doff / 4) << 4);
	th[13] = flags;
	th[14] = 0x10;
	memcpy(th + 20, opt, optlen);
	if (fam == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) p;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t) tot);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		memcpy(&ip->src_addr, a4_peer, 4);
		memcpy(&ip->dst_addr, a4_us, 4);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		uint16_t ck = rte_ipv4_udptcp_cksum(ip, th);
		memcpy(th + 16, &ck, 2);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) p;
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t) doff);
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = 64;
		memcpy(ip->src_addr, a6_peer, 16);
		memcpy(ip->dst_addr, a6_us, 16);
		uint16_t ck = rte_ipv6_udptcp_cksum(ip, th);
		memcpy(th + 16, &ck, 2);
	}
	m->data_len = (uint16_t) tot;
	m->pkt_len = tot;
	return m;
}

static struct sg_tcp_conn *conns[2];

static void on_event_track(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev,
			   struct rte_mbuf *m, int err)
{
	if (ev == SG_TCP_EV_ACCEPTED)
		conns[sg_tcp_conn_tuple(c)->family == 6] = c;
	if (ev == SG_TCP_EV_CLOSED)
		conns[sg_tcp_conn_tuple(c)->family == 6] = NULL;
	on_event(arg, c, ev, m, err);
}

static void handshake(struct sg_tcp_stack *s, int fam, sg_usec_t now)
{
	/* MSS 1460, SACK-permitted, TS (val 100), WS 7 */
	uint8_t o[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
	capture = fam;
	struct rte_mbuf *m = mk(fam, 1000, 0, 0x02, o, 20);
	sg_tcp_input(s, &m, 1, now);
	uint32_t iss = fam == 4 ? iss4 : iss6;
	uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 101};
	m = mk(fam, 1001, iss + 1, 0x10, ts, 12);
	sg_tcp_input(s, &m, 1, now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	consume = !(mode & 4);
	struct sg_tcp_config cfg = {
	    .max_conns = 8,
	    .max_half_open = 4,
	    .syncookie_threshold = 3,
	    .time_wait_max = 4,
	    .rcv_buf = 16384,
	    .snd_buf = 16384,
	    .hdr_pool = pool,
	    .event_fn = on_event_track,
	    .tx_fn = on_tx,
	    .cc = (mode & 16) ? SG_TCP_CC_CUBIC : SG_TCP_CC_NEWRENO,
	    .keepalive_idle = 5 * SG_USEC_PER_SEC,
	};
	memset(cfg.secret, 0x42, sizeof(cfg.secret));
	struct sg_tcp_stack *s = sg_tcp_stack_create(&cfg);
	if (!s)
		abort();
	sg_tcp_listen(s, 443);
	sg_usec_t now = 10 * SG_USEC_PER_SEC;
	conns[0] = conns[1] = NULL;
	handshake(s, 4, now);
	handshake(s, 6, now);
	if (mode & 8) {
		for (int i = 0; i < 2; i++) {
			if (!conns[i])
				continue;
			struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
			if (!m)
				abort();
			memset(rte_pktmbuf_mtod(m, void *), 'x', 1500);
			m->data_len = 1500;
			m->pkt_len = 1500;
			if (sg_tcp_conn_send(conns[i], m, now) < 0)
				rte_pktmbuf_free(m);
		}
	}
	size_t off = 1;
	while (off + 3 <= size) {
		uint8_t adv = data[off];
		uint16_t len = (uint16_t) (data[off + 1] << 8 | data[off + 2]);
		off += 3;
		if (len > size - off)
			len = (uint16_t) (size - off);
		if (len > 2000)
			len = 2000;
		now += (sg_usec_t) adv * 1000 * (adv > 200 ? 100 : 1);
		sg_tcp_timers_run(s, now);
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		if (!m)
			abort();
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), data + off, len);
		m->data_len = len;
		m->pkt_len = len;
		off += len;
		if (mode & 1)
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD | RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		if ((mode & 2) && len >= 40) {
			uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
			uint32_t l3 = (p[0] >> 4) == 6 ? 40 : (uint32_t) (p[0] & 0xf) * 4;
			if (l3 + 12 <= len) {
				uint32_t a;
				memcpy(&a, p + l3 + 8, 4);
				a = rte_cpu_to_be_32(rte_be_to_cpu_32(a) +
						     ((p[0] >> 4) == 6 ? iss6 : iss4));
				memcpy(p + l3 + 8, &a, 4);
			}
		}
		sg_tcp_input(s, &m, 1, now);
		if (mode & 8 && conns[0] && (adv & 1)) {
			struct rte_mbuf *d = rte_pktmbuf_alloc(pool);
			if (d) {
				d->data_len = 700;
				d->pkt_len = 700;
				memset(rte_pktmbuf_mtod(d, void *), 'y', 700);
				if (sg_tcp_conn_send(conns[0], d, now) < 0)
					rte_pktmbuf_free(d);
			}
		}
	}
	sg_tcp_timers_run(s, now + 3 * SG_USEC_PER_SEC);
	sg_tcp_stack_destroy(s);
	if (rte_mempool_avail_count(pool) != POOL_N) {
		fprintf(stderr, "mbuf leak: %u of %u\n", rte_mempool_avail_count(pool), POOL_N);
		abort();
	}
	return 0;
}
