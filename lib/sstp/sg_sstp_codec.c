/* SPDX-License-Identifier: BSD-3-Clause */
/* SSTP packet codec and stream deframer (MS-SSTP §2.2). */
#include "sg_sstp_codec.h"

#include <errno.h>
#include <string.h>

static const char *const reason_names[SG_SSTP_R_COUNT] = {
#define SG_SSTP_REASON_NAME_(name, text) [SG_SSTP_R_##name] = #name,
    SG_SSTP_REASONS(SG_SSTP_REASON_NAME_)
#undef SG_SSTP_REASON_NAME_
};

static const char *const reason_texts[SG_SSTP_R_COUNT] = {
#define SG_SSTP_REASON_TEXT_(name, text) [SG_SSTP_R_##name] = text,
    SG_SSTP_REASONS(SG_SSTP_REASON_TEXT_)
#undef SG_SSTP_REASON_TEXT_
};

const char *sg_sstp_reason_name(enum sg_sstp_reason r)
{
	return (unsigned int) r < SG_SSTP_R_COUNT ? reason_names[r] : "?";
}

const char *sg_sstp_reason_text(enum sg_sstp_reason r)
{
	return (unsigned int) r < SG_SSTP_R_COUNT ? reason_texts[r] : "?";
}

const char *sg_sstp_status_name(uint32_t status)
{
	switch (status) {
#define SG_SSTP_STATUS_CASE_(name, val)                                                            \
	case val:                                                                                  \
		return #name;
		SG_SSTP_STATUSES(SG_SSTP_STATUS_CASE_)
#undef SG_SSTP_STATUS_CASE_
	}
	return "?";
}

void sg_sstp_stats_add(struct sg_sstp_stats *dst, const struct sg_sstp_stats *src)
{
	for (size_t i = 0; i < SG_SSTP_R_COUNT; i++)
		dst->count[i] += src->count[i];
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t) ((p[0] << 8) | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

int sg_sstp_hdr_parse(const uint8_t *p, bool *control, enum sg_sstp_reason *reason)
{
	uint16_t len = get16(p + 2) & SG_SSTP_LEN_MASK;

	if (p[0] != SG_SSTP_VERSION) {
		*reason = SG_SSTP_R_BAD_VERSION;
		return -EBADMSG;
	}
	if (len < SG_SSTP_HDR_LEN) {
		*reason = SG_SSTP_R_BAD_LENGTH;
		return -EBADMSG;
	}
	*control = (p[1] & SG_SSTP_FLAG_CONTROL) != 0;
	return len;
}

void sg_sstp_hdr_write(uint8_t *p, bool control, uint16_t total_len)
{
	p[0] = SG_SSTP_VERSION;
	p[1] = control ? SG_SSTP_FLAG_CONTROL : 0;
	put16(p + 2, total_len & SG_SSTP_LEN_MASK);
}

int sg_sstp_data_hdr_write(uint8_t hdr[SG_SSTP_HDR_LEN], size_t frame_len)
{
	if (frame_len == 0 || frame_len > SG_SSTP_MAX_PPP_FRAME)
		return -EMSGSIZE;
	sg_sstp_hdr_write(hdr, false, (uint16_t) (frame_len + SG_SSTP_HDR_LEN));
	return 0;
}

int sg_sstp_data_decode(const uint8_t *pkt, size_t len, const uint8_t **frame, size_t *frame_len)
{
	enum sg_sstp_reason reason;
	bool control;
	int plen;

	if (len < SG_SSTP_HDR_LEN)
		return -EBADMSG;
	plen = sg_sstp_hdr_parse(pkt, &control, &reason);
	if (plen < 0 || control || (size_t) plen != len || len == SG_SSTP_HDR_LEN)
		return -EBADMSG;
	*frame = pkt + SG_SSTP_HDR_LEN;
	*frame_len = len - SG_SSTP_HDR_LEN;
	return 0;
}

int sg_sstp_ppp_protocol(const uint8_t *frame, size_t len)
{
	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03) {
		frame += 2;
		len -= 2;
	}
	if (len >= 1 && (frame[0] & 1))
		return frame[0]; /* PFC: one-byte protocol */
	if (len >= 2 && (frame[1] & 1))
		return get16(frame);
	return -EINVAL;
}

