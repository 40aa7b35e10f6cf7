/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/aaa internals shared between the client files. Not installed, not a contract. */
#ifndef SG_AAA_PRIVATE_H
#define SG_AAA_PRIVATE_H

#include "sg_aaa_codec.h"

/* Where the secret-dependent or time-dependent parts of an encoded request live. */
struct aaa_req_layout {
	size_t pw_off;	  /* User-Password value, 0 if none */
	size_t pw_len;	  /* hidden length */
	size_t delay_off; /* Acct-Delay-Time value, 0 if none */
};

struct aaa_nas {
	const char *nas_identifier;
	uint32_t nas_ip; /* network order */
};

/*
 * Encode an Access-Request body (everything but id, authenticator and signature) for the
 * given request; the password is hidden with `secret` and the authenticator already in
 * p->buf[4..20). Returns 0 or -errno.
 */
int aaa_encode_access_request(struct sg_aaa_pkt *p, const struct sg_aaa_auth_req *req,
			      const struct aaa_nas *nas, const uint8_t *secret, size_t slen,
			      struct aaa_req_layout *lay);

/* Encode an Accounting-Request body (Acct-Delay-Time 0). Returns 0 or -errno. */
int aaa_encode_acct_request(struct sg_aaa_pkt *p, const struct sg_aaa_acct *rec,
			    const struct aaa_nas *nas, struct aaa_req_layout *lay);

/* Validate a request before encoding it. */
int aaa_auth_req_check(const struct sg_aaa_auth_req *req);

/*
 * aaa_local_eap.c: one EAP-MD5 round for the local users file (password NULL: unknown
 * user). Fills res (CHALLENGE with State, or ACCEPT/REJECT with Success/Failure).
 * Returns 0, -EINVAL (not an EAP Response) or -EIO.
 */
#define AAA_LOCAL_EAP_KEY_LEN 32
int aaa_local_eap_md5(const uint8_t key[AAA_LOCAL_EAP_KEY_LEN], const struct sg_aaa_auth_req *req,
		      const char *password, struct sg_aaa_result *res);

#endif /* SG_AAA_PRIVATE_H */
