/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One emulated SSTP client over any transport (struct lg_transport): TCP -> lib/tls ->
 * lib/sstp client -> lib/ppp peer -> inner IPv4. Failures inside library callbacks only
 * mark the client (c->failed); the transport event or timer that called in tears it down
 * afterwards (lg_client_settle).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lg.h"

#define LG_OUT_MAX (1u << 20)	   /* inner packets wait when this much TLS output is queued */
#define LG_CLOSE_LINGER 200000ULL /* us to wait for DISCONNECT_ACK */
#define LG_INNER_MIN 48		   /* IPv4 20 + ICMP/UDP 8 + our 20-byte stamp */

struct stamp { /* at the start of every inner payload, network order */
	uint32_t magic, gen, idx;
	uint32_t ts_hi, ts_lo;
};

sg_usec_t lg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sg_usec_t)ts.tv_sec * SG_USEC_PER_SEC + (sg_usec_t)ts.tv_nsec / 1000;
}

void lg_count_reason(struct lg_stats *st, const char *reason)
{
	int i;

	for (i = 0; i < LG_MAX_REASONS && st->reason[i][0]; i++)
		if (strcmp(st->reason[i], reason) == 0)
			break;
	if (i == LG_MAX_REASONS)
		i = LG_MAX_REASONS - 1; /* the last row collects whatever did not fit */
	if (!st->reason[i][0])
		snprintf(st->reason[i], sizeof(st->reason[i]), "%s", reason);
	st->reason_count[i]++;
}

static void fail(struct lg_client *c, const char *fmt, const char *detail)
{
	if (c->failed || c->finished)
		return;
	c->failed = true;
	snprintf(c->fail, sizeof(c->fail), fmt, detail ? detail : "");
}

void lg_client_fail(struct lg_client *c, const char *fmt, const char *detail)
{
	fail(c, fmt, detail);
}

static void flush(struct lg_client *c)
{
	if (c->state == LG_ST_CONNECTING || c->state == LG_ST_FREE)
		return;
	c->lg->tr->flush(c);
}

static void tls_write(struct lg_client *c, const void *p, size_t len)
{
	int rc = sg_tls_conn_write(c->tls, p, len);

	if (rc < 0)
		fail(c, "tls_write_%s", rc == -EAGAIN ? "before_handshake" : "error");
}

static void check_up(struct lg_client *c)
{
	struct lg *lg = c->lg;

	if (c->state != LG_ST_HANDSHAKE || !c->sstp_open || !c->ipcp_up)
		return;
	c->state = LG_ST_UP;
	c->was_up = true;
	c->t_up = c->now;
	lg->pending--;
	lg->nup++;
	lg->st.up++;
	lg->st.setup_us_sum += c->t_up - c->t_start;
}

/* ---- inner packets ---- */

static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t lg_next_size(struct lg *lg)
{
	static const uint16_t imix[12] = {64, 576, 64, 64, 576, 64, 1400, 64, 576, 64, 576, 64};

	if (!lg->o->imix)
		return lg->o->size;
	return imix[lg->imix_i++ % SG_ARRAY_SIZE(imix)];
}

static void stamp_put(struct lg *lg, uint8_t *p, unsigned idx, sg_usec_t now)
{
	struct stamp s = {htonl(LG_MAGIC), htonl(lg->gen), htonl(idx), htonl((uint32_t)(now >> 32)),
			  htonl((uint32_t)now)};

	memcpy(p, &s, sizeof(s));
}

static void ip4_header(uint8_t *ip, size_t len, uint8_t proto, uint32_t src, uint32_t dst,
		       uint16_t id)
{
	uint32_t s = htonl(src), d = htonl(dst);

	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)len);
	put16(ip + 4, id);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
	put16(ip + 10, csum(ip, 20, 0));
}

void lg_udp_build(struct lg *lg, uint8_t *ip, size_t len, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport, unsigned idx, uint16_t seq, sg_usec_t now)
{
	ip4_header(ip, len, IPPROTO_UDP, src, dst, seq);
	put16(ip + 20, sport);
	put16(ip + 22, dport);
	put16(ip + 24, (uint16_t)(len - 20));
	put16(ip + 26, 0); /* no UDP checksum (IPv4) */
	stamp_put(lg, ip + 28, idx, now);
	for (size_t i = 28 + sizeof(struct stamp); i < len; i++)
		ip[i] = (uint8_t)i;
}

