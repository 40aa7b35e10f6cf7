/* SPDX-License-Identifier: BSD-3-Clause */
/* Resumable, bounded HTTP parsers and writers for the SSTP handshake (RFC 9112 subset). */
#include "sg_sstp_http.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum req_state {
	RQ_METHOD,
	RQ_TARGET,
	RQ_VERSION,
	RQ_LINE_LF,
	RQ_HDR_START,
	RQ_HDR_NAME,
	RQ_HDR_OWS,
	RQ_HDR_VALUE,
	RQ_HDR_LF,
	RQ_END_LF,
	RQ_DONE,
};

enum req_hdr { HDR_OTHER, HDR_HOST, HDR_CONTENT_LENGTH, HDR_CORRELATION };

#define METHOD_MAX  32
#define NAME_MAX_   64
#define VERSION_MAX 16

static bool is_tchar(uint8_t c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_vchar(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

void sg_sstp_http_req_init(struct sg_sstp_http_req *p)
{
	memset(p, 0, sizeof(*p));
	p->state = RQ_METHOD;
}

static bool path_matches(const char *t, size_t len)
{
	size_t plen = sizeof(SG_SSTP_HTTP_PATH) - 1;

	if (len < plen || strncasecmp(t, SG_SSTP_HTTP_PATH, plen) != 0)
		return false;
	return len == plen || t[plen] == '?'; /* ?tenantid=... tolerated */
}

/* "HTTP/d.d": 1 for HTTP/1.1, 0 for another well-formed version, -1 malformed. */
static int version_check(const char *v, size_t len)
{
	if (len != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
	    v[7] < '0' || v[7] > '9')
		return -1;
	return v[5] == '1' && v[7] == '1';
}

static int req_finish(struct sg_sstp_http_req *p, int status, enum sg_sstp_reason r)
{
	p->status = status;
	p->reason = r;
	p->state = RQ_DONE;
	return 1;
}

static int req_bad(struct sg_sstp_http_req *p)
{
	return req_finish(p, 400, SG_SSTP_R_HTTP_BAD_REQUEST);
}

/* End of the request line: decide what can be decided already. */
static int req_line_done(struct sg_sstp_http_req *p)
{
	if (!p->version_ok)
		return req_finish(p, 505, SG_SSTP_R_HTTP_BAD_VERSION);
	if (!p->path_ok)
		return req_finish(p, 404, SG_SSTP_R_HTTP_NOT_FOUND);
	if (!p->method_ok)
		return req_finish(p, 405, SG_SSTP_R_HTTP_BAD_METHOD);
	p->state = RQ_HDR_START;
	return 0;
}

static int req_header_done(struct sg_sstp_http_req *p)
{
	if (p->hdr == HDR_CONTENT_LENGTH) {
		if (p->cl_bad || !p->cl_digits || p->cl_done)
			return req_bad(p);
		p->cl_done = true;
		p->has_cl = true;
	}
	p->state = RQ_HDR_START;
	return 0;
}

static int req_complete(struct sg_sstp_http_req *p)
{
	if (!p->has_host || !p->has_cl || p->content_length != UINT64_MAX)
		return req_bad(p);
	return req_finish(p, 200, SG_SSTP_R_HTTP_ACCEPTED);
}

static void value_byte(struct sg_sstp_http_req *p, uint8_t c)
{
	switch (p->hdr) {
	case HDR_HOST:
		if (c != ' ' && c != '\t')
			p->has_host = true;
		break;
	case HDR_CONTENT_LENGTH:
		if (c >= '0' && c <= '9') {
			unsigned int d = (unsigned int) (c - '0');

			if (p->tok_len || p->content_length > (UINT64_MAX - d) / 10)
				p->cl_bad = true; /* digit after trailing space, or overflow */
			else
				p->content_length = p->content_length * 10 + d;
			p->cl_digits = true;
		} else if (c == ' ' || c == '\t') {
			if (p->cl_digits)
				p->tok_len = 1; /* trailing whitespace seen */
		} else {
			p->cl_bad = true;
		}
		break;
	case HDR_CORRELATION:
		if (p->corr_len + 1 < SG_SSTP_HTTP_CORRELATION_MAX && is_vchar(c))
			p->correlation_id[p->corr_len++] = (char) c;
		break;
	default:
		break;
	}
}

static void name_done(struct sg_sstp_http_req *p)
{
	p->tok[p->tok_len] = 0;
	if (strcasecmp(p->tok, "Host") == 0)
		p->hdr = HDR_HOST;
	else if (strcasecmp(p->tok, "Content-Length") == 0)
		p->hdr = HDR_CONTENT_LENGTH;
	else if (strcasecmp(p->tok, "SSTPCORRELATIONID") == 0)
		p->hdr = HDR_CORRELATION;
	else
		p->hdr = HDR_OTHER;
	if (p->hdr == HDR_CONTENT_LENGTH && p->cl_done)
		p->cl_bad = true; /* a second Content-Length */
	p->tok_len = 0;
}

/* One byte; returns 1 when the result is known, 0 to go on. */
static int req_byte(struct sg_sstp_http_req *p, uint8_t c)
{
	switch (p->state) {
	case RQ_METHOD:
		if (c == ' ' && p->tok_len) {
			p->method_ok = p->tok_len == sizeof(SG_SSTP_HTTP_METHOD) - 1 &&
				       memcmp(p->tok, SG_SSTP_HTTP_METHOD, p->tok_len) == 0;
			p->tok_len = 0;
			p->state = RQ_TARGET;
			return 0;
		}
		if (!is_tchar(c) || p->tok_len >= METHOD_MAX)
			return req_bad(p);
		p->tok[p->tok_len++] = (char) c;
		return 0;
	case RQ_TARGET:
		if (c == ' ' && p->tok_len) {
			p->path_ok = path_matches(p->tok, p->tok_len);
			p->tok_len = 0;
			p->state = RQ_VERSION;
			return 0;
		}
		if (!is_vchar(c))
			return req_bad(p);
		if (p->tok_len >= SG_SSTP_HTTP_MAX_TARGET)
			return req_finish(p, 414, SG_SSTP_R_HTTP_TARGET_TOO_LONG);
		p->tok[p->tok_len++] = (char) c;
		return 0;
	case RQ_VERSION:
		if (c == '\r' || c == '\n') {
			int v = version_check(p->tok, p->tok_len);

			if (v < 0)
				return req_bad(p);
			p->version_ok = v == 1;
			p->tok_len = 0;
			if (c == '\n')
				return req_line_done(p) ? 1 : 0;
			p->state = RQ_LINE_LF;
			return 0;
		}
		if (!is_vchar(c) || p->tok_len >= VERSION_MAX)
			return req_bad(p);
		p->tok[p->tok_len++] = (char) c;
		return 0;
	case RQ_LINE_LF:
		if (c != '\n')
			return req_bad(p);
		return req_line_done(p) ? 1 : 0;
	case RQ_HDR_START:
		if (c == '\r') {
			p->state = RQ_END_LF;
			return 0;
		}
		if (c == '\n')
			return req_complete(p);
		if (!is_tchar(c)) /* includes obs-fold (SP/HT at line start) */
			return req_bad(p);
		p->tok_len = 0;
		p->tok[p->tok_len++] = (char) c;
		p->state = RQ_HDR_NAME;
		return 0;
	case RQ_HDR_NAME:
		if (c == ':') {
			name_done(p);
			p->state = RQ_HDR_OWS;
			return 0;
		}
		if (!is_tchar(c))
			return req_bad(p);
		if (p->tok_len < NAME_MAX_)
			p->tok[p->tok_len++] = (char) c;
		else
			p->tok[0] = '\x7f'; /* too long for any header we know: never matches */
		return 0;
	case RQ_HDR_OWS:
		if (c == ' ' || c == '\t')
			return 0;
		p->state = RQ_HDR_VALUE;
		/* fall through */
	case RQ_HDR_VALUE:
		if (c == '\r') {
			p->state = RQ_HDR_LF;
			return 0;
		}
		if (c == '\n')
			return req_header_done(p) ? 1 : 0;
		if (c < 0x20 && c != '\t')
			return req_bad(p);
		if (c == 0x7f)
			return req_bad(p);
		value_byte(p, c);
		return 0;
	case RQ_HDR_LF:
		if (c != '\n')
			return req_bad(p);
		return req_header_done(p) ? 1 : 0;
	case RQ_END_LF:
		if (c != '\n')
			return req_bad(p);
		return req_complete(p);
	}
	return 1;
}

int sg_sstp_http_req_parse(struct sg_sstp_http_req *p, const uint8_t *buf, size_t len)
{
	if (p->state == RQ_DONE)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (p->total >= SG_SSTP_HTTP_MAX_HEADER) {
			req_finish(p, 431, SG_SSTP_R_HTTP_HEADER_TOO_LARGE);
			return (int) i;
		}
		p->total++;
		if (req_byte(p, buf[i])) {
			p->correlation_id[p->corr_len] = 0;
			return (int) (i + 1);
		}
	}
	if (p->total >= SG_SSTP_HTTP_MAX_HEADER) {
		req_finish(p, 431, SG_SSTP_R_HTTP_HEADER_TOO_LARGE);
		return (int) len;
	}
	return -EAGAIN;
}

/* ---- client side: the reply ---- */

enum reply_state {
	RP_VERSION,
	RP_CODE,
	RP_REASON,
	RP_LINE_LF,
	RP_HDR_START,
	RP_HDR,
	RP_HDR_LF,
	RP_END_LF,
	RP_DONE
};

void sg_sstp_http_reply_init(struct sg_sstp_http_reply *p)
{
	memset(p, 0, sizeof(*p));
}

static int reply_byte(struct sg_sstp_http_reply *p, uint8_t c)
{
	switch (p->state) {
	case RP_VERSION:
		if (c == ' ') {
			if (version_check(p->tok, p->tok_len) < 0 || p->tok[5] != '1')
				return -EBADMSG;
			p->tok_len = 0;
			p->state = RP_CODE;
			return 0;
		}
		if (!is_vchar(c) || p->tok_len >= sizeof(p->tok))
			return -EBADMSG;
		p->tok[p->tok_len++] = (char) c;
		return 0;
	case RP_CODE:
		if (c >= '0' && c <= '9' && p->tok_len < 3) {
			p->code = p->code * 10 + (c - '0');
			p->tok_len++;
			return 0;
		}
		if (p->tok_len != 3 || p->code < 100)
			return -EBADMSG;
		if (c == ' ') {
			p->state = RP_REASON;
			return 0;
		}
		if (c == '\r') {
			p->state = RP_LINE_LF;
			return 0;
		}
		if (c == '\n') {
			p->state = RP_HDR_START;
			return 0;
		}
		return -EBADMSG;
	case RP_REASON:
		if (c == '\r')
			p->state = RP_LINE_LF;
		else if (c == '\n')
			p->state = RP_HDR_START;
		else if (c < 0x20 && c != '\t')
			return -EBADMSG;
		return 0;
	case RP_LINE_LF:
	case RP_HDR_LF:
		if (c != '\n')
			return -EBADMSG;
		p->state = RP_HDR_START;
		return 0;
	case RP_HDR_START:
		if (c == '\r') {
			p->state = RP_END_LF;
			return 0;
		}
		if (c == '\n')
			return 1;
		if (!is_tchar(c))
			return -EBADMSG;
		p->state = RP_HDR;
		return 0;
	case RP_HDR:
		if (c == '\r')
			p->state = RP_HDR_LF;
		else if (c == '\n')
			p->state = RP_HDR_START;
		else if (c < 0x20 && c != '\t')
			return -EBADMSG;
		return 0;
	case RP_END_LF:
		return c == '\n' ? 1 : -EBADMSG;
	}
	return -EBADMSG;
}

int sg_sstp_http_reply_parse(struct sg_sstp_http_reply *p, const uint8_t *buf, size_t len)
{
	if (p->done)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int rc;

		if (p->total >= SG_SSTP_HTTP_MAX_HEADER)
			return -EMSGSIZE;
		p->total++;
		rc = reply_byte(p, buf[i]);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			p->done = true;
			p->state = RP_DONE;
			return (int) (i + 1);
		}
	}
	return -EAGAIN;
}

