/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour cache: states, probes, ageing, bounded size, override rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sg_net_neigh.h"

#define SEC SG_USEC_PER_SEC

static const uint8_t A4[4] = {198, 51, 100, 2};
static const uint8_t B4[4] = {198, 51, 100, 3};
static const uint8_t C4[4] = {198, 51, 100, 4};
static const uint8_t A6[16] = {198, 51, 100, 2}; /* same leading bytes as A4 */
static const uint8_t M1[6] = {0x02, 0, 0, 0, 0, 0x11};
static const uint8_t M2[6] = {0x02, 0, 0, 0, 0, 0x22};

static void unknown_address_is_solicited_then_retried_then_given_up(void **state)
{
	struct sg_net_neigh_table *t = sg_net_neigh_create(4, NULL);
	uint8_t mac[6];
	(void) state;
	assert_non_null(t);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 0, mac), SG_NET_NEIGH_SOLICIT);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), SG_NET_NEIGH_INCOMPLETE);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, SEC / 2, mac), -EAGAIN);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, SEC, mac), SG_NET_NEIGH_SOLICIT);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 2 * SEC, mac), SG_NET_NEIGH_SOLICIT);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 2 * SEC + 1, mac), -EAGAIN);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 3 * SEC, mac), -EHOSTUNREACH);
	assert_int_equal(sg_net_neigh_count(t), 0);
	/* and starts over */
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 4 * SEC, mac), SG_NET_NEIGH_SOLICIT);
	sg_net_neigh_free(t);
}

static void confirmed_entry_resolves_and_ages_to_stale_then_out(void **state)
{
	struct sg_net_neigh_table *t = sg_net_neigh_create(4, NULL);
	uint8_t mac[6];
	(void) state;
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 0, mac), SG_NET_NEIGH_SOLICIT);
	assert_int_equal(sg_net_neigh_confirm(t, 4, A4, M1, 10, SG_NET_NEIGH_F_REACHABLE), 0);
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 20, mac), 0);
	assert_memory_equal(mac, M1, 6);
	assert_int_equal(sg_net_neigh_age(t, 29 * SEC), 0);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), SG_NET_NEIGH_REACHABLE);
	assert_int_equal(sg_net_neigh_age(t, 31 * SEC), 0);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), SG_NET_NEIGH_STALE);
	/* Stale is still usable. */
	assert_int_equal(sg_net_neigh_resolve(t, 4, A4, 32 * SEC, mac), 0);
	assert_int_equal(sg_net_neigh_age(t, 600 * SEC), 0); /* used recently */
	assert_int_equal(sg_net_neigh_age(t, 640 * SEC), 1);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), -ENOENT);
	sg_net_neigh_free(t);
}

static void confirm_without_create_does_not_insert(void **state)
{
	struct sg_net_neigh_table *t = sg_net_neigh_create(4, NULL);
	(void) state;
	assert_int_equal(sg_net_neigh_confirm(t, 4, A4, M1, 0, SG_NET_NEIGH_F_REACHABLE), -ENOENT);
	assert_int_equal(sg_net_neigh_count(t), 0);
	assert_int_equal(sg_net_neigh_confirm(t, 4, A4, M1, 0, SG_NET_NEIGH_F_CREATE), 0);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), SG_NET_NEIGH_STALE);
	/* IPv6 address with the same leading bytes is a different entry. */
	assert_int_equal(sg_net_neigh_state(t, 6, A6), -ENOENT);
	sg_net_neigh_free(t);
}

