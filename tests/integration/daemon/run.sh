#!/usr/bin/env bash
# The daemon on two net_af_packet ports over veth pairs into two namespaces,
# seen from the Linux side: ARP resolves the gateway MAC, ping and ping -6 reach
# the WAN and LAN addresses (NDP works), a ping to an address that is not the
# gateway's gets no answer and its drop counter (telemetry) grows, SIGTERM ends
# the daemon with exit 0 within 5 s and nothing is left in /run/dpdk or hugetlbfs.
# Runs once with --no-huge and once with hugepages (skipped if the kernel has none).
#
#   run.sh SSTPGW SSTPGW_CTL CONFIG_DIR        (root; exit 77 otherwise)
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for t in ip ping python3 openssl; do
	command -v $t >/dev/null || { echo "SKIP: $t missing (devtools/install-deps)"; exit 77; }
done
sstpgw=$1 ctl=$2 confdir=$3
here=$(cd "$(dirname "$0")" && pwd)
id=$$
cli=sgdc$id lan=sgdl$id            # namespaces
wan_if=sgdw$id lan_if=sgdn$id      # root-namespace ends: the gateway's af_packet ports
tmp=$(mktemp -d)
daemon_pid=
hp_restore=
fail=0

cleanup() {
	if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
		kill -KILL "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	ip netns del "$cli" 2>/dev/null
	ip netns del "$lan" 2>/dev/null
	ip link del "$wan_if" 2>/dev/null
	ip link del "$lan_if" 2>/dev/null
	[ -n "$hp_restore" ] && echo "$hp_restore" >/proc/sys/vm/nr_hugepages 2>/dev/null
	rm -rf "$tmp" /var/run/dpdk/sgd$id-* 2>/dev/null
}
trap cleanup EXIT
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# --- topology: cli ns (192.0.2.2) -- veth -- [WAN gw 192.0.2.1] ... [LAN gw 198.51.100.1] -- veth -- lan ns
ip netns add "$cli" && ip netns add "$lan" || { echo "FAIL: netns"; exit 1; }
ip link add "$wan_if" type veth peer name c0 netns "$cli" || exit 1
ip link add "$lan_if" type veth peer name s0 netns "$lan" || exit 1
for i in "$wan_if" "$lan_if"; do
	# The kernel must not speak on the gateway's wires: no addresses, no IPv6.
	sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
	ip link set "$i" up
done
ip -n "$cli" link set lo up; ip -n "$cli" link set c0 up
ip -n "$lan" link set lo up; ip -n "$lan" link set s0 up
ip -n "$cli" addr add 192.0.2.2/24 dev c0
ip -n "$cli" addr add 2001:db8:1::2/64 dev c0 nodad
ip -n "$lan" addr add 198.51.100.2/24 dev s0
ip -n "$lan" addr add 2001:db8:2::2/64 dev s0 nodad
# A destination behind the gateway that it does not own: must be dropped by name.
ip -n "$cli" route add 203.0.113.0/24 via 192.0.2.1

cp "$confdir"/users.json "$tmp/" 2>/dev/null
# The daemon serves SSTP: it needs a certificate (config names lab-cert/, made here).
mkdir -p "$tmp/lab-cert"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=sstpgw-test \
	-keyout "$tmp/lab-cert/server.key" -out "$tmp/lab-cert/server.pem" 2>/dev/null ||
	{ echo "FAIL: openssl req"; exit 1; }

write_config() { # file, eal args as a JSON list, number of workers
	python3 - "$confdir/sstpgw.json" "$1" "$wan_if" "$lan_if" "$2" "$3" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
n = int(sys.argv[6])
c["eal"]["args"] = json.loads(sys.argv[5])
c["lcores"] = {"control": 0, "workers": list(range(1, n + 1))}
# One queue pair per worker: af_packet spreads flows over them (PACKET_FANOUT).
q = ",qpairs=%d" % n if n > 1 else ""
c["ports"]["wan"]["devargs"] = "net_af_packet0,iface=" + sys.argv[3] + q
c["ports"]["lan"]["devargs"] = "net_af_packet1,iface=" + sys.argv[4] + q
c["limits"]["mbufs"] = 16383
# The namespaces' hosts are the next hops the gateway must resolve (ARP/NDP).
c["ports"]["wan"]["gateway4"], c["ports"]["wan"]["gateway6"] = "192.0.2.2", "2001:db8:1::2"
c["ports"]["lan"]["gateway4"], c["ports"]["lan"]["gateway6"] = "198.51.100.2", "2001:db8:2::2"
c["telemetry"] = True
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
}

