#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# The gateway's command line: dpdk-wg-ctl against the cli_socket (show
# commands, peer add/remove), live reload (SIGHUP and `reload`) with an
# unchanged peer pinging across it, refused reloads, and `dpdk-wg -i`
# driven through a pseudo-terminal (help, TAB completion, quit).
#
#   p1..p4 ns: wireguard-go --- [ bridge, ns "wan" ] --- dpdk-wg (ns "gw")
#   198.18.0.1N/24, tunnel 10.9.0.N+1                     wan 198.18.0.1/24
#                                                         lan 10.10.0.1/24 --- lan ns 10.10.0.2
#
# p1: in the file throughout (preshared key), pings across two reloads
# p2: in the file, removed by the first reload
# p3: never in the file: `peer add` / `peer remove` at run time
# p4: added by the first reload, its allowed IPs widened by the second, a
#     preshared key by a fourth
# A second interface, WGB (no traffic): q1 throughout, q2 added by a reload
# that the first interface's part of fails (more peers than the gateway
# has ids for): WGB's part stays applied, and the next reload compares
# WGB with the file that reload applied.
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
GW_BIN=$BUILD/app/dpdk-wg
CTL=$BUILD/app/dpdk-wg-ctl

itest_need ip ethtool ping wg wireguard-go python3 timeout
[ -x "$GW_BIN" ] && [ -x "$CTL" ] || { echo "FAIL: $GW_BIN or $CTL not built"; exit 1; }

WG=c$P				# the gateway's wireguard interface
WGB=c${P}b			# its second one
TMP=$itest_tmp
SOCK=$TMP/run/cli.sock		# its parent is created by the gateway
CFG=$TMP/gw.yaml
LOG=$TMP/gw.log
ALL=$TMP/cli-all.out		# everything the CLI printed (key leak check)

GW_PRIV=$(wg genkey); GW_PUB=$(echo "$GW_PRIV" | wg pubkey)
PSK1=$(wg genpsk)
PSK4=$(wg genpsk)
for n in 1 2 3 4; do
	eval "PRIV$n=\$(wg genkey)"
	eval "PUB$n=\$(echo \"\$PRIV$n\" | wg pubkey)"
done
GWB_PRIV=$(wg genkey)
Q1=$(wg genkey | wg pubkey)
Q2=$(wg genkey | wg pubkey)
# more peers than the gateway has ids for (configured + 16,384)
python3 -c 'import base64, os
for i in range(16400):
    print("      - public_key: \"%s\"" % base64.b64encode(os.urandom(32)).decode())' >"$TMP/many-peers.yaml"

ctl() {		# ctl WORDS...: one command, output kept for the leak check
	timeout 20 "$CTL" -s "$SOCK" "$@" 2>&1 | tee -a "$ALL"
	return "${PIPESTATUS[0]}"
}

# ctl_fails REGEX [-s SOCK] WORDS...: exit status 1 and a line matching REGEX
ctl_fails() {
	local re=$1 rc
	shift
	[ "$1" = -s ] || set -- -s "$SOCK" "$@"
	timeout 20 "$CTL" "$@" >"$TMP/fail.out" 2>&1
	rc=$?
	cat "$TMP/fail.out" >>"$ALL"
	cat "$TMP/fail.out"
	[ "$rc" -eq 1 ] && grep -Eq "$re" "$TMP/fail.out"
}

# ---- topology ---------------------------------------------------------------

setup_net() {
	local n priv

	for n in gw wan lan p1 p2 p3 p4; do
		ns_add "$n" || return 1
	done
	ip netns exec "$P-gw" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$P-wan" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n "$P-wan" link add br0 type bridge stp_state 0 mcast_snooping 0 ||
		return 1
	ip -n "$P-wan" link set br0 up
	veth_add "${P}gw" gw "${P}gb" wan || return 1
	veth_add "${P}gl" gw "${P}l" lan || return 1
	ip -n "$P-wan" link set "${P}gb" master br0 || return 1
	ip -n "$P-lan" addr add 10.10.0.2/24 dev "${P}l"
	ip -n "$P-lan" route add default via 10.10.0.1
	for n in 1 2 3 4; do
		veth_add "${P}$n" "p$n" "${P}b$n" wan || return 1
		ip -n "$P-wan" link set "${P}b$n" master br0 || return 1
		ip -n "$P-p$n" addr add "198.18.0.1$n/24" dev "${P}$n"
		priv=PRIV$n
		wggo_peer "p$n" "${P}w$n" "${!priv}" "10.9.0.$((n + 1))/24" \
			listen-port "5182$n" peer "$GW_PUB" \
			endpoint 198.18.0.1:51820 \
			allowed-ips 10.9.0.0/24,10.10.0.0/24 || return 1
		ip -n "$P-p$n" route add 10.10.0.0/24 dev "${P}w$n"
	done
	echo "$PSK1" >"$TMP/p1.psk"
	wg set "${P}w1" peer "$GW_PUB" preshared-key "$TMP/p1.psk"
	# p4's subnet, routed to it once its allowed IPs have it (reload 2)
	ip -n "$P-p4" addr add 192.168.44.1/32 dev lo
}

