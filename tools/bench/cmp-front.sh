#!/bin/bash
# cmp-front.sh - repeat the cmp-front rig scenario (the four pairings of
# stock and xen-blkmq frontend and backend, one boot per round, stock
# kernel) and print per-round and median IOPS, each pairing's ratio to the
# stock pair, and our per-request counters.  Software emulation makes one
# round noisy; compare medians of several rounds, never absolute numbers.
# With RIG_ICOUNT=1 (make bench's default) the rounds run in counted time:
# IOPS are then I/Os per 10^9 emulated instructions of the whole machine,
# and two rounds agree to well under 1 %.
#
# usage: tools/bench/cmp-front.sh [ROUNDS (3)] [FIO_SECONDS (20)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
export RIG_FIO_RUNTIME=${2:-20}
OUT=$ROOT/build/bench-front
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
	"$ROOT/tools/rig/rig.sh" -k stock -o "$OUT/round-$r" cmp-front > "$OUT/round-$r.log" 2>&1 ||
		echo "round $r: scenario failed (see $OUT/round-$r.log)"
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import csv, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
pairs = ["stock-stock", "ours-stock", "stock-ours", "ours-ours"]
vals = {}
for r in range(1, rounds + 1):
    try:
        rows = {row["key"]: row["value"] for row in csv.DictReader(open(f"{out}/round-{r}/results.csv"))
                if row["scenario"] == "cmp-front"}
    except FileNotFoundError:
        continue
    line = []
    for k, v in rows.items():
        if not k.startswith("cf-") or not v:
            continue
        if k.endswith(".meas.read_iops") or ".per_req" in k:
            vals.setdefault(k, []).append(float(v))
    for p in pairs:
        v = rows.get(f"cf-{p}.meas.read_iops")
        if v:
            line.append(f"{p} {v}")
    print(f"round {r}: " + ", ".join(line))
med = {k: statistics.median(v) for k, v in vals.items()}
base = med.get("cf-stock-stock.meas.read_iops")
print("\nmedian 4k randread QD32x2 IOPS (frontend-backend)")
for p in pairs:
    v = med.get(f"cf-{p}.meas.read_iops")
    if v:
        print(f"  {p}: {v:.0f}" + (f", ratio to stock-stock {v / base:.2f}" if base else ""))
print("median per request (our counters)")
for k in sorted(k for k in med if ".per_req" in k):
    print(f"  {k}: {med[k]:.4f}")
PY