stat_of() { # prefix, name -> summed counter value
	"$ctl" -p "$1" -r stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["/sstpgw/stats"]["total"][sys.argv[1]])' "$2"
}

mac_of() { # prefix, role -> lower-case MAC from telemetry
	"$ctl" -p "$1" -r ports | python3 -c 'import json,sys; print(json.load(sys.stdin)["/sstpgw/ports"][sys.argv[1]]["mac"].lower())' "$2"
}

hugetlbfs_files() {
	local n=0 m
	for m in $(awk '$3 == "hugetlbfs" {print $2}' /proc/mounts); do
		n=$((n + $(find "$m" -type f 2>/dev/null | wc -l)))
	done
	echo $n
}

run_mode() { # mode name, eal args JSON, workers
	local mode=$1 prefix=sgd$id-$1 cfg=$tmp/$1.json log=$tmp/$1.log workers=${3:-1}
	local lcores=() t mac before after rc files_before
	echo "=== $mode ($workers worker(s))"
	write_config "$cfg" "$2" "$workers"
	# Control on CPU 0, workers on CPU 1 (all on CPU 0 on a one-CPU machine).
	if [ "$workers" -gt 1 ] || [ "$(nproc)" -lt 2 ]; then
		local cpu=1 map=0@0 w
		[ "$(nproc)" -ge 2 ] || cpu=0
		for w in $(seq 1 "$workers"); do map="$map,$w@$cpu"; done
		lcores=(--lcores="$map")
	fi
	files_before=$(hugetlbfs_files)
	ip -n "$cli" neigh flush all; ip -n "$lan" neigh flush all
	"$sstpgw" -c "$cfg" -- --file-prefix="$prefix" "${lcores[@]}" >"$log" 2>&1 &
	daemon_pid=$!
	for t in $(seq 1 100); do
		grep -q "sstpgw running" "$log" 2>/dev/null && break
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.2
	done
	if ! grep -q "sstpgw running" "$log"; then
		bad "$mode: daemon did not start"; cat "$log"; return
	fi
	ok "$mode: daemon up (pid $daemon_pid)"
	t=$("$ctl" -p "$prefix" -r ports | python3 -c 'import json,sys; p=json.load(sys.stdin)["/sstpgw/ports"]; print(p["wan"]["queues"], p["lan"]["queues"])')
	if [ "$t" = "$workers $workers" ]; then ok "$mode: $workers queue pair(s) per port"
	else bad "$mode: queues per port: $t, want $workers"; fi
	t=$("$ctl" -p "$prefix" -r stats | python3 -c 'import json,sys; print(len([k for k in json.load(sys.stdin)["/sstpgw/stats"] if k.startswith("lcore_")]))')
	if [ "$t" = "$workers" ]; then ok "$mode: per-core stats for $workers worker(s)"
	else bad "$mode: per-core stats for $t worker(s), want $workers"; fi
	t=$("$ctl" -p "$prefix" -r cmd /ethdev/list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["/ethdev/list"]))')
	[ "$t" = 2 ] && ok "$mode: sstpgw-ctl cmd /ethdev/list shows 2 ports" || bad "$mode: /ethdev/list: $t ports"
	if [ "$mode" = huge ]; then
		local free_now
		free_now=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
		if [ "$free_now" -lt "$hp_free_before" ]; then
			ok "$mode: runs on hugepages (free 2 MB pages $hp_free_before -> $free_now)"
		else bad "$mode: no hugepage taken (free $hp_free_before -> $free_now)"; fi
	fi

	if ip netns exec "$cli" ping -c 3 -i 0.2 -W 2 192.0.2.1 >"$tmp/p" 2>&1 && grep -q " 3 received" "$tmp/p"; then
		ok "$mode: ping WAN 192.0.2.1 (3/3)"
	else bad "$mode: ping WAN 192.0.2.1"; cat "$tmp/p"; fi
	mac=$(mac_of "$prefix" wan)
	if ip -n "$cli" neigh show 192.0.2.1 | grep -q "lladdr $mac"; then
		ok "$mode: ARP: client neighbour table has the gateway WAN MAC $mac"
	else bad "$mode: ARP: want $mac, have: $(ip -n "$cli" neigh show 192.0.2.1)"; fi
	if ip netns exec "$lan" ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$tmp/p" 2>&1 && grep -q " 3 received" "$tmp/p"; then
		ok "$mode: ping LAN 198.51.100.1 (3/3)"
	else bad "$mode: ping LAN 198.51.100.1"; cat "$tmp/p"; fi
	if ip netns exec "$cli" ping -6 -c 3 -i 0.2 -W 2 2001:db8:1::1 >"$tmp/p" 2>&1 && grep -q " 3 received" "$tmp/p"; then
		ok "$mode: ping -6 WAN 2001:db8:1::1 (3/3)"
	else bad "$mode: ping -6 WAN 2001:db8:1::1"; cat "$tmp/p"; fi
	if ip -n "$cli" -6 neigh show 2001:db8:1::1 | grep -q "lladdr $mac"; then
		ok "$mode: NDP: client neighbour table has the gateway WAN MAC"
	else bad "$mode: NDP: want $mac, have: $(ip -n "$cli" -6 neigh show 2001:db8:1::1)"; fi
	if ip netns exec "$lan" ping -6 -c 3 -i 0.2 -W 2 2001:db8:2::1 >"$tmp/p" 2>&1 && grep -q " 3 received" "$tmp/p"; then
		ok "$mode: ping -6 LAN 2001:db8:2::1 (3/3)"
	else bad "$mode: ping -6 LAN 2001:db8:2::1"; cat "$tmp/p"; fi

	before=$(stat_of "$prefix" ip4_not_local)
	if ip netns exec "$cli" ping -c 3 -i 0.2 -W 1 203.0.113.7 >"$tmp/p" 2>&1; then
		bad "$mode: 203.0.113.7 answered: $(cat "$tmp/p")"
	else ok "$mode: ping to 203.0.113.7 (not the gateway's) got no answer"; fi
	after=$(stat_of "$prefix" ip4_not_local)
	if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -ge $((before + 3)) ]; then
		ok "$mode: drop counter ip4_not_local $before -> $after"
	else bad "$mode: drop counter ip4_not_local $before -> $after (want +3)"; fi

	# The gateway resolved its configured next hops (it asked; the hosts answered).
	local nh want_mac
	for nh in "wan 192.0.2.2 $cli c0" "wan 2001:db8:1::2 $cli c0" "lan 198.51.100.2 $lan s0" "lan 2001:db8:2::2 $lan s0"; do
		set -- $nh
		want_mac=$(ip netns exec "$3" cat "/sys/class/net/$4/address")
		for _ in $(seq 1 50); do
			grep -q "port $1: next hop $2 is at $want_mac" "$log" && break
			sleep 0.1
		done
		if grep -q "port $1: next hop $2 is at $want_mac" "$log"; then
			ok "$mode: resolved next hop $2 on $1 to $want_mac"
		else bad "$mode: next hop $2 on $1 not resolved to $want_mac: $(grep "next hop" "$log")"; fi
	done
	t=$(stat_of "$prefix" neigh_next_hops_resolved)
	[ "$t" -ge 4 ] && ok "$mode: neigh_next_hops_resolved $t" || bad "$mode: neigh_next_hops_resolved $t"
	t=$(stat_of "$prefix" neigh_solicits_sent)
	[ "$t" -ge 4 ] && ok "$mode: neigh_solicits_sent $t" || bad "$mode: neigh_solicits_sent $t (want >= 4)"
	if [ "$workers" -gt 1 ]; then
		t=$(stat_of "$prefix" neigh_updates_received)
		if [ "$t" -ge 4 ]; then ok "$mode: other workers recorded $t neighbour update(s)"
		else bad "$mode: neigh_updates_received $t, want >= 4"; fi
	fi

	# Hostile frames from the client side: each lands on its own named counter.
	local kind
	for kind in ip4_bad_cksum icmp4_bad_cksum ndp_bad_hop_limit ndp_bad_option arp_not_for_us eth_vlan; do
		before=$(stat_of "$prefix" $kind)
		ip netns exec "$cli" python3 "$here/craft.py" c0 "$mac" $kind 3 || bad "$mode: craft $kind"
		for _ in $(seq 1 20); do
			after=$(stat_of "$prefix" $kind)
			[ "$after" -ge $((before + 3)) ] && break
			sleep 0.1
		done
		if [ "$after" -ge $((before + 3)) ]; then ok "$mode: 3 hostile frames -> $kind $before -> $after"
		else bad "$mode: 3 hostile frames -> $kind $before -> $after (want +3)"; fi
	done
	# ... and the gateway still answers.
	ip netns exec "$cli" ping -c 1 -W 2 192.0.2.1 >/dev/null 2>&1 || bad "$mode: no answer after hostile frames"

	t=$(date +%s%N)
	kill -TERM "$daemon_pid"
	for _ in $(seq 1 50); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$daemon_pid" 2>/dev/null; then
		bad "$mode: still running 5 s after SIGTERM"
		# Where every thread is, so a hang can be diagnosed from the CI log.
		command -v gdb >/dev/null && timeout 30 gdb -p "$daemon_pid" -batch \
			-ex "thread apply all bt 12" 2>/dev/null | grep -E "^(Thread|#)"
		kill -KILL "$daemon_pid"
	fi
	wait "$daemon_pid"; rc=$?
	daemon_pid=
	t=$((($(date +%s%N) - t) / 1000000))
	if [ $rc -eq 0 ]; then ok "$mode: SIGTERM -> exit 0 in $t ms"; else bad "$mode: exit $rc after SIGTERM"; tail -20 "$log"; fi
	if [ -e "/var/run/dpdk/$prefix" ]; then
		bad "$mode: left /var/run/dpdk/$prefix: $(ls -A "/var/run/dpdk/$prefix")"
	else ok "$mode: nothing left in /var/run/dpdk"; fi
	if [ "$(hugetlbfs_files)" -le "$files_before" ]; then
		ok "$mode: no hugepage files left"
	else bad "$mode: hugepage files left behind"; fi
	grep -q "port wan: closed" "$log" && grep -q "port lan: closed" "$log" \
		|| bad "$mode: ports not closed: $(tail -5 "$log")"
}

