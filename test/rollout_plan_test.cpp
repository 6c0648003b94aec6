#define BOOST_TEST_MODULE rollout_plan
// The controller's rolling update, simulated; every figure below is worked out by hand in the
// comment beside it (a new pod is ready 10 s after it is created, the default --pod-startup).
#include "kube/canary.h"
#include "kube/simulation.h"

#include "kube/rules.h"

#include "base/duration.h"

#include <boost/test/unit_test.hpp>

#include <tuple>
#include <vector>

using namespace rollout_pace;

namespace {
const int_or_percent one{1, false}, zero{0, false}, p25{25, true}, p50{50, true}, p100{100, true};

struct expect {
  std::int64_t replicas, steps, seconds, peak, min_available;
};

void check(const int_or_percent& surge, const int_or_percent& unavailable, std::int32_t min_ready, const expect& e) {
  rollout_plan p = simulate_rolling_update(e.replicas, surge, unavailable, min_ready, 10);
  BOOST_TEST(static_cast<std::int64_t>(p.step_count()) == e.steps, "steps for " << e.replicas << " replicas");
  BOOST_TEST(p.min_duration_seconds == e.seconds, "seconds for " << e.replicas << " replicas");
  BOOST_TEST(p.peak_pods == e.peak, "peak for " << e.replicas << " replicas");
  BOOST_TEST(p.min_available == e.min_available, "min available for " << e.replicas << " replicas");
}
}  // namespace

// Paranoid: 1 pod at a time, none down; each waits 10 + 300 s before the next is created.
BOOST_AUTO_TEST_CASE(paranoid_replaces_one_pod_every_310_seconds) {
  check(one, zero, 300, {1, 1, 310, 2, 1});
  check(one, zero, 300, {2, 2, 620, 3, 2});
  check(one, zero, 300, {4, 4, 1240, 5, 4});
  check(one, zero, 300, {10, 10, 3100, 11, 10});  // 51 min 40 s
  check(one, zero, 300, {100, 100, 31000, 101, 100});
}

// Cautious: surge ceil(25%) pods, none down, 10 + 30 s per batch.
BOOST_AUTO_TEST_CASE(cautious_surges_a_quarter_every_40_seconds) {
  check(p25, zero, 30, {1, 1, 40, 2, 1});         // surge ceil(0.25) = 1
  check(p25, zero, 30, {2, 2, 80, 3, 2});         // surge 1
  check(p25, zero, 30, {4, 4, 160, 5, 4});        // surge 1
  check(p25, zero, 30, {10, 4, 160, 13, 10});     // surge 3: 3, 3, 3, 1
  check(p25, zero, 30, {100, 4, 160, 125, 100});  // surge 25
}

// Blitz: all new pods at once, half the old ones down at once, ready after 10 s.
BOOST_AUTO_TEST_CASE(blitz_replaces_everything_in_one_step) {
  check(p100, p50, 0, {1, 1, 10, 2, 1});  // unavailable floor(0.5) = 0: the old pod waits
  check(p100, p50, 0, {2, 1, 10, 4, 1});
  check(p100, p50, 0, {4, 1, 10, 8, 2});
  check(p100, p50, 0, {10, 1, 10, 20, 5});
  check(p100, p50, 0, {100, 1, 10, 200, 50});
}

// Custom with maxSurge 0: an old pod goes down before each new one is created.
BOOST_AUTO_TEST_CASE(no_surge_takes_a_pod_down_first) {
  check(zero, one, 0, {1, 1, 10, 1, 0});  // downtime: the only pod goes first
  check(zero, one, 0, {4, 4, 40, 4, 3});
  check(zero, int_or_percent{10, true}, 0, {4, 4, 40, 4, 3});  // both resolve to 0: the controller takes 1
  check(zero, p50, 5, {4, 2, 30, 4, 2});                       // 2 down, 2 new, 15 s; twice
}

BOOST_AUTO_TEST_CASE(steps_say_when_each_batch_is_created_and_available) {
  rollout_plan p = simulate_rolling_update(10, p25, zero, 30, 10);
  BOOST_TEST_REQUIRE(p.step_count() == 4u);
  BOOST_TEST(p.steps[0].created == 0);
  BOOST_TEST(p.steps[0].pods == 3);
  BOOST_TEST(p.steps[3].created == 120);
  BOOST_TEST(p.steps[3].available == 160);
  BOOST_TEST(p.steps[3].pods == 1);
  BOOST_TEST(p.pods.surge == 3);
  BOOST_TEST(p.pods.unavailable == 0);
}

