#pragma once
// `rollout-pace explain PROFILE`: a profile in words and its plan, for one kind.
#include <cstdint>

#include "kube/kinds.h"
#include "manifest/options.h"
#include "plan/release_plan.h"

namespace rollout_pace {

/// The profile the flags choose (choose(), as for a workload with no annotations), mapped onto kind
/// as the post-renderer would map it (map_pace, for pods without host ports) and planned for
/// replicas (a DaemonSet: for --nodes). Throws failure(bad_usage) for an incomplete Custom profile or
/// values the API server would refuse for the kind.
planned_workload explain(const options& opts, const workload_kind& kind, std::int64_t replicas);

}  // namespace rollout_pace
