#!/usr/bin/env bash
# The layering rule of docs/architecture.md, enforced: every #include "layer/..." in src/ and
# include/ names a layer the including file's layer may use; yaml-cpp is included only in yaml/ and
# manifest/ (and the commands that hold parsed documents), Boost.ProgramOptions only in app/.
# Prints each violation as FILE:LINE: what, and fails when there is any.
set -u
if [[ ${1:-} == --self-test ]]; then
  # The check must catch what it exists for: a copy of the tree with two wrong includes fails.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp -r "$2/src" "$2/include" "$tmp/"
  sed -i '1i #include "manifest/workload.h"' "$tmp/src/pace/decision.cpp"
  sed -i '1i #include <yaml-cpp/yaml.h>' "$tmp/src/plan/format.cpp"
  out=$(bash "$0" "$tmp")
  echo "$out"
  [[ $out == *"pace/ may not include manifest/workload.h"* && $out == *"plan/ may not include <yaml-cpp/yaml.h>"* &&
     $out == *", 2 violations" ]] || { echo "layering self-test: the check missed a violation"; exit 1; }
  exit 0
fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
declare -A may=(
  [base]=""
  [kube]="base"
  [yaml]="base"
  [pace]="base kube"
  [plan]="base kube pace"
  [manifest]="base kube yaml pace plan"
  [commands]="base kube yaml pace plan manifest"
  [app]="base kube yaml pace plan manifest commands app"
  [rollout_pace]="base kube yaml pace plan manifest commands"
)
declare -A yaml_cpp=([yaml]=1 [manifest]=1 [commands]=1)
violations=0
checked=0
say() { echo "$1: $2"; violations=$((violations + 1)); }
while IFS= read -r file; do
  layer=${file#src/}
  layer=${layer#include/}
  layer=${layer%%/*}
  if [[ -z ${may[$layer]+x} ]]; then say "$file" "is in no layer (src/<layer>/ or include/rollout_pace/)"; continue; fi
  checked=$((checked + 1))
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+) ]] || continue
    target=${BASH_REMATCH[2]}
    if [[ ${BASH_REMATCH[1]} == '"' ]]; then
      used=${target%%/*}
      [[ $target == */* ]] || { say "$file:$n" "includes \"$target\" without its layer folder"; continue; }
      [[ $used == "$layer" ]] && continue
      [[ " ${may[$layer]} " == *" $used "* ]] || say "$file:$n" "$layer/ may not include $target (it may use: ${may[$layer]:-nothing})"
    else
      [[ $target == yaml-cpp/* && -z ${yaml_cpp[$layer]+x} ]] && say "$file:$n" "$layer/ may not include <$target>: only yaml/, manifest/ and commands/ read YAML"
      [[ $target == boost/program_options* && $layer != app ]] && say "$file:$n" "$layer/ may not include <$target>: only app/ parses the command line"
    fi
  done < "$file"
done < <(find src include -name '*.h' -o -name '*.cpp' -o -name '*.h.in' | sort)
echo "layering: $checked files checked, $violations violations"
(( checked > 40 && violations == 0 ))
