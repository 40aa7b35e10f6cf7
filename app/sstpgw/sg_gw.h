/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway data path of one worker: sessions (TCP connection + TLS + SSTP
 * tunnel) and their seams.
 *   gw_session.c  session pool (index + generation), address table, timer heap
 *   gw_wan.c      lib/tcp instance: accept, segments in, segments out (WAN tx)
 *   gw_tunnel.c   TLS <-> tunnel glue, tunnel events, closing a session
 *   gw_lan.c      LAN rx: steering, session lookup, encapsulation toward the client
 *   gw_fwd4.c     next hop and Ethernet header for forwarded IPv4 packets
 *   fwd4.c        IPv4 checks on bytes: header, TTL, MSS clamp, ICMP too-big (sg_fwd4.h)
 *   gw_lan6.c     IPv6 both ways: router advertisements, anti-spoof, hop limit, PTB
 *   gw_fwd6.c     next hop and Ethernet header for forwarded IPv6 packets
 *   fwd6.c        IPv6 checks and builders on bytes (sg_fwd6.h)
 *   gw_auth.c     control core: AAA, address pools, answers to workers
 *
 * Everything here is owned by one worker lcore, except struct sg_auth_msg, which
 * travels worker -> control -> worker through the message rings (one owner at a time),
 * and the session fields telemetry reads (relaxed, see gw_telemetry.c).
 */
#ifndef SG_GW_H
#define SG_GW_H

#include <stdbool.h>
#include <stdint.h>

#include "sg_aaa.h"
#include "sg_app.h"
#include "sg_ppp.h"
#include "sg_sstp.h"
#include "sg_tcp.h"
#include "sg_tls.h"
#include "sg_tunnel.h"

struct rte_mbuf;
struct rte_hash;
struct rte_ring;

enum sg_sess_state {
	SG_SESS_FREE = 0,
	SG_SESS_TLS,	 /* TCP up, TLS handshake running */
	SG_SESS_SETUP,	 /* TLS up: HTTP, SSTP, PPP */
	SG_SESS_AUTH,	 /* waiting for the control core's AAA answer */
	SG_SESS_OPEN,	 /* crypto binding verified: packets flow */
	SG_SESS_CLOSING, /* tunnel closed; freed at the end of the poll iteration */
};

const char *sg_sess_state_name(enum sg_sess_state s);

#define SG_SESS_USER_MAX 64
#define SG_SESS_NONE	 UINT32_MAX
/* A session's TLS output waiting for TCP beyond this: LAN packets to it are dropped. */
#define SG_SESS_TX_BACKLOG (512u * 1024u)

struct sg_session {
	struct sg_gw *gw;
	struct sg_tcp_conn *conn;
	struct sg_tls_conn *tls;
	struct sg_tunnel *tunnel; /* in the worker's tunnel slab; initialised when tunnel_up */
	uint32_t idx;
	uint32_t gen;
	uint32_t heap_idx; /* position in the timer heap, SG_SESS_NONE when not armed */
	uint32_t next_free;
	uint8_t state; /* enum sg_sess_state */
	bool tunnel_up;
	bool kill;		  /* a graceful disconnect was asked for */
	bool opened;		  /* reached OPEN: control was told (accounting Start) */
	uint8_t end_cause;	  /* RFC 2866 Acct-Terminate-Cause; 0: not decided yet */
	bool flight_seen;	  /* the first TLS output was produced (and held, if configured) */
	uint16_t mtu;		  /* largest inner packet toward the client */
	uint32_t ipv4;		  /* host order, 0: none yet */
	uint8_t prefix6[16];	  /* the session's on-link IPv6 prefix (SLAAC) */
	uint8_t prefix6_len;	  /* 0: none */
	bool ipv6_up;		  /* IPv6CP opened */
	uint8_t ra_sent;	  /* unsolicited router advertisements sent */
	uint64_t local_ifid;	  /* IPv6CP interface identifiers */
	uint64_t peer_ifid;
	sg_usec_t ra_deadline;	  /* next unsolicited RA (UINT64_MAX: none) */
	sg_usec_t setup_deadline; /* TLS + SSTP + PPP must finish by then */
	sg_usec_t tx_hold;	  /* $.tls.first_flight_delay_ms: no TLS output before (0: none) */
	sg_usec_t end_deadline;	  /* session timeout (UINT64_MAX: none) */
	sg_usec_t last_active;	  /* last inner packet either way */
	uint32_t idle_sec;	  /* idle timeout, 0: none */
	uint32_t session_sec;	  /* session timeout from OPEN, 0: none */
	uint32_t auth_round;	  /* auth requests sent (EAP: one per round) */
	sg_usec_t deadline;	  /* heap key */
	sg_usec_t started;
	sg_usec_t opened_at;	    /* when it reached OPEN (session timeout counts from there) */
	uint64_t rx_bytes, rx_pkts; /* inner packets from the client */
	uint64_t tx_bytes, tx_pkts; /* inner packets to the client */
	char user[SG_SESS_USER_MAX];
};

