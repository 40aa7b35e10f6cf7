/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment input: L3/L4 validation (untrusted bytes: every length checked
 * here once), demultiplexing (connection, TIME_WAIT entry, listener, SYN
 * cookie) and the per-connection state machine of RFC 9293 3.10.7 with RFC
 * 7323 PAWS and RFC 5961 challenge ACKs.
 */
#include <rte_ip.h>

#include "tcp_cksum.h"
#include "tcp_priv.h"

/* ---- parsing ------------------------------------------------------------ */

static enum sg_tcp_drop parse(struct rte_mbuf **mp, struct tcp_seg *g)
{
	struct rte_mbuf *m = *mp;
	uint32_t l3off = m->l2_len;
	uint32_t avail = m->data_len;
	uint32_t total = m->pkt_len;
	if (avail < l3off + 1 || total < l3off + 1)
		return SG_TCP_DROP_L3_TRUNCATED;
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *) + l3off;
	uint32_t l3len, iplen;
	memset(g, 0, offsetof(struct tcp_seg, o));
	if ((p[0] >> 4) == 4) {
		if (avail < l3off + IPV4_HDR_LEN)
			return SG_TCP_DROP_L3_TRUNCATED;
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *) p;
		l3len = (ip->version_ihl & 0xf) * 4u;
		iplen = rte_be_to_cpu_16(ip->total_length);
		if (l3len < IPV4_HDR_LEN || avail < l3off + l3len)
			return SG_TCP_DROP_L3_TRUNCATED;
		if (iplen < l3len || iplen > total - l3off)
			return SG_TCP_DROP_L3_BAD_LEN;
		if (rte_be_to_cpu_16(ip->fragment_offset) &
		    (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
			return SG_TCP_DROP_L3_FRAGMENT;
		if (ip->next_proto_id != IPPROTO_TCP)
			return SG_TCP_DROP_L3_NOT_TCP;
		if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD)
			return SG_TCP_DROP_IP_CKSUM;
		if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
		    rte_raw_cksum(ip, l3len) != 0xffff)
			return SG_TCP_DROP_IP_CKSUM;
		uint8_t s0 = p[12], d0 = p[16];
		if (s0 == 0 || s0 >= 224 || d0 >= 224 || d0 == 0 || ip->src_addr == 0xffffffff ||
		    ip->src_addr == ip->dst_addr)
			return SG_TCP_DROP_L3_BAD_ADDR;
		g->t.family = 4;
		memcpy(g->t.raddr, &ip->src_addr, 4);
		memcpy(g->t.laddr, &ip->dst_addr, 4);
		g->tclass = ip->type_of_service;
	} else if ((p[0] >> 4) == 6) {
		if (avail < l3off + IPV6_HDR_LEN)
			return SG_TCP_DROP_L3_TRUNCATED;
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *) p;
		l3len = IPV6_HDR_LEN;
		iplen = IPV6_HDR_LEN + rte_be_to_cpu_16(ip->payload_len);
		if (iplen > total - l3off)
			return SG_TCP_DROP_L3_BAD_LEN;
		if (ip->proto != IPPROTO_TCP) /* extension headers are not expected on TCP */
			return SG_TCP_DROP_L3_NOT_TCP;
		static const uint8_t zero[16];
		if (ip->src_addr[0] == 0xff || ip->dst_addr[0] == 0xff ||
		    memcmp(ip->src_addr, zero, 16) == 0 ||
		    memcmp(ip->src_addr, ip->dst_addr, 16) == 0)
			return SG_TCP_DROP_L3_BAD_ADDR;
		g->t.family = 6;
		memcpy(g->t.raddr, ip->src_addr, 16);
		memcpy(g->t.laddr, ip->dst_addr, 16);
	} else {
		return SG_TCP_DROP_L3_VERSION;
	}
	uint32_t l4off = l3off + l3len;
	if (iplen - l3len < TCP_HDR_LEN || avail < l4off + TCP_HDR_LEN)
		return SG_TCP_DROP_TCP_TRUNCATED;
	const struct tcp_hdr_wire *th = (const struct tcp_hdr_wire *) (p + l3len);
	uint32_t doff = (th->doff >> 4) * 4u;
	if (doff < TCP_HDR_LEN || doff > iplen - l3len)
		return SG_TCP_DROP_TCP_BAD_DOFF;
	if (avail < l4off + doff)
		return SG_TCP_DROP_TCP_TRUNCATED; /* options must be in the first segment */
	/* Ethernet padding past the IP length is not payload. */
	if (total > l3off + iplen)
		tcp_mbuf_trim_back(m, total - (l3off + iplen));
	uint64_t l4f = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	if (l4f == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return SG_TCP_DROP_TCP_CKSUM;
	if (l4f != RTE_MBUF_F_RX_L4_CKSUM_GOOD) {
		if (!tcp_cksum_mbuf_ok(m, p, g->t.family, l4off))
			return SG_TCP_DROP_TCP_CKSUM;
	}
	g->t.rport = rte_be_to_cpu_16(th->sport);
	g->t.lport = rte_be_to_cpu_16(th->dport);
	if (!g->t.rport || !g->t.lport)
		return SG_TCP_DROP_TCP_BAD_PORT;
	g->flags = th->flags & 0x3f;
	if ((g->flags & TCP_SYN) && (g->flags & (TCP_FIN | TCP_RST)))
		return SG_TCP_DROP_TCP_BAD_FLAGS;
	if (!(g->flags & (TCP_SYN | TCP_RST | TCP_ACK)))
		return SG_TCP_DROP_TCP_BAD_FLAGS; /* needs at least one of them */
	if (tcp_opts_parse((const uint8_t *) (th + 1), doff - TCP_HDR_LEN, &g->o) < 0)
		return SG_TCP_DROP_TCP_BAD_OPTIONS;
	g->seq = rte_be_to_cpu_32(th->seq);
	g->ack = rte_be_to_cpu_32(th->ack);
	g->wnd = rte_be_to_cpu_16(th->win);
	g->hlen = l3len + doff;
	g->len = iplen - g->hlen;
	*mp = tcp_mbuf_trim_front(m, l4off + doff);
	return SG_TCP_DROP_NONE;
}

