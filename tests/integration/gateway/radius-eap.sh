#!/usr/bin/env bash
# EAP relayed through sstpgw to a private FreeRADIUS (root; exit 77 otherwise).
# sg-gw-client (lib/ppp's EAP peer) -> sstpgw (PPP EAP pass-through, RADIUS EAP-Message +
# State + Message-Authenticator, several Access-Challenge rounds) -> FreeRADIUS (eap module,
# md5 and mschapv2). Proves:
#   - EAP-MD5: accepted, no keys: the crypto binding uses a zero HLAK; address, pings;
#   - EAP-MSCHAPv2 (the client Naks FreeRADIUS' default md5): the HLAK is the MSK's first
#     32 bytes from MS-MPPE-Recv/Send-Key; the gateway verifies the client's compound MAC;
#   - the same call with a wrong HLAK (--bad-hlak) is refused by the gateway;
#   - wrong passwords (EAP-MD5 and EAP-MSCHAPv2) are refused (exit 2);
#   - a client that does not do EAP Naks it in LCP and falls back to MS-CHAPv2;
#   - sessions and the pool are back to zero; every round went through the control core;
#   - with the local users file instead of RADIUS, EAP-MD5 works too (lib/aaa carries the
#     challenge in an authenticated State) and EAP-MSCHAPv2 is refused.
# shellcheck source=lab.sh
source "$(dirname "$0")/lab.sh"
lab_init "$@"
command -v freeradius >/dev/null || { echo "SKIP: freeradius not installed"; exit 77; }
# shellcheck source=../aaa/radiusd-lib.sh
source "$aaa_dir/radiusd-lib.sh"
mkdir -p "$tmp/radius"
radiusd_start "$tmp/radius" "eap-secret-$id" || { bad "FreeRADIUS did not start"; lab_finish; }
write_config "$tmp/gw.json" 1 "$RADIUSD_AUTH $RADIUSD_ACCT eap-secret-$id" "" \
	'c["ppp"]["auth"] = ["eap", "mschapv2", "pap"]'
# bob's Framed-IP-Address (192.0.2.11) is outside the pool: steered, routed here
ip -n "$lan" route add 192.0.2.11/32 via 198.51.100.1
start_daemon "$tmp/gw.json" 1

# 1. EAP-MD5 (eve): zero HLAK, pool address, pings
out=$(cl -u eve -p eap-md5-pw -a eap-md5 --ping 198.51.100.2 --count 2 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "^HLAK zero" && echo "$out" | grep -q "^ADDRESS 203.0.113."; then
	ok "EAP-MD5: $(echo "$out" | grep -E 'HLAK|ADDRESS|PINGS' | tr '\n' ' ')"
else
	bad "EAP-MD5: rc $rc: $out"
fi
ch1=$(stat_of auth_challenges)
[ "${ch1:-0}" -ge 1 ] && ok "EAP-MD5: $ch1 Access-Challenge round(s) relayed (the md5 challenge)" ||
	bad "EAP-MD5: challenges relayed: ${ch1:-none}"

# 2. EAP-MSCHAPv2 (bob): HLAK from the MSK, Framed-IP, pings
out=$(cl -u bob -p builder -a eap-mschapv2 --ping 198.51.100.2 --count 2 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "^HLAK keys" && echo "$out" | grep -q "^ADDRESS 192.0.2.11"; then
	ok "EAP-MSCHAPv2: $(echo "$out" | grep -E 'HLAK|ADDRESS|PINGS' | tr '\n' ' ')"
else
	bad "EAP-MSCHAPv2: rc $rc: $out"
fi
ch2=$(stat_of auth_challenges)
[ $((ch2 - ch1)) -ge 3 ] && ok "EAP-MSCHAPv2: $((ch2 - ch1)) Access-Challenge rounds (md5 naked, mschapv2 challenge, success)" ||
	bad "EAP-MSCHAPv2: challenges relayed: $((ch2 - ch1))"

# 3. the same with a wrong HLAK: authentication passes, the crypto binding must not
out=$(cl -u bob -p builder -a eap-mschapv2 --bad-hlak --timeout 20 2>&1); rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q "^HLAK keys" && ! echo "$out" | grep -q "^ADDRESS"; then
	ok "EAP-MSCHAPv2 with a wrong HLAK: refused by the gateway (rc $rc)"
else
	bad "EAP-MSCHAPv2 wrong HLAK: rc $rc: $out"
fi
out=$(cl -u eve -p eap-md5-pw -a eap-md5 --bad-hlak --timeout 20 2>&1); rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q "^HLAK zero" && ! echo "$out" | grep -q "^ADDRESS"; then
	ok "EAP-MD5 with a non-zero HLAK: refused by the gateway (rc $rc)"
else
	bad "EAP-MD5 wrong HLAK: rc $rc: $out"
fi

# 4. wrong passwords
out=$(cl -u eve -p not-it -a eap-md5 --timeout 20 2>&1); rc=$?
[ $rc -eq 2 ] && ok "EAP-MD5: wrong password refused" || bad "EAP-MD5 wrong password: rc $rc: $out"
out=$(cl -u bob -p not-builder -a eap-mschapv2 --timeout 20 2>&1); rc=$?
[ $rc -eq 2 ] && ok "EAP-MSCHAPv2: wrong password refused" || bad "EAP-MSCHAPv2 wrong password: rc $rc: $out"

# 5. a client without EAP: LCP Nak, MS-CHAPv2 through RADIUS as before
out=$(cl -u bob -p builder -a mschapv2 --ping 198.51.100.2 --count 1 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^ADDRESS 192.0.2.11" &&
	ok "no EAP in the client: falls back to MS-CHAPv2" || bad "fallback to MS-CHAPv2: rc $rc: $out"

wait_idle && ok "sessions and pool usage back to zero" || { bad "sessions left"; tel sessions; }
echo "info: auth_requests $(stat_of auth_requests) auth_challenges $(stat_of auth_challenges)" \
	"auth_accepts $(stat_of auth_accepts) auth_rejects $(stat_of auth_rejects)"
stop_daemon && ok "SIGTERM exit 0" || bad "SIGTERM exit status"
radiusd_stop

# 6. the local users file: EAP-MD5 in the gateway itself
write_config "$tmp/gw-local.json" 1 "" "" 'c["ppp"]["auth"] = ["eap", "mschapv2"]'
start_daemon "$tmp/gw-local.json" 1
out=$(cl -u alice -p alice-lab-password -a eap-md5 --ping 198.51.100.2 --count 1 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^HLAK zero" && echo "$out" | grep -q "^ADDRESS 203.0.113." &&
	ok "local users: EAP-MD5: $(echo "$out" | grep -E 'ADDRESS|PINGS' | tr '\n' ' ')" ||
	bad "local users EAP-MD5: rc $rc: $out"
out=$(cl -u alice -p wrong -a eap-md5 --timeout 20 2>&1); rc=$?
[ $rc -eq 2 ] && ok "local users: EAP-MD5 wrong password refused" || bad "local EAP-MD5 wrong password: rc $rc: $out"
out=$(cl -u alice -p alice-lab-password -a eap-mschapv2 --timeout 20 2>&1); rc=$?
[ $rc -eq 2 ] && ok "local users: EAP-MSCHAPv2 (not offered locally) refused" || bad "local EAP-MSCHAPv2: rc $rc: $out"
wait_idle && ok "local users: sessions and pool usage back to zero" || bad "local users: sessions left"
stop_daemon && ok "local users: SIGTERM exit 0" || bad "local users: SIGTERM exit status"
lab_finish
