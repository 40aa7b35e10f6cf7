// SPDX-License-Identifier: BSD-3-Clause
// The gateway's whole per-packet path in memory, one real call set up first: a client stack
// (lib/tls client, lib/sstp client, lib/ppp peer) and the gateway side (lib/tls server,
// lib/tunnel, lib/aaa local users, crypto binding with the real certificate's hash).
//   BM_gw_upstream/N:   one client record in: TLS decrypt -> SSTP -> PPP -> inner IPv4 out
//   BM_gw_downstream/N: one inner IPv4 packet in: SSTP+PPP header -> TLS encrypt -> bytes out
//   BM_gw_upstream_seg1448/N: upstream with the stream cut into 1448-byte TCP segments
//   BM_gw_*_openssl/N:  the same through OpenSSL's record layer (sg_tls_conf.openssl_records)
//   BM_evp_aes_128_gcm/N: the ceiling on the same bytes, in the same run (one record per
//                         iteration: new nonce, encrypt, tag; CPU time like the rest)
// N is the inner packet size. Compare bytes_per_second of each BM_gw_* with BM_evp_* at N.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include "sg_aaa.h"
#include "sg_ppp.h"
#include "sg_sstp.h"
#include "sg_tls.h"
#include "sg_tunnel.h"

namespace {

const char kSuite[] = "TLS_AES_128_GCM_SHA256";

struct call {
	// gateway side
	sg_tls_ctx *sctx = nullptr;
	sg_tls_conn *srv = nullptr;
	sg_sstp_server_config sscfg{};
	sg_ppp_config spcfg{};
	sg_tunnel_config tcfg{};
	sg_tunnel *t = nullptr;
	sg_aaa_local *users = nullptr;
	bool open = false;
	size_t ips = 0, ip_bytes = 0;
	// client side
	sg_tls_ctx *cctx = nullptr;
	sg_tls_conn *cli = nullptr;
	sg_sstp_client_config cscfg{};
	sg_sstp_client sc{};
	sg_ppp_config cpcfg{};
	sg_ppp_session *ppp = nullptr;
	bool sstp_started = false, client_up = false;
	size_t client_ips = 0;

	// openssl_records: application data through OpenSSL's record layer (the "before").
	explicit call(bool openssl_records = false)
	{
		char tmpl[] = "/tmp/sg-bench-path.XXXXXX", err[256];
		std::string dir = mkdtemp(tmpl), cert = dir + "/c.pem", key = dir + "/k.pem";
		EVP_PKEY *k = EVP_EC_gen("P-256");
		X509 *x = X509_new();
		X509_set_pubkey(x, k);
		X509_gmtime_adj(X509_getm_notBefore(x), 0);
		X509_gmtime_adj(X509_getm_notAfter(x), 3600);
		X509_sign(x, k, EVP_sha256());
		FILE *f = fopen(cert.c_str(), "w");
		PEM_write_X509(f, x);
		fclose(f);
		f = fopen(key.c_str(), "w");
		PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr);
		fclose(f);
		X509_free(x);
		EVP_PKEY_free(k);
		sg_tls_conf sconf{};
		sconf.role = SG_TLS_SERVER;
		sconf.certificate = cert.c_str();
		sconf.key = key.c_str();
		sconf.ciphersuites = kSuite;
		sconf.openssl_records = openssl_records;
		sctx = sg_tls_ctx_create(&sconf, err, sizeof(err));
		sg_tls_conf cconf{};
		cconf.role = SG_TLS_CLIENT;
		cconf.ciphersuites = kSuite;
		cconf.openssl_records = openssl_records;
		cctx = sg_tls_ctx_create(&cconf, err, sizeof(err));
		unlink(cert.c_str());
		unlink(key.c_str());
		rmdir(dir.c_str());
		if (!sctx || !cctx)
			abort();

		static const char ujson[] = "[{\"name\": \"alice\", \"password\": \"pw\"}]";
		users = sg_aaa_local_parse("users.json", ujson, sizeof(ujson) - 1, err, sizeof(err));
		sg_sstp_server_config_init(&sscfg);
		sg_tls_ctx_cert_hash(sctx, SG_TLS_HASH_SHA256, sscfg.cert_hash_sha256);
		sg_tls_ctx_cert_hash(sctx, SG_TLS_HASH_SHA1, sscfg.cert_hash_sha1);
		sscfg.cert_hash_set = true;
		spcfg.role = SG_PPP_ROLE_SERVER;
		spcfg.local_ipv4 = 0xcb007101;
		spcfg.disable_ipv6 = true;
		tcfg.sstp = &sscfg;
		tcfg.ppp = &spcfg;
		t = static_cast<sg_tunnel *>(calloc(1, sg_tunnel_size()));
		if (!users || !t || sg_tunnel_init(t, &tcfg, on_tunnel, this, 0) != 0)
			abort();
		sg_tunnel_set_peer_ipv4(t, 0xcb007142);

