/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control core's IPv6 prefixes: each accepted session gets a /64 for SLAAC on its PPP
 * link, from its worker's slice of $.pools[0].ipv6_prefix, or the one the users file /
 * RADIUS Framed-IPv6-Prefix names (reserved when inside the pool; steered when the pool
 * layout would place it on another worker or cannot place it). Given back with
 * SG_MSG_SESS_CLOSED (family 6).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sg_app.h"
#include "sg_gw.h"

int sg_app_auth6_setup(struct sg_app *app)
{
	const struct sg_config *cfg = &app->cfg;
	const struct sg_config_pool *p = &cfg->pools[0];

	if (!cfg->ppp.ipv6 || cfg->n_pools == 0 || !p->has_ipv6)
		return 0;
	if (p->ipv6_prefix_len != 64) {
		SG_LOG(APP, WARNING,
		       "$.pools[0].ipv6_prefix_len is %u: clients do SLAAC on a /64 only, IPv6 off",
		       p->ipv6_prefix_len);
		return 0;
	}
	app->pool6 = sg_ipam_pool6_create(&p->ipv6_prefix.addr, p->ipv6_prefix.len, 64,
					  app->n_workers);
	if (app->pool6 == NULL) {
		SG_LOG(APP, ERR, "$.pools[0].ipv6_prefix: %s", strerror(errno));
		return -EINVAL;
	}
	app->layout6 = *sg_ipam_pool6_layout(app->pool6);
	app->has_pool6 = true;
	sg_app_auth6_publish(app);
	return 0;
}

void sg_app_auth6_teardown(struct sg_app *app)
{
	sg_ipam_pool6_free(app->pool6);
	app->pool6 = NULL;
}

void sg_app_auth6_publish(struct sg_app *app)
{
	struct sg_ipam_usage u;

	if (app->pool6 == NULL)
		return;
	u = sg_ipam_pool6_usage(app->pool6, -1);
	__atomic_store_n(&app->pool6_used, u.used, __ATOMIC_RELAXED);
	__atomic_store_n(&app->pool6_size, u.size, __ATOMIC_RELAXED);
}

/* The /64 named by the AAA result, or one from the worker's slice. 0 or -errno. */
int sg_app_auth6_take(struct sg_app *app, unsigned int worker, const struct sg_aaa_result *res,
		      uint8_t prefix[16])
{
	struct in6_addr a;
	int owner, rc;

	if (app->pool6 == NULL)
		return -ENOENT;
	if (!(res->has & SG_AAA_HAS_FRAMED_IPV6_PREFIX))
		return sg_ipam_pool6_alloc(app->pool6, worker, (struct in6_addr *) prefix);
	if (res->framed_ipv6_prefix_len != 64)
		return -EINVAL; /* SLAAC needs a /64 */
	memset(&a, 0, sizeof(a));
	memcpy(&a, res->framed_ipv6_prefix, 8);
	owner = sg_ipam_layout6_owner(&app->layout6, &a);
	rc = owner >= 0 ? sg_ipam_pool6_reserve(app->pool6, &a) : 0;
	if (rc == 0 && owner != (int) worker) {
		rc = sg_app_steer6_add(app, a.s6_addr, worker);
		if (rc < 0 && owner >= 0)
			sg_ipam_pool6_release(app->pool6, &a);
	}
	if (rc == 0)
		memcpy(prefix, a.s6_addr, 16);
	return rc;
}

void sg_app_auth6_release(struct sg_app *app, const uint8_t prefix[16])
{
	struct in6_addr a;

	if (app->pool6 == NULL)
		return;
	memset(&a, 0, sizeof(a));
	memcpy(&a, prefix, 8);
	if (sg_app_steer6_del(app, a.s6_addr) && sg_ipam_layout6_owner(&app->layout6, &a) < 0) {
		sg_app_auth6_publish(app);
		return; /* a prefix from outside the pool */
	}
	if (sg_ipam_pool6_release(app->pool6, &a) < 0)
		SG_LOG(APP, WARNING, "auth: released an IPv6 prefix that was not taken");
	sg_app_auth6_publish(app);
}
