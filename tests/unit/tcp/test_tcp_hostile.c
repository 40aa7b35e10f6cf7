/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp against a hand-driven peer: hostile and malformed segments,
 * RFC 5961 challenge ACKs, PAWS, overlapping retransmissions, FIN and RST in
 * every state, zero window probes, limits, SYN cookies, TIME_WAIT, timers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_harness.h"

static int setup(void **state)
{
	struct harness *h = calloc(1, sizeof(*h));
	if (!h)
		return -1;
	h_init(h);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct harness *h = *state;
	h_fini(h);
	free(h);
	return 0;
}

static void pattern(uint8_t *p, uint32_t off, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		p[i] = (uint8_t) ((off + i) * 7 + 3);
}

static struct rte_mbuf *mk_data(struct harness *h, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(h->pool);
	assert_non_null(m);
	pattern(rte_pktmbuf_mtod(m, uint8_t *), 0, len);
	m->data_len = (uint16_t) len;
	m->pkt_len = len;
	return m;
}

/* ---- basic life cycle --------------------------------------------------- */

static void test_handshake_data_close(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	assert_non_null(c);
	const struct h_out *sa = &h->out[0];
	assert_true(sa->o.mss_ok && sa->o.mss == 1460);
	assert_true(sa->o.sack_perm && sa->o.ts_ok && sa->o.ws_ok);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_ACCEPTED), 1);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
	uint8_t d[300];
	pattern(d, 0, sizeof(d));
	h_data(h, d, sizeof(d), TCP_PSH);
	assert_int_equal(h->rxlen, 300);
	assert_memory_equal(h->rx, d, 300);
	/* Reply: zero copy from an mbuf. */
	h_clear(h);
	assert_int_equal(sg_tcp_conn_send(c, mk_data(h, 500), h->now), 0);
	const struct h_out *o = h_last(h);
	assert_non_null(o);
	assert_int_equal(o->len, 500);
	assert_int_equal(o->seq, h->pack);
	assert_int_equal(o->ack, h->pseq);
	uint8_t want[500];
	pattern(want, 0, 500);
	assert_memory_equal(o->data, want, 500);
	h->pack += 500;
	h_flag(h, TCP_ACK, h->pseq, h->pack);
	/* Peer closes. */
	h_clear(h);
	h_data(h, NULL, 0, TCP_FIN);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_PEER_CLOSED), 1);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_CLOSE_WAIT);
	assert_int_equal(h_last(h)->ack, h->pseq);
	/* We close: FIN, peer ACKs it, CLOSED. */
	h_clear(h);
	assert_int_equal(sg_tcp_conn_close(c, h->now), 0);
	assert_true(h_last(h)->flags & TCP_FIN);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_LAST_ACK);
	h_flag(h, TCP_ACK, h->pseq, h->pack + 1);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 0);
	assert_int_equal(H_STAT(h, conns), 0);
}

static void test_ipv6_handshake(void **state)
{
	struct harness *h = *state;
	h->family = 6;
	h_start(h);
	assert_non_null(h_establish(h));
	assert_int_equal(h->out[0].o.mss, 1440);
	uint8_t d[100];
	pattern(d, 0, sizeof(d));
	h_data(h, d, sizeof(d), 0);
	assert_int_equal(h->rxlen, 100);
}

/* ---- malformed segments ------------------------------------------------- */

struct bad_case {
	const char *name;
	struct h_seg g;
	enum sg_tcp_drop want;
};

static void run_bad(struct harness *h, const struct bad_case *bc, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h_clear(h);
		uint64_t before = h_drop(h, bc[i].want);
		struct h_seg g = bc[i].g;
		if (!g.flags)
			g.flags = TCP_SYN;
		if (g.flags == 0xff)
			g.flags = 0;
		g.seq = 5000;
		g.win = 1000;
		h_send(h, &g);
		if (h_drop(h, bc[i].want) != before + 1)
			fail_msg("case %s: drop %s not counted", bc[i].name,
				 sg_tcp_drop_name(bc[i].want));
		if (h->nout)
			fail_msg("case %s: answered", bc[i].name);
		assert_int_equal(H_STAT(h, conns), 0);
	}
}

