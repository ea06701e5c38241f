# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Shared helpers for the integration tests (bash). Every namespace, veth,
# process and socket a test creates is recorded here and removed on exit;
# processes are stopped by their own pid.
#
#   . "$(dirname "$0")/lib.sh"
#   itest_init            # root check, unique prefix $P, cleanup trap
#   itest_need TOOL...    # skip (exit 77) unless every TOOL is installed
#   ns_add NAME           # -> namespace "$P-NAME"
#   veth_add A NSA B NSB  # veth pair, ends moved to namespaces ("" = root), offloads off
#   wggo_start NS IF      # wireguard-go in the foreground, pid recorded
#   bg_track PID          # stop PID on exit
#   bg_untrack PID        # PID was stopped and reaped by the test
#   check "what" cmd ...  # counts a pass or a failure
#   eal_mem               # EAL memory arguments for a gateway config (YAML list items)
#   gw_yaml_eal PFX IF... # eal: and lcores: of a gateway config, af_packet ports on IF...
#   gw_topology [lan]     # namespaces gw, them (and lan) wired as the gateway tests want
#   wggo_peer NS IF KEY ADDR WG_SET_ARGS...  # a configured wireguard-go peer
#   gw_start NS CONFIG LOG  # dpdk-wg started, ready; GW_PID (GW_BIN: the binary)
#   gw_stop SIGNAL [SECS] # stops it by its pid, GW_RC = its exit status
#   gw_stop_clean SIGNAL SECS  # gw_stop, then: exit 0, "stopped", no sanitizer report
#   no_sanitizer FILE...  # no ASan/LSan/UBSan report in the files
#   tel CMD               # one DPDK telemetry command (EAL file prefix $GWPFX)
#   wg_dump_has IF KEY RE # peer KEY's line in `wg show IF dump` matches RE
#   wg_peer_handshake IF KEY  # latest handshake with peer KEY (0 = never)
#   itest_finish          # prints "N passed, N failed", exits

itest_passed=0
itest_failed=0
itest_pids=()
itest_netns=()
itest_links=()
itest_socks=()
itest_tmp=
GW_BIN=${GW_BIN:-}
GW_PID=
GW_WRAP=
GW_LOG=
GW_RC=

