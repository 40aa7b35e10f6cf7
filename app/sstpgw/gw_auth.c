/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control core's auth service. A worker's AUTH request arrives over its ring
 * (struct sg_auth_msg); the control core verifies it with lib/aaa (the local users
 * file synchronously, or RADIUS polled from the control loop: never blocking), takes
 * the client's IPv4 address from the session's worker's pool slice (or reserves the
 * fixed one the users file / Framed-IP-Address names) and sends the same object back.
 * Addresses come back with SG_MSG_SESS_CLOSED.
 *
 * The users file's fixed addresses that lie inside the pool are taken out of it at
 * start-up (else a dynamic client could hold one and its user would be refused) and
 * lent to their user while logged in; pool usage counts only those lent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "gw_eap.h"
#include "sg_app.h"
#include "sg_gw.h"

#define AUTH_MSGS  1024
#define FIXED_MAX 4096

struct sg_ctl_auth {
	struct sg_aaa_local *local;
	struct sg_aaa_radius *radius;
	struct sg_ipam_pool4 *pool4;
	/* the users file's fixed addresses inside the pool (host order), reserved at start */
	uint32_t *fixed;
	bool *fixed_lent;
	unsigned int n_fixed, n_lent;
	struct sg_app_eap *eap; /* RADIUS State between EAP rounds */
};

static sg_usec_t now_usec(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000000);
}

static void publish_usage(struct sg_app *app);

