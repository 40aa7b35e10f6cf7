#!/usr/bin/env bash
# sstpgw against hostile and misbehaving clients (issue 5, "Bad input"), all through the
# real kernel TCP of a client namespace (run.sh covers stalls right after TCP, after TLS
# and after the HTTP request):
#   1. stalls in the later phases: mid-TLS-handshake, after the HTTP reply (no
#      CONNECT_REQUEST), after the CONNECT_ACK (no LCP), at the CHAP challenge (never
#      answered): each dropped by the set-up timer, nothing left behind
#   2. garbage after authentication (random bytes outside TLS, random bytes inside TLS,
#      malformed SSTP, malformed PPP, spoofed inner sources) hurts only its sender: a
#      second client's pings keep flowing; the gateway answers pings to its own addresses
#      from inside the tunnel
#   3. a half-open flood (hping3 SYNs whose SYN-ACKs are never answered) plus TLS-connected
#      but silent clients up to the session limit: the established session keeps passing
#      pings, a newcomer is refused (counted) while the slots are full and gets in once
#      the set-up timer reclaims them
#   4. idle timeout and session timeout each end a session; the pool returns to zero
#   5. the global and the per-core session limits refuse the N+1th client (counted
#      apart), the global one across two workers
#   6. a users-file fixed address inside the pool is never handed to a dynamic client
#   7. test.impair on the daemon's ports: a 20 MB transfer each way through loss,
#      reordering and duplication
#
#   hostile.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR (root; else exit 77)
# (named hostile, though 7 is only a rough network: it shares this script's lab)
# shellcheck source=lab.sh
source "$(dirname "$0")/lab.sh"
lab_init "$@"
drop_of() { stat_of "$1"; }
hold_client() { # out-file user args...: a call held until killed (SIGTERM: clean disconnect)
	local out=$1
	shift
	ip netns exec "$cli" "$client" -s 192.0.2.1 -p "$1-lab-password" -u "$@" --timeout 120 \
		>"$out" 2>&1 &
	bg_pids+=($!)
	last_pid=$!
}
wait_up() { # out-file: the call printed its address within 10 s
	local t
	for t in $(seq 1 50); do grep -q ADDRESS "$1" && return 0; sleep 0.2; done
	return 1
}

write_config "$tmp/gw.json" 1 "" "" '
c["limits"].update({"sessions": 8, "sessions_per_core": 8})
c["timers"]["handshake_timeout"] = 5
'
start_daemon "$tmp/gw.json" 1

# --- 1. stalls in the later phases of the set-up
before=$(stat_of sessions_timed_out)
for phase in tls-mid sstp ppp auth; do
	t0=$(date +%s.%N)
	out=$(cl -u alice -p alice-lab-password -a mschapv2 --stall $phase --timeout 15 2>&1); rc=$?
	secs=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $t0))")
	[ $rc -eq 0 ] && ok "stall $phase: the gateway closed the connection after $secs s" ||
		bad "stall $phase: rc $rc: $out"
done
after=$(stat_of sessions_timed_out)
[ $((after - before)) -eq 4 ] && ok "set-up timer fired for each of the 4 stalls" ||
	bad "set-up timeouts $before -> $after (want +4)"
wait_idle && [ "$(sess_field tcp_conns)" = 0 ] &&
	ok "stalled clients left no session, address or TCP connection" ||
	bad "left behind: $(tel sessions)"

# --- 2. garbage after authentication, while another client's pings flow
victim=$tmp/victim.out
ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --ping 198.51.100.2 \
	--count 60 --timeout 90 >"$victim" 2>&1 &