# A port that cannot be opened: exit 1, the reason logged, nothing left behind.
echo "=== unusable port"
write_config "$tmp/badport.json" '["--no-huge", "-m", "256", "--no-pci", "--no-shconf"]' 1
python3 - "$tmp/badport.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["ports"]["lan"]["devargs"] = "net_af_packet1,iface=sgdnone0"
json.dump(c, open(sys.argv[1], "w"))
PY
timeout 30 "$sstpgw" -c "$tmp/badport.json" -- --file-prefix="sgd$id-bad" >"$tmp/bad.log" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q "port lan: cannot probe" "$tmp/bad.log" && grep -q "port wan: closed" "$tmp/bad.log"; then
	ok "unusable LAN port: exit 1, reason logged, WAN port closed again"
else bad "unusable LAN port: exit $rc: $(grep sstpgw "$tmp/bad.log")"; fi
[ ! -e "/var/run/dpdk/sgd$id-bad" ] && ok "unusable LAN port: nothing left in /var/run/dpdk" \
	|| bad "unusable LAN port: left /var/run/dpdk/sgd$id-bad"

run_mode nohuge '["--no-huge", "-m", "256", "--no-pci", "--no-shconf"]'
run_mode workers2 '["--no-huge", "-m", "256", "--no-pci", "--no-shconf"]' 2

# Hugepages: reserve 256 x 2 MB if the kernel allows; skip that half otherwise.
hp_file=/proc/sys/vm/nr_hugepages
have=$(cat $hp_file 2>/dev/null || echo 0)
if [ "$have" -lt 256 ]; then
	hp_restore=$have
	echo 256 >$hp_file 2>/dev/null
fi
free_pages=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
hp_free_before=${free_pages:-0}
if [ "${free_pages:-0}" -ge 128 ]; then
	run_mode huge '["--no-pci", "-m", "256", "--in-memory"]'
else
	echo "SKIP (hugepage half): the kernel gave ${free_pages:-0} free 2 MB pages, need 128"
fi

[ $fail -eq 0 ] && echo "daemon integration: all checks passed"
exit $fail
