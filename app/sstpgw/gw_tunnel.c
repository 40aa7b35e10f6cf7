/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A session's life on its worker: accepted TCP connection -> TLS handshake -> tunnel
 * (HTTP, SSTP, PPP) -> AAA round trip through the control core -> open -> closed.
 * Every phase is bounded: the TCP handshake by lib/tcp, TLS and the rest of the set-up
 * by $.timers.handshake_timeout (setup_deadline), each SSTP/PPP step by lib/tunnel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sg_aaa_wire.h"
#include "sg_app.h"
#include "sg_gw.h"

#define DEFAULT_SETUP_USEC (30 * SG_USEC_PER_SEC)

static void tell_control(struct sg_gw *gw, uint32_t type, uint64_t arg, uint32_t addr_host)
{
	struct sg_msg m = {.type = type, .lcore = gw->w->lcore, .arg = arg};

	m.family = addr_host ? 4 : 0;
	addr_host = rte_cpu_to_be_32(addr_host);
	memcpy(m.addr, &addr_host, 4);
	m.role = (uint8_t) gw->index;
	/* The ring holds every session's message; a full one loses an address (logged). */
	if (rte_ring_enqueue_elem(gw->w->to_control, &m, sizeof(m)) != 0)
		SG_LOG(APP, ERR, "worker %u: control ring full, message %u lost", gw->w->lcore,
		       type);
}

/* Give a session's IPv6 /64 back to the control core. */
static void tell_control6(struct sg_gw *gw, const uint8_t prefix[16])
{
	struct sg_msg m = {.type = SG_MSG_SESS_CLOSED, .lcore = gw->w->lcore, .family = 6};

	memcpy(m.addr, prefix, 16);
	m.flags = 64;
	m.role = (uint8_t) gw->index;
	if (rte_ring_enqueue_elem(gw->w->to_control, &m, sizeof(m)) != 0)
		SG_LOG(APP, ERR, "worker %u: control ring full, IPv6 prefix lost", gw->w->lcore);
}

static int tell_control_ptr(struct sg_gw *gw, struct sg_auth_msg *am)
{
	struct sg_msg m = {
	    .type = SG_MSG_AUTH_REQ, .lcore = gw->w->lcore, .arg = (uint64_t) (uintptr_t) am};

	return rte_ring_enqueue_elem(gw->w->to_control, &m, sizeof(m));
}

/* Counters (and the end cause) of a session for the control core's accounting. */
static void tell_acct(struct sg_gw *gw, struct sg_session *s, uint32_t type, uint32_t cause)
{
	struct sg_msg m = {.type = type, .lcore = gw->w->lcore};

	m.arg = s->idx | (uint64_t) s->gen << 32;
	m.acct.in_octets = s->rx_bytes;
	m.acct.out_octets = s->tx_bytes;
	m.acct.in_pkts = (uint32_t) s->rx_pkts;
	m.acct.out_pkts = (uint32_t) s->tx_pkts;
	m.acct.cause = cause;
	if (rte_ring_enqueue_elem(gw->w->to_control, &m, sizeof(m)) != 0)
		SG_LOG(APP, ERR, "worker %u: control ring full, accounting message %u lost",
		       gw->w->lcore, type);
}

/* Acct-Terminate-Cause for a tunnel that ended by itself (no cause decided before). */
static uint8_t cause_of(enum sg_tunnel_reason r)
{
	switch (r) {
	case SG_TUNNEL_REASON_SSTP_DISCONNECT:
	case SG_TUNNEL_REASON_PPP_DOWN:
		return SG_RADIUS_TERM_USER_REQUEST; /* the client hung up cleanly */
	case SG_TUNNEL_REASON_TRANSPORT:
	case SG_TUNNEL_REASON_SSTP_TIMEOUT:
		return SG_RADIUS_TERM_LOST_CARRIER;
	case SG_TUNNEL_REASON_ADMIN:
		return SG_RADIUS_TERM_ADMIN_RESET;
	default:
		return SG_RADIUS_TERM_NAS_ERROR; /* aborts, unparseable stream */
	}
}

