#define BOOST_TEST_MODULE controller_model
// A second implementation of the controllers, for the planner to be held to: small, slow and
// plainly written from upstream (pkg/controller/deployment/rolling.go, .../statefulset/
// stateful_set_control.go, .../daemon/update.go, argo-rollouts' rollout/canary.go and
// utils/replicaset/canary.go; docs/design/controllers.md), ticking second by second with every pod
// explicit, where kube/simulation jumps from event to event with counts. Over a grid of replicas,
// fields, minReadySeconds, startup, policies, partitions, the feature gate and canary steps, both
// must give the same steps, duration, peak and fewest available pods.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "kube/canary.h"
#include "kube/rules.h"
#include "kube/simulation.h"

using namespace rollout_pace;

namespace {

struct outcome {
  std::size_t steps = 0;  // distinct moments at which new pods were created
  std::int64_t duration = 0, peak = 0, min_available = 0;
  std::map<std::int64_t, std::int64_t> seconds_at;  // the model's seconds at each number of available pods
};

// The model's seconds with at most k pods available.
std::int64_t seconds_at_or_below(const outcome& o, std::int64_t k) {
  std::int64_t n = 0;
  for (const auto& [level, seconds] : o.seconds_at)
    if (level <= k) n += seconds;
  return n;
}

// rolling.go, one second at a time: every sync at a moment runs reconcileNewReplicaSet
// (NewRSNewReplicas) then reconcileOldReplicaSets (the maxScaledDown gate, then
// scaleDownOldReplicaSetsForRollingUpdate down to replicas - maxUnavailable); a new pod is available
// wait seconds after it was created, and never in the moment that created it.
outcome deployment_model(std::int64_t replicas, std::int64_t surge, std::int64_t unavailable, std::int64_t wait) {
  outcome o{0, 0, replicas, replicas, {}};
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
    ++o.seconds_at[old_pods + available_new()];  // until the next second
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
  outcome o{0, 0, replicas, replicas, {}};
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
    ++o.seconds_at[std::count_if(pods.begin(), pods.end(), available)];
  }
  o.steps = moments.size();
  return o;
}

// daemon/update.go rollingUpdate, one second at a time, one pod per node: with maxSurge a new pod
// starts beside the old one on up to maxSurge nodes at once and the old one goes once the new one is
// available; without, the old pods of up to maxUnavailable nodes go and new ones start at once.
outcome daemonset_model(std::int64_t nodes, std::int64_t surge, std::int64_t unavailable, std::int64_t wait) {
  struct node {
    bool old_pod = true;
    std::int64_t created = -1;  // the new pod's creation, -1: none yet
  };
  std::vector<node> all(static_cast<std::size_t>(nodes));
  outcome o{0, 0, nodes, nodes, {}};
  std::set<std::int64_t> moments;
  for (std::int64_t t = 0; t < 100000; ++t) {
    auto ready = [&](const node& n) { return n.created >= 0 && n.created + wait <= t && n.created < t; };
    for (node& n : all)
      if (n.old_pod && ready(n) && surge > 0) n.old_pod = false;  // the new one is available: the old goes
    std::int64_t in_flight =
        std::count_if(all.begin(), all.end(), [&](const node& n) { return n.created >= 0 && !ready(n); });
    for (node& n : all) {
      if (n.created >= 0 || in_flight >= (surge > 0 ? surge : unavailable)) continue;
      if (surge == 0) n.old_pod = false;
      n.created = t, ++in_flight;
      moments.insert(t);
    }
    std::int64_t pods = 0, avail = 0;
    for (const node& n : all) {
      pods += (n.old_pod ? 1 : 0) + (n.created >= 0 ? 1 : 0);
      avail += n.old_pod || ready(n) ? 1 : 0;
    }
    o.peak = std::max(o.peak, pods);
    o.min_available = std::min(o.min_available, avail);
    if (std::all_of(all.begin(), all.end(), [&](const node& n) { return ready(n) && !n.old_pod; })) {
      o.duration = t;
      break;
    }
    ++o.seconds_at[avail];
  }
  o.steps = moments.size();
  return o;
}