static size_t build_inner(struct lg_client *c, uint8_t *ip, sg_usec_t now)
{
	const struct lg_opts *o = c->lg->o;
	size_t len = lg_next_size(c->lg), l4 = 20;

	if (o->inner == LG_INNER_UDP) {
		lg_udp_build(c->lg, ip, len, c->local_ip, o->target,
			     (uint16_t)(40000 + c->idx % 20000), o->udp_port, c->idx, c->seq, now);
	} else {
		ip4_header(ip, len, IPPROTO_ICMP, c->local_ip, o->target, c->seq);
		memset(ip + l4, 0, len - l4);
		stamp_put(c->lg, ip + l4 + 8, c->idx, now);
		for (size_t i = l4 + 8 + sizeof(struct stamp); i < len; i++)
			ip[i] = (uint8_t)i;
		ip[l4] = 8;
		put16(ip + l4 + 4, (uint16_t)c->idx);
		put16(ip + l4 + 6, c->seq);
		put16(ip + l4 + 2, csum(ip + l4, len - l4, 0));
	}
	c->seq++;
	return len;
}

int lg_client_send_inner(struct lg_client *c, unsigned n, sg_usec_t now)
{
	struct lg *lg = c->lg;
	uint8_t buf[16384];
	size_t off = 0, per = (size_t)(lg->o->imix ? LG_IMIX_MAX : lg->o->size) + SG_SSTP_HDR_LEN +
			      SG_PPP_HDR_MAX;
	unsigned sent = 0;

	if (c->state != LG_ST_UP)
		return -EAGAIN;
	if (sg_tls_conn_out_pending(c->tls) > LG_OUT_MAX) {
		lg->st.tx_backpressure += n;
		return -ENOBUFS;
	}
	while (sent < n && off + per <= sizeof(buf)) {
		uint8_t ppp[SG_PPP_HDR_MAX], hdr[SG_SSTP_HDR_LEN];
		int ph = sg_ppp_session_data_header(c->ppp, SG_PPP_PROTO_IPV4, ppp);
		uint8_t *frame = buf + off + SG_SSTP_HDR_LEN;
		size_t ilen;

		memcpy(frame, ppp, (size_t)ph);
		ilen = build_inner(c, frame + ph, now);
		if (sg_sstp_client_ppp_tx(&c->sc, frame, (size_t)ph + ilen, hdr) != 0)
			break;
		memcpy(buf + off, hdr, SG_SSTP_HDR_LEN);
		off += SG_SSTP_HDR_LEN + (size_t)ph + ilen;
		lg->st.tx_pkts++;
		lg->st.tx_bytes += ilen;
		sent++;
	}
	if (off)
		tls_write(c, buf, off);
	flush(c);
	return (int)sent;
}

void lg_stamp_rx(struct lg *lg, const uint8_t *ip, size_t tot, size_t l4, long idx,
		 sg_usec_t now)
{
	struct lg_stats *st = &lg->st;
	struct stamp s;
	sg_usec_t ts, d;

	if (tot < l4 + 8 + sizeof(s))
		goto bad;
	memcpy(&s, ip + l4 + 8, sizeof(s));
	if (ntohl(s.magic) != LG_MAGIC || (idx >= 0 && ntohl(s.idx) != (uint32_t)idx))
		goto bad;
	if (ntohl(s.gen) != lg->gen) {
		st->rx_late++;
		return;
	}
	ts = (sg_usec_t)ntohl(s.ts_hi) << 32 | ntohl(s.ts_lo);
	if (ts > now)
		goto bad;
	d = now - ts;
	st->rx_pkts++;
	st->rx_bytes += tot;
	st->hist[d < LG_HIST_US ? d : LG_HIST_US]++;
	st->hist_n++;
	return;
bad:
	st->rx_bad++;
}

static void inner_rx(struct lg_client *c, const uint8_t *ip, size_t len)
{
	const struct lg_opts *o = c->lg->o;
	size_t ihl, tot, l4;

	if (len < 20 || (ip[0] >> 4) != 4 || (ihl = (size_t)(ip[0] & 15) * 4) < 20 || ihl > len)
		goto bad;
	tot = (size_t)ip[2] << 8 | ip[3];
	if (tot < ihl || tot > len)
		goto bad;
	l4 = ihl;
	if (tot < l4 + 8)
		goto bad;
	if (ip[9] == IPPROTO_ICMP && o->inner == LG_INNER_ICMP) {
		if (ip[l4] != 0 || ((uint16_t)(ip[l4 + 4] << 8 | ip[l4 + 5])) != (uint16_t)c->idx)
			goto bad;
	} else if (ip[9] == IPPROTO_UDP && o->inner == LG_INNER_UDP) {
		if (((uint16_t)(ip[l4] << 8 | ip[l4 + 1])) != o->udp_port)
			goto bad;
	} else {
		goto bad;
	}
	lg_stamp_rx(c->lg, ip, tot, l4, (long)c->idx, c->now);
	return;
bad:
	c->lg->st.rx_bad++;
}