BOOST_AUTO_TEST_CASE(pods_that_are_available_at_once_finish_at_once) {
  rollout_plan p = simulate_rolling_update(4, one, zero, 0, 0);
  BOOST_TEST(p.min_duration_seconds == 0);
  BOOST_TEST(p.peak_pods == 5);
  BOOST_TEST(p.min_available == 4);
}

// Every batch of a plan, each run counted out.
std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> counted_out(const rollout_plan& p) {
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> out;
  for (const rollout_step& s : p.steps)
    for (std::int64_t i = 0; i < s.count; ++i)
      out.emplace_back(s.created + i * s.every, s.available + i * s.every, s.pods);
  return out;
}

BOOST_AUTO_TEST_CASE(a_run_of_alike_rounds_is_exactly_the_rounds_one_by_one) {
  std::size_t compressed = 0;
  for (std::int64_t replicas : {7, 40, 97, 1000, 4099})
    for (const char* s : {"1", "2", "3", "7", "10%", "25%"})
      for (const char* u : {"0", "1", "2", "5%"})
        for (std::int32_t min_ready : {0, 3, 30})
          for (std::int64_t startup : {0, 1, 10}) {
            int_or_percent surge = parse_int_or_percent(s), unavailable = parse_int_or_percent(u);
            if (validate_rolling_update_deployment(surge, unavailable)) continue;
            BOOST_TEST_CONTEXT(replicas << " replicas, maxSurge " << s << ", maxUnavailable " << u << ", " << min_ready
                                        << " s, startup " << startup) {
              rollout_plan exact = simulate_rolling_update(replicas, surge, unavailable, min_ready, startup, 1 << 30);
              rollout_plan runs = simulate_rolling_update(replicas, surge, unavailable, min_ready, startup, 2);
              if (runs.steps.size() < exact.steps.size()) ++compressed;
              BOOST_TEST(counted_out(runs) == counted_out(exact));
              BOOST_TEST(runs.min_duration_seconds == exact.min_duration_seconds);
              BOOST_TEST(runs.peak_pods == exact.peak_pods);
              BOOST_TEST(runs.min_available == exact.min_available);
              // The seconds spent at or below a level (a budget's desiredHealthy): the skipped rounds
              // count as the rounds one by one.
              for (std::int64_t k : {exact.min_available, (exact.min_available + replicas) / 2, replicas - 1})
                BOOST_TEST(simulate_rolling_update(replicas, surge, unavailable, min_ready, startup, 2, k)
                                   .seconds_at_or_below ==
                               simulate_rolling_update(replicas, surge, unavailable, min_ready, startup, 1 << 30, k)
                                   .seconds_at_or_below,
                           "at or below " << k);
            }
          }
  BOOST_TEST(compressed > 500u);  // the runs were taken, not only the exact path
}

BOOST_AUTO_TEST_CASE(every_count_the_api_takes_is_planned) {
  const std::int64_t most = 2147483647;  // int32
  rollout_plan p = simulate_rolling_update(most, one, zero, 300, 10);
  BOOST_TEST(p.step_count() == most);
  BOOST_TEST(p.min_duration_seconds == 310 * most);
  BOOST_TEST(p.peak_pods == most + 1);
  BOOST_TEST(p.min_available == most);
  BOOST_TEST(p.steps.size() < 1010u);  // the first 1000 one by one, then runs
  rollout_plan thousand = simulate_rolling_update(most, parse_int_or_percent("1000"), zero, 30, 10);
  BOOST_TEST(thousand.step_count() == (most + 999) / 1000);
  BOOST_TEST(thousand.min_duration_seconds == 40 * ((most + 999) / 1000));
  rollout_plan cautious = simulate_rolling_update(most, parse_int_or_percent("25%"), zero, 30, 10);
  BOOST_TEST(cautious.step_count() == 4);
  fenceposts node{0, 1, false};
  rollout_plan nodes = simulate_daemonset_update(most, node, 300, 10);
  BOOST_TEST(nodes.step_count() == most);
  BOOST_TEST(nodes.min_duration_seconds == 310 * most);
  statefulset_update sts;
  sts.replicas = most;
  sts.min_ready_seconds = 30;
  rollout_plan ordered = simulate_statefulset_update(sts);
  BOOST_TEST(ordered.step_count() == most);
  BOOST_TEST(ordered.min_duration_seconds == 40 * most);
}