/* Which attributes each message may carry and must carry (bit per attribute id). */
#define A(id) (1u << SG_SSTP_ATTR_##id)
static const struct {
	uint32_t allowed;
	uint32_t required;
	bool repeat_status; /* several STATUS_INFO allowed */
} msg_rules[SG_SSTP_MSG_MAX + 1] = {
    [SG_SSTP_MSG_CONNECT_REQUEST] = {A(ENCAP_PROTO), A(ENCAP_PROTO), false},
    [SG_SSTP_MSG_CONNECT_ACK] = {A(CRYPTO_BINDING_REQ), A(CRYPTO_BINDING_REQ), false},
    [SG_SSTP_MSG_CONNECT_NAK] = {A(STATUS_INFO) | A(CRYPTO_BINDING_REQ), A(STATUS_INFO), true},
    [SG_SSTP_MSG_CONNECTED] = {A(CRYPTO_BINDING), A(CRYPTO_BINDING), false},
    [SG_SSTP_MSG_ABORT] = {A(STATUS_INFO), 0, false},
    [SG_SSTP_MSG_DISCONNECT] = {A(STATUS_INFO), 0, false},
    [SG_SSTP_MSG_DISCONNECT_ACK] = {0, 0, false},
    [SG_SSTP_MSG_ECHO_REQUEST] = {0, 0, false},
    [SG_SSTP_MSG_ECHO_RESPONSE] = {0, 0, false},
};
#undef A

static int ctrl_fail(struct sg_sstp_ctrl *c, uint32_t status, uint8_t attr, enum sg_sstp_reason r,
		     const uint8_t *value, size_t value_len)
{
	c->err_status = status;
	c->err_attr = attr;
	c->err_reason = r;
	c->err_value = value;
	c->err_value_len = (uint16_t) SG_MIN(value_len, SG_SSTP_STATUS_VALUE_MAX);
	return -EBADMSG;
}

static bool attr_len_ok(uint8_t id, size_t alen)
{
	switch (id) {
	case SG_SSTP_ATTR_ENCAP_PROTO:
		return alen == SG_SSTP_ATTR_ENCAP_PROTO_LEN;
	case SG_SSTP_ATTR_STATUS_INFO:
		return alen >= SG_SSTP_ATTR_STATUS_INFO_MIN_LEN &&
		       alen <= SG_SSTP_ATTR_STATUS_INFO_MAX_LEN;
	case SG_SSTP_ATTR_CRYPTO_BINDING:
		return alen == SG_SSTP_ATTR_CRYPTO_BINDING_LEN;
	case SG_SSTP_ATTR_CRYPTO_BINDING_REQ:
		return alen == SG_SSTP_ATTR_CRYPTO_BINDING_REQ_LEN;
	}
	return false;
}

static void attr_store(struct sg_sstp_ctrl *c, uint8_t id, const uint8_t *a, size_t alen)
{
	switch (id) {
	case SG_SSTP_ATTR_ENCAP_PROTO:
		c->encap_proto = get16(a + 4);
		break;
	case SG_SSTP_ATTR_STATUS_INFO:
		if (c->status_info_count++ > 0)
			break;
		c->status_info.attr_id = a[7];
		c->status_info.status = get32(a + 8);
		c->status_info.value_len = (uint16_t) (alen - SG_SSTP_ATTR_STATUS_INFO_MIN_LEN);
		memcpy(c->status_info.value, a + SG_SSTP_ATTR_STATUS_INFO_MIN_LEN,
		       c->status_info.value_len);
		break;
	case SG_SSTP_ATTR_CRYPTO_BINDING:
		c->binding.hash_proto = a[7];
		memcpy(c->binding.nonce, a + 8, SG_SSTP_NONCE_LEN);
		memcpy(c->binding.cert_hash, a + 8 + SG_SSTP_NONCE_LEN, SG_SSTP_HASH_FIELD);
		memcpy(c->binding.mac, a + 8 + SG_SSTP_NONCE_LEN + SG_SSTP_HASH_FIELD,
		       SG_SSTP_HASH_FIELD);
		break;
	case SG_SSTP_ATTR_CRYPTO_BINDING_REQ:
		c->binding_req.hash_bitmask = a[7];
		memcpy(c->binding_req.nonce, a + 8, SG_SSTP_NONCE_LEN);
		break;
	}
}

