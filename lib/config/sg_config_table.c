/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schema: one row per key. Type, flags, range, target field, default (as
 * JSON text) and a one-line doc. config/README.md documents the same rows; a
 * unit test fails when the two differ.
 */
#include <stddef.h>

#include "sg_config_priv.h"

/*
 * clang-format would put every field of every row on its own line and double
 * the file; a row per key, as written, is what makes the table reviewable.
 */
/* clang-format off */

#define F(T, f)   .off = offsetof(T, f), .size = sizeof(((T *)0)->f)
#define SET(T, f) .set_off = offsetof(T, f) + 1
#define CNT(T, f) .count_off = offsetof(T, f)
#define RANGE(a, b) .min = (a), .max = (b)
#define END       {.key = NULL}

#define REQ  SG_CFG_REQUIRED
#define NULLABLE SG_CFG_NULLABLE
#define UNIQ SG_CFG_UNIQUE

const char *const sg_cfg_tls_version_names[] = {"1.0", "1.1", "1.2", "1.3", NULL};
const char *const sg_cfg_hash_names[] = {"sha1", "sha256", NULL};
const int sg_cfg_hash_values[] = {SG_CONFIG_HASH_SHA1, SG_CONFIG_HASH_SHA256};
const char *const sg_cfg_auth_names[] = {"mschapv2", "pap", "chap-md5", "eap", NULL};
const char *const sg_cfg_backend_names[] = {"local", "radius", NULL};
const char *const sg_cfg_log_level_names[] = {"err", "warning", "notice", "info", "debug", NULL};
const int sg_cfg_log_level_values[] = {SG_LOG_ERR, SG_LOG_WARNING, SG_LOG_NOTICE, SG_LOG_INFO,
				       SG_LOG_DEBUG};

/* ---- eal, lcores ---- */

static const struct sg_cfg_dir eal_arg = {.key = "", .type = &sg_cfg_string, RANGE(1, 255),
					  .size = SG_CONFIG_MAX_EAL_ARG_LEN};

static const struct sg_cfg_dir eal_tab[] = {
	{.key = "args", .type = &sg_cfg_array, RANGE(0, SG_CONFIG_MAX_EAL_ARGS),
	 F(struct sg_config, eal_args), CNT(struct sg_config, n_eal_args), .elem = &eal_arg,
	 .def = "[]",
	 .doc = "extra EAL arguments (strings, 1..255 bytes each), before any given after `--`; "
		"not -l/-c/--lcores/--main-lcore (set from $.lcores)"},
	END,
};

static const struct sg_cfg_dir worker_lcore = {.key = "", .type = &sg_cfg_uint,
					       RANGE(0, SG_CONFIG_MAX_LCORE - 1),
					       .size = sizeof(uint16_t)};

#define LC struct sg_config
static const struct sg_cfg_dir lcores_tab[] = {
	{.key = "control", .type = &sg_cfg_uint, RANGE(0, SG_CONFIG_MAX_LCORE - 1),
	 F(LC, lcores.control), .def = "0",
	 .doc = "lcore id of the control thread (EAL main lcore): config, auth, pools, telemetry"},
	{.key = "workers", .type = &sg_cfg_array, .flags = UNIQ, RANGE(1, SG_CONFIG_MAX_WORKERS),
	 F(LC, lcores.workers), CNT(LC, lcores.n_workers), .elem = &worker_lcore, .def = "[1]",
	 .doc = "lcore ids of the workers (0..127 each, distinct, none equal to control); one "
		"RX/TX queue pair per worker on each port"},
	END,
};
#undef LC

/* ---- ports ---- */

#define RT struct sg_config_route
static const struct sg_cfg_dir route_tab[] = {
	{.key = "prefix", .type = &sg_cfg_route_prefix, .flags = REQ, F(RT, prefix4),
	 .doc = "destination prefix (IPv4 or IPv6, host bits clear)"},
	{.key = "via", .type = &sg_cfg_route_via, .flags = REQ, F(RT, via4),
	 .doc = "next hop, same family as prefix, on the port's subnet (IPv6: or link-local)"},
	END,
};
#undef RT

