#!/bin/bash
# demo.sh - boot the rig once with the demo scenario and print a short
# table: Xen and kernel versions, what the stock pair and the xen-blkmq pair
# negotiated side by side, their 4k randread IOPS and the ratio, the
# dom0-local ceiling, the verify results, per-request counts, and the
# boot-stage timings.  K=stock612 runs it on Linux 6.12.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/demo
"$ROOT/tools/rig/rig.sh" -k "${K:-stock}" -o "$OUT" demo
rc=$?
python3 "$ROOT/tools/rig/table.py" "$OUT"
exit $rc
