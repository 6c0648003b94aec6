#pragma once
// Argo Rollouts' canary update, reconcile by reconcile as argo-rollouts runs it, in the same
// rollout_plan as the Kubernetes controllers' (kube/simulation.h).
#include <cstdint>
#include <vector>

#include "kube/simulation.h"

namespace rollout_pace {

/// One step of an Argo canary (spec.strategy.canary.steps) the plan counts.
struct canary_step {
  /// set_canary_scale: setCanaryScale with replicas (scale_replicas), weight (scale_weight) or
  /// matchTrafficWeight (scale_match), which only a traffic-routed canary reads.
  enum class what {
    set_weight,
    pause,
    pause_until_promoted,
    scale_replicas,
    scale_weight,
    scale_match
  } kind = what::set_weight;
  std::int64_t value = 0;  ///< the weight (0-100), the pause in seconds, or the canary's replicas
};

/// What an Argo canary Rollout's update depends on.
struct canary_update {
  std::int64_t replicas = 0;
  int_or_percent max_surge, max_unavailable;
  std::int32_t min_ready_seconds = 0;
  std::int64_t pod_startup_seconds = 10;
  std::vector<canary_step> steps;
  bool traffic_routed = false;        ///< spec.strategy.canary.trafficRouting: weights by the router, not by pods
  bool dynamic_stable_scale = false;  ///< canary.dynamicStableScale (with traffic routing)
  std::int64_t min_pods_per_replica_set = 0;  ///< canary.minPodsPerReplicaSet (with traffic routing; 0: unset)
  std::int64_t watch_available = -1;          ///< the level rollout_plan::seconds_at_or_below counts for (-1: none)
};

/// An Argo canary's update, reconcile by reconcile as argo-rollouts runs it (rollout/canary.go
/// reconcileCanaryReplicaSets, utils/replicaset/canary.go CalculateReplicaCountsForBasicCanary): the
/// canary ReplicaSet starts at 0; each reconcile scales the stable ReplicaSet first and returns if it
/// did, then the canary, toward the counts that approximate the current setWeight (100 with no steps
/// or after the last), within replicas + maxSurge and above replicas - maxUnavailable; a setWeight
/// step completes when both ReplicaSets are at their counts and the canary's pods available, a pause
/// after its duration. A pause with no duration ends the plan there (waits_for_promotion).
/// With traffic routing (CalculateReplicaCountsForTrafficRoutedCanary) the router sets the weight, so
/// maxSurge and maxUnavailable do not apply: each setWeight (or setCanaryScale) step scales the canary
/// at once to its count and completes when those pods are available, the stable ReplicaSet keeps
/// every pod (with dynamicStableScale it shrinks as the canary's pods become available), and after
/// the last step the canary gets all replicas. The canary's count (GetCanaryReplicasOrWeight,
/// UseSetCanaryScale): the last setCanaryScale up to the step, unless matchTrafficWeight: its
/// replicas as given, or its weight; else the last setWeight; a weight is ceil(replicas * weight /
/// 100) (trafficWeightToReplicas), at least minPodsPerReplicaSet when not 0 (CheckMinPodsPerReplicaSet).
/// Any count the API takes is planned: the canary's pods are kept in batches, and once compress_after
/// times the stable ReplicaSet was scaled, two periods alike between those moments (every canary pod
/// available, the same moves) show a steady state, whose periods ahead are skipped in one move (a
/// run of batches when the canary grows) while no count comes within three periods of a bound.
rollout_plan simulate_canary_update(const canary_update& u, bool& waits_for_promotion,
                                    std::int64_t compress_after = 1000);

}  // namespace rollout_pace