static const uint8_t opt_mss_short[] = {2, 4, 5, 0};		/* fine length... */
static const uint8_t opt_mss_len3[] = {2, 3, 5, 1};		/* MSS with length 3 */
static const uint8_t opt_zero_len[] = {8, 0, 1, 1};		/* length 0 */
static const uint8_t opt_len1[] = {3, 1, 1, 1};			/* length 1 */
static const uint8_t opt_overlong[] = {8, 40, 0, 0};		/* past the header */
static const uint8_t opt_ws_len4[] = {3, 4, 7, 0};		/* WS length 4 */
static const uint8_t opt_sack_bad[] = {1, 1, 5, 6, 0, 0, 0, 0}; /* SACK of 4 bytes */
static const uint8_t opt_kind_only[] = {1, 1, 1, 2};		/* MSS kind, no length */
static const uint8_t opt_ts_short[] = {8, 6, 0, 0, 0, 0, 1, 1}; /* TS length 6 */

static void test_malformed_v4(void **state)
{
	struct harness *h = *state;
	h_start(h);
	(void) opt_mss_short;
	const struct bad_case bc[] = {
	    {"ip version 5", {.version = 5}, SG_TCP_DROP_L3_VERSION},
	    {"doff 4", {.doff = 4}, SG_TCP_DROP_TCP_BAD_DOFF},
	    {"doff past end", {.doff = 15}, SG_TCP_DROP_TCP_BAD_DOFF},
	    {"ip len too long", {.ip_len_adj = 10}, SG_TCP_DROP_L3_BAD_LEN},
	    {"ip len short of tcp header", {.ip_len_adj = -10}, SG_TCP_DROP_TCP_TRUNCATED},
	    {"ip len below ip header", {.ip_len_adj = -30}, SG_TCP_DROP_L3_BAD_LEN},
	    {"mbuf truncated", {.trunc = 8}, SG_TCP_DROP_L3_BAD_LEN},
	    {"truncated to 12 bytes", {.trunc = 28}, SG_TCP_DROP_L3_TRUNCATED},
	    {"bad checksum", {.bad_cksum = true}, SG_TCP_DROP_TCP_CKSUM},
	    {"udp", {.proto = 17}, SG_TCP_DROP_L3_NOT_TCP},
	    {"fragment MF", {.frag = 0x2000}, SG_TCP_DROP_L3_FRAGMENT},
	    {"fragment offset", {.frag = 0x0010}, SG_TCP_DROP_L3_FRAGMENT},
	    {"SYN+FIN", {.flags = TCP_SYN | TCP_FIN}, SG_TCP_DROP_TCP_BAD_FLAGS},
	    {"SYN+RST", {.flags = TCP_SYN | TCP_RST}, SG_TCP_DROP_TCP_BAD_FLAGS},
	    {"no flags", {.flags = 0xff}, SG_TCP_DROP_TCP_BAD_FLAGS},
	    {"FIN only", {.flags = TCP_FIN}, SG_TCP_DROP_TCP_BAD_FLAGS},
	    {"MSS length 3", {.opts = opt_mss_len3, .optlen = 4}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"option length 0", {.opts = opt_zero_len, .optlen = 4}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"option length 1", {.opts = opt_len1, .optlen = 4}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"option overlong", {.opts = opt_overlong, .optlen = 4}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"WS length 4", {.opts = opt_ws_len4, .optlen = 4}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"SACK 4 bytes", {.opts = opt_sack_bad, .optlen = 8}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"kind without length",
	     {.opts = opt_kind_only, .optlen = 4},
	     SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"TS length 6", {.opts = opt_ts_short, .optlen = 8}, SG_TCP_DROP_TCP_BAD_OPTIONS},
	};
	run_bad(h, bc, SG_ARRAY_SIZE(bc));
	/* Port 0 and a closed port. */
	h_clear(h);
	h->pport = 0;
	h_send(h, &(struct h_seg){.seq = 1, .flags = TCP_SYN});
	assert_int_equal(h_drop(h, SG_TCP_DROP_TCP_BAD_PORT), 1);
	h->pport = 40000;
	h->lport = 444;
	h_send(h, &(struct h_seg){.seq = 1, .flags = TCP_SYN});
	assert_int_equal(h_drop(h, SG_TCP_DROP_NO_LISTENER), 1);
	assert_int_equal(h->nout, 1); /* RST|ACK */
	assert_int_equal(h->out[0].flags, TCP_RST | TCP_ACK);
	assert_int_equal(h->out[0].ack, 2);
}

