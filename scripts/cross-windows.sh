#!/usr/bin/env bash
# Builds the static windows-amd64 rollout-pace.exe into BUILD_DIR with Debian's mingw-w64 toolchain
# (cmake/x86_64-w64-mingw32.cmake), installing what is missing first (scripts/deps.sh windows).
# Debian 12 packages yaml-cpp and Boost for Linux only, so their Debian source packages (the
# versions of the installed libyaml-cpp-dev and libboost-program-options1.74-dev, fetched with
# apt-get source, which checks them against Debian's signed index) are built for Windows once, into
# a folder kept in the cache: yaml-cpp with its own CMake build (Debian's patches applied), and
# Boost.ProgramOptions' sources compiled against Debian's installed Boost headers (its one Debian
# patch is to a header). nlohmann-json is header-only: its installed headers are linked in.
# Usage: scripts/cross-windows.sh BUILD_DIR   (prints the path of rollout-pace.exe)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/cross-windows.sh BUILD_DIR}
scripts/deps.sh windows >&2
cache=${ROLLOUT_PACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-pace}
yaml=$(dpkg-query -W -f='${source:Package}=${source:Version}\n' libyaml-cpp-dev | head -n 1)
boost=$(dpkg-query -W -f='${source:Package}=${source:Version}\n' libboost-program-options1.74-dev | head -n 1)  # amd64 and arm64: one line each
json=$(dpkg-query -W -f='${Version}' nlohmann-json3-dev)
sysroot=$cache/windows-sysroot-${yaml//[=+:~]/_}-${boost//[=+:~]/_}
toolchain=$PWD/cmake/x86_64-w64-mingw32.cmake
if [[ ! -f $sysroot/.complete ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  chmod 777 "$tmp"  # apt-get source drops privileges to _apt
  (cd "$tmp" && apt-get source -qq --download-only "$yaml" "$boost" >/dev/null 2>&1) ||
    { echo "cross-windows.sh: apt-get source $yaml $boost failed (scripts/deps.sh windows adds deb-src)" >&2; exit 1; }
  rm -rf "$sysroot"
  mkdir -p "$sysroot/include" "$sysroot/lib/cmake"
  # yaml-cpp, static, with Debian's patches.
  (cd "$tmp" && dpkg-source -x --no-check yaml-cpp_*.dsc yaml-cpp >/dev/null)
  cmake -S "$tmp/yaml-cpp" -B "$tmp/yaml-build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
    -DYAML_BUILD_SHARED_LIBS=OFF -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
    -DCMAKE_INSTALL_PREFIX="$sysroot" >/dev/null
  cmake --build "$tmp/yaml-build" -j "$(nproc)" >/dev/null
  cmake --install "$tmp/yaml-build" >/dev/null
  # The header-only libraries: their Debian headers, by link.
  ln -s /usr/include/boost "$sysroot/include/boost"
  ln -s /usr/include/nlohmann "$sysroot/include/nlohmann"
  # Boost.ProgramOptions from Debian's orig tarball.
  tar -xJf "$tmp"/boost1.74_*.orig.tar.xz -C "$tmp" --wildcards '*/libs/program_options/src/*.cpp'
  objects=()
  for src in "$tmp"/boost*/libs/program_options/src/*.cpp; do
    obj=$tmp/po-$(basename "$src" .cpp).o
    x86_64-w64-mingw32-g++-posix -std=c++17 -O2 -DNDEBUG -DBOOST_ALL_NO_LIB -isystem "$sysroot/include" -c "$src" -o "$obj"
    objects+=("$obj")
  done
  x86_64-w64-mingw32-ar rcs "$sysroot/lib/libboost_program_options.a" "${objects[@]}"
  # CMake configs for the two, as find_package reads them.
  mkdir -p "$sysroot/lib/cmake/Boost-1.74.0" "$sysroot/lib/cmake/nlohmann_json"
  cat > "$sysroot/lib/cmake/Boost-1.74.0/BoostConfig.cmake" <<CONFIG
# Boost.ProgramOptions built for Windows by scripts/cross-windows.sh ($boost).
set(Boost_VERSION 1.74.0)
set(Boost_INCLUDE_DIRS "$sysroot/include")
set(Boost_program_options_FOUND TRUE)
if(NOT TARGET Boost::program_options)
  add_library(Boost::program_options STATIC IMPORTED)
  set_target_properties(Boost::program_options PROPERTIES IMPORTED_LOCATION "$sysroot/lib/libboost_program_options.a"
    INTERFACE_INCLUDE_DIRECTORIES "$sysroot/include" INTERFACE_COMPILE_DEFINITIONS BOOST_ALL_NO_LIB)
endif()
CONFIG
  printf 'set(PACKAGE_VERSION 1.74.0)\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\nif(PACKAGE_FIND_VERSION VERSION_EQUAL 1.74.0)\n  set(PACKAGE_VERSION_EXACT TRUE)\nendif()\n' \
    > "$sysroot/lib/cmake/Boost-1.74.0/BoostConfigVersion.cmake"
  cat > "$sysroot/lib/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" <<CONFIG
# Debian's nlohmann-json3-dev $json headers, linked into the Windows folder by scripts/cross-windows.sh.
if(NOT TARGET nlohmann_json::nlohmann_json)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "$sysroot/include")
endif()
CONFIG
  printf 'set(PACKAGE_VERSION %s)\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n' "${json%%-*}" \
    > "$sysroot/lib/cmake/nlohmann_json/nlohmann_jsonConfigVersion.cmake"
  touch "$sysroot/.complete"
fi
export ROLLOUT_PACE_WINDOWS_SYSROOT=$sysroot
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DROLLOUT_PACE_STATIC=ON -DBoost_DIR="$sysroot/lib/cmake/Boost-1.74.0" \
  -Dnlohmann_json_DIR="$sysroot/lib/cmake/nlohmann_json" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
exe=$build/rollout-pace.exe
file -b "$exe" | grep -q "PE32+ executable (console) x86-64" ||
  { echo "cross-windows.sh: $exe is not a windows-amd64 console program: $(file -b "$exe")" >&2; exit 1; }
if x86_64-w64-mingw32-objdump -p "$exe" | grep -i "DLL Name" | grep -viq "KERNEL32.dll\|msvcrt.dll\|api-ms-win\|ADVAPI32\|USER32\|WS2_32\|SHELL32"; then
  echo "cross-windows.sh: $exe needs a DLL Windows does not have:" >&2
  x86_64-w64-mingw32-objdump -p "$exe" | grep "DLL Name" >&2
  exit 1
fi
echo "$exe"
