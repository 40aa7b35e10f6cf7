/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/aaa: authentication, accounting and dynamic authorization for the control core.
 *
 * Two backends give the same answer (struct sg_aaa_result) so the control core treats
 * them alike:
 *  - the local users file (sg_aaa_local_*): synchronous, verifies PAP, CHAP-MD5 and
 *    MS-CHAPv2 in-process;
 *  - RADIUS (sg_aaa_radius_*): a non-blocking client driven from the control core's poll
 *    loop. Submit a request, get a handle; call sg_aaa_radius_poll(now) when one of the
 *    client's sockets is readable or next_deadline() has passed; completions arrive
 *    through the callback given at submit time, from inside poll().
 *
 * Time is passed in (sg_usec_t, monotonic). Nothing here blocks, prints or exits. None of
 * these objects is thread safe: each belongs to the control core that created it.
 *
 * The control core's loop, in short:
 *
 *	r = sg_aaa_radius_create(&opts);            // servers, secrets, timeouts from config
 *	h = sg_aaa_radius_auth(r, &req, now, on_auth, session);   // per PPP auth request
 *	for (;;) {
 *		n = sg_aaa_radius_fds(r, fds, max);     // + sg_aaa_dae_fd(d), rings, ...
 *		wait until a fd is readable or sg_aaa_radius_next_deadline(r);
 *		sg_aaa_radius_poll(r, now);             // on_auth(session, h, &res) from here
 *		sg_aaa_dae_poll(d, time(NULL));         // Disconnect/CoA -> decide callback
 *	}
 *
 * On ACCEPT, res.hlak is the crypto binding key (zero without keys), res.mschap2_success
 * goes to the peer in the MS-CHAPv2 Success packet, res.class_ is echoed in accounting.
 * On CHALLENGE (EAP), relay res.eap to the peer and submit its answer with res.state.
 */
#ifndef SG_AAA_H
#define SG_AAA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_AAA_NAME_MAX		   253 /* User-Name, Acct-Session-Id, ... (one RADIUS attribute) */
#define SG_AAA_PASSWORD_MAX	   128 /* RFC 2865 §5.2 */
#define SG_AAA_STATE_MAX	   253
#define SG_AAA_CLASS_MAX	   253
#define SG_AAA_EAP_MAX		   4000 /* reassembled EAP packet (fits one RADIUS packet) */
#define SG_AAA_HLAK_LEN		   32
#define SG_AAA_MSCHAP2_SUCCESS_LEN 42 /* "S=" + 40 hex digits (without the ident byte) */

/*
 * Every reason a packet from the network is refused. Each has a counter in
 * struct sg_aaa_stats (drops[SG_AAA_DROP_x]).
 */
#define SG_AAA_DROPS(X)                                                                            \
	X(SHORT, "short")		    /* fewer than 20 bytes */                              \
	X(OVERSIZE, "oversize")		    /* more than 4096 bytes received */                    \
	X(BAD_LENGTH, "bad_length")	    /* header length < 20 or past the datagram */          \
	X(ATTR_LENGTH, "attr_length")	    /* attribute length 0 or 1 */                          \
	X(ATTR_TRUNCATED, "attr_truncated") /* attribute runs past the packet */                   \
	X(ATTR_FLOOD, "attr_flood")	    /* more than SG_RADIUS_MAX_ATTRS attributes */         \
	X(VSA_MALFORMED, "vsa_malformed")   /* vendor attribute lengths lie */                     \
	X(BAD_CODE, "bad_code")		    /* a code we never expect on this socket */            \
	X(UNKNOWN_ID, "unknown_id")	    /* no request in flight with this id */                \
	X(WRONG_SOURCE, "wrong_source")	    /* reply from an address we did not ask */             \
	X(BAD_AUTHENTICATOR, "bad_authenticator")                                                  \
	X(NO_MSG_AUTH, "no_message_authenticator")                                                 \
	X(BAD_MSG_AUTH, "bad_message_authenticator")                                               \
	X(BAD_VALUE, "bad_attribute_value") /* wrong size, undecryptable key, EAP overflow */      \
	X(UNKNOWN_CLIENT, "unknown_client") /* dynamic authorization from an unknown peer */       \
	X(STALE, "stale_event_timestamp")   /* CoA/Disconnect outside the replay window */         \
	X(RECV_ERROR, "recv_error")