victim_pid=$!; bg_pids+=($victim_pid)
wait_up "$victim" || bad "victim did not come up: $(cat "$victim")"
spoof0=$(drop_of anti_spoof)
for kind in tls-record plain sstp ppp spoof; do
	out=$(cl -u alice -p alice-lab-password --garbage $kind --ping 198.51.100.2 --count 8 \
		--timeout 10 2>&1); rc=$?
	case $kind in
	ppp | spoof)
		[ $rc -eq 0 ] && ok "garbage $kind: ignored, the sender's own pings still answered" ||
			bad "garbage $kind: rc $rc: $out" ;;
	*)
		if [ $rc -ne 0 ] && echo "$out" | grep -q ADDRESS; then
			ok "garbage $kind: the gateway ended the sender's session ($(echo "$out" | grep PINGS))"
		else
			bad "garbage $kind: rc $rc: $out"
		fi ;;
	esac
done
spoof1=$(drop_of anti_spoof)
[ $((spoof1 - spoof0)) -ge 10 ] && ok "spoofed sources dropped (anti_spoof +$((spoof1 - spoof0)))" ||
	bad "anti_spoof $spoof0 -> $spoof1"
for dst in 198.51.100.1 192.0.2.1; do
	out=$(cl -u alice -p alice-lab-password --ping $dst --count 3 2>&1) &&
		ok "ping from inside the tunnel to the gateway's own $dst answered: $(echo "$out" | grep PINGS)" ||
		bad "ping $dst from the tunnel: $out"
done
wait $victim_pid; rc=$?
[ $rc -eq 0 ] && ok "the other client's 60 pings all came back through the garbage: $(grep PINGS "$victim")" ||
	bad "victim: rc $rc: $(cat "$victim")"
wait_idle && ok "sessions and pool back to zero after the garbage" || bad "left: $(tel sessions)"

# --- 3. half-open flood and silent TLS clients up to the session limit (8)
victim2=$tmp/victim2.out
ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --ping 198.51.100.2 \
	--count 60 --timeout 90 >"$victim2" 2>&1 &
victim2_pid=$!; bg_pids+=($victim2_pid)
wait_up "$victim2" || bad "established client did not come up: $(cat "$victim2")"
if command -v hping3 >/dev/null && command -v nft >/dev/null; then
	# The client kernel would reset the SYN-ACKs of SYNs it never sent: keep them half-open.
	ip netns exec "$cli" nft -f - <<-EOF
	table inet sghost {
		chain out { type filter hook output priority 0; tcp dport 443 tcp flags & (rst|syn|ack) == rst drop; }
	}
	EOF
	ip netns exec "$cli" timeout 6 hping3 -q -S -p 443 -i u1000 192.0.2.1 >/dev/null 2>&1 &
	flood_pid=$!; bg_pids+=($flood_pid)
	sleep 1
	ho=$(sess_field tcp_half_open)
	echo "info: during the SYN flood: tcp_half_open $ho, SYN-cookie and half-open limits in lib/tcp"
else
	echo "info: hping3 or nft missing: SYN flood part skipped"
	flood_pid=
fi
limit0=$(drop_of session_limit)
silent=()
for i in $(seq 1 7); do
	ip netns exec "$cli" "$client" -s 192.0.2.1 --stall tls --timeout 20 >"$tmp/silent$i.out" 2>&1 &
	silent+=($!); bg_pids+=($!)
done
sleep 1
n=$(sess_field active)
[ "$n" = 8 ] && ok "7 silent TLS clients + the established one fill the 8 slots" ||
	bad "sessions active $n (want 8)"
out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 1 --timeout 5 2>&1); rc=$?
limit1=$(drop_of session_limit)
[ $rc -ne 0 ] && [ $((limit1 - limit0)) -ge 1 ] &&
	ok "a newcomer is refused while the slots are full (session_limit +$((limit1 - limit0)))" ||
	bad "newcomer while full: rc $rc, session_limit $limit0 -> $limit1: $out"
got_in=0
for t in $(seq 1 10); do
	if out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 2 --timeout 8 2>&1); then
		got_in=1
		break
	fi
	sleep 1
done
[ $got_in = 1 ] && ok "the newcomer got in once the set-up timer reclaimed the silent slots" ||
	bad "newcomer never got in: $out"
