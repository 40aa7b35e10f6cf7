/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/config: shipped configs load and every broken config names its JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "sg_config.h"

#define SRC SG_SOURCE_ROOT "/config/"

static void shipped_default_config_loads(void **state)
{
	static struct sg_config cfg;
	char err[512];
	char a[INET6_ADDRSTRLEN];

	(void)state;
	int rc = sg_config_load_file(SRC "sstpgw.json", &cfg, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(cfg.lcores.control, 0);
	assert_int_equal(cfg.lcores.n_workers, 1);
	assert_int_equal(cfg.lcores.workers[0], 1);
	assert_string_equal(cfg.ports.wan.devargs, "net_af_packet0,iface=sgwan0");
	inet_ntop(AF_INET, &cfg.ports.wan.ipv4.addr, a, sizeof(a));
	assert_string_equal(a, "192.0.2.1");
	assert_int_equal(cfg.ports.wan.ipv4.len, 24);
	assert_int_equal(cfg.n_pools, 1);
	assert_string_equal(cfg.tls.certificate.given, "lab-cert/server.pem");
	assert_string_equal(cfg.tls.certificate.resolved, SRC "lab-cert/server.pem");
	assert_string_equal(cfg.auth.local.users_file.resolved, SRC "users.json");
	assert_int_equal(cfg.sstp.crypto_binding, SG_CONFIG_HASH_SHA1 | SG_CONFIG_HASH_SHA256);
	sg_config_free(&cfg);
	sg_config_free(&cfg);
}

static void shipped_radius_example_loads(void **state)
{
	static struct sg_config cfg;
	char err[512];

	(void)state;
	int rc = sg_config_load_file(SRC "radius.example.json", &cfg, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(cfg.auth.backend, SG_CONFIG_BACKEND_RADIUS);
	assert_int_equal(cfg.auth.radius.n_servers, 1);
	assert_true(cfg.auth.radius.has_coa);
	sg_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_default_config_loads),
		cmocka_unit_test(shipped_radius_example_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
