#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# dpdk-wg as an IPv4/IPv6 router between two af_packet ports.
#
#   wan host ns            gateway ns                 lan host ns
#   198.18.0.2/24   veth   dpdk-wg  port wan  198.18.0.1/24
#   2001:db8:1::2/64 ----  (af_packet)        2001:db8:1::1/64
#                                   port lan  10.10.0.1/24       veth  10.10.0.2/24
#                                   mtu 1400  2001:db8:2::1/64   ----  2001:db8:2::2/64
#                                                                      192.0.2.1, 2001:db8:c0::1 (lo)
#
# The gateway's veth ends live in a namespace of their own, so that no
# kernel stack routes or answers for them. Every name carries this shell's
# PID; only what this script created is removed, and the gateway is stopped
# by its PID.
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped (not root, tool missing).

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# eal_mem, gw_start and gw_stop_clean; not itest_init: this test keeps its
# own names, checks and clean-up
. "$HERE/lib.sh"
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
GW_BIN=$BUILD/app/dpdk-wg

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, af_packet)"
itest_need ip ethtool ping iperf3 timeout sysctl
[ -x "$GW_BIN" ] || { echo "FAIL: $GW_BIN not built"; exit 1; }

ID=$$
PFX=dwgt-$ID-
NS_GW=${PFX}gw
NS_W=${PFX}wan
NS_L=${PFX}lan
# interface names: at most 15 characters
V_WG=dw${ID}wg		# gateway side, wan
V_WH=dw${ID}wh		# host side, wan
V_LG=dw${ID}lg
V_LH=dw${ID}lh
TMP=$(mktemp -d "/tmp/${PFX}XXXXXX")
LOG=$TMP/gw.log
P=${PFX%-}		# for gw_start: namespace "$P-gw" is $NS_GW
itest_tmp=$TMP		# for gw_start: its pid file
BG_PIDS=
CREATED_NS=
FUZZED=

PASSED=0
FAILED=0

cleanup() {
	local pid ns i

	for pid in $BG_PIDS; do
		kill "$pid" 2>/dev/null
	done
	if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
		kill -TERM "$GW_PID" 2>/dev/null
		for i in $(seq 1 50); do
			kill -0 "$GW_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -0 "$GW_PID" 2>/dev/null && kill -KILL "$GW_PID" 2>/dev/null
	fi
	for ns in $CREATED_NS; do
		ip netns del "$ns" 2>/dev/null	# takes its veth ends along
	done
	for i in "$V_WG" "$V_LG"; do
		ip link del "$i" 2>/dev/null
	done
	[ -n "${KEEP_LOG:-}" ] && cp "$LOG" "$KEEP_LOG"
	rm -rf "$TMP" /var/run/dpdk/"$PFX"*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
	PASSED=$((PASSED + 1))
	echo "ok   - $*"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL - $*"
}

# check NAME COMMAND...: passes when the command succeeds
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name"
		echo "$out" | sed 's/^/       /' | tail -n 8
	fi
}