/* End a session: flush what the tunnel queued, close (or reset) TCP, free the address. */
static void sess_end(struct sg_gw *gw, struct sg_session *s, bool abort)
{
	if (s->state == SG_SESS_CLOSING || s->state == SG_SESS_FREE)
		return;
	if (s->conn != NULL) {
		if (!abort && s->tls != NULL && sg_tls_conn_established(s->tls)) {
			sg_gw_flush(gw, s);
			sg_tls_conn_shutdown(s->tls);
			sg_gw_flush(gw, s);
		}
		sg_tcp_conn_set_udata(s->conn, NULL);
		if (abort)
			sg_tcp_conn_abort(s->conn, gw->now);
		else
			sg_tcp_conn_close(s->conn, gw->now);
		s->conn = NULL;
	}
	if (s->state == SG_SESS_OPEN || s->ipv4 != 0)
		sg_stats_count(gw->st, SG_CTR_SESS_CLOSED, 1);
	if (s->opened) /* accounting Stop; before the address goes back */
		tell_acct(gw, s, SG_MSG_SESS_END,
			  s->end_cause ? s->end_cause : SG_RADIUS_TERM_LOST_CARRIER);
	sg_gw_addr_del(gw, s);
	if (s->ipv4 != 0)
		tell_control(gw, SG_MSG_SESS_CLOSED, 0, s->ipv4);
	if (s->prefix6_len != 0) {
		sg_gw_prefix6_del(gw, s);
		tell_control6(gw, s->prefix6);
		s->prefix6_len = 0;
	}
	SG_LOG(APP, INFO,
	       "worker %u: session %u.%u (%s) ended after %s, in %" PRIu64 " out %" PRIu64
	       " packets",
	       gw->w->lcore, gw->index, s->idx, s->user,
	       sg_sess_state_name((enum sg_sess_state) s->state), s->rx_pkts, s->tx_pkts);
	sg_gw_reap_add(gw, s);
}

/* Calling-Station-Id: the client's public address and port, "192.0.2.2:40000". */
static void calling_station(const struct sg_session *s, char *out, size_t cap)
{
	const struct sg_tcp_tuple *t = s->conn != NULL ? sg_tcp_conn_tuple(s->conn) : NULL;
	char a[INET6_ADDRSTRLEN] = "";

	out[0] = '\0';
	if (t == NULL ||
	    inet_ntop(t->family == 4 ? AF_INET : AF_INET6, t->raddr, a, sizeof(a)) == NULL)
		return;
	snprintf(out, cap, t->family == 4 ? "%s:%u" : "[%s]:%u", a, t->rport);
}

static void send_auth(struct sg_gw *gw, struct sg_session *s, const struct sg_aaa_auth_req *req)
{
	struct sg_auth_msg *m = NULL;
	struct sg_aaa_result res;
	size_t ul = strnlen(req->user, sizeof(s->user) - 1);

	memcpy(s->user, req->user, ul);
	s->user[ul] = '\0';
	__atomic_store_n(&s->state, SG_SESS_AUTH, __ATOMIC_RELEASE);
	sg_stats_count(gw->st, SG_CTR_AUTH_REQUESTS, 1);
	if (rte_mempool_get(gw->app->auth_pool, (void **) &m) == 0) {
		memset(m, 0, offsetof(struct sg_auth_msg, req));
		m->worker = (uint16_t) gw->index;
		m->sess_idx = s->idx;
		m->gen = s->gen;
		m->req = *req;
		m->req.eap = NULL;
		m->req.eap_len = 0;
		calling_station(s, m->req.calling_station_id, sizeof(m->req.calling_station_id));
		m->round = ++s->auth_round;
		m->eap_len = 0;
		if (req->eap != NULL && req->eap_len <= sizeof(m->eap)) { /* tunnel caps it */
			memcpy(m->eap, req->eap, req->eap_len);
			m->eap_len = (uint16_t) req->eap_len;
		}
		if (tell_control_ptr(gw, m) == 0)
			return;
		rte_mempool_put(gw->app->auth_pool, m);
	}
	/* No way to ask: refuse now (the client may retry). */
	memset(&res, 0, sizeof(res));
	res.status = SG_AAA_ERROR;
	sg_tunnel_auth_result(s->tunnel, &res, gw->now);
}

