#include "base/duration.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace rollout_pace {

namespace {

constexpr std::uint64_t limit = std::uint64_t{1} << 63;

// leadingInt: the leading [0-9]* of s; false on overflow.
bool leading_int(std::string_view& s, std::uint64_t& x) {
  x = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > limit / 10) return false;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > limit) return false;
  }
  s.remove_prefix(i);
  return true;
}

// leadingFraction: the leading [0-9]* of s after a '.', stopping its precision on overflow.
void leading_fraction(std::string_view& s, std::uint64_t& x, double& scale) {
  x = 0;
  scale = 1;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (overflow) continue;
    if (x > (limit - 1) / 10) {
      overflow = true;
      continue;
    }
    std::uint64_t y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > limit) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

std::uint64_t unit_of(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1000;
  if (u == "ms") return std::uint64_t{1000} * 1000;
  if (u == "s") return std::uint64_t{1000} * 1000 * 1000;
  if (u == "m") return std::uint64_t{60} * 1000 * 1000 * 1000;
  if (u == "h") return std::uint64_t{3600} * 1000 * 1000 * 1000;
  return 0;
}

// fmtFrac: the fraction of v/10^prec without trailing zeros (and no '.' when it is 0), put before
// the text already in out (which is built from the end).
std::uint64_t frac(std::string& out, std::uint64_t v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    std::uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) out.insert(out.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  if (print) out.insert(out.begin(), '.');
  return v;
}

}  // namespace

std::int64_t parse_duration(std::string_view s) {
  const std::string orig(s);
  auto invalid = [&]() -> std::int64_t {
    throw std::invalid_argument("\"" + orig + "\" is not a duration (e.g. 5m0s, 300s, 1h)");
  };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  std::uint64_t d = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    std::size_t before = s.size();
    std::uint64_t v = 0, f = 0;
    double scale = 1;
    if (!leading_int(s, v)) return invalid();
    bool pre = before != s.size(), post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      std::size_t at = s.size();
      leading_fraction(s, f, scale);
      post = at != s.size();
    }
    if (!pre && !post) return invalid();
    std::size_t i = 0;
    while (i < s.size() && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9')) ++i;
    if (i == 0)
      throw std::invalid_argument("\"" + orig + "\" is not a duration (a unit is missing; e.g. 5m0s, 300s, 1h)");
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    std::uint64_t unit = unit_of(u);
    if (unit == 0)
      throw std::invalid_argument("\"" + orig + "\" is not a duration (unknown unit \"" + std::string(u) +
                                  "\"; e.g. 5m0s, 300s, 1h)");
    if (v > limit / unit) return invalid();
    v *= unit;
    if (f > 0) {
      // float64, as Go: nanosecond accurate for fractions of hours.
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > limit) return invalid();
    }
    d += v;
    if (d > limit) return invalid();
  }
  if (neg) return d == limit ? INT64_MIN : -static_cast<std::int64_t>(d);
  if (d > limit - 1) return invalid();
  return static_cast<std::int64_t>(d);
}

std::string go_duration(std::int64_t ns) {
  bool neg = ns < 0;
  std::uint64_t u = neg ? std::uint64_t{0} - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out;
  if (u < 1000000000) {
    // Below a second: the largest unit that keeps a whole part, like 1.2ms.
    if (u == 0) return "0s";
    int prec;
    if (u < 1000)
      prec = 0, out = "ns";
    else if (u < 1000000)
      prec = 3, out = "\xC2\xB5s";
    else
      prec = 6, out = "ms";
    u = frac(out, u, prec);
    out.insert(0, std::to_string(u));
  } else {
    out = "s";
    u = frac(out, u, 9);
    out.insert(0, std::to_string(u % 60));
    u /= 60;
    if (u > 0) {
      out.insert(0, std::to_string(u % 60) + "m");
      u /= 60;
      if (u > 0) out.insert(0, std::to_string(u) + "h");
    }
  }
  return neg ? "-" + out : out;
}

std::string go_duration_seconds(std::int64_t seconds) {
  if (seconds == 0) return "0s";
  bool neg = seconds < 0;
  std::uint64_t u = neg ? std::uint64_t{0} - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  std::string out = std::to_string(u % 60) + "s";
  u /= 60;
  if (u > 0) {
    out = std::to_string(u % 60) + "m" + out;
    u /= 60;
    if (u > 0) out = std::to_string(u) + "h" + out;
  }
  return neg ? "-" + out : out;
}

std::string decimal_seconds(std::int64_t ns) {
  bool neg = ns < 0;
  std::uint64_t u = neg ? std::uint64_t{0} - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string fraction;
  frac(fraction, u % 1000000000, 9);
  return (neg ? "-" : "") + std::to_string(u / 1000000000) + fraction;
}

std::int64_t floor_seconds(std::int64_t ns) {
  std::int64_t s = ns / 1000000000;
  return ns % 1000000000 < 0 ? s - 1 : s;
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
