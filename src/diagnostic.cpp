#include "rollout_pace/diagnostic.h"

#include <cstdio>

namespace rollout_pace {

std::string format(const diagnostic& d) {
  const char* level = "error";
  switch (d.kind) {
    case diagnostic::level::error: level = "error"; break;
    case diagnostic::level::warning: level = "warning"; break;
    case diagnostic::level::note: level = "note"; break;
    case diagnostic::level::report: level = "report"; break;
  }
  std::string line = std::string("rollout-pace: ") + level + ": ";
  const std::string& t = d.text;
  auto hex = [&](unsigned char u) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", u);
    line += buf;
  };
  for (std::size_t i = 0; i < t.size();) {
    char c = t[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') line += "\\n";
    else if (c == '\r') line += "\\r";
    else if (c == '\t') line += "\\t";
    else if (u < 0x20 || u == 0x7F) hex(u);
    else if (u < 0x80) line += c;
    else {
      // Whatever the source (a stream, a values file, a file name), the line stays valid UTF-8:
      // a byte that does not start a valid character, or a C1 control, is escaped.
      std::size_t n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC2 ? 2 : 0;
      bool valid = n > 0 && u <= 0xF4 && i + n <= t.size();
      for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(t[i + k]) & 0xC0) == 0x80;
      if (valid && n == 3) {
        auto b1 = static_cast<unsigned char>(t[i + 1]);
        valid = !(u == 0xE0 && b1 < 0xA0) && !(u == 0xED && b1 >= 0xA0);
      }
      if (valid && n == 4) {
        auto b1 = static_cast<unsigned char>(t[i + 1]);
        valid = !(u == 0xF0 && b1 < 0x90) && !(u == 0xF4 && b1 >= 0x90);
      }
      if (valid && n == 2 && u == 0xC2 && static_cast<unsigned char>(t[i + 1]) < 0xA0) valid = false;  // C1
      if (!valid) {
        hex(u);
        ++i;
        continue;
      }
      line.append(t, i, n);
      i += n;
      continue;
    }
    ++i;
  }
  constexpr std::size_t max_line = 4096;
  if (line.size() > max_line) {
    line.resize(max_line);
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) line.pop_back();  // whole characters
    if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xC0) line.pop_back();
    line += "...";
  }
  return line;
}

}  // namespace rollout_pace
