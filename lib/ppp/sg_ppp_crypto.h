/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP authentication crypto: CHAP-MD5 (RFC 1994), MS-CHAPv2 (RFC 2759) and
 * MPPE master keys (RFC 3079). Used by the PPP peer role and by the AAA
 * backends that verify responses (local users file, RADIUS MS-CHAP2/MPPE).
 *
 * MD4 and DES live in OpenSSL 3's legacy provider. The first call loads
 * "default" and "legacy" into a private OSSL_LIB_CTX once per process (thread
 * safe, pthread_once). Without the legacy provider, one log line is written and
 * everything that needs MD4/DES (NtPasswordHash, ChallengeResponse, the
 * authenticator response, MPPE keys from a password) returns -ENOTSUP; CHAP-MD5
 * and the SHA1-only steps keep working.
 *
 * All functions are thread safe and return 0 or a negative errno. User names
 * and passwords are byte strings (passwords: UTF-8, converted to UTF-16LE for
 * NtPasswordHash). Secrets on the stack are wiped before returning.
 */
#ifndef SG_PPP_CRYPTO_H
#define SG_PPP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "sg_ppp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load the providers, fetch MD4/MD5/SHA1/DES-ECB: 0, or -ENOTSUP when MS-CHAPv2 is unavailable. */
int sg_ppp_crypto_init(void);

/* Fill buf with cryptographically strong random bytes (RAND_bytes). 0 or -EIO. */
int sg_ppp_random(void *buf, size_t len);

/* CHAP-MD5 response: MD5(id || secret || challenge). */
int sg_ppp_chap_md5(uint8_t id, const uint8_t *secret, size_t secret_len, const uint8_t *challenge,
		    size_t challenge_len, uint8_t out[SG_CHAP_MD5_LEN]);

/* NtPasswordHash: MD4 of the UTF-16LE password. -EINVAL on bad UTF-8 or > 256 chars. */
int sg_ppp_nt_password_hash(const char *password, size_t len, uint8_t out[16]);

/* HashNtPasswordHash: MD4(hash). */
int sg_ppp_hash_nt_password_hash(const uint8_t hash[16], uint8_t out[16]);

/*
 * ChallengeHash: first 8 bytes of SHA1(peer challenge || authenticator challenge
 * || user name), the name stripped of any "DOMAIN\" prefix (RFC 2759 §8.2).
 */
int sg_ppp_mschap_challenge_hash(const uint8_t peer_chal[16], const uint8_t auth_chal[16],
				 const char *user, size_t user_len, uint8_t out[8]);

/* ChallengeResponse: three DES encryptions of the 8-byte challenge. */
int sg_ppp_mschap_challenge_response(const uint8_t challenge[8], const uint8_t pw_hash[16],
				     uint8_t out[SG_MSCHAP_NT_RESP_LEN]);

/* GenerateNTResponse from the password hash. */
int sg_ppp_mschap_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			      const char *user, size_t user_len, const uint8_t pw_hash[16],
			      uint8_t out[SG_MSCHAP_NT_RESP_LEN]);

/*
 * GenerateAuthenticatorResponse: writes "S=" + 40 upper-case hex digits and a
 * NUL into out (SG_MSCHAP_AUTH_RESP_LEN + 1 bytes).
 */
int sg_ppp_mschap_authenticator_response(const uint8_t pw_hash[16],
					 const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN],
					 const uint8_t peer_chal[16], const uint8_t auth_chal[16],
					 const char *user, size_t user_len,
					 char out[SG_MSCHAP_AUTH_RESP_LEN + 1]);

/* RFC 3079 GetMasterKey(PasswordHashHash, NTResponse). */
int sg_ppp_mppe_master_key(const uint8_t pw_hash_hash[16],
			   const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN], uint8_t out[16]);

/* RFC 3079 GetAsymmetricStartKey for a 16-byte session key. */
int sg_ppp_mppe_start_key(const uint8_t master_key[16], int is_send, int is_server,
			  uint8_t out[SG_MPPE_KEY_LEN]);

/*
 * Both MPPE master keys from one side's point of view: send_key protects what
 * this side sends (server: MasterSendKey = client's MasterReceiveKey).
 */
int sg_ppp_mppe_keys(const uint8_t pw_hash[16], const uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN],
		     int is_server, uint8_t send_key[SG_MPPE_KEY_LEN],
		     uint8_t recv_key[SG_MPPE_KEY_LEN]);

/* What an authenticator learns from a valid MS-CHAPv2 response. */
struct sg_ppp_mschap_verdict {
	char auth_response[SG_MSCHAP_AUTH_RESP_LEN + 1]; /* "S=<40 hex>" */
	uint8_t send_key[SG_MPPE_KEY_LEN];		 /* server -> client */
	uint8_t recv_key[SG_MPPE_KEY_LEN];		 /* client -> server */
};

/*
 * Authenticator side check for a local password (hash): recomputes the NT
 * response (constant-time compare), then fills out. 0 if it matches,
 * -EACCES if not, other -errno on failure. out is wiped unless 0.
 */
int sg_ppp_mschap_verify(const uint8_t pw_hash[16], const uint8_t auth_chal[16],
			 const uint8_t response[SG_MSCHAP_RESPONSE_LEN], const char *user,
			 size_t user_len, struct sg_ppp_mschap_verdict *out);

#ifdef __cplusplus
}
#endif

#endif /* SG_PPP_CRYPTO_H */