// argo-rollouts, one second at a time, the canary's pods explicit: each reconcile works out the
// counts as CalculateReplicaCountsForBasicCanary does (in floating point, as the Go code does), scales
// the stable ReplicaSet if it must and stops there, else the canary; a step completes when nothing
// scaled and its condition holds. Returns the outcome; waits: it stopped at a pause with no duration.
outcome canary_model(std::int64_t R, std::int64_t S, std::int64_t U, std::int64_t wait,
                     const std::vector<canary_step>& steps, bool& waits) {
  outcome o{0, 0, R, R, {}};
  waits = false;
  std::int64_t stable = R, step = 0, pause_end = -1;
  std::vector<std::int64_t> pods;
  std::set<std::int64_t> moments;
  auto nearest = [&](std::int64_t W) -> std::pair<std::int64_t, std::int64_t> {  // canary, stable
    double best = 1e9;
    std::pair<std::int64_t, std::int64_t> out{0, R};
    bool zero_ok = W == 100 || W == 0 || (R == 1 && S == 0);
    auto consider = [&](std::int64_t c, std::int64_t total) {
      double d = std::abs(static_cast<double>(c * 100) / static_cast<double>(total) - static_cast<double>(W));
      if (d < best) best = d, out = {c, total - c};
    };
    auto c_ceil = static_cast<std::int64_t>(std::ceil(static_cast<double>(R * W) / 100));
    auto c_floor = static_cast<std::int64_t>(std::floor(static_cast<double>(R * W) / 100));
    auto tie = [&](std::int64_t total) {
      return std::fmod(static_cast<double>(total) * (static_cast<double>(W) / 100), 1.0) == 0.5;
    };
    if (c_ceil < R || zero_ok) consider(c_ceil, R);
    if (!tie(R) && (c_floor != 0 || zero_ok)) consider(c_floor, R);
    if (S > 0) {
      consider(c_ceil, R + 1);
      if (!tie(R + 1) && (c_floor != 0 || zero_ok)) consider(c_floor, R + 1);
    }
    return out;
  };
  for (std::int64_t t = 0; t < 100000 && !waits; ++t) {
    auto ready = [&] {
      return static_cast<std::int64_t>(
          std::count_if(pods.begin(), pods.end(), [&](std::int64_t c) { return c + wait <= t && c < t; }));
    };
    for (bool changed = true; changed && !waits;) {
      changed = false;
      std::int64_t W = 100;
      if (step < static_cast<std::int64_t>(steps.size())) {
        W = 0;
        for (std::int64_t i = step; i >= 0; --i)
          if (steps[static_cast<std::size_t>(i)].kind == canary_step::what::set_weight) {
            W = steps[static_cast<std::size_t>(i)].value;
            break;
          }
      }
      auto [dc, ds] = nearest(W);
      std::int64_t c = static_cast<std::int64_t>(pods.size()), ca = ready(), nc = c, ns = stable;
      std::int64_t room = R + S - c - stable;
      if (stable < ds && room > 0) ns = std::min(ds, stable + room), room -= ns - stable;
      if (c < dc && room > 0) nc = std::min(dc, c + room);
      bool inc = dc >= c;
      // GetReplicasForScaleDown: the canary's available pods while it grows; the stable one's pods are
      // all available, so its spec either way.
      std::int64_t down = (c < ca || !inc ? c : ca) + stable;
      std::int64_t min_avail = R - U;
      if (down > min_avail) {
        std::int64_t k = down - min_avail;
        auto limit = [&](std::int64_t drain_av, std::int64_t adj_av, std::int64_t& drain, std::int64_t& adj) {
          std::int64_t over = std::max<std::int64_t>(0, adj + drain - R - S), total = std::min(drain_av, drain);
          adj -= over;
          total += std::min(adj_av, adj);
          adj += std::min(std::max<std::int64_t>(0, adj_av - adj), std::max<std::int64_t>(0, min_avail - total));
          drain -= std::max<std::int64_t>(0, adj + drain - R - S);
        };
        if (!inc) {
          if (c > dc) nc = std::max(dc, c - k);
          limit(ca, stable, nc, ns);
        } else {
          if (stable > ds) ns = std::max(ds, stable - k);
          limit(stable, ca, ns, nc);
        }
      }
      if (ns != stable) {
        stable = ns, changed = true;
      } else if (nc != c) {
        if (nc > c)
          pods.insert(pods.end(), static_cast<std::size_t>(nc - c), t), moments.insert(t);
        else
          pods.resize(static_cast<std::size_t>(nc));
        changed = true;
      } else if (step < static_cast<std::int64_t>(steps.size())) {
        const canary_step& s = steps[static_cast<std::size_t>(step)];
        if (s.kind == canary_step::what::set_weight && c == dc && ca == dc && stable == ds) ++step, changed = true;
        if (s.kind == canary_step::what::pause) {
          if (pause_end < 0) pause_end = t + s.value;
          if (t >= pause_end) ++step, pause_end = -1, changed = true;
        }
        if (s.kind == canary_step::what::pause_until_promoted) waits = true;
      }
      o.peak = std::max(o.peak, stable + static_cast<std::int64_t>(pods.size()));
      o.min_available = std::min(o.min_available, stable + ready());
    }
    o.duration = t;
    if (waits) break;
    if (step >= static_cast<std::int64_t>(steps.size()) && stable == 0 && ready() == R &&
        static_cast<std::int64_t>(pods.size()) == R)
      break;
    ++o.seconds_at[stable + ready()];
  }
  o.steps = moments.size();
  return o;
}

