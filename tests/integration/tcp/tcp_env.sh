# shellcheck shell=bash
# Shared setup for the lib/tcp integration scenarios (sourced, not run).
#
# Topology (every name carries the test's PID, addresses are documentation ones):
#
#   netns sgc<PID>                                   netns sgs<PID>
#   tc<PID> 192.0.2.2/24, 2001:db8::2/64  <-veth->  ts<PID> (no address, IPv6 off)
#   Linux TCP client                                 sg-tcp-testsrv (net_af_packet on ts<PID>)
#                                                    192.0.2.1, 2001:db8::1 (its own ARP/ND)
#
# With TOPO=bridge a third namespace sgf<PID> (192.0.2.3) joins through a bridge in
# sgs<PID>, for the SYN flood scenario.
#
# The client veth has checksum offload and TSO/GSO off so that every frame the
# test server sees is a real wire frame with a real checksum, and the Linux
# side verifies the test server's checksums (rx offload off).

set -uo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (network namespaces, veth, af_packet)"
	exit 77
fi
for tool in ip ethtool python3 openssl sha256sum; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not installed (devtools/deps.d/tcplab.txt)"
		exit 77
	fi
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESTSRV:?TESTSRV must point at the sg-tcp-testsrv binary}"
CLIENT="$HERE/tcpclient.py"
ID=$$
NSC=sgc$ID
NSS=sgs$ID
NSF=sgf$ID
VC=tc$ID
VS=ts$ID
WORK=$(mktemp -d "/tmp/sg-tcp-$ID.XXXXXX")
SRV_PID=
SRV_LOG=$WORK/srv.log
SRV_IP4=192.0.2.1
SRV_IP6=2001:db8::1
CLI_IP4=192.0.2.2
MTU=${SG_TCP_MTU:-9000}

log() { echo "[$(date +%T)] $*"; }

cleanup() {
	local rc=$?
	if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then
		kill -TERM "$SRV_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$SRV_PID" 2>/dev/null
	fi
	ip netns del "$NSC" 2>/dev/null
	ip netns del "$NSS" 2>/dev/null
	ip netns del "$NSF" 2>/dev/null
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -f "$SRV_LOG" ]; then
		echo "--- test server log (last 80 lines)"
		tail -80 "$SRV_LOG"
	fi
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*"
	exit 1
}

veth_plain() { # ns dev: no offloads, so frames and checksums are real
	ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
}

setup_net() {
	ip netns add "$NSC" || fail "netns add"
	ip netns add "$NSS" || fail "netns add"
	ip -n "$NSC" link set lo up
	ip -n "$NSS" link set lo up
	ip link add "$VC" mtu "$MTU" type veth peer name "$VS" mtu "$MTU" || fail "veth add"
	ip link set "$VC" netns "$NSC"
	ip link set "$VS" netns "$NSS"
	ip netns exec "$NSS" sysctl -qw "net.ipv6.conf.$VS.disable_ipv6=1"
	veth_plain "$NSC" "$VC"
	veth_plain "$NSS" "$VS"
	if [ "${TOPO:-pair}" = bridge ]; then
		# sgs: bridge br<PID> with ts<PID>'s twin as a port; the test server sits on
		# a second veth (td<PID>) into the bridge; the flooder's veth joins too.
		ip -n "$NSS" link add "br$ID" type bridge
		ip -n "$NSS" link set "br$ID" mtu "$MTU" up
		ip -n "$NSS" link set "$VS" master "br$ID" up
		ip -n "$NSS" link add "td$ID" mtu "$MTU" type veth peer name "tb$ID" mtu "$MTU"
		ip -n "$NSS" link set "tb$ID" master "br$ID" up
		ip netns exec "$NSS" sysctl -qw "net.ipv6.conf.td$ID.disable_ipv6=1"
		ip netns exec "$NSS" sysctl -qw "net.ipv6.conf.br$ID.disable_ipv6=1"
		veth_plain "$NSS" "td$ID"
		veth_plain "$NSS" "tb$ID"
		ip netns add "$NSF" || fail "netns add"
		ip -n "$NSF" link set lo up
		ip link add "tf$ID" mtu "$MTU" type veth peer name "tg$ID" mtu "$MTU"
		ip link set "tf$ID" netns "$NSF"
		ip link set "tg$ID" netns "$NSS"
		ip -n "$NSS" link set "tg$ID" master "br$ID" up
		ip -n "$NSF" addr add 192.0.2.3/24 dev "tf$ID"
		ip -n "$NSF" link set "tf$ID" up
		SRV_IFACE=td$ID
		ip -n "$NSS" link set "$SRV_IFACE" up
	else
		SRV_IFACE=$VS
		ip -n "$NSS" link set "$VS" up
	fi
	ip -n "$NSC" addr add "$CLI_IP4/24" dev "$VC"
	ip -n "$NSC" addr add 2001:db8::2/64 dev "$VC" nodad
	ip -n "$NSC" link set "$VC" up
	# Large socket buffers so the Linux side is not the bottleneck.
	ip netns exec "$NSC" sysctl -qw net.ipv4.tcp_rmem="4096 1048576 16777216"
	ip netns exec "$NSC" sysctl -qw net.ipv4.tcp_wmem="4096 1048576 16777216"
}

