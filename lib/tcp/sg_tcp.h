/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg_tcp: the per-core userspace TCP stack of sstpgw.
 *
 * One independent instance (struct sg_tcp_stack) per worker lcore. No locks,
 * no globals: an instance and all its connections are used by one thread
 * only. Memory comes from pools sized at creation (sg_tcp_config); the hard
 * per-instance connection limit is counted (SG_TCP_DROP_CONN_LIMIT) when hit.
 *
 * Buffers: the stack works on real struct rte_mbuf. Unit and simulation tests
 * initialise EAL unprivileged (--no-huge --no-pci --no-shconf -m 256
 * --iova-mode=va: verified as user nobody, also under ASan) and use a normal
 * pktmbuf pool, so there is one code path for tests and the gateway.
 *
 * Data path:
 *
 *   rx burst --> sg_tcp_input(stack, pkts, n, now)        (takes every mbuf)
 *                  |-- event_fn(READABLE, chain)        in-order payload
 *                  |-- event_fn(ACCEPTED / PEER_CLOSED / RESET / CLOSED ...)
 *                  '-- tx_fn(pkts, n)                   segments to transmit
 *   consumer  --> sg_tcp_conn_send(conn, chain, now)     zero copy, queued
 *   poll loop --> sg_tcp_timers_run(stack, now)          RTO, delayed ACK ...
 *
 * Output packets handed to tx_fn start at the IP header and have at least
 * cfg.l2_headroom bytes of headroom; m->l2_len is 0, l3_len/l4_len are set,
 * and when the config enables offloads the matching RTE_MBUF_F_TX_* flags
 * are set (and the pseudo-header checksum is pre-filled as DPDK wants). The
 * caller prepends its L2 header (rte_pktmbuf_prepend), sets l2_len and
 * transmits or frees the mbufs: tx_fn owns them. Payload of output segments
 * references the consumer's mbufs through indirect mbufs (rte_pktmbuf_attach)
 * allocated from cfg.hdr_pool together with the header mbuf.
 *
 * Events are delivered synchronously from inside sg_tcp_input(),
 * sg_tcp_timers_run() and the sg_tcp_conn_*() calls. From an event handler
 * the consumer may call sg_tcp_conn_send/close/abort/recv_consumed on any
 * connection of the same instance. A connection pointer is valid from its
 * ACCEPTED/CONNECTED event (or sg_tcp_connect()) until its CLOSED event
 * returns; it must not be used after that.
 *
 * Time: every call takes `now` in microseconds (sg_usec_t, monotonic); the
 * stack never reads a clock. Timers live in a hierarchical timer wheel per
 * instance with SG_TCP_TICK_USEC granularity.
 */
#ifndef SG_TCP_H
#define SG_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;
struct rte_mempool;
struct sg_tcp_stack;
struct sg_tcp_conn;

/* Timer wheel granularity. */
#define SG_TCP_TICK_USEC 1000U

/* Maximum listening ports per instance. */
#define SG_TCP_MAX_LISTEN 16

/*
 * Every reason the stack drops or rejects a segment or a connection:
 * X(enum suffix, "name"). Each has a counter in sg_tcp_stats.drops[].
 */
