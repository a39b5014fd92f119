#!/bin/bash
# cmp-back.sh - repeat the cmp-back rig scenario (stock xen-blkback and
# xen-blkmq-back, stock xen-blkfront, one boot per round, stock kernel) and
# print per-round and median IOPS with the ours/stock ratio, and our grant
# maps, unmaps and notifications per request.  Software emulation makes one
# round noisy; compare medians of several rounds, never absolute numbers.
# With RIG_ICOUNT=1 (make bench's default) the rounds run in counted time:
# IOPS are then I/Os per 10^9 emulated instructions of the whole machine,
# and two rounds agree to well under 1 %.
#
# usage: tools/bench/cmp-back.sh [ROUNDS (3)] [FIO_SECONDS (20)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
export RIG_FIO_RUNTIME=${2:-20}
OUT=$ROOT/build/bench
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
	"$ROOT/tools/rig/rig.sh" -k stock -o "$OUT/round-$r" cmp-back > "$OUT/round-$r.log" 2>&1 ||
		echo "round $r: scenario failed (see $OUT/round-$r.log)"
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import csv, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
keys = {
    "stock p1": "cmpstock1.meas-p1.read_iops", "ours p1": "cmpours1.meas-p1.read_iops",
    "stock p0": "cmpstock0.meas-p0.read_iops", "ours p0": "cmpours0.meas-p0.read_iops",
}
per = {"ours.p1.map_ops.per_req", "ours.p1.unmap_ops.per_req", "ours.p1.notify.per_req",
       "ours.p0.map_ops.per_req", "ours.p0.unmap_ops.per_req", "ours.p0.notify.per_req"}
vals = {k: [] for k in list(keys) + sorted(per)}
for r in range(1, rounds + 1):
    try:
        rows = {row["key"]: row["value"] for row in csv.DictReader(open(f"{out}/round-{r}/results.csv"))
                if row["scenario"] == "cmp-back"}
    except FileNotFoundError:
        continue
    line = []
    for name, k in keys.items():
        if k in rows and rows[k]:
            vals[name].append(float(rows[k]))
            line.append(f"{name} {rows[k]}")
    for k in sorted(per):
        if k in rows:
            vals[k].append(float(rows[k]))
    print(f"round {r}: " + ", ".join(line))
med = {k: statistics.median(v) for k, v in vals.items() if v}
print("\nmedian 4k randread QD32x2 IOPS (stock xen-blkfront in the guest)")
for p in ("p1", "p0"):
    s, o = med.get(f"stock {p}"), med.get(f"ours {p}")
    if s and o:
        print(f"  persistent={p[1]}: stock blkback {s:.0f}, xen-blkmq-back {o:.0f}, ratio {o / s:.2f}")
print("median per request (xen-blkmq-back)")
for k in sorted(per):
    if k in med:
        print(f"  {k}: {med[k]:.4f}")
PY
