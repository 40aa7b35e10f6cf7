/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstp-loadgen: emulated SSTP clients against a real server, over kernel sockets or over
 * DPDK net_memif with lib/tcp (--transport memif: the generator also owns the server's LAN
 * side, so --dir up|down|echo measures each direction on its own).
 *
 *   sstp-loadgen --server 127.0.0.1:443 --user U --password P --mode MODE [options]
 *
 * Modes:
 *   setup        open tunnels, close each as soon as it is up, open the next: tunnels/s
 *   concurrency  hold --clients idle tunnels; with --pid, the server's RSS per tunnel
 *   throughput   open loop at --rate inner packets/s; --search: highest rate with
 *                <= 0.1% loss (binary search); goodput of what came back
 *   latency      --rate inner pings/s: RTT p50/p99/p99.9
 *   churn        --clients calls, each looping for --duration: connect, authenticate
 *                (--auth mix: PAP and MS-CHAPv2 alternately), send --rate inner packets/s
 *                (all clients together) for a random hold in [--hold-min, --hold-max] s,
 *                then end the call: SSTP disconnect, TCP RST or plain close (1/2, 1/4,
 *                1/4, --seed), and start again. At the end every call is closed and the
 *                totals say how many calls completed and why any failed.
 *   udp-echo     the LAN-side reflector: echo UDP datagrams on --udp-port (on the first
 *                --bind address, else any) for --duration seconds; no tunnels
 * Progress goes to stderr, results to a JSON file whose path is the last stdout line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lg.h"

enum mode { M_SETUP, M_CONCURRENCY, M_THROUGHPUT, M_LATENCY, M_UDP_ECHO, M_CHURN, M_COUNT };
static const char *const mode_names[] = {"setup",    "concurrency", "throughput",
					 "latency",  "udp-echo",    "churn"};

struct run {
	struct lg lg;
	struct lg_opts o;
	enum mode mode;
	unsigned clients;
	double duration, rate, setup_max, loss_max, drain;
	double rates[16]; /* --rates R1,R2,...: one trial at each instead of --rate */
	int nrates;
	int search_steps;
	long pid;
	const char *json;
	unsigned min_up;
	uint64_t min_rx;
	bool quiet, memif, linger;
	struct lg_memif_opts mo;
	sg_usec_t last_progress, t0;
	double credit;
	unsigned rr; /* round-robin cursor for sending */
	uint64_t open_limit; /* tunnels the non-setup modes may start in all */
	/* churn mode */
	bool churn;	/* reopen forever, end calls after their hold */
	bool no_reopen; /* churn's end: open nothing more */
	double hold_min, hold_max;
	uint64_t rng; /* xorshift64 state (--seed): holds and end styles, not secret */
};

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long rss_kib(long pid)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void progress(struct run *r, sg_usec_t now, const char *what)
{
	const struct lg_stats *st = &r->lg.st;

	if (r->quiet || now - r->last_progress < SG_USEC_PER_SEC)
		return;
	r->last_progress = now;
	fprintf(stderr,
		"[%6.1fs] %s up=%u pending=%u tunnels=%llu failed=%llu tx=%llu rx=%llu\n",
		(double)(now - r->t0) / 1e6, what, r->lg.nup, r->lg.pending,
		(unsigned long long)st->up, (unsigned long long)st->failed,
		(unsigned long long)st->tx_pkts, (unsigned long long)st->rx_pkts);
}

/* Send the inner packets due at now (open loop: credit grows with time, not with replies). */
static void send_due(struct run *r, double dt)
{
	struct lg *lg = &r->lg;
	unsigned n, tries = 0;

	if (r->rate <= 0 || lg->nup == 0)
		return;
	r->credit += r->rate * dt;
	if (r->credit > r->rate * 0.2 + 16)
		r->credit = r->rate * 0.05 + 16; /* never a burst of more than 200 ms */
	n = (unsigned)r->credit;
	r->credit -= n;
	while (n > 0 && tries < 4 * lg->ncl) {
		struct lg_client *c = &lg->cl[r->rr++ % lg->ncl];
		unsigned k = n / lg->nup + 1;
		int sent;

		tries++;
		if (c->state != LG_ST_UP)
			continue;
		/* Churn: quiet for the last 300 ms of a call, so no reply is cut off by our
		 * own disconnect (a packet lost then would be ours, not the server's). */
		if (r->churn &&
		    (c->hold_until == 0 || c->hold_until < lg_now() + 300 * SG_USEC_PER_MSEC))
			continue;
		if (k > 8)
			k = 8;
		if (k > n)
			k = n;
		sent = r->o.dir == LG_DIR_DOWN ? lg->tr->lan_send(c, k, lg_now())
					       : lg_client_send_inner(c, k, lg_now());
		n -= sent > 0 ? (unsigned)sent : k; /* refused packets are lost, not retried */
	}
	r->credit += n; /* due but not yet handed to a tunnel: next round */
}

