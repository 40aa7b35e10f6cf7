/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP phase of SSTP (MS-SSTP §2.2.1, §3.2.5.1): a resumable, bounded
 * parser for the server side (request) and the client side (reply), and the
 * writers for the request, the 200 reply and error replies. Parsers keep O(1)
 * state (no copy of the header section) and consume input byte by byte.
 * Each parser object is used by one thread at a time.
 */
#ifndef SG_SSTP_HTTP_H
#define SG_SSTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_sstp_codec.h"
#include "sg_sstp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_SSTP_HTTP_CORRELATION_MAX 64 /* kept for logging, NUL-terminated */

/* Server side: parses "SSTP_DUPLEX_POST /sra_{...}/ HTTP/1.1" and its headers. */
struct sg_sstp_http_req {
	uint8_t state;
	uint8_t hdr;	  /* header being parsed (private enum) */
	uint16_t tok_len; /* bytes in tok */
	uint16_t total;	  /* bytes consumed so far (bounded by SG_SSTP_HTTP_MAX_HEADER) */
	uint16_t corr_len;
	/*
	 * Result once the parser returns >= 0: 200 (an SSTP request: reply with
	 * sg_sstp_http_reply_write) or the HTTP error to answer (400, 404, 405,
	 * 414, 431, 505) before closing. 0 while incomplete.
	 */
	int status;
	enum sg_sstp_reason reason;
	bool method_ok, path_ok, version_ok, has_host, has_cl, cl_bad, cl_digits, cl_done;
	uint64_t content_length;
	char tok[SG_SSTP_HTTP_MAX_TARGET + 1];
	char correlation_id[SG_SSTP_HTTP_CORRELATION_MAX]; /* as sent (printable bytes only) */
};

void sg_sstp_http_req_init(struct sg_sstp_http_req *p);
/*
 * Feed bytes. Returns the number of bytes consumed once the result is known
 * (p->status set; bytes after that, if any, belong to the SSTP stream), or
 * -EAGAIN when all of buf was consumed and more is needed. After a result,
 * further calls return 0.
 */
int sg_sstp_http_req_parse(struct sg_sstp_http_req *p, const uint8_t *buf, size_t len);

/* Client side: parses "HTTP/1.1 200 OK" and skips the headers. */
struct sg_sstp_http_reply {
	uint8_t state;
	uint16_t tok_len;
	uint16_t total;
	int code; /* HTTP status code once parsed */
	bool done;
	char tok[16];
};

void sg_sstp_http_reply_init(struct sg_sstp_http_reply *p);
/*
 * Feed bytes. Returns bytes consumed once the blank line is seen (p->code is
 * the status; 200 means SSTP may start), -EAGAIN when more is needed,
 * -EBADMSG on a malformed reply, -EMSGSIZE past SG_SSTP_HTTP_MAX_HEADER.
 */
int sg_sstp_http_reply_parse(struct sg_sstp_http_reply *p, const uint8_t *buf, size_t len);

/*
 * Writers return the length written (no NUL counted) or -ENOSPC.
 * unix_time: seconds since 1970 for a Date header, or negative for none.
 */
int sg_sstp_http_reply_write(char *buf, size_t cap, int64_t unix_time);
/* An error reply (code 400/404/405/414/431/505/...) with Content-Length: 0 and Connection: close.
 */
int sg_sstp_http_error_write(char *buf, size_t cap, int code, int64_t unix_time);
/* The client's request; correlation_id (e.g. "{GUID}") may be NULL. */
int sg_sstp_http_request_write(char *buf, size_t cap, const char *host, const char *correlation_id);

#ifdef __cplusplus
}
#endif

#endif /* SG_SSTP_HTTP_H */
