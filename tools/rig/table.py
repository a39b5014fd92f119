#!/usr/bin/env python3
"""Print make demo's table from a rig output directory (results.json,
stages.csv, milestones.csv): the stock pair and ours side by side."""
import csv
import json
import sys


def ratio(a, b):
    try:
        return f"{float(a) / float(b):.2f}"
    except (TypeError, ValueError, ZeroDivisionError):
        return "-"


def main():
    out = sys.argv[1]
    with open(f"{out}/results.json") as f:
        res = json.load(f)
    info = res["info"]
    d = res["scenarios"].get("demo", {})
    r = d.get("results", {})

    def both(key):
        return tuple(r.get(f"{p}.{key}", "-") for p in ("stock", "ours"))

    def keys(key):
        return tuple(f"{r.get(f'{p}.xvdb.back.{key}', '-')}" for p in ("stock", "ours"))

    def fkeys(key):
        return tuple(f"{r.get(f'{p}.xvdb.front.{key}', '-')}" for p in ("stock", "ours"))

    rows = [
        ("guest kernel", both("kernel")),
        ("backend multi-queue-max-queues", keys("multi-queue-max-queues")),
        ("frontend multi-queue-num-queues", fkeys("multi-queue-num-queues")),
        ("guest hardware queues", both("hw_queues")),
        ("backend max-ring-page-order", keys("max-ring-page-order")),
        ("frontend ring-page-order", fkeys("ring-page-order")),
        ("feature-persistent back", keys("feature-persistent")),
        ("feature-persistent front", fkeys("feature-persistent")),
        ("feature-max-indirect-segments", keys("feature-max-indirect-segments")),
        ("guest max_segments", both("max_segments")),
        ("guest max_sectors_kb", both("max_sectors_kb")),
        ("feature-flush-cache", keys("feature-flush-cache")),
        ("feature-discard", keys("feature-discard")),
        ("4k randread QD32x2 IOPS", both("randread.read_iops")),
        ("randwrite+verify crc32c errors", both("verify.err")),
        ("event-channel irqs / request (guest)", both("front.evtchn_irqs.per_req")),
        ("frontend notifications / request", both("front.notify_sent.per_req")),
        ("frontend fresh grants / request", both("front.pool_fresh.per_req")),
        ("backend grant maps / request", both("back.map_ops.per_req")),
        ("backend grant unmaps / request", both("back.unmap_ops.per_req")),
        ("backend notifications / request", both("back.notify.per_req")),
    ]
    stock, ours = both("randread.read_iops")
    dom0 = r.get("dom0_randread.read_iops", "-")
    w = max(len(k) for k, _ in rows) + 2
    print(f"\n== demo: Xen {info.get('xen', '?')}, dom0 {info.get('dom0_kernel', '?')}")
    print(f"   verdict {d.get('verdict', '?')} {d.get('why', '')}".rstrip())
    print(f"  {'':<{w}}  {'stock pair':>14}  {'xen-blkmq pair':>14}")
    for k, (a, b) in rows:
        print(f"  {k:<{w}}  {a:>14}  {b:>14}")
    print(f"\n  ours / stock (4k randread IOPS)   {ratio(ours, stock)}")
    print(f"  dom0-local 4k randread IOPS       {dom0}")
    print(f"  stock / dom0-local, ours / dom0   {ratio(stock, dom0)}, {ratio(ours, dom0)}")
    print("  (multi-threaded TCG: one run swings by tens of per cent; make bench measures)")
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
