#!/usr/bin/env bash
# Issue 6: authentications per second through the gateway's control core against a private
# FreeRADIUS on 127.0.0.1 (floor: 2,000/s PAP on the 2-core dev machine), beside the
# lib-level rate (tests/integration/aaa/aaa_driver bench, lib/aaa alone) measured in the
# same run, and the worker loop's iteration times with requests in flight vs idle.
# Not a test: nothing here asserts a time.
#
#   bash bench/aaa/ctl-auth-bench.sh [--build DIR] [--out DIR] [--runs N] [--seconds S]
#                                    [--window N] [--lib-count N]
#
# Writes DIR/ctl_auth.json (Google Benchmark, every repetition + median aggregates),
# DIR/lib_auth-N.txt (aaa_driver), DIR/ctl_auth_summary.json (medians and ratios), and
# prints the summary. bench/run calls it.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build out= runs=5 secs=5 window=1024 lib_count=20000
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift ;;
	--out) out=$2; shift ;;
	--runs) runs=$2; shift ;;
	--seconds) secs=$2; shift ;;
	--window) window=$2; shift ;;
	--lib-count) lib_count=$2; shift ;;
	*) echo "usage: $0 [--build DIR] [--out DIR] [--runs N] [--seconds S] [--window N] [--lib-count N]" >&2; exit 2 ;;
	esac
	shift