static void test_malformed_v6(void **state)
{
	struct harness *h = *state;
	h->family = 6;
	h_start(h);
	const struct bad_case bc[] = {
	    {"v6 doff 3", {.doff = 3}, SG_TCP_DROP_TCP_BAD_DOFF},
	    {"v6 payload len long", {.ip_len_adj = 4}, SG_TCP_DROP_L3_BAD_LEN},
	    {"v6 payload len short", {.ip_len_adj = -4}, SG_TCP_DROP_TCP_TRUNCATED},
	    {"v6 extension header", {.proto = 0x2c}, SG_TCP_DROP_L3_NOT_TCP},
	    {"v6 bad checksum", {.bad_cksum = true}, SG_TCP_DROP_TCP_CKSUM},
	    {"v6 option overlong",
	     {.opts = opt_overlong, .optlen = 4},
	     SG_TCP_DROP_TCP_BAD_OPTIONS},
	    {"v6 truncated", {.trunc = 30}, SG_TCP_DROP_L3_TRUNCATED},
	};
	run_bad(h, bc, SG_ARRAY_SIZE(bc));
}

/* ---- RFC 5961 ------------------------------------------------------------ */

static void test_rst_window_checks(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	assert_non_null(c);
	/* Far out of window: silently dropped. */
	h_clear(h);
	h_send(h, &(struct h_seg){.seq = h->pseq + 0x40000000u, .flags = TCP_RST});
	assert_int_equal(h_drop(h, SG_TCP_DROP_RST_OUT_OF_WINDOW), 1);
	assert_int_equal(h->nout, 0);
	/* In window but not exact: challenge ACK, connection stays. */
	h_send(h, &(struct h_seg){.seq = h->pseq + 100, .flags = TCP_RST});
	assert_int_equal(h_drop(h, SG_TCP_DROP_RST_CHALLENGE), 1);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].flags, TCP_ACK);
	assert_int_equal(h->out[0].ack, h->pseq);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
	/* Exact: reset. */
	h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_RST});
	assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 1);
	assert_int_equal(h->ev[0].err, ECONNRESET);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	assert_int_equal(H_STAT(h, conns), 0);
}

static void test_syn_in_window_challenge(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	h_clear(h);
	h_send(h, &(struct h_seg){.seq = h->pseq + 10, .flags = TCP_SYN, .win = 1000});
	assert_int_equal(h_drop(h, SG_TCP_DROP_SYN_CHALLENGE), 1);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].flags, TCP_ACK);
	assert_int_equal(h->out[0].ack, h->pseq);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
	assert_int_equal(h->nev, 0);
}

static void test_ack_of_unsent_data(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	h_clear(h);
	uint8_t d[10] = {0};
	uint32_t save = h->pack;
	h->pack += 100000;
	h_data(h, d, sizeof(d), 0);
	h->pack = save;
	assert_int_equal(h_drop(h, SG_TCP_DROP_ACK_UNSENT), 1);
	assert_int_equal(h->rxlen, 0); /* the segment is dropped whole */
	assert_int_equal(h->nout, 1);  /* challenge ACK */
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
}

static void test_zero_length_floods(void **state)
{
	struct harness *h = *state;
	h->cfg.challenge_ack_limit = 10;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	h_clear(h);
	for (int i = 0; i < 2000; i++) /* in-window pure ACKs: nothing to say */
		h_flag(h, TCP_ACK, h->pseq, h->pack);
	assert_int_equal(h->nout, 0);
	for (int i = 0; i < 2000; i++) /* ahead of the window: rate limited answers */
		h_flag(h, TCP_ACK, h->pseq + 0x10000000u + (uint32_t) i, h->pack);
	assert_int_equal(h->nout, 10);
	assert_true(h_drop(h, SG_TCP_DROP_CHALLENGE_RATE) >= 1990);
	assert_int_equal(h->nev, 0);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
	/* Still works. */
	uint8_t d[10] = {1};
	h_data(h, d, 10, 0);
	assert_int_equal(h->rxlen, 10);
}

/* ---- receive path ------------------------------------------------------- */

