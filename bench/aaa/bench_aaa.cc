// SPDX-License-Identifier: BSD-3-Clause
// lib/aaa codec micro benchmarks: what the control core pays per RADIUS authentication
// (encode + sign an Access-Request; verify + parse an Access-Accept with MPPE keys).
// The end-to-end rate against FreeRADIUS is bench/aaa/radius-bench.sh; through the
// gateway's control core, bench/aaa/ctl-auth-bench.sh.
// BM_radius_poll / BM_radius_submit_cancel: the client's bookkeeping with N requests in
// flight to a silent server on loopback (what one control-loop poll and one new request
// cost while thousands wait: the deadline structure, not the network).
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "sg_aaa.h"
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

// A client with n PAP requests in flight to a UDP socket that never answers.
struct silent_client {
	int fd = -1;
	struct sg_aaa_radius *r = nullptr;
	struct sg_aaa_auth_req rq;

	explicit silent_client(unsigned n)
	{
		struct sockaddr_in a = {};
		socklen_t al = sizeof(a);
		struct sg_aaa_radius_opts o;

		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0 ||
		    getsockname(fd, (struct sockaddr *) &a, &al) != 0)
			return;
		memset(&o, 0, sizeof(o));
		o.servers[0].addr.ss_family = AF_INET;
		((struct sockaddr_in *) &o.servers[0].addr)->sin_addr = a.sin_addr;
		o.servers[0].auth_port = ntohs(a.sin_port);
		snprintf(o.servers[0].secret, sizeof(o.servers[0].secret), "bench-secret");
		o.n_servers = 1;
		o.timeout = 1000 * SG_USEC_PER_SEC; /* nothing expires during the benchmark */
		o.max_inflight = n + 1;
		r = sg_aaa_radius_create(&o);
		memset(&rq, 0, sizeof(rq));
		rq.method = SG_AAA_PAP;
		snprintf(rq.user, sizeof(rq.user), "alice");
		snprintf(rq.password, sizeof(rq.password), "wonderland");
		for (unsigned i = 0; r != nullptr && i < n; i++) {
			/* spread the deadlines: later submissions expire later */
			if (sg_aaa_radius_auth(r, &rq, i, nullptr, nullptr) < 0) {
				sg_aaa_radius_destroy(r);
				r = nullptr;
			}
			drain();
		}
	}
	void drain()
	{
		char b[64];

		while (recv(fd, b, sizeof(b), 0) > 0)
			;
	}
	~silent_client()
	{
		sg_aaa_radius_destroy(r);
		if (fd >= 0)
			close(fd);
	}
};

static void BM_radius_poll(benchmark::State &st)
{
	silent_client c((unsigned) st.range(0));

	if (c.r == nullptr) {
		st.SkipWithError("client");
		return;
	}
	for (auto _ : st)
		benchmark::DoNotOptimize(sg_aaa_radius_poll(c.r, 1000));
	st.counters["inflight"] = (double) sg_aaa_radius_inflight(c.r);
}
BENCHMARK(BM_radius_poll)->Arg(8)->Arg(256)->Arg(4096)->Arg(8191);

static void BM_radius_submit_cancel(benchmark::State &st)
{
	silent_client c((unsigned) st.range(0));
	uint64_t i = 0;

	if (c.r == nullptr) {
		st.SkipWithError("client");
		return;
	}
	for (auto _ : st) {
		int h = sg_aaa_radius_auth(c.r, &c.rq, 5000 + (i++ % 1000), nullptr, nullptr);

		if (h < 0) {
			st.SkipWithError("submit");
			break;
		}
		sg_aaa_radius_cancel(c.r, (uint32_t) h);
		if ((i & 255) == 0)
			c.drain();
	}
}
BENCHMARK(BM_radius_submit_cancel)->Arg(8)->Arg(256)->Arg(4096)->Arg(8191);

BENCHMARK_MAIN();
