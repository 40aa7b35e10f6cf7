#!/usr/bin/env bash
# sstpgw under churn for SG_SOAK_SECONDS (default 600, issue 5's ten minutes): one worker
# on net_af_packet, 50 concurrent clients (two sstp-loadgen churn runs of 25: inner ICMP
# to the LAN server and inner UDP to a LAN reflector) that loop connect -> authenticate
# (PAP and MS-CHAPv2 alternately) -> traffic -> end the call (SSTP disconnect, TCP RST or
# a plain close) with random hold times, and every 30 s a real sstpc call
# (sg-sstpc-peer) with pings when it is built. Then:
#   - no call failed for any reason but its own deliberate end (totals and reasons printed)
#   - sessions active 0, pool4 used 0, lib/tcp connections 0
#   - mbufs in use back to the baseline taken before the churn
#   - the daemon's RSS at the end within a small bound of its RSS at 1/3 (after warm-up)
#   - no error line in the daemon's log; telemetry still answers; SIGTERM: exit 0
#
#   soak.sh SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR SG_SSTPC_PEER SSTP_LOADGEN (root)
# shellcheck source=lab.sh
source "$(dirname "$0")/lab.sh"
lab_init "${@:1:5}"
loadgen=${6:-}
[ -x "$loadgen" ] || { echo "SKIP: sstp-loadgen not built"; exit 77; }
seconds=${SG_SOAK_SECONDS:-600}
clients_per_run=25
rss_slack_kib=${SG_SOAK_RSS_SLACK_KIB:-4096}

have_sstpc=0
if [ -n "$sstpc_peer" ] && [ -x "$sstpc_peer" ] && command -v sstpc >/dev/null; then
	have_sstpc=1
fi
# sstpc 1.0.18 can stall on a TLS 1.3 server's first flight (tests/interop/sstpc/README.md):
# with sstpc in the mix the gateway offers TLS 1.2, as run.sh does.
tls_max=
[ $have_sstpc = 1 ] && tls_max=1.2
write_config "$tmp/gw.json" 1 "" "$tls_max" '
c["limits"].update({"sessions": 128, "sessions_per_core": 128})
c["timers"]["handshake_timeout"] = 15
'
start_daemon "$tmp/gw.json" 1

sessions_json() { tel sessions; }
field() { # a value from a telemetry command: field "CMD [ARG]" KEY [SUBKEY]
	# shellcheck disable=SC2086
	tel $1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d[list(d)[0]]
for k in sys.argv[1:]:
    d = d[k]
print(d)' "${@:2}"
}
mbufs_in_use() { field "cmd /sstpgw/mempool" mbufs in_use; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }

# --- warm-up: one call with pings, then the baseline
out=$(cl -u alice -p alice-lab-password --ping 198.51.100.2 --count 3 2>&1) ||
	bad "warm-up call: $out"
wait_idle || bad "warm-up: sessions left"
sleep 1
base_mbufs=$(mbufs_in_use)
echo "info: baseline: mbufs in use $base_mbufs, RSS $(rss_kib) KiB, churn for $seconds s"

# --- the LAN reflector for inner UDP and the two churning load generators
ip netns exec "$lan" "$loadgen" --mode udp-echo --bind 198.51.100.2 --udp-port 7 \
	--duration $((seconds + 120)) --quiet --json "$tmp/echo.json" >/dev/null 2>&1 &
bg_pids+=($!)
sleep 0.3
lg_run() { # name inner extra...
	local name=$1 inner=$2
	shift 2
	ip netns exec "$cli" "$loadgen" --mode churn --server 192.0.2.1:443 --user alice \
		--password alice-lab-password --auth mix --clients $clients_per_run \
		--duration "$seconds" --rate 100 --inner "$inner" --target 198.51.100.2 \
		--hold-min 1 --hold-max 8 --setup-timeout 30 --max-pending 8 --quiet \
		--json "$tmp/$name.json" "$@" >"$tmp/$name.out" 2>&1
}
lg_run icmp icmp --seed 1 &
lg_icmp=$!; bg_pids+=($lg_icmp)
lg_run udp udp --udp-port 7 --seed 2 &
lg_udp=$!; bg_pids+=($lg_udp)

