#pragma once
// Running another program without a shell: its arguments are passed as they are, one word each, so
// no value is ever split, expanded or read as a command.
#include <cstddef>
#include <string>
#include <vector>

#include "commands/argocd.h"

namespace rollout_pace {

/// What a program wrote on standard output, and how it ended.
struct process_output {
  int exit_status = 0;  ///< its exit code; 128 + the signal when a signal ended it
  std::string out;
};

/// Runs argv (argv[0] looked up in PATH) with standard input from /dev/null, standard error shared
/// with ours (or written to the file stderr_path, when given), and standard output read into the
/// result, at most limit bytes (then it is killed). Throws failure(bad_input) when it cannot be
/// started ("helm: not found in PATH") or writes more than limit.
process_output run_process(const std::vector<std::string>& argv, std::size_t limit,
                           const std::string& stderr_path = "");

/// This process's environment.
environment current_environment();

/// The path of the running executable (/proc/self/exe), for running itself.
std::string own_executable();

}  // namespace rollout_pace
