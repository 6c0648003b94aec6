#!/usr/bin/env bash
# The README's commands, run as written so they cannot rot:
#   scripts/build-and-run.sh (the first quick-start command) paces the example stream, and
#   cmake --install puts a working binary in a prefix's bin/ (the Helm 3 instructions).
set -euo pipefail
source "$(dirname "$0")/lib.sh" || exit 2
source_dir=$1
build_dir=$2
cd "$source_dir"
scripts/build-and-run.sh > "$tmp/out" 2> "$tmp/err"
grep -q "^  minReadySeconds: 300$" "$tmp/out" || { echo "build-and-run.sh did not pace the Deployment"; cat "$tmp/out"; exit 1; }
grep -q "^      maxSurge: 1$" "$tmp/out" || { echo "build-and-run.sh: maxSurge missing"; exit 1; }
grep -q "rollout-pace: report: document 3 (Deployment drone-api" "$tmp/err" || { echo "no report line"; cat "$tmp/err"; exit 1; }
# Everything but the Deployment comes out byte for byte.
[[ $(diff examples/helm3-stream.yaml "$tmp/out" | grep -c '^[<>]') == 6 ]] || { echo "more than the six rollout lines changed"; exit 1; }
cmake --install "$build_dir" --prefix "$tmp/prefix" > /dev/null
"$tmp/prefix/bin/rollout-pace" --version | grep -qx "rollout-pace [0-9.]*" || { echo "installed binary does not run"; exit 1; }
# A newcomer's page: at most 150 lines; the reference lives in docs/, the history in CHANGELOG.md,
# and every page the README links to exists.
(( $(wc -l < README.md) <= 150 )) || { echo "README.md is $(wc -l < README.md) lines, over 150"; exit 1; }
for link in $(grep -o '](\(docs/[a-z-]*\.md\|CHANGELOG\.md\))' README.md | tr -d '()]'); do
  [[ -f $link ]] || { echo "README links to $link, which does not exist"; exit 1; }
done
for page in docs/*.md; do
  for link in $(grep -o '](\([a-z-]*\.md\))' "$page" | tr -d '()]'); do
    [[ -f docs/$link ]] || { echo "$page links to $link, which does not exist"; exit 1; }
  done
done
echo "README commands work"
