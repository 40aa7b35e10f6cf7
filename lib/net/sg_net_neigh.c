/* SPDX-License-Identifier: BSD-3-Clause */
#include "sg_net_neigh.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct neigh_entry {
	uint8_t family; /* 0 = free slot */
	uint8_t state;
	uint8_t probes;
	uint8_t has_mac;
	uint8_t addr[16];
	uint8_t mac[SG_NET_ETH_ALEN];
	sg_usec_t updated;    /* last confirmation (or creation) */
	sg_usec_t last_probe; /* INCOMPLETE: last solicitation */
	sg_usec_t used;	      /* last resolve that returned the MAC */
};

struct sg_net_neigh_table {
	unsigned int capacity;
	unsigned int count;
	struct sg_net_neigh_params p;
	struct neigh_entry e[];
};

static const struct sg_net_neigh_params default_params = {
    .reachable_usec = 30 * SG_USEC_PER_SEC,
    .retrans_usec = 1 * SG_USEC_PER_SEC,
    .max_probes = 3,
    .stale_usec = 600 * SG_USEC_PER_SEC,
};

struct sg_net_neigh_table *sg_net_neigh_create(unsigned int capacity,
					       const struct sg_net_neigh_params *params)
{
	struct sg_net_neigh_table *t;

	if (capacity == 0 || capacity > 65536 ||
	    (params != NULL && (params->max_probes == 0 || params->max_probes > 255))) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t) + (size_t) capacity * sizeof(t->e[0]));
	if (t == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	t->capacity = capacity;
	t->p = params != NULL ? *params : default_params;
	return t;
}

void sg_net_neigh_free(struct sg_net_neigh_table *t)
{
	free(t);
}

static size_t addr_len(int family)
{
	return family == 4 ? 4 : family == 6 ? 16 : 0;
}

static struct neigh_entry *find(const struct sg_net_neigh_table *t, int family, const uint8_t *addr)
{
	size_t alen = addr_len(family);
	unsigned int i;

	for (i = 0; i < t->capacity; i++) {
		const struct neigh_entry *e = &t->e[i];
		if (e->family == family && memcmp(e->addr, addr, alen) == 0)
			return (struct neigh_entry *) (uintptr_t) e;
	}
	return NULL;
}

static void drop_entry(struct sg_net_neigh_table *t, struct neigh_entry *e)
{
	memset(e, 0, sizeof(*e));
	t->count--;
}

/* A free slot, else the least recently updated STALE entry, else the oldest
 * INCOMPLETE one; REACHABLE entries are never evicted. */
static struct neigh_entry *take_slot(struct sg_net_neigh_table *t)
{
	struct neigh_entry *victim = NULL;
	unsigned int i;

	for (i = 0; i < t->capacity; i++) {
		struct neigh_entry *e = &t->e[i];
		if (e->family == 0)
			return e;
		if (e->state == SG_NET_NEIGH_REACHABLE)
			continue;
		if (victim == NULL ||
		    (victim->state == SG_NET_NEIGH_INCOMPLETE && e->state == SG_NET_NEIGH_STALE) ||
		    (victim->state == e->state && e->updated < victim->updated))
			victim = e;
	}
	if (victim != NULL)
		drop_entry(t, victim);
	return victim;
}

static struct neigh_entry *insert(struct sg_net_neigh_table *t, int family, const uint8_t *addr,
				  sg_usec_t now)
{
	struct neigh_entry *e = take_slot(t);

	if (e == NULL)
		return NULL;
	e->family = (uint8_t) family;
	memcpy(e->addr, addr, addr_len(family));
	e->updated = now;
	e->used = now;
	t->count++;
	return e;
}

int sg_net_neigh_resolve(struct sg_net_neigh_table *t, int family, const uint8_t *addr,
			 sg_usec_t now, uint8_t mac[SG_NET_ETH_ALEN])
{
	struct neigh_entry *e;

	if (t == NULL || addr == NULL || addr_len(family) == 0)
		return -EINVAL;
	e = find(t, family, addr);
	if (e == NULL) {
		e = insert(t, family, addr, now);
		if (e == NULL)
			return -ENOSPC;
		e->state = SG_NET_NEIGH_INCOMPLETE;
		e->probes = 1;
		e->last_probe = now;
		return SG_NET_NEIGH_SOLICIT;
	}
	if (e->state != SG_NET_NEIGH_INCOMPLETE) {
		memcpy(mac, e->mac, SG_NET_ETH_ALEN);
		e->used = now;
		return 0;
	}
	if (now - e->last_probe < t->p.retrans_usec)
		return -EAGAIN;
	if (e->probes >= t->p.max_probes) {
		drop_entry(t, e);
		return -EHOSTUNREACH;
	}
	e->probes++;
	e->last_probe = now;
	return SG_NET_NEIGH_SOLICIT;
}

int sg_net_neigh_confirm(struct sg_net_neigh_table *t, int family, const uint8_t *addr,
			 const uint8_t mac[SG_NET_ETH_ALEN], sg_usec_t now, unsigned int flags)
{
	struct neigh_entry *e;
	bool reachable = (flags & SG_NET_NEIGH_F_REACHABLE) != 0;

	if (t == NULL || addr == NULL || mac == NULL || addr_len(family) == 0)
		return -EINVAL;
	e = find(t, family, addr);
	if (e == NULL) {
		if (!(flags & SG_NET_NEIGH_F_CREATE))
			return -ENOENT;
		e = insert(t, family, addr, now);
		if (e == NULL)
			return -ENOSPC;
	} else if (e->has_mac && memcmp(e->mac, mac, SG_NET_ETH_ALEN) != 0 &&
		   !(flags & SG_NET_NEIGH_F_OVERRIDE)) {
		/* RFC 4861 7.2.5: a different MAC without override only ages us. */
		if (e->state == SG_NET_NEIGH_REACHABLE)
			e->state = SG_NET_NEIGH_STALE;
		return 0;
	}
	memcpy(e->mac, mac, SG_NET_ETH_ALEN);
	e->has_mac = 1;
	e->probes = 0;
	e->state = reachable ? SG_NET_NEIGH_REACHABLE : SG_NET_NEIGH_STALE;
	e->updated = now;
	return 0;
}

unsigned int sg_net_neigh_age(struct sg_net_neigh_table *t, sg_usec_t now)
{
	unsigned int i, removed = 0;

	if (t == NULL)
		return 0;
	for (i = 0; i < t->capacity; i++) {
		struct neigh_entry *e = &t->e[i];
		if (e->family == 0)
			continue;
		if (e->state == SG_NET_NEIGH_REACHABLE && now - e->updated >= t->p.reachable_usec) {
			e->state = SG_NET_NEIGH_STALE;
		} else if (e->state == SG_NET_NEIGH_STALE && now - e->updated >= t->p.stale_usec &&
			   now - e->used >= t->p.stale_usec) {
			drop_entry(t, e);
			removed++;
		} else if (e->state == SG_NET_NEIGH_INCOMPLETE &&
			   now - e->last_probe >= t->p.retrans_usec * 2 &&
			   e->probes >= t->p.max_probes) {
			drop_entry(t, e);
			removed++;
		}
	}
	return removed;
}

int sg_net_neigh_state(const struct sg_net_neigh_table *t, int family, const uint8_t *addr)
{
	const struct neigh_entry *e;

	if (t == NULL || addr == NULL || addr_len(family) == 0)
		return -EINVAL;
	e = find(t, family, addr);
	return e == NULL ? -ENOENT : e->state;
}

unsigned int sg_net_neigh_count(const struct sg_net_neigh_table *t)
{
	return t == NULL ? 0 : t->count;
}