static void seg_at(struct harness *h, uint32_t base, uint32_t off, uint32_t len, const uint8_t *all)
{
	uint8_t ts[12];
	h_ts_opt(ts, ++h->ptsval, 0);
	h_send(h, &(struct h_seg){.seq = base + off,
				  .ack = h->pack,
				  .flags = TCP_ACK,
				  .win = 2048,
				  .opts = ts,
				  .optlen = 12,
				  .data = all + off,
				  .len = len});
}

static void test_overlapping_retransmits(void **state)
{
	struct harness *h = *state;
	h_start(h);
	h_establish(h);
	uint8_t all[1000];
	pattern(all, 0, sizeof(all));
	uint32_t b = h->pseq;
	seg_at(h, b, 0, 100, all);
	seg_at(h, b, 50, 100, all);  /* overlaps the delivered head */
	seg_at(h, b, 0, 200, all);   /* covers all of it and more */
	seg_at(h, b, 400, 100, all); /* out of order */
	seg_at(h, b, 350, 200, all); /* overlaps the OOO block on both sides */
	seg_at(h, b, 420, 20, all);  /* inside the OOO block */
	assert_int_equal(h->rxlen, 200);
	h_clear(h);
	seg_at(h, b, 600, 100, all); /* second hole */
	const struct h_out *o = h_last(h);
	assert_non_null(o); /* immediate ACK with SACK blocks */
	assert_int_equal(o->ack, b + 200);
	assert_int_equal(o->o.nsack, 2);
	assert_int_equal(o->o.sack[0][0], b + 600); /* most recent first */
	assert_int_equal(o->o.sack[0][1], b + 700);
	assert_int_equal(o->o.sack[1][0], b + 350);
	assert_int_equal(o->o.sack[1][1], b + 550);
	seg_at(h, b, 150, 250, all); /* fills the first hole */
	seg_at(h, b, 540, 100, all); /* fills the second, overlapping both */
	seg_at(h, b, 0, 700, all);   /* full duplicate */
	assert_int_equal(h->rxlen, 700);
	assert_memory_equal(h->rx, all, 700);
	assert_true(h_drop(h, SG_TCP_DROP_DUPLICATE) >= 2);
}

static void test_paws_old_timestamp(void **state)
{
	struct harness *h = *state;
	h_start(h);
	h_establish(h);
	uint8_t d[10] = {0}, ts[12];
	h_clear(h);
	h_ts_opt(ts, h->ptsval - 100, 0); /* older than TS.Recent */
	h_send(h, &(struct h_seg){.seq = h->pseq,
				  .ack = h->pack,
				  .flags = TCP_ACK,
				  .win = 2048,
				  .opts = ts,
				  .optlen = 12,
				  .data = d,
				  .len = 10});
	assert_int_equal(h_drop(h, SG_TCP_DROP_PAWS), 1);
	assert_int_equal(h->rxlen, 0);
	assert_int_equal(h->nout, 1); /* ACK */
	h_data(h, d, 10, 0);
	assert_int_equal(h->rxlen, 10);
}

static void test_syn_with_data(void **state)
{
	struct harness *h = *state;
	h_start(h);
	uint8_t d[16] = {9};
	h_send(h, &(struct h_seg){
		      .seq = h->pseq, .flags = TCP_SYN, .win = 65535, .data = d, .len = 16});
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].flags, TCP_SYN | TCP_ACK);
	assert_int_equal(h->out[0].ack, h->pseq + 1); /* data not acknowledged */
	h->pack = h->out[0].seq + 1;
	h->pseq++;
	h_send(h, &(struct h_seg){.seq = h->pseq, .ack = h->pack, .flags = TCP_ACK, .win = 65535});
	assert_int_equal(h_count_ev(h, SG_TCP_EV_ACCEPTED), 1);
	assert_int_equal(h->rxlen, 0);
	h_send(h, &(struct h_seg){.seq = h->pseq,
				  .ack = h->pack,
				  .flags = TCP_ACK,
				  .win = 65535,
				  .data = d,
				  .len = 16});
	assert_int_equal(h->rxlen, 16);
}

