#!/usr/bin/env bash
# RADIUS accounting from the running gateway, recorded by a private FreeRADIUS (its
# `detail` module writes every Accounting-Request it accepts; radius_detail.py reads them):
#  - Accounting-On when the daemon starts, Accounting-Off when it stops;
#  - carol (Acct-Interim-Interval 1 s and a Class in her Access-Accept) pings the LAN
#    server 15 times: one Start, Interim-Updates with growing counters, one Stop with the
#    same Acct-Session-Id and exactly the bytes the gateway must count: inner IPv4
#    packets (IP header included, no PPP/SSTP/TLS overhead), 84 bytes per echo request
#    in, 84 per reply out; Acct-Session-Time, Framed-IP-Address, Calling-Station-Id
#    (the client's public IP:port), NAS-IP-Address, NAS-Identifier, Class echoed,
#    Acct-Terminate-Cause User-Request (clean client disconnect); a second call gets
#    another Acct-Session-Id;
#  - 20 MiB each way over a TUN device (the kernel's TCP): the Stop's octets are within
#    headers' reach of the payload;
#  - hank (no Acct-Interim-Interval in his Access-Accept): Interim-Update every 2 s, the
#    config's interim_interval;
#  - causes: Session-Timeout (dave, Session-Timeout 2), Idle-Timeout (erin, Idle-Timeout 2),
#    Admin-Reset (sstpgw-ctl kill), Lost-Carrier (client killed: TCP ends without SSTP),
#    Admin-Reboot (SIGTERM with a live session);
#  - FreeRADIUS stopped while a session ends: the Stop is queued (acct_queued counted),
#    and recorded once FreeRADIUS is back.
#
#   radius-acct.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR   (root; else exit 77)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$here/lab.sh"
lab_init "$@"
command -v freeradius >/dev/null || { echo "SKIP: freeradius not installed"; exit 77; }
# shellcheck source=../aaa/radiusd-lib.sh
source "$aaa_dir/radiusd-lib.sh"

RADIUSD_EXTRA_USERS='carol	Cleartext-Password := "carol-pw"
	Acct-Interim-Interval = 1,
	Class = "cls-carol"

dave	Cleartext-Password := "dave-pw"
	Session-Timeout = 2

erin	Cleartext-Password := "erin-pw"
	Idle-Timeout = 2

