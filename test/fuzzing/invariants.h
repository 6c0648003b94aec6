#pragma once
// What must hold for any input, checked by the fuzzer and by the replay test: no crash,
// all-or-nothing output, the document count kept, and a second run changing nothing.
#include <cstdint>
#include <string>
#include <string_view>

#include "commands/flux.h"
#include "commands/krm.h"
#include "commands/rewrite.h"
#include "yaml/lite.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace fuzzing {

/// Options from the first byte: which profile (or none, or Custom fields), strict, hooks.
inline rollout_pace::options options_from(std::uint8_t b) {
  using namespace rollout_pace;
  options o;
  switch (b % 5) {
    case 0: break;
    case 1: o.flags.profile = profile_name::blitz; break;
    case 2: o.flags.profile = profile_name::cautious; break;
    case 3: o.flags.profile = profile_name::paranoid; break;
    case 4: o.flags.overrides = {int_or_percent{2, false}, int_or_percent{10, true}, 700}; break;
  }
  o.strict = (b & 0x08) != 0;
  o.include_hooks = (b & 0x10) != 0;
  o.report = (b & 0x20) != 0;
  return o;
}

/// The core's last-resort message ("unexpected failure: ..." or "document N: unexpected failure:
/// ..."), told apart from input that merely quotes those words.
inline bool is_unexpected_failure(const std::string& text) {
  std::size_t at = 0;
  if (text.compare(0, 9, "document ") == 0) {
    at = 9;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == 9 || text.compare(at, 2, ": ") != 0) return false;
    at += 2;
  }
  return text.compare(at, 20, "unexpected failure: ") == 0;
}

/// Every diagnostic prints as exactly one line, and none is an "unexpected failure": every input
/// problem has a message of its own.
inline std::string one_line_each(const rollout_pace::result& r) {
  for (const auto& d : r.diagnostics) {
    if (rollout_pace::format(d).find('\n') != std::string::npos) return "a diagnostic of more than one line";
    if (is_unexpected_failure(d.text)) return "an unexpected failure: " + d.text;
  }
  return "";
}

using core_function = rollout_pace::result (*)(std::string_view, const rollout_pace::options&);

/// Returns "" when every invariant holds for this input through core (rewrite or flux_patch),
/// else what broke.
/// A ResourceList also runs as the KRM function: it never fails unexpectedly, its messages are one
/// line each, it always writes the list (with its results, or as it came when an error is among
/// them), and when both succeed its items are rewrite()'s.
inline std::string function_invariants(std::string_view in, const rollout_pace::options& o,
                                       const rollout_pace::result& rewritten) {
  using namespace rollout_pace;
  if (!is_resource_list(in)) return "";
  result f = krm_function(in, o);
  for (const diagnostic& d : f.diagnostics)
    if (d.text.find("unexpected failure") != std::string::npos) return "the function: " + d.text;
  if (auto broken = one_line_each(f); !broken.empty()) return "the function: " + broken;
  std::string out = f.output();
  if (out.empty()) return "the function wrote nothing";
  if (f.code == exit_code::ok && rewritten.code == exit_code::ok) {
    // The results go at the end, before a closing "..." line (or, for a list written in JSON,
    // before its closing brace): what comes before is rewrite()'s.
    std::string base = rewritten.output();
    std::size_t brace = base.find_last_not_of(" \t\r\n");
    if (brace != std::string::npos && base[brace] == '}' && base.find_first_not_of(" \t\r\n") != std::string::npos &&
        base[base.find_first_not_of(" \t\r\n")] == '{') {
      base.resize(brace);
    } else {
      if (!base.empty() && base.back() != '\n') base += '\n';
      std::size_t last = base.size() >= 2 ? base.rfind('\n', base.size() - 2) : std::string::npos;
      std::size_t start = last == std::string::npos ? 0 : last + 1;
      if (base.compare(start, 3, "...") == 0) base.resize(start);
    }
    if (out.compare(0, base.size(), base) != 0) return "the function's items are not rewrite()'s";
  }
  return "";
}

