#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Gateway throughput: dpdk-wg driven by dpdk-wg-gen over two memif links
# (WAN and LAN), the two processes on one machine, compared with the raw
# IPsec-MB ChaCha20-Poly1305 throughput of one core measured in the same
# run (tests/perf/bench_aead, its "raw" job-API loop). Run as root.
#
#   scripts/bench.sh --quick   both directions, 64 and 1420 B, 1 and 10000
#                              peers, one gateway data-path lcore (about
#                              1.5 min; 2 min when busy)
#   scripts/bench.sh           the full matrix: encrypt, decrypt and both;
#                              64, 128, 512, 1420 B and IMIX; 1, 100 and
#                              10000 peers; every lcore layout the machine
#                              has; then the latency at load and the
#                              iperf3 comparison below (about 14 min on
#                              2 cores: one layout, 45 cases)
#   scripts/bench.sh --latency only the latency at load: encrypt and
#                              decrypt, 64 and 1420 B, 1 peer (about 3 min)
#   scripts/bench.sh --iperf3  only the iperf3 comparison (about 1 min)
#
# Options:
#   --quick            the short matrix above
#   --latency          the latency at load only (see below)
#   --iperf3           the iperf3 comparison only (scripts/bench-iperf3.sh)
#   --no-extras        the full matrix without latency and iperf3
#   --duration S       measured seconds per case (default 3 quick, 4 full)
#   --warmup S         traffic before the measurement (default 1)
#   --sizes LIST       override the sizes (e.g. 64,imix)
#   --peers LIST       override the peer counts (e.g. 1,100)
#   --directions LIST  override the directions (encrypt,decrypt,both)
#   --huge             hugepages (--in-memory) instead of --no-huge
#   --memif MODE       copy (default): the gateway is the memif server,
#                      the generator the client (rsize=12), both copy;
#                      zc: the gateway is the memif client in zero-copy
#                      mode (zero-copy=yes, EAL --single-file-segments,
#                      rsize=11), the generator the server, which copies
#                      (see "memif modes" below)
#   --logs DIR         keep every log, configuration and JSON there
#   --plot DIR         also draw PNGs there (gnuplot): gateway-throughput.png
#                      (Gbit/s and ceiling per case), gateway-throughput-size.png
#                      (Gbit/s vs size, 1 peer, with the ceilings) and
#                      gateway-latency.png (latency vs load); with
#                      --plot PATH.png instead: PATH.png, PATH-size.png and
#                      PATH-latency.png
#
# Latency at load (full run and --latency): for encrypt and decrypt at
# 64 and 1420 B with 1 peer, after the throughput case, the generator
# sends at 10 %, 50 % and 90 % of the rate that case just measured
# (dpdk-wg-gen --rate) and reports p50/p99/p99.9 of the time through the
# gateway (decrypt: every packet; encrypt: the decrypted samples, one in
# 16), with loss. The target is p99 < 100 us at 90 % with 1420 B.
#
# iperf3 (full run and --iperf3): scripts/bench-iperf3.sh, one TCP stream
# each way between a wireguard-go peer and a LAN host through dpdk-wg
# (af_packet on veths), then through wireguard-go in the same namespaces;
# it also gives dpdk-wg's idle CPU (tunnel up, no traffic, 10 s).
#
# Sizes are inner IPv4 packet sizes (the packet inside the tunnel). Per
# case it prints Mpps and Gbit/s (inner IPv4 bytes) per gateway data-path
# lcore, received by the generator after the gateway, the raw crypto
# ceiling of one core for that size and direction ("both": the harmonic
# mean of encrypt and decrypt, the sum of both directions' rates) and
# their ratio, with notes: the handshakes' time, loss, median latency
# (milliseconds mean packets queued in full rings: the gateway, or the
# generator receiving, was saturated), and "refused", the share of the
# measured time during which the gateway's ring refused whole bursts
# (low: the generator, on its shared core, could not offer more for much
# of the time; the figure is then the generator's and the machine's
# limit as much as the gateway's). At the end the ceiling is
# measured again and the better of the two used; a table with the final
# ratios follows, and the last line is one JSON object: {"cases":
# [{"direction", "size", "peers", "lcores", "mpps", "gbps",
# "crypto_ceiling_gbps", "ratio"}, ...]}.
#
# Lcore layout (2 cores): the gateway runs `-l 0-1`, control on lcore 0
# and I/O + crypto on lcore 1; the generator runs on CPU 0 too, beside the
# gateway's control lcore (which sleeps between handshakes). The generator
# and the gateway share the machine, so the figures are a lower bound of
# what the gateway does with a core of its own and a separate generator.
# With N >= 4 CPUs, layouts of 1 .. N-2 data lcores are run, and the
# generator gets CPU N-1 for itself.
#
# memif modes (--memif). copy, the default: the gateway is the memif
# server, the generator the client; both copy every frame; one gateway
# serves a whole series. zc: the gateway is the memif client with
# zero-copy=yes: the memif PMD posts the gateway's own mbufs in the
# shared rings (RX) and hands the server the mbufs it transmits (TX), so
# the gateway copies nothing, as with a NIC that DMAs into its mbufs; the
# generator, memif server, copies into and out of the gateway's mbufs.
# Needs EAL --single-file-segments on the gateway (with --no-huge too:
# the PMD shares its memory by the memseg list's file descriptor). The
# client connects when it starts its ports and does not reconnect, so
# the generator starts first and every generator run gets a gateway of
# its own (started, then stopped with SIGINT, a second or two each).
# DPDK 22.11's memif PMD closes EAL's memseg file descriptor once a
# zero-copy client has connected, so the gateway's second port sometimes
# offers the generator a stale one and its link never comes up (about
# 3 % of the starts): bench.sh then starts both once more, saying so.
# zc takes the memif copies off the gateway's data lcore (memif PMD 31 to
# 41 % of its samples in copy mode, 11 to 12 % in zc) but makes the
# generator, the limit on 2 vCPUs, slower: there zc measures no better
# (the same within the spread at 1420 B, 17 to 29 % lower at 64 B),
# hence copy by default (docs/performance.md, 2.6).
#
# The gateway is started once per peer count and layout (zc: once per
# generator run), stopped with SIGINT by its PID; its counters at
# shutdown are compared with the sum of the generator runs' (decrypt:
# packets the gateway received vs sent; encrypt: packets it sent vs what
# the generator sent it), per peer too.
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).