static uint64_t rng_next(struct run *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng;
}

/* Churn: draw each new call's hold and end style; end the calls whose hold is over. */
static void churn_tick(struct run *r, sg_usec_t now)
{
	struct lg *lg = &r->lg;

	for (unsigned i = 0; i < lg->ncl; i++) {
		struct lg_client *c = &lg->cl[i];
		double hold;

		if (c->state != LG_ST_UP)
			continue;
		if (c->hold_until == 0) {
			hold = r->hold_min + (r->hold_max - r->hold_min) *
						 (double)(rng_next(r) % 1000001) / 1e6;
			c->hold_until = now + (sg_usec_t)(hold * 1e6);
			c->end_style = (uint8_t)(rng_next(r) % 4);
			if (c->end_style == 3)
				c->end_style = LG_END_DISCONNECT; /* half of the calls */
			continue;
		}
		if (now < c->hold_until && !r->no_reopen)
			continue;
		switch (r->no_reopen ? LG_END_DISCONNECT : c->end_style) {
		case LG_END_RST:
			lg->st.ended_rst++;
			lg_client_abort(c, true, now);
			break;
		case LG_END_FIN:
			lg->st.ended_fin++;
			lg_client_abort(c, false, now);
			break;
		default:
			lg->st.ended_disconnect++;
			lg_client_close(c, true, now);
			break;
		}
	}
}

/*
 * Run the event loop until `until`, keeping `want` tunnels open (setup mode reopens as
 * tunnels close) and sending at r->rate. Returns early when done() says so.
 */
static void loop(struct run *r, sg_usec_t until, unsigned want, bool send,
		 bool (*done)(struct run *), const char *what)
{
	struct lg *lg = &r->lg;
	sg_usec_t last_timer = 0, last_send = lg_now();

	while (!stop) {
		sg_usec_t now = lg_now();

		if (now >= until || (done && done(r)))
			break;
		/* Setup mode reopens forever; the others open each of their tunnels once. */
		while (!r->no_reopen && lg->pending < r->o.max_pending &&
		       lg->nup + lg->pending < want &&
		       (lg->close_on_up || r->churn || lg->st.started < r->open_limit) &&
		       lg_open_next(lg, now) != -ENOSPC)
			;
		if (lg->close_on_up && lg->st.up == 0 && lg->st.failed >= 1000)
			break; /* nothing works: do not hammer the server for the whole duration */
		lg->tr->poll(lg, send ? 1 : 10); /* setup mode: settle closes tunnels once up */
		now = lg_now();
		if (send) {
			send_due(r, (double)(now - last_send) / 1e6);
			last_send = now;
		}
		if (now - last_timer >= 50 * SG_USEC_PER_MSEC) {
			lg_timers(lg, now);
			if (r->churn)
				churn_tick(r, now);
			last_timer = now;
		}
		progress(r, now, what);
	}
}

static bool all_up(struct run *r)
{
	return r->lg.nup >= r->clients || (r->lg.pending == 0 && r->lg.st.started >= r->open_limit);
}

static bool all_back(struct run *r)
{
	return r->lg.st.rx_pkts + r->lg.st.rx_late >= r->lg.st.tx_pkts;
}

static void reset_traffic(struct lg *lg)
{
	lg->gen++;
	lg->st.tx_pkts = lg->st.tx_bytes = lg->st.rx_pkts = lg->st.rx_bytes = 0;
	lg->st.rx_bad = lg->st.rx_late = lg->st.tx_backpressure = 0;
	memset(lg->st.hist, 0, (LG_HIST_US + 1) * sizeof(*lg->st.hist));
	lg->st.hist_n = 0;
}

