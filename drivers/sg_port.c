/* SPDX-License-Identifier: BSD-3-Clause */
#include "sg_port.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "sg_log.h"

#define DEFAULT_DESC 1024

/* The device name is the devargs up to the first ','. */
static int devargs_name(const char *devargs, char *name, size_t len)
{
	size_t n = strcspn(devargs, ",");

	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(name, devargs, n);
	name[n] = '\0';
	return 0;
}

static int find_or_probe(struct sg_port *port, const char *devargs)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	uint16_t pid;
	int rc;

	rc = devargs_name(devargs, name, sizeof(name));
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: bad devargs \"%s\"", port->name, devargs);
		return rc;
	}
	if (rte_eth_dev_get_port_by_name(name, &pid) == 0) {
		port->port_id = pid;
		return 0;
	}
	rc = rte_dev_probe(devargs);
	if (rc < 0 && rc != -EEXIST) {
		SG_LOG(DRIVER, ERR, "port %s: cannot probe \"%s\": %s", port->name, devargs,
		       rte_strerror(-rc));
		return rc;
	}
	if (rte_eth_dev_get_port_by_name(name, &pid) != 0) {
		SG_LOG(DRIVER, ERR, "port %s: \"%s\" probed but no ethdev named %s", port->name,
		       devargs, name);
		return -ENODEV;
	}
	port->probed = rc == 0;
	port->port_id = pid;
	return 0;
}

static void pick_offloads(struct sg_port *port, const struct rte_eth_dev_info *info)
{
	const uint64_t rx_ip = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	const uint64_t rx_l4 = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	uint64_t rx = info->rx_offload_capa, tx = info->tx_offload_capa;

	port->rx_offloads = 0;
	port->tx_offloads = 0;
	if (rx & rx_ip) {
		port->rx_offloads |= rx_ip;
		port->caps.rx_ipv4_cksum = true;
	}
	if ((rx & rx_l4) == rx_l4) {
		port->rx_offloads |= rx_l4;
		port->caps.rx_l4_cksum = true;
	}
	if (tx & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		port->tx_offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		port->caps.tx_ipv4_cksum = true;
	}
	if (tx & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) {
		port->tx_offloads |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
		port->caps.tx_tcp_cksum = true;
	}
	if (tx & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		port->tx_offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		port->caps.tx_udp_cksum = true;
	}
	if (tx & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) {
		port->tx_offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		port->caps.tx_multi_segs = true;
	}
}

static int configure(struct sg_port *port, const struct sg_port_conf *conf)
{
	struct rte_eth_conf ec;
	struct rte_eth_dev_info info;
	uint16_t nrx, ntx, q;
	int rc;

	rc = rte_eth_dev_info_get(port->port_id, &info);
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: no device info: %s", port->name, rte_strerror(-rc));
		return rc;
	}
	snprintf(port->driver, sizeof(port->driver), "%s",
		 info.driver_name != NULL ? info.driver_name : "?");
	if (info.max_rx_queues < conf->n_queues || info.max_tx_queues < conf->n_queues) {
		SG_LOG(DRIVER, ERR,
		       "port %s (%s): %u worker(s) need %u queue pairs, the port has %u rx / %u tx"
		       " (net_af_packet: add qpairs=%u to its devargs)",
		       port->name, port->driver, conf->n_queues, conf->n_queues, info.max_rx_queues,
		       info.max_tx_queues, conf->n_queues);
		return -EINVAL;
	}
	memset(&ec, 0, sizeof(ec));
	pick_offloads(port, &info);
	ec.rxmode.offloads = port->rx_offloads;
	ec.txmode.offloads = port->tx_offloads;
	if (conf->n_queues > 1 && info.flow_type_rss_offloads != 0) {
		ec.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		ec.rx_adv_conf.rss_conf.rss_key = NULL;
		ec.rx_adv_conf.rss_conf.rss_hf =
		    (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
		    info.flow_type_rss_offloads;
		port->caps.rss = true;
	} else if (conf->n_queues > 1) {
		SG_LOG(
		    DRIVER, WARNING,
		    "port %s (%s): no RSS; queue spreading is up to the driver (af_packet: fanout)",
		    port->name, port->driver);
	}
	rc = rte_eth_dev_configure(port->port_id, conf->n_queues, conf->n_queues, &ec);
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: configure: %s", port->name, rte_strerror(-rc));
		return rc;
	}
	nrx = conf->rx_desc ? conf->rx_desc : DEFAULT_DESC;
	ntx = conf->tx_desc ? conf->tx_desc : DEFAULT_DESC;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port->port_id, &nrx, &ntx);
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: descriptors: %s", port->name, rte_strerror(-rc));
		return rc;
	}
	port->socket_id = rte_eth_dev_socket_id(port->port_id);
	for (q = 0; q < conf->n_queues; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;
		struct rte_eth_txconf txc = info.default_txconf;

		rxc.offloads = port->rx_offloads;
		txc.offloads = port->tx_offloads;
		rc = rte_eth_rx_queue_setup(port->port_id, q, nrx, (unsigned int) port->socket_id,
					    &rxc, conf->pool);
		if (rc < 0) {
			SG_LOG(DRIVER, ERR, "port %s: rx queue %u: %s", port->name, q,
			       rte_strerror(-rc));
			return rc;
		}
		rc = rte_eth_tx_queue_setup(port->port_id, q, ntx, (unsigned int) port->socket_id,
					    &txc);
		if (rc < 0) {
			SG_LOG(DRIVER, ERR, "port %s: tx queue %u: %s", port->name, q,
			       rte_strerror(-rc));
			return rc;
		}
	}
	port->n_queues = conf->n_queues;
	return 0;
}