		cpcfg.role = SG_PPP_ROLE_PEER;
		cpcfg.user = "alice";
		cpcfg.password = "pw";
		cpcfg.disable_ipv6 = true;
		ppp = sg_ppp_session_new(&cpcfg, on_ppp, this);
		srv = sg_tls_conn_new(sctx);
		cli = sg_tls_conn_new(cctx);
		for (int i = 0; i < 50 && !(open && client_up); i++) {
			move(cli, srv, &call::srv_plain);
			move(srv, cli, &call::cli_plain);
		}
		if (!(open && client_up))
			abort(); // the call must be up before anything is timed
		if (sg_tls_conn_fast(srv) != !openssl_records || sg_tls_conn_fast(cli) != !openssl_records)
			abort(); // measuring the record layer we say we measure
	}
	~call()
	{
		sg_tunnel_fini(t);
		free(t);
		sg_ppp_session_free(ppp);
		if (sstp_started)
			sg_sstp_client_fini(&sc);
		sg_tls_conn_free(srv);
		sg_tls_conn_free(cli);
		sg_tls_ctx_free(sctx);
		sg_tls_ctx_free(cctx);
		sg_aaa_local_free(users);
	}

	void move(sg_tls_conn *from, sg_tls_conn *to, void (*fn)(void *, const uint8_t *, size_t))
	{
		size_t len;
		const uint8_t *p;
		while ((p = sg_tls_conn_out_peek(from, &len)) != nullptr && len > 0) {
			sg_tls_conn_input(to, p, len, fn, this);
			sg_tls_conn_out_consume(from, len);
		}
		if (to == cli && !sstp_started && sg_tls_conn_established(cli)) {
			sg_sstp_result r;
			sg_sstp_client_config_init(&cscfg, "gw.example");
			sg_tls_conn_peer_cert_hash(cli, SG_TLS_HASH_SHA256, cscfg.cert_hash_sha256);
			sg_tls_conn_peer_cert_hash(cli, SG_TLS_HASH_SHA1, cscfg.cert_hash_sha1);
			cscfg.cert_hash_set = true;
			sstp_started = sg_sstp_client_start(&sc, &cscfg, nullptr, 0, &r) == 0;
			client_apply(&r);
		}
	}

	// gateway side
	static void srv_plain(void *arg, const uint8_t *p, size_t len)
	{
		auto *c = static_cast<call *>(arg);
		sg_tunnel_input(c->t, p, len, 0);
	}
	static void on_tunnel(void *arg, const sg_tunnel_event *ev)
	{
		auto *c = static_cast<call *>(arg);
		sg_aaa_result res;
		switch (ev->type) {
		case SG_TUNNEL_EV_SEND:
			sg_tls_conn_write(c->srv, ev->data, ev->len);
			break;
		case SG_TUNNEL_EV_AUTH:
			if (sg_aaa_local_auth(c->users, ev->auth, &res) == 0) {
				sg_tunnel_auth_result(c->t, &res, 0);
				sg_aaa_result_wipe(&res);
			}
			break;
		case SG_TUNNEL_EV_OPEN:
			c->open = true;
			break;
		case SG_TUNNEL_EV_IP:
			c->ips++;
			c->ip_bytes += ev->len;
			break;
		default:
			break;
		}
	}

