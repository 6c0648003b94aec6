#define BOOST_TEST_MODULE controller_model
// A second implementation of the controllers, for the planner to be held to: small, slow and
// plainly written from upstream (pkg/controller/deployment/rolling.go, .../statefulset/
// stateful_set_control.go, .../daemon/update.go; docs/design/controllers.md), ticking second by
// second with every pod explicit, where kube/simulation jumps from event to event with counts.
// Over a grid of replicas, fields, minReadySeconds, startup, policies, partitions and the feature
// gate, both must give the same steps, duration, peak and fewest available pods.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include "kube/rules.h"
#include "kube/simulation.h"

using namespace rollout_pace;

namespace {

struct outcome {
  std::size_t steps = 0;  // distinct moments at which new pods were created
  std::int64_t duration = 0, peak = 0, min_available = 0;
};

// rolling.go, one second at a time: every sync at a moment runs reconcileNewReplicaSet
// (NewRSNewReplicas) then reconcileOldReplicaSets (the maxScaledDown gate, then
// scaleDownOldReplicaSetsForRollingUpdate down to replicas - maxUnavailable); a new pod is available
// wait seconds after it was created, and never in the moment that created it.
outcome deployment_model(std::int64_t replicas, std::int64_t surge, std::int64_t unavailable, std::int64_t wait) {
  outcome o{0, 0, replicas, replicas};
  std::int64_t old_pods = replicas;
  std::vector<std::int64_t> created;  // one entry per new pod
  std::set<std::int64_t> moments;
  unavailable = std::min(unavailable, replicas);  // MaxUnavailable
  const std::int64_t min_available = replicas - unavailable;
  for (std::int64_t t = 0; t < 100000; ++t) {
    auto available_new = [&] {
      return static_cast<std::int64_t>(
          std::count_if(created.begin(), created.end(), [&](std::int64_t c) { return c + wait <= t && c < t; }));
    };
    for (bool changed = true; changed;) {
      changed = false;
      std::int64_t total = old_pods + static_cast<std::int64_t>(created.size());
      if (static_cast<std::int64_t>(created.size()) < replicas && total < replicas + surge) {
        std::int64_t up = std::min(replicas + surge - total, replicas - static_cast<std::int64_t>(created.size()));
        for (std::int64_t i = 0; i < up; ++i) created.push_back(t);
        moments.insert(t);
        changed = true;
      }
      o.peak = std::max(o.peak, old_pods + static_cast<std::int64_t>(created.size()));
      std::int64_t avail = old_pods + available_new();
      o.min_available = std::min(o.min_available, avail);
      std::int64_t unavailable_new = static_cast<std::int64_t>(created.size()) - available_new();
      std::int64_t max_scaled_down =
          old_pods + static_cast<std::int64_t>(created.size()) - min_available - unavailable_new;
      if (old_pods > 0 && max_scaled_down > 0 && avail > min_available) {
        old_pods -= std::min(old_pods, avail - min_available);
        o.min_available = std::min(o.min_available, old_pods + available_new());
        changed = true;
      }
    }
    if (old_pods == 0 && static_cast<std::int64_t>(created.size()) == replicas && available_new() == replicas) {
      o.duration = t;
      break;
    }
  }
  o.steps = moments.size();
  return o;
}

// stateful_set_control.go, one second and one sync at a time, pods by ordinal: OrderedReady walks
// ordinals up and creates the first missing pod, stopping at any pod not yet available; Parallel
// creates every missing pod; then, with every pod there (OrderedReady: available), the update deletes
// old pods at or above the partition, highest first: up to maxUnavailable minus the unavailable ones
// (gate on), or one, only when the pods above it are available (gate off).
outcome statefulset_model(std::int64_t replicas, std::int64_t k, bool gate, bool parallel, std::int64_t partition,
                          std::int64_t wait) {
  struct pod {
    bool present = true, updated = false;
    std::int64_t created = -1000000;
  };
  std::vector<pod> pods(static_cast<std::size_t>(replicas));
  outcome o{0, 0, replicas, replicas};
  std::set<std::int64_t> moments;
  auto done = [&] {
    for (std::int64_t i = std::max<std::int64_t>(0, partition); i < replicas; ++i)
      if (!pods[static_cast<std::size_t>(i)].updated) return false;
    return true;
  };
  for (std::int64_t t = 0; t < 100000; ++t) {
    auto available = [&](const pod& p) { return p.present && p.created + wait <= t && p.created < t; };
    for (bool changed = true; changed;) {
      changed = false;
      // Create missing pods (a recreated pod has the update revision).
      for (pod& p : pods) {
        if (p.present) {
          if (!parallel && !available(p)) break;
          continue;
        }
        p = pod{true, true, t};
        moments.insert(t);
        changed = true;
        if (!parallel) break;
      }
      std::int64_t avail = std::count_if(pods.begin(), pods.end(), available);
      o.min_available = std::min(o.min_available, avail);
      bool all_present = std::all_of(pods.begin(), pods.end(), [](const pod& p) { return p.present; });
      if (!all_present || (!parallel && avail < replicas)) continue;
      if (gate) {
        std::int64_t budget = k - (replicas - avail);
        for (std::int64_t i = replicas - 1; i >= std::max<std::int64_t>(0, partition) && budget > 0; --i) {
          pod& p = pods[static_cast<std::size_t>(i)];
          if (p.updated || !available(p)) continue;
          p.present = false, --budget, changed = true;
        }
      } else {
        for (std::int64_t i = replicas - 1; i >= std::max<std::int64_t>(0, partition); --i) {
          pod& p = pods[static_cast<std::size_t>(i)];
          if (!p.updated) {
            p.present = false, changed = true;
            break;
          }
          if (!available(p)) break;
        }
      }
      o.min_available =
          std::min(o.min_available, static_cast<std::int64_t>(std::count_if(pods.begin(), pods.end(), available)));
    }
    if (done() && std::all_of(pods.begin(), pods.end(), available)) {
      o.duration = t;
      break;
    }
  }
  o.steps = moments.size();
  return o;
}

outcome of(const rollout_plan& p) { return {p.steps.size(), p.min_duration_seconds, p.peak_pods, p.min_available}; }

}  // namespace

