/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-gw-client: a small SSTP client for the gateway's integration test and the lab,
 * built from the project's client-side parts over a kernel TCP socket: lib/tls
 * (client), lib/sstp (client state machine, crypto binding), lib/ppp (peer).
 *
 *   sg-gw-client -s 192.0.2.1 -u alice -p secret
 *                [-a pap|mschapv2|chap-md5|eap-md5|eap-mschapv2] [--bad-hlak]
 *                [--ping DST [--count N]] [--tun NAME [--route PREFIX]] [--hold SEC]
 *                [--stall tcp|tls|http] [--timeout SEC]
 *                [--ipv6 [--ping6 DST [--count6 N] [--hlim N] [--spoof6]]]
 *                [--stall tls-mid|sstp|ppp|auth] [--garbage tls-record|plain|sstp|ppp|spoof]
 *
 * Misbehaviour for the hostile tests: --stall stops talking at a phase (tls-mid: after
 * the ClientHello; sstp: after the HTTP reply, no CONNECT_REQUEST; ppp: after the
 * CONNECT_ACK, no LCP; auth: never answers the CHAP challenge) and waits for the server
 * to close. --garbage sends 10 bad units once the call is up (tls-record: random bytes
 * outside TLS; plain: random bytes inside TLS; sstp: malformed SSTP packets; ppp: SSTP
 * data packets with malformed PPP; spoof: pings from another source) and then carries on.
 *
 * Prints "HLAK zero|keys" when PPP authentication succeeded (--bad-hlak then binds with
 * a wrong key: the gateway must refuse the call) and "ADDRESS a.b.c.d" once IPCP is up
 * and the SSTP call is connected. With --ipv6 it runs IPv6CP too, sends a router
 * solicitation, checks the gateway's router
 * advertisement (hop limit 255, from fe80::<the gateway's IPv6CP id>, M/O clear, one
 * /64 with L and A) and prints "ADDRESS6 <prefix>:<our id>" (SLAAC); it answers echo
 * requests to that address. --ping6 pings DST from it ("PINGS6 got/sent"; with --hlim 1
 * the gateway's time-exceeded errors count instead), --spoof6 first sends one echo from
 * outside the prefix. With --tun the IPv6 packets go to the TUN device, whose link-local
 * address is fe80::<our id> and which accepts router advertisements (the kernel does
 * SLAAC from the gateway's RA). Exit 0 on
 * success (pings answered / held and disconnected cleanly / stalled connection closed
 * by the server), 2 when authentication was refused, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sg_ppp.h"
#include "sg_sstp.h"
#include "sg_tls.h"

struct client {
	int fd, tun;
	struct sg_tls_ctx *ctx;
	struct sg_tls_conn *tls;
	struct sg_sstp_client_config scfg;
	struct sg_sstp_client sc;
	struct sg_sstp_stats sstats;
	struct sg_ppp_config pcfg;
	struct sg_ppp_session *ppp;
	bool sstp_started, closed, auth_failed, ipcp_up, connected, printed, bad_hlak;
	uint32_t addr;
	uint32_t ping_dst;
	int ping_count, ping_sent, ping_got;
	const char *tun_name, *route;
	/* IPv6 */
	bool ipv6, ipv6cp_up, ra_ok, printed6, spoof6, tun6_done;
	uint64_t local_ifid, peer_ifid;
	uint8_t addr6[16], ping6_dst[16];
	bool has_ping6;
	int ping6_count, ping6_sent, ping6_got, time_exceeded, hlim, ras;
	const char *stall_at; /* hostile test: phase to stop talking at */
	bool stalled;	      /* reached it */
	uint32_t spoof;	      /* host order: source for spoofed pings (0: ours) */
};

static volatile sig_atomic_t stop;
static void on_sig(int s)
{
	(void) s;
	stop = 1;
}

static sg_usec_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sg_usec_t) ts.tv_sec * 1000000u + (sg_usec_t) ts.tv_nsec / 1000u;
}