hank	Cleartext-Password := "hank-pw"'
secret=acct-secret-$id
mkdir -p "$tmp/radius"
radiusd_start "$tmp/radius" "$secret" || { bad "FreeRADIUS did not start"; lab_finish; }
acct=$tmp/radius/acct
det() { python3 "$here/radius_detail.py" "$acct" "$@"; }
aaa() { tel cmd /sstpgw/aaa | python3 -c 'import json,sys; d=json.load(sys.stdin)["/sstpgw/aaa"]; print(eval(sys.argv[1], {"d": d}))' "$1"; }
# py EXPR LABEL: ok when the python expression over the records `recs` is true
check() {
	local v
	v=$(det | python3 -c '
import json, re, sys
recs = [json.loads(l) for l in sys.stdin]
st = lambda t: [r for r in recs if r.get("Acct-Status-Type") == t]
sid = lambda s: [r for r in recs if r.get("Acct-Session-Id") == s]
print(bool(eval(re.sub(r"\s*\n\s*", " ", sys.argv[1]))))' "$1" 2>&1)
	[ "$v" = True ] && ok "$2" || bad "$2 ($v)"
}
# stop record of the session whose Start carried User-Name $1, newest first: its id
last_sid() {
	det | python3 -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
s = [r["Acct-Session-Id"] for r in recs if r.get("Acct-Status-Type") == "Start" and r.get("User-Name") == sys.argv[1]]
print(s[-1] if s else "")' "$1"
}
# new_sid USER: the Acct-Session-Id of USER's newest Start once it differs from $prev_sid
new_sid() {
	local t s
	for t in $(seq 1 50); do
		s=$(last_sid "$1")
		[ -n "$s" ] && [ "$s" != "${prev_sid:-}" ] && break
		sleep 0.2
	done
	prev_sid=$s
	echo "$s"
}
wait_stop() { # sid
	det wait 15 "any(r.get('Acct-Status-Type') == 'Stop' and r.get('Acct-Session-Id') == '$1' for r in recs)"
}

write_config "$tmp/gw.json" 1 "$RADIUSD_AUTH $RADIUSD_ACCT $secret" "" '
r = c["auth"]["radius"]
r.update({"timeout": 1, "retries": 1, "dead_time": 2, "interim_interval": 2})'
start_daemon "$tmp/gw.json" 1

# --- Accounting-On
det wait 10 "any(r.get('Acct-Status-Type') == 'Accounting-On' for r in recs)" &&
	ok "Accounting-On recorded at start" || bad "no Accounting-On"
check 'st("Accounting-On")[0]["NAS-Identifier"] == "sstpgw-test" and st("Accounting-On")[0]["NAS-IP-Address"] == "192.0.2.1"' \
	"Accounting-On: NAS-Identifier and NAS-IP-Address (the WAN address)"

# --- carol: 15 pings of 84 bytes with 1 s interim updates
out=$(cl -u carol -p carol-pw -a mschapv2 --ping 198.51.100.2 --count 15 --timeout 40 2>&1); rc=$?
addr=$(echo "$out" | awk '/^ADDRESS/ {print $2}')
read -r got sent < <(echo "$out" | awk -F'[ /]' '/^PINGS/ {print $2, $3}')
[ $rc -eq 0 ] && [ -n "$addr" ] && ok "carol: $addr, pings $got/$sent" || bad "carol: rc $rc: $out"
new_sid carol >/dev/null; sid=$prev_sid
[ -n "$sid" ] && ok "carol: Start recorded, Acct-Session-Id $sid" || bad "carol: no Start"
wait_stop "$sid" && ok "carol: Stop recorded" || bad "carol: no Stop"
check "len(sid('$sid')) >= 4 and [r['Acct-Status-Type'] for r in sid('$sid')][0] == 'Start' and
	[r['Acct-Status-Type'] for r in sid('$sid')][-1] == 'Stop' and
	len([r for r in sid('$sid') if r['Acct-Status-Type'] == 'Stop']) == 1 and
	len([r for r in sid('$sid') if r['Acct-Status-Type'] == 'Interim-Update']) >= 2" \
	"carol: Start, >= 2 Interim-Updates (1 s), one Stop, same Acct-Session-Id"
check "min(int(r['Acct-Session-Time']) for r in sid('$sid') if r['Acct-Status-Type'] == 'Interim-Update') == 1" \
	"carol: the first Interim-Update after 1 s (the reply's Acct-Interim-Interval beats the config's 2 s)"
stop="[r for r in sid('$sid') if r['Acct-Status-Type'] == 'Stop'][0]"
check "int($stop['Acct-Input-Packets']) == $sent and int($stop['Acct-Input-Octets']) == 84 * $sent and
	int($stop['Acct-Input-Gigawords']) == 0" \
	"carol: Stop counts in exactly $sent packets, $((84 * sent)) bytes (inner IPv4)"
if [ "$got" = "$sent" ]; then
	check "int($stop['Acct-Output-Packets']) == $got and int($stop['Acct-Output-Octets']) == 84 * $got and
		int($stop['Acct-Output-Gigawords']) == 0" \
		"carol: Stop counts out exactly $got packets, $((84 * got)) bytes"
else # a late reply may have crossed the gateway after the client stopped counting
	check "$got <= int($stop['Acct-Output-Packets']) <= $sent and
		int($stop['Acct-Output-Octets']) == 84 * int($stop['Acct-Output-Packets'])" \
		"carol: Stop counts out $got..$sent replies of 84 bytes"
fi
check "$stop['Acct-Terminate-Cause'] == 'User-Request' and 2 <= int($stop['Acct-Session-Time']) <= 30" \
	"carol: Acct-Terminate-Cause User-Request, Acct-Session-Time 2..30 s"
check "all(r.get('Framed-IP-Address') == '$addr' and r.get('Calling-Station-Id', '').startswith('192.0.2.2:') and
	r.get('NAS-IP-Address') == '192.0.2.1' and r.get('NAS-Identifier') == 'sstpgw-test' and
	r.get('User-Name') == 'carol' and r.get('Class') == '0x' + b'cls-carol'.hex() for r in sid('$sid'))" \
	"carol: every record has Framed-IP-Address, Calling-Station-Id 192.0.2.2:port, NAS ids, User-Name, Class echoed"
