#!/usr/bin/env bash
# plan --format mermaid, read by Mermaid's own parser (test/mermaid/check.mjs under node, with the
# pinned mermaid and jsdom from the npm registry, cached): every chart parses, every task has a valid
# start and end, and the last task ends when the plan says the release is done.
set -u
source "$(dirname "$0")/lib.sh" || exit 2
bin=$1 source=$2 corpus=$3
cache=${ROLLOUT_PACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-pace}/mermaid
mkdir -p "$cache"
if ! cmp -s "$source/test/mermaid/package.json" "$cache/package.json" || [[ ! -d $cache/node_modules/mermaid ]]; then
  cp "$source/test/mermaid/package.json" "$cache/package.json"
  (cd "$cache" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) || die "npm install of mermaid and jsdom"
fi
cp "$source/test/mermaid/check.mjs" "$cache/check.mjs"
checked=0
check() {  # name args...: plan the input with args, as mermaid and as json, and compare the ends
  local name=$1 input=$2
  shift 2
  "$bin" plan --format mermaid "$@" < "$input" > "$tmp/$name.mmd" 2>/dev/null || { fail "plan $name"; return; }
  "$bin" plan --format json "$@" < "$input" > "$tmp/$name.json" 2>/dev/null
  local want got
  want=$(sed -n 's/.*"release_min_duration_seconds": *\([0-9]*\).*/\1/p' "$tmp/$name.json")
  checked=$((checked + 1))
  # Viewers anywhere: whole-hour, half-hour and quarter-hour offsets, south and north.
  for tz in UTC Asia/Kolkata Australia/Adelaide Asia/Kathmandu America/St_Johns; do
    got=$(TZ=$tz node "$cache/check.mjs" "$tmp/$name.mmd" | tee "$tmp/$name.out" | sed -n 's/.*last end \([0-9.]*\)$/\1/p')
    if [[ -z $got || $got != "$want" ]]; then
      fail "$name in $tz: Mermaid says the last step ends at '${got}', the plan says $want: $(cat "$tmp/$name.out")"
    fi
  done
}
check golden-input "$source/test/golden/plan-format-mermaid/input.yaml" --profile Cautious
check paranoid-long "$source/test/golden/plan-format-mermaid/input.yaml" --profile Paranoid
check paranoid-over-an-hour "$source/test/golden/plan-format-mermaid/input.yaml" --profile Paranoid --min-ready-seconds 900
check labels-that-hold-its-grammar "$source/test/golden/plan-mermaid-labels-hold-no-grammar/input.yaml" --profile Cautious
check argo-canary-with-pauses "$source/test/golden/plan-argo-canary-pauses/input.yaml" --profile Cautious
[[ -d $corpus ]] || die "the corpus folder $corpus is missing"
for f in "$corpus"/*.yaml; do
  check "$(basename "$f" .yaml)" "$f" --profile Blitz
done
# The chart in docs/plan.md parses too.
awk '/^```mermaid$/ { on = 1; next } /^```$/ { on = 0 } on' "$source/docs/plan.md" > "$tmp/readme.mmd"
if [[ ! -s $tmp/readme.mmd ]] || ! node "$cache/check.mjs" "$tmp/readme.mmd" > "$tmp/readme.out"; then
  fail "docs/plan.md's mermaid chart: $(cat "$tmp/readme.out" 2>/dev/null)"
fi
checked=$((checked + 1))
echo "mermaid: $checked charts checked"
exit $failed
