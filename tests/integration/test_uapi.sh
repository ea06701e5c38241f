#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# The wg(8) configuration socket (lib/uapi) against the stock wg tool.
#
# uapi_host serves a wg_device on /var/run/wireguard/NAME.sock (NAME unique
# per run). Every change made with `wg set`, `wg setconf`, `wg addconf` and
# `wg syncconf` (wg-quick style files) is checked field by field through
# `wg show NAME dump`; `wg show` must hide the keys, `wg showconf` must give
# the configuration back. Invalid requests (a bad file, a listen port in
# use, raw malformed requests on the socket) are refused with an errno and
# change nothing. Then: a 20,000-peer setconf, a second server on a live
# socket refused, SIGTERM removing the socket, a stale socket replaced.
#
#   UAPI_HOST=build/tests/integration/uapi_host test_uapi.sh

. "$(dirname "$0")/lib.sh"

itest_init
if ! command -v wg >/dev/null; then
	echo "SKIP: wg (wireguard-tools) is needed"
	exit 77
fi
if ! command -v python3 >/dev/null; then
	echo "SKIP: python3 is needed for the raw socket requests"
	exit 77
fi
HOST_BIN=${UAPI_HOST:-$BUILD/tests/integration/uapi_host}
if [[ ! -x $HOST_BIN ]]; then
	echo "FAIL: $HOST_BIN not built (set UAPI_HOST)"
	exit 1
fi

umask 077
NAME=${P}ua
SOCK=/var/run/wireguard/$NAME.sock
K=$itest_tmp/keys
mkdir -p "$K"
itest_socks+=("$SOCK")
TAB=$'\t'
PORT1=$((20000 + RANDOM % 10000))
PORT2=$((PORT1 + 1))
host_pid=
host_port=