static const struct sg_cfg_dir route_elem = {.key = "", .type = &sg_cfg_object,
					     .size = sizeof(struct sg_config_route),
					     .children = route_tab};

#define PT struct sg_config_port
#define PORT_TAB(name, what)                                                                       \
	static const struct sg_cfg_dir name[] = {                                                  \
		{.key = "devargs", .type = &sg_cfg_string, .flags = REQ, RANGE(1, 255),           \
		 F(PT, devargs),                                                                   \
		 .doc = "DPDK device: a PCI address or a vdev (\"net_af_packet0,iface=veth0\", "  \
			"\"net_tap0,iface=t0\", \"net_memif0,...\")"},                             \
		{.key = "ipv4", .type = &sg_cfg_ifaddr4, .flags = REQ, RANGE(1, 32), F(PT, ipv4), \
		 .doc = "the gateway's " what " IPv4 address and on-link prefix length"},         \
		{.key = "ipv6", .type = &sg_cfg_ifaddr6, .flags = NULLABLE, RANGE(1, 128),        \
		 F(PT, ipv6), SET(PT, has_ipv6), .def = "null",                                    \
		 .doc = "the gateway's " what " IPv6 address and on-link prefix length"},         \
		{.key = "gateway4", .type = &sg_cfg_ipv4, .flags = NULLABLE, F(PT, gateway4),     \
		 SET(PT, has_gateway4), .def = "null",                                             \
		 .doc = "IPv4 default router on this port (on the ipv4 subnet)"},                 \
		{.key = "gateway6", .type = &sg_cfg_ipv6, .flags = NULLABLE, F(PT, gateway6),     \
		 SET(PT, has_gateway6), .def = "null",                                             \
		 .doc = "IPv6 default router on this port (on the ipv6 subnet, or link-local)"},  \
		{.key = "mtu", .type = &sg_cfg_uint, RANGE(576, 9000), F(PT, mtu), .def = "1500", \
		 .doc = "IP MTU of the port (>= 1280 when ipv6 is set)"},                         \
		{.key = "rx_desc", .type = &sg_cfg_uint, RANGE(64, 16384), F(PT, rx_desc),        \
		 .def = "1024", .doc = "RX descriptors per queue"},                                \
		{.key = "tx_desc", .type = &sg_cfg_uint, RANGE(64, 16384), F(PT, tx_desc),        \
		 .def = "1024", .doc = "TX descriptors per queue"},                                \
		{.key = "proxy_arp", .type = &sg_cfg_bool, F(PT, proxy_arp), .def = "false",      \
		 .doc = "answer ARP/NDP on this port for addresses of connected clients"},        \
		{.key = "routes", .type = &sg_cfg_array, RANGE(0, SG_CONFIG_MAX_ROUTES),          \
		 F(PT, routes), CNT(PT, n_routes), .elem = &route_elem, .def = "[]",               \
		 .doc = "static routes out of this port (more specific than the gateway)"},       \
		END,                                                                               \
	}
PORT_TAB(wan_tab, "WAN (client-facing)");
PORT_TAB(lan_tab, "LAN (inside)");
#undef PT

static const struct sg_cfg_dir ports_tab[] = {
	{.key = "wan", .type = &sg_cfg_object, .flags = REQ, F(struct sg_config, ports.wan),
	 .children = wan_tab, .doc = "the client-facing port: SSTP over TCP 443 arrives here"},
	{.key = "lan", .type = &sg_cfg_object, .flags = REQ, F(struct sg_config, ports.lan),
	 .children = lan_tab, .doc = "the inside port: clients' inner packets leave here"},
	END,
};

static const struct sg_cfg_dir listen_tab[] = {
	{.key = "port", .type = &sg_cfg_uint, RANGE(1, 65535), F(struct sg_config, listen.port),
	 .def = "443", .doc = "TCP port of the SSTP (HTTPS) listener on the WAN addresses"},
	END,
};

