#pragma once
// What a rolling update will take, before it runs: a step-by-step simulation of the Deployment
// controller (kubernetes/kubernetes pkg/controller/deployment/rolling.go).
#include <cstdint>
#include <string>
#include <vector>

#include "kube/rules.h"

namespace rollout_pace {

/// One batch of new pods the controller creates at once, or a run of `count` alike batches, each
/// `every` seconds after the one before (a large rollout's steady state, kept in one entry).
struct rollout_step {
  std::int64_t created = 0;    ///< seconds after the rollout starts (the run's first batch)
  std::int64_t available = 0;  ///< when they count as available (ready + minReadySeconds)
  std::int64_t pods = 0;       ///< in each batch
  std::int64_t count = 1;      ///< batches in the run
  std::int64_t every = 0;      ///< seconds between the run's batches
  /// When the run's last batch is available.
  std::int64_t last_available() const { return available + (count - 1) * every; }
};

/// The simulated rollout.
struct rollout_plan {
  std::int64_t replicas = 0;
  fenceposts pods;                        ///< maxSurge and maxUnavailable in pods, as the controller rounds them
  std::vector<rollout_step> steps;        ///< every batch of new pods, in order
  std::int64_t min_duration_seconds = 0;  ///< until the last old pod is gone and every new pod is available
  std::int64_t peak_pods = 0;             ///< the most pods at once (what the rollout costs)
  std::int64_t min_available = 0;         ///< the fewest available pods at any moment
  std::string note;                       ///< how the controller moves, when the numbers alone do not say it
  bool by_weight = false;  ///< a traffic-routed canary: scaled by weight, maxSurge and maxUnavailable unused
  /// With a watch level (watch_available below): the seconds the rollout spends with at most that
  /// many pods available (a PodDisruptionBudget's desiredHealthy: it allows no disruption then).
  std::int64_t seconds_at_or_below = 0;
  /// The batches, every run counted out.
  std::int64_t step_count() const;
};

/// Throws std::invalid_argument unless n is a count the API takes (a non-negative int32), naming
/// what it counts.
void check_count(std::int64_t n, const char* what);

/// Simulates the controller's rolling update from replicas old pods, all available, to replicas new
/// ones. The new ReplicaSet scales up within replicas + maxSurge (NewRSNewReplicas); old ones scale
/// down while available pods stay at least replicas - maxUnavailable (reconcileOldReplicaSets); a new
/// pod is ready pod_startup_seconds after it is created and available min_ready_seconds after that;
/// the controller reacts at once, and old pods go at once. Any count the API takes (int32) is planned:
/// once compress_after batches are written and two rounds alike show the steady state (one batch per
/// round, the same pods in and out), the rounds that stay alike are written as one run and skipped in
/// one move, and the last rounds are simulated again one by one. Throws std::invalid_argument for a
/// count outside int32.
/// watch_available: the level rollout_plan::seconds_at_or_below counts for (-1: none).
rollout_plan simulate_rolling_update(std::int64_t replicas, const int_or_percent& max_surge,
                                     const int_or_percent& max_unavailable, std::int32_t min_ready_seconds,
                                     std::int64_t pod_startup_seconds, std::int64_t compress_after = 1000,
                                     std::int64_t watch_available = -1);

/// A DaemonSet's rolling update over nodes (pkg/controller/daemon/update.go, rollingUpdate): with a
/// surge, a new pod starts beside the old one on up to `surge` nodes at once and the old one goes
/// when the new one is available; otherwise the old pods on up to `unavailable` nodes go first.
/// pods: the controller's fenceposts (daemonset_fenceposts).
rollout_plan simulate_daemonset_update(std::int64_t nodes, const fenceposts& pods, std::int32_t min_ready_seconds,
                                       std::int64_t pod_startup_seconds, std::int64_t watch_available = -1);

/// What a StatefulSet's rolling update depends on.
struct statefulset_update {
  std::int64_t replicas = 0;
  std::int64_t max_unavailable = 1;  ///< in pods: getStatefulSetMaxUnavailable (round down, at least 1)
  bool gate_on = true;               ///< MaxUnavailableStatefulSet: off, the API server drops the field
  bool parallel = false;             ///< podManagementPolicy Parallel (default OrderedReady)
  std::int64_t partition = 0;        ///< only ordinals at or above it are updated
  std::int32_t min_ready_seconds = 0;
  std::int64_t pod_startup_seconds = 10;
  std::int64_t watch_available = -1;  ///< the level rollout_plan::seconds_at_or_below counts for (-1: none)
};

/// A StatefulSet's rolling update (pkg/controller/statefulset/stateful_set_control.go), for the pods
/// at ordinals at or above the partition (none when it is at or above replicas):
/// - gate off (updateStatefulSet): one pod at a time, highest ordinal first, each available before
///   the next;
/// - OrderedReady (processReplica stops at the first pod not Running, Ready and available): up to
///   max_unavailable pods go at once, highest ordinals first, and come back one at a time, each
///   available before the next; the next batch when all are available again;
/// - Parallel: a sliding window of max_unavailable pods, replaced at once.
rollout_plan simulate_statefulset_update(const statefulset_update& u);

}  // namespace rollout_pace
