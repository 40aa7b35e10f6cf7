/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/config internals: the directive table (nginx style) and the walker.
 *
 * Every key of the schema is one row (struct sg_cfg_dir): its JSON key, a type
 * (parser + doc name), flags, a range, where it lands in the typed struct, its
 * default as JSON text and a one-line doc. Objects point to a member table,
 * arrays to a one-row element directive. The same rows drive parsing, the
 * defaults and the key reference (sg_config_keydoc_foreach), so the three
 * cannot disagree.
 */
#ifndef SG_CONFIG_PRIV_H
#define SG_CONFIG_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sg_config.h"

#define SG_CFG_REQUIRED 0x1u /* missing key is an error */
#define SG_CFG_NULLABLE 0x2u /* null is accepted and means "not set" */
#define SG_CFG_UNIQUE	0x4u /* arrays: no two equal elements */

#define SG_CFG_PATH_LEN 256 /* JSON paths in messages */

struct sg_cfg_dir;

/* Walk state: the JSON path of the value being parsed and the first error. */
struct sg_cfg_ctx {
	const char *name;		  /* file name for messages */
	char dir[SG_CONFIG_MAX_PATH_LEN]; /* base for relative paths; "" = cwd */
	char path[SG_CFG_PATH_LEN];
	size_t plen;
	char *err;
	size_t errlen;
};

/* Parse v into the field d describes inside the parent struct at base. */
typedef int (*sg_cfg_parse_fn)(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, json_t *v,
			       void *base);

enum sg_cfg_range_kind {
	SG_CFG_RANGE_NONE,
	SG_CFG_RANGE_VALUE,  /* integer value min..max */
	SG_CFG_RANGE_LEN,    /* string length in bytes */
	SG_CFG_RANGE_ITEMS,  /* array length */
	SG_CFG_RANGE_PREFIX, /* prefix length */
	SG_CFG_RANGE_ENUM,   /* one of names[] */
};

struct sg_cfg_type {
	const char *name; /* for the reference: "integer", "IPv4 prefix" */
	sg_cfg_parse_fn parse;
	enum sg_cfg_range_kind range;
};

struct sg_cfg_dir {
	const char *key; /* NULL ends a table */
	const struct sg_cfg_type *type;
	unsigned int flags;
	int64_t min, max;
	size_t off;	  /* target inside the parent struct */
	size_t size;	  /* target size (integers 1/2/4/8, string buffers) */
	size_t set_off;	  /* offset + 1 of a bool set when present and not null; 0 none */
	size_t count_off; /* arrays: offset of the unsigned int count in the parent */
	const struct sg_cfg_dir *elem;	   /* arrays: the element (off 0, size = stride) */
	const struct sg_cfg_dir *children; /* objects: member table */
	const char *const *names;	   /* enums: NULL-terminated */
	const int *values;		   /* enums: value of names[i]; NULL = i */
	const char *def;		   /* default as JSON text; NULL = zero/none */
	const char *doc;
};

/* Types (sg_config_parse.c). */
extern const struct sg_cfg_type sg_cfg_object, sg_cfg_array, sg_cfg_bool, sg_cfg_uint,
    sg_cfg_string, sg_cfg_path, sg_cfg_enum, sg_cfg_ipv4, sg_cfg_ipv6, sg_cfg_addr, sg_cfg_ifaddr4,
    sg_cfg_ifaddr6, sg_cfg_prefix4, sg_cfg_prefix6, sg_cfg_route_prefix, sg_cfg_route_via,
    sg_cfg_pct, sg_cfg_hex_hash, sg_cfg_log_libs;

/* The schema root (sg_config_table.c). */
extern const struct sg_cfg_dir sg_cfg_root;

/* Enum name lists shared with the name functions. */
extern const char *const sg_cfg_tls_version_names[];
extern const char *const sg_cfg_hash_names[];
extern const int sg_cfg_hash_values[];
extern const char *const sg_cfg_auth_names[];
extern const char *const sg_cfg_backend_names[];
extern const char *const sg_cfg_log_level_names[];
extern const int sg_cfg_log_level_values[];

/* Walker (sg_config_parse.c). */
void sg_cfg_apply_defaults(struct sg_cfg_ctx *c, const struct sg_cfg_dir *d, void *base);
int sg_cfg_errorf(struct sg_cfg_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sg_cfg_error_at(struct sg_cfg_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sg_cfg_lookup_enum(const struct sg_cfg_dir *d, const char *s, int *out);
/* Helpers the leaf parsers share (sg_config_parse.c, sg_config_addr.c). */
const char *sg_cfg_repr(const json_t *v, char *buf, size_t len);
int sg_cfg_wrong_type(struct sg_cfg_ctx *c, const json_t *v, const char *want);
void *sg_cfg_field(const struct sg_cfg_dir *d, void *base);
void sg_cfg_mark_set(const struct sg_cfg_dir *d, void *base, bool set);
int sg_cfg_bad_value(struct sg_cfg_ctx *c, json_t *v, const char *what);

/* Cross-field checks on the typed struct after parsing (sg_config_check.c). */
int sg_cfg_check(struct sg_cfg_ctx *c, struct sg_config *cfg);

#endif /* SG_CONFIG_PRIV_H */
