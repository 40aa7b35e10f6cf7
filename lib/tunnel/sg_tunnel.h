/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One SSTP call on the server side, from the HTTP request to IP packets:
 * lib/sstp's server state machine and lib/ppp's session, joined.
 *
 *   TLS plaintext ─► sg_tunnel_input() ─► HTTP / SSTP ─► PPP ─► events:
 *        SEND (bytes for the peer), AUTH (verify these credentials), IPV4_UP,
 *        OPEN (crypto binding verified), IP (an inner packet), CLOSE, ...
 *   AAA answer ─► sg_tunnel_auth_result() ─► PPP success/failure ─► SSTP binding
 *   LAN packet ─► sg_tunnel_data_header() ─► SSTP+PPP header to prepend in headroom
 *
 * Pure like its parts: bytes and events in, events out, time passed in. The gateway
 * worker, the sstpc interop server and the tests drive the same code. A tunnel belongs
 * to one thread; the event callback must not call back into the same tunnel except
 * through the functions marked "callback-safe".
 */
#ifndef SG_TUNNEL_H
#define SG_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_aaa.h"
#include "sg_common.h"
#include "sg_ppp.h"
#include "sg_sstp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest header sg_tunnel_data_header() writes: SSTP (4) + PPP (up to 4). */
#define SG_TUNNEL_HDR_MAX (SG_SSTP_HDR_LEN + SG_PPP_HDR_MAX)

enum sg_tunnel_event_type {
	SG_TUNNEL_EV_SEND = 1,	/* data/len: plaintext to send to the peer (through TLS) */
	SG_TUNNEL_EV_AUTH,	/* auth: verify, then sg_tunnel_auth_result() (later is fine) */
	SG_TUNNEL_EV_IPV4_UP,	/* IPCP opened: info has the addresses */
	SG_TUNNEL_EV_IPV4_DOWN, /* IPCP closed */
	SG_TUNNEL_EV_IPV6_UP,	/* IPv6CP opened: info has the interface ids */
	SG_TUNNEL_EV_IPV6_DOWN,
	SG_TUNNEL_EV_OPEN,  /* crypto binding verified: inner packets flow both ways */
	SG_TUNNEL_EV_IP,    /* proto/data/len: an inner IPv4 or IPv6 packet from the peer */
	SG_TUNNEL_EV_CLOSE, /* close the transport after sending what was queued (reason) */
};

/* Why a tunnel ended (SG_TUNNEL_EV_CLOSE). */
#define SG_TUNNEL_REASONS(X)                                                                      \
	X(NONE, "none")                                                                            \
	X(HTTP_REFUSED, "not an SSTP request (HTTP error sent)")                                   \
	X(SSTP_ABORT, "SSTP abort (sent or received)")                                             \
	X(SSTP_DISCONNECT, "SSTP disconnect completed")                                            \
	X(SSTP_PROTOCOL, "SSTP stream unparseable")                                                \
	X(SSTP_TIMEOUT, "SSTP negotiation or hello timeout")                                       \
	X(AUTH_FAILED, "authentication failed")                                                    \
	X(PPP_DOWN, "PPP finished")                                                                \
	X(TRANSPORT, "TCP/TLS connection lost")                                                    \
	X(ADMIN, "closed by the gateway")

enum sg_tunnel_reason {
#define SG_TUNNEL_REASON_ENUM_(id, text) SG_TUNNEL_REASON_##id,
	SG_TUNNEL_REASONS(SG_TUNNEL_REASON_ENUM_)
#undef SG_TUNNEL_REASON_ENUM_
};

const char *sg_tunnel_reason_name(enum sg_tunnel_reason r);

struct sg_tunnel_event {
	enum sg_tunnel_event_type type;
	const uint8_t *data; /* SEND, IP: valid only during the callback */
	size_t len;
	uint16_t proto;				/* IP: SG_PPP_PROTO_IPV4 or SG_PPP_PROTO_IPV6 */
	const struct sg_aaa_auth_req *auth;	/* AUTH */
	const struct sg_ppp_info *info;		/* every event once PPP runs, else NULL */
	enum sg_tunnel_reason reason;		/* CLOSE */
	enum sg_sstp_reason sstp_reason;	/* CLOSE: lib/sstp's last counted event */
};

