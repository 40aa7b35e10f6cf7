/* SPDX-License-Identifier: BSD-3-Clause */
/* The daemon's per-core stats: one drop list, one summing helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sg_stats.h"

static struct sg_stats per_core[8];

static void sum_adds_only_the_listed_cores(void **state)
{
	static const unsigned int workers[] = {1, 3, 6};
	struct sg_stats total;
	unsigned int i;
	(void) state;
	memset(per_core, 0, sizeof(per_core));
	for (i = 0; i < 8; i++) {
		sg_stats_count(&per_core[i], SG_CTR_WAN_RX, 10 * (i + 1));
		sg_stats_count(&per_core[i], SG_CTR_WAN_RX, 1);
		sg_stats_drop(&per_core[i], SG_DROP_IP4_NOT_LOCAL, i);
		sg_stats_drop(&per_core[i], SG_DROP_TX_FULL, 100);
	}
	memset(&total, 0xff, sizeof(total)); /* overwritten, not added to */
	sg_stats_sum(per_core, workers, 3, &total);
	assert_int_equal(total.ctr[SG_CTR_WAN_RX], (20 + 1) + (40 + 1) + (70 + 1));
	assert_int_equal(total.ctr[SG_CTR_LAN_RX], 0);
	assert_int_equal(total.drop[SG_DROP_IP4_NOT_LOCAL], 1 + 3 + 6);
	assert_int_equal(total.drop[SG_DROP_TX_FULL], 300);
	assert_int_equal(sg_stats_drops_total(&total), 10 + 300);
	/* Summing twice gives the same (no accumulation into the output). */
	sg_stats_sum(per_core, workers, 3, &total);
	assert_int_equal(total.drop[SG_DROP_TX_FULL], 300);
	sg_stats_sum(per_core, workers, 0, &total);
	assert_int_equal(sg_stats_drops_total(&total), 0);
	assert_int_equal(total.ctr[SG_CTR_WAN_RX], 0);
}

static void every_net_drop_maps_to_the_same_name(void **state)
{
	int d;
	(void) state;
	for (d = 1; d < SG_NET_DROP_COUNT; d++)
		assert_string_equal(
		    sg_stats_drop_name(sg_stats_drop_from_net((enum sg_net_drop) d)),
		    sg_net_drop_name((enum sg_net_drop) d));
}

static void names_are_unique_and_bounded(void **state)
{
	int i, j;
	(void) state;
	for (i = 0; i < SG_DROP_COUNT; i++) {
		assert_string_not_equal(sg_stats_drop_name((enum sg_drop) i), "?");
		for (j = 0; j < i; j++)
			assert_string_not_equal(sg_stats_drop_name((enum sg_drop) i),
						sg_stats_drop_name((enum sg_drop) j));
		for (j = 0; j < SG_CTR_COUNT; j++)
			assert_string_not_equal(sg_stats_drop_name((enum sg_drop) i),
						sg_stats_counter_name((enum sg_counter) j));
	}
	assert_string_equal(sg_stats_drop_name(SG_DROP_COUNT), "?");
	assert_string_equal(sg_stats_counter_name(SG_CTR_COUNT), "?");
	assert_string_equal(sg_stats_counter_name(SG_CTR_WAN_RX), "wan_rx_packets");
}

static void records_are_cache_aligned(void **state)
{
	(void) state;
	assert_int_equal((uintptr_t) &per_core[1] % SG_STATS_CACHE_LINE, 0);
	assert_int_equal(sizeof(struct sg_stats) % SG_STATS_CACHE_LINE, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sum_adds_only_the_listed_cores),
	    cmocka_unit_test(every_net_drop_maps_to_the_same_name),
	    cmocka_unit_test(names_are_unique_and_bounded),
	    cmocka_unit_test(records_are_cache_aligned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
