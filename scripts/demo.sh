#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# The README's first command: runs dpdk-wg on the default configuration
# (config/gw.yaml: two af_packet ports on veths, no NIC needed) with two
# wireguard-go peers and a LAN host in network namespaces, and shows it
# working. Run as root on Debian 12.
#
#   scripts/demo.sh              set up, show, stop, remove everything
#   scripts/demo.sh --keep       ... and leave it running until Ctrl-C
#   scripts/demo.sh --no-setup   skip scripts/setup.sh (packages, build)
#
#   namespace dwg-peer1          namespace dwg-peer2
#   wireguard-go demo1           wireguard-go demo2
#   198.18.0.2  tunnel 10.9.0.2  2001:db8:1::3  tunnel 10.9.0.3
#          \                        /
#           [ bridge, namespace dwg-wan ]
#                      |
#                    wan0   198.18.0.1 2001:db8:1::1      (this host's
#          build/app/dpdk-wg --config config/gw.yaml       namespace)
#                    lan0   10.10.0.1 fd00:10::1, tunnel 10.9.0.1
#                      |
#           namespace dwg-lan: LAN host 10.10.0.2 fd00:10::2
#
# The keys are the public demo keys of config/gw.yaml and
# config/demo-peers.conf: never use them for anything else.
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).

set -u

cd "$(dirname "$0")/.." || exit 1

keep=0
setup=1
for arg in "$@"; do
	case $arg in
	--keep) keep=1 ;;
	--no-setup) setup=0 ;;
	-h | --help)
		sed -n '/^# The README/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "demo.sh: unknown option '$arg' (--keep, --no-setup)" >&2
		exit 2
		;;
	esac
done

if [[ $(id -u) -ne 0 ]]; then
	echo "demo.sh: run as root (network namespaces, veths, DPDK)" >&2
	exit 1
fi

CONFIG=config/gw.yaml
BUILD=${DPDK_WG_BUILD:-build}
GW_BIN=$BUILD/app/dpdk-wg

bold=
off=
if [[ -t 1 ]]; then
	bold=$'\e[1m'
	off=$'\e[0m'
fi
nstep=0
step()
{
	nstep=$((nstep + 1))
	printf '\n%s[%d] %s%s\n' "$bold" "$nstep" "$*" "$off"
}

say()
{
	printf '    %s\n' "$*"
}

indent()
{
	sed 's/^/      /'
}

if ((setup)); then
	step "Setup: packages, hugepages and the build (scripts/setup.sh)"
	if ! scripts/setup.sh; then
		echo "demo.sh: scripts/setup.sh failed" >&2
		exit 1
	fi
fi
for t in ip ethtool ping iperf3 wireguard-go wg; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "demo.sh: $t is missing: run scripts/demo.sh without --no-setup" >&2
		exit 1
	fi
done
if [[ ! -x $GW_BIN ]]; then
	echo "demo.sh: $GW_BIN is not built (scripts/setup.sh builds it)" >&2
	exit 1
fi

# config/gw.yaml runs EAL --in-memory on hugepages (scripts/setup.sh reserves
# 512 x 2 MiB); other DPDK processes may hold some.
free_huge=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
if ((${free_huge:-0} < 256)); then
	echo "demo.sh: warning: only ${free_huge:-0} free hugepages (2 MiB); the gateway may fail" >&2
	echo "  to allocate its tables. scripts/setup.sh reserves 512; other DPDK processes hold the rest." >&2
fi

# The ports' interfaces, as config/gw.yaml's `eal:` list names them.
mapfile -t IFACES < <(sed -n '/^eal:/,/\]/p' "$CONFIG" |
	grep -o 'iface=[A-Za-z0-9_.-]*' | cut -d= -f2)
