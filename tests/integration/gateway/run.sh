#!/usr/bin/env bash
# sstpgw end to end with a real SSTP client over real kernel TCP:
#   client netns (192.0.2.2) -- veth -- [WAN 192.0.2.1 af_packet] sstpgw [LAN 198.51.100.1]
#   -- veth -- server netns (198.51.100.2, route to the pool 203.0.113.0/24 via the gateway)
# The client (sg-gw-client: lib/tls + lib/sstp client + lib/ppp peer) authenticates with
# MS-CHAPv2 (crypto binding with the MPPE-derived key) and with PAP, gets a pool address,
# pings the LAN server through the tunnel; bob gets his fixed address; a wrong password is
# refused; over a TUN device the kernel's TCP moves 20 MB each way (SHA-256 checked);
# sessions and pool usage return to zero; clients that stall after TCP, after TLS and
# after the HTTP request are dropped by the set-up timer; SIGTERM disconnects a live
# client and the daemon exits 0; two workers steer LAN packets to the owner; with a
# private FreeRADIUS, MS-CHAPv2 (ours and the real sstpc) and PAP through RADIUS and a
# refused password.
#
# With Debian's sstpc and sg-sstpc-peer (tests/interop/sstpc): the real sstpc binary's
# TLS/HTTP/SSTP/crypto binding against the gateway, MS-CHAPv2 and PAP, pings and 20 MB
# each way through its TUN device.
#
#   run.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR [SG_SSTPC_PEER]  (root; else exit 77)
# shellcheck source=lab.sh
source "$(dirname "$0")/lab.sh"
lab_init "$@"
write_config "$tmp/gw.json" 1
start_daemon "$tmp/gw.json" 1

# --- 1. MS-CHAPv2 and PAP: pool address, pings through the tunnel
for auth in mschapv2 pap; do
	out=$(cl -u alice -p alice-lab-password -a $auth --ping 198.51.100.2 --count 3 2>&1); rc=$?
	addr=$(echo "$out" | awk '/^ADDRESS/ {print $2}')
	if [ $rc -eq 0 ] && [[ "$addr" == 203.0.113.* ]]; then
		ok "$auth: address $addr, $(echo "$out" | grep PINGS)"
	else
		bad "$auth: rc $rc: $out"
	fi
done
# --- 2. bob's fixed address from the users file
out=$(cl -u bob -p bob-lab-password --ping 198.51.100.2 --count 1 2>&1); rc=$?
echo "$out" | grep -q "ADDRESS 203.0.113.10" && [ $rc -eq 0 ] && ok "bob: fixed address 203.0.113.10" ||
	bad "bob: rc $rc: $out"
# --- 3. wrong password refused
out=$(cl -u alice -p wrong-password -a mschapv2 --timeout 20 2>&1); rc=$?
[ $rc -eq 2 ] && ok "wrong password refused" || bad "wrong password: rc $rc: $out"
wait_idle && ok "sessions and pool usage back to zero" || { bad "sessions left"; tel sessions; }

# --- 4. the kernel's TCP through a TUN device: 20 MB each way, SHA-256 checked
transfer_20mb() { # label
	ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --tun "$tun" \
		--route 198.51.100.0/24 --hold 120 --timeout 180 >"$tmp/tun.out" 2>&1 &
	tun_pid=$!; bg_pids+=("$tun_pid")
	for t in $(seq 1 50); do grep -q ADDRESS "$tmp/tun.out" && break; sleep 0.2; done
	if grep -q ADDRESS "$tmp/tun.out"; then
		xfer_20mb "$1"
		n=$(tel sessions | python3 -c 'import json,sys; d=json.load(sys.stdin)["/sstpgw/sessions"]; print(sum(1 for k,v in d.items() if isinstance(v, dict) and v["state"]=="open" and v["user"]=="alice"))')
		[ "$n" = 1 ] && ok "sstpgw-ctl sessions lists the open session" || bad "sessions: $(tel sessions)"
		kill -TERM "$tun_pid"; wait "$tun_pid"; rc=$?
		[ $rc -eq 0 ] && ok "client disconnected cleanly" || bad "tun client rc $rc: $(cat "$tmp/tun.out")"
	else
		bad "tun client did not connect: $(cat "$tmp/tun.out")"
	fi
}
transfer_20mb "1 worker"
wait_idle && ok "sessions and pool usage back to zero after the transfer" || { bad "sessions left"; tel sessions; }

# --- 5. hostile clients: stall after TCP, after TLS, after the HTTP request
before=$(stat_of sessions_timed_out)
for phase in tcp tls http; do
	out=$(cl --stall $phase --timeout 12 2>&1); rc=$?
	[ $rc -eq 0 ] && ok "stall after $phase: dropped by the gateway" || bad "stall $phase: rc $rc: $out"
