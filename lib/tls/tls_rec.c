/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The application-data record layer for AES-GCM sessions, after OpenSSL's handshake.
 *
 * OpenSSL spends more instructions per small record on its own machinery (SSL_read /
 * SSL_write state, BIO calls, buffer malloc/free, OSSL_PARAM look-ups) than on AES-GCM
 * itself (bench/README.md). Once the handshake is over, a TLS 1.2 (RFC 5288) or TLS 1.3
 * (RFC 8446) AES-GCM session is only: a key and IV per direction, a sequence number, and
 * a fixed nonce/AAD construction. This file does exactly that with EVP directly:
 *
 *   keys    TLS 1.3: the traffic secrets OpenSSL derived (keylog callback), expanded with
 *           HKDF-Expand-Label("key"/"iv"); TLS 1.2: key_block = PRF(master secret,
 *           "key expansion", server_random + client_random).
 *   nonce   TLS 1.3: iv XOR seq; TLS 1.2: 4-byte salt + 8-byte explicit nonce (ours: seq).
 *   AAD     TLS 1.3: the record header; TLS 1.2: seq + type + version + plaintext length.
 *
 * Every tag is verified before any plaintext leaves (on_plain runs after
 * EVP_DecryptFinal_ex). Alerts, TLS 1.3 KeyUpdate and NewSessionTicket are handled here;
 * anything else after the handshake is a fatal unexpected_message. Sessions that do not
 * fit (other ciphers, max_fragment_length, OpenSSL holding unread bytes) stay on OpenSSL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "sg_log.h"
#include "tls_private.h"

enum {
	CT_CCS = 20,
	CT_ALERT = 21,
	CT_HANDSHAKE = 22,
	CT_APP = 23,
	AL_WARNING = 1,
	AL_FATAL = 2,
	AD_CLOSE_NOTIFY = 0,
	AD_UNEXPECTED_MESSAGE = 10,
	AD_BAD_RECORD_MAC = 20,
	AD_RECORD_OVERFLOW = 22,
	AD_DECODE_ERROR = 50,
	AD_USER_CANCELED = 90,
	AD_NO_RENEGOTIATION = 100,
	HS_HELLO_REQUEST = 0,
	HS_CLIENT_HELLO = 1,
	HS_NEW_SESSION_TICKET = 4,
	HS_KEY_UPDATE = 24,
};

/* --- key schedule ------------------------------------------------------------------ */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

void tls_keylog(const SSL *ssl, const char *line)
{
	static const char *const label[2] = {"CLIENT_TRAFFIC_SECRET_0 ",
					     "SERVER_TRAFFIC_SECRET_0 "};
	struct sg_tls_conn *c = SSL_get_app_data(ssl);

	if (c == NULL)
		return;
	for (int d = 0; d < 2; d++) {
		size_t ll = strlen(label[d]), n = 0;
		const char *p, *sp;

		if (strncmp(line, label[d], ll) != 0)
			continue;
		sp = strchr(line + ll, ' '); /* skip the client random */
		if (sp == NULL)
			return;
		for (p = sp + 1; p[0] != '\0' && p[1] != '\0' && n < TLS_MAX_SECRET; p += 2) {
			int hi = hexval(p[0]), lo = hexval(p[1]);
			if (hi < 0 || lo < 0)
				break;
			c->sec13[d][n++] = (uint8_t) (hi << 4 | lo);
		}
		c->sec13_len[d] = (*p == '\0') ? n : 0; /* anything odd: no fast path */
	}
}

static int kdf_derive(const char *name, OSSL_PARAM *params, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok = kctx != NULL && EVP_KDF_derive(kctx, out, outlen, params) == 1;

	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -EIO;
}

/* RFC 8446 7.1 HKDF-Expand-Label(secret, label, "", outlen). */
static int hkdf_expand_label(const EVP_MD *md, const uint8_t *secret, size_t slen,
			     const char *label, uint8_t *out, size_t outlen)
{
	uint8_t info[2 + 1 + 6 + 16 + 1];
	size_t ll = strlen(label), n = 0;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[5];

	info[n++] = (uint8_t) (outlen >> 8);
	info[n++] = (uint8_t) outlen;
	info[n++] = (uint8_t) (6 + ll);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, ll);
	n += 6 + ll;
	info[n++] = 0; /* empty context */
	params[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *) EVP_MD_get0_name(md), 0);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *) secret, slen);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n);
	params[4] = OSSL_PARAM_construct_end();
	return kdf_derive("HKDF", params, out, outlen);
}

