/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-instance hierarchical timer wheel (3 levels x 256 slots of
 * SG_TCP_TICK_USEC) and the connection timers filed in it: retransmission
 * (RFC 6298 with Karn's rule and exponential backoff), delayed ACK, zero
 * window probe, keepalive and the handshake/FIN lifetime.
 *
 * Each connection has one wheel node filed at its earliest deadline; when it
 * fires, every expired deadline is handled and the node is filed again.
 * Deadlines moved later simply fire early once and get re-filed.
 */
#include "tcp_priv.h"

static struct sg_tcp_conn *cidx(struct sg_tcp_stack *s, uint32_t i)
{
	return &s->conns[i];
}

static void wheel_link(struct sg_tcp_stack *s, struct sg_tcp_conn *c, uint8_t lvl, uint16_t slot)
{
	uint32_t *head = &s->wheel.slot[lvl][slot];
	c->wlevel = lvl;
	c->wslot = slot;
	c->wprev = TW_NONE;
	c->wnext = *head;
	if (*head != TW_NONE)
		cidx(s, *head)->wprev = c->idx;
	*head = c->idx;
	c->wqueued = true;
	s->wheel.count++;
}

void tcp_wheel_remove(struct sg_tcp_conn *c)
{
	struct sg_tcp_stack *s = c->s;
	if (!c->wqueued)
		return;
	if (c->wprev != TW_NONE)
		cidx(s, c->wprev)->wnext = c->wnext;
	else
		s->wheel.slot[c->wlevel][c->wslot] = c->wnext;
	if (c->wnext != TW_NONE)
		cidx(s, c->wnext)->wprev = c->wprev;
	c->wqueued = false;
	c->wnext = c->wprev = TW_NONE;
	s->wheel.count--;
}

static void wheel_insert(struct sg_tcp_stack *s, struct sg_tcp_conn *c, uint64_t tick)
{
	uint64_t cur = s->wheel.cur;
	if (tick <= cur)
		tick = cur + 1;
	c->wheel_tick = tick;
	if (tick - cur < TW_SLOTS) {
		wheel_link(s, c, 0, tick & 0xff);
	} else if ((tick >> 8) - (cur >> 8) <= TW_SLOTS) {
		wheel_link(s, c, 1, (tick >> 8) & 0xff);
	} else {
		if ((tick >> 16) - (cur >> 16) > TW_SLOTS)
			tick = ((cur >> 16) + TW_SLOTS) << 16; /* fires early, re-filed */
		c->wheel_tick = tick;
		wheel_link(s, c, 2, (tick >> 16) & 0xff);
	}
}

static void wheel_rearm(struct sg_tcp_conn *c)
{
	sg_usec_t at = 0;
	for (int i = 0; i < TT_COUNT; i++)
		if (c->tmr[i] && (!at || c->tmr[i] < at))
			at = c->tmr[i];
	if (!at) {
		tcp_wheel_remove(c);
		return;
	}
	uint64_t tick = (at + SG_TCP_TICK_USEC - 1) / SG_TCP_TICK_USEC;
	if (c->wqueued && c->wheel_tick <= tick)
		return; /* fires early enough */
	tcp_wheel_remove(c);
	wheel_insert(c->s, c, tick);
}

void tcp_timer_set(struct sg_tcp_conn *c, enum tcp_timer_id id, sg_usec_t at)
{
	c->tmr[id] = at ? at : 1;
	wheel_rearm(c);
}

void tcp_timer_clear(struct sg_tcp_conn *c, enum tcp_timer_id id)
{
	c->tmr[id] = 0; /* the node may fire early once; it is re-filed then */
}

static void cascade(struct sg_tcp_stack *s, int lvl, uint16_t slot)
{
	uint32_t i = s->wheel.slot[lvl][slot];
	s->wheel.slot[lvl][slot] = TW_NONE;
	while (i != TW_NONE) {
		struct sg_tcp_conn *c = cidx(s, i);
		i = c->wnext;
		c->wqueued = false;
		s->wheel.count--;
		wheel_insert(s, c, c->wheel_tick);
	}
}

void sg_tcp_timers_run(struct sg_tcp_stack *s, sg_usec_t now)
{
	tcp_enter(s, now);
	tcp_tw_expire(s, now);
	uint64_t target = now / SG_TCP_TICK_USEC;
	if (!s->wheel.count && s->wheel.cur < target)
		s->wheel.cur = target;
	while (s->wheel.cur < target) {
		uint64_t next = s->wheel.cur + 1;
		s->wheel.cur = next;
		if ((next & 0xffff) == 0)
			cascade(s, 2, (next >> 16) & 0xff);
		if ((next & 0xff) == 0)
			cascade(s, 1, (next >> 8) & 0xff);
		/* Pop one at a time: handlers may re-file or remove any node. */
		uint32_t *slot = &s->wheel.slot[0][next & 0xff];
		while (*slot != TW_NONE) {
			struct sg_tcp_conn *c = cidx(s, *slot);
			tcp_wheel_remove(c);
			if (!c->in_use || c->dead)
				continue;
			tcp_timer_expire(c, now);
			if (c->in_use && !c->dead)
				wheel_rearm(c);
		}
		if (!s->wheel.count) {
			s->wheel.cur = target;
			break;
		}
	}
	tcp_leave(s);
}

sg_usec_t sg_tcp_timer_next(const struct sg_tcp_stack *s)
{
	if (!s->wheel.count && !s->tw_count)
		return UINT64_MAX;
	sg_usec_t best = UINT64_MAX;
	if (s->tw_count)
		best = s->tw[s->tw_head].expire;
	if (!s->wheel.count)
		return best;
	uint64_t cur = s->wheel.cur;
	for (uint64_t t = cur + 1; t <= cur + TW_SLOTS; t++) {
		if ((t & 0xff) == 0) /* cascade point */
			return SG_MIN(best, t * SG_TCP_TICK_USEC);
		if (s->wheel.slot[0][t & 0xff] != TW_NONE)
			return SG_MIN(best, t * SG_TCP_TICK_USEC);
	}
	return SG_MIN(best, (cur + 1) * SG_TCP_TICK_USEC);
}

/* ---- RTT and RTO (RFC 6298) --------------------------------------------- */

void tcp_rtt_sample(struct sg_tcp_conn *c, sg_usec_t rtt)
{
	const struct sg_tcp_config *cfg = &c->s->cfg;
	if (rtt == 0)
		rtt = 1;
	if (!c->srtt) {
		c->srtt = rtt;
		c->rttvar = rtt / 2;
	} else {
		sg_usec_t d = c->srtt > rtt ? c->srtt - rtt : rtt - c->srtt;
		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + rtt) / 8;
	}
	sg_usec_t rto = c->srtt + SG_MAX((sg_usec_t) SG_TCP_TICK_USEC, 4 * c->rttvar);
	c->rto = SG_MIN(SG_MAX(rto, cfg->rto_min), cfg->rto_max);
}

