#pragma once
#include <string>
#include <vector>

namespace rollout_pace {

/// A file to process and how it was named.
struct input_file {
  std::string path;      ///< as given, or found under a folder that was given
  bool walked = false;   ///< found by walking a folder, not named on the command line
  bool outside = false;  ///< walked, and a symbolic link to a file outside the folder walked
};

/// The files a GitOps user means: each FILE as given, each folder walked recursively for *.yaml and
/// *.yml (sorted; folders whose name starts with "." skipped; a file whose links lead outside the
/// folder is marked outside, for the caller to leave alone). Throws failure(bad_input) for a path
/// that does not exist.
/// chart_templates, when given, gets each folder left out because it is a Helm chart's templates/ (a
/// folder named templates beside a Chart.yaml): not YAML until rendered.
std::vector<input_file> yaml_files(const std::vector<std::string>& paths,
                                   std::vector<std::string>* chart_templates = nullptr);

/// A whole file. Throws failure(bad_input) "PATH: cannot read it: reason".
std::string read_file(const std::string& path);

/// Where a write to path lands: through symbolic links to the file they point at.
std::string write_target(const std::string& path);

/// Replaces a file's content as a careful editor does: writes through a symbolic link to its target,
/// into a temporary file in the target's folder that gets the target's mode and owner, then renames
/// it over the target (atomic: a reader sees the old file or the new one). Refuses a read-only file.
/// Throws failure(bad_input) naming path.
void replace_file(const std::string& path, const std::string& text);

}  // namespace rollout_pace
