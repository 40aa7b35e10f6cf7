/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/ppp internals: the generic RFC 1661 FSM and the session record. */
#ifndef SG_PPP_PRIVATE_H
#define SG_PPP_PRIVATE_H

#include "sg_ppp.h"

/* RFC 1661 §4.2 states. */
enum ppp_fsm_state {
	PPP_INITIAL = 0,
	PPP_STARTING,
	PPP_CLOSED,
	PPP_STOPPED,
	PPP_CLOSING,
	PPP_STOPPING,
	PPP_REQ_SENT,
	PPP_ACK_RCVD,
	PPP_ACK_SENT,
	PPP_OPENED,
};

struct ppp_fsm;

/* Verdict of one option in a received Configure-Request. */
enum ppp_verdict { PPP_ACK = 0, PPP_NAK = 1, PPP_REJ = 2 };

#define PPP_REQ_MAX 64 /* our own Configure-Request options, kept to check the Ack */

/* Per-protocol hooks: option handling and this-layer actions. */
struct ppp_fsm_ops {
	const char *name;
	uint16_t proto;
	/* Our options for a Configure-Request; returns length. */
	size_t (*build_req)(struct ppp_fsm *f, uint8_t *buf, size_t cap);
	/* Peer's Configure-Request: reset tentative state, judge each option. */
	void (*req_begin)(struct ppp_fsm *f);
	enum ppp_verdict (*req_opt)(struct ppp_fsm *f, uint8_t type, const uint8_t *val,
				    uint8_t vlen, uint8_t *nak, uint8_t *nak_len);
	/* Options missing from the request that we want to suggest (may be NULL). */
	size_t (*req_extra_nak)(struct ppp_fsm *f, uint8_t *nak, size_t cap);
	void (*req_commit)(struct ppp_fsm *f);
	/* Peer's Nak / Reject of one of our options. */
	void (*nak_opt)(struct ppp_fsm *f, uint8_t type, const uint8_t *val, uint8_t vlen);
	void (*rej_opt)(struct ppp_fsm *f, uint8_t type);
	/* Codes above Code-Reject (LCP: echo, discard, protocol reject); 0 handled, -1 unknown. */
	int (*rx_extra)(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
			size_t len);
	void (*up)(struct ppp_fsm *f);
	void (*down)(struct ppp_fsm *f);
	void (*starting)(struct ppp_fsm *f);
	void (*finished)(struct ppp_fsm *f);
};

struct ppp_fsm {
	const struct ppp_fsm_ops *ops;
	struct sg_ppp_session *s;
	uint8_t state;
	uint8_t id;	   /* next identifier to use */
	uint8_t req_id;	   /* identifier of our outstanding Configure-Request */
	uint8_t term_id;   /* identifier of our outstanding Terminate-Request */
	uint8_t restart;   /* restart counter */
	uint8_t naks_sent; /* consecutive Configure-Naks (Max-Failure) */
	bool heard;	   /* the peer sent something in this protocol (not our own echo) */
	uint8_t req_len;
	uint8_t req[PPP_REQ_MAX];
	sg_usec_t deadline; /* restart timer, SG_PPP_NO_DEADLINE when stopped */
};

struct ppp_lcp {
	uint16_t want_mru;
	uint32_t want_magic;
	uint8_t auth_idx;    /* server: index into the method order being proposed */
	uint8_t auth_method; /* server: method in our request; peer: method acked */
	bool rej_mru, rej_magic, rej_auth;
	bool auth_refused;
	/* tentative values from the peer's request, committed on Ack */
	uint16_t t_mru;
	uint32_t t_magic;
	bool t_pfc, t_acfc;
	uint8_t t_auth;
	uint8_t loops; /* magic collisions seen */
	/* keepalive */
	sg_usec_t echo_deadline;
	uint8_t echo_pending;
	uint8_t echo_id;
};

struct ppp_ipcp {
	uint32_t want_local;  /* address in our request */
	uint32_t want_dns[2]; /* peer: DNS we ask for */
	bool rej_addr, rej_dns[2];
	uint32_t t_addr;
	bool t_has_addr;
};

struct ppp_ipv6cp {
	uint64_t want_ifid;
	bool rej_ifid;
	uint64_t t_ifid;
	uint64_t offer_ifid; /* server: Nak'd to a peer proposing 0 or ours (0: random) */
};

enum ppp_auth_state { AUTH_IDLE = 0, AUTH_RUNNING, AUTH_DONE };

struct ppp_auth {
	uint8_t state; /* enum ppp_auth_state */
	uint8_t id;    /* identifier of the current challenge / request */
	uint8_t tries;
	bool pending; /* server: waiting for the AAA result */
	bool decided; /* server: result sent; retransmits get it again */
	bool accepted;
	/* EAP (ppp_eap.c) */
	uint8_t eap_stage; /* server: enum ppp_eap_stage; peer: method answered last */
	bool eap_ms_ok;	   /* peer: the EAP-MSCHAPv2 Success request verified */
	uint8_t eap_ms_id; /* peer: MS-CHAPv2-ID of the challenge answered */
	uint32_t seq;
	sg_usec_t deadline;    /* retransmit (challenge, PAP request) */
	sg_usec_t phase_limit; /* whole phase */
	uint8_t challenge[SG_PPP_CHALLENGE_MAX];
	uint8_t challenge_len;
	uint8_t peer_chal[SG_MSCHAP_PEER_CHAL_LEN];  /* MS-CHAPv2 */
	uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN];  /* peer: to check S= */
	char auth_resp[SG_MSCHAP_AUTH_RESP_LEN + 1]; /* S= expected/sent */
	uint8_t last_code; /* server: Success/Failure (or PAP Ack/Nak) to resend */
	uint8_t resp_id;   /* peer: identifier answered last */
};

