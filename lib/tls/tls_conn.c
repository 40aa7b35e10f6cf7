/* SPDX-License-Identifier: BSD-3-Clause */
/* One TLS connection: the BIO that joins OpenSSL to the caller's buffers, input, output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "sg_log.h"
#include "tls_private.h"

/* --- output queue ------------------------------------------------------------------ */

/* Make room for len more bytes at the tail (compacting or growing); 0 or -ENOMEM. */
static int outq_room(struct tls_outq *q, size_t len)
{
	size_t live = q->tail - q->head, cap;
	uint8_t *nb;

	if (q->cap - q->tail >= len)
		return 0;
	if (q->head > 0 && q->cap - live >= len) { /* room after compaction */
		memmove(q->buf, q->buf + q->head, live);
	} else {
		cap = q->cap ? q->cap : TLS_OUTQ_KEEP;
		while (cap - live < len)
			cap *= 2;
		nb = malloc(cap);
		if (nb == NULL)
			return -ENOMEM;
		if (live)
			memcpy(nb, q->buf + q->head, live);
		free(q->buf);
		q->buf = nb;
		q->cap = cap;
	}
	q->head = 0;
	q->tail = live;
	return 0;
}

uint8_t *tls_outq_reserve(struct tls_outq *q, size_t len)
{
	uint8_t *p;

	if (outq_room(q, len) < 0)
		return NULL;
	p = q->buf + q->tail;
	q->tail += len;
	return p;
}

int tls_outq_append(struct tls_outq *q, const void *data, size_t len)
{
	uint8_t *p = tls_outq_reserve(q, len);

	if (p == NULL)
		return -ENOMEM;
	memcpy(p, data, len);
	return 0;
}

static void outq_consume(struct tls_outq *q, size_t n)
{
	q->head += n < q->tail - q->head ? n : q->tail - q->head;
	if (q->head == q->tail) {
		/* Drained. A small buffer stays for the next burst (no malloc/free per burst);
		 * a big one (a bulk burst) goes, so an idle session holds at most KEEP bytes. */
		q->head = q->tail = 0;
		if (q->cap > TLS_OUTQ_KEEP) {
			free(q->buf);
			q->buf = NULL;
			q->cap = 0;
		}
	}
}

/* --- the BIO: reads the caller's input in place, writes into the output queue ------- */

static int bio_read(BIO *bio, char *buf, size_t len, size_t *readbytes)
{
	struct sg_tls_conn *c = BIO_get_data(bio);
	size_t n;

	BIO_clear_retry_flags(bio);
	if (c->in_len == 0) {
		BIO_set_retry_read(bio); /* "want read": the caller has given all it has */
		return 0;
	}
	n = len < c->in_len ? len : c->in_len;
	memcpy(buf, c->in, n);
	c->in += n;
	c->in_len -= n;
	*readbytes = n;
	return 1;
}

static int bio_write(BIO *bio, const char *buf, size_t len, size_t *written)
{
	struct sg_tls_conn *c = BIO_get_data(bio);

	BIO_clear_retry_flags(bio);
	if (tls_outq_append(&c->out, buf, len) < 0)
		return 0; /* OpenSSL reports a fatal error; we never ask it to retry */
	*written = len;
	return 1;
}

static long bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
	struct sg_tls_conn *c = BIO_get_data(bio);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_PENDING:
		return c ? (long)c->in_len : 0;
	case BIO_CTRL_WPENDING:
		return c ? (long)(c->out.tail - c->out.head) : 0;
	default:
		return 0;
	}
}

int tls_bio_method_init(struct sg_tls_ctx *ctx)
{
	ctx->bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sstpgw");
	if (ctx->bio_method == NULL)
		return -ENOMEM;
	if (BIO_meth_set_read_ex(ctx->bio_method, bio_read) != 1 ||
	    BIO_meth_set_write_ex(ctx->bio_method, bio_write) != 1 ||
	    BIO_meth_set_ctrl(ctx->bio_method, bio_ctrl) != 1)
		return -ENOMEM;
	return 0;
}

/* --- connections ------------------------------------------------------------------- */

struct sg_tls_conn *sg_tls_conn_new(struct sg_tls_ctx *ctx)
{
	struct sg_tls_conn *c = calloc(1, sizeof(*c));
	BIO *bio;

	if (c == NULL)
		goto nomem;
	c->ssl = SSL_new(ctx->ssl_ctx);
	bio = c->ssl ? BIO_new(ctx->bio_method) : NULL;
	if (bio == NULL)
		goto nomem;
	BIO_set_data(bio, c);
	BIO_set_init(bio, 1);
	SSL_set_app_data(c->ssl, c); /* tls_keylog() finds the connection */
	c->fast = ctx->openssl_records ? -1 : 0; /* -1: never */
	SSL_set_bio(c->ssl, bio, bio); /* one BIO both ways: SSL takes the one reference */
	if (ctx->role == SG_TLS_CLIENT) {
		SSL_set_connect_state(c->ssl);
		ERR_clear_error();
		if (SSL_do_handshake(c->ssl) != -1 ||
		    SSL_get_error(c->ssl, -1) != SSL_ERROR_WANT_READ)
			goto nomem; /* the ClientHello could not be queued */
	} else {
		SSL_set_accept_state(c->ssl);
	}
	return c;
nomem:
	ERR_clear_error();
	sg_tls_conn_free(c);
	errno = ENOMEM;
	return NULL;
}

void sg_tls_conn_free(struct sg_tls_conn *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	tls_rec_free(&c->rec);
	OPENSSL_cleanse(c->sec13, sizeof(c->sec13));
	free(c->out.buf);
	free(c);
}

