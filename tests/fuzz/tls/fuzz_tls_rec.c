/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tls's record layer on hostile input. Each run: a fresh connection (ours the server,
 * TLS 1.2 or 1.3, AES-128/256-GCM by the first byte) against a plain OpenSSL client, then
 * the input as a script of operations: raw bytes into ours, OpenSSL records (optionally
 * with one bit flipped, delivered in any chunking), TLS 1.3 KeyUpdates, data from ours
 * back to OpenSSL. Invariant: what ours delivers is always a prefix of what the OpenSSL
 * peer really sent (no forged, reordered or unverified plaintext), and with no tampering
 * it is all of it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sg_tls.h"

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "CHECK failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static const struct {
	int version;
	const char *name;
} combos[4] = {
    {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256"},
    {TLS1_3_VERSION, "TLS_AES_256_GCM_SHA384"},
    {TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {TLS1_2_VERSION, "ECDHE-ECDSA-AES256-GCM-SHA384"},
};
static struct sg_tls_ctx *ours_ctx[4];
static SSL_CTX *peer_ctx[4];

static void init(void)
{
	char dir[] = "/tmp/sg-fuzz-tls.XXXXXX", cert[64], key[64], err[256];
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	FILE *f;

	CHECK(mkdtemp(dir) != NULL && k != NULL && x != NULL);
	snprintf(cert, sizeof(cert), "%s/c.pem", dir);
	snprintf(key, sizeof(key), "%s/k.pem", dir);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	CHECK(X509_sign(x, k, EVP_sha256()) > 0);
	CHECK((f = fopen(cert, "w")) != NULL);
	PEM_write_X509(f, x);
	fclose(f);
	CHECK((f = fopen(key, "w")) != NULL);
	PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	for (int i = 0; i < 4; i++) {
		int v13 = combos[i].version == TLS1_3_VERSION;
		struct sg_tls_conf conf = {.role = SG_TLS_SERVER,
					   .certificate = cert,
					   .key = key,
					   .max_version = combos[i].version,
					   .ciphers = v13 ? NULL : combos[i].name,
					   .ciphersuites = v13 ? combos[i].name : NULL};

		ours_ctx[i] = sg_tls_ctx_create(&conf, err, sizeof(err));
		CHECK(ours_ctx[i] != NULL);
		peer_ctx[i] = SSL_CTX_new(TLS_client_method());
		CHECK(peer_ctx[i] != NULL);
		SSL_CTX_set_max_proto_version(peer_ctx[i], combos[i].version);
		if (v13)
			CHECK(SSL_CTX_set_ciphersuites(peer_ctx[i], combos[i].name) == 1);
		else
			CHECK(SSL_CTX_set_cipher_list(peer_ctx[i], combos[i].name) == 1);
	}
	unlink(cert);
	unlink(key);
	rmdir(dir);
	X509_free(x);
	EVP_PKEY_free(k);
}

struct run {
	struct sg_tls_conn *ours;
	SSL *peer;
	BIO *wire;
	uint8_t sent[1 << 17], got[1 << 17];
	size_t sent_len, got_len;
	int tainted, dead;
};

static void collect(void *arg, const uint8_t *p, size_t n)
{
	struct run *r = arg;

	CHECK(r->got_len + n <= r->sent_len);
	memcpy(r->got + r->got_len, p, n);
	CHECK(memcmp(r->got + r->got_len, r->sent + r->got_len, n) == 0); /* a true prefix */
	r->got_len += n;
}

static void feed(struct run *r, const uint8_t *p, size_t n, size_t chunk)
{
	for (size_t off = 0; off < n && !r->dead; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;

		if (sg_tls_conn_input(r->ours, p + off, k, collect, r) < 0)
			r->dead = 1;
	}
}

static void to_peer(struct run *r)
{
	const uint8_t *p;
	size_t len;

	while ((p = sg_tls_conn_out_peek(r->ours, &len)) != NULL) {
		CHECK(BIO_write(r->wire, p, (int) len) == (int) len);
		sg_tls_conn_out_consume(r->ours, len);
	}
}

static struct run R;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static uint8_t rec[1 << 17];
	struct run *r = &R;
	BIO *ob;
	int combo, n;
	size_t i;

	if (!ready) {
		init();
		ready = 1;
	}
	if (size < 1)
		return 0;
	combo = data[0] & 3;
	memset(r, 0, offsetof(struct run, sent));
	r->sent_len = r->got_len = 0;
	r->ours = sg_tls_conn_new(ours_ctx[combo]);
	r->peer = SSL_new(peer_ctx[combo]);
	CHECK(r->ours && r->peer && BIO_new_bio_pair(&ob, 1 << 18, &r->wire, 1 << 18) == 1);
	SSL_set_bio(r->peer, ob, ob);
	SSL_set_connect_state(r->peer);
	for (int k = 0;
	     k < 20 && !(SSL_is_init_finished(r->peer) && sg_tls_conn_established(r->ours)); k++) {
		SSL_do_handshake(r->peer);
		while ((n = BIO_read(r->wire, rec, sizeof(rec))) > 0)
			CHECK(sg_tls_conn_input(r->ours, rec, (size_t) n, collect, r) == 0);
		to_peer(r);
	}
	CHECK(SSL_is_init_finished(r->peer) && sg_tls_conn_established(r->ours));
	CHECK(sg_tls_conn_fast(r->ours));

	for (i = 1; i + 2 < size && !r->dead;) {
		uint8_t op = data[i] & 3, a = data[i + 1], b = data[i + 2];
		i += 3;
		switch (op) {
		case 0: { /* raw bytes straight into ours */
			size_t n0 = a < size - i ? a : size - i;
			if (n0 > 0)
				r->tainted = 1;
			feed(r, data + i, n0, (size_t) b + 1);
			i += n0;
			break;
		}
		case 1: { /* an OpenSSL record of a*64+b bytes, maybe one bit flipped */
			size_t len = ((size_t) a * 64 + b) % 20000 + 1;
			uint8_t flip = i < size ? data[i++] : 0;
			uint8_t chunk = i < size ? data[i++] : 0;
			if (r->sent_len + len > sizeof(r->sent))
				goto out;
			for (size_t k = 0; k < len; k++)
				r->sent[r->sent_len + k] = (uint8_t) (k * 7 + r->sent_len);
			CHECK(SSL_write(r->peer, r->sent + r->sent_len, (int) len) == (int) len);
			r->sent_len += len;
			n = BIO_read(r->wire, rec, sizeof(rec));
			CHECK(n > 0);
			if (flip & 0x80) {
				rec[(size_t) (flip & 0x7f) * 131 % (size_t) n] ^=
				    (uint8_t) (1u << (flip & 7));
				r->tainted = 1;
			}
			feed(r, rec, (size_t) n, chunk ? (size_t) chunk * 16 : (size_t) n);
			break;
		}
		case 2: /* TLS 1.3 KeyUpdate from the peer (sent with its next record) */
			if (combos[combo].version == TLS1_3_VERSION)
				SSL_key_update(r->peer, a & 1 ? SSL_KEY_UPDATE_REQUESTED
							      : SSL_KEY_UPDATE_NOT_REQUESTED);
			break;
		case 3: { /* ours -> OpenSSL: it must read back exactly what we wrote */
			size_t len = (size_t) a * 8 + b + 1, got = 0;
			static uint8_t back[4096];
			if (sg_tls_conn_write(r->ours, data + 1, len < size - 1 ? len : size - 1) <
			    0)
				break;
			len = len < size - 1 ? len : size - 1;
			to_peer(r);
			while (got < len &&
			       (n = SSL_read(r->peer, back + got, (int) (sizeof(back) - got))) > 0)
				got += (size_t) n;
			if (!r->tainted) {
				CHECK(got == len);
				CHECK(memcmp(back, data + 1, len) == 0);
			}
			break;
		}
		}
	}
out:
	if (!r->tainted && !r->dead) {
		int k;
		while ((k = BIO_read(r->wire, rec, sizeof(rec))) > 0)
			feed(r, rec, (size_t) k, (size_t) k);
		CHECK(r->got_len == r->sent_len);
	}
	sg_tls_conn_free(r->ours);
	SSL_free(r->peer);
	BIO_free(r->wire);
	return 0;
}
