/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The effective config back to JSON, walking the same directive table: every
 * key, defaults included, in table order. Loading the output gives the same
 * struct again (the unit test and the fuzz target check that).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sg_config_priv.h"

static const void *field_c(const struct sg_cfg_dir *d, const void *base)
{
	return (const char *) base + d->off;
}

static bool is_set(const struct sg_cfg_dir *d, const void *base)
{
	return d->set_off == 0 || *(const bool *) ((const char *) base + d->set_off - 1);
}

static uint64_t load_uint(const void *p, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *addr_json(int af, const void *a, int len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	size_t n;

	if (inet_ntop(af, a, buf, INET6_ADDRSTRLEN) == NULL)
		return NULL;
	n = strlen(buf);
	if (len >= 0)
		snprintf(buf + n, sizeof(buf) - n, "/%d", len);
	return json_string(buf);
}

static json_t *emit_enum(const struct sg_cfg_dir *d, const void *p)
{
	int v = (int) load_uint(p, d->size);

	for (int i = 0; d->names[i]; i++)
		if ((d->values ? d->values[i] : i) == v)
			return json_string(d->names[i]);
	return NULL;
}

struct dump_ctx {
	bool secrets;
};

static json_t *emit(struct dump_ctx *x, const struct sg_cfg_dir *d, const void *base);

static json_t *emit_object(struct dump_ctx *x, const struct sg_cfg_dir *d, const void *obj)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	for (const struct sg_cfg_dir *m = d->children; m->key; m++) {
		json_t *v = emit(x, m, obj);
		if (v == NULL || json_object_set_new(o, m->key, v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *emit_array(struct dump_ctx *x, const struct sg_cfg_dir *d, const void *base)
{
	unsigned int n = *(const unsigned int *) ((const char *) base + d->count_off);
	const char *first = field_c(d, base);
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < n; i++) {
		json_t *v = emit(x, d->elem, first + (size_t) i * d->elem->size);
		if (v == NULL || json_array_append_new(a, v) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *emit_log_libs(const void *base)
{
	const struct sg_config_log *l = base;
	json_t *o = json_object();

	for (int i = 0; o && i < SG_LOG_LIB_COUNT; i++) {
		if (l->lib_level[i] < 0)
			continue;
		const char *lv = sg_config_log_level_name((enum sg_log_level) l->lib_level[i]);
		if (json_object_set_new(o, sg_log_lib_name((enum sg_log_lib) i), json_string(lv))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *emit_hash(const struct sg_config_tls *t)
{
	char hex[2 * SG_CONFIG_MAX_CERT_HASH_LEN + 1];

	if (t->cert_hash_override_len == 0 ||
	    t->cert_hash_override_len > SG_CONFIG_MAX_CERT_HASH_LEN)
		return json_null();
	for (size_t i = 0; i < t->cert_hash_override_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", t->cert_hash_override[i]);
	return json_string(hex);
}

static json_t *emit(struct dump_ctx *x, const struct sg_cfg_dir *d, const void *base)
{
	const struct sg_cfg_type *t = d->type;
	const void *p = field_c(d, base);

	if (!is_set(d, base))
		return json_null();
	if (t == &sg_cfg_object)
		return emit_object(x, d, p);
	if (t == &sg_cfg_array)
		return emit_array(x, d, base);
	if (t == &sg_cfg_bool)
		return json_boolean(*(const bool *) p);
	if (t == &sg_cfg_uint)
		return json_integer((json_int_t) load_uint(p, d->size));
	if (t == &sg_cfg_pct)
		return json_real(*(const double *) p);
	if (t == &sg_cfg_enum)
		return emit_enum(d, p);
	if (t == &sg_cfg_string) {
		if (!x->secrets && strcmp(d->key, "secret") == 0)
			return json_string("(hidden)");
		return d->flags & SG_CFG_NULLABLE ? str_or_null(p) : json_string(p);
	}
	if (t == &sg_cfg_path)
		return str_or_null(((const struct sg_config_path *) p)->given);
	if (t == &sg_cfg_ipv4)
		return addr_json(AF_INET, p, -1);
	if (t == &sg_cfg_ipv6)
		return addr_json(AF_INET6, p, -1);
	if (t == &sg_cfg_addr) {
		const struct sg_config_addr *a = p;
		return a->family == AF_INET6 ? addr_json(AF_INET6, &a->v6, -1)
					     : addr_json(AF_INET, &a->v4, -1);
	}
	if (t == &sg_cfg_ifaddr4 || t == &sg_cfg_prefix4) {
		const struct sg_config_prefix4 *q = p;
		return addr_json(AF_INET, &q->addr, q->len);
	}
	if (t == &sg_cfg_ifaddr6 || t == &sg_cfg_prefix6) {
		const struct sg_config_prefix6 *q = p;
		return addr_json(AF_INET6, &q->addr, q->len);
	}
	if (t == &sg_cfg_route_prefix || t == &sg_cfg_route_via) {
		const struct sg_config_route *r = base;
		bool pre = t == &sg_cfg_route_prefix;
		if (r->family == AF_INET6)
			return pre ? addr_json(AF_INET6, &r->prefix6.addr, r->prefix6.len)
				   : addr_json(AF_INET6, &r->via6, -1);
		return pre ? addr_json(AF_INET, &r->prefix4.addr, r->prefix4.len)
			   : addr_json(AF_INET, &r->via4, -1);
	}
	if (t == &sg_cfg_hex_hash)
		return emit_hash(base);
	if (t == &sg_cfg_log_libs)
		return emit_log_libs(base);
	return NULL;
}

int sg_config_to_json(const struct sg_config *cfg, bool show_secrets, char **out)
{
	struct dump_ctx x = {.secrets = show_secrets};
	json_t *root = emit(&x, &sg_cfg_root, cfg);

	*out = NULL;
	if (root == NULL)
		return -ENOMEM;
	*out = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	return *out ? 0 : -ENOMEM;
}
