/* SPDX-License-Identifier: BSD-3-Clause */
/* Crypto binding: CMK and compound MAC as in MS-SSTP §3.2.5.2.3 and the §4.7 vectors. */
#include "sg_sstp_crypto.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static const EVP_MD *hash_md(uint8_t hash_proto)
{
	switch (hash_proto) {
	case SG_SSTP_HASH_SHA1:
		return EVP_sha1();
	case SG_SSTP_HASH_SHA256:
		return EVP_sha256();
	}
	return NULL;
}

size_t sg_sstp_hash_len(uint8_t hash_proto)
{
	switch (hash_proto) {
	case SG_SSTP_HASH_SHA1:
		return SG_SSTP_SHA1_LEN;
	case SG_SSTP_HASH_SHA256:
		return SG_SSTP_SHA256_LEN;
	}
	return 0;
}

int sg_sstp_cert_hash(uint8_t hash_proto, const uint8_t *der, size_t der_len,
		      uint8_t out[SG_SSTP_HASH_FIELD])
{
	const EVP_MD *md = hash_md(hash_proto);
	unsigned int olen = 0;

	if (!md || !der || der_len == 0)
		return -EINVAL;
	memset(out, 0, SG_SSTP_HASH_FIELD);
	if (!EVP_Digest(der, der_len, out, &olen, md, NULL) || olen != sg_sstp_hash_len(hash_proto))
		return -EIO;
	return 0;
}

int sg_sstp_cmk(uint8_t hash_proto, const uint8_t hlak[SG_SSTP_HLAK_LEN],
		uint8_t cmk[SG_SSTP_HASH_FIELD])
{
	const EVP_MD *md = hash_md(hash_proto);
	uint8_t seed[SG_SSTP_CMK_SEED_LEN + 3];
	size_t hlen = sg_sstp_hash_len(hash_proto);
	unsigned int olen = 0;

	if (!md)
		return -EINVAL;
	memcpy(seed, SG_SSTP_CMK_SEED, SG_SSTP_CMK_SEED_LEN);
	seed[SG_SSTP_CMK_SEED_LEN] = (uint8_t) hlen; /* u16 little endian */
	seed[SG_SSTP_CMK_SEED_LEN + 1] = 0;
	seed[SG_SSTP_CMK_SEED_LEN + 2] = 0x01;
	memset(cmk, 0, SG_SSTP_HASH_FIELD);
	if (!HMAC(md, hlak, SG_SSTP_HLAK_LEN, seed, sizeof(seed), cmk, &olen) || olen != hlen) {
		OPENSSL_cleanse(cmk, SG_SSTP_HASH_FIELD);
		return -EIO;
	}
	return 0;
}

int sg_sstp_compound_mac(uint8_t hash_proto, const uint8_t hlak[SG_SSTP_HLAK_LEN],
			 const uint8_t connected[SG_SSTP_CONNECTED_LEN],
			 uint8_t mac[SG_SSTP_HASH_FIELD])
{
	const EVP_MD *md = hash_md(hash_proto);
	size_t hlen = sg_sstp_hash_len(hash_proto);
	uint8_t cmk[SG_SSTP_HASH_FIELD];
	uint8_t msg[SG_SSTP_CONNECTED_LEN];
	unsigned int olen = 0;
	int rc;

	if (!md)
		return -EINVAL;
	rc = sg_sstp_cmk(hash_proto, hlak, cmk);
	if (rc < 0)
		return rc;
	memcpy(msg, connected, SG_SSTP_CONNECTED_MAC_OFF);
	memset(msg + SG_SSTP_CONNECTED_MAC_OFF, 0, SG_SSTP_HASH_FIELD);
	memset(mac, 0, SG_SSTP_HASH_FIELD);
	if (!HMAC(md, cmk, (int) hlen, msg, sizeof(msg), mac, &olen) || olen != hlen)
		rc = -EIO;
	OPENSSL_cleanse(cmk, sizeof(cmk));
	return rc;
}

int sg_sstp_connected_sign(uint8_t connected[SG_SSTP_CONNECTED_LEN],
			   const uint8_t hlak[SG_SSTP_HLAK_LEN])
{
	return sg_sstp_compound_mac(connected[SG_SSTP_CONNECTED_HASH_PROTO_OFF], hlak, connected,
				    connected + SG_SSTP_CONNECTED_MAC_OFF);
}

int sg_sstp_connected_verify(const uint8_t connected[SG_SSTP_CONNECTED_LEN],
			     const uint8_t hlak[SG_SSTP_HLAK_LEN])
{
	uint8_t proto = connected[SG_SSTP_CONNECTED_HASH_PROTO_OFF];
	uint8_t mac[SG_SSTP_HASH_FIELD];
	int rc = sg_sstp_compound_mac(proto, hlak, connected, mac);

	if (rc == 0 &&
	    CRYPTO_memcmp(mac, connected + SG_SSTP_CONNECTED_MAC_OFF, sg_sstp_hash_len(proto)) != 0)
		rc = -EBADMSG;
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

void sg_sstp_hlak_from_mppe(uint8_t hlak[SG_SSTP_HLAK_LEN],
			    const uint8_t first[SG_SSTP_MPPE_KEY_LEN],
			    const uint8_t second[SG_SSTP_MPPE_KEY_LEN])
{
	memcpy(hlak, first, SG_SSTP_MPPE_KEY_LEN);
	memcpy(hlak + SG_SSTP_MPPE_KEY_LEN, second, SG_SSTP_MPPE_KEY_LEN);
}

int sg_sstp_nonce(uint8_t nonce[SG_SSTP_NONCE_LEN])
{
	if (RAND_bytes(nonce, SG_SSTP_NONCE_LEN) != 1)
		return -EIO;
	return 0;
}
