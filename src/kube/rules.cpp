#include "kube/rules.h"

#include "base/text.h"

#include <algorithm>

#include <limits>

namespace rollout_pace {
namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Digits to int64, saturating above int32 range so the caller can report "out of range".
std::int64_t digits_value(std::string_view s) {
  std::int64_t v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
    if (v > int32_max) return int32_max + 1;
  }
  return v;
}

}  // namespace

std::string int_or_percent::text() const { return std::to_string(value) + (percent ? "%" : ""); }

int_or_percent parse_int_or_percent(std::string_view text) {
  if (!text.empty() && text[0] == '-' &&
      (all_digits(text.substr(1)) ||
       (text.size() > 2 && text.back() == '%' && all_digits(text.substr(1, text.size() - 2)))))
    throw rule_error(quoted(text) + " must be greater than or equal to 0");
  bool percent = !text.empty() && text.back() == '%';
  std::string_view digits = percent ? text.substr(0, text.size() - 1) : text;
  if (!all_digits(digits)) {
    if (percent || text.find('%') != std::string_view::npos)
      throw rule_error(quoted(text) + ": a valid percent string must be a numeric string followed by an ending '%'");
    throw rule_error(quoted(text) + " must be a non-negative integer or a percentage such as \"25%\"");
  }
  std::int64_t v = digits_value(digits);
  if (v > int32_max) throw rule_error(quoted(text) + " is out of range for a 32-bit integer");
  return {static_cast<std::int32_t>(v), percent};
}

std::int32_t parse_seconds(std::string_view text) { return parse_count(text, "seconds"); }

std::int32_t parse_count(std::string_view text, std::string_view unit) {
  if (!text.empty() && text[0] == '-' && all_digits(text.substr(1)))
    throw rule_error(quoted(text) + " must be greater than or equal to 0");
  if (!all_digits(text)) throw rule_error(quoted(text) + " must be a whole number of " + std::string(unit));
  std::int64_t v = digits_value(text);
  if (v > int32_max) throw rule_error(quoted(text) + " is out of range for a 32-bit integer");
  return static_cast<std::int32_t>(v);
}

std::optional<rule_violation> validate_rolling_update_deployment(const int_or_percent& max_surge,
                                                                 const int_or_percent& max_unavailable) {
  // IsNotMoreThan100Percent applies to maxUnavailable only; maxSurge may exceed 100%.
  if (max_unavailable.percent && max_unavailable.value > 100)
    return rule_violation{"maxUnavailable", quoted(max_unavailable.text()) + " must not be greater than 100%"};
  if (max_surge.value == 0 && max_unavailable.value == 0)
    return rule_violation{"maxUnavailable", "may not be 0 when `maxSurge` is 0"};
  return std::nullopt;
}

std::optional<rule_violation> validate_rolling_update_daemonset(const int_or_percent& max_surge,
                                                                const int_or_percent& max_unavailable) {
  for (auto [v, name] : {std::pair{&max_surge, "maxSurge"}, std::pair{&max_unavailable, "maxUnavailable"}})
    if (v->percent && v->value > 100) return rule_violation{name, quoted(v->text()) + " must not be greater than 100%"};
  if (max_surge.value != 0 && max_unavailable.value != 0)
    return rule_violation{"maxSurge", "may not be set when maxUnavailable is non-zero"};
  if (max_surge.value == 0 && max_unavailable.value == 0)
    return rule_violation{"maxUnavailable", "cannot be 0 when maxSurge is 0"};
  return std::nullopt;
}

std::optional<rule_violation> validate_rolling_update_statefulset(const int_or_percent& max_unavailable) {
  if (max_unavailable.value == 0) return rule_violation{"maxUnavailable", "cannot be 0"};
  if (max_unavailable.percent && max_unavailable.value > 100)
    return rule_violation{"maxUnavailable", quoted(max_unavailable.text()) + " must not be greater than 100%"};
  return std::nullopt;
}

std::optional<rule_violation> validate_canary_rollout(const int_or_percent& max_surge,
                                                      const int_or_percent& max_unavailable) {
  return validate_rolling_update_deployment(max_surge, max_unavailable);
}

std::int64_t scaled_value(const int_or_percent& v, std::int64_t total, bool round_up) {
  if (!v.percent) return v.value;
  std::int64_t product = static_cast<std::int64_t>(v.value) * total;
  return round_up ? (product + 99) / 100 : product / 100;
}

fenceposts daemonset_fenceposts(const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                                std::int64_t nodes) {
  return {scaled_value(max_surge, nodes, true), scaled_value(max_unavailable, nodes, true), false};
}

std::int64_t statefulset_max_unavailable(const int_or_percent& max_unavailable, std::int64_t replicas) {
  return std::max<std::int64_t>(1, scaled_value(max_unavailable, replicas, false));
}

fenceposts resolve_fenceposts(const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                              std::int64_t replicas) {
  // Surge rounds up, unavailable rounds down.
  fenceposts f{scaled_value(max_surge, replicas, true), scaled_value(max_unavailable, replicas, false), false};
  if (f.surge == 0 && f.unavailable == 0) {
    f.unavailable = 1;  // "on the theory that surge might not work due to quota"
    f.forced_unavailable = true;
  }
  return f;
}

std::optional<std::int32_t> raised_progress_deadline(std::optional<std::int32_t> current,
                                                     std::int32_t min_ready_seconds) {
  std::int32_t effective = current.value_or(default_progress_deadline_seconds);
  if (effective > min_ready_seconds) return std::nullopt;
  std::int64_t raised = static_cast<std::int64_t>(min_ready_seconds) + default_progress_deadline_seconds;
  if (raised > int32_max)
    throw rule_error("minReadySeconds " + std::to_string(min_ready_seconds) +
                     " leaves no room for a progressDeadlineSeconds greater than it");
  return static_cast<std::int32_t>(raised);
}

std::optional<rule_violation> validate_strategy_type(bool scalar, std::string_view type, std::string_view shown,
                                                     std::string_view other_type) {
  if (scalar && (type == "RollingUpdate" || type == other_type || type.empty())) return std::nullopt;
  return rule_violation{"type", "Unsupported value: " + quoted(shown) + ": supported values: \"" +
                                    std::string(other_type) + "\", \"RollingUpdate\""};
}

std::string kube_version::text() const {
  return "1." + std::to_string(minor) + (patch >= 0 ? "." + std::to_string(patch) : "");
}

std::optional<kube_version> parse_kube_version(std::string_view text) {
  if (text.substr(0, 2) != "1.") return std::nullopt;
  text.remove_prefix(2);
  std::size_t dot = text.find('.');
  std::string_view minor = text.substr(0, dot), patch = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  auto number = [](std::string_view s) -> int {
    if (s.empty() || s.size() > 4 || !all_digits(s) || (s.size() > 1 && s[0] == '0')) return -1;
    return static_cast<int>(digits_value(s));
  };
  kube_version v{number(minor), dot == std::string_view::npos ? -1 : number(patch)};
  if (v.minor < 0 || (dot != std::string_view::npos && v.patch < 0)) return std::nullopt;
  return v;
}

bool max_unavailable_statefulset_enabled(const kube_version& v) {
  if (v.minor == 35) return v.patch >= 0 && v.patch <= 3;
  return v.minor >= 37;
}

}  // namespace rollout_pace