struct sg_ppp_session {
	const struct sg_ppp_config *cfg;
	sg_ppp_action_fn fn;
	void *arg;
	struct sg_ppp_counters *cnt;
	struct sg_ppp_counters own;
	sg_usec_t now;
	uint8_t phase;
	uint8_t busy;
	uint8_t reason;
	bool started;
	struct ppp_fsm lcp, ipcp, ipv6cp;
	struct ppp_lcp l;
	struct ppp_ipcp ip4;
	struct ppp_ipv6cp ip6;
	struct ppp_auth a;
	struct sg_ppp_info info;
	/* resolved config */
	uint16_t mru;
	sg_usec_t restart_usec, auth_timeout_usec;
	uint8_t max_configure, max_terminate, max_failure, echo_failures;
	uint8_t auth_order[SG_PPP_AUTH_METHODS];
	uint8_t n_auth;
};

#define PPP_CNT(s, name) ((s)->cnt->c[SG_PPP_CNT_##name]++)

static inline uint16_t ppp_get16(const uint8_t *p)
{
	return (uint16_t) ((p[0] << 8) | p[1]);
}

static inline uint32_t ppp_get32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static inline void ppp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
}

static inline void ppp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

/* ppp_fsm.c */
void ppp_fsm_init(struct ppp_fsm *f, struct sg_ppp_session *s, const struct ppp_fsm_ops *ops);
void ppp_fsm_up(struct ppp_fsm *f);
void ppp_fsm_down(struct ppp_fsm *f);
void ppp_fsm_open(struct ppp_fsm *f);
void ppp_fsm_close(struct ppp_fsm *f);
void ppp_fsm_timeout(struct ppp_fsm *f);
void ppp_fsm_rxj_minus(struct ppp_fsm *f);
/* pkt = control packet (code, id, length, data), len = bytes available. */
int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len);
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);

/* ppp_session.c */
void ppp_send_cp(struct sg_ppp_session *s, uint16_t proto, uint8_t code, uint8_t id,
		 const uint8_t *data, size_t len);
void ppp_emit(struct sg_ppp_session *s, enum sg_ppp_action_type type);
void ppp_session_lcp_up(struct sg_ppp_session *s);
void ppp_session_lcp_down(struct sg_ppp_session *s);
void ppp_session_lcp_finished(struct sg_ppp_session *s);
void ppp_session_auth_done(struct sg_ppp_session *s, bool ok);
void ppp_session_ncp_finished(struct sg_ppp_session *s);
void ppp_session_proto_rejected(struct sg_ppp_session *s, uint16_t proto);
void ppp_session_fail(struct sg_ppp_session *s, enum sg_ppp_reason reason);

/* ppp_lcp.c, ppp_ipcp.c */
extern const struct ppp_fsm_ops ppp_lcp_ops;
extern const struct ppp_fsm_ops ppp_ipcp_ops;
extern const struct ppp_fsm_ops ppp_ipv6cp_ops;
void ppp_lcp_reset(struct sg_ppp_session *s);
void ppp_lcp_echo_timer(struct sg_ppp_session *s);
void ppp_ipcp_reset(struct sg_ppp_session *s);
void ppp_ipv6cp_reset(struct sg_ppp_session *s);

/* ppp_auth.c */
void ppp_auth_start(struct sg_ppp_session *s);
void ppp_auth_stop(struct sg_ppp_session *s);
void ppp_auth_input(struct sg_ppp_session *s, uint16_t proto, const uint8_t *pkt, size_t len);
void ppp_auth_timer(struct sg_ppp_session *s);
int ppp_auth_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r);
/* Shared with ppp_eap.c. */
void ppp_auth_finish(struct sg_ppp_session *s, bool ok);
void ppp_auth_set_user(struct sg_ppp_session *s, const uint8_t *name, size_t len);
void ppp_auth_emit_request(struct sg_ppp_session *s, struct sg_ppp_auth_request *rq);

/* ppp_eap.c: RFC 3748 inside PPP. Server: Identity, then relay; peer: MD5, MS-CHAPv2. */
void ppp_eap_start(struct sg_ppp_session *s);
void ppp_eap_timer(struct sg_ppp_session *s);
/* pkt/len: the EAP packet, its length field already checked against len. */
void ppp_eap_input(struct sg_ppp_session *s, const uint8_t *pkt, size_t len);
int ppp_eap_result(struct sg_ppp_session *s, const struct sg_ppp_auth_result *r);

#endif /* SG_PPP_PRIVATE_H */
