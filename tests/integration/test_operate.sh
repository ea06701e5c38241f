#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Operating the running gateway: its wg(8) socket driven by the stock wg
# tool, and its DPDK telemetry commands (/wg/...) read by dpdk-telemetry.py.
#
#   "them" ns                          gateway ns                  lan ns
#   wireguard-go  10.9.0.2/24          dpdk-wg  port wan 198.18.0.1/24
#   198.18.0.2/24  veth -------------- (af_packet)
#                                               port lan 10.10.0.1/24 --- 10.10.0.2/24
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
BIN=$BUILD/app/dpdk-wg

for t in ip ethtool ping wg wireguard-go python3 timeout; do
	command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; exit 1; }
TEL=$(command -v dpdk-telemetry.py || true)

WG=o$P			# the gateway's wireguard interface (wg(8) name)
WGGO=g$P		# wireguard-go's interface in "them"
GWPFX=dwgop$P		# EAL --file-prefix: telemetry socket directory
TMP=$itest_tmp
LOG=$TMP/gw.log
GW_PID=

cleanup_operate() {
	rm -rf "/var/run/dpdk/$GWPFX"
}
trap 'itest_cleanup; cleanup_operate' EXIT

setup_net() {
	ns_add gw && ns_add them && ns_add lan || return 1
	ip link add "${P}wg" netns "$P-gw" type veth peer name "${P}wh" \
		netns "$P-them" || return 1
	ip link add "${P}lg" netns "$P-gw" type veth peer name "${P}lh" \
		netns "$P-lan" || return 1
	for i in "${P}wg" "${P}lg"; do
		nsexec gw sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
		nsexec gw ethtool -K "$i" tx off rx off tso off gso off gro off \
			>/dev/null 2>&1
		nsexec gw ip link set "$i" up
	done
	nsexec them ethtool -K "${P}wh" tx off rx off tso off gso off gro off \
		>/dev/null 2>&1
	nsexec them ip addr add 198.18.0.2/24 dev "${P}wh"
	nsexec them ip link set "${P}wh" up
	nsexec lan ethtool -K "${P}lh" tx off rx off tso off gso off gro off \
		>/dev/null 2>&1
	nsexec lan ip addr add 10.10.0.2/24 dev "${P}lh"
	nsexec lan ip link set "${P}lh" up
	nsexec lan ip route add default via 10.10.0.1
}

write_config() {
	cat >"$TMP/gw.yaml" <<YAML
eal: ["-l", "0-1", $(eal_mem), "--no-pci", "--file-prefix=$GWPFX",
      "--log-level=pmd.net.af_packet:warning",
      "--vdev=net_af_packet0,iface=${P}wg",
      "--vdev=net_af_packet1,iface=${P}lg"]
lcores:
  control: 0
  io: [1]
  crypto: [1]
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24]
  - name: lan
    device: net_af_packet1
    address: [10.10.0.1/24]
wireguard:
  - name: $WG
    private_key: "$GW_PRIV"
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$GO_PUB"
        allowed_ips: [10.9.0.2/32]
        persistent_keepalive: 25
telemetry: true
uapi: true
YAML
}

start_gateway() {
	nsexec gw sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/gw.pid" \
		"$BIN" --config "$TMP/gw.yaml" >"$LOG" 2>&1 &
	for _ in $(seq 1 50); do
		[ -s "$TMP/gw.pid" ] && break
		sleep 0.1
	done
	GW_PID=$(cat "$TMP/gw.pid" 2>/dev/null)
	[ -n "$GW_PID" ] || return 1
	bg_track "$GW_PID"
	for _ in $(seq 1 300); do
		grep -q '^dpdk-wg: ready' "$LOG" && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.2
	done
	return 1
}

start_wggo() {
	wggo_start them "$WGGO" || return 1
	echo "$GO_PRIV" >"$TMP/go.key"
	nsexec them wg set "$WGGO" private-key "$TMP/go.key" \
		peer "$GW_PUB" endpoint 198.18.0.1:51820 \
		allowed-ips 10.9.0.0/24,10.10.0.0/24 || return 1
	nsexec them ip addr add 10.9.0.2/24 dev "$WGGO"
	nsexec them ip link set "$WGGO" up
	# a subnet behind the peer, reachable from the LAN once the
	# gateway's peer has it in its allowed IPs
	nsexec them ip addr add 192.168.88.1/32 dev lo
	nsexec them ip route add 10.10.0.0/24 dev "$WGGO"
}

# tel CMD: one telemetry command, its JSON reply on stdout
tel() {
	if [ -n "$TEL" ]; then
		echo "$1" | timeout 10 python3 "$TEL" -f "$GWPFX" | grep '^{' | tail -n 1
	else
		timeout 10 python3 - "/var/run/dpdk/$GWPFX/dpdk_telemetry.v2" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(16384)
s.send(sys.argv[2].encode())
print(s.recv(65536).decode())
PY
	fi
}

# jq-less JSON queries: tel_get CMD PYEXPR (d: the reply's value, P: its
# entries by public key)
tel_get() {
	tel "$1" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); d=list(r.values())[0]; P={p.get("public_key"): p for p in d.values() if isinstance(p, dict)}; print(eval(sys.argv[1]))' "$2"
}

