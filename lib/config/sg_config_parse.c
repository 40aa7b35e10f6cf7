/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The directive walker and the scalar leaf parsers (addresses and prefixes are
 * in sg_config_addr.c). Each parser checks the JSON type,
 * the range and the syntax of one value, writes it into the typed struct and
 * on failure writes one "<name>: <path>: <reason>" line and returns -EINVAL.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sg_common.h"
#include "sg_config_priv.h"

/* ---- errors and paths ---- */

static int verror(struct sg_cfg_ctx *c, const char *path, const char *fmt, va_list ap)
{
	char reason[512];

	if (c->err == NULL || c->errlen == 0)
		return -EINVAL;
	vsnprintf(reason, sizeof(reason), fmt, ap);
	snprintf(c->err, c->errlen, "%s: %s: %s", c->name, path, reason);
	/* One line, whatever the input held. */
	for (char *p = c->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -EINVAL;
}

int sg_cfg_errorf(struct sg_cfg_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(c, c->plen ? c->path : "$", fmt, ap);
	va_end(ap);
	return rc;
}

int sg_cfg_error_at(struct sg_cfg_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(c, path, fmt, ap);
	va_end(ap);
	return rc;
}

/* Append ".key" (printable bytes only, at most 64) or "[i]"; returns the old length. */
static size_t path_push_key(struct sg_cfg_ctx *c, const char *key)
{
	size_t old = c->plen, n = c->plen;

	if (n + 2 < sizeof(c->path))
		c->path[n++] = '.';
	for (size_t i = 0; key[i] && i < 64 && n + 1 < sizeof(c->path); i++)
		c->path[n++] = isprint((unsigned char) key[i]) ? key[i] : '?';
	c->path[n] = 0;
	c->plen = n;
	return old;
}

static size_t path_push_index(struct sg_cfg_ctx *c, size_t i)
{
	size_t old = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);

	if (n > 0)
		c->plen = SG_MIN(c->plen + (size_t) n, sizeof(c->path) - 1);
	return old;
}

