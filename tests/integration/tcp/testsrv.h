/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv: a DPDK program that puts lib/tcp on one ethdev port so the
 * integration tests can talk to it with the Linux TCP stack (af_packet vdev)
 * and the memif benchmark can run it against itself.
 *
 *   testsrv_main.c  options, EAL, port, poll loop, counters
 *   testsrv_l2.c    Ethernet in/out on lib/net (ARP, NDP, ICMP echo, neighbour cache)
 *   testsrv_app.c   the TCP modes (sink, source, echo) on lib/tcp events
 *   testsrv_raw.c   raw frame generator/forwarder (memif forwarding ceiling)
 */
#ifndef SG_TESTSRV_H
#define SG_TESTSRV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sg_common.h"
#include "sg_net.h"
#include "sg_net_neigh.h"

struct sg_impair;
struct sg_tcp_stack;

enum srv_mode {
	SRV_SINK,   /* read everything; reply SHA-256 (hex + LF) on the peer's FIN */
	SRV_SOURCE, /* send N bytes of AES-128-CTR keystream, then close */
	SRV_ECHO,   /* send back what arrives; close after the peer's FIN */
	SRV_RAWFWD, /* bounce every frame back (no TCP) */
	SRV_RAWGEN, /* send frames, count the ones that come back (no TCP) */
};

#define SRV_NEIGH_MAX 256

/* Program counters besides lib/tcp's own: X(name). */
#define SRV_COUNTERS(X)                                                                            \
	X(rx_frames)                                                                               \
	X(tx_frames)                                                                               \
	X(tx_ring_full)                                                                            \
	X(tx_no_neigh)                                                                             \
	X(l2_replies) /* ARP, NA, echo replies from lib/net */                                     \
	X(solicits)   /* ARP requests / NS we sent */                                              \
	X(l2_ignored)                                                                              \
	X(conns_accepted)                                                                          \
	X(conns_closed)                                                                            \
	X(conns_reset)                                                                             \
	X(app_rx_bytes)                                                                            \
	X(app_tx_bytes)                                                                            \
	X(sink_replies)                                                                            \
	X(source_done)                                                                             \
	X(echo_pending)                                                                            \
	X(app_no_mbuf)                                                                             \
	X(app_no_state)

struct srv_counters {
#define SRV_CNT_FIELD_(n) uint64_t n;
	SRV_COUNTERS(SRV_CNT_FIELD_)
#undef SRV_CNT_FIELD_
};

struct srv_app;

struct srv {
	/* options */
	enum srv_mode mode;
	uint16_t tcp_port;
	uint64_t bytes; /* source: bytes per connection */
	uint64_t seed;	/* source: AES-128-CTR key = seed (16 bytes, big endian) */
	uint32_t max_conns;
	uint16_t mtu;
	bool has_ip4, has_ip6;
	uint8_t ip4[4];
	uint8_t ip6[16];
	bool connect; /* active open (client) instead of listen */
	uint8_t peer_family;
	uint8_t peer_addr[16];
	uint16_t peer_port;
	uint32_t seconds; /* rawgen duration */
	uint16_t frame_size;
	bool linger;  /* client modes: wait for SIGTERM after finishing */
	uint32_t buf; /* lib/tcp rcv_buf and snd_buf */
	const char *impair_rx_cfg, *impair_tx_cfg;

	/* runtime */
	uint16_t port_id;
	struct rte_ether_addr mac;
	struct rte_mempool *pool;     /* rx and application data */
	struct rte_mempool *hdr_pool; /* lib/tcp headers and indirect mbufs */
	struct sg_impair *imp_rx, *imp_tx;
	struct sg_tcp_stack *tcp;
	struct srv_app *app;
	sg_usec_t now;
	bool done; /* client modes: finished */
	int exit_code;
	struct srv_counters cnt;
	struct sg_net_iface ifc;
	struct sg_net_neigh_table *nt;
	uint64_t net_drops[SG_NET_DROP_COUNT];
};

/* Monotonic microseconds. */
sg_usec_t srv_now(void);

/* L2 on lib/net: interface identity and neighbour cache (after the port is up). */
int srv_l2_init(struct srv *s);
/* Prints lib/net's drop counters, frees the cache. */
void srv_l2_fini(struct srv *s);

/* Frames for lib/net (ARP, NDP, ICMP echo) are answered or dropped and
 * counted (m consumed, returns 1); a TCP packet for us gets m->l2_len set and
 * returns 0. */
int srv_l2_input(struct srv *s, struct rte_mbuf *m);

/* MAC of a neighbour: 0, or lib/net's resolve codes (a solicitation is sent
 * when lib/net says so). */
int srv_l2_resolve(struct srv *s, int family, const uint8_t *addr, struct rte_ether_addr *mac);

/* Prepend Ethernet to a packet that starts at its IP header; 0 or -1 (no
 * neighbour yet: the caller frees it, TCP retransmits). */
int srv_l2_output(struct srv *s, struct rte_mbuf *m);

/* Send frames (they start at Ethernet) through the tx impairment stage and
 * the port; the mbufs are always consumed. */
void srv_xmit(struct srv *s, struct rte_mbuf **pkts, uint16_t n);

/* TCP application. */
int srv_app_init(struct srv *s);
void srv_app_input(struct srv *s, struct rte_mbuf **pkts, uint16_t n);
void srv_app_poll(struct srv *s);
void srv_app_fini(struct srv *s);
/* lib/tcp's counters as "tcp.<name> value" lines. */
void srv_app_print_stats(struct srv *s);
void srv_tcp_tx(void *arg, struct rte_mbuf **pkts, uint16_t n);

/* Raw modes; return the process exit code. */
int srv_raw_run(struct srv *s, volatile int *stop);

#endif /* SG_TESTSRV_H */