static int dir_key(struct tls_rec *r, struct tls_rec_dir *d, const uint8_t *key, int enc)
{
	const EVP_CIPHER *cipher = r->keylen == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();

	if (d->aead == NULL && (d->aead = EVP_CIPHER_CTX_new()) == NULL)
		return -ENOMEM;
	return EVP_CipherInit_ex(d->aead, cipher, NULL, key, NULL, enc) == 1 ? 0 : -EIO;
}

/* TLS 1.3: key and IV of one direction from its traffic secret (also after KeyUpdate). */
static int dir_from_secret13(struct tls_rec *r, struct tls_rec_dir *d, int enc)
{
	uint8_t key[32];
	size_t hl = (size_t) EVP_MD_get_size(r->md);
	int rc = hkdf_expand_label(r->md, d->secret, hl, "key", key, r->keylen);

	if (rc == 0)
		rc = hkdf_expand_label(r->md, d->secret, hl, "iv", d->iv, 12);
	if (rc == 0)
		rc = dir_key(r, d, key, enc);
	OPENSSL_cleanse(key, sizeof(key));
	d->seq = 0;
	return rc;
}

/* RFC 8446 7.2: next secret = HKDF-Expand-Label(secret, "traffic upd", "", Hash.length). */
static int dir_key_update(struct tls_rec *r, struct tls_rec_dir *d, int enc)
{
	uint8_t next[TLS_MAX_SECRET];
	size_t hl = (size_t) EVP_MD_get_size(r->md);
	int rc = hkdf_expand_label(r->md, d->secret, hl, "traffic upd", next, hl);

	if (rc == 0) {
		memcpy(d->secret, next, hl);
		rc = dir_from_secret13(r, d, enc);
	}
	OPENSSL_cleanse(next, sizeof(next));
	return rc;
}

static int start13(struct sg_tls_conn *c, int server)
{
	struct tls_rec *r = &c->rec;
	size_t hl = (size_t) EVP_MD_get_size(r->md);
	int rd = server ? 0 : 1, wr = server ? 1 : 0; /* sec13[0] client, [1] server */
	int rc;

	if (c->sec13_len[0] != hl || c->sec13_len[1] != hl)
		return -ENOENT;
	memcpy(r->rd.secret, c->sec13[rd], hl);
	memcpy(r->wr.secret, c->sec13[wr], hl);
	rc = dir_from_secret13(r, &r->rd, 0);
	if (rc == 0)
		rc = dir_from_secret13(r, &r->wr, 1);
	return rc;
}

static int start12(struct sg_tls_conn *c, int server)
{
	struct tls_rec *r = &c->rec;
	uint8_t master[48], seed[13 + 64], kb[2 * 32 + 2 * 4];
	size_t kl = r->keylen, ml;
	OSSL_PARAM params[4];
	int rc;

	ml = SSL_SESSION_get_master_key(SSL_get_session(c->ssl), master, sizeof(master));
	if (ml != sizeof(master))
		return -ENOENT;
	memcpy(seed, "key expansion", 13);
	if (SSL_get_server_random(c->ssl, seed + 13, 32) != 32 ||
	    SSL_get_client_random(c->ssl, seed + 45, 32) != 32) {
		OPENSSL_cleanse(master, sizeof(master));
		return -ENOENT;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *) EVP_MD_get0_name(r->md), 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, master, ml);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof(seed));
	params[3] = OSSL_PARAM_construct_end();
	/* client_write_key, server_write_key, client_write_IV[4], server_write_IV[4] */
	rc = kdf_derive("TLS1-PRF", params, kb, 2 * kl + 8);
	if (rc == 0) {
		const uint8_t *ck = kb, *sk = kb + kl, *civ = kb + 2 * kl, *siv = civ + 4;

		memcpy(r->rd.iv, server ? civ : siv, 4);
		memcpy(r->wr.iv, server ? siv : civ, 4);
		rc = dir_key(r, &r->rd, server ? ck : sk, 0);
		if (rc == 0)
			rc = dir_key(r, &r->wr, server ? sk : ck, 1);
		/* Each side's Finished was record 0 under these keys. */
		r->rd.seq = 1;
		r->wr.seq = 1;
	}
	OPENSSL_cleanse(master, sizeof(master));
	OPENSSL_cleanse(kb, sizeof(kb));
	return rc;
}

