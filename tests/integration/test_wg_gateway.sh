#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# End to end: dpdk-wg as a WireGuard gateway between wireguard-go peers on a
# WAN segment and a host on its LAN, everything in network namespaces.
#
#    p1 (wireguard-go W1)  198.18.0.2   2001:db8:1::2  tunnel 10.9.0.2 fd00:9::2
#    p2 (wireguard-go W2)  198.18.0.3   2001:db8:1::3  tunnel 10.9.0.3 fd00:9::3  psk
#    p3 (wireguard-go W3)  198.18.0.4                  unknown to the gateway
#    p4 (wireguard-go W4)  2001:db8:1::5               wrong preshared key
#       |  |  |  |
#    [ bridge br0, namespace "wan" ]
#       |
#    gateway namespace "gw": dpdk-wg, af_packet ports
#       wan 198.18.0.1/24 2001:db8:1::1/64      lan 10.10.0.1/24 fd00:10::1/64
#       wireguard 10.9.0.1/24 fd00:9::1/64, UDP 51820         |
#                                                 namespace "lan": host
#                                                 10.10.0.2 fd00:10::2
#
# Peer 1 is in the gateway's configuration with an endpoint (the gateway
# can initiate), peer 2 without (learnt), over IPv6 outer. The peers route
# 10.9.0.0/24, fd00:9::/64 and the LAN to the gateway (hub and spoke).
#
# Checks: plumbing (the router), pings through the tunnel in every
# inner/outer family combination, the gateway's tunnel addresses, the LAN
# host to the peers, iperf3 TCP both ways, hub and spoke, roaming during a
# transfer, the preshared key, wrong peers, a transfer across a rekey
# (REKEY_AFTER_TIME, 120 s: this case runs in the background from the
# start, the others meanwhile), the gateway's per-peer counters against
# wireguard-go's, and a clean exit on SIGTERM and SIGINT. About 2.5 minutes:
# the rekey case sets the pace.
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# KEEP_LOGS=DIR keeps the gateway's output and the packet captures.
# DPDK_WG_NO_HUGE=1 runs EAL without hugepages (also the default when fewer
# than 256 are free).
# Exit: 0 all passed, 1 a check failed, 77 skipped (not root, tool missing).

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/../../scripts/lib-topology.sh"

itest_init
itest_need wireguard-go wg iperf3
HAVE_TCPDUMP=0		# the packet captures and the checks that read them
command -v tcpdump >/dev/null 2>&1 && HAVE_TCPDUMP=1
BUILD=${DPDK_WG_BUILD:-$BUILD}
GW_BIN=$BUILD/app/dpdk-wg
if [[ ! -x $GW_BIN ]]; then
	echo "FAIL: $GW_BIN not built (set DPDK_WG_BUILD)"
	echo "0 passed, 1 failed"
	exit 1
fi

umask 077
T0=$SECONDS
K=$itest_tmp/keys
mkdir -p "$K"
GWLOG=$itest_tmp/gw.log
GWIF=${P}g			# the gateway's wireguard interface (wg(8) socket name)
GWSOCK=/var/run/wireguard/$GWIF.sock
itest_socks+=("$GWSOCK")
VGW=${P}gw			# gateway's WAN port (veth end in "gw")
VGL=${P}gl			# gateway's LAN port
VBG=${P}bg			# bridge end facing the gateway
VL=${P}l			# LAN host
REKEY_SECS=${REKEY_SECS:-135}	# > REKEY_AFTER_TIME (120 s)

log()
{
	printf '# [%3ds] %s\n' $((SECONDS - T0)) "$*"
}

pass()
{
	itest_passed=$((itest_passed + 1))
	echo "ok - $*"
}

fail()
{
	itest_failed=$((itest_failed + 1))
	echo "FAIL - $*"
}

# ---- keys -------------------------------------------------------------------

genkey()
{
	wg genkey >"$K/$1.key" && wg pubkey <"$K/$1.key" >"$K/$1.pub"
}

pub()
{
	cat "$K/$1.pub"
}

for k in gw p1 p2 p3 p4; do
	genkey "$k" || { echo "FAIL: wg genkey"; exit 1; }
