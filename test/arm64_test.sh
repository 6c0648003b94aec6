#!/usr/bin/env bash
# The linux-arm64 binary: cross-built static with Debian's aarch64 toolchain (scripts/cross-arm64.sh),
# then every golden case run against it under qemu-aarch64-static, exactly as against the native one.
# Usage: arm64_test.sh SOURCE_DIR BUILD_DIR
set -u
source=$1
build=$2
cd "$source" || exit 2
binary=$(scripts/cross-arm64.sh "$build") || { echo "FAIL: scripts/cross-arm64.sh"; exit 1; }
binary=$(cd "$(dirname "$binary")" && pwd)/rollout-pace
echo "ok: $(file -b "$binary" | cut -d, -f1-2,4 | tr -s ' ')"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#!/bin/sh\nexec qemu-aarch64-static %q "$@"\n' "$binary" > "$tmp/rollout-pace"
chmod +x "$tmp/rollout-pace"
[[ $("$tmp/rollout-pace" --version) == "rollout-pace $(sed -n 's/^project(rollout-pace VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ]] ||
  { echo "FAIL: the arm64 binary's --version under qemu"; exit 1; }
passed=0 failed=0
for case in test/golden/*/; do
  if bash test/run_golden.sh "$tmp/rollout-pace" "$PWD/$case" > "$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: golden $(basename "$case") under qemu-aarch64:"
    head -20 "$tmp/out"
  fi
done
echo "arm64 under qemu: $passed golden cases passed, $failed failed"
(( passed > 100 && failed == 0 ))
