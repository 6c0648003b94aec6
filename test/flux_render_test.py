#!/usr/bin/env python3
"""flux with a chart it renders: one patch per workload, decided as the post-renderer decides.

A local chart in a git checkout holds a workload of each kind a static patch would get wrong (an
OnDelete StatefulSet, a Recreate Deployment, a DaemonSet with a hostPort), a hook, a workload that
says rollout-pace/skip, one with a profile annotation of its own, a name with dots and a Deployment to
pace. A HelmRelease names the chart as a GitRepository path. For the real Helm 3 and Helm 4:

  - `rollout-pace flux FILE` finds the chart in the checkout and writes its entry;
  - the chart rendered as helm-controller renders it, with the entry's patches applied by the real
    `kubectl kustomize`, is the post-renderer's output on the same render, object by object (so only
    the paced workloads change, and the OnDelete, Recreate, hook and skipped ones do not);
  - `flux --check` calls the entry current, and stale once spec.values change;
  - `--chart PATH` renders a HelmRelease read from standard input; with helm missing it fails with
    one line and writes nothing; a HelmRepository chart keeps the generic patches and its warning;
  - the timeout check reads the rendered workloads: Paranoid over the chart's replicas gets a
    [timeout] warning that names the longest workload, where the values say nothing of replicas.

Usage: flux_render_test.py BINARY SOURCE_DIR
"""
import os
import pathlib
import subprocess
import sys
import tempfile

import yaml

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def tools():
    out = subprocess.run(["scripts/fetch-tools.sh"], cwd=source, capture_output=True, text=True, check=True).stdout
    return dict(line.split("=", 1) for line in out.split())


CHART = {
    "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "values.yaml": "replicaCount: 2\nvault:\n  replicas: 3\n",
    "templates/workloads.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicaCount }}
  {{- if .Values.webRecreate }}
  strategy: {type: Recreate}
  {{- end }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-server
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec:
      containers:
        - name: s
          image: prom/prometheus:v2.53.0
          readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-vault
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.vault.replicas }}
  serviceName: vault
  updateStrategy:
    type: OnDelete
  selector: {matchLabels: {app: vault}}
  template:
    metadata: {labels: {app: vault}}
    spec:
      containers:
        - name: v
          image: hashicorp/vault:1.17.0
          readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}-agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: a
          image: fluent/fluent-bit:3.0
          ports: [{containerPort: 2020, hostPort: 2020}]
          readinessProbe: {httpGet: {path: /, port: 2020}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-api.v2
  annotations:
    rollout-pace/profile: Paranoid
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:2.0.0
          readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-legacy
  annotations:
    rollout-pace/skip: "true"
spec:
  replicas: 2
  selector: {matchLabels: {app: legacy}}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: l, image: example/legacy:1.0.0}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-upgrade
spec:
  replicas: 1
  selector: {matchLabels: {app: migrate}}
  template:
    metadata: {labels: {app: migrate}}
    spec:
      containers: [{name: m, image: example/migrate:1.0.0}]
""",
}

RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: shop
  namespace: apps
  annotations:
    rollout-pace/profile: Cautious
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/shop
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicaCount: 4
"""


def run(args, env, stdin=None, cwd=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=300, env=env, cwd=cwd)


def objects(text):
    out = {}
    for d in yaml.safe_load_all(text):
        if isinstance(d, dict):
            meta = d.get("metadata") or {}
            out[(d.get("kind"), meta.get("name"))] = d
    return out


def render(helm, repo, env, values):
    with open(repo / "values.json", "w") as f:
        f.write(values)
    r = run([helm, "template", "shop", str(repo / "charts/shop"), "--namespace", "apps", "-f",
             str(repo / "values.json")], env)
    check(r.returncode == 0, "helm template: " + r.stderr)
    return r.stdout


def kustomized(kubectl, repo, rendered, entry):
    work = repo / "kustomize"
    work.mkdir(exist_ok=True)
    (work / "rendered.yaml").write_text(rendered)
    (work / "kustomization.yaml").write_text(yaml.safe_dump(
        {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
         "resources": ["rendered.yaml"], "patches": entry["kustomize"]["patches"]}))
    r = run([kubectl, "kustomize", str(work)], None)
    check(r.returncode == 0, "kubectl kustomize: " + r.stderr)
    return r.stdout


def the_entry(path):
    hr = yaml.safe_load(path.read_text())
    entries = hr["spec"].get("postRenderers") or []
    return entries[0] if entries else None


