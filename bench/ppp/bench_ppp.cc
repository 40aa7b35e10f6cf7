// SPDX-License-Identifier: BSD-3-Clause
// Micro benchmarks for lib/ppp: the data path (frame decode to an offset, header
// for encode) on a negotiated session, and the async HDLC codec used for sstpc.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "sg_ppp.h"
#include "sg_ppp_crypto.h"
#include "sg_ppp_hdlc.h"

namespace
{

struct Side {
	sg_ppp_session *s = nullptr;
	sg_ppp_config cfg{};
	std::deque<std::vector<uint8_t>> out;
	bool pending = false;
	sg_ppp_auth_request rq{};
	std::vector<uint8_t> user, pass;
};

void on_action(void *arg, const sg_ppp_action *a)
{
	auto *h = static_cast<Side *>(arg);
	if (a->type == SG_PPP_ACT_SEND) {
		h->out.emplace_back(a->frame, a->frame + a->len);
	} else if (a->type == SG_PPP_ACT_AUTH_REQUEST) {
		h->pending = true;
		h->rq = *a->auth;
		h->user.assign(a->auth->user, a->auth->user + a->auth->user_len);
		h->pass.assign(a->auth->password, a->auth->password + a->auth->password_len);
	}
}

// A server and a peer negotiated with PAP in memory; returns false if not up.
bool negotiate(Side &srv, Side &cli, bool compress)
{
	srv.cfg.role = SG_PPP_ROLE_SERVER;
	srv.cfg.auth[0] = SG_PPP_AUTH_PAP;
	srv.cfg.local_ipv4 = 0xc0000201;
	srv.cfg.peer_ipv4 = 0xc000020a;
	srv.cfg.reject_pfc_acfc = !compress;
	cli.cfg.role = SG_PPP_ROLE_PEER;
	cli.cfg.user = "bench";
	cli.cfg.password = "bench";
	srv.s = sg_ppp_session_new(&srv.cfg, on_action, &srv);
	cli.s = sg_ppp_session_new(&cli.cfg, on_action, &cli);
	if (srv.s == nullptr || cli.s == nullptr)
		return false;
	sg_ppp_session_start(srv.s, 1);
	sg_ppp_session_start(cli.s, 1);
	for (int round = 0; round < 100; round++) {
		sg_ppp_packet pkt;
		bool moved = false;
		while (!srv.out.empty()) {
			auto f = srv.out.front();
			srv.out.pop_front();
			sg_ppp_session_input(cli.s, f.data(), f.size(), 1, &pkt);
			moved = true;
		}
		while (!cli.out.empty()) {
			auto f = cli.out.front();
			cli.out.pop_front();
			sg_ppp_session_input(srv.s, f.data(), f.size(), 1, &pkt);
			moved = true;
		}
		if (srv.pending) {
			sg_ppp_auth_result r{};
			r.seq = srv.rq.seq;
			r.accept = true;
			srv.pending = false;
			sg_ppp_session_auth_result(srv.s, &r, 1);
			moved = true;
		}
		if (!moved)
			break;
	}
	return sg_ppp_session_ipv4_open(srv.s) && sg_ppp_session_ipv4_open(cli.s);
}

void BM_ppp_data_decode(benchmark::State &st)
{
	Side srv, cli;
	if (!negotiate(srv, cli, st.range(0) != 0)) {
		st.SkipWithError("negotiation failed");
		return;
	}
	uint8_t frame[1404];
	int h = sg_ppp_session_data_header(cli.s, SG_PPP_PROTO_IPV4, frame);
	std::memset(frame + h, 0x45, 1400);
	size_t len = static_cast<size_t>(h) + 1400;
	sg_ppp_packet pkt;
	for (auto _ : st) {
		int rc = sg_ppp_session_input(srv.s, frame, len, 2, &pkt);
		benchmark::DoNotOptimize(rc);
		benchmark::DoNotOptimize(pkt);
	}
	st.SetItemsProcessed(st.iterations());
	sg_ppp_session_free(srv.s);
	sg_ppp_session_free(cli.s);
}
BENCHMARK(BM_ppp_data_decode)->Arg(0)->Arg(1);

void BM_ppp_data_encode(benchmark::State &st)
{
	Side srv, cli;
	if (!negotiate(srv, cli, st.range(0) != 0)) {
		st.SkipWithError("negotiation failed");
		return;
	}
	// Prepend the header in the headroom of a 1400-byte IPv4 packet.
	alignas(64) uint8_t buf[1500];
	std::memset(buf, 0x45, sizeof(buf));
	for (auto _ : st) {
		uint8_t hdr[SG_PPP_HDR_MAX];
		int n = sg_ppp_session_data_header(srv.s, SG_PPP_PROTO_IPV4, hdr);
		std::memcpy(buf + 64 - n, hdr, static_cast<size_t>(n));
		benchmark::DoNotOptimize(buf);
	}
	st.SetItemsProcessed(st.iterations());
	sg_ppp_session_free(srv.s);
	sg_ppp_session_free(cli.s);
}
BENCHMARK(BM_ppp_data_encode)->Arg(0)->Arg(1);

void BM_ppp_frame_parse(benchmark::State &st)
{
	uint8_t frame[64] = {0xff, 0x03, 0x00, 0x21, 0x45};
	for (auto _ : st) {
		uint16_t proto, off;
		int rc = sg_ppp_frame_parse(frame, sizeof(frame), &proto, &off);
		benchmark::DoNotOptimize(rc);
		benchmark::DoNotOptimize(proto);
		benchmark::DoNotOptimize(off);
	}
}
BENCHMARK(BM_ppp_frame_parse);

std::vector<uint8_t> sample_frame(size_t n)
{
	std::vector<uint8_t> f(n);
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = 0x00;
	f[3] = 0x21;
	uint32_t x = 12345;
	for (size_t i = 4; i < n; i++) {
		x = x * 1103515245u + 12345u;
		f[i] = static_cast<uint8_t>(x >> 16);
	}
	return f;
}

void BM_hdlc_encode(benchmark::State &st)
{
	auto f = sample_frame(static_cast<size_t>(st.range(0)));
	std::vector<uint8_t> out(sg_ppp_hdlc_encoded_max(f.size()));
	for (auto _ : st) {
		int n = sg_ppp_hdlc_encode(f.data(), f.size(), SG_HDLC_ACCM_ALL, out.data(),
					   out.size());
		benchmark::DoNotOptimize(n);
	}
	st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_hdlc_encode)->Arg(64)->Arg(1404);

void BM_hdlc_decode(benchmark::State &st)
{
	auto f = sample_frame(static_cast<size_t>(st.range(0)));
	std::vector<uint8_t> enc(sg_ppp_hdlc_encoded_max(f.size()));
	int n = sg_ppp_hdlc_encode(f.data(), f.size(), SG_HDLC_ACCM_ALL, enc.data(), enc.size());
	static sg_ppp_hdlc_decoder d;
	sg_ppp_hdlc_decoder_init(&d, 4000);
	for (auto _ : st) {
		size_t used;
		int r = sg_ppp_hdlc_decode(&d, enc.data(), static_cast<size_t>(n), &used);
		benchmark::DoNotOptimize(r);
	}
	st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_hdlc_decode)->Arg(64)->Arg(1404);

} // namespace

BENCHMARK_MAIN();