static void flush_out(struct client *c)
{
	size_t len;
	const uint8_t *p;

	while ((p = sg_tls_conn_out_peek(c->tls, &len)) != NULL && len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				struct pollfd pf = {.fd = c->fd, .events = POLLOUT};
				poll(&pf, 1, 100);
				continue;
			}
			c->closed = true;
			return;
		}
		sg_tls_conn_out_consume(c->tls, (size_t) n);
	}
}

static void tls_send(struct client *c, const void *a, size_t alen, const void *b, size_t blen)
{
	struct iovec iov[2] = {{(void *) a, alen}, {(void *) b, blen}};

	if (sg_tls_conn_writev(c->tls, iov, blen ? 2 : 1) < 0)
		c->closed = true;
}

static void apply(struct client *c, const struct sg_sstp_result *r);

static void ppp_action(void *arg, const struct sg_ppp_action *a)
{
	struct client *c = arg;
	uint8_t hdr[SG_SSTP_HDR_LEN], hlak[32];
	struct sg_sstp_result r;

	switch (a->type) {
	case SG_PPP_ACT_SEND:
		if (sg_sstp_client_ppp_tx(&c->sc, a->frame, a->len, hdr) == 0)
			tls_send(c, hdr, sizeof(hdr), a->frame, a->len);
		break;
	case SG_PPP_ACT_AUTH_UP:
		printf("HLAK %s\n", sg_ppp_session_hlak(c->ppp, hlak) ? "keys" : "zero");
		fflush(stdout);
		if (c->bad_hlak)
			hlak[0] ^= 0x5a;
		if (sg_sstp_client_auth_done(&c->sc, hlak, now_us(), &r) == 0)
			apply(c, &r);
		break;
	case SG_PPP_ACT_IPCP_UP:
		c->ipcp_up = true;
		c->addr = a->info->local_ipv4;
		break;
	case SG_PPP_ACT_IPV6CP_UP:
		c->ipv6cp_up = true;
		c->local_ifid = a->info->local_ifid;
		c->peer_ifid = a->info->peer_ifid;
		break;
	case SG_PPP_ACT_FINISHED:
	case SG_PPP_ACT_LINK_DOWN:
		if (a->reason == SG_PPP_REASON_AUTH_FAILED)
			c->auth_failed = true;
		c->closed = true;
		break;
	default:
		break;
	}
}

static void deliver_ip(struct client *c, const uint8_t *ip, size_t len)
{
	if (c->tun >= 0) {
		if (write(c->tun, ip, len) < 0)
			perror("tun write");
		return;
	}
	/* ICMP echo reply to our ping */
	if (len >= 28 && ip[9] == IPPROTO_ICMP && ip[20] == 0 &&
	    memcmp(ip + 12, &c->ping_dst, 4) == 0)
		c->ping_got++;
}

static void deliver_ip6(struct client *c, const uint8_t *ip, size_t len);

/* IPv6 has nothing left to do (or was not asked for). */
static bool client6_done(const struct client *c)
{
	if (!c->ipv6)
		return true;
	if (!c->ra_ok)
		return false;
	if (!c->has_ping6 || c->tun >= 0)
		return true;
	if (c->hlim <= 1)
		return c->time_exceeded >= c->ping6_count || c->ping6_sent >= c->ping6_count * 3;
	return c->ping6_got >= c->ping6_count || c->ping6_sent >= c->ping6_count * 3;
}

static bool stall_is(const struct client *c, const char *phase)
{
	return c->stall_at != NULL && strcmp(c->stall_at, phase) == 0;
}

/* PPP protocol number of a frame (address/control and protocol field compression). */
static unsigned int ppp_proto(const uint8_t *f, size_t len)
{
	if (len >= 2 && f[0] == 0xff && f[1] == 0x03) {
		f += 2;
		len -= 2;
	}
	if (len >= 1 && (f[0] & 1))
		return f[0];
	return len >= 2 ? (unsigned int) (f[0] << 8 | f[1]) : 0;
}

