/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL arguments from the config, the lcore layout check, and sg_log -> rte_log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "sg_app.h"

#define MAX_ARGS (SG_CONFIG_MAX_EAL_ARGS + 64)

/* One rte_log type per library; written once before workers start. */
static int log_types[SG_LOG_LIB_COUNT];

static void log_stderr(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void) level;
	(void) arg;
	fprintf(stderr, "sstpgw.%s: %s\n", sg_log_lib_name(lib), line);
}

static void log_rte(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void) arg;
	rte_log((uint32_t) level, (uint32_t) log_types[lib], "sstpgw.%s: %s\n",
		sg_log_lib_name(lib), line);
}

void sg_app_log_to_stderr(void)
{
	sg_log_set_handler(log_stderr, NULL);
	sg_log_set_level(SG_LOG_INFO);
}

static int log_setup(struct sg_app *app)
{
	enum sg_log_level most = app->cfg.log.level;
	int i;

	for (i = 0; i < SG_LOG_LIB_COUNT; i++) {
		char name[64];
		int level = app->cfg.log.lib_level[i] >= 0 ? app->cfg.log.lib_level[i]
							   : (int) app->cfg.log.level;
		snprintf(name, sizeof(name), "sstpgw.%s", sg_log_lib_name((enum sg_log_lib) i));
		log_types[i] = rte_log_register_type_and_pick_level(name, (uint32_t) level);
		if (log_types[i] < 0) {
			fprintf(stderr, "sstpgw: cannot register log type %s\n", name);
			return -ENOSPC;
		}
		if (level > (int) most)
			most = (enum sg_log_level) level;
	}
	if (app->cfg.log.file.given[0] != '\0') {
		app->log_file = fopen(app->cfg.log.file.resolved, "a");
		if (app->log_file == NULL) {
			fprintf(stderr, "sstpgw: %s: %s\n", app->cfg.log.file.resolved,
				strerror(errno));
			return -errno;
		}
		setvbuf(app->log_file, NULL, _IOLBF, 0);
		rte_openlog_stream(app->log_file);
	}
	sg_log_set_level(most);
	sg_log_set_handler(log_rte, NULL);
	return 0;
}

static bool has_arg(int argc, char **argv, const char *const *names)
{
	int i, k;

	for (i = 1; i < argc; i++)
		for (k = 0; names[k] != NULL; k++) {
			size_t n = strlen(names[k]);
			if (strncmp(argv[i], names[k], n) == 0 &&
			    (argv[i][n] == '\0' || argv[i][n] == '='))
				return true;
		}
	return false;
}

static int add_arg(char **argv, int *argc, const char *s)
{
	if (*argc >= MAX_ARGS - 1)
		return -E2BIG;
	argv[*argc] = strdup(s);
	if (argv[*argc] == NULL)
		return -ENOMEM;
	(*argc)++;
	return 0;
}

/* The EAL gets: program name, config eal.args, then what followed "--";
 * the lcore list and the main lcore come from "lcores" unless given. */
static int build_args(struct sg_app *app, const char *prog, int n_extra, char **extra, char **argv,
		      int *argc)
{
	static const char *const lcore_opts[] = {"-l", "-c", "--lcores", NULL};
	static const char *const main_opts[] = {"--main-lcore", NULL};
	static const char *const tel_opts[] = {"--no-telemetry", "--telemetry", NULL};
	char buf[SG_CONFIG_MAX_WORKERS * 5 + 16];
	unsigned int i;
	int rc = 0, k;

	*argc = 0;
	rc |= add_arg(argv, argc, prog);
	for (i = 0; i < app->cfg.n_eal_args; i++)
		rc |= add_arg(argv, argc, app->cfg.eal_args[i]);
	for (k = 0; k < n_extra; k++)
		rc |= add_arg(argv, argc, extra[k]);
	if (rc != 0)
		return -E2BIG;
	if (!has_arg(*argc, argv, lcore_opts)) {
		size_t off = (size_t) snprintf(buf, sizeof(buf), "%u", app->cfg.lcores.control);
		for (i = 0; i < app->cfg.lcores.n_workers; i++)
			off += (size_t) snprintf(buf + off, sizeof(buf) - off, ",%u",
						 app->cfg.lcores.workers[i]);
		rc |= add_arg(argv, argc, "-l");
		rc |= add_arg(argv, argc, buf);
	}
	if (!has_arg(*argc, argv, main_opts)) {
		snprintf(buf, sizeof(buf), "--main-lcore=%u", app->cfg.lcores.control);
		rc |= add_arg(argv, argc, buf);
	}
	if (!app->cfg.telemetry && !has_arg(*argc, argv, tel_opts))
		rc |= add_arg(argv, argc, "--no-telemetry");
	argv[*argc] = NULL;
	return rc != 0 ? -E2BIG : 0;
}

