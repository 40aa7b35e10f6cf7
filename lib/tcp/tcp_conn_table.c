/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection pool, 4-tuple hash table and the compact TIME_WAIT table.
 *
 * One open-addressing table (linear probing, backward-shift deletion) holds
 * both live connections (value = pool index) and TIME_WAIT entries (value =
 * TW index | HT_TW_BIT). Keys are hashed with SipHash under a per-instance
 * secret so a peer cannot aim for collisions. TIME_WAIT entries keep only
 * what is needed to re-ACK a retransmitted FIN and to judge a reusing SYN;
 * they live in a FIFO (every entry has the same lifetime), the oldest is
 * evicted early when the table is full.
 */
#include "tcp_priv.h"

#define HT_EMPTY UINT32_MAX

uint32_t tcp_tuple_hash(const struct sg_tcp_stack *s, const struct sg_tcp_tuple *t)
{
	return (uint32_t) tcp_siphash(s->k_hash, t, sizeof(*t));
}

static const struct sg_tcp_tuple *ht_key(const struct sg_tcp_stack *s, uint32_t val)
{
	if (val & HT_TW_BIT)
		return &s->tw[val & ~HT_TW_BIT].t;
	return &s->conns[val].t;
}

uint32_t tcp_ht_lookup(const struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, uint32_t h)
{
	for (uint32_t i = h & s->ht_mask;; i = (i + 1) & s->ht_mask) {
		const struct tcp_ht_ent *e = &s->ht[i];
		if (e->val == HT_EMPTY)
			return HT_EMPTY;
		if (e->hash == h && memcmp(ht_key(s, e->val), t, sizeof(*t)) == 0)
			return e->val;
	}
}

void tcp_ht_insert(struct sg_tcp_stack *s, uint32_t h, uint32_t val)
{
	uint32_t i = h & s->ht_mask;
	while (s->ht[i].val != HT_EMPTY)
		i = (i + 1) & s->ht_mask;
	s->ht[i].hash = h;
	s->ht[i].val = val;
}

void tcp_ht_remove(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, uint32_t h)
{
	uint32_t i = h & s->ht_mask;
	for (;; i = (i + 1) & s->ht_mask) {
		if (s->ht[i].val == HT_EMPTY)
			return;
		if (s->ht[i].hash == h && memcmp(ht_key(s, s->ht[i].val), t, sizeof(*t)) == 0)
			break;
	}
	/* Backward-shift deletion keeps probe chains intact. */
	uint32_t j = i;
	for (;;) {
		s->ht[i].val = HT_EMPTY;
		for (;;) {
			j = (j + 1) & s->ht_mask;
			if (s->ht[j].val == HT_EMPTY)
				return;
			uint32_t home = s->ht[j].hash & s->ht_mask;
			/* Move j to i if its home is not cyclically in (i, j]. */
			bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
			if (!in_range)
				break;
		}
		s->ht[i] = s->ht[j];
		i = j;
	}
}

struct sg_tcp_conn *tcp_conn_alloc(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t)
{
	if (s->free_head == UINT32_MAX) {
		tcp_drop(s, SG_TCP_DROP_CONN_LIMIT);
		return NULL;
	}
	struct sg_tcp_conn *c = &s->conns[s->free_head];
	s->free_head = c->free_next;
	uint32_t idx = c->idx;
	memset(c, 0, sizeof(*c));
	c->idx = idx;
	c->s = s;
	c->t = *t;
	c->in_use = true;
	c->wnext = c->wprev = TW_NONE;
	c->free_next = UINT32_MAX;
	s->nconns++;
	tcp_ht_insert(s, tcp_tuple_hash(s, t), idx);
	return c;
}

/* Unlink a connection (hash, wheel, queues) and put it on the reap list; the
 * record returns to the pool when the outermost public call returns, so no
 * caller up the stack ever sees it reused. */
void tcp_conn_free(struct sg_tcp_conn *c)
{
	struct sg_tcp_stack *s = c->s;
	if (!c->in_use || c->dead)
		return;
	tcp_wheel_remove(c);
	tcp_sq_purge(c);
	tcp_ooo_purge(c);
	if (c->state == SG_TCP_SYN_RCVD)
		s->half_open--;
	c->state = SG_TCP_CLOSED;
	tcp_ht_remove(s, &c->t, tcp_tuple_hash(s, &c->t));
	c->dead = true;
	c->free_next = s->reap_head;
	s->reap_head = c->idx;
	s->nconns--;
}

void tcp_conn_reap(struct sg_tcp_stack *s)
{
	while (s->reap_head != UINT32_MAX) {
		struct sg_tcp_conn *c = &s->conns[s->reap_head];
		s->reap_head = c->free_next;
		c->in_use = false;
		c->free_next = s->free_head;
		s->free_head = c->idx;
	}
}

void tcp_tw_remove(struct sg_tcp_stack *s, uint32_t idx)
{
	struct tcp_tw *w = &s->tw[idx];
	if (!w->live)
		return;
	tcp_ht_remove(s, &w->t, tcp_tuple_hash(s, &w->t));
	w->live = false;
	s->st.time_wait--;
}

static void tw_pop_oldest(struct sg_tcp_stack *s)
{
	tcp_tw_remove(s, s->tw_head);
	s->tw_head = (s->tw_head + 1) % s->cfg.time_wait_max;
	s->tw_count--;
}

void tcp_tw_expire(struct sg_tcp_stack *s, sg_usec_t now)
{
	while (s->tw_count) {
		struct tcp_tw *w = &s->tw[s->tw_head];
		if (w->live && w->expire > now)
			break;
		tw_pop_oldest(s);
	}
}

/* Move a connection into a compact TIME_WAIT entry and free its record. The
 * caller has already reported CLOSED (or will not). */
void tcp_tw_enter(struct sg_tcp_conn *c, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	if (s->tw_count == s->cfg.time_wait_max) {
		tcp_drop(s, SG_TCP_DROP_TIME_WAIT_FULL);
		tw_pop_oldest(s);
	}
	uint32_t idx = (s->tw_head + s->tw_count) % s->cfg.time_wait_max;
	struct tcp_tw *w = &s->tw[idx];
	struct sg_tcp_tuple t = c->t;
	w->snd_nxt = c->snd_nxt;
	w->rcv_nxt = c->rcv_nxt;
	w->ts_recent = c->ts_recent;
	w->ts_ok = c->ts_ok;
	w->expire = now + s->cfg.time_wait;
	tcp_conn_free(c);
	w->t = t;
	w->live = true;
	s->tw_count++;
	s->st.time_wait++;
	s->st.time_wait_entered++;
	tcp_ht_insert(s, tcp_tuple_hash(s, &t), idx | HT_TW_BIT);
}