static void different_mac_needs_override(void **state)
{
	struct sg_net_neigh_table *t = sg_net_neigh_create(4, NULL);
	uint8_t mac[6];
	(void) state;
	assert_int_equal(
	    sg_net_neigh_confirm(t, 6, A6, M1, 0, SG_NET_NEIGH_F_CREATE | SG_NET_NEIGH_F_REACHABLE),
	    0);
	assert_int_equal(sg_net_neigh_confirm(t, 6, A6, M2, 1, SG_NET_NEIGH_F_REACHABLE), 0);
	assert_int_equal(sg_net_neigh_state(t, 6, A6), SG_NET_NEIGH_STALE);
	assert_int_equal(sg_net_neigh_resolve(t, 6, A6, 2, mac), 0);
	assert_memory_equal(mac, M1, 6);
	assert_int_equal(sg_net_neigh_confirm(t, 6, A6, M2, 3,
					      SG_NET_NEIGH_F_REACHABLE | SG_NET_NEIGH_F_OVERRIDE),
			 0);
	assert_int_equal(sg_net_neigh_resolve(t, 6, A6, 4, mac), 0);
	assert_memory_equal(mac, M2, 6);
	sg_net_neigh_free(t);
}

static void table_is_bounded_and_never_evicts_reachable(void **state)
{
	struct sg_net_neigh_table *t = sg_net_neigh_create(2, NULL);
	uint8_t mac[6];
	(void) state;
	assert_int_equal(
	    sg_net_neigh_confirm(t, 4, A4, M1, 0, SG_NET_NEIGH_F_CREATE | SG_NET_NEIGH_F_REACHABLE),
	    0);
	assert_int_equal(
	    sg_net_neigh_confirm(t, 4, B4, M2, 0, SG_NET_NEIGH_F_CREATE | SG_NET_NEIGH_F_REACHABLE),
	    0);
	assert_int_equal(sg_net_neigh_resolve(t, 4, C4, 1, mac), -ENOSPC);
	assert_int_equal(sg_net_neigh_confirm(t, 4, C4, M2, 1, SG_NET_NEIGH_F_CREATE), -ENOSPC);
	assert_int_equal(sg_net_neigh_count(t), 2);
	/* Once B is stale it makes room. */
	assert_int_equal(sg_net_neigh_confirm(t, 4, A4, M1, 20 * SEC, SG_NET_NEIGH_F_REACHABLE), 0);
	sg_net_neigh_age(t, 31 * SEC);
	assert_int_equal(sg_net_neigh_state(t, 4, B4), SG_NET_NEIGH_STALE);
	assert_int_equal(sg_net_neigh_resolve(t, 4, C4, 31 * SEC, mac), SG_NET_NEIGH_SOLICIT);
	assert_int_equal(sg_net_neigh_state(t, 4, B4), -ENOENT);
	assert_int_equal(sg_net_neigh_state(t, 4, A4), SG_NET_NEIGH_REACHABLE);
	assert_int_equal(sg_net_neigh_count(t), 2);
	sg_net_neigh_free(t);
}

static void bad_arguments_are_rejected(void **state)
{
	struct sg_net_neigh_params p = {.reachable_usec = 1, .retrans_usec = 1, .max_probes = 0};
	struct sg_net_neigh_table *t;
	uint8_t mac[6];
	(void) state;
	errno = 0;
	assert_null(sg_net_neigh_create(0, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(sg_net_neigh_create(1u << 20, NULL));
	assert_null(sg_net_neigh_create(4, &p));
	t = sg_net_neigh_create(1, NULL);
	assert_int_equal(sg_net_neigh_resolve(t, 5, A4, 0, mac), -EINVAL);
	assert_int_equal(sg_net_neigh_confirm(t, 0, A4, M1, 0, SG_NET_NEIGH_F_CREATE), -EINVAL);
	assert_int_equal(sg_net_neigh_state(t, 7, A4), -EINVAL);
	assert_int_equal(sg_net_neigh_resolve(NULL, 4, A4, 0, mac), -EINVAL);
	sg_net_neigh_free(t);
	sg_net_neigh_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unknown_address_is_solicited_then_retried_then_given_up),
	    cmocka_unit_test(confirmed_entry_resolves_and_ages_to_stale_then_out),
	    cmocka_unit_test(confirm_without_create_does_not_insert),
	    cmocka_unit_test(different_mac_needs_override),
	    cmocka_unit_test(table_is_bounded_and_never_evicts_reachable),
	    cmocka_unit_test(bad_arguments_are_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
