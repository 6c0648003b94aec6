#define BOOST_TEST_MODULE cli
#include "rollout_pace/cli.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "rollout_pace/diagnostic.h"
#include "rollout_pace/version.h"

using namespace rollout_pace;

namespace {
std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const failure& f) {
    BOOST_TEST(static_cast<int>(f.code()) == 2);
    return f.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(flags_fill_the_flag_layer) {
  command_line cl = parse_command_line({"--profile=paranoid", "--min-ready-seconds", "120", "--strict", "--report",
                                        "--include-hooks", "--log-file=/tmp/x.log"});
  BOOST_TEST((cl.what == command_line::action::rewrite));
  BOOST_TEST((cl.opts.flags.profile == profile_name::paranoid));
  BOOST_TEST(*cl.opts.flags.overrides.min_ready_seconds == 120);
  BOOST_TEST(cl.opts.strict);
  BOOST_TEST(cl.opts.report);
  BOOST_TEST(cl.opts.include_hooks);
  BOOST_TEST(cl.log_file == "/tmp/x.log");
}

BOOST_AUTO_TEST_CASE(matrix_fills_the_matrix_layer) {
  BOOST_TEST((parse_command_line({"--environment=PROD", "--change=major"}).opts.matrix.profile == profile_name::paranoid));
}

BOOST_AUTO_TEST_CASE(usage_errors_are_one_line_with_exit_code_2) {
  BOOST_TEST(usage_error({"--profile=Turbo"}) == "--profile: \"Turbo\" is not a profile (Blitz, Cautious, Paranoid or Custom)");
  BOOST_TEST(usage_error({"--max-surge=2.5%"}) ==
             "--max-surge: \"2.5%\": a valid percent string must be a numeric string followed by an ending '%'");
  BOOST_TEST(usage_error({"--environment=PROD"}) ==
             "--environment PROD needs --change major|minor|patch to choose between Paranoid and Cautious");
  BOOST_TEST(usage_error({"--change=major"}) == "--change needs --environment TEST|ACC|PROD");
  BOOST_TEST(usage_error({"--bogus"}) == "unrecognised option '--bogus' (see --help)");
}

// An annotation may complete or override what the flags say, so completeness and the rules are
// judged per workload, once every level is known (rewrite_test and the golden cases).
BOOST_AUTO_TEST_CASE(flags_a_workload_may_still_complete_are_not_usage_errors) {
  BOOST_TEST((parse_command_line({"--profile=Custom", "--max-surge=1"}).opts.flags.profile == profile_name::custom));
  BOOST_TEST(parse_command_line({"--profile=Cautious", "--max-surge=0"}).opts.flags.overrides.max_surge->value == 0);
}

BOOST_AUTO_TEST_CASE(help_shows_profile_table_and_precedence) {
  std::string help = help_text();
  BOOST_TEST(help.find("Paranoid   1         0               300") != std::string::npos);
  BOOST_TEST(help.find("most specific first") != std::string::npos);
  BOOST_TEST((parse_command_line({"--help"}).what == command_line::action::help));
  BOOST_TEST((parse_command_line({"--version"}).what == command_line::action::version));
}

BOOST_AUTO_TEST_CASE(plugin_yaml_version_is_the_project_version) {
  std::ifstream in(ROLLOUT_PACE_SOURCE_DIR "/plugin.yaml");
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(text.str().find("\nversion: " ROLLOUT_PACE_VERSION "\n") != std::string::npos);
}