static void test_receive_window_from_backlog(void **state)
{
	struct harness *h = *state;
	h->cfg.rcv_buf = 8192;
	h->consume = false;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	uint8_t d[1000] = {0};
	for (int i = 0; i < 8; i++)
		h_data(h, d, 1000, 0);
	struct sg_tcp_conn_info ci;
	sg_tcp_conn_info(c, &ci);
	assert_int_equal(ci.rcv_backlog, 8000);
	assert_true(ci.rcv_wnd < 200);
	/* Beyond the advertised window: trimmed. */
	h_data(h, d, 1000, 0);
	assert_true(h_drop(h, SG_TCP_DROP_RCV_WINDOW_FULL) >= 1);
	h_clear(h);
	sg_tcp_conn_recv_consumed(c, h->rxlen, h->now);
	assert_int_equal(h->nout, 1); /* window update */
	assert_true(h->out[0].win << 0 > 0);
}

/* ---- FIN and RST in every state ----------------------------------------- */

static void test_fin_wait_states(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	/* FIN_WAIT_1 -> (peer FIN) CLOSING -> (ACK) TIME_WAIT */
	h_clear(h);
	sg_tcp_conn_close(c, h->now);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_FIN_WAIT_1);
	assert_true(h_last(h)->flags & TCP_FIN);
	h_data(h, NULL, 0, TCP_FIN); /* does not ACK our FIN */
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_CLOSING);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_PEER_CLOSED), 1);
	h_flag(h, TCP_ACK, h->pseq, h->pack + 1);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	assert_int_equal(H_STAT(h, time_wait), 1);
	assert_int_equal(H_STAT(h, conns), 0);
	/* TIME_WAIT: a retransmitted FIN is ACKed, a RST ignored (RFC 1337). */
	h_clear(h);
	h_send(h,
	       &(struct h_seg){.seq = h->pseq - 1, .ack = h->pack + 1, .flags = TCP_FIN | TCP_ACK});
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].ack, h->pseq);
	h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_RST});
	assert_int_equal(H_STAT(h, time_wait), 1);
	/* A pure ACK is not answered (two TIME_WAIT ends would ping-pong). */
	h_send(h, &(struct h_seg){.seq = h->pseq, .ack = h->pack + 1, .flags = TCP_ACK});
	assert_int_equal(h->nout, 1);
	/* Expires after 2MSL. */
	h_advance(h, 61 * SG_USEC_PER_SEC);
	assert_int_equal(H_STAT(h, time_wait), 0);
}

static void test_fin_wait_2_and_reuse(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	sg_tcp_conn_close(c, h->now);
	h_flag(h, TCP_ACK, h->pseq, h->pack + 1);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_FIN_WAIT_2);
	uint8_t d[20] = {5};
	h_data(h, d, 20, 0); /* half-closed: still receives */
	assert_int_equal(h->rxlen, 20);
	h->pack++;
	h_data(h, NULL, 0, TCP_FIN);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	assert_int_equal(H_STAT(h, time_wait), 1);
	/* New SYN with a higher sequence number reuses the TIME_WAIT tuple. */
	h_clear(h);
	h->pseq += 100000;
	assert_non_null(h_establish(h));
	assert_int_equal(H_STAT(h, time_wait_reused), 1);
	assert_int_equal(H_STAT(h, time_wait), 0);
}

static void test_rst_in_states(void **state)
{
	struct harness *h = *state;
	h_start(h);
	/* SYN_RCVD: the half-open connection vanishes without events. */
	h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_SYN, .win = 1000});
	assert_int_equal(H_STAT(h, half_open), 1);
	h_send(h, &(struct h_seg){.seq = h->pseq + 1, .flags = TCP_RST});
	assert_int_equal(H_STAT(h, half_open), 0);
	assert_int_equal(H_STAT(h, conns), 0);
	assert_int_equal(h->nev, 0);
	/* SYN_RCVD: FIN without ACK is dropped. */
	h_clear(h);
	h->pport++;
	h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_SYN, .win = 1000});
	h_send(h, &(struct h_seg){.seq = h->pseq + 1, .flags = TCP_FIN});
	assert_int_equal(h_drop(h, SG_TCP_DROP_TCP_BAD_FLAGS), 1);
	/* Then each synchronized state gets a valid RST. */
	static const int closes[] = {0, 1, 2};
	for (size_t i = 0; i < SG_ARRAY_SIZE(closes); i++) {
		h_clear(h);
		h->pport++;
		struct sg_tcp_conn *c = h_establish(h);
		assert_non_null(c);
		if (closes[i] == 1) { /* FIN_WAIT_1 */
			sg_tcp_conn_close(c, h->now);
			assert_int_equal(sg_tcp_conn_state(c), SG_TCP_FIN_WAIT_1);
		} else if (closes[i] == 2) { /* CLOSE_WAIT then LAST_ACK */
			h_data(h, NULL, 0, TCP_FIN);
			assert_int_equal(sg_tcp_conn_state(c), SG_TCP_CLOSE_WAIT);
			sg_tcp_conn_close(c, h->now);
			assert_int_equal(sg_tcp_conn_state(c), SG_TCP_LAST_ACK);
		}
		h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_RST});
		assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 1);
		assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	}
	assert_int_equal(H_STAT(h, conns), 1); /* only the half-open one is left */
	assert_int_equal(H_STAT(h, half_open), 1);
}

