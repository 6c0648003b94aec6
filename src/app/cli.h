#pragma once
// The command line: each command (the post-renderer, plan, explain, flux) declares its own options;
// a flag another command takes is a usage error naming this one, and no flag is guessed from a
// prefix. Parsing reads no file: app/io's read_inputs() reads --values and --previous afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "commands/flags.h"
#include "manifest/options.h"
#include "plan/format.h"

namespace rollout_pace {

/// What the command line asks for.
struct command_line {
  command what = command::rewrite;
  bool help = false;     ///< --help: this command's help
  bool version = false;  ///< --version
  options opts;
  std::string log_file;                         ///< --log-file (main also honours ROLLOUT_PACE_LOG)
  std::vector<std::string> files;               ///< inputs of flux
  std::vector<std::string> values_files;        ///< --values, read by read_inputs()
  std::string previous_file;                    ///< --previous, read by read_inputs()
  std::vector<std::string> notes;               ///< what read_inputs() noticed (a chart's own values keys)
  plan_format format = plan_format::table;      ///< --format of plan and explain
  std::string input_name = "stdin";             ///< plan --input-name: the stream's file, for findings' locations
  std::int64_t replicas = 4;                    ///< --replicas of explain
  const workload_kind* explain_kind = nullptr;  ///< explain --kinds: the one kind explained
};

/// Parses the arguments (Boost.ProgramOptions) and checks them. Reads no file. Throws
/// failure(bad_usage) with a one-line message.
command_line parse_command_line(const std::vector<std::string>& args);

/// --help for a command: usage, and for the post-renderer the profile table and the precedence.
std::string help_text(command c = command::rewrite);

}  // namespace rollout_pace