# check_out NAME REGEX COMMAND...: passes when the output matches REGEX
check_out() {
	local name=$1 re=$2 out
	shift 2
	out=$("$@" 2>&1)
	if echo "$out" | grep -Eq "$re"; then
		pass "$name"
	else
		fail "$name (expected /$re/)"
		echo "$out" | sed 's/^/       /' | tail -n 8
	fi
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

ping4() {
	in_ns "$1" ping -n -c 3 -i 0.2 -W 2 "${@:2}"
}

ping6() {
	in_ns "$1" ping -6 -n -c 3 -i 0.2 -W 2 "${@:2}"
}

quiet_veth() {
	# offloads off: af_packet must see complete checksums and no GSO
	in_ns "$1" ethtool -K "$2" tx off rx off tso off gso off gro off \
		>/dev/null 2>&1
}

setup_net() {
	local ns

	for ns in "$NS_GW" "$NS_W" "$NS_L"; do
		ip netns add "$ns" || return 1
		CREATED_NS="$CREATED_NS $ns"
		in_ns "$ns" ip link set lo up
	done
	ip link add "$V_WG" netns "$NS_GW" type veth peer name "$V_WH" \
		netns "$NS_W" || return 1
	ip link add "$V_LG" netns "$NS_GW" type veth peer name "$V_LH" \
		netns "$NS_L" || return 1

	# gateway side: no kernel stack on the DPDK ports
	in_ns "$NS_GW" sysctl -qw net.ipv4.ip_forward=0
	for i in "$V_WG" "$V_LG"; do
		in_ns "$NS_GW" sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
		quiet_veth "$NS_GW" "$i"
		in_ns "$NS_GW" ip link set "$i" up
	done

	quiet_veth "$NS_W" "$V_WH"
	in_ns "$NS_W" ip addr add 198.18.0.2/24 dev "$V_WH"
	in_ns "$NS_W" ip -6 addr add 2001:db8:1::2/64 dev "$V_WH" nodad
	in_ns "$NS_W" ip link set "$V_WH" up
	in_ns "$NS_W" ip route add 10.10.0.0/24 via 198.18.0.1
	in_ns "$NS_W" ip route add 192.0.2.0/24 via 198.18.0.1
	in_ns "$NS_W" ip route add 10.9.0.0/24 via 198.18.0.1
	in_ns "$NS_W" ip -6 route add 2001:db8:2::/64 via 2001:db8:1::1
	in_ns "$NS_W" ip -6 route add 2001:db8:c0::/48 via 2001:db8:1::1

	quiet_veth "$NS_L" "$V_LH"
	in_ns "$NS_L" ip link set "$V_LH" mtu 1400
	in_ns "$NS_L" ip addr add 10.10.0.2/24 dev "$V_LH"
	in_ns "$NS_L" ip -6 addr add 2001:db8:2::2/64 dev "$V_LH" nodad
	in_ns "$NS_L" ip link set "$V_LH" up
	in_ns "$NS_L" ip route add default via 10.10.0.1
	in_ns "$NS_L" ip -6 route add default via 2001:db8:2::1
	in_ns "$NS_L" ip addr add 192.0.2.1/32 dev lo
	in_ns "$NS_L" ip -6 addr add 2001:db8:c0::1/128 dev lo
	return 0
}

key() {
	head -c 32 /dev/urandom | base64
}

write_config() {
	cat >"$TMP/gw.yaml" <<EOF
eal: ["-l", "0-1", $(eal_mem), "--no-pci", "--file-prefix=$PFX$RANDOM",
      "--log-level=pmd.net.af_packet:warning",
      "--vdev=net_af_packet0,iface=$V_WG",
      "--vdev=net_af_packet1,iface=$V_LG"]
lcores:
  control: 0
  io: [1]
  crypto: [1]
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24, "2001:db8:1::1/64"]
  - name: lan
    device: net_af_packet1
    address: [10.10.0.1/24, "2001:db8:2::1/64"]
    mtu: 1400
neighbors:
  - {address: 10.10.0.3, mac: "02:00:00:00:00:03", port: lan}
routes:
  - {prefix: 192.0.2.0/24, via: 10.10.0.2}
  - {prefix: "2001:db8:c0::/48", via: "2001:db8:2::2"}
wireguard:
  - name: dwgt$ID
    private_key: "$(key)"
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$(key)"
        allowed_ips: [10.9.0.2/32]
telemetry: false
uapi: false
EOF
}

# CPU time of the gateway in clock ticks (user + system)
gw_ticks() {
	awk '{print $14 + $15}' "/proc/$GW_PID/stat"
}

# ---- bad configuration: file:line:column on stderr, non-zero exit ----------

