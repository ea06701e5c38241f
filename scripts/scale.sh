#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Scale: dpdk-wg with 100,000 peers, each with two allowed IPv4 prefixes:
# its tunnel address (10.64.0.2 + i)/32 and a subnet (172.16.0.0 + 4i)/30
# (IPv4: an IPv6 /128 costs the rte_fib6 trie 13 tbl8 groups, see
# docs/robustness.md "Scale"),
# over two memif links to dpdk-wg-gen (as scripts/bench.sh). Run as root;
# a benchmark, not a test (about 3 min with 100,000 peers on 2 cores).
#
#   scripts/scale.sh                   100,000 peers, a sample of 10,000
#   scripts/scale.sh --peers 20000 --sample 2000
#
# Options:
#   --peers N     peers in the YAML and in the `wg setconf` file (100000)
#   --sample S    peers (random lines of the N, across the whole range)
#                 that dpdk-wg-gen emulates: real handshakes, then 2 s of
#                 data in both directions at 50,000 packets/s each (10000)
#   --logs DIR    keep every log, configuration and JSON there
#   --huge        EAL on hugepages (--in-memory) instead of --no-huge: the
#                 RSS then leaves DPDK memory out and counts only what the
#                 gateway allocates with malloc (needs about 700 MiB of free
#                 hugepages with 20,000 peers, 900 MiB with 100,000)
#
# Measured:
#   load          gateway start -> "dpdk-wg: ready", N peers from YAML
#   memory        the gateway's DPDK heap and malloc heap in use (telemetry
#                 /wg/memory), their sum, and its RSS, with N peers minus
#                 with none, divided by N
#   handshakes    dpdk-wg-gen: S real handshakes with peers of the YAML set,
#                 then traffic both ways: all complete, none lost (a rate
#                 the generator, sharing a CPU, can drain: at 200,000/s
#                 its memif ring filled and the gateway dropped 64 packets
#                 as tx_full in one run)
#   setconf       `wg setconf` of N other peers (replace) through the wg(8)
#                 socket, timed until wg returns; then S handshakes and
#                 traffic with a sample of the new set
#   lookup        tests/perf/bench_lookup: route (rte_fib/rte_fib6) and
#                 allowed-IPs (protocol core) lookups with N peers
# The last line is one JSON object with every figure.
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).

set -u

cd "$(dirname "$0")/.." || exit 1
. scripts/lib-proc.sh

BUILD=${DPDK_WG_BUILD:-build}
GW_BIN=$BUILD/app/dpdk-wg
GEN_BIN=$BUILD/app/dpdk-wg-gen
LOOKUP_BIN=$BUILD/tests/perf/bench_lookup
SOCK_DIR=/run/dpdk-wg-scale
IFNAME=wgscale$$
PFX=wgscale-gw-$$

peers=100000
sample=10000
logs=
eal_mem='"--no-huge", "-m", "3072"'

usage() {
	sed -n '/^# Scale:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
	case $1 in
	--peers) peers=${2:?}; shift ;;
	--sample) sample=${2:?}; shift ;;
	--logs) logs=${2:?}; shift ;;
	--huge) eal_mem='"--in-memory"' ;;
	-h | --help) usage; exit 0 ;;
	*) echo "scale.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

die() {
	echo "scale.sh: $*" >&2
	exit 1
}

[[ $(id -u) -eq 0 ]] || die "run as root (DPDK, memif sockets in /run)"
for b in "$GW_BIN" "$GEN_BIN" "$LOOKUP_BIN"; do
	[[ -x $b ]] || die "$b is missing: meson setup $BUILD && ninja -C $BUILD"
done
for t in wg python3 shuf; do
	command -v $t > /dev/null || die "$t is needed"
done
[[ $sample -le $peers && $sample -ge 1 ]] || die "--sample must be 1..--peers"

WORK=$(mktemp -d /tmp/dpdk-wg-scale.XXXXXX) || die "mktemp failed"
gw_pid=
created_sock_dir=0
cleanup() {
	[[ -n $gw_pid ]] && stop_pid "$gw_pid" 20
	rm -f "/var/run/wireguard/$IFNAME.sock"
	rm -rf "/var/run/dpdk/$PFX" "/var/run/dpdk/wgscale-gen-$$"
	if [[ $created_sock_dir -eq 1 ]]; then
		rm -f "$SOCK_DIR"/wan.sock "$SOCK_DIR"/lan.sock
		rmdir "$SOCK_DIR" 2> /dev/null
	fi
	if [[ -n $logs ]]; then
		mkdir -p "$logs" && cp -r "$WORK"/. "$logs"/ && echo "scale.sh: logs in $logs" >&2
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -d $SOCK_DIR ]]; then
	mkdir -p "$SOCK_DIR" || die "cannot create $SOCK_DIR"
	created_sock_dir=1
