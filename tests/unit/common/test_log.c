/* SPDX-License-Identifier: BSD-3-Clause */
/* The log hook: libraries never print; lines reach only the registered handler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sg_log.h"

static char last_line[600];
static enum sg_log_lib last_lib;
static int calls;

static void capture(enum sg_log_lib lib, enum sg_log_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	last_lib = lib;
	snprintf(last_line, sizeof(last_line), "%s", line);
	calls++;
}

static void lines_reach_the_handler_with_their_library(void **state)
{
	(void)state;
	calls = 0;
	sg_log_set_handler(capture, NULL);
	sg_log_set_level(SG_LOG_INFO);
	SG_LOG(SSTP, WARNING, "bad length %u", 4096u);
	assert_int_equal(calls, 1);
	assert_int_equal(last_lib, SG_LOG_LIB_SSTP);
	assert_string_equal(last_line, "bad length 4096");
	assert_string_equal(sg_log_lib_name(last_lib), "sstp");
}

static void lines_below_the_level_are_dropped(void **state)
{
	(void)state;
	calls = 0;
	sg_log_set_handler(capture, NULL);
	sg_log_set_level(SG_LOG_NOTICE);
	SG_LOG(TCP, DEBUG, "noise");
	assert_int_equal(calls, 0);
	SG_LOG(TCP, ERR, "loud");
	assert_int_equal(calls, 1);
}

static void no_handler_means_silence(void **state)
{
	(void)state;
	calls = 0;
	sg_log_set_handler(NULL, NULL);
	SG_LOG(PPP, ERR, "nobody hears this");
	assert_int_equal(calls, 0);
	assert_string_equal(sg_log_lib_name(SG_LOG_LIB_COUNT), "?");
}

static void long_lines_are_cut_not_overflowed(void **state)
{
	char big[2000];
	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sg_log_set_handler(capture, NULL);
	sg_log_set_level(SG_LOG_DEBUG);
	SG_LOG(APP, INFO, "%s", big);
	assert_int_equal(strlen(last_line), 511);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_reach_the_handler_with_their_library),
		cmocka_unit_test(lines_below_the_level_are_dropped),
		cmocka_unit_test(no_handler_means_silence),
		cmocka_unit_test(long_lines_are_cut_not_overflowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
