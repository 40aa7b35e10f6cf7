/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network control protocols: IPCP (RFC 1332 address, RFC 1877 DNS) and
 * IPv6CP (RFC 5072 interface identifiers), both roles.
 *
 * Server: NAKs the peer's address (0.0.0.0 or any other) with the assigned
 * one, NAKs DNS requests with the configured servers or rejects them when
 * none is configured, rejects IP compression (VJ), NBNS and unknown options;
 * for IPv6CP picks its own identifier and NAKs a zero or colliding one.
 * Peer: asks for 0.0.0.0 (and DNS when configured) and takes what is NAKed.
 */
#include <string.h>

#include "ppp_private.h"
#include "sg_ppp_crypto.h"

static bool is_server(const struct ppp_fsm *f)
{
	return f->s->cfg->role == SG_PPP_ROLE_SERVER;
}

static size_t put_ip(uint8_t *p, uint8_t type, uint32_t a)
{
	p[0] = type;
	p[1] = 6;
	ppp_put32(p + 2, a);
	return 6;
}

void ppp_ipcp_reset(struct sg_ppp_session *s)
{
	struct ppp_ipcp *c = &s->ip4;

	memset(c, 0, sizeof(*c));
	c->want_local = s->cfg->local_ipv4;
	if (s->cfg->role == SG_PPP_ROLE_SERVER && s->cfg->local_ipv4 == 0)
		c->rej_addr = true; /* nothing to announce */
	if (s->cfg->role == SG_PPP_ROLE_PEER && !s->cfg->want_dns)
		c->rej_dns[0] = c->rej_dns[1] = true;
}

static size_t ipcp_build_req(struct ppp_fsm *f, uint8_t *p, size_t cap)
{
	struct ppp_ipcp *c = &f->s->ip4;
	size_t n = 0;

	(void) cap; /* at most 18 bytes */
	if (!c->rej_addr)
		n += put_ip(p + n, SG_IPCP_OPT_ADDRESS, c->want_local);
	if (!is_server(f)) {
		if (!c->rej_dns[0])
			n += put_ip(p + n, SG_IPCP_OPT_DNS1, c->want_dns[0]);
		if (!c->rej_dns[1])
			n += put_ip(p + n, SG_IPCP_OPT_DNS2, c->want_dns[1]);
	}
	return n;
}

static void ipcp_req_begin(struct ppp_fsm *f)
{
	f->s->ip4.t_addr = 0;
	f->s->ip4.t_has_addr = false;
}

static enum ppp_verdict nak_ip(uint8_t type, uint32_t want, uint32_t got, uint8_t *nak,
			       uint8_t *nak_len)
{
	if (want == got)
		return PPP_ACK;
	*nak_len = (uint8_t) put_ip(nak, type, want);
	return PPP_NAK;
}

static enum ppp_verdict ipcp_req_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v,
				     uint8_t vlen, uint8_t *nak, uint8_t *nak_len)
{
	struct sg_ppp_session *s = f->s;
	struct ppp_ipcp *c = &s->ip4;
	uint32_t a, dns;
	enum ppp_verdict r;

	if (type != SG_IPCP_OPT_ADDRESS && type != SG_IPCP_OPT_DNS1 && type != SG_IPCP_OPT_DNS2)
		return PPP_REJ; /* VJ compression, IP-Addresses, NBNS, unknown */
	if (vlen != 4)
		return PPP_REJ;
	a = ppp_get32(v);
	if (!is_server(f)) {
		if (type != SG_IPCP_OPT_ADDRESS || a == 0)
			return PPP_REJ;
		c->t_addr = a;
		c->t_has_addr = true;
		return PPP_ACK;
	}
	if (type == SG_IPCP_OPT_ADDRESS) {
		if (s->info.peer_ipv4 == 0)
			return PPP_REJ; /* nothing assigned: cannot suggest */
		r = nak_ip(type, s->info.peer_ipv4, a, nak, nak_len);
		c->t_has_addr = true;
		c->t_addr = a;
		return r;
	}
	dns = s->cfg->dns[type == SG_IPCP_OPT_DNS1 ? 0 : 1];
	if (dns == 0)
		return PPP_REJ;
	return nak_ip(type, dns, a, nak, nak_len);
}

