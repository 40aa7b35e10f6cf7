/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control loop on the main lcore: launches the workers, talks to them
 * only through rings, watches links, asks for stats snapshots, and on
 * SIGINT/SIGTERM tells every worker to stop and waits for them. It sleeps
 * between polls: the control core never spins at 100%.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>

#include "sg_app.h"
#include "sg_gw.h"
#include "sg_impair_mbuf.h"

#define POLL_USEC	   1000
#define LINK_CHECK_SEC	   1
#define STATS_SNAPSHOT_SEC 10
#define SHUTDOWN_WAIT_SEC  3
#define DRAIN_WAIT_SEC	   3 /* SSTP disconnects to every client, then stop anyway */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* $.test.impair: a seeded stage on each port's rx of each worker (test only). */
static int impair_setup(struct sg_app *app, struct sg_worker *w, int role)
{
	const struct sg_config_impair *ci = &app->cfg.impair;
	struct sg_impair_config ic = {
	    .seed = ci->seed + (uint64_t) w->lcore * SG_ROLE_COUNT + (uint64_t) role,
	    .drop_pct = ci->drop_pct,
	    .reorder_pct = ci->reorder_pct,
	    .duplicate_pct = ci->duplicate_pct,
	    .delay_us = ci->delay_us,
	    .reorder_max_us = ci->reorder_max_us,
	};

	if (!app->cfg.has_impair || sg_impair_config_is_off(&ic))
		return 0;
	w->impair[role] = sg_impair_create(&ic, 4096, sg_impair_mbuf_dup, app->pool);
	if (w->impair[role] == NULL) {
		SG_LOG(APP, ERR, "test.impair: %s", strerror(errno));
		return -EINVAL;
	}
	SG_LOG(APP, WARNING,
	       "worker %u: TEST ONLY impairment on %s rx: drop %.2f%% reorder %.2f%% "
	       "duplicate %.2f%% delay %u us",
	       w->lcore, sg_role_names[role], ic.drop_pct, ic.reorder_pct, ic.duplicate_pct,
	       ic.delay_us);
	return 0;
}

