#define BOOST_TEST_MODULE profile
#include "pace/choose.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
choice named(profile_name p) { return choice{p, {}}; }
choice min_ready(int s) {
  choice c;
  c.overrides.min_ready_seconds = s;
  return c;
}
}  // namespace

BOOST_AUTO_TEST_CASE(profile_table_matches_the_design) {
  pace b = profile_values(profile_name::blitz);
  BOOST_TEST(b.max_surge->text() == "100%");
  BOOST_TEST(b.max_unavailable->text() == "50%");
  BOOST_TEST(*b.min_ready_seconds == 0);
  pace c = profile_values(profile_name::cautious);
  BOOST_TEST(c.max_surge->text() == "25%");
  BOOST_TEST(c.max_unavailable->text() == "0");
  BOOST_TEST(*c.min_ready_seconds == 30);
  pace p = profile_values(profile_name::paranoid);
  BOOST_TEST(p.max_surge->text() == "1");
  BOOST_TEST(p.max_unavailable->text() == "0");
  BOOST_TEST(*p.min_ready_seconds == 300);
  BOOST_TEST(profile_values(profile_name::custom).empty());
}

BOOST_AUTO_TEST_CASE(names_match_in_any_case) {
  BOOST_TEST((parse_profile_name("PARANOID") == profile_name::paranoid));
  BOOST_TEST((parse_profile_name("blitz") == profile_name::blitz));
  BOOST_TEST(!parse_profile_name("Turbo"));
  BOOST_TEST(!parse_profile_name(""));
}

BOOST_AUTO_TEST_CASE(nothing_chosen_decides_nothing) { BOOST_TEST(!choose({})); }

BOOST_AUTO_TEST_CASE(annotation_beats_flag_beats_values_beats_matrix) {
  auto d = choose({named(profile_name::blitz), named(profile_name::paranoid), named(profile_name::cautious),
                   named(profile_name::cautious)});
  BOOST_TEST((d->profile == profile_name::blitz && d->profile_from == origin::annotation));
  d = choose({choice{}, choice{}, named(profile_name::paranoid), named(profile_name::blitz)});
  BOOST_TEST((d->profile == profile_name::paranoid && d->profile_from == origin::values));
}

BOOST_AUTO_TEST_CASE(one_field_overrides_a_named_profile) {
  auto d = choose({min_ready(120), named(profile_name::paranoid), choice{}, choice{}});
  BOOST_TEST((d->profile == profile_name::paranoid));
  BOOST_TEST(d->min_ready_seconds == 120);
  BOOST_TEST(d->max_surge.text() == "1");
  BOOST_TEST((d->field_from[2] == origin::annotation));
  BOOST_TEST((d->field_from[0] == origin::flag));
}

BOOST_AUTO_TEST_CASE(a_more_specific_profile_drops_less_specific_overrides) {
  choice flag = named(profile_name::paranoid);
  flag.overrides.min_ready_seconds = 120;
  auto d = choose({named(profile_name::cautious), flag, choice{}, choice{}});
  BOOST_TEST(d->min_ready_seconds == 30);
}

BOOST_AUTO_TEST_CASE(fields_alone_make_a_custom_profile) {
  choice flag;
  flag.overrides = {int_or_percent{1, false}, int_or_percent{0, false}, 120};
  auto d = choose({choice{}, flag, choice{}, choice{}});
  BOOST_TEST((d->profile == profile_name::custom));
  BOOST_TEST(d->min_ready_seconds == 120);
}

BOOST_AUTO_TEST_CASE(custom_names_the_missing_value) {
  choice flag = named(profile_name::custom);
  flag.overrides.max_surge = int_or_percent{1, false};
  flag.overrides.min_ready_seconds = 5;
  BOOST_CHECK_EXCEPTION(
      choose({choice{}, flag, choice{}, choice{}}), incomplete_profile,
      [](const incomplete_profile& e) { return std::string(e.what()) == "profile Custom needs maxUnavailable"; });
}

BOOST_AUTO_TEST_CASE(matrix_maps_environment_and_change) {
  BOOST_TEST((matrix_profile("TEST", "") == profile_name::blitz));
  BOOST_TEST((matrix_profile("test", "major") == profile_name::blitz));
  BOOST_TEST((matrix_profile("PROD", "major") == profile_name::paranoid));
  BOOST_TEST((matrix_profile("PROD", "minor") == profile_name::cautious));
  BOOST_TEST((matrix_profile("PROD", "patch") == profile_name::cautious));
  BOOST_TEST((matrix_profile("ACC", "major") == profile_name::paranoid));
  BOOST_TEST((matrix_profile("ACC", "patch") == profile_name::cautious));
  BOOST_CHECK_THROW(matrix_profile("PROD", ""), std::invalid_argument);
  BOOST_CHECK_THROW(matrix_profile("ACC", ""), std::invalid_argument);
  BOOST_CHECK_THROW(matrix_profile("DEV", "major"), std::invalid_argument);
  BOOST_CHECK_THROW(matrix_profile("PROD", "huge"), std::invalid_argument);
}
