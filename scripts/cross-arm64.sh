#!/usr/bin/env bash
# Builds the static linux-arm64 rollout-pace into BUILD_DIR with Debian's aarch64 cross toolchain
# (cmake/aarch64-linux-gnu.cmake), installing what is missing first (scripts/deps.sh arm64). Debian
# 12's libyaml-cpp-dev cannot be installed for arm64 beside the amd64 one, so its arm64 package is
# downloaded from Debian (apt-get download) and unpacked into a folder of the cache. Prints the binary's path.
# Usage: scripts/cross-arm64.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/cross-arm64.sh BUILD_DIR}
scripts/deps.sh arm64 >&2
cache=${ROLLOUT_PACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-pace}
version=$(dpkg-query -W -f='${Version}' libyaml-cpp-dev:amd64)
sysroot=$cache/arm64-sysroot-$version
if [[ ! -f $sysroot/usr/lib/aarch64-linux-gnu/libyaml-cpp.a ]]; then
  tmp=$(mktemp -d)
  chmod 755 "$tmp"  # apt-get download drops privileges to _apt
  # The -dev package (headers, libyaml-cpp.a, the CMake config) and the shared library its config names.
  (cd "$tmp" && apt-get download "libyaml-cpp-dev:arm64=$version" "libyaml-cpp0.7:arm64=$version" >/dev/null 2>&1) ||
    { echo "cross-arm64.sh: apt-get download libyaml-cpp-dev:arm64=$version failed" >&2; exit 1; }
  rm -rf "$sysroot.tmp"
  mkdir -p "$sysroot.tmp"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$sysroot.tmp"; done
  rm -rf "$tmp" "$sysroot"
  mv "$sysroot.tmp" "$sysroot"
fi
export ROLLOUT_PACE_ARM64_SYSROOT=$sysroot
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF -DROLLOUT_PACE_STATIC=ON -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
file -b "$build/rollout-pace" | grep -q "ARM aarch64.*statically linked" ||
  { echo "cross-arm64.sh: $build/rollout-pace is not a static arm64 binary: $(file -b "$build/rollout-pace")" >&2; exit 1; }
echo "$build/rollout-pace"