/* (Re)start the retransmission timer with the current backoff. */
void tcp_rto_arm(struct sg_tcp_conn *c, sg_usec_t now)
{
	sg_usec_t rto = c->rto;
	for (uint32_t i = 0; i < c->retries && rto < c->s->cfg.rto_max; i++)
		rto *= 2;
	tcp_timer_set(c, TT_RTO, now + SG_MIN(rto, c->s->cfg.rto_max));
	/* Tail loss probe (RFC 8985 7): PTO = 2 SRTT (+ the peer's delayed ACK
	 * when one segment is in flight), one probe per flight. */
	if (c->srtt && !c->retries && !c->in_recovery && !c->rto_recovery && !c->tlp_out &&
	    c->state >= SG_TCP_ESTABLISHED) {
		sg_usec_t pto = SG_MAX(2 * c->srtt, 10 * (sg_usec_t) SG_TCP_TICK_USEC);
		if (c->snd_max - c->snd_una <= c->mss)
			pto += 40 * SG_USEC_PER_MSEC;
		if (pto < rto)
			tcp_timer_set(c, TT_TLP, now + pto);
	} else {
		tcp_timer_clear(c, TT_TLP);
	}
}

static void tlp_fire(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->snd_una == c->snd_max || c->retries || c->in_recovery || c->rto_recovery ||
	    c->tlp_out || (c->fin_sent && c->snd_max == c->fin_seq + 1))
		return;
	c->tlp_out = true;
	c->s->st.tail_loss_probes++;
	uint32_t right = c->snd_una + c->snd_wnd;
	if (seq_lt(c->snd_nxt, c->snd_una + c->sq_bytes) && seq_lt(c->snd_nxt, right) &&
	    tcp_send_new(c, SG_MIN(right - c->snd_nxt, (uint32_t) c->mss), now)) {
		/* new data as the probe */
	} else {
		uint32_t seq = c->snd_max - SG_MIN(c->snd_max - c->snd_una, (uint32_t) c->mss);
		if (tcp_send_seg(c, seq, c->snd_max - seq, TCP_ACK, now) > 0) {
			c->s->st.retrans_segs++;
			c->retrans++;
		}
	}
	tcp_rto_arm(c, now);
}

