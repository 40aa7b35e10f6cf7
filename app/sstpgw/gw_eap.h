/* SPDX-License-Identifier: BSD-3-Clause */
/* Control core: RADIUS State of the EAP conversations in progress (gw_eap.c). */
#ifndef GW_EAP_H
#define GW_EAP_H

#include "sg_aaa.h"
#include "sg_gw.h"

struct sg_app_eap;

/* NULL on allocation failure. */
struct sg_app_eap *sg_app_eap_create(void);
void sg_app_eap_free(struct sg_app_eap *t);

/* Fill req->state from the session's last Access-Challenge (none: state_len 0); forgets it. */
void sg_app_eap_state_get(struct sg_app_eap *t, const struct sg_auth_msg *m,
			  struct sg_aaa_auth_req *req, sg_usec_t now);

/* Remember the State of an Access-Challenge for this session's next round (len 0: none). */
void sg_app_eap_state_set(struct sg_app_eap *t, const struct sg_auth_msg *m, const uint8_t *state,
			  size_t len, sg_usec_t now);

#endif /* GW_EAP_H */
