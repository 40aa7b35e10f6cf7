/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tls's own AES-GCM record layer (tls_rec.c) against a plain OpenSSL peer on a BIO
 * pair (OpenSSL's record layer, not ours): TLS 1.2 and 1.3, AES-128/256-GCM, our side as
 * server and as client, data both ways at many sizes and delivery chunkings, TLS 1.3
 * KeyUpdate both ways, NewSessionTicket, close_notify both ways, tampered records and a
 * table of hostile record headers. A GCM tag only verifies when key, nonce, AAD and
 * ciphertext all match, so every successful exchange is a byte-exact agreement with OpenSSL.
 */
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

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sg_tls.h"

static char dir[64], cert_path[128], key_path[128];

static int make_cert(void **state)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	FILE *f;
	(void) state;

	snprintf(dir, sizeof(dir), "/tmp/sg-tls-rec.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	f = fopen(cert_path, "w");
	assert_non_null(f);
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen(key_path, "w");
	assert_non_null(f);
	PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
	return 0;
}

static int remove_cert(void **state)
{
	(void) state;
	unlink(cert_path);
	unlink(key_path);
	rmdir(dir);
	return 0;
}

struct suite {
	int version;	  /* TLS1_2_VERSION / TLS1_3_VERSION */
	const char *name; /* TLS 1.2 cipher list entry or TLS 1.3 suite */
	int fast;	  /* expected sg_tls_conn_fast() */
};

static const struct suite suites[] = {
    {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", 1},
    {TLS1_3_VERSION, "TLS_AES_256_GCM_SHA384", 1},
    {TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256", 1},
    {TLS1_2_VERSION, "ECDHE-ECDSA-AES256-GCM-SHA384", 1},
    {TLS1_3_VERSION, "TLS_CHACHA20_POLY1305_SHA256", 0}, /* stays on OpenSSL */
    {TLS1_2_VERSION, "ECDHE-ECDSA-CHACHA20-POLY1305", 0},
};

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

/* lib/tls on one side, plain OpenSSL on the other. */
struct duo {
	struct sg_tls_ctx *ctx;
	struct sg_tls_conn *ours;
	SSL_CTX *octx;
	SSL *ossl;
	BIO *wire; /* OpenSSL's far end of the pair: what it sends / what it receives */
	struct sink got;
};

static void duo_open(struct duo *d, const struct suite *s, int ours_server, int openssl_records)
{
	char err[256];
	int v13 = s->version == TLS1_3_VERSION;
	struct sg_tls_conf conf = {
	    .role = ours_server ? SG_TLS_SERVER : SG_TLS_CLIENT,
	    .certificate = ours_server ? cert_path : NULL,
	    .key = ours_server ? key_path : NULL,
	    .ciphers = v13 ? NULL : s->name,
	    .ciphersuites = v13 ? s->name : NULL,
	    .max_version = s->version,
	    .openssl_records = openssl_records,
	};
	BIO *ob;

	memset(d, 0, sizeof(*d));
	d->ctx = sg_tls_ctx_create(&conf, err, sizeof(err));
	if (d->ctx == NULL)
		fail_msg("ctx: %s", err);
	d->octx = SSL_CTX_new(ours_server ? TLS_client_method() : TLS_server_method());
	assert_non_null(d->octx);
	assert_int_equal(SSL_CTX_set_max_proto_version(d->octx, s->version), 1);
	if (v13)
		assert_int_equal(SSL_CTX_set_ciphersuites(d->octx, s->name), 1);
	else
		assert_int_equal(SSL_CTX_set_cipher_list(d->octx, s->name), 1);
	if (!ours_server) { /* OpenSSL serves, with its default two session tickets */
		assert_int_equal(SSL_CTX_use_certificate_file(d->octx, cert_path, SSL_FILETYPE_PEM),
				 1);
		assert_int_equal(SSL_CTX_use_PrivateKey_file(d->octx, key_path, SSL_FILETYPE_PEM),
				 1);
	}
	d->ossl = SSL_new(d->octx);
	assert_int_equal(BIO_new_bio_pair(&ob, 1 << 18, &d->wire, 1 << 18), 1);
	SSL_set_bio(d->ossl, ob, ob);
	if (ours_server)
		SSL_set_connect_state(d->ossl);
	else
		SSL_set_accept_state(d->ossl);
	d->ours = sg_tls_conn_new(d->ctx);
	assert_non_null(d->ours);
}

static void duo_close(struct duo *d)
{
	sg_tls_conn_free(d->ours);
	sg_tls_ctx_free(d->ctx);
	SSL_free(d->ossl);
	BIO_free(d->wire);
	SSL_CTX_free(d->octx);
	free(d->got.buf);
}

/* OpenSSL -> ours, `chunk` bytes per sg_tls_conn_input() call. Last input's result. */
static int to_ours(struct duo *d, size_t chunk)
{
	uint8_t buf[1 << 16];
	int n, rc = 0;

	while ((n = BIO_read(d->wire, buf, sizeof(buf))) > 0) {
		for (size_t off = 0; off < (size_t) n; off += chunk) {
			size_t k = (size_t) n - off < chunk ? (size_t) n - off : chunk;
			rc = sg_tls_conn_input(d->ours, buf + off, k, collect, &d->got);
			if (rc < 0)
				return rc;
		}
	}
	return rc;
}

/* ours -> OpenSSL. */
static void to_openssl(struct duo *d)
{
	const uint8_t *p;
	size_t len;

	while ((p = sg_tls_conn_out_peek(d->ours, &len)) != NULL) {
		int w = BIO_write(d->wire, p, (int) len);
		assert_true(w > 0);
		sg_tls_conn_out_consume(d->ours, (size_t) w);
	}
}

static void duo_handshake(struct duo *d)
{
	for (int i = 0; i < 20; i++) {
		SSL_do_handshake(d->ossl);
		assert_int_equal(to_ours(d, 1u << 20), 0);
		to_openssl(d);
		if (SSL_is_init_finished(d->ossl) && sg_tls_conn_established(d->ours))
			break;
	}
	assert_true(SSL_is_init_finished(d->ossl));
	assert_true(sg_tls_conn_established(d->ours));
}

/* Everything OpenSSL can read now, appended to out. */
static size_t openssl_read_all(struct duo *d, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int r;

	to_openssl(d);
	while (n < cap && (r = SSL_read(d->ossl, out + n, (int) (cap - n))) > 0)
		n += (size_t) r;
	return n;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t) (i * 131 + seed + (i >> 8));
}

static const size_t sizes[] = {1, 2, 64, 1400, 1419, 16383, 16384, 16385, 40000};
static const size_t chunks[] = {1, 5, 6, 1460, 1u << 20};

static void exchange(struct duo *d)
{
	enum { BIG = 40000 };
	static uint8_t data[BIG], back[BIG + 64];

	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t n = sizes[si];

		/* OpenSSL's records into ours, in every chunking */
		for (size_t ci = 0; ci < sizeof(chunks) / sizeof(chunks[0]); ci++) {
			if (n > 1400 && chunks[ci] == 1)
				continue; /* byte-at-a-time for small records only: keeps ASan fast
					   */
			fill(data, n, (unsigned) (si * 7 + ci));
			d->got.len = 0;
			assert_int_equal(SSL_write(d->ossl, data, (int) n), (int) n);
			assert_int_equal(to_ours(d, chunks[ci]), 0);
			assert_int_equal(d->got.len, n);
			assert_memory_equal(d->got.buf, data, n);
		}
		/* ours into OpenSSL, as several iovecs */
		{
			struct iovec iov[3];
			size_t a = n / 3, b = n / 2;

			fill(data, n, (unsigned) si);
			iov[0] = (struct iovec){data, a};
			iov[1] = (struct iovec){data + a, b - a};
			iov[2] = (struct iovec){data + b, n - b};
			assert_int_equal(sg_tls_conn_writev(d->ours, iov, 3), 0);
			assert_int_equal(openssl_read_all(d, back, sizeof(back)), n);
			assert_memory_equal(back, data, n);
			assert_int_equal(sg_tls_conn_write(d->ours, data, n), 0);
			assert_int_equal(openssl_read_all(d, back, sizeof(back)), n);
			assert_memory_equal(back, data, n);
		}
	}
}

static void both_ways_agree_with_openssl_for_every_suite_and_role(void **state)
{
	(void) state;
	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		for (int server = 0; server < 2; server++) {
			struct duo d;

			duo_open(&d, &suites[s], server, 0);
			duo_handshake(&d);
			assert_string_equal(sg_tls_conn_version(d.ours),
					    suites[s].version == TLS1_3_VERSION ? "TLSv1.3"
										: "TLSv1.2");
			if (sg_tls_conn_fast(d.ours) != suites[s].fast)
				fail_msg("%s server=%d: fast=%d", suites[s].name, server,
					 sg_tls_conn_fast(d.ours));
			exchange(&d);
			duo_close(&d);
		}
	}
}

