/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-field checks: what one key cannot know alone (lcores that collide,
 * pools that overlap a port subnet or each other, gateways off their subnet,
 * a backend without its settings). Each error names the path of the key that
 * has to change and, where useful, the key it collides with.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sg_common.h"
#include "sg_config_priv.h"

static bool in4_within(struct in_addr a, struct sg_config_prefix4 p)
{
	uint32_t mask = p.len ? 0xffffffffu << (32 - p.len) : 0;

	return ((ntohl(a.s_addr) ^ ntohl(p.addr.s_addr)) & mask) == 0;
}

static bool p4_overlap(struct sg_config_prefix4 a, struct sg_config_prefix4 b)
{
	struct sg_config_prefix4 shorter = a.len < b.len ? a : b;

	return in4_within(a.len < b.len ? b.addr : a.addr, shorter);
}

static bool in6_within(const struct in6_addr *a, const struct sg_config_prefix6 *p)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (memcmp(a->s6_addr, p->addr.s6_addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a->s6_addr[full] ^ p->addr.s6_addr[full]) & (uint8_t) (0xffu << (8 - rest))) == 0;
}

static bool p6_overlap(const struct sg_config_prefix6 *a, const struct sg_config_prefix6 *b)
{
	return a->len < b->len ? in6_within(&b->addr, a) : in6_within(&a->addr, b);
}

static const char *p4str(struct sg_config_prefix4 p, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p.addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p.len);
	return buf;
}

