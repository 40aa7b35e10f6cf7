/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test driver for lib/aaa against a real FreeRADIUS: plays the control core (a poll loop
 * around the non-blocking client) and the PPP peer (computes CHAP / MS-CHAPv2 / EAP-MD5
 * answers). Prints key=value lines that tests/integration/aaa/radius.sh checks.
 *
 *   aaa_driver [--server 127.0.0.1:AUTH:ACCT:SECRET]... [--timeout-ms N] [--retries N] CMD
 *   CMD: auth pap|chap|mschapv2|eap-md5|eap-mschapv2 USER PASSWORD
 *        acct USER SESSION IN_OCTETS OUT_OCTETS     (Start, Interim, Stop)
 *        dae PORT SECRET SECONDS                    (answer one Disconnect-Request)
 *        forge                                      (fake server, wrong authenticator)
 *        bench COUNT CONCURRENCY USER PASSWORD      (PAP authentications per second)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "sg_aaa_codec.h"
#ifdef SG_AAA_HAVE_PPP
#include "sg_ppp_crypto.h"
#endif

static sg_usec_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (sg_usec_t) ts.tv_sec * SG_USEC_PER_SEC + (sg_usec_t) ts.tv_nsec / 1000;
}

static void hex(const char *key, const uint8_t *b, size_t n)
{
	printf("%s=", key);
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static struct sg_aaa_radius_opts opts;

static void add_server(const char *spec)
{
	char host[64], secret[256];
	unsigned auth, acct;
	struct sg_aaa_radius_server *s = &opts.servers[opts.n_servers];

	if (sscanf(spec, "%63[^:]:%u:%u:%128s", host, &auth, &acct, secret) != 4 ||
	    opts.n_servers >= SG_AAA_RADIUS_MAX_SERVERS) {
		fprintf(stderr, "bad --server %s\n", spec);
		exit(2);
	}
	struct sockaddr_in *a = (struct sockaddr_in *) &s->addr;
	a->sin_family = AF_INET;
	inet_pton(AF_INET, host, &a->sin_addr);
	s->auth_port = (uint16_t) auth;
	s->acct_port = (uint16_t) acct;
	memcpy(s->secret, secret, strnlen(secret, SG_AAA_SECRET_MAX));
	opts.n_servers++;
}

/* ---- the poll loop ------------------------------------------------------------------ */

static struct sg_aaa_result last;
static int completions, accepts;

static void on_done(void *arg, uint32_t h, const struct sg_aaa_result *res)
{
	(void) arg;
	(void) h;
	last = *res;
	completions++;
	accepts += res->status == SG_AAA_ACCEPT;
}

/* Run the client until `want` completions or `limit_us` passed. */
static void run(struct sg_aaa_radius *r, int want, sg_usec_t limit_us)
{
	sg_usec_t end = now_us() + limit_us;

	while (completions < want && now_us() < end) {
		struct pollfd pf[64];
		int fds[64];
		unsigned n = sg_aaa_radius_fds(r, fds, 64);
		sg_usec_t dl = sg_aaa_radius_next_deadline(r), t = now_us();
		int ms = dl == UINT64_MAX ? 100 : dl <= t ? 0 : (int) ((dl - t + 999) / 1000);

		for (unsigned i = 0; i < n; i++)
			pf[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		poll(pf, n, SG_MIN(ms, 100));
		sg_aaa_radius_poll(r, now_us());
	}
}

static void print_stats(struct sg_aaa_radius *r)
{
	struct sg_aaa_stats st;

	sg_aaa_radius_stats(r, &st);
	for (int i = 1; i < SG_AAA_DROP_COUNT; i++)
		if (st.drops[i])
			printf("drop_%s=%llu\n", sg_aaa_drop_name((enum sg_aaa_drop) i),
			       (unsigned long long) st.drops[i]);
	for (int i = 0; i < SG_AAA_EV_COUNT; i++)
		if (st.events[i])
			printf("ev_%s=%llu\n", sg_aaa_event_name((enum sg_aaa_event) i),
			       (unsigned long long) st.events[i]);
}

static void print_result(const struct sg_aaa_result *res)
{
	static const char *const st[] = {"?", "accept", "reject", "challenge", "timeout", "error"};
	char ip[64];

	printf("status=%s\n", st[res->status < 6 ? res->status : 0]);
	if (res->has & SG_AAA_HAS_FRAMED_IP)
		printf("framed_ip=%s\n", inet_ntop(AF_INET, &res->framed_ip, ip, sizeof(ip)));
	if (res->has & SG_AAA_HAS_FRAMED_IPV6_PREFIX)
		printf("framed_ipv6_prefix=%s/%u\n",
		       inet_ntop(AF_INET6, res->framed_ipv6_prefix, ip, sizeof(ip)),
		       res->framed_ipv6_prefix_len);
	if (res->has & SG_AAA_HAS_SESSION_TIMEOUT)
		printf("session_timeout=%u\n", res->session_timeout);
	if (res->has & SG_AAA_HAS_IDLE_TIMEOUT)
		printf("idle_timeout=%u\n", res->idle_timeout);
	if (res->has & SG_AAA_HAS_DNS1)
		printf("dns1=%s\n", inet_ntop(AF_INET, &res->dns[0], ip, sizeof(ip)));
	if (res->class_len)
		printf("class=%.*s\n", (int) res->class_len, (const char *) res->class_);
	if (res->reply_message[0])
		printf("reply_message=%s\n", res->reply_message);
	if (res->has & SG_AAA_HAS_MSCHAP2_SUCCESS)
		printf("mschap2_success=%s\n", res->mschap2_success);
	if (res->has & SG_AAA_HAS_KEYS)
		hex("hlak", res->hlak, 32);
}

/* ---- commands ------------------------------------------------------------------------ */

#ifdef SG_AAA_HAVE_PPP
/*
 * EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2) relayed through RADIUS: Identity, NAK
 * the server's default method in favour of type 26, answer the challenge, check the
 * server's authenticator response, acknowledge the success; the Access-Accept carries the
 * MSK in MS-MPPE-Recv/Send-Key.
 */
static int eap_mschapv2(struct sg_aaa_radius *r, struct sg_aaa_auth_req *rq, const char *user,
			const char *pw)
{
	uint8_t out[300], hash[16], nt[24], peer[16], auth_chal[16];
	size_t ul = strlen(user);
	int rounds = 0;
	bool server_ok = false;

	out[0] = 2;
	out[1] = 0;
	out[2] = (uint8_t) ((5 + ul) >> 8);
	out[3] = (uint8_t) (5 + ul);
	out[4] = 1; /* Identity */
	memcpy(out + 5, user, ul);
	rq->method = SG_AAA_EAP;
	rq->eap = out;
	rq->eap_len = 5 + ul;
	if (sg_ppp_nt_password_hash(pw, strlen(pw), hash) != 0)
		return 1;
	for (;;) {
		size_t n;

		if (sg_aaa_radius_auth(r, rq, now_us(), on_done, NULL) < 0)
			return 1;
		run(r, ++rounds, 10 * SG_USEC_PER_SEC);
		if (last.status != SG_AAA_CHALLENGE || rounds > 6)
			break;
		if (last.eap_len < 5 || last.eap[0] != 1)
			return 1;
		memcpy(rq->state, last.state, last.state_len);
		rq->state_len = last.state_len;
		uint8_t id = last.eap[1], type = last.eap[4];
		if (type != 26) { /* NAK, desired auth type 26 */
			out[0] = 2;
			out[1] = id;
			out[2] = 0;
			out[3] = 6;
			out[4] = 3;
			out[5] = 26;
			rq->eap_len = 6;
			printf("eap_nak_type=%u\n", type);
			continue;
		}
		uint8_t op = last.eap[5];
		if (op == 1 && last.eap_len >= 10 + 16 && last.eap[9] == 16) {
			memcpy(auth_chal, last.eap + 10, 16);
			RAND_bytes(peer, 16);
			sg_ppp_mschap_nt_response(auth_chal, peer, user, ul, hash, nt);
			n = 10 + 49 + ul;
			out[0] = 2;
			out[1] = id;
			out[2] = (uint8_t) (n >> 8);
			out[3] = (uint8_t) n;
			out[4] = 26;
			out[5] = 2;	      /* Response */
			out[6] = last.eap[6]; /* MS-CHAPv2-ID */
			out[7] = (uint8_t) ((n - 5) >> 8);
			out[8] = (uint8_t) (n - 5);
			out[9] = 49;
			memcpy(out + 10, peer, 16);
			memset(out + 26, 0, 8);
			memcpy(out + 34, nt, 24);
			out[58] = 0;
			memcpy(out + 59, user, ul);
			rq->eap_len = n;
			printf("eap_mschapv2_challenge=1\n");
		} else if (op == 3) {
			char want[SG_MSCHAP_AUTH_RESP_LEN + 1];

			sg_ppp_mschap_authenticator_response(hash, nt, peer, auth_chal, user, ul,
							     want);
			server_ok = last.eap_len >= 9 + 42 && memcmp(last.eap + 9, want, 42) == 0;
			printf("eap_server_authenticated=%d\n", server_ok);
			out[0] = 2;
			out[1] = id;
			out[2] = 0;
			out[3] = 6;
			out[4] = 26;
			out[5] = 3; /* Success-Response */
			rq->eap_len = 6;
		} else {
			printf("eap_mschapv2_opcode=%u\n", op);
			return 1;
		}
	}
	print_result(&last);
	if (last.eap_len >= 4)
		printf("eap_code=%u\n", last.eap[0]);
	if (last.status == SG_AAA_ACCEPT) {
		/* MSK = MasterReceiveKey || MasterSendKey || zeros: HLAK = its first 32 bytes */
		uint8_t send[16], recv[16];

		sg_ppp_mppe_keys(hash, nt, 1, send, recv);
		printf("local_hlak_match=%d\n", (last.has & SG_AAA_HAS_KEYS) &&
						    memcmp(last.hlak, recv, 16) == 0 &&
						    memcmp(last.hlak + 16, send, 16) == 0);
	}
	print_stats(r);
	return 0;
}
#endif

static int cmd_auth(struct sg_aaa_radius *r, const char *method, const char *user, const char *pw)
{
	struct sg_aaa_auth_req rq;

	memset(&rq, 0, sizeof(rq));
	snprintf(rq.user, sizeof(rq.user), "%s", user);
	snprintf(rq.calling_station_id, sizeof(rq.calling_station_id), "198.51.100.7:40000");
	RAND_bytes(rq.challenge, 16);
	RAND_bytes(&rq.chap_id, 1);
	if (strcmp(method, "pap") == 0) {
		rq.method = SG_AAA_PAP;
		snprintf(rq.password, sizeof(rq.password), "%s", pw);
	} else if (strcmp(method, "chap") == 0) {
		rq.method = SG_AAA_CHAP_MD5;
		sg_aaa_chap_md5(rq.chap_response, rq.chap_id, pw, strlen(pw), rq.challenge, 16);
	} else if (strcmp(method, "mschapv2") == 0) {
#ifdef SG_AAA_HAVE_PPP
		uint8_t hash[16];

		rq.method = SG_AAA_MSCHAPV2;
		RAND_bytes(rq.peer_challenge, 16);
		if (sg_ppp_nt_password_hash(pw, strlen(pw), hash) != 0 ||
		    sg_ppp_mschap_nt_response(rq.challenge, rq.peer_challenge, user, strlen(user),
					      hash, rq.nt_response) != 0) {
			printf("error=ppp_crypto\n");
			return 1;
		}
#else
		printf("skip=no lib/ppp\n");
		return 0;
#endif
	} else if (strcmp(method, "eap-mschapv2") == 0) {
#ifdef SG_AAA_HAVE_PPP
		return eap_mschapv2(r, &rq, user, pw);
#else
		printf("skip=no lib/ppp\n");
		return 0;
#endif
	} else if (strcmp(method, "eap-md5") == 0) {
		uint8_t eap[300];
		size_t ul = strlen(user);

		/* EAP-Response/Identity */
		eap[0] = 2;
		eap[1] = 0;
		eap[2] = (uint8_t) ((5 + ul) >> 8);
		eap[3] = (uint8_t) (5 + ul);
		eap[4] = 1;
		memcpy(eap + 5, user, ul);
		rq.method = SG_AAA_EAP;
		rq.eap = eap;
		rq.eap_len = 5 + ul;
		if (sg_aaa_radius_auth(r, &rq, now_us(), on_done, NULL) < 0)
			return 1;
		run(r, 1, 10 * SG_USEC_PER_SEC);
		printf("eap_round1=%d\n", last.status);
		/* expect EAP-Request/MD5-Challenge: code 1, id, len, type 4, size, value */
		if (last.status != SG_AAA_CHALLENGE || last.eap_len < 6 || last.eap[0] != 1 ||
		    last.eap[4] != 4 || last.eap[5] + 6u > last.eap_len) {
			printf("status=bad_challenge\n");
			print_stats(r);
			return 1;
		}
		printf("eap_md5_challenge=1\n");
		uint8_t id = last.eap[1];
		uint8_t resp[22];
		resp[0] = 2;
		resp[1] = id;
		resp[2] = 0;
		resp[3] = 22;
		resp[4] = 4;
		resp[5] = 16;
		sg_aaa_chap_md5(resp + 6, id, pw, strlen(pw), last.eap + 6, last.eap[5]);
		memcpy(rq.state, last.state, last.state_len);
		rq.state_len = last.state_len;
		rq.eap = resp;
		rq.eap_len = 22;
		if (sg_aaa_radius_auth(r, &rq, now_us(), on_done, NULL) < 0)
			return 1;
		run(r, 2, 10 * SG_USEC_PER_SEC);
		print_result(&last);
		if (last.eap_len >= 4)
			printf("eap_code=%u\n", last.eap[0]); /* 3 = Success */
		print_stats(r);
		return 0;
	} else {
		return 2;
	}
	if (sg_aaa_radius_auth(r, &rq, now_us(), on_done, NULL) < 0)
		return 1;
	run(r, 1, 60 * SG_USEC_PER_SEC);
	print_result(&last);
#ifdef SG_AAA_HAVE_PPP
	if (rq.method == SG_AAA_MSCHAPV2 && last.status == SG_AAA_ACCEPT) {
		/* what lib/ppp derives locally from the same password must match RADIUS */
		uint8_t hash[16], send[16], recv[16];
		char want[SG_MSCHAP_AUTH_RESP_LEN + 1];

		sg_ppp_nt_password_hash(pw, strlen(pw), hash);
		sg_ppp_mschap_authenticator_response(hash, rq.nt_response, rq.peer_challenge,
						     rq.challenge, user, strlen(user), want);
		sg_ppp_mppe_keys(hash, rq.nt_response, 1, send, recv);
		printf("local_success_match=%d\n", strcmp(want, last.mschap2_success) == 0);
		printf("local_hlak_match=%d\n",
		       memcmp(last.hlak, recv, 16) == 0 && memcmp(last.hlak + 16, send, 16) == 0);
	}
#endif
	print_stats(r);
	return 0;
}

static int cmd_acct(struct sg_aaa_radius *r, const char *user, const char *session,
		    unsigned long long in, unsigned long long out)
{
	struct sg_aaa_acct rec;
	static const enum sg_aaa_acct_type types[] = {SG_AAA_ACCT_ON, SG_AAA_ACCT_START,
						      SG_AAA_ACCT_INTERIM, SG_AAA_ACCT_STOP,
						      SG_AAA_ACCT_OFF};

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.user, sizeof(rec.user), "%s", user);
	snprintf(rec.session_id, sizeof(rec.session_id), "%s", session);
	snprintf(rec.calling_station_id, sizeof(rec.calling_station_id), "198.51.100.7:40000");
	inet_pton(AF_INET, "192.0.2.10", &rec.framed_ip);
	memcpy(rec.class_, "cls-alice", 9);
	rec.class_len = 9;
	rec.event_time = (uint32_t) time(NULL);
	for (int i = 0; i < 5; i++) {
		struct sg_aaa_acct onoff;

		rec.type = types[i];
		if (rec.type == SG_AAA_ACCT_ON || rec.type == SG_AAA_ACCT_OFF) {
			/* NAS reboot markers: no session, no user */
			memset(&onoff, 0, sizeof(onoff));
			onoff.type = rec.type;
			onoff.event_time = rec.event_time;
			if (sg_aaa_radius_acct(r, &onoff, now_us(), on_done, NULL) < 0)
				return 1;
			run(r, i + 1, 30 * SG_USEC_PER_SEC);
			printf("acct_%d=%s\n", rec.type,
			       last.status == SG_AAA_ACCEPT ? "ok" : "failed");
			continue;
		}
		if (rec.type != SG_AAA_ACCT_START) {
			rec.in_octets = in / (rec.type == SG_AAA_ACCT_INTERIM ? 2 : 1);
			rec.out_octets = out / (rec.type == SG_AAA_ACCT_INTERIM ? 2 : 1);
			rec.in_packets = 1000;
			rec.out_packets = 2000;
			rec.session_time = rec.type == SG_AAA_ACCT_INTERIM ? 30 : 60;
			rec.terminate_cause = 1; /* User-Request */
		}
		if (sg_aaa_radius_acct(r, &rec, now_us(), on_done, NULL) < 0)
			return 1;
		run(r, i + 1, 30 * SG_USEC_PER_SEC);
		printf("acct_%d=%s\n", rec.type, last.status == SG_AAA_ACCEPT ? "ok" : "failed");
	}
	print_stats(r);
	return 0;
}

static uint32_t dae_decide(void *arg, const struct sg_aaa_dae_request *rq)
{
	char ip[32];

	(void) arg;
	printf("dae_code=%u\n", rq->code);
	printf("dae_session=%s\n", rq->session_id);
	printf("dae_user=%s\n", rq->user);
	if (rq->has & SG_AAA_DAE_HAS_FRAMED_IP)
		printf("dae_framed_ip=%s\n", inet_ntop(AF_INET, &rq->framed_ip, ip, sizeof(ip)));
	fflush(stdout);
	return strcmp(rq->session_id, "sess-live") == 0 ? 0 : SG_RADIUS_ERR_SESSION_NOT_FOUND;
}

static int cmd_dae(const char *port, const char *secret, int seconds)
{
	struct sg_aaa_dae_opts o;
	struct sg_aaa_dae *d;
	struct sockaddr_in *a = (struct sockaddr_in *) &o.listen;
	sg_usec_t end = now_us() + (sg_usec_t) seconds * SG_USEC_PER_SEC;
	int answered = 0;

	memset(&o, 0, sizeof(o));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t) atoi(port));
	inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
	a = (struct sockaddr_in *) &o.clients[0].addr;
	a->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
	snprintf(o.clients[0].secret, sizeof(o.clients[0].secret), "%s", secret);
	o.n_clients = 1;
	o.allow_no_msg_auth = false;
	o.event_window = 300;
	d = sg_aaa_dae_create(&o, dae_decide, NULL);
	if (d == NULL) {
		perror("dae");
		return 1;
	}
	printf("dae_listening=%u\n", sg_aaa_dae_port(d));
	fflush(stdout);
	while (answered == 0 && now_us() < end) {
		struct pollfd pf = {.fd = sg_aaa_dae_fd(d), .events = POLLIN};

		poll(&pf, 1, 100);
		answered += sg_aaa_dae_poll(d, (uint32_t) time(NULL));
	}
	printf("dae_answered=%d\n", answered);
	{
		struct sg_aaa_stats st;

		sg_aaa_dae_stats(d, &st);
		for (int i = 1; i < SG_AAA_DROP_COUNT; i++)
			if (st.drops[i])
				printf("dae_drop_%s=%llu\n", sg_aaa_drop_name((enum sg_aaa_drop) i),
				       (unsigned long long) st.drops[i]);
	}
	sg_aaa_dae_destroy(d);
	return answered == 1 ? 0 : 1;
}

