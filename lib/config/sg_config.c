/* SPDX-License-Identifier: BSD-3-Clause */
/* Loading, defaults, freeing, file checks and the key reference. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sg_config_priv.h"

#define SG_CONFIG_MAX_FILE_SIZE (4u << 20) /* a config is kilobytes; refuse runaway input */

static void ctx_init(struct sg_cfg_ctx *c, const char *name, char *err, size_t errlen)
{
	const char *slash;

	memset(c, 0, sizeof(*c));
	c->name = name ? name : "config";
	c->err = err;
	c->errlen = errlen;
	if (err && errlen)
		err[0] = 0;
	slash = name ? strrchr(name, '/') : NULL;
	if (slash != NULL && slash == name)
		snprintf(c->dir, sizeof(c->dir), "/");
	else if (slash && (size_t) (slash - name) < sizeof(c->dir))
		snprintf(c->dir, sizeof(c->dir), "%.*s", (int) (slash - name), name);
	snprintf(c->path, sizeof(c->path), "$");
	c->plen = 1;
}

void sg_config_defaults(struct sg_config *cfg)
{
	struct sg_cfg_ctx c;

	ctx_init(&c, NULL, NULL, 0);
	memset(cfg, 0, sizeof(*cfg));
	sg_cfg_apply_defaults(&c, &sg_cfg_root, cfg);
	for (unsigned int i = 0; i < cfg->sstp.n_crypto_binding_pref; i++)
		cfg->sstp.crypto_binding |= cfg->sstp.crypto_binding_pref[i];
}

int sg_config_load_string(const char *json, const char *name, struct sg_config *cfg, char *err,
			  size_t errlen)
{
	struct sg_cfg_ctx c;
	json_error_t jerr;
	json_t *root;
	int rc;

	ctx_init(&c, name, err, errlen);
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", c.name);
	if (json == NULL)
		return sg_cfg_errorf(&c, "no JSON text");
	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			rc = -ENOMEM;
		else
			rc = -EINVAL;
		sg_cfg_errorf(&c, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column,
			      jerr.text);
		return rc;
	}
	rc = sg_cfg_root.type->parse(&c, &sg_cfg_root, root, cfg);
	json_decref(root);
	if (rc == 0)
		rc = sg_cfg_check(&c, cfg);
	snprintf(cfg->name, sizeof(cfg->name), "%s", c.name);
	return rc;
}

int sg_config_load_file(const char *path, struct sg_config *cfg, char *err, size_t errlen)
{
	struct sg_cfg_ctx c;
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	ctx_init(&c, path, err, errlen);
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", c.name);
	if (path == NULL)
		return sg_cfg_errorf(&c, "no file name"), -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		sg_cfg_errorf(&c, "cannot open: %s", strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t) st.st_size > SG_CONFIG_MAX_FILE_SIZE) {
		close(fd);
		return sg_cfg_errorf(&c, "not a regular file of at most %u bytes",
				     SG_CONFIG_MAX_FILE_SIZE);
	}
	buf = malloc((size_t) st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		sg_cfg_errorf(&c, "out of memory");
		return -ENOMEM;
	}
	while (got < (size_t) st.st_size) {
		n = read(fd, buf + got, (size_t) st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t) n;
	}
	close(fd);
	buf[got] = 0;
	if (memchr(buf, 0, got) != NULL) {
		free(buf);
		return sg_cfg_errorf(&c, "invalid JSON: the file contains a NUL byte");
	}
	rc = sg_config_load_string(buf, path, cfg, err, errlen);
	free(buf);
	return rc;
}

void sg_config_free(struct sg_config *cfg)
{
	if (cfg == NULL)
		return;
	/* Nothing is heap-allocated today; secrets are wiped so a freed config leaks none. */
	for (unsigned int i = 0; i < SG_CONFIG_MAX_RADIUS_SERVERS; i++)
		explicit_bzero(cfg->auth.radius.servers[i].secret,
			       sizeof(cfg->auth.radius.servers[i].secret));
	for (unsigned int i = 0; i < SG_CONFIG_MAX_COA_CLIENTS; i++)
		explicit_bzero(cfg->auth.radius.coa.clients[i].secret,
			       sizeof(cfg->auth.radius.coa.clients[i].secret));
	cfg->auth.radius.n_servers = 0;
	cfg->auth.radius.coa.n_clients = 0;
}

/* ---- file checks ---- */

static int check_readable(const struct sg_config *cfg, const char *jpath,
			  const struct sg_config_path *p, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	if (p->given[0] == 0)
		return 0;
	fd = open(p->resolved, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s: %s: %s", cfg->name, jpath, p->resolved,
				 strerror(-rc));
		return rc;
	}
	rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -EINVAL;
	close(fd);
	if (rc && err && errlen)
		snprintf(err, errlen, "%s: %s: %s: not a regular file", cfg->name, jpath,
			 p->resolved);
	return rc;
}

