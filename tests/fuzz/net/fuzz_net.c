/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net input on arbitrary frames: never reads or writes outside the buffer
 * (exactly len bytes plus the slack the first byte asks for), never replies
 * with more than the room it was given, every drop has a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sg_net.h"
#include "sg_net_neigh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x01};
	static const uint8_t ip4[4] = {192, 0, 2, 1};
	static const uint8_t ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};
	static struct sg_net_neigh_table *nt;
	struct sg_net_iface ifc;
	struct sg_net_result res;
	size_t slack, len;
	uint8_t *buf;

	if (size < 1)
		return 0;
	if (nt == NULL)
		nt = sg_net_neigh_create(8, NULL);
	slack = data[0] & 0x7f;
	len = size - 1;
	if (sg_net_iface_init(&ifc, mac, ip4, 24, (data[0] & 0x80) ? ip6 : NULL, 64) != 0)
		abort();
	buf = malloc(len + slack + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, len);
	sg_net_input(&ifc, nt, (sg_usec_t)size * 1000, buf, len, len + slack, &res);
	if (res.action == SG_NET_ACT_DROP && res.drop == SG_NET_DROP_NONE)
		abort();
	if (res.action == SG_NET_ACT_REPLY && (res.len > len + slack || res.len < 42))
		abort();
	if (res.action == SG_NET_ACT_LOCAL && (res.len > len || res.l4_off > res.len))
		abort();
	sg_net_neigh_age(nt, (sg_usec_t)size * 1000000);
	free(buf);
	return 0;
}
