/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only impairment stage: see sg_impair.h for the contract. */
#include "sg_impair.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SG_IMPAIR_REORDER_MAX_US_DEFAULT 1000

/* One held packet. It leaves when now >= force, or when now >= due and the
 * `after` count of later packets that had to pass first reached 0. */
struct sg_impair_slot {
	void *pkt;
	sg_usec_t due;
	sg_usec_t force;
	uint32_t after;
};

struct sg_impair {
	struct sg_impair_config cfg;
	uint64_t prng;
	uint64_t drop_thr;    /* roll < drop_thr: drop */
	uint64_t reorder_thr; /* drop_thr <= roll < reorder_thr: reorder */
	uint64_t dup_thr;     /* second roll < dup_thr: duplicate */
	sg_impair_dup_fn dup;
	void *dup_arg;
	struct sg_impair_stats st;
	uint32_t hold_max;
	uint32_t n_held;
	uint32_t n_waiting; /* held slots with after > 0 */
	struct sg_impair_slot slots[];
};

/* splitmix64 (public domain algorithm by S. Vigna): small, seedable, good
 * enough for test impairment; never used for anything secret. */
static uint64_t impair_next(struct sg_impair *im)
{
	uint64_t z = (im->prng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A roll in [0, 2^32). */
static uint64_t impair_roll(struct sg_impair *im)
{
	return impair_next(im) >> 32;
}

static int pct_ok(double p)
{
	return !isnan(p) && p >= 0.0 && p <= 100.0;
}

static uint64_t pct_thr(double p)
{
	return (uint64_t) (p / 100.0 * 4294967296.0);
}

int sg_impair_config_check(const struct sg_impair_config *cfg)
{
	if (cfg == NULL || !pct_ok(cfg->drop_pct) || !pct_ok(cfg->reorder_pct) ||
	    !pct_ok(cfg->duplicate_pct) || cfg->drop_pct + cfg->reorder_pct > 100.0)
		return -EINVAL;
	return 0;
}

int sg_impair_config_is_off(const struct sg_impair_config *cfg)
{
	return cfg->drop_pct == 0.0 && cfg->reorder_pct == 0.0 && cfg->duplicate_pct == 0.0 &&
	       cfg->delay_us == 0;
}

static int parse_u64(const char *v, size_t len, uint64_t max, uint64_t *out)
{
	char buf[32];
	char *end;
	unsigned long long x;

	if (len == 0 || len >= sizeof(buf) || v[0] < '0' || v[0] > '9')
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	x = strtoull(buf, &end, 0);
	if (errno != 0 || *end != '\0' || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

static int parse_pct(const char *v, size_t len, double *out)
{
	char buf[32];
	char *end;
	double x;

	if (len == 0 || len >= sizeof(buf) || strspn(v, "0123456789.") < len)
		return -EINVAL; /* plain decimal only: no sign, exponent, hex, inf, nan */
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	x = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !pct_ok(x))
		return -EINVAL;
	*out = x;
	return 0;
}

static int key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

int sg_impair_config_parse(const char *text, struct sg_impair_config *cfg)
{
	struct sg_impair_config c;
	const char *p = text;
	uint64_t u;
	int rc;

	if (text == NULL || cfg == NULL)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t) (comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen, vlen;
		const char *v;

		if (eq == NULL)
			return -EINVAL;
		klen = (size_t) (eq - p);
		v = eq + 1;
		vlen = len - klen - 1;
		if (key_is(p, klen, "seed")) {
			rc = parse_u64(v, vlen, UINT64_MAX, &c.seed);
		} else if (key_is(p, klen, "drop_pct")) {
			rc = parse_pct(v, vlen, &c.drop_pct);
		} else if (key_is(p, klen, "reorder_pct")) {
			rc = parse_pct(v, vlen, &c.reorder_pct);
		} else if (key_is(p, klen, "duplicate_pct")) {
			rc = parse_pct(v, vlen, &c.duplicate_pct);
		} else if (key_is(p, klen, "delay_us")) {
			rc = parse_u64(v, vlen, UINT32_MAX, &u);
			c.delay_us = (uint32_t) u;
		} else if (key_is(p, klen, "reorder_max_us")) {
			rc = parse_u64(v, vlen, UINT32_MAX, &u);
			c.reorder_max_us = (uint32_t) u;
		} else {
			rc = -EINVAL;
		}
		if (rc != 0)
			return rc;
		if (comma == NULL)
			break;
		p = comma + 1;
		if (*p == '\0')
			return -EINVAL; /* trailing comma */
	}
	if (sg_impair_config_check(&c) != 0)
		return -EINVAL;
	*cfg = c;
	return 0;
}

struct sg_impair *sg_impair_create(const struct sg_impair_config *cfg, uint32_t hold_max,
				   sg_impair_dup_fn dup, void *dup_arg)
{
	struct sg_impair *im;

	if (sg_impair_config_check(cfg) != 0 || hold_max == 0 || hold_max > 65535 ||
	    (dup == NULL && cfg->duplicate_pct > 0.0)) {
		errno = EINVAL;
		return NULL;
	}
	im = calloc(1, sizeof(*im) + (size_t) hold_max * sizeof(im->slots[0]));
	if (im == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	im->cfg = *cfg;
	if (im->cfg.reorder_max_us == 0)
		im->cfg.reorder_max_us = SG_IMPAIR_REORDER_MAX_US_DEFAULT;
	im->prng = cfg->seed;
	im->drop_thr = pct_thr(cfg->drop_pct);
	im->reorder_thr = pct_thr(cfg->drop_pct + cfg->reorder_pct);
	im->dup_thr = pct_thr(cfg->duplicate_pct);
	im->dup = dup;
	im->dup_arg = dup_arg;
	im->hold_max = hold_max;
	return im;
}

void sg_impair_free(struct sg_impair *im)
{
	free(im);
}

static void hold(struct sg_impair *im, void *pkt, sg_usec_t due, sg_usec_t force, uint32_t after)
{
	struct sg_impair_slot *s = &im->slots[im->n_held++];

	s->pkt = pkt;
	s->due = due;
	s->force = force;
	s->after = after;
	if (after > 0)
		im->n_waiting++;
}

/* Move due held packets to out (in the order they were held). */
static uint32_t release(struct sg_impair *im, sg_usec_t now, void **out, uint32_t n_out,
			uint32_t cap)
{
	uint32_t i, keep = 0;

	for (i = 0; i < im->n_held; i++) {
		struct sg_impair_slot *s = &im->slots[i];
		int due = now >= s->force || (now >= s->due && s->after == 0);

		if (due && n_out < cap) {
			if (s->after > 0)
				im->n_waiting--;
			out[n_out++] = s->pkt;
		} else {
			im->slots[keep++] = *s;
		}
	}
	im->n_held = keep;
	return n_out;
}

/* One packet went out: the reordered ones waiting for it count down. */
static uint32_t passed_one(struct sg_impair *im, sg_usec_t now, void **out, uint32_t n_out,
			   uint32_t cap)
{
	uint32_t i;

	if (im->n_waiting == 0)
		return n_out;
	for (i = 0; i < im->n_held; i++) {
		struct sg_impair_slot *s = &im->slots[i];

		if (s->after > 0 && --s->after == 0)
			im->n_waiting--;
	}
	return release(im, now, out, n_out, cap);
}

/* Send on or hold one packet that is not dropped. */
static uint32_t forward(struct sg_impair *im, void *pkt, sg_usec_t now, void **out, uint32_t n_out,
			uint32_t cap)
{
	if (im->cfg.delay_us == 0 && n_out < cap) {
		out[n_out++] = pkt;
		return passed_one(im, now, out, n_out, cap);
	}
	im->st.delayed++;
	hold(im, pkt, now + im->cfg.delay_us, now + im->cfg.delay_us, 0);
	return n_out;
}

uint32_t sg_impair_burst(struct sg_impair *im, void *const *in, uint32_t n_in, sg_usec_t now,
			 void **out, uint32_t out_cap, void **dropped, uint32_t *n_dropped)
{
	uint32_t i, n_out, n_drop = 0;

	n_out = release(im, now, out, 0, out_cap);
	for (i = 0; i < n_in; i++) {
		void *pkt = in[i];
		uint64_t r = impair_roll(im);
		int do_dup = impair_roll(im) < im->dup_thr;

		im->st.in++;
		if (r < im->drop_thr) {
			im->st.dropped++;
			dropped[n_drop++] = pkt;
			continue;
		}
		if (im->n_held == im->hold_max &&
		    (n_out == out_cap || im->cfg.delay_us > 0 || r < im->reorder_thr)) {
			im->st.overflow++;
			dropped[n_drop++] = pkt;
			continue;
		}
		im->st.passed++;
		if (r < im->reorder_thr) {
			sg_usec_t due = now + im->cfg.delay_us;

			im->st.reordered++;
			hold(im, pkt, due, due + im->cfg.reorder_max_us,
			     1 + (uint32_t) (impair_next(im) % 3));
		} else {
			n_out = forward(im, pkt, now, out, n_out, out_cap);
		}
		/* The copy follows the original; only made when it has room. */
		if (do_dup &&
		    (im->n_held < im->hold_max || (im->cfg.delay_us == 0 && n_out < out_cap))) {
			void *copy = im->dup(pkt, im->dup_arg);

			if (copy == NULL) {
				im->st.dup_failed++;
				continue;
			}
			im->st.duplicated++;
			n_out = forward(im, copy, now, out, n_out, out_cap);
		}
	}
	*n_dropped = n_drop;
	return n_out;
}

uint32_t sg_impair_drain(struct sg_impair *im, void **out, uint32_t cap)
{
	uint32_t n = SG_MIN(cap, im->n_held);
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (im->slots[i].after > 0)
			im->n_waiting--;
		out[i] = im->slots[i].pkt;
	}
	memmove(im->slots, im->slots + n, (size_t) (im->n_held - n) * sizeof(im->slots[0]));
	im->n_held -= n;
	return n;
}

uint32_t sg_impair_held(const struct sg_impair *im)
{
	return im->n_held;
}

void sg_impair_stats_get(const struct sg_impair *im, struct sg_impair_stats *st)
{
	*st = im->st;
}
