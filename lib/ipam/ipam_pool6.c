/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipam_slots.h"
#include "sg_ipam.h"

struct sg_ipam_pool6 {
	struct sg_ipam_layout6 layout;
	struct ipam_slots slots; /* slot i is the i-th /delegated_len inside the pool */
};

/* Bits [from, to) of a 128-bit address (to - from <= 32), as an integer. */
static uint32_t get_bits(const struct in6_addr *a, unsigned int from, unsigned int to)
{
	uint32_t v = 0;

	for (unsigned int b = from; b < to; b++)
		v = (v << 1) | ((a->s6_addr[b / 8] >> (7 - b % 8)) & 1u);
	return v;
}

static void set_bits(struct in6_addr *a, unsigned int from, unsigned int to, uint32_t v)
{
	for (unsigned int b = to; b-- > from; v >>= 1) {
		uint8_t mask = (uint8_t)(1u << (7 - b % 8));
		a->s6_addr[b / 8] = (uint8_t)((a->s6_addr[b / 8] & ~mask) | ((v & 1u) ? mask : 0));
	}
}

static int host_bits_zero(const struct in6_addr *a, unsigned int from)
{
	for (unsigned int b = from; b < 128; b++)
		if ((a->s6_addr[b / 8] >> (7 - b % 8)) & 1u)
			return 0;
	return 1;
}

/* The prefix bits [0, plen) of a and b are equal. */
static int same_prefix(const struct in6_addr *a, const struct in6_addr *b, unsigned int plen)
{
	unsigned int bytes = plen / 8, rest = plen % 8;

	if (memcmp(a->s6_addr, b->s6_addr, bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a->s6_addr[bytes] ^ b->s6_addr[bytes]) & (uint8_t)(0xff00u >> rest)) == 0;
}

struct sg_ipam_pool6 *sg_ipam_pool6_create(const struct in6_addr *base, uint8_t prefix_len,
					   uint8_t delegated_len, unsigned int n_workers)
{
	struct sg_ipam_pool6 *pool;
	uint64_t count;
	int rc;

	if (prefix_len >= delegated_len || delegated_len > 128 || delegated_len - prefix_len > 32 ||
	    !host_bits_zero(base, prefix_len)) {
		errno = EINVAL;
		return NULL;
	}
	count = 1ULL << (delegated_len - prefix_len);
	if (count > SG_IPAM_MAX_SLOTS)
		count = SG_IPAM_MAX_SLOTS; /* a /32 split into /64s: the first 2^24 are plenty */
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	rc = ipam_slots_init(&pool->slots, (uint32_t)count, n_workers);
	if (rc < 0) {
		free(pool);
		errno = -rc;
		return NULL;
	}
	pool->layout = (struct sg_ipam_layout6){
		.base = *base,
		.count = pool->slots.count,
		.slice = pool->slots.slice,
		.n_workers = (uint16_t)n_workers,
		.prefix_len = prefix_len,
		.delegated_len = delegated_len,
	};
	return pool;
}

void sg_ipam_pool6_free(struct sg_ipam_pool6 *pool)
{
	if (pool == NULL)
		return;
	ipam_slots_fini(&pool->slots);
	free(pool);
}

const struct sg_ipam_layout6 *sg_ipam_pool6_layout(const struct sg_ipam_pool6 *pool)
{
	return &pool->layout;
}

/* Slot of the delegated prefix that contains addr; -ERANGE outside the pool. */
static int addr_slot(const struct sg_ipam_layout6 *l, const struct in6_addr *addr, uint32_t *slot)
{
	if (!same_prefix(addr, &l->base, l->prefix_len))
		return -ERANGE;
	*slot = get_bits(addr, l->prefix_len, l->delegated_len);
	return *slot < l->count ? 0 : -ERANGE;
}

int sg_ipam_layout6_owner(const struct sg_ipam_layout6 *l, const struct in6_addr *addr)
{
	uint32_t slot, w;

	if (addr_slot(l, addr, &slot) < 0)
		return -1;
	w = slot / l->slice;
	return (int)(w < l->n_workers ? w : l->n_workers - 1u);
}

int sg_ipam_pool6_alloc(struct sg_ipam_pool6 *pool, unsigned int worker, struct in6_addr *prefix)
{
	uint32_t slot;
	int rc = ipam_slots_alloc(&pool->slots, worker, &slot);

	if (rc == 0) {
		*prefix = pool->layout.base;
		set_bits(prefix, pool->layout.prefix_len, pool->layout.delegated_len, slot);
	}
	return rc;
}

/* Reserve/release take the delegated prefix itself: host bits past it must be zero. */
static int prefix_slot(const struct sg_ipam_pool6 *pool, const struct in6_addr *prefix,
		       uint32_t *slot)
{
	if (!host_bits_zero(prefix, pool->layout.delegated_len))
		return -ERANGE;
	return addr_slot(&pool->layout, prefix, slot);
}

int sg_ipam_pool6_reserve(struct sg_ipam_pool6 *pool, const struct in6_addr *prefix)
{
	uint32_t slot;
	int rc = prefix_slot(pool, prefix, &slot);

	return rc < 0 ? rc : ipam_slots_take(&pool->slots, slot);
}

int sg_ipam_pool6_release(struct sg_ipam_pool6 *pool, const struct in6_addr *prefix)
{
	uint32_t slot;
	int rc = prefix_slot(pool, prefix, &slot);

	return rc < 0 ? rc : ipam_slots_put(&pool->slots, slot);
}

struct sg_ipam_usage sg_ipam_pool6_usage(const struct sg_ipam_pool6 *pool, int worker)
{
	return ipam_slots_usage(&pool->slots, worker);
}
