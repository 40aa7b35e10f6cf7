/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Keyed hashing for lib/tcp: SipHash-2-4, ISNs (RFC 6528) and SYN cookies
 * (RFC 4987).
 *
 * Cookie layout (our ISN when the SYN queue is under pressure):
 *   bits 31..27  time counter (64 s periods) mod 32
 *   bits 26..24  index into the MSS table
 *   bits 23..0   SipHash(secret, 4-tuple, peer ISN, counter) truncated
 * A cookie is accepted for the current and the previous counter. When the
 * peer offered timestamps, the SYN-ACK's TSval carries the peer's window
 * scale (low 4 bits, 15 = none) and SACK-permitted (bit 4), echoed back in
 * TSecr, so those options survive a cookie handshake.
 */
#include "tcp_priv.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = rotl(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = rotl(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = rotl(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = rotl(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = rotl(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = rotl(v2, 32);                                                                 \
	} while (0)

uint64_t tcp_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0, k1, m, b = (uint64_t) len << 56;
	memcpy(&k0, key, 8);
	memcpy(&k1, key + 8, 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	size_t i;
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t t = 0;
	memcpy(&t, p + i, len - i);
	b |= t;
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t tcp_isn(struct sg_tcp_stack *s, const struct sg_tcp_tuple *t, sg_usec_t now)
{
	/* RFC 6528: ISN = M + F(4-tuple, secret), M a 4 us clock. */
	return (uint32_t) (now / 4) + (uint32_t) tcp_siphash(s->k_isn, t, sizeof(*t));
}

static const uint16_t cookie_mss[8] = {216, 536, 1200, 1360, 1400, 1440, 1460, 8960};

struct cookie_in {
	struct sg_tcp_tuple t;
	uint32_t peer_isn;
	uint32_t counter;
};

static uint32_t cookie_hash(struct sg_tcp_stack *s, const struct tcp_seg *g, uint32_t peer_isn,
			    uint32_t counter)
{
	struct cookie_in in;
	memset(&in, 0, sizeof(in));
	in.t = g->t;
	in.peer_isn = peer_isn;
	in.counter = counter;
	return (uint32_t) tcp_siphash(s->k_cookie, &in, sizeof(in)) & 0xffffff;
}

static uint32_t cookie_counter(sg_usec_t now)
{
	return (uint32_t) (now / (64 * SG_USEC_PER_SEC));
}

uint32_t tcp_cookie_make(struct sg_tcp_stack *s, const struct tcp_seg *g, uint16_t *mss,
			 sg_usec_t now)
{
	uint32_t i = 0, cnt = cookie_counter(now);
	uint16_t want = g->o.mss_ok ? g->o.mss : TCP_DEFAULT_MSS;
	for (uint32_t j = 0; j < SG_ARRAY_SIZE(cookie_mss); j++)
		if (cookie_mss[j] <= want)
			i = j;
	*mss = cookie_mss[i];
	return ((cnt & 0x1f) << 27) | (i << 24) | cookie_hash(s, g, g->seq, cnt);
}

int tcp_cookie_check(struct sg_tcp_stack *s, const struct tcp_seg *g, uint16_t *mss, sg_usec_t now)
{
	uint32_t cookie = g->ack - 1, cnt = cookie_counter(now);
	uint32_t peer_isn = g->seq - 1;
	for (uint32_t back = 0; back < 2; back++) {
		uint32_t c = cnt - back;
		if ((c & 0x1f) != cookie >> 27)
			continue;
		if (cookie_hash(s, g, peer_isn, c) != (cookie & 0xffffff))
			continue;
		*mss = cookie_mss[(cookie >> 24) & 7];
		return 0;
	}
	return -EINVAL;
}

uint32_t tcp_cookie_tsval(const struct tcp_opts *peer, uint8_t our_ws, sg_usec_t now)
{
	(void) our_ws;
	uint32_t v = tcp_ts_now(now) & ~0x1fu;
	v |= peer->ws_ok ? (peer->wscale & 0xf) : 0xf;
	v |= peer->sack_perm ? 0x10 : 0;
	return v;
}