check "all(r.get('Framed-IPv6-Prefix', '').startswith('2001:db8:100:') and r['Framed-IPv6-Prefix'].endswith('/64') for r in sid('$sid'))" \
	"carol: every record has her /64 from the IPv6 pool as Framed-IPv6-Prefix"
check "[int(r['Acct-Input-Octets']) for r in sid('$sid')[1:]] == sorted(int(r['Acct-Input-Octets']) for r in sid('$sid')[1:]) and
	all(int(r['Acct-Input-Octets']) % 84 == 0 for r in sid('$sid')[1:]) and
	any(0 < int(r['Acct-Input-Octets']) < int($stop['Acct-Input-Octets']) for r in sid('$sid') if r['Acct-Status-Type'] == 'Interim-Update')" \
	"carol: Interim-Update counters grow (whole packets) up to the Stop's"
out=$(cl -u carol -p carol-pw -a pap --ping 198.51.100.2 --count 1 2>&1) || bad "carol again: $out"
new_sid carol >/dev/null; sid2=$prev_sid
[ -n "$sid2" ] && [ "$sid2" != "$sid" ] && ok "a second call gets its own Acct-Session-Id ($sid2)" ||
	bad "second call: session id '$sid2'"
wait_stop "$sid2" || bad "second call: no Stop"

# --- the kernel's TCP through a TUN device: 20 MiB each way; the Stop's octets are the
# payload plus TCP/IP headers (and any retransmissions): between 1.0x and 1.15x of it
ip netns exec "$cli" "$client" -s 192.0.2.1 -u carol -p carol-pw --tun "$tun" \
	--route 198.51.100.0/24 --hold 120 --timeout 180 >"$tmp/tun.out" 2>&1 &
