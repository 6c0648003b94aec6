#include "base/diagnostic.h"

#include "base/text.h"

#include <cstdio>

namespace rollout_pace {

std::string resource_ref::where() const {
  std::string out = "document " + std::to_string(document) + " (" + kind;
  if (!name.empty()) out += " " + (ns.empty() ? "" : ns + "/") + name;
  if (!at.empty()) out += " at " + at;
  if (!source.empty()) out += ", from " + source;
  return out + ")";
}

std::string format(const diagnostic& d) {
  const char* level = "error";
  switch (d.kind) {
    case diagnostic::level::error: level = "error"; break;
    case diagnostic::level::warning: level = "warning"; break;
    case diagnostic::level::note: level = "note"; break;
    case diagnostic::level::report: level = "report"; break;
  }
  std::string line = std::string("rollout-pace: ") + level + ": ";
  const std::string t = d.id == warning_id::none ? d.located() : "[" + std::string(name_of(d.id)) + "] " + d.located();
  auto hex = [&](unsigned char u) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", u);
    line += buf;
  };
  for (std::size_t i = 0; i < t.size();) {
    char c = t[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '\n')
      line += "\\n";
    else if (c == '\r')
      line += "\\r";
    else if (c == '\t')
      line += "\\t";
    else if (u < 0x20 || u == 0x7F)
      hex(u);
    else if (u < 0x80)
      line += c;
    else {
      // Whatever the source (a stream, a values file, a file name), the line stays valid UTF-8:
      // a byte that does not start a valid character, or a C1 control, is escaped.
      std::size_t n = utf8_length(t, i);
      bool valid = n > 0 && !(n == 2 && u == 0xC2 && static_cast<unsigned char>(t[i + 1]) < 0xA0);  // C1
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
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80)
      line.pop_back();  // whole characters
    if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xC0) line.pop_back();
    line += "...";
  }
  return line;
}

}  // namespace rollout_pace
