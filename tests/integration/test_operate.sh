#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Operating the running gateway: its wg(8) socket driven by the stock wg
# tool, its DPDK telemetry commands (/wg/...) read by dpdk-telemetry.py,
# paged with 300 peers, and its Prometheus endpoint (metrics:) read by curl.
#
#   "them" ns                          gateway ns                  lan ns
#   wireguard-go  10.9.0.2/24          dpdk-wg  port wan 198.18.0.1/24
#   198.18.0.2/24  veth -------------- (af_packet)
#                                               port lan 10.10.0.1/24 --- 10.10.0.2/24
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
GW_BIN=$BUILD/app/dpdk-wg

itest_need ip ethtool ping wg wireguard-go python3 timeout curl
[ -x "$GW_BIN" ] || { echo "FAIL: $GW_BIN not built"; exit 1; }

WG=o$P			# the gateway's wireguard interface (wg(8) name)
WGGO=g$P		# wireguard-go's interface in "them"
GWPFX=dwgop$P		# EAL --file-prefix: telemetry socket directory
TMP=$itest_tmp
LOG=$TMP/gw.log
# the Prometheus endpoint, on the gateway namespace's loopback
MPORT=$((20000 + RANDOM % 40000))
MURL=http://127.0.0.1:$MPORT

cleanup_operate() {
	rm -rf "/var/run/dpdk/$GWPFX"
}
trap 'itest_cleanup; cleanup_operate' EXIT

write_config() {
	cat >"$TMP/gw.yaml" <<YAML
$(gw_yaml_eal "$GWPFX" "${P}wg" "${P}lg")
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24]
  - name: lan
    device: net_af_packet1
    address: [10.10.0.1/24]
wireguard:
  - name: $WG
    private_key: "$GW_PRIV"
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$GO_PUB"
        allowed_ips: [10.9.0.2/32]
        persistent_keepalive: 25
telemetry: true
uapi: true
cli_socket: ""
metrics: "127.0.0.1:$MPORT"
YAML
}

# jq-less JSON queries: tel_get CMD PYEXPR (d: the reply's value, P: its
# entries by public key)
tel_get() {
	tel "$1" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); d=list(r.values())[0]; L=(d["peers"] if isinstance(d.get("peers"), dict) else d).values(); P={p.get("public_key"): p for p in L if isinstance(p, dict)}; print(eval(sys.argv[1]))' "$2"
}

export -f tel tel_get
export GWPFX

dump_lacks() {
	! wg show "$WG" dump | grep -q "^$1	"
}

# every drop reason the data path counts (lib/gateway/stats.c)
DROP_NAMES=$(sed -n 's/^\t\[GW_DROP_[A-Z0-9_]*\] = "\([a-z0-9_]*\)",$/\1/p' \
	"$HERE/../../lib/gateway/stats.c" | tr '\n' ' ')
export -f nsexec
export MURL P
GW_PRIV=$(wg genkey); GW_PUB=$(echo "$GW_PRIV" | wg pubkey)
GO_PRIV=$(wg genkey); GO_PUB=$(echo "$GO_PRIV" | wg pubkey)
K2=$(wg genkey | wg pubkey)
K3=$(wg genkey | wg pubkey)
PSK=$(wg genpsk)

gw_topology lan || { echo "FAIL: network set-up"; exit 1; }
write_config
if ! gw_start gw "$TMP/gw.yaml" "$LOG"; then
	echo "FAIL: gateway did not start"
	tail -n 20 "$LOG"
	exit 1
fi

# ---- the wg(8) socket -------------------------------------------------------
check "socket /var/run/wireguard/$WG.sock exists" test -S "/var/run/wireguard/$WG.sock"
check "wg show $WG: public key and listen port" \
	bash -c "wg show '$WG' | grep -q 'public key: $GW_PUB' && wg show '$WG' listen-port | grep -qx 51820"
check "wg show dump: the configured peer, its keepalive (25 s, applied at start)" \
	wg_dump_has "$WG" "$GO_PUB" '	10\.9\.0\.2/32	.*	25$'
