/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP session as a pure protocol core (RFC 1661 LCP, RFC 1334 PAP, RFC 1994
 * CHAP-MD5, RFC 2759 MS-CHAPv2, RFC 1332/1877 IPCP, RFC 5072 IPv6CP).
 *
 * Frames and events in, actions and frames out, time passed in. No sockets,
 * timers or mbufs: the owner
 *   - feeds every received PPP frame to sg_ppp_session_input() (data frames
 *     come back as an offset/length into the caller's buffer, no copy);
 *   - calls sg_ppp_session_timer() when sg_ppp_session_deadline() has passed;
 *   - receives actions through one callback (send a frame, verify
 *     credentials, link/NCP up/down with the negotiated values);
 *   - answers an auth request later with sg_ppp_session_auth_result().
 *
 * Roles: SG_PPP_ROLE_SERVER is the gateway side (authenticator, assigns
 * addresses); SG_PPP_ROLE_PEER is the client side (load generator, sstpc's
 * fd 0), which authenticates with the configured credentials.
 *
 * PFC/ACFC: supported. A peer's request for them is acknowledged (unless
 * cfg.reject_pfc_acfc) and then every non-LCP frame this side sends omits
 * FF 03 and/or uses a 1-byte protocol field; LCP frames always carry the full
 * header (RFC 1661 §6.5/§6.6). Received frames are accepted in both forms.
 *
 * Thread safety: a session belongs to one thread. The callback must not call
 * back into the same session (those calls return -EBUSY); queue instead.
 */
#ifndef SG_PPP_H
#define SG_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_common.h"
#include "sg_ppp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_PPP_NO_DEADLINE UINT64_MAX

enum sg_ppp_role { SG_PPP_ROLE_SERVER = 0, SG_PPP_ROLE_PEER = 1 };

enum sg_ppp_auth_method {
	SG_PPP_AUTH_NONE = 0,
	SG_PPP_AUTH_PAP = 1,
	SG_PPP_AUTH_CHAP_MD5 = 2,
	SG_PPP_AUTH_MSCHAPV2 = 3,
	SG_PPP_AUTH_EAP = 4, /* server: pass-through to the AAA backend; peer: MD5, MS-CHAPv2 */
};
#define SG_PPP_AUTH_METHODS 4

enum sg_ppp_phase {
	SG_PPP_PHASE_DEAD = 0,
	SG_PPP_PHASE_ESTABLISH,
	SG_PPP_PHASE_AUTHENTICATE,
	SG_PPP_PHASE_NETWORK,
	SG_PPP_PHASE_TERMINATE,
};

/* Why the link went down (SG_PPP_ACT_LINK_DOWN / SG_PPP_ACT_FINISHED). */
enum sg_ppp_reason {
	SG_PPP_REASON_NONE = 0,
	SG_PPP_REASON_ADMIN,	      /* sg_ppp_session_close() */
	SG_PPP_REASON_PEER_TERMINATE, /* peer sent Terminate-Request */
	SG_PPP_REASON_LOWER_DOWN,     /* sg_ppp_session_lower_down() */
	SG_PPP_REASON_NEGOTIATION,    /* LCP Max-Configure/Max-Failure exhausted */
	SG_PPP_REASON_AUTH_FAILED,    /* credentials rejected */
	SG_PPP_REASON_AUTH_REFUSED,   /* no authentication method agreed */
	SG_PPP_REASON_AUTH_TIMEOUT,   /* authentication phase took too long */
	SG_PPP_REASON_ECHO_TIMEOUT,   /* keepalive: too many unanswered echoes */
	SG_PPP_REASON_LOOPBACK,	      /* magic number collision persisted */
	SG_PPP_REASON_NO_NCP,	      /* every NCP failed or was rejected */
};

/*
 * Configuration, shared read-only by many sessions; must outlive them.
 * A zeroed struct is valid: zeros mean the documented defaults. Addresses are
 * host byte order.
 */
