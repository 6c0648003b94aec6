#!/usr/bin/env bash
# Fuzzes the cores with libFuzzer (clang, AddressSanitizer, UBSan) for SECONDS in all (default
# 120): half on rewrite(), a quarter on the flux subcommand, a quarter on read_lite() against
# yaml-cpp (a differential fuzzer: the fast reader must decline or read exactly as yaml-cpp does). Seeds: the golden cases, the
# Flux examples and test/corpus. An input that breaks an invariant is written to
# test/fuzzing/crashes/ and the script fails: fix the bug, keep the file (fuzz_replay_test replays
# it), commit both. An hour: scripts/fuzz.sh 3600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang and libclang-rt-14-dev (scripts/deps.sh test installs them)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLOUT_PACE_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target rewrite_fuzzer flux_fuzzer yaml_lite_fuzzer >/dev/null
work=build-fuzz/corpus
mkdir -p "$work"
# Seeds: the first byte picks the options (see test/fuzzing/invariants.h).
i=0
for f in test/golden/*/input.yaml examples/flux/*.yaml test/corpus/*.yaml test/fuzzing/crashes/*; do
  [[ -f $f && $(basename "$f") != README.md ]] || continue
  i=$((i + 1))
  { printf "\\x$(printf %02x $((i % 64)))"; head -c 60000 "$f"; } > "$work/seed-$i"
done
# read_lite() reads one document at a time: its seeds are the documents of the same files.
docs=build-fuzz/corpus-documents
mkdir -p "$docs"
for f in test/golden/*/input.yaml test/corpus/*.yaml; do
  [[ -f $f ]] || continue
  awk -v out="$docs/$(basename "$(dirname "$f")")-$(basename "$f")" \
    'BEGIN { n = 0; printf " " > (out "." n) } /^---/ { close(out "." n); n++; printf " " > (out "." n); next } { print > (out "." n) }' "$f"
done
find "$docs" -type f -size +60k -delete
rm -rf build-fuzz/artifacts
mkdir -p build-fuzz/artifacts
status=0
run() {  # fuzzer seconds [seeds]
  set +e
  build-fuzz/test/"$1" "${3:-$work}" -max_total_time="$2" -dict=test/fuzzing/yaml.dict -max_len=65536 -rss_limit_mb=4096 -timeout=20 \
    -artifact_prefix=build-fuzz/artifacts/"$1"- -print_final_stats=1 2>&1 | tail -n 12
  local s=${PIPESTATUS[0]}
  set -e
  (( s == 0 )) || status=$s
}
run rewrite_fuzzer $(( seconds / 2 ))
run flux_fuzzer $(( seconds / 4 ))
run yaml_lite_fuzzer $(( seconds - seconds / 2 - seconds / 4 )) "$docs"
found=(build-fuzz/artifacts/*)
if [[ -e ${found[0]} ]]; then
  for f in "${found[@]}"; do cp "$f" test/fuzzing/crashes/; done
  echo "fuzz.sh: inputs breaking an invariant were copied to test/fuzzing/crashes/: ${found[*]}" >&2
  exit 1
fi
exit "$status"
