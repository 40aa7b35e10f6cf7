/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SG_TLS_PRIVATE_H
#define SG_TLS_PRIVATE_H

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "sg_tls.h"

struct sg_tls_ctx {
	SSL_CTX *ssl_ctx;
	BIO_METHOD *bio_method; /* the connection BIO below, one method per context */
	enum sg_tls_role role;
	int openssl_records;	/* 1: never take over the record layer (sg_tls_conf) */
};

/* A drained output queue keeps a buffer up to this size: no malloc/free per burst. */
#define TLS_OUTQ_KEEP 4096

/* Ciphertext waiting for TCP; a buffer larger than TLS_OUTQ_KEEP is freed when it drains. */
struct tls_outq {
	uint8_t *buf;
	size_t head, tail, cap;
};

/* --- the AES-GCM application-data record layer (tls_rec.c) ------------------------ */

#define TLS_REC_HDR 5
#define TLS_REC_TAG 16
#define TLS12_EXPLICIT_NONCE 8
/* Largest ciphertext a peer may send (RFC 8446 5.2: 2^14 + 256; RFC 5246 6.2.3: + 2048). */
#define TLS13_MAX_CIPHERTEXT (SG_TLS_MAX_RECORD + 256)
#define TLS12_MAX_CIPHERTEXT (SG_TLS_MAX_RECORD + 2048)
#define TLS_MAX_SECRET 48 /* SHA-384 */

/* One direction of the record layer: key, static IV, sequence number. */
struct tls_rec_dir {
	EVP_CIPHER_CTX *aead;
	uint8_t iv[12];			    /* TLS 1.3: the whole IV; TLS 1.2: 4-byte salt */
	uint64_t seq;			    /* next record's sequence number */
	uint8_t secret[TLS_MAX_SECRET];	    /* TLS 1.3 traffic secret (KeyUpdate) */
};

/* Partial record carried between sg_tls_conn_input() calls. */
struct tls_stash {
	uint8_t *buf;
	size_t len, cap;
};

struct tls_rec {
	int version;		    /* TLS1_2_VERSION or TLS1_3_VERSION */
	size_t keylen;		    /* 16 or 32 */
	const EVP_MD *md;	    /* handshake / PRF hash */
	struct tls_rec_dir rd, wr;
	struct tls_stash stash;
};

struct sg_tls_conn {
	SSL *ssl;
	const uint8_t *in; /* caller's ciphertext during sg_tls_conn_input(), else NULL */
	size_t in_len;
	struct tls_outq out;
	int established;
	int failed; /* a fatal error happened: nothing more is encrypted */
	int fast;   /* application data goes through rec, not OpenSSL */
	int sent_close; /* our close_notify is queued (fast path) */
	int rcvd_close; /* the peer's close_notify arrived (fast path) */
	struct tls_rec rec;
	/* TLS 1.3 application traffic secrets as OpenSSL derives them (keylog callback). */
	uint8_t sec13[2][TLS_MAX_SECRET]; /* [0] client, [1] server */
	size_t sec13_len[2];
};

int tls_bio_method_init(struct sg_tls_ctx *ctx);
int tls_outq_append(struct tls_outq *q, const void *data, size_t len);
/* Reserve len bytes at the tail (uninitialised); NULL on ENOMEM. */
uint8_t *tls_outq_reserve(struct tls_outq *q, size_t len);

/* keylog callback installed on every context: keeps the TLS 1.3 traffic secrets. */
void tls_keylog(const SSL *ssl, const char *line);

/* After the handshake: take over application data if the session allows it. 1 taken, 0 not. */
int tls_rec_start(struct sg_tls_conn *c);
void tls_rec_free(struct tls_rec *r);
/* Encrypt iov as records of at most SG_TLS_MAX_RECORD plaintext into c->out. */
int tls_rec_writev(struct sg_tls_conn *c, const struct iovec *iov, int iovcnt);
/* Encrypt one alert record (level, description). */
int tls_rec_alert(struct sg_tls_conn *c, uint8_t level, uint8_t desc);
/* Parse, verify and decrypt records from data; plaintext to on_plain. 0, -ECONNRESET, -EPROTO. */
int tls_rec_input(struct sg_tls_conn *c, const uint8_t *data, size_t len, sg_tls_plain_fn on_plain,
		  void *arg);

#endif