struct sg_ppp_config {
	enum sg_ppp_role role;
	uint16_t mru;	      /* our MRU request (0: 1400; max 4091) */
	bool reject_pfc_acfc; /* reject the peer's PFC/ACFC instead of using them */
	/* Server: methods proposed in this order. Peer: methods accepted. 0 ends. */
	uint8_t auth[SG_PPP_AUTH_METHODS]; /* enum sg_ppp_auth_method; all zero: MS-CHAPv2,
					      CHAP-MD5, PAP (EAP only when listed) */
	uint8_t eap_type; /* peer: the EAP method to use (SG_EAP_TYPE_MD5 or _MSCHAPV2; others
			     are Nak'ed with it); 0: whichever of the two the server starts */
	bool no_auth;			   /* server: do not authenticate the peer */
	const char *name;		   /* server: CHAP name (NULL: "sstpgw") */
	const char *user;		   /* peer: credentials */
	const char *password;
	sg_usec_t restart_usec;	      /* restart timer (0: 3 s) */
	uint8_t max_configure;	      /* 0: 10 */
	uint8_t max_terminate;	      /* 0: 2 */
	uint8_t max_failure;	      /* 0: 5 */
	sg_usec_t echo_interval_usec; /* LCP echo keepalive (0: off) */
	uint8_t echo_failures;	      /* unanswered echoes before the link is down (0: 3) */
	sg_usec_t auth_timeout_usec;  /* whole authentication phase (0: 30 s) */
	bool disable_ipv4;	      /* do not run IPCP (Protocol-Reject it) */
	bool disable_ipv6;	      /* do not run IPv6CP */
	uint32_t local_ipv4; /* server: own address sent in IPCP (0: none); peer: requested (0) */
	uint32_t peer_ipv4;  /* server: default address to assign (0: set per session) */
	uint32_t dns[2];     /* server: primary/secondary DNS offered (0: reject requests) */
	bool want_dns;	     /* peer: request primary/secondary DNS */
	uint64_t local_ifid; /* IPv6CP interface identifier (0: random) */
	struct sg_ppp_counters *counters; /* shared per-core counters (NULL: per session) */
};

/* Counters: X(name, description). Every drop has one. */
#define SG_PPP_COUNTERS(X)                                                                         \
	X(rx_frames, "frames received")                                                            \
	X(rx_data, "IPv4/IPv6 frames delivered")                                                   \
	X(tx_frames, "control frames sent")                                                        \
	X(drop_short, "drop: frame shorter than its header")                                       \
	X(drop_oversize, "drop: frame larger than SG_PPP_FRAME_MAX")                               \
	X(drop_bad_header, "drop: bad address/control or protocol field")                          \
	X(drop_bad_length, "drop: control packet length field lies")                               \
	X(drop_bad_options, "drop: malformed option list")                                         \
	X(drop_not_open, "drop: data frame while its NCP is not opened")                           \
	X(drop_wrong_state, "drop: packet not expected in this state")                             \
	X(drop_bad_id, "drop: reply with a stale identifier")                                      \
	X(drop_bad_auth, "drop: malformed authentication packet")                                  \
	X(drop_busy, "drop: re-entrant call from the action callback")                             \
	X(proto_reject_sent, "Protocol-Reject sent for an unknown protocol")                       \
	X(code_reject_sent, "Code-Reject sent for an unknown code")                                \
	X(opt_rejected, "configuration options rejected")                                          \
	X(opt_duplicate, "duplicate configuration options rejected")                               \
	X(loopback, "magic number collisions")                                                     \
	X(echo_timeout, "links dropped for missing echo replies")                                  \
	X(auth_ok, "authentications accepted")                                                     \
	X(auth_fail, "authentications rejected")                                                   \
	X(auth_timeout, "authentication phase timeouts")                                           \
	X(crypto_error, "crypto failures (MD4/DES unavailable, RNG)")

enum sg_ppp_counter {
#define SG_PPP_CNT_ENUM_(n, d) SG_PPP_CNT_##n,
	SG_PPP_COUNTERS(SG_PPP_CNT_ENUM_)
#undef SG_PPP_CNT_ENUM_
	    SG_PPP_CNT_MAX
};

struct sg_ppp_counters {
	uint64_t c[SG_PPP_CNT_MAX];
};

/* Name of a counter ("drop_short"), NULL when out of range. */
const char *sg_ppp_counter_name(enum sg_ppp_counter c);

/* dst += src, counter by counter. */
void sg_ppp_counters_add(struct sg_ppp_counters *dst, const struct sg_ppp_counters *src);

/* What was negotiated; valid from the matching action on. */
struct sg_ppp_info {
	uint16_t mru;	   /* what we receive (our acknowledged MRU) */
	uint16_t peer_mru; /* largest frame we may send (peer's MRU, capped at 4091) */
	bool tx_acfc;	   /* we omit FF 03 on non-LCP frames */
	bool tx_pfc;	   /* we send 1-byte protocol fields where possible */
	uint32_t local_magic, peer_magic;
	enum sg_ppp_auth_method auth;
	char user[SG_PPP_NAME_MAX + 1];	   /* authenticated name */
	bool has_keys;			   /* MS-CHAPv2: MPPE master keys below */
	uint8_t send_key[SG_MPPE_KEY_LEN]; /* protects what this side sends */
	uint8_t recv_key[SG_MPPE_KEY_LEN];
	uint32_t local_ipv4, peer_ipv4; /* host order */
	uint32_t dns[2];
	uint64_t local_ifid, peer_ifid;
};