fi
[[ -e $SOCK_DIR/wan.sock || -e $SOCK_DIR/lan.sock ]] &&
	die "$SOCK_DIR holds memif sockets: another run is going on?"

echo "scale.sh: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scale.sh: $peers peers (2 allowed IPs each), sample of $sample for handshakes and traffic"

# --- keys and peer lists ------------------------------------------------------
# keys_file FILE N: "PRIVATE_KEY TUNNEL_IPV4" lines (dpdk-wg-gen --peers-file)
keys_file() {
	python3 - "$1" "$2" <<'EOF'
import base64, ipaddress, os, sys
base = int(ipaddress.IPv4Address("10.64.0.2"))
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        k = base64.b64encode(os.urandom(32)).decode()
        f.write("%s %s\n" % (k, ipaddress.IPv4Address(base + i)))
EOF
}

# peers_yaml KEYS: the `peers:` block, each peer with its /32 and a /30
peers_yaml() {
	"$GEN_BIN" --emit-config "$(wc -l < "$1")" --peers-file "$1" | python3 -c '
import ipaddress, re, sys
i = 0
for line in sys.stdin:
    m = re.match(r"(\s*allowed_ips: \[)(10\.[0-9.]+/32)\]", line)
    if m:
        line = "%s%s, %s/30]\n" % (m.group(1), m.group(2), ipaddress.IPv4Address(0xac100000 + 4 * i))
        i += 1
    sys.stdout.write(line)
'
}

# wg_conf YAML_PEERS PRIVATE_KEY: the same peers as a wg(8) configuration
wg_conf() {
	python3 - "$1" "$2" <<'EOF'
import re, sys
print("[Interface]\nPrivateKey = %s\nListenPort = 51820" % sys.argv[2])
pk = None
for line in open(sys.argv[1]):
    m = re.search(r'public_key: "([^"]+)"', line)
    if m:
        pk = m.group(1)
    m = re.search(r'allowed_ips: \[(.*)\]', line)
    if m and pk:
        print("\n[Peer]\nPublicKey = %s\nAllowedIPs = %s" % (pk, m.group(1).replace('"', '')))
        pk = None
EOF
}

t0=$(date +%s.%N)
keys_file "$WORK/keys-a" "$peers" && keys_file "$WORK/keys-b" "$peers" || die "cannot make keys"
peers_yaml "$WORK/keys-a" > "$WORK/peers-a.yaml" || die "dpdk-wg-gen --emit-config failed"
peers_yaml "$WORK/keys-b" > "$WORK/peers-b.yaml" || die "dpdk-wg-gen --emit-config failed"
shuf -n "$sample" --random-source=<(yes) "$WORK/keys-a" > "$WORK/sample-a"
shuf -n "$sample" --random-source=<(yes) "$WORK/keys-b" > "$WORK/sample-b"
gw_priv=$(wg genkey)
gw_pub=$(echo "$gw_priv" | wg pubkey)
(umask 077 && echo "$gw_priv" > "$WORK/gw.key")
(umask 077 && wg_conf "$WORK/peers-b.yaml" "$gw_priv" > "$WORK/setconf-b.conf")
[[ $(grep -c '^\[Peer\]' "$WORK/setconf-b.conf") -eq $peers ]] || die "wg configuration: wrong peer count"
echo "scale.sh: keys and configurations written in $(python3 -c "print('%.1f' % ($(date +%s.%N) - $t0))") s"

# --- gateway ------------------------------------------------------------------
# make_config PEERS_YAML FILE
make_config() {
	{
		echo "eal: [\"-l\", \"0-1\", $eal_mem, \"--no-pci\", \"--file-prefix\", \"$PFX\","
		echo "      \"--vdev=net_memif0,role=server,socket=$SOCK_DIR/wan.sock,socket-abstract=no,id=0\","
		echo "      \"--vdev=net_memif1,role=server,socket=$SOCK_DIR/lan.sock,socket-abstract=no,id=0\"]"
		echo "lcores: {control: 0, io: [1], crypto: [1]}"
		echo "ports:"
		echo "  - {name: wan, device: net_memif0, address: [198.18.0.1/24]}"
		echo "  - {name: lan, device: net_memif1, address: [10.10.0.1/24]}"
		echo "routes:"
		echo "  - {prefix: 100.64.0.0/10, via: 198.18.0.2}"
		echo "wireguard:"
		echo "  - name: $IFNAME"
		echo "    private_key_file: $WORK/gw.key"
		echo "    listen_port: 51820"
		echo "    address: [10.64.0.1/10]"
		[[ -n $1 ]] && cat "$1"
		echo "telemetry: true"
		echo "uapi: true"
		echo "cli_socket: \"\""
	} > "$2"
}