static void apply(struct client *c, const struct sg_sstp_result *r)
{
	struct sg_ppp_packet pkt;

	if (stall_is(c, "ppp") && (r->actions & SG_SSTP_ACT_PPP_START)) {
		c->stalled = true; /* CONNECT_ACK in: never start LCP */
		return;
	}
	if (stall_is(c, "auth") && (r->actions & SG_SSTP_ACT_PPP_INPUT) &&
	    ppp_proto(r->ppp, r->ppp_len) == 0xc223) {
		c->stalled = true; /* the CHAP challenge: never answered */
		return;
	}
	if (r->actions & SG_SSTP_ACT_SEND)
		tls_send(c, r->tx, r->tx_len, NULL, 0);
	if (r->actions & SG_SSTP_ACT_PPP_START)
		sg_ppp_session_start(c->ppp, now_us());
	if (r->actions & SG_SSTP_ACT_PPP_INPUT) {
		int in = sg_ppp_session_input(c->ppp, r->ppp, r->ppp_len, now_us(), &pkt);
		if (in == SG_PPP_INPUT_IPV4)
			deliver_ip(c, r->ppp + pkt.offset, pkt.len);
		else if (in == SG_PPP_INPUT_IPV6)
			deliver_ip6(c, r->ppp + pkt.offset, pkt.len);
	}
	if (r->actions & SG_SSTP_ACT_DATA_OPEN)
		c->connected = true;
	if (r->actions & SG_SSTP_ACT_CLOSE)
		c->closed = true;
}

static void on_plain(void *arg, const uint8_t *data, size_t len)
{
	struct client *c = arg;

	while (len > 0 && !c->closed && !c->stalled) {
		struct sg_sstp_result r;
		int n = sg_sstp_client_rx(&c->sc, data, len, now_us(), &r);

		if (stall_is(c, "sstp") &&
		    sg_sstp_client_state(&c->sc) == SG_SSTP_ST_CONNECT_REQ_PENDING) {
			c->stalled = true; /* the HTTP reply is in: no CONNECT_REQUEST */
			return;
		}
		apply(c, &r);
		if (n <= 0)
			break;
		data += n;
		len -= (size_t) n;
	}
}

static void start_sstp(struct client *c)
{
	struct sg_sstp_result r;

	sg_tls_conn_peer_cert_hash(c->tls, SG_TLS_HASH_SHA1, c->scfg.cert_hash_sha1);
	sg_tls_conn_peer_cert_hash(c->tls, SG_TLS_HASH_SHA256, c->scfg.cert_hash_sha256);
	c->scfg.cert_hash_set = true;
	if (sg_sstp_client_start(&c->sc, &c->scfg, &c->sstats, now_us(), &r) < 0) {
		c->closed = true;
		return;
	}
	c->sstp_started = true;
	apply(c, &r);
}

static void send_ip(struct client *c, const uint8_t *ip, size_t len)
{
	uint8_t ppph[SG_PPP_HDR_MAX], sh[SG_SSTP_HDR_LEN], frame[4096];
	int n = sg_ppp_session_data_header(
	    c->ppp, (ip[0] >> 4) == 6 ? SG_PPP_PROTO_IPV6 : SG_PPP_PROTO_IPV4, ppph);

	if (n < 0 || len + (size_t) n > sizeof(frame))
		return;
	memcpy(frame, ppph, (size_t) n);
	memcpy(frame + n, ip, len);
	if (sg_sstp_client_ppp_tx(&c->sc, frame, (size_t) n + len, sh) == 0)
		tls_send(c, sh, sizeof(sh), frame, (size_t) n + len);
}

static uint16_t cksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t) (p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t) p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t) ~s;
}

static void send_ping(struct client *c)
{
	uint8_t ip[84] = {0};
	uint32_t src = htonl(c->spoof ? c->spoof : c->addr);
	uint16_t v;

	ip[0] = 0x45;
	ip[3] = sizeof(ip);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &c->ping_dst, 4);
	v = htons(cksum(ip, 20));
	memcpy(ip + 10, &v, 2);
	ip[20] = 8;
	ip[24] = 0x53;
	ip[25] = 0x47;
	ip[27] = (uint8_t) ++c->ping_sent;
	v = htons(cksum(ip + 20, sizeof(ip) - 20));
	memcpy(ip + 22, &v, 2);
	send_ip(c, ip, sizeof(ip));
}

