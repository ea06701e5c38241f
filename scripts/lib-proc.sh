# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
# shellcheck shell=bash
#
# Stopping the processes a benchmark script started, by their pid only
# (never by name). Sourced by scripts/bench.sh and scripts/scale.sh.
#
#   stop_pid PID [SECONDS]   SIGINT, SIGKILL after SECONDS (default 10)

# stop_pid PID [SECONDS]: SIGINT to PID, a child of this shell, then
# SIGKILL if it still runs after SECONDS; waits for it. Returns its exit
# status; STOP_KILLED is 1 when it had to be killed.
stop_pid()
{
	local i

	STOP_KILLED=0
	if kill -INT "$1" 2> /dev/null; then
		for ((i = 0; i < ${2:-10} * 5; i++)); do
			kill -0 "$1" 2> /dev/null || break
			sleep 0.2
		done
		if kill -0 "$1" 2> /dev/null; then
			kill -KILL "$1" 2> /dev/null
			STOP_KILLED=1
		fi
	fi
	wait "$1" 2> /dev/null
}
