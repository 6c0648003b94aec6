#!/usr/bin/env bash
# helm pace (plugins/pace) with the real Helm 3 and Helm 4: each installs the plugin in its own
# format from a folder holding what the release archive holds, then
#   - with no cluster, plans charts/example as a first install and says so in one line;
#   - against a running release (served by test/kube_api_stub.py, the part of the API that helm get
#     reads), reads it as --previous: the change chooses the profile with --environment, the CHANGE
#     column shows it, Helm's --timeout is the guard's, --strict fails on the warning, --accept
#     accepts it, and --reuse-values takes the release's values;
#   - with no release of that name, says so and plans a first install;
#   - takes `--post-renderer rollout-pace --post-renderer-args ARG` as rollout-pace's ARG;
#   - plans a rendered public chart (grafana, which owns deploymentStrategy) with --values-key;
#   - refuses what it cannot run with a usage error.
# Usage: helm_pace_test.sh SOURCE_DIR BINARY
set -u
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
binary=$2
cd "$source" || exit 2
stub=""
at_exit() { [[ -n $stub ]] && kill "$stub" 2>/dev/null; } # the API stub, started below
fetch_tools

# The plugin folder for each Helm, as scripts/package.sh lays it out.
for v in 3 4; do
  dir=$tmp/plugin$v/pace
  mkdir -p "$dir/bin"
  cp plugins/pace/helm-pace "$dir/"
  cp "$binary" "$dir/bin/rollout-pace"
  if [[ $v == 3 ]]; then cp plugins/pace/helm3/plugin.yaml "$dir/"; else cp plugins/pace/plugin.yaml "$dir/"; fi
done

# The running release "shop" in namespace shop: charts/example with image tag 1.0.0.
"$helm3" template shop charts/example --namespace shop --set image.tag=1.0.0 > "$tmp/running.yaml" ||
  die "helm template of the running release"
(exec python3 -u test/kube_api_stub.py shop shop "$tmp/running.yaml" \
  '{"image": {"tag": "1.0.0"}, "replicaCount": 6}') > "$tmp/stub.log" 2>&1 &
stub=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^port //p' "$tmp/stub.log")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || die "the API stub did not start: $(cat "$tmp/stub.log")"
cat > "$tmp/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: stub, cluster: {server: "http://127.0.0.1:$port"}}]
contexts: [{name: stub, context: {cluster: stub, user: stub}}]
current-context: stub
users: [{name: stub, user: {}}]
EOF

# grafana's render as a chart, for a public chart through helm pace.
public=$tmp/grafana-chart
mkdir -p "$public/templates"
cp test/real-charts/grafana.yaml "$public/render.yaml"
printf 'apiVersion: v2\nname: grafana-render\nversion: 12.11.1\n' > "$public/Chart.yaml"
printf '{{ .Files.Get "render.yaml" }}\n' > "$public/templates/all.yaml"
printf 'deploymentStrategy:\n  type: RollingUpdate\nrolloutPace:\n  profile: Cautious\n' > "$tmp/grafana-values.yaml"

# From a clone, as the README says: `helm plugin install ./plugins/pace` in a clone built into build/,
# rollout-pace on no PATH. Helm installs a folder as a link to it, and helm pace finds the clone's build.
clone=$tmp/clone
mkdir -p "$clone/build"
cp -a CMakeLists.txt plugins "$clone/"
cp "$binary" "$clone/build/rollout-pace"
for v in 3 4; do
  helm=$helm3 src=$clone/plugins/pace/helm3  # Helm 3's format, beside Helm 4's
  [[ $v == 4 ]] && helm=$helm4 src=$clone/plugins/pace
  home=$tmp/clone-home$v
  if env $(helm_env "$home") PATH=/usr/bin:/bin "$helm" plugin install "$src" > "$tmp/clone-install$v" 2>&1 &&
     KUBECONFIG=$tmp/none env $(helm_env "$home") PATH=/usr/bin:/bin "$helm" pace upgrade shop charts/example \
       --profile Cautious > "$tmp/clone-out$v" 2> "$tmp/clone-err$v" &&
     grep -q "^Deployment  shop-drone-api" "$tmp/clone-out$v"; then
    ok "helm $v plugin install from a clone: helm pace finds the clone's build/rollout-pace"
  else
    fail "helm $v pace from a clone: $(cat "$tmp/clone-install$v" "$tmp/clone-err$v")"
  fi
