/* SPDX-License-Identifier: BSD-3-Clause */
/* SSL_CTX construction from config, and the served certificate's hash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sg_log.h"
#include "tls_private.h"

/* One line: what we were doing, and OpenSSL's reason for the first error queued. */
static int fail(char *err, size_t errlen, int errnum, const char *what, const char *arg)
{
	char reason[160] = "";
	unsigned long e = ERR_peek_error();

	if (e != 0)
		ERR_error_string_n(e, reason, sizeof(reason));
	ERR_clear_error();
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s%s%s%s%s", what, arg ? " " : "", arg ? arg : "",
			 reason[0] ? ": " : "", reason);
	errno = errnum;
	return -errnum;
}

static int readable(const char *path, char *err, size_t errlen, const char *what)
{
	if (access(path, R_OK) == 0)
		return 0;
	return fail(err, errlen, errno == EACCES ? EACCES : ENOENT, what, path);
}

static int load_chain(SSL_CTX *ssl_ctx, const char *path, char *err, size_t errlen)
{
	FILE *f;
	X509 *x;
	int n = 0;

	if (readable(path, err, errlen, "cannot read chain") < 0)
		return -errno;
	f = fopen(path, "r");
	if (f == NULL)
		return fail(err, errlen, ENOENT, "cannot open chain", path);
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		if (SSL_CTX_add0_chain_cert(ssl_ctx, x) != 1) {
			X509_free(x);
			fclose(f);
			return fail(err, errlen, EINVAL, "bad chain certificate in", path);
		}
		n++;
	}
	fclose(f);
	ERR_clear_error(); /* the end of the file reads as an error */
	if (n == 0)
		return fail(err, errlen, EINVAL, "no certificate in chain", path);
	return 0;
}

static int hash_der(const X509 *cert, enum sg_tls_hash alg, uint8_t out[32])
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int len;
	int rc = -EINVAL;

	if (alg != SG_TLS_HASH_SHA1 && alg != SG_TLS_HASH_SHA256)
		return -EINVAL;
	len = i2d_X509(cert, &der);
	if (len <= 0)
		return -EINVAL;
	memset(out, 0, 32);
	if (EVP_Digest(der, (size_t)len, out, &mdlen,
		       alg == SG_TLS_HASH_SHA1 ? EVP_sha1() : EVP_sha256(), NULL) == 1)
		rc = 0;
	OPENSSL_free(der);
	return rc;
}

static int configure_server(struct sg_tls_ctx *ctx, const struct sg_tls_conf *conf, char *err,
			    size_t errlen)
{
	SSL_CTX *s = ctx->ssl_ctx;

	if (conf->certificate == NULL || conf->key == NULL)
		return fail(err, errlen, EINVAL, "a server needs a certificate and a key", NULL);
	if (readable(conf->certificate, err, errlen, "cannot read certificate") < 0 ||
	    readable(conf->key, err, errlen, "cannot read key") < 0)
		return -errno;
	if (SSL_CTX_use_certificate_file(s, conf->certificate, SSL_FILETYPE_PEM) != 1)
		return fail(err, errlen, EINVAL, "bad certificate", conf->certificate);
	if (SSL_CTX_use_PrivateKey_file(s, conf->key, SSL_FILETYPE_PEM) != 1)
		return fail(err, errlen, EINVAL, "bad key", conf->key);
	if (SSL_CTX_check_private_key(s) != 1)
		return fail(err, errlen, EINVAL, "key does not match certificate", conf->key);
	if (conf->chain != NULL && load_chain(s, conf->chain, err, errlen) < 0)
		return -errno;
	/* Our preference order, not the client's: the operator picked the ciphers. */
	SSL_CTX_set_options(s, SSL_OP_CIPHER_SERVER_PREFERENCE);
	return 0;
}