/* Keys for the negotiated cipher: 1 = ready, 0 = stay on OpenSSL's records, <0 = error. */
static int start_keys(struct sg_tls_conn *c)
{
	const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl);
	struct tls_rec *r = &c->rec;
	int server = SSL_is_server(c->ssl), nid, rc;

	if (cipher == NULL || SSL_has_pending(c->ssl) ||
	    SSL_SESSION_get_max_fragment_length(SSL_get_session(c->ssl)) !=
		TLSEXT_max_fragment_length_DISABLED)
		return 0;
	nid = SSL_CIPHER_get_cipher_nid(cipher);
	if (nid == NID_aes_128_gcm)
		r->keylen = 16;
	else if (nid == NID_aes_256_gcm)
		r->keylen = 32;
	else
		return 0;
	r->md = SSL_CIPHER_get_handshake_digest(cipher);
	r->version = SSL_version(c->ssl);
	if (r->md == NULL || EVP_MD_get_size(r->md) > TLS_MAX_SECRET)
		return 0;
	if (r->version == TLS1_3_VERSION) {
		/* A server's tickets would be records under its key we did not count. */
		if (server && SSL_get_num_tickets(c->ssl) != 0)
			return 0;
		rc = start13(c, server);
	} else if (r->version == TLS1_2_VERSION) {
		rc = start12(c, server);
	} else {
		return 0;
	}
	return rc < 0 ? rc : 1;
}

int tls_rec_start(struct sg_tls_conn *c)
{
	int rc = start_keys(c);

	/* The TLS 1.3 secrets from the keylog callback are needed only here, on every path. */
	OPENSSL_cleanse(c->sec13, sizeof(c->sec13));
	if (rc < 0) {
		tls_rec_free(&c->rec);
		memset(&c->rec, 0, sizeof(c->rec));
		return 0;
	}
	return rc;
}

void tls_rec_free(struct tls_rec *r)
{
	EVP_CIPHER_CTX_free(r->rd.aead);
	EVP_CIPHER_CTX_free(r->wr.aead);
	r->rd.aead = r->wr.aead = NULL;
	OPENSSL_cleanse(r->rd.secret, sizeof(r->rd.secret));
	OPENSSL_cleanse(r->wr.secret, sizeof(r->wr.secret));
	OPENSSL_cleanse(r->rd.iv, sizeof(r->rd.iv));
	OPENSSL_cleanse(r->wr.iv, sizeof(r->wr.iv));
	free(r->stash.buf);
	r->stash.buf = NULL;
	r->stash.len = r->stash.cap = 0;
}

/* --- records ----------------------------------------------------------------------- */

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t) v;
}

/* Nonce of record seq; for TLS 1.2 the explicit part is `explicit` (8 bytes). */
static void nonce_of(const struct tls_rec *r, const struct tls_rec_dir *d, const uint8_t *explicit,
		     uint8_t nonce[12])
{
	if (r->version == TLS1_3_VERSION) {
		uint8_t s[8];

		put_be64(s, d->seq);
		memcpy(nonce, d->iv, 12);
		for (int i = 0; i < 8; i++)
			nonce[4 + i] ^= s[i];
	} else {
		memcpy(nonce, d->iv, 4);
		memcpy(nonce + 4, explicit, 8);
	}
}

/* The iovec cursor sealing walks. */
struct iov_cur {
	const struct iovec *iov;
	int cnt, i;
	size_t off;
};

