/* SPDX-License-Identifier: BSD-3-Clause */
/* Private definitions of lib/tcp: wire format, connection record, helpers. */
#ifndef SG_TCP_PRIV_H
#define SG_TCP_PRIV_H

#include <assert.h>
#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sg_tcp.h"

/* ---- wire format -------------------------------------------------------- */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

#define TCPOPT_EOL	 0
#define TCPOPT_NOP	 1
#define TCPOPT_MSS	 2
#define TCPOPT_WSCALE	 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK	 5
#define TCPOPT_TS	 8

#define TCP_HDR_LEN	    20
#define TCP_MAX_HDR_LEN	    60
#define TCP_MAX_WSCALE	    14
#define TCP_MIN_MSS	    216 /* below this an advertised MSS is raised (RFC 9293: 536, be lenient) */
#define TCP_DEFAULT_MSS	    536
#define TCP_MAX_SACK_BLOCKS 4
#define IPV4_HDR_LEN	    20
#define IPV6_HDR_LEN	    40
#define TCP_DUPTHRESH	    3
#define TCP_OOO_MAX	    32 /* out-of-order ranges per connection */
#define TCP_SACKED_MAX	    32 /* SACK scoreboard ranges per connection */
#define TCP_TX_BURST	    64

struct tcp_hdr_wire {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t doff; /* data offset in high nibble */
	uint8_t flags;
	uint16_t win;
	uint16_t cksum;
	uint16_t urp;
} SG_PACKED;
static_assert(sizeof(struct tcp_hdr_wire) == TCP_HDR_LEN, "tcp header size");

/* ---- sequence arithmetic ------------------------------------------------ */

static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t) (a - b) < 0;
}
static inline bool seq_le(uint32_t a, uint32_t b)
{
	return (int32_t) (a - b) <= 0;
}
static inline bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t) (a - b) > 0;
}
static inline bool seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t) (a - b) >= 0;
}
static inline uint32_t seq_max(uint32_t a, uint32_t b)
{
	return seq_gt(a, b) ? a : b;
}
static inline uint32_t seq_min(uint32_t a, uint32_t b)
{
	return seq_lt(a, b) ? a : b;
}

/* ---- parsed segment ----------------------------------------------------- */

struct tcp_opts {
	uint16_t mss;
	uint8_t wscale;
	bool mss_ok, ws_ok, sack_perm, ts_ok;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	uint32_t sack[TCP_MAX_SACK_BLOCKS][2];
};

struct tcp_seg {
	struct sg_tcp_tuple t; /* local = destination of the packet */
	uint32_t seq, ack;
	uint32_t wnd; /* raw, unscaled */
	uint8_t flags;
	uint32_t len;  /* payload bytes */
	uint32_t hlen; /* L3+L4 header bytes from the L3 start */
	uint8_t tclass;
	struct tcp_opts o;
};

/* Parse the option bytes of a TCP header. 0 or -EINVAL. */
int tcp_opts_parse(const uint8_t *p, uint32_t len, struct tcp_opts *o);

/* ---- timers ------------------------------------------------------------- */

#define TW_LEVELS 3
#define TW_SLOTS  256
#define TW_NONE	  UINT32_MAX

struct tcp_wheel {
	uint64_t cur; /* last tick processed */
	uint32_t count;
	uint32_t slot[TW_LEVELS][TW_SLOTS]; /* head conn index or TW_NONE */
};

/* ---- congestion control ------------------------------------------------- */

struct tcp_cc_ops {
	const char *name;
	void (*init)(struct sg_tcp_conn *c);
	/* New data acknowledged outside recovery. */
	void (*on_ack)(struct sg_tcp_conn *c, uint32_t acked, sg_usec_t now);
	/* Loss detected by dup ACKs / SACK: set ssthresh (cwnd set by caller). */
	void (*on_loss)(struct sg_tcp_conn *c, sg_usec_t now);
	/* Retransmission timeout. */
	void (*on_rto)(struct sg_tcp_conn *c, sg_usec_t now);
};

extern const struct tcp_cc_ops tcp_cc_newreno;
extern const struct tcp_cc_ops tcp_cc_cubic;

struct tcp_cubic {
	uint32_t w_max; /* bytes */
	uint32_t w_last_max;
	sg_usec_t epoch; /* 0: no epoch */
	double k;	 /* seconds */
	uint32_t origin; /* bytes */
	uint32_t w_est;	 /* Reno-friendly estimate, bytes */
};

/* ---- connection --------------------------------------------------------- */

struct tcp_ooo {
	uint32_t seq, len;
	struct rte_mbuf *head, *tail;
};

enum tcp_timer_id { TT_RTO, TT_DELACK, TT_PERSIST, TT_KEEP, TT_LIFE, TT_TLP, TT_COUNT };