static void on_tunnel(void *arg, const struct sg_tunnel_event *ev)
{
	struct sg_session *s = arg;
	struct sg_gw *gw = s->gw;

	if (s->state == SG_SESS_CLOSING)
		return;
	switch (ev->type) {
	case SG_TUNNEL_EV_SEND:
		if (sg_tls_conn_write(s->tls, ev->data, ev->len) < 0) {
			sg_stats_drop(gw->st, SG_DROP_TLS_WRITE, 1);
			sess_end(gw, s, true);
		}
		return;
	case SG_TUNNEL_EV_AUTH:
		send_auth(gw, s, ev->auth);
		return;
	case SG_TUNNEL_EV_OPEN:
		__atomic_store_n(&s->state, SG_SESS_OPEN, __ATOMIC_RELEASE);
		s->setup_deadline = UINT64_MAX;
		s->last_active = gw->now;
		if (s->session_sec != 0)
			s->end_deadline = gw->now + (sg_usec_t) s->session_sec * SG_USEC_PER_SEC;
		if (ev->info != NULL)
			s->mtu = ev->info->peer_mru;
		sg_stats_count(gw->st, SG_CTR_SESS_OPENED, 1);
		s->opened = true;
		s->opened_at = gw->now;
		tell_acct(gw, s, SG_MSG_SESS_OPENED, 0);
		SG_LOG(APP, INFO, "worker %u: session %u.%u user %s open, %u.%u.%u.%u, mtu %u",
		       gw->w->lcore, gw->index, s->idx, s->user, s->ipv4 >> 24,
		       (s->ipv4 >> 16) & 255, (s->ipv4 >> 8) & 255, s->ipv4 & 255, s->mtu);
		sg_gw_lan6_up(gw, s);
		return;
	case SG_TUNNEL_EV_IPV6_UP:
		s->ipv6_up = true;
		if (ev->info != NULL) {
			s->local_ifid = ev->info->local_ifid;
			s->peer_ifid = ev->info->peer_ifid;
		}
		sg_gw_lan6_up(gw, s);
		return;
	case SG_TUNNEL_EV_IPV6_DOWN:
		s->ipv6_up = false;
		return;
	case SG_TUNNEL_EV_IP:
		if (ev->proto == SG_PPP_PROTO_IPV6) {
			sg_gw_lan6_output(gw, s, ev->data, ev->len);
			return;
		}
		if (ev->proto != SG_PPP_PROTO_IPV4) {
			sg_stats_drop(gw->st, SG_DROP_INNER_PROTO, 1);
			return;
		}
		sg_gw_lan_output(gw, s, ev->data, ev->len);
		return;
	case SG_TUNNEL_EV_CLOSE:
		SG_LOG(APP, INFO, "worker %u: session %u.%u: tunnel closed: %s", gw->w->lcore,
		       gw->index, s->idx, sg_tunnel_reason_name(ev->reason));
		if (s->end_cause == 0)
			s->end_cause = cause_of(ev->reason);
		sess_end(gw, s, false);
		return;
	default:
		return;
	}
}

/*
 * Admission: a new connection gets a session while fewer than $.limits.sessions exist
 * over all workers and this worker has a free slot ($.limits.sessions_per_core); else
 * it is reset and counted (session_limit / session_limit_core). Sessions are never
 * evicted for newcomers: slots held by clients that stall in set-up come back when
 * the set-up timer ($.timers.handshake_timeout) ends them.
 */
