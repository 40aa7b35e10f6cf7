# shellcheck shell=bash
# sstpgw and sstp-loadgen over net_memif: the set-up the gateway benchmark stages
# (bench/gateway/*) and the memif integration test share. Source it, then:
#   gwm_init BUILD_DIR WORK_DIR       names (with $$), certificate helpers, trap-safe cleanup
#   gwm_cert ecdsa|rsa                 a P-256 or RSA-2048 self-signed certificate for the gateway
#   gwm_config [sessions]              write $GWM_WORK/gw.json (memif ports in server role,
#                                      sockets in $GWM_WORK, 1 worker on $GWM_CORE_WORKER)
#   gwm_start / gwm_stop               the daemon (waits for "sstpgw running")
#   gwm_loadgen JSON ARGS...           one generator run over memif (client role) on
#                                      $GWM_CORE_GEN against the running daemon; its rc; the
#                                      JSON at JSON. It STOPS THE DAEMON at its end (below):
#                                      gwm_start again before the next run
#   gwm_cleanup                        stop everything (call from the caller's EXIT trap)
# Layout on 2 cores: the gateway's worker alone on core 1; the gateway's control lcore
# (sleeps 1 ms between polls) and the generator share core 0.
# Addresses (documentation ranges only; nothing leaves the two memif links):
#   generator WAN 192.0.2.2 -- memif -- 192.0.2.1 sstpgw 198.51.100.1 -- memif -- 198.51.100.2
#   generator LAN; pool 203.0.113.0/24.

gwm_init() {
	GWM_BUILD=$1 GWM_WORK=$2
	GWM_GW=$GWM_BUILD/app/sstpgw/sstpgw
	GWM_CTL=$GWM_BUILD/app/sstpgw-ctl/sstpgw-ctl
	GWM_LG=$GWM_BUILD/app/sstp-loadgen/sstp-loadgen
	GWM_PREFIX=sggm$$
	GWM_PID= GWM_LG_PID=
	local n
	n=$(nproc)
	GWM_CORE_WORKER=${GWM_CORE_WORKER:-$((n > 1 ? 1 : 0))}
	GWM_CORE_CTL=${GWM_CORE_CTL:-0}
	GWM_CORE_GEN=${GWM_CORE_GEN:-0}
	GWM_CERT=${GWM_CERT:-ecdsa}
	mkdir -p "$GWM_WORK"
	printf '[{"name": "lg", "password": "lg secret"}]\n' >"$GWM_WORK/users.json"
}

gwm_cert() {
	local kopt
	if [ "$1" = rsa ]; then kopt=(-newkey rsa:2048); else kopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
	openssl req -x509 "${kopt[@]}" -nodes -days 2 -subj /CN=sstp.example \
		-keyout "$GWM_WORK/server.key" -out "$GWM_WORK/server.pem" 2>/dev/null
	GWM_CERT=$1
}

gwm_config() { # [sessions]
	[ -f "$GWM_WORK/server.pem" ] || gwm_cert "$GWM_CERT"
	python3 - "$GWM_WORK" "${1:-4096}" "$GWM_CORE_CTL" "$GWM_CORE_WORKER" <<'PY'
import json, sys
w, n, ctl, wk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
memif = "net_memif%d,role=server,id=0,socket=%s/%s.sock,socket-abstract=no,rsize=11"
c = {
  "eal": {"args": ["--no-huge", "--no-pci", "-m", "1024"]},
  "lcores": {"control": ctl, "workers": [wk if wk != ctl else ctl + 1]},
  "ports": {
    "wan": {"devargs": memif % (0, w, "wan"), "ipv4": "192.0.2.1/24", "mtu": 1500},
    "lan": {"devargs": memif % (1, w, "lan"), "ipv4": "198.51.100.1/24", "mtu": 1500},
  },
  "listen": {"port": 443},
  "tls": {"certificate": "server.pem", "key": "server.key", "min_version": "1.2", "max_version": "1.3"},
  "ppp": {"mtu": 1400, "mru": 1400, "auth": ["pap", "mschapv2"], "ipv6": False},
  "auth": {"backend": "local", "local": {"users_file": "users.json"}},
  "pools": [{"name": "default", "ipv4": "203.0.113.0/24"}],
  "limits": {"sessions": n, "sessions_per_core": n, "half_open": 4096,
             "tcp_connections_per_core": max(2 * n, 1024), "mbufs": 65535},
  "timers": {"handshake_timeout": 30},
  "log": {"level": "notice"},
  "telemetry": True,
}
json.dump(c, open(w + "/gw.json", "w"), indent=1)
PY
}

