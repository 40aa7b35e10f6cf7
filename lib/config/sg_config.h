/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstpgw configuration: one JSON file (jansson) loaded into one typed struct.
 *
 * The file is validated against a table of directives (sg_config_table.c, one
 * row per key: JSON path, type, range, default, one-line doc). Loading rejects
 * unknown keys, wrong types, out-of-range values, missing required keys and
 * cross-field contradictions; every error is one line naming the JSON path and
 * the reason, e.g.
 *
 *   sstpgw.json: $.pools[1].ipv4: "10.0.0.0/33" is not a valid IPv4 prefix
 *
 * The key reference is config/README.md (a unit test keeps it equal to the
 * table). Addresses are parsed into binary form, durations are whole seconds,
 * file paths stay strings (as written, plus resolved against the directory of
 * the config file). Loading never touches the files the config names; call
 * sg_config_check_files() for that.
 *
 * Thread safety: loading and freeing are not thread safe on one struct; a
 * loaded struct is read-only and may be read from any thread. Nothing here
 * keeps global state.
 */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg_log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits (named so the daemon can size its own tables from them). */
#define SG_CONFIG_MAX_LCORE	     128 /* lcore ids are 0..127 (RTE_MAX_LCORE) */
#define SG_CONFIG_MAX_WORKERS	     64
#define SG_CONFIG_MAX_EAL_ARGS	     32
#define SG_CONFIG_MAX_EAL_ARG_LEN    256  /* bytes incl. NUL */
#define SG_CONFIG_MAX_DEVARGS_LEN    256  /* bytes incl. NUL */
#define SG_CONFIG_MAX_PATH_LEN	     1024 /* bytes incl. NUL, as written and resolved */
#define SG_CONFIG_MAX_ROUTES	     32	  /* per port */
#define SG_CONFIG_MAX_POOLS	     16
#define SG_CONFIG_MAX_POOL_NAME_LEN  32 /* bytes incl. NUL */
#define SG_CONFIG_MAX_POOL6_BITS     32 /* ipv6_prefix_len - ipv6_prefix length */
#define SG_CONFIG_MAX_DNS	     2	/* per family (IPCP primary/secondary) */
#define SG_CONFIG_MAX_RADIUS_SERVERS 8
#define SG_CONFIG_MAX_COA_CLIENTS    16
#define SG_CONFIG_MAX_SECRET_LEN     129  /* bytes incl. NUL (RFC 2865: >= 16 advised) */
#define SG_CONFIG_MAX_NAS_ID_LEN     64	  /* bytes incl. NUL (lib/aaa's limit) */
#define SG_CONFIG_MAX_CIPHERS_LEN    1024 /* bytes incl. NUL */
#define SG_CONFIG_MAX_ENGINE_LEN     128  /* bytes incl. NUL */
#define SG_CONFIG_MAX_CERT_HASH_LEN  32	  /* SHA-256 */

/* An interface address or a prefix: address plus prefix length. */
struct sg_config_prefix4 {
	struct in_addr addr; /* network byte order */
	uint8_t len;	     /* 0..32 */
};

struct sg_config_prefix6 {
	struct in6_addr addr;
	uint8_t len; /* 0..128 */
};

/* An IPv4 or IPv6 address (RADIUS servers, CoA). */
struct sg_config_addr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* A file path: as written in the config and resolved against its directory. */
struct sg_config_path {
	char given[SG_CONFIG_MAX_PATH_LEN];    /* "" = not set */
	char resolved[SG_CONFIG_MAX_PATH_LEN]; /* absolute given, or <config dir>/<given> */
};

/* A static route on a port: IPv4 prefix via IPv4 next hop, or IPv6 via IPv6. */
struct sg_config_route {
	int family; /* AF_INET or AF_INET6, from the prefix */
	struct sg_config_prefix4 prefix4;
	struct in_addr via4;
	struct sg_config_prefix6 prefix6;
	struct in6_addr via6;
};

struct sg_config_port {
	char devargs[SG_CONFIG_MAX_DEVARGS_LEN]; /* any PMD: "0000:01:00.0",
						    "net_af_packet0,iface=x" */
	struct sg_config_prefix4 ipv4; /* our address on the port, with the on-link length */
	bool has_ipv6;
	struct sg_config_prefix6 ipv6;
	bool has_gateway4;
	struct in_addr gateway4;
	bool has_gateway6;
	struct in6_addr gateway6;
	uint16_t mtu;
	uint16_t rx_desc;
	uint16_t tx_desc;
	bool proxy_arp;
	unsigned int n_routes;
	struct sg_config_route routes[SG_CONFIG_MAX_ROUTES];
};

enum sg_config_tls_version {
	SG_CONFIG_TLS_1_0,
	SG_CONFIG_TLS_1_1,
	SG_CONFIG_TLS_1_2,
	SG_CONFIG_TLS_1_3,
};

