// SPDX-License-Identifier: BSD-3-Clause
// sg_tcp.h is a contract: it compiles alone as C++ and its types are usable.
#include "sg_tcp.h"

#include <cstdio>

int main()
{
	sg_tcp_config cfg{};
	cfg.max_conns = 1;
	sg_tcp_stats st{};
	sg_tcp_stats_add(&st, &st);
	static_assert(sizeof(sg_tcp_stats) % 64 == 0, "stats are cache-line sized");
	std::printf("%s %s\n", sg_tcp_drop_name(SG_TCP_DROP_PAWS),
		    sg_tcp_state_name(SG_TCP_LISTEN));
	return cfg.max_conns == 1 && st.rx_segs == 0 ? 0 : 1;
}