# write_config STAGE: 0 p1 p2; 1 p1 p4; 2 p1 p4 (wider); 3 as 2, p4 with a
# preshared key; 4 as 3, p1's endpoint port 51841; bad: a YAML error;
# restart: a port address changed; toomany: 4 with 16,400 more peers on WG
# and q2 on WGB; 5: 4 with q2 on WGB
write_config() {
	local stage=$1 lanaddr=10.10.0.1/24 p4ips=10.9.0.5/32 p1port=51821

	[ "$stage" = restart ] && lanaddr=10.10.0.1/25
	case $stage in
	2 | 3 | 4 | toomany | 5) p4ips="10.9.0.5/32, 192.168.44.0/24" ;;
	esac
	case $stage in
	4 | toomany | 5) p1port=51841 ;;
	esac
	{
		cat <<YAML
$(gw_yaml_eal "${P}cli" "${P}gw,qpairs=1" "${P}gl,qpairs=1")
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24]
  - name: lan
    device: net_af_packet1
    address: [$lanaddr]
wireguard:
  - name: $WG
    private_key: "$GW_PRIV"
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$PUB1"
        preshared_key: "$PSK1"
        allowed_ips: [10.9.0.2/32]
        endpoint: "198.18.0.11:$p1port"
YAML
		if [ "$stage" = 0 ]; then
			cat <<YAML
      - public_key: "$PUB2"
        allowed_ips: [10.9.0.3/32]
YAML
		else
			cat <<YAML
      - public_key: "$PUB4"
        allowed_ips: [$p4ips]
YAML
		fi
		case $stage in
		3 | 4 | toomany | 5) echo "        preshared_key: \"$PSK4\"" ;;
		esac
		[ "$stage" = bad ] && echo "        persistent_keepalive: [oops"
		[ "$stage" = toomany ] && cat "$TMP/many-peers.yaml"
		cat <<YAML
  - name: $WGB
    private_key: "$GWB_PRIV"
    listen_port: 51822
    address: [10.8.0.1/24]
    peers:
      - public_key: "$Q1"
        allowed_ips: [10.8.0.2/32]
YAML
		case $stage in
		toomany | 5) cat <<YAML
      - public_key: "$Q2"
        allowed_ips: [10.8.0.3/32]
YAML
		;;
		esac
		cat <<YAML
telemetry: false
uapi: true
cli_socket: "$SOCK"
YAML
	} >"$CFG.tmp" && mv "$CFG.tmp" "$CFG"
}

tping() {	# tping NS DST: answers
	ip netns exec "$P-$1" ping -n -c 3 -i 0.2 -w 8 "$2"
}

no_ping() {	# no_ping NS DST: not one answer in 3 s
	! ip netns exec "$P-$1" ping -n -c 3 -i 0.5 -w 3 "$2"
}

dump() {
	wg show "$WG" dump
}

# ---- start ------------------------------------------------------------------

setup_net || { echo "FAIL: network set-up"; exit 1; }
# once: the free hugepages change while the gateway runs, and the `eal:`
# list must stay the same across reloads
EAL_MEM=$(eal_mem)
write_config 0
# a stale socket at the path (its process is gone) is replaced
mkdir -m 0700 "$TMP/run"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
if ! gw_start gw "$CFG" "$LOG" || [ ! -S "$SOCK" ]; then
	echo "FAIL: gateway did not start"
	tail -n 20 "$LOG"
	exit 1
fi

check "cli socket replaced a stale one, mode 0600" \
	bash -c "[ \"\$(stat -c %a '$SOCK')\" = 600 ]"
