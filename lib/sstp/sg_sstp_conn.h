/* SPDX-License-Identifier: BSD-3-Clause */
/* Private: the part of the state machine shared by server and client. */
#ifndef SG_SSTP_CONN_H
#define SG_SSTP_CONN_H

#include "sg_sstp.h"

/* Role-specific handlers called by sg_sstp_conn_rx for the establishment states. */
struct sg_sstp_role {
	/* A control packet that decoded (0) or failed to decode (rc < 0, details in ctrl). */
	void (*ctrl)(void *self, const uint8_t *pkt, const struct sg_sstp_ctrl *ctrl, int rc,
		     sg_usec_t now, struct sg_sstp_result *r);
	/* The HTTP phase; returns bytes consumed. */
	int (*http)(void *self, const uint8_t *in, size_t len, sg_usec_t now,
		    struct sg_sstp_result *r);
};

void sg_sstp_conn_init(struct sg_sstp_conn *c, bool is_server, struct sg_sstp_stats *stats,
		       const struct sg_sstp_timers *t, sg_usec_t now);
void sg_sstp_result_reset(struct sg_sstp_result *r);

static inline void sg_sstp_count(struct sg_sstp_conn *c, struct sg_sstp_result *r,
				 enum sg_sstp_reason reason)
{
	if (c->stats)
		c->stats->count[reason]++;
	if (r)
		r->reason = reason;
}

/* Append bytes to r->tx (bounded; control packets only). */
void sg_sstp_conn_send(struct sg_sstp_result *r, const uint8_t *p, size_t len);
void sg_sstp_conn_close(struct sg_sstp_conn *c, struct sg_sstp_result *r,
			enum sg_sstp_reason reason);
/* Send ABORT(status about attr_id), enter ABORT_PENDING (T1). reason is counted too. */
void sg_sstp_conn_abort(struct sg_sstp_conn *c, struct sg_sstp_result *r, uint32_t status,
			uint8_t attr_id, enum sg_sstp_reason reason, sg_usec_t now);
void sg_sstp_conn_disconnect(struct sg_sstp_conn *c, struct sg_sstp_result *r, sg_usec_t now);
/* The owner's disconnect/abort request, shared by sg_sstp_{client,server}_{disconnect,abort}:
 * resets r, runs the procedure and sets r->deadline. */
void sg_sstp_conn_user_disconnect(struct sg_sstp_conn *c, sg_usec_t now, struct sg_sstp_result *r);
void sg_sstp_conn_user_abort(struct sg_sstp_conn *c, uint32_t status, sg_usec_t now,
			     struct sg_sstp_result *r);
/* ABORT, DISCONNECT, DISCONNECT_ACK (wrong state), ECHO_*: returns true when handled. */
bool sg_sstp_conn_common_ctrl(struct sg_sstp_conn *c, const struct sg_sstp_ctrl *ctrl,
			      sg_usec_t now, struct sg_sstp_result *r);
/* Enter CONNECTED: start the hello timer. */
void sg_sstp_conn_connected(struct sg_sstp_conn *c, sg_usec_t now);
void sg_sstp_conn_timer(struct sg_sstp_conn *c, sg_usec_t now, struct sg_sstp_result *r);
sg_usec_t sg_sstp_conn_deadline(const struct sg_sstp_conn *c);
int sg_sstp_conn_rx(struct sg_sstp_conn *c, void *self, const struct sg_sstp_role *role,
		    const uint8_t *in, size_t len, sg_usec_t now, struct sg_sstp_result *r);
/* PPP tx permission + header. */
int sg_sstp_conn_ppp_tx(struct sg_sstp_conn *c, const uint8_t *frame, size_t len,
			uint8_t hdr[SG_SSTP_HDR_LEN]);

static inline bool sg_sstp_conn_establishing(const struct sg_sstp_conn *c)
{
	return c->state == SG_SSTP_ST_CONNECT_REQ_PENDING ||
	       c->state == SG_SSTP_ST_CONNECTED_PENDING || c->state == SG_SSTP_ST_CONNECTED;
}

#endif /* SG_SSTP_CONN_H */
