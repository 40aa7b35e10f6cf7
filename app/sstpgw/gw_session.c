/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker's sessions: a fixed pool referred to by index + generation (so a late
 * answer for a dead session is recognised), a binary min-heap of deadlines (no scan
 * of all sessions per poll), the IPv4 -> session table and the end-of-iteration reap
 * list (a session closed deep inside a callback stays valid until its callers return).
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>

#include "sg_app.h"
#include "sg_gw.h"

static const char *const state_names[] = {
    [SG_SESS_FREE] = "free", [SG_SESS_TLS] = "tls",   [SG_SESS_SETUP] = "setup",
    [SG_SESS_AUTH] = "auth", [SG_SESS_OPEN] = "open", [SG_SESS_CLOSING] = "closing",
};

const char *sg_sess_state_name(enum sg_sess_state s)
{
	return (unsigned int) s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s]
									       : "?";
}

struct sg_session *sg_gw_sess_alloc(struct sg_gw *gw)
{
	struct sg_session *s;

	if (gw->free_head == SG_SESS_NONE)
		return NULL;
	s = &gw->sess[gw->free_head];
	gw->free_head = s->next_free;
	s->next_free = SG_SESS_NONE;
	s->gen++;
	s->conn = NULL;
	s->tls = NULL;
	s->tunnel = (struct sg_tunnel *) (gw->tunnel_mem + (size_t) s->idx * gw->tunnel_size);
	s->tunnel_up = false;
	s->kill = false;
	s->opened = false;
	s->end_cause = 0;
	s->opened_at = 0;
	s->flight_seen = false;
	s->tx_hold = 0;
	s->mtu = 0;
	s->ipv4 = 0;
	s->prefix6_len = 0;
	s->ipv6_up = false;
	s->ra_sent = 0;
	s->local_ifid = s->peer_ifid = 0;
	s->ra_deadline = UINT64_MAX;
	s->heap_idx = SG_SESS_NONE;
	s->deadline = UINT64_MAX;
	s->setup_deadline = UINT64_MAX;
	s->end_deadline = UINT64_MAX;
	s->idle_sec = 0;
	s->session_sec = 0;
	s->started = gw->now;
	s->last_active = gw->now;
	s->rx_bytes = s->rx_pkts = s->tx_bytes = s->tx_pkts = 0;
	s->user[0] = '\0';
	__atomic_store_n(&s->state, SG_SESS_TLS, __ATOMIC_RELEASE);
	__atomic_store_n(&gw->active, gw->active + 1, __ATOMIC_RELAXED);
	return s;
}

struct sg_session *sg_gw_sess_get(struct sg_gw *gw, uint32_t idx, uint32_t gen)
{
	struct sg_session *s;

	if (idx >= gw->n_sess)
		return NULL;
	s = &gw->sess[idx];
	if (s->gen != gen || s->state == SG_SESS_FREE || s->state == SG_SESS_CLOSING)
		return NULL;
	return s;
}

/* ---- timer heap ---- */

static void heap_swap(struct sg_gw *gw, uint32_t a, uint32_t b)
{
	uint32_t sa = gw->heap[a], sb = gw->heap[b];

	gw->heap[a] = sb;
	gw->heap[b] = sa;
	gw->sess[sb].heap_idx = a;
	gw->sess[sa].heap_idx = b;
}

static sg_usec_t key(const struct sg_gw *gw, uint32_t i)
{
	return gw->sess[gw->heap[i]].deadline;
}

static void heap_up(struct sg_gw *gw, uint32_t i)
{
	while (i > 0 && key(gw, (i - 1) / 2) > key(gw, i)) {
		heap_swap(gw, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct sg_gw *gw, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < gw->heap_n && key(gw, l) < key(gw, m))
			m = l;
		if (r < gw->heap_n && key(gw, r) < key(gw, m))
			m = r;
		if (m == i)
			return;
		heap_swap(gw, i, m);
		i = m;
	}
}

static void heap_remove(struct sg_gw *gw, struct sg_session *s)
{
	uint32_t i = s->heap_idx;

	if (i == SG_SESS_NONE)
		return;
	gw->heap_n--;
	if (i != gw->heap_n) {
		heap_swap(gw, i, gw->heap_n);
		heap_down(gw, i);
		heap_up(gw, i);
	}
	s->heap_idx = SG_SESS_NONE;
}

/* Recompute a session's earliest deadline and move it in the heap. */
void sg_gw_sess_rearm(struct sg_gw *gw, struct sg_session *s)
{
	sg_usec_t d = s->setup_deadline;

	if (s->state == SG_SESS_FREE || s->state == SG_SESS_CLOSING) {
		heap_remove(gw, s);
		return;
	}
	if (s->tx_hold != 0 && s->tx_hold < d)
		d = s->tx_hold;
	if (s->tunnel_up) {
		sg_usec_t t = sg_tunnel_deadline(s->tunnel);
		if (t < d)
			d = t;
	}
	if (s->state == SG_SESS_OPEN) { /* idle and session timeouts run once open */
		sg_usec_t idle = s->last_active + (sg_usec_t) s->idle_sec * SG_USEC_PER_SEC;
		if (s->end_deadline < d)
			d = s->end_deadline;
		if (s->idle_sec != 0 && idle < d)
			d = idle;
		if (s->ra_deadline < d)
			d = s->ra_deadline;
	}
	s->deadline = d;
	if (d == UINT64_MAX) {
		heap_remove(gw, s);
		return;
	}
	if (s->heap_idx == SG_SESS_NONE) {
		s->heap_idx = gw->heap_n;
		gw->heap[gw->heap_n++] = s->idx;
		heap_up(gw, s->heap_idx);
		return;
	}
	heap_down(gw, s->heap_idx);
	heap_up(gw, s->heap_idx);
}

