/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment construction and the send path: header mbuf + indirect mbufs on
 * the consumer's send queue (zero copy), options, checksums (software or
 * offload flags), segmentation to the peer MSS (or TSO), SACK-based loss
 * recovery transmissions, FIN, zero-window persist, ACKs.
 */
#include <rte_ip.h>

#include "tcp_cksum.h"
#include "tcp_priv.h"

void tcp_tx_flush(struct sg_tcp_stack *s)
{
	if (!s->ntx)
		return;
	uint16_t n = s->ntx;
	s->ntx = 0;
	s->cfg.tx_fn(s->cfg.arg, s->tx, n);
}

static void tx_enqueue(struct sg_tcp_stack *s, struct rte_mbuf *m)
{
	s->tx[s->ntx++] = m;
	if (s->ntx == TCP_TX_BURST)
		tcp_tx_flush(s);
}

uint32_t tcp_rcv_window(const struct sg_tcp_conn *c)
{
	uint32_t used = c->rcv_backlog + c->ooo_bytes;
	uint32_t buf = c->s->cfg.rcv_buf;
	uint32_t w = used >= buf ? 0 : buf - used;
	uint32_t max = 65535u << c->rcv_wscale;
	if (w > max)
		w = max;
	return w & ~((1u << c->rcv_wscale) - 1);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

/* Options of a SYN or SYN-ACK. */
static uint32_t syn_opts(uint8_t *p, uint16_t mss, int ws, bool sack, bool ts, uint32_t tsval,
			 uint32_t tsecr)
{
	uint32_t n = 0;
	p[n++] = TCPOPT_MSS;
	p[n++] = 4;
	p[n++] = (uint8_t) (mss >> 8);
	p[n++] = (uint8_t) mss;
	if (sack && ts) {
		p[n++] = TCPOPT_SACK_PERM;
		p[n++] = 2;
	} else if (sack) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_SACK_PERM;
		p[n++] = 2;
	}
	if (ts) {
		if (!sack) {
			p[n++] = TCPOPT_NOP;
			p[n++] = TCPOPT_NOP;
		}
		p[n++] = TCPOPT_TS;
		p[n++] = 10;
		put32(p + n, tsval);
		put32(p + n + 4, tsecr);
		n += 8;
	}
	if (ws >= 0) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_WSCALE;
		p[n++] = 3;
		p[n++] = (uint8_t) ws;
	}
	return n;
}

static uint32_t ts_opt(uint8_t *p, uint32_t tsval, uint32_t tsecr)
{
	p[0] = TCPOPT_NOP;
	p[1] = TCPOPT_NOP;
	p[2] = TCPOPT_TS;
	p[3] = 10;
	put32(p + 4, tsval);
	put32(p + 8, tsecr);
	return 12;
}

struct tx_hdr {
	const struct sg_tcp_tuple *t;
	uint32_t seq, ack, wnd;
	uint8_t flags;
	const uint8_t *opts;
	uint32_t optlen;
};

/* Allocate the header mbuf and write IP + TCP headers. */
static struct rte_mbuf *build_hdr(struct sg_tcp_stack *s, const struct tx_hdr *h, uint32_t paylen)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->cfg.hdr_pool);
	if (!m) {
		tcp_drop(s, SG_TCP_DROP_NO_MBUF);
		return NULL;
	}
	m->data_off = s->cfg.l2_headroom;
	uint32_t l3 = h->t->family == 4 ? IPV4_HDR_LEN : IPV6_HDR_LEN;
	uint32_t l4 = TCP_HDR_LEN + h->optlen;
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	if (h->t->family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) p;
		ip->version_ihl = 0x45;
		ip->type_of_service = 0;
		ip->total_length = rte_cpu_to_be_16((uint16_t) (l3 + l4 + paylen));
		ip->packet_id = 0;
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->hdr_checksum = 0;
		memcpy(&ip->src_addr, h->t->laddr, 4);
		memcpy(&ip->dst_addr, h->t->raddr, 4);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) p;
		ip->vtc_flow = rte_cpu_to_be_32(0x60000000);
		ip->payload_len = rte_cpu_to_be_16((uint16_t) (l4 + paylen));
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = 64;
		memcpy(ip->src_addr, h->t->laddr, 16);
		memcpy(ip->dst_addr, h->t->raddr, 16);
	}
	struct tcp_hdr_wire *th = (struct tcp_hdr_wire *) (p + l3);
	th->sport = rte_cpu_to_be_16(h->t->lport);
	th->dport = rte_cpu_to_be_16(h->t->rport);
	th->seq = rte_cpu_to_be_32(h->seq);
	th->ack = rte_cpu_to_be_32(h->flags & TCP_ACK ? h->ack : 0);
	th->doff = (uint8_t) ((l4 / 4) << 4);
	th->flags = h->flags;
	th->win = rte_cpu_to_be_16((uint16_t) h->wnd);
	th->cksum = 0;
	th->urp = 0;
	if (h->optlen)
		memcpy(th + 1, h->opts, h->optlen);
	m->data_len = (uint16_t) (l3 + l4);
	m->pkt_len = m->data_len;
	m->l2_len = 0;
	m->l3_len = l3;
	m->l4_len = l4;
	return m;
}