/* ---- helpers ------------------------------------------------------------ */

static void challenge_ack(struct sg_tcp_conn *c, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	if (now - s->chal_epoch >= SG_USEC_PER_SEC) {
		s->chal_epoch = now;
		s->chal_count = 0;
	}
	if (s->chal_count >= s->cfg.challenge_ack_limit) {
		tcp_drop(s, SG_TCP_DROP_CHALLENGE_RATE);
		return;
	}
	s->chal_count++;
	s->st.challenge_acks++;
	tcp_send_ack(c, now);
}

static void negotiate(struct sg_tcp_conn *c, const struct tcp_seg *g)
{
	const struct sg_tcp_config *cfg = &c->s->cfg;
	uint16_t ours = (uint16_t) (cfg->mss - (c->t.family == 6 ? 20 : 0));
	uint16_t peer = g->o.mss_ok ? g->o.mss : TCP_DEFAULT_MSS;
	if (peer < TCP_MIN_MSS)
		peer = TCP_MIN_MSS;
	c->peer_mss = SG_MIN(peer, ours);
	c->ws_ok = g->o.ws_ok && !cfg->no_wscale;
	c->snd_wscale = c->ws_ok ? g->o.wscale : 0;
	if (!c->ws_ok)
		c->rcv_wscale = 0;
	c->sack_ok = g->o.sack_perm && !cfg->no_sack;
	c->ts_ok = g->o.ts_ok && !cfg->no_timestamps;
	if (c->ts_ok)
		c->ts_recent = g->o.tsval;
	c->mss = (uint16_t) (c->peer_mss - (c->ts_ok ? 12 : 0));
}

static void to_time_wait(struct sg_tcp_conn *c, sg_usec_t now)
{
	tcp_set_state(c, SG_TCP_TIME_WAIT);
	tcp_send_ack(c, now);
	bool rep = c->reported;
	c->reported = false;
	c->s->st.closed++;
	tcp_tw_enter(c, now);
	if (rep)
		tcp_event(c, SG_TCP_EV_CLOSED, NULL, 0);
}

