/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUBIC congestion control (RFC 8312): W_cubic(t) = C (t - K)^3 + W_max with
 * C = 0.4, beta = 0.7, fast convergence, and the Reno-friendly estimate.
 * Windows are in bytes; the cubic is evaluated in segments.
 */
#include <math.h>

#include "tcp_priv.h"

#define CUBIC_C	   0.4
#define CUBIC_BETA 0.7

static void cu_init(struct sg_tcp_conn *c)
{
	memset(&c->cubic, 0, sizeof(c->cubic));
}

static void cu_on_ack(struct sg_tcp_conn *c, uint32_t acked, sg_usec_t now)
{
	struct tcp_cubic *k = &c->cubic;
	if (c->cwnd < c->ssthresh) {
		c->cwnd += SG_MIN(acked, 2u * c->mss);
		return;
	}
	double mss = c->mss;
	if (!k->epoch) {
		k->epoch = now;
		if (c->cwnd < k->w_max) {
			k->k = cbrt((k->w_max - c->cwnd) / mss / CUBIC_C);
			k->origin = k->w_max;
		} else {
			k->k = 0;
			k->origin = c->cwnd;
		}
		k->w_est = c->cwnd;
	}
	double t = (double) (now - k->epoch + c->srtt) / 1e6;
	double d = t - k->k;
	double target = k->origin + CUBIC_C * d * d * d * mss;
	/* Reno-friendly region (RFC 8312 4.2). */
	double alpha = 3.0 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA);
	k->w_est += (uint32_t) (alpha * mss * acked / (c->cwnd ? c->cwnd : 1));
	if (target < k->w_est)
		target = k->w_est;
	if (target > c->cwnd) {
		double inc = (target - c->cwnd) / c->cwnd * mss * ((double) acked / mss);
		c->cwnd += (uint32_t) SG_MIN(inc, (double) acked);
	} else {
		c->cwnd += SG_MAX(1u, (uint32_t) (mss * mss / 100 / c->cwnd));
	}
	if (c->cwnd > (1u << 30))
		c->cwnd = 1u << 30;
}

static void cu_reduce(struct sg_tcp_conn *c)
{
	struct tcp_cubic *k = &c->cubic;
	uint32_t w = c->cwnd;
	if (w < k->w_last_max) /* fast convergence */
		k->w_max = (uint32_t) (w * (1 + CUBIC_BETA) / 2);
	else
		k->w_max = w;
	k->w_last_max = w;
	k->epoch = 0;
	c->ssthresh = SG_MAX((uint32_t) (w * CUBIC_BETA), 2u * c->mss);
}

static void cu_on_loss(struct sg_tcp_conn *c, sg_usec_t now)
{
	(void) now;
	cu_reduce(c);
}

static void cu_on_rto(struct sg_tcp_conn *c, sg_usec_t now)
{
	(void) now;
	if (!c->rto_recovery)
		cu_reduce(c);
	c->cubic.epoch = 0;
}

const struct tcp_cc_ops tcp_cc_cubic = {
    .name = "cubic",
    .init = cu_init,
    .on_ack = cu_on_ack,
    .on_loss = cu_on_loss,
    .on_rto = cu_on_rto,
};
