#!/usr/bin/env python3
"""Turn a rig console log into results.csv / results.json and a verdict.

usage: results.py OUTDIR REASON SCENARIO...

Reads OUTDIR/serial.clean (the console with CRs stripped).  A scenario
passes only when dom0 printed "RIGSCN|name|PASS"; the run passes only when
every requested scenario passed, no kernel in any domain printed a report
(warning, oops, lockdep, memory checker) anywhere in the log, Xen did not
crash, and the host watcher had no REASON to stop QEMU.
"""
import csv
import json
import os
import re
import sys



def bad_pattern():
    """The kernel-report pattern, from the one place that defines it."""
    lib = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "shared", "rig-lib.sh")
    with open(lib) as f:
        m = re.search(r"^RIG_BAD_RE='([^']*)'", f.read(), re.M)
    return re.compile(m[1])


BAD = bad_pattern()
XEN_BAD = re.compile(r"Panic on CPU|FATAL|Domain 0 crashed|Hardware Dom0 crashed|Assertion .* failed")


def main():
    out, reason, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(f"{out}/serial.clean", errors="replace") as f:
        lines = f.read().splitlines()

    # Warnings a scenario declared known (rig_dmesg_known) are named on a
    # RIG-DMESG-KNOWN line by the domain that saw them; the same report on
    # that domain's console, from its WARNING line to its end-trace line, is
    # not counted (only its kernel lines, and at most KNOWN_MAX of them,
    # so a report cut short cannot hide what follows).  A domain is its
    # "G|name|" prefix, dom0 none.
    KNOWN_MAX = 120
    known = set()
    for line in lines:
        m = re.match(r"(G\|[^|]*\| )?.*RIG-DMESG-KNOWN: (\[ *[0-9.]+\]) WARNING:", line)
        if m:
            known.add((m[1] or "", m[2]))
    in_known = {}

    info, scn, reports, retries, dirty = {}, {}, [], [], None
    # guest reports of the scenario attempt under way: a retried attempt's
    # (its guest broke before its init ran) are shown, not counted
    attempt_guest_reports = []
    for line in lines:
        if re.search(r"RIG-SCN-START\|", line) and not line.startswith("G|"):
            attempt_guest_reports = []
        m = re.match(r"(G\|[^|]*\| )?(.*)$", line)
        dom, text = m[1] or "", m[2]
        known_line = "RIG-DMESG-KNOWN: " in text
        t = re.match(r"(\[ *[0-9.]+\]) WARNING:", text)
        if t and (dom, t[1]) in known:
            in_known[dom] = KNOWN_MAX
        if in_known.get(dom) and re.match(r"\[ *[0-9.]+\] ", text):
            known_line = True
            in_known[dom] -= 1
            if "---[ end trace" in text:
                in_known[dom] = 0
        if line.startswith("(XEN)"):
            if XEN_BAD.search(line):
                reports.append(line)
            continue
        # guest consoles arrive as "G|name| text"; RIG* markers may follow a
        # kernel timestamp when the console interleaves, so search, not match
        m = re.search(r"RIGRES\|([^|]*)\|([^|]*)\|(.*)$", line)
        if m and not line.startswith("G|"):
            scn.setdefault(m[1], {"results": {}})["results"][m[2]] = m[3]
            continue
        m = re.search(r"RIGSCN\|([^|]*)\|(PASS|FAIL)\|([^|]*)\|(.*)$", line)
        if m:
            s = scn.setdefault(m[1], {"results": {}})
            s.update(verdict=m[2], seconds=float(m[3] or 0), why=m[4].strip())
            continue
        m = re.search(r"RIG-RETRY\|([^|]*)\|(.*)$", line)
        if m and not line.startswith("G|"):
            retries.append(f"{m[1]}: {m[2]}")
            for r in attempt_guest_reports:
                reports.remove(r)
                retries.append(f"{m[1]}: (failed attempt) {r}")
            attempt_guest_reports = []
            continue
        m = re.search(r"RIG-DIRTY\|([^|]*)\|(.*)$", line)
        if m and not line.startswith("G|"):
            dirty = f"{m[1]}: {m[2]}"
            continue
        m = re.search(r"RIG-INFO\|([^|]*)\|(.*)$", line)
        if m:
            info[m[1]] = m[2]
            continue
        # xenctx's dump of a stuck guest's vCPUs has a "Call Trace" of its
        # own; the guest's failure is its scenario's to report
        if line.startswith("RIG-GUEST-STUCK|"):
            continue
        if BAD.search(line) and not known_line:
            reports.append(line)
            if line.startswith("G|"):
                attempt_guest_reports.append(line)

    for s in wanted:
        e = scn.setdefault(s, {"results": {}})
        if "verdict" not in e:
            e.update(verdict="FAIL", seconds=0.0, why="did not finish")
    ok = (not reason and not reports
          and all(scn[s]["verdict"] == "PASS" for s in wanted))

    with open(f"{out}/results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "key", "value"])
        for k, v in info.items():
            w.writerow(["-", k, v])
        for name, e in scn.items():
            w.writerow([name, "verdict", e["verdict"]])
            w.writerow([name, "seconds", e.get("seconds", "")])
            w.writerow([name, "why", e.get("why", "")])
            for k, v in e["results"].items():
                w.writerow([name, k, v])
    with open(f"{out}/results.json", "w") as f:
        json.dump({"pass": ok, "stopped_because": reason, "info": info,
                   "kernel_reports": reports[:50], "scenarios": scn},
                  f, indent=1)

    for name in wanted:
        e = scn[name]
        print(f"RIG {e['verdict']:4} {name} ({e.get('seconds', 0):.0f}s)"
              + (f": {e['why']}" if e.get("why") else ""))
    for r in retries:
        print(f"RIG scenario retried: {r}")
    for r in reports[:20]:
        print(f"RIG kernel report: {r}")
    if dirty:
        # check.sh boots afresh for the scenarios that did not run
        print(f"RIG dirty after {dirty}")
    if reason:
        print(f"RIG stopped: {reason}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
