/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the test-only impairment stage (drivers/impair). Packets are
 * small heap objects carrying a sequence number; no DPDK, no root.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sg_impair.h"

struct pkt {
	uint32_t seq;
	int copy;
};

static struct pkt *pkt_new(uint32_t seq)
{
	struct pkt *p = malloc(sizeof(*p));

	assert_non_null(p);
	p->seq = seq;
	p->copy = 0;
	return p;
}

static int dup_calls;
static int dup_fail;

static void *pkt_dup(void *pkt, void *arg)
{
	struct pkt *c;

	(void) arg;
	dup_calls++;
	if (dup_fail)
		return NULL;
	c = pkt_new(((struct pkt *) pkt)->seq);
	c->copy = 1;
	return c;
}

static void free_all(void **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(v[i]);
}

/* Hostile and valid config strings. */
static void test_config_parse_table(void **state)
{
	static const char *bad[] = {
	    "x=1",
	    "seed",
	    "seed=",
	    "seed=-1",
	    "seed=18446744073709551616",
	    "drop_pct=101",
	    "drop_pct=-0.5",
	    "drop_pct=nan",
	    "drop_pct=inf",
	    "drop_pct=1e400",
	    "drop_pct=2x",
	    "drop_pct=60,reorder_pct=50",
	    "duplicate_pct=100.01",
	    "delay_us=4294967296",
	    "seed=1,",
	    ",seed=1",
	    "seed=1,,drop_pct=1",
	    " seed=1",
	    "seed=1 ",
	    "drop_pct==1",
	    "delay_us=1.5",
	    "reorder_pct=0x10",
	};
	struct sg_impair_config c;

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0xa5, sizeof(c));
		if (sg_impair_config_parse(bad[i], &c) != -EINVAL)
			fail_msg("accepted hostile config '%s'", bad[i]);
	}
	assert_int_equal(sg_impair_config_parse(NULL, &c), -EINVAL);

	assert_int_equal(sg_impair_config_parse("", &c), 0);
	assert_true(sg_impair_config_is_off(&c));
	assert_int_equal(sg_impair_config_parse("seed=42,drop_pct=2.5,reorder_pct=5,"
						"duplicate_pct=1,delay_us=100,reorder_max_us=300",
						&c),
			 0);
	assert_true(c.seed == 42);
	assert_true(c.drop_pct == 2.5);
	assert_true(c.reorder_pct == 5.0);
	assert_true(c.duplicate_pct == 1.0);
	assert_int_equal(c.delay_us, 100);
	assert_int_equal(c.reorder_max_us, 300);
	assert_false(sg_impair_config_is_off(&c));
	assert_int_equal(sg_impair_config_parse("delay_us=5,seed=0x10", &c), 0);
	assert_true(c.seed == 16 && c.delay_us == 5 && c.drop_pct == 0.0);
}

