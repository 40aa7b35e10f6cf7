/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sg-sstpc-peer: drive the real Linux SSTP client (sstpc --nolaunchpppd) with lib/ppp's
 * peer role instead of pppd, so sstpc's TLS, HTTP, SSTP and crypto binding code can be
 * tested against our server without kernel PPP.
 *
 *   sg-sstpc-peer --server 127.0.0.1:4443 --user alice --password secret
 *                 [--auth mschapv2|pap] [--ping N] [--ping-dst A] [--tun NAME]
 *                 [--hold SEC|forever] [--corrupt-keys] [--timeout SEC]
 *                 [--ipparam ID] [--sstpc PATH] [--sstpc-log-level N] [--ipv6]
 *
 * sstpc runs as a child with fd 0 and 1 on one end of a socketpair; it carries PPP in
 * RFC 1662 async HDLC framing there. On the other end lib/ppp runs in the peer role
 * over lib/ppp's HDLC codec. When authentication succeeds this program plays sstpc's
 * pppd plugin: it connects to /var/run/sstpc/sstpc-<ipparam> and reports the MPPE keys
 * (MS-CHAPv2) or none (PAP), after which sstpc sends SSTP CALL_CONNECTED with the crypto
 * binding. Then: optional pings to the server's IPCP address, optional TUN device
 * carrying the kernel's IPv4 packets through the tunnel, a hold time, and a clean
 * disconnect (LCP Terminate). --ipv6 runs IPv6CP as well; with --tun the device gets
 * fe80::<our interface id> and accepts router advertisements, so the kernel configures
 * its address from the server's RA (SLAAC) and its IPv6 packets cross the tunnel too.
 *
 * stdout gets one line per event ("PEER AUTH_UP ...", "PEER IPCP_UP ...",
 * "PEER PING sent=3 replies=3", "PEER SSTPC_EXIT status=..", "PEER RESULT ok|fail ...").
 * sstpc's own log goes to stderr. Exit status 0 only if everything asked for happened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "inet_cksum.h"
#include "sg_log.h"
#include "sg_ppp.h"
#include "sg_ppp_hdlc.h"
#include "sstpc_plugin_msg.h"

#define OUT_CAP	   (256 * 1024)
#define PING_GAP   (200 * 1000)	 /* between echo requests */
#define PING_WAIT  (3000 * 1000) /* for replies after the last request */
#define FINISH_MAX (8000 * 1000) /* LCP terminate exchange */
#define EXIT_WAIT  (5000 * 1000) /* for sstpc to exit on its own */

enum phase { PH_NEGOTIATE, PH_PING, PH_HOLD, PH_CLOSING, PH_WAIT_EXIT, PH_DONE };

struct peer {
	/* options */
	const char *sstpc, *server, *ipparam, *tun_name, *user, *password, *log_level;
	enum sg_ppp_auth_method method;
	int ping_n;
	uint32_t ping_dst;
	double hold; /* seconds; < 0 forever (until SIGINT/SIGTERM) */
	bool corrupt_keys;
	bool ipv6;
	/* runtime */
	sg_usec_t t0;
	pid_t child;
	int child_status;
	bool child_exited;
	int sock, tun;
	struct sg_ppp_config pcfg;
	struct sg_ppp_session *ppp;
	struct sg_ppp_hdlc_decoder dec;
	uint8_t out[OUT_CAP];
	size_t out_len;
	enum phase phase;
	bool auth_up, auth_failed, plugin_acked, ipcp_up, ipv6cp_up, finished, sock_eof;
	enum sg_ppp_reason finish_reason;
	uint32_t local_ip, server_ip;
	uint16_t peer_mru;
	int ping_sent, ping_replies;
	uint8_t ping_seen[256];
	sg_usec_t phase_deadline, next_ping;
	uint64_t tun_rx, tun_tx, drop_txfull, drop_nonipv4, hdlc_bad;
	bool failed;
	char fail_why[128];
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static sg_usec_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sg_usec_t) ts.tv_sec * 1000000u + (sg_usec_t) ts.tv_nsec / 1000u;
}