/* ---- writers ---- */

static int date_line(char *out, size_t cap, int64_t unix_time)
{
	time_t t = (time_t) unix_time;
	struct tm tm;

	out[0] = 0;
	if (unix_time < 0)
		return 0;
	if (!gmtime_r(&t, &tm) ||
	    strftime(out, cap, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm) == 0)
		return -EINVAL;
	return 0;
}

static int finish(int n, size_t cap)
{
	return (n < 0 || (size_t) n >= cap) ? -ENOSPC : n;
}

int sg_sstp_http_reply_write(char *buf, size_t cap, int64_t unix_time)
{
	char date[64];

	if (date_line(date, sizeof(date), unix_time) < 0)
		return -EINVAL;
	return finish(snprintf(buf, cap,
			       "HTTP/1.1 200 OK\r\n"
			       "Content-Length: " SG_SSTP_HTTP_CONTENT_LENGTH "\r\n"
			       "Server: " SG_SSTP_HTTP_SERVER "\r\n"
			       "%s\r\n",
			       date),
		      cap);
}

static const char *reason_phrase(int code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 505:
		return "HTTP Version Not Supported";
	}
	return "Error";
}

int sg_sstp_http_error_write(char *buf, size_t cap, int code, int64_t unix_time)
{
	char date[64];

	if (code < 100 || code > 999 || date_line(date, sizeof(date), unix_time) < 0)
		return -EINVAL;
	return finish(snprintf(buf, cap,
			       "HTTP/1.1 %d %s\r\n"
			       "Content-Length: 0\r\n"
			       "Connection: close\r\n"
			       "%s"
			       "Server: " SG_SSTP_HTTP_SERVER "\r\n"
			       "%s\r\n",
			       code, reason_phrase(code),
			       code == 405 ? "Allow: " SG_SSTP_HTTP_METHOD "\r\n" : "", date),
		      cap);
}

int sg_sstp_http_request_write(char *buf, size_t cap, const char *host, const char *correlation_id)
{
	if (!host || !*host)
		return -EINVAL;
	return finish(snprintf(buf, cap,
			       SG_SSTP_HTTP_METHOD " " SG_SSTP_HTTP_PATH " HTTP/1.1\r\n"
						   "Host: %s\r\n"
						   "Content-Length: " SG_SSTP_HTTP_CONTENT_LENGTH
						   "\r\n"
						   "%s%s%s\r\n",
			       host, correlation_id ? "SSTPCORRELATIONID: " : "",
			       correlation_id ? correlation_id : "", correlation_id ? "\r\n" : ""),
		      cap);
}
