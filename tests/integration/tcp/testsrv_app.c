/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-tcp-testsrv application: the TCP modes on lib/tcp events.
 *
 *   sink    every received byte goes into SHA-256; on the peer's FIN the
 *           server sends the digest as 64 hex digits and LF, then closes.
 *   source  sends `bytes` bytes of AES-128-CTR keystream (key = seed as 16
 *           big-endian bytes, IV 0: `openssl enc -aes-128-ctr -K .. -iv 0`
 *           of zeros gives the same bytes), then closes; with --connect it
 *           is the client (memif benchmark) and reads the sink's digest.
 *   echo    sends back every received byte (zero copy, the received chain
 *           is queued as is); closes after the peer's FIN once all is sent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <rte_ethdev.h>

#include "sg_tcp.h"
#include "testsrv.h"

struct app_conn {
	struct sg_tcp_conn *c;
	EVP_MD_CTX *md;
	EVP_CIPHER_CTX *gen;
	uint64_t left;		  /* source: bytes still to queue */
	struct rte_mbuf *pending; /* chain refused by send (no space): sent on WRITABLE */
	uint32_t pending_bytes;
	bool peer_closed;
	bool closing;
	char reply[72]; /* client: the sink's digest */
	uint32_t reply_len;
	struct app_conn *next_free;
};

struct srv_app {
	struct app_conn *conns;
	struct app_conn *free;
	sg_usec_t t_start, t_end;
	bool connect_started;
	uint64_t client_bytes;
};

static struct app_conn *conn_get(struct srv *s)
{
	struct app_conn *a = s->app->free;

	if (a == NULL)
		return NULL;
	s->app->free = a->next_free;
	memset(a, 0, sizeof(*a));
	return a;
}

static void conn_put(struct srv *s, struct app_conn *a)
{
	EVP_MD_CTX_free(a->md);
	EVP_CIPHER_CTX_free(a->gen);
	rte_pktmbuf_free(a->pending);
	memset(a, 0, sizeof(*a));
	a->next_free = s->app->free;
	s->app->free = a;
}

static int gen_init(struct srv *s, struct app_conn *a)
{
	uint8_t key[16] = {0}, iv[16] = {0};

	for (int i = 0; i < 8; i++)
		key[15 - i] = (uint8_t) (s->seed >> (8 * i));
	a->gen = EVP_CIPHER_CTX_new();
	if (a->gen == NULL || EVP_EncryptInit_ex(a->gen, EVP_aes_128_ctr(), NULL, key, iv) != 1)
		return -1;
	a->left = s->bytes;
	return 0;
}

/* One mbuf of keystream (len <= data room); NULL when out of mbufs. */
static struct rte_mbuf *keystream_mbuf(struct srv *s, struct app_conn *a, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->pool);
	uint8_t *p;
	int outl = 0;

	if (m == NULL)
		return NULL;
	p = (uint8_t *) rte_pktmbuf_append(m, (uint16_t) len);
	memset(p, 0, len);
	if (EVP_EncryptUpdate(a->gen, p, &outl, p, (int) len) != 1 || outl != (int) len) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

/* Queue keystream as chains of up to SRV_SOURCE_CHAIN bytes (several mbufs:
 * the consumer API takes chains, as TLS records will be) until the stack
 * refuses one (-ENOBUFS: WRITABLE follows, and the chain is kept in
 * `pending` for then); close when all is queued. */
#define SRV_SOURCE_CHAIN (64u * 1024)

static void source_fill(struct srv *s, struct app_conn *a)
{
	uint32_t room = rte_pktmbuf_data_room_size(s->pool) - RTE_PKTMBUF_HEADROOM;

	while ((a->left > 0 || a->pending != NULL) && !a->closing) {
		struct rte_mbuf *head = a->pending;
		uint32_t len;
		int rc;

		if (head == NULL) {
			uint32_t want = (uint32_t) SG_MIN((uint64_t) SRV_SOURCE_CHAIN, a->left);

			while (want > 0) {
				uint32_t k = SG_MIN(room, want);
				struct rte_mbuf *m = keystream_mbuf(s, a, k);

				if (m == NULL ||
				    (head != NULL && rte_pktmbuf_chain(head, m) != 0)) {
					s->cnt.app_no_mbuf++; /* pool sized for this: fail loudly */
					rte_pktmbuf_free(m);
					rte_pktmbuf_free(head);
					sg_tcp_conn_abort(a->c, s->now);
					return;
				}
				if (head == NULL)
					head = m;
				want -= k;
				a->left -= k;
			}
		}
		len = head->pkt_len;
		rc = sg_tcp_conn_send(a->c, head, s->now);
		if (rc == -ENOBUFS) {
			a->pending = head;
			return;
		}
		a->pending = NULL;
		if (rc != 0) {
			rte_pktmbuf_free(head);
			return;
		}
		s->cnt.app_tx_bytes += len;
	}
	if (a->left == 0 && a->pending == NULL && !a->closing) {
		a->closing = true;
		s->cnt.source_done++;
		sg_tcp_conn_close(a->c, s->now);
	}
}

