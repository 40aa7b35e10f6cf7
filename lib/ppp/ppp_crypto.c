/* SPDX-License-Identifier: BSD-3-Clause */
/* CHAP-MD5, MS-CHAPv2 (RFC 2759) and MPPE master keys (RFC 3079) on OpenSSL 3 EVP. */
#include "sg_ppp_crypto.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "sg_log.h"

/* Written once under pthread_once, read-only afterwards. */
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static int base_status = -ENOTSUP;   /* MD5, SHA1 (default provider) */
static int legacy_status = -ENOTSUP; /* MD4, DES (legacy provider) */
static OSSL_LIB_CTX *crypto_ctx;
static EVP_MD *md_md4, *md_md5, *md_sha1;
static EVP_CIPHER *ciph_des;

static void crypto_load(void)
{
	crypto_ctx = OSSL_LIB_CTX_new();
	if (crypto_ctx == NULL) {
		SG_LOG(PPP, ERR, "crypto: OSSL_LIB_CTX_new failed");
		return;
	}
	if (OSSL_PROVIDER_load(crypto_ctx, "default") == NULL) {
		SG_LOG(PPP, ERR, "crypto: OpenSSL default provider unavailable");
		return;
	}
	md_md5 = EVP_MD_fetch(crypto_ctx, "MD5", NULL);
	md_sha1 = EVP_MD_fetch(crypto_ctx, "SHA1", NULL);
	if (md_md5 == NULL || md_sha1 == NULL) {
		SG_LOG(PPP, ERR, "crypto: cannot fetch MD5/SHA1 from OpenSSL");
		return;
	}
	base_status = 0;
	if (OSSL_PROVIDER_load(crypto_ctx, "legacy") == NULL) {
		SG_LOG(PPP, ERR,
		       "crypto: OpenSSL legacy provider unavailable: MD4/DES missing, "
		       "MS-CHAPv2 disabled (PAP and CHAP-MD5 still work)");
		return;
	}
	md_md4 = EVP_MD_fetch(crypto_ctx, "MD4", NULL);
	ciph_des = EVP_CIPHER_fetch(crypto_ctx, "DES-ECB", NULL);
	if (md_md4 == NULL || ciph_des == NULL) {
		SG_LOG(PPP, ERR,
		       "crypto: cannot fetch MD4/DES-ECB from the legacy provider: "
		       "MS-CHAPv2 disabled");
		return;
	}
	legacy_status = 0;
}

int sg_ppp_crypto_init(void)
{
	if (pthread_once(&crypto_once, crypto_load) != 0)
		return -ENOTSUP;
	return base_status != 0 ? base_status : legacy_status;
}

/* MD5 and SHA1 only. */
static int base_init(void)
{
	if (pthread_once(&crypto_once, crypto_load) != 0)
		return -ENOTSUP;
	return base_status;
}

int sg_ppp_random(void *buf, size_t len)
{
	if (len > 0x7fffffff || RAND_bytes(buf, (int) len) != 1)
		return -EIO;
	return 0;
}

/* out = digest over up to 4 (pointer, length) pieces. */
static int digest(EVP_MD *md, uint8_t *out, const void *p1, size_t l1, const void *p2, size_t l2,
		  const void *p3, size_t l3, const void *p4, size_t l4)
{
	EVP_MD_CTX *ctx;
	int ok;

	if (base_init() != 0 || md == NULL)
		return -ENOTSUP;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex2(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, p1, l1) == 1 &&
	     (l2 == 0 || EVP_DigestUpdate(ctx, p2, l2) == 1) &&
	     (l3 == 0 || EVP_DigestUpdate(ctx, p3, l3) == 1) &&
	     (l4 == 0 || EVP_DigestUpdate(ctx, p4, l4) == 1) &&
	     EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

int sg_ppp_chap_md5(uint8_t id, const uint8_t *secret, size_t secret_len, const uint8_t *challenge,
		    size_t challenge_len, uint8_t out[SG_CHAP_MD5_LEN])
{
	if (base_init() != 0)
		return -ENOTSUP;
	return digest(md_md5, out, &id, 1, secret, secret_len, challenge, challenge_len, NULL, 0);
}

/* UTF-8 to UTF-16LE; returns bytes written or -EINVAL. */
static int utf8_to_utf16le(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < len) {
		uint32_t c = (uint8_t) in[i];
		size_t n, k;

		if (c < 0x80) {
			n = 0;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			c &= 0x07;
		} else {
			return -EINVAL;
		}
		if (n > 0 && i + n >= len)
			return -EINVAL;
		for (k = 1; k <= n; k++) {
			uint8_t b = (uint8_t) in[i + k];
			if ((b & 0xc0) != 0x80)
				return -EINVAL;
			c = (c << 6) | (b & 0x3f);
		}
		if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return -EINVAL;
		i += n + 1;
		if (c >= 0x10000) {
			uint32_t v = c - 0x10000;
			if (o + 4 > cap)
				return -EINVAL;
			out[o++] = (uint8_t) ((0xd800 | (v >> 10)) & 0xff);
			out[o++] = (uint8_t) ((0xd800 | (v >> 10)) >> 8);
			out[o++] = (uint8_t) ((0xdc00 | (v & 0x3ff)) & 0xff);
			out[o++] = (uint8_t) ((0xdc00 | (v & 0x3ff)) >> 8);
		} else {
			if (o + 2 > cap)
				return -EINVAL;
			out[o++] = (uint8_t) (c & 0xff);
			out[o++] = (uint8_t) (c >> 8);
		}
	}
	return (int) o;
}

