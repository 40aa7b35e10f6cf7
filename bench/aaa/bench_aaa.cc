// SPDX-License-Identifier: BSD-3-Clause
// lib/aaa codec micro benchmarks: what the control core pays per RADIUS authentication
// (encode + sign an Access-Request; verify + parse an Access-Accept with MPPE keys).
// The end-to-end rate against FreeRADIUS is bench/aaa/radius-bench.sh.
#include <benchmark/benchmark.h>

#include <cstring>

#include "sg_aaa_codec.h"

static const uint8_t secret[] = "bench-secret";
static const size_t slen = sizeof(secret) - 1;

static void BM_access_request_pap(benchmark::State &st)
{
	struct sg_aaa_pkt p;
	uint8_t auth[16] = {1, 2, 3};

	for (auto _ : st) {
		sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_REQUEST, 7, auth);
		sg_aaa_pkt_add_msg_auth(&p);
		sg_aaa_pkt_add_str(&p, SG_RADIUS_USER_NAME, "alice");
		sg_aaa_pkt_add_password(&p, "wonderland", 10, secret, slen);
		sg_aaa_pkt_add_str(&p, SG_RADIUS_NAS_IDENTIFIER, "sstpgw");
		sg_aaa_pkt_add_str(&p, SG_RADIUS_CALLING_STATION_ID, "198.51.100.7:40000");
		sg_aaa_pkt_sign_request(&p, secret, slen);
		benchmark::DoNotOptimize(p.buf[p.ma_off]);
	}
}
BENCHMARK(BM_access_request_pap);

static void BM_accept_verify_parse_mppe(benchmark::State &st)
{
	static struct sg_aaa_pkt p;
	static struct sg_aaa_result res;
	uint8_t ra[16] = {9, 9, 9}, key[16] = {4, 5, 6}, enc[64];
	uint32_t ip = 0x0a00020c;
	size_t len;
	int n;

	sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, 7, NULL);
	sg_aaa_pkt_add_msg_auth(&p);
	sg_aaa_pkt_add(&p, SG_RADIUS_FRAMED_IP_ADDRESS, &ip, 4);
	sg_aaa_pkt_add_u32(&p, SG_RADIUS_SESSION_TIMEOUT, 3600);
	sg_aaa_pkt_add_str(&p, SG_RADIUS_CLASS, "class");
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), key, 16, 0x8001, secret, slen, ra);
	sg_aaa_pkt_add_vsa(&p, SG_RADIUS_VENDOR_MICROSOFT, SG_RADIUS_MS_MPPE_RECV_KEY, enc, n);
	n = sg_aaa_radius_mppe_encrypt(enc, sizeof(enc), key, 16, 0x8002, secret, slen, ra);
	sg_aaa_pkt_add_vsa(&p, SG_RADIUS_VENDOR_MICROSOFT, SG_RADIUS_MS_MPPE_SEND_KEY, enc, n);
	sg_aaa_pkt_sign_reply(&p, ra, secret, slen);
	for (auto _ : st) {
		if (sg_aaa_radius_check(p.buf, p.len, &len) != SG_AAA_DROP_NONE ||
		    sg_aaa_radius_verify_reply(p.buf, len, ra, secret, slen, true) !=
			SG_AAA_DROP_NONE ||
		    sg_aaa_radius_reply_parse(p.buf, len, ra, secret, slen, &res) !=
			SG_AAA_DROP_NONE) {
			st.SkipWithError("reply did not verify");
			break;
		}
		benchmark::DoNotOptimize(res.hlak[0]);
	}
}
BENCHMARK(BM_accept_verify_parse_mppe);

BENCHMARK_MAIN();
