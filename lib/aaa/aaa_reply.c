/* SPDX-License-Identifier: BSD-3-Clause */
/* Access-Accept/Reject/Challenge attributes -> struct sg_aaa_result; names of counters. */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sg_aaa_codec.h"

static const char *const drop_names[] = {"none",
#define SG_AAA_DROP_NAME_(id, name) name,
					 SG_AAA_DROPS(SG_AAA_DROP_NAME_)
#undef SG_AAA_DROP_NAME_
};

const char *sg_aaa_drop_name(enum sg_aaa_drop d)
{
	return (unsigned) d < SG_ARRAY_SIZE(drop_names) ? drop_names[d] : "?";
}

static const char *const event_names[] = {
#define SG_AAA_EV_NAME_(id, name) name,
    SG_AAA_EVENTS(SG_AAA_EV_NAME_)
#undef SG_AAA_EV_NAME_
};

const char *sg_aaa_event_name(enum sg_aaa_event e)
{
	return (unsigned) e < SG_ARRAY_SIZE(event_names) ? event_names[e] : "?";
}

void sg_aaa_result_wipe(struct sg_aaa_result *res)
{
	OPENSSL_cleanse(res->hlak, sizeof(res->hlak));
	res->has &= ~(uint32_t) SG_AAA_HAS_KEYS;
}

static uint32_t rd32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