static void openssl_records_keeps_openssl_on_the_data_path(void **state)
{
	struct duo d;
	(void) state;

	duo_open(&d, &suites[0], 1, 1);
	duo_handshake(&d);
	assert_false(sg_tls_conn_fast(d.ours));
	exchange(&d);
	duo_close(&d);
}

static void key_updates_both_ways_keep_the_stream(void **state)
{
	uint8_t data[3000], back[4000];
	(void) state;

	for (int server = 0; server < 2; server++) {
		for (int s = 0; s < 2; s++) { /* the two TLS 1.3 AES-GCM suites */
			struct duo d;

			duo_open(&d, &suites[s], server, 0);
			duo_handshake(&d);
			assert_true(sg_tls_conn_fast(d.ours));
			for (int round = 0; round < 4; round++) {
				fill(data, sizeof(data), (unsigned) round);
				/* OpenSSL updates its key and asks us to update ours. */
				assert_int_equal(
				    SSL_key_update(d.ossl, round & 1 ? SSL_KEY_UPDATE_NOT_REQUESTED
								     : SSL_KEY_UPDATE_REQUESTED),
				    1);
				assert_int_equal(SSL_write(d.ossl, data, sizeof(data)),
						 sizeof(data));
				d.got.len = 0;
				assert_int_equal(to_ours(&d, 700), 0);
				assert_int_equal(d.got.len, sizeof(data));
				assert_memory_equal(d.got.buf, data, sizeof(data));
				/* Our answer (a KeyUpdate under the old key), then data under the
				 * new. */
				assert_int_equal(sg_tls_conn_write(d.ours, data, sizeof(data)), 0);
				assert_int_equal(openssl_read_all(&d, back, sizeof(back)),
						 sizeof(data));
				assert_memory_equal(back, data, sizeof(data));
			}
			duo_close(&d);
		}
	}
}

