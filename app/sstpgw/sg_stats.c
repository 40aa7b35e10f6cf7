/* SPDX-License-Identifier: BSD-3-Clause */
#include "sg_stats.h"

#include <assert.h>
#include <string.h>

static_assert(SG_DROP_ETH_TRUNCATED == SG_NET_DROP_ETH_TRUNCATED - 1, "net drops first");
static_assert(SG_DROP_CHAINED_MBUF == SG_NET_DROP_CHAINED_MBUF - 1, "net drops in order");
static_assert(SG_DROP_CHAINED_MBUF + 1 == SG_DROP_TCP_NO_LISTENER, "then the daemon's");
static_assert(sizeof(struct sg_stats) % SG_STATS_CACHE_LINE == 0, "one record per line(s)");

static const char *const ctr_names[SG_CTR_COUNT] = {
#define SG_CTR_NAME_(id, name) [SG_CTR_##id] = name,
    SG_COUNTERS(SG_CTR_NAME_)
#undef SG_CTR_NAME_
};

static const char *const drop_names[SG_DROP_COUNT] = {
#define SG_DROP_NAME_(id, name) [SG_DROP_##id] = name,
    SG_DROPS(SG_DROP_NAME_)
#undef SG_DROP_NAME_
};

const char *sg_stats_counter_name(enum sg_counter c)
{
	return (unsigned int) c < SG_CTR_COUNT ? ctr_names[c] : "?";
}

const char *sg_stats_drop_name(enum sg_drop d)
{
	return (unsigned int) d < SG_DROP_COUNT ? drop_names[d] : "?";
}

void sg_stats_read(const struct sg_stats *s, struct sg_stats *out)
{
	unsigned int i;

	for (i = 0; i < SG_CTR_COUNT; i++)
		out->ctr[i] = __atomic_load_n(&s->ctr[i], __ATOMIC_RELAXED);
	for (i = 0; i < SG_DROP_COUNT; i++)
		out->drop[i] = __atomic_load_n(&s->drop[i], __ATOMIC_RELAXED);
}

void sg_stats_sum(const struct sg_stats *per_core, const unsigned int *idx, unsigned int n,
		  struct sg_stats *total)
{
	unsigned int k, i;

	memset(total, 0, sizeof(*total));
	for (k = 0; k < n; k++) {
		struct sg_stats one;
		sg_stats_read(&per_core[idx[k]], &one);
		for (i = 0; i < SG_CTR_COUNT; i++)
			total->ctr[i] += one.ctr[i];
		for (i = 0; i < SG_DROP_COUNT; i++)
			total->drop[i] += one.drop[i];
	}
}

uint64_t sg_stats_drops_total(const struct sg_stats *s)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < SG_DROP_COUNT; i++)
		sum += s->drop[i];
	return sum;
}
