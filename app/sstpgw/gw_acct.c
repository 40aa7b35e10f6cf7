/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control core's RADIUS accounting (RFC 2866) and dynamic authorization listener
 * (RFC 5176), over gw_auth.c's lib/aaa client.
 *
 * Control keeps one record per worker session slot (indexed worker, slot; the slot's
 * generation tells a late message from a reused slot): what an Access-Accept brought
 * (user, Class, address, Acct-Interim-Interval), filled when control answers the
 * authentication, and a list of the open ones. Workers own the counters and report
 * them over their ring, never through shared memory (see app/sstpgw/README.md):
 *   SESS_OPENED   -> Accounting-Request Start
 *   ACCT_REQ      -> (control asks every interim interval) ACCT_COUNTERS -> Interim-Update
 *   SESS_END      -> Stop with the final counters and the worker's Acct-Terminate-Cause
 * lib/aaa retransmits, fails over, and queues Stop records while every server is down.
 *
 * Disconnect-/CoA-Requests are matched against the open sessions by Acct-Session-Id,
 * User-Name and Framed-IP-Address (every attribute given must match); a Disconnect
 * becomes SG_MSG_KILL (SSTP disconnect, Stop with Admin-Reset), a CoA SG_MSG_SET_TIMEOUTS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_ring.h>
#include <rte_telemetry.h>

#include "sg_aaa_wire.h"
#include "sg_app.h"
#include "sg_gw.h"

#define SCAN_USEC	 (100 * 1000)	       /* interim timers and published stats */
#define FINISH_USEC	 (3 * SG_USEC_PER_SEC) /* Accounting-Off and queued Stops at exit */
#define DAE_EVENT_WINDOW 300		       /* s, RFC 5176 §3.3's suggested window */

/* Control's own accounting and DAE events (telemetry /sstpgw/aaa). */
#define ACCT_EVENTS(X)                                                                             \
	X(STARTS, "acct_start")                                                                    \
	X(INTERIMS, "acct_interim")                                                                \
	X(STOPS, "acct_stop")                                                                      \
	X(SUBMIT_FAILED, "acct_submit_failed") /* the client refused the record (full) */          \
	X(STALE_MSG, "acct_stale_message")     /* a worker message for a slot reused since */      \
	X(DAE_DISCONNECT, "dae_disconnect")                                                        \
	X(DAE_COA, "dae_coa")                                                                      \
	X(DAE_NOT_FOUND, "dae_session_not_found")                                                  \
	X(DAE_UNSUPPORTED, "dae_unsupported")                                                      \
	X(DAE_RING_FULL, "dae_ring_full")

enum acct_event {
#define ACCT_EV_ENUM_(id, name) ACCT_EV_##id,
	ACCT_EVENTS(ACCT_EV_ENUM_)
#undef ACCT_EV_ENUM_
	    ACCT_EV_COUNT
};

static const char *const acct_event_names[] = {
#define ACCT_EV_NAME_(id, name) name,
    ACCT_EVENTS(ACCT_EV_NAME_)
#undef ACCT_EV_NAME_
};

enum ent_state { ENT_FREE = 0, ENT_ACCEPTED, ENT_ACTIVE };

struct acct_ent {
	uint32_t gen;
	uint8_t state; /* enum ent_state */
	uint8_t class_len;
	uint16_t worker;
	uint32_t idx;
	uint32_t pos;	    /* in the active list while ACTIVE */
	uint32_t framed_ip; /* network order */
	uint8_t prefix6[16];
	uint8_t prefix6_len; /* 0: none */
	uint32_t interim_sec;
	sg_usec_t started, next_interim;
	char user[SG_AAA_NAME_MAX + 1];
	char calling[64];
	uint8_t class_[SG_AAA_CLASS_MAX];
};

/* What telemetry reads (relaxed loads; written only by control). */
struct acct_pub {
	struct sg_aaa_stats radius;
	struct sg_aaa_stats dae;
	uint64_t ev[ACCT_EV_COUNT];
	uint64_t active;
	uint64_t current_server;
	uint64_t inflight;
	bool has_radius, has_dae;
	uint16_t dae_port;
};