# host_start TAG: starts uapi_host, waits for "ready PORT".
host_start()
{
	local out=$itest_tmp/host-$1.out

	"$HOST_BIN" "$NAME" >"$out" 2>"$itest_tmp/host-$1.log" &
	host_pid=$!
	bg_track "$host_pid"
	for _ in $(seq 50); do
		if grep -q '^ready ' "$out" 2>/dev/null; then
			host_port=$(awk '/^ready /{print $2}' "$out")
			return 0
		fi
		kill -0 "$host_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# host_stop SIG: stops the current host by its pid, waits for it; its
# exit status in host_status.
host_stop()
{
	kill "-$1" "$host_pid" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$host_pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$host_pid" 2>/dev/null
	host_status=$?
	return 0
}

genkey()
{
	wg genkey >"$K/$1.key" && wg pubkey <"$K/$1.key" >"$K/$1.pub"
}

key() { cat "$K/$1.key"; }
pub() { cat "$K/$1.pub"; }
psk() { cat "$K/$1.psk"; }

# Interface line first, peer lines sorted.
norm()
{
	local head

	IFS= read -r head
	printf '%s\n' "$head"
	sort
}

# expect_dump FILE: `wg show NAME dump` is exactly FILE (peers in any order).
expect_dump()
{
	diff -u <(norm <"$1") <(wg show "$NAME" dump | norm)
}

# same_dump FILE: the dump did not change since FILE was taken.
same_dump()
{
	diff -u "$1" <(wg show "$NAME" dump)
}

snap()
{
	wg show "$NAME" dump >"$itest_tmp/$1.dump"
}

# raw_req 'TEXT' (with \n escapes): sends it on the socket as is (then
# shuts down writing), prints what comes back, escaped.
raw_req()
{
	python3 - "$SOCK" "$1" <<'EOF'
import socket, sys
req = sys.argv[2].encode().decode('unicode_escape').encode('latin-1')
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(req)
if not req.endswith(b'\n\n'):
    s.shutdown(socket.SHUT_WR)
out = b''
while not (out.startswith(b'errno=') or b'\nerrno=' in out) or not out.endswith(b'\n\n'):
    d = s.recv(65536)
    if not d:
        break
    out += d
print(repr(out.decode('latin-1')))
EOF
}

# ---- start --------------------------------------------------------------

for k in a b pa pb pc pd pe pf; do
	genkey "$k"
done
wg genpsk >"$K/1.psk"
wg genpsk >"$K/2.psk"

check "uapi_host starts and serves $SOCK" host_start main
check "the socket is a socket, mode 0600" \
	bash -c "[[ -S '$SOCK' && \$(stat -c %a '$SOCK') == 600 ]]"
check "wg show lists the interface" bash -c "wg show interfaces | tr ' ' '\n' | grep -qx '$NAME'"

printf '(none)\t(none)\t%s\toff\n' "$host_port" >"$itest_tmp/e0"
check "wg show dump of a fresh device" expect_dump "$itest_tmp/e0"

# ---- wg set ---------------------------------------------------------------

check "wg set private-key listen-port peer ... (all peer options)" \
	wg set "$NAME" private-key "$K/a.key" listen-port "$PORT1" \
	peer "$(pub pa)" allowed-ips 10.9.0.2/32,fd00:9::2/128,192.168.7.0/24 \
	endpoint 127.0.0.1:51999 persistent-keepalive 25 preshared-key "$K/1.psk"
{
	printf '%s\t%s\t%s\toff\n' "$(key a)" "$(pub a)" "$PORT1"
	printf '%s\t%s\t127.0.0.1:51999\t10.9.0.2/32,192.168.7.0/24,fd00:9::2/128\t0\t0\t0\t25\n' \
		"$(pub pa)" "$(psk 1)"
} >"$itest_tmp/e1"
check "dump after wg set: every field" expect_dump "$itest_tmp/e1"

show_hides_keys()
{
	local out

	out=$(wg show "$NAME") || return 1
	printf '%s\n' "$out"
	grep -q '^  private key: (hidden)$' <<<"$out" &&
		grep -q '^  preshared key: (hidden)$' <<<"$out" &&
		grep -q "^  public key: $(pub a)\$" <<<"$out" &&
		grep -q "^  listening port: $PORT1\$" <<<"$out" &&
		grep -q "^peer: $(pub pa)\$" <<<"$out" &&
		grep -q '^  allowed ips: 10.9.0.2/32, 192.168.7.0/24, fd00:9::2/128$' <<<"$out" &&
		grep -q '^  persistent keepalive: every 25 seconds$' <<<"$out" &&
		! grep -qF "$(key a)" <<<"$out" && ! grep -qF "$(psk 1)" <<<"$out"
}
check "wg show hides the private and preshared keys" show_hides_keys

show_fields()
{
	[[ $(wg show "$NAME" public-key) == "$(pub a)" ]] &&
		[[ $(wg show "$NAME" private-key) == "$(key a)" ]] &&
		[[ $(wg show "$NAME" listen-port) == "$PORT1" ]] &&
		[[ $(wg show "$NAME" fwmark) == off ]] &&
		[[ $(wg show "$NAME" peers) == "$(pub pa)" ]] &&
		[[ $(wg show "$NAME" endpoints) == "$(pub pa)${TAB}127.0.0.1:51999" ]] &&
		[[ $(wg show "$NAME" preshared-keys) == "$(pub pa)${TAB}$(psk 1)" ]] &&
		[[ $(wg show "$NAME" persistent-keepalive) == "$(pub pa)${TAB}25" ]] &&
		[[ $(wg show "$NAME" latest-handshakes) == "$(pub pa)${TAB}0" ]] &&
		[[ $(wg show "$NAME" transfer) == "$(pub pa)${TAB}0${TAB}0" ]] &&
		[[ $(wg show "$NAME" allowed-ips) == "$(pub pa)${TAB}10.9.0.2/32 192.168.7.0/24 fd00:9::2/128" ]]
}
check "wg show NAME <field> for every field" show_fields

cat >"$itest_tmp/showconf1" <<EOF
[Interface]
ListenPort = $PORT1
PrivateKey = $(key a)

[Peer]
PublicKey = $(pub pa)
PresharedKey = $(psk 1)
AllowedIPs = 10.9.0.2/32, 192.168.7.0/24, fd00:9::2/128
Endpoint = 127.0.0.1:51999
PersistentKeepalive = 25
EOF
check "wg showconf gives the configuration back" \
	diff -u "$itest_tmp/showconf1" <(wg showconf "$NAME")

check "wg set fwmark" wg set "$NAME" fwmark 0x1234
check "fwmark in the dump" bash -c "wg show '$NAME' dump | head -1 | grep -q \$'\\t0x1234\$'"
check "wg set fwmark off" wg set "$NAME" fwmark off
check "wg set an IPv6 endpoint, keepalive off, no psk" \
	wg set "$NAME" peer "$(pub pa)" endpoint '[::1]:51998' persistent-keepalive off \
	preshared-key /dev/null
{
	printf '%s\t%s\t%s\toff\n' "$(key a)" "$(pub a)" "$PORT1"
	printf '%s\t(none)\t[::1]:51998\t10.9.0.2/32,192.168.7.0/24,fd00:9::2/128\t0\t0\t0\toff\n' \
		"$(pub pa)"
} >"$itest_tmp/e2"
check "dump after the second wg set" expect_dump "$itest_tmp/e2"
check "wg set allowed-ips replaces them" \
	wg set "$NAME" peer "$(pub pa)" allowed-ips 10.9.1.0/24
check "dump after allowed-ips" bash -c \
	"wg show '$NAME' allowed-ips | grep -qx '$(pub pa)${TAB}10.9.1.0/24'"
check "wg set peer remove" wg set "$NAME" peer "$(pub pa)" remove
printf '%s\t%s\t%s\toff\n' "$(key a)" "$(pub a)" "$PORT1" >"$itest_tmp/e3"
check "dump after remove" expect_dump "$itest_tmp/e3"

# ---- setconf, addconf, syncconf -------------------------------------------

cat >"$itest_tmp/c1.conf" <<EOF
[Interface]
PrivateKey = $(key b)
ListenPort = $PORT2

[Peer]
PublicKey = $(pub pb)
PresharedKey = $(psk 2)
AllowedIPs = 10.10.0.2/32, fd00:10::2/128
Endpoint = 127.0.0.1:52001
PersistentKeepalive = 15

[Peer]
PublicKey = $(pub pc)
AllowedIPs = 10.10.3.0/24
Endpoint = [::1]:52002
EOF
check "wg setconf (wg-quick style file)" wg setconf "$NAME" "$itest_tmp/c1.conf"
{
	printf '%s\t%s\t%s\toff\n' "$(key b)" "$(pub b)" "$PORT2"
	printf '%s\t%s\t127.0.0.1:52001\t10.10.0.2/32,fd00:10::2/128\t0\t0\t0\t15\n' \
		"$(pub pb)" "$(psk 2)"
	printf '%s\t(none)\t[::1]:52002\t10.10.3.0/24\t0\t0\t0\toff\n' "$(pub pc)"
} >"$itest_tmp/e4"
check "dump after setconf" expect_dump "$itest_tmp/e4"
check "the UDP socket moved to the new listen port" \
	bash -c "ss -uln | grep -q ':$PORT2 '"

cat >"$itest_tmp/c2.conf" <<EOF
[Peer]
PublicKey = $(pub pd)
AllowedIPs = 10.10.4.0/24
EOF
check "wg addconf" wg addconf "$NAME" "$itest_tmp/c2.conf"
{
	cat "$itest_tmp/e4"
	printf '%s\t(none)\t(none)\t10.10.4.0/24\t0\t0\t0\toff\n' "$(pub pd)"
} >"$itest_tmp/e5"
check "dump after addconf" expect_dump "$itest_tmp/e5"

cat >"$itest_tmp/c3.conf" <<EOF
[Interface]
PrivateKey = $(key b)
ListenPort = $PORT2

[Peer]
PublicKey = $(pub pb)
PresharedKey = $(psk 2)
AllowedIPs = 10.10.0.2/32, 10.10.9.0/24
Endpoint = 127.0.0.1:52001
PersistentKeepalive = 15

[Peer]
PublicKey = $(pub pe)
AllowedIPs = 10.10.5.0/24
EOF
log_lines=$(wc -l <"$itest_tmp/host-main.log")
check "wg syncconf" wg syncconf "$NAME" "$itest_tmp/c3.conf"
{
	printf '%s\t%s\t%s\toff\n' "$(key b)" "$(pub b)" "$PORT2"
	printf '%s\t%s\t127.0.0.1:52001\t10.10.0.2/32,10.10.9.0/24\t0\t0\t0\t15\n' \
		"$(pub pb)" "$(psk 2)"
	printf '%s\t(none)\t(none)\t10.10.5.0/24\t0\t0\t0\toff\n' "$(pub pe)"
} >"$itest_tmp/e6"
check "dump after syncconf" expect_dump "$itest_tmp/e6"

syncconf_kept_peer()
{
	local new

	new=$(tail -n "+$((log_lines + 1))" "$itest_tmp/host-main.log")
	printf '%s\n' "$new"
	grep -q "^uapi_host: peer $(pub pb) allowed-ips" <<<"$new" &&
		! grep -q "^uapi_host: peer $(pub pb) added" <<<"$new" &&
		grep -q "^uapi_host: peer $(pub pc) removed\$" <<<"$new" &&
		grep -q "^uapi_host: peer $(pub pd) removed\$" <<<"$new" &&
		grep -q "^uapi_host: peer $(pub pe) added allowed-ips\$" <<<"$new"
}
check "syncconf kept the unchanged peer (no re-creation), notified the rest" \
	syncconf_kept_peer

# ---- refused requests change nothing ------------------------------------------

snap before
sed 's#10.10.5.0/24#10.10.5.0/33#' "$itest_tmp/c3.conf" >"$itest_tmp/bad.conf"
check "wg setconf with a bad allowed IP fails" bash -c "! wg setconf '$NAME' '$itest_tmp/bad.conf'"
check "... and changed nothing" same_dump "$itest_tmp/before.dump"

port_in_use()
{
	python3 - "$NAME" "$PORT1" "$(pub pf)" <<'EOF'
import socket, subprocess, sys
name, port, pk = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(('::', port))
r = subprocess.run(['wg', 'set', name, 'listen-port', str(port), 'peer', pk,
                    'allowed-ips', '10.99.0.0/16'], capture_output=True, text=True)
print('rc', r.returncode, repr(r.stderr))
sys.exit(0 if r.returncode == 1 and 'Address already in use' in r.stderr else 1)
EOF
}
check "wg set listen-port on a port in use: 'Address already in use'" port_in_use
check "... and the peer of the same command was not added" same_dump "$itest_tmp/before.dump"

raw_is()
{
	local got

	got=$(raw_req "$1")
	printf 'sent %s\ngot  %s\nwant %s\n' "$1" "$got" "$2"
	[[ $got == "$2" ]]
}
hexkey()
{
	base64 -d <<<"$1" | od -An -tx1 -v | tr -d ' \n'
}
PBHEX=$(hexkey "$(pub pb)")
PFHEX=$(hexkey "$(pub pf)")
check "raw: bad allowed_ip -> errno=-22" raw_is \
	"set=1\\npublic_key=$PFHEX\\nallowed_ip=10.0.0.0/8\\npublic_key=$PBHEX\\nallowed_ip=10.0.0.0/33\\n\\n" \
	"'errno=-22\\n\\n'"
check "raw: a line without '=' -> errno=-71" raw_is \
	"set=1\\nlisten_port=$PORT1\\nreplace_peers=true\\nbogus\\n\\n" "'errno=-71\\n\\n'"
check "raw: unknown key -> errno=-22" raw_is \
	"set=1\\nreplace_peers=true\\nfoo=bar\\n\\n" "'errno=-22\\n\\n'"
check "raw: protocol_version=2 -> errno=-22" raw_is \
	"set=1\\npublic_key=$PFHEX\\nprotocol_version=2\\n\\n" "'errno=-22\\n\\n'"
check "raw: endpoint without port -> errno=-22" raw_is \
	"set=1\\npublic_key=$PBHEX\\nendpoint=127.0.0.1\\n\\n" "'errno=-22\\n\\n'"
check "raw: cut short (no blank line): no answer" raw_is \
	"set=1\\nreplace_peers=true\\npublic_key=$PFHEX\\n" "''"
check "raw: unknown operation -> errno=-71" raw_is "hello=1\\n\\n" "'errno=-71\\n\\n'"
check "... none of them changed anything" same_dump "$itest_tmp/before.dump"

raw_get()
{
	local got

	got=$(raw_req 'get=1\n\n')
	printf '%s\n' "$got"
	[[ $got == "'private_key=$(hexkey "$(key b)")\\nlisten_port=$PORT2\\npublic_key=$PBHEX\\n"* ]] &&
		[[ $got == *"\\nprotocol_version=1\\n"* ]] &&
		[[ $got == *"\\nerrno=0\\n\\n'" ]]
}
check "raw: get=1" raw_get

# ---- a large setconf --------------------------------------------------------

NBIG=20000
python3 - "$itest_tmp/big.conf" "$NBIG" "$(key b)" "$PORT2" <<'EOF'
import base64, os, sys
path, n, priv, port = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, 'w') as f:
    f.write('[Interface]\nPrivateKey = %s\nListenPort = %s\n' % (priv, port))
    for i in range(n):
        f.write('\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.%d.%d.%d/32, fd00:1::%x/128\n'
                'Endpoint = 127.0.0.1:%d\n'
                % (base64.b64encode(os.urandom(32)).decode(), 100 + (i >> 16),
                   (i >> 8) & 255, i & 255, i, 1024 + i))