static void path_pop(struct sg_cfg_ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = 0;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* The value as compact JSON, cut to fit a message. */
const char *sg_cfg_repr(const json_t *v, char *buf, size_t len)
{
	char *s;

	if (json_is_object(v) || json_is_array(v)) {
		snprintf(buf, len, "%s", json_kind(v));
		return buf;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (s == NULL) {
		snprintf(buf, len, "%s", json_kind(v));
		return buf;
	}
	if (strlen(s) > 80)
		snprintf(buf, len, "%.77s...", s);
	else
		snprintf(buf, len, "%s", s);
	free(s);
	return buf;
}

int sg_cfg_wrong_type(struct sg_cfg_ctx *c, const json_t *v, const char *want)
{
	char r[96];

	if (json_is_object(v) || json_is_array(v) || json_is_null(v))
		return sg_cfg_errorf(c, "expected %s, got %s", want, json_kind(v));
	return sg_cfg_errorf(c, "expected %s, got %s (%s)", want, json_kind(v),
			     sg_cfg_repr(v, r, sizeof(r)));
}

void *sg_cfg_field(const struct sg_cfg_dir *d, void *base)
{
	return (char *) base + d->off;
}

void sg_cfg_mark_set(const struct sg_cfg_dir *d, void *base, bool set)
{
	if (d->set_off)
		*(bool *) ((char *) base + d->set_off - 1) = set;
}

static void store_uint(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: {
		uint8_t x = (uint8_t) v;
		memcpy(p, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t) v;
		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t) v;
		memcpy(p, &x, 4);
		break;
	}
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/* ---- objects and arrays ---- */

static unsigned int edit_distance(const char *a, const char *b)
{
	unsigned int row[64], la = (unsigned int) strlen(a), lb = (unsigned int) strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (unsigned int j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned int i = 1; i <= la; i++) {
		unsigned int diag = row[0];
		row[0] = i;
		for (unsigned int j = 1; j <= lb; j++) {
			unsigned int up = row[j];
			unsigned int best = diag + (a[i - 1] != b[j - 1]);
			best = SG_MIN(best, up + 1);
			best = SG_MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static int unknown_key(struct sg_cfg_ctx *c, const struct sg_cfg_dir *tab, const char *key)
{
	const char *best = NULL;
	unsigned int bestd = 3;

	for (const struct sg_cfg_dir *m = tab; m->key; m++) {
		unsigned int dist = edit_distance(key, m->key);
		if (dist < bestd) {
			bestd = dist;
			best = m->key;
		}
	}
	if (best)
		return sg_cfg_errorf(c, "unknown key (did you mean \"%s\"?)", best);
	return sg_cfg_errorf(c, "unknown key");
}

static int parse_member(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	if (json_is_null(v)) {
		if (!(d->flags & SG_CFG_NULLABLE))
			return sg_cfg_errorf(c, "null is not allowed here (expected %s)",
					     d->type->name);
		/* null = as if the key were left out. */
		memset(sg_cfg_field(d, base), 0, d->size);
		sg_cfg_apply_defaults(c, d, base);
		sg_cfg_mark_set(d, base, false);
		return 0;
	}
	return d->type->parse(c, d, v, base);
}

static int parse_object(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	void *obj = sg_cfg_field(d, base);
	const char *key;
	json_t *mv;

	if (!json_is_object(v))
		return sg_cfg_wrong_type(c, v, "an object");
	/* Defaults first: keys left out keep them. */
	for (const struct sg_cfg_dir *m = d->children; m->key; m++)
		sg_cfg_apply_defaults(c, m, obj);
	json_object_foreach(v, key, mv)
	{
		const struct sg_cfg_dir *m;
		for (m = d->children; m->key; m++)
			if (strcmp(m->key, key) == 0)
				break;
		if (m->key == NULL) {
			size_t old = path_push_key(c, key);
			int rc = unknown_key(c, d->children, key);
			path_pop(c, old);
			return rc;
		}
	}
	for (const struct sg_cfg_dir *m = d->children; m->key; m++) {
		size_t old = path_push_key(c, m->key);
		int rc = 0;
		mv = json_object_get(v, m->key);
		if (mv == NULL) {
			if (m->flags & SG_CFG_REQUIRED)
				rc = sg_cfg_errorf(c, "missing required key");
		} else {
			rc = parse_member(c, m, mv, obj);
		}
		path_pop(c, old);
		if (rc)
			return rc;
	}
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_array(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	const struct sg_cfg_dir *e = d->elem;
	size_t n, i;
	json_t *ev;

	if (!json_is_array(v))
		return sg_cfg_wrong_type(c, v, "an array");
	n = json_array_size(v);
	if ((int64_t) n < d->min || (int64_t) n > d->max) {
		if (d->min == d->max)
			return sg_cfg_errorf(c, "has %zu items, expected %lld", n,
					     (long long) d->min);
		if (n == 0)
			return sg_cfg_errorf(c, "must not be empty (%lld..%lld items)",
					     (long long) d->min, (long long) d->max);
		return sg_cfg_errorf(c, "has %zu items, expected %lld..%lld", n, (long long) d->min,
				     (long long) d->max);
	}
	memset(sg_cfg_field(d, base), 0, d->size);
	json_array_foreach(v, i, ev)
	{
		size_t old = path_push_index(c, i);
		int rc = 0;
		if (d->flags & SG_CFG_UNIQUE)
			for (size_t j = 0; j < i && rc == 0; j++)
				if (json_equal(ev, json_array_get(v, j)))
					rc = sg_cfg_errorf(c, "duplicate of item %zu", j);
		if (rc == 0)
			rc = e->type->parse(c, e, ev, (char *) sg_cfg_field(d, base) + i * e->size);
		path_pop(c, old);
		if (rc)
			return rc;
	}
	*(unsigned int *) ((char *) base + d->count_off) = (unsigned int) n;
	sg_cfg_mark_set(d, base, true);
	return 0;
}

void sg_cfg_apply_defaults(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, void *base)
{
	json_error_t jerr;
	json_t *v;

	if (d->type == &sg_cfg_object) {
		for (const struct sg_cfg_dir *m = d->children; m->key; m++)
			sg_cfg_apply_defaults(c, m, sg_cfg_field(d, base));
		return;
	}
	if (d->def == NULL)
		return;
	v = json_loads(d->def, JSON_DECODE_ANY, &jerr);
	if (v == NULL)
		return; /* a bad default is caught by the unit tests */
	if (!json_is_null(v))
		(void) d->type->parse(c, d, v, base);
	json_decref(v);
}

int sg_cfg_bad_value(struct sg_cfg_ctx *c, json_t *v, const char *what)
{
	char r[96];

	return sg_cfg_errorf(c, "%s is not %s", sg_cfg_repr(v, r, sizeof(r)), what);
}

/* ---- scalars ---- */

static int parse_bool(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	if (!json_is_boolean(v))
		return sg_cfg_wrong_type(c, v, "true or false");
	*(bool *) sg_cfg_field(d, base) = json_is_true(v);
	return 0;
}

static int parse_uint(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	json_int_t x;

	if (!json_is_integer(v))
		return sg_cfg_wrong_type(c, v, "an integer");
	x = json_integer_value(v);
	if (x < d->min || x > d->max)
		return sg_cfg_errorf(c, "%lld is out of range %lld..%lld", (long long) x,
				     (long long) d->min, (long long) d->max);
	store_uint(sg_cfg_field(d, base), d->size, (uint64_t) x);
	return 0;
}

static int parse_pct(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	double x;

	if (!json_is_number(v))
		return sg_cfg_wrong_type(c, v, "a number");
	x = json_number_value(v);
	if (!(x >= (double) d->min && x <= (double) d->max))
		return sg_cfg_errorf(c, "%g is out of range %lld..%lld", x, (long long) d->min,
				     (long long) d->max);
	*(double *) sg_cfg_field(d, base) = x;
	return 0;
}

/* A string whose length is within the directive's range; returns it or NULL. */
static const char *get_string(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, int *rc)
{
	size_t n;
	const char *s;

	*rc = 0;
	if (!json_is_string(v)) {
		*rc = sg_cfg_wrong_type(c, v, "a string");
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n) {
		*rc = sg_cfg_errorf(c, "string contains a NUL byte");
		return NULL;
	}
	if ((int64_t) n < d->min || (int64_t) n > d->max) {
		if (n == 0)
			*rc = sg_cfg_errorf(c, "must not be empty");
		else
			*rc = sg_cfg_errorf(c, "is %zu bytes long, expected %lld..%lld", n,
					    (long long) d->min, (long long) d->max);
		return NULL;
	}
	return s;
}

static int parse_string(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	int rc;
	const char *s = get_string(c, d, v, &rc);

	if (s == NULL)
		return rc;
	snprintf(sg_cfg_field(d, base), d->size, "%s", s);
	sg_cfg_mark_set(d, base, true);
	return 0;
}

static int parse_path(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct sg_config_path *p = sg_cfg_field(d, base);
	int rc, n;
	const char *s = get_string(c, d, v, &rc);

	if (s == NULL)
		return rc;
	snprintf(p->given, sizeof(p->given), "%s", s);
	if (s[0] == '/' || c->dir[0] == 0)
		n = snprintf(p->resolved, sizeof(p->resolved), "%s", s);
	else
		n = snprintf(p->resolved, sizeof(p->resolved), "%s/%s", c->dir, s);
	if (n < 0 || (size_t) n >= sizeof(p->resolved)) {
		memset(p, 0, sizeof(*p));
		return sg_cfg_errorf(
		    c, "path is too long once resolved against \"%s\" (max %zu bytes)", c->dir,
		    sizeof(p->resolved) - 1);
	}
	sg_cfg_mark_set(d, base, true);
	return 0;
}

int sg_cfg_lookup_enum(const struct sg_cfg_dir *d, const char *s, int *out)
{
	for (int i = 0; d->names[i]; i++)
		if (strcmp(d->names[i], s) == 0) {
			*out = d->values ? d->values[i] : i;
			return 0;
		}
	return -ENOENT;
}

static int parse_enum(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	char allowed[256], r[96];
	size_t n = 0;
	int x;

	if (json_is_string(v) && sg_cfg_lookup_enum(d, json_string_value(v), &x) == 0) {
		store_uint(sg_cfg_field(d, base), d->size, (uint64_t) (int64_t) x);
		return 0;
	}
	allowed[0] = 0;
	for (int i = 0; d->names[i] && n < sizeof(allowed); i++)
		n += (size_t) snprintf(allowed + n, sizeof(allowed) - n, "%s\"%s\"", i ? ", " : "",
				       d->names[i]);
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "a string");
	return sg_cfg_errorf(c, "%s is not one of %s", sg_cfg_repr(v, r, sizeof(r)), allowed);
}

/* 40 or 64 hex digits, optionally separated by ':' (as openssl x509 -fingerprint prints). */
static int parse_hex_hash(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct sg_config_tls *t = base;
	uint8_t out[SG_CONFIG_MAX_CERT_HASH_LEN];
	size_t n = 0, digits = 0;
	unsigned int acc = 0;

	(void) d;
	if (!json_is_string(v))
		return sg_cfg_wrong_type(c, v, "a hex string");
	for (const char *s = json_string_value(v); *s; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char) *s) || n == sizeof(out))
			return sg_cfg_bad_value(c, v, "a SHA-1 or SHA-256 hash in hex");
		acc = (acc << 4) |
		      (unsigned int) (isdigit((unsigned char) *s) ? *s - '0'
								  : (tolower(*s) - 'a' + 10));
		if (++digits % 2 == 0) {
			out[n++] = (uint8_t) acc;
			acc = 0;
		}
	}
	if (digits % 2 || (n != 20 && n != 32))
		return sg_cfg_bad_value(c, v,
					"a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) hash");
	memcpy(t->cert_hash_override, out, n);
	t->cert_hash_override_len = n;
	return 0;
}

/* {"tcp": "debug", ...}: per-library log levels. */
static int parse_log_libs(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v, void *base)
{
	struct sg_config_log *l = base;
	struct sg_cfg_dir ld = {.names = sg_cfg_log_level_names, .values = sg_cfg_log_level_values};
	const char *key;
	json_t *lv;

	(void) d;
	if (!json_is_object(v))
		return sg_cfg_wrong_type(c, v, "an object");
	for (int i = 0; i < SG_LOG_LIB_COUNT; i++)
		l->lib_level[i] = -1;
	json_object_foreach(v, key, lv)
	{
		size_t old = path_push_key(c, key);
		int lib, level, rc = 0;
		for (lib = 0; lib < SG_LOG_LIB_COUNT; lib++)
			if (strcmp(sg_log_lib_name((enum sg_log_lib) lib), key) == 0)
				break;
		if (lib == SG_LOG_LIB_COUNT)
			rc = sg_cfg_errorf(c, "unknown library (see $.log.libs in the reference)");
		else if (!json_is_string(lv) ||
			 sg_cfg_lookup_enum(&ld, json_string_value(lv), &level) != 0)
			rc = sg_cfg_errorf(c, "expected one of \"err\", \"warning\", \"notice\", "
					      "\"info\", \"debug\"");
		else
			l->lib_level[lib] = level;
		path_pop(c, old);
		if (rc)
			return rc;
	}
	return 0;
}

const struct sg_cfg_type sg_cfg_object = {"object", parse_object, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_array = {"array", parse_array, SG_CFG_RANGE_ITEMS};
const struct sg_cfg_type sg_cfg_bool = {"boolean", parse_bool, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_uint = {"integer", parse_uint, SG_CFG_RANGE_VALUE};
const struct sg_cfg_type sg_cfg_pct = {"number", parse_pct, SG_CFG_RANGE_VALUE};
const struct sg_cfg_type sg_cfg_string = {"string", parse_string, SG_CFG_RANGE_LEN};
const struct sg_cfg_type sg_cfg_path = {"path", parse_path, SG_CFG_RANGE_LEN};
const struct sg_cfg_type sg_cfg_enum = {"string", parse_enum, SG_CFG_RANGE_ENUM};
const struct sg_cfg_type sg_cfg_hex_hash = {"hex string", parse_hex_hash, SG_CFG_RANGE_NONE};
const struct sg_cfg_type sg_cfg_log_libs = {"object", parse_log_libs, SG_CFG_RANGE_NONE};
