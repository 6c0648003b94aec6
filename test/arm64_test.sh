#!/usr/bin/env bash
# The linux-arm64 binary: cross-built static with Debian's aarch64 toolchain (scripts/cross-arm64.sh),
# then every golden case run against it under qemu-aarch64-static, exactly as against the native one.
# Usage: arm64_test.sh SOURCE_DIR BUILD_DIR
set -u
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
build=$2
cd "$source" || exit 2
binary=$(scripts/cross-arm64.sh "$build") || die "scripts/cross-arm64.sh"
binary=$(cd "$(dirname "$binary")" && pwd)/rollout-pace
ok "$(file -b "$binary" | cut -d, -f1-2,4 | tr -s ' ')"
printf '#!/bin/sh\nexec qemu-aarch64-static %q "$@"\n' "$binary" > "$tmp/rollout-pace"
chmod +x "$tmp/rollout-pace"
[[ $("$tmp/rollout-pace" --version) == "rollout-pace $(project_version)" ]] || die "the arm64 binary's --version under qemu"
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
