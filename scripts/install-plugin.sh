#!/usr/bin/env bash
# Helm 4 plugin install/update hook. A packaged plugin (the signed archive scripts/package.sh
# writes) carries a static binary per platform in bin/OS-ARCH/ (plugin.yaml's platformCommand
# chooses it): the hook checks that this platform's is there and runs, and says so clearly when the
# archive has none for it. From a checkout, builds rollout-pace into bin/OS-ARCH/ (and bin/, which
# plugin.yaml falls back to on a platform it does not list). Downloads nothing; names what is
# missing when it cannot build.
set -euo pipefail
# This platform as Helm names it (GOOS-GOARCH), from bash itself: no uname needed.
os=${OSTYPE%%-*}
os=${os%%[0-9]*}
case $HOSTTYPE in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=$HOSTTYPE ;;
esac
platform=$os-$arch
dir=${HELM_PLUGIN_DIR:-$(dirname "$0")/..}
# Helm 4 links a local plugin into its plugins folder: build in the real folder, so that a later
# install through another link (another HELM_DATA_HOME) finds the same CMake cache.
dir=$(cd "$dir" && pwd -P)
# A packaged plugin (scripts/package.sh) has no sources but its static binary: use it, build
# nothing. A checkout (it has CMakeLists.txt) always builds, so that a change is never left unbuilt.
if [[ ! -f $dir/CMakeLists.txt ]]; then
  plugin_version=""
  while IFS= read -r line; do
    [[ $line == version:* ]] && plugin_version=${line#version:} && plugin_version=${plugin_version// /}
  done < "$dir/plugin.yaml"
  binary=$dir/bin/$platform/rollout-pace
  if [[ -x $binary && $("$binary" --version 2>/dev/null) == "rollout-pace $plugin_version" ]]; then
    echo "rollout-pace: using the packaged binary $binary ($plugin_version)"
    exit 0
  fi
  have=""
  for b in "$dir"/bin/*/rollout-pace; do [[ -f $b ]] && b=${b%/rollout-pace} && have+="${have:+, }${b##*/}"; done
  if [[ -n $have && ! -f $binary ]]; then
    echo "rollout-pace: this plugin archive has rollout-pace $plugin_version for $have, not for $platform;" \
      "build it from source (https://github.com/rollout-pace/rollout-pace: scripts/build-and-run.sh) and use" \
      "helm plugin install on the checkout" >&2
    exit 1
  fi
  echo "rollout-pace: this plugin has neither sources nor a working bin/$platform/rollout-pace $plugin_version" >&2
  exit 1
fi
missing=()
command -v cmake >/dev/null || missing+=("cmake")
command -v c++ >/dev/null || command -v g++ >/dev/null || missing+=("a C++17 compiler (g++)")
command -v make >/dev/null || missing+=("make")
[[ -f /usr/include/yaml-cpp/yaml.h ]] || missing+=("yaml-cpp headers (libyaml-cpp-dev)")
[[ -f /usr/include/boost/program_options.hpp ]] || missing+=("Boost.ProgramOptions (libboost-program-options-dev)")
if (( ${#missing[@]} )); then
  joined=${missing[0]}
  for m in "${missing[@]:1}"; do joined+=", $m"; done
  echo "rollout-pace: cannot build the plugin, missing: $joined" >&2
  echo "rollout-pace: on Debian/Ubuntu: apt-get install g++ cmake make libyaml-cpp-dev libboost-program-options-dev" >&2
  exit 1
fi
build=$dir/build-plugin
cmake -S "$dir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
for target in "$dir/bin/$platform" "$dir/bin"; do
  mkdir -p "$target"
  cp "$build/rollout-pace" "$target/rollout-pace.tmp"
  mv -f "$target/rollout-pace.tmp" "$target/rollout-pace"
done
echo "rollout-pace: built $("$dir/bin/rollout-pace" --version) into $dir/bin/$platform"
