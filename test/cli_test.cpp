#define BOOST_TEST_MODULE cli
#include "app/cli.h"
#include "app/io.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "app/version.h"
#include "base/diagnostic.h"

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
  BOOST_TEST((cl.what == command::rewrite));
  BOOST_TEST((cl.opts.flags.profile == profile_name::paranoid));
  BOOST_TEST(*cl.opts.flags.overrides.min_ready_seconds == 120);
  BOOST_TEST(cl.opts.strict);
  BOOST_TEST(cl.opts.report);
  BOOST_TEST(cl.opts.include_hooks);
  BOOST_TEST(cl.log_file == "/tmp/x.log");
}

BOOST_AUTO_TEST_CASE(matrix_fills_the_matrix_layer) {
  BOOST_TEST(
      (parse_command_line({"--environment=PROD", "--change=major"}).opts.matrix.profile == profile_name::paranoid));
}

BOOST_AUTO_TEST_CASE(usage_errors_are_one_line_with_exit_code_2) {
  BOOST_TEST(usage_error({"--profile=Turbo"}) ==
             "--profile: \"Turbo\" is not a profile (Blitz, Cautious, Paranoid or Custom)");
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
  BOOST_TEST(parse_command_line({"--help"}).help);
  BOOST_TEST(parse_command_line({"--version"}).version);
}

