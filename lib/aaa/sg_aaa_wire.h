/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS wire format (RFC 2865 authentication, RFC 2866 accounting, RFC 2869/3579
 * Message-Authenticator and EAP, RFC 5176 dynamic authorization, RFC 2548 Microsoft
 * vendor attributes, RFC 3162/4818 IPv6). Every limit the codec enforces is here.
 */
#ifndef SG_AAA_WIRE_H
#define SG_AAA_WIRE_H

#include <assert.h>
#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Packet header: code, identifier, length (big endian, whole packet), authenticator. */
struct sg_radius_hdr {
	uint8_t code;
	uint8_t id;
	uint16_t length;
	uint8_t authenticator[16];
} SG_PACKED;
#ifndef __cplusplus
static_assert(sizeof(struct sg_radius_hdr) == 20, "RADIUS header is 20 bytes");
#endif

#define SG_RADIUS_HDR_LEN      20
#define SG_RADIUS_AUTH_LEN     16
#define SG_RADIUS_MIN_LEN      20   /* RFC 2865 §3 */
#define SG_RADIUS_MAX_LEN      4096 /* RFC 2865 §3 */
#define SG_RADIUS_ATTR_HDR     2    /* type, length */
#define SG_RADIUS_ATTR_MAX_VAL 253  /* length byte covers the 2-byte header */
#define SG_RADIUS_MAX_ATTRS    160  /* more than this in one packet is a flood */
#define SG_RADIUS_MSG_AUTH_LEN 16   /* HMAC-MD5 */
#define SG_RADIUS_PW_MAX       128  /* RFC 2865 §5.2: at most 128 octets */
#define SG_RADIUS_VSA_HDR      6    /* vendor id (4) + vendor type (1) + vendor length (1) */

enum sg_radius_code {
	SG_RADIUS_ACCESS_REQUEST = 1,
	SG_RADIUS_ACCESS_ACCEPT = 2,
	SG_RADIUS_ACCESS_REJECT = 3,
	SG_RADIUS_ACCOUNTING_REQUEST = 4,
	SG_RADIUS_ACCOUNTING_RESPONSE = 5,
	SG_RADIUS_ACCESS_CHALLENGE = 11,
	SG_RADIUS_DISCONNECT_REQUEST = 40,
	SG_RADIUS_DISCONNECT_ACK = 41,
	SG_RADIUS_DISCONNECT_NAK = 42,
	SG_RADIUS_COA_REQUEST = 43,
	SG_RADIUS_COA_ACK = 44,
	SG_RADIUS_COA_NAK = 45,
};

enum sg_radius_attr {
	SG_RADIUS_USER_NAME = 1,
	SG_RADIUS_USER_PASSWORD = 2,
	SG_RADIUS_CHAP_PASSWORD = 3,
	SG_RADIUS_NAS_IP_ADDRESS = 4,
	SG_RADIUS_NAS_PORT = 5,
	SG_RADIUS_SERVICE_TYPE = 6,
	SG_RADIUS_FRAMED_PROTOCOL = 7,
	SG_RADIUS_FRAMED_IP_ADDRESS = 8,
	SG_RADIUS_FILTER_ID = 11,
	SG_RADIUS_FRAMED_MTU = 12,
	SG_RADIUS_REPLY_MESSAGE = 18,
	SG_RADIUS_STATE = 24,
	SG_RADIUS_CLASS = 25,
	SG_RADIUS_VENDOR_SPECIFIC = 26,
	SG_RADIUS_SESSION_TIMEOUT = 27,
	SG_RADIUS_IDLE_TIMEOUT = 28,
	SG_RADIUS_CALLED_STATION_ID = 30,
	SG_RADIUS_CALLING_STATION_ID = 31,
	SG_RADIUS_NAS_IDENTIFIER = 32,
	SG_RADIUS_PROXY_STATE = 33,
	SG_RADIUS_ACCT_STATUS_TYPE = 40,
	SG_RADIUS_ACCT_DELAY_TIME = 41,
	SG_RADIUS_ACCT_INPUT_OCTETS = 42,
	SG_RADIUS_ACCT_OUTPUT_OCTETS = 43,
	SG_RADIUS_ACCT_SESSION_ID = 44,
	SG_RADIUS_ACCT_AUTHENTIC = 45,
	SG_RADIUS_ACCT_SESSION_TIME = 46,
	SG_RADIUS_ACCT_INPUT_PACKETS = 47,
	SG_RADIUS_ACCT_OUTPUT_PACKETS = 48,
	SG_RADIUS_ACCT_TERMINATE_CAUSE = 49,
	SG_RADIUS_ACCT_INPUT_GIGAWORDS = 52,
	SG_RADIUS_ACCT_OUTPUT_GIGAWORDS = 53,
	SG_RADIUS_EVENT_TIMESTAMP = 55,
	SG_RADIUS_CHAP_CHALLENGE = 60,
	SG_RADIUS_NAS_PORT_TYPE = 61,
	SG_RADIUS_TUNNEL_TYPE = 64,
	SG_RADIUS_EAP_MESSAGE = 79,
	SG_RADIUS_MESSAGE_AUTHENTICATOR = 80,
	SG_RADIUS_ACCT_INTERIM_INTERVAL = 85,
	SG_RADIUS_NAS_PORT_ID = 87,
	SG_RADIUS_FRAMED_POOL = 88,
	SG_RADIUS_NAS_IPV6_ADDRESS = 95,
	SG_RADIUS_FRAMED_IPV6_PREFIX = 97,
	SG_RADIUS_ERROR_CAUSE = 101,
	SG_RADIUS_DELEGATED_IPV6_PREFIX = 123,
};