static struct peer P;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("PEER t=%u ", (unsigned) ((now_usec() - P.t0) / 1000u));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void fail(const char *why)
{
	if (!P.failed) {
		P.failed = true;
		snprintf(P.fail_why, sizeof(P.fail_why), "%s", why);
		say("FAIL %s", why);
	}
}

static void lib_log(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void) arg;
	fprintf(stderr, "peer lib[%d] level %d: %s\n", (int) lib, (int) level, line);
}

static const char *ip_str(uint32_t host_order, char *buf)
{
	struct in_addr a = {.s_addr = htonl(host_order)};

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* ---- towards sstpc (HDLC on the socketpair) ---- */

static void out_flush(void)
{
	while (P.out_len > 0) {
		ssize_t n = write(P.sock, P.out, P.out_len);
		if (n <= 0)
			return; /* EAGAIN: poll for POLLOUT; errors show up as EOF on read */
		memmove(P.out, P.out + n, P.out_len - (size_t) n);
		P.out_len -= (size_t) n;
	}
}

/* HDLC-encode one PPP frame into the output queue. Data frames yield to control frames
 * when the queue is half full (sstpc is not reading). */
static void send_frame(const uint8_t *frame, size_t len, bool data)
{
	size_t room = OUT_CAP - P.out_len;
	int n;

	if ((data && P.out_len > OUT_CAP / 2) || room < sg_ppp_hdlc_encoded_max(len)) {
		P.drop_txfull++;
		return;
	}
	n = sg_ppp_hdlc_encode(frame, len, SG_HDLC_ACCM_ALL, P.out + P.out_len, room);
	if (n > 0)
		P.out_len += (size_t) n;
	out_flush();
}

/* Send an IPv4 packet through the tunnel. */
static void send_ipv4(const uint8_t *ip, size_t len)
{
	uint8_t frame[SG_PPP_HDR_MAX + 4096];
	bool v6 = len > 0 && (ip[0] >> 4) == 6;
	int h;

	if (!(v6 ? sg_ppp_session_ipv6_open(P.ppp) : sg_ppp_session_ipv4_open(P.ppp)) ||
	    len > 4096 || len > P.peer_mru)
		return;
	h = sg_ppp_session_data_header(P.ppp, v6 ? SG_PPP_PROTO_IPV6 : SG_PPP_PROTO_IPV4, frame);
	memcpy(frame + h, ip, len);
	send_frame(frame, (size_t) h + len, true);
}

/* ---- the pppd plugin's message to sstpc ---- */

static void plugin_notify(const struct sg_ppp_info *info)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	uint8_t msg[SSTPC_PLUGIN_MSG_MAX], ack[SSTPC_PLUGIN_HDR_LEN];
	struct timeval tv = {.tv_sec = 3};
	uint8_t send_key[16], recv_key[16];
	size_t len;
	int fd, got = 0;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "/var/run/sstpc/sstpc-%s", P.ipparam);
	if (info->has_keys) {
		memcpy(send_key, info->send_key, 16);
		memcpy(recv_key, info->recv_key, 16);
		if (P.corrupt_keys)
			send_key[3] ^= 0x10;
	}
	len = sstpc_plugin_msg_auth(msg, info->has_keys ? send_key : NULL,
				    info->has_keys ? recv_key : NULL, 16);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		fail("plugin socket");
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0) {
		fail("cannot connect to sstpc's plugin socket");
		close(fd);
		return;
	}
	if (write(fd, msg, len) != (ssize_t) len) {
		fail("plugin message not sent");
		close(fd);
		return;
	}
	while (got < (int) sizeof(ack)) {
		ssize_t n = read(fd, ack + got, sizeof(ack) - (size_t) got);
		if (n <= 0)
			break;
		got += (int) n;
	}
	close(fd);
	explicit_bzero(msg, sizeof(msg));
	explicit_bzero(send_key, sizeof(send_key));
	explicit_bzero(recv_key, sizeof(recv_key));
	if (got != (int) sizeof(ack) ||
	    sstpc_plugin_msg_type(ack, sizeof(ack)) != SSTPC_PLUGIN_ACK) {
		fail("sstpc did not acknowledge the plugin message");
		return;
	}
	P.plugin_acked = true;
	say("PLUGIN_ACK keys=%s%s", info->has_keys ? "mppe" : "none",
	    P.corrupt_keys && info->has_keys ? " corrupted=1" : "");
}

