/* SPDX-License-Identifier: BSD-3-Clause */
#include "tcp_sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_mbuf.h>

#include "tcp_test_env.h"

/* ---- deterministic randomness ------------------------------------------- */

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return splitmix(r->s);
}

static double rng_unit(struct rng *r)
{
	return (double) (rng_next(r) >> 11) / 9007199254740992.0;
}

/* Byte i of stream `key`. */
static void gen_fill(uint64_t key, uint64_t off, uint8_t *p, uint32_t len)
{
	while (len) {
		uint64_t blk = off / 8;
		uint32_t in = (uint32_t) (off % 8);
		uint64_t v = splitmix(key ^ (blk * 0x2545f4914f6cdd1dULL));
		uint32_t n = 8 - in < len ? 8 - in : len;
		memcpy(p, (uint8_t *) &v + in, n);
		p += n;
		off += n;
		len -= n;
	}
}

static bool gen_check(uint64_t key, uint64_t off, const uint8_t *p, uint32_t len)
{
	uint8_t buf[256];
	while (len) {
		uint32_t n = len < sizeof(buf) ? len : (uint32_t) sizeof(buf);
		gen_fill(key, off, buf, n);
		if (memcmp(buf, p, n) != 0)
			return false;
		p += n;
		off += n;
		len -= n;
	}
	return true;
}

/* ---- event heap --------------------------------------------------------- */

struct ev {
	double t;
	uint64_t order;
	int dst; /* 0 client, 1 server */
	struct rte_mbuf *m;
};

struct heap {
	struct ev *v;
	size_t n, cap;
};