struct sg_config_tls {
	struct sg_config_path certificate;
	struct sg_config_path key;
	struct sg_config_path chain;		      /* given[0] == 0: none */
	char ciphers[SG_CONFIG_MAX_CIPHERS_LEN];      /* TLS <= 1.2, OpenSSL cipher list */
	char ciphersuites[SG_CONFIG_MAX_CIPHERS_LEN]; /* TLS 1.3 */
	enum sg_config_tls_version min_version;
	enum sg_config_tls_version max_version;
	char engine[SG_CONFIG_MAX_ENGINE_LEN]; /* "" = none; OpenSSL engine/provider name */
	size_t cert_hash_override_len;	       /* 0 = none, 20 (SHA-1) or 32 (SHA-256) */
	uint8_t cert_hash_override[SG_CONFIG_MAX_CERT_HASH_LEN];
	uint32_t first_flight_delay_ms; /* hold a connection's first TLS output; 0 = off */
};

/* Values as in MS-SSTP CERT_HASH_PROTOCOL_* so they can be sent as a bitmask. */
enum sg_config_hash {
	SG_CONFIG_HASH_SHA1 = 1,
	SG_CONFIG_HASH_SHA256 = 2,
};

struct sg_config_sstp {
	uint8_t crypto_binding;		/* bitmask of enum sg_config_hash */
	uint8_t crypto_binding_pref[2]; /* the same, in the configured order */
	unsigned int n_crypto_binding_pref;
	uint32_t negotiation_timeout; /* s */
	uint32_t hello_interval;      /* s, 0 = off */
	bool require_crypto_binding;
};

enum sg_config_ppp_auth {
	SG_CONFIG_AUTH_MSCHAPV2,
	SG_CONFIG_AUTH_PAP,
	SG_CONFIG_AUTH_CHAP_MD5,
	SG_CONFIG_AUTH_EAP, /* relayed to RADIUS (the local backend cannot verify it) */
	SG_CONFIG_AUTH_COUNT
};

struct sg_config_ppp {
	uint16_t mtu;
	uint16_t mru;
	uint8_t auth[SG_CONFIG_AUTH_COUNT]; /* enum sg_config_ppp_auth, preferred first */
	unsigned int n_auth;
	struct in_addr dns4[SG_CONFIG_MAX_DNS];
	unsigned int n_dns4;
	struct in6_addr dns6[SG_CONFIG_MAX_DNS];
	unsigned int n_dns6;
	uint32_t lcp_echo_interval; /* s, 0 = off */
	uint32_t lcp_echo_failures;
	bool ipv6;
	bool mss_clamp;
};

enum sg_config_auth_backend {
	SG_CONFIG_BACKEND_LOCAL,
	SG_CONFIG_BACKEND_RADIUS,
};

struct sg_config_radius_server {
	struct sg_config_addr address;
	uint16_t auth_port;
	uint16_t acct_port;
	char secret[SG_CONFIG_MAX_SECRET_LEN];
};

struct sg_config_coa_client {
	struct sg_config_addr address;
	char secret[SG_CONFIG_MAX_SECRET_LEN];
};

/* RFC 5176 CoA/Disconnect listener. */
struct sg_config_coa {
	struct sg_config_addr listen;
	uint16_t port; /* 0 = any free port (tests) */
	bool require_message_authenticator;
	unsigned int n_clients;
	struct sg_config_coa_client clients[SG_CONFIG_MAX_COA_CLIENTS];
};

struct sg_config_radius {
	unsigned int n_servers;
	struct sg_config_radius_server servers[SG_CONFIG_MAX_RADIUS_SERVERS];
	char nas_identifier[SG_CONFIG_MAX_NAS_ID_LEN];
	bool has_nas_ip;
	struct in_addr nas_ip; /* unset: use the WAN IPv4 address */
	uint32_t timeout;      /* s per try */
	uint32_t retries;
	uint32_t dead_time; /* s */
	bool accounting;
	uint32_t interim_interval; /* s, 0 = off */
	uint32_t accounting_queue; /* Stop records kept while every server is down */
	uint32_t max_inflight;	   /* requests in flight at once */
	bool require_message_authenticator;
	bool has_coa; /* CoA/Disconnect listener enabled */
	struct sg_config_coa coa;
};

struct sg_config_local {
	struct sg_config_path users_file; /* format: config/README.md; parsed by lib/aaa */
};

struct sg_config_auth {
	enum sg_config_auth_backend backend;
	bool has_local;
	struct sg_config_local local;
	bool has_radius;
	struct sg_config_radius radius;
};

struct sg_config_pool {
	char name[SG_CONFIG_MAX_POOL_NAME_LEN];
	bool has_ipv4;
	struct sg_config_prefix4 ipv4;
	bool has_ipv6;
	struct sg_config_prefix6 ipv6_prefix;
	uint8_t ipv6_prefix_len; /* length delegated to each session */
};

