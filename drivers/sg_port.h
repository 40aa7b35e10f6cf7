/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port setup over rte_ethdev: open any PMD by its devargs (a PCI address,
 * "net_af_packet0,iface=veth0", "net_tap0,iface=tap0", "net_memif0,..."),
 * one RX/TX queue pair per worker, RSS when the port supports it and more
 * than one queue is asked for, offloads only when the port reports them.
 *
 * Checksum offloads with software fallbacks: sg_port_cksum.h.
 *
 * Thread safety: open/close/stats on the main lcore only, before workers start
 * or after they stopped; the resulting struct sg_port is read-only and may be
 * read from every lcore.
 */
#ifndef SG_PORT_H
#define SG_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SG_PORT_NAME_LEN    16
#define SG_PORT_DEVARGS_LEN 256
#define SG_PORT_DRIVER_LEN  32

/* What the hardware does for us; everything else the software does. */
struct sg_port_caps {
	bool rx_ipv4_cksum; /* RTE_MBUF_F_RX_IP_CKSUM_* set on received mbufs */
	bool rx_l4_cksum;   /* RTE_MBUF_F_RX_L4_CKSUM_* (TCP and UDP) */
	bool tx_ipv4_cksum; /* RTE_MBUF_F_TX_IP_CKSUM honoured */
	bool tx_tcp_cksum;  /* RTE_MBUF_F_TX_TCP_CKSUM honoured */
	bool tx_udp_cksum;  /* RTE_MBUF_F_TX_UDP_CKSUM honoured */
	bool tx_multi_segs; /* chained mbufs may be sent */
	bool rss;	    /* RX spread over queues by the port (else queue 0 gets all) */
};

struct sg_port_conf {
	const char *name;    /* "wan", "lan": used in logs and telemetry */
	const char *devargs; /* as in the config */
	uint16_t n_queues;   /* RX/TX queue pairs, one per worker (>= 1) */
	uint16_t rx_desc;    /* 0 = 1024 */
	uint16_t tx_desc;    /* 0 = 1024 */
	uint16_t mtu;	     /* 0 = leave the port's */
	struct rte_mempool *pool;
};

struct sg_port {
	char name[SG_PORT_NAME_LEN];
	char devargs[SG_PORT_DEVARGS_LEN];
	char driver[SG_PORT_DRIVER_LEN];
	uint16_t port_id;
	uint16_t n_queues;
	uint16_t mtu;
	int socket_id;
	struct rte_ether_addr mac;
	struct sg_port_caps caps;
	uint64_t rx_offloads; /* as configured */
	uint64_t tx_offloads;
	bool probed; /* we hot-plugged it (and remove it on close) */
	bool started;
};

/*
 * Probe the device named by conf->devargs (unless already present, e.g. via
 * --vdev/-a), configure conf->n_queues queue pairs, start it. On failure
 * returns -errno after logging why (e.g. a port with fewer queues than
 * workers) and leaves nothing open. Main lcore only, after rte_eal_init().
 */
int sg_port_open(struct sg_port *port, const struct sg_port_conf *conf);

/* Stop, close and (if we probed it) remove the device. Idempotent. */
void sg_port_close(struct sg_port *port);

/* Log the link state ("up 10000 Mbps full" / "down"). Returns 1 up, 0 down, -errno. */
int sg_port_link_log(const struct sg_port *port);

/* Link state into *up and speed into *mbps (0 when unknown). 0 or -errno. */
int sg_port_link_get(const struct sg_port *port, bool *up, uint32_t *mbps);

#ifdef __cplusplus
}
#endif

#endif /* SG_PORT_H */
