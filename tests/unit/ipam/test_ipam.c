/* SPDX-License-Identifier: BSD-3-Clause */
/* Address pools: exact ranges, per-worker ownership by arithmetic, and no double hand-out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_ipam.h"

static uint32_t ip4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static struct in6_addr ip6(const char *s)
{
	struct in6_addr a;
	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void a_slash24_hands_out_254_hosts_then_runs_dry(void **state)
{
	struct sg_ipam_pool4 *p = sg_ipam_pool4_create(ip4("203.0.113.0"), 24, 1);
	uint32_t a, seen_min = UINT32_MAX, seen_max = 0;
	(void)state;

	assert_non_null(p);
	for (int i = 0; i < 254; i++) {
		assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), 0);
		seen_min = a < seen_min ? a : seen_min;
		seen_max = a > seen_max ? a : seen_max;
	}
	assert_int_equal(seen_min, ip4("203.0.113.1"));
	assert_int_equal(seen_max, ip4("203.0.113.254"));
	assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), -ENOSPC);
	assert_int_equal(sg_ipam_pool4_usage(p, -1).used, 254);
	assert_int_equal(sg_ipam_pool4_release(p, ip4("203.0.113.77")), 0);
	assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), 0);
	assert_int_equal(a, ip4("203.0.113.77"));
	sg_ipam_pool4_free(p);
}

static void every_address_belongs_to_the_worker_that_allocated_it(void **state)
{
	(void)state;
	for (unsigned int workers = 1; workers <= 7; workers++) {
		struct sg_ipam_pool4 *p = sg_ipam_pool4_create(ip4("203.0.113.0"), 24, workers);
		const struct sg_ipam_layout4 *l;
		unsigned int total = 0;
		uint32_t a;

		assert_non_null(p);
		l = sg_ipam_pool4_layout(p);
		for (unsigned int w = 0; w < workers; w++) {
			while (sg_ipam_pool4_alloc(p, w, &a) == 0) {
				assert_int_equal(sg_ipam_layout4_owner(l, a), (int)w);
				total++;
			}
			assert_int_equal(sg_ipam_pool4_usage(p, (int)w).used,
					 sg_ipam_pool4_usage(p, (int)w).size);
		}
		assert_int_equal(total, 254); /* the remainder is not lost */
		assert_int_equal(sg_ipam_layout4_owner(l, ip4("203.0.113.0")), -1);
		assert_int_equal(sg_ipam_layout4_owner(l, ip4("203.0.113.255")), -1);
		assert_int_equal(sg_ipam_layout4_owner(l, ip4("198.51.100.7")), -1);
		sg_ipam_pool4_free(p);
	}
}

static void fixed_addresses_are_reserved_once_and_never_handed_out(void **state)
{
	struct sg_ipam_pool4 *p = sg_ipam_pool4_create(ip4("203.0.113.0"), 29, 1);
	uint32_t a;
	(void)state;

	assert_non_null(p); /* .1 .. .6 usable */
	assert_int_equal(sg_ipam_pool4_reserve(p, ip4("203.0.113.3")), 0);
	assert_int_equal(sg_ipam_pool4_reserve(p, ip4("203.0.113.3")), -EEXIST);
	assert_int_equal(sg_ipam_pool4_reserve(p, ip4("203.0.113.0")), -ERANGE);
	assert_int_equal(sg_ipam_pool4_reserve(p, ip4("203.0.113.7")), -ERANGE);
	assert_int_equal(sg_ipam_pool4_reserve(p, ip4("203.0.113.8")), -ERANGE);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), 0);
		assert_int_not_equal(a, ip4("203.0.113.3"));
	}
	assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), -ENOSPC);
	assert_int_equal(sg_ipam_pool4_release(p, ip4("203.0.113.3")), 0);
	assert_int_equal(sg_ipam_pool4_release(p, ip4("203.0.113.3")), -ENOENT);
	assert_int_equal(sg_ipam_pool4_release(p, ip4("192.0.2.1")), -ERANGE);
	sg_ipam_pool4_free(p);
}

static void a_released_address_is_not_reused_at_once(void **state)
{
	struct sg_ipam_pool4 *p = sg_ipam_pool4_create(ip4("203.0.113.0"), 24, 1);
	uint32_t a, b;
	(void)state;

	assert_int_equal(sg_ipam_pool4_alloc(p, 0, &a), 0);
	assert_int_equal(sg_ipam_pool4_release(p, a), 0);
	assert_int_equal(sg_ipam_pool4_alloc(p, 0, &b), 0);
	assert_int_not_equal(a, b);
	sg_ipam_pool4_free(p);
}