/* TSO (when the payload exceeds one MSS) or TCP checksum offload flags, same for v4 and v6. */
static uint64_t tcp_l4_offload(struct rte_mbuf *m, uint32_t off, uint32_t paylen, uint16_t mss)
{
	if ((off & SG_TCP_OFFLOAD_TSO) && paylen > mss) {
		m->tso_segsz = mss;
		return RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
	}
	if (off & SG_TCP_OFFLOAD_TCP_CKSUM)
		return RTE_MBUF_F_TX_TCP_CKSUM;
	return 0;
}

/* Checksums or offload flags, once the payload is attached. */
static void finish(struct sg_tcp_stack *s, struct rte_mbuf *m, uint8_t family, uint32_t paylen,
		   uint16_t mss)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct tcp_hdr_wire *th = (struct tcp_hdr_wire *) (p + m->l3_len);
	uint32_t off = s->cfg.offloads;
	uint64_t fl = 0;
	if (family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *) p;
		fl |= RTE_MBUF_F_TX_IPV4;
		if (off & SG_TCP_OFFLOAD_IPV4_CKSUM)
			fl |= RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		fl |= tcp_l4_offload(m, off, paylen, mss);
		if (fl & RTE_MBUF_F_TX_TCP_CKSUM)
			th->cksum = rte_ipv4_phdr_cksum(ip, fl);
		else
			th->cksum = tcp_cksum_mbuf(m, ip, 4, m->l3_len);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *) p;
		fl |= RTE_MBUF_F_TX_IPV6;
		fl |= tcp_l4_offload(m, off, paylen, mss);
		if (fl & RTE_MBUF_F_TX_TCP_CKSUM)
			th->cksum = rte_ipv6_phdr_cksum(ip, fl);
		else
			th->cksum = tcp_cksum_mbuf(m, ip, 6, m->l3_len);
	}
	m->ol_flags |= fl;
	s->st.tx_segs++;
	s->st.tx_bytes += paylen;
}

/* Attach `len` queued bytes starting at `seq` behind header mbuf `h`. */
static int attach_payload(struct sg_tcp_conn *c, struct rte_mbuf *h, uint32_t seq, uint32_t len)
{
	struct rte_mbuf *seg;
	uint32_t off;
	if (c->cur_m && seq_ge(seq, c->cur_seq)) {
		seg = c->cur_m;
		off = c->cur_off + (seq - c->cur_seq);
	} else {
		seg = c->sq_head;
		off = c->sq_off + (seq - c->snd_una);
	}
	while (seg && off >= seg->data_len) {
		off -= seg->data_len;
		seg = seg->next;
	}
	struct rte_mbuf *tail = h;
	uint32_t left = len;
	while (left) {
		if (!seg)
			return -EINVAL;
		uint32_t n = SG_MIN(left, (uint32_t) seg->data_len - off);
		struct rte_mbuf *mi = rte_pktmbuf_alloc(c->s->cfg.hdr_pool);
		if (!mi)
			return -ENOMEM;
		rte_pktmbuf_attach(mi, seg);
		mi->data_off = (uint16_t) (mi->data_off + off);
		mi->data_len = (uint16_t) n;
		mi->pkt_len = n;
		tail->next = mi;
		tail = mi;
		h->nb_segs++;
		h->pkt_len += n;
		left -= n;
		off += n;
		if (off == seg->data_len && left) {
			seg = seg->next;
			off = 0;
		}
	}
	/* Remember where the next byte lives for the common in-order case. */
	if (seg) {
		c->cur_m = seg;
		c->cur_off = off;
		c->cur_seq = seq + len;
	}
	return 0;
}