/* A fake server on loopback that answers every request with a wrong authenticator. */
static int cmd_forge(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET}, from;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sg_aaa_radius *r;
	struct sg_aaa_auth_req rq;
	sg_usec_t end = now_us() + 5 * SG_USEC_PER_SEC;
	int forged = 0;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	bind(fd, (struct sockaddr *) &a, sizeof(a));
	getsockname(fd, (struct sockaddr *) &a, &al);
	memset(&opts, 0, sizeof(opts));
	opts.servers[0].addr.ss_family = AF_INET;
	((struct sockaddr_in *) &opts.servers[0].addr)->sin_addr = a.sin_addr;
	opts.servers[0].auth_port = ntohs(a.sin_port);
	snprintf(opts.servers[0].secret, sizeof(opts.servers[0].secret), "real-secret");
	opts.n_servers = 1;
	opts.timeout = 300 * SG_USEC_PER_MSEC;
	opts.retries = 2;
	r = sg_aaa_radius_create(&opts);
	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_PAP;
	snprintf(rq.user, sizeof(rq.user), "alice");
	snprintf(rq.password, sizeof(rq.password), "wonderland");
	sg_aaa_radius_auth(r, &rq, now_us(), on_done, NULL);
	while (completions == 0 && now_us() < end) {
		uint8_t req[SG_RADIUS_MAX_LEN];
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *) &from, &fl);

		if (n >= 20) { /* answer "Accept", signed with a secret we do not share */
			struct sg_aaa_pkt p;

			sg_aaa_pkt_init(&p, SG_RADIUS_ACCESS_ACCEPT, req[1], NULL);
			sg_aaa_pkt_add_msg_auth(&p);
			sg_aaa_pkt_sign_reply(&p, req + 4, (const uint8_t *) "attacker", 8);
			sendto(fd, p.buf, p.len, 0, (struct sockaddr *) &from, fl);
			forged++;
		}
		usleep(1000);
		sg_aaa_radius_poll(r, now_us());
	}
	printf("forged_sent=%d\n", forged);
	print_result(&last);
	print_stats(r);
	sg_aaa_radius_destroy(r);
	close(fd);
	return 0;
}

