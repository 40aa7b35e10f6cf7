/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstp-loadgen: many emulated SSTP clients in one process.
 *
 * One client = one TCP connection -> lib/tls (client) -> lib/sstp client state machine ->
 * lib/ppp peer -> crypto binding -> inner IPv4 (ICMP echo or UDP) to a target.
 * Everything the server sends goes through the libraries' bounded parsers; a client that
 * sees something wrong fails with a named reason and the generator carries on.
 *
 * The client logic (lg_client.c) is shared by two transports (struct lg_transport):
 * kernel sockets + epoll (lg_sock.c) and DPDK net_memif with lib/tcp in client mode plus a
 * LAN-side memif port that sinks, reflects or originates the inner packets (lg_memif.c).
 */
#ifndef SG_LOADGEN_H
#define SG_LOADGEN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_ppp.h"
#include "sg_sstp.h"
#include "sg_tls.h"

#define LG_MAX_BIND 64
#define LG_MAX_REASONS 64
#define LG_HIST_US 200000 /* RTT histogram: 1 us buckets up to 200 ms, then overflow */
#define LG_MAGIC 0x53474c47u /* "SGLG" at the start of every inner payload */

enum lg_inner { LG_INNER_ICMP = 0, LG_INNER_UDP = 1 };

/* Where inner packets go (memif transport; the kernel one always uses ECHO). */
enum lg_dir {
	LG_DIR_ECHO = 0, /* client -> LAN reflector -> client: round trip */
	LG_DIR_UP,	 /* client -> LAN sink: one-way upstream */
	LG_DIR_DOWN,	 /* LAN -> client: one-way downstream */
};

#define LG_IMIX_MAX 1400 /* IMIX: 7 x 64, 4 x 576, 1 x 1400 bytes (inner IPv4, PPP MTU) */

struct lg_opts {
	struct sockaddr_in server;
	const char *host; /* HTTP Host header */
	const char *user, *password;
	uint8_t auth; /* 0: MS-CHAPv2/CHAP/PAP as the server proposes; else only this one */
	bool auth_mix;	/* alternate clients between PAP and MS-CHAPv2 (overrides auth) */
	struct in_addr bind[LG_MAX_BIND];
	int nbind;
	uint32_t target; /* inner destination, host order */
	enum lg_inner inner;
	uint16_t udp_port;
	uint16_t size;		  /* inner IPv4 packet size (bytes, 48..1500) */
	bool imix;		  /* sizes cycle through the IMIX pattern instead */
	enum lg_dir dir;
	sg_usec_t setup_timeout;  /* per client, connect to tunnel up */
	unsigned max_pending;	  /* handshakes in flight at once */
	bool tls12;
};

/* How a churning client ends its call. */
enum lg_end { LG_END_DISCONNECT = 0, LG_END_RST, LG_END_FIN };

enum lg_state {
	LG_ST_FREE = 0,
	LG_ST_CONNECTING, /* TCP connect in progress */
	LG_ST_HANDSHAKE,  /* TLS, HTTP, SSTP, PPP until CONNECTED + IPCP up */
	LG_ST_UP,	  /* tunnel open, inner traffic flows */
	LG_ST_CLOSING,	  /* we sent DISCONNECT; waiting briefly for the ACK */
};

/* Totals over every client (and the failure reasons, each counted). */
struct lg_stats {
	uint64_t started, up, failed, closed;
	uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes, rx_bad, rx_late;
	uint64_t setup_us_sum;
	char reason[LG_MAX_REASONS][48];
	uint64_t reason_count[LG_MAX_REASONS];
	uint64_t tx_backpressure; /* inner packets not sent: TLS output queue full */
	/* churn mode: calls we ended ourselves, by how */
	uint64_t ended_disconnect, ended_rst, ended_fin, auth_pap, auth_mschapv2;
	uint32_t *hist; /* LG_HIST_US + 1 buckets (RTT in us) */
	uint64_t hist_n;
};

struct lg_client;
struct lg;

/*
 * A transport moves TLS bytes between a client and the server. It calls back into
 * lg_client.c: lg_client_connected() once, lg_client_input() per received chunk,
 * lg_client_transport_down() when the connection ends, then lg_client_settle().
 */
struct lg_transport {
	const char *name;
	/* Start c's TCP connection. 0, or -errno after lg_client_fail(). */
	int (*open)(struct lg_client *c);
	/* Move c's pending TLS output into the connection as far as it takes it. */
	void (*flush)(struct lg_client *c);
	/* Release c's connection: orderly when graceful, else abortive. */
	void (*close)(struct lg_client *c, bool graceful);
	/* Run I/O once (waiting up to timeout_ms when the transport can block). */
	void (*poll)(struct lg *lg, int timeout_ms);
	/* Downstream: n stamped inner packets from the LAN side to client c; sent or -errno. */
	int (*lan_send)(struct lg_client *c, unsigned n, sg_usec_t now);
	/* The transport's own counters, one put() per name (may be NULL). */
	void (*counters)(struct lg *lg, void (*put)(void *arg, const char *name, uint64_t v),
			 void *arg);
	/* True when no connection is left (may be NULL). */
	bool (*idle)(struct lg *lg);
	void (*fini)(struct lg *lg);
};