#define SG_TCP_DROP_REASONS(X)                                                                     \
	X(NONE, "none")                                                                            \
	X(L3_TRUNCATED, "l3_truncated")                                                            \
	X(L3_VERSION, "l3_version")                                                                \
	X(L3_BAD_LEN, "l3_bad_len")                                                                \
	X(L3_FRAGMENT, "l3_fragment")                                                              \
	X(L3_NOT_TCP, "l3_not_tcp")                                                                \
	X(L3_BAD_ADDR, "l3_bad_addr")                                                              \
	X(IP_CKSUM, "ip_cksum")                                                                    \
	X(TCP_TRUNCATED, "tcp_truncated")                                                          \
	X(TCP_BAD_DOFF, "tcp_bad_doff")                                                            \
	X(TCP_CKSUM, "tcp_cksum")                                                                  \
	X(TCP_BAD_OPTIONS, "tcp_bad_options")                                                      \
	X(TCP_BAD_FLAGS, "tcp_bad_flags")                                                          \
	X(TCP_BAD_PORT, "tcp_bad_port")                                                            \
	X(NO_LISTENER, "no_listener")                                                              \
	X(CONN_LIMIT, "conn_limit")                                                                \
	X(SYN_QUEUE_FULL, "syn_queue_full")                                                        \
	X(BAD_COOKIE, "bad_syncookie")                                                             \
	X(NO_MBUF, "no_mbuf")                                                                      \
	X(PAWS, "paws")                                                                            \
	X(OUT_OF_WINDOW, "out_of_window")                                                          \
	X(RST_OUT_OF_WINDOW, "rst_out_of_window")                                                  \
	X(RST_CHALLENGE, "rst_challenge")                                                          \
	X(SYN_CHALLENGE, "syn_challenge")                                                          \
	X(ACK_UNSENT, "ack_unsent")                                                                \
	X(ACK_OLD, "ack_old")                                                                      \
	X(NO_ACK, "no_ack")                                                                        \
	X(DUPLICATE, "duplicate")                                                                  \
	X(OOO_QUEUE_FULL, "ooo_queue_full")                                                        \
	X(RCV_WINDOW_FULL, "rcv_window_full")                                                      \
	X(DATA_AFTER_FIN, "data_after_fin")                                                        \
	X(STATE, "bad_state")                                                                      \
	X(TIME_WAIT, "time_wait")                                                                  \
	X(TIME_WAIT_FULL, "time_wait_full")                                                        \
	X(TX_FULL, "tx_full")                                                                      \
	X(CHALLENGE_RATE, "challenge_ack_rate")

enum sg_tcp_drop {
#define SG_TCP_DROP_ENUM_(id, name) SG_TCP_DROP_##id,
	SG_TCP_DROP_REASONS(SG_TCP_DROP_ENUM_)
#undef SG_TCP_DROP_ENUM_
	    SG_TCP_DROP_COUNT
};

/* "paws", "tcp_cksum", ...; "?" for an out-of-range value. */
const char *sg_tcp_drop_name(enum sg_tcp_drop reason);

/* Non-drop counters: X(field). */
#define SG_TCP_COUNTERS(X)                                                                         \
	X(rx_segs)                                                                                 \
	X(rx_bytes)                                                                                \
	X(tx_segs)                                                                                 \
	X(tx_bytes)                                                                                \
	X(retrans_segs)                                                                            \
	X(rto_fired)                                                                               \
	X(fast_retrans)                                                                            \
	X(sack_recoveries)                                                                         \
	X(dup_acks)                                                                                \
	X(ooo_segs)                                                                                \
	X(challenge_acks)                                                                          \
	X(syncookies_sent)                                                                         \
	X(syncookies_ok)                                                                           \
	X(accepted)                                                                                \
	X(connected)                                                                               \
	X(closed)                                                                                  \
	X(resets_rx)                                                                               \
	X(resets_tx)                                                                               \
	X(zero_window_probes)                                                                      \
	X(keepalive_probes)                                                                        \
	X(timeouts)                                                                                \
	X(time_wait_entered)                                                                       \
	X(time_wait_reused)                                                                        \
	X(delayed_acks)                                                                            \
	X(tail_loss_probes)

/* Per-instance statistics: written only by the owning thread. */
struct sg_tcp_stats {
#define SG_TCP_CNT_FIELD_(f) uint64_t f;
	SG_TCP_COUNTERS(SG_TCP_CNT_FIELD_)
#undef SG_TCP_CNT_FIELD_
	uint64_t drops[SG_TCP_DROP_COUNT];
	/* Gauges (current values, summed across instances by sg_tcp_stats_add). */
	uint64_t conns;
	uint64_t half_open;
	uint64_t time_wait;
} __attribute__((aligned(64)));