gw_log=
load_s=
load_cpu_s=
# start_gateway PEERS_YAML TAG
start_gateway() {
	local cfg=$WORK/gw-$2.yaml t1
	gw_log=$WORK/gw-$2.log
	make_config "$1" "$cfg"
	t1=$(date +%s.%N)
	"$GW_BIN" --config "$cfg" > "$gw_log" 2>&1 &
	gw_pid=$!
	for _ in $(seq 6000); do
		grep -q '^dpdk-wg: ready' "$gw_log" && break
		kill -0 "$gw_pid" 2> /dev/null || {
			wait "$gw_pid"
			die "the gateway exited ($?) at start-up: $(tail -5 "$gw_log")"
		}
		sleep 0.02
	done
	grep -q '^dpdk-wg: ready' "$gw_log" || die "the gateway is not ready after 120 s: $(tail -5 "$gw_log")"
	load_s=$(python3 -c "print('%.2f' % ($(date +%s.%N) - $t1))")
	load_cpu_s=$(main_cpu)
}

# main_cpu: CPU seconds (user + system) of the gateway's main thread, which
# is its control lcore: start-up, the wg(8) socket, handshakes
main_cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' \
		"/proc/$gw_pid/task/$gw_pid/stat"
}

stop_gateway() {
	local rc
	stop_pid "$gw_pid" 60
	rc=$?
	gw_pid=
	[[ $rc -eq 0 ]] || die "the gateway exited with status $rc: $(tail -5 "$gw_log")"
}

# mem: "HEAP_BYTES MALLOC_BYTES RSS_BYTES" of the running gateway
mem() {
	local rss heap
	rss=$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$gw_pid/status")
	heap=$(timeout 10 python3 - "/var/run/dpdk/$PFX/dpdk_telemetry.v2" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(16384)
s.send(b"/wg/memory")
d = json.loads(s.recv(65536).decode())["/wg/memory"]
print(int(d["dpdk_heap_bytes"]), int(d["malloc_bytes"]))
EOF
	)
	echo "$heap $rss"
}

# mem_read VAR...: mem into the variables, or stop (no /wg/memory answer)
mem_read() {
	local m
	m=$(mem)
	[[ $(wc -w <<< "$m") -eq 3 ]] || die "telemetry /wg/memory did not answer: $(tail -3 "$gw_log")"
	read -r "$@" <<< "$m"
}

# gen RUN SAMPLE_FILE: handshakes with the sample's peers, then traffic
gen() {
	local glog=$WORK/gen-$1.log rc
	"$GEN_BIN" -l 0 --no-huge -m 1024 --no-pci --file-prefix "wgscale-gen-$$" \
		"--vdev=net_memif0,role=client,socket=$SOCK_DIR/wan.sock,socket-abstract=no,id=0,rsize=12" \
		"--vdev=net_memif1,role=client,socket=$SOCK_DIR/lan.sock,socket-abstract=no,id=0,rsize=12" \
		-- --peers "$sample" --peers-file "$2" --gw-public-key "$gw_pub" \
		--direction both --size 64 --duration 2 --rate 50000 \
		--handshake-rate 3000 --handshake-wait 300 --pool-mb 256 \
		--stats-period 0 > "$glog" 2>&1
	rc=$?
	tail -n 1 "$glog" > "$WORK/gen-$1.json"
	[[ $rc -eq 0 ]] || die "the generator exited with status $rc: $(tail -8 "$glog")"
	kill -0 "$gw_pid" 2> /dev/null || die "the gateway died: $(tail -8 "$gw_log")"
	python3 - "$WORK/gen-$1.json" <<'EOF'
import json, sys
g = json.load(open(sys.argv[1]))
hs = g["handshakes"]
lost = {}
for d in ("encrypt", "decrypt"):
    x = g.get(d, {})
    lost[d] = (x.get("tx_pkts", 0), x.get("rx_pkts", 0))
print(json.dumps({"completed": hs["completed"], "time_s": hs["time_s"],
                  "enc_tx": lost["encrypt"][0], "enc_rx": lost["encrypt"][1],
                  "dec_tx": lost["decrypt"][0], "dec_rx": lost["decrypt"][1]}))
EOF
}

