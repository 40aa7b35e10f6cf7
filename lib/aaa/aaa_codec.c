/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS codec: structure checks, attribute iteration, packet building, authenticators,
 * Message-Authenticator, User-Password hiding, MPPE key encryption. Pure: no sockets.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sg_aaa_codec.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t) ((p[0] << 8) | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
}

/* ---- digests ---------------------------------------------------------------------- */

/* MD5 over up to three pieces. */
static int md5_3(uint8_t out[16], const void *a, size_t an, const void *b, size_t bn, const void *c,
		 size_t cn)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	int ok;

	if (ctx == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) && EVP_DigestUpdate(ctx, a, an) &&
	     (bn == 0 || EVP_DigestUpdate(ctx, b, bn)) &&
	     (cn == 0 || EVP_DigestUpdate(ctx, c, cn)) && EVP_DigestFinal_ex(ctx, out, &olen);
	EVP_MD_CTX_free(ctx);
	return ok && olen == 16 ? 0 : -EIO;
}

int sg_aaa_hmac_md5(uint8_t out[16], const uint8_t *key, size_t klen, const uint8_t *data, size_t n)
{
	unsigned int olen = 0;

	if (HMAC(EVP_md5(), key, (int) klen, data, n, out, &olen) == NULL || olen != 16)
		return -EIO;
	return 0;
}

int sg_aaa_chap_md5(uint8_t out[16], uint8_t id, const void *secret, size_t slen,
		    const uint8_t *challenge, size_t clen)
{
	return md5_3(out, &id, 1, secret, slen, challenge, clen);
}

/* ---- decode ------------------------------------------------------------------------ */

static enum sg_aaa_drop check_vsa(const uint8_t *v, size_t vlen)
{
	uint32_t vendor;
	size_t off;

	if (vlen < 4)
		return SG_AAA_DROP_VSA_MALFORMED;
	vendor = ((uint32_t) v[0] << 24) | ((uint32_t) v[1] << 16) | ((uint32_t) v[2] << 8) | v[3];
	if (vendor != SG_RADIUS_VENDOR_MICROSOFT)
		return SG_AAA_DROP_NONE; /* other vendors' formats are opaque to us */
	/* RFC 2548: type(1) length(1) value, repeated; lengths must tile the value exactly. */
	off = 4;
	if (off == vlen)
		return SG_AAA_DROP_VSA_MALFORMED;
	while (off < vlen) {
		if (vlen - off < 2 || v[off + 1] < 2 || v[off + 1] > vlen - off)
			return SG_AAA_DROP_VSA_MALFORMED;
		off += v[off + 1];
	}
	return SG_AAA_DROP_NONE;
}

enum sg_aaa_drop sg_aaa_radius_check(const uint8_t *pkt, size_t n, size_t *len)
{
	size_t off, plen;
	unsigned count = 0;

	if (n < SG_RADIUS_MIN_LEN)
		return SG_AAA_DROP_SHORT;
	if (n > SG_RADIUS_MAX_LEN)
		return SG_AAA_DROP_OVERSIZE;
	plen = rd16(pkt + 2);
	if (plen < SG_RADIUS_MIN_LEN || plen > n)
		return SG_AAA_DROP_BAD_LENGTH;
	for (off = SG_RADIUS_HDR_LEN; off < plen;) {
		uint8_t alen;
		enum sg_aaa_drop d;

		if (plen - off < SG_RADIUS_ATTR_HDR)
			return SG_AAA_DROP_ATTR_TRUNCATED;
		alen = pkt[off + 1];
		if (alen < SG_RADIUS_ATTR_HDR)
			return SG_AAA_DROP_ATTR_LENGTH;
		if (alen > plen - off)
			return SG_AAA_DROP_ATTR_TRUNCATED;
		if (++count > SG_RADIUS_MAX_ATTRS)
			return SG_AAA_DROP_ATTR_FLOOD;
		if (pkt[off] == SG_RADIUS_VENDOR_SPECIFIC) {
			d = check_vsa(pkt + off + 2, alen - 2u);
			if (d != SG_AAA_DROP_NONE)
				return d;
		}
		off += alen;
	}
	*len = plen;
	return SG_AAA_DROP_NONE;
}