struct sg_config_limits {
	uint32_t sessions;
	uint32_t sessions_per_core;
	uint32_t half_open;
	uint32_t tcp_connections_per_core;
	uint32_t mbufs;
};

struct sg_config_timers { /* all in seconds, 0 = off where documented */
	uint32_t handshake_timeout;
	uint32_t auth_timeout;
	uint32_t idle_timeout;
	uint32_t session_timeout;
	uint32_t tcp_keepalive;
};

struct sg_config_log {
	enum sg_log_level level;
	struct sg_config_path file;	 /* given[0] == 0: rte_log default (stderr) */
	int lib_level[SG_LOG_LIB_COUNT]; /* enum sg_log_level, or -1 = use level */
};

struct sg_config_impair {
	uint64_t seed;
	double drop_pct; /* 0..100 */
	double reorder_pct;
	double duplicate_pct;
	uint32_t delay_us;
	uint32_t reorder_max_us; /* 0 = the stage's default */
};

struct sg_config {
	unsigned int n_eal_args;
	char eal_args[SG_CONFIG_MAX_EAL_ARGS][SG_CONFIG_MAX_EAL_ARG_LEN];
	struct {
		uint16_t control;
		unsigned int n_workers;
		uint16_t workers[SG_CONFIG_MAX_WORKERS];
	} lcores;
	struct {
		struct sg_config_port wan;
		struct sg_config_port lan;
	} ports;
	struct {
		uint16_t port;
	} listen;
	struct sg_config_tls tls;
	struct sg_config_sstp sstp;
	struct sg_config_ppp ppp;
	struct sg_config_auth auth;
	unsigned int n_pools;
	struct sg_config_pool pools[SG_CONFIG_MAX_POOLS];
	struct sg_config_limits limits;
	struct sg_config_timers timers;
	struct sg_config_log log;
	bool telemetry;
	bool has_impair; /* "test.impair" present: test-only impairment stage on */
	struct sg_config_impair impair;
	char name[SG_CONFIG_MAX_PATH_LEN]; /* file name used in messages */
};

/*
 * Parse and validate the file at path into cfg (overwritten; defaults first).
 * Returns 0, or -EINVAL (bad config), -ENOENT/-EACCES/... (cannot read),
 * -ENOMEM; on failure writes one line into err (if errlen > 0):
 *   "<path>: $.json.path: reason"
 * Relative paths in the config resolve against the directory of path.
 * After any call (success or failure) cfg may be passed to sg_config_free().
 */
int sg_config_load_file(const char *path, struct sg_config *cfg, char *err, size_t errlen);

/*
 * Same for a NUL-terminated JSON text; name is used in messages and its
 * directory for relative paths (NULL: "config" and the working directory).
 */
int sg_config_load_string(const char *json, const char *name, struct sg_config *cfg, char *err,
			  size_t errlen);

/* Wipe secrets and release what load allocated; idempotent; NULL is fine. */
void sg_config_free(struct sg_config *cfg);

/*
 * Every key at its documented default. Keys without a default (ports, tls
 * certificate/key, pools, ...) are zero; such a config does not validate.
 */
void sg_config_defaults(struct sg_config *cfg);

/*
 * Check the files a loaded config names: certificate, key and chain readable,
 * the local users file readable (backend "local"), the log file's directory
 * existing. Returns 0 or the first failure's -errno with one line in err:
 *   "<name>: $.tls.certificate: /etc/sstpgw/cert.pem: No such file or directory"
 */
int sg_config_check_files(const struct sg_config *cfg, char *err, size_t errlen);

/*
 * The effective config as JSON text (every key, defaults included, paths as
 * written). With show_secrets false, RADIUS/CoA secrets read "(hidden)";
 * with true, loading the text gives cfg back. Returns 0 and *out (release it
 * with free()), or -ENOMEM with *out NULL.
 */
int sg_config_to_json(const struct sg_config *cfg, bool show_secrets, char **out);

/* "1.2", "sha256", "mschapv2", "local", "info": names as written in the JSON. */
const char *sg_config_tls_version_name(enum sg_config_tls_version v);
const char *sg_config_hash_name(enum sg_config_hash h);
const char *sg_config_ppp_auth_name(enum sg_config_ppp_auth a);
const char *sg_config_backend_name(enum sg_config_auth_backend b);
const char *sg_config_log_level_name(enum sg_log_level l);

/* One row of the key reference, for --help-config and the README check. */
struct sg_config_keydoc {
	const char *path;  /* "$.pools[].ipv4" ("[]" = every element) */
	const char *type;  /* "integer", "string", "IPv4 prefix", "object", ... */
	const char *range; /* "1..65535", "1..255 chars", "" when none */
	const char *def;   /* default as JSON text, "required", or "none" */
	const char *doc;   /* one line */
};

/* Call fn for every key of the schema, parents before children. */
void sg_config_keydoc_foreach(void (*fn)(const struct sg_config_keydoc *kd, void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* SG_CONFIG_H */
