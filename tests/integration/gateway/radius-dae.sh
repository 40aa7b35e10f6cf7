#!/usr/bin/env bash
# Dynamic authorization (RFC 5176) on live sessions and RADIUS failover, through the
# running gateway. radclient (freeradius-utils) is the DAE client; a private FreeRADIUS
# authenticates and records accounting (radius_detail.py reads its detail files):
#  - Disconnect-Request by Acct-Session-Id, by User-Name + Framed-IP-Address, by
#    Framed-IP-Address alone: Disconnect-ACK, the client sees the SSTP disconnect, Stop
#    with Acct-Terminate-Cause Admin-Reset;
#  - an unknown session (and a User-Name that does not go with the address): NAK with
#    Error-Cause Session-Context-Not-Found (503);
#  - CoA-Request Session-Timeout 5 / Idle-Timeout 3 on a session that had none: CoA-ACK,
#    the session ends that many seconds later with the matching Stop cause;
#  - a request signed with the wrong secret, and one without Message-Authenticator: no
#    answer, dropped and counted by reason (/sstpgw/aaa), the session untouched;
#  - failover: two FreeRADIUS, the first stopped: the call is authenticated by the second,
#    the first is marked dead (server_dead, failovers); once it is back and dead_time has
#    passed, the next call's accounting goes to the first again.
#
#   radius-dae.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR   (root; else exit 77)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$here/lab.sh"
lab_init "$@"
for t in freeradius radclient; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
# shellcheck source=../aaa/radiusd-lib.sh
source "$aaa_dir/radiusd-lib.sh"

