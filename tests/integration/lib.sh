# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Shared helpers for the integration tests (bash). Every namespace, veth,
# process and socket a test creates is recorded here and removed on exit;
# processes are stopped by their own pid.
#
#   . "$(dirname "$0")/lib.sh"
#   itest_init            # root check, unique prefix $P, cleanup trap
#   ns_add NAME           # -> namespace "$P-NAME"
#   veth_add A NSA B NSB  # veth pair, ends moved to namespaces ("" = root), offloads off
#   wggo_start NS IF      # wireguard-go in the foreground, pid recorded
#   bg_track PID          # stop PID on exit
#   bg_untrack PID        # PID was stopped and reaped by the test
#   check "what" cmd ...  # counts a pass or a failure
#   eal_mem               # EAL memory arguments for a gateway config (YAML list items)
#   itest_finish          # prints "N passed, N failed", exits

itest_passed=0
itest_failed=0
itest_pids=()
itest_netns=()
itest_links=()
itest_socks=()
itest_tmp=

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