BOOST_AUTO_TEST_CASE(the_deployment_plan_agrees_with_the_model) {
  std::size_t cases = 0;
  for (std::int64_t replicas : {0, 1, 2, 3, 4, 5, 7, 10, 13, 25})
    for (const char* surge_text : {"0", "1", "2", "25%", "50%", "100%"})
      for (const char* unavailable_text : {"0", "1", "3", "25%", "50%", "100%"})
        for (std::int32_t min_ready : {0, 5})
          for (std::int64_t startup : {0, 1, 10}) {
            int_or_percent surge = parse_int_or_percent(surge_text),
                           unavailable = parse_int_or_percent(unavailable_text);
            if (validate_rolling_update_deployment(surge, unavailable)) continue;
            fenceposts f = resolve_fenceposts(surge, unavailable, replicas);
            std::int64_t wait = std::max<std::int64_t>(1, startup + min_ready);  // no wait: as the shortest
            outcome model = deployment_model(replicas, f.surge, f.unavailable, wait);
            outcome plan = of(simulate_rolling_update(replicas, surge, unavailable, min_ready, startup));
            BOOST_TEST_CONTEXT(replicas << " replicas, " << surge_text << "/" << unavailable_text << ", minReady "
                                        << min_ready << ", startup " << startup) {
              BOOST_TEST(plan.steps == model.steps);
              BOOST_TEST(plan.peak == model.peak);
              BOOST_TEST(plan.min_available == model.min_available);
              if (startup + min_ready > 0) BOOST_TEST(plan.duration == model.duration);
            }
            ++cases;
          }
  BOOST_TEST(cases > 2000u);
}

BOOST_AUTO_TEST_CASE(the_statefulset_plan_agrees_with_the_model) {
  std::size_t cases = 0;
  for (std::int64_t replicas : {1, 2, 3, 4, 5, 8})
    for (const char* unavailable_text : {"1", "2", "3", "50%", "100%"})
      for (bool gate : {true, false})
        for (bool parallel : {false, true})
          for (std::int64_t partition : {0, 1, 3, 8})
            for (std::int64_t wait : {1, 10, 40}) {
              std::int64_t k = statefulset_max_unavailable(parse_int_or_percent(unavailable_text), replicas);
              outcome model = statefulset_model(replicas, k, gate, parallel, partition, wait);
              outcome plan =
                  of(simulate_statefulset_update(statefulset_update{replicas, k, gate, parallel, partition, 0, wait}));
              BOOST_TEST_CONTEXT(replicas << " replicas, maxUnavailable " << unavailable_text
                                          << (gate ? "" : ", gate off") << (parallel ? ", Parallel" : ", OrderedReady")
                                          << ", partition " << partition << ", wait " << wait) {
                BOOST_TEST(plan.steps == model.steps);
                BOOST_TEST(plan.duration == model.duration);
                BOOST_TEST(plan.min_available == model.min_available);
              }
              ++cases;
            }
  BOOST_TEST(cases > 1000u);
}