for p in "${silent[@]}"; do wait "$p" 2>/dev/null; done
[ -n "$flood_pid" ] && wait "$flood_pid" 2>/dev/null
ip netns exec "$cli" nft delete table inet sghost 2>/dev/null
wait $victim2_pid; rc=$?
[ $rc -eq 0 ] && ok "the established session kept passing pings through the flood: $(grep PINGS "$victim2")" ||
	bad "established client: rc $rc: $(cat "$victim2")"
wait_idle && ok "sessions and pool back to zero after the flood" || bad "left: $(tel sessions)"
for t in $(seq 1 40); do [ "$(sess_field tcp_half_open)" = 0 ] && break; sleep 0.5; done
[ "$(sess_field tcp_half_open)" = 0 ] && ok "no half-open TCP connection left" ||
	bad "half-open left: $(sess_field tcp_half_open)"
stop_daemon || bad "SIGTERM: exit $?"

# --- 4. idle timeout (3 s) and session timeout (6 s)
write_config "$tmp/gw2.json" 1 "" "" '
c["timers"].update({"idle_timeout": 3, "session_timeout": 6})
'
start_daemon "$tmp/gw2.json" 1
t0=$(date +%s)
hold_client "$tmp/idle.out" alice --hold 60
idle_pid=$last_pid
ip netns exec "$cli" "$client" -s 192.0.2.1 -u bob -p bob-lab-password --ping 198.51.100.2 \
	--count 1000 --timeout 60 >"$tmp/busy.out" 2>&1 &
busy_pid=$!; bg_pids+=($busy_pid)
wait $idle_pid; t_idle=$(($(date +%s) - t0))
wait $busy_pid; t_busy=$(($(date +%s) - t0))
grep -q ADDRESS "$tmp/idle.out" && [ $t_idle -le 12 ] && [ "$(stat_of sessions_idle_timeout)" = 1 ] &&
	ok "idle timeout: the silent call ended after ${t_idle} s (idle_timeout 3)" ||
	bad "idle timeout: ${t_idle} s, counter $(stat_of sessions_idle_timeout): $(cat "$tmp/idle.out")"
grep -q ADDRESS "$tmp/busy.out" && [ $t_busy -ge 5 ] && [ $t_busy -le 15 ] &&
	[ "$(stat_of sessions_session_timeout)" = 1 ] &&
	ok "session timeout: the pinging call ended after ${t_busy} s (session_timeout 6): $(grep PINGS "$tmp/busy.out")" ||
	bad "session timeout: ${t_busy} s, counter $(stat_of sessions_session_timeout): $(cat "$tmp/busy.out")"
wait_idle && ok "timeouts: sessions and pool back to zero" || bad "left: $(tel sessions)"
stop_daemon || bad "SIGTERM: exit $?"

# --- 5. session limits: global 2 (per core 8); per core 2 (global 8); global 3 over 2 workers
limit_case() { # label workers sessions per_core held counter
	local label=$1 w=$2 n=$3 pc=$4 held=$5 counter=$6 i pids=() c0 c1 out rc
	write_config "$tmp/gw-$label.json" "$w" "" "" "
c['limits'].update({'sessions': $n, 'sessions_per_core': $pc})
"
	start_daemon "$tmp/gw-$label.json" "$w"
	for i in $(seq 1 "$held"); do
		hold_client "$tmp/held$i.out" alice --hold 60
		pids+=($last_pid)
		wait_up "$tmp/held$i.out" || bad "$label: call $i did not come up: $(cat "$tmp/held$i.out")"
	done
	c0=$(drop_of "$counter")
	out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 1 --timeout 5 2>&1); rc=$?
	c1=$(drop_of "$counter")
	[ $rc -ne 0 ] && ! echo "$out" | grep -q ADDRESS && [ $((c1 - c0)) = 1 ] &&
		ok "$label: call $((held + 1)) refused, $counter +1" ||
		bad "$label: call $((held + 1)): rc $rc, $counter $c0 -> $c1: $out"
	for i in "${pids[@]}"; do kill -TERM "$i"; wait "$i" 2>/dev/null; done
	wait_idle || bad "$label: sessions left"
	out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 1 2>&1) &&
		ok "$label: a call is admitted again once the others ended" || bad "$label: after: $out"
	stop_daemon || bad "$label: SIGTERM: exit $?"
}
limit_case "global limit 2" 1 2 8 2 session_limit
limit_case "per-core limit 2" 1 8 2 2 session_limit_core
limit_case "global limit 3, 2 workers" 2 3 8 3 session_limit