/* Seal one record of type carrying n bytes taken from cur into c->out. */
static int seal(struct sg_tls_conn *c, uint8_t type, struct iov_cur *cur, size_t n)
{
	struct tls_rec *r = &c->rec;
	struct tls_rec_dir *d = &r->wr;
	int v13 = r->version == TLS1_3_VERSION;
	size_t body = (v13 ? n + 1 : TLS12_EXPLICIT_NONCE + n) + TLS_REC_TAG;
	uint8_t nonce[12], aad[13], *rec, *out;
	int len, ok;

	if (d->seq == UINT64_MAX)
		return -EPROTO;
	rec = tls_outq_reserve(&c->out, TLS_REC_HDR + body);
	if (rec == NULL)
		return -ENOMEM;
	rec[0] = v13 ? CT_APP : type;
	rec[1] = 3;
	rec[2] = 3;
	rec[3] = (uint8_t) (body >> 8);
	rec[4] = (uint8_t) body;
	out = rec + TLS_REC_HDR;
	if (v13) {
		memcpy(aad, rec, TLS_REC_HDR);
	} else {
		put_be64(out, d->seq); /* explicit nonce: unique because seq is */
		put_be64(aad, d->seq);
		aad[8] = type;
		aad[9] = 3;
		aad[10] = 3;
		aad[11] = (uint8_t) (n >> 8);
		aad[12] = (uint8_t) n;
		out += TLS12_EXPLICIT_NONCE;
	}
	nonce_of(r, d, rec + TLS_REC_HDR, nonce);
	ok = EVP_EncryptInit_ex(d->aead, NULL, NULL, NULL, nonce) == 1 &&
	     EVP_EncryptUpdate(d->aead, NULL, &len, aad, v13 ? TLS_REC_HDR : 13) == 1;
	while (ok && n > 0) {
		const struct iovec *v = &cur->iov[cur->i];
		size_t take = v->iov_len - cur->off;

		if (take == 0) {
			cur->i++;
			cur->off = 0;
			continue;
		}
		if (take > n)
			take = n;
		ok = EVP_EncryptUpdate(d->aead, out, &len, (const uint8_t *) v->iov_base + cur->off,
				       (int) take) == 1 &&
		     (size_t) len == take;
		out += take;
		cur->off += take;
		n -= take;
	}
	if (ok && v13)
		ok = EVP_EncryptUpdate(d->aead, out, &len, &type, 1) == 1 && len == 1 && (out++, 1);
	ok = ok && EVP_EncryptFinal_ex(d->aead, out, &len) == 1 &&
	     EVP_CIPHER_CTX_ctrl(d->aead, EVP_CTRL_AEAD_GET_TAG, TLS_REC_TAG, out) == 1;
	OPENSSL_cleanse(nonce, sizeof(nonce));
	if (!ok) {
		/* Never send the half-sealed record, nor another under this sequence number. */
		c->out.tail -= TLS_REC_HDR + body;
		c->failed = 1;
		return -EPROTO;
	}
	d->seq++;
	return 0;
}

int tls_rec_writev(struct sg_tls_conn *c, const struct iovec *iov, int iovcnt)
{
	struct iov_cur cur = {iov, iovcnt, 0, 0};
	size_t total = 0;
	int rc = 0;

	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	while (total > 0 && rc == 0) {
		size_t n = total < SG_TLS_MAX_RECORD ? total : SG_TLS_MAX_RECORD;

		rc = seal(c, CT_APP, &cur, n);
		total -= n;
	}
	return rc;
}

static int seal_bytes(struct sg_tls_conn *c, uint8_t type, const void *p, size_t n)
{
	struct iovec v = {(void *) p, n};
	struct iov_cur cur = {&v, 1, 0, 0};

	return seal(c, type, &cur, n);
}

int tls_rec_alert(struct sg_tls_conn *c, uint8_t level, uint8_t desc)
{
	uint8_t a[2] = {level, desc};

	return seal_bytes(c, CT_ALERT, a, sizeof(a));
}

/* A fatal error: tell the peer (best effort) and refuse everything from now on. */
static int fatal(struct sg_tls_conn *c, uint8_t desc, const char *why)
{
	SG_LOG(TLS, INFO, "tls: record layer: %s", why);
	if (!c->failed && !c->sent_close)
		tls_rec_alert(c, AL_FATAL, desc);
	c->failed = 1;
	return -EPROTO;
}

