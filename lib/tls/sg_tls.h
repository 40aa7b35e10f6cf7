/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLS for one worker: OpenSSL sessions on sstpgw's own BIOs, with no socket.
 *
 * Data flow of one connection:
 *   TCP payload ──sg_tls_conn_input()──► OpenSSL ──on_plain()──► SSTP
 *   SSTP ──sg_tls_conn_write[v]()──► OpenSSL ──out queue──► sg_tls_conn_out_peek/consume ──► TCP
 *
 * OpenSSL does the handshake. After it, a TLS 1.2 or 1.3 AES-GCM session's application
 * data bypasses OpenSSL's record layer (tls_rec.c: EVP AES-GCM with the session's keys,
 * every tag verified before any plaintext is delivered): whole records are decrypted
 * straight from the caller's buffer, a record split across calls is stashed, and
 * sg_tls_conn_writev() encrypts straight from the iovecs into the output queue. Other
 * sessions (other ciphers, max_fragment_length) stay on OpenSSL's SSL_read/SSL_write.
 *
 * Every byte handed to input is consumed. Output collects in a queue; a drained queue
 * keeps a buffer of up to 4 KiB for the next burst and frees a bigger one, and
 * SSL_MODE_RELEASE_BUFFERS frees OpenSSL's own buffers between records: an idle session
 * holds at most a few KiB (sg_tls_conn_buffered()).
 *
 * Threads: a context belongs to one worker (one SSL_CTX per worker, as ARCHITECTURE.md
 * says); a connection belongs to the worker that owns its context. Nothing here locks.
 */
#ifndef SG_TLS_H
#define SG_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest plaintext in one TLS record; sg_tls_conn_writev() fills records up to this. */
#define SG_TLS_MAX_RECORD 16384

enum sg_tls_role {
	SG_TLS_SERVER = 0,
	SG_TLS_CLIENT = 1, /* the load generator and tests */
};

enum sg_tls_hash {
	SG_TLS_HASH_SHA1 = 1,	/* 20 bytes */
	SG_TLS_HASH_SHA256 = 2, /* 32 bytes */
};

struct sg_tls_conf {
	enum sg_tls_role role;
	const char *certificate;  /* PEM leaf (server: required; client: unused) */
	const char *key;	  /* PEM private key matching certificate */
	const char *chain;	  /* PEM intermediates sent after the leaf, or NULL */
	const char *ciphers;	  /* TLS 1.2 cipher list, NULL: OpenSSL's default */
	const char *ciphersuites; /* TLS 1.3 suites, NULL: OpenSSL's default */
	int min_version;	  /* TLS1_2_VERSION ...; 0: TLS 1.2 */
	int max_version;	  /* 0: highest supported */
	/* 1: keep OpenSSL's record layer for application data too (comparison, tests).
	 * 0: lib/tls's own AES-GCM record layer after the handshake; a TLS 1.3 server then
	 * sends no session tickets (SSTP clients keep one connection and do not resume). */
	int openssl_records;
};

struct sg_tls_ctx;
struct sg_tls_conn;

/*
 * Build a context. On failure returns NULL, sets errno (EINVAL bad setting, ENOENT or
 * EACCES file, ENOMEM) and writes one line naming what failed into err.
 */
struct sg_tls_ctx *sg_tls_ctx_create(const struct sg_tls_conf *conf, char *err, size_t errlen);
void sg_tls_ctx_free(struct sg_tls_ctx *ctx);

/*
 * Hash of the DER leaf certificate this server presents (the SSTP crypto binding's
 * certificate hash). out must hold 32 bytes; SHA1 fills 20 and zeroes the rest.
 * 0, or -EINVAL (client context or unknown alg).
 */
int sg_tls_ctx_cert_hash(const struct sg_tls_ctx *ctx, enum sg_tls_hash alg, uint8_t out[32]);

/* New connection (NULL + errno ENOMEM). A client connection queues its ClientHello now. */
struct sg_tls_conn *sg_tls_conn_new(struct sg_tls_ctx *ctx);
/* Free a connection; wipes nothing the caller owns. NULL is fine. */
void sg_tls_conn_free(struct sg_tls_conn *conn);

/* Receives decrypted application bytes (valid only during the call). */
typedef void (*sg_tls_plain_fn)(void *arg, const uint8_t *data, size_t len);

/*
 * Hand TCP payload to TLS: drives the handshake and delivers every complete record's
 * plaintext to on_plain. All len bytes are consumed (OpenSSL keeps a partial record).
 * Returns 0; -ECONNRESET when the peer sent close_notify; -EPROTO on a fatal TLS
 * error (an alert may be queued: send the output, then close).
 */
int sg_tls_conn_input(struct sg_tls_conn *conn, const uint8_t *data, size_t len,
		      sg_tls_plain_fn on_plain, void *arg);

/* 1 once the handshake has completed. */
int sg_tls_conn_established(const struct sg_tls_conn *conn);

/*
 * Encrypt len bytes as one or more records into the output queue. 0; -EAGAIN before
 * the handshake completes; -EPROTO after a fatal error; -ENOMEM.
 */
int sg_tls_conn_write(struct sg_tls_conn *conn, const void *buf, size_t len);

/*
 * Encrypt several buffers (e.g. a burst of SSTP packets) coalesced into as few
 * records as possible (up to SG_TLS_MAX_RECORD plaintext each). Returns as write().
 */
int sg_tls_conn_writev(struct sg_tls_conn *conn, const struct iovec *iov, int iovcnt);

/* Queue close_notify. 0 or -EPROTO. */
int sg_tls_conn_shutdown(struct sg_tls_conn *conn);

/* Ciphertext waiting for TCP: a contiguous view of the head, and its total length. */
const uint8_t *sg_tls_conn_out_peek(const struct sg_tls_conn *conn, size_t *len);
size_t sg_tls_conn_out_pending(const struct sg_tls_conn *conn);
/* Drop n bytes from the head (sent); a drained queue keeps at most a 4 KiB buffer. */
void sg_tls_conn_out_consume(struct sg_tls_conn *conn, size_t n);

/* Negotiated protocol ("TLSv1.3") and cipher, for logs; "" before the handshake. */
const char *sg_tls_conn_version(const struct sg_tls_conn *conn);
const char *sg_tls_conn_cipher(const struct sg_tls_conn *conn);

/* 1 when application data goes through lib/tls's own AES-GCM record layer, 0 OpenSSL's. */
int sg_tls_conn_fast(const struct sg_tls_conn *conn);

/* Client side: hash of the server's leaf certificate as received. 0, -ENOENT, -EINVAL. */
int sg_tls_conn_peer_cert_hash(const struct sg_tls_conn *conn, enum sg_tls_hash alg,
			       uint8_t out[32]);

/* Bytes this connection holds in its own queues (for memory accounting). */
size_t sg_tls_conn_buffered(const struct sg_tls_conn *conn);

#ifdef __cplusplus
}
#endif

#endif /* SG_TLS_H */
