#!/usr/bin/env bash
# The rollout-pace-plan pre-commit hook (.pre-commit-hooks.yaml): `rollout-pace plan --strict` on each
# manifest file pre-commit names, with the hook's args (a profile, --accept, --nodes, ...) before
# the files. A file that holds no workload passes; one with a warning not accepted fails the commit.
set -u
args=() files=()
for a in "$@"; do
  if [[ $a == -* ]]; then args+=("$a"); else files+=("$a"); fi  # flags as --flag=value
done
status=0
for f in "${files[@]}"; do
  out=$(rollout-pace plan --strict --input-name "$f" "${args[@]}" < "$f" 2>&1 >/dev/null) || {
    echo "$f:"
    echo "$out"
    status=1
  }
done
exit $status
