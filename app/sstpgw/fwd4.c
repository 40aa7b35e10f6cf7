/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 forwarding checks on byte buffers (no DPDK, unit tested with hostile tables):
 * header sanity, TTL, TCP MSS clamping, ICMP fragmentation-needed, echo replies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "sg_fwd4.h"
#include "sg_net.h"

/* RFC 1624 incremental update of a 16-bit checksum for one 16-bit word change. */
static uint16_t cksum_adjust(uint16_t cksum, uint16_t old_w, uint16_t new_w)
{
	uint32_t s = (uint16_t) ~cksum + (uint16_t) ~old_w + new_w;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t) ~s;
}

int sg_fwd4_check(const uint8_t *ip, size_t len)
{
	const struct sg_net_ipv4_hdr *h = (const struct sg_net_ipv4_hdr *) ip;
	size_t ihl;

	if (len < sizeof(*h) || (h->ver_ihl >> 4) != 4)
		return -EINVAL;
	ihl = (size_t) (h->ver_ihl & 0xf) * 4;
	if (ihl < sizeof(*h) || ihl > len || ntohs(h->total_len) < ihl || ntohs(h->total_len) > len)
		return -EINVAL;
	return 0;
}

int sg_fwd4_ttl(uint8_t *ip)
{
	struct sg_net_ipv4_hdr *h = (struct sg_net_ipv4_hdr *) ip;
	uint16_t old_w, new_w;

	if (h->ttl <= 1)
		return -ETIMEDOUT;
	memcpy(&old_w, &h->ttl, 2);
	h->ttl--;
	memcpy(&new_w, &h->ttl, 2);
	h->cksum = cksum_adjust(h->cksum, old_w, new_w);
	return 0;
}

bool sg_fwd4_mss_clamp(uint8_t *ip, size_t len, uint16_t mss)
{
	struct sg_net_ipv4_hdr *h = (struct sg_net_ipv4_hdr *) ip;
	size_t ihl = (size_t) (h->ver_ihl & 0xf) * 4, doff, o;
	uint8_t *tcp;

	if (h->proto != IPPROTO_TCP || (ntohs(h->frag) & 0x1fff) != 0 || len < ihl + 20)
		return false;
	tcp = ip + ihl;
	if (!(tcp[13] & 0x02)) /* SYN */
		return false;
	doff = (size_t) (tcp[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > len)
		return false;
	for (o = 20; o < doff;) {
		uint8_t kind = tcp[o];
		if (kind == 0)
			break;
		if (kind == 1) {
			o++;
			continue;
		}
		if (o + 1 >= doff || tcp[o + 1] < 2 || o + tcp[o + 1] > doff)
			break;
		if (kind == 2 && tcp[o + 1] == 4) {
			uint16_t old_w, new_w = htons(mss), ck;
			memcpy(&old_w, tcp + o + 2, 2);
			if (ntohs(old_w) <= mss)
				return false;
			memcpy(tcp + o + 2, &new_w, 2);
			memcpy(&ck, tcp + 16, 2);
			ck = cksum_adjust(ck, old_w, new_w);
			memcpy(tcp + 16, &ck, 2);
			return true;
		}
		o += tcp[o + 1];
	}
	return false;
}

int sg_fwd4_icmp_too_big(uint8_t *ip, size_t len, size_t cap, const uint8_t our_ip_be[4],
			 uint16_t mtu)
{
	const struct sg_net_ipv4_hdr *in = (const struct sg_net_ipv4_hdr *) ip;
	size_t ihl = (size_t) (in->ver_ihl & 0xf) * 4, quote = ihl + 8, total = 20 + 8 + quote;
	uint8_t orig[60 + 8];
	struct sg_net_ipv4_hdr *h;
	uint8_t *icmp;
	uint16_t v;

	if (sg_fwd4_check(ip, len) < 0 || len < quote || total > cap)
		return -EINVAL;
	memcpy(orig, ip, quote);
	h = (struct sg_net_ipv4_hdr *) ip;
	memset(h, 0, 20);
	h->ver_ihl = 0x45;
	h->total_len = htons((uint16_t) total);
	h->ttl = 64;
	h->proto = IPPROTO_ICMP;
	memcpy(h->dst, ((const struct sg_net_ipv4_hdr *) orig)->src, 4);
	memcpy(h->src, our_ip_be, 4);
	h->cksum = sg_net_ipv4_cksum(h);
	icmp = ip + 20;
	icmp[0] = 3; /* destination unreachable */
	icmp[1] = 4; /* fragmentation needed and DF set */
	icmp[2] = icmp[3] = icmp[4] = icmp[5] = 0;
	v = htons(mtu);
	memcpy(icmp + 6, &v, 2);
	memcpy(icmp + 8, orig, quote);
	v = (uint16_t) ~sg_net_cksum_raw(icmp, 8 + quote);
	memcpy(icmp + 2, &v, 2);
	return (int) total;
}

int sg_fwd4_echo_reply(uint8_t *ip, size_t len)
{
	struct sg_net_ipv4_hdr *h = (struct sg_net_ipv4_hdr *) ip;
	uint8_t a[4], *icmp = ip + 20;
	size_t total;
	uint16_t v;

	if (sg_fwd4_check(ip, len) < 0 || h->ver_ihl != 0x45 || h->proto != IPPROTO_ICMP ||
	    (ntohs(h->frag) & 0x3fff) != 0)
		return -EINVAL;
	total = ntohs(h->total_len);
	if (total < 20 + 8 || icmp[0] != 8 || icmp[1] != 0 ||
	    sg_net_cksum_raw(icmp, total - 20) != 0xffff)
		return -EINVAL;
	memcpy(a, h->src, 4);
	memcpy(h->src, h->dst, 4);
	memcpy(h->dst, a, 4);
	h->ttl = 64;
	h->cksum = 0;
	h->cksum = sg_net_ipv4_cksum(h);
	icmp[0] = 0;
	icmp[2] = icmp[3] = 0;
	v = (uint16_t) ~sg_net_cksum_raw(icmp, total - 20);
	memcpy(icmp + 2, &v, 2);
	return (int) total;
}
