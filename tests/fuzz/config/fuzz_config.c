/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arbitrary bytes into sg_config_load_string. Beyond "no crash, no leak, no UB"
 * it checks the contract: success leaves no message and counts within their
 * limits and its JSON dump loads back to the same struct; failure is -EINVAL or
 * -ENOMEM with one line "<name>: $...: reason".
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_config.h"

static struct sg_config cfg, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char name[] = "/etc/sstpgw/fuzz.json";
	char err[512];
	char *text = malloc(size + 1);
	int rc;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	rc = sg_config_load_string(text, name, &cfg, err, sizeof(err));
	free(text);
	if (rc == 0) {
		if (err[0] != 0 || cfg.lcores.n_workers < 1 ||
		    cfg.lcores.n_workers > SG_CONFIG_MAX_WORKERS ||
		    cfg.n_pools > SG_CONFIG_MAX_POOLS || cfg.n_eal_args > SG_CONFIG_MAX_EAL_ARGS ||
		    cfg.ports.wan.n_routes > SG_CONFIG_MAX_ROUTES ||
		    cfg.auth.radius.n_servers > SG_CONFIG_MAX_RADIUS_SERVERS ||
		    cfg.ppp.n_auth < 1 || cfg.sstp.crypto_binding == 0 ||
		    memchr(cfg.tls.certificate.resolved, 0, sizeof(cfg.tls.certificate.resolved)) ==
			NULL)
			abort();
		char *dump = NULL;
		if (sg_config_to_json(&cfg, true, &dump) == 0) {
			if (sg_config_load_string(dump, name, &again, err, sizeof(err)) != 0 ||
			    memcmp(&cfg, &again, sizeof(cfg)) != 0)
				abort();
			sg_config_free(&again);
		}
		free(dump);
	} else {
		if ((rc != -EINVAL && rc != -ENOMEM) ||
		    strncmp(err, "/etc/sstpgw/fuzz.json: $", strlen(name) + 3) != 0 ||
		    strchr(err, '\n') != NULL || strstr(err + strlen(name) + 2, ": ") == NULL)
			abort();
	}
	sg_config_free(&cfg);
	return 0;
}
