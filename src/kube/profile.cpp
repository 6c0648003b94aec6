#include "kube/profile.h"

#include "base/text.h"

#include <algorithm>
#include <cctype>

namespace rollout_pace {

const std::vector<profile_name>& all_profiles() {
  static const std::vector<profile_name> all{profile_name::blitz, profile_name::cautious, profile_name::paranoid,
                                             profile_name::custom};
  return all;
}

std::string_view meant_for(profile_name p) {
  switch (p) {
    case profile_name::blitz: return "TEST, any change";
    case profile_name::cautious: return "PROD, minor or patch change";
    case profile_name::paranoid: return "PROD, major change";
    case profile_name::custom: return "anything";
  }
  return "anything";
}

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
  for (profile_name p : all_profiles())
    if (lower(text) == lower(display_name(p))) return p;
  return std::nullopt;
}

const std::string& profile_names_list() {
  static const std::string list = [] {
    std::string out;
    const std::vector<profile_name>& all = all_profiles();
    for (std::size_t i = 0; i < all.size(); ++i)
      out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(display_name(all[i]));
    return out;
  }();
  return list;
}

pace profile_values(profile_name p) {
  switch (p) {
    case profile_name::blitz: return {int_or_percent{100, true}, int_or_percent{50, true}, 0};
    case profile_name::cautious: return {int_or_percent{25, true}, int_or_percent{0, false}, 30};
    case profile_name::paranoid: return {int_or_percent{1, false}, int_or_percent{0, false}, 300};
    case profile_name::custom: return {};
  }
  return {};
}

std::string not_a_profile(const std::string& name) {
  std::vector<std::string> names;
  for (profile_name p : all_profiles()) names.emplace_back(display_name(p));
  return quoted(name) + " is not a profile (" + profile_names_list() + ")" + did_you_mean(name, names);
}

}  // namespace rollout_pace