check "help lists the commands" bash -c "'$CTL' -s '$SOCK' help | grep -q '^peer add IFACE KEY'"
check "unreachable socket: exit 1 and a message" \
	ctl_fails 'cannot connect to' -s "$TMP/nope.sock" show peers

# handshakes: p1 and p2 ping the LAN through the gateway
check "p1 pings the LAN through the gateway" tping p1 10.10.0.2
check "p2 pings the LAN through the gateway" tping p2 10.10.0.2

# ---- show -------------------------------------------------------------------

ctl show peers >"$TMP/peers.out"
check "show peers: interface line with the gateway's public key" \
	grep -q "^interface $WG: public key $GW_PUB listen port 51820 peers 2" "$TMP/peers.out"
check "show peers: p1 with its endpoint after the handshake" \
	grep -q "peer $PUB1 endpoint 198.18.0.11:51821 allowed-ips 10.9.0.2/32 handshake [0-9]*s-ago" "$TMP/peers.out"
check "show peers: p2 with the endpoint it came from" \
	grep -q "peer $PUB2 endpoint 198.18.0.12:51822 allowed-ips 10.9.0.3/32" "$TMP/peers.out"
ctl show peer "$PUB1" >"$TMP/peer1.out"
check "show peer KEY: everything, preshared key (hidden)" \
	bash -c "grep -q '^peer: $PUB1' '$TMP/peer1.out' && grep -q 'preshared key: (hidden)' '$TMP/peer1.out' && grep -q 'endpoint: 198.18.0.11:51821' '$TMP/peer1.out' && grep -q 'latest handshake: [0-9]* seconds\? ago' '$TMP/peer1.out' && grep -Eq 'transfer: [1-9][0-9]* B received, [1-9][0-9]* B sent' '$TMP/peer1.out'"
check "show peer KEY of no peer: error, exit 1" ctl_fails '^error: no peer' show peer "$PUB3"
ctl show stats >"$TMP/stats1.out"
ctl show ports >"$TMP/ports1.out"
ctl show lcores >"$TMP/lcores1.out"
check "show ports: wan and lan, MAC, address, link, counters" \
	bash -c "grep -Eq '^port wan: device net_af_packet0 .* mac ([0-9A-F]{2}:){5}[0-9A-F]{2} .* link up' '$TMP/ports1.out' && grep -q 'inet 10.10.0.1/24' '$TMP/ports1.out' && grep -Eq '^  rx [1-9][0-9]* packets' '$TMP/ports1.out'"
check "show lcores: control and io lcores with counters" \
	bash -c "grep -Eq '^0 +control +[0-9]+ +[0-9]+' '$TMP/lcores1.out' && grep -Eq '^1 +io,crypto +[0-9]+ +[0-9]+ +[1-9][0-9]* +[1-9]' '$TMP/lcores1.out'"
check "show stats: totals and drops by reason" \
	bash -c "grep -q '^stats total' '$TMP/stats1.out' && grep -q 'peer $WG $PUB1' '$TMP/stats1.out'"
rx_of() { awk '/^  rx / { s += $2 } END { print s + 0 }' "$1"; }
tping p1 10.10.0.2 >/dev/null
ctl show ports >"$TMP/ports2.out"
check "show ports: rx counter moved after pings" \
	test "$(rx_of "$TMP/ports2.out")" -gt "$(rx_of "$TMP/ports1.out")"
lc_rx() { awk '$1 == 1 { print $5 }' "$1"; }
ctl show lcores >"$TMP/lcores2.out"
check "show lcores: io lcore rx moved after pings" \
	test "$(lc_rx "$TMP/lcores2.out")" -gt "$(lc_rx "$TMP/lcores1.out")"

# ---- peer add / remove ------------------------------------------------------

check "p3 (no peer yet) cannot ping" no_ping p3 10.10.0.2
dump >"$TMP/dump0"
check "peer add with a bad key: error, exit 1" \
	ctl_fails '^error: invalid public key' peer add "$WG" notakey allowed-ips 10.9.0.4/32
check "peer add with a bad allowed IP: error" \
	ctl_fails '^error: invalid allowed IP' peer add "$WG" "$PUB3" allowed-ips 10.9.0.400/32
check "peer add with a bad endpoint: error" \
	ctl_fails '^error: invalid endpoint' peer add "$WG" "$PUB3" endpoint 1.2.3.4