check "wg showconf: peer and allowed IPs, no private key leak in show" \
	bash -c "wg showconf '$WG' | grep -q 'PublicKey = $GO_PUB' && ! wg show '$WG' | grep -q '$GW_PRIV'"
check "wg set: add a peer with allowed IPs, endpoint, psk, keepalive" \
	bash -c "echo '$PSK' >'$TMP/psk' && wg set '$WG' peer '$K2' allowed-ips 10.9.0.3/32,192.168.77.0/24 endpoint 198.18.0.9:51820 preshared-key '$TMP/psk' persistent-keepalive 30"
check "wg show dump: the new peer appears" \
	wg_dump_has "$WG" "$K2" '198\.18\.0\.9:51820	(10\.9\.0\.3/32,192\.168\.77\.0/24|192\.168\.77\.0/24,10\.9\.0\.3/32)	.*	30$'
check "wg set: allowed IPs replaced" wg set "$WG" peer "$K2" allowed-ips 10.9.0.4/32
check "wg show dump: new allowed IPs" wg_dump_has "$WG" "$K2" '	10\.9\.0\.4/32	'
check "wg set listen-port other: refused" bash -c "! wg set '$WG' listen-port 51999 peer '$K3' allowed-ips 10.9.0.5/32"
check "refused set changed nothing (no $K3, port 51820)" \
	bash -c "! wg show '$WG' dump | grep -q '$K3' && wg show '$WG' listen-port | grep -qx 51820"
check "wg set listen-port same: accepted" wg set "$WG" listen-port 51820
# a request wg itself would never send: allowed_ip with /33 (wg parses it
# first), written on the socket directly; answered errno=-22, no change
bad_set() {
	python3 - "/var/run/wireguard/$WG.sock" "$(echo "$K3" | base64 -d | od -An -tx1 | tr -d ' \n')" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(("set=1\npublic_key=%s\nallowed_ip=10.0.0.0/33\n\n" % sys.argv[2]).encode())
r = b""
while not r.endswith(b"\n\n"):
	c = s.recv(4096)
	if not c:
		break
	r += c
print(r.decode().strip())
sys.exit(0 if r.decode().strip() == "errno=-22" else 1)
PY
}
check "invalid allowed IP /33 on the socket: errno=-22" bad_set
check "invalid set changed nothing" dump_lacks "$K3"
check "wg set ... remove: the peer is gone" \
	bash -c "wg set '$WG' peer '$K2' remove && ! wg show '$WG' dump | grep -q '$K2'"
check "the configured peer is still there" wg_dump_has "$WG" "$GO_PUB" '	10\.9\.0\.2/32	'

