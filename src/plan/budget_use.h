#pragma once
// The PodDisruptionBudgets of a release against the workloads they select: what the disruption
// controller keeps of them, and what the planned rollouts spend of it (issue: drains that wait).
#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "plan/release_plan.h"

namespace rollout_pace {

/// A PodDisruptionBudget against the workloads whose pods it selects (same namespace, the release's
/// for objects without one), as the disruption controller counts them (updatePdbStatus).
struct budget_use {
  const disruption_budget* budget = nullptr;
  std::vector<const planned_workload*> covered;  ///< the workloads of the stream it selects
  std::int64_t pods = 0;                         ///< their planned replicas
  std::int64_t fewest_pods = 0;                  ///< their fewest (an autoscaler's minimum)
  std::int64_t keeps = 0;                        ///< desiredHealthy for pods
  /// desiredHealthy for fewest_pods reaches them: no voluntary disruption is ever allowed.
  bool never_allows = false;
  /// The covered rollout that keeps the budget's pods at keeps or fewer longest (the other workloads'
  /// pods counted all available): meanwhile the budget allows no disruption; nullptr when none does.
  const planned_workload* blocks_during = nullptr;
  std::int64_t blocked_seconds = 0;  ///< how long, by the simulation (seconds_at_or_below)
};

/// Every budget of the plan that selects a workload of it, in the stream's order.
std::vector<budget_use> budget_uses(const release_plan& plan);

/// "PodDisruptionBudget shop/web (maxUnavailable 0): keeps 3 of 3 pods of Deployment web: never
/// allows a voluntary disruption", for the plan's text.
std::string budget_sentence(const budget_use& u);

/// [budget-blocks-drains] for each budget that never allows a voluntary disruption (unless the first
/// workload it selects accepts it), else a note for each planned rollout that takes its pods down to
/// where it allows none.
void budget_findings(const release_plan& plan, std::vector<diagnostic>& out);

}  // namespace rollout_pace
