// SPDX-License-Identifier: BSD-3-Clause
// What one idle session's TLS costs in heap memory (issue 7's breakdown): N server-side
// lib/tls connections, each through a full in-memory handshake with a lib/tls client
// (P-256 certificate, as the lab uses), then the clients freed; the malloc arena's bytes in
// use (mallinfo2) before and after freeing the servers, divided by N. The rest of a
// session (tunnel record, session record) has fixed sizes the daemon logs at start;
// bench/sessions/run measures the whole daemon.
#include <benchmark/benchmark.h>

#include <malloc.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sg_tls.h"

static std::string cert_dir;

static bool make_cert()
{
	char tmpl[] = "/tmp/sg-bench-sessmem.XXXXXX";
	if (mkdtemp(tmpl) == nullptr)
		return false;
	cert_dir = tmpl;
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_set_pubkey(x, k);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_sign(x, k, EVP_sha256());
	FILE *f = fopen((cert_dir + "/c.pem").c_str(), "w");
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen((cert_dir + "/k.pem").c_str(), "w");
	PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
	return true;
}

static void ignore(void *, const uint8_t *, size_t)
{
}

static void move(sg_tls_conn *from, sg_tls_conn *to)
{
	size_t len;
	const uint8_t *p;

	while ((p = sg_tls_conn_out_peek(from, &len)) != nullptr) {
		sg_tls_conn_input(to, p, len, ignore, nullptr);
		sg_tls_conn_out_consume(from, len);
	}
}

static size_t in_use()
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void tls_idle(benchmark::State &st, int version)
{
	const size_t n = (size_t) st.range(0);
	char err[256];
	sg_tls_conf sconf{}, cconf{};
	std::string cert = cert_dir + "/c.pem", key = cert_dir + "/k.pem";
	double per_conn = 0;

	sconf.role = SG_TLS_SERVER;
	sconf.certificate = cert.c_str();
	sconf.key = key.c_str();
	sconf.min_version = sconf.max_version = version;
	cconf.role = SG_TLS_CLIENT;
	cconf.min_version = cconf.max_version = version;
	sg_tls_ctx *sctx = sg_tls_ctx_create(&sconf, err, sizeof(err));
	sg_tls_ctx *cctx = sg_tls_ctx_create(&cconf, err, sizeof(err));
	if (sctx == nullptr || cctx == nullptr) {
		st.SkipWithError(err);
		return;
	}
	for (auto _ : st) {
		std::vector<sg_tls_conn *> srv(n), cli(n);
		size_t up = 0;

		for (size_t i = 0; i < n; i++) {
			srv[i] = sg_tls_conn_new(sctx);
			cli[i] = sg_tls_conn_new(cctx);
			for (int k = 0; k < 10 && !(sg_tls_conn_established(srv[i]) &&
						    sg_tls_conn_established(cli[i]));
			     k++) {
				move(cli[i], srv[i]);
				move(srv[i], cli[i]);
			}
			move(cli[i],
			     srv[i]); /* the client's last words (TLS 1.3 tickets are read) */
			up += sg_tls_conn_established(srv[i]) ? 1 : 0;
		}
		for (auto c : cli)
			sg_tls_conn_free(c);
		malloc_trim(0);
		size_t with = in_use();
		for (auto c : srv)
			sg_tls_conn_free(c);
		malloc_trim(0);
		size_t without = in_use();
		if (up != n) {
			st.SkipWithError("handshake failed");
			break;
		}
		per_conn = (double) (with - without) / (double) n;
	}
	st.counters["heap_bytes_per_idle_server_conn"] = per_conn;
	sg_tls_ctx_free(sctx);
	sg_tls_ctx_free(cctx);
}

static void BM_tls13_idle_server_conn(benchmark::State &st)
{
	tls_idle(st, 0x0304);
}
static void BM_tls12_idle_server_conn(benchmark::State &st)
{
	tls_idle(st, 0x0303);
}
BENCHMARK(BM_tls13_idle_server_conn)->Arg(2000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tls12_idle_server_conn)->Arg(2000)->Iterations(1)->Unit(benchmark::kMillisecond);

int main(int argc, char **argv)
{
	if (!make_cert())
		return 1;
	benchmark::Initialize(&argc, argv);
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	unlink((cert_dir + "/c.pem").c_str());
	unlink((cert_dir + "/k.pem").c_str());
	rmdir(cert_dir.c_str());
	return 0;
}