static void ack_sent(struct sg_tcp_conn *c, uint32_t wnd)
{
	c->rcv_adv = c->rcv_nxt + wnd;
	c->ack_now = false;
	c->delack_segs = 0;
	c->tmr[TT_DELACK] = 0;
}

static uint32_t conn_wnd(struct sg_tcp_conn *c)
{
	uint32_t w = tcp_rcv_window(c);
	/* Never shrink the right edge already advertised (RFC 9293 3.8.6). */
	if (seq_lt(c->rcv_nxt + w, c->rcv_adv) && c->state >= SG_TCP_ESTABLISHED)
		w = c->rcv_adv - c->rcv_nxt;
	return w;
}

/* Data/ACK options: timestamps and SACK blocks. */
static uint32_t data_opts(struct sg_tcp_conn *c, uint8_t *p, sg_usec_t now)
{
	uint32_t n = 0;
	if (c->ts_ok)
		n += ts_opt(p, tcp_ts_now(now), c->ts_recent);
	if (c->sack_ok && c->nooo) {
		uint32_t blk[TCP_MAX_SACK_BLOCKS][2];
		int nb = tcp_sack_blocks(c, blk, c->ts_ok ? 3 : 4);
		if (nb > 0) {
			p[n++] = TCPOPT_NOP;
			p[n++] = TCPOPT_NOP;
			p[n++] = TCPOPT_SACK;
			p[n++] = (uint8_t) (2 + 8 * nb);
			for (int i = 0; i < nb; i++) {
				put32(p + n, blk[i][0]);
				put32(p + n + 4, blk[i][1]);
				n += 8;
			}
		}
	}
	return n;
}

/* Send `len` bytes from `seq` (0 for a bare segment). Returns bytes sent
 * (may be less than asked when SACK options take room) or -errno. */
int tcp_send_seg(struct sg_tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	uint8_t opts[40];
	uint32_t optlen = data_opts(c, opts, now);
	uint32_t maxpay = c->peer_mss > optlen ? c->peer_mss - optlen : 1;
	if (len > maxpay && !(s->cfg.offloads & SG_TCP_OFFLOAD_TSO)) {
		len = maxpay;
		flags &= (uint8_t) ~TCP_FIN;
	}
	uint32_t wnd = conn_wnd(c);
	struct tx_hdr h = {.t = &c->t,
			   .seq = seq,
			   .ack = c->rcv_nxt,
			   .wnd = wnd >> c->rcv_wscale,
			   .flags = flags,
			   .opts = opts,
			   .optlen = optlen};
	struct rte_mbuf *m = build_hdr(s, &h, len);
	if (!m)
		return -ENOMEM;
	if (len && attach_payload(c, m, seq, len) < 0) {
		rte_pktmbuf_free(m);
		tcp_drop(s, SG_TCP_DROP_NO_MBUF);
		return -ENOMEM;
	}
	finish(s, m, c->t.family, len, (uint16_t) maxpay);
	if (flags & TCP_ACK)
		ack_sent(c, wnd);
	tx_enqueue(s, m);
	return (int) len;
}

