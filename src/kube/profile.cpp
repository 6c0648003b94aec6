#include "kube/profile.h"

#include "base/text.h"

#include <algorithm>
#include <cctype>

namespace rollout_pace {
std::string_view display_name(profile_name p) {
  switch (p) {
    case profile_name::blitz: return "Blitz";
    case profile_name::cautious: return "Cautious";
    case profile_name::paranoid: return "Paranoid";
    case profile_name::custom: return "Custom";
  }
  return "Custom";
}

std::optional<profile_name> parse_profile_name(std::string_view text) {
  for (profile_name p : {profile_name::blitz, profile_name::cautious, profile_name::paranoid, profile_name::custom})
    if (lower(text) == lower(display_name(p))) return p;
  return std::nullopt;
}

std::string_view profile_names_list() { return "Blitz, Cautious, Paranoid or Custom"; }

pace profile_values(profile_name p) {
  switch (p) {
    case profile_name::blitz: return {int_or_percent{100, true}, int_or_percent{50, true}, 0};
    case profile_name::cautious: return {int_or_percent{25, true}, int_or_percent{0, false}, 30};
    case profile_name::paranoid: return {int_or_percent{1, false}, int_or_percent{0, false}, 300};
    case profile_name::custom: return {};
  }
  return {};
}

}  // namespace rollout_pace
