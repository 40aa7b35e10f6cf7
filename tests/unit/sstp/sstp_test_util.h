/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the lib/sstp unit tests. */
#ifndef SSTP_TEST_UTIL_H
#define SSTP_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Parse hex (whitespace ignored) into out; returns the byte count. */
static inline size_t hex2bin(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;
		char ch = *hex;

		if (ch >= '0' && ch <= '9')
			v = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v = ch - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t) (hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

#endif
