#!/bin/bash
# check.sh - everything `make check` runs: unit tests, lint, and the rig
# scenarios listed in tests/rig/check.list ("KERNEL SCENARIO..." per line).
# Every check prints "CHECK PASS|FAIL name"; the last line is
# "N passed, N failed" and the exit status is non-zero on any failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
LOG=$ROOT/build/check
rm -rf "$LOG"
mkdir -p "$LOG"
T0=$(date +%s)
: > "$LOG/verdicts"
record() { echo "CHECK $1 $2" | tee -a "$LOG/verdicts"; }

# -- unit tests (seconds)
if make -s -C tests/unit check > "$LOG/unit.log" 2>&1; then r=PASS; else r=FAIL; fi
cat "$LOG/unit.log"
record "$r" unit

# -- fuzzers over the pure logic, a bounded run each (make -C tests/fuzz long
#    for the long one)
if make -s -C tests/fuzz check > "$LOG/fuzz.log" 2>&1; then r=PASS; else r=FAIL; fi
grep -E '^(PASS|FAIL) |^fuzz:' "$LOG/fuzz.log"
record "$r" fuzz

# -- lint
tools/lint.sh > "$LOG/lint.log" 2>&1
grep -v '^CHECK ' "$LOG/lint.log"
grep '^CHECK ' "$LOG/lint.log" | tee -a "$LOG/verdicts"
grep -q '^CHECK ' "$LOG/lint.log" || record FAIL lint

# -- rig: one boot per kernel, every scenario of that kernel in the boot
while read -r kernel scenarios; do
	case $kernel in '' | '#'*) continue ;; esac
	for try in 1 2; do
		# shellcheck disable=SC2086 # a list of scenario names
		tools/rig/rig.sh -k "$kernel" -o "$ROOT/build/rig-$kernel" $scenarios 2>&1 |
			tee "$LOG/rig-$kernel.log" | grep --line-buffered -E '^\[|^RIG '
		rc=${PIPESTATUS[0]}
		# A boot that died before its first scenario started never ran
		# any of our code (emulated-CPU flakes: a dom0 panic at 2 s in
		# text patching, a hang before the first guest): boot once more,
		# and keep the first attempt's logs.  Failures before the boot
		# (a build, a download) are not retried.
		m=$ROOT/build/rig-$kernel/milestones.csv
		if [ "$rc" = 0 ] || [ $try = 2 ] || ! grep -q '^xen,' "$m" 2>/dev/null ||
			grep -q '^start:' "$m"; then
			break
		fi
		echo "RIG-RETRY: the $kernel boot died before its first scenario; booting again"
		rm -rf "$ROOT/build/rig-$kernel.try1"
		mv "$ROOT/build/rig-$kernel" "$ROOT/build/rig-$kernel.try1"
		mv "$LOG/rig-$kernel.log" "$LOG/rig-$kernel.try1.log"
	done
	n=0
	while read -r _ verdict name _; do
		record "$verdict" "rig:$kernel:$name"
		n=$((n + 1))
	done < <(grep -E '^RIG (PASS|FAIL) ' "$LOG/rig-$kernel.log")
	# a report outside any scenario, a crash or a stage failure
	if [ "$rc" != 0 ] && ! grep -q '^RIG FAIL ' "$LOG/rig-$kernel.log"; then
		record FAIL "rig:$kernel:boot"
	fi
	[ $n -gt 0 ] || [ "$rc" != 0 ] || record FAIL "rig:$kernel:no-scenarios-ran"
done < tests/rig/check.list

# What failed and why, at the end where a log tail shows it.
if grep -q '^CHECK FAIL' "$LOG/verdicts"; then
	echo "== failures"
	grep '^CHECK FAIL' "$LOG/verdicts"
	for l in "$LOG"/rig-*.log; do
		[ -e "$l" ] || continue
		grep -E '^RIG (FAIL|kernel report|stopped)|^RIG-RETRY|qemu rc=' "$l" |
			head -n 20 | sed "s|^|${l##*/}: |"
	done
fi
p=$(grep -c '^CHECK PASS' "$LOG/verdicts")
f=$(grep -c '^CHECK FAIL' "$LOG/verdicts")
echo "check wall time: $(($(date +%s) - T0))s"
echo "$p passed, $f failed"
[ "$f" = 0 ]