done
after=$(stat_of sessions_timed_out)
[ $((after - before)) -ge 3 ] && ok "set-up timer fired $((after - before)) times" || bad "timeouts $before -> $after"
wait_idle && ok "no session left by stalled clients" || { bad "sessions left"; tel sessions; }

# --- 6. kill through sstpgw-ctl, then SIGTERM with a live client
ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --hold 60 --timeout 90 \
	>"$tmp/k.out" 2>&1 &
k_pid=$!; bg_pids+=("$k_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/k.out" && break; sleep 0.2; done
sid=$(tel sessions | python3 -c 'import json,sys; d=json.load(sys.stdin)["/sstpgw/sessions"]; print([k for k,v in d.items() if isinstance(v, dict)][0])' 2>/dev/null)
tel kill "$sid" >/dev/null
for t in $(seq 1 50); do kill -0 "$k_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$k_pid" 2>/dev/null && bad "kill $sid: client still connected" || ok "sstpgw-ctl kill $sid ended the call"
wait_idle && ok "killed session freed" || bad "killed session left"

ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --hold 60 --timeout 90 \
	>"$tmp/s.out" 2>&1 &
s_pid=$!; bg_pids+=("$s_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/s.out" && break; sleep 0.2; done
kill -TERM "$daemon_pid"
for t in $(seq 1 50); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.2; done
wait "$daemon_pid"; rc=$?; daemon_pid=
[ $rc -eq 0 ] && ok "SIGTERM: exit 0" || bad "SIGTERM: rc $rc"
grep -q "disconnecting 1 session" "$tmp/gw.log" && grep -q "0 session(s) left" "$tmp/gw.log" &&
	ok "SIGTERM disconnected the live session first" || bad "shutdown: $(grep -E 'disconnecting|left' "$tmp/gw.log")"
for t in $(seq 1 25); do kill -0 "$s_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$s_pid" 2>/dev/null && bad "client still running after shutdown" || ok "client saw the disconnect"

# --- 7. two workers: sessions on either, LAN packets steered to the owner over a ring
write_config "$tmp/gw2.json" 2
start_daemon "$tmp/gw2.json" 2
for i in 1 2 3 4; do
	out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 2 2>&1) ||
		bad "2 workers: call $i: $out"
done
ok "2 workers: 4 calls pinged the LAN server"
transfer_20mb "2 workers"
wait_idle && ok "2 workers: sessions and pool usage back to zero" || { bad "sessions left"; tel sessions; }
echo "info: 2 workers: handoff_sent $(stat_of handoff_sent), handoff_received $(stat_of handoff_received)"
[ "$(stat_of handoff_sent)" = "$(stat_of handoff_received)" ] && ok "2 workers: every handed-off packet arrived" ||
	bad "handoff counters differ"
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=
[ $rc -eq 0 ] && ok "2 workers: SIGTERM exit 0" || bad "2 workers: SIGTERM rc $rc"

# --- 8. RADIUS (a private FreeRADIUS on 127.0.0.1): MS-CHAPv2 with the MPPE keys from
# the server feeding the crypto binding, PAP, a wrong password refused; bob's
# Framed-IP-Address (192.0.2.11, outside the pool) reaches him through the steering table
if command -v freeradius >/dev/null && [ -f "$aaa_dir/radiusd-lib.sh" ]; then
	# shellcheck source=../aaa/radiusd-lib.sh
	source "$aaa_dir/radiusd-lib.sh"
	mkdir -p "$tmp/radius"
	if radiusd_start "$tmp/radius" "gw-secret-$id"; then
		write_config "$tmp/gw3.json" 1 "$RADIUSD_AUTH $RADIUSD_ACCT gw-secret-$id" 1.2
		# bob's Framed-IP-Address is outside the pool: steered by the table, routed here
		ip -n "$lan" route add 192.0.2.11/32 via 198.51.100.1
		start_daemon "$tmp/gw3.json" 1
		for auth in mschapv2 pap; do
			out=$(cl -u bob -p builder -a $auth --ping 198.51.100.2 --count 2 2>&1); rc=$?
			[ $rc -eq 0 ] && echo "$out" | grep -q "ADDRESS 192.0.2.11" &&
				ok "RADIUS $auth: $(echo "$out" | grep -E 'ADDRESS|PINGS' | tr '\n' ' ')" ||
				bad "RADIUS $auth: rc $rc: $out"
		done
		# The real sstpc computes the crypto binding itself from the MPPE keys its pppd
		# side derived; the gateway's HLAK comes from FreeRADIUS's MS-MPPE keys.
		if [ -n "$sstpc_peer" ] && [ -x "$sstpc_peer" ] && command -v sstpc >/dev/null; then
			mkdir -p /var/run/sstpc
			out=$(ip netns exec "$cli" timeout 60 "$sstpc_peer" --server 192.0.2.1 --user bob \
				--password builder --auth mschapv2 --ping 3 --ping-dst 198.51.100.2 \
				--hold 1 --timeout 45 --ipparam "sgg${id}rad" 2>"$tmp/sstpc.err"); rc=$?
			[ $rc -eq 0 ] && echo "$out" | grep -q "PING sent=3 replies=3" &&
				ok "RADIUS sstpc mschapv2: binding from FreeRADIUS's MPPE keys accepted, $(echo "$out" | grep -oE 'PING sent=[0-9]+ replies=[0-9]+')" ||
				bad "RADIUS sstpc mschapv2: rc $rc: $out $(tail -5 "$tmp/sstpc.err")"
		fi
		out=$(cl -u bob -p not-builder -a mschapv2 --timeout 20 2>&1); rc=$?
		[ $rc -eq 2 ] && ok "RADIUS: wrong password refused" || bad "RADIUS wrong password: rc $rc: $out"
		wait_idle && ok "RADIUS: sessions and pool usage back to zero" || bad "RADIUS: sessions left"
		kill -TERM "$daemon_pid"; wait "$daemon_pid"; daemon_pid=
		radiusd_stop
	else
		bad "FreeRADIUS did not start"
	fi
else
	echo "info: FreeRADIUS not installed: RADIUS scenario skipped"
fi

# --- 9. the real sstpc (Debian sstp-client, --nolaunchpppd) with lib/ppp's peer on its
# fd 0. TLS 1.2: sstpc 1.0.18 can stall when a TLS 1.3 server's whole first flight is
# already there at its first read (tests/interop/sstpc/README.md), as on this one host.
if [ -n "$sstpc_peer" ] && [ -x "$sstpc_peer" ] && command -v sstpc >/dev/null; then
	write_config "$tmp/gw4.json" 1 "" 1.2
	start_daemon "$tmp/gw4.json" 1
	mkdir -p /var/run/sstpc
	for auth in mschapv2 pap; do
		out=$(ip netns exec "$cli" timeout 60 "$sstpc_peer" --server 192.0.2.1 --user alice \
			--password alice-lab-password --auth $auth --ping 3 --ping-dst 198.51.100.2 \
			--hold 1 --timeout 45 --ipparam "sgg$id$auth" 2>"$tmp/sstpc.err"); rc=$?
		[ $rc -eq 0 ] && echo "$out" | grep -q "PING sent=3 replies=3" &&
			ok "sstpc $auth: $(echo "$out" | grep -oE 'PING sent=[0-9]+ replies=[0-9]+')" ||
			bad "sstpc $auth: rc $rc: $out $(tail -5 "$tmp/sstpc.err")"
	done
	wait_idle && ok "sstpc: sessions and pool usage back to zero" || bad "sstpc: sessions left"
fi
# (Was opt-in: some runs stalled after ~200 packets. Cause: DPDK 22.11's checksum of mbuf
# chains, fixed in lib/tcp/tcp_cksum.h; the client dropped every copy of one segment.)
if [ -n "$daemon_pid" ]; then
	ip netns exec "$cli" "$sstpc_peer" --server 192.0.2.1 --user alice --password alice-lab-password \
		--tun "$tun" --hold 90 --timeout 120 --ipparam "sgg${id}tun" >"$tmp/sp.out" 2>"$tmp/sp.err" &
	sp_pid=$!; bg_pids+=("$sp_pid")
	for t in $(seq 1 100); do grep -q HOLD "$tmp/sp.out" && break; sleep 0.2; done
	if grep -q HOLD "$tmp/sp.out" && ip -n "$cli" route add 198.51.100.0/24 dev "$tun"; then
		xfer_20mb "sstpc tun" || {
			echo "--- peer: $(cat "$tmp/sp.out")"; tail -5 "$tmp/sp.err"
			tel stats | python3 -c 'import json,sys; t=json.load(sys.stdin)["/sstpgw/stats"]["total"]; print({k:v for k,v in t.items() if v})'
			tel sessions
			ip netns exec "$cli" nstat -az TcpInCsumErrors 2>/dev/null | tail -1
		}
		kill -TERM "$sp_pid"; wait "$sp_pid"; rc=$?
		[ $rc -eq 0 ] && ok "sstpc tun: clean disconnect" || bad "sstpc tun: rc $rc $(tail -3 "$tmp/sp.out")"
	else
		bad "sstpc tun did not come up: $(cat "$tmp/sp.out") $(tail -5 "$tmp/sp.err")"
	fi
	wait_idle && ok "sstpc: sessions and pool usage back to zero" || bad "sstpc: sessions left"
fi
if [ -n "$daemon_pid" ]; then
	kill -TERM "$daemon_pid"; wait "$daemon_pid"; daemon_pid=
elif ! command -v sstpc >/dev/null || [ ! -x "${sstpc_peer:-/nonexistent}" ]; then
	echo "info: sstpc or sg-sstpc-peer missing: real sstpc scenario skipped"
fi

lab_finish
