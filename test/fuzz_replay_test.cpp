#define BOOST_TEST_MODULE fuzz_replay
// Replays every input the fuzzers ever broke (test/fuzzing/crashes/, checked in) and every golden
// input under each option byte through the fuzzers' invariants, for rewrite and for flux.
#include <boost/test/unit_test.hpp>

#include "test_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzzing/invariants.h"

namespace fs = std::filesystem;
using test_files::slurp;

BOOST_AUTO_TEST_CASE(checked_in_crashes_hold_the_invariants) {
  fs::path dir = fs::path(ROLLOUT_PACE_SOURCE_DIR) / "test" / "fuzzing" / "crashes";
  BOOST_TEST_REQUIRE(fs::is_directory(dir));
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() == "README.md") continue;
    std::string data = slurp(e.path());
    auto bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    BOOST_TEST(fuzzing::check(bytes, data.size()) == "", e.path().filename());
    BOOST_TEST(fuzzing::check_flux(bytes, data.size()) == "", e.path().filename() << " through flux");
    BOOST_TEST(fuzzing::check_lite(bytes, data.size()) == "", e.path().filename() << " through read_lite");
  }
}

BOOST_AUTO_TEST_CASE(golden_inputs_hold_the_invariants_with_every_option_byte) {
  std::size_t inputs = 0;
  for (const auto& e : fs::directory_iterator(fs::path(ROLLOUT_PACE_SOURCE_DIR) / "test" / "golden")) {
    fs::path input = e.path() / "input.yaml";
    if (!fs::exists(input)) continue;
    ++inputs;
    std::string data = " " + slurp(input);
    for (int b = 0; b < 64; ++b) {
      data[0] = static_cast<char>(b);
      auto bytes = reinterpret_cast<const std::uint8_t*>(data.data());
      BOOST_TEST(fuzzing::check(bytes, data.size()) == "", input << " with option byte " << b);
      BOOST_TEST(fuzzing::check_flux(bytes, data.size()) == "", input << " through flux with option byte " << b);
    }
  }
  BOOST_TEST(inputs > 50u);
}