struct sg_ctl_acct {
	struct sg_app *app;
	struct sg_aaa_radius *radius; /* gw_auth.c's client */
	struct sg_aaa_dae *dae;
	bool accounting;	  /* send Accounting-Requests */
	uint32_t boot;		  /* UNIX time at start: Acct-Session-Id prefix */
	uint32_t default_interim; /* s, 0: no Interim-Update unless the server asks */
	uint32_t base[SG_CONFIG_MAX_WORKERS + 1]; /* worker i's slots: [base[i], base[i+1]) */
	struct acct_ent *ent;
	uint32_t *active;
	uint32_t n_active;
	sg_usec_t next_scan;
	uint64_t ev[ACCT_EV_COUNT];
	struct acct_pub pub;
};

static sg_usec_t now_usec(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000000);
}

static void session_id(const struct sg_ctl_acct *a, unsigned int worker, uint32_t idx, uint32_t gen,
		       char *out, size_t cap)
{
	snprintf(out, cap, "%08X%02X%06X%08X", a->boot, worker & 0xff, idx & 0xffffff, gen);
}

static struct acct_ent *ent_of(struct sg_ctl_acct *a, unsigned int worker, uint32_t idx)
{
	if (worker >= a->app->n_workers || idx >= a->base[worker + 1] - a->base[worker])
		return NULL;
	return &a->ent[a->base[worker] + idx];
}

static void active_del(struct sg_ctl_acct *a, struct acct_ent *e)
{
	uint32_t last = a->active[--a->n_active];

	a->active[e->pos] = last;
	a->ent[last].pos = e->pos;
	e->state = ENT_FREE;
}

/* ---- DAE ---------------------------------------------------------------------------- */

static bool dae_match(const struct sg_ctl_acct *a, const struct acct_ent *e,
		      const struct sg_aaa_dae_request *rq)
{
	char sid[64];

	if (rq->has & SG_AAA_DAE_HAS_SESSION_ID) {
		session_id(a, e->worker, e->idx, e->gen, sid, sizeof(sid));
		if (strcmp(sid, rq->session_id) != 0)
			return false;
	}
	if ((rq->has & SG_AAA_DAE_HAS_USER) && strcmp(e->user, rq->user) != 0)
		return false;
	if ((rq->has & SG_AAA_DAE_HAS_FRAMED_IP) && e->framed_ip != rq->framed_ip)
		return false;
	return true;
}

static uint32_t on_dae(void *arg, const struct sg_aaa_dae_request *rq)
{
	struct sg_ctl_acct *a = arg;
	bool coa = rq->code == SG_RADIUS_COA_REQUEST;
	unsigned int matched = 0, lost = 0;
	uint32_t i;

	if (coa && (rq->has & SG_AAA_DAE_HAS_FILTER_ID)) {
		a->ev[ACCT_EV_DAE_UNSUPPORTED]++;
		return SG_RADIUS_ERR_UNSUPPORTED_ATTRIBUTE; /* no filters in the gateway */
	}
	for (i = 0; i < a->n_active; i++) {
		struct acct_ent *e = &a->ent[a->active[i]];
		struct sg_msg m = {.lcore = rte_lcore_id()};

		if (!dae_match(a, e, rq))
			continue;
		matched++;
		m.arg = e->idx | (uint64_t) e->gen << 32;
		if (coa) {
			m.type = SG_MSG_SET_TIMEOUTS;
			m.tmo.has = 0;
			if (rq->has & SG_AAA_DAE_HAS_SESSION_TIMEOUT) {
				m.tmo.has |= SG_MSG_TMO_SESSION;
				m.tmo.session_timeout = rq->session_timeout;
			}
			if (rq->has & SG_AAA_DAE_HAS_IDLE_TIMEOUT) {
				m.tmo.has |= SG_MSG_TMO_IDLE;
				m.tmo.idle_timeout = rq->idle_timeout;
			}
			if (m.tmo.has == 0)
				continue; /* nothing to change */
		} else {
			m.type = SG_MSG_KILL;
		}
		if (rte_ring_enqueue_elem(a->app->workers[e->worker].to_worker, &m, sizeof(m)) != 0)
			lost++;
		SG_LOG(APP, INFO, "dae: %s for session %u.%u (%s)", coa ? "CoA" : "Disconnect",
		       e->worker, e->idx, e->user);
	}
	if (matched == 0) {
		a->ev[ACCT_EV_DAE_NOT_FOUND]++;
		SG_LOG(APP, INFO, "dae: %s: no such session", coa ? "CoA" : "Disconnect");
		return SG_RADIUS_ERR_SESSION_NOT_FOUND;
	}
	if (lost > 0) {
		a->ev[ACCT_EV_DAE_RING_FULL]++;
		return SG_RADIUS_ERR_RESOURCES_UNAVAILABLE;
	}
	a->ev[coa ? ACCT_EV_DAE_COA : ACCT_EV_DAE_DISCONNECT]++;
	return 0;
}

