#!/usr/bin/env python3
"""rollout-pace as a KRM function under the real kpt, against the post-renderer on the same input.

  - kpt fn eval --exec BINARY over every corpus stream and real chart render, with each profile given
    as kpt's imperative config (-- profile=P, a ConfigMap): the package's documents afterwards are
    the post-renderer's output as Kubernetes reads them (kpt re-serialises, so they are compared as
    parsed YAML, kpt's own bookkeeping annotations taken out). kpt itself refuses a `kind: List` file
    (its items have no metadata.name); that refusal is asserted, not skipped.
  - kpt fn render --allow-exec with a Kptfile whose pipeline runs the function with a RolloutPace
    config (examples/kpt): the same comparison, and the config resource left alone.
  - kpt shows the function's results: a warning names its resource; --strict fails the pipeline.

Usage: kpt_test.py BINARY SOURCE_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import yaml

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
PROFILES = ["Blitz", "Cautious", "Paranoid"]
ACCEPT = "cannot-surge,host-port,no-readiness-probe,recreate,api-version,single-replica,rounds-to-zero"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def kpt(*args, cwd=None, env=None):
    return subprocess.run(["kpt", *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def without_kpt_bookkeeping(doc):
    """A document as the cluster would get it: kpt's config.kubernetes.io annotations taken out."""
    if not isinstance(doc, dict):
        return doc
    meta = doc.get("metadata")
    if isinstance(meta, dict) and "annotations" in meta and isinstance(meta["annotations"], (dict, type(None))):
        notes = {k: v for k, v in (meta["annotations"] or {}).items()
                 if not (k.startswith("config.kubernetes.io/") or k.startswith("internal.config.kubernetes.io/")
                         or k == "config.k8s.io/id")}
        meta = dict(meta)
        if notes:  # an empty or null map is no annotations to Kubernetes
            meta["annotations"] = notes
        else:
            del meta["annotations"]
        doc = dict(doc, metadata=meta)
    return doc


def documents(text):
    return [without_kpt_bookkeeping(d) for d in yaml.safe_load_all(text) if d is not None]


def package_documents(folder, leave_out=()):
    docs = []
    for path in sorted(folder.rglob("*.yaml")):
        if path.name in leave_out or path.name == "Kptfile":
            continue
        docs += documents(path.read_text(encoding="utf-8-sig"))
    return docs


def key(doc):
    meta = doc.get("metadata") or {}
    return (str(doc.get("apiVersion")), str(doc.get("kind")), str(meta.get("namespace")), str(meta.get("name")))


def same(name, kpt_docs, post_docs):
    if sorted(map(key, kpt_docs)) != sorted(map(key, post_docs)):
        fail(f"{name}: kpt's package holds other documents than the post-renderer's output")
        return False
    by_key = {key(d): d for d in post_docs}
    for d in kpt_docs:
        if d != by_key[key(d)]:
            fail(f"{name}: {key(d)} differs from the post-renderer's, as Kubernetes reads it")
            return False
    return True


def post_renderer(stream, flags):
    p = subprocess.run([binary, *flags], input=stream, capture_output=True, timeout=120)
    if p.returncode != 0:
        fail(f"the post-renderer failed: {p.stderr.decode()}")
    return p.stdout.decode("utf-8-sig")


def eval_over_streams(work):
    compared = refused = 0
    streams = sorted((source / "test" / "corpus").glob("*.yaml")) + sorted((source / "test" / "real-charts").glob("*.yaml"))
    for stream in streams:
        text = stream.read_bytes()
        is_list = any(isinstance(d, dict) and str(d.get("kind", "")).endswith("List")
                      for d in yaml.safe_load_all(text.decode("utf-8-sig")))
        for profile in PROFILES:
            name = f"{stream.name} -- profile={profile}"
            pkg = work / "eval"
            shutil.rmtree(pkg, ignore_errors=True)
            pkg.mkdir()
            shutil.copy(stream, pkg / "in.yaml")
            r = kpt("fn", "eval", "--exec", binary, str(pkg), "--", f"profile={profile}", f"accept={ACCEPT}")
            if is_list:
                if r.returncode != 0 and "resource must have `metadata.name`" in r.stdout + r.stderr:
                    refused += 1
                else:
                    fail(f"{name}: kpt was expected to refuse a kind: List file: {r.stdout}{r.stderr}")
                continue
            if r.returncode != 0:
                fail(f"{name}: kpt fn eval failed: {r.stdout}{r.stderr}")
                continue
            expected = documents(post_renderer(text, ["--profile", profile, "--accept", ACCEPT]))
            if same(name, package_documents(pkg), expected):
                compared += 1
    return compared, refused


