/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstp-loadgen, kernel-socket transport: many emulated SSTP clients in one process.
 *
 * One client = one non-blocking TCP socket -> lib/tls (client) -> lib/sstp client state
 * machine -> lib/ppp peer -> crypto binding -> inner IPv4 (ICMP echo or UDP) to a target.
 * Everything the server sends goes through the libraries' bounded parsers; a client that
 * sees something wrong fails with a named reason and the generator carries on.
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

struct lg_opts {
	struct sockaddr_in server;
	const char *host; /* HTTP Host header */
	const char *user, *password;
	uint8_t auth; /* 0: MS-CHAPv2/CHAP/PAP as the server proposes; else only this one */
	struct in_addr bind[LG_MAX_BIND];
	int nbind;
	uint32_t target; /* inner destination, host order */
	enum lg_inner inner;
	uint16_t udp_port;
	uint16_t size;		  /* inner IPv4 packet size (bytes, 28..1500) */
	sg_usec_t setup_timeout;  /* per client, connect to tunnel up */
	unsigned max_pending;	  /* handshakes in flight at once */
	bool tls12;
};

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
	uint32_t *hist; /* LG_HIST_US + 1 buckets (RTT in us) */
	uint64_t hist_n;
};

struct lg_client;

struct lg {
	const struct lg_opts *o;
	struct sg_tls_ctx *tls;
	struct sg_ppp_config pcfg;
	int epfd;
	struct lg_client *cl;
	unsigned ncl;
	unsigned pending; /* clients in CONNECTING or HANDSHAKE */
	unsigned nup;
	unsigned next_bind;
	uint32_t gen; /* inner payload generation: replies to an older one count as late */
	bool close_on_up; /* setup mode: disconnect as soon as a tunnel is up */
	unsigned *free_idx; /* stack of free client slots */
	unsigned nfree;
	struct sg_sstp_stats sstats; /* shared by every client (one thread) */
	struct lg_stats st;
};

struct lg_client {
	enum lg_state state;
	int fd;
	unsigned idx;
	uint32_t gen;
	struct lg *lg;
	struct sg_tls_conn *tls;
	struct sg_sstp_client_config scfg;
	struct sg_sstp_client sc;
	struct sg_ppp_session *ppp;
	sg_usec_t t_start, t_up, deadline;
	uint32_t local_ip; /* host order, from IPCP */
	uint16_t seq;
	bool sstp_open, ipcp_up, want_out, sstp_started, was_up;
	bool failed, finished; /* set inside callbacks; acted on once they return */
	char fail[48];
	sg_usec_t now;
};

sg_usec_t lg_now(void);
/* Count a failure reason (copied; the table holds LG_MAX_REASONS distinct ones). */
void lg_count_reason(struct lg_stats *st, const char *reason);
/* Open a free slot; -ENOSPC when every slot is busy. */
int lg_open_next(struct lg *lg, sg_usec_t now);

int lg_init(struct lg *lg, const struct lg_opts *o, unsigned nclients, char *err, size_t errlen);
void lg_fini(struct lg *lg);
/* Graceful close (DISCONNECT then close after a short linger) or immediate. */
void lg_client_close(struct lg_client *c, bool graceful, sg_usec_t now);
/* Socket readiness for client c. */
void lg_client_event(struct lg_client *c, uint32_t events, sg_usec_t now);
/* Run timers and setup deadlines of every client. */
void lg_timers(struct lg *lg, sg_usec_t now);
/* Send n inner packets from client c (which is UP) in one TLS write. Packets sent, or -errno. */
int lg_client_send_inner(struct lg_client *c, unsigned n, sg_usec_t now);

#endif /* SG_LOADGEN_H */
