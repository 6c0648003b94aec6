#define BOOST_TEST_MODULE values
#include "manifest/values.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

#include "base/diagnostic.h"

using namespace rollout_pace;

namespace {
std::string error_of(std::string_view text) {
  try {
    parse_values({{"v.yaml", std::string(text)}});
  } catch (const failure& f) {
    BOOST_TEST(static_cast<int>(f.code()) == 2);
    return f.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(design_custom_strategy_is_read) {
  choice c = parse_values({{"v",
                            "deploymentStrategy: \"Custom\"\ncustomStrategy:\n  maxSurge: 1\n  maxUnavailable: 0\n  "
                            "readinessDelay: 120\n"}});
  BOOST_TEST((c.profile == profile_name::custom));
  BOOST_TEST(c.overrides.max_surge->text() == "1");
  BOOST_TEST(c.overrides.max_unavailable->text() == "0");
  BOOST_TEST(*c.overrides.min_ready_seconds == 120);
}

BOOST_AUTO_TEST_CASE(custom_strategy_is_ignored_for_named_profiles) {
  choice c = parse_values({{"v", "deploymentStrategy: Paranoid\ncustomStrategy: {maxSurge: 3}\n"}});
  BOOST_TEST((c.profile == profile_name::paranoid));
  BOOST_TEST(c.overrides.empty());
}

BOOST_AUTO_TEST_CASE(empty_or_missing_strategy_chooses_nothing) {
  BOOST_TEST(parse_values({{"v", "replicaCount: 2\n"}}).empty());
  BOOST_TEST(parse_values({{"v", "deploymentStrategy: \"\"\n"}}).empty());
  BOOST_TEST(parse_values({{"v", "deploymentStrategy: ~\n"}}).empty());
  BOOST_TEST(parse_values({{"v", ""}}).empty());
}

BOOST_AUTO_TEST_CASE(bad_values_name_file_line_and_column) {
  BOOST_TEST(error_of("deploymentStrategy: Turbo\n") ==
             "v.yaml:1:21: deploymentStrategy: \"Turbo\" is not a profile (Blitz, Cautious, Paranoid or Custom)");
  BOOST_TEST(
      error_of("deploymentStrategy: Custom\ncustomStrategy:\n  maxSurge: 1.5\n") ==
      "v.yaml:3:13: customStrategy.maxSurge: \"1.5\" must be a non-negative integer or a percentage such as \"25%\"");
  BOOST_TEST(error_of("a: [\n").find("v.yaml:2:1: malformed YAML") == 0u);
  BOOST_TEST(error_of("- a\n") == "v.yaml:1:1: a values file must be a map");
}

BOOST_AUTO_TEST_CASE(later_files_win_key_by_key) {
  choice c = parse_values({{"a.yaml",
                            "deploymentStrategy: Custom\ncustomStrategy:\n  maxSurge: 1\n  maxUnavailable: 0\n"
                            "  readinessDelay: 300\n"},
                           {"b.yaml", "customStrategy:\n  readinessDelay: 120\n"}});
  BOOST_TEST((c.profile == profile_name::custom));
  BOOST_TEST(*c.overrides.min_ready_seconds == 120);
  BOOST_TEST(c.overrides.max_surge->text() == "1");
}

// A chart's own deploymentStrategy (grafana's is a Kubernetes strategy map) or customStrategy is not
// rollout-pace's: nothing chosen, a note, never an error.
BOOST_AUTO_TEST_CASE(a_charts_own_strategy_keys_are_left_alone_with_a_note) {
  std::vector<std::string> notes;
  choice c =
      parse_values({{"grafana.yaml", "deploymentStrategy:\n  type: RollingUpdate\ncustomStrategy: [a]\n"}}, "", &notes);
  BOOST_TEST(c.empty());
  BOOST_TEST_REQUIRE(notes.size() == 2u);
  BOOST_TEST(notes[0].find("grafana.yaml:2:3: deploymentStrategy is a map") == 0u);
  BOOST_TEST(notes[1].find("customStrategy is not a map") != std::string::npos);
  // A scalar that names no profile is still an error: it is meant for rollout-pace, and wrong.
  BOOST_CHECK_THROW(parse_values({{"v.yaml", "deploymentStrategy: Turbo\n"}}), failure);
}