static int heap_less(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static int heap_push(struct heap *h, struct ev e)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		struct ev *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	size_t i = h->n++;
	h->v[i] = e;
	while (i && heap_less(&h->v[i], &h->v[(i - 1) / 2])) {
		struct ev t = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct ev heap_pop(struct heap *h)
{
	struct ev top = h->v[0];
	h->v[0] = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && heap_less(&h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && heap_less(&h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			break;
		struct ev t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return top;
}

/* ---- endpoints ---------------------------------------------------------- */

struct sim;

struct side {
	struct sim *sim;
	int id; /* 0 client, 1 server */
	struct sg_tcp_stack *stack;
	double busy_until; /* link serialisation from this side */
};

struct ep {
	struct side *side;
	uint32_t idx;
	struct sg_tcp_conn *conn;
	uint64_t tx_off, tx_total, rx_off, rx_total;
	uint64_t key_tx, key_rx;
	bool closing, closed, peer_closed, reset;
	int err;
	uint64_t unconsumed;
};

struct sim {
	const struct tcp_sim_params *p;
	struct tcp_sim_result *r;
	struct side side[2];
	struct ep *ep[2]; /* n each */
	uint32_t n, nclosed, naccepted;
	int32_t *port_idx; /* client port -> connection index */
	struct heap heap;
	struct rng rng;
	uint64_t order;
	double now; /* us */
	struct rte_mempool *hdr_pool, *data_pool;
	bool failed;
};

static void dump(struct sim *s)
{
	for (uint32_t k = 0; k < 2 * s->n; k++) {
		struct ep *e = &s->ep[k / s->n][k % s->n];
		if (e->closed && e->rx_off == e->rx_total)
			continue;
		fprintf(stderr,
			"%s%u tx %llu/%llu rx %llu/%llu closing=%d closed=%d peer_closed=%d\n",
			k < s->n ? "cli" : "srv", e->idx, (unsigned long long) e->tx_off,
			(unsigned long long) e->tx_total, (unsigned long long) e->rx_off,
			(unsigned long long) e->rx_total, e->closing, e->closed, e->peer_closed);
		if (e->conn) {
			struct sg_tcp_conn_info ci;
			sg_tcp_conn_info(e->conn, &ci);
			fprintf(stderr,
				"  %s una=%u nxt=%u swnd=%u cwnd=%u ssth=%u rnxt=%u rwnd=%u mss=%u "
				"srtt=%u rto=%u q=%u backlog=%u ooo=%u ws=%u/%u\n",
				sg_tcp_state_name(ci.state), ci.snd_una, ci.snd_nxt, ci.snd_wnd,
				ci.cwnd, ci.ssthresh, ci.rcv_nxt, ci.rcv_wnd, ci.mss, ci.srtt_us,
				ci.rto_us, ci.snd_queued, ci.rcv_backlog, ci.ooo_bytes,
				ci.snd_wscale, ci.rcv_wscale);
		}
	}
	for (int i = 0; i < 2; i++) {
		if (!s->side[i].stack)
			continue;
		struct sg_tcp_stats st;
		sg_tcp_stats_get(s->side[i].stack, &st);
		fprintf(stderr, "%s: rx %llu tx %llu retrans %llu rto %llu conns %llu\n",
			i ? "server" : "client", (unsigned long long) st.rx_segs,
			(unsigned long long) st.tx_segs, (unsigned long long) st.retrans_segs,
			(unsigned long long) st.rto_fired, (unsigned long long) st.conns);
		for (int d = 1; d < SG_TCP_DROP_COUNT; d++)
			if (st.drops[d])
				fprintf(stderr, "  drop %s %llu\n",
					sg_tcp_drop_name((enum sg_tcp_drop) d),
					(unsigned long long) st.drops[d]);
	}
}

static void fail(struct sim *s, const char *why)
{
	if (!s->failed && getenv("SG_TCP_SIM_DEBUG"))
		dump(s);
	if (!s->failed)
		snprintf(s->r->why, sizeof(s->r->why), "%s (t=%.3fs)", why, s->now / 1e6);
	s->failed = true;
}

static void pump(struct ep *e)
{
	struct sim *s = e->side->sim;
	if (!e->conn || e->closing)
		return;
	while (e->tx_off < e->tx_total) {
		uint32_t space = sg_tcp_conn_send_space(e->conn);
		uint64_t want = e->tx_total - e->tx_off;
		if (want > 32768)
			want = 32768;
		if (space < want) {
			if (space < 4096)
				break;
			want = space;
		}
		struct rte_mbuf *head = NULL, *tail = NULL;
		uint32_t built = 0;
		while (built < want) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(s->data_pool);
			if (!m)
				break;
			uint32_t n = (uint32_t) (want - built);
			uint32_t room = rte_pktmbuf_tailroom(m);
			if (n > room)
				n = room;
			gen_fill(e->key_tx, e->tx_off + built, rte_pktmbuf_mtod(m, uint8_t *), n);
			m->data_len = (uint16_t) n;
			m->pkt_len = n;
			if (!head) {
				head = m;
			} else {
				tail->next = m;
				head->nb_segs++;
				head->pkt_len += n;
			}
			tail = m;
			built += n;
		}
		if (!head)
			break;
		int rc = sg_tcp_conn_send(e->conn, head, (sg_usec_t) s->now);
		if (rc < 0) {
			rte_pktmbuf_free(head);
			if (rc != -ENOBUFS)
				fail(s, "send failed");
			break;
		}
		e->tx_off += built;
	}
	if (e->tx_off == e->tx_total && !e->closing) {
		e->closing = true;
		if (sg_tcp_conn_close(e->conn, (sg_usec_t) s->now) < 0)
			fail(s, "close failed");
	}
}

static void on_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m,
		     int err)
{
	struct side *sd = arg;
	struct sim *s = sd->sim;
	struct ep *e = sg_tcp_conn_udata(c);
	if (ev == SG_TCP_EV_ACCEPTED) {
		int32_t i = s->port_idx[sg_tcp_conn_tuple(c)->rport];
		if (i < 0 || s->ep[1][i].conn || s->ep[1][i].closed) {
			fail(s, "unexpected accept");
			sg_tcp_conn_abort(c, (sg_usec_t) s->now);
			return;
		}
		e = &s->ep[1][i];
		e->conn = c;
		s->naccepted++;
		sg_tcp_conn_set_udata(c, e);
		pump(e);
		return;
	}
	if (!e) {
		fail(s, "event without endpoint");
		if (m)
			rte_pktmbuf_free(m);
		return;
	}
	switch (ev) {
	case SG_TCP_EV_CONNECTED:
		pump(e);
		break;
	case SG_TCP_EV_READABLE: {
		uint32_t len = m->pkt_len;
		uint64_t off = e->rx_off;
		for (struct rte_mbuf *seg = m; seg; seg = seg->next) {
			if (!gen_check(e->key_rx, off, rte_pktmbuf_mtod(seg, uint8_t *),
				       seg->data_len))
				fail(s, "payload mismatch");
			off += seg->data_len;
		}
		if (off - e->rx_off != len)
			fail(s, "pkt_len mismatch");
		e->rx_off = off;
		if (e->rx_off > e->rx_total)
			fail(s, "too many bytes");
		rte_pktmbuf_free(m);
		if (s->p->slow_consumer_us && sd->id == 1)
			e->unconsumed += len;
		else
			sg_tcp_conn_recv_consumed(c, len, (sg_usec_t) s->now);
		break;
	}
	case SG_TCP_EV_WRITABLE:
		pump(e);
		break;
	case SG_TCP_EV_PEER_CLOSED:
		e->peer_closed = true;
		if (e->rx_off != e->rx_total)
			fail(s, "FIN before all bytes");
		break;
	case SG_TCP_EV_RESET:
		e->reset = true;
		e->err = err;
		fail(s, err == ETIMEDOUT ? "connection timed out" : "connection reset");
		break;
	case SG_TCP_EV_CLOSED:
		e->closed = true;
		e->conn = NULL;
		s->nclosed++;
		break;
	default:
		break;
	}
}

static void on_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct side *e = arg;
	struct sim *s = e->sim;
	const struct tcp_sim_params *p = s->p;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		s->r->segs++;
		m->ol_flags = 0;
		if (getenv("SG_TCP_SIM_TRACE")) {
			const uint8_t *q = rte_pktmbuf_mtod(m, const uint8_t *) + m->l3_len;
			fprintf(stderr, "%.6f %c seq=%u ack=%u fl=%02x win=%u len=%u\n",
				s->now / 1e6, e->id ? 'S' : 'C',
				rte_be_to_cpu_32(*(const uint32_t *) (q + 4)),
				rte_be_to_cpu_32(*(const uint32_t *) (q + 8)), q[13],
				rte_be_to_cpu_16(*(const uint16_t *) (q + 14)),
				m->pkt_len - m->l3_len - m->l4_len);
		}
		if (rng_unit(&s->rng) < p->loss) {
			s->r->drops_link++;
			rte_pktmbuf_free(m);
			continue;
		}
		double ser =
		    p->rate_bps ? (double) (m->pkt_len + 38) * 8e6 / (double) p->rate_bps : 0;
		double start = e->busy_until > s->now ? e->busy_until : s->now;
		e->busy_until = start + ser;
		double t = e->busy_until + p->delay_us;
		if (rng_unit(&s->rng) < p->reorder)
			t += rng_unit(&s->rng) * p->reorder_us;
		int copies = rng_unit(&s->rng) < p->dup ? 2 : 1;
		for (int k = 0; k < copies; k++) {
			struct rte_mbuf *x = m;
			if (k == 1) {
				x = rte_pktmbuf_copy(m, s->hdr_pool, 0, UINT32_MAX);
				if (!x)
					break;
				t += rng_unit(&s->rng) * p->reorder_us;
			}
			if (heap_push(&s->heap, (struct ev){t, s->order++, !e->id, x}) < 0) {
				rte_pktmbuf_free(x);
				fail(s, "heap alloc");
			}
		}
	}
}

