#!/usr/bin/env python3
"""bench.py OUTDIR - make bench's report from the bench scenario's rounds.

OUTDIR holds KERNEL/round-N/results.csv (tools/bench/bench.sh).  Prints,
per kernel line, the median over rounds of each figure with its spread
((max - min) / median), each pairing's ratio to stock-stock and to
dom0-local, and the per-I/O counts; writes OUTDIR/bench.csv (every round's
raw figures) and OUTDIR/KERNEL-{queues,guests,blocksize}.png when
matplotlib is there (Debian: python3-matplotlib).
"""
import csv
import glob
import os
import statistics
import sys

PAIRS = ["stock-stock", "ours-stock", "stock-ours", "ours-ours"]
WORK = ["rr4k1", "rr4k32", "rr4k32g", "rw4k32", "sr64k", "sw64k", "sr1m", "sw1m"]
KB = {"rr4k1": 4, "rr4k32": 4, "rr4k32g": 4, "rw4k32": 4, "sr64k": 64, "sw64k": 64,
      "sr1m": 1024, "sw1m": 1024}
# per-I/O counts: (column, label); numerators are per run, divided by ios
PER_IO = [("g_us", "guest us"), ("d_us", "dom0 us"), ("x_us", "xen us"), ("i_us", "idle us"),
          ("g_irq", "g irq"),
          ("d_irq", "d irq"), ("g_ipi", "g ipi"), ("d_ipi", "d ipi"),
          ("g_lockkick", "g lock"), ("d_lockkick", "d lock"), ("b_req", "b req"), ("b_map_ops", "maps"),
          ("b_unmap_ops", "unmaps"), ("b_notify", "b ntf"),
          ("b_wake", "b wake"), ("f_notify", "f ntf")]