EOF
big_setconf()
{
	local t0 t1

	t0=$(date +%s%N)
	wg setconf "$NAME" "$itest_tmp/big.conf" || return 1
	t1=$(date +%s%N)
	echo "setconf of $NBIG peers: $(((t1 - t0) / 1000000)) ms"
	[[ $(wg show "$NAME" peers | wc -l) == "$NBIG" ]] &&
		[[ $(wg show "$NAME" dump | wc -l) == "$((NBIG + 1))" ]] &&
		[[ $(wg showconf "$NAME" | grep -c '^AllowedIPs = 10\.') == "$NBIG" ]]
}
check "wg setconf with $NBIG peers, read back" big_setconf
check "wg setconf back to a small file" wg setconf "$NAME" "$itest_tmp/c3.conf"
check "dump after shrinking" expect_dump "$itest_tmp/e6"

# ---- socket life cycle ------------------------------------------------------

main_pid=$host_pid
second_refused()
{
	local log=$itest_tmp/host-second.log

	if "$HOST_BIN" "$NAME" >/dev/null 2>"$log"; then
		return 1
	fi
	cat "$log"
	grep -q 'in use by another process' "$log"
}
check "a second server on the live socket is refused" second_refused
check "... and the first still answers" expect_dump "$itest_tmp/e6"

host_pid=$main_pid
host_stop TERM
check "SIGTERM: the host exits with status 0" test "$host_status" -eq 0
check "... and removes its socket" bash -c "[[ ! -e '$SOCK' ]]"

check "a new host starts" host_start stale1
host_stop KILL
check "SIGKILL leaves a stale socket" bash -c "[[ -S '$SOCK' ]]"
check "a stale socket is replaced by the next host" host_start stale2
printf '(none)\t(none)\t%s\toff\n' "$host_port" >"$itest_tmp/e7"
check "... which answers with its own (empty) state" expect_dump "$itest_tmp/e7"
host_stop TERM
check "... and removes it on exit" bash -c "[[ ! -e '$SOCK' && $host_status -eq 0 ]]"
check "no sanitizer report in the host logs" \
	bash -c "! grep -l 'Sanitizer' '$itest_tmp'/host-*.log"

itest_finish
