#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Peer churn while traffic flows: thousands of peers added to and removed
# from the running gateway through its wg(8) socket (the Debian wg tool),
# round after round, while a wireguard-go peer that nobody touches carries
# a continuous ping from the LAN host.
#
#   "them" ns                          gateway ns                  lan ns
#   wireguard-go  10.9.0.2/24          dpdk-wg  port wan 198.18.0.1/24
#   198.18.0.2/24  veth -------------- (af_packet)
#                                               port lan 10.10.0.1/24 --- 10.10.0.2/24
#
# Each round: `wg addconf` of CHURN_PEERS new peers (random keys, a /32
# each in 10.100.0.0/16), then their removal, by `wg syncconf` back to the
# original configuration (odd rounds) or by one `wg set` naming every one
# of them with `remove` (even rounds). Checks: the gateway stays up, the
# peer count after each step, the untouched peer's `wg show dump` line
# (endpoint, allowed IPs) and latest handshake unchanged (its session kept),
# ping through it loses nothing (exact count, in batches of 500 at 2 ms),
# and at SIGTERM the gateway exits 0 with no sanitizer report (no leak
# under an ASan build). Then a `wg setconf` replacing N peers by N others
# beyond the gateway's id headroom (ids reclaimed on demand).
#
# Counts: CHURN_PEERS (default 10000) and CHURN_ROUNDS (default 4): about
# 20 s on 2 cores, 30 s on an ASan build.
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
GW_BIN=$BUILD/app/dpdk-wg

itest_need ip ethtool ping wg wireguard-go python3
[[ -x $GW_BIN ]] || { echo "FAIL: $GW_BIN not built"; echo "0 passed, 1 failed"; exit 1; }

SANITIZED=0
is_sanitized "$GW_BIN" && SANITIZED=1
N=${CHURN_PEERS:-10000}
ROUNDS=${CHURN_ROUNDS:-4}

# ordinary memory: the routing tables alone want about 600 MiB, more than
# the hugepages other tests leave free
DPDK_WG_NO_HUGE=${DPDK_WG_NO_HUGE:-1}

WG=c$P			# the gateway's wireguard interface (wg(8) name)
WGGO=h$P		# wireguard-go's interface in "them"
TMP=$itest_tmp
LOG=$TMP/gw.log
itest_socks+=("/var/run/wireguard/$WG.sock")
T0=$SECONDS

log() {
	printf '# [%3ds] %s\n' $((SECONDS - T0)) "$*"
}

GW_PRIV=$(wg genkey); GW_PUB=$(echo "$GW_PRIV" | wg pubkey)
GO_PRIV=$(wg genkey); GO_PUB=$(echo "$GO_PRIV" | wg pubkey)
(umask 077 && echo "$GW_PRIV" >"$TMP/gw.key")

cat >"$TMP/gw.yaml" <<YAML
$(gw_yaml_eal "" "${P}wg" "${P}lg")
ports:
  - {name: wan, device: net_af_packet0, address: [198.18.0.1/24]}
  - {name: lan, device: net_af_packet1, address: [10.10.0.1/24]}
wireguard:
  - name: $WG
    private_key_file: $TMP/gw.key
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$GO_PUB"
        allowed_ips: [10.9.0.2/32]
        endpoint: "198.18.0.2:51821"
telemetry: false
uapi: true
cli_socket: ""
YAML

# the original configuration in wg(8) form: what syncconf returns to
cat >"$TMP/base.conf" <<CONF
[Interface]
PrivateKey = $GW_PRIV
ListenPort = 51820

[Peer]
PublicKey = $GO_PUB
AllowedIPs = 10.9.0.2/32
Endpoint = 198.18.0.2:51821
CONF
chmod 600 "$TMP/base.conf"