int sg_config_check_files(const struct sg_config *cfg, char *err, size_t errlen)
{
	char dir[SG_CONFIG_MAX_PATH_LEN];
	struct stat st;
	const char *slash;
	int rc;

	if (err && errlen)
		err[0] = 0;
	if ((rc = check_readable(cfg, "$.tls.certificate", &cfg->tls.certificate, err, errlen)) ||
	    (rc = check_readable(cfg, "$.tls.key", &cfg->tls.key, err, errlen)) ||
	    (rc = check_readable(cfg, "$.tls.chain", &cfg->tls.chain, err, errlen)))
		return rc;
	if (cfg->auth.backend == SG_CONFIG_BACKEND_LOCAL &&
	    (rc = check_readable(cfg, "$.auth.local.users_file", &cfg->auth.local.users_file, err,
				 errlen)))
		return rc;
	if (cfg->log.file.given[0]) {
		slash = strrchr(cfg->log.file.resolved, '/');
		if (slash == NULL)
			snprintf(dir, sizeof(dir), ".");
		else if (slash == cfg->log.file.resolved)
			snprintf(dir, sizeof(dir), "/");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int) (slash - cfg->log.file.resolved),
				 cfg->log.file.resolved);
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = errno ? -errno : -ENOTDIR;
			if (err && errlen)
				snprintf(err, errlen, "%s: $.log.file: directory %s: %s", cfg->name,
					 dir, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* ---- names ---- */

static const char *name_of(const char *const *names, const int *values, int v)
{
	for (int i = 0; names[i]; i++)
		if ((values ? values[i] : i) == v)
			return names[i];
	return "?";
}

const char *sg_config_tls_version_name(enum sg_config_tls_version v)
{
	return name_of(sg_cfg_tls_version_names, NULL, (int) v);
}

const char *sg_config_hash_name(enum sg_config_hash h)
{
	return name_of(sg_cfg_hash_names, sg_cfg_hash_values, (int) h);
}

const char *sg_config_ppp_auth_name(enum sg_config_ppp_auth a)
{
	return name_of(sg_cfg_auth_names, NULL, (int) a);
}

const char *sg_config_backend_name(enum sg_config_auth_backend b)
{
	return name_of(sg_cfg_backend_names, NULL, (int) b);
}

const char *sg_config_log_level_name(enum sg_log_level l)
{
	return name_of(sg_cfg_log_level_names, sg_cfg_log_level_values, (int) l);
}

/* ---- key reference ---- */

static void keydoc_walk(const struct sg_cfg_dir *d, char *path, size_t plen,
			void (*fn)(const struct sg_config_keydoc *kd, void *arg), void *arg)
{
	const struct sg_cfg_dir *obj = NULL;
	char range[256] = "", type[64];
	struct sg_config_keydoc kd;
	size_t n = 0;

	switch (d->type->range) {
	case SG_CFG_RANGE_VALUE:
		snprintf(range, sizeof(range), "%lld..%lld", (long long) d->min,
			 (long long) d->max);
		break;
	case SG_CFG_RANGE_LEN:
		snprintf(range, sizeof(range), "%lld..%lld bytes", (long long) d->min,
			 (long long) d->max);
		break;
	case SG_CFG_RANGE_ITEMS:
		snprintf(range, sizeof(range), "%lld..%lld items", (long long) d->min,
			 (long long) d->max);
		break;
	case SG_CFG_RANGE_PREFIX:
		snprintf(range, sizeof(range), "/%lld../%lld", (long long) d->min,
			 (long long) d->max);
		break;
	case SG_CFG_RANGE_ENUM:
		for (int i = 0; d->names[i] && n < sizeof(range); i++)
			n += (size_t) snprintf(range + n, sizeof(range) - n, "%s\"%s\"",
					       i ? ", " : "", d->names[i]);
		break;
	case SG_CFG_RANGE_NONE:
		break;
	}
	snprintf(type, sizeof(type), "%s", d->type->name);
	if (d->type == &sg_cfg_array) {
		snprintf(type, sizeof(type), "array of %s", d->elem->type->name);
		if (d->elem->type == &sg_cfg_object)
			obj = d->elem;
		else if (d->elem->type->range == SG_CFG_RANGE_VALUE)
			snprintf(range + strlen(range), sizeof(range) - strlen(range),
				 ", each %lld..%lld", (long long) d->elem->min,
				 (long long) d->elem->max);
		else if (d->elem->type->range == SG_CFG_RANGE_LEN)
			snprintf(range + strlen(range), sizeof(range) - strlen(range),
				 ", each %lld..%lld bytes", (long long) d->elem->min,
				 (long long) d->elem->max);
		else if (d->elem->type->range == SG_CFG_RANGE_ENUM)
			for (int i = 0; d->elem->names[i]; i++)
				snprintf(range + strlen(range), sizeof(range) - strlen(range),
					 "%s\"%s\"", i ? ", " : ", each one of ",
					 d->elem->names[i]);
	} else if (d->type == &sg_cfg_object && d->children) {
		obj = d;
	}
	if (d->flags & SG_CFG_NULLABLE)
		snprintf(type + strlen(type), sizeof(type) - strlen(type), " or null");
	kd.path = path;
	kd.type = type;
	kd.range = range;
	kd.def = d->flags & SG_CFG_REQUIRED ? "required" : d->def ? d->def : "none";
	kd.doc = d->doc ? d->doc : "";
	if (d != &sg_cfg_root)
		fn(&kd, arg);
	if (obj == NULL)
		return;
	for (const struct sg_cfg_dir *m = obj->children; m->key; m++) {
		int k = snprintf(path + plen, SG_CFG_PATH_LEN - plen, "%s.%s", obj == d ? "" : "[]",
				 m->key);
		if (k > 0 && plen + (size_t) k < SG_CFG_PATH_LEN)
			keydoc_walk(m, path, plen + (size_t) k, fn, arg);
		path[plen] = 0;
	}
}

void sg_config_keydoc_foreach(void (*fn)(const struct sg_config_keydoc *kd, void *arg), void *arg)
{
	char path[SG_CFG_PATH_LEN] = "$";

	keydoc_walk(&sg_cfg_root, path, 1, fn, arg);
}