# --- 6. a fixed address inside the pool is never handed out dynamically: pool
# 203.0.113.8/29 (.9-.14), bob's fixed .10; five dynamic calls take every other address,
# the sixth is refused, bob still gets his
write_config "$tmp/gw6.json" 1 "" "" '
c["pools"][0]["ipv4"] = "203.0.113.8/29"
'
start_daemon "$tmp/gw6.json" 1
pids=()
for i in 1 2 3 4 5; do
	hold_client "$tmp/dyn$i.out" alice --hold 60
	pids+=($last_pid)
	wait_up "$tmp/dyn$i.out" || bad "pool /29: dynamic call $i did not come up: $(cat "$tmp/dyn$i.out")"
done
addrs=$(cat "$tmp"/dyn?.out | awk '/^ADDRESS/ {print $2}' | sort | tr '\n' ' ')
echo "$addrs" | grep -q "203.0.113.10 " && bad "a dynamic call got bob's fixed address: $addrs" ||
	ok "pool /29: five dynamic calls got $addrs(not bob's .10)"
out=$(cl -u alice -p alice-lab-password --timeout 10 2>&1); rc=$?
[ $rc -eq 2 ] && ok "pool /29: the sixth dynamic call is refused (pool empty)" || bad "sixth: rc $rc: $out"
out=$(cl -u bob -p bob-lab-password --ping 198.51.100.2 --count 1 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "ADDRESS 203.0.113.10" &&
	ok "pool /29: bob still gets his fixed 203.0.113.10 and pings" || bad "bob: rc $rc: $out"
for i in "${pids[@]}"; do kill -TERM "$i"; wait "$i" 2>/dev/null; done
wait_idle && ok "pool /29: usage back to zero (bob's reserve not counted)" || bad "left: $(tel sessions)"
stop_daemon || bad "pool /29: SIGTERM: exit $?"

# --- 7. test.impair on the daemon's own ports (1% drop, 2% reorder, 1% duplicate on
# both rx paths): the kernel's TCP through the tunnel still moves 20 MB each way intact
write_config "$tmp/gw7.json" 1 "" "" '
c["test"] = {"impair": {"seed": 7, "drop_pct": 1, "reorder_pct": 2, "duplicate_pct": 1}}
'
start_daemon "$tmp/gw7.json" 1
grep -q "TEST ONLY impairment on wan rx" "$tmp/gw.log" && ok "test.impair: the stage runs on the ports" ||
	bad "test.impair: not started: $(grep -i impair "$tmp/gw.log")"
ip netns exec "$cli" "$client" -s 192.0.2.1 -u alice -p alice-lab-password --tun "$tun" \
	--route 198.51.100.0/24 --hold 150 --timeout 200 >"$tmp/imp.out" 2>&1 &
imp_pid=$!; bg_pids+=($imp_pid)
if wait_up "$tmp/imp.out"; then
	xfer_20mb "test.impair"
	d=$(drop_of test_impair)
	[ "$d" -gt 0 ] && ok "test.impair dropped $d packets on the way (counted as test_impair)" ||
		bad "test.impair: nothing dropped"
else
	bad "test.impair: the call did not come up: $(cat "$tmp/imp.out")"
fi
kill -TERM $imp_pid; wait $imp_pid 2>/dev/null
wait_idle || bad "test.impair: sessions left"
stop_daemon || bad "test.impair: SIGTERM: exit $?"

errs=$(grep -E "ERR|CRIT|ALERT|EMERG" "$tmp/gw.log" | head -5)
[ -z "$errs" ] || bad "errors in the last daemon's log: $errs"
lab_finish
