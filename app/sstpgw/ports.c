/* SPDX-License-Identifier: BSD-3-Clause */
/* The mbuf pool, the WAN and LAN ports, and the gateway's identity on each. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include "sg_app.h"

const char *const sg_role_names[SG_ROLE_COUNT] = {"wan", "lan"};

#define MBUF_CACHE 256

static const struct sg_config_port *port_cfg(const struct sg_app *app, enum sg_role r)
{
	return r == SG_ROLE_WAN ? &app->cfg.ports.wan : &app->cfg.ports.lan;
}

static int pool_create(struct sg_app *app)
{
	unsigned int n = app->cfg.limits.mbufs, need = 0, lcores = app->n_workers + 1;
	unsigned int cache = MBUF_CACHE;
	int r;

	for (r = 0; r < SG_ROLE_COUNT; r++) {
		const struct sg_config_port *pc = port_cfg(app, (enum sg_role) r);
		need += (unsigned int) (pc->rx_desc ? pc->rx_desc : 1024) * app->n_workers;
		need += (unsigned int) (pc->tx_desc ? pc->tx_desc : 1024) * app->n_workers;
	}
	need += lcores * (cache + 2 * SG_BURST);
	if (n < need) {
		SG_LOG(APP, ERR,
		       "%s: $.limits.mbufs: %u mbufs cannot fill the rings of %u worker(s); need "
		       ">= %u",
		       app->cfg_path, n, app->n_workers, need);
		return -EINVAL;
	}
	app->pool = rte_pktmbuf_pool_create("sg_mbufs", n, cache, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    (int) rte_socket_id());
	if (app->pool == NULL) {
		SG_LOG(APP, ERR, "mbuf pool of %u: %s (give the EAL more memory: -m)", n,
		       rte_strerror(rte_errno));
		return -rte_errno;
	}
	SG_LOG(APP, INFO, "mbuf pool: %u mbufs of %u bytes", n, RTE_MBUF_DEFAULT_BUF_SIZE);
	return 0;
}

static int iface_init(struct sg_app *app, enum sg_role r)
{
	const struct sg_config_port *pc = port_cfg(app, r);
	const uint8_t *ip4 = NULL, *ip6 = NULL;
	int rc;

	if (pc->ipv4.addr.s_addr != 0)
		ip4 = (const uint8_t *) &pc->ipv4.addr.s_addr;
	if (pc->has_ipv6)
		ip6 = pc->ipv6.addr.s6_addr;
	rc = sg_net_iface_init(&app->ifc[r], app->ports[r].mac.addr_bytes, ip4, pc->ipv4.len, ip6,
			       pc->ipv6.len);
	if (rc < 0)
		SG_LOG(APP, ERR, "port %s: unusable MAC or address for the gateway",
		       sg_role_names[r]);
	return rc;
}

static bool on_link(const struct sg_net_iface *ifc, int family, const uint8_t *a)
{
	const uint8_t *mine = family == 4 ? ifc->ip4 : ifc->ip6;
	unsigned int plen = family == 4 ? ifc->ip4_prefix_len : ifc->ip6_prefix_len, i;

	if ((family == 4 && !ifc->has_ip4) || (family == 6 && !ifc->has_ip6))
		return false;
	for (i = 0; i < plen; i++)
		if (((mine[i / 8] ^ a[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

static void add_next_hop(struct sg_app *app, enum sg_role r, int family, const uint8_t *a)
{
	char text[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < app->n_next_hops[r]; i++)
		if (app->next_hops[r][i].family == family &&
		    memcmp(app->next_hops[r][i].addr, a, family == 4 ? 4 : 16) == 0)
			return;
	inet_ntop(family == 4 ? AF_INET : AF_INET6, a, text, sizeof(text));
	if (!on_link(&app->ifc[r], family, a)) {
		SG_LOG(APP, WARNING, "port %s: next hop %s is not on the port's prefix; ignored",
		       sg_role_names[r], text);
		return;
	}
	if (app->n_next_hops[r] >= SG_MAX_NEXT_HOPS)
		return;
	app->next_hops[r][app->n_next_hops[r]].family = (uint8_t) family;
	memcpy(app->next_hops[r][app->n_next_hops[r]].addr, a, family == 4 ? 4 : 16);
	app->n_next_hops[r]++;
	SG_LOG(APP, INFO, "port %s: next hop %s", sg_role_names[r], text);
}

/* Configured gateways and route vias: the workers keep them resolved. */
static void next_hops_init(struct sg_app *app, enum sg_role r)
{
	const struct sg_config_port *pc = port_cfg(app, r);
	unsigned int i;

	if (pc->has_gateway4)
		add_next_hop(app, r, 4, (const uint8_t *) &pc->gateway4.s_addr);
	if (pc->has_gateway6)
		add_next_hop(app, r, 6, pc->gateway6.s6_addr);
	for (i = 0; i < pc->n_routes; i++) {
		if (pc->routes[i].family == AF_INET)
			add_next_hop(app, r, 4, (const uint8_t *) &pc->routes[i].via4.s_addr);
		else
			add_next_hop(app, r, 6, pc->routes[i].via6.s6_addr);
	}
}

int sg_app_ports_open(struct sg_app *app)
{
	int r, rc;

	if (strcspn(app->cfg.ports.wan.devargs, ",") == strcspn(app->cfg.ports.lan.devargs, ",") &&
	    strncmp(app->cfg.ports.wan.devargs, app->cfg.ports.lan.devargs,
		    strcspn(app->cfg.ports.wan.devargs, ",")) == 0) {
		SG_LOG(APP, ERR, "%s: $.ports: WAN and LAN name the same device", app->cfg_path);
		return -EINVAL;
	}
	rc = pool_create(app);
	if (rc < 0)
		return rc;
	for (r = 0; r < SG_ROLE_COUNT; r++) {
		const struct sg_config_port *pc = port_cfg(app, (enum sg_role) r);
		struct sg_port_conf conf = {
		    .name = sg_role_names[r],
		    .devargs = pc->devargs,
		    .n_queues = (uint16_t) app->n_workers,
		    .rx_desc = pc->rx_desc,
		    .tx_desc = pc->tx_desc,
		    .mtu = pc->mtu,
		    .pool = app->pool,
		};
		rc = sg_port_open(&app->ports[r], &conf);
		if (rc < 0)
			return rc;
		app->port_open[r] = true;
		rc = iface_init(app, (enum sg_role) r);
		if (rc < 0)
			return rc;
		next_hops_init(app, (enum sg_role) r);
		sg_port_link_log(&app->ports[r]);
	}
	return 0;
}

void sg_app_ports_close(struct sg_app *app)
{
	int r;

	for (r = 0; r < SG_ROLE_COUNT; r++) {
		if (app->port_open[r])
			sg_port_close(&app->ports[r]);
		app->port_open[r] = false;
	}
	rte_mempool_free(app->pool);
	app->pool = NULL;
}