/* Copy a text attribute into a NUL-terminated buffer (truncating). */
static void copy_str(char *dst, size_t cap, const uint8_t *v, size_t vlen)
{
	size_t n = SG_MIN(vlen, cap - 1);

	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* RFC 3162 §2.3 / RFC 4818: reserved, prefix length, prefix (only the bytes needed). */
static bool ipv6_prefix(const uint8_t *v, size_t vlen, uint8_t out[16], uint8_t *plen)
{
	if (vlen < 2 || vlen > 18 || v[1] > 128 || (size_t) (v[1] + 7) / 8 > vlen - 2)
		return false;
	memset(out, 0, 16);
	memcpy(out, v + 2, vlen - 2);
	*plen = v[1];
	return true;
}

static bool u32_attr(const uint8_t *v, size_t vlen, uint32_t *out)
{
	if (vlen != 4)
		return false;
	*out = rd32(v);
	return true;
}

/* Microsoft vendor attributes (RFC 2548). */
static bool parse_ms(const uint8_t *v, size_t vlen, const uint8_t req_auth[16],
		     const uint8_t *secret, size_t slen, struct sg_aaa_result *res, uint8_t *recv,
		     int *rlen, uint8_t *send, int *sndlen)
{
	struct sg_aaa_attr_it it;
	const uint8_t *sv;
	size_t svlen;
	uint8_t t;

	sg_aaa_vsa_it_init(&it, v, vlen, SG_RADIUS_VENDOR_MICROSOFT);
	while (sg_aaa_attr_next(&it, &t, &sv, &svlen)) {
		switch (t) {
		case SG_RADIUS_MS_CHAP2_SUCCESS:
			if (svlen != SG_RADIUS_MS_CHAP2_SUCCESS_LEN || sv[1] != 'S' || sv[2] != '=')
				return false;
			res->mschap_ident = sv[0];
			copy_str(res->mschap2_success, sizeof(res->mschap2_success), sv + 1,
				 svlen - 1);
			res->has |= SG_AAA_HAS_MSCHAP2_SUCCESS;
			break;
		case SG_RADIUS_MS_CHAP_ERROR:
			if (svlen < 1)
				return false;
			res->mschap_ident = sv[0];
			copy_str(res->mschap_error, sizeof(res->mschap_error), sv + 1, svlen - 1);
			res->has |= SG_AAA_HAS_MSCHAP_ERROR;
			break;
		case SG_RADIUS_MS_PRIMARY_DNS:
		case SG_RADIUS_MS_SECONDARY_DNS: {
			int i = t == SG_RADIUS_MS_PRIMARY_DNS ? 0 : 1;

			if (svlen != 4)
				return false;
			memcpy(&res->dns[i], sv, 4);
			res->has |= i == 0 ? SG_AAA_HAS_DNS1 : SG_AAA_HAS_DNS2;
			break;
		}
		case SG_RADIUS_MS_MPPE_RECV_KEY:
			*rlen = sg_aaa_radius_mppe_decrypt(recv, SG_RADIUS_MPPE_KEY_MAX, sv, svlen,
							   secret, slen, req_auth);
			if (*rlen < 0)
				return false;
			break;
		case SG_RADIUS_MS_MPPE_SEND_KEY:
			*sndlen = sg_aaa_radius_mppe_decrypt(send, SG_RADIUS_MPPE_KEY_MAX, sv,
							     svlen, secret, slen, req_auth);
			if (*sndlen < 0)
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

static bool parse_attr(uint8_t t, const uint8_t *v, size_t vlen, struct sg_aaa_result *res)
{
	switch (t) {
	case SG_RADIUS_REPLY_MESSAGE: {
		size_t have = strlen(res->reply_message);

		copy_str(res->reply_message + have, sizeof(res->reply_message) - have, v, vlen);
		return true;
	}
	case SG_RADIUS_FRAMED_IP_ADDRESS:
		if (vlen != 4)
			return false;
		memcpy(&res->framed_ip, v, 4);
		res->has |= SG_AAA_HAS_FRAMED_IP;
		return true;
	case SG_RADIUS_FRAMED_IPV6_PREFIX:
		if (!ipv6_prefix(v, vlen, res->framed_ipv6_prefix, &res->framed_ipv6_prefix_len))
			return false;
		res->has |= SG_AAA_HAS_FRAMED_IPV6_PREFIX;
		return true;
	case SG_RADIUS_DELEGATED_IPV6_PREFIX:
		if (!ipv6_prefix(v, vlen, res->delegated_prefix, &res->delegated_prefix_len))
			return false;
		res->has |= SG_AAA_HAS_DELEGATED_PREFIX;
		return true;
	case SG_RADIUS_FRAMED_POOL:
		copy_str(res->framed_pool, sizeof(res->framed_pool), v, vlen);
		return true;
	case SG_RADIUS_FILTER_ID:
		copy_str(res->filter_id, sizeof(res->filter_id), v, vlen);
		return true;
	case SG_RADIUS_SESSION_TIMEOUT:
		res->has |= SG_AAA_HAS_SESSION_TIMEOUT;
		return u32_attr(v, vlen, &res->session_timeout);
	case SG_RADIUS_IDLE_TIMEOUT:
		res->has |= SG_AAA_HAS_IDLE_TIMEOUT;
		return u32_attr(v, vlen, &res->idle_timeout);
	case SG_RADIUS_ACCT_INTERIM_INTERVAL:
		res->has |= SG_AAA_HAS_INTERIM;
		return u32_attr(v, vlen, &res->interim_interval);
	case SG_RADIUS_FRAMED_MTU:
		res->has |= SG_AAA_HAS_MTU;
		return u32_attr(v, vlen, &res->framed_mtu);
	case SG_RADIUS_CLASS:
		if (res->class_len == 0) { /* the first Class is the one echoed */
			memcpy(res->class_, v, vlen);
			res->class_len = vlen;
		}
		return true;
	case SG_RADIUS_STATE:
		memcpy(res->state, v, vlen);
		res->state_len = vlen;
		return true;
	case SG_RADIUS_EAP_MESSAGE:
		if (res->eap_len + vlen > sizeof(res->eap))
			return false;
		memcpy(res->eap + res->eap_len, v, vlen);
		res->eap_len += vlen;
		return true;
	default:
		return true;
	}
}

enum sg_aaa_drop sg_aaa_radius_reply_parse(const uint8_t *pkt, size_t len,
					   const uint8_t req_auth[16], const uint8_t *secret,
					   size_t slen, struct sg_aaa_result *res)
{
	struct sg_aaa_attr_it it;
	uint8_t recv[SG_RADIUS_MPPE_KEY_MAX], send[SG_RADIUS_MPPE_KEY_MAX];
	int rlen = -1, sndlen = -1;
	enum sg_aaa_drop d = SG_AAA_DROP_NONE;
	const uint8_t *v;
	size_t vlen;
	uint8_t t;

	memset(res, 0, offsetof(struct sg_aaa_result, eap));
	res->eap_len = 0;
	switch (pkt[0]) {
	case SG_RADIUS_ACCESS_ACCEPT:
		res->status = SG_AAA_ACCEPT;
		break;
	case SG_RADIUS_ACCESS_REJECT:
		res->status = SG_AAA_REJECT;
		break;
	case SG_RADIUS_ACCESS_CHALLENGE:
		res->status = SG_AAA_CHALLENGE;
		break;
	default:
		return SG_AAA_DROP_BAD_CODE;
	}
	sg_aaa_attr_it_init(&it, pkt, len);
	while (d == SG_AAA_DROP_NONE && sg_aaa_attr_next(&it, &t, &v, &vlen)) {
		if (t == SG_RADIUS_VENDOR_SPECIFIC) {
			if (!parse_ms(v, vlen, req_auth, secret, slen, res, recv, &rlen, send,
				      &sndlen))
				d = SG_AAA_DROP_BAD_VALUE;
		} else if (!parse_attr(t, v, vlen, res)) {
			d = SG_AAA_DROP_BAD_VALUE;
		}
	}
	if (d == SG_AAA_DROP_NONE && res->status == SG_AAA_ACCEPT && rlen > 0 &&
	    sg_aaa_hlak_from_mppe(res->hlak, recv, (size_t) rlen, send,
				  sndlen > 0 ? (size_t) sndlen : 0) == 0)
		res->has |= SG_AAA_HAS_KEYS;
	OPENSSL_cleanse(recv, sizeof(recv));
	OPENSSL_cleanse(send, sizeof(send));
	if (d != SG_AAA_DROP_NONE)
		sg_aaa_result_wipe(res);
	return d;
}
