/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Local users file backend: JSON or chap-secrets text, verified in-process with the same
 * result shape as RADIUS. MS-CHAPv2 (NT response, authenticator response, MPPE keys ->
 * HLAK) uses lib/ppp's RFC 2759/3079 helpers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include <openssl/rand.h>

#include "aaa_private.h"
#include "sg_aaa_codec.h"
#ifdef SG_AAA_HAVE_PPP
#include "sg_ppp_crypto.h"
#endif

#define USERS_MAX 1000000

struct local_user {
	char name[SG_AAA_NAME_MAX + 1];
	char password[SG_AAA_PASSWORD_MAX + 1]; /* zero padded: compared whole */
	uint32_t ipv4;				/* network order, 0 = none */
	uint8_t ipv6[16];
	uint8_t ipv6_len; /* 0 = none */
};

struct sg_aaa_local {
	struct local_user *users;
	unsigned n;
	uint8_t eap_key[AAA_LOCAL_EAP_KEY_LEN]; /* authenticates the EAP-MD5 State */
};

static void errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct local_user *) a)->name, ((const struct local_user *) b)->name);
}

static bool parse_prefix(const char *s, uint8_t out[16], uint8_t *len)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;
	long l;

	if (slash == NULL || (size_t) (slash - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t) (slash - s));
	buf[slash - s] = '\0';
	l = strtol(slash + 1, &end, 10);
	if (*end != '\0' || end == slash + 1 || l < 1 || l > 128)
		return false;
	if (inet_pton(AF_INET6, buf, out) != 1)
		return false;
	*len = (uint8_t) l;
	return true;
}

/* Fill one user; returns NULL or the name of the bad field with a reason in *why. */
static const char *set_user(struct local_user *u, const char *name, const char *pw,
			    const char *ipv4, const char *ipv6, const char **why)
{
	if (name == NULL) {
		*why = "missing";
		return "name";
	}
	if (name[0] == '\0' || strlen(name) > SG_AAA_NAME_MAX) {
		*why = "must be 1..253 bytes";
		return "name";
	}
	if (pw == NULL) {
		*why = "missing";
		return "password";
	}
	if (strlen(pw) > SG_AAA_PASSWORD_MAX) {
		*why = "longer than 128 bytes";
		return "password";
	}
	memset(u, 0, sizeof(*u));
	memcpy(u->name, name, strlen(name));
	memcpy(u->password, pw, strlen(pw));
	if (ipv4 != NULL && inet_pton(AF_INET, ipv4, &u->ipv4) != 1) {
		*why = "not an IPv4 address";
		return "ipv4";
	}
	if (ipv6 != NULL && !parse_prefix(ipv6, u->ipv6, &u->ipv6_len)) {
		*why = "not an IPv6 prefix (2001:db8::/64)";
		return "ipv6_prefix";
	}
	return NULL;
}

