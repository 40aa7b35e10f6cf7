#!/usr/bin/env bash
# Sourced helper: run a private FreeRADIUS 3.x on 127.0.0.1 with its own config dir and
# ports, so parallel runs and an installed service never collide.
#
#   source radiusd-lib.sh
#   radiusd_start DIR SECRET     -> sets RADIUSD_PID, RADIUSD_AUTH, RADIUSD_ACCT, RADIUSD_DIR
#   radiusd_stop                 -> kills it (idempotent; call from an EXIT trap)
#
# Users (mods-config/files/authorize, prepended):
#   alice / wonderland  -> Framed-IP-Address 192.0.2.10, Session-Timeout 3600, Class
#   bob   / builder     -> MS-CHAPv2 and CHAP too (Cleartext-Password)
#   eve   / eap-md5-pw  -> EAP-MD5
# RADIUSD_EXTRA_USERS (optional): more users-file entries, prepended to these.
# Every Access-Accept/Reject carries a Message-Authenticator (post-auth policy), as
# FreeRADIUS >= 3.2.5 does by default.

RADIUSD_PID=
RADIUSD_DIR=

radiusd_free_ports() { # prints two free UDP ports on 127.0.0.1
	python3 - <<'EOF'
import socket
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))
EOF
}

radiusd_start() { # dir secret
	local dir=$1 secret=$2 raddb ports
	RADIUSD_DIR=$dir
	raddb=$dir/raddb
	mkdir -p "$dir/log" "$dir/run" "$dir/acct"
	cp -a /etc/freeradius/3.0 "$raddb"
	read -r RADIUSD_AUTH RADIUSD_ACCT RADIUSD_INNER < <(radiusd_free_ports)
	# run as the invoking user, private log/run/accounting dirs
	sed -i -e 's/^\(\s*\)user = freerad/\1#user = freerad/' \
		-e 's/^\(\s*\)group = freerad/\1#group = freerad/' \
		-e "s|^logdir = .*|logdir = $dir/log|" \
		-e "s|^run_dir = .*|run_dir = $dir/run|" \
		-e "s|^radacctdir = .*|radacctdir = $dir/acct|" "$raddb/radiusd.conf"
	rm -f "$raddb/sites-enabled/default"
	sed -i -e "s/port = 18120/port = $RADIUSD_INNER/" "$raddb/sites-enabled/inner-tunnel"
	cat >"$raddb/clients.conf" <<EOF
client localhost {
	ipaddr = 127.0.0.1
	secret = $secret
	require_message_authenticator = yes
	nas_type = other
}
EOF
	cat >"$raddb/sites-enabled/sgtest" <<EOF
server sgtest {
listen {
	type = auth
	ipaddr = 127.0.0.1
	port = $RADIUSD_AUTH
}
listen {
	type = acct
	ipaddr = 127.0.0.1
	port = $RADIUSD_ACCT
}
authorize {
	filter_username
	preprocess
	chap
	mschap
	eap {
		ok = return
	}
	files
	pap
}
authenticate {
	Auth-Type PAP {
		pap
	}
	Auth-Type CHAP {
		chap
	}
	Auth-Type MS-CHAP {
		mschap
	}
	mschap
	eap
}
preacct {
	preprocess
	acct_unique
}
accounting {
	detail
	ok
}
post-auth {
	update reply {
		Message-Authenticator := 0x00
	}
	Post-Auth-Type REJECT {
		attr_filter.access_reject
		update reply {
			Message-Authenticator := 0x00
		}
	}
}
}
EOF
	local users=$raddb/mods-config/files/authorize
	{
		[ -z "${RADIUSD_EXTRA_USERS:-}" ] || printf '%s\n\n' "$RADIUSD_EXTRA_USERS"
		cat <<'EOF'
alice	Cleartext-Password := "wonderland"
	Framed-IP-Address = 192.0.2.10,
	Session-Timeout = 3600,
	Idle-Timeout = 600,
	Class = "cls-alice",
	Reply-Message = "hello alice"

bob	Cleartext-Password := "builder"
	Framed-IP-Address = 192.0.2.11,
	Framed-IPv6-Prefix = 2001:db8:1::/64,
	MS-Primary-DNS-Server = 192.0.2.53

eve	Cleartext-Password := "eap-md5-pw"

EOF
		cat "$users"
	} >"$users.new"
	mv "$users.new" "$users"
	freeradius -f -d "$raddb" -l "$dir/log/radius.log" &
	RADIUSD_PID=$!
	# ready when the auth port is bound
	for _ in $(seq 1 100); do
		if ss -uln "sport = :$RADIUSD_AUTH" 2>/dev/null | grep -q "$RADIUSD_AUTH"; then
			return 0
		fi
		kill -0 "$RADIUSD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "radiusd did not start; log:" >&2
	tail -30 "$dir/log/radius.log" >&2
	return 1
}

radiusd_stop() {
	if [ -n "$RADIUSD_PID" ]; then
		kill "$RADIUSD_PID" 2>/dev/null
		wait "$RADIUSD_PID" 2>/dev/null
		RADIUSD_PID=
	fi
}