static double percentile(const struct lg_stats *st, double p)
{
	uint64_t want, acc = 0;

	if (st->hist_n == 0)
		return -1;
	want = (uint64_t)ceil(p * (double)st->hist_n);
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i <= LG_HIST_US; i++) {
		acc += st->hist[i];
		if (acc >= want)
			return (double)i;
	}
	return LG_HIST_US;
}

/* One open-loop trial at r->rate on the open tunnels: figures into a JSON object. */
static json_t *trial(struct run *r, double seconds)
{
	struct lg *lg = &r->lg;
	const struct lg_stats *st = &lg->st;
	sg_usec_t t;
	double loss, offered, cpu0 = cpu_seconds();
	bool limited;

	reset_traffic(lg);
	r->credit = 0;
	t = lg_now();
	loop(r, t + (sg_usec_t)(seconds * 1e6), r->clients, true, NULL, "traffic");
	/* Replies still in flight: wait until all are back, --drain seconds at most. */
	loop(r, lg_now() + (sg_usec_t)(r->drain * 1e6), r->clients, false, all_back, "drain");
	/* Packets a full TLS queue refused (the server stopped draining TCP) are lost too. */
	loss = st->tx_pkts + st->tx_backpressure
		   ? 1.0 - (double)st->rx_pkts / (double)(st->tx_pkts + st->tx_backpressure)
		   : 1.0;
	if (loss < 0)
		loss = 0;
	offered = r->rate * seconds;
	/* Open loop: a generator that fell behind the asked rate did not test that rate. */
	limited = (double)st->tx_pkts < 0.95 * offered;
	return json_pack("{s:f, s:b, s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, "
			 "s:f, s:f, s:i}",
			 "rate_pps_asked", r->rate, "generator_limited", limited,
			 "sent_of_offered", offered > 0 ? (double)st->tx_pkts / offered : 0.0,
			 "seconds", seconds, "tx_pkts",
			 (json_int_t)st->tx_pkts, "rx_pkts", (json_int_t)st->rx_pkts, "rx_bad",
			 (json_int_t)st->rx_bad, "rx_late", (json_int_t)st->rx_late,
			 "tx_backpressure", (json_int_t)st->tx_backpressure, "loss", loss,
			 "tx_inner_mbps", (double)st->tx_bytes * 8 / seconds / 1e6,
			 "goodput_inner_mbps", (double)st->rx_bytes * 8 / seconds / 1e6,
			 "rtt_p50_us", percentile(st, 0.5), "rtt_p99_us", percentile(st, 0.99),
			 "rtt_p999_us", percentile(st, 0.999), "loadgen_cpu_s",
			 cpu_seconds() - cpu0, "tunnels_up", (int)lg->nup);
}

static json_t *mode_setup(struct run *r)
{
	struct lg *lg = &r->lg;
	sg_usec_t t0 = lg_now();
	uint64_t up0 = lg->st.up, us0 = lg->st.setup_us_sum;
	double secs, cpu0 = cpu_seconds();

	lg->close_on_up = true;
	loop(r, t0 + (sg_usec_t)(r->duration * 1e6), r->clients, false, NULL, "setup");
	secs = (double)(lg_now() - t0) / 1e6;
	lg->close_on_up = false;
	return json_pack("{s:I, s:f, s:f, s:f, s:i, s:f}", "tunnels", (json_int_t)(lg->st.up - up0),
			 "seconds", secs, "tunnels_per_s", (double)(lg->st.up - up0) / secs,
			 "mean_setup_ms",
			 lg->st.up > up0 ? (double)(lg->st.setup_us_sum - us0) / 1e3 /
					       (double)(lg->st.up - up0)
					 : -1.0,
			 "parallel", (int)r->clients, "loadgen_cpu_s", cpu_seconds() - cpu0);
}

