/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP wire format (MS-SSTP v2024-04-23, see ../shared/PROTOCOL.md): every
 * constant, limit and timer default, and packed structs for the fixed-size
 * parts, each with a static_assert on its size. Multi-byte fields are big
 * endian on the wire; the structs keep them as raw big-endian integers
 * (suffix _be).
 */
#ifndef SG_SSTP_WIRE_H
#define SG_SSTP_WIRE_H

#include <stdint.h>

#include "sg_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Packet header. */
#define SG_SSTP_VERSION	      0x10   /* major 1, minor 0 */
#define SG_SSTP_FLAG_CONTROL  0x01   /* byte 1, low bit C; other 7 bits reserved */
#define SG_SSTP_LEN_MASK      0x0fff /* low 12 bits of bytes 2-3; top 4 reserved */
#define SG_SSTP_HDR_LEN	      4
#define SG_SSTP_CTRL_HDR_LEN  8 /* packet header + message type + attribute count */
#define SG_SSTP_ATTR_HDR_LEN  4
#define SG_SSTP_MAX_PACKET    4095 /* largest value of the 12-bit length */
#define SG_SSTP_MAX_PPP_FRAME (SG_SSTP_MAX_PACKET - SG_SSTP_HDR_LEN)

/* Control message types (u16). */
enum sg_sstp_msg_type {
	SG_SSTP_MSG_CONNECT_REQUEST = 1,
	SG_SSTP_MSG_CONNECT_ACK = 2,
	SG_SSTP_MSG_CONNECT_NAK = 3,
	SG_SSTP_MSG_CONNECTED = 4,
	SG_SSTP_MSG_ABORT = 5,
	SG_SSTP_MSG_DISCONNECT = 6,
	SG_SSTP_MSG_DISCONNECT_ACK = 7,
	SG_SSTP_MSG_ECHO_REQUEST = 8,
	SG_SSTP_MSG_ECHO_RESPONSE = 9,
};
#define SG_SSTP_MSG_MAX 9

/* Attribute ids (u8). */
enum sg_sstp_attr_id {
	SG_SSTP_ATTR_ENCAP_PROTO = 1,
	SG_SSTP_ATTR_STATUS_INFO = 2,
	SG_SSTP_ATTR_CRYPTO_BINDING = 3,
	SG_SSTP_ATTR_CRYPTO_BINDING_REQ = 4,
};
#define SG_SSTP_ATTR_MAX 4

/* Attribute lengths, including the 4-byte attribute header. */
#define SG_SSTP_ATTR_ENCAP_PROTO_LEN	 6
#define SG_SSTP_ATTR_STATUS_INFO_MIN_LEN 12
#define SG_SSTP_STATUS_VALUE_MAX	 64 /* offending value carried in STATUS_INFO */
#define SG_SSTP_ATTR_STATUS_INFO_MAX_LEN                                                           \
	(SG_SSTP_ATTR_STATUS_INFO_MIN_LEN + SG_SSTP_STATUS_VALUE_MAX)
#define SG_SSTP_ATTR_CRYPTO_BINDING_LEN	    104
#define SG_SSTP_ATTR_CRYPTO_BINDING_REQ_LEN 40

#define SG_SSTP_ENCAP_PPP 1 /* ENCAPSULATED_PROTOCOL_ID value */

/* Hash protocol bitmask (CRYPTO_BINDING_REQ) / single value (CRYPTO_BINDING). */
#define SG_SSTP_HASH_SHA1    0x01
#define SG_SSTP_HASH_SHA256  0x02
#define SG_SSTP_SHA1_LEN     20
#define SG_SSTP_SHA256_LEN   32
#define SG_SSTP_HASH_FIELD   32 /* hash fields are 32 bytes; SHA1 values are zero-padded */
#define SG_SSTP_NONCE_LEN    32
#define SG_SSTP_HLAK_LEN     32
#define SG_SSTP_MPPE_KEY_LEN 16