static int dae_setup(struct sg_ctl_acct *a, const struct sg_config_coa *c)
{
	struct sg_aaa_dae_opts o;
	unsigned int i;

	memset(&o, 0, sizeof(o));
	if (c->listen.family == AF_INET) {
		struct sockaddr_in *sa = (struct sockaddr_in *) &o.listen;
		sa->sin_family = AF_INET;
		sa->sin_addr = c->listen.v4;
		sa->sin_port = htons(c->port);
	} else {
		struct sockaddr_in6 *sa = (struct sockaddr_in6 *) &o.listen;
		sa->sin6_family = AF_INET6;
		sa->sin6_addr = c->listen.v6;
		sa->sin6_port = htons(c->port);
	}
	for (i = 0; i < c->n_clients && i < SG_AAA_DAE_MAX_CLIENTS; i++) {
		const struct sg_config_coa_client *cl = &c->clients[i];
		o.clients[i].addr.ss_family = (sa_family_t) cl->address.family;
		if (cl->address.family == AF_INET)
			((struct sockaddr_in *) &o.clients[i].addr)->sin_addr = cl->address.v4;
		else
			((struct sockaddr_in6 *) &o.clients[i].addr)->sin6_addr = cl->address.v6;
		snprintf(o.clients[i].secret, sizeof(o.clients[i].secret), "%s", cl->secret);
	}
	o.n_clients = i;
	o.allow_no_msg_auth = !c->require_message_authenticator;
	o.event_window = DAE_EVENT_WINDOW;
	a->dae = sg_aaa_dae_create(&o, on_dae, a);
	OPENSSL_cleanse(&o, sizeof(o));
	if (a->dae == NULL) {
		SG_LOG(APP, ERR, "$.auth.radius.coa: cannot listen on port %u: %s", c->port,
		       strerror(errno));
		return -errno;
	}
	SG_LOG(APP, NOTICE, "dae: CoA/Disconnect listener on UDP port %u, %u client(s)",
	       sg_aaa_dae_port(a->dae), o.n_clients);
	return 0;
}

/* ---- accounting records ---------------------------------------------------------------- */

static void submit(struct sg_ctl_acct *a, const struct sg_aaa_acct *rec, sg_usec_t now)
{
	int rc;

	if (!a->accounting || a->radius == NULL)
		return;
	rc = sg_aaa_radius_acct(a->radius, rec, now, NULL, NULL);
	if (rc < 0) {
		a->ev[ACCT_EV_SUBMIT_FAILED]++;
		SG_LOG(APP, WARNING, "acct: record type %d for %s not sent: %s", (int) rec->type,
		       rec->session_id, strerror(-rc));
	}
}