gwm_start() {
	local t map
	# Two lcores may share one CPU (on a 1-CPU machine): map them explicitly.
	map="0@$GWM_CORE_CTL,1@$GWM_CORE_WORKER"
	: >"$GWM_WORK/gw.log"
	"$GWM_GW" -c "$GWM_WORK/gw.json" -- --file-prefix="$GWM_PREFIX" --lcores="$map" \
		>>"$GWM_WORK/gw.log" 2>&1 &
	GWM_PID=$!
	for t in $(seq 1 100); do
		grep -q "sstpgw running" "$GWM_WORK/gw.log" 2>/dev/null && return 0
		kill -0 "$GWM_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "gwm: sstpgw did not start:" >&2
	tail -20 "$GWM_WORK/gw.log" >&2
	return 1
}

gwm_ctl() { "$GWM_CTL" -p "$GWM_PREFIX" -r "$@"; }

gwm_stop() { # sets GWM_RC to the daemon's exit status (0: clean SIGTERM shutdown)
	GWM_RC=
	[ -n "$GWM_PID" ] || return 0
	kill -TERM "$GWM_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$GWM_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$GWM_PID" 2>/dev/null
	wait "$GWM_PID" 2>/dev/null
	GWM_RC=$?
	GWM_PID=
	rm -rf "/run/dpdk/$GWM_PREFIX" "$GWM_WORK"/*.sock 2>/dev/null
}

# gwm_loadgen JSON ARGS...: DPDK 22.11's memif PMD faults (SIGSEGV in rx_burst, seen in
# sstpgw's worker under gdb) when the peer disconnects while this side polls: the
# interrupt thread unmaps the rings under the polling thread. So no process may ever see its
# memif peer leave while it polls: the generator writes its JSON and then lingers without
# polling; meanwhile $GWM_AFTER_RUN (a function name, optional) may look at the daemon;
# then the daemon is stopped first (it disconnects the links itself), the generator last.
gwm_loadgen() {
	local json=$1 rc t
	shift
	rm -f "$json"
	taskset -c "$GWM_CORE_GEN" "$GWM_LG" --transport memif --wan-sock "$GWM_WORK/wan.sock" \
		--lan-sock "$GWM_WORK/lan.sock" --lcore "$GWM_CORE_GEN" --server 192.0.2.1:443 \
		--user lg --password 'lg secret' --linger --quiet --json "$json" "$@" \
		>"$json.out" 2>"$json.err" &
	GWM_LG_PID=$!
	for ((t = 0; t < ${GWM_LG_TIMEOUT:-600} * 10; t++)); do
		grep -qx "$json" "$json.out" 2>/dev/null && break
		kill -0 "$GWM_LG_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "${GWM_AFTER_RUN:-}" ] && "$GWM_AFTER_RUN" "$json"
	gwm_stop
	kill -TERM "$GWM_LG_PID" 2>/dev/null
	wait "$GWM_LG_PID"
	rc=$?
	rm -rf "/run/dpdk/sglg$GWM_LG_PID" 2>/dev/null
	GWM_LG_PID=
	[ -f "$json" ] || rc=1
	return $rc
}

gwm_cleanup() {
	if [ -n "${GWM_LG_PID:-}" ]; then
		kill -KILL "$GWM_LG_PID" 2>/dev/null
		rm -rf "/run/dpdk/sglg$GWM_LG_PID" 2>/dev/null
	fi
	gwm_stop
}
