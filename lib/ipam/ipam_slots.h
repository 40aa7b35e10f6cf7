/* SPDX-License-Identifier: BSD-3-Clause */
/* A bitmap of numbered slots split into per-worker slices: the allocator both pools share. */
#ifndef SG_IPAM_SLOTS_H
#define SG_IPAM_SLOTS_H

#include <stdint.h>

#include "sg_ipam.h"

struct ipam_slots {
	uint64_t *bits; /* 1 = taken */
	uint32_t count;
	uint32_t slice; /* slots per worker; the last worker also takes count % n_workers */
	uint16_t n_workers;
	uint32_t cursor[SG_IPAM_MAX_WORKERS]; /* next slot to try, so allocation rotates */
	uint32_t used[SG_IPAM_MAX_WORKERS];
};

int ipam_slots_init(struct ipam_slots *s, uint32_t count, unsigned int n_workers);
void ipam_slots_fini(struct ipam_slots *s);
unsigned int ipam_slots_owner(const struct ipam_slots *s, uint32_t slot);
/* Lowest free slot at or after the worker's cursor, wrapping in its slice; -ENOSPC. */
int ipam_slots_alloc(struct ipam_slots *s, unsigned int worker, uint32_t *slot);
int ipam_slots_take(struct ipam_slots *s, uint32_t slot); /* 0 or -EEXIST */
int ipam_slots_put(struct ipam_slots *s, uint32_t slot);  /* 0 or -ENOENT */
struct sg_ipam_usage ipam_slots_usage(const struct ipam_slots *s, int worker);

#endif