static json_t *mode_concurrency(struct run *r)
{
	long rss0 = rss_kib(r->pid), rss1;
	sg_usec_t t0 = lg_now();
	double up_s;

	loop(r, t0 + (sg_usec_t)(r->setup_max * 1e6), r->clients, false, all_up, "opening");
	up_s = (double)(lg_now() - t0) / 1e6;
	loop(r, lg_now() + (sg_usec_t)(r->duration * 1e6), r->clients, false, NULL, "holding");
	rss1 = rss_kib(r->pid);
	return json_pack("{s:i, s:i, s:f, s:I, s:I, s:o}", "asked", (int)r->clients, "held",
			 (int)r->lg.nup, "open_seconds", up_s, "server_rss_before_kib",
			 (json_int_t)rss0, "server_rss_after_kib", (json_int_t)rss1,
			 "server_kib_per_session",
			 rss0 > 0 && rss1 > 0 && r->lg.nup > 0
			     ? json_real((double)(rss1 - rss0) / r->lg.nup)
			     : json_null());
}

static json_t *mode_traffic(struct run *r)
{
	json_t *trials = json_array(), *best = NULL, *res;
	double lo = 0, hi = 0, asked = r->rate;

	loop(r, lg_now() + (sg_usec_t)(r->setup_max * 1e6), r->clients, false, all_up, "opening");
	if (r->lg.nup == 0)
		return json_pack("{s:s, s:o}", "error", "no tunnel came up", "trials", trials);
	if (r->nrates > 0) { /* --rates: one trial per rate on the same tunnels */
		for (int i = 0; i < r->nrates && !stop && r->lg.nup > 0; i++) {
			r->rate = r->rates[i];
			json_array_append_new(trials, trial(r, r->duration));
		}
		r->rate = asked;
		return json_pack("{s:O?, s:o}", "result", json_array_get(trials, 0), "trials", trials);
	}
	if (r->mode == M_LATENCY || r->search_steps == 0) {
		res = trial(r, r->duration);
		json_array_append(trials, res);
		return json_pack("{s:o, s:o}", "result", res, "trials", trials);
	}
	/* Double until the loss exceeds the limit, then bisect. */
	for (int step = 0; step < 2 * r->search_steps + 8 && !stop && r->lg.nup > 0; step++) {
		double loss;
		bool limited;

		res = trial(r, r->duration);
		json_array_append_new(trials, res);
		loss = json_real_value(json_object_get(res, "loss"));
		limited = json_is_true(json_object_get(res, "generator_limited"));
		if (!r->quiet)
			fprintf(stderr, "rate %.0f pps: loss %.4f%%%s\n", r->rate, loss * 100,
				limited ? " (generator could not send at this rate)" : "");
		if (loss <= r->loss_max && !limited) {
			lo = r->rate;
			best = res;
		} else {
			hi = r->rate;
		}
		if (hi == 0)
			r->rate *= 2;
		else if (hi - lo <= hi / (1 << r->search_steps) || step >= 2 * r->search_steps + 6)
			break;
		else
			r->rate = (lo + hi) / 2;
	}
	r->rate = asked;
	return json_pack("{s:O?, s:f, s:f, s:o}", "best", best, "max_rate_pps", lo, "loss_limit",
			 r->loss_max, "trials", trials);
}

static bool churn_done(struct run *r)
{
	return r->lg.nup + r->lg.pending == 0 && r->lg.nfree == r->lg.ncl;
}

static json_t *mode_churn(struct run *r)
{
	struct lg *lg = &r->lg;
	const struct lg_stats *st = &lg->st;
	sg_usec_t t0 = lg_now();
	double secs, loss;

	r->churn = true;
	loop(r, t0 + (sg_usec_t)(r->duration * 1e6), r->clients, r->rate > 0, NULL, "churn");
	/* The end: no new call; calls being set up may finish (then end cleanly). */
	r->no_reopen = true;
	loop(r, lg_now() + lg->o->setup_timeout + 2 * SG_USEC_PER_SEC, r->clients, false,
	     churn_done, "ending");
	secs = (double)(lg_now() - t0) / 1e6;
	loss = st->tx_pkts ? 1.0 - (double)st->rx_pkts / (double)st->tx_pkts : 0.0;
	return json_pack("{s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:i}",
			 "seconds", secs, "calls_started", (json_int_t)st->started,
			 "calls_up", (json_int_t)st->up, "calls_completed", (json_int_t)st->closed,
			 "calls_failed", (json_int_t)st->failed, "ended_disconnect",
			 (json_int_t)st->ended_disconnect, "ended_rst", (json_int_t)st->ended_rst,
			 "ended_fin", (json_int_t)st->ended_fin, "auth_pap",
			 (json_int_t)st->auth_pap, "auth_mschapv2", (json_int_t)st->auth_mschapv2,
			 "tx_pkts", (json_int_t)st->tx_pkts, "rx_pkts", (json_int_t)st->rx_pkts,
			 "loss", loss < 0 ? 0.0 : loss, "left_open", (int)(lg->nup + lg->pending));
}