if [[ ${#IFACES[@]} -ne 2 ]]; then
	echo "demo.sh: expected two af_packet interfaces in $CONFIG's eal: list, found ${#IFACES[@]}" >&2
	exit 1
fi
WAN_IF=${IFACES[0]}
LAN_IF=${IFACES[1]}
for i in "$WAN_IF" "$LAN_IF"; do
	if ip link show "$i" >/dev/null 2>&1; then
		echo "demo.sh: interface $i already exists on this host." >&2
		echo "  The demo creates $WAN_IF and $LAN_IF itself and removes them at the end;" >&2
		echo "  it does not touch an interface it did not create. If $i is left over" >&2
		echo "  from an interrupted demo, remove it with: ip link del $i" >&2
		exit 1
	fi
done
for ns in dwg-wan dwg-lan dwg-peer1 dwg-peer2; do
	if [[ -e /var/run/netns/$ns ]]; then
		echo "demo.sh: network namespace $ns already exists (another demo running?)." >&2
		echo "  If it is left over from an interrupted demo: ip netns del $ns" >&2
		exit 1
	fi
done
for w in demo1 demo2; do
	if wg show "$w" >/dev/null 2>&1; then
		echo "demo.sh: a WireGuard interface $w is already running (/var/run/wireguard/$w.sock)." >&2
		exit 1
	fi
done

. tests/integration/lib.sh
. scripts/lib-topology.sh
. config/demo-peers.conf

itest_init			# cleanup on exit: processes by pid, links, namespaces
P=dwg				# namespaces dwg-wan, dwg-lan, dwg-peer1, dwg-peer2
NFT_TABLE=dwg_demo		# netdev table: this host's kernel ignores wan0/lan0
nft_made=0
demo_cleanup()
{
	itest_cleanup
	((nft_made)) && nft delete table netdev "$NFT_TABLE" 2>/dev/null
	return 0
}
trap demo_cleanup EXIT
umask 077
GWLOG=$itest_tmp/dpdk-wg.log
ok_n=0
fail_n=0

# show "what" cmd...: runs a step of the demonstration, says how it went.
show()
{
	local what=$1
	shift
	if "$@" >"$itest_tmp/show.out" 2>&1; then
		ok_n=$((ok_n + 1))
		printf '    %-8s %s\n' "ok" "$what"
	else
		fail_n=$((fail_n + 1))
		printf '    %-8s %s\n' "FAILED" "$what"
		grep -E 'transmitted|rror|nreachable' "$itest_tmp/show.out" |
			tail -n 2 | indent
	fi
}

# dping NS DST: three answers within 5 s
dping()
{
	local ns=$1
	shift
	ip netns exec "$P-$ns" ping -n -c 3 -i 0.2 -w 5 "$@"
}

# ---- the virtual network ------------------------------------------------------

# quiet_host_if IF: an interface of this host that only DPDK uses: no IPv6,
# no forwarding, no ARP answers from the kernel.
quiet_host_if()
{
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	sysctl -qw "net.ipv4.conf.$1.forwarding=0"
	sysctl -qw "net.ipv4.conf.$1.arp_ignore=8"
	if command -v nmcli >/dev/null 2>&1; then
		nmcli device set "$1" managed no >/dev/null 2>&1
	fi
}

# drop_host_ingress IF...: this host's kernel drops every frame arriving on
# IF, before its IP stack (so it can never forward demo traffic, whatever
# net.ipv4.conf.all.forwarding becomes); af_packet sockets (DPDK) still
# get them: packet taps run before the ingress hook.
drop_host_ingress()
{
	local i chains=

	command -v nft >/dev/null 2>&1 || return 0
	nft delete table netdev "$NFT_TABLE" 2>/dev/null
	for i in "$@"; do
		chains+="chain in_$i { type filter hook ingress device \"$i\" priority 0; policy drop; }"$'\n'
	done
	nft -f - <<-EOF || return 1
		table netdev $NFT_TABLE {
		$chains}
	EOF
	nft_made=1
}

make_network()
{
	local n

	for ns in wan lan peer1 peer2; do
		ns_add "$ns" || return 1
	done
	ip netns exec "$P-wan" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n "$P-wan" link add br0 type bridge stp_state 0 mcast_snooping 0 || return 1
	ip -n "$P-wan" link set br0 up

	veth_add "$WAN_IF" "" "$P-wanbr" wan || return 1
	quiet_host_if "$WAN_IF"
	ip -n "$P-wan" link set "$P-wanbr" master br0 || return 1
	veth_add "$LAN_IF" "" "$P-lanh" lan || return 1
	quiet_host_if "$LAN_IF"
	drop_host_ingress "$WAN_IF" "$LAN_IF" || return 1

	ip -n "$P-lan" addr add 10.10.0.2/24 dev "$P-lanh"
	ip -n "$P-lan" addr add fd00:10::2/64 dev "$P-lanh" nodad
	ip -n "$P-lan" route add default via 10.10.0.1
	ip -n "$P-lan" -6 route add default via fd00:10::1

	for n in 1 2; do
		veth_add "$P-p$n" "peer$n" "$P-p${n}br" wan || return 1
		ip -n "$P-wan" link set "$P-p${n}br" master br0 || return 1
		ip -n "$P-peer$n" addr add "198.18.0.$((n + 1))/24" dev "$P-p$n"
		ip -n "$P-peer$n" addr add "2001:db8:1::$((n + 1))/64" dev "$P-p$n" nodad
	done
}

# start_peer N WGIF PRIVKEY PORT ENDPOINT ALLOWED TUN4 TUN6
start_peer()
{
	local n=$1 wgif=$2 key=$3 port=$4 ep=$5 allowed=$6 t4=$7 t6=$8
	local ns=$P-peer$n

	printf '%s\n' "$key" >"$itest_tmp/$wgif.key"
	wggo_start "peer$n" "$wgif" || return 1
	wg set "$wgif" private-key "$itest_tmp/$wgif.key" listen-port "$port" \
		peer "$GW_PUBLIC_KEY" endpoint "$ep" allowed-ips "$allowed" \
		persistent-keepalive 25 || return 1
	ip -n "$ns" addr add "$t4" dev "$wgif" || return 1
	ip -n "$ns" addr add "$t6" dev "$wgif" nodad || return 1
	ip -n "$ns" link set "$wgif" up || return 1
	ip -n "$ns" route add 10.10.0.0/24 dev "$wgif" || return 1
	ip -n "$ns" -6 route add fd00:10::/64 dev "$wgif" || return 1
}

# counters_view FILE: a gateway dump without the per-lcore lines (the
# totals repeat them), the demo peers named.
counters_view()
{
	grep -v '^stats lcore' "$1" | indent
	say "(peer $PEER1_PUBLIC_KEY is demo1 in $P-peer1,"
	say " peer $PEER2_PUBLIC_KEY is demo2 in $P-peer2)"
}

print_counters()
{
	if gw_dump "$itest_tmp/dump.txt" >"$itest_tmp/dump.err" 2>&1; then
		counters_view "$itest_tmp/dump.txt"
		return 0
	fi
	indent <"$itest_tmp/dump.err"
	return 1
}

stop_gateway()
{
	[[ -n $GW_PID ]] || return 0
	step "Stopping the gateway (SIGTERM to pid $GW_PID): its final counters"
	gw_stop TERM 30
	sed -n '/^dpdk-wg: stopping/,$p' "$GWLOG" >"$itest_tmp/final.txt"
	grep -v '^stats lcore' "$itest_tmp/final.txt" | indent
	if [[ $GW_RC == 0 ]]; then
		say "dpdk-wg exited with status 0"
	else
		say "dpdk-wg exited with status $GW_RC"
		fail_n=$((fail_n + 1))
	fi
}

# ---- the demonstration ----------------------------------------------------------

step "A virtual network: veths $WAN_IF and $LAN_IF for the gateway's two DPDK ports"
say "$WAN_IF (this host) <-> a bridge in namespace $P-wan, where two WireGuard peers sit:"
say "  $P-peer1  198.18.0.2     (IPv4 outside the tunnel), tunnel 10.9.0.2 fd00:9::2"
say "  $P-peer2  2001:db8:1::3  (IPv6 outside the tunnel), tunnel 10.9.0.3 fd00:9::3"
say "$LAN_IF (this host) <-> namespace $P-lan, a LAN host 10.10.0.2 fd00:10::2"
say "This host's kernel ignores $WAN_IF/$LAN_IF (nftables ingress drop, no IPv6, no"
say "forwarding): only DPDK's af_packet sockets see their frames."
if ! make_network >"$itest_tmp/net.log" 2>&1; then
	echo "demo.sh: creating the network failed:" >&2
	cat "$itest_tmp/net.log" >&2
	exit 1
fi
say "done: namespaces $P-wan $P-lan $P-peer1 $P-peer2, veths $WAN_IF $LAN_IF"

step "WireGuard peers: wireguard-go, keys from config/demo-peers.conf"
if ! start_peer 1 demo1 "$PEER1_PRIVATE_KEY" "$PEER1_LISTEN_PORT" "$GW_ENDPOINT" \
	"$PEER1_GW_ALLOWED_IPS" "$PEER1_TUNNEL_ADDRESS4" "$PEER1_TUNNEL_ADDRESS6" \
	>"$itest_tmp/peer1.log" 2>&1 ||
   ! start_peer 2 demo2 "$PEER2_PRIVATE_KEY" "$PEER2_LISTEN_PORT" "$GW_ENDPOINT6" \
	"$PEER2_GW_ALLOWED_IPS" "$PEER2_TUNNEL_ADDRESS4" "$PEER2_TUNNEL_ADDRESS6" \
	>"$itest_tmp/peer2.log" 2>&1; then
	echo "demo.sh: starting wireguard-go failed:" >&2
	cat "$itest_tmp"/peer*.log >&2
	exit 1
fi
say "demo1 in $P-peer1: gateway at $GW_ENDPOINT, routes $PEER1_GW_ALLOWED_IPS"
say "demo2 in $P-peer2: gateway at $GW_ENDPOINT6, same routes"

step "Starting the gateway: $GW_BIN --config $CONFIG"
if ! gw_start "" "$CONFIG" "$GWLOG" >"$itest_tmp/start.err" 2>&1; then
	indent <"$itest_tmp/start.err"
	tail -n 20 "$GWLOG" | indent
	echo "demo.sh: the gateway did not start" >&2
	exit 1
fi
say "pid $GW_PID; what it printed:"
sed -n '/^dpdk-wg (/,/^dpdk-wg: ready/p' "$GWLOG" | indent

step "The router: the gateway answers on its own addresses (ICMP echo, ARP, ND)"
show "peer1 -> 198.18.0.1     (gateway, WAN port)" dping peer1 198.18.0.1
show "peer2 -> 2001:db8:1::1  (gateway, WAN port, IPv6)" dping peer2 2001:db8:1::1
show "LAN   -> 10.10.0.1      (gateway, LAN port)" dping lan 10.10.0.1
show "LAN   -> fd00:10::1     (gateway, LAN port, IPv6)" dping lan fd00:10::1

step "Through the tunnel: wireguard-go <-> dpdk-wg, decrypted and routed to the LAN"
show "peer1 -> 10.9.0.1       (the gateway's tunnel address)" dping peer1 10.9.0.1
show "peer1 -> 10.10.0.2      (LAN host; IPv4 in IPv4)" dping peer1 10.10.0.2
show "peer1 -> fd00:10::2     (LAN host; IPv6 in IPv4)" dping peer1 fd00:10::2
show "peer2 -> fd00:9::1      (the gateway's tunnel address)" dping peer2 fd00:9::1
show "peer2 -> fd00:10::2     (LAN host; IPv6 in IPv6)" dping peer2 fd00:10::2
show "peer2 -> 10.10.0.2      (LAN host; IPv4 in IPv6)" dping peer2 10.10.0.2
show "LAN   -> 10.9.0.2       (the gateway encrypts to peer1)" dping lan 10.9.0.2
show "LAN   -> fd00:9::3      (the gateway encrypts to peer2)" dping lan fd00:9::3
show "peer1 -> 10.9.0.3       (peer to peer through the gateway)" dping peer1 10.9.0.3

step "iperf3, 3 s of TCP from peer1 to the LAN host through the tunnel"
ip netns exec "$P-lan" iperf3 -s -1 -p 5201 >"$itest_tmp/iperf-s.log" 2>&1 &
spid=$!
bg_track "$spid"
sleep 0.3
if ip netns exec "$P-peer1" timeout 20 iperf3 -c 10.10.0.2 -p 5201 -t 3 -f m \
	--connect-timeout 3000 >"$itest_tmp/iperf.log" 2>&1; then
	ok_n=$((ok_n + 1))
	# the summary: from iperf3's dashed line to "iperf Done."
	sed -n '/^- - - -/,/^iperf Done/p' "$itest_tmp/iperf.log" |
		grep -E '^\[ *ID\]|sender$|receiver$' | indent
else
	fail_n=$((fail_n + 1))
	say "FAILED: iperf3 peer1 -> 10.10.0.2"
	tail -n 3 "$itest_tmp/iperf.log" | indent
fi
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
bg_untrack "$spid"

step "wg show demo1: peer1's view of the tunnel (wireguard-go)"
wg show demo1 | indent

# the gateway's interface name, as config/gw.yaml's wireguard: list names it
GW_IF=$(sed -n '/^wireguard:/,$p' "$CONFIG" | awk '$1 == "-" && $2 == "name:" { print $3; exit }')
step "wg show $GW_IF: the gateway's view, with the same tool (its wg(8) socket)"
if wg show "$GW_IF" >"$itest_tmp/wgshow.txt" 2>&1; then
	ok_n=$((ok_n + 1))
	indent <"$itest_tmp/wgshow.txt"
else
	fail_n=$((fail_n + 1))
	say "FAILED: wg show $GW_IF"
	indent <"$itest_tmp/wgshow.txt"
fi

CTL=$BUILD/app/dpdk-wg-ctl
step "Its command line, from a script: $CTL show peers"
if "$CTL" show peers >"$itest_tmp/ctl.txt" 2>&1; then
	ok_n=$((ok_n + 1))
	indent <"$itest_tmp/ctl.txt"
else
	fail_n=$((fail_n + 1))
	say "FAILED: dpdk-wg-ctl show peers"
	indent <"$itest_tmp/ctl.txt"
fi

step "Prometheus metrics: curl http://127.0.0.1:9586/metrics (the WireGuard families)"
if curl -sf --max-time 5 http://127.0.0.1:9586/metrics >"$itest_tmp/metrics.txt"; then
	ok_n=$((ok_n + 1))
	grep -E '^wireguard_' "$itest_tmp/metrics.txt" | indent
	say "... and $(grep -vc '^#' "$itest_tmp/metrics.txt") samples in all (per lcore, per drop reason, per port)"
else
	fail_n=$((fail_n + 1))
	say "FAILED: curl http://127.0.0.1:9586/metrics"
fi

step "The gateway's counters (kill -USR1 $GW_PID)"
if ! print_counters; then
	fail_n=$((fail_n + 1))
fi

if ((keep)); then
	step "Left running. Try, in another terminal:"
	say "ip netns exec $P-peer1 ping 10.10.0.2"
	say "ip netns exec $P-peer2 ping fd00:10::2"
	say "wg show demo1; wg show demo2"
	say "kill -USR1 $GW_PID     (the gateway prints its counters here)"
	say "Ctrl-C here stops everything and removes what the demo created."
	stop=0
	trap 'stop=1' INT TERM
	# the gateway's output as it comes (SIGUSR1 dumps)
	tail -n 0 -f --pid="$GW_PID" "$GWLOG" > >(grep --line-buffered -v '^stats lcore' |
		sed -u 's/^/      /') &
	tail_pid=$!
	bg_track "$tail_pid"
	while ((!stop)) && kill -0 "$GW_PID" 2>/dev/null; do
		sleep 1
	done
	kill "$tail_pid" 2>/dev/null
	wait "$tail_pid" 2>/dev/null
	bg_untrack "$tail_pid"
	trap 'exit 130' INT TERM
	if ((!stop)); then
		say "the gateway exited by itself"
	fi
fi

stop_gateway

step "Summary"
say "$ok_n steps worked, $fail_n failed."
say "Removing the namespaces, veths $WAN_IF $LAN_IF and the wireguard-go peers."
((fail_n == 0))
exit $?