/* The memif transport: this process drives two net_memif ports in client role. */
struct lg_memif_opts {
	const char *wan_sock;	/* memif socket of the server's WAN port (a file) */
	const char *lan_sock;	/* memif socket of the server's LAN port */
	unsigned lcore;		/* the generator's core */
	uint32_t local_ip;	/* our WAN address (the clients' TCP source), host order */
	uint32_t lan_ip;	/* our LAN address (the inner target / origin), host order */
	uint32_t lan_gw;	/* the server's LAN address (next hop for downstream) */
	unsigned ring_log2;	/* memif ring size: 2^ring_log2 slots */
};

struct lg {
	const struct lg_opts *o;
	struct sg_tls_ctx *tls;
	struct sg_ppp_config pcfg;
	struct sg_ppp_config pcfg_pap; /* auth_mix: every other client */
	const struct lg_transport *tr;
	void *trp; /* the transport's state */
	int epfd;  /* kernel transport */
	struct lg_client *cl;
	unsigned ncl;
	unsigned pending; /* clients in CONNECTING or HANDSHAKE */
	unsigned nup;
	unsigned next_bind;
	uint32_t gen; /* inner payload generation: replies to an older one count as late */
	bool close_on_up; /* setup mode: disconnect as soon as a tunnel is up */
	unsigned imix_i;
	unsigned *free_idx; /* stack of free client slots */
	unsigned nfree;
	struct sg_sstp_stats sstats; /* shared by every client (one thread) */
	struct lg_stats st;
};

struct lg_client {
	enum lg_state state;
	int fd;	    /* kernel transport */
	void *conn; /* memif transport: struct sg_tcp_conn */
	unsigned idx;
	uint32_t gen;
	struct lg *lg;
	struct sg_tls_conn *tls;
	struct sg_sstp_client_config scfg;
	struct sg_sstp_client sc;
	struct sg_ppp_session *ppp;
	sg_usec_t t_start, t_up, deadline;
	sg_usec_t hold_until; /* churn mode: when this call ends (0: not drawn yet) */
	uint8_t end_style;    /* churn mode: enum lg_end */
	bool abortive;	      /* churn mode: the transport closes abortively (TCP RST) */
	uint32_t local_ip; /* host order, from IPCP */
	uint16_t seq;
	bool sstp_open, ipcp_up, want_out, sstp_started, was_up;
	bool failed, finished; /* set inside callbacks; acted on once they return */
	char fail[48];
	sg_usec_t now;
};

sg_usec_t lg_now(void);
/* Inner size of the next packet (the fixed size, or the next one of the IMIX pattern). */
size_t lg_next_size(struct lg *lg);
/* Build a stamped inner IPv4/UDP packet of len bytes at ip (host-order addresses). */
void lg_udp_build(struct lg *lg, uint8_t *ip, size_t len, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport, unsigned idx, uint16_t seq, sg_usec_t now);
/*
 * Account one received inner IPv4 packet whose stamp starts 8 bytes into l4: counts it
 * (rx, late or bad) and its delay now - stamp into the histogram. idx: the client it
 * must name, or -1 for any.
 */
void lg_stamp_rx(struct lg *lg, const uint8_t *ip, size_t tot, size_t l4, long idx,
		 sg_usec_t now);
/* Count a failure reason (copied; the table holds LG_MAX_REASONS distinct ones). */
void lg_count_reason(struct lg_stats *st, const char *reason);
/* Open a free slot; -ENOSPC when every slot is busy. */
int lg_open_next(struct lg *lg, sg_usec_t now);

int lg_init(struct lg *lg, const struct lg_opts *o, unsigned nclients, char *err, size_t errlen);
/* Transports: lg_init() sets the kernel one; lg_memif_attach() replaces it. */
int lg_sock_attach(struct lg *lg, char *err, size_t errlen);
/* EAL, both ports (waits for their links), ARP for the server's addresses, lib/tcp in
 * client mode. 0, or -errno with err filled. */
int lg_memif_attach(struct lg *lg, const struct lg_memif_opts *mo, char *err, size_t errlen);
void lg_fini(struct lg *lg);
/* Graceful close (DISCONNECT then close after a short linger) or immediate. */
void lg_client_close(struct lg_client *c, bool graceful, sg_usec_t now);
/* Abrupt end of an UP client's call, no SSTP: a TCP RST (rst) or a plain close (FIN). */
void lg_client_abort(struct lg_client *c, bool rst, sg_usec_t now);
/* For transports (see struct lg_transport). */
void lg_client_fail(struct lg_client *c, const char *fmt, const char *detail);
void lg_client_connected(struct lg_client *c, sg_usec_t now);
void lg_client_input(struct lg_client *c, const uint8_t *p, size_t len);
void lg_client_transport_down(struct lg_client *c, const char *reason);
void lg_client_settle(struct lg_client *c);
/* Run timers and setup deadlines of every client. */
void lg_timers(struct lg *lg, sg_usec_t now);
/* Send n inner packets from client c (which is UP) in one TLS write. Packets sent, or -errno. */
int lg_client_send_inner(struct lg_client *c, unsigned n, sg_usec_t now);

#endif /* SG_LOADGEN_H */
