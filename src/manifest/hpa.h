#pragma once
// HorizontalPodAutoscalers: the plan's replicas for a workload that does not set spec.replicas.
#include <yaml-cpp/yaml.h>

#include <vector>

#include "plan/release_plan.h"
#include "yaml/view.h"

namespace rollout_pace {

/// The autoscaling/* HorizontalPodAutoscalers of a document (itself, or the items of a List): which
/// workload each scales, and its range. An HPA whose range is not a count is left out (it only
/// informs the plan).
std::vector<hpa_target> read_hpas(const node_view& root);

}  // namespace rollout_pace
