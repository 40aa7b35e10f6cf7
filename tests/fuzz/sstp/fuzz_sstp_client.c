/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client state machine (load generator) driven by arbitrary server bytes
 * and events: records {op, len, bytes}: rx, time passes + timer, auth done,
 * disconnect, abort, PPP tx. Same invariants as the server target.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "sg_sstp.h"

static void check_result(const struct sg_sstp_client *c, const struct sg_sstp_result *r)
{
	CHECK(r->tx_len <= SG_SSTP_TX_MAX);
	CHECK(!(r->actions & SG_SSTP_ACT_SEND) == (r->tx_len == 0));
	if (r->actions & SG_SSTP_ACT_PPP_INPUT)
		CHECK(r->ppp && r->ppp_len > 0 && r->ppp_len <= SG_SSTP_MAX_PPP_FRAME);
	if (r->actions & SG_SSTP_ACT_CLOSE)
		CHECK(sg_sstp_client_state(c) == SG_SSTP_ST_CLOSED);
	CHECK(r->reason < SG_SSTP_R_COUNT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t cert[] = "fuzz certificate";
	static const uint8_t hlak[32] = {9, 8, 7};
	static struct sg_sstp_client_config cfg;
	static struct sg_sstp_client c;
	static struct sg_sstp_result r;
	sg_usec_t now = 1000000;
	size_t off = 0;

	if (size < 1)
		return 0;
	sg_sstp_client_config_init(&cfg, "fuzz.example");
	cfg.hash_bitmask = data[0] & 3;
	if (sg_sstp_client_config_set_cert(&cfg, cert, sizeof(cert)) != 0)
		return 0;
	CHECK(sg_sstp_client_start(&c, &cfg, NULL, now, &r) == 0);
	CHECK(r.tx_len > 0);
	off = 1;
	while (off + 2 <= size) {
		uint8_t op = data[off] % 6, len = data[off + 1];
		const uint8_t *p = data + off + 2;
		size_t plen = SG_MIN((size_t) len, size - off - 2);
		bool was_closed = sg_sstp_client_state(&c) == SG_SSTP_ST_CLOSED;

		off += 2 + plen;
		switch (op) {
		case 0:
		case 1: {
			size_t done = 0;

			while (done < plen) {
				int n = sg_sstp_client_rx(&c, p + done, plen - done, now, &r);

				CHECK(n > 0 && (size_t) n <= plen - done);
				done += (size_t) n;
				check_result(&c, &r);
				if (was_closed)
					CHECK(r.actions == 0);
			}
			break;
		}
		case 2:
			now += (sg_usec_t) len * 500000;
			if (now >= sg_sstp_client_deadline(&c)) {
				sg_sstp_client_timer(&c, now, &r);
				check_result(&c, &r);
			}
			break;
		case 3: {
			int rc = sg_sstp_client_auth_done(&c, (len & 1) ? hlak : NULL, now, &r);

			CHECK(rc == 0 || rc == -EINVAL);
			if (rc == 0)
				CHECK(r.tx_len == SG_SSTP_CONNECTED_LEN);
			check_result(&c, &r);
			break;
		}
		case 4:
			if (len & 1)
				sg_sstp_client_disconnect(&c, now, &r);
			else
				sg_sstp_client_abort(&c, len, now, &r);
			check_result(&c, &r);
			break;
		case 5: {
			uint8_t hdr[4];

			(void) sg_sstp_client_ppp_tx(&c, p, plen, hdr);
			break;
		}
		}
		if (was_closed)
			CHECK(sg_sstp_client_state(&c) == SG_SSTP_ST_CLOSED);
	}
	sg_sstp_client_fini(&c);
	return 0;
}
