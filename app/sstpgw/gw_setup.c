/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building a worker's data path before it starts (main lcore, boot time: every
 * allocation happens here): TLS context from $.tls, the SSTP and PPP settings every
 * tunnel of the worker shares, the session pool and its tables, the TCP instance.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

#include "sg_app.h"
#include "sg_gw.h"

static int tls_version(enum sg_config_tls_version v)
{
	switch (v) {
	case SG_CONFIG_TLS_1_0:
		return TLS1_VERSION;
	case SG_CONFIG_TLS_1_1:
		return TLS1_1_VERSION;
	case SG_CONFIG_TLS_1_2:
		return TLS1_2_VERSION;
	default:
		return TLS1_3_VERSION;
	}
}

static int tls_setup(struct sg_gw *gw)
{
	const struct sg_config_tls *t = &gw->app->cfg.tls;
	const struct sg_config_sstp *sc = &gw->app->cfg.sstp;
	struct sg_sstp_server_config *ss = &gw->sstp_cfg;
	struct sg_tls_conf conf = {
	    .role = SG_TLS_SERVER,
	    .certificate = t->certificate.resolved,
	    .key = t->key.resolved,
	    .chain = t->chain.given[0] ? t->chain.resolved : NULL,
	    .ciphers = t->ciphers[0] ? t->ciphers : NULL,
	    .ciphersuites = t->ciphersuites[0] ? t->ciphersuites : NULL,
	    .min_version = tls_version(t->min_version),
	    .max_version = tls_version(t->max_version),
	};
	char err[256] = "";

	gw->tls = sg_tls_ctx_create(&conf, err, sizeof(err));
	if (gw->tls == NULL) {
		SG_LOG(APP, ERR, "worker %u: TLS: %s", gw->w->lcore, err);
		return -EINVAL;
	}
	sg_sstp_server_config_init(ss);
	ss->hash_bitmask = sc->crypto_binding ? sc->crypto_binding : SG_SSTP_HASH_SHA256;
	ss->require_crypto_binding = sc->require_crypto_binding;
	if (sc->negotiation_timeout)
		ss->timers.negotiation = (sg_usec_t) sc->negotiation_timeout * SG_USEC_PER_SEC;
	if (sc->hello_interval)
		ss->timers.hello = (sg_usec_t) sc->hello_interval * SG_USEC_PER_SEC;
	if (gw->app->cfg.timers.handshake_timeout)
		ss->timers.http =
		    (sg_usec_t) gw->app->cfg.timers.handshake_timeout * SG_USEC_PER_SEC;
	if (t->cert_hash_override_len == 20) {
		memcpy(ss->cert_hash_sha1, t->cert_hash_override, 20);
	} else if (t->cert_hash_override_len == 32) {
		memcpy(ss->cert_hash_sha256, t->cert_hash_override, 32);
	} else if (sg_tls_ctx_cert_hash(gw->tls, SG_TLS_HASH_SHA1, ss->cert_hash_sha1) < 0 ||
		   sg_tls_ctx_cert_hash(gw->tls, SG_TLS_HASH_SHA256, ss->cert_hash_sha256) < 0) {
		SG_LOG(APP, ERR, "worker %u: certificate hash", gw->w->lcore);
		return -EINVAL;
	}
	ss->cert_hash_set = true;
	return 0;
}

static void ppp_setup(struct sg_gw *gw)
{
	const struct sg_config *cfg = &gw->app->cfg;
	struct sg_ppp_config *p = &gw->ppp_cfg;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->role = SG_PPP_ROLE_SERVER;
	p->mru = cfg->ppp.mru;
	for (i = 0; i < cfg->ppp.n_auth && i < SG_PPP_AUTH_METHODS; i++)
		p->auth[i] = cfg->ppp.auth[i] == SG_CONFIG_AUTH_PAP	   ? SG_PPP_AUTH_PAP
			     : cfg->ppp.auth[i] == SG_CONFIG_AUTH_CHAP_MD5 ? SG_PPP_AUTH_CHAP_MD5
			     : cfg->ppp.auth[i] == SG_CONFIG_AUTH_EAP	   ? SG_PPP_AUTH_EAP
									   : SG_PPP_AUTH_MSCHAPV2;
	p->echo_interval_usec = (sg_usec_t) cfg->ppp.lcp_echo_interval * SG_USEC_PER_SEC;
	p->echo_failures = (uint8_t) cfg->ppp.lcp_echo_failures;
	if (cfg->timers.auth_timeout)
		p->auth_timeout_usec = (sg_usec_t) cfg->timers.auth_timeout * SG_USEC_PER_SEC;
	/* IPv6CP only when sessions can get a /64 (gw_auth.c decides has_pool6). */
	p->disable_ipv6 = !gw->app->has_pool6;
	p->local_ipv4 = rte_be_to_cpu_32(cfg->ports.lan.ipv4.addr.s_addr);
	for (i = 0; i < cfg->ppp.n_dns4 && i < 2; i++)
		p->dns[i] = rte_be_to_cpu_32(cfg->ppp.dns4[i].s_addr);
	p->counters = &gw->ppp_ctr;
	gw->tun_cfg.sstp = &gw->sstp_cfg;
	gw->tun_cfg.ppp = &gw->ppp_cfg;
	gw->tun_cfg.sstp_stats = &gw->sstp_stats;
}