struct sg_tls_ctx *sg_tls_ctx_create(const struct sg_tls_conf *conf, char *err, size_t errlen)
{
	struct sg_tls_ctx *ctx = calloc(1, sizeof(*ctx));
	int minv = conf->min_version ? conf->min_version : TLS1_2_VERSION;

	if (ctx == NULL) {
		fail(err, errlen, ENOMEM, "out of memory", NULL);
		return NULL;
	}
	ctx->role = conf->role;
	ctx->openssl_records = conf->openssl_records;
	ctx->ssl_ctx = SSL_CTX_new(conf->role == SG_TLS_CLIENT ? TLS_client_method()
							       : TLS_server_method());
	if (ctx->ssl_ctx == NULL) {
		fail(err, errlen, ENOMEM, "SSL_CTX_new failed", NULL);
		goto error;
	}
	if (SSL_CTX_set_min_proto_version(ctx->ssl_ctx, minv) != 1 ||
	    (conf->max_version &&
	     SSL_CTX_set_max_proto_version(ctx->ssl_ctx, conf->max_version) != 1)) {
		fail(err, errlen, EINVAL, "unsupported TLS version bounds", NULL);
		goto error;
	}
	if (conf->ciphers && SSL_CTX_set_cipher_list(ctx->ssl_ctx, conf->ciphers) != 1) {
		fail(err, errlen, EINVAL, "no usable cipher in", conf->ciphers);
		goto error;
	}
	if (conf->ciphersuites && SSL_CTX_set_ciphersuites(ctx->ssl_ctx, conf->ciphersuites) != 1) {
		fail(err, errlen, EINVAL, "no usable TLS 1.3 suite in", conf->ciphersuites);
		goto error;
	}
	/* Idle sessions must not hold record buffers (memory per session). Renegotiation
	 * is a DoS lever and SSTP never needs it. */
	SSL_CTX_set_mode(ctx->ssl_ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_options(ctx->ssl_ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
	if (!conf->openssl_records) {
		/* Our record layer (tls_rec.c) needs the TLS 1.3 traffic secrets, and a TLS 1.3
		 * server must not have sent records it cannot count (session tickets: SSTP
		 * clients hold one long connection and do not resume). */
		SSL_CTX_set_keylog_callback(ctx->ssl_ctx, tls_keylog);
		if (conf->role == SG_TLS_SERVER)
			SSL_CTX_set_num_tickets(ctx->ssl_ctx, 0);
	}
	if (conf->role == SG_TLS_CLIENT) {
		/* The load generator checks the server by certificate hash (crypto binding). */
		SSL_CTX_set_verify(ctx->ssl_ctx, SSL_VERIFY_NONE, NULL);
	} else if (configure_server(ctx, conf, err, errlen) < 0) {
		goto error;
	}
	if (tls_bio_method_init(ctx) < 0) {
		fail(err, errlen, ENOMEM, "BIO_meth_new failed", NULL);
		goto error;
	}
	return ctx;
error: {
	int saved = errno;
	sg_tls_ctx_free(ctx);
	errno = saved;
	return NULL;
}
}

void sg_tls_ctx_free(struct sg_tls_ctx *ctx)
{
	if (ctx == NULL)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	BIO_meth_free(ctx->bio_method);
	free(ctx);
}

int sg_tls_ctx_cert_hash(const struct sg_tls_ctx *ctx, enum sg_tls_hash alg, uint8_t out[32])
{
	X509 *leaf;

	if (ctx->role != SG_TLS_SERVER)
		return -EINVAL;
	leaf = SSL_CTX_get0_certificate(ctx->ssl_ctx);
	return leaf ? hash_der(leaf, alg, out) : -EINVAL;
}

int sg_tls_conn_peer_cert_hash(const struct sg_tls_conn *conn, enum sg_tls_hash alg,
			       uint8_t out[32])
{
	X509 *peer = SSL_get0_peer_certificate(conn->ssl);

	return peer ? hash_der(peer, alg, out) : -ENOENT;
}
