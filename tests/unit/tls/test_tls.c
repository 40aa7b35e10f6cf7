/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/tls against real OpenSSL peers: handshakes, data both ways, coalescing, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sg_tls.h"

static char dir[64], cert_path[128], key_path[128], other_key_path[128];

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	assert_non_null(k);
	return k;
}

static void write_key(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

/* A throwaway self-signed P-256 certificate, made fresh for each run. */
static int make_cert(void **state)
{
	EVP_PKEY *k = new_key(), *other = new_key();
	X509 *x = X509_new();
	FILE *f;
	(void)state;

	snprintf(dir, sizeof(dir), "/tmp/sg-tls-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);
	snprintf(other_key_path, sizeof(other_key_path), "%s/other.pem", dir);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"sstpgw.test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	f = fopen(cert_path, "w");
	assert_non_null(f);
	PEM_write_X509(f, x);
	fclose(f);
	write_key(key_path, k);
	write_key(other_key_path, other);
	X509_free(x);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
	return 0;
}

static int remove_cert(void **state)
{
	(void)state;
	unlink(cert_path);
	unlink(key_path);
	unlink(other_key_path);
	rmdir(dir);
	return 0;
}

static struct sg_tls_ctx *server_ctx(int max_version)
{
	char err[256];
	struct sg_tls_conf conf = {.role = SG_TLS_SERVER, .certificate = cert_path, .key = key_path,
				   .max_version = max_version};
	struct sg_tls_ctx *ctx = sg_tls_ctx_create(&conf, err, sizeof(err));
	if (ctx == NULL)
		fail_msg("server ctx: %s", err);
	return ctx;
}

static struct sg_tls_ctx *client_ctx(void)
{
	char err[256];
	struct sg_tls_conf conf = {.role = SG_TLS_CLIENT};
	struct sg_tls_ctx *ctx = sg_tls_ctx_create(&conf, err, sizeof(err));
	assert_non_null(ctx);
	return ctx;
}

struct sink {
	uint8_t *buf;
	size_t len, cap;
};

static void collect(void *arg, const uint8_t *data, size_t len)
{
	struct sink *s = arg;
	if (s->len + len > s->cap) {
		s->cap = (s->len + len) * 2;
		s->buf = realloc(s->buf, s->cap);
		assert_non_null(s->buf);
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

/* Move everything queued in from's output into to's input, `chunk` bytes at a time. */
static int pump(struct sg_tls_conn *from, struct sg_tls_conn *to, struct sink *sink, size_t chunk)
{
	size_t len;
	const uint8_t *p;
	int rc = 0;

	while ((p = sg_tls_conn_out_peek(from, &len)) != NULL) {
		size_t n = len < chunk ? len : chunk;
		rc = sg_tls_conn_input(to, p, n, collect, sink);
		sg_tls_conn_out_consume(from, n);
		if (rc < 0)
			return rc;
	}
	return rc;
}

static void handshake(struct sg_tls_conn *cli, struct sg_tls_conn *srv, struct sink *cs,
		      struct sink *ss, size_t chunk)
{
	for (int i = 0; i < 10 && !(sg_tls_conn_established(cli) && sg_tls_conn_established(srv));
	     i++) {
		assert_int_equal(pump(cli, srv, ss, chunk), 0);
		assert_int_equal(pump(srv, cli, cs, chunk), 0);
	}
	assert_true(sg_tls_conn_established(cli));
	assert_true(sg_tls_conn_established(srv));
}

static void tls13_and_tls12_handshakes_complete(void **state)
{
	(void)state;
	for (int v = 0; v < 2; v++) {
		struct sg_tls_ctx *sc = server_ctx(v ? TLS1_2_VERSION : 0), *cc = client_ctx();
		struct sg_tls_conn *srv = sg_tls_conn_new(sc), *cli = sg_tls_conn_new(cc);
		struct sink cs = {0}, ss = {0};

		assert_string_equal(sg_tls_conn_version(srv), "");
		handshake(cli, srv, &cs, &ss, 1u << 20);
		assert_string_equal(sg_tls_conn_version(srv), v ? "TLSv1.2" : "TLSv1.3");
		assert_true(strlen(sg_tls_conn_cipher(srv)) > 0);
		sg_tls_conn_free(cli);
		sg_tls_conn_free(srv);
		sg_tls_ctx_free(cc);
		sg_tls_ctx_free(sc);
		free(cs.buf);
		free(ss.buf);
	}
}

/* A client on OpenSSL's own BIO pair, not ours: proves interop beyond self-agreement. */
static void a_plain_openssl_client_talks_to_our_server(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0);
	struct sg_tls_conn *srv = sg_tls_conn_new(sc);
	SSL_CTX *octx = SSL_CTX_new(TLS_client_method());
	SSL *ossl = SSL_new(octx);
	BIO *ours, *theirs;
	struct sink ss = {0};
	uint8_t buf[4096];
	size_t len;
	const uint8_t *p;
	int got = 0;
	(void)state;

	assert_int_equal(BIO_new_bio_pair(&ours, 1 << 17, &theirs, 1 << 17), 1);
	SSL_set_bio(ossl, ours, ours);
	SSL_set_connect_state(ossl);
	for (int i = 0; i < 20; i++) {
		int n;
		SSL_do_handshake(ossl);
		while ((n = BIO_read(theirs, buf, sizeof(buf))) > 0)
			assert_int_equal(sg_tls_conn_input(srv, buf, (size_t)n, collect, &ss), 0);
		while ((p = sg_tls_conn_out_peek(srv, &len)) != NULL) {
			assert_int_equal(BIO_write(theirs, p, (int)len), (int)len);
			sg_tls_conn_out_consume(srv, len);
		}
		if (SSL_is_init_finished(ossl) && sg_tls_conn_established(srv))
			break;
	}
	assert_true(SSL_is_init_finished(ossl));
	assert_int_equal(SSL_write(ossl, "hello sstp", 10), 10);
	while ((got = BIO_read(theirs, buf, sizeof(buf))) > 0)
		assert_int_equal(sg_tls_conn_input(srv, buf, (size_t)got, collect, &ss), 0);
	assert_int_equal(ss.len, 10);
	assert_memory_equal(ss.buf, "hello sstp", 10);
	assert_int_equal(sg_tls_conn_write(srv, "pong", 4), 0);
	p = sg_tls_conn_out_peek(srv, &len);
	assert_int_equal(BIO_write(theirs, p, (int)len), (int)len);
	sg_tls_conn_out_consume(srv, len);
	assert_int_equal(SSL_read(ossl, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "pong", 4);
	SSL_free(ossl);
	BIO_free(theirs);
	SSL_CTX_free(octx);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(sc);
	free(ss.buf);
}

static void bulk_data_survives_one_byte_at_a_time_delivery(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0), *cc = client_ctx();
	struct sg_tls_conn *srv = sg_tls_conn_new(sc), *cli = sg_tls_conn_new(cc);
	struct sink cs = {0}, ss = {0};
	enum { N = 300000 };
	uint8_t *data = malloc(N);
	(void)state;

	for (size_t i = 0; i < N; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 9));
	handshake(cli, srv, &cs, &ss, 1);
	assert_int_equal(sg_tls_conn_write(cli, data, N), 0);
	assert_int_equal(pump(cli, srv, &ss, 1), 0);
	assert_int_equal(ss.len, N);
	assert_memory_equal(ss.buf, data, N);
	assert_int_equal(sg_tls_conn_write(srv, data, N), 0);
	assert_int_equal(pump(srv, cli, &cs, 7777), 0);
	assert_int_equal(cs.len, N);
	assert_memory_equal(cs.buf, data, N);
	/* Drained and idle: no output memory held. */
	assert_int_equal(sg_tls_conn_buffered(srv), 0);
	assert_int_equal(sg_tls_conn_out_pending(srv), 0);
	sg_tls_conn_free(cli);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(cc);
	sg_tls_ctx_free(sc);
	free(cs.buf);
	free(ss.buf);
	free(data);
}

/* Count TLS records (5-byte headers) in a contiguous ciphertext stream. */
static int count_records(const uint8_t *p, size_t len)
{
	int n = 0;
	while (len >= 5) {
		size_t rl = 5 + ((size_t)p[3] << 8 | p[4]);
		assert_true(rl <= len);
		p += rl;
		len -= rl;
		n++;
	}
	assert_int_equal(len, 0);
	return n;
}

static void writev_coalesces_packets_into_few_records(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0), *cc = client_ctx();
	struct sg_tls_conn *srv = sg_tls_conn_new(sc), *cli = sg_tls_conn_new(cc);
	struct sink cs = {0}, ss = {0};
	enum { PKTS = 40, PKT = 1404 }; /* 40 SSTP data packets of a 1400-byte inner packet */
	static uint8_t pkts[PKTS][PKT];
	struct iovec iov[PKTS];
	const uint8_t *p;
	size_t len;
	(void)state;

	handshake(cli, srv, &cs, &ss, 1u << 20);
	sg_tls_conn_out_consume(srv, sg_tls_conn_out_pending(srv)); /* tickets etc. already sent */
	cs.len = 0;
	for (int i = 0; i < PKTS; i++) {
		memset(pkts[i], i, PKT);
		iov[i] = (struct iovec){pkts[i], PKT};
	}
	assert_int_equal(sg_tls_conn_writev(srv, iov, PKTS), 0);
	p = sg_tls_conn_out_peek(srv, &len);
	/* 56160 bytes: ceil(56160 / 16384) = 4 records, not 40. */
	assert_int_equal(count_records(p, len), 4);
	assert_int_equal(pump(srv, cli, &cs, 1u << 20), 0);
	assert_int_equal(cs.len, PKTS * PKT);
	for (int i = 0; i < PKTS; i++)
		assert_memory_equal(cs.buf + (size_t)i * PKT, pkts[i], PKT);
	sg_tls_conn_free(cli);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(cc);
	sg_tls_ctx_free(sc);
	free(cs.buf);
	free(ss.buf);
}

static void garbage_is_a_fatal_error_with_an_alert(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0);
	struct sg_tls_conn *srv = sg_tls_conn_new(sc);
	struct sink ss = {0};
	static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	(void)state;

	assert_int_equal(sg_tls_conn_input(srv, (const uint8_t *)http, sizeof(http) - 1, collect,
					   &ss),
			 -EPROTO);
	assert_int_equal(sg_tls_conn_write(srv, "x", 1), -EPROTO);
	assert_int_equal(sg_tls_conn_input(srv, (const uint8_t *)"x", 1, collect, &ss), -EPROTO);
	assert_int_equal(ss.len, 0);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(sc);
}

