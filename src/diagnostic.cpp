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
  for (char c : d.text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') line += "\\n";
    else if (c == '\r') line += "\\r";
    else if (c == '\t') line += "\\t";
    else if (u < 0x20 || u == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      line += hex;
    } else {
      line += c;
    }
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
