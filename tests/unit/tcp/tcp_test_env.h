/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared helpers for the lib/tcp unit tests: unprivileged EAL and pools. */
#ifndef TCP_TEST_ENV_H
#define TCP_TEST_ENV_H

#include <stdint.h>

struct rte_mempool;

/* rte_eal_init with --no-huge --no-pci --no-shconf (works as non-root).
 * Returns 0 or -1. Safe to call more than once. */
int tcp_test_eal_init(void);

/* A pktmbuf pool without per-lcore cache (so leaks show in the counts). */
struct rte_mempool *tcp_test_pool(const char *name, unsigned n, uint16_t data_room);

/* Environment knobs: integer value of `name`, or `def` when unset. */
long tcp_test_env(const char *name, long def);

/* True when built with AddressSanitizer (reduced sizes there). */
int tcp_test_sanitized(void);

#endif
