/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 forwarding checks on byte buffers (no DPDK, unit tested with hostile tables):
 * header sanity, hop limit, TCP MSS clamping, ICMPv6 errors (Packet Too Big, Time
 * Exceeded), echo replies, anti-spoofing classes, router advertisements.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sg_fwd6.h"
#include "sg_net.h"

#define HL	   SG_NET_IPV6_HLEN
#define OFF_PLEN   4
#define OFF_NH	   6
#define OFF_HOPS   7
#define OFF_SRC	   8
#define OFF_DST	   24
#define ND_HOPS	   255
#define RA_LEN	   16 /* ICMPv6 header + cur hop limit, flags, lifetimes, timers */
#define OPT_PREFIX 3
#define OPT_MTU	   5
#define OPT_RDNSS  25

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t) (v >> 16));
	put16(p + 2, (uint16_t) v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t) (p[0] << 8 | p[1]);
}

static uint16_t cksum_adjust(uint16_t cksum, uint16_t old_w, uint16_t new_w)
{
	uint32_t s = (uint16_t) ~cksum + (uint16_t) ~old_w + new_w;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t) ~s;
}

static bool is_unspecified(const uint8_t *a)
{
	uint8_t any = 0;

	for (int i = 0; i < 16; i++)
		any |= a[i];
	return any == 0;
}

