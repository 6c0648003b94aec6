#pragma once
// Text helpers every layer may use: UTF-8, JSON strings, quoting for messages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// Length of the valid UTF-8 sequence at s[i] (lead byte >= 0x80), or 0 when it is not one: an
/// overlong form, a surrogate, a value above U+10FFFF, or a sequence cut short.
std::size_t utf8_length(std::string_view s, std::size_t i);

/// Appends text as a JSON string, quotes included: '"', '\\' and the control characters escaped
/// (\n, \r, \t by name, the others and DEL as \u00XX); other bytes as they are.
void append_json_string(std::string& out, std::string_view text);
/// The same, returned.
std::string json_string(std::string_view text);

/// ASCII lower case, for names that match in any case.
std::string lower(std::string_view text);

/// "\"text\"", for messages.
std::string quoted(std::string_view text);

/// "; did you mean \"Paranoid\"?" when one of the names is close to what was given (Damerau-
/// Levenshtein distance in any case at most 1 for up to 4 letters, 2 up to 8, else 3), the closest
/// first on a tie by the names' order; "" when none is, or when given is one of them.
std::string did_you_mean(std::string_view given, const std::vector<std::string>& names);

/// "1 pod", "2 pods": a count and its noun, singular for one.
std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural);

}  // namespace rollout_pace