check "peer add with an unknown option: error" \
	ctl_fails '^error: unknown option' peer add "$WG" "$PUB3" colour blue
check "peer add on no interface: error" \
	ctl_fails '^error: no wireguard interface' peer add nosuch "$PUB3"
check "peer add of an existing peer: error" \
	ctl_fails '^error: .* already has peer' peer add "$WG" "$PUB1"
check "peer add of the interface's own key: error" \
	ctl_fails "^error: that is $WG's own public key" peer add "$WG" "$GW_PUB"
check "an unknown command: error, exit 1" ctl_fails '^error: unknown command' frobnicate
check "peer remove of no peer: error" ctl_fails '^error: .* has no peer' peer remove "$WG" "$PUB3"
dump >"$TMP/dump1"
check "refused commands changed nothing (wg show dump)" cmp "$TMP/dump0" "$TMP/dump1"
check "peer add p3" ctl peer add "$WG" "$PUB3" allowed-ips 10.9.0.4/32 keepalive 15
check "wg show dump: p3 with its allowed IP and keepalive" \
	wg_dump_has "$WG" "$PUB3" '	10\.9\.0\.4/32	.*	15$'
check "p3 pings the LAN after peer add" tping p3 10.10.0.2
check "peer remove p3" ctl peer remove "$WG" "$PUB3"
check "wg show: p3 gone" bash -c "! wg show '$WG' dump | grep -q '^$PUB3'"
check "p3 cannot ping after peer remove" no_ping p3 10.10.0.2
# a script on stdin: several commands, one connection
printf 'show peer %s\n# a comment\n\nshow lcores\n' "$PUB1" >"$TMP/script.txt"
check "commands from a script on stdin" \
	bash -c "'$CTL' -s '$SOCK' <'$TMP/script.txt' | tee -a '$ALL' | grep -c -E '^peer: |^lcore ' | grep -qx 2"

# ---- reload -----------------------------------------------------------------

# a peer added at run time and not in the file: the reload removes it
check "peer add p3 again (not in the file)" \
	ctl peer add "$WG" "$PUB3" allowed-ips 10.9.0.4/32
HS1=$(wg_peer_handshake "$WG" "$PUB1")
ip netns exec "$P-p1" ping -n -i 0.01 -c 500 -W 2 10.10.0.2 >"$TMP/longping.out" 2>&1 &
LONGPING=$!
sleep 1
write_config 1
kill -HUP "$GW_PID"
for _ in $(seq 1 50); do
	grep -q "reload: $WG:" "$LOG" && break
	sleep 0.1
done
log_has() {	# log_has REGEX: in the gateway's log (else its reload lines)
	grep -Eq "$1" "$LOG" || { grep -E 'reload|error' "$LOG"; false; }
}
check "SIGHUP reload: summary logged" \
	log_has "reload: $WG: 1 added, 2 removed, 0 changed, 1 unchanged"
check "reload: p3 (added at run time) removed" \
	bash -c "! wg show '$WG' dump | grep -q '^$PUB3'"
check "reload: p2 gone from wg show" bash -c "! wg show '$WG' dump | grep -q '^$PUB2'"
check "reload: p4 in wg show" bash -c "wg show '$WG' dump | grep -q '^$PUB4	'"
sleep 1
write_config 2
ctl reload >"$TMP/reload2.out"
check "reload command: summary printed" \
	grep -q "^reload: $WG: 0 added, 0 removed, 1 changed, 1 unchanged" "$TMP/reload2.out"
wait "$LONGPING"
check "p1 lost no packet across both reloads (500 pings)" \
	grep -q ' 0% packet loss' "$TMP/longping.out"
check "p1 kept its session (same latest handshake)" \
	test "$(wg_peer_handshake "$WG" "$PUB1")" = "$HS1"
check "p2 cannot ping after the reload removed it" no_ping p2 10.10.0.2
check "p4 (added by the reload) pings the LAN" tping p4 10.10.0.2
check "p4's new allowed IPs: the LAN reaches 192.168.44.1" tping lan 192.168.44.1

# roaming: p1 moves to another port; a reload keeps where it went
wg set "${P}w1" listen-port 51831
tping p1 10.10.0.2 >/dev/null
check "p1 roamed: endpoint 198.18.0.11:51831" \
	wg_dump_has "$WG" "$PUB1" '	198\.18\.0\.11:51831	'
