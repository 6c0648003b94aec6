#!/usr/bin/env bash
# Installs the Debian 12 packages a step needs, only those that are missing.
# Usage: scripts/deps.sh build|package|test|arm64|windows (arm64: the cross toolchain, qemu and arm64
# libraries; windows: mingw-w64, wine64 and Debian's source index; package and test include both)
set -euo pipefail
packages=(g++ cmake make libyaml-cpp-dev libboost-program-options-dev nlohmann-json3-dev)
if [[ ${1:-build} == package || ${1:-build} == test ]]; then
  packages+=(gnupg help2man dpkg-dev file curl python3)
fi
if [[ ${1:-build} == arm64 || ${1:-build} == package || ${1:-build} == test ]]; then
  packages+=(g++-aarch64-linux-gnu qemu-user-static file libboost-program-options-dev:arm64)
  # The arm64 packages need dpkg to know the architecture (Debian's multiarch).
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    echo "rollout-pace: dpkg --add-architecture arm64" >&2
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq
  fi
fi
if [[ ${1:-build} == windows || ${1:-build} == package || ${1:-build} == test ]]; then
  # mingw-w64 and wine64; apt-get source fetches yaml-cpp's and Boost's Debian sources
  # (scripts/cross-windows.sh), which needs Debian's deb-src index.
  packages+=(g++-mingw-w64-x86-64-posix wine64 dpkg-dev xz-utils file)
  if ! apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -qx Sources; then
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    echo "rollout-pace: adding Debian's deb-src index (/etc/apt/sources.list.d/rollout-pace-deb-src.sources)" >&2
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
      $sudo tee /etc/apt/sources.list.d/rollout-pace-deb-src.sources >/dev/null
    $sudo apt-get update -qq
  fi
fi
if [[ ${1:-build} == test ]]; then
  packages+=(python3 python3-yaml libboost-test-dev nodejs npm unzip ca-certificates golang-go golang-gopkg-yaml.v2-dev golang-github-ghodss-yaml-dev clang libclang-rt-14-dev clang-format clang-tidy pre-commit git skopeo)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs may be replaced by a newer one that brings npm with it.
if [[ " ${missing[*]} " == *" npm "* ]] && command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
if [[ " ${missing[*]} " == *" nodejs "* ]] && command -v node >/dev/null; then
  missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<< "${missing[*]}"
(( ${#missing[@]} )) || exit 0
sudo=""
[[ $(id -u) == 0 ]] || sudo=sudo
echo "rollout-pace: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