static void send_record(struct sg_ctl_acct *a, const struct acct_ent *e, enum sg_aaa_acct_type type,
			const struct sg_msg_acct *c, sg_usec_t now)
{
	struct sg_aaa_acct rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	snprintf(rec.user, sizeof(rec.user), "%s", e->user);
	session_id(a, e->worker, e->idx, e->gen, rec.session_id, sizeof(rec.session_id));
	snprintf(rec.calling_station_id, sizeof(rec.calling_station_id), "%s", e->calling);
	rec.framed_ip = e->framed_ip;
	memcpy(rec.framed_ipv6_prefix, e->prefix6, sizeof(rec.framed_ipv6_prefix));
	rec.framed_ipv6_prefix_len = e->prefix6_len;
	if (c != NULL) {
		rec.in_octets = c->in_octets;
		rec.out_octets = c->out_octets;
		rec.in_packets = c->in_pkts;
		rec.out_packets = c->out_pkts;
		rec.terminate_cause = type == SG_AAA_ACCT_STOP ? c->cause : 0;
	}
	rec.session_time = (uint32_t) ((now - e->started) / SG_USEC_PER_SEC);
	rec.event_time = (uint32_t) time(NULL);
	memcpy(rec.class_, e->class_, e->class_len);
	rec.class_len = e->class_len;
	a->ev[type == SG_AAA_ACCT_START	    ? ACCT_EV_STARTS
	      : type == SG_AAA_ACCT_INTERIM ? ACCT_EV_INTERIMS
					    : ACCT_EV_STOPS]++;
	submit(a, &rec, now);
}

/* NAS-wide records: Accounting-On at start, Accounting-Off at stop. */
static void send_nas_record(struct sg_ctl_acct *a, enum sg_aaa_acct_type type)
{
	struct sg_aaa_acct rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	snprintf(rec.session_id, sizeof(rec.session_id), "%08X", a->boot);
	rec.event_time = (uint32_t) time(NULL);
	submit(a, &rec, now_usec());
}

void sg_app_acct_auth_req(struct sg_app *app, struct sg_auth_msg *m)
{
	struct sg_ctl_acct *a = app->acct;

	if (a != NULL)
		session_id(a, m->worker, m->sess_idx, m->gen, m->req.acct_session_id,
			   sizeof(m->req.acct_session_id));
}

void sg_app_acct_accepted(struct sg_app *app, const struct sg_auth_msg *m,
			  const struct sg_aaa_result *res)
{
	struct sg_ctl_acct *a = app->acct;
	struct acct_ent *e;

	if (a == NULL || (e = ent_of(a, m->worker, m->sess_idx)) == NULL)
		return;
	if (e->state == ENT_ACTIVE) /* its end was lost on a full ring */
		active_del(a, e);
	e->state = ENT_ACCEPTED;
	e->gen = m->gen;
	e->worker = m->worker;
	e->idx = m->sess_idx;
	e->framed_ip = rte_cpu_to_be_32(m->ipv4);
	memcpy(e->prefix6, m->prefix6, sizeof(e->prefix6));
	e->prefix6_len = m->prefix6_len;
	snprintf(e->user, sizeof(e->user), "%s", m->req.user);
	snprintf(e->calling, sizeof(e->calling), "%s", m->req.calling_station_id);
	e->class_len = (uint8_t) SG_MIN(res->class_len, sizeof(e->class_));
	memcpy(e->class_, res->class_, e->class_len);
	e->interim_sec = res->has & SG_AAA_HAS_INTERIM ? res->interim_interval : a->default_interim;
}

void sg_app_acct_msg(struct sg_app *app, unsigned int worker, const struct sg_msg *m)
{
	struct sg_ctl_acct *a = app->acct;
	uint32_t idx = (uint32_t) m->arg, gen = (uint32_t) (m->arg >> 32);
	sg_usec_t now = now_usec();
	struct acct_ent *e;

	if (a == NULL)
		return;
	e = ent_of(a, worker, idx);
	if (e == NULL || e->gen != gen || e->state == ENT_FREE ||
	    (m->type != SG_MSG_SESS_OPENED && e->state != ENT_ACTIVE)) {
		a->ev[ACCT_EV_STALE_MSG]++;
		return;
	}
	switch (m->type) {
	case SG_MSG_SESS_OPENED:
		if (e->state == ENT_ACTIVE)
			return;
		e->state = ENT_ACTIVE;
		e->started = now;
		e->next_interim = e->interim_sec
				      ? now + (sg_usec_t) e->interim_sec * SG_USEC_PER_SEC
				      : UINT64_MAX;
		e->pos = a->n_active;
		a->active[a->n_active++] = (uint32_t) (e - a->ent);
		send_record(a, e, SG_AAA_ACCT_START, NULL, now);
		return;
	case SG_MSG_ACCT_COUNTERS:
		send_record(a, e, SG_AAA_ACCT_INTERIM, &m->acct, now);
		return;
	case SG_MSG_SESS_END:
		send_record(a, e, SG_AAA_ACCT_STOP, &m->acct, now);
		active_del(a, e);
		return;
	default:
		return;
	}
}