# --- sample while they churn: sessions, mbufs in use, RSS at 1/3 and at the end
start=$(date +%s)
third=$((start + seconds / 3))
rss_third= max_sess=0 max_mbufs=0 sstpc_ok=0 sstpc_calls=0 next_sstpc=$((start + 10))
mkdir -p /var/run/sstpc
while kill -0 $lg_icmp 2>/dev/null || kill -0 $lg_udp 2>/dev/null; do
	now=$(date +%s)
	a=$(field sessions active 2>/dev/null) || { bad "telemetry did not answer during the churn"; break; }
	m=$(mbufs_in_use)
	[ "$a" -gt "$max_sess" ] && max_sess=$a
	[ "$m" -gt "$max_mbufs" ] && max_mbufs=$m
	if [ -z "$rss_third" ] && [ "$now" -ge "$third" ]; then
		rss_third=$(rss_kib)
		echo "info: at 1/3 ($((now - start)) s): RSS $rss_third KiB, sessions $a, mbufs in use $m"
	fi
	if [ $have_sstpc = 1 ] && [ "$now" -ge "$next_sstpc" ] && [ "$now" -lt $((start + seconds - 20)) ]; then
		sstpc_calls=$((sstpc_calls + 1))
		auth=mschapv2; [ $((sstpc_calls % 2)) = 0 ] && auth=pap
		if sout=$(ip netns exec "$cli" timeout 60 "$sstpc_peer" --server 192.0.2.1 --user bob \
			--password bob-lab-password --auth $auth --ping 3 --ping-dst 198.51.100.2 \
			--hold 1 --timeout 45 --ipparam "sgs$id$sstpc_calls" 2>"$tmp/sstpc.err") &&
			echo "$sout" | grep -q "PING sent=3 replies=3"; then
			sstpc_ok=$((sstpc_ok + 1))
		else
			bad "real sstpc call $sstpc_calls ($auth) during the churn: $sout $(tail -3 "$tmp/sstpc.err")"
		fi
		next_sstpc=$(($(date +%s) + 30))
	fi
	sleep 2
done
rss_end=$(rss_kib)
wait $lg_icmp; rc_icmp=$?
wait $lg_udp; rc_udp=$?
[ $rc_icmp -eq 0 ] && [ $rc_udp -eq 0 ] || bad "sstp-loadgen exit: icmp $rc_icmp udp $rc_udp"
echo "info: peak: $max_sess sessions, $max_mbufs mbufs in use"
[ $have_sstpc = 1 ] && { [ "$sstpc_calls" -gt 0 ] && [ "$sstpc_calls" = "$sstpc_ok" ] &&
	ok "real sstpc: $sstpc_ok of $sstpc_calls calls (MS-CHAPv2/PAP, bob with his fixed address inside the pool) pinged through during the churn" ||
	bad "real sstpc: $sstpc_ok of $sstpc_calls calls"; }
[ $have_sstpc = 1 ] || echo "info: sstpc or sg-sstpc-peer missing: no real sstpc calls in the mix"

# --- the totals of both generators
for name in icmp udp; do
	if ! python3 - "$tmp/$name.json" "$name" >"$tmp/$name.verdict" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1])); r = d["result"]; name = sys.argv[2]
print("info: %s: %d calls started, %d up, %d completed (%d SSTP disconnect, %d TCP RST, %d close), "
      "%d failed %s; PAP %d, MS-CHAPv2 %d; inner %d sent, %d answered (loss %.3f%%)" % (
      name, r["calls_started"], r["calls_up"], r["calls_completed"], r["ended_disconnect"],
      r["ended_rst"], r["ended_fin"], r["calls_failed"], json.dumps(d["failures"]),
      r["auth_pap"], r["auth_mschapv2"], r["tx_pkts"], r["rx_pkts"], 100 * r["loss"]))