tun_pid=$!; bg_pids+=("$tun_pid")
for t in $(seq 1 75); do grep -q ADDRESS "$tmp/tun.out" && break; sleep 0.2; done
new_sid carol >/dev/null; s=$prev_sid
xfer_20mb "carol over TUN"
kill -TERM "$tun_pid"; wait "$tun_pid"
wait_stop "$s" || bad "TUN: no Stop"
check "20971520 <= int(sid('$s')[-1]['Acct-Input-Octets']) <= 20971520 * 1.15 and
	20971520 <= int(sid('$s')[-1]['Acct-Output-Octets']) <= 20971520 * 1.15 and
	int(sid('$s')[-1]['Acct-Input-Packets']) >= 20971520 // 1400 and
	int(sid('$s')[-1]['Acct-Output-Packets']) >= 20971520 // 1400 and
	sid('$s')[-1]['Acct-Terminate-Cause'] == 'User-Request'" \
	"TUN: Stop counts 20 MiB each way plus headers ($(det | python3 -c "
import json, sys
r = [json.loads(l) for l in sys.stdin if '$s' in l][-1]
print('in', r.get('Acct-Input-Octets'), 'B', r.get('Acct-Input-Packets'), 'pkts, out', r.get('Acct-Output-Octets'), 'B', r.get('Acct-Output-Packets'), 'pkts')"))"

# --- hank's Access-Accept has no Acct-Interim-Interval: the config's 2 s applies
cl -u hank -p hank-pw --hold 5 --timeout 30 >/dev/null 2>&1 || bad "hank: call failed"
new_sid hank >/dev/null; s=$prev_sid; wait_stop "$s"
check "2 <= min(int(r['Acct-Session-Time']) for r in sid('$s') if r['Acct-Status-Type'] == 'Interim-Update') <= 3" \
	"hank: Interim-Updates every 2 s (\$.auth.radius.interim_interval)"

# --- causes
cl -u dave -p dave-pw --hold 20 --timeout 30 >/dev/null 2>&1
new_sid dave >/dev/null; s=$prev_sid; wait_stop "$s"
check "sid('$s')[-1]['Acct-Terminate-Cause'] == 'Session-Timeout'" "dave: Session-Timeout 2 s ends the call, Stop says Session-Timeout"
cl -u erin -p erin-pw --hold 20 --timeout 30 >/dev/null 2>&1
new_sid erin >/dev/null; s=$prev_sid; wait_stop "$s"
check "sid('$s')[-1]['Acct-Terminate-Cause'] == 'Idle-Timeout'" "erin: Idle-Timeout 2 s ends the idle call, Stop says Idle-Timeout"

ip netns exec "$cli" "$client" -s 192.0.2.1 -u carol -p carol-pw --hold 60 --timeout 90 >"$tmp/k.out" 2>&1 &
k_pid=$!; bg_pids+=("$k_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/k.out" && break; sleep 0.2; done
w=$(tel sessions | python3 -c 'import json,sys; d=json.load(sys.stdin)["/sstpgw/sessions"]; print([k for k,v in d.items() if isinstance(v, dict) and v["state"] == "open"][0])')
tel kill "$w" >/dev/null
new_sid carol >/dev/null; s=$prev_sid; wait_stop "$s"
check "sid('$s')[-1]['Acct-Terminate-Cause'] == 'Admin-Reset'" "sstpgw-ctl kill: Stop says Admin-Reset"
wait "$k_pid" 2>/dev/null

ip netns exec "$cli" "$client" -s 192.0.2.1 -u carol -p carol-pw --hold 60 --timeout 90 >"$tmp/l.out" 2>&1 &
l_pid=$!; bg_pids+=("$l_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/l.out" && break; sleep 0.2; done
new_sid carol >/dev/null; s=$prev_sid
kill -KILL "$l_pid"
wait_stop "$s"
check "sid('$s')[-1]['Acct-Terminate-Cause'] == 'Lost-Carrier'" "client killed (TCP closed without SSTP): Stop says Lost-Carrier"
wait_idle || bad "sessions left after the cause scenarios"

# --- FreeRADIUS down while a session ends: the Stop waits in the queue
ip netns exec "$cli" "$client" -s 192.0.2.1 -u carol -p carol-pw --hold 4 --timeout 30 >"$tmp/q.out" 2>&1 &
q_pid=$!; bg_pids+=("$q_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/q.out" && break; sleep 0.2; done
new_sid carol >/dev/null; s=$prev_sid
det wait 5 "any(r.get('Acct-Session-Id') == '$s' for r in recs)" || bad "queue: no Start"
radiusd_stop
wait "$q_pid"; rc=$?
[ $rc -eq 0 ] && ok "queue: the client hung up while FreeRADIUS was down" || bad "queue: client rc $rc"
for t in $(seq 1 50); do [ "$(aaa 'd["radius"]["acct_queued"]')" -ge 1 ] 2>/dev/null && break; sleep 0.2; done
q=$(aaa 'd["radius"]["acct_queued"]')
[ "${q:-0}" -ge 1 ] && ok "queue: the Stop timed out and was queued (acct_queued $q)" || bad "queue: acct_queued ${q:-?}"
freeradius -f -d "$tmp/radius/raddb" -l "$tmp/radius/log/radius.log" &
RADIUSD_PID=$!
wait_stop "$s" && ok "queue: the queued Stop reached FreeRADIUS once it was back" || bad "queue: Stop lost"
check "sid('$s')[-1]['Acct-Terminate-Cause'] == 'User-Request' and int(sid('$s')[-1].get('Acct-Delay-Time', '0')) >= 1" \
	"queue: the late Stop carries its cause and Acct-Delay-Time"

# --- SIGTERM with a live session: Stop Admin-Reboot, then Accounting-Off
ip netns exec "$cli" "$client" -s 192.0.2.1 -u carol -p carol-pw --hold 60 --timeout 90 >"$tmp/s.out" 2>&1 &
s_pid=$!; bg_pids+=("$s_pid")
for t in $(seq 1 50); do grep -q ADDRESS "$tmp/s.out" && break; sleep 0.2; done
new_sid carol >/dev/null; s=$prev_sid
stop_daemon && ok "SIGTERM: exit 0" || bad "SIGTERM: daemon failed"
check "sid('$s')[-1]['Acct-Status-Type'] == 'Stop' and sid('$s')[-1]['Acct-Terminate-Cause'] == 'Admin-Reboot'" \
	"SIGTERM: the live session's Stop says Admin-Reboot"
check "max(i for i, r in enumerate(recs) if r['Acct-Status-Type'] == 'Accounting-Off') > max(i for i, r in enumerate(recs) if r['Acct-Status-Type'] == 'Accounting-On')" \
	"SIGTERM: Accounting-Off recorded"
lab_finish