/* Authenticator: credentials to check (pointers valid during the callback). */
struct sg_ppp_auth_request {
	uint32_t seq; /* echo it in sg_ppp_auth_result.seq */
	enum sg_ppp_auth_method method;
	const char *user; /* not NUL-terminated */
	size_t user_len;
	const uint8_t *password; /* PAP */
	size_t password_len;
	uint8_t chap_id; /* CHAP identifier (CHAP-MD5 hashes it) */
	const uint8_t
	    *challenge; /* CHAP-MD5: challenge; MS-CHAPv2: 16-byte authenticator challenge */
	size_t challenge_len;
	const uint8_t *response; /* CHAP-MD5: 16 bytes; MS-CHAPv2: 49 (struct sg_mschap_response) */
	size_t response_len;
	/* EAP: the peer's whole EAP Response (code, id, length, type, data) to relay; user is
	 * the identity from its Response/Identity. One request per round. */
	const uint8_t *eap;
	size_t eap_len;
};

struct sg_ppp_auth_result {
	uint32_t seq;
	bool accept;
	/* MS-CHAPv2 accept: the authenticator response "S=<40 hex>" (from
	 * sg_ppp_mschap_verify or RADIUS MS-CHAP2-Success without its ident byte). */
	const char *mschap2_success;
	const char *message; /* optional text for the peer (PAP message, M=) */
	bool has_keys;	     /* MPPE keys, server's view (RADIUS MS-MPPE-Send/Recv-Key) */
	uint8_t send_key[SG_MPPE_KEY_LEN];
	uint8_t recv_key[SG_MPPE_KEY_LEN];
	uint32_t peer_ipv4; /* address to assign (0: keep the configured/set one) */
	/* EAP: challenge = the backend wants another round: eap is an EAP Request to relay,
	 * the session then waits for the peer's answer (a new AUTH_REQUEST). Otherwise eap
	 * (may be NULL: the session builds it) is the backend's Success/Failure. */
	bool challenge;
	const uint8_t *eap;
	size_t eap_len;
};

enum sg_ppp_action_type {
	SG_PPP_ACT_SEND = 1,	 /* frame/len: transmit this PPP frame */
	SG_PPP_ACT_AUTH_REQUEST, /* auth: verify, then call sg_ppp_session_auth_result() */
	SG_PPP_ACT_AUTH_UP,	 /* authentication succeeded (info: user, keys) */
	SG_PPP_ACT_IPCP_UP,	 /* IPv4 data may flow (info: addresses, DNS) */
	SG_PPP_ACT_IPCP_DOWN,
	SG_PPP_ACT_IPV6CP_UP, /* IPv6 data may flow (info: interface ids) */
	SG_PPP_ACT_IPV6CP_DOWN,
	SG_PPP_ACT_LINK_DOWN, /* LCP left Opened (reason); no data may flow */
	SG_PPP_ACT_FINISHED,  /* LCP finished (reason): close the transport */
};

struct sg_ppp_action {
	enum sg_ppp_action_type type;
	const uint8_t *frame; /* SEND */
	size_t len;
	const struct sg_ppp_auth_request *auth; /* AUTH_REQUEST */
	const struct sg_ppp_info *info;		/* every action */
	enum sg_ppp_reason reason;		/* LINK_DOWN, FINISHED */
};

typedef void (*sg_ppp_action_fn)(void *arg, const struct sg_ppp_action *a);

struct sg_ppp_session;

/* Bytes to allocate for one session (callers keep sessions in their pools). */
size_t sg_ppp_session_size(void);

/*
 * Initialise a session (sg_ppp_session_size() bytes, any alignment malloc
 * gives). Returns 0 or -EINVAL (bad config: peer role without credentials,
 * mru outside 128..4091, unknown auth method). A missing OpenSSL legacy
 * provider is not an init error: MS-CHAPv2 then fails when used (counted as
 * crypto_error, the link goes down with SG_PPP_REASON_AUTH_FAILED).
 */
int sg_ppp_session_init(struct sg_ppp_session *s, const struct sg_ppp_config *cfg,
			sg_ppp_action_fn fn, void *arg);

/* malloc + init; NULL with errno set on failure. Free with sg_ppp_session_free(). */
struct sg_ppp_session *sg_ppp_session_new(const struct sg_ppp_config *cfg, sg_ppp_action_fn fn,
					  void *arg);
void sg_ppp_session_free(struct sg_ppp_session *s);

/* Wipe secrets (keys, password material) held by a session before reuse of its memory. */
void sg_ppp_session_wipe(struct sg_ppp_session *s);

/* Lower layer up and administrative open: sends the first LCP Configure-Request. */
int sg_ppp_session_start(struct sg_ppp_session *s, sg_usec_t now);

