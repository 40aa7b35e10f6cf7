#!/usr/bin/env bash
# PAP authentications per second through lib/aaa's non-blocking client against a private
# FreeRADIUS on 127.0.0.1 (floor on the 2-core dev VM: 2,000/s). Not part of the test suite.
#
#   bash bench/aaa/radius-bench.sh [BUILD_DIR] [COUNT] [CONCURRENCY]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
count=${2:-20000}
conc=${3:-256}
driver=$build/tests/integration/aaa/aaa_driver
[ -x "$driver" ] || { echo "build first: ninja -C $build"; exit 1; }
command -v freeradius >/dev/null || { echo "freeradius not installed"; exit 1; }
# shellcheck source=../../tests/integration/aaa/radiusd-lib.sh
source "$root/tests/integration/aaa/radiusd-lib.sh"
dir=$(mktemp -d "/tmp/sg-aaa-bench-$$-XXXX")
trap 'radiusd_stop; rm -rf "$dir"' EXIT INT TERM
radiusd_start "$dir" "bench-$$"
# FreeRADIUS logs every auth at this level only on failure; keep its thread pool default.
"$driver" --timeout-ms 2000 --retries 3 --server "127.0.0.1:$RADIUSD_AUTH:$RADIUSD_ACCT:bench-$$" \
	bench "$count" "$conc" alice wonderland
