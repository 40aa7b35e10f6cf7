/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 1662 async HDLC: FCS known answers, escaping, resumable decoding, bad frames. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sg_ppp_hdlc.h"

static void fcs_known_answers(void **state)
{
	const uint8_t check[] = "123456789";
	uint8_t frame[16] = {0xff, 0x03, 0xc0, 0x21, 0x05, 0x01, 0x00, 0x04};
	uint16_t fcs;

	(void) state;
	/* CRC-16/X-25 (the PPP FCS, complemented) of "123456789" is 0x906E. */
	assert_int_equal((uint16_t) ~sg_ppp_hdlc_fcs16(SG_HDLC_FCS_INIT, check, 9), 0x906e);
	/* Appending the complemented FCS low byte first gives the good FCS 0xf0b8 (RFC 1662 §C.2).
	 */
	fcs = (uint16_t) ~sg_ppp_hdlc_fcs16(SG_HDLC_FCS_INIT, frame, 8);
	frame[8] = (uint8_t) fcs;
	frame[9] = (uint8_t) (fcs >> 8);
	assert_int_equal(sg_ppp_hdlc_fcs16(SG_HDLC_FCS_INIT, frame, 10), SG_HDLC_FCS_GOOD);
}

static void encode_escapes_controls_flags(void **state)
{
	const uint8_t frame[] = {0xff, 0x03, 0xc0, 0x21, 0x7e, 0x7d, 0x00, 0x1f, 0x20, 0x11};
	uint8_t out[64];
	int n, i, esc = 0;

	(void) state;
	n = sg_ppp_hdlc_encode(frame, sizeof(frame), SG_HDLC_ACCM_ALL, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(out[0], 0x7e);
	assert_int_equal(out[n - 1], 0x7e);
	for (i = 1; i < n - 1; i++) {
		assert_true(out[i] != 0x7e);
		if (out[i] == 0x7d) {
			esc++;
			i++;
			continue;
		}
		assert_true(out[i] >= 0x20); /* every control byte escaped with the full ACCM */
	}
	assert_true(esc >= 6); /* 03 7e 7d 00 1f 11 */
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0x7d);
	assert_int_equal(out[3], 0x23);
	/* ACCM 0: only 0x7e/0x7d (and FCS bytes that happen to be them) escaped. */
	n = sg_ppp_hdlc_encode(frame, 4, 0, out, sizeof(out));
	assert_int_equal(out[2], 0x03);
	/* Too small an output buffer. */
	assert_int_equal(sg_ppp_hdlc_encode(frame, sizeof(frame), SG_HDLC_ACCM_ALL, out, 10),
			 -ENOSPC);
	assert_int_equal(sg_ppp_hdlc_encode(frame, sizeof(frame), SG_HDLC_ACCM_ALL, out, 1),
			 -ENOSPC);
}

static void round_trip_every_byte_value_resumable(void **state)
{
	static struct sg_ppp_hdlc_decoder d;
	uint8_t frame[300], enc[1400];
	size_t used, off = 0;
	int n, i, r = 0, frames = 0;

	(void) state;
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = 0x00;
	frame[3] = 0x21;
	for (i = 4; i < 300; i++)
		frame[i] = (uint8_t) i;
	n = sg_ppp_hdlc_encode(frame, sizeof(frame), SG_HDLC_ACCM_ALL, enc, sizeof(enc));
	assert_true(n > 0 && (size_t) n <= sg_ppp_hdlc_encoded_max(sizeof(frame)));
	sg_ppp_hdlc_decoder_init(&d, 1500);
	/* One byte at a time: the decoder keeps its state across calls. */
	for (off = 0; off < (size_t) n; off++) {
		r = sg_ppp_hdlc_decode(&d, enc + off, 1, &used);
		assert_int_equal(used, 1);
		if (r != 0) {
			frames++;
			break;
		}
	}
	assert_int_equal(frames, 1);
	assert_int_equal(off, (size_t) n - 1);
	assert_int_equal(r, 300);
	assert_memory_equal(d.buf, frame, 300);
	/* Two frames in one buffer come out one per call. */
	memcpy(enc + n, enc, (size_t) n);
	r = sg_ppp_hdlc_decode(&d, enc, (size_t) n * 2, &used);
	assert_int_equal(r, 300);
	assert_int_equal(used, (size_t) n);
	r = sg_ppp_hdlc_decode(&d, enc + used, (size_t) n, &used);
	assert_int_equal(r, 300);
	assert_memory_equal(d.buf, frame, 300);
}

static void bad_frames_are_dropped_and_decoding_resumes(void **state)
{
	static struct sg_ppp_hdlc_decoder d;
	uint8_t frame[8] = {0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x04};
	uint8_t enc[64], big[200], stream[128];
	size_t used;
	int n, r;

	(void) state;
	sg_ppp_hdlc_decoder_init(&d, 64);
	n = sg_ppp_hdlc_encode(frame, sizeof(frame), SG_HDLC_ACCM_ALL, enc, sizeof(enc));
	/* Corrupt one byte: FCS mismatch. */
	memcpy(stream, enc, (size_t) n);
	stream[5] ^= 0x01;
	r = sg_ppp_hdlc_decode(&d, stream, (size_t) n, &used);
	assert_int_equal(r, -EBADMSG);
	/* The closing flag of the bad frame may open the next; a good frame still decodes. */
	r = sg_ppp_hdlc_decode(&d, enc, (size_t) n, &used);
	assert_int_equal(r, 8);
	/* Too short (< 4 bytes + FCS). */
	{
		const uint8_t tiny[] = {0x7e, 0x01, 0x02, 0x7e};
		r = sg_ppp_hdlc_decode(&d, tiny, sizeof(tiny), &used);
		assert_int_equal(r, -EBADMSG);
	}
	/* Escape right before a flag aborts the frame. */
	{
		const uint8_t ab[] = {0x7e, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x7d, 0x7e};
		r = sg_ppp_hdlc_decode(&d, ab, sizeof(ab), &used);
		assert_int_equal(r, -EBADMSG);
	}
	/* Oversized: more than max bytes before a flag. */
	memset(big, 0x41, sizeof(big));
	big[0] = 0x7e;
	big[sizeof(big) - 1] = 0x7e;
	r = sg_ppp_hdlc_decode(&d, big, sizeof(big), &used);
	assert_int_equal(r, -EMSGSIZE);
	assert_int_equal(used, sizeof(big));
	r = sg_ppp_hdlc_decode(&d, enc, (size_t) n, &used);
	assert_int_equal(r, 8);
	/* Only flags: nothing. */
	{
		const uint8_t flags[] = {0x7e, 0x7e, 0x7e};
		r = sg_ppp_hdlc_decode(&d, flags, sizeof(flags), &used);
		assert_int_equal(r, 0);
		assert_int_equal(used, 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fcs_known_answers),
	    cmocka_unit_test(encode_escapes_controls_flags),
	    cmocka_unit_test(round_trip_every_byte_value_resumable),
	    cmocka_unit_test(bad_frames_are_dropped_and_decoding_resumes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