done

for v in 3 4; do
  helm=$helm3
  [[ $v == 4 ]] && helm=$helm4
  home=$tmp/home$v
  h() { env $(helm_env "$home") "$helm" "$@"; }
  if ! h plugin install "$tmp/plugin$v/pace" > "$tmp/install$v" 2>&1; then
    fail "helm $v plugin install: $(cat "$tmp/install$v")"
    continue
  fi
  # No cluster: a first install, said in one line.
  if KUBECONFIG=$tmp/none h pace upgrade shop charts/example --set image.tag=2.0.0 --environment PROD \
      > "$tmp/out" 2> "$tmp/err"; then
    if grep -q "^Deployment  shop-drone-api  4 .*Cautious  matrix" "$tmp/out" &&
       [[ $(grep -c "planning a first install" "$tmp/err") == 1 ]] &&
       grep -q "every workload is new, planned as --change minor" "$tmp/err"; then
      ok "helm $v pace, no cluster: a first install, Cautious for PROD, said once"
    else
      fail "helm $v pace, no cluster: $(cat "$tmp/out" "$tmp/err")"
    fi
  else
    fail "helm $v pace, no cluster: exit $?: $(cat "$tmp/err")"
  fi
  # A running release: its manifest is --previous; 1.0.0 -> 2.0.0 is major, so Paranoid for PROD.
  export KUBECONFIG=$tmp/kubeconfig
  h pace upgrade shop charts/example --namespace shop --set image.tag=2.0.0 --environment PROD --timeout 30m \
    > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [[ $code == 0 ]] && grep -q "^Deployment  shop-drone-api  major   4 .*Paranoid  matrix" "$tmp/out" &&
     grep -q "\[change major: drone-api 1.0.0 -> 2.0.0\]" "$tmp/out" && grep -q "timeout 30m0s$" "$tmp/out" &&
     grep -q "an upgrade of the running release" "$tmp/err" && ! grep -q "warning" "$tmp/err"; then
    ok "helm $v pace upgrade of a running release: change major, Paranoid, Helm's --timeout 30m"
  else
    fail "helm $v pace upgrade of a running release (exit $code): $(cat "$tmp/out" "$tmp/err")"
  fi
  # Helm's default timeout: the warning, an error under --strict, and accepted with --accept.
  h pace upgrade shop charts/example -n shop --set image.tag=2.0.0 --environment PROD --strict > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [[ $code == 1 ]] && grep -q "error: \[timeout\] .*longer than the timeout of 5m0s" "$tmp/err"; then
    ok "helm $v pace --strict: exit 1 on the [timeout] warning"
  else
    fail "helm $v pace --strict (exit $code): $(cat "$tmp/err")"
  fi
  h pace upgrade shop charts/example -n shop --set image.tag=2.0.0 --environment PROD --strict --accept timeout \
    > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [[ $code == 0 ]] && ! grep -q "warning\|error" "$tmp/err"; then
    ok "helm $v pace --strict --accept timeout: exit 0"
  else
    fail "helm $v pace --strict --accept timeout (exit $code): $(cat "$tmp/err")"
  fi
  # --reuse-values: the release's values (replicaCount 6) are the base, as helm upgrade takes them.
  h pace upgrade shop charts/example -n shop --reuse-values --set image.tag=1.0.1 --profile Cautious > "$tmp/out" 2> "$tmp/err"
  if grep -q "^Deployment  shop-drone-api  patch   6 " "$tmp/out"; then
    ok "helm $v pace --reuse-values: the release's 6 replicas, a patch change"
  else
    fail "helm $v pace --reuse-values: $(cat "$tmp/out" "$tmp/err")"
  fi
  # Another release name: not found, said in one line.
  h pace upgrade other charts/example -n shop --profile Blitz > "$tmp/out" 2> "$tmp/err"
  if grep -q "no release other in namespace shop yet: planning a first install" "$tmp/err" &&
     grep -q "Blitz" "$tmp/out"; then
    ok "helm $v pace, no such release: a first install"
  else
    fail "helm $v pace, no such release: $(cat "$tmp/out" "$tmp/err")"
  fi
  # Helm's --wait: Helm 3's is the legacy waiter, which reports a Cautious release deployed when its new
  # pods are ready, before minReadySeconds; Helm 4's is the watcher (the whole rollout), and
  # --wait=legacy its legacy one.
  h pace upgrade shop charts/example -n shop --set image.tag=1.0.1 --profile Cautious --wait > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [[ $v == 3 ]]; then
    grep -q "Helm's legacy wait ends after" "$tmp/out" && grep -q "\[helm-reports-early\]" "$tmp/err" &&
      ok "helm 3 pace --wait: the legacy waiter, which reports the release early" ||
      fail "helm 3 pace --wait (exit $code): $(cat "$tmp/out" "$tmp/err")"
  else
    [[ $code == 0 ]] && ! grep -q "legacy wait" "$tmp/out" && ! grep -q "helm-reports-early" "$tmp/err" &&
      ok "helm 4 pace --wait: the watcher, the whole rollout" ||
      fail "helm 4 pace --wait (exit $code): $(cat "$tmp/out" "$tmp/err")"
    h pace upgrade shop charts/example -n shop --set image.tag=1.0.1 --profile Cautious --wait=legacy       > "$tmp/out" 2> "$tmp/err"
    grep -q "Helm's legacy wait ends after" "$tmp/out" && grep -q "\[helm-reports-early\]" "$tmp/err" &&
      ok "helm 4 pace --wait=legacy: the legacy waiter" ||
      fail "helm 4 pace --wait=legacy: $(cat "$tmp/out" "$tmp/err")"
  fi
  # The post-renderer flags as given to helm upgrade.
  h pace upgrade shop charts/example -n shop --post-renderer rollout-pace --post-renderer-args --profile=Blitz \
    > "$tmp/out" 2> "$tmp/err"
  if grep -Eq "Blitz +flag" "$tmp/out"; then
    ok "helm $v pace: --post-renderer-args go to rollout-pace"
  else
    fail "helm $v pace --post-renderer rollout-pace: $(cat "$tmp/out" "$tmp/err")"
  fi
  # A public chart that owns deploymentStrategy: the pace from another key.
  h pace upgrade grafana "$public" -n monitoring -f "$tmp/grafana-values.yaml" --values-key rolloutPace \
    > "$tmp/out" 2> "$tmp/err"
  code=$?
  if [[ $code == 0 ]] && grep -q "^Deployment  monitoring/grafana .*Cautious  values" "$tmp/out"; then
    ok "helm $v pace on grafana's render: Cautious from rolloutPace (--values-key)"
  else
    fail "helm $v pace on grafana (exit $code): $(cat "$tmp/out" "$tmp/err")"
  fi
  unset KUBECONFIG
  # Usage errors.
  h pace rollback shop > "$tmp/out" 2> "$tmp/err"
  code=$?
  [[ $code != 0 ]] && grep -q '"rollback" is not a command' "$tmp/err" && ok "helm $v pace rollback: refused" ||
    fail "helm $v pace rollback (exit $code): $(cat "$tmp/err")"
  h pace upgrade shop > "$tmp/out" 2> "$tmp/err"
  grep -q "takes RELEASE and CHART" "$tmp/err" && ok "helm $v pace upgrade without a chart: refused" ||
    fail "helm $v pace upgrade shop: $(cat "$tmp/err")"
done
exit $failed