/* ---- tls ---- */

#define TT struct sg_config_tls
static const struct sg_cfg_dir tls_tab[] = {
	{.key = "certificate", .type = &sg_cfg_path, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_PATH_LEN - 1), F(TT, certificate),
	 .doc = "server certificate, PEM; relative to the config file's directory"},
	{.key = "key", .type = &sg_cfg_path, .flags = REQ, RANGE(1, SG_CONFIG_MAX_PATH_LEN - 1),
	 F(TT, key), .doc = "private key of the certificate, PEM, unencrypted"},
	{.key = "chain", .type = &sg_cfg_path, .flags = NULLABLE,
	 RANGE(1, SG_CONFIG_MAX_PATH_LEN - 1), F(TT, chain), .def = "null",
	 .doc = "intermediate certificates sent after the certificate, PEM"},
	{.key = "ciphers", .type = &sg_cfg_string, RANGE(1, SG_CONFIG_MAX_CIPHERS_LEN - 1),
	 F(TT, ciphers),
	 .def = "\"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-"
		"SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-"
		"CHACHA20-POLY1305\"",
	 .doc = "OpenSSL cipher list for TLS 1.2 and below"},
	{.key = "ciphersuites", .type = &sg_cfg_string, RANGE(1, SG_CONFIG_MAX_CIPHERS_LEN - 1),
	 F(TT, ciphersuites),
	 .def = "\"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256\"",
	 .doc = "OpenSSL TLS 1.3 ciphersuites"},
	{.key = "min_version", .type = &sg_cfg_enum, F(TT, min_version),
	 .names = sg_cfg_tls_version_names, .def = "\"1.2\"",
	 .doc = "lowest TLS version accepted (1.0/1.1 only for old Windows clients)"},
	{.key = "max_version", .type = &sg_cfg_enum, F(TT, max_version),
	 .names = sg_cfg_tls_version_names, .def = "\"1.3\"",
	 .doc = "highest TLS version offered (>= min_version)"},
	{.key = "engine", .type = &sg_cfg_string, .flags = NULLABLE,
	 RANGE(1, SG_CONFIG_MAX_ENGINE_LEN - 1), F(TT, engine), .def = "null",
	 .doc = "OpenSSL engine or provider for crypto offload (e.g. \"qatengine\"); null = none"},
	{.key = "cert_hash_override", .type = &sg_cfg_hex_hash, .flags = NULLABLE,
	 .off = offsetof(TT, cert_hash_override_len),
	 .size = offsetof(TT, cert_hash_override) + SG_CONFIG_MAX_CERT_HASH_LEN -
		 offsetof(TT, cert_hash_override_len),
	 .def = "null",
	 .doc = "certificate hash for SSTP crypto binding when TLS ends before us (SHA-1 or "
		"SHA-256, hex, ':' allowed); null = hash of certificate"},
	{.key = "first_flight_delay_ms", .type = &sg_cfg_uint, RANGE(0, 1000),
	 F(TT, first_flight_delay_ms), .def = "50",
	 .doc = "milliseconds a connection's first TLS flight is held back (Linux sstpc 1.0.18 "
		"stalls when it arrives at once); 0 = off"},
	END,
};
#undef TT

/* ---- sstp, ppp ---- */

static const struct sg_cfg_dir hash_elem = {.key = "", .type = &sg_cfg_enum, .size = 1,
					    .names = sg_cfg_hash_names,
					    .values = sg_cfg_hash_values};