struct sg_tcp_conn {
	struct sg_tcp_tuple t;
	struct sg_tcp_stack *s;
	void *udata;
	uint32_t idx;
	uint8_t state;
	bool passive, in_use, reported; /* reported: ACCEPTED/CONNECTED delivered */
	bool sack_ok, ts_ok, ws_ok;
	uint8_t snd_wscale, rcv_wscale;
	bool fin_queued, fin_sent, fin_rcvd, closed_by_user, notify_writable;
	bool ack_now, in_recovery, rto_recovery, dead;
	bool tlp_out;	    /* a tail loss probe is out for this flight */
	sg_usec_t una_time; /* when snd_una last advanced (or a flight began) */
	uint8_t quickack, delack_segs;
	uint16_t mss;	   /* send MSS: payload bytes with the usual options */
	uint16_t peer_mss; /* MSS the peer advertised (payload+options limit) */
	int err;

	/* send */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t cwnd, ssthresh, recover, high_rxt, dupacks;
	uint32_t fin_seq;
	struct rte_mbuf *sq_head, *sq_tail; /* chain of queued segments */
	uint32_t sq_off;		    /* bytes of sq_head already acked */
	uint32_t sq_bytes;		    /* bytes queued from snd_una (FIN excluded) */
	struct rte_mbuf *cur_m;		    /* cursor: segment holding byte cur_seq */
	uint32_t cur_off, cur_seq;
	uint32_t nsacked, sacked_bytes;
	uint32_t sacked[TCP_SACKED_MAX][2];
	uint32_t retries;
	uint32_t probes;  /* zero window probes since the window closed */
	uint32_t kprobes; /* keepalive probes unanswered */
	uint32_t max_sndwnd;
	sg_usec_t rxt_round; /* start of the current SACK retransmission round */

	/* RTT (RFC 6298) */
	sg_usec_t srtt, rttvar, rto;
	uint32_t rtt_seq;
	sg_usec_t rtt_start; /* 0: not timing */

	/* receive */
	uint32_t irs, rcv_nxt, rcv_adv, rcv_backlog, ooo_bytes;
	uint32_t ts_recent;
	sg_usec_t ts_recent_age;
	uint8_t nooo;
	bool fin_pending; /* FIN seen beyond a hole */
	uint32_t fin_pending_seq, last_ooo_seq;
	struct tcp_ooo ooo[TCP_OOO_MAX];

	/* congestion control private state */
	struct tcp_cubic cubic;

	/* timers */
	sg_usec_t tmr[TT_COUNT]; /* 0: not armed */
	sg_usec_t keep_last;	 /* last segment received */
	uint64_t wheel_tick;	 /* tick the wheel node is filed under */
	uint32_t wnext, wprev;	 /* wheel list (conn indices) */
	uint8_t wlevel;
	uint16_t wslot;
	bool wqueued;

	uint64_t retrans;
	uint32_t free_next;
};

/* ---- compact TIME_WAIT entry -------------------------------------------- */

struct tcp_tw {
	struct sg_tcp_tuple t;
	uint32_t snd_nxt, rcv_nxt, ts_recent;
	sg_usec_t expire;
	bool live, ts_ok;
};

/* ---- instance ----------------------------------------------------------- */

#define HT_TW_BIT 0x80000000u

struct tcp_ht_ent {
	uint32_t hash;
	uint32_t val; /* conn index, or TW index | HT_TW_BIT; UINT32_MAX empty */
};

struct sg_tcp_stack {
	struct sg_tcp_config cfg;
	const struct tcp_cc_ops *cc;
	struct sg_tcp_conn *conns;
	uint32_t free_head, nconns, half_open;
	struct tcp_tw *tw;
	uint32_t tw_head, tw_count; /* FIFO: oldest at tw_head */
	struct tcp_ht_ent *ht;
	uint32_t ht_mask;
	uint64_t listen_bits[65536 / 64];
	uint32_t nlisten;
	uint16_t next_eport;
	struct tcp_wheel wheel;
	uint8_t k_isn[16], k_cookie[16], k_hash[16];
	sg_usec_t now;
	uint32_t chal_count;
	sg_usec_t last_cookie; /* when the last cookie SYN-ACK went out (0: never) */
	sg_usec_t chal_epoch;
	uint32_t depth;	    /* nesting of public entry points */
	uint32_t reap_head; /* dead conns to free on exit */
	uint16_t ntx;
	struct rte_mbuf *tx[TCP_TX_BURST];
	struct sg_tcp_stats st;
};

/* ---- helpers shared across files ---------------------------------------- */

static inline void tcp_drop(struct sg_tcp_stack *s, enum sg_tcp_drop r)
{
	s->st.drops[r]++;
}

static inline uint32_t tcp_ts_now(sg_usec_t now)
{
	return (uint32_t) (now / 1000); /* 1 ms timestamp clock */
}

/* siphash-2-4 with a 128-bit key. */
uint64_t tcp_siphash(const uint8_t key[16], const void *data, size_t len);

uint32_t tcp_isn(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, sg_usec_t now);
uint32_t tcp_cookie_make(struct sg_tcp_stack *s, const struct tcp_seg *g, uint16_t *mss,
			 sg_usec_t now);
/* 0 and the MSS encoded, or -EINVAL. */
int tcp_cookie_check(struct sg_tcp_stack *s, const struct tcp_seg *g, uint16_t *mss, sg_usec_t now);
uint32_t tcp_cookie_tsval(const struct tcp_opts *peer, uint8_t our_ws, sg_usec_t now);