static void test_active_open_refused(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_tuple t = {.family = 4, .lport = 5555, .rport = 40000};
	uint8_t l[4] = {192, 0, 2, 1}, r[4] = {198, 51, 100, 1};
	memcpy(t.laddr, l, 4);
	memcpy(t.raddr, r, 4);
	struct sg_tcp_conn *c = sg_tcp_connect(h->s, &t, NULL, h->now);
	assert_non_null(c);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].flags, TCP_SYN);
	h->lport = 5555;
	/* Wrong ACK: RST back, connection stays. */
	h_send(h, &(struct h_seg){.seq = 1, .ack = h->out[0].seq + 7, .flags = TCP_RST | TCP_ACK});
	assert_int_equal(h->nev, 0);
	h_send(h, &(struct h_seg){.seq = 1, .ack = h->out[0].seq + 1, .flags = TCP_RST | TCP_ACK});
	assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 1);
	assert_int_equal(h->ev[0].err, ECONNREFUSED);
	assert_int_equal(H_STAT(h, conns), 0);
}

/* ---- windows, timers, limits --------------------------------------------- */

static void test_zero_window_probe(void **state)
{
	struct harness *h = *state;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	uint8_t ts[12];
	h_ts_opt(ts, ++h->ptsval, 0);
	h_send(h, &(struct h_seg){.seq = h->pseq,
				  .ack = h->pack,
				  .flags = TCP_ACK,
				  .win = 0,
				  .opts = ts,
				  .optlen = 12});
	h_clear(h);
	assert_int_equal(sg_tcp_conn_send(c, mk_data(h, 1000), h->now), 0);
	assert_int_equal(h->nout, 0);
	h_advance(h, 3 * SG_USEC_PER_SEC);
	assert_true(H_STAT(h, zero_window_probes) >= 1);
	assert_true(h->nout >= 1);
	assert_int_equal(h->out[0].len, 0);
	assert_int_equal(h->out[0].seq, h->pack - 1);
	/* Window opens: data flows. */
	h_clear(h);
	h_flag(h, TCP_ACK, h->pseq, h->pack);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].len, 1000);
	assert_int_equal(sg_tcp_conn_state(c), SG_TCP_ESTABLISHED);
}

static void test_rto_backoff_and_timeout(void **state)
{
	struct harness *h = *state;
	h->cfg.max_retries = 4;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	h_clear(h);
	assert_int_equal(sg_tcp_conn_send(c, mk_data(h, 100), h->now), 0);
	sg_usec_t t0 = h->now, last = t0, prev_gap = 0;
	unsigned seen = 1;
	for (int i = 0; i < 200 && h->nev == 0; i++) {
		h_advance(h, 100 * SG_USEC_PER_MSEC);
		if (h->nout > seen) {
			sg_usec_t gap = h->now - last;
			assert_true(gap >= prev_gap); /* exponential backoff */
			prev_gap = gap;
			last = h->now;
			seen = h->nout;
			assert_int_equal(h_last(h)->seq, h->pack); /* same segment */
		}
	}
	assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 1);
	assert_int_equal(h->ev[0].err, ETIMEDOUT);
	assert_int_equal(h->nout, 6); /* original, a tail loss probe, 4 retransmissions */
	assert_int_equal(H_STAT(h, tail_loss_probes), 1);
}

