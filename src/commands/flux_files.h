#pragma once
// rollout-pace flux FILE|DIR...: flux_patch() over files, all or nothing, and --check.
#include <string>
#include <vector>

#include "commands/result.h"
#include "manifest/options.h"

namespace rollout_pace {

/// `rollout-pace flux FILE|DIR...`: flux_patch on every file (folders walked for *.yaml and *.yml),
/// all or nothing: every file is processed before any is written, and each changed one is replaced
/// with replace_file(). A file found by walking that cannot be read as YAML and does not mention
/// HelmRelease is left alone with a note (a Helm chart's templates are not YAML). Diagnostics are
/// prefixed with the file's path; the result holds no output. With opts.check nothing is written:
/// each HelmRelease whose entry is missing or stale gets an error line with the command that fixes
/// it, and the code is bad_input (exit 1) when there is any.
result flux_files(const std::vector<std::string>& paths, const options& opts);

}  // namespace rollout_pace