int sg_ppp_nt_password_hash(const char *password, size_t len, uint8_t out[16])
{
	uint8_t uni[2 * 256];
	int n, rc;

	if (sg_ppp_crypto_init() != 0)
		return -ENOTSUP;
	n = utf8_to_utf16le(password, len, uni, sizeof(uni));
	if (n < 0)
		return n;
	rc = digest(md_md4, out, uni, (size_t) n, NULL, 0, NULL, 0, NULL, 0);
	OPENSSL_cleanse(uni, sizeof(uni));
	return rc;
}

int sg_ppp_hash_nt_password_hash(const uint8_t hash[16], uint8_t out[16])
{
	if (sg_ppp_crypto_init() != 0)
		return -ENOTSUP;
	return digest(md_md4, out, hash, 16, NULL, 0, NULL, 0, NULL, 0);
}

int sg_ppp_mschap_challenge_hash(const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				 const char *user, size_t user_len, uint8_t out[8])
{
	uint8_t d[20];
	size_t i;
	int rc;

	if (base_init() != 0)
		return -ENOTSUP;
	for (i = user_len; i > 0; i--) {
		if (user[i - 1] == '\\') {
			user += i;
			user_len -= i;
			break;
		}
	}
	rc = digest(md_sha1, d, peer_chal, 16, auth_chal, 16, user, user_len, NULL, 0);
	if (rc == 0)
		memcpy(out, d, 8);
	return rc;
}

/* DES-ECB encrypt 8 bytes with a 7-byte key expanded to 8 (parity bits unused). */
static int des_encrypt(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	uint8_t key[8];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, ok, i;

	key[0] = key7[0] & 0xfe;
	for (i = 1; i < 7; i++)
		key[i] = (uint8_t) (((key7[i - 1] << (8 - i)) | (key7[i] >> i)) & 0xfe);
	key[7] = (uint8_t) (key7[6] << 1);
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL) {
		OPENSSL_cleanse(key, sizeof(key));
		return -ENOMEM;
	}
	ok = EVP_EncryptInit_ex2(ctx, ciph_des, key, NULL, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_EncryptUpdate(ctx, out, &outl, clear, 8) == 1 && outl == 8;
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	return ok ? 0 : -EIO;
}

int sg_ppp_mschap_challenge_response(const uint8_t challenge[8], const uint8_t pw_hash[16],
				     uint8_t out[SG_MSCHAP_NT_RESP_LEN])
{
	uint8_t z[21];
	int rc;

	if (sg_ppp_crypto_init() != 0)
		return -ENOTSUP;
	memset(z, 0, sizeof(z));
	memcpy(z, pw_hash, 16);
	rc = des_encrypt(challenge, z, out);
	if (rc == 0)
		rc = des_encrypt(challenge, z + 7, out + 8);
	if (rc == 0)
		rc = des_encrypt(challenge, z + 14, out + 16);
	OPENSSL_cleanse(z, sizeof(z));
	return rc;
}

int sg_ppp_mschap_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			      const char *user, size_t user_len, const uint8_t pw_hash[16],
			      uint8_t out[SG_MSCHAP_NT_RESP_LEN])
{
	uint8_t ch[8];
	int rc;

	rc = sg_ppp_mschap_challenge_hash(peer_chal, auth_chal, user, user_len, ch);
	if (rc == 0)
		rc = sg_ppp_mschap_challenge_response(ch, pw_hash, out);
	return rc;
}

static const char magic_auth1[] = "Magic server to client signing constant";
static const char magic_auth2[] = "Pad to make it do more than one iteration";

