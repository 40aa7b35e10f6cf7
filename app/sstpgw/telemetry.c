/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands (socket /var/run/dpdk/<prefix>/dpdk_telemetry.v2):
 *   /sstpgw/stats  summed counters and drops, plus each worker's non-zero ones
 *   /sstpgw/ports  per port: driver, MAC, queues, link, capabilities, ethdev stats
 *   /sstpgw/mempool  per pool (mbufs, auth messages): size and objects in use
 *   /sstpgw/tcp, /sstpgw/session  lib/tcp's counters; one session's transport (gw_telemetry.c)
 *   /sstpgw/sessions, /sstpgw/kill  (gw_telemetry.c)
 * Callbacks run on the telemetry thread and only read (relaxed loads).
 */
#include <errno.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "sg_app.h"

/* Set at start, cleared before teardown; the lock keeps a running callback
 * from racing with the ports being closed (never taken on the data path). */
static const struct sg_app *tel_app;
static rte_spinlock_t tel_lock = RTE_SPINLOCK_INITIALIZER;

static void put_stats(struct rte_tel_data *d, const struct sg_stats *s, bool all)
{
	unsigned int i;

	for (i = 0; i < SG_CTR_COUNT; i++)
		if (all || s->ctr[i] != 0)
			rte_tel_data_add_dict_u64(d, sg_stats_counter_name((enum sg_counter) i),
						  s->ctr[i]);
	if (all || sg_stats_drops_total(s) != 0)
		rte_tel_data_add_dict_u64(d, "drops", sg_stats_drops_total(s));
	for (i = 0; i < SG_DROP_COUNT; i++)
		if (all || s->drop[i] != 0)
			rte_tel_data_add_dict_u64(d, sg_stats_drop_name((enum sg_drop) i),
						  s->drop[i]);
}

static int stats_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct sg_app *app = tel_app;
	struct rte_tel_data *total;
	struct sg_stats sum;
	unsigned int i;

	(void) cmd;
	(void) params;
	rte_tel_data_start_dict(d);
	total = rte_tel_data_alloc();
	if (total == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(total);
	sg_stats_sum(app->stats, app->worker_lcores, app->n_workers, &sum);
	put_stats(total, &sum, true);
	rte_tel_data_add_dict_container(d, "total", total, 0);
	/* mbufs out of the pool (held by queues and sessions, or in flight): the pool's
	 * in-use count is not in DPDK 22.11's /mempool/info */
	if (app->pool != NULL) {
		rte_tel_data_add_dict_u64(d, "mbufs_in_use", rte_mempool_in_use_count(app->pool));
		rte_tel_data_add_dict_u64(d, "mbufs_size", app->pool->size);
	}
	for (i = 0; i < app->n_workers; i++) {
		struct rte_tel_data *core = rte_tel_data_alloc();
		struct sg_stats one;
		char name[32];

		if (core == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(core);
		sg_stats_read(&app->stats[app->worker_lcores[i]], &one);
		put_stats(core, &one, false);
		snprintf(name, sizeof(name), "lcore_%u", app->worker_lcores[i]);
		rte_tel_data_add_dict_container(d, name, core, 0);
	}
	return 0;
}

static int ports_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct sg_app *app = tel_app;
	int r;

	(void) cmd;
	(void) params;
	rte_tel_data_start_dict(d);
	for (r = 0; r < SG_ROLE_COUNT; r++) {
		const struct sg_port *p = &app->ports[r];
		struct rte_tel_data *t;
		struct rte_eth_stats es;
		char mac[RTE_ETHER_ADDR_FMT_SIZE];
		bool up = false;
		uint32_t mbps = 0;

		if (!app->port_open[r])
			continue;
		t = rte_tel_data_alloc();
		if (t == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(t);
		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		rte_tel_data_add_dict_int(t, "port_id", p->port_id);
		rte_tel_data_add_dict_string(t, "devargs", p->devargs);
		rte_tel_data_add_dict_string(t, "driver", p->driver);
		rte_tel_data_add_dict_string(t, "mac", mac);
		rte_tel_data_add_dict_int(t, "queues", p->n_queues);
		rte_tel_data_add_dict_int(t, "mtu", p->mtu);
		sg_port_link_get(p, &up, &mbps);
		rte_tel_data_add_dict_string(t, "link", up ? "up" : "down");
		rte_tel_data_add_dict_u64(t, "speed_mbps", mbps);
		rte_tel_data_add_dict_int(t, "rss", p->caps.rss);
		rte_tel_data_add_dict_int(t, "rx_ipv4_cksum", p->caps.rx_ipv4_cksum);
		rte_tel_data_add_dict_int(t, "rx_l4_cksum", p->caps.rx_l4_cksum);
		rte_tel_data_add_dict_int(t, "tx_ipv4_cksum", p->caps.tx_ipv4_cksum);
		rte_tel_data_add_dict_int(t, "tx_tcp_cksum", p->caps.tx_tcp_cksum);
		rte_tel_data_add_dict_int(t, "tx_udp_cksum", p->caps.tx_udp_cksum);
		if (rte_eth_stats_get(p->port_id, &es) == 0) {
			rte_tel_data_add_dict_u64(t, "ipackets", es.ipackets);
			rte_tel_data_add_dict_u64(t, "opackets", es.opackets);
			rte_tel_data_add_dict_u64(t, "ibytes", es.ibytes);
			rte_tel_data_add_dict_u64(t, "obytes", es.obytes);
			rte_tel_data_add_dict_u64(t, "imissed", es.imissed);
			rte_tel_data_add_dict_u64(t, "ierrors", es.ierrors);
			rte_tel_data_add_dict_u64(t, "oerrors", es.oerrors);
			rte_tel_data_add_dict_u64(t, "rx_nombuf", es.rx_nombuf);
		}
		rte_tel_data_add_dict_container(d, sg_role_names[r], t, 0);
	}
	return 0;
}

static void put_pool(struct rte_tel_data *d, const char *name, const struct rte_mempool *mp)
{
	struct rte_tel_data *t;

	if (mp == NULL || (t = rte_tel_data_alloc()) == NULL)
		return;
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_u64(t, "size", mp->size);
	/* Objects in per-lcore caches count as available. */
	rte_tel_data_add_dict_u64(t, "in_use", rte_mempool_in_use_count(mp));
	rte_tel_data_add_dict_container(d, name, t, 0);
}

static int mempool_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	(void) params;
	rte_tel_data_start_dict(d);
	put_pool(d, "mbufs", tel_app->pool);
	put_pool(d, "auth_msgs", tel_app->auth_pool);
	return 0;
}

