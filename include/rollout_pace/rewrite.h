#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rollout_pace/diagnostic.h"
#include "rollout_pace/options.h"

namespace rollout_pace {

/// What rewrite() produced.
struct result {
  exit_code code = exit_code::ok;
  std::string output;                    ///< the rewritten stream; empty unless code is ok
  std::vector<diagnostic> diagnostics;   ///< warnings, notes, reports; on failure the error is last
};

/// The core, and its one entry point: applies rollout profiles to the Deployments of a manifest
/// stream. Pure (no I/O). Untouched documents are copied byte for byte; a changed document differs
/// only in the lines of the changed fields, and is checked by parsing it again. On any error the
/// output is empty and the last diagnostic is the one-line, located error.
result rewrite(std::string_view stream, const options& opts);

}  // namespace rollout_pace