bad = []
if r["calls_failed"]: bad.append("%d calls failed: %s" % (r["calls_failed"], d["failures"]))
if r["left_open"]: bad.append("%d calls still open at the end" % r["left_open"])
if r["calls_up"] < 25: bad.append("only %d calls came up" % r["calls_up"])
if r["rx_pkts"] == 0: bad.append("no inner reply")
if r["loss"] > 0.01: bad.append("inner loss %.2f%%" % (100 * r["loss"]))
if bad:
    print("BAD " + "; ".join(bad)); sys.exit(1)
PY
		bad "$name churn: $(grep BAD "$tmp/$name.verdict" || tail -3 "$tmp/$name.out")"
	fi
	grep info "$tmp/$name.verdict"
done
grep -q BAD "$tmp/icmp.verdict" "$tmp/udp.verdict" ||
	ok "churn: every call of 2 x $clients_per_run clients came up and ended as it chose, none failed"

# --- everything back: sessions, pool, TCP, mbufs
wait_idle && ok "sessions active 0, pool4 used 0" || bad "sessions left: $(tel sessions)"
for t in $(seq 1 60); do
	[ "$(field sessions tcp_conns)" = 0 ] && break
	sleep 0.5
done
tc=$(field sessions tcp_conns)
[ "$tc" = 0 ] && ok "lib/tcp connections 0 ($(field sessions tcp_time_wait) in TIME_WAIT)" ||
	bad "lib/tcp connections left: $tc"
for t in $(seq 1 20); do
	[ "$(mbufs_in_use)" -le "$base_mbufs" ] && break
	sleep 0.5
done
m=$(mbufs_in_use)
[ "$m" -le "$base_mbufs" ] && ok "mbufs in use back to the baseline ($m, baseline $base_mbufs, peak $max_mbufs)" ||
	bad "mbufs in use $m, baseline $base_mbufs"
a=$(field "cmd /sstpgw/mempool" auth_msgs in_use)
[ "$a" = 0 ] && ok "auth messages in use 0" || bad "auth messages in use: $a"
if [ -n "$rss_third" ] && [ -n "$rss_end" ]; then
	echo "info: RSS at 1/3 $rss_third KiB, at the end $rss_end KiB (growth $((rss_end - rss_third)) KiB, bound $rss_slack_kib)"
	[ $((rss_end - rss_third)) -le "$rss_slack_kib" ] && ok "RSS did not grow past the bound" ||
		bad "RSS grew $((rss_end - rss_third)) KiB"
else
	bad "RSS not sampled"
fi
echo "info: gateway: $(tel stats | python3 -c '
import json, sys
t = json.load(sys.stdin)["/sstpgw/stats"]["total"]
print(", ".join("%s %d" % (k, t[k]) for k in ("sessions_accepted", "sessions_opened",
      "sessions_closed", "sessions_timed_out", "auth_accepts", "auth_rejects",
      "inner_rx_packets", "inner_tx_packets", "drops")))
print("  non-zero drops: " + ", ".join("%s %d" % (k, v) for k, v in t.items()
      if v and k not in ("drops",) and not k.endswith(("packets", "replies", "consumed",
      "messages", "_sent", "_received", "resolved", "accepted", "opened", "closed",
      "requests", "accepts", "rejects", "timed_out"))))')"
errs=$(grep -E "ERR|CRIT|ALERT|EMERG|error" "$tmp/gw.log" | head -5)
[ -z "$errs" ] && ok "no error line in the daemon's log" || bad "errors in the log: $errs"
stop_daemon && ok "SIGTERM: exit 0" || bad "SIGTERM: exit $?"
lab_finish