BOOST_AUTO_TEST_CASE(plugin_yaml_version_is_the_project_version) {
  std::ifstream in(ROLLOUT_PACE_SOURCE_DIR "/plugin.yaml");
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(text.str().find("\nversion: " ROLLOUT_PACE_VERSION "\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_command_has_its_own_help) {
  command_line cl = parse_command_line({"plan", "--help"});
  BOOST_TEST((cl.what == command::plan && cl.help));
  std::string plan = help_text(command::plan), explain = help_text(command::explain), flux = help_text(command::flux);
  BOOST_TEST(plan.find("Usage: rollout-pace plan") != std::string::npos);
  BOOST_TEST(plan.find("--format") != std::string::npos);
  BOOST_TEST(plan.find("--set") == std::string::npos);
  BOOST_TEST(explain.find("--replicas") != std::string::npos);
  BOOST_TEST(explain.find("--previous") == std::string::npos);
  BOOST_TEST(flux.find("--fit-timeout") != std::string::npos);
  BOOST_TEST(flux.find("--timeout ") == std::string::npos);
  BOOST_TEST(help_text().find("  --replicas") == std::string::npos);  // only in the subcommand list
}

BOOST_AUTO_TEST_CASE(a_flag_of_another_command_is_a_usage_error_naming_this_one) {
  BOOST_TEST(usage_error({"--replicas=3"}) == "--replicas does not apply to the post-renderer (see --help)");
  BOOST_TEST(usage_error({"explain", "Paranoid", "--previous=p.yaml"}) ==
             "--previous does not apply to explain (see rollout-pace explain --help)");
  BOOST_TEST(usage_error({"plan", "--set=Blitz"}) == "--set does not apply to plan (see rollout-pace plan --help)");
  BOOST_TEST(usage_error({"flux", "--timeout=1h"}) ==
             "--timeout does not apply to flux (see rollout-pace flux --help)");
  BOOST_TEST(usage_error({"flux", "--values=v.yaml"}) ==
             "--values does not apply to flux: it reads each HelmRelease's spec.values");
  BOOST_TEST(usage_error({"explain", "Blitz", "--format=mermaid"}) ==
             "--format: explain writes one workload's plan as table or json");
}

BOOST_AUTO_TEST_CASE(no_flag_is_guessed_from_a_prefix) {
  BOOST_TEST(usage_error({"--prof", "Paranoid"}) == "unrecognised option '--prof' (see --help)");
  BOOST_TEST(usage_error({"--kind=Deployment"}) == "unrecognised option '--kind=Deployment' (see --help)");
  BOOST_TEST(usage_error({"plan", "--form=json"}) ==
             "unrecognised option '--form=json' (see rollout-pace plan --help)");
}

BOOST_AUTO_TEST_CASE(parsing_reads_no_file) {
  command_line cl = parse_command_line({"--values=/nonexistent/v.yaml", "--previous=/nonexistent/p.yaml"});
  BOOST_TEST(cl.values_files.size() == 1u);
  BOOST_TEST(cl.previous_file == "/nonexistent/p.yaml");
  BOOST_CHECK_EXCEPTION(read_inputs(cl), failure, [](const failure& f) {
    return static_cast<int>(f.code()) == 2 && std::string(f.what()).find("/nonexistent/v.yaml") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(explain_takes_one_kind) {
  BOOST_TEST(parse_command_line({"explain", "Cautious", "--kinds=StatefulSet"}).explain_kind->kind == "StatefulSet");
  BOOST_TEST(parse_command_line({"explain", "Cautious"}).explain_kind->kind == "Deployment");
  BOOST_TEST(usage_error({"explain", "Cautious", "--kinds=StatefulSet,DaemonSet"}) ==
             "--kinds: explain takes one kind, e.g. --kinds StatefulSet");
}

BOOST_AUTO_TEST_CASE(a_bad_count_names_what_it_counts) {
  BOOST_TEST(usage_error({"plan", "--nodes=x"}) == "--nodes: \"x\" must be a whole number of nodes");
  BOOST_TEST(usage_error({"explain", "Blitz", "--replicas=-1"}) ==
             "--replicas: \"-1\" must be greater than or equal to 0");
}

BOOST_AUTO_TEST_CASE(an_unreadable_values_file_is_a_usage_error) {
  command_line cl = parse_command_line({"--values=/nonexistent/values.yaml"});
  BOOST_CHECK_EXCEPTION(read_inputs(cl), failure, [](const failure& f) {
    return static_cast<int>(f.code()) == 2 &&
           std::string(f.what()) == "--values /nonexistent/values.yaml: cannot read it: No such file or directory";
  });
}

namespace {

// The flags a --help text offers: every "--name" at the start of an option line.
std::vector<std::string> offered_flags(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream lines(help.substr(help.find("\nOptions:\n")));
  for (std::string line; std::getline(lines, line);) {
    std::size_t at = line.find("--");
    if (line.rfind("  -", 0) != 0 || at == std::string::npos) continue;
    std::size_t end = line.find_first_of(" ]", at);
    out.push_back(line.substr(at + 2, end - at - 2));
  }
  return out;
}

// What a command needs beside the flag tried, so that only the flag decides.
std::vector<std::string> base_args(command c, const std::string& flag) {
  std::vector<std::string> args;
  if (c != command::rewrite) args.emplace_back(display_name(c));
  if (c == command::explain) args.push_back("Paranoid");
  if (c == command::flux && flag == "check") args.push_back("releases.yaml");
  if (flag == "change") args.push_back("--environment=PROD");
  if (flag == "environment") args.push_back("--change=minor");  // its help says: with --change
  return args;
}

}  // namespace

// issue 24: the help is made from the flag table, and nothing it offers is refused: each command's
// --help lists exactly the flags the table gives it, and each flag with each value it offers (or its
// example) parses for that command.
BOOST_AUTO_TEST_CASE(every_flag_and_value_a_help_offers_is_accepted) {
  std::size_t tried = 0;
  for (const command_info& info : commands()) {
    command c = info.what;
    std::string help = help_text(c);
    std::vector<std::string> offered = offered_flags(help), declared;
    for (const flag* f : flags_of(c)) declared.push_back(f->name);
    BOOST_TEST(offered == declared, display_name(c) << "'s --help lists the flags of the table");
    for (const flag* f : flags_of(c)) {
      std::vector<std::string> values = f->values;
      if (values.empty()) values.push_back(f->example);
      if (f->list && f->values.size() > 1) {  // a list offers its values together too
        std::string all;
        for (const std::string& v : f->values) all += (all.empty() ? "" : ",") + v;
        if (c != command::explain) values.push_back(all);
      }
      for (const std::string& value : values) {
        bool named = help.find(value) != std::string::npos;
        BOOST_TEST((named || !f->example.empty()), display_name(c) << " --help names " << value);
        std::vector<std::string> args = base_args(c, f->name);
        args.push_back(f->value_name.empty() ? "--" + f->name : "--" + f->name + "=" + value);
        std::string error = usage_error(args);
        BOOST_TEST(error.empty(), display_name(c) << " " << args.back() << ": " << error);
        ++tried;
      }
    }
  }
  BOOST_TEST(tried > 100u);
}

// What the issue found: explain --help offered --format markdown and mermaid, which explain refuses.
BOOST_AUTO_TEST_CASE(explain_offers_only_the_formats_it_writes) {
  std::string help = help_text(command::explain);
  BOOST_TEST(help.find("mermaid") == std::string::npos);
  BOOST_TEST(help.find("markdown") == std::string::npos);
  BOOST_TEST(help.find("the kind to explain (default Deployment)") != std::string::npos);
  BOOST_TEST(!usage_error({"explain", "Paranoid", "--format=mermaid"}).empty());
}
