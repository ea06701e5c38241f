#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# iperf3 TCP through dpdk-wg versus through wireguard-go, in the same
# namespace topology (docs/performance.md §4), one after the other:
#
#   peer ns  wireguard-go (tunnel 10.9.0.2/24, MTU 1420), veth 198.18.0.2
#      | veth (offloads off on every end)
#   gw ns    (a) dpdk-wg: af_packet ports on the two veth ends, control
#                on lcore 0, I/O + crypto on lcore 1
#            (b) wireguard-go 10.9.0.1/24 + the kernel forwarding
#      | veth
#   lan ns   10.10.0.2/24, iperf3 -s
#
# One TCP stream per direction: "up" peer -> LAN, "down" LAN -> peer
# (iperf3 -R). CPU is user + system time of the gateway process and of the
# peer's wireguard-go over each transfer, in % of one core. Also the
# dpdk-wg gateway's idle CPU: the same over --idle seconds with the tunnel
# up and no traffic. Run as root.
#
#   scripts/bench-iperf3.sh [--time S] [--idle S] [--json FILE] [--idle-only]
#
# --idle-only: measure the idle CPU, stop the gateway and print its
# data-path lcores' counters (busy and idle polls), no iperf3.
#
# Prints a table; the last line is one JSON object: {"iperf3": [{"path",
# "dir", "mbps", "gw_cpu", "peer_cpu", "load"}, ...], "idle_cpu": X}.
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# not BUILD: lib.sh's itest_init sets that one
BENCH_BUILD=${DPDK_WG_BUILD:-build}
[[ $BENCH_BUILD == /* ]] || BENCH_BUILD=$ROOT/$BENCH_BUILD

secs=10
idle=10
json_out=
idle_only=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--time) secs=${2:?}; shift ;;
	--idle) idle=${2:?}; shift ;;
	--json) json_out=${2:?}; shift ;;
	--idle-only) idle_only=1 ;;
	-h | --help) sed -n '/^# iperf3 TCP/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-iperf3.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done

. "$ROOT/tests/integration/lib.sh"
. "$ROOT/scripts/lib-topology.sh"

die() {
	echo "bench-iperf3.sh: $*" >&2
	exit 1
}

itest_init
GW_BIN=$BENCH_BUILD/app/dpdk-wg
[[ -x $GW_BIN ]] || die "$GW_BIN is missing: meson setup $BENCH_BUILD && ninja -C $BENCH_BUILD"
for t in wireguard-go wg iperf3 ethtool; do
	command -v "$t" >/dev/null || die "$t is needed"
done

K=$itest_tmp/keys
umask 077
mkdir -m 700 "$K"
for k in g p; do
	wg genkey >"$K/$k.key" && wg pubkey <"$K/$k.key" >"$K/$k.pub" ||
		die "wg genkey failed"
done
chmod 600 "$K"/*

VGW=${P}gw	# gw ns, towards the peer
VP=${P}pw	# peer ns
VGL=${P}gl	# gw ns, towards the LAN
VL=${P}la	# lan ns
WGP=${P}wp	# the peer's wireguard-go
WGG=${P}wg	# the gateway's wireguard-go (b)
GWIF=${P}dw	# dpdk-wg's WireGuard interface (a)

for ns in gw p lan; do
	ns_add "$ns" || die "ip netns add failed"
done
ip netns exec "$P-gw" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
veth_add "$VGW" gw "$VP" p || die "veth failed"
veth_add "$VGL" gw "$VL" lan || die "veth failed"
ip -n "$P-p" addr add 198.18.0.2/24 dev "$VP"
ip -n "$P-lan" addr add 10.10.0.2/24 dev "$VL"
ip -n "$P-lan" route add default via 10.10.0.1

wggo_start p "$WGP" || die "wireguard-go did not start"
PEER_PID=${itest_pids[-1]}
wg set "$WGP" private-key "$K/p.key" listen-port 51821 \
	peer "$(cat "$K/g.pub")" endpoint 198.18.0.1:51820 \
	allowed-ips 10.9.0.0/24,10.10.0.0/24 persistent-keepalive 0 || die "wg set failed"
ip -n "$P-p" addr add 10.9.0.2/24 dev "$WGP"
ip -n "$P-p" link set "$WGP" mtu 1420 up
ip -n "$P-p" route add 10.10.0.0/24 dev "$WGP"

# cpu_ticks PID: utime + stime (clock ticks)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
HZ=$(getconf CLK_TCK)

# pct T0 T1 NS: ticks over NS nanoseconds in % of one core
pct() {
	awk -v a="$1" -v b="$2" -v ns="$3" -v hz="$HZ" \
		'BEGIN { printf "%.1f", (b - a) / hz / (ns / 1e9) * 100 }'
}

results=$itest_tmp/results.jsonl
: >"$results"
port=5301

# transfer PATH DIR GWPID: one iperf3 run, a JSON line into $results
transfer() {
	local path=$1 dir=$2 gpid=$3 out=$itest_tmp/iperf-$1-$2.log args=()
	local g0 p0 g1 p1 t0 t1 mbps spid rc load

	[[ $dir == down ]] && args=(-R)
	port=$((port + 1))
	ip netns exec "$P-lan" iperf3 -s -1 -p "$port" >"$itest_tmp/iperf-s$port.log" 2>&1 &
	spid=$!
	bg_track "$spid"
	for _ in $(seq 50); do
		ip netns exec "$P-lan" ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		sleep 0.1
	done
	load=$(cut -d' ' -f1 /proc/loadavg)
	g0=$(cpu_ticks "$gpid"); p0=$(cpu_ticks "$PEER_PID"); t0=$(date +%s%N)
	ip netns exec "$P-p" timeout $((secs + 30)) iperf3 -c 10.10.0.2 -p "$port" \
		-t "$secs" -f m --connect-timeout 5000 "${args[@]}" >"$out" 2>&1
	rc=$?
	g1=$(cpu_ticks "$gpid"); p1=$(cpu_ticks "$PEER_PID"); t1=$(date +%s%N)
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	bg_untrack "$spid"
	mbps=$(iperf_mbps "$out")
	if [[ $rc -ne 0 || -z $mbps ]]; then
		echo "bench-iperf3.sh: iperf3 $path $dir failed (exit $rc): $(tail -3 "$out")" >&2
		mbps=0
	fi
	printf '{"path": "%s", "dir": "%s", "mbps": %s, "gw_cpu": %s, "peer_cpu": %s, "load": %s}\n' \
		"$path" "$dir" "$mbps" "$(pct "$g0" "$g1" $((t1 - t0)))" \
		"$(pct "$p0" "$p1" $((t1 - t0)))" "$load" >>"$results"
}

# ping_tunnel: the handshake, and the path, before measuring
ping_tunnel() {
	local i
	for i in $(seq 20); do
		ip netns exec "$P-p" ping -c 1 -W 1 10.10.0.2 >/dev/null 2>&1 && return 0
	done
	return 1
}

echo "bench-iperf3.sh: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $GW_BIN, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); one TCP stream, $secs s per run"

# ---- (a) dpdk-wg -------------------------------------------------------------
cat >"$itest_tmp/gw.yaml" <<EOF
eal: ["-l", "0-1", $(eal_mem), "--no-pci", "--file-prefix=${P}gw",
      "--log-level=pmd.net.af_packet:warning",
      "--vdev=net_af_packet0,iface=$VGW,qpairs=1",
      "--vdev=net_af_packet1,iface=$VGL,qpairs=1"]
lcores: {control: 0, io: [1], crypto: [1]}
ports:
  - {name: wan, device: net_af_packet0, address: [198.18.0.1/24]}
  - {name: lan, device: net_af_packet1, address: [10.10.0.1/24]}
wireguard:
  - name: $GWIF
    private_key_file: $K/g.key
    listen_port: 51820
    address: [10.9.0.1/24]
    mtu: 1420
    peers:
      - public_key: "$(cat "$K/p.pub")"
        allowed_ips: [10.9.0.2/32]
telemetry: false
uapi: false
cli_socket: ""
EOF
GW_BIN=$GW_BIN gw_start gw "$itest_tmp/gw.yaml" "$itest_tmp/gw.log" ||
	die "dpdk-wg did not start: $(tail -5 "$itest_tmp/gw.log")"
ping_tunnel || die "no ping through dpdk-wg"
idle_cpu=null
if [[ $idle -gt 0 ]]; then
	sleep 2
	for t in /proc/"$GW_PID"/task/*; do
		echo "$(cat "$t/comm") $(awk '{ print $14 + $15 }' "$t/stat") $(sed -n 's/^voluntary_ctxt_switches:\s*//p' "$t/status")"
	done >"$itest_tmp/idle0"
	g0=$(cpu_ticks "$GW_PID"); t0=$(date +%s%N)
	sleep "$idle"
	g1=$(cpu_ticks "$GW_PID"); t1=$(date +%s%N)
	for t in /proc/"$GW_PID"/task/*; do
		echo "$(cat "$t/comm") $(awk '{ print $14 + $15 }' "$t/stat") $(sed -n 's/^voluntary_ctxt_switches:\s*//p' "$t/status")"
	done >"$itest_tmp/idle1"
	idle_cpu=$(pct "$g0" "$g1" $((t1 - t0)))
	idle_threads=$(paste -d' ' "$itest_tmp/idle0" "$itest_tmp/idle1" |
		awk -v s="$idle" -v hz="$HZ" '$1 == $4 { printf "%s%s %.1f%% (%.0f sleeps/s)", sep, $1, ($5 - $2) / hz / s * 100, ($6 - $3) / s; sep = ", " }')
	echo "bench-iperf3.sh: dpdk-wg idle (tunnel up, no traffic) for $idle s: $idle_cpu % of one core (utime+stime, all its threads: $idle_threads; load average $(cut -d' ' -f1 /proc/loadavg))"
fi
if [[ $idle_only -eq 1 ]]; then
	gw_stop INT 30
	grep -i "poll" "$itest_tmp/gw.log"
	exit 0
fi
transfer dpdk-wg up "$GW_PID"
transfer dpdk-wg down "$GW_PID"
gw_stop INT 30 || die "dpdk-wg did not stop"

# ---- (b) wireguard-go + kernel forwarding --------------------------------------
ip -n "$P-gw" addr add 198.18.0.1/24 dev "$VGW"
ip -n "$P-gw" addr add 10.10.0.1/24 dev "$VGL"
ip netns exec "$P-gw" sysctl -qw net.ipv4.ip_forward=1
wggo_start gw "$WGG" || die "wireguard-go (gateway) did not start"
GWG_PID=${itest_pids[-1]}
wg set "$WGG" private-key "$K/g.key" listen-port 51820 \
	peer "$(cat "$K/p.pub")" allowed-ips 10.9.0.2/32 || die "wg set failed"
ip -n "$P-gw" addr add 10.9.0.1/24 dev "$WGG"
ip -n "$P-gw" link set "$WGG" mtu 1420 up
ping_tunnel || die "no ping through wireguard-go"
transfer wireguard-go up "$GWG_PID"
transfer wireguard-go down "$GWG_PID"

printf '\n%-13s %-5s %10s %8s %9s %5s\n' path dir Mbit/s "gw CPU" "peer CPU" load
python3 - "$results" "$idle_cpu" "$json_out" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for r in rows:
    print("%-13s %-5s %10.0f %7.0f%% %8.0f%% %5.2f" % (r["path"], r["dir"], r["mbps"],
          r["gw_cpu"], r["peer_cpu"], r["load"]))
idle = None if sys.argv[2] == "null" else float(sys.argv[2])
out = json.dumps({"iperf3": rows, "idle_cpu": idle}, separators=(",", ":"))
if sys.argv[3]:
    open(sys.argv[3], "w").write(out + "\n")
print(out)
EOF
