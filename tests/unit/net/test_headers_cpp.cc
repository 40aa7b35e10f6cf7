// SPDX-License-Identifier: BSD-3-Clause
// Public headers are contracts: lib/net's and drivers/sg_port.h compile alone as C++ and link.
#include "sg_net.h"
#include "sg_net_mbuf.h"
#include "sg_net_neigh.h"
#include "sg_net_wire.h"
#include "sg_port.h"
#include "sg_port_cksum.h"

int main()
{
	struct sg_net_iface ifc;
	const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
	const uint8_t ip4[4] = {192, 0, 2, 1};
	struct sg_net_neigh_table *t = sg_net_neigh_create(4, nullptr);
	int rc = sg_net_iface_init(&ifc, mac, ip4, 24, nullptr, 0);
	sg_net_neigh_free(t);
	return (rc == 0 && t != nullptr && sizeof(struct sg_net_arp_hdr) == 28 &&
		sizeof(struct sg_port_caps) > 0)
		       ? 0
		       : 1;
}
