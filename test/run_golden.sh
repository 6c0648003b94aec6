#!/usr/bin/env bash
# Runs one golden case against the built binary: test/golden/<case>/ holds
#   args             one argument per line (may be empty)
#   input.yaml       standard input (absent: empty input)
#   expected.stdout, expected.stderr, expected.exit
# The case runs in its own folder, so args may name files beside it. A case that succeeds must
# also be stable: its output run through again with the same arguments comes back unchanged
# (not for plan and explain, whose output is a report, not a stream, nor for a KRM function's
# ResourceList, which then holds results: kpt and kustomize pass none in).
# No case may print "unexpected failure" (the core's last-resort message).
set -u
source "$(dirname "$0")/lib.sh" || exit 2
bin=$1
dir=$2
cd "$dir" || exit 2
args=()
if [[ -f args ]]; then
  while IFS= read -r line || [[ -n $line ]]; do args+=("$line"); done < args
fi
input=input.yaml
[[ -f $input ]] || input=/dev/null
"$bin" "${args[@]}" < "$input" > "$tmp/stdout" 2> "$tmp/stderr"
echo $? > "$tmp/exit"
status=0
for part in stdout stderr exit; do
  if ! cmp -s "expected.$part" "$tmp/$part"; then
    echo "golden $(basename "$dir"): $part differs from expected.$part:"
    diff -u "expected.$part" "$tmp/$part" | head -40
    status=1
  fi
done
if grep -Eq "^rollout-pace: error: (document [0-9]+: )?unexpected failure: " "$tmp/stderr"; then
  echo "golden $(basename "$dir"): an \"unexpected failure\" message: every input problem needs a message of its own"
  status=1
fi
if [[ $status == 0 && $(cat "$tmp/exit") == 0 && -s $tmp/stdout && ${args[0]:-} != plan && ${args[0]:-} != explain &&
      $(sed -n '2p' "$tmp/stdout") != "kind: ResourceList" ]]; then
  "$bin" "${args[@]}" < "$tmp/stdout" > "$tmp/again" 2>/dev/null
  if ! cmp -s "$tmp/stdout" "$tmp/again"; then
    echo "golden $(basename "$dir"): a second run changed the output:"
    diff -u "$tmp/stdout" "$tmp/again" | head -40
    status=1
  fi
fi
if [[ ${UPDATE_GOLDEN:-} == 1 ]]; then
  cp "$tmp/stdout" expected.stdout; cp "$tmp/stderr" expected.stderr; cp "$tmp/exit" expected.exit
fi
exit $status
