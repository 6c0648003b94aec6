#define BOOST_TEST_MODULE kube_rules
#include "kube/rules.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace rollout_pace;

namespace {
std::string parse_error(std::string_view text) {
  try {
    parse_int_or_percent(text);
  } catch (const rule_error& e) {
    return e.what();
  }
  return "";
}
int_or_percent pct(int v) { return {v, true}; }
int_or_percent num(int v) { return {v, false}; }
}  // namespace

// ValidatePositiveIntOrPercent / IsValidPercent
BOOST_AUTO_TEST_CASE(int_or_percent_accepts_integers_and_percentages) {
  BOOST_TEST((parse_int_or_percent("1") == num(1)));
  BOOST_TEST((parse_int_or_percent("0") == num(0)));
  BOOST_TEST((parse_int_or_percent("25%") == pct(25)));
  BOOST_TEST((parse_int_or_percent("200%") == pct(200)));
  BOOST_TEST(parse_int_or_percent("25%").text() == "25%");
}

BOOST_AUTO_TEST_CASE(int_or_percent_rejects_what_the_api_server_rejects) {
  BOOST_TEST(parse_error("-1") == "\"-1\" must be greater than or equal to 0");
  BOOST_TEST(parse_error("-5%") == "\"-5%\" must be greater than or equal to 0");
  BOOST_TEST(parse_error("2.5%") ==
             "\"2.5%\": a valid percent string must be a numeric string followed by an ending '%'");
  BOOST_TEST(parse_error(" 5%") ==
             "\" 5%\": a valid percent string must be a numeric string followed by an ending '%'");
  BOOST_TEST(parse_error("%") == "\"%\": a valid percent string must be a numeric string followed by an ending '%'");
  BOOST_TEST(parse_error("one") == "\"one\" must be a non-negative integer or a percentage such as \"25%\"");
  BOOST_TEST(parse_error("") == "\"\" must be a non-negative integer or a percentage such as \"25%\"");
  BOOST_TEST(parse_error("2147483648") == "\"2147483648\" is out of range for a 32-bit integer");
}

// ValidateNonnegativeField
BOOST_AUTO_TEST_CASE(seconds_are_non_negative_int32) {
  BOOST_TEST(parse_seconds("300") == 300);
  BOOST_CHECK_THROW(parse_seconds("-1"), rule_error);
  BOOST_CHECK_THROW(parse_seconds("1.5"), rule_error);
  BOOST_CHECK_THROW(parse_seconds("99999999999"), rule_error);
}

// ValidateRollingUpdateDeployment
BOOST_AUTO_TEST_CASE(max_unavailable_at_most_100_percent) {
  auto v = validate_rolling_update_deployment(num(1), pct(150));
  BOOST_REQUIRE(v);
  BOOST_TEST(v->field == "maxUnavailable");
  BOOST_TEST(v->message == "\"150%\" must not be greater than 100%");
  BOOST_TEST(!validate_rolling_update_deployment(num(1), pct(100)));
}

BOOST_AUTO_TEST_CASE(max_surge_may_exceed_100_percent) {
  BOOST_TEST(!validate_rolling_update_deployment(pct(300), num(0)));
}

BOOST_AUTO_TEST_CASE(surge_and_unavailable_not_both_zero_raw_values) {
  auto v = validate_rolling_update_deployment(pct(0), num(0));
  BOOST_REQUIRE(v);
  BOOST_TEST(v->message == "may not be 0 when `maxSurge` is 0");
  BOOST_TEST(!validate_rolling_update_deployment(pct(1), num(0)));  // raw 1% is not zero
}

// ResolveFenceposts
// Every percentage times every total up to 3000, against upstream's own formula
// (math.Ceil/math.Floor of float64(value) * float64(total) / 100), and through each rule that scales:
// a rounding slip (say "+ 98" for "+ 99") fails here whatever the kind.
BOOST_AUTO_TEST_CASE(scaled_values_round_as_get_scaled_value_from_int_or_percent_does) {
  std::size_t checked = 0;
  for (std::int32_t percent = 0; percent <= 100; ++percent)
    for (std::int64_t total = 0; total <= 3000; ++total) {
      int_or_percent v{percent, true};
      double exact = static_cast<double>(percent) * static_cast<double>(total) / 100.0;
      auto up = static_cast<std::int64_t>(std::ceil(exact)), down = static_cast<std::int64_t>(std::floor(exact));
      if (scaled_value(v, total, true) != up || scaled_value(v, total, false) != down ||
          daemonset_fenceposts(v, v, total).surge != up ||
          statefulset_max_unavailable(v, total) != std::max<std::int64_t>(1, down) ||
          resolve_fenceposts(v, int_or_percent{1, false}, total).surge != up ||
          resolve_fenceposts(int_or_percent{1, false}, v, total).unavailable != down) {
        BOOST_ERROR(percent << "% of " << total);
        return;
      }
      ++checked;
    }
  BOOST_TEST(checked == 101u * 3001u);
  BOOST_TEST(scaled_value(int_or_percent{7, false}, 1000, true) == 7);  // an integer is taken as it is
}

BOOST_AUTO_TEST_CASE(fenceposts_round_surge_up_and_unavailable_down) {
  fenceposts f = resolve_fenceposts(pct(25), pct(25), 10);
  BOOST_TEST(f.surge == 3);
  BOOST_TEST(f.unavailable == 2);
  BOOST_TEST(!f.forced_unavailable);
}

BOOST_AUTO_TEST_CASE(fenceposts_force_one_unavailable_when_both_resolve_to_zero) {
  fenceposts f = resolve_fenceposts(num(0), pct(10), 3);
  BOOST_TEST(f.surge == 0);
  BOOST_TEST(f.unavailable == 1);
  BOOST_TEST(f.forced_unavailable);
}

// ValidateDeploymentSpec: progressDeadlineSeconds > minReadySeconds
BOOST_AUTO_TEST_CASE(progress_deadline_raised_only_when_not_greater) {
  BOOST_TEST(!raised_progress_deadline(std::nullopt, 300));
  BOOST_TEST(*raised_progress_deadline(std::nullopt, 600) == 1200);
  BOOST_TEST(*raised_progress_deadline(200, 300) == 900);
  BOOST_TEST(!raised_progress_deadline(900, 700));
  BOOST_CHECK_THROW(raised_progress_deadline(std::nullopt, 2147483600), rule_error);
}
