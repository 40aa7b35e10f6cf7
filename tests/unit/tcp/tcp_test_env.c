/* SPDX-License-Identifier: BSD-3-Clause */
#include "tcp_test_env.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

static char runtime_dir[PATH_MAX];

/* --no-shconf still creates an empty /run/dpdk/<prefix>: remove it so runs leave nothing. */
static void remove_runtime_dir(void)
{
	if (runtime_dir[0] != '\0')
		rmdir(runtime_dir);
}

int tcp_test_eal_init(void)
{
	static int done;
	if (done)
		return 0;
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "--file-prefix=sgtcp%ld", (long) getpid());
	char *argv[] = {
	    "tcp_test", "--no-huge",	  "--no-pci",	    "--no-shconf",	   "-m",
	    "512",	"--iova-mode=va", "--no-telemetry", "--log-level=*:error", prefix,
	    NULL};
	if (rte_eal_init((int) (sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(remove_runtime_dir);
	done = 1;
	return 0;
}

struct rte_mempool *tcp_test_pool(const char *name, unsigned n, uint16_t data_room)
{
	return rte_pktmbuf_pool_create(name, n, 0, 0, data_room, SOCKET_ID_ANY);
}

long tcp_test_env(const char *name, long def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	return strtol(v, NULL, 0);
}

int tcp_test_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#endif
#endif
	return 0;
}
