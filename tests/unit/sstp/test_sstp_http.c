/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP phase: real client requests are accepted whole and split at every
 * byte; each hostile request gets its exact HTTP error; the writers produce
 * what the parsers (ours and the client's) accept.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sg_sstp.h"

#define PATH SG_SSTP_HTTP_PATH
#define CL   "Content-Length: 18446744073709551615\r\n"

/* What sstpc 1.0.18 and Windows send (modulo host and GUID). */
static const char sstpc_req[] =
    "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\n"
    "Host: vpn.example.net\r\n" CL "SSTPCORRELATIONID: {62C1E0C2-1B2D-4C2A-9A5B-0D1E2F3A4B5C}\r\n"
    "\r\n";

static int parse_all(struct sg_sstp_http_req *p, const char *s, size_t len)
{
	sg_sstp_http_req_init(p);
	return sg_sstp_http_req_parse(p, (const uint8_t *) s, len);
}

static void sstpc_request_is_accepted_and_correlation_kept(void **state)
{
	struct sg_sstp_http_req p;
	size_t len = strlen(sstpc_req);

	(void) state;
	assert_int_equal(parse_all(&p, sstpc_req, len), (int) len);
	assert_int_equal(p.status, 200);
	assert_int_equal(p.reason, SG_SSTP_R_HTTP_ACCEPTED);
	assert_string_equal(p.correlation_id, "{62C1E0C2-1B2D-4C2A-9A5B-0D1E2F3A4B5C}");
	assert_int_equal(sg_sstp_http_req_parse(&p, (const uint8_t *) "x", 1), 0);
}

static void request_split_at_every_byte_gives_the_same_result(void **state)
{
	char buf[1024];
	size_t len;

	(void) state;
	/* request followed by the first SSTP bytes in the same read */
	len = strlen(sstpc_req);
	memcpy(buf, sstpc_req, len);
	memcpy(buf + len, "\x10\x01\x00\x0e", 4);
	len += 4;
	for (size_t cut = 1; cut < len; cut++) {
		struct sg_sstp_http_req p;
		int a, b;

		sg_sstp_http_req_init(&p);
		a = sg_sstp_http_req_parse(&p, (const uint8_t *) buf, cut);
		if (a >= 0) {
			assert_int_equal(a, (int) strlen(sstpc_req));
		} else {
			assert_int_equal(a, -EAGAIN);
			b = sg_sstp_http_req_parse(&p, (const uint8_t *) buf + cut, len - cut);
			assert_int_equal(cut + (size_t) b, strlen(sstpc_req));
		}
		assert_int_equal(p.status, 200);
	}
}

static void tolerated_variants_are_accepted(void **state)
{
	static const char *const ok[] = {
	    /* tenant query, case-insensitive names and GUID, bare LF, extra headers */
	    "SSTP_DUPLEX_POST " PATH "?tenantid=abc-123 HTTP/1.1\r\nHost: h\r\n" CL "\r\n",
	    "SSTP_DUPLEX_POST /SRA_{ba195980-cd49-458B-9e23-c84ee0adcd75}/ HTTP/1.1\r\n"
	    "hOsT: h\r\ncontent-length:18446744073709551615  \r\n\r\n",
	    "SSTP_DUPLEX_POST " PATH " HTTP/1.1\nHost: h\n" CL "\n",
	    "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\nX-Long-Header-Name-That-Goes-On-"
	    "And-On-And-On-Past-Sixty-Four-Characters-Easily: v\r\n" CL "User-Agent: x\r\n\r\n",
	    /* malformed GUID in the correlation id is only logged */
	    "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\n" CL
	    "SSTPCORRELATIONID: {not-a-guid\r\n\r\n",
	};

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(ok); i++) {
		struct sg_sstp_http_req p;

		print_message("  ok %zu\n", i);
		assert_int_equal(parse_all(&p, ok[i], strlen(ok[i])), (int) strlen(ok[i]));
		assert_int_equal(p.status, 200);
	}
}