static int with_app(int (*fn)(const char *, const char *, struct rte_tel_data *), const char *cmd,
		    const char *params, struct rte_tel_data *d)
{
	int rc = -EBUSY;

	rte_spinlock_lock(&tel_lock);
	if (tel_app != NULL)
		rc = fn(cmd, params, d);
	rte_spinlock_unlock(&tel_lock);
	return rc;
}

static int sessions_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	(void) params;
	return sg_app_tel_sessions(tel_app, d);
}

static int kill_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	return sg_app_tel_kill(tel_app, params, d);
}

static int aaa_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	(void) params;
	return sg_app_tel_aaa(tel_app, d);
}

static int cmd_aaa(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(aaa_locked, cmd, params, d);
}

static int cmd_sessions(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(sessions_locked, cmd, params, d);
}

static int cmd_kill(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(kill_locked, cmd, params, d);
}

static int cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(stats_locked, cmd, params, d);
}

static int tcp_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	(void) params;
	return sg_app_tel_tcp(tel_app, d);
}

static int session_locked(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void) cmd;
	return sg_app_tel_session(tel_app, params, d);
}

static int cmd_tcp(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(tcp_locked, cmd, params, d);
}

static int cmd_session(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(session_locked, cmd, params, d);
}

static int cmd_mempool(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(mempool_locked, cmd, params, d);
}

static int cmd_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return with_app(ports_locked, cmd, params, d);
}

void sg_app_telemetry_unregister(void)
{
	rte_spinlock_lock(&tel_lock);
	tel_app = NULL;
	rte_spinlock_unlock(&tel_lock);
}

int sg_app_telemetry_register(struct sg_app *app)
{
	int rc;

	rte_spinlock_lock(&tel_lock);
	tel_app = app;
	rte_spinlock_unlock(&tel_lock);
	rc = rte_telemetry_register_cmd(
	    "/sstpgw/stats", cmd_stats,
	    "Counters and drops summed over workers, then per worker lcore");
	if (rc == 0)
		rc = rte_telemetry_register_cmd(
		    "/sstpgw/ports", cmd_ports,
		    "WAN and LAN ports: driver, MAC, link, offloads, counters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/sstpgw/mempool", cmd_mempool,
						"Mempools (mbufs, auth messages): size, in use");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/sstpgw/tcp", cmd_tcp,
						"lib/tcp counters and drops summed over workers");
	if (rc == 0)
		rc = rte_telemetry_register_cmd(
		    "/sstpgw/session", cmd_session,
		    "One open session's TLS backlog and TCP state. Parameter: W_N");
	if (rc == 0)
		rc = rte_telemetry_register_cmd(
		    "/sstpgw/sessions", cmd_sessions,
		    "Active sessions: user, IPv4, state, packets/bytes each way; pool usage");
	if (rc == 0)
		rc =
		    rte_telemetry_register_cmd("/sstpgw/kill", cmd_kill,
					       "Disconnect session W_N (SSTP disconnect). "
					       "Parameter: the session's id from /sstpgw/sessions");
	if (rc == 0)
		rc = rte_telemetry_register_cmd(
		    "/sstpgw/aaa", cmd_aaa,
		    "RADIUS client, accounting and CoA/Disconnect listener counters");
	if (rc < 0)
		SG_LOG(APP, ERR, "telemetry commands: %d", rc);
	return rc;
}
