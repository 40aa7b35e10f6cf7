/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pure RADIUS codec under lib/aaa: no sockets, no time. Used by the client, the
 * dynamic authorization listener, the unit tests and the fuzzers.
 *
 * Decoding is two steps: sg_aaa_radius_check() validates every length once (header,
 * each attribute, each vendor attribute); only then may the iterators walk the packet.
 */
#ifndef SG_AAA_CODEC_H
#define SG_AAA_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_aaa.h"
#include "sg_aaa_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- decode ------------------------------------------------------------------------ */

/*
 * Validate the structure of a received datagram of n bytes. On success returns
 * SG_AAA_DROP_NONE and *len = the header length (bytes past it are padding, RFC 2865 §3).
 */
enum sg_aaa_drop sg_aaa_radius_check(const uint8_t *pkt, size_t n, size_t *len);

struct sg_aaa_attr_it {
	const uint8_t *p, *end;
};

/* Iterate the attributes of a checked packet of length len. */
void sg_aaa_attr_it_init(struct sg_aaa_attr_it *it, const uint8_t *pkt, size_t len);
/* Next attribute; false at the end. */
bool sg_aaa_attr_next(struct sg_aaa_attr_it *it, uint8_t *type, const uint8_t **val, size_t *vlen);
/*
 * If (val, vlen) is a Vendor-Specific value of `vendor`, iterate its sub-attributes with
 * the same iterator type (init gives an empty iterator otherwise).
 */
void sg_aaa_vsa_it_init(struct sg_aaa_attr_it *it, const uint8_t *val, size_t vlen,
			uint32_t vendor);

/* First attribute of a type in a checked packet; NULL if absent. */
const uint8_t *sg_aaa_attr_find(const uint8_t *pkt, size_t len, uint8_t type, size_t *vlen);

/*
 * Verify a reply (Access-Accept/Reject/Challenge, Accounting-Response, CoA/Disconnect
 * ACK/NAK) to a request whose authenticator was req_auth: the Response Authenticator and,
 * when present (or when require_ma), the Message-Authenticator. Constant-time compares.
 */
enum sg_aaa_drop sg_aaa_radius_verify_reply(const uint8_t *pkt, size_t len,
					    const uint8_t req_auth[16], const uint8_t *secret,
					    size_t slen, bool require_ma);

/*
 * Verify a request whose authenticator is computed over zeros (Accounting-Request,
 * CoA-Request, Disconnect-Request: RFC 2866 §3, RFC 5176 §3.5), and its
 * Message-Authenticator when present (or when require_ma).
 */
enum sg_aaa_drop sg_aaa_radius_verify_request(const uint8_t *pkt, size_t len, const uint8_t *secret,
					      size_t slen, bool require_ma);

/*
 * Fill res from a verified Access-Accept/Reject/Challenge sent in answer to a request
 * with authenticator req_auth. Returns SG_AAA_DROP_NONE, SG_AAA_DROP_BAD_CODE or
 * SG_AAA_DROP_BAD_VALUE (a value of the wrong size, an MPPE key that does not decrypt,
 * EAP too long).
 */
enum sg_aaa_drop sg_aaa_radius_reply_parse(const uint8_t *pkt, size_t len,
					   const uint8_t req_auth[16], const uint8_t *secret,
					   size_t slen, struct sg_aaa_result *res);

/* ---- encode ------------------------------------------------------------------------ */

struct sg_aaa_pkt {
	uint8_t buf[SG_RADIUS_MAX_LEN];
	size_t len;
	size_t ma_off; /* offset of the Message-Authenticator value, 0 if none */
};

/* Start a packet: header with code, id and authenticator (NULL: zeros). */
void sg_aaa_pkt_init(struct sg_aaa_pkt *p, uint8_t code, uint8_t id, const uint8_t auth[16]);
/* Append one attribute; returns the offset of its value, or -EINVAL (> 253) / -EMSGSIZE. */
int sg_aaa_pkt_add(struct sg_aaa_pkt *p, uint8_t type, const void *val, size_t vlen);
int sg_aaa_pkt_add_u32(struct sg_aaa_pkt *p, uint8_t type, uint32_t v);
int sg_aaa_pkt_add_str(struct sg_aaa_pkt *p, uint8_t type, const char *s);
/* One Vendor-Specific attribute with one sub-attribute. */
int sg_aaa_pkt_add_vsa(struct sg_aaa_pkt *p, uint32_t vendor, uint8_t vtype, const void *val,
		       size_t vlen);
