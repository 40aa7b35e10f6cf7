/* SPDX-License-Identifier: BSD-3-Clause */
/* Instance life cycle, connection events and the consumer-facing calls. */
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sg_log.h"
#include "tcp_priv.h"

static const char *const drop_names[] = {
#define SG_TCP_DROP_NAME_(id, name) name,
    SG_TCP_DROP_REASONS(SG_TCP_DROP_NAME_)
#undef SG_TCP_DROP_NAME_
};

const char *sg_tcp_drop_name(enum sg_tcp_drop reason)
{
	if ((unsigned) reason >= SG_TCP_DROP_COUNT)
		return "?";
	return drop_names[reason];
}

const char *sg_tcp_state_name(enum sg_tcp_state st)
{
	static const char *const n[] = {"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RCVD",
					"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING",
					"TIME_WAIT",   "CLOSE_WAIT", "LAST_ACK"};
	if ((unsigned) st >= SG_ARRAY_SIZE(n))
		return "?";
	return n[st];
}

void sg_tcp_stats_add(struct sg_tcp_stats *dst, const struct sg_tcp_stats *src)
{
#define SG_TCP_CNT_ADD_(f) dst->f += src->f;
	SG_TCP_COUNTERS(SG_TCP_CNT_ADD_)
#undef SG_TCP_CNT_ADD_
	for (int i = 0; i < SG_TCP_DROP_COUNT; i++)
		dst->drops[i] += src->drops[i];
	dst->conns += src->conns;
	dst->half_open += src->half_open;
	dst->time_wait += src->time_wait;
}

void sg_tcp_stats_get(const struct sg_tcp_stack *s, struct sg_tcp_stats *out)
{
	*out = s->st;
	out->conns = s->nconns;
	out->half_open = s->half_open;
	out->time_wait = s->st.time_wait;
}

static int cfg_defaults(struct sg_tcp_config *c)
{
#define DEF(f, v)                                                                                  \
	do {                                                                                       \
		if (!c->f)                                                                         \
			c->f = (v);                                                                \
	} while (0)
	DEF(max_conns, 1024);
	DEF(max_half_open, SG_MAX(c->max_conns / 4, 1));
	DEF(syncookie_threshold, SG_MAX(c->max_half_open / 2, 1));
	DEF(time_wait_max, c->max_conns);
	DEF(rcv_buf, 256 * 1024);
	DEF(snd_buf, 256 * 1024);
	DEF(mss, 1460);
	DEF(l2_headroom, 64);
	DEF(tso_max, 64000);
	DEF(rto_init, SG_USEC_PER_SEC);
	DEF(rto_min, 200 * SG_USEC_PER_MSEC);
	DEF(rto_max, 60 * SG_USEC_PER_SEC);
	DEF(delack, 40 * SG_USEC_PER_MSEC);
	DEF(handshake_timeout, 30 * SG_USEC_PER_SEC);
	DEF(time_wait, 60 * SG_USEC_PER_SEC);
	DEF(fin_timeout, 60 * SG_USEC_PER_SEC);
	DEF(keepalive_intvl, 75 * SG_USEC_PER_SEC);
	DEF(keepalive_probes, 9);
	DEF(max_retries, 12);
	DEF(max_syn_retries, 5);
	DEF(challenge_ack_limit, 1000);
#undef DEF
	if (!c->hdr_pool || !c->event_fn || !c->tx_fn)
		return -EINVAL;
	if (c->max_conns >= HT_TW_BIT / 2 || c->time_wait_max >= HT_TW_BIT / 2)
		return -EINVAL;
	if (c->mss < 536 || c->mss > 9000 || c->rcv_buf < 2u * c->mss || c->rcv_buf > (1u << 30))
		return -EINVAL;
	if (c->snd_buf > (1u << 30) || c->rto_min > c->rto_max)
		return -EINVAL;
	if (c->cc != SG_TCP_CC_NEWRENO && c->cc != SG_TCP_CC_CUBIC)
		return -EINVAL;
	if (rte_pktmbuf_data_room_size(c->hdr_pool) <
	    (uint32_t) c->l2_headroom + 2 * TCP_MAX_HDR_LEN)
		return -EINVAL;
	return 0;
}