/* Auth round trip: allocated by the worker, answered by control, returned. */
struct sg_auth_msg {
	void *ctl;	 /* control core's (struct sg_app *) while RADIUS answers */
	uint16_t worker; /* worker index (queue) */
	uint32_t sess_idx;
	uint32_t gen;
	struct sg_aaa_auth_req req;
	/* answer */
	enum sg_aaa_status status;
	uint32_t ipv4;				/* host order, 0: none */
	uint8_t prefix6[16];			/* on-link IPv6 prefix for SLAAC */
	uint8_t prefix6_len;			/* 0: none */
	uint32_t session_timeout, idle_timeout; /* s, from RADIUS; 0: the config's */
	bool has_keys;
	bool has_success;
	uint8_t hlak[SG_AAA_HLAK_LEN];
	char success[SG_AAA_MSCHAP2_SUCCESS_LEN + 1];
	char message[64];
	/* EAP: the round this message belongs to (the worker ignores stale answers), and the
	 * peer's Response (request) or the backend's Request/Success/Failure (answer). The
	 * RADIUS State between rounds stays on the control core (gw_eap.c). */
	uint32_t round;
	uint16_t eap_len;
	uint8_t eap[SG_EAP_MAX];
};

struct sg_gw {
	struct sg_worker *w;
	struct sg_app *app;
	struct sg_stats *st;
	unsigned int index; /* worker index: pool partition, queue */
	sg_usec_t now;
	struct sg_tcp_stack *tcp;
	struct sg_tls_ctx *tls;
	struct sg_sstp_server_config sstp_cfg;
	struct sg_ppp_config ppp_cfg;
	struct sg_tunnel_config tun_cfg;
	struct sg_sstp_stats sstp_stats;
	struct sg_ppp_counters ppp_ctr;
	/* sessions */
	struct sg_session *sess;
	uint32_t n_sess;
	uint32_t free_head;
	uint32_t active; /* written by the owner, read by control and telemetry */
	uint8_t *tunnel_mem;
	size_t tunnel_size;
	uint32_t *heap;
	uint32_t heap_n;
	uint32_t *reap; /* sessions to free at the end of the iteration */
	uint32_t n_reap;
	struct rte_hash *by_addr; /* IPv4 (network order) -> session index */
	struct rte_hash *by_prefix6; /* upper 64 bits of an IPv6 /64 -> session index */
	struct rte_ring *handoff; /* LAN mbufs other workers steered to us (MP/SC) */
	bool draining;		  /* shutdown: refuse new sessions */
	/* LAN packets waiting for their next hop's MAC (ARP outstanding), up to 1 s */
	struct rte_mbuf *parked[16];
	uint32_t parked_dst[16]; /* IPv4 destination, network order */
	uint8_t parked_dst6[16][16]; /* IPv6 destination when parked_fam is 6 */
	uint8_t parked_fam[16];
	sg_usec_t parked_at[16];
	uint16_t n_parked;
	/* lib/tcp's statistics, published by the owner every 100 ms for telemetry (each
	 * word a relaxed store: fields are tear-free, the set is not one instant) */
	struct sg_tcp_stats tcp_snap;
	sg_usec_t gauges_at;
	/* LAN tx vector, flushed at the end of each burst */
	struct rte_mbuf *lan_tx[64];
	uint16_t n_lan_tx;
};

/* gw_session.c */
int sg_gw_create(struct sg_worker *w);
void sg_gw_destroy(struct sg_worker *w);
struct sg_session *sg_gw_sess_alloc(struct sg_gw *gw);
struct sg_session *sg_gw_sess_get(struct sg_gw *gw, uint32_t idx, uint32_t gen);
void sg_gw_sess_rearm(struct sg_gw *gw, struct sg_session *s);
void sg_gw_timers_run(struct sg_gw *gw);
void sg_gw_reap(struct sg_gw *gw);
void sg_gw_reap_add(struct sg_gw *gw, struct sg_session *s);
/* Owner: publish lib/tcp's connection gauges (every 100 ms at most). */
void sg_gw_gauges_publish(struct sg_gw *gw);
int sg_gw_addr_add(struct sg_gw *gw, struct sg_session *s, uint32_t ipv4);
void sg_gw_addr_del(struct sg_gw *gw, struct sg_session *s);
struct sg_session *sg_gw_addr_lookup(struct sg_gw *gw, uint32_t ipv4_be);
/* The session's /64 (prefix6 set) in the IPv6 table. 0 or -errno. */
int sg_gw_prefix6_add(struct sg_gw *gw, struct sg_session *s);
void sg_gw_prefix6_del(struct sg_gw *gw, struct sg_session *s);
struct sg_session *sg_gw_prefix6_lookup(struct sg_gw *gw, const uint8_t addr[16]);

