/* SPDX-License-Identifier: BSD-3-Clause */
#include "sg_log.h"

#include <stdio.h>

/* Written once before workers start, read-only afterwards. */
static sg_log_fn log_fn;
static void *log_arg;
static enum sg_log_level log_level = SG_LOG_INFO;

static const char *const lib_names[SG_LOG_LIB_COUNT] = {
#define SG_LOG_NAME_(id, name) [SG_LOG_LIB_##id] = name,
	SG_LOG_LIBS(SG_LOG_NAME_)
#undef SG_LOG_NAME_
};

void sg_log_set_handler(sg_log_fn fn, void *arg)
{
	log_fn = fn;
	log_arg = arg;
}

void sg_log_set_level(enum sg_log_level level)
{
	log_level = level;
}

const char *sg_log_lib_name(enum sg_log_lib lib)
{
	if ((unsigned int)lib >= SG_LOG_LIB_COUNT)
		return "?";
	return lib_names[lib];
}

void sg_log(enum sg_log_lib lib, enum sg_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (log_fn == NULL || level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_fn(lib, level, line, log_arg);
}