static void test_keepalive_timeout(void **state)
{
	struct harness *h = *state;
	h->cfg.keepalive_idle = 7200 * SG_USEC_PER_SEC;
	h->cfg.keepalive_intvl = 75 * SG_USEC_PER_SEC;
	h->cfg.keepalive_probes = 3;
	h_start(h);
	h_establish(h);
	h_clear(h);
	h_advance(h, 7199 * SG_USEC_PER_SEC);
	assert_int_equal(h->nout, 0);
	h_advance(h, 2 * SG_USEC_PER_SEC);
	assert_int_equal(h->nout, 1); /* first probe after two hours */
	assert_int_equal(h->out[0].seq, h->pack - 1);
	h_advance(h, 4 * 75 * SG_USEC_PER_SEC);
	assert_int_equal(H_STAT(h, keepalive_probes), 3);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_RESET), 1);
	assert_int_equal(h->ev[0].err, ETIMEDOUT);
}

static void test_connection_limit(void **state)
{
	struct harness *h = *state;
	h->cfg.max_conns = 4;
	h->cfg.max_half_open = 64;
	h->cfg.syncookie_threshold = 64;
	h_start(h);
	for (int i = 0; i < 6; i++) {
		h->pport = (uint16_t) (41000 + i);
		h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_SYN, .win = 1000});
	}
	assert_int_equal(h->nout, 4);
	assert_int_equal(h_drop(h, SG_TCP_DROP_CONN_LIMIT), 2);
	assert_int_equal(H_STAT(h, half_open), 4);
	/* The handshake times out and frees the slots. */
	h_advance(h, 120 * SG_USEC_PER_SEC);
	assert_int_equal(H_STAT(h, conns), 0);
	assert_int_equal(H_STAT(h, half_open), 0);
}

static void test_syn_cookies(void **state)
{
	struct harness *h = *state;
	h->cfg.max_half_open = 2;
	h->cfg.syncookie_threshold = 2;
	h_start(h);
	for (int i = 0; i < 2; i++) {
		h->pport = (uint16_t) (42000 + i);
		h_send(h, &(struct h_seg){.seq = h->pseq, .flags = TCP_SYN, .win = 1000});
	}
	assert_int_equal(H_STAT(h, half_open), 2);
	/* Under pressure: stateless SYN-ACK, then the ACK builds the connection
	 * with the options the cookie carried (WS and SACK through TS). */
	h_clear(h);
	h->pport = 43000;
	struct sg_tcp_conn *c = h_establish(h);
	assert_non_null(c);
	assert_int_equal(H_STAT(h, syncookies_sent), 1);
	assert_int_equal(H_STAT(h, syncookies_ok), 1);
	assert_int_equal(H_STAT(h, half_open), 2);
	struct sg_tcp_conn_info ci;
	sg_tcp_conn_info(c, &ci);
	assert_true(ci.sack && ci.timestamps);
	assert_int_equal(ci.snd_wscale, 7);
	uint8_t d[50];
	pattern(d, 0, 50);
	h_data(h, d, 50, 0);
	assert_int_equal(h->rxlen, 50);
	/* A forged cookie ACK while cookies are in use: counted, silently
	 * dropped (a reordered segment of a real client must not reset it). */
	h_clear(h);
	h->pport = 43001;
	h_send(h, &(struct h_seg){.seq = 77, .ack = 12345, .flags = TCP_ACK, .win = 1000});
	assert_int_equal(h_drop(h, SG_TCP_DROP_BAD_COOKIE), 1);
	assert_int_equal(h->nout, 0);
	/* Long after the last cookie: a stray ACK gets a RST. */
	h_advance(h, 130 * SG_USEC_PER_SEC);
	h_clear(h);
	h_send(h, &(struct h_seg){.seq = 77, .ack = 12345, .flags = TCP_ACK, .win = 1000});
	assert_int_equal(h_drop(h, SG_TCP_DROP_BAD_COOKIE), 2);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->out[0].flags, TCP_RST);
	assert_int_equal(h->out[0].seq, 12345);
}

static void test_stats_add_and_names(void **state)
{
	(void) state;
	struct sg_tcp_stats a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.rx_segs = 3;
	a.drops[SG_TCP_DROP_PAWS] = 2;
	a.conns = 5;
	b.rx_segs = 4;
	b.drops[SG_TCP_DROP_PAWS] = 1;
	b.delayed_acks = 9;
	b.conns = 1;
	sg_tcp_stats_add(&a, &b);
	assert_int_equal(a.rx_segs, 7);
	assert_int_equal(a.drops[SG_TCP_DROP_PAWS], 3);
	assert_int_equal(a.delayed_acks, 9);
	assert_int_equal(a.conns, 6);
	assert_string_equal(sg_tcp_drop_name(SG_TCP_DROP_PAWS), "paws");
	assert_string_equal(sg_tcp_drop_name(SG_TCP_DROP_COUNT), "?");
	assert_string_equal(sg_tcp_state_name(SG_TCP_TIME_WAIT), "TIME_WAIT");
}