typedef void (*sg_tunnel_event_fn)(void *arg, const struct sg_tunnel_event *ev);

struct sg_tunnel_config {
	const struct sg_sstp_server_config *sstp; /* with the certificate hash set */
	const struct sg_ppp_config *ppp;	  /* role SG_PPP_ROLE_SERVER */
	struct sg_sstp_stats *sstp_stats;	  /* per-core counters, may be NULL */
};

struct sg_tunnel;

/* Bytes for one tunnel (keep tunnels in a pool of this size). */
size_t sg_tunnel_size(void);

/*
 * Start a tunnel in mem (sg_tunnel_size() bytes) for a connection whose TLS session is up.
 * cfg must outlive the tunnel. 0, or -EINVAL (bad config).
 */
int sg_tunnel_init(struct sg_tunnel *t, const struct sg_tunnel_config *cfg, sg_tunnel_event_fn fn,
		   void *arg, sg_usec_t now);

/* Wipe secrets and release nothing else (the caller owns the memory). */
void sg_tunnel_fini(struct sg_tunnel *t);

/* Decrypted bytes from the peer, any amount and any split. 0, or -EPIPE once closed. */
int sg_tunnel_input(struct sg_tunnel *t, const uint8_t *data, size_t len, sg_usec_t now);

/*
 * Answer an EV_AUTH. res comes from lib/aaa (local users or RADIUS): status, the
 * MS-CHAP2-Success string, the HLAK, Framed-IP-Address (network order) for IPCP.
 * EAP: SG_AAA_CHALLENGE relays res->eap (an EAP Request) to the peer, whose answer comes
 * back as a new EV_AUTH (method SG_AAA_EAP; the caller keeps and adds the State); on
 * ACCEPT/REJECT res->eap is the backend's Success/Failure and the HLAK the MSK's first
 * 32 bytes (zeros for methods without keys, EAP-MD5).
 * Callback-safe. 0, or -ESTALE when no request is pending.
 */
int sg_tunnel_auth_result(struct sg_tunnel *t, const struct sg_aaa_result *res, sg_usec_t now);

/* The address IPCP assigns when the AAA result has none (host order). Callback-safe. */
void sg_tunnel_set_peer_ipv4(struct sg_tunnel *t, uint32_t addr);

/* The IPv6CP interface identifier offered to a peer proposing 0 or ours. Callback-safe. */
void sg_tunnel_set_peer_ifid(struct sg_tunnel *t, uint64_t id);

/* Earliest time sg_tunnel_timer() must run, or UINT64_MAX. */
sg_usec_t sg_tunnel_deadline(const struct sg_tunnel *t);
void sg_tunnel_timer(struct sg_tunnel *t, sg_usec_t now);

/* Graceful end (shutdown, admin kill): SSTP disconnect, CLOSE follows. */
void sg_tunnel_disconnect(struct sg_tunnel *t, sg_usec_t now);

/* The transport died: no more bytes either way; emits CLOSE if not closed yet. */
void sg_tunnel_lower_down(struct sg_tunnel *t, sg_usec_t now);

/*
 * Header to put in front of an inner packet of len bytes going to the peer:
 * SSTP data header + PPP header (honouring ACFC/PFC). Returns its length, or
 * -EAGAIN (data path not open, or that protocol's NCP is down) or -EMSGSIZE (the packet
 * exceeds the peer's MRU or SSTP's 4095-byte limit).
 */
int sg_tunnel_data_header(const struct sg_tunnel *t, uint16_t proto, size_t len,
			  uint8_t hdr[SG_TUNNEL_HDR_MAX]);

bool sg_tunnel_is_open(const struct sg_tunnel *t);
bool sg_tunnel_is_closed(const struct sg_tunnel *t);
const struct sg_ppp_info *sg_tunnel_info(const struct sg_tunnel *t);
enum sg_sstp_state sg_tunnel_sstp_state(const struct sg_tunnel *t);
const struct sg_ppp_counters *sg_tunnel_ppp_counters(const struct sg_tunnel *t);

/* Map a PPP auth request to lib/aaa's form (used by the tunnel; public for tests). */
int sg_tunnel_aaa_request(const struct sg_ppp_auth_request *in, struct sg_aaa_auth_req *out);

#ifdef __cplusplus
}
#endif

#endif /* SG_TUNNEL_H */
