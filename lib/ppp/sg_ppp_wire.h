/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP wire format: protocol numbers, packet codes, option types and every
 * protocol limit as a named constant (RFC 1661, 1662, 1332, 1877, 5072, 1334,
 * 1994, 2759, 3079, 3748 and draft-kamath-pppext-eap-mschapv2). Header only; compiles alone as C
 * and C++.
 */
#ifndef SG_PPP_WIRE_H
#define SG_PPP_WIRE_H

#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Address and control field (RFC 1662 §3.1). */
#define SG_PPP_ADDRESS 0xff
#define SG_PPP_CONTROL 0x03

/* Protocol field values. */
#define SG_PPP_PROTO_IPV4   0x0021
#define SG_PPP_PROTO_IPV6   0x0057
#define SG_PPP_PROTO_IPCP   0x8021
#define SG_PPP_PROTO_IPV6CP 0x8057
#define SG_PPP_PROTO_CCP    0x80fd
#define SG_PPP_PROTO_LCP    0xc021
#define SG_PPP_PROTO_PAP    0xc023
#define SG_PPP_PROTO_CHAP   0xc223
#define SG_PPP_PROTO_EAP    0xc227 /* RFC 3748 §3 / RFC 2284 */

/* Sizes and limits. */
#define SG_PPP_HDR_MAX	     4	  /* FF 03 + 2-byte protocol */
#define SG_PPP_CP_HDR_LEN    4	  /* code, identifier, length */
#define SG_PPP_OPT_HDR_LEN   2	  /* type, length */
#define SG_PPP_MRU_DEFAULT   1500 /* RFC 1661 default when not negotiated */
#define SG_PPP_MRU_SSTP	     1400 /* our default request (PROTOCOL.md) */
#define SG_PPP_MRU_MAX	     4091 /* SSTP packet 4095 minus its 4-byte header */
#define SG_PPP_MRU_MIN	     128  /* below this we NAK */
#define SG_PPP_FRAME_MAX     4096 /* largest PPP frame (header included) we accept */
#define SG_PPP_NAME_MAX	     255  /* user names and CHAP names */
#define SG_PPP_PASSWORD_MAX  255
#define SG_PPP_CHALLENGE_MAX 64 /* CHAP-MD5 challenge we accept as a peer */

/* Control protocol codes (LCP uses all; NCPs use 1..7). */
enum sg_ppp_code {
	SG_PPP_CONF_REQ = 1,
	SG_PPP_CONF_ACK = 2,
	SG_PPP_CONF_NAK = 3,
	SG_PPP_CONF_REJ = 4,
	SG_PPP_TERM_REQ = 5,
	SG_PPP_TERM_ACK = 6,
	SG_PPP_CODE_REJ = 7,
	SG_PPP_PROTO_REJ = 8,
	SG_PPP_ECHO_REQ = 9,
	SG_PPP_ECHO_REPLY = 10,
	SG_PPP_DISCARD_REQ = 11,
	SG_PPP_IDENTIFICATION = 12, /* RFC 1570; Windows sends them after LCP */
	SG_PPP_TIME_REMAINING = 13, /* RFC 1570 */
};

/* LCP option types. */
enum sg_ppp_lcp_opt {
	SG_LCP_OPT_MRU = 1,
	SG_LCP_OPT_ACCM = 2,
	SG_LCP_OPT_AUTH = 3,
	SG_LCP_OPT_QUALITY = 4,
	SG_LCP_OPT_MAGIC = 5,
	SG_LCP_OPT_PFC = 7,
	SG_LCP_OPT_ACFC = 8,
	SG_LCP_OPT_CALLBACK = 13,
	SG_LCP_OPT_MRRU = 17,
	SG_LCP_OPT_SSNHF = 18,
	SG_LCP_OPT_ENDPOINT = 19,
};

/* CHAP algorithms carried in the LCP auth option after 0xc223. */
#define SG_CHAP_ALG_MD5	     0x05
#define SG_CHAP_ALG_MSCHAPV2 0x81

/* PAP codes (RFC 1334) and CHAP codes (RFC 1994). */
enum sg_ppp_pap_code { SG_PAP_REQ = 1, SG_PAP_ACK = 2, SG_PAP_NAK = 3 };
enum sg_ppp_chap_code {
	SG_CHAP_CHALLENGE = 1,
	SG_CHAP_RESPONSE = 2,
	SG_CHAP_SUCCESS = 3,
	SG_CHAP_FAILURE = 4,
};