static void close_notify_both_ways(void **state)
{
	uint8_t buf[64];
	(void) state;

	for (size_t s = 0; s < 4; s++) {
		struct duo d;

		/* ours -> OpenSSL: OpenSSL sees a clean end of stream */
		duo_open(&d, &suites[s], 1, 0);
		duo_handshake(&d);
		assert_int_equal(sg_tls_conn_write(d.ours, "bye", 3), 0);
		assert_int_equal(sg_tls_conn_shutdown(d.ours), 0);
		assert_int_equal(sg_tls_conn_write(d.ours, "late", 4), -EPROTO);
		assert_int_equal(openssl_read_all(&d, buf, sizeof(buf)), 3);
		assert_int_equal(SSL_read(d.ossl, buf, sizeof(buf)), 0);
		assert_int_equal(SSL_get_error(d.ossl, 0), SSL_ERROR_ZERO_RETURN);
		duo_close(&d);
		/* OpenSSL -> ours: -ECONNRESET, data before it delivered, and it stays ended */
		duo_open(&d, &suites[s], 0, 0);
		duo_handshake(&d);
		assert_int_equal(SSL_write(d.ossl, "last", 4), 4);
		SSL_shutdown(d.ossl);
		assert_int_equal(to_ours(&d, 1u << 20), -ECONNRESET);
		assert_int_equal(d.got.len, 4);
		assert_int_equal(
		    sg_tls_conn_input(d.ours, (const uint8_t *) "x", 1, collect, &d.got),
		    -ECONNRESET);
		duo_close(&d);
	}
}

