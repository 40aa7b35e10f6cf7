/* SPDX-License-Identifier: BSD-3-Clause */
/* Access-Request and Accounting-Request attribute lists (RFC 2865, 2866, 2548, 3579). */
#include <errno.h>
#include <string.h>

#include "aaa_private.h"

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
	} while (0)

int aaa_auth_req_check(const struct sg_aaa_auth_req *req)
{
	size_t ulen = strnlen(req->user, sizeof(req->user));

	if (ulen == 0 || ulen > SG_AAA_NAME_MAX || req->state_len > SG_AAA_STATE_MAX)
		return -EINVAL;
	switch (req->method) {
	case SG_AAA_PAP:
		if (strnlen(req->password, sizeof(req->password)) > SG_AAA_PASSWORD_MAX)
			return -EINVAL;
		return 0;
	case SG_AAA_CHAP_MD5:
	case SG_AAA_MSCHAPV2:
		return 0;
	case SG_AAA_EAP:
		/* An EAP packet carries its own length; it must match and fit one request. */
		if (req->eap == NULL || req->eap_len < 4 || req->eap_len > SG_AAA_EAP_MAX - 512 ||
		    (size_t) ((req->eap[2] << 8) | req->eap[3]) != req->eap_len)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int add_nas(struct sg_aaa_pkt *p, const struct aaa_nas *nas)
{
	if (nas->nas_ip != 0)
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_NAS_IP_ADDRESS, &nas->nas_ip, 4));
	/* RFC 2865 §4.1: NAS-IP-Address or NAS-Identifier must be present. */
	if (nas->nas_identifier != NULL && nas->nas_identifier[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_NAS_IDENTIFIER, nas->nas_identifier));
	else if (nas->nas_ip == 0)
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_NAS_IDENTIFIER, "sstpgw"));
	TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_NAS_PORT_TYPE, SG_RADIUS_PORT_VIRTUAL));
	TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_SERVICE_TYPE, SG_RADIUS_SERVICE_FRAMED));
	TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_FRAMED_PROTOCOL, SG_RADIUS_PROTOCOL_PPP));
	return 0;
}

int aaa_encode_access_request(struct sg_aaa_pkt *p, const struct sg_aaa_auth_req *req,
			      const struct aaa_nas *nas, const uint8_t *secret, size_t slen,
			      struct aaa_req_layout *lay)
{
	uint8_t b[SG_RADIUS_MS_CHAP2_RESPONSE_LEN];
	int off;

	memset(lay, 0, sizeof(*lay));
	/* Message-Authenticator first: RFC 3579 allows any position; first is cheapest. */
	TRY(sg_aaa_pkt_add_msg_auth(p));
	TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_USER_NAME, req->user));
	switch (req->method) {
	case SG_AAA_PAP:
		off =
		    sg_aaa_pkt_add_password(p, req->password, strlen(req->password), secret, slen);
		TRY(off);
		lay->pw_off = (size_t) off;
		lay->pw_len = p->buf[off - 1] - 2u;
		break;
	case SG_AAA_CHAP_MD5:
		b[0] = req->chap_id;
		memcpy(b + 1, req->chap_response, 16);
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_CHAP_PASSWORD, b, SG_RADIUS_CHAP_PASSWORD_LEN));
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_CHAP_CHALLENGE, req->challenge, 16));
		break;
	case SG_AAA_MSCHAPV2:
		/* RFC 2548 §2.3.2: ident, flags, peer challenge, 8 reserved, NT-Response */
		b[0] = req->chap_id;
		b[1] = 0;
		memcpy(b + 2, req->peer_challenge, 16);
		memset(b + 18, 0, 8);
		memcpy(b + 26, req->nt_response, 24);
		TRY(sg_aaa_pkt_add_vsa(p, SG_RADIUS_VENDOR_MICROSOFT, SG_RADIUS_MS_CHAP_CHALLENGE,
				       req->challenge, 16));
		TRY(sg_aaa_pkt_add_vsa(p, SG_RADIUS_VENDOR_MICROSOFT, SG_RADIUS_MS_CHAP2_RESPONSE,
				       b, SG_RADIUS_MS_CHAP2_RESPONSE_LEN));
		break;
	case SG_AAA_EAP:
		TRY(sg_aaa_pkt_add_split(p, SG_RADIUS_EAP_MESSAGE, req->eap, req->eap_len));
		break;
	default:
		return -EINVAL;
	}
	if (req->state_len > 0)
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_STATE, req->state, req->state_len));
	TRY(add_nas(p, nas));
	if (req->calling_station_id[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_CALLING_STATION_ID, req->calling_station_id));
	if (req->acct_session_id[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_ACCT_SESSION_ID, req->acct_session_id));
	return 0;
}