static const struct bad_req {
	const char *name;
	const char *req;
	int status;
	enum sg_sstp_reason reason;
} bad[] = {
    {"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"empty method", " / HTTP/1.1\r\n", 400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"no version", "SSTP_DUPLEX_POST " PATH "\r\n", 400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"bad version token", "SSTP_DUPLEX_POST " PATH " HTTX/1.1\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"two spaces", "SSTP_DUPLEX_POST  " PATH " HTTP/1.1\r\n", 400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"CR without LF", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\rX", 400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"HTTP/1.0", "SSTP_DUPLEX_POST " PATH " HTTP/1.0\r\nHost: h\r\n\r\n", 505,
     SG_SSTP_R_HTTP_BAD_VERSION},
    {"HTTP/2.0", "SSTP_DUPLEX_POST " PATH " HTTP/2.0\r\n", 505, SG_SSTP_R_HTTP_BAD_VERSION},
    {"browser GET /", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 404, SG_SSTP_R_HTTP_NOT_FOUND},
    {"wrong path", "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD76}/ HTTP/1.1\r\n",
     404, SG_SSTP_R_HTTP_NOT_FOUND},
    {"path prefix only",
     "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} HTTP/1.1\r\n", 404,
     SG_SSTP_R_HTTP_NOT_FOUND},
    {"path with suffix", "SSTP_DUPLEX_POST " PATH "x HTTP/1.1\r\n", 404, SG_SSTP_R_HTTP_NOT_FOUND},
    {"POST to the SSTP path", "POST " PATH " HTTP/1.1\r\n", 405, SG_SSTP_R_HTTP_BAD_METHOD},
    {"lower-case method", "sstp_duplex_post " PATH " HTTP/1.1\r\n", 405, SG_SSTP_R_HTTP_BAD_METHOD},
    {"no Host", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\n" CL "\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"empty Host", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: \r\n" CL "\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"no Content-Length", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\n\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"other Content-Length",
     "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"Content-Length overflow",
     "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551616\r\n",
     400, SG_SSTP_R_HTTP_BAD_REQUEST},
    {"Content-Length not a number",
     "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"two Content-Lengths", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\n" CL CL, 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"space before colon", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost : h\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"obs-fold", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\r\n  folded\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"NUL in value", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\0x\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
    {"header without colon", "SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost\r\n", 400,
     SG_SSTP_R_HTTP_BAD_REQUEST},
};

static void hostile_requests_get_their_http_error(void **state)
{
	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(bad); i++) {
		struct sg_sstp_http_req p;
		/* sizeof - 1 keeps embedded NULs */
		size_t len = strlen(bad[i].req);
		int n;

		if (strcmp(bad[i].name, "NUL in value") == 0)
			len = sizeof("SSTP_DUPLEX_POST " PATH " HTTP/1.1\r\nHost: h\0x\r\n") - 1;
		print_message("  %s\n", bad[i].name);
		n = parse_all(&p, bad[i].req, len);
		assert_true(n > 0 && (size_t) n <= len);
		assert_int_equal(p.status, bad[i].status);
		assert_int_equal(p.reason, bad[i].reason);
	}
}

static void oversized_requests_are_bounded(void **state)
{
	static char big[SG_SSTP_HTTP_MAX_HEADER + 2048];
	struct sg_sstp_http_req p;
	size_t len;
	int n;

	(void) state;
	/* a request target over 255 bytes */
	len = (size_t) snprintf(big, sizeof(big), "SSTP_DUPLEX_POST %s?", PATH);
	memset(big + len, 'a', 300);
	len += 300;
	n = parse_all(&p, big, len);
	assert_true(n > 0);
	assert_int_equal(p.status, 414);
	assert_int_equal(p.reason, SG_SSTP_R_HTTP_TARGET_TOO_LONG);

	/* headers that never end: 431 at the bound, fed in small pieces */
	len = (size_t) snprintf(big, sizeof(big), "SSTP_DUPLEX_POST %s HTTP/1.1\r\n", PATH);
	while (len + 16 < sizeof(big)) {
		memcpy(big + len, "X-Pad: aaaaaaa\r\n", 16);
		len += 16;
	}
	sg_sstp_http_req_init(&p);
	size_t off = 0;
	n = -EAGAIN;
	while (off < len && n == -EAGAIN) {
		size_t chunk = SG_MIN((size_t) 100, len - off);

		n = sg_sstp_http_req_parse(&p, (const uint8_t *) big + off, chunk);
		if (n == -EAGAIN)
			off += chunk;
		else
			off += (size_t) n;
	}
	assert_true(n >= 0);
	assert_int_equal(p.status, 431);
	assert_int_equal(p.reason, SG_SSTP_R_HTTP_HEADER_TOO_LARGE);
	assert_int_equal(off, SG_SSTP_HTTP_MAX_HEADER);
	/* an over-long method */
	memset(big, 'A', 100);
	n = parse_all(&p, big, 100);
	assert_true(n > 0);
	assert_int_equal(p.status, 400);
}

static void reply_writer_matches_spec_and_client_parser(void **state)
{
	char buf[512];
	struct sg_sstp_http_reply rp;
	int n;

	(void) state;
	n = sg_sstp_http_reply_write(buf, sizeof(buf), -1);
	assert_string_equal(buf, "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"
				 "Server: Microsoft-HTTPAPI/2.0\r\n\r\n");
	assert_int_equal(n, (int) strlen(buf));
	sg_sstp_http_reply_init(&rp);
	assert_int_equal(sg_sstp_http_reply_parse(&rp, (const uint8_t *) buf, (size_t) n), n);
	assert_int_equal(rp.code, 200);

	n = sg_sstp_http_reply_write(buf, sizeof(buf), 1764024826); /* 2025-11-24 22:53:46 UTC */
	assert_non_null(strstr(buf, "Date: Mon, 24 Nov 2025 22:53:46 GMT\r\n"));
	assert_int_equal(n, (int) strlen(buf));
	assert_int_equal(sg_sstp_http_reply_write(buf, 20, -1), -ENOSPC);
}

