#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds rollout-pace, and paces the
# example Helm stream with the Paranoid profile (the report goes to stderr, the stream to stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
build/rollout-pace --profile Paranoid --report < examples/helm3-stream.yaml
