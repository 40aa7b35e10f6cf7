/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv raw modes, the ceiling the memif benchmark compares lib/tcp
 * with: `rawgen` sends frames of --frame-size bytes as fast as the port takes
 * them for --seconds (at most RAW_INFLIGHT frames out at once) and counts the
 * ones that come back; `rawfwd` sends every
 * received frame straight back (MACs swapped) until SIGTERM.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "testsrv.h"

#define RAW_BURST    32
#define RAW_INFLIGHT 768 /* frames out and not back yet: keeps the rings from overflowing */

static int raw_fwd(struct srv *s, volatile int *stop)
{
	struct rte_mbuf *pkts[RAW_BURST];

	while (!*stop) {
		uint16_t n = rte_eth_rx_burst(s->port_id, 0, pkts, RAW_BURST);
		uint16_t sent;

		if (n == 0)
			continue;
		for (uint16_t i = 0; i < n; i++) {
			struct rte_ether_hdr *eth =
			    rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
			struct rte_ether_addr t = eth->dst_addr;

			eth->dst_addr = eth->src_addr;
			eth->src_addr = t;
		}
		s->cnt.rx_frames += n;
		sent = rte_eth_tx_burst(s->port_id, 0, pkts, n);
		s->cnt.tx_frames += sent;
		if (sent < n) {
			s->cnt.tx_ring_full += n - sent;
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		}
	}
	return 0;
}

static int raw_gen(struct srv *s, volatile int *stop)
{
	struct rte_mbuf *pkts[RAW_BURST];
	sg_usec_t t0 = srv_now(), t_first = 0, t_last = 0, end = t0 + s->seconds * 1000000ull;
	uint64_t rx = 0, rx_counted = 0;
	uint16_t len = s->frame_size;

	while (!*stop) {
		sg_usec_t now = srv_now();
		uint16_t n, sent;

		if (now < end && s->cnt.tx_frames - rx < RAW_INFLIGHT &&
		    rte_pktmbuf_alloc_bulk(s->pool, pkts, RAW_BURST) == 0) {
			for (int i = 0; i < RAW_BURST; i++) {
				struct rte_ether_hdr *eth;

				eth = (struct rte_ether_hdr *) rte_pktmbuf_append(pkts[i], len);
				memset(&eth->dst_addr, 0xff, 6);
				eth->src_addr = s->mac;
				eth->ether_type = rte_cpu_to_be_16(0x88b5); /* local experimental */
			}
			sent = rte_eth_tx_burst(s->port_id, 0, pkts, RAW_BURST);
			s->cnt.tx_frames += sent;
			if (sent < RAW_BURST) {
				s->cnt.tx_ring_full += RAW_BURST - sent;
				rte_pktmbuf_free_bulk(pkts + sent, RAW_BURST - sent);
			}
		}
		n = rte_eth_rx_burst(s->port_id, 0, pkts, RAW_BURST);
		if (n > 0) {
			rx += n;
			if (t_first == 0) {
				t_first = now;
			} else if (now < end) {
				rx_counted += n;
				t_last = now;
			}
			rte_pktmbuf_free_bulk(pkts, n);
		}
		if (now > end + 500000)
			break; /* stragglers: half a second after the end */
	}
	s->cnt.rx_frames = rx;
	if (t_last > t_first) {
		double sec = (double) (t_last - t_first) / 1e6;
		double pps = (double) rx_counted / sec;

		printf("raw.frame_size %u\nraw.seconds %.3f\nraw.fwd_mpps %.3f\n"
		       "raw.fwd_gbit_per_s %.3f\n",
		       len, sec, pps / 1e6, pps * len * 8 / 1e9);
		return 0;
	}
	printf("raw.fwd_mpps 0\n");
	return 1;
}

int srv_raw_run(struct srv *s, volatile int *stop)
{
	return s->mode == SRV_RAWGEN ? raw_gen(s, stop) : raw_fwd(s, stop);
}