/* conn table / pools (tcp_conn_table.c) */
uint32_t tcp_tuple_hash(const struct sg_tcp_stack *s, const struct sg_tcp_tuple *t);
uint32_t tcp_ht_lookup(const struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, uint32_t h);
void tcp_ht_insert(struct sg_tcp_stack *s, uint32_t h, uint32_t val);
void tcp_ht_remove(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, uint32_t h);
struct sg_tcp_conn *tcp_conn_alloc(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t);
void tcp_conn_free(struct sg_tcp_conn *c);
void tcp_conn_reap(struct sg_tcp_stack *s);
void tcp_tw_enter(struct sg_tcp_conn *c, sg_usec_t now);
void tcp_tw_remove(struct sg_tcp_stack *s, uint32_t idx);
void tcp_tw_expire(struct sg_tcp_stack *s, sg_usec_t now);

/* timers (tcp_timer.c) */
void tcp_timer_set(struct sg_tcp_conn *c, enum tcp_timer_id id, sg_usec_t at);
void tcp_timer_clear(struct sg_tcp_conn *c, enum tcp_timer_id id);
void tcp_wheel_remove(struct sg_tcp_conn *c);
void tcp_rto_arm(struct sg_tcp_conn *c, sg_usec_t now);
void tcp_rtt_sample(struct sg_tcp_conn *c, sg_usec_t rtt);

/* output (tcp_output.c) */
void tcp_output(struct sg_tcp_conn *c, sg_usec_t now);
int tcp_send_ctl(struct sg_tcp_conn *c, uint8_t flags, uint32_t seq, sg_usec_t now);
int tcp_send_seg(struct sg_tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags, sg_usec_t now);
void tcp_send_ack(struct sg_tcp_conn *c, sg_usec_t now);
/* One segment of new data within `limit` bytes (ignores cwnd). */
bool tcp_send_new(struct sg_tcp_conn *c, uint32_t limit, sg_usec_t now);
void tcp_reply_rst(struct sg_tcp_stack *s, const struct tcp_seg *g);
int tcp_send_synack_cookie(struct sg_tcp_stack *s, const struct tcp_seg *g, sg_usec_t now);
void tcp_tw_ack(struct sg_tcp_stack *s, const struct tcp_tw *w, sg_usec_t now);
void tcp_tx_flush(struct sg_tcp_stack *s);
uint32_t tcp_rcv_window(const struct sg_tcp_conn *c);
void tcp_sq_free_acked(struct sg_tcp_conn *c, uint32_t acked);
void tcp_sq_purge(struct sg_tcp_conn *c);

/* SACK scoreboard and loss recovery (tcp_sack.c) */
void tcp_sack_update(struct sg_tcp_conn *c, const struct tcp_opts *o);
void tcp_sack_trim(struct sg_tcp_conn *c);
uint32_t tcp_pipe(const struct sg_tcp_conn *c);
/* Next hole to retransmit (RFC 6675 NextSeg rule 1) or false. */
bool tcp_sack_next_hole(struct sg_tcp_conn *c, uint32_t *seq, uint32_t *len);
bool tcp_sack_is_lost(const struct sg_tcp_conn *c, uint32_t seq);

/* receive side (tcp_input.c / tcp_reass.c) */
void tcp_ooo_purge(struct sg_tcp_conn *c);
/* Insert an out-of-order segment (takes m). */
void tcp_ooo_insert(struct sg_tcp_conn *c, uint32_t seq, uint32_t len, struct rte_mbuf *m);
/* Pull what became in-order after rcv_nxt advanced; returns chain or NULL. */
struct rte_mbuf *tcp_ooo_pull(struct sg_tcp_conn *c, uint32_t *len, bool *fin);
int tcp_sack_blocks(const struct sg_tcp_conn *c, uint32_t out[][2], int max);

/* mbuf helpers (tcp_reass.c) */
struct rte_mbuf *tcp_mbuf_trim_front(struct rte_mbuf *m, uint32_t n);
void tcp_mbuf_trim_back(struct rte_mbuf *m, uint32_t n);

/* state changes and events (tcp_stack.c) */
void tcp_event(struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *m, int err);
void tcp_set_state(struct sg_tcp_conn *c, enum sg_tcp_state st);
/* Report RESET (when err != 0 and the consumer knows the conn) and CLOSED,
 * then retire the connection. */
void tcp_conn_done(struct sg_tcp_conn *c, int err);
void tcp_enter_established(struct sg_tcp_conn *c, sg_usec_t now);
void tcp_timer_expire(struct sg_tcp_conn *c, sg_usec_t now);
void tcp_enter(struct sg_tcp_stack *s, sg_usec_t now);
void tcp_leave(struct sg_tcp_stack *s);
void tcp_cc_init(struct sg_tcp_conn *c);
void tcp_conn_init(struct sg_tcp_conn *c, bool passive, sg_usec_t now);

#endif /* SG_TCP_PRIV_H */
