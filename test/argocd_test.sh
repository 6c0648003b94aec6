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
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
binary=$2
cd "$source" || exit 2
fetch_tools
command -v kpt >/dev/null || die "kpt is not on PATH (it is on every rollout-pace machine)"

# Each plugin's generate command and args, NUL-separated, as Argo CD reads them.
python3 - "$source/examples/argocd/cmp-plugins.yaml" "$tmp" <<'EOF' || die "cmp-plugins.yaml"
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
  generate helm.yaml "$helm" "$app" ARGOCD_ENV_SET="replicaCount=2" ARGOCD_ENV_PROFILE=Blitz ARGOCD_ENV_CHART_VERSION=">=1.0.0-0"
  if grep -q "^  replicas: 2$" "$tmp/out" && grep -q "^      maxSurge: \"100%\"$" "$tmp/out"; then
    ok "helm $v: SET reaches helm template, CHART_VERSION is taken"
  else
    fail "helm $v, SET: $(cat "$tmp/err")"
  fi
  # Settings from people who may not run code cannot run code (docs/security.md). Each hostile
  # setting is refused, or reaches helm as one harmless value: nothing runs, nothing is written.
  marker=$tmp/pwned
  cp -r "$app" "$tmp/pristine"
  printf 'replicaCount: 1\n' > "$tmp/outside.yaml"
  ln -sf "$tmp/outside.yaml" "$app/link.yaml"
  hostile=(
    "ARGOCD_ENV_HELM_ARGS=--post-renderer /bin/sh --post-renderer-args -c --post-renderer-args id>$marker;cat"
    "ARGOCD_ENV_ROLLOUT_PACE_ARGS=--log-file=$marker"
    "ARGOCD_ENV_HELM_ARGS=--kubeconfig $tmp/kubeconfig"
    "ARGOCD_ENV_POST_RENDERER=/bin/sh"
    "ARGOCD_ENV_PROFILE=Paranoid;id>$marker"
    "ARGOCD_ENV_PROFILE=\$(id>$marker)"
    "ARGOCD_ENV_PROFILE=Blitz
ARGOCD_ENV_HELM_ARGS=--post-renderer=/bin/sh"
    "ARGOCD_ENV_VALUES=../outside.yaml"
    "ARGOCD_ENV_VALUES=$tmp/outside.yaml"
    "ARGOCD_ENV_VALUES=link.yaml"
    "ARGOCD_ENV_VALUES=values-prod.yaml,--post-renderer=/bin/sh"
    "ARGOCD_ENV_VALUES=http://example.invalid/values.yaml"
    "ARGOCD_ENV_SET=deploymentStrategy=Blitz"
    "ARGOCD_ENV_CHART_VERSION=--post-renderer=/bin/sh"
    "ARGOCD_ENV_KUBE_VERSION=1.30;id>$marker"
    "ARGOCD_ENV_ACCEPT=timeout --log-file=$marker"
    "ARGOCD_ENV_STRICT=true --post-renderer=/bin/sh"
    "ARGOCD_APP_NAMESPACE=--kubeconfig=$tmp/kubeconfig"
  )
  for h in "${hostile[@]}"; do
    generate helm.yaml "$helm" "$app" ARGOCD_ENV_PROFILE=Blitz "$h"
    code=$?
    if [[ $code == 2 && ! -s $tmp/out && ! -e $marker && $(wc -l < "$tmp/err") == 1 ]] &&
       grep -q "^rollout-pace: error: ARGOCD_" "$tmp/err"; then
      ok "helm $v refuses ${h%%=*} (${h#*=}): $(cut -c1-110 "$tmp/err")"
    else
      fail "helm $v, hostile ${h} (exit $code, marker $([[ -e $marker ]] && echo written || echo absent)): $(cat "$tmp/err")"
    fi
    rm -f "$marker"
  done
  # Values that reach helm as data: shell syntax is never expanded, nor a flag ever made of one.
  for h in "ARGOCD_ENV_SET=podAnnotations.x=\$(id>$marker)" "ARGOCD_ENV_CHART_VERSION=--post-renderer=sh"; do
    generate helm.yaml "$helm" "$app" ARGOCD_ENV_PROFILE=Blitz "$h"
    code=$?
    if [[ $code == 0 && ! -e $marker ]] && grep -q "^      maxSurge: \"100%\"$" "$tmp/out"; then
      ok "helm $v takes ${h%%=*} as data: paced, nothing run"
    else
      fail "helm $v, ${h} (exit $code, marker $([[ -e $marker ]] && echo written || echo absent)): $(cat "$tmp/err")"
    fi
    rm -f "$marker"
  done
  rm -f "$app/link.yaml"
  diff -r "$tmp/pristine" "$app" > /dev/null && [[ ! -e $tmp/kubeconfig ]] &&
    ok "helm $v: the hostile settings wrote nothing in the Application's path or outside it" ||
    fail "helm $v: a hostile setting changed a file"
  rm -rf "$tmp/pristine"
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
# A repository's Kptfile cannot make the plugin run anything but rollout-pace.
marker=$tmp/pwned
kpt_hostile() {  # description, then a command that makes the package hostile
  local what=$1
  shift
  rm -rf "$tmp/evil"
  cp -r examples/kpt "$tmp/evil"
  (cd "$tmp/evil" && "$@")
  generate kpt.yaml "$helm3" "$tmp/evil"
  local code=$?
  if [[ $code == 2 && ! -s $tmp/out && ! -e $marker ]] && grep -q "^rollout-pace: error: " "$tmp/err"; then
    ok "rollout-pace-kpt refuses $what: $(cut -c1-120 "$tmp/err")"
  else
    fail "rollout-pace-kpt, $what (exit $code, marker $([[ -e $marker ]] && echo written || echo absent)): $(cat "$tmp/err")"
  fi
  rm -f "$marker"
}
kpt_hostile "a Kptfile that names sh" sed -i "s|exec: rollout-pace|exec: \"sh -c 'id > $marker'\"|" Kptfile
kpt_hostile "a Kptfile that adds sh after rollout-pace" \
  sed -i "s|      configPath: pace.yaml|      configPath: pace.yaml\n    - exec: \"sh -c 'id > $marker'\"|" Kptfile
