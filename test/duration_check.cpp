// duration_check: rollout-pace's port of Go's time.ParseDuration and Duration.String, with the
// protocol of test/conformance/goduration.go, for duration_test.sh to compare the two.
#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>

#include "base/duration.h"

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.rfind("parse ", 0) == 0) {
      try {
        std::int64_t ns = rollout_pace::parse_duration(line.substr(6));
        std::cout << "ok " << ns << "\n";
      } catch (const std::invalid_argument&) {
        std::cout << "error\n";
      }
    } else if (line.rfind("string ", 0) == 0) {
      std::cout << rollout_pace::go_duration(std::stoll(line.substr(7))) << "\n";
    }
  }
}