/* Map an SSL_* result that is not success; 0 means "needs more input". */
static int ssl_status(struct sg_tls_conn *c, int ret)
{
	int e = SSL_get_error(c->ssl, ret);

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		return -ECONNRESET;
	default: {
		char reason[160] = "";
		unsigned long ossl = ERR_peek_error();

		if (ossl != 0)
			ERR_error_string_n(ossl, reason, sizeof(reason));
		SG_LOG(TLS, INFO, "tls: fatal error %d: %s", e, reason);
		ERR_clear_error();
		c->failed = 1;
		return -EPROTO;
	}
	}
}

int sg_tls_conn_input(struct sg_tls_conn *c, const uint8_t *data, size_t len,
		      sg_tls_plain_fn on_plain, void *arg)
{
	uint8_t plain[SG_TLS_MAX_RECORD];
	int rc = 0;

	if (c->failed)
		return -EPROTO;
	if (c->fast == 1)
		return tls_rec_input(c, data, len, on_plain, arg);
	c->in = data;
	c->in_len = len;
	ERR_clear_error();
	for (;;) {
		int n;

		if (!c->established) {
			n = SSL_do_handshake(c->ssl);
			if (n != 1) {
				rc = ssl_status(c, n);
				break;
			}
			c->established = 1;
			if (c->fast == 0 && tls_rec_start(c)) {
				/* From here on application data bypasses OpenSSL. */
				c->fast = 1;
				data = c->in;
				len = c->in_len;
				c->in = NULL;
				c->in_len = 0;
				return len ? tls_rec_input(c, data, len, on_plain, arg) : 0;
			}
			if (c->fast == 0)
				c->fast = -1;
		}
		n = SSL_read(c->ssl, plain, sizeof(plain));
		if (n <= 0) {
			rc = ssl_status(c, n);
			break;
		}
		on_plain(arg, plain, (size_t)n);
	}
	/* OpenSSL has read every byte it was offered (it keeps partial records). */
	c->in = NULL;
	c->in_len = 0;
	return rc;
}

int sg_tls_conn_established(const struct sg_tls_conn *c)
{
	return c->established;
}

int sg_tls_conn_fast(const struct sg_tls_conn *c)
{
	return c->fast == 1;
}

int sg_tls_conn_write(struct sg_tls_conn *c, const void *buf, size_t len)
{
	size_t done = 0;

	if (c->failed)
		return -EPROTO;
	if (!c->established)
		return -EAGAIN;
	if (c->fast == 1) {
		struct iovec v = {(void *)buf, len};

		return c->sent_close ? -EPROTO : tls_rec_writev(c, &v, 1);
	}
	ERR_clear_error();
	while (done < len) {
		size_t w = 0;

		if (SSL_write_ex(c->ssl, (const uint8_t *)buf + done, len - done, &w) != 1) {
			int rc = ssl_status(c, 0);
			return rc ? rc : -ENOMEM;
		}
		done += w;
	}
	return 0;
}

int sg_tls_conn_writev(struct sg_tls_conn *c, const struct iovec *iov, int iovcnt)
{
	uint8_t rec[SG_TLS_MAX_RECORD];
	size_t fill = 0;
	int rc = 0;

	if (c->fast == 1 && c->established && !c->failed) /* straight from iov, no staging */
		return c->sent_close ? -EPROTO : tls_rec_writev(c, iov, iovcnt);
	for (int i = 0; i < iovcnt && rc == 0; i++) {
		const uint8_t *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left > 0 && rc == 0) {
			size_t n = sizeof(rec) - fill < left ? sizeof(rec) - fill : left;

			memcpy(rec + fill, p, n);
			fill += n;
			p += n;
			left -= n;
			if (fill == sizeof(rec)) { /* a full record: send it and start the next */
				rc = sg_tls_conn_write(c, rec, fill);
				fill = 0;
			}
		}
	}
	if (rc == 0 && fill > 0)
		rc = sg_tls_conn_write(c, rec, fill);
	return rc;
}

int sg_tls_conn_shutdown(struct sg_tls_conn *c)
{
	if (c->failed)
		return -EPROTO;
	if (c->fast == 1) {
		if (!c->sent_close && tls_rec_alert(c, 1, 0) < 0) /* warning close_notify */
			return -EPROTO;
		c->sent_close = 1;
		return 0;
	}
	ERR_clear_error();
	if (SSL_shutdown(c->ssl) < 0) {
		ERR_clear_error();
		return -EPROTO;
	}
	return 0;
}

const uint8_t *sg_tls_conn_out_peek(const struct sg_tls_conn *c, size_t *len)
{
	*len = c->out.tail - c->out.head;
	return *len ? c->out.buf + c->out.head : NULL;
}

size_t sg_tls_conn_out_pending(const struct sg_tls_conn *c)
{
	return c->out.tail - c->out.head;
}

void sg_tls_conn_out_consume(struct sg_tls_conn *c, size_t n)
{
	outq_consume(&c->out, n);
}

const char *sg_tls_conn_version(const struct sg_tls_conn *c)
{
	return c->established ? SSL_get_version(c->ssl) : "";
}

const char *sg_tls_conn_cipher(const struct sg_tls_conn *c)
{
	const char *name = c->established ? SSL_get_cipher_name(c->ssl) : NULL;

	return name ? name : "";
}

size_t sg_tls_conn_buffered(const struct sg_tls_conn *c)
{
	return c->out.cap + c->rec.stash.cap;
}
