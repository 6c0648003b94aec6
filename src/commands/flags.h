#pragma once
// The one table of the command line: every flag declared once, with the commands that take it, its
// value and the values it offers, its help, and the KRM function's config key for it; and every
// command with its usage. app/cli builds the parser and every --help from it, and the KRM function
// (commands/krm) reads its config keys from it, so a flag cannot be offered where it is refused.
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// The commands, by their first argument (none: the post-renderer).
enum class command { rewrite, plan, explain, flux, fn };
/// "rewrite" (shown as the post-renderer), "plan", "explain", "flux", "fn" (the KRM function).
std::string_view display_name(command c);

/// One command: how it is called and what it does, for its --help and the post-renderer's list.
struct command_info {
  command what;
  std::string usage;    ///< "rollout-pace plan [OPTIONS] < manifests.yaml"
  std::string about;    ///< what it does, a few lines (ending in "\n")
  std::string summary;  ///< one line, for the post-renderer's list of subcommands
};
/// Every command, the post-renderer first.
const std::vector<command_info>& commands();
const command_info& info_of(command c);

/// One flag.
struct flag {
  std::string name;                 ///< the long name: "max-surge"
  char short_name = 0;              ///< 'f' for --values, else 0
  std::string value_name;           ///< "N|N%"; empty for a switch
  bool repeatable = false;          ///< may be given again; the values add up
  bool list = false;                ///< takes a comma-separated list (its values, each once)
  std::vector<command> commands;    ///< the commands that take it
  std::string help;                 ///< what it does, without the values offered
  std::vector<std::string> values;  ///< the values it offers, when they are a closed set (its help lists them)
  std::string example;              ///< a value it takes, when open (the help test gives it)
  std::string config_key;           ///< the KRM function's config key ("maxSurge"); empty: none
  bool takes(command c) const;
  /// The help with the values offered: "the profile (names match in any case): Blitz, Cautious,
  /// Paranoid or Custom".
  std::string help_line() const;
};

/// Every flag, in the order --help lists them. A name appears once per command (format and kinds
/// have a row for explain, which offers fewer values).
const std::vector<flag>& flags();
/// The flags a command takes, in that order.
std::vector<const flag*> flags_of(command c);
/// The flag a command takes by that name, or nullptr.
const flag* find_flag(command c, std::string_view name);

/// "a, b or c".
std::string one_of(const std::vector<std::string>& values);

}  // namespace rollout_pace
