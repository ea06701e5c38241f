#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Runs one libFuzzer harness for the test suite 'fuzz':
#
#   run_fuzz.sh regress HARNESS CORPUS WORKDIR   every committed seed once
#   run_fuzz.sh fuzz    HARNESS CORPUS WORKDIR   fuzz for FUZZ_SECONDS (20)
#
# The committed corpus is copied to WORKDIR/corpus first and never
# written; what the fuzzer finds goes to WORKDIR/corpus, crashes to
# WORKDIR/artifacts/. A dictionary HARNESS.dict next to this script is
# used when present.
set -euo pipefail

mode=$1 harness=$2 corpus=$3 work=$4
name=$(basename "$harness")
dict="$(dirname "$0")/$name.dict"
opts="$(dirname "$0")/$name.options"
args=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
[[ -f $dict ]] && args+=(-dict="$dict")
if [[ -f $opts ]]; then
	read -ra extra < <(grep -v '^#' "$opts")
	args+=("${extra[@]}")
fi

rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
args+=(-artifact_prefix="$work/artifacts/")

case "$mode" in
regress)
	# -runs=0: load (and so execute) every seed, then stop.
	exec "$harness" "${args[@]}" -runs=0 "$work/corpus"
	;;
fuzz)
	exec "$harness" "${args[@]}" -max_total_time="${FUZZ_SECONDS:-20}" \
		"$work/corpus"
	;;
*)
	echo "run_fuzz.sh: unknown mode $mode" >&2
	exit 2
	;;
esac
