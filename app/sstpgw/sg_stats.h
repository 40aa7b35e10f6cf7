/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-core counters of the daemon. Every drop reason of every layer is in one
 * X-macro list (SG_DROPS) and has a counter; per-core records sit in one
 * cache-aligned array indexed by lcore id, each written only by its own lcore
 * (relaxed atomic stores, so readers on other threads never see torn values),
 * and one helper sums them.
 */
#ifndef SG_STATS_H
#define SG_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "sg_net.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_STATS_CACHE_LINE 64

/* Reasons the daemon itself drops a packet (after lib/net's). */
#define SG_APP_DROPS(X)                                                                            \
	X(TCP_NO_LISTENER, "tcp_no_listener")                                                      \
	X(UDP_NO_LISTENER, "udp_no_listener")                                                      \
	X(TX_FULL, "tx_queue_full")                                                                \
	X(SESSION_LIMIT, "session_limit")                                                          \
	X(NO_SESSION, "lan_no_session")                                                            \
	X(ANTI_SPOOF, "anti_spoof")                                                                \
	X(TTL, "ttl_exceeded")                                                                     \
	X(TOO_BIG, "too_big")                                                                      \
	X(NO_ROUTE, "no_route")                                                                    \
	X(NEIGH_UNRESOLVED, "neigh_unresolved")                                                    \
	X(NO_MBUF, "no_mbuf")                                                                      \
	X(HANDOFF_FULL, "handoff_ring_full")                                                       \
	X(SESS_BACKLOG, "session_tx_backlog")                                                      \
	X(TUNNEL_NOT_OPEN, "tunnel_not_open")                                                      \
	X(INNER_BAD, "inner_bad_header")                                                           \
	X(INNER_PROTO, "inner_unsupported_proto")                                                  \
	X(TLS_WRITE, "tls_write_failed")                                                           \
	X(INNER_TO_GATEWAY, "inner_to_gateway")                                                    \
	X(INNER6_LINK_SCOPE, "inner6_link_scope")                                                  \
	X(INNER6_BAD_DST, "inner6_bad_dst")                                                        \
	X(SESSION_LIMIT_CORE, "session_limit_core")                                                \
	X(IMPAIR, "test_impair")

/* The one list: lib/net's reasons first (so SG_DROP_x == SG_NET_DROP_x - 1). */
#define SG_DROPS(X) SG_NET_DROPS(X) SG_APP_DROPS(X)

enum sg_drop {
#define SG_DROP_ENUM_(id, name) SG_DROP_##id,
	SG_DROPS(SG_DROP_ENUM_)
#undef SG_DROP_ENUM_
	    SG_DROP_COUNT
};

/* Everything else a core counts. */
#define SG_COUNTERS(X)                                                                             \
	X(WAN_RX, "wan_rx_packets")                                                                \
	X(WAN_TX, "wan_tx_packets")                                                                \
	X(LAN_RX, "lan_rx_packets")                                                                \
	X(LAN_TX, "lan_tx_packets")                                                                \
	X(NET_REPLIES, "net_replies")                                                              \
	X(NET_CONSUMED, "net_consumed")                                                            \
	X(MSGS, "control_messages")                                                                \
	X(NEIGH_SOLICITS, "neigh_solicits_sent")                                                   \
	X(NEIGH_RESOLVED, "neigh_next_hops_resolved")                                              \
	X(NEIGH_SHARED, "neigh_updates_received")                                                  \
	X(NEIGH_LOST, "neigh_updates_lost")                                                        \
	X(SESS_ACCEPTED, "sessions_accepted")                                                      \
	X(SESS_OPENED, "sessions_opened")                                                          \
	X(SESS_CLOSED, "sessions_closed")                                                          \
	X(SESS_TIMEOUTS, "sessions_timed_out")                                                     \
	X(SESS_IDLE, "sessions_idle_timeout")                                                      \
	X(SESS_EXPIRED, "sessions_session_timeout")                                                \
	X(SESS_TLS_FAILED, "sessions_tls_failed")                                                  \
	X(AUTH_REQUESTS, "auth_requests")                                                          \
	X(AUTH_ACCEPTS, "auth_accepts")                                                            \
	X(AUTH_REJECTS, "auth_rejects")                                                            \
	X(AUTH_STALE, "auth_answers_stale")                                                        \
	X(AUTH_CHALLENGES, "auth_challenges")                                                      \
	X(ICMP_TOO_BIG, "icmp_too_big_sent")                                                       \
	X(MSS_CLAMPED, "mss_clamped")                                                              \
	X(HANDOFF_TX, "handoff_sent")                                                              \
	X(HANDOFF_RX, "handoff_received")                                                          \
	X(INNER_RX, "inner_rx_packets")                                                            \
	X(INNER_TX, "inner_tx_packets")                                                            \
	X(RA_SENT, "ipv6_ra_sent")                                                                 \
	X(RS_RECEIVED, "ipv6_rs_received")                                                         \
	X(ICMP6_TIME_EXCEEDED, "icmp6_time_exceeded_sent")                                         \
	X(INNER6_ECHO, "ipv6_echo_replies")                                                        \
	X(PROXY_ND, "proxy_nd_answers")                                                            \
	X(INNER4_ECHO, "ipv4_echo_replies")

enum sg_counter {
#define SG_CTR_ENUM_(id, name) SG_CTR_##id,
	SG_COUNTERS(SG_CTR_ENUM_)
#undef SG_CTR_ENUM_
	    SG_CTR_COUNT
};

struct sg_stats {
	uint64_t ctr[SG_CTR_COUNT];
	uint64_t drop[SG_DROP_COUNT];
} __attribute__((aligned(SG_STATS_CACHE_LINE)));

/* lib/net reason -> daemon reason. SG_NET_DROP_NONE must not be passed. */
static inline enum sg_drop sg_stats_drop_from_net(enum sg_net_drop d)
{
	return (enum sg_drop)((int) d - 1);
}

/* Owner only: add n to a counter / a drop reason. */
static inline void sg_stats_count(struct sg_stats *s, enum sg_counter c, uint64_t n)
{
	__atomic_store_n(&s->ctr[c], s->ctr[c] + n, __ATOMIC_RELAXED);
}

static inline void sg_stats_drop(struct sg_stats *s, enum sg_drop d, uint64_t n)
{
	__atomic_store_n(&s->drop[d], s->drop[d] + n, __ATOMIC_RELAXED);
}

/* Any thread: a tear-free copy of one core's record. */
void sg_stats_read(const struct sg_stats *s, struct sg_stats *out);

/*
 * Any thread: total = sum of per_core[idx[i]] for i < n (per_core indexed by
 * lcore id). total is overwritten.
 */
void sg_stats_sum(const struct sg_stats *per_core, const unsigned int *idx, unsigned int n,
		  struct sg_stats *total);

/* Sum of every drop counter of s. */
uint64_t sg_stats_drops_total(const struct sg_stats *s);

/* Names as in telemetry: "wan_rx_packets", "ip4_not_local"; "?" if out of range. */
const char *sg_stats_counter_name(enum sg_counter c);
const char *sg_stats_drop_name(enum sg_drop d);

#ifdef __cplusplus
}
#endif

#endif /* SG_STATS_H */
