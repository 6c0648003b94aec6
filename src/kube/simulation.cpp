#include "kube/simulation.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace rollout_pace {

rollout_plan simulate_rolling_update(std::int64_t replicas, const int_or_percent& max_surge,
                                     const int_or_percent& max_unavailable, std::int32_t min_ready_seconds,
                                     std::int64_t pod_startup_seconds) {
  if (pod_startup_seconds == 0 && min_ready_seconds == 0) {
    // Pods ready at once still become available in a later sync than the one that created them
    // (reconcileOldReplicaSets reads the new ReplicaSet's available count as it was when it scaled it
    // up): the rollout moves as with the shortest wait, in no time.
    rollout_plan plan = simulate_rolling_update(replicas, max_surge, max_unavailable, 0, 1);
    for (rollout_step& s : plan.steps) s.created = s.available = 0;
    plan.min_duration_seconds = 0;
    return plan;
  }
  if (replicas < 0 || replicas > max_simulated_replicas)
    throw std::invalid_argument("replicas " + std::to_string(replicas) + " is more than the " +
                                std::to_string(max_simulated_replicas) + " rollout-pace simulates");
  rollout_plan plan;
  plan.replicas = replicas;
  plan.pods = resolve_fenceposts(max_surge, max_unavailable, replicas);
  // MaxUnavailable in deployment/util: never more than replicas (0 for none).
  plan.pods.unavailable = std::min(plan.pods.unavailable, replicas);
  plan.peak_pods = replicas;
  plan.min_available = replicas;
  if (replicas == 0) return plan;
  const std::int64_t max_total = replicas + plan.pods.surge;  // NewRSNewReplicas
  // MaxUnavailable in deployment/util: never more than replicas.
  const std::int64_t min_available = replicas - std::min(plan.pods.unavailable, replicas);
  const std::int64_t wait = pod_startup_seconds + min_ready_seconds;
  std::int64_t old_pods = replicas, new_pods = 0;
  std::vector<rollout_step>& batches = plan.steps;
  // Batches become available in the order they were created: a running sum and the first batch
  // not yet available keep each step constant time.
  std::size_t first_pending = 0;
  std::int64_t available_new = 0;
  auto new_available = [&](std::int64_t now) {
    while (first_pending < batches.size() && batches[first_pending].available <= now)
      available_new += batches[first_pending++].pods;
    return available_new;
  };
  std::int64_t t = 0;
  for (;;) {
    // The controller syncs until nothing changes: scale up the new ReplicaSet, else scale down old.
    for (bool changed = true; changed;) {
      changed = false;
      std::int64_t total = old_pods + new_pods;
      if (total < max_total && new_pods < replicas) {
        std::int64_t up = std::min(max_total - total, replicas - new_pods);
        if (!batches.empty() && batches.back().created == t && first_pending < batches.size())
          batches.back().pods += up;
        else
          batches.push_back({t, t + wait, up});
        new_pods += up;
        changed = true;
      }
      std::int64_t available = old_pods + new_available(t);
      plan.peak_pods = std::max(plan.peak_pods, old_pods + new_pods);
      plan.min_available = std::min(plan.min_available, available);
      // reconcileOldReplicaSets: nothing while maxScaledDown <= 0 (the new ReplicaSet's unavailable
      // pods use up the room); then scaleDownOldReplicaSetsForRollingUpdate down to min_available.
      std::int64_t unavailable_new = new_pods - new_available(t);
      std::int64_t max_scaled_down = old_pods + new_pods - min_available - unavailable_new;
      if (old_pods > 0 && max_scaled_down > 0 && available > min_available) {
        std::int64_t down = std::min(available - min_available, old_pods);
        if (down > 0) {
          old_pods -= down;
          plan.min_available = std::min(plan.min_available, old_pods + new_available(t));
          changed = true;
        }
      }
    }
    new_available(t);
    if (old_pods == 0 && new_pods == replicas && first_pending == batches.size()) break;
    if (first_pending == batches.size()) {
      // Nothing will become available: the rollout cannot progress (cannot happen: not both zero).
      throw std::invalid_argument("the rollout cannot progress with these values");
    }
    t = batches[first_pending].available;  // the next moment something changes
  }
  plan.min_duration_seconds = t;
  return plan;
}

