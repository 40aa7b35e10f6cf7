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
# LAN packets to the owner (proxy ND answers for client addresses); with the real sstpc
# (sg-sstpc-peer) the kernel does SLAAC and pings over IPv6; with FreeRADIUS a
# Framed-IPv6-Prefix becomes the session's /64; prefixes and sessions return to zero.
#
#   ipv6.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR [SG_SSTPC_PEER]  (root; else 77)
source "$(dirname "$0")/lab.sh"
lab_init "$@"

ip -n "$lan" addr add 2001:db8:2::2/64 dev s0 nodad
ip -n "$lan" -6 route add 2001:db8:100::/48 via 2001:db8:2::1
ip -n "$lan" -6 route add 2001:db8:200::/48 via 2001:db8:2::1
# fixed prefixes (the users file's ipv6_prefix = what RADIUS Framed-IPv6-Prefix gives):
# carol's inside the pool (reserved), dave's outside it (steering table)
python3 - "$tmp/users.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1]))
u += [{"name": "carol", "password": "carol-lab-password", "ipv6_prefix": "2001:db8:100:77::/64"},
      {"name": "dave", "password": "dave-lab-password", "ipv6_prefix": "2001:db8:200:5::/64"}]
json.dump(u, open(sys.argv[1], "w"))
PY
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

out=$(ip netns exec "$lan" ping -6 -c 2 -i 0.3 -W 2 2001:db8:2::1 2>&1) &&
	ok "the LAN server pings the gateway's LAN address (NDP + echo by lib/net)" || bad "LAN ping6 gateway: $out"

# --- 2. anti-spoofing and hop limit toward the LAN
before=$(stat_of anti_spoof)
out=$(cl -u alice -p alice-lab-password --ipv6 --ping6 2001:db8:2::2 --count6 1 --spoof6 2>&1); rc=$?
after=$(stat_of anti_spoof)
[ $rc -eq 0 ] && [ "$after" -gt "$before" ] && ok "spoofed IPv6 source dropped and counted (anti_spoof $before -> $after), real one answered" ||
	bad "spoof6: rc $rc anti_spoof $before -> $after: $out"
out=$(cl -u alice -p alice-lab-password --ipv6 --ping6 2001:db8:2::2 --count6 2 --hlim 1 2>&1); rc=$?
[ $rc -eq 0 ] && ok "hop limit 1: ICMPv6 time exceeded back through the tunnel ($(echo "$out" | grep PINGS6))" ||
	bad "hlim 1: rc $rc: $out"