	// client side
	static void cli_plain(void *arg, const uint8_t *p, size_t len)
	{
		auto *c = static_cast<call *>(arg);
		while (len > 0 && c->sstp_started) {
			sg_sstp_result r;
			int n = sg_sstp_client_rx(&c->sc, p, len, 0, &r);
			c->client_apply(&r);
			if (n <= 0)
				return;
			p += n;
			len -= static_cast<size_t>(n);
		}
	}
	void client_apply(const sg_sstp_result *r)
	{
		sg_ppp_packet pkt;
		if (r->actions & SG_SSTP_ACT_SEND)
			sg_tls_conn_write(cli, r->tx, r->tx_len);
		if (r->actions & SG_SSTP_ACT_PPP_START)
			sg_ppp_session_start(ppp, 0);
		if ((r->actions & SG_SSTP_ACT_PPP_INPUT) &&
		    sg_ppp_session_input(ppp, r->ppp, r->ppp_len, 0, &pkt) == SG_PPP_INPUT_IPV4)
			client_ips++;
	}
	static void on_ppp(void *arg, const sg_ppp_action *a)
	{
		auto *c = static_cast<call *>(arg);
		uint8_t hdr[SG_SSTP_HDR_LEN], hlak[32] = {0};
		sg_sstp_result r;
		switch (a->type) {
		case SG_PPP_ACT_SEND:
			if (sg_sstp_client_ppp_tx(&c->sc, a->frame, a->len, hdr) == 0) {
				struct iovec iov[2] = {{hdr, sizeof(hdr)},
						       {const_cast<uint8_t *>(a->frame), a->len}};
				sg_tls_conn_writev(c->cli, iov, 2);
			}
			break;
		case SG_PPP_ACT_AUTH_UP:
			if (a->info->has_keys) {
				memcpy(hlak, a->info->send_key, 16);
				memcpy(hlak + 16, a->info->recv_key, 16);
			}
			if (sg_sstp_client_auth_done(&c->sc, hlak, 0, &r) == 0)
				c->client_apply(&r);
			break;
		case SG_PPP_ACT_IPCP_UP:
			c->client_up = true;
			break;
		default:
			break;
		}
	}

	// One client data frame carrying an inner IPv4 packet of n bytes, as SSTP plaintext.
	std::vector<uint8_t> client_frame(size_t n)
	{
		std::vector<uint8_t> f(SG_SSTP_HDR_LEN + SG_PPP_HDR_MAX + n);
		uint8_t ph[SG_PPP_HDR_MAX], hdr[SG_SSTP_HDR_LEN];
		int h = sg_ppp_session_data_header(ppp, SG_PPP_PROTO_IPV4, ph);
		memcpy(f.data() + SG_SSTP_HDR_LEN, ph, static_cast<size_t>(h));
		uint8_t *ip = f.data() + SG_SSTP_HDR_LEN + h;
		memset(ip, 0x5a, n);
		ip[0] = 0x45;
		ip[2] = static_cast<uint8_t>(n >> 8);
		ip[3] = static_cast<uint8_t>(n);
		sg_sstp_client_ppp_tx(&sc, f.data() + SG_SSTP_HDR_LEN, static_cast<size_t>(h) + n, hdr);
		memcpy(f.data(), hdr, SG_SSTP_HDR_LEN);
		f.resize(SG_SSTP_HDR_LEN + static_cast<size_t>(h) + n);
		return f;
	}
};

// The timed bodies, kept out of line so a profiler can count exactly them
// (valgrind --tool=callgrind --toggle-collect='*up_one*' or '*down_one*').
__attribute__((noinline)) void up_one(call &c, const uint8_t *rec, size_t len)
{
	sg_tls_conn_input(c.srv, rec, len, &call::srv_plain, &c);
}

__attribute__((noinline)) void down_one(call &c, uint8_t *buf, size_t n)
{
	uint8_t hdr[SG_TUNNEL_HDR_MAX];
	size_t len;
	int h = sg_tunnel_data_header(c.t, SG_PPP_PROTO_IPV4, n, hdr);
	uint8_t *p = buf + SG_TUNNEL_HDR_MAX - h; // headroom, as the gateway does
	memcpy(p, hdr, static_cast<size_t>(h));
	sg_tls_conn_write(c.srv, p, static_cast<size_t>(h) + n);
	sg_tls_conn_out_peek(c.srv, &len);
	sg_tls_conn_out_consume(c.srv, len);
}

void gw_upstream(benchmark::State &state, bool openssl_records)
{
	call c(openssl_records);
	const size_t n = static_cast<size_t>(state.range(0));
	std::vector<uint8_t> frame = c.client_frame(n), stream;
	const int batch = 256;
	int left = 0;
	size_t rec = 0, done = 0;
	// TLS records carry sequence numbers: encrypt a batch of distinct ones outside the timing.
	for (auto _ : state) {
		if (left == 0) {
			state.PauseTiming();
			for (int i = 0; i < batch; i++)
				sg_tls_conn_write(c.cli, frame.data(), frame.size());
			size_t len;
			const uint8_t *q = sg_tls_conn_out_peek(c.cli, &len);
			stream.assign(q, q + len);
			sg_tls_conn_out_consume(c.cli, len);
			rec = stream.size() / batch;
			left = batch;
			state.ResumeTiming();
		}
		up_one(c, stream.data() + (batch - left) * rec, rec);
		left--;
		done++;
	}
	if (c.ips != done)
		state.SkipWithError("not every record came out as an inner packet");
	state.SetBytesProcessed(static_cast<int64_t>(c.ip_bytes));
	state.counters["pkts_per_s"] = benchmark::Counter(static_cast<double>(done),
							  benchmark::Counter::kIsRate);
}