struct sg_tcp_stack *sg_tcp_stack_create(const struct sg_tcp_config *cfg)
{
	struct sg_tcp_config c = *cfg;
	int rc = cfg_defaults(&c);
	if (rc) {
		errno = -rc;
		return NULL;
	}
	struct sg_tcp_stack *s = aligned_alloc(64, (sizeof(*s) + 63) & ~(size_t) 63);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	s->cfg = c;
	s->cc = c.cc == SG_TCP_CC_CUBIC ? &tcp_cc_cubic : &tcp_cc_newreno;
	uint32_t slots = 1;
	while (slots < 2 * (c.max_conns + c.time_wait_max))
		slots <<= 1;
	s->conns = calloc(c.max_conns, sizeof(*s->conns));
	s->tw = calloc(c.time_wait_max, sizeof(*s->tw));
	s->ht = malloc(slots * sizeof(*s->ht));
	if (!s->conns || !s->tw || !s->ht) {
		sg_tcp_stack_destroy(s);
		errno = ENOMEM;
		return NULL;
	}
	s->ht_mask = slots - 1;
	for (uint32_t i = 0; i < slots; i++)
		s->ht[i].val = UINT32_MAX;
	for (uint32_t i = 0; i < c.max_conns; i++) {
		s->conns[i].idx = i;
		s->conns[i].free_next = i + 1 < c.max_conns ? i + 1 : UINT32_MAX;
	}
	s->free_head = 0;
	s->reap_head = UINT32_MAX;
	for (int l = 0; l < TW_LEVELS; l++)
		for (int i = 0; i < TW_SLOTS; i++)
			s->wheel.slot[l][i] = TW_NONE;
	static const uint8_t zero[32];
	uint8_t secret[48];
	if (memcmp(c.secret, zero, sizeof(zero)) == 0) {
		if (RAND_bytes(secret, sizeof(secret)) != 1) {
			sg_tcp_stack_destroy(s);
			errno = EIO;
			return NULL;
		}
	} else {
		/* Derive three keys from the configured secret. */
		for (int i = 0; i < 3; i++) {
			uint8_t in[33];
			memcpy(in, c.secret, 32);
			in[32] = (uint8_t) i;
			uint64_t a = tcp_siphash(c.secret, in, sizeof(in));
			uint64_t b = tcp_siphash(c.secret + 16, in, sizeof(in));
			memcpy(secret + 16 * i, &a, 8);
			memcpy(secret + 16 * i + 8, &b, 8);
		}
	}
	memcpy(s->k_isn, secret, 16);
	memcpy(s->k_cookie, secret + 16, 16);
	memcpy(s->k_hash, secret + 32, 16);
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(s->cfg.secret, sizeof(s->cfg.secret));
	s->next_eport = 49152 + (uint16_t) (tcp_siphash(s->k_hash, "eport", 5) % 16384);
	return s;
}

void sg_tcp_stack_destroy(struct sg_tcp_stack *s)
{
	if (!s)
		return;
	if (s->conns) {
		for (uint32_t i = 0; i < s->cfg.max_conns; i++) {
			struct sg_tcp_conn *c = &s->conns[i];
			if (c->in_use && !c->dead) {
				tcp_sq_purge(c);
				tcp_ooo_purge(c);
			}
		}
	}
	for (uint16_t i = 0; i < s->ntx; i++)
		rte_pktmbuf_free(s->tx[i]);
	OPENSSL_cleanse(s->k_isn, sizeof(s->k_isn));
	OPENSSL_cleanse(s->k_cookie, sizeof(s->k_cookie));
	OPENSSL_cleanse(s->k_hash, sizeof(s->k_hash));
	free(s->conns);
	free(s->tw);
	free(s->ht);
	free(s);
}

int sg_tcp_listen(struct sg_tcp_stack *s, uint16_t port)
{
	if (!port)
		return -EINVAL;
	if (s->listen_bits[port / 64] & (1ULL << (port % 64)))
		return -EEXIST;
	if (s->nlisten >= SG_TCP_MAX_LISTEN)
		return -ENOSPC;
	s->listen_bits[port / 64] |= 1ULL << (port % 64);
	s->nlisten++;
	return 0;
}

void tcp_enter(struct sg_tcp_stack *s, sg_usec_t now)
{
	s->depth++;
	if (now > s->now)
		s->now = now;
}

void tcp_leave(struct sg_tcp_stack *s)
{
	if (--s->depth)
		return;
	tcp_conn_reap(s);
	tcp_tx_flush(s);
}

void tcp_event(struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m, int err)
{
	c->s->cfg.event_fn(c->s->cfg.arg, c, ev, m, err);
}

void tcp_set_state(struct sg_tcp_conn *c, enum sg_tcp_state st)
{
	if (c->state == SG_TCP_SYN_RCVD && st != SG_TCP_SYN_RCVD)
		c->s->half_open--;
	if (st == SG_TCP_SYN_RCVD && c->state != SG_TCP_SYN_RCVD)
		c->s->half_open++;
	c->state = st;
}

