#pragma once
// Every warning rollout-pace gives has a stable id, shown in its line ("[timeout]"), so that a person
// can accept one warning on one workload (the rollout-pace/accept annotation) or everywhere
// (--accept), and --strict still fails on the others. This is the one table of them (in base/, as
// every diagnostic carries its id as data); accepting them is pace/warnings. docs/warnings.md lists every
// id (test/warnings_test checks that each is there).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// A warning's id: an index into warning_kinds() (none: not a warning, or one with no id).
enum class warning_id : std::uint8_t {
  none,
  no_readiness_probe,
  single_replica,
  rounds_to_zero,
  cannot_surge,
  host_port,
  feature_gate,
  recreate,
  api_version,
  timeout,
  indefinite_pause,
  unplanned,
  replicas_unknown,
  previous_empty,
  flux_api_version,
  flux_static_patch,
  flux_entry_removed,
  annotations_override,
  helm_reports_early,
  flux_values_unread,
  replicas_fought_over,
  canary_unobserved,
  downtime,
  progress_deadline,
  stall,
  budget_blocks_drains,
};

/// One warning id and what a person does about it.
struct warning_kind {
  warning_id id;
  std::string_view name;  ///< as shown in brackets and accepted: "no-readiness-probe"
  std::string_view what;  ///< what it means, one sentence
};

/// Every warning, in the order of the enum (and of docs/warnings.md's list).
const std::vector<warning_kind>& warning_kinds();

/// "no-readiness-probe" for warning_id::no_readiness_probe; "" for none.
std::string_view name_of(warning_id id);
/// The id of a name ("timeout"), or nullopt.
std::optional<warning_id> parse_warning_id(std::string_view name);

/// "no-readiness-probe, cannot-surge, ...": for messages.
std::string warning_ids_list();

}  // namespace rollout_pace
