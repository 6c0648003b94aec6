#pragma once
// Choosing a pace: the layers that may name a profile or fields (annotations, flags, values, the
// environment matrix), the one choose() that decides from them for workloads, HelmReleases and
// explain alike, and where a missing field could still be set.
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kube/profile.h"

namespace rollout_pace {

/// Where a choice came from, most specific first.
enum class origin { annotation, flag, values, matrix };
std::string_view display_name(origin o);

/// What one layer (annotations, flags, values files, the environment matrix) says: a profile
/// and/or single fields that override it.
struct choice {
  std::optional<profile_name> profile;
  pace overrides;
  bool empty() const { return !profile && overrides.empty(); }
};

/// A profile name that names no profile, as set_choice_field() found it.
struct unknown_profile : std::invalid_argument {
  std::string name;  ///< as given
  explicit unknown_profile(std::string n);
};

/// Sets the field of c that name names, as the flags and the rollout-pace/* annotations name them
/// (profile, max-surge, max-unavailable, min-ready-seconds), from its text. Returns false, with c
/// as it was, for any other name. Throws unknown_profile ("\"Turbo\" is not a profile (Blitz, ...)")
/// and rule_error for a value the API server refuses.
bool set_choice_field(choice& c, std::string_view name, const std::string& value);

/// The layers in precedence order: annotation, flag, values, matrix.
using layers = std::array<choice, 4>;

/// A fully decided pace for one workload.
struct decision {
  profile_name profile;
  origin profile_from;
  int_or_percent max_surge;
  int_or_percent max_unavailable;
  std::int32_t min_ready_seconds;
  std::array<origin, 3> field_from;  ///< for maxSurge, maxUnavailable, minReadySeconds
};

/// The three fields of a pace, in the order of decision::field_from.
enum class pace_field { max_surge, max_unavailable, min_ready_seconds };
/// "maxSurge", "maxUnavailable", "minReadySeconds".
std::string_view display_name(pace_field f);

/// Where each level spells a field: the annotation ("rollout-pace/max-surge"), the flag
/// ("--max-surge") and the key under customStrategy in values ("maxSurge"; "readinessDelay").
struct pace_field_names {
  std::string_view annotation, flag, custom_key;
};
const pace_field_names& names_of(pace_field f);

/// Thrown by choose() when Custom lacks a value: which field, and which layers could still give it
/// (the layer that named the profile and the more specific ones; fields from less specific layers
/// do not count once a profile is named).
struct incomplete_profile : std::invalid_argument {
  pace_field missing;
  std::vector<origin> could_set;  ///< most specific first
  incomplete_profile(pace_field f, std::vector<origin> places)
      : std::invalid_argument("profile Custom needs " + std::string(display_name(f))),
        missing(f),
        could_set(std::move(places)) {}
};

/// Whether a decided field differs from its named profile's own value (never for Custom, which has
/// no values of its own): "Paranoid with minReadySeconds 120".
bool differs_from_profile(const decision& d, pace_field f);

/// The hint for an incomplete Custom profile: the places that can still give the missing field,
/// most specific first ("the annotation rollout-pace/max-surge, or --max-surge, or ..."); a values
/// place is written values_prefix + "customStrategy." + key + values_suffix.
std::string where_to_set(const incomplete_profile& e, std::string_view values_prefix, std::string_view values_suffix);

/// Decides the pace, most specific layer first: the most specific layer that names a profile sets
/// it; fields given by that layer or a more specific one override single values. Fields alone,
/// with no profile named anywhere, make a Custom profile. Nothing chosen anywhere → nullopt.
/// Throws incomplete_profile when Custom lacks a value.
std::optional<decision> choose(const layers& l);

/// Environment and change kind to profile: TEST → Blitz; ACC or PROD with a major change →
/// Paranoid; with a minor or patch change → Cautious. Throws std::invalid_argument on unknown
/// names or when ACC/PROD lack a change kind.
profile_name matrix_profile(std::string_view environment, std::string_view change);

}  // namespace rollout_pace
