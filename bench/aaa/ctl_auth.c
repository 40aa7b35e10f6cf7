/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ctl_auth's engine (ctl_auth.h): the daemon's control core and auth service, fed
 * by a synthetic worker lcore.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "ctl_auth.h"
#include "sg_app.h"
#include "sg_gw.h"
#include "sg_ppp_crypto.h"

#define MAX_WINDOW 4096
#define DRAIN_SEC  10 /* after the phase, wait this long at most for answers in flight */

/* Log-linear histogram: exact below 1024, then 64 steps per power of two (~1.6%). */
#define H_LIN  1024
#define H_SUB  64
#define H_SIZE (H_LIN + 54 * H_SUB)

struct hist {
	uint64_t n[H_SIZE];
	uint64_t count, max;
};

static unsigned hist_bucket(uint64_t v)
{
	unsigned msb;

	if (v < H_LIN)
		return (unsigned) v;
	msb = 63u - (unsigned) __builtin_clzll(v);
	return H_LIN + (msb - 10) * H_SUB + (unsigned) ((v >> (msb - 6)) & (H_SUB - 1));
}

static uint64_t hist_value(unsigned b)
{
	unsigned msb;

	if (b < H_LIN)
		return b;
	msb = (b - H_LIN) / H_SUB + 10;
	return ((uint64_t) (H_SUB + (b - H_LIN) % H_SUB)) << (msb - 6);
}

