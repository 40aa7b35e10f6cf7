/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sender side SACK scoreboard and the RFC 6675 loss recovery helpers:
 * IsLost(), NextSeg() rule 1 and the pipe estimate. The scoreboard is a
 * sorted list of SACKed ranges above snd_una; HighRxt is c->high_rxt.
 */
#include "tcp_priv.h"

static void recount(struct sg_tcp_conn *c)
{
	uint32_t b = 0;
	for (uint32_t i = 0; i < c->nsacked; i++)
		b += c->sacked[i][1] - c->sacked[i][0];
	c->sacked_bytes = b;
}

static void add_range(struct sg_tcp_conn *c, uint32_t l, uint32_t r)
{
	uint32_t i = 0;
	while (i < c->nsacked && seq_lt(c->sacked[i][1], l))
		i++;
	/* Merge every range overlapping or touching [l, r). */
	uint32_t j = i;
	while (j < c->nsacked && seq_le(c->sacked[j][0], r)) {
		l = seq_min(l, c->sacked[j][0]);
		r = seq_max(r, c->sacked[j][1]);
		j++;
	}
	if (j == i) { /* pure insert at i */
		if (c->nsacked == TCP_SACKED_MAX)
			return; /* scoreboard full: the block is only advisory */
		memmove(&c->sacked[i + 1], &c->sacked[i], (c->nsacked - i) * sizeof(c->sacked[0]));
		c->nsacked++;
	} else if (j > i + 1) {
		memmove(&c->sacked[i + 1], &c->sacked[j], (c->nsacked - j) * sizeof(c->sacked[0]));
		c->nsacked -= j - i - 1;
	}
	c->sacked[i][0] = l;
	c->sacked[i][1] = r;
}

void tcp_sack_update(struct sg_tcp_conn *c, const struct tcp_opts *o)
{
	for (uint32_t b = 0; b < o->nsack; b++) {
		uint32_t l = o->sack[b][0], r = o->sack[b][1];
		/* Blocks outside (snd_una, snd_max] are stale or forged (or D-SACK). */
		if (seq_le(r, c->snd_una) || seq_gt(r, c->snd_max) || seq_lt(l, c->snd_una))
			continue;
		add_range(c, l, r);
	}
	recount(c);
}

void tcp_sack_trim(struct sg_tcp_conn *c)
{
	uint32_t i = 0;
	while (i < c->nsacked && seq_le(c->sacked[i][1], c->snd_una))
		i++;
	if (i) {
		memmove(&c->sacked[0], &c->sacked[i], (c->nsacked - i) * sizeof(c->sacked[0]));
		c->nsacked -= i;
	}
	if (c->nsacked && seq_lt(c->sacked[0][0], c->snd_una))
		c->sacked[0][0] = c->snd_una;
	recount(c);
}

/* SACKed bytes and ranges above seq. */
static void above(const struct sg_tcp_conn *c, uint32_t seq, uint32_t *bytes, uint32_t *ranges)
{
	uint32_t b = 0, n = 0;
	for (uint32_t i = c->nsacked; i-- > 0;) {
		if (seq_le(c->sacked[i][1], seq))
			break;
		uint32_t l = seq_max(c->sacked[i][0], seq);
		b += c->sacked[i][1] - l;
		n++;
	}
	*bytes = b;
	*ranges = n;
}

bool tcp_sack_is_lost(const struct sg_tcp_conn *c, uint32_t seq)
{
	uint32_t b, n;
	above(c, seq, &b, &n);
	return n >= TCP_DUPTHRESH || b > (TCP_DUPTHRESH - 1) * (uint32_t) c->mss;
}

bool tcp_sack_next_hole(struct sg_tcp_conn *c, uint32_t *seq, uint32_t *len)
{
	uint32_t a = c->snd_una;
	for (uint32_t i = 0; i < c->nsacked; i++) {
		uint32_t b = c->sacked[i][0];
		uint32_t st = seq_max(a, c->high_rxt);
		if (seq_lt(st, b) && tcp_sack_is_lost(c, st)) {
			*seq = st;
			*len = b - st;
			return true;
		}
		a = c->sacked[i][1];
	}
	return false;
}

uint32_t tcp_pipe(const struct sg_tcp_conn *c)
{
	uint32_t total = c->snd_max - c->snd_una - c->sacked_bytes;
	uint32_t lost = 0, a = c->snd_una;
	for (uint32_t i = 0; i < c->nsacked; i++) {
		uint32_t b = c->sacked[i][0];
		uint32_t st = seq_max(a, c->high_rxt);
		if (seq_lt(st, b) && tcp_sack_is_lost(c, st))
			lost += b - st; /* lost and not yet retransmitted */
		a = c->sacked[i][1];
	}
	return total > lost ? total - lost : 0;
}