static void error_writer_closes_and_names_the_code(void **state)
{
	static const int codes[] = {400, 404, 405, 414, 431, 505};
	char buf[512];

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(codes); i++) {
		struct sg_sstp_http_reply rp;
		char want[32];
		int n = sg_sstp_http_error_write(buf, sizeof(buf), codes[i], -1);

		assert_true(n > 0);
		snprintf(want, sizeof(want), "HTTP/1.1 %d ", codes[i]);
		assert_memory_equal(buf, want, strlen(want));
		assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
		assert_non_null(strstr(buf, "\r\nContent-Length: 0\r\n"));
		sg_sstp_http_reply_init(&rp);
		assert_int_equal(sg_sstp_http_reply_parse(&rp, (const uint8_t *) buf, (size_t) n),
				 n);
		assert_int_equal(rp.code, codes[i]);
	}
	sg_sstp_http_error_write(buf, sizeof(buf), 405, -1);
	assert_non_null(strstr(buf, "Allow: SSTP_DUPLEX_POST\r\n"));
	assert_int_equal(sg_sstp_http_error_write(buf, sizeof(buf), 42, -1), -EINVAL);
}

static void request_writer_round_trips_through_server_parser(void **state)
{
	char buf[512];
	struct sg_sstp_http_req p;
	int n;

	(void) state;
	n = sg_sstp_http_request_write(buf, sizeof(buf), "vpn.example.net", "{ABC}");
	assert_true(n > 0);
	assert_int_equal(parse_all(&p, buf, (size_t) n), n);
	assert_int_equal(p.status, 200);
	assert_string_equal(p.correlation_id, "{ABC}");
	n = sg_sstp_http_request_write(buf, sizeof(buf), "h", NULL);
	assert_int_equal(parse_all(&p, buf, (size_t) n), n);
	assert_int_equal(p.status, 200);
	assert_int_equal(sg_sstp_http_request_write(buf, sizeof(buf), "", NULL), -EINVAL);
}

static void client_reply_parser_hostile_inputs(void **state)
{
	static const struct {
		const char *s;
		int rc;
	} cases[] = {
	    {"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", 0},
	    {"HTTP/1.0 404\r\n\r\n", 0},
	    {"HTTP/1.1 2000 OK\r\n\r\n", -EBADMSG},
	    {"HTTP/1.1 20 OK\r\n\r\n", -EBADMSG},
	    {"HTTQ/1.1 200 OK\r\n\r\n", -EBADMSG},
	    {"HTTP/2.0 200 OK\r\n\r\n", -EBADMSG},
	    {"HTTP/1.1 200 OK\r\n: x\r\n\r\n", -EBADMSG},
	    {"HTTP/1.1 200 OK\rX", -EBADMSG},
	    {"\x10\x01\x00\x08", -EBADMSG},
	};
	static char big[SG_SSTP_HTTP_MAX_HEADER + 100];
	struct sg_sstp_http_reply rp;

	(void) state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(cases); i++) {
		size_t len = strlen(cases[i].s);
		int n;

		sg_sstp_http_reply_init(&rp);
		n = sg_sstp_http_reply_parse(&rp, (const uint8_t *) cases[i].s, len);
		print_message("  reply %zu -> %d\n", i, n);
		if (cases[i].rc == 0)
			assert_int_equal(n, (int) len);
		else
			assert_int_equal(n, cases[i].rc);
	}
	/* split at every byte */
	const char *ok = cases[0].s;
	for (size_t cut = 1; cut < strlen(ok); cut++) {
		sg_sstp_http_reply_init(&rp);
		assert_int_equal(sg_sstp_http_reply_parse(&rp, (const uint8_t *) ok, cut), -EAGAIN);
		assert_int_equal(
		    sg_sstp_http_reply_parse(&rp, (const uint8_t *) ok + cut, strlen(ok) - cut),
		    (int) (strlen(ok) - cut));
		assert_int_equal(rp.code, 200);
	}
	size_t len = (size_t) snprintf(big, sizeof(big), "HTTP/1.1 200 OK\r\n");
	while (len + 8 < sizeof(big)) {
		memcpy(big + len, "X: aa\r\n", 7);
		len += 7;
	}
	sg_sstp_http_reply_init(&rp);
	assert_int_equal(sg_sstp_http_reply_parse(&rp, (const uint8_t *) big, len), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sstpc_request_is_accepted_and_correlation_kept),
	    cmocka_unit_test(request_split_at_every_byte_gives_the_same_result),
	    cmocka_unit_test(tolerated_variants_are_accepted),
	    cmocka_unit_test(hostile_requests_get_their_http_error),
	    cmocka_unit_test(oversized_requests_are_bounded),
	    cmocka_unit_test(reply_writer_matches_spec_and_client_parser),
	    cmocka_unit_test(error_writer_closes_and_names_the_code),
	    cmocka_unit_test(request_writer_round_trips_through_server_parser),
	    cmocka_unit_test(client_reply_parser_hostile_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
