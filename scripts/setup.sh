#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Prepares a Debian 12 machine for dpdk-wg: packages, hugepages, build.
# Idempotent; run as root. Options:
#   --no-build   only packages and hugepages
#   --asan       also build the sanitizer tree build-asan
set -euo pipefail

cd "$(dirname "$0")/.."

build=1
asan=0
for arg in "$@"; do
	case "$arg" in
	--no-build) build=0 ;;
	--asan) asan=1 ;;
	*) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

if [[ $(id -u) -ne 0 ]]; then
	echo "setup.sh: run as root (packages, hugepages, network namespaces)" >&2
	exit 1
fi

packages=(
	build-essential pkg-config meson ninja-build
	dpdk dpdk-dev libdpdk-dev libipsec-mb-dev libsodium-dev libyaml-dev
	wireguard-go wireguard-tools
	iproute2 ethtool iputils-ping iperf3 tcpdump procps kmod python3 nftables
	clang curl libmicrohttpd-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# wireguard-tools recommends a kernel image: keep recommends out.
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Hugepages: 512 x 2 MiB, and a hugetlbfs mount.
pages=$(cat /proc/sys/vm/nr_hugepages)
if ((pages < 512)); then
	echo 512 > /proc/sys/vm/nr_hugepages || true
fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages || true
echo "setup.sh: hugepages $(cat /proc/sys/vm/nr_hugepages) x 2 MiB"

if ((build)); then
	[[ -f build/build.ninja ]] || meson setup build
	ninja -C build
	if ((asan)); then
		[[ -f build-asan/build.ninja ]] ||
			meson setup build-asan -Db_sanitize=address,undefined \
				-Db_lundef=false -Dbuildtype=debugoptimized
		ninja -C build-asan
	fi
fi
