// SPDX-License-Identifier: BSD-3-Clause
// lib/sstp micro benchmarks: ns per SSTP data packet decode+encode (64 and 1400
// byte PPP frames), per control packet decode, per data packet through the
// server state machine, and per CONNECTED compound MAC.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "sg_sstp.h"

static std::vector<uint8_t> data_packet(size_t frame_len)
{
	std::vector<uint8_t> p(frame_len + SG_SSTP_HDR_LEN);
	sg_sstp_data_hdr_write(p.data(), frame_len);
	p[4] = 0xff;
	p[5] = 0x03;
	p[6] = 0x00;
	p[7] = 0x21;
	return p;
}

// Deframe + decode a data packet, then encode the header of the reply packet.
static void BM_DataDecodeEncode(benchmark::State &state)
{
	size_t frame_len = (size_t) state.range(0);
	std::vector<uint8_t> in = data_packet(frame_len);
	static struct sg_sstp_deframer d;
	uint8_t hdr[SG_SSTP_HDR_LEN];

	sg_sstp_deframer_init(&d);
	for (auto _ : state) {
		const uint8_t *pkt, *frame;
		size_t plen, flen;
		int n = sg_sstp_deframer_feed(&d, in.data(), in.size(), &pkt, &plen);
		int rc = sg_sstp_data_decode(pkt, plen, &frame, &flen);
		rc |= sg_sstp_data_hdr_write(hdr, flen);
		benchmark::DoNotOptimize(n);
		benchmark::DoNotOptimize(rc);
		benchmark::DoNotOptimize(hdr);
	}
	state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DataDecodeEncode)->Arg(64)->Arg(1400);

static void BM_ControlDecode(benchmark::State &state)
{
	uint8_t msg[SG_SSTP_CONNECTED_LEN], nonce[32] = {1}, hash[32] = {2}, mac[32] = {3};
	int len = state.range(0) == 0
		      ? sg_sstp_encode_connected(msg, sizeof(msg), 2, nonce, hash, mac)
		      : sg_sstp_encode_empty(msg, sizeof(msg), SG_SSTP_MSG_ECHO_REQUEST);
	struct sg_sstp_ctrl c;

	for (auto _ : state) {
		int rc = sg_sstp_ctrl_decode(msg, (size_t) len, &c);
		benchmark::DoNotOptimize(rc);
		benchmark::DoNotOptimize(c);
	}
	state.SetLabel(state.range(0) == 0 ? "CONNECTED" : "ECHO_REQUEST");
	state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ControlDecode)->Arg(0)->Arg(1);

// A data packet through sg_sstp_server_rx in the CONNECTED state.
static void BM_ServerRxData(benchmark::State &state)
{
	static const uint8_t cert[] = "bench certificate";
	static const char req[] = "SSTP_DUPLEX_POST " SG_SSTP_HTTP_PATH " HTTP/1.1\r\nHost: b\r\n"
				  "Content-Length: 18446744073709551615\r\n\r\n";
	static struct sg_sstp_server_config cfg;
	static struct sg_sstp_server s;
	static struct sg_sstp_result r;
	static const uint8_t zeros[32] = {};
	uint8_t buf[SG_SSTP_CONNECTED_LEN], ch[32];
	std::vector<uint8_t> in = data_packet((size_t) state.range(0));

	sg_sstp_server_config_init(&cfg);
	sg_sstp_server_config_set_cert(&cfg, cert, sizeof(cert));
	sg_sstp_server_init(&s, &cfg, nullptr, 0);
	sg_sstp_server_rx(&s, (const uint8_t *) req, strlen(req), 0, &r);
	int n = sg_sstp_encode_connect_request(buf, sizeof(buf), SG_SSTP_ENCAP_PPP);
	sg_sstp_server_rx(&s, buf, (size_t) n, 0, &r);
	sg_sstp_server_auth_done(&s, nullptr, 0, &r);
	sg_sstp_cert_hash(SG_SSTP_HASH_SHA256, cert, sizeof(cert), ch);
	sg_sstp_encode_connected(buf, sizeof(buf), SG_SSTP_HASH_SHA256, s.nonce, ch, zeros);
	sg_sstp_connected_sign(buf, zeros);
	sg_sstp_server_rx(&s, buf, sizeof(buf), 0, &r);
	if (sg_sstp_server_state(&s) != SG_SSTP_ST_CONNECTED) {
		state.SkipWithError("handshake failed");
		return;
	}
	for (auto _ : state) {
		int m = sg_sstp_server_rx(&s, in.data(), in.size(), 1, &r);
		benchmark::DoNotOptimize(m);
		benchmark::DoNotOptimize(r.ppp);
	}
	state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ServerRxData)->Arg(64)->Arg(1400);

static void BM_CompoundMacVerify(benchmark::State &state)
{
	uint8_t msg[SG_SSTP_CONNECTED_LEN], nonce[32] = {1}, hash[32] = {2}, mac[32] = {};
	uint8_t hlak[32] = {7};
	uint8_t proto = (uint8_t) state.range(0);

	sg_sstp_encode_connected(msg, sizeof(msg), proto, nonce, hash, mac);
	sg_sstp_connected_sign(msg, hlak);
	for (auto _ : state) {
		int rc = sg_sstp_connected_verify(msg, hlak);
		benchmark::DoNotOptimize(rc);
	}
	state.SetLabel(proto == SG_SSTP_HASH_SHA1 ? "SHA1" : "SHA256");
}
BENCHMARK(BM_CompoundMacVerify)->Arg(SG_SSTP_HASH_SHA1)->Arg(SG_SSTP_HASH_SHA256);

BENCHMARK_MAIN();
