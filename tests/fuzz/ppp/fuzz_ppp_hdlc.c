/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: the resumable HDLC decoder fed arbitrary bytes in arbitrary
 * slices; every frame it accepts must re-encode and decode to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_ppp_hdlc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sg_ppp_hdlc_decoder d, d2;
	static uint8_t enc[2 * SG_HDLC_FRAME_MAX + 8], frame[SG_HDLC_FRAME_MAX];
	size_t off = 1, used;
	uint16_t max;

	if (size < 1)
		return 0;
	max = (uint16_t) (16 + data[0] * 16);
	sg_ppp_hdlc_decoder_init(&d, max);
	while (off < size) {
		size_t slice = 1 + (data[off] % 64);
		int r;

		slice = slice > size - off ? size - off : slice;
		r = sg_ppp_hdlc_decode(&d, data + off, slice, &used);
		if (used > slice || (r == 0 && used != slice) || r > max)
			abort();
		off += used;
		if (r > 0) {
			size_t got;
			int n, r2;

			memcpy(frame, d.buf, (size_t) r);
			n = sg_ppp_hdlc_encode(frame, (size_t) r, SG_HDLC_ACCM_ALL, enc,
					       sizeof(enc));
			if (n <= 0)
				abort();
			sg_ppp_hdlc_decoder_init(&d2, max);
			r2 = sg_ppp_hdlc_decode(&d2, enc, (size_t) n, &got);
			if (r2 != r || got != (size_t) n || memcmp(d2.buf, frame, (size_t) r) != 0)
				abort();
		}
	}
	return 0;
}