/* ---- connection state machine ------------------------------------------- */

static void syn_sent_input(struct sg_tcp_conn *c, struct tcp_seg *g, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	bool ack_ok = (g->flags & TCP_ACK) && seq_gt(g->ack, c->iss) && seq_le(g->ack, c->snd_max);
	if ((g->flags & TCP_ACK) && !ack_ok) {
		tcp_drop(s, SG_TCP_DROP_ACK_UNSENT);
		tcp_reply_rst(s, g);
		return;
	}
	if (g->flags & TCP_RST) {
		if (ack_ok) {
			s->st.resets_rx++;
			tcp_conn_done(c, ECONNREFUSED);
		} else {
			tcp_drop(s, SG_TCP_DROP_RST_OUT_OF_WINDOW);
		}
		return;
	}
	if (!(g->flags & TCP_SYN)) {
		tcp_drop(s, SG_TCP_DROP_STATE);
		return;
	}
	c->irs = g->seq;
	c->rcv_nxt = g->seq + 1;
	c->rcv_adv = c->rcv_nxt;
	negotiate(c, g);
	c->snd_wnd = g->wnd;
	c->max_sndwnd = c->snd_wnd;
	c->snd_wl1 = g->seq;
	c->snd_wl2 = g->ack;
	if (!ack_ok) { /* simultaneous open */
		tcp_set_state(c, SG_TCP_SYN_RCVD);
		tcp_send_ctl(c, TCP_SYN | TCP_ACK, c->iss, now);
		return;
	}
	c->snd_una = g->ack;
	if (c->ts_ok && g->o.tsecr)
		tcp_rtt_sample(c, (sg_usec_t) (tcp_ts_now(now) - g->o.tsecr) * 1000);
	else if (c->rtt_start && c->retries == 0)
		tcp_rtt_sample(c, now - c->rtt_start);
	c->rtt_start = 0;
	tcp_timer_clear(c, TT_RTO);
	tcp_enter_established(c, now);
	if (c->dead)
		return;
	c->ack_now = true;
	tcp_output(c, now);
}

/* In-order and out-of-order payload; returns true when a FIN became in-order. */
static bool data_input(struct sg_tcp_conn *c, struct tcp_seg *g, struct rte_mbuf **mp, uint32_t wnd)
{
	struct sg_tcp_stack *s = c->s;
	struct rte_mbuf *m = *mp;
	uint32_t seq = g->seq, len = g->len;
	bool fin = g->flags & TCP_FIN;
	if (seq_lt(seq, c->rcv_nxt)) { /* overlapping retransmission: trim the old part */
		uint32_t cut = c->rcv_nxt - seq;
		if (cut >= len) {
			len = 0;
		} else {
			m = tcp_mbuf_trim_front(m, cut);
			len -= cut;
		}
		seq = c->rcv_nxt;
	}
	if (seq_gt(seq + len, c->rcv_nxt + wnd)) { /* beyond the window */
		uint32_t over = seq + len - (c->rcv_nxt + wnd);
		over = SG_MIN(over, len);
		tcp_mbuf_trim_back(m, over);
		len -= over;
		fin = false;
		tcp_drop(s, SG_TCP_DROP_RCV_WINDOW_FULL);
		c->ack_now = true;
	}
	*mp = m;
	if (len == 0)
		return fin && seq == c->rcv_nxt;
	if (seq != c->rcv_nxt) {
		s->st.ooo_segs++;
		if (fin) {
			c->fin_pending = true;
			c->fin_pending_seq = seq + len;
		}
		tcp_ooo_insert(c, seq, len, m);
		*mp = NULL;
		c->ack_now = true; /* immediate duplicate ACK carrying SACK */
		return false;
	}
	bool had_ooo = c->nooo != 0;
	c->rcv_nxt += len;
	uint32_t total = len;
	bool pulled_fin = false;
	if (had_ooo) {
		uint32_t more;
		struct rte_mbuf *rest = tcp_ooo_pull(c, &more, &pulled_fin);
		if (rest) {
			rte_pktmbuf_lastseg(m)->next = rest;
			m->nb_segs = (uint16_t) (m->nb_segs + rest->nb_segs);
			m->pkt_len += more;
			total += more;
		}
		c->ack_now = true; /* filling a hole: ACK at once (RFC 5681 4.2) */
	}
	s->st.rx_bytes += total;
	c->rcv_backlog += total;
	if (++c->delack_segs >= 2 || c->quickack)
		c->ack_now = true;
	*mp = NULL;
	tcp_event(c, SG_TCP_EV_READABLE, m, 0);
	return (fin && c->rcv_nxt == seq + len) || pulled_fin;
}

