/* SPDX-License-Identifier: BSD-3-Clause */
#include "ipam_slots.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int slot_taken(const struct ipam_slots *s, uint32_t slot)
{
	return (s->bits[slot / 64] >> (slot % 64)) & 1;
}

int ipam_slots_init(struct ipam_slots *s, uint32_t count, unsigned int n_workers)
{
	memset(s, 0, sizeof(*s));
	if (n_workers == 0 || n_workers > SG_IPAM_MAX_WORKERS || count < n_workers ||
	    count > SG_IPAM_MAX_SLOTS)
		return -EINVAL;
	s->bits = calloc((count + 63) / 64, sizeof(uint64_t));
	if (s->bits == NULL)
		return -ENOMEM;
	s->count = count;
	s->n_workers = (uint16_t)n_workers;
	s->slice = count / n_workers;
	for (unsigned int w = 0; w < n_workers; w++)
		s->cursor[w] = w * s->slice;
	return 0;
}

void ipam_slots_fini(struct ipam_slots *s)
{
	free(s->bits);
	s->bits = NULL;
}

unsigned int ipam_slots_owner(const struct ipam_slots *s, uint32_t slot)
{
	uint32_t w = slot / s->slice;
	return w < s->n_workers ? w : s->n_workers - 1u;
}

static void slice_bounds(const struct ipam_slots *s, unsigned int w, uint32_t *lo, uint32_t *hi)
{
	*lo = w * s->slice;
	*hi = (w + 1u == s->n_workers) ? s->count : *lo + s->slice;
}

/* First free slot in [from, to), a 64-bit word at a time; UINT32_MAX when none. */
static uint32_t find_free(const struct ipam_slots *s, uint32_t from, uint32_t to)
{
	while (from < to) {
		uint64_t free_bits = ~s->bits[from / 64] >> (from % 64);

		if (free_bits != 0) {
			uint32_t i = from + (uint32_t)__builtin_ctzll(free_bits);
			return i < to ? i : UINT32_MAX;
		}
		from = (from / 64 + 1) * 64;
	}
	return UINT32_MAX;
}

int ipam_slots_alloc(struct ipam_slots *s, unsigned int worker, uint32_t *slot)
{
	uint32_t lo, hi, i;

	if (worker >= s->n_workers)
		return -EINVAL;
	slice_bounds(s, worker, &lo, &hi);
	if (s->used[worker] >= hi - lo)
		return -ENOSPC;
	/* Rotate from the cursor so a just-released address is not handed out again at once. */
	i = find_free(s, s->cursor[worker], hi);
	if (i == UINT32_MAX)
		i = find_free(s, lo, s->cursor[worker]);
	if (i == UINT32_MAX)
		return -ENOSPC; /* unreachable while used[] is exact */
	s->bits[i / 64] |= 1ULL << (i % 64);
	s->used[worker]++;
	s->cursor[worker] = (i + 1 < hi) ? i + 1 : lo;
	*slot = i;
	return 0;
}

int ipam_slots_take(struct ipam_slots *s, uint32_t slot)
{
	if (slot_taken(s, slot))
		return -EEXIST;
	s->bits[slot / 64] |= 1ULL << (slot % 64);
	s->used[ipam_slots_owner(s, slot)]++;
	return 0;
}

int ipam_slots_put(struct ipam_slots *s, uint32_t slot)
{
	if (!slot_taken(s, slot))
		return -ENOENT;
	s->bits[slot / 64] &= ~(1ULL << (slot % 64));
	s->used[ipam_slots_owner(s, slot)]--;
	return 0;
}

struct sg_ipam_usage ipam_slots_usage(const struct ipam_slots *s, int worker)
{
	struct sg_ipam_usage u = {0, 0};
	uint32_t lo, hi;

	if (worker < 0) {
		u.size = s->count;
		for (unsigned int w = 0; w < s->n_workers; w++)
			u.used += s->used[w];
	} else if ((unsigned int)worker < s->n_workers) {
		slice_bounds(s, (unsigned int)worker, &lo, &hi);
		u.size = hi - lo;
		u.used = s->used[worker];
	}
	return u;
}