// CalculateReplicaCountsForTrafficRoutedCanary: the canary scales at once to ceil(replicas * weight /
// 100), the stable ReplicaSet keeps every pod (or, with dynamicStableScale, gives them up as the
// canary's become available), and maxSurge and maxUnavailable do not apply.
BOOST_AUTO_TEST_CASE(a_traffic_routed_canary_scales_by_weight_and_keeps_the_stable_pods) {
  canary_update u;
  u.replicas = 10;
  u.max_surge = one;  // ignored with traffic routing
  u.max_unavailable = zero;
  u.min_ready_seconds = 0;
  u.pod_startup_seconds = 10;
  u.steps = {{canary_step::what::set_weight, 20}, {canary_step::what::pause, 60}, {canary_step::what::set_weight, 50}};
  u.traffic_routed = true;
  bool waits = false;
  rollout_plan p = simulate_canary_update(u, waits);
  BOOST_TEST(!waits);
  BOOST_TEST_REQUIRE(p.step_count() == 3);
  BOOST_TEST(p.steps[0].pods == 2);  // ceil(10 * 20 / 100)
  BOOST_TEST(p.steps[1].created == 70);
  BOOST_TEST(p.steps[1].pods == 3);  // to 5
  BOOST_TEST(p.steps[2].pods == 5);  // to all 10 after the last step
  BOOST_TEST(p.min_duration_seconds == 90);
  BOOST_TEST(p.peak_pods == 20);
  BOOST_TEST(p.min_available == 10);
  BOOST_TEST(p.note.find("traffic routing") == 0u);
  u.dynamic_stable_scale = true;
  rollout_plan dynamic = simulate_canary_update(u, waits);
  BOOST_TEST(dynamic.peak_pods == 15);  // 5 stable beside the 10 canary pods at the end
  BOOST_TEST(dynamic.min_duration_seconds == 90);
  u.steps.push_back({canary_step::what::pause_until_promoted, 0});
  simulate_canary_update(u, waits);
  BOOST_TEST(waits);
}

BOOST_AUTO_TEST_CASE(zero_replicas_is_no_rollout_and_counts_past_int32_are_refused) {
  rollout_plan p = simulate_rolling_update(0, one, zero, 300, 10);
  BOOST_TEST(p.steps.empty());
  BOOST_TEST(p.min_duration_seconds == 0);
  BOOST_CHECK_THROW(simulate_rolling_update(2147483648, one, zero, 0, 10), std::invalid_argument);
  canary_update big;
  big.replicas = 2147483648;
  big.max_surge = one;
  big.max_unavailable = zero;
  bool waits = false;
  BOOST_CHECK_THROW(simulate_canary_update(big, waits), std::invalid_argument);
}

// The basic canary's steady state skipped in one move is exactly the periods one by one: weights
// that rise, fall back and pause, every fencepost kind, with and without a wait.
BOOST_AUTO_TEST_CASE(a_canary_run_of_alike_periods_is_exactly_the_periods_one_by_one) {
  using what = canary_step::what;
  const std::vector<std::vector<canary_step>> step_lists{
      {},
      {{what::set_weight, 20}, {what::pause, 60}, {what::set_weight, 50}},
      {{what::set_weight, 80}, {what::set_weight, 10}, {what::pause, 5}, {what::set_weight, 60}},
      {{what::set_weight, 100}, {what::set_weight, 0}, {what::set_weight, 100}},
      {{what::set_weight, 33}, {what::pause_until_promoted, 0}},
      {{what::pause, 10}, {what::set_weight, 1}, {what::set_weight, 99}},
  };
  std::size_t compressed = 0, cases = 0;
  for (std::int64_t replicas : {1, 7, 40, 97, 400, 1003})
    for (const char* s : {"0", "1", "3", "10%", "25%", "100%"})
      for (const char* u : {"0", "1", "2", "5%", "50%"})
        for (std::int64_t startup : {0, 10})
          for (std::size_t l = 0; l < step_lists.size(); ++l) {
            int_or_percent surge = parse_int_or_percent(s), unavailable = parse_int_or_percent(u);
            if (validate_canary_rollout(surge, unavailable)) continue;
            BOOST_TEST_CONTEXT(replicas << " replicas, maxSurge " << s << ", maxUnavailable " << u << ", startup "
                                        << startup << ", steps #" << l) {
              canary_update c{replicas, surge, unavailable, 30, startup, step_lists[l]};
              bool exact_waits = false, runs_waits = false;
              rollout_plan exact = simulate_canary_update(c, exact_waits, std::int64_t{1} << 40);
              rollout_plan runs = simulate_canary_update(c, runs_waits, 2);
              if (runs.steps.size() < exact.steps.size()) ++compressed;
              BOOST_TEST(counted_out(runs) == counted_out(exact));
              BOOST_TEST(runs.min_duration_seconds == exact.min_duration_seconds);
              BOOST_TEST(runs.peak_pods == exact.peak_pods);
              BOOST_TEST(runs.min_available == exact.min_available);
              BOOST_TEST(runs_waits == exact_waits);
              for (std::int64_t k : {exact.min_available, (exact.min_available + replicas) / 2, replicas - 1}) {
                canary_update watching = c;
                watching.watch_available = k;
                BOOST_TEST(simulate_canary_update(watching, runs_waits, 2).seconds_at_or_below ==
                               simulate_canary_update(watching, exact_waits, std::int64_t{1} << 40).seconds_at_or_below,
                           "at or below " << k);
              }
              ++cases;
            }
          }
  BOOST_TEST(cases > 1000u);
  BOOST_TEST(compressed > 300u);  // the runs were taken, not only the exact path
}

