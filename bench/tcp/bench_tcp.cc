// SPDX-License-Identifier: BSD-3-Clause
// lib/tcp micro benchmarks: CPU cost per received in-order data segment and
// per sent segment on one core (software checksums and checksum offload).
// Reported as ns/segment (Google Benchmark time per item) and TSC cycles.
#include <benchmark/benchmark.h>

#include "bench_tcp_env.h"

static void run(benchmark::State &state, bool rx)
{
	if (bench_tcp_setup((int) state.range(0)) != 0) {
		state.SkipWithError("setup failed");
		return;
	}
	const unsigned batch = 32;
	uint64_t segs = 0, cycles = 0;
	for (auto _ : state) {
		uint64_t t0 = bench_tcp_rdtsc();
		if (rx)
			bench_tcp_rx(batch);
		else
			bench_tcp_tx(batch);
		cycles += bench_tcp_rdtsc() - t0;
		segs += batch;
	}
	bench_tcp_teardown();
	state.SetItemsProcessed((int64_t) segs);
	state.SetBytesProcessed((int64_t) segs * 1448);
	state.counters["cycles_per_seg"] = segs ? (double) cycles / (double) segs : 0;
	state.counters["tsc_ghz"] = (double) bench_tcp_tsc_hz() / 1e9;
}

// Includes building the input packet (header + 1448 B payload memset) and
// the consumer freeing the delivered mbuf.
static void BM_tcp_rx_inorder_segment(benchmark::State &state)
{
	run(state, true);
}
// Includes allocating the consumer's mbuf and one ACK input per 32 segments.
static void BM_tcp_tx_segment(benchmark::State &state)
{
	run(state, false);
}

BENCHMARK(BM_tcp_rx_inorder_segment)->ArgName("cksum_offload")->Arg(0)->Arg(1);
BENCHMARK(BM_tcp_tx_segment)->ArgName("cksum_offload")->Arg(0)->Arg(1);
BENCHMARK_MAIN();