/* Status codes (u32) carried in STATUS_INFO. */
#define SG_SSTP_STATUSES(X)                                                                        \
	X(NO_ERROR, 0)                                                                             \
	X(DUPLICATE_ATTRIBUTE, 1)                                                                  \
	X(UNRECOGNIZED_ATTRIBUTE, 2)                                                               \
	X(INVALID_ATTRIB_VALUE_LENGTH, 3)                                                          \
	X(VALUE_NOT_SUPPORTED, 4)                                                                  \
	X(UNACCEPTED_FRAME_RECEIVED, 5)                                                            \
	X(RETRY_COUNT_EXCEEDED, 6)                                                                 \
	X(INVALID_FRAME_RECEIVED, 7)                                                               \
	X(NEGOTIATION_TIMEOUT, 8)                                                                  \
	X(ATTRIB_NOT_SUPPORTED_IN_MSG, 9)                                                          \
	X(REQUIRED_ATTRIBUTE_MISSING, 10)                                                          \
	X(STATUS_INFO_NOT_SUPPORTED_IN_MSG, 11)

enum sg_sstp_status {
#define SG_SSTP_STATUS_ENUM_(name, val) SG_SSTP_STATUS_##name = val,
	SG_SSTP_STATUSES(SG_SSTP_STATUS_ENUM_)
#undef SG_SSTP_STATUS_ENUM_
};

/* Message sizes. */
#define SG_SSTP_CONNECT_REQUEST_LEN 14
#define SG_SSTP_CONNECT_ACK_LEN	    48
#define SG_SSTP_CONNECTED_LEN	    112
#define SG_SSTP_EMPTY_CTRL_LEN	    8  /* ECHO_*, DISCONNECT_ACK, bare ABORT/DISCONNECT */
#define SG_SSTP_STATUS_CTRL_LEN	    20 /* ABORT/DISCONNECT with one STATUS_INFO */

/* Offsets inside the 112-byte CONNECTED message (crypto binding, §4.7). */
#define SG_SSTP_CONNECTED_HASH_PROTO_OFF 15
#define SG_SSTP_CONNECTED_NONCE_OFF	 16
#define SG_SSTP_CONNECTED_CERT_HASH_OFF	 48
#define SG_SSTP_CONNECTED_MAC_OFF	 80

/* Timers and limits (MS-SSTP §3.1.2, §3.2.2, §3.3.2). */
#define SG_SSTP_NEGOTIATION_TIMEOUT (60 * SG_USEC_PER_SEC)
#define SG_SSTP_HELLO_INTERVAL	    (60 * SG_USEC_PER_SEC)
#define SG_SSTP_ABORT_T1	    (3 * SG_USEC_PER_SEC)
#define SG_SSTP_ABORT_T2	    (1 * SG_USEC_PER_SEC)
#define SG_SSTP_DISCONNECT_T1	    (5 * SG_USEC_PER_SEC) /* wait for DISCONNECT_ACK */
#define SG_SSTP_DISCONNECT_T2	    (1 * SG_USEC_PER_SEC) /* after acking a DISCONNECT */
#define SG_SSTP_MAX_NAKS	    3

/* CMK seed (29 bytes, no NUL). */
#define SG_SSTP_CMK_SEED     "SSTP inner method derived CMK"
#define SG_SSTP_CMK_SEED_LEN 29

/* HTTP phase. */
#define SG_SSTP_HTTP_METHOD	    "SSTP_DUPLEX_POST"
#define SG_SSTP_HTTP_PATH	    "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
#define SG_SSTP_HTTP_CONTENT_LENGTH "18446744073709551615"
#define SG_SSTP_HTTP_SERVER	    "Microsoft-HTTPAPI/2.0"
#define SG_SSTP_HTTP_MAX_HEADER	    8192 /* request line + headers + blank line */
#define SG_SSTP_HTTP_MAX_TARGET	    255	 /* request target incl. query */
#define SG_SSTP_HTTP_TIMEOUT	    (60 * SG_USEC_PER_SEC)

struct sg_sstp_hdr {
	uint8_t version;
	uint8_t flags;	 /* SG_SSTP_FLAG_CONTROL */
	uint16_t len_be; /* low 12 bits: total length incl. this header */
} SG_PACKED;

struct sg_sstp_ctrl_hdr {
	struct sg_sstp_hdr hdr;
	uint16_t msg_type_be;
	uint16_t attr_count_be;
} SG_PACKED;

struct sg_sstp_attr_hdr {
	uint8_t reserved;
	uint8_t id;
	uint16_t len_be; /* low 12 bits: length incl. this header */
} SG_PACKED;