def fnum(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def load(path):
    with open(path, newline="") as f:
        return {r["key"]: r["value"] for r in csv.DictReader(f) if r["scenario"] == "bench"}


def run_figures(rows, prefix, secs, pcpus=None):
    """The figures of one measured run (prefix = GUEST.CFG.W or local.W).
    Where each I/O's time went comes from Xen's accounting (xen-cputime's
    x_* deltas from the start of the guest's fio to the end of the run):
    the guests' vCPUs, dom0's, the physical CPUs' idle time, and the rest,
    Xen's own.  fio's own start and end fall inside that window; the
    guest's 1 s warm-up, measured the same way (xw_*, wios), takes them
    out: (run - warm-up) / (ios - warm-up's ios).  On one physical CPU the
    four then add up to each I/O's virtual time.  Without the warm-up's
    figures (dom0-local) the window's shares are scaled to the run's time
    per I/O (pcpus x 10^6 / IOPS us); without x_* (older rounds), the
    domains' /proc/stat ticks, and on one physical CPU the rest is Xen's
    and idle together."""
    r, w = fnum(rows.get(prefix + ".read_iops")), fnum(rows.get(prefix + ".write_iops"))
    if r is None and w is None:
        return None
    iops = (r or 0) + (w or 0)
    out = {"iops": iops}
    ios = fnum(rows.get(prefix + ".ios")) or iops * secs
    if not ios:
        return out
    now = fnum(rows.get(prefix + ".x_now"))
    if now and iops and pcpus:
        wios = fnum(rows.get(prefix + ".wios"))
        warm = wios is not None and fnum(rows.get(prefix + ".xw_now")) is not None and ios > wios

        def span(c):
            v = fnum(rows.get(f"{prefix}.x_{c}")) or 0.0
            return v - (fnum(rows.get(f"{prefix}.xw_{c}")) or 0.0) if warm else v
        whole = pcpus * span("now")
        part = {"g": span("domu"), "d": span("dom0"), "i": span("idle")}
        part["x"] = whole - sum(part.values())
        for side, ns in part.items():
            if warm:
                out[side + "_us"] = ns / 1000.0 / (ios - wios)
            elif whole:
                out[side + "_us"] = ns / whole * pcpus * 1e6 / iops
    # CPU ticks are USER_HZ (100 a second): 10^4 us each
    for side in () if now else ("g", "d"):
        t = fnum(rows.get(f"{prefix}.{side}_ticks"))
        if t is not None:
            out[side + "_us"] = t * 10000.0 / ios
    if not now and pcpus == 1 and iops:
        out["x_us"] = 1e6 / iops - out.get("g_us", 0.0) - out.get("d_us", 0.0)
    for c in (c for c, _ in PER_IO if not c.endswith("_us")):
        v = fnum(rows.get(prefix + "." + c))
        if v is not None:
            out[c] = v / ios
    return out


def collect(rows):
    """{(pair, cfg, work): figures} for one round; pair 'local' is dom0."""
    secs = fnum(rows.get("secs")) or 3
    pcpus = fnum(rows.get("pcpus"))
    res = {}
    for w in WORK:
        f = run_figures(rows, "local." + w, secs, pcpus)
        if f:
            res[("local", "base", w)] = f
    # guest-local (null_blk in a guest): the same kernel in every pairing's
    # guest, so the first pairing that ran it
    for w in WORK:
        f = next((f for f in (run_figures(rows, f"bn-{p}.glocal.{w}", secs, pcpus)
                              for p in PAIRS) if f), None)
        if f:
            res[("glocal", "base", w)] = f
    for p in PAIRS:
        for cfg, works in (("base", WORK), ("q1", ["rr4k32"]), ("q2", ["rr4k32"]),
                           ("p0", ["rr4k32", "sr1m"])):
            for w in works:
                f = run_figures(rows, f"bn-{p}.{cfg}.{w}", secs, pcpus)
                if f:
                    res[(p, cfg, w)] = f
        for n in (2, 4):
            tot, got = 0.0, 0
            for i in range(n):
                f = run_figures(rows, f"mg{n}-{p}-{i}.mg.rr4k32", secs)
                if f:
                    tot += f["iops"]
                    got += 1
            if got == n:
                res[(p, f"g{n}", "rr4k32")] = {"iops": tot}
    return res


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def spread(vals):
    vals = [v for v in vals if v is not None]
    if len(vals) < 2 or not statistics.median(vals):
        return None
    return (max(vals) - min(vals)) / statistics.median(vals)


def fmt(v, nd=0):
    return "-" if v is None else f"{v:.{nd}f}"


def report(kernel, rounds):
    keys = sorted({k for r in rounds for k in r})
    medians = {k: {m: med([r.get(k, {}).get(m) for r in rounds])
                   for m in {m for r in rounds for m in r.get(k, {})}} for k in keys}
    sp = {k: spread([r.get(k, {}).get("iops") for r in rounds]) for k in keys}
    print(f"\n== {kernel}: {len(rounds)} round(s); IOPS are I/Os per virtual second "
          "(counted time: per 10^9 instructions of the whole machine)")
    hdr = f"{'pairing':12} {'cfg':5} {'work':7} {'IOPS':>8} {'MB/s':>7} {'spread':>6} {'/ss':>5} {'/local':>6}"
    hdr += "".join(f" {lab:>8}" for _, lab in PER_IO)
    print(hdr)
    order = [(s, "base", w) for s in ("local", "glocal") for w in WORK]
    for p in PAIRS:
        order += [(p, "base", w) for w in WORK]
        order += [(p, c, "rr4k32") for c in ("q1", "q2")]
        order += [(p, "p0", w) for w in ("rr4k32", "sr1m")]
        order += [(p, f"g{n}", "rr4k32") for n in (2, 4)]
    for k in order:
        if k not in medians:
            continue
        m = medians[k]
        iops = m.get("iops")
        ss = medians.get(("stock-stock",) + k[1:], {}).get("iops")
        loc = medians.get(("local", "base", k[2]), {}).get("iops")
        line = f"{k[0]:12} {k[1]:5} {k[2]:7} {fmt(iops):>8} {fmt(iops * KB[k[2]] / 1024 if iops else None, 1):>7}"
        line += f" {fmt(sp[k] * 100 if sp[k] is not None else None, 1):>5}%"
        mine = k[0] not in ("local", "glocal")
        line += f" {fmt(iops / ss if iops and ss and mine else None, 2):>5}"
        line += f" {fmt(iops / loc if iops and loc and k[0] != 'local' else None, 2):>6}"
        line += "".join(f" {fmt(m.get(c), 3):>8}" for c, _ in PER_IO)
        print(line)
    return medians


def plots(kernel, medians, out):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no matplotlib: no plots)")
        return
    def series(cfgs, work):
        return {p: [medians.get((p, c, work), {}).get("iops") for c, _ in cfgs] for p in PAIRS}
    for name, cfgs, xlabel in (
            ("queues", [("q1", 1), ("q2", 2), ("base", 4)], "queues (4-vCPU guest)"),
            ("guests", [("base", 1), ("g2", 2), ("g4", 4)], "guests at once (aggregate)")):
        fig, ax = plt.subplots(figsize=(6, 4))
        for p, ys in series(cfgs, "rr4k32").items():
            pts = [(x, y) for (_, x), y in zip(cfgs, ys) if y]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=p)
        loc = medians.get(("local", "base", "rr4k32"), {}).get("iops")
        if loc:
            ax.axhline(loc, linestyle="--", color="grey", label="dom0-local")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("4k randread QD32x2 IOPS")
        ax.set_title(f"{kernel}: IOPS vs {name}")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, f"{kernel}-{name}.png"))
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    sizes = [("rr4k32", 4), ("sr64k", 64), ("sr1m", 1024)]
    for p in PAIRS + ["local"]:
        pts = [(kb, medians.get((p, "base", w), {}).get("iops", 0) * kb / 1024) for w, kb in sizes
               if medians.get((p, "base", w))]
        if pts:
            ax.plot(*zip(*pts), marker="o", label="dom0-local" if p == "local" else p,
                    linestyle="--" if p == "local" else "-")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("read block size (KiB)")
    ax.set_ylabel("MB/s")
    ax.set_title(f"{kernel}: read throughput vs block size")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{kernel}-blocksize.png"))
    plt.close(fig)


