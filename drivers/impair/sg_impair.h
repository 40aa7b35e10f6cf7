/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-only impairment stage for the port layer: seeded drop, reorder,
 * duplicate and delay of packets on an rx or tx burst.
 *
 * It is off unless configured (config key `test.impair`) and is meant for
 * proving lib/tcp against real peers; it is never on the data path of a
 * production configuration.
 *
 * The stage is pure: packets are opaque pointers, time is passed in, the
 * PRNG is its own (splitmix64, seeded by the config), so a run is
 * reproducible from (seed, sequence of bursts, times). It never frees a
 * packet: dropped packets are handed back to the caller, who frees them (or
 * counts them) explicitly. Duplicates are made with the caller's dup hook
 * (for mbufs: sg_impair_mbuf.h). One instance per queue and per lcore; not
 * thread safe.
 */
#ifndef SG_IMPAIR_H
#define SG_IMPAIR_H

#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What `test.impair` holds. Percentages are 0..100 and may be fractional. */
struct sg_impair_config {
	uint64_t seed;
	double drop_pct;	 /* packet dropped (given back to the caller) */
	double reorder_pct;	 /* packet held back until 1..3 later ones passed */
	double duplicate_pct;	 /* packet passed twice (a dup hook copy follows it) */
	uint32_t delay_us;	 /* every packet held this long (0: none) */
	uint32_t reorder_max_us; /* a held-back packet goes out after this anyway
				    (0: default 1000 us) */
};

/* Counters; every packet given to the stage is counted once in `in` and once
 * in exactly one of passed (handed on now or after being held), dropped or
 * overflow. */
#define SG_IMPAIR_STATS(X)                                                                         \
	X(in)	      /* packets given to the stage */                                             \
	X(passed)     /* originals accepted (out now or later) */                                  \
	X(dropped)    /* dropped by drop_pct */                                                    \
	X(overflow)   /* dropped because the hold queue was full */                                \
	X(duplicated) /* extra copies handed on */                                                 \
	X(dup_failed) /* dup hook returned NULL (no copy made) */                                  \
	X(reordered)  /* held back for reordering */                                               \
	X(delayed)    /* held for delay_us */

struct sg_impair_stats {
#define SG_IMPAIR_FIELD_(n) uint64_t n;
	SG_IMPAIR_STATS(SG_IMPAIR_FIELD_)
#undef SG_IMPAIR_FIELD_
};

/* Copy a packet for duplication; NULL when no copy can be made. */
typedef void *(*sg_impair_dup_fn)(void *pkt, void *arg);

struct sg_impair;

/*
 * Validate a config: 0, or -EINVAL (percentage out of 0..100, NaN, or
 * drop_pct + reorder_pct over 100: one roll decides drop/reorder/pass, a
 * second roll decides duplication).
 */
int sg_impair_config_check(const struct sg_impair_config *cfg);

/*
 * True when the config impairs nothing (every percentage 0 and no delay):
 * callers then skip the stage altogether.
 */
int sg_impair_config_is_off(const struct sg_impair_config *cfg);

/*
 * Parse "seed=1,drop_pct=2,reorder_pct=5,duplicate_pct=1,delay_us=100,
 * reorder_max_us=500" (any subset, any order; missing keys are 0). Returns 0,
 * or -EINVAL for an unknown key, a bad number or a config that fails
 * sg_impair_config_check(); `cfg` is written only on success.
 */
int sg_impair_config_parse(const char *text, struct sg_impair_config *cfg);

/*
 * Create a stage that can hold up to `hold_max` packets (delay and reorder
 * queues together; 1..65535). `dup` may be NULL if duplicate_pct is 0.
 * Returns NULL and sets errno (EINVAL, ENOMEM).
 */
struct sg_impair *sg_impair_create(const struct sg_impair_config *cfg, uint32_t hold_max,
				   sg_impair_dup_fn dup, void *dup_arg);

/* Free the stage; packets still held must be taken out first with
 * sg_impair_drain() (they are not freed here). NULL is allowed. */
void sg_impair_free(struct sg_impair *im);

/*
 * Run one burst through the stage at time `now`.
 *
 * Every one of the `n_in` packets in `in` is consumed: it goes to `out`, to
 * `dropped`, or is held inside the stage. `out` receives up to `out_cap`
 * packets (held ones that are due first, then this burst's); packets that do
 * not fit are held (counted as delayed) and come out on a later call.
 * `dropped` must have room for `n_in` pointers: the caller owns and frees
 * what is written there. Call it with n_in == 0 on every poll iteration so
 * held packets are released on time.
 *
 * Returns the number of packets written to `out`; *n_dropped is set.
 */
uint32_t sg_impair_burst(struct sg_impair *im, void *const *in, uint32_t n_in, sg_usec_t now,
			 void **out, uint32_t out_cap, void **dropped, uint32_t *n_dropped);

/* Take out up to `cap` held packets regardless of time (shutdown); returns
 * the count written to `out`. Call until it returns 0. */
uint32_t sg_impair_drain(struct sg_impair *im, void **out, uint32_t cap);

/* Packets held right now. */
uint32_t sg_impair_held(const struct sg_impair *im);

/* Copy of the counters. */
void sg_impair_stats_get(const struct sg_impair *im, struct sg_impair_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SG_IMPAIR_H */