static void bad_pools_are_refused(void **state)
{
	(void)state;
	errno = 0;
	assert_null(sg_ipam_pool4_create(ip4("203.0.113.1"), 24, 1)); /* host bits */
	assert_int_equal(errno, EINVAL);
	assert_null(sg_ipam_pool4_create(ip4("203.0.113.0"), 33, 1));
	assert_null(sg_ipam_pool4_create(ip4("203.0.113.0"), 24, 0));
	assert_null(sg_ipam_pool4_create(ip4("203.0.113.0"), 24, SG_IPAM_MAX_WORKERS + 1));
	assert_null(sg_ipam_pool4_create(ip4("203.0.113.7"), 32, 2)); /* 1 address, 2 workers */
	assert_null(sg_ipam_pool4_create(ip4("10.0.0.0"), 7, 1));     /* over SG_IPAM_MAX_SLOTS */
	struct sg_ipam_pool4 *one = sg_ipam_pool4_create(ip4("203.0.113.7"), 32, 1);
	uint32_t a;
	assert_non_null(one);
	assert_int_equal(sg_ipam_pool4_alloc(one, 0, &a), 0);
	assert_int_equal(a, ip4("203.0.113.7"));
	assert_int_equal(sg_ipam_pool4_alloc(one, 1, &a), -EINVAL);
	sg_ipam_pool4_free(one);
	struct in6_addr b = ip6("2001:db8:100::1");
	assert_null(sg_ipam_pool6_create(&b, 48, 64, 1)); /* host bits */
	b = ip6("2001:db8:100::");
	assert_null(sg_ipam_pool6_create(&b, 64, 64, 1));
	assert_null(sg_ipam_pool6_create(&b, 24, 64, 1)); /* 40 bits of index */
}

static void ipv6_prefixes_are_delegated_per_worker(void **state)
{
	struct in6_addr base = ip6("2001:db8:100::"), pfx, inside;
	struct sg_ipam_pool6 *p = sg_ipam_pool6_create(&base, 48, 64, 2);
	const struct sg_ipam_layout6 *l;
	char s[INET6_ADDRSTRLEN];
	(void)state;

	assert_non_null(p);
	l = sg_ipam_pool6_layout(p);
	assert_int_equal(l->count, 65536);
	assert_int_equal(sg_ipam_pool6_alloc(p, 0, &pfx), 0);
	inet_ntop(AF_INET6, &pfx, s, sizeof(s));
	assert_string_equal(s, "2001:db8:100::");
	assert_int_equal(sg_ipam_pool6_alloc(p, 1, &pfx), 0);
	inet_ntop(AF_INET6, &pfx, s, sizeof(s));
	assert_string_equal(s, "2001:db8:100:8000::");
	inside = pfx;
	inside.s6_addr[15] = 0x42; /* any host inside the delegated /64 */
	assert_int_equal(sg_ipam_layout6_owner(l, &inside), 1);
	inside = ip6("2001:db8:100:7fff::9");
	assert_int_equal(sg_ipam_layout6_owner(l, &inside), 0);
	inside = ip6("2001:db8:101::1");
	assert_int_equal(sg_ipam_layout6_owner(l, &inside), -1);
	assert_int_equal(sg_ipam_pool6_reserve(p, &pfx), -EEXIST);
	inside = ip6("2001:db8:100:5::1");
	assert_int_equal(sg_ipam_pool6_reserve(p, &inside), -ERANGE); /* not a prefix */
	inside = ip6("2001:db8:100:5::");
	assert_int_equal(sg_ipam_pool6_reserve(p, &inside), 0);
	assert_int_equal(sg_ipam_pool6_usage(p, -1).used, 3);
	assert_int_equal(sg_ipam_pool6_release(p, &inside), 0);
	assert_int_equal(sg_ipam_pool6_release(p, &inside), -ENOENT);
	sg_ipam_pool6_free(p);

	base = ip6("2001:db8::");
	p = sg_ipam_pool6_create(&base, 32, 64, 1);
	assert_non_null(p);
	assert_int_equal(sg_ipam_pool6_layout(p)->count, SG_IPAM_MAX_SLOTS);
	sg_ipam_pool6_free(p);
}

/* Random churn against a plain model: never a duplicate, counts always exact. */
static void churn_matches_a_reference_model(void **state)
{
	enum { WORKERS = 3, OPS = 200000 };
	struct sg_ipam_pool4 *p = sg_ipam_pool4_create(ip4("203.0.112.0"), 22, WORKERS);
	static uint8_t taken[1024];
	uint32_t held[1024], n_held = 0, x = 12345;
	(void)state;

	memset(taken, 0, sizeof(taken));
	assert_non_null(p);
	for (int op = 0; op < OPS; op++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32: seeded, reproducible */
		if ((x & 1) && n_held > 0) {
			uint32_t i = (x >> 1) % n_held, a = held[i];
			assert_int_equal(sg_ipam_pool4_release(p, a), 0);
			taken[a - ip4("203.0.112.0")] = 0;
			held[i] = held[--n_held];
		} else {
			uint32_t a;
			int rc = sg_ipam_pool4_alloc(p, (x >> 1) % WORKERS, &a);
			if (rc == -ENOSPC)
				continue;
			assert_int_equal(rc, 0);
			assert_int_equal(taken[a - ip4("203.0.112.0")], 0);
			taken[a - ip4("203.0.112.0")] = 1;
			held[n_held++] = a;
		}
		assert_int_equal(sg_ipam_pool4_usage(p, -1).used, n_held);
	}
	sg_ipam_pool4_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_slash24_hands_out_254_hosts_then_runs_dry),
		cmocka_unit_test(every_address_belongs_to_the_worker_that_allocated_it),
		cmocka_unit_test(fixed_addresses_are_reserved_once_and_never_handed_out),
		cmocka_unit_test(a_released_address_is_not_reused_at_once),
		cmocka_unit_test(bad_pools_are_refused),
		cmocka_unit_test(ipv6_prefixes_are_delegated_per_worker),
		cmocka_unit_test(churn_matches_a_reference_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