static void test_create_rejects(void **state)
{
	struct sg_impair_config c = {.drop_pct = 1};

	(void) state;
	assert_null(sg_impair_create(&c, 0, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(sg_impair_create(&c, 65536, NULL, NULL));
	c.duplicate_pct = 1; /* needs a dup hook */
	assert_null(sg_impair_create(&c, 16, NULL, NULL));
	c.duplicate_pct = 0;
	c.drop_pct = NAN;
	assert_null(sg_impair_create(&c, 16, NULL, NULL));
	sg_impair_free(NULL);
}

/* Off: every packet comes out at once, in order, nothing held. */
static void test_off_passes_in_order(void **state)
{
	struct sg_impair_config c = {.seed = 1};
	struct sg_impair *im = sg_impair_create(&c, 8, NULL, NULL);
	void *in[32], *out[32], *drop[32];
	uint32_t nd = 99, n;

	(void) state;
	assert_non_null(im);
	for (uint32_t i = 0; i < 32; i++)
		in[i] = pkt_new(i);
	n = sg_impair_burst(im, in, 32, 1000, out, 32, drop, &nd);
	assert_int_equal(n, 32);
	assert_int_equal(nd, 0);
	for (uint32_t i = 0; i < 32; i++)
		assert_ptr_equal(out[i], in[i]);
	assert_int_equal(sg_impair_held(im), 0);
	free_all(out, n);
	sg_impair_free(im);
}

/* Counts and order of a long run; returns what came out, in order. */
struct run {
	uint32_t n_out, n_drop;
	uint32_t seq[40000];
	int copy[40000];
	struct sg_impair_stats st;
};

static void run_stage(const struct sg_impair_config *c, uint32_t total, uint32_t burst,
		      uint32_t out_cap, sg_usec_t step, struct run *r)
{
	struct sg_impair *im = sg_impair_create(c, 1024, pkt_dup, NULL);
	void *in[64], *out[256], *drop[64];
	sg_usec_t now = 1;
	uint32_t seq = 0, n, nd;

	assert_non_null(im);
	assert_true(burst <= 64 && out_cap <= 256);
	memset(r, 0, sizeof(*r));
	while (seq < total || sg_impair_held(im) > 0) {
		uint32_t k = 0;

		while (k < burst && seq < total)
			in[k++] = pkt_new(seq++);
		n = sg_impair_burst(im, in, k, now, out, out_cap, drop, &nd);
		assert_true(n <= out_cap);
		assert_true(nd <= k);
		for (uint32_t i = 0; i < n; i++) {
			struct pkt *p = out[i];

			assert_true(r->n_out < 40000);
			r->seq[r->n_out] = p->seq;
			r->copy[r->n_out] = p->copy;
			r->n_out++;
		}
		free_all(out, n);
		free_all(drop, nd);
		r->n_drop += nd;
		now += step;
		assert_true(now < 1000000000ULL); /* held packets must come out */
	}
	assert_int_equal(sg_impair_drain(im, out, 256), 0);
	sg_impair_stats_get(im, &r->st);
	sg_impair_free(im);
}

static struct run ra, rb;

/* Drop rate is close to the configured percentage; drops are given back. */
static void test_drop_rate_and_handback(void **state)
{
	struct sg_impair_config c = {.seed = 7, .drop_pct = 30};

	(void) state;
	run_stage(&c, 20000, 32, 32, 10, &ra);
	assert_int_equal(ra.st.in, 20000);
	assert_int_equal(ra.n_drop, ra.st.dropped);
	assert_int_equal(ra.n_out + ra.n_drop, 20000);
	assert_true(ra.st.dropped > 5600 && ra.st.dropped < 6400);
	for (uint32_t i = 1; i < ra.n_out; i++)
		assert_true(ra.seq[i] > ra.seq[i - 1]); /* drop alone keeps order */
}

/* 100% drop: everything handed back, nothing out. */
static void test_drop_all(void **state)
{
	struct sg_impair_config c = {.seed = 3, .drop_pct = 100};

	(void) state;
	run_stage(&c, 1000, 16, 16, 10, &ra);
	assert_int_equal(ra.n_out, 0);
	assert_int_equal(ra.n_drop, 1000);
}

/* Same seed, same fate; another seed, another fate. */
static void test_seeded_reproducible(void **state)
{
	struct sg_impair_config c = {
	    .seed = 11, .drop_pct = 5, .reorder_pct = 5, .duplicate_pct = 5};

	(void) state;
	run_stage(&c, 5000, 32, 64, 10, &ra);
	run_stage(&c, 5000, 32, 64, 10, &rb);
	assert_int_equal(ra.n_out, rb.n_out);
	assert_memory_equal(ra.seq, rb.seq, ra.n_out * sizeof(ra.seq[0]));
	c.seed = 12;
	run_stage(&c, 5000, 32, 64, 10, &rb);
	assert_true(ra.n_out != rb.n_out ||
		    memcmp(ra.seq, rb.seq, ra.n_out * sizeof(ra.seq[0])) != 0);
}

/* Reordering: each packet exactly once, some out of order, none lost. */
static void test_reorder_exactly_once(void **state)
{
	struct sg_impair_config c = {.seed = 5, .reorder_pct = 10};
	static uint8_t seen[20000];
	uint32_t inversions = 0;

	(void) state;
	run_stage(&c, 20000, 32, 64, 10, &ra);
	memset(seen, 0, sizeof(seen));
	assert_int_equal(ra.n_out, 20000);
	assert_int_equal(ra.n_drop, 0);
	for (uint32_t i = 0; i < ra.n_out; i++) {
		assert_int_equal(seen[ra.seq[i]], 0);
		seen[ra.seq[i]] = 1;
		if (i > 0 && ra.seq[i] < ra.seq[i - 1])
			inversions++;
	}
	assert_true(ra.st.reordered > 1700 && ra.st.reordered < 2300);
	assert_true(inversions > 1000);
}

/* A held-back packet goes out after reorder_max_us even if nothing follows. */
static void test_reorder_forced_by_time(void **state)
{
	struct sg_impair_config c = {.seed = 1, .reorder_pct = 100, .reorder_max_us = 50};
	struct sg_impair *im = sg_impair_create(&c, 4, NULL, NULL);
	void *in[1], *out[4], *drop[1];
	uint32_t nd;

	(void) state;
	assert_non_null(im);
	in[0] = pkt_new(0);
	assert_int_equal(sg_impair_burst(im, in, 1, 100, out, 4, drop, &nd), 0);
	assert_int_equal(sg_impair_burst(im, NULL, 0, 149, out, 4, drop, &nd), 0);
	assert_int_equal(sg_impair_burst(im, NULL, 0, 150, out, 4, drop, &nd), 1);
	assert_ptr_equal(out[0], in[0]);
	free(out[0]);
	sg_impair_free(im);
}

/* Duplicates follow their originals; a failing dup hook is counted. */
static void test_duplicate(void **state)
{
	struct sg_impair_config c = {.seed = 9, .duplicate_pct = 20};

	(void) state;
	dup_fail = 0;
	run_stage(&c, 10000, 32, 64, 10, &ra);
	assert_int_equal(ra.n_out, 10000 + ra.st.duplicated);
	assert_true(ra.st.duplicated > 1700 && ra.st.duplicated < 2300);
	for (uint32_t i = 0; i < ra.n_out; i++)
		if (ra.copy[i])
			assert_int_equal(ra.seq[i], ra.seq[i - 1]);

	dup_fail = 1;
	dup_calls = 0;
	run_stage(&c, 1000, 32, 64, 10, &ra);
	assert_int_equal(ra.n_out, 1000);
	assert_int_equal(ra.st.dup_failed, (uint64_t) dup_calls);
	assert_true(dup_calls > 0);
	dup_fail = 0;
}

/* Delay: nothing leaves before delay_us, order kept, all leave after. */
static void test_delay(void **state)
{
	struct sg_impair_config c = {.seed = 2, .delay_us = 100};
	struct sg_impair *im = sg_impair_create(&c, 64, NULL, NULL);
	void *in[8], *out[16], *drop[8];
	uint32_t nd, n;

	(void) state;
	assert_non_null(im);
	for (uint32_t i = 0; i < 8; i++)
		in[i] = pkt_new(i);
	assert_int_equal(sg_impair_burst(im, in, 4, 1000, out, 16, drop, &nd), 0);
	assert_int_equal(sg_impair_burst(im, in + 4, 4, 1050, out, 16, drop, &nd), 0);
	assert_int_equal(sg_impair_held(im), 8);
	assert_int_equal(sg_impair_burst(im, NULL, 0, 1099, out, 16, drop, &nd), 0);
	n = sg_impair_burst(im, NULL, 0, 1100, out, 16, drop, &nd);
	assert_int_equal(n, 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_ptr_equal(out[i], in[i]);
	free_all(out, n);
	n = sg_impair_burst(im, NULL, 0, 5000, out, 2, drop, &nd); /* small out: rest stays */
	assert_int_equal(n, 2);
	assert_ptr_equal(out[0], in[4]);
	free_all(out, n);
	n = sg_impair_drain(im, out, 16);
	assert_int_equal(n, 2);
	assert_ptr_equal(out[0], in[6]);
	free_all(out, n);
	sg_impair_free(im);
}

/* A full hold queue drops (overflow), hands the packets back, never leaks. */
static void test_hold_overflow(void **state)
{
	struct sg_impair_config c = {.seed = 2, .delay_us = 100};
	struct sg_impair *im = sg_impair_create(&c, 4, NULL, NULL);
	void *in[8], *out[8], *drop[8];
	uint32_t nd, n;
	struct sg_impair_stats st;

	(void) state;
	assert_non_null(im);
	for (uint32_t i = 0; i < 8; i++)
		in[i] = pkt_new(i);
	assert_int_equal(sg_impair_burst(im, in, 8, 0, out, 8, drop, &nd), 0);
	assert_int_equal(nd, 4);
	assert_ptr_equal(drop[0], in[4]);
	free_all(drop, nd);
	sg_impair_stats_get(im, &st);
	assert_int_equal(st.overflow, 4);
	assert_int_equal(st.in, 8);
	n = sg_impair_drain(im, out, 8);
	assert_int_equal(n, 4);
	free_all(out, n);
	sg_impair_free(im);
}

/* Output smaller than the burst: the rest is held, not lost. */
static void test_small_out_cap(void **state)
{
	struct sg_impair_config c = {.seed = 4, .drop_pct = 1, .reorder_pct = 3};

	(void) state;
	run_stage(&c, 1500, 16, 8, 10, &ra);
	assert_int_equal(ra.n_out + ra.n_drop, 1500);
	assert_int_equal(ra.st.overflow, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_parse_table),
	    cmocka_unit_test(test_create_rejects),
	    cmocka_unit_test(test_off_passes_in_order),
	    cmocka_unit_test(test_drop_rate_and_handback),
	    cmocka_unit_test(test_drop_all),
	    cmocka_unit_test(test_seeded_reproducible),
	    cmocka_unit_test(test_reorder_exactly_once),
	    cmocka_unit_test(test_reorder_forced_by_time),
	    cmocka_unit_test(test_duplicate),
	    cmocka_unit_test(test_delay),
	    cmocka_unit_test(test_hold_overflow),
	    cmocka_unit_test(test_small_out_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
