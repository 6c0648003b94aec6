#!/usr/bin/env bash
# The Argo CD plugins (examples/argocd) as Argo CD runs them: each ConfigManagementPlugin's generate
# command, read from cmp-plugins.yaml, is run as its command and args in a copy of the Application's
# path, with the variables Argo CD sets (ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_APP_REVISION,
# ARGOCD_APP_SOURCE_*, KUBE_VERSION, KUBE_API_VERSIONS) and the Application's env as ARGOCD_ENV_*,
# with the real Helm 3 and Helm 4 (as `helm`), kpt and rollout-pace on PATH. repo-server-patch.yaml
# is applied to an argocd-repo-server Deployment by kubectl's kustomize and checked for what the
# cmp-server needs.
# Usage: argocd_test.sh SOURCE_DIR BINARY
set -u
source=$1
binary=$2
cd "$source" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }
tools=$(scripts/fetch-tools.sh) || { echo "FAIL: scripts/fetch-tools.sh"; exit 1; }
helm3=$(sed -n 's/^helm3=//p' <<< "$tools")
helm4=$(sed -n 's/^helm4=//p' <<< "$tools")
kubectl=$(sed -n 's/^kubectl=//p' <<< "$tools")
command -v kpt >/dev/null || { echo "FAIL: kpt is not on PATH (it is on every rollout-pace machine)"; exit 1; }

# Each plugin's generate command and args, NUL-separated, as Argo CD reads them.
python3 - "$source/examples/argocd/cmp-plugins.yaml" "$tmp" <<'EOF' || { echo "FAIL: cmp-plugins.yaml"; exit 1; }
import sys, yaml
cm = yaml.safe_load(open(sys.argv[1]))
for key, text in cm["data"].items():
    plugin = yaml.safe_load(text)
    assert plugin["kind"] == "ConfigManagementPlugin", key
    generate = plugin["spec"]["generate"]
    with open(f"{sys.argv[2]}/{key}.argv", "w") as out:
        for word in generate["command"] + generate.get("args", []):
            out.write(word + "\0")
    print(plugin["metadata"]["name"], plugin["spec"]["version"], plugin["spec"]["discover"]["fileName"])
EOF

# generate PLUGIN HELM APP_DIR [NAME=VALUE]...: runs the plugin's generate command as Argo CD does.
generate() {
  local plugin=$1 helm=$2 dir=$3
  shift 3
  local bin=$tmp/bin-$(basename "$helm")-$$
  mkdir -p "$bin"
  ln -sf "$helm" "$bin/helm"
  ln -sf "$binary" "$bin/rollout-pace"
  ln -sf "$(command -v kpt)" "$bin/kpt"
  local argv=()
  mapfile -d '' argv < "$tmp/$plugin.argv"
  (cd "$dir" && env -i HOME="$tmp/home" PATH="$bin:/usr/bin:/bin" \
     ARGOCD_APP_NAME=shop ARGOCD_APP_NAMESPACE=shop ARGOCD_APP_REVISION=0123abc \
     ARGOCD_APP_SOURCE_PATH=apps/shop ARGOCD_APP_SOURCE_REPO_URL=https://example.invalid/deploy.git \
     ARGOCD_APP_SOURCE_TARGET_REVISION=main KUBE_VERSION=v1.36.1+k3s1 KUBE_API_VERSIONS=v1,apps/v1,batch/v1 \
     "$@" "${argv[@]}") > "$tmp/out" 2> "$tmp/err"
}

app=$tmp/app
cp -r charts/example "$app"
printf 'deploymentStrategy: Cautious\nreplicaCount: 6\n' > "$app/values-prod.yaml"
for v in 3 4; do
  helm=$helm3
  [[ $v == 4 ]] && helm=$helm4
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_PROFILE=Paranoid ARGOCD_ENV_ACCEPT=timeout
  code=$?
  if [[ $code == 0 ]] && grep -q "^  minReadySeconds: 300$" "$tmp/out" && grep -q "^  name: shop-drone-api$" "$tmp/out" &&
     ! grep -q "warning" "$tmp/err"; then
    ok "helm $v: rollout-pace-helm paces the Application's chart with PROFILE=Paranoid"
  else
    fail "helm $v, PROFILE=Paranoid (exit $code): $(cat "$tmp/err")"
  fi
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_VALUES=values-prod.yaml ARGOCD_ENV_STRICT=true
  code=$?
  if [[ $code == 0 ]] && grep -q "^  minReadySeconds: 30$" "$tmp/out" && grep -q "^  replicas: 6$" "$tmp/out"; then
    ok "helm $v: VALUES=values-prod.yaml reaches helm (6 replicas) and rollout-pace (Cautious)"
  else
    fail "helm $v, VALUES (exit $code): $(cat "$tmp/err")"
  fi
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_ENVIRONMENT=PROD ARGOCD_ENV_CHANGE=major ARGOCD_ENV_STRICT=true
  code=$?
  if [[ $code == 1 && ! -s $tmp/out ]] && grep -q "error: \[timeout\]" "$tmp/err"; then
    ok "helm $v: STRICT=true fails generation on the timeout warning, with nothing on stdout"
  else
    fail "helm $v, STRICT (exit $code): $(cat "$tmp/out" "$tmp/err" | head -5)"
  fi
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_ENVIRONMENT=PROD
  code=$?
  if [[ $code == 2 ]] && grep -q "needs --change" "$tmp/err"; then
    ok "helm $v: ENVIRONMENT=PROD without CHANGE is a usage error"
  else
    fail "helm $v, PROD without CHANGE (exit $code): $(cat "$tmp/err")"
  fi
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_HELM_ARGS="--set replicaCount=2" ARGOCD_ENV_PROFILE=Blitz \
    ARGOCD_ENV_ROLLOUT_PACE_ARGS="--report"
  if grep -q "^  replicas: 2$" "$tmp/out" && grep -q "report: .*Blitz from flag" "$tmp/err"; then
    ok "helm $v: HELM_ARGS and ROLLOUT_PACE_ARGS pass through"
  else
    fail "helm $v, HELM_ARGS: $(cat "$tmp/err")"
  fi