/* OpenSSL's next record as bytes, taken off the wire. */
static size_t next_record(struct duo *d, const void *data, size_t n, uint8_t *rec, size_t cap)
{
	int r;

	assert_int_equal(SSL_write(d->ossl, data, (int) n), (int) n);
	r = BIO_read(d->wire, rec, (int) cap);
	assert_true(r > 5);
	return (size_t) r;
}

static void tampered_records_deliver_nothing_and_alert(void **state)
{
	uint8_t rec[2048], plain[1000];
	(void) state;

	fill(plain, sizeof(plain), 9);
	for (size_t s = 0; s < 4; s++) {
		/* every byte position class: header length, explicit nonce, body, tag (from the
		 * end: 16 is the tag's first byte, 1 its last) */
		static const long at_[] = {4, 5, 9, 13, 100, 1000, -16, -1};

		for (size_t i = 0; i < sizeof(at_) / sizeof(at_[0]); i++) {
			struct duo d;
			size_t n, at;
			int rc;

			duo_open(&d, &suites[s], (int) (i & 1), 0);
			duo_handshake(&d);
			n = next_record(&d, plain, sizeof(plain), rec, sizeof(rec));
			at = at_[i] < 0 ? n - (size_t) -at_[i] : (size_t) at_[i];
			assert_true(at < n);
			rec[at] ^= 0x01;
			rc = sg_tls_conn_input(d.ours, rec, n, collect, &d.got);
			if (at == 4) { /* a length one byte short or long: no whole record */
				if (rc == 0)
					rc = sg_tls_conn_input(d.ours, rec, 2, collect, &d.got);
			}
			assert_int_equal(rc, -EPROTO);
			assert_int_equal(d.got.len, 0);
			assert_true(sg_tls_conn_out_pending(d.ours) > 0); /* the fatal alert */
			assert_int_equal(sg_tls_conn_write(d.ours, "x", 1), -EPROTO);
			/* OpenSSL accepts our alert as a fatal one */
			to_openssl(&d);
			assert_true(SSL_read(d.ossl, rec, sizeof(rec)) <= 0);
			assert_int_equal(SSL_get_error(d.ossl, -1), SSL_ERROR_SSL);
			duo_close(&d);
		}
	}
}

/* A record replayed (same bytes twice) fails: sequence numbers are part of the nonce/AAD. */
static void replayed_and_reordered_records_fail(void **state)
{
	uint8_t r1[512], r2[512];
	(void) state;

	for (size_t s = 0; s < 4; s++) {
		struct duo d;
		size_t n1, n2;

		duo_open(&d, &suites[s], 1, 0);
		duo_handshake(&d);
		n1 = next_record(&d, "one", 3, r1, sizeof(r1));
		assert_int_equal(sg_tls_conn_input(d.ours, r1, n1, collect, &d.got), 0);
		assert_int_equal(sg_tls_conn_input(d.ours, r1, n1, collect, &d.got), -EPROTO);
		assert_int_equal(d.got.len, 3);
		duo_close(&d);

		duo_open(&d, &suites[s], 1, 0);
		duo_handshake(&d);
		n1 = next_record(&d, "one", 3, r1, sizeof(r1));
		n2 = next_record(&d, "two", 3, r2, sizeof(r2));
		assert_int_equal(sg_tls_conn_input(d.ours, r2, n2, collect, &d.got), -EPROTO);
		assert_int_equal(d.got.len, 0);
		(void) n1;
		duo_close(&d);
	}
}

struct hostile {
	const char *what;
	uint8_t hdr[5];
	int v13_only, v12_only;
};