# start_server <testsrv options...>: runs in sgs<PID>, waits for "ready".
start_server() {
	# af_packet ring: a frame must fit one mbuf (testsrv's jumbo pool: 9344 bytes)
	local ring="framesz=2048,blocksz=4096,framecnt=1024"
	[ "$MTU" -gt 1500 ] && ring="framesz=9216,blocksz=36864,framecnt=1024" # blocksz = 4 frames exactly: the PMD assumes frames are contiguous
	ip netns exec "$NSS" "$TESTSRV" --no-huge --no-pci -m 512 --no-shconf \
		--file-prefix "sgtcp$ID" -l 0 --log-level=error \
		"--vdev=net_af_packet0,iface=$SRV_IFACE,qdisc_bypass=1,$ring" \
		-- --ip4 "$SRV_IP4" --ip6 "$SRV_IP6" --mtu "$MTU" "$@" >"$SRV_LOG" 2>&1 &
	SRV_PID=$!
	for _ in $(seq 100); do
		grep -q '^testsrv: ready' "$SRV_LOG" 2>/dev/null && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$SRV_LOG"
	fail "test server did not start"
}

# wait_conns_closed: until the server holds no connection (its last ACK/FIN exchange may
# still be under way when the client returns), 10 s at most; polled with SIGUSR1.
wait_conns_closed() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -USR1 "$SRV_PID" 2>/dev/null || return 0
		sleep 0.1
		[ "$(counter tcp.conns)" -eq 0 ] && return 0
	done
	return 1
}

# stop_server: SIGTERM, wait, counters stay in $SRV_LOG.
stop_server() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$SRV_PID" 2>/dev/null && { kill -KILL "$SRV_PID"; fail "test server did not stop"; }
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
}

# counter <name>: a counter the stopped server printed (0 if absent).
counter() {
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$SRV_LOG"
}

# show_counters: the nonzero ones, for the test log.
show_counters() {
	grep -E '^(tcp|srv|net|port|impair_rx|impair_tx)\.' "$SRV_LOG" | awk '$2 != 0' | tr '\n' ' '
	echo
}

# make_data <bytes> <seed>: the source mode's stream (AES-128-CTR keystream of the
# seed), made by OpenSSL on the Linux side; prints the file name.
make_data() {
	local f=$WORK/data-$1-$2
	if [ ! -f "$f" ]; then
		head -c "$1" /dev/zero | openssl enc -aes-128-ctr -K "$(printf '%032x' "$2")" -iv 00000000000000000000000000000000 -nosalt >"$f" ||
			fail "openssl enc"
	fi
	echo "$f"
}

in_client() { ip netns exec "$NSC" "$@"; }