static const char *p6str(const struct sg_config_prefix6 *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

static int check_lcores(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	char path[64];

	for (unsigned int i = 0; i < cfg->lcores.n_workers; i++)
		if (cfg->lcores.workers[i] == cfg->lcores.control) {
			snprintf(path, sizeof(path), "$.lcores.workers[%u]", i);
			return sg_cfg_error_at(
			    c, path, "lcore %u is also the control lcore ($.lcores.control)",
			    cfg->lcores.control);
		}
	return 0;
}

static int eal_arg_index(const struct sg_config *cfg, const char *arg)
{
	for (unsigned int i = 0; i < cfg->n_eal_args; i++)
		if (strcmp(cfg->eal_args[i], arg) == 0)
			return (int) i;
	return -1;
}

/*
 * DPDK 22.11's EAL refuses --in-memory together with --no-huge (no hugepages
 * means legacy memory, which in-memory mode does not support) and exits with a
 * message about memory modes. Without hugepages the only part of --in-memory
 * that matters is "no runtime files", which is --no-shconf: say so here.
 */
static int check_eal_memory(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	int inmem = eal_arg_index(cfg, "--in-memory");
	char path[64];

	if (inmem < 0 || eal_arg_index(cfg, "--no-huge") < 0)
		return 0;
	snprintf(path, sizeof(path), "$.eal.args[%d]", inmem);
	return sg_cfg_error_at(c, path,
			       "\"--in-memory\" cannot be combined with \"--no-huge\" in DPDK "
			       "22.11; use \"--no-shconf\" (no runtime files) instead");
}

static int check_eal(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	static const char *const owned[] = {"-l", "-c", "--lcores", "--main-lcore",
					    "--master-lcore"};
	char path[64];

	for (unsigned int i = 0; i < cfg->n_eal_args; i++)
		for (size_t k = 0; k < SG_ARRAY_SIZE(owned); k++) {
			size_t n = strlen(owned[k]);
			const char *a = cfg->eal_args[i];
			if (strncmp(a, owned[k], n) == 0 &&
			    (a[n] == 0 || a[n] == '=' || (n == 2 && a[n] != '-'))) {
				snprintf(path, sizeof(path), "$.eal.args[%u]", i);
				return sg_cfg_error_at(c, path,
						       "\"%s\" is set by sstpgw from $.lcores; "
						       "configure lcores there",
						       owned[k]);
			}
		}
	return check_eal_memory(c, cfg);
}

static int check_port(struct sg_cfg_ctx *c, const struct sg_config_port *p, const char *name)
{
	char path[96], buf[64];
	struct sg_config_prefix4 own4 = {p->ipv4.addr, 32};

	if (p->has_gateway4) {
		snprintf(path, sizeof(path), "$.ports.%s.gateway4", name);
		if (!in4_within(p->gateway4, p->ipv4))
			return sg_cfg_error_at(c, path,
					       "not on the port's subnet %s ($.ports.%s.ipv4)",
					       p4str(p->ipv4, buf, sizeof(buf)), name);
		if (in4_within(p->gateway4, own4))
			return sg_cfg_error_at(c, path, "is the port's own address");
	}
	if (p->has_gateway6) {
		snprintf(path, sizeof(path), "$.ports.%s.gateway6", name);
		if (!p->has_ipv6)
			return sg_cfg_error_at(c, path, "set but $.ports.%s.ipv6 is not", name);
		if (!IN6_IS_ADDR_LINKLOCAL(&p->gateway6) && !in6_within(&p->gateway6, &p->ipv6))
			return sg_cfg_error_at(c, path,
					       "neither link-local nor on the port's subnet %s",
					       p6str(&p->ipv6, buf, sizeof(buf)));
		if (memcmp(&p->gateway6, &p->ipv6.addr, sizeof(p->gateway6)) == 0)
			return sg_cfg_error_at(c, path, "is the port's own address");
	}
	if (p->has_ipv6 && p->mtu < 1280) {
		snprintf(path, sizeof(path), "$.ports.%s.mtu", name);
		return sg_cfg_error_at(c, path,
				       "%u is below 1280, the IPv6 minimum ($.ports.%s.ipv6 "
				       "is set)",
				       p->mtu, name);
	}
	for (unsigned int i = 0; i < p->n_routes; i++) {
		const struct sg_config_route *r = &p->routes[i];
		snprintf(path, sizeof(path), "$.ports.%s.routes[%u].via", name, i);
		if (r->family == AF_INET && !in4_within(r->via4, p->ipv4))
			return sg_cfg_error_at(c, path, "not on the port's subnet %s",
					       p4str(p->ipv4, buf, sizeof(buf)));
		if (r->family == AF_INET6) {
			if (!p->has_ipv6) {
				snprintf(path, sizeof(path), "$.ports.%s.routes[%u].prefix", name,
					 i);
				return sg_cfg_error_at(c, path,
						       "IPv6 route but $.ports.%s.ipv6 is "
						       "not set",
						       name);
			}
			if (!IN6_IS_ADDR_LINKLOCAL(&r->via6) && !in6_within(&r->via6, &p->ipv6))
				return sg_cfg_error_at(c, path,
						       "neither link-local nor on the port's "
						       "subnet %s",
						       p6str(&p->ipv6, buf, sizeof(buf)));
		}
	}
	return 0;
}

static int check_ports(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	const struct sg_config_port *w = &cfg->ports.wan, *l = &cfg->ports.lan;
	char buf[64];
	int rc;

	if ((rc = check_port(c, w, "wan")) || (rc = check_port(c, l, "lan")))
		return rc;
	if (p4_overlap(w->ipv4, l->ipv4))
		return sg_cfg_error_at(c, "$.ports.lan.ipv4",
				       "subnet overlaps the WAN subnet %s ($.ports.wan.ipv4)",
				       p4str(w->ipv4, buf, sizeof(buf)));
	if (w->has_ipv6 && l->has_ipv6 && p6_overlap(&w->ipv6, &l->ipv6))
		return sg_cfg_error_at(c, "$.ports.lan.ipv6",
				       "subnet overlaps the WAN subnet %s ($.ports.wan.ipv6)",
				       p6str(&w->ipv6, buf, sizeof(buf)));
	return 0;
}

/* What lib/ipam needs: every worker gets a slice of at least one address/prefix. */
static int check_pool_size(struct sg_cfg_ctx *c, const struct sg_config_pool *p, unsigned int i,
			   unsigned int n_workers)
{
	char path[64];

	if (p->has_ipv4) {
		uint64_t usable = 1ull << (32 - p->ipv4.len);
		if (p->ipv4.len <= 30)
			usable -= 2; /* network and broadcast */
		if (usable < n_workers) {
			snprintf(path, sizeof(path), "$.pools[%u].ipv4", i);
			return sg_cfg_error_at(c, path,
					       "/%u has %llu usable addresses, fewer than the %u "
					       "workers it is split between",
					       p->ipv4.len, (unsigned long long) usable, n_workers);
		}
	}
	if (p->has_ipv6) {
		unsigned int bits = p->ipv6_prefix_len - p->ipv6_prefix.len;
		snprintf(path, sizeof(path), "$.pools[%u].ipv6_prefix_len", i);
		if (p->ipv6_prefix_len <= p->ipv6_prefix.len)
			return sg_cfg_error_at(c, path,
					       "/%u is not longer than the pool's prefix /%u",
					       p->ipv6_prefix_len, p->ipv6_prefix.len);
		if (bits > SG_CONFIG_MAX_POOL6_BITS)
			return sg_cfg_error_at(c, path,
					       "/%u cuts 2^%u prefixes from /%u; at most 2^%u "
					       "(lengthen ipv6_prefix)",
					       p->ipv6_prefix_len, bits, p->ipv6_prefix.len,
					       SG_CONFIG_MAX_POOL6_BITS);
		if (bits < 32 && (1ull << bits) < n_workers)
			return sg_cfg_error_at(
			    c, path,
			    "/%u from /%u gives %llu prefixes, fewer than the %u "
			    "workers it is split between",
			    p->ipv6_prefix_len, p->ipv6_prefix.len, 1ull << bits, n_workers);
	}
	return 0;
}

static int check_pools(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	static const char *const pname[] = {"wan", "lan"};
	const struct sg_config_port *ports[] = {&cfg->ports.wan, &cfg->ports.lan};
	char path[64], buf[64];
	int rc;

	if (cfg->n_pools == 0 && cfg->auth.backend == SG_CONFIG_BACKEND_LOCAL)
		return sg_cfg_error_at(c, "$.pools",
				       "at least one pool is needed with "
				       "$.auth.backend \"local\"");
	for (unsigned int i = 0; i < cfg->n_pools; i++) {
		const struct sg_config_pool *p = &cfg->pools[i];

		snprintf(path, sizeof(path), "$.pools[%u]", i);
		if (!p->has_ipv4 && !p->has_ipv6)
			return sg_cfg_error_at(c, path, "needs ipv4 or ipv6_prefix (or both)");
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(cfg->pools[j].name, p->name) == 0) {
				snprintf(path, sizeof(path), "$.pools[%u].name", i);
				return sg_cfg_error_at(c, path,
						       "duplicate pool name \"%s\" (also "
						       "$.pools[%u].name)",
						       p->name, j);
			}
		if ((rc = check_pool_size(c, p, i, cfg->lcores.n_workers)) != 0)
			return rc;
		for (unsigned int k = 0; k < 2; k++) {
			if (p->has_ipv4 && p4_overlap(p->ipv4, ports[k]->ipv4)) {
				snprintf(path, sizeof(path), "$.pools[%u].ipv4", i);
				return sg_cfg_error_at(
				    c, path,
				    "%s overlaps the %s subnet %s "
				    "($.ports.%s.ipv4)",
				    p4str(p->ipv4, buf, sizeof(buf)), k ? "LAN" : "WAN",
				    p4str(ports[k]->ipv4, buf + 32, 32), pname[k]);
			}
			if (p->has_ipv6 && ports[k]->has_ipv6 &&
			    p6_overlap(&p->ipv6_prefix, &ports[k]->ipv6)) {
				char b6[64];
				snprintf(path, sizeof(path), "$.pools[%u].ipv6_prefix", i);
				return sg_cfg_error_at(
				    c, path,
				    "%s overlaps the %s subnet %s "
				    "($.ports.%s.ipv6)",
				    p6str(&p->ipv6_prefix, b6, sizeof(b6)), k ? "LAN" : "WAN",
				    p6str(&ports[k]->ipv6, buf, sizeof(buf)), pname[k]);
			}
		}
		for (unsigned int j = 0; j < i; j++) {
			const struct sg_config_pool *q = &cfg->pools[j];
			if (p->has_ipv4 && q->has_ipv4 && p4_overlap(p->ipv4, q->ipv4)) {
				snprintf(path, sizeof(path), "$.pools[%u].ipv4", i);
				return sg_cfg_error_at(
				    c, path, "overlaps $.pools[%u].ipv4 (\"%s\")", j, q->name);
			}
			if (p->has_ipv6 && q->has_ipv6 &&
			    p6_overlap(&p->ipv6_prefix, &q->ipv6_prefix)) {
				snprintf(path, sizeof(path), "$.pools[%u].ipv6_prefix", i);
				return sg_cfg_error_at(c, path,
						       "overlaps $.pools[%u].ipv6_prefix (\"%s\")",
						       j, q->name);
			}
		}
	}
	return 0;
}

