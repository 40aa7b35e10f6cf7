#!/usr/bin/env bash
# lib/tcp against the Linux TCP stack: one scenario per run (see tcp_env.sh for the topology).
#
#   TESTSRV=build/tests/integration/tcp/sg-tcp-testsrv tcp_scenario.sh NAME
#
#   clean    BYTES each way over IPv4 with 0% loss: Linux -> sink (server's SHA-256 reply
#            checked against the sent file), source -> Linux (SHA-256 of the received stream
#            checked against OpenSSL's keystream)
#   loss     the same with 2% loss injected by nftables in the client namespace on output
#            and on input (both directions lose; the hooks see skbs, and an output skb may
#            still be a GSO batch of several segments); each rule's drop ratio is checked
#            against its own packet counter, and the server must have retransmitted
#   impair   the same with the server's impairment stage reordering, duplicating and
#            dropping on its rx and tx paths; its counters must show each impairment
#   ipv6     V6_BYTES each way over IPv6 (ND answered by the test server)
#   mtu1500  V6_BYTES each way over IPv4 with a 1500-byte MTU (MSS 1460: six times the
#            segments of the jumbo runs, the size real clients use)
#   recovery the source direction (V6_BYTES) with 2% nftables loss on the client's input:
#            SACK loss recovery must repair losses by fast retransmit, not by timeouts
#            (at most one RTO per ten fast retransmits). Linux changes its advertised window
#            on nearly every ACK, so this fails when SACK-bearing ACKs with a new window are
#            not taken as duplicates (fixed in lib/tcp 6cb0049: 20 RTOs per 32 MiB before).
#   many     1,000 concurrent connections established, each echoes 1..8 KiB, all closed
#   synflood hping3 SYN flood from a second namespace while a legitimate client (its ARP
#            entry for the server resolved before the flood) connects and transfers
#            FLOOD_BYTES; SYN cookies must have been sent
#
# Sizes: SG_TCP_BULK_BYTES (default 268435456 = 256 MiB, the issue's value),
# SG_TCP_V6_BYTES (default 67108864), SG_TCP_FLOOD_BYTES (default 33554432).
# SG_TCP_MTU (default 9000: jumbo frames on the veth, so af_packet's ~0.3 Mpps moves
# ~20 Gbit/s of frames and 256 MiB fits the time budget).
set -uo pipefail
NAME=${1:?scenario name}
[ "$NAME" = mtu1500 ] && export SG_TCP_MTU=1500
# shellcheck source=tcp_env.sh
. "$(dirname "$0")/tcp_env.sh"

BYTES=${SG_TCP_BULK_BYTES:-268435456}
V6_BYTES=${SG_TCP_V6_BYTES:-67108864}
FLOOD_BYTES=${SG_TCP_FLOOD_BYTES:-33554432}
SEED=$((ID % 100000 + 1))
TMO=${SG_TCP_XFER_TIMEOUT:-240}

# both_ways <host> <bytes>: Linux -> sink server, then source server -> Linux.
both_ways() {
	local host=$1 n=$2 data sha
	data=$(make_data "$n" "$SEED")
	sha=$(sha256sum "$data" | cut -d' ' -f1)
	log "sink: Linux sends $n bytes to $host"
	start_server --mode sink "${SRV_EXTRA[@]}"
	in_client python3 "$CLIENT" --timeout "$TMO" send "$host" 5001 "$data" || fail "sink transfer"
	wait_conns_closed || fail "sink server still holds a connection 10 s after the client left"
	stop_server
	log "sink server: $(show_counters)"
	[ "$(counter srv.app_rx_bytes)" -eq "$n" ] || fail "sink delivered $(counter srv.app_rx_bytes) bytes"
	[ "$(counter tcp.conns)" -eq 0 ] || fail "sink server still holds a connection"
	check_counters sink
	log "source: server sends $n bytes to Linux"
	start_server --mode source --bytes "$n" --seed "$SEED" "${SRV_EXTRA[@]}"
	in_client python3 "$CLIENT" --timeout "$TMO" recv "$host" 5001 "$n" "$sha" ||
		fail "source transfer"
	stop_server
	log "source server: $(show_counters)"
	check_counters source
}

check_counters() { :; }
SRV_EXTRA=()
[ "$NAME" = synflood ] && TOPO=bridge
setup_net

case "$NAME" in
clean)
	both_ways "$SRV_IP4" "$BYTES"
	;;
loss)
	in_client nft -f - <<-EOF || fail "nft"
		table inet t {
			chain out { type filter hook output priority 0; counter; numgen random mod 100 < 2 counter drop; }
			chain in { type filter hook input priority 0; counter; numgen random mod 100 < 2 counter drop; }
		}
	EOF
	check_counters() {
		# The Linux side dropped 2% of what the server sent: it must have retransmitted.
		[ "$1" = source ] || return 0
		[ "$(counter tcp.retrans_segs)" -gt 0 ] || fail "no retransmission under 2% loss"
	}
	both_ways "$SRV_IP4" "$BYTES"
	# Both rules must really have dropped ~2% of what they saw (else this proved nothing).
	# Counters per chain: all packets, then the dropped ones (skbs at the hook).
	in_client nft list ruleset | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' >"$WORK/nft" ||
		fail "nft list"
	[ "$(wc -l <"$WORK/nft")" -eq 4 ] || fail "nft counters missing"
	set -- $(cat "$WORK/nft")
	log "nft: out $2 of $1 dropped, in $4 of $3 dropped"
	awk -v a="$1" -v d="$2" -v b="$3" -v e="$4" 'BEGIN {
		if (d < 1 || e < 1) exit 1
		if (d / a < 0.01 || d / a > 0.04 || e / b < 0.01 || e / b > 0.04) exit 1 }' ||
		fail "nft did not drop ~2% (out $2/$1, in $4/$3)"
	;;
