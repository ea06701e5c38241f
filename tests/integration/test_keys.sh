#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Key hygiene of the real gateway (docs/robustness.md, "Key hygiene"):
#
#   - key files: private_key_file and preshared_key_file (0600) work; a
#     key file readable by group or others is refused with
#     "file:line:column: ..." before EAL starts, without the key;
#   - the wg(8) socket is 0600 in a root-owned directory that only root
#     may write (0755, as wireguard-go makes it);
#   - after a handshake with a wireguard-go peer, nothing the gateway
#     prints holds a private or preshared key in base64 or hex: its
#     stdout/stderr (start-up summary, SIGUSR1 counters, shutdown), every
#     /wg/ telemetry reply, `wg show`; `wg show dump` and `wg showconf`
#     show them exactly where wg(8) shows wireguard-go's;
#   - a peer added with a preshared key through `wg set` and removed again
#     leaves no copy of that key in the process's memory;
#   - SIGTERM after that churn: exit 0, no sanitizer report (with an ASan
#     build, LeakSanitizer runs at exit: no leak).
#
#   "them" ns                          gateway ns
#   wireguard-go  10.9.0.2/24          dpdk-wg  port wan 198.18.0.1/24
#   198.18.0.2/24  veth -------------- (af_packet)
#
# Environment: DPDK_WG_BUILD, the meson build directory (default: build).
# Exit: 0 all passed, 1 a check failed, 77 skipped.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init
BUILD=${DPDK_WG_BUILD:-$HERE/../../build}
GW_BIN=$BUILD/app/dpdk-wg

itest_need ip ethtool ping wg wireguard-go python3 timeout stat od
[ -x "$GW_BIN" ] || { echo "FAIL: $GW_BIN not built"; exit 1; }

WG=k$P			# the gateway's wireguard interface (wg(8) name)
WGGO=h$P		# wireguard-go's interface in "them"
GWPFX=dwgkh$P		# EAL --file-prefix: telemetry socket directory
TMP=$itest_tmp
LOG=$TMP/gw.log
# ordinary memory unless told otherwise: hugepages are shared with the
# other tests and an ASan build failed to get its share of them
DPDK_WG_NO_HUGE=${DPDK_WG_NO_HUGE:-1}

cleanup_keys() {
	rm -rf "/var/run/dpdk/$GWPFX"
}
trap 'itest_cleanup; cleanup_keys' EXIT

# the lower-case hex form of a base64 key
hex() {
	echo "$1" | base64 -d | od -An -tx1 | tr -d ' \n'
}

GW_PRIV=$(wg genkey); GW_PUB=$(echo "$GW_PRIV" | wg pubkey)
GO_PRIV=$(wg genkey); GO_PUB=$(echo "$GO_PRIV" | wg pubkey)
PSK=$(wg genpsk)
K2_PRIV=$(wg genkey); K2=$(echo "$K2_PRIV" | wg pubkey)
PSK2=$(wg genpsk)
# every secret the gateway holds or held, base64 and hex (both cases)
SECRETS=("$GW_PRIV" "$PSK" "$PSK2" "$(hex "$GW_PRIV")" "$(hex "$PSK")"
	"$(hex "$PSK2")")
SECRETS+=("${SECRETS[3]^^}" "${SECRETS[4]^^}" "${SECRETS[5]^^}")

# no_secret FILE...: none of SECRETS in the files (and they are not empty)
no_secret() {
	local f s

	for f in "$@"; do
		[ -s "$f" ] || { echo "$f is empty"; return 1; }
		for s in "${SECRETS[@]}"; do
			if grep -qF -- "$s" "$f"; then
				echo "$f holds a key (${s:0:6}...)"
				return 1
			fi
		done
	done
}

mkdir -m 0700 "$TMP/keys"
(umask 077; echo "$GW_PRIV" >"$TMP/keys/gw.key"; echo "$PSK" >"$TMP/keys/go.psk")

# write_config FILE PRIVATE_KEY_FILE PSK_FILE
write_config() {
	cat >"$1" <<YAML
$(gw_yaml_eal "$GWPFX" "${P}wg")
ports:
  - name: wan
    device: net_af_packet0
    address: [198.18.0.1/24]
wireguard:
  - name: $WG
    private_key_file: "$2"
    listen_port: 51820
    address: [10.9.0.1/24]
    peers:
      - public_key: "$GO_PUB"
        preshared_key_file: "$3"
        allowed_ips: [10.9.0.2/32]
telemetry: true
uapi: true
cli_socket: ""
YAML
}

