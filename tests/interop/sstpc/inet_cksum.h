/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Internet checksum (RFC 1071) over big-endian 16-bit words, as the two interop
 * helpers (sg-sstp-testsrv, sg-sstpc-peer) build and check ICMP echo packets with it.
 */
#ifndef INET_CKSUM_H
#define INET_CKSUM_H

#include <stddef.h>
#include <stdint.h>

/* The checksum field value for p[0..len) (0 when p already holds a valid checksum). */
static inline uint16_t inet_cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t) (p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t) p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t) ~sum;
}

#endif /* INET_CKSUM_H */