/* ---- TUN ---- */

static int tun_open(const char *name)
{
	struct ifreq ifr = {0};
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* IPv6 on the TUN: no kernel-made link-local, accept RAs even when forwarding. */
static void tun6_sysctl(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "sysctl -qw net.ipv6.conf.%s.addr_gen_mode=1 "
		 "net.ipv6.conf.%s.accept_ra=2", P.tun_name, P.tun_name);
	if (system(cmd) != 0)
		fail("cannot set the TUN's IPv6 sysctls");
}

/* fe80::<id>/64 on the TUN (struct in6_ifreq of linux/ipv6.h). */
static int tun6_link_local(uint64_t ifid)
{
	struct {
		struct in6_addr addr;
		uint32_t prefixlen;
		int ifindex;
	} r = {.prefixlen = 64, .ifindex = (int) if_nametoindex(P.tun_name)};
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (s < 0)
		return -1;
	r.addr.s6_addr[0] = 0xfe;
	r.addr.s6_addr[1] = 0x80;
	for (int i = 0; i < 8; i++)
		r.addr.s6_addr[8 + i] = (uint8_t) (ifid >> (56 - 8 * i));
	rc = ioctl(s, SIOCSIFADDR, &r);
	close(s);
	return rc;
}

static int tun_config(bool up)
{
	struct ifreq ifr = {0};
	struct sockaddr_in *sin = (struct sockaddr_in *) &ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", P.tun_name);
	if (up) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(P.local_ip);
		rc |= ioctl(s, SIOCSIFADDR, &ifr);
		sin->sin_addr.s_addr = htonl(P.server_ip);
		rc |= ioctl(s, SIOCSIFDSTADDR, &ifr);
		ifr.ifr_mtu = P.peer_mru;
		rc |= ioctl(s, SIOCSIFMTU, &ifr);
	}
	rc |= ioctl(s, SIOCGIFFLAGS, &ifr);
	if (up)
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING | IFF_POINTOPOINT;
	else
		ifr.ifr_flags &= ~IFF_UP;
	rc |= ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return rc ? -1 : 0;
}

static void tun_read(void)
{
	uint8_t pkt[4096];

	for (int i = 0; i < 64; i++) {
		ssize_t n = read(P.tun, pkt, sizeof(pkt));
		if (n <= 0)
			return;
		if ((pkt[0] >> 4) != 4 && !((pkt[0] >> 4) == 6 && P.ipv6cp_up)) {
			P.drop_nonipv4++;
			continue;
		}
		P.tun_rx++;
		send_ipv4(pkt, (size_t) n);
	}
}

/* ---- ping ---- */

static void ping_send(int seq)
{
	uint8_t ip[84] = {0x45, 0, 0, 84, 0, 0, 0x40, 0, 64, 1};
	uint32_t src = htonl(P.local_ip), dst = htonl(P.ping_dst ? P.ping_dst : P.server_ip);
	uint16_t id = (uint16_t) getpid(), ck;

	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	ip[4] = (uint8_t) (seq >> 8);
	ip[5] = (uint8_t) seq;
	ck = inet_cksum(ip, 20);
	ip[10] = (uint8_t) (ck >> 8);
	ip[11] = (uint8_t) ck;
	ip[20] = 8; /* echo request */
	ip[24] = (uint8_t) (id >> 8);
	ip[25] = (uint8_t) id;
	ip[26] = (uint8_t) (seq >> 8);
	ip[27] = (uint8_t) seq;
	for (int i = 28; i < 84; i++)
		ip[i] = (uint8_t) i;
	ck = inet_cksum(ip + 20, 64);
	ip[22] = (uint8_t) (ck >> 8);
	ip[23] = (uint8_t) ck;
	send_ipv4(ip, sizeof(ip));
}

