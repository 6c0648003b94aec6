// Specification of pace/warnings.h: every warning has a stable id docs/warnings.md explains, and a warning
// is accepted by id, everywhere (--accept) or on one workload (rollout-pace/accept).
#define BOOST_TEST_MODULE warnings
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "base/text.h"
#include "pace/warnings.h"

using namespace rollout_pace;

BOOST_AUTO_TEST_CASE(ids_are_unique_lowercase_words_with_dashes) {
  std::set<std::string_view> seen;
  for (const warning_kind& k : warning_kinds()) {
    BOOST_TEST(seen.insert(k.name).second, "twice: " << k.name);
    for (char c : k.name) BOOST_TEST(((c >= 'a' && c <= 'z') || c == '-'), "in " << k.name);
    BOOST_TEST(!k.what.empty());
  }
  BOOST_TEST(seen.size() >= 14u);
}

// issue 24: a warning id is an enum that indexes the one table; a name is read back only from a
// person (--accept, rollout-pace/accept), never from a diagnostic's text.
BOOST_AUTO_TEST_CASE(the_enum_indexes_the_table) {
  const auto& kinds = warning_kinds();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    BOOST_TEST(static_cast<std::size_t>(kinds[i].id) == i + 1, kinds[i].name);
    BOOST_TEST(name_of(kinds[i].id) == kinds[i].name);
    BOOST_TEST((parse_warning_id(kinds[i].name) == kinds[i].id));
  }
  BOOST_TEST(name_of(warning_id::none).empty());
  BOOST_TEST(!parse_warning_id("Timeout"));
}

BOOST_AUTO_TEST_CASE(the_readme_lists_every_id_in_its_table) {
  std::ifstream in(ROLLOUT_PACE_SOURCE_DIR "/docs/warnings.md");
  std::stringstream text;
  text << in.rdbuf();
  for (const warning_kind& k : warning_kinds())
    BOOST_TEST(text.str().find("| `" + std::string(k.name) + "` |") != std::string::npos,
               "docs/warnings.md lacks " << k.name);
}

BOOST_AUTO_TEST_CASE(an_accept_list_takes_known_ids_with_spaces_and_refuses_others) {
  BOOST_TEST(parse_accept("").empty());
  BOOST_TEST(parse_accept(" , ").empty());
  std::vector<warning_id> ids = parse_accept("timeout, cannot-surge ,host-port");
  BOOST_TEST((ids == std::vector<warning_id>{warning_id::timeout, warning_id::cannot_surge, warning_id::host_port}));
  BOOST_CHECK_THROW(parse_accept("timeout,Timeout"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_accept("no-readiness"), std::invalid_argument);
  try {
    parse_accept("timeout,nope");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).rfind("\"nope\" is not a warning id (no-readiness-probe, ", 0) == 0);
  }
}

BOOST_AUTO_TEST_CASE(only_a_warning_with_an_accepted_id_is_accepted) {
  const warning_id timeout = warning_id::timeout, none = warning_id::none;
  diagnostic w = warning(timeout, "document 1 (Deployment web): slow");
  BOOST_TEST(accepted(w, {timeout}, {}));
  BOOST_TEST(accepted(w, {}, {timeout}));
  BOOST_TEST(!accepted(w, {warning_id::cannot_surge}, {warning_id::host_port}));
  diagnostic note{diagnostic::level::note, "spec.progressDeadlineSeconds set", timeout};
  BOOST_TEST(!accepted(note, {timeout}, {timeout}));
  diagnostic bare{diagnostic::level::warning, "no id", none};
  BOOST_TEST(!accepted(bare, {none}, {none}));
  std::vector<diagnostic> ds{w, note, warning(warning_id::host_port, "x")};
  drop_accepted(ds, {}, {timeout});
  BOOST_TEST_REQUIRE(ds.size() == 2u);
  BOOST_TEST(ds[0].text == note.text);
  BOOST_TEST((ds[1].id == warning_id::host_port));
}

BOOST_AUTO_TEST_CASE(the_line_shows_the_id_and_strict_says_how_to_accept_it) {
  diagnostic w = warning(warning_id::cannot_surge, "document 4 (StatefulSet db): cannot surge");
  BOOST_TEST(format(w) == "rollout-pace: warning: [cannot-surge] document 4 (StatefulSet db): cannot surge");
  BOOST_TEST(std::string(strict_failure(w).what()) ==
             "[cannot-surge] document 4 (StatefulSet db): cannot surge (--strict; --accept cannot-surge, or a "
             "rollout-pace/accept annotation on the workload, accepts it)");
}

// A misspelt name gets the closest one it could mean, and only a close one (issue 23).
BOOST_AUTO_TEST_CASE(did_you_mean_offers_only_a_close_name) {
  std::vector<std::string> profiles{"Blitz", "Cautious", "Paranoid", "Custom"};
  BOOST_TEST(did_you_mean("Paranid", profiles) == "; did you mean \"Paranoid\"?");
  BOOST_TEST(did_you_mean("paranoid", profiles) == "; did you mean \"Paranoid\"?");  // case alone is no error there
  BOOST_TEST(did_you_mean("Caustious", profiles) == "; did you mean \"Cautious\"?");
  BOOST_TEST(did_you_mean("Blizt", profiles) == "; did you mean \"Blitz\"?");  // two letters swapped: one edit
  BOOST_TEST(did_you_mean("Turbo", profiles).empty());
  BOOST_TEST(did_you_mean("Custom", profiles).empty());
  BOOST_TEST(did_you_mean("", profiles).empty());
  BOOST_TEST(did_you_mean("xy", {"ab"}).empty());  // two edits in two letters is a guess, not a typo
  BOOST_TEST(did_you_mean("tmeout", {"timeout", "unplanned"}) == "; did you mean \"timeout\"?");
}