/* Sessions this worker can hold: the per-core limit, at most the global one (which
 * sg_gw_sess_accepted enforces across workers with one shared counter). */
static uint32_t worker_capacity(const struct sg_app *app)
{
	uint32_t per_core = app->cfg.limits.sessions_per_core;
	uint32_t global = app->cfg.limits.sessions;

	return per_core < global ? per_core : global;
}

static int sessions_setup(struct sg_gw *gw)
{
	struct rte_hash_parameters hp = {0};
	char name[RTE_HASH_NAMESIZE];
	uint32_t i, n = worker_capacity(gw->app);

	if (n == 0)
		n = 1;
	gw->n_sess = n;
	gw->tunnel_size = (sg_tunnel_size() + 63) & ~(size_t) 63;
	gw->sess = rte_zmalloc_socket("sg_sess", sizeof(*gw->sess) * n, 64,
				      (int) rte_lcore_to_socket_id(gw->w->lcore));
	gw->tunnel_mem = calloc(n, gw->tunnel_size);
	gw->heap = calloc(n, sizeof(*gw->heap));
	gw->reap = calloc(n, sizeof(*gw->reap));
	if (gw->sess == NULL || gw->tunnel_mem == NULL || gw->heap == NULL || gw->reap == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		gw->sess[i].idx = i;
		gw->sess[i].heap_idx = SG_SESS_NONE;
		gw->sess[i].next_free = i + 1 < n ? i + 1 : SG_SESS_NONE;
	}
	gw->free_head = 0;
	snprintf(name, sizeof(name), "sg_addr_w%u", gw->w->lcore);
	hp.name = name;
	hp.entries = n < 8 ? 8 : n;
	hp.key_len = sizeof(uint32_t);
	hp.hash_func = rte_jhash;
	hp.socket_id = (int) rte_lcore_to_socket_id(gw->w->lcore);
	gw->by_addr = rte_hash_create(&hp);
	snprintf(name, sizeof(name), "sg_pfx6_w%u", gw->w->lcore);
	hp.key_len = sizeof(uint64_t); /* the upper 64 bits of a /64 */
	gw->by_prefix6 = rte_hash_create(&hp);
	snprintf(name, sizeof(name), "sg_hand_w%u", gw->w->lcore);
	gw->handoff = rte_ring_create(name, 1024, hp.socket_id, RING_F_SC_DEQ);
	if (gw->by_addr == NULL || gw->by_prefix6 == NULL || gw->handoff == NULL) {
		SG_LOG(APP, ERR, "worker %u: tables: %s", gw->w->lcore, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	SG_LOG(APP, INFO, "worker %u: %u sessions of %zu + %zu bytes", gw->w->lcore, n,
	       sizeof(struct sg_session), gw->tunnel_size);
	return 0;
}

int sg_gw_create(struct sg_worker *w)
{
	struct sg_gw *gw = calloc(1, sizeof(*gw));
	int rc;

	if (gw == NULL)
		return -ENOMEM;
	w->gw = gw;
	gw->w = w;
	gw->app = w->app;
	gw->st = &w->app->stats[w->lcore];
	gw->index = w->queue;
	rc = tls_setup(gw);
	if (rc == 0) {
		ppp_setup(gw);
		rc = sessions_setup(gw);
	}
	if (rc == 0)
		rc = sg_gw_wan_setup(gw);
	return rc;
}

void sg_gw_destroy(struct sg_worker *w)
{
	struct sg_gw *gw = w->gw;
	struct rte_mbuf *m;
	uint32_t i;

	if (gw == NULL)
		return;
	for (i = 0; gw->sess != NULL && i < gw->n_sess; i++) {
		struct sg_session *s = &gw->sess[i];
		if (s->state == SG_SESS_FREE)
			continue;
		if (s->tunnel_up)
			sg_tunnel_fini(s->tunnel);
		sg_tls_conn_free(s->tls);
	}
	sg_tcp_stack_destroy(gw->tcp);
	if (gw->handoff != NULL)
		while (rte_ring_dequeue(gw->handoff, (void **) &m) == 0)
			rte_pktmbuf_free(m);
	rte_ring_free(gw->handoff);
	rte_hash_free(gw->by_addr);
	rte_hash_free(gw->by_prefix6);
	rte_pktmbuf_free_bulk(gw->lan_tx, gw->n_lan_tx);
	rte_pktmbuf_free_bulk(gw->parked, gw->n_parked);
	sg_tls_ctx_free(gw->tls);
	rte_free(gw->sess);
	free(gw->tunnel_mem);
	free(gw->heap);
	free(gw->reap);
	free(gw);
	w->gw = NULL;
}