/* Administrative close: LCP Terminate-Request; FINISHED follows. */
int sg_ppp_session_close(struct sg_ppp_session *s, sg_usec_t now);

/* The transport is gone: everything down at once (LINK_DOWN if it was up), no frames sent, no
 * FINISHED. */
int sg_ppp_session_lower_down(struct sg_ppp_session *s, sg_usec_t now);

/* Server: the address IPCP assigns (call before the Network phase; 0 clears). */
void sg_ppp_session_set_peer_ipv4(struct sg_ppp_session *s, uint32_t addr);

/*
 * Server: the interface identifier IPv6CP offers (Nak) when the peer proposes 0 or ours
 * (0: a fresh random one, also when id equals ours). A peer's own non-zero, different
 * identifier is always accepted. Call before the Network phase.
 */
void sg_ppp_session_set_peer_ifid(struct sg_ppp_session *s, uint64_t id);

/* Result of sg_ppp_session_input(). */
enum sg_ppp_input {
	SG_PPP_INPUT_CONTROL = 0, /* consumed (actions may have been emitted) */
	SG_PPP_INPUT_IPV4 = 1,	  /* pkt->offset/len: an IPv4 packet in the caller's buffer */
	SG_PPP_INPUT_IPV6 = 2,	  /* pkt->offset/len: an IPv6 packet */
};

struct sg_ppp_packet {
	uint16_t proto;
	uint16_t offset; /* of the information field within frame */
	uint16_t len;
};

/*
 * Process one received PPP frame (address/control optional, protocol,
 * information; no FCS). Returns enum sg_ppp_input, or a negative errno when
 * the frame was dropped (its counter says why): -EINVAL malformed, -EMSGSIZE
 * too large, -EAGAIN not expected now (e.g. data before its NCP is opened),
 * -EPROTONOSUPPORT unknown protocol (Protocol-Reject sent), -EBUSY re-entered.
 * pkt may be NULL when the caller expects control frames only.
 */
int sg_ppp_session_input(struct sg_ppp_session *s, const uint8_t *frame, size_t len, sg_usec_t now,
			 struct sg_ppp_packet *pkt);

/* Earliest time sg_ppp_session_timer() must run (SG_PPP_NO_DEADLINE: none). */
sg_usec_t sg_ppp_session_deadline(const struct sg_ppp_session *s);

/* Run every timer that expired at now (restart timers, challenge, echo, auth). */
int sg_ppp_session_timer(struct sg_ppp_session *s, sg_usec_t now);

/*
 * Answer an SG_PPP_ACT_AUTH_REQUEST. A result whose seq is not the pending
 * request's is ignored (-ESTALE). Accept for MS-CHAPv2 needs a well-formed
 * mschap2_success, else the peer is refused (-EINVAL). EAP: a challenge whose
 * eap is not a well-formed Request that fits the peer's MRU, or an accept
 * carrying an EAP Failure, refuses the peer (-EINVAL).
 */
int sg_ppp_session_auth_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r,
			       sg_usec_t now);

enum sg_ppp_phase sg_ppp_session_phase(const struct sg_ppp_session *s);
const struct sg_ppp_info *sg_ppp_session_info(const struct sg_ppp_session *s);
const struct sg_ppp_counters *sg_ppp_session_counters(const struct sg_ppp_session *s);
bool sg_ppp_session_ipv4_open(const struct sg_ppp_session *s);
bool sg_ppp_session_ipv6_open(const struct sg_ppp_session *s);

/*
 * The SSTP crypto binding HLAK (MS-SSTP, PROTOCOL.md): with MPPE keys, the
 * server's MasterReceiveKey || MasterSendKey, which is the client's
 * MasterSendKey || MasterReceiveKey, so both ends compute the same 32 bytes;
 * 32 zero bytes without keys (PAP, CHAP-MD5). Returns true when keys were used.
 */
bool sg_ppp_session_hlak(const struct sg_ppp_session *s, uint8_t out[32]);

/*
 * The header to prepend to an IPv4/IPv6 packet for this session (honours the
 * negotiated ACFC/PFC). Writes 1..4 bytes into hdr and returns their count.
 */
int sg_ppp_session_data_header(const struct sg_ppp_session *s, uint16_t proto,
			       uint8_t hdr[SG_PPP_HDR_MAX]);

/*
 * Stateless frame header parse: accepts FF 03 or its absence and 1- or 2-byte
 * protocol fields. Fills proto and offset of the information field; returns 0
 * or -EINVAL.
 */
int sg_ppp_frame_parse(const uint8_t *frame, size_t len, uint16_t *proto, uint16_t *offset);

#ifdef __cplusplus
}
#endif

#endif /* SG_PPP_H */