static void rto_fire(struct sg_tcp_conn *c, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	s->st.rto_fired++;
	c->retries++;
	if (c->state == SG_TCP_SYN_SENT || c->state == SG_TCP_SYN_RCVD) {
		if (c->retries > s->cfg.max_syn_retries) {
			s->st.timeouts++;
			tcp_conn_done(c, ETIMEDOUT);
			return;
		}
		uint8_t fl = c->state == SG_TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;
		c->rtt_start = 0;
		s->st.retrans_segs++;
		c->retrans++;
		tcp_send_ctl(c, fl, c->iss, now);
		tcp_rto_arm(c, now);
		return;
	}
	if (c->snd_una == c->snd_max)
		return; /* nothing outstanding */
	if (c->retries > s->cfg.max_retries) {
		s->st.timeouts++;
		tcp_conn_done(c, ETIMEDOUT);
		return;
	}
	s->cc->on_rto(c, now);
	c->cwnd = c->mss;
	c->in_recovery = false;
	c->rto_recovery = true;
	c->recover = c->snd_max;
	c->high_rxt = c->snd_una;
	c->dupacks = 0;
	c->rtt_start = 0; /* Karn */
	/* The scoreboard is kept: go-back-N skips SACKed ranges. Our peers
	 * (Linux, ourselves) do not renege; a reneging peer only costs an
	 * extra timeout since snd_una never passes unacknowledged data. */
	c->snd_nxt = c->snd_una;
	c->cur_m = NULL;
	tcp_output(c, now);
	tcp_rto_arm(c, now);
}

static void persist_fire(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->snd_wnd || c->snd_una + c->sq_bytes == c->snd_nxt) {
		c->probes = 0;
		return;
	}
	c->s->st.zero_window_probes++;
	tcp_send_ctl(c, TCP_ACK, c->snd_una - 1, now);
	c->probes++;
	sg_usec_t iv = c->rto;
	for (uint32_t i = 0; i < c->probes && iv < c->s->cfg.rto_max; i++)
		iv *= 2;
	tcp_timer_set(c, TT_PERSIST, now + SG_MIN(iv, c->s->cfg.rto_max));
}

static void keep_fire(struct sg_tcp_conn *c, sg_usec_t now)
{
	const struct sg_tcp_config *cfg = &c->s->cfg;
	if (!cfg->keepalive_idle || c->state != SG_TCP_ESTABLISHED)
		return;
	sg_usec_t due =
	    c->keep_last + cfg->keepalive_idle + (sg_usec_t) c->kprobes * cfg->keepalive_intvl;
	if (now < due) {
		tcp_timer_set(c, TT_KEEP, due);
		return;
	}
	if (c->kprobes >= cfg->keepalive_probes) {
		c->s->st.timeouts++;
		tcp_conn_done(c, ETIMEDOUT);
		return;
	}
	c->kprobes++;
	c->s->st.keepalive_probes++;
	tcp_send_ctl(c, TCP_ACK, c->snd_una - 1, now);
	tcp_timer_set(c, TT_KEEP, now + cfg->keepalive_intvl);
}

void tcp_timer_expire(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->tmr[TT_LIFE] && c->tmr[TT_LIFE] <= now) {
		c->tmr[TT_LIFE] = 0;
		c->s->st.timeouts++;
		tcp_conn_done(c, ETIMEDOUT);
		return;
	}
	if (c->tmr[TT_DELACK] && c->tmr[TT_DELACK] <= now) {
		c->tmr[TT_DELACK] = 0;
		if (c->delack_segs || c->ack_now) {
			c->s->st.delayed_acks++;
			tcp_send_ack(c, now);
		}
	}
	if (c->tmr[TT_RTO] && c->tmr[TT_RTO] <= now) {
		c->tmr[TT_RTO] = 0;
		rto_fire(c, now);
		if (c->dead)
			return;
	}
	if (c->tmr[TT_TLP] && c->tmr[TT_TLP] <= now) {
		c->tmr[TT_TLP] = 0;
		tlp_fire(c, now);
	}
	if (c->tmr[TT_PERSIST] && c->tmr[TT_PERSIST] <= now) {
		c->tmr[TT_PERSIST] = 0;
		persist_fire(c, now);
	}
	if (c->tmr[TT_KEEP] && c->tmr[TT_KEEP] <= now) {
		c->tmr[TT_KEEP] = 0;
		keep_fire(c, now);
	}
}