enum sg_aaa_drop {
	SG_AAA_DROP_NONE = 0,
#define SG_AAA_DROP_ENUM_(id, name) SG_AAA_DROP_##id,
	SG_AAA_DROPS(SG_AAA_DROP_ENUM_)
#undef SG_AAA_DROP_ENUM_
	    SG_AAA_DROP_COUNT
};

/* "short", "bad_authenticator", ...; "none" for SG_AAA_DROP_NONE, "?" out of range. */
const char *sg_aaa_drop_name(enum sg_aaa_drop d);

enum sg_aaa_status {
	SG_AAA_ACCEPT = 1,
	SG_AAA_REJECT = 2,
	SG_AAA_CHALLENGE = 3, /* EAP: relay result.eap to the peer, send back result.state */
	SG_AAA_TIMEOUT = 4,   /* no server answered */
	SG_AAA_ERROR = 5,     /* local failure (memory, socket, bad request) */
};

enum sg_aaa_method {
	SG_AAA_PAP = 1,
	SG_AAA_CHAP_MD5 = 2,
	SG_AAA_MSCHAPV2 = 3,
	SG_AAA_EAP = 4,
};

/* What the PPP layer collected from the peer. Strings are NUL-terminated. */
struct sg_aaa_auth_req {
	enum sg_aaa_method method;
	char user[SG_AAA_NAME_MAX + 1];
	char password[SG_AAA_PASSWORD_MAX + 1]; /* PAP */
	uint8_t chap_id;			/* CHAP-MD5 and MS-CHAPv2 identifier */
	uint8_t challenge[16];	    /* CHAP challenge / MS-CHAPv2 authenticator challenge */
	uint8_t chap_response[16];  /* CHAP-MD5 */
	uint8_t peer_challenge[16]; /* MS-CHAPv2 */
	uint8_t nt_response[24];    /* MS-CHAPv2 */
	const uint8_t *eap;	    /* EAP: the peer's EAP packet (copied at submit) */
	size_t eap_len;
	uint8_t state[SG_AAA_STATE_MAX]; /* EAP: State from the previous challenge */
	size_t state_len;
	char calling_station_id[64]; /* client's public "IP:port" */
	char acct_session_id[64];    /* optional */
};

/* Bits of sg_aaa_result.has. */
enum sg_aaa_has {
	SG_AAA_HAS_FRAMED_IP = 1u << 0,
	SG_AAA_HAS_FRAMED_IPV6_PREFIX = 1u << 1,
	SG_AAA_HAS_DELEGATED_PREFIX = 1u << 2,
	SG_AAA_HAS_SESSION_TIMEOUT = 1u << 3,
	SG_AAA_HAS_IDLE_TIMEOUT = 1u << 4,
	SG_AAA_HAS_INTERIM = 1u << 5,
	SG_AAA_HAS_MTU = 1u << 6,
	SG_AAA_HAS_DNS1 = 1u << 7,
	SG_AAA_HAS_DNS2 = 1u << 8,
	SG_AAA_HAS_MSCHAP2_SUCCESS = 1u << 9,
	SG_AAA_HAS_KEYS = 1u << 10, /* hlak holds keys from MS-CHAPv2 / EAP */
	SG_AAA_HAS_MSCHAP_ERROR = 1u << 11,
};

/* One answer, the same shape from both backends. Addresses in network byte order. */
struct sg_aaa_result {
	enum sg_aaa_status status;
	uint32_t has; /* enum sg_aaa_has bits */
	uint32_t framed_ip;
	uint8_t framed_ipv6_prefix[16];
	uint8_t framed_ipv6_prefix_len;
	uint8_t delegated_prefix[16];
	uint8_t delegated_prefix_len;
	uint32_t session_timeout;  /* seconds */
	uint32_t idle_timeout;	   /* seconds */
	uint32_t interim_interval; /* seconds */
	uint32_t framed_mtu;
	uint32_t dns[2];
	char framed_pool[64];
	char filter_id[64];
	char reply_message[256];
	uint8_t class_[SG_AAA_CLASS_MAX]; /* echoed in accounting */
	size_t class_len;
	uint8_t mschap_ident;
	char mschap2_success[SG_AAA_MSCHAP2_SUCCESS_LEN + 1]; /* "S=..." for the peer */
	char mschap_error[64];
	uint8_t hlak[SG_AAA_HLAK_LEN]; /* crypto binding key; all zero without keys */
	uint8_t state[SG_AAA_STATE_MAX];
	size_t state_len;
	uint8_t eap[SG_AAA_EAP_MAX]; /* challenge / success / failure for the peer */
	size_t eap_len;
};

