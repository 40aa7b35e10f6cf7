/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP phase parsers (server request, client reply) on arbitrary bytes, fed in
 * chunks chosen by the input itself: no crash, no overread, bounded result.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "sg_sstp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_sstp_http_req req;
	struct sg_sstp_http_reply rep;
	size_t step, off = 0;
	int n = -EAGAIN;

	if (size < 1)
		return 0;
	step = (size_t) (data[0] % 64) + 1;
	data++;
	size--;
	sg_sstp_http_req_init(&req);
	while (off < size && n == -EAGAIN) {
		size_t len = SG_MIN(step, size - off);

		n = sg_sstp_http_req_parse(&req, data + off, len);
		CHECK(n == -EAGAIN || (n >= 0 && (size_t) n <= len));
		off += n == -EAGAIN ? len : (size_t) n;
	}
	CHECK(off <= SG_SSTP_HTTP_MAX_HEADER);
	if (n >= 0) {
		static const int ok[] = {200, 400, 404, 405, 414, 431, 505};
		bool found = false;
		char buf[512];

		for (size_t i = 0; i < SG_ARRAY_SIZE(ok); i++)
			found |= req.status == ok[i];
		CHECK(found);
		CHECK(req.correlation_id[SG_SSTP_HTTP_CORRELATION_MAX - 1] == 0);
		CHECK(strlen(req.correlation_id) < SG_SSTP_HTTP_CORRELATION_MAX);
		if (req.status != 200)
			CHECK(sg_sstp_http_error_write(buf, sizeof(buf), req.status, 0) > 0);
	} else {
		CHECK(req.status == 0);
	}

	sg_sstp_http_reply_init(&rep);
	off = 0;
	n = -EAGAIN;
	while (off < size && n == -EAGAIN) {
		size_t len = SG_MIN(step, size - off);

		n = sg_sstp_http_reply_parse(&rep, data + off, len);
		CHECK(n == -EAGAIN || n == -EBADMSG || n == -EMSGSIZE ||
		      (n >= 0 && (size_t) n <= len));
		off += n == -EAGAIN ? len : 0;
	}
	if (n > 0)
		CHECK(rep.code >= 100 && rep.code <= 999);
	return 0;
}