/* dst += src, every field. */
void sg_tcp_stats_add(struct sg_tcp_stats *dst, const struct sg_tcp_stats *src);

/* Connection 4-tuple as seen from this stack (l = local, r = remote). */
struct sg_tcp_tuple {
	uint8_t family; /* 4 or 6 */
	uint8_t pad_;
	uint16_t lport; /* host order */
	uint16_t rport; /* host order */
	uint16_t pad2_;
	uint8_t laddr[16]; /* IPv4: first 4 bytes, network order, rest 0 */
	uint8_t raddr[16];
};

enum sg_tcp_state {
	SG_TCP_CLOSED = 0,
	SG_TCP_LISTEN,
	SG_TCP_SYN_SENT,
	SG_TCP_SYN_RCVD,
	SG_TCP_ESTABLISHED,
	SG_TCP_FIN_WAIT_1,
	SG_TCP_FIN_WAIT_2,
	SG_TCP_CLOSING,
	SG_TCP_TIME_WAIT,
	SG_TCP_CLOSE_WAIT,
	SG_TCP_LAST_ACK,
};

const char *sg_tcp_state_name(enum sg_tcp_state s);

enum sg_tcp_event {
	/* Passive open completed (3-way handshake done); conn is ESTABLISHED. */
	SG_TCP_EV_ACCEPTED = 1,
	/* Active open completed. */
	SG_TCP_EV_CONNECTED,
	/* In-order payload: `data` is an mbuf chain the consumer now owns
	 * (data starts at payload, pkt_len = bytes). The bytes count against
	 * the receive window until sg_tcp_conn_recv_consumed(). */
	SG_TCP_EV_READABLE,
	/* At least half of snd_buf is free again after sg_tcp_conn_send() was
	 * refused or sg_tcp_conn_send_space() reported less than that. */
	SG_TCP_EV_WRITABLE,
	/* Peer sent FIN and every byte before it was delivered. */
	SG_TCP_EV_PEER_CLOSED,
	/* Connection aborted: `err` is ECONNRESET (RST received), ETIMEDOUT
	 * (retransmission/keepalive/handshake timeout) or ECONNREFUSED (RST to
	 * our SYN). CLOSED follows. */
	SG_TCP_EV_RESET,
	/* Final event: the connection is gone when the handler returns. */
	SG_TCP_EV_CLOSED,
};

/*
 * Event handler. `data` is only set for READABLE (ownership passes to the
 * handler), `err` only for RESET (and CLOSED after a RESET).
 */
typedef void (*sg_tcp_event_fn)(void *arg, struct sg_tcp_conn *conn, enum sg_tcp_event ev,
				struct rte_mbuf *data, int err);

/*
 * Transmit hook: takes ownership of n packets (see the top of this file for
 * their layout). Called when the internal burst is full and before every
 * public call returns.
 */
typedef void (*sg_tcp_tx_fn)(void *arg, struct rte_mbuf **pkts, uint16_t n);

/* Congestion control algorithms (pluggable, chosen per instance). */
enum sg_tcp_cc {
	SG_TCP_CC_NEWRENO = 0,
	SG_TCP_CC_CUBIC,
};

/* Offloads the port offers (cfg.offloads bit set). */
#define SG_TCP_OFFLOAD_IPV4_CKSUM (1u << 0) /* RTE_MBUF_F_TX_IP_CKSUM */
#define SG_TCP_OFFLOAD_TCP_CKSUM  (1u << 1) /* RTE_MBUF_F_TX_TCP_CKSUM */
#define SG_TCP_OFFLOAD_TSO	  (1u << 2) /* RTE_MBUF_F_TX_TCP_SEG */

/*
 * Instance configuration. Zero in a field selects the default given after it.
 */