static struct sg_aaa_local *parse_json(const char *name, const char *text, size_t len, char *err,
				       size_t errlen)
{
	struct sg_aaa_local *l = NULL;
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	size_t i;
	json_t *e;

	if (root == NULL) {
		errf(err, errlen, "%s:%d:%d: %s", name, je.line, je.column, je.text);
		errno = EINVAL;
		return NULL;
	}
	if (!json_is_array(root) || json_array_size(root) > USERS_MAX) {
		errf(err, errlen, "%s: $: must be an array of users", name);
		goto bad;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		goto nomem;
	l->users = calloc(json_array_size(root) + 1, sizeof(*l->users));
	if (l->users == NULL)
		goto nomem;
	json_array_foreach(root, i, e)
	{
		const char *key, *why = NULL, *field;
		const char *vals[4] = {NULL, NULL, NULL, NULL};
		static const char *const keys[4] = {"name", "password", "ipv4", "ipv6_prefix"};
		json_t *v;

		if (!json_is_object(e)) {
			errf(err, errlen, "%s: $[%zu]: must be an object", name, i);
			goto bad;
		}
		json_object_foreach(e, key, v)
		{
			int k;

			for (k = 0; k < 4 && strcmp(key, keys[k]) != 0; k++)
				;
			if (k == 4) {
				errf(err, errlen, "%s: $[%zu].%s: unknown key", name, i, key);
				goto bad;
			}
			if (!json_is_string(v)) {
				errf(err, errlen, "%s: $[%zu].%s: must be a string", name, i, key);
				goto bad;
			}
			vals[k] = json_string_value(v);
		}
		field = set_user(&l->users[i], vals[0], vals[1], vals[2], vals[3], &why);
		if (field != NULL) {
			errf(err, errlen, "%s: $[%zu].%s: %s", name, i, field, why);
			goto bad;
		}
		l->n++;
	}
	json_decref(root);
	return l;
nomem:
	errf(err, errlen, "%s: out of memory", name);
	json_decref(root);
	sg_aaa_local_free(l);
	errno = ENOMEM;
	return NULL;
bad:
	json_decref(root);
	sg_aaa_local_free(l);
	errno = EINVAL;
	return NULL;
}

/* Split one chap-secrets line into up to 5 fields (double quotes group). */
static int split_fields(char *line, char **f, int max, bool *bad_quote)
{
	int n = 0;
	char *p = line;

	*bad_quote = false;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
			return n;
		if (n == max)
			return n + 1;
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			if (q == NULL) {
				*bad_quote = true;
				return n;
			}
			*q = '\0';
			f[n++] = p + 1;
			p = q + 1;
			continue;
		}
		f[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static struct sg_aaa_local *parse_chap_secrets(const char *name, const char *text, size_t len,
					       char *err, size_t errlen)
{
	struct sg_aaa_local *l = calloc(1, sizeof(*l));
	unsigned cap = 0, lineno = 0;
	size_t off = 0;

	if (l == NULL)
		goto nomem;
	while (off < len) {
		char line[1024];
		char *f[5];
		size_t ll = 0;
		bool bq;
		int n;
		const char *field, *why = NULL;

		while (off + ll < len && text[off + ll] != '\n')
			ll++;
		lineno++;
		if (ll >= sizeof(line)) {
			errf(err, errlen, "%s:%u: line too long", name, lineno);
			goto bad;
		}
		memcpy(line, text + off, ll);
		line[ll] = '\0';
		off += ll + 1;
		n = split_fields(line, f, 4, &bq);
		if (bq) {
			errf(err, errlen, "%s:%u: unterminated quote", name, lineno);
			goto bad;
		}
		if (n == 0)
			continue;
		if (n < 3 || n > 4) {
			errf(err, errlen, "%s:%u: want 'name server password [ip]', got %d fields",
			     name, lineno, n);
			goto bad;
		}
		if (l->n == cap) {
			unsigned ncap = cap == 0 ? 16 : cap * 2;
			struct local_user *nu;

			if (ncap > USERS_MAX)
				goto bad;
			nu = realloc(l->users, ncap * sizeof(*nu));
			if (nu == NULL)
				goto nomem;
			l->users = nu;
			cap = ncap;
		}
		field = set_user(&l->users[l->n], f[0], f[2],
				 n == 4 && strcmp(f[3], "*") != 0 && strcmp(f[3], "-") != 0 ? f[3]
											    : NULL,
				 NULL, &why);
		OPENSSL_cleanse(line, sizeof(line));
		if (field != NULL) {
			errf(err, errlen, "%s:%u: %s: %s", name, lineno, field, why);
			goto bad;
		}
		l->n++;
	}
	return l;
nomem:
	errf(err, errlen, "%s: out of memory", name);
	sg_aaa_local_free(l);
	errno = ENOMEM;
	return NULL;
bad:
	sg_aaa_local_free(l);
	errno = EINVAL;
	return NULL;
}

struct sg_aaa_local *sg_aaa_local_parse(const char *name, const char *text, size_t len, char *err,
					size_t errlen)
{
	struct sg_aaa_local *l;
	size_t i = 0;

	name = base(name);
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && text[i] == '[')
		l = parse_json(name, text, len, err, errlen);
	else
		l = parse_chap_secrets(name, text, len, err, errlen);
	if (l == NULL)
		return NULL;
	if (l->n > 1)
		qsort(l->users, l->n, sizeof(*l->users), cmp_user);
	for (unsigned k = 1; k < l->n; k++)
		if (strcmp(l->users[k - 1].name, l->users[k].name) == 0) {
			errf(err, errlen, "%s: user '%s' appears twice", name, l->users[k].name);
			sg_aaa_local_free(l);
			errno = EINVAL;
			return NULL;
		}
	if (RAND_bytes(l->eap_key, sizeof(l->eap_key)) != 1) {
		errf(err, errlen, "%s: no random bytes for the EAP key", name);
		sg_aaa_local_free(l);
		errno = EIO;
		return NULL;
	}
	return l;
}

struct sg_aaa_local *sg_aaa_local_load(const char *path, char *err, size_t errlen)
{
	struct sg_aaa_local *l;
	FILE *f = fopen(path, "re");
	char *buf;
	long sz;
	int saved;

	if (f == NULL) {
		saved = errno;
		errf(err, errlen, "%s: %s", base(path), strerror(saved));
		errno = saved;
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || sz > 64L * 1024 * 1024 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		errf(err, errlen, "%s: unreadable or larger than 64 MiB", base(path));
		errno = EINVAL;
		return NULL;
	}
	buf = malloc((size_t) sz + 1);
	if (buf == NULL || fread(buf, 1, (size_t) sz, f) != (size_t) sz) {
		fclose(f);
		free(buf);
		errf(err, errlen, "%s: read failed", base(path));
		errno = EIO;
		return NULL;
	}
	fclose(f);
	l = sg_aaa_local_parse(path, buf, (size_t) sz, err, errlen);
	saved = errno;
	OPENSSL_cleanse(buf, (size_t) sz);
	free(buf);
	errno = saved;
	return l;
}

void sg_aaa_local_free(struct sg_aaa_local *l)
{
	if (l == NULL)
		return;
	if (l->users != NULL)
		OPENSSL_cleanse(l->users, l->n * sizeof(*l->users));
	OPENSSL_cleanse(l->eap_key, sizeof(l->eap_key));
	free(l->users);
	free(l);
}

unsigned sg_aaa_local_count(const struct sg_aaa_local *l)
{
	return l->n;
}

static const struct local_user *find(const struct sg_aaa_local *l, const char *name)
{
	struct local_user key;
	size_t n = strnlen(name, SG_AAA_NAME_MAX + 1);

	if (n > SG_AAA_NAME_MAX)
		return NULL;
	memset(key.name, 0, sizeof(key.name));
	memcpy(key.name, name, n);
	return bsearch(&key, l->users, l->n, sizeof(*l->users), cmp_user);
}

static int verify_mschapv2(const struct local_user *u, const struct sg_aaa_auth_req *req,
			   struct sg_aaa_result *res)
{
#ifdef SG_AAA_HAVE_PPP
	struct sg_ppp_mschap_verdict v;
	uint8_t resp[SG_MSCHAP_RESPONSE_LEN] = {0};
	uint8_t hash[16];
	int rc;

	rc = sg_ppp_nt_password_hash(u->password, strlen(u->password), hash);
	if (rc < 0)
		return rc;
	memcpy(resp, req->peer_challenge, 16);
	memcpy(resp + 24, req->nt_response, 24);
	rc = sg_ppp_mschap_verify(hash, req->challenge, resp, req->user, strlen(req->user), &v);
	OPENSSL_cleanse(hash, sizeof(hash));
	if (rc == -EACCES) {
		res->status = SG_AAA_REJECT;
		snprintf(res->mschap_error, sizeof(res->mschap_error), "E=691 R=0 V=3");
		res->has |= SG_AAA_HAS_MSCHAP_ERROR;
		return 0;
	}
	if (rc < 0)
		return rc;
	res->status = SG_AAA_ACCEPT;
	res->mschap_ident = req->chap_id;
	snprintf(res->mschap2_success, sizeof(res->mschap2_success), "%s", v.auth_response);
	res->has |= SG_AAA_HAS_MSCHAP2_SUCCESS;
	/* HLAK = server's MasterReceiveKey || MasterSendKey (PROTOCOL.md, crypto binding) */
	rc = sg_aaa_hlak_from_mppe(res->hlak, v.recv_key, sizeof(v.recv_key), v.send_key,
				   sizeof(v.send_key));
	OPENSSL_cleanse(&v, sizeof(v));
	if (rc == 0)
		res->has |= SG_AAA_HAS_KEYS;
	return rc;
#else
	(void) u;
	(void) req;
	(void) res;
	return -ENOTSUP;
#endif
}

int sg_aaa_local_auth(const struct sg_aaa_local *l, const struct sg_aaa_auth_req *req,
		      struct sg_aaa_result *res)
{
	const struct local_user *u;
	uint8_t md[16];
	int rc = 0;

	memset(res, 0, offsetof(struct sg_aaa_result, eap));
	res->eap_len = 0;
	res->status = SG_AAA_REJECT;
	if (req->user[0] == '\0')
		return -EINVAL;
	u = find(l, req->user);
	switch (req->method) {
	case SG_AAA_PAP: {
		char pw[SG_AAA_PASSWORD_MAX + 1] = {0};

		memcpy(pw, req->password, strnlen(req->password, SG_AAA_PASSWORD_MAX));
		if (u != NULL && CRYPTO_memcmp(pw, u->password, sizeof(pw)) == 0)
			res->status = SG_AAA_ACCEPT;
		OPENSSL_cleanse(pw, sizeof(pw));
		break;
	}
	case SG_AAA_CHAP_MD5:
		if (u == NULL)
			break;
		rc = sg_aaa_chap_md5(md, req->chap_id, u->password, strlen(u->password),
				     req->challenge, sizeof(req->challenge));
		if (rc == 0 && CRYPTO_memcmp(md, req->chap_response, 16) == 0)
			res->status = SG_AAA_ACCEPT;
		OPENSSL_cleanse(md, sizeof(md));
		break;
	case SG_AAA_MSCHAPV2:
		if (u == NULL) {
			snprintf(res->mschap_error, sizeof(res->mschap_error), "E=691 R=0 V=3");
			res->has |= SG_AAA_HAS_MSCHAP_ERROR;
			break;
		}
		rc = verify_mschapv2(u, req, res);
		break;
	case SG_AAA_EAP:
		rc = aaa_local_eap_md5(l->eap_key, req, u != NULL ? u->password : NULL, res);
		break;
	default:
		return -EINVAL;
	}
	if (rc < 0) {
		sg_aaa_result_wipe(res);
		res->status = SG_AAA_ERROR;
		return rc;
	}
	if (res->status == SG_AAA_ACCEPT) {
		if (u->ipv4 != 0) {
			res->framed_ip = u->ipv4;
			res->has |= SG_AAA_HAS_FRAMED_IP;
		}
		if (u->ipv6_len != 0) {
			memcpy(res->framed_ipv6_prefix, u->ipv6, 16);
			res->framed_ipv6_prefix_len = u->ipv6_len;
			res->has |= SG_AAA_HAS_FRAMED_IPV6_PREFIX;
		}
	}
	return 0;
}