/* Wipe secrets (HLAK) from a result. */
void sg_aaa_result_wipe(struct sg_aaa_result *res);

/* ---- RADIUS client ---------------------------------------------------------------- */

#define SG_AAA_RADIUS_MAX_SERVERS 8
#define SG_AAA_SECRET_MAX	  128

struct sg_aaa_radius_server {
	struct sockaddr_storage addr; /* IPv4 or IPv6 address; port ignored */
	uint16_t auth_port;	      /* 0: 1812 */
	uint16_t acct_port;	      /* 0: 1813 */
	char secret[SG_AAA_SECRET_MAX + 1];
};

struct sg_aaa_radius_opts {
	struct sg_aaa_radius_server servers[SG_AAA_RADIUS_MAX_SERVERS]; /* in preference order */
	unsigned n_servers;
	char nas_identifier[64];
	uint32_t nas_ip;     /* NAS-IP-Address, network order; 0: not sent */
	sg_usec_t timeout;   /* first retransmission timeout; 0: 3 s */
	unsigned retries;    /* transmissions per server before failing over; 0: 3 */
	sg_usec_t dead_time; /* a server that timed out is skipped this long; 0: 30 s */
	/* requests in flight at once; 0: 4096 (at most 8192) */
	unsigned max_inflight;
	/* Stop records kept while every server is down; 0: 1024 (with max_inflight <= 65535) */
	unsigned acct_queue_max;
	bool allow_no_msg_auth; /* accept replies without Message-Authenticator (old servers) */
};

/*
 * Named events, counted in struct sg_aaa_stats (events[SG_AAA_EV_x]).
 */
#define SG_AAA_EVENTS(X)                                                                           \
	X(REQUESTS, "requests")                                                                    \
	X(REPLIES, "replies")                                                                      \
	X(RETRANSMITS, "retransmits")                                                              \
	X(FAILOVERS, "failovers")                                                                  \
	X(SERVER_DEAD, "server_dead")                                                              \
	X(TIMEOUTS, "timeouts")                                                                    \
	X(SEND_ERRORS, "send_errors")                                                              \
	X(ACCT_QUEUED, "acct_queued")                                                              \
	X(ACCT_QUEUE_OVERFLOW, "acct_queue_overflow")                                              \
	X(ACCT_LOST, "acct_lost")                                                                  \
	X(DAE_ACK, "dae_ack")                                                                      \
	X(DAE_NAK, "dae_nak")

enum sg_aaa_event {
#define SG_AAA_EV_ENUM_(id, name) SG_AAA_EV_##id,
	SG_AAA_EVENTS(SG_AAA_EV_ENUM_)
#undef SG_AAA_EV_ENUM_
	    SG_AAA_EV_COUNT
};

const char *sg_aaa_event_name(enum sg_aaa_event e);

struct sg_aaa_stats {
	uint64_t drops[SG_AAA_DROP_COUNT];
	uint64_t events[SG_AAA_EV_COUNT];
};

struct sg_aaa_radius;

/*
 * Completion: called from sg_aaa_radius_poll() (never from submit). `res` is valid only
 * during the call. The handle is finished when this returns. The callback may submit or
 * cancel requests, but must not destroy the client.
 */
typedef void (*sg_aaa_done_fn)(void *arg, uint32_t handle, const struct sg_aaa_result *res);

/* Create the client (sockets are opened lazily). NULL and errno on failure. */
struct sg_aaa_radius *sg_aaa_radius_create(const struct sg_aaa_radius_opts *opts);

/* Cancel everything in flight without callbacks, close sockets, free. NULL is fine. */
void sg_aaa_radius_destroy(struct sg_aaa_radius *r);

