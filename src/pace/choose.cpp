#include "pace/choose.h"

#include "base/text.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace rollout_pace {
std::string_view display_name(origin o) {
  switch (o) {
    case origin::annotation: return "annotation";
    case origin::flag: return "flag";
    case origin::values: return "values";
    case origin::matrix: return "matrix";
  }
  return "flag";
}

std::string_view display_name(pace_field f) {
  switch (f) {
    case pace_field::max_surge: return "maxSurge";
    case pace_field::max_unavailable: return "maxUnavailable";
    case pace_field::min_ready_seconds: return "minReadySeconds";
  }
  return "maxSurge";
}

const pace_field_names& names_of(pace_field f) {
  static const pace_field_names names[] = {
      {"rollout-pace/max-surge", "--max-surge", "maxSurge"},
      {"rollout-pace/max-unavailable", "--max-unavailable", "maxUnavailable"},
      {"rollout-pace/min-ready-seconds", "--min-ready-seconds", "readinessDelay"},
  };
  return names[static_cast<std::size_t>(f)];
}

bool differs_from_profile(const decision& d, pace_field f) {
  pace table = profile_values(d.profile);
  switch (f) {
    case pace_field::max_surge: return table.max_surge && !(*table.max_surge == d.max_surge);
    case pace_field::max_unavailable: return table.max_unavailable && !(*table.max_unavailable == d.max_unavailable);
    case pace_field::min_ready_seconds:
      return table.min_ready_seconds && *table.min_ready_seconds != d.min_ready_seconds;
  }
  return false;
}

std::string where_to_set(const incomplete_profile& e, std::string_view values_prefix, std::string_view values_suffix) {
  const pace_field_names& n = names_of(e.missing);
  std::string out;
  for (origin o : e.could_set) {
    std::string place = o == origin::annotation ? "the annotation " + std::string(n.annotation)
                        : o == origin::flag     ? std::string(n.flag)
                                                : std::string(values_prefix) + "customStrategy." +
                                                  std::string(n.custom_key) + std::string(values_suffix);
    out += (out.empty() ? "" : ", or ") + place;
  }
  return out;
}

std::optional<decision> choose(const layers& l) {
  static constexpr std::array<origin, 4> order{origin::annotation, origin::flag, origin::values, origin::matrix};
  std::size_t base = l.size();
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l[i].profile) {
      base = i;
      break;
    }
  profile_name profile = profile_name::custom;
  std::size_t last_layer = l.size() - 1;  // fields are taken from layers [0, last_layer]
  if (base < l.size()) {
    profile = *l[base].profile;
    last_layer = base;
  } else {
    base = l.size();
    for (std::size_t i = 0; i < l.size(); ++i)
      if (!l[i].overrides.empty()) {
        base = i;
        break;
      }
    if (base == l.size()) return std::nullopt;
  }
  pace table = profile_values(profile);
  decision d{profile, order[base], {}, {}, 0, {order[base], order[base], order[base]}};
  auto pick = [&](auto member, auto& out, origin& from, pace_field f) {
    for (std::size_t i = 0; i <= last_layer; ++i)
      if (l[i].overrides.*member) {
        out = *(l[i].overrides.*member);
        from = order[i];
        return;
      }
    if (!(table.*member)) {
      // The matrix never gives fields, and values files give them only with deploymentStrategy Custom.
      std::vector<origin> places;
      for (std::size_t i = 0; i <= last_layer; ++i)
        if (order[i] != origin::matrix && (order[i] != origin::values || d.profile_from == origin::values))
          places.push_back(order[i]);
      throw incomplete_profile(f, places);
    }
    out = *(table.*member);
  };
  pick(&pace::max_surge, d.max_surge, d.field_from[0], pace_field::max_surge);
  pick(&pace::max_unavailable, d.max_unavailable, d.field_from[1], pace_field::max_unavailable);
  pick(&pace::min_ready_seconds, d.min_ready_seconds, d.field_from[2], pace_field::min_ready_seconds);
  return d;
}

profile_name matrix_profile(std::string_view environment, std::string_view change) {
  std::string env = lower(environment), chg = lower(change);
  if (!chg.empty() && chg != "major" && chg != "minor" && chg != "patch")
    throw std::invalid_argument("--change: \"" + std::string(change) + "\" is not major, minor or patch");
  if (env == "test") return profile_name::blitz;
  if (env != "acc" && env != "prod")
    throw std::invalid_argument("--environment: \"" + std::string(environment) + "\" is not TEST, ACC or PROD");
  if (chg.empty())
    throw std::invalid_argument("--environment " + std::string(environment) +
                                " needs --change major|minor|patch to choose between Paranoid and Cautious");
  return chg == "major" ? profile_name::paranoid : profile_name::cautious;
}

unknown_profile::unknown_profile(std::string n) : std::invalid_argument(not_a_profile(n)), name(std::move(n)) {}

bool set_choice_field(choice& c, std::string_view name, const std::string& value) {
  if (name == "profile") {
    c.profile = parse_profile_name(value);
    if (!c.profile) throw unknown_profile(value);
  } else if (name == "max-surge") {
    c.overrides.max_surge = parse_int_or_percent(value);
  } else if (name == "max-unavailable") {
    c.overrides.max_unavailable = parse_int_or_percent(value);
  } else if (name == "min-ready-seconds") {
    c.overrides.min_ready_seconds = parse_seconds(value);
  } else {
    return false;
  }
  return true;
}

}  // namespace rollout_pace
