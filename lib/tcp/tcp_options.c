/* SPDX-License-Identifier: BSD-3-Clause */
/* TCP option parsing (untrusted input: every length checked once here). */
#include "tcp_priv.h"

int tcp_opts_parse(const uint8_t *p, uint32_t len, struct tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	uint32_t i = 0;
	while (i < len) {
		uint8_t kind = p[i];
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL; /* kind without length */
		uint8_t olen = p[i + 1];
		if (olen < 2 || i + olen > len)
			return -EINVAL;
		const uint8_t *v = p + i + 2;
		switch (kind) {
		case TCPOPT_MSS:
			if (olen != 4)
				return -EINVAL;
			o->mss = (uint16_t) (v[0] << 8 | v[1]);
			o->mss_ok = true;
			break;
		case TCPOPT_WSCALE:
			if (olen != 3)
				return -EINVAL;
			o->wscale = SG_MIN(v[0], TCP_MAX_WSCALE); /* RFC 7323: clamp */
			o->ws_ok = true;
			break;
		case TCPOPT_SACK_PERM:
			if (olen != 2)
				return -EINVAL;
			o->sack_perm = true;
			break;
		case TCPOPT_TS:
			if (olen != 10)
				return -EINVAL;
			o->tsval = (uint32_t) v[0] << 24 | (uint32_t) v[1] << 16 |
				   (uint32_t) v[2] << 8 | v[3];
			o->tsecr = (uint32_t) v[4] << 24 | (uint32_t) v[5] << 16 |
				   (uint32_t) v[6] << 8 | v[7];
			o->ts_ok = true;
			break;
		case TCPOPT_SACK: {
			uint32_t n = (olen - 2u) / 8;
			if ((olen - 2u) % 8 || n == 0 || n > TCP_MAX_SACK_BLOCKS)
				return -EINVAL;
			o->nsack = 0;
			for (uint32_t b = 0; b < n; b++) {
				const uint8_t *q = v + 8 * b;
				uint32_t l = (uint32_t) q[0] << 24 | (uint32_t) q[1] << 16 |
					     (uint32_t) q[2] << 8 | q[3];
				uint32_t r = (uint32_t) q[4] << 24 | (uint32_t) q[5] << 16 |
					     (uint32_t) q[6] << 8 | q[7];
				if (!seq_lt(l, r))
					continue; /* empty or inverted block: ignore it */
				o->sack[o->nsack][0] = l;
				o->sack[o->nsack][1] = r;
				o->nsack++;
			}
			break;
		}
		default:
			break; /* unknown options are skipped */
		}
		i += olen;
	}
	return 0;
}
