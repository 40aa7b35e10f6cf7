/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv: lib/tcp on one DPDK port, for the integration tests and
 * the memif benchmark. Usage:
 *
 *   sg-tcp-testsrv <EAL args> -- --mode sink|source|echo|rawfwd|rawgen
 *       [--ip4 A] [--ip6 A] [--port P] [--bytes N] [--seed S] [--mtu M]
 *       [--max-conns N] [--impair-rx CFG] [--impair-tx CFG]
 *       [--connect ADDR:PORT | --connect [ADDR6]:PORT]
 *       [--seconds T] [--frame-size B] [--linger] [--buf BYTES]
 *
 * The port is ethdev 0 (one rx and one tx queue). Counters (lib/tcp's,
 * the impairment stages', the program's) are printed as "name value" lines
 * on SIGTERM/SIGINT, or when a client mode finishes; SIGUSR1 prints them
 * while running.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "sg_impair.h"
#include "sg_impair_mbuf.h"
#include "testsrv.h"

#define RX_BURST 64
#define NB_RXD	 1024
#define NB_TXD	 1024

static volatile int stop;
static volatile int dump;

static void on_signal(int sig)
{
	(void) sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void) sig;
	dump = 1;
}

sg_usec_t srv_now(void)
{
	static uint64_t hz;

	if (hz == 0)
		hz = rte_get_timer_hz();
	return (sg_usec_t) ((unsigned __int128) rte_get_timer_cycles() * 1000000u / hz);
}

static void tx_port(struct srv *s, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0;
	int spins = 0;

	while (sent < n && spins < 1000) {
		uint16_t k = rte_eth_tx_burst(s->port_id, 0, pkts + sent, n - sent);

		sent += k;
		if (k == 0)
			spins++;
	}
	s->cnt.tx_frames += sent;
	if (sent < n) {
		s->cnt.tx_ring_full += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
}

void srv_xmit(struct srv *s, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *out[256];

	if (s->imp_tx == NULL) {
		tx_port(s, pkts, n);
		return;
	}
	while (n > 0) {
		uint16_t k = n > 64 ? 64 : n;
		uint16_t m = sg_impair_mbuf_burst(s->imp_tx, pkts, k, out, 256, s->now, NULL);

		tx_port(s, out, m);
		pkts += k;
		n -= k;
	}
}

/* Held tx packets that are due. */
static void impair_tx_poll(struct srv *s)
{
	struct rte_mbuf *out[256];
	uint16_t m;

	if (s->imp_tx == NULL || sg_impair_held(s->imp_tx) == 0)
		return;
	m = sg_impair_mbuf_burst(s->imp_tx, NULL, 0, out, 256, s->now, NULL);
	if (m > 0)
		tx_port(s, out, m);
}

static int parse_ip(const char *txt, uint8_t *family, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, txt, addr) == 1) {
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, txt, addr) == 1) {
		*family = 6;
		return 0;
	}
	return -1;
}

/* "192.0.2.1:5001" or "[2001:db8::1]:5001". */
static int parse_hostport(struct srv *s, const char *arg)
{
	char buf[80];
	char *colon;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int) sizeof(buf))
		return -1;
	colon = strrchr(buf, ':');
	if (colon == NULL)
		return -1;
	*colon = '\0';
	s->peer_port = (uint16_t) atoi(colon + 1);
	if (buf[0] == '[') {
		size_t l = strlen(buf);

		if (l < 3 || buf[l - 1] != ']')
			return -1;
		buf[l - 1] = '\0';
		return parse_ip(buf + 1, &s->peer_family, s->peer_addr);
	}
	return parse_ip(buf, &s->peer_family, s->peer_addr);
}

