/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-sstp-testsrv: a small kernel-socket SSTP server built from lib/tls + lib/tunnel
 * (lib/sstp + lib/ppp) + lib/aaa's local users, for interop tests with real clients.
 *
 *   sg-sstp-testsrv --listen 127.0.0.1:4443 --cert c.pem --key k.pem --users users.json
 *                   [--hash sha256|sha1|both] [--no-binding] [--peer-ip 192.0.2.2]
 *                   [--local-ip 192.0.2.1] [--icmp-echo] [--hello SEC] [--max-calls N]
 *                   [--timeout SEC] [--verbose] [--tls12] [--flight-delay-ms MS] [--eap]
 *
 * --eap proposes EAP first (lib/aaa's local users file runs EAP-MD5; this server keeps the
 * State of each connection's last challenge, as the gateway's control core does), then
 * MS-CHAPv2 and PAP for clients that Nak it.
 *
 * One poll() loop; per TCP connection a TLS server session and a tunnel. Prints one
 * machine-readable line per event on stdout (flushed), for the test scripts:
 *   LISTENING addr=127.0.0.1 port=4443
 *   CONN <id> ACCEPT from=...
 *   CONN <id> TLS version=TLSv1.3 cipher=...
 *   CONN <id> RX <SSTP control message> t=<ms since accept> [hash=SHA256 ...]
 *   CONN <id> TX <SSTP control message> t=<ms>
 *   CONN <id> AUTH user=alice method=MSCHAPV2 result=ACCEPT
 *   CONN <id> IPV4_UP local=192.0.2.1 peer=192.0.2.2
 *   TUNNEL OPEN conn=<id> user=alice auth=MSCHAPV2 hash=SHA256
 *   CONN <id> ICMP_ECHO src=... dst=... answered=1
 *   TUNNEL CLOSE conn=<id> reason=PPP_DOWN sstp=<lib/sstp reason> t=<ms>
 * Exits after --max-calls tunnels closed (0: run until --timeout or a signal).
 *
 * --flight-delay-ms holds the server's first TLS flight back that long. sstpc 1.0.18 hangs
 * when its very first SSL_write() completes the whole TLS 1.3 handshake (the server's flight
 * was already there when it first read): it then never arms its receive for the HTTP reply.
 * A fast server on loopback wins that race often; over a real network it rarely does.
 * --tls12 (two round trips, so the first SSL_write cannot complete) avoids it too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "inet_cksum.h"
#include "sg_aaa.h"
#include "sg_log.h"
#include "sg_tls.h"
#include "sg_tunnel.h"

#define MAX_CONNS 16

struct conn {
	int fd;
	unsigned id;
	sg_usec_t start;
	struct sg_tls_conn *tls;
	struct sg_tunnel *t;
	bool tls_logged, closing, closed_ev;
	struct sg_sstp_deframer rx_sniff, tx_sniff;
	uint8_t rx_http, tx_http; /* bytes of "\r\n\r\n" matched; 4: HTTP head is over */
	uint8_t hash_proto;	  /* from the CONNECTED the client sent */
	sg_usec_t hold_until;	  /* --flight-delay: no TLS output before this */
	struct srv *srv;
	uint8_t eap_state[SG_AAA_STATE_MAX]; /* --eap: State of the last EAP challenge */
	size_t eap_state_len;
};

struct srv {
	struct sg_sstp_server_config scfg;
	struct sg_ppp_config pcfg;
	struct sg_tunnel_config tcfg;
	struct sg_tls_ctx *tls;
	struct sg_aaa_local *users;
	uint32_t peer_ip; /* host order */
	bool icmp_echo, verbose;
	sg_usec_t flight_delay;
	unsigned next_id, calls_closed, max_calls;
	struct conn *conns[MAX_CONNS];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void) sig;
	stop = 1;
}

static sg_usec_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sg_usec_t) ts.tv_sec * 1000000u + (sg_usec_t) ts.tv_nsec / 1000u;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void lib_log(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void) arg;
	fprintf(stderr, "lib[%d] level %d: %s\n", (int) lib, (int) level, line);
}

