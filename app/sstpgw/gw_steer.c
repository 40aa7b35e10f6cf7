/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The steering table: client addresses that the pool layout cannot place (a fixed or
 * RADIUS Framed-IP-Address outside the pool, or inside another worker's slice) ->
 * the worker holding the session; IPv6 /64s the same way in a second table keyed by their
 * upper 64 bits. Written by the control core only, read lock-free by
 * every worker's LAN path (rte_hash with RW_CONCURRENCY_LF). A deleted key's slot is
 * recycled only after a grace period far longer than any worker's loop iteration.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_jhash.h>

#include "sg_app.h"
#include "sg_gw.h"

#define STEER_MAX   4096
#define GRACE_USEC  (200 * 1000)
#define PENDING_MAX 1024

struct steer_table {
	struct rte_hash *h;
	uint32_t n; /* entries, read by workers to skip the lookup when empty */
	unsigned int n_pending;
	struct {
		int32_t pos;
		uint64_t tsc;
	} pending[PENDING_MAX];
};

struct sg_steer {
	struct steer_table t4; /* IPv4 address (network order) */
	struct steer_table t6; /* upper 64 bits of an IPv6 /64 */
};

int sg_app_steer_create(struct sg_app *app)
{
	struct rte_hash_parameters hp = {
	    .name = "sg_steer4",
	    .entries = STEER_MAX,
	    .key_len = sizeof(uint32_t),
	    .hash_func = rte_jhash,
	    .socket_id = (int) rte_socket_id(),
	    .extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct sg_steer *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	app->steer = s;
	s->t4.h = rte_hash_create(&hp);
	hp.name = "sg_steer6";
	hp.key_len = sizeof(uint64_t);
	s->t6.h = rte_hash_create(&hp);
	if (s->t4.h == NULL || s->t6.h == NULL) {
		sg_app_steer_free(app);
		return -ENOMEM;
	}
	return 0;
}

void sg_app_steer_free(struct sg_app *app)
{
	if (app->steer == NULL)
		return;
	rte_hash_free(app->steer->t4.h);
	rte_hash_free(app->steer->t6.h);
	free(app->steer);
	app->steer = NULL;
}

/* Control: recycle slots whose grace period is over. */
static void reclaim(struct steer_table *s, bool all)
{
	uint64_t now = rte_get_timer_cycles(), grace = rte_get_timer_hz() / 1000000 * GRACE_USEC;
	unsigned int i = 0;

	while (i < s->n_pending) {
		if (all || now - s->pending[i].tsc >= grace) {
			rte_hash_free_key_with_position(s->h, s->pending[i].pos);
			s->pending[i] = s->pending[--s->n_pending];
		} else {
			i++;
		}
	}
}

static int table_add(struct steer_table *s, const void *key, unsigned int worker)
{
	int rc;

	reclaim(s, false);
	if (rte_hash_lookup(s->h, key) >= 0)
		return -EEXIST;
	rc = rte_hash_add_key_data(s->h, key, (void *) (uintptr_t) worker);
	if (rc == 0)
		__atomic_store_n(&s->n, s->n + 1, __ATOMIC_RELEASE);
	return rc;
}

static bool table_del(struct steer_table *s, const void *key)
{
	int32_t pos;

	reclaim(s, false);
	pos = rte_hash_del_key(s->h, key);
	if (pos < 0)
		return false;
	__atomic_store_n(&s->n, s->n - 1, __ATOMIC_RELEASE);
	if (s->n_pending == PENDING_MAX)
		reclaim(s, true); /* cannot happen at a sane release rate; stays correct-ish */
	s->pending[s->n_pending].pos = pos;
	s->pending[s->n_pending++].tsc = rte_get_timer_cycles();
	return true;
}

static int table_lookup(const struct steer_table *s, const void *key)
{
	void *data;

	if (__atomic_load_n(&s->n, __ATOMIC_ACQUIRE) == 0)
		return -1;
	if (rte_hash_lookup_data(s->h, key, &data) < 0)
		return -1;
	return (int) (uintptr_t) data;
}

int sg_app_steer_add(struct sg_app *app, uint32_t addr_host, unsigned int worker)
{
	uint32_t key = rte_cpu_to_be_32(addr_host);

	return table_add(&app->steer->t4, &key, worker);
}

bool sg_app_steer_del(struct sg_app *app, uint32_t addr_host)
{
	uint32_t key = rte_cpu_to_be_32(addr_host);

	return table_del(&app->steer->t4, &key);
}

int sg_app_steer6_add(struct sg_app *app, const uint8_t prefix[16], unsigned int worker)
{
	return table_add(&app->steer->t6, prefix, worker);
}

bool sg_app_steer6_del(struct sg_app *app, const uint8_t prefix[16])
{
	return table_del(&app->steer->t6, prefix);
}

void sg_app_steer_poll(struct sg_app *app)
{
	if (app->steer == NULL)
		return;
	if (app->steer->t4.n_pending > 0)
		reclaim(&app->steer->t4, false);
	if (app->steer->t6.n_pending > 0)
		reclaim(&app->steer->t6, false);
}

int sg_app_steer_lookup(const struct sg_app *app, uint32_t addr_be)
{
	return app->steer == NULL ? -1 : table_lookup(&app->steer->t4, &addr_be);
}

int sg_app_steer6_lookup(const struct sg_app *app, const uint8_t addr[16])
{
	return app->steer == NULL ? -1 : table_lookup(&app->steer->t6, addr); /* first 8 bytes */
}