test_bad_config() {
	local out rc

	printf 'ports:\n  - name: wan\n    mtu: [1500\n' >"$TMP/bad.yaml"
	out=$("$GW_BIN" --config "$TMP/bad.yaml" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -Eq "^$TMP/bad.yaml:[0-9]+:[0-9]+: "; then
		pass "bad YAML: file:line:column and exit $rc"
	else
		fail "bad YAML: got exit $rc: $out"
	fi

	# valid YAML, but a device EAL does not know: found after EAL init
	cat >"$TMP/nodev.yaml" <<EOF
eal: ["-l", "0", "--no-huge", "--no-shconf", "-m", "512", "--no-pci",
      "--file-prefix=${PFX}nodev", "--log-level=lib.eal:error"]
ports:
  - name: wan
    device: net_af_packet7
    address: [198.18.0.1/24]
telemetry: false
uapi: false
EOF
	out=$(timeout 60 "$GW_BIN" --config "$TMP/nodev.yaml" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -Eq "^$TMP/nodev.yaml:[0-9]+:[0-9]+: .*net_af_packet7"; then
		pass "unknown device: file:line:column and exit $rc"
	else
		fail "unknown device: got exit $rc: $out"
	fi

	# EAL arguments before "--" replace the file's (here unusable) list
	sed 's/^eal: \[/eal: ["--no-such-eal-option", /' "$TMP/nodev.yaml" \
		>"$TMP/badeal.yaml"
	out=$(timeout 60 "$GW_BIN" -l 0 --no-huge --no-shconf -m 512 --no-pci \
		"--file-prefix=${PFX}cmdline" --log-level=lib.eal:error \
		-- --config "$TMP/badeal.yaml" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -q "net_af_packet7"; then
		pass "EAL arguments on the command line replace the file's"
	else
		fail "EAL arguments on the command line: got exit $rc: $out"
	fi
}

# ---- the router ---------------------------------------------------------------

test_router() {
	local t0 t1 hz pct pid out ll

	check "wan host pings gateway 198.18.0.1" ping4 "$NS_W" 198.18.0.1
	check "wan host pings gateway 2001:db8:1::1" ping6 "$NS_W" 2001:db8:1::1
	# before the lan host has spoken: the gateway resolves it (ARP, NS)
	check "wan -> lan IPv4 through the gateway" ping4 "$NS_W" 10.10.0.2
	check "wan -> lan IPv6 through the gateway" ping6 "$NS_W" 2001:db8:2::2
	check "lan host pings gateway 10.10.0.1" ping4 "$NS_L" 10.10.0.1
	check "lan host pings gateway 2001:db8:2::1" ping6 "$NS_L" 2001:db8:2::1
	check "wan host pings the lan port's address" ping4 "$NS_W" 10.10.0.1
	check "wan host pings the tunnel address 10.9.0.1" ping4 "$NS_W" 10.9.0.1
	ll=$(sed -n '/^port wan:/,/^port lan:/s/^  inet6 \(fe80::[0-9a-f:]*\)\/64 link-local/\1/p' "$LOG")
	check "wan host pings the gateway's link-local $ll" \
		ping6 "$NS_W" "$ll%$V_WH"
	check "lan -> wan IPv4 through the gateway" ping4 "$NS_L" 198.18.0.2
	check "lan -> wan IPv6 through the gateway" ping6 "$NS_L" 2001:db8:1::2
	check "static route IPv4 (192.0.2.0/24 via 10.10.0.2)" \
		ping4 "$NS_W" 192.0.2.1
	check "static route IPv6 (2001:db8:c0::/48 via 2001:db8:2::2)" \
		ping6 "$NS_W" 2001:db8:c0::1

	check_out "TTL 1: ICMP time exceeded from the gateway" \
		"From 198.18.0.1.*Time to live exceeded" \
		in_ns "$NS_W" ping -n -c 2 -i 0.2 -W 1 -t 1 10.10.0.2
	check_out "hop limit 1: ICMPv6 time exceeded from the gateway" \
		"From 2001:db8:1::1.*Time exceeded" \
		in_ns "$NS_W" ping -6 -n -c 2 -i 0.2 -W 1 -t 1 2001:db8:2::2
	check_out "no route: ICMP net unreachable" \
		"From 10.10.0.1.*Unreachable" \
		in_ns "$NS_L" ping -n -c 2 -i 0.2 -W 1 203.0.113.1
	check_out "no route: ICMPv6 destination unreachable" \
		"From 2001:db8:2::1.*[Uu]nreachable" \
		in_ns "$NS_L" ping -6 -n -c 2 -i 0.2 -W 1 2001:db8:ff::1
	# before the DF test teaches the wan host the path MTU
	check "no DF over the lan MTU: fragmented by the gateway" \
		ping4 "$NS_W" -M dont -s 1450 10.10.0.2
	check_out "DF over the lan MTU: fragmentation needed, mtu 1400" \
		"mtu ?[=:]? ?1400" \
		in_ns "$NS_W" ping -n -c 2 -i 0.2 -W 1 -M do -s 1450 10.10.0.2
	check_out "IPv6 over the lan MTU: packet too big, mtu 1400" \
		"mtu ?[=:]? ?1400" \
		in_ns "$NS_W" ping -6 -n -c 2 -i 0.2 -W 1 -s 1450 2001:db8:2::2

	for fam in 4 6; do
		if [ $fam = 4 ]; then dst=10.10.0.2; else dst=2001:db8:2::2; fi
		in_ns "$NS_L" iperf3 -s -1 -p 520$fam -B "$dst" >"$TMP/iperf-s$fam" 2>&1 &
		pid=$!
		BG_PIDS="$BG_PIDS $pid"
		sleep 1
		out=$(in_ns "$NS_W" timeout 30 iperf3 -$fam -c "$dst" -p 520$fam -t 3 \
			--connect-timeout 3000 2>&1)
		if [ $? -eq 0 ] && echo "$out" | grep -q receiver; then
			pass "iperf3 TCP IPv$fam wan -> lan: $(echo "$out" | grep receiver | awk '{print $7, $8}')"
		else
			fail "iperf3 TCP IPv$fam wan -> lan"
			echo "$out" | tail -n 5 | sed 's/^/       /'
		fi
		wait "$pid" 2>/dev/null
	done

	# a static neighbour: frames go to its MAC, no ARP request for it
	if command -v tcpdump >/dev/null 2>&1; then
		in_ns "$NS_L" timeout 5 tcpdump -l -n -e -i "$V_LH" -c 2 \
			"ether dst 02:00:00:00:00:03 or (arp and host 10.10.0.3)" \
			>"$TMP/static.txt" 2>/dev/null &
		pid=$!
		BG_PIDS="$BG_PIDS $pid"
		sleep 1
		in_ns "$NS_W" ping -n -c 2 -i 0.2 -W 1 10.10.0.3 >/dev/null 2>&1
		wait "$pid" 2>/dev/null
		if grep -q "> 02:00:00:00:00:03.*10.10.0.3: ICMP echo request" "$TMP/static.txt" &&
		   ! grep -qi "arp" "$TMP/static.txt"; then
			pass "static neighbour: sent to 02:00:00:00:00:03 without ARP"
		else
			fail "static neighbour"
			sed 's/^/       /' "$TMP/static.txt"
		fi
	fi

	# WireGuard: a malformed message to the listen port, and a packet for
	# a peer whose endpoint is unknown: both dropped and counted
	in_ns "$NS_W" bash -c 'echo wg > /dev/udp/198.18.0.1/51820' 2>/dev/null
	in_ns "$NS_L" ping -n -c 2 -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1

	# an idle gateway backs off: well under one core busy-polling
	sleep 1
	hz=$(getconf CLK_TCK)
	t0=$(gw_ticks)
	sleep 3
	t1=$(gw_ticks)
	pct=$(( (t1 - t0) * 100 / (3 * hz) ))
	if [ "$pct" -lt 30 ]; then
		pass "idle CPU ${pct}% of one core"
	else
		fail "idle CPU ${pct}% of one core (expected < 30%)"
	fi
}

# truncated, lying and mutated frames: dropped and counted, never a crash
test_malformed() {
	local mac out rc

	if ! command -v python3 >/dev/null 2>&1; then
		echo "skip - malformed frames (python3 not installed)"
		return
	fi
	mac=$(sed -n 's/^port wan: .* mac \([0-9A-Fa-f:]*\) .*/\1/p' "$LOG")
	out=$(in_ns "$NS_W" timeout 60 python3 "$HERE/router_malformed.py" \
		"$V_WH" "$mac" 2>&1)
	rc=$?
	FUZZED=1
	if [ $rc -eq 0 ]; then
		pass "malformed frames: $(echo "$out" | tr '\n' ';')"
	else
		fail "malformed frames (exit $rc)"
		echo "$out" | sed 's/^/       /' | tail -n 8
	fi
	check "gateway alive after malformed frames" kill -0 "$GW_PID"
	in_ns "$NS_W" ip neigh flush dev "$V_WH" >/dev/null 2>&1
	check "wan -> lan IPv4 still forwarded" ping4 "$NS_W" 10.10.0.2
	check "wan -> lan IPv6 still forwarded" ping6 "$NS_W" 2001:db8:2::2
}

test_shutdown() {
	local r

	if gw_stop_clean INT 10 >"$TMP/stop.out"; then
		pass "SIGINT: clean shutdown, exit 0"
	else
		fail "SIGINT: exit $GW_RC"
		sed 's/^/       /' "$TMP/stop.out"
	fi
	check_out "WireGuard malformed message counted (wg_bad_message)" \
		"stats total: drop wg_bad_message [1-9]" cat "$LOG"
	check_out "peer without endpoint counted (wg_no_endpoint)" \
		"stats total: drop wg_no_endpoint [1-9]" cat "$LOG"
	check_out "IPv4 fragmentation counted (frag)" \
		"stats total: .* frag [1-9]" cat "$LOG"
	check_out "the gateway resolved next hops itself (ARP requests / NS sent)" \
		"stats total: .* neigh_req [1-9]" cat "$LOG"
	if [ -n "$FUZZED" ]; then
		for r in arp_malformed ip4_malformed ip4_cksum ip6_malformed \
			 nd_invalid icmp_malformed eth_not_us; do
			check_out "malformed frames counted: $r" \
				"stats total: drop $r [1-9]" cat "$LOG"
		done
	fi
}

test_bad_config

if ! setup_net; then
	fail "network namespaces and veths"
	echo "$PASSED passed, $FAILED failed"
	exit 1
fi
write_config
if gw_start gw "$TMP/gw.yaml" "$LOG"; then
	pass "gateway started (pid $GW_PID)"
	sed -n '/^port /,/^dpdk-wg: ready/p' "$LOG" | sed 's/^/       /'
	test_router
	test_malformed
	test_shutdown
else
	fail "gateway did not start"
	tail -n 30 "$LOG" | sed 's/^/       /'
fi

if [ $FAILED -ne 0 ] && [ -s "$LOG" ]; then
	echo "---- gateway log (tail) ----"
	tail -n 40 "$LOG"
fi
echo "$PASSED passed, $FAILED failed"
[ $FAILED -eq 0 ]