# ---- traffic through a wireguard-go peer -----------------------------------
# a subnet behind the peer, reachable from the LAN once the gateway's peer
# has it in its allowed IPs
if wggo_peer them "$WGGO" "$GO_PRIV" 10.9.0.2/24 peer "$GW_PUB" \
	endpoint 198.18.0.1:51820 allowed-ips 10.9.0.0/24,10.10.0.0/24 &&
	{ nsexec them ip addr add 192.168.88.1/32 dev lo
	  nsexec them ip route add 10.10.0.0/24 dev "$WGGO"; }; then
	check "ping the gateway's tunnel address from wireguard-go" \
		nsexec them ping -n -c 3 -i 0.3 -W 3 10.9.0.1
	check "wg show: latest handshake and transfer of the peer" \
		bash -c "wg show '$WG' dump | grep '^$GO_PUB	' | awk -F'\t' '\$5 > 0 && \$6 > 0 && \$7 > 0 {ok=1} END {exit !ok}'"
	lan_ping() {
		nsexec lan ping -n -c 2 -i 0.3 -W 2 192.168.88.1
	}
	lan_noping() {
		! lan_ping
	}
	check "LAN -> 192.168.88.1: no route through the tunnel yet" \
		lan_noping
	check "wg set: the peer gets 192.168.88.0/24" \
		wg set "$WG" peer "$GO_PUB" allowed-ips 10.9.0.2/32,192.168.88.0/24
	check "LAN -> 192.168.88.1 through the tunnel (FIB updated)" lan_ping
	check "wg set: 192.168.88.0/24 taken away again" \
		wg set "$WG" peer "$GO_PUB" allowed-ips 10.9.0.2/32
	check "LAN -> 192.168.88.1: gone from the FIB" \
		lan_noping
	# addconf of 20 peers, then setconf (replace_peers) back to the saved
	# configuration: 21 peers removed, one re-created (new sessions)
	wg showconf "$WG" >"$TMP/conf"
	for i in $(seq 1 20); do
		printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.77.%d.0/24\n\n' \
			"$(wg genkey | wg pubkey)" "$i"
	done >"$TMP/more.conf"
	check "wg addconf: 20 more peers" \
		bash -c "wg addconf '$WG' '$TMP/more.conf' && [ \$(wg show '$WG' peers | wc -l) -eq 21 ]"
	check "wg setconf (replace_peers) back to one peer" \
		bash -c "wg setconf '$WG' '$TMP/conf' && [ \$(wg show '$WG' peers | wc -l) -eq 1 ]"
	check "after setconf: the peer is back, the tunnel works" \
		bash -c "wg show '$WG' dump | grep -q '^$GO_PUB	' && ip netns exec '$P-them' ping -n -c 3 -i 0.3 -W 3 10.9.0.1"
else
	check "wireguard-go started" false
fi

# ---- telemetry --------------------------------------------------------------
check "telemetry socket /var/run/dpdk/$GWPFX/dpdk_telemetry.v2" \
	test -S "/var/run/dpdk/$GWPFX/dpdk_telemetry.v2"
check "/wg/interfaces: name, public key, port, 1 peer" \
	bash -c "[ \"\$(tel_get /wg/interfaces \"d['$WG']['public_key'], d['$WG']['listen_port'], d['$WG']['peers']\")\" = \"('$GW_PUB', 51820, 1)\" ]"
check "/wg/lcores: roles and counters" \
	bash -c "tel_get /wg/lcores \"d['1']['roles'] == 'io crypto' and d['1']['rx_pkts'] > 0 and 'drop_no_route' in str(d['1']) or print(d)\" | grep -qx True"
RX1=$(tel_get "/wg/peers,$WG" "P['$GO_PUB']['rx_packets']")
nsexec them ping -n -c 3 -i 0.2 -W 3 10.9.0.1 >/dev/null 2>&1
RX2=$(tel_get "/wg/peers,$WG" "P['$GO_PUB']['rx_packets']")
check "/wg/peers: rx_packets grows with traffic ($RX1 -> $RX2)" \
	test "${RX2:-0}" -ge $((${RX1:-0} + 3))
check "/wg/peers: endpoint, allowed IPs, handshake, key age" \
	bash -c "tel_get '/wg/peers,$WG' \"P['$GO_PUB']['endpoint'].startswith('198.18.0.2:') and P['$GO_PUB']['allowed_ips'] == '10.9.0.2/32' and P['$GO_PUB']['latest_handshake'] > 0 and 0 <= P['$GO_PUB']['key_age_s'] < 60\" | grep -qx True"
check "/wg/peers: one peer left in the data path after setconf" \
	bash -c "tel_get '/wg/peers,$WG' \"(d['total'], len(d['peers']), d['start'], d['next'])\" | grep -qx '(1, 1, 0, -1)'"
check "/wg/handshakes: initiations counted" \
	bash -c "tel_get '/wg/handshakes,$WG' \"d['rx_initiations'] + d['tx_initiations'] > 0 and d['sessions'] > 0\" | grep -qx True"
check "/wg/peers of an unknown interface: error" \
	bash -c "! tel '/wg/peers,nosuch' | grep -q 'public'"
check "telemetry exposes no private or preshared key" \
	bash -c "! (tel /wg/interfaces; tel '/wg/peers,$WG'; tel /wg/lcores; tel '/wg/handshakes,$WG') | grep -qe '$GW_PRIV' -e '$PSK' -e '$GO_PRIV'"
