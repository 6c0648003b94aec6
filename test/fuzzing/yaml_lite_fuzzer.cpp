// libFuzzer target: read_lite() declines its input or reads it exactly as yaml-cpp does (a
// differential fuzzer). See scripts/fuzz.sh.
#include <cstdio>
#include <cstdlib>

#include "invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string broken = fuzzing::check_lite(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
