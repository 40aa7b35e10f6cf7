/* SPDX-License-Identifier: BSD-3-Clause */
/* C side of the lib/tcp micro benchmark (called from the C++ shim). */
#ifndef BENCH_TCP_ENV_H
#define BENCH_TCP_ENV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* EAL (unprivileged), pools, a stack with one established IPv4 connection.
 * cksum_offload: rx packets carry L4_CKSUM_GOOD and tx uses offload flags.
 * Returns 0 or -1. */
int bench_tcp_setup(int cksum_offload);
void bench_tcp_teardown(void);

/* Feed `n` in-order 1448-byte data segments (delivered to the consumer). */
void bench_tcp_rx(unsigned n);
/* Queue and send `n` 1448-byte segments (ACKs fed back every 32). */
void bench_tcp_tx(unsigned n);
/* Packets the stack transmitted so far. */
uint64_t bench_tcp_tx_count(void);
uint64_t bench_tcp_rdtsc(void);
uint64_t bench_tcp_tsc_hz(void);

#ifdef __cplusplus
}
#endif

#endif