#define ST struct sg_config_sstp
static const struct sg_cfg_dir sstp_tab[] = {
	{.key = "crypto_binding", .type = &sg_cfg_array, .flags = UNIQ, RANGE(1, 2),
	 F(ST, crypto_binding_pref), CNT(ST, n_crypto_binding_pref), .elem = &hash_elem,
	 .def = "[\"sha256\", \"sha1\"]",
	 .doc = "hash protocols offered for crypto binding, preferred first: \"sha256\", \"sha1\""},
	{.key = "negotiation_timeout", .type = &sg_cfg_uint, RANGE(1, 3600),
	 F(ST, negotiation_timeout), .def = "60",
	 .doc = "seconds from Call Connect Request to Call Connected before the call is dropped"},
	{.key = "hello_interval", .type = &sg_cfg_uint, RANGE(0, 3600), F(ST, hello_interval),
	 .def = "60", .doc = "seconds of silence before an SSTP Echo Request; 0 = off"},
	{.key = "require_crypto_binding", .type = &sg_cfg_bool, F(ST, require_crypto_binding),
	 .def = "true", .doc = "drop calls whose Call Connected carries no valid crypto binding"},
	END,
};
#undef ST

static const struct sg_cfg_dir auth_elem = {.key = "", .type = &sg_cfg_enum, .size = 1,
					    .names = sg_cfg_auth_names};
static const struct sg_cfg_dir dns4_elem = {.key = "", .type = &sg_cfg_ipv4,
					    .size = sizeof(struct in_addr)};
static const struct sg_cfg_dir dns6_elem = {.key = "", .type = &sg_cfg_ipv6,
					    .size = sizeof(struct in6_addr)};

#define PP struct sg_config_ppp
static const struct sg_cfg_dir ppp_tab[] = {
	{.key = "mtu", .type = &sg_cfg_uint, RANGE(576, 1500), F(PP, mtu), .def = "1400",
	 .doc = "largest inner packet we send (LCP MRU we accept from the client is capped here)"},
	{.key = "mru", .type = &sg_cfg_uint, RANGE(576, 1500), F(PP, mru), .def = "1400",
	 .doc = "largest inner packet we receive (our LCP MRU)"},
	{.key = "auth", .type = &sg_cfg_array, .flags = UNIQ, RANGE(1, SG_CONFIG_AUTH_COUNT),
	 F(PP, auth), CNT(PP, n_auth), .elem = &auth_elem,
	 .def = "[\"mschapv2\", \"pap\", \"chap-md5\"]",
	 .doc = "PPP authentication protocols, preferred first: \"mschapv2\", \"pap\", "
		"\"chap-md5\", \"eap\" (relayed to RADIUS; the local users file does EAP-MD5)"},
	{.key = "dns4", .type = &sg_cfg_array, RANGE(0, SG_CONFIG_MAX_DNS), F(PP, dns4),
	 CNT(PP, n_dns4), .elem = &dns4_elem, .def = "[]",
	 .doc = "IPv4 DNS servers given to clients in IPCP (primary, secondary)"},
	{.key = "dns6", .type = &sg_cfg_array, RANGE(0, SG_CONFIG_MAX_DNS), F(PP, dns6),
	 CNT(PP, n_dns6), .elem = &dns6_elem, .def = "[]",
	 .doc = "IPv6 DNS servers announced to clients"},
	{.key = "lcp_echo_interval", .type = &sg_cfg_uint, RANGE(0, 3600),
	 F(PP, lcp_echo_interval), .def = "30",
	 .doc = "seconds between LCP Echo Requests to an idle client; 0 = off"},
	{.key = "lcp_echo_failures", .type = &sg_cfg_uint, RANGE(1, 100),
	 F(PP, lcp_echo_failures), .def = "3",
	 .doc = "unanswered LCP Echo Requests before the session is closed"},
	{.key = "ipv6", .type = &sg_cfg_bool, F(PP, ipv6), .def = "true",
	 .doc = "negotiate IPv6CP (clients get a prefix from their pool's ipv6_prefix)"},
	{.key = "mss_clamp", .type = &sg_cfg_bool, F(PP, mss_clamp), .def = "true",
	 .doc = "clamp TCP MSS of inner SYNs to fit ppp.mtu"},
	END,
};
#undef PP

/* ---- auth ---- */