void sg_aaa_attr_it_init(struct sg_aaa_attr_it *it, const uint8_t *pkt, size_t len)
{
	it->p = pkt + SG_RADIUS_HDR_LEN;
	it->end = pkt + len;
}

bool sg_aaa_attr_next(struct sg_aaa_attr_it *it, uint8_t *type, const uint8_t **val, size_t *vlen)
{
	size_t left = (size_t) (it->end - it->p);

	/* Defensive: the packet was checked, but never step past the end. */
	if (left < 2 || it->p[1] < 2 || it->p[1] > left)
		return false;
	*type = it->p[0];
	*val = it->p + 2;
	*vlen = it->p[1] - 2u;
	it->p += it->p[1];
	return true;
}

void sg_aaa_vsa_it_init(struct sg_aaa_attr_it *it, const uint8_t *val, size_t vlen, uint32_t vendor)
{
	uint32_t v;

	it->p = it->end = val;
	if (vlen < 4)
		return;
	v = ((uint32_t) val[0] << 24) | ((uint32_t) val[1] << 16) | ((uint32_t) val[2] << 8) |
	    val[3];
	if (v != vendor)
		return;
	it->p = val + 4;
	it->end = val + vlen;
}

const uint8_t *sg_aaa_attr_find(const uint8_t *pkt, size_t len, uint8_t type, size_t *vlen)
{
	struct sg_aaa_attr_it it;
	const uint8_t *v;
	uint8_t t;

	sg_aaa_attr_it_init(&it, pkt, len);
	while (sg_aaa_attr_next(&it, &t, &v, vlen))
		if (t == type)
			return v;
	return NULL;
}

/* Offset of the first Message-Authenticator value, 0 if none; -1 if malformed/twice. */
static long find_ma(const uint8_t *pkt, size_t len)
{
	struct sg_aaa_attr_it it;
	const uint8_t *v;
	size_t vlen;
	uint8_t t;
	long off = 0;

	sg_aaa_attr_it_init(&it, pkt, len);
	while (sg_aaa_attr_next(&it, &t, &v, &vlen)) {
		if (t != SG_RADIUS_MESSAGE_AUTHENTICATOR)
			continue;
		if (vlen != SG_RADIUS_MSG_AUTH_LEN || off != 0)
			return -1;
		off = v - pkt;
	}
	return off;
}

/*
 * Common verification: copy the packet, put `auth_in_field` into the authenticator,
 * check the Message-Authenticator, then compare MD5(copy + secret) with `expect`
 * (the packet's own authenticator) unless expect is NULL.
 */
static enum sg_aaa_drop verify(const uint8_t *pkt, size_t len, const uint8_t field[16],
			       const uint8_t *secret, size_t slen, bool require_ma)
{
	uint8_t copy[SG_RADIUS_MAX_LEN];
	uint8_t mac[16], md[16];
	long ma;
	enum sg_aaa_drop d = SG_AAA_DROP_NONE;

	if (len < SG_RADIUS_HDR_LEN || len > sizeof(copy))
		return SG_AAA_DROP_BAD_LENGTH;
	ma = find_ma(pkt, len);
	if (ma < 0)
		return SG_AAA_DROP_BAD_MSG_AUTH;
	if (ma == 0 && require_ma)
		return SG_AAA_DROP_NO_MSG_AUTH;
	memcpy(copy, pkt, len);
	memcpy(copy + 4, field, 16);
	/* The authenticator covers the packet with the Message-Authenticator as sent. */
	if (md5_3(md, copy, len, secret, slen, NULL, 0) != 0)
		return SG_AAA_DROP_BAD_AUTHENTICATOR;
	if (CRYPTO_memcmp(md, pkt + 4, 16) != 0)
		d = SG_AAA_DROP_BAD_AUTHENTICATOR;
	if (d == SG_AAA_DROP_NONE && ma > 0) {
		memset(copy + ma, 0, 16);
		if (sg_aaa_hmac_md5(mac, secret, slen, copy, len) != 0 ||
		    CRYPTO_memcmp(mac, pkt + ma, 16) != 0)
			d = SG_AAA_DROP_BAD_MSG_AUTH;
	}
	OPENSSL_cleanse(copy, len);
	return d;
}