# ---- key files with group/other access: refused before anything starts ----
# refused CONFIG KEYFILE LINE: exit status 1, "CONFIG:LINE:COL: ... (mode 0644)"
refused() {
	local out rc

	out=$(timeout 30 "$GW_BIN" --config "$1" 2>&1)
	rc=$?
	echo "$out"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || return 1
	echo "$out" | grep -Eq "^$1:$3:[0-9]+: .*'$2' is accessible by group or others \(mode 0644\)" ||
		return 1
	echo "$out" >"$TMP/refused.out"
	no_secret "$TMP/refused.out"
}
cp -p "$TMP/keys/gw.key" "$TMP/keys/open.key"
chmod 0644 "$TMP/keys/open.key"
write_config "$TMP/bad_priv.yaml" "$TMP/keys/open.key" "$TMP/keys/go.psk"
check "private_key_file mode 0644: refused with file:line:column" \
	refused "$TMP/bad_priv.yaml" "$TMP/keys/open.key" 14
cp -p "$TMP/keys/go.psk" "$TMP/keys/open.psk"
chmod 0644 "$TMP/keys/open.psk"
write_config "$TMP/bad_psk.yaml" "$TMP/keys/gw.key" "$TMP/keys/open.psk"
check "preshared_key_file mode 0644: refused with file:line:column" \
	refused "$TMP/bad_psk.yaml" "$TMP/keys/open.psk" 19

# ---- the gateway with key files -------------------------------------------
write_config "$TMP/gw.yaml" "$TMP/keys/gw.key" "$TMP/keys/go.psk"
gw_topology || { echo "FAIL: network set-up"; exit 1; }
# ASan builds: LeakSanitizer at exit (no effect on other builds)
if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	gw_start gw "$TMP/gw.yaml" "$LOG"; then
	echo "FAIL: gateway did not start"
	tail -n 20 "$LOG"
	exit 1
fi
check "private_key_file and preshared_key_file (0600): the gateway runs" \
	bash -c "wg show '$WG' public-key | grep -qx '$GW_PUB'"

SOCK=/var/run/wireguard/$WG.sock
check "wg(8) socket $SOCK: mode 0600, owned by root" \
	bash -c "[ \"\$(stat -c '%a %U' '$SOCK')\" = '600 root' ]"
