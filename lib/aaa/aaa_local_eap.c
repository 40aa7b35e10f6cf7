/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAP-MD5 (RFC 3748 §5.4) for the local users file: the backend is synchronous and keeps
 * nothing between rounds, so the challenge travels in the RADIUS-style State the caller
 * echoes (as the gateway's control core does for RADIUS): "SGE1", the EAP identifier, the
 * 16-byte challenge and a truncated HMAC-SHA256 over them and the user name under a key
 * drawn when the users file was loaded. Only MD5 is offered; a Nak is refused.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "aaa_private.h"
#include "sg_aaa_codec.h"

#define EAP_REQUEST  1
#define EAP_RESPONSE 2
#define EAP_SUCCESS  3
#define EAP_FAILURE  4
#define EAP_IDENTITY 1
#define EAP_MD5	     4

#define ST_MAGIC "SGE1"
#define ST_LEN	 (4 + 1 + 16 + 16)

static int state_mac(const uint8_t key[AAA_LOCAL_EAP_KEY_LEN], const uint8_t *st, const char *user,
		     uint8_t out[16])
{
	uint8_t buf[1 + 16 + SG_AAA_NAME_MAX], md[32];
	unsigned int mdlen = 0;
	size_t ul = strnlen(user, SG_AAA_NAME_MAX);

	memcpy(buf, st, 17); /* identifier, challenge */
	memcpy(buf + 17, user, ul);
	if (HMAC(EVP_sha256(), key, AAA_LOCAL_EAP_KEY_LEN, buf, 17 + ul, md, &mdlen) == NULL ||
	    mdlen != 32)
		return -EIO;
	memcpy(out, md, 16);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

static void put_eap(struct sg_aaa_result *res, uint8_t code, uint8_t id, const uint8_t *d, size_t n)
{
	res->eap[0] = code;
	res->eap[1] = id;
	res->eap[2] = (uint8_t) ((n + 4) >> 8);
	res->eap[3] = (uint8_t) (n + 4);
	if (n > 0)
		memcpy(res->eap + 4, d, n);
	res->eap_len = n + 4;
}

int aaa_local_eap_md5(const uint8_t key[AAA_LOCAL_EAP_KEY_LEN], const struct sg_aaa_auth_req *req,
		      const char *password, struct sg_aaa_result *res)
{
	const uint8_t *p = req->eap;
	size_t len = req->eap_len;
	uint8_t st[ST_LEN], d[2 + 16], md[16];
	int rc;

	if (p == NULL || len < 5 || len > SG_AAA_EAP_MAX || p[0] != EAP_RESPONSE ||
	    (size_t) ((p[2] << 8) | p[3]) != len)
		return -EINVAL;
	res->status = SG_AAA_REJECT;
	if (p[4] == EAP_IDENTITY) {
		/* A challenge whether or not the user exists: the answer tells nothing. */
		memcpy(st, ST_MAGIC, 4);
		st[4] = (uint8_t) (p[1] + 1);
		if (RAND_bytes(st + 5, 16) != 1)
			return -EIO;
		rc = state_mac(key, st + 4, req->user, st + 21);
		if (rc < 0)
			return rc;
		d[0] = EAP_MD5;
		d[1] = 16;
		memcpy(d + 2, st + 5, 16);
		put_eap(res, EAP_REQUEST, st[4], d, sizeof(d));
		memcpy(res->state, st, ST_LEN);
		res->state_len = ST_LEN;
		res->status = SG_AAA_CHALLENGE;
		return 0;
	}
	if (p[4] != EAP_MD5 || len < 6 + 16 || p[5] != 16 || req->state_len != ST_LEN ||
	    memcmp(req->state, ST_MAGIC, 4) != 0 || req->state[4] != p[1] || password == NULL) {
		put_eap(res, EAP_FAILURE, p[1], NULL, 0); /* a Nak, no State, unknown user */
		return 0;
	}
	rc = state_mac(key, req->state + 4, req->user, md);
	if (rc < 0)
		return rc;
	if (CRYPTO_memcmp(md, req->state + 21, 16) != 0) {
		put_eap(res, EAP_FAILURE, p[1], NULL, 0);
		return 0;
	}
	rc = sg_aaa_chap_md5(md, p[1], password, strlen(password), req->state + 5, 16);
	if (rc < 0)
		return rc;
	if (CRYPTO_memcmp(md, p + 6, 16) == 0)
		res->status = SG_AAA_ACCEPT;
	OPENSSL_cleanse(md, sizeof(md));
	put_eap(res, res->status == SG_AAA_ACCEPT ? EAP_SUCCESS : EAP_FAILURE, p[1], NULL, 0);
	return 0;
}