enum sg_aaa_drop sg_aaa_radius_verify_reply(const uint8_t *pkt, size_t len,
					    const uint8_t req_auth[16], const uint8_t *secret,
					    size_t slen, bool require_ma)
{
	return verify(pkt, len, req_auth, secret, slen, require_ma);
}

enum sg_aaa_drop sg_aaa_radius_verify_request(const uint8_t *pkt, size_t len, const uint8_t *secret,
					      size_t slen, bool require_ma)
{
	static const uint8_t zero[16];

	return verify(pkt, len, zero, secret, slen, require_ma);
}

/* ---- encode ------------------------------------------------------------------------ */

void sg_aaa_pkt_init(struct sg_aaa_pkt *p, uint8_t code, uint8_t id, const uint8_t auth[16])
{
	p->buf[0] = code;
	p->buf[1] = id;
	wr16(p->buf + 2, SG_RADIUS_HDR_LEN);
	if (auth != NULL)
		memcpy(p->buf + 4, auth, 16);
	else
		memset(p->buf + 4, 0, 16);
	p->len = SG_RADIUS_HDR_LEN;
	p->ma_off = 0;
}

int sg_aaa_pkt_add(struct sg_aaa_pkt *p, uint8_t type, const void *val, size_t vlen)
{
	size_t off;

	if (vlen > SG_RADIUS_ATTR_MAX_VAL)
		return -EINVAL;
	if (p->len + 2 + vlen > SG_RADIUS_MAX_LEN)
		return -EMSGSIZE;
	off = p->len;
	p->buf[off] = type;
	p->buf[off + 1] = (uint8_t) (vlen + 2);
	if (vlen > 0)
		memcpy(p->buf + off + 2, val, vlen);
	p->len += vlen + 2;
	wr16(p->buf + 2, (uint16_t) p->len);
	return (int) (off + 2);
}

int sg_aaa_pkt_add_u32(struct sg_aaa_pkt *p, uint8_t type, uint32_t v)
{
	uint8_t b[4] = {(uint8_t) (v >> 24), (uint8_t) (v >> 16), (uint8_t) (v >> 8), (uint8_t) v};

	return sg_aaa_pkt_add(p, type, b, 4);
}

int sg_aaa_pkt_add_str(struct sg_aaa_pkt *p, uint8_t type, const char *s)
{
	return sg_aaa_pkt_add(p, type, s, strlen(s));
}

int sg_aaa_pkt_add_vsa(struct sg_aaa_pkt *p, uint32_t vendor, uint8_t vtype, const void *val,
		       size_t vlen)
{
	uint8_t b[SG_RADIUS_ATTR_MAX_VAL];

	if (vlen > SG_RADIUS_ATTR_MAX_VAL - SG_RADIUS_VSA_HDR)
		return -EINVAL;
	b[0] = (uint8_t) (vendor >> 24);
	b[1] = (uint8_t) (vendor >> 16);
	b[2] = (uint8_t) (vendor >> 8);
	b[3] = (uint8_t) vendor;
	b[4] = vtype;
	b[5] = (uint8_t) (vlen + 2);
	if (vlen > 0)
		memcpy(b + 6, val, vlen);
	return sg_aaa_pkt_add(p, SG_RADIUS_VENDOR_SPECIFIC, b, vlen + SG_RADIUS_VSA_HDR);
}

int sg_aaa_pkt_add_split(struct sg_aaa_pkt *p, uint8_t type, const void *val, size_t vlen)
{
	const uint8_t *v = val;
	size_t need = vlen + 2 * ((vlen + SG_RADIUS_ATTR_MAX_VAL - 1) / SG_RADIUS_ATTR_MAX_VAL);
	int rc = 0;

	if (vlen == 0)
		return -EINVAL;
	if (p->len + need > SG_RADIUS_MAX_LEN)
		return -EMSGSIZE;
	while (vlen > 0) {
		size_t n = SG_MIN(vlen, (size_t) SG_RADIUS_ATTR_MAX_VAL);

		rc = sg_aaa_pkt_add(p, type, v, n);
		if (rc < 0)
			return rc;
		v += n;
		vlen -= n;
	}
	return rc;
}

