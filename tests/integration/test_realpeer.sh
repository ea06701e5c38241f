#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# The WireGuard protocol core (lib/wireguard) against a real peer.
#
# wg_udp_peer drives the core over an ordinary UDP socket in namespace
# "us"; wireguard-go, configured with wg(8), runs in namespace "them"; one
# veth joins them (IPv4 and IPv6 outer). The cases: responder and
# initiator over IPv4 and IPv6 outer with ICMP echo inside the tunnel both
# ways (IPv4 and IPv6 inner), key changes with `wg set` (peer private key,
# preshared key, our own private key), and wrong keys rejected.
#
#   WG_UDP_PEER=build/tests/integration/wg_udp_peer test_realpeer.sh

. "$(dirname "$0")/lib.sh"

itest_init
if ! command -v wireguard-go >/dev/null || ! command -v wg >/dev/null; then
	echo "SKIP: wireguard-go and wg (wireguard-tools) are needed"
	exit 77
fi

DRV_BIN=${WG_UDP_PEER:-$BUILD/tests/integration/wg_udp_peer}
if [[ ! -x $DRV_BIN ]]; then
	echo "FAIL: driver $DRV_BIN not built (set WG_UDP_PEER)"
	exit 1
fi

# A driver that exits takes its end of the pipes with it: never die of it.
trap '' PIPE
umask 077

WGIF=${P}wg		# unique: the wireguard-go socket is not per namespace
VU=${P}u		# veth end in "us"
VT=${P}t		# veth end in "them"
WG_PORT=51820
US4=192.0.2.1
THEM4=192.0.2.2
US6=2001:db8:99::1
THEM6=2001:db8:99::2
AIPS_US=10.99.0.1/32,fd00:99::1/128	# what wireguard-go routes to us
K=$itest_tmp/keys

drv_pid=
drv_in=
drv_out=
drv_log=
drv_logs=()
DRV_REPLY=

# genkey NAME: private key in $K/NAME.key, public key in $K/NAME.pub
genkey()
{
	wg genkey >"$K/$1.key" && wg pubkey <"$K/$1.key" >"$K/$1.pub"
}

pub()
{
	cat "$K/$1.pub"
}

# ---- the driver, a coprocess in namespace "us" ------------------------

# drv_start NAME ARGS...: starts wg_udp_peer and waits for "ready".
drv_start()
{
	local name=$1 line

	shift
	drv_log=$itest_tmp/drv-$name.log
	drv_logs+=("$drv_log")
	coproc DRV {
		exec ip netns exec "$P-us" "$DRV_BIN" "$@" 2>>"$drv_log"
	}
	drv_pid=$DRV_PID
	drv_out=${DRV[0]}
	drv_in=${DRV[1]}
	bg_track "$drv_pid"
	if ! read -r -t 5 -u "$drv_out" line || [[ $line != ready* ]]; then
		echo "driver $name did not start: '$line'"
		return 1
	fi
}

# drv_cmd CMD TIMEOUT_S: one command, its one result line in DRV_REPLY.
drv_cmd()
{
	DRV_REPLY=
	if [[ -z $drv_pid ]] || ! kill -0 "$drv_pid" 2>/dev/null; then
		echo "driver not running"
		return 1
	fi
	printf '%s\n' "$1" >&"$drv_in" || return 1
	if ! read -r -t "$2" -u "$drv_out" DRV_REPLY; then
		# only the command word: the rest may be a key
		echo "no reply to '${1%% *}' within $2 s"
		return 1
	fi
}