int sg_sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sg_sstp_ctrl *c)
{
	enum sg_sstp_reason reason = SG_SSTP_R_NONE;
	size_t off = SG_SSTP_CTRL_HDR_LEN;
	bool control;
	int plen;

	memset(c, 0, sizeof(*c));
	if (len < SG_SSTP_HDR_LEN)
		return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
				 SG_SSTP_R_CTRL_TRUNCATED, NULL, 0);
	plen = sg_sstp_hdr_parse(pkt, &control, &reason);
	if (plen < 0)
		return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0, reason, NULL, 0);
	if (!control || (size_t) plen != len || len < SG_SSTP_CTRL_HDR_LEN)
		return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
				 SG_SSTP_R_CTRL_TRUNCATED, NULL, 0);
	c->msg_type = get16(pkt + 4);
	c->attr_count = get16(pkt + 6);
	if (c->msg_type == 0 || c->msg_type > SG_SSTP_MSG_MAX)
		return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
				 SG_SSTP_R_CTRL_BAD_MSG_TYPE, NULL, 0);

	for (unsigned int i = 0; i < c->attr_count; i++) {
		const uint8_t *a = pkt + off;
		size_t alen;
		uint8_t id;

		if (len - off < SG_SSTP_ATTR_HDR_LEN)
			return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
					 SG_SSTP_R_CTRL_TRUNCATED, NULL, 0);
		id = a[1];
		alen = get16(a + 2) & SG_SSTP_LEN_MASK;
		if (alen < SG_SSTP_ATTR_HDR_LEN)
			return ctrl_fail(c, SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, id,
					 SG_SSTP_R_CTRL_ATTR_BAD_LENGTH, NULL, 0);
		if (alen > len - off)
			return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, id,
					 SG_SSTP_R_CTRL_TRUNCATED, NULL, 0);
		if (id == 0 || id > SG_SSTP_ATTR_MAX)
			return ctrl_fail(c, SG_SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, id,
					 SG_SSTP_R_CTRL_ATTR_UNKNOWN, a + 4, alen - 4);
		if (!(msg_rules[c->msg_type].allowed & (1u << id)))
			return ctrl_fail(c, SG_SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, id,
					 SG_SSTP_R_CTRL_ATTR_NOT_IN_MSG, a + 4, alen - 4);
		if ((c->present & (1u << id)) &&
		    !(id == SG_SSTP_ATTR_STATUS_INFO && msg_rules[c->msg_type].repeat_status))
			return ctrl_fail(c, SG_SSTP_STATUS_DUPLICATE_ATTRIBUTE, id,
					 SG_SSTP_R_CTRL_ATTR_DUPLICATE, a + 4, alen - 4);
		if (!attr_len_ok(id, alen))
			return ctrl_fail(c, SG_SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, id,
					 SG_SSTP_R_CTRL_ATTR_BAD_LENGTH, a + 4, alen - 4);
		c->present |= 1u << id;
		attr_store(c, id, a, alen);
		off += alen;
	}
	if (off != len) /* bytes after the counted attributes */
		return ctrl_fail(c, SG_SSTP_STATUS_INVALID_FRAME_RECEIVED, 0,
				 SG_SSTP_R_CTRL_TRUNCATED, NULL, 0);
	uint32_t missing = msg_rules[c->msg_type].required & ~c->present;
	if (missing) {
		uint8_t id = (uint8_t) __builtin_ctz(missing);

		return ctrl_fail(c, SG_SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, id,
				 SG_SSTP_R_CTRL_ATTR_MISSING, NULL, 0);
	}
	return 0;
}