#define RS struct sg_config_radius_server
static const struct sg_cfg_dir server_tab[] = {
	{.key = "address", .type = &sg_cfg_addr, .flags = REQ, F(RS, address),
	 .doc = "RADIUS server address (IPv4 or IPv6)"},
	{.key = "auth_port", .type = &sg_cfg_uint, RANGE(1, 65535), F(RS, auth_port),
	 .def = "1812", .doc = "UDP port for Access-Request"},
	{.key = "acct_port", .type = &sg_cfg_uint, RANGE(1, 65535), F(RS, acct_port),
	 .def = "1813", .doc = "UDP port for Accounting-Request"},
	{.key = "secret", .type = &sg_cfg_string, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_SECRET_LEN - 1), F(RS, secret),
	 .doc = "shared secret (1..128 bytes; 16 or more advised)"},
	END,
};
#undef RS

#define CC struct sg_config_coa_client
static const struct sg_cfg_dir coa_client_tab[] = {
	{.key = "address", .type = &sg_cfg_addr, .flags = REQ, F(CC, address),
	 .doc = "source address a CoA/Disconnect-Request may come from"},
	{.key = "secret", .type = &sg_cfg_string, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_SECRET_LEN - 1), F(CC, secret),
	 .doc = "shared secret with that client"},
	END,
};
#undef CC

static const struct sg_cfg_dir server_elem = {.key = "", .type = &sg_cfg_object,
					      .size = sizeof(struct sg_config_radius_server),
					      .children = server_tab};
static const struct sg_cfg_dir coa_client_elem = {.key = "", .type = &sg_cfg_object,
						  .size = sizeof(struct sg_config_coa_client),
						  .children = coa_client_tab};

#define CO struct sg_config_coa
static const struct sg_cfg_dir coa_tab[] = {
	{.key = "listen", .type = &sg_cfg_addr, F(CO, listen), .def = "\"127.0.0.1\"",
	 .doc = "address the CoA/Disconnect listener binds (control core, kernel socket)"},
	{.key = "port", .type = &sg_cfg_uint, RANGE(0, 65535), F(CO, port), .def = "3799",
	 .doc = "UDP port of the CoA/Disconnect listener; 0 = any free port (tests)"},
	{.key = "require_message_authenticator", .type = &sg_cfg_bool,
	 F(CO, require_message_authenticator), .def = "true",
	 .doc = "drop requests without a valid Message-Authenticator (radclient adds none "
		"unless asked)"},
	{.key = "clients", .type = &sg_cfg_array, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_COA_CLIENTS), F(CO, clients), CNT(CO, n_clients),
	 .elem = &coa_client_elem, .doc = "who may send CoA/Disconnect-Request"},
	END,
};
#undef CO

#define RR struct sg_config_radius
static const struct sg_cfg_dir radius_tab[] = {
	{.key = "servers", .type = &sg_cfg_array, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_RADIUS_SERVERS), F(RR, servers), CNT(RR, n_servers),
	 .elem = &server_elem, .doc = "RADIUS servers, tried in order (failover)"},
	{.key = "nas_identifier", .type = &sg_cfg_string, RANGE(1, SG_CONFIG_MAX_NAS_ID_LEN - 1),
	 F(RR, nas_identifier), .def = "\"sstpgw\"", .doc = "NAS-Identifier sent in requests"},
	{.key = "nas_ip", .type = &sg_cfg_ipv4, .flags = NULLABLE, F(RR, nas_ip),
	 SET(RR, has_nas_ip), .def = "null",
	 .doc = "NAS-IP-Address sent in requests; null = the WAN IPv4 address"},
	{.key = "timeout", .type = &sg_cfg_uint, RANGE(1, 60), F(RR, timeout), .def = "3",
	 .doc = "seconds to wait for a reply before retrying"},
	{.key = "retries", .type = &sg_cfg_uint, RANGE(0, 10), F(RR, retries), .def = "3",
	 .doc = "retries per server before trying the next"},
	{.key = "dead_time", .type = &sg_cfg_uint, RANGE(0, 3600), F(RR, dead_time), .def = "30",
	 .doc = "seconds a server that did not answer is skipped"},
	{.key = "accounting", .type = &sg_cfg_bool, F(RR, accounting), .def = "true",
	 .doc = "send Accounting-Request Start/Interim-Update/Stop"},
	{.key = "interim_interval", .type = &sg_cfg_uint, RANGE(0, 86400),
	 F(RR, interim_interval), .def = "300",
	 .doc = "seconds between Interim-Updates (Acct-Interim-Interval in Access-Accept wins); "
		"0 = off"},
	{.key = "accounting_queue", .type = &sg_cfg_uint, RANGE(0, 1048576),
	 F(RR, accounting_queue), .def = "1024",
	 .doc = "accounting Stop records kept while every server is down"},
	{.key = "max_inflight", .type = &sg_cfg_uint, RANGE(1, 65536), F(RR, max_inflight),
	 .def = "4096", .doc = "RADIUS requests in flight at once"},
	{.key = "require_message_authenticator", .type = &sg_cfg_bool,
	 F(RR, require_message_authenticator), .def = "true",
	 .doc = "drop replies without a valid Message-Authenticator (false only for old "
		"servers)"},
	{.key = "coa", .type = &sg_cfg_object, .flags = NULLABLE, F(RR, coa), SET(RR, has_coa),
	 .children = coa_tab, .def = "null",
	 .doc = "RFC 5176 CoA/Disconnect listener; absent or null = off"},
	END,
};
#undef RR