static void send_text(struct srv *s, struct app_conn *a, const char *txt, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->pool);
	char *p;

	if (m == NULL || (p = rte_pktmbuf_append(m, (uint16_t) len)) == NULL) {
		s->cnt.app_no_mbuf++;
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(p, txt, len);
	if (sg_tcp_conn_send(a->c, m, s->now) != 0)
		rte_pktmbuf_free(m);
	else
		s->cnt.app_tx_bytes += len;
}

static void sink_reply(struct srv *s, struct app_conn *a)
{
	uint8_t dg[32];
	char hex[66];
	unsigned int dl = 0;

	if (EVP_DigestFinal_ex(a->md, dg, &dl) != 1 || dl != 32)
		return;
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dg[i]);
	hex[64] = '\n';
	send_text(s, a, hex, 65);
	s->cnt.sink_replies++;
	a->closing = true;
	sg_tcp_conn_close(a->c, s->now);
}

/* Echo: queue the pending chain if it fits; open the window for what went. */
static void echo_flush(struct srv *s, struct app_conn *a)
{
	if (a->pending != NULL) {
		uint32_t bytes = a->pending_bytes;

		if (sg_tcp_conn_send(a->c, a->pending, s->now) != 0)
			return;
		a->pending = NULL;
		a->pending_bytes = 0;
		s->cnt.app_tx_bytes += bytes;
		sg_tcp_conn_recv_consumed(a->c, bytes, s->now);
	}
	if (a->peer_closed && !a->closing) {
		a->closing = true;
		sg_tcp_conn_close(a->c, s->now);
	}
}

static void echo_data(struct srv *s, struct app_conn *a, struct rte_mbuf *data)
{
	if (a->pending != NULL) {
		if (rte_pktmbuf_chain(a->pending, data) != 0) {
			/* Too many segments: the window is ours to hold, so
			 * this cannot grow without bound; count and drop the
			 * connection rather than lose bytes silently. */
			rte_pktmbuf_free(data);
			s->cnt.echo_pending++;
			sg_tcp_conn_abort(a->c, s->now);
			return;
		}
	} else {
		a->pending = data;
	}
	a->pending_bytes = a->pending->pkt_len;
	echo_flush(s, a);
}

static void on_event(void *arg, struct sg_tcp_conn *c, enum sg_tcp_event ev, struct rte_mbuf *data,
		     int err)
{
	struct srv *s = arg;
	struct app_conn *a = sg_tcp_conn_udata(c);

	(void) err;
	switch (ev) {
	case SG_TCP_EV_ACCEPTED:
	case SG_TCP_EV_CONNECTED:
		a = conn_get(s);
		if (a == NULL) {
			s->cnt.app_no_state++;
			sg_tcp_conn_abort(c, s->now);
			return;
		}
		a->c = c;
		sg_tcp_conn_set_udata(c, a);
		s->cnt.conns_accepted++;
		if (ev == SG_TCP_EV_CONNECTED)
			s->app->t_start = s->now;
		if (s->mode == SRV_SINK) {
			a->md = EVP_MD_CTX_new();
			if (a->md == NULL || EVP_DigestInit_ex(a->md, EVP_sha256(), NULL) != 1)
				sg_tcp_conn_abort(c, s->now);
		} else if (s->mode == SRV_SOURCE) {
			if (gen_init(s, a) != 0)
				sg_tcp_conn_abort(c, s->now);
			else
				source_fill(s, a);
		}
		break;
	case SG_TCP_EV_READABLE: {
		uint32_t bytes = data->pkt_len;

		s->cnt.app_rx_bytes += bytes;
		if (a == NULL) {
			rte_pktmbuf_free(data);
			break;
		}
		if (s->mode == SRV_ECHO) {
			echo_data(s, a, data);
			break;
		}
		for (struct rte_mbuf *m = data; m != NULL; m = m->next) {
			if (s->mode == SRV_SINK) {
				EVP_DigestUpdate(a->md, rte_pktmbuf_mtod(m, void *), m->data_len);
			} else {
				uint32_t k = SG_MIN((uint32_t) m->data_len,
						    (uint32_t) sizeof(a->reply) - 1 - a->reply_len);

				memcpy(a->reply + a->reply_len, rte_pktmbuf_mtod(m, void *), k);
				a->reply_len += k;
			}
		}
		rte_pktmbuf_free(data);
		sg_tcp_conn_recv_consumed(c, bytes, s->now);
		break;
	}
	case SG_TCP_EV_WRITABLE:
		if (a == NULL)
			break;
		if (s->mode == SRV_SOURCE)
			source_fill(s, a);
		else if (s->mode == SRV_ECHO)
			echo_flush(s, a);
		break;
	case SG_TCP_EV_PEER_CLOSED:
		if (a == NULL)
			break;
		a->peer_closed = true;
		if (s->mode == SRV_SINK && !a->closing)
			sink_reply(s, a);
		else if (s->mode == SRV_ECHO)
			echo_flush(s, a);
		else if (s->mode == SRV_SOURCE && s->connect && a->closing)
			s->app->t_end = s->now;
		break;
	case SG_TCP_EV_RESET:
		s->cnt.conns_reset++;
		break;
	case SG_TCP_EV_CLOSED:
		s->cnt.conns_closed++;
		if (a != NULL) {
			if (s->connect) {
				a->reply[a->reply_len] = '\0';
				printf("client.reply %s\n", a->reply);
				if (s->app->t_end == 0)
					s->app->t_end = s->now;
				s->done = true;
				s->exit_code = a->reply_len == 65 ? 0 : 1;
			}
			conn_put(s, a);
			sg_tcp_conn_set_udata(c, NULL);
		}
		break;
	}
}

