# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Helpers shared by scripts/demo.sh and tests/integration/test_wg_gateway.sh:
# reading the per-peer counters of a gateway started with lib.sh's gw_start,
# reading wireguard-go's. Source tests/integration/lib.sh first (namespaces,
# veths, process tracking, gw_start/gw_stop, cleanup); these helpers only
# add to it.
#
#   gw_dump OUT              SIGUSR1, the gateway's new output into OUT
#   gw_peer_stats DUMP KEY   one peer's counters from a dump, normalised
#   wg_peer_transfer IF KEY  "rx tx" bytes of wireguard-go's peer KEY
#
# The gateway's processes are stopped by their pid only, never by name.

# gw_handles SIGNUM: the gateway catches this signal (its default action,
# for SIGUSR1, would kill it).
gw_handles()
{
	local mask

	[[ -n $GW_PID ]] || return 1
	mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$GW_PID/status" 2>/dev/null)
	[[ -n $mask ]] && (((0x$mask >> ($1 - 1)) & 1))
}

# gw_dump OUT: asks the gateway for its counters (SIGUSR1) and copies what
# it printed since into OUT. GW_DUMP_MS is how long the first line took to
# come (milliseconds). 1 if it does not handle SIGUSR1 (not sent: that
# would kill it) or printed nothing within 20 s.
GW_DUMP_MS=
gw_dump()
{
	local out=$1 size now last=-1 stable=0 t0

	: >"$out"
	GW_DUMP_MS=
	if ! gw_handles 10; then
		echo "dpdk-wg (pid ${GW_PID:-none}) does not handle SIGUSR1: no counter dump"
		return 1
	fi
	size=$(stat -c %s "$GW_LOG")
	t0=$(date +%s%N)
	kill -USR1 "$GW_PID"
	for _ in $(seq 400); do
		sleep 0.05
		now=$(stat -c %s "$GW_LOG")
		if ((now > size)); then
			[[ -n $GW_DUMP_MS ]] ||
				GW_DUMP_MS=$((($(date +%s%N) - t0) / 1000000))
			# done when the output stopped growing for 0.3 s
			if ((now == last)); then
				((++stable >= 6)) && break
			else
				stable=0
			fi
		fi
		last=$now
	done
	tail -c "+$((size + 1))" "$GW_LOG" >"$out"
	if [[ ! -s $out ]]; then
		echo "dpdk-wg printed nothing within 20 s of SIGUSR1"
		return 1
	fi
}

# gw_peer_stats DUMP PUBKEY: the counters of one peer in a gateway dump
# (SIGUSR1 or shutdown), lib/gateway/wg_control.c gw_wg_print():
#   peer IF KEY: id N endpoint E rx_packets N rx_keepalives N rx_bytes N
#                tx_packets N tx_bytes N latest_handshake EPOCH_S
# normalised to one line (the last such line of the dump):
#   rx_packets=N rx_keepalives=N rx_bytes=N tx_packets=N tx_bytes=N
#   endpoint=E handshake=EPOCH_S
# 1 if the peer is not in it.
gw_peer_stats()
{
	awk -v key="$2" '
	$1 == "peer" {
		for (k = 2; k <= 3 && k <= NF; k++)
			if ($k == key ":")
				break
		if (k > 3 || k > NF)
			next
		delete v
		for (i = k + 1; i < NF; i += 2)
			v[$i] = $(i + 1)
		line = sprintf("rx_packets=%s rx_keepalives=%s rx_bytes=%s tx_packets=%s tx_bytes=%s endpoint=%s handshake=%s",
			v["rx_packets"], v["rx_keepalives"], v["rx_bytes"],
			v["tx_packets"], v["tx_bytes"], v["endpoint"],
			v["latest_handshake"])
	}
	END { if (line == "") exit 1; print line }' "$1"
}

# gw_if_drop DUMP REASON: a drop counter of the WireGuard interfaces
# ("wireguard IF: drop REASON N", summed), 0 if absent.
gw_if_drop()
{
	awk -v r="$2" '$1 == "wireguard" && $3 == "drop" && $4 == r { n += $5 }
		END { print n + 0 }' "$1"
}

# stat_field "LINE" NAME: one field of a gw_peer_stats line.
stat_field()
{
	local f

	for f in $1; do
		[[ $f == "$2="* ]] && { echo "${f#*=}"; return 0; }
	done
	return 1
}

# wg_peer_transfer IF PUBKEY: "RX TX" bytes of wireguard-go's peer PUBKEY.
wg_peer_transfer()
{
	wg show "$1" transfer 2>/dev/null |
		awk -v k="$2" '$1 == k { print $2, $3; f = 1 } END { exit !f }'
}

# iperf_mbps FILE: the receiver's rate in Mbit/s from iperf3 text output.
iperf_mbps()
{
	awk '/receiver$/ {
		for (i = 1; i < NF; i++)
			if ($(i + 1) ~ /bits\/sec$/) {
				r = $i; u = $(i + 1)
				if (u ~ /^K/) r /= 1000
				else if (u ~ /^G/) r *= 1000
				else if (u !~ /^M/) r /= 1000000
			}
	} END { if (r == "") exit 1; printf "%.1f\n", r }' "$1"
}