itest_cleanup()
{
	local pid ns link sock i

	for ((i = ${#itest_pids[@]} - 1; i >= 0; i--)); do
		pid=${itest_pids[i]}
		kill -TERM "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for link in "${itest_links[@]}"; do
		ip link del "$link" 2>/dev/null
	done
	for ns in "${itest_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for sock in "${itest_socks[@]}"; do
		rm -f "$sock"
	done
	[[ -n $itest_tmp ]] && rm -rf "$itest_tmp"
	return 0
}

itest_init()
{
	if [[ $(id -u) -ne 0 ]]; then
		echo "SKIP: integration tests need root (namespaces, veths)"
		exit 77
	fi
	# Short unique prefix: interface names are limited to 15 bytes.
	P="t$(printf '%x' $$)"
	itest_tmp=$(mktemp -d "/tmp/dpdk-wg-$P.XXXX")
	trap itest_cleanup EXIT
	trap 'exit 130' INT TERM
	BUILD=${BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
}

# itest_need TOOL...: skip the test (exit 77) unless every TOOL is installed.
itest_need()
{
	local t

	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
	done
}

ns_add()
{
	ip netns add "$P-$1" || return 1
	itest_netns+=("$P-$1")
	ip -n "$P-$1" link set lo up
}

# veth_add A NSA B NSB: NSA/NSB are namespace short names, or "" for the root.
veth_add()
{
	local a=$1 nsa=$2 b=$3 nsb=$4

	ip link add "$a" type veth peer name "$b" || return 1
	itest_links+=("$a")
	if [[ -n $nsa ]]; then ip link set "$a" netns "$P-$nsa"; fi
	if [[ -n $nsb ]]; then ip link set "$b" netns "$P-$nsb"; fi
	# A veth facing an af_packet port must not leave checksums to "hardware".
	nsexec "$nsa" ethtool -K "$a" tx off rx off tso off gso off gro off >/dev/null 2>&1
	nsexec "$nsb" ethtool -K "$b" tx off rx off tso off gso off gro off >/dev/null 2>&1
	nsexec "$nsa" ip link set "$a" up
	nsexec "$nsb" ip link set "$b" up
}

# nsexec NS cmd...: run in namespace "$P-NS", or in the root one if NS is "".
nsexec()
{
	local ns=$1
	shift
	if [[ -n $ns ]]; then
		ip netns exec "$P-$ns" "$@"
	else
		"$@"
	fi
}

bg_track()
{
	itest_pids+=("$1")
}

# bg_untrack PID: the test stopped and reaped PID itself; forget it so a
# reused pid is never signalled at cleanup.
bg_untrack()
{
	local i

	for i in "${!itest_pids[@]}"; do
		[[ ${itest_pids[i]} == "$1" ]] && unset 'itest_pids[i]'
	done
	itest_pids=("${itest_pids[@]}")
}

# wggo_start NS IFNAME: wireguard-go in the foreground inside namespace NS.
wggo_start()
{
	local ns=$1 ifname=$2 sock=/var/run/wireguard/$2.sock

	rm -f "$sock"
	itest_socks+=("$sock")
	ip netns exec "$P-$ns" env WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 \
		wireguard-go -f "$ifname" >"$itest_tmp/$ifname.log" 2>&1 &
	bg_track $!
	for _ in $(seq 50); do
		[[ -S $sock ]] && return 0
		sleep 0.1
	done
	echo "wireguard-go $ifname did not start" >&2
	return 1
}

# EAL memory for a dpdk-wg config: hugepages when enough are free (the
# gateway's routing tables need about 450 MiB), else ordinary memory;
# DPDK_WG_NO_HUGE=1 forces the latter. --no-huge cannot be --in-memory:
# --no-shconf keeps no state instead.
eal_mem()
{
	local free

	free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
	if [[ ${DPDK_WG_NO_HUGE:-0} != 1 && ${free:-0} -ge 256 ]] &&
	   mountpoint -q /dev/hugepages; then
		echo '"--in-memory"'
	else
		echo '"--no-huge", "--no-shconf", "-m", "1024"'
	fi
}

# gw_yaml_eal PREFIX IFACE...: the eal: and lcores: lines of a gateway
# config: lcores 0-1 (control 0, io and crypto 1), memory from eal_mem
# ($EAL_MEM where set), EAL file prefix PREFIX ("" = none), one af_packet
# port per IFACE (an interface name, options after a comma).
gw_yaml_eal()
{
	local pfx=$1 i=0 ifc

	shift
	printf 'eal: ["-l", "0-1", %s, "--no-pci",' "${EAL_MEM:-$(eal_mem)}"
	[[ -n $pfx ]] && printf ' "--file-prefix=%s",' "$pfx"
	printf '\n      "--log-level=pmd.net.af_packet:warning"'
	for ifc in "$@"; do
		printf ',\n      "--vdev=net_af_packet%d,iface=%s"' $((i++)) "$ifc"
	done
	printf ']\nlcores:\n  control: 0\n  io: [1]\n  crypto: [1]\n'
}

# gw_topology [lan]: namespaces gw and them, veth ${P}wg (gw) to ${P}wh
# (them, 198.18.0.2/24); with "lan" also ${P}lg (gw) to ${P}lh (lan,
# 10.10.0.2/24, default route via 10.10.0.1). The gateway's ends are left
# without addresses for its af_packet ports.
gw_topology()
{
	local i lan=${1:-} ends=("${P}wg")

	ns_add gw && ns_add them || return 1
	ip link add "${P}wg" netns "$P-gw" type veth peer name "${P}wh" \
		netns "$P-them" || return 1
	if [[ -n $lan ]]; then
		ns_add lan || return 1
		ip link add "${P}lg" netns "$P-gw" type veth peer name "${P}lh" \
			netns "$P-lan" || return 1
		ends+=("${P}lg")
	fi
	for i in "${ends[@]}"; do
		nsexec gw sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
		nsexec gw ethtool -K "$i" tx off rx off tso off gso off gro off \
			>/dev/null 2>&1
		nsexec gw ip link set "$i" up
	done
	nsexec them ethtool -K "${P}wh" tx off rx off tso off gso off gro off \
		>/dev/null 2>&1
	nsexec them ip addr add 198.18.0.2/24 dev "${P}wh"
	nsexec them ip link set "${P}wh" up
	[[ -n $lan ]] || return 0
	nsexec lan ethtool -K "${P}lh" tx off rx off tso off gso off gro off \
		>/dev/null 2>&1
	nsexec lan ip addr add 10.10.0.2/24 dev "${P}lh"
	nsexec lan ip link set "${P}lh" up
	nsexec lan ip route add default via 10.10.0.1
}

# wggo_peer NS IF PRIVKEY ADDR WG_SET_ARGS...: wireguard-go IF in namespace
# NS with private key PRIVKEY (a 0600 file), configured by `wg set IF
# WG_SET_ARGS...`, ADDR on it and up.
wggo_peer()
{
	local ns=$1 ifname=$2 key=$3 addr=$4

	shift 4
	wggo_start "$ns" "$ifname" || return 1
	(umask 077; echo "$key" >"$itest_tmp/$ifname.key")
	nsexec "$ns" wg set "$ifname" private-key "$itest_tmp/$ifname.key" "$@" ||
		return 1
	nsexec "$ns" ip addr add "$addr" dev "$ifname"
	nsexec "$ns" ip link set "$ifname" up
}

# gw_start NS CONFIG LOG: $GW_BIN in namespace $P-NS ("" = root), its pid
# in GW_PID (tracked for cleanup); 0 when it printed "dpdk-wg: ready".
gw_start()
{
	local ns=$1 cfg=$2 log=$3 pidf=$itest_tmp/gw.pid

	GW_LOG=$log
	GW_PID=
	GW_RC=
	rm -f "$pidf"
	# The shell writes its own pid, then becomes the gateway: GW_PID is
	# the gateway whatever `ip netns exec` does in between.
	if [[ -n $ns ]]; then
		ip netns exec "$P-$ns" sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" \
			"$GW_BIN" --config "$cfg" >"$log" 2>&1 &
	else
		sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" \
			"$GW_BIN" --config "$cfg" >"$log" 2>&1 &
	fi
	GW_WRAP=$!
	for _ in $(seq 50); do
		[[ -s $pidf ]] && break
		sleep 0.1
	done
	GW_PID=$(cat "$pidf" 2>/dev/null)
	if [[ -z $GW_PID ]]; then
		echo "dpdk-wg did not start"
		return 1
	fi
	bg_track "$GW_PID"
	for _ in $(seq 300); do
		grep -q '^dpdk-wg: ready' "$log" && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$GW_PID" 2>/dev/null; then
		echo "dpdk-wg (pid $GW_PID) not ready after 60 s; its threads:"
		gw_threads
	else
		wait "$GW_WRAP" 2>/dev/null
		echo "dpdk-wg exited with status $? before it was ready"
		bg_untrack "$GW_PID"
		GW_PID=
	fi
	return 1
}

# gw_threads: what the gateway's threads are doing (name, state, kernel
# wait channel, CPU ticks), for a gateway that hangs.
gw_threads()
{
	local t

	for t in /proc/"$GW_PID"/task/*; do
		[[ -r $t/stat ]] || continue
		printf '  %s %s wchan=%s utime+stime=%s\n' "$(cat "$t/comm")" \
			"$(awk '{ print $3 }' "$t/stat")" "$(cat "$t/wchan" 2>/dev/null)" \
			"$(awk '{ print $14 + $15 }' "$t/stat")"
	done
	if command -v gdb >/dev/null 2>&1; then
		timeout 90 gdb -p "$GW_PID" -batch -nx -ex "thread apply all bt 12" \
			2>&1 | grep -E '^(Thread|#|ptrace|Could)' | sed 's/^/  /'
	fi
}

# gw_stop SIGNAL [SECS]: sends SIGNAL to the gateway, waits up to SECS
# (default 20) for it to exit; GW_RC is its exit status (or "timeout", after
# which it is killed). 0 when it exited by itself.
gw_stop()
{
	local sig=$1 secs=${2:-20} i

	GW_RC=
	[[ -n $GW_PID ]] || return 1
	kill "-$sig" "$GW_PID" 2>/dev/null
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$GW_PID" 2>/dev/null; then
		kill -KILL "$GW_PID" 2>/dev/null
		wait "$GW_WRAP" 2>/dev/null
		GW_RC=timeout
	else
		wait "$GW_WRAP" 2>/dev/null
		GW_RC=$?
	fi
	bg_untrack "$GW_PID"
	GW_PID=
	[[ $GW_RC != timeout ]]
}

# gw_stop_clean SIGNAL SECS: gw_stop; 0 when the gateway exited 0 within
# SECS, printed "dpdk-wg: stopped" and no sanitizer report (else its log's end).
gw_stop_clean()
{
	gw_stop "$1" "$2"
	echo "exit status $GW_RC"
	if [[ $GW_RC == 0 ]] && grep -q '^dpdk-wg: stopped' "$GW_LOG" &&
	   no_sanitizer "$GW_LOG"; then
		return 0
	fi
	tail -n 15 "$GW_LOG"
	return 1
}

# is_sanitized BIN: true if BIN was built with ASan or UBSan (scripts/test.sh
# runs the integration tests on build-asan too): gcc links their runtimes
# dynamically (U), clang statically with the symbols exported (T).
is_sanitized()
{
	nm -D "$1" 2>/dev/null | grep -qE ' [UT] (__asan_init|__ubsan_handle_)'
}

# no_sanitizer FILE...: no AddressSanitizer, LeakSanitizer or UBSan report.
no_sanitizer()
{
	! grep -aEq 'Sanitizer|runtime error' "$@"
}

# tel CMD: one DPDK telemetry command to the gateway of EAL file prefix
# $GWPFX, its JSON reply on stdout (dpdk-telemetry.py, else the socket).
tel()
{
	local t

	t=$(command -v dpdk-telemetry.py)
	if [[ -n $t ]]; then
		echo "$1" | timeout 10 python3 "$t" -f "$GWPFX" | grep '^{' | tail -n 1
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

# wg_dump_has IF KEY REGEX: peer KEY's line in `wg show IF dump`, its
# preshared key masked, matches the extended REGEX; the line is printed.
wg_dump_has()
{
	local line

	line=$(wg show "$1" dump | awk -F'\t' -v k="$2" \
		'BEGIN { OFS = "\t" } $1 == k { $2 = "-"; print }')
	echo "$line"
	[[ -n $line ]] && grep -Eq "$3" <<<"$line"
}

# wg_peer_handshake IF PUBKEY: latest handshake (epoch seconds, 0 = never).
wg_peer_handshake()
{
	wg show "$1" latest-handshakes 2>/dev/null |
		awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

check()
{
	local what=$1
	shift
	if "$@" >"$itest_tmp/check.out" 2>&1; then
		itest_passed=$((itest_passed + 1))
		echo "ok - $what"
	else
		itest_failed=$((itest_failed + 1))
		echo "FAIL - $what"
		sed 's/^/    /' "$itest_tmp/check.out" | tail -20
	fi
}

itest_finish()
{
	echo "$itest_passed passed, $itest_failed failed"
	((itest_failed == 0))
	exit $?
}