static bool is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static bool is_link_local(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static bool is_loopback(const uint8_t *a)
{
	static const uint8_t lo[16] = {[15] = 1};

	return memcmp(a, lo, 16) == 0;
}

/* ICMPv6 checksum over ip's addresses and l4[0..n), written into l4[2..4). */
static void icmp6_sum(uint8_t *ip, uint8_t *l4, size_t n)
{
	uint16_t ck;

	l4[2] = l4[3] = 0;
	ck = sg_net_ipv6_l4_cksum(ip + OFF_SRC, ip + OFF_DST, SG_NET_PROTO_ICMPV6, l4, n);
	memcpy(l4 + 2, &ck, 2);
}

int sg_fwd6_check(const uint8_t *ip, size_t len)
{
	size_t total;

	if (len < HL || (ip[0] >> 4) != 6)
		return -EINVAL;
	total = HL + get16(ip + OFF_PLEN);
	if (total > len)
		return -EINVAL;
	return (int) total;
}

int sg_fwd6_hop_limit(uint8_t *ip)
{
	if (ip[OFF_HOPS] <= 1)
		return -ETIMEDOUT;
	ip[OFF_HOPS]--;
	return 0;
}

bool sg_fwd6_mss_clamp(uint8_t *ip, size_t len, uint16_t mss)
{
	uint8_t *tcp = ip + HL;
	size_t doff, o;

	if (ip[OFF_NH] != SG_NET_PROTO_TCP || len < HL + 20)
		return false;
	if (!(tcp[13] & 0x02)) /* SYN */
		return false;
	doff = (size_t) (tcp[12] >> 4) * 4;
	if (doff < 20 || HL + doff > len)
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

int sg_fwd6_icmp_error(uint8_t *ip, size_t len, size_t cap, const uint8_t src[16], uint8_t type,
		       uint8_t code, uint32_t param)
{
	uint8_t orig_src[16];
	size_t quote, total;
	uint8_t *icmp;

	if (len < HL || (ip[0] >> 4) != 6 || is_unspecified(ip + OFF_SRC) ||
	    is_multicast(ip + OFF_SRC))
		return -EINVAL;
	/* never an error about an error (a next header other than ICMPv6 is not one) */
	if (ip[OFF_NH] == SG_NET_PROTO_ICMPV6 && (len < HL + 1 || ip[HL] < 128))
		return -EINVAL;
	quote = len;
	if (quote > SG_FWD6_MIN_MTU - HL - 8)
		quote = SG_FWD6_MIN_MTU - HL - 8;
	total = HL + 8 + quote;
	if (total > cap)
		return -EINVAL;
	memcpy(orig_src, ip + OFF_SRC, 16);
	/* the quote moves 48 bytes to the right (memmove here trips GCC 12's -Warray-bounds
	 * under -fsanitize=undefined, a false positive) */
	icmp = ip + HL + 8;
	for (size_t i = quote; i-- > 0;)
		icmp[i] = ip[i];
	memset(ip, 0, HL);
	ip[0] = 0x60;
	put16(ip + OFF_PLEN, (uint16_t) (8 + quote));
	ip[OFF_NH] = SG_NET_PROTO_ICMPV6;
	ip[OFF_HOPS] = SG_NET_IPV6_DEFAULT_HOP_LIMIT;
	memcpy(ip + OFF_SRC, src, 16);
	memcpy(ip + OFF_DST, orig_src, 16);
	icmp = ip + HL;
	icmp[0] = type;
	icmp[1] = code;
	put32(icmp + 4, param);
	icmp6_sum(ip, icmp, 8 + quote);
	return (int) total;
}

int sg_fwd6_echo_reply(uint8_t *ip, size_t len, const uint8_t self[16])
{
	int total = sg_fwd6_check(ip, len);
	uint8_t *icmp = ip + HL;

	if (total < HL + 8 || ip[OFF_NH] != SG_NET_PROTO_ICMPV6 ||
	    icmp[0] != SG_NET_ICMP6_ECHO_REQUEST || icmp[1] != 0 || is_multicast(ip + OFF_SRC) ||
	    is_unspecified(ip + OFF_SRC) ||
	    !sg_net_ipv6_l4_cksum_ok(ip + OFF_SRC, ip + OFF_DST, SG_NET_PROTO_ICMPV6, icmp,
				     (size_t) total - HL))
		return -EINVAL;
	memcpy(ip + OFF_DST, ip + OFF_SRC, 16);
	memcpy(ip + OFF_SRC, self, 16);
	ip[OFF_HOPS] = SG_NET_IPV6_DEFAULT_HOP_LIMIT;
	icmp[0] = SG_NET_ICMP6_ECHO_REPLY;
	icmp6_sum(ip, icmp, (size_t) total - HL);
	return total;
}

bool sg_fwd6_in_prefix(const uint8_t a[16], const uint8_t p[16], uint8_t plen)
{
	unsigned int bytes = plen / 8u, rest = plen % 8u;

	if (plen > 128)
		return false;
	if (memcmp(a, p, bytes) != 0)
		return false;
	return rest == 0 || ((a[bytes] ^ p[bytes]) & (uint8_t) (0xff00u >> rest)) == 0;
}

void sg_fwd6_link_local(uint64_t ifid, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	put32(out + 8, (uint32_t) (ifid >> 32));
	put32(out + 12, (uint32_t) ifid);
}

static bool is_rs(const uint8_t *ip, size_t len)
{
	return ip[OFF_NH] == SG_NET_PROTO_ICMPV6 && len >= HL + 8 &&
	       ip[HL] == SG_NET_ICMP6_ROUTER_SOLICIT && ip[HL + 1] == 0 &&
	       ip[OFF_HOPS] == ND_HOPS &&
	       (is_multicast(ip + OFF_DST) || is_link_local(ip + OFF_DST)) &&
	       sg_net_ipv6_l4_cksum_ok(ip + OFF_SRC, ip + OFF_DST, SG_NET_PROTO_ICMPV6, ip + HL,
				       len - HL);
}

enum sg_fwd6_class sg_fwd6_classify(const uint8_t *ip, size_t len, const uint8_t prefix[16],
				    uint8_t plen)
{
	const uint8_t *src = ip + OFF_SRC, *dst = ip + OFF_DST;
	bool own = plen != 0 && sg_fwd6_in_prefix(src, prefix, plen);

	if (!own && !is_link_local(src) && !is_unspecified(src))
		return SG_FWD6_SPOOFED;
	if (is_rs(ip, len))
		return SG_FWD6_RS;
	if (is_link_local(dst) || (is_multicast(dst) && (dst[1] & 0x0f) <= 2))
		return SG_FWD6_LINK; /* interface- and link-local scopes stay on the link */
	if (!own)
		return SG_FWD6_SPOOFED; /* a link-local source never leaves the link */
	if (is_multicast(dst) || is_unspecified(dst) || is_loopback(dst))
		return SG_FWD6_BAD_DST;
	return SG_FWD6_FORWARD;
}

int sg_fwd6_ra_build(const struct sg_fwd6_ra *ra, uint8_t *buf, size_t cap)
{
	size_t n_dns = ra->n_dns > 2 ? 2 : ra->n_dns;
	size_t len = HL + RA_LEN + 32 + (ra->mtu ? 8 : 0) + (n_dns ? 8 + 16 * n_dns : 0);
	uint8_t *p, *icmp = buf + HL;
	unsigned int i;

	if (len > cap || ra->prefix_len > 128)
		return -ENOSPC;
	memset(buf, 0, len);
	buf[0] = 0x60;
	put16(buf + OFF_PLEN, (uint16_t) (len - HL));
	buf[OFF_NH] = SG_NET_PROTO_ICMPV6;
	buf[OFF_HOPS] = ND_HOPS;
	memcpy(buf + OFF_SRC, ra->src, 16);
	memcpy(buf + OFF_DST, ra->dst, 16);
	icmp[0] = SG_NET_ICMP6_ROUTER_ADVERT;
	icmp[4] = SG_NET_IPV6_DEFAULT_HOP_LIMIT; /* cur hop limit; icmp[5]: M = O = 0 */
	put16(icmp + 6, ra->router_lifetime);
	/* reachable time and retrans timer: 0 = unspecified */
	p = icmp + RA_LEN;
	p[0] = OPT_PREFIX;
	p[1] = 4;
	p[2] = ra->prefix_len;
	p[3] = 0xc0; /* L (on-link) and A (autonomous address configuration) */
	put32(p + 4, ra->valid_lifetime);
	put32(p + 8, ra->preferred_lifetime);
	for (i = 0; i < 16; i++) {
		unsigned int bit = i * 8;
		uint8_t mask = bit + 8 <= ra->prefix_len ? 0xff
			       : bit >= ra->prefix_len	 ? 0
							 : (uint8_t) (0xff00u >> (ra->prefix_len - bit));
		p[16 + i] = ra->prefix[i] & mask;
	}
	p += 32;
	if (ra->mtu) {
		p[0] = OPT_MTU;
		p[1] = 1;
		put32(p + 4, ra->mtu);
		p += 8;
	}
	if (n_dns) {
		p[0] = OPT_RDNSS;
		p[1] = (uint8_t) (1 + 2 * n_dns);
		put32(p + 4, ra->dns_lifetime);
		for (i = 0; i < n_dns; i++)
			memcpy(p + 8 + 16 * i, ra->dns[i], 16);
	}
	icmp6_sum(buf, icmp, len - HL);
	return (int) len;
}

const uint8_t *sg_fwd6_ns_target(const uint8_t *ip, size_t len)
{
	int total = sg_fwd6_check(ip, len);

	if (total < HL + 24 || ip[OFF_NH] != SG_NET_PROTO_ICMPV6 ||
	    ip[HL] != SG_NET_ICMP6_NEIGH_SOLICIT || ip[HL + 1] != 0 || ip[OFF_HOPS] != ND_HOPS ||
	    is_multicast(ip + HL + 8))
		return NULL;
	return ip + HL + 8;
}

int sg_fwd6_proxy_na(uint8_t *ip, size_t len, size_t cap, const uint8_t src[16],
		     const uint8_t mac[6])
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	const uint8_t *t = sg_fwd6_ns_target(ip, len);
	uint8_t target[16], *icmp = ip + HL;
	bool dad;
	int total;

	if (t == NULL || cap < HL + 32 ||
	    sg_fwd6_check(ip, len) < 0 ||
	    !sg_net_ipv6_l4_cksum_ok(ip + OFF_SRC, ip + OFF_DST, SG_NET_PROTO_ICMPV6, icmp,
				     (size_t) sg_fwd6_check(ip, len) - HL))
		return -EINVAL;
	memcpy(target, t, 16);
	dad = is_unspecified(ip + OFF_SRC);
	memcpy(ip + OFF_DST, dad ? all_nodes : ip + OFF_SRC, 16);
	memcpy(ip + OFF_SRC, src, 16);
	total = HL + 32;
	put16(ip + OFF_PLEN, 32);
	ip[OFF_HOPS] = ND_HOPS;
	memset(icmp, 0, 32);
	icmp[0] = SG_NET_ICMP6_NEIGH_ADVERT;
	put32(icmp + 4, SG_NET_NA_FLAG_ROUTER | (dad ? 0 : SG_NET_NA_FLAG_SOLICITED));
	memcpy(icmp + 8, target, 16);
	icmp[24] = SG_NET_ND_OPT_TARGET_LL;
	icmp[25] = 1;
	memcpy(icmp + 26, mac, 6);
	icmp6_sum(ip, icmp, 32);
	return total;
}