/* LAN-side reflector for inner UDP: swap nothing, just send each datagram back. */
static json_t *mode_udp_echo(struct run *r)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(r->o.udp_port)};
	sg_usec_t until = lg_now() + (sg_usec_t)(r->duration * 1e6);
	uint64_t pkts = 0, bytes = 0, errs = 0;
	uint8_t buf[65536];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {0, 100000};

	if (r->o.nbind > 0)
		sa.sin_addr = r->o.bind[0];
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return json_pack("{s:s}", "error", "cannot bind the UDP port");
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!r->quiet)
		fprintf(stderr, "udp-echo: listening on port %u\n", r->o.udp_port);
	while (!stop && lg_now() < until) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n < 0)
			continue;
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) == n) {
			pkts++;
			bytes += (uint64_t)n;
		} else {
			errs++;
		}
	}
	close(fd);
	return json_pack("{s:I, s:I, s:I}", "echoed_pkts", (json_int_t)pkts, "echoed_bytes",
			 (json_int_t)bytes, "send_errors", (json_int_t)errs);
}

static const char *const dir_names[] = {"echo", "up", "down"};

static void put_counter(void *arg, const char *name, uint64_t v)
{
	json_object_set_new(arg, name, json_integer((json_int_t)v));
}

/* End every tunnel with an SSTP disconnect and give the server 2 s to answer and the
 * transport to finish its TCP closes. */
