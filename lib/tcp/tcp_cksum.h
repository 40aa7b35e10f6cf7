/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP checksums over mbuf chains. DPDK 22.11's rte_raw_cksum_mbuf() (behind
 * rte_ipv4/ipv6_udptcp_cksum_mbuf[_verify]) truncates a segment's 32-bit partial sum to
 * 16 bits before the byte swap that follows an odd-length segment, so a chain whose
 * earlier piece has an odd length gets a wrong checksum (seen: sstpgw's TLS output
 * chains; the peer dropped every copy of one segment and the connection stalled).
 * These fold each piece before swapping. Header only, for tcp_input.c and tcp_output.c.
 */
#ifndef SG_TCP_CKSUM_H
#define SG_TCP_CKSUM_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

/* Ones' complement sum (folded, not inverted) of len bytes of m from off; 0 if short. */
static inline uint16_t tcp_cksum_mbuf_raw(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0, done = 0;

	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (m != NULL && done < len) {
		uint32_t seglen = m->data_len - off;
		uint16_t part;

		if (seglen > len - done)
			seglen = len - done;
		part = __rte_raw_cksum_reduce(
		    __rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const void *, off), seglen, 0));
		if (done & 1)
			part = rte_bswap16(part);
		sum += part;
		done += seglen;
		off = 0;
		m = m->next;
	}
	return __rte_raw_cksum_reduce(sum);
}

/* Sum of the TCP segment at l4_off (to the end of the chain) with its pseudo-header. */
static inline uint16_t tcp_cksum_sum(const struct rte_mbuf *m, const void *ip, uint8_t family,
				     uint32_t l4_off)
{
	uint32_t s = tcp_cksum_mbuf_raw(m, l4_off, m->pkt_len - l4_off);

	s += family == 4 ? rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *) ip, 0)
			 : rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *) ip, 0);
	return (uint16_t) __rte_raw_cksum_reduce(s);
}

/* The checksum field's value (the field itself must be 0 when this is computed). */
static inline uint16_t tcp_cksum_mbuf(const struct rte_mbuf *m, const void *ip, uint8_t family,
				      uint32_t l4_off)
{
	return (uint16_t) ~tcp_cksum_sum(m, ip, family, l4_off);
}

/* True when the received segment's checksum verifies. */
static inline bool tcp_cksum_mbuf_ok(const struct rte_mbuf *m, const void *ip, uint8_t family,
				     uint32_t l4_off)
{
	return l4_off <= m->pkt_len && tcp_cksum_sum(m, ip, family, l4_off) == 0xffff;
}

#endif /* SG_TCP_CKSUM_H */