/* TLS 1.3 post-handshake messages: KeyUpdate (RFC 8446 4.6.3), NewSessionTicket (ignored). */
static int handshake13(struct sg_tls_conn *c, const uint8_t *p, size_t len)
{
	struct tls_rec *r = &c->rec;

	while (len > 0) {
		size_t ml;

		if (len < 4 || (ml = (size_t) p[1] << 16 | (size_t) p[2] << 8 | p[3]) > len - 4)
			return fatal(c, AD_UNEXPECTED_MESSAGE, "fragmented handshake message");
		if (p[0] == HS_KEY_UPDATE && ml == 1 && p[4] <= 1) {
			if (dir_key_update(r, &r->rd, 0) < 0)
				return fatal(c, AD_UNEXPECTED_MESSAGE, "key update failed");
			if (p[4] == 1 &&
			    !c->sent_close) { /* update_requested: answer, then switch */
				static const uint8_t ku[5] = {HS_KEY_UPDATE, 0, 0, 1, 0};

				if (seal_bytes(c, CT_HANDSHAKE, ku, sizeof(ku)) < 0 ||
				    dir_key_update(r, &r->wr, 1) < 0)
					return fatal(c, AD_UNEXPECTED_MESSAGE, "key update failed");
			}
		} else if (p[0] == HS_KEY_UPDATE) {
			return fatal(c, AD_DECODE_ERROR, "bad key update");
		} else if (!(p[0] == HS_NEW_SESSION_TICKET && !SSL_is_server(c->ssl))) {
			return fatal(c, AD_UNEXPECTED_MESSAGE, "handshake message after handshake");
		}
		p += 4 + ml;
		len -= 4 + ml;
	}
	return 0;
}

static int content(struct sg_tls_conn *c, uint8_t type, const uint8_t *p, size_t len,
		   sg_tls_plain_fn on_plain, void *arg)
{
	switch (type) {
	case CT_APP:
		if (len > 0)
			on_plain(arg, p, len);
		return 0;
	case CT_ALERT:
		if (len != 2)
			return fatal(c, AD_DECODE_ERROR, "bad alert");
		if (p[1] == AD_CLOSE_NOTIFY) {
			c->rcvd_close = 1;
			return -ECONNRESET;
		}
		if (p[0] == AL_WARNING && p[1] == AD_USER_CANCELED)
			return 0;
		SG_LOG(TLS, INFO, "tls: peer alert %u/%u", p[0], p[1]);
		c->failed = 1;
		return -EPROTO;
	case CT_HANDSHAKE:
		if (c->rec.version == TLS1_3_VERSION)
			return handshake13(c, p, len);
		/* TLS 1.2 renegotiation: refused with a warning, as SSL_OP_NO_RENEGOTIATION does.
		 */
		if (len >= 1 &&
		    p[0] == (SSL_is_server(c->ssl) ? HS_CLIENT_HELLO : HS_HELLO_REQUEST))
			return tls_rec_alert(c, AL_WARNING, AD_NO_RENEGOTIATION) < 0 ? -EPROTO : 0;
		return fatal(c, AD_UNEXPECTED_MESSAGE, "handshake message after handshake");
	default:
		return fatal(c, AD_UNEXPECTED_MESSAGE, "unexpected record type");
	}
}

/* Validate a record header: the record's total length, or -EPROTO. */
static long header(struct sg_tls_conn *c, const uint8_t *h)
{
	size_t len = (size_t) h[3] << 8 | h[4];
	int v13 = c->rec.version == TLS1_3_VERSION;

	if (h[1] != 3 || h[2] != 3)
		return fatal(c, AD_DECODE_ERROR, "bad record version");
	if (v13 ? h[0] != CT_APP : (h[0] < CT_ALERT || h[0] > CT_APP))
		return fatal(c, AD_UNEXPECTED_MESSAGE, "unexpected record type");
	if (len > (v13 ? TLS13_MAX_CIPHERTEXT : TLS12_MAX_CIPHERTEXT))
		return fatal(c, AD_RECORD_OVERFLOW, "record too long");
	if (len < (v13 ? 1u : TLS12_EXPLICIT_NONCE) + TLS_REC_TAG)
		return fatal(c, AD_BAD_RECORD_MAC, "record too short");
	return (long) (TLS_REC_HDR + len);
}

