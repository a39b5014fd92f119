#!/bin/bash
# bench.sh - make bench: the bench rig scenario (tests/rig/bench.sh: every
# pairing of stock and xen-blkmq frontend and backend over the workload,
# queue, guest and persistent-grant matrix, and dom0-local fio as the
# limit), one boot per kernel line per round, then tools/bench/bench.py's
# table, CSV and plots in build/bench/.
# In counted time (RIG_ICOUNT=1, the default) IOPS are I/Os per 10^9
# instructions of the whole machine: a cost per I/O, repeatable to well
# under 1 %, in which vCPUs take turns (no parallel speed-up or
# contention shows).  MT=1 runs multi-threaded TCG instead: throughput as
# the host gives it, noisy (take the medians of 5 rounds or more).
#
# usage: tools/bench/bench.sh [ROUNDS (2)] [FIO_SECONDS (3)]
# env: K (kernel lines, default "stock stock612"), MT, and the scenario's
#   BENCH_WORK / BENCH_SWEEP / BENCH_GUESTS / BENCH_PAIRS to run less.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$ROOT/tools/lib/common.sh"
apt_need python3-matplotlib
ROUNDS=${1:-2}
export RIG_FIO_RUNTIME=${2:-3}
if [ "${MT:-0}" = 1 ]; then export RIG_ICOUNT=0; else export RIG_ICOUNT=1; fi
# perf in both domains: each pairing's guest adds a profiled rr4k32 run
export RIG_PERF=${RIG_PERF:-1}
OUT=${BENCH_OUT:-$ROOT/build/bench}
rm -rf "$OUT"
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
	for k in ${K:-stock stock612}; do
		mkdir -p "$OUT/$k"
		"$ROOT/tools/rig/rig.sh" -k "$k" -o "$OUT/$k/round-$r" bench > "$OUT/$k/round-$r.log" 2>&1 ||
			echo "round $r on $k: the scenario failed (see $OUT/$k/round-$r.log)"
	done
done
# the profiles: the top functions per domain, per pairing and kernel
for k in ${K:-stock stock612}; do
	for r in "$OUT/$k"/round-*/; do
		[ -s "$r/serial.clean" ] || continue
		grep -o 'PERF|.*' "$r/serial.clean" > "${r%/}.profile.txt" || true
	done
done
# Debian's python3 (python3-matplotlib is installed for it), not another
# python3 that PATH may find first
/usr/bin/python3 "$ROOT/tools/bench/bench.py" "$OUT" | tee "$OUT/bench.txt"