/* ---- IPv6: router solicitation, RA check (SLAAC address), pings, echo answers ---- */

static uint16_t cksum6(const uint8_t *ip, const uint8_t *l4, size_t len)
{
	uint8_t ph[40 + 1500];
	size_t n = len < 1500 ? len : 1500;

	memcpy(ph, ip + 8, 32);
	ph[32] = (uint8_t) (len >> 24);
	ph[33] = (uint8_t) (len >> 16);
	ph[34] = (uint8_t) (len >> 8);
	ph[35] = (uint8_t) len;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = ip[6];
	memcpy(ph + 40, l4, n);
	return cksum(ph, 40 + n);
}

static void put_ifid(uint8_t *p, uint64_t id)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t) (id >> (56 - 8 * i));
}

static void ip6_header(uint8_t *ip, size_t plen, uint8_t hops, const uint8_t *src,
		       const uint8_t *dst)
{
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[4] = (uint8_t) (plen >> 8);
	ip[5] = (uint8_t) plen;
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = hops;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
}

static void send_icmp6(struct client *c, uint8_t *ip, size_t len)
{
	uint16_t v;

	ip[42] = ip[43] = 0;
	v = htons(cksum6(ip, ip + 40, len - 40));
	memcpy(ip + 42, &v, 2);
	send_ip(c, ip, len);
}

static void send_rs(struct client *c)
{
	static const uint8_t all_routers[16] = {0xff, 0x02, [15] = 2};
	uint8_t ip[48] = {0}, ll[16] = {0xfe, 0x80};

	put_ifid(ll + 8, c->local_ifid);
	ip6_header(ip, 8, 255, ll, all_routers);
	ip[40] = 133;
	send_icmp6(c, ip, sizeof(ip));
}

/* The gateway's RA: every property a Linux pppd client relies on for SLAAC. */
static void check_ra(struct client *c, const uint8_t *ip, size_t len)
{
	uint8_t gw_ll[16] = {0xfe, 0x80};
	size_t o = 56;
	bool prefix = false;

	put_ifid(gw_ll + 8, c->peer_ifid);
	if (len < 56 || ip[7] != 255 || memcmp(ip + 8, gw_ll, 16) != 0 || ip[41] != 0 ||
	    (ip[45] & 0xc0) != 0 || cksum6(ip, ip + 40, len - 40) != 0) {
		printf("RA_BAD hops %u code %u flags %02x\n", ip[7], ip[41], ip[45]);
		return;
	}
	while (o + 8 <= len && ip[o + 1] != 0 && o + ip[o + 1] * 8u <= len) {
		const uint8_t *p = ip + o;
		if (p[0] == 3 && p[1] == 4 && p[2] == 64 && (p[3] & 0xc0) == 0xc0) {
			memcpy(c->addr6, p + 16, 8);
			put_ifid(c->addr6 + 8, c->local_ifid);
			prefix = true;
		}
		o += p[1] * 8u;
	}
	if (!c->ra_ok && prefix) {
		char text[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, c->addr6, text, sizeof(text));
		printf("RA_OK router lifetime %u\nADDRESS6 %s\n", (unsigned) (ip[46] << 8 | ip[47]),
		       text);
		fflush(stdout);
	}
	c->ra_ok = c->ra_ok || prefix;
	c->ras += prefix;
}

static void deliver_ip6(struct client *c, const uint8_t *ip, size_t len)
{
	uint8_t reply[1500];

	if (len < 48 || len > sizeof(reply))
		return;
	if (ip[6] == IPPROTO_ICMPV6 && ip[40] == 134)
		check_ra(c, ip, len);
	if (c->tun >= 0) {
		if (write(c->tun, ip, len) < 0)
			perror("tun write");
		return;
	}
	if (ip[6] != IPPROTO_ICMPV6)
		return;
	if (ip[40] == 129 && c->has_ping6 && memcmp(ip + 8, c->ping6_dst, 16) == 0)
		c->ping6_got++;
	else if (ip[40] == 3 && len >= 88 && memcmp(ip + 48 + 24, c->ping6_dst, 16) == 0)
		c->time_exceeded++;
	else if (ip[40] == 128 && c->ra_ok && memcmp(ip + 24, c->addr6, 16) == 0) {
		memcpy(reply, ip, len);
		memcpy(reply + 24, ip + 8, 16);
		memcpy(reply + 8, c->addr6, 16);
		reply[7] = 64;
		reply[40] = 129;
		send_icmp6(c, reply, len);
	}
}

