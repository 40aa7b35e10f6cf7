/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Leaf parsers for addresses, prefixes and routes: the syntax (inet_pton, one
 * "/len"), host bits, the prefix-length range of the directive, and the
 * address family a field accepts.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sg_common.h"
#include "sg_config_priv.h"

static int parse_ipv4(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct in_addr a;

	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IPv4 address string");
	if (inet_pton(AF_INET, json_string_value(v), &a) != 1)
		return sg_cfg_bad_value(c, v, "a valid IPv4 address");
	memcpy(sg_cfg_field(d, base), &a, sizeof(a));
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_ipv6(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct in6_addr a;

	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IPv6 address string");
	if (inet_pton(AF_INET6, json_string_value(v), &a) != 1)
		return sg_cfg_bad_value(c, v, "a valid IPv6 address");
	memcpy(sg_cfg_field(d, base), &a, sizeof(a));
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_addr(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct sg_config_addr *a = sg_cfg_field(d, base);
	const char *s;

	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IP address string");
	s = json_string_value(v);
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->v6) == 1)
		a->family = AF_INET6;
	else
		return sg_cfg_bad_value(c, v, "a valid IPv4 or IPv6 address");
	sg_cfg_mark_set(d, base, true);
	return 0;
}

/*
 * "a.b.c.d/len" or "x::y/len": the address and the length (decimal, no sign,
 * no leading zero). Returns 0 or -EINVAL.
 */
static int split_prefix(const char *s, int af, void *addr, unsigned int *len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	unsigned long l;
	char *end;
	size_t alen;

	if (slash == NULL)
		return -EINVAL;
	alen = (size_t) (slash - s);
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = 0;
	if (inet_pton(af, buf, addr) != 1)
		return -EINVAL;
	if (!isdigit((unsigned char) slash[1]) || (slash[1] == '0' && slash[2] != 0) ||
	    strlen(slash + 1) > 3)
		return -EINVAL;
	l = strtoul(slash + 1, &end, 10);
	if (*end != 0 || l > (af == AF_INET ? 32u : 128u))
		return -EINVAL;
	*len = (unsigned int) l;
	return 0;
}

/* Host bits beyond len, as a count of set bits (0 = a clean prefix). */
static bool host_bits_set(const uint8_t *a, size_t bytes, unsigned int len)
{
	for (size_t i = 0; i < bytes; i++) {
		unsigned int keep =
		    len >= (i + 1) * 8 ? 8 : (len > i * 8 ? len - (unsigned) i * 8 : 0);
		uint8_t mask = keep ? (uint8_t) (0xffu << (8 - keep)) : 0;
		if (a[i] & (uint8_t) ~mask)
			return true;
	}
	return false;
}

static int prefix_len_range(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v,
			    unsigned int len)
{
	char r[96];

	if ((int64_t) len < d->min || (int64_t) len > d->max)
		return sg_cfg_errorf(c, "%s: prefix length /%u is out of range /%lld../%lld",
				     sg_cfg_repr(v, r, sizeof(r)), len, (long long) d->min,
				     (long long) d->max);
	return 0;
}

