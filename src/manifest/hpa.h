#pragma once
// HorizontalPodAutoscalers: the plan's replicas for a workload that does not set spec.replicas.
#include <yaml-cpp/yaml.h>

#include <optional>

#include "plan/release_plan.h"
#include "yaml/view.h"

namespace rollout_pace {

/// An autoscaling/* HorizontalPodAutoscaler: which workload it scales, and its range. nullopt for any
/// other document, and for an HPA whose range is not written plainly (it only informs the plan).
std::optional<hpa_target> read_hpa(const node_view& root);

}  // namespace rollout_pace
