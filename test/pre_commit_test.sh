#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) with Debian's real pre-commit, as a user adds them:
# `pre-commit try-repo SOURCE HOOK` in a throwaway git repository, rollout-pace on PATH.
#   - rollout-pace-flux-check fails on a HelmRelease whose entry is missing, naming the fix, and
#     passes once `rollout-pace flux` has written it; a chart's templates are not handed to it;
#   - rollout-pace-plan fails on a manifest with a warning (--strict) and passes on a clean one and
#     with the warning accepted in the hook's args.
set -u
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
binary=$2
command -v pre-commit > /dev/null || die "pre-commit is not installed (scripts/deps.sh test installs it)"
export PATH="$(dirname "$binary"):$PATH" PRE_COMMIT_HOME=$tmp/cache
repo=$tmp/gitops
mkdir -p "$repo/clusters" "$repo/rendered" "$repo/charts/web/templates"
cd "$repo" || exit 2
git init -q . && git config user.email t@example.invalid && git config user.name test
cat > clusters/web.yaml <<'YAML'
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: shop
  annotations:
    rollout-pace/profile: Cautious
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      sourceRef: {kind: HelmRepository, name: charts}
  values:
    replicaCount: 3
YAML
printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' > charts/web/Chart.yaml
printf 'kind: HelmRelease\n{{ .Values.x }}\n' > charts/web/templates/hr.yaml  # a template: not YAML yet
cat > rendered/web.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, annotations: {rollout-pace/profile: Cautious}}
spec:
  replicas: 3
  template:
    spec:
      containers: [{name: web, image: "web:1.0"}]
YAML
git add -A && git commit -qm init
try() {  # HOOK [pre-commit's file arguments; default --all-files]
  local hook=$1
  shift
  (( $# )) || set -- --all-files
  pre-commit try-repo "$source" "$hook" "$@" > "$tmp/out" 2>&1
}

if try rollout-pace-flux-check; then
  fail "flux-check passed a HelmRelease without its entry: $(cat "$tmp/out")"
elif grep -q "entry is missing; run: rollout-pace flux clusters/web.yaml" "$tmp/out"; then
  ok "rollout-pace-flux-check fails on a missing entry and names the fix"
else
  fail "flux-check failed without naming the fix: $(cat "$tmp/out")"
fi
grep -q "charts/web/templates" "$tmp/out" && fail "flux-check was handed a chart template"
rollout-pace flux clusters/web.yaml 2> /dev/null && git add -A && git commit -qm paced
if try rollout-pace-flux-check; then ok "rollout-pace-flux-check passes once the entry is written"; else
  fail "flux-check after rollout-pace flux: $(cat "$tmp/out")"; fi

# plan --strict: no readiness probe under Cautious (its annotation; minReadySeconds 30) is a warning.
if try rollout-pace-plan --files rendered/web.yaml; then
  fail "rollout-pace-plan passed a manifest with a warning: $(cat "$tmp/out")"
elif grep -q "\[no-readiness-probe\]" "$tmp/out" || grep -q "no profile" "$tmp/out"; then
  ok "rollout-pace-plan fails on a manifest with a warning, and says which"
else
  fail "rollout-pace-plan failed without the warning: $(cat "$tmp/out")"
fi
# The hook's args as a .pre-commit-config.yaml gives them: the profile, an accepted warning.
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $source
    rev: $(git -C "$source" rev-parse HEAD)
    hooks:
      - id: rollout-pace-plan
        files: ^rendered/
        args: [--profile=Cautious]
YAML
if pre-commit run --all-files > "$tmp/out" 2>&1; then
  fail "the configured plan hook passed a warning: $(cat "$tmp/out")"
elif grep -q "\[no-readiness-probe\]" "$tmp/out"; then
  ok "the configured rollout-pace-plan hook (args: --profile=Cautious) fails on [no-readiness-probe]"
else
  fail "the configured plan hook: $(cat "$tmp/out")"
fi
sed -i 's/args: \[--profile=Cautious\]/args: [--profile=Cautious, --accept=no-readiness-probe]/' .pre-commit-config.yaml
if pre-commit run --all-files > "$tmp/out" 2>&1; then ok "with the warning accepted in its args, the plan hook passes"; else
  fail "the plan hook with the warning accepted: $(cat "$tmp/out")"; fi
exit $failed