ctl reload >"$TMP/reload3.out"
check "reload of an unchanged file: all unchanged" \
	grep -q "^reload: $WG: 0 added, 0 removed, 0 changed, 2 unchanged" "$TMP/reload3.out"
check "reload kept p1's roamed endpoint" \
	wg_dump_has "$WG" "$PUB1" '	198\.18\.0\.11:51831	'
check "p1 pings after the reload" tping p1 10.10.0.2

# what a reload counts as changed, against the file it last applied
write_config 3
ctl reload >"$TMP/reload4.out"
check "reload of a preshared key alone: changed" \
	grep -q "^reload: $WG: 0 added, 0 removed, 1 changed, 1 unchanged" "$TMP/reload4.out"
write_config 4
ctl reload >"$TMP/reload5.out"
check "reload of an endpoint alone: changed" \
	grep -q "^reload: $WG: 0 added, 0 removed, 1 changed, 1 unchanged" "$TMP/reload5.out"
check "reload set p1's endpoint the file changed" \
	wg_dump_has "$WG" "$PUB1" '	198\.18\.0\.11:51841	'
check "p1 pings after its endpoint changed" tping p1 10.10.0.2
check "p1 roamed back: endpoint 198.18.0.11:51831" \
	wg_dump_has "$WG" "$PUB1" '	198\.18\.0\.11:51831	'
ctl reload >"$TMP/reload6.out"
check "reload of the same file again: all unchanged" \
	grep -q "^reload: $WG: 0 added, 0 removed, 0 changed, 2 unchanged" "$TMP/reload6.out"
check "that reload kept p1's roamed endpoint" \
	wg_dump_has "$WG" "$PUB1" '	198\.18\.0\.11:51831	'

# one interface's part fails, the other's stays applied (the command
# failed: every line it prints is an error line)
write_config toomany
ctl reload >"$TMP/reload7.out"
sed 's/^/    /' "$TMP/reload7.out"
check "reload beyond the peer ids: $WG refused (ENOSPC), $WGB applied" \
	bash -c "grep -q '^error: reload: $WG: wg(8) set refused: No space left on device' '$TMP/reload7.out' &&
		grep -q '^error: reload: $WGB: 1 added, 0 removed, 0 changed, 1 unchanged' '$TMP/reload7.out'"
check "after it: $WG as before (2 peers), $WGB has q2" \
	bash -c "[ \$(wg show '$WG' peers | wc -l) = 2 ] && wg show '$WGB' peers | grep -qxF '$Q2'"
write_config 5
ctl reload >"$TMP/reload8.out"
sed 's/^/    /' "$TMP/reload8.out"
check "next reload: $WGB compared with the file that applied (all unchanged)" \
	bash -c "grep -q '^reload: $WG: 0 added, 0 removed, 0 changed, 2 unchanged' '$TMP/reload8.out' &&
		grep -q '^reload: $WGB: 0 added, 0 removed, 0 changed, 2 unchanged' '$TMP/reload8.out'"
check "p1 pings after the partial reload" tping p1 10.10.0.2

dump >"$TMP/dump2"
write_config bad
ctl reload >"$TMP/reload-bad.out"
check "reload of a file with an error: refused with file:line:column" \
	grep -Eq "^error: reload refused: $CFG:[0-9]+:[0-9]+: " "$TMP/reload-bad.out"
write_config restart
ctl reload >"$TMP/reload-restart.out"
check "reload of a port address change: refused, restart to apply" \
	grep -q "^error: reload refused: port lan changed: restart to apply" "$TMP/reload-restart.out"
kill -HUP "$GW_PID"
sleep 1
check "SIGHUP with a change that needs a restart: refused in the log" \
	grep -q "reload refused: port lan changed: restart to apply" "$LOG"
dump >"$TMP/dump3"
check "refused reloads changed nothing (wg show dump)" \
	bash -c "diff <(cut -f1-4 '$TMP/dump2') <(cut -f1-4 '$TMP/dump3')"
check "p1 still pings after refused reloads" tping p1 10.10.0.2

check "no private or preshared key in anything the CLI printed" \
	bash -c "! grep -F -e '$GW_PRIV' -e '$PSK1' -e '$PSK4' -e '$PRIV1' '$ALL' $TMP/*.out"

# ---- quit over the socket ---------------------------------------------------

write_config 2
check "quit over the socket" ctl quit
for _ in $(seq 1 100); do
	kill -0 "$GW_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$GW_PID" 2>/dev/null
