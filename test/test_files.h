#pragma once
// Small helpers the test programs share.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test_files {

/// A file's bytes ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace test_files