check "the gateway's log holds no key" \
	bash -c "! grep -qe '$GW_PRIV' -e '$PSK' '$LOG'"

check "/wg/lcores: every drop reason of stats.c, ring occupancy" \
	bash -c "tel_get /wg/lcores \"sorted(k[5:] for k in d['1'] if k.startswith('drop_')) == sorted('''$DROP_NAMES'''.split()) and 'ring_count' in d['1'] and len(d['1']) > 50\" | grep -qx True"
check "/wg/lcores,1: one lcore; /wg/lcores,x: error" \
	bash -c "tel_get /wg/lcores,1 'list(d)' | grep -qx \"\\['1'\\]\" && ! tel /wg/lcores,x | grep -q roles"
check "/wg/handshakes: cookies, rate limited, failures by reason, queue" \
	bash -c "tel_get '/wg/handshakes,$WG' \"all(k in d for k in ('tx_cookies', 'rate_limited', 'drop_handshake_invalid', 'drop_mac1', 'hs_queue', 'stage_queue'))\" | grep -qx True"
# (an ASan build's malloc is not glibc's: it leaves malloc_bytes out)
if is_sanitized "$GW_BIN"; then MALLOC_OK="'malloc_bytes' not in d"; else MALLOC_OK="d['malloc_bytes'] > 1 << 20"; fi
check "/wg/memory: DPDK heap and malloc in use, 1 peer" \
	bash -c "tel_get /wg/memory \"d['dpdk_heap_bytes'] > 100 << 20 and $MALLOC_OK and d['peers'] == 1\" | grep -qx True"

