#!/usr/bin/env bash
# Reads rollout-pace's output the way Kubernetes does (test/conformance/k8sread.go) and checks,
# document by document, that the only differences Kubernetes sees are the intended fields:
#   every corpus stream with each profile (and every eligible Deployment carries the profile), and
#   every golden case's input with each profile and with its own arguments.
set -u
source "$(dirname "$0")/lib.sh" || exit 2
bin=$1 k8sread=$2 source=$3 corpus=$4
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }  # unlike lib.sh's, counts the failures

# check IN OUT [SURGE UNAVAILABLE MINREADY]
check() {
  "$k8sread" compare "$@" > "$tmp/why"
  case $? in
    0) passed=$((passed + 1)) ;;
    3) passed=$((passed + 1)) ;;  # Kubernetes cannot read the input either: nothing to compare
    *) fail "$1 -> $(head -c 600 "$tmp/why")" ;;
  esac
}

declare -A surge=([Blitz]=100% [Cautious]=25% [Paranoid]=1)
declare -A unavailable=([Blitz]=50% [Cautious]=0 [Paranoid]=0)
declare -A ready=([Blitz]=0 [Cautious]=30 [Paranoid]=300)

[[ -d $corpus ]] || die "the corpus folder $corpus is missing"
for f in "$corpus"/*.yaml; do
  for p in Blitz Cautious Paranoid; do
    if ! "$bin" --profile "$p" < "$f" > "$tmp/out" 2>/dev/null; then
      fail "rollout-pace --profile $p failed on $f"
      continue
    fi
    check "$f" "$tmp/out" "${surge[$p]}" "${unavailable[$p]}" "${ready[$p]}"
  done
done

for dir in "$source"/test/golden/*/; do
  [[ -f $dir/input.yaml ]] || continue
  for p in Blitz Cautious Paranoid; do
    "$bin" --profile "$p" < "$dir/input.yaml" > "$tmp/out" 2>/dev/null || continue  # error cases stay errors
    check "$dir/input.yaml" "$tmp/out"
  done
  # With its own arguments (flux adds post-renderers by design, plan and explain print reports).
  first=$(head -n 1 "$dir/args")
  if [[ $(cat "$dir/expected.exit") == 0 && -s $dir/expected.stdout && $first != flux && $first != plan && $first != explain ]]; then
    check "$dir/input.yaml" "$dir/expected.stdout"
  fi
done

echo "conformance: $passed passed, $failed failed"
(( failed == 0 && passed > 0 ))
