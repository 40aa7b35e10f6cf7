#!/usr/bin/env bash
# lib/aaa against a real FreeRADIUS 3.x on 127.0.0.1 (private config dir and ports):
# PAP accept/reject, CHAP, MS-CHAPv2 (MS-CHAP2-Success and MPPE keys -> HLAK equal to
# lib/ppp's local derivation), EAP-MD5 and EAP-MSCHAPv2 relay (HLAK from the MSK), reply
# attributes, accounting On/Start/Interim/Stop/Off in FreeRADIUS's detail file with our
# octet counts, failover from a silent server, Disconnect-Request from radclient answered
# by our listener, and a forged reply from a fake server dropped and counted.
#
#   radius.sh PATH/TO/aaa_driver
# Exit 77 (skip) when FreeRADIUS or radclient is missing, or not root (suite integration).
set -uo pipefail
driver=$1
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "skip: not root"; exit 77; }
command -v freeradius >/dev/null && command -v radclient >/dev/null ||
	{ echo "skip: freeradius/radclient not installed"; exit 77; }

# shellcheck source=radiusd-lib.sh
source "$here/radiusd-lib.sh"
dir=$(mktemp -d "/tmp/sg-aaa-it-$$-XXXX")
silent_pid=
cleanup() {
	radiusd_stop
	[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

secret="it-secret-$$"
radiusd_start "$dir" "$secret" || exit 1
srv="127.0.0.1:$RADIUSD_AUTH:$RADIUSD_ACCT:$secret"
fails=0
check() { # description, output, grep pattern
	if grep -qx -- "$3" <<<"$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1: want line '$3' in:"; sed 's/^/     /' <<<"$2"
		fails=$((fails + 1))
	fi
}

out=$("$driver" --server "$srv" auth pap alice wonderland)
check "PAP accept" "$out" "status=accept"
check "PAP Framed-IP-Address" "$out" "framed_ip=192.0.2.10"
check "PAP Session-Timeout" "$out" "session_timeout=3600"
check "PAP Idle-Timeout" "$out" "idle_timeout=600"
check "PAP Class kept" "$out" "class=cls-alice"
check "PAP Reply-Message" "$out" "reply_message=hello alice"

out=$("$driver" --server "$srv" auth pap alice wrong-password)
check "PAP reject on a wrong password" "$out" "status=reject"

out=$("$driver" --server "$srv" auth chap bob builder)
check "CHAP-MD5 accept" "$out" "status=accept"
check "CHAP Framed-IPv6-Prefix" "$out" "framed_ipv6_prefix=2001:db8:1::/64"
check "CHAP MS-Primary-DNS-Server" "$out" "dns1=192.0.2.53"
out=$("$driver" --server "$srv" auth chap bob wrong)
check "CHAP reject" "$out" "status=reject"

out=$("$driver" --server "$srv" auth mschapv2 bob builder)
if grep -q "^skip=" <<<"$out"; then
	echo "skip MS-CHAPv2 ($out)"
else
	check "MS-CHAPv2 accept" "$out" "status=accept"
	check "MS-CHAPv2 MS-CHAP2-Success present" "$out" "mschap2_success=S=[0-9A-F]\{40\}"
	check "MS-CHAPv2 success equals local authenticator response" "$out" "local_success_match=1"
	check "MS-CHAPv2 MPPE keys decrypted" "$out" "hlak=[0-9a-f]\{64\}"
	check "MS-CHAPv2 HLAK equals lib/ppp's local derivation" "$out" "local_hlak_match=1"
	out=$("$driver" --server "$srv" auth mschapv2 bob wrong)
	check "MS-CHAPv2 reject" "$out" "status=reject"
fi

out=$("$driver" --server "$srv" auth eap-mschapv2 bob builder)
if grep -q "^skip=" <<<"$out"; then
	echo "skip EAP-MSCHAPv2 ($out)"
else
	check "EAP-MSCHAPv2 challenge relayed" "$out" "eap_mschapv2_challenge=1"
	check "EAP-MSCHAPv2 server authenticated (S= relayed)" "$out" "eap_server_authenticated=1"
	check "EAP-MSCHAPv2 accept" "$out" "status=accept"
	check "EAP-MSCHAPv2 EAP-Success" "$out" "eap_code=3"
	check "EAP-MSCHAPv2 HLAK from the MSK equals lib/ppp's keys" "$out" "local_hlak_match=1"
	out=$("$driver" --server "$srv" auth eap-mschapv2 bob wrong)
	check "EAP-MSCHAPv2 reject" "$out" "status=reject"
fi

out=$("$driver" --server "$srv" auth eap-md5 eve eap-md5-pw)
check "EAP-MD5 challenge relayed" "$out" "eap_md5_challenge=1"
check "EAP-MD5 accept" "$out" "status=accept"
check "EAP-MD5 EAP-Success relayed" "$out" "eap_code=3"
out=$("$driver" --server "$srv" auth eap-md5 eve wrong)
check "EAP-MD5 reject" "$out" "status=reject"

# accounting: Start, Interim (half the octets), Stop with > 4 GiB input (Gigawords)
sess="sess-$$"
out=$("$driver" --server "$srv" acct alice "$sess" 5000000123 777777)
check "Accounting-On answered" "$out" "acct_7=ok"
check "Accounting-Off answered" "$out" "acct_8=ok"
check "Accounting-Start answered" "$out" "acct_1=ok"
check "Accounting-Interim answered" "$out" "acct_3=ok"
check "Accounting-Stop answered" "$out" "acct_2=ok"
detail=$(cat "$dir"/acct/*/detail-* 2>/dev/null)
stop=$(awk -v s="$sess" 'BEGIN{RS=""} /Acct-Status-Type = Stop/ && index($0, s)' <<<"$detail")
check "detail: Stop recorded" "$stop" ".*Acct-Session-Id = \"$sess\""
check "detail: input octets low word" "$stop" ".*Acct-Input-Octets = 705032827"
check "detail: input gigawords" "$stop" ".*Acct-Input-Gigawords = 1"
check "detail: output octets" "$stop" ".*Acct-Output-Octets = 777777"
check "detail: Class echoed" "$stop" ".*Class = 0x636c732d616c696365"
check "detail: Calling-Station-Id" "$stop" ".*Calling-Station-Id = \"198.51.100.7:40000\""
check "detail: Framed-IP-Address" "$stop" ".*Framed-IP-Address = 192.0.2.10"
check "detail: Terminate-Cause" "$stop" ".*Acct-Terminate-Cause = User-Request"
interim=$(awk -v s="$sess" 'BEGIN{RS=""} /Acct-Status-Type = Interim-Update/ && index($0, s)' <<<"$detail")
check "detail: Interim octets" "$interim" ".*Acct-Output-Octets = 388888"
onrec=$(awk 'BEGIN{RS=""} /Acct-Status-Type = Accounting-On/' <<<"$detail")
check "detail: Accounting-On recorded" "$onrec" ".*NAS-Identifier = \"sstpgw-it\""
start=$(awk -v s="$sess" 'BEGIN{RS=""} /Acct-Status-Type = Start/ && index($0, s)' <<<"$detail")
check "detail: Start recorded" "$start" ".*Acct-Session-Id = \"$sess\""

# failover: the first server is a bound UDP socket that never answers
python3 -c "import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1], flush=True); time.sleep(60)" >"$dir/silent.port" &
silent_pid=$!
silent_port=
for _ in $(seq 1 50); do
	silent_port=$(head -1 "$dir/silent.port")
	[ -n "$silent_port" ] && break
	sleep 0.1
done
out=$("$driver" --timeout-ms 200 --retries 2 --server "127.0.0.1:$silent_port:$silent_port:$secret" \
	--server "$srv" auth pap alice wonderland)
check "failover: accepted by the second server" "$out" "status=accept"
check "failover: first server marked dead" "$out" "ev_server_dead=1"
check "failover: counted" "$out" "ev_failovers=1"
check "failover: retransmitted before giving up" "$out" "ev_retransmits=1"

# dynamic authorization: radclient sends Disconnect-Request to our listener
# (the listener binds port 0 and reports it: no race for a free port)
"$driver" dae 0 "coa-$$" 10 >"$dir/dae.out" 2>&1 &
dae_pid=$!
dae_port=
for _ in $(seq 1 50); do
	dae_port=$(sed -n 's/^dae_listening=//p' "$dir/dae.out")
	[ -n "$dae_port" ] && break
	sleep 0.1
done
# a replayed request an hour old is dropped silently (Event-Timestamp window 300 s)
stale_out=$(printf 'Acct-Session-Id = "sess-live"\nEvent-Timestamp = %s\nMessage-Authenticator = 0x00\n' "$(($(date +%s) - 3600))" |
	radclient -r 1 -t 1 -x "127.0.0.1:$dae_port" disconnect "coa-$$" 2>&1)
rc_out=$(printf 'Acct-Session-Id = "sess-live"\nUser-Name = "alice"\nFramed-IP-Address = 192.0.2.10\nEvent-Timestamp = %s\nMessage-Authenticator = 0x00\n' "$(date +%s)" |
	radclient -r 1 -t 3 -x "127.0.0.1:$dae_port" disconnect "coa-$$" 2>&1)
wait "$dae_pid"
out=$(cat "$dir/dae.out")
echo "$rc_out" | tail -3
check "Disconnect-Request reached the callback" "$out" "dae_session=sess-live"
check "Disconnect-Request Framed-IP-Address decoded" "$out" "dae_framed_ip=192.0.2.10"
check "Disconnect answered" "$out" "dae_answered=1"
check "stale Disconnect-Request (Event-Timestamp) got no answer" "$(grep -o 'No reply from server' <<<"$stale_out" | head -1)" "No reply from server"
check "stale request counted by its reason" "$out" "dae_drop_stale_event_timestamp=1"
check "radclient got Disconnect-ACK" "$(grep -o 'Received Disconnect-ACK' <<<"$rc_out")" "Received Disconnect-ACK"

# forged reply: a fake server answers with an authenticator made with another secret
out=$("$driver" forge)
check "forged replies were sent" "$out" "forged_sent=[1-9][0-9]*"
check "forged replies dropped and counted" "$out" "drop_bad_authenticator=[1-9][0-9]*"
check "forged request ends in timeout, never accept" "$out" "status=timeout"

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed; FreeRADIUS log:"; tail -40 "$dir/log/radius.log"
	exit 1
fi
echo "all checks passed"