void sg_gw_sess_accepted(struct sg_gw *gw, struct sg_tcp_conn *c)
{
	uint32_t t = gw->app->cfg.timers.handshake_timeout;
	uint32_t *admitted = &gw->app->sessions_admitted;
	struct sg_session *s = NULL;
	enum sg_drop why = SG_DROP_SESSION_LIMIT;

	if (!gw->draining) {
		if (__atomic_add_fetch(admitted, 1, __ATOMIC_RELAXED) >
		    gw->app->cfg.limits.sessions) {
			__atomic_sub_fetch(admitted, 1, __ATOMIC_RELAXED);
		} else {
			s = sg_gw_sess_alloc(gw);
			if (s == NULL) {
				__atomic_sub_fetch(admitted, 1, __ATOMIC_RELAXED);
				why = SG_DROP_SESSION_LIMIT_CORE;
			}
		}
	}
	if (s == NULL) {
		sg_stats_drop(gw->st, why, 1);
		sg_tcp_conn_abort(c, gw->now);
		return;
	}
	s->gw = gw;
	s->tls = sg_tls_conn_new(gw->tls);
	if (s->tls == NULL) {
		sg_stats_drop(gw->st, SG_DROP_NO_MBUF, 1);
		sg_tcp_conn_abort(c, gw->now);
		sg_gw_reap_add(gw, s);
		return;
	}
	s->conn = c;
	sg_tcp_conn_set_udata(c, s);
	s->setup_deadline = gw->now + (t ? (sg_usec_t) t * SG_USEC_PER_SEC : DEFAULT_SETUP_USEC);
	sg_stats_count(gw->st, SG_CTR_SESS_ACCEPTED, 1);
	sg_gw_sess_rearm(gw, s);
}

static void on_plain(void *arg, const uint8_t *data, size_t len)
{
	struct sg_session *s = arg;
	struct sg_gw *gw = s->gw;

	if (s->state == SG_SESS_CLOSING)
		return;
	if (!s->tunnel_up) {
		if (sg_tunnel_init(s->tunnel, &gw->tun_cfg, on_tunnel, s, gw->now) < 0) {
			sess_end(gw, s, true);
			return;
		}
		s->tunnel_up = true;
		__atomic_store_n(&s->state, SG_SESS_SETUP, __ATOMIC_RELEASE);
	}
	sg_tunnel_input(s->tunnel, data, len, gw->now);
}

void sg_gw_sess_readable(struct sg_gw *gw, struct sg_session *s, struct rte_mbuf *data)
{
	struct sg_tcp_conn *c = s->conn;
	uint32_t total = data->pkt_len;
	struct rte_mbuf *seg;
	int rc = 0;

	for (seg = data; seg != NULL && rc == 0 && s->state != SG_SESS_CLOSING; seg = seg->next)
		rc = sg_tls_conn_input(s->tls, rte_pktmbuf_mtod(seg, const uint8_t *),
				       seg->data_len, on_plain, s);
	rte_pktmbuf_free(data);
	if (c != NULL)
		sg_tcp_conn_recv_consumed(c, total, gw->now);
	if (s->state == SG_SESS_CLOSING)
		return;
	if (rc < 0) {
		if (!sg_tls_conn_established(s->tls))
			sg_stats_count(gw->st, SG_CTR_SESS_TLS_FAILED, 1);
		sg_gw_flush(gw, s); /* the alert */
		if (s->tunnel_up)
			sg_tunnel_lower_down(s->tunnel, gw->now); /* CLOSE -> sess_end */
		sess_end(gw, s, false);
		return;
	}
	if (s->state == SG_SESS_TLS && sg_tls_conn_established(s->tls))
		__atomic_store_n(&s->state, SG_SESS_SETUP, __ATOMIC_RELEASE);
	sg_gw_flush(gw, s);
	sg_gw_sess_rearm(gw, s);
}

void sg_gw_sess_transport_down(struct sg_gw *gw, struct sg_session *s, bool closed)
{
	if (closed) {
		sg_tcp_conn_set_udata(s->conn, NULL);
		s->conn = NULL;
	}
	if (s->tunnel_up && s->state != SG_SESS_CLOSING)
		sg_tunnel_lower_down(s->tunnel, gw->now);
	sess_end(gw, s, false);
}