void tcp_conn_done(struct sg_tcp_conn *c, int err)
{
	if (c->dead)
		return;
	bool reported = c->reported;
	c->reported = false;
	c->err = err;
	/* Unlink first so handlers cannot reach the connection again. */
	c->s->st.closed++;
	tcp_conn_free(c);
	if (reported) {
		if (err)
			tcp_event(c, SG_TCP_EV_RESET, NULL, err);
		tcp_event(c, SG_TCP_EV_CLOSED, NULL, err);
	}
}

void tcp_enter_established(struct sg_tcp_conn *c, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	tcp_set_state(c, SG_TCP_ESTABLISHED);
	tcp_timer_clear(c, TT_LIFE);
	c->retries = 0;
	c->keep_last = now;
	if (s->cfg.keepalive_idle)
		tcp_timer_set(c, TT_KEEP, now + s->cfg.keepalive_idle);
	tcp_cc_init(c);
	c->reported = true;
	if (c->passive)
		s->st.accepted++;
	else
		s->st.connected++;
	tcp_event(c, c->passive ? SG_TCP_EV_ACCEPTED : SG_TCP_EV_CONNECTED, NULL, 0);
}

void tcp_cc_init(struct sg_tcp_conn *c)
{
	c->cwnd = SG_MIN(10u * c->mss, SG_MAX(2u * c->mss, 14600u));
	c->ssthresh = UINT32_MAX / 2;
	c->s->cc->init(c);
}

static uint8_t our_wscale(const struct sg_tcp_config *cfg)
{
	uint8_t ws = 0;
	while (ws < TCP_MAX_WSCALE && (cfg->rcv_buf >> ws) > 65535)
		ws++;
	return ws;
}

/* Common initialisation of a new connection record. */
void tcp_conn_init(struct sg_tcp_conn *c, bool passive, sg_usec_t now)
{
	const struct sg_tcp_config *cfg = &c->s->cfg;
	c->passive = passive;
	c->rto = cfg->rto_init;
	c->rcv_wscale = cfg->no_wscale ? 0 : our_wscale(cfg);
	c->mss = c->peer_mss = TCP_DEFAULT_MSS;
	c->iss = tcp_isn(c->s, &c->t, now);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->recover = c->high_rxt = c->iss; /* RFC 6582: no recovery point yet */
	tcp_timer_set(c, TT_LIFE, now + cfg->handshake_timeout);
}

struct sg_tcp_conn *sg_tcp_connect(struct sg_tcp_stack *s, const struct sg_tcp_tuple *tin,
				   void *udata, sg_usec_t now)
{
	struct sg_tcp_tuple t = *tin;
	if ((t.family != 4 && t.family != 6) || !t.rport) {
		errno = EINVAL;
		return NULL;
	}
	t.pad_ = 0;
	t.pad2_ = 0;
	if (t.family == 4) {
		memset(t.laddr + 4, 0, 12);
		memset(t.raddr + 4, 0, 12);
	}
	if (!t.lport) {
		for (int i = 0; i < 16384; i++) {
			t.lport = s->next_eport;
			s->next_eport = s->next_eport == 65535 ? 49152 : s->next_eport + 1;
			if (tcp_ht_lookup(s, &t, tcp_tuple_hash(s, &t)) == UINT32_MAX)
				break;
			t.lport = 0;
		}
		if (!t.lport) {
			errno = EADDRINUSE;
			return NULL;
		}
	} else if (tcp_ht_lookup(s, &t, tcp_tuple_hash(s, &t)) != UINT32_MAX) {
		errno = EADDRINUSE;
		return NULL;
	}
	tcp_enter(s, now);
	struct sg_tcp_conn *c = tcp_conn_alloc(s, &t);
	if (!c) {
		tcp_leave(s);
		errno = ENOBUFS;
		return NULL;
	}
	tcp_conn_init(c, false, now);
	c->udata = udata;
	c->reported = true; /* the caller holds the pointer: it gets RESET/CLOSED */
	c->state = SG_TCP_SYN_SENT;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_start = now;
	c->rtt_seq = c->iss;
	tcp_send_ctl(c, TCP_SYN, c->iss, now);
	tcp_rto_arm(c, now);
	tcp_leave(s);
	return c;
}

