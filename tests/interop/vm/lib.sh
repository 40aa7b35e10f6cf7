# Shared set-up for the VM smoke tests (sourced, bash): root check, a private network
# namespace holding the tap's host end at 192.0.2.1/24 and 2001:db8:5::1/64, a temp dir,
# and cleanup of all of it on every exit path. The VM side is 192.0.2.2 / 2001:db8:5::2.
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
for t in qemu-system-x86_64 ip openssl socat; do
	command -v "$t" >/dev/null || { echo "FAIL: $t missing (devtools/deps.d/vm.txt)"; exit 1; }
done
vm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ns=sgvm$$
tap=sgvt$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-vmtest.XXXXXX")
bg_pids=()
vm_cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap vm_cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$ns" || { echo "FAIL: ip netns add"; exit 1; }
ip -n "$ns" link set lo up
nsx() { ip netns exec "$ns" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

# vm_boot TESTSCRIPT TIMEOUT [vm-run options...]: boots the VM on $tap inside $ns (foreground).
vm_boot() {
	local script=$1 to=$2
	shift 2
	"$vm_dir/vm-run" --tap "$tap" --netns "$ns" --host-addr 192.0.2.1/24 \
		--host-addr 2001:db8:5::1/64 --ip 192.0.2.2/24 --ip6 2001:db8:5::2/64 \
		--test "$script" --timeout "$to" --log "$tmp/console.log" "$@"
}
