/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One logging hook for every sstpgw library.
 *
 * Libraries never print: they call SG_LOG(), which hands the formatted line to
 * the handler the application registered (the daemon routes it to rte_log with
 * one log type per library; tests may capture it). With no handler, lines are
 * dropped. The handler is set once at start, before any worker runs.
 */
#ifndef SG_LOG_H
#define SG_LOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Severity, numbered as RTE_LOG_* so the daemon can pass it straight through. */
enum sg_log_level {
	SG_LOG_ERR = 4,
	SG_LOG_WARNING = 5,
	SG_LOG_NOTICE = 6,
	SG_LOG_INFO = 7,
	SG_LOG_DEBUG = 8,
};

/* Every library (and the apps) has one log type: X(enum suffix, name). */
#define SG_LOG_LIBS(X)                                                         \
	X(COMMON, "common")                                                    \
	X(NET, "net")                                                          \
	X(TCP, "tcp")                                                          \
	X(TLS, "tls")                                                          \
	X(SSTP, "sstp")                                                        \
	X(PPP, "ppp")                                                          \
	X(AAA, "aaa")                                                          \
	X(IPAM, "ipam")                                                        \
	X(CONFIG, "config")                                                    \
	X(DRIVER, "driver")                                                    \
	X(APP, "app")

enum sg_log_lib {
#define SG_LOG_ENUM_(id, name) SG_LOG_LIB_##id,
	SG_LOG_LIBS(SG_LOG_ENUM_)
#undef SG_LOG_ENUM_
	SG_LOG_LIB_COUNT
};

/*
 * Receives one formatted line (no trailing newline). Must be thread safe if
 * workers log; the daemon's handler is (rte_log is).
 */
typedef void (*sg_log_fn)(enum sg_log_lib lib, enum sg_log_level level,
			  const char *line, void *arg);

/* Install the handler (NULL drops every line). Not thread safe: call at start. */
void sg_log_set_handler(sg_log_fn fn, void *arg);

/* Lowest severity passed to the handler (default SG_LOG_INFO). */
void sg_log_set_level(enum sg_log_level level);

/* "tcp", "sstp", ...; "?" for an out-of-range value. */
const char *sg_log_lib_name(enum sg_log_lib lib);

/* Format and pass one line to the handler; lines over 512 bytes are cut. */
void sg_log(enum sg_log_lib lib, enum sg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* SG_LOG(SSTP, WARNING, "bad length %u", len) */
#define SG_LOG(lib, level, ...) sg_log(SG_LOG_LIB_##lib, SG_LOG_##level, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* SG_LOG_H */