export -f tel tel_get
export TEL GWPFX

dump_has() {	# dump_has KEY REGEX: KEY's line in `wg show dump` matches
	wg show "$WG" dump | grep "^$1	" | grep -Eq "$2"
}

dump_lacks() {
	! wg show "$WG" dump | grep -q "^$1	"
}

GW_PRIV=$(wg genkey); GW_PUB=$(echo "$GW_PRIV" | wg pubkey)
GO_PRIV=$(wg genkey); GO_PUB=$(echo "$GO_PRIV" | wg pubkey)
K2=$(wg genkey | wg pubkey)
K3=$(wg genkey | wg pubkey)
PSK=$(wg genpsk)

setup_net || { echo "FAIL: network set-up"; exit 1; }
write_config
if ! start_gateway; then
	echo "FAIL: gateway did not start"
	tail -n 20 "$LOG"
	exit 1
fi

# ---- the wg(8) socket -------------------------------------------------------
check "socket /var/run/wireguard/$WG.sock exists" test -S "/var/run/wireguard/$WG.sock"
check "wg show $WG: public key and listen port" \
	bash -c "wg show '$WG' | grep -q 'public key: $GW_PUB' && wg show '$WG' listen-port | grep -qx 51820"
check "wg show dump: the configured peer" dump_has "$GO_PUB" '	10\.9\.0\.2/32	'
check "wg showconf: peer and allowed IPs, no private key leak in show" \
	bash -c "wg showconf '$WG' | grep -q 'PublicKey = $GO_PUB' && ! wg show '$WG' | grep -q '$GW_PRIV'"
check "wg set: add a peer with allowed IPs, endpoint, psk, keepalive" \
	bash -c "echo '$PSK' >'$TMP/psk' && wg set '$WG' peer '$K2' allowed-ips 10.9.0.3/32,192.168.77.0/24 endpoint 198.18.0.9:51820 preshared-key '$TMP/psk' persistent-keepalive 30"
check "wg show dump: the new peer appears" \
	dump_has "$K2" '198\.18\.0\.9:51820	(10\.9\.0\.3/32,192\.168\.77\.0/24|192\.168\.77\.0/24,10\.9\.0\.3/32)	.*	30$'
check "wg set: allowed IPs replaced" wg set "$WG" peer "$K2" allowed-ips 10.9.0.4/32
check "wg show dump: new allowed IPs" dump_has "$K2" '	10\.9\.0\.4/32	'
check "wg set listen-port other: refused" bash -c "! wg set '$WG' listen-port 51999 peer '$K3' allowed-ips 10.9.0.5/32"
check "refused set changed nothing (no $K3, port 51820)" \
	bash -c "! wg show '$WG' dump | grep -q '$K3' && wg show '$WG' listen-port | grep -qx 51820"
check "wg set listen-port same: accepted" wg set "$WG" listen-port 51820
# a request wg itself would never send: allowed_ip with /33 (wg parses it
# first), written on the socket directly; answered errno=-22, no change
bad_set() {
	python3 - "/var/run/wireguard/$WG.sock" "$(echo "$K3" | base64 -d | od -An -tx1 | tr -d ' \n')" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(("set=1\npublic_key=%s\nallowed_ip=10.0.0.0/33\n\n" % sys.argv[2]).encode())
r = b""
while not r.endswith(b"\n\n"):
	c = s.recv(4096)
	if not c:
		break
	r += c
print(r.decode().strip())
sys.exit(0 if r.decode().strip() == "errno=-22" else 1)
PY
}
check "invalid allowed IP /33 on the socket: errno=-22" bad_set
check "invalid set changed nothing" dump_lacks "$K3"
check "wg set ... remove: the peer is gone" \
	bash -c "wg set '$WG' peer '$K2' remove && ! wg show '$WG' dump | grep -q '$K2'"
check "the configured peer is still there" dump_has "$GO_PUB" '	10\.9\.0\.2/32	'