kpt_hostile "a validator image" sed -i 's|^  mutators:|  validators:\n    - image: ghcr.io/kptdev/krm-functions-catalog/kubeval:v0.3\n  mutators:|' Kptfile
kpt_hostile "rollout-pace with more arguments" sed -i "s|exec: rollout-pace|exec: rollout-pace --log-file=$marker|" Kptfile
kpt_hostile "a config outside the package" sed -i "s|configPath: pace.yaml|configPath: ../outside.yaml|" Kptfile
kpt_hostile "a config linked outside the package" sh -c "ln -sf '$tmp/outside.yaml' out.yaml && sed -i 's|configPath: pace.yaml|configPath: out.yaml|' Kptfile"
kpt_hostile "a subpackage whose Kptfile names sh" sh -c "mkdir sub && printf 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: {name: sub}\npipeline:\n  mutators:\n    - exec: sh\n' > sub/Kptfile"
cp -r examples/kpt "$tmp/evil2"
generate kpt.yaml "$helm3" "$tmp/evil2" ARGOCD_ENV_PROFILE=Blitz
[[ $? == 2 && ! -s $tmp/out ]] && grep -q "ARGOCD_ENV_PROFILE: rollout-pace-kpt takes no settings" "$tmp/err" &&
  ok "rollout-pace-kpt refuses Application env" || fail "rollout-pace-kpt with env: $(cat "$tmp/err")"

# The init container installs only the binary whose digest the patch pins. A release folder of
# archives, pinned by scripts/pin-argocd.sh into a copy of the patch; its script run with the
# release served from that folder: the pinned archive installs, a replaced one (with a SHA256SUMS
# to match, as whoever replaced it would write) is refused, and so is the patch as shipped, until a
# release pins it.
version=$(project_version)
dist=$tmp/dist
mkdir -p "$dist/v$version" "$tmp/pkgbin"
cp "$binary" "$tmp/pkgbin/rollout-pace"
for arch in amd64 arm64; do tar -C "$tmp/pkgbin" -czf "$dist/v$version/rollout-pace-$version-linux-$arch.tar.gz" rollout-pace; done
(cd "$dist/v$version" && sha256sum rollout-pace-*.tar.gz > SHA256SUMS)
cp examples/argocd/repo-server-patch.yaml "$tmp/pinned.yaml"
scripts/pin-argocd.sh "$dist/v$version" "$tmp/pinned.yaml" > /dev/null || fail "scripts/pin-argocd.sh"
install_script() {  # patch file -> the init container's script, with the release and /custom-tools here
  python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["initContainers"][0]["args"][0])' "$1" |
    sed -e "s|^base=.*|base=file://$dist/v\$version|" -e "s|/custom-tools|$tmp/tools|" -e "s|cd /tmp|cd $tmp/dl|"
}
run_install() {
  rm -rf "$tmp/tools" "$tmp/dl"
  mkdir -p "$tmp/tools" "$tmp/dl"
  sh -euc "$(install_script "$1")" > "$tmp/out" 2> "$tmp/err"
}
if run_install "$tmp/pinned.yaml" && cmp -s "$tmp/tools/rollout-pace" "$binary"; then
  ok "the init container installs the archive whose digest is pinned"
else
  fail "pinned install: $(cat "$tmp/err")"
fi
printf 'not rollout-pace\n' > "$tmp/pkgbin/rollout-pace"
for arch in amd64 arm64; do tar -C "$tmp/pkgbin" -czf "$dist/v$version/rollout-pace-$version-linux-$arch.tar.gz" rollout-pace; done
(cd "$dist/v$version" && sha256sum rollout-pace-*.tar.gz > SHA256SUMS)
if ! run_install "$tmp/pinned.yaml" && [[ ! -e $tmp/tools/rollout-pace ]] && grep -q "FAILED\\|NOT match" "$tmp/out" "$tmp/err"; then
  ok "the init container refuses a replaced archive, though SHA256SUMS beside it matches"
else
  fail "replaced archive installed: $(cat "$tmp/err")"
fi
if ! run_install examples/argocd/repo-server-patch.yaml && [[ ! -e $tmp/tools/rollout-pace ]] && grep -q "no digest is pinned" "$tmp/err"; then
  ok "the patch as shipped installs nothing until a release pins its digests"
else
  fail "unpinned patch: $(cat "$tmp/err")"
fi

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