static int check_lcores(struct sg_app *app)
{
	unsigned int i, main_lcore = rte_get_main_lcore();

	if (main_lcore != app->cfg.lcores.control) {
		SG_LOG(APP, ERR, "%s: $.lcores.control is %u but the EAL main lcore is %u",
		       app->cfg_path, app->cfg.lcores.control, main_lcore);
		return -EINVAL;
	}
	if (app->cfg.lcores.n_workers == 0) {
		SG_LOG(APP, ERR, "%s: $.lcores.workers: at least one worker lcore is needed",
		       app->cfg_path);
		return -EINVAL;
	}
	for (i = 0; i < app->cfg.lcores.n_workers; i++) {
		unsigned int l = app->cfg.lcores.workers[i];
		if (l >= RTE_MAX_LCORE || !rte_lcore_is_enabled(l) || l == main_lcore) {
			SG_LOG(APP, ERR,
			       "%s: $.lcores.workers[%u]: lcore %u is not an enabled worker lcore"
			       " of the EAL (check -l/--lcores)",
			       app->cfg_path, i, l);
			return -EINVAL;
		}
		app->worker_lcores[i] = l;
	}
	app->n_workers = app->cfg.lcores.n_workers;
	return 0;
}

/* The EAL's runtime directory, removed at exit (after telemetry's own atexit
 * handler unlinked its socket: handlers run in reverse order of registration). */
static char run_dir[PATH_MAX];

static void remove_run_dir(void)
{
	if (run_dir[0] != '\0' && rmdir(run_dir) != 0 && errno != ENOENT && errno != ENOTEMPTY)
		fprintf(stderr, "sstpgw: %s: %s\n", run_dir, strerror(errno));
}

int sg_app_eal_init(struct sg_app *app, const char *prog, int n_extra, char **extra)
{
	char *argv[MAX_ARGS];
	char *keep[MAX_ARGS];
	int argc = 0, i, rc;

	memset(argv, 0, sizeof(argv));
	rc = build_args(app, prog, n_extra, extra, argv, &argc);
	memcpy(keep, argv, sizeof(argv)); /* rte_eal_init may permute argv */
	atexit(remove_run_dir);
	if (rc < 0) {
		fprintf(stderr, "sstpgw: too many EAL arguments\n");
		goto out;
	}
	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		rc = -rte_errno;
		fprintf(stderr, "sstpgw: EAL init failed: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	app->eal_up = true;
	rc = log_setup(app);
	if (rc < 0)
		goto out;
	app->tsc_hz = rte_get_tsc_hz();
	app->tsc_per_usec = app->tsc_hz >= 1000000 ? app->tsc_hz / 1000000 : 1;
	rc = check_lcores(app);
out:
	for (i = 0; i < argc; i++)
		free(keep[i]);
	return rc < 0 ? rc : 0;
}

void sg_app_eal_fini(struct sg_app *app)
{
	sg_log_set_handler(log_stderr, NULL);
	if (!app->eal_up)
		return;
	snprintf(run_dir, sizeof(run_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	app->eal_up = false;
	/* Leave nothing in /run/dpdk: the EAL keeps its directory; remove_run_dir()
	 * takes it once empty. */
	if (app->log_file != NULL) {
		rte_openlog_stream(NULL);
		fclose(app->log_file);
		app->log_file = NULL;
	}
}
