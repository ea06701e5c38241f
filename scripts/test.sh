#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# The README's test command: sets the machine up, builds the release, the
# sanitizer and the fuzz trees, runs every test, and closes with
# "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/.."

scripts/setup.sh --asan || { echo "0 passed, 1 failed"; exit 1; }

status=0
# Release build: every suite (unit, integration).
meson test -C build --print-errorlogs --num-processes 2 || status=1
# Sanitizer build: every suite but the slow one (the long real-time runs).
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-asan --print-errorlogs --num-processes 2 \
		--no-suite slow || status=1

# Fuzz build (clang, ASan+UBSan+libFuzzer; docs/robustness.md): every
# harness once over its committed seeds, then FUZZ_SECONDS (20) of fuzzing
# each, two at a time: about a minute. With DPDK (-Ddpdk=auto) it also
# builds the gateway's receive-path harness, fuzz_classify; a tree set up
# earlier with -Ddpdk=disabled is switched over.
rm -f build-fuzz/meson-logs/testlog.json
if { [[ -f build-fuzz/build.ninja ]] &&
     meson configure build-fuzz -Ddpdk=auto >/dev/null; } ||
   CC=clang meson setup build-fuzz -Dfuzz=true -Ddpdk=auto \
	-Dintegration=false -Dbuildtype=debugoptimized; then
	ninja -C build-fuzz &&
		meson test -C build-fuzz --print-errorlogs --num-processes 2 \
			--suite fuzz || status=1
else
	status=1
fi

python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
	build-fuzz/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