/*
 * Submit an authentication. Returns a handle (>= 0, fits 31 bits) or -errno:
 * -EINVAL bad request, -EBUSY max_inflight reached, -ENOMEM, -EMSGSIZE (does not fit).
 */
int sg_aaa_radius_auth(struct sg_aaa_radius *r, const struct sg_aaa_auth_req *req, sg_usec_t now,
		       sg_aaa_done_fn done, void *arg);

/* Drop a request; its callback will not run. -ENOENT if unknown/finished. */
int sg_aaa_radius_cancel(struct sg_aaa_radius *r, uint32_t handle);

/*
 * Read every socket until it would block, verify and complete replies, retransmit or
 * fail over what timed out. Returns the number of completions, or -errno.
 */
int sg_aaa_radius_poll(struct sg_aaa_radius *r, sg_usec_t now);

/* Earliest time poll() must run even without socket activity; UINT64_MAX if idle. */
sg_usec_t sg_aaa_radius_next_deadline(const struct sg_aaa_radius *r);

/*
 * Sockets to watch for POLLIN; returns how many were written (at most max). Sockets are
 * opened on demand (one per address family, one more per 256 requests in flight) and
 * never closed before destroy: refresh the set after submitting.
 */
unsigned sg_aaa_radius_fds(const struct sg_aaa_radius *r, int *fds, unsigned max);

/* Requests in flight (including queued accounting). */
unsigned sg_aaa_radius_inflight(const struct sg_aaa_radius *r);

/* Copy the counters. */
void sg_aaa_radius_stats(const struct sg_aaa_radius *r, struct sg_aaa_stats *out);

/* Index of the server the client currently prefers (for tests and telemetry). */
unsigned sg_aaa_radius_current_server(const struct sg_aaa_radius *r, sg_usec_t now);

/* ---- accounting (RFC 2866) ------------------------------------------------------------ */

enum sg_aaa_acct_type {
	SG_AAA_ACCT_START = 1,
	SG_AAA_ACCT_STOP = 2,
	SG_AAA_ACCT_INTERIM = 3,
	SG_AAA_ACCT_ON = 7,
	SG_AAA_ACCT_OFF = 8,
};

struct sg_aaa_acct {
	enum sg_aaa_acct_type type;
	char user[SG_AAA_NAME_MAX + 1];
	char session_id[64];
	char calling_station_id[64];
	uint32_t framed_ip; /* network order; 0: not sent */
	uint8_t framed_ipv6_prefix[16];
	uint8_t framed_ipv6_prefix_len; /* 1..128; 0: not sent */
	uint64_t in_octets, out_octets;
	uint64_t in_packets, out_packets; /* sent as 32-bit counters (RFC 2866) */
	uint32_t session_time;		  /* seconds */
	uint32_t terminate_cause;	  /* Stop only; 0: not sent */
	uint32_t event_time;		  /* Event-Timestamp, UNIX seconds; 0: not sent */
	uint8_t class_[SG_AAA_CLASS_MAX]; /* Class from Access-Accept */
	size_t class_len;
};

/*
 * Send an accounting record. `done` (may be NULL) gets status ACCEPT when a server
 * answered or TIMEOUT when all were tried; a Stop that timed out is queued (bounded,
 * counted) and retried every dead_time until answered, without a second callback.
 * Acct-Delay-Time grows on every retransmission. Returns a handle or -errno.
 */
int sg_aaa_radius_acct(struct sg_aaa_radius *r, const struct sg_aaa_acct *rec, sg_usec_t now,
		       sg_aaa_done_fn done, void *arg);

/* ---- dynamic authorization listener (RFC 5176) ------------------------------------- */

#define SG_AAA_DAE_MAX_CLIENTS 16

struct sg_aaa_dae_client {
	struct sockaddr_storage addr; /* port ignored */
	char secret[SG_AAA_SECRET_MAX + 1];
};

struct sg_aaa_dae_opts {
	struct sockaddr_storage listen; /* address and port to bind */
	struct sg_aaa_dae_client clients[SG_AAA_DAE_MAX_CLIENTS];
	unsigned n_clients;
	bool allow_no_msg_auth; /* radclient does not add Message-Authenticator by default */
	/*
	 * Replay protection (RFC 5176 §3.3): a request whose Event-Timestamp is further than
	 * this many seconds from the clock passed to poll() is dropped; 0 disables the check
	 * (and requests without Event-Timestamp are always accepted).
	 */
	uint32_t event_window;
};