proc_gone()
{
	[[ ! -e /proc/$1 ]] || grep -q '^[^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# drv_stop: "quit", then its exit status (ASan/UBSan/LSan make it fail).
drv_stop()
{
	local pid=$drv_pid rc

	[[ -n $pid ]] || return 0
	drv_cmd quit 5
	for _ in $(seq 50); do
		proc_gone "$pid" && break
		sleep 0.1
	done
	if ! proc_gone "$pid"; then
		echo "driver did not quit: stopping it"
		kill -TERM "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	bg_untrack "$pid"
	drv_pid=
	echo "driver exit status $rc"
	[[ -s $drv_log ]] && tail -20 "$drv_log"
	return "$rc"
}

# drv_ping ADDR COUNT TIMEOUT_MS: every echo answered.
drv_ping()
{
	drv_cmd "ping $1 $2 $3" $(($3 / 1000 + 5)) || return 1
	echo "$DRV_REPLY"
	[[ $DRV_REPLY == "ping $1 sent $2 received $2" ]]
}

# drv_ping_fails ADDR COUNT TIMEOUT_MS: not a single echo answered.
drv_ping_fails()
{
	drv_cmd "ping $1 $2 $3" $(($3 / 1000 + 5)) || return 1
	echo "$DRV_REPLY"
	[[ $DRV_REPLY == "ping $1 sent "*" received 0" ]]
}

drv_expect()
{
	drv_cmd "$1" "$2" || return 1
	echo "$DRV_REPLY"
	[[ $DRV_REPLY == "$3" ]]
}

# drv_stats NAME==V NAME>=V NAME>V ...: the driver's counters.
drv_stats()
{
	local e name op want have

	drv_cmd stats 5 || return 1
	echo "$DRV_REPLY"
	for e in "$@"; do
		if [[ ! $e =~ ^([a-z0-9_]+)(==|>=|>)(.+)$ ]]; then
			echo "bad expectation $e"
			return 1
		fi
		name=${BASH_REMATCH[1]}
		op=${BASH_REMATCH[2]}
		want=${BASH_REMATCH[3]}
		have=$(sed -n "s/.* $name=\([^ ]*\).*/\1/p" <<<"$DRV_REPLY")
		case $op in
		'==') [[ $have == "$want" ]] ;;
		'>=') [[ $have =~ ^[0-9]+$ ]] && ((have >= want)) ;;
		'>') [[ $have =~ ^[0-9]+$ ]] && ((have > want)) ;;
		esac || {
			echo "expected $e, have $name=$have"
			return 1
		}
	done
}

# drv_stat NAME: prints one counter.
drv_stat()
{
	drv_cmd stats 5 || return 1
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$DRV_REPLY"
}

# ---- wireguard-go in namespace "them" ---------------------------------

wgc()
{
	nsexec them wg "$@"
}