/* ---- SSTP and PPP glue ---- */

static void apply(struct lg_client *c, const struct sg_sstp_result *r)
{
	struct sg_ppp_packet pkt;

	if (r->actions & SG_SSTP_ACT_SEND)
		tls_write(c, r->tx, r->tx_len);
	if ((r->actions & SG_SSTP_ACT_PPP_START) && sg_ppp_session_start(c->ppp, c->now) < 0)
		fail(c, "ppp_start_error%s", NULL);
	if ((r->actions & SG_SSTP_ACT_PPP_INPUT) &&
	    sg_ppp_session_input(c->ppp, r->ppp, r->ppp_len, c->now, &pkt) == SG_PPP_INPUT_IPV4 &&
	    c->state == LG_ST_UP && (size_t)pkt.offset + pkt.len <= r->ppp_len)
		inner_rx(c, r->ppp + pkt.offset, pkt.len);
	if (r->actions & SG_SSTP_ACT_DATA_OPEN) {
		c->sstp_open = true;
		check_up(c);
	}
	if (r->actions & (SG_SSTP_ACT_PPP_DOWN | SG_SSTP_ACT_CLOSE)) {
		if (c->state == LG_ST_CLOSING)
			c->finished = true;
		else
			fail(c, "sstp_%s", sg_sstp_reason_name(r->reason));
	}
}

static void on_ppp(void *arg, const struct sg_ppp_action *a)
{
	struct lg_client *c = arg;
	uint8_t hdr[SG_SSTP_HDR_LEN], hlak[32] = {0};
	struct sg_sstp_result r;

	switch (a->type) {
	case SG_PPP_ACT_SEND:
		if (sg_sstp_client_ppp_tx(&c->sc, a->frame, a->len, hdr) == 0) {
			struct iovec iov[2] = {{hdr, sizeof(hdr)}, {(void *)a->frame, a->len}};

			if (sg_tls_conn_writev(c->tls, iov, 2) < 0)
				fail(c, "tls_write_error%s", NULL);
		}
		break;
	case SG_PPP_ACT_AUTH_UP:
		if (a->info->has_keys) { /* client view: MasterSendKey || MasterReceiveKey */
			memcpy(hlak, a->info->send_key, 16);
			memcpy(hlak + 16, a->info->recv_key, 16);
		}
		if (sg_sstp_client_auth_done(&c->sc, hlak, c->now, &r) < 0)
			fail(c, "sstp_auth_done_wrong_state%s", NULL);
		else
			apply(c, &r);
		OPENSSL_cleanse(hlak, sizeof(hlak));
		break;
	case SG_PPP_ACT_IPCP_UP:
		c->ipcp_up = true;
		c->local_ip = a->info->local_ipv4;
		check_up(c);
		break;
	case SG_PPP_ACT_LINK_DOWN:
	case SG_PPP_ACT_FINISHED: {
		static const char *const why[] = {"none",	  "admin",	  "peer_terminate",
						  "lower_down",	  "negotiation",  "auth_failed",
						  "auth_refused", "auth_timeout", "echo_timeout",
						  "loopback",	  "no_ncp"};
		if (c->state == LG_ST_CLOSING)
			break;
		fail(c, "ppp_%s",
		     (size_t)a->reason < SG_ARRAY_SIZE(why) ? why[a->reason] : "unknown");
		break;
	}
	default:
		break;
	}
}

