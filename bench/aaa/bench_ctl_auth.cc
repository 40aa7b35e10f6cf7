// SPDX-License-Identifier: BSD-3-Clause
// Authentications per second through the gateway's control core against a RADIUS server
// (issue 6), and the worker loop's iteration time while they are in flight vs idle.
// ctl_auth.c runs the daemon's own control loop and auth service; a synthetic worker lcore
// feeds it at saturation. Driven by bench/aaa/ctl-auth-bench.sh (private FreeRADIUS).
//
//   bench_ctl_auth --config FILE [--seconds S] [--window N] [--burst N] [--user U]
//                  [--password P] [--benchmark_* ...] [-- EAL args]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ctl_auth.h"

static struct sg_ctlauth_run base = {SG_CTLAUTH_IDLE, 5.0, 1024, 32, "eve", "eap-md5-pw"};

static void run_mode(benchmark::State &st, enum sg_ctlauth_mode mode)
{
	struct sg_ctlauth_run run = base;
	struct sg_ctlauth_result r;

	run.mode = mode;
	for (auto _ : st) {
		memset(&r, 0, sizeof(r));
		if (sg_ctlauth_measure(&run, &r) != 0) {
			st.SkipWithError("control loop failed");
			return;
		}
		st.SetIterationTime(r.seconds);
	}
	if (mode != SG_CTLAUTH_IDLE && r.accepted == 0) {
		st.SkipWithError("no request was accepted (RADIUS server, user, secret?)");
		return;
	}
	st.counters["auth_per_s"] = r.auth_per_s;
	st.counters["completed"] = (double) r.completed;
	st.counters["accepted"] = (double) r.accepted;
	st.counters["not_accepted"] = (double) r.other;
	st.counters["no_msg"] = (double) r.no_msg;
	st.counters["ring_full"] = (double) r.ring_full;
	st.counters["loop_iterations"] = (double) r.iterations;
	st.counters["loop_p50_ns"] = r.loop_p50_ns;
	st.counters["loop_p99_ns"] = r.loop_p99_ns;
	st.counters["loop_p999_ns"] = r.loop_p999_ns;
	st.counters["loop_max_ns"] = r.loop_max_ns;
	st.counters["loop_over_100us"] = (double) r.loop_over_100us;
	st.counters["busy_iterations"] = (double) r.busy_iterations;
	st.counters["busy_p50_ns"] = r.busy_p50_ns;
	st.counters["busy_p99_ns"] = r.busy_p99_ns;
	st.counters["busy_max_ns"] = r.busy_max_ns;
	st.counters["auth_p50_us"] = r.auth_p50_us;
	st.counters["auth_p99_us"] = r.auth_p99_us;
}

static void BM_ctl_auth_idle(benchmark::State &st)
{
	run_mode(st, SG_CTLAUTH_IDLE);
}
static void BM_ctl_auth_pap(benchmark::State &st)
{
	run_mode(st, SG_CTLAUTH_PAP);
}
static void BM_ctl_auth_mschapv2(benchmark::State &st)
{
	run_mode(st, SG_CTLAUTH_MSCHAPV2);
}
BENCHMARK(BM_ctl_auth_idle)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_ctl_auth_pap)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_ctl_auth_mschapv2)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

int main(int argc, char **argv)
{
	std::vector<char *> gb = {argv[0]}, eal;
	const char *config = nullptr;
	int i;

	for (i = 1; i < argc; i++) {
		std::string a = argv[i];
		bool more = i + 1 < argc;

		if (a == "--") {
			for (i++; i < argc; i++)
				eal.push_back(argv[i]);
			break;
		} else if (a == "--config" && more) {
			config = argv[++i];
		} else if (a == "--seconds" && more) {
			base.seconds = atof(argv[++i]);
		} else if (a == "--window" && more) {
			base.window = (unsigned) atoi(argv[++i]);
		} else if (a == "--burst" && more) {
			base.burst = (unsigned) atoi(argv[++i]);
		} else if (a == "--user" && more) {
			base.user = argv[++i];
		} else if (a == "--password" && more) {
			base.password = argv[++i];
		} else {
			gb.push_back(argv[i]);
		}
	}
	if (config == nullptr) {
		fprintf(stderr,
			"usage: %s --config FILE [--seconds S] [--window N] [--burst N] "
			"[--user U] [--password P] [--benchmark_*] [-- EAL args]\n",
			argv[0]);
		return 2;
	}
	int gbc = (int) gb.size();
	gb.push_back(nullptr);
	benchmark::Initialize(&gbc, gb.data());
	if (benchmark::ReportUnrecognizedArguments(gbc, gb.data()))
		return 2;
	if (sg_ctlauth_init(config, (int) eal.size(), eal.data()) != 0) {
		fprintf(stderr, "bench_ctl_auth: set-up failed\n");
		sg_ctlauth_fini();
		return 1;
	}
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	sg_ctlauth_fini();
	return 0;
}
