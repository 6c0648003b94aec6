# Cross-compiling for windows-amd64 on Debian 12 (scripts/cross-windows.sh sets it up): Debian's
# mingw-w64 toolchain (g++-mingw-w64-x86-64-posix: the posix thread model, for std::thread), and a
# folder of its own (ROLLOUT_PACE_WINDOWS_SYSROOT) holding yaml-cpp and Boost.ProgramOptions built
# for Windows from Debian's source packages, the header-only libraries' headers linked in (never
# /usr/include itself: glibc's headers must not reach a Windows build), and their CMake configs.
# Programs built for Windows run under wine64.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
# yaml-cpp's own build runs with this file too, before the folder holds anything.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
if(DEFINED ENV{ROLLOUT_PACE_WINDOWS_SYSROOT})
  list(PREPEND CMAKE_FIND_ROOT_PATH $ENV{ROLLOUT_PACE_WINDOWS_SYSROOT})
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
