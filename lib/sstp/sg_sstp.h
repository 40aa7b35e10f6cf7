/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/sstp: the SSTP protocol core (MS-SSTP), pure C. Bytes and events in,
 * actions and bytes out, time passed in as sg_usec_t. No sockets, timers or
 * mbufs; OpenSSL only for HMAC/SHA/RAND.
 *
 *   sg_sstp_wire.h   every constant, limit and packed wire struct
 *   sg_sstp_codec.h  counters, packet codec, control messages, stream deframer
 *   sg_sstp_http.h   the HTTP phase (request/reply parsers and writers)
 *   sg_sstp_crypto.h crypto binding (cert hash, CMK, compound MAC, HLAK)
 *   sg_sstp.h        this file: the server and client state machines
 *
 * Using a state machine (server shown; the client is the same shape):
 *
 *	struct sg_sstp_result r;
 *	while (len > 0) {
 *		int n = sg_sstp_server_rx(&s, in, len, now, &r);
 *		handle(&r);  // send r.tx, pass r.ppp to PPP, start PPP, open data path, close
 *		in += n; len -= n;
 *		if (r.actions & SG_SSTP_ACT_CLOSE) break;
 *	}
 *	... when now >= sg_sstp_server_deadline(&s): sg_sstp_server_timer(&s, now, &r)
 *
 * Every call fills a struct sg_sstp_result the caller owns. One object is
 * used by one thread (the connection's owner core); calls never block.
 */
#ifndef SG_SSTP_H
#define SG_SSTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_common.h"
#include "sg_sstp_codec.h"
#include "sg_sstp_crypto.h"
#include "sg_sstp_http.h"
#include "sg_sstp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Connection states (server and client; MS-SSTP §3.1.1.1, §3.2.1.1.1, §3.3.1.1.1). */
#define SG_SSTP_STATES(X)                                                                          \
	X(HTTP)			  /* server: awaiting the request; client: awaiting the reply */   \
	X(CONNECT_REQ_PENDING)	  /* server: awaiting CONNECT_REQUEST; client: request sent */     \
	X(CONNECTED_PENDING)	  /* ACK sent (server) / received (client): PPP negotiates */      \
	X(CONNECTED)		  /* crypto binding done: data path open */                        \
	X(ABORT_PENDING)	  /* we sent ABORT: T1 for the peer's ABORT */                     \
	X(ABORT_TIMEOUT)	  /* T2 before closing */                                          \
	X(DISCONNECT_ACK_PENDING) /* we sent DISCONNECT: waiting for its ACK */                    \
	X(DISCONNECT_TIMEOUT)	  /* we acked the peer's DISCONNECT: linger, then close */         \
	X(CLOSED)		  /* close the TCP connection; ignores everything */

enum sg_sstp_state {
#define SG_SSTP_STATE_ENUM_(name) SG_SSTP_ST_##name,
	SG_SSTP_STATES(SG_SSTP_STATE_ENUM_)
#undef SG_SSTP_STATE_ENUM_
};

const char *sg_sstp_state_name(enum sg_sstp_state st);

/* Actions in struct sg_sstp_result, in the order the caller should apply them. */
#define SG_SSTP_ACT_SEND      0x01u /* send tx[0..tx_len) to the peer (before closing) */
#define SG_SSTP_ACT_PPP_INPUT 0x02u /* hand ppp[0..ppp_len) to PPP (valid until the next call) */
#define SG_SSTP_ACT_PPP_START 0x04u /* CONNECT_ACK exchanged: start PPP (LCP) */
#define SG_SSTP_ACT_DATA_OPEN 0x08u /* crypto binding done: PPP data frames may flow */
#define SG_SSTP_ACT_PPP_DOWN  0x10u /* tunnel is going down (abort/disconnect): stop PPP */
#define SG_SSTP_ACT_CLOSE     0x20u /* close the TCP connection now (after sending tx) */

#define SG_SSTP_TX_MAX	    512 /* largest tx of one call (HTTP reply or two control packets) */
#define SG_SSTP_NO_DEADLINE UINT64_MAX

struct sg_sstp_result {
	uint32_t actions;	    /* SG_SSTP_ACT_* */
	enum sg_sstp_reason reason; /* why (the last counted event of this call), or NONE */
	uint32_t status;	    /* SSTP status of an ABORT sent or received */
	int http_status;    /* server HTTP phase: 200 or the error answered; client: reply code */
	const uint8_t *ppp; /* with SG_SSTP_ACT_PPP_INPUT */
	size_t ppp_len;
	sg_usec_t deadline; /* when to call *_timer() next, or SG_SSTP_NO_DEADLINE */
	uint16_t tx_len;
	uint8_t tx[SG_SSTP_TX_MAX];
};

/* Timer values; 0 in a field means the MS-SSTP default. */
struct sg_sstp_timers {
	sg_usec_t http;		 /* complete HTTP request/reply (default 60 s) */
	sg_usec_t negotiation;	 /* 60 s */
	sg_usec_t hello;	 /* 60 s */
	sg_usec_t abort_t1;	 /* 3 s */
	sg_usec_t abort_t2;	 /* 1 s */
	sg_usec_t disconnect_t1; /* 5 s: wait for DISCONNECT_ACK */
	sg_usec_t disconnect_t2; /* 1 s: after acking a DISCONNECT */
};

/* State shared by server and client. Private: use the functions below. */
struct sg_sstp_conn {
	enum sg_sstp_state state;
	bool is_server;
	bool echo_outstanding;
	struct sg_sstp_stats *stats; /* may be NULL */
	sg_usec_t deadline;	     /* state timer (not hello) */
	sg_usec_t last_rx;	     /* hello timer base */
	struct sg_sstp_timers t;
	struct sg_sstp_deframer df;
};

/* ---- server ---- */

struct sg_sstp_server_config {
	/* Hash protocols offered in CONNECT_ACK: SG_SSTP_HASH_SHA256 (default), | SHA1 to accept
	 * it. */
	uint8_t hash_bitmask;
	/* Verify the compound MAC (default true). false: accept CONNECTED without it. */
	bool require_crypto_binding;
	/* Bad CONNECT_REQUESTs answered with a NAK before aborting (default 3). */
	uint8_t max_naks;
	bool cert_hash_set;
	uint8_t cert_hash_sha1[SG_SSTP_HASH_FIELD];
	uint8_t cert_hash_sha256[SG_SSTP_HASH_FIELD];
	struct sg_sstp_timers timers;
};

/* Defaults (SHA256 only, binding required, 3 NAKs, MS-SSTP timers); no certificate yet. */
void sg_sstp_server_config_init(struct sg_sstp_server_config *cfg);
/* Hash the DER leaf certificate the clients see (SHA1 and SHA256). 0 or -errno. */
int sg_sstp_server_config_set_cert(struct sg_sstp_server_config *cfg, const uint8_t *der,
				   size_t der_len);

struct sg_sstp_server {
	struct sg_sstp_conn c;
	const struct sg_sstp_server_config *cfg;
	struct sg_sstp_http_req http;
	uint8_t naks;
	bool have_hlak;
	bool connected_queued;
	uint8_t nonce[SG_SSTP_NONCE_LEN];
	uint8_t hlak[SG_SSTP_HLAK_LEN];
	uint8_t queued[SG_SSTP_CONNECTED_LEN];
};

/*
 * Start a server connection (the TLS session is up; the HTTP request is next).
 * cfg must outlive s; stats may be NULL. Returns 0, or -EINVAL when the
 * config requires crypto binding but has no certificate hash.
 */
int sg_sstp_server_init(struct sg_sstp_server *s, const struct sg_sstp_server_config *cfg,
			struct sg_sstp_stats *stats, sg_usec_t now);
/* Wipe the secrets (HLAK, nonce). Call when the connection is gone. */
void sg_sstp_server_fini(struct sg_sstp_server *s);

/*
 * Bytes from the peer (decrypted TLS). Handles at most one HTTP request or one
 * SSTP packet per call and returns the bytes consumed (> 0 when len > 0, or
 * len once closed). Loop until all input is consumed or ACT_CLOSE is set.
 */
int sg_sstp_server_rx(struct sg_sstp_server *s, const uint8_t *in, size_t len, sg_usec_t now,
		      struct sg_sstp_result *r);
/* Timer event: call when now >= the deadline (earlier calls do nothing). */
void sg_sstp_server_timer(struct sg_sstp_server *s, sg_usec_t now, struct sg_sstp_result *r);
/*
 * PPP authentication succeeded: hlak is the 32-byte HLAK (server side MPPE
 * MasterReceiveKey || MasterSendKey, see sg_sstp_hlak_from_mppe) or NULL for
 * 32 zero bytes (PAP, CHAP-MD5, no keys). Verifies a queued CONNECTED.
 */
void sg_sstp_server_auth_done(struct sg_sstp_server *s, const uint8_t *hlak, sg_usec_t now,
			      struct sg_sstp_result *r);
/* Graceful disconnect (shutdown, auth failure, admin kill): DISCONNECT, wait for the ACK. */
void sg_sstp_server_disconnect(struct sg_sstp_server *s, sg_usec_t now, struct sg_sstp_result *r);
/* Local abort with an SSTP status. */
void sg_sstp_server_abort(struct sg_sstp_server *s, uint32_t status, sg_usec_t now,
			  struct sg_sstp_result *r);
/*
 * PPP wants to send frame (len bytes): if the state allows it (control frames
 * from CONNECTED_PENDING, all frames once CONNECTED) writes the 4-byte SSTP
 * header to put in front of it and returns 0; -EPERM (not now, counted) or
 * -EMSGSIZE (counted) to drop it.
 */
int sg_sstp_server_ppp_tx(struct sg_sstp_server *s, const uint8_t *frame, size_t len,
			  uint8_t hdr[SG_SSTP_HDR_LEN]);
/* Next deadline for sg_sstp_server_timer, or SG_SSTP_NO_DEADLINE. */
sg_usec_t sg_sstp_server_deadline(const struct sg_sstp_server *s);
static inline enum sg_sstp_state sg_sstp_server_state(const struct sg_sstp_server *s)
{
	return s->c.state;
}

/* ---- client (load generator, tests) ---- */

struct sg_sstp_client_config {
	const char *host;	    /* Host header */
	const char *correlation_id; /* SSTPCORRELATIONID value or NULL */
	uint8_t hash_bitmask;	    /* hash protocols the client accepts (default both) */
	uint8_t max_naks;	    /* CONNECT_NAKs tolerated (default 3) */
	bool cert_hash_set;
	uint8_t cert_hash_sha1[SG_SSTP_HASH_FIELD]; /* of the certificate the client saw */
	uint8_t cert_hash_sha256[SG_SSTP_HASH_FIELD];
	struct sg_sstp_timers timers;
};

void sg_sstp_client_config_init(struct sg_sstp_client_config *cfg, const char *host);
int sg_sstp_client_config_set_cert(struct sg_sstp_client_config *cfg, const uint8_t *der,
				   size_t der_len);

struct sg_sstp_client {
	struct sg_sstp_conn c;
	const struct sg_sstp_client_config *cfg;
	struct sg_sstp_http_reply http;
	uint8_t naks;
	uint8_t hash_proto; /* chosen from the CONNECT_ACK */
	uint8_t nonce[SG_SSTP_NONCE_LEN];
};

/* Init and produce the HTTP request in r->tx. 0 or -EINVAL (no certificate hash/host). */
int sg_sstp_client_start(struct sg_sstp_client *c, const struct sg_sstp_client_config *cfg,
			 struct sg_sstp_stats *stats, sg_usec_t now, struct sg_sstp_result *r);
void sg_sstp_client_fini(struct sg_sstp_client *c);
/* As sg_sstp_server_rx. */
int sg_sstp_client_rx(struct sg_sstp_client *c, const uint8_t *in, size_t len, sg_usec_t now,
		      struct sg_sstp_result *r);
void sg_sstp_client_timer(struct sg_sstp_client *c, sg_usec_t now, struct sg_sstp_result *r);
/*
 * PPP authentication done (client side HLAK = MasterSendKey || MasterReceiveKey,
 * or NULL for zeros): sends CONNECTED with the crypto binding. -EINVAL when
 * not in CONNECTED_PENDING.
 */
int sg_sstp_client_auth_done(struct sg_sstp_client *c, const uint8_t *hlak, sg_usec_t now,
			     struct sg_sstp_result *r);
void sg_sstp_client_disconnect(struct sg_sstp_client *c, sg_usec_t now, struct sg_sstp_result *r);
void sg_sstp_client_abort(struct sg_sstp_client *c, uint32_t status, sg_usec_t now,
			  struct sg_sstp_result *r);
int sg_sstp_client_ppp_tx(struct sg_sstp_client *c, const uint8_t *frame, size_t len,
			  uint8_t hdr[SG_SSTP_HDR_LEN]);
sg_usec_t sg_sstp_client_deadline(const struct sg_sstp_client *c);
static inline enum sg_sstp_state sg_sstp_client_state(const struct sg_sstp_client *c)
{
	return c->c.state;
}

#ifdef __cplusplus
}
#endif

#endif /* SG_SSTP_H */