void srv_tcp_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct srv *s = arg;
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (srv_l2_output(s, pkts[i]) == 0)
			pkts[k++] = pkts[i];
		else
			rte_pktmbuf_free(pkts[i]);
	}
	if (k > 0)
		srv_xmit(s, pkts, k);
}

int srv_app_init(struct srv *s)
{
	struct sg_tcp_config cfg;
	struct srv_app *app;
	uint16_t mss4 = (uint16_t) (s->mtu - 40);

	app = calloc(1, sizeof(*app));
	if (app == NULL)
		return -1;
	app->conns = calloc(s->max_conns, sizeof(app->conns[0]));
	if (app->conns == NULL)
		return -1;
	for (uint32_t i = 0; i < s->max_conns; i++) {
		app->conns[i].next_free = app->free;
		app->free = &app->conns[i];
	}
	s->app = app;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_conns = s->max_conns;
	cfg.mss = mss4;
	cfg.hdr_pool = s->hdr_pool;
	cfg.event_fn = on_event;
	cfg.tx_fn = srv_tcp_tx;
	cfg.arg = s;
	cfg.rcv_buf = s->buf;
	cfg.snd_buf = s->buf;
	/* secret all zero: RAND_bytes, as in the gateway */
	s->tcp = sg_tcp_stack_create(&cfg);
	if (s->tcp == NULL) {
		fprintf(stderr, "testsrv: sg_tcp_stack_create: %s\n", strerror(errno));
		return -1;
	}
	if (!s->connect && sg_tcp_listen(s->tcp, s->tcp_port) != 0) {
		fprintf(stderr, "testsrv: listen %u failed\n", s->tcp_port);
		return -1;
	}
	return 0;
}

void srv_app_input(struct srv *s, struct rte_mbuf **pkts, uint16_t n)
{
	sg_tcp_input(s->tcp, pkts, n, s->now);
}

static void start_connect(struct srv *s)
{
	struct rte_ether_addr mac;
	struct sg_tcp_tuple t;

	memset(&t, 0, sizeof(t));
	t.family = s->peer_family;
	t.rport = s->peer_port;
	memcpy(t.raddr, s->peer_addr, 16);
	if (t.family == 4)
		memcpy(t.laddr, s->ip4, 4);
	else
		memcpy(t.laddr, s->ip6, 16);
	/* Resolve the server first so the SYN is not lost to an empty cache. */
	if (srv_l2_resolve(s, t.family, t.raddr, &mac) != 0)
		return;
	s->app->connect_started = true;
	if (sg_tcp_connect(s->tcp, &t, NULL, s->now) == NULL) {
		fprintf(stderr, "testsrv: connect: %s\n", strerror(errno));
		s->done = true;
		s->exit_code = 1;
	}
}

void srv_app_poll(struct srv *s)
{
	if (s->connect && !s->app->connect_started)
		start_connect(s);
	sg_tcp_timers_run(s->tcp, s->now);
}

void srv_app_print_stats(struct srv *s)
{
	struct sg_tcp_stats st;

	sg_tcp_stats_get(s->tcp, &st);
#define SRV_TCP_PRINT_(f) printf("tcp.%s %" PRIu64 "\n", #f, st.f);
	SG_TCP_COUNTERS(SRV_TCP_PRINT_)
#undef SRV_TCP_PRINT_
	for (int i = 1; i < SG_TCP_DROP_COUNT; i++)
		printf("tcp.drop.%s %" PRIu64 "\n", sg_tcp_drop_name((enum sg_tcp_drop) i),
		       st.drops[i]);
	printf("tcp.conns %" PRIu64 "\ntcp.half_open %" PRIu64 "\ntcp.time_wait %" PRIu64 "\n",
	       st.conns, st.half_open, st.time_wait);
}

void srv_app_fini(struct srv *s)
{
	if (s->connect && s->app->t_end > s->app->t_start) {
		double sec = (double) (s->app->t_end - s->app->t_start) / 1e6;

		printf("client.bytes %" PRIu64 "\nclient.seconds %.6f\nclient.gbit_per_s %.3f\n",
		       s->bytes, sec, (double) s->bytes * 8 / sec / 1e9);
	}
	srv_app_print_stats(s);
	sg_tcp_stack_destroy(s->tcp);
	s->tcp = NULL;
}