RADIUSD_EXTRA_USERS='frank	Cleartext-Password := "frank-pw"'
secret=auth-secret-$id dae_secret=dae-secret-$id
mkdir -p "$tmp/r1" "$tmp/r2"
radiusd_start "$tmp/r1" "$secret" || { bad "FreeRADIUS did not start"; lab_finish; }
r1_pid=$RADIUSD_PID r1_auth=$RADIUSD_AUTH r1_acct=$RADIUSD_ACCT
det() { python3 "$here/radius_detail.py" "$1" "${@:2}"; }
aaa() { tel cmd /sstpgw/aaa | python3 -c 'import json,sys; d=json.load(sys.stdin)["/sstpgw/aaa"]; print(eval(sys.argv[1], {"d": d}))' "$1"; }
# newest Start of user $2 in detail dir $1 whose id differs from $prev_sid (waits up to 10 s)
new_sid() {
	local t s=
	for t in $(seq 1 50); do
		s=$(det "$1" | python3 -c '
import json, sys
s = [json.loads(l) for l in sys.stdin]
s = [r["Acct-Session-Id"] for r in s if r.get("Acct-Status-Type") == "Start" and r.get("User-Name") == sys.argv[1]]
print(s[-1] if s else "")' "$2")
		[ -n "$s" ] && [ "$s" != "${prev_sid:-}" ] && break
		sleep 0.2
	done
	prev_sid=$s
}
stop_cause() { # detail dir, sid: the Stop's Acct-Terminate-Cause once recorded (15 s)
	det "$1" wait 15 "any(r.get('Acct-Status-Type') == 'Stop' and r.get('Acct-Session-Id') == '$2' for r in recs)" || return
	det "$1" | python3 -c '
import json, sys
print([json.loads(l) for l in sys.stdin if "\"Stop\"" in l and sys.argv[1] in l][-1].get("Acct-Terminate-Cause"))' "$2"
}
# dae KIND SECRET ATTRS...: one request from radclient, its answer on stdout
dae() {
	local kind=$1 sec=$2
	shift 2
	printf '%s\n' "$@" | timeout 20 radclient -x -r 1 -t 3 "127.0.0.1:$dae_port" "$kind" "$sec" 2>&1
}
# call: a held session in the background; sets c_pid, c_addr
call() { # seconds
	ip netns exec "$cli" "$client" -s 192.0.2.1 -u frank -p frank-pw --hold "$1" --timeout $(($1 + 30)) \
		>"$tmp/c.out" 2>&1 &
	c_pid=$!; bg_pids+=("$c_pid")
	c_addr=
	for t in $(seq 1 75); do grep -q ADDRESS "$tmp/c.out" && break; sleep 0.2; done
	c_addr=$(awk '/^ADDRESS/ {print $2}' "$tmp/c.out")
	c_start=$(date +%s) # the call opened (within the 0.2 s poll); bounds below allow a loaded host
	[ -n "$c_addr" ] || bad "frank did not connect: $(cat "$tmp/c.out")"
}
gone_within() { # seconds: the client process ended by itself
	local t
	for t in $(seq 1 $(($1 * 5))); do kill -0 "$c_pid" 2>/dev/null || return 0; sleep 0.2; done
	return 1
}

write_config "$tmp/gw.json" 1 "$r1_auth $r1_acct $secret" "" "
c['auth']['radius']['coa'] = {'listen': '127.0.0.1', 'port': 0,
    'clients': [{'address': '127.0.0.1', 'secret': '$dae_secret'}]}"
start_daemon "$tmp/gw.json" 1
dae_port=$(aaa 'd["dae_port"]')
[ "${dae_port:-0}" -gt 0 ] && ok "DAE listener on UDP port $dae_port" || bad "no DAE port"
MA='Message-Authenticator = 0x00'

# --- Disconnect by Acct-Session-Id, with a fresh Event-Timestamp
call 60; new_sid "$tmp/r1/acct" frank; sid=$prev_sid
out=$(dae disconnect "$dae_secret" "Acct-Session-Id = \"$sid\"" "Event-Timestamp = $(date +%s)" "$MA")
echo "$out" | grep -q "Received Disconnect-ACK" && ok "Disconnect by Acct-Session-Id: ACK" ||
	bad "Disconnect by Acct-Session-Id: $out"
gone_within 10 && ok "Disconnect by Acct-Session-Id: the client was disconnected" || bad "client still connected"
[ "$(stop_cause "$tmp/r1/acct" "$sid")" = Admin-Reset ] && ok "Disconnect: Stop says Admin-Reset" ||
	bad "Disconnect: Stop cause '$(stop_cause "$tmp/r1/acct" "$sid")'"

# --- Disconnect by User-Name + Framed-IP-Address; a wrong pair is refused first
call 60; new_sid "$tmp/r1/acct" frank; sid=$prev_sid
out=$(dae disconnect "$dae_secret" 'User-Name = "alice"' "Framed-IP-Address = $c_addr" "$MA")
echo "$out" | grep -q "Received Disconnect-NAK" && echo "$out" | grep -q "Error-Cause = Session-Context-Not-Found" &&
	ok "Disconnect with a User-Name that does not own the address: NAK 503" || bad "wrong pair: $out"
kill -0 "$c_pid" 2>/dev/null && ok "refused Disconnect left the session up" || bad "session gone after a NAK"
out=$(dae disconnect "$dae_secret" 'User-Name = "frank"' "Framed-IP-Address = $c_addr" "$MA")
echo "$out" | grep -q "Received Disconnect-ACK" && gone_within 10 &&
	ok "Disconnect by User-Name + Framed-IP-Address ($c_addr): ACK, client disconnected" || bad "by user+ip: $out"
[ "$(stop_cause "$tmp/r1/acct" "$sid")" = Admin-Reset ] || bad "user+ip: Stop cause"

# --- unknown session
out=$(dae disconnect "$dae_secret" 'Acct-Session-Id = "00000000000000000000DEAD"' "$MA")
echo "$out" | grep -q "Received Disconnect-NAK" && echo "$out" | grep -q "Error-Cause = Session-Context-Not-Found" &&
	ok "Disconnect for an unknown session: NAK, Error-Cause Session-Context-Not-Found" || bad "unknown: $out"

# --- bad authenticator / missing Message-Authenticator: dropped, counted, no effect
call 60; new_sid "$tmp/r1/acct" frank; sid=$prev_sid
b0=$(aaa 'd["dae"]["bad_authenticator"] + d["dae"]["bad_message_authenticator"]')
out=$(dae disconnect "wrong-$dae_secret" "Acct-Session-Id = \"$sid\"" "$MA")
echo "$out" | grep -q "Received" && bad "wrong secret answered: $out" || ok "Disconnect signed with a wrong secret: no answer"
b1=$(aaa 'd["dae"]["bad_authenticator"] + d["dae"]["bad_message_authenticator"]')
[ "$b1" -gt "$b0" ] && ok "wrong secret: dropped and counted ($(aaa '{k: v for k, v in d["dae"].items() if v}'))" ||
	bad "wrong secret not counted: $b0 -> $b1"
out=$(dae disconnect "$dae_secret" "Acct-Session-Id = \"$sid\"")
echo "$out" | grep -q "Received" && bad "no Message-Authenticator answered: $out" ||
	ok "Disconnect without Message-Authenticator: no answer"
[ "$(aaa 'd["dae"]["no_message_authenticator"]')" -ge 1 ] && ok "missing Message-Authenticator counted" ||
	bad "no_message_authenticator not counted"
kill -0 "$c_pid" 2>/dev/null && ok "the session survived the forged requests" || bad "session gone"
# --- then a genuine Disconnect by Framed-IP-Address alone
out=$(dae disconnect "$dae_secret" "Framed-IP-Address = $c_addr" "$MA")
echo "$out" | grep -q "Received Disconnect-ACK" && gone_within 10 &&
	ok "Disconnect by Framed-IP-Address: ACK, client disconnected" || bad "by ip: $out"
wait_idle && ok "sessions and pool back to zero" || bad "sessions left"

# --- CoA: Session-Timeout 5 on a live session that had none (counted from when it opened)
call 60; new_sid "$tmp/r1/acct" frank; sid=$prev_sid
out=$(dae coa "$dae_secret" "Acct-Session-Id = \"$sid\"" 'Session-Timeout = 5' "$MA")
echo "$out" | grep -q "Received CoA-ACK" && ok "CoA Session-Timeout 5: ACK" || bad "CoA: $out"
if gone_within 15; then
	el=$(($(date +%s) - c_start))
	[ "$el" -ge 4 ] && [ "$el" -le 20 ] && ok "CoA Session-Timeout took effect: session ended ${el} s after it opened" ||
		bad "CoA session timeout: ended after $el s"
else
	bad "CoA Session-Timeout: session still up"
fi
[ "$(stop_cause "$tmp/r1/acct" "$sid")" = Session-Timeout ] && ok "CoA: Stop says Session-Timeout" ||
	bad "CoA: Stop cause '$(stop_cause "$tmp/r1/acct" "$sid")'"
st=$(det "$tmp/r1/acct" | python3 -c '
import json, sys
print([json.loads(l) for l in sys.stdin if "\"Stop\"" in l and sys.argv[1] in l][-1].get("Acct-Session-Time"))' "$sid")
[ "${st:-0}" -ge 5 ] && [ "${st:-99}" -le 20 ] && ok "CoA: the Stop's Acct-Session-Time is $st s (limit 5 s, client asked for 60)" ||
	bad "CoA: Acct-Session-Time '$st'"

# --- CoA: Idle-Timeout 3 by User-Name on an idle session
call 60; new_sid "$tmp/r1/acct" frank; sid=$prev_sid
out=$(dae coa "$dae_secret" 'User-Name = "frank"' 'Idle-Timeout = 3' "$MA")
echo "$out" | grep -q "Received CoA-ACK" && ok "CoA Idle-Timeout 3: ACK" || bad "CoA idle: $out"
if gone_within 15; then
	el=$(($(date +%s) - c_start))
	[ "$el" -ge 2 ] && [ "$el" -le 20 ] && ok "CoA Idle-Timeout took effect: the idle session ended ${el} s after it opened" ||
		bad "CoA idle: ended after $el s"
else
	bad "CoA idle: session still up"
fi
[ "$(stop_cause "$tmp/r1/acct" "$sid")" = Idle-Timeout ] && ok "CoA: Stop says Idle-Timeout" ||
	bad "CoA idle: Stop cause '$(stop_cause "$tmp/r1/acct" "$sid")'"
out=$(dae coa "$dae_secret" 'User-Name = "nobody"' 'Session-Timeout = 5' "$MA")
echo "$out" | grep -q "Received CoA-NAK" && ok "CoA for an unknown user: NAK" || bad "CoA unknown: $out"
echo "info: /sstpgw/aaa: $(aaa '{k: v for k, v in d.items() if not isinstance(v, dict) and v}')"
stop_daemon || bad "daemon exit status"

# --- failover: FreeRADIUS #1 stopped, #2 answers
radiusd_start "$tmp/r2" "$secret" || bad "second FreeRADIUS did not start"
r2_pid=$RADIUSD_PID
lab_on_exit 'kill "$r1_pid" 2>/dev/null'
kill "$r1_pid"; wait "$r1_pid" 2>/dev/null
write_config "$tmp/gw2.json" 1 "$r1_auth $r1_acct $secret" "" "
r = c['auth']['radius']
r['servers'].append({'address': '127.0.0.1', 'auth_port': $RADIUSD_AUTH, 'acct_port': $RADIUSD_ACCT, 'secret': '$secret'})
r.update({'timeout': 1, 'retries': 1, 'dead_time': 12})"
start_daemon "$tmp/gw2.json" 1
out=$(cl -u frank -p frank-pw --ping 198.51.100.2 --count 1 --timeout 30 2>&1); rc=$?
[ $rc -eq 0 ] && ok "failover: the call was authenticated with server 1 down ($(echo "$out" | grep ADDRESS))" ||
	bad "failover: rc $rc: $out"
[ "$(aaa 'd["radius"]["server_dead"]')" -ge 1 ] && [ "$(aaa 'd["radius"]["failovers"]')" -ge 1 ] &&
	[ "$(aaa 'd["current_server"]')" = 1 ] &&
	ok "failover: server 1 marked dead, failed over, server 2 preferred now" ||
	bad "failover counters: $(aaa 'd["radius"]') current $(aaa 'd["current_server"]')"
prev_sid=; new_sid "$tmp/r2/acct" frank
[ -n "$prev_sid" ] && ok "failover: accounting went to server 2" || bad "failover: no Start at server 2"
# server 1 comes back (same config dir, same ports); after dead_time it is preferred again
freeradius -f -d "$tmp/r1/raddb" -l "$tmp/r1/log/radius.log" &
r1_pid=$!
for t in $(seq 1 100); do [ "$(aaa 'd["current_server"]')" = 0 ] && break; sleep 0.2; done
[ "$(aaa 'd["current_server"]')" = 0 ] && ok "failover: server 1 retried after dead_time" || bad "server 1 not retried"
prev_sid=$(det "$tmp/r1/acct" | grep -c '"Start"')
out=$(cl -u frank -p frank-pw --ping 198.51.100.2 --count 1 --timeout 30 2>&1) || bad "call after recovery: $out"
det "$tmp/r1/acct" wait 10 "len([r for r in recs if r.get('Acct-Status-Type') == 'Start']) > $prev_sid" &&
	ok "failover: the recovered server 1 gets the next call's accounting again" || bad "server 1 got nothing"
stop_daemon || bad "daemon exit status"
lab_finish