// Any count the API takes, in a few thousand steps at most: Paranoid (one pod at a time, every pod
// replaced one wait after the other), and weights that swing the whole count back and forth.
BOOST_AUTO_TEST_CASE(every_canary_count_the_api_takes_is_planned) {
  using what = canary_step::what;
  const std::int64_t most = 2147483647;
  bool waits = false;
  canary_update paranoid{most, one, zero, 300, 10, {}};
  rollout_plan p = simulate_canary_update(paranoid, waits);
  BOOST_TEST(p.step_count() == most);
  BOOST_TEST(p.min_duration_seconds == 310 * most);
  BOOST_TEST(p.peak_pods == most + 1);
  BOOST_TEST(p.min_available == most);
  BOOST_TEST(p.steps.size() < 1100u);
  canary_update swings{most, one, zero, 0, 10, {}};
  for (int i = 0; i < 50; ++i) {
    swings.steps.push_back({what::set_weight, 100});
    swings.steps.push_back({what::set_weight, 0});
  }
  rollout_plan s = simulate_canary_update(swings, waits);
  BOOST_TEST(s.peak_pods == most + 1);
  BOOST_TEST(s.min_available == most);
  BOOST_TEST(s.steps.size() < 200000u);
}

BOOST_AUTO_TEST_CASE(durations_read_like_a_person_says_them) {
  BOOST_TEST(human_duration(3100) == "51 min 40 s");
  BOOST_TEST(human_duration(10) == "10 s");
  BOOST_TEST(human_duration(0) == "0 s");
  BOOST_TEST(human_duration(7500) == "2 h 5 min");
  BOOST_TEST(human_duration(3600) == "1 h");
}

// unavailable_pods is clamped to replicas, as MaxUnavailable does (and 0 for no replicas).
BOOST_AUTO_TEST_CASE(the_pods_down_at_once_are_never_more_than_replicas) {
  const int_or_percent ten{10, false}, zero{0, false};
  BOOST_TEST(simulate_rolling_update(3, zero, ten, 0, 10).pods.unavailable == 3);
  BOOST_TEST(simulate_rolling_update(0, zero, ten, 0, 10).pods.unavailable == 0);
  BOOST_TEST(simulate_daemonset_update(2, fenceposts{0, 5, false}, 0, 10).pods.unavailable == 2);
  BOOST_TEST(simulate_statefulset_update(statefulset_update{2, 5, true, true, 0, 0, 10}).pods.unavailable == 2);
}

// With no wait at all, pods still become available a sync after the one that created them: the
// plan is the one for the shortest wait, in no time. Nothing jumps between --pod-startup 0 and 1.
BOOST_AUTO_TEST_CASE(no_wait_moves_as_the_shortest_wait_does) {
  for (std::int64_t replicas = 1; replicas <= 30; ++replicas)
    for (std::int32_t s = 0; s <= 4; ++s)
      for (std::int32_t u = 0; u <= 4; ++u)
        for (bool percent : {false, true}) {
          if (s == 0 && u == 0) continue;
          int_or_percent surge{percent ? 25 * s : s, percent}, unavailable{percent ? 25 * u : u, percent};
          rollout_plan none = simulate_rolling_update(replicas, surge, unavailable, 0, 0);
          rollout_plan one = simulate_rolling_update(replicas, surge, unavailable, 0, 1);
          BOOST_TEST_CONTEXT(replicas << " replicas, " << surge.text() << "/" << unavailable.text()) {
            BOOST_TEST(none.step_count() == one.step_count());
            BOOST_TEST(none.peak_pods == one.peak_pods);
            BOOST_TEST(none.min_available == one.min_available);
            BOOST_TEST(none.min_duration_seconds == 0);
          }
        }
}