static uint8_t *ctrl_start(uint8_t *buf, uint16_t total, uint16_t msg_type, uint16_t nattr)
{
	sg_sstp_hdr_write(buf, true, total);
	put16(buf + 4, msg_type);
	put16(buf + 6, nattr);
	return buf + SG_SSTP_CTRL_HDR_LEN;
}

static uint8_t *attr_start(uint8_t *p, uint8_t id, uint16_t alen)
{
	p[0] = 0;
	p[1] = id;
	put16(p + 2, alen);
	return p + SG_SSTP_ATTR_HDR_LEN;
}

int sg_sstp_encode_connect_request(uint8_t *buf, size_t cap, uint16_t proto)
{
	uint8_t *p;

	if (cap < SG_SSTP_CONNECT_REQUEST_LEN)
		return -ENOSPC;
	p = ctrl_start(buf, SG_SSTP_CONNECT_REQUEST_LEN, SG_SSTP_MSG_CONNECT_REQUEST, 1);
	p = attr_start(p, SG_SSTP_ATTR_ENCAP_PROTO, SG_SSTP_ATTR_ENCAP_PROTO_LEN);
	put16(p, proto);
	return SG_SSTP_CONNECT_REQUEST_LEN;
}

int sg_sstp_encode_connect_ack(uint8_t *buf, size_t cap, uint8_t hash_bitmask,
			       const uint8_t nonce[SG_SSTP_NONCE_LEN])
{
	uint8_t *p;

	if (cap < SG_SSTP_CONNECT_ACK_LEN)
		return -ENOSPC;
	p = ctrl_start(buf, SG_SSTP_CONNECT_ACK_LEN, SG_SSTP_MSG_CONNECT_ACK, 1);
	p = attr_start(p, SG_SSTP_ATTR_CRYPTO_BINDING_REQ, SG_SSTP_ATTR_CRYPTO_BINDING_REQ_LEN);
	memset(p, 0, 3);
	p[3] = hash_bitmask;
	memcpy(p + 4, nonce, SG_SSTP_NONCE_LEN);
	return SG_SSTP_CONNECT_ACK_LEN;
}

static uint8_t *status_info_put(uint8_t *p, uint8_t attr_id, uint32_t status, const uint8_t *value,
				size_t value_len)
{
	p = attr_start(p, SG_SSTP_ATTR_STATUS_INFO,
		       (uint16_t) (SG_SSTP_ATTR_STATUS_INFO_MIN_LEN + value_len));
	memset(p, 0, 3);
	p[3] = attr_id;
	put32(p + 4, status);
	if (value_len)
		memcpy(p + 8, value, value_len);
	return p + 8 + value_len;
}

int sg_sstp_encode_connect_nak(uint8_t *buf, size_t cap, uint8_t attr_id, uint32_t status,
			       const uint8_t *value, size_t value_len)
{
	size_t total;
	uint8_t *p;

	if (value_len > SG_SSTP_STATUS_VALUE_MAX || (value_len && !value))
		return -EINVAL;
	total = SG_SSTP_CTRL_HDR_LEN + SG_SSTP_ATTR_STATUS_INFO_MIN_LEN + value_len;
	if (cap < total)
		return -ENOSPC;
	p = ctrl_start(buf, (uint16_t) total, SG_SSTP_MSG_CONNECT_NAK, 1);
	status_info_put(p, attr_id, status, value, value_len);
	return (int) total;
}

