/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSTP packet codec: counters (every drop/close/abort reason), packet header,
 * data packets, control messages with their attributes, and a stream deframer.
 * Pure functions over caller buffers; thread safe as long as each object is
 * used by one thread.
 */
#ifndef SG_SSTP_CODEC_H
#define SG_SSTP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_sstp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every event the SSTP layer counts, drops, rejects or closes for: X(name, text).
 * The caller owns a struct sg_sstp_stats (per core) and hands a pointer to the
 * state machines; sg_sstp_stats_add() sums them.
 */
#define SG_SSTP_REASONS(X)                                                                         \
	X(NONE, "no reason")                                                                       \
	X(HTTP_ACCEPTED, "http: SSTP_DUPLEX_POST accepted")                                        \
	X(HTTP_BAD_REQUEST, "http: malformed request (400)")                                       \
	X(HTTP_NOT_FOUND, "http: wrong path (404)")                                                \
	X(HTTP_BAD_METHOD, "http: method is not SSTP_DUPLEX_POST (405)")                           \
	X(HTTP_TARGET_TOO_LONG, "http: request target too long (414)")                             \
	X(HTTP_HEADER_TOO_LARGE, "http: header section too large (431)")                           \
	X(HTTP_BAD_VERSION, "http: version is not HTTP/1.1 (505)")                                 \
	X(HTTP_TIMEOUT, "http: request not complete in time")                                      \
	X(HTTP_REPLY_REJECTED, "http: server reply is not 200 (client)")                           \
	X(BAD_VERSION, "stream: version is not 0x10, closed")                                      \
	X(BAD_LENGTH, "stream: length below the header size, closed")                              \
	X(CTRL_TRUNCATED, "control: shorter than its header or attributes")                        \
	X(CTRL_BAD_MSG_TYPE, "control: unknown message type")                                      \
	X(CTRL_ATTR_BAD_LENGTH, "control: attribute length invalid")                               \
	X(CTRL_ATTR_UNKNOWN, "control: unrecognized attribute")                                    \
	X(CTRL_ATTR_DUPLICATE, "control: duplicate attribute")                                     \
	X(CTRL_ATTR_NOT_IN_MSG, "control: attribute not allowed in this message")                  \
	X(CTRL_ATTR_MISSING, "control: required attribute missing")                                \
	X(NAK_SENT, "connect request refused with CONNECT_NAK")                                    \
	X(NAK_LIMIT, "too many bad connect requests, aborted")                                     \
	X(NAK_RECEIVED, "CONNECT_NAK received (client)")                                           \
	X(WRONG_STATE, "message not acceptable in this state, aborted")                            \
	X(BINDING_MISSING, "CONNECTED without a valid crypto binding attribute")                   \
	X(BINDING_HASH_PROTO, "CONNECTED with a hash protocol not offered")                        \
	X(BINDING_NONCE, "CONNECTED with the wrong nonce")                                         \
	X(BINDING_CERT_HASH, "CONNECTED with the wrong certificate hash")                          \
	X(BINDING_MAC, "CONNECTED with a compound MAC that does not verify")                       \
	X(BINDING_UNCHECKED, "CONNECTED accepted without MAC check (configured)")                  \
	X(CONNECTED_QUEUED, "CONNECTED queued until the auth result arrives")                      \
	X(CONNECTED_OK, "CONNECTED verified, data path open")                                      \
	X(BAD_ACK, "CONNECT_ACK offers no usable hash protocol (client)")                          \
	X(DATA_EMPTY, "data: packet without a PPP frame, dropped")                                 \
	X(DATA_NOT_CONNECTED, "data: PPP data frame before CONNECTED, dropped")                    \
	X(DATA_BEFORE_ACK, "data: PPP frame before CONNECT_ACK, dropped")                          \
	X(DATA_IN_TEARDOWN, "data: packet during abort/disconnect, dropped")                       \
	X(TX_NOT_ALLOWED, "tx: PPP frame not sendable in this state, dropped")                     \
	X(TX_TOO_LONG, "tx: PPP frame longer than an SSTP packet, dropped")                        \
	X(CTRL_IGNORED, "control: ignored during abort/disconnect")                                \
	X(NEGOTIATION_TIMEOUT, "negotiation timer expired, aborted")                               \
	X(HELLO_TIMEOUT, "no packet for two hello intervals, closed")                              \
	X(ECHO_REQUEST_SENT, "hello: ECHO_REQUEST sent")                                           \
	X(ECHO_ANSWERED, "ECHO_REQUEST answered")                                                  \
	X(ABORT_SENT, "ABORT sent")                                                                \
	X(ABORT_RECEIVED, "ABORT received")                                                        \
	X(ABORT_T1_EXPIRED, "abort: no ABORT back within T1, closed")                              \
	X(ABORT_DONE, "abort: T2 expired, closed")                                                 \
	X(DISCONNECT_SENT, "DISCONNECT sent")                                                      \
	X(DISCONNECT_RECEIVED, "DISCONNECT received and acked")                                    \
	X(DISCONNECT_ACKED, "DISCONNECT_ACK received, closed")                                     \
	X(DISCONNECT_ACK_TIMEOUT, "no DISCONNECT_ACK in time, closed")                             \
	X(DISCONNECT_DONE, "disconnect: linger expired, closed")                                   \
	X(CRYPTO_ERROR, "OpenSSL failure (RAND/HMAC/digest), aborted")