/* Server: a request without an address gets one suggested (RFC 1332 §3.3). */
static size_t ipcp_req_extra_nak(struct ppp_fsm *f, uint8_t *nak, size_t cap)
{
	struct sg_ppp_session *s = f->s;

	if (!is_server(f) || s->ip4.t_has_addr || s->info.peer_ipv4 == 0 || cap < 6)
		return 0;
	return put_ip(nak, SG_IPCP_OPT_ADDRESS, s->info.peer_ipv4);
}

static void ipcp_req_commit(struct ppp_fsm *f)
{
	struct sg_ppp_session *s = f->s;

	if (!is_server(f))
		s->info.peer_ipv4 = s->ip4.t_has_addr ? s->ip4.t_addr : 0;
}

static void ipcp_nak_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v, uint8_t vlen)
{
	struct ppp_ipcp *c = &f->s->ip4;
	uint32_t a;

	if (vlen != 4)
		return;
	a = ppp_get32(v);
	if (type == SG_IPCP_OPT_ADDRESS && (a != 0 || !is_server(f)))
		c->want_local = a;
	else if (type == SG_IPCP_OPT_DNS1 && !is_server(f))
		c->want_dns[0] = a;
	else if (type == SG_IPCP_OPT_DNS2 && !is_server(f))
		c->want_dns[1] = a;
}

static void ipcp_rej_opt(struct ppp_fsm *f, uint8_t type)
{
	struct ppp_ipcp *c = &f->s->ip4;

	if (type == SG_IPCP_OPT_ADDRESS)
		c->rej_addr = true;
	else if (type == SG_IPCP_OPT_DNS1)
		c->rej_dns[0] = true;
	else if (type == SG_IPCP_OPT_DNS2)
		c->rej_dns[1] = true;
}

static void ipcp_up(struct ppp_fsm *f)
{
	struct sg_ppp_session *s = f->s;
	struct ppp_ipcp *c = &s->ip4;

	s->info.local_ipv4 = c->rej_addr ? 0 : c->want_local;
	if (is_server(f)) {
		s->info.dns[0] = s->cfg->dns[0];
		s->info.dns[1] = s->cfg->dns[1];
	} else {
		s->info.dns[0] = c->rej_dns[0] ? 0 : c->want_dns[0];
		s->info.dns[1] = c->rej_dns[1] ? 0 : c->want_dns[1];
	}
	ppp_emit(s, SG_PPP_ACT_IPCP_UP);
}

static void ipcp_down(struct ppp_fsm *f)
{
	ppp_emit(f->s, SG_PPP_ACT_IPCP_DOWN);
}

static void ncp_finished(struct ppp_fsm *f)
{
	ppp_session_ncp_finished(f->s);
}

const struct ppp_fsm_ops ppp_ipcp_ops = {
    .name = "ipcp",
    .proto = SG_PPP_PROTO_IPCP,
    .build_req = ipcp_build_req,
    .req_begin = ipcp_req_begin,
    .req_opt = ipcp_req_opt,
    .req_extra_nak = ipcp_req_extra_nak,
    .req_commit = ipcp_req_commit,
    .nak_opt = ipcp_nak_opt,
    .rej_opt = ipcp_rej_opt,
    .up = ipcp_up,
    .down = ipcp_down,
    .finished = ncp_finished,
};

/* A fresh nonzero identifier different from avoid. */
static uint64_t new_ifid(struct sg_ppp_session *s, uint64_t avoid)
{
	uint64_t id = 0;
	int tries = 0;

	while ((id == 0 || id == avoid) && tries++ < 8) {
		if (sg_ppp_random(&id, sizeof(id)) != 0) {
			PPP_CNT(s, crypto_error);
			id = (avoid ^ 0x0200000000000001ULL) + (uint64_t) tries;
		}
	}
	return id;
}