set -u

cd "$(dirname "$0")/.." || exit 1
. scripts/lib-proc.sh

BUILD=${DPDK_WG_BUILD:-build}
GW_BIN=$BUILD/app/dpdk-wg
GEN_BIN=$BUILD/app/dpdk-wg-gen
AEAD_BIN=$BUILD/tests/perf/bench_aead
SOCK_DIR=/run/dpdk-wg-bench
SEED=1
IFNAME=wgbench0

quick=0
latency=
iperf3=
only=
duration=
warmup=1
sizes=
peers_list=
directions=
huge=0
memif=copy
logs=
plot=

usage() {
	sed -n '/^# Gateway throughput/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
	case $1 in
	--quick) quick=1 ;;
	--latency) only=latency ;;
	--iperf3) only=iperf3 ;;
	--no-extras) latency=0; iperf3=0 ;;
	--duration) duration=${2:?}; shift ;;
	--warmup) warmup=${2:?}; shift ;;
	--sizes) sizes=${2:?}; shift ;;
	--peers) peers_list=${2:?}; shift ;;
	--directions) directions=${2:?}; shift ;;
	--huge) huge=1 ;;
	--memif) memif=${2:?}; shift ;;
	--logs) logs=${2:?}; shift ;;
	--plot) plot=${2:?}; shift ;;
	-h | --help) usage; exit 0 ;;
	*)
		echo "bench.sh: unknown option '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

if [[ $only == latency ]]; then
	: "${duration:=4}" "${sizes:=64,1420}" "${peers_list:=1}"
	: "${directions:=encrypt,decrypt}"
	latency=1 iperf3=0
elif [[ $only == iperf3 ]]; then
	latency=0 iperf3=1
elif [[ $quick -eq 1 ]]; then
	: "${duration:=3}" "${sizes:=64,1420}" "${peers_list:=1,10000}"
	: "${directions:=encrypt,decrypt}"
	: "${latency:=0}" "${iperf3:=0}"
else
	: "${duration:=4}" "${sizes:=64,128,512,1420,imix}"
	: "${peers_list:=1,100,10000}" "${directions:=encrypt,decrypt,both}"
	: "${latency:=1}" "${iperf3:=1}"
fi
# latency cases: these sizes and directions, when the matrix has them
LAT_SIZES=(1420 64)
LAT_DIRS=(encrypt decrypt)
LAT_LOADS=(10 50 90)

die() {
	echo "bench.sh: $*" >&2
	exit 1
}

[[ $memif == zc || $memif == copy ]] || die "--memif: zc or copy, not '$memif'"
[[ $(id -u) -eq 0 ]] || die "run as root (DPDK, memif sockets in /run)"
for b in "$GW_BIN" "$GEN_BIN" "$AEAD_BIN"; do
	[[ -x $b ]] || die "$b is missing: meson setup $BUILD && ninja -C $BUILD"
done
command -v python3 > /dev/null || die "python3 is needed to read the JSON"
if [[ -n $plot ]]; then
	command -v gnuplot > /dev/null || die "--plot needs gnuplot (apt-get install gnuplot-nox)"
	plot=$(realpath -m "$plot")
	if [[ $plot == *.png ]]; then
		plot_dir=$(dirname "$plot")
		plot_size=${plot%.png}-size.png
		plot_lat=${plot%.png}-latency.png
	else
		plot_dir=$plot
		plot=$plot_dir/gateway-throughput.png
		plot_size=$plot_dir/gateway-throughput-size.png
		plot_lat=$plot_dir/gateway-latency.png
	fi
	mkdir -p "$plot_dir" || die "cannot create $plot_dir"
fi

ncpu=$(nproc)
[[ $ncpu -ge 2 ]] || die "needs at least 2 CPUs (gateway data lcore + generator)"
if [[ $quick -eq 1 || $ncpu -lt 4 ]]; then
	layouts=1
else
	layouts=$(seq -s, 1 $((ncpu - 2)))
fi

