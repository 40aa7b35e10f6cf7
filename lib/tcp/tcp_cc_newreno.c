/* SPDX-License-Identifier: BSD-3-Clause */
/* NewReno congestion control (RFC 5681 / RFC 6582): window arithmetic only;
 * recovery itself is driven by tcp_input.c. */
#include "tcp_priv.h"

static void nr_init(struct sg_tcp_conn *c)
{
	(void) c;
}

static void nr_on_ack(struct sg_tcp_conn *c, uint32_t acked, sg_usec_t now)
{
	(void) now;
	if (c->cwnd < c->ssthresh) {
		/* Slow start with appropriate byte counting (RFC 3465, L = 2). */
		c->cwnd += SG_MIN(acked, 2u * c->mss);
	} else {
		/* Congestion avoidance: about one MSS per RTT. */
		uint32_t inc = (uint32_t) ((uint64_t) c->mss * c->mss / (c->cwnd ? c->cwnd : 1));
		c->cwnd += SG_MAX(inc, 1u);
	}
	if (c->cwnd > (1u << 30))
		c->cwnd = 1u << 30;
}

static void nr_on_loss(struct sg_tcp_conn *c, sg_usec_t now)
{
	(void) now;
	uint32_t flight = c->snd_max - c->snd_una;
	c->ssthresh = SG_MAX(flight / 2, 2u * c->mss);
}

static void nr_on_rto(struct sg_tcp_conn *c, sg_usec_t now)
{
	(void) now;
	uint32_t flight = c->snd_max - c->snd_una;
	if (!c->rto_recovery) /* only the first timeout of a series halves (RFC 5681) */
		c->ssthresh = SG_MAX(flight / 2, 2u * c->mss);
}

const struct tcp_cc_ops tcp_cc_newreno = {
    .name = "newreno",
    .init = nr_init,
    .on_ack = nr_on_ack,
    .on_loss = nr_on_loss,
    .on_rto = nr_on_rto,
};
