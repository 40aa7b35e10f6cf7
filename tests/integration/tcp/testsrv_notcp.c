/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv without lib/tcp (built while lib/tcp is not there): only the
 * L2 (ARP/ND) and raw modes work; TCP frames are counted and freed.
 */
#include <stdio.h>

#include "testsrv.h"

int srv_app_init(struct srv *s)
{
	if (s->connect || s->mode != SRV_SINK) {
		fprintf(stderr, "testsrv: built without lib/tcp\n");
		return -1;
	}
	fprintf(stderr, "testsrv: built without lib/tcp: TCP frames are dropped\n");
	return 0;
}

void srv_app_input(struct srv *s, struct rte_mbuf **pkts, uint16_t n)
{
	(void) s;
	rte_pktmbuf_free_bulk(pkts, n);
}

void srv_app_poll(struct srv *s)
{
	(void) s;
}

void srv_app_print_stats(struct srv *s)
{
	(void) s;
}

void srv_app_fini(struct srv *s)
{
	(void) s;
}
