/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive side reassembly: the out-of-order queue (sorted, non-overlapping
 * ranges of mbuf chains, duplicates and overlaps trimmed on insert) and the
 * SACK blocks generated from it (RFC 2018: the most recent block first).
 */
#include "tcp_priv.h"

struct rte_mbuf *tcp_mbuf_trim_front(struct rte_mbuf *m, uint32_t n)
{
	uint32_t total = m->pkt_len;
	while (m && n >= m->data_len && m->next) {
		struct rte_mbuf *next = m->next;
		n -= m->data_len;
		total -= m->data_len;
		next->nb_segs = (uint16_t) (m->nb_segs - 1);
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
		m = next;
	}
	if (n > m->data_len)
		n = m->data_len;
	m->data_off = (uint16_t) (m->data_off + n);
	m->data_len = (uint16_t) (m->data_len - n);
	m->pkt_len = total - n;
	return m;
}

void tcp_mbuf_trim_back(struct rte_mbuf *m, uint32_t n)
{
	uint32_t keep = m->pkt_len > n ? m->pkt_len - n : 0;
	m->pkt_len = keep;
	struct rte_mbuf *seg = m;
	uint16_t segs = 1;
	while (seg) {
		if (keep <= seg->data_len) {
			seg->data_len = (uint16_t) keep;
			if (seg->next) {
				rte_pktmbuf_free(seg->next);
				seg->next = NULL;
			}
			break;
		}
		keep -= seg->data_len;
		seg = seg->next;
		segs++;
	}
	m->nb_segs = segs;
}

static void chain_append(struct tcp_ooo *e, struct rte_mbuf *m, struct rte_mbuf *mtail,
			 uint32_t len)
{
	e->tail->next = m;
	e->tail = mtail;
	e->head->nb_segs = (uint16_t) (e->head->nb_segs + m->nb_segs);
	e->head->pkt_len += len;
	e->len += len;
}

static struct rte_mbuf *last_seg(struct rte_mbuf *m)
{
	while (m->next)
		m = m->next;
	return m;
}

static void ooo_remove(struct sg_tcp_conn *c, uint32_t i, bool free_it)
{
	if (free_it) {
		rte_pktmbuf_free(c->ooo[i].head);
		c->ooo_bytes -= c->ooo[i].len;
	}
	memmove(&c->ooo[i], &c->ooo[i + 1], (c->nooo - i - 1) * sizeof(c->ooo[0]));
	c->nooo--;
}

void tcp_ooo_purge(struct sg_tcp_conn *c)
{
	while (c->nooo)
		ooo_remove(c, c->nooo - 1, true);
	c->ooo_bytes = 0;
}

void tcp_ooo_insert(struct sg_tcp_conn *c, uint32_t seq, uint32_t len, struct rte_mbuf *m)
{
	struct sg_tcp_stack *s = c->s;
	uint32_t end = seq + len;
	uint32_t i = 0;
	c->last_ooo_seq = seq;
	while (i < c->nooo) {
		uint32_t es = c->ooo[i].seq, ee = es + c->ooo[i].len;
		if (seq_le(ee, seq)) {
			i++;
			continue;
		}
		if (seq_ge(es, end))
			break;
		if (seq_le(es, seq) && seq_ge(ee, end)) {
			tcp_drop(s, SG_TCP_DROP_DUPLICATE);
			rte_pktmbuf_free(m);
			return;
		}
		if (seq_le(es, seq)) { /* overlaps our head */
			m = tcp_mbuf_trim_front(m, ee - seq);
			seq = ee;
			i++;
			continue;
		}
		if (seq_ge(ee, end)) { /* overlaps our tail */
			tcp_mbuf_trim_back(m, end - es);
			end = es;
			break;
		}
		ooo_remove(c, i, true); /* entirely inside the new segment */
	}
	len = end - seq;
	/* i is the insert position; merge with neighbours when contiguous. */
	struct rte_mbuf *mt = last_seg(m);
	if (i > 0 && c->ooo[i - 1].seq + c->ooo[i - 1].len == seq) {
		chain_append(&c->ooo[i - 1], m, mt, len);
		c->ooo_bytes += len;
		if (i < c->nooo && c->ooo[i].seq == end) {
			struct tcp_ooo nx = c->ooo[i];
			chain_append(&c->ooo[i - 1], nx.head, nx.tail, nx.len);
			ooo_remove(c, i, false);
		}
		return;
	}
	if (i < c->nooo && c->ooo[i].seq == end) {
		struct tcp_ooo *nx = &c->ooo[i];
		mt->next = nx->head;
		m->nb_segs = (uint16_t) (m->nb_segs + nx->head->nb_segs);
		m->pkt_len += nx->len;
		nx->head = m;
		nx->seq = seq;
		nx->len += len;
		c->ooo_bytes += len;
		return;
	}
	if (c->nooo == TCP_OOO_MAX) {
		tcp_drop(s, SG_TCP_DROP_OOO_QUEUE_FULL);
		rte_pktmbuf_free(m);
		return;
	}
	memmove(&c->ooo[i + 1], &c->ooo[i], (c->nooo - i) * sizeof(c->ooo[0]));
	c->ooo[i] = (struct tcp_ooo){.seq = seq, .len = len, .head = m, .tail = mt};
	c->nooo++;
	c->ooo_bytes += len;
}

struct rte_mbuf *tcp_ooo_pull(struct sg_tcp_conn *c, uint32_t *len, bool *fin)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	*len = 0;
	while (c->nooo && seq_le(c->ooo[0].seq, c->rcv_nxt)) {
		struct tcp_ooo e = c->ooo[0];
		ooo_remove(c, 0, false);
		c->ooo_bytes -= e.len;
		uint32_t ee = e.seq + e.len;
		if (seq_le(ee, c->rcv_nxt)) {
			rte_pktmbuf_free(e.head);
			continue;
		}
		if (seq_lt(e.seq, c->rcv_nxt)) {
			e.head = tcp_mbuf_trim_front(e.head, c->rcv_nxt - e.seq);
			e.len = ee - c->rcv_nxt;
		}
		if (!head) {
			head = e.head;
		} else {
			tail->next = e.head;
			head->nb_segs = (uint16_t) (head->nb_segs + e.head->nb_segs);
			head->pkt_len += e.len;
		}
		tail = last_seg(e.head);
		*len += e.len;
		c->rcv_nxt += e.len;
	}
	*fin = c->fin_pending && c->rcv_nxt == c->fin_pending_seq;
	return head;
}

int tcp_sack_blocks(const struct sg_tcp_conn *c, uint32_t out[][2], int max)
{
	int n = 0, first = -1;
	for (int i = 0; i < c->nooo; i++) {
		uint32_t s = c->ooo[i].seq, e = s + c->ooo[i].len;
		if (seq_le(s, c->last_ooo_seq) && seq_lt(c->last_ooo_seq, e))
			first = i;
	}
	if (first >= 0) {
		out[n][0] = c->ooo[first].seq;
		out[n][1] = c->ooo[first].seq + c->ooo[first].len;
		n++;
	}
	for (int i = 0; i < c->nooo && n < max; i++) {
		if (i == first)
			continue;
		out[n][0] = c->ooo[i].seq;
		out[n][1] = c->ooo[i].seq + c->ooo[i].len;
		n++;
	}
	return n;
}