int sg_app_control_setup(struct sg_app *app)
{
	unsigned int i;
	int r;

	for (i = 0; i < app->n_workers; i++) {
		struct sg_worker *w = &app->workers[i];
		char name[RTE_RING_NAMESIZE];

		w->app = app;
		w->lcore = app->worker_lcores[i];
		w->queue = (uint16_t) i;
		w->resolver = i == 0;
		snprintf(name, sizeof(name), "sg_to_w%u", w->lcore);
		w->to_worker = rte_ring_create_elem(name, sizeof(struct sg_msg), SG_RING_SIZE,
						    (int) rte_lcore_to_socket_id(w->lcore),
						    RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "sg_from_w%u", w->lcore);
		w->to_control =
		    rte_ring_create_elem(name, sizeof(struct sg_msg), SG_RING_SIZE,
					 (int) rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (w->to_worker == NULL || w->to_control == NULL) {
			SG_LOG(APP, ERR, "rings for worker %u: %s", w->lcore,
			       rte_strerror(rte_errno));
			return -ENOMEM;
		}
		for (r = 0; r < SG_ROLE_COUNT; r++) {
			w->neigh[r] = sg_net_neigh_create(SG_NEIGH_CAPACITY, NULL);
			if (w->neigh[r] == NULL)
				return -ENOMEM;
			if (impair_setup(app, w, r) < 0)
				return -EINVAL;
		}
	}
	app->ctl_req = rte_ring_create_elem("sg_ctl_req", sizeof(struct sg_msg), 64,
					    (int) rte_socket_id(), RING_F_SC_DEQ);
	if (app->ctl_req == NULL)
		return -ENOMEM;
	r = sg_app_auth_setup(app);
	if (r < 0)
		return r;
	for (i = 0; i < app->n_workers; i++) {
		r = sg_gw_create(&app->workers[i]);
		if (r < 0)
			return r;
	}
	r = sg_app_acct_setup(app);
	if (r < 0)
		return r;
	SG_LOG(APP, NOTICE, "listening on TCP port %u", app->cfg.listen.port);
	return 0;
}

void sg_app_control_teardown(struct sg_app *app)
{
	unsigned int i;
	int r;

	sg_app_acct_teardown(app);
	for (i = 0; i < app->n_workers; i++)
		sg_gw_destroy(&app->workers[i]);
	sg_app_auth_teardown(app);
	rte_ring_free(app->ctl_req);
	app->ctl_req = NULL;
	for (i = 0; i < app->n_workers; i++) {
		struct sg_worker *w = &app->workers[i];
		rte_ring_free(w->to_worker);
		rte_ring_free(w->to_control);
		w->to_worker = w->to_control = NULL;
		for (r = 0; r < SG_ROLE_COUNT; r++) {
			struct rte_mbuf *held[64];
			uint32_t n;

			sg_net_neigh_free(w->neigh[r]);
			w->neigh[r] = NULL;
			while (w->impair[r] != NULL &&
			       (n = sg_impair_drain(w->impair[r], (void **) held, 64)) > 0)
				rte_pktmbuf_free_bulk(held, n);
			sg_impair_free(w->impair[r]);
			w->impair[r] = NULL;
		}
	}
}

static int send_all(struct sg_app *app, uint32_t type, uint64_t arg)
{
	unsigned int i;
	int failed = 0;

	for (i = 0; i < app->n_workers; i++) {
		struct sg_msg m = {.type = type, .lcore = rte_lcore_id(), .arg = arg};
		if (rte_ring_enqueue_elem(app->workers[i].to_worker, &m, sizeof(m)) != 0)
			failed++;
	}
	return failed;
}

struct control_state {
	uint64_t snapshot_gen;
	unsigned int snapshot_pending;
	unsigned int stopped;
	bool link_up[SG_ROLE_COUNT];
};

static void log_snapshot(struct sg_app *app)
{
	struct sg_stats total;

	sg_stats_sum(app->snap, app->worker_lcores, app->n_workers, &total);
	SG_LOG(APP, DEBUG,
	       "stats: wan rx %" PRIu64 " tx %" PRIu64 ", lan rx %" PRIu64 " tx %" PRIu64
	       ", replies %" PRIu64 ", drops %" PRIu64,
	       total.ctr[SG_CTR_WAN_RX], total.ctr[SG_CTR_WAN_TX], total.ctr[SG_CTR_LAN_RX],
	       total.ctr[SG_CTR_LAN_TX], total.ctr[SG_CTR_NET_REPLIES],
	       sg_stats_drops_total(&total));
}

static bool is_next_hop(const struct sg_app *app, const struct sg_msg *m)
{
	unsigned int i;

	if (m->role >= SG_ROLE_COUNT)
		return false;
	for (i = 0; i < app->n_next_hops[m->role]; i++)
		if (app->next_hops[m->role][i].family == m->family &&
		    memcmp(app->next_hops[m->role][i].addr, m->addr, m->family == 4 ? 4 : 16) == 0)
			return true;
	return false;
}

/*
 * Every worker has its own neighbour tables: what one learned, the others
 * record too (updating what they know; configured next hops are created).
 */
static void share_neighbour(struct sg_app *app, const struct sg_msg *learned)
{
	struct sg_msg m = *learned;
	unsigned int i;

	m.type = SG_MSG_NEIGH_UPDATE;
	if (is_next_hop(app, &m))
		m.flags |= SG_NET_NEIGH_F_CREATE;
	for (i = 0; i < app->n_workers; i++) {
		if (app->workers[i].lcore == learned->lcore)
			continue;
		if (rte_ring_enqueue_elem(app->workers[i].to_worker, &m, sizeof(m)) != 0)
			SG_LOG(APP, DEBUG, "control: ring to worker %u full, neighbour update lost",
			       app->workers[i].lcore);
	}
}

static void poll_workers(struct sg_app *app, struct control_state *cs)
{
	unsigned int i;

	for (i = 0; i < app->n_workers; i++) {
		struct sg_msg m;
		while (rte_ring_dequeue_elem(app->workers[i].to_control, &m, sizeof(m)) == 0) {
			switch (m.type) {
			case SG_MSG_STATS_DONE:
				if (m.arg == cs->snapshot_gen && cs->snapshot_pending > 0 &&
				    --cs->snapshot_pending == 0)
					log_snapshot(app);
				break;
			case SG_MSG_SHUTDOWN_DONE:
				cs->stopped++;
				break;
			case SG_MSG_NEIGH_LEARNED:
				share_neighbour(app, &m);
				break;
			case SG_MSG_AUTH_REQ:
				sg_app_auth_request(app, (void *) (uintptr_t) m.arg);
				break;
			case SG_MSG_SESS_CLOSED:
				sg_app_auth_release(app, &m);
				break;
			case SG_MSG_SESS_OPENED:
			case SG_MSG_SESS_END:
			case SG_MSG_ACCT_COUNTERS:
				sg_app_acct_msg(app, i, &m);
				break;
			default:
				SG_LOG(APP, WARNING, "control: unknown message %u from %u", m.type,
				       m.lcore);
			}
		}
	}
}

/* Requests from the telemetry thread (kill a session) go to the session's worker. */
static void poll_requests(struct sg_app *app)
{
	struct sg_msg m;

	while (rte_ring_dequeue_elem(app->ctl_req, &m, sizeof(m)) == 0) {
		if (m.type != SG_MSG_KILL || m.role >= app->n_workers)
			continue;
		m.lcore = rte_lcore_id();
		if (rte_ring_enqueue_elem(app->workers[m.role].to_worker, &m, sizeof(m)) != 0)
			SG_LOG(APP, WARNING, "control: ring to worker full, kill lost");
	}
}

static void check_links(struct sg_app *app, struct control_state *cs, bool first)
{
	int r;

	for (r = 0; r < SG_ROLE_COUNT; r++) {
		bool up = false;
		uint32_t mbps = 0;
		if (sg_port_link_get(&app->ports[r], &up, &mbps) < 0)
			continue;
		if (first || up != cs->link_up[r])
			sg_port_link_log(&app->ports[r]);
		cs->link_up[r] = up;
	}
}

void sg_app_control_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int sg_app_control_run(struct sg_app *app)
{
	struct control_state cs;
	uint64_t hz = rte_get_timer_hz(), now, next_link, next_stats, deadline;
	unsigned int i;
	int rc;

	memset(&cs, 0, sizeof(cs));
	for (i = 0; i < app->n_workers; i++) {
		rc = rte_eal_remote_launch(app->worker_main ? app->worker_main : sg_app_worker_main,
					   &app->workers[i], app->workers[i].lcore);
		if (rc < 0) {
			SG_LOG(APP, ERR, "cannot launch worker on lcore %u: %s",
			       app->workers[i].lcore, rte_strerror(-rc));
			stop_signal = SIGTERM;
			break;
		}
	}
	check_links(app, &cs, true);
	sg_app_acct_begin(app);
	SG_LOG(APP, NOTICE, "sstpgw running: %u worker(s), control on lcore %u", app->n_workers,
	       rte_lcore_id());
	now = rte_get_timer_cycles();
	next_link = now + LINK_CHECK_SEC * hz;
	next_stats = now + STATS_SNAPSHOT_SEC * hz;
	while (!stop_signal && !__atomic_load_n(&app->stop, __ATOMIC_ACQUIRE)) {
		poll_workers(app, &cs);
		poll_requests(app);
		sg_app_auth_poll(app);
		sg_app_acct_poll(app);
		now = rte_get_timer_cycles();
		if (now >= next_link) {
			check_links(app, &cs, false);
			next_link = now + LINK_CHECK_SEC * hz;
		}
		if (now >= next_stats && cs.snapshot_pending == 0) {
			cs.snapshot_gen++;
			cs.snapshot_pending = app->n_workers;
			if (send_all(app, SG_MSG_STATS_REQ, cs.snapshot_gen) != 0)
				cs.snapshot_pending = 0;
			next_stats = now + STATS_SNAPSHOT_SEC * hz;
		}
		usleep(POLL_USEC);
	}
	SG_LOG(APP, NOTICE, "signal %d: disconnecting %" PRIu64 " session(s)", (int) stop_signal,
	       sg_app_sessions_active(app));
	send_all(app, SG_MSG_DRAIN, 0);
	deadline = rte_get_timer_cycles() + DRAIN_WAIT_SEC * hz;
	while (sg_app_sessions_active(app) > 0 && rte_get_timer_cycles() < deadline) {
		poll_workers(app, &cs);
		sg_app_auth_poll(app);
		sg_app_acct_poll(app);
		usleep(POLL_USEC);
	}
	poll_workers(app, &cs);
	SG_LOG(APP, NOTICE, "stopping %u worker(s), %" PRIu64 " session(s) left", app->n_workers,
	       sg_app_sessions_active(app));
	deadline = rte_get_timer_cycles() + SHUTDOWN_WAIT_SEC * hz;
	/* Stopping is a message like any other; retry while a ring is busy. */
	{
		bool sent[SG_CONFIG_MAX_WORKERS] = {false};
		unsigned int n_sent = 0;

		while ((n_sent < app->n_workers || cs.stopped < app->n_workers) &&
		       rte_get_timer_cycles() < deadline) {
			for (i = 0; i < app->n_workers; i++) {
				struct sg_msg m = {.type = SG_MSG_SHUTDOWN,
						   .lcore = rte_lcore_id()};
				if (!sent[i] && rte_ring_enqueue_elem(app->workers[i].to_worker, &m,
								      sizeof(m)) == 0) {
					sent[i] = true;
					n_sent++;
				}
			}
			poll_workers(app, &cs);
			usleep(POLL_USEC);
		}
	}
	if (cs.stopped < app->n_workers)
		SG_LOG(APP, ERR, "%u worker(s) did not acknowledge shutdown",
		       app->n_workers - cs.stopped);
	rte_eal_mp_wait_lcore();
	poll_workers(app, &cs); /* the last sessions' accounting Stops */
	sg_app_acct_finish(app);
	return cs.stopped == app->n_workers ? 0 : -ETIMEDOUT;
}
