# Cross-compiling for linux-arm64 on Debian 12 (scripts/cross-arm64.sh sets it up): the aarch64 cross
# toolchain (g++-aarch64-linux-gnu), Boost.ProgramOptions for arm64 (libboost-program-options-dev:arm64,
# multiarch, beside the amd64 one), and Debian's libyaml-cpp-dev for arm64 unpacked into a folder of
# its own (ROLLOUT_PACE_ARM64_SYSROOT): that package cannot be installed beside the amd64 one.
# Programs built for arm64 run under qemu-aarch64-static (qemu-user-static).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
if(NOT DEFINED ENV{ROLLOUT_PACE_ARM64_SYSROOT})
  message(FATAL_ERROR "set ROLLOUT_PACE_ARM64_SYSROOT (scripts/cross-arm64.sh does)")
endif()
# Only arm64 libraries: the unpacked yaml-cpp, and the multiarch ones of the system.
set(CMAKE_FIND_ROOT_PATH $ENV{ROLLOUT_PACE_ARM64_SYSROOT} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