static void send_ping6(struct client *c, const uint8_t *src)
{
	uint8_t ip[40 + 64] = {0};

	ip6_header(ip, 64, (uint8_t) c->hlim, src, c->ping6_dst);
	ip[40] = 128;
	ip[44] = 0x53;
	ip[45] = 0x36;
	ip[47] = (uint8_t) ++c->ping6_sent;
	send_icmp6(c, ip, sizeof(ip));
}

static void tun6_configure(struct client *c)
{
	char cmd[384];
	uint8_t ll[16] = {0xfe, 0x80};
	char text[INET6_ADDRSTRLEN];

	put_ifid(ll + 8, c->local_ifid);
	inet_ntop(AF_INET6, ll, text, sizeof(text));
	snprintf(cmd, sizeof(cmd), "ip -6 addr add %s/64 dev %s", text, c->tun_name);
	if (system(cmd) != 0)
		fprintf(stderr, "sg-gw-client: %s failed\n", cmd);
}

static void client6_step(struct client *c, sg_usec_t t)
{
	static sg_usec_t next;

	if (!c->printed || !c->ipv6cp_up)
		return;
	if (!c->tun6_done) {
		c->tun6_done = true;
		if (c->tun >= 0)
			tun6_configure(c); /* the kernel solicits by itself */
		else
			send_rs(c);
	}
	if (!c->ra_ok || c->tun >= 0 || !c->has_ping6 || t < next || client6_done(c))
		return;
	if (c->spoof6) {
		uint8_t bogus[16] = {0x20, 0x01, 0x0d, 0xb8, 0xde, 0xad, [15] = 1};
		c->spoof6 = false;
		send_ping6(c, bogus);
		c->ping6_sent = 0;
	}
	send_ping6(c, c->addr6);
	next = t + 200000;
}

/* --garbage: one bad unit of the given kind (the call is up). */
static void send_garbage(struct client *c, const char *kind, uint64_t *rng)
{
	uint8_t b[256], sh[SG_SSTP_HDR_LEN];
	size_t i, n = 16 + (size_t) (*rng % 200);

	for (i = 0; i < sizeof(b); i++) {
		*rng ^= *rng << 13;
		*rng ^= *rng >> 7;
		*rng ^= *rng << 17;
		b[i] = (uint8_t) *rng;
	}
	if (strcmp(kind, "tls-record") == 0) {
		flush_out(c);
		if (send(c->fd, b, n, MSG_NOSIGNAL) < 0)
			c->closed = true;
	} else if (strcmp(kind, "plain") == 0) {
		tls_send(c, b, n, NULL, 0);
	} else if (strcmp(kind, "sstp") == 0) {
		/* version 1.0, control bit, a length that lies, then junk */
		b[0] = 0x10;
		b[1] = 0x01;
		b[2] = 0x00;
		b[3] = 0x04 + (uint8_t) (*rng & 3); /* shorter than a control header */
		tls_send(c, b, n, NULL, 0);
	} else if (strcmp(kind, "ppp") == 0) {
		static const uint8_t frames[][8] = {
		    {0xff, 0x03, 0x12, 0x34, 1, 2, 3, 4}, /* unknown protocol */
		    {0xff, 0x03, 0xc0, 0x21, 1, 9, 0, 200}, /* LCP, length beyond the frame */
		    {0xff, 0x03, 0xc0, 0x21, 0x77, 1, 0, 4}, /* LCP, unknown code */
		    {0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 99}, /* IPv4 truncated */
		};
		const uint8_t *f = frames[*rng % 4];
		if (sg_sstp_client_ppp_tx(&c->sc, f, 8, sh) == 0)
			tls_send(c, sh, sizeof(sh), f, 8);
	} else if (strcmp(kind, "spoof") == 0) {
		c->spoof = c->addr ^ 0x80;
		send_ping(c);
		c->spoof = 0;
		c->ping_sent--; /* not one of ours */
	}
}