/* EAP (RFC 3748): codes, method types, the EAP-MSCHAPv2 op codes
 * (draft-kamath-pppext-eap-mschapv2) and sizes. */
enum sg_eap_code {
	SG_EAP_REQUEST = 1,
	SG_EAP_RESPONSE = 2,
	SG_EAP_SUCCESS = 3,
	SG_EAP_FAILURE = 4,
};
enum sg_eap_type {
	SG_EAP_TYPE_IDENTITY = 1,
	SG_EAP_TYPE_NOTIFICATION = 2,
	SG_EAP_TYPE_NAK = 3,
	SG_EAP_TYPE_MD5 = 4,
	SG_EAP_TYPE_PEAP = 25,
	SG_EAP_TYPE_MSCHAPV2 = 26,
};
enum sg_eap_mschapv2_op {
	SG_EAP_MSCHAPV2_CHALLENGE = 1,
	SG_EAP_MSCHAPV2_RESPONSE = 2,
	SG_EAP_MSCHAPV2_SUCCESS = 3,
	SG_EAP_MSCHAPV2_FAILURE = 4,
};
#define SG_EAP_HDR_LEN		4    /* code, identifier, length */
#define SG_EAP_MSCHAPV2_HDR_LEN 4    /* op code, MS-CHAPv2-ID, MS-Length (after the type) */
#define SG_EAP_MAX		1600 /* largest EAP packet relayed (RFC 3748 MTU >= 1020) */

/* IPCP option types (RFC 1332, RFC 1877). */
enum sg_ppp_ipcp_opt {
	SG_IPCP_OPT_ADDRESSES = 1,
	SG_IPCP_OPT_COMPRESSION = 2,
	SG_IPCP_OPT_ADDRESS = 3,
	SG_IPCP_OPT_DNS1 = 129,
	SG_IPCP_OPT_NBNS1 = 130,
	SG_IPCP_OPT_DNS2 = 131,
	SG_IPCP_OPT_NBNS2 = 132,
};

/* IPv6CP option types (RFC 5072). */
enum sg_ppp_ipv6cp_opt {
	SG_IPV6CP_OPT_IFID = 1,
	SG_IPV6CP_OPT_COMPRESSION = 2,
};

/* MS-CHAPv2 sizes (RFC 2759). */
#define SG_MSCHAP_CHALLENGE_LEN	  16
#define SG_MSCHAP_PEER_CHAL_LEN	  16
#define SG_MSCHAP_NT_RESP_LEN	  24
#define SG_MSCHAP_RESPONSE_LEN	  49 /* peer challenge, 8 reserved, NT response, flags */
#define SG_MSCHAP_AUTH_RESP_LEN	  42 /* "S=" + 40 hex digits */
#define SG_MSCHAP_ERROR_AUTH_FAIL 691
#define SG_MPPE_KEY_LEN		  16
#define SG_CHAP_MD5_LEN		  16

/* Control protocol header (code, identifier, length). */
struct sg_ppp_cp_hdr {
	uint8_t code;
	uint8_t id;
	uint16_t len; /* network order, header included */
} SG_PACKED;

/* MS-CHAPv2 Response value (RFC 2759 §4). */
struct sg_mschap_response {
	uint8_t peer_challenge[SG_MSCHAP_PEER_CHAL_LEN];
	uint8_t reserved[8];
	uint8_t nt_response[SG_MSCHAP_NT_RESP_LEN];
	uint8_t flags;
} SG_PACKED;

#ifdef __cplusplus
static_assert(sizeof(struct sg_ppp_cp_hdr) == SG_PPP_CP_HDR_LEN, "cp header");
static_assert(sizeof(struct sg_mschap_response) == SG_MSCHAP_RESPONSE_LEN, "mschap resp");
#else
_Static_assert(sizeof(struct sg_ppp_cp_hdr) == SG_PPP_CP_HDR_LEN, "cp header");
_Static_assert(sizeof(struct sg_mschap_response) == SG_MSCHAP_RESPONSE_LEN, "mschap resp");
#endif

#ifdef __cplusplus
}
#endif

#endif /* SG_PPP_WIRE_H */
