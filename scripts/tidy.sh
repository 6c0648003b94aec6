#!/usr/bin/env bash
# Runs clang-tidy (Debian's clang-tidy 14) with .clang-tidy over every source file of src/; fails on
# any warning. Configures build-tidy for the compile commands.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-tidy -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-tidy --target rollout_pace_app >/dev/null  # generated headers
run-clang-tidy -p build-tidy -quiet -j "$(nproc)" "$PWD/src/" 2>&1 | grep -v "warnings generated" | tee build-tidy/tidy.log >/dev/null
if grep -q "error:\|warning:" build-tidy/tidy.log; then
  grep -A3 "error:\|warning:" build-tidy/tidy.log
  exit 1
fi
echo "clang-tidy: clean"