static int check_auth(struct sg_cfg_ctx *c, const struct sg_config *cfg)
{
	const struct sg_config_auth *a = &cfg->auth;

	if (a->backend == SG_CONFIG_BACKEND_LOCAL && !a->has_local)
		return sg_cfg_error_at(c, "$.auth.local",
				       "missing: required when $.auth.backend is \"local\"");
	if (a->backend == SG_CONFIG_BACKEND_RADIUS && !a->has_radius)
		return sg_cfg_error_at(c, "$.auth.radius",
				       "missing: required when $.auth.backend is \"radius\"");
	return 0;
}

static int check_misc(struct sg_cfg_ctx *c, struct sg_config *cfg)
{
	const struct sg_config_port *w = &cfg->ports.wan, *l = &cfg->ports.lan;
	uint64_t need;

	if (cfg->tls.min_version > cfg->tls.max_version)
		return sg_cfg_error_at(c, "$.tls.min_version",
				       "\"%s\" is above $.tls.max_version \"%s\"",
				       sg_config_tls_version_name(cfg->tls.min_version),
				       sg_config_tls_version_name(cfg->tls.max_version));
	if (cfg->limits.sessions_per_core > cfg->limits.tcp_connections_per_core)
		return sg_cfg_error_at(c, "$.limits.sessions_per_core",
				       "%u is above $.limits.tcp_connections_per_core %u (each "
				       "session holds a TCP connection)",
				       cfg->limits.sessions_per_core,
				       cfg->limits.tcp_connections_per_core);
	need = (uint64_t) cfg->lcores.n_workers *
	       ((uint64_t) w->rx_desc + w->tx_desc + l->rx_desc + l->tx_desc);
	if (cfg->limits.mbufs < need)
		return sg_cfg_error_at(c, "$.limits.mbufs",
				       "%u cannot fill the rings: workers x (rx_desc + tx_desc) "
				       "of both ports needs at least %llu",
				       cfg->limits.mbufs, (unsigned long long) need);
	if (cfg->has_impair && cfg->impair.drop_pct + cfg->impair.reorder_pct > 100.0)
		return sg_cfg_error_at(c, "$.test.impair.reorder_pct",
				       "drop_pct + reorder_pct is %g, above 100",
				       cfg->impair.drop_pct + cfg->impair.reorder_pct);
	cfg->sstp.crypto_binding = 0;
	for (unsigned int i = 0; i < cfg->sstp.n_crypto_binding_pref; i++)
		cfg->sstp.crypto_binding |= cfg->sstp.crypto_binding_pref[i];
	return 0;
}

int sg_cfg_check(struct sg_cfg_ctx *c, struct sg_config *cfg)
{
	int rc;

	if ((rc = check_eal(c, cfg)) || (rc = check_lcores(c, cfg)) || (rc = check_ports(c, cfg)) ||
	    (rc = check_auth(c, cfg)) || (rc = check_pools(c, cfg)) || (rc = check_misc(c, cfg)))
		return rc;
	return 0;
}