/* An IPv4 packet from the tunnel: our ping's reply, or for the TUN. */
static void ipv4_in(const uint8_t *ip, size_t len)
{
	size_t ihl = (size_t) (ip[0] & 0x0f) * 4;

	if (len >= 20 && ihl >= 20 && len >= ihl + 8 && ip[9] == 1 && ip[ihl] == 0 &&
	    ip[ihl + 4] == (uint8_t) (getpid() >> 8) && ip[ihl + 5] == (uint8_t) getpid() &&
	    inet_cksum(ip + ihl, len - ihl) == 0) {
		unsigned seq = (unsigned) (ip[ihl + 6] << 8 | ip[ihl + 7]);
		if (seq < sizeof(P.ping_seen) && !P.ping_seen[seq]) {
			P.ping_seen[seq] = 1;
			P.ping_replies++;
		}
		return;
	}
	if (P.tun >= 0 && write(P.tun, ip, len) == (ssize_t) len)
		P.tun_tx++;
}

/* ---- PPP ---- */

static void ppp_action(void *arg, const struct sg_ppp_action *a)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	(void) arg;

	switch (a->type) {
	case SG_PPP_ACT_SEND:
		send_frame(a->frame, a->len, false);
		break;
	case SG_PPP_ACT_AUTH_UP:
		P.auth_up = true;
		say("AUTH_UP method=%s keys=%s",
		    a->info->auth == SG_PPP_AUTH_PAP	    ? "PAP"
		    : a->info->auth == SG_PPP_AUTH_MSCHAPV2 ? "MSCHAPV2"
							    : "OTHER",
		    a->info->has_keys ? "yes" : "no");
		plugin_notify(a->info);
		break;
	case SG_PPP_ACT_IPCP_UP:
		P.ipcp_up = true;
		P.local_ip = a->info->local_ipv4;
		P.server_ip = a->info->peer_ipv4;
		P.peer_mru = a->info->peer_mru;
		say("IPCP_UP local=%s peer=%s mru=%u peer_mru=%u", ip_str(P.local_ip, l),
		    ip_str(P.server_ip, r), a->info->mru, a->info->peer_mru);
		if (P.tun >= 0 && tun_config(true) != 0)
			fail("cannot configure the TUN device");
		break;
	case SG_PPP_ACT_IPV6CP_UP:
		P.ipv6cp_up = true;
		say("IPV6CP_UP local_ifid=%016llx peer_ifid=%016llx",
		    (unsigned long long) a->info->local_ifid, (unsigned long long) a->info->peer_ifid);
		if (P.tun >= 0 && tun6_link_local(a->info->local_ifid) != 0)
			fail("cannot put the link-local address on the TUN device");
		break;
	case SG_PPP_ACT_IPCP_DOWN:
		say("IPCP_DOWN");
		if (P.tun >= 0)
			tun_config(false);
		break;
	case SG_PPP_ACT_LINK_DOWN:
		say("LINK_DOWN reason=%d", (int) a->reason);
		if (a->reason == SG_PPP_REASON_AUTH_FAILED)
			P.auth_failed = true;
		break;
	case SG_PPP_ACT_FINISHED:
		P.finished = true;
		P.finish_reason = a->reason;
		say("PPP_FINISHED reason=%d", (int) a->reason);
		if (a->reason == SG_PPP_REASON_AUTH_FAILED)
			P.auth_failed = true;
		break;
	default:
		break;
	}
}

static void sock_read(sg_usec_t now)
{
	uint8_t buf[16384];
	ssize_t n = read(P.sock, buf, sizeof(buf));
	size_t off = 0;

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		P.sock_eof = true;
		say("SSTPC_EOF");
		return;
	}
	while (n > 0 && off < (size_t) n) {
		size_t used = 0;
		int f = sg_ppp_hdlc_decode(&P.dec, buf + off, (size_t) n - off, &used);
		struct sg_ppp_packet pkt;

		off += used;
		if (f < 0) {
			P.hdlc_bad++;
			continue;
		}
		if (f == 0)
			break;
		switch (sg_ppp_session_input(P.ppp, P.dec.buf, (size_t) f, now, &pkt)) {
		case SG_PPP_INPUT_IPV4:
			ipv4_in(P.dec.buf + pkt.offset, pkt.len);
			break;
		case SG_PPP_INPUT_IPV6: /* router advertisements included: the kernel's */
			if (P.tun >= 0 && write(P.tun, P.dec.buf + pkt.offset, pkt.len) == pkt.len)
				P.tun_tx++;
			break;
		default:
			break;
		}
		if (used == 0 && f == 0)
			break;
	}
}

