/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/config: the shipped configs load, defaults apply, leaving a key out is
 * the same as writing its default, broken configs are rejected with one line
 * naming the JSON path, and config/README.md documents exactly the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <jansson.h>

#include "sg_aaa.h"
#include "sg_common.h"
#include "sg_config.h"

#define SRC SG_SOURCE_ROOT "/config/"

static struct sg_config cfg_a, cfg_b; /* ~60 KB each: not on the stack */

static const char *ntop4(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
	return buf[i];
}

/* ---- shipped configs ---- */

static void shipped_default_config_loads(void **state)
{
	char err[512];
	char a[INET6_ADDRSTRLEN];

	(void) state;
	int rc = sg_config_load_file(SRC "sstpgw.json", &cfg_a, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_string_equal(err, "");
	assert_int_equal(cfg_a.lcores.control, 0);
	assert_int_equal(cfg_a.lcores.n_workers, 1);
	assert_int_equal(cfg_a.lcores.workers[0], 1);
	assert_int_equal(cfg_a.n_eal_args, 5);
	assert_string_equal(cfg_a.eal_args[0], "--no-huge");
	assert_string_equal(cfg_a.ports.wan.devargs, "net_af_packet0,iface=sgwan0");
	assert_string_equal(cfg_a.ports.lan.devargs, "net_af_packet1,iface=sglan0");
	assert_string_equal(ntop4(cfg_a.ports.wan.ipv4.addr), "192.0.2.1");
	assert_int_equal(cfg_a.ports.wan.ipv4.len, 24);
	assert_string_equal(ntop4(cfg_a.ports.lan.ipv4.addr), "198.51.100.1");
	assert_true(cfg_a.ports.wan.has_ipv6);
	inet_ntop(AF_INET6, &cfg_a.ports.wan.ipv6.addr, a, sizeof(a));
	assert_string_equal(a, "2001:db8:1::1");
	assert_int_equal(cfg_a.ports.wan.ipv6.len, 64);
	assert_true(cfg_a.ports.wan.has_gateway4);
	assert_false(cfg_a.ports.lan.has_gateway4);
	assert_int_equal(cfg_a.n_pools, 1);
	assert_string_equal(cfg_a.pools[0].name, "default");
	assert_string_equal(ntop4(cfg_a.pools[0].ipv4.addr), "203.0.113.0");
	assert_int_equal(cfg_a.pools[0].ipv4.len, 24);
	assert_true(cfg_a.pools[0].has_ipv6);
	assert_int_equal(cfg_a.pools[0].ipv6_prefix.len, 48);
	assert_int_equal(cfg_a.pools[0].ipv6_prefix_len, 64);
	assert_string_equal(cfg_a.tls.certificate.given, "lab-cert/server.pem");
	assert_string_equal(cfg_a.tls.certificate.resolved, SRC "lab-cert/server.pem");
	assert_string_equal(cfg_a.tls.key.resolved, SRC "lab-cert/server.key");
	assert_int_equal(cfg_a.auth.backend, SG_CONFIG_BACKEND_LOCAL);
	assert_true(cfg_a.auth.has_local);
	assert_string_equal(cfg_a.auth.local.users_file.resolved, SRC "users.json");
	assert_int_equal(cfg_a.sstp.crypto_binding, SG_CONFIG_HASH_SHA1 | SG_CONFIG_HASH_SHA256);
	assert_int_equal(cfg_a.sstp.crypto_binding_pref[0], SG_CONFIG_HASH_SHA256);
	assert_int_equal(cfg_a.ppp.n_auth, 3);
	assert_int_equal(cfg_a.ppp.auth[0], SG_CONFIG_AUTH_MSCHAPV2);
	assert_int_equal(cfg_a.ppp.n_dns4, 1);
	assert_string_equal(ntop4(cfg_a.ppp.dns4[0]), "198.51.100.53");
	assert_false(cfg_a.has_impair);
	assert_string_equal(cfg_a.name, SRC "sstpgw.json");
	sg_config_free(&cfg_a);
	sg_config_free(&cfg_a); /* idempotent */
	sg_config_free(NULL);
}

static void shipped_radius_example_loads(void **state)
{
	char err[512];

	(void) state;
	int rc = sg_config_load_file(SRC "radius.example.json", &cfg_a, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(cfg_a.auth.backend, SG_CONFIG_BACKEND_RADIUS);
	assert_int_equal(cfg_a.auth.radius.n_servers, 1);
	assert_int_equal(cfg_a.auth.radius.servers[0].address.family, AF_INET);
	assert_int_equal(cfg_a.auth.radius.servers[0].auth_port, 1812);
	assert_string_equal(cfg_a.auth.radius.servers[0].secret, "testing123");
	assert_true(cfg_a.auth.radius.has_coa);
	assert_int_equal(cfg_a.auth.radius.coa.port, 3799);
	assert_int_equal(cfg_a.auth.radius.coa.n_clients, 1);
	assert_int_equal(cfg_a.ports.lan.n_routes, 1);
	assert_int_equal(cfg_a.ports.lan.routes[0].family, AF_INET);
	assert_int_equal(cfg_a.ports.lan.routes[0].prefix4.len, 16);
	assert_false(cfg_a.ppp.ipv6);
	sg_config_free(&cfg_a);
	assert_string_equal(cfg_a.auth.radius.servers[0].secret, ""); /* wiped */
}

/* The shipped users file loads with the real parser (lib/aaa), and users.json names it. */
static void shipped_users_file_loads_with_lib_aaa(void **state)
{
	char err[512];
	struct sg_aaa_local *l;

	(void) state;
	assert_int_equal(sg_config_load_file(SRC "sstpgw.json", &cfg_a, err, sizeof(err)), 0);
	l = sg_aaa_local_load(cfg_a.auth.local.users_file.resolved, err, sizeof(err));
	if (l == NULL)
		fail_msg("%s", err);
	assert_int_equal(sg_aaa_local_count(l), 2);
	sg_aaa_local_free(l);
	sg_config_free(&cfg_a);
}

/* ---- defaults ---- */

static void defaults_are_the_documented_values(void **state)
{
	(void) state;
	sg_config_defaults(&cfg_a);
	assert_int_equal(cfg_a.lcores.control, 0);
	assert_int_equal(cfg_a.lcores.n_workers, 1);
	assert_int_equal(cfg_a.lcores.workers[0], 1);
	assert_int_equal(cfg_a.n_eal_args, 0);
	assert_int_equal(cfg_a.listen.port, 443);
	assert_int_equal(cfg_a.ports.wan.mtu, 1500);
	assert_int_equal(cfg_a.ports.lan.rx_desc, 1024);
	assert_int_equal(cfg_a.ports.lan.tx_desc, 1024);
	assert_false(cfg_a.ports.lan.proxy_arp);
	assert_int_equal(cfg_a.tls.min_version, SG_CONFIG_TLS_1_2);
	assert_int_equal(cfg_a.tls.max_version, SG_CONFIG_TLS_1_3);
	assert_non_null(strstr(cfg_a.tls.ciphers, "ECDHE-RSA-AES128-GCM-SHA256"));
	assert_non_null(strstr(cfg_a.tls.ciphersuites, "TLS_AES_128_GCM_SHA256"));
	assert_int_equal(cfg_a.tls.cert_hash_override_len, 0);
	assert_int_equal(cfg_a.sstp.crypto_binding, SG_CONFIG_HASH_SHA1 | SG_CONFIG_HASH_SHA256);
	assert_int_equal(cfg_a.sstp.negotiation_timeout, 60);
	assert_int_equal(cfg_a.sstp.hello_interval, 60);
	assert_true(cfg_a.sstp.require_crypto_binding);
	assert_int_equal(cfg_a.ppp.mtu, 1400);
	assert_int_equal(cfg_a.ppp.mru, 1400);
	assert_int_equal(cfg_a.ppp.n_auth, 3);
	assert_int_equal(cfg_a.ppp.auth[1], SG_CONFIG_AUTH_PAP);
	assert_int_equal(cfg_a.ppp.auth[2], SG_CONFIG_AUTH_CHAP_MD5);
	assert_int_equal(cfg_a.ppp.lcp_echo_interval, 30);
	assert_int_equal(cfg_a.ppp.lcp_echo_failures, 3);
	assert_true(cfg_a.ppp.ipv6);
	assert_true(cfg_a.ppp.mss_clamp);
	assert_int_equal(cfg_a.auth.backend, SG_CONFIG_BACKEND_LOCAL);
	assert_int_equal(cfg_a.auth.radius.timeout, 3);
	assert_int_equal(cfg_a.auth.radius.retries, 3);
	assert_int_equal(cfg_a.auth.radius.dead_time, 30);
	assert_int_equal(cfg_a.auth.radius.interim_interval, 300);
	assert_true(cfg_a.auth.radius.accounting);
	assert_string_equal(cfg_a.auth.radius.nas_identifier, "sstpgw");
	assert_int_equal(cfg_a.auth.radius.coa.port, 3799);
	assert_string_equal(ntop4(cfg_a.auth.radius.coa.listen.v4), "127.0.0.1");
	assert_false(cfg_a.auth.radius.has_coa);
	assert_int_equal(cfg_a.limits.sessions, 100000);
	assert_int_equal(cfg_a.limits.sessions_per_core, 100000);
	assert_int_equal(cfg_a.limits.half_open, 4096);
	assert_int_equal(cfg_a.limits.tcp_connections_per_core, 131072);
	assert_int_equal(cfg_a.limits.mbufs, 65535);
	assert_int_equal(cfg_a.timers.handshake_timeout, 30);
	assert_int_equal(cfg_a.timers.auth_timeout, 30);
	assert_int_equal(cfg_a.timers.idle_timeout, 0);
	assert_int_equal(cfg_a.timers.session_timeout, 0);
	assert_int_equal(cfg_a.timers.tcp_keepalive, 60);
	assert_int_equal(cfg_a.log.level, SG_LOG_INFO);
	for (int i = 0; i < SG_LOG_LIB_COUNT; i++)
		assert_int_equal(cfg_a.log.lib_level[i], -1);
	assert_true(cfg_a.telemetry);
	assert_false(cfg_a.has_impair);
	assert_int_equal(cfg_a.impair.seed, 1);
	assert_string_equal(sg_config_tls_version_name(cfg_a.tls.min_version), "1.2");
	assert_string_equal(sg_config_hash_name(SG_CONFIG_HASH_SHA256), "sha256");
	assert_string_equal(sg_config_ppp_auth_name(SG_CONFIG_AUTH_CHAP_MD5), "chap-md5");
	assert_string_equal(sg_config_backend_name(SG_CONFIG_BACKEND_RADIUS), "radius");
	assert_string_equal(sg_config_log_level_name(SG_LOG_DEBUG), "debug");
}

/*
 * A config using every object and array once. Broken configs below are this
 * with one edit; the default test deletes or sets one key of it.
 */
static const char base_json[] =
    "{\"lcores\": {\"control\": 0, \"workers\": [1, 2]},"
    " \"ports\": {"
    "  \"wan\": {\"devargs\": \"net_null0\", \"ipv4\": \"192.0.2.1/24\","
    "           \"ipv6\": \"2001:db8:1::1/64\", \"gateway4\": \"192.0.2.254\","
    "           \"gateway6\": \"fe80::1\","
    "           \"routes\": [{\"prefix\": \"10.0.0.0/8\", \"via\": \"192.0.2.253\"}]},"
    "  \"lan\": {\"devargs\": \"net_null1\", \"ipv4\": \"198.51.100.1/24\","
    "           \"ipv6\": \"2001:db8:2::1/64\","
    "           \"routes\": [{\"prefix\": \"2001:db8:3::/48\", \"via\": \"2001:db8:2::fe\"}]}},"
    " \"tls\": {\"certificate\": \"c.pem\", \"key\": \"/abs/k.pem\","
    "          \"cert_hash_override\": \"00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:"
    "00:11:22:33\"},"
    " \"auth\": {\"backend\": \"local\", \"local\": {\"users_file\": \"u.json\"},"
    "   \"radius\": {\"servers\": [{\"address\": \"127.0.0.1\", \"secret\": \"s\"}],"
    "                \"coa\": {\"clients\": [{\"address\": \"::1\", \"secret\": \"t\"}]}}},"
    " \"pools\": [{\"name\": \"a\", \"ipv4\": \"203.0.113.0/25\","
    "              \"ipv6_prefix\": \"2001:db8:100::/48\"},"
    "            {\"name\": \"b\", \"ipv4\": \"203.0.113.128/25\"}],"
    " \"log\": {\"libs\": {\"tcp\": \"debug\"}},"
    " \"test\": {\"impair\": {\"seed\": 7, \"drop_pct\": 0.5}}}";

static void base_config_loads_with_every_section(void **state)
{
	char err[512];

	(void) state;
	int rc =
	    sg_config_load_string(base_json, "/etc/sstpgw/base.json", &cfg_a, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(cfg_a.lcores.n_workers, 2);
	assert_string_equal(cfg_a.tls.certificate.resolved, "/etc/sstpgw/c.pem");
	assert_string_equal(cfg_a.tls.key.resolved, "/abs/k.pem");
	assert_string_equal(cfg_a.auth.local.users_file.resolved, "/etc/sstpgw/u.json");
	assert_int_equal(cfg_a.tls.cert_hash_override_len, 20);
	assert_int_equal(cfg_a.tls.cert_hash_override[10], 0xaa);
	assert_int_equal(cfg_a.ports.wan.n_routes, 1);
	assert_int_equal(cfg_a.ports.lan.routes[0].family, AF_INET6);
	assert_int_equal(cfg_a.ports.lan.routes[0].prefix6.len, 48);
	assert_int_equal(cfg_a.auth.radius.coa.clients[0].address.family, AF_INET6);
	assert_int_equal(cfg_a.log.lib_level[SG_LOG_LIB_TCP], SG_LOG_DEBUG);
	assert_int_equal(cfg_a.log.lib_level[SG_LOG_LIB_SSTP], -1);
	assert_true(cfg_a.has_impair);
	assert_int_equal(cfg_a.impair.seed, 7);
	assert_true(cfg_a.impair.drop_pct == 0.5);
	sg_config_free(&cfg_a);

	/* No name: "config" in messages, relative paths stay relative (cwd). */
	rc = sg_config_load_string(base_json, NULL, &cfg_a, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_string_equal(cfg_a.tls.certificate.resolved, "c.pem");
	sg_config_free(&cfg_a);
}

/* ---- JSON edits: "a.b[1].c" = value (NULL deletes) ---- */

static json_t *child(json_t *cur, const char *seg, size_t n, int create)
{
	char key[128];
	const char *br = memchr(seg, '[', n);
	size_t kl = br ? (size_t) (br - seg) : n;
	json_t *next;

	snprintf(key, sizeof(key), "%.*s", (int) kl, seg);
	next = json_object_get(cur, key);
	if (next == NULL && create && !br) {
		next = json_object();
		json_object_set_new(cur, key, next);
	}
	if (next && br)
		next = json_array_get(next, strtoul(br + 1, NULL, 10));
	return next;
}

static void edit(json_t *root, const char *path, const char *value)
{
	json_t *cur = root, *v = NULL;
	const char *seg = path, *dot;
	json_error_t jerr;

	while ((dot = strchr(seg, '.')) != NULL) {
		cur = child(cur, seg, (size_t) (dot - seg), value != NULL);
		if (cur == NULL)
			return; /* deleting under an absent object */
		seg = dot + 1;
	}
	if (value) {
		v = json_loads(value, JSON_DECODE_ANY, &jerr);
		if (v == NULL)
			fail_msg("bad test value %s: %s", value, jerr.text);
	}
	const char *br = strchr(seg, '[');
	if (br) {
		char key[128];
		snprintf(key, sizeof(key), "%.*s", (int) (br - seg), seg);
		json_t *arr = json_object_get(cur, key);
		size_t i = strtoul(br + 1, NULL, 10);
		assert_non_null(arr);
		if (v)
			assert_int_equal(json_array_set_new(arr, i, v), 0);
		else
			json_array_remove(arr, i);
	} else if (v) {
		json_object_set_new(cur, seg, v);
	} else {
		json_object_del(cur, seg);
	}
}

static char *edited(const char *path, const char *value, const char *path2, const char *value2)
{
	json_error_t jerr;
	json_t *root = json_loads(base_json, 0, &jerr);
	char *s;

	assert_non_null(root);
	if (path)
		edit(root, path, value);
	if (path2)
		edit(root, path2, value2);
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	assert_non_null(s);
	return s;
}

/* ---- broken configs ---- */

struct broken {
	const char *what;
	const char *path, *value;   /* one edit of base_json (value NULL: delete) */
	const char *path2, *value2; /* an optional second edit */
	const char *raw;	    /* or this text instead */
	const char *where;	    /* the JSON path the message must name */
	const char *why;	    /* and a piece of the reason */
};

#define LONG_PATH                                                                                  \
	"\"/"                                                                                      \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxx"                                                                                      \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxx"                                                                                    \
	"\""

static const char seventeen_pools[] =
    "[{\"name\":\"p0\",\"ipv4\":\"10.0.0.0/24\"},{\"name\":\"p1\",\"ipv4\":\"10.0.1.0/24\"},"
    "{\"name\":\"p2\",\"ipv4\":\"10.0.2.0/24\"},{\"name\":\"p3\",\"ipv4\":\"10.0.3.0/24\"},"
    "{\"name\":\"p4\",\"ipv4\":\"10.0.4.0/24\"},{\"name\":\"p5\",\"ipv4\":\"10.0.5.0/24\"},"
    "{\"name\":\"p6\",\"ipv4\":\"10.0.6.0/24\"},{\"name\":\"p7\",\"ipv4\":\"10.0.7.0/24\"},"
    "{\"name\":\"p8\",\"ipv4\":\"10.0.8.0/24\"},{\"name\":\"p9\",\"ipv4\":\"10.0.9.0/24\"},"
    "{\"name\":\"pa\",\"ipv4\":\"10.0.10.0/24\"},{\"name\":\"pb\",\"ipv4\":\"10.0.11.0/24\"},"
    "{\"name\":\"pc\",\"ipv4\":\"10.0.12.0/24\"},{\"name\":\"pd\",\"ipv4\":\"10.0.13.0/24\"},"
    "{\"name\":\"pe\",\"ipv4\":\"10.0.14.0/24\"},{\"name\":\"pf\",\"ipv4\":\"10.0.15.0/24\"},"
    "{\"name\":\"pg\",\"ipv4\":\"10.0.16.0/24\"}]";

static const struct broken broken[] = {
    /* unknown keys */
    {"unknown top-level key", "colour", "1", .where = "$.colour", .why = "unknown key"},
    {"unknown nested key, with a suggestion", "ports.wan.mtux", "1500", .where = "$.ports.wan.mtux",
     .why = "did you mean \"mtu\"?"},
    {"unknown key in an array element", "pools[0].size", "10", .where = "$.pools[0].size",
     .why = "unknown key"},
    {"unknown key deep in radius", "auth.radius.servers[0].port", "1812",
     .where = "$.auth.radius.servers[0].port", .why = "unknown key"},
    /* wrong types */
    {"string for an integer", "listen.port", "\"443\"", .where = "$.listen.port",
     .why = "expected an integer, got a string (\"443\")"},
    {"fraction for an integer", "listen.port", "443.5", .where = "$.listen.port",
     .why = "expected an integer"},
    {"null where null is not allowed", "listen.port", "null", .where = "$.listen.port",
     .why = "null is not allowed here (expected integer)"},
    {"string for a boolean", "telemetry", "\"yes\"", .where = "$.telemetry",
     .why = "expected true or false"},
    {"array for an object", "ports.wan", "[]", .where = "$.ports.wan",
     .why = "expected an object, got an array"},
    {"integer for an array", "lcores.workers", "1", .where = "$.lcores.workers",
     .why = "expected an array"},
    {"number for an address", "ports.wan.gateway4", "3221225985", .where = "$.ports.wan.gateway4",
     .why = "expected an IPv4 address string"},
    /* ranges */
    {"port above 65535", "listen.port", "70000", .where = "$.listen.port",
     .why = "70000 is out of range 1..65535"},
    {"port 0", "listen.port", "0", .where = "$.listen.port", .why = "out of range"},
    {"negative timer", "timers.auth_timeout", "-1", .where = "$.timers.auth_timeout",
     .why = "-1 is out of range"},
    {"PPP MTU too small", "ppp.mtu", "100", .where = "$.ppp.mtu", .why = "out of range 576..1500"},
    {"control lcore out of 0..127", "lcores.control", "128", .where = "$.lcores.control",
     .why = "out of range 0..127"},
    {"worker lcore out of 0..127", "lcores.workers", "[1, 200]", .where = "$.lcores.workers[1]",
     .why = "200 is out of range 0..127"},
    {"percentage above 100", "test.impair.drop_pct", "101", .where = "$.test.impair.drop_pct",
     .why = "out of range 0..100"},
    {"drop + reorder above 100", "test.impair.drop_pct", "60", "test.impair.reorder_pct", "50",
     .where = "$.test.impair.reorder_pct", .why = "above 100"},
    {"empty string", "ports.wan.devargs", "\"\"", .where = "$.ports.wan.devargs",
     .why = "must not be empty"},
    {"path too long", "tls.key", LONG_PATH, .where = "$.tls.key", .why = "bytes long"},
    {"too many pools", "pools", seventeen_pools, .where = "$.pools",
     .why = "has 17 items, expected 0..16"},
    {"empty workers", "lcores.workers", "[]", .where = "$.lcores.workers",
     .why = "must not be empty"},
    {"empty CoA clients", "auth.radius.coa.clients", "[]", .where = "$.auth.radius.coa.clients",
     .why = "must not be empty"},
    /* addresses */
    {"IPv4 prefix /33", "pools[1].ipv4", "\"10.0.0.0/33\"", .where = "$.pools[1].ipv4",
     .why = "\"10.0.0.0/33\" is not a valid IPv4 prefix"},
    {"IPv4 prefix with host bits", "pools[0].ipv4", "\"203.0.113.1/25\"",
     .where = "$.pools[0].ipv4", .why = "host bits are set"},
    {"IPv4 prefix without length", "pools[0].ipv4", "\"203.0.113.0\"", .where = "$.pools[0].ipv4",
     .why = "not a valid IPv4 prefix"},
    {"IPv4 pool prefix too short", "pools[0].ipv4", "\"10.0.0.0/4\"", .where = "$.pools[0].ipv4",
     .why = "prefix length /4 is out of range /8../32"},
    {"bad IPv6 address/length", "ports.wan.ipv6", "\"2001:db8::zz/64\"",
     .where = "$.ports.wan.ipv6", .why = "not a valid IPv6 address/length"},
    {"bad IPv6 in a list", "ppp.dns6", "[\"::g\"]", .where = "$.ppp.dns6[0]",
     .why = "not a valid IPv6 address"},
    {"bad IPv4 octet", "ports.wan.gateway4", "\"192.0.2.256\"", .where = "$.ports.wan.gateway4",
     .why = "not a valid IPv4 address"},
    {"interface address is the network address", "ports.wan.ipv4", "\"192.0.2.0/24\"",
     .where = "$.ports.wan.ipv4", .why = "network or broadcast"},
    {"multicast interface address", "ports.lan.ipv4", "\"224.0.0.1/24\"",
     .where = "$.ports.lan.ipv4", .why = "unicast"},
    {"RADIUS server by name", "auth.radius.servers[0].address", "\"radius.example.org\"",
     .where = "$.auth.radius.servers[0].address", .why = "not a valid IPv4 or IPv6 address"},
    {"route via of the wrong family", "ports.lan.routes[0].via", "\"198.51.100.2\"",
     .where = "$.ports.lan.routes[0].via", .why = "the prefix is IPv6"},
    {"bad certificate hash", "tls.cert_hash_override", "\"abc\"",
     .where = "$.tls.cert_hash_override", .why = "SHA-1"},
    /* enums */
    {"unknown backend", "auth.backend", "\"ldap\"", .where = "$.auth.backend",
     .why = "\"ldap\" is not one of \"local\", \"radius\""},
    {"unknown PPP auth in a list", "ppp.auth", "[\"mschapv2\", \"eap-tls\"]", .where = "$.ppp.auth[1]",
     .why = "not one of"},
    {"duplicate PPP auth", "ppp.auth", "[\"pap\", \"pap\"]", .where = "$.ppp.auth[1]",
     .why = "duplicate of item 0"},
    {"unknown TLS version", "tls.min_version", "\"1.4\"", .where = "$.tls.min_version",
     .why = "not one of"},
    {"unknown log library", "log.libs", "{\"tcpp\": \"debug\"}", .where = "$.log.libs.tcpp",
     .why = "unknown library"},
    {"bad log level", "log.libs", "{\"tcp\": \"loud\"}", .where = "$.log.libs.tcp",
     .why = "expected one of"},
    /* missing */
    {"missing certificate", "tls.certificate", NULL, .where = "$.tls.certificate",
     .why = "missing required key"},
    {"missing LAN port", "ports.lan", NULL, .where = "$.ports.lan", .why = "missing required key"},
    {"missing pool name", "pools[0].name", NULL, .where = "$.pools[0].name",
     .why = "missing required key"},
    {"missing RADIUS secret", "auth.radius.servers[0].secret", NULL,
     .where = "$.auth.radius.servers[0].secret", .why = "missing required key"},
    {"missing ports", "ports", NULL, .where = "$.ports", .why = "missing required key"},
    /* cross-field */
    {"worker is the control lcore", "lcores.workers", "[2, 0]", .where = "$.lcores.workers[1]",
     .why = "also the control lcore"},
    {"duplicate worker", "lcores.workers", "[1, 1]", .where = "$.lcores.workers[1]",
     .why = "duplicate of item 0"},
    {"EAL --in-memory with --no-huge", "eal.args", "[\"--no-huge\", \"--in-memory\"]",
     .where = "$.eal.args[1]", .why = "use \"--no-shconf\""},
    {"EAL -l owned by lcores", "eal.args", "[\"--no-huge\", \"-l\", \"0-1\"]",
     .where = "$.eal.args[1]", .why = "set by sstpgw from $.lcores"},
    {"EAL --lcores= owned by lcores", "eal.args", "[\"--lcores=0,1\"]", .where = "$.eal.args[0]",
     .why = "from $.lcores"},
    {"pool overlapping the WAN subnet", "pools[0].ipv4", "\"192.0.2.0/25\"",
     .where = "$.pools[0].ipv4", .why = "overlaps the WAN subnet 192.0.2.1/24"},
    {"pool overlapping the LAN subnet (IPv6)", "pools[0].ipv6_prefix", "\"2001:db8:2::/48\"",
     .where = "$.pools[0].ipv6_prefix", .why = "overlaps the LAN subnet"},
    {"pools overlapping each other", "pools[1].ipv4", "\"203.0.113.0/24\"",
     .where = "$.pools[1].ipv4", .why = "overlaps $.pools[0].ipv4"},
    {"duplicate pool names", "pools[1].name", "\"a\"", .where = "$.pools[1].name",
     .why = "duplicate pool name \"a\""},
    {"pool with no addresses", "pools[1]", "{\"name\": \"c\"}", .where = "$.pools[1]",
     .why = "needs ipv4 or ipv6_prefix"},
    {"session prefix shorter than pool", "pools[0].ipv6_prefix_len", "32",
     .where = "$.pools[0].ipv6_prefix_len", .why = "not longer than the pool's prefix /48"},
    {"IPv6 pool cut into too many prefixes", "pools[0].ipv6_prefix", "\"2001:db8::/32\"",
     "pools[0].ipv6_prefix_len", "128", .where = "$.pools[0].ipv6_prefix_len",
     .why = "at most 2^32"},
    {"IPv4 pool smaller than the workers", "pools[1].ipv4", "\"203.0.113.128/31\"",
     "lcores.workers", "[1, 2, 3]", .where = "$.pools[1].ipv4",
     .why = "2 usable addresses, fewer than the 3 workers"},
    {"IPv6 pool smaller than the workers", "pools[0].ipv6_prefix_len", "49", "lcores.workers",
     "[1, 2, 3]", .where = "$.pools[0].ipv6_prefix_len", .why = "gives 2 prefixes, fewer"},
    {"no pools with the local backend", "pools", "[]", .where = "$.pools",
     .why = "at least one pool"},
    {"LAN subnet overlapping WAN", "ports.lan.ipv4", "\"192.0.2.9/24\"",
     .where = "$.ports.lan.ipv4", .why = "overlaps the WAN subnet"},
    {"gateway off its subnet", "ports.wan.gateway4", "\"10.1.1.1\"",
     .where = "$.ports.wan.gateway4", .why = "not on the port's subnet 192.0.2.1/24"},
    {"gateway6 without ipv6", "ports.wan.ipv6", NULL, .where = "$.ports.wan.gateway6",
     .why = "$.ports.wan.ipv6 is not"},
    {"route via off subnet", "ports.wan.routes[0].via", "\"10.9.9.9\"",
     .where = "$.ports.wan.routes[0].via", .why = "not on the port's subnet"},
    {"IPv6 port MTU below 1280", "ports.wan.mtu", "1000", .where = "$.ports.wan.mtu",
     .why = "below 1280"},
    {"min TLS above max", "tls.min_version", "\"1.3\"", "tls.max_version", "\"1.2\"",
     .where = "$.tls.min_version", .why = "above $.tls.max_version"},
    {"radius backend without radius", "auth.backend", "\"radius\"", "auth.radius", NULL,
     .where = "$.auth.radius", .why = "required when $.auth.backend is \"radius\""},
    {"local backend without local", "auth.local", NULL, .where = "$.auth.local",
     .why = "required when $.auth.backend is \"local\""},
    {"sessions per core above TCP connections", "limits.sessions_per_core", "200000",
     .where = "$.limits.sessions_per_core", .why = "above $.limits.tcp_connections_per_core"},
    {"too few mbufs for the rings", "limits.mbufs", "2000", .where = "$.limits.mbufs",
     .why = "cannot fill the rings"},
    /* not JSON, or not an object */
    {"syntax error with line and column", .raw = "{\n  \"listen\": {\"port\": 443,}\n}\n",
     .where = "$", .why = "invalid JSON at line 2, column"},
    {"duplicate key", .raw = "{\"telemetry\": true, \"telemetry\": false}", .where = "$",
     .why = "duplicate object key"},
    {"top level is an array", .raw = "[]", .where = "$", .why = "expected an object"},
    {"empty text", .raw = "", .where = "$", .why = "invalid JSON at line 1"},
    {"trailing garbage", .raw = "{} x", .where = "$", .why = "invalid JSON"},
};

static void broken_configs_name_their_json_path(void **state)
{
	char err[512], want[256];

	(void) state;
	assert_true(SG_ARRAY_SIZE(broken) >= 30);
	for (size_t i = 0; i < SG_ARRAY_SIZE(broken); i++) {
		const struct broken *b = &broken[i];
		char *text = b->raw ? NULL : edited(b->path, b->value, b->path2, b->value2);
		memset(err, 'Z', sizeof(err));
		int rc = sg_config_load_string(b->raw ? b->raw : text, "broken.json", &cfg_a, err,
					       sizeof(err));
		free(text);
		sg_config_free(&cfg_a);
		if (getenv("SG_TEST_VERBOSE"))
			printf("%-45s %s\n", b->what, err);
		snprintf(want, sizeof(want), "broken.json: %s: ", b->where);
		if (rc != -EINVAL)
			fail_msg("case \"%s\": rc %d, expected -EINVAL (%s)", b->what, rc, err);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("case \"%s\": message \"%s\" does not start with \"%s\"", b->what,
				 err, want);
		if (strstr(err, b->why) == NULL)
			fail_msg("case \"%s\": message \"%s\" lacks \"%s\"", b->what, err, b->why);
		if (strchr(err, '\n') != NULL)
			fail_msg("case \"%s\": message is not one line", b->what);
	}
}

static void errors_fit_small_buffers_and_files_report_errno(void **state)
{
	char err[16];

	(void) state;
	assert_int_equal(sg_config_load_string("[]", "x.json", &cfg_a, err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(sg_config_load_string("[]", "x.json", &cfg_a, NULL, 0), -EINVAL);
	char big[256];
	assert_int_equal(sg_config_load_file("/nonexistent/sstpgw.json", &cfg_a, big, sizeof(big)),
			 -ENOENT);
	assert_non_null(strstr(big, "/nonexistent/sstpgw.json: $: cannot open"));
	assert_int_equal(sg_config_load_file("/", &cfg_a, big, sizeof(big)), -EINVAL);
	sg_config_free(&cfg_a);
}

/* ---- defaults: leaving a key out is the same as writing its default ---- */

struct default_walk {
	unsigned int checked;
};

static void absent_equals_default(const struct sg_config_keydoc *kd, void *arg)
{
	struct default_walk *w = arg;
	char path[256], err_a[512] = "", err_b[512] = "";
	size_t n = 0;

	if (strcmp(kd->def, "required") == 0 || strcmp(kd->def, "none") == 0)
		return;
	/* "$.pools[].ipv4" -> "pools[0].ipv4" */
	for (const char *p = kd->path + 2; *p && n + 2 < sizeof(path); p++) {
		path[n++] = *p;
		if (*p == '[' && p[1] == ']')
			path[n++] = '0';
	}
	path[n] = 0;
	char *absent = edited(path, NULL, NULL, NULL);
	char *given = edited(path, kd->def, NULL, NULL);
	memset(&cfg_a, 0x5a, sizeof(cfg_a));
	memset(&cfg_b, 0xa5, sizeof(cfg_b));
	int ra = sg_config_load_string(absent, "d.json", &cfg_a, err_a, sizeof(err_a));
	int rb = sg_config_load_string(given, "d.json", &cfg_b, err_b, sizeof(err_b));
	free(absent);
	free(given);
	if (ra != rb || strcmp(err_a, err_b) != 0)
		fail_msg("%s: absent -> %d \"%s\", default %s -> %d \"%s\"", kd->path, ra, err_a,
			 kd->def, rb, err_b);
	if (ra == 0 && memcmp(&cfg_a, &cfg_b, sizeof(cfg_a)) != 0)
		fail_msg("%s: leaving it out differs from writing the default %s", kd->path,
			 kd->def);
	sg_config_free(&cfg_a);
	sg_config_free(&cfg_b);
	w->checked++;
}

static void every_default_applies_when_the_key_is_left_out(void **state)
{
	struct default_walk w = {0};

	(void) state;
	sg_config_keydoc_foreach(absent_equals_default, &w);
	assert_true(w.checked >= 60);
}

/* ---- config/README.md documents exactly the directive table ---- */

struct doc_walk {
	char *readme;
	unsigned int keys;
	char missing[2048];
};

static void key_is_documented(const struct sg_config_keydoc *kd, void *arg)
{
	struct doc_walk *w = arg;
	char row[300];

	w->keys++;
	snprintf(row, sizeof(row), "\n| `%s` |", kd->path);
	if (strstr(w->readme, row) == NULL) {
		size_t n = strlen(w->missing);
		snprintf(w->missing + n, sizeof(w->missing) - n, " %s", kd->path);
	}
}

struct find_key {
	const char *path;
	bool found;
};

static void find_key_cb(const struct sg_config_keydoc *kd, void *arg)
{
	struct find_key *f = arg;

	if (strcmp(kd->path, f->path) == 0)
		f->found = true;
}

static void readme_documents_exactly_the_directive_table(void **state)
{
	struct doc_walk w = {0};
	FILE *f = fopen(SRC "README.md", "r");
	long len;
	unsigned int rows = 0;

	(void) state;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	w.readme = calloc(1, (size_t) len + 2);
	assert_non_null(w.readme);
	w.readme[0] = '\n';
	assert_int_equal(fread(w.readme + 1, 1, (size_t) len, f), (size_t) len);
	fclose(f);

	sg_config_keydoc_foreach(key_is_documented, &w);
	if (w.missing[0])
		fail_msg("keys missing from config/README.md:%s", w.missing);

	/* Every "| `$.x` |" row in the README is a key of the table. */
	for (char *p = strstr(w.readme, "\n| `$"); p; p = strstr(p + 1, "\n| `$")) {
		char path[256];
		char *end = strchr(p + 4, '`');
		assert_non_null(end);
		snprintf(path, sizeof(path), "%.*s", (int) (end - (p + 4)), p + 4);
		struct find_key fk = {path, false};
		sg_config_keydoc_foreach(find_key_cb, &fk);
		if (!fk.found)
			fail_msg("config/README.md documents %s, which is not in the table", path);
		rows++;
	}
	assert_int_equal(rows, w.keys);
	free(w.readme);
}

/* ---- sg_config_to_json: the dump loads back to the same struct ---- */

static void round_trip(const char *text, const char *name)
{
	char err[512], *dump = NULL, *hidden = NULL;

	int rc = sg_config_load_string(text, name, &cfg_a, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(sg_config_to_json(&cfg_a, true, &dump), 0);
	rc = sg_config_load_string(dump, name, &cfg_b, err, sizeof(err));
	if (rc)
		fail_msg("%s\n%s", err, dump);
	if (memcmp(&cfg_a, &cfg_b, sizeof(cfg_a)) != 0)
		fail_msg("%s: the dump loads to a different config:\n%s", name, dump);
	assert_int_equal(sg_config_to_json(&cfg_a, false, &hidden), 0);
	if (cfg_a.auth.radius.n_servers) {
		char needle[200];
		snprintf(needle, sizeof(needle), "\"secret\": \"%s\"",
			 cfg_a.auth.radius.servers[0].secret);
		assert_non_null(strstr(dump, needle));
		assert_null(strstr(hidden, needle));
	}
	free(dump);
	free(hidden);
	sg_config_free(&cfg_a);
	sg_config_free(&cfg_b);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

static void dump_loads_back_to_the_same_config(void **state)
{
	char *text;

	(void) state;
	round_trip(base_json, "/etc/sstpgw/base.json");
	text = slurp(SRC "sstpgw.json");
	round_trip(text, SRC "sstpgw.json");
	free(text);
	text = slurp(SRC "radius.example.json");
	round_trip(text, SRC "radius.example.json");
	free(text);

	/* A hidden secret is shown as such, never as the secret. */
	char err[512], *dump;
	assert_int_equal(sg_config_load_string(base_json, "b.json", &cfg_a, err, sizeof(err)), 0);
	assert_int_equal(sg_config_to_json(&cfg_a, false, &dump), 0);
	assert_non_null(strstr(dump, "\"secret\": \"(hidden)\""));
	assert_non_null(strstr(dump, "\"listen\": {\n    \"port\": 443"));
	free(dump);
	sg_config_free(&cfg_a);
}

/* ---- sg_config_check_files ---- */

static void check_files_names_the_key_of_a_missing_file(void **state)
{
	char dir[] = "/tmp/sg_config_test_XXXXXX", path[512], err[512];
	FILE *f;

	(void) state;
	assert_non_null(mkdtemp(dir));
	const char *files[] = {"c.pem", "u.json"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fclose(f);
	}
	char *text = edited("tls.key", "\"c.pem\"", NULL, NULL);
	snprintf(path, sizeof(path), "%s/cfg.json", dir);
	assert_int_equal(sg_config_load_string(text, path, &cfg_a, err, sizeof(err)), 0);
	free(text);
	assert_int_equal(sg_config_check_files(&cfg_a, err, sizeof(err)), 0);

	snprintf(path, sizeof(path), "%s/u.json", dir);
	unlink(path);
	assert_int_equal(sg_config_check_files(&cfg_a, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ": $.auth.local.users_file: "));
	assert_non_null(strstr(err, "/u.json: No such file or directory"));

	/* With RADIUS the users file is not needed; a missing key file is. */
	cfg_a.auth.backend = SG_CONFIG_BACKEND_RADIUS;
	assert_int_equal(sg_config_check_files(&cfg_a, err, sizeof(err)), 0);
	snprintf(cfg_a.tls.key.resolved, sizeof(cfg_a.tls.key.resolved), "%s/nokey.pem", dir);
	assert_int_equal(sg_config_check_files(&cfg_a, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ": $.tls.key: "));
	sg_config_free(&cfg_a);

	snprintf(path, sizeof(path), "%s/c.pem", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_default_config_loads),
	    cmocka_unit_test(shipped_radius_example_loads),
	    cmocka_unit_test(shipped_users_file_loads_with_lib_aaa),
	    cmocka_unit_test(defaults_are_the_documented_values),
	    cmocka_unit_test(base_config_loads_with_every_section),
	    cmocka_unit_test(broken_configs_name_their_json_path),
	    cmocka_unit_test(errors_fit_small_buffers_and_files_report_errno),
	    cmocka_unit_test(every_default_applies_when_the_key_is_left_out),
	    cmocka_unit_test(readme_documents_exactly_the_directive_table),
	    cmocka_unit_test(check_files_names_the_key_of_a_missing_file),
	    cmocka_unit_test(dump_loads_back_to_the_same_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