/* IPv4 with length; iface: host bits are the address (must be neither all 0 nor all 1). */
static int parse_v4_common(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base,
			   bool iface)
{
	struct sg_config_prefix4 p;
	unsigned int len;
	uint32_t h, host;

	memset(&p, 0, sizeof(p)); /* padding too: configs compare with memcmp */
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IPv4 prefix string");
	if (split_prefix(json_string_value(v), AF_INET, &p.addr, &len))
		return sg_cfg_bad_value(
		    c, v, iface ? "a valid IPv4 address/length" : "a valid IPv4 prefix");
	if (prefix_len_range(c, d, v, len))
		return -EINVAL;
	p.len = (uint8_t) len;
	h = ntohl(p.addr.s_addr);
	host = len == 32 ? 0 : h & (0xffffffffu >> len);
	if (iface) {
		if (h == 0 || (h >> 28) >= 14)
			return sg_cfg_bad_value(c, v, "a unicast IPv4 address");
		if (len <= 30 && (host == 0 || host == (0xffffffffu >> len)))
			return sg_cfg_bad_value(c, v,
						"a host address (it is the subnet's network or "
						"broadcast address)");
	} else if (host) {
		return sg_cfg_bad_value(c, v, "a valid IPv4 prefix (host bits are set)");
	}
	memcpy(sg_cfg_field(d, base), &p, sizeof(p));
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_v6_common(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base,
			   bool iface)
{
	struct sg_config_prefix6 p;
	unsigned int len;

	memset(&p, 0, sizeof(p));
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IPv6 prefix string");
	if (split_prefix(json_string_value(v), AF_INET6, &p.addr, &len))
		return sg_cfg_bad_value(
		    c, v, iface ? "a valid IPv6 address/length" : "a valid IPv6 prefix");
	if (prefix_len_range(c, d, v, len))
		return -EINVAL;
	p.len = (uint8_t) len;
	if (iface) {
		if (IN6_IS_ADDR_UNSPECIFIED(&p.addr) || IN6_IS_ADDR_MULTICAST(&p.addr) ||
		    IN6_IS_ADDR_LOOPBACK(&p.addr))
			return sg_cfg_bad_value(c, v, "a unicast IPv6 address");
	} else if (host_bits_set(p.addr.s6_addr, 16, len)) {
		return sg_cfg_bad_value(c, v, "a valid IPv6 prefix (host bits are set)");
	}
	memcpy(sg_cfg_field(d, base), &p, sizeof(p));
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_ifaddr4(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	return parse_v4_common(c, d, v, base, true);
}

static int parse_prefix4(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	return parse_v4_common(c, d, v, base, false);
}

static int parse_ifaddr6(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	return parse_v6_common(c, d, v, base, true);
}

static int parse_prefix6(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	return parse_v6_common(c, d, v, base, false);
}

/* Routes: the prefix decides the family; via must match it (parsed after prefix). */
static int parse_route_prefix(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v,
			      void *base)
{
	struct sg_config_route *r = base;
	struct sg_cfg_dir d4 = *d, d6 = *d;

	(void) d;
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IPv4 or IPv6 prefix string");
	d4.min = 0, d4.max = 32, d4.off = offsetof(struct sg_config_route, prefix4);
	d6.min = 0, d6.max = 128, d6.off = offsetof(struct sg_config_route, prefix6);
	d4.set_off = d6.set_off = 0;
	if (strchr(json_string_value(v), ':')) {
		r->family = AF_INET6;
		return parse_v6_common(c, &d6, v, base, false);
	}
	r->family = AF_INET;
	return parse_v4_common(c, &d4, v, base, false);
}

static int parse_route_via(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct sg_config_route *r = base;

	(void) d;
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "an IP address string");
	if (r->family == AF_INET6) {
		if (inet_pton(AF_INET6, json_string_value(v), &r->via6) != 1)
			return sg_cfg_bad_value(c, v, "a valid IPv6 address (the prefix is IPv6)");
	} else if (inet_pton(AF_INET, json_string_value(v), &r->via4) != 1) {
		return sg_cfg_bad_value(c, v, "a valid IPv4 address (the prefix is IPv4)");
	}
	return 0;
}

const struct sg_cfg_type sg_cfg_ipv4 = {"IPv4 address", parse_ipv4, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_ipv6 = {"IPv6 address", parse_ipv6, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_addr = {"IP address", parse_addr, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_ifaddr4 = {"IPv4 address/length", parse_ifaddr4,
					   SG_CFG_RANGE_PREFIX};
const struct sg_cfg_type sg_cfg_ifaddr6 = {"IPv6 address/length", parse_ifaddr6,
					   SG_CFG_RANGE_PREFIX};
const struct sg_cfg_type sg_cfg_prefix4 = {"IPv4 prefix", parse_prefix4, SG_CFG_RANGE_PREFIX};
const struct sg_cfg_type sg_cfg_prefix6 = {"IPv6 prefix", parse_prefix6, SG_CFG_RANGE_PREFIX};
const struct sg_cfg_type sg_cfg_route_prefix = {"IPv4 or IPv6 prefix", parse_route_prefix,
						SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_route_via = {"IP address", parse_route_via, SG_CFG_RANGE_NONE};