struct sg_sstp_attr_encap_proto {
	struct sg_sstp_attr_hdr ah;
	uint16_t proto_be;
} SG_PACKED;

struct sg_sstp_attr_status_info {
	struct sg_sstp_attr_hdr ah;
	uint8_t reserved[3];
	uint8_t attr_id; /* the attribute the status is about (0: none) */
	uint32_t status_be;
	/* followed by up to SG_SSTP_STATUS_VALUE_MAX bytes of the offending value */
} SG_PACKED;

struct sg_sstp_attr_crypto_binding_req {
	struct sg_sstp_attr_hdr ah;
	uint8_t reserved[3];
	uint8_t hash_bitmask;
	uint8_t nonce[SG_SSTP_NONCE_LEN];
} SG_PACKED;

struct sg_sstp_attr_crypto_binding {
	struct sg_sstp_attr_hdr ah;
	uint8_t reserved[3];
	uint8_t hash_proto;
	uint8_t nonce[SG_SSTP_NONCE_LEN];
	uint8_t cert_hash[SG_SSTP_HASH_FIELD];
	uint8_t mac[SG_SSTP_HASH_FIELD];
} SG_PACKED;

struct sg_sstp_msg_connect_request {
	struct sg_sstp_ctrl_hdr ch;
	struct sg_sstp_attr_encap_proto encap;
} SG_PACKED;

struct sg_sstp_msg_connect_ack {
	struct sg_sstp_ctrl_hdr ch;
	struct sg_sstp_attr_crypto_binding_req req;
} SG_PACKED;

struct sg_sstp_msg_connected {
	struct sg_sstp_ctrl_hdr ch;
	struct sg_sstp_attr_crypto_binding binding;
} SG_PACKED;

struct sg_sstp_msg_status {
	struct sg_sstp_ctrl_hdr ch;
	struct sg_sstp_attr_status_info info;
} SG_PACKED;

#ifndef __cplusplus
#define SG_SSTP_STATIC_ASSERT _Static_assert
#else
#define SG_SSTP_STATIC_ASSERT static_assert
#endif
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_hdr) == SG_SSTP_HDR_LEN, "sstp header");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_ctrl_hdr) == SG_SSTP_CTRL_HDR_LEN, "control header");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_attr_hdr) == SG_SSTP_ATTR_HDR_LEN, "attr header");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_attr_encap_proto) == SG_SSTP_ATTR_ENCAP_PROTO_LEN,
		      "encap proto attr");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_attr_status_info) == SG_SSTP_ATTR_STATUS_INFO_MIN_LEN,
		      "status info attr");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_attr_crypto_binding_req) ==
			  SG_SSTP_ATTR_CRYPTO_BINDING_REQ_LEN,
		      "binding req attr");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_attr_crypto_binding) == SG_SSTP_ATTR_CRYPTO_BINDING_LEN,
		      "binding attr");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_msg_connect_request) == SG_SSTP_CONNECT_REQUEST_LEN,
		      "connect request");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_msg_connect_ack) == SG_SSTP_CONNECT_ACK_LEN,
		      "connect ack");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_msg_connected) == SG_SSTP_CONNECTED_LEN, "connected");
SG_SSTP_STATIC_ASSERT(sizeof(struct sg_sstp_msg_status) == SG_SSTP_STATUS_CTRL_LEN, "status msg");
SG_SSTP_STATIC_ASSERT(__builtin_offsetof(struct sg_sstp_msg_connected, binding.hash_proto) ==
			  SG_SSTP_CONNECTED_HASH_PROTO_OFF,
		      "hash proto offset");
SG_SSTP_STATIC_ASSERT(__builtin_offsetof(struct sg_sstp_msg_connected, binding.nonce) ==
			  SG_SSTP_CONNECTED_NONCE_OFF,
		      "nonce offset");
SG_SSTP_STATIC_ASSERT(__builtin_offsetof(struct sg_sstp_msg_connected, binding.cert_hash) ==
			  SG_SSTP_CONNECTED_CERT_HASH_OFF,
		      "cert hash offset");
SG_SSTP_STATIC_ASSERT(__builtin_offsetof(struct sg_sstp_msg_connected, binding.mac) ==
			  SG_SSTP_CONNECTED_MAC_OFF,
		      "mac offset");

#ifdef __cplusplus
}
#endif

#endif /* SG_SSTP_WIRE_H */