void sg_gw_sess_timer(struct sg_gw *gw, struct sg_session *s)
{
	if (s->state == SG_SESS_CLOSING || s->state == SG_SESS_FREE)
		return;
	if (s->state == SG_SESS_OPEN &&
	    (gw->now >= s->end_deadline ||
	     (s->idle_sec != 0 &&
	      gw->now >= s->last_active + (sg_usec_t) s->idle_sec * SG_USEC_PER_SEC))) {
		bool idle = gw->now < s->end_deadline;
		sg_stats_count(gw->st, idle ? SG_CTR_SESS_IDLE : SG_CTR_SESS_EXPIRED, 1);
		SG_LOG(APP, INFO, "worker %u: session %u.%u (%s): %s timeout", gw->w->lcore,
		       gw->index, s->idx, s->user, idle ? "idle" : "session");
		s->end_deadline = UINT64_MAX;
		s->idle_sec = 0;
		sg_gw_sess_kill(
		    gw, s, idle ? SG_RADIUS_TERM_IDLE_TIMEOUT : SG_RADIUS_TERM_SESSION_TIMEOUT);
		return;
	}
	if (s->tx_hold != 0 && gw->now >= s->tx_hold)
		sg_gw_flush(gw, s); /* the held first TLS flight */
	if (gw->now >= s->setup_deadline) {
		sg_stats_count(gw->st, SG_CTR_SESS_TIMEOUTS, 1);
		SG_LOG(APP, INFO, "worker %u: session %u.%u: set-up timed out in state %s",
		       gw->w->lcore, gw->index, s->idx,
		       sg_sess_state_name((enum sg_sess_state) s->state));
		sess_end(gw, s, true);
		return;
	}
	if (s->tunnel_up) {
		sg_tunnel_timer(s->tunnel, gw->now);
		if (s->state != SG_SESS_CLOSING)
			sg_gw_flush(gw, s);
	}
	if (s->state == SG_SESS_OPEN)
		sg_gw_lan6_timer(gw, s);
}

void sg_gw_sess_auth_answer(struct sg_gw *gw, struct sg_auth_msg *m)
{
	struct sg_session *s = sg_gw_sess_get(gw, m->sess_idx, m->gen);
	struct sg_aaa_result res;

	if (s == NULL || s->state != SG_SESS_AUTH || m->round != s->auth_round) {
		sg_stats_count(gw->st, SG_CTR_AUTH_STALE, 1);
		if (m->ipv4 != 0)
			tell_control(gw, SG_MSG_SESS_CLOSED, 0, m->ipv4);
		if (m->prefix6_len != 0)
			tell_control6(gw, m->prefix6);
		goto out;
	}
	memset(&res, 0, sizeof(res));
	res.status = m->status;
	if (m->status == SG_AAA_ACCEPT && m->ipv4 != 0 && sg_gw_addr_add(gw, s, m->ipv4) < 0) {
		tell_control(gw, SG_MSG_SESS_CLOSED, 0, m->ipv4);
		res.status = SG_AAA_ERROR;
	}
	if (m->prefix6_len != 0) { /* IPv6 for this session: its /64 into the table */
		memcpy(s->prefix6, m->prefix6, 16);
		s->prefix6_len = m->prefix6_len;
		if (res.status != SG_AAA_ACCEPT || sg_gw_prefix6_add(gw, s) < 0) {
			tell_control6(gw, m->prefix6);
			s->prefix6_len = 0;
		}
	}
	if (m->eap_len > 0 && m->eap_len <= sizeof(res.eap)) {
		memcpy(res.eap, m->eap, m->eap_len);
		res.eap_len = m->eap_len;
	}
	if (res.status == SG_AAA_CHALLENGE) {
		sg_stats_count(gw->st, SG_CTR_AUTH_CHALLENGES, 1); /* EAP: relay, wait again */
	} else if (res.status == SG_AAA_ACCEPT) {
		const struct sg_config_timers *ct = &gw->app->cfg.timers;
		uint32_t st = m->session_timeout ? m->session_timeout : ct->session_timeout;

		s->idle_sec = m->idle_timeout ? m->idle_timeout : ct->idle_timeout;
		s->session_sec = st; /* counted from OPEN */
		sg_stats_count(gw->st, SG_CTR_AUTH_ACCEPTS, 1);
		sg_tunnel_set_peer_ipv4(s->tunnel, s->ipv4);
		/* a client proposing no (or our) interface id gets one unique to the session */
		sg_tunnel_set_peer_ifid(s->tunnel, 0x0200000000000000ull |
						       (uint64_t) gw->index << 40 |
						       (uint64_t) s->idx << 16 | (s->gen & 0xffffu));
		if (m->has_keys) {
			res.has |= SG_AAA_HAS_KEYS;
			memcpy(res.hlak, m->hlak, sizeof(res.hlak));
		}
	} else {
		sg_stats_count(gw->st, SG_CTR_AUTH_REJECTS, 1);
	}
	if (m->has_success) {
		res.has |= SG_AAA_HAS_MSCHAP2_SUCCESS;
		memcpy(res.mschap2_success, m->success, sizeof(res.mschap2_success));
	}
	snprintf(res.reply_message, sizeof(res.reply_message), "%s", m->message);
	__atomic_store_n(&s->state, SG_SESS_SETUP, __ATOMIC_RELEASE);
	sg_tunnel_auth_result(s->tunnel, &res, gw->now);
	sg_aaa_result_wipe(&res);
	if (s->state != SG_SESS_CLOSING) {
		sg_gw_flush(gw, s);
		sg_gw_sess_rearm(gw, s);
	}
out:
	OPENSSL_cleanse(m, sizeof(*m));
	rte_mempool_put(gw->app->auth_pool, m);
}