/* Service-Type Framed-User, Framed-Protocol PPP, NAS-Port-Type Virtual. */
#define SG_RADIUS_SERVICE_FRAMED   2
#define SG_RADIUS_PROTOCOL_PPP	   1
#define SG_RADIUS_PORT_VIRTUAL	   5
#define SG_RADIUS_ACCT_AUTH_RADIUS 1

/* Acct-Status-Type values (RFC 2866 §5.1). */
enum sg_radius_acct_status {
	SG_RADIUS_ACCT_START = 1,
	SG_RADIUS_ACCT_STOP = 2,
	SG_RADIUS_ACCT_INTERIM = 3,
	SG_RADIUS_ACCT_ON = 7,
	SG_RADIUS_ACCT_OFF = 8,
};

/* Error-Cause values used by the dynamic authorization listener (RFC 5176 §3.5). */
enum sg_radius_error_cause {
	SG_RADIUS_ERR_UNSUPPORTED_ATTRIBUTE = 401,
	SG_RADIUS_ERR_MISSING_ATTRIBUTE = 402,
	SG_RADIUS_ERR_INVALID_REQUEST = 404,
	SG_RADIUS_ERR_UNSUPPORTED_SERVICE = 405,
	SG_RADIUS_ERR_SESSION_NOT_FOUND = 503,
	SG_RADIUS_ERR_RESOURCES_UNAVAILABLE = 506,
};

/* Vendor-Specific, Microsoft (RFC 2548). */
#define SG_RADIUS_VENDOR_MICROSOFT 311
enum sg_radius_ms_attr {
	SG_RADIUS_MS_CHAP_ERROR = 2,
	SG_RADIUS_MS_MPPE_ENCRYPTION_POLICY = 7,
	SG_RADIUS_MS_MPPE_ENCRYPTION_TYPES = 8,
	SG_RADIUS_MS_CHAP_CHALLENGE = 11,
	SG_RADIUS_MS_MPPE_SEND_KEY = 16,
	SG_RADIUS_MS_MPPE_RECV_KEY = 17,
	SG_RADIUS_MS_CHAP2_RESPONSE = 25,
	SG_RADIUS_MS_CHAP2_SUCCESS = 26,
	SG_RADIUS_MS_PRIMARY_DNS = 28,
	SG_RADIUS_MS_SECONDARY_DNS = 29,
};

/* MS-CHAP2-Response: ident, flags, peer challenge 16, reserved 8, NT-Response 24 */
#define SG_RADIUS_MS_CHAP2_RESPONSE_LEN 50
#define SG_RADIUS_MS_CHAP2_SUCCESS_LEN	43 /* ident + "S=" + 40 hex digits */
#define SG_RADIUS_MPPE_KEY_MAX		64 /* EAP MSK halves are 32 bytes; MS-CHAPv2 keys 16 */
#define SG_RADIUS_CHAP_PASSWORD_LEN	17 /* ident + MD5 */

#ifdef __cplusplus
}
#endif

#endif /* SG_AAA_WIRE_H */
