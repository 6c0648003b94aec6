#include "yaml/scalars.h"

#include <cmath>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "yaml/tree.h"

namespace rollout_pace {

namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}
int is_octal(int c) { return c >= '0' && c <= '7'; }
int is_binary(int c) { return c == '0' || c == '1'; }

// yamlStyleFloat in go-yaml's resolve.go: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

// Whether go-yaml v2's resolve() keeps a plain scalar a string.
bool plain_is_string(const std::string& in) {
  static const std::set<std::string> not_strings{
      "y",    "Y",    "yes",  "Yes",   "YES",   "true",  "True", "TRUE",  "on",    "On",    "ON",    "n",     "N",
      "no",   "No",   "NO",   "false", "False", "FALSE", "off",  "Off",   "OFF",   "",      "~",     "null",  "Null",
      "NULL", ".nan", ".NaN", ".NAN",  ".inf",  ".Inf",  ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  if (not_strings.count(in)) return false;
  char c = in[0];
  if (c == '.') return !yaml_style_float(in);
  if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '-') return true;
  std::string plain;
  for (char ch : in)
    if (ch != '_') plain += ch;
  std::string_view p = plain;
  if (!p.empty() && (p[0] == '+' || p[0] == '-')) p.remove_prefix(1);
  if (all_of(p, [](int ch) { return std::isdigit(ch); })) return false;  // decimal or octal int, or "08" as a float
  if (p.size() > 2 && p[0] == '0') {
    std::string_view rest = p.substr(2);
    if ((p[1] == 'x' || p[1] == 'X') && all_of(rest, [](int ch) { return std::isxdigit(ch); })) return false;
    if ((p[1] == 'o' || p[1] == 'O') && all_of(rest, is_octal)) return false;
    if ((p[1] == 'b' || p[1] == 'B') && all_of(rest, is_binary)) return false;
  }
  return !yaml_style_float(plain);
}