enum sg_sstp_reason {
#define SG_SSTP_REASON_ENUM_(name, text) SG_SSTP_R_##name,
	SG_SSTP_REASONS(SG_SSTP_REASON_ENUM_)
#undef SG_SSTP_REASON_ENUM_
	    SG_SSTP_R_COUNT
};

/* Per-core counters, indexed by enum sg_sstp_reason; written only by their owner. */
struct sg_sstp_stats {
	uint64_t count[SG_SSTP_R_COUNT];
} __attribute__((aligned(64)));

/* Short name ("BINDING_MAC") and description of a reason; "?" when out of range. */
const char *sg_sstp_reason_name(enum sg_sstp_reason r);
const char *sg_sstp_reason_text(enum sg_sstp_reason r);
/* Name of an SSTP status code ("VALUE_NOT_SUPPORTED"); "?" when unknown. */
const char *sg_sstp_status_name(uint32_t status);
/* dst += src, counter by counter (summing per-core stats). */
void sg_sstp_stats_add(struct sg_sstp_stats *dst, const struct sg_sstp_stats *src);

/* ---- packet header ---- */

/*
 * Parse the 4-byte header at p (len >= 4). Reserved bits are masked.
 * Returns the total packet length (4..4095) and sets *control; -EBADMSG if the
 * version is not 0x10 or the length is below 4 (*reason says which).
 */
int sg_sstp_hdr_parse(const uint8_t *p, bool *control, enum sg_sstp_reason *reason);
/* Write a header for a packet of total length total_len (4..4095). */
void sg_sstp_hdr_write(uint8_t *p, bool control, uint16_t total_len);

/*
 * Data packet: write the 4-byte header in front of a PPP frame of frame_len
 * bytes (1..4091), e.g. into mbuf headroom. Returns 0 or -EMSGSIZE.
 */
int sg_sstp_data_hdr_write(uint8_t hdr[SG_SSTP_HDR_LEN], size_t frame_len);
/*
 * Data packet decode: pkt is one whole packet (from the deframer). Sets the
 * PPP frame pointer/length (inside pkt). Returns 0, or -EBADMSG (not a data
 * packet, length mismatch, or no payload).
 */
int sg_sstp_data_decode(const uint8_t *pkt, size_t len, const uint8_t **frame, size_t *frame_len);
/*
 * PPP protocol number of a frame (skips FF 03 if present, handles a
 * compressed 1-byte protocol field). Returns the protocol or -EINVAL.
 */
int sg_sstp_ppp_protocol(const uint8_t *frame, size_t len);

/* ---- control messages ---- */