static const struct sg_cfg_dir local_tab[] = {
	{.key = "users_file", .type = &sg_cfg_path, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_PATH_LEN - 1), F(struct sg_config_local, users_file),
	 .doc = "local users (JSON, format below); relative to the config file's directory"},
	END,
};

#define AU struct sg_config_auth
static const struct sg_cfg_dir auth_tab[] = {
	{.key = "backend", .type = &sg_cfg_enum, F(AU, backend), .names = sg_cfg_backend_names,
	 .def = "\"local\"", .doc = "who checks passwords: \"local\" (users_file) or \"radius\""},
	{.key = "local", .type = &sg_cfg_object, .flags = NULLABLE, F(AU, local),
	 SET(AU, has_local), .children = local_tab,
	 .doc = "local backend settings; required when backend is \"local\""},
	{.key = "radius", .type = &sg_cfg_object, .flags = NULLABLE, F(AU, radius),
	 SET(AU, has_radius), .children = radius_tab,
	 .doc = "RADIUS backend settings; required when backend is \"radius\""},
	END,
};
#undef AU

/* ---- pools, limits, timers, log, test ---- */

#define PO struct sg_config_pool
static const struct sg_cfg_dir pool_tab[] = {
	{.key = "name", .type = &sg_cfg_string, .flags = REQ,
	 RANGE(1, SG_CONFIG_MAX_POOL_NAME_LEN - 1), F(PO, name),
	 .doc = "pool name, unique (RADIUS Framed-Pool selects it)"},
	{.key = "ipv4", .type = &sg_cfg_prefix4, .flags = NULLABLE, RANGE(8, 32), F(PO, ipv4),
	 SET(PO, has_ipv4), .def = "null",
	 .doc = "IPv4 addresses handed out (one per session); must not overlap a port subnet "
		"or another pool"},
	{.key = "ipv6_prefix", .type = &sg_cfg_prefix6, .flags = NULLABLE, RANGE(16, 128),
	 F(PO, ipv6_prefix), SET(PO, has_ipv6), .def = "null",
	 .doc = "IPv6 space that per-session prefixes are cut from"},
	{.key = "ipv6_prefix_len", .type = &sg_cfg_uint, RANGE(16, 128), F(PO, ipv6_prefix_len),
	 .def = "64", .doc = "length of the prefix given to each session (longer than the ipv6_prefix length, by at most 32)"},
	END,
};
#undef PO

static const struct sg_cfg_dir pool_elem = {.key = "", .type = &sg_cfg_object,
					    .size = sizeof(struct sg_config_pool),
					    .children = pool_tab};