static const char *auth_name(enum sg_ppp_auth_method m)
{
	switch (m) {
	case SG_PPP_AUTH_PAP:
		return "PAP";
	case SG_PPP_AUTH_CHAP_MD5:
		return "CHAP_MD5";
	case SG_PPP_AUTH_MSCHAPV2:
		return "MSCHAPV2";
	case SG_PPP_AUTH_EAP:
		return "EAP";
	default:
		return "NONE";
	}
}

static const char *msg_name(uint16_t type)
{
	static const char *const names[] = {
	    "?",     "CONNECT_REQUEST", "CONNECT_ACK",	  "CONNECT_NAK",  "CONNECTED",
	    "ABORT", "DISCONNECT",	"DISCONNECT_ACK", "ECHO_REQUEST", "ECHO_RESPONSE"};

	return type <= SG_SSTP_MSG_MAX ? names[type] : "?";
}

static const char *hash_name(uint8_t h)
{
	return h == SG_SSTP_HASH_SHA256 ? "SHA256" : h == SG_SSTP_HASH_SHA1 ? "SHA1" : "NONE";
}

static const char *ip_str(uint32_t host_order, char *buf)
{
	struct in_addr a = {.s_addr = htonl(host_order)};

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Log every SSTP control message crossing in one direction (a passive deframer). */
static void sniff(struct conn *c, struct sg_sstp_deframer *d, uint8_t *http, const char *dir,
		  const uint8_t *p, size_t len)
{
	static const char eoh[] = "\r\n\r\n";

	while (len > 0 && *http < 4) { /* skip the HTTP request/reply head */
		*http = *p == (uint8_t) eoh[*http] ? (uint8_t) (*http + 1) : *p == '\r' ? 1 : 0;
		p++;
		len--;
		if (*http == 4)
			say("CONN %u %s HTTP_%s t=%u", c->id, dir,
			    dir[0] == 'R' ? "REQUEST" : "REPLY",
			    (unsigned) ((now_usec() - c->start) / 1000u));
	}
	while (len > 0 && !d->failed) {
		const uint8_t *pkt;
		size_t pkt_len;
		int n = sg_sstp_deframer_feed(d, p, len, &pkt, &pkt_len);
		struct sg_sstp_ctrl ctrl;

		if (n <= 0)
			return;
		p += n;
		len -= (size_t) n;
		if (pkt == NULL || pkt_len < SG_SSTP_CTRL_HDR_LEN || (pkt[1] & 1) == 0)
			continue;
		if (sg_sstp_ctrl_decode(pkt, pkt_len, &ctrl) != 0) {
			say("CONN %u %s BAD_CONTROL len=%zu", c->id, dir, pkt_len);
			continue;
		}
		unsigned ms = (unsigned) ((now_usec() - c->start) / 1000u);
		if (ctrl.msg_type == SG_SSTP_MSG_CONNECTED &&
		    sg_sstp_ctrl_has(&ctrl, SG_SSTP_ATTR_CRYPTO_BINDING)) {
			if (dir[0] == 'R')
				c->hash_proto = ctrl.binding.hash_proto;
			say("CONN %u %s CONNECTED t=%u hash=%s", c->id, dir, ms,
			    hash_name(ctrl.binding.hash_proto));
		} else if (ctrl.msg_type == SG_SSTP_MSG_CONNECT_ACK) {
			say("CONN %u %s CONNECT_ACK t=%u hash_bitmask=0x%02x", c->id, dir, ms,
			    ctrl.binding_req.hash_bitmask);
		} else if (sg_sstp_ctrl_has(&ctrl, SG_SSTP_ATTR_STATUS_INFO)) {
			say("CONN %u %s %s t=%u status=%s", c->id, dir, msg_name(ctrl.msg_type), ms,
			    sg_sstp_status_name(ctrl.status_info.status));
		} else {
			say("CONN %u %s %s t=%u", c->id, dir, msg_name(ctrl.msg_type), ms);
		}
	}
}

/* Encrypt and queue bytes for the client. */
static void conn_send(struct conn *c, const void *data, size_t len)
{
	int rc = sg_tls_conn_write(c->tls, data, len);

	if (rc != 0)
		say("CONN %u TLS_WRITE_FAILED rc=%d", c->id, rc);
}

/* An ICMP echo request from the client: answer it through the tunnel. */
static void icmp_echo(struct conn *c, const uint8_t *ip, size_t len)
{
	uint8_t pkt[4096], hdr[SG_TUNNEL_HDR_MAX];
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	size_t ihl;
	int n;

	if (len < 20 || len > sizeof(pkt) || (ip[0] >> 4) != 4)
		return;
	ihl = (size_t) (ip[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8 || ip[9] != 1 || ip[ihl] != 8)
		return;
	memcpy(pkt, ip, len);
	memcpy(pkt + 12, ip + 16, 4); /* swap addresses: the IP checksum is unchanged */
	memcpy(pkt + 16, ip + 12, 4);
	pkt[ihl] = 0; /* echo reply */
	pkt[ihl + 2] = pkt[ihl + 3] = 0;
	uint16_t ck = inet_cksum(pkt + ihl, len - ihl);
	pkt[ihl + 2] = (uint8_t) (ck >> 8);
	pkt[ihl + 3] = (uint8_t) ck;
	n = sg_tunnel_data_header(c->t, SG_PPP_PROTO_IPV4, len, hdr);
	inet_ntop(AF_INET, ip + 12, s, sizeof(s));
	inet_ntop(AF_INET, ip + 16, d, sizeof(d));
	say("CONN %u ICMP_ECHO src=%s dst=%s len=%zu answered=%d", c->id, s, d, len, n > 0);
	if (n <= 0)
		return;
	struct iovec iov[2] = {{.iov_base = hdr, .iov_len = (size_t) n},
			       {.iov_base = pkt, .iov_len = len}};
	if (sg_tls_conn_writev(c->tls, iov, 2) != 0)
		say("CONN %u TLS_WRITE_FAILED", c->id);
}

static void tunnel_event(void *arg, const struct sg_tunnel_event *ev)
{
	struct conn *c = arg;
	struct srv *s = c->srv;
	struct sg_aaa_result res;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	unsigned ms = (unsigned) ((now_usec() - c->start) / 1000u);

	switch (ev->type) {
	case SG_TUNNEL_EV_SEND:
		sniff(c, &c->tx_sniff, &c->tx_http, "TX", ev->data, ev->len);
		conn_send(c, ev->data, ev->len);
		break;
	case SG_TUNNEL_EV_AUTH: {
		struct sg_aaa_auth_req rq = *ev->auth;
		int rc;

		/* EAP (lib/aaa's local EAP-MD5): the State of the last challenge goes back */
		memcpy(rq.state, c->eap_state, c->eap_state_len);
		rq.state_len = c->eap_state_len;
		c->eap_state_len = 0;
		rc = sg_aaa_local_auth(s->users, &rq, &res);
		OPENSSL_cleanse(&rq, sizeof(rq));
		if (rc != 0) {
			memset(&res, 0, sizeof(res));
			res.status = SG_AAA_REJECT;
		}
		if (res.status == SG_AAA_CHALLENGE) {
			memcpy(c->eap_state, res.state, res.state_len);
			c->eap_state_len = res.state_len;
		}
		say("CONN %u AUTH user=%s method=%d result=%s t=%u", c->id, ev->auth->user,
		    (int) ev->auth->method,
		    res.status == SG_AAA_ACCEPT	     ? "ACCEPT"
		    : res.status == SG_AAA_CHALLENGE ? "CHALLENGE"
						     : "REJECT",
		    ms);
		sg_tunnel_auth_result(c->t, &res, now_usec());
		sg_aaa_result_wipe(&res);
		break;
	}
	case SG_TUNNEL_EV_IPV4_UP:
		say("CONN %u IPV4_UP local=%s peer=%s t=%u", c->id, ip_str(ev->info->local_ipv4, a),
		    ip_str(ev->info->peer_ipv4, b), ms);
		break;
	case SG_TUNNEL_EV_IPV4_DOWN:
		say("CONN %u IPV4_DOWN t=%u", c->id, ms);
		break;
	case SG_TUNNEL_EV_IPV6_UP:
	case SG_TUNNEL_EV_IPV6_DOWN:
		say("CONN %u IPV6_%s t=%u", c->id, ev->type == SG_TUNNEL_EV_IPV6_UP ? "UP" : "DOWN",
		    ms);
		break;
	case SG_TUNNEL_EV_OPEN:
		say("TUNNEL OPEN conn=%u user=%s auth=%s hash=%s t=%u", c->id,
		    ev->info ? ev->info->user : "?", ev->info ? auth_name(ev->info->auth) : "?",
		    hash_name(c->hash_proto), ms);
		break;
	case SG_TUNNEL_EV_IP:
		if (s->verbose)
			say("CONN %u IP proto=0x%04x len=%zu", c->id, ev->proto, ev->len);
		if (s->icmp_echo && ev->proto == SG_PPP_PROTO_IPV4)
			icmp_echo(c, ev->data, ev->len);
		break;
	case SG_TUNNEL_EV_CLOSE:
		say("TUNNEL CLOSE conn=%u reason=%s sstp=%s t=%u", c->id,
		    sg_tunnel_reason_name(ev->reason), sg_sstp_reason_name(ev->sstp_reason), ms);
		c->closing = true;
		c->closed_ev = true;
		sg_tls_conn_shutdown(c->tls); /* close_notify after what is queued */
		break;
	}
}

static void on_plain(void *arg, const uint8_t *data, size_t len)
{
	struct conn *c = arg;

	if (c->closing)
		return;
	sniff(c, &c->rx_sniff, &c->rx_http, "RX", data, len);
	sg_tunnel_input(c->t, data, len, now_usec());
}

static void conn_free(struct srv *s, int slot)
{
	struct conn *c = s->conns[slot];

	if (!c->closed_ev) /* transport gone before the tunnel ended */
		sg_tunnel_lower_down(c->t, now_usec());
	s->calls_closed++;
	say("CONN %u CLOSED", c->id);
	close(c->fd);
	sg_tunnel_fini(c->t);
	free(c->t);
	sg_tls_conn_free(c->tls);
	free(c);
	s->conns[slot] = NULL;
}

static void conn_accept(struct srv *s, int lfd)
{
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	char a[INET_ADDRSTRLEN];
	int fd = accept(lfd, (struct sockaddr *) &from, &alen);
	int slot;
	struct conn *c;

	if (fd < 0)
		return;
	for (slot = 0; slot < MAX_CONNS && s->conns[slot]; slot++)
		;
	c = slot < MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
	if (c == NULL) {
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c->fd = fd;
	c->id = ++s->next_id;
	c->srv = s;
	c->start = now_usec();
	c->hold_until = c->start + s->flight_delay;
	sg_sstp_deframer_init(&c->rx_sniff);
	sg_sstp_deframer_init(&c->tx_sniff);
	c->tls = sg_tls_conn_new(s->tls);
	c->t = calloc(1, sg_tunnel_size());
	if (c->tls == NULL || c->t == NULL ||
	    sg_tunnel_init(c->t, &s->tcfg, tunnel_event, c, c->start) != 0) {
		say("CONN %u SETUP_FAILED", c->id);
		sg_tls_conn_free(c->tls);
		free(c->t);
		free(c);
		close(fd);
		return;
	}
	sg_tunnel_set_peer_ipv4(c->t, s->peer_ip);
	s->conns[slot] = c;
	say("CONN %u ACCEPT from=%s:%u", c->id, inet_ntop(AF_INET, &from.sin_addr, a, sizeof(a)),
	    ntohs(from.sin_port));
}

/* Read what TCP has; returns false when the connection must go. */
static bool conn_read(struct conn *c)
{
	uint8_t buf[16384];

	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n == 0) {
			say("CONN %u TCP_EOF", c->id);
			return false;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		int rc = sg_tls_conn_input(c->tls, buf, (size_t) n, on_plain, c);
		if (!c->tls_logged && sg_tls_conn_established(c->tls)) {
			c->tls_logged = true;
			say("CONN %u TLS version=%s cipher=%s records=%s", c->id,
			    sg_tls_conn_version(c->tls), sg_tls_conn_cipher(c->tls),
			    sg_tls_conn_fast(c->tls) ? "lib/tls" : "openssl");
		}
		if (rc == -ECONNRESET) {
			say("CONN %u TLS_CLOSE_NOTIFY", c->id);
			return false;
		}
		if (rc < 0) {
			say("CONN %u TLS_ERROR rc=%d", c->id, rc);
			return false;
		}
	}
}

/* Send queued ciphertext; false on a write error. */
static bool conn_flush(struct conn *c)
{
	while (sg_tls_conn_out_pending(c->tls) > 0) {
		size_t len;
		const uint8_t *p = sg_tls_conn_out_peek(c->tls, &len);
		ssize_t n = write(c->fd, p, len);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		sg_tls_conn_out_consume(c->tls, (size_t) n);
	}
	return true;
}

static int listen_on(const char *spec, uint16_t *port_out)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t alen = sizeof(sin);
	int one = 1, fd;

	if (colon == NULL || (size_t) (colon - spec) >= sizeof(host))
		return -1;
	memcpy(host, spec, (size_t) (colon - spec));
	host[colon - spec] = '\0';
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		return -1;
	sin.sin_port = htons((uint16_t) atoi(colon + 1));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *) &sin, sizeof(sin)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *) &sin, &alen) != 0) {
		close(fd);
		return -1;
	}
	*port_out = ntohs(sin.sin_port);
	return fd;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sg-sstp-testsrv --listen ADDR:PORT --cert PEM --key PEM --users FILE\n"
		"       [--hash sha256|sha1|both] [--no-binding] [--peer-ip A] [--local-ip A]\n"
		"       [--icmp-echo] [--hello SEC] [--max-calls N] [--timeout SEC] [--verbose]\n"
		"       [--tls12] [--flight-delay-ms MS] [--eap]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
					     {"cert", required_argument, NULL, 'c'},
					     {"key", required_argument, NULL, 'k'},
					     {"users", required_argument, NULL, 'u'},
					     {"hash", required_argument, NULL, 'H'},
					     {"no-binding", no_argument, NULL, 'B'},
					     {"peer-ip", required_argument, NULL, 'p'},
					     {"local-ip", required_argument, NULL, 'L'},
					     {"icmp-echo", no_argument, NULL, 'e'},
					     {"hello", required_argument, NULL, 'h'},
					     {"max-calls", required_argument, NULL, 'm'},
					     {"timeout", required_argument, NULL, 't'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"tls12", no_argument, NULL, '2'},
					     {"flight-delay-ms", required_argument, NULL, 'D'},
					     {"eap", no_argument, NULL, 'E'},
					     {NULL, 0, NULL, 0}};
	const char *listen_spec = NULL, *cert = NULL, *key = NULL, *users = NULL;
	bool eap = false;
	static struct srv s;
	struct in_addr a;
	uint32_t local_ip = 0xc0000201; /* 192.0.2.1 */
	double timeout = 0;
	int max_version = 0;
	char err[256];
	int o, lfd;
	uint16_t port;

	sg_sstp_server_config_init(&s.scfg);
	s.peer_ip = 0xc0000202; /* 192.0.2.2 */
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l':
			listen_spec = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'u':
			users = optarg;
			break;
		case 'H':
			if (strcmp(optarg, "sha256") == 0)
				s.scfg.hash_bitmask = SG_SSTP_HASH_SHA256;
			else if (strcmp(optarg, "sha1") == 0)
				s.scfg.hash_bitmask = SG_SSTP_HASH_SHA1;
			else if (strcmp(optarg, "both") == 0)
				s.scfg.hash_bitmask = SG_SSTP_HASH_SHA1 | SG_SSTP_HASH_SHA256;
			else
				usage();
			break;
		case 'B':
			s.scfg.require_crypto_binding = false;
			break;
		case 'p':
		case 'L':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			if (o == 'p')
				s.peer_ip = ntohl(a.s_addr);
			else
				local_ip = ntohl(a.s_addr);
			break;
		case 'e':
			s.icmp_echo = true;
			break;
		case 'h':
			s.scfg.timers.hello = (sg_usec_t) (atof(optarg) * 1e6);
			break;
		case 'm':
			s.max_calls = (unsigned) atoi(optarg);
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'v':
			s.verbose = true;
			break;
		case '2':
			max_version = TLS1_2_VERSION;
			break;
		case 'D':
			s.flight_delay = (sg_usec_t) atoi(optarg) * 1000u;
			break;
		case 'E':
			eap = true;
			break;
		default:
			usage();
		}
	}
	if (!listen_spec || !cert || !key || !users)
		usage();
	sg_log_set_handler(lib_log, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	struct sg_tls_conf tconf = {
	    .role = SG_TLS_SERVER, .certificate = cert, .key = key, .max_version = max_version};
	s.tls = sg_tls_ctx_create(&tconf, err, sizeof(err));
	if (s.tls == NULL) {
		fprintf(stderr, "sg-sstp-testsrv: TLS: %s\n", err);
		return 1;
	}
	/* The crypto binding's certificate hash: of the leaf lib/tls serves. */
	if (sg_tls_ctx_cert_hash(s.tls, SG_TLS_HASH_SHA1, s.scfg.cert_hash_sha1) != 0 ||
	    sg_tls_ctx_cert_hash(s.tls, SG_TLS_HASH_SHA256, s.scfg.cert_hash_sha256) != 0) {
		fprintf(stderr, "sg-sstp-testsrv: no certificate hash\n");
		return 1;
	}
	s.scfg.cert_hash_set = true;
	s.users = sg_aaa_local_load(users, err, sizeof(err));
	if (s.users == NULL) {
		fprintf(stderr, "sg-sstp-testsrv: users: %s\n", err);
		return 1;
	}
	if (eap) { /* EAP first (the local users file does EAP-MD5), the rest as fallback */
		s.pcfg.auth[0] = SG_PPP_AUTH_EAP;
		s.pcfg.auth[1] = SG_PPP_AUTH_MSCHAPV2;
		s.pcfg.auth[2] = SG_PPP_AUTH_PAP;
	}
	s.pcfg.role = SG_PPP_ROLE_SERVER;
	s.pcfg.local_ipv4 = local_ip;
	s.pcfg.disable_ipv6 = true;
	s.tcfg = (struct sg_tunnel_config){.sstp = &s.scfg, .ppp = &s.pcfg};
	lfd = listen_on(listen_spec, &port);
	if (lfd < 0) {
		fprintf(stderr, "sg-sstp-testsrv: cannot listen on %s: %s\n", listen_spec,
			strerror(errno));
		return 1;
	}
	say("LISTENING spec=%s port=%u hash_bitmask=0x%02x binding=%s", listen_spec, port,
	    s.scfg.hash_bitmask, s.scfg.require_crypto_binding ? "required" : "off");

	sg_usec_t end = timeout > 0 ? now_usec() + (sg_usec_t) (timeout * 1e6) : UINT64_MAX;
	while (!stop && now_usec() < end && (s.max_calls == 0 || s.calls_closed < s.max_calls)) {
		struct pollfd pfd[MAX_CONNS + 1];
		int slot_of[MAX_CONNS + 1];
		int nfds = 0, wait_ms = 1000;
		sg_usec_t now = now_usec(), next = end;

		pfd[nfds] = (struct pollfd){.fd = lfd, .events = POLLIN};
		slot_of[nfds++] = -1;
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = s.conns[i];
			if (c == NULL)
				continue;
			pfd[nfds] = (struct pollfd){.fd = c->fd, .events = POLLIN};
			if (sg_tls_conn_out_pending(c->tls) > 0 && now >= c->hold_until)
				pfd[nfds].events |= POLLOUT;
			if (now < c->hold_until && c->hold_until < next)
				next = c->hold_until;
			slot_of[nfds++] = i;
			sg_usec_t d = sg_tunnel_deadline(c->t);
			if (d < next)
				next = d;
		}
		if (next != UINT64_MAX)
			wait_ms = next <= now ? 0 : (int) ((next - now + 999) / 1000);
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (poll(pfd, (nfds_t) nfds, wait_ms) < 0 && errno != EINTR)
			break;
		for (int k = 0; k < nfds; k++) {
			if (slot_of[k] < 0) {
				if (pfd[k].revents & POLLIN)
					conn_accept(&s, lfd);
				continue;
			}
			struct conn *c = s.conns[slot_of[k]];
			bool ok = true;
			if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
				ok = conn_read(c);
			now = now_usec();
			if (ok && sg_tunnel_deadline(c->t) <= now)
				sg_tunnel_timer(c->t, now);
			if (now >= c->hold_until && !conn_flush(c))
				ok = false;
			if (!ok || (c->closing && sg_tls_conn_out_pending(c->tls) == 0))
				conn_free(&s, slot_of[k]);
		}
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (s.conns[i])
			conn_free(&s, i);
	say("EXIT calls=%u", s.calls_closed);
	close(lfd);
	sg_aaa_local_free(s.users);
	sg_tls_ctx_free(s.tls);
	return 0;
}
