#!/usr/bin/env bash
# Fetches and caches Microsoft's SARIF multitool (@microsoft/sarif-multitool-linux, a self-contained
# binary) from the npm registry, for test/sarif_test.sh. Prints one line: sarif=PATH.
# Usage: scripts/fetch-sarif-tool.sh [CACHE_DIR]
set -euo pipefail
cache=${1:-${ROLLOUT_PACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-pace}}
pkg=@microsoft/sarif-multitool-linux@5.7.0
dir=$cache/sarif-multitool-5.7.0
if [[ ! -x $dir/package/Sarif.Multitool ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>&1) || { echo "fetch-sarif-tool: npm pack $pkg failed" >&2; exit 1; }
  mkdir -p "$dir"
  tar -xzf "$tmp"/*.tgz -C "$dir"
  chmod +x "$dir/package/Sarif.Multitool"
fi
echo "sarif=$dir/package/Sarif.Multitool"