# wg_field WHAT PUB: one column of `wg show IF WHAT` for a peer.
wg_field()
{
	wgc show "$WGIF" "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

wg_handshake_seen()
{
	local t

	t=$(wg_field latest-handshakes "$1")
	echo "latest-handshake: ${t:-none}"
	[[ -n $t && $t != 0 ]]
}

wg_handshake_never()
{
	local t

	t=$(wg_field latest-handshakes "$1")
	echo "latest-handshake: ${t:-none}"
	[[ $t == 0 ]]
}

wg_traffic_seen()
{
	local line

	line=$(wgc show "$WGIF" transfer | awk -v k="$1" '$1 == k')
	echo "transfer: $line"
	[[ -n $line ]] && awk '{ exit !($2 > 0 && $3 > 0) }' <<<"$line"
}

wg_endpoint_is()
{
	local ep

	ep=$(wg_field endpoints "$1")
	echo "endpoint: $ep"
	[[ $ep == "$2" ]]
}

# them_ping ADDR: three echoes from wireguard-go's side, all answered.
them_ping()
{
	nsexec them ping -c 3 -i 0.2 -w 8 "$1"
}

them_ping_fails()
{
	! nsexec them ping -c 2 -i 0.2 -w 3 "$1"
}

# ---- topology ----------------------------------------------------------

setup()
{
	local ns

	mkdir -p "$K" || return 1
	ns_add us || return 1
	ns_add them || return 1
	veth_add "$VU" us "$VT" them || return 1
	nsexec us ip addr add "$US4/24" dev "$VU" || return 1
	nsexec us ip addr add "$US6/64" dev "$VU" nodad || return 1
	nsexec them ip addr add "$THEM4/24" dev "$VT" || return 1
	nsexec them ip addr add "$THEM6/64" dev "$VT" nodad || return 1

	genkey wg1 && genkey wg2 && wg genpsk >"$K/psk1" &&
		wg genpsk >"$K/psk2" || return 1
	if ! wggo_start them "$WGIF"; then
		[[ -c /dev/net/tun ]] || echo "no /dev/net/tun for wireguard-go"
		return 1
	fi
	wgc set "$WGIF" private-key "$K/wg1.key" listen-port "$WG_PORT" ||
		return 1
	nsexec them ip addr add 10.99.0.2/24 dev "$WGIF" || return 1
	nsexec them ip addr add fd00:99::2/64 dev "$WGIF" nodad || return 1
	nsexec them ip link set "$WGIF" up || return 1

	# link-local addresses finish DAD too: no tentative address left
	for _ in $(seq 50); do
		if [[ -z $(nsexec us ip -6 addr show tentative) &&
		      -z $(nsexec them ip -6 addr show tentative) ]]; then
			break
		fi
		sleep 0.1
	done
	nsexec us ping -c 1 -w 3 "$THEM4" && nsexec us ping -c 1 -w 3 "$THEM6"
}

# drv_args KEY PORT PEERKEY: the usual command line.
drv_args()
{
	DRV_ARGS=(--private-key-file "$K/$1.key" --listen "$2" --peer "$3"
		--allowed-ip 10.99.0.2/32 --allowed-ip fd00:99::2/128
		--addr 10.99.0.1 --addr fd00:99::1)
}

check "topology: namespaces, veth, wireguard-go $WGIF" setup
((itest_failed == 0)) || itest_finish

# ---- a. responder, IPv4 outer ------------------------------------------
genkey a
drv_args a 40001 "$(pub wg1)"
check "a: driver starts (responder, no endpoint)" drv_start a "${DRV_ARGS[@]}"
wgc set "$WGIF" peer "$(pub a)" allowed-ips "$AIPS_US" endpoint "$US4:40001"
check "a: wireguard-go initiates, IPv4 outer; ping 10.99.0.1 answered" \
	them_ping 10.99.0.1
check "a: ping -6 fd00:99::1 answered" them_ping fd00:99::1
check "a: we were the responder" drv_stats rx_initiations'>='1 \
	tx_responses'>='1 tx_initiations==0 handshake==yes \
	echo_requests'>='6 "endpoint==$THEM4:$WG_PORT" \
	drop_decrypt==0 drop_handshake_invalid==0
check "a: our ping 10.99.0.2 over the session" drv_ping 10.99.0.2 3 5000
check "a: our ping fd00:99::2 over the session" drv_ping fd00:99::2 3 5000
check "a: wireguard-go: handshake and transfer" \
	eval 'wg_handshake_seen "$(pub a)" && wg_traffic_seen "$(pub a)"'
check "a: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub a)" remove

# ---- b. initiator, IPv4 outer -------------------------------------------
genkey b
wgc set "$WGIF" peer "$(pub b)" allowed-ips "$AIPS_US"
drv_args b 40002 "$(pub wg1)"
check "b: driver starts (initiator, endpoint $THEM4:$WG_PORT)" \
	drv_start b "${DRV_ARGS[@]}" --endpoint "$THEM4:$WG_PORT"
check "b: we initiate, IPv4 outer; our ping 10.99.0.2" \
	drv_ping 10.99.0.2 3 5000
check "b: we were the initiator" drv_stats tx_initiations'>='1 \
	rx_responses'>='1 rx_initiations==0 handshake==yes
check "b: our ping fd00:99::2" drv_ping fd00:99::2 3 5000
check "b: wireguard-go learnt our endpoint" \
	wg_endpoint_is "$(pub b)" "$US4:40002"
check "b: wireguard-go pings us back (10.99.0.1)" them_ping 10.99.0.1
check "b: wireguard-go pings us back (fd00:99::1)" them_ping fd00:99::1
check "b: wireguard-go: handshake and transfer" \
	eval 'wg_handshake_seen "$(pub b)" && wg_traffic_seen "$(pub b)"'
check "b: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub b)" remove

# ---- c. both roles, IPv6 outer ------------------------------------------
genkey c
drv_args c 40003 "$(pub wg1)"
check "c: driver starts (responder)" drv_start c "${DRV_ARGS[@]}"
wgc set "$WGIF" peer "$(pub c)" allowed-ips "$AIPS_US" \
	endpoint "[$US6]:40003"
check "c: wireguard-go initiates, IPv6 outer; ping 10.99.0.1" \
	them_ping 10.99.0.1
check "c: ping -6 fd00:99::1" them_ping fd00:99::1
check "c: we were the responder over IPv6" drv_stats rx_initiations'>='1 \
	tx_responses'>='1 tx_initiations==0 handshake==yes \
	"endpoint==[$THEM6]:$WG_PORT"
check "c: our ping 10.99.0.2" drv_ping 10.99.0.2 3 5000
check "c: our ping fd00:99::2" drv_ping fd00:99::2 3 5000
check "c: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub c)" remove

genkey d
wgc set "$WGIF" peer "$(pub d)" allowed-ips "$AIPS_US"
drv_args d 40004 "$(pub wg1)"
check "c: driver starts (initiator, endpoint [$THEM6]:$WG_PORT)" \
	drv_start d "${DRV_ARGS[@]}" --endpoint "[$THEM6]:$WG_PORT"
check "c: we initiate, IPv6 outer; our ping 10.99.0.2" \
	drv_ping 10.99.0.2 3 5000
check "c: our ping fd00:99::2" drv_ping fd00:99::2 3 5000
check "c: we were the initiator" drv_stats tx_initiations'>='1 \
	rx_responses'>='1 rx_initiations==0 handshake==yes
check "c: wireguard-go learnt our IPv6 endpoint" \
	wg_endpoint_is "$(pub d)" "[$US6]:40004"
check "c: wireguard-go pings us back (10.99.0.1, fd00:99::1)" \
	eval 'them_ping 10.99.0.1 && them_ping fd00:99::1'

# ---- d. key changes with wg set (driver d goes on) ----------------------
# wireguard-go's private key changes; we learn its new public key.
sessions=$(drv_stat sessions)
wgc set "$WGIF" private-key "$K/wg2.key"
check "d: peer-key (wireguard-go's new public key)" \
	drv_expect "peer-key $(pub wg2)" 5 "peer-key ok"
check "d: our ping after wireguard-go's key change" \
	drv_ping 10.99.0.2 3 5000
check "d: a fresh handshake under the new key" \
	drv_expect "wait-handshake 5000" 10 "handshake ok"
check "d: one more session" drv_stats "sessions>$sessions" \
	drop_handshake_invalid==0
check "d: wireguard-go pings us under the new key" \
	eval 'them_ping 10.99.0.1 && them_ping fd00:99::1'

# A preshared key on both sides: the session goes on...
check "d: psk on our side" drv_expect "psk $(cat "$K/psk1")" 5 "psk ok"
wgc set "$WGIF" peer "$(pub d)" preshared-key "$K/psk1"
check "d: traffic goes on after the psk change" drv_ping 10.99.0.2 3 5000
# ...and the next handshake proves it: our private key changes too.
genkey e
sessions=$(drv_stat sessions)
check "d: private-key-file (our new key)" \
	drv_expect "private-key-file $K/e.key" 5 "private-key ok"
wgc set "$WGIF" peer "$(pub d)" remove peer "$(pub e)" \
	preshared-key "$K/psk1" allowed-ips "$AIPS_US" endpoint "[$US6]:40004"
check "d: our ping: fresh handshake with the psk and our new key" \
	drv_ping 10.99.0.2 3 5000
check "d: handshake with the psk" \
	drv_expect "wait-handshake 5000" 10 "handshake ok"
check "d: one more session, no failed handshake" \
	drv_stats "sessions>$sessions" drop_handshake_invalid==0
check "d: wireguard-go: handshake with the psk" wg_handshake_seen "$(pub e)"
check "d: wireguard-go pings us (psk session)" \
	eval 'them_ping 10.99.0.1 && them_ping fd00:99::1'
check "d: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub e)" remove

# ---- e. wrong keys are rejected -----------------------------------------
# Our driver has a wrong public key for wireguard-go.
genkey f
genkey wrong
wgc set "$WGIF" peer "$(pub f)" allowed-ips "$AIPS_US" endpoint "$US4:40006"
drv_args f 40006 "$(pub wrong)"
check "e: driver starts (wrong peer public key)" \
	drv_start f "${DRV_ARGS[@]}" --endpoint "$THEM4:$WG_PORT"
check "e: our ping fails (wireguard-go drops our initiation)" \
	drv_ping_fails 10.99.0.2 2 2000
check "e: wireguard-go's ping fails (its initiation: unknown peer)" \
	them_ping_fails 10.99.0.1
check "e: no session; unknown-peer drops counted" drv_stats \
	sessions==0 handshake==no tx_initiations'>='1 rx_responses==0 \
	drop_handshake_unknown_peer'>='1
check "e: wireguard-go: no handshake" wg_handshake_never "$(pub f)"
check "e: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub f)" remove

# wireguard-go has a preshared key that we lack (IPv6 outer).
genkey g
wgc set "$WGIF" peer "$(pub g)" allowed-ips "$AIPS_US" \
	preshared-key "$K/psk2" endpoint "[$US6]:40007"
drv_args g 40007 "$(pub wg2)"
check "e: driver starts (no psk)" \
	drv_start g "${DRV_ARGS[@]}" --endpoint "[$THEM6]:$WG_PORT"
check "e: our ping fails (the response does not authenticate)" \
	drv_ping_fails 10.99.0.2 2 2000
check "e: wireguard-go's ping fails" them_ping_fails fd00:99::1
check "e: no session; invalid handshakes counted" drv_stats \
	handshake==no rx_responses==0 drop_handshake_invalid'>='1 \
	echo_requests==0 rx_data==0
check "e: wireguard-go: no handshake" wg_handshake_never "$(pub g)"
check "e: driver exits cleanly" drv_stop
wgc set "$WGIF" peer "$(pub g)" remove

for log in "${drv_logs[@]}"; do
	if [[ -s $log ]]; then
		echo "--- $(basename "$log")"
		head -50 "$log"
	fi
done
itest_finish
