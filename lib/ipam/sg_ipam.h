/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address pools: IPv4 host addresses and IPv6 delegated prefixes, partitioned per worker.
 *
 * Why partitioned: a LAN packet's owner worker (the one holding the session) must be
 * found from the inner destination address alone, on every packet, without a lookup.
 * Each worker owns one contiguous slice of every pool, so the owner is arithmetic:
 * sg_ipam_layout*_owner(). Addresses that do not come from a pool (RADIUS
 * Framed-IP-Address) are steered by a table the caller keeps; look there first.
 *
 * Threads: a pool (allocator state) belongs to the control core; nothing in it is
 * thread safe. A layout is an immutable value: copy it to workers and call the
 * owner functions from any thread.
 */
#ifndef SG_IPAM_H
#define SG_IPAM_H

#include <netinet/in.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SG_IPAM_MAX_WORKERS 128
/* Bound on slots per pool (bitmap memory: 2 MiB); larger IPv6 ranges use the first ones. */
#define SG_IPAM_MAX_SLOTS (1u << 24)

/* Immutable description of an IPv4 pool split among workers (host byte order). */
struct sg_ipam_layout4 {
	uint32_t base;	   /* network address of the pool prefix */
	uint32_t first;	   /* first usable address */
	uint32_t count;	   /* usable addresses */
	uint32_t slice;	   /* addresses per worker; the last worker also takes the remainder */
	uint16_t n_workers;
	uint8_t prefix_len;
};

/* Immutable description of an IPv6 prefix pool: /prefix_len split into /delegated_len. */
struct sg_ipam_layout6 {
	struct in6_addr base; /* pool prefix, host bits zero */
	uint32_t count;	      /* delegated prefixes in use (<= SG_IPAM_MAX_SLOTS) */
	uint32_t slice;
	uint16_t n_workers;
	uint8_t prefix_len;
	uint8_t delegated_len; /* e.g. 64: each session gets one /64 */
};

struct sg_ipam_pool4;
struct sg_ipam_pool6;

struct sg_ipam_usage {
	uint32_t size; /* usable slots in the pool */
	uint32_t used;
};

/*
 * Create an IPv4 pool over base/prefix_len (base in host byte order; host bits must
 * be zero) for n_workers. For prefixes up to /30 the network and broadcast addresses
 * are not handed out. Returns NULL and sets errno: EINVAL (bad prefix, host bits set,
 * n_workers 0 or > SG_IPAM_MAX_WORKERS, fewer usable addresses than workers), ENOMEM.
 */
struct sg_ipam_pool4 *sg_ipam_pool4_create(uint32_t base, uint8_t prefix_len, unsigned int n_workers);
void sg_ipam_pool4_free(struct sg_ipam_pool4 *pool);
const struct sg_ipam_layout4 *sg_ipam_pool4_layout(const struct sg_ipam_pool4 *pool);

/* Take a free address from worker's slice. 0, -ENOSPC (slice full), -EINVAL (worker). */
int sg_ipam_pool4_alloc(struct sg_ipam_pool4 *pool, unsigned int worker, uint32_t *addr);
/* Take this exact address (fixed per user). 0, -ERANGE (not usable in pool), -EEXIST. */
int sg_ipam_pool4_reserve(struct sg_ipam_pool4 *pool, uint32_t addr);
/* Give an address back. 0, -ERANGE, -ENOENT (was not taken). */
int sg_ipam_pool4_release(struct sg_ipam_pool4 *pool, uint32_t addr);
/* Whole pool (worker < 0) or one worker's slice. */
struct sg_ipam_usage sg_ipam_pool4_usage(const struct sg_ipam_pool4 *pool, int worker);

/* Worker owning addr (host byte order), or -1 when addr is not a usable pool address. */
static inline int sg_ipam_layout4_owner(const struct sg_ipam_layout4 *l, uint32_t addr)
{
	uint32_t idx = addr - l->first; /* wraps to a huge value below first */
	uint32_t w;

	if (idx >= l->count)
		return -1;
	w = idx / l->slice;
	return (int)(w < l->n_workers ? w : l->n_workers - 1u);
}

/*
 * Create an IPv6 pool that hands out /delegated_len prefixes from base/prefix_len.
 * Requires prefix_len < delegated_len <= 128 and delegated_len - prefix_len <= 32.
 * Errors as sg_ipam_pool4_create.
 */
struct sg_ipam_pool6 *sg_ipam_pool6_create(const struct in6_addr *base, uint8_t prefix_len,
					   uint8_t delegated_len, unsigned int n_workers);
void sg_ipam_pool6_free(struct sg_ipam_pool6 *pool);
const struct sg_ipam_layout6 *sg_ipam_pool6_layout(const struct sg_ipam_pool6 *pool);
int sg_ipam_pool6_alloc(struct sg_ipam_pool6 *pool, unsigned int worker, struct in6_addr *prefix);
int sg_ipam_pool6_reserve(struct sg_ipam_pool6 *pool, const struct in6_addr *prefix);
int sg_ipam_pool6_release(struct sg_ipam_pool6 *pool, const struct in6_addr *prefix);
struct sg_ipam_usage sg_ipam_pool6_usage(const struct sg_ipam_pool6 *pool, int worker);

/* Worker owning any address inside a delegated prefix of the pool, or -1. */
int sg_ipam_layout6_owner(const struct sg_ipam_layout6 *l, const struct in6_addr *addr);

#ifdef __cplusplus
}
#endif

#endif /* SG_IPAM_H */