void gw_downstream(benchmark::State &state, bool openssl_records)
{
	call c(openssl_records);
	const size_t n = static_cast<size_t>(state.range(0));
	std::vector<uint8_t> buf(SG_TUNNEL_HDR_MAX + n, 0x5a);
	size_t done = 0;
	uint8_t probe[SG_TUNNEL_HDR_MAX];
	if (sg_tunnel_data_header(c.t, SG_PPP_PROTO_IPV4, n, probe) < 0) {
		state.SkipWithError("data path not open");
		return;
	}
	for (auto _ : state) {
		down_one(c, buf.data(), n);
		done++;
	}
	state.SetBytesProcessed(static_cast<int64_t>(done * n));
	state.counters["pkts_per_s"] = benchmark::Counter(static_cast<double>(done),
							  benchmark::Counter::kIsRate);
}

// As the gateway really gets them: the client's byte stream cut into TCP segments of seg
// bytes (1448: MSS 1460 minus timestamps), one sg_tls_conn_input() per segment, so most
// 1400-byte packets' records straddle two segments. One iteration = one segment.
void gw_upstream_seg(benchmark::State &state, bool openssl_records, size_t seg)
{
	call c(openssl_records);
	const size_t n = static_cast<size_t>(state.range(0));
	std::vector<uint8_t> frame = c.client_frame(n), stream;
	size_t pos = 0;
	for (auto _ : state) {
		if (pos == stream.size()) {
			state.PauseTiming();
			for (int i = 0; i < 256; i++)
				sg_tls_conn_write(c.cli, frame.data(), frame.size());
			size_t len;
			const uint8_t *q = sg_tls_conn_out_peek(c.cli, &len);
			stream.assign(q, q + len);
			sg_tls_conn_out_consume(c.cli, len);
			pos = 0;
			state.ResumeTiming();
		}
		size_t k = stream.size() - pos < seg ? stream.size() - pos : seg;
		up_one(c, stream.data() + pos, k);
		pos += k;
	}
	if (c.ips == 0 || c.ip_bytes != c.ips * n)
		state.SkipWithError("records did not come out as inner packets");
	state.SetBytesProcessed(static_cast<int64_t>(c.ip_bytes));
	state.counters["pkts_per_s"] = benchmark::Counter(static_cast<double>(c.ips),
							  benchmark::Counter::kIsRate);
}

// lib/tls's own record layer (the default) and OpenSSL's (openssl_records), same run.
void BM_gw_upstream(benchmark::State &s) { gw_upstream(s, false); }
void BM_gw_downstream(benchmark::State &s) { gw_downstream(s, false); }
void BM_gw_upstream_openssl(benchmark::State &s) { gw_upstream(s, true); }
void BM_gw_downstream_openssl(benchmark::State &s) { gw_downstream(s, true); }
void BM_gw_upstream_seg1448(benchmark::State &s) { gw_upstream_seg(s, false, 1448); }
void BM_gw_upstream_seg1448_openssl(benchmark::State &s) { gw_upstream_seg(s, true, 1448); }

void BM_evp_aes_128_gcm(benchmark::State &state)
{
	const size_t n = static_cast<size_t>(state.range(0));
	std::vector<unsigned char> in(n, 0x5a), out(n + 16);
	unsigned char key[16] = {1}, iv[12] = {2}, tag[16];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len;
	EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), nullptr, key, iv);
	for (auto _ : state) {
		EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, iv);
		EVP_EncryptUpdate(c, out.data(), &len, in.data(), static_cast<int>(n));
		EVP_EncryptFinal_ex(c, out.data() + len, &len);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag);
		benchmark::DoNotOptimize(tag);
	}
	EVP_CIPHER_CTX_free(c);
	state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

} // namespace

BENCHMARK(BM_evp_aes_128_gcm)->Arg(64)->Arg(1400);
BENCHMARK(BM_gw_upstream)->Arg(64)->Arg(1400);
BENCHMARK(BM_gw_downstream)->Arg(64)->Arg(1400);
BENCHMARK(BM_gw_upstream_openssl)->Arg(64)->Arg(1400);
BENCHMARK(BM_gw_downstream_openssl)->Arg(64)->Arg(1400);
BENCHMARK(BM_gw_upstream_seg1448)->Arg(1400);
BENCHMARK(BM_gw_upstream_seg1448_openssl)->Arg(1400);
BENCHMARK_MAIN();
