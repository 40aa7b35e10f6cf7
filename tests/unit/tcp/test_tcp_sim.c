/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Simulation tests: every byte of both directions verified over a seeded
 * lossy, reordering, duplicating link. Sizes and seeds come from the
 * environment so the sanitizer pass can run a reduced version:
 *   SG_TCP_SIM_BYTES       bytes each way per seed (default 100 MB; ASan 512 KB)
 *   SG_TCP_SIM_SEEDS       seeds per loss rate (default 50)
 *   SG_TCP_SIM_LONG_BYTES  one long connection per loss rate (100 MB; ASan 8 MB)
 *   SG_TCP_SIM_SEED0       first seed (default 1000)
 *   SG_TCP_TEST_FILTER     cmocka test name filter
 *   SG_TCP_SIM_DEBUG / SG_TCP_SIM_TRACE   dump state on failure / every packet
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tcp_sim.h"
#include "tcp_test_env.h"

static long sim_seeds(void)
{
	return tcp_test_env("SG_TCP_SIM_SEEDS", 50);
}

static uint64_t sim_bytes(void)
{
	/* Issue 4's floor: 100 MB each way for every seed at every loss rate (about 1 s of
	 * real time per seed here). ASan is ~10x slower: it runs the same seeds smaller. */
	long def = tcp_test_sanitized() ? 512 * 1024 : 100L << 20;
	return (uint64_t) tcp_test_env("SG_TCP_SIM_BYTES", def);
}

static uint64_t sim_long_bytes(void)
{
	/* Plus one long connection per loss rate: 100 MB each way. */
	long def = tcp_test_sanitized() ? 8L << 20 : 100L << 20;
	return (uint64_t) tcp_test_env("SG_TCP_SIM_LONG_BYTES", def);
}

static void run_series(const char *label, struct tcp_sim_params *base, long seeds)
{
	double vt = 0, rt = 0;
	uint64_t bytes = 0, retrans = 0, rto = 0, segs = 0, cookies = 0;
	for (long i = 0; i < seeds; i++) {
		struct tcp_sim_params p = *base;
		p.seed = base->seed + (uint64_t) i;
		struct tcp_sim_result r;
		int rc = tcp_sim_run(&p, &r);
		if (rc != 0)
			fail_msg("%s seed %llu: %s", label, (unsigned long long) p.seed, r.why);
		vt += r.vtime_s;
		rt += r.real_s;
		bytes += (p.bytes_c2s + p.bytes_s2c) * (p.conns ? p.conns : 1);
		retrans += r.retrans;
		rto += r.rto;
		segs += r.segs;
		cookies += r.srv.syncookies_ok;
	}
	printf("# %-22s seeds=%ld bytes=%.1fMB segs=%llu retrans=%llu rto=%llu virtual=%.1fs "
	       "(%.1f Mbit/s) real=%.2fs (%.1f Mbit/s)\n",
	       label, seeds, bytes / 1e6, (unsigned long long) segs, (unsigned long long) retrans,
	       (unsigned long long) rto, vt, bytes * 8 / vt / 1e6, rt, bytes * 8 / rt / 1e6);
	(void) cookies;
}

static void base_params(struct tcp_sim_params *p)
{
	tcp_sim_defaults(p);
	p->bytes_c2s = p->bytes_s2c = sim_bytes();
	p->seed = (uint64_t) tcp_test_env("SG_TCP_SIM_SEED0", 1000);
}

static void test_sim_clean_link(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	run_series("clean", &p, 2);
}

static void lossy(double loss, const char *label)
{
	struct tcp_sim_params p;
	base_params(&p);
	p.loss = loss;
	p.dup = 0.01;
	p.reorder = 0.03;
	run_series(label, &p, sim_seeds());
	char l2[64];
	snprintf(l2, sizeof(l2), "%s (long)", label);
	p.bytes_c2s = p.bytes_s2c = sim_long_bytes();
	p.seed += 7777;
	run_series(l2, &p, 1);
}

static void test_sim_loss_1pct(void **state)
{
	(void) state;
	lossy(0.01, "loss 1% reorder dup");
}

static void test_sim_loss_5pct(void **state)
{
	(void) state;
	lossy(0.05, "loss 5% reorder dup");
}

static void test_sim_loss_10pct(void **state)
{
	(void) state;
	lossy(0.10, "loss 10% reorder dup");
}

static void test_sim_ipv6_cubic(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	p.family = 6;
	p.cc = SG_TCP_CC_CUBIC;
	p.loss = 0.02;
	p.dup = 0.01;
	p.reorder = 0.03;
	run_series("ipv6 cubic loss 2%", &p, 4);
}

static void test_sim_no_sack_no_ts(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	p.no_sack = true;
	p.no_ts = true;
	p.loss = 0.03;
	p.dup = 0.01;
	p.reorder = 0.03;
	run_series("newreno no sack/ts 3%", &p, 4);
}

static void test_sim_slow_consumer(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	p.bytes_c2s = p.bytes_c2s / 4 + 1;
	p.rcv_buf = 16384;
	p.slow_consumer_us = 50000; /* window closes: zero-window probes */
	p.loss = 0.02;
	run_series("slow consumer 16K rwnd", &p, 2);
}

static void test_sim_many_connections(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	p.conns = (uint32_t) tcp_test_env("SG_TCP_SIM_CONNS", tcp_test_sanitized() ? 100 : 500);
	p.bytes_c2s = 40000;
	p.bytes_s2c = 70000;
	p.loss = 0.03;
	p.dup = 0.01;
	p.reorder = 0.03;
	p.rate_bps = 100000000;
	run_series("many conns loss 3%", &p, 2);
}

static void test_sim_syn_cookies_under_load(void **state)
{
	(void) state;
	struct tcp_sim_params p;
	base_params(&p);
	p.conns = 300;
	p.cookie_threshold = 8; /* most handshakes complete through cookies */
	p.bytes_c2s = 20000;
	p.bytes_s2c = 20000;
	p.loss = 0.02;
	p.reorder = 0.03;
	struct tcp_sim_result r;
	if (tcp_sim_run(&p, &r) != 0)
		fail_msg("cookies: %s", r.why);
	printf("# cookies: sent %llu ok %llu\n", (unsigned long long) r.srv.syncookies_sent,
	       (unsigned long long) r.srv.syncookies_ok);
	assert_true(r.srv.syncookies_ok > 100);
}

int main(void)
{
	if (tcp_test_eal_init() < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	const char *filter = getenv("SG_TCP_TEST_FILTER");
	if (filter)
		cmocka_set_test_filter(filter);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_clean_link),
	    cmocka_unit_test(test_sim_loss_1pct),
	    cmocka_unit_test(test_sim_loss_5pct),
	    cmocka_unit_test(test_sim_loss_10pct),
	    cmocka_unit_test(test_sim_ipv6_cubic),
	    cmocka_unit_test(test_sim_no_sack_no_ts),
	    cmocka_unit_test(test_sim_slow_consumer),
	    cmocka_unit_test(test_sim_many_connections),
	    cmocka_unit_test(test_sim_syn_cookies_under_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