/* gw_fwd4.c */
/* Next hop toward dst on a port: on-link, longest static route, gateway4. 0 or -ENETUNREACH. */
int sg_fwd4_next_hop(const struct sg_app *app, enum sg_role role, uint32_t dst_be, uint32_t *nh_be);
/*
 * Prepend the Ethernet header toward dst (data of m starts at IPv4). Solicits an unknown
 * next hop. 0, -ENETUNREACH (no route), -EHOSTUNREACH (neighbour not resolved yet),
 * -ENOSPC (no headroom).
 */
int sg_fwd4_l2(struct sg_worker *w, enum sg_role role, struct rte_mbuf *m, uint32_t dst_be,
	       sg_usec_t now);

/* gw_fwd6.c: the same for IPv6 (data of m starts at IPv6) */
int sg_fwd6_next_hop(const struct sg_app *app, enum sg_role role, const uint8_t dst[16],
		     uint8_t nh[16]);
int sg_fwd6_l2(struct sg_worker *w, enum sg_role role, struct rte_mbuf *m, const uint8_t dst[16],
	       sg_usec_t now);

/* gw_wan.c */
int sg_gw_wan_setup(struct sg_gw *gw);
void sg_gw_wan_input(struct sg_gw *gw, struct rte_mbuf **pkts, uint16_t n);
/* Move TLS output of s into TCP (the first flight waits $.tls.first_flight_delay_ms). */
void sg_gw_flush(struct sg_gw *gw, struct sg_session *s);

/* gw_tunnel.c */
void sg_gw_sess_accepted(struct sg_gw *gw, struct sg_tcp_conn *c);
void sg_gw_sess_readable(struct sg_gw *gw, struct sg_session *s, struct rte_mbuf *data);
void sg_gw_sess_transport_down(struct sg_gw *gw, struct sg_session *s, bool closed);
void sg_gw_sess_timer(struct sg_gw *gw, struct sg_session *s);
void sg_gw_sess_auth_answer(struct sg_gw *gw, struct sg_auth_msg *m);
/* Graceful disconnect; cause (RFC 2866 Acct-Terminate-Cause) unless one is set already. */
void sg_gw_sess_kill(struct sg_gw *gw, struct sg_session *s, uint8_t cause);
/* Control's SG_MSG_ACCT_REQ / SG_MSG_SET_TIMEOUTS for a session (gw_tunnel.c). */
void sg_gw_sess_acct_report(struct sg_gw *gw, struct sg_session *s);
void sg_gw_sess_set_timeouts(struct sg_gw *gw, struct sg_session *s, const struct sg_msg_tmo *t);
void sg_gw_drain_all(struct sg_gw *gw);

/* gw_lan.c */
/* A LAN frame that is not for the gateway itself: true when taken (forwarded/dropped). */
bool sg_gw_lan_steer(struct sg_gw *gw, struct rte_mbuf *m);
void sg_gw_lan_handoff_poll(struct sg_gw *gw);
void sg_gw_lan_flush(struct sg_gw *gw);
/* An inner IPv4 packet from a session toward the LAN. */
void sg_gw_lan_output(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip, size_t len);
/* Retry parked packets whose next hop got resolved; drop those older than 1 s. */
void sg_gw_lan_parked_retry(struct sg_gw *gw);
/* For gw_lan6.c: queue m for the LAN tx burst; queue m (SSTP+PPP header prepended) for
 * s's TLS writev at the end of the burst; park m until dst's neighbour answers. */
void sg_gw_lan_tx_add(struct sg_gw *gw, struct rte_mbuf *m);
void sg_gw_lan_enc_add(struct sg_gw *gw, struct sg_session *s, struct rte_mbuf *m);
bool sg_gw_lan_park(struct sg_gw *gw, struct rte_mbuf *m, int family, const uint8_t *dst);

/* gw_lan6.c */
/* A LAN IPv6 packet (data at IPv6) for a client of this worker. */
void sg_gw_lan6_deliver(struct sg_gw *gw, struct rte_mbuf *m);
/* An inner IPv6 packet from a session: router solicitation, echo to us, or the LAN. */
void sg_gw_lan6_output(struct sg_gw *gw, struct sg_session *s, const uint8_t *ip, size_t len);
/* IPv6CP opened / the session opened: first router advertisement when both hold. */
void sg_gw_lan6_up(struct sg_gw *gw, struct sg_session *s);
/* The unsolicited RA timer fired. */
void sg_gw_lan6_timer(struct sg_gw *gw, struct sg_session *s);
/* The target of a neighbour solicitation in ip[0..len) (an IPv6 packet), else NULL. The
 * owner answers it for a live client address when $.ports.lan.proxy_arp is set. */
const uint8_t *sg_gw_lan6_ns_target(const uint8_t *ip, size_t len);

#endif /* SG_GW_H */
