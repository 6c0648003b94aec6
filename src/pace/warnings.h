#pragma once
// Accepting warnings: one on one workload (the rollout-pace/accept annotation) or everywhere
// (--accept), with --strict failing on the others. The table of warning ids is base/warning_id.h.
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/warning_id.h"

namespace rollout_pace {

/// A comma-separated list of ids ("timeout, cannot-surge"): spaces around names are ignored, an empty
/// list is empty. Throws std::invalid_argument naming an id that is not in the table.
std::vector<warning_id> parse_accept(std::string_view list);

/// A warning with the given id.
diagnostic warning(warning_id id, std::string text, std::optional<resource_ref> about = std::nullopt);

/// Whether d is a warning accepted by either list: the flag's (--accept) or the workload's own
/// (rollout-pace/accept). Errors, notes and reports are never accepted.
bool accepted(const diagnostic& d, const std::vector<warning_id>& everywhere, const std::vector<warning_id>& here);

/// The error --strict makes of a warning: "[timeout] ... (--strict; --accept timeout, or the
/// workload's rollout-pace/accept annotation, accepts it)".
failure strict_failure(const diagnostic& d);

/// Removes the accepted warnings from ds (see accepted()).
void drop_accepted(std::vector<diagnostic>& ds, const std::vector<warning_id>& everywhere,
                   const std::vector<warning_id>& here);

}  // namespace rollout_pace