/* ---- sstpc ---- */

static pid_t spawn_sstpc(int child_end)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/* Its own process group: a terminal's Ctrl-C reaches only us, and we disconnect
	 * cleanly; if we die, sstpc follows (and sees EOF on fd 0 anyway). */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	dup2(child_end, 0);
	dup2(child_end, 1);
	if (child_end > 1)
		close(child_end);
	execl(P.sstpc, P.sstpc, "--nolaunchpppd", "--cert-warn", "--log-stderr", "--log-level",
	      P.log_level, "--ipparam", P.ipparam, P.server, (char *) NULL);
	fprintf(stderr, "sg-sstpc-peer: exec %s: %s\n", P.sstpc, strerror(errno));
	_exit(127);
}

static void reap(void)
{
	int st;

	if (P.child_exited || waitpid(P.child, &st, WNOHANG) != P.child)
		return;
	P.child_exited = true;
	P.child_status = st;
	if (WIFEXITED(st))
		say("SSTPC_EXIT status=%d", WEXITSTATUS(st));
	else
		say("SSTPC_EXIT signal=%d", WTERMSIG(st));
}

static void stop_child(void)
{
	for (int i = 0; i < 40 && !P.child_exited; i++) { /* EOF first, then signals */
		if (i == 0 && P.sock >= 0) {
			close(P.sock);
			P.sock = -1;
		}
		if (i == 20)
			kill(P.child, SIGTERM);
		if (i == 35)
			kill(P.child, SIGKILL);
		usleep(100 * 1000);
		reap();
	}
	if (!P.child_exited) {
		waitpid(P.child, NULL, 0);
		P.child_exited = true;
	}
	/* sstpc removes its plugin socket when it exits normally, not when killed. */
	char path[108];
	snprintf(path, sizeof(path), "/var/run/sstpc/sstpc-%s", P.ipparam);
	unlink(path);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sg-sstpc-peer --server HOST[:PORT] --user U --password P\n"
		"       [--auth mschapv2|pap] [--ping N] [--ping-dst A] [--tun NAME]\n"
		"       [--hold SEC|forever] [--corrupt-keys] [--timeout SEC] [--ipparam ID]\n"
		"       [--sstpc PATH] [--sstpc-log-level N] [--ipv6]\n");
	exit(2);
}

static void parse_args(int argc, char **argv, double *timeout)
{
	static const struct option opts[] = {{"server", required_argument, NULL, 's'},
					     {"user", required_argument, NULL, 'u'},
					     {"password", required_argument, NULL, 'p'},
					     {"auth", required_argument, NULL, 'a'},
					     {"ping", required_argument, NULL, 'n'},
					     {"ping-dst", required_argument, NULL, 'd'},
					     {"tun", required_argument, NULL, 'T'},
					     {"hold", required_argument, NULL, 'h'},
					     {"corrupt-keys", no_argument, NULL, 'C'},
					     {"timeout", required_argument, NULL, 't'},
					     {"ipparam", required_argument, NULL, 'i'},
					     {"sstpc", required_argument, NULL, 'x'},
					     {"sstpc-log-level", required_argument, NULL, 'L'},
					     {"ipv6", no_argument, NULL, '6'},
					     {NULL, 0, NULL, 0}};
	static char ipparam[32];
	struct in_addr a;
	int o;

	P.sstpc = "/usr/sbin/sstpc";
	P.method = SG_PPP_AUTH_MSCHAPV2;
	P.log_level = "2";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			P.server = optarg;
			break;
		case 'u':
			P.user = optarg;
			break;
		case 'p':
			P.password = optarg;
			break;
		case 'a':
			if (strcmp(optarg, "mschapv2") == 0)
				P.method = SG_PPP_AUTH_MSCHAPV2;
			else if (strcmp(optarg, "pap") == 0)
				P.method = SG_PPP_AUTH_PAP;
			else
				usage();
			break;
		case 'n':
			P.ping_n = atoi(optarg);
			if (P.ping_n < 0 || P.ping_n > 255)
				usage();
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			P.ping_dst = ntohl(a.s_addr);
			break;
		case '6':
			P.ipv6 = true;
			break;
		case 'T':
			P.tun_name = optarg;
			break;
		case 'h':
			P.hold = strcmp(optarg, "forever") == 0 ? -1 : atof(optarg);
			break;
		case 'C':
			P.corrupt_keys = true;
			break;
		case 't':
			*timeout = atof(optarg);
			break;
		case 'i':
			P.ipparam = optarg;
			break;
		case 'x':
			P.sstpc = optarg;
			break;
		case 'L':
			P.log_level = optarg;
			break;
		default:
			usage();
		}
	}
	if (!P.server || !P.user || !P.password || optind != argc)
		usage();
	if (!P.ipparam) {
		snprintf(ipparam, sizeof(ipparam), "sgpeer-%d", (int) getpid());
		P.ipparam = ipparam;
	}
}

