/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers every library may use. Conventions (STYLE.md):
 * - time is passed into protocol cores as uint64_t microseconds (sg_usec_t)
 *   from an arbitrary monotonic epoch; cores never read a clock themselves;
 * - functions return 0 or a negative errno; parsers return bytes consumed or
 *   -EAGAIN for "need more input".
 */
#ifndef SG_COMMON_H
#define SG_COMMON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t sg_usec_t;

#define SG_USEC_PER_MSEC 1000ULL
#define SG_USEC_PER_SEC 1000000ULL

#define SG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SG_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SG_UNUSED __attribute__((unused))
#define SG_PACKED __attribute__((packed))

#ifdef __cplusplus
}
#endif

#endif /* SG_COMMON_H */