sock_dir_ok() {
	local m

	m=$(stat -c '%a %U' /var/run/wireguard) || return 1
	echo "/var/run/wireguard: $m"
	[ "${m#* }" = root ] && (( (8#${m% *} & 8#022) == 0 ))
}
check "/var/run/wireguard: root's, not writable by group or others" sock_dir_ok

# ---- a session with wireguard-go (preshared key) ---------------------------
if wggo_peer them "$WGGO" "$GO_PRIV" 10.9.0.2/24 peer "$GW_PUB" \
	preshared-key "$TMP/keys/go.psk" endpoint 198.18.0.1:51820 \
	allowed-ips 10.9.0.0/24; then
	check "handshake with wireguard-go (psk), ping through the tunnel" \
		nsexec them ping -n -c 3 -i 0.3 -W 3 10.9.0.1
else
	check "wireguard-go started" false
fi
check "wg set: add a peer with a preshared key" \
	bash -c "(umask 077; echo '$PSK2' >'$TMP/keys/k2.psk') && wg set '$WG' peer '$K2' preshared-key '$TMP/keys/k2.psk' allowed-ips 10.9.0.3/32 endpoint 198.18.0.3:51820"

# ---- what wg(8) shows: as for wireguard-go ---------------------------------
wg show "$WG" >"$TMP/show.out" 2>&1
wg show "$WG" dump >"$TMP/dump.out" 2>&1
wg showconf "$WG" >"$TMP/showconf.out" 2>&1
nsexec them wg show "$WGGO" >"$TMP/go_show.out" 2>&1
nsexec them wg show "$WGGO" dump >"$TMP/go_dump.out" 2>&1
check "wg show: no key; private and preshared keys '(hidden)' as for wireguard-go" \
	bash -c "grep -c '(hidden)' '$TMP/show.out' | grep -qx 3 && [ \"\$(grep -o '^  *[a-z ]*key: (hidden)' '$TMP/go_show.out' | sort -u)\" = \"\$(grep -o '^  *[a-z ]*key: (hidden)' '$TMP/show.out' | sort -u)\" ]"
check "wg show: holds no key in base64 or hex" no_secret "$TMP/show.out"
dump_ok() {
	# interface line: private key in field 1; peer lines: psk in field 2
	awk -F'\t' -v priv="$GW_PRIV" -v psk="$PSK" -v psk2="$PSK2" -v go="$GO_PUB" -v k2="$K2" '
		NR == 1 { ok = ($1 == priv); next }
		$1 == go { ok = ok && ($2 == psk); n++ ; next }
		$1 == k2 { ok = ok && ($2 == psk2); n++; next }
		{ ok = 0 }
		END { exit !(ok && n == 2) }' "$TMP/dump.out" || return 1
	# wireguard-go: its private key in field 1 of line 1, psk in field 2
	awk -F'\t' -v priv="$GO_PRIV" -v psk="$PSK" '
		NR == 1 { ok = ($1 == priv); next }
		{ ok = ok && ($2 == psk) }
		END { exit !ok }' "$TMP/go_dump.out" || return 1
	# nowhere else: blank those fields, then no secret is left
	awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { $1 = "-" } NR > 1 { $2 = "-" } 1' \
		"$TMP/dump.out" >"$TMP/dump.rest"
	no_secret "$TMP/dump.rest"
}
check "wg show dump: keys only in the fields where wg(8) puts wireguard-go's" dump_ok
check "wg showconf: PrivateKey and PresharedKeys as wg(8) writes them" \
	bash -c "grep -qx 'PrivateKey = $GW_PRIV' '$TMP/showconf.out' && grep -qx 'PresharedKey = $PSK' '$TMP/showconf.out' && grep -qx 'PresharedKey = $PSK2' '$TMP/showconf.out'"

# ---- telemetry: every /wg/ command ------------------------------------------
tel_all() {
	local cmds c

	cmds=$(tel / | python3 -c 'import json,sys; print(" ".join(c for c in json.load(sys.stdin)["/"] if c.startswith("/wg/")))') ||
		return 1
	[ -n "$cmds" ] || return 1
	: >"$TMP/tel.out"
	for c in $cmds; do
		echo "# $c" >>"$TMP/tel.out"
		tel "$c" >>"$TMP/tel.out"
		echo "# $c,$WG" >>"$TMP/tel.out"
		tel "$c,$WG" >>"$TMP/tel.out"
	done
	echo "commands: $cmds"
	grep -q "$GO_PUB" "$TMP/tel.out" || return 1
	no_secret "$TMP/tel.out"
}
check "telemetry: no /wg/ reply holds a key" tel_all

# ---- memory: the removed peer's preshared key is gone ----------------------
# scan PID SECRET_B64: the raw 32 bytes, hex and base64 forms, in every
# writable mapping of the process up to 4 GiB (larger ones are an ASan
# build's shadow memory, no copy of anything)
scan_mem() {
	timeout 120 python3 - "$1" "$2" <<'PY'
import base64, re, sys
pid, key = sys.argv[1], base64.b64decode(sys.argv[2])
needles = [key, key.hex().encode(), key.hex().upper().encode(), sys.argv[2].encode()]
found = 0
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
	for line in maps:
		f = line.split()
		if not f[1].startswith("rw") or (len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]")):
			continue
		lo, hi = (int(x, 16) for x in f[0].split("-"))
		if hi - lo > 4 << 30:
			continue
		pos = lo
		while pos < hi:
			n = min(hi - pos, 1 << 24)
			try:
				mem.seek(pos)
				chunk = mem.read(n + 64 if pos + n < hi else n)
			except OSError:
				break
			for nd in needles:
				if chunk.find(nd) >= 0:
					found += 1
					print(f"found at {f[0]} {f[5] if len(f) > 5 else ''}")
			pos += n
sys.exit(1 if found else 0)
PY
}
found_mem() {
	scan_mem "$@"
	[ $? -eq 1 ]
}
check "the added peer's preshared key is in the gateway's memory (the scan works)" \
	found_mem "$GW_PID" "$PSK2"
check "wg set: remove that peer" \
	bash -c "wg set '$WG' peer '$K2' remove && ! wg show '$WG' peers | grep -q '$K2'"
# the peer is freed after an RCU grace period and the in-flight jobs
sleep 1
check "after removal: no copy of its preshared key in memory (raw, hex, base64)" \
	scan_mem "$GW_PID" "$PSK2"

# ---- churn through wg set, counters, shutdown -------------------------------
churn() {
	local i k

	for i in $(seq 1 20); do
		k=$(wg genkey | wg pubkey)
		wg set "$WG" peer "$k" preshared-key "$TMP/keys/k2.psk" \
			allowed-ips "10.77.$i.0/24" || return 1
		wg set "$WG" peer "$k" remove || return 1
	done
	[ "$(wg show "$WG" peers | wc -l)" -eq 1 ]
}
check "wg set: 20 peers added and removed" churn
kill -USR1 "$GW_PID"
sleep 1
check "SIGUSR1: the counters are printed" grep -q "$GO_PUB" "$LOG"

check "SIGTERM: exit 0, no sanitizer report (leaks, with ASan)" \
	gw_stop_clean TERM 15
check "the gateway's output (start-up, counters, shutdown) holds no key" \
	no_secret "$LOG"

[ "${KEEP_LOG:-}" ] && cp "$LOG" "$KEEP_LOG"
itest_finish