WORK=$(mktemp -d /tmp/dpdk-wg-bench.XXXXXX) || die "mktemp failed"
created_sock_dir=0
logs_done=0
gw_pid=
gen_pid=
own_socks=0
cleanup() {
	[[ -n $gen_pid ]] && stop_pid "$gen_pid"
	[[ -n $gw_pid ]] && stop_pid "$gw_pid"
	# zc: the generator (memif server) made the sockets; it removes them
	# when it exits normally
	if [[ $created_sock_dir -eq 1 || $own_socks -eq 1 ]]; then
		rm -f "$SOCK_DIR"/wan.sock "$SOCK_DIR"/lan.sock
	fi
	[[ $created_sock_dir -eq 1 ]] && rmdir "$SOCK_DIR" 2> /dev/null
	rm -rf "/run/dpdk/wgbench-gw-$$" "/run/dpdk/wgbench-gen-$$"
	if [[ -n $logs && $logs_done -eq 0 ]]; then
		mkdir -p "$logs" && cp -r "$WORK"/. "$logs"/ && rm -f "$logs/gw.key" &&
			echo "bench.sh: logs in $logs" >&2
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
	die "$SOCK_DIR holds memif sockets: another benchmark is running?"
own_socks=1

if [[ $huge -eq 1 ]]; then
	GW_MEM='"--in-memory"'
	GEN_MEM=(--in-memory)
else
	GW_MEM='"--no-huge", "-m", "1024"'
	GEN_MEM=(--no-huge -m 512)
fi
# memif roles and arguments (see "memif modes" in the header). zc: the
# memif PMD's zero-copy needs single-file segments (it hands the peer one
# fd per memseg list); the client sets the ring size; rsize=11 (2048)
# keeps a port's RX ring (always kept full of the gateway's mbufs) plus
# the other port's TX ring (mbufs freed only by the next transmit) well
# inside the gateway's pool of 8191 mbufs per port.
if [[ $memif == zc ]]; then
	GW_MEM+=', "--single-file-segments"'
	GW_MEMIF="role=client,rsize=11,zero-copy=yes"
	GEN_MEMIF="role=server"
else
	GW_MEMIF="role=server"
	GEN_MEMIF="role=client,rsize=12"
fi

start_s=$(date +%s)
echo "bench.sh: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $ncpu CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run_iperf3: the iperf3 comparison, its JSON in $WORK/iperf3.json
run_iperf3() {
	echo
	DPDK_WG_BUILD=$BUILD scripts/bench-iperf3.sh --time 10 --idle 10 \
		--json "$WORK/iperf3.json" > "$WORK/iperf3.log" 2>&1
	local rc=$?
	grep -v '^{' "$WORK/iperf3.log"
	[[ $rc -eq 0 ]] || echo "bench.sh: the iperf3 comparison failed (exit $rc)" >&2
}
if [[ $only == iperf3 ]]; then
	run_iperf3
	[[ -n $logs ]] && mkdir -p "$logs" && cp -r "$WORK"/. "$logs"/ && logs_done=1
	[[ -s $WORK/iperf3.json ]] || exit 1
	cat "$WORK/iperf3.json"
	exit 0
fi
echo "bench.sh: sizes $sizes; peers $peers_list; directions $directions; gateway data lcores $layouts; ${duration} s per case after ${warmup} s of warm-up"
if [[ $memif == zc ]]; then
	echo "bench.sh: memif zc: gateway = memif client, zero-copy (restarted for every generator run), generator = memif server (copies)"
else
	echo "bench.sh: memif copy: gateway = memif server, generator = memif client, both copy"
fi

# --- the raw crypto ceiling, same run, on the gateway's data-path CPU ---
# Measured before and after the cases; the better of the two is the
# ceiling (a busy machine only ever makes it look lower).
aead_sizes=$(echo "$sizes" | tr 'A-Z' 'a-z')
# run_aead NAME
run_aead() {
	"$AEAD_BIN" --sizes "$aead_sizes" --json --cpu 1 $([[ $quick -eq 1 ]] && echo --quick) \
		> "$WORK/$1.log" 2>&1 || die "bench_aead failed: $(tail -3 "$WORK/$1.log")"
	tail -n 1 "$WORK/$1.log" > "$WORK/$1.json"
}
run_aead aead
echo "bench.sh: raw IPsec-MB ChaCha20-Poly1305 on CPU 1 measured (bench_aead --sizes $aead_sizes)"

# --- gateway ---
gw_key_file=$WORK/gw.key
(umask 077 && head -c 32 /dev/urandom | base64 > "$gw_key_file") || die "cannot make a key"
# zc: the generator (memif server) starts before the gateway (memif
# client, which connects when it starts its ports), so the gateway's
# public key is computed here (start_gateway checks it against the
# gateway's own)
gw_pub=
if [[ $memif == zc ]]; then
	if command -v wg > /dev/null; then
		gw_pub=$(wg pubkey < "$gw_key_file")
	else
		gw_pub=$(python3 - "$gw_key_file" <<'EOF'
import base64, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
k = X25519PrivateKey.from_private_bytes(base64.b64decode(open(sys.argv[1]).read()))
print(base64.b64encode(k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode())
EOF
)
	fi
	[[ -n $gw_pub ]] || die "--memif zc needs wg (wireguard-tools) or python3-cryptography to compute the gateway's public key"
fi

# make_config PEERS LCORES FILE
make_config() {
	local peers=$1 n=$2 file=$3 lc
	lc=$(seq -s, 1 "$n")
	{
		echo "eal: [\"-l\", \"0-$n\", $GW_MEM, \"--no-pci\", \"--file-prefix\", \"wgbench-gw-$$\","
		echo "      \"--vdev=net_memif0,$GW_MEMIF,socket=$SOCK_DIR/wan.sock,socket-abstract=no,id=0\","
		echo "      \"--vdev=net_memif1,$GW_MEMIF,socket=$SOCK_DIR/lan.sock,socket-abstract=no,id=0\"]"
		echo "lcores: {control: 0, io: [$lc], crypto: [$lc]}"
		echo "ports:"
		echo "  - {name: wan, device: net_memif0, address: [198.18.0.1/24]}"
		echo "  - {name: lan, device: net_memif1, address: [10.10.0.1/24]}"
		echo "routes:"
		echo "  - {prefix: 100.64.0.0/10, via: 198.18.0.2}"
		echo "wireguard:"
		echo "  - name: $IFNAME"
		echo "    private_key_file: $gw_key_file"
		echo "    listen_port: 51820"
		echo "    address: [10.64.0.1/10]"
		"$GEN_BIN" --emit-config "$peers" --seed "$SEED" || return 1
		echo "telemetry: false"
		echo "uapi: false"
		echo 'cli_socket: ""'
	} > "$file"
}

gw_log=
# start_gateway PEERS LCORES [TAG]: its log in $WORK/gw-TAG.log (default
# PEERS-LCORES)
start_gateway() {
	local cfg=$WORK/gw-$1-$2.yaml i pub
	gw_log=$WORK/gw-${3:-$1-$2}.log
	[[ -s $cfg ]] || make_config "$1" "$2" "$cfg" || die "cannot write $cfg"
	"$GW_BIN" --config "$cfg" > "$gw_log" 2>&1 &
	gw_pid=$!
	for i in $(seq 300); do
		grep -q '^dpdk-wg: ready' "$gw_log" && break
		kill -0 "$gw_pid" 2> /dev/null || {
			wait "$gw_pid"
			die "the gateway exited ($?) at start-up: $(tail -5 "$gw_log")"
		}
		sleep 0.2
	done
	grep -q '^dpdk-wg: ready' "$gw_log" || die "the gateway is not ready after 60 s: $(tail -5 "$gw_log")"
	pub=$(sed -n "s/^wireguard $IFNAME: public key \([^ ]*\) .*/\1/p" "$gw_log")
	[[ -n $pub ]] || die "no public key in the gateway's output"
	[[ -z $gw_pub || $pub == "$gw_pub" ]] || die "the gateway's public key $pub is not the one computed, $gw_pub"
	gw_pub=$pub
}

# stop_gateway: SIGINT by PID, fail on a non-zero exit
stop_gateway() {
	local rc
	stop_pid "$gw_pid" 30
	rc=$?
	gw_pid=
	[[ $STOP_KILLED -eq 0 ]] ||
		die "the gateway did not stop within 30 s of SIGINT: $(tail -5 "$gw_log")"
	[[ $rc -eq 0 ]] || die "the gateway exited with status $rc: $(tail -5 "$gw_log")"
}

# check_counters GLOB: the gateway's counters at shutdown vs those of the
# generator runs $WORK/gen-GLOB.json (copy: PEERS-LCORES-*, the series
# the gateway served; zc: one run's TAG)
check_counters() {
	# shellcheck disable=SC2086 # GLOB is a pattern
	python3 - "$gw_log" "$IFNAME" "$WORK"/gen-$1.json <<'EOF'
import json, re, sys
log, ifname, gens = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(log).read()
m = None
for m in re.finditer(r'^wireguard %s: peers \d+ .*? rx_data (\d+) rx_keepalives (\d+) tx_data (\d+)' % re.escape(ifname), text, re.M):
    pass
if m is None:
    print("  counters: no WireGuard counters in the gateway's output")
    sys.exit(0)
gw_rx, gw_ka, gw_tx = int(m.group(1)), int(m.group(2)), int(m.group(3))
dec = enc = ka = 0
peers = {}
for g in gens:
    j = json.load(open(g))
    t = j.get("totals", {})
    dec += t.get("decrypt_sent", 0)
    enc += t.get("encrypt_sent", 0)
    ka += t.get("keepalives_sent", 0)
    pf = g[:-5] + ".peers"
    try:
        for line in open(pf):
            if line.startswith("#"):
                continue
            f = line.split()
            peers[f[1]] = peers.get(f[1], 0) + int(f[3])
    except OSError:
        pass
gwp = {}
for pm in re.finditer(r'^peer %s (\S+): id \d+ .*? rx_packets (\d+)' % re.escape(ifname), text, re.M):
    gwp[pm.group(1)] = int(pm.group(2))
bad = sum(1 for k, v in peers.items() if gwp.get(k) != v)
ok = gw_rx == dec and gw_tx == enc
print("  counters: gateway rx_data %d / generator sent %d (decrypt); gateway tx_data %d / generator sent %d (encrypt); keepalives %d / %d: %s"
      % (gw_rx, dec, gw_tx, enc, gw_ka, ka, "agree" if ok else "DIFFER"))
if peers:
    print("  per peer: %d peers compared, %d differ" % (len(peers), bad))
EOF
}

# plot CASES_JSONL PNG: Gbit/s per gateway data-path lcore next to the raw
# crypto ceiling of one core, one group of bars per case (gnuplot)
plot_cases() {
	local data=$WORK/plot.dat
	python3 - "$1" > "$data" <<'EOF' || return 1
import json, sys
for l in open(sys.argv[1]):
    if not l.strip():
        continue
    c = json.loads(l)
    label = "%s %s B, %d peers" % (c["direction"], c["size"], c["peers"])
    print('"%s" %.4f %.4f' % (label, c["gbps"], c["crypto_ceiling_gbps"]))
EOF
	gnuplot <<EOF
set terminal pngcairo size 1400,600 noenhanced font ",9"
set output "$2"
set title "dpdk-wg over memif, one data-path lcore: inner Gbit/s vs raw IPsec-MB ChaCha20-Poly1305, one core"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "Gbit/s (inner IPv4 bytes)"
set xtics rotate by -60 scale 0
set key top left
set grid ytics
plot "$data" using 2:xtic(1) title "gateway (per data lcore)", "" using 3 title "raw crypto ceiling (one core)"
EOF
}

# plot_sizes CASES_JSONL AEAD_JSON AEAD_END_JSON PNG: Gbit/s per data lcore
# against the packet size (1 peer, first layout), one line per direction,
# with the raw crypto ceiling of each direction (IMIX left out: no size)
plot_sizes() {
	local data=$WORK/plot-size.dat
	python3 - "$1" "$2" "$3" > "$data" <<'EOF' || return 1
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = [json.load(open(f)) for f in sys.argv[2:]]
def raw(size, d):
    return max([r["gbps"] for a in runs for r in a["results"] if r["impl"] == "raw"
                and r["dir"] == d and r["size"] == str(size)] or [0.0])
peers = min(c["peers"] for c in cases)
n = min(c["lcores"] for c in cases)
sizes = sorted({c["size"] for c in cases if isinstance(c["size"], int)})
if not sizes:
    sys.exit("no numeric sizes")
g = {}
for c in cases:
    if c["peers"] == peers and c["lcores"] == n and isinstance(c["size"], int):
        g[(c["direction"], c["size"])] = c["gbps"]
print("# size encrypt decrypt both ceil_enc ceil_dec")
for s in sizes:
    v = [g.get((d, s), float("nan")) for d in ("encrypt", "decrypt", "both")]
    print(s, " ".join("%.4f" % x if x == x else "NaN" for x in v), "%.4f %.4f" % (raw(s, "enc"), raw(s, "dec")))
EOF
	gnuplot <<EOF
set terminal pngcairo size 1000,600 noenhanced font ",10"
set output "$4"
set title "dpdk-wg over memif, 1 peer, one data-path lcore: inner Gbit/s vs packet size"
set xlabel "inner IPv4 packet size (bytes)"
set ylabel "Gbit/s (inner IPv4 bytes)"
set key top left
set grid
set datafile missing "NaN"
plot "$data" using 1:2 with linespoints lw 2 lc 1 title "gateway encrypt", \
     "" using 1:3 with linespoints lw 2 lc 2 title "gateway decrypt", \
     "" using 1:4 with linespoints lw 2 lc 3 title "gateway both", \
     "" using 1:5 with lines dt 2 lw 2 lc 1 title "raw crypto ceiling, encrypt (one core)", \
     "" using 1:6 with lines dt 2 lw 2 lc 2 title "raw crypto ceiling, decrypt (one core)"
EOF
}

# plot_latency LATENCY_JSONL PNG: p50, p99 and p99.9 against the load, one
# panel per size, encrypt and decrypt (log scale)
plot_latency() {
	local data=$WORK/plot-lat sizes s i=0 cmds=
	sizes=$(python3 - "$1" "$data" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sizes = []
for r in rows:
    if r["size"] not in sizes:
        sizes.append(r["size"])
for s in sizes:
    for d in ("encrypt", "decrypt"):
        with open("%s-%s-%s.dat" % (sys.argv[2], s, d), "w") as f:
            for r in rows:
                if r["size"] == s and r["direction"] == d:
                    f.write("%d %.2f %.2f %.2f\n" % (r["load_pct"], r["p50_us"], r["p99_us"], r["p999_us"]))
print(" ".join(str(s) for s in sizes))
EOF
) || return 1
	for s in $sizes; do
		cmds+="set title \"$s B\"; plot "
		cmds+="\"$data-$s-encrypt.dat\" u 1:2 w lp lw 2 t \"encrypt p50\", \"\" u 1:3 w lp lw 2 t \"encrypt p99\", \"\" u 1:4 w lp lw 2 t \"encrypt p99.9\", "
		cmds+="\"$data-$s-decrypt.dat\" u 1:2 w lp lw 2 dt 2 t \"decrypt p50\", \"\" u 1:3 w lp lw 2 dt 2 t \"decrypt p99\", \"\" u 1:4 w lp lw 2 dt 2 t \"decrypt p99.9\", "
		cmds+="100 w l lc rgb \"red\" dt 3 t \"target p99 (1420 B, 90 %)\""$'\n'
		i=$((i + 1))
	done
	gnuplot <<EOF
set terminal pngcairo size $((600 * i)),650 noenhanced font ",10"
set output "$2"
set multiplot layout 1,$i title "dpdk-wg over memif, 1 peer, one data-path lcore: latency through the gateway vs load"
set xlabel "load (% of the maximum rate measured in the same run)"
set ylabel "microseconds"
set logscale y
set xrange [0:100]
set key outside bottom center horizontal maxrows 3
set grid
$cmds
unset multiplot
EOF
}

# --- cases ---
# pool_mb SIZE LCORES: packets encrypted in advance for the whole case
# (warm-up included) at the raw crypto rate: the gateway cannot decrypt
# faster, and the generator then encrypts nothing while it measures.
pool_mb() {
	python3 - "$WORK/aead.json" "$1" "$2" "$duration" "$warmup" <<'EOF2'
import json, sys
aead = json.load(open(sys.argv[1]))
size, n, secs = sys.argv[2].lower(), int(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
mpps = max([r["mpps"] for r in aead["results"] if r["impl"] == "raw" and r["size"].lower() == size] or [6.0])
largest = 1420 if size == "imix" else int(size)
stride = (42 + 32 + ((largest + 15) // 16) * 16 + 63) // 64 * 64 + 8
mb = mpps * 1e6 * n * secs * 1.2 * stride / 2**20
print(int(min(2048, max(128, mb))))
EOF2
}

# gw_sched: "RUNQ_WAIT_NS NONVOLUNTARY_SWITCHES TIME_NS ON_CPU_NS" of the
# gateway's first data-path lcore thread (rte-worker-1): the time it was
# runnable but waited for a CPU, how often it was preempted, the time it
# ran
gw_sched() {
	local t
	for t in /proc/"$gw_pid"/task/*; do
		[[ $(cat "$t/comm" 2> /dev/null) == rte-worker-1 ]] || continue
		echo "$(cut -d' ' -f2 "$t/schedstat") $(sed -n 's/^nonvoluntary_ctxt_switches:\s*//p' "$t/status") $(date +%s%N) $(cut -d' ' -f1 "$t/schedstat")"
		return
	done
	echo "0 0 $(date +%s%N) 0"
}

# run_gen TAG PEERS LCORES DIRECTION SIZE [GENERATOR OPTIONS]: one
# generator run, its JSON in $WORK/gen-TAG.json; the data lcore's
# scheduling over the run in $WORK/gen-TAG.sched: run-queue wait in ms
# per second, preemptions per second, on-CPU time in ms
#
# zc: the generator, memif server, starts first; once its ports are
# started (it listens and accepts), a gateway is started for this run
# alone (the memif client connects when it starts its ports and does not
# reconnect to the next generator), and stopped after it; its counters
# are checked against this run's into $WORK/counters-TAG.txt
run_gen() {
	local tag=$1 peers=$2 n=$3 dir=$4 size=$5 glog=$WORK/gen-$1.log rc s0 i attempt
	local -a gen_cmd
	shift 5
	gen_cmd=("$GEN_BIN" -l "$gen_cpu" "${GEN_MEM[@]}" --no-pci
		--file-prefix "wgbench-gen-$$"
		"--vdev=net_memif0,$GEN_MEMIF,socket=$SOCK_DIR/wan.sock,socket-abstract=no,id=0"
		"--vdev=net_memif1,$GEN_MEMIF,socket=$SOCK_DIR/lan.sock,socket-abstract=no,id=0"
		-- --peers "$peers" --seed "$SEED" --gw-public-key "$gw_pub"
		--direction "$dir" --size "$size" --duration "$duration"
		--warmup "$warmup" --handshake-rate 3000
		--pool-mb "$(pool_mb "$size" "$n")"
		--peer-stats "$WORK/gen-$tag.peers" "$@")
	if [[ $memif == zc ]]; then
		for attempt in 1 2; do
			# ours (checked at the start); left behind only by a crash
			rm -f "$SOCK_DIR"/wan.sock "$SOCK_DIR"/lan.sock
			# line-buffered: its "port lan:" line says both ports are started
			stdbuf -oL "${gen_cmd[@]}" > "$glog" 2>&1 &
			gen_pid=$!
			for i in $(seq 600); do
				grep -q '^port lan: ' "$glog" && break
				kill -0 "$gen_pid" 2> /dev/null || break
				sleep 0.1
			done
			if ! grep -q '^port lan: ' "$glog"; then
				stop_pid "$gen_pid"
				gen_pid=
				die "the generator did not start its ports ($dir $size B, $peers peers): $(tail -8 "$glog")"
			fi
			start_gateway "$peers" "$n" "$tag"
			# Both links up: the generator has resolved the gateway's
			# MACs. The memif PMD (DPDK 22.11) closes the EAL's memseg
			# file descriptor once a zero-copy client has connected, so
			# the second port may offer the server a stale one:
			# "sendmsg fail: Bad file descriptor" in the gateway's log
			# and a link that never comes up, or (the number reused)
			# another file, which kills the generator (SIGBUS, silent).
			# Seen in about 3 % of the gateway's starts: try once more.
			for i in $(seq 200); do
				grep -q '^gateway: wan mac' "$glog" && break
				kill -0 "$gen_pid" 2> /dev/null || break
				grep -q 'sendmsg fail' "$gw_log" && break
				sleep 0.1
			done
			grep -q '^gateway: wan mac' "$glog" && break
			[[ $attempt -eq 2 ]] && break
			echo "bench.sh: memif zc: the links did not come up ($dir $size B, $peers peers; gateway: $(grep -m 1 'sendmsg fail' "$gw_log" || echo "no memif error"); generator: $(tail -n 1 "$glog")); starting both again" >&2
			stop_pid "$gen_pid"
			gen_pid=
			stop_pid "$gw_pid"
			gw_pid=
			mv "$glog" "$glog.failed"
			mv "$gw_log" "$gw_log.failed"
		done
		s0=$(gw_sched)
		wait "$gen_pid"
		rc=$?
		gen_pid=
	else
		s0=$(gw_sched)
		"${gen_cmd[@]}" > "$glog" 2>&1
		rc=$?
	fi
	echo "$s0 $(gw_sched)" | awk '{ t = ($7 - $3) / 1e9; if (t > 0) printf "%.1f %.0f %.1f\n", ($5 - $1) / 1e6 / t, ($6 - $2) / t, ($8 - $4) / 1e6 }' \
		> "$WORK/gen-$tag.sched"
	tail -n 1 "$glog" > "$WORK/gen-$tag.json"
	[[ $rc -eq 0 ]] || die "the generator exited with status $rc ($dir $size B, $peers peers): $(tail -8 "$glog")"
	kill -0 "$gw_pid" 2> /dev/null || die "the gateway died during $dir $size B, $peers peers: $(tail -8 "$gw_log")"
	if [[ $memif == zc ]]; then
		stop_gateway
		check_counters "$tag" > "$WORK/counters-$tag.txt"
	fi
}

# zc_counters PEERS LCORES: the counters of the series' runs, each against
# its own gateway: one line when all agree, the runs' own lines otherwise
zc_counters() {
	local f bad=0 runs=0
	for f in "$WORK/counters-$1-$2"-*.txt; do
		[[ -e $f ]] || continue
		runs=$((runs + 1))
		if grep -q 'DIFFER\|, [1-9][0-9]* differ\|no WireGuard counters' "$f"; then
			bad=$((bad + 1))
			f=${f##*/counters-}
			echo "  counters, run ${f%.txt}:"
			cat "$WORK/counters-${f}"
		fi
	done
	if [[ $bad -eq 0 ]]; then
		echo "  counters: $runs runs, each against a gateway of its own: the gateway's and the generator's agree, per peer too"
	else
		echo "  counters: $bad of $runs runs DIFFER"
	fi
}

# run_latency PEERS LCORES: the latency at 10, 50 and 90 % of the rate
# each case measured (cases.jsonl), into latency.jsonl; the runs count in
# check_counters like the others (gen-PEERS-LCORES-lat-*)
run_latency() {
	local peers=$1 n=$2 dir size load mpps pps tag
	for dir in "${LAT_DIRS[@]}"; do
		for size in "${LAT_SIZES[@]}"; do
			mpps=$(python3 - "$WORK/cases.jsonl" "$dir" "$size" "$peers" "$n" <<'EOF'
import json, sys
for l in open(sys.argv[1]):
    c = json.loads(l)
    if (c["direction"], str(c["size"]), c["peers"], c["lcores"]) == \
            (sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])):
        print(c["mpps"] * c["lcores"])
EOF
)
			[[ -n $mpps ]] || continue
			for load in "${LAT_LOADS[@]}"; do
				pps=$(awk -v m="$mpps" -v l="$load" 'BEGIN { printf "%.0f", m * 1e6 * l / 100 }')
				[[ $pps -gt 0 ]] || continue
				tag=$peers-$n-lat-$dir-$size-$load
				run_gen "$tag" "$peers" "$n" "$dir" "$size" --rate "$pps"
				python3 - "$WORK/gen-$tag.json" "$dir" "$size" "$peers" "$n" "$load" "$pps" "$(cut -d' ' -f1 /proc/loadavg)" >> "$WORK/latency.jsonl" <<'EOF' || die "cannot read the results of $tag"
import json, sys
gen = json.load(open(sys.argv[1]))
d, size, peers, n, load, pps, la = sys.argv[2:9]
try:
    wait, pre, _ = [float(x) for x in open(sys.argv[1][:-5] + ".sched").read().split()]
except (OSError, ValueError):
    wait, pre = -1.0, -1.0
s = gen[d]
lat = s["latency_us"]
r = {"direction": d, "size": int(size) if size.isdigit() else size, "peers": int(peers),
     "lcores": int(n), "load_pct": int(load), "offered_mpps": round(int(pps) / 1e6, 4),
     "mpps": round(s["rx_mpps"], 4), "loss_ratio": s["loss_ratio"],
     "samples": lat["samples"], "p50_us": lat["p50"], "p99_us": lat["p99"],
     "p999_us": lat["p999"], "max_us": lat["max"], "loadavg": float(la),
     "gw_runq_wait_ms_per_s": wait, "gw_preempt_per_s": pre}
print(json.dumps(r))
print("%-8s %6s %5d%% %9.3f %9.3f %9.1f %9.1f %9.1f %9.1f %8s %6.2f %7.1f %6.0f" % (d, size, int(load),
      r["offered_mpps"], r["mpps"], r["p50_us"], r["p99_us"], r["p999_us"], r["max_us"],
      "%.3f%%" % (100 * r["loss_ratio"]), r["loadavg"], wait, pre), file=sys.stderr)
EOF
			done
		done
	done 2>&1
}

IFS=, read -r -a L_SIZES <<< "$sizes"
IFS=, read -r -a L_PEERS <<< "$peers_list"
IFS=, read -r -a L_DIRS <<< "$directions"
IFS=, read -r -a L_LAYOUTS <<< "$layouts"
: > "$WORK/cases.jsonl"
: > "$WORK/latency.jsonl"
printf '\n%-8s %6s %6s %6s %9s %9s %10s %6s  %s\n' direction size peers lcores Mpps Gbit/s ceiling ratio notes

for n in "${L_LAYOUTS[@]}"; do
	gen_cpu=0
	[[ $((ncpu - 1)) -gt $n ]] && gen_cpu=$((ncpu - 1))
	for peers in "${L_PEERS[@]}"; do
		[[ $memif == copy ]] && start_gateway "$peers" "$n"
		for dir in "${L_DIRS[@]}"; do
			for size in "${L_SIZES[@]}"; do
				tag=$peers-$n-$dir-$size
				run_gen "$tag" "$peers" "$n" "$dir" "$size"
				python3 - "$WORK/gen-$tag.json" "$WORK/aead.json" "$dir" "$size" "$peers" "$n" "$duration" >> "$WORK/cases.jsonl" <<'EOF' || die "cannot read the results of $tag"
import json, sys
gen = json.load(open(sys.argv[1]))
aead = json.load(open(sys.argv[2]))
d, size, peers, n, dur = sys.argv[3], sys.argv[4].lower(), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
def raw(dr):
    for r in aead["results"]:
        if r["impl"] == "raw" and r["dir"] == dr and r["size"].lower() == size:
            return r["gbps"]
    return 0.0
dirs = ["decrypt", "encrypt"] if d == "both" else [d]
mpps = sum(gen[x]["rx_mpps"] for x in dirs) / n
gbps = sum(gen[x]["rx_l3_gbps"] for x in dirs) / n
e, dc = raw("enc"), raw("dec")
ceil = {"encrypt": e, "decrypt": dc}.get(d, 2 / (1 / e + 1 / dc) if e and dc else 0.0)
notes = []
hs = gen["handshakes"]
if peers > 1 or hs["completed"] != 1:
    notes.append("%d/%d handshakes in %.1f s" % (hs["completed"], peers, hs["time_s"]))
for x in dirs:
    s = gen[x]
    if s["loss_ratio"] > 0:
        notes.append("%s loss %.2f%%" % (x, 100 * s["loss_ratio"]))
    if s["verify_failed"]:
        notes.append("%s VERIFY FAILED %d" % (x, s["verify_failed"]))
    notes.append("%s p50 %.0f us" % (x[:3], s["latency_us"]["p50"]))
    # the share of the time the gateway's ring refused whole bursts
    notes.append("%s refused %.0f%%" % (x[:3], 100 * min(1.0, s["tx_ring_full_s"] / dur)))
if gen.get("decrypt", {}).get("pool_empty_s", 0) > 0.02 * dur:
    notes.append("generator-limited %.1f s" % gen["decrypt"]["pool_empty_s"])
try:
    wait, pre, oncpu = [float(x) for x in open(sys.argv[1][:-5] + ".sched").read().split()]
    t = gen.get("totals", {})
    pk = t.get("decrypt_sent", 0) + t.get("encrypt_sent", 0)
    notes.append("gw lcore waited %.0f ms/s, preempted %.0f/s%s" % (wait, pre,
                 ", %.0f ns on CPU per packet" % (oncpu * 1e6 / pk) if pk else ""))
except (OSError, ValueError):
    pass
case = {"direction": d, "size": int(size) if size.isdigit() else size,
        "peers": peers, "lcores": n, "mpps": round(mpps, 4),
        "gbps": round(gbps, 4), "crypto_ceiling_gbps": round(ceil, 3),
        "ratio": round(gbps / ceil, 4) if ceil else 0.0}
print(json.dumps(case))
print("%-8s %6s %6d %6d %9.3f %9.3f %10.2f %6.3f  %s" % (d, size, peers, n, mpps, gbps, ceil,
      case["ratio"], "; ".join(notes)), file=sys.stderr)
EOF
			done 2>&1
		done
		if [[ $latency -eq 1 && $peers -eq 1 && $n -eq ${L_LAYOUTS[0]} ]]; then
			printf '\nlatency through the gateway at load, %s peer, %s data lcore(s): p50/p99/p99.9/max in us\n' "$peers" "$n"
			printf '(wait: ms per s the data lcore was runnable but not running; preempt: its involuntary switches per s)\n'
			printf '%-8s %6s %6s %9s %9s %9s %9s %9s %9s %8s %6s %7s %6s\n' direction size load "off.Mpps" Mpps p50 p99 p99.9 max loss loadavg wait preempt
			run_latency "$peers" "$n"
			echo
		fi
		if [[ $memif == copy ]]; then
			stop_gateway
			check_counters "$peers-$n-*"
		else
			zc_counters "$peers" "$n"
		fi
	done
done

run_aead aead-end
[[ $iperf3 -eq 1 ]] && run_iperf3
echo "bench.sh: done in $(( $(date +%s) - start_s )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench.sh: Gbit/s count inner IPv4 bytes, per gateway data-path lcore; ceiling = raw IPsec-MB job API, one core, same sizes (bench_aead, the better of its runs before and after the cases)"
python3 - "$WORK/cases.jsonl" "$WORK/aead.json" "$WORK/aead-end.json" <<'EOF'
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = [json.load(open(f)) for f in sys.argv[2:]]
def raw(size, d):
    v = [r["gbps"] for a in runs for r in a["results"]
         if r["impl"] == "raw" and r["dir"] == d and r["size"].lower() == str(size).lower()]
    return max(v or [0.0])
print()
print("%-8s %6s %6s %6s %9s %9s %10s %6s" % ("direction", "size", "peers", "lcores", "Mpps", "Gbit/s", "ceiling", "ratio"))
for c in cases:
    e, d = raw(c["size"], "enc"), raw(c["size"], "dec")
    ceil = {"encrypt": e, "decrypt": d}.get(c["direction"], 2 / (1 / e + 1 / d) if e and d else 0.0)
    c["crypto_ceiling_gbps"] = round(ceil, 3)
    c["ratio"] = round(c["gbps"] / ceil, 4) if ceil else 0.0
    print("%-8s %6s %6d %6d %9.3f %9.3f %10.2f %6.3f" % (c["direction"], c["size"], c["peers"],
          c["lcores"], c["mpps"], c["gbps"], ceil, c["ratio"]))
with open(sys.argv[1], "w") as f:
    for c in cases:
        f.write(json.dumps(c) + "\n")
out = {"cases": cases}
lat = [json.loads(l) for l in open(sys.argv[1].replace("cases", "latency")) if l.strip()]
if lat:
    out["latency"] = lat
    print()
    print("latency at load (us; decrypt: every packet, encrypt: one in 16); target p99 < 100 us at 90 %, 1420 B")
    print("%-8s %6s %5s %9s %9s %9s %9s %9s %7s %7s %6s" % ("direction", "size", "load", "Mpps", "p50", "p99", "p99.9", "loss",
          "loadavg", "wait", "preempt"))
    for r in lat:
        print("%-8s %6s %4d%% %9.3f %9.1f %9.1f %9.1f %8.3f%% %7.2f %7.1f %6.0f" % (r["direction"], r["size"], r["load_pct"],
              r["mpps"], r["p50_us"], r["p99_us"], r["p999_us"], 100 * r["loss_ratio"], r["loadavg"],
              r["gw_runq_wait_ms_per_s"], r["gw_preempt_per_s"]))
try:
    ip = json.load(open(sys.argv[1].replace("cases.jsonl", "iperf3.json")))
    out.update(ip)
except (OSError, ValueError):
    pass
with open(sys.argv[1] + ".final", "w") as f:
    f.write(json.dumps(out, separators=(",", ":")) + "\n")
EOF
if [[ -n $plot ]]; then
	if plot_cases "$WORK/cases.jsonl" "$plot" > "$WORK/plot.log" 2>&1; then
		echo "bench.sh: plot in $plot"
	else
		echo "bench.sh: gnuplot failed: $(tail -3 "$WORK/plot.log")" >&2
	fi
	if plot_sizes "$WORK/cases.jsonl" "$WORK/aead.json" "$WORK/aead-end.json" \
		"$plot_size" > "$WORK/plot-size.log" 2>&1; then
		echo "bench.sh: plot in $plot_size"
	else
		echo "bench.sh: no throughput-vs-size plot: $(tail -3 "$WORK/plot-size.log")" >&2
	fi
	if [[ -s $WORK/latency.jsonl ]]; then
		if plot_latency "$WORK/latency.jsonl" "$plot_lat" \
			> "$WORK/plot-lat.log" 2>&1; then
			echo "bench.sh: plot in $plot_lat"
		else
			echo "bench.sh: no latency plot: $(tail -3 "$WORK/plot-lat.log")" >&2
		fi
	fi
fi
if [[ -n $logs ]]; then
	mkdir -p "$logs" && cp -r "$WORK"/. "$logs"/ && rm -f "$logs/gw.key" &&
		echo "bench.sh: logs in $logs"
	logs_done=1
fi
# the last line: one JSON object
cat "$WORK/cases.jsonl.final"