impair)
	SRV_EXTRA=(--impair-rx "seed=$SEED,drop_pct=0.5,reorder_pct=3,duplicate_pct=2"
		--impair-tx "seed=$((SEED + 1)),drop_pct=0.5,reorder_pct=3,duplicate_pct=2")
	check_counters() {
		local c
		for c in impair_rx.reordered impair_rx.duplicated impair_rx.dropped \
			impair_tx.reordered impair_tx.duplicated impair_tx.dropped; do
			[ "$(counter "$c")" -gt 0 ] || fail "$c is 0: the stage did not impair"
		done
		if [ "$1" = sink ]; then
			[ "$(counter tcp.ooo_segs)" -gt 0 ] || fail "no out-of-order segment seen"
		else
			[ "$(counter tcp.retrans_segs)" -gt 0 ] || fail "no retransmission"
		fi
	}
	both_ways "$SRV_IP4" "$BYTES"
	;;
ipv6)
	both_ways "$SRV_IP6" "$V6_BYTES"
	;;
mtu1500)
	[ "$MTU" -eq 1500 ] || fail "MTU not applied"
	both_ways "$SRV_IP4" "$V6_BYTES"
	;;
recovery)
	in_client nft -f - <<-EOF || fail "nft"
		table inet t {
			chain in { type filter hook input priority 0; numgen random mod 100 < 2 counter drop; }
		}
	EOF
	data=$(make_data "$V6_BYTES" "$SEED")
	sha=$(sha256sum "$data" | cut -d' ' -f1)
	start_server --mode source --bytes "$V6_BYTES" --seed "$SEED"
	in_client python3 "$CLIENT" --timeout "$TMO" recv "$SRV_IP4" 5001 "$V6_BYTES" "$sha" ||
		fail "source transfer"
	stop_server
	log "source server: $(show_counters)"
	rto=$(counter tcp.rto_fired)
	fr=$(counter tcp.fast_retrans)
	[ "$fr" -gt 0 ] || fail "no fast retransmit under 2% loss"
	[ $((rto * 10)) -le "$fr" ] || fail "$rto RTOs for $fr fast retransmits: losses wait for the timer"
	;;
many)
	start_server --mode echo --max-conns 4096
	in_client python3 "$CLIENT" --timeout 240 many "$SRV_IP4" 5001 1000 "$SEED" ||
		fail "1000 connections"
	stop_server
	log "echo server: $(show_counters)"
	[ "$(counter tcp.accepted)" -ge 1000 ] || fail "server accepted fewer than 1000"
	[ "$(counter srv.conns_closed)" -ge 1000 ] || fail "server closed fewer than 1000"
	;;
synflood)
	command -v hping3 >/dev/null || { echo "SKIP: hping3 not installed"; exit 77; }
	data=$(make_data "$FLOOD_BYTES" "$SEED")
	start_server --mode sink --max-conns 256
	# The legitimate client already knows its gateway: ARP is resolved (and pinned)
	# before the flood, as ARP answers get lost in af_packet's overflowing rings under
	# a flood (that is L2's matter, not TCP's). A connect to a closed port makes the
	# client ask (so the server learns it too) and draws an RST.
	in_client python3 -c "import socket; s = socket.socket(); s.settimeout(3); \
		s.connect_ex(('$SRV_IP4', 5002))"
	mac=$(in_client ip neigh show "$SRV_IP4" dev "$VC" | awk '$2 == "lladdr" { print $3 }')
	[ -n "$mac" ] || fail "client did not resolve the server"
	in_client ip neigh replace "$SRV_IP4" lladdr "$mac" dev "$VC" nud permanent
	ip netns exec "$NSF" timeout 200 hping3 -q -S --flood -p 5001 "$SRV_IP4" >"$WORK/hping.log" 2>&1 &
	FLOOD_PID=$!
	sleep 3
	in_client python3 "$CLIENT" --timeout 150 send "$SRV_IP4" 5001 "$data" ||
		fail "legitimate transfer under SYN flood"
	kill -0 "$FLOOD_PID" 2>/dev/null || fail "the flood stopped before the transfer ended"
	kill -INT "$FLOOD_PID" 2>/dev/null
	wait "$FLOOD_PID" 2>/dev/null
	stop_server
	log "sink server: $(show_counters)"
	[ "$(counter tcp.syncookies_sent)" -gt 0 ] || fail "no SYN cookie sent under the flood"
	;;
*)
	fail "unknown scenario $NAME"
	;;
esac
log "PASS: $NAME"