/* Advance the script: pings, hold, disconnect. */
static void step(sg_usec_t now)
{
	switch (P.phase) {
	case PH_NEGOTIATE:
		if (!P.ipcp_up)
			return;
		P.phase = PH_PING;
		P.next_ping = now;
		P.phase_deadline = UINT64_MAX;
		/* fall through */
	case PH_PING:
		if (P.ping_sent < P.ping_n && now >= P.next_ping) {
			ping_send(P.ping_sent++);
			P.next_ping = now + PING_GAP;
			if (P.ping_sent == P.ping_n)
				P.phase_deadline = now + PING_WAIT;
		}
		if (P.ping_replies < P.ping_n && now < P.phase_deadline)
			return;
		if (P.ping_n > 0) {
			say("PING sent=%d replies=%d", P.ping_sent, P.ping_replies);
			if (P.ping_replies != P.ping_n)
				fail("ping replies missing");
		}
		P.phase = PH_HOLD;
		P.phase_deadline = P.hold < 0 ? UINT64_MAX : now + (sg_usec_t) (P.hold * 1e6);
		say("HOLD seconds=%g", P.hold);
		return;
	case PH_HOLD:
		if (now < P.phase_deadline && !got_signal)
			return;
		say("DISCONNECT tun_rx=%llu tun_tx=%llu drop_txfull=%llu",
		    (unsigned long long) P.tun_rx, (unsigned long long) P.tun_tx,
		    (unsigned long long) P.drop_txfull);
		P.phase = PH_CLOSING;
		P.phase_deadline = now + FINISH_MAX;
		sg_ppp_session_close(P.ppp, now);
		return;
	case PH_CLOSING:
		if (!P.finished && now < P.phase_deadline)
			return;
		if (!P.finished)
			fail("LCP terminate not completed");
		P.phase = PH_WAIT_EXIT;
		P.phase_deadline = now + EXIT_WAIT;
		return;
	case PH_WAIT_EXIT:
		if (!P.child_exited && now < P.phase_deadline)
			return;
		if (!P.child_exited)
			say("SSTPC_STILL_RUNNING");
		P.phase = PH_DONE;
		return;
	default:
		return;
	}
}

