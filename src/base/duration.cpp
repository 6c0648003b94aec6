#include "base/duration.h"

#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string>

namespace rollout_pace {

double parse_duration(std::string_view s) {
  // Go's time.ParseDuration: [-+]? then one or more of: a decimal number with a unit.
  auto bad = [&](const std::string& why) -> double {
    throw std::invalid_argument("\"" + std::string(s) + "\" is not a duration (" + why + "; e.g. 5m0s, 300s, 1h)");
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (s.substr(i) == "0") return 0;
  if (i == s.size()) return bad("empty");
  double total = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    if (i == start || (i == start + 1 && s[start] == '.')) return bad("a number is missing");
    double value = std::stod(std::string(s.substr(start, i - start)));
    std::size_t u = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string_view unit = s.substr(u, i - u);
    double scale = unit == "h"                                                    ? 3600
                   : unit == "m"                                                  ? 60
                   : unit == "s"                                                  ? 1
                   : unit == "ms"                                                 ? 1e-3
                   : (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") ? 1e-6
                   : unit == "ns"                                                 ? 1e-9
                                                                                  : -1;
    if (scale < 0) return bad(unit.empty() ? "a unit is missing" : "unknown unit \"" + std::string(unit) + "\"");
    total += value * scale;
  }
  if (negative) return bad("negative");
  return total;
}

std::string go_duration(double seconds) {
  auto whole = static_cast<std::int64_t>(std::ceil(seconds));
  std::int64_t h = whole / 3600, m = whole % 3600 / 60, s = whole % 60;
  if (h) return std::to_string(h) + "h" + std::to_string(m) + "m" + std::to_string(s) + "s";
  if (m) return std::to_string(m) + "m" + std::to_string(s) + "s";
  return std::to_string(s) + "s";
}

std::string human_duration(std::int64_t seconds) {
  std::int64_t h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
  std::string out;
  if (h) out += std::to_string(h) + " h";
  if (m) out += (out.empty() ? "" : " ") + std::to_string(m) + " min";
  if (s || out.empty()) out += (out.empty() ? "" : " ") + std::to_string(s) + " s";
  return out;
}

}  // namespace rollout_pace