int sg_ppp_mschap_authenticator_response(const uint8_t pw_hash[16],
					 const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN],
					 const uint8_t peer_chal[16], const uint8_t auth_chal[16],
					 const char *user, size_t user_len,
					 char out[SG_MSCHAP_AUTH_RESP_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t hh[16], d[20], ch[8];
	int rc, i;

	rc = sg_ppp_hash_nt_password_hash(pw_hash, hh);
	if (rc == 0)
		rc = digest(md_sha1, d, hh, 16, nt_response, SG_MSCHAP_NT_RESP_LEN, magic_auth1,
			    sizeof(magic_auth1) - 1, NULL, 0);
	if (rc == 0)
		rc = sg_ppp_mschap_challenge_hash(peer_chal, auth_chal, user, user_len, ch);
	if (rc == 0)
		rc =
		    digest(md_sha1, d, d, 20, ch, 8, magic_auth2, sizeof(magic_auth2) - 1, NULL, 0);
	OPENSSL_cleanse(hh, sizeof(hh));
	if (rc != 0)
		return rc;
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < 20; i++) {
		out[2 + 2 * i] = hex[d[i] >> 4];
		out[3 + 2 * i] = hex[d[i] & 15];
	}
	out[SG_MSCHAP_AUTH_RESP_LEN] = '\0';
	return 0;
}

static const char magic_mk[] = "This is the MPPE Master Key";
static const char magic_key2[] = "On the client side, this is the send key; "
				 "on the server side, it is the receive key.";
static const char magic_key3[] = "On the client side, this is the receive key; "
				 "on the server side, it is the send key.";

int sg_ppp_mppe_master_key(const uint8_t pw_hash_hash[16],
			   const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN], uint8_t out[16])
{
	uint8_t d[20];
	int rc;

	if (base_init() != 0)
		return -ENOTSUP;
	rc = digest(md_sha1, d, pw_hash_hash, 16, nt_response, SG_MSCHAP_NT_RESP_LEN, magic_mk,
		    sizeof(magic_mk) - 1, NULL, 0);
	if (rc == 0)
		memcpy(out, d, 16);
	OPENSSL_cleanse(d, sizeof(d));
	return rc;
}

int sg_ppp_mppe_start_key(const uint8_t master_key[16], int is_send, int is_server,
			  uint8_t out[SG_MPPE_KEY_LEN])
{
	uint8_t pad1[40], pad2[40], d[20];
	const char *s;
	int rc;

	if (base_init() != 0)
		return -ENOTSUP;
	if (is_send)
		s = is_server ? magic_key3 : magic_key2;
	else
		s = is_server ? magic_key2 : magic_key3;
	_Static_assert(sizeof(magic_key2) - 1 == 84 && sizeof(magic_key3) - 1 == 84, "magic");
	memset(pad1, 0x00, sizeof(pad1));
	memset(pad2, 0xf2, sizeof(pad2));
	rc = digest(md_sha1, d, master_key, 16, pad1, sizeof(pad1), s, 84, pad2, sizeof(pad2));
	if (rc == 0)
		memcpy(out, d, SG_MPPE_KEY_LEN);
	OPENSSL_cleanse(d, sizeof(d));
	return rc;
}

int sg_ppp_mppe_keys(const uint8_t pw_hash[16], const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN],
		     int is_server, uint8_t send_key[SG_MPPE_KEY_LEN],
		     uint8_t recv_key[SG_MPPE_KEY_LEN])
{
	uint8_t hh[16], mk[16];
	int rc;

	rc = sg_ppp_hash_nt_password_hash(pw_hash, hh);
	if (rc == 0)
		rc = sg_ppp_mppe_master_key(hh, nt_response, mk);
	if (rc == 0)
		rc = sg_ppp_mppe_start_key(mk, 1, is_server, send_key);
	if (rc == 0)
		rc = sg_ppp_mppe_start_key(mk, 0, is_server, recv_key);
	OPENSSL_cleanse(hh, sizeof(hh));
	OPENSSL_cleanse(mk, sizeof(mk));
	return rc;
}

int sg_ppp_mschap_verify(const uint8_t pw_hash[16], const uint8_t auth_chal[16],
			 const uint8_t response[SG_MSCHAP_RESPONSE_LEN], const char *user,
			 size_t user_len, struct sg_ppp_mschap_verdict *out)
{
	const struct sg_mschap_response *r = (const struct sg_mschap_response *) response;
	uint8_t expect[SG_MSCHAP_NT_RESP_LEN];
	int rc;

	rc = sg_ppp_mschap_nt_response(auth_chal, r->peer_challenge, user, user_len, pw_hash,
				       expect);
	if (rc == 0 && CRYPTO_memcmp(expect, r->nt_response, sizeof(expect)) != 0)
		rc = -EACCES;
	if (rc == 0)
		rc = sg_ppp_mschap_authenticator_response(pw_hash, r->nt_response,
							  r->peer_challenge, auth_chal, user,
							  user_len, out->auth_response);
	if (rc == 0)
		rc = sg_ppp_mppe_keys(pw_hash, r->nt_response, 1, out->send_key, out->recv_key);
	if (rc != 0)
		OPENSSL_cleanse(out, sizeof(*out));
	OPENSSL_cleanse(expect, sizeof(expect));
	return rc;
}