int main(int argc, char **argv)
{
	double timeout = 60;
	int sv[2];

	P.t0 = now_usec();
	P.tun = -1;
	parse_args(argc, argv, &timeout);
	sg_log_set_handler(lib_log, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	mkdir("/var/run/sstpc", 0755);

	if (P.tun_name && (P.tun = tun_open(P.tun_name)) < 0) {
		fprintf(stderr, "sg-sstpc-peer: cannot create TUN %s: %s\n", P.tun_name,
			strerror(errno));
		return 1;
	}
	P.pcfg.role = SG_PPP_ROLE_PEER;
	P.pcfg.user = P.user;
	P.pcfg.password = P.password;
	P.pcfg.auth[0] = (uint8_t) P.method;
	P.pcfg.disable_ipv6 = !P.ipv6;
	if (P.ipv6 && P.tun >= 0)
		tun6_sysctl();
	P.ppp = sg_ppp_session_new(&P.pcfg, ppp_action, NULL);
	if (P.ppp == NULL) {
		fprintf(stderr, "sg-sstpc-peer: PPP session: %s\n", strerror(errno));
		return 1;
	}
	sg_ppp_hdlc_decoder_init(&P.dec, SG_HDLC_FRAME_MAX - SG_HDLC_FCS_LEN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return 1;
	fcntl(sv[1], F_SETFD, 0); /* the child's end survives exec */
	P.child = spawn_sstpc(sv[1]);
	if (P.child < 0)
		return 1;
	close(sv[1]);
	P.sock = sv[0];
	fcntl(P.sock, F_SETFL, fcntl(P.sock, F_GETFL) | O_NONBLOCK);
	say("SSTPC_STARTED pid=%d ipparam=%s server=%s", (int) P.child, P.ipparam, P.server);
	/* LCP starts now; sstpc reads fd 0 once its CONNECT_ACK arrived. */
	sg_ppp_session_start(P.ppp, now_usec());

	sg_usec_t end = timeout > 0 ? P.t0 + (sg_usec_t) (timeout * 1e6) : UINT64_MAX;
	while (P.phase != PH_DONE) {
		sg_usec_t now = now_usec(), next = sg_ppp_session_deadline(P.ppp);
		struct pollfd pfd[2];
		int nfds = 0, wait_ms;

		reap();
		if (now >= end) {
			fail("timeout");
			break;
		}
		if (P.sock_eof || P.child_exited) {
			if (P.phase < PH_CLOSING)
				fail(P.auth_failed ? "authentication failed"
						   : "sstpc ended the call");
			else if (P.phase == PH_CLOSING && !P.finished)
				fail("sstpc ended the call before LCP terminated");
			else
				P.phase = PH_DONE; /* sstpc left after our terminate */
			break;
		}
		if (got_signal && P.phase < PH_HOLD) {
			fail("interrupted");
			break;
		}
		step(now);
		if (P.phase == PH_DONE)
			break;
		if (P.phase == PH_PING && P.next_ping < next && P.ping_sent < P.ping_n)
			next = P.next_ping;
		if (P.phase_deadline < next)
			next = P.phase_deadline;
		wait_ms = next == UINT64_MAX ? 200
			  : next <= now	     ? 0
					     : (int) ((next - now) / 1000 + 1);
		if (wait_ms > 200)
			wait_ms = 200;
		if (P.sock >= 0 && !P.sock_eof) {
			pfd[nfds] = (struct pollfd){.fd = P.sock, .events = POLLIN};
			if (P.out_len)
				pfd[nfds].events |= POLLOUT;
			nfds++;
		}
		if (P.tun >= 0 && P.ipcp_up)
			pfd[nfds++] = (struct pollfd){.fd = P.tun, .events = POLLIN};
		if (poll(pfd, (nfds_t) nfds, wait_ms) < 0 && errno != EINTR)
			break;
		now = now_usec();
		for (int i = 0; i < nfds; i++) {
			if (pfd[i].fd == P.sock && (pfd[i].revents & POLLOUT))
				out_flush();
			if (pfd[i].fd == P.sock && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				sock_read(now);
			if (pfd[i].fd == P.tun && (pfd[i].revents & POLLIN))
				tun_read();
		}
		if (sg_ppp_session_deadline(P.ppp) <= now)
			sg_ppp_session_timer(P.ppp, now);
	}
	stop_child();
	if (!P.plugin_acked)
		fail("no crypto binding report to sstpc");
	if (!P.ipcp_up)
		fail("IPCP never opened");
	if (P.ipv6 && !P.ipv6cp_up)
		fail("IPv6CP never opened");
	if (P.phase != PH_DONE)
		fail("did not reach a clean disconnect");
	else if (P.finish_reason != SG_PPP_REASON_ADMIN)
		fail("LCP did not finish by our terminate");
	say("STATS hdlc_bad=%llu drop_txfull=%llu drop_nonipv4=%llu",
	    (unsigned long long) P.hdlc_bad, (unsigned long long) P.drop_txfull,
	    (unsigned long long) P.drop_nonipv4);
	say("RESULT %s%s%s", P.failed ? "fail" : "ok", P.failed ? " why=" : "",
	    P.failed ? P.fail_why : "");
	sg_ppp_session_free(P.ppp);
	if (P.sock >= 0)
		close(P.sock);
	if (P.tun >= 0)
		close(P.tun);
	return P.failed ? 1 : 0;
}