# --- 3. fixed prefixes: in the pool (reserved) and outside it (steered)
for who in carol:2001:db8:100:77: dave:2001:db8:200:5:; do
	user=${who%%:*} want=${who#*:}
	out=$(cl -u $user -p $user-lab-password --ipv6 --ping6 2001:db8:2::2 --count6 2 2>&1); rc=$?
	a6=$(echo "$out" | awk '/^ADDRESS6/ {print $2}')
	[ $rc -eq 0 ] && [[ "$a6" == $want* ]] && ok "$user: fixed prefix ${want}:/64 -> $a6, $(echo "$out" | grep PINGS6)" ||
		bad "$user: rc $rc: $out"
done

# --- 3b. the LAN server reaches the client: echo, hop limit, packet too big (real kernel)
hold_client() { # output file, extra args...
	local f=$1; shift
	timeout 60 ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --ipv6 "$@" >"$f" 2>&1 &
	bg_pids+=($!)
	local t
	for t in $(seq 1 50); do
		grep -q '^ADDRESS6' "$f" && return 0
		sleep 0.2
	done
	return 1
}
if hold_client "$tmp/hold.out" --hold 30; then
	a6=$(awk '/^ADDRESS6/ {print $2}' "$tmp/hold.out")
	out=$(ip netns exec "$lan" ping -6 -c 3 -i 0.3 -W 2 "$a6" 2>&1) &&
		ok "LAN server pings the client's SLAAC address $a6" || bad "LAN ping6 client: $out"
	sess=$(tel sessions | python3 -c '
import ipaddress, json, sys
d = json.load(sys.stdin)["/sstpgw/sessions"]
for k, v in d.items():
    if isinstance(v, dict) and v.get("ipv6_prefix") and \
            ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(v["ipv6_prefix"]):
        print(v["ipv6_prefix"], v["rx_packets"], v["tx_packets"])' "$a6")
	read -r s_pfx s_rx s_tx <<<"$sess"
	[ -n "${s_pfx:-}" ] && [ "${s_rx:-0}" -ge 3 ] && [ "${s_tx:-0}" -ge 3 ] &&
		ok "telemetry: session prefix $s_pfx, IPv6 packets counted (in $s_rx, out $s_tx)" ||
		bad "telemetry session: '$sess' $(tel sessions)"
	out=$(ip netns exec "$lan" ping -6 -c 1 -t 1 -W 2 "$a6" 2>&1)
	echo "$out" | grep -qi "time exceeded" && ok "LAN hop limit 1: time exceeded from the gateway" ||
		bad "LAN hlim 1: $out"
	before=$(stat_of icmp_too_big_sent)
	out=$(ip netns exec "$lan" ping -6 -c 1 -s 1452 -M do -W 2 "$a6" 2>&1)
	route=$(ip -n "$lan" -6 route get "$a6" 2>&1)
	if [ "$(stat_of icmp_too_big_sent)" -gt "$before" ] && echo "$route" | grep -q "mtu 1400"; then
		ok "1500-byte packet to a 1400-MTU session: packet too big, the server's kernel caches mtu 1400"
	else
		bad "PTB: counter $before -> $(stat_of icmp_too_big_sent), route: $route, ping: $out"
	fi
	out=$(ip netns exec "$lan" ping -6 -c 1 -s 1300 -W 2 "$a6" 2>&1) &&
		ok "1348-byte echo fits the session and is answered" || bad "ping6 -s 1300: $out"
	sleep 9 # past the unsolicited RAs at 0, 4 and 8 s
	kill -TERM "${bg_pids[-1]}" 2>/dev/null; wait "${bg_pids[-1]}"
	ras=$(awk '/^RAS/ {print $2}' "$tmp/hold.out")
	[ "${ras:-0}" -ge 4 ] && ok "RAs on the link: $ras (3 unsolicited at 0/4/8 s + the RS answer)" ||
		bad "RAs received: ${ras:-none}: $(cat "$tmp/hold.out")"
else
	bad "holding client: $(cat "$tmp/hold.out")"
fi

# --- 4. the kernel on a TUN device: SLAAC from our RA, default route, TCP over IPv6
cat >"$tmp/xfer6.py" <<'PY'
import hashlib, os, socket, sys, threading
mode, size = sys.argv[1], 8 * 1024 * 1024
def pump(s, data):
    s.sendall(data); s.shutdown(socket.SHUT_WR)
def drain(s):
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(262144)
        if not b: return h.hexdigest(), n
        h.update(b); n += len(b)
if mode == "server":
    ls = socket.socket(socket.AF_INET6); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("2001:db8:2::2", 5002)); ls.listen(1); ls.settimeout(60)
    s, peer = ls.accept(); s.settimeout(60)
else:
    s = socket.create_connection(("2001:db8:2::2", 5002), timeout=60)
    peer = s.getsockname()
data = os.urandom(size)
t = threading.Thread(target=pump, args=(s, data)); t.start()
got, n = drain(s); t.join()
print("SENT", hashlib.sha256(data).hexdigest(), "GOT", got, n, peer[0])
PY
tun_xfer6() { # label, client args...
	local label=$1; shift
	before=$(stat_of mss_clamped)
	if ! hold_client "$tmp/tun.out" --tun "$tun" --hold 60 "$@"; then
		bad "$label: TUN client: $(cat "$tmp/tun.out")"; return
	fi
	a6=$(awk '/^ADDRESS6/ {print $2}' "$tmp/tun.out")
	local t addrs=""
	for t in $(seq 1 50); do
		addrs=$(ip -n "$cli" -6 addr show dev "$tun" scope global 2>&1)
		echo "$addrs" | grep -q "$a6/64.*dynamic" && break
		sleep 0.2
	done
	echo "$addrs" | grep -q "$a6/64.*dynamic" && ok "$label: the kernel did SLAAC from the RA: $a6/64 dynamic" ||
		bad "$label: no SLAAC address $a6: $addrs"
	ip -n "$cli" -6 route show default | grep -q "via fe80::.* dev $tun proto ra" &&
		ok "$label: default route via the gateway's link-local from the RA" ||
		bad "$label: no RA default route: $(ip -n "$cli" -6 route)"
	timeout 90 ip netns exec "$lan" python3 "$tmp/xfer6.py" server >"$tmp/srv6.out" 2>&1 &
	local srv=$!
	for t in $(seq 1 50); do # until it listens (python starts slowly on a loaded host)
		ip netns exec "$lan" ss -Hltn 'sport = :5002' 2>/dev/null | grep -q . && break
		sleep 0.2
	done
	timeout 90 ip netns exec "$cli" python3 "$tmp/xfer6.py" client >"$tmp/cli6.out" 2>&1
	wait $srv
	read -r _ c_sent _ c_got c_n _ <"$tmp/cli6.out"; read -r _ s_sent _ s_got s_n s_peer <"$tmp/srv6.out"
	if [ -n "${c_sent:-}" ] && [ "$c_sent" = "${s_got:-}" ] && [ "${s_sent:-}" = "${c_got:-}" ] &&
		[ "${c_n:-0}" = 8388608 ] && [ "${s_n:-0}" = 8388608 ] && [ "${s_peer:-}" = "$a6" ]; then
		ok "$label: kernel TCP over IPv6, 8 MB each way from $a6, SHA-256 match"
	else
		bad "$label: transfer: client: $(tail -2 "$tmp/cli6.out") server: $(tail -2 "$tmp/srv6.out")"
	fi
	[ "$(stat_of mss_clamped)" -gt "$before" ] && ok "$label: the LAN side's SYN-ACK MSS clamped" ||
		bad "$label: mss_clamped stayed $before"
	kill -TERM "${bg_pids[-1]}" 2>/dev/null; wait "${bg_pids[-1]}"
}
tun_xfer6 "1 worker TUN"
wait_idle6 && ok "sessions, IPv4 and IPv6 pool usage back to zero" || { bad "sessions left"; tel sessions; }
stop_daemon && ok "SIGTERM exit 0" || bad "SIGTERM rc $?"

# --- 5. two workers, proxy ND instead of a LAN route: NS for client addresses answered by
#        their owner worker, LAN packets steered to it
write_config "$tmp/gw2.json" 2 "" "" 'c["ports"]["lan"]["proxy_arp"] = True'
start_daemon "$tmp/gw2.json" 2
ip -n "$lan" -6 route del 2001:db8:100::/48 via 2001:db8:2::1
ip -n "$lan" -6 route add 2001:db8:100::/48 dev s0
calls=0
for i in 1 2 3 4; do
	if hold_client "$tmp/h$i.out" --hold 4; then
		a6=$(awk '/^ADDRESS6/ {print $2}' "$tmp/h$i.out")
		out=$(ip netns exec "$lan" ping -6 -c 2 -i 0.3 -W 2 "$a6" 2>&1) && calls=$((calls + 1)) ||
			bad "2 workers call $i: $out"
	else
		bad "2 workers call $i: $(cat "$tmp/h$i.out")"
	fi
done
[ $calls -eq 4 ] && ok "2 workers + proxy ND: the on-link LAN server reached 4 clients ($(stat_of proxy_nd_answers) NA)" ||
	bad "2 workers: $calls/4"
for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
echo "info: 2 workers: handoff_sent $(stat_of handoff_sent), handoff_received $(stat_of handoff_received)"
[ "$(stat_of handoff_sent)" = "$(stat_of handoff_received)" ] && ok "2 workers: every handed-off packet arrived" ||
	bad "handoff counters differ"
wait_idle6 && ok "2 workers: sessions and prefixes back to zero" || { bad "sessions left"; tel sessions; }
stop_daemon || bad "2 workers: SIGTERM rc $?"
ip -n "$lan" -6 route del 2001:db8:100::/48 dev s0
ip -n "$lan" -6 route add 2001:db8:100::/48 via 2001:db8:2::1

# --- 6. the real sstpc (sg-sstpc-peer, lib/ppp's peer with IPv6CP on sstpc's fd 0): the
#        kernel takes its address from our RA on the TUN and pings the LAN server over IPv6
#        (TLS 1.2: see run.sh, sstpc 1.0.18's stall with a TLS 1.3 first flight)
if [ -n "$sstpc_peer" ] && [ -x "$sstpc_peer" ] && command -v sstpc >/dev/null; then
	write_config "$tmp/gw3.json" 1 "" 1.2
	start_daemon "$tmp/gw3.json" 1
	mkdir -p /var/run/sstpc
	ip netns exec "$cli" timeout 90 "$sstpc_peer" --server 192.0.2.1 --user alice \
		--password alice-lab-password --ipv6 --tun "$tun" --hold 30 --timeout 80 \
		--ipparam "sgg${id}v6" >"$tmp/sp6.out" 2>"$tmp/sp6.err" &
	sp_pid=$!; bg_pids+=("$sp_pid")
	for t in $(seq 1 100); do grep -q HOLD "$tmp/sp6.out" && break; sleep 0.2; done
	addrs=""
	for t in $(seq 1 60); do
		addrs=$(ip -n "$cli" -6 addr show dev "$tun" scope global 2>&1)
		echo "$addrs" | grep -q "inet6 2001:db8:100:.*/64.*dynamic" && break
		sleep 0.2
	done
	if echo "$addrs" | grep -q "inet6 2001:db8:100:.*/64.*dynamic"; then
		ok "sstpc: IPv6CP up, the kernel did SLAAC on the TUN: $(echo "$addrs" | awk '/inet6/ {print $2}')"
		out=$(ip netns exec "$cli" ping -6 -c 3 -i 0.3 -W 2 2001:db8:2::2 2>&1) &&
			ok "sstpc: the kernel pings the LAN server over IPv6 through sstpc" ||
			bad "sstpc ping6: $out"
	else
		bad "sstpc IPv6: $(cat "$tmp/sp6.out") $(tail -5 "$tmp/sp6.err") addrs: $addrs"
	fi
	kill -TERM "$sp_pid"; wait "$sp_pid"; rc=$?
	[ $rc -eq 0 ] && ok "sstpc IPv6: clean disconnect" || bad "sstpc IPv6: rc $rc $(tail -3 "$tmp/sp6.out")"
	wait_idle6 && ok "sstpc: sessions and prefixes back to zero" || bad "sstpc: sessions left"
	stop_daemon || bad "sstpc: SIGTERM rc $?"
else
	echo "info: sstpc or sg-sstpc-peer missing: real sstpc IPv6 scenario skipped"
fi

# --- 7. RADIUS (a private FreeRADIUS): Framed-IPv6-Prefix in the Access-Accept becomes
#        the session's /64 (Delegated-IPv6-Prefix is parsed but not routed: no DHCPv6-PD)
if command -v freeradius >/dev/null && [ -f "$aaa_dir/radiusd-lib.sh" ]; then
	RADIUSD_EXTRA_USERS='v6user	Cleartext-Password := "v6-pw"
	Framed-IPv6-Prefix = 2001:db8:100:99::/64,
	Delegated-IPv6-Prefix = 2001:db8:300::/56'
	# shellcheck source=../aaa/radiusd-lib.sh
	source "$aaa_dir/radiusd-lib.sh"
	mkdir -p "$tmp/radius"
	if radiusd_start "$tmp/radius" "gw6-secret-$id"; then
		write_config "$tmp/gw4.json" 1 "$RADIUSD_AUTH $RADIUSD_ACCT gw6-secret-$id"
		start_daemon "$tmp/gw4.json" 1
		for auth in mschapv2 pap; do
			out=$(cl -u v6user -p v6-pw -a $auth --ipv6 --ping6 2001:db8:2::2 --count6 2 2>&1); rc=$?
			a6=$(echo "$out" | awk '/^ADDRESS6/ {print $2}')
			[ $rc -eq 0 ] && [[ "$a6" == 2001:db8:100:99:* ]] &&
				ok "RADIUS $auth: Framed-IPv6-Prefix 2001:db8:100:99::/64 -> $a6, $(echo "$out" | grep PINGS6)" ||
				bad "RADIUS $auth: rc $rc: $out"
		done
		wait_idle6 && ok "RADIUS: sessions and prefixes back to zero" || bad "RADIUS: sessions left"
		stop_daemon || bad "RADIUS: SIGTERM rc $?"
		radiusd_stop
	else
		bad "FreeRADIUS did not start"
	fi
else
	echo "info: FreeRADIUS not installed: RADIUS IPv6 scenario skipped"
fi

lab_finish