int sg_sstp_encode_connected(uint8_t *buf, size_t cap, uint8_t hash_proto,
			     const uint8_t nonce[SG_SSTP_NONCE_LEN],
			     const uint8_t cert_hash[SG_SSTP_HASH_FIELD],
			     const uint8_t mac[SG_SSTP_HASH_FIELD])
{
	uint8_t *p;

	if (cap < SG_SSTP_CONNECTED_LEN)
		return -ENOSPC;
	p = ctrl_start(buf, SG_SSTP_CONNECTED_LEN, SG_SSTP_MSG_CONNECTED, 1);
	p = attr_start(p, SG_SSTP_ATTR_CRYPTO_BINDING, SG_SSTP_ATTR_CRYPTO_BINDING_LEN);
	memset(p, 0, 3);
	p[3] = hash_proto;
	memcpy(p + 4, nonce, SG_SSTP_NONCE_LEN);
	memcpy(p + 4 + SG_SSTP_NONCE_LEN, cert_hash, SG_SSTP_HASH_FIELD);
	memcpy(p + 4 + SG_SSTP_NONCE_LEN + SG_SSTP_HASH_FIELD, mac, SG_SSTP_HASH_FIELD);
	return SG_SSTP_CONNECTED_LEN;
}

int sg_sstp_encode_status_msg(uint8_t *buf, size_t cap, uint16_t msg_type, bool with_status,
			      uint8_t attr_id, uint32_t status)
{
	size_t total = with_status ? SG_SSTP_STATUS_CTRL_LEN : SG_SSTP_EMPTY_CTRL_LEN;
	uint8_t *p;

	if (cap < total)
		return -ENOSPC;
	p = ctrl_start(buf, (uint16_t) total, msg_type, with_status ? 1 : 0);
	if (with_status)
		status_info_put(p, attr_id, status, NULL, 0);
	return (int) total;
}

int sg_sstp_encode_empty(uint8_t *buf, size_t cap, uint16_t msg_type)
{
	if (cap < SG_SSTP_EMPTY_CTRL_LEN)
		return -ENOSPC;
	ctrl_start(buf, SG_SSTP_EMPTY_CTRL_LEN, msg_type, 0);
	return SG_SSTP_EMPTY_CTRL_LEN;
}

void sg_sstp_deframer_init(struct sg_sstp_deframer *d)
{
	d->have = 0;
	d->need = 0;
	d->failed = false;
	d->reason = SG_SSTP_R_NONE;
}

static int deframer_fail(struct sg_sstp_deframer *d, enum sg_sstp_reason r)
{
	d->failed = true;
	d->reason = r;
	return -EBADMSG;
}

int sg_sstp_deframer_feed(struct sg_sstp_deframer *d, const uint8_t *in, size_t len,
			  const uint8_t **pkt, size_t *pkt_len)
{
	enum sg_sstp_reason r = SG_SSTP_R_NONE;
	size_t used = 0, take;
	bool control;
	int plen;

	*pkt = NULL;
	*pkt_len = 0;
	if (d->failed)
		return -EBADMSG;
	if (d->have == 0) {
		/* Fast path: a whole packet at the front of the input. */
		if (len >= SG_SSTP_HDR_LEN) {
			plen = sg_sstp_hdr_parse(in, &control, &r);
			if (plen < 0)
				return deframer_fail(d, r);
			if ((size_t) plen <= len) {
				*pkt = in;
				*pkt_len = (size_t) plen;
				return plen;
			}
		}
	}
	/* Slow path: collect the header, then the rest, in d->buf. */
	if (d->have < SG_SSTP_HDR_LEN) {
		take = SG_MIN(len, (size_t) (SG_SSTP_HDR_LEN - d->have));
		memcpy(d->buf + d->have, in, take);
		d->have = (uint16_t) (d->have + take);
		used += take;
		if (d->have < SG_SSTP_HDR_LEN)
			return (int) used;
		plen = sg_sstp_hdr_parse(d->buf, &control, &r);
		if (plen < 0)
			return deframer_fail(d, r);
		d->need = (uint16_t) plen;
	}
	take = SG_MIN(len - used, (size_t) (d->need - d->have));
	memcpy(d->buf + d->have, in + used, take);
	d->have = (uint16_t) (d->have + take);
	used += take;
	if (d->have == d->need) {
		*pkt = d->buf;
		*pkt_len = d->need;
		d->have = 0;
		d->need = 0;
	}
	return (int) used;
}