done
wg genpsk >"$K/p2.psk"		# shared by the gateway and peer 2
wg genpsk >"$K/p4gw.psk"	# the gateway's psk for peer 4 ...
wg genpsk >"$K/p4.psk"		# ... and peer 4's, which differs
chmod 600 "$K"/*
GWPUB=$(pub gw)
P1PUB=$(pub p1)
P2PUB=$(pub p2)
P4PUB=$(pub p4)

# ---- topology ---------------------------------------------------------------

# peer_add N V4 V6 PORT: namespace pN, veth ${P}N to the bridge, addresses,
# wireguard-go ${P}wN listening on PORT.
peer_add()
{
	local n=$1 v4=$2 v6=$3 port=$4 ns=p$1 wgif=${P}w$1

	ns_add "$ns" || return 1
	veth_add "${P}$n" "$ns" "${P}b$n" wan || return 1
	ip -n "$P-wan" link set "${P}b$n" master br0 || return 1
	[[ -n $v4 ]] && ip -n "$P-$ns" addr add "$v4/24" dev "${P}$n"
	[[ -n $v6 ]] && ip -n "$P-$ns" addr add "$v6/64" dev "${P}$n" nodad
	wggo_start "$ns" "$wgif" || return 1
	wg set "$wgif" private-key "$K/p$n.key" listen-port "$port" || return 1
	return 0
}

# peer_tunnel N ENDPOINT TUN4 TUN6 [PSKFILE]: the gateway as wireguard-go's
# peer; the tunnel addresses and routes to the tunnel and LAN prefixes.
peer_tunnel()
{
	local n=$1 ep=$2 t4=$3 t6=$4 psk=${5:-} ns=$P-p$1 wgif=${P}w$1
	local pskarg=()

	[[ -n $psk ]] && pskarg=(preshared-key "$psk")
	wg set "$wgif" peer "$GWPUB" "${pskarg[@]}" endpoint "$ep" \
		allowed-ips 10.9.0.0/24,fd00:9::/64,10.10.0.0/24,fd00:10::/64 ||
		return 1
	ip -n "$ns" addr add "$t4/24" dev "$wgif" || return 1
	ip -n "$ns" addr add "$t6/64" dev "$wgif" nodad || return 1
	ip -n "$ns" link set "$wgif" up || return 1
	ip -n "$ns" route add 10.10.0.0/24 dev "$wgif" || return 1
	ip -n "$ns" -6 route add fd00:10::/64 dev "$wgif" || return 1
}

setup_net()
{
	local ns

	for ns in gw wan lan; do
		ns_add "$ns" || return 1
	done
	# no kernel stack on the gateway's ports, nor on the bridge
	ip netns exec "$P-gw" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$P-wan" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n "$P-wan" link add br0 type bridge stp_state 0 mcast_snooping 0 ||
		return 1
	ip netns exec "$P-wan" sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
	ip -n "$P-wan" link set br0 up

	veth_add "$VGW" gw "$VBG" wan || return 1
	veth_add "$VGL" gw "$VL" lan || return 1
	for i in "$VGW" "$VGL"; do
		ip netns exec "$P-gw" sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
	done
	ip netns exec "$P-wan" sysctl -qw "net.ipv6.conf.$VBG.disable_ipv6=1"
	ip -n "$P-wan" link set "$VBG" master br0 || return 1

	ip -n "$P-lan" addr add 10.10.0.2/24 dev "$VL"
	ip -n "$P-lan" addr add fd00:10::2/64 dev "$VL" nodad
	ip -n "$P-lan" route add default via 10.10.0.1
	ip -n "$P-lan" -6 route add default via fd00:10::1

	peer_add 1 198.18.0.2 2001:db8:1::2 51821 || return 1
	peer_add 2 198.18.0.3 2001:db8:1::3 51822 || return 1
	peer_add 3 198.18.0.4 "" 51823 || return 1
	peer_add 4 "" 2001:db8:1::5 51824 || return 1
	for i in 1 2 3 4; do
		ip netns exec "$P-wan" sysctl -qw "net.ipv6.conf.${P}b$i.disable_ipv6=1"
	done
	peer_tunnel 1 198.18.0.1:51820 10.9.0.2 fd00:9::2 || return 1
	peer_tunnel 2 "[2001:db8:1::1]:51820" 10.9.0.3 fd00:9::3 "$K/p2.psk" ||
		return 1
	peer_tunnel 3 198.18.0.1:51820 10.9.0.4 fd00:9::4 || return 1
	peer_tunnel 4 "[2001:db8:1::1]:51820" 10.9.0.5 fd00:9::5 "$K/p4.psk" ||
		return 1
}

write_config()
{
	cat >"$itest_tmp/gw.yaml" <<EOF
# generated by test_wg_gateway.sh: fresh keys every run
$(gw_yaml_eal "${P}gw" "$VGW,qpairs=1" "$VGL,qpairs=1")
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24, "2001:db8:1::1/64"]
  - name: lan
    device: net_af_packet1
    address: [10.10.0.1/24, "fd00:10::1/64"]
wireguard:
  - name: $GWIF
    private_key_file: $K/gw.key
    listen_port: 51820
    address: [10.9.0.1/24, "fd00:9::1/64"]
    mtu: 1420
    peers:
      - public_key: "$P1PUB"
        endpoint: "198.18.0.2:51821"
        allowed_ips: [10.9.0.2/32, "fd00:9::2/128"]
      - public_key: "$P2PUB"
        preshared_key_file: $K/p2.psk
        allowed_ips: [10.9.0.3/32, "fd00:9::3/128"]
      - public_key: "$P4PUB"
        preshared_key: "$(cat "$K/p4gw.psk")"
        allowed_ips: [10.9.0.5/32, "fd00:9::5/128"]
telemetry: false
uapi: true
EOF
}

# Handshake messages (types 1-3) to and from the gateway, for the record and
# for counting handshakes independently of both ends. Captured on the
# bridge's end of the gateway's WAN veth: a tap on the gateway's own end
# does not see what the gateway sends (the af_packet PMD bypasses the qdisc
# layer, PACKET_QDISC_BYPASS, and with it the packet taps).
HS_FILTER='(ip and udp port 51820 and udp[8] < 4) or (ip6 and ip6[6] = 17 and (ip6[40:2] = 51820 or ip6[42:2] = 51820) and ip6[48] < 4)'
ND_FILTER='arp or (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)'
capture_start()
{
	((HAVE_TCPDUMP)) || return 0
	ip netns exec "$P-wan" tcpdump --immediate-mode -i "$VBG" -s 128 -U \
		-w "$itest_tmp/hs.pcap" \
		"$HS_FILTER" >"$itest_tmp/tcpdump.log" 2>&1 &
	bg_track $!
	# ARP and Neighbor Discovery on both sides, for neighbour problems
	ip netns exec "$P-wan" tcpdump --immediate-mode -i "$VBG" -s 128 -U \
		-w "$itest_tmp/nd-wan.pcap" \
		"$ND_FILTER" >>"$itest_tmp/tcpdump.log" 2>&1 &
	bg_track $!
	ip netns exec "$P-lan" tcpdump --immediate-mode -i "$VL" -s 128 -U \
		-w "$itest_tmp/nd-lan.pcap" \
		"$ND_FILTER" >>"$itest_tmp/tcpdump.log" 2>&1 &
	bg_track $!
	sleep 0.5
}

# nd_summary: the ARP/ND exchanges captured, when the gateway dropped
# packets waiting for a neighbour.
nd_summary()
{
	local side

	for side in wan lan; do
		[[ -s $itest_tmp/nd-$side.pcap ]] || continue
		echo "# ARP/ND on the $side side (time since the capture started):"
		tcpdump -n -ttttt -r "$itest_tmp/nd-$side.pcap" 2>/dev/null |
			sed 's/^/#   /' | tail -n 40
	done
}

# nd_forgotten: neighbours that answered every unicast probe (NS) of the
# gateway and were still resolved again from scratch (multicast NS) within
# 10 s: "TARGET" lines. RFC 4861 7.2.5: a solicited NA confirms the entry
# even without a target link-layer address option, which Linux leaves out
# when it answers a unicast NS.
nd_forgotten()
{
	local side

	for side in wan lan; do
		[[ -s $itest_tmp/nd-$side.pcap ]] || continue
		tcpdump -n -ttttt -r "$itest_tmp/nd-$side.pcap" 2>/dev/null
	done | awk -v gws="2001:db8:1::1 fd00:10::1" '
	BEGIN { n = split(gws, g, " "); for (i = 1; i <= n; i++) gw[g[i]] = 1 }
	{
		split($1, hms, ":"); t = hms[1] * 3600 + hms[2] * 60 + hms[3]
		src = $3; dst = $5; sub(/:$/, "", dst); tgt = $NF
	}
	/neighbor solicitation, who has/ && (src in gw) {
		tgt = $(NF - 2); sub(/,$/, "", tgt)
		if (dst ~ /^ff02::1:ff/) {
			if ((tgt in answered) && t - answered[tgt] < 10 && !(tgt in seen)) {
				print tgt; seen[tgt] = 1
			}
		} else
			probed[tgt] = t
	}
	/neighbor advertisement, tgt is/ && (dst in gw) {
		tgt = $(NF - 2); sub(/,$/, "", tgt)
		if (tgt in probed) answered[tgt] = t
	}'
}

# hs_summary: handshake messages captured so far, per source.
hs_summary()
{
	[[ -s $itest_tmp/hs.pcap ]] || { echo "(no handshake capture)"; return; }
	tcpdump -n -r "$itest_tmp/hs.pcap" 2>/dev/null | awk '
		{ for (i = 1; i <= NF; i++) if ($i == ">") { src = $(i - 1); dst = $(i + 1) } }
		{ t = "length " $NF }
		$NF == 148 { t = "initiation" } $NF == 92 { t = "response" }
		$NF == 64 { t = "cookie" }
		{ n[src " > " dst " " t]++ }
		END { for (k in n) printf "    %s x%d\n", k, n[k] }' | sort
}

# hs_count SRC DST LEN: handshake messages of LEN bytes (148 initiation,
# 92 response, 64 cookie reply) from address SRC to address DST.
hs_count()
{
	[[ -s $itest_tmp/hs.pcap ]] || { echo 0; return; }
	tcpdump -n -r "$itest_tmp/hs.pcap" 2>/dev/null |
		awk -v s="$1." -v d="$2." -v len="$3" '
		{ for (i = 1; i <= NF; i++) if ($i == ">") { src = $(i - 1); dst = $(i + 1) } }
		index(src, s) == 1 && index(dst, d) == 1 && $NF == len { n++ }
		END { print n + 0 }'
}

# ---- helpers ------------------------------------------------------------------

# tping NS [ping options] DST: three answers within 5 s (lost first packets,
# during a handshake, are retried).
tping()
{
	local ns=$1
	shift
	ip netns exec "$P-$ns" ping -n -c 3 -i 0.2 -w 5 "$@"
}

# no_ping NS DST: not a single answer within 4 s.
no_ping()
{
	if ip netns exec "$P-$1" ping -n -c 4 -i 0.5 -w 4 "$2"; then
		echo "unexpected: $2 answered"
		return 1
	fi
	return 0
}

# iperf_server PORT: a one-test iperf3 server on the LAN host, listening
# when this returns; its pid in IPERF_SPID.
iperf_server()
{
	ip netns exec "$P-lan" iperf3 -s -1 -p "$1" >"$itest_tmp/iperf-s$1.log" 2>&1 &
	IPERF_SPID=$!
	bg_track "$IPERF_SPID"
	for _ in $(seq 50); do
		ip netns exec "$P-lan" ss -Hltn "sport = :$1" 2>/dev/null | grep -q . &&
			return 0
		sleep 0.1
	done
}

iperf_server_done()
{
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	bg_untrack "$1"
}

MIN_MBPS=${MIN_MBPS:-50}

# iperf_check NAME NS PORT SECS iperf3-args...: a TCP transfer to the LAN host
iperf_check()
{
	local name=$1 ns=$2 port=$3 secs=$4 spid out rc mbps
	shift 4

	out=$itest_tmp/iperf-c$port.log
	iperf_server "$port"
	spid=$IPERF_SPID
	ip netns exec "$P-$ns" timeout $((secs + 20)) iperf3 -p "$port" -t "$secs" \
		-f m --connect-timeout 3000 "$@" >"$out" 2>&1
	rc=$?
	iperf_server_done "$spid"
	mbps=$(iperf_mbps "$out")
	if [[ $rc -eq 0 && -n $mbps ]] && awk -v m="$mbps" -v min="$MIN_MBPS" \
		'BEGIN { exit !(m > min) }'; then
		pass "$name: $(awk -v m="$mbps" 'BEGIN { printf "%.3f Gbit/s", m / 1000 }')"
	else
		fail "$name: exit $rc, ${mbps:-no} Mbit/s (minimum $MIN_MBPS)"
		tail -n 6 "$out" | sed 's/^/    /'
	fi
}

DUMP_MS=()	# "snapshot:milliseconds until the gateway's dump came"

# dumps_prompt: every SIGUSR1 dump came within 1 s
dumps_prompt()
{
	local x ms

	for x in "${DUMP_MS[@]}"; do
		ms=${x#*:}
		[[ $ms =~ ^[0-9]+$ ]] && ((ms <= 1000)) || return 1
	done
}

# snapshot NAME: the gateway's dump (SIGUSR1), then wireguard-go's byte
# counters, the peers' UDP counters and the packets the gateway's WAN veth
# received, all in $itest_tmp/*-NAME.txt.
snapshot()
{
	local n

	gw_dump "$itest_tmp/dump-$1.txt" >"$itest_tmp/dump-$1.err" 2>&1
	DUMP_MS+=("$1:${GW_DUMP_MS:-none}")
	for n in 1 2; do
		wg_peer_transfer "${P}w$n" "$GWPUB" >"$itest_tmp/wg$n-$1.txt" 2>/dev/null
	done
	udp_snmp p1 4 >"$itest_tmp/udp1-$1.txt"
	udp_snmp p2 6 >"$itest_tmp/udp2-$1.txt"
	ip -n "$P-gw" -s link show "$VGW" |
		awk 'p { print $2; exit } /RX:/ { p = 1 }' >"$itest_tmp/vgw-$1.txt"
}

# neigh_drops SNAPSHOT: packets the gateway dropped waiting for a neighbour
neigh_drops()
{
	awk '$1 == "stats" && $2 == "total:" && $3 == "drop" && $4 ~ /^neigh_/ {
		n += $5 } END { print n + 0 }' "$itest_tmp/dump-$1.txt"
}

# peer_stats SNAPSHOT N: the gateway's counters for peer N in a snapshot
peer_stats()
{
	local key

	key=$(pub "p$2")
	gw_peer_stats "$itest_tmp/dump-$1.txt" "$key"
}

# udp_snmp NS FAMILY: "IN OUT LOST" UDP datagrams of namespace NS (FAMILY 4
# or 6) since it was made: IN every datagram that reached UDP (delivered,
# refused for a full socket buffer, no port, other errors) or that IP
# refused for an address no longer ours (InAddrErrors: a peer that moved
# away from it), OUT sent, LOST those of IN that the receiver did not read
# (socket buffer full, no port, address gone).
udp_snmp()
{
	if [[ $2 == 4 ]]; then
		ip netns exec "$P-$1" awk '$1 == "Udp:" || $1 == "Ip:" {
			if (!h[$1]) { for (i = 2; i <= NF; i++) c[$1, $i] = i; h[$1] = 1; next }
			if ($1 == "Ip:") { ae = $c["Ip:", "InAddrErrors"]; next }
			in_ = $c["Udp:", "InDatagrams"] + $c["Udp:", "InErrors"] + $c["Udp:", "NoPorts"]
			out = $c["Udp:", "OutDatagrams"]
			lost = $c["Udp:", "RcvbufErrors"] + $c["Udp:", "NoPorts"]
		} END { print in_ + ae, out, lost + ae }' /proc/net/snmp
	else
		ip netns exec "$P-$1" awk '{ v[$1] = $2 } END {
			ae = v["Ip6InAddrErrors"]
			print v["Udp6InDatagrams"] + v["Udp6InErrors"] + v["Udp6NoPorts"] + ae,
				v["Udp6OutDatagrams"], v["Udp6RcvbufErrors"] + v["Udp6NoPorts"] + ae
		}' /proc/net/snmp6
	fi
}

# net_diag: where packets were lost, for the record.
net_diag()
{
	local n fam dropped=0 x

	echo "# kernel counters (UDP datagrams in/out/lost at the peers, link drops):"
	for n in 1 2; do
		fam=4
		[[ $n == 2 ]] && fam=6
		echo "#   p$n UDPv$fam in/out/lost: $(udp_snmp "p$n" $fam)"
	done
	echo "#   gateway WAN veth: $(ip -n "$P-gw" -s link show "$VGW" | awk 'p { print "RX packets " $2 " dropped " $4; exit } /RX:/ { p = 1 }')"
	echo "#   bridge end:       $(ip -n "$P-wan" -s link show "$VBG" | awk '/TX:/ { getline; print "TX packets " $2 " dropped " $4 }')"
	for x in $(awk '{ print $2 }' /proc/net/softnet_stat); do
		dropped=$((dropped + 16#$x))
	done
	echo "#   softnet backlog drops (whole host): $dropped"
	grep '^stats port' "$GWLOG" | tail -n 2 | sed 's/^/#   /'
}

# ---- the checks -----------------------------------------------------------------

test_plumbing()
{
	log "plumbing: the router answers on the WAN and LAN segments"
	check "p1 pings the gateway's WAN address 198.18.0.1 (bridge)" \
		tping p1 198.18.0.1
	check "p2 pings the gateway's WAN address 2001:db8:1::1 (bridge)" \
		tping p2 2001:db8:1::1
	check "p3 pings 198.18.0.1, p4 pings 2001:db8:1::1" \
		eval "tping p3 198.18.0.1 && tping p4 2001:db8:1::1"
	check "LAN host pings 10.10.0.1 and fd00:10::1" \
		eval "tping lan 10.10.0.1 && tping lan fd00:10::1"
}

test_pings()
{
	log "a. pings through the tunnel"
	# first: the gateway initiates (peer 1's endpoint is configured)
	check "LAN host -> peer 1 10.9.0.2 (gateway initiates the handshake)" \
		tping lan 10.9.0.2
	((HAVE_TCPDUMP)) && check "the gateway sent peer 1 the first initiation" \
		test "$(hs_count 198.18.0.1 198.18.0.2 148)" -ge 1
	check "p1 -> LAN 10.10.0.2 (IPv4 inner, IPv4 outer)" tping p1 10.10.0.2
	check "p1 -> LAN fd00:10::2 (IPv6 inner, IPv4 outer)" tping p1 fd00:10::2
	check "p1 -> gateway tunnel address 10.9.0.1" tping p1 10.9.0.1
	check "p1 -> gateway tunnel address fd00:9::1" tping p1 fd00:9::1
	check "p2 (psk) -> LAN fd00:10::2 (IPv6 inner, IPv6 outer)" \
		tping p2 fd00:10::2
	check "p2 (psk) -> LAN 10.10.0.2 (IPv4 inner, IPv6 outer)" \
		tping p2 10.10.0.2
	check "p2 -> gateway tunnel address 10.9.0.1" tping p2 10.9.0.1
	check "p2 -> gateway tunnel address fd00:9::1" tping p2 fd00:9::1
	check "LAN host -> peer 1 fd00:9::2" tping lan fd00:9::2
	check "LAN host -> peer 2 10.9.0.3 (endpoint learnt)" tping lan 10.9.0.3
	check "LAN host -> peer 2 fd00:9::3" tping lan fd00:9::3
	check "p2 handshake done (psk): wg show latest-handshakes != 0" \
		test "$(wg_peer_handshake "${P}w2" "$GWPUB")" != 0
}

REKEY_PID=
REKEY_SPID=
REKEY_H0=
REKEY_T0=

rekey_start()
{
	log "f. rekey: p2 -> LAN iperf3 -t $REKEY_SECS -b 20M in the background"
	REKEY_H0=$(wg_peer_handshake "${P}w2" "$GWPUB")
	REKEY_T0=$SECONDS
	iperf_server 5210
	REKEY_SPID=$IPERF_SPID
	ip netns exec "$P-p2" timeout $((REKEY_SECS + 60)) iperf3 -c 10.10.0.2 \
		-p 5210 -t "$REKEY_SECS" -b 20M -f m --connect-timeout 3000 \
		>"$itest_tmp/iperf-rekey.log" 2>&1 &
	REKEY_PID=$!
	bg_track "$REKEY_PID"
}

rekey_finish()
{
	local rc h1 n_init n_resp mbps

	log "f. rekey: waiting for the long transfer"
	wait "$REKEY_PID"
	rc=$?
	bg_untrack "$REKEY_PID"
	iperf_server_done "$REKEY_SPID"
	h1=$(wg_peer_handshake "${P}w2" "$GWPUB")
	mbps=$(iperf_mbps "$itest_tmp/iperf-rekey.log")
	if [[ $rc -eq 0 && -n $mbps ]]; then
		pass "rekey: TCP for $((SECONDS - REKEY_T0)) s (> REKEY_AFTER_TIME) survived, $mbps Mbit/s"
	else
		fail "rekey: iperf3 -t $REKEY_SECS exit $rc"
		tail -n 8 "$itest_tmp/iperf-rekey.log" | sed 's/^/    /'
	fi
	if [[ $REKEY_H0 != 0 && $h1 -gt $REKEY_H0 ]]; then
		pass "rekey: a new handshake during the transfer (p2 latest handshake $REKEY_H0 -> $h1)"
	else
		fail "rekey: no new handshake during the transfer (p2 latest handshake $REKEY_H0 -> $h1)"
	fi
	# the capture counts both ends' messages: at least two complete handshakes
	if [[ -s $itest_tmp/hs.pcap ]]; then
		n_init=$(($(hs_count 2001:db8:1::3 2001:db8:1::1 148) +
			$(hs_count 2001:db8:1::1 2001:db8:1::3 148)))
		n_resp=$(($(hs_count 2001:db8:1::3 2001:db8:1::1 92) +
			$(hs_count 2001:db8:1::1 2001:db8:1::3 92)))
		if ((n_init >= 2 && n_resp >= 2)); then
			pass "rekey: $n_init initiations, $n_resp responses between p2 and the gateway"
		else
			fail "rekey: $n_init initiations, $n_resp responses between p2 and the gateway (want >= 2 each)"
			hs_summary
		fi
	fi
}

test_iperf()
{
	log "b. iperf3 TCP, 10 s each way"
	iperf_check "iperf3 p1 -> LAN 10.10.0.2 (IPv4 inner, IPv4 outer)" p1 5201 10 -c 10.10.0.2
	iperf_check "iperf3 LAN 10.10.0.2 -> p1 (-R)" p1 5202 10 -c 10.10.0.2 -R
	iperf_check "iperf3 p2 -> LAN fd00:10::2 (IPv6 inner, IPv6 outer)" p2 5203 10 -c fd00:10::2
	iperf_check "iperf3 LAN fd00:10::2 -> p2 (-R)" p2 5204 10 -c fd00:10::2 -R
}

test_hub_spoke()
{
	log "c. hub and spoke: peer to peer through the gateway"
	check "p1 -> p2 10.9.0.3 through the gateway" tping p1 10.9.0.3
	check "p1 -> p2 fd00:9::3 through the gateway" tping p1 fd00:9::3
	check "p2 -> p1 10.9.0.2 through the gateway" tping p2 10.9.0.2
}

P1_LAST=0	# when peer 1 last carried traffic (for the quiet window)

test_roaming()
{
	local spid cpid rc mbps st ep dpid opid

	log "d. roaming: p1 moves from 198.18.0.2:51821 to 198.18.0.12:51831 during an iperf3"
	iperf_server 5220
	spid=$IPERF_SPID
	ip netns exec "$P-p1" timeout 40 iperf3 -c 10.10.0.2 -p 5220 -t 8 -f m \
		--connect-timeout 3000 >"$itest_tmp/iperf-roam.log" 2>&1 &
	cpid=$!
	bg_track "$cpid"
	# for the record: p1's packets to the gateway from any endpoint but
	# the old and the new one (there should be none, or a few from the new
	# address and the old port)
	if ((HAVE_TCPDUMP)); then
		ip netns exec "$P-wan" timeout 25 tcpdump --immediate-mode -n -l -i "$VBG" -Q out -c 100 \
			"udp and dst port 51820 and (src host 198.18.0.2 or src host 198.18.0.12) and not (src host 198.18.0.2 and src port 51821) and not (src host 198.18.0.12 and src port 51831)" \
			>"$itest_tmp/roam-odd.txt" 2>/dev/null &
		opid=$!
		bg_track "$opid"
	fi
	sleep 3
	# a new address replaces the old one (as when a laptop changes
	# networks), and a new port: wireguard-go rebinds. Only the removal
	# makes the move certain: wireguard-go keeps sending from the address
	# it last received on ("sticky" source) while it still exists.
	ip netns exec "$P-p1" sysctl -qw "net.ipv4.conf.${P}1.promote_secondaries=1"
	ip -n "$P-p1" addr add 198.18.0.12/24 dev "${P}1"
	ip -n "$P-p1" addr del 198.18.0.2/24 dev "${P}1"
	# the gateway's packets to the new endpoint, seen on the bridge
	if ((HAVE_TCPDUMP)); then
		ip netns exec "$P-wan" timeout 5 tcpdump --immediate-mode -n -i "$VBG" -c 3 -Q in \
			"ip and udp and src port 51820 and dst host 198.18.0.12 and dst port 51831" \
			>"$itest_tmp/roam.txt" 2>/dev/null &
		dpid=$!
	fi
	sleep 0.3
	wg set "${P}w1" listen-port 51831
	wait "$cpid"
	rc=$?
	bg_untrack "$cpid"
	iperf_server_done "$spid"
	mbps=$(iperf_mbps "$itest_tmp/iperf-roam.log")
	if [[ $rc -eq 0 && -n $mbps ]]; then
		pass "roaming: iperf3 continued across the move ($mbps Mbit/s)"
	else
		fail "roaming: iperf3 exit $rc across the move"
		tail -n 8 "$itest_tmp/iperf-roam.log" | sed 's/^/    /'
	fi
	if [[ -n ${dpid:-} ]]; then
		wait "$dpid"
		if grep -q '198.18.0.12.51831' "$itest_tmp/roam.txt"; then
			pass "roaming: the gateway sends to the new endpoint 198.18.0.12:51831"
		else
			fail "roaming: no packet from the gateway to 198.18.0.12:51831 within 5 s"
		fi
	fi
	check "roaming: LAN host -> p1 10.9.0.2 after the move" tping lan 10.9.0.2
	check "roaming: p1 -> LAN fd00:10::2 after the move" tping p1 fd00:10::2
	P1_LAST=$SECONDS
	snapshot roam
	st=$(peer_stats roam 1)
	ep=$(stat_field "$st" endpoint)
	if [[ $ep == 198.18.0.12:51831 ]]; then
		pass "roaming: the gateway's counters show p1's new endpoint $ep"
	else
		fail "roaming: the gateway's counters show p1's endpoint '${ep}', want 198.18.0.12:51831"
		sed 's/^/    /' "$itest_tmp/dump-roam.err" "$itest_tmp/dump-roam.txt" | head -20
	fi
	if [[ -n ${opid:-} ]]; then
		kill "$opid" 2>/dev/null
		wait "$opid" 2>/dev/null
		bg_untrack "$opid"
		echo "# p1's other source endpoints during the move (IP > gateway):"
		awk '{ for (i = 1; i <= NF; i++) if ($i == ">") print $(i - 1) }' \
			"$itest_tmp/roam-odd.txt" | sort | uniq -c | sed 's/^/#   /'
	fi
}

test_wrong_peers()
{
	local p3 p4 h3 h4 n st

	log "e. wrong peers: p3 unknown to the gateway, p4 with another psk"
	no_ping p3 10.10.0.2 >"$itest_tmp/p3.ping" 2>&1 &
	p3=$!
	no_ping p4 fd00:10::2 >"$itest_tmp/p4.ping" 2>&1 &
	p4=$!
	check "p2 (right psk) still -> LAN 10.10.0.2" tping p2 10.10.0.2
	check "p3 (unknown key): nothing through" wait "$p3"
	check "p4 (wrong psk): nothing through" wait "$p4"
	h3=$(wg_peer_handshake "${P}w3" "$GWPUB")
	h4=$(wg_peer_handshake "${P}w4" "$GWPUB")
	check "p3: no handshake (latest-handshakes $h3)" test "$h3" = 0
	check "p4: no handshake (latest-handshakes $h4)" test "$h4" = 0
	((HAVE_TCPDUMP)) && check "p3's initiations reached the gateway" \
		test "$(hs_count 198.18.0.4 198.18.0.1 148)" -gt 0
	check "LAN host -> p4 10.9.0.5: nothing through" no_ping lan 10.9.0.5
	snapshot wrong
	n=$(gw_if_drop "$itest_tmp/dump-wrong.txt" handshake_unknown_peer)
	check "the gateway counts p3's initiations as handshake_unknown_peer ($n)" \
		test "$n" -gt 0
	st=$(peer_stats wrong 4)
	check "the gateway: p4 (wrong psk) has no session (${st:-no counters})" \
		eval '[[ -n $st && $(stat_field "$st" handshake) == 0 &&
			$(stat_field "$st" rx_packets) == 0 ]]'
}

# hs_msgs "SRCS" "DSTS": handshake messages captured from any of SRCS to
# any of DSTS (addresses).
hs_msgs()
{
	local s d t n=0

	for s in $1; do
		for d in $2; do
			for t in 148 92 64; do
				n=$((n + $(hs_count "$s" "$d" $t)))
			done
		done
	done
	echo "$n"
}

# accounting SNAP N "PEER ADDRS" GWADDR: peer N's totals in snapshot SNAP,
# the gateway's against wireguard-go's and the kernel's. Under load packets
# are lost on the way, at the sender's expense: in the peer's UDP socket
# buffer (wireguard-go reads too slowly: RcvbufErrors) or in the gateway's
# af_packet RX ring (the veth received more than the port did). Every
# difference must be explained by those losses, counted independently;
# each lost datagram is at most 1452 bytes (MTU 1420 + 32).
accounting()
{
	local snap=$1 n=$2 paddrs=$3 gwaddr=$4 st slack=5 max=1452
	local gw_rxp gw_rxk gw_rxb gw_txp gw_txb wg_rx wg_tx u_in u_out u_lost
	local hs_in hs_out vgw ipk ring neigh arrived sent got

	st=$(peer_stats "$snap" "$n")
	if [[ -z $st ]]; then
		fail "counters: p$n totals: no per-peer counters in the dump"
		return
	fi
	gw_rxp=$(stat_field "$st" rx_packets)
	gw_rxk=$(stat_field "$st" rx_keepalives)
	gw_rxb=$(stat_field "$st" rx_bytes)
	gw_txp=$(stat_field "$st" tx_packets)
	gw_txb=$(stat_field "$st" tx_bytes)
	read -r wg_rx wg_tx <"$itest_tmp/wg$n-$snap.txt"
	read -r u_in u_out u_lost <"$itest_tmp/udp$n-$snap.txt"
	vgw=$(cat "$itest_tmp/vgw-$snap.txt")
	ipk=$(awk '$1 == "stats" && $2 == "port" && $3 == "wan:" { print $5 }' \
		"$itest_tmp/dump-$snap.txt" | tail -n 1)
	ring=$((vgw - ${ipk:-0}))
	neigh=$(neigh_drops "$snap")
	hs_out=$(hs_msgs "$gwaddr" "$paddrs")	# gateway -> peer
	hs_in=$(hs_msgs "$paddrs" "$gwaddr")	# peer -> gateway
	echo "    p$n: gateway rx $gw_rxp data + $gw_rxk keepalives, $gw_rxb B; tx $gw_txp data, $gw_txb B"
	echo "    p$n: wireguard-go rx $wg_rx B, tx $wg_tx B; UDP in $u_in (lost in its socket $u_lost), out $u_out"
	echo "    handshake messages gateway->p$n $hs_out, p$n->gateway $hs_in;" \
		"gateway's af_packet ring lost $ring (veth $vgw - port $ipk); neighbour drops $neigh"

	# gateway -> peer: every datagram the gateway sent reached the peer's UDP
	arrived=$u_in
	sent=$((gw_txp + hs_out))
	check "counters: p$n: datagrams at the peer $arrived = gateway's tx $gw_txp + $hs_out handshake (+-$slack, + keepalives, - $neigh neighbour drops)" \
		eval "((arrived >= sent - neigh - slack && arrived <= sent + slack + 10))"
	check "counters: p$n: wireguard-go rx $wg_rx B <= gateway tx $gw_txb B, the rest in the $u_lost datagrams it lost" \
		eval "((wg_rx <= gw_txb && gw_txb - wg_rx <= (u_lost + neigh + slack) * max))"
	# peer -> gateway: what it sent arrived, less what the ring lost
	got=$((gw_rxp + gw_rxk + hs_in))
	check "counters: p$n: gateway received $got of the $u_out datagrams p$n sent, <= $ring lost in its ring" \
		eval "((got <= u_out + slack && u_out - got <= ring + slack))"
	check "counters: p$n: gateway rx $gw_rxb B <= wireguard-go tx $wg_tx B, the rest in the ring's losses" \
		eval "((gw_rxb <= wg_tx + slack * 32 && wg_tx - gw_rxb <= (ring + slack) * max))"
}

# delta FIELD: st2's FIELD minus st1's ("?" if either lacks it)
delta()
{
	local a b

	a=$(stat_field "$st1" "$1")
	b=$(stat_field "$st2" "$1")
	if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
		echo $((b - a))
	else
		echo "?"
	fi
}

# the gateway's counters against wireguard-go's
test_counters()
{
	local st1 st2 a b wait_s n=20 h0
	local gw_rxp gw_rxb gw_txp gw_txb wg_rx wg_tx

	log "g. counters: a quiet window on peer 1 with $n pings"
	wait_s=$((P1_LAST + 12 - SECONDS))
	((wait_s > 0)) && sleep "$wait_s"	# wireguard-go's keepalive (10 s) has gone
	for _ in 1 2; do
		h0=$(wg_peer_handshake "${P}w1" "$GWPUB")
		snapshot q0
		ip netns exec "$P-p1" ping -n -q -c "$n" -i 0.05 -w 10 10.10.0.2 \
			>"$itest_tmp/quiet.ping" 2>&1
		snapshot q1
		st1=$(peer_stats q0 1)
		st2=$(peer_stats q1 1)
		# a handshake (rekey) inside the window adds its messages: again
		[[ $(wg_peer_handshake "${P}w1" "$GWPUB") == "$h0" ]] && break
		log "g. a handshake happened in the window: once more"
	done
	if [[ -z $st1 || -z $st2 ]]; then
		fail "counters: no per-peer counters for p1 in the SIGUSR1 dump"
		sed 's/^/    /' "$itest_tmp/dump-q1.err" "$itest_tmp/dump-q1.txt" | head -20
		return
	fi
	echo "    gateway, p1 before: $st1"
	echo "    gateway, p1 after:  $st2"
	read -r a b <"$itest_tmp/wg1-q0.txt"
	read -r wg_rx wg_tx <"$itest_tmp/wg1-q1.txt"
	wg_rx=$((wg_rx - a))
	wg_tx=$((wg_tx - b))
	echo "    wireguard-go p1 in the window: rx $wg_rx B, tx $wg_tx B"
	grep -E 'packets|rtt' "$itest_tmp/quiet.ping" | sed 's/^/    /'
	gw_rxp=$(delta rx_packets) gw_rxb=$(delta rx_bytes)
	gw_txp=$(delta tx_packets) gw_txb=$(delta tx_bytes)
	# 84-byte echo, padded to 96, + 32: 128 bytes on the wire each
	check "counters: wireguard-go sent exactly $n data messages in the window (test sanity)" \
		test "$wg_tx" -eq $((n * 128))
	check "counters: gateway rx packets +$gw_rxp for $n pings" test "$gw_rxp" -eq "$n"
	check "counters: gateway tx packets +$gw_txp for $n replies" test "$gw_txp" -eq "$n"
	check "counters: gateway rx bytes +$gw_rxb = wireguard-go tx bytes +$wg_tx" \
		test "$gw_rxb" -eq "$wg_tx"
	check "counters: gateway tx bytes +$gw_txb = wireguard-go rx bytes +$wg_rx" \
		test "$gw_txb" -eq "$wg_rx"
	# totals since the start
	accounting q1 1 "198.18.0.2 198.18.0.12" 198.18.0.1
	test_wg_show q1
}

# test_wg_show SNAP: the gateway's wg(8) socket (uapi: true) tells what its
# dump of snapshot SNAP told, read with the stock wg tool.
test_wg_show()
{
	local st1 a

	if ! check "the gateway serves wg(8) on $GWSOCK" wg show "$GWIF"; then
		return
	fi
	st1=$(peer_stats "$1" 1)
	check "wg show $GWIF: public key and listen port" \
		eval '[[ $(wg show "$GWIF" public-key) == "$GWPUB" &&
			$(wg show "$GWIF" listen-port) == 51820 ]]'
	a=$(wg show "$GWIF" peers | sort | tr '\n' ' ')
	check "wg show $GWIF peers: p1, p2 and p4, not p3" \
		test "$a" = "$(printf '%s\n' "$P1PUB" "$P2PUB" "$P4PUB" | sort | tr '\n' ' ')"
	a=$(wg show "$GWIF" endpoints | awk -v k="$P1PUB" '$1 == k { print $2 }')
	check "wg show $GWIF endpoints: p1 at $a (roamed)" test "$a" = 198.18.0.12:51831
	a=$(wg_peer_transfer "$GWIF" "$P1PUB")
	check "wg show $GWIF transfer: p1 '$a' = the dump's rx_bytes tx_bytes" \
		test "$a" = "$(stat_field "$st1" rx_bytes) $(stat_field "$st1" tx_bytes)"
	a=$(wg show "$GWIF" latest-handshakes | awk -v k="$P1PUB" '$1 == k { print $2 }')
	check "wg show $GWIF latest-handshakes: p1 $a = the dump's" \
		test "$a" = "$(stat_field "$st1" handshake)"
	a=$(wg show "$GWIF" latest-handshakes | awk -v k="$P4PUB" '$1 == k { print $2 }')
	check "wg show $GWIF latest-handshakes: p4 (wrong psk) ${a:-missing}, never" \
		test "$a" = 0
	check "wg show $GWIF: no key in the output" \
		eval '! wg show "$GWIF" | grep -qF -e "$(cat "$K/gw.key")" -e "$(cat "$K/p2.psk")"'
}

test_shutdown()
{
	local st key n n0

	log "g. counters: p2's totals, after the long transfer"
	snapshot end0
	accounting end0 2 2001:db8:1::3 2001:db8:1::1
	if ((HAVE_TCPDUMP)); then
		n=$(nd_forgotten | tr '\n' ' ')
		if [[ -z $n ]]; then
			pass "the gateway keeps IPv6 neighbours that answer its probes"
		else
			fail "the gateway resolved again neighbours that answered its unicast probes: $n(solicited NAs without a target link-layer address option ignored)"
			nd_summary | grep -E "neighbor (solicitation|advertisement)" |
				grep -F -e "${n%% *}" | tail -n 8
		fi
	fi
	# Neighbours that answer every probe are never lost: packets wait for
	# a neighbour only while a new address is resolved (p1's move).
	n0=$(neigh_drops roam)
	n=$(neigh_drops end0)
	if ((n == n0)); then
		pass "no packet dropped waiting for a known neighbour after the move ($n0 during it)"
	else
		fail "$((n - n0)) packets dropped waiting for neighbours the gateway already knew (after the move; $n0 during it)"
		grep '^stats total: drop neigh_' "$itest_tmp/dump-end0.txt" | sed 's/^/    /'
		nd_summary
	fi

	# informational: on a shared machine other processes' busy-polling
	# threads on the control lcore's CPU can delay it by seconds
	if dumps_prompt; then
		echo "# SIGUSR1 answered within 1 s each time (${DUMP_MS[*]} ms)"
	else
		echo "# note: a SIGUSR1 dump came late (${DUMP_MS[*]} ms): CPU $(
			awk '{ print $39 }' "/proc/$GW_PID/stat") is shared with:"
		ps -eLo psr,pcpu,comm --sort=-pcpu | awk -v c="$(awk '{ print $39 }' \
			"/proc/$GW_PID/stat")" '$1 == c && $2 > 5' | head -n 5 | sed 's/^/#   /'
	fi

	log "h. SIGTERM"
	check "SIGTERM: clean shutdown, exit 0" gw_stop_clean TERM 30
	# the shutdown dump: what follows "dpdk-wg: stopping"
	sed -n '/^dpdk-wg: stopping/,$p' "$GWLOG" >"$itest_tmp/dump-end.txt"
	for n in 1 2 4; do
		key=$(pub "p$n")
		st=$(gw_peer_stats "$itest_tmp/dump-end.txt" "$key")
		check "shutdown dump lists peer $n: ${st:-missing}" test -n "$st"
	done
	n=$(gw_if_drop "$itest_tmp/dump-end.txt" handshake_unknown_peer)
	check "shutdown dump: handshake_unknown_peer $n (p3)" test "$n" -gt 0
	if [[ -e $GWSOCK ]]; then
		fail "the wg(8) socket $GWSOCK is left behind after exit"
	fi

	log "h. a second start, SIGINT right away"
	if gw_start gw "$itest_tmp/gw.yaml" "$itest_tmp/gw2.log" >"$itest_tmp/gw2.err" 2>&1; then
		check "SIGINT: clean shutdown, exit 0" gw_stop_clean INT 30
	else
		fail "second start of the gateway"
		sed 's/^/    /' "$itest_tmp/gw2.err"
		tail -n 15 "$itest_tmp/gw2.log" | sed 's/^/    /'
	fi
}

keep_logs()
{
	[[ -n ${KEEP_LOGS:-} ]] || return 0
	mkdir -p "$KEEP_LOGS" && cp "$itest_tmp"/*.log "$itest_tmp"/*.txt "$itest_tmp"/*.err \
		"$itest_tmp"/*.pcap "$itest_tmp/gw.yaml" "$KEEP_LOGS"/ 2>/dev/null
	echo "# logs kept in $KEEP_LOGS"
}

# ---- main -------------------------------------------------------------------

log "topology: namespaces $P-{gw,wan,lan,p1,p2,p3,p4}, bridge, veths, 4 x wireguard-go"
if ! setup_net >"$itest_tmp/setup.log" 2>&1; then
	fail "topology (namespaces, bridge, veths, wireguard-go)"
	sed 's/^/    /' "$itest_tmp/setup.log"
	itest_finish
fi
write_config
capture_start
log "starting $GW_BIN"
if ! gw_start gw "$itest_tmp/gw.yaml" "$GWLOG" >"$itest_tmp/start.err" 2>&1; then
	fail "gateway started"
	sed 's/^/    /' "$itest_tmp/start.err"
	tail -n 30 "$GWLOG" | sed 's/^/    /'
	keep_logs
	itest_finish
fi
pass "gateway started (pid $GW_PID)"
sed -n '/^port /,/^dpdk-wg: ready/p' "$GWLOG" | sed 's/^/    /'

test_plumbing
test_pings
rekey_start
test_iperf
test_hub_spoke
test_roaming
test_wrong_peers
test_counters
rekey_finish
echo "# handshake messages to and from the gateway:"
hs_summary
net_diag
test_shutdown
if ((itest_failed)); then
	echo "---- gateway output (tail) ----"
	tail -n 60 "$GWLOG"
fi
keep_logs
log "done"
itest_finish
