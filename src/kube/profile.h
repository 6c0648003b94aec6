#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/rules.h"

namespace rollout_pace {

/// The rollout profiles of the design: Blitz (TEST), Cautious (PROD minor/patch), Paranoid
/// (PROD major) and Custom (every value given).
enum class profile_name { blitz, cautious, paranoid, custom };

/// Every profile, in the table's order.
const std::vector<profile_name>& all_profiles();
/// What a profile is meant for: "TEST, any change".
std::string_view meant_for(profile_name p);
/// "Blitz", "Cautious", "Paranoid", "Custom".
std::string_view display_name(profile_name p);
/// Matches a name case-insensitively; nullopt when it names no profile.
std::optional<profile_name> parse_profile_name(std::string_view text);
/// "Blitz, Cautious, Paranoid or Custom", for messages.
const std::string& profile_names_list();
/// "\"Paranid\" is not a profile (Blitz, Cautious, Paranoid, Custom); did you mean \"Paranoid\"?"
std::string not_a_profile(const std::string& name);

/// The three values that pace a rolling update; any may be unset.
struct pace {
  std::optional<int_or_percent> max_surge;
  std::optional<int_or_percent> max_unavailable;
  std::optional<std::int32_t> min_ready_seconds;
  bool empty() const { return !max_surge && !max_unavailable && !min_ready_seconds; }
};

/// The profile table; Custom has no values of its own.
pace profile_values(profile_name p);

}  // namespace rollout_pace
