/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The impairment stage (sg_impair.h) on DPDK mbuf bursts: the dup hook copies
 * an mbuf into a mempool, and one call runs an rx or tx burst through the
 * stage. Header only, so sg_impair itself needs no DPDK.
 */
#ifndef SG_IMPAIR_MBUF_H
#define SG_IMPAIR_MBUF_H

#include <rte_mbuf.h>

#include "sg_impair.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Dup hook: `arg` is the struct rte_mempool * the copies come from. */
static inline void *sg_impair_mbuf_dup(void *pkt, void *arg)
{
	return rte_pktmbuf_copy((const struct rte_mbuf *) pkt, (struct rte_mempool *) arg, 0,
				UINT32_MAX);
}

/*
 * Run the `n` mbufs of in[] through the stage at time `now`; the mbufs to
 * hand on (held ones that are due, then this burst's, duplicates behind
 * their originals) are written to out[] (up to `cap`; in and out must not
 * overlap) and their count is returned. Contract: the mbufs the stage drops
 * are freed here, explicitly, and counted in the stage's stats (dropped,
 * overflow); `*n_freed` (may be NULL) tells how many. Every other mbuf is
 * either in out[] or held in the stage (see sg_impair_drain()).
 */
static inline uint16_t sg_impair_mbuf_burst(struct sg_impair *im, struct rte_mbuf *const *in,
					    uint16_t n, struct rte_mbuf **out, uint16_t cap,
					    sg_usec_t now, uint16_t *n_freed)
{
	void *dropped[64];
	uint32_t n_out = 0, freed = 0, done = 0;

	do {
		uint32_t chunk = n - done > 64 ? 64 : n - done;
		uint32_t n_drop = 0;

		n_out += sg_impair_burst(im, (void *const *) (in + done), chunk, now,
					 (void **) (out + n_out), cap - n_out, dropped, &n_drop);
		if (n_drop > 0)
			rte_pktmbuf_free_bulk((struct rte_mbuf **) dropped, n_drop);
		freed += n_drop;
		done += chunk;
	} while (done < n);
	if (n_freed != NULL)
		*n_freed = (uint16_t) freed;
	return (uint16_t) n_out;
}

#ifdef __cplusplus
}
#endif

#endif /* SG_IMPAIR_MBUF_H */