done
# KUBE_VERSION v1.36.1+k3s1 reaches rollout-pace as 1.36.1: the StatefulSet gate is off there.
sts=$tmp/sts
mkdir -p "$sts/templates"
printf 'apiVersion: v2\nname: db\nversion: 1.0.0\n' > "$sts/Chart.yaml"
printf 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers: [{name: db, image: postgres:16, readinessProbe: {exec: {command: [pg_isready]}}}]\n' > "$sts/templates/db.yaml"
generate helm.yaml "$helm3" "$sts" ARGOCD_ENV_PROFILE=Blitz
grep -q "\[feature-gate\] .*off by default in Kubernetes 1.36.1" "$tmp/err" &&
  ok "KUBE_VERSION reaches rollout-pace (the 1.36.1 feature gate)" || fail "KUBE_VERSION: $(cat "$tmp/err")"

# The kpt plugin on examples/kpt: the pipeline's result, without the Kptfile and the config.
pkg=$tmp/pkg
cp -r examples/kpt "$pkg"
generate kpt.yaml "$helm3" "$pkg"
code=$?
if [[ $code == 0 ]] && grep -q "^  minReadySeconds: 120$" "$tmp/out" && ! grep -q "^kind: Kptfile$\|^kind: RolloutPace$" "$tmp/out" &&
   [[ $(grep -c "^kind: " "$tmp/out") == 3 ]] && python3 -c "import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))" "$tmp/out"; then
  ok "rollout-pace-kpt renders examples/kpt: 3 resources paced, the Kptfile and RolloutPace left out"
else
  fail "rollout-pace-kpt (exit $code): $(head -c 600 "$tmp/out") $(cat "$tmp/err")"
fi
diff -r examples/kpt "$pkg" > /dev/null && ok "rollout-pace-kpt changes no file of the checkout" ||
  fail "rollout-pace-kpt changed the checkout"

# The sidecar patch, applied to argocd-repo-server by kubectl's kustomize.
k=$tmp/kustomize
mkdir -p "$k"
cp examples/argocd/repo-server-patch.yaml examples/argocd/cmp-plugins.yaml "$k/"
cat > "$k/repo-server.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-repo-server, namespace: argocd}
spec:
  selector: {matchLabels: {app: repo-server}}
  template:
    metadata: {labels: {app: repo-server}}
    spec:
      containers: [{name: argocd-repo-server, image: quay.io/argoproj/argocd:v3.2.0}]
      volumes: [{name: var-files, emptyDir: {}}, {name: plugins, emptyDir: {}}]
EOF
printf 'resources: [repo-server.yaml, cmp-plugins.yaml]\npatches:\n  - path: repo-server-patch.yaml\n' > "$k/kustomization.yaml"
if "$kubectl" kustomize "$k" > "$tmp/patched.yaml" 2> "$tmp/err"; then
  python3 - "$tmp/patched.yaml" <<'EOF' && ok "repo-server-patch.yaml: two cmp-server sidecars, each with its plugin.yaml and rollout-pace" || fail "the patched repo-server"
import sys, yaml
docs = {d["kind"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
spec = docs["Deployment"]["spec"]["template"]["spec"]
volumes = {v["name"] for v in spec["volumes"]}
for name, key in (("rollout-pace-helm", "helm.yaml"), ("rollout-pace-kpt", "kpt.yaml")):
    c = next(c for c in spec["containers"] if c["name"] == name)
    assert c["command"] == ["/var/run/argocd/argocd-cmp-server"], c["command"]
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    assert mounts["/home/argocd/cmp-server/config/plugin.yaml"]["subPath"] == key
    assert key in docs["ConfigMap"]["data"]
    assert {"/var/run/argocd", "/home/argocd/cmp-server/plugins", "/custom-tools", "/tmp"} <= set(mounts)
    assert all(m["name"] in volumes for m in c["volumeMounts"]), c["volumeMounts"]
    assert c["env"][0]["value"].startswith("/custom-tools:")
    assert c["securityContext"]["runAsUser"] == 999
assert any(c["name"] == "argocd-repo-server" for c in spec["containers"])
assert spec["initContainers"][0]["volumeMounts"][0]["mountPath"] == "/custom-tools"
EOF
else
  fail "kubectl kustomize with repo-server-patch.yaml: $(cat "$tmp/err")"
fi
exit $failed