// A StatefulSet follows its controller: OrderedReady recreates one pod at a time whatever
// maxUnavailable says (it only takes more down at once); Parallel replaces a window at once; with
// the feature gate off, one at a time; only ordinals at or above the partition are replaced.
BOOST_AUTO_TEST_CASE(a_statefulset_follows_its_policy_partition_and_gate) {
  auto plan = [](std::int64_t replicas, std::int64_t k, bool gate, bool parallel, std::int64_t partition) {
    return simulate_statefulset_update(statefulset_update{replicas, k, gate, parallel, partition, 30, 10});
  };
  rollout_plan ordered = plan(6, 3, true, false, 0);
  BOOST_TEST(ordered.step_count() == 6);  // one at a time
  BOOST_TEST(ordered.min_duration_seconds == 6 * 40);
  BOOST_TEST(ordered.min_available == 3);  // but three go at once
  rollout_plan parallel = plan(6, 3, true, true, 0);
  BOOST_TEST(parallel.step_count() == 2);
  BOOST_TEST(parallel.min_duration_seconds == 2 * 40);
  BOOST_TEST(parallel.min_available == 3);
  rollout_plan gate_off = plan(6, 3, false, true, 0);
  BOOST_TEST(gate_off.step_count() == 6);
  BOOST_TEST(gate_off.min_available == 5);
  rollout_plan partitioned = plan(6, 1, true, false, 4);
  BOOST_TEST(partitioned.step_count() == 2);  // ordinals 4 and 5
  BOOST_TEST(plan(6, 1, true, false, 6).steps.empty());
  BOOST_TEST(plan(6, 1, true, false, 9).steps.empty());
  BOOST_TEST(plan(6, 1, true, false, 9).min_available == 6);
}

// An Argo canary follows argo-rollouts, not the Deployment controller: its ReplicaSet starts at 0,
// the stable one goes down by maxUnavailable first (reconcileCanaryReplicaSets scales the stable
// ReplicaSet and returns), then the canary gets maxSurge + maxUnavailable pods.
BOOST_AUTO_TEST_CASE(an_argo_canary_scales_the_stable_replicaset_down_first) {
  bool waits = false;
  canary_update blitz{4, int_or_percent{100, true}, int_or_percent{50, true}, 0, 10, {}};
  rollout_plan canary = simulate_canary_update(blitz, waits);
  rollout_plan deployment = simulate_rolling_update(4, int_or_percent{100, true}, int_or_percent{50, true}, 0, 10);
  BOOST_TEST(canary.peak_pods == 6);  // 2 stable + 4 canary: the stable ReplicaSet went down first
  BOOST_TEST(deployment.peak_pods == 8);
  BOOST_TEST(canary.min_available == 2);
  BOOST_TEST(canary.min_duration_seconds == 10);
  BOOST_TEST(!waits);
  // With no pod down allowed, the canary surges and the stable one follows as canary pods are ready.
  canary_update cautious{4, int_or_percent{25, true}, int_or_percent{0, false}, 30, 10, {}};
  rollout_plan c = simulate_canary_update(cautious, waits);
  BOOST_TEST(c.min_available == 4);
  BOOST_TEST(c.peak_pods == 5);
  BOOST_TEST(c.steps.size() == 4u);
  BOOST_TEST(c.min_duration_seconds == 4 * 40);
}

// Steps: setWeight moves the counts to the nearest weight, a pause waits its time, a pause with no
// duration ends the plan there (a person promotes it).
BOOST_AUTO_TEST_CASE(an_argo_canary_follows_its_steps) {
  using step = canary_step;
  bool waits = false;
  canary_update u{4,
                  int_or_percent{25, true},
                  int_or_percent{0, false},
                  0,
                  10,
                  {{step::what::set_weight, 25}, {step::what::pause, 60}}};
  rollout_plan timed = simulate_canary_update(u, waits);
  BOOST_TEST(!waits);
  // 1 canary pod (25% of 4) in 10 s, 60 s of pause, then the other 3 one at a time: 10 + 60 + 30.
  BOOST_TEST(timed.min_duration_seconds == 100);
  u.steps = {{step::what::set_weight, 50}, {step::what::pause_until_promoted, 0}};
  rollout_plan gated = simulate_canary_update(u, waits);
  BOOST_TEST(waits);
  BOOST_TEST(gated.min_duration_seconds == 20);  // 2 canary pods (50%), one at a time, then it waits
  std::int64_t canary_pods = 0;
  for (const rollout_step& s : gated.steps) canary_pods += s.pods;
  BOOST_TEST(canary_pods == 2);
}