/* A segment without payload: SYN, SYN-ACK, ACK, RST, probes. */
int tcp_send_ctl(struct sg_tcp_conn *c, uint8_t flags, uint32_t seq, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	if (!(flags & TCP_SYN))
		return tcp_send_seg(c, seq, 0, flags, now) < 0 ? -ENOMEM : 0;
	uint8_t opts[40];
	const struct sg_tcp_config *cfg = &s->cfg;
	bool synack = flags & TCP_ACK;
	uint16_t mss = (uint16_t) (cfg->mss - (c->t.family == 6 ? 20 : 0));
	bool sack = synack ? c->sack_ok : !cfg->no_sack;
	bool ts = synack ? c->ts_ok : !cfg->no_timestamps;
	int ws = synack ? (c->ws_ok ? c->rcv_wscale : -1) : (cfg->no_wscale ? -1 : c->rcv_wscale);
	uint32_t optlen =
	    syn_opts(opts, mss, ws, sack, ts, tcp_ts_now(now), synack ? c->ts_recent : 0);
	uint32_t wnd = SG_MIN(tcp_rcv_window(c), 65535u); /* never scaled in a SYN */
	struct tx_hdr h = {.t = &c->t,
			   .seq = seq,
			   .ack = c->rcv_nxt,
			   .wnd = wnd,
			   .flags = flags,
			   .opts = opts,
			   .optlen = optlen};
	struct rte_mbuf *m = build_hdr(s, &h, 0);
	if (!m)
		return -ENOMEM;
	finish(s, m, c->t.family, 0, 0);
	if (synack)
		c->rcv_adv = c->rcv_nxt + wnd;
	tx_enqueue(s, m);
	return 0;
}

void tcp_send_ack(struct sg_tcp_conn *c, sg_usec_t now)
{
	/* snd_max, not snd_nxt: after a timeout snd_nxt went back, and an ACK
	 * below the peer's rcv_nxt would be dropped as old (and answered). */
	tcp_send_seg(c, c->snd_max, 0, TCP_ACK, now);
}

/* RST in answer to a segment that has no connection (RFC 9293 3.10.7.1). */
void tcp_reply_rst(struct sg_tcp_stack *s, const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	struct tx_hdr h = {.t = &g->t, .wnd = 0};
	if (g->flags & TCP_ACK) {
		h.seq = g->ack;
		h.flags = TCP_RST;
	} else {
		h.seq = 0;
		h.ack = g->seq + g->len + !!(g->flags & TCP_SYN) + !!(g->flags & TCP_FIN);
		h.flags = TCP_RST | TCP_ACK;
	}
	struct rte_mbuf *m = build_hdr(s, &h, 0);
	if (!m)
		return;
	finish(s, m, g->t.family, 0, 0);
	s->st.resets_tx++;
	tx_enqueue(s, m);
}

int tcp_send_synack_cookie(struct sg_tcp_stack *s, const struct tcp_seg *g, sg_usec_t now)
{
	const struct sg_tcp_config *cfg = &s->cfg;
	uint16_t mss_enc;
	uint32_t cookie = tcp_cookie_make(s, g, &mss_enc, now);
	bool ts = g->o.ts_ok && !cfg->no_timestamps;
	/* Without timestamps there is nowhere to keep WS and SACK: not offered. */
	bool sack = ts && g->o.sack_perm && !cfg->no_sack;
	int ws = -1;
	if (ts && g->o.ws_ok && !cfg->no_wscale) {
		ws = 0;
		while (ws < TCP_MAX_WSCALE && (cfg->rcv_buf >> ws) > 65535)
			ws++;
	}
	uint8_t opts[40];
	uint16_t mss = (uint16_t) (cfg->mss - (g->t.family == 6 ? 20 : 0));
	uint32_t optlen =
	    syn_opts(opts, mss, ws, sack, ts, tcp_cookie_tsval(&g->o, 0, now), g->o.tsval);
	struct tx_hdr h = {.t = &g->t,
			   .seq = cookie,
			   .ack = g->seq + 1,
			   .wnd = SG_MIN(cfg->rcv_buf, 65535u),
			   .flags = TCP_SYN | TCP_ACK,
			   .opts = opts,
			   .optlen = optlen};
	struct rte_mbuf *m = build_hdr(s, &h, 0);
	if (!m)
		return -ENOMEM;
	finish(s, m, g->t.family, 0, 0);
	s->st.syncookies_sent++;
	s->last_cookie = now ? now : 1;
	tx_enqueue(s, m);
	return 0;
}

