#pragma once
// Every warning rollout-pace gives has a stable id, shown in its line ("[timeout]"), so that a person
// can accept one warning on one workload (the rollout-pace/accept annotation) or everywhere
// (--accept), and --strict still fails on the others. This is the one table of them; the README lists
// it (test/readme_test.sh checks that every id is there).
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace rollout_pace {

/// One warning id and what a person does about it.
struct warning_kind {
  std::string_view id;
  std::string_view what;  ///< what it means, one sentence
};

/// Every warning id, in the order the README lists them.
const std::vector<warning_kind>& warning_kinds();

/// "no-readiness-probe, cannot-surge, ...": for messages.
std::string warning_ids_list();

/// A comma-separated list of ids ("timeout, cannot-surge"): spaces around names are ignored, an empty
/// list is empty. Throws std::invalid_argument naming an id that is not in the table.
std::vector<std::string> parse_accept(std::string_view list);

/// A warning with the given id.
diagnostic warning(std::string_view id, std::string text, std::optional<resource_ref> about = std::nullopt);

/// Whether d is a warning accepted by either list: the flag's (--accept) or the workload's own
/// (rollout-pace/accept). Errors, notes and reports are never accepted.
bool accepted(const diagnostic& d, const std::vector<std::string>& everywhere, const std::vector<std::string>& here);

/// The error --strict makes of a warning: "[timeout] ... (--strict; --accept timeout, or the
/// workload's rollout-pace/accept annotation, accepts it)".
failure strict_failure(const diagnostic& d);

/// Removes the accepted warnings from ds (see accepted()).
void drop_accepted(std::vector<diagnostic>& ds, const std::vector<std::string>& everywhere,
                   const std::vector<std::string>& here);

}  // namespace rollout_pace
