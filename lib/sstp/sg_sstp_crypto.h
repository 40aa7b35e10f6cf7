/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP crypto binding (MS-SSTP §3.2.5.2.3, §4.7): certificate hash, CMK,
 * compound MAC, HLAK from MPPE keys, nonces. OpenSSL HMAC/SHA/RAND only.
 * Hash outputs are written into 32-byte fields, SHA1 values zero-padded.
 * All functions are thread safe. Return 0 or a negative errno.
 */
#ifndef SG_SSTP_CRYPTO_H
#define SG_SSTP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "sg_sstp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Output length of a hash protocol (20 or 32), or 0 if proto is not exactly one of them. */
size_t sg_sstp_hash_len(uint8_t hash_proto);

/* SHA1/SHA256 of the DER certificate, zero-padded to 32 bytes. -EINVAL, -EIO. */
int sg_sstp_cert_hash(uint8_t hash_proto, const uint8_t *der, size_t der_len,
		      uint8_t out[SG_SSTP_HASH_FIELD]);

/* CMK = HMAC-H(HLAK, seed || u16le(hash len) || 0x01), zero-padded to 32 bytes. */
int sg_sstp_cmk(uint8_t hash_proto, const uint8_t hlak[SG_SSTP_HLAK_LEN],
		uint8_t cmk[SG_SSTP_HASH_FIELD]);

/*
 * Compound MAC over a 112-byte CONNECTED message (its MAC field is treated as
 * zeros whatever it holds), zero-padded to 32 bytes.
 */
int sg_sstp_compound_mac(uint8_t hash_proto, const uint8_t hlak[SG_SSTP_HLAK_LEN],
			 const uint8_t connected[SG_SSTP_CONNECTED_LEN],
			 uint8_t mac[SG_SSTP_HASH_FIELD]);

/*
 * Fill in the MAC field of a 112-byte CONNECTED message in place (the hash
 * protocol is read from the message). 0, -EINVAL, -EIO.
 */
int sg_sstp_connected_sign(uint8_t connected[SG_SSTP_CONNECTED_LEN],
			   const uint8_t hlak[SG_SSTP_HLAK_LEN]);

/*
 * Verify the MAC of a 112-byte CONNECTED message in constant time: 0 when it
 * matches, -EBADMSG when not, -EINVAL/-EIO on a bad hash protocol/OpenSSL error.
 */
int sg_sstp_connected_verify(const uint8_t connected[SG_SSTP_CONNECTED_LEN],
			     const uint8_t hlak[SG_SSTP_HLAK_LEN]);

/* HLAK = first || second (server side: MasterReceiveKey || MasterSendKey). */
void sg_sstp_hlak_from_mppe(uint8_t hlak[SG_SSTP_HLAK_LEN],
			    const uint8_t first[SG_SSTP_MPPE_KEY_LEN],
			    const uint8_t second[SG_SSTP_MPPE_KEY_LEN]);

/* 32 random bytes from RAND_bytes. 0 or -EIO. */
int sg_sstp_nonce(uint8_t nonce[SG_SSTP_NONCE_LEN]);

#ifdef __cplusplus
}
#endif

#endif /* SG_SSTP_CRYPTO_H */