/* A verified Disconnect-Request or CoA-Request, decoded. */
struct sg_aaa_dae_request {
	uint8_t code; /* SG_RADIUS_DISCONNECT_REQUEST or SG_RADIUS_COA_REQUEST */
	uint32_t has; /* SG_AAA_DAE_HAS_* */
	char user[SG_AAA_NAME_MAX + 1];
	char session_id[SG_AAA_NAME_MAX + 1];
	uint32_t framed_ip; /* network order */
	uint32_t session_timeout;
	uint32_t idle_timeout;
	char filter_id[64];
};

enum sg_aaa_dae_has {
	SG_AAA_DAE_HAS_USER = 1u << 0,
	SG_AAA_DAE_HAS_SESSION_ID = 1u << 1,
	SG_AAA_DAE_HAS_FRAMED_IP = 1u << 2,
	SG_AAA_DAE_HAS_SESSION_TIMEOUT = 1u << 3,
	SG_AAA_DAE_HAS_IDLE_TIMEOUT = 1u << 4,
	SG_AAA_DAE_HAS_FILTER_ID = 1u << 5,
};

/*
 * The owner's decision: 0 to ACK, or an Error-Cause (e.g. 503 session context not found)
 * to NAK. Called from sg_aaa_dae_poll().
 */
typedef uint32_t (*sg_aaa_dae_fn)(void *arg, const struct sg_aaa_dae_request *rq);

struct sg_aaa_dae;

/* Bind the listener. NULL and errno on failure. */
struct sg_aaa_dae *sg_aaa_dae_create(const struct sg_aaa_dae_opts *opts, sg_aaa_dae_fn fn,
				     void *arg);
void sg_aaa_dae_destroy(struct sg_aaa_dae *d);
int sg_aaa_dae_fd(const struct sg_aaa_dae *d);
/*
 * Handle every datagram waiting; returns how many requests were answered. unix_now is the
 * wall clock (UNIX seconds) used for the Event-Timestamp window.
 */
int sg_aaa_dae_poll(struct sg_aaa_dae *d, uint32_t unix_now);
/* The port actually bound (useful with port 0). */
uint16_t sg_aaa_dae_port(const struct sg_aaa_dae *d);
void sg_aaa_dae_stats(const struct sg_aaa_dae *d, struct sg_aaa_stats *out);

/* ---- local users file ---------------------------------------------------------------- */

struct sg_aaa_local;

/*
 * Load a users file: JSON `[{"name": ..., "password": ..., "ipv4": "a.b.c.d",
 * "ipv6_prefix": "2001:db8::/64"}]`, or chap-secrets text (`name * password [ip]` per
 * line, `#` comments, quoted fields). On failure returns NULL, sets errno and writes a
 * message naming the file and entry (`users.json: $[3].password: missing`) into err.
 */
struct sg_aaa_local *sg_aaa_local_load(const char *path, char *err, size_t errlen);

/* The same, from memory; `name` is used in messages. */
struct sg_aaa_local *sg_aaa_local_parse(const char *name, const char *text, size_t len, char *err,
					size_t errlen);

void sg_aaa_local_free(struct sg_aaa_local *l);
unsigned sg_aaa_local_count(const struct sg_aaa_local *l);

/*
 * Verify synchronously. Fills res (status ACCEPT/REJECT; for MS-CHAPv2 the
 * MS-CHAP2-Success string and the HLAK from the MPPE keys). EAP: EAP-MD5 only, in rounds
 * like RADIUS: an Identity gets CHALLENGE (res.eap, res.state); the MD5 response must come
 * back with that State (it carries the challenge under a MAC keyed per loaded file);
 * anything else is REJECT with an EAP Failure. Returns 0, or -EINVAL for a bad request.
 */
int sg_aaa_local_auth(const struct sg_aaa_local *l, const struct sg_aaa_auth_req *req,
		      struct sg_aaa_result *res);

#ifdef __cplusplus
}
#endif

#endif /* SG_AAA_H */
