#!/usr/bin/env python3
"""Print the baseline table from a rig output directory (results.json,
stages.csv, milestones.csv)."""
import csv
import json
import sys


def main():
    out = sys.argv[1]
    with open(f"{out}/results.json") as f:
        res = json.load(f)
    info = res["info"]
    b = res["scenarios"].get("baseline", {})
    r = b.get("results", {})
    rows = [
        ("Xen", info.get("xen", "?")),
        ("dom0 kernel", info.get("dom0_kernel", "?")),
        ("baseline verdict", f"{b.get('verdict', '?')} {b.get('why', '')}".strip()),
        ("backend multi-queue-max-queues", r.get("xvda.back.multi-queue-max-queues")),
        ("frontend multi-queue-num-queues", r.get("xvda.front.multi-queue-num-queues")),
        ("guest hardware queues", r.get("base.hw_queues")),
        ("backend max-ring-page-order", r.get("xvda.back.max-ring-page-order")),
        ("frontend ring-page-order", r.get("xvda.front.ring-page-order")),
        ("feature-persistent back/front",
         f"{r.get('xvda.back.feature-persistent')}/{r.get('xvda.front.feature-persistent')}"),
        ("backend feature-max-indirect-segments", r.get("xvda.back.feature-max-indirect-segments")),
        ("guest max_segments / max_sectors_kb",
         f"{r.get('base.max_segments')} / {r.get('base.max_sectors_kb')}"),
        ("feature-flush-cache / barrier",
         f"{r.get('xvda.back.feature-flush-cache')} / {r.get('xvda.back.feature-barrier')}"),
        ("feature-discard", r.get("xvda.back.feature-discard")),
        ("guest 4k randread QD32x2 IOPS", r.get("base.randread.read_iops")),
        ("dom0-local 4k randread QD32x2 IOPS", r.get("dom0_randread.read_iops")),
        ("guest randwrite+verify crc32c (err, rc)",
         f"write IOPS {r.get('base.verify.write_iops')}, err={r.get('base.verify.err')}, rc={r.get('base.verify.rc')}"),
    ]
    try:
        g, d = float(r["base.randread.read_iops"]), float(r["dom0_randread.read_iops"])
        rows.append(("guest / dom0-local", f"{g / d:.2f}"))
    except (KeyError, ValueError, ZeroDivisionError):
        pass
    w = max(len(k) for k, _ in rows)
    print("\n== baseline: stock xen-blkfront x stock xen-blkback on null_blk")
    for k, v in rows:
        print(f"  {k:<{w}}  {v}")
    print("\n== host stages (s)")
    with open(f"{out}/stages.csv") as f:
        for row in csv.DictReader(f):
            print(f"  {row['stage']:<{w}}  {row['seconds']:>7}  {row['note'][:60]}")
    print("\n== inside QEMU (s after start)")
    with open(f"{out}/milestones.csv") as f:
        for row in csv.DictReader(f):
            print(f"  {row['milestone']:<{w}}  {row['seconds']:>7}")
    print(f"\nresult: {'PASS' if res['pass'] else 'FAIL'}")


if __name__ == "__main__":
    main()