// A traffic-routed canary (CalculateReplicaCountsForTrafficRoutedCanary), one second at a time, every
// pod explicit: the canary is scaled to its count for the current step (100% after the last): the last
// setCanaryScale up to it, unless matchTrafficWeight (its replicas, or its weight), else the last
// setWeight; a weight rounds up, and a count that is not 0 is at least minPodsPerReplicaSet. A
// setWeight or setCanaryScale step completes when that many canary pods are available, and only then
// does the router move the weight (setWeight), so that with dynamicStableScale the stable ReplicaSet
// shrinks to the rest of the router's weight (at least minPodsPerReplicaSet); without it the stable
// ReplicaSet keeps every pod. maxSurge and maxUnavailable play no part.
outcome traffic_model(std::int64_t R, std::int64_t wait, const std::vector<canary_step>& steps, bool dynamic,
                      bool& waits, std::int64_t min_pods = 0) {
  using what = canary_step::what;
  outcome o{0, 0, R, R, {}};
  std::int64_t stable = R, step = 0, pause_end = -1;
  std::vector<std::int64_t> pods;
  std::set<std::int64_t> moments;
  waits = false;
  auto at_least = [&](std::int64_t n) { return n == 0 ? 0 : std::max(n, min_pods); };
  auto last_weight = [&] {
    if (step >= static_cast<std::int64_t>(steps.size())) return std::int64_t{100};
    for (std::int64_t i = step; i >= 0; --i)
      if (steps[static_cast<std::size_t>(i)].kind == what::set_weight) return steps[static_cast<std::size_t>(i)].value;
    return std::int64_t{0};
  };
  auto canary_want = [&] {
    if (step >= static_cast<std::int64_t>(steps.size())) return R;
    for (std::int64_t i = step; i >= 0; --i) {
      const canary_step& s = steps[static_cast<std::size_t>(i)];
      if (s.kind == what::scale_match) break;
      if (s.kind == what::scale_replicas) return s.value;
      if (s.kind == what::scale_weight) return at_least((R * s.value + 99) / 100);
    }
    return at_least((R * last_weight() + 99) / 100);
  };
  for (std::int64_t t = 0; t < 100000 && R > 0; ++t) {
    auto ready = [&] {
      return static_cast<std::int64_t>(
          std::count_if(pods.begin(), pods.end(), [&](std::int64_t c) { return c + wait <= t && c < t; }));
    };
    for (bool changed = true; changed && !waits;) {
      changed = false;
      std::int64_t want = canary_want(), have = static_cast<std::int64_t>(pods.size());
      std::int64_t rest = at_least(std::max<std::int64_t>(0, R - at_least((R * last_weight() + 99) / 100)));
      if (have < want) {
        pods.insert(pods.end(), static_cast<std::size_t>(want - have), t), moments.insert(t), changed = true;
      } else if (have > want && dynamic && stable < rest) {
        stable = rest, changed = true;  // a lower weight: the stable ReplicaSet first, as Argo scales it
      } else if (have > want) {
        pods.resize(static_cast<std::size_t>(want)), changed = true;
      } else if (step < static_cast<std::int64_t>(steps.size())) {
        const canary_step& s = steps[static_cast<std::size_t>(step)];
        bool scales = s.kind == what::set_weight || s.kind == what::scale_replicas || s.kind == what::scale_weight ||
                      s.kind == what::scale_match;
        if (scales && ready() == want) {
          ++step, changed = true;
          if (dynamic) stable = rest;  // the router moved the weight: the stable ReplicaSet gives up the rest
        }
        if (s.kind == what::pause) {
          if (pause_end < 0) pause_end = t + s.value;
          if (t >= pause_end) ++step, pause_end = -1, changed = true;
        }
        if (s.kind == what::pause_until_promoted) waits = true;
      }
      o.peak = std::max(o.peak, stable + static_cast<std::int64_t>(pods.size()));
      o.min_available = std::min(o.min_available, stable + ready());
    }
    o.duration = t;
    if (waits) break;
    if (step >= static_cast<std::int64_t>(steps.size()) && static_cast<std::int64_t>(pods.size()) == R && ready() == R)
      break;
    ++o.seconds_at[stable + ready()];
  }
  o.steps = moments.size();
  return o;
}

