// SPDX-License-Identifier: BSD-3-Clause
// sg_config.h is a contract for C++ users too (bench shims, tools): it must compile
// alone as C++ and link against the C library.
#include "sg_config.h"

#include <cstdio>
#include <memory>
#include <string_view>

int main()
{
	auto cfg = std::make_unique<sg_config>();
	sg_config_defaults(cfg.get());
	if (cfg->listen.port != 443 ||
	    std::string_view(sg_config_backend_name(cfg->auth.backend)) != "local")
		return 1;
	char err[256];
	int rc = sg_config_load_string("{", "cpp.json", cfg.get(), err, sizeof(err));
	sg_config_free(cfg.get());
	if (rc == 0 || std::string_view(err).rfind("cpp.json: $: ", 0) != 0) {
		std::fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}