def render_with_kptfile(work):
    pkg = work / "render"
    shutil.rmtree(pkg, ignore_errors=True)
    shutil.copytree(source / "examples" / "kpt", pkg)
    bin_dir = work / "bin"  # the Kptfile runs rollout-pace from PATH
    bin_dir.mkdir(exist_ok=True)
    shutil.copy(binary, bin_dir / "rollout-pace")
    r = kpt("fn", "render", "--allow-exec", str(pkg), env=dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}"))
    if r.returncode != 0:
        fail(f"kpt fn render: {r.stdout}{r.stderr}")
        return
    config = yaml.safe_load((source / "examples" / "kpt" / "pace.yaml").read_text())
    flags = ["--profile", config["spec"]["profile"], "--min-ready-seconds", str(config["spec"]["minReadySeconds"]),
             "--accept", ",".join(config["spec"]["accept"])]
    expected = documents(post_renderer((source / "examples" / "kpt" / "app.yaml").read_bytes(), flags))
    if same("kpt fn render", package_documents(pkg, leave_out=("pace.yaml",)), expected):
        print("ok: kpt fn render --allow-exec runs the Kptfile's pipeline: the post-renderer's result")
    if documents((pkg / "pace.yaml").read_text()) != documents((source / "examples" / "kpt" / "pace.yaml").read_text()):
        fail("kpt fn render changed the RolloutPace config")


def kustomize_example_config(work):
    """examples/kustomize's pace.yaml, as kustomize would send it, run by kpt with --fn-config."""
    example = source / "examples" / "kustomize"
    pkg = work / "kustomize"
    shutil.rmtree(pkg, ignore_errors=True)
    pkg.mkdir()
    shutil.copy(example / "app.yaml", pkg / "app.yaml")
    r = kpt("fn", "eval", "--exec", binary, "--fn-config", str(example / "pace.yaml"), str(pkg))
    if r.returncode != 0:
        fail(f"kpt with examples/kustomize/pace.yaml: {r.stdout}{r.stderr}")
        return
    config = yaml.safe_load((example / "pace.yaml").read_text())
    expected = documents(post_renderer((example / "app.yaml").read_bytes(), ["--profile", config["spec"]["profile"]]))
    if same("examples/kustomize", package_documents(pkg), expected):
        print("ok: examples/kustomize/pace.yaml, run by kpt, paces as the post-renderer does")


def results_reach_kpt(work):
    pkg = work / "results"
    shutil.rmtree(pkg, ignore_errors=True)
    pkg.mkdir()
    statefulset = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: data\n"
                   "spec:\n  replicas: 3\n  template:\n    spec:\n      containers: [{name: db, image: postgres:16}]\n")
    (pkg / "db.yaml").write_text(statefulset)
    r = kpt("fn", "eval", "--exec", binary, str(pkg), "--", "profile=Cautious")
    out = r.stdout + r.stderr
    if r.returncode == 0 and "[warning] apps/v1/StatefulSet/data/db: a StatefulSet cannot surge" in out:
        print("ok: kpt shows the [cannot-surge] warning as a result naming the StatefulSet")
    else:
        fail(f"kpt did not show the warning as a result: {out}")
    (pkg / "db.yaml").write_text(statefulset)
    r = kpt("fn", "eval", "--exec", binary, str(pkg), "--", "profile=Cautious", "strict=true")
    out = r.stdout + r.stderr
    if r.returncode != 0 and "[error] apps/v1/StatefulSet/data/db:" in out:
        print("ok: strict=true fails kpt's run with the error as a result")
    else:
        fail(f"strict=true did not fail kpt's run: {out}")
    if (pkg / "db.yaml").read_text() != statefulset:
        fail("a failed run changed the package")


def main():
    if shutil.which("kpt") is None:
        print("FAIL: kpt is not on PATH (it is on every rollout-pace machine)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        compared, refused = eval_over_streams(work)
        print(f"ok: kpt fn eval --exec over {compared} stream x profile runs: the post-renderer's result "
              f"({refused} kind: List runs refused by kpt itself)")
        render_with_kptfile(work)
        kustomize_example_config(work)
        results_reach_kpt(work)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