/* Ask the owners of sessions whose interim is due for their counters. */
static void interim_scan(struct sg_ctl_acct *a, sg_usec_t now)
{
	uint32_t i;

	for (i = 0; i < a->n_active; i++) {
		struct acct_ent *e = &a->ent[a->active[i]];
		struct sg_msg m = {.type = SG_MSG_ACCT_REQ, .lcore = rte_lcore_id()};

		struct rte_ring *ring = a->app->workers[e->worker].to_worker;

		if (now < e->next_interim)
			continue;
		/* Never crowd out auth answers and kills: keep half the ring for them. */
		if (rte_ring_free_count(ring) < SG_RING_SIZE / 2)
			continue; /* next scan */
		m.arg = e->idx | (uint64_t) e->gen << 32;
		if (rte_ring_enqueue_elem(ring, &m, sizeof(m)) != 0)
			continue;
		e->next_interim = now + (sg_usec_t) e->interim_sec * SG_USEC_PER_SEC;
	}
}

static void publish(struct sg_ctl_acct *a, sg_usec_t now)
{
	struct acct_pub *p = &a->pub;
	struct sg_aaa_stats st;
	unsigned int i;

#define PUT(dst, v) __atomic_store_n(&(dst), (v), __ATOMIC_RELAXED)
	if (a->radius != NULL) {
		sg_aaa_radius_stats(a->radius, &st);
		for (i = 0; i < SG_AAA_EV_COUNT; i++)
			PUT(p->radius.events[i], st.events[i]);
		for (i = 0; i < SG_AAA_DROP_COUNT; i++)
			PUT(p->radius.drops[i], st.drops[i]);
		PUT(p->current_server, sg_aaa_radius_current_server(a->radius, now));
		PUT(p->inflight, sg_aaa_radius_inflight(a->radius));
	}
	if (a->dae != NULL) {
		sg_aaa_dae_stats(a->dae, &st);
		for (i = 0; i < SG_AAA_EV_COUNT; i++)
			PUT(p->dae.events[i], st.events[i]);
		for (i = 0; i < SG_AAA_DROP_COUNT; i++)
			PUT(p->dae.drops[i], st.drops[i]);
	}
	for (i = 0; i < ACCT_EV_COUNT; i++)
		PUT(p->ev[i], a->ev[i]);
	PUT(p->active, a->n_active);
#undef PUT
}

void sg_app_acct_poll(struct sg_app *app)
{
	struct sg_ctl_acct *a = app->acct;
	sg_usec_t now;

	if (a == NULL)
		return;
	if (a->dae != NULL)
		sg_aaa_dae_poll(a->dae, (uint32_t) time(NULL));
	now = now_usec();
	if (now < a->next_scan)
		return;
	a->next_scan = now + SCAN_USEC;
	if (a->accounting)
		interim_scan(a, now);
	publish(a, now);
}

/* ---- life cycle ------------------------------------------------------------------------ */

int sg_app_acct_setup(struct sg_app *app)
{
	const struct sg_config_radius *rc = &app->cfg.auth.radius;
	struct sg_ctl_acct *a;
	unsigned int i;

	if (app->cfg.auth.backend != SG_CONFIG_BACKEND_RADIUS)
		return 0;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	a->app = app;
	a->radius = sg_app_auth_radius(app);
	a->accounting = rc->accounting && a->radius != NULL;
	a->default_interim = rc->interim_interval;
	a->boot = (uint32_t) time(NULL);
	for (i = 0; i < app->n_workers; i++)
		a->base[i + 1] = a->base[i] + app->workers[i].gw->n_sess;
	/* calloc'd: pages of slots never used are never touched */
	a->ent = calloc(a->base[app->n_workers] + 1, sizeof(*a->ent));
	a->active = calloc(a->base[app->n_workers] + 1, sizeof(*a->active));
	a->pub.has_radius = a->accounting;
	if (a->ent == NULL || a->active == NULL) {
		free(a->ent);
		free(a->active);
		free(a);
		return -ENOMEM;
	}
	__atomic_store_n(&app->acct, a, __ATOMIC_RELEASE);
	if (rc->has_coa && dae_setup(a, &rc->coa) < 0)
		return -EINVAL;
	a->pub.has_dae = a->dae != NULL;
	a->pub.dae_port = a->dae != NULL ? sg_aaa_dae_port(a->dae) : 0;
	SG_LOG(APP, INFO, "acct: accounting %s, default interim %u s", a->accounting ? "on" : "off",
	       a->default_interim);
	return 0;
}

