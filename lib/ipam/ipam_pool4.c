/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "ipam_slots.h"
#include "sg_ipam.h"

struct sg_ipam_pool4 {
	struct sg_ipam_layout4 layout;
	struct ipam_slots slots; /* slot i is address layout.first + i */
};

struct sg_ipam_pool4 *sg_ipam_pool4_create(uint32_t base, uint8_t prefix_len, unsigned int n_workers)
{
	struct sg_ipam_pool4 *pool;
	uint64_t size;
	uint32_t skip;
	int rc;

	if (prefix_len > 32 || n_workers == 0 || n_workers > SG_IPAM_MAX_WORKERS)
		goto invalid;
	size = 1ULL << (32 - prefix_len);
	if ((base & (uint32_t)(size - 1)) != 0)
		goto invalid; /* host bits set */
	skip = prefix_len <= 30 ? 1 : 0; /* network and broadcast addresses stay out */
	if (size - 2 * skip > SG_IPAM_MAX_SLOTS)
		goto invalid;
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	rc = ipam_slots_init(&pool->slots, (uint32_t)(size - 2 * skip), n_workers);
	if (rc < 0) {
		free(pool);
		errno = -rc;
		return NULL;
	}
	pool->layout = (struct sg_ipam_layout4){
		.base = base,
		.first = base + skip,
		.count = pool->slots.count,
		.slice = pool->slots.slice,
		.n_workers = (uint16_t)n_workers,
		.prefix_len = prefix_len,
	};
	return pool;
invalid:
	errno = EINVAL;
	return NULL;
}

void sg_ipam_pool4_free(struct sg_ipam_pool4 *pool)
{
	if (pool == NULL)
		return;
	ipam_slots_fini(&pool->slots);
	free(pool);
}

const struct sg_ipam_layout4 *sg_ipam_pool4_layout(const struct sg_ipam_pool4 *pool)
{
	return &pool->layout;
}

int sg_ipam_pool4_alloc(struct sg_ipam_pool4 *pool, unsigned int worker, uint32_t *addr)
{
	uint32_t slot;
	int rc = ipam_slots_alloc(&pool->slots, worker, &slot);

	if (rc == 0)
		*addr = pool->layout.first + slot;
	return rc;
}

static int addr_slot(const struct sg_ipam_pool4 *pool, uint32_t addr, uint32_t *slot)
{
	*slot = addr - pool->layout.first;
	return *slot < pool->layout.count ? 0 : -ERANGE;
}

int sg_ipam_pool4_reserve(struct sg_ipam_pool4 *pool, uint32_t addr)
{
	uint32_t slot;
	int rc = addr_slot(pool, addr, &slot);

	return rc < 0 ? rc : ipam_slots_take(&pool->slots, slot);
}

int sg_ipam_pool4_release(struct sg_ipam_pool4 *pool, uint32_t addr)
{
	uint32_t slot;
	int rc = addr_slot(pool, addr, &slot);

	return rc < 0 ? rc : ipam_slots_put(&pool->slots, slot);
}

struct sg_ipam_usage sg_ipam_pool4_usage(const struct sg_ipam_pool4 *pool, int worker)
{
	return ipam_slots_usage(&pool->slots, worker);
}
