#!/usr/bin/env bash
# Fuzzes the core's entry point with libFuzzer (clang, AddressSanitizer, UBSan) for SECONDS
# (default 120), seeded from the golden cases and ../shared/corpus. An input that breaks an
# invariant is written to test/fuzzing/crashes/ and the script fails: fix the bug, keep the file
# (fuzz_replay_test replays it), commit both. An hour: scripts/fuzz.sh 3600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang and libclang-rt-14-dev (scripts/deps.sh test installs them)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLOUT_PACE_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target rewrite_fuzzer >/dev/null
work=build-fuzz/corpus
mkdir -p "$work"
# Seeds: the first byte picks the options (see test/fuzzing/invariants.h).
i=0
for f in test/golden/*/input.yaml ../shared/corpus/*.yaml test/fuzzing/crashes/*; do
  [[ -f $f && $(basename "$f") != README.md ]] || continue
  i=$((i + 1))
  { printf "\\x$(printf %02x $((i % 64)))"; head -c 60000 "$f"; } > "$work/seed-$i"
done
mkdir -p build-fuzz/artifacts
set +e
build-fuzz/test/rewrite_fuzzer "$work" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=20 \
  -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
set -e
found=(build-fuzz/artifacts/*)
if [[ -e ${found[0]} ]]; then
  for f in "${found[@]}"; do cp "$f" test/fuzzing/crashes/; done
  echo "fuzz.sh: inputs breaking an invariant were copied to test/fuzzing/crashes/: ${found[*]}" >&2
  exit 1
fi
exit "$status"