# churn_conf ROUND: N peers with random public keys, a /32 each; their
# keys also in $TMP/keys-ROUND
churn_conf() {
	python3 - "$N" "$TMP/add-$1.conf" "$TMP/keys-$1" <<'EOF'
import base64, os, sys
n = int(sys.argv[1])
with open(sys.argv[2], "w") as c, open(sys.argv[3], "w") as k:
    for i in range(n):
        pk = base64.b64encode(os.urandom(32)).decode()
        k.write(pk + "\n")
        c.write("[Peer]\nPublicKey = %s\nAllowedIPs = 10.100.%d.%d/32\n\n"
                % (pk, i // 256, i % 256))
EOF
}

last_peer_ok() {	# last_peer_ok ROUND: its last peer listed with its /32
	wg show "$WG" allowed-ips | grep -qxF \
		"$(tail -n 1 "$TMP/keys-$1")	10.100.$(((N - 1) / 256)).$(((N - 1) % 256))/32"
}

n_peers() {
	wg show "$WG" peers | wc -l
}

go_line() {	# the untouched peer's dump line without its counters
	wg show "$WG" dump | awk -v k="$GO_PUB" -F'\t' '$1 == k {print $1, $3, $4, $8}'
}

# ping_loop: batches of 500 pings at 2 ms from the LAN host to the peer
# until $TMP/stop exists; one "sent received" line per batch
ping_loop() {
	while [[ ! -e $TMP/stop ]]; do
		nsexec lan ping -q -n -c 500 -i 0.002 -W 2 10.9.0.2 2>&1 |
			sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p'
	done >"$TMP/ping.out"
}

gw_topology lan || { echo "FAIL: network set-up"; exit 1; }
gw_start gw "$TMP/gw.yaml" "$LOG" || { echo "FAIL: the gateway did not start"; tail -n 20 "$LOG"; exit 1; }
wggo_peer them "$WGGO" "$GO_PRIV" 10.9.0.2/24 listen-port 51821 \
	peer "$GW_PUB" endpoint 198.18.0.1:51820 allowed-ips 10.9.0.0/24,10.10.0.0/24 ||
	{ echo "FAIL: wireguard-go"; exit 1; }
nsexec them ip route add 10.10.0.0/24 dev "$WGGO"

log "gateway up, $N peers a round, $ROUNDS rounds (sanitizer build: $SANITIZED)"
# the first packets wait for the handshake (slow on a sanitizer build)
session_up() {
	local i

	for i in $(seq 60); do
		nsexec lan ping -q -n -c 1 -W 1 10.9.0.2 >/dev/null 2>&1 &&
			[[ $(wg_peer_handshake "$WG" "$GO_PUB") -gt 0 ]] && return 0
	done
	return 1
}
check "the peer answers through the tunnel" session_up
HS0=$(wg_peer_handshake "$WG" "$GO_PUB")
LINE0=$(go_line)
check "a session with the untouched peer (latest handshake $HS0)" test "${HS0:-0}" -gt 0
log "untouched peer: $LINE0"
for r in $(seq "$ROUNDS"); do
	churn_conf "$r"
done

ping_loop &
PING_PID=$!
bg_track "$PING_PID"
sleep 1

for r in $(seq "$ROUNDS"); do
	t=$SECONDS
	check "round $r: wg addconf of $N peers" wg addconf "$WG" "$TMP/add-$r.conf"
	check "round $r: $((N + 1)) peers" test "$(n_peers)" -eq $((N + 1))
	log "round $r: added in $((SECONDS - t)) s"
	check "round $r: the last new peer's allowed IP in wg show" last_peer_ok "$r"
	t=$SECONDS
	if ((r % 2)); then
		check "round $r: wg syncconf back to the original" \
			wg syncconf "$WG" "$TMP/base.conf"
	else
		sed 's/$/ remove/; s/^/peer /' "$TMP/keys-$r" | tr '\n' ' ' >"$TMP/rm-$r.args"
		# shellcheck disable=SC2046
		check "round $r: one wg set removing all $N" \
			wg set "$WG" $(cat "$TMP/rm-$r.args")
	fi
	log "round $r: removed in $((SECONDS - t)) s"
	check "round $r: back to 1 peer" test "$(n_peers)" -eq 1
	check "round $r: the gateway runs" kill -0 "$GW_PID"
	check "round $r: the untouched peer's line unchanged" test "$(go_line)" = "$LINE0"
done

sleep 1
touch "$TMP/stop"
wait "$PING_PID"
bg_untrack "$PING_PID"
read -r sent recvd <<<"$(awk '{s += $1; r += $2} END {print s + 0, r + 0}' "$TMP/ping.out")"
log "ping through the untouched peer: $sent sent, $recvd received, $(wc -l <"$TMP/ping.out") batches"
check "pings were sent during the churn ($sent)" test "$sent" -ge 500
check "ping through the untouched peer: no loss ($recvd of $sent)" test "$recvd" -eq "$sent"
HS1=$(wg_peer_handshake "$WG" "$GO_PUB")
# a regular rekey (REKEY_AFTER_TIME, 120 s) may only come once that long passed
if ((HS0 > 0 && $(date +%s) - HS0 < 115)); then
	check "the untouched peer's session kept (latest handshake $HS1)" test "$HS1" = "$HS0"
else
	check "the untouched peer's session: no handshake before REKEY_AFTER_TIME" \
		test $((HS1 == HS0 || HS1 - HS0 >= 115)) -eq 1
fi
# Beyond the id headroom: the gateway has ids for its configured peer and
# 16,384 more. With N peers in place, a `wg setconf` of N others (and the
# untouched peer) needs N new ids while the N removed ones still wait for
# their RCU epoch: the ids are reclaimed on demand, and every peer lands.
if ((2 * N + 2 > 16386)); then
	check "setconf beyond the headroom: wg addconf of $N peers" wg addconf "$WG" "$TMP/add-1.conf"
	churn_conf $((ROUNDS + 1))
	cat "$TMP/base.conf" "$TMP/add-$((ROUNDS + 1)).conf" >"$TMP/setconf.conf"
	t=$SECONDS
	check "setconf beyond the headroom: wg setconf of $N other peers" wg setconf "$WG" "$TMP/setconf.conf"
	log "setconf of $N others in $((SECONDS - t)) s"
	check "setconf beyond the headroom: $((N + 1)) peers" test "$(n_peers)" -eq $((N + 1))
	check "setconf beyond the headroom: the last new peer's allowed IP" last_peer_ok $((ROUNDS + 1))
	check "setconf beyond the headroom: ids reclaimed on demand (log)" \
		grep -q "peer ids of removed peers reclaimed early" "$LOG"
	check "setconf beyond the headroom: no peer refused by the data path" \
		bash -c "! grep -q 'not added to the data path' '$LOG'"
	check "setconf beyond the headroom: the re-created peer answers through the tunnel" session_up
	check "back to the original configuration" wg syncconf "$WG" "$TMP/base.conf"
fi
check "wg show dump: 1 peer, the interface line" \
	bash -c "wg show '$WG' dump | awk 'END {exit !(NR == 2)}' && wg show '$WG' dump | head -n 1 | grep -q '	51820	'"

check "SIGTERM: the gateway exits within 60 s" gw_stop TERM 60
check "SIGTERM: exit status 0 ($GW_RC)" test "$GW_RC" = 0
check "no sanitizer report (leaks, errors)" no_sanitizer "$LOG"
[[ $itest_failed -gt 0 ]] && tail -n 30 "$LOG"
itest_finish
