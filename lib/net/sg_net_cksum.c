/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 1071 checksums over DPDK's unaligned-safe raw sum (rte_ip.h). */
#include <rte_ip.h>

#include "sg_net.h"

uint16_t sg_net_cksum_raw(const void *buf, size_t len)
{
	return rte_raw_cksum(buf, len);
}

uint16_t sg_net_ipv4_cksum(const struct sg_net_ipv4_hdr *hdr)
{
	size_t hl = (size_t) (hdr->ver_ihl & 0x0f) * 4;
	uint32_t sum;
	uint16_t zero = 0;

	/* Sum everything but the checksum field (bytes 10-11). */
	sum = __rte_raw_cksum(hdr, 10, 0);
	sum = __rte_raw_cksum(&zero, 2, sum);
	sum = __rte_raw_cksum((const uint8_t *) hdr + 12, hl - 12, sum);
	return (uint16_t) ~__rte_raw_cksum_reduce(sum);
}

static uint32_t ipv6_pseudo_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
				size_t l4_len)
{
	uint32_t be_len = htonl((uint32_t) l4_len);
	uint8_t tail[4] = {0, 0, 0, proto};
	uint32_t sum;

	sum = __rte_raw_cksum(src, 16, 0);
	sum = __rte_raw_cksum(dst, 16, sum);
	sum = __rte_raw_cksum(&be_len, 4, sum);
	return __rte_raw_cksum(tail, 4, sum);
}

uint16_t sg_net_ipv6_l4_cksum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
			      const void *l4, size_t l4_len)
{
	uint32_t sum = ipv6_pseudo_sum(src, dst, proto, l4_len);
	uint16_t c;

	sum = __rte_raw_cksum(l4, l4_len, sum);
	c = (uint16_t) ~__rte_raw_cksum_reduce(sum);
	/* UDP: 0 means "no checksum", send 0xffff instead (harmless for others). */
	return c == 0 && proto == SG_NET_PROTO_UDP ? 0xffff : c;
}

bool sg_net_ipv6_l4_cksum_ok(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
			     const void *l4, size_t l4_len)
{
	uint32_t sum = ipv6_pseudo_sum(src, dst, proto, l4_len);

	sum = __rte_raw_cksum(l4, l4_len, sum);
	return __rte_raw_cksum_reduce(sum) == 0xffff;
}