#define LI struct sg_config_limits
static const struct sg_cfg_dir limits_tab[] = {
	{.key = "sessions", .type = &sg_cfg_uint, RANGE(1, 16777216), F(LI, sessions),
	 .def = "100000", .doc = "sessions admitted in total (control core admission)"},
	{.key = "sessions_per_core", .type = &sg_cfg_uint, RANGE(1, 16777216),
	 F(LI, sessions_per_core), .def = "100000",
	 .doc = "session table size per worker (<= tcp_connections_per_core)"},
	{.key = "half_open", .type = &sg_cfg_uint, RANGE(1, 1048576), F(LI, half_open),
	 .def = "4096",
	 .doc = "connections per worker not yet authenticated; past it SYN cookies and drops"},
	{.key = "tcp_connections_per_core", .type = &sg_cfg_uint, RANGE(1, 16777216),
	 F(LI, tcp_connections_per_core), .def = "131072",
	 .doc = "TCP connection table size per worker"},
	{.key = "mbufs", .type = &sg_cfg_uint, RANGE(1023, 16777216), F(LI, mbufs),
	 .def = "65535",
	 .doc = "mbufs in the packet pool (>= workers x all ports' rx_desc + tx_desc)"},
	END,
};
#undef LI

#define TI struct sg_config_timers
static const struct sg_cfg_dir timers_tab[] = {
	{.key = "handshake_timeout", .type = &sg_cfg_uint, RANGE(1, 3600),
	 F(TI, handshake_timeout), .def = "30",
	 .doc = "seconds from SYN to the end of the TLS and HTTP handshakes"},
	{.key = "auth_timeout", .type = &sg_cfg_uint, RANGE(1, 3600), F(TI, auth_timeout),
	 .def = "30", .doc = "seconds for PPP authentication (incl. RADIUS) to finish"},
	{.key = "idle_timeout", .type = &sg_cfg_uint, RANGE(0, 2147483647), F(TI, idle_timeout),
	 .def = "0", .doc = "seconds without inner traffic before disconnect; 0 = off"},
	{.key = "session_timeout", .type = &sg_cfg_uint, RANGE(0, 2147483647),
	 F(TI, session_timeout), .def = "0",
	 .doc = "maximum session length in seconds (RADIUS Session-Timeout wins); 0 = off"},
	{.key = "tcp_keepalive", .type = &sg_cfg_uint, RANGE(0, 86400), F(TI, tcp_keepalive),
	 .def = "60", .doc = "seconds of TCP silence before a keepalive probe; 0 = off"},
	END,
};
#undef TI

#define LG struct sg_config_log
static const struct sg_cfg_dir log_tab[] = {
	{.key = "level", .type = &sg_cfg_enum, F(LG, level), .names = sg_cfg_log_level_names,
	 .values = sg_cfg_log_level_values, .def = "\"info\"",
	 .doc = "lowest severity logged: \"err\", \"warning\", \"notice\", \"info\", \"debug\""},
	{.key = "file", .type = &sg_cfg_path, .flags = NULLABLE,
	 RANGE(1, SG_CONFIG_MAX_PATH_LEN - 1), F(LG, file), .def = "null",
	 .doc = "append log lines to this file; null = stderr"},
	{.key = "libs", .type = &sg_cfg_log_libs, F(LG, lib_level), .def = "{}",
	 .doc = "per-library level, e.g. {\"tcp\": \"debug\"}; keys: common, net, tcp, tls, "
		"sstp, ppp, aaa, ipam, config, driver, app"},
	END,
};
#undef LG