static void writes_wait_for_the_handshake_and_close_notify_ends_input(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0), *cc = client_ctx();
	struct sg_tls_conn *srv = sg_tls_conn_new(sc), *cli = sg_tls_conn_new(cc);
	struct sink cs = {0}, ss = {0};
	(void)state;

	assert_int_equal(sg_tls_conn_write(srv, "early", 5), -EAGAIN);
	handshake(cli, srv, &cs, &ss, 1u << 20);
	assert_int_equal(sg_tls_conn_shutdown(cli), 0);
	assert_int_equal(pump(cli, srv, &ss, 1u << 20), -ECONNRESET);
	sg_tls_conn_free(cli);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(cc);
	sg_tls_ctx_free(sc);
	free(cs.buf);
	free(ss.buf);
}

static void cert_hash_is_the_hash_of_the_der_leaf_the_client_sees(void **state)
{
	struct sg_tls_ctx *sc = server_ctx(0), *cc = client_ctx();
	struct sg_tls_conn *srv = sg_tls_conn_new(sc), *cli = sg_tls_conn_new(cc);
	struct sink cs = {0}, ss = {0};
	uint8_t mine[32], seen[32], expect[32], zero[12] = {0};
	unsigned char *der = NULL;
	unsigned int mdlen;
	FILE *f = fopen(cert_path, "r");
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	int len = i2d_X509(x, &der);
	(void)state;

	fclose(f);
	assert_int_equal(sg_tls_conn_peer_cert_hash(cli, SG_TLS_HASH_SHA256, seen), -ENOENT);
	handshake(cli, srv, &cs, &ss, 1u << 20);
	EVP_Digest(der, (size_t)len, expect, &mdlen, EVP_sha256(), NULL);
	assert_int_equal(sg_tls_ctx_cert_hash(sc, SG_TLS_HASH_SHA256, mine), 0);
	assert_int_equal(sg_tls_conn_peer_cert_hash(cli, SG_TLS_HASH_SHA256, seen), 0);
	assert_memory_equal(mine, expect, 32);
	assert_memory_equal(seen, expect, 32);
	EVP_Digest(der, (size_t)len, expect, &mdlen, EVP_sha1(), NULL);
	assert_int_equal(sg_tls_ctx_cert_hash(sc, SG_TLS_HASH_SHA1, mine), 0);
	assert_memory_equal(mine, expect, 20);
	assert_memory_equal(mine + 20, zero, 12);
	assert_int_equal(sg_tls_ctx_cert_hash(cc, SG_TLS_HASH_SHA256, mine), -EINVAL);
	assert_int_equal(sg_tls_ctx_cert_hash(sc, 7, mine), -EINVAL);
	OPENSSL_free(der);
	X509_free(x);
	sg_tls_conn_free(cli);
	sg_tls_conn_free(srv);
	sg_tls_ctx_free(cc);
	sg_tls_ctx_free(sc);
	free(cs.buf);
	free(ss.buf);
}