# ---- Prometheus metrics (metrics: 127.0.0.1:PORT) -----------------------------
# mget PATH [curl args]: the body in $TMP/m.body, headers in $TMP/m.head,
# the HTTP status on stdout
mget() {
	local path=$1
	shift
	nsexec gw curl -s --max-time 10 -o "$TMP/m.body" -D "$TMP/m.head" \
		-w '%{http_code}' "$@" "$MURL$path"
}
# mval FAMILY KEY: the value of FAMILY's line for peer KEY in $TMP/m.body
mval() {
	grep -F "$1{" "$TMP/m.body" | grep -F "public_key=\"$2\"" |
		awk '{print $NF}'
}
export -f mget mval
export TMP
# the peer's rx/tx in metrics equal wg(8)'s: scrape between two dumps
# that agree (a keepalive may land in between)
metrics_bytes_match() {
	local d1 d2 code
	for _ in 1 2 3 4 5; do
		d1=$(wg show "$WG" dump | grep "^$GO_PUB	" | cut -f6,7)
		code=$(mget /metrics)
		d2=$(wg show "$WG" dump | grep "^$GO_PUB	" | cut -f6,7)
		[ "$code" = 200 ] || continue
		[ "$d1" = "$d2" ] || continue
		m="$(mval wireguard_received_bytes_total "$GO_PUB")	$(mval wireguard_sent_bytes_total "$GO_PUB")"
		echo "wg dump rx/tx: $d1; metrics: $m"
		[ "$m" = "$d1" ] && return 0
	done
	return 1
}
# the text format: HELP and TYPE before each family's samples, samples
# NAME{labels} INTEGER, one family's lines together
metrics_format() {
	python3 - "$TMP/m.body" <<'PY'
import re, sys
help, typ, done, cur = set(), {}, set(), None
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? [0-9]+$')
n = 0
for line in open(sys.argv[1]).read().splitlines():
    if line.startswith('# HELP '):
        help.add(line.split()[2])
        continue
    if line.startswith('# TYPE '):
        f, t = line.split()[2:4]
        assert t in ('counter', 'gauge'), line
        assert f in help and f not in typ, line
        typ[f] = t
        continue
    m = sample.match(line)
    assert m, 'bad line: %r' % line
    f = m.group(1)
    assert f in typ, 'no TYPE: %r' % line
    if f != cur:
        assert f not in done, 'family split: %s' % f
        if cur:
            done.add(cur)
        cur = f
    n += 1
print(len(typ), 'families,', n, 'samples')
assert n > 100
PY
}
if [ "$(mget /metrics)" = 200 ]; then
	check "/metrics: 200, Content-Type text/plain; version=0.0.4" \
		grep -qi '^content-type: text/plain; version=0\.0\.4' "$TMP/m.head"
	check "/metrics: text format (HELP, TYPE, samples, families together)" \
		metrics_format
	check "/metrics: the exporter's families, labels interface, public_key, allowed_ips" \
		grep -q "^wireguard_latest_handshake_seconds{interface=\"$WG\",public_key=\"$GO_PUB\",allowed_ips=\"10.9.0.2/32\"} [0-9]" "$TMP/m.body"
	check "/metrics: peer rx/tx bytes equal wg show dump's" metrics_bytes_match
	# R echo requests answered: R x (84 + 32) bytes at least each way
	# (a WireGuard data message: 16 header, 84 padded to 96, 16 tag)
	metrics_bytes_move() {
		local tx1 rx1 tx2 rx2 r
		mget /metrics >/dev/null
		tx1=$(mval wireguard_sent_bytes_total "$GO_PUB")
		rx1=$(mval wireguard_received_bytes_total "$GO_PUB")
		r=$(nsexec them ping -n -c 3 -i 0.2 -W 3 10.9.0.1 |
			sed -n 's/.* \([0-9]*\) received.*/\1/p')
		[ "${r:-0}" -ge 1 ] || { echo "no ping answered"; return 1; }
		for _ in $(seq 1 10); do
			mget /metrics >/dev/null
			tx2=$(mval wireguard_sent_bytes_total "$GO_PUB")
			rx2=$(mval wireguard_received_bytes_total "$GO_PUB")
			echo "$r pings: rx $rx1 -> $rx2, tx $tx1 -> $tx2"
			[ "${rx2:-0}" -ge $((${rx1:-0} + r * 116)) ] &&
				[ "${tx2:-0}" -ge $((${tx1:-0} + r * 116)) ] && return 0
			sleep 0.5
		done
		return 1
	}
	check "/metrics: byte counters move with pings" metrics_bytes_move
	HS_WG=$(wg show "$WG" latest-handshakes | awk -v k="$GO_PUB" '$1 == k {print $2}')
	HS_M=$(mval wireguard_latest_handshake_seconds "$GO_PUB")
	check "/metrics: latest handshake $HS_M = wg show latest-handshakes $HS_WG (+-2 s)" \
		test "${HS_M:-0}" -gt 0 -a $((${HS_M:-0} - ${HS_WG:-0})) -le 2 -a $((${HS_WG:-0} - ${HS_M:-0})) -le 2
	drops_all() {
		local r
		for r in $DROP_NAMES; do
			grep -q "^dpdkwg_drops_total{lcore=\"1\",reason=\"$r\"} [0-9]" "$TMP/m.body" ||
				{ echo "missing: $r"; return 1; }
		done
		[ "$(grep -c '^dpdkwg_drops_total{lcore="1",' "$TMP/m.body")" -eq "$(echo $DROP_NAMES | wc -w)" ]
	}
	check "/metrics: dpdkwg_drops_total has every reason of stats.c ($(echo $DROP_NAMES | wc -w))" drops_all
	check "/metrics: lcore packets, polls, handshakes, peers, port counters" \
		bash -c "grep -q '^dpdkwg_lcore_packets_total{lcore=\"1\",direction=\"rx\"} [1-9]' '$TMP/m.body' &&
			grep -q '^dpdkwg_lcore_polls_total{lcore=\"1\",state=\"idle\"} [1-9]' '$TMP/m.body' &&
			grep -q '^dpdkwg_handshake_messages_total{interface=\"$WG\",direction=\"rx\",type=\"initiation\"} [0-9]' '$TMP/m.body' &&
			grep -q '^dpdkwg_peers{interface=\"$WG\"} 1$' '$TMP/m.body' &&
			grep -q '^dpdkwg_port_packets_total{port=\"wan\",direction=\"rx\"} [1-9]' '$TMP/m.body' &&
			grep -q '^dpdkwg_port_missed_total{port=\"lan\"} [0-9]' '$TMP/m.body'"