static void fin_input(struct sg_tcp_conn *c, sg_usec_t now)
{
	c->rcv_nxt++;
	c->fin_rcvd = true;
	c->fin_pending = false;
	c->ack_now = true;
	switch (c->state) {
	case SG_TCP_ESTABLISHED:
		tcp_set_state(c, SG_TCP_CLOSE_WAIT);
		tcp_event(c, SG_TCP_EV_PEER_CLOSED, NULL, 0);
		break;
	case SG_TCP_FIN_WAIT_1:
		if (c->fin_sent && c->snd_una == c->fin_seq + 1) {
			to_time_wait(c, now);
		} else {
			tcp_set_state(c, SG_TCP_CLOSING);
			tcp_event(c, SG_TCP_EV_PEER_CLOSED, NULL, 0);
		}
		break;
	case SG_TCP_FIN_WAIT_2:
		tcp_event(c, SG_TCP_EV_PEER_CLOSED, NULL, 0);
		if (!c->dead)
			to_time_wait(c, now);
		break;
	default:
		break;
	}
}

static void ack_new(struct sg_tcp_conn *c, struct tcp_seg *g, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	uint32_t acked = g->ack - c->snd_una;
	uint32_t data_acked = SG_MIN(acked, c->sq_bytes);
	if (c->ts_ok && g->o.ts_ok && g->o.tsecr) {
		/* After a timeout the peer may echo the TSval of a segment sent
		 * long ago (its ACK was lost and our retransmission was a
		 * duplicate it does not take TS.Recent from): Karn's rule, TS
		 * flavour. */
		if (c->retries == 0 && !c->rto_recovery)
			tcp_rtt_sample(c, (sg_usec_t) (tcp_ts_now(now) - g->o.tsecr) * 1000);
	} else if (c->rtt_start && seq_ge(g->ack, c->rtt_seq)) {
		tcp_rtt_sample(c, now - c->rtt_start);
		c->rtt_start = 0;
	}
	tcp_sq_free_acked(c, data_acked);
	c->snd_una = g->ack;
	c->una_time = now;
	c->tlp_out = false;
	if (seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->retries = 0;
	tcp_sack_trim(c);
	if (seq_lt(c->high_rxt, c->snd_una))
		c->high_rxt = c->snd_una;
	if (c->in_recovery) {
		if (seq_ge(g->ack, c->recover)) {
			uint32_t flight = c->snd_max - c->snd_una;
			c->cwnd = c->sack_ok ? c->ssthresh : SG_MIN(c->ssthresh, flight + c->mss);
			if (c->cwnd < c->mss)
				c->cwnd = c->mss;
			c->in_recovery = false;
		} else if (!c->sack_ok) { /* NewReno partial ACK (RFC 6582) */
			tcp_send_seg(c, c->snd_una, SG_MIN((uint32_t) c->mss, c->sq_bytes), TCP_ACK,
				     now);
			s->st.retrans_segs++;
			c->retrans++;
			c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
			c->cwnd += c->mss;
		}
	} else {
		if (c->rto_recovery && seq_ge(g->ack, c->recover))
			c->rto_recovery = false;
		s->cc->on_ack(c, data_acked, now);
	}
	c->dupacks = 0;
	if (c->snd_una == c->snd_max)
		tcp_timer_clear(c, TT_RTO);
	else
		tcp_rto_arm(c, now);
}

static void enter_recovery(struct sg_tcp_conn *c, sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	s->cc->on_loss(c, now);
	c->in_recovery = true;
	c->recover = c->snd_max;
	c->high_rxt = c->snd_una;
	c->rxt_round = now;
	c->rtt_start = 0;
	s->st.fast_retrans++;
	if (c->sack_ok)
		s->st.sack_recoveries++;
	/* Retransmit the first unacknowledged segment at once. */
	int n = tcp_send_seg(
	    c, c->snd_una, SG_MIN((uint32_t) c->mss, c->sq_bytes ? c->sq_bytes : 0), TCP_ACK, now);
	if (n > 0) {
		c->high_rxt = c->snd_una + (uint32_t) n;
		s->st.retrans_segs++;
		c->retrans++;
	}
	c->cwnd = c->sack_ok ? c->ssthresh : c->ssthresh + 3u * c->mss;
	tcp_rto_arm(c, now);
}

static void conn_input(struct sg_tcp_conn *c, struct tcp_seg *g, struct rte_mbuf **mp,
		       sg_usec_t now)
{
	struct sg_tcp_stack *s = c->s;
	if (c->state == SG_TCP_SYN_SENT) {
		syn_sent_input(c, g, now);
		return;
	}
	/* PAWS (RFC 7323 5.3). */
	if (c->ts_ok && g->o.ts_ok && !(g->flags & TCP_RST) &&
	    (int32_t) (g->o.tsval - c->ts_recent) < 0 &&
	    now - c->ts_recent_age < 24ULL * 86400 * SG_USEC_PER_SEC) {
		tcp_drop(s, SG_TCP_DROP_PAWS);
		c->ack_now = true;
		tcp_output(c, now);
		return;
	}
	uint32_t wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	uint32_t slen = g->len + !!(g->flags & TCP_FIN);
	bool ok;
	if (c->state == SG_TCP_SYN_RCVD && (g->flags & TCP_SYN) && !(g->flags & TCP_ACK) &&
	    g->seq == c->irs) {
		/* Retransmitted SYN: our SYN-ACK was lost. */
		tcp_send_ctl(c, TCP_SYN | TCP_ACK, c->iss, now);
		tcp_drop(s, SG_TCP_DROP_DUPLICATE);
		return;
	}
	if (slen == 0)
		ok = wnd == 0 ? g->seq == c->rcv_nxt
			      : seq_ge(g->seq, c->rcv_nxt) && seq_lt(g->seq, c->rcv_nxt + wnd);
	else
		ok =
		    wnd != 0 && ((seq_ge(g->seq, c->rcv_nxt) && seq_lt(g->seq, c->rcv_nxt + wnd)) ||
				 (seq_ge(g->seq + slen - 1, c->rcv_nxt) &&
				  seq_lt(g->seq + slen - 1, c->rcv_nxt + wnd)));
	if (!ok && slen && wnd == 0 && g->seq == c->rcv_nxt)
		ok = true; /* zero window: still process ACK/RST/FIN, data is trimmed below */
	if (!ok) {
		if (g->flags & TCP_RST) {
			tcp_drop(s, SG_TCP_DROP_RST_OUT_OF_WINDOW);
			return;
		}
		if (seq_le(g->seq + slen, c->rcv_nxt)) { /* old duplicate: re-ACK */
			tcp_drop(s, SG_TCP_DROP_DUPLICATE);
			c->ack_now = true;
			tcp_output(c, now);
		} else { /* beyond the window: answered, but rate limited */
			tcp_drop(s, SG_TCP_DROP_OUT_OF_WINDOW);
			challenge_ack(c, now);
		}
		return;
	}
	c->keep_last = now;
	c->kprobes = 0;
	if (c->state == SG_TCP_FIN_WAIT_2) /* idle lifetime, not absolute */
		tcp_timer_set(c, TT_LIFE, now + s->cfg.fin_timeout);
	if (c->ts_ok && g->o.ts_ok && seq_le(g->seq, c->rcv_nxt)) {
		c->ts_recent = g->o.tsval;
		c->ts_recent_age = now;
	}
	if (g->flags & TCP_RST) {
		if (g->seq == c->rcv_nxt) {
			s->st.resets_rx++;
			tcp_conn_done(c, ECONNRESET);
		} else {
			tcp_drop(s, SG_TCP_DROP_RST_CHALLENGE);
			challenge_ack(c, now);
		}
		return;
	}
	if (g->flags & TCP_SYN) {
		tcp_drop(s, SG_TCP_DROP_SYN_CHALLENGE);
		challenge_ack(c, now);
		return;
	}
	if (!(g->flags & TCP_ACK)) {
		tcp_drop(s, SG_TCP_DROP_NO_ACK);
		return;
	}
	if (c->state == SG_TCP_SYN_RCVD) {
		if (g->ack != c->iss + 1) {
			tcp_drop(s, SG_TCP_DROP_ACK_UNSENT);
			tcp_reply_rst(s, g);
			return;
		}
		c->snd_una = g->ack;
		c->snd_wnd = g->wnd << c->snd_wscale;
		c->max_sndwnd = c->snd_wnd;
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		if (c->rtt_start && c->retries == 0)
			tcp_rtt_sample(c, now - c->rtt_start);
		c->rtt_start = 0;
		tcp_timer_clear(c, TT_RTO);
		tcp_enter_established(c, now);
		if (c->dead)
			return;
	}
	/* RFC 5961 5.2: ACK acceptability. */
	if (seq_gt(g->ack, c->snd_max)) {
		tcp_drop(s, SG_TCP_DROP_ACK_UNSENT);
		challenge_ack(c, now);
		return;
	}
	if (seq_lt(g->ack, c->snd_una - SG_MAX(c->max_sndwnd, 65535u))) {
		tcp_drop(s, SG_TCP_DROP_ACK_OLD);
		challenge_ack(c, now);
		return;
	}
	uint32_t sacked_before = c->sacked_bytes;
	if (c->sack_ok && g->o.nsack) {
		tcp_sack_update(c, &g->o);
		/* Lost retransmissions (a light form of RACK): SACKs keep coming
		 * more than an RTT after a retransmission round started, so holes
		 * below HighRxt are considered lost again. */
		if (c->in_recovery &&
		    now - c->rxt_round > c->srtt + c->srtt / 4 + 2 * SG_TCP_TICK_USEC) {
			c->high_rxt = c->snd_una;
			c->rxt_round = now;
		}
	}
	uint32_t swnd = g->wnd << c->snd_wscale;
	if (seq_gt(g->ack, c->snd_una)) {
		ack_new(c, g, now);
	} else if (g->ack == c->snd_una && c->snd_una != c->snd_max &&
		   ((g->len == 0 && !(g->flags & TCP_FIN) && swnd == c->snd_wnd) ||
		    c->sacked_bytes > sacked_before)) {
		/* Duplicate ACK (RFC 5681), or an ACK that SACKs new data even
		 * if it carries payload or a new window (RFC 6675). */
		c->dupacks++;
		s->st.dup_acks++;
		/* Time-based loss detection (after RFC 8985): later data was
		 * SACKed and snd_una has not moved for SRTT + SRTT/4. */
		bool rack = c->sack_ok && c->sacked_bytes > sacked_before && c->srtt &&
			    now - c->una_time > c->srtt + c->srtt / 4;
		if (!c->in_recovery && seq_gt(c->snd_una, c->recover - 1) &&
		    (c->dupacks == TCP_DUPTHRESH || rack ||
		     (c->sack_ok && tcp_sack_is_lost(c, c->snd_una))))
			enter_recovery(c, now);
		else if (c->in_recovery && !c->sack_ok)
			c->cwnd += c->mss;
	}
	if (seq_lt(c->snd_wl1, g->seq) || (c->snd_wl1 == g->seq && seq_le(c->snd_wl2, g->ack))) {
		c->snd_wnd = swnd;
		c->max_sndwnd = SG_MAX(c->max_sndwnd, swnd);
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		if (swnd)
			tcp_timer_clear(c, TT_PERSIST);
	}
	bool fin_acked = c->fin_sent && seq_ge(c->snd_una, c->fin_seq + 1);
	switch (c->state) {
	case SG_TCP_FIN_WAIT_1:
		if (fin_acked) {
			tcp_set_state(c, SG_TCP_FIN_WAIT_2);
			tcp_timer_set(c, TT_LIFE, now + s->cfg.fin_timeout);
		}
		break;
	case SG_TCP_CLOSING:
		if (fin_acked) {
			to_time_wait(c, now);
			return;
		}
		break;
	case SG_TCP_LAST_ACK:
		if (fin_acked) {
			tcp_conn_done(c, 0);
			return;
		}
		break;
	default:
		break;
	}
	if (c->notify_writable && c->sq_bytes < s->cfg.snd_buf / 2 && !c->fin_queued) {
		c->notify_writable = false;
		tcp_event(c, SG_TCP_EV_WRITABLE, NULL, 0);
		if (c->dead)
			return;
	}
	/* Payload and FIN. */
	if (g->len || (g->flags & TCP_FIN)) {
		bool rx_ok = c->state == SG_TCP_ESTABLISHED || c->state == SG_TCP_FIN_WAIT_1 ||
			     c->state == SG_TCP_FIN_WAIT_2;
		if (!rx_ok || c->fin_rcvd) {
			if (g->len)
				tcp_drop(s, SG_TCP_DROP_DATA_AFTER_FIN);
			c->ack_now = true;
		} else {
			bool fin = data_input(c, g, mp, wnd);
			if (c->dead)
				return;
			if (fin) {
				fin_input(c, now);
				if (c->dead)
					return;
			}
		}
	}
	tcp_output(c, now);
	if (c->dead)
		return;
	if (c->delack_segs && !c->ack_now && !c->tmr[TT_DELACK])
		tcp_timer_set(c, TT_DELACK, now + s->cfg.delack);
}

/* ---- demultiplexing ----------------------------------------------------- */

static bool listening(const struct sg_tcp_stack *s, uint16_t port)
{
	return s->listen_bits[port / 64] & (1ULL << (port % 64));
}

static void listen_syn(struct sg_tcp_stack *s, struct tcp_seg *g, sg_usec_t now)
{
	if (s->half_open >= s->cfg.syncookie_threshold || s->half_open >= s->cfg.max_half_open) {
		tcp_send_synack_cookie(s, g, now);
		return;
	}
	struct sg_tcp_conn *c = tcp_conn_alloc(s, &g->t);
	if (!c)
		return; /* counted as CONN_LIMIT */
	tcp_conn_init(c, true, now);
	c->irs = g->seq;
	c->rcv_nxt = g->seq + 1;
	negotiate(c, g);
	c->snd_wnd = g->wnd;
	tcp_set_state(c, SG_TCP_SYN_RCVD);
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_start = now;
	tcp_send_ctl(c, TCP_SYN | TCP_ACK, c->iss, now);
	tcp_rto_arm(c, now);
}

/* Third segment of a cookie handshake: rebuild the connection. */
static struct sg_tcp_conn *cookie_ack(struct sg_tcp_stack *s, struct tcp_seg *g, sg_usec_t now)
{
	uint16_t mss;
	if (tcp_cookie_check(s, g, &mss, now) < 0) {
		tcp_drop(s, SG_TCP_DROP_BAD_COOKIE);
		/* While cookies are in use, a segment that overtook the first
		 * one after the handshake (or followed a lost ACK) must not reset
		 * the peer: it retransmits from its ISN+1 and gets in then. A
		 * stray ACK long after cookies were used still gets a RST. */
		if (!s->last_cookie || now - s->last_cookie > 128 * SG_USEC_PER_SEC)
			tcp_reply_rst(s, g);
		return NULL;
	}
	struct sg_tcp_conn *c = tcp_conn_alloc(s, &g->t);
	if (!c)
		return NULL;
	tcp_conn_init(c, true, now);
	struct tcp_seg syn = *g;
	syn.o.mss_ok = true;
	syn.o.mss = mss;
	syn.o.ws_ok = false;
	syn.o.sack_perm = false;
	if (g->o.ts_ok) {
		uint32_t enc = g->o.tsecr & 0x1f;
		syn.o.ws_ok = (enc & 0xf) != 0xf;
		syn.o.wscale = (uint8_t) (enc & 0xf);
		syn.o.sack_perm = enc & 0x10;
	}
	negotiate(c, &syn);
	c->iss = g->ack - 1;
	c->recover = c->high_rxt = c->iss;
	c->irs = g->seq - 1;
	c->rcv_nxt = g->seq;
	c->snd_una = c->iss + 1;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rcv_adv = c->rcv_nxt + SG_MIN(s->cfg.rcv_buf, 65535u);
	c->state = SG_TCP_SYN_RCVD;
	s->half_open++;
	s->st.syncookies_ok++;
	return c;
}

static void tw_input(struct sg_tcp_stack *s, uint32_t idx, struct tcp_seg *g, struct rte_mbuf **mp,
		     sg_usec_t now)
{
	struct tcp_tw *w = &s->tw[idx];
	if (g->flags & TCP_RST) { /* RFC 1337: do not let RST cut TIME_WAIT short */
		tcp_drop(s, SG_TCP_DROP_TIME_WAIT);
		return;
	}
	if ((g->flags & TCP_SYN) && !(g->flags & TCP_ACK) && listening(s, g->t.lport) &&
	    (seq_gt(g->seq, w->rcv_nxt) ||
	     (w->ts_ok && g->o.ts_ok && (int32_t) (g->o.tsval - w->ts_recent) > 0))) {
		tcp_tw_remove(s, idx);
		s->st.time_wait_reused++;
		listen_syn(s, g, now);
		return;
	}
	(void) mp;
	tcp_drop(s, SG_TCP_DROP_TIME_WAIT);
	/* Only a retransmitted FIN (our last ACK was lost), data or a SYN get
	 * an ACK. A pure ACK is not answered: two TIME_WAIT ends (simultaneous
	 * close) would otherwise ACK each other forever. */
	if ((g->flags & (TCP_FIN | TCP_SYN)) || g->len)
		tcp_tw_ack(s, w, now);
}

static void segment_input(struct sg_tcp_stack *s, struct tcp_seg *g, struct rte_mbuf **mp,
			  sg_usec_t now)
{
	uint32_t h = tcp_tuple_hash(s, &g->t);
	uint32_t v = tcp_ht_lookup(s, &g->t, h);
	if (v != UINT32_MAX) {
		if (v & HT_TW_BIT)
			tw_input(s, v & ~HT_TW_BIT, g, mp, now);
		else
			conn_input(&s->conns[v], g, mp, now);
		return;
	}
	if (!listening(s, g->t.lport)) {
		tcp_drop(s, SG_TCP_DROP_NO_LISTENER);
		tcp_reply_rst(s, g);
		return;
	}
	if ((g->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
		listen_syn(s, g, now); /* data on a SYN is ignored: the peer resends it */
		return;
	}
	if ((g->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK) {
		struct sg_tcp_conn *c = cookie_ack(s, g, now);
		if (c)
			conn_input(c, g, mp, now);
		return;
	}
	tcp_drop(s, SG_TCP_DROP_STATE);
	tcp_reply_rst(s, g);
}

void sg_tcp_input(struct sg_tcp_stack *s, struct rte_mbuf **pkts, uint16_t n, sg_usec_t now)
{
	tcp_enter(s, now);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct tcp_seg g;
		s->st.rx_segs++;
		enum sg_tcp_drop r = parse(&m, &g);
		if (r != SG_TCP_DROP_NONE) {
			tcp_drop(s, r);
			rte_pktmbuf_free(m);
			continue;
		}
		segment_input(s, &g, &m, now);
		if (m)
			rte_pktmbuf_free(m);
	}
	tcp_leave(s);
}
