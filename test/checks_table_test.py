#!/usr/bin/env python3
"""The simulation's checks over every corpus stream and real chart, against the table in docs/checks.md.

For each stream of test/corpus and test/real-charts, with no profile (every workload as it is) and with
each of Cautious and Blitz, `plan` runs and
every finding of the checks only a simulation makes (stall, downtime, progress-deadline,
budget-blocks-drains, replicas-fought-over, canary-unobserved) becomes a row: stream, profile, id,
workload or budget. The rows must be the table between the markers in docs/checks.md, so that a
change in what the checks find cannot go unreviewed (each row there is reviewed against the chart's
own documentation).

Usage: checks_table_test.py BINARY SOURCE_DIR [--write]
"""
import pathlib
import re
import subprocess
import sys

IDS = ["stall", "downtime", "progress-deadline", "budget-blocks-drains", "replicas-fought-over", "canary-unobserved"]
BEGIN, END = "<!-- checks-table:begin -->", "<!-- checks-table:end -->"


def rows(binary, source):
    out = []
    files = sorted((source / "test/corpus").glob("*.yaml")) + sorted((source / "test/real-charts").glob("*.yaml"))
    for f in files:
        for profile in ["none", "Cautious", "Blitz"]:
            chosen = [] if profile == "none" else ["--profile=" + profile]
            with open(f, "rb") as stdin:
                r = subprocess.run([binary, "plan"] + chosen, stdin=stdin, capture_output=True, timeout=120)
            for line in r.stderr.decode("utf-8", "replace").splitlines():
                m = re.match(r"rollout-pace: warning: \[([a-z-]+)\] document \d+ \(([A-Za-z]+) ([^,)]+)", line)
                if m and m.group(1) in IDS:
                    out.append(f"| {f.parent.name}/{f.name} | {profile} | `{m.group(1)}` | {m.group(2)} {m.group(3)} |")
    return sorted(set(out))


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    doc = source / "docs/checks.md"
    text = doc.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    found = rows(binary, source)
    table = "\n| stream | profile | check | about |\n|---|---|---|---|\n" + "\n".join(found) + "\n"
    if "--write" in sys.argv:
        doc.write_text(head + BEGIN + table + END + tail)
        print(f"checks_table: wrote {len(found)} rows")
        return 0
    if rest.split(END, 1)[0] != table:
        print("checks_table: docs/checks.md's table is not what the checks find now; the rows found:")
        print(table)
        return 1
    print(f"checks_table: {len(found)} findings over the corpus and the real charts, as docs/checks.md lists them")
    return 0


sys.exit(main())