static int radius_setup(struct sg_app *app, struct sg_ctl_auth *a)
{
	const struct sg_config_radius *rc = &app->cfg.auth.radius;
	struct sg_aaa_radius_opts o;
	unsigned int i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < rc->n_servers && i < SG_AAA_RADIUS_MAX_SERVERS; i++) {
		const struct sg_config_radius_server *s = &rc->servers[i];
		if (s->address.family == AF_INET) {
			struct sockaddr_in *sa = (struct sockaddr_in *) &o.servers[i].addr;
			sa->sin_family = AF_INET;
			sa->sin_addr = s->address.v4;
		} else {
			struct sockaddr_in6 *sa = (struct sockaddr_in6 *) &o.servers[i].addr;
			sa->sin6_family = AF_INET6;
			sa->sin6_addr = s->address.v6;
		}
		o.servers[i].auth_port = s->auth_port;
		o.servers[i].acct_port = s->acct_port;
		snprintf(o.servers[i].secret, sizeof(o.servers[i].secret), "%s", s->secret);
	}
	o.n_servers = i;
	snprintf(o.nas_identifier, sizeof(o.nas_identifier), "%s", rc->nas_identifier);
	o.nas_ip = rc->has_nas_ip ? rc->nas_ip.s_addr : app->cfg.ports.wan.ipv4.addr.s_addr;
	o.timeout = (sg_usec_t) rc->timeout * SG_USEC_PER_SEC;
	o.retries = rc->retries;
	o.dead_time = (sg_usec_t) rc->dead_time * SG_USEC_PER_SEC;
	o.max_inflight = rc->max_inflight;
	/* lib/aaa keeps in-flight requests and queued Stops in one table of <= 65535 slots */
	o.acct_queue_max =
	    SG_MIN(SG_MAX(rc->accounting_queue, 1u),
		   65535u - SG_MIN(rc->max_inflight ? rc->max_inflight : 4096u, 65534u));
	o.allow_no_msg_auth = !rc->require_message_authenticator;
	a->radius = sg_aaa_radius_create(&o);
	OPENSSL_cleanse(&o, sizeof(o));
	if (a->radius == NULL) {
		SG_LOG(APP, ERR, "RADIUS client: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* Reserve the users file's fixed addresses that lie inside the pool (lib/aaa has
 * already validated the file; this only reads each entry's "ipv4"). */
static int fixed_setup(struct sg_ctl_auth *a, const char *users_file,
		       const struct sg_ipam_layout4 *layout)
{
	json_t *root = json_load_file(users_file, 0, NULL), *u;
	size_t i;

	if (root == NULL || !json_is_array(root)) {
		json_decref(root);
		return 0; /* lib/aaa reads the same file and reports its errors */
	}
	a->fixed = calloc(FIXED_MAX, sizeof(*a->fixed));
	a->fixed_lent = calloc(FIXED_MAX, sizeof(*a->fixed_lent));
	if (a->fixed == NULL || a->fixed_lent == NULL) {
		json_decref(root);
		return -ENOMEM;
	}
	json_array_foreach(root, i, u) {
		const char *v = json_string_value(json_object_get(u, "ipv4"));
		struct in_addr in;
		uint32_t h;

		if (v == NULL || inet_pton(AF_INET, v, &in) != 1)
			continue;
		h = rte_be_to_cpu_32(in.s_addr);
		if (sg_ipam_layout4_owner(layout, h) < 0 || a->n_fixed == FIXED_MAX ||
		    sg_ipam_pool4_reserve(a->pool4, h) < 0)
			continue;
		a->fixed[a->n_fixed++] = h;
	}
	json_decref(root);
	if (a->n_fixed > 0)
		SG_LOG(APP, INFO, "auth: %u fixed address(es) kept out of the dynamic pool",
		       a->n_fixed);
	return 0;
}

/* Index of addr among the reserved fixed addresses, or -1. */
static int fixed_find(const struct sg_ctl_auth *a, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < a->n_fixed; i++)
		if (a->fixed[i] == addr)
			return (int) i;
	return -1;
}

int sg_app_auth_setup(struct sg_app *app)
{
	const struct sg_config *cfg = &app->cfg;
	struct sg_ctl_auth *a = calloc(1, sizeof(*a));
	char err[512] = "";

	if (a == NULL)
		return -ENOMEM;
	app->auth = a;
	if (cfg->auth.backend == SG_CONFIG_BACKEND_RADIUS) {
		if (radius_setup(app, a) < 0)
			return -EINVAL;
	} else {
		a->local = sg_aaa_local_load(cfg->auth.local.users_file.resolved, err, sizeof(err));
		if (a->local == NULL) {
			SG_LOG(APP, ERR, "users file: %s", err);
			return -EINVAL;
		}
		SG_LOG(APP, INFO, "auth: %u local user(s) from %s", sg_aaa_local_count(a->local),
		       cfg->auth.local.users_file.given);
	}
	a->eap = sg_app_eap_create();
	if (a->eap == NULL)
		return -ENOMEM;
	if (cfg->n_pools > 0 && cfg->pools[0].has_ipv4) {
		a->pool4 = sg_ipam_pool4_create(rte_be_to_cpu_32(cfg->pools[0].ipv4.addr.s_addr),
						cfg->pools[0].ipv4.len, app->n_workers);
		if (a->pool4 == NULL) {
			SG_LOG(APP, ERR, "$.pools[0].ipv4: %s", strerror(errno));
			return -EINVAL;
		}
		app->layout4 = *sg_ipam_pool4_layout(a->pool4);
		app->has_pool4 = true;
		if (a->local != NULL &&
		    fixed_setup(a, cfg->auth.local.users_file.resolved, &app->layout4) < 0)
			return -ENOMEM;
		publish_usage(app);
	}
	if (sg_app_steer_create(app) < 0)
		return -ENOMEM;
	if (sg_app_auth6_setup(app) < 0)
		return -EINVAL;
	app->auth_pool = rte_mempool_create("sg_auth", AUTH_MSGS, sizeof(struct sg_auth_msg), 0, 0,
					    NULL, NULL, NULL, NULL, (int) rte_socket_id(), 0);
	if (app->auth_pool == NULL)
		return -ENOMEM;
	return 0;
}

void sg_app_auth_teardown(struct sg_app *app)
{
	struct sg_ctl_auth *a = app->auth;

	if (a != NULL) {
		sg_aaa_local_free(a->local);
		sg_aaa_radius_destroy(a->radius);
		sg_ipam_pool4_free(a->pool4);
		free(a->fixed);
		free(a->fixed_lent);
		sg_app_eap_free(a->eap);
		free(a);
	}
	app->auth = NULL;
	sg_app_auth6_teardown(app);
	sg_app_steer_free(app);
	rte_mempool_free(app->auth_pool);
	app->auth_pool = NULL;
}

/* Pool usage for telemetry (read on another thread). */
static void publish_usage(struct sg_app *app)
{
	struct sg_ipam_usage u;

	if (app->auth->pool4 == NULL)
		return;
	u = sg_ipam_pool4_usage(app->auth->pool4, -1);
	u.used -= app->auth->n_fixed - app->auth->n_lent; /* reserved, not lent */
	__atomic_store_n(&app->pool4_used, u.used, __ATOMIC_RELAXED);
	__atomic_store_n(&app->pool4_size, u.size, __ATOMIC_RELAXED);
}

static void answer(struct sg_app *app, struct sg_auth_msg *m)
{
	struct sg_msg out = {
	    .type = SG_MSG_AUTH_ANSWER, .lcore = rte_lcore_id(), .arg = (uint64_t) (uintptr_t) m};

	if (m->worker < app->n_workers &&
	    rte_ring_enqueue_elem(app->workers[m->worker].to_worker, &out, sizeof(out)) == 0)
		return;
	SG_LOG(APP, ERR, "auth: ring to worker %u full, answer lost", m->worker);
	if (m->ipv4 != 0 && app->auth->pool4 != NULL) {
		struct sg_msg rel = {.type = SG_MSG_SESS_CLOSED, .family = 4};
		uint32_t be = rte_cpu_to_be_32(m->ipv4);

		memcpy(rel.addr, &be, 4);
		sg_app_auth_release(app, &rel);
	}
	if (m->prefix6_len != 0)
		sg_app_auth6_release(app, m->prefix6);
	OPENSSL_cleanse(m, sizeof(*m));
	rte_mempool_put(app->auth_pool, m);
}

/*
 * EAP: keep the State of a challenge for the session's next round and hand the backend's
 * packet (Request, or the final Success/Failure) to the worker. True when the answer
 * went out (a challenge: no address yet).
 */
static bool eap_answer(struct sg_app *app, struct sg_auth_msg *m, const struct sg_aaa_result *res)
{
	m->eap_len = 0;
	if (app->auth->eap != NULL)
		sg_app_eap_state_set(app->auth->eap, m, res->state,
				     res->status == SG_AAA_CHALLENGE ? res->state_len : 0,
				     now_usec());
	if (res->eap_len > 0 && res->eap_len <= sizeof(m->eap)) {
		memcpy(m->eap, res->eap, res->eap_len);
		m->eap_len = (uint16_t) res->eap_len;
	} else if (res->status == SG_AAA_CHALLENGE) {
		m->status = SG_AAA_ERROR; /* nothing the peer could be given */
	}
	if (m->status != SG_AAA_CHALLENGE)
		return false;
	SG_LOG(APP, DEBUG, "auth: user %s on worker %u: EAP round %u", m->req.user, m->worker,
	       m->round);
	OPENSSL_cleanse(&m->req, sizeof(m->req));
	answer(app, m);
	return true;
}

/* Fill the answer from lib/aaa's result and take an address for an accepted user. */
static void complete(struct sg_app *app, struct sg_auth_msg *m, const struct sg_aaa_result *res)
{
	struct sg_ipam_pool4 *pool = app->auth->pool4;
	int rc = -ENOSPC;

	m->status = res->status;
	m->has_success = (res->has & SG_AAA_HAS_MSCHAP2_SUCCESS) != 0;
	memcpy(m->success, res->mschap2_success, sizeof(m->success));
	m->has_keys = (res->has & SG_AAA_HAS_KEYS) != 0;
	m->session_timeout = res->has & SG_AAA_HAS_SESSION_TIMEOUT ? res->session_timeout : 0;
	m->idle_timeout = res->has & SG_AAA_HAS_IDLE_TIMEOUT ? res->idle_timeout : 0;
	memcpy(m->hlak, res->hlak, sizeof(m->hlak));
	memcpy(m->message, res->reply_message, sizeof(m->message) - 1);
	m->message[sizeof(m->message) - 1] = '\0';
	if (m->req.method == SG_AAA_EAP && eap_answer(app, m, res))
		return;
	if (m->status == SG_AAA_ACCEPT && pool == NULL) {
		m->status = SG_AAA_REJECT; /* no pool: nothing to give the client */
	} else if (m->status == SG_AAA_ACCEPT) {
		if (res->has & SG_AAA_HAS_FRAMED_IP) {
			uint32_t a = rte_be_to_cpu_32(res->framed_ip);
			int owner = sg_ipam_layout4_owner(&app->layout4, a);
			int f = fixed_find(app->auth, a);
			/* In the pool: reserve it (a users-file one is lent, once). Outside it
			 * or in another worker's slice: the steering table tells the LAN path
			 * where the session lives. */
			if (f >= 0) {
				rc = app->auth->fixed_lent[f] ? -EEXIST : 0;
				if (rc == 0) {
					app->auth->fixed_lent[f] = true;
					app->auth->n_lent++;
				}
			} else {
				rc = owner >= 0 ? sg_ipam_pool4_reserve(pool, a) : 0;
			}
			if (rc == 0 && owner != (int) m->worker) {
				rc = sg_app_steer_add(app, a, m->worker);
				if (rc < 0 && f >= 0) {
					app->auth->fixed_lent[f] = false;
					app->auth->n_lent--;
				} else if (rc < 0 && owner >= 0) {
					sg_ipam_pool4_release(pool, a);
				}
			}
			if (rc == 0)
				m->ipv4 = a;
		} else {
			rc = sg_ipam_pool4_alloc(pool, m->worker, &m->ipv4);
		}
		if (rc < 0) {
			SG_LOG(APP, WARNING, "auth: user %s: no address (%s)", m->req.user,
			       strerror(-rc));
			m->status = SG_AAA_REJECT;
			m->ipv4 = 0;
		} else if (app->pool6 != NULL) {
			rc = sg_app_auth6_take(app, m->worker, res, m->prefix6);
			m->prefix6_len = rc == 0 ? 64 : 0;
			if (rc < 0) /* IPv4 only for this session */
				SG_LOG(APP, WARNING, "auth: user %s: no IPv6 prefix (%s)",
				       m->req.user, strerror(-rc));
		}
	}
	SG_LOG(APP, INFO, "auth: user %s on worker %u: %s", m->req.user, m->worker,
	       m->status == SG_AAA_ACCEPT ? "accepted" : "rejected");
	if (m->status == SG_AAA_ACCEPT)
		sg_app_acct_accepted(app, m, res);
	publish_usage(app);
	OPENSSL_cleanse(&m->req, sizeof(m->req));
	answer(app, m);
}

static void radius_done(void *arg, uint32_t handle, const struct sg_aaa_result *res)
{
	struct sg_auth_msg *m = arg;

	(void) handle;
	complete(m->ctl, m, res);
}

void sg_app_auth_request(struct sg_app *app, void *msg)
{
	struct sg_auth_msg *m = msg;
	struct sg_aaa_result res;
	int rc;

	m->ipv4 = 0;
	m->prefix6_len = 0;
	if (m->req.method == SG_AAA_EAP) { /* the packet and the State of the last round */
		m->req.eap = m->eap;
		m->req.eap_len = m->eap_len;
		sg_app_eap_state_get(app->auth->eap, m, &m->req, now_usec());
	}
	if (app->auth->radius != NULL) {
		m->ctl = app;
		sg_app_acct_auth_req(app, m);
		rc = sg_aaa_radius_auth(app->auth->radius, &m->req, now_usec(), radius_done, m);
		if (rc >= 0)
			return;
		memset(&res, 0, sizeof(res));
		res.status = SG_AAA_ERROR;
		complete(app, m, &res);
		return;
	}
	memset(&res, 0, sizeof(res));
	rc = sg_aaa_local_auth(app->auth->local, &m->req, &res);
	if (rc < 0)
		res.status = SG_AAA_REJECT;
	complete(app, m, &res);
	sg_aaa_result_wipe(&res);
}

void sg_app_auth_release(struct sg_app *app, const struct sg_msg *m)
{
	uint32_t a;
	int f;

	if (m->family == 6 && app->auth != NULL) {
		sg_app_auth6_release(app, m->addr);
		return;
	}
	if (m->family != 4 || app->auth == NULL || app->auth->pool4 == NULL)
		return;
	memcpy(&a, m->addr, 4);
	a = rte_be_to_cpu_32(a);
	f = fixed_find(app->auth, a);
	if (f >= 0) { /* back to its user's reserve, not to the pool */
		sg_app_steer_del(app, a);
		if (app->auth->fixed_lent[f]) {
			app->auth->fixed_lent[f] = false;
			app->auth->n_lent--;
		} else {
			SG_LOG(APP, WARNING, "auth: released a fixed address that was not lent");
		}
		publish_usage(app);
		return;
	}
	if (sg_app_steer_del(app, a) && sg_ipam_layout4_owner(&app->layout4, a) < 0) {
		publish_usage(app);
		return; /* an address from outside the pool */
	}
	if (sg_ipam_pool4_release(app->auth->pool4, a) < 0)
		SG_LOG(APP, WARNING, "auth: released an address that was not taken");
	publish_usage(app);
}

void sg_app_auth_poll(struct sg_app *app)
{
	sg_app_steer_poll(app);
	if (app->auth != NULL && app->auth->radius != NULL &&
	    sg_aaa_radius_inflight(app->auth->radius) > 0)
		sg_aaa_radius_poll(app->auth->radius, now_usec());
}

struct sg_aaa_radius *sg_app_auth_radius(struct sg_app *app)
{
	return app->auth != NULL ? app->auth->radius : NULL;
}

uint64_t sg_app_sessions_active(const struct sg_app *app)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < app->n_workers; i++)
		if (app->workers[i].gw != NULL)
			n += __atomic_load_n(&app->workers[i].gw->active, __ATOMIC_RELAXED);
	return n;
}
