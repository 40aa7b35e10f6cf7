/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RADIUS State of EAP conversations in progress, kept on the control core (the
 * worker's message carries only the EAP packet and its round). One entry per session
 * (worker, slot, generation) between an Access-Challenge and the session's next answer;
 * open addressing over a bounded window, the oldest entry evicted when the window is
 * full, entries older than GW_EAP_TTL ignored (their session is gone or timed out).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gw_eap.h"
#include "sg_log.h"

#define GW_EAP_SLOTS  4096 /* power of two */
#define GW_EAP_WINDOW 8
#define GW_EAP_TTL    (120 * SG_USEC_PER_SEC)

struct gw_eap_entry {
	bool used;
	uint16_t worker;
	uint32_t sess_idx, gen;
	sg_usec_t stamp;
	uint8_t len;
	uint8_t state[SG_AAA_STATE_MAX];
};

struct sg_app_eap {
	struct gw_eap_entry e[GW_EAP_SLOTS];
	uint64_t evicted;
};

struct sg_app_eap *sg_app_eap_create(void)
{
	return calloc(1, sizeof(struct sg_app_eap));
}

void sg_app_eap_free(struct sg_app_eap *t)
{
	if (t == NULL)
		return;
	OPENSSL_cleanse(t, sizeof(*t));
	free(t);
}

static uint32_t slot_of(const struct sg_auth_msg *m)
{
	uint32_t h = (m->sess_idx * 2654435761u) ^ ((uint32_t) m->worker * 40503u);

	return h & (GW_EAP_SLOTS - 1);
}

static bool same(const struct gw_eap_entry *x, const struct sg_auth_msg *m)
{
	return x->used && x->worker == m->worker && x->sess_idx == m->sess_idx && x->gen == m->gen;
}

static struct gw_eap_entry *find(struct sg_app_eap *t, const struct sg_auth_msg *m)
{
	uint32_t s = slot_of(m), i;

	for (i = 0; i < GW_EAP_WINDOW; i++) {
		struct gw_eap_entry *x = &t->e[(s + i) & (GW_EAP_SLOTS - 1)];
		if (same(x, m))
			return x;
	}
	return NULL;
}

void sg_app_eap_state_get(struct sg_app_eap *t, const struct sg_auth_msg *m,
			  struct sg_aaa_auth_req *req, sg_usec_t now)
{
	struct gw_eap_entry *x = find(t, m);

	req->state_len = 0;
	if (x == NULL)
		return;
	if (now - x->stamp <= GW_EAP_TTL) {
		memcpy(req->state, x->state, x->len);
		req->state_len = x->len;
	}
	OPENSSL_cleanse(x, sizeof(*x)); /* used once: the next challenge brings a new one */
}

void sg_app_eap_state_set(struct sg_app_eap *t, const struct sg_auth_msg *m, const uint8_t *state,
			  size_t len, sg_usec_t now)
{
	struct gw_eap_entry *x = find(t, m), *old = NULL;
	uint32_t s = slot_of(m), i;

	if (x != NULL)
		OPENSSL_cleanse(x, sizeof(*x));
	if (len == 0 || len > SG_AAA_STATE_MAX)
		return; /* a challenge without State: the next request carries none */
	for (i = 0; i < GW_EAP_WINDOW && x == NULL; i++) {
		struct gw_eap_entry *y = &t->e[(s + i) & (GW_EAP_SLOTS - 1)];
		if (!y->used || now - y->stamp > GW_EAP_TTL)
			x = y;
		else if (old == NULL || y->stamp < old->stamp)
			old = y;
	}
	if (x == NULL) {
		x = old;
		t->evicted++;
		SG_LOG(APP, WARNING,
		       "auth: EAP State table window full, oldest conversation dropped");
	}
	x->used = true;
	x->worker = m->worker;
	x->sess_idx = m->sess_idx;
	x->gen = m->gen;
	x->stamp = now;
	x->len = (uint8_t) len;
	memcpy(x->state, state, len);
}
