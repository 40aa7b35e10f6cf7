/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstpgw -c FILE [--check-config] [-- EAL args]
 *
 * --check-config: load and validate FILE and the files it names, print the
 * error line or "FILE: OK", exit 0/1; no EAL. Otherwise run the gateway until
 * SIGINT/SIGTERM, then stop workers, close ports, free pools, clean the EAL.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sg_app.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: sstpgw -c FILE [--check-config] [-- EAL arguments]\n"
		   "       sstpgw --check-config FILE\n"
		   "  -c, --config FILE   configuration (JSON), see config/README.md\n"
		   "  --check-config      validate the configuration and the files it names, exit\n"
		   "  -h, --help          this text\n"
		   "EAL arguments come from $.eal.args, then from after \"--\".\n");
}

static int check_config(const char *path)
{
	struct sg_config *cfg = calloc(1, sizeof(*cfg));
	char err[1024] = "";
	int rc;

	if (cfg == NULL)
		return 1;
	rc = sg_config_load_file(path, cfg, err, sizeof(err));
	if (rc == 0)
		rc = sg_config_check_files(cfg, err, sizeof(err));
	if (rc == 0)
		printf("%s: OK\n", path);
	else
		fprintf(stderr, "%s\n", err[0] ? err : "invalid configuration");
	sg_config_free(cfg);
	free(cfg);
	return rc == 0 ? 0 : 1;
}

static int run(struct sg_app *app, const char *prog, int n_extra, char **extra)
{
	char err[1024] = "";
	int rc;

	rc = sg_config_load_file(app->cfg_path, &app->cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s\n", err[0] ? err : "invalid configuration");
		return rc;
	}
	/* From here on a signal means "stop cleanly", even during start-up. */
	sg_app_control_signals_install();
	rc = sg_app_eal_init(app, prog, n_extra, extra);
	if (rc == 0 && app->cfg.telemetry)
		rc = sg_app_telemetry_register(app);
	if (rc == 0)
		rc = sg_app_ports_open(app);
	if (rc == 0)
		rc = sg_app_control_setup(app);
	if (rc == 0)
		rc = sg_app_control_run(app);
	sg_app_telemetry_unregister();
	sg_app_control_teardown(app);
	if (app->eal_up)
		sg_app_ports_close(app);
	SG_LOG(APP, NOTICE, "sstpgw stopped%s", rc == 0 ? "" : " after an error");
	sg_app_eal_fini(app);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check-config", optional_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	bool check = false;
	struct sg_app *app;
	int c, rc;

	sg_app_log_to_stderr();
	/* "+": stop at the first non-option; "--" ends ours, the rest is the EAL's. */
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			check = true;
			if (optarg != NULL)
				path = optarg;
			else if (optind < argc && argv[optind][0] != '-' && path == NULL)
				path = argv[optind++];
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (path == NULL) {
		usage(stderr);
		return 2;
	}
	if (check)
		return check_config(path);
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "sstpgw: unexpected argument \"%s\" (EAL arguments go after --)\n",
			argv[optind]);
		return 2;
	}
	app = aligned_alloc(SG_STATS_CACHE_LINE, (sizeof(*app) + SG_STATS_CACHE_LINE - 1) /
						     SG_STATS_CACHE_LINE * SG_STATS_CACHE_LINE);
	if (app == NULL) {
		fprintf(stderr, "sstpgw: out of memory\n");
		return 1;
	}
	memset(app, 0, sizeof(*app));
	app->cfg_path = path;
	rc = run(app, argv[0], argc - optind, argv + optind);
	sg_config_free(&app->cfg);
	free(app);
	return rc == 0 ? 0 : 1;
}