static void close_all(struct run *r)
{
	struct lg *lg = &r->lg;
	sg_usec_t until = lg_now() + 2 * SG_USEC_PER_SEC, last = 0;

	/* Set-ups still in progress end at once (abortive), open tunnels gracefully. */
	for (unsigned i = 0; i < lg->ncl; i++)
		if (lg->cl[i].state != LG_ST_FREE)
			lg_client_close(&lg->cl[i], lg->cl[i].state == LG_ST_UP, lg_now());
	while (lg_now() < until) {
		unsigned busy = 0;

		lg->tr->poll(lg, 1);
		for (unsigned i = 0; i < lg->ncl; i++)
			busy += lg->cl[i].state != LG_ST_FREE;
		if (busy == 0 && (!lg->tr->idle || lg->tr->idle(lg)))
			break;
		if (lg_now() - last >= 50 * SG_USEC_PER_MSEC) {
			last = lg_now();
			lg_timers(lg, last);
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sstp-loadgen --server IP:PORT --user U --password P [--mode "
		"setup|concurrency|throughput|latency|udp-echo|churn]\n"
		"  [--clients N] [--duration S] [--rate PPS] [--size BYTES] [--inner icmp|udp]\n"
		"  [--target IP] [--udp-port P] [--auth any|pap|mschapv2|mix] [--host NAME]\n"
		"  [--hold-min S] [--hold-max S] [--seed N]\n"
		"  [--bind IP[,IP...]] [--max-pending N] [--setup-timeout S] [--setup-max S]\n"
		"  [--search STEPS] [--loss PERCENT] [--pid SERVER_PID] [--json PATH] [--tls12]\n"
		"  [--min-up N] [--min-rx N] [--quiet]\n"
		"  memif: --transport memif --wan-sock PATH --lan-sock PATH [--lcore N]\n"
		"  [--local-ip IP] [--lan-ip IP] [--lan-gw IP] [--dir echo|up|down] [--size imix]\n"
		"  [--linger] [--drain S] [--rates PPS,PPS,...]\n");
}

static int parse_addr(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	long port = 443;

	if (colon) {
		if ((size_t)(colon - s) >= sizeof(host))
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = 0;
		port = strtol(colon + 1, NULL, 10);
	} else {
		snprintf(host, sizeof(host), "%s", s);
	}
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return port > 0 && port < 65536 && inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int parse_args(struct run *r, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"server", 1, 0, 's'},	  {"user", 1, 0, 'u'},	     {"password", 1, 0, 'p'},
	    {"mode", 1, 0, 'm'},	  {"clients", 1, 0, 'n'},    {"duration", 1, 0, 'd'},
	    {"rate", 1, 0, 'r'},	  {"size", 1, 0, 'z'},	     {"inner", 1, 0, 'i'},
	    {"target", 1, 0, 't'},	  {"udp-port", 1, 0, 'U'},   {"auth", 1, 0, 'a'},
	    {"host", 1, 0, 'H'},	  {"bind", 1, 0, 'b'},	     {"max-pending", 1, 0, 'P'},
	    {"setup-timeout", 1, 0, 'T'}, {"setup-max", 1, 0, 'M'},  {"search", 1, 0, 'S'},
	    {"loss", 1, 0, 'l'},	  {"pid", 1, 0, 'k'},	     {"json", 1, 0, 'j'},
	    {"tls12", 0, 0, '2'},	  {"min-up", 1, 0, 'x'},     {"min-rx", 1, 0, 'y'},
	    {"quiet", 0, 0, 'q'},	  {"help", 0, 0, 'h'},	     {"transport", 1, 0, 'X'},
	    {"wan-sock", 1, 0, 'W'},	  {"lan-sock", 1, 0, 'L'},   {"lcore", 1, 0, 'c'},
	    {"local-ip", 1, 0, 'A'},	  {"lan-ip", 1, 0, 'B'},     {"lan-gw", 1, 0, 'G'},
	    {"dir", 1, 0, 'D'},		  {"linger", 0, 0, 'g'},     {"drain", 1, 0, 'R'},
	    {"hold-min", 1, 0, 1001},	  {"hold-max", 1, 0, 1002},  {"seed", 1, 0, 1003},
	    {"rates", 1, 0, 'Q'},
	    {0, 0, 0, 0}};
	struct in_addr a;
	int c;

	r->o.host = "sstp.example";
	r->o.size = 100;
	r->o.udp_port = 7;
	r->o.setup_timeout = 30 * SG_USEC_PER_SEC;
	r->o.max_pending = 64;
	r->o.target = 0xc0000201; /* 192.0.2.1 */
	parse_addr("127.0.0.1:443", &r->o.server);
	r->clients = 1;
	r->duration = 5;
	r->setup_max = 60;
	r->loss_max = 0.001;
	r->hold_min = 1;
	r->hold_max = 10;
	r->rng = (uint64_t)getpid();
	r->drain = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_addr(optarg, &r->o.server) < 0)
				return -1;
			break;
		case 'u': r->o.user = optarg; break;
		case 'p': r->o.password = optarg; break;
		case 'm':
			for (c = 0; c < M_COUNT && strcmp(optarg, mode_names[c]); c++)
				;
			if (c == M_COUNT)
				return -1;
			r->mode = (enum mode)c;
			break;
		case 'n': r->clients = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'd': r->duration = strtod(optarg, NULL); break;
		case 'r': r->rate = strtod(optarg, NULL); break;
		case 'z':
			r->o.imix = strcmp(optarg, "imix") == 0;
			r->o.size = r->o.imix ? 64 : (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'X':
			if (strcmp(optarg, "memif") != 0 && strcmp(optarg, "kernel") != 0)
				return -1;
			r->memif = strcmp(optarg, "memif") == 0;
			break;
		case 'W': r->mo.wan_sock = optarg; break;
		case 'L': r->mo.lan_sock = optarg; break;
		case 'c': r->mo.lcore = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'A':
		case 'B':
		case 'G':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				return -1;
			*(c == 'A' ? &r->mo.local_ip : c == 'B' ? &r->mo.lan_ip : &r->mo.lan_gw) =
			    ntohl(a.s_addr);
			break;
		case 'D':
			r->o.dir = strcmp(optarg, "up") == 0	 ? LG_DIR_UP
				   : strcmp(optarg, "down") == 0 ? LG_DIR_DOWN
								 : LG_DIR_ECHO;
			break;
		case 'g': r->linger = true; break;
		case 'R': r->drain = strtod(optarg, NULL); break;
		case 'Q':
			for (char *tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				if (r->nrates == (int)SG_ARRAY_SIZE(r->rates))
					return -1;
				r->rates[r->nrates] = strtod(tok, NULL);
				if (r->rates[r->nrates++] <= 0)
					return -1;
			}
			r->rate = r->rates[0];
			break;
		case 'i': r->o.inner = strcmp(optarg, "udp") == 0 ? LG_INNER_UDP : LG_INNER_ICMP; break;
		case 't':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				return -1;
			r->o.target = ntohl(a.s_addr);
			break;
		case 'U': r->o.udp_port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'a':
			r->o.auth_mix = strcmp(optarg, "mix") == 0;
			r->o.auth = strcmp(optarg, "pap") == 0	       ? SG_PPP_AUTH_PAP
				    : strcmp(optarg, "mschapv2") == 0 ? SG_PPP_AUTH_MSCHAPV2
								       : 0;
			break;
		case 'H': r->o.host = optarg; break;
		case 'b':
			for (char *tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				if (r->o.nbind == LG_MAX_BIND ||
				    inet_pton(AF_INET, tok, &r->o.bind[r->o.nbind]) != 1)
					return -1;
				r->o.nbind++;
			}
			break;
		case 'P': r->o.max_pending = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'T': r->o.setup_timeout = (sg_usec_t)(strtod(optarg, NULL) * 1e6); break;
		case 'M': r->setup_max = strtod(optarg, NULL); break;
		case 'S': r->search_steps = atoi(optarg); break;
		case 'l': r->loss_max = strtod(optarg, NULL) / 100; break;
		case 'k': r->pid = strtol(optarg, NULL, 10); break;
		case 'j': r->json = optarg; break;
		case '2': r->o.tls12 = true; break;
		case 'x': r->min_up = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'y': r->min_rx = strtoull(optarg, NULL, 10); break;
		case 'q': r->quiet = true; break;
		case 1001: r->hold_min = strtod(optarg, NULL); break;
		case 1002: r->hold_max = strtod(optarg, NULL); break;
		case 1003: r->rng = strtoull(optarg, NULL, 10); break;
		default: return -1;
		}
	}
	if (r->memif) {
		/* Defaults: the lab addresses bench/gateway and the memif test use. */
		if (!r->mo.local_ip)
			r->mo.local_ip = 0xc0000202; /* 192.0.2.2 */
		if (!r->mo.lan_ip)
			r->mo.lan_ip = 0xc6336402; /* 198.51.100.2 */
		if (!r->mo.lan_gw)
			r->mo.lan_gw = 0xc6336401; /* 198.51.100.1 */
		r->o.target = r->mo.lan_ip;
		r->o.inner = LG_INNER_UDP; /* the LAN side speaks UDP only */
		if (!r->mo.wan_sock || !r->mo.lan_sock || r->mode == M_UDP_ECHO)
			return -1;
	} else if (r->o.dir != LG_DIR_ECHO) {
		return -1; /* one-way needs both ends in this process */
	}
	if (r->mode == M_UDP_ECHO && !r->o.user)
		r->o.user = r->o.password = "-"; /* no tunnels in this mode */
	if (!r->o.user || !r->o.password || r->clients == 0 || r->clients > 1000000 ||
	    r->o.size < 48 || r->o.size > 1500 || r->duration <= 0 || r->duration > 3600 ||
	    r->setup_max <= 0 || r->setup_max > 3600 || r->o.max_pending == 0 ||
	    r->search_steps < 0 || r->search_steps > 12 || r->rate < 0 || r->drain < 0 ||
	    r->drain > 60 || r->hold_min < 0 || r->hold_max < r->hold_min)
		return -1;
	if (r->rng == 0)
		r->rng = 0x9e3779b97f4a7c15ull; /* xorshift never leaves 0 */
	if ((r->mode == M_THROUGHPUT || r->mode == M_LATENCY) && r->rate <= 0)
		r->rate = r->mode == M_LATENCY ? 100 : 1000;
	return 0;
}