done
BENCH=$build/bench/aaa/bench_ctl_auth
DRIVER=$build/tests/integration/aaa/aaa_driver
for x in "$BENCH" "$DRIVER"; do [ -x "$x" ] || { echo "build first: ninja -C $build ($x)" >&2; exit 1; }; done
command -v freeradius >/dev/null || { echo "freeradius not installed" >&2; exit 1; }
dir=$(mktemp -d "/tmp/sg-ctlauth-$$-XXXX")
out=${out:-$dir/out}
mkdir -p "$out"
prefix=sgca$$
# shellcheck source=../../tests/integration/aaa/radiusd-lib.sh
source "$root/tests/integration/aaa/radiusd-lib.sh"
cleanup() {
	radiusd_stop
	rm -rf "/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
secret="ctlauth-$$"
radiusd_start "$dir/radiusd" "$secret" || exit 1
cut -d' ' -f1 /proc/loadavg >"$out/loadavg-start.txt" # a shared machine: numbers need context

# The daemon's config: RADIUS backend on that server, one worker, a pool in the
# benchmarking range (RFC 2544; no packet ever uses it), no ports opened.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=sstp.example -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
cat >"$dir/sstpgw.json" <<JSON
{
  "eal": { "args": ["--no-huge", "--no-pci", "-m", "256", "--no-shconf", "--file-prefix=$prefix",
                    "--log-level=lib.ethdev:crit"] },
  "lcores": { "control": 0, "workers": [1] },
  "ports": {
    "wan": { "devargs": "net_null0", "ipv4": "192.0.2.1/24" },
    "lan": { "devargs": "net_null1", "ipv4": "198.51.100.1/24" }
  },
  "tls": { "certificate": "$dir/cert.pem", "key": "$dir/key.pem" },
  "auth": {
    "backend": "radius",
    "radius": {
      "servers": [ { "address": "127.0.0.1", "auth_port": $RADIUSD_AUTH, "acct_port": $RADIUSD_ACCT,
                     "secret": "$secret" } ],
      "nas_identifier": "sstpgw-bench", "timeout": 2, "retries": 3, "max_inflight": 4096
    }
  },
  "pools": [ { "name": "bench", "ipv4": "198.18.0.0/16" } ],
  "limits": { "sessions": 1024, "sessions_per_core": 1024, "tcp_connections_per_core": 2048, "mbufs": 8191 },
  "log": { "level": "warning" },
  "telemetry": false
}
JSON

# lib-level: lib/aaa's client alone, same server, same user (no Framed-IP), PAP
echo "[ctl-auth] lib-level PAP, $runs runs of $lib_count" >&2
for i in $(seq "$runs"); do
	timeout 300 "$DRIVER" --timeout-ms 2000 --retries 3 \
		--server "127.0.0.1:$RADIUSD_AUTH:$RADIUSD_ACCT:$secret" \
		bench "$lib_count" 256 eve eap-md5-pw >"$out/lib_auth-$i.txt" 2>&1
done
# through the control core: idle, PAP, MS-CHAPv2; each repetition restarts the control loop
echo "[ctl-auth] control core: $runs repetitions of ${secs}s per mode, window $window" >&2
timeout $((runs * (3 * secs + 40) + 60)) taskset -c 0,1 "$BENCH" --config "$dir/sstpgw.json" \
	--seconds "$secs" --window "$window" --user eve --password eap-md5-pw \
	--benchmark_repetitions="$runs" --benchmark_format=json >"$out/ctl_auth.json" 2>"$out/ctl_auth.log"
rc=$?
cut -d' ' -f1 /proc/loadavg >"$out/loadavg-end.txt"
[ $rc = 0 ] || { echo "[ctl-auth] bench_ctl_auth exit $rc:" >&2; tail -20 "$out/ctl_auth.log" >&2; }
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None
lib = []
for f in sorted(glob.glob(os.path.join(out, "lib_auth-*.txt"))):
    kv = dict(l.strip().split("=", 1) for l in open(f) if "=" in l)
    if "bench_auth_per_sec" in kv and int(kv.get("bench_accepted", 0)) > 0:
        lib.append(float(kv["bench_auth_per_sec"]))
S = {"floor_auth_per_s": 2000, "lib_pap_auth_per_s_runs": lib, "lib_pap_auth_per_s_median": med(lib)}
try:
    runs = [b for b in json.load(open(os.path.join(out, "ctl_auth.json")))["benchmarks"]
            if b.get("run_type") == "iteration" and not b.get("error_occurred")]
except (OSError, ValueError, KeyError):
    runs = []
keys = ("auth_per_s", "accepted", "not_accepted", "no_msg", "ring_full", "loop_iterations", "loop_p50_ns",
        "loop_p99_ns", "loop_p999_ns", "loop_max_ns", "loop_over_100us", "busy_iterations", "busy_p50_ns", "busy_p99_ns",
        "busy_max_ns", "auth_p50_us", "auth_p99_us")
for mode in ("idle", "pap", "mschapv2"):
    rs = [b for b in runs if b["name"].startswith(f"BM_ctl_auth_{mode}")]
    if rs:
        S[mode] = {k: med([b.get(k) for b in rs]) for k in keys}
        S[mode]["auth_per_s_runs"] = [b.get("auth_per_s") for b in rs]
        S[mode]["repetitions"] = len(rs)
R = {}
for mode in ("pap", "mschapv2"):
    a = S.get(mode, {}).get("auth_per_s")
    if a:
        R[f"ctl_{mode}_vs_floor"] = a / 2000
        if S["lib_pap_auth_per_s_median"]:
            R[f"ctl_{mode}_vs_lib_pap"] = a / S["lib_pap_auth_per_s_median"]
    for q in ("loop_p50_ns", "loop_p99_ns"):
        busy, idle = S.get(mode, {}).get(q), S.get("idle", {}).get(q)
        if busy and idle:
            R[f"ctl_{mode}_{q}_vs_idle"] = busy / idle
S["ratios"] = R
for k in ("start", "end"):
    try:
        S[f"loadavg_1min_{k}"] = float(open(os.path.join(out, f"loadavg-{k}.txt")).read())
    except (OSError, ValueError):
        pass
json.dump(S, open(os.path.join(out, "ctl_auth_summary.json"), "w"), indent=2, sort_keys=True)
f = lambda v, p="{:.0f}": "n/a" if v is None else p.format(v)
print(f"lib-level PAP (lib/aaa alone): median {f(S['lib_pap_auth_per_s_median'])}/s of {len(lib)} runs")
for mode in ("idle", "pap", "mschapv2"):
    m = S.get(mode)
    if not m:
        print(f"{mode}: no result")
        continue
    print(f"{mode:9s} auth/s {f(m['auth_per_s'])} (runs {', '.join(f(x) for x in m['auth_per_s_runs'])}); "
          f"worker loop p50 {f(m['loop_p50_ns'])} ns p99 {f(m['loop_p99_ns'])} ns p99.9 {f(m['loop_p999_ns'])} ns "
          f"max {f(m['loop_max_ns'] / 1000 if m['loop_max_ns'] else None)} us, >100us {f(m['loop_over_100us'])} "
          f"of {f(m['loop_iterations'])}; iterations that moved requests/answers: {f(m['busy_iterations'])}, "
          f"p50 {f(m['busy_p50_ns'])} ns p99 {f(m['busy_p99_ns'])} ns; auth p50 {f(m['auth_p50_us'])} us p99 {f(m['auth_p99_us'])} us")
print(f"1-min load average {S.get('loadavg_1min_start')} -> {S.get('loadavg_1min_end')} on {os.cpu_count()} CPUs")
for k, v in sorted(R.items()):
    print(f"{k} = {v:.3g}")
PY