def one_helm(name, helm, kubectl, tmp):
    repo = tmp / name
    for rel, text in CHART.items():
        (repo / "charts/shop" / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / "charts/shop" / rel).write_text(text)
    (repo / "clusters").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    release = repo / "clusters/shop.yaml"
    release.write_text(RELEASE)
    env = dict(os.environ, HELM_BIN=helm, HOME=str(tmp), HELM_CACHE_HOME=str(tmp / "cache"),
               HELM_CONFIG_HOME=str(tmp / "config"), HELM_DATA_HOME=str(tmp / "data"))

    r = run([binary, "flux", str(release)], env)
    if not check(r.returncode == 0, f"{name}: flux exited {r.returncode}: {r.stderr}"):
        return
    check("rendered the GitRepository flux-system's ./charts/shop as release shop in apps" in r.stderr,
          f"{name}: flux does not say what it rendered: {r.stderr}")
    check("[flux-static-patch]" not in r.stderr, f"{name}: a rendered chart still gets the static-patch warning")
    entry = the_entry(release)
    if not check(entry is not None, f"{name}: no entry written"):
        return
    targets = sorted((p["target"]["kind"], p["target"]["name"]) for p in entry["kustomize"]["patches"])
    check(targets == [("DaemonSet", "shop-agent"), ("Deployment", "shop-api\\.v2"), ("Deployment", "shop-web")],
          f"{name}: patched {targets}, want the paced DaemonSet and Deployments (dots escaped)")

    rendered = render(helm, repo, env, '{"replicaCount":4}')
    after = objects(kustomized(kubectl, repo, rendered, entry))
    post = run([binary, "--profile", "Cautious", "--namespace", "apps"], env, stdin=rendered)
    check(post.returncode == 0, f"{name}: the post-renderer failed: {post.stderr}")
    want, before = objects(post.stdout), objects(rendered)
    check(set(after) == set(want), f"{name}: kustomize's objects {sorted(after)} differ from {sorted(want)}")
    for key, obj in want.items():
        check(after.get(key) == obj, f"{name}: {key} after flux's patches differs from the post-renderer's")
    for key in [("StatefulSet", "shop-vault"), ("Deployment", "shop-server"), ("Deployment", "shop-legacy"),
                ("Deployment", "shop-migrate")]:
        check(after.get(key) == before.get(key), f"{name}: {key} changed, and the post-renderer leaves it alone")
    check(after[("Deployment", "shop-web")]["spec"].get("minReadySeconds") == 30, f"{name}: shop-web not paced")
    agent = after[("DaemonSet", "shop-agent")]["spec"]["updateStrategy"]["rollingUpdate"]
    check(agent.get("maxSurge") == 0 and agent.get("maxUnavailable") == 1,
          f"{name}: the hostPort DaemonSet's patch is not the host-port mapping: {agent}")
    check(after[("Deployment", "shop-api.v2")]["spec"].get("minReadySeconds") == 300,
          f"{name}: shop-api.v2 did not keep its own Paranoid")

    r = run([binary, "flux", "--check", str(release)], env)
    check(r.returncode == 0 and "is current" in r.stderr, f"{name}: --check after flux: {r.returncode} {r.stderr}")
    release.write_text(release.read_text().replace("replicaCount: 4", "replicaCount: 4\n    webRecreate: true"))
    r = run([binary, "flux", "--check", str(release)], env)
    check(r.returncode == 1 and "stale" in r.stderr, f"{name}: --check misses changed values: {r.stderr}")
    r = run([binary, "flux", str(release)], env)
    targets = sorted(p["target"]["name"] for p in the_entry(release)["kustomize"]["patches"])
    check(r.returncode == 0 and targets == ["shop-agent", "shop-api\\.v2"],
          f"{name}: a web the values make Recreate is still patched: {targets}")

    # The timeout check reads the rendered chart: Paranoid, and the values name no replica count.
    paranoid = RELEASE.replace("Cautious", "Paranoid").replace("  values:\n    replicaCount: 4\n", "")
    release.write_text(paranoid)
    r = run([binary, "flux", str(release)], env)
    check(r.returncode == 0 and "[timeout]" in r.stderr and "for the chart's workloads (the longest: " in r.stderr
          and "[replicas-unknown]" not in r.stderr,
          f"{name}: the rendered timeout check: {r.stderr}")

    # --chart, from standard input; then helm missing.
    stdin_release = RELEASE.replace("GitRepository", "HelmRepository")
    r = run([binary, "flux", "--chart", str(repo / "charts/shop")], env, stdin=stdin_release)
    check(r.returncode == 0 and "--chart=" in r.stdout and "name: shop-web" in r.stdout,
          f"{name}: --chart from stdin: {r.returncode} {r.stderr}")
    broken = dict(env, HELM_BIN=str(tmp / "no-such-helm"))
    r = run([binary, "flux", "--chart", str(repo / "charts/shop")], broken, stdin=stdin_release)
    lines = r.stderr.strip().split("\n")
    check(r.returncode == 1 and r.stdout == "" and len(lines) == 1 and "helm template" in lines[0]
          and "HELM_BIN" in lines[0], f"{name}: with helm missing: {r.returncode} {r.stderr!r}")
    r = run([binary, "flux"], env, stdin=stdin_release)
    check(r.returncode == 0 and "[flux-static-patch]" in r.stderr and "comes from a HelmRepository" in r.stderr,
          f"{name}: a HelmRepository chart without --chart: {r.stderr}")


def main():
    t = tools()
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        one_helm("helm3", t["helm3"], t["kubectl"], tmp)
        one_helm("helm4", t["helm4"], t["kubectl"], tmp)
    if failures:
        print(f"flux_render: {len(failures)} failures")
        sys.exit(1)
    print("flux_render: Helm 3 and Helm 4 renders patched per workload, as the post-renderer paces them")


main()