/* Verify and decrypt one whole record (header included), then act on its content. */
static int open_record(struct sg_tls_conn *c, const uint8_t *rec, size_t reclen,
		       sg_tls_plain_fn on_plain, void *arg)
{
	struct tls_rec *r = &c->rec;
	struct tls_rec_dir *d = &r->rd;
	int v13 = r->version == TLS1_3_VERSION;
	const uint8_t *ct = rec + TLS_REC_HDR + (v13 ? 0 : TLS12_EXPLICIT_NONCE);
	size_t ctlen = reclen - (size_t) (ct - rec) - TLS_REC_TAG;
	uint8_t plain[SG_TLS_MAX_RECORD + 1], nonce[12], aad[13], type = rec[0];
	int len, ok;

	if (ctlen > SG_TLS_MAX_RECORD + (size_t) v13)
		return fatal(c, AD_RECORD_OVERFLOW, "plaintext too long");
	if (d->seq == UINT64_MAX)
		return fatal(c, AD_UNEXPECTED_MESSAGE, "sequence number exhausted");
	nonce_of(r, d, rec + TLS_REC_HDR, nonce);
	if (v13) {
		memcpy(aad, rec, TLS_REC_HDR);
	} else {
		put_be64(aad, d->seq);
		memcpy(aad + 8, rec, 3);
		aad[11] = (uint8_t) (ctlen >> 8);
		aad[12] = (uint8_t) ctlen;
	}
	ok = EVP_DecryptInit_ex(d->aead, NULL, NULL, NULL, nonce) == 1 &&
	     EVP_DecryptUpdate(d->aead, NULL, &len, aad, v13 ? TLS_REC_HDR : 13) == 1 &&
	     EVP_DecryptUpdate(d->aead, plain, &len, ct, (int) ctlen) == 1 &&
	     EVP_CIPHER_CTX_ctrl(d->aead, EVP_CTRL_AEAD_SET_TAG, TLS_REC_TAG,
				 (void *) (ct + ctlen)) == 1 &&
	     EVP_DecryptFinal_ex(d->aead, plain + len, &len) == 1;
	if (!ok) {
		OPENSSL_cleanse(plain, ctlen);
		return fatal(c, AD_BAD_RECORD_MAC, "bad record mac");
	}
	d->seq++;
	if (v13) { /* TLSInnerPlaintext: content, type, zero padding */
		while (ctlen > 0 && plain[ctlen - 1] == 0)
			ctlen--;
		if (ctlen == 0)
			return fatal(c, AD_UNEXPECTED_MESSAGE, "no content type");
		type = plain[--ctlen];
		if (ctlen > SG_TLS_MAX_RECORD)
			return fatal(c, AD_RECORD_OVERFLOW, "plaintext too long");
	}
	return content(c, type, plain, ctlen, on_plain, arg);
}

static int stash_add(struct tls_stash *s, const uint8_t *p, size_t n)
{
	if (s->cap - s->len < n) {
		size_t cap = s->cap ? s->cap : 2048;
		uint8_t *nb;

		while (cap - s->len < n)
			cap *= 2;
		nb = realloc(s->buf, cap);
		if (nb == NULL)
			return -ENOMEM;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return 0;
}

/* Bytes still missing from the stashed record (header first), 0 if it is whole; <0 fatal. */
static long stash_missing(struct sg_tls_conn *c)
{
	struct tls_stash *s = &c->rec.stash;
	long total;

	if (s->len < TLS_REC_HDR)
		return (long) (TLS_REC_HDR - s->len);
	total = header(c, s->buf);
	if (total < 0)
		return total;
	return total - (long) s->len;
}

int tls_rec_input(struct sg_tls_conn *c, const uint8_t *data, size_t len, sg_tls_plain_fn on_plain,
		  void *arg)
{
	struct tls_stash *s = &c->rec.stash;
	int rc = 0;

	if (c->rcvd_close)
		return -ECONNRESET;
	/* First complete a record carried over from earlier input. */
	while (s->len > 0 && rc == 0) {
		long miss = stash_missing(c);

		if (miss < 0)
			return (int) miss;
		if (miss > 0) {
			size_t n = (size_t) miss < len ? (size_t) miss : len;

			if (n == 0)
				return 0;
			if (stash_add(s, data, n) < 0)
				return fatal(c, AD_UNEXPECTED_MESSAGE, "out of memory");
			data += n;
			len -= n;
			continue;
		}
		rc = open_record(c, s->buf, s->len, on_plain, arg);
		s->len = 0;
	}
	/* Whole records straight from the caller's buffer, no copy. */
	while (rc == 0 && len >= TLS_REC_HDR) {
		long total = header(c, data);

		if (total < 0)
			return (int) total;
		if ((size_t) total > len)
			break;
		rc = open_record(c, data, (size_t) total, on_plain, arg);
		data += total;
		len -= (size_t) total;
	}
	if (rc == 0 && len > 0 && stash_add(s, data, len) < 0)
		rc = fatal(c, AD_UNEXPECTED_MESSAGE, "out of memory");
	/* An idle session keeps at most a small stash. */
	if (s->len == 0 && s->cap > 2048) {
		free(s->buf);
		s->buf = NULL;
		s->cap = 0;
	}
	return rc;
}