struct sg_tcp_config {
	uint32_t max_conns;	/* connection pool size: 1024 */
	uint32_t max_half_open; /* SYN_RCVD with state (beyond: cookies): max_conns/4 */
	uint32_t
	    syncookie_threshold;     /* half-open count that switches cookies on: max_half_open/2 */
	uint32_t time_wait_max;	     /* compact TIME_WAIT entries: max_conns */
	uint32_t rcv_buf;	     /* receive window / unconsumed backlog bytes: 256 KiB */
	uint32_t snd_buf;	     /* queued-but-unacked send bytes per conn: 256 KiB */
	uint16_t mss;		     /* advertised MSS (IPv4; IPv6 = mss - 20): 1460 */
	uint16_t l2_headroom;	     /* headroom left in output packets: 64 */
	uint32_t tso_max;	     /* bytes per TSO segment when SG_TCP_OFFLOAD_TSO: 64000 */
	uint32_t offloads;	     /* SG_TCP_OFFLOAD_* the port offers */
	bool no_sack;		     /* do not offer/accept SACK */
	bool no_timestamps;	     /* do not offer/accept timestamps */
	bool no_wscale;		     /* do not offer window scaling */
	bool nagle;		     /* Nagle's algorithm (default off) */
	enum sg_tcp_cc cc;	     /* NEWRENO */
	sg_usec_t rto_init;	     /* 1 s */
	sg_usec_t rto_min;	     /* 200 ms */
	sg_usec_t rto_max;	     /* 60 s */
	sg_usec_t delack;	     /* 40 ms */
	sg_usec_t handshake_timeout; /* SYN_SENT / SYN_RCVD lifetime: 30 s */
	sg_usec_t time_wait;	     /* TIME_WAIT (2 MSL): 60 s */
	sg_usec_t fin_timeout;	     /* FIN_WAIT_2 / LAST_ACK / CLOSING lifetime: 60 s */
	sg_usec_t keepalive_idle;    /* 0 = keepalive off */
	sg_usec_t keepalive_intvl;   /* 75 s */
	uint32_t keepalive_probes;   /* 9 */
	uint32_t max_retries;	     /* RTO backoffs before ETIMEDOUT: 12 */
	uint32_t max_syn_retries;    /* SYN / SYN-ACK retransmissions: 5 */
	uint32_t challenge_ack_limit; /* challenge ACKs per second per instance: 1000 */
	/* Pool for header and indirect payload mbufs (data room >= l2_headroom +
	 * 120). Required. */
	struct rte_mempool *hdr_pool;
	sg_tcp_event_fn event_fn; /* required */
	sg_tcp_tx_fn tx_fn;	  /* required */
	void *arg;		  /* passed to event_fn and tx_fn */
	/* Secret for ISNs (RFC 6528), SYN cookies and the hash table. All zero:
	 * taken from RAND_bytes. Tests set it for reproducible runs. */
	uint8_t secret[32];
};

/*
 * Create an instance. Allocates every pool up front (malloc at boot only).
 * Returns NULL and sets errno (EINVAL: bad config, ENOMEM, EIO: RAND_bytes).
 */
struct sg_tcp_stack *sg_tcp_stack_create(const struct sg_tcp_config *cfg);

/* Free the instance: every connection is dropped silently (no events, no
 * packets), every queued mbuf freed. NULL is a no-op. */
void sg_tcp_stack_destroy(struct sg_tcp_stack *s);

/* Accept connections to local `port` (host order) on any local address.
 * 0, -EEXIST, -ENOSPC (SG_TCP_MAX_LISTEN reached), -EINVAL (port 0). */
int sg_tcp_listen(struct sg_tcp_stack *s, uint16_t port);

/*
 * Process a burst of received packets. Each mbuf's data starts at its L2
 * header and m->l2_len gives the offset of the IPv4/IPv6 header (0 if the
 * data starts at L3). RTE_MBUF_F_RX_L4_CKSUM_GOOD/BAD are honoured; otherwise
 * checksums are verified in software. Takes ownership of all n mbufs (freed,
 * queued or delivered to the consumer); drops are counted by reason.
 */