else
	check "/metrics answers 200" false
fi
check "/other: 404" bash -c "[ \"\$(nsexec gw curl -s --max-time 10 -o /dev/null -w '%{http_code}' '$MURL/other')\" = 404 ]"
check "POST /metrics: 405" bash -c "[ \"\$(nsexec gw curl -s --max-time 10 -o /dev/null -w '%{http_code}' -d x=1 '$MURL/metrics')\" = 405 ]"

# ---- paging: 300 more peers, some with the longest entries ----------------------
# 290 peers with one /32; 10 with 40 IPv6 /128s and an IPv6 endpoint (the
# longest JSON a peer makes); one more with a preshared key
for i in $(seq 1 290); do
	printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.%d.%d.%d/32\n\n' \
		"$(wg genkey | wg pubkey)" $((100 + i / 65536)) $((i / 256 % 256)) $((i % 256))
done >"$TMP/page.conf"
for i in $(seq 1 10); do
	printf '[Peer]\nPublicKey = %s\nEndpoint = [fd00:1111:2222:3333:4444:5555:6666:%x]:65535\nAllowedIPs = ' \
		"$(wg genkey | wg pubkey)" "$i"
	for j in $(seq 1 40); do
		printf 'fd00:aaaa:bbbb:cccc:dddd:eeee:%x:%x/128,' "$i" "$j"
	done | sed 's/,$//'
	printf '\n\n'
done >>"$TMP/page.conf"
check "wg addconf: 300 more peers" \
	bash -c "wg addconf '$WG' '$TMP/page.conf' && [ \$(wg show '$WG' peers | wc -l) -eq 301 ]"
check "wg set: a peer with a preshared key" \
	bash -c "echo '$PSK' >'$TMP/psk' && wg set '$WG' peer '$K3' preshared-key '$TMP/psk' allowed-ips 10.9.0.7/32"
walk_pages() {
	python3 - "$WG" "$(wg show "$WG" peers | tr '\n' ' ')" <<'PY'
import json, os, subprocess, sys
wg, want = sys.argv[1], sys.argv[2].split()
seen, start, pages, biggest, capped, longest = [], None, 0, 0, 0, 0
while True:
    cmd = '/wg/peers,%s' % wg if start is None else '/wg/peers,%s,%d' % (wg, start)
    out = subprocess.run(['bash', '-c', 'tel "$0"', cmd], capture_output=True,
                         text=True, timeout=30).stdout.strip()
    biggest = max(biggest, len(out.encode()))
    assert len(out.encode()) < 16384, 'page of %d bytes' % len(out.encode())
    d = list(json.loads(out).values())[0]
    pages += 1
    if os.environ.get('KEEP_TRANSCRIPT') and (pages <= 2 or d['next'] == -1):
        with open(os.environ['KEEP_TRANSCRIPT'] + '.pages', 'a') as f:
            f.write('# %s\n%s\n' % (cmd, out))
    assert d['total'] == len(want), (d['total'], len(want))
    assert d['start'] == (start or 0)
    assert len(d['peers']) <= 20
    for p in d['peers'].values():
        seen.append(p['public_key'])
        longest = max(longest, len(json.dumps(p)))
        assert len(p['allowed_ips']) < 128
        if p['allowed_ips_total'] == 40:
            capped += 1
            assert p['allowed_ips'].count(',') < 39
    if d['next'] == -1:
        break
    assert d['next'] > (start or 0) and len(d['peers']) > 0
    start = d['next']
    assert pages < 100
# the worst page: 20 of the longest peer, each with 20-digit counters
worst = 200 + 20 * (longest + 5 * 20)
print('%d pages, %d peers, largest reply %d bytes, %d capped, '
      'longest peer %d bytes, worst page %d bytes' %
      (pages, len(seen), biggest, capped, longest, worst))
assert worst < 16384
assert sorted(seen) == sorted(want), 'keys differ or repeat'
assert len(set(seen)) == len(seen) and capped == 10
PY
}
check "/wg/peers pages: 302 peers, each once, every reply under 16 KiB" walk_pages
sed 's/^/    /' "$TMP/check.out"
check "/wg/peers,$WG,99999: past the end, empty page" \
	bash -c "tel_get '/wg/peers,$WG,99999' \"(d['total'], len(d['peers']), d['next'])\" | grep -qx '(302, 0, -1)'"