void sg_app_acct_teardown(struct sg_app *app)
{
	struct sg_ctl_acct *a = app->acct;

	if (a == NULL)
		return;
	__atomic_store_n(&app->acct, NULL, __ATOMIC_RELEASE);
	sg_aaa_dae_destroy(a->dae);
	free(a->ent);
	free(a->active);
	free(a);
}

void sg_app_acct_begin(struct sg_app *app)
{
	if (app->acct != NULL)
		send_nas_record(app->acct, SG_AAA_ACCT_ON);
}

/* After the workers stopped: Stops are submitted; add Accounting-Off and let them go. */
void sg_app_acct_finish(struct sg_app *app)
{
	struct sg_ctl_acct *a = app->acct;
	sg_usec_t end;

	if (a == NULL || !a->accounting)
		return;
	send_nas_record(a, SG_AAA_ACCT_OFF);
	end = now_usec() + FINISH_USEC;
	while (sg_aaa_radius_inflight(a->radius) > 0 && now_usec() < end) {
		sg_aaa_radius_poll(a->radius, now_usec());
		usleep(1000);
	}
	if (sg_aaa_radius_inflight(a->radius) > 0)
		SG_LOG(APP, WARNING, "acct: %u accounting record(s) unsent at exit",
		       sg_aaa_radius_inflight(a->radius));
	publish(a, now_usec());
}

/* ---- telemetry (telemetry thread: relaxed reads of what publish() wrote) -------------------- */

static int put_aaa_stats(struct rte_tel_data *d, const char *name, const struct sg_aaa_stats *s)
{
	struct rte_tel_data *t = rte_tel_data_alloc();
	unsigned int i;

	if (t == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(t);
	for (i = 0; i < SG_AAA_EV_COUNT; i++)
		rte_tel_data_add_dict_u64(t, sg_aaa_event_name((enum sg_aaa_event) i),
					  __atomic_load_n(&s->events[i], __ATOMIC_RELAXED));
	for (i = 1; i < SG_AAA_DROP_COUNT; i++)
		rte_tel_data_add_dict_u64(t, sg_aaa_drop_name((enum sg_aaa_drop) i),
					  __atomic_load_n(&s->drops[i], __ATOMIC_RELAXED));
	return rte_tel_data_add_dict_container(d, name, t, 0);
}

int sg_app_tel_aaa(const struct sg_app *app, struct rte_tel_data *d)
{
	const struct sg_ctl_acct *a = __atomic_load_n(&app->acct, __ATOMIC_ACQUIRE);
	const struct acct_pub *p;
	unsigned int i;

	rte_tel_data_start_dict(d);
	if (a == NULL)
		return 0;
	p = &a->pub;
	rte_tel_data_add_dict_u64(d, "accounting", p->has_radius);
	rte_tel_data_add_dict_u64(d, "dae_port", p->dae_port);
	rte_tel_data_add_dict_u64(d, "active", __atomic_load_n(&p->active, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "current_server",
				  __atomic_load_n(&p->current_server, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "inflight", __atomic_load_n(&p->inflight, __ATOMIC_RELAXED));
	for (i = 0; i < ACCT_EV_COUNT; i++)
		rte_tel_data_add_dict_u64(d, acct_event_names[i],
					  __atomic_load_n(&p->ev[i], __ATOMIC_RELAXED));
	if (put_aaa_stats(d, "radius", &p->radius) < 0)
		return -ENOMEM;
	if (p->has_dae && put_aaa_stats(d, "dae", &p->dae) < 0)
		return -ENOMEM;
	return 0;
}