# 1. the same gateway without peers: the baseline of memory
start_gateway "" empty
mem_read heap0 malloc0 rss0
load0=$load_s
stop_gateway
echo "scale.sh: no peers: ready in $load0 s, heap $((heap0 >> 20)) MiB, malloc $((malloc0 >> 20)) MiB, RSS $((rss0 >> 20)) MiB"

# 2. N peers from YAML
start_gateway "$WORK/peers-a.yaml" yaml
load_yaml=$load_s
load_yaml_cpu=$load_cpu_s
mem_read heap1 malloc1 rss1
n_show=$(wg show "$IFNAME" peers | wc -l)
[[ $n_show -eq $peers ]] || die "wg show lists $n_show peers, not $peers"
heap_pp=$(((heap1 - heap0) / peers))
malloc_pp=$(((malloc1 - malloc0) / peers))
state_pp=$(((heap1 + malloc1 - heap0 - malloc0) / peers))
rss_pp=$(((rss1 - rss0) / peers))
echo "scale.sh: $peers peers from YAML: ready in $load_yaml s ($load_yaml_cpu s of CPU); heap $((heap1 >> 20)) MiB (+$heap_pp B/peer), malloc $((malloc1 >> 20)) MiB (+$malloc_pp B/peer), state +$state_pp B/peer; RSS $((rss1 >> 20)) MiB (+$rss_pp B/peer)"

gen_a=$(gen a "$WORK/sample-a") || exit 1
echo "scale.sh: dpdk-wg-gen, $sample peers of the YAML set: $gen_a"

# 3. wg setconf: N other peers replace them
t1=$(date +%s.%N)
c1=$(main_cpu)
wg setconf "$IFNAME" "$WORK/setconf-b.conf" || die "wg setconf failed: $(tail -5 "$gw_log")"
setconf_s=$(python3 -c "print('%.2f' % ($(date +%s.%N) - $t1))")
setconf_cpu=$(python3 -c "print('%.2f' % ($(main_cpu) - $c1))")
n_show=$(wg show "$IFNAME" peers | wc -l)
[[ $n_show -eq $peers ]] || die "after setconf wg show lists $n_show peers, not $peers"
last_pk=$(sed -n 's/.*public_key: "\([^"]*\)".*/\1/p' "$WORK/peers-b.yaml" | tail -n 1)
wg show "$IFNAME" peers | grep -qxF "$last_pk" || die "the last peer of the setconf file is missing"
mem_read heap2 malloc2 rss2
echo "scale.sh: wg setconf of $peers other peers: $setconf_s s ($setconf_cpu s of the gateway's CPU); heap $((heap2 >> 20)) MiB, malloc $((malloc2 >> 20)) MiB, RSS $((rss2 >> 20)) MiB"
gen_b=$(gen b "$WORK/sample-b") || exit 1
echo "scale.sh: dpdk-wg-gen, $sample peers of the setconf set: $gen_b"
stop_gateway

# 4. lookups
"$LOOKUP_BIN" --peers "$peers" --json > "$WORK/lookup.log" 2>&1 || die "bench_lookup failed: $(tail -3 "$WORK/lookup.log")"
grep -v '^{' "$WORK/lookup.log" | sed 's/^/  /'
lookup=$(tail -n 1 "$WORK/lookup.log")

python3 - <<EOF
import json
a, b, l = json.loads('$gen_a'), json.loads('$gen_b'), json.loads('$lookup')
ok = all(g["completed"] == $sample and g["enc_tx"] == g["enc_rx"] and g["dec_tx"] == g["dec_rx"] for g in (a, b))
print("scale.sh: forwarding for every sampled peer, no loss: %s" % ("yes" if ok else "NO"))
print(json.dumps({"peers": $peers, "sample": $sample, "load_s": $load_yaml,
    "load_empty_s": $load0, "heap_bytes_per_peer": $heap_pp,
    "malloc_bytes_per_peer": $malloc_pp, "state_bytes_per_peer": $state_pp,
    "rss_bytes_per_peer": $rss_pp, "setconf_s": $setconf_s,
    "load_cpu_s": $load_yaml_cpu, "setconf_cpu_s": $setconf_cpu,
    "load_avg": "$(cut -d' ' -f1-3 /proc/loadavg)",
    "handshakes_yaml": a, "handshakes_setconf": b, "lookup": l, "ok": ok}))
EOF