int sg_tcp_conn_send(struct sg_tcp_conn *c, struct rte_mbuf *m, sg_usec_t now)
{
	if (c->dead || c->fin_queued)
		return -EPIPE;
	if (c->state != SG_TCP_ESTABLISHED && c->state != SG_TCP_CLOSE_WAIT)
		return c->state == SG_TCP_SYN_SENT || c->state == SG_TCP_SYN_RCVD ? -ENOTCONN
										  : -EPIPE;
	uint32_t len = m->pkt_len;
	if (len > c->s->cfg.snd_buf - SG_MIN(c->sq_bytes, c->s->cfg.snd_buf)) {
		c->notify_writable = true;
		return -ENOBUFS;
	}
	tcp_enter(c->s, now);
	/* Append every non-empty segment; the queue is one long chain. */
	while (m) {
		struct rte_mbuf *next = m->next;
		m->next = NULL;
		if (m->data_len == 0) {
			rte_pktmbuf_free_seg(m);
		} else {
			if (c->sq_tail)
				c->sq_tail->next = m;
			else
				c->sq_head = m;
			c->sq_tail = m;
		}
		m = next;
	}
	c->sq_bytes += len;
	tcp_output(c, now);
	tcp_leave(c->s);
	return 0;
}

uint32_t sg_tcp_conn_send_space(struct sg_tcp_conn *c)
{
	if (c->dead || c->fin_queued)
		return 0;
	uint32_t space = c->s->cfg.snd_buf - SG_MIN(c->sq_bytes, c->s->cfg.snd_buf);
	if (space < c->s->cfg.snd_buf / 2)
		c->notify_writable = true;
	return space;
}

void sg_tcp_conn_recv_consumed(struct sg_tcp_conn *c, uint32_t bytes, sg_usec_t now)
{
	if (c->dead)
		return;
	uint32_t before = tcp_rcv_window(c);
	c->rcv_backlog -= SG_MIN(bytes, c->rcv_backlog);
	uint32_t after = tcp_rcv_window(c);
	uint32_t adv_left = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	if (after > before && after - adv_left >= SG_MIN(c->s->cfg.rcv_buf / 2, 2u * c->mss) &&
	    c->state >= SG_TCP_ESTABLISHED) {
		tcp_enter(c->s, now);
		tcp_send_ack(c, now);
		tcp_leave(c->s);
	}
}

int sg_tcp_conn_close(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->dead || c->fin_queued)
		return -EPIPE;
	tcp_enter(c->s, now);
	c->closed_by_user = true;
	if (c->state == SG_TCP_SYN_SENT) {
		tcp_conn_done(c, 0);
		tcp_leave(c->s);
		return 0;
	}
	c->fin_queued = true;
	c->fin_seq = c->snd_una + c->sq_bytes;
	if (c->state == SG_TCP_ESTABLISHED)
		tcp_set_state(c, SG_TCP_FIN_WAIT_1);
	else if (c->state == SG_TCP_CLOSE_WAIT)
		tcp_set_state(c, SG_TCP_LAST_ACK);
	tcp_output(c, now);
	tcp_leave(c->s);
	return 0;
}

void sg_tcp_conn_abort(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->dead)
		return;
	struct sg_tcp_stack *s = c->s;
	tcp_enter(s, now);
	if (c->state != SG_TCP_SYN_SENT && c->state != SG_TCP_CLOSED) {
		tcp_send_ctl(c, TCP_RST | TCP_ACK, c->snd_nxt, now);
		s->st.resets_tx++;
	}
	tcp_conn_done(c, 0);
	tcp_leave(s);
}

void sg_tcp_conn_set_udata(struct sg_tcp_conn *c, void *udata)
{
	c->udata = udata;
}

void *sg_tcp_conn_udata(const struct sg_tcp_conn *c)
{
	return c->udata;
}

const struct sg_tcp_tuple *sg_tcp_conn_tuple(const struct sg_tcp_conn *c)
{
	return &c->t;
}

enum sg_tcp_state sg_tcp_conn_state(const struct sg_tcp_conn *c)
{
	return (enum sg_tcp_state) c->state;
}

void sg_tcp_conn_info(const struct sg_tcp_conn *c, struct sg_tcp_conn_info *o)
{
	memset(o, 0, sizeof(*o));
	o->state = (enum sg_tcp_state) c->state;
	o->snd_una = c->snd_una;
	o->snd_nxt = c->snd_nxt;
	o->snd_wnd = c->snd_wnd;
	o->cwnd = c->cwnd;
	o->ssthresh = c->ssthresh;
	o->rcv_nxt = c->rcv_nxt;
	o->rcv_wnd = tcp_rcv_window(c);
	o->mss = c->mss;
	o->srtt_us = (uint32_t) c->srtt;
	o->rto_us = (uint32_t) c->rto;
	o->snd_queued = c->sq_bytes;
	o->rcv_backlog = c->rcv_backlog;
	o->ooo_bytes = c->ooo_bytes;
	o->snd_wscale = c->snd_wscale;
	o->rcv_wscale = c->rcv_wscale;
	o->sack = c->sack_ok;
	o->timestamps = c->ts_ok;
	o->retrans = c->retrans;
}