static int parse_args(struct srv *s, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"mode", required_argument, NULL, 'm'},
	    {"ip4", required_argument, NULL, '4'},
	    {"ip6", required_argument, NULL, '6'},
	    {"port", required_argument, NULL, 'p'},
	    {"bytes", required_argument, NULL, 'b'},
	    {"seed", required_argument, NULL, 's'},
	    {"mtu", required_argument, NULL, 'M'},
	    {"max-conns", required_argument, NULL, 'n'},
	    {"impair-rx", required_argument, NULL, 'r'},
	    {"impair-tx", required_argument, NULL, 't'},
	    {"connect", required_argument, NULL, 'c'},
	    {"dst-mac", required_argument, NULL, 'd'},
	    {"seconds", required_argument, NULL, 'T'},
	    {"frame-size", required_argument, NULL, 'F'},
	    {"linger", no_argument, NULL, 'L'},
	    {"buf", required_argument, NULL, 'B'},
	    {NULL, 0, NULL, 0},
	};
	uint8_t fam, addr[16];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "sink") == 0)
				s->mode = SRV_SINK;
			else if (strcmp(optarg, "source") == 0)
				s->mode = SRV_SOURCE;
			else if (strcmp(optarg, "echo") == 0)
				s->mode = SRV_ECHO;
			else if (strcmp(optarg, "rawfwd") == 0)
				s->mode = SRV_RAWFWD;
			else if (strcmp(optarg, "rawgen") == 0)
				s->mode = SRV_RAWGEN;
			else
				return -1;
			break;
		case '4':
			if (parse_ip(optarg, &fam, addr) != 0 || fam != 4)
				return -1;
			memcpy(s->ip4, addr, 4);
			s->has_ip4 = true;
			break;
		case '6':
			if (parse_ip(optarg, &fam, addr) != 0 || fam != 6)
				return -1;
			memcpy(s->ip6, addr, 16);
			s->has_ip6 = true;
			break;
		case 'p':
			s->tcp_port = (uint16_t) atoi(optarg);
			break;
		case 'b':
			s->bytes = strtoull(optarg, NULL, 0);
			break;
		case 's':
			s->seed = strtoull(optarg, NULL, 0);
			break;
		case 'M':
			s->mtu = (uint16_t) atoi(optarg);
			break;
		case 'n':
			s->max_conns = (uint32_t) atoi(optarg);
			break;
		case 'r':
			s->impair_rx_cfg = optarg;
			break;
		case 't':
			s->impair_tx_cfg = optarg;
			break;
		case 'c':
			if (parse_hostport(s, optarg) != 0)
				return -1;
			s->connect = true;
			break;
		case 'T':
			s->seconds = (uint32_t) atoi(optarg);
			break;
		case 'B':
			s->buf = (uint32_t) strtoul(optarg, NULL, 0);
			break;
		case 'L':
			s->linger = true;
			break;
		case 'F':
			s->frame_size = (uint16_t) atoi(optarg);
			break;
		default:
			return -1;
		}
	}
	if (s->mtu < 576 || s->mtu > 9000 || s->frame_size < 64 || s->frame_size > 9014)
		return -1;
	return 0;
}

static struct sg_impair *impair_make(struct srv *s, const char *txt)
{
	struct sg_impair_config cfg;
	struct sg_impair *im;

	if (txt == NULL)
		return NULL;
	if (sg_impair_config_parse(txt, &cfg) != 0) {
		fprintf(stderr, "testsrv: bad impairment config '%s'\n", txt);
		exit(2);
	}
	if (sg_impair_config_is_off(&cfg))
		return NULL;
	im = sg_impair_create(&cfg, 4096, sg_impair_mbuf_dup, s->pool);
	if (im == NULL) {
		fprintf(stderr, "testsrv: impairment stage: %s\n", strerror(errno));
		exit(2);
	}
	return im;
}