static void bad_settings_are_named(void **state)
{
	char err[256];
	struct sg_tls_conf conf = {.role = SG_TLS_SERVER, .certificate = "/nonexistent/c.pem",
				   .key = key_path};
	(void)state;

	assert_null(sg_tls_ctx_create(&conf, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, "/nonexistent/c.pem"));
	conf.certificate = cert_path;
	conf.key = other_key_path;
	assert_null(sg_tls_ctx_create(&conf, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, other_key_path));
	assert_non_null(strstr(err, "mismatch"));
	conf.key = key_path;
	conf.ciphers = "NO-SUCH-CIPHER";
	assert_null(sg_tls_ctx_create(&conf, err, sizeof(err)));
	assert_non_null(strstr(err, "NO-SUCH-CIPHER"));
	conf.ciphers = NULL;
	conf.key = NULL;
	assert_null(sg_tls_ctx_create(&conf, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	conf.key = cert_path; /* a certificate is not a key */
	assert_null(sg_tls_ctx_create(&conf, err, sizeof(err)));
	assert_non_null(strstr(err, "bad key"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tls13_and_tls12_handshakes_complete),
		cmocka_unit_test(a_plain_openssl_client_talks_to_our_server),
		cmocka_unit_test(bulk_data_survives_one_byte_at_a_time_delivery),
		cmocka_unit_test(writev_coalesces_packets_into_few_records),
		cmocka_unit_test(garbage_is_a_fatal_error_with_an_alert),
		cmocka_unit_test(writes_wait_for_the_handshake_and_close_notify_ends_input),
		cmocka_unit_test(cert_hash_is_the_hash_of_the_der_leaf_the_client_sees),
		cmocka_unit_test(bad_settings_are_named),
	};
	return cmocka_run_group_tests(tests, make_cert, remove_cert);
}