outcome of(const rollout_plan& p) {
  return {static_cast<std::size_t>(p.step_count()), p.min_duration_seconds, p.peak_pods, p.min_available, {}};
}

// The seconds the plan counts at or below each level from the fewest available pods up to all but
// one are the model's (a PodDisruptionBudget's desiredHealthy is such a level).
void expect_same_seconds_at_or_below(const std::function<rollout_plan(std::int64_t)>& plan_watching,
                                     const outcome& model, std::int64_t replicas) {
  for (std::int64_t k = model.min_available; k < replicas; ++k)
    BOOST_TEST(plan_watching(k).seconds_at_or_below == seconds_at_or_below(model, k), "at or below " << k);
}

// The planner's outcome is the model's: steps, duration, peak and fewest available pods.
void expect_agree(const outcome& plan, const outcome& model) {
  BOOST_TEST(plan.steps == model.steps);
  BOOST_TEST(plan.duration == model.duration);
  BOOST_TEST(plan.peak == model.peak);
  BOOST_TEST(plan.min_available == model.min_available);
}

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
              if (startup + min_ready > 0) {
                BOOST_TEST(plan.duration == model.duration);
                expect_same_seconds_at_or_below(
                    [&](std::int64_t k) {
                      return simulate_rolling_update(replicas, surge, unavailable, min_ready, startup, 1000, k);
                    },
                    model, replicas);
              }
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
                expect_same_seconds_at_or_below(
                    [&](std::int64_t w) {
                      return simulate_statefulset_update(
                          statefulset_update{replicas, k, gate, parallel, partition, 0, wait, w});
                    },
                    model, replicas);
              }
              ++cases;
            }
  BOOST_TEST(cases > 1000u);
}

BOOST_AUTO_TEST_CASE(the_daemonset_plan_agrees_with_the_model) {
  std::size_t cases = 0;
  for (std::int64_t nodes : {1, 2, 3, 5, 8, 13})
    for (const char* surge_text : {"0", "1", "2", "25%", "100%"})
      for (const char* unavailable_text : {"0", "1", "3", "50%"})
        for (std::int64_t wait : {1, 10, 40}) {
          int_or_percent surge = parse_int_or_percent(surge_text), unavailable = parse_int_or_percent(unavailable_text);
          if (validate_rolling_update_daemonset(surge, unavailable)) continue;
          fenceposts f = daemonset_fenceposts(surge, unavailable, nodes);
          outcome model = daemonset_model(nodes, f.surge, f.unavailable, wait);
          outcome plan = of(simulate_daemonset_update(nodes, f, 0, wait));
          BOOST_TEST_CONTEXT(nodes << " nodes, " << surge_text << "/" << unavailable_text << ", wait " << wait) {
            expect_agree(plan, model);
            expect_same_seconds_at_or_below(
                [&](std::int64_t k) { return simulate_daemonset_update(nodes, f, 0, wait, k); }, model, nodes);
          }
          ++cases;
        }
  BOOST_TEST(cases > 100u);
}