/* A decoded control message. Attribute fields are valid when bit (1 << id) is in present. */
struct sg_sstp_ctrl {
	uint16_t msg_type;
	uint16_t attr_count;
	uint32_t present; /* bit (1u << attr id) per attribute seen */
	uint16_t encap_proto;
	struct {
		uint8_t attr_id;
		uint32_t status;
		uint16_t value_len;
		uint8_t value[SG_SSTP_STATUS_VALUE_MAX];
	} status_info; /* the first STATUS_INFO (a NAK may carry several) */
	uint8_t status_info_count;
	struct {
		uint8_t hash_bitmask;
		uint8_t nonce[SG_SSTP_NONCE_LEN];
	} binding_req;
	struct {
		uint8_t hash_proto;
		uint8_t nonce[SG_SSTP_NONCE_LEN];
		uint8_t cert_hash[SG_SSTP_HASH_FIELD];
		uint8_t mac[SG_SSTP_HASH_FIELD];
	} binding;
	/* On -EBADMSG: the SSTP status to report, the attribute it concerns and its value. */
	uint32_t err_status;
	uint8_t err_attr;
	uint16_t err_value_len;
	const uint8_t *err_value; /* points into the packet */
	enum sg_sstp_reason err_reason;
};

static inline bool sg_sstp_ctrl_has(const struct sg_sstp_ctrl *c, unsigned int attr)
{
	return attr <= SG_SSTP_ATTR_MAX && (c->present & (1u << attr)) != 0;
}

/*
 * Decode one whole control packet (from the deframer). Validates the header,
 * the message type, the attribute count against the attributes present,
 * every attribute's length, duplicates, unknown ids, which attributes each
 * message allows and requires. Semantic values (protocol id, hash protocol,
 * nonce) are left to the state machines.
 * Returns 0, or -EBADMSG with err_status/err_attr/err_reason set (msg_type is
 * set whenever the packet was long enough to carry it, 0 otherwise).
 */
int sg_sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sg_sstp_ctrl *c);

/*
 * Encoders: write one control packet into buf (cap bytes). Return the length
 * written or -ENOSPC.
 */
int sg_sstp_encode_connect_request(uint8_t *buf, size_t cap, uint16_t proto);
int sg_sstp_encode_connect_ack(uint8_t *buf, size_t cap, uint8_t hash_bitmask,
			       const uint8_t nonce[SG_SSTP_NONCE_LEN]);
/* NAK with one STATUS_INFO; value (value_len <= 64 bytes, may be NULL when 0). */
int sg_sstp_encode_connect_nak(uint8_t *buf, size_t cap, uint8_t attr_id, uint32_t status,
			       const uint8_t *value, size_t value_len);
/* CONNECTED with the MAC field as given (callers usually pass zeros, then fill it). */
int sg_sstp_encode_connected(uint8_t *buf, size_t cap, uint8_t hash_proto,
			     const uint8_t nonce[SG_SSTP_NONCE_LEN],
			     const uint8_t cert_hash[SG_SSTP_HASH_FIELD],
			     const uint8_t mac[SG_SSTP_HASH_FIELD]);
/* ABORT or DISCONNECT: with_status adds one STATUS_INFO(attr_id, status). */
int sg_sstp_encode_status_msg(uint8_t *buf, size_t cap, uint16_t msg_type, bool with_status,
			      uint8_t attr_id, uint32_t status);
/* DISCONNECT_ACK, ECHO_REQUEST, ECHO_RESPONSE (no attributes). */
int sg_sstp_encode_empty(uint8_t *buf, size_t cap, uint16_t msg_type);

/* ---- stream deframer ---- */

/*
 * Splits a byte stream into whole SSTP packets, across arbitrary read
 * boundaries. Holds at most one partial packet (4095 bytes).
 */
struct sg_sstp_deframer {
	uint16_t have; /* bytes of the partial packet in buf */
	uint16_t need; /* its total length once the header is known, else 0 */
	bool failed;
	enum sg_sstp_reason reason;
	uint8_t buf[SG_SSTP_MAX_PACKET + 1];
};

void sg_sstp_deframer_init(struct sg_sstp_deframer *d);
/*
 * Consume bytes from in (len > 0). Returns the number of bytes consumed and,
 * when a whole packet is ready, sets *pkt and *pkt_len (pointing into in when the
 * packet was contiguous there, else into d->buf; valid until the next call).
 * *pkt is NULL when all input was buffered. Returns -EBADMSG (and stays
 * failed) on a bad version or length: close the connection without a reply.
 */
int sg_sstp_deframer_feed(struct sg_sstp_deframer *d, const uint8_t *in, size_t len,
			  const uint8_t **pkt, size_t *pkt_len);

#ifdef __cplusplus
}
#endif

#endif /* SG_SSTP_CODEC_H */