int aaa_encode_acct_request(struct sg_aaa_pkt *p, const struct sg_aaa_acct *rec,
			    const struct aaa_nas *nas, struct aaa_req_layout *lay)
{
	bool counters = rec->type == SG_AAA_ACCT_INTERIM || rec->type == SG_AAA_ACCT_STOP;
	bool session = rec->type != SG_AAA_ACCT_ON && rec->type != SG_AAA_ACCT_OFF;
	int off;

	memset(lay, 0, sizeof(*lay));
	switch (rec->type) {
	case SG_AAA_ACCT_START:
	case SG_AAA_ACCT_STOP:
	case SG_AAA_ACCT_INTERIM:
	case SG_AAA_ACCT_ON:
	case SG_AAA_ACCT_OFF:
		break;
	default:
		return -EINVAL;
	}
	if (rec->class_len > SG_AAA_CLASS_MAX || (session && rec->session_id[0] == '\0'))
		return -EINVAL;
	TRY(sg_aaa_pkt_add_msg_auth(p));
	TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_STATUS_TYPE, rec->type));
	if (rec->session_id[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_ACCT_SESSION_ID, rec->session_id));
	if (rec->user[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_USER_NAME, rec->user));
	TRY(add_nas(p, nas));
	if (rec->calling_station_id[0] != '\0')
		TRY(sg_aaa_pkt_add_str(p, SG_RADIUS_CALLING_STATION_ID, rec->calling_station_id));
	if (rec->framed_ip != 0)
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_FRAMED_IP_ADDRESS, &rec->framed_ip, 4));
	if (rec->framed_ipv6_prefix_len > 0) {
		/* RFC 3162 §2.3: reserved, prefix length, the prefix's significant bytes */
		uint8_t v[18] = {0, rec->framed_ipv6_prefix_len};
		size_t n = ((size_t) rec->framed_ipv6_prefix_len + 7) / 8;

		if (rec->framed_ipv6_prefix_len > 128)
			return -EINVAL;
		memcpy(v + 2, rec->framed_ipv6_prefix, n);
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_FRAMED_IPV6_PREFIX, v, 2 + n));
	}
	if (rec->class_len > 0)
		TRY(sg_aaa_pkt_add(p, SG_RADIUS_CLASS, rec->class_, rec->class_len));
	if (session)
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_AUTHENTIC, SG_RADIUS_ACCT_AUTH_RADIUS));
	if (rec->event_time != 0)
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_EVENT_TIMESTAMP, rec->event_time));
	if (counters) {
		/* RFC 2869 §5.1/5.2: the high 32 bits go in the Gigawords attributes */
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_INPUT_OCTETS, (uint32_t) rec->in_octets));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_OUTPUT_OCTETS,
				       (uint32_t) rec->out_octets));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_INPUT_GIGAWORDS,
				       (uint32_t) (rec->in_octets >> 32)));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_OUTPUT_GIGAWORDS,
				       (uint32_t) (rec->out_octets >> 32)));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_INPUT_PACKETS,
				       (uint32_t) rec->in_packets));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_OUTPUT_PACKETS,
				       (uint32_t) rec->out_packets));
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_SESSION_TIME, rec->session_time));
	}
	if (rec->type == SG_AAA_ACCT_STOP && rec->terminate_cause != 0)
		TRY(sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_TERMINATE_CAUSE, rec->terminate_cause));
	off = sg_aaa_pkt_add_u32(p, SG_RADIUS_ACCT_DELAY_TIME, 0);
	TRY(off);
	lay->delay_off = (size_t) off;
	return 0;
}