def profiles(out, kernel, top=15):
    """The first round's profiles: per domain and pairing the busy share
    (samples not in an idle vCPU's blocking hypercall) and the top
    functions as shares of it."""
    path = os.path.join(out, kernel, "round-1.profile.txt")
    if not os.path.exists(path):
        return
    tabs = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("|", 3)
            if len(parts) < 4:
                continue
            _, side, run, rest = parts
            # GUEST.prof.WORK
            pair, work = run.split(".")[0].replace("bn-", ""), run.split(".")[-1]
            f = rest.split()
            if len(f) >= 4 and f[0].endswith("%"):
                pct = float(f[0].rstrip("%"))
                # percent comm dso [k] symbol...
                tabs.setdefault((pair, side, work), []).append((pct, f[1], f[2], " ".join(f[4:])))
    for pair, side, work in ((p, s, w) for w in WORK for p in PAIRS for s in ("guest", "dom0")):
        rows = tabs.get((pair, side, work))
        if rows:
            idle = sum(p for p, comm, _, sym in rows
                       if comm == "swapper" and sym == "xen_hypercall_pv")
            busy = max(100.0 - idle, 1e-9)
            print(f"\n{kernel} profile, {pair}, {side} ({work}): busy {busy:.1f}% of the samples")
            for p, comm, dso, sym in rows[:top]:
                if comm == "swapper" and sym == "xen_hypercall_pv":
                    continue
                print(f"  {100.0 * p / busy:5.1f}%  {comm:<16} {dso:<20} {sym}")


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "bench.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["kernel", "round", "pairing", "cfg", "work", "iops"] + [c for c, _ in PER_IO])
        for kdir in sorted(glob.glob(os.path.join(out, "*", ""))):
            kernel = os.path.basename(os.path.dirname(kdir))
            rounds = []
            for rdir in sorted(glob.glob(os.path.join(kdir, "round-*"))):
                p = os.path.join(rdir, "results.csv")
                if not os.path.exists(p):
                    continue
                r = collect(load(p))
                if not r:
                    continue
                rounds.append(r)
                for k, m in sorted(r.items()):
                    wr.writerow([kernel, os.path.basename(rdir)] + list(k) +
                                [m.get("iops")] + [m.get(c) for c, _ in PER_IO])
            if rounds:
                plots(kernel, report(kernel, rounds), out)
                profiles(out, kernel)
    print(f"\nraw figures: {os.path.join(out, 'bench.csv')}")


if __name__ == "__main__":
    main()