void tcp_sim_defaults(struct tcp_sim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->seed = 1;
	p->bytes_c2s = p->bytes_s2c = 1 << 20;
	p->delay_us = 10000;
	p->reorder_us = 3000;
	p->rate_bps = 1000000000ULL;
	p->family = 4;
	p->cc = SG_TCP_CC_NEWRENO;
	p->vtime_limit_s = 3600;
}

static double real_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

int tcp_sim_run(const struct tcp_sim_params *p, struct tcp_sim_result *r)
{
	struct sim *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	s->p = p;
	s->r = r;
	s->n = p->conns ? p->conns : 1;
	s->rng.s = splitmix(p->seed ^ 0x5157);
	s->now = 1000000; /* arbitrary epoch */
	unsigned nh = 32768 + 64 * s->n, nd = 8192 + 48 * s->n;
	char name[64];
	static unsigned gen;
	snprintf(name, sizeof(name), "simh%u", gen);
	s->hdr_pool = tcp_test_pool(name, nh, 256);
	snprintf(name, sizeof(name), "simd%u", gen++);
	s->data_pool = tcp_test_pool(name, nd, 2048 + RTE_PKTMBUF_HEADROOM);
	s->ep[0] = calloc(s->n, sizeof(struct ep));
	s->ep[1] = calloc(s->n, sizeof(struct ep));
	s->port_idx = malloc(65536 * sizeof(int32_t));
	if (!s->hdr_pool || !s->data_pool || !s->ep[0] || !s->ep[1] || !s->port_idx) {
		snprintf(r->why, sizeof(r->why), "setup allocation failed");
		rte_mempool_free(s->hdr_pool);
		rte_mempool_free(s->data_pool);
		free(s->ep[0]);
		free(s->ep[1]);
		free(s->port_idx);
		free(s);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < 65536; i++)
		s->port_idx[i] = -1;
	for (int i = 0; i < 2; i++) {
		struct side *sd = &s->side[i];
		sd->sim = s;
		sd->id = i;
		struct sg_tcp_config cfg = {
		    .max_conns = s->n + 16,
		    .max_half_open = s->n + 16,
		    .syncookie_threshold = p->cookie_threshold ? p->cookie_threshold : s->n + 16,
		    .rcv_buf = p->rcv_buf,
		    .snd_buf = p->snd_buf,
		    .no_sack = p->no_sack,
		    .no_timestamps = p->no_ts,
		    .cc = p->cc,
		    .hdr_pool = s->hdr_pool,
		    .event_fn = on_event,
		    .tx_fn = on_tx,
		    .arg = sd,

		};
		uint64_t k = splitmix(p->seed * 31 + (uint64_t) i);
		memcpy(cfg.secret, &k, sizeof(k));
		cfg.secret[8] = (uint8_t) (i + 1);
		sd->stack = sg_tcp_stack_create(&cfg);
		if (!sd->stack)
			fail(s, "stack create failed");
	}
	for (uint32_t i = 0; i < s->n; i++) {
		struct ep *c = &s->ep[0][i], *v = &s->ep[1][i];
		c->side = &s->side[0];
		v->side = &s->side[1];
		c->idx = v->idx = i;
		c->tx_total = v->rx_total = p->bytes_c2s;
		v->tx_total = c->rx_total = p->bytes_s2c;
		c->key_tx = v->key_rx = splitmix(p->seed ^ 0xc25 ^ ((uint64_t) i << 32));
		v->key_tx = c->key_rx = splitmix(p->seed ^ 0x52c ^ ((uint64_t) i << 32));
	}

	double t0 = real_now(), start_v = s->now;
	if (!s->failed && sg_tcp_listen(s->side[1].stack, 443) < 0)
		fail(s, "listen");
	struct sg_tcp_tuple t = {.family = p->family, .lport = 0, .rport = 443};
	if (p->family == 4) {
		uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 2};
		memcpy(t.laddr, a, 4);
		memcpy(t.raddr, b, 4);
	} else {
		uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
			b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
		memcpy(t.laddr, a, 16);
		memcpy(t.raddr, b, 16);
	}
	for (uint32_t i = 0; i < s->n && !s->failed; i++) {
		struct ep *c = &s->ep[0][i];
		c->conn = sg_tcp_connect(s->side[0].stack, &t, c, (sg_usec_t) s->now);
		if (!c->conn) {
			fail(s, "connect");
			break;
		}
		s->port_idx[sg_tcp_conn_tuple(c->conn)->lport] = (int32_t) i;
	}
	double limit = s->now + p->vtime_limit_s * 1e6;
	double next_consume = s->now;
	while (!s->failed && s->nclosed < 2 * s->n) {
		double next = s->heap.n ? s->heap.v[0].t : 1e300;
		for (int i = 0; i < 2; i++) {
			sg_usec_t tn = sg_tcp_timer_next(s->side[i].stack);
			if (tn != UINT64_MAX && (double) tn < next)
				next = (double) tn;
		}
		if (p->slow_consumer_us && next_consume < next)
			next = next_consume;
		if (next >= 1e300) {
			fail(s, "deadlock: no events left");
			break;
		}
		if (next > s->now)
			s->now = next;
		if (s->now > limit) {
			fail(s, "virtual time limit");
			break;
		}
		/* Deliver everything due now, in bursts per destination. */
		while (s->heap.n && s->heap.v[0].t <= s->now) {
			struct rte_mbuf *burst[32];
			uint16_t nb = 0;
			int dst = s->heap.v[0].dst;
			while (nb < 32 && s->heap.n && s->heap.v[0].t <= s->now &&
			       s->heap.v[0].dst == dst)
				burst[nb++] = heap_pop(&s->heap).m;
			sg_tcp_input(s->side[dst].stack, burst, nb, (sg_usec_t) s->now);
		}
		if (p->slow_consumer_us && s->now >= next_consume) {
			for (uint32_t i = 0; i < s->n; i++) {
				struct ep *v = &s->ep[1][i];
				uint64_t n = v->unconsumed;
				v->unconsumed = 0;
				if (n && v->conn)
					sg_tcp_conn_recv_consumed(v->conn, (uint32_t) n,
								  (sg_usec_t) s->now);
			}
			next_consume = s->now + p->slow_consumer_us;
		}
		for (int i = 0; i < 2; i++)
			sg_tcp_timers_run(s->side[i].stack, (sg_usec_t) s->now);
	}
	r->real_s = real_now() - t0;
	r->vtime_s = (s->now - start_v) / 1e6;
	for (uint32_t k = 0; k < 2 * s->n && !s->failed; k++) {
		struct ep *e = &s->ep[k / s->n][k % s->n];
		if (e->rx_off != e->rx_total)
			fail(s, "bytes missing");
	}
	if (!s->failed && s->naccepted != s->n)
		fail(s, "accept count");
	for (int i = 0; i < 2; i++) {
		if (s->side[i].stack) {
			struct sg_tcp_stats st;
			sg_tcp_stats_get(s->side[i].stack, &st);
			if (i == 0)
				r->cli = st;
			else
				r->srv = st;
			r->retrans += st.retrans_segs;
			r->rto += st.rto_fired;
			if (!s->failed && st.conns != 0)
				fail(s, "connections left over");
		}
	}
	for (int i = 0; i < 2; i++)
		sg_tcp_stack_destroy(s->side[i].stack);
	while (s->heap.n)
		rte_pktmbuf_free(heap_pop(&s->heap).m);
	free(s->heap.v);
	if (!s->failed && (rte_mempool_avail_count(s->hdr_pool) != nh ||
			   rte_mempool_avail_count(s->data_pool) != nd))
		fail(s, "mbuf leak");
	rte_mempool_free(s->hdr_pool);
	rte_mempool_free(s->data_pool);
	free(s->ep[0]);
	free(s->ep[1]);
	free(s->port_idx);
	r->ok = !s->failed;
	free(s);
	return r->ok ? 0 : -1;
}