# ---- traffic through a wireguard-go peer -----------------------------------
if start_wggo; then
	check "ping the gateway's tunnel address from wireguard-go" \
		nsexec them ping -n -c 3 -i 0.3 -W 3 10.9.0.1
	check "wg show: latest handshake and transfer of the peer" \
		bash -c "wg show '$WG' dump | grep '^$GO_PUB	' | awk -F'\t' '\$5 > 0 && \$6 > 0 && \$7 > 0 {ok=1} END {exit !ok}'"
	lan_ping() {
		nsexec lan ping -n -c 2 -i 0.3 -W 2 192.168.88.1
	}
	lan_noping() {
		! lan_ping
	}
	check "LAN -> 192.168.88.1: no route through the tunnel yet" \
		lan_noping
	check "wg set: the peer gets 192.168.88.0/24" \
		wg set "$WG" peer "$GO_PUB" allowed-ips 10.9.0.2/32,192.168.88.0/24
	check "LAN -> 192.168.88.1 through the tunnel (FIB updated)" lan_ping
	check "wg set: 192.168.88.0/24 taken away again" \
		wg set "$WG" peer "$GO_PUB" allowed-ips 10.9.0.2/32
	check "LAN -> 192.168.88.1: gone from the FIB" \
		lan_noping
	# addconf of 20 peers, then setconf (replace_peers) back to the saved
	# configuration: 21 peers removed, one re-created (new sessions)
	wg showconf "$WG" >"$TMP/conf"
	for i in $(seq 1 20); do
		printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.77.%d.0/24\n\n' \
			"$(wg genkey | wg pubkey)" "$i"
	done >"$TMP/more.conf"
	check "wg addconf: 20 more peers" \
		bash -c "wg addconf '$WG' '$TMP/more.conf' && [ \$(wg show '$WG' peers | wc -l) -eq 21 ]"
	check "wg setconf (replace_peers) back to one peer" \
		bash -c "wg setconf '$WG' '$TMP/conf' && [ \$(wg show '$WG' peers | wc -l) -eq 1 ]"
	check "after setconf: the peer is back, the tunnel works" \
		bash -c "wg show '$WG' dump | grep -q '^$GO_PUB	' && ip netns exec '$P-them' ping -n -c 3 -i 0.3 -W 3 10.9.0.1"
else
	check "wireguard-go started" false
fi

# ---- telemetry --------------------------------------------------------------
check "telemetry socket /var/run/dpdk/$GWPFX/dpdk_telemetry.v2" \
	test -S "/var/run/dpdk/$GWPFX/dpdk_telemetry.v2"
check "/wg/interfaces: name, public key, port, 1 peer" \
	bash -c "[ \"\$(tel_get /wg/interfaces \"d['$WG']['public_key'], d['$WG']['listen_port'], d['$WG']['peers']\")\" = \"('$GW_PUB', 51820, 1)\" ]"
check "/wg/lcores: roles and counters" \
	bash -c "tel_get /wg/lcores \"d['1']['roles'] == 'io crypto' and d['1']['rx_pkts'] > 0 and 'drop_no_route' in str(d['1']) or print(d)\" | grep -qx True"
RX1=$(tel_get "/wg/peers,$WG" "P['$GO_PUB']['rx_packets']")
nsexec them ping -n -c 3 -i 0.2 -W 3 10.9.0.1 >/dev/null 2>&1
RX2=$(tel_get "/wg/peers,$WG" "P['$GO_PUB']['rx_packets']")
check "/wg/peers: rx_packets grows with traffic ($RX1 -> $RX2)" \
	test "${RX2:-0}" -ge $((${RX1:-0} + 3))
check "/wg/peers: endpoint, allowed IPs, handshake, key age" \
	bash -c "tel_get '/wg/peers,$WG' \"P['$GO_PUB']['endpoint'].startswith('198.18.0.2:') and P['$GO_PUB']['allowed_ips'] == '10.9.0.2/32' and P['$GO_PUB']['latest_handshake'] > 0 and 0 <= P['$GO_PUB']['key_age_s'] < 60\" | grep -qx True"
check "/wg/peers: one peer left in the data path after setconf" \
	bash -c "tel_get '/wg/peers,$WG' 'len(d)' | grep -qx 1"
check "/wg/handshakes: initiations counted" \
	bash -c "tel_get '/wg/handshakes,$WG' \"d['rx_initiations'] + d['tx_initiations'] > 0 and d['sessions'] > 0\" | grep -qx True"
check "/wg/peers of an unknown interface: error" \
	bash -c "! tel '/wg/peers,nosuch' | grep -q 'public'"
check "telemetry exposes no private or preshared key" \
	bash -c "! (tel /wg/interfaces; tel '/wg/peers,$WG'; tel /wg/lcores; tel '/wg/handshakes,$WG') | grep -qe '$GW_PRIV' -e '$PSK' -e '$GO_PRIV'"
check "the gateway's log holds no key" \
	bash -c "! grep -qe '$GW_PRIV' -e '$PSK' '$LOG'"

# KEEP_TRANSCRIPT=FILE: what an operator sees (docs/operations.md)
if [ -n "${KEEP_TRANSCRIPT:-}" ]; then
	{
		echo "# wg show $WG"; wg show "$WG"
		echo "# wg show $WG dump"; wg show "$WG" dump
		echo "# wg set $WG listen-port 51999"; wg set "$WG" listen-port 51999
		for c in /wg/interfaces "/wg/peers,$WG" "/wg/handshakes,$WG" \
			/wg/lcores; do
			echo "# $c"; tel "$c"
		done
	} >"$KEEP_TRANSCRIPT" 2>&1
fi

# ---- shutdown: the socket goes -------------------------------------------------
stop_gateway() {
	kill -TERM "$GW_PID" || return 1
	for _ in $(seq 1 100); do
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$GW_PID" 2>/dev/null || return 1
	bg_untrack "$GW_PID"
	! test -e "/var/run/wireguard/$WG.sock"
}
check "SIGTERM: the gateway exits and unlinks its wg(8) socket" stop_gateway

[ "${KEEP_LOG:-}" ] && cp "$LOG" "$KEEP_LOG"
itest_finish