static void test_abort_from_accept(void **state)
{
	struct harness *h = *state;
	h->abort_on_accept = true;
	h_start(h);
	h_establish(h);
	assert_int_equal(h_count_ev(h, SG_TCP_EV_CLOSED), 1);
	assert_int_equal(h_last(h)->flags & TCP_RST, TCP_RST);
	assert_int_equal(H_STAT(h, conns), 0);
}

static void test_tso_and_offload_flags(void **state)
{
	struct harness *h = *state;
	h->cfg.offloads = SG_TCP_OFFLOAD_IPV4_CKSUM | SG_TCP_OFFLOAD_TCP_CKSUM | SG_TCP_OFFLOAD_TSO;
	h_start(h);
	struct sg_tcp_conn *c = h_establish(h);
	h_clear(h);
	struct rte_mbuf *head = NULL, *tail = NULL;
	for (int i = 0; i < 10; i++) { /* 20000 bytes in a chain of ten mbufs */
		struct rte_mbuf *m = mk_data(h, 2000);
		if (!head) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
			head->pkt_len += 2000;
		}
		tail = m;
	}
	assert_int_equal(sg_tcp_conn_send(c, head, h->now), 0);
	assert_int_equal(h->nout, 1); /* one TSO burst: the initial window */
	const struct h_out *o = &h->out[0];
	assert_int_equal(o->len, 10 * 1448);
	assert_true(o->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
	assert_true(o->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM);
	assert_true(o->ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
	assert_true(o->ol_flags & RTE_MBUF_F_TX_IPV4);
	assert_int_equal(o->tso_segsz, 1448);
	assert_int_equal(o->l3_len, 20);
	assert_int_equal(o->l4_len, 32);
	assert_true(o->nb_segs >= 9); /* header + slices of the consumer's mbufs */
	h->pack += o->len;
	h_clear(h);
	h_flag(h, TCP_ACK, h->pseq, h->pack);
	uint32_t total = 0;
	for (unsigned i = 0; i < h->nout; i++)
		total += h->out[i].len;
	assert_int_equal(total, 20000 - 10 * 1448);
	assert_int_equal(h->nout, 1); /* the rest, 3.8 MSS, in one TSO packet */
	assert_true(h_last(h)->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
	/* A single small segment: checksum offload only. */
	h->pack += 20000 - 10 * 1448;
	h_flag(h, TCP_ACK, h->pseq, h->pack);
	h_clear(h);
	assert_int_equal(sg_tcp_conn_send(c, mk_data(h, 100), h->now), 0);
	assert_int_equal(h->nout, 1);
	assert_false(h_last(h)->ol_flags & RTE_MBUF_F_TX_TCP_SEG);
	assert_true(h_last(h)->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const char *filter = getenv("SG_TCP_TEST_FILTER");
	if (filter)
		cmocka_set_test_filter(filter);
	const struct CMUnitTest tests[] = {
	    T(test_handshake_data_close),
	    T(test_ipv6_handshake),
	    T(test_malformed_v4),
	    T(test_malformed_v6),
	    T(test_rst_window_checks),
	    T(test_syn_in_window_challenge),
	    T(test_ack_of_unsent_data),
	    T(test_zero_length_floods),
	    T(test_overlapping_retransmits),
	    T(test_paws_old_timestamp),
	    T(test_syn_with_data),
	    T(test_receive_window_from_backlog),
	    T(test_fin_wait_states),
	    T(test_fin_wait_2_and_reuse),
	    T(test_rst_in_states),
	    T(test_active_open_refused),
	    T(test_zero_window_probe),
	    T(test_rto_backoff_and_timeout),
	    T(test_keepalive_timeout),
	    T(test_connection_limit),
	    T(test_syn_cookies),
	    cmocka_unit_test(test_stats_add_and_names),
	    T(test_abort_from_accept),
	    T(test_tso_and_offload_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
