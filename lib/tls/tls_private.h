/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SG_TLS_PRIVATE_H
#define SG_TLS_PRIVATE_H

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "sg_tls.h"

struct sg_tls_ctx {
	SSL_CTX *ssl_ctx;
	BIO_METHOD *bio_method; /* the connection BIO below, one method per context */
	enum sg_tls_role role;
};

/* Ciphertext waiting for TCP; buf is freed whenever head reaches tail. */
struct tls_outq {
	uint8_t *buf;
	size_t head, tail, cap;
};

struct sg_tls_conn {
	SSL *ssl;
	const uint8_t *in; /* caller's ciphertext during sg_tls_conn_input(), else NULL */
	size_t in_len;
	struct tls_outq out;
	int established;
	int failed; /* a fatal error happened: nothing more is encrypted */
};

int tls_bio_method_init(struct sg_tls_ctx *ctx);

#endif