static void on_plain(void *arg, const uint8_t *p, size_t len)
{
	struct lg_client *c = arg;

	while (len > 0 && !c->failed && !c->finished) {
		struct sg_sstp_result r;
		int n = sg_sstp_client_rx(&c->sc, p, len, c->now, &r);

		apply(c, &r);
		if (n <= 0 || (size_t)n > len) {
			fail(c, "sstp_rx_stuck%s", NULL);
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* The TLS handshake completed: the crypto binding uses the certificate we were shown. */
static void sstp_start(struct lg_client *c)
{
	struct sg_sstp_result r;

	sg_sstp_client_config_init(&c->scfg, c->lg->o->host);
	if (sg_tls_conn_peer_cert_hash(c->tls, SG_TLS_HASH_SHA256, c->scfg.cert_hash_sha256) < 0 ||
	    sg_tls_conn_peer_cert_hash(c->tls, SG_TLS_HASH_SHA1, c->scfg.cert_hash_sha1) < 0) {
		fail(c, "tls_no_server_certificate%s", NULL);
		return;
	}
	c->scfg.cert_hash_set = true;
	c->sstp_started = true;
	if (sg_sstp_client_start(&c->sc, &c->scfg, &c->lg->sstats, c->now, &r) < 0) {
		fail(c, "sstp_start_error%s", NULL);
		return;
	}
	apply(c, &r);
}

/* ---- lifecycle ---- */

static void teardown(struct lg_client *c)
{
	struct lg *lg = c->lg;

	if (c->state == LG_ST_FREE)
		return;
	if (c->state == LG_ST_CONNECTING || c->state == LG_ST_HANDSHAKE)
		lg->pending--;
	else if (c->state == LG_ST_UP)
		lg->nup--;
	if (c->failed) {
		lg->st.failed++;
		lg_count_reason(&lg->st, c->fail);
	} else {
		lg->st.closed++;
	}
	lg->tr->close(c, !c->failed && !c->abortive);
	sg_tls_conn_free(c->tls);
	if (c->ppp) {
		sg_ppp_session_wipe(c->ppp);
		free(c->ppp);
	}
	if (c->sstp_started)
		sg_sstp_client_fini(&c->sc);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->lg = lg;
	c->state = LG_ST_FREE;
	lg->free_idx[lg->nfree++] = (unsigned)(c - lg->cl);
}

void lg_client_settle(struct lg_client *c)
{
	if (c->state == LG_ST_FREE)
		return;
	if (!c->failed && !c->finished)
		flush(c);
	if (c->failed || c->finished)
		teardown(c);
	else if (c->lg->close_on_up && c->state == LG_ST_UP)
		lg_client_close(c, true, c->now); /* setup mode: up, so close and count */
}

static void settle(struct lg_client *c)
{
	lg_client_settle(c);
}

int lg_open_next(struct lg *lg, sg_usec_t now)
{
	const struct lg_opts *o = lg->o;
	const struct sg_ppp_config *pcfg = &lg->pcfg;
	struct lg_client *c;
	int rc;

	if (lg->nfree == 0)
		return -ENOSPC;
	c = &lg->cl[lg->free_idx[--lg->nfree]];
	c->idx = (unsigned)(c - lg->cl);
	c->now = c->t_start = now;
	c->deadline = now + o->setup_timeout;
	c->state = LG_ST_CONNECTING;
	lg->pending++;
	lg->st.started++;
	c->tls = sg_tls_conn_new(lg->tls);
	c->ppp = malloc(sg_ppp_session_size());
	if (o->auth_mix) {
		pcfg = lg->st.started % 2 ? &lg->pcfg_pap : &lg->pcfg;
		if (pcfg == &lg->pcfg_pap)
			lg->st.auth_pap++;
		else
			lg->st.auth_mschapv2++;
	}
	if (!c->tls || !c->ppp || sg_ppp_session_init(c->ppp, pcfg, on_ppp, c) < 0) {
		fail(c, "no_memory%s", NULL);
		teardown(c);
		return -ENOMEM;
	}
	rc = lg->tr->open(c);
	if (rc < 0) {
		teardown(c);
		return rc;
	}
	return 0;
}

void lg_client_abort(struct lg_client *c, bool rst, sg_usec_t now)
{
	struct linger lin = {.l_onoff = 1, .l_linger = 0};

	c->now = now;
	if (rst && c->fd >= 0) /* kernel transport: the close sends a RST */
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	c->abortive = rst;
	c->finished = true;
	teardown(c);
}

void lg_client_close(struct lg_client *c, bool graceful, sg_usec_t now)
{
	struct sg_sstp_result r;

	c->now = now;
	if (c->state != LG_ST_UP || !graceful) {
		c->finished = true;
		teardown(c);
		return;
	}
	sg_sstp_client_disconnect(&c->sc, now, &r);
	c->lg->nup--;
	c->state = LG_ST_CLOSING;
	c->deadline = now + LG_CLOSE_LINGER;
	apply(c, &r);
	settle(c);
}

void lg_client_connected(struct lg_client *c, sg_usec_t now)
{
	c->now = now;
	if (c->state != LG_ST_CONNECTING)
		return;
	c->state = LG_ST_HANDSHAKE;
}

void lg_client_input(struct lg_client *c, const uint8_t *p, size_t len)
{
	int rc;

	if (c->failed || c->finished || c->state == LG_ST_FREE)
		return;
	rc = sg_tls_conn_input(c->tls, p, len, on_plain, c);
	if (rc == -ECONNRESET && c->state == LG_ST_CLOSING)
		c->finished = true;
	else if (rc == -ECONNRESET)
		fail(c, "tls_close_notify%s", NULL);
	else if (rc < 0)
		fail(c, "tls_error%s", NULL);
	if (!c->failed && !c->finished && !c->sstp_started && sg_tls_conn_established(c->tls))
		sstp_start(c);
}

void lg_client_transport_down(struct lg_client *c, const char *reason)
{
	if (c->state == LG_ST_CLOSING)
		c->finished = true;
	else
		fail(c, "%s", reason);
}

void lg_timers(struct lg *lg, sg_usec_t now)
{
	for (unsigned i = 0; i < lg->ncl; i++) {
		struct lg_client *c = &lg->cl[i];
		struct sg_sstp_result r;

		if (c->state == LG_ST_FREE)
			continue;
		c->now = now;
		if (c->state == LG_ST_CLOSING && now >= c->deadline) {
			c->finished = true; /* no DISCONNECT_ACK in time: close anyway */
		} else if ((c->state == LG_ST_CONNECTING || c->state == LG_ST_HANDSHAKE) &&
			   now >= c->deadline) {
			fail(c, "setup_timeout_%s",
			     c->state == LG_ST_CONNECTING ? "tcp"
			     : !sg_tls_conn_established(c->tls)
				 ? "tls"
				 : sg_sstp_state_name(sg_sstp_client_state(&c->sc)));
		} else if (c->state != LG_ST_CONNECTING) {
			if (c->sstp_started && sg_sstp_client_deadline(&c->sc) <= now) {
				sg_sstp_client_timer(&c->sc, now, &r);
				apply(c, &r);
			}
			if (!c->failed && sg_ppp_session_deadline(c->ppp) <= now)
				sg_ppp_session_timer(c->ppp, now);
		}
		settle(c);
	}
}

int lg_init(struct lg *lg, const struct lg_opts *o, unsigned n, char *err, size_t errlen)
{
	struct sg_tls_conf tc = {.role = SG_TLS_CLIENT};

	memset(lg, 0, sizeof(*lg));
	lg->o = o;
	lg->epfd = -1;
	if (o->tls12)
		tc.max_version = 0x0303; /* TLS1_2_VERSION */
	lg->tls = sg_tls_ctx_create(&tc, err, errlen);
	if (!lg->tls)
		return -errno;
	lg->pcfg.role = SG_PPP_ROLE_PEER;
	lg->pcfg.user = o->user;
	lg->pcfg.password = o->password;
	lg->pcfg.disable_ipv6 = true;
	lg->pcfg.auth[0] = o->auth_mix ? SG_PPP_AUTH_MSCHAPV2 : o->auth;
	lg->pcfg_pap = lg->pcfg;
	lg->pcfg_pap.auth[0] = SG_PPP_AUTH_PAP;
	lg->cl = calloc(n, sizeof(*lg->cl));
	lg->free_idx = calloc(n, sizeof(*lg->free_idx));
	lg->st.hist = calloc(LG_HIST_US + 1, sizeof(*lg->st.hist));
	if (!lg->cl || !lg->free_idx || !lg->st.hist) {
		snprintf(err, errlen, "out of memory for %u clients", n);
		lg_fini(lg);
		return -ENOMEM;
	}
	if (lg_sock_attach(lg, err, errlen) < 0) {
		lg_fini(lg);
		return -EIO;
	}
	lg->ncl = n;
	for (unsigned i = 0; i < n; i++) {
		lg->cl[i].fd = -1;
		lg->cl[i].lg = lg;
		lg->free_idx[lg->nfree++] = n - 1 - i;
	}
	return 0;
}

void lg_fini(struct lg *lg)
{
	for (unsigned i = 0; lg->cl && i < lg->ncl; i++) {
		lg->cl[i].finished = true;
		teardown(&lg->cl[i]);
	}
	free(lg->cl);
	free(lg->free_idx);
	free(lg->st.hist);
	if (lg->tr)
		lg->tr->fini(lg);
	sg_tls_ctx_free(lg->tls);
	memset(lg, 0, sizeof(*lg));
}
