#pragma once
// What a release's rollout will take: every workload's decision (the same value the post-renderer
// edits by), its replicas and its simulated rolling update, and the release's minimum duration
// against Helm's or Flux's timeout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rollout_pace/options.h"
#include "rollout_pace/profile.h"
#include "rollout_pace/rollout_plan.h"
#include "rollout_pace/workload_kind.h"

namespace rollout_pace {

/// A HorizontalPodAutoscaler of the stream and the workload it scales.
struct hpa_target {
  std::string name, ns;           ///< the HPA's own name and namespace
  std::string kind, target;       ///< spec.scaleTargetRef.kind and .name
  std::int64_t min_replicas = 1;  ///< spec.minReplicas (default 1)
  std::int64_t max_replicas = 0;  ///< spec.maxReplicas
};

/// One workload of the plan.
struct planned_workload {
  std::string kind = "Deployment", ns, name, source;
  std::size_t document = 0;
  std::optional<decision> pace;  ///< unset: left alone (left_alone says why)
  kind_pace written;             ///< what the kind gets for the pace (map_pace)
  std::string left_alone;
  std::optional<std::int64_t> replicas;  ///< unset when spec.replicas is not a number
  std::string replicas_from;             ///< "spec.replicas", "the default", "HorizontalPodAutoscaler web (2-10)"
  std::optional<rollout_plan> rollout;   ///< when paced and the replicas are known
  std::string change, change_reason;     ///< major, minor, patch, none or new from --previous; empty without
  std::string summary;                   ///< the plain sentence
};

/// The release: its workloads and how long it takes at least (Helm applies all, then waits for all).
struct release_plan {
  std::vector<planned_workload> workloads;
  std::int64_t min_duration_seconds = 0;
  double timeout_seconds = 300;
  bool exceeds_timeout = false;
  /// The workload that takes longest, or nullptr when none is paced.
  const planned_workload* longest() const;
};

/// Fills in replicas (spec.replicas; when absent, an HPA of the stream that targets the workload,
/// for its maxReplicas; else 1, the API default; a DaemonSet's pods are opts.nodes), simulates each
/// paced workload's rolling update as its kind's controller does, with opts.pod_startup_seconds,
/// writes each summary, and the release's duration and timeout.
void complete_plan(release_plan& plan, const std::vector<hpa_target>& hpas, const options& opts);

/// The plain sentence for a pace and a simulated rollout, e.g. "Paranoid: replaces 1 pod at a time,
/// no pod down, and waits 300 s after each is ready; 10 replicas: 10 steps, at least 51 min 40 s,
/// 11 pods at most".
std::string summary_sentence(const decision& d, const rollout_plan& r);

/// `rollout-pace explain`: the profile the flags choose (the same decision as for a workload with no
/// annotations), planned for replicas. Throws failure(bad_usage) for an incomplete Custom profile or
/// values the API server would refuse.
planned_workload explain(const options& opts, std::int64_t replicas);

/// The timeout warning for a release that exceeds it, naming the workload; "" when it does not.
std::string timeout_warning(const release_plan& plan);

/// A timeout that leaves room for what the simulation cannot know (slow image pulls, a probe that
/// needs a second try): half as long again plus 2 minutes, rounded up to whole minutes.
double suggested_timeout(std::int64_t min_duration_seconds);

/// Parses a Go duration as Helm's and Flux's --timeout take it ("5m0s", "300s", "1h", "1.5h",
/// "90m30s"); returns seconds. Throws std::invalid_argument naming what is wrong.
double parse_duration(std::string_view text);
/// Seconds as Go prints a duration: 300 -> "5m0s", 3600 -> "1h0m0s", 45 -> "45s".
std::string go_duration(double seconds);

}  // namespace rollout_pace
