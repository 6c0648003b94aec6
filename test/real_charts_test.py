#!/usr/bin/env python3
"""rollout-pace on real charts: the renders in test/real-charts (public charts, see SOURCES.md).

For every render and every profile, run as Helm runs the post-renderer, it checks that
  - the run succeeds and no document is re-emitted (every edit is made in place),
  - only rollout field lines change: every line removed or added is one of the strategy's keys
    (strategy, updateStrategy, type, rollingUpdate, maxSurge, maxUnavailable, minReadySeconds,
    progressDeadlineSeconds), and every other line, comments and block scalars included, is kept,
  - read as YAML, each document is the input with only those fields changed,
  - a second run changes nothing,
  - every warning carries an id, and accepting the ids a render shows makes --strict pass.
Then it prints the table of warnings per render that docs/warnings.md holds, and fails when its
table is not that table (so the docs cannot drift from what the tool does).

Usage: real_charts_test.py BINARY CHARTS_DIR docs/warnings.md [--print-table]
"""
import collections
import difflib
import pathlib
import re
import subprocess
import sys

import yaml

PROFILES = ["Blitz", "Cautious", "Paranoid"]
STRUCTURAL = ["cannot-surge", "host-port"]  # what no setting of the chart can avoid
ROLLOUT_LINE = re.compile(
    r"^\s*(strategy|updateStrategy|type|rollingUpdate|maxSurge|maxUnavailable|minReadySeconds|"
    r"progressDeadlineSeconds):( .*)?$")
ROLLOUT_KEYS = {"minReadySeconds", "progressDeadlineSeconds", "strategy", "updateStrategy"}
WORKLOADS = {"Deployment": "D", "StatefulSet": "S", "DaemonSet": "DS", "Rollout": "R"}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def run(binary, args, text):
    p = subprocess.run([binary] + args, input=text, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode()


def without_rollout_fields(doc):
    """A workload's document with the fields rollout-pace may write taken out of its spec."""
    if isinstance(doc, dict) and doc.get("kind") in WORKLOADS and isinstance(doc.get("spec"), dict):
        doc = dict(doc)
        doc["spec"] = {k: v for k, v in doc["spec"].items() if k not in ROLLOUT_KEYS}
    return doc


def check_lines(name, before, after):
    a, b = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for line in a[i1:i2] + b[j1:j2]:
            if not ROLLOUT_LINE.match(line):
                fail(f"{name}: a line that is not a rollout field changed: {line!r}")
                return


def check_documents(name, before, after):
    docs_in = [without_rollout_fields(d) for d in yaml.safe_load_all(before)]
    docs_out = [without_rollout_fields(d) for d in yaml.safe_load_all(after)]
    if docs_in != docs_out:
        fail(f"{name}: read as YAML, the output differs from the input beyond the rollout fields")


def warning_ids(name, stderr):
    ids = collections.Counter()
    for line in stderr.splitlines():
        if line.startswith("rollout-pace: warning: "):
            m = re.match(r"rollout-pace: warning: \[([a-z-]+)\] ", line)
            if not m:
                fail(f"{name}: a warning without an id: {line}")
                continue
            ids[m.group(1)] += 1
    return ids


def cell(ids):
    if not ids:
        return "0"
    return ", ".join(f"{n} `{i}`" for i, n in sorted(ids.items(), key=lambda kv: (-kv[1], kv[0])))


def workloads_of(text):
    kinds = collections.Counter()
    for doc in yaml.safe_load_all(text):
        if isinstance(doc, dict) and doc.get("kind") in WORKLOADS:
            kinds[WORKLOADS[doc["kind"]]] += 1
    return " ".join(f"{n} {k}" for k, n in sorted(kinds.items()))


def main():
    binary, charts, readme = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    rows = []
    renders = sorted(charts.glob("*.yaml"))
    if len(renders) < 12:
        fail(f"only {len(renders)} renders in {charts}")
    for render in renders:
        text = render.read_bytes()
        row = [f"`{render.stem}`", workloads_of(text)]
        for profile in PROFILES:
            name = f"{render.name} --profile {profile}"
            args = ["--profile", profile]
            code, out, err = run(binary, args, text)
            if code != 0:
                fail(f"{name}: exit {code}: {err}")
                continue
            if "re-emitted" in err:
                fail(f"{name}: a document was re-emitted: {err}")
            check_lines(name, text.decode(), out.decode())
            check_documents(name, text, out)
            code2, again, _ = run(binary, args, out)
            if code2 != 0 or again != out:
                fail(f"{name}: a second run changed the output")
            ids = warning_ids(name, err)
            accept = ",".join(sorted(ids))
            code3, out3, err3 = run(binary, args + ["--strict"] + (["--accept", accept] if accept else []), text)
            if code3 != 0 or out3 != out or "warning:" in err3:
                fail(f"{name}: --strict --accept {accept} does not pass with the same output: {err3}")
            row.append(cell(ids))
            if profile == "Cautious":
                structural = collections.Counter({k: v for k, v in ids.items() if k not in STRUCTURAL})
                row.append(cell(structural))
        rows.append(row)
    header = ["render", "workloads"] + ["Blitz", "Cautious", "Cautious, accepting `cannot-surge,host-port`", "Paranoid"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    table = "\n".join(lines) + "\n"
    if "--print-table" in sys.argv:
        print(table, end="")
    elif table not in readme.read_text():
        fail("docs/warnings.md's table of warnings per real chart is not what the tool gives now; "
             "print it with: test/real_charts_test.py BINARY test/real-charts docs/warnings.md --print-table")
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print(f"{len(renders)} renders x {len(PROFILES)} profiles: only rollout lines changed, nothing re-emitted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