void sg_gw_sess_kill(struct sg_gw *gw, struct sg_session *s, uint8_t cause)
{
	if (s->state == SG_SESS_CLOSING || s->state == SG_SESS_FREE)
		return;
	s->kill = true;
	if (s->end_cause == 0)
		s->end_cause = cause;
	if (!s->tunnel_up) {
		sess_end(gw, s, true);
		return;
	}
	sg_tunnel_disconnect(s->tunnel, gw->now);
	if (s->state != SG_SESS_CLOSING) {
		sg_gw_flush(gw, s);
		sg_gw_sess_rearm(gw, s);
	}
}

void sg_gw_drain_all(struct sg_gw *gw)
{
	uint32_t i;

	gw->draining = true;
	for (i = 0; i < gw->n_sess; i++)
		sg_gw_sess_kill(gw, &gw->sess[i], SG_RADIUS_TERM_ADMIN_REBOOT);
}

void sg_gw_sess_acct_report(struct sg_gw *gw, struct sg_session *s)
{
	if (s->state == SG_SESS_OPEN)
		tell_acct(gw, s, SG_MSG_ACCT_COUNTERS, 0);
}

/*
 * CoA: a new Session-Timeout counts from the moment the session opened (RFC 2865 5.27:
 * the most service to give; already past: it ends now), a new Idle-Timeout from the
 * last packet; 0 removes the limit.
 */
void sg_gw_sess_set_timeouts(struct sg_gw *gw, struct sg_session *s, const struct sg_msg_tmo *t)
{
	if (t->has & SG_MSG_TMO_SESSION) {
		s->session_sec = t->session_timeout;
		if (s->state == SG_SESS_OPEN)
			s->end_deadline =
			    t->session_timeout
				? s->opened_at + (sg_usec_t) t->session_timeout * SG_USEC_PER_SEC
				: UINT64_MAX;
	}
	if (t->has & SG_MSG_TMO_IDLE)
		s->idle_sec = t->idle_timeout;
	SG_LOG(APP, INFO, "worker %u: session %u.%u (%s): timeouts now session %u s, idle %u s",
	       gw->w->lcore, gw->index, s->idx, s->user, s->session_sec, s->idle_sec);
	sg_gw_sess_rearm(gw, s);
}
