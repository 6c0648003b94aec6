#!/usr/bin/env bash
# Helm 4 plugin install/update hook. A packaged plugin (the signed archive scripts/package.sh
# writes) carries its static binary in bin/: nothing to do. From a checkout, builds rollout-pace into
# ${HELM_PLUGIN_DIR}/bin. Downloads nothing; names what is missing when it cannot build.
set -euo pipefail
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
  if [[ -x $dir/bin/rollout-pace && $("$dir/bin/rollout-pace" --version 2>/dev/null) == "rollout-pace $plugin_version" ]]; then
    echo "rollout-pace: using the packaged binary $dir/bin/rollout-pace ($plugin_version)"
    exit 0
  fi
  echo "rollout-pace: this plugin has neither sources nor a working bin/rollout-pace $plugin_version" >&2
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
mkdir -p "$dir/bin"
cp "$build/rollout-pace" "$dir/bin/rollout-pace.tmp"
mv -f "$dir/bin/rollout-pace.tmp" "$dir/bin/rollout-pace"
echo "rollout-pace: built $("$dir/bin/rollout-pace" --version) into $dir/bin"