inline std::string check(const std::uint8_t* data, std::size_t size,
                         core_function core = static_cast<core_function>(rollout_pace::rewrite)) {
  using namespace rollout_pace;
  if (size == 0) return "";
  options o = options_from(data[0]);
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  result r = core(in, o);
  {
    // The fast reader changes nothing but the time: yaml-cpp alone gives the same result.
    options slow = o;
    slow.fast_reader = false;
    result s = core(in, slow);
    if (s.code != r.code || s.output() != r.output() || s.diagnostics.size() != r.diagnostics.size())
      return "read_lite and yaml-cpp alone give different results";
    for (std::size_t i = 0; i < s.diagnostics.size(); ++i)
      if (s.diagnostics[i].located() != r.diagnostics[i].located())
        return "read_lite and yaml-cpp alone say different things";
  }
  if (core == static_cast<core_function>(rollout_pace::rewrite))
    if (auto broken = function_invariants(in, o, r); !broken.empty()) return broken;
  if (r.code != exit_code::ok) {
    if (!r.output().empty()) return "an error with output";
    if (r.diagnostics.empty() || r.diagnostics.back().kind != diagnostic::level::error)
      return "an error without its message";
    return one_line_each(r);
  }
  if (auto broken = one_line_each(r); !broken.empty()) return broken;
  if (split_documents(r.output()).size() != split_documents(in).size()) return "the document count changed";
  std::string out = r.output();
  result again = core(out, o);
  if (again.code != exit_code::ok) return "the output fails a second run: " + again.diagnostics.back().text;
  if (again.output() != out) return "a second run changed the output";
  return "";
}

}  // namespace fuzzing

namespace fuzzing {

/// The same invariants through the flux subcommand's core.
inline std::string check_flux(const std::uint8_t* data, std::size_t size) {
  return check(data, size, static_cast<core_function>(rollout_pace::flux_patch));
}

}  // namespace fuzzing

namespace fuzzing {

/// "" when a and b are the same tree in every detail: node types, yaml-cpp's tags, scalar text,
/// sequence items and map pairs in order. Else where they first differ.
inline std::string same_tree(const YAML::Node& a, const rollout_pace::lite_node& b, const std::string& at) {
  std::string where = at.empty() ? "the root" : at;
  if (a.Type() != b.type) return where + ": yaml-cpp reads a node of another type";
  if (a.IsNull()) return "";
  std::string tag = b.type == YAML::NodeType::Scalar && !b.plain ? "!" : "?";
  if (a.Tag() != tag) return where + ": yaml-cpp's tag is " + a.Tag() + ", read_lite's " + tag;
  // Where scalars start and how collections are written: what the splice edits by.
  if (a.IsScalar() &&
      (static_cast<std::size_t>(a.Mark().pos) != b.pos || static_cast<std::size_t>(a.Mark().column) != b.column))
    return where + ": yaml-cpp marks it at " + std::to_string(a.Mark().pos) + " (column " +
           std::to_string(a.Mark().column) + "), read_lite at " + std::to_string(b.pos);
  if (!a.IsScalar() && (a.Style() == YAML::EmitterStyle::Flow) != b.flow)
    return where + ": yaml-cpp and read_lite disagree on flow style";
  if (a.IsScalar()) return a.Scalar() == b.text ? "" : where + ": yaml-cpp reads \"" + a.Scalar() + "\"";
  std::size_t n = a.IsMap() ? b.items.size() / 2 : b.items.size();
  if (a.size() != n) return where + ": yaml-cpp reads " + std::to_string(a.size()) + " entries";
  std::size_t i = 0;
  for (auto it = a.begin(); it != a.end(); ++it, ++i) {
    std::string broken;
    if (a.IsMap()) {
      broken = same_tree(it->first, b.items[2 * i], where + " key " + std::to_string(i));
      if (broken.empty()) broken = same_tree(it->second, b.items[2 * i + 1], where + " value " + std::to_string(i));
    } else {
      broken = same_tree(*it, b.items[i], where + " item " + std::to_string(i));
    }
    if (!broken.empty()) return broken;
  }
  return "";
}

/// The fast reader's invariant: it declines text, or reads it exactly as load_document() does.
inline std::string lite_agrees(std::string_view text) {
  std::optional<rollout_pace::lite_node> lite = rollout_pace::read_lite(text);
  if (!lite) return "";
  YAML::Node y;
  try {
    y.reset(rollout_pace::load_document(text));
  } catch (const std::exception& e) {
    return std::string("read_lite accepts what yaml-cpp refuses: ") + e.what();
  }
  std::string broken = same_tree(y, *lite, "");
  return broken.empty() ? "" : "read_lite and yaml-cpp differ at " + broken;
}

/// lite_agrees for fuzzer input (the first byte, the option byte of the other fuzzers, is skipped).
inline std::string check_lite(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return "";
  return lite_agrees(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
}

}  // namespace fuzzing
