#!/bin/bash
# demo.sh - boot the rig once with the baseline scenario and print a short
# table: Xen/dom0 versions, what the stock pair negotiated, guest and
# dom0-local IOPS, the verify result and the boot-stage timings.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/demo
"$ROOT/tools/rig/rig.sh" -k stock -o "$OUT" baseline
rc=$?
python3 "$ROOT/tools/rig/table.py" "$OUT"
exit $rc
