/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A single sg_tcp stack driven by hand-made segments: the peer is the test.
 * Captures every output packet and every event.
 */
#ifndef TCP_HARNESS_H
#define TCP_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "sg_tcp.h"
#include "tcp_priv.h"

#define H_MAX_OUT 4096
#define H_MAX_EV  256

struct h_out {
	uint8_t flags;
	uint32_t seq, ack, win, len;
	uint64_t ol_flags;
	uint16_t tso_segsz, l3_len, l4_len, nb_segs;
	struct tcp_opts o;
	uint8_t data[2048];
};

struct h_ev {
	enum sg_tcp_event ev;
	struct sg_tcp_conn *conn;
	int err;
	uint32_t len;
};

struct harness {
	struct sg_tcp_stack *s;
	struct rte_mempool *pool;
	struct sg_tcp_config cfg;
	sg_usec_t now;
	unsigned nout;
	struct h_out out[H_MAX_OUT];
	unsigned nev;
	struct h_ev ev[H_MAX_EV];
	struct sg_tcp_conn *conn; /* last accepted/connected */
	uint8_t rx[1 << 16];
	uint32_t rxlen;
	bool consume; /* call recv_consumed on READABLE (default true) */
	bool abort_on_accept;
	/* peer (the test) */
	uint8_t family;
	uint16_t pport;
	uint16_t lport; /* our port the peer sends to (443) */
	uint32_t pseq;	/* next sequence number the peer sends */
	uint32_t pack;	/* what the peer acknowledges (our next seq) */
	uint32_t ptsval;
	uint32_t ptsecr; /* last TSval seen from the stack (echoed) */
	uint32_t iss;	 /* our ISS as seen in the SYN-ACK */
};

struct h_seg {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opts;
	uint8_t optlen;
	const void *data;
	uint32_t len;
	int doff;	/* override data offset (words), 0 = computed */
	int ip_len_adj; /* added to the IP length field */
	int trunc;	/* bytes cut from the end of the mbuf */
	bool bad_cksum;
	uint8_t proto;	 /* 0 = TCP */
	uint16_t frag;	 /* IPv4 fragment field */
	uint8_t version; /* 0 = family */
};

/* Create the harness with `cfg` adjustments applied by the caller before
 * h_start(). */
void h_init(struct harness *h);
void h_start(struct harness *h);
void h_fini(struct harness *h);

/* Send a segment from the peer (port h->pport) to port 443. */
void h_send(struct harness *h, const struct h_seg *g);
void h_advance(struct harness *h, sg_usec_t usec);
void h_clear(struct harness *h);

/* Full handshake with MSS 1460, SACK, TS, WS 7. Returns the connection. */
struct sg_tcp_conn *h_establish(struct harness *h);
/* Peer data segment at h->pseq (advances it), ACK = h->pack, TS option. */
void h_data(struct harness *h, const void *data, uint32_t len, uint8_t extra_flags);
/* A bare ACK/flag segment with TS option at h->pseq. */
void h_flag(struct harness *h, uint8_t flags, uint32_t seq, uint32_t ack);

unsigned h_count_ev(const struct harness *h, enum sg_tcp_event ev);
const struct h_out *h_last(const struct harness *h);
uint64_t h_drop(const struct harness *h, enum sg_tcp_drop r);
uint64_t h_stat(const struct harness *h, size_t offset);
#define H_STAT(h, field) h_stat(h, offsetof(struct sg_tcp_stats, field))

/* TS option bytes (NOP NOP TS) for tsval/tsecr. */
void h_ts_opt(uint8_t out[12], uint32_t tsval, uint32_t tsecr);

#endif
