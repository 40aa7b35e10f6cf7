/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session telemetry, on the telemetry thread:
 *   /sstpgw/sessions      active count, pool usage, lib/tcp's connection gauges, and one entry per session
 *                         ("W_N": worker index and slot; telemetry names allow no dots) with user,
 * address, state, packets and bytes each way /sstpgw/kill,W_N      graceful SSTP disconnect of that
 * session (through control) Session records live in each worker's fixed array for the daemon's
 * lifetime; the fields read here are plain words written by their worker (a listing taken while a
 * session changes may mix its old and new values, never reads freed memory).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_telemetry.h>

#include "sg_app.h"
#include "sg_gw.h"

#define MAX_LISTED 128

int sg_app_tel_sessions(const struct sg_app *app, struct rte_tel_data *d)
{
	unsigned int i, listed = 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "active", sg_app_sessions_active(app));
	rte_tel_data_add_dict_u64(d, "pool4_used",
				  __atomic_load_n(&app->pool4_used, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "pool4_size",
				  __atomic_load_n(&app->pool4_size, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "pool6_used",
				  __atomic_load_n(&app->pool6_used, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "pool6_size",
				  __atomic_load_n(&app->pool6_size, __ATOMIC_RELAXED));
	{
		uint64_t conns = 0, half_open = 0, time_wait = 0;

		for (i = 0; i < app->n_workers; i++) {
			const struct sg_gw *gw = app->workers[i].gw;
			if (gw == NULL)
				continue;
			conns += __atomic_load_n(&gw->tcp_snap.conns, __ATOMIC_RELAXED);
			half_open += __atomic_load_n(&gw->tcp_snap.half_open, __ATOMIC_RELAXED);
			time_wait += __atomic_load_n(&gw->tcp_snap.time_wait, __ATOMIC_RELAXED);
		}
		/* lib/tcp's gauges as of the last 100 ms: connections (any state but
		 * TIME_WAIT), handshakes not yet completed, TIME_WAIT entries */
		rte_tel_data_add_dict_u64(d, "tcp_conns", conns);
		rte_tel_data_add_dict_u64(d, "tcp_half_open", half_open);
		rte_tel_data_add_dict_u64(d, "tcp_time_wait", time_wait);
	}
	for (i = 0; i < app->n_workers; i++) {
		const struct sg_gw *gw = app->workers[i].gw;
		uint32_t j;

		for (j = 0; gw != NULL && j < gw->n_sess && listed < MAX_LISTED; j++) {
			const struct sg_session *s = &gw->sess[j];
			uint8_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
			struct rte_tel_data *e;
			char name[32], addr[20], user[SG_SESS_USER_MAX], a6[INET6_ADDRSTRLEN + 4];
			uint32_t a = s->ipv4;

			if (st == SG_SESS_FREE)
				continue;
			e = rte_tel_data_alloc();
			if (e == NULL)
				return -ENOMEM;
			rte_tel_data_start_dict(e);
			memcpy(user, s->user, sizeof(user));
			user[sizeof(user) - 1] = '\0';
			snprintf(addr, sizeof(addr), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
				 (a >> 8) & 255, a & 255);
			rte_tel_data_add_dict_string(e, "user", user);
			rte_tel_data_add_dict_string(e, "ipv4", a ? addr : "");
			a6[0] = '\0';
			if (__atomic_load_n(&s->prefix6_len, __ATOMIC_RELAXED) != 0 &&
			    inet_ntop(AF_INET6, s->prefix6, a6, sizeof(a6) - 4) != NULL)
				memcpy(a6 + strlen(a6), "/64", 4);
			rte_tel_data_add_dict_string(e, "ipv6_prefix", a6);
			rte_tel_data_add_dict_string(e, "state",
						     sg_sess_state_name((enum sg_sess_state) st));
			rte_tel_data_add_dict_u64(e, "rx_packets", s->rx_pkts);
			rte_tel_data_add_dict_u64(e, "rx_bytes", s->rx_bytes);
			rte_tel_data_add_dict_u64(e, "tx_packets", s->tx_pkts);
			rte_tel_data_add_dict_u64(e, "tx_bytes", s->tx_bytes);
			snprintf(name, sizeof(name), "%u_%u", i, j);
			rte_tel_data_add_dict_container(d, name, e, 0);
			listed++;
		}
	}
	return 0;
}

/* /sstpgw/tcp: lib/tcp's counters and drops summed over workers (last 100 ms). */
int sg_app_tel_tcp(const struct sg_app *app, struct rte_tel_data *d)
{
	struct sg_tcp_stats sum;
	unsigned int i, k;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < app->n_workers; i++) {
		const struct sg_gw *gw = app->workers[i].gw;
		const uint64_t *from;
		uint64_t *to = (uint64_t *) &sum;

		if (gw == NULL)
			continue;
		from = (const uint64_t *) &gw->tcp_snap;
		for (k = 0; k < sizeof(sum) / sizeof(uint64_t); k++)
			to[k] += __atomic_load_n(&from[k], __ATOMIC_RELAXED);
	}
	rte_tel_data_start_dict(d);
#define SG_TEL_TCP_(f) rte_tel_data_add_dict_u64(d, #f, sum.f);
	SG_TCP_COUNTERS(SG_TEL_TCP_)
#undef SG_TEL_TCP_
	for (k = 0; k < SG_TCP_DROP_COUNT; k++)
		if (sum.drops[k] != 0)
			rte_tel_data_add_dict_u64(d, sg_tcp_drop_name((enum sg_tcp_drop) k),
						  sum.drops[k]);
	return 0;
}

/*
 * /sstpgw/session,W_N: one session's transport for diagnostics: TLS output waiting for
 * TCP and lib/tcp's view of the connection. Read on the telemetry thread from state the
 * worker owns and changes meanwhile: approximate, and only for looking at a stuck call.
 */
int sg_app_tel_session(const struct sg_app *app, const char *params, struct rte_tel_data *d)
{
	unsigned int w, idx;
	const struct sg_gw *gw;
	const struct sg_session *s;
	struct sg_tcp_conn_info ci;
	struct sg_tcp_conn *conn;
	struct sg_tls_conn *tls;

	if (params == NULL || sscanf(params, "%u_%u", &w, &idx) != 2 || w >= app->n_workers ||
	    (gw = app->workers[w].gw) == NULL || idx >= gw->n_sess)
		return -EINVAL;
	s = &gw->sess[idx];
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SG_SESS_OPEN)
		return -ENOENT;
	conn = __atomic_load_n(&s->conn, __ATOMIC_RELAXED);
	tls = __atomic_load_n(&s->tls, __ATOMIC_RELAXED);
	rte_tel_data_start_dict(d);
	if (tls != NULL)
		rte_tel_data_add_dict_u64(d, "tls_out_pending", sg_tls_conn_out_pending(tls));
	if (conn == NULL)
		return 0;
	sg_tcp_conn_info(conn, &ci);
	rte_tel_data_add_dict_string(d, "tcp_state", sg_tcp_state_name(ci.state));
	rte_tel_data_add_dict_u64(d, "snd_una", ci.snd_una);
	rte_tel_data_add_dict_u64(d, "snd_nxt", ci.snd_nxt);
	rte_tel_data_add_dict_u64(d, "snd_wnd", ci.snd_wnd);
	rte_tel_data_add_dict_u64(d, "cwnd", ci.cwnd);
	rte_tel_data_add_dict_u64(d, "ssthresh", ci.ssthresh);
	rte_tel_data_add_dict_u64(d, "snd_queued", ci.snd_queued);
	rte_tel_data_add_dict_u64(d, "send_space", sg_tcp_conn_send_space(conn));
	rte_tel_data_add_dict_u64(d, "rcv_nxt", ci.rcv_nxt);
	rte_tel_data_add_dict_u64(d, "rcv_wnd", ci.rcv_wnd);
	rte_tel_data_add_dict_u64(d, "rcv_backlog", ci.rcv_backlog);
	rte_tel_data_add_dict_u64(d, "ooo_bytes", ci.ooo_bytes);
	rte_tel_data_add_dict_u64(d, "srtt_us", ci.srtt_us);
	rte_tel_data_add_dict_u64(d, "rto_us", ci.rto_us);
	rte_tel_data_add_dict_u64(d, "retrans", ci.retrans);
	return 0;
}

int sg_app_tel_kill(const struct sg_app *app, const char *params, struct rte_tel_data *d)
{
	unsigned int w, idx;
	struct sg_msg m = {.type = SG_MSG_KILL};
	const struct sg_gw *gw;

	if (params == NULL || sscanf(params, "%u_%u", &w, &idx) != 2 || w >= app->n_workers ||
	    (gw = app->workers[w].gw) == NULL || idx >= gw->n_sess)
		return -EINVAL;
	if (__atomic_load_n(&gw->sess[idx].state, __ATOMIC_ACQUIRE) == SG_SESS_FREE)
		return -ENOENT;
	m.role = (uint8_t) w;
	m.arg = idx | (uint64_t) gw->sess[idx].gen << 32;
	if (rte_ring_enqueue_elem(app->ctl_req, &m, sizeof(m)) != 0)
		return -EBUSY;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "kill", params);
	return 0;
}