static int cmd_bench(struct sg_aaa_radius *r, long count, int conc, const char *user,
		     const char *pw)
{
	struct sg_aaa_auth_req rq;
	long submitted = 0;
	sg_usec_t t0 = now_us(), end = t0 + 120 * SG_USEC_PER_SEC;
	int fds[64];

	memset(&rq, 0, sizeof(rq));
	rq.method = SG_AAA_PAP;
	snprintf(rq.user, sizeof(rq.user), "%s", user);
	snprintf(rq.password, sizeof(rq.password), "%s", pw);
	while (completions < count && now_us() < end) {
		while (submitted < count && submitted - completions < conc) {
			if (sg_aaa_radius_auth(r, &rq, now_us(), on_done, NULL) < 0)
				break;
			submitted++;
		}
		unsigned n = sg_aaa_radius_fds(r, fds, 64);
		struct pollfd pf[64];

		for (unsigned i = 0; i < n; i++)
			pf[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		poll(pf, n, 10);
		sg_aaa_radius_poll(r, now_us());
	}
	double secs = (double) (now_us() - t0) / 1e6;
	printf("bench_completed=%d\n", completions);
	printf("bench_accepted=%d\n", accepts);
	printf("bench_seconds=%.3f\n", secs);
	printf("bench_auth_per_sec=%.0f\n", completions / secs);
	printf("last_status=%d\n", last.status);
	print_stats(r);
	return 0;
}

int main(int argc, char **argv)
{
	struct sg_aaa_radius *r;
	int i = 1, rc;

	opts.timeout = 1 * SG_USEC_PER_SEC;
	opts.retries = 2;
	opts.dead_time = 30 * SG_USEC_PER_SEC;
	snprintf(opts.nas_identifier, sizeof(opts.nas_identifier), "sstpgw-it");
	inet_pton(AF_INET, "127.0.0.1", &opts.nas_ip);
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			return 2;
		if (strcmp(argv[i], "--server") == 0)
			add_server(argv[i + 1]);
		else if (strcmp(argv[i], "--timeout-ms") == 0)
			opts.timeout = (sg_usec_t) atoi(argv[i + 1]) * SG_USEC_PER_MSEC;
		else if (strcmp(argv[i], "--retries") == 0)
			opts.retries = (unsigned) atoi(argv[i + 1]);
		else
			return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i >= argc)
		return 2;
	if (strcmp(argv[i], "dae") == 0 && i + 3 < argc)
		return cmd_dae(argv[i + 1], argv[i + 2], atoi(argv[i + 3]));
	if (strcmp(argv[i], "forge") == 0)
		return cmd_forge();
	r = sg_aaa_radius_create(&opts);
	if (r == NULL) {
		perror("sg_aaa_radius_create");
		return 1;
	}
	if (strcmp(argv[i], "auth") == 0 && i + 3 < argc)
		rc = cmd_auth(r, argv[i + 1], argv[i + 2], argv[i + 3]);
	else if (strcmp(argv[i], "acct") == 0 && i + 4 < argc)
		rc = cmd_acct(r, argv[i + 1], argv[i + 2], strtoull(argv[i + 3], NULL, 10),
			      strtoull(argv[i + 4], NULL, 10));
	else if (strcmp(argv[i], "bench") == 0 && i + 4 < argc)
		rc = cmd_bench(r, atol(argv[i + 1]), atoi(argv[i + 2]), argv[i + 3], argv[i + 4]);
	else
		rc = 2;
	sg_aaa_radius_destroy(r);
	return rc;
}
