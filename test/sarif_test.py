#!/usr/bin/env python3
"""plan --format sarif, validated by Microsoft's SARIF multitool, and the json plan's findings.

  - Every golden input and corpus stream, planned with Cautious and Blitz as SARIF: the multitool's
    `validate` reports no error and no warning (its own results are read from its output file).
  - One rule per warning id, in the table's order, each with its help; every result's ruleId and
    ruleIndex name the same rule.
  - A finding in a chart template (Helm's "# Source:") is located in that template; one without is
    located in --input-name at its document's first line; the json plan carries the same findings.

Usage: sarif_test.py BINARY SOURCE_DIR
"""
import json
import pathlib
import subprocess
import sys
import tempfile

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)
    return condition


def plan(stream, fmt, profile="Cautious", name="rendered.yaml", extra=()):
    r = subprocess.run([binary, "plan", "--profile=" + profile, "--format=" + fmt, "--input-name=" + name, *extra],
                       input=stream, capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode()


def main():
    tool = subprocess.run(["scripts/fetch-sarif-tool.sh"], cwd=source, capture_output=True, text=True, check=True)
    multitool = tool.stdout.strip().split("=", 1)[1]
    ids = [l.split("|")[1].strip().strip("`") for l in (source / "docs/warnings.md").read_text().splitlines()
           if l.startswith("| `") and "|" in l[2:]]
    inputs = sorted((source / "test/golden").glob("*/input.yaml")) + sorted((source / "test/corpus").glob("*.yaml"))
    validated = results = 0
    with_results = without = 0  # the multitool takes seconds a log: every log is checked, 25 validated
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        for f in inputs:
            stream = f.read_bytes()
            for profile in ["Cautious", "Blitz"]:
                code, out = plan(stream, "sarif", profile)
                if code != 0:
                    continue  # an input plan refuses (the golden errors): no SARIF is written
                log = json.loads(out)
                run = log["runs"][0]
                rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
                for r in run["results"]:
                    results += 1
                    check(rules[r["ruleIndex"]] == r["ruleId"], f"{f} {profile}: ruleIndex does not name {r['ruleId']}")
                if (run["results"] and with_results < 20) or (not run["results"] and without < 5):
                    with_results += bool(run["results"])
                    without += not run["results"]
                    (tmp / "in.sarif").write_text(out)
                    (tmp / "v.sarif").unlink(missing_ok=True)
                    subprocess.run([multitool, "validate", str(tmp / "in.sarif"), "-o", str(tmp / "v.sarif")],
                                   capture_output=True, timeout=300)
                    if not check((tmp / "v.sarif").exists(), f"{f} {profile}: the multitool wrote no result"):
                        continue
                    found = json.loads((tmp / "v.sarif").read_text())["runs"][0].get("results", [])
                    check(not found, f"{f} {profile}: the multitool finds {[x['ruleId'] for x in found]}")
                    validated += 1
        check(rules and all(r.get("help", {}).get("text") for r in run["tool"]["driver"]["rules"]), "a rule has no help")
        check(len(set(rules)) == len(rules) >= 20 and set(rules) <= set(ids),
              f"the rules {rules} are not one per warning of docs/warnings.md's table")

        # Locations: a template, and the input at the document's line.
        golden = source / "test/golden"
        code, out = plan((golden / "plan-replicas-fought-over-by-an-hpa/input.yaml").read_bytes(), "sarif",
                         extra=["--namespace=shop"])
        loc = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        check(loc["artifactLocation"]["uri"] == "web/templates/deployment.yaml" and loc["region"]["startLine"] == 1,
              f"a finding in a template is not located there: {loc}")
        code, out = plan((golden / "plan-budget-that-never-allows-a-disruption/input.yaml").read_bytes(), "sarif")
        locs = [r["locations"][0]["physicalLocation"] for r in json.loads(out)["runs"][0]["results"]]
        lines = [l["region"]["startLine"] for l in locs]
        text = (golden / "plan-budget-that-never-allows-a-disruption/input.yaml").read_text().splitlines()
        check(all(l["artifactLocation"]["uri"] == "rendered.yaml" for l in locs) and len(lines) == 2 and
              all("---" in text[n - 1] or "apiVersion" in text[n - 1] or text[n - 1].startswith("#") for n in lines),
              f"findings without a template are not at their document's line in --input-name: {locs}")
        code, out = plan((golden / "plan-budget-that-never-allows-a-disruption/input.yaml").read_bytes(), "json")
        findings = json.loads(out)["findings"]
        check([(x["id"], x["name"], x["file"], x["line"]) for x in findings] ==
              [("budget-blocks-drains", n, "rendered.yaml", l) for n, l in zip(["web-strict", "api"], lines)],
              f"the json plan's findings differ from the SARIF's: {findings}")
    if failures:
        print(f"sarif: {len(failures)} failures")
        return 1
    check(with_results >= 10, f"only {with_results} logs with results were validated")
    print(f"sarif: {validated} logs validated by the SARIF multitool, {results} results, locations as documented")
    return 0


sys.exit(main())
