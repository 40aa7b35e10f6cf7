# Shared set-up of the sstpgw end-to-end tests; sourced, not run. Each test script:
#
#   source "$(dirname "$0")/lab.sh"
#   lab_init "$@"               # SSTPGW SSTPGW_CTL SG_GW_CLIENT CONFIG_DIR [SG_SSTPC_PEER]
#   write_config "$tmp/gw.json" 1
#   start_daemon "$tmp/gw.json" 1
#   ... ok / bad ...
#   lab_finish                   # prints the daemon log on failure, exits with the verdict
#
# The lab: client netns (192.0.2.2) -- veth -- [WAN 192.0.2.1 af_packet] sstpgw
# [LAN 198.51.100.1] -- veth -- server netns (198.51.100.2, route to the pool
# 203.0.113.0/24 via the gateway). Everything is removed on every exit path; a script
# adds its own clean-up steps with lab_on_exit "command".
set -uo pipefail

lab_init() {
	[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
	local t
	for t in ip python3 openssl; do
		command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
	done
	[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
	sstpgw=$1 ctl=$2 client=$3 confdir=$4 sstpc_peer=${5:-}
	aaa_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../aaa" && pwd)
	id=$$
	cli=sggc$id lan=sggl$id wan_if=sggw$id lan_if=sggn$id tun=sggt$id
	prefix=sgg$id
	tmp=$(mktemp -d)
	daemon_pid=
	bg_pids=()
	lab_exit_hooks=()
	fail=0
	trap lab_cleanup EXIT

	ip netns add "$cli" && ip netns add "$lan" || { echo "FAIL: netns"; exit 1; }
	ip link add "$wan_if" type veth peer name c0 netns "$cli" || exit 1
	ip link add "$lan_if" type veth peer name s0 netns "$lan" || exit 1
	for t in "$wan_if" "$lan_if"; do
		sysctl -qw "net.ipv6.conf.$t.disable_ipv6=1"
		ip link set "$t" up
	done
	ip -n "$cli" link set lo up; ip -n "$cli" link set c0 up
	ip -n "$lan" link set lo up; ip -n "$lan" link set s0 up
	ip -n "$cli" addr add 192.0.2.2/24 dev c0
	ip -n "$lan" addr add 198.51.100.2/24 dev s0
	ip -n "$lan" route add 203.0.113.0/24 via 198.51.100.1
	# af_packet on veth: the kernel leaves TCP checksums to "offload"; have it compute them.
	ip netns exec "$cli" ethtool -K c0 tx off >/dev/null 2>&1
	ip netns exec "$lan" ethtool -K s0 tx off >/dev/null 2>&1

	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=sstpgw-test -keyout "$tmp/server.key" -out "$tmp/server.pem" 2>/dev/null ||
		{ echo "FAIL: openssl req"; exit 1; }
	cp "$confdir/users.json" "$tmp/users.json"
	lab_write_xfer
}

lab_on_exit() { lab_exit_hooks+=("$1"); }

lab_cleanup() {
	local p h
	for p in "${bg_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	for h in "${lab_exit_hooks[@]}"; do eval "$h"; done
	declare -F radiusd_stop >/dev/null && radiusd_stop
	if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
		kill -KILL "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	ip netns del "$cli" 2>/dev/null
	ip netns del "$lan" 2>/dev/null
	ip link del "$wan_if" 2>/dev/null
	ip link del "$lan_if" 2>/dev/null
	rm -rf "$tmp" /var/run/dpdk/"$prefix" 2>/dev/null
}

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

lab_finish() {
	[ $fail -eq 0 ] || { echo "--- gateway log"; tail -n 60 "$tmp/gw.log"; }
	exit $fail
}

# write_config FILE WORKERS [RADIUS "auth_port acct_port secret"] [TLS_MAX_VERSION] [PATCH]
# PATCH: python statements run last with the config dict as `c` (a test's own keys).
write_config() {
	python3 - "$confdir/sstpgw.json" "$1" "$wan_if" "$lan_if" "$2" "${3:-}" "${4:-}" "${5:-}" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
n = int(sys.argv[5])
radius = sys.argv[6].split()
if sys.argv[7]:
    c["tls"]["max_version"] = sys.argv[7]
q = ",qpairs=%d" % n if n > 1 else ""
c["eal"]["args"] = ["--no-huge", "--no-pci", "-m", "256", "--no-shconf"]
c["lcores"] = {"control": 0, "workers": list(range(1, n + 1))}
c["ports"]["wan"]["devargs"] = "net_af_packet0,iface=" + sys.argv[3] + q
c["ports"]["lan"]["devargs"] = "net_af_packet1,iface=" + sys.argv[4] + q
c["ports"]["wan"]["gateway4"] = None
c["ports"]["wan"]["gateway6"] = None
c["tls"]["certificate"] = "server.pem"
c["tls"]["key"] = "server.key"
c["auth"] = {"backend": "local", "local": {"users_file": "users.json"}}
if radius:
    c["auth"] = {"backend": "radius", "radius": {"servers": [{"address": "127.0.0.1",
        "auth_port": int(radius[0]), "acct_port": int(radius[1]), "secret": radius[2]}],
        "nas_identifier": "sstpgw-test", "timeout": 2, "retries": 2}}
c["limits"].update({"mbufs": 16383, "sessions": 64, "sessions_per_core": 64})
c["timers"]["handshake_timeout"] = 3
c["log"]["level"] = "info"
c["telemetry"] = True
exec(sys.argv[8])
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
}

# start_daemon CONFIG WORKERS: control on CPU 0, workers on CPU 1 (CPU 0 on one core).
start_daemon() {
	local map=0@0 w cpu=1 t
	[ "$(nproc)" -ge 2 ] || cpu=0
	for w in $(seq 1 "$2"); do map="$map,$w@$cpu"; done
	: >"$tmp/gw.log"
	"$sstpgw" -c "$1" -- --file-prefix="$prefix" --lcores="$map" >"$tmp/gw.log" 2>&1 &
	daemon_pid=$!
	for t in $(seq 1 100); do
		grep -q "sstpgw running" "$tmp/gw.log" 2>/dev/null && break
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.2
	done
	grep -q "sstpgw running" "$tmp/gw.log" || { echo "FAIL: daemon did not start"; cat "$tmp/gw.log"; exit 1; }
}

# stop_daemon: SIGTERM and wait; returns the daemon's exit status.
stop_daemon() {
	local rc
	kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=
	return $rc
}

tel() { "$ctl" -p "$prefix" -r "$@"; }
sess_field() { tel sessions | python3 -c 'import json,sys; print(json.load(sys.stdin)["/sstpgw/sessions"][sys.argv[1]])' "$1"; }
stat_of() { tel stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["/sstpgw/stats"]["total"][sys.argv[1]])' "$1"; }
cl() { timeout 60 ip netns exec "$cli" "$client" -s 192.0.2.1 "$@"; }
wait_idle() { # sessions and pool back to zero within 10 s
	local t
	for t in $(seq 1 50); do
		[ "$(sess_field active)" = 0 ] && [ "$(sess_field pool4_used)" = 0 ] && return 0
		sleep 0.2
	done
	return 1
}

# $tmp/xfer.py server|client: 20 MB of random bytes each way at once over one kernel
# TCP connection to 198.51.100.2:5001; prints "SENT <sha256> GOT <sha256> <bytes>".
lab_write_xfer() {
	cat >"$tmp/xfer.py" <<'PY'
import hashlib, os, socket, sys, threading
mode, size = sys.argv[1], 20 * 1024 * 1024
def pump(s, data):
    s.sendall(data); s.shutdown(socket.SHUT_WR)
def drain(s):
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(262144)
        if not b: return h.hexdigest(), n
        h.update(b); n += len(b)
if mode == "server":
    ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("198.51.100.2", 5001)); ls.listen(1); ls.settimeout(60)
    s, _ = ls.accept(); s.settimeout(60)
else:
    s = socket.create_connection(("198.51.100.2", 5001), timeout=60)
data = os.urandom(size)
t = threading.Thread(target=pump, args=(s, data)); t.start()
got, n = drain(s); t.join()
print("SENT", hashlib.sha256(data).hexdigest(), "GOT", got, n)
PY
}

# xfer_20mb LABEL: runs xfer.py between the client netns (whose route to the LAN goes
# through a tunnel the caller set up) and the LAN server; ok/bad with the verdict.
xfer_20mb() {
	local srv start end c_sent c_got c_n s_sent s_got s_n
	timeout 120 ip netns exec "$lan" python3 "$tmp/xfer.py" server >"$tmp/srv.out" 2>&1 &
	srv=$!; sleep 0.5
	start=$(date +%s.%N)
	timeout 120 ip netns exec "$cli" python3 "$tmp/xfer.py" client >"$tmp/cli.out" 2>&1
	end=$(date +%s.%N); wait $srv
	read -r _ c_sent _ c_got c_n <"$tmp/cli.out"; read -r _ s_sent _ s_got s_n <"$tmp/srv.out"
	if [ -n "${c_sent:-}" ] && [ "$c_sent" = "${s_got:-}" ] && [ "${s_sent:-}" = "${c_got:-}" ] &&
		[ "${c_n:-0}" = 20971520 ] && [ "${s_n:-0}" = 20971520 ]; then
		ok "$1: 20 MB each way through the tunnel, SHA-256 match ($(python3 -c "print('%.1f s' % ($end - $start))"))"
		return 0
	fi
	bad "$1: transfer: client: $(tail -2 "$tmp/cli.out") server: $(tail -2 "$tmp/srv.out")"
	return 1
}