check "the gateway exited after quit" bash -c "! kill -0 $GW_PID 2>/dev/null && grep -q '^dpdk-wg: stopped' '$LOG'"
bg_untrack "$GW_PID"
check "cli socket removed on exit" test ! -e "$SOCK"
check "ASan/UBSan: no report" no_sanitizer "$LOG"

# ---- interactive (-i) through a pseudo-terminal ------------------------------

EAL_MEM=$(eal_mem)	# no reload from here on: what is free now
write_config 2
cat >"$TMP/drive_pty.py" <<'PY'
import os, pty, select, signal, sys, time

argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = open(sys.argv[1], "wb")
buf = b""
seen = b""

def fail(msg):
    # no gateway left behind: it would outlive its terminal
    print(msg)
    print(seen[-3000:].decode(errors="replace"))
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except OSError:
        pass
    sys.exit(1)

def expect(what, timeout=60):
    global buf, seen
    end = time.time() + timeout
    while what not in buf:
        left = end - time.time()
        if left <= 0:
            fail("timeout waiting for %r" % what)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                fail("EOF waiting for %r" % what)
            out.write(data)
            out.flush()
            buf += data
            seen += data
    buf = buf[buf.index(what) + len(what):]

def send(s):
    os.write(fd, s.encode())

expect(b"dpdk-wg> ")
if os.environ.get("CTRL_D"):
    send("\x04")		# Ctrl-D on an empty line: the gateway stops
    expect(b"dpdk-wg: stopped")
    sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
send("help\r")
expect(b"peer remove IFACE KEY")
expect(b"dpdk-wg> ")
send("show peers\r")
expect(b"interface ")
expect(b"dpdk-wg> ")
send("sho\tlc\t\r")		# TAB completion: show lcores
expect(b"busy-polls")
expect(b"dpdk-wg> ")
send("quit\r")
expect(b"stopping the gateway")
st = os.waitpid(pid, 0)[1]
# drain what is left
try:
    while True:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            break
        data = os.read(fd, 4096)
        if not data:
            break
        out.write(data)
except OSError:
    pass
sys.exit(os.waitstatus_to_exitcode(st))
PY
check "interactive: help, show peers, TAB completion, quit -> exit 0" \
	timeout 120 python3 "$TMP/drive_pty.py" "$TMP/pty.out" \
	ip netns exec "$P-gw" "$GW_BIN" --config "$CFG" -i
check "interactive: Ctrl-D stops the gateway, exit 0" \
	env CTRL_D=1 timeout 120 python3 "$TMP/drive_pty.py" "$TMP/pty-d.out" \
	ip netns exec "$P-gw" "$GW_BIN" --config "$CFG" -i
check "interactive: TAB completed 'sho<TAB>lc<TAB>' to 'show lcores'" \
	grep -aq '^dpdk-wg> show .*lcores' "$TMP/pty.out"
check "interactive: show peers printed p1" grep -aq "peer $PUB1 endpoint" "$TMP/pty.out"
check "interactive: no private or preshared key printed" \
	bash -c "! grep -aF -e '$GW_PRIV' -e '$PSK1' '$TMP/pty.out'"
check "interactive: ASan/UBSan: no report" no_sanitizer "$TMP/pty.out"

# ---- EOF on stdin; a cli_socket another process answers on --------------------

python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
open(sys.argv[2], "w").close()
time.sleep(120)' "$SOCK" "$TMP/listening" &
LISTENER=$!
bg_track "$LISTENER"
for _ in $(seq 1 50); do
	[ -e "$TMP/listening" ] && break
	sleep 0.1
done
EAL_MEM=$(eal_mem)	# no reload from here on: what is free now
write_config 2
run_eof() {
	timeout 120 ip netns exec "$P-gw" "$GW_BIN" --config "$CFG" -i \
		</dev/null >"$TMP/eof.out" 2>&1
}
check "interactive with stdin at EOF: the gateway stops, exit 0" run_eof
check "live socket at cli_socket: NOTICE, ran without, left it alone" \
	bash -c "grep -q 'another process answers on it: running without the CLI socket' '$TMP/eof.out' && [ -S '$SOCK' ]"
check "EOF run: ASan/UBSan: no report" no_sanitizer "$TMP/eof.out"
kill "$LISTENER" 2>/dev/null
wait "$LISTENER" 2>/dev/null
bg_untrack "$LISTENER"

itest_finish
