/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deterministic simulation: two sg_tcp stacks (client active open, server
 * passive) over a seeded link with loss, duplication, reordering, delay and
 * a bottleneck rate, driven by a discrete-event loop in virtual time. Both
 * directions carry a seeded byte stream and every byte is verified.
 */
#ifndef TCP_SIM_H
#define TCP_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "sg_tcp.h"

struct tcp_sim_params {
	uint64_t seed;
	uint64_t bytes_c2s, bytes_s2c;
	double loss, dup, reorder; /* probabilities per packet, each direction */
	uint32_t delay_us;	   /* one-way base delay */
	uint32_t reorder_us;	   /* extra delay of a reordered packet (max) */
	uint64_t rate_bps;	   /* bottleneck rate each way */
	uint8_t family;		   /* 4 or 6 */
	enum sg_tcp_cc cc;
	bool no_sack, no_ts;
	uint32_t rcv_buf, snd_buf;
	uint32_t slow_consumer_us; /* >0: server consumes with this lag */
	double vtime_limit_s;	   /* fail when virtual time passes this */
	uint32_t conns;		   /* concurrent connections (0 = 1) */
	uint32_t cookie_threshold; /* server half-open count for SYN cookies (0: never) */
};

struct tcp_sim_result {
	bool ok;
	char why[160];
	double vtime_s, real_s;
	uint64_t segs, retrans, rto, drops_link;
	struct sg_tcp_stats cli, srv;
};

void tcp_sim_defaults(struct tcp_sim_params *p);
int tcp_sim_run(const struct tcp_sim_params *p, struct tcp_sim_result *r);

#endif