BOOST_AUTO_TEST_CASE(the_argo_canary_plan_agrees_with_the_model) {
  using what = canary_step::what;
  const std::vector<std::vector<canary_step>> step_lists{
      {},
      {{what::set_weight, 25}},
      {{what::set_weight, 50}, {what::pause, 30}},
      {{what::set_weight, 20}, {what::pause, 10}, {what::set_weight, 60}, {what::pause, 5}},
      {{what::pause, 20}, {what::set_weight, 33}},
      {{what::set_weight, 40}, {what::pause_until_promoted, 0}},
  };
  std::size_t cases = 0;
  for (std::int64_t replicas : {1, 2, 3, 4, 5, 7, 10})
    for (const char* surge_text : {"0", "1", "25%", "100%"})
      for (const char* unavailable_text : {"0", "1", "25%", "50%"})
        for (std::int64_t wait : {1, 10})
          for (std::size_t s = 0; s < step_lists.size(); ++s) {
            int_or_percent surge = parse_int_or_percent(surge_text),
                           unavailable = parse_int_or_percent(unavailable_text);
            if (validate_canary_rollout(surge, unavailable)) continue;
            fenceposts f = resolve_fenceposts(surge, unavailable, replicas);
            bool model_waits = false, plan_waits = false;
            outcome model =
                canary_model(replicas, f.surge, std::min(f.unavailable, replicas), wait, step_lists[s], model_waits);
            outcome plan = of(simulate_canary_update(
                canary_update{replicas, surge, unavailable, 0, wait, step_lists[s]}, plan_waits));
            BOOST_TEST_CONTEXT(replicas << " replicas, " << surge_text << "/" << unavailable_text << ", wait " << wait
                                        << ", steps #" << s) {
              BOOST_TEST(plan_waits == model_waits);
              expect_agree(plan, model);
              expect_same_seconds_at_or_below(
                  [&](std::int64_t k) {
                    bool w = false;
                    canary_update u{replicas, surge, unavailable, 0, wait, step_lists[s]};
                    u.watch_available = k;
                    return simulate_canary_update(u, w);
                  },
                  model, replicas);
            }
            ++cases;
          }
  BOOST_TEST(cases > 500u);
}

BOOST_AUTO_TEST_CASE(the_traffic_routed_canary_plan_agrees_with_the_model) {
  using what = canary_step::what;
  const std::vector<std::vector<canary_step>> step_lists{
      {},
      {{what::set_weight, 25}},
      {{what::set_weight, 50}, {what::pause, 30}},
      {{what::set_weight, 20}, {what::pause, 10}, {what::set_weight, 60}, {what::pause, 5}},
      {{what::pause, 20}, {what::set_weight, 33}, {what::set_weight, 10}},
      {{what::set_weight, 40}, {what::pause_until_promoted, 0}},
      {{what::set_weight, 100}},
      // setCanaryScale (argo-rollouts' example: a canary of 3 beside 10 stable pods, then by weight)
      {{what::scale_replicas, 3},
       {what::set_weight, 20},
       {what::pause, 5},
       {what::scale_match, 0},
       {what::set_weight, 50}},
      {{what::set_weight, 10}, {what::scale_weight, 40}, {what::pause, 3}, {what::scale_replicas, 1}},
      {{what::scale_replicas, 0}, {what::set_weight, 30}, {what::scale_weight, 5}},
  };
  std::size_t cases = 0;
  for (std::int64_t replicas : {1, 2, 3, 4, 5, 7, 10, 13})
    for (std::int64_t wait : {1, 10})
      for (bool dynamic : {false, true})
        for (std::int64_t min_pods : {0, 2})
          for (std::size_t s = 0; s < step_lists.size(); ++s) {
            bool model_waits = false, plan_waits = false;
            outcome model = traffic_model(replicas, wait, step_lists[s], dynamic, model_waits, min_pods);
            canary_update u{
                replicas, parse_int_or_percent("25%"), parse_int_or_percent("0"), 0, wait, step_lists[s], true, dynamic,
                min_pods};
            outcome plan = of(simulate_canary_update(u, plan_waits));
            BOOST_TEST_CONTEXT(replicas << " replicas, wait " << wait << (dynamic ? ", dynamic" : "") << ", min pods "
                                        << min_pods << ", steps #" << s) {
              BOOST_TEST(plan_waits == model_waits);
              expect_agree(plan, model);
              expect_same_seconds_at_or_below(
                  [&](std::int64_t k) {
                    bool w = false;
                    canary_update watching = u;
                    watching.watch_available = k;
                    return simulate_canary_update(watching, w);
                  },
                  model, replicas);
            }
            ++cases;
          }
  BOOST_TEST(cases > 600u);
}