int main(int argc, char **argv)
{
	static struct run r;
	char err[256], path[256], srv[64];
	json_t *out, *res, *fails;
	double cpu0 = cpu_seconds();
	int rc = 0;

	if (parse_args(&r, argc, argv) < 0) {
		usage();
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (lg_init(&r.lg, &r.o, r.clients, err, sizeof(err)) < 0) {
		fprintf(stderr, "sstp-loadgen: %s\n", err);
		return 1;
	}
	if (r.memif && lg_memif_attach(&r.lg, &r.mo, err, sizeof(err)) < 0) {
		fprintf(stderr, "sstp-loadgen: memif: %s\n", err);
		lg_fini(&r.lg);
		return 1;
	}
	r.t0 = lg_now();
	r.open_limit = r.clients;
	switch (r.mode) {
	case M_SETUP: res = mode_setup(&r); break;
	case M_CONCURRENCY: res = mode_concurrency(&r); break;
	case M_UDP_ECHO: res = mode_udp_echo(&r); break;
	case M_CHURN: res = mode_churn(&r); break;
	default: res = mode_traffic(&r); break;
	}
	if (r.memif)
		close_all(&r);
	fails = json_object();
	for (int i = 0; i < LG_MAX_REASONS && r.lg.st.reason[i][0]; i++)
		json_object_set_new(fails, r.lg.st.reason[i], json_integer((json_int_t)r.lg.st.reason_count[i]));
	snprintf(srv, sizeof(srv), "%s:%u", inet_ntoa(r.o.server.sin_addr), ntohs(r.o.server.sin_port));
	out = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:f, s:f, s:I, s:I, s:I, s:o, s:o, s:f}",
			"tool", "sstp-loadgen", "transport", r.lg.tr->name, "mode", mode_names[r.mode],
			"clients", (int)r.clients, "inner_size", (int)r.o.size, "inner",
			r.o.inner == LG_INNER_UDP ? "udp" : "icmp", "duration_s", r.duration,
			"rate_pps", r.rate, "tunnels_started", (json_int_t)r.lg.st.started,
			"tunnels_up", (json_int_t)r.lg.st.up, "tunnels_failed",
			(json_int_t)r.lg.st.failed, "failures", fails, "result", res,
			"loadgen_cpu_s", cpu_seconds() - cpu0);
	json_object_set_new(out, "server", json_string(srv));
	json_object_set_new(out, "direction", json_string(dir_names[r.o.dir]));
	json_object_set_new(out, "delay", json_string(r.o.dir == LG_DIR_ECHO ? "round_trip" : "one_way"));
	if (r.o.imix)
		json_object_set_new(out, "inner_size", json_string("imix"));
	if (r.lg.tr->counters) {
		json_t *tc = json_object();

		r.lg.tr->counters(&r.lg, put_counter, tc);
		json_object_set_new(out, "transport_counters", tc);
	}
	if (r.lg.st.up < r.min_up) {
		fprintf(stderr, "sstp-loadgen: %llu tunnels up, wanted at least %u\n",
			(unsigned long long)r.lg.st.up, r.min_up);
		rc = 1;
	}
	if (r.min_rx && r.lg.st.rx_pkts < r.min_rx) {
		fprintf(stderr, "sstp-loadgen: %llu inner replies, wanted at least %llu\n",
			(unsigned long long)r.lg.st.rx_pkts, (unsigned long long)r.min_rx);
		rc = 1;
	}
	if (r.json)
		snprintf(path, sizeof(path), "%s", r.json);
	else
		snprintf(path, sizeof(path), "/tmp/sstp-loadgen-%ld-%s.json", (long)getpid(),
			 mode_names[r.mode]);
	if (json_dump_file(out, path, JSON_INDENT(2) | JSON_SORT_KEYS) < 0) {
		fprintf(stderr, "sstp-loadgen: cannot write %s\n", path);
		rc = 1;
	}
	json_decref(out);
	printf("%s\n", path);
	fflush(stdout);
	/* --linger: wait for SIGTERM without polling, so the memif peer can stop first. */
	while (r.linger && !stop)
		usleep(10000);
	lg_fini(&r.lg);
	return rc;
}