int sg_port_open(struct sg_port *port, const struct sg_port_conf *conf)
{
	int rc;

	if (port == NULL || conf == NULL || conf->devargs == NULL || conf->pool == NULL ||
	    conf->n_queues == 0)
		return -EINVAL;
	memset(port, 0, sizeof(*port));
	snprintf(port->name, sizeof(port->name), "%s", conf->name != NULL ? conf->name : "port");
	if (snprintf(port->devargs, sizeof(port->devargs), "%s", conf->devargs) >=
	    (int) sizeof(port->devargs))
		return -ENAMETOOLONG;
	rc = find_or_probe(port, conf->devargs);
	if (rc < 0)
		return rc;
	rc = configure(port, conf);
	if (rc < 0)
		goto fail;
	if (rte_eth_dev_get_mtu(port->port_id, &port->mtu) != 0)
		port->mtu = 0;
	if (conf->mtu != 0 && conf->mtu != port->mtu) {
		rc = rte_eth_dev_set_mtu(port->port_id, conf->mtu);
		if (rc < 0)
			SG_LOG(DRIVER, WARNING, "port %s: cannot set MTU %u: %s (kept the port's)",
			       port->name, conf->mtu, rte_strerror(-rc));
	}
	if (rte_eth_dev_get_mtu(port->port_id, &port->mtu) != 0)
		port->mtu = RTE_ETHER_MTU;
	rc = rte_eth_macaddr_get(port->port_id, &port->mac);
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: no MAC address: %s", port->name, rte_strerror(-rc));
		goto fail;
	}
	rc = rte_eth_dev_start(port->port_id);
	if (rc < 0) {
		SG_LOG(DRIVER, ERR, "port %s: start: %s", port->name, rte_strerror(-rc));
		goto fail;
	}
	port->started = true;
	/* IPv6 neighbour discovery needs the solicited-node groups: take all multicast. */
	rc = rte_eth_allmulticast_enable(port->port_id);
	if (rc < 0 && rc != -ENOTSUP)
		SG_LOG(DRIVER, WARNING, "port %s: allmulticast: %s", port->name, rte_strerror(-rc));
	SG_LOG(DRIVER, INFO,
	       "port %s: id %u driver %s mac " RTE_ETHER_ADDR_PRT_FMT
	       " queues %u mtu %u rss %s offloads rx 0x%" PRIx64 " tx 0x%" PRIx64,
	       port->name, port->port_id, port->driver, RTE_ETHER_ADDR_BYTES(&port->mac),
	       port->n_queues, port->mtu, port->caps.rss ? "on" : "off", port->rx_offloads,
	       port->tx_offloads);
	return 0;
fail:
	sg_port_close(port);
	return rc;
}

void sg_port_close(struct sg_port *port)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (port == NULL || port->devargs[0] == '\0')
		return;
	if (!rte_eth_dev_is_valid_port(port->port_id)) {
		port->devargs[0] = '\0';
		return;
	}
	if (port->started) {
		int rc = rte_eth_dev_stop(port->port_id);
		if (rc < 0)
			SG_LOG(DRIVER, WARNING, "port %s: stop: %s", port->name, rte_strerror(-rc));
		port->started = false;
	}
	if (rte_eth_dev_info_get(port->port_id, &info) == 0)
		dev = info.device;
	rte_eth_dev_close(port->port_id);
	if (port->probed && dev != NULL) {
		int rc = rte_dev_remove(dev);
		if (rc < 0)
			SG_LOG(DRIVER, WARNING, "port %s: remove: %s", port->name,
			       rte_strerror(-rc));
	}
	SG_LOG(DRIVER, INFO, "port %s: closed", port->name);
	port->devargs[0] = '\0';
}

int sg_port_link_get(const struct sg_port *port, bool *up, uint32_t *mbps)
{
	struct rte_eth_link link;
	int rc;

	memset(&link, 0, sizeof(link));
	rc = rte_eth_link_get_nowait(port->port_id, &link);
	if (rc < 0)
		return rc;
	*up = link.link_status == RTE_ETH_LINK_UP;
	*mbps = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 : link.link_speed;
	return 0;
}

int sg_port_link_log(const struct sg_port *port)
{
	struct rte_eth_link link;
	int rc;

	memset(&link, 0, sizeof(link));
	rc = rte_eth_link_get_nowait(port->port_id, &link);
	if (rc < 0) {
		SG_LOG(DRIVER, WARNING, "port %s: link unknown: %s", port->name, rte_strerror(-rc));
		return rc;
	}
	if (link.link_status != RTE_ETH_LINK_UP)
		SG_LOG(DRIVER, NOTICE, "port %s: link down", port->name);
	else if (link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN)
		SG_LOG(DRIVER, NOTICE, "port %s: link up, speed unknown, %s-duplex", port->name,
		       link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "full" : "half");
	else
		SG_LOG(DRIVER, NOTICE, "port %s: link up, %u Mbps, %s-duplex", port->name,
		       link.link_speed,
		       link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "full" : "half");
	return link.link_status == RTE_ETH_LINK_UP;
}