static void hist_add(struct hist *h, uint64_t v)
{
	unsigned b = hist_bucket(v);

	h->n[b < H_SIZE ? b : H_SIZE - 1]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

static double hist_pct(const struct hist *h, double p)
{
	uint64_t want = (uint64_t) ceil(p * (double) h->count), seen = 0;

	if (h->count == 0)
		return 0;
	for (unsigned b = 0; b < H_SIZE; b++) {
		seen += h->n[b];
		if (seen >= want && seen > 0)
			return (double) hist_value(b);
	}
	return (double) h->max;
}

/* The synthetic worker's state for one phase (written by the worker lcore only). */
struct phase {
	struct sg_ctlauth_run run;
	struct sg_aaa_auth_req tmpl;
	struct hist loop; /* ns, end of one iteration to the end of the next (all of it) */
	/* ns, start to end of the iterations that took answers or handed requests over (a
	 * preemption between two iterations shows in loop, not here: it would land on the
	 * busy iteration after it, since answers pile up meanwhile) */
	struct hist busy;
	unsigned touched; /* this iteration's answers + requests */
	struct hist auth; /* us */
	uint64_t sent_tsc[MAX_WINDOW];
	uint32_t free_slot[MAX_WINDOW];
	unsigned n_free;
	unsigned inflight;
	bool measuring;
	struct sg_ctlauth_result res;
};

static struct {
	struct sg_app *app;
	struct phase *ph;
} bench;

static void reply(struct sg_worker *w, uint32_t type, uint64_t arg)
{
	struct sg_msg out = {.type = type, .lcore = w->lcore, .arg = arg};

	if (rte_ring_enqueue_elem(w->to_control, &out, sizeof(out)) != 0)
		fprintf(stderr, "bench: control ring full\n");
}

/* What sg_gw_sess_auth_answer does with the answer, minus the tunnel. */
static void on_answer(struct sg_worker *w, struct phase *ph, struct sg_auth_msg *m, uint64_t tsc)
{
	bool ok = m->status == SG_AAA_ACCEPT && m->ipv4 != 0;

	if (ph->run.mode == SG_CTLAUTH_MSCHAPV2)
		ok = ok && m->has_success && m->has_keys;
	if (ph->measuring) {
		ph->res.completed++;
		if (ok)
			ph->res.accepted++;
		else
			ph->res.other++;
		if (m->sess_idx < MAX_WINDOW)
			hist_add(&ph->auth,
				 (tsc - ph->sent_tsc[m->sess_idx]) * 1000000 / w->app->tsc_hz);
	}
	if (m->ipv4 != 0) { /* the session "ends" at once: its address goes back */
		struct sg_msg c = {.type = SG_MSG_SESS_CLOSED, .lcore = w->lcore, .family = 4};
		uint32_t a = rte_cpu_to_be_32(m->ipv4);

		memcpy(c.addr, &a, 4);
		if (rte_ring_enqueue_elem(w->to_control, &c, sizeof(c)) != 0)
			fprintf(stderr, "bench: control ring full, address lost\n");
	}
	if (m->sess_idx < MAX_WINDOW)
		ph->free_slot[ph->n_free++] = m->sess_idx;
	ph->inflight--;
	ph->touched++;
	OPENSSL_cleanse(m, sizeof(*m));
	rte_mempool_put(w->app->auth_pool, m);
}

/* What gw_tunnel.c's send_auth does: a message from the pool onto the control ring. */
static void inject(struct sg_worker *w, struct phase *ph, uint64_t tsc)
{
	for (unsigned k = 0; k < ph->run.burst && ph->inflight < ph->run.window && ph->n_free > 0;
	     k++) {
		struct sg_auth_msg *m = NULL;
		struct sg_msg out = {.type = SG_MSG_AUTH_REQ, .lcore = w->lcore};
		uint32_t slot;

		if (rte_mempool_get(w->app->auth_pool, (void **) &m) != 0) {
			ph->res.no_msg++;
			return;
		}
		slot = ph->free_slot[--ph->n_free];
		memset(m, 0, offsetof(struct sg_auth_msg, req));
		m->worker = (uint16_t) w->queue;
		m->sess_idx = slot;
		m->gen = 1;
		m->req = ph->tmpl;
		out.arg = (uint64_t) (uintptr_t) m;
		if (rte_ring_enqueue_elem(w->to_control, &out, sizeof(out)) != 0) {
			ph->res.ring_full++;
			ph->free_slot[ph->n_free++] = slot;
			rte_mempool_put(w->app->auth_pool, m);
			return;
		}
		ph->sent_tsc[slot] = tsc;
		ph->inflight++;
		ph->touched++;
	}
}

/* The worker lcore: one loop, one sample per iteration. */
static int synthetic_worker(void *arg)
{
	struct sg_worker *w = arg;
	struct phase *ph = bench.ph;
	uint64_t hz = w->app->tsc_hz, start, end, drain_end, t0, t1, prev;
	double ns_per_tsc = 1e9 / (double) hz;
	bool running = true, stopping = false;
	struct sg_msg msg;

	start = rte_rdtsc();
	end = start + (uint64_t) (ph->run.seconds * (double) hz);
	drain_end = end + DRAIN_SEC * hz;
	ph->measuring = true;
	prev = start;
	while (running) {
		t0 = rte_rdtsc();
		ph->touched = 0;
		while (rte_ring_dequeue_elem(w->to_worker, &msg, sizeof(msg)) == 0) {
			switch (msg.type) {
			case SG_MSG_AUTH_ANSWER:
				on_answer(w, ph, (struct sg_auth_msg *) (uintptr_t) msg.arg, t0);
				break;
			case SG_MSG_STATS_REQ:
				reply(w, SG_MSG_STATS_DONE, msg.arg);
				break;
			case SG_MSG_SHUTDOWN:
				reply(w, SG_MSG_SHUTDOWN_DONE, msg.arg);
				running = false;
				break;
			default: /* DRAIN, neighbour updates: nothing to do here */
				break;
			}
		}
		if (ph->measuring && ph->run.mode != SG_CTLAUTH_IDLE)
			inject(w, ph, t0);
		t1 = rte_rdtsc();
		if (ph->measuring) {
			hist_add(&ph->loop, (uint64_t) ((double) (t1 - prev) * ns_per_tsc));
			if (ph->touched > 0)
				hist_add(&ph->busy, (uint64_t) ((double) (t1 - t0) * ns_per_tsc));
			if (t1 >= end) {
				ph->measuring = false;
				ph->res.seconds = (double) (t1 - start) / (double) hz;
			}
		} else if (!stopping && (ph->inflight == 0 || t1 >= drain_end)) {
			/* every answer is back: end the control loop like SIGTERM does */
			__atomic_store_n(&w->app->stop, true, __ATOMIC_RELEASE);
			stopping = true;
		}
		prev = t1;
	}
	return 0;
}

int sg_ctlauth_init(const char *config, int n_eal, char **eal)
{
	struct sg_app *app;
	char err[1024] = "";
	int rc;

	sg_app_log_to_stderr();
	app = aligned_alloc(SG_STATS_CACHE_LINE, (sizeof(*app) + SG_STATS_CACHE_LINE - 1) /
						     SG_STATS_CACHE_LINE * SG_STATS_CACHE_LINE);
	if (app == NULL)
		return -ENOMEM;
	memset(app, 0, sizeof(*app));
	bench.app = app;
	app->cfg_path = config;
	rc = sg_config_load_file(config, &app->cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return rc;
	}
	if (app->cfg.auth.backend != SG_CONFIG_BACKEND_RADIUS || app->cfg.lcores.n_workers != 1) {
		fprintf(stderr, "%s: needs the RADIUS backend and exactly one worker\n", config);
		return -EINVAL;
	}
	rc = sg_app_eal_init(app, "bench_ctl_auth", n_eal, eal);
	if (rc < 0)
		return rc;
	/* No ports: the worker's TCP instance only needs a pool to exist. */
	app->pool = rte_pktmbuf_pool_create("sg_bench_mbufs", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    (int) rte_socket_id());
	if (app->pool == NULL)
		return -ENOMEM;
	rc = sg_app_control_setup(app);
	if (rc < 0)
		return rc;
	app->worker_main = synthetic_worker;
	return 0;
}

static void mschapv2_template(struct sg_aaa_auth_req *rq, const char *user, const char *pw)
{
	uint8_t hash[16];

	rq->method = SG_AAA_MSCHAPV2;
	rq->chap_id = 7;
	for (unsigned i = 0; i < 16; i++) {
		rq->challenge[i] = (uint8_t) (0x30 + i);
		rq->peer_challenge[i] = (uint8_t) (0x90 + i);
	}
	sg_ppp_nt_password_hash(pw, strlen(pw), hash);
	sg_ppp_mschap_nt_response(rq->challenge, rq->peer_challenge, user, strlen(user), hash,
				  rq->nt_response);
	OPENSSL_cleanse(hash, sizeof(hash));
}

int sg_ctlauth_measure(const struct sg_ctlauth_run *run, struct sg_ctlauth_result *res)
{
	struct sg_app *app = bench.app;
	struct phase *ph;
	int rc;

	if (app == NULL || run->window == 0 || run->window > MAX_WINDOW || run->burst == 0)
		return -EINVAL;
	ph = calloc(1, sizeof(*ph));
	if (ph == NULL)
		return -ENOMEM;
	ph->run = *run;
	ph->tmpl.method = SG_AAA_PAP;
	snprintf(ph->tmpl.user, sizeof(ph->tmpl.user), "%s", run->user);
	snprintf(ph->tmpl.password, sizeof(ph->tmpl.password), "%s", run->password);
	snprintf(ph->tmpl.calling_station_id, sizeof(ph->tmpl.calling_station_id),
		 "198.51.100.7:40000");
	if (run->mode == SG_CTLAUTH_MSCHAPV2) {
		memset(ph->tmpl.password, 0, sizeof(ph->tmpl.password));
		mschapv2_template(&ph->tmpl, run->user, run->password);
	}
	for (unsigned i = 0; i < run->window; i++)
		ph->free_slot[ph->n_free++] = run->window - 1 - i;
	bench.ph = ph;
	app->stop = false;
	rc = sg_app_control_run(app); /* returns once the worker acknowledged SHUTDOWN */
	*res = ph->res;
	res->auth_per_s = res->seconds > 0 ? (double) res->completed / res->seconds : 0;
	res->iterations = ph->loop.count;
	res->loop_p50_ns = hist_pct(&ph->loop, 0.50);
	res->loop_p99_ns = hist_pct(&ph->loop, 0.99);
	res->loop_p999_ns = hist_pct(&ph->loop, 0.999);
	res->loop_max_ns = (double) ph->loop.max;
	res->busy_iterations = ph->busy.count;
	res->busy_p50_ns = hist_pct(&ph->busy, 0.50);
	res->busy_p99_ns = hist_pct(&ph->busy, 0.99);
	res->busy_max_ns = (double) ph->busy.max;
	for (unsigned b = hist_bucket(100000); b < H_SIZE; b++)
		res->loop_over_100us += ph->loop.n[b];
	res->auth_p50_us = hist_pct(&ph->auth, 0.50);
	res->auth_p99_us = hist_pct(&ph->auth, 0.99);
	if (ph->inflight != 0)
		fprintf(stderr, "bench: %u request(s) still unanswered\n", ph->inflight);
	OPENSSL_cleanse(&ph->tmpl, sizeof(ph->tmpl));
	bench.ph = NULL;
	free(ph);
	return rc;
}

void sg_ctlauth_fini(void)
{
	struct sg_app *app = bench.app;

	if (app == NULL)
		return;
	sg_app_control_teardown(app);
	rte_mempool_free(app->pool);
	app->pool = NULL;
	sg_app_eal_fini(app);
	sg_config_free(&app->cfg);
	free(app);
	bench.app = NULL;
}