namespace {

// Batches of `batch` pods, each replaced in `wait` seconds, the next batch once it is available.
rollout_plan batches(std::int64_t count, std::int64_t batch, std::int64_t wait, bool surge, const fenceposts& pods) {
  if (count < 0 || count > max_simulated_replicas)
    throw std::invalid_argument(std::to_string(count) + " is more than the " + std::to_string(max_simulated_replicas) +
                                " rollout-pace simulates");
  rollout_plan plan;
  plan.replicas = count;
  plan.pods = pods;
  plan.pods.surge = std::min(plan.pods.surge, count);  // never more pods at once than there are
  plan.pods.unavailable = std::min(plan.pods.unavailable, count);
  plan.peak_pods = count;
  plan.min_available = count;
  if (count == 0) return plan;
  batch = std::max<std::int64_t>(1, std::min(batch, count));
  std::int64_t t = 0;
  for (std::int64_t done = 0; done < count; done += batch) {
    std::int64_t n = std::min(batch, count - done);
    plan.steps.push_back({t, t + wait, n});
    t += wait;
  }
  if (surge)
    plan.peak_pods = count + batch;
  else
    plan.min_available = count - batch;
  plan.min_duration_seconds = t;
  return plan;
}

}  // namespace

rollout_plan simulate_daemonset_update(std::int64_t nodes, const fenceposts& pods, std::int32_t min_ready_seconds,
                                       std::int64_t pod_startup_seconds) {
  bool surge = pods.surge > 0;
  return batches(nodes, surge ? pods.surge : pods.unavailable, pod_startup_seconds + min_ready_seconds, surge, pods);
}

rollout_plan simulate_statefulset_update(const statefulset_update& u) {
  if (u.replicas < 0 || u.replicas > max_simulated_replicas)
    throw std::invalid_argument(std::to_string(u.replicas) + " is more than the " +
                                std::to_string(max_simulated_replicas) + " rollout-pace simulates");
  std::int64_t replaced = std::max<std::int64_t>(0, u.replicas - std::max<std::int64_t>(0, u.partition));
  std::int64_t window = u.gate_on ? std::max<std::int64_t>(1, std::min(u.max_unavailable, u.replicas)) : 1;
  std::int64_t wait = u.pod_startup_seconds + u.min_ready_seconds;
  rollout_plan plan;
  plan.replicas = u.replicas;
  plan.pods = fenceposts{0, std::min(window, u.replicas), false};
  plan.peak_pods = u.replicas;
  plan.min_available = u.replicas;
  if (u.partition > 0)
    plan.note = u.partition >= u.replicas ? "partition " + std::to_string(u.partition) + ": no pod is replaced"
                                          : "partition " + std::to_string(u.partition) + ": only ordinals " +
                                                std::to_string(u.partition) + " and up are replaced";
  if (replaced == 0) return plan;
  std::int64_t down = std::min(window, replaced);
  plan.min_available = u.replicas - down;
  std::int64_t t = 0;
  if (u.gate_on && u.parallel) {
    for (std::int64_t done = 0; done < replaced; done += window) {
      plan.steps.push_back({t, t + wait, std::min(window, replaced - done)});
      t += wait;
    }
  } else {
    // One pod at a time: OrderedReady recreates even a batch of several in ordinal order.
    for (std::int64_t i = 0; i < replaced; ++i, t += wait) plan.steps.push_back({t, t + wait, 1});
    if (u.gate_on && down > 1) {
      std::string how = "OrderedReady: " + std::to_string(down) + " pods go at once, and come back one at a time";
      plan.note = plan.note.empty() ? how : how + "; " + plan.note;
    }
  }
  plan.min_duration_seconds = t;
  return plan;
}

}  // namespace rollout_pace