static int tun_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void tun_configure(struct client *c)
{
	char cmd[256];
	struct in_addr a = {.s_addr = htonl(c->addr)};
	unsigned int mtu = sg_ppp_session_info(c->ppp)->peer_mru;

	snprintf(cmd, sizeof(cmd), "ip addr add %s/32 dev %s && ip link set %s mtu %u up",
		 inet_ntoa(a), c->tun_name, c->tun_name, mtu);
	if (system(cmd) != 0)
		fprintf(stderr, "sg-gw-client: %s failed\n", cmd);
	if (c->route != NULL) {
		snprintf(cmd, sizeof(cmd), "ip route add %s dev %s", c->route, c->tun_name);
		if (system(cmd) != 0)
			fprintf(stderr, "sg-gw-client: %s failed\n", cmd);
	}
}

static int connect_to(const char *server, int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, server, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
		perror("connect");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Wait until the server closes a connection we stopped talking on. */
static int stall(struct client *c, int timeout_s)
{
	sg_usec_t end = now_us() + (sg_usec_t) timeout_s * 1000000u;
	uint8_t buf[4096];

	while (now_us() < end) {
		struct pollfd pf = {.fd = c->fd, .events = POLLIN};
		if (poll(&pf, 1, 200) > 0) {
			ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				printf("CLOSED_BY_SERVER\n");
				return 0;
			}
		}
	}
	printf("STILL_OPEN\n");
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"server", required_argument, NULL, 's'},
	    {"port", required_argument, NULL, 'P'},
	    {"user", required_argument, NULL, 'u'},
	    {"password", required_argument, NULL, 'p'},
	    {"auth", required_argument, NULL, 'a'},
	    {"ping", required_argument, NULL, 'i'},
	    {"count", required_argument, NULL, 'n'},
	    {"tun", required_argument, NULL, 't'},
	    {"route", required_argument, NULL, 'r'},
	    {"hold", required_argument, NULL, 'H'},
	    {"stall", required_argument, NULL, 'S'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"ipv6", no_argument, NULL, '6'},
	    {"ping6", required_argument, NULL, 'I'},
	    {"count6", required_argument, NULL, 'N'},
	    {"hlim", required_argument, NULL, 'L'},
	    {"spoof6", no_argument, NULL, 'X'},
	    {"garbage", required_argument, NULL, 'G'},
	    {"bad-hlak", no_argument, NULL, 'B'},
	    {NULL, 0, NULL, 0},
	};
	const char *server = "192.0.2.1", *user = "", *password = "", *stall_at = NULL;
	const char *garbage = NULL;
	int garbage_left = 10;
	uint64_t rng = (uint64_t) getpid() * 0x9e3779b97f4a7c15ull | 1;
	sg_usec_t next_garbage = 0;
	struct sg_tls_conf tconf = {.role = SG_TLS_CLIENT};
	int port = 443, hold = 0, timeout = 30, opt, rc = 1;
	struct client cl, *c = &cl;
	char err[256];
	sg_usec_t end, next_ping = 0, hold_end = 0;
	bool disconnecting = false;

	memset(c, 0, sizeof(*c));
	c->tun = -1;
	c->ping_count = 3;
	c->ping6_count = 3;
	c->hlim = 64;
	sg_sstp_client_config_init(&c->scfg, "sstpgw.example");
	c->pcfg.role = SG_PPP_ROLE_PEER;
	c->pcfg.want_dns = true;
	c->pcfg.disable_ipv6 = true;
	while ((opt = getopt_long(argc, argv, "s:u:p:a:", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			server = optarg;
			break;
		case 'P':
			port = atoi(optarg);
			break;
		case 'u':
			user = optarg;
			break;
		case 'p':
			password = optarg;
			break;
		case 'a':
			c->pcfg.auth[0] = strcmp(optarg, "pap") == 0	    ? SG_PPP_AUTH_PAP
					  : strcmp(optarg, "chap-md5") == 0 ? SG_PPP_AUTH_CHAP_MD5
					  : strncmp(optarg, "eap", 3) == 0  ? SG_PPP_AUTH_EAP
									    : SG_PPP_AUTH_MSCHAPV2;
			c->pcfg.eap_type = strcmp(optarg, "eap-md5") == 0 ? SG_EAP_TYPE_MD5
					   : strcmp(optarg, "eap-mschapv2") == 0
					       ? SG_EAP_TYPE_MSCHAPV2
					       : 0;
			break;
		case 'B':
			c->bad_hlak = true;
			break;
		case 'i':
			inet_pton(AF_INET, optarg, &c->ping_dst);
			break;
		case 'n':
			c->ping_count = atoi(optarg);
			break;
		case 't':
			c->tun_name = optarg;
			break;
		case 'r':
			c->route = optarg;
			break;
		case 'H':
			hold = atoi(optarg);
			break;
		case 'S':
			stall_at = optarg;
			break;
		case 'T':
			timeout = atoi(optarg);
			break;
		case '6':
			c->ipv6 = true;
			break;
		case 'I':
			c->has_ping6 = inet_pton(AF_INET6, optarg, c->ping6_dst) == 1;
			break;
		case 'N':
			c->ping6_count = atoi(optarg);
			break;
		case 'L':
			c->hlim = atoi(optarg);
			break;
		case 'X':
			c->spoof6 = true;
			break;
		case 'G':
			garbage = optarg;
			break;
		default:
			return 1;
		}
	}
	c->pcfg.disable_ipv6 = !c->ipv6;
	c->pcfg.user = user;
	c->pcfg.password = password;
	c->stall_at = stall_at;
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	signal(SIGPIPE, SIG_IGN);
	if (c->tun_name != NULL && (c->tun = tun_open(c->tun_name)) < 0) {
		perror("tun");
		return 1;
	}
	if (c->tun >= 0 && c->ipv6) {
		/* before the link is up: no kernel-made link-local (ours is fe80::<IPv6CP id>,
		 * which SLAAC then reuses, as on ppp0); accept RAs even on a forwarding host */
		char cmd[256];
		snprintf(cmd, sizeof(cmd),
			 "sysctl -qw net.ipv6.conf.%s.addr_gen_mode=1 net.ipv6.conf.%s.accept_ra=2",
			 c->tun_name, c->tun_name);
		if (system(cmd) != 0)
			fprintf(stderr, "sg-gw-client: %s failed\n", cmd);
	}
	c->ctx = sg_tls_ctx_create(&tconf, err, sizeof(err));
	c->ppp = sg_ppp_session_new(&c->pcfg, ppp_action, c);
	if (c->ctx == NULL || c->ppp == NULL) {
		fprintf(stderr, "sg-gw-client: setup: %s\n", err);
		return 1;
	}
	c->fd = connect_to(server, port);
	if (c->fd < 0)
		return 1;
	if (stall_at != NULL && strcmp(stall_at, "tcp") == 0)
		return stall(c, timeout);
	c->tls = sg_tls_conn_new(c->ctx);
	flush_out(c);
	if (stall_is(c, "tls-mid")) { /* the ClientHello went out; wait for the answer */
		struct pollfd pf = {.fd = c->fd, .events = POLLIN};
		poll(&pf, 1, 5000);
		return stall(c, timeout);
	}
	end = now_us() + (sg_usec_t) timeout * 1000000u;
	while (!c->closed && now_us() < end) {
		struct pollfd pf[2] = {{.fd = c->fd, .events = POLLIN},
				       {.fd = c->tun, .events = POLLIN}};
		uint8_t buf[16384];
		sg_usec_t t = now_us();
		struct sg_sstp_result r;

		if (c->sstp_started && t >= sg_sstp_client_deadline(&c->sc)) {
			sg_sstp_client_timer(&c->sc, t, &r);
			apply(c, &r);
		}
		if (t >= sg_ppp_session_deadline(c->ppp))
			sg_ppp_session_timer(c->ppp, t);
		if (c->connected && c->ipcp_up && !c->printed) {
			struct in_addr a = {.s_addr = htonl(c->addr)};
			printf("ADDRESS %s\n", inet_ntoa(a));
			fflush(stdout);
			c->printed = true;
			if (c->tun >= 0)
				tun_configure(c);
			hold_end = t + (sg_usec_t) hold * 1000000u;
		}
		if (c->ipv6)
			client6_step(c, t);
		if (c->stalled) {
			flush_out(c);
			return stall(c, timeout);
		}
		if (c->printed && garbage != NULL && garbage_left > 0 && t >= next_garbage) {
			send_garbage(c, garbage, &rng);
			garbage_left--;
			next_garbage = t + 100000;
		}
		if (c->printed && c->ping_dst != 0 && c->ping_got < c->ping_count &&
		    c->ping_sent < c->ping_count * 3 && t >= next_ping) {
			send_ping(c);
			next_ping = t + 200000;
		}
		if (c->printed && !disconnecting &&
		    (stop || (client6_done(c) && ((c->ping_dst != 0 && c->ping_got >= c->ping_count) ||
						  (c->ping_dst == 0 && t >= hold_end))))) {
			disconnecting = true;
			sg_sstp_client_disconnect(&c->sc, t, &r);
			apply(c, &r);
		}
		flush_out(c);
		if (poll(pf, c->tun >= 0 ? 2 : 1, 20) <= 0)
			continue;
		if (pf[0].revents) {
			ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				c->closed = true;
				break;
			}
			if (n > 0) {
				if (stall_at != NULL && strcmp(stall_at, "tls") == 0 &&
				    sg_tls_conn_established(c->tls))
					return stall(c, timeout);
				if (sg_tls_conn_input(c->tls, buf, (size_t) n, on_plain, c) < 0)
					c->closed = true;
				if (sg_tls_conn_established(c->tls) && !c->sstp_started) {
					if (stall_at != NULL && strcmp(stall_at, "tls") == 0) {
						flush_out(c);
						return stall(c, timeout);
					}
					start_sstp(c);
					if (stall_at != NULL && strcmp(stall_at, "http") == 0) {
						flush_out(c);
						return stall(c, timeout);
					}
				}
			}
		}
		if (c->tun >= 0 && pf[1].revents && c->printed) {
			for (int k = 0; k < 64; k++) {
				ssize_t n = read(c->tun, buf, sizeof(buf));
				if (n <= 0)
					break;
				if ((buf[0] >> 4) == 4 || ((buf[0] >> 4) == 6 && c->ipv6cp_up))
					send_ip(c, buf, (size_t) n);
			}
		}
	}
	flush_out(c);
	if (c->auth_failed) {
		printf("AUTH_REFUSED\n");
		rc = 2;
	} else if (c->ping_dst != 0) {
		printf("PINGS %d/%d\n", c->ping_got, c->ping_sent);
		rc = c->printed && c->ping_got >= c->ping_count ? 0 : 1;
	} else if (c->ipv6) {
		rc = c->printed && disconnecting && c->ra_ok ? 0 : 1;
	} else {
		rc = c->printed && disconnecting ? 0 : 1;
	}
	if (c->ipv6 && c->has_ping6) {
		printf("PINGS6 %d/%d TIME_EXCEEDED %d\n", c->ping6_got, c->ping6_sent,
		       c->time_exceeded);
		if (!client6_done(c) || (c->hlim > 1 ? c->ping6_got : c->time_exceeded) <
					    c->ping6_count)
			rc = 1;
	}
	if (c->ipv6)
		printf("RAS %d\n", c->ras);
	if (c->ipv6 && !c->ra_ok)
		rc = 1;
	if (c->printed && disconnecting && sg_sstp_client_state(&c->sc) != SG_SSTP_ST_CLOSED &&
	    rc == 0)
		printf("DISCONNECT_STATE %d\n", (int) sg_sstp_client_state(&c->sc));
	close(c->fd);
	sg_tls_conn_free(c->tls);
	sg_tls_ctx_free(c->ctx);
	sg_ppp_session_free(c->ppp);
	sg_sstp_client_fini(&c->sc);
	return rc;
}
