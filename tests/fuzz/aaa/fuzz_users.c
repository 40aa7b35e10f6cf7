/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: the local users file parser (JSON and chap-secrets text). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sg_aaa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct sg_aaa_local *l =
	    sg_aaa_local_parse("users", (const char *) data, size, err, sizeof(err));

	if (l != NULL) {
		struct sg_aaa_auth_req rq;
		struct sg_aaa_result res;

		memset(&rq, 0, sizeof(rq));
		rq.method = SG_AAA_PAP;
		memcpy(rq.user, "alice", 5);
		memcpy(rq.password, "pw", 2);
		(void) sg_aaa_local_auth(l, &rq, &res);
		sg_aaa_local_free(l);
	} else if (memchr(err, '\0', sizeof(err)) == NULL) {
		__builtin_trap();
	}
	return 0;
}