#define IM struct sg_config_impair
static const struct sg_cfg_dir impair_tab[] = {
	{.key = "seed", .type = &sg_cfg_uint, RANGE(0, INT64_MAX), F(IM, seed), .def = "1",
	 .doc = "PRNG seed, so a run can be repeated"},
	{.key = "drop_pct", .type = &sg_cfg_pct, RANGE(0, 100), F(IM, drop_pct), .def = "0",
	 .doc = "percent of packets dropped (fractions allowed)"},
	{.key = "reorder_pct", .type = &sg_cfg_pct, RANGE(0, 100), F(IM, reorder_pct),
	 .def = "0",
	 .doc = "percent of packets held back until 1..3 later ones passed (drop_pct + "
		"reorder_pct <= 100)"},
	{.key = "duplicate_pct", .type = &sg_cfg_pct, RANGE(0, 100), F(IM, duplicate_pct),
	 .def = "0", .doc = "percent of packets sent twice"},
	{.key = "delay_us", .type = &sg_cfg_uint, RANGE(0, 1000000), F(IM, delay_us),
	 .def = "0", .doc = "microseconds every packet is delayed"},
	{.key = "reorder_max_us", .type = &sg_cfg_uint, RANGE(0, 1000000), F(IM, reorder_max_us),
	 .def = "0",
	 .doc = "microseconds a held-back packet waits at most; 0 = the stage's default (1000)"},
	END,
};
#undef IM

static const struct sg_cfg_dir test_tab[] = {
	{.key = "impair", .type = &sg_cfg_object, .flags = NULLABLE,
	 F(struct sg_config, impair), SET(struct sg_config, has_impair), .children = impair_tab,
	 .def = "null",
	 .doc = "TEST ONLY: seeded impairment of the ports' traffic; absent or null = off"},
	END,
};

/* ---- root ---- */

#define RO struct sg_config
static const struct sg_cfg_dir root_tab[] = {
	{.key = "eal", .type = &sg_cfg_object, .size = sizeof(RO), .children = eal_tab,
	 .doc = "DPDK EAL settings"},
	{.key = "lcores", .type = &sg_cfg_object, .size = sizeof(RO), .children = lcores_tab,
	 .doc = "which lcores run what"},
	{.key = "ports", .type = &sg_cfg_object, .flags = REQ, .size = sizeof(RO),
	 .children = ports_tab, .doc = "the two DPDK ports"},
	{.key = "listen", .type = &sg_cfg_object, .size = sizeof(RO), .children = listen_tab,
	 .doc = "the SSTP listener"},
	{.key = "tls", .type = &sg_cfg_object, .flags = REQ, F(RO, tls), .children = tls_tab,
	 .doc = "TLS server settings"},
	{.key = "sstp", .type = &sg_cfg_object, F(RO, sstp), .children = sstp_tab,
	 .doc = "SSTP protocol settings"},
	{.key = "ppp", .type = &sg_cfg_object, F(RO, ppp), .children = ppp_tab,
	 .doc = "PPP settings"},
	{.key = "auth", .type = &sg_cfg_object, F(RO, auth), .children = auth_tab,
	 .doc = "authentication backend"},
	{.key = "pools", .type = &sg_cfg_array, RANGE(0, SG_CONFIG_MAX_POOLS), F(RO, pools),
	 CNT(RO, n_pools), .elem = &pool_elem, .def = "[]",
	 .doc = "client address pools (at least one with backend \"local\"); the first is the "
		"default"},
	{.key = "limits", .type = &sg_cfg_object, F(RO, limits), .children = limits_tab,
	 .doc = "table sizes"},
	{.key = "timers", .type = &sg_cfg_object, F(RO, timers), .children = timers_tab,
	 .doc = "timeouts, in seconds"},
	{.key = "log", .type = &sg_cfg_object, F(RO, log), .children = log_tab,
	 .doc = "logging (through rte_log, one log type per library)"},
	{.key = "telemetry", .type = &sg_cfg_bool, F(RO, telemetry), .def = "true",
	 .doc = "expose stats and sessions on the DPDK telemetry socket (sstpgw-ctl)"},
	{.key = "test", .type = &sg_cfg_object, .size = sizeof(RO), .children = test_tab,
	 .doc = "TEST ONLY settings; never in production configs"},
	END,
};
#undef RO

const struct sg_cfg_dir sg_cfg_root = {.key = "$", .type = &sg_cfg_object,
				       .size = sizeof(struct sg_config), .children = root_tab};
/* clang-format on */