/* ACK from a TIME_WAIT entry (retransmitted FIN, stray segment). */
void tcp_tw_ack(struct sg_tcp_stack *s, const struct tcp_tw *w, sg_usec_t now)
{
	uint8_t opts[12];
	uint32_t optlen = w->ts_ok ? ts_opt(opts, tcp_ts_now(now), w->ts_recent) : 0;
	struct tx_hdr h = {.t = &w->t,
			   .seq = w->snd_nxt,
			   .ack = w->rcv_nxt,
			   .wnd = 0,
			   .flags = TCP_ACK,
			   .opts = opts,
			   .optlen = optlen};
	struct rte_mbuf *m = build_hdr(s, &h, 0);
	if (!m)
		return;
	finish(s, m, w->t.family, 0, 0);
	tx_enqueue(s, m);
}

/* ---- send queue --------------------------------------------------------- */

void tcp_sq_free_acked(struct sg_tcp_conn *c, uint32_t acked)
{
	c->sq_bytes -= acked;
	acked += c->sq_off;
	while (c->sq_head && acked >= c->sq_head->data_len) {
		struct rte_mbuf *m = c->sq_head;
		acked -= m->data_len;
		c->sq_head = m->next;
		if (c->cur_m == m)
			c->cur_m = NULL;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
	}
	if (!c->sq_head)
		c->sq_tail = NULL;
	c->sq_off = acked;
}

void tcp_sq_purge(struct sg_tcp_conn *c)
{
	while (c->sq_head) {
		struct rte_mbuf *m = c->sq_head;
		c->sq_head = m->next;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
	}
	c->sq_tail = NULL;
	c->cur_m = NULL;
	c->sq_bytes = 0;
	c->sq_off = 0;
}

/* ---- the output decision ------------------------------------------------ */

static bool can_send_data(const struct sg_tcp_conn *c)
{
	return c->state == SG_TCP_ESTABLISHED || c->state == SG_TCP_CLOSE_WAIT ||
	       c->state == SG_TCP_FIN_WAIT_1 || c->state == SG_TCP_LAST_ACK ||
	       c->state == SG_TCP_CLOSING;
}

/* First SACKed range at or above seq: its [start, end) or false. */
static bool sacked_at(const struct sg_tcp_conn *c, uint32_t seq, uint32_t *start, uint32_t *end)
{
	for (uint32_t i = 0; i < c->nsacked; i++) {
		if (seq_gt(c->sacked[i][1], seq)) {
			*start = c->sacked[i][0];
			*end = c->sacked[i][1];
			return true;
		}
	}
	return false;
}

/* Send one segment of new or go-back-N data at snd_nxt within `limit`
 * bytes of window; false when nothing could be sent. */
static bool send_next(struct sg_tcp_conn *c, uint32_t limit, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	uint32_t data_end = c->snd_una + c->sq_bytes;
	uint32_t ss, se;
	while (seq_lt(c->snd_nxt, c->snd_max) && sacked_at(c, c->snd_nxt, &ss, &se) &&
	       seq_le(ss, c->snd_nxt))
		c->snd_nxt = seq_min(se, c->snd_max); /* already at the receiver */
	if (!seq_lt(c->snd_nxt, data_end))
		return false;
	uint32_t avail = data_end - c->snd_nxt;
	bool rexmit = seq_lt(c->snd_nxt, c->snd_max);
	if (rexmit) {
		uint32_t stop = c->snd_max;
		if (sacked_at(c, c->snd_nxt, &ss, &se))
			stop = seq_min(stop, ss);
		avail = SG_MIN(avail, stop - c->snd_nxt);
	}
	uint32_t max = (s->cfg.offloads & SG_TCP_OFFLOAD_TSO) ? s->cfg.tso_max : c->mss;
	uint32_t len = SG_MIN(SG_MIN(avail, max), limit);
	if (len == 0)
		return false;
	if (len < c->mss && len < avail && !rexmit) {
		/* Sender-side SWS avoidance: wait for a full segment unless
		 * the peer's window is tiny and nothing is in flight. */
		if (!(c->snd_wnd < c->mss && c->snd_nxt == c->snd_una))
			return false;
	}
	if (s->cfg.nagle && len < c->mss && c->snd_nxt != c->snd_una && !rexmit)
		return false;
	if ((s->cfg.offloads & SG_TCP_OFFLOAD_TSO) && len > c->mss && len < avail)
		len -= len % c->mss;
	uint8_t fl = TCP_ACK;
	if (len == avail)
		fl |= TCP_PSH;
	if (c->fin_queued && c->snd_nxt + len == c->fin_seq)
		fl |= TCP_FIN;
	if (c->snd_una == c->snd_max)
		c->una_time = now; /* a new flight starts */
	int sent = tcp_send_seg(c, c->snd_nxt, len, fl, now);
	if (sent <= 0)
		return false;
	if (rexmit) {
		s->st.retrans_segs++;
		c->retrans++;
	} else if (!c->rtt_start && !c->ts_ok) {
		c->rtt_start = now;
		c->rtt_seq = c->snd_nxt + (uint32_t) sent;
	}
	c->snd_nxt += (uint32_t) sent;
	if ((fl & TCP_FIN) && (uint32_t) sent == len) {
		c->snd_nxt++;
		c->fin_sent = true;
	}
	c->snd_max = seq_max(c->snd_max, c->snd_nxt);
	if (!c->tmr[TT_RTO])
		tcp_rto_arm(c, now);
	return true;
}

