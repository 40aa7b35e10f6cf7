/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Authentications per second through the gateway's control core (bench_ctl_auth).
 *
 * The real daemon code runs: sg_app_eal_init (EAL from the config), sg_app_control_setup
 * (the workers' rings, the auth service with lib/aaa's RADIUS client, the address pool,
 * each worker's sg_gw) and sg_app_control_run on the main lcore. Only the worker lcore's
 * loop is replaced (struct sg_app.worker_main): a synthetic worker that does what
 * gw_tunnel.c's send_auth()/sg_gw_sess_auth_answer() do with the same ring messages and
 * struct sg_auth_msg from the same mempool, at saturation, and times every iteration of
 * its own poll loop.
 *
 * A C interface so the Google Benchmark shim (bench_ctl_auth.cc) stays free of DPDK headers.
 */
#ifndef SG_BENCH_CTL_AUTH_H
#define SG_BENCH_CTL_AUTH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sg_ctlauth_mode {
	SG_CTLAUTH_IDLE = 0, /* the worker loop with nothing in flight (the baseline) */
	SG_CTLAUTH_PAP,
	SG_CTLAUTH_MSCHAPV2,
};

struct sg_ctlauth_run {
	enum sg_ctlauth_mode mode;
	double seconds;	  /* measured phase */
	unsigned window;  /* requests in flight at most (<= the daemon's auth message pool) */
	unsigned burst;	  /* requests the worker hands over per loop iteration at most */
	const char *user; /* RADIUS user (no Framed-IP-Address: many sessions at once) */
	const char *password;
};

struct sg_ctlauth_result {
	uint64_t completed; /* answers received during the phase */
	uint64_t accepted;  /* ACCEPT with what the method needs (MS-CHAPv2: success + keys) */
	uint64_t other;	    /* anything else (reject, timeout, error) */
	uint64_t no_msg;    /* the auth message pool was empty (window full of pool) */
	uint64_t ring_full; /* to_control refused a request (the worker would refuse at once) */
	double seconds;
	double auth_per_s;
	/* the worker's poll loop, one sample per iteration during the phase */
	uint64_t iterations;
	double loop_p50_ns, loop_p99_ns, loop_p999_ns, loop_max_ns;
	uint64_t loop_over_100us; /* iterations longer than 100 us (preemption, page faults) */
	/* only the iterations that took answers or handed requests over */
	uint64_t busy_iterations;
	double busy_p50_ns, busy_p99_ns, busy_max_ns;
	/* request handed over -> answer dequeued by the worker */
	double auth_p50_us, auth_p99_us;
};

/* EAL + the daemon's setup from a sstpgw JSON config (RADIUS backend); extra EAL args. */
int sg_ctlauth_init(const char *config, int n_eal, char **eal);

/* One phase: control loop started, worker launched, measured, everything stopped again. */
int sg_ctlauth_measure(const struct sg_ctlauth_run *run, struct sg_ctlauth_result *res);

void sg_ctlauth_fini(void);

#ifdef __cplusplus
}
#endif

#endif