static void put_ifid(uint8_t *p, uint64_t id)
{
	p[0] = SG_IPV6CP_OPT_IFID;
	p[1] = 10;
	ppp_put32(p + 2, (uint32_t) (id >> 32));
	ppp_put32(p + 6, (uint32_t) id);
}

void ppp_ipv6cp_reset(struct sg_ppp_session *s)
{
	struct ppp_ipv6cp *c = &s->ip6;
	uint64_t offer = c->offer_ifid; /* survives a link restart */

	memset(c, 0, sizeof(*c));
	c->offer_ifid = offer;
	c->want_ifid = s->cfg->local_ifid != 0 ? s->cfg->local_ifid : new_ifid(s, 0);
}

static size_t ipv6cp_build_req(struct ppp_fsm *f, uint8_t *p, size_t cap)
{
	(void) cap;
	if (f->s->ip6.rej_ifid)
		return 0;
	put_ifid(p, f->s->ip6.want_ifid);
	return 10;
}

static void ipv6cp_req_begin(struct ppp_fsm *f)
{
	f->s->ip6.t_ifid = 0;
}

static enum ppp_verdict ipv6cp_req_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v,
				       uint8_t vlen, uint8_t *nak, uint8_t *nak_len)
{
	struct ppp_ipv6cp *c = &f->s->ip6;
	uint64_t id;

	if (type != SG_IPV6CP_OPT_IFID || vlen != 8)
		return PPP_REJ; /* compression, unknown */
	id = ((uint64_t) ppp_get32(v) << 32) | ppp_get32(v + 4);
	if (id == 0 || id == c->want_ifid) {
		put_ifid(nak, c->offer_ifid != 0 && c->offer_ifid != c->want_ifid
				  ? c->offer_ifid
				  : new_ifid(f->s, c->want_ifid));
		*nak_len = 10;
		return PPP_NAK;
	}
	c->t_ifid = id;
	return PPP_ACK;
}

static void ipv6cp_req_commit(struct ppp_fsm *f)
{
	f->s->info.peer_ifid = f->s->ip6.t_ifid;
}

static void ipv6cp_nak_opt(struct ppp_fsm *f, uint8_t type, const uint8_t *v, uint8_t vlen)
{
	struct ppp_ipv6cp *c = &f->s->ip6;
	uint64_t id;

	if (type != SG_IPV6CP_OPT_IFID || vlen != 8)
		return;
	id = ((uint64_t) ppp_get32(v) << 32) | ppp_get32(v + 4);
	if (id == 0 || id == f->s->info.peer_ifid)
		id = new_ifid(f->s, c->want_ifid);
	c->want_ifid = id;
}

static void ipv6cp_rej_opt(struct ppp_fsm *f, uint8_t type)
{
	if (type == SG_IPV6CP_OPT_IFID)
		f->s->ip6.rej_ifid = true;
}

static void ipv6cp_up(struct ppp_fsm *f)
{
	f->s->info.local_ifid = f->s->ip6.rej_ifid ? 0 : f->s->ip6.want_ifid;
	ppp_emit(f->s, SG_PPP_ACT_IPV6CP_UP);
}

static void ipv6cp_down(struct ppp_fsm *f)
{
	ppp_emit(f->s, SG_PPP_ACT_IPV6CP_DOWN);
}

const struct ppp_fsm_ops ppp_ipv6cp_ops = {
    .name = "ipv6cp",
    .proto = SG_PPP_PROTO_IPV6CP,
    .build_req = ipv6cp_build_req,
    .req_begin = ipv6cp_req_begin,
    .req_opt = ipv6cp_req_opt,
    .req_commit = ipv6cp_req_commit,
    .nak_opt = ipv6cp_nak_opt,
    .rej_opt = ipv6cp_rej_opt,
    .up = ipv6cp_up,
    .down = ipv6cp_down,
    .finished = ncp_finished,
};
