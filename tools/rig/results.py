#!/usr/bin/env python3
"""The one reader of a rig console: results.csv / results.json and a verdict.

usage: results.py OUTDIR REASON SCENARIO...

Reads OUTDIR/serial.clean (the console with CRs stripped).  The markers it
reads are those of tools/rig/README.md's console protocol table.  A
scenario passes only when dom0 printed "RIGSCN|name|PASS"; the run passes
only when every requested scenario passed, no kernel in any domain printed
a report (warning, oops, lockdep, memory checker) anywhere in the log, Xen
did not crash, and the host watcher had no REASON to stop QEMU.

Prints, for tools/check.sh and a person: "RIG PASS|FAIL name (Ns)[: why]"
per requested scenario, then "RIG scenario retried: ...", "RIG kernel
report: ...", "RIG dirty after ...", "RIG stopped: ...", and for a failed
run "RIG detail: ..." lines: the cases reported FAIL/FAILED, a guest that
broke in early boot and where its vCPUs were.
"""
import csv
import json
import os
import re
import sys



def lib_pattern(name):
    """A report pattern, from the one place that defines it (rig-lib.sh)."""
    lib = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "shared", "rig-lib.sh")
    with open(lib) as f:
        m = re.search(rf"^{name}='([^']*)'", f.read(), re.M)
    return re.compile(m[1])


BAD = lib_pattern("RIG_BAD_RE")
XEN_BAD = lib_pattern("RIG_XEN_BAD_RE")
# the lines of a stuck guest's xenctx dump worth showing: its vCPUs, their
# rip, and the frames that name a function
STUCK_DETAIL = re.compile(
    r"RIG-GUEST-STUCK\|[^|]*\|( (vcpu[0-9]+:|rip:)|.*\[<[0-9a-f]+>\] [a-z_])")


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
    failed_cases, early = [], []
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
        # a case a guest or dom0 reported failed (HOSTILE|, HB-CASE|, ...),
        # named at the end of a failed run; tables repeat them
        if (re.search(r"\|(FAIL|FAILED)(\||$)", line)
                and not re.search(r"RIGRES|HB-TABLE", line)):
            failed_cases.append(line)
        # a guest that broke in early boot, and where its vCPUs were
        if (line.startswith("RIG-GUEST-EARLY|")
                or STUCK_DETAIL.match(line)):
            early.append(line)
        # Diagnostics dom0 prints once something is already wrong copy
        # stacks that are not new reports: xenctx's view of a stuck guest's
        # vCPUs (RIG-GUEST-STUCK|, and inside RIG-DUMP|), the dump of every
        # domain before a timeout (RIG-DUMP|) and dom0's hung tasks again
        # with their stacks (RIG-HUNG|; the kernel's own "blocked" line is
        # on the console as well and counts there).
        if line.startswith(("RIG-GUEST-STUCK|", "RIG-DUMP|", "RIG-HUNG|")):
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
                   "kernel_reports": reports[:50], "scenarios": scn,
                   "failed_cases": failed_cases[:50],
                   "early_guests": early[:60]},
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
    if not ok:
        for r in failed_cases[:20] + early[:60]:
            print(f"RIG detail: {r}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
