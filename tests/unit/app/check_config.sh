#!/usr/bin/env bash
# sstpgw --check-config: every shipped gateway config passes (exit 0, "FILE: OK"),
# broken ones fail (exit 1) with a message naming the file and the JSON path.
#   check_config.sh SSTPGW CONFIG_DIR
set -uo pipefail
sstpgw=$1 confdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# The shipped configs name a lab certificate that devtools/lab generates; give the
# copies real files so the file check passes.
cp -r "$confdir"/. "$tmp/"
mkdir -p "$tmp/lab-cert"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=sstpgw-test \
	-keyout "$tmp/lab-cert/server.key" -out "$tmp/lab-cert/server.pem" 2>/dev/null \
	|| bad "openssl could not make a certificate"

n=0
for f in "$tmp"/*.json; do
	# Gateway configs are JSON objects with "ports"; users files and the like are not.
	python3 -c 'import json,sys; sys.exit(0 if isinstance(json.load(open(sys.argv[1])), dict) and "ports" in json.load(open(sys.argv[1])) else 1)' "$f" || continue
	n=$((n + 1))
	out=$("$sstpgw" --check-config "$f" 2>&1); rc=$?
	[ $rc -eq 0 ] || bad "$(basename "$f"): exit $rc: $out"
	[ "$out" = "$f: OK" ] || bad "$(basename "$f"): output \"$out\""
	# -c FILE --check-config is the same.
	"$sstpgw" -c "$f" --check-config >/dev/null 2>&1 || bad "$(basename "$f"): -c form failed"
done
[ $n -ge 1 ] || bad "no shipped gateway config found in $confdir"

# Broken: a bad value names the file and the JSON path.
python3 - "$tmp/sstpgw.json" "$tmp/broken.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["ports"]["wan"]["ipv4"] = "192.0.2.1/33"
json.dump(c, open(sys.argv[2], "w"))
PY
out=$("$sstpgw" --check-config "$tmp/broken.json" 2>&1); rc=$?
[ $rc -eq 1 ] || bad "broken.json: exit $rc, want 1"
case "$out" in *"$tmp/broken.json"*'$.ports.wan.ipv4'*) ;; *) bad "broken.json: message \"$out\"" ;; esac

# Broken: an unknown key.
python3 - "$tmp/sstpgw.json" "$tmp/unknown.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["ports"]["lan"]["colour"] = "blue"
json.dump(c, open(sys.argv[2], "w"))
PY
out=$("$sstpgw" --check-config "$tmp/unknown.json" 2>&1); rc=$?
[ $rc -eq 1 ] || bad "unknown.json: exit $rc, want 1"
case "$out" in *'$.ports.lan'*) ;; *) bad "unknown.json: message \"$out\"" ;; esac

# Broken: a file the config names is missing.
rm -f "$tmp/lab-cert/server.pem"
out=$("$sstpgw" --check-config "$tmp/sstpgw.json" 2>&1); rc=$?
[ $rc -eq 1 ] || bad "missing certificate: exit $rc, want 1"
case "$out" in *'$.tls.certificate'*server.pem*) ;; *) bad "missing certificate: message \"$out\"" ;; esac

# Broken: no such file, and not JSON at all.
"$sstpgw" --check-config "$tmp/nope.json" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || bad "missing file: exit $rc, want 1"
echo '{ "eal": ' >"$tmp/trunc.json"
out=$("$sstpgw" --check-config "$tmp/trunc.json" 2>&1); rc=$?
[ $rc -eq 1 ] || bad "truncated JSON: exit $rc, want 1"
case "$out" in *trunc.json*) ;; *) bad "truncated JSON: message \"$out\"" ;; esac

# Usage errors exit 2 without touching the EAL.
"$sstpgw" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || bad "no arguments: exit $rc, want 2"

[ $fail -eq 0 ] && echo "check-config: $n shipped config(s) OK, broken ones rejected"
exit $fail
