#!/usr/bin/env bash
# Fuzzes the cores with libFuzzer (clang, AddressSanitizer, UBSan): rewrite(), the flux subcommand,
# and read_lite() against yaml-cpp (a differential fuzzer: the fast reader must decline or read
# exactly as yaml-cpp does). Seeds: the golden cases, the Flux examples, test/corpus and every input
# in test/fuzzing/crashes.
#
#   scripts/fuzz.sh --fixed   what scripts/test.sh (and so CI) runs: a fixed seed and a fixed number
#                             of runs per fuzzer from a fresh corpus, with address randomization off
#                             (setarch -R) and no corpus reload, so two runs on the same code try the
#                             same inputs and CI's verdict never depends on chance (about 100 s)
#   scripts/fuzz.sh SECONDS   fuzzing by the clock, as long as you like (an hour: scripts/fuzz.sh 3600);
#                             its corpus is kept in build-fuzz/corpus between runs
#
# An input that breaks an invariant is copied to test/fuzzing/crashes/ and the script fails: fix the
# bug and commit both; fuzz_replay_test replays every file there on every test run, and the fixed
# run seeds from them.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-120}
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang and libclang-rt-14-dev (scripts/deps.sh test installs them)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLOUT_PACE_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target rewrite_fuzzer flux_fuzzer yaml_lite_fuzzer >/dev/null

work=build-fuzz/corpus docs=build-fuzz/corpus-documents
common=(-dict=test/fuzzing/yaml.dict -max_len=65536 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1)
launch=()
if [[ $mode == --fixed ]]; then
  work=build-fuzz/fixed-corpus docs=build-fuzz/fixed-corpus-documents
  rm -rf "$work" "$docs"
  common+=(-seed=1 -reload=0)
  # Address randomization changes which hash buckets and branches a run takes, so the inputs tried.
  if setarch -R true 2>/dev/null; then
    launch=(setarch -R)
  else
    echo "fuzz.sh: setarch -R is not allowed here; the fixed runs may try slightly different inputs" >&2
  fi
elif ! [[ $mode =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh --fixed | SECONDS" >&2
  exit 2
fi
mkdir -p "$work" "$docs"
# Seeds: the first byte picks the options (see test/fuzzing/invariants.h).
i=0
for f in test/golden/*/input.yaml examples/flux/*.yaml test/corpus/*.yaml test/fuzzing/crashes/*; do
  [[ -f $f && $(basename "$f") != README.md ]] || continue
  i=$((i + 1))
  { printf "\\x$(printf %02x $((i % 64)))"; head -c 60000 "$f"; } > "$work/seed-$i"
done
# read_lite() reads one document at a time: its seeds are the documents of the same files.
for f in test/golden/*/input.yaml test/corpus/*.yaml; do
  [[ -f $f ]] || continue
  awk -v out="$docs/$(basename "$(dirname "$f")")-$(basename "$f")" \
    'BEGIN { n = 0; printf " " > (out "." n) } /^---/ { close(out "." n); n++; printf " " > (out "." n); next } { print > (out "." n) }' "$f"
done
find "$docs" -type f -size +60k -delete
rm -rf build-fuzz/artifacts
mkdir -p build-fuzz/artifacts
status=0
run() {  # fuzzer budget seeds: budget is -runs=N or -max_total_time=S
  set +e
  "${launch[@]}" build-fuzz/test/"$1" "$3" "$2" "${common[@]}" -artifact_prefix=build-fuzz/artifacts/"$1"- 2>&1 | tail -n 12
  local s=${PIPESTATUS[0]}
  set -e
  (( s == 0 )) || status=$s
}
if [[ $mode == --fixed ]]; then
  run rewrite_fuzzer -runs=20000 "$work"
  run flux_fuzzer -runs=30000 "$work"
  run yaml_lite_fuzzer -runs=150000 "$docs"
else
  run rewrite_fuzzer -max_total_time=$(( mode / 2 )) "$work"
  run flux_fuzzer -max_total_time=$(( mode / 4 )) "$work"
  run yaml_lite_fuzzer -max_total_time=$(( mode - mode / 2 - mode / 4 )) "$docs"
fi
found=(build-fuzz/artifacts/*)
if [[ -e ${found[0]} ]]; then
  for f in "${found[@]}"; do cp "$f" test/fuzzing/crashes/; done
  echo "fuzz.sh: inputs breaking an invariant were copied to test/fuzzing/crashes/: ${found[*]}" >&2
  exit 1
fi
exit "$status"
