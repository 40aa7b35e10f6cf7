/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The server state machine driven by arbitrary event sequences. The input is
 * a list of records {op, len, bytes}: rx bytes, advance time and fire the
 * timer, auth result, a correctly signed CONNECTED (so the fuzzer reaches the
 * data phase), disconnect, abort, PPP tx. Invariants: every call consumes
 * what it claims, tx fits, a closed connection stays closed and silent.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "sg_sstp.h"

static const uint8_t cert[] = "fuzz certificate";
static const uint8_t hlak[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

static void check_result(const struct sg_sstp_server *s, const struct sg_sstp_result *r)
{
	CHECK(r->tx_len <= SG_SSTP_TX_MAX);
	CHECK(!(r->actions & SG_SSTP_ACT_SEND) == (r->tx_len == 0));
	if (r->actions & SG_SSTP_ACT_PPP_INPUT)
		CHECK(r->ppp && r->ppp_len > 0 && r->ppp_len <= SG_SSTP_MAX_PPP_FRAME);
	if (r->actions & SG_SSTP_ACT_CLOSE)
		CHECK(sg_sstp_server_state(s) == SG_SSTP_ST_CLOSED);
	if (r->actions & SG_SSTP_ACT_DATA_OPEN)
		CHECK(sg_sstp_server_state(s) == SG_SSTP_ST_CONNECTED);
	CHECK(r->reason < SG_SSTP_R_COUNT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sg_sstp_server_config cfg;
	static struct sg_sstp_server s;
	static struct sg_sstp_stats st;
	static struct sg_sstp_result r;
	static const char req[] = "SSTP_DUPLEX_POST " SG_SSTP_HTTP_PATH " HTTP/1.1\r\nHost: f\r\n"
				  "Content-Length: 18446744073709551615\r\n\r\n";
	sg_usec_t now = 1000000;
	size_t off = 0;

	if (size < 1)
		return 0;
	sg_sstp_server_config_init(&cfg);
	cfg.hash_bitmask = (data[0] & 3) ? (data[0] & 3) : SG_SSTP_HASH_SHA256;
	cfg.require_crypto_binding = !(data[0] & 4);
	if (sg_sstp_server_config_set_cert(&cfg, cert, sizeof(cert)) != 0)
		return 0;
	CHECK(sg_sstp_server_init(&s, &cfg, &st, now) == 0);
	if (data[0] & 8) { /* start past the HTTP phase */
		int n = sg_sstp_server_rx(&s, (const uint8_t *) req, strlen(req), now, &r);

		CHECK(n == (int) strlen(req) && r.http_status == 200);
	}
	off = 1;
	while (off + 2 <= size) {
		uint8_t op = data[off] % 8, len = data[off + 1];
		const uint8_t *p = data + off + 2;
		size_t plen = SG_MIN((size_t) len, size - off - 2);
		bool was_closed = sg_sstp_server_state(&s) == SG_SSTP_ST_CLOSED;

		off += 2 + plen;
		switch (op) {
		case 0:
		case 1: { /* rx, in one go */
			size_t done = 0;

			while (done < plen) {
				int n = sg_sstp_server_rx(&s, p + done, plen - done, now, &r);

				CHECK(n > 0 && (size_t) n <= plen - done);
				done += (size_t) n;
				check_result(&s, &r);
				if (was_closed)
					CHECK(r.actions == 0);
			}
			break;
		}
		case 2: /* time passes; fire the timer if due */
			now += (sg_usec_t) len * 500000;
			if (now >= sg_sstp_server_deadline(&s)) {
				sg_sstp_server_timer(&s, now, &r);
				check_result(&s, &r);
			}
			break;
		case 3:
			sg_sstp_server_auth_done(&s, (len & 1) ? hlak : NULL, now, &r);
			check_result(&s, &r);
			break;
		case 4: { /* a correct CONNECTED for the current nonce */
			static const uint8_t zeros[32];
			uint8_t msg[112], ch[32];
			uint8_t proto = (len & 1) ? SG_SSTP_HASH_SHA1 : SG_SSTP_HASH_SHA256;

			sg_sstp_cert_hash(proto, cert, sizeof(cert), ch);
			sg_sstp_encode_connected(msg, sizeof(msg), proto, s.nonce, ch, zeros);
			sg_sstp_connected_sign(msg, (len & 2) ? hlak : zeros);
			CHECK(sg_sstp_server_rx(&s, msg, sizeof(msg), now, &r) > 0);
			check_result(&s, &r);
			break;
		}
		case 5:
			sg_sstp_server_disconnect(&s, now, &r);
			check_result(&s, &r);
			break;
		case 6:
			sg_sstp_server_abort(&s, len, now, &r);
			check_result(&s, &r);
			break;
		case 7: {
			uint8_t hdr[4];

			if (sg_sstp_server_ppp_tx(&s, p, plen, hdr) == 0)
				CHECK(sg_sstp_server_state(&s) == SG_SSTP_ST_CONNECTED ||
				      sg_sstp_server_state(&s) == SG_SSTP_ST_CONNECTED_PENDING);
			break;
		}
		}
		if (was_closed)
			CHECK(sg_sstp_server_state(&s) == SG_SSTP_ST_CLOSED);
	}
	sg_sstp_server_fini(&s);
	return 0;
}