int sg_aaa_radius_hide_password(uint8_t *out, const uint8_t *pw, size_t pwlen,
				const uint8_t *secret, size_t slen, const uint8_t auth[16])
{
	size_t len = pwlen == 0 ? 16 : (pwlen + 15) & ~(size_t) 15;
	uint8_t b[16];

	if (pwlen > SG_RADIUS_PW_MAX)
		return -EINVAL;
	memset(out, 0, len);
	if (pwlen > 0)
		memcpy(out, pw, pwlen);
	for (size_t i = 0; i < len; i += 16) {
		/* b1 = MD5(S + RA), bi = MD5(S + c(i-1)) */
		if (md5_3(b, secret, slen, i == 0 ? auth : out + i - 16, 16, NULL, 0) != 0) {
			OPENSSL_cleanse(out, len);
			return -EIO;
		}
		for (size_t j = 0; j < 16; j++)
			out[i + j] ^= b[j];
	}
	OPENSSL_cleanse(b, sizeof(b));
	return (int) len;
}

int sg_aaa_radius_unhide_password(uint8_t *out, const uint8_t *hidden, size_t len,
				  const uint8_t *secret, size_t slen, const uint8_t auth[16])
{
	uint8_t b[16];

	if (len == 0 || len % 16 != 0 || len > SG_RADIUS_PW_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 16) {
		if (md5_3(b, secret, slen, i == 0 ? auth : hidden + i - 16, 16, NULL, 0) != 0)
			return -EIO;
		for (size_t j = 0; j < 16; j++)
			out[i + j] = hidden[i + j] ^ b[j];
	}
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

int sg_aaa_pkt_add_password(struct sg_aaa_pkt *p, const char *pw, size_t pwlen,
			    const uint8_t *secret, size_t slen)
{
	uint8_t h[SG_RADIUS_PW_MAX];
	int n, rc;

	n = sg_aaa_radius_hide_password(h, (const uint8_t *) pw, pwlen, secret, slen, p->buf + 4);
	if (n < 0)
		return n;
	rc = sg_aaa_pkt_add(p, SG_RADIUS_USER_PASSWORD, h, (size_t) n);
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}

int sg_aaa_pkt_add_msg_auth(struct sg_aaa_pkt *p)
{
	static const uint8_t zero[SG_RADIUS_MSG_AUTH_LEN];
	int off;

	if (p->ma_off != 0)
		return -EEXIST;
	off = sg_aaa_pkt_add(p, SG_RADIUS_MESSAGE_AUTHENTICATOR, zero, sizeof(zero));
	if (off > 0)
		p->ma_off = (size_t) off;
	return off;
}

static int sign_ma(struct sg_aaa_pkt *p, const uint8_t *secret, size_t slen)
{
	if (p->ma_off == 0)
		return 0;
	memset(p->buf + p->ma_off, 0, 16);
	return sg_aaa_hmac_md5(p->buf + p->ma_off, secret, slen, p->buf, p->len);
}

/* With the Authenticator field holding what the MD5 is computed over (zeros or the
 * request's): fill Message-Authenticator, then the MD5 Authenticator over the result. */
static int sign_ma_and_auth(struct sg_aaa_pkt *p, const uint8_t *secret, size_t slen)
{
	uint8_t md[16];
	int rc;

	rc = sign_ma(p, secret, slen);
	if (rc == 0)
		rc = md5_3(md, p->buf, p->len, secret, slen, NULL, 0);
	if (rc == 0)
		memcpy(p->buf + 4, md, 16);
	return rc;
}

int sg_aaa_pkt_sign_request(struct sg_aaa_pkt *p, const uint8_t *secret, size_t slen)
{
	wr16(p->buf + 2, (uint16_t) p->len);
	if (p->buf[0] == SG_RADIUS_ACCESS_REQUEST)
		return sign_ma(p, secret, slen);
	memset(p->buf + 4, 0, 16);
	return sign_ma_and_auth(p, secret, slen);
}

int sg_aaa_pkt_sign_reply(struct sg_aaa_pkt *p, const uint8_t req_auth[16], const uint8_t *secret,
			  size_t slen)
{
	wr16(p->buf + 2, (uint16_t) p->len);
	memcpy(p->buf + 4, req_auth, 16);
	return sign_ma_and_auth(p, secret, slen);
}

/* ---- MPPE keys (RFC 2548 §2.4.2) ---------------------------------------------------- */

int sg_aaa_radius_mppe_decrypt(uint8_t *key, size_t max, const uint8_t *val, size_t vlen,
			       const uint8_t *secret, size_t slen, const uint8_t req_auth[16])
{
	uint8_t plain[SG_RADIUS_ATTR_MAX_VAL];
	uint8_t b[16];
	size_t clen, klen;
	int rc = -EINVAL;

	/* salt(2) + at least one 16-byte block, whole blocks only, salt high bit set */
	if (vlen < 18 || (vlen - 2) % 16 != 0 || (val[0] & 0x80) == 0)
		return -EINVAL;
	clen = vlen - 2;
	for (size_t i = 0; i < clen; i += 16) {
		/* b(1) = MD5(S + R + A), b(i) = MD5(S + c(i-1)) */
		int r = i == 0 ? md5_3(b, secret, slen, req_auth, 16, val, 2)
			       : md5_3(b, secret, slen, val + 2 + i - 16, 16, NULL, 0);
		if (r != 0) {
			rc = r;
			goto out;
		}
		for (size_t j = 0; j < 16; j++)
			plain[i + j] = val[2 + i + j] ^ b[j];
	}
	klen = plain[0];
	if (klen == 0 || klen > clen - 1 || klen > max)
		goto out;
	/* RFC 2548: padding is zeros; anything else means a wrong secret or authenticator. */
	for (size_t i = 1 + klen; i < clen; i++)
		if (plain[i] != 0)
			goto out;
	memcpy(key, plain + 1, klen);
	rc = (int) klen;
out:
	OPENSSL_cleanse(plain, sizeof(plain));
	OPENSSL_cleanse(b, sizeof(b));
	return rc;
}

int sg_aaa_radius_mppe_encrypt(uint8_t *out, size_t max, const uint8_t *key, size_t keylen,
			       uint16_t salt, const uint8_t *secret, size_t slen,
			       const uint8_t req_auth[16])
{
	size_t plen = (1 + keylen + 15) & ~(size_t) 15;
	uint8_t b[16];

	if (keylen == 0 || keylen > SG_RADIUS_MPPE_KEY_MAX || 2 + plen > max)
		return -EINVAL;
	out[0] = (uint8_t) ((salt >> 8) | 0x80);
	out[1] = (uint8_t) salt;
	memset(out + 2, 0, plen);
	out[2] = (uint8_t) keylen;
	memcpy(out + 3, key, keylen);
	for (size_t i = 0; i < plen; i += 16) {
		int r = i == 0 ? md5_3(b, secret, slen, req_auth, 16, out, 2)
			       : md5_3(b, secret, slen, out + 2 + i - 16, 16, NULL, 0);
		if (r != 0)
			return r;
		for (size_t j = 0; j < 16; j++)
			out[2 + i + j] ^= b[j];
	}
	return (int) (2 + plen);
}

int sg_aaa_hlak_from_mppe(uint8_t hlak[32], const uint8_t *recv, size_t rlen, const uint8_t *send,
			  size_t slen)
{
	if (rlen >= 32) {
		memcpy(hlak, recv, 32);
		return 0;
	}
	if (rlen >= 16 && slen >= 16) {
		memcpy(hlak, recv, 16);
		memcpy(hlak + 16, send, 16);
		return 0;
	}
	return -EINVAL;
}