void sg_tcp_input(struct sg_tcp_stack *s, struct rte_mbuf **pkts, uint16_t n, sg_usec_t now);

/* Run expired timers (retransmissions, delayed ACKs, probes, timeouts).
 * Call at least every SG_TCP_TICK_USEC. */
void sg_tcp_timers_run(struct sg_tcp_stack *s, sg_usec_t now);

/* Earliest time sg_tcp_timers_run() has work (UINT64_MAX: none); may be
 * early, never late. For simulations that skip idle time. */
sg_usec_t sg_tcp_timer_next(const struct sg_tcp_stack *s);

/*
 * Active open from t->laddr:t->lport to t->raddr:t->rport (t->lport 0: an
 * ephemeral port is chosen). Returns the connection (SYN_SENT) or NULL with
 * errno (EINVAL, EADDRINUSE, ENOBUFS at the connection limit). CONNECTED or
 * RESET+CLOSED follows.
 */
struct sg_tcp_conn *sg_tcp_connect(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t,
				   void *udata, sg_usec_t now);

/*
 * Queue an mbuf chain for sending (zero copy: the stack owns `m` on success
 * and frees each segment once acknowledged). Segments go out at once as far
 * as the windows allow. Returns 0; -ENOBUFS when the chain does not fit in
 * snd_buf (m is NOT taken; WRITABLE follows when space frees up); -EPIPE
 * after close()/abort or a reset; -ENOTCONN before the handshake completed.
 */
int sg_tcp_conn_send(struct sg_tcp_conn *c, struct rte_mbuf *m, sg_usec_t now);

/* Bytes sg_tcp_conn_send() would accept now. When less than half of
 * snd_buf is free, WRITABLE is armed (as after a refused send). */
uint32_t sg_tcp_conn_send_space(struct sg_tcp_conn *c);

/*
 * The consumer finished with `bytes` of delivered payload: the receive window
 * opens by that much (a window update is sent if it grew substantially).
 */
void sg_tcp_conn_recv_consumed(struct sg_tcp_conn *c, uint32_t bytes, sg_usec_t now);

/* Orderly close: FIN after every queued byte. 0 or -EPIPE (already closed). */
int sg_tcp_conn_close(struct sg_tcp_conn *c, sg_usec_t now);

/* Abortive close: RST to the peer, CLOSED event (no RESET event). */
void sg_tcp_conn_abort(struct sg_tcp_conn *c, sg_usec_t now);

void sg_tcp_conn_set_udata(struct sg_tcp_conn *c, void *udata);
void *sg_tcp_conn_udata(const struct sg_tcp_conn *c);
const struct sg_tcp_tuple *sg_tcp_conn_tuple(const struct sg_tcp_conn *c);
enum sg_tcp_state sg_tcp_conn_state(const struct sg_tcp_conn *c);

/* Connection details for diagnostics and tests. */
struct sg_tcp_conn_info {
	enum sg_tcp_state state;
	uint32_t snd_una, snd_nxt, snd_wnd, cwnd, ssthresh;
	uint32_t rcv_nxt, rcv_wnd;
	uint32_t mss; /* effective send MSS */
	uint32_t srtt_us, rto_us;
	uint32_t snd_queued;  /* bytes queued, unacked included */
	uint32_t rcv_backlog; /* delivered, not yet consumed */
	uint32_t ooo_bytes;   /* held in the out-of-order queue */
	uint8_t snd_wscale, rcv_wscale;
	bool sack, timestamps;
	uint64_t retrans;
};
void sg_tcp_conn_info(const struct sg_tcp_conn *c, struct sg_tcp_conn_info *out);

/* Copy the instance's statistics (gauges included). */
void sg_tcp_stats_get(const struct sg_tcp_stack *s, struct sg_tcp_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SG_TCP_H */