void sg_gw_timers_run(struct sg_gw *gw)
{
	unsigned int budget = 256; /* bounded work per iteration */

	while (gw->heap_n > 0 && key(gw, 0) <= gw->now && budget-- > 0) {
		struct sg_session *s = &gw->sess[gw->heap[0]];
		heap_remove(gw, s);
		sg_gw_sess_timer(gw, s);
		if (s->heap_idx == SG_SESS_NONE)
			sg_gw_sess_rearm(gw, s);
	}
}

/* ---- reaping ---- */

void sg_gw_reap_add(struct sg_gw *gw, struct sg_session *s)
{
	heap_remove(gw, s);
	__atomic_store_n(&s->state, SG_SESS_CLOSING, __ATOMIC_RELEASE);
	gw->reap[gw->n_reap++] = s->idx;
}

void sg_gw_reap(struct sg_gw *gw)
{
	uint32_t i;

	for (i = 0; i < gw->n_reap; i++) {
		struct sg_session *s = &gw->sess[gw->reap[i]];
		if (s->tunnel_up)
			sg_tunnel_fini(s->tunnel);
		s->tunnel_up = false;
		sg_tls_conn_free(s->tls);
		s->tls = NULL;
		s->conn = NULL;
		__atomic_store_n(&s->state, SG_SESS_FREE, __ATOMIC_RELEASE);
		s->next_free = gw->free_head;
		gw->free_head = s->idx;
		__atomic_store_n(&gw->active, gw->active - 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&gw->app->sessions_admitted, 1, __ATOMIC_RELAXED);
	}
	gw->n_reap = 0;
}

/* ---- gauges for telemetry ---- */

void sg_gw_gauges_publish(struct sg_gw *gw)
{
	struct sg_tcp_stats ts;
	const uint64_t *from = (const uint64_t *) &ts;
	uint64_t *to = (uint64_t *) &gw->tcp_snap;
	size_t i;

	static_assert(sizeof(ts) % sizeof(uint64_t) == 0, "sg_tcp_stats is 64-bit words");
	if (gw->now - gw->gauges_at < 100 * SG_USEC_PER_MSEC)
		return;
	gw->gauges_at = gw->now;
	sg_tcp_stats_get(gw->tcp, &ts);
	for (i = 0; i < sizeof(ts) / sizeof(uint64_t); i++)
		__atomic_store_n(&to[i], from[i], __ATOMIC_RELAXED);
}

/* ---- address table ---- */

int sg_gw_addr_add(struct sg_gw *gw, struct sg_session *s, uint32_t ipv4)
{
	uint32_t be = rte_cpu_to_be_32(ipv4);
	int rc = rte_hash_add_key_data(gw->by_addr, &be, (void *) (uintptr_t) s->idx);

	if (rc == 0)
		s->ipv4 = ipv4;
	return rc;
}

void sg_gw_addr_del(struct sg_gw *gw, struct sg_session *s)
{
	uint32_t be = rte_cpu_to_be_32(s->ipv4);
	void *data;

	if (s->ipv4 == 0)
		return;
	if (rte_hash_lookup_data(gw->by_addr, &be, &data) >= 0 && (uintptr_t) data == s->idx)
		rte_hash_del_key(gw->by_addr, &be);
}

struct sg_session *sg_gw_addr_lookup(struct sg_gw *gw, uint32_t ipv4_be)
{
	void *data;

	if (rte_hash_lookup_data(gw->by_addr, &ipv4_be, &data) < 0)
		return NULL;
	return &gw->sess[(uintptr_t) data];
}

/* ---- IPv6 /64 table (key: the upper 64 bits) ---- */

int sg_gw_prefix6_add(struct sg_gw *gw, struct sg_session *s)
{
	return rte_hash_add_key_data(gw->by_prefix6, s->prefix6, (void *) (uintptr_t) s->idx);
}

void sg_gw_prefix6_del(struct sg_gw *gw, struct sg_session *s)
{
	void *data;

	if (s->prefix6_len == 0)
		return;
	if (rte_hash_lookup_data(gw->by_prefix6, s->prefix6, &data) >= 0 &&
	    (uintptr_t) data == s->idx)
		rte_hash_del_key(gw->by_prefix6, s->prefix6);
}

struct sg_session *sg_gw_prefix6_lookup(struct sg_gw *gw, const uint8_t addr[16])
{
	void *data;

	if (rte_hash_lookup_data(gw->by_prefix6, addr, &data) < 0)
		return NULL;
	return &gw->sess[(uintptr_t) data];
}
