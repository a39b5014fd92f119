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
	# DOM0/GUESTS: the guests on another kernel than dom0's (rig.sh -g)
	kopt=(-k "${kernel%%/*}")
	[ "${kernel#*/}" = "$kernel" ] || kopt+=(-g "${kernel#*/}")
	tag=${kernel//\//-}
	todo=$scenarios
	# verdicts of scenarios that finished in a boot that later stalled
	: > "$LOG/rig-$tag.earlier"
	for try in 1 2 3; do
		# shellcheck disable=SC2086 # a list of scenario names
		tools/rig/rig.sh "${kopt[@]}" -o "$ROOT/build/rig-$tag" $todo 2>&1 |
			tee "$LOG/rig-$tag.log" | grep --line-buffered -E '^\[|^RIG '
		rc=${PIPESTATUS[0]}
		l=$LOG/rig-$tag.log
		m=$ROOT/build/rig-$tag/milestones.csv
		if [ "$rc" = 0 ] || [ $try = 3 ] || ! grep -q '^xen,' "$m" 2>/dev/null; then
			break
		fi
		if ! grep -q '^start:' "$m" && [ $try = 1 ]; then
			# Died before its first scenario started, so before any
			# of our code ran (emulated-CPU flakes: a dom0 panic at
			# 2 s in text patching, a hang before the first guest):
			# boot once more.
			echo "RIG-RETRY: the $kernel boot died before its first scenario; booting again" | tee -a "$LOG/retries"
		elif grep -q '^RIG dirty after ' "$l" &&
			grep -q ': did not finish$' "$l"; then
			# A scenario failed and dom0 could not be cleaned up after
			# it: the scenarios after it run in a fresh boot.
			grep -E '^RIG (PASS|FAIL) ' "$l" | grep -v ': did not finish$' >> "$LOG/rig-$tag.earlier"
			todo=$(sed -n 's/^RIG FAIL \([^ ]*\) (0s): did not finish$/\1/p' "$l" | tr '\n' ' ')
			echo "RIG-RETRY: $(sed -n 's/^RIG dirty after //p' "$l" | head -n 1); booting afresh for: $todo" | tee -a "$LOG/retries"
		elif [ $try = 1 ] && grep -q '^RIG stopped: no console output' "$l" &&
			! grep -q '^RIG kernel report' "$l" &&
			grep -q ': did not finish$' "$l"; then
			# The whole console went silent with no report from any
			# kernel (a guest stuck in early boot under TCG, seen
			# with no other load): boot once more for the scenarios
			# that did not finish, the one that was running included.
			# Those that finished keep their verdicts.
			grep -E '^RIG (PASS|FAIL) ' "$l" | grep -v ': did not finish$' >> "$LOG/rig-$tag.earlier"
			todo=$(sed -n 's/^RIG FAIL \([^ ]*\) (0s): did not finish$/\1/p' "$l" | tr '\n' ' ')
			echo "RIG-RETRY: the $kernel boot went silent with no kernel report; booting again for: $todo" | tee -a "$LOG/retries"
		else
			break
		fi
		rm -rf "$ROOT/build/rig-$tag.try$try"
		mv "$ROOT/build/rig-$tag" "$ROOT/build/rig-$tag.try$try"
		mv "$l" "$LOG/rig-$tag.try$try.log"
	done
	cat "$LOG/rig-$tag.earlier" > "$LOG/rig-$tag.verdicts"
	grep -E '^RIG (PASS|FAIL) ' "$LOG/rig-$tag.log" >> "$LOG/rig-$tag.verdicts"
	n=0
	while read -r _ verdict name _; do
		record "$verdict" "rig:$kernel:$name"
		n=$((n + 1))
	done < "$LOG/rig-$tag.verdicts"
	# a report outside any scenario, a crash or a stage failure
	if [ "$rc" != 0 ] && ! grep -q '^RIG FAIL ' "$LOG/rig-$tag.verdicts"; then
		record FAIL "rig:$kernel:boot"
	fi
	[ $n -gt 0 ] || [ "$rc" != 0 ] || record FAIL "rig:$kernel:no-scenarios-ran"
done < tests/rig/check.list

# What failed and why, at the end where a log tail shows it.
if grep -q '^CHECK FAIL' "$LOG/verdicts"; then
	echo "== failures"
	grep '^CHECK FAIL' "$LOG/verdicts"
	# what results.py (the console's one reader) said about each boot
	for l in "$LOG"/rig-*.log; do
		[ -e "$l" ] || continue
		grep -E '^RIG (FAIL|kernel report|stopped|scenario retried|detail)|qemu rc=' "$l" |
			head -n 100 | sed "s|^|${l##*/}: |"
	done
fi
# boots retried (each is a finding to chase, even when the retry passed)
if [ -s "$LOG/retries" ]; then
	echo "== boots retried"
	cat "$LOG/retries"
fi
p=$(grep -c '^CHECK PASS' "$LOG/verdicts")
f=$(grep -c '^CHECK FAIL' "$LOG/verdicts")
echo "check wall time: $(($(date +%s) - T0))s"
echo "$p passed, $f failed"
[ "$f" = 0 ]