/* A value split into as many attributes of `type` as needed (EAP-Message). */
int sg_aaa_pkt_add_split(struct sg_aaa_pkt *p, uint8_t type, const void *val, size_t vlen);
/* User-Password hidden with the packet's current authenticator (RFC 2865 §5.2). */
int sg_aaa_pkt_add_password(struct sg_aaa_pkt *p, const char *pw, size_t pwlen,
			    const uint8_t *secret, size_t slen);
/* Reserve a zeroed Message-Authenticator (computed by the sign functions). */
int sg_aaa_pkt_add_msg_auth(struct sg_aaa_pkt *p);

/*
 * Finish a request: write the length; Access-Request: compute the Message-Authenticator
 * over the packet with its random authenticator; Accounting/CoA/Disconnect-Request: zero
 * the authenticator, compute the Message-Authenticator, then the authenticator as
 * MD5(packet with zero authenticator + secret). Returns 0 or -errno.
 */
int sg_aaa_pkt_sign_request(struct sg_aaa_pkt *p, const uint8_t *secret, size_t slen);

/* Finish a reply to a request with authenticator req_auth (MA first, then the MD5). */
int sg_aaa_pkt_sign_reply(struct sg_aaa_pkt *p, const uint8_t req_auth[16], const uint8_t *secret,
			  size_t slen);

/* ---- crypto helpers ------------------------------------------------------------------ */

/* RFC 2865 §5.2. out needs roundup(pwlen, 16) (min 16) bytes; returns that length or -errno. */
int sg_aaa_radius_hide_password(uint8_t *out, const uint8_t *pw, size_t pwlen,
				const uint8_t *secret, size_t slen, const uint8_t auth[16]);
/* Reverse; out gets the padded plaintext (len bytes). Returns 0 or -EINVAL. */
int sg_aaa_radius_unhide_password(uint8_t *out, const uint8_t *hidden, size_t len,
				  const uint8_t *secret, size_t slen, const uint8_t auth[16]);

/*
 * RFC 2548 §2.4.2/2.4.3: decrypt an MS-MPPE-Send-Key/Recv-Key value (salt, encrypted
 * string) with the Request Authenticator. Returns the key length (<= max) or -EINVAL.
 */
int sg_aaa_radius_mppe_decrypt(uint8_t *key, size_t max, const uint8_t *val, size_t vlen,
			       const uint8_t *secret, size_t slen, const uint8_t req_auth[16]);
/* Encrypt (servers and tests): out needs 2 + roundup(1 + keylen, 16). Returns the length. */
int sg_aaa_radius_mppe_encrypt(uint8_t *out, size_t max, const uint8_t *key, size_t keylen,
			       uint16_t salt, const uint8_t *secret, size_t slen,
			       const uint8_t req_auth[16]);

/* CHAP-MD5 response: MD5(id || secret || challenge). Returns 0 or -errno. */
int sg_aaa_chap_md5(uint8_t out[16], uint8_t id, const void *secret, size_t slen,
		    const uint8_t *challenge, size_t clen);

/* HMAC-MD5 (RFC 2104) of data under key. Returns 0 or -errno. */
int sg_aaa_hmac_md5(uint8_t out[16], const uint8_t *key, size_t klen, const uint8_t *data,
		    size_t n);

/* HLAK from decrypted MPPE keys: recv >= 32 bytes (EAP MSK): recv[0..32); else recv16||send16. */
int sg_aaa_hlak_from_mppe(uint8_t hlak[32], const uint8_t *recv, size_t rlen, const uint8_t *send,
			  size_t slen);

#ifdef __cplusplus
}
#endif

#endif /* SG_AAA_CODEC_H */
