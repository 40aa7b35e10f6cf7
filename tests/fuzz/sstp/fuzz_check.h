/* SPDX-License-Identifier: BSD-3-Clause */
/* What every lib/sstp fuzz target shares: the entry point and CHECK, a trap libFuzzer reports. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* FUZZ_CHECK_H */
