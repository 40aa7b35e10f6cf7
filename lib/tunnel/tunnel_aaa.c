/* SPDX-License-Identifier: BSD-3-Clause */
/* What PPP collected from the peer, in the form lib/aaa's backends verify. */
#include <errno.h>
#include <string.h>

#include "sg_tunnel.h"

int sg_tunnel_aaa_request(const struct sg_ppp_auth_request *in, struct sg_aaa_auth_req *out)
{
	memset(out, 0, sizeof(*out));
	if (in->user_len > SG_AAA_NAME_MAX || memchr(in->user, '\0', in->user_len) != NULL)
		return -EINVAL; /* a NUL inside the name would make two names compare equal */
	memcpy(out->user, in->user, in->user_len);
	out->chap_id = in->chap_id;
	switch (in->method) {
	case SG_PPP_AUTH_PAP:
		if (in->password_len > SG_AAA_PASSWORD_MAX ||
		    memchr(in->password, '\0', in->password_len) != NULL)
			return -EINVAL;
		out->method = SG_AAA_PAP;
		memcpy(out->password, in->password, in->password_len);
		return 0;
	case SG_PPP_AUTH_CHAP_MD5:
		if (in->challenge_len != sizeof(out->challenge) ||
		    in->response_len != sizeof(out->chap_response))
			return -EINVAL;
		out->method = SG_AAA_CHAP_MD5;
		memcpy(out->challenge, in->challenge, sizeof(out->challenge));
		memcpy(out->chap_response, in->response, sizeof(out->chap_response));
		return 0;
	case SG_PPP_AUTH_MSCHAPV2: {
		const struct sg_mschap_response *r = (const void *)in->response;

		if (in->challenge_len != sizeof(out->challenge) ||
		    in->response_len != sizeof(*r))
			return -EINVAL;
		out->method = SG_AAA_MSCHAPV2;
		memcpy(out->challenge, in->challenge, sizeof(out->challenge));
		memcpy(out->peer_challenge, r->peer_challenge, sizeof(out->peer_challenge));
		memcpy(out->nt_response, r->nt_response, sizeof(out->nt_response));
		return 0;
	}
	case SG_PPP_AUTH_EAP:
		/* Relayed as it came; lib/aaa copies it at submit (State is the caller's). */
		if (in->eap == NULL || in->eap_len < 4 || in->eap_len > SG_EAP_MAX)
			return -EINVAL;
		out->method = SG_AAA_EAP;
		out->eap = in->eap;
		out->eap_len = in->eap_len;
		return 0;
	default:
		return -EINVAL;
	}
}