check "/metrics with 302 peers: one line per peer and family" \
	bash -c "[ \"\$(mget /metrics)\" = 200 ] && [ \$(grep -c '^wireguard_sent_bytes_total{' '$TMP/m.body') -eq 302 ] &&
		grep 'allowed_ips=\"fd00:aaaa:bbbb:cccc:dddd:eeee:1:' '$TMP/m.body' | head -n 1 | grep -o 'fd00:aaaa:bbbb:cccc:dddd:eeee:1:[0-9a-f]*/128' | sort -u | wc -l | grep -qx 40"
check "metrics and telemetry expose no private or preshared key" \
	bash -c "grep -q '$K3' '$TMP/m.body' && ! (cat '$TMP/m.body'; tel /wg/interfaces; tel '/wg/peers,$WG'; tel /wg/lcores; tel '/wg/handshakes,$WG') | grep -qe '$GW_PRIV' -e '$PSK' -e '$GO_PRIV'"
check "wg setconf: back to one peer" \
	bash -c "wg setconf '$WG' '$TMP/conf' && [ \$(wg show '$WG' peers | wc -l) -eq 1 ]"

# KEEP_TRANSCRIPT=FILE: what an operator sees (docs/operations.md)
if [ -n "${KEEP_TRANSCRIPT:-}" ]; then
	{
		echo "# wg show $WG"; wg show "$WG"
		echo "# wg show $WG dump"; wg show "$WG" dump
		echo "# wg set $WG listen-port 51999"; wg set "$WG" listen-port 51999
		for c in /wg/interfaces "/wg/peers,$WG" "/wg/handshakes,$WG" \
			/wg/lcores /wg/memory; do
			echo "# $c"; tel "$c"
		done
		echo "# curl -si $MURL/metrics"
		mget /metrics >/dev/null
		cat "$TMP/m.head" "$TMP/m.body"
	} >"$KEEP_TRANSCRIPT" 2>&1
fi

# ---- shutdown: the socket goes -------------------------------------------------
stop_gateway() {
	gw_stop TERM 10 && ! test -e "/var/run/wireguard/$WG.sock"
}
check "SIGTERM: the gateway exits and unlinks its wg(8) socket" stop_gateway

# ---- metrics: a port already taken is a start error ------------------------------
busy_port() {
	local lpid rc=0 try LOG=$TMP/gw-busy.log
	nsexec gw python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("listening", flush=True); time.sleep(60)' "$MPORT" >"$TMP/busy.out" 2>&1 &
	lpid=$!
	for _ in $(seq 1 50); do
		grep -qs listening "$TMP/busy.out" && break
		sleep 0.1
	done
	# the endpoint starts last: a start that failed before it (hugepage
	# memory taken by a concurrent test) is tried again
	for try in 1 2 3; do
		if gw_start gw "$TMP/gw.yaml" "$LOG"; then
			rc=1
			kill -TERM "$GW_PID"
			break
		fi
		grep -q '^dpdk-wg: metrics:' "$LOG" && break
		sleep 2
	done
	kill "$lpid"
	wait "$lpid" 2>/dev/null
	cat "$LOG"
	[ "$rc" = 0 ] && grep -q "^dpdk-wg: metrics: cannot listen on 127.0.0.1:$MPORT: Address already in use" "$LOG"
}
check "metrics port taken: the gateway refuses to start, says why" busy_port

[ "${KEEP_LOG:-}" ] && cp "$LOG" "$KEEP_LOG"
itest_finish