namespace {

// What go-yaml v2 resolves a plain scalar's text to as an integer (decimal, 0x, 0o, 0b or leading-0
// octal, with "_" and a sign, or a float with an integral value), or as a boolean; nullopt else.
std::optional<std::int64_t> int_text(const std::string& text) {
  if (plain_is_string(text)) return std::nullopt;
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  std::string_view p = plain;
  bool negative = false;
  if (!p.empty() && (p[0] == '+' || p[0] == '-')) negative = p[0] == '-', p.remove_prefix(1);
  int base = 10;
  if (p.size() > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    base = 16, p.remove_prefix(2);
  else if (p.size() > 2 && p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
    base = 8, p.remove_prefix(2);
  else if (p.size() > 2 && p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
    base = 2, p.remove_prefix(2);
  else if (p.size() > 1 && p[0] == '0')
    base = 8;
  auto digit = [&](char c) -> int {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    return d < base ? d : -1;
  };
  bool integer = !p.empty();
  unsigned long long v = 0;
  for (char c : p) {
    int d = digit(c);
    if (d < 0 || v > (std::uint64_t{1} << 62) / 8) {
      integer = false;
      break;
    }
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  if (integer) return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  // A float with an integral value: go-yaml reads 1e3 as 1000.0, and JSON carries it as 1000.
  if (!yaml_style_float(plain)) return std::nullopt;
  double d = std::strtod(plain.c_str(), nullptr);
  if (d != std::floor(d) || std::fabs(d) > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<bool> bool_word(const std::string& text) {
  static const std::set<std::string> truths{"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"};
  static const std::set<std::string> falses{"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"};
  if (truths.count(text)) return true;
  if (falses.count(text)) return false;
  return std::nullopt;
}

// A scalar as go-yaml v2 resolves it, reduced to what two readings must agree on: its type and value.
struct resolved {
  enum class type { string, null, boolean, number } kind = type::string;
  std::string text;    // strings
  bool truth = false;  // booleans
  long double number = 0;
};

resolved resolve(const YAML::Node& n) {
  resolved r;
  r.text = n.Scalar();
  if (is_string_for_kubernetes(n)) return r;
  if (std::optional<bool> b = bool_word(r.text)) {
    r.kind = resolved::type::boolean;
    r.truth = *b;
    return r;
  }
  static const std::set<std::string> nulls{"", "~", "null", "Null", "NULL"};
  if (nulls.count(r.text)) {
    r.kind = resolved::type::null;
    return r;
  }
  r.kind = resolved::type::number;
  if (std::optional<std::int64_t> v = int_text(r.text)) {
    r.number = static_cast<long double>(*v);
    return r;
  }
  std::string lower = r.text, digits;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : r.text)
    if (c != '_') digits += c;
  if (lower.find("nan") != std::string::npos)
    r.text = "nan";  // NaN equals no number: compare the spelling
  else
    r.number = std::strtold(digits.c_str(), nullptr);
  return r;
}

// json_of() into out; depth bounds what an alias loop could do.
void append_json(std::string& out, const YAML::Node& n, int depth) {
  if (depth > 200) throw yaml_error("values nested deeper than 200 levels", n.Mark());
  if (n.IsSequence()) {
    out += '[';
    bool first = true;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!first) out += ',';
      first = false;
      append_json(out, *it, depth + 1);
    }
    out += ']';
    return;
  }
  if (n.IsMap()) {
    // Own keys first; then what merge keys bring that the map does not hold itself.
    std::vector<std::pair<std::string, YAML::Node>> entries;
    std::vector<YAML::Node> merged;
    auto has = [&](const std::string& k) {
      return std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == k; });
    };
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (is_merge_key(it->first)) {
        merged.push_back(it->second);
        continue;
      }
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (!has(key)) entries.emplace_back(key, it->second);
    }
    for (const YAML::Node& m : merged) {
      std::vector<YAML::Node> maps;
      if (m.IsMap()) maps.push_back(m);
      if (m.IsSequence())
        for (auto it = m.begin(); it != m.end(); ++it) maps.push_back(*it);
      for (const YAML::Node& map : maps) {
        if (!map.IsMap()) throw yaml_error("a merge key (<<) must name a map or a list of maps", map.Mark());
        for (auto it = map.begin(); it != map.end(); ++it)
          if (std::string key = it->first.IsScalar() ? it->first.Scalar() : ""; !has(key))
            entries.emplace_back(key, it->second);
      }
    }
    out += '{';
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, entries[i].first);
      out += ':';
      append_json(out, entries[i].second, depth + 1);
    }
    out += '}';
    return;
  }
  if (!n.IsScalar()) {
    out += "null";
    return;
  }
  resolved r = resolve(n);
  switch (r.kind) {
    case resolved::type::string: append_json_string(out, r.text); return;
    case resolved::type::null: out += "null"; return;
    case resolved::type::boolean: out += r.truth ? "true" : "false"; return;
    case resolved::type::number: break;
  }
  if (std::optional<std::int64_t> v = int_text(n.Scalar())) {
    out += std::to_string(*v);
    return;
  }
  std::string lower = n.Scalar();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (r.text == "nan" || std::isinf(r.number) || lower.find("inf") != std::string::npos)
    throw yaml_error("\"" + n.Scalar() + "\" is not a number JSON can carry", n.Mark());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(r.number));
  out += buf;
}

}  // namespace

std::string plain_or_quoted(const std::string& s) {
  bool plain =
      !s.empty() && plain_is_string(s) && s.front() != '-' && s.front() != '.' &&
      s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == std::string::npos;
  return plain ? s : json_string(s);
}

std::string json_of(const YAML::Node& n) {
  std::string out;
  append_json(out, n, 0);
  return out;
}

bool same_scalar(const YAML::Node& a, const YAML::Node& b) {
  resolved x = resolve(a), y = resolve(b);
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case resolved::type::string: return x.text == y.text;
    case resolved::type::null: return true;
    case resolved::type::boolean: return x.truth == y.truth;
    case resolved::type::number: return x.text != "nan" && y.text != "nan" && x.number == y.number;
  }
  return false;
}

bool is_string_for_kubernetes(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar()) return false;
  const std::string& tag = n.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return true;
  if (tag == "?" || tag.empty()) return plain_is_string(n.Scalar());
  static const std::string core = "tag:yaml.org,2002:";
  return tag.compare(0, core.size(), core) != 0;  // !!int "1" is an int; a custom tag keeps the text
}

bool is_string_for_kubernetes(const node_view& n) {
  if (const YAML::Node* y = n.yaml()) return is_string_for_kubernetes(*y);
  return n.is_scalar() && (n.tag() == "!" || plain_is_string(n.text()));
}

std::optional<std::int64_t> yaml_int(const node_view& n) {
  if (!n.is_scalar() || !is_plain(n)) return std::nullopt;
  return int_text(n.text());
}

std::optional<bool> yaml_bool(const node_view& n) {
  if (!n.is_scalar() || !is_plain(n)) return std::nullopt;
  return bool_word(n.text());
}

}  // namespace rollout_pace