static int port_init(struct srv *s)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	int rc;

	if (rte_eth_dev_count_avail() < 1) {
		fprintf(stderr, "testsrv: no ethdev port (give --vdev)\n");
		return -1;
	}
	s->port_id = 0;
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_info_get(s->port_id, &info);
	if (rc != 0)
		return rc;
	if ((info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	rc = rte_eth_dev_configure(s->port_id, 1, 1, &conf);
	if (rc != 0)
		return rc;
	rc = rte_eth_rx_queue_setup(s->port_id, 0, NB_RXD, rte_socket_id(), NULL, s->pool);
	if (rc != 0)
		return rc;
	rc = rte_eth_tx_queue_setup(s->port_id, 0, NB_TXD, rte_socket_id(), NULL);
	if (rc != 0)
		return rc;
	/* Not every PMD can change the MTU; the script sets the veth's. */
	(void) rte_eth_dev_set_mtu(s->port_id, s->mtu);
	rc = rte_eth_dev_start(s->port_id);
	if (rc != 0)
		return rc;
	(void) rte_eth_promiscuous_enable(s->port_id);
	return rte_eth_macaddr_get(s->port_id, &s->mac);
}

static void print_counters(struct srv *s)
{
	struct sg_impair_stats ist;
	struct rte_eth_stats es;

	if (rte_eth_stats_get(s->port_id, &es) == 0)
		printf("port.ipackets %" PRIu64 "\nport.opackets %" PRIu64 "\nport.imissed %" PRIu64
		       "\nport.ierrors %" PRIu64 "\nport.oerrors %" PRIu64
		       "\nport.rx_nombuf %" PRIu64 "\n",
		       es.ipackets, es.opackets, es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);

#define SRV_CNT_PRINT_(n) printf("srv.%s %" PRIu64 "\n", #n, s->cnt.n);
	SRV_COUNTERS(SRV_CNT_PRINT_)
#undef SRV_CNT_PRINT_
#define SRV_IMP_PRINT_(n) printf("%s.%s %" PRIu64 "\n", dir, #n, ist.n);
	for (int i = 0; i < 2; i++) {
		struct sg_impair *im = i == 0 ? s->imp_rx : s->imp_tx;
		const char *dir = i == 0 ? "impair_rx" : "impair_tx";

		if (im == NULL)
			continue;
		sg_impair_stats_get(im, &ist);
		SG_IMPAIR_STATS(SRV_IMP_PRINT_)
	}
#undef SRV_IMP_PRINT_
	fflush(stdout);
}

static void run(struct srv *s)
{
	struct rte_mbuf *rx[RX_BURST], *imp[256], *tcp[256];
	struct rte_mbuf **in;

	while (!stop && !s->done) {
		uint16_t n, k = 0;

		if (dump) { /* SIGUSR1: counters so far (the last printed value wins) */
			dump = 0;
			print_counters(s);
			srv_app_print_stats(s);
			fflush(stdout);
		}

		s->now = srv_now();
		n = rte_eth_rx_burst(s->port_id, 0, rx, RX_BURST);
		in = rx;
		if (s->imp_rx != NULL) {
			n = sg_impair_mbuf_burst(s->imp_rx, rx, n, imp, 256, s->now, NULL);
			in = imp;
		}
		for (uint16_t i = 0; i < n; i++)
			if (srv_l2_input(s, in[i]) == 0)
				tcp[k++] = in[i];
		if (k > 0)
			srv_app_input(s, tcp, k);
		impair_tx_poll(s);
		srv_app_poll(s);
	}
}

int main(int argc, char **argv)
{
	static struct srv srv;
	struct srv *s = &srv;
	uint32_t room;
	int rc;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "testsrv: EAL init failed\n");
		return 2;
	}
	argc -= rc;
	argv += rc;
	s->mode = SRV_SINK;
	s->tcp_port = 5001;
	s->bytes = 1 << 20;
	s->seed = 1;
	s->max_conns = 4096;
	s->mtu = 1500;
	s->seconds = 5;
	s->frame_size = 1400;
	s->buf = 1u << 20;
	if (parse_args(s, argc, argv) != 0) {
		fprintf(stderr, "testsrv: bad arguments (see the top of testsrv_main.c)\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_usr1);

	room = RTE_PKTMBUF_HEADROOM + (s->mtu > 1500 ? 9216 + 128 : 2048);
	s->pool = rte_pktmbuf_pool_create("srv_pool", s->mtu > 1500 ? 16383 : 32767, 256, 0,
					  (uint16_t) room, rte_socket_id());
	s->hdr_pool = rte_pktmbuf_pool_create("srv_hdr", 65535, 256, 0, RTE_PKTMBUF_HEADROOM + 256,
					      rte_socket_id());
	if (s->pool == NULL || s->hdr_pool == NULL) {
		fprintf(stderr, "testsrv: mempool: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	rc = port_init(s);
	if (rc != 0) {
		fprintf(stderr, "testsrv: port init failed: %d\n", rc);
		return 2;
	}
	s->imp_rx = impair_make(s, s->impair_rx_cfg);
	s->imp_tx = impair_make(s, s->impair_tx_cfg);

	if (s->mode == SRV_RAWFWD || s->mode == SRV_RAWGEN) {
		rc = srv_raw_run(s, &stop);
	} else {
		if (srv_l2_init(s) != 0 || srv_app_init(s) != 0)
			return 2;
		printf("testsrv: ready port %u mac " RTE_ETHER_ADDR_PRT_FMT "\n", s->tcp_port,
		       RTE_ETHER_ADDR_BYTES(&s->mac));
		fflush(stdout);
		run(s);
		srv_app_fini(s);
		srv_l2_fini(s);
		rc = s->exit_code;
	}
	print_counters(s);
	/* --linger: a finished client waits for SIGTERM without polling, so its
	 * memif peer can stop first (the 22.11 memif PMD can fault when the peer
	 * disconnects while this side still polls). */
	while (s->linger && !stop)
		rte_delay_us_sleep(10000);
	rte_eth_dev_stop(s->port_id);
	rte_eth_dev_close(s->port_id);
	rte_eal_cleanup();
	return rc;
}
