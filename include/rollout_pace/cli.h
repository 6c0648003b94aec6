#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rollout_pace/options.h"

namespace rollout_pace {

/// What the command line asks for.
struct command_line {
  enum class action { rewrite, help, version, flux, plan, explain };
  action what = action::rewrite;
  options opts;
  std::string log_file;            ///< --log-file (main also honours ROLLOUT_PACE_LOG)
  std::vector<std::string> files;  ///< inputs of the flux subcommand
  std::string format = "table";    ///< --format of plan and explain
  std::int64_t replicas = 4;       ///< --replicas of explain
};

/// Parses the arguments (Boost.ProgramOptions), reads --values files and checks the profile the
/// flags, values and matrix decide. Throws failure(bad_usage) with a one-line message.
command_line parse_command_line(const std::vector<std::string>& args);

/// --help: usage, the profile table and the precedence.
std::string help_text();

}  // namespace rollout_pace