bool tcp_send_new(struct sg_tcp_conn *c, uint32_t limit, sg_usec_t now)
{
	return send_next(c, limit, now);
}

void tcp_output(struct sg_tcp_conn *c, sg_usec_t now)
{
	if (c->dead || !can_send_data(c)) {
		if (!c->dead && c->ack_now && c->state >= SG_TCP_ESTABLISHED)
			tcp_send_ack(c, now);
		return;
	}
	bool sent = false;
	if (c->in_recovery && c->sack_ok) {
		/* RFC 6675: while pipe < cwnd send NextSeg(). */
		uint32_t pipe = tcp_pipe(c);
		for (int guard = 0; guard < 1024 && pipe < c->cwnd; guard++) {
			uint32_t hs, hl;
			if (tcp_sack_next_hole(c, &hs, &hl)) {
				int n = tcp_send_seg(c, hs, SG_MIN(hl, (uint32_t) c->mss), TCP_ACK,
						     now);
				if (n <= 0)
					break;
				c->high_rxt = hs + (uint32_t) n;
				c->s->st.retrans_segs++;
				c->retrans++;
				pipe += (uint32_t) n;
				sent = true;
				continue;
			}
			uint32_t right = c->snd_una + c->snd_wnd;
			if (!seq_lt(c->snd_nxt, right))
				break;
			uint32_t before = c->snd_nxt;
			if (!send_next(c, SG_MIN(right - c->snd_nxt, c->cwnd - pipe), now))
				break;
			pipe += c->snd_nxt - before;
			sent = true;
		}
	} else {
		/* Limited transmit (RFC 3042): one new segment per early dup ACK. */
		uint32_t cw = c->cwnd;
		if (!c->in_recovery && c->dupacks && c->dupacks < TCP_DUPTHRESH)
			cw += c->dupacks * (uint32_t) c->mss;
		for (int guard = 0; guard < 4096; guard++) {
			uint32_t wnd = SG_MIN(cw, c->snd_wnd);
			uint32_t right = c->snd_una + wnd;
			if (!seq_lt(c->snd_nxt, right))
				break;
			if (!send_next(c, right - c->snd_nxt, now))
				break;
			sent = true;
		}
	}
	/* FIN with no data left (or only FIN to retransmit). */
	if (c->fin_queued && c->snd_nxt == c->fin_seq && c->snd_una + c->sq_bytes == c->fin_seq) {
		tcp_send_seg(c, c->snd_nxt, 0, TCP_ACK | TCP_FIN, now);
		if (seq_lt(c->snd_nxt, c->snd_max))
			c->s->st.retrans_segs++;
		c->snd_nxt++;
		c->fin_sent = true;
		c->snd_max = seq_max(c->snd_max, c->snd_nxt);
		if (!c->tmr[TT_RTO])
			tcp_rto_arm(c, now);
		sent = true;
	}
	/* Zero window with data waiting and nothing in flight: probe. */
	if (c->snd_wnd == 0 && c->snd_una == c->snd_max &&
	    seq_lt(c->snd_nxt, c->snd_una + c->sq_bytes) && !c->tmr[TT_PERSIST]) {
		c->probes = 0;
		tcp_timer_set(c, TT_PERSIST, now + c->rto);
	}
	if (!sent && c->ack_now)
		tcp_send_ack(c, now);
}