static void hostile_record_headers_are_refused(void **state)
{
	static const struct hostile table[] = {
	    {"ssl 3.0 version", {23, 3, 0, 0, 40}, 0, 0},
	    {"tls 1.0 version", {23, 3, 1, 0, 40}, 0, 0},
	    {"major version 2", {23, 2, 3, 0, 40}, 0, 0},
	    {"change_cipher_spec after handshake", {20, 3, 3, 0, 1}, 0, 0},
	    {"handshake type outside TLS 1.3's outer 23", {22, 3, 3, 0, 40}, 1, 0},
	    {"alert type outside TLS 1.3's outer 23", {21, 3, 3, 0, 40}, 1, 0},
	    {"unknown type 24", {24, 3, 3, 0, 40}, 0, 0},
	    {"type 0", {0, 3, 3, 0, 40}, 0, 0},
	    {"http", {'G', 'E', 'T', ' ', '/'}, 0, 0},
	    {"1.3 length over 2^14+256", {23, 3, 3, 0x41, 0x01}, 1, 0},
	    {"1.2 length over 2^14+2048", {23, 3, 3, 0x48, 0x01}, 0, 1},
	    {"length 0xffff", {23, 3, 3, 0xff, 0xff}, 0, 0},
	    {"length 0", {23, 3, 3, 0, 0}, 0, 0},
	    {"length shorter than a tag", {23, 3, 3, 0, 15}, 0, 0},
	    {"1.2 length shorter than nonce + tag", {23, 3, 3, 0, 23}, 0, 1},
	    {"length of an all-zero tag-sized body", {23, 3, 3, 0, 16}, 0, 0},
	};
	static uint8_t body[0x10000];
	(void) state;

	for (size_t s = 0; s < 4; s++) {
		int v13 = suites[s].version == TLS1_3_VERSION;

		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
			const struct hostile *h = &table[i];
			size_t blen = (size_t) h->hdr[3] << 8 | h->hdr[4];
			struct duo d;
			int rc;

			if ((h->v13_only && !v13) || (h->v12_only && v13))
				continue;
			duo_open(&d, &suites[s], 1, 0);
			duo_handshake(&d);
			/* header alone first (a verdict may need the body), then the body */
			rc = sg_tls_conn_input(d.ours, h->hdr, 5, collect, &d.got);
			if (rc == 0)
				rc = sg_tls_conn_input(d.ours, body, blen, collect, &d.got);
			if (rc != -EPROTO)
				fail_msg("%s (%s): rc %d", h->what, suites[s].name, rc);
			assert_int_equal(d.got.len, 0);
			duo_close(&d);
		}
	}
}

/* A record split over many inputs does not hold a big stash once it completes. */
static void idle_connection_holds_little_memory(void **state)
{
	static uint8_t data[16384];
	struct duo d;
	(void) state;

	duo_open(&d, &suites[0], 1, 0);
	duo_handshake(&d);
	assert_int_equal(SSL_write(d.ossl, data, sizeof(data)), sizeof(data));
	assert_int_equal(to_ours(&d, 1000), 0);
	assert_int_equal(d.got.len, sizeof(data));
	assert_int_equal(sg_tls_conn_write(d.ours, data, sizeof(data)), 0);
	to_openssl(&d);
	assert_true(sg_tls_conn_buffered(d.ours) <= 4096);
	assert_int_equal(sg_tls_conn_write(d.ours, data, 1000), 0);
	to_openssl(&d);
	assert_true(sg_tls_conn_buffered(d.ours) <= 4096);
	duo_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(both_ways_agree_with_openssl_for_every_suite_and_role),
	    cmocka_unit_test(openssl_records_keeps_openssl_on_the_data_path),
	    cmocka_unit_test(key_updates_both_ways_keep_the_stream),
	    cmocka_unit_test(close_notify_both_ways),
	    cmocka_unit_test(tampered_records_deliver_nothing_and_alert),
	    cmocka_unit_test(replayed_and_reordered_records_fail),
	    cmocka_unit_test(hostile_record_headers_are_refused),
	    cmocka_unit_test(idle_connection_holds_little_memory),
	};
	return cmocka_run_group_tests(tests, make_cert, remove_cert);
}
